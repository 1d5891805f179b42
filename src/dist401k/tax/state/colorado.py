"""Colorado individual income tax on a tax unit with retirement income (Form DR 0104,
Schedule DR 0104AD).

Colorado starts from federal taxable income (C.R.S. §39-22-104(1.7)), adds back the federal
standard deduction beyond $12,000 ($16,000 joint; $1,000 / $2,000 from 2026) when federal AGI is
$300,000 or more (§39-22-104(3)(p.5), (p.7)), and subtracts each person's pension and annuity
income and taxable Social Security (§39-22-104(4)(f)): from 55 up to $20,000 of both together
(all the Social Security from 2025 when federal AGI is at most $75,000 / $95,000), from 65 all
the Social Security and up to $24,000 of pensions less the Social Security subtracted.  The rest
bears the flat rate.

What qualifies (Rule 39-22-104(4)(f)(1)): a plan's benefits paid periodically after retirement
(``periodic_payments`` and ``plan_retirement_conditions_met``; or the periodic part beside a
lump sum, ``periodic_distributions``: a pension in pay, taken as paid after retirement) — a
lump sum from an employer plan does not — and an IRA's distributions, periodic or not
(``ira_distributions``); a premature
distribution (under the federal §72(t) tax) does not (Department of Revenue, FYI Income 25),
the IRA's part of it ``ira_early_distributions`` where the money came from both.
Each spouse subtracts their own (the ``spouse_…`` parts); where a joint return's split is not
given, the distributions are the head's and a unit whose subtraction turns on whose Social
Security it is is not covered.

Not covered: a periodic payment before the plan's retirement conditions were met (whether the
person had retired is not an input), a federal itemizer (the state income tax added back is not
an input), Social Security of someone under 55 (only survivors' benefits qualify), and a person
whose premature part may be a plan's or an IRA's, not given, where that changes the
subtraction.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import (
    StateAnswer,
    answer_unless,
    federal_figures_unknown,
    joint,
    own,
    own_early,
    own_ira,
    own_periodic,
    spouse_benefit_share,
)
from dist401k.tax.state.units import StateUnits


def colorado_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form DR 0104 line 12 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income", "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    addback = np.where(u.federal_agi >= lk.get("state.co.federal_deduction_addback_agi"),
                       np.maximum(0.0, u.federal_standard_deduction
                                  - lk.get("state.co.federal_deduction_addback_exemption")), 0.0)
    plan_part = u.taxable_distributions - u.ira_distributions
    retired_unknown = u.periodic_payments & ~u.plan_retirement_conditions_met & (
        plan_part > HALF_CENT) & (u.age_head >= lk.get("state.co.pension_subtraction_younger_age"))
    subtraction, ss_unknown, not_split, source_unknown = pension_subtraction(lk, u)
    taxable = np.maximum(0.0, u.federal_taxable_income + addback - subtraction)
    unknown = not_given | itemizer | retired_unknown | ss_unknown | not_split | source_unknown
    return answer_unless(unknown, lk.get("state.co.rate") * taxable, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_CO_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_CO_RETIREMENT_NOT_KNOWN": retired_unknown,
        "STATE_CO_SOCIAL_SECURITY_UNDER_55": ss_unknown,
        "STATE_CO_SOCIAL_SECURITY_NOT_SPLIT": not_split,
        "STATE_CO_PREMATURE_SOURCE_NOT_KNOWN": source_unknown,
        "STATE_CO_PENSION_SUBTRACTION": ~unknown & (subtraction > 0),
        "STATE_CO_LUMP_SUM_NOT_PENSION": ~u.periodic_payments & (
            plan_part - u.periodic_distributions > HALF_CENT),
    })


def pension_subtraction(lk: Lookup, u: StateUnits):
    """The DR 0104AD pension and annuity subtraction with the Social Security subtraction, each
    person's own (without a joint return's split, all the head's); the units where someone
    under 55 has Social Security, the joint returns without the split where whose Social
    Security it is would change the answer, and those where the premature part's source
    would."""
    younger_age = lk.get("state.co.pension_subtraction_younger_age")
    older_age = lk.get("state.co.pension_subtraction_older_age")
    younger, older = (lk.get("state.co.pension_subtraction_younger"),
                      lk.get("state.co.pension_subtraction_older"))
    whole = u.federal_agi <= lk.get("state.co.social_security_full_agi_limit")
    d, i, b = own(u, "taxable_distributions"), own_ira(u), own(u, "social_security")
    p = own_periodic(u)
    e, early_unknown = own_early(u, d)
    split = d.known & i.known & b.known & p.known & ~early_unknown
    # The IRA's premature part (NaN where not given: bounded in :func:`qualifying`).
    ie = u.ira_early_distributions
    spouse_ie = np.where(joint(u) & split, u.spouse_ira_early_distributions, 0.0)

    def spouse_part(v):
        return np.where(split, np.nan_to_num(v), 0.0)

    spouse = (spouse_part(d.spouse), spouse_part(i.spouse), spouse_part(e.spouse),
              spouse_part(spouse_benefit_share(u, b) * u.taxable_social_security), spouse_ie,
              spouse_part(p.spouse))
    s_paid, s_ira, s_early, s_ss, _, s_periodic = spouse
    head = (u.taxable_distributions - s_paid, u.ira_distributions - s_ira,
            u.early_distributions - s_early, u.taxable_social_security - s_ss,
            ie - spouse_ie, u.periodic_distributions - s_periodic)

    def cap_at(age):
        return np.where(age >= older_age, older, np.where(age >= younger_age, younger, 0.0))

    total = np.zeros(len(u))
    source_unknown = np.zeros(len(u), dtype=bool)
    for age, (paid, ira, early, ss, ira_early, periodic) in ((u.age_head, head),
                                                            (u.age_spouse, spouse)):
        ss_sub = social_security_subtracted(age, ss, younger_age, older_age, younger, whole)
        room = np.maximum(0.0, cap_at(age) - ss_sub)
        low, high = qualifying(u, paid, ira, early, ira_early, periodic)
        pension = np.minimum(low, room)
        source_unknown |= np.minimum(high, room) > pension + HALF_CENT
        total += ss_sub + pension
    ss = u.taxable_social_security
    ss_head, ss_spouse = head[3], spouse[3]
    ss_unknown = np.where(split, ((ss_head > 0) & (u.age_head < younger_age))
                          | ((ss_spouse > 0) & (u.age_spouse < younger_age)),
                          (ss > 0) & ((u.age_head < younger_age)
                                      | (joint(u) & (u.age_spouse < younger_age))))

    def whole_of_any_share(age):
        return (age >= older_age) | ((age >= younger_age) & ((ss <= younger) | whole))

    # Without the split (all the head's): where whose Social Security it is cannot matter.
    paid, ira, early, _, ira_early, periodic = head
    heads = qualifying(u, paid, ira, early, ira_early, periodic)[0]
    split_free = (whole_of_any_share(u.age_head) & whole_of_any_share(u.age_spouse)
                  & ((heads <= 0) | (heads + ss <= cap_at(u.age_head))))
    not_split = joint(u) & ~split & (ss > 0) & ~ss_unknown & ~split_free
    return total, ss_unknown, not_split, source_unknown & ~ss_unknown & ~not_split


def qualifying(u: StateUnits, paid, ira, early, ira_early,
               periodic_part=0.0) -> tuple[np.ndarray, np.ndarray]:
    """A person's qualifying pension and annuity income, at least and at most (the same but
    where the premature part may be the plan's or the IRA's and ``ira_early``, the IRA's, is
    not given): all of ``paid`` but its premature part where the payments are periodic, else
    the IRA's part but its premature part, with the periodic part beside a lump sum
    (``periodic_part``, never premature)."""
    periodic = np.maximum(0.0, paid - early)
    lump = np.maximum(0.0, paid - ira - periodic_part)
    given = ~np.isnan(ira_early)
    low = np.where(given, ira - np.nan_to_num(ira_early),
                   np.maximum(0.0, ira - early))  # every premature dollar the IRA's
    high = np.where(given, low, ira - np.maximum(0.0, early - lump))  # the lump sum's first
    return (np.where(u.periodic_payments, periodic, np.maximum(low, 0.0) + periodic_part),
            np.where(u.periodic_payments, periodic, np.maximum(high, 0.0) + periodic_part))


def social_security_subtracted(age, ss, younger_age, older_age, younger, whole) -> np.ndarray:
    """A person's Social Security subtraction: all of it from 65, up to the $20,000 limit from
    55 (all of it from 2025 within the AGI limit), none before 55 (survivors' benefits, which
    qualify, are not told apart: such a unit is not covered)."""
    return np.where(age >= older_age, ss,
                    np.where(age >= younger_age, np.where(whole, ss, np.minimum(ss, younger)), 0.0))
