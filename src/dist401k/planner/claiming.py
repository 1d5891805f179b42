"""When to claim Social Security, decided with the drawdown: each person's claiming month from
the earliest claiming age to the last age of delayed credit (42 U.S.C. §402(a), (q), (w);
§416(l)), searched jointly with the withdrawals and Roth conversions.

Every candidate (a claiming age for each person with a benefit) gets its own optimum: the
linear programme of :mod:`dist401k.planner.lp`, each of whose passes is priced by the exact tax
engine.  The candidates are the whole years from the earliest age (or the age at the plan's
start, whichever is later) to the last, every pair of them for a couple; then months around the
best, a person at a time.  The few best, full retirement age and the last age are then priced
by the exact simulator (the strategy's most spending that lasts, or its estate), and the best
of those by that exact figure is the answer.  A couple's survivor keeps the larger benefit
(42 U.S.C. §402(e), (f)), so the claim of the one with the larger benefit also sets the
survivor's.

A claim the case says was made before the plan's start (``claim_age`` at or below the age then)
is kept, not searched, in every row: an application for old-age benefits can be withdrawn only
within 12 months of the first month of entitlement, repaying every benefit paid on it (20 CFR
404.640(a)(4)); after that a benefit can only be suspended, from full retirement age, for
delayed credits on the reduced benefit (20 CFR 404.313; SSA POMS RS 00615.690, RS 00615.692) —
a suspension the plan does not model.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from dist401k.errors import InputError
from dist401k.law.loader import Law
from dist401k.money import amount, dollars_text
from dist401k.planner.household import Household
from dist401k.planner.lp import optimise
from dist401k.planner.progress import Step, quiet
from dist401k.planner.social_security_benefit import (
    claim_month,
    full_retirement_age,
    spousal_excess,
    ssa_birth_year,
)
from dist401k.planner.timeline import benefit_age_end, build_timeline

#: Candidates priced by the exact simulator besides full retirement age and the last age.
SHORTLIST = 3
#: Month steps of the refinement around the best whole year, on each of its sides.
REFINE_MONTHS = (3, 6, 9, 1, 2)
SIDES = (-1, 1)
#: The two parts of the search as a progress bar names them.
PROGRAMME_STEP = "claiming ages, by the programme"
EXACT_STEP = "claiming ages, by the exact tax"


@dataclass
class Candidate:
    """One choice of claiming ages (years, by person; None: no benefit to claim) and what its
    optimum gives: the programme's figure, then the exact one where it was priced."""

    ages: tuple
    lp_value: float
    exact: dict | None = None


@dataclass
class ClaimingSearch:
    """The search's answer: the best ages, the candidates tried, and the plans compared."""

    best: tuple
    candidates: int
    compared: list[dict] = field(default_factory=list)
    #: by person: the claim already made before the plan's start that the search keeps (its
    #: age in years), None for one searched or with nothing to claim
    kept: tuple = ()


def with_claim_ages(hh: Household, ages) -> Household:
    """A copy of ``hh`` whose people claim at ``ages`` (None: as the case says)."""
    people = [p.model_copy(update={"social_security": p.social_security.model_copy(
        update={"claim_age": a})}) if a is not None else p for p, a in zip(hh.people, ages,
                                                                           strict=True)]
    return hh.model_copy(update={"people": people})


def _age_at_start(p, year: int) -> int:
    """The age, in months, a person has attained in January of ``year``, as Social Security
    counts ages (on the day before the birthday, :func:`~dist401k.planner.timeline.benefit_age_end`)."""
    return int(round(float(benefit_age_end([p.birth_date], [year - 1])[0, 0]) * 12))


def kept_claims(hh: Household) -> tuple:
    """By person, the claiming age (years) of a claim the case says was already made — its
    ``claim_age`` at or below the age attained in the plan's first month — else None.  Such a
    claim stands: an application can be withdrawn only within 12 months of the first month of
    entitlement, repaying all the benefits paid on it (20 CFR 404.640(a)(4)), and later only
    suspended from full retirement age (20 CFR 404.313; SSA POMS RS 00615.690)."""
    return tuple(
        c if (c := p.social_security.claim_age) is not None
        and int(round(claim_month(c) * 12)) <= _age_at_start(p, hh.start_year) else None
        for p in hh.people)


def claim_months(hh: Household, law: Law) -> list[np.ndarray | None]:
    """Each person's possible claiming ages, in months: from the law's earliest claiming age,
    or the age attained in the plan's first month (a claim cannot start in the past), to the last age
    of delayed credit — for a spouse with no benefit of their own but one on the other's
    record, to full retirement age (a spouse's benefit earns no delayed credit); None for a
    person with no benefit, already past that age, or whose claim was already made
    (:func:`kept_claims`)."""
    year = hh.start_year
    first = int(round(float(law.get("social_security.earliest_claim_age", year)) * 12))
    credit_last = int(round(float(law.get("social_security.delayed_credit_last_age", year)) * 12))
    pia = [p.social_security.monthly_at_full_age for p in hh.people]
    kept = kept_claims(hh)
    out: list[np.ndarray | None] = []
    for i, p in enumerate(hh.people):
        if kept[i] is not None:
            out.append(None)
            continue
        lo, last = max(first, _age_at_start(p, year)), credit_last
        on_other = len(pia) == 2 and pia[1 - i] > 0 and float(
            spousal_excess(law, year, pia[i], pia[1 - i])) > 0
        if pia[i] <= 0 and on_other:
            last = int(round(float(full_retirement_age(law, year, ssa_birth_year(p.birth_date)))
                             * 12))
        out.append(np.arange(lo, last + 1) if (pia[i] > 0 or on_other) and lo <= last
                   else None)
    return out


def _value(hh: Household, law: Law, ages, objective: str) -> float:
    """The optimum's figure for claiming ``ages``: its spending (today's $) or its estate;
    -inf where no plan meets the case's demands."""
    cand = with_claim_ages(hh, ages)
    try:
        sol = optimise(cand, build_timeline(cand, law), law)
    except InputError:
        return -np.inf
    return sol.spending_real if objective == "max_spending" else sol.estate_real


def search_claiming(hh: Household, law: Law, exact, step: Step = quiet) -> ClaimingSearch | None:
    """The claiming ages that give the best plan (None when nobody has a benefit to claim).
    ``exact(household)`` prices a household's optimum by the exact simulator and returns its
    figures (``spending_real``, ``estate_real``, ``lifetime_tax_real``, ``irmaa``,
    ``lifetime_state_tax_real`` and ``state_tax_not_figured``); ``step`` hears of each choice of
    ages tried and priced.  The best is chosen by the spending (or the estate) alone: the
    simulator pays the state's tax out of the year's money before the spending, and the
    programme prices it too (:mod:`dist401k.planner.lp`), so both already net it."""
    months = claim_months(hh, law)
    kept = kept_claims(hh)
    who = [(i, m) for i, m in enumerate(months) if m is not None]  # (person, claiming months)
    if not who:
        return ClaimingSearch(kept, 0, [], kept) if any(a is not None for a in kept) else None
    objective = hh.strategy.objective
    seen = _programme_candidates(hh, law, months, who, objective, step)
    key = "spending_real" if objective == "max_spending" else "estate_real"
    fra = tuple(None if m is None else _at_least(
        float(full_retirement_age(law, hh.start_year, ssa_birth_year(p.birth_date))), m)
        for p, m in zip(hh.people, months, strict=True))
    late = tuple(None if m is None else m[-1] / 12 for m in months)
    short = sorted(seen.values(), key=lambda c: -c.lp_value)[:SHORTLIST]
    _price_exactly(hh, seen, [c.ages for c in short] + [fra, late], exact, step)
    priced = [c for c in seen.values() if c.exact]
    winner = max(priced, key=lambda c: c.exact[key])
    compared = [_row(label, seen[ages], kept) for label, ages in
                (("best", winner.ages), ("full_retirement_age", fra), ("last_age", late))]
    shown = _with_kept(winner.ages, kept)
    return ClaimingSearch(shown, len(seen), compared,
                          kept if any(a is not None for a in kept) else ())


def _with_kept(ages: tuple, kept: tuple) -> tuple:
    """Claiming ages with each claim already made in place of the search's None (which keeps
    the case's claim: :func:`with_claim_ages`)."""
    return tuple(k if a is None and k is not None else a for a, k in zip(ages, kept, strict=True))


def _programme_candidates(hh: Household, law: Law, months, who, objective,
                          step: Step = quiet) -> dict:
    """The claiming ages tried by the programme, by ages: every whole year (and the first and
    last possible month) for each person together, then months around the best, one person at
    a time."""
    seen: dict[tuple, Candidate] = {}
    grids = [None if m is None else np.unique(np.r_[m[m % 12 == 0], m[0], m[-1]])
             for m in months]
    # At most: every combination of the grids, and a month each side a step for each person.
    most = int(np.prod([1 if g is None else g.size for g in grids])) + len(SIDES) * len(
        REFINE_MONTHS) * len(who)

    def tried(ages_m) -> Candidate:
        ages = tuple(None if m is None else m / 12 for m in ages_m)
        if ages not in seen:
            seen[ages] = Candidate(ages, _value(hh, law, ages, objective))
            step(PROGRAMME_STEP, len(seen), most)
        return seen[ages]

    step(PROGRAMME_STEP, 0, most)
    for combo in itertools.product(*[g if g is not None else [None] for g in grids]):
        tried(combo)
    best = max(seen.values(), key=lambda c: c.lp_value)
    for i, span in who:  # months around the best, one person at a time
        for off in REFINE_MONTHS:
            base = [None if a is None else int(round(a * 12)) for a in best.ages]
            here = int(round(best.ages[i] * 12))  # (person i has a benefit: an age)
            for m in (here + side * off for side in SIDES):
                if span[0] <= m <= span[-1]:
                    tried(base[:i] + [m] + base[i + 1:])
            best = max(seen.values(), key=lambda c: c.lp_value)
    step(PROGRAMME_STEP, most, most)  # the months already tried are not tried again
    return seen


def _price_exactly(hh: Household, seen: dict, choices: list, exact, step: Step = quiet) -> None:
    """Price each choice of ages by the exact simulator (added to ``seen`` when new); raises
    the refusal when no choice gives a plan that meets the case's demands."""
    refused: InputError | None = None
    for done, ages in enumerate(choices):
        step(EXACT_STEP, done, len(choices))
        c = seen.get(ages) or Candidate(ages, np.nan)
        seen[ages] = c
        if c.exact is None:
            try:
                c.exact = exact(with_claim_ages(hh, ages))
            except InputError as exc:  # no plan meets the case's demands with these ages
                c.exact, refused = {}, exc
    step(EXACT_STEP, len(choices), len(choices))
    if not any(c.exact for c in seen.values()) and refused is not None:
        raise refused


def _at_least(age: float, months: np.ndarray) -> float:
    """``age`` in years, or the first possible claim when it has passed."""
    return max(int(round(age * 12)), int(months[0])) / 12


#: The rows of the comparison, as the CLI and the report name them.
CHOICES = {"best": "best found", "full_retirement_age": "full retirement age",
           "last_age": "last age of delayed credit"}


#: Where every claim was made before the plan's start (``candidates`` 0, no rows), the words the
#: CLI, the report and the page give instead of the table (the claims kept: ``notes``).
NOTHING_SEARCHED = ("No claiming ages were searched: every Social Security claim was already made before "
                    "the plan's first year.")


#: The figures of each row, in the order the CLI, the report and the page show them.
FIGURES = ("spending_real", "lifetime_tax_real", "lifetime_state_tax_real", "irmaa", "estate_real")
#: The state's income tax over the plan (today's $): shown only for a plan with a state.
STATE_FIGURE = "lifetime_state_tax_real"


def shown_figures(j: dict) -> tuple[str, ...]:
    """The figures a plan's claiming rows show: :data:`FIGURES`, the state tax only where the
    plan has a state (the JSON's ``state``), as the strategies table does."""
    return tuple(k for k in FIGURES if k != STATE_FIGURE or "state" in j)


def figure_text(r: dict, k: str) -> str:
    """A row's figure ``k`` in a table: "no plan" for a row with no plan, "not figured" for a
    state tax with a year not figured (:func:`state_tax_text` names the years)."""
    if not r["plan"]:
        return "no plan"
    return "not figured" if r[k] is None else dollars_text(r[k])


def state_tax_text(c: dict) -> str | None:
    """Where a row's state tax over the plan is not figured (null), which rows and years, for
    the terminal, the report and the page's words (``c``: the JSON's ``claiming``); None where
    every row's is."""
    return not_figured_text([(CHOICES[r["choice"]], r["state_tax_not_figured"])
                             for r in c["compared"] if r.get("state_tax_not_figured")])


def not_figured_text(missing: list[tuple[str, list[int]]]) -> str | None:
    """The words for rows (a strategy, a claiming choice) whose state tax over the plan is not
    figured, each with its years; None where there is none."""
    if not missing:
        return None
    return ("State tax over the plan not figured (a year's state tax is not figured, so no "
            "total is given): " + "; ".join(f"{label}: {', '.join(map(str, years))}"
                                          for label, years in missing) + ".")


def ages_text(ages) -> str:
    """Claiming ages as years and months, a couple's with a slash ("—": no benefit); each the
    month the plan figures it at (:func:`claim_month`: 67.96 is 68 y 0 m, never 67 y 12 m)."""
    months = [None if a is None else round(claim_month(a) * 12) for a in ages]
    return " / ".join("—" if m is None else f"{m // 12} y {m % 12} m" for m in months)


def _row(label: str, c: Candidate, kept: tuple) -> dict:
    """A row of the comparison, each claim already made at its age (``kept``); a choice with
    which no plan meets the case's demands (the spending, the bequest) has no figures and
    ``"plan": false``.  Its state tax over the plan is null where a year's is not figured, and
    then ``state_tax_not_figured`` names the years (as a strategy's: docs/plan.md)."""
    figures = dict(c.exact or {})
    missing = figures.pop("state_tax_not_figured", [])
    row = {"choice": label,
           "claim_ages": [None if a is None else round(a, 4) for a in _with_kept(c.ages, kept)],
           "plan": bool(c.exact),
           **{k: None if v is None else amount(v) for k, v in figures.items()}}
    return row | ({"state_tax_not_figured": list(missing)} if missing else {})


def kept_claims_text(kept: tuple, names: list[str]) -> str | None:
    """One sentence for the claims already made that the search kept (``kept``: by person, the
    claiming age or None, :attr:`ClaimingSearch.kept`); None where there are none."""
    if not any(a is not None for a in kept):
        return None
    who = "; ".join(f"{n} at {ages_text([a])}" for n, a in zip(names, kept, strict=True)
                    if a is not None)
    return (f"Claimed before the plan's start, kept as the case says and not searched: {who}. "
            "An application for benefits can be withdrawn only within 12 months of the first "
            "month of entitlement, repaying every benefit paid on it (20 CFR 404.640(a)(4)); "
            "after that a benefit can only be suspended from full retirement age, its delayed "
            "credits added to the reduced benefit (20 CFR 404.313; SSA POMS RS 00615.690) — "
            "a suspension this plan does not model.")
