"""South Carolina individual income tax on a tax unit with retirement income (SC1040).

Through 2025 South Carolina taxable income starts from federal taxable income
(``federal_taxable_income``, §12-6-1110), adds back what the Internal Revenue Code South
Carolina adopts does not allow (2025: the increase of the basic standard deduction by P.L.
119-21 and the Schedule 1-A deductions, here the senior deduction: federal AGI less the standard
deduction less taxable income), and subtracts taxable Social Security, the retirement income
deduction (§12-6-1170(A): the owner's retirement income not subject to the premature
distribution penalty, up to $3,000, $10,000 from 65) and the deduction from 65 (§12-6-1170(B):
$15,000 each less the person's own retirement deduction); on a joint return each spouse's own
distribution is ``spouse_distributions`` (its early part ``spouse_early_distributions``),
without it all is the head's.  From 2026 (H.4216) it starts from
federal AGI less the South Carolina Income Adjusted Deduction, phased out with federal AGI,
with the same subtractions.  The §12-6-510 schedule taxes the rest.  South Carolina has no tax
of its own on early distributions.

Not modelled: dependents' exemptions, military retirement, a surviving spouse's deduction,
other additions and subtractions, credits.  Not covered: a federal itemizer through 2025 (the
state income tax added back turns on the itemized deductions, not inputs).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    answer_unless,
    federal_figures_unknown,
    joint,
    own,
    own_early,
    survivor_before,
)
from dist401k.tax.state.units import StateUnits


def south_carolina_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """SC1040 line 6 tax (before credits), for each unit."""
    age = lk.get("state.sc.age")
    limits = lk.get("state.sc.retirement_deduction")
    d = own(u, "taxable_distributions")
    e, early_whose = own_early(u, d)
    both = joint(u)
    head = np.minimum(np.maximum(0.0, d.head - e.head),
                      np.where(u.age_head >= age, limits[:, 1], limits[:, 0]))
    spouse = np.where(both, np.minimum(np.maximum(0.0, d.spouse - e.spouse),
                                       np.where(u.age_spouse >= age, limits[:, 1], limits[:, 0])),
                      0.0)
    retirement = head + spouse
    senior_each = lk.get("state.sc.senior_deduction")
    senior = (np.where(u.age_head >= age, np.maximum(0.0, senior_each - head), 0.0)
              + np.where(both & (u.age_spouse >= age), np.maximum(0.0, senior_each - spouse),
                         0.0))
    subtractions = u.taxable_social_security + retirement + senior
    from_agi = lk.get("state.sc.starts_from_agi") != 0
    base = np.where(from_agi, u.federal_agi - sciad(lk, u, from_agi),
                    _federal_base(lk, u))
    taxable = np.maximum(0.0, base - subtractions)
    tax = schedule_tax(lk, "state.sc.brackets", "state.sc.rates", taxable)
    unknown = ~from_agi & federal_figures_unknown(u, "federal_taxable_income",
                                                  "federal_standard_deduction")
    itemizer = ~from_agi & ~unknown & (u.federal_standard_deduction == 0)
    # §12-6-1170(A)(3), (B): the surviving spouse's deduction, as the deceased spouse had it, and
    # beside the $15,000 from 65 — not figured at any age.
    survivor = survivor_before(u, np.inf)
    return answer_unless(unknown | itemizer | early_whose | survivor, tax, {
        "STATE_SURVIVOR_EXCLUSION_NOT_MODELLED": survivor,
        "STATE_EARLY_NOT_SPLIT": early_whose,
        "STATE_SC_RETIREMENT_DEDUCTION": retirement > 0,
        "STATE_SC_SENIOR_DEDUCTION": senior > 0,
        "STATE_SC_EARLY_NOT_DEDUCTED": u.early_distributions > 0,
        "STATE_SC_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": unknown,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def _federal_base(lk: Lookup, u: StateUnits) -> np.ndarray:
    """Federal taxable income plus the additions for what South Carolina's Internal Revenue Code
    does not allow (SC1040 line e): the basic standard deduction above the one adopted and the
    Schedule 1-A deductions (where taxable income is zero, the part of them income reached: the
    rest cannot raise South Carolina taxable income above the deduction from 65 it comes with)."""
    raised = (lk.get("income_tax.standard_deduction")
              - lk.get("state.sc.adopted_standard_deduction"))
    schedule_1a = np.maximum(0.0, u.federal_agi - u.federal_standard_deduction
                             - u.federal_taxable_income)
    return u.federal_taxable_income + raised + schedule_1a


def sciad(lk: Lookup, u: StateUnits, in_force: np.ndarray) -> np.ndarray:
    """The South Carolina Income Adjusted Deduction (from 2026), less its phase-out: the amount
    times the share of the phase-out range federal AGI is above the start, rounded down."""
    amount = lk.get("state.sc.sciad", before=0.0)
    start = lk.get("state.sc.sciad_phaseout_start", before=0.0)
    width = lk.get("state.sc.sciad_phaseout_width", before=1.0)
    step = lk.get("state.sc.sciad_rounding", before=1.0)
    share = np.clip((u.federal_agi - start) / width, 0.0, 1.0)
    reduction = np.floor(amount * share / step) * step
    return np.where(in_force, np.maximum(0.0, amount - reduction), 0.0)
