"""The ordinary income tax on taxable income: the rate schedules of IRC §1(j)."""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Law


def bracket_tax(amount, thresholds, rates) -> np.ndarray:
    """Tax on ``amount`` by a schedule: ``thresholds`` [..., k] are the upper ends of the first
    k brackets, ``rates`` [k+1] the rates; each dollar is taxed at its bracket's rate."""
    amount = np.asarray(amount, dtype=float)[..., None]
    lower = np.concatenate([np.zeros(thresholds.shape[:-1] + (1,)), thresholds], axis=-1)
    upper = np.concatenate([thresholds, np.full(thresholds.shape[:-1] + (1,), np.inf)], axis=-1)
    in_bracket = np.clip(amount - lower, 0.0, upper - lower)
    return (in_bracket * rates).sum(axis=-1)


def ordinary_tax(law: Law, year, filing_status, taxable) -> np.ndarray:
    """Tax on taxable income at the ordinary rates (Tax Computation Worksheet / §1(j)(2)).

    Computed by formula on the exact amount: the IRS tax table, used below $100,000, taxes the
    middle of each $50 band instead, so a return filed with the table can differ by a few dollars.
    """
    thresholds = law.get("income_tax.brackets", year, filing_status)
    rates = law.get("income_tax.rates", year)
    return bracket_tax(np.maximum(0.0, taxable), thresholds, rates)
