"""Minnesota individual income tax on a tax unit with retirement income (Form M1).

Minnesota taxable income is federal AGI less the Social Security subtraction (Minn. Stat.
§290.0132, subd. 26: all the federally taxable benefits up to an AGI threshold; above it the
greater of the simplified method, less 10% per step of AGI, and the alternative method on
provisional income), the subtraction for the elderly (subd. 5, Schedule M1R) and the standard
deduction (§290.0123: with its additions from 65, reduced above an AGI threshold); the
§290.06 schedule taxes the rest.  There is no general pension exclusion: plan distributions are
taxed, early or not, and Minnesota has no tax of its own on early distributions.

Not modelled: the alternative minimum tax (§290.091), itemized deductions, dependents, credits.
Not guessed (not covered): a governmental plan's distribution (the public pension subtraction,
§290.0132, subd. 34, turns on the plan and the recipient's service, not inputs); other income
above the 1% net investment income tax's threshold (§290.033).  The elderly subtraction's
disabled filers under 65 are not modelled (disability is not an input).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, joint
from dist401k.tax.state.units import StateUnits


def minnesota_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form M1 tax on Minnesota taxable income (before the AMT and credits), for each unit."""
    social_security = social_security_subtraction(lk, u)
    elderly = elderly_subtraction(lk, u)
    taxable = np.maximum(0.0, u.federal_agi - social_security - elderly - standard_deduction(lk, u))
    tax = schedule_tax(lk, "state.mn.brackets", "state.mn.rates", taxable)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    investment = u.other_income > lk.get("state.mn.investment_income_threshold")
    unknown = public | investment
    return answer_unless(unknown, tax, {
        "STATE_MN_SOCIAL_SECURITY_SUBTRACTION": ~unknown & (social_security > 0),
        "STATE_MN_ELDERLY_SUBTRACTION": ~unknown & (elderly > 0),
        "STATE_MN_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_MN_INVESTMENT_INCOME_TAX_NOT_MODELLED": investment & ~public,
    })


def social_security_subtraction(lk: Lookup, u: StateUnits) -> np.ndarray:
    """Schedule M1M line 12: all the taxable benefits up to the AGI threshold; above it the
    greater of the simplified method (less the step rate per step of AGI, or part of one) and
    the alternative method (an amount less 20% of provisional income above its threshold,
    not more than the taxable benefits)."""
    taxable_ss = u.taxable_social_security
    over = np.maximum(0.0, u.federal_agi - lk.get("state.mn.social_security_reduction_agi"))
    steps = np.ceil(over / lk.get("state.mn.social_security_reduction_step"))
    step_rate = lk.get("state.mn.social_security_reduction_step_rate")
    simplified = taxable_ss * np.maximum(0.0, 1.0 - step_rate * steps)
    provisional = (u.federal_agi - taxable_ss
                   + lk.get("state.mn.social_security_benefit_share") * u.social_security)
    excess = np.maximum(0.0, provisional - lk.get("state.mn.social_security_alternative_income"))
    alternative = np.minimum(taxable_ss, np.maximum(
        0.0, lk.get("state.mn.social_security_alternative")
        - lk.get("state.mn.social_security_alternative_rate") * excess))
    return np.where(over > 0, np.maximum(simplified, alternative), taxable_ss)


def elderly_subtraction(lk: Lookup, u: StateUnits) -> np.ndarray:
    """Schedule M1R: the base amount less nontaxable Social Security and half of federal AGI
    above the offset, for a return whose filer (or, jointly, a spouse) is 65 or older.  A
    joint return where only one spouse qualifies has the joint base and the single filer's
    offset (Minn. Stat. §290.0802, subd. 2(b): "$14,500 for a single taxpayer or for a married
    couple filing a joint return if only one spouse is a qualified individual")."""
    age = lk.get("state.mn.age")
    head, spouse = u.age_head >= age, joint(u) & (u.age_spouse >= age)
    one_of_two = joint(u) & (head ^ spouse)
    offset = np.where(one_of_two, lk.as_single("state.mn.elderly_subtraction_agi"),
                      lk.get("state.mn.elderly_subtraction_agi"))
    amount = np.maximum(0.0, lk.get("state.mn.elderly_subtraction")
                        - (u.social_security - u.taxable_social_security)
                        - lk.get("state.mn.elderly_subtraction_agi_rate")
                        * np.maximum(0.0, u.federal_agi - offset))
    return np.where(head | spouse, amount, 0.0)


def standard_deduction(lk: Lookup, u: StateUnits) -> np.ndarray:
    """§290.0123: the base and the additions from 65, less 3% of federal AGI above the first
    threshold (up to the second) and 10% above the second, at most the limit share; above the
    alternate threshold the limit share outright."""
    full = (lk.get("state.mn.standard_deduction")
            + aged(u, lk.get("state.mn.age")) * lk.get("state.mn.standard_deduction_aged"))
    low = lk.get("state.mn.standard_deduction_reduction_agi")
    high = lk.get("state.mn.standard_deduction_reduction_high_agi")
    reduction = (lk.get("state.mn.standard_deduction_reduction_rate")
                 * np.clip(u.federal_agi - low, 0.0, high - low)
                 + lk.get("state.mn.standard_deduction_reduction_high_rate")
                 * np.maximum(0.0, u.federal_agi - high))
    limit = lk.get("state.mn.standard_deduction_reduction_limit") * full
    reduction = np.where(u.federal_agi > lk.get("state.mn.standard_deduction_alternate_agi"), limit,
                         np.minimum(reduction, limit))
    return np.maximum(0.0, full - reduction)
