"""West Virginia (Form IT-140, Schedule M) on hand-worked cases: each figure worked line by
line from the statute's amounts (W. Va. Code §§11-21-4g, -4i rate schedules; §11-21-12(c)(8)
Social Security and (c)(9) senior citizen modifications; §11-21-10 low-income exclusion;
§11-21-16 exemptions)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from state_cases import batch_matches_units
from state_cases import state_unit as one_unit

one = partial(one_unit, "WV")


def test_single_retiree_under_the_limit_2024():
    # Federal AGI 45,000: a 35,000 distribution and 10,000 taxable Social Security (of 20,000),
    # 70 years old.  Under $50,000: all 10,000 subtracted (c)(8).  Senior modification (c)(9):
    # least of 8,000 and the own income 45,000, less the 10,000 Social Security modification:
    # none.  WV AGI 35,000; exemption 2,000; taxable 33,000: §11-21-4g 2024 schedule,
    # $708.50 + 3.54% x 8,000 = 991.70.
    r = one(age_head=70, federal_agi=45_000, taxable_distributions=35_000, social_security=20_000,
            taxable_social_security=10_000)
    assert r["state_income_tax"] == pytest.approx(708.50 + 0.0354 * 8_000, abs=0.005)
    assert "STATE_WV_SOCIAL_SECURITY_MODIFICATION" in r["reasons"]
    assert "STATE_WV_SENIOR_MODIFICATION" not in r["reasons"]


def test_senior_modification_less_the_social_security_one_2025():
    # 2025, single, 68: a 60,000 distribution and 3,000 taxable Social Security; federal AGI
    # 63,000, over $50,000: 65% x 3,000 = 1,950 subtracted.  Senior: 8,000 - 1,950 = 6,050.
    # WV AGI 63,000 - 1,950 - 6,050 = 55,000; less 2,000: 53,000 by §11-21-4i:
    # $1,165.50 + 4.44% x 13,000 = 1,742.70.
    r = one(tax_year=2025, age_head=68, federal_agi=63_000, taxable_distributions=60_000,
            social_security=12_000, taxable_social_security=3_000)
    assert r["state_income_tax"] == pytest.approx(1_165.50 + 0.0444 * 13_000, abs=0.005)
    assert {"STATE_WV_SENIOR_MODIFICATION", "STATE_WV_SOCIAL_SECURITY_PARTLY_TAXED"} <= r["reasons"]


def test_over_the_limit_2024_only_35_percent_of_social_security_comes_off():
    # 2024, head of household, 62 (no senior modification): wages 40,000, a 30,000 distribution,
    # 34,000 taxable Social Security; federal AGI 104,000 > 50,000: 35% x 34,000 = 11,900.
    # WV AGI 92,100; less 2,000: 90,100: $2,183.50 + 5.12% x 30,100 = 3,724.62.
    r = one(filing_status="head_of_household", age_head=62, federal_agi=104_000, wages=40_000,
            taxable_distributions=30_000, social_security=40_000, taxable_social_security=34_000)
    assert r["state_income_tax"] == pytest.approx(2_183.50 + 0.0512 * 30_100, abs=0.005)


def test_2026_all_social_security_off_above_the_limit():
    r = one(tax_year=2026, federal_agi=120_000, taxable_distributions=100_000,
            social_security=30_000, taxable_social_security=20_000)
    # 100,000 - 2,000 = 98,000 at the 2026 rates (§11-21-4j): 211 + 421.50 + 474 + 844
    # + 4.58% x 38,000.
    tax = 0.0211 * 10_000 + 0.0281 * 15_000 + 0.0316 * 15_000 + 0.0422 * 20_000 + 0.0458 * 38_000
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert "STATE_WV_SOCIAL_SECURITY_PARTLY_TAXED" not in r["reasons"]


def test_early_distribution_taxed_as_in_federal_agi_no_additional_tax():
    # 2024, married separately, 45: a 20,000 early distribution; 18,000 taxable, in the third
    # bracket of the separate schedule (§11-21-4g(b)): $354.25 + 3.54% x 5,500 = 548.95.
    r = one(filing_status="married_separate", age_head=45, federal_agi=20_000,
            taxable_distributions=20_000, early_distributions=20_000)
    assert r["state_income_tax"] == pytest.approx(354.25 + 0.0354 * 5_500, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_joint_head_older_with_only_the_distribution():
    # Joint, 70 and 60: the head's 6,000 distribution is the only income: senior modification
    # 6,000 (the least of 8,000 and the own income): WV AGI 0, no tax.  With 50,000 the
    # modification is 8,000: 50,000 - 8,000 - 4,000 = 38,000: $708.50 + 3.54% x 13,000.
    r = one(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=6_000,
            taxable_distributions=6_000)
    assert r["state_income_tax"] == 0 and r["state_covered"]
    r = one(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=50_000,
            taxable_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(708.50 + 0.0354 * 13_000, abs=0.005)


def test_joint_whose_income_is_unknown_is_not_covered():
    # The spouse is 66 and there are wages: whose they are decides the spouse's modification.
    r = one(filing_status="married_joint", age_head=60, age_spouse=66, federal_agi=50_000,
            taxable_distributions=30_000, wages=20_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_WV_SENIOR_MODIFICATION_NOT_SPLIT" in r["reasons"]
    # Social Security on a joint return with the head 65 or older: whose it is decides the
    # head's own modifications.
    r = one(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=50_000,
            taxable_distributions=40_000, social_security=20_000, taxable_social_security=10_000)
    assert not r["state_covered"]


def test_governmental_plan_is_not_covered():
    r = one(age_head=62, federal_agi=30_000, taxable_distributions=30_000, governmental_plan=True)
    assert not r["state_covered"] and np.isnan(r["state_additional_tax"])
    assert "STATE_WV_PUBLIC_PENSION_NOT_MODELLED" in r["reasons"]


def test_low_income_earned_income_exclusion():
    # Single, wages 9,000, federal AGI 9,000 (at or under 10,000): all 9,000 excluded; no tax.
    # Wages 9,000 and an 1,500 distribution: AGI 10,500 > 10,000: no exclusion;
    # 10,500 - 2,000 = 8,500 x 2.36% = 200.60.
    assert one(federal_agi=9_000, wages=9_000)["state_income_tax"] == 0
    r = one(federal_agi=10_500, wages=9_000, taxable_distributions=1_500)
    assert r["state_income_tax"] == pytest.approx(0.0236 * 8_500, abs=0.005)


def test_a_batch_answers_as_its_units_one_by_one():
    assert batch_matches_units("WV", [
        dict(age_head=70, federal_agi=45_000, taxable_distributions=35_000,
             social_security=20_000, taxable_social_security=10_000),
        dict(tax_year=2025, age_head=68, federal_agi=63_000, taxable_distributions=60_000,
             social_security=12_000, taxable_social_security=3_000),
        dict(tax_year=2026, filing_status="married_joint", age_head=70, age_spouse=60,
             federal_agi=50_000, taxable_distributions=50_000),
        dict(filing_status="married_joint", age_head=60, age_spouse=66, federal_agi=50_000,
             taxable_distributions=30_000, wages=20_000)])
