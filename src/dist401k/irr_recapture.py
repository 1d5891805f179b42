"""The part of a designated Roth payment allocable to in-plan Roth rollovers made within their
5 taxable years (Form 1099-R box 10; the 10% recapture) — arrays over a batch.

- The rule (IRC §402A(c)(4)(D), applying §408A(d)(3)(F); Notice 2010-84, Q&A-12): a
  distribution of an amount allocable to the taxable amount of an in-plan Roth rollover (IRR)
  within the 5-taxable-year period beginning with the first day of the taxable year of the
  rollover (law ``roth.in_plan_rollover_recapture_years``) is treated as includible in income
  for §72(t) only, its exceptions applying; a distribution rolled over to another designated
  Roth account or a Roth IRA is not (Q&A-12).
- The allocation this module makes (Notice 2010-84, Q&A-13, the Instructions for Forms 1099-R
  box 10 cite it): a nonqualified distribution from a designated Roth account recovers
  investment in the contract pro rata (§72(e)(8), §402A(d)(4)); the taxable amount of an IRR
  is investment in the contract.  The investment recovered is allocated first to the
  contributions other than IRRs, then to the IRRs oldest year first, as §408A(d)(4)(B)(ii)
  orders a Roth IRA's.  This ordering is the reading docs/forms.md states; the text of Q&A-13
  itself was not at hand when it was written (docs/forms.md, "Box 10").

All designated Roth money of the employee under the plan is one contract (Treas. Reg.
§1.402A-1, Q&A-9(a)), as :mod:`dist401k.basis` treats it: the investment a payment from any
Roth source recovers is allocated over the whole account's contributions and rollovers.

- Only for §72(t): §402A(c)(4)(D) treats the amount as includible "for purposes of" §72(t),
  which reaches a governmental 457(b) only where a distribution is attributable to amounts
  rolled in from a plan §4974(c) names (§72(t)(1), (9)).  An in-plan Roth rollover of the
  457(b)'s own money stays its own money: nothing of it is recaptured, and box 10, which reports
  the amount for the recapture, stays blank for it.  Money rolled into the 457(b) keeps it.
"""

from __future__ import annotations

import numpy as np

from dist401k.basis import roth_investment_share
from dist401k.sources import ROTH


def allocable_of_payment(b, alloc, period, outside) -> np.ndarray:
    """[n] what of a payment split by source (``alloc``, [n, S]) is allocable to in-plan Roth
    rollovers within ``period`` taxable years and reached by §72(t): the sum over the sources
    of :func:`allocable_by_source`."""
    return allocable_by_source(b, alloc, period, outside).sum(axis=1)


def allocable_by_source(b, alloc, period, outside) -> np.ndarray:
    """[n, S] what of a payment split by source (``alloc``, [n, S]) is allocable to each source's
    in-plan Roth rollovers within ``period`` taxable years: the investment the payment recovers
    from the one designated Roth contract (§72(e)(8); Treas. Reg. §1.402A-1, Q&A-9(a):
    :func:`dist401k.basis.roth_investment_share`), allocated over all the account's rollovers by
    :func:`allocable_by_rollover`; none on a rollover of a source ``outside`` ([n, S]) §72(t) —
    a governmental 457(b)'s own money (§72(t)(9)), which owes no recapture (module docstring)."""
    alloc = np.asarray(alloc, float)
    outside = np.asarray(outside, bool)
    roth = ROTH[None, :]
    recovered = (alloc * roth_investment_share(b.balance, b.roth_contributions)).sum(
        axis=1, keepdims=True)
    invested = (np.asarray(b.roth_contributions, float) * roth).sum(axis=1, keepdims=True)
    years = np.asarray(b.irr_year, float)
    one = np.where(np.isnan(years), -1.0, 0.0)
    allocable = allocable_by_rollover(recovered, invested, years, b.irr_amount, one,
                                      b.tax_year, period)  # [n, R]
    s = alloc.shape[1]
    src = np.where(np.isnan(years), -1, np.asarray(b.irr_source, float)).astype(np.int64)
    onehot = (src[:, :, None] == np.arange(s)[None, None, :]) & ~outside[:, None, :]
    return (onehot * allocable[:, :, None]).sum(axis=1)


def allocable_within_period(basis_paid, contributions, irr_year, irr_amount, irr_source,
                            tax_year, period, by_source: bool = False) -> np.ndarray:
    """[n] the investment recovered by the payment (``basis_paid``, [n, S] by source) that
    falls on the taxable amounts of in-plan Roth rollovers made within ``period`` taxable years
    of ``tax_year`` ([n, S], each source's own, where ``by_source``).  ``contributions``
    [n, S]: each source's investment in the contract, the IRRs' taxable amounts included;
    ``irr_year``, ``irr_amount``, ``irr_source`` [n, R]: each rollover's year (NaN: none),
    taxable amount still in the account and source index."""
    allocable = allocable_by_rollover(basis_paid, contributions, irr_year, irr_amount, irr_source,
                                      tax_year, period)
    if by_source:
        s = np.asarray(basis_paid).shape[1]
        src = np.where(np.isnan(np.asarray(irr_year, float)), -1,
                       np.asarray(irr_source, float)).astype(np.int64)
        return ((src[:, :, None] == np.arange(s)[None, None, :]) * allocable[:, :, None]).sum(axis=1)
    return allocable.sum(axis=1)


def allocable_by_rollover(basis_paid, contributions, irr_year, irr_amount, irr_source,
                          tax_year, period) -> np.ndarray:
    """[n, R] what of the investment recovered (``basis_paid``, [n, S]) falls on each in-plan
    Roth rollover made within ``period`` taxable years of ``tax_year``: each source's
    contributions other than rollovers first, then its rollovers oldest year first (module
    docstring); arguments as :func:`allocable_within_period`."""
    basis_paid = np.asarray(basis_paid, float)
    years = np.asarray(irr_year, float)
    n, r = years.shape
    s = basis_paid.shape[1]
    if r == 0:
        return np.zeros((n, 0))
    amount = np.where(np.isnan(years), 0.0, np.asarray(irr_amount, float))
    src = np.where(np.isnan(years), -1, np.asarray(irr_source, float)).astype(np.int64)
    onehot = src[:, :, None] == np.arange(s)[None, None, :]  # [n, R, S]
    irr_total = (onehot * amount[:, :, None]).sum(axis=1)  # [n, S]
    other = np.maximum(0.0, np.asarray(contributions, float) - irr_total)
    rest = np.maximum(0.0, basis_paid - other)  # [n, S]: what falls on the IRRs
    rest_of = np.take_along_axis(np.concatenate([rest, np.zeros((n, 1))], axis=1),
                                 np.where(src < 0, s, src), axis=1)  # [n, R]
    # The amounts of the same source's rollovers before each one (oldest year first).
    key = np.where(np.isnan(years), np.inf, years)
    idx = np.arange(r)
    earlier = (key[:, None, :] < key[:, :, None]) | (
        (key[:, None, :] == key[:, :, None]) & (idx[None, None, :] < idx[None, :, None]))
    same = src[:, None, :] == src[:, :, None]
    before = ((earlier & same) * amount[:, None, :]).sum(axis=2)
    taken = np.clip(rest_of - before, 0.0, amount)
    with np.errstate(invalid="ignore"):
        within = np.asarray(tax_year)[:, None] < years + np.asarray(period)[:, None]
    return taken * within  # [n, R]
