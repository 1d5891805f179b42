"""Deductions from AGI: standard (with the age/blind amounts), itemized (Schedule A from its
parts, and the §68 limitation), the senior deduction and the charitable deduction of one who
does not itemize."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.law.filing_status import MARRIED_JOINT, MARRIED_SEPARATE
from dist401k.law.loader import Lookup


def aged_or_blind_count(lk: Lookup, filing_status, age_head, age_spouse, blind_head,
                        blind_spouse) -> np.ndarray:
    """Number of §63(f) conditions: 65 or older at year end, or blind; the spouse's count on a
    joint return only (a separate filer's spouse counts only if without income — not modelled)."""
    aged = lk.get("income_tax.additional_standard_deduction_age")
    joint = np.asarray(filing_status) == MARRIED_JOINT.value
    head = (np.asarray(age_head) >= aged).astype(int) + np.asarray(blind_head, dtype=int)
    spouse = (np.asarray(age_spouse) >= aged).astype(int) + np.asarray(blind_spouse, dtype=int)
    return head + np.where(joint, spouse, 0)


def no_standard_deduction(filing_status, spouse_itemizes) -> np.ndarray:
    """Where the standard deduction is zero and the unit itemizes: "a married individual
    filing a separate return where either spouse itemizes deductions" (IRC §63(c)(6)(A); Form
    1040, "Spouse itemizes on a separate return").  The standard deduction of §63(c)(1) is the
    basic amount and the additional amounts of §63(f) together, so neither is left; with no
    standard deduction the unit itemizes (Pub. 501: "your standard deduction is zero and you
    should itemize"), so it takes no §170(p) deduction, which is for one "who does not elect
    to itemize"."""
    return (np.asarray(filing_status) == MARRIED_SEPARATE.value) & np.asarray(spouse_itemizes,
                                                                               dtype=bool)


def standard_deduction(lk: Lookup, aged_blind) -> np.ndarray:
    """Basic standard deduction plus the additional amounts (IRC §63(c)(2), (c)(3), (f))."""
    basic = lk.get("income_tax.standard_deduction")
    extra = lk.get("income_tax.additional_standard_deduction")
    return basic + aged_blind * extra


def senior_count(lk: Lookup, filing_status, age_head, age_spouse) -> np.ndarray:
    """Qualified individuals for the senior deduction: 65+ at year end; the spouse on a joint
    return; none for married filing separately (IRC §151(d)(5)(C)).  No one qualifies in a year
    before the deduction existed."""
    aged = lk.get("income_tax.senior_deduction_age", before=np.inf)
    fs = np.asarray(filing_status)
    head = np.asarray(age_head) >= aged
    spouse = (np.asarray(age_spouse) >= aged) & (fs == MARRIED_JOINT.value)
    return np.where(fs == MARRIED_SEPARATE.value, 0, head.astype(int) + spouse.astype(int))


def senior_deduction(lk: Lookup, seniors, magi) -> np.ndarray:
    """The OBBBA senior deduction, 2025–2028: per qualified individual, $6,000 less 6% of MAGI
    over $75,000 ($150,000 joint), not below zero (IRC §151(d)(5)(C); Schedule 1-A Part V)."""
    amount = lk.get("income_tax.senior_deduction")
    start = lk.get("income_tax.senior_deduction_phaseout_threshold", before=0.0)
    rate = lk.get("income_tax.senior_deduction_phaseout_rate", before=0.0)
    each = np.maximum(0.0, amount - rate * np.maximum(0.0, magi - start))
    return np.where(amount > 0, seniors * each, 0.0)


def limited_itemized_deductions(lk: Lookup, itemized, income_before) -> np.ndarray:
    """Itemized deductions after the §68 limitation of 2026 on: reduced by 2/37 of the lesser of
    the deductions and the excess of taxable income (increased by them) over the start of the
    37% bracket.  ``income_before`` is AGI less other deductions (taxable income + itemized)."""
    rate = lk.get("income_tax.itemized_limitation_rate")
    top = lk.get("income_tax.brackets")[..., -1]
    excess = np.maximum(0.0, income_before - top)
    return itemized - rate * np.minimum(itemized, excess)


def nonitemizer_charitable_deduction(lk: Lookup, charitable_cash) -> np.ndarray:
    """The charitable deduction of one who does not itemize (IRC §170(p), as amended by OBBBA
    §70424, from 2026): cash gifts to public charities, at most $1,000 ($2,000 on a joint
    return), taken beside the standard deduction in figuring taxable income (§63(b)(4)), not
    AGI.  The 0.5% floor of §170(b)(1)(I) does not reduce it.  The 60% ceiling of
    §170(b)(1)(G)(i) is left out: it binds only below an AGI of the limit ÷ 60%, where the
    standard deduction already leaves no taxable income (nor AMTI past the exemption)."""
    return np.minimum(np.asarray(charitable_cash, dtype=float),
                      lk.get("charity.nonitemizer_deduction_limit"))


def salt_cap(lk: Lookup, magi) -> np.ndarray:
    """The SALT cap at this modified AGI (IRC §164(b)(6), (b)(7), as amended by P.L. 119-21
    §70120): the applicable limitation amount reduced by 30% of MAGI over the threshold
    amount, not below $10,000 — and for a married individual filing separately half of that
    (§164(b)(6)): the halving follows the reduction, so the separate filer's cap falls by half
    of 30% of MAGI over the separate threshold (the threshold halved too, §164(b)(7)), not
    twice as fast.  MAGI is AGI increased by the §911, §931 and §933 exclusions, none of which
    is modelled: it is AGI here."""
    cap = lk.get("income_tax.salt_cap")
    share = cap / lk.as_single("income_tax.salt_cap")  # a separate filer's half, else all
    start = lk.get("income_tax.salt_cap_phaseout_threshold")
    rate = lk.get("income_tax.salt_cap_phaseout_rate")
    floor = lk.get("income_tax.salt_cap_floor")
    reduced = cap - share * rate * np.maximum(0.0, np.asarray(magi, dtype=float) - start)
    return np.minimum(cap, np.maximum(floor, reduced))


@dataclass(frozen=True)
class ScheduleA:
    """Itemized deductions figured at one AGI: ``total`` before the §68 limitation, and the
    part of it that is state and local taxes (``salt``), which the AMT does not allow."""

    total: np.ndarray
    salt: np.ndarray


def schedule_a(lk: Lookup, parts: ItemizedParts, agi) -> ScheduleA:
    """Schedule A from its parts at this return's AGI: state and local taxes up to the cap
    (§164(b)(6)–(7)), medical expenses above 7.5% of AGI (§213(a)), an itemizer's gifts
    above 0.5% of AGI from 2026 (§170(b)(1)(I); the 60%/30% ceilings of §170(b)(1) are not
    applied), and the other itemized deductions as given.  A unit that gives the Schedule A
    total instead (``parts.total``, no part) keeps it, whatever the AGI, and none of it is
    taken as state and local taxes."""
    agi = np.asarray(agi, dtype=float)
    salt = np.minimum(parts.state_local_taxes, salt_cap(lk, agi))
    medical = np.maximum(0.0, parts.medical_expenses
                         - lk.get("income_tax.medical_expense_floor") * agi)
    charity = np.maximum(0.0, parts.itemized_charity
                         - lk.get("income_tax.itemized_charity_floor") * agi)
    from_parts = parts.given()
    total = np.where(from_parts, salt + medical + charity + parts.other_itemized, parts.total)
    return ScheduleA(total=total, salt=np.where(from_parts, salt, 0.0))


@dataclass(frozen=True)
class ItemizedParts:
    """A unit's itemized deductions as given: the Schedule A total (``total``: after the
    limits of its own lines, before §68) or its parts before their limits."""

    total: np.ndarray
    state_local_taxes: np.ndarray
    medical_expenses: np.ndarray
    itemized_charity: np.ndarray
    other_itemized: np.ndarray

    def given(self) -> np.ndarray:
        """The units that give parts (any above zero): Schedule A is figured for them."""
        return ((self.state_local_taxes > 0) | (self.medical_expenses > 0)
                | (self.itemized_charity > 0) | (self.other_itemized > 0))
