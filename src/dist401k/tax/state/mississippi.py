"""Mississippi individual income tax on a tax unit with retirement income (Form 80-105).

Retirement allowances, pensions, qualified plan and IRA distributions and Social Security are
exempt (Miss. Code Ann. §27-7-15(4)(k)–(l)) except a premature distribution, one paid before
the plan's requirements for retirement were met.  The standard deduction (§27-7-17) and the
exemptions (§27-7-21) come off, and the rest is taxed by the schedule of §27-7-5.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, retirement_taxable_unless_retired
from dist401k.tax.state.units import StateUnits


def mississippi_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 80-105 income tax due (before credits), for each unit."""
    exempt = lk.get("state.ms.retirement_income_exempt") > 0
    premature, is_premature = retirement_taxable_unless_retired(u)
    excluded = np.where(exempt, u.taxable_distributions - premature + u.taxable_social_security, 0.0)
    deductions = (
        lk.get("state.ms.standard_deduction")
        + lk.get("state.ms.exemption")
        + aged(u, lk.get("state.ms.aged_exemption_age")) * lk.get("state.ms.aged_exemption")
    )
    taxable = np.maximum(0.0, u.federal_agi - excluded - deductions)
    return StateAnswer(
        income_tax=schedule_tax(lk, "state.ms.brackets", "state.ms.rates", taxable),
        additional_tax=np.zeros(len(u)),
        reasons={
            "STATE_MS_RETIREMENT_EXEMPT": exempt & ~is_premature & (u.taxable_distributions > 0),
            "STATE_MS_PREMATURE_TAXABLE": is_premature,
            "STATE_SOCIAL_SECURITY_EXEMPT": exempt & (u.taxable_social_security > 0),
        },
    )
