"""Washington's capital gains excise (RCW 82.87), the one tax of a state without an income tax
that reaches a tax unit here: the net long-term capital gain (``long_term_gains``; the
brokerage account's securities, none of them exempt) less the standard deduction, at 7% — from
2025 at 9.9% above $1,000,000 of taxable gains.  Interest, dividends, wages, pensions and plan
distributions bear nothing (RCW 82.87.050 exempts assets in retirement accounts).  Spouses share
one standard deduction whether they file jointly or separately (RCW 82.87.060(1)): a separate
filer's share is not known (not covered where it has a gain).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import OtherIncome
from dist401k.tax.state.units import StateUnits


def washington_capital_gains_tax(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """The excise of each unit whose other income's kind is known, and the separate filers with
    a gain (whose share of the couple's deduction is not an input)."""
    gains = np.maximum(0.0, OtherIncome.of(u).long_term_gains)
    taxable = np.maximum(0.0, gains - lk.get("state.wa.capital_gains_standard_deduction"))
    tax = schedule_tax(lk, "state.wa.capital_gains_brackets", "state.wa.capital_gains_rates",
                       taxable)
    return tax, (u.filing_status == MARRIED_SEPARATE) & (gains > 0)
