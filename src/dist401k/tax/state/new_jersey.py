"""New Jersey gross income tax on a tax unit with retirement income (NJ-1040).

New Jersey does not start from federal AGI: it adds up its own categories of gross income
(N.J.S.A. 54A:5-1), here wages, the other income of federal AGI (interest, gains) and the
plan distribution.  A plan distribution is New Jersey income only beyond the contributions New
Jersey already taxed (`state_basis_recovered`).  Social Security is not income (54A:6-2).

Total income (line 27) less the exclusions of a filer 62 or older (lines 28a–28b) is New
Jersey gross income (line 29):

* the pension exclusion (54A:6-10): the pensions, annuities and plan distributions of a person
  62 or older (only that spouse's on a joint return), times a share that falls with total
  income above $100,000 and ends above $150,000, up to a most by filing status;
* the other retirement income exclusion (54A:6-15): what is left of that most, against the
  same share of the other income of the person 62 or older, when earned income is $3,000 or
  less.  Its special exclusion for those who will never receive Social Security or Railroad
  Retirement is not modelled: a unit that could claim it (no Social Security on the return, and
  not ``social_security_expected``) is not covered, and so is a joint return where one spouse
  only is 62 or older and the other income (whose it is) decides the exclusion.

The exemptions (54A:3-1: $1,000 each, $1,000 more each from 65) come off and the rate schedule
of 54A:2-1 taxes the rest; no tax is due when gross income is at or below the threshold of
54A:2-4.  New Jersey has no tax of its own on early distributions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, joint, people
from dist401k.tax.state.units import StateUnits


def new_jersey_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """NJ-1040 line 43 tax (before credits and the property tax deduction), for each unit."""
    distribution = np.maximum(0.0, u.taxable_distributions - u.state_basis_recovered)
    other = np.maximum(0.0, u.wages + u.other_income)
    total_income = distribution + other
    ex = retirement_exclusions(lk, u, distribution, other, total_income)
    gross_income = np.maximum(0.0, total_income - ex.pension - ex.other)
    exemptions = (people(u) * lk.get("state.nj.personal_exemption")
                  + aged(u, lk.get("state.nj.aged_exemption_age")) * lk.get("state.nj.aged_exemption"))
    taxable = np.maximum(0.0, gross_income - exemptions)
    exempt = gross_income <= lk.get("state.nj.no_tax_threshold")
    tax = np.where(exempt, 0.0, schedule_tax(lk, "state.nj.brackets", "state.nj.rates", taxable))
    unknown = ex.special_unknown | ex.whose_unknown
    return answer_unless(unknown, tax, {
        "STATE_NJ_PENSION_EXCLUSION": ~unknown & (ex.pension > 0),
        "STATE_NJ_OTHER_RETIREMENT_EXCLUSION": ~unknown & (ex.other > 0),
        "STATE_NJ_BASIS_RECOVERED": (u.state_basis_recovered > 0) & (u.taxable_distributions > 0),
        "STATE_NJ_BELOW_THRESHOLD": ~unknown & exempt,
        "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED": ex.special_unknown,
        "STATE_NJ_RETIREMENT_INCOME_NOT_SPLIT": ex.whose_unknown & ~ex.special_unknown,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.social_security > 0,
    })


@dataclass
class Exclusions:
    """Lines 28a and 28b, and where they turn on a fact that is not an input."""

    pension: np.ndarray
    other: np.ndarray
    special_unknown: np.ndarray  # the special exclusion may apply (no Social Security)
    whose_unknown: np.ndarray  # one spouse only 62 or older, other income not split


def retirement_exclusions(lk: Lookup, u: StateUnits, distribution, other, total_income) -> Exclusions:
    """The pension exclusion (line 28a) and the other retirement income exclusion (line 28b,
    its unclaimed pension exclusion part), each the share of income that total income allows,
    up to the most of the filing status; the head's distribution counts when the head is 62 or
    older, the other income when every person on the return is."""
    age = lk.get("state.nj.retirement_exclusion_age")
    head = u.age_head >= age
    spouse = joint(u) & (u.age_spouse >= age)
    anyone = head | spouse
    share = exclusion_share(lk, total_income)
    most = lk.get("state.nj.pension_exclusion")
    pension = np.where(head, np.minimum(share * distribution, most), 0.0)
    earned_ok = u.wages <= lk.get("state.nj.other_retirement_earned_income_limit") + HALF_CENT
    open_28b = anyone & earned_ok & (share > 0)
    both_or_alone = np.where(joint(u), head & spouse, head)
    unused = np.maximum(0.0, most - pension)
    other_excl = np.where(open_28b & both_or_alone, np.minimum(share * other, unused), 0.0)
    whose_unknown = open_28b & ~both_or_alone & (other > HALF_CENT) & (unused > 0)
    special_unknown = open_28b & (u.social_security <= 0) & ~u.social_security_expected
    return Exclusions(pension, other_excl, special_unknown, whose_unknown)


def exclusion_share(lk: Lookup, total_income) -> np.ndarray:
    """The share of retirement income New Jersey excludes at this total income (line 27): the
    share of the step the income is in, a step reached only when income is over it."""
    steps = lk.get("state.nj.retirement_exclusion_income_steps")
    shares = lk.get("state.nj.retirement_exclusion_shares")
    k = (np.asarray(total_income)[:, None] > steps).sum(axis=1)
    return np.take_along_axis(shares, k[:, None], axis=1)[:, 0]
