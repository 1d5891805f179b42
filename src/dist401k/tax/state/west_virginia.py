"""West Virginia personal income tax on a tax unit with retirement income (Form IT-140).

West Virginia AGI is federal AGI with the Schedule M modifications (W. Va. Code §11-21-12):
the Social Security benefits included in federal AGI are subtracted, all of them at or under
$50,000 of federal AGI ($100,000 joint), above it 35% (2024), 65% (2025) and all (2026,
(c)(8), H.B. 4880); each person 65 or older subtracts up to $8,000 of his or her own income in
federal AGI less his or her own other modifications ((c)(9)).  The low-income earned income
exclusion (§11-21-10) and the $2,000 personal exemptions (§11-21-16) come off and the rate
schedule (§§11-21-4g, -4i, -4j) taxes the rest.  Plan distributions are taxed as in federal
AGI, early or not: West Virginia has no additional tax of its own on early distributions.

Not covered (NaN): a governmental plan's distribution (up to $2,000 of a West Virginia or
federal retirement system's pension is subtracted, a state police, deputy sheriff's or
firemen's pension wholly, (c)(5)–(6); which system pays is not an input), and a joint return
whose split by spouse (``spouse_…``) was not given where someone 65 or older has the senior
modification and wages, other income or Social Security that could be either spouse's change
it (the modification is each spouse's own).  A spouse's part not given where the return has
none of that income is none; the distributions are each spouse's as ``spouse_distributions``
says, all the head's without it.  The disability modification, dependents' exemptions and
credits are not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    answer_unless,
    disabled_before,
    joint,
    own,
    people,
    spouse_benefit_share,
)
from dist401k.tax.state.units import StateUnits


def west_virginia_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IT-140 line 9 tax (before credits), for each unit."""
    within = u.federal_agi <= lk.get("state.wv.social_security_agi_limit")
    share = np.where(within, lk.get("state.wv.social_security_share_within_limit"),
                     lk.get("state.wv.social_security_share_above_limit"))
    ss_subtraction = share * u.taxable_social_security
    senior, unsplit = senior_modification(lk, u, ss_subtraction)
    wv_agi = u.federal_agi - ss_subtraction - senior
    eligible = u.federal_agi <= lk.get("state.wv.low_income_exclusion_agi_limit")
    low_income = np.where(eligible, np.minimum(np.minimum(u.wages, np.maximum(0.0, u.federal_agi)),
                                               lk.get("state.wv.low_income_exclusion")), 0.0)
    taxable = np.maximum(0.0, wv_agi - low_income - people(u) * lk.get("state.wv.personal_exemption"))
    tax = schedule_tax(lk, "state.wv.brackets", "state.wv.rates", taxable)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    disabled = disabled_before(u, lk.get("state.wv.senior_deduction_age"))
    return answer_unless(public | unsplit | disabled, tax, {
        "STATE_DISABLED_EXCLUSION_NOT_MODELLED": disabled,
        "STATE_WV_SOCIAL_SECURITY_MODIFICATION": ss_subtraction > 0,
        "STATE_WV_SOCIAL_SECURITY_PARTLY_TAXED": (ss_subtraction < u.taxable_social_security),
        "STATE_WV_SENIOR_MODIFICATION": senior > 0,
        "STATE_WV_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_WV_SENIOR_MODIFICATION_NOT_SPLIT": unsplit & ~public,
    })


def senior_modification(lk: Lookup, u: StateUnits, ss_subtraction) -> tuple[np.ndarray, np.ndarray]:
    """§11-21-12(c)(9): each person 65 or older subtracts the least of $8,000 and his or her own
    income in federal AGI, less his or her own other modifications (here the Social Security
    one).  Off a joint return every item is the filer's.  On a joint return each spouse's own
    income is the spouse's parts (``spouse_wages``, ``spouse_distributions``,
    ``spouse_social_security``, ``spouse_other_income``; the taxable Social Security and its
    modification shared as the benefits are), a part not given being none where the return has
    none of that income.  The distributions are each spouse's as ``spouse_distributions`` says
    (all the head's where it is not given); the wages, other income or Social Security whose
    split is not given may be either spouse's, so such a unit is covered only where that does
    not matter: each spouse 65 or older has $8,000 of his or her own known income, no Social
    Security is subtracted and the income not split is no loss.  Returns the modification and
    the mask of units it leaves open."""
    most, age = lk.get("state.wv.senior_deduction"), lk.get("state.wv.senior_deduction_age")
    both = joint(u)
    head_old = u.age_head >= age
    spouse_old = both & (u.age_spouse >= age)
    d, w, o, ss = (own(u, k) for k in ("taxable_distributions", "wages", "other_income",
                                       "social_security"))
    ss_known = ss.known | (u.taxable_social_security <= 0)
    split = w.known & o.known & ss_known
    benefit_share = np.where(ss_known, spouse_benefit_share(u, ss), 0.0)
    taxable_ss = u.taxable_social_security * benefit_share
    subtracted = ss_subtraction * benefit_share

    def own_part(income, tss, sub):
        return np.maximum(0.0, np.minimum(most, income + tss) - sub)

    spouse_income = d.spouse + np.where(w.known, w.spouse, 0.0) + np.where(o.known, o.spouse, 0.0)
    head_income = d.head + np.where(w.known, w.head, 0.0) + np.where(o.known, o.head, 0.0)
    spouse = np.where(spouse_old, own_part(spouse_income, taxable_ss, subtracted), 0.0)
    head_ss = np.where(ss_known, u.taxable_social_security - taxable_ss, 0.0)
    head = np.where(head_old, own_part(head_income, head_ss, ss_subtraction - subtracted), 0.0)
    # Not split: where no Social Security is subtracted and each one 65 or older has the
    # $8,000 of known income even if a loss of unknown owner were all his or hers, the
    # modification is known.
    loss = np.where(o.known, 0.0, np.minimum(0.0, u.other_income))
    settled = ((ss_subtraction <= 0)
               & (~head_old | (head_income + head_ss + loss >= most - HALF_CENT))
               & (~spouse_old | (spouse_income + taxable_ss + loss >= most - HALF_CENT)))
    unsplit = both & (head_old | spouse_old) & ~split & ~settled
    return head + spouse, unsplit
