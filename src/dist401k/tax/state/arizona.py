"""Arizona individual income tax on a tax unit with retirement income (Form 140).

Arizona gross income is federal AGI less taxable Social Security (Ariz. Rev. Stat.
§43-1022(1)); the exemption for age (§43-1023) and the standard deduction (§43-1041) come off
and the rest bears the flat rate (§43-1011).  Plan distributions are taxed as in federal AGI,
early or not.  A public pension has its own $2,500 subtraction (§43-1022(2)); whose plan paid
a ``governmental_plan`` distribution is not among the inputs, so such a unit is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, aged, answer_unless
from dist401k.tax.state.units import StateUnits


def arizona_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 140 line 46 tax, for each unit."""
    older = aged(u, lk.get("state.az.aged_exemption_age")) * lk.get("state.az.aged_exemption")
    taxable = np.maximum(0.0, u.federal_agi - u.taxable_social_security - older
                         - lk.get("state.az.standard_deduction"))
    public = u.governmental_plan & (u.taxable_distributions > 0)
    return answer_unless(public, lk.get("state.az.rate") * taxable, {
        "STATE_AZ_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
