"""Preferential rates on net capital gain and qualified dividends: IRC §1(h), §1(j)(5), as
computed by the Qualified Dividends and Capital Gain Tax Worksheet (Form 1040 instructions)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import ordinary_tax


@dataclass
class CapitalGainWorksheet:
    """The worksheet's amounts, each an array over the batch."""

    gains: np.ndarray  # line 4: qualified dividends + net capital gain (not limited)
    preferential: np.ndarray  # line 4 limited to taxable income
    ordinary_income: np.ndarray  # line 5: taxable income less the preferential part
    at_zero: np.ndarray  # line 11: taxed at 0%
    at_fifteen: np.ndarray  # line 19: taxed at 15%
    at_twenty: np.ndarray  # line 22: taxed at 20%
    tax: np.ndarray  # line 25: the tax (not more than the tax at ordinary rates)


def split_preferential(thresholds, ordinary_income, preferential, base):
    """Split ``preferential`` (taxed on top of ``ordinary_income``) into the parts at 0/15/20%.

    ``base`` is the amount the thresholds are measured against below the preferential income:
    the regular worksheet uses its own ordinary income; Form 6251 Part III uses the regular
    worksheet's line 5 even when figuring the AMT."""
    t0, t15 = thresholds[..., 0], thresholds[..., 1]
    zero_room = np.maximum(0.0, t0 - base)
    at_zero = np.minimum(preferential, zero_room)
    fifteen_room = np.maximum(0.0, t15 - np.maximum(base, t0))
    at_fifteen = np.minimum(preferential - at_zero, fifteen_room)
    at_twenty = preferential - at_zero - at_fifteen
    return at_zero, at_fifteen, at_twenty


def capital_gain_worksheet(
    lk: Lookup, taxable, qualified_dividends, net_capital_gain
) -> CapitalGainWorksheet:
    """Regular tax with qualified dividends and net capital gain taxed at 0/15/20%."""
    taxable = np.maximum(0.0, taxable)
    gains = qualified_dividends + np.maximum(0.0, net_capital_gain)
    preferential = np.minimum(taxable, gains)
    ordinary_income = taxable - preferential
    thresholds = lk.get("capital_gains.thresholds")
    rates = lk.get("capital_gains.rates")
    at_zero, at_fifteen, at_twenty = split_preferential(
        thresholds, ordinary_income, preferential, ordinary_income
    )
    tax = (
        ordinary_tax(lk, ordinary_income)
        + rates[..., 0] * at_zero
        + rates[..., 1] * at_fifteen
        + rates[..., 2] * at_twenty
    )
    tax = np.minimum(tax, ordinary_tax(lk, taxable))
    return CapitalGainWorksheet(gains, preferential, ordinary_income, at_zero, at_fifteen, at_twenty, tax)
