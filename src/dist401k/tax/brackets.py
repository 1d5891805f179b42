"""The ordinary income tax on taxable income: the rate schedules of IRC §1(j)."""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup


def schedule_tax(lk: Lookup, thresholds_name: str, rates_name: str, amount) -> np.ndarray:
    """Tax on ``amount`` by a rate schedule: the thresholds are the upper ends of the first k
    brackets, the rates the k+1 rates; each dollar is taxed at its bracket's rate.

    The cumulative tax at each bracket's lower end is figured once per (year, status) pair;
    each unit then needs only its bracket: tax = cumulative + rate × (amount − lower end).
    """
    upper, rates, lower, cumulative = lk.per_pair(
        ("schedule", thresholds_name, rates_name),
        lambda lk: _schedule(lk.small(thresholds_name), lk.small(rates_name)))
    k = upper.shape[1]
    amount = np.maximum(0.0, np.asarray(amount, dtype=float))
    if lk.shared:
        # One (year, status) pair for every unit: its schedule, with no gather.
        bracket = _bracket(amount, upper[0])
        return (cumulative[0].take(bracket)
                + rates[0].take(bracket) * (amount - lower[0].take(bracket)))
    # Each unit's ends (one row an end, contiguous) and where its pair's row starts in the
    # flattened per-pair values: gathered once for the batch (a planner's year reads them on
    # every pass of its fixed point).
    ends, start = lk.gathered(("schedule", thresholds_name, rates_name), lambda: (
        np.ascontiguousarray(np.take(upper, lk.combo, axis=0).T), lk.combo * (k + 1)))
    flat = start + _bracket(amount, ends)
    return (
        cumulative.reshape(-1)[flat]
        + rates.reshape(-1)[flat] * (amount - lower.reshape(-1)[flat])
    )


def _bracket(amount, upper) -> np.ndarray:
    """The bracket of each amount: how many upper ends (``upper[j]``, one value or one a unit
    for each j) are at or below it."""
    return ends_passed(amount, upper)


def ends_passed(amount, ends, strict: bool = False) -> np.ndarray:
    """How many of ``ends`` (``ends[j]``: one value, or one for each amount) each amount has
    reached (``strict``: passed) — counted one end at a time, with no (amounts × ends)
    temporary, in bytes where the ends are few (adding a comparison's bytes costs a third of
    adding them to machine integers)."""
    small = len(ends) < np.iinfo(np.int8).max
    count = np.zeros(np.shape(amount), dtype=np.int8 if small else np.intp)
    for end in ends:
        hit = amount > end if strict else amount >= end
        count += hit.view(np.int8) if small else hit
    return count


def ordinary_tax(lk: Lookup, taxable) -> np.ndarray:
    """Tax on taxable income at the ordinary rates (Tax Computation Worksheet / §1(j)(2)).

    Computed by formula on the exact amount: the IRS tax table, used below $100,000, taxes the
    middle of each $50 band instead, so a return filed with the table can differ by a few dollars.
    """
    return schedule_tax(lk, "income_tax.brackets", "income_tax.rates", taxable)


def _schedule(upper, rates):
    """A schedule's upper ends, rates, lower ends and the cumulative tax at each lower end,
    per (year, status) pair."""
    pairs, k = upper.shape
    rates = np.ascontiguousarray(np.broadcast_to(rates, (pairs, k + 1)))
    lower = np.concatenate([np.zeros((pairs, 1)), upper], axis=1)
    cumulative = np.concatenate(
        [np.zeros((pairs, 1)), np.cumsum(np.diff(lower, axis=1) * rates[:, :k], axis=1)], axis=1
    )
    return upper, rates, lower, cumulative
