"""A dependent's standard deduction (IRC §63(c)(5)) and the tax on a child's unearned income
at the parent's rate (IRC §1(g), the "kiddie tax"; Form 8615).

A child reached by §1(g) (under 18 at the end of the year; 18, or a full-time student under
24, whose earned income was not more than half of the child's support — §1(g)(2)(A); a parent
alive at the end of the year, no joint return: (B), (C)) pays the larger of the tax at the
child's own rates and the sum of (i) the tax at the child's rates on taxable income less the
net unearned income and (ii) the child's share of the allocable parental tax: the tax on the
parent's taxable income plus every child's net unearned income, less the tax on the parent's
taxable income (§1(g)(1), (3); Form 8615 lines 1–18).  Unearned income is all income but
earned income (§1(g)(4)(A)(i), §911(d)(2)): interest, dividends, gains, Social Security,
pensions, annuities and IRA and plan distributions — an inherited account's included (Form
8615 instructions, "Unearned income"); here AGI less wages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import ordinary_tax
from dist401k.tax.capital_gains import capital_gain_worksheet

#: The code of a parent's filing status not given (TaxUnits.parent_filing_status).
NO_PARENT = -1


def dependent_basic_standard_deduction(lk: Lookup, basic, dependent, earned) -> np.ndarray:
    """The basic standard deduction of a unit whose taxpayer another may claim as a dependent:
    the greater of the §63(c)(5)(A) amount and earned income plus the (B) amount, never more
    than the basic standard deduction (§63(c)(5); Pub. 501, Standard Deduction Worksheet for
    Dependents).  The §63(f) additional amounts are added to it as to any basic amount."""
    least = lk.get("kiddie_tax.dependent_standard_deduction")
    addition = lk.get("kiddie_tax.dependent_earned_income_addition")
    limited = np.minimum(basic, np.maximum(least, np.asarray(earned, float) + addition))
    return np.where(np.asarray(dependent, bool), limited, basic)


def reached_by_age(lk: Lookup, age, student, earned_over_half_support) -> np.ndarray:
    """Where the child's age (at the end of the year) brings it under §1(g)(2)(A): under 18;
    or 18 (under 19), or a full-time student under 24, whose earned income was not more than
    half of the child's support."""
    age = np.asarray(age, float)
    supported = ~np.asarray(earned_over_half_support, bool)
    older = (age < lk.get("kiddie_tax.supported_child_age")) | (
        np.asarray(student, bool) & (age < lk.get("kiddie_tax.student_age")))
    return (age < lk.get("kiddie_tax.child_age")) | (supported & older)


def unearned_income_allowance(lk: Lookup) -> np.ndarray:
    """Form 8615 line 2: the sum of (I) the §63(c)(5)(A) amount and (II) the greater of that
    amount and the itemized deductions directly connected with the production of the unearned
    income (§1(g)(4)(A)(ii)).  Such deductions are miscellaneous itemized deductions, which
    §67(g) allows none of: (II) is the §63(c)(5)(A) amount."""
    least = lk.get("kiddie_tax.dependent_standard_deduction")
    return least + least


@dataclass
class Children:
    """The units figured under §1(g) (``idx``, positions in the batch) and what Form 8615
    takes from outside the child's own return: the parent's taxable income and filing status
    (lines 6, 9–10) and the other children's net unearned income (line 7).  The parent's
    taxable income is taken as ordinary income (the parent's own qualified dividends and
    capital gain are not inputs)."""

    idx: np.ndarray
    parent_lookup: Lookup | None
    parent_taxable: np.ndarray
    others: np.ndarray

    def on(self, some: np.ndarray, n: int) -> Children:
        """The same for the units ``some`` (positions) of the ``n`` it was figured for,
        renumbered as positions in ``some``."""
        if not self.idx.size:
            return self
        position = np.full(n, -1)
        position[some] = np.arange(len(position[some]))
        where = position[self.idx]
        keep = np.flatnonzero(where >= 0)
        plk = self.parent_lookup.subset(keep) if self.parent_lookup is not None else None
        return Children(where[keep], plk, self.parent_taxable[keep], self.others[keep])


def children_of(lk: Lookup, u) -> Children:
    """The units of ``u`` (TaxUnits) that §1(g) reaches and whose parent's figures are given."""
    given = np.asarray(u.parent_filing_status) != NO_PARENT
    if not given.any():
        return Children(np.flatnonzero(given), None, np.zeros(0), np.zeros(0))
    reached = given & reached_by_age(lk, u.age_head, u.full_time_student,
                                     u.earned_over_half_support)
    idx = np.flatnonzero(reached)
    if not idx.size:
        return Children(idx, None, np.zeros(0), np.zeros(0))
    plk = Lookup(lk.law, np.asarray(u.tax_year)[idx], np.asarray(u.parent_filing_status)[idx])
    return Children(idx, plk, np.asarray(u.parent_taxable_income, float)[idx],
                    np.asarray(u.other_children_net_unearned_income, float)[idx])


def net_unearned_income(lk: Lookup, agi, earned, taxable) -> tuple[np.ndarray, np.ndarray]:
    """(Form 8615 line 1, line 5): unearned income (AGI less earned income) and the net
    unearned income — line 1 less line 2, not more than taxable income, not below zero."""
    line1 = np.maximum(0.0, np.asarray(agi, float) - np.asarray(earned, float))
    line3 = line1 - unearned_income_allowance(lk)
    return line1, np.clip(line3, 0.0, np.maximum(0.0, taxable))


def kiddie_regular_tax(lk: Lookup, kids: Children, taxable, regular, agi, earned,
                       qualified_dividends, net_gain) -> np.ndarray:
    """The regular tax with §1(g): ``regular`` (the tax at the child's own rates, Form 8615
    line 17) where a unit is not in ``kids``, else the larger of it and lines 13 + 15."""
    if not kids.idx.size or kids.parent_lookup is None:
        return regular
    out = np.array(regular, dtype=float, copy=True)
    i = kids.idx
    klk = lk.subset(i)
    line1, line5 = net_unearned_income(klk, agi[i], earned[i], taxable[i])
    qd5, gain5 = preferential_in_net_unearned(klk, line1, line5, qualified_dividends[i],
                                              net_gain[i])
    line13 = allocable_parental_tax(kids, line5, qd5, gain5)
    line14 = taxable[i] - line5
    line15 = capital_gain_worksheet(klk, line14, qualified_dividends[i] - qd5,
                                    np.maximum(0.0, net_gain[i]) - gain5).tax
    out[i] = np.where(line5 > 0, np.maximum(out[i], line13 + line15), out[i])
    return out


def preferential_in_net_unearned(lk: Lookup, line1, line5, qualified_dividends, net_gain):
    """The qualified dividends and net capital gain inside the net unearned income (Form 8615
    Line 5 Worksheet #1): each less line 2 times its share of the unearned income, not below
    zero, together not more than line 5.  Where taxable income, not line 3, limits line 5
    (deductions beyond line 2) the form's Worksheet #3 spreads the deduction instead; it is
    not modelled, and #1's figures, capped at line 5, are used."""
    allowance = unearned_income_allowance(lk)
    qd = np.asarray(qualified_dividends, float)
    gain = np.maximum(0.0, np.asarray(net_gain, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        share_qd = np.where(line1 > 0, np.minimum(1.0, qd / line1), 0.0)
        share_gain = np.where(line1 > 0, np.minimum(1.0, gain / line1), 0.0)
    qd5 = np.clip(qd - allowance * share_qd, 0.0, line5)
    gain5 = np.clip(gain - allowance * share_gain, 0.0, line5 - qd5)
    return qd5, gain5


def allocable_parental_tax(kids: Children, line5, qd5, gain5) -> np.ndarray:
    """Form 8615 lines 6–13: the tax at the parent's rates on the parent's taxable income plus
    the net unearned income of all the parent's children, less the tax on the parent's taxable
    income alone, times this child's share of the children's net unearned income (§1(g)(3))."""
    plk = kids.parent_lookup
    assert plk is not None
    line8 = line5 + kids.parent_taxable + kids.others
    line9 = capital_gain_worksheet(plk, line8, qd5, gain5).tax
    line10 = ordinary_tax(plk, kids.parent_taxable)
    line11 = np.maximum(0.0, line9 - line10)
    total = line5 + kids.others
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, line5 / total, 0.0)
    return np.where(kids.others > 0, line11 * share, line11)


def may_reach(lk: Lookup, u) -> np.ndarray:
    """The units of ``u`` (TaxUnits) that §1(g) may reach by age and whose parent's figures are
    not given.  §1(g) has no dependency test (§1(g)(2); Form 8615 instructions, "Who Must
    File": the rules apply whether or not the child is a dependent): a child under 18 at the
    end of the year is reached by age alone ((A)(i)).  At 18, or as a full-time student under
    24, the child is reached only where its earned income was not more than half of its own
    support ((A)(ii)), which the units say only in ``earned_over_half_support`` beside
    ``dependent`` or ``full_time_student``: without either flag, only the under-18 test is
    applied."""
    missing = np.asarray(u.parent_filing_status) == NO_PARENT
    age = np.asarray(u.age_head, float)
    flagged = np.asarray(u.dependent, bool) | np.asarray(u.full_time_student, bool)
    told = (age < lk.get("kiddie_tax.child_age")) | flagged
    return missing & told & reached_by_age(lk, age, u.full_time_student,
                                           u.earned_over_half_support)


def not_figured(lk: Lookup, u, agi, taxable) -> np.ndarray:
    """Where §1(g) may apply and the parent's figures are not given (:func:`may_reach`) and
    the unit has net unearned income (Form 8615 line 5): the tax at the child's own rates is
    then a lower bound."""
    reached = may_reach(lk, u)
    if not reached.any():
        return reached
    _, line5 = net_unearned_income(lk, agi, u.wages, taxable)
    return reached & (line5 > 0)
