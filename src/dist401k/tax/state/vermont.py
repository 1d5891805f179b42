"""Vermont individual income tax on a tax unit with retirement income (Form IN-111).

Vermont taxable income is federal AGI less the Social Security exclusion (32 V.S.A. §5830e(a):
all federally taxable benefits up to the start, a share falling to none at the end of the
federal AGI range, the share rounded to two places as on Schedule IN-112), the standard
deduction with the additions for age and the personal exemptions (§5811(21)(C)); the §5822(a)
schedule taxes it, at least 3% of federal AGI above $150,000 (§5822(a)(6)).  A 401(k)
distribution has no exclusion of its own: the retirement income exemption takes Social
Security or the benefits of the Civil Service Retirement System, military retirement or the
other eligible retirement systems.  Vermont adds 24% of the federal additional tax on qualified
plans (§5822(c)(1)(A)): its own tax on early distributions.

Not covered: a governmental plan's distribution (it may be from an eligible retirement system
whose exemption the filer may choose instead of Social Security's: the payer is not an input)
and tax-exempt interest (taxable in Vermont unless from Vermont obligations: the split is not an
input).  Not modelled: dependents, the blind addition, the capital gains exclusion, credits.
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
    people,
    share_of_federal_additional_tax,
)
from dist401k.tax.state.units import StateUnits


def vermont_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IN-111 line 8 tax with the additions to Vermont tax on qualified plans, for each unit."""
    excluded = u.taxable_social_security * social_security_share(lk, u.federal_agi)
    deductions = (lk.get("state.vt.standard_deduction")
                  + aged(u, lk.get("state.vt.aged_addition_age")) * lk.get("state.vt.aged_addition")
                  + people(u) * lk.get("state.vt.personal_exemption"))
    taxable = np.maximum(0.0, u.federal_agi - excluded - deductions)
    tax = schedule_tax(lk, "state.vt.brackets", "state.vt.rates", taxable)
    minimum = np.where(u.federal_agi > lk.get("state.vt.minimum_tax_agi"),
                       lk.get("state.vt.minimum_tax_rate") * u.federal_agi, 0.0)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    interest = u.tax_exempt_interest > HALF_CENT
    additional = share_of_federal_additional_tax(lk, u, "state.vt.federal_additional_tax_share")
    return answer_unless(public | interest, np.maximum(tax, minimum), {
        "STATE_SOCIAL_SECURITY_EXEMPT": excluded > 0,
        "STATE_VT_MINIMUM_TAX": minimum > tax,
        "STATE_VT_EARLY_DISTRIBUTION_TAX": additional > 0,
        "STATE_VT_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_TAX_EXEMPT_INTEREST_NOT_SPLIT": interest,
    }, additional_tax=additional)


def social_security_share(lk: Lookup, federal_agi) -> np.ndarray:
    """The share of taxable Social Security Vermont excludes (§5830e(a); IN-112 Section II):
    all up to the start, (end - federal AGI) / range rounded to two places within, none from
    the end."""
    end = lk.get("state.vt.social_security_exclusion_end")
    step = lk.get("state.vt.social_security_exclusion_share_step")
    share = (end - federal_agi) / lk.get("state.vt.social_security_exclusion_range")
    partial = np.round(share / step) * step
    return np.where(federal_agi <= lk.get("state.vt.social_security_exclusion_start"), 1.0,
                    np.clip(partial, 0.0, 1.0))
