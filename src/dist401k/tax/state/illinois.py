"""Illinois individual income tax on a tax unit with retirement income (IL-1040).

Base income is federal AGI less every qualified plan and IRA distribution, early or not, and
less taxable Social Security (35 ILCS 5/203(a)(2)(F), (H)); the exemptions (35 ILCS 5/204) are
subtracted and the rest taxed at the flat rate (35 ILCS 5/201(b)).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, aged, people
from dist401k.tax.state.units import StateUnits


def illinois_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IL-1040 line 12 tax (before credits), for each unit."""
    exempt = lk.get("state.il.retirement_income_exempt") > 0
    base = u.federal_agi - np.where(exempt, u.taxable_distributions + u.taxable_social_security, 0.0)
    # No exemption of §204 at all above the federal AGI limit (§204(g)).
    allowed = u.federal_agi <= lk.get("state.il.exemption_income_limit")
    exemptions = (people(u) * lk.get("state.il.personal_exemption")
                  + aged(u, lk.get("state.il.aged_exemption_age")) * lk.get("state.il.aged_exemption"))
    net = np.maximum(0.0, base - np.where(allowed, exemptions, 0.0))
    return StateAnswer(
        income_tax=lk.get("state.il.rate") * net,
        additional_tax=np.zeros(len(u)),
        reasons={
            "STATE_IL_RETIREMENT_EXEMPT": exempt & (u.taxable_distributions > 0),
            "STATE_SOCIAL_SECURITY_EXEMPT": exempt & (u.taxable_social_security > 0),
        },
    )
