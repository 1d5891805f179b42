"""Nebraska individual income tax on a tax unit with retirement income (Form 1040N).

Nebraska AGI is federal AGI less taxable Social Security (wholly from 2024, Neb. Rev. Stat.
§77-2716(6)); the standard deduction with the additions for age (§77-2716.01; the smaller of
Nebraska's and the federal basic amount, Nebraska's in 2024–2026) comes off and the
§77-2715.03 schedule taxes the rest, less the personal exemption credit (§77-2715.07).  Plan
distributions are taxed as in federal AGI, early or not; Nebraska has no retirement income
exclusion for them (its exclusions are for military and Social Security benefits).  A federal
itemizer's choice of itemized deductions, the elderly and disabled credit and other credits
are not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, people
from dist401k.tax.state.units import StateUnits


def nebraska_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 1040N line 16 tax less the personal exemption credit (line 19), for each unit."""
    ne_agi = u.federal_agi - u.taxable_social_security
    deduction = (lk.get("state.ne.standard_deduction")
                 + aged(u, lk.get("state.ne.aged_addition_age")) * lk.get("state.ne.aged_addition"))
    taxable = np.maximum(0.0, ne_agi - deduction)
    tax = schedule_tax(lk, "state.ne.brackets", "state.ne.rates", taxable)
    return StateAnswer(
        income_tax=np.maximum(0.0, tax - people(u) * lk.get("state.ne.exemption_credit")),
        additional_tax=np.zeros(len(u)),
        reasons={"STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0},
    )
