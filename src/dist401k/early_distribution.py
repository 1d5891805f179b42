"""The 10% additional tax on early distributions (IRC §72(t)) and the exceptions that reach a
distribution from the plan.  IRA-only exceptions (education, first home, health insurance while
unemployed) never apply to a plan distribution; :mod:`dist401k.outcome` says so."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import FIREFIGHTER_PLAN_TYPES, PlanType, SpouseElection
from dist401k.dates import age_at_year_end, year_of
from dist401k.routes.common import Facts, age_reached, plan_is
from dist401k.sources import INDEX

SECURE2_ROUTES = ("emergency_expense", "domestic_abuse", "birth_adoption", "disaster",
                  "long_term_care")


def exceptions(b: CaseBatch, f: Facts, route: str, on=None) -> dict[str, np.ndarray]:
    """Case-level masks of the exceptions that cover a whole distribution by ``route``, made
    on the request date or, where ``on`` gives it, on that day (a deemed distribution of a
    defaulted loan is made when its cure period ends, Treas. Reg. §1.72(p)-1, Q&A-10(a))."""
    if on is not None:
        out = _case_exceptions(b, f, on)
    else:
        if "exceptions" not in f.memo:
            f.memo["exceptions"] = _case_exceptions(b, f)
        out = dict(f.memo["exceptions"])
    out["PX_SECURE2"] = np.full(len(b), route in SECURE2_ROUTES)
    return {k: out[k] for k in _ORDER}


_ORDER = ("PX_AGE_59_HALF", "PX_DISABILITY", "PX_TERMINAL", "PX_SEPARATION_55",
          "PX_PUBLIC_SAFETY", "PX_SECURE2", "PX_DEATH")


def _case_exceptions(b: CaseBatch, f: Facts, on=None) -> dict[str, np.ndarray]:
    """The exceptions that depend on the person, not the route, for a payment made on ``on``
    (default: the request date): 59½ reached that day (§72(t)(2)(A)(i)); the rule of 55 and
    public safety only for a payment made after the separation (§72(t)(2)(A)(v), (10)).
    Disability, terminal illness and death are read as the case states them: it gives no
    date of their onset."""
    lk = f.lk
    left = ~np.isnat(b.separation_date)
    if on is not None:
        left &= b.separation_date <= np.asarray(on, dtype="datetime64[D]")
    sep_year = np.where(left, year_of(b.separation_date), 0)
    separated = f.separated & (sep_year > 0)
    at_59_half = f.at_59_half if on is None else age_reached(
        b, lk.get("early_distributions.age"), on)
    age_at_sep_year = age_at_year_end(b.birth_date, sep_year)
    rule_55 = separated & (age_at_sep_year >= lk.get("early_distributions.separation_age"))
    # §72(t)(10)(A): a qualified public safety employee of a governmental plan — a State's or
    # locality's firefighter is one by definition, §72(t)(10)(B) — or, from any §401(a) plan
    # or 403(b), one who provides firefighting services (SECURE 2.0 §308).
    covered = (b.governmental & (b.qualified_public_safety | b.firefighter)) | (
        b.firefighter & np.isin(b.plan_type, FIREFIGHTER_PLAN_TYPES))
    safety = separated & covered & (
        (age_at_sep_year >= lk.get("early_distributions.public_safety_age"))
        | (b.years_of_service >= lk.get("early_distributions.public_safety_years")))
    return {
        "PX_AGE_59_HALF": at_59_half,
        "PX_DISABILITY": b.disabled,
        "PX_TERMINAL": b.terminally_ill,
        "PX_SEPARATION_55": rule_55 & ~at_59_half,
        "PX_PUBLIC_SAFETY": safety & ~rule_55 & ~at_59_half,
        "PX_DEATH": death_exception(b),
    }


def death_exception(b: CaseBatch) -> np.ndarray:
    """Paid to a beneficiary on or after the employee's death (§72(t)(2)(A)(ii)): an inherited
    account, unless a surviving spouse made it their own (rolled it over or treated an
    inherited IRA as theirs), after which it is the spouse's money (Treas. Reg. §1.408-8(c))."""
    own = np.asarray(b.spouse_election) == SpouseElection.OWN
    return np.asarray(b.inherited, bool) & ~own


def exempt_457(b: CaseBatch) -> np.ndarray:
    """[n, S]: governmental 457(b) money is outside §72(t), except money rolled in from a
    qualified plan, 403(b) or IRA (§72(t)(9))."""
    gov = plan_is(b, PlanType.GOVERNMENTAL_457B)[:, None]
    rolled_in = np.zeros(b.balance.shape[1], bool)
    rolled_in[INDEX["rollover_pretax"]] = True
    rolled_in[INDEX["rollover_roth"]] = True
    return gov & ~rolled_in[None, :]


def medical_exception(medical_expenses, agi_with_distribution, floor_rate) -> np.ndarray:
    """Dollars of the distribution free of the 10% tax for medical care: expenses above the
    floor, measured on AGI that includes the distribution itself (§72(t)(2)(B))."""
    return np.maximum(0.0, medical_expenses - floor_rate * agi_with_distribution)
