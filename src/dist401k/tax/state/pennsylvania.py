"""Pennsylvania personal income tax on a tax unit with retirement income (PA-40).

Pennsylvania taxes classes of income at one flat rate (72 P.S. §7302), not federal AGI:
compensation (wages), and interest, dividends and gains (here: the rest of federal AGI besides
wages, plan distributions and Social Security).  Social Security is not income.  A plan
distribution paid after the recipient retired having met the plan's conditions for retirement
is not compensation (72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8)); an early one is, once the
contributions Pennsylvania already taxed (its elective deferrals: ``state_basis_recovered``, the
part of the distribution that returns them) are recovered: the cost recovery method (PA-40
instructions, line 5, codes 1 and 2).  Tax forgiveness (Schedule SP, 72 P.S. §7304) then
forgives all or part of the tax on low eligibility income.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, retirement_taxable_unless_retired
from dist401k.tax.state.units import StateUnits


def pennsylvania_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """PA-40 line 12 tax less Schedule SP forgiveness, for each unit."""
    early, is_early = retirement_taxable_unless_retired(u)
    early = np.maximum(0.0, early - u.state_basis_recovered)
    taxable = np.maximum(0.0, u.wages + early) + np.maximum(0.0, u.other_income)
    tax = lk.get("state.pa.rate") * taxable
    forgiven = forgiveness_share(lk, taxable)
    exempt = ~is_early & (u.taxable_distributions > 0)
    return StateAnswer(
        income_tax=tax * (1.0 - forgiven),
        additional_tax=np.zeros(len(u)),
        reasons={
            "STATE_PA_RETIREMENT_EXEMPT": exempt & (lk.get("state.pa.retirement_benefits_exempt") > 0),
            # Taxed in full where no contribution Pennsylvania taxed is recovered from it;
            # beyond those recovered first otherwise (cost recovery).
            "STATE_PA_EARLY_TAXABLE": is_early & (u.state_basis_recovered <= 0),
            "STATE_PA_COST_RECOVERY": is_early & (u.state_basis_recovered > 0),
            "STATE_PA_FORGIVENESS": (forgiven > 0) & (tax > 0),
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )


def ira_distribution_exempt(reached_59_half, paid_on_death) -> np.ndarray:
    """Whether Pennsylvania exempts a distribution from an IRA (a withdrawal or a conversion):
    an IRA has no employer's retirement conditions, so its qualifying retirement age is the one
    after which a distribution is no longer subject to the federal early-withdrawal penalty,
    59½ (the Department's Personal Income Tax Guide, Gross Compensation), wages or not; one
    paid to the estate or a designated beneficiary because of the owner's death is not taxable
    either (PA-40 instructions, Form 1099-R code 4; the Department's answer 1470).  None of the
    federal penalty's other exceptions applies before 59½ (taxable even if retired)."""
    return np.asarray(reached_59_half, bool) | np.asarray(paid_on_death, bool)


def forgiveness_share(lk: Lookup, eligibility_income) -> np.ndarray:
    """The share of the tax forgiven (PA-40 Schedule SP): all of it up to the eligibility
    income limit, then one step rate less for each step (or part of one) above it.

    Eligibility income here is Pennsylvania taxable income: the other items of Schedule SP
    (nontaxable interest, alimony, gifts …) are not among dist401k's inputs.
    """
    over = np.maximum(0.0, eligibility_income - lk.get("state.pa.forgiveness_eligibility_income"))
    steps = np.ceil(over / lk.get("state.pa.forgiveness_step") - 1e-9)
    return np.clip(1.0 - steps * lk.get("state.pa.forgiveness_step_rate"), 0.0, 1.0)
