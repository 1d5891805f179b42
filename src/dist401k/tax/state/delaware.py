"""Delaware personal income tax on a tax unit with retirement income (PIT-RES).

Delaware AGI is federal AGI less taxable Social Security and the pension exclusion (30 Del. C.
§1106(b)): a person 60 or older excludes up to $12,500 of eligible retirement income (plan and
IRA distributions, pensions, interest, dividends, gains, rents); the distribution here is the
head's.  The standard deduction and its additions from 65 (§1108) come off and the §1102
schedule taxes the rest.  A plan distribution before 60 is taxed, early or not (the $2,000
exclusion before 60 is for pensions only); Delaware has no tax of its own on it.

Other income counts in the exclusion where its kind is given (interest, dividends and gains
are eligible retirement income).

Not guessed (not covered): a unit whose exclusion turns on what the other income is (from 60,
with other income of no given kind and the distribution under the limit); a joint return with
wages or other
income (spouses may file combined separate returns, and whose income it is decides); a
governmental plan's distribution before 60 (a pension's $2,000 exclusion, not a 457(b)'s); a
filer 60 or older under the elderly exclusion's income limit.  Not modelled: the personal
credits ($110 each, more from 60), itemized deductions, dependents, other credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    aged,
    answer_unless,
    joint,
    other_income_unknown,
)
from dist401k.tax.state.units import StateUnits


def delaware_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """PIT-RES tax on Delaware taxable income (before the personal and other credits)."""
    age60, limit = lk.get("state.de.pension_exclusion_age"), lk.get("state.de.pension_exclusion")
    older = u.age_head >= age60
    kinds = OtherIncome.of(u)
    eligible = np.maximum(0.0, u.taxable_distributions + kinds.total)
    exclusion = np.where(older, np.minimum(eligible, limit), 0.0)
    de_agi = u.federal_agi - u.taxable_social_security - exclusion
    aged_65 = aged(u, lk.get("state.de.aged_standard_deduction_age"))
    deduction = (lk.get("state.de.standard_deduction")
                 + aged_65 * lk.get("state.de.aged_standard_deduction"))
    tax = schedule_tax(lk, "state.de.brackets", "state.de.rates", np.maximum(0.0, de_agi - deduction))
    other = u.other_income > HALF_CENT
    anyone_older = older | (joint(u) & (u.age_spouse >= age60))
    unknown = {
        "STATE_DE_RETIREMENT_INCOME_NOT_SPLIT": (anyone_older & other_income_unknown(u)
                                                 & (u.taxable_distributions < limit))
        | (joint(u) & (other | (u.wages > 0))),
        "STATE_DE_PUBLIC_PENSION_NOT_MODELLED": ~older & u.governmental_plan & (u.taxable_distributions > 0),
        "STATE_DE_ELDERLY_EXCLUSION_NOT_MODELLED":
            anyone_older & (u.federal_agi < lk.get("state.de.elderly_exclusion_agi")),
    }
    uncovered = np.zeros(len(u), dtype=bool)
    for key in unknown:
        unknown[key] = unknown[key] & ~uncovered
        uncovered |= unknown[key]
    return answer_unless(uncovered, tax, {
        "STATE_DE_PENSION_EXCLUSION": ~uncovered & (exclusion > 0),
        **unknown,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
