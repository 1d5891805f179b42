"""Iowa (Form IA 1040) on hand-worked cases: each figure worked line by line from the rules of
the 2024 IA 1040 expanded instructions (line 4, low-income exemption; line 5, tax rate schedule,
alternate tax and income tax reduction; Step 3 exemption credits; Schedule 1 line 5, Social
Security, and line 7, the retirement income exclusion, Iowa Code §422.7(31)) and the §422.5A
rates (4.4% / 4.82% / 5.7% in 2024 above $6,210 and $31,050 single; 3.8% from 2025)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax

BASE = {"state": "IA", "tax_year": 2024, "filing_status": "single", "age_head": 50}


def one(**kw) -> dict:
    cols = {**BASE, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_retiree_excludes_the_distribution_and_social_security_2024():
    # Single, 70: interest 40,000, a 50,000 distribution, 30,000 Social Security of which
    # 25,500 taxable. Federal AGI 115,500, standard deduction 14,600 + 1,950 = 16,550, federal
    # taxable income 98,950. Schedule 1: less 25,500 (line 5) and 50,000 (line 7): Iowa
    # taxable income 23,450. Tax 4.4% x 6,210 + 4.82% x 17,240 = 1,104.21; credits 40 + 20.
    # Income from all sources 23,450 + 16,550 = 40,000, above 24,000: no exemption, and the
    # reduction's cap (40,000 - 24,000) is above the tax.
    r = one(age_head=70, federal_agi=115_500, taxable_distributions=50_000, social_security=30_000,
            taxable_social_security=25_500, federal_taxable_income=98_950,
            federal_standard_deduction=16_550)
    tax = 0.044 * 6_210 + 0.0482 * (23_450 - 6_210)
    assert r["state_income_tax"] == pytest.approx(tax - 60, abs=0.005)
    assert {"STATE_IA_RETIREMENT_EXCLUSION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]
    assert r["state_additional_tax"] == 0


def test_early_distribution_at_57_is_excluded_2025():
    # 2025, single, 57: wages 80,000 and a 30,000 distribution under the federal 10% tax.
    # Federal AGI 110,000, standard deduction 15,000, taxable income 95,000; Iowa excludes the
    # distribution (55 or older): 65,000 x 3.8% = 2,470, less the 40 credit.
    r = one(tax_year=2025, age_head=57, wages=80_000, federal_agi=110_000,
            taxable_distributions=30_000, early_distributions=30_000,
            federal_taxable_income=95_000, federal_standard_deduction=15_000)
    assert r["state_income_tax"] == pytest.approx(2_430, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_distribution_before_55_is_not_covered():
    # 50, single: whether the person is disabled (excluded at any age) is not an input.
    r = one(tax_year=2025, wages=60_000, federal_agi=80_000, taxable_distributions=20_000,
            early_distributions=20_000, federal_taxable_income=65_000,
            federal_standard_deduction=15_000)
    assert np.isnan(r["state_income_tax"]) and not r["state_covered"]
    assert "STATE_IA_DISABILITY_NOT_KNOWN" in r["reasons"]


def test_alternate_tax_of_a_head_of_household_2024():
    # Head of household, 66, interest 40,000: standard deduction 21,900 + 1,950 = 23,850,
    # taxable income 16,150: 4.4% x 6,210 + 4.82% x 9,940 = 752.35 on the schedule; the
    # alternate tax 5.7% x (40,000 - 32,000) = 456 is smaller; credits 2 x 40 + 20.
    r = one(filing_status="head_of_household", age_head=66, federal_agi=40_000,
            federal_taxable_income=16_150, federal_standard_deduction=23_850)
    assert r["state_income_tax"] == pytest.approx(456 - 100, abs=0.005)


def test_low_income_exemption_and_reduction_of_a_single_filer():
    # Single, 70, interest 20,000 and a 50,000 distribution: federal taxable income
    # 70,000 - 16,550 = 53,450, Iowa taxable income 3,450; income from all sources
    # 3,450 + 16,550 = 20,000, at most 24,000: no tax.
    r = one(age_head=70, federal_agi=70_000, taxable_distributions=50_000,
            federal_taxable_income=53_450, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == 0
    assert "STATE_IA_LOW_INCOME_EXEMPT" in r["reasons"]
    # Interest 24,200 instead: Iowa taxable income 7,650, tax 4.4% x 6,210 + 4.82% x 1,440
    # = 342.65 less 60 of credits = 282.65; the income tax reduction caps it at the income
    # from all sources above 24,000: 24,200 - 24,000 = 200.
    r = one(age_head=70, federal_agi=74_200, taxable_distributions=50_000,
            federal_taxable_income=57_650, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(200, abs=0.005)


def test_separate_filer_near_the_low_income_amount_is_not_covered():
    # The exemption uses the spouses' combined income, which is not an input.
    r = one(filing_status="married_separate", age_head=60, federal_agi=30_000, wages=30_000,
            federal_taxable_income=15_400, federal_standard_deduction=14_600)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_IA_SEPARATE_COMBINED_INCOME" in r["reasons"]
    # Far above it, the schedule decides: 2025, 3.8% x 185,000 less 40.
    r = one(tax_year=2025, filing_status="married_separate", age_head=60, federal_agi=200_000,
            wages=200_000, federal_taxable_income=185_000, federal_standard_deduction=15_000)
    assert r["state_income_tax"] == pytest.approx(0.038 * 185_000 - 40, abs=0.005)


def test_federal_figures_needed():
    r = one(age_head=70, federal_agi=50_000, taxable_distributions=50_000)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_FEDERAL_FIGURES_NOT_GIVEN" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=115_500, taxable_distributions=50_000,
                 social_security=30_000, taxable_social_security=25_500,
                 federal_taxable_income=98_950, federal_standard_deduction=16_550),
            dict(tax_year=2025, age_head=57, wages=80_000, federal_agi=110_000,
                 taxable_distributions=30_000, federal_taxable_income=95_000,
                 federal_standard_deduction=15_000),
            dict(filing_status="head_of_household", age_head=66, federal_agi=40_000,
                 federal_taxable_income=16_150, federal_standard_deduction=23_850)]
    full = [{**BASE, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])


def test_the_departments_2024_schedule_amounts():
    # IDR's 2024 bracket announcement: over $31,050 (other filers), $1,470.53 + 5.70% of the
    # excess; over $62,100 joint, $2,941.06 + 5.70% of the excess. Single, 50, wages 65,000:
    # taxable 50,400; joint, 50 and 50, wages 130,000: taxable 100,800.
    r = one(wages=65_000, federal_agi=65_000, federal_taxable_income=50_400,
            federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(1_470.53 + 0.057 * (50_400 - 31_050) - 40, abs=0.01)
    r = one(filing_status="married_joint", age_spouse=50, wages=130_000, federal_agi=130_000,
            federal_taxable_income=100_800, federal_standard_deduction=29_200)
    assert r["state_income_tax"] == pytest.approx(2_941.06 + 0.057 * (100_800 - 62_100) - 80, abs=0.01)
