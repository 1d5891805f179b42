"""District of Columbia individual income tax on a tax unit with retirement income (Form D-40).

DC AGI is federal AGI less taxable Social Security (D.C. Code §47-1803.02(a)(2)(N)); the
standard deduction (the federal basic amount in 2024, the District's own from 2025, with the
federal additional amounts for age) comes off and one schedule for every filing status taxes
the rest (§47-1806.03).  Plan distributions are taxed as in federal AGI, early or not: the
District has no retirement income exclusion for them (its $3,000 exclusion of DC and federal
government pensions from 62 ended with 2014) and no tax of its own on early distributions.

Not covered: a joint return with wages or other income (spouses may file separately on the
same return, each on their own income, and whose income it is is not an input) and a federal
itemizer (``federal_standard_deduction`` zero: DC's itemized deductions, which leave out income
taxes, must then be taken, and they are not inputs).  Not modelled: dependents, the blind
addition, credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, joint
from dist401k.tax.state.units import StateUnits


def district_of_columbia_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """D-40 line 21 tax (before credits), for each unit."""
    dc_agi = u.federal_agi - u.taxable_social_security
    deduction = (lk.get("state.dc.standard_deduction")
                 + aged(u, lk.get("income_tax.additional_standard_deduction_age"))
                 * lk.get("income_tax.additional_standard_deduction"))
    tax = schedule_tax(lk, "state.dc.brackets", "state.dc.rates", np.maximum(0.0, dc_agi - deduction))
    whose = joint(u) & ((u.wages > HALF_CENT) | (u.other_income > HALF_CENT))
    itemizer = u.federal_standard_deduction == 0  # unknown (NaN) is taken as the standard
    return answer_unless(whose | itemizer, tax, {
        "STATE_DC_INCOME_NOT_SPLIT": whose,
        "STATE_DC_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
