"""Louisiana individual income tax on a tax unit with retirement income (IT-540).

Louisiana AGI is federal AGI less exempt income (Schedule E): taxable Social Security, and
the annual retirement income exemption of each person 65 or older (La. R.S. 47:44.1: $6,000
through 2024, $12,000 from 2025; on a joint return the spouse's own distribution is
``spouse_distributions``, without it all is the head's).  Through 2024 the
R.S. 47:32 schedule taxes it, less the lowest rate on the combined personal exemption and
standard deduction and the age exemptions (R.S. 47:294, 47:79); from 2025 (the 2024 Third
Extraordinary Session) the standard deduction comes off and a flat 3% taxes the rest.  A
distribution before 65 is taxed, early or not; Louisiana has no tax of its own on it.

Not guessed (not covered): a governmental plan's distribution (benefits of a Louisiana public
retirement system or of the federal government are wholly exempt, another state's are not;
the payer is not an input).  Not modelled: itemized deductions, dependents, blind, credits.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, joint, own
from dist401k.tax.state.units import StateUnits


def louisiana_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IT-540 tax (before credits), for each unit."""
    age = lk.get("state.la.age")
    d, most = own(u, "taxable_distributions"), lk.get("state.la.retirement_exclusion")
    exclusion = (np.where(u.age_head >= age, np.minimum(d.head, most), 0.0)
                 + np.where(joint(u) & (u.age_spouse >= age), np.minimum(d.spouse, most), 0.0))
    la_agi = np.maximum(0.0, u.federal_agi - u.taxable_social_security - exclusion)
    taxable = np.maximum(0.0, la_agi - lk.get("state.la.standard_deduction"))
    exemptions = lk.get("state.la.personal_exemption") + aged(u, age) * lk.get("state.la.aged_exemption")
    lowest_rate = lk.get("state.la.rates")[:, 0]
    tax = np.maximum(0.0, schedule_tax(lk, "state.la.brackets", "state.la.rates", taxable)
                     - lowest_rate * exemptions)
    public = u.governmental_plan & (u.taxable_distributions > 0)
    return answer_unless(public, tax, {
        "STATE_LA_RETIREMENT_EXEMPTION": ~public & (exclusion > 0),
        "STATE_LA_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
