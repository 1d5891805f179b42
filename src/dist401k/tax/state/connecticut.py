"""Connecticut income tax on a tax unit with retirement income (Form CT-1040).

Connecticut AGI is federal AGI less the Social Security subtraction (all the taxable benefits
under $75,000 of federal AGI, $100,000 joint or head of household; above, the taxable benefits
less 25% of the lesser of the benefits and the federal combined income over the base amount)
and the pension and annuity subtraction (all of it under $75,000 / $100,000 joint of federal
AGI, then a falling share, none from $100,000 / $150,000; C.G.S. §12-701(a)(20)(B)), where a
traditional IRA's distributions (``ira_distributions``) count at the year's phase-in share
(50% in 2024, 75% in 2025, all from 2026; line 48a).  The
personal exemption, cut by $1,000 for each $1,000 or part of one over its start (§12-702),
comes off; the §12-700 schedule taxes the rest, with the 3% phase-out add-back and the benefit
recapture (Tables C and D) added, and the personal tax credit (§12-704, Table E) takes its
share of the whole.  Connecticut has no additional tax of its own on early distributions.

Not covered (NaN): a married person filing separately with Social Security above the limit
(the federal base amount turns on whether the spouses lived apart, not an input), and a
governmental plan's distribution where less than all of it is subtracted (the Connecticut
Teachers' Retirement System's pay has its own 50% subtraction, §12-701(a)(20)(B)(xx); the
payer is not an input).  The
Connecticut AMT, dependents, other modifications and credits are not modelled.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, answer_unless
from dist401k.tax.state.units import StateUnits


def connecticut_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """CT-1040 line 11 tax (before the AMT and credits other than the personal credit)."""
    ss, ss_open = social_security_subtraction(lk, u)
    share = step_share(lk, "state.ct.pension_share_agi", "state.ct.pension_shares",
                       u.federal_agi, right=False)
    ira = u.ira_distributions
    pension = share * (u.taxable_distributions - ira
                       + lk.get("state.ct.ira_distribution_share") * ira)
    teachers = u.governmental_plan & (u.taxable_distributions > 0) & (share < 1)
    ct_agi = u.federal_agi - ss - pension
    most, start, step, fall = np.moveaxis(lk.get("state.ct.personal_exemption"), -1, 0)
    exemption = np.maximum(0.0, most - fall * np.ceil(np.maximum(0.0, ct_agi - start) / step))
    taxable = np.maximum(0.0, ct_agi - exemption)
    tax = schedule_tax(lk, "state.ct.brackets", "state.ct.rates", taxable)
    added = np.sum([stepped(lk, name, ct_agi) for name in (
        "state.ct.phase_out_add_back", "state.ct.recapture_low", "state.ct.recapture_middle",
        "state.ct.recapture_high")], axis=0)
    credit = step_share(lk, "state.ct.personal_credit_agi", "state.ct.personal_credit_rates",
                        ct_agi, right=True)
    total = (tax + added) * (1.0 - credit)
    return answer_unless(ss_open | teachers, np.maximum(0.0, total), {
        "STATE_CT_SOCIAL_SECURITY_SUBTRACTION": ss > 0,
        "STATE_CT_PENSION_SUBTRACTION": pension > 0,
        "STATE_CT_RECAPTURE": added > 0,
        "STATE_CT_SEPARATE_SOCIAL_SECURITY_NOT_MODELLED": ss_open,
        "STATE_CT_TEACHERS_RETIREMENT_NOT_MODELLED": teachers,
    })


def social_security_subtraction(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """All the taxable Social Security under the AGI limit; above it, the taxable benefits less
    the kept share of the lesser of the benefits and the federal combined income over the base
    amount (the CT-1040 Social Security Benefit Adjustment Worksheet)."""
    # The federal worksheet's combined income (IRC §86(b)(1): half of the benefits).
    combined = (u.federal_agi - u.taxable_social_security + u.tax_exempt_interest
                + lk.get("social_security.first_tier_rate") * u.social_security)
    excess = np.maximum(0.0, combined - lk.get("social_security.base_amount"))
    kept = lk.get("state.ct.social_security_kept_rate") * np.minimum(u.social_security, excess)
    under = u.federal_agi < lk.get("state.ct.social_security_agi_limit")
    out = np.where(under, u.taxable_social_security,
                   np.maximum(0.0, u.taxable_social_security - kept))
    unknown = ~under & (u.filing_status == MARRIED_SEPARATE) & (u.social_security > 0)
    return out, unknown


def step_share(lk: Lookup, steps: str, shares: str, amount, right: bool) -> np.ndarray:
    """The share of a step table: the first share below the first step, then the share of the
    last step passed (at the step itself with ``right`` False, only above it with True); the
    credit table has no share below its first step (none is due there: the exemption is more)."""
    edges = lk.get(steps)
    rate = np.atleast_2d(lk.get(shares))
    passed = ((amount[:, None] > edges) if right else (amount[:, None] >= edges)).sum(axis=1)
    index = np.maximum(passed - 1, 0) if right else passed
    return np.take_along_axis(np.broadcast_to(rate, (len(amount), rate.shape[1])),
                              index[:, None], axis=1)[:, 0]


def stepped(lk: Lookup, name: str, ct_agi) -> np.ndarray:
    """An add-back or recapture: so much for each step of Connecticut AGI over the start, or
    part of one, up to the most."""
    start, step, amount, most = np.moveaxis(lk.get(name), -1, 0)
    return np.minimum(most, amount * np.ceil(np.maximum(0.0, ct_agi - start) / step))
