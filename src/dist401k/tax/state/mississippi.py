"""Mississippi individual income tax on a tax unit with retirement income (Form 80-105).

Retirement allowances, pensions, qualified plan and IRA distributions and Social Security are
exempt (Miss. Code Ann. §27-7-15(4)(k)–(l)) except a premature distribution, one paid before
the plan's requirements for retirement were met (for an IRA, which has none, an early one:
:func:`ira_distribution_exempt`).  The standard deduction (§27-7-17) and the exemptions
(§27-7-21) come off, and the rest is taxed by the schedule of §27-7-5.
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


def ira_distribution_exempt(reached_59_half, paid_on_death, disabled) -> np.ndarray:
    """Whether Mississippi exempts a distribution from an IRA (a withdrawal or a conversion).

    IRA income is an optional retirement allowance, exempt (35 Miss. Admin. Code Pt. 3, Subpt.
    02, Ch. 07, ¶¶100–101), but early distributions do not qualify (¶104): those "taxable as
    early ... distributions under the Federal Internal Revenue Code (see Federal Form 5329)"
    (Form 80-100 instructions, line 46).  An IRA has no employer's requirements for retirement,
    so its distribution is early before 59½ unless paid because of the owner's death or the
    owner's disability (IRC §72(t)(2)(A)(i)–(iii); Form 1099-R codes 7, 4 and 3, not 1 or 2),
    wages or not.  The federal penalty's other exceptions (a 72(t) series, medical expenses, a
    first home …; code 2, "early distribution, exception applies") are not read as sparing it:
    unconfirmed, docs/state.md."""
    return (np.asarray(reached_59_half, bool) | np.asarray(paid_on_death, bool)
            | np.asarray(disabled, bool))
