"""Massachusetts personal income tax on a tax unit with retirement income (Form 1).

Massachusetts does not start from federal AGI: it taxes classes of income (Mass. Gen. Laws
c. 62, §2).  Wages, pensions and plan and IRA distributions are Part B income, taxed at 5%
(§4(b)) after the personal and age exemptions (§3(B)(b)); Social Security is not income there
(§2(a)(2)(E)).  A distribution is Part B income only beyond the contributions Massachusetts
already taxed (``state_basis_recovered``).  The 4% surtax taxes taxable income above the
indexed threshold (§4(d)); a filer whose Massachusetts AGI is at or below the No Tax Status
limit owes nothing (§5).  Interest and dividends (``taxable_interest``,
``ordinary_dividends``) are Part A income at 5% (§4(a); the interest taken as not a
Massachusetts bank's, which is Part B at the same rate), the net long-term capital gain
(``long_term_gains``) Part C at 5% (§4(c)); the exemptions Part B income leaves unused reduce
Part A income, then Part C (§3A(b); none for a separate filer); a net loss offsets up to
$2,000 of the interest and dividends (Schedule B), and Massachusetts's own carryover is taken
as the federal one already in the gain given.  The surtax taxes the three parts together.

Not guessed (not covered): other income whose kind was not given; wages (the
Part B deduction of Social Security, Medicare or public retirement contributions paid, up to
$2,000 a person, §3(B)(a)(4), is not an input); a governmental plan's distribution (a
contributory pension of the Commonwealth, its subdivisions or the United States is exempt,
§2(a)(2)(E), another government's or a 457(b) is not; the payer is not an input).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    aged,
    answer_unless,
    other_income_unknown,
)
from dist401k.tax.state.units import StateUnits


def massachusetts_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 1 tax on Part B income plus the 4% surtax (before credits), for each unit."""
    distributions = np.maximum(0.0, u.taxable_distributions - u.state_basis_recovered)
    part_b = u.wages + distributions
    kinds = OtherIncome.of(u)
    loss = np.maximum(0.0, -kinds.long_term_gains)
    part_a = np.maximum(0.0, kinds.interest + kinds.dividends
                        - np.minimum(loss, lk.get("state.ma.capital_loss_against_part_a")))
    part_c = np.maximum(0.0, kinds.long_term_gains)
    ma_agi = part_b + part_a + part_c
    exemptions = (lk.get("state.ma.personal_exemption")
                  + aged(u, lk.get("state.ma.aged_exemption_age")) * lk.get("state.ma.aged_exemption"))
    b_taxable = np.maximum(0.0, part_b - exemptions)
    excess = np.where(u.filing_status == MARRIED_SEPARATE, 0.0,
                      np.maximum(0.0, exemptions - part_b))
    a_taxable = np.maximum(0.0, part_a - excess)
    c_taxable = np.maximum(0.0, part_c - np.maximum(0.0, excess - part_a))
    taxable = b_taxable + a_taxable + c_taxable
    over = np.maximum(0.0, taxable - lk.get("state.ma.surtax_threshold"))
    no_tax = ma_agi <= lk.get("state.ma.no_tax_limit")
    tax = np.where(no_tax, 0.0, lk.get("state.ma.rate") * b_taxable
                   + lk.get("state.ma.part_a_rate") * a_taxable
                   + lk.get("state.ma.part_c_rate") * c_taxable
                   + lk.get("state.ma.surtax_rate") * over)
    other = other_income_unknown(u, losses=True)
    wages = ~other & (u.wages > 0)
    public = ~other & ~wages & u.governmental_plan & (u.taxable_distributions > 0)
    known = ~(other | wages | public)
    return answer_unless(~known, tax, {
        "STATE_MA_NO_TAX_STATUS": known & no_tax,
        "STATE_MA_SURTAX": known & (over > 0),
        "STATE_MA_OTHER_INCOME_NOT_MODELLED": other,
        "STATE_MA_PART_A_AND_C": known & ((part_a > 0) | (part_c > 0)),
        "STATE_MA_PAYROLL_DEDUCTION_NOT_MODELLED": wages,
        "STATE_MA_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })
