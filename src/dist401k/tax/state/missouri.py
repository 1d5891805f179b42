"""Missouri individual income tax on a tax unit with retirement income (Form MO-1040, MO-A).

Missouri AGI is federal AGI less, from 2025, the capital gain (RSMo 143.121, HB 594: 100% of the
gain reported for federal purposes; here the net long-term gain, ``long_term_gains``).  From it
come off the pension and Social Security exemption (RSMo 143.124, Form MO-A Part 3): the
taxable Social Security from 62, wholly from 2024 (Section C), and each spouse's private
pension (a plan or IRA distribution, early or not) up to $6,000 less the amount by which
Missouri AGI less taxable Social Security passes the income limit (Section B); the federal
standard deduction the federal return took, with its additions for age and blindness (RSMo
143.131); a share of the federal income tax falling with Missouri AGI, within its limit (RSMo
143.171: Form 1040 line 22); the head of household or surviving spouse exemption (RSMo
143.161).  The RSMo 143.011 schedule taxes the rest; on a combined return each spouse's share
of it by each one's Missouri AGI (the MO-1040 income percentages: each spouse's own income, the
taxable Social Security shared as the benefits are, jointly held property's income by
ownership), from the spouse's parts (``spouse_…``) where given; a spouse whose own Missouri
AGI is below zero is given none of it (the most tax the percentages can make: the form's rule
for that case was not read).  Missouri has no tax of its own on early distributions.

Not covered (NaN): a governmental plan's distribution (the public pension exemption, Section
A, turns on the payer and on the Social Security received), Social Security of a person under
62 (only disability benefits qualify: the kind is not an input) or, without the split, on a
joint return with one spouse only 62 or older (whose it is), a combined return whose split was
not given with income besides the head's distribution, from 2025 a unit with other income
whose kind was not given (the capital gain comes off), a federal itemizer (Missouri's itemized
deductions leave out the state income tax; not inputs) and a unit whose federal figures were
not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    answer_unless,
    by_step,
    federal_figures_unknown,
    joint,
    other_income_unknown,
    own,
    spouse_benefit_share,
)
from dist401k.tax.state.spouse_ranges import part_range
from dist401k.tax.state.units import StateUnits


def missouri_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form MO-1040 line 26 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_standard_deduction", "federal_income_tax")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    d, ss = own(u, "taxable_distributions"), own(u, "social_security")
    # From 2025 the capital gain comes off (HB 594): where the other income's kind is known.
    gain_share = lk.get("state.mo.capital_gain_subtraction", before=0.0)
    gain_unknown = (gain_share > 0) & other_income_unknown(u)
    gain = gain_share * np.maximum(0.0, OtherIncome.of(u).long_term_gains)
    mo_agi = u.federal_agi - gain
    ss_unknown = _social_security_unknown(lk, u, ss, joint(u) & ss.known)
    excess = np.maximum(0.0, mo_agi - u.taxable_social_security
                        - lk.get("state.mo.private_pension_agi_limit"))
    most = lk.get("state.mo.private_pension_exemption")
    pension = (np.maximum(0.0, np.minimum(d.head, most) - excess)
               + np.maximum(0.0, np.minimum(d.spouse, most) - excess))
    federal = np.nan_to_num(u.federal_income_tax) * federal_tax_share(lk, mo_agi)
    federal = np.minimum(federal, lk.get("state.mo.federal_tax_deduction_cap"))
    taxable = np.maximum(0.0, mo_agi - u.taxable_social_security - pension
                         - np.nan_to_num(u.federal_standard_deduction) - federal
                         - lk.get("state.mo.filing_status_exemption"))
    tax, negative, split_unknown = _combined(lk, u, d, ss, gain, mo_agi, taxable)
    uncovered = not_given | itemizer | public | ss_unknown | split_unknown | gain_unknown
    return answer_unless(uncovered, tax, {
        "STATE_MO_COMBINED_SPLIT_NOT_COVERED": split_unknown,
        "STATE_MO_SPOUSE_INCOME_BELOW_ZERO": negative & ~uncovered,
        "STATE_MO_CAPITAL_GAIN_KIND_NOT_GIVEN": gain_unknown,
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_MO_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_MO_PUBLIC_PENSION_NOT_COVERED": public,
        "STATE_MO_SOCIAL_SECURITY_NOT_COVERED": ss_unknown,
        "STATE_MO_PRIVATE_PENSION_EXEMPTION": pension > 0,
        "STATE_MO_CAPITAL_GAIN_SUBTRACTION": gain > 0,
        "STATE_MO_FEDERAL_TAX_DEDUCTION": federal > 0,
        "STATE_SOCIAL_SECURITY_EXEMPT": (u.taxable_social_security > 0) & ~ss_unknown,
    })


def _combined(lk: Lookup, u: StateUnits, d, ss, gain, mo_agi, taxable):
    """The tax of each unit, on a combined return each spouse's share of Missouri taxable income
    by each one's Missouri AGI (MO-1040 income percentages: the taxable Social Security shared
    as the benefits are, the capital gain as the other income); the units where a spouse's own
    Missouri AGI is below zero (a share of a loss: that spouse is given none of the taxable
    income and the other all of it, the most tax the two percentages can make); and the joint
    returns whose split of the wages, other income or Social Security was not given where it
    would change the tax (the distributions are each spouse's as ``spouse_distributions``
    says, all the head's without it).  The spouse's share is then anywhere between its least
    and its most, the tax of the two shares convex in it: the same at both ends and midway, it
    is the same throughout."""
    on_joint = joint(u)
    wages, other = part_range(u, "wages"), part_range(u, "other_income")
    # The spouse's part of the other income less that part's share of the capital gain.
    net = 1.0 - np.divide(gain, u.other_income, out=np.zeros(len(u)),
                          where=np.abs(u.other_income) > HALF_CENT)
    benefits = np.where(ss.known, spouse_benefit_share(u, ss), 0.0) * u.taxable_social_security
    ends = []
    for k in (0, 1):
        other_part = (np.minimum if k == 0 else np.maximum)(net * other[0], net * other[1])
        ss_part = np.where(ss.known, benefits, k * u.taxable_social_security)
        ends.append(np.where(on_joint, d.spouse + wages[k] + other_part + ss_part, 0.0))

    def share(spouse_agi):
        return np.where(mo_agi > 0, np.divide(spouse_agi, mo_agi, out=np.zeros(len(u)),
                                              where=mo_agi > 0), 0.0).clip(0.0, 1.0)

    def shared(part):
        return (schedule_tax(lk, "state.mo.brackets", "state.mo.rates", taxable * (1.0 - part))
                + schedule_tax(lk, "state.mo.brackets", "state.mo.rates", taxable * part))

    least, most = share(ends[0]), share(ends[1])
    tax = shared(least)
    split_unknown = on_joint & ((np.abs(shared(most) - tax) > HALF_CENT)
                                | (np.abs(shared(np.mean([least, most], axis=0)) - tax) > HALF_CENT))
    negative = on_joint & (mo_agi > 0) & (np.minimum(mo_agi - ends[0], ends[0]) < 0)
    return tax, negative, split_unknown


def _social_security_unknown(lk: Lookup, u: StateUnits, ss, split: np.ndarray) -> np.ndarray:
    """Units with taxable Social Security whose exemption is not known: a person under 62 with
    benefits (only disability benefits qualify, and the kind is not an input); without the
    split on a joint return, one spouse only 62 or older (whose benefits they are)."""
    age = lk.get("state.mo.social_security_age")
    head, spouse = u.age_head >= age, joint(u) & (u.age_spouse >= age)
    with_ss = u.taxable_social_security > 0
    unsplit = with_ss & (~head | (joint(u) & (head != spouse)))
    young = with_ss & (((ss.head > 0) & ~head) | ((ss.spouse > 0) & ~spouse))
    return np.where(split, young, unsplit)


def federal_tax_share(lk: Lookup, mo_agi: np.ndarray) -> np.ndarray:
    """The share of the federal income tax deducted: by the step Missouri AGI falls in (each
    step's upper end included)."""
    return by_step(lk.get("state.mo.federal_tax_deduction_rates"),
                   lk.get("state.mo.federal_tax_deduction_agi"), mo_agi, from_step=False)
