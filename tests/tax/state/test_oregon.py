"""Oregon (Form OR-40) on hand-worked cases: each figure worked line by line from the law
files' amounts (ORS 316.037 charts S and J, 316.680 federal tax subtraction and its limits,
316.695 standard deduction and the additions from 65, 316.085 exemption credit, 316.157
retirement income credit as Publication OR-17's worksheet lays it out)."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import assert_not_covered
from state_cases import one as one_unit

BASE = {"state": "OR", "tax_year": 2024, "filing_status": "single", "age_head": 50,
        "federal_income_tax": 0, "federal_standard_deduction": 14_600}


def one(**kw) -> dict:
    return one_unit(BASE, **kw)


def chart_s_2024(taxable: float) -> float:
    """2024 chart S below $125,000: 4.75% to 4,300, 6.75% to 10,750, 8.75% above."""
    return 0.0475 * 4_300 + 0.0675 * 6_450 + 0.0875 * (taxable - 10_750)


def test_single_retiree_with_social_security():
    # 2024, single, 70: federal AGI 60,000 = 40,000 distribution + 20,000 taxable Social
    # Security (of 30,000); federal tax 4,000 (under the 8,250 limit); standard deduction
    # 2,745 + 1,200: taxable 60,000 − 20,000 − 4,000 − 3,945 = 32,055; less the 249 exemption
    # credit; no retirement credit (30,000 of Social Security passes the 7,500 base).
    r = one(age_head=70, federal_agi=60_000, taxable_distributions=40_000,
            social_security=30_000, taxable_social_security=20_000, federal_income_tax=4_000,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(chart_s_2024(32_055) - 249, abs=0.005)
    assert {"STATE_OR_FEDERAL_TAX_SUBTRACTION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]
    assert "STATE_OR_RETIREMENT_CREDIT" not in r["reasons"]


def test_early_distribution_joint_2025_no_tax_of_its_own():
    # 2025, joint, 55 and 50: a 100,000 early distribution; federal tax 7,743 (68,500 taxable:
    # 10% × 23,850 + 12% × 44,650), all subtracted (limit 8,500); standard deduction 5,670:
    # taxable 86,587 on chart J (8,800 / 22,200): 418 + 904.50 + 8.75% × 64,387; less 2 × 256.
    r = one(tax_year=2025, filing_status="married_joint", age_head=55, age_spouse=50,
            federal_agi=100_000, taxable_distributions=100_000, early_distributions=100_000,
            federal_income_tax=7_743, federal_standard_deduction=31_500)
    assert r["state_income_tax"] == pytest.approx(418 + 904.5 + 0.0875 * 64_387 - 512, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_the_federal_tax_subtraction_falls_by_steps_of_agi():
    from dist401k.law import default_law
    from dist401k.law.loader import Lookup
    from dist401k.tax.state.oregon import federal_tax_limit

    lk = Lookup(default_law(), np.full(6, 2024), np.array([0, 0, 0, 0, 1, 2], dtype=np.int8))
    got = federal_tax_limit(lk, np.array([124_999, 125_000, 132_000, 145_000, 289_999, 135_000.0]))
    assert got.tolist() == [8_250, 6_600, 5_000, 0, 1_650, 1_650]
    # 2024 single, 132,000 of wages and distribution, federal tax 20,000: 5,000 subtracted;
    # taxable 132,000 − 5,000 − 2,745 = 124,255; no exemption credit above 100,000.
    r = one(federal_agi=132_000, wages=100_000, taxable_distributions=32_000,
            federal_income_tax=20_000)
    assert r["state_income_tax"] == pytest.approx(chart_s_2024(124_255), abs=0.005)


def test_retirement_income_credit_from_62():
    # 2024, single, 63: 20,000 distribution, 2,000 of Social Security (none taxable); household
    # income 20,000: base 7,500 − 2,000 − (20,000 − 15,000) = 500; credit 9% × 500 = 45.
    # Taxable 20,000 − 2,745 = 17,255; less the 249 exemption credit and the 45.
    r = one(age_head=63, federal_agi=20_000, taxable_distributions=20_000, social_security=2_000)
    assert r["state_income_tax"] == pytest.approx(chart_s_2024(17_255) - 249 - 45, abs=0.005)
    assert "STATE_OR_RETIREMENT_CREDIT" in r["reasons"]
    # At 61 no credit.
    r = one(age_head=61, federal_agi=20_000, taxable_distributions=20_000, social_security=2_000)
    assert r["state_income_tax"] == pytest.approx(chart_s_2024(17_255) - 249, abs=0.005)
    # The credits take the tax to zero, never below.
    r = one(age_head=66, federal_agi=16_000, taxable_distributions=16_000,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == 0


def test_units_not_covered_say_why():
    cases = [
        (dict(age_head=70, federal_agi=30_000, taxable_distributions=30_000,
              governmental_plan=True), "STATE_OR_PUBLIC_PENSION_NOT_COVERED"),
        (dict(federal_agi=300_000, wages=300_000, federal_standard_deduction=0),
         "STATE_OR_ITEMIZER_NOT_MODELLED"),
    ]
    assert_not_covered(BASE, cases)


def test_retirement_income_credit_counts_each_spouses_own_from_62():
    # 2024, joint, the head 60 and the spouse 64: a 40,000 distribution, all the spouse's; no
    # Social Security.  Household income 40,000: base 15,000 − (40,000 − 30,000) = 5,000;
    # credit 9% × 5,000 = 450.  Taken as the 60-year-old head's (no split), no credit.
    couple = dict(filing_status="married_joint", age_head=60, age_spouse=64, federal_agi=40_000,
                  taxable_distributions=40_000, federal_income_tax=925,
                  federal_standard_deduction=30_750)
    spouses = one(**couple, spouse_distributions=40_000)
    heads = one(**couple)
    assert "STATE_OR_RETIREMENT_CREDIT" in spouses["reasons"]
    assert "STATE_OR_RETIREMENT_CREDIT" not in heads["reasons"]
    assert heads["state_income_tax"] - spouses["state_income_tax"] == pytest.approx(450, abs=0.005)
    # The head's own, at 60: no credit either way.
    assert one(**couple, spouse_distributions=0.0)["state_income_tax"] == heads["state_income_tax"]
