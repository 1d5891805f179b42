"""District of Columbia individual income tax on a tax unit with retirement income (Form D-40).

DC AGI is federal AGI less taxable Social Security (D.C. Code §47-1803.02(a)(2)(N)); the
standard deduction (the federal basic amount in 2024, the District's own from 2025, with the
federal additional amounts for age) comes off and one schedule for every filing status taxes
the rest (§47-1806.03).  Plan distributions are taxed as in federal AGI, early or not: the
District has no retirement income exclusion for them (its $3,000 exclusion of DC and federal
government pensions from 62 ended with 2014) and no tax of its own on early distributions.

Spouses on a joint return may file separately on the same return (Schedule S, Calculation J):
each on their own income, the deduction divided as they wish, whichever of the two is less.
With the split by spouse given (``spouse_wages``, ``spouse_distributions``,
``spouse_other_income``; a joint account's income half each's) the lesser is taken.

Not covered: a joint return with wages or other income (a loss too) whose split was not given
(whose income it is decides), one whose spouse's part of the other income is a loss beyond the $1,500 a
separate filer deducts (§1211(b)), and a federal itemizer (``federal_standard_deduction``
zero: DC's itemized deductions, which leave out income taxes, must then be taken, and they are
not inputs).  Not modelled: dependents, the blind addition, credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, joint, own, own_income
from dist401k.tax.state.units import StateUnits


def district_of_columbia_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """D-40 line 21 tax (before credits), for each unit."""
    dc_agi = u.federal_agi - u.taxable_social_security
    deduction = (lk.get("state.dc.standard_deduction")
                 + aged(u, lk.get("income_tax.additional_standard_deduction_age"))
                 * lk.get("income_tax.additional_standard_deduction"))
    tax = schedule_tax(lk, "state.dc.brackets", "state.dc.rates", np.maximum(0.0, dc_agi - deduction))
    income, o = own_income(u), own(u, "other_income")
    split = joint(u) & income.known
    separately = _separately(lk, income.head, income.spouse, deduction)
    tax = np.where(split, np.minimum(tax, separately), tax)
    # Wages or other income (a loss too) whose split was not given: whose it is decides.
    whose = joint(u) & ~split & ((u.wages > HALF_CENT) | (np.abs(u.other_income) > HALF_CENT))
    # Filing separately each spouse deducts at most $1,500 of a net capital loss (§1211(b)):
    # a spouse's part of the other income below that is a loss the joint return limited
    # otherwise.
    loss_limit = lk.law.get("capital_gains.loss_limit", u.tax_year, MARRIED_SEPARATE)
    loss_whose = split & (np.minimum(o.head, o.spouse) < -loss_limit - HALF_CENT)
    itemizer = u.federal_standard_deduction == 0  # unknown (NaN) is taken as the standard
    return answer_unless(whose | loss_whose | itemizer, tax, {
        "STATE_DC_INCOME_NOT_SPLIT": whose | loss_whose,
        "STATE_DC_SEPARATE_ON_SAME_RETURN": split & ~loss_whose & (separately < tax + HALF_CENT)
        & (separately > 0),
        "STATE_DC_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def _separately(lk: Lookup, head_agi, spouse_agi, deduction) -> np.ndarray:
    """The tax of a couple filing separately on the same return (Schedule S, Calculation J):
    each spouse's own DC AGI (each one's taxable Social Security in and out) less the part of
    the deduction given to that spouse — allocated as they wish, here so that their taxable
    incomes come as near equal as the deduction allows (one schedule for both: the least tax)."""
    give = np.clip((head_agi - spouse_agi + deduction) / 2.0, 0.0, deduction)
    return (schedule_tax(lk, "state.dc.brackets", "state.dc.rates",
                         np.maximum(0.0, head_agi - give))
            + schedule_tax(lk, "state.dc.brackets", "state.dc.rates",
                           np.maximum(0.0, spouse_agi - (deduction - give))))
