"""Alabama individual income tax on a tax unit with retirement income (Form 40).

Alabama starts from its own gross income: federal AGI less the Social Security it does not
tax (§40-18-19), less the contributions Alabama already taxed (`state_basis_recovered`, the
Pension Taxability Worksheets) and, from 65, each person's retirement income up to $6,000
(§40-18-19(a)(13); on a joint return the spouse's own distribution is
``spouse_distributions``, without it all is the head's).  From Alabama AGI come off the standard
deduction (§40-18-15(b): the chart's amount falls with Alabama AGI), the federal income tax
of the year (§40-18-15(a)(2): Form 1040 line 22 with the net investment income tax; the federal
refundable credits that lower it are none here) and the personal exemption (§40-18-19), and
the §40-18-5 rates tax the rest.  A 401(k), 403(b), 457(b) or IRA distribution is taxed, early
or not (Alabama has no tax of its own on early distributions); a defined benefit plan's pension
is exempt (`taxable_distributions` are taken as from a defined contribution plan or IRA).

Not covered (NaN): a unit with wages whose employee Social Security and Medicare taxes could
pass the standard deduction (Alabama's itemized deductions, those taxes among them, are not
inputs), a governmental plan's distribution (Alabama's own systems and the United
States' are exempt, another's taxed: the payer is not an input), a qualifying surviving spouse
(no such status in Alabama), a unit whose federal income tax was not given and a joint return
where both spouses have distributions and some basis Alabama already taxed (whose it is).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import QUALIFYING_SURVIVING_SPOUSE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, answer_unless, federal_figures_unknown, joint, own
from dist401k.tax.state.units import StateUnits


def alabama_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 40 line 16 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_income_tax",
                                        "federal_net_investment_income_tax")
    public = u.governmental_plan & (u.taxable_distributions > 0)
    surviving = u.filing_status == QUALIFYING_SURVIVING_SPOUSE
    d = own(u, "taxable_distributions")
    # The basis Alabama already taxed is the spouse's only where the head has no distribution;
    # where both have one, whose it is decides the exclusion and is not an input.
    basis_spouse = np.where(d.head <= HALF_CENT, u.state_basis_recovered, 0.0)
    basis_whose = (d.head > HALF_CENT) & (d.spouse > HALF_CENT) & (u.state_basis_recovered > 0)
    age, most = lk.get("state.al.retirement_exclusion_age"), lk.get("state.al.retirement_exclusion")
    exclusion = (np.where(u.age_head >= age, np.minimum(
        d.head - (u.state_basis_recovered - basis_spouse), most), 0.0)
        + np.where(joint(u) & (u.age_spouse >= age), np.minimum(d.spouse - basis_spouse, most),
                   0.0))
    al_agi = u.federal_agi - u.taxable_social_security - u.state_basis_recovered - exclusion
    federal = np.nan_to_num(u.federal_income_tax + u.federal_net_investment_income_tax)
    standard = standard_deduction(lk, al_agi)
    # An itemizer deducts the payroll taxes on wages among others (not inputs): where they
    # alone could pass the standard deduction, the choice is not known.
    itemizer = lk.get("state.al.payroll_tax_rate") * u.wages > standard
    taxable = np.maximum(0.0, al_agi - standard - federal - lk.get("state.al.personal_exemption"))
    tax = schedule_tax(lk, "state.al.brackets", "state.al.rates", taxable)
    return answer_unless(not_given | public | surviving | itemizer | basis_whose, tax, {
        "STATE_AL_BASIS_NOT_SPLIT": basis_whose,
        "STATE_AL_ITEMIZED_NOT_MODELLED": itemizer,
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_AL_PUBLIC_PENSION_NOT_COVERED": public,
        "STATE_AL_SURVIVING_SPOUSE_NOT_COVERED": surviving,
        "STATE_AL_RETIREMENT_EXCLUSION": exclusion > 0,
        "STATE_AL_FEDERAL_TAX_DEDUCTION": federal > 0,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def standard_deduction(lk: Lookup, al_agi: np.ndarray) -> np.ndarray:
    """The Standard Deduction Chart's amount: less a fixed sum for each whole step of Alabama
    AGI above the threshold, not below the smallest amount."""
    steps = np.floor(np.maximum(0.0, al_agi - lk.get("state.al.standard_deduction_threshold"))
                     / lk.get("state.al.standard_deduction_step"))
    return np.maximum(lk.get("state.al.standard_deduction_minimum"),
                      lk.get("state.al.standard_deduction")
                      - steps * lk.get("state.al.standard_deduction_reduction"))
