"""Missouri individual income tax on a tax unit with retirement income (Form MO-1040, MO-A).

Missouri AGI is federal AGI (with Missouri's additions and subtractions, none of which these
units have).  From it come off the pension and Social Security exemption (RSMo 143.124, Form
MO-A Part 3): the taxable Social Security from 62, wholly from 2024 (Section C), and the head's
private pension (a plan or IRA distribution, early or not) up to $6,000 less the amount by
which Missouri AGI less taxable Social Security passes the income limit (Section B); the
federal standard deduction the federal return took, with its additions for age and blindness
(RSMo 143.131); a share of the federal income tax falling with Missouri AGI, within its limit
(RSMo 143.171: Form 1040 line 22); the head of household or surviving spouse exemption (RSMo
143.161).  The RSMo 143.011 schedule taxes the rest (on a combined return, each spouse's share
by Missouri AGI: here all the head's).  Missouri has no tax of its own on early
distributions.

Not covered (NaN): a governmental plan's distribution (the public pension exemption, Section
A, turns on the payer and on the Social Security received), Social Security before 62 (only
disability benefits qualify: the kind is not an input) or on a joint return with one spouse
only 62 or older (whose it is), a combined return with income besides the head's
distribution (each spouse's share of Missouri AGI is not an input), a federal itemizer
(Missouri's itemized deductions leave out the state income tax; not inputs) and a unit whose
federal figures were not given.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, answer_unless, by_step, federal_figures_unknown, joint
from dist401k.tax.state.units import StateUnits


def missouri_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form MO-1040 line 26 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_standard_deduction", "federal_income_tax")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    age = lk.get("state.mo.social_security_age")
    head, spouse = u.age_head >= age, joint(u) & (u.age_spouse >= age)
    with_ss = u.taxable_social_security > 0
    ss_unknown = with_ss & (~head | (joint(u) & (head != spouse)))
    mo_agi = u.federal_agi
    excess = np.maximum(0.0, mo_agi - u.taxable_social_security
                        - lk.get("state.mo.private_pension_agi_limit"))
    pension = np.maximum(0.0, np.minimum(u.taxable_distributions,
                                         lk.get("state.mo.private_pension_exemption")) - excess)
    federal = np.nan_to_num(u.federal_income_tax) * federal_tax_share(lk, mo_agi)
    federal = np.minimum(federal, lk.get("state.mo.federal_tax_deduction_cap"))
    taxable = np.maximum(0.0, mo_agi - u.taxable_social_security - pension
                         - np.nan_to_num(u.federal_standard_deduction) - federal
                         - lk.get("state.mo.filing_status_exemption"))
    # A combined return taxes each spouse's share of Missouri taxable income (the share of
    # Missouri AGI) on the schedule: known only where all the income is the head's distribution.
    split_unknown = joint(u) & (mo_agi - u.taxable_distributions > 0)
    tax = schedule_tax(lk, "state.mo.brackets", "state.mo.rates", taxable)
    return answer_unless(not_given | itemizer | public | ss_unknown | split_unknown, tax, {
        "STATE_MO_COMBINED_SPLIT_NOT_COVERED": split_unknown,
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_MO_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_MO_PUBLIC_PENSION_NOT_COVERED": public,
        "STATE_MO_SOCIAL_SECURITY_NOT_COVERED": ss_unknown,
        "STATE_MO_PRIVATE_PENSION_EXEMPTION": pension > 0,
        "STATE_MO_FEDERAL_TAX_DEDUCTION": federal > 0,
        "STATE_SOCIAL_SECURITY_EXEMPT": with_ss & ~ss_unknown,
    })


def federal_tax_share(lk: Lookup, mo_agi: np.ndarray) -> np.ndarray:
    """The share of the federal income tax deducted: by the step Missouri AGI falls in (each
    step's upper end included)."""
    return by_step(lk.get("state.mo.federal_tax_deduction_rates"),
                   lk.get("state.mo.federal_tax_deduction_agi"), mo_agi, from_step=False)
