"""Kansas individual income tax on a tax unit with retirement income (K-40).

Kansas AGI is federal AGI less taxable Social Security (K.S.A. 79-32,117(c): all of it from
2024).  The standard deduction with its additions from 65 (79-32,119) and the personal
exemption (79-32,121) come off, and 5.2% and 5.58% (79-32,110, from 2024) tax the rest.  Plan
distributions are taxed, early or not; Kansas has no tax of its own on early distributions.

Not guessed (not covered): a governmental plan's distribution (KPERS, Kansas police and
firemen's and federal civil service annuities are exempt, another state's plan or a 457(b)
is not; the payer is not an input).  Not modelled: itemized deductions, dependents, blind,
credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless
from dist401k.tax.state.units import StateUnits


def kansas_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """K-40 tax on Kansas taxable income (before credits), for each unit."""
    ks_agi = u.federal_agi - u.taxable_social_security
    deduction = (lk.get("state.ks.standard_deduction")
                 + aged(u, lk.get("state.ks.age")) * lk.get("state.ks.aged_standard_deduction"))
    taxable = np.maximum(0.0, ks_agi - deduction - lk.get("state.ks.personal_exemption"))
    tax = schedule_tax(lk, "state.ks.brackets", "state.ks.rates", taxable)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    return answer_unless(public, tax, {
        "STATE_KS_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
