"""Kentucky individual income tax on a tax unit with retirement income (Form 740, Schedule P).

Kentucky AGI is federal AGI less taxable Social Security and the pension income exclusion
(KRS 141.019): each person's own retirement income, early or not, up to $31,110 (on a joint
return the spouse's is ``spouse_distributions``; without it all is the head's).  The standard
deduction (KRS 141.081) comes off and the rest bears the flat rate (KRS 141.020).  A married
couple is figured on a joint return (one standard deduction) or, where the split by spouse is
given (``spouse_…``), on the combined return filed separately where that is less (each spouse's
own income less that spouse's exclusion and a standard deduction of that spouse's own).  The
part of a federal or Kentucky government pension earned before 1998 is excluded without limit
(Schedule P); whose government paid a ``governmental_plan`` distribution, and for what service,
are not inputs, so such a distribution beyond the exclusion is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, answer_unless, joint, own, own_income
from dist401k.tax.state.units import StateUnits


def kentucky_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 740 line 12 tax (before credits), for each unit."""
    limit = lk.get("state.ky.pension_exclusion")
    d, income = own(u, "taxable_distributions"), own_income(u)
    head, spouse = np.minimum(d.head, limit), np.minimum(d.spouse, limit)
    ky_agi = u.federal_agi - u.taxable_social_security - head - spouse
    standard = lk.get("state.ky.standard_deduction")
    taxable = np.maximum(0.0, ky_agi - standard)
    # Filed separately on a combined return: each spouse's own income (each one's taxable
    # Social Security in and out) less each one's exclusion and standard deduction.
    split = joint(u) & income.known
    separately = (np.maximum(0.0, income.head - head - standard)
                  + np.maximum(0.0, income.spouse - spouse - standard))
    taxable = np.where(split, np.minimum(taxable, separately), taxable)
    public = u.governmental_plan & ((d.head > limit) | (d.spouse > limit))
    return answer_unless(public, lk.get("state.ky.rate") * taxable, {
        "STATE_KY_PENSION_EXCLUSION": head + spouse > 0,
        "STATE_KY_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
