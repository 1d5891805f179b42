"""The Social Security retirement benefit by claiming age (42 U.S.C. §402(q), (w); §416(l)).

A benefit claimed before full retirement age is reduced by 5/9 of 1% a month for the first 36
months and 5/12 of 1% for each month beyond; one claimed after it earns 2/3 of 1% a month of
delayed credit up to age 70.  Benefits then rise each year with the cost of living.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Law, step_lookup


def full_retirement_age(law: Law, year, birth_year) -> np.ndarray:
    """Full retirement age by year of birth (§416(l))."""
    return step_lookup(law, "social_security.full_retirement_age", year, birth_year)


def claiming_factor(law: Law, year, birth_year, claim_age) -> np.ndarray:
    """The benefit as a share of the primary insurance amount when claimed at ``claim_age``."""
    fra = full_retirement_age(law, year, birth_year)
    claim = np.asarray(claim_age, float)
    early = np.maximum(0.0, np.round((fra - claim) * 12))
    first_months = law.get("social_security.early_reduction_months", year)
    reduction = (np.minimum(early, first_months) * law.get("social_security.early_reduction_rate", year)
                 + np.maximum(0.0, early - first_months)
                 * law.get("social_security.early_reduction_later_rate", year))
    last = law.get("social_security.delayed_credit_last_age", year)
    late = np.maximum(0.0, np.round((np.minimum(claim, last) - fra) * 12))
    credit = late * law.get("social_security.delayed_credit_rate", year)
    return 1.0 - reduction + credit
