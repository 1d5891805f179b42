"""A loan that goes bad: the deemed distribution of a defaulted loan (code L) and the loan
offset at severance or plan termination (code M).

A loan payment missed and not made up by the end of the plan's cure period makes the loan a
deemed distribution (IRC §72(p)(1), §72(p)(2)(C); Treas. Reg. §1.72(p)-1, Q&A-4(a)): the cure
period cannot run past the last day of the calendar quarter after the quarter in which the
payment was due (Q&A-10(a)), and the amount is the entire outstanding balance of the loan,
with its accrued interest, at that time (Q&A-10(b)).  It is taxable and not an eligible
rollover distribution (Treas. Reg. §1.402(c)-2, Q&A-4(d)); the participant still owes the loan.

A loan still owed when the participant leaves the job, or when the plan terminates, is offset
against the account: an actual distribution, which may be rolled over (Treas. Reg.
§1.402(c)-2, Q&A-9).  Offset because of the severance, within the law's months after it, or
because the plan terminates, it is a qualified plan loan offset (§402(c)(3)(C)), which may be
rolled over until the due date, with extensions, of the return for the year of the offset;
any other offset keeps the 60 days of §402(c)(3)(A).

Both routes take the loan as made from the money other than designated Roth money, in
proportion to its vested balances (docs/forms.md: which money a loan was made from is not
distinguished); an account that holds designated Roth money only lent that money, and the
loan is taken from it (reasons ``LD_ROTH_ONLY``, ``LO_ROTH_ONLY``; dist401k.loan_outcome
taxes it).
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.dates import INTEREST_DAYS_PER_YEAR, add_months, quarter_end, year_of
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts
from dist401k.sources import INDEX, ROTH, S

#: The money a loan of an account with no vested money is taken as lent from: the pre-tax
#: elective deferrals (:func:`lent_weights`).
ASSUMED_LENDER = np.arange(S) == INDEX["elective_deferral"]


def cure_period_end(missed, cure_days, latest_quarters) -> np.ndarray:
    """The last day a missed payment may be made up (Treas. Reg. §1.72(p)-1, Q&A-10(a)): the
    plan's cure period in days after the due date, never past the last day of the calendar
    quarter ``latest_quarters`` after the quarter it was due; no plan period (NaN): that day."""
    missed = np.asarray(missed, dtype="datetime64[D]")
    latest = quarter_end(missed, latest_quarters)
    days = np.asarray(cure_days, dtype=float)
    by_plan = missed + np.where(np.isnan(days), 0, days).astype(np.int64).astype("timedelta64[D]")
    return np.where(np.isnan(days), latest, np.minimum(latest, by_plan))


def accrued_interest(balance, yearly_rate, since, until, given) -> np.ndarray:
    """Interest accrued and unpaid on ``balance``: as the plan's books give it, or simple
    interest at the loan's yearly rate, day by day, from ``since`` to ``until``."""
    days = np.maximum(0, (np.asarray(until, dtype="datetime64[D]")
                          - np.asarray(since, dtype="datetime64[D]")).astype(np.int64))
    figured = np.asarray(balance) * np.asarray(yearly_rate) * days / INTEREST_DAYS_PER_YEAR
    return np.where(np.isnan(given), figured, given)


def roth_only(b: CaseBatch) -> np.ndarray:
    """The accounts whose only vested money is designated Roth money: their loan was made
    from it."""
    roth = ROTH[None, :]
    vested = b.vested_balance
    return ((vested * ~roth).sum(axis=1) <= 0) & ((vested * roth).sum(axis=1) > 0)


def _spread(b: CaseBatch, amount, open_) -> tuple[np.ndarray, np.ndarray]:
    """``amount`` over the sources that lent the loan (:func:`lenders`), pro rata to their
    vested balance (:func:`lent_weights`): (eligible [n, S], available [n, S])."""
    w = lent_weights(b)
    eligible = open_[:, None] & (w > 0)
    return eligible, np.where(eligible, w * amount[:, None], 0.0)


def lent_weights(b: CaseBatch) -> np.ndarray:
    """Each source's share of the loan [n, S]: the money other than designated Roth money, pro
    rata to its vested balance, or the designated Roth money where the account holds no other
    (:func:`roth_only`).  An account that holds no vested money at all still owns the loan
    receivable (the loan is an asset of the account: Treas. Reg. §1.72(p)-1, Q&A-4, Q&A-13):
    which money lent it is not known, and it is taken as made from the pre-tax elective
    deferrals, as an account holding a cent of them has it (reasons ``LD_LENT_FROM_UNKNOWN``,
    ``LO_LENT_FROM_UNKNOWN``)."""
    roth = ROTH[None, :]
    lent = np.where(roth_only(b)[:, None] == roth, b.vested_balance, 0.0)
    total = lent.sum(axis=1, keepdims=True)
    unknown = (total[:, 0] <= 0) & (b.loan_outstanding > 0)
    lent = np.where(unknown[:, None], ASSUMED_LENDER[None, :].astype(float), lent)
    total = lent.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, lent / total, 0.0)


def lender_unknown(b: CaseBatch) -> np.ndarray:
    """The accounts that owe a loan and hold no vested money: which money lent it is not
    known (:func:`lent_weights`)."""
    return (b.vested_balance.sum(axis=1) <= 0) & (b.loan_outstanding > 0)


def shown_cells(b: CaseBatch) -> np.ndarray:
    """The cells [n, S] a loan route's reasons are given on: the sources with a balance, and
    those taken to have lent the loan of an account that holds no other money."""
    return (b.balance > 0) | (lender_unknown(b)[:, None] & ASSUMED_LENDER[None, :])


def deemed_facts(b: CaseBatch, f: Facts) -> dict[str, np.ndarray]:
    """The missed payment's cure period, and whether it ended before the request date."""
    missed = ~np.isnat(b.loan_missed_date) & (b.loan_outstanding > 0)
    end = cure_period_end(b.loan_missed_date, b.loan_cure_days,
                          f.lk.get("loans.cure_period_quarters").astype(np.int64))
    ended = missed & (b.request_date > end)
    return {"missed": missed, "cure_end": end, "ended": ended,
            "this_year": ended & (year_of(end) == b.tax_year)}


def loan_deemed(b: CaseBatch, f: Facts) -> RouteResult:
    """The deemed distribution of a defaulted loan, in the year its cure period ended."""
    d = deemed_facts(b, f)
    interest = accrued_interest(b.loan_outstanding, b.loan_rate, b.loan_missed_date,
                                d["cure_end"], b.loan_accrued_interest)
    amount = np.where(d["missed"], b.loan_outstanding + interest, 0.0)
    eligible, available = _spread(b, amount, d["this_year"])
    case = {
        "LD_PAID_UP": (b.loan_outstanding > 0) & ~d["missed"],
        "LD_CURE_OPEN": d["missed"] & ~d["ended"],
        "LD_DEEMED": d["this_year"],
        "LD_EARLIER_YEAR": d["ended"] & ~d["this_year"],
        "LD_ROTH_ONLY": d["this_year"] & roth_only(b),
        "LD_LENT_FROM_UNKNOWN": d["this_year"] & lender_unknown(b),
    }
    has = shown_cells(b)
    reasons = {k: v[:, None] & has for k, v in case.items()}
    return RouteResult("loan_deemed", eligible, available, reasons,
                       extra={"cure_end": d["cure_end"], "amount": amount,
                              "accrued_interest": np.where(d["missed"], interest, 0.0),
                              "missed": d["missed"], "deemed": d["ended"]})


def loan_offset(b: CaseBatch, f: Facts) -> RouteResult:
    """The offset of a loan still owed against the account, on a distribution after severance
    or on the plan's termination; qualified (§402(c)(3)(C)) on termination, or within the
    law's months after the severance."""
    owed = b.loan_outstanding > 0
    deemed_before = deemed_facts(b, f)["ended"]
    event = f.separated | b.plan_terminated
    open_ = owed & event & ~deemed_before
    window = f.lk.get("rollover.loan_offset_months_after_severance").astype(np.int64)
    in_window = f.separated & ~np.isnat(b.separation_date) & (
        b.request_date <= add_months(b.separation_date, window))
    qualified = open_ & (b.plan_terminated | in_window)
    interest = np.where(np.isnan(b.loan_accrued_interest), 0.0, b.loan_accrued_interest)
    amount = np.where(open_, b.loan_outstanding + interest, 0.0)
    eligible, available = _spread(b, amount, open_)
    case = {
        "LO_QUALIFIED": qualified,
        "LO_NOT_QUALIFIED": open_ & ~qualified,
        "LO_DEEMED_BEFORE": owed & event & deemed_before,
        "LO_STILL_WORKING": owed & ~event,
        "LO_ROTH_ONLY": open_ & roth_only(b),
        "LO_LENT_FROM_UNKNOWN": open_ & lender_unknown(b),
    }
    has = shown_cells(b)
    reasons = {k: v[:, None] & has for k, v in case.items()}
    return RouteResult("loan_offset", eligible, available, reasons,
                       extra={"amount": amount, "qualified": qualified})
