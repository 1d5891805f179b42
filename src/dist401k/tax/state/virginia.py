"""Virginia individual income tax on a tax unit with retirement income (Form 760).

Virginia adjusted gross income is federal AGI less taxable Social Security (Va. Code
§58.1-322.02) and the age deduction (§58.1-322.03(5)): $12,000 for each person 65 or older,
reduced dollar for dollar by adjusted federal AGI (federal AGI less taxable Social Security)
above $50,000 single or $75,000 of a couple's combined AFAGI, the reduction split evenly when
both spouses qualify, not reduced for a person born before 1939.  The standard deduction and
the exemptions (§58.1-322.03(1)–(3)) come off and the §58.1-320 schedule taxes the rest; no
tax is due below the §58.1-321(A) threshold of Virginia AGI.  Plan
distributions are taxed as in federal AGI, early or not.  A married person filing separately
is reduced by the couple's combined AFAGI, and the spouse's income is not an input: such a
filer of 65 or more is not covered.  The spouse tax adjustment (line 17) is not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, joint, people
from dist401k.tax.state.units import StateUnits


def virginia_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 760 line 15 tax (before the spouse tax adjustment and credits), for each unit."""
    afagi = u.federal_agi - u.taxable_social_security
    deduction = age_deduction(lk, u, afagi)
    exemptions = (people(u) * lk.get("state.va.personal_exemption")
                  + aged(u, lk.get("state.va.age_deduction_age")) * lk.get("state.va.aged_exemption"))
    va_agi = afagi - deduction
    taxable = np.maximum(0.0, va_agi - lk.get("state.va.standard_deduction") - exemptions)
    exempt = va_agi < lk.get("state.va.no_tax_threshold")
    tax = np.where(exempt, 0.0, schedule_tax(lk, "state.va.brackets", "state.va.rates", taxable))
    separate = ((u.filing_status == MARRIED_SEPARATE)
                & (u.age_head >= lk.get("state.va.age_deduction_age"))
                & (u.tax_year - np.floor(u.age_head) >= lk.get("state.va.age_deduction_full_birth_year")))
    return StateAnswer(
        income_tax=np.where(separate, np.nan, tax),
        additional_tax=np.where(separate, np.nan, 0.0),
        reasons={
            "STATE_VA_AGE_DEDUCTION": ~separate & (deduction > 0),
            "STATE_VA_BELOW_THRESHOLD": ~separate & exempt,
            "STATE_VA_SEPARATE_AGE_DEDUCTION_NOT_MODELLED": separate,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )


def age_deduction(lk: Lookup, u: StateUnits, afagi) -> np.ndarray:
    """The §58.1-322.03(5) age deduction of the return: each qualifying person's amount, less
    their share of the AFAGI above the threshold (half each when both spouses qualify)."""
    age, amount = lk.get("state.va.age_deduction_age"), lk.get("state.va.age_deduction")
    full_before = lk.get("state.va.age_deduction_full_birth_year")
    head = u.age_head >= age
    spouse = joint(u) & (u.age_spouse >= age)
    excess = np.maximum(0.0, afagi - lk.get("state.va.age_deduction_threshold"))
    share = np.where(head & spouse, lk.get("state.va.age_deduction_joint_share"), 1.0) * excess

    def one(qualifies, person_age):
        full = u.tax_year - np.floor(person_age) < full_before
        return np.where(qualifies, np.where(full, amount, np.maximum(0.0, amount - share)), 0.0)

    return one(head, u.age_head) + one(spouse, u.age_spouse)
