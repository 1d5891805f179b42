"""Ohio individual income tax on a tax unit with retirement income (Ohio IT 1040).

Ohio AGI is federal AGI less taxable Social Security (R.C. 5747.01(A)(5)); here it is also the
modified AGI that sets the exemptions and the exemption credit (the business income deduction
is not an input).  The personal exemptions (R.C. 5747.025: by modified AGI, none above the
limit from 2025) come off; Ohio taxable income up to the first bracket bears no tax, above it
the base tax plus the bracket rates (R.C. 5747.02(A)).  Then the credits a retiree meets
(R.C. 5747.055, 5747.022): the retirement income credit on a distribution received because the
taxpayer retired (`plan_retirement_conditions_met`), the senior citizen credit from 65, both
only when Ohio AGI less exemptions is under $100,000, and the exemption credit when Ohio AGI less
exemptions is $30,000 or less; together no more than the tax.  The joint filing credit (it turns on each
spouse's own income), the lump sum credits and school district income taxes are not modelled.
A plan distribution is taxed as in federal AGI, early or not.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, people
from dist401k.tax.state.units import StateUnits


def ohio_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IT 1040 line 8c tax less the retirement income, senior citizen and exemption credits."""
    oh_agi = u.federal_agi - u.taxable_social_security
    count = people(u)
    exemptions = count * step_amount(lk.get("state.oh.exemption_income_steps"),
                                     lk.get("state.oh.exemption_amounts"), oh_agi)
    taxable = np.maximum(0.0, oh_agi - exemptions)
    first = lk.get("state.oh.brackets")[:, 0]
    above = taxable > first
    tax = np.where(above, lk.get("state.oh.base_tax")
                   + schedule_tax(lk, "state.oh.brackets", "state.oh.rates", taxable), 0.0)
    retirement = np.where(u.plan_retirement_conditions_met, u.taxable_distributions, 0.0)
    under_limit = taxable < lk.get("state.oh.credit_income_limit")
    retirement_credit = np.where(under_limit, step_amount(
        lk.get("state.oh.retirement_credit_income_steps"),
        lk.get("state.oh.retirement_credit_amounts"), retirement), 0.0)
    senior = under_limit & (aged(u, lk.get("state.oh.senior_credit_age")) > 0)
    senior_credit = np.where(senior, lk.get("state.oh.senior_credit"), 0.0)
    exemption_credit = np.where(taxable <= lk.get("state.oh.exemption_credit_income_limit"),
                                count * lk.get("state.oh.exemption_credit"), 0.0)
    credits = retirement_credit + senior_credit + exemption_credit
    return StateAnswer(
        income_tax=np.maximum(0.0, tax - credits),
        additional_tax=np.zeros(len(u)),
        reasons={
            "STATE_OH_RETIREMENT_CREDIT": (retirement_credit > 0) & (tax > 0),
            "STATE_OH_SENIOR_CREDIT": senior & (tax > 0),
            "STATE_OH_BELOW_FIRST_BRACKET": ~above,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )


def step_amount(steps, amounts, income) -> np.ndarray:
    """The amount of the step ``income`` is in: a step is reached only when income is over
    it (Ohio's tables read "$40,000 or less", "more than $40,000 …")."""
    k = (np.asarray(income, dtype=float)[:, None] > steps).sum(axis=1)
    return np.take_along_axis(np.broadcast_to(amounts, (len(k), amounts.shape[-1])),
                              k[:, None], axis=1)[:, 0]
