"""Delaware personal income tax on a tax unit with retirement income (PIT-RES).

Delaware AGI is federal AGI less taxable Social Security, and two exclusions come off it (30
Del. C. §1106(b)): each person's pension exclusion (§1106(b)(3)) — from 60, up to $12,500 of
the person's own eligible retirement income (plan and IRA distributions, pensions, interest,
dividends, gains, rents); under 60, up to $2,000 of the person's own pension from an employer
(``periodic_distributions``, the spouse's ``spouse_periodic_distributions``; 83 Del. Laws c.
352) — and then the exclusion for persons 60 or over (§1106(b)(2)), $2,000 each where earned
income is under $2,500 and adjusted gross income "without reduction by this exclusion" — after
the pension exclusion — at most $10,000 ($5,000 and $20,000 of a joint return's).  The standard
deduction and its additions from 65 (§1108) come off and the §1102 schedule — one for every
filing status — taxes the rest.  A married couple may file a joint return or combined separate
returns (each spouse's own income, exclusions and a separate filer's deduction, on the same
schedule); with the split by spouse given (``spouse_…``) the lesser tax is taken, each after
its personal credits (§1110(b), (c): $110 for each personal exemption and $110 more for each
person 60 or over, never more than the return's tax; on combined separate returns each spouse's
own against the spouse's own tax).  A plan
account's distribution before 60 (not a pension) is taxed, early or not; Delaware has no tax of
its own on it.

Other income counts in the pension exclusion where its kind is given (interest, dividends and
gains are eligible retirement income), a spouse's part of it as the spouse's.

Not guessed (not covered): a unit whose exclusion turns on what the other income is (from 60,
with other income of no given kind and the person's distribution under the limit); a joint
return with wages or other income and no split (whose income it is decides the combined
separate returns), or with a pension and someone under 60 where whose pension it is is not
known; a governmental plan's distribution before 60 (a pension's $2,000 exclusion, not a
457(b)'s).  Not modelled: disability (the exclusion for the totally and permanently disabled at
any age), a military pension before 60 (up to $12,500), itemized deductions, dependents (and
their personal credits), other credits; earned income is wages only.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    answer_unless,
    disabled_before,
    joint,
    other_income_unknown,
    own,
    own_income,
    people,
)
from dist401k.tax.state.spouse_ranges import distribution_part_range
from dist401k.tax.state.units import StateUnits


def delaware_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """PIT-RES tax on Delaware taxable income, less the personal credits (§1110(b)); before the
    other credits."""
    age60, limit = lk.get("state.de.pension_exclusion_age"), lk.get("state.de.pension_exclusion")
    age65 = lk.get("state.de.aged_standard_deduction_age")
    is_joint = joint(u)
    d, w, income = own(u, "taxable_distributions"), own(u, "wages"), own_income(u)
    split = is_joint & income.known
    # Each person's eligible retirement income: own distributions and own part of the other
    # income (of a given kind; each kind shared alike).
    kinds_known = ~other_income_unknown(u)
    other = np.where(kinds_known, OtherIncome.of(u).total, 0.0)
    spouse_other = np.where(split & kinds_known, own(u, "other_income").spouse, 0.0)
    ages = (u.age_head, np.where(is_joint, u.age_spouse, -np.inf))
    eligible = (np.where(split, d.head, u.taxable_distributions) + other - spouse_other,
                np.where(split, d.spouse, 0.0) + spouse_other)
    before60, whose_pension = _pensions_before_60(lk, u, d, ages, age60)
    pension = [np.where(age >= age60, np.clip(e, 0.0, limit), young)
               for age, e, young in zip(ages, eligible, before60, strict=True)]
    de_agi = u.federal_agi - u.taxable_social_security

    def elderly(older, wages, agi, status=None):
        """§1106(b)(2): the exclusion for persons 60 or over: ``older`` people qualifying by
        age, the return's ``wages`` and ``agi``, its adjusted gross income "without reduction
        by this exclusion" (after the pension exclusion), a return of ``status`` (the unit's
        own where None)."""
        def amount(name):
            return (lk.get(name) if status is None
                    else lk.law.get(name, u.tax_year, status))

        ok = ((wages < amount("state.de.elderly_exclusion_earned_income"))
              & (agi <= amount("state.de.elderly_exclusion_agi")))
        return np.where(ok, older * lk.get("state.de.elderly_exclusion"), 0.0)

    older = sum((age >= age60).astype(float) for age in ages)
    after_pensions = de_agi - pension[0] - pension[1]
    excluded = pension[0] + pension[1] + elderly(older, u.wages, after_pensions)
    deduction = (lk.get("state.de.standard_deduction")
                 + sum(age >= age65 for age in ages) * lk.get("state.de.aged_standard_deduction"))
    tax = _schedule(lk, de_agi - excluded - deduction)

    # Combined separate returns: each spouse's own Delaware AGI (taxable Social Security in and
    # out), own exclusions, a separate filer's deduction and additions.
    separate_deduction = lk.law.get("state.de.standard_deduction", u.tax_year, MARRIED_SEPARATE)
    separately = np.zeros(len(u))
    for age, own_agi, wages, p in zip(ages, (income.head, income.spouse), (w.head, w.spouse),
                                      pension, strict=True):
        mine = (own_agi - p - elderly((age >= age60).astype(float), wages, own_agi - p,
                                      MARRIED_SEPARATE)
                - separate_deduction - (age >= age65) * lk.get("state.de.aged_standard_deduction"))
        separately += _after_credits(lk, _schedule(lk, mine), 1, (age,))
    # The return is chosen on the tax after the personal credits (§1110(c) caps each return's).
    credited = tax > HALF_CENT
    tax = _after_credits(lk, tax, people(u), ages)
    separate_less = split & (separately < tax - HALF_CENT)
    tax = np.where(separate_less, separately, tax)

    kind_unknown = ~kinds_known & np.logical_or.reduce(
        [(age >= age60) & (e < limit) for age, e in zip(ages, eligible, strict=True)])
    whose = is_joint & ~split & ((u.other_income > HALF_CENT) | (u.wages > 0))
    unknown = {
        "STATE_DE_RETIREMENT_INCOME_NOT_SPLIT": kind_unknown | whose | whose_pension,
        "STATE_DE_PUBLIC_PENSION_NOT_MODELLED": (u.age_head < age60) & u.governmental_plan
        & (u.taxable_distributions > 0),
        # §1106(b)(2): the totally and permanently disabled's $2,000, under the same income tests.
        "STATE_DISABLED_EXCLUSION_NOT_MODELLED": disabled_before(u, age60)
        & (elderly(np.ones(len(u)), u.wages, after_pensions) > 0),
    }
    uncovered = np.zeros(len(u), dtype=bool)
    for key in unknown:
        unknown[key] = unknown[key] & ~uncovered
        uncovered |= unknown[key]
    return answer_unless(uncovered, tax, {
        "STATE_DE_PENSION_EXCLUSION": ~uncovered & (pension[0] + pension[1] > 0),
        "STATE_DE_ELDERLY_EXCLUSION": ~uncovered & (elderly(older, u.wages, after_pensions) > 0),
        "STATE_DE_COMBINED_SEPARATE": ~uncovered & separate_less,
        "STATE_DE_PERSONAL_CREDITS": ~uncovered & credited,
        **unknown,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def _pensions_before_60(lk: Lookup, u: StateUnits, d, ages, age60) -> tuple[list, np.ndarray]:
    """§1106(b)(3) (83 Del. Laws c. 352): each person under 60 excludes up to $2,000 of
    pensions from employers — the pension paid as periodic payments, ``periodic_distributions``
    (the spouse's part ``spouse_periodic_distributions``), not a plan account's lump sum.
    Returns each person's exclusion (the head's, the spouse's) and the joint returns where
    whose pension it is is not known and a person under 60 could have some of it."""
    most = lk.get("state.de.pension_exclusion_before_60")
    least_spouse, most_spouse = distribution_part_range(u, "periodic_distributions", d)
    spouse_part = np.where(joint(u), least_spouse, 0.0)
    parts = (u.periodic_distributions - spouse_part, spouse_part)
    young = [(age < age60) & np.isfinite(age) for age in ages]
    before60 = [np.where(y, np.clip(p, 0.0, most), 0.0) for y, p in zip(young, parts, strict=True)]
    whose = (joint(u) & (most_spouse - least_spouse > HALF_CENT)
             & (u.periodic_distributions > HALF_CENT) & (young[0] | young[1]))
    return before60, whose


def _after_credits(lk: Lookup, tax: np.ndarray, exemptions, ages) -> np.ndarray:
    """30 Del. C. §1110(b), (c): the tax less the personal credits of a return with
    ``exemptions`` personal exemptions (dependents not modelled) and people of ``ages`` (the
    spouse's ``-inf`` where not on it): $110 each, and $110 more for each person 60 or over;
    never below zero (the credits are no more than the tax otherwise due)."""
    from_age = lk.get("state.de.aged_personal_credit_age")
    older = sum((np.asarray(age) >= from_age).astype(float) for age in ages)
    credits = (exemptions * lk.get("state.de.personal_credit")
               + older * lk.get("state.de.aged_personal_credit"))
    return np.maximum(0.0, tax - credits)


def _schedule(lk: Lookup, taxable: np.ndarray) -> np.ndarray:
    return schedule_tax(lk, "state.de.brackets", "state.de.rates", np.maximum(0.0, taxable))
