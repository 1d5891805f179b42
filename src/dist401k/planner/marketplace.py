"""Marketplace health coverage before Medicare: its premium, and the premium tax credit the
household income of each year and each path allows (IRC §36B, ``tax.premium_tax_credit``).

Each person of the plan is covered from the section's first year until the month before
Medicare begins — the first day of the month the person turns 65, a month earlier for a
birthday on the first (42 U.S.C. §426(a); age is attained the day before the birthday) — and
while alive.  The benchmark premium is split equally between the people covered at the start;
in a month only one of a couple is covered the benchmark is that person's share, while the
required contribution stays the whole household's (§36B(b)(2)(B), Treas. Reg. §1.36B-3(d)).
Household income is AGI plus the Social Security benefits left out of it (§36B(d)(2)(B); the
plan has no tax-exempt interest or foreign income).  With random lifetimes each path covers
the people alive on it: a death before Medicare ends that person's coverage after the year of
death (the planner's convention: a person lives all of that year) and shrinks the tax family.
In a year whose household income is within the Medicaid adult group or the Basic Health
Program of the state of residence there is no coverage month and no credit (IRC
§36B(c)(2)(B); 42 U.S.C. §18051(e)(2); ``tax.medicaid``): the premium is charged in full,
unless the case takes Medicaid (``marketplace.medicaid``), which then covers those within its
adult group with no premium.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.compounding import growth_factors
from dist401k.law.loader import Law
from dist401k.planner.household import Household
from dist401k.planner.medicare import medicare_months_before
from dist401k.tax.medicaid import (
    adult_income_limit,
    coverage_months,
    medicaid_income_limit,
    public_coverage_limit,
)
from dist401k.tax.premium_tax_credit import premium_tax_credit


@dataclass
class Coverage:
    """Who the marketplace covers, month by month of each year, and at what premium."""

    months: np.ndarray  # (I, T) months of the year each person is covered
    share: np.ndarray  # (I,) each person's share of the household's premiums
    household_size: np.ndarray  # (T,) the tax family
    size_given: float | None  # the case's household size (None: the people alive)
    growth: np.ndarray | None  # (T,) premium growth from the start year; None: inflation
    benchmark: float  # yearly, start-year dollars, for everyone covered
    premium: float
    region: str
    public_limit: np.ndarray  # (T,) public coverage's limit in the year's state (0: none)
    adult_limit: np.ndarray  # (T,) the Medicaid adult group's limit alone (0: none)
    medicaid: bool  # Medicaid taken, with no premium, where the household is within the group

    def any_year(self) -> np.ndarray:
        """(T,) years with someone covered."""
        return self.months.max(axis=0) > 0


def coverage(hh: Household, law: Law, years, alive) -> Coverage | None:
    """The marketplace coverage of a plan over ``years`` (None without a marketplace section)."""
    mk = hh.marketplace
    if mk is None:
        return None
    years = np.asarray(years)
    months = medicare_months_before(law, [p.birth_date for p in hh.people], years)
    first = hh.start_year if mk.first_year is None else mk.first_year
    last = years[-1] if mk.last_year is None else mk.last_year
    months = np.where((years >= first) & (years <= last), months, 0.0) * np.asarray(alive)
    at_start = months[:, years == first].max(axis=1) > 0 if (years == first).any() else \
        months.max(axis=1) > 0
    n_start = max(int(at_start.sum()), 1)
    share = at_start / n_start
    given = None if mk.household_size is None else float(mk.household_size)
    size = tax_family(given, np.asarray(alive, float).T).T
    growth = None
    if mk.premium_growth is not None:
        growth = growth_factors(mk.premium_growth, years - years[0])
    bench = float(mk.benchmark_premium)
    paid = bench if mk.premium is None else float(mk.premium)
    states = [hh.state_in(int(y)) for y in years]
    return Coverage(months, share, size, given, growth, bench, paid, mk.region,
                    public_coverage_limit(law, years, states),
                    adult_income_limit(law, years, states), mk.medicaid)


def tax_family(given: float | None, alive) -> np.ndarray:
    """The tax family (§36B(d)(1)) of each row of ``alive`` (..., I: each person alive): the
    people alive, or the case's household size less the plan's people who have died; at
    least one."""
    alive = np.asarray(alive, float)
    living = alive.sum(axis=-1)
    size = living if given is None else given - (alive.shape[-1] - living)
    return np.maximum(size, 1.0)


def net_premium(cov: Coverage, law: Law, t: int, year: int, household_income, price,
                alive=None):
    """(premium, credit) of year ``t`` on each path, nominal: the premiums of the months
    covered and the credit the household income allows for them.  ``price``: the path's price
    level against the start year (premiums grow with it unless the case gives their growth);
    ``alive`` (P, I): who is alive on each path this year (random lifetimes; None: the plan's
    own lifetimes, as ``cov`` has them)."""
    income = np.asarray(household_income, dtype=float)
    P = income.shape[0]
    months = cov.months[:, t]
    if months.max() <= 0:
        return np.zeros(P), np.zeros(P)
    grow = np.asarray(price, float) if cov.growth is None else np.full(P, cov.growth[t])
    if alive is None:
        on_path = np.broadcast_to(months, (P, months.shape[0]))
        size = np.full(P, cov.household_size[t])
    else:
        on_path = months * np.asarray(alive, float)  # (P, I): the dead are not covered
        size = tax_family(cov.size_given, alive)
    # Months split into runs with the same people covered: each person is covered from
    # January, so the runs end where each person's coverage ends (on a path, where the plan's
    # does, or not at all).
    ends = np.unique(np.concatenate([[0.0], months]))
    public_income = medicaid_income_limit(law, np.full(P, year), size, cov.public_limit[t],
                                          cov.region)
    # Medicaid taken (the case's choice): its months cost no premium.
    on_medicaid = income <= medicaid_income_limit(law, np.full(P, year), size,
                                                  cov.adult_limit[t], cov.region) \
        if cov.medicaid else np.zeros(P, dtype=bool)
    premium = np.zeros(P)
    credit = np.zeros(P)
    for lo, hi in zip(ends[:-1], ends[1:], strict=True):
        part = (on_path >= hi) @ cov.share  # (P,) the share of the premium of those covered
        if not np.any(part > 0):
            continue
        bench = cov.benchmark * part * grow
        paid = cov.premium * part * grow
        r = premium_tax_credit(law, np.full(P, year), income, size, bench, paid,
                               region=cov.region,
                               months=coverage_months(hi - lo, income, public_income))
        premium += np.where(on_medicaid, 0.0, paid * (hi - lo) / 12.0)
        credit += r.credit
    return premium, credit


class MarketplaceCost:
    """The simulation's yearly cost set by the tax return (its ``magi_cost``): the premium
    less the premium tax credit, on every path, from the year's household income — AGI plus
    the Social Security left out of it.  Writes the year's premium, credit and household income
    into the simulation's columns (the fixed point's last pass, the return that stands).
    ``paths`` (the indices of the paths figured, and how many there are in all) where the
    simulation figures some paths only: random lifetimes leave out the paths whose people have
    all died, and their columns stay zero."""

    COLUMNS = ("marketplace_premium", "premium_tax_credit", "household_income")

    def __init__(self, cov: Coverage, law: Law, cols: dict[str, np.ndarray], years: int,
                 other=None, paths: tuple[np.ndarray, int] | None = None, alive=None):
        self.cov, self.law, self.cols, self.years, self.other = cov, law, cols, years, other
        self.paths, self.alive = paths, alive

    def on_paths(self, idx: np.ndarray, n_paths: int) -> MarketplaceCost:
        """The same cost figured on the paths ``idx`` of ``n_paths`` alone."""
        return MarketplaceCost(self.cov, self.law, self.cols, self.years, self.other,
                               (idx, n_paths), self.alive)

    def __call__(self, facts, out: dict[str, np.ndarray]) -> np.ndarray:
        income = out["agi"] + facts.social_security - out["taxable_social_security"]
        rows, n = (slice(None), income.shape[0]) if self.paths is None else self.paths
        alive = None if self.alive is None else self.alive[rows, :, facts.t]
        paid, credit = net_premium(self.cov, self.law, facts.t, facts.year, income, facts.price,
                                   alive)
        for name, v in zip(self.COLUMNS, (paid, credit, income), strict=True):
            if name not in self.cols:
                self.cols[name] = np.zeros((n, self.years))
            self.cols[name][rows, facts.t] = v
        cost = paid - credit
        return cost if self.other is None else cost + self.other(facts, out)


def with_marketplace(magi_cost, hh: Household, tl, law: Law, cols: dict[str, np.ndarray],
                     alive=None):
    """``magi_cost`` with the marketplace premium net of its credit added where the case has
    marketplace coverage (the columns it writes join ``cols``); else ``magi_cost`` itself.
    ``alive`` (P, I, T): who is alive on each path (random lifetimes)."""
    cov = coverage(hh, law, tl.years, tl.alive)
    return magi_cost if cov is None else MarketplaceCost(cov, law, cols, tl.T, magi_cost,
                                                         alive=alive)
