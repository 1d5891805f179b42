"""Wisconsin individual income tax on a tax unit with retirement income (Form 1).

Wisconsin income is federal AGI less taxable Social Security (Wis. Stat. §71.05(6)(b)4) and the
retirement income subtractions of Schedule SB; the sliding-scale standard deduction (its most,
less the phase-out rates times Wisconsin income above the thresholds, §71.05(22)) and the
exemptions ($700 each, $250 more each from 65) come off, and the §71.06 schedule taxes the rest.
Wisconsin adds 33% of the federal §72(t) additional tax on premature distributions
(§71.83(1)(b)2): its own tax on early distributions.

The subtractions (each person's own plan and IRA distributions but their early part,
``spouse_distributions`` the spouse's, ``spouse_early_distributions`` its early part; where a
joint return's split is not given the distributions are the head's, and where the early part's
split is not given and would change the tax, the unit is not covered):

* line 17 (§71.05(6)(b)26): from 65, up to $5,000 of each person's distributions when federal
  AGI is under the limit (a separate filer's: both spouses' together);
* line 16 (§71.05(6)(b)54m, 2025 Wis. Act 15, from 2025): from 67, up to $24,000 of each
  person's, or $48,000 for a joint return whose two spouses are 67 — one limit for the couple.
  A filer who claims it may claim no §71.07 credit of the year (54m.b), so it is an election;
  line 17 then takes only the distributions line 16 left.  The credits are not modelled here
  (the tax is before credits), so the line 16 return is taken where its tax is the lower.

Not covered: a qualifying surviving spouse (Wisconsin has no such status: single or head of
household turns on facts not given), a married person filing separately whose line 17 would
apply (it turns on both spouses' AGI together, and the other's is not an input) and
tax-exempt interest (other states' obligations are taxable in Wisconsin).  Not modelled:
dependents and the credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE, QUALIFYING_SURVIVING_SPOUSE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    aged,
    answer_unless,
    joint,
    own,
    people,
    share_bounds,
    share_of_federal_additional_tax,
)
from dist401k.tax.state.units import StateUnits


def wisconsin_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 1 line 15 tax (before credits), and the penalty on early distributions, per unit:
    the lower of the ordinary return and the return that claims Schedule SB line 16."""
    d = own(u, "taxable_distributions")
    e = own(u, "early_distributions")
    # Early distributions do not qualify; where a joint return's early part is not split, the
    # spouse's qualifying part lies anywhere the two spouses' distributions allow (its least
    # first: the early part the head's as far as it goes).
    least, most = _spouse_qualifying(u, d, e)
    qualifying = np.maximum(0.0, u.taxable_distributions - u.early_distributions)
    spouse_age = np.where(joint(u), u.age_spouse, -np.inf)
    head, spouse = qualifying - most, most
    ordinary = _subtraction_line_17(lk, u, head, spouse, spouse_age)
    line16, line17 = _subtraction_line_16(lk, u, head, spouse, spouse_age)
    tax_ordinary = _tax(lk, u, ordinary)
    tax_line16 = _tax(lk, u, line16 + line17)
    elected = (line16 > 0) & (tax_line16 < tax_ordinary)
    tax = np.where(elected, tax_line16, tax_ordinary)
    subtraction = np.where(elected, line17, ordinary)
    early_whose = _early_decides(lk, u, qualifying, (least, most), spouse_age)
    surviving = u.filing_status == QUALIFYING_SURVIVING_SPOUSE
    interest = u.tax_exempt_interest > HALF_CENT
    # A separate filer's line 17 turns on the two spouses' AGI together; the other's is not
    # an input.
    separate = (u.filing_status == MARRIED_SEPARATE) & (ordinary > 0)
    additional = share_of_federal_additional_tax(lk, u, "state.wi.federal_additional_tax_share")
    return answer_unless(surviving | interest | separate | early_whose, tax, {
        "STATE_WI_RETIREMENT_SUBTRACTION": subtraction > 0,
        "STATE_WI_RETIREMENT_EXCLUSION": elected,
        "STATE_WI_EARLY_DISTRIBUTION_TAX": additional > 0,
        "STATE_WI_SURVIVING_SPOUSE_NOT_MODELLED": surviving,
        "STATE_WI_SEPARATE_SPOUSE_AGI_NOT_GIVEN": separate,
        "STATE_WI_EARLY_NOT_SPLIT": early_whose & ~surviving & ~interest & ~separate,
        "STATE_TAX_EXEMPT_INTEREST_NOT_SPLIT": interest,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    }, additional_tax=additional)


def _spouse_qualifying(u: StateUnits, d, e) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most of the spouse's distributions less the spouse's early part: the
    early part given, or where it is not (a joint return with early distributions, not split)
    anywhere from none of it to all the spouse's distributions can hold."""
    qualifying = np.maximum(0.0, u.taxable_distributions - u.early_distributions)
    low, high = share_bounds(u.early_distributions, d.spouse, u.taxable_distributions)
    most = np.clip(np.where(e.known, d.spouse - e.spouse, d.spouse - low), 0.0, qualifying)
    least = np.clip(np.where(e.known, most, d.spouse - high), 0.0, most)
    return least, most


def _early_decides(lk: Lookup, u: StateUnits, qualifying, spouse, spouse_age) -> np.ndarray:
    """Where whose the early part is (the spouse's qualifying part anywhere from ``spouse[0]``
    to ``spouse[1]``) would change the tax.  Each return's subtraction is concave in the
    spouse's share (capped amounts of a fixed whole shared by two): its least at an end, its
    most at an end or where a cap binds; the tax, the lesser of the two returns', falls as each
    subtraction rises, so the least and the most subtractions bound it."""
    line17_cap = lk.get("state.wi.retirement_subtraction")
    line16_cap = lk.get("state.wi.retirement_exclusion", before=0.0)
    points = [spouse[0], spouse[1]] + [np.clip(p, spouse[0], spouse[1])
                                       for c in (line17_cap, line16_cap, line16_cap + line17_cap)
                                       for p in (c, qualifying - c)]
    subtractions = []
    for y in points:
        line16, line17 = _subtraction_line_16(lk, u, qualifying - y, y, spouse_age)
        subtractions.append((_subtraction_line_17(lk, u, qualifying - y, y, spouse_age),
                             line16 + line17))
    low = [np.minimum(subtractions[0][k], subtractions[1][k]) for k in (0, 1)]
    high = [np.maximum.reduce([s[k] for s in subtractions]) for k in (0, 1)]
    most_tax = np.minimum(_tax(lk, u, low[0]), _tax(lk, u, low[1]))
    least_tax = np.minimum(_tax(lk, u, high[0]), _tax(lk, u, high[1]))
    return (spouse[1] - spouse[0] > HALF_CENT) & (most_tax - least_tax > HALF_CENT)


def _entitlement_line_17(lk: Lookup, u: StateUnits, amount, at) -> np.ndarray:
    """One person's line 17 subtraction of ``amount`` (§71.05(6)(b)26): from 65, while federal
    AGI is under the limit, up to $5,000."""
    low_agi = u.federal_agi < lk.get("state.wi.retirement_subtraction_agi_limit")
    on = low_agi & (at >= lk.get("state.wi.age"))
    return np.where(on, np.minimum(amount, lk.get("state.wi.retirement_subtraction")), 0.0)


def _subtraction_line_17(lk: Lookup, u: StateUnits, head, spouse, spouse_age) -> np.ndarray:
    """The ordinary return's retirement income subtraction: each person's line 17."""
    return (_entitlement_line_17(lk, u, head, u.age_head)
            + _entitlement_line_17(lk, u, spouse, spouse_age))


def _subtraction_line_16(lk: Lookup, u: StateUnits, head, spouse,
                         spouse_age) -> tuple[np.ndarray, np.ndarray]:
    """Schedule SB line 16 (§71.05(6)(b)54m; zero before 2025) and the line 17 left beside it:
    each person's own distributions above what line 16 took (the couple's together where line
    16 is the couple's)."""
    age = lk.get("state.wi.retirement_exclusion_age", before=np.inf)
    each = lk.get("state.wi.retirement_exclusion", before=0.0)
    both = lk.get("state.wi.retirement_exclusion_joint", before=0.0)
    head_on, spouse_on = u.age_head >= age, spouse_age >= age
    pooled = head_on & spouse_on
    head16 = np.where(head_on, np.minimum(head, each), 0.0)
    spouse16 = np.where(spouse_on, np.minimum(spouse, each), 0.0)
    line16 = np.where(pooled, np.minimum(head + spouse, both), head16 + spouse16)
    head17 = _entitlement_line_17(lk, u, head, u.age_head)
    spouse17 = _entitlement_line_17(lk, u, spouse, spouse_age)
    apart = (np.minimum(head17, head - head16) + np.minimum(spouse17, spouse - spouse16))
    together = np.minimum(head17 + spouse17, head + spouse - line16)
    return line16, np.where(pooled, together, apart)


def _tax(lk: Lookup, u: StateUnits, subtraction) -> np.ndarray:
    """The §71.06 tax on Wisconsin income after ``subtraction``, the standard deduction for
    that income and the exemptions."""
    wi_income = u.federal_agi - u.taxable_social_security - subtraction
    lost = schedule_tax(lk, "state.wi.standard_deduction_phaseout_brackets",
                        "state.wi.standard_deduction_phaseout_rates", wi_income)
    standard = np.maximum(0.0, lk.get("state.wi.standard_deduction") - lost)
    exemptions = (people(u) * lk.get("state.wi.personal_exemption")
                  + aged(u, lk.get("state.wi.age")) * lk.get("state.wi.aged_exemption"))
    taxable = np.maximum(0.0, wi_income - standard - exemptions)
    return schedule_tax(lk, "state.wi.brackets", "state.wi.rates", taxable)
