"""Medicare IRMAA on a more recent year's income after retiring (form SSA-44).

The surcharge of a premium year is set by the return of the look-back year, two years before
(`medicare.lookback_years`; 20 CFR 418.1115).  A retiree's first premium years are so set by
the income of their working years.  A work stoppage — the beneficiary's own or their
spouse's — is a major life-changing event (20 CFR 418.1205(d)); where it has lowered the
income enough to lower the surcharge (a significant reduction, 418.1215), SSA uses a more
recent tax year on request (418.1201): the year before the premium year or the premium year
itself, on the beneficiary's estimate (SSA POMS HI 01120.030 B) — the years after the
look-back year, once the work has stopped.  Here each premium year whose look-back year is
the year the work stopped or an earlier one may be so figured; the household asks where it
lowers the surcharge, and SSA keeps to the more recent year until the IRS's figures for it
arrive (418.1235), which is the look-back itself two years on.

A person's work stops in the year they reach their ``retirement_age`` (with wages to stop, or
before the plan: the history's years were worked).  The death of a spouse, a divorce, the
loss of a pension and the other events of 418.1205 are not modelled.
"""

from __future__ import annotations

import math

import numpy as np

from dist401k.law.loader import Law
from dist401k.money import dollars_text
from dist401k.planner.household import Household
from dist401k.planner.medicare import irmaa_tier, surcharge_at_prices

EVENT = "work_stoppage"


def work_stoppage_years(hh: Household) -> list[tuple[int, int]]:
    """Each person whose work stops (20 CFR 418.1205(d)), with the year: the person's index
    and the year in which they reach ``retirement_age`` — the year whose wages are the last,
    or the first with none — for a person with wages, or who retired before the plan's first
    year."""
    out = []
    for i, p in enumerate(hh.people):
        if p.retirement_age is None:
            continue
        # The planner's age at a year's end counts the months after the birth month.
        year = math.floor(p.birth_date.year + p.retirement_age
                          - (12 - p.birth_date.month) / 12.0) + 1
        if p.wages > 0 or year <= hh.start_year:
            out.append((i, year))
    return out


def appeal_years(law: Law, hh: Household, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T,) the premium years whose surcharge SSA may figure, on the household's request, on
    the year before (the first) and on the premium year itself (the second): those whose
    look-back year is no later than a work stoppage, from the year the work stopped
    (20 CFR 418.1201, 418.1205(d); POMS HI 01120.030 B: the current year or the year before)."""
    years = np.asarray(years)
    lookback = int(law.get("medicare.lookback_years", int(years[0])))
    before = np.zeros(years.shape, bool)
    current = np.zeros(years.shape, bool)
    for _, stopped in work_stoppage_years(hh):
        window = (years - lookback <= stopped) & (years >= stopped)
        current |= window
        before |= window & (years - 1 >= stopped) & (lookback > 1)
    return before, current


def irmaa_by_year(law: Law, hh: Household, tl, magi: np.ndarray, price: np.ndarray,
                  restate: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T,) each year's IRMAA of one plan, nominal: as SSA sets it from the look-back year's
    MAGI (the case's ``magi_history`` before the plan; the look-back return's filing status),
    and the least of that and the surcharges of the more recent years a request may use
    (:func:`appeal_years`; each on its own return's filing status); and, for each year of the
    plan, the most MAGI it may have and keep a request's surcharge that rests on it (the top
    of its tier; infinite where none rests on it).  ``magi``: (T,) the plan's MAGI, nominal;
    ``price`` and ``restate``: (T,) the plan's price level and the law's, which carry the
    law's figures of a year — the tiers' and the amounts — into the plan's dollars
    (:func:`~dist401k.planner.medicare.surcharge_at_prices`)."""
    T = tl.T
    years, fs, on_med = tl.years, tl.filing_status, tl.on_medicare
    lookback = int(law.get("medicare.lookback_years", int(years[0])))
    hist = np.concatenate([np.asarray(hh.magi_history, float), magi])
    back = len(hh.magi_history)
    j = back + np.arange(T) - lookback
    charged = np.zeros(T)
    caps = np.full(T, np.inf)
    ok = (on_med > 0) & (j >= 0)
    if not ok.any():
        return charged, charged.copy(), caps
    tt = np.nonzero(ok)[0]
    # The look-back return's filing status (a survivor's first two years: joint).
    then = fs[np.maximum(tt - lookback, 0)]
    dollars = price[:T] / restate[:T]  # the plan's dollars of a dollar of each year's law
    charged[tt] = surcharge_at_prices(law, years[tt], then, hist[j[tt]], on_med[tt],
                                      dollars[tt])
    appealed = charged.copy()
    before, current = appeal_years(law, hh, years)
    for t in np.nonzero((before | current) & (charged > 0))[0]:
        recent = [(t, int(fs[t]))] if current[t] else []
        if before[t] and back + t - 1 >= 0:
            recent.append((t - 1, int(fs[max(t - 1, 0)])))
        year, best = int(years[t]), None
        for s, status in recent:
            income = np.array([hist[back + s]])
            cut = surcharge_at_prices(law, year, status, income, on_med[t], dollars[t])[0]
            if cut < appealed[t]:
                appealed[t], best = cut, (s, status, income)
        if best is not None and best[0] >= 0:
            s, status, income = best
            ends = np.atleast_1d(law.get("medicare.irmaa_thresholds", year, status))
            tier = int(irmaa_tier(law, year, status, income / dollars[t])[0])
            if tier < ends.shape[-1]:
                caps[s] = min(caps[s], float(ends[tier]) * dollars[t])
    return charged, appealed, caps


def irmaa_appeal_text(j: dict, names: list[str]) -> str | None:
    """One sentence for a plan's ``irmaa_appeal`` (:func:`~dist401k.planner.plan.plan_json`):
    whose work stopped, which years' IRMAA a request lowers and by how much, and whether the
    plan counts it; None where it lowers none."""
    if "irmaa_appeal" not in j:
        return None
    a = j["irmaa_appeal"]
    who = " and ".join(f"{names[w['person']]} stopped work in {w['year']}"
                       for w in a["work_stopped"])
    years = sorted(int(y) for y in a["years"])
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    rule = ("(form SSA-44: a work stoppage is a life-changing event, 20 CFR 418.1201, "
            "418.1205(d); SSA POMS HI 01120.030)")
    if a["filed"]:
        return (f"Medicare IRMAA of {span} figured on a more recent year's income after {who} "
                f"{rule}: ${dollars_text(a['saving_real'])} less (today's dollars) than on the look-back "
                "year's.")
    return (f"Medicare IRMAA of {span} is set by income of the working years; after {who}, "
            f"asking SSA to use a more recent year's income {rule} would take about "
            f"${dollars_text(a['saving_real'])} (today's dollars) off this plan's. Set "
            "strategy.irmaa_appeal to plan with it.")
