"""Indiana adjusted gross income tax on a tax unit with retirement income (IT-40).

Indiana AGI is federal AGI less taxable Social Security (Ind. Code §6-3-1-3.5(a)(5)); the
exemptions (§6-3-1-3.5(a)(3)–(5)) come off and the rest bears the flat state rate
(§6-3-2-1(b)).  Plan distributions are taxed as in federal AGI, early or not.  County income
taxes are not modelled.  A federal civil service annuity has its own deduction (§6-3-1-3.5
(a)(16)); whose government paid a ``governmental_plan`` distribution is not among the
inputs, so such a unit is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, people
from dist401k.tax.state.units import StateUnits


def indiana_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IT-40 line 8 state adjusted gross income tax, for each unit."""
    older = aged(u, lk.get("state.in.aged_exemption_age"))
    low = u.federal_agi < lk.get("state.in.aged_low_income_threshold")
    exemptions = (people(u) * lk.get("state.in.exemption")
                  + older * (lk.get("state.in.aged_exemption")
                             + np.where(low, lk.get("state.in.aged_low_income_exemption"), 0.0)))
    taxable = np.maximum(0.0, u.federal_agi - u.taxable_social_security - exemptions)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    return answer_unless(public, lk.get("state.in.rate") * taxable, {
        "STATE_IN_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
