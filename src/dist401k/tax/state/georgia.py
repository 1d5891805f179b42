"""Georgia individual income tax on a tax unit with retirement income (Form 500, IT-511).

Georgia AGI is federal AGI less taxable Social Security and the retirement income exclusion
(O.C.G.A. §48-7-27(a)(5)): each person's own retirement income, from 62 up to $35,000 and from
65 up to $65,000.  Retirement income is pensions, annuities, plan and IRA distributions,
interest, dividends, rents, capital gains and up to $5,000 of earned income.  The standard
deduction (§48-7-27(a)(1)) comes off and the rest bears the flat rate (§48-7-20).

The distribution is the head's, taken at its age; a distribution before 62 is taxed, early or
not.  Other income counts where its kind is given (interest, dividends and gains: all
retirement income).  Where its kind is not given, or on a joint return whose wages and other
income they are, the exclusion is not known (a person of 62 or more with such income): the unit
is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import OtherIncome, StateAnswer, joint, other_income_unknown
from dist401k.tax.state.units import StateUnits


def georgia_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 500 line 16 tax (before credits), for each unit."""
    head_limit = exclusion_limit(lk, u.age_head)
    kinds = OtherIncome.of(u)
    retirement_income = u.taxable_distributions + kinds.total
    exclusion = np.minimum(head_limit, np.maximum(0.0, retirement_income) + np.minimum(
        u.wages, lk.get("state.ga.retirement_exclusion_earned_income")))
    ga_agi = u.federal_agi - u.taxable_social_security - exclusion
    taxable = np.maximum(0.0, ga_agi - lk.get("state.ga.standard_deduction"))
    eligible = (head_limit > 0) | (joint(u) & (exclusion_limit(lk, u.age_spouse) > 0))
    other = u.other_income > HALF_CENT
    whose = joint(u) & ((u.wages > 0) | other)
    unknown = eligible & (other_income_unknown(u) | whose)
    return StateAnswer(
        income_tax=np.where(unknown, np.nan, lk.get("state.ga.rate") * taxable),
        additional_tax=np.where(unknown, np.nan, 0.0),
        reasons={
            "STATE_GA_RETIREMENT_EXCLUSION": ~unknown & (exclusion > 0),
            "STATE_GA_RETIREMENT_INCOME_NOT_SPLIT": unknown,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )


def exclusion_limit(lk: Lookup, age) -> np.ndarray:
    """A person's retirement income exclusion limit by age at the end of the year (zero
    before 62; the totally disabled, not an input, are not covered by this)."""
    return np.where(age >= lk.get("state.ga.retirement_exclusion_older_age"),
                    lk.get("state.ga.retirement_exclusion_older"),
                    np.where(age >= lk.get("state.ga.retirement_exclusion_younger_age"),
                             lk.get("state.ga.retirement_exclusion_younger"), 0.0))
