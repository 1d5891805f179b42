"""Wisconsin individual income tax on a tax unit with retirement income (Form 1).

Wisconsin income is federal AGI less taxable Social Security (Wis. Stat. §71.05(6)(b)4) and the
retirement income subtraction (§71.05(6)(b)26: from 65, up to $5,000 of the head's plan
distribution when federal AGI is under the limit); the sliding-scale standard deduction (its
most, less the phase-out rates times Wisconsin income above the thresholds, §71.05(22)) and the
exemptions ($700 each, $250 more each from 65) come off, and the §71.06 schedule taxes the
rest.  Wisconsin adds 33% of the federal §72(t) additional tax on premature distributions
(§71.83(1)(b)2): its own tax on early distributions.

Not covered: from 2025 a return whose head is 67 or older with a distribution (the retirement
income exclusion of 2025 Act 174 is elected where it lowers the tax after credits, which are not
modelled), a qualifying surviving spouse (Wisconsin has no such status: single or head of
household turns on facts not given) and tax-exempt interest (other states' obligations are
taxable in Wisconsin).  Not modelled: dependents, itemized deduction credit and other credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import QUALIFYING_SURVIVING_SPOUSE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    aged,
    answer_unless,
    people,
    share_of_federal_additional_tax,
)
from dist401k.tax.state.units import StateUnits


def wisconsin_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 1 line 15 tax (before credits), and the penalty on early distributions, per unit."""
    age = lk.get("state.wi.age")
    low_agi = u.federal_agi < lk.get("state.wi.retirement_subtraction_agi_limit")
    eligible = np.maximum(0.0, u.taxable_distributions - u.early_distributions)
    subtraction = np.where(low_agi & (u.age_head >= age),
                           np.minimum(eligible, lk.get("state.wi.retirement_subtraction")), 0.0)
    wi_income = u.federal_agi - u.taxable_social_security - subtraction
    lost = schedule_tax(lk, "state.wi.standard_deduction_phaseout_brackets",
                        "state.wi.standard_deduction_phaseout_rates", wi_income)
    standard = np.maximum(0.0, lk.get("state.wi.standard_deduction") - lost)
    exemptions = (people(u) * lk.get("state.wi.personal_exemption")
                  + aged(u, age) * lk.get("state.wi.aged_exemption"))
    taxable = np.maximum(0.0, wi_income - standard - exemptions)
    tax = schedule_tax(lk, "state.wi.brackets", "state.wi.rates", taxable)
    exclusion_age = lk.get("state.wi.retirement_exclusion_age", before=np.inf)
    exclusion = (u.age_head >= exclusion_age) & (u.taxable_distributions > 0)
    surviving = u.filing_status == QUALIFYING_SURVIVING_SPOUSE
    interest = u.tax_exempt_interest > HALF_CENT
    additional = share_of_federal_additional_tax(lk, u, "state.wi.federal_additional_tax_share")
    return answer_unless(exclusion | surviving | interest, tax, {
        "STATE_WI_RETIREMENT_SUBTRACTION": subtraction > 0,
        "STATE_WI_EARLY_DISTRIBUTION_TAX": additional > 0,
        "STATE_WI_RETIREMENT_EXCLUSION_NOT_MODELLED": exclusion,
        "STATE_WI_SURVIVING_SPOUSE_NOT_MODELLED": surviving,
        "STATE_TAX_EXEMPT_INTEREST_NOT_SPLIT": interest,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    }, additional_tax=additional)
