"""Massachusetts personal income tax on a tax unit with retirement income (Form 1).

Massachusetts does not start from federal AGI: it taxes classes of income (Mass. Gen. Laws
c. 62, §2).  Wages, pensions and plan and IRA distributions are Part B income, taxed at 5%
(§4(b)) after the personal and age exemptions (§3(B)(b)); Social Security is not income there
(§2(a)(2)(E)).  A distribution is Part B income only beyond the contributions Massachusetts
already taxed (``state_basis_recovered``).  The 4% surtax taxes taxable income above the
indexed threshold (§4(d)); a filer whose Massachusetts AGI is at or below the No Tax Status
limit owes nothing (§5).

Not guessed (not covered): other income (its kind decides its part and rate: interest and
dividends in Part A at 5%, short-term gains at 8.5%, long-term gains in Part C); wages (the
Part B deduction of Social Security, Medicare or public retirement contributions paid, up to
$2,000 a person, §3(B)(a)(4), is not an input); a governmental plan's distribution (a
contributory pension of the Commonwealth, its subdivisions or the United States is exempt,
§2(a)(2)(E), another government's or a 457(b) is not; the payer is not an input).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, aged, answer_unless
from dist401k.tax.state.units import StateUnits


def massachusetts_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 1 tax on Part B income plus the 4% surtax (before credits), for each unit."""
    distributions = np.maximum(0.0, u.taxable_distributions - u.state_basis_recovered)
    ma_agi = u.wages + distributions
    exemptions = (lk.get("state.ma.personal_exemption")
                  + aged(u, lk.get("state.ma.aged_exemption_age")) * lk.get("state.ma.aged_exemption"))
    taxable = np.maximum(0.0, ma_agi - exemptions)
    over = np.maximum(0.0, taxable - lk.get("state.ma.surtax_threshold"))
    no_tax = ma_agi <= lk.get("state.ma.no_tax_limit")
    tax = np.where(no_tax, 0.0, lk.get("state.ma.rate") * taxable + lk.get("state.ma.surtax_rate") * over)
    other = u.other_income > HALF_CENT
    wages = ~other & (u.wages > 0)
    public = ~other & ~wages & u.governmental_plan & (u.taxable_distributions > 0)
    known = ~(other | wages | public)
    return answer_unless(~known, tax, {
        "STATE_MA_NO_TAX_STATUS": known & no_tax,
        "STATE_MA_SURTAX": known & (over > 0),
        "STATE_MA_OTHER_INCOME_NOT_MODELLED": other,
        "STATE_MA_PAYROLL_DEDUCTION_NOT_MODELLED": wages,
        "STATE_MA_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
