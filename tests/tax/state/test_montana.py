"""Montana (Form 2, from 2024) on hand-worked cases: each figure worked line by line from the
Department of Revenue's 2024 tax tables (4.7% up to $20,500 single / $41,000 joint / $30,750
head of household, 5.9% above: the table's "less $246 / $492 / $369"), the start from federal
taxable income and the $5,500 subtraction for each taxpayer 65 or older (MCA §§15-30-2103,
15-30-2120)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax

BASE = {"state": "MT", "tax_year": 2024, "filing_status": "single", "age_head": 50}


def one(**kw) -> dict:
    cols = {**BASE, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_retiree_with_social_security_taxed_as_federally_2024():
    # Single, 70: a 100,000 distribution and 30,000 Social Security, 25,500 taxable (Montana
    # taxes it as federally). Federal AGI 125,500, standard deduction 16,550, federal taxable
    # income 108,950; less 5,500 (65 or older): 103,450. The table: 5.9% x 103,450 - 246.
    r = one(age_head=70, federal_agi=125_500, taxable_distributions=100_000,
            social_security=30_000, taxable_social_security=25_500,
            federal_taxable_income=108_950, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(0.059 * 103_450 - 246, abs=0.005)
    assert "STATE_MT_OLD_AGE_SUBTRACTION" in r["reasons"]
    assert "STATE_SOCIAL_SECURITY_EXEMPT" not in r["reasons"]


def test_early_distribution_taxed_no_additional_tax():
    # Head of household, 45, 2024: wages 30,000 and a 40,000 early distribution: federal
    # taxable income 70,000 - 21,900 = 48,100; 5.9% x 48,100 - 369.
    r = one(filing_status="head_of_household", age_head=45, wages=30_000, federal_agi=70_000,
            taxable_distributions=40_000, early_distributions=40_000,
            federal_taxable_income=48_100, federal_standard_deduction=21_900)
    assert r["state_income_tax"] == pytest.approx(0.059 * 48_100 - 369, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_joint_both_65_lower_bracket():
    # Joint, 67 and 66: a 60,000 distribution; federal taxable income 60,000 - 32,300 =
    # 27,700; less 2 x 5,500 = 16,700, all at 4.7%.
    r = one(filing_status="married_joint", age_head=67, age_spouse=66, federal_agi=60_000,
            taxable_distributions=60_000, federal_taxable_income=27_700,
            federal_standard_deduction=32_300)
    assert r["state_income_tax"] == pytest.approx(0.047 * 16_700, abs=0.005)


def test_units_not_covered():
    # Other income: long-term gains have rates of their own.
    r = one(federal_agi=80_000, wages=60_000, federal_taxable_income=65_400,
            federal_standard_deduction=14_600)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_MT_CAPITAL_GAINS_NOT_MODELLED" in r["reasons"]
    r = one(federal_agi=80_000, wages=80_000, federal_taxable_income=60_000,
            federal_standard_deduction=0)
    assert np.isnan(r["state_income_tax"]) and "STATE_MT_ITEMIZER_NOT_MODELLED" in r["reasons"]
    r = one(federal_agi=80_000, wages=80_000)
    assert "STATE_FEDERAL_FIGURES_NOT_GIVEN" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=125_500, taxable_distributions=100_000,
                 social_security=30_000, taxable_social_security=25_500,
                 federal_taxable_income=108_950, federal_standard_deduction=16_550),
            dict(tax_year=2026, filing_status="married_joint", age_head=60, age_spouse=60,
                 federal_agi=200_000, taxable_distributions=200_000,
                 federal_taxable_income=167_800, federal_standard_deduction=32_200),
            dict(tax_year=2025, filing_status="married_separate", federal_agi=50_000,
                 wages=50_000, federal_taxable_income=35_000, federal_standard_deduction=15_000)]
    full = [{**BASE, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])
