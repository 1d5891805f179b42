"""The states that tax neither wages nor retirement income: AK, FL, NV, NH, SD, TN, TX, WA, WY.

Each answers zero, with its own citation (law/params/state/<xx>/taxes_wage_income.yaml and the
reason STATE_<XX>_NO_INCOME_TAX).  The law file is read, so a state that began to tax wages
would fail loudly here rather than answer zero.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import LawError, Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer
from dist401k.tax.state.units import StateUnits

STATES = ("AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY")


def rule_for(code: str):
    """The rule of one state without a wage income tax.  Where the state taxes investment
    income (New Hampshire's interest and dividends through 2024, Washington's capital gains)
    and the unit has income besides wages, distributions and Social Security, the answer is
    unknown (NaN, STATE_INVESTMENT_INCOME_NOT_MODELLED), not zero."""
    prefix = f"state.{code.lower()}."

    def no_income_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
        if np.any(lk.get(prefix + "taxes_wage_income")):
            raise LawError(f"{code} taxes wage income in a year asked: it needs its own rule")
        unknown = np.zeros(len(u), dtype=bool)
        if prefix + "taxes_investment_income" in lk.law.params:
            unknown = (lk.get(prefix + "taxes_investment_income") > 0) & (u.other_income > HALF_CENT)
        zero = np.where(unknown, np.nan, 0.0)
        return StateAnswer(zero, zero.copy(), {f"STATE_{code}_NO_INCOME_TAX": ~unknown,
                                               "STATE_INVESTMENT_INCOME_NOT_MODELLED": unknown})

    no_income_tax.__name__ = f"no_income_tax_{code.lower()}"
    return no_income_tax


RULES = {code: rule_for(code) for code in STATES}
