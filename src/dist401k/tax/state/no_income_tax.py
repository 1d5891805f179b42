"""The states that tax neither wages nor retirement income: AK, FL, NV, NH, SD, TN, TX, WA, WY.

Each answers zero, with its own citation (law/params/state/<xx>/taxes_wage_income.yaml and the
reason STATE_<XX>_NO_INCOME_TAX).  The law file is read, so a state that began to tax wages
would fail loudly here rather than answer zero.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import LawError, Lookup
from dist401k.tax.state.common import StateAnswer
from dist401k.tax.state.units import StateUnits

STATES = ("AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY")


def rule_for(code: str):
    """The rule of one state without a wage income tax."""

    def no_income_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
        if np.any(lk.get(f"state.{code.lower()}.taxes_wage_income")):
            raise LawError(f"{code} taxes wage income in a year asked: it needs its own rule")
        zero = np.zeros(len(u))
        return StateAnswer(zero, zero.copy(), {f"STATE_{code}_NO_INCOME_TAX": np.ones(len(u), bool)})

    no_income_tax.__name__ = f"no_income_tax_{code.lower()}"
    return no_income_tax


RULES = {code: rule_for(code) for code in STATES}
