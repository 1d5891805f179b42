"""District of Columbia (Form D-40) on hand-worked cases: each figure worked line by line from
D.C. Code §47-1803.02 (DC AGI: taxable Social Security out), §47-1801.04(44) (standard
deduction, with the federal additional amounts for age) and §47-1806.03 (one rate schedule),
with the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import batch
from state_cases import one as state_case

BASE = {"state": "DC", "tax_year": 2025, "filing_status": "single", "age_head": 70}


def one(**kw) -> dict:
    return state_case(BASE, **kw)


def _low(rest: float) -> float:
    """The tax through 60,000 (4% to 10,000, 6% to 40,000, 6.5% to 60,000) plus 8.5% of ``rest``."""
    return 0.04 * 10_000 + 0.06 * 30_000 + 0.065 * 20_000 + 0.085 * rest


def test_retiree_with_social_security_2025():
    # Federal AGI 80,000 with 20,000 taxable Social Security: DC AGI 60,000; the District's
    # 2025 standard deduction 15,000 + 2,000 (65+): taxable 43,000.
    r = one(federal_agi=80_000, taxable_distributions=60_000, social_security=24_000,
            taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.04 * 10_000 + 0.06 * 30_000 + 0.065 * 3_000,
                                                  abs=0.005)
    assert r["state_additional_tax"] == 0
    assert "STATE_SOCIAL_SECURITY_EXEMPT" in r["reasons"]


def test_early_distribution_taxed_as_income_2024():
    # 50, single, 2024: 30,000 wages and a 40,000 early distribution; the federal basic
    # deduction 14,600: taxable 55,400.  No District tax of its own on early distributions.
    r = one(tax_year=2024, age_head=50, federal_agi=70_000, wages=30_000,
            taxable_distributions=40_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(400 + 1_800 + 0.065 * 15_400, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_joint_couple_with_the_head_distribution_2026():
    # 2026, joint, 66 and 67: 120,000 from the head's plan, nothing else; deduction 30,650
    # + 2 x 1,650: taxable 86,050.
    r = one(tax_year=2026, filing_status="married_joint", age_head=66, age_spouse=67,
            federal_agi=120_000, taxable_distributions=120_000)
    assert r["state_income_tax"] == pytest.approx(_low(26_050), abs=0.005)


def test_top_rates_2024():
    # 60, single, 2024: 1,200,000 distributed; taxable 1,185,400: the brackets up to 250,000,
    # 500,000 and 1,000,000 at 8.5%, 9.25%, 9.75%, then 10.75%.
    r = one(tax_year=2024, age_head=60, federal_agi=1_200_000, taxable_distributions=1_200_000)
    tax = _low(190_000) + 0.0925 * 250_000 + 0.0975 * 500_000 + 0.1075 * 185_400
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_whose_income_and_itemizing_are_not_guessed():
    # Spouses may file separately on one return, each on their own income.
    r = one(filing_status="married_joint", age_spouse=60, federal_agi=150_000, wages=50_000,
            taxable_distributions=100_000)
    assert not r["state_covered"] and "STATE_DC_INCOME_NOT_SPLIT" in r["reasons"]
    r = one(federal_agi=300_000, taxable_distributions=300_000, federal_standard_deduction=0)
    assert not r["state_covered"] and "STATE_DC_ITEMIZER_NOT_MODELLED" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(federal_agi=80_000, taxable_distributions=60_000, social_security=24_000,
                 taxable_social_security=20_000),
            dict(tax_year=2024, age_head=50, federal_agi=70_000, wages=30_000,
                 taxable_distributions=40_000, early_distributions=40_000),
            dict(tax_year=2026, filing_status="married_joint", age_head=66, age_spouse=67,
                 federal_agi=120_000, taxable_distributions=120_000)]
    assert np.allclose(batch(BASE, rows)["state_income_tax"],
                       [one(**r)["state_income_tax"] for r in rows])
