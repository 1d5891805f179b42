"""Idaho individual income tax on a tax unit with retirement income (Form 40).

Idaho AGI is federal AGI less taxable Social Security (Idaho Code §63-3022(5)); the federal
standard deduction, with its additional amounts for age and blindness, comes off, and from 2025
the federal Schedule 1-A deductions too (the senior deduction: Idaho's conformity for 2025), so
that Idaho taxable income is then federal taxable income less taxable Social Security.  Above
the zero-rate amount it bears the flat rate (§63-3024).  Plan distributions are taxed early or
not.

The retirement benefits deduction (§63-3022A) reaches certain public pensions only (the
federal civil service, Idaho firefighters and police) from 65, or 62 when disabled: a
governmental plan's distribution from 62 is not covered (which plan paid it, and disability,
are not inputs).  Nor is a federal itemizer (Idaho's itemized deductions leave out the state
income tax), nor a unit whose federal figures were not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, answer_unless, federal_figures_unknown
from dist401k.tax.state.units import StateUnits


def idaho_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 40 line 20 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income", "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    own_deductions = u.federal_agi - u.taxable_social_security - u.federal_standard_deduction
    federal_deductions = u.federal_taxable_income - u.taxable_social_security
    taxable = np.maximum(0.0, np.where(lk.get("state.id.schedule_1a_deductions_allowed"),
                                       federal_deductions, own_deductions))
    tax = lk.get("state.id.rate") * np.maximum(0.0, taxable - lk.get("state.id.zero_rate_amount"))
    public = (u.governmental_plan & (u.taxable_distributions > 0)
              & (u.age_head >= lk.get("state.id.retirement_deduction_age")))
    return answer_unless(not_given | itemizer | public, tax, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_ID_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_ID_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
