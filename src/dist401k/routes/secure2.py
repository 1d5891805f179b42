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
from dist401k.law.loader import Law, Lookup
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, accrued_benefit, asks_for_elsewhere

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


#: Each route's reason for a request to an IRA, another plan or a 60-day rollover: none of these
#: distributions is an eligible rollover distribution for §401(a)(31), §402(f) and §3405 — birth
#: or adoption §72(t)(2)(H)(vi)(II), emergency expense (I)(viii), domestic abuse (K)(vi)(II),
#: long-term care (N)(iii), disaster §72(t)(11)(G)(i) — so the plan pays them in cash only
#: (dist401k.outcome.ROLLABLE); all but long-term care may be repaid within 3 years as a rollover.
NOT_ROLLABLE = {"emergency_expense": "EP_NOT_ROLLABLE", "domestic_abuse": "DA_NOT_ROLLABLE",
                "birth_adoption": "BA_NOT_ROLLABLE", "disaster": "DS_NOT_ROLLABLE",
                "long_term_care": "LT_NOT_ROLLABLE"}


def _result(route, b, ok, limit, reasons, purpose_ok, adopted):
    has = b.balance > 0
    eligible = (ok & purpose_ok & (limit > 0))[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {k: v[:, None] & has for k, v in reasons.items()}
    reasons["NOT_PURPOSE"] = (~purpose_ok & adopted)[:, None] & has
    reasons[NOT_ROLLABLE[route]] = asks_for_elsewhere(b)[:, None] & eligible
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
    (§72(t)(2)(I)(ii)); or one in the immediately following calendar years (the law's wait)
    unless it "is fully repaid" or "the aggregate of the elective deferrals and employee
    contributions to the plan (or ... to the IRA) made after such distribution is at least
    equal to the amount of such distribution that has not been repaid" ((I)(vii); Notice
    2024-55): ``account.emergency_unrepaid`` left and ``account.emergency_contributions_since``
    short of it."""
    this_year = b.last_emergency_year == b.tax_year
    unrepaid = b.emergency_unrepaid
    waiting = (b.tax_year - b.last_emergency_year <= lk.get("secure2.emergency_expense_wait_years")
               ) & (unrepaid > 0) & (b.emergency_contributions_since < unrepaid) & ~this_year
    return this_year, waiting


def domestic_abuse_cap(b: CaseBatch, lk: Lookup, balance) -> np.ndarray:
    """The most a domestic abuse victim distribution may be: "The aggregate amount which may be
    treated as an eligible distribution to a domestic abuse victim by any individual shall not
    exceed" the lesser of the law's cap and the law's share of the balance (§72(t)(2)(K)(ii);
    Notice 2024-55), so less what the individual already treated as such
    (``account.prior_event_distributions``)."""
    limit = np.minimum(lk.get("secure2.domestic_abuse_cap"),
                       lk.get("secure2.domestic_abuse_fraction") * balance)
    return np.maximum(0.0, limit - b.prior_event_distributions)


def event_cap_left(b: CaseBatch, lk: Lookup, param: str, per=1.0) -> np.ndarray:
    """A per-event cap (birth or adoption, disaster), ``per`` times over, less what was already
    taken for the same event from all plans and IRAs."""
    return np.maximum(0.0, lk.get(param) * per - b.prior_event_distributions)


def birth_adoption_cap(b: CaseBatch, lk: Lookup) -> np.ndarray:
    """The most left to treat as qualified birth or adoption distributions: the law's cap
    "with respect to any birth or adoption" (§72(t)(2)(H)(ii)), per child — Notice 2020-68
    (twins: twice the cap for each parent) — times the children of the event
    (``request.event_children``), less what was already taken for them."""
    return event_cap_left(b, lk, "secure2.birth_adoption_cap", b.event_children)


def in_force_on(law: Law, name: str, day: np.ndarray) -> np.ndarray:
    """Whether the provision ``name`` (a yes/no read by date, for one whose effective date is
    mid-year) is in force on each ``day``: False before its first value."""
    p = law.param(name)
    starts = np.array([np.datetime64(d, "D") for d in p.dates])
    values = np.array([bool(v) for v in p.raw_values])
    j = np.searchsorted(starts, np.asarray(day, "datetime64[D]"), side="right") - 1
    return np.where(j >= 0, values[np.maximum(j, 0)], False)


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


def disaster_applicable_date(b: CaseBatch) -> np.ndarray:
    """The applicable date of §72(t)(11)(D): the latest of the incident period's first day
    (``request.event_date``) and the declaration (``request.disaster_declaration_date``; not
    given: the event date is both).  The third date, the enactment (December 29, 2022), is never
    the latest for a payment of a year dist401k has law for (2024 on): the window it sets closed
    on June 26, 2023 (Instructions for Form 8915-F)."""
    declared = np.asarray(b.disaster_declaration_date, "datetime64[D]")
    return np.where(np.isnat(declared), b.event_date, np.maximum(b.event_date, declared))


def within_disaster_window(b: CaseBatch, lk: Lookup) -> np.ndarray:
    """Made "on or after the first day of the incident period of a qualified disaster and before
    the date that is 180 days after the applicable date" (§72(t)(11)(A)(i)): from the event
    date (the incident's first day) — a payment before a later declaration included — to the
    day before the 180th after :func:`disaster_applicable_date`, which is already outside."""
    days = lk.get("secure2.disaster_window_days").astype("timedelta64[D]")
    start = b.event_date
    return ~np.isnat(start) & (b.request_date >= start) & (
        b.request_date < disaster_applicable_date(b) + days)


def domestic_abuse(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap = domestic_abuse_cap(b, lk, accrued_benefit(b))
    adopted = b.domestic_abuse_adopted
    window = within_event_window(b, lk)
    ok = adopted & window
    purpose = _purpose(b, Purpose.DOMESTIC_ABUSE)
    return _result("domestic_abuse", b, ok, cap, {
        "DA_NOT_ADOPTED": ~adopted, "DA_OK": ok & (cap > 0), "DA_WINDOW": adopted & purpose & ~window,
        "EV_CAP_USED": ok & (cap <= 0)}, purpose, adopted)


def birth_adoption(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    cap = birth_adoption_cap(b, lk)
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
    """A qualified long-term care distribution (§401(a)(39)): for distributions made after
    the day SECURE 2.0 §334 names, 3 years after its enactment
    (``secure2.long_term_care_in_force``, read by the request's date), the least of the law's
    cap, its share of the vested accrued benefit and the premiums."""
    lk = f.lk
    in_force = in_force_on(f.law, "secure2.long_term_care_in_force", b.request_date)
    cap_amt = np.where(in_force, lk.get("secure2.long_term_care_cap", before=0.0), 0.0)
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
