"""South Carolina (SC1040) on hand-worked cases: each figure worked line by line from S.C. Code
§12-6-1170 (the retirement income deduction, (A), and the deduction from 65, (B)), §12-6-510
(rates) and, from 2026, H.4216's §12-6-1140(15) (the South Carolina Income Adjusted
Deduction), with the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import batch
from state_cases import one as state_case

BASE = {"state": "SC", "tax_year": 2024, "filing_status": "single", "age_head": 70}


def one(**kw) -> dict:
    return state_case(BASE, **kw)


def test_retiree_with_social_security_2024():
    # 70, single: a 60,000 plan distribution and 20,000 taxable of 24,000 Social Security;
    # federal AGI 80,000, taxable income 80,000 - 14,600 - 1,950 = 63,450.  Less taxable Social
    # Security 20,000, the retirement deduction 10,000 (line p) and the deduction from 65,
    # 15,000 - 10,000 (line q): 28,450 = 3% x (17,330 - 3,460) + 6.2% x (28,450 - 17,330).
    r = one(federal_agi=80_000, taxable_distributions=60_000, social_security=24_000,
            taxable_social_security=20_000, federal_taxable_income=63_450,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(0.03 * 13_870 + 0.062 * 11_120, abs=0.005)
    assert r["state_additional_tax"] == 0
    assert {"STATE_SC_RETIREMENT_DEDUCTION", "STATE_SC_SENIOR_DEDUCTION",
            "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_early_distribution_is_not_retirement_income_2025():
    # 50, single, 2025: 30,000 wages and a 40,000 distribution under the federal 10% tax
    # (§12-6-1170(A)(2): not retirement income).  Federal taxable income 70,000 - 15,750 =
    # 54,250; line e adds back the 750 by which P.L. 119-21 raised the basic standard
    # deduction: 55,000 = 3% x 14,270 + 6% x (55,000 - 17,830).
    r = one(tax_year=2025, age_head=50, federal_agi=70_000, wages=30_000,
            taxable_distributions=40_000, early_distributions=40_000,
            federal_taxable_income=54_250, federal_standard_deduction=15_750)
    assert r["state_income_tax"] == pytest.approx(0.03 * 14_270 + 0.06 * 37_170, abs=0.005)
    assert "STATE_SC_EARLY_NOT_DEDUCTED" in r["reasons"]
    assert "STATE_SC_RETIREMENT_DEDUCTION" not in r["reasons"]


def test_senior_deduction_of_2025_is_added_back():
    # 70, single, 2025, a 60,000 distribution: federal taxable income 60,000 - 17,750 - 6,000
    # (the Schedule 1-A senior deduction) = 36,250; South Carolina adds back 750 + 6,000 and
    # subtracts 10,000 + 5,000: 28,000.
    r = one(tax_year=2025, federal_agi=60_000, taxable_distributions=60_000,
            federal_taxable_income=36_250, federal_standard_deduction=17_750)
    assert r["state_income_tax"] == pytest.approx(0.03 * 14_270 + 0.06 * 10_170, abs=0.005)


def test_under_65_deduction_after_separation():
    # 58, retired at 55 (no 10% tax): up to 3,000 deducted.  2024 single, 50,000 distributed:
    # federal taxable income 35,400; South Carolina 32,400.
    r = one(age_head=58, federal_agi=50_000, taxable_distributions=50_000,
            federal_taxable_income=35_400, federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(0.03 * 13_870 + 0.062 * 15_070, abs=0.005)
    assert "STATE_SC_SENIOR_DEDUCTION" not in r["reasons"]


def test_2026_income_adjusted_deduction_from_federal_agi():
    # 2026, joint, both 70: 100,000 distributed, 34,000 taxable of 40,000 Social Security;
    # federal AGI 134,000.  SCIAD 30,000 less 30,000 x (134,000 - 80,000) / 110,000 =
    # 14,727.27, rounded down to 14,720: 15,280.  Subtractions 34,000 + 10,000 + 5,000 + 15,000
    # (the spouse's deduction from 65): taxable 54,720 = 1.99% x 30,000 + 5.21% x 24,720.
    # No federal taxable income needed from 2026.
    r = one(tax_year=2026, filing_status="married_joint", age_spouse=70, federal_agi=134_000,
            taxable_distributions=100_000, social_security=40_000, taxable_social_security=34_000)
    assert r["state_income_tax"] == pytest.approx(0.0199 * 30_000 + 0.0521 * 24_720, abs=0.005)


def test_federal_figures_needed_through_2025():
    # A federal itemizer adds back the state income tax it deducted (not an input), and
    # without federal taxable income there is no start: not figured.
    r = one(tax_year=2025, federal_agi=90_000, taxable_distributions=90_000,
            federal_taxable_income=60_000, federal_standard_deduction=0)
    assert not r["state_covered"] and "STATE_SC_ITEMIZER_NOT_MODELLED" in r["reasons"]
    r = one(federal_agi=90_000, taxable_distributions=90_000)
    assert not r["state_covered"] and "STATE_FEDERAL_FIGURES_NOT_GIVEN" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(federal_agi=80_000, taxable_distributions=60_000, social_security=24_000,
                 taxable_social_security=20_000, federal_taxable_income=63_450,
                 federal_standard_deduction=16_550),
            dict(tax_year=2026, filing_status="married_joint", age_spouse=70, federal_agi=134_000,
                 taxable_distributions=100_000, social_security=40_000,
                 taxable_social_security=34_000, federal_taxable_income=0,
                 federal_standard_deduction=0),
            dict(tax_year=2025, age_head=50, federal_agi=70_000, wages=30_000,
                 taxable_distributions=40_000, early_distributions=40_000,
                 federal_taxable_income=54_250, federal_standard_deduction=15_750)]
    assert np.allclose(batch(BASE, rows)["state_income_tax"], [one(**r)["state_income_tax"] for r in rows])
