"""Hawaii individual income tax on a tax unit with retirement income (Form N-11).

Hawaii AGI is federal AGI less taxable Social Security (the N-11 Social Security subtraction;
Hawaii does not tax the benefits) and the pension exclusion: a distribution from an employer's
plan paid by reason of retirement is exempt to the extent attributable to the employer's contributions (HRS
§235-7(a)(3), HAR §18-235-7-03: elective deferrals, a 401(k)'s own contributions, are taxed);
an early distribution (under the federal §72(t) tax) does not qualify.  Here a distribution
qualifies when paid after the plan's retirement conditions were met
(``plan_retirement_conditions_met``) with no part early; its exempt part is
``employer_attributable_distributions``.  The standard deduction and the $1,144 exemptions
(one more each from 65) come off and the §235-51 schedule taxes the rest.  Hawaii has no
additional tax of its own on early distributions.

Not covered (NaN): a qualifying distribution whose employer part was not given, one partly
early, and a governmental plan's (a public retirement system's pension is wholly exempt unless
from voluntary elective contributions, HRS §235-7(a)(2), HAR §18-235-7-02; what the payment is
made of is not an input).  An RMD paid while still at work (it qualifies), rollover IRAs,
itemized deductions, the disability exemption, dependents and credits are not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, people
from dist401k.tax.state.units import StateUnits


def hawaii_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """N-11 line 27 tax (before credits), for each unit."""
    paid = u.taxable_distributions > 0
    early = u.early_distributions > 0
    qualifies = paid & u.plan_retirement_conditions_met & ~early
    part_early = (paid & u.plan_retirement_conditions_met & early
                  & (u.early_distributions < u.taxable_distributions))
    unknown = qualifies & np.isnan(u.employer_attributable_distributions)
    public = paid & u.governmental_plan
    exclusion = np.where(qualifies & ~unknown, u.employer_attributable_distributions, 0.0)
    hi_agi = u.federal_agi - u.taxable_social_security - exclusion
    exemptions = (people(u) + aged(u, lk.get("state.hi.aged_exemption_age"))) * lk.get(
        "state.hi.personal_exemption")
    taxable = np.maximum(0.0, hi_agi - lk.get("state.hi.standard_deduction") - exemptions)
    tax = schedule_tax(lk, "state.hi.brackets", "state.hi.rates", taxable)
    return answer_unless(unknown | part_early | public, tax, {
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        "STATE_HI_PENSION_EXCLUSION": exclusion > 0,
        "STATE_HI_DISTRIBUTION_TAXED": paid & ~qualifies & ~public,
        "STATE_HI_EMPLOYER_PART_NOT_GIVEN": unknown & ~public,
        "STATE_HI_PARTLY_EARLY_NOT_MODELLED": part_early & ~public,
        "STATE_HI_PUBLIC_PENSION_NOT_MODELLED": public,
    })
