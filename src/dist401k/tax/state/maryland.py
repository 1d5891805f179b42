"""Maryland state income tax on a tax unit with retirement income (Form 502).

Maryland AGI is federal AGI less taxable Social Security (Tax-General §10-207) and the pension
exclusion (§10-209): a person 65 or older subtracts income from an employee retirement system
(a 401(k), 403(b), 457(b) or pension; not an IRA) up to the limit less the Social Security the
person received (Worksheet 13A; the distribution here is the head's, taken as from an employer
plan).  The standard deduction (§10-217: 15% of Maryland AGI within a minimum and maximum
through 2024, a flat amount from 2025) and the exemptions (§10-211: $3,200 a person, reduced by
federal AGI; $1,000 more from 65) come off, and the §10-105 schedule taxes the rest.

Not modelled: county income taxes (a local tax on the same return), itemized deductions,
credits, the totally disabled's exclusion before 65.  Not guessed (not covered): on a joint
return, whose Social Security it is, where that changes the head's exclusion; from 2025, a unit
above the capital gains surtax's federal AGI with other income (what part is capital gains is
not an input).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, joint, people
from dist401k.tax.state.units import StateUnits


def maryland_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 502 Maryland tax (before credits and before the county tax), for each unit."""
    exclusion, not_split = pension_exclusion(lk, u)
    md_agi = u.federal_agi - u.taxable_social_security - exclusion
    deduction = np.clip(lk.get("state.md.standard_deduction_rate") * md_agi,
                        lk.get("state.md.standard_deduction_minimum"),
                        lk.get("state.md.standard_deduction_maximum"))
    exemptions = (people(u) * personal_exemption(lk, u.federal_agi)
                  + aged(u, lk.get("state.md.age")) * lk.get("state.md.aged_exemption"))
    taxable = np.maximum(0.0, md_agi - deduction - exemptions)
    tax = schedule_tax(lk, "state.md.brackets", "state.md.rates", taxable)
    surtax_agi = lk.get("state.md.capital_gains_surtax_agi", before=np.inf)  # none before 2025
    gains = (u.federal_agi > surtax_agi) & (u.other_income > HALF_CENT)
    return answer_unless(not_split | gains, tax, {
        "STATE_MD_PENSION_EXCLUSION": ~not_split & (exclusion > 0),
        "STATE_MD_SOCIAL_SECURITY_NOT_SPLIT": not_split,
        "STATE_MD_CAPITAL_GAINS_SURTAX_NOT_MODELLED": gains & ~not_split,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def pension_exclusion(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """The head's pension exclusion (§10-209; Worksheet 13A) and where it is unknown: on a
    joint return the limit is reduced by the head's own Social Security, and the split of
    the couple's benefits is not an input (it matters only where the distribution exceeds
    the limit less all the couple's benefits)."""
    limit = lk.get("state.md.pension_exclusion")
    eligible = (u.age_head >= lk.get("state.md.age")) & (u.taxable_distributions > 0)
    room = np.maximum(0.0, limit - u.social_security)
    exclusion = np.where(eligible, np.minimum(u.taxable_distributions, room), 0.0)
    not_split = eligible & joint(u) & (u.social_security > 0) & (u.taxable_distributions > room)
    return exclusion, not_split


def personal_exemption(lk: Lookup, federal_agi) -> np.ndarray:
    """Each person's exemption by the federal AGI band (§10-211; the Exemption Amount Chart)."""
    limits = lk.get("state.md.personal_exemption_limits")
    band = (np.asarray(federal_agi)[:, None] > limits).sum(axis=1)
    return np.take_along_axis(lk.get("state.md.personal_exemption"), band[:, None], axis=1)[:, 0]
