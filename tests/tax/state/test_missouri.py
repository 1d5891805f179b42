"""Missouri (Form MO-1040, MO-A) on hand-worked cases: each figure worked line by line from
the statute's amounts (RSMo 143.011 schedule as indexed for the year, 143.124 pension and
Social Security exemptions, 143.131 standard deduction, 143.161 exemption, 143.171 federal
income tax deduction)."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import assert_not_covered
from state_cases import one as one_unit

#: The tax on the first seven brackets: 2024 (upper ends 1,273 … 8,911) and 2025 (1,313 …
#: 9,191), each bracket 1,273 / 1,313 wide at 0%, 2%, 2.5%, 3%, 3.5%, 4%, 4.5%.
BELOW_TOP = {2024: 1_273 * (0.02 + 0.025 + 0.03 + 0.035 + 0.04 + 0.045),
             2025: 1_313 * (0.02 + 0.025 + 0.03 + 0.035 + 0.04 + 0.045)}


BASE = {"state": "MO", "tax_year": 2024, "filing_status": "single", "age_head": 50,
        "federal_income_tax": 0, "federal_standard_deduction": 14_600}


def one(**kw) -> dict:
    return one_unit(BASE, **kw)


def test_single_retiree_with_social_security_and_the_private_pension_exemption():
    # 2024, single, 70: 25,000 distribution + 5,000 taxable Social Security (of 20,000):
    # Missouri AGI 30,000; less taxable Social Security, 25,000: at the limit, so the whole
    # 6,000 private pension exemption; federal tax 1,000 × 25% (AGI 25,001–50,000) = 250;
    # standard deduction 16,550: taxable 30,000 − 5,000 − 6,000 − 16,550 − 250 = 2,200 →
    # 2% × (2,200 − 1,273) = 18.54.
    r = one(age_head=70, federal_agi=30_000, taxable_distributions=25_000,
            social_security=20_000, taxable_social_security=5_000, federal_income_tax=1_000,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(18.54, abs=0.005)
    assert {"STATE_MO_PRIVATE_PENSION_EXEMPTION", "STATE_MO_FEDERAL_TAX_DEDUCTION",
            "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_the_private_pension_exemption_falls_with_income():
    # 2024, single, 66: 40,000 distribution, no Social Security: 15,000 above the 25,000 limit
    # leaves nothing of the 6,000; federal tax 2,582 × 25% = 645.50; taxable 40,000 − 16,550 −
    # 645.50 = 22,804.50 → below the top + 4.8% × (22,804.50 − 8,911).
    r = one(age_head=66, federal_agi=40_000, taxable_distributions=40_000,
            federal_income_tax=2_582, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(BELOW_TOP[2024] + 0.048 * 13_893.5, abs=0.005)
    assert "STATE_MO_PRIVATE_PENSION_EXEMPTION" not in r["reasons"]
    # 28,000: 3,000 above the limit leaves 3,000 of the exemption; the federal tax (1,022) ×
    # 25% = 255.50; taxable 28,000 − 3,000 − 16,550 − 255.50 = 8,194.50 (below the top).
    r = one(age_head=66, federal_agi=28_000, taxable_distributions=28_000,
            federal_income_tax=1_022, federal_standard_deduction=16_550)
    below = 1_273 * (0.02 + 0.025 + 0.03 + 0.035 + 0.04) + 0.045 * (8_194.5 - 7_638)
    assert r["state_income_tax"] == pytest.approx(below, abs=0.005)


def test_early_distribution_taxed_at_the_2025_rate_no_tax_of_its_own():
    # 2025, head of household, 45: a 120,000 early distribution; federal tax 5% (100,001–
    # 125,000) of 17,000 = 850; standard deduction 23,625; the 1,400 exemption; the private
    # pension exemption gone (95,000 above the limit): taxable 120,000 − 23,625 − 850 − 1,400
    # = 94,125 → below the top + 4.7% × (94,125 − 9,191).
    r = one(tax_year=2025, filing_status="head_of_household", age_head=45, federal_agi=120_000,
            taxable_distributions=120_000, early_distributions=120_000,
            federal_income_tax=17_000, federal_standard_deduction=23_625)
    assert r["state_income_tax"] == pytest.approx(BELOW_TOP[2025] + 0.047 * 84_934, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_the_federal_tax_share_steps_and_its_limit():
    from dist401k.law import default_law
    from dist401k.law.loader import Lookup
    from dist401k.tax.state.missouri import federal_tax_share

    lk = Lookup(default_law(), np.full(6, 2024), np.zeros(6, dtype=np.int8))
    got = federal_tax_share(lk, np.array([25_000, 25_001, 50_000, 100_001, 125_000, 125_001.0]))
    assert got.tolist() == [0.35, 0.25, 0.25, 0.05, 0.05, 0.0]
    # A federal tax given as 30,000 at 30,000 of AGI: 25% is 7,500, limited to 5,000 single:
    # taxable 30,000 − 14,600 − 5,000 = 10,400.
    r = one(federal_agi=30_000, wages=30_000, federal_income_tax=30_000)
    assert r["state_income_tax"] == pytest.approx(BELOW_TOP[2024] + 0.048 * 1_489, abs=0.005)
    r = one(filing_status="married_joint", federal_agi=60_000, taxable_distributions=60_000,
            federal_income_tax=80_000, federal_standard_deduction=29_200)
    # 15% of 80,000 = 12,000, limited to 10,000: taxable 60,000 − 29,200 − 10,000 = 20,800.
    assert r["state_income_tax"] == pytest.approx(BELOW_TOP[2024] + 0.048 * 11_889, abs=0.005)


def test_units_not_covered_say_why():
    cases = [
        (dict(age_head=70, federal_agi=30_000, taxable_distributions=30_000,
              governmental_plan=True), "STATE_MO_PUBLIC_PENSION_NOT_COVERED"),
        (dict(age_head=58, federal_agi=30_000, social_security=20_000,
              taxable_social_security=2_000, wages=28_000), "STATE_MO_SOCIAL_SECURITY_NOT_COVERED"),
        (dict(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=40_000,
              taxable_distributions=30_000, social_security=30_000,
              taxable_social_security=10_000, federal_standard_deduction=30_750),
         "STATE_MO_SOCIAL_SECURITY_NOT_COVERED"),
        (dict(filing_status="married_joint", age_head=60, age_spouse=60, federal_agi=50_000,
              taxable_distributions=30_000, wages=20_000, federal_standard_deduction=29_200),
         "STATE_MO_COMBINED_SPLIT_NOT_COVERED"),
        (dict(federal_agi=300_000, wages=300_000, federal_standard_deduction=0),
         "STATE_MO_ITEMIZER_NOT_MODELLED"),
    ]
    assert_not_covered(BASE, cases)
    # A joint return whose income is all the head's distribution is covered.
    r = one(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=40_000,
            taxable_distributions=40_000, federal_standard_deduction=30_750)
    assert np.isfinite(r["state_income_tax"])
