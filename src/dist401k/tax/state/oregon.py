"""Oregon personal income tax on a tax unit with retirement income (Form OR-40).

Oregon income is federal AGI less the taxable Social Security (ORS 316.054) and the federal
income tax of the year (Form 1040 line 22, `federal_income_tax`) up to a limit that falls by
steps of federal AGI to none (ORS 316.680(1)(b), 316.695); the standard deduction with its
additions from 65 comes off (ORS 316.695) and the ORS 316.037 schedule taxes the rest.  The
nonrefundable credits modelled then come off, no more than the tax: the exemption credit for
each person on the return under the federal AGI limit (ORS 316.085) and the retirement income
credit (ORS 316.157): 9% of the smaller of each person's own distributions from 62 and the base
less the Social Security received and less household income above the threshold.  A plan
distribution is taxed early or not: Oregon has no tax of its own on early distributions.

Not covered (NaN): a governmental plan's distribution (the federal pension subtraction of
service before October 1991: the payer and the service are not inputs), a federal itemizer
(Oregon's itemized deductions leave out the state income tax; not inputs) and a unit whose
federal figures were not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    aged,
    answer_unless,
    by_step,
    federal_figures_unknown,
    joint,
    own,
    people,
)
from dist401k.tax.state.units import StateUnits


def oregon_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form OR-40 tax less the exemption and retirement income credits, for each unit."""
    not_given = federal_figures_unknown(u, "federal_standard_deduction", "federal_income_tax")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    federal = np.minimum(np.nan_to_num(u.federal_income_tax), federal_tax_limit(lk, u.federal_agi))
    deduction = (lk.get("state.or.standard_deduction")
                 + aged(u, lk.get("state.or.aged_addition_age")) * lk.get("state.or.aged_addition"))
    taxable = np.maximum(0.0, u.federal_agi - u.taxable_social_security - federal - deduction)
    tax = schedule_tax(lk, "state.or.brackets", "state.or.rates", taxable)
    exemption = np.where(u.federal_agi <= lk.get("state.or.exemption_credit_agi_limit"),
                         people(u) * lk.get("state.or.exemption_credit"), 0.0)
    retirement = retirement_credit(lk, u)
    return answer_unless(not_given | itemizer | public, np.maximum(0.0, tax - exemption - retirement), {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_OR_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_OR_PUBLIC_PENSION_NOT_COVERED": public,
        "STATE_OR_FEDERAL_TAX_SUBTRACTION": federal > 0,
        "STATE_OR_RETIREMENT_CREDIT": retirement > 0,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def federal_tax_limit(lk: Lookup, federal_agi: np.ndarray) -> np.ndarray:
    """The most of the federal tax subtracted: the amount of the step federal AGI reaches."""
    return by_step(lk.get("state.or.federal_tax_subtraction"),
                   lk.get("state.or.federal_tax_subtraction_agi"), federal_agi)


def retirement_credit(lk: Lookup, u: StateUnits) -> np.ndarray:
    """The retirement income credit (ORS 316.157; OR-17's worksheet): each person's own
    distributions from 62 (``spouse_distributions`` the spouse's; the head's where not given)
    against the base less the Social Security received and the household income
    (federal AGI and tax-exempt interest, less taxable Social Security) above the threshold."""
    age, d = lk.get("state.or.retirement_credit_age"), own(u, "taxable_distributions")
    income = (np.where(u.age_head >= age, d.head, 0.0)
              + np.where(joint(u) & (u.age_spouse >= age), d.spouse, 0.0))
    household = u.federal_agi + u.tax_exempt_interest - u.taxable_social_security
    base = np.maximum(0.0, lk.get("state.or.retirement_credit_base") - u.social_security
                      - np.maximum(0.0, household - lk.get("state.or.retirement_credit_income_threshold")))
    return lk.get("state.or.retirement_credit_rate") * np.minimum(income, base)
