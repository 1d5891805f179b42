"""Vermont (Form IN-111) on hand-worked cases: each figure worked line by line from 32 V.S.A.
§5830e(a) (the Social Security exclusion; Schedule IN-112 Section II), §5811(21)(C) (standard
deduction and exemptions), §5822(a) (rate schedules) and §5822(c)(1)(A) (24% of the federal
additional tax on qualified plans), with the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import batch
from state_cases import one as state_case

BASE = {"state": "VT", "tax_year": 2025, "filing_status": "single", "age_head": 70}


def one(**kw) -> dict:
    return state_case(BASE, **kw)


def test_retiree_with_partial_social_security_exclusion_2025():
    # 70, single: a 40,000 plan distribution (no exemption of its own) and 20,000 taxable
    # Social Security; federal AGI 60,000.  IN-112: (65,000 - 60,000) / 10,000 = 0.50 of 20,000
    # excluded.  Less 7,650 + 1,250 (65+) + 5,300: taxable 35,800 x 3.35%.
    r = one(federal_agi=60_000, taxable_distributions=40_000, social_security=24_000,
            taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.0335 * 35_800, abs=0.005)
    assert r["state_additional_tax"] == 0
    assert "STATE_SOCIAL_SECURITY_EXEMPT" in r["reasons"]


def test_no_social_security_exclusion_from_the_end_of_the_range():
    # The same with 5,000 more of distribution: federal AGI 65,000, nothing excluded.
    r = one(federal_agi=65_000, taxable_distributions=45_000, social_security=24_000,
            taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.0335 * 49_400 + 0.066 * (50_800 - 49_400),
                                                  abs=0.005)
    assert "STATE_SOCIAL_SECURITY_EXEMPT" not in r["reasons"]


def test_early_distribution_adds_24_percent_of_the_federal_tax_2024():
    # 50, single, 2024: 30,000 wages and a 40,000 distribution under the federal 10% tax.
    # Taxable 70,000 - 7,400 - 5,100 = 57,500 = 3.35% x 47,900 + 6.6% x 9,600; additions to
    # Vermont tax: 24% of the federal 4,000.
    r = one(tax_year=2024, age_head=50, federal_agi=70_000, wages=30_000,
            taxable_distributions=40_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(0.0335 * 47_900 + 0.066 * 9_600, abs=0.005)
    assert r["state_additional_tax"] == pytest.approx(960.0, abs=0.005)
    assert "STATE_VT_EARLY_DISTRIBUTION_TAX" in r["reasons"]


def test_joint_couple_both_65():
    # 2025, joint, 67 and 66: federal AGI 75,000 with 25,000 taxable Social Security; half
    # excluded ((80,000 - 75,000) / 10,000); less 15,300 + 2 x 1,250 + 2 x 5,300: 34,100.
    r = one(filing_status="married_joint", age_head=67, age_spouse=66, federal_agi=75_000,
            taxable_distributions=50_000, social_security=30_000, taxable_social_security=25_000)
    assert r["state_income_tax"] == pytest.approx(0.0335 * 34_100, abs=0.005)


def test_public_plan_and_tax_exempt_interest_are_not_guessed():
    r = one(federal_agi=60_000, taxable_distributions=60_000, governmental_plan=True)
    assert not r["state_covered"] and np.isnan(r["state_additional_tax"])
    assert "STATE_VT_PUBLIC_PENSION_NOT_MODELLED" in r["reasons"]
    r = one(federal_agi=60_000, taxable_distributions=60_000, tax_exempt_interest=2_000)
    assert not r["state_covered"] and "STATE_TAX_EXEMPT_INTEREST_NOT_SPLIT" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(federal_agi=60_000, taxable_distributions=40_000, social_security=24_000,
                 taxable_social_security=20_000),
            dict(tax_year=2024, age_head=50, federal_agi=70_000, wages=30_000,
                 taxable_distributions=40_000, early_distributions=40_000),
            dict(tax_year=2026, filing_status="head_of_household", federal_agi=400_000,
                 wages=400_000)]
    out = batch(BASE, rows)
    assert np.allclose(out["state_income_tax"], [one(**r)["state_income_tax"] for r in rows])
    assert np.allclose(out["state_additional_tax"], [0.0, 960.0, 0.0])
