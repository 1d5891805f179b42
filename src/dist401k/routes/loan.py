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
from dist401k.money import amount
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, accrued_benefit


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


def loan(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    vested = b.vested_balance
    maximum = loan_maximum(accrued_benefit(b), b.loan_outstanding, b.loan_highest, b.loans_floor,
                           lk.get("loans.dollar_cap"), lk.get("loans.vested_fraction"),
                           lk.get("loans.floor"))
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
        "LN_MAXIMUM": eligible,
        "LN_TERM": (ok & ~residence)[:, None] & eligible,
        "LN_RESIDENCE": (ok & residence & ~by_purpose)[:, None] & eligible,
        "LN_RESIDENCE_BY_PURPOSE": (ok & by_purpose)[:, None] & eligible,
        "LN_NOT_TAXED": eligible,
    }
    return RouteResult("loan", eligible, available, reasons, limit=np.where(ok, maximum, 0.0),
                       extra={"maximum": maximum, "principal": np.where(ok, requested, 0.0),
                              "payment": payment, "payments_per_year": per_year.astype(float),
                              "term_years": years.astype(float),
                              "total_interest": np.where(ok, payment * years * per_year
                                                         - requested, 0.0)})
