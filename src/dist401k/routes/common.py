"""Facts every route asks about the person on the day of the request (arrays over the batch)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Destination, PlanType
from dist401k.dates import anniversary, as_dates, year_of
from dist401k.law.loader import Law, Lookup


def accrued_benefit(b: CaseBatch) -> np.ndarray:
    """Each case's nonforfeitable accrued benefit: its vested money and the loans it holds as
    receivables (a source's ``balance`` counts no loan outstanding) — what §72(p)(2)(A),
    §72(t)(2)(I), (K), §401(a)(39) and §457(e)(9) measure."""
    return b.vested_balance.sum(axis=1) + b.loan_outstanding


def plan_is(b: CaseBatch, *types: PlanType) -> np.ndarray:
    return np.isin(b.plan_type, types)


def asks_for_elsewhere(b: CaseBatch) -> np.ndarray:
    """Cases whose request asks for the money to go somewhere other than to the participant
    (``request.destination`` neither ``cash`` nor ``all``): an IRA, another plan, a 60-day
    rollover or the split of Notice 2014-54."""
    return ~np.isin(np.asarray(b.destination), (Destination.ALL, Destination.CASH))


def asks_for(b: CaseBatch, dest: Destination) -> np.ndarray:
    """Cases whose request asks for destination ``dest`` (``request.destination``)."""
    return np.asarray(b.destination) == dest


#: The reason codes' suffixes of the plan types whose rule differs from a 401(k)'s: a reason
#: of the severance from employment cites §403(b)(7)(A)(i) for a custodial account,
#: §403(b)(11) for an annuity contract, §457(d)(1)(A)(ii) for a governmental 457(b), and
#: §401(k)(2)(B)(i)(I) (the code without a suffix) for the rest.
PLAN_TYPE_SUFFIX = {PlanType.PLAN_403B7: "_403B7", PlanType.PLAN_403B_ANNUITY: "_403B",
                    PlanType.GOVERNMENTAL_457B: "_457B"}


def by_plan_type(b: CaseBatch, code: str, mask: np.ndarray) -> dict[str, np.ndarray]:
    """``mask`` ([n] or [n, S]) under ``code`` and its plan types' variants (PLAN_TYPE_SUFFIX),
    each case under its own plan type's code: each plan type cites its own rule."""
    rows = (slice(None),) + (None,) * (mask.ndim - 1)
    out = {code + suffix: mask & plan_is(b, t)[rows] for t, suffix in PLAN_TYPE_SUFFIX.items()}
    out[code] = mask & ~plan_is(b, *PLAN_TYPE_SUFFIX)[rows]
    return out


def age_reached(b: CaseBatch, age, on=None, born=None) -> np.ndarray:
    """True where the person (or whoever was ``born`` then) has reached ``age`` (years, halves
    allowed) on ``on`` (default: the request date).  59½ is reached six calendar months after
    the 59th birthday."""
    age = np.asarray(age, dtype=float)
    months = np.round(np.where(np.isnan(age), 0, age) * 12).astype(np.int64)
    day = b.request_date if on is None else as_dates(on)
    birth = b.birth_date if born is None else born
    return np.where(np.isnan(age), True, day >= anniversary(birth, 0, months))


def age_in_year(b: CaseBatch, age, born=None) -> np.ndarray:
    """True where the person (or whoever was ``born`` then) reaches ``age`` in or before the
    calendar year of the request."""
    months = np.round(np.asarray(age, dtype=float) * 12).astype(np.int64)
    return year_of(anniversary(b.birth_date if born is None else born, 0, months)) <= b.tax_year


@dataclass
class Facts:
    """What the rules share: the law for the batch, 59½, separation status."""

    law: Law
    lk: Lookup
    at_59_half: np.ndarray
    separated: np.ndarray
    #: Case facts derived once per batch by the modules that use them (keyed by their name).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def subset(self, index: np.ndarray) -> "Facts":
        return Facts(self.law, self.lk.subset(index), self.at_59_half[index],
                     self.separated[index])

    @classmethod
    def of(cls, b: CaseBatch, law: Law) -> "Facts":
        lk = Lookup(law, b.tax_year)
        return cls(
            law=law,
            lk=lk,
            at_59_half=age_reached(b, lk.get("early_distributions.age")),
            separated=~b.active,
        )
