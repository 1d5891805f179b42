"""Kentucky individual income tax on a tax unit with retirement income (Form 740, Schedule P).

Kentucky AGI is federal AGI less taxable Social Security and the pension income exclusion
(KRS 141.019): the person's own retirement income, early or not, up to $31,110 (the
distribution here is the head's).  The standard deduction (KRS 141.081) comes off and the rest
bears the flat rate (KRS 141.020).  A married couple is figured on a joint return (one standard
deduction); a combined return filed separately would give each spouse a deduction against own
income, and how income splits between the spouses is not an input.  The part of a federal or
Kentucky government pension earned before 1998 is excluded without limit (Schedule P); whose
government paid a ``governmental_plan`` distribution, and for what service, are not inputs, so
such a distribution beyond the exclusion is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.state.common import StateAnswer, answer_unless
from dist401k.tax.state.units import StateUnits


def kentucky_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 740 line 12 tax (before credits), for each unit."""
    limit = lk.get("state.ky.pension_exclusion")
    exclusion = np.minimum(u.taxable_distributions, limit)
    ky_agi = u.federal_agi - u.taxable_social_security - exclusion
    taxable = np.maximum(0.0, ky_agi - lk.get("state.ky.standard_deduction"))
    public = u.governmental_plan & (u.taxable_distributions > limit)
    return answer_unless(public, lk.get("state.ky.rate") * taxable, {
        "STATE_KY_PENSION_EXCLUSION": exclusion > 0,
        "STATE_KY_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
