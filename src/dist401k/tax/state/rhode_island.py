"""Rhode Island personal income tax on a tax unit with retirement income (Form RI-1040).

Rhode Island AGI is federal AGI with the Schedule M modifications (R.I. Gen. Laws §44-30-12):
under the federal AGI limit, a person who has reached full Social Security retirement age
subtracts the taxable Social Security ((c)(8)) and up to $20,000 ($50,000 from 2025) of that
person's own taxable pension and annuity income ((c)(9)): an employer plan's distributions
(federal Form 1040 line 5b, the Division's Publication 2021-02), not an IRA's
(``ira_distributions``); on a joint return each spouse's own (``spouse_distributions``,
all the head's where not given; ``spouse_ira_distributions``, where not given anywhere the
spouses' distributions allow: a unit whose tax that would change is not covered).  The standard deduction and
the exemptions, each cut by a fifth for every step of Rhode Island AGI over the phase-out start
or part of one (§44-30-2.6(c)(3)), come off and the indexed schedule taxes the rest.  Plan
distributions are otherwise taxed as in federal AGI, early or not: Rhode Island has no
additional tax of its own on early distributions.

Full retirement age is told by the birth year (``tax_year − age`` at the end of the year): a
unit whose person was born in the cut-off's year (before or after the cut-off day) and whose
modification that decides is not covered (NaN), as is a joint return where only one spouse
has reached full retirement age and Social Security is received (whose it is decides the
modification) or where a spouse who has not reached it has a plan distribution and the other
has (the statute grants the modification to the person who has reached it, the form's
worksheet to a return where either spouse has).  Dependents, itemized deductions, the tax
table's rounding and credits are not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, answer_unless, joint, own, people
from dist401k.tax.state.spouse_ranges import capped_pair_range, distribution_part_range
from dist401k.tax.state.units import StateUnits


def rhode_island_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """RI-1040 line 8 tax (before credits), for each unit."""
    cutoff = lk.get("state.ri.full_retirement_birth_year")
    both = joint(u)
    head_born = u.tax_year - np.floor(u.age_head)
    spouse_born = np.where(both, u.tax_year - np.floor(u.age_spouse), np.inf)
    head_in, head_open = head_born < cutoff, head_born == cutoff
    spouse_in, spouse_open = spouse_born < cutoff, spouse_born == cutoff
    under = u.federal_agi < lk.get("state.ri.modification_agi_limit")
    (head_plan, spouse_plan), (least, most), whose_ira = _pension_modification(
        lk, u, under & head_in, under & spouse_in)
    either = head_in | head_open | spouse_in | spouse_open
    pension_open = under & (
        ((head_plan > 0) & (head_open | (~head_in & either)))
        | ((spouse_plan > 0) & (spouse_open | (~spouse_in & either))))
    # Social Security: all of it where everyone on the return has reached full retirement age.
    all_in = head_in & (~both | spouse_in)
    nobody = ~(head_in | head_open) & ~(spouse_in | spouse_open)
    social_security = np.where(under & all_in, u.taxable_social_security, 0.0)
    ss_open = under & (u.taxable_social_security > 0) & ~all_in & ~nobody
    tax, kept = _tax(lk, u, u.federal_agi - least - social_security)
    age_open = pension_open | ss_open
    # The IRA part's split not given where it would change the modification and the tax.
    not_split = ~age_open & whose_ira & (
        np.abs(_tax(lk, u, u.federal_agi - most - social_security)[0] - tax) > HALF_CENT)
    return answer_unless(age_open | not_split, tax, {
        "STATE_RI_PENSION_MODIFICATION": ~not_split & (least > 0),
        "STATE_RI_SOCIAL_SECURITY_MODIFICATION": social_security > 0,
        "STATE_RI_DEDUCTIONS_PHASED_OUT": kept < 1,
        "STATE_RI_FULL_RETIREMENT_AGE_NOT_KNOWN": age_open,
        "STATE_RI_IRA_PART_NOT_SPLIT": not_split,
    })


def _tax(lk: Lookup, u: StateUnits, ri_agi) -> tuple[np.ndarray, np.ndarray]:
    """The tax on Rhode Island AGI ``ri_agi`` and the share of the deductions kept."""
    kept = phase_out_share(lk, ri_agi)
    deductions = kept * (lk.get("state.ri.standard_deduction")
                         + people(u) * lk.get("state.ri.personal_exemption"))
    taxable = np.maximum(0.0, ri_agi - deductions)
    return schedule_tax(lk, "state.ri.brackets", "state.ri.rates", taxable), kept


def _pension_modification(lk: Lookup, u: StateUnits, head_in, spouse_in):
    """Each spouse's own taxable pension and annuity income (distributions not from an IRA) at
    the most, the pension modification of those in (``head_in``, ``spouse_in``) at the least and
    at the most, and the units where the IRA part's split is not known.  The distributions are
    each spouse's as ``spouse_distributions`` says (all the head's without it); where a joint
    return's IRA part is not split (``spouse_ira_distributions``), the spouse's plan income is
    anything from what the spouse's distributions hold beyond the most of the IRA part that can
    be the spouse's to what they hold beyond the least."""
    d = own(u, "taxable_distributions")
    ira_least, ira_most = distribution_part_range(u, "ira_distributions", d)
    plan = np.maximum(0.0, u.taxable_distributions - u.ira_distributions)
    spouse_least = np.clip(d.spouse - ira_most, 0.0, plan)
    spouse_most = np.clip(d.spouse - ira_least, spouse_least, plan)
    cap = lk.get("state.ri.pension_modification")
    least, most = capped_pair_range(plan, spouse_least, spouse_most, np.where(head_in, cap, 0.0),
                                    np.where(spouse_in, cap, 0.0))
    return ((plan - spouse_least, spouse_most), (least, most),
            spouse_most - spouse_least > HALF_CENT)


def phase_out_share(lk: Lookup, ri_agi) -> np.ndarray:
    """The share of the standard deduction and exemptions kept: less a fifth for each step of
    Rhode Island AGI over the start, or part of one, none at the end."""
    steps = np.ceil(np.maximum(0.0, ri_agi - lk.get("state.ri.phase_out_start"))
                    / lk.get("state.ri.phase_out_step"))
    return np.maximum(0.0, 1.0 - steps * lk.get("state.ri.phase_out_rate"))
