"""Delaware (PIT-RES) on hand-worked cases: each line written out from the law files' amounts
(30 Del. C. §§1102, 1106, 1108, and the §1110 personal credits: $110 for each personal
exemption, $110 more for each person 60 or over, no more than the tax), not read back from the
engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "DE", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_pension_exclusion_from_60_and_the_schedule():
    # Single, 70: $40,000 from a 401(k), $20,000 Social Security (17,000 taxable); federal AGI
    # 57,000; exclusion 12,500; Delaware AGI 27,500; standard deduction 3,250 + 2,500 (65);
    # taxable 21,750; tax 2.2% × 3,000 + 3.9% × 5,000 + 4.8% × 10,000 + 5.2% × 1,750 = 832;
    # less the personal credits 110 + 110 (60 or over) = 612.
    r = one(federal_agi=57_000, taxable_distributions=40_000, social_security=20_000,
            taxable_social_security=17_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(612.0)
    assert r["reasons"]["STATE_DE_PENSION_EXCLUSION"]


def test_early_distribution_before_60_taxed_without_own_tax():
    # Single, 55, an early $30,000: 30,000 − 3,250 = 26,750; 66 + 195 + 480 + 260
    # + 5.55% × 1,750 = 1,098.125; less the personal credit 110 (under 60): 988.125.
    r = one(age_head=55, federal_agi=30_000, taxable_distributions=30_000,
            early_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(988.125) and r["state_additional_tax"] == 0


def test_joint_return_with_only_the_heads_distribution():
    # Joint, both 66, $100,000: 87,500 − (6,500 + 2 × 2,500) = 76,000; 1,001 + 5.55% × 35,000
    # + 6.6% × 16,000 = 3,999.50; less 2 × 110 + 2 × 110 (both 60 or over) = 3,559.50.
    r = one(filing_status="married_joint", age_head=66, age_spouse=66, federal_agi=100_000,
            taxable_distributions=100_000)
    assert r["state_income_tax"] == pytest.approx(3_559.5)


def test_what_the_inputs_cannot_decide_is_not_guessed():
    # Joint with wages: combined separate returns may be better, and whose wages is unknown.
    r = one(filing_status="married_joint", age_spouse=66, federal_agi=60_000, wages=20_000,
            taxable_distributions=40_000)
    assert not r["state_covered"] and r["reasons"]["STATE_DE_RETIREMENT_INCOME_NOT_SPLIT"]
    # 65, $15,000 distributed and $1,000 of other income: the distribution alone reaches the
    # 12,500 limit, so the other income's kind does not matter (16,000 − 12,500 − 5,750 < 0).
    r = one(age_head=65, federal_agi=16_000, taxable_distributions=15_000)
    assert r["state_covered"] and r["state_income_tax"] == 0
    # $5,000 distributed and $16,000 of other income: interest would share the limit, rent not.
    r = one(age_head=65, federal_agi=21_000, taxable_distributions=5_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    # $30,000 distributed and $1,000 other: the limit is reached either way: 31,000 − 12,500 =
    # 18,500 (above 10,000: no §1106(b)(2) exclusion); 18,500 − 5,750 = 12,750; 66 + 195
    # + 4.8% × 2,750 = 393; less 110 + 110 = 173.
    r = one(age_head=65, federal_agi=31_000, taxable_distributions=30_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(173.0)
    # A governmental plan before 60.
    r = one(age_head=55, federal_agi=30_000, taxable_distributions=30_000, governmental_plan=True)
    assert r["reasons"]["STATE_DE_PUBLIC_PENSION_NOT_MODELLED"] and not r["state_covered"]


def test_the_exclusion_for_persons_60_or_over():
    # §1106(b)(2): 62, $1,000 of wages and $8,000 from a 401(k): Delaware AGI 9,000, 1,000
    # after the pension exclusion (at most 10,000, earned income under 2,500): 8,000 + 2,000
    # excluded; nothing taxed.
    r = one(age_head=62, federal_agi=9_000, wages=1_000, taxable_distributions=8_000)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert r["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]
    # $2,500 of wages: none (earned income not under 2,500); $23,000 of AGI, 10,500 after the
    # 12,500 pension exclusion (the income tested, "without reduction by this exclusion"): none.
    assert not one(age_head=62, federal_agi=10_000, wages=2_500,
                   taxable_distributions=7_500)["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]
    assert not one(age_head=62, federal_agi=23_000,
                   taxable_distributions=23_000)["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]
    # Joint, 70 and 61, $4,000 of the spouse's wages and $15,000 of the head's distribution:
    # AGI 19,000 (at most 20,000), the couple's earned income under 5,000: 2 × 2,000.
    r = one(filing_status="married_joint", age_spouse=61, federal_agi=19_000, wages=4_000,
            taxable_distributions=15_000, spouse_wages=4_000, spouse_distributions=0,
            spouse_social_security=0, spouse_other_income=0)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]


def test_combined_separate_returns_where_they_are_less():
    # 2024, joint, 66 and 62: the head's 401(k) pays 60,000, the spouse earns 40,000.
    # Joint: 100,000 − 12,500 (the head's exclusion) − 6,500 − 2,500 = 78,500; 66 + 195 + 480
    # + 260 + 5.55% × 35,000 + 6.6% × 18,500 = 4,164.50.  Separately: the head 60,000 − 12,500
    # − 3,250 − 2,500 = 41,750: 1,001 + 5.55% × 16,750 = 1,930.625; the spouse 40,000 − 3,250
    # = 36,750: 1,001 + 5.55% × 11,750 = 1,653.125.  After the personal credits (each 60 or
    # over): joint 4,164.50 − 440 = 3,724.50; separately 1,930.625 − 220 + 1,653.125 − 220 =
    # 3,143.75, less.
    base = dict(filing_status="married_joint", age_head=66, age_spouse=62, federal_agi=100_000,
                wages=40_000, taxable_distributions=60_000)
    r = one(**base, spouse_wages=40_000, spouse_distributions=0, spouse_social_security=0,
            spouse_other_income=0)
    assert r["state_income_tax"] == pytest.approx(3_143.75)
    assert r["reasons"]["STATE_DE_COMBINED_SEPARATE"]
    # The same income all the head's (the spouse's parts zero): the joint return is less
    # (3,724.50; the head's separate return 81,750: 2,943.50 + 6.6% × 21,750 = 4,379 − 220).
    r = one(**base, spouse_wages=0, spouse_distributions=0, spouse_social_security=0,
            spouse_other_income=0)
    assert r["state_income_tax"] == pytest.approx(3_724.5)
    assert not r["reasons"]["STATE_DE_COMBINED_SEPARATE"]
    # Each spouse's own exclusion: both 66, $30,000 from each one's plan: joint 60,000 − 25,000
    # − 11,500 = 23,500: 741 + 5.2% × 3,500 = 923; separately each 30,000 − 12,500 − 5,750 =
    # 11,750: 66 + 195 + 4.8% × 1,750 = 345 each; after the credits joint 923 − 440 = 483,
    # separately (345 − 220) × 2 = 250.
    r = one(filing_status="married_joint", age_head=66, age_spouse=66, federal_agi=60_000,
            taxable_distributions=60_000, spouse_distributions=30_000, spouse_wages=0,
            spouse_social_security=0, spouse_other_income=0)
    assert r["state_income_tax"] == pytest.approx(250.0)
