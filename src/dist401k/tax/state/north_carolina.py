"""North Carolina individual income tax on a tax unit with retirement income (D-400).

Federal AGI less taxable Social Security (N.C. Gen. Stat. §105-153.5(b)(1)) and the standard
deduction (§105-153.5(a)(1)), taxed at the flat rate (§105-153.7).  Plan distributions are
taxed as in federal AGI, early or not.  A governmental plan's distribution may be deducted
under the Bailey settlement (vested by August 12, 1989): not among the inputs, so not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer
from dist401k.tax.state.units import StateUnits


def north_carolina_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """D-400 line 15 income tax (before credits), for each unit."""
    taxable = np.maximum(0.0, u.federal_agi - u.taxable_social_security
                         - lk.get("state.nc.standard_deduction"))
    bailey = u.governmental_plan & (u.taxable_distributions > 0)
    tax = np.where(bailey, np.nan, lk.get("state.nc.rate") * taxable)
    return StateAnswer(
        income_tax=tax,
        additional_tax=np.where(bailey, np.nan, 0.0),
        reasons={
            "STATE_NC_RETIREMENT_TAXED": (lk.get("state.nc.retirement_income_taxed") > 0)
            & ~bailey & (u.taxable_distributions > 0),
            "STATE_NC_BAILEY_NOT_MODELLED": bailey,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )
