"""New Jersey gross income tax on a tax unit with retirement income (NJ-1040).

New Jersey does not start from federal AGI: it adds up its own categories of gross income
(N.J.S.A. 54A:5-1), here wages, the other income of federal AGI (interest, gains) and the
plan distribution.  A plan distribution is New Jersey income only beyond the contributions New
Jersey already taxed (`state_basis_recovered`).  Those are the employee contributions to a
403(b), 457 or 414(h) plan (N.J.A.C. 18:35-2.5(a); only 401(k) contributions are deferred,
54A:6-21), recovered by New Jersey's own rule (the three-year rule or the General Rule): where
the caller knows the payment returns some but not how much (``state_basis_recovered`` NaN),
the unit is not covered (:func:`taxed_contributions_untold`).  Social Security is not income
(54A:6-2).

Total income (line 27) less the exclusions of a filer 62 or older (lines 28a–28b) is New
Jersey gross income (line 29):

* the pension exclusion (54A:6-10): the pensions, annuities and plan distributions of a person
  62 or older (only that spouse's on a joint return), times a share that falls with total
  income above $100,000 and ends above $150,000, up to a most by filing status (the return's,
  whoever's distribution it is);
* the other retirement income exclusion (54A:6-15): what is left of that most, against the
  same share of the other income (wages, interest, gains) of the person 62 or older (only that
  spouse's on a joint return), when earned income is $3,000 or less.  Its special exclusion
  for those who will never receive Social Security or Railroad Retirement is not modelled: a
  unit that could claim it (no Social Security on the return, and not
  ``social_security_expected``) is not covered where its tax without it is above zero; where
  the tax is none without it, it is none with it (:func:`special_exclusion_matters`).

Whose income it is on a joint return comes from the spouse's parts (``spouse_distributions``,
``spouse_wages``, ``spouse_other_income``); a part not given is the head's, as in the other
states, so where ``spouse_distributions`` is not given the head's age decides the exclusion of
the whole distribution.  A joint return where one spouse only is 62 or older is not covered where
whose income it is would still decide the answer: other income whose split was not given, or
contributions New Jersey already taxed (``state_basis_recovered``, one figure for the return)
when both spouses have distributions.

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
from dist401k.tax.state.common import (
    StateAnswer,
    aged,
    answer_unless,
    disabled_before,
    joint,
    own,
    people,
    share_bounds,
)
from dist401k.tax.state.units import StateUnits


def new_jersey_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """NJ-1040 line 43 tax (before credits and the property tax deduction), for each unit."""
    untold = taxed_contributions_untold(u)
    distribution = np.maximum(0.0, u.taxable_distributions - known_basis(u))
    other = np.maximum(0.0, u.wages + u.other_income)
    total_income = distribution + other
    ex = retirement_exclusions(lk, u, other, total_income)
    gross_income = np.maximum(0.0, total_income - ex.pension - ex.other)
    exemptions = (people(u) * lk.get("state.nj.personal_exemption")
                  + aged(u, lk.get("state.nj.aged_exemption_age")) * lk.get("state.nj.aged_exemption"))
    taxable = np.maximum(0.0, gross_income - exemptions)
    exempt = gross_income <= lk.get("state.nj.no_tax_threshold")
    tax = np.where(exempt, 0.0, schedule_tax(lk, "state.nj.brackets", "state.nj.rates", taxable))
    disabled = disabled_before(u, lk.get("state.nj.retirement_exclusion_age"))
    special = special_exclusion_matters(ex.special_unknown, tax)
    unknown = special | ex.whose_unknown | ex.basis_unknown | disabled | untold
    return answer_unless(unknown, tax, {
        "STATE_NJ_TAXED_CONTRIBUTIONS_NOT_FIGURED": untold,
        "STATE_DISABLED_EXCLUSION_NOT_MODELLED": disabled,
        "STATE_NJ_PENSION_EXCLUSION": ~unknown & (ex.pension > 0),
        "STATE_NJ_OTHER_RETIREMENT_EXCLUSION": ~unknown & (ex.other > 0),
        "STATE_NJ_BASIS_RECOVERED": (known_basis(u) > 0) & (u.taxable_distributions > 0),
        "STATE_NJ_BELOW_THRESHOLD": ~unknown & exempt,
        "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED": special,
        "STATE_NJ_RETIREMENT_INCOME_NOT_SPLIT": ex.whose_unknown & ~special,
        "STATE_NJ_BASIS_NOT_SPLIT": ex.basis_unknown & ~special,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.social_security > 0,
    })


def special_exclusion_matters(could_claim, tax) -> np.ndarray:
    """Units that could claim line 28b's special exclusion (``could_claim``) and whose tax
    without it (``tax``) is above zero: only there does whether it applies change the answer.

    The special exclusion (N.J.S.A. 54A:6-15; NJ-1040 line 28b) only lowers New Jersey gross
    income (line 29), and the tax never rises as gross income falls (the rate schedule of
    54A:2-1 on what is left after the exemptions, none at all at or below the threshold of
    54A:2-4): where the tax is already none without the exclusion (the pension exclusion of
    line 28a took all the income, or what is left is at or below the threshold) the answer is
    that none, whatever the exclusion.  Where the tax is above zero the exclusion, a fixed sum
    of thousands of dollars, lowers it (to none, or by its amount at a positive rate), so
    whether it applies decides the answer: not covered."""
    return np.asarray(could_claim, bool) & (np.asarray(tax, float) > HALF_CENT)


def taxed_contributions_untold(u: StateUnits) -> np.ndarray:
    """Units paid a distribution part of which returns contributions New Jersey already taxed,
    how much of it not being known (``state_basis_recovered`` NaN: the caller knows such
    contributions are in the payment but not the part New Jersey's rule recovers from it).

    New Jersey defers the tax only on 401(k) contributions (N.J.S.A. 54A:6-21); the employee
    contributions to a 403(b), 457 or 414(h) plan are New Jersey income when made (N.J.A.C.
    18:35-2.5(a)), and come back free of its tax by its own rule (the three-year rule or the
    General Rule, NJ-1040 instructions, line 20b; GIT-1 & 2).  That rule is not figured here:
    such a unit is not covered, never taxed on the whole payment."""
    return np.isnan(u.state_basis_recovered) & (u.taxable_distributions > HALF_CENT)


def known_basis(u: StateUnits) -> np.ndarray:
    """``state_basis_recovered``, zero where it is not known (such a unit is not covered:
    :func:`taxed_contributions_untold`)."""
    return np.nan_to_num(u.state_basis_recovered, nan=0.0)


@dataclass
class Exclusions:
    """Lines 28a and 28b, and where they turn on a fact that is not an input."""

    pension: np.ndarray
    other: np.ndarray
    special_unknown: np.ndarray  # the special exclusion may apply (no Social Security)
    whose_unknown: np.ndarray  # one spouse only 62 or older, other income not split
    basis_unknown: np.ndarray  # one spouse only 62 or older, whose the taxed basis is


def retirement_exclusions(lk: Lookup, u: StateUnits, other, total_income) -> Exclusions:
    """The pension exclusion (line 28a) and the other retirement income exclusion (line 28b,
    its unclaimed pension exclusion part), each the share of income that total income allows,
    up to the most of the filing status.  Only the income of a person 62 or older counts: on a
    joint return where one spouse only is, only that spouse's own distributions and other
    income (54A:6-10, 6-15; NJ-1040 instructions, lines 28a and 28b)."""
    age = lk.get("state.nj.retirement_exclusion_age")
    head = u.age_head >= age
    spouse = joint(u) & (u.age_spouse >= age)
    share = exclusion_share(lk, total_income)
    most = lk.get("state.nj.pension_exclusion")
    least_paid, most_paid = qualified_distributions(u, head, spouse)
    pension = np.minimum(share * least_paid, most)
    basis_unknown = np.minimum(share * most_paid, most) > pension + HALF_CENT
    earned_ok = u.wages <= lk.get("state.nj.other_retirement_earned_income_limit") + HALF_CENT
    open_28b = (head | spouse) & earned_ok & (share > 0)
    w, o = own(u, "wages"), own(u, "other_income")
    mine = (np.where(head, np.maximum(0.0, w.head + o.head), 0.0)
            + np.where(spouse, np.maximum(0.0, w.spouse + o.spouse), 0.0))
    unused = np.maximum(0.0, most - pension)
    other_excl = np.where(open_28b, np.minimum(share * np.minimum(mine, other), unused), 0.0)
    whose_unknown = (open_28b & (head != spouse) & ~(w.known & o.known) & (other > HALF_CENT)
                     & (unused > 0))
    special_unknown = open_28b & (u.social_security <= 0) & ~u.social_security_expected
    return Exclusions(pension, other_excl, special_unknown, whose_unknown, basis_unknown)


def qualified_distributions(u: StateUnits, head, spouse) -> tuple[np.ndarray, np.ndarray]:
    """The New Jersey income from the distributions of the people 62 or older (``head``,
    ``spouse``: who is), the least and the most it can be: each spouse's own distribution
    (``spouse_distributions``; without it all is the head's) less the contributions New Jersey
    already taxed (``state_basis_recovered``).  That basis is one figure for the return: where
    only one spouse's distribution qualifies and both have one, how much of it is in the
    qualifying one is not known (:func:`~dist401k.tax.state.common.share_bounds`)."""
    d = own(u, "taxable_distributions")
    paid = np.where(head, d.head, 0.0) + np.where(spouse, d.spouse, 0.0)
    least_basis, most_basis = share_bounds(known_basis(u), paid, u.taxable_distributions)
    return np.maximum(0.0, paid - most_basis), np.maximum(0.0, paid - least_basis)


def exclusion_share(lk: Lookup, total_income) -> np.ndarray:
    """The share of retirement income New Jersey excludes at this total income (line 27): the
    share of the step the income is in, a step reached only when income is over it."""
    steps = lk.get("state.nj.retirement_exclusion_income_steps")
    shares = lk.get("state.nj.retirement_exclusion_shares")
    k = (np.asarray(total_income)[:, None] > steps).sum(axis=1)
    return np.take_along_axis(shares, k[:, None], axis=1)[:, 0]
