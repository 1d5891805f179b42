"""Colorado individual income tax on a tax unit with retirement income (Form DR 0104,
Schedule DR 0104AD).

Colorado starts from federal taxable income (C.R.S. §39-22-104(1.7)), adds back the federal
standard deduction beyond $12,000 ($16,000 joint; $1,000 / $2,000 from 2026) when federal AGI is
$300,000 or more (§39-22-104(3)(p.5), (p.7)), and subtracts each person's pension and annuity
income and taxable Social Security (§39-22-104(4)(f)): from 55 up to $20,000 of both together
(all the Social Security from 2025 when federal AGI is at most $75,000 / $95,000), from 65 all
the Social Security and up to $24,000 of pensions less the Social Security subtracted.  The rest
bears the flat rate.

What qualifies (Rule 39-22-104(4)(f)): a plan's benefits paid periodically after retirement
(``periodic_payments`` and ``plan_retirement_conditions_met``); a lump sum from an employer plan
does not.  A periodic payment before the plan's retirement conditions were met is not covered
(whether the person had retired is not an input), nor are: a federal itemizer (the state income
tax added back is not an input), Social Security of someone under 55 (only survivors' benefits
qualify), and a joint return whose subtraction turns on whose Social Security it is.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, answer_unless, federal_figures_unknown, joint
from dist401k.tax.state.units import StateUnits


def colorado_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form DR 0104 line 12 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income", "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    addback = np.where(u.federal_agi >= lk.get("state.co.federal_deduction_addback_agi"),
                       np.maximum(0.0, u.federal_standard_deduction
                                  - lk.get("state.co.federal_deduction_addback_exemption")), 0.0)
    qualifying = np.where(u.periodic_payments & u.plan_retirement_conditions_met,
                          u.taxable_distributions, 0.0)
    retired_unknown = u.periodic_payments & ~u.plan_retirement_conditions_met & (
        u.taxable_distributions > 0) & (u.age_head >= lk.get("state.co.pension_subtraction_younger_age"))
    subtraction, ss_unknown, not_split = pension_subtraction(lk, u, qualifying)
    taxable = np.maximum(0.0, u.federal_taxable_income + addback - subtraction)
    unknown = not_given | itemizer | retired_unknown | ss_unknown | not_split
    return answer_unless(unknown, lk.get("state.co.rate") * taxable, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_CO_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_CO_RETIREMENT_NOT_KNOWN": retired_unknown,
        "STATE_CO_SOCIAL_SECURITY_UNDER_55": ss_unknown,
        "STATE_CO_SOCIAL_SECURITY_NOT_SPLIT": not_split,
        "STATE_CO_PENSION_SUBTRACTION": ~unknown & (subtraction > 0),
        "STATE_CO_LUMP_SUM_NOT_PENSION": ~u.periodic_payments & (u.taxable_distributions > 0),
    })


def pension_subtraction(lk: Lookup, u: StateUnits, qualifying: np.ndarray):
    """The DR 0104AD pension and annuity subtraction with the Social Security subtraction, the
    Social Security taken as the head's (the distribution is); the units where someone under 55
    has it, and the joint returns where whose it is would change the answer."""
    younger_age = lk.get("state.co.pension_subtraction_younger_age")
    older_age = lk.get("state.co.pension_subtraction_older_age")
    younger = lk.get("state.co.pension_subtraction_younger")
    ss = u.taxable_social_security
    whole = u.federal_agi <= lk.get("state.co.social_security_full_agi_limit")
    ss_head = social_security_subtracted(u.age_head, ss, younger_age, older_age, younger, whole)
    cap = np.where(u.age_head >= older_age, lk.get("state.co.pension_subtraction_older"),
                   np.where(u.age_head >= younger_age, younger, 0.0))
    pension = np.minimum(qualifying, np.maximum(0.0, cap - ss_head))
    ss_unknown = (ss > 0) & ((u.age_head < younger_age)
                             | (joint(u) & (u.age_spouse < younger_age)))

    def whole_of_any_share(age):
        return (age >= older_age) | ((age >= younger_age) & ((ss <= younger) | whole))

    split_free = (whole_of_any_share(u.age_head) & whole_of_any_share(u.age_spouse)
                  & ((qualifying <= 0) | (qualifying + ss <= cap)))
    not_split = joint(u) & (ss > 0) & ~ss_unknown & ~split_free
    return ss_head + pension, ss_unknown, not_split


def social_security_subtracted(age, ss, younger_age, older_age, younger, whole) -> np.ndarray:
    """A person's Social Security subtraction: all of it from 65, up to the $20,000 limit from
    55 (all of it from 2025 within the AGI limit), none before 55 (survivors' benefits, which
    qualify, are not told apart: such a unit is not covered)."""
    return np.where(age >= older_age, ss,
                    np.where(age >= younger_age, np.where(whole, ss, np.minimum(ss, younger)), 0.0))
