"""The states that tax neither wages nor retirement income: AK, FL, NV, NH, SD, TN, TX, WA, WY.

Each answers zero, with its own citation (law/params/state/<xx>/taxes_wage_income.yaml and the
reason STATE_<XX>_NO_INCOME_TAX).  The law file is read, so a state that began to tax wages
would fail loudly here rather than answer zero.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import LawError, Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, other_income_unknown
from dist401k.tax.state.units import StateUnits
from dist401k.tax.state.washington import washington_capital_gains_tax

STATES = ("AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY")


#: The investment taxes modelled: a state's rule of (lookup, units) → (tax, units not covered),
#: read where the kind of the other income is known.
INVESTMENT_TAXES = {"WA": washington_capital_gains_tax}


def rule_for(code: str):
    """The rule of one state without a wage income tax.  Where the state taxes investment
    income (New Hampshire's interest and dividends through 2024, Washington's capital gains)
    and the unit has income besides wages, distributions and Social Security, the answer is
    that tax where it is modelled (Washington's, :data:`INVESTMENT_TAXES`) and the kind of the
    other income is given; else unknown (NaN, STATE_INVESTMENT_INCOME_NOT_MODELLED), not zero."""
    prefix = f"state.{code.lower()}."
    investment_tax = INVESTMENT_TAXES.get(code)

    def no_income_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
        if np.any(lk.get(prefix + "taxes_wage_income")):
            raise LawError(f"{code} taxes wage income in a year asked: it needs its own rule")
        kind_unknown = np.zeros(len(u), dtype=bool)
        separate = np.zeros(len(u), dtype=bool)
        tax = np.zeros(len(u))
        reasons = {}
        if prefix + "taxes_investment_income" in lk.law.params:
            taxes = lk.get(prefix + "taxes_investment_income") > 0
            if investment_tax is None:
                kind_unknown = taxes & (u.other_income > HALF_CENT)
            else:
                tax, split = investment_tax(lk, u)
                tax = np.where(taxes, tax, 0.0)
                kind_unknown = taxes & other_income_unknown(u)
                separate = taxes & split & ~kind_unknown
                reasons = {f"STATE_{code}_SEPARATE_DEDUCTION_NOT_SPLIT": separate,
                           f"STATE_{code}_CAPITAL_GAINS_TAX": ~kind_unknown & ~separate & (tax > 0)}
        unknown = kind_unknown | separate
        return StateAnswer(np.where(unknown, np.nan, tax), np.where(unknown, np.nan, 0.0), {
            f"STATE_{code}_NO_INCOME_TAX": ~unknown,
            "STATE_INVESTMENT_INCOME_NOT_MODELLED": kind_unknown, **reasons})

    no_income_tax.__name__ = f"no_income_tax_{code.lower()}"
    return no_income_tax


RULES = {code: rule_for(code) for code in STATES}
