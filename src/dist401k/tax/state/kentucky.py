"""Kentucky individual income tax on a tax unit with retirement income (Form 740, Schedule P).

Kentucky AGI is federal AGI less taxable Social Security and the pension income exclusion
(KRS 141.019): each person's own retirement income, early or not, up to $31,110 (on a joint
return the spouse's is ``spouse_distributions``; without it all is the head's).  The standard
deduction (KRS 141.081) comes off and the rest bears the flat rate (KRS 141.020).  A married
couple is figured on a joint return (one standard deduction) or on the combined return filed
separately (Form 740 filing status 3) where that is less: each spouse's own income less that
spouse's exclusion and a standard deduction of that spouse's own (the ``spouse_…`` parts; the
distributions all the head's where ``spouse_distributions`` is not given).  Where whose wages
or other income it is was not given and it would change the lesser of the two, the unit is not
covered.  The
part of a federal or Kentucky government pension earned before 1998 is excluded without limit
(Schedule P); whose government paid a ``governmental_plan`` distribution, and for what service,
are not inputs, so such a distribution beyond the exclusion is not covered.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, answer_unless, joint, own
from dist401k.tax.state.spouse_ranges import part_range
from dist401k.tax.state.units import StateUnits


def kentucky_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 740 line 12 tax (before credits), for each unit."""
    limit = lk.get("state.ky.pension_exclusion")
    d = own(u, "taxable_distributions")
    head, spouse = np.minimum(d.head, limit), np.minimum(d.spouse, limit)
    ky_agi = u.federal_agi - u.taxable_social_security - head - spouse
    standard = lk.get("state.ky.standard_deduction")
    jointly = np.maximum(0.0, ky_agi - standard)
    least, most = separately(u, d.spouse - spouse, ky_agi, standard)
    on_joint = joint(u)
    taxable = np.where(on_joint, np.minimum(jointly, least), jointly)
    not_split = on_joint & (np.minimum(jointly, most) > taxable + HALF_CENT)
    public = u.governmental_plan & ((d.head > limit) | (d.spouse > limit))
    return answer_unless(public | not_split, lk.get("state.ky.rate") * taxable, {
        "STATE_KY_PENSION_EXCLUSION": head + spouse > 0,
        "STATE_KY_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_KY_INCOME_NOT_SPLIT": not_split & ~public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def separately(u: StateUnits, spouse_distributions, ky_agi, standard
               ) -> tuple[np.ndarray, np.ndarray]:
    """The taxable income of a couple filing separately on a combined return (Form 740 filing
    status 3), the least and the most it can be: each spouse's own income (each one's taxable
    Social Security in and out) less each one's exclusion and standard deduction.
    ``spouse_distributions``: the spouse's distributions less the spouse's exclusion.  Where the
    split of the wages or other income is not given (``spouse_wages``, ``spouse_other_income``)
    the spouse's own income is anywhere it allows; the two columns' sum is convex in it, least
    where the spouse's own is the standard deduction (or nearest it), most at an end."""
    wages, other = part_range(u, "wages"), part_range(u, "other_income")
    low = spouse_distributions + wages[0] + other[0]
    high = spouse_distributions + wages[1] + other[1]

    def columns(spouse_own):
        return (np.maximum(0.0, ky_agi - spouse_own - standard)
                + np.maximum(0.0, spouse_own - standard))

    return columns(np.clip(standard, low, high)), np.maximum(columns(low), columns(high))
