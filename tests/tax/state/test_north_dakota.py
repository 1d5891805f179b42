"""North Dakota (Form ND-1) on hand-worked cases: each figure worked line by line from the
Office of State Tax Commissioner's 2024 rates (0% / 1.95% / 2.5%; single brackets at $47,150
and $238,200, joint at $78,775 and $289,975) and the §57-38-01.2 start from federal taxable
income less taxable Social Security."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax

BASE = {"state": "ND", "tax_year": 2024, "filing_status": "single", "age_head": 50}


def one(**kw) -> dict:
    cols = {**BASE, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_retiree_with_social_security_2024():
    # Single, 70: a 100,000 distribution and 30,000 Social Security, 25,500 taxable. Federal
    # AGI 125,500, standard deduction 16,550, taxable income 108,950; less 25,500 of Social
    # Security: 83,450. Tax 1.95% x (83,450 - 47,150) = 707.85.
    r = one(age_head=70, federal_agi=125_500, taxable_distributions=100_000,
            social_security=30_000, taxable_social_security=25_500,
            federal_taxable_income=108_950)
    assert r["state_income_tax"] == pytest.approx(707.85, abs=0.005)
    assert "STATE_SOCIAL_SECURITY_EXEMPT" in r["reasons"]


def test_early_distribution_taxed_whole_no_additional_tax():
    # Single, 45, 2024: wages 60,000 and a 250,000 early distribution: federal taxable income
    # 295,400; 1.95% x (238,200 - 47,150) + 2.5% x (295,400 - 238,200) = 3,725.48 + 1,430.
    r = one(age_head=45, wages=60_000, federal_agi=310_000, taxable_distributions=250_000,
            early_distributions=250_000, federal_taxable_income=295_400)
    assert r["state_income_tax"] == pytest.approx(0.0195 * 191_050 + 0.025 * 57_200, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_zero_bracket_and_a_joint_retiree():
    # Joint, both 67, 2024: a 90,000 distribution only; federal taxable income 90,000 -
    # 32,300 = 57,700, inside the 0% bracket (78,775).
    r = one(filing_status="married_joint", age_head=67, age_spouse=67, federal_agi=90_000,
            taxable_distributions=90_000, federal_taxable_income=57_700)
    assert r["state_income_tax"] == 0
    assert r["state_covered"]


def test_units_whose_facts_are_not_inputs():
    # Interest, dividends or gains: 40% of gains and qualified dividends is subtracted.
    r = one(federal_agi=80_000, wages=60_000, federal_taxable_income=65_400)
    assert np.isnan(r["state_income_tax"]) and "STATE_ND_OTHER_INCOME_KIND" in r["reasons"]
    # A governmental plan's distribution (the peace officer's exclusion).
    r = one(age_head=60, federal_agi=80_000, taxable_distributions=80_000,
            federal_taxable_income=65_400, governmental_plan=True)
    assert np.isnan(r["state_income_tax"]) and "STATE_ND_PUBLIC_PENSION_NOT_MODELLED" in r["reasons"]
    # A joint return with wages above the zero bracket (the marriage penalty credit).
    r = one(filing_status="married_joint", age_spouse=50, federal_agi=200_000, wages=100_000,
            taxable_distributions=100_000, federal_taxable_income=170_800)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_ND_MARRIAGE_PENALTY_CREDIT_NOT_SPLIT" in r["reasons"]
    r = one(federal_agi=80_000, taxable_distributions=80_000)
    assert "STATE_FEDERAL_FIGURES_NOT_GIVEN" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=125_500, taxable_distributions=100_000,
                 social_security=30_000, taxable_social_security=25_500,
                 federal_taxable_income=108_950),
            dict(tax_year=2025, filing_status="head_of_household", federal_agi=150_000,
                 taxable_distributions=150_000, federal_taxable_income=127_500),
            dict(tax_year=2026, filing_status="married_separate", federal_agi=400_000,
                 taxable_distributions=400_000, federal_taxable_income=380_000)]
    full = [{**BASE, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])
    # 2025 head of household: 1.95% x (127,500 - 64,950).
    assert batch[1] == pytest.approx(0.0195 * (127_500 - 64_950), abs=0.005)
