"""Oklahoma individual income tax on a tax unit with retirement income (Form 511).

Oklahoma AGI is federal AGI less taxable Social Security and the retirement benefit exclusion
(68 O.S. §2358(A)(13): each person's benefits from a qualified plan, 403(b), 457(b) or IRA up to
$10,000; on a joint return the spouse's own is ``spouse_distributions``, without it all is the
head's).  The standard deduction and the exemptions ($1,000 each,
one more from 65 when federal AGI is at or under the limit) come off (§2358) and the §2355
schedule taxes the rest.  A federal itemizer must itemize in Oklahoma (not modelled: itemized
deductions are not inputs).  Whether a distribution before the plan's retirement age
qualifies for the exclusion was not confirmed in Oklahoma's text; it is taken as qualifying.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, joint, own, people
from dist401k.tax.state.units import StateUnits


def oklahoma_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 511 line 22 tax (before credits), for each unit."""
    d, most = own(u, "taxable_distributions"), lk.get("state.ok.retirement_exclusion")
    exclusion = np.minimum(d.head, most) + np.minimum(d.spouse, most)
    ok_agi = u.federal_agi - u.taxable_social_security - exclusion
    low_income = u.federal_agi <= lk.get("state.ok.aged_exemption_agi_limit")
    age = lk.get("state.ok.aged_exemption_age")
    aged = low_income * ((u.age_head >= age).astype(np.int64) + (joint(u) & (u.age_spouse >= age)))
    exemptions = (people(u) + aged) * lk.get("state.ok.personal_exemption")
    taxable = np.maximum(0.0, ok_agi - lk.get("state.ok.standard_deduction") - exemptions)
    return StateAnswer(
        income_tax=schedule_tax(lk, "state.ok.brackets", "state.ok.rates", taxable),
        additional_tax=np.zeros(len(u)),
        reasons={
            "STATE_OK_RETIREMENT_EXCLUSION": exclusion > 0,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )
