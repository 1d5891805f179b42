"""Alabama (Form 40) on hand-worked cases: each figure worked line by line from the statute's
amounts (Code of Alabama §40-18-5 rates, §40-18-15 standard deduction chart and federal income
tax deduction, §40-18-19 personal exemption and the $6,000 retirement income exclusion from 65)
as the 2024 Form 40 booklet lays them out (Standard Deduction Chart; lines 10–16)."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import assert_not_covered
from state_cases import one as one_unit

BASE = {"state": "AL", "tax_year": 2024, "filing_status": "single", "age_head": 50,
        "federal_income_tax": 0, "federal_net_investment_income_tax": 0}


def one(**kw) -> dict:
    return one_unit(BASE, **kw)


def test_single_retiree_of_70_with_social_security():
    # Federal AGI 50,000 = 40,000 distribution + 10,000 taxable Social Security: Alabama AGI
    # 50,000 − 10,000 − 6,000 (65+) = 34,000; chart: 17 steps of $500 above 25,500, 3,000 −
    # 17 × 25 = 2,575; federal tax 3,000; exemption 1,500: taxable 26,925 → 2% × 500 + 4% ×
    # 2,500 + 5% × 23,925 = 10 + 100 + 1,196.25.
    r = one(age_head=70, federal_agi=50_000, taxable_distributions=40_000,
            social_security=20_000, taxable_social_security=10_000, federal_income_tax=3_000)
    assert r["state_income_tax"] == pytest.approx(1_306.25, abs=0.005)
    assert {"STATE_AL_RETIREMENT_EXCLUSION", "STATE_AL_FEDERAL_TAX_DEDUCTION",
            "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]
    assert r["state_additional_tax"] == 0


def test_early_distribution_is_taxed_whole_no_exclusion_before_65():
    # 2025, joint, 52 and 50: a 60,000 early distribution, federal tax 2,943 (2025, 60,000 −
    # 31,500 = 28,500 taxable: 10% × 23,850 + 12% × 4,650; the §72(t) tax is not line 22);
    # Alabama AGI 60,000; chart: 69 steps above 25,500 take 12,075: the least, 5,000;
    # exemption 3,000: taxable 49,057 → 2% × 1,000 + 4% × 5,000 + 5% × 43,057.
    r = one(tax_year=2025, filing_status="married_joint", age_head=52, age_spouse=50,
            federal_agi=60_000, taxable_distributions=60_000, early_distributions=60_000,
            federal_income_tax=2_943)
    assert r["state_income_tax"] == pytest.approx(20 + 200 + 0.05 * 43_057, abs=0.005)
    assert r["state_additional_tax"] == 0
    assert "STATE_AL_RETIREMENT_EXCLUSION" not in r["reasons"]


def test_standard_deduction_chart_lines():
    # The 2024 chart: joint 25,999 → 8,500; 26,000 → 8,325; 35,500 and above → 5,000;
    # separate 13,000 → 4,162; 17,750 → 2,500.  Taxable income is then AGI − deduction −
    # exemption with no other income, so the tax tells the deduction.
    from dist401k.law import default_law
    from dist401k.law.loader import Lookup
    from dist401k.tax.state.alabama import standard_deduction

    statuses = np.array([1, 1, 1, 2, 2], dtype=np.int8)
    lk = Lookup(default_law(), np.full(5, 2024), statuses)
    got = standard_deduction(lk, np.array([25_999, 26_000, 35_500, 13_000, 17_750.0]))
    assert got.tolist() == [8_500, 8_325, 5_000, 4_162, 2_500]


def test_the_exclusion_is_the_heads_distribution_up_to_6000():
    # Joint, head 66 and spouse 60: 4,000 distribution (all excluded), 2,000 interest.
    r = one(filing_status="married_joint", age_head=66, age_spouse=60, federal_agi=6_000,
            taxable_distributions=4_000)
    assert r["state_income_tax"] == 0
    # The spouse's age does not open the head's exclusion.
    r = one(filing_status="married_joint", age_head=60, age_spouse=66, federal_agi=20_000,
            taxable_distributions=20_000)
    # 20,000 − 8,500 − 3,000 = 8,500 → 20 + 200 + 5% × 2,500.
    assert r["state_income_tax"] == pytest.approx(345.0, abs=0.005)


def test_contributions_alabama_taxed_are_not_taxed_again():
    # Single 60, 20,000 distribution of which 5,000 returns contributions Alabama taxed:
    # Alabama AGI 15,000 − 3,000 − 1,500 = 10,500 → 10 + 100 + 5% × 7,500.
    r = one(age_head=60, federal_agi=20_000, taxable_distributions=20_000,
            state_basis_recovered=5_000)
    assert r["state_income_tax"] == pytest.approx(485.0, abs=0.005)


def test_units_not_covered_say_why():
    assert_not_covered(BASE, [
        (dict(age_head=70, federal_agi=30_000, taxable_distributions=30_000,
              governmental_plan=True), "STATE_AL_PUBLIC_PENSION_NOT_COVERED"),
        (dict(filing_status="qualifying_surviving_spouse", federal_agi=30_000, wages=30_000),
         "STATE_AL_SURVIVING_SPOUSE_NOT_COVERED"),
        # Wages of 40,000: payroll taxes 3,060 pass the 2,500–3,000 standard deduction.
        (dict(federal_agi=40_000, wages=40_000), "STATE_AL_ITEMIZED_NOT_MODELLED"),
    ])
    # Wages of 30,000: 2,295 of payroll taxes, less than the 2,775 deduction (9 steps): covered.
    assert np.isfinite(one(federal_agi=30_000, wages=30_000)["state_income_tax"])
