"""Maine individual income tax on a tax unit with retirement income (Form 1040ME).

Maine AGI is federal AGI less taxable Social Security (36 M.R.S. §5122(2)(C)) and the pension
income deduction (§5122(2)(M-2); Schedule 1S): a recipient's benefits from an employee
retirement plan included in federal AGI, up to the limit (the year's maximum Social Security
benefit at full retirement age) less every Social Security benefit the recipient received.  A
distribution subject to the federal §72(t) additional tax does not qualify
(``early_distributions``); no age or retirement is required otherwise.  From 2025 the
deduction phases out with federal AGI (§5122(2)(M-3)).  The standard deduction with the
additions for age (§5124-C) and the personal exemptions (§5126-A) come off, each phased out
with Maine AGI, and the §5111 schedule taxes the rest, with the 2% surcharge from 2026
(§5111(7)).  Maine has no tax of its own on early distributions.

Each recipient's deduction is figured on that recipient's own distribution and benefits: on a
joint return the spouse's parts are ``spouse_distributions``, ``spouse_early_distributions`` and
``spouse_social_security``.

Not modelled: itemized deductions, military retirement, the blind addition, dependents,
credits.  Not guessed (not covered): on a joint return whose split was not given, whose Social
Security it is, where that changes the deduction (all is then the head's); with the split
given but not ``spouse_early_distributions``, whose part of the distribution is early, where
that changes it.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, own, people
from dist401k.tax.state.units import StateUnits


def maine_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 1040ME line 22 tax (before credits), for each unit."""
    deduction, not_split = pension_deduction(lk, u)
    me_agi = u.federal_agi - u.taxable_social_security - deduction
    standard = (lk.get("state.me.standard_deduction")
                + aged(u, lk.get("state.me.aged_addition_age")) * lk.get("state.me.aged_addition"))
    standard = standard * (1.0 - _phaseout(lk, "deduction", me_agi))
    exemptions = people(u) * lk.get("state.me.personal_exemption") * (
        1.0 - _phaseout(lk, "exemption", me_agi))
    taxable = np.maximum(0.0, me_agi - standard - exemptions)
    tax = schedule_tax(lk, "state.me.brackets", "state.me.rates", taxable)
    surcharge = lk.get("state.me.surcharge_rate", before=0.0) * np.maximum(
        0.0, taxable - lk.get("state.me.surcharge_threshold", before=np.inf))
    return answer_unless(not_split, tax + surcharge, {
        "STATE_ME_PENSION_DEDUCTION": ~not_split & (deduction > 0),
        "STATE_ME_EARLY_NOT_DEDUCTED": u.early_distributions > 0,
        "STATE_ME_SOCIAL_SECURITY_NOT_SPLIT": not_split,
        "STATE_ME_SURCHARGE": surcharge > 0,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def pension_deduction(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """The pension income deduction of each recipient on the return (Schedule 1S line 4a and
    the phase-out worksheet), summed, and where it is unknown.  Each recipient's limit is
    reduced by that recipient's own Social Security: on a joint return whose split of the
    distributions and benefits (``spouse_distributions``, ``spouse_social_security``) was not
    given, all are taken as the head's, unknown where the split could change the deduction
    (the eligible distribution above the limit less all the couple's benefits); with the split
    given, unknown only where whose part of the distribution is early would change it."""
    d, ss = own(u, "taxable_distributions"), own(u, "social_security")
    e = own(u, "early_distributions")
    limit = lk.get("state.me.pension_deduction")
    early = u.early_distributions

    def both(early_head):
        """The two recipients' deductions with ``early_head`` of the early part the head's."""
        head = np.minimum(np.maximum(0.0, d.head - early_head), np.maximum(0.0, limit - ss.head))
        spouse = np.minimum(np.maximum(0.0, d.spouse - (early - early_head)),
                            np.maximum(0.0, limit - ss.spouse))
        return head + spouse

    # Whose the early part is, where not given: the head's as far as it goes, and the other way
    # round; unknown where the two differ.
    deduction = both(np.where(e.known, e.head, np.minimum(early, d.head)))
    spouse_first = both(np.where(e.known, e.head, early - np.minimum(early, d.spouse)))
    start = lk.get("state.me.pension_phaseout_start", before=np.inf)
    width = lk.get("state.me.pension_phaseout_width", before=1.0)
    kept = 1.0 - np.clip((u.federal_agi - start) / width, 0.0, 1.0)
    known = d.known & ss.known  # (with the split, an unknown early part is whose_early)
    eligible = np.maximum(0.0, u.taxable_distributions - early)
    room = np.maximum(0.0, limit - u.social_security)
    not_split = ~known & (u.social_security > 0) & (eligible > room)
    early_whose = known & (np.abs(deduction - spouse_first) > HALF_CENT)
    return deduction * kept, (not_split | early_whose) & (kept > 0)


def _phaseout(lk: Lookup, what: str, me_agi) -> np.ndarray:
    """The share of the standard deduction or of the exemptions lost to Maine AGI above the
    start (the worksheets' line 5), from 0 to 1."""
    start = lk.get(f"state.me.{what}_phaseout_start")
    return np.clip((me_agi - start) / lk.get(f"state.me.{what}_phaseout_width"), 0.0, 1.0)
