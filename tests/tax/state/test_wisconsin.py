"""Wisconsin (Form 1) on hand-worked cases: each figure worked line by line from Wis. Stat.
§71.05(6)(b)26 (retirement income subtraction), §71.05(6)(b)54m (the retirement income exclusion
from 67 of 2025 Wis. Act 15), §71.05(22) and (23) (the sliding-scale standard
deduction, exemptions), §71.06 (rate schedules) and §71.83(1)(b)2 (33% of the federal
additional tax on premature distributions), with the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import batch
from state_cases import one as state_case

BASE = {"state": "WI", "tax_year": 2024, "filing_status": "single", "age_head": 70}


def one(**kw) -> dict:
    return state_case(BASE, **kw)


def test_retiree_with_social_security_2024():
    # 70, single: a 40,000 distribution and 20,000 taxable Social Security (federal AGI 60,000,
    # above the subtraction's limit).  Wisconsin income 40,000; standard deduction 13,230 less
    # 12% of (40,000 - 19,070); exemptions 700 + 250; 3.5% to 14,320, 4.4% above.
    r = one(federal_agi=60_000, taxable_distributions=40_000, social_security=24_000,
            taxable_social_security=20_000)
    taxable = 40_000 - (13_230 - 0.12 * (40_000 - 19_070)) - 950
    assert r["state_income_tax"] == pytest.approx(0.035 * 14_320 + 0.044 * (taxable - 14_320),
                                                  abs=0.005)
    assert r["state_additional_tax"] == 0
    assert "STATE_SOCIAL_SECURITY_EXEMPT" in r["reasons"]


def test_early_distribution_adds_33_percent_of_the_federal_tax_2025():
    # 50, single, 2025: 30,000 wages and a 40,000 early distribution.  Standard deduction
    # 13,560 - 12% x (70,000 - 19,550) = 7,506; exemption 700: taxable 61,794.  Penalty: 33% of
    # the federal 4,000.
    r = one(tax_year=2025, age_head=50, federal_agi=70_000, wages=30_000,
            taxable_distributions=40_000, early_distributions=40_000)
    tax = 0.035 * 14_680 + 0.044 * (50_480 - 14_680) + 0.053 * (61_794 - 50_480)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert r["state_additional_tax"] == pytest.approx(1_320.0, abs=0.005)
    assert "STATE_WI_EARLY_DISTRIBUTION_TAX" in r["reasons"]


def test_retirement_subtraction_under_the_agi_limit():
    # 66, single, 2024, all from the plan.  At 15,000 of federal AGI (not under the limit):
    # 15,000 - 13,230 - 950 = 820 taxed at 3.5%.  At 14,999, 5,000 is subtracted: no tax.
    r = one(age_head=66, federal_agi=15_000, taxable_distributions=15_000)
    assert r["state_income_tax"] == pytest.approx(0.035 * 820, abs=0.005)
    r = one(age_head=66, federal_agi=14_999, taxable_distributions=14_999)
    assert r["state_income_tax"] == 0 and "STATE_WI_RETIREMENT_SUBTRACTION" in r["reasons"]


def test_head_of_household_two_phase_out_rates():
    # 60, head of household, 2024: 70,000 from the plan.  The deduction falls 22.515% from
    # 19,070 to 55,779 and 12% above: 17,090 - 8,265.03 - 1,706.52; exemption 700.
    r = one(filing_status="head_of_household", age_head=60, federal_agi=70_000,
            taxable_distributions=70_000)
    lost = 0.22515 * (55_779 - 19_070) + 0.12 * (70_000 - 55_779)
    taxable = 70_000 - (17_090 - lost) - 700
    tax = 0.035 * 14_320 + 0.044 * 14_320 + 0.053 * (taxable - 28_640)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_exclusion_from_67_is_taken_where_it_lowers_the_tax_2025():
    # 67, single, 2025: 50,000 from the plan.  Ordinary return: standard deduction 13,560 less
    # 12% of (50,000 - 19,550) = 9,906; exemptions 700 + 250; 3.5% to 14,680, 4.4% above.
    # Claiming line 16 subtracts 24,000: Wisconsin income 26,000, deduction 13,560 less 12% of
    # 6,450 = 12,786; taxable 12,264 at 3.5% (the credits it forfeits are not figured).
    r = one(tax_year=2025, age_head=67, federal_agi=50_000, taxable_distributions=50_000)
    ordinary = 0.035 * 14_680 + 0.044 * (50_000 - 9_906 - 950 - 14_680)
    assert ordinary == pytest.approx(1_590.216)
    assert r["state_income_tax"] == pytest.approx(0.035 * 12_264, abs=0.005)
    assert r["state_covered"] and "STATE_WI_RETIREMENT_EXCLUSION" in r["reasons"]
    # At 66 (or in 2024) there is no line 16: the ordinary return.
    r = one(tax_year=2025, age_head=66, federal_agi=50_000, taxable_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(ordinary, abs=0.005)
    assert "STATE_WI_RETIREMENT_EXCLUSION" not in r["reasons"]
    r = one(tax_year=2024, age_head=67, federal_agi=50_000, taxable_distributions=50_000)
    assert "STATE_WI_RETIREMENT_EXCLUSION" not in r["reasons"]


def test_exclusion_is_the_couples_where_both_are_67_and_each_ones_otherwise():
    # Joint, 2025, 60,000 of the head's distributions.  Ordinary return: standard deduction
    # 25,110 less 19.778% of (60,000 - 28,210); exemptions 2 x 950; 3.5% to 19,580, 4.4% above.
    couple = dict(tax_year=2025, filing_status="married_joint", age_head=70, federal_agi=60_000,
                  taxable_distributions=60_000, spouse_distributions=0.0)
    taxable = 60_000 - (25_110 - 0.19778 * (60_000 - 28_210)) - 1_900
    ordinary = 0.035 * 19_580 + 0.044 * (taxable - 19_580)
    # Both 67: the couple subtracts up to 48,000 together, all of it the head's here; the
    # 12,000 left is under the standard deduction.
    r = one(**couple, age_spouse=68)
    assert r["state_income_tax"] == 0 and "STATE_WI_RETIREMENT_EXCLUSION" in r["reasons"]
    # The spouse 66: only the head's own 24,000.  Wisconsin income 36,000.
    r = one(**couple, age_spouse=66)
    taxable = 36_000 - (25_110 - 0.19778 * (36_000 - 28_210)) - 1_900
    assert r["state_income_tax"] == pytest.approx(0.035 * taxable, abs=0.005)
    # The same 60,000 paid to the 66-year-old spouse: no line 16 (the ordinary return).
    r = one(**{**couple, "spouse_distributions": 60_000.0}, age_spouse=66)
    assert r["state_income_tax"] == pytest.approx(ordinary, abs=0.005)
    assert "STATE_WI_RETIREMENT_EXCLUSION" not in r["reasons"]


def test_exclusion_is_not_claimed_where_it_saves_nothing():
    # 67, single, 2025, 14,000 of federal AGI from the plan: line 17 subtracts 5,000 and the
    # standard deduction takes the rest, so claiming line 16 (and losing the credits) gains
    # nothing: the ordinary return stands.
    r = one(tax_year=2025, age_head=67, federal_agi=14_000, taxable_distributions=14_000)
    assert r["state_income_tax"] == 0
    assert "STATE_WI_RETIREMENT_SUBTRACTION" in r["reasons"]
    assert "STATE_WI_RETIREMENT_EXCLUSION" not in r["reasons"]


def test_surviving_spouse_and_a_separate_filers_subtraction_are_not_guessed():
    r = one(filing_status="qualifying_surviving_spouse", federal_agi=50_000, wages=50_000)
    assert not r["state_covered"] and "STATE_WI_SURVIVING_SPOUSE_NOT_MODELLED" in r["reasons"]
    # Married filing separately, 70, 20,000 from the plan: the subtraction is allowed only
    # while both spouses' AGI together is under 30,000 — the other's is not given.
    r = one(filing_status="married_separate", federal_agi=20_000, taxable_distributions=20_000)
    assert not r["state_covered"] and "STATE_WI_SEPARATE_SPOUSE_AGI_NOT_GIVEN" in r["reasons"]
    # At 30,000 of the filer's own AGI the two together are not under it: no subtraction.
    r = one(filing_status="married_separate", federal_agi=30_000, taxable_distributions=30_000)
    assert r["state_covered"] and "STATE_WI_RETIREMENT_SUBTRACTION" not in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(federal_agi=60_000, taxable_distributions=40_000, social_security=24_000,
                 taxable_social_security=20_000),
            dict(tax_year=2025, age_head=50, federal_agi=70_000, wages=30_000,
                 taxable_distributions=40_000, early_distributions=40_000),
            dict(filing_status="head_of_household", age_head=60, federal_agi=70_000,
                 taxable_distributions=70_000),
            dict(tax_year=2025, age_head=67, federal_agi=50_000, taxable_distributions=50_000)]
    out = batch(BASE, rows)
    assert np.allclose(out["state_income_tax"], [one(**r)["state_income_tax"] for r in rows])
    assert np.allclose(out["state_additional_tax"], [0.0, 1_320.0, 0.0, 0.0])
