"""Georgia's standard deduction of a qualifying surviving spouse, worked by hand.

O.C.G.A. §48-7-27(a)(1)(B) gives two amounts only: (i) for a married couple filing a joint
return and (ii) for a single taxpayer, a head of household or a married taxpayer filing a
separate return.  A qualifying surviving spouse files Georgia's status D, "Head of Household or
Qualifying Widow(er)" (Form 500 line 5), and the Department lists the surviving spouse with the
single amount ($12,000 for 2024, under the same two tiers as 2026's).  So the surviving spouse
takes the single amount: $12,000 (2024, 2025), $15,000 (2026, HB 463 of 2025–2026 §2-3), not the
joint $24,000 / $30,000 the federal return allows (IRC §63(c)(2)(A)).  Rates: 5.19% (2025),
4.99% (2026, O.C.G.A. §48-7-20).
"""

from __future__ import annotations

import pytest
from state_cases import one as state_case

# A 45-year-old qualifying surviving spouse whose only income is an early $60,000 401(k)
# distribution (under the federal 10% tax): no retirement income exclusion before 62.
BASE = {"state": "GA", "filing_status": "qualifying_surviving_spouse", "age_head": 45,
        "federal_agi": 60_000, "taxable_distributions": 60_000, "early_distributions": 60_000}


def one(**kw) -> dict:
    return state_case(BASE, **kw)


def test_2026_surviving_spouse_takes_the_single_amount():
    # Georgia AGI 60,000 (nothing excluded at 45); less the single tier's 15,000: 45,000 at
    # 4.99% = 2,245.50 (the joint tier would give 30,000 x 4.99% = 1,497.00).
    r = one(tax_year=2026)
    assert r["state_income_tax"] == pytest.approx(2_245.50, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_2025_surviving_spouse_takes_the_single_amount():
    # 60,000 - 12,000 = 48,000 at 5.19% = 2,491.20.
    r = one(tax_year=2025)
    assert r["state_income_tax"] == pytest.approx(2_491.20, abs=0.005)


@pytest.mark.parametrize(("status", "deduction"), [
    ("single", 15_000), ("head_of_household", 15_000), ("married_separate", 15_000),
    ("qualifying_surviving_spouse", 15_000), ("married_joint", 30_000)])
def test_2026_tiers_by_filing_status(status, deduction):
    # The same 60,000 at 4.99% after each status's amount (a joint return: the head's own
    # distribution, the spouse 45 too, with no income).
    r = one(tax_year=2026, filing_status=status, age_spouse=45)
    assert r["state_income_tax"] == pytest.approx(0.0499 * (60_000 - deduction), abs=0.005)
