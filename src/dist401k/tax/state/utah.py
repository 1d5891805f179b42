"""Utah individual income tax on a tax unit with retirement income (Form TC-40, TC-40A).

Utah taxable income is federal AGI (with Utah's additions and subtractions, none of which
these units have) and bears the flat rate (Utah Code §59-10-104).  No one whose federal AGI is
at most the federal basic standard deduction owes tax (§59-10-104.1).  The taxpayer tax credit
(§59-10-1018) is 6% of the federal standard deduction, with its additional amounts for age and
blindness, less 1.3% of Utah taxable income above the base phase-out amount.  Then either the
retirement credit ($450 for each person born before 1953, §59-10-1019) or the Social Security
benefits credit (the Utah rate on the taxable Social Security, §59-10-1042), each reduced by
2.5% of modified AGI above its threshold: the return takes the larger.  Plan distributions are
taxed early or not; Utah has no additional tax on them.

A federal itemizer (the state income tax in the itemized deductions is not an input) is not
covered, nor a unit whose federal figures were not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, answer_unless, federal_figures_unknown, joint
from dist401k.tax.state.units import StateUnits


def utah_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """TC-40 line 22 tax less the retirement or Social Security benefits credit (TC-40A), for
    each unit."""
    not_given = federal_figures_unknown(u, "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    rate = lk.get("state.ut.rate")
    income = u.federal_agi
    exempt = u.federal_agi <= lk.get("income_tax.standard_deduction")
    credit = np.maximum(0.0, lk.get("state.ut.taxpayer_credit_rate") * u.federal_standard_deduction
                        - lk.get("state.ut.taxpayer_credit_phaseout_rate") * np.maximum(
                            0.0, income - lk.get("state.ut.taxpayer_credit_phaseout_threshold")))
    tax = np.where(exempt, 0.0, np.maximum(0.0, rate * income - credit))
    retirement, social_security = retirement_credits(lk, u, rate)
    claimed = np.minimum(tax, np.maximum(retirement, social_security))
    return answer_unless(not_given | itemizer, tax - claimed, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_UT_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_UT_EXEMPT": exempt,
        "STATE_UT_RETIREMENT_CREDIT": (claimed > 0) & (retirement >= social_security),
        "STATE_UT_SOCIAL_SECURITY_CREDIT": (claimed > 0) & (social_security > retirement),
    })


def retirement_credits(lk: Lookup, u: StateUnits, rate) -> tuple[np.ndarray, np.ndarray]:
    """The retirement credit and the Social Security benefits credit after their phase-outs
    (TC-40A codes 15 and 22); the return claims one of them."""
    modified_agi = u.federal_agi + u.tax_exempt_interest
    last = lk.get("state.ut.retirement_credit_birth_year")
    born_before = ((u.tax_year - u.age_head <= last).astype(np.int64)
                   + (joint(u) & (u.tax_year - u.age_spouse <= last)))
    retirement = np.maximum(0.0, lk.get("state.ut.retirement_credit") * born_before
                            - lk.get("state.ut.retirement_credit_phaseout_rate") * np.maximum(
                                0.0, modified_agi - lk.get("state.ut.retirement_credit_phaseout_threshold")))
    social_security = np.maximum(0.0, rate * u.taxable_social_security
                                 - lk.get("state.ut.social_security_credit_phaseout_rate") * np.maximum(
                                     0.0, modified_agi - lk.get("state.ut.social_security_credit_threshold")))
    return retirement, social_security
