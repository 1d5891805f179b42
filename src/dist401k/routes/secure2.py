"""The SECURE 2.0 withdrawals a plan may adopt, each free of the 10% tax and each a
distributable event of its own: emergency personal expense (§72(t)(2)(I)), domestic abuse
(§72(t)(2)(K)), birth or adoption (§72(t)(2)(H)), qualified disaster recovery (§72(t)(11)) and
long-term care (§401(a)(39)).  Amounts come from any vested source, pro rata; the caps that are
shares of the nonforfeitable accrued benefit count the loans outstanding in it."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Purpose
from dist401k.dates import period_after
from dist401k.law.loader import Lookup
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, accrued_benefit

#: The purposes a case states that are emergency expenses: an emergency as such, and those of the
#: kinds Notice 2024-55, A-2 names — medical care, an accident or a loss of property due to
#: casualty (a disaster's too), imminent foreclosure or eviction from the primary residence, a
#: burial or funeral — with a domestic abuse victim's immediate needs ("any other necessary
#: emergency personal expenses").  Tuition, a home purchase, a birth or adoption and long-term
#: care premiums are planned expenses: not among them.
EMERGENCY_PURPOSES = (Purpose.EMERGENCY, Purpose.MEDICAL, Purpose.CASUALTY, Purpose.DISASTER,
                      Purpose.EVICTION, Purpose.FUNERAL, Purpose.DOMESTIC_ABUSE)


def not_an_emergency(b: CaseBatch) -> np.ndarray:
    """A purpose stated that is not an emergency expense (EMERGENCY_PURPOSES): the distribution
    is one "for purposes of meeting unforeseeable or immediate financial needs relating to
    necessary personal or family emergency expenses" (IRC §72(t)(2)(I)(iv)); the plan may rely on
    the employee's written certification of it (ibid.; Notice 2024-55, A-2), so the route stays
    open, with a caveat."""
    purpose = np.asarray(b.purpose)
    return (purpose != Purpose.NONE) & ~np.isin(purpose, EMERGENCY_PURPOSES)


def _result(route, b, ok, limit, reasons, purpose_ok, adopted):
    has = b.balance > 0
    eligible = (ok & purpose_ok & (limit > 0))[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {k: v[:, None] & has for k, v in reasons.items()}
    reasons["NOT_PURPOSE"] = (~purpose_ok & adopted)[:, None] & has
    return RouteResult(route, eligible, available, reasons, limit=np.where(ok, limit, 0.0))


def _purpose(b: CaseBatch, purpose: Purpose) -> np.ndarray:
    return b.purpose == purpose


def emergency_cap(lk: Lookup, balance) -> np.ndarray:
    """The most an emergency personal expense distribution may be: the lesser of the law's cap
    and the balance above the reserve (§72(t)(2)(I)(iii); an IRA's: the owner's interest in it)."""
    return np.minimum(lk.get("secure2.emergency_expense_cap"),
                      np.maximum(0.0, balance - lk.get("secure2.emergency_expense_reserve")))


def emergency_barred(b: CaseBatch, lk: Lookup) -> tuple[np.ndarray, np.ndarray]:
    """Cases barred from an emergency personal expense distribution: one already this year
    (§72(t)(2)(I)(ii)), or one in the waiting years not repaid ((I)(vii))."""
    this_year = b.last_emergency_year == b.tax_year
    waiting = (b.tax_year - b.last_emergency_year <= lk.get("secure2.emergency_expense_wait_years")
               ) & (b.emergency_unrepaid > 0) & ~this_year
    return this_year, waiting


def domestic_abuse_cap(lk: Lookup, balance) -> np.ndarray:
    """The most a domestic abuse victim distribution may be: the lesser of the law's cap and
    the law's share of the balance (§72(t)(2)(K)(ii))."""
    return np.minimum(lk.get("secure2.domestic_abuse_cap"),
                      lk.get("secure2.domestic_abuse_fraction") * balance)


def event_cap_left(b: CaseBatch, lk: Lookup, param: str) -> np.ndarray:
    """A per-event cap (birth or adoption, disaster) less what was already taken for the same
    event from all plans and IRAs."""
    return np.maximum(0.0, lk.get(param) - b.prior_event_distributions)


def emergency_expense(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap = emergency_cap(lk, accrued_benefit(b))
    this_year, waiting = emergency_barred(b, lk)
    adopted = b.emergency_expense_adopted
    ok = adopted & ~this_year & ~waiting
    return _result("emergency_expense", b, ok, cap, {
        "EP_NOT_ADOPTED": ~adopted, "EP_OK": ok & (cap > 0), "EP_THIS_YEAR": adopted & this_year,
        "EP_WAIT": adopted & waiting, "EP_RESERVE": adopted & (cap < lk.get(
            "secure2.emergency_expense_cap")),
        "EP_PURPOSE_NOT_EMERGENCY": ok & (cap > 0) & not_an_emergency(b)},
        # Self-certified: open whatever the request says its purpose is.
        np.ones(len(b), bool), adopted)


def _within_months(b, months):
    return ~np.isnat(b.event_date) & (b.request_date < period_after(b.event_date, months))


def within_event_window(b: CaseBatch, lk: Lookup) -> np.ndarray:
    """Paid "during the 1-year period beginning on" the birth, adoption or abuse
    (§72(t)(2)(H)(iii)(I), (K)(iii)(I)): the event day is the first day of the period, so an event of
    March 1 is covered through February 28 (29) of the next year, not on March 1; an event of
    February 29 through February 28."""
    return _within_months(b, lk.get("secure2.event_window_months").astype(np.int64))


def within_disaster_window(b: CaseBatch, lk: Lookup) -> np.ndarray:
    """Paid "before the date that is 180 days after the applicable date" of the disaster
    (§72(t)(11)(A)(i), (D)(i); the case's event date): the 180th day after it is already
    outside."""
    days = lk.get("secure2.disaster_window_days").astype("timedelta64[D]")
    return ~np.isnat(b.event_date) & (b.request_date < b.event_date + days)


def domestic_abuse(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap = domestic_abuse_cap(lk, accrued_benefit(b))
    adopted = b.domestic_abuse_adopted
    window = within_event_window(b, lk)
    ok = adopted & window
    purpose = _purpose(b, Purpose.DOMESTIC_ABUSE)
    return _result("domestic_abuse", b, ok, cap, {
        "DA_NOT_ADOPTED": ~adopted, "DA_OK": ok, "DA_WINDOW": adopted & purpose & ~window},
        purpose, adopted)


def birth_adoption(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap = event_cap_left(b, lk, "secure2.birth_adoption_cap")
    adopted = b.birth_adoption_adopted
    window = within_event_window(b, lk)
    ok = adopted & window
    purpose = _purpose(b, Purpose.BIRTH_ADOPTION)
    return _result("birth_adoption", b, ok, cap, {
        "BA_NOT_ADOPTED": ~adopted, "BA_OK": ok & (cap > 0), "BA_WINDOW": adopted & purpose & ~window,
        "EV_CAP_USED": ok & (cap <= 0)}, purpose, adopted)


def disaster(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap = event_cap_left(b, lk, "secure2.disaster_cap")
    adopted = b.disaster_adopted
    window = within_disaster_window(b, lk)
    ok = adopted & window & b.disaster_declared
    purpose = _purpose(b, Purpose.DISASTER)
    return _result("disaster", b, ok, cap, {
        "DS_NOT_ADOPTED": ~adopted, "DS_OK": ok & (cap > 0),
        "DS_NOT_DECLARED": adopted & purpose & ~b.disaster_declared,
        "DS_WINDOW": adopted & purpose & b.disaster_declared & ~window,
        "EV_CAP_USED": ok & (cap <= 0)}, purpose, adopted)


def long_term_care(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap_amt = lk.get("secure2.long_term_care_cap", before=0.0)
    in_force = cap_amt > 0
    cap = np.minimum.reduce([cap_amt,
                             lk.get("secure2.long_term_care_fraction", before=0.0) * accrued_benefit(b),
                             b.long_term_care_premiums])
    adopted = b.long_term_care_adopted
    ok = adopted & in_force & (b.long_term_care_premiums > 0)
    purpose = _purpose(b, Purpose.LONG_TERM_CARE)
    return _result("long_term_care", b, ok, cap, {
        "LT_NOT_ADOPTED": ~adopted, "LT_OK": ok, "LT_NOT_YET": adopted & ~in_force,
        "LT_NO_PREMIUMS": adopted & in_force & purpose & (b.long_term_care_premiums <= 0)},
        purpose, adopted)
