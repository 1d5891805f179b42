"""Hawaii individual income tax on a tax unit with retirement income (Form N-11).

Hawaii AGI is federal AGI less taxable Social Security (the N-11 Social Security subtraction;
Hawaii does not tax the benefits) and the pension exclusion: a distribution from an employer's
plan paid by reason of retirement is exempt to the extent attributable to the employer's contributions (HRS
§235-7(a)(3), HAR §18-235-7-03: elective deferrals, a 401(k)'s own contributions, are taxed);
an early distribution (under the federal §72(t) tax) does not qualify.  Here a distribution
qualifies when paid after the plan's retirement conditions were met
(``plan_retirement_conditions_met``) with no part early; its exempt part is
``employer_attributable_distributions``.  On a joint return each spouse's distribution
(``spouse_distributions``, ``spouse_early_distributions``) is judged by that spouse's own
retirement (``spouse_plan_retirement_conditions_met``, the head's when absent).  The standard
deduction and the $1,144 exemptions (one more each from 65) come off and the §235-51
schedule taxes the rest.  Hawaii has no additional tax of its own on early distributions.

Not covered (NaN): a qualifying distribution whose employer part was not given (or, one
spouse's qualifying and the other's not, the employer part being one figure for the return,
where how much of it is in each is not known), one partly early (or whose early part it is,
not given), and a governmental plan's (a public retirement system's pension is wholly exempt unless
from voluntary elective contributions, HRS §235-7(a)(2), HAR §18-235-7-02; what the payment is
made of is not an input).  An RMD paid while still at work (it qualifies), rollover IRAs,
itemized deductions, the disability exemption, dependents and credits are not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    aged,
    answer_unless,
    own,
    own_early,
    people,
    share_bounds,
)
from dist401k.tax.state.units import StateUnits


def hawaii_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """N-11 line 27 tax (before credits), for each unit."""
    paid = u.taxable_distributions > 0
    exclusion, taxed, unknown, part_early = pension_exclusion(u)
    public = paid & u.governmental_plan
    hi_agi = u.federal_agi - u.taxable_social_security - exclusion
    exemptions = (people(u) + aged(u, lk.get("state.hi.aged_exemption_age"))) * lk.get(
        "state.hi.personal_exemption")
    taxable = np.maximum(0.0, hi_agi - lk.get("state.hi.standard_deduction") - exemptions)
    tax = schedule_tax(lk, "state.hi.brackets", "state.hi.rates", taxable)
    return answer_unless(unknown | part_early | public, tax, {
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        "STATE_HI_PENSION_EXCLUSION": exclusion > 0,
        "STATE_HI_DISTRIBUTION_TAXED": taxed & ~public,
        "STATE_HI_EMPLOYER_PART_NOT_GIVEN": unknown & ~public,
        "STATE_HI_PARTLY_EARLY_NOT_MODELLED": part_early & ~public,
        "STATE_HI_PUBLIC_PENSION_NOT_MODELLED": public,
    })


def pension_exclusion(u: StateUnits) -> tuple[np.ndarray, ...]:
    """The employer part exempt (HRS §235-7(a)(3)): of each recipient's distribution paid after
    the plan's retirement conditions were met with none of it early.  On a joint return with the
    split given (``spouse_distributions``, ``spouse_early_distributions``) each spouse's own is
    judged by that spouse's retirement (``spouse_plan_retirement_conditions_met``, the head's
    where not given); without it all is the head's.  Returns the exclusion, the mask of units
    with a distribution taxed, where the employer part is unknown — not given, or one figure
    for a return where one spouse's distribution qualifies and the other's, not, and how much
    of it is in each is not known (:func:`~dist401k.tax.state.common.share_bounds`) — and where
    a qualifying distribution is partly early, or whose early part it is is not known."""
    d = own(u, "taxable_distributions")
    e, early_whose = own_early(u, d)
    all_early = u.early_distributions >= u.taxable_distributions - HALF_CENT
    n = len(u)
    qualifying, retired = np.zeros(n), np.zeros(n, bool)
    taxed, part_early = np.zeros(n, bool), np.zeros(n, bool)
    for paid, early, met in ((d.head, e.head, u.plan_retirement_conditions_met),
                             (d.spouse, e.spouse, u.spouse_plan_retirement_conditions_met)):
        early = np.where(all_early, paid, early)
        mine = (paid > 0) & met
        qualifies = mine & ~(early > 0)
        part_early |= mine & (early > 0) & (early < paid)
        taxed |= (paid > 0) & ~qualifies
        retired |= mine
        qualifying += np.where(qualifies, paid, 0.0)
    part_early |= early_whose & ~all_early & retired
    employer = u.employer_attributable_distributions
    least, most = share_bounds(employer, qualifying, u.taxable_distributions)
    unknown = (qualifying > 0) & (np.isnan(employer) | (most > least + HALF_CENT))
    exclusion = np.where((qualifying > 0) & ~unknown, least, 0.0)
    return exclusion, taxed, unknown, part_early
