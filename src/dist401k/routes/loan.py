"""Plan loans: the IRC §72(p)(2) limits, the term and the level payment.

A loan within the limits is not a distribution (§72(p)(1)); it is repaid in substantially
level payments at least quarterly within five years, longer for a principal residence.

The sources' balances are the money in them, not counting the loans outstanding (the loan
receivable, ``account.loans.outstanding``): the accrued benefit the limits are figured on is
the vested balance and the loans outstanding together.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Purpose
from dist401k.money import HALF_CENT, amount
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, accrued_benefit, asks_for_elsewhere
from dist401k.routes.loan_default import accrued_interest, deemed_facts


def loan_maximum(accrued, outstanding, highest_12m, floor_allowed, dollar_cap, fraction,
                 floor) -> np.ndarray:
    """The largest new loan (IRC §72(p)(2)(A)): total loans may not exceed the lesser of
    (i) $50,000 less (highest balance in the past year − balance today) and (ii) the greater of
    half the present value of the nonforfeitable accrued benefit and $10,000 (where the plan
    lends to the floor, never more than that benefit); less loans outstanding, not below zero.

    ``accrued``: the vested money in the sources and the loans outstanding together
    (:func:`~dist401k.routes.common.accrued_benefit`: a source's ``balance`` counts no loan)."""
    cap = dollar_cap - np.maximum(0.0, highest_12m - outstanding)
    half = fraction * accrued
    share = np.where(floor_allowed, np.maximum(half, np.minimum(floor, accrued)), half)
    return np.maximum(0.0, np.minimum(cap, share) - outstanding)


def level_payment(principal, yearly_rate, years, per_year) -> np.ndarray:
    """The level payment that repays ``principal`` over ``years`` at ``per_year`` payments."""
    n = np.asarray(years) * np.asarray(per_year)
    r = np.asarray(yearly_rate) / np.asarray(per_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        pay = np.where(r > 0, principal * r / (1 - (1 + r) ** -n), principal / n)
    return pay


def amortization(principal: float, yearly_rate: float, years: float, per_year: int) -> list[dict]:
    """The payment schedule of one loan: each payment's interest, principal and balance."""
    return [dict(zip(_SCHEDULE_FIELDS, row, strict=True)) for row in
            _amortization(float(principal), float(yearly_rate), float(years), int(per_year))]


#: How many loan schedules are remembered (a cache: the same loan is asked for again).
SCHEDULES_KEPT = 4096

_SCHEDULE_FIELDS = ("payment", "amount", "interest", "principal", "balance")


@lru_cache(maxsize=SCHEDULES_KEPT)
def _amortization(principal: float, yearly_rate: float, years: float,
                  per_year: int) -> tuple[tuple, ...]:
    n = int(round(years * per_year))
    pay = float(level_payment(principal, yearly_rate, years, per_year))
    r = yearly_rate / per_year
    balance, rows = principal, []
    for k in range(1, n + 1):
        interest = balance * r
        part = min(balance, pay - interest) if k < n else balance
        balance -= part
        rows.append((k, amount(part + interest), amount(interest), amount(part),
                     amount(max(balance, 0.0))))
    return tuple(rows)


def residence_loan(b: CaseBatch) -> tuple[np.ndarray, np.ndarray]:
    """Whether the new loan is a principal residence loan, and whether that is read from the
    request's purpose. IRC §72(p)(2)(B)(ii): the five-year limit "shall not apply to any loan
    used to acquire any dwelling unit which within a reasonable time is to be used ... as a
    principal residence of the participant". ``account.loans.residence`` says it (1 / 0); not
    given (NaN), a request whose purpose is buying the principal residence (``home_purchase``,
    the safe-harbor need of Treas. Reg. §1.401(k)-1(d)(3)(ii)(B)(2)) is taken as one."""
    stated = np.asarray(b.loan_residence, float)
    by_purpose = np.isnan(stated) & (np.asarray(b.purpose) == Purpose.HOME_PURCHASE)
    return (stated == 1) | by_purpose, by_purpose


def dollar_cap_binds(accrued, floor_allowed, dollar_cap, fraction, floor) -> np.ndarray:
    """Where the $50,000 of §72(p)(2)(A)(i), unreduced, is no more than the limit of (ii) (half
    the accrued benefit, or the floor): there a highest balance of the last 12 months above
    today's lowers the maximum dollar for dollar."""
    half = fraction * accrued
    share = np.where(floor_allowed, np.maximum(half, np.minimum(floor, accrued)), half)
    return dollar_cap <= share


def deemed_unpaid(b: CaseBatch, f: Facts) -> tuple[np.ndarray, np.ndarray]:
    """Where a loan was deemed distributed (its cure period over, dist401k.routes.loan_default)
    and is still owed, and the loans outstanding for a new loan's maximum: a deemed loan not
    repaid (by payments or a plan loan offset) is still outstanding for §72(p)(2)(A), with its
    interest (Treas. Reg. §1.72(p)-1, Q&A-19(b)(1)) — the amount deemed, the balance with the
    interest to the end of the cure period (Q&A-10(b))."""
    d = deemed_facts(b, f)
    unpaid = d["ended"]
    interest = accrued_interest(b.loan_outstanding, b.loan_rate, b.loan_missed_date,
                                d["cure_end"], b.loan_accrued_interest)
    return unpaid, b.loan_outstanding + np.where(unpaid, interest, 0.0)


def loan(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    vested = b.vested_balance
    after_deemed, outstanding = deemed_unpaid(b, f)
    accrued = accrued_benefit(b)
    cap, fraction, floor = (lk.get("loans.dollar_cap"), lk.get("loans.vested_fraction"),
                            lk.get("loans.floor"))
    maximum = loan_maximum(accrued, outstanding, b.loan_highest, b.loans_floor, cap, fraction,
                           floor)
    # The highest balance of the last 12 months not above today's: none taken off the $50,000.
    highest_none = (b.loan_outstanding > 0) & (b.loan_highest <= b.loan_outstanding + HALF_CENT)
    count_ok = b.loan_count < b.loans_max_count
    offered = b.loans_allowed
    per_year = b.loan_payments_per_year
    # Level amortization with payments at least as often as the law's minimum (§72(p)(2)(C)).
    level = per_year >= lk.get("loans.min_payments_per_year")
    ok = offered & count_ok & level & (maximum > 0)
    has = b.balance > 0
    eligible = ok[:, None] & has
    available = np.where(eligible, vested, 0.0)
    requested = np.where(np.isnan(b.amount), maximum, np.minimum(b.amount, maximum))
    residence, by_purpose = residence_loan(b)
    years = np.where(residence, b.loan_residence_term, lk.get("loans.term_years"))
    payment = np.where(ok, level_payment(requested, b.loan_rate, years, per_year), 0.0)
    reasons = {
        "LN_NOT_OFFERED": (~offered)[:, None] & has,
        "LN_COUNT": (offered & ~count_ok)[:, None] & has,
        "LN_PAYMENTS": (offered & count_ok & ~level)[:, None] & has,
        "LN_NONE_LEFT": (offered & count_ok & level & (maximum <= 0))[:, None] & has,
        "LN_HIGHEST_ASSUMED": (offered & count_ok & level & highest_none & dollar_cap_binds(
            accrued, b.loans_floor, cap, fraction, floor))[:, None] & has,
        "LN_AFTER_DEEMED": (ok & after_deemed)[:, None] & eligible,
        "LN_MAXIMUM": eligible,
        "LN_TERM": (ok & ~residence)[:, None] & eligible,
        "LN_RESIDENCE": (ok & residence & ~by_purpose)[:, None] & eligible,
        "LN_RESIDENCE_BY_PURPOSE": (ok & by_purpose)[:, None] & eligible,
        "LN_NOT_TAXED": eligible,
        # A loan is paid to the participant, never to an IRA or a plan: it is no distribution,
        # so nothing of it can be rolled over (§72(p)(1); §402(c)(1)).
        "LN_NOT_TO_IRA": asks_for_elsewhere(b)[:, None] & eligible,
    }
    return RouteResult("loan", eligible, available, reasons, limit=np.where(ok, maximum, 0.0),
                       extra={"maximum": maximum, "principal": np.where(ok, requested, 0.0),
                              "payment": payment, "payments_per_year": per_year.astype(float),
                              "term_years": years.astype(float),
                              "total_interest": np.where(ok, payment * years * per_year
                                                         - requested, 0.0)})
