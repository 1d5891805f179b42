"""Georgia individual income tax on a tax unit with retirement income (Form 500, IT-511).

Georgia AGI is federal AGI less taxable Social Security and the retirement income exclusion
(O.C.G.A. §48-7-27(a)(5)): each person's own retirement income, from 62 up to $35,000 and from
65 up to $65,000.  Retirement income is pensions, annuities, plan and IRA distributions,
interest, dividends, rents, capital gains and up to $5,000 of earned income.  The standard
deduction (§48-7-27(a)(1)) comes off and the rest bears the flat rate (§48-7-20).

Each spouse's exclusion is figured on that spouse's own income at that spouse's age: on a joint
return the spouse's parts are ``spouse_wages``, ``spouse_distributions`` and
``spouse_other_income``; where they are not given, the distribution is the head's.  A
distribution before 62 is taxed, early or not.  Other income counts where its kind is given
(interest, dividends and gains: all retirement income).  Where its kind is not given, or on a
joint return with wages or other income whose split was not given, the exclusion is not known
(a person of 62 or more with such income): the unit is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, disabled_before, joint, other_income_unknown, own
from dist401k.tax.state.units import StateUnits


def georgia_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 500 line 16 tax (before credits), for each unit."""
    w, d, o = own(u, "wages"), own(u, "taxable_distributions"), own(u, "other_income")
    head = retirement_exclusion(lk, u.age_head, d.head, o.head, w.head)
    spouse = np.where(joint(u), retirement_exclusion(lk, u.age_spouse, d.spouse, o.spouse,
                                                     w.spouse), 0.0)
    exclusion = head + spouse
    ga_agi = u.federal_agi - u.taxable_social_security - exclusion
    taxable = np.maximum(0.0, ga_agi - lk.get("state.ga.standard_deduction"))
    eligible = (exclusion_limit(lk, u.age_head) > 0) | (
        joint(u) & (exclusion_limit(lk, u.age_spouse) > 0))
    other = u.other_income > HALF_CENT
    whose = joint(u) & ((u.wages > 0) | other) & ~(w.known & d.known & o.known)
    disabled = disabled_before(u, lk.get("state.ga.retirement_exclusion_younger_age"))
    unknown = (eligible & (other_income_unknown(u) | whose)) | disabled
    return StateAnswer(
        income_tax=np.where(unknown, np.nan, lk.get("state.ga.rate") * taxable),
        additional_tax=np.where(unknown, np.nan, 0.0),
        reasons={
            "STATE_GA_RETIREMENT_EXCLUSION": ~unknown & (exclusion > 0),
            "STATE_GA_RETIREMENT_INCOME_NOT_SPLIT": unknown & ~disabled,
            "STATE_DISABLED_EXCLUSION_NOT_MODELLED": disabled,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )


def retirement_exclusion(lk: Lookup, age, distributions, other, wages) -> np.ndarray:
    """A person's retirement income exclusion: within the limit of the person's age, the
    person's own distributions and other income (interest, dividends and gains, net of a
    loss) and up to $5,000 of the person's wages."""
    return np.minimum(exclusion_limit(lk, age), np.maximum(0.0, distributions + other)
                      + np.minimum(wages, lk.get("state.ga.retirement_exclusion_earned_income")))


def exclusion_limit(lk: Lookup, age) -> np.ndarray:
    """A person's retirement income exclusion limit by age at the end of the year (zero
    before 62; a head known disabled before it is not covered: :func:`disabled_before`)."""
    return np.where(age >= lk.get("state.ga.retirement_exclusion_older_age"),
                    lk.get("state.ga.retirement_exclusion_older"),
                    np.where(age >= lk.get("state.ga.retirement_exclusion_younger_age"),
                             lk.get("state.ga.retirement_exclusion_younger"), 0.0))
