"""Connecticut (Form CT-1040) on hand-worked cases: each figure worked line by line from the
law files' amounts (Table A exemptions, Table B schedule, Table C 3% phase-out add-back, Table D
benefit recapture, Table E personal credit; the Social Security Benefit Adjustment Worksheet;
the pension and annuity subtraction, line 48b: the federal line 5b, early 401(k) distributions
included)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from state_cases import batch_matches_units
from state_cases import state_unit as one_unit

one = partial(one_unit, "CT")


def test_retiree_over_the_limits_2024():
    # 2024, single, 70: a 90,000 distribution, 30,000 of Social Security of which 25,500
    # taxable; federal AGI 115,500 (over 75,000).  Combined income 115,500 - 25,500 + 15,000 =
    # 105,000, over the 25,000 base by 80,000; 25% of the lesser of 30,000 and 80,000 is 7,500:
    # 18,000 subtracted.  No pension subtraction from 100,000.  CT AGI 97,500; no exemption
    # (over 30,000 + 15,000); tax 200 + 1,800 + 5.5% x 47,500 = 4,612.50; add-back: 41,000 over
    # 56,500 is nine steps of 5,000 begun, 9 x 25 = 225 (most 250); no credit (over 64,500).
    r = one(age_head=70, federal_agi=115_500, taxable_distributions=90_000,
            social_security=30_000, taxable_social_security=25_500)
    assert r["state_income_tax"] == pytest.approx(4_612.50 + 225, abs=0.005)
    assert {"STATE_CT_SOCIAL_SECURITY_SUBTRACTION", "STATE_CT_RECAPTURE"} <= r["reasons"]
    assert "STATE_CT_PENSION_SUBTRACTION" not in r["reasons"]


def test_pension_share_exemption_phase_out_and_personal_credit_2025():
    # 2025, single, 66: an 80,000 distribution, federal AGI 80,000: at least 80,000 and under
    # 82,500, 55% is subtracted (44,000): CT AGI 36,000.  Exemption 15,000 less 6 x 1,000
    # (6,000 over 30,000) = 9,000; taxable 27,000: 200 + 4.5% x 17,000 = 965; the personal
    # credit at 36,000 (over 33,300, not over 60,000) is 10%: 868.50.
    r = one(tax_year=2025, age_head=66, federal_agi=80_000, taxable_distributions=80_000)
    assert r["state_income_tax"] == pytest.approx(965 * 0.9, abs=0.005)
    assert "STATE_CT_PENSION_SUBTRACTION" in r["reasons"]


def test_under_the_limits_everything_subtracted_2026():
    # 2026, joint, 68 and 67: a 60,000 distribution, 40,000 of Social Security (12,000
    # taxable): federal AGI 72,000 < 100,000: both subtracted whole, CT AGI 0.
    r = one(tax_year=2026, filing_status="married_joint", age_head=68, age_spouse=67,
            federal_agi=72_000, taxable_distributions=60_000, social_security=40_000,
            taxable_social_security=12_000)
    assert r["state_covered"] and r["state_income_tax"] == 0


def test_early_distribution_is_pension_income_no_additional_tax():
    # 2024, single, 45: a 40,000 early 401(k) distribution is on federal line 5b: subtracted
    # whole under 75,000; wages 30,000: CT AGI 30,000; exemption 15,000 (not over 30,000);
    # taxable 15,000: 200 + 4.5% x 5,000 = 425; credit at 30,000 (over 26,500, not over
    # 31,300) 15%: 361.25.
    r = one(age_head=45, federal_agi=70_000, wages=30_000, taxable_distributions=40_000,
            early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(425 * 0.85, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_joint_high_income_recapture():
    # 2024, joint, wages 250,000: schedule 400 + 3,600 + 5,500 + 6% x 50,000 = 12,500; add-back
    # 30 steps begun, most 500; recapture of the 2% bracket 4 x 50 = 200: 13,200.
    r = one(filing_status="married_joint", age_head=50, age_spouse=50, federal_agi=250_000,
            wages=250_000)
    assert r["state_income_tax"] == pytest.approx(13_200, abs=0.005)


def test_what_is_not_known_is_not_guessed():
    r = one(filing_status="married_separate", age_head=70, federal_agi=90_000,
            taxable_distributions=70_000, social_security=30_000, taxable_social_security=20_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_CT_SEPARATE_SOCIAL_SECURITY_NOT_MODELLED" in r["reasons"]
    r = one(age_head=70, federal_agi=90_000, taxable_distributions=90_000, governmental_plan=True)
    assert not r["state_covered"] and "STATE_CT_TEACHERS_RETIREMENT_NOT_MODELLED" in r["reasons"]
    # Under the limit all of it is subtracted either way: covered.
    assert one(age_head=70, federal_agi=50_000, taxable_distributions=50_000,
               governmental_plan=True)["state_covered"]


def test_a_batch_answers_as_its_units_one_by_one():
    assert batch_matches_units("CT", [
        dict(age_head=70, federal_agi=115_500, taxable_distributions=90_000,
             social_security=30_000, taxable_social_security=25_500),
        dict(tax_year=2025, age_head=66, federal_agi=80_000, taxable_distributions=80_000),
        dict(tax_year=2026, filing_status="married_joint", age_head=68, age_spouse=67,
             federal_agi=72_000, taxable_distributions=60_000, social_security=40_000,
             taxable_social_security=12_000),
        dict(filing_status="head_of_household", age_head=45, federal_agi=70_000, wages=30_000,
             taxable_distributions=40_000, early_distributions=40_000)])


@pytest.mark.parametrize(("year", "share", "expected"), [
    # 2025, single, 62: a $50,000 traditional IRA distribution and $20,000 of interest; federal
    # AGI 70,000 (under 75,000: all of the line's amount subtracted).  Line 48a: 75% of the IRA
    # distribution (C.G.S. §12-701(a)(20)(B), phased in 25% / 50% / 75% / 100%, 2023–2026) =
    # 37,500; CT AGI 32,500; exemption 15,000 − 3 × 1,000 = 12,000; taxable 20,500; tax 2% ×
    # 10,000 + 4.5% × 10,500 = 672.50; personal credit 12% (Table E): 591.80.
    (2025, 0.75, 672.50 * 0.88),
    # 2024: 50% = 25,000; CT AGI 45,000; no exemption (over 30,000 + 15,000: the 15 steps
    # taken); taxable 45,000; tax 200 + 4.5% × 35,000 = 1,775; credit 10% (Table E over
    # 44,000 for a single filer): 1,597.50.
    (2024, 0.50, 1_597.50),
])
def test_an_ira_distribution_is_subtracted_at_the_year_s_phase_in_share(year, share, expected):
    r = one(tax_year=year, age_head=62, federal_agi=70_000, taxable_distributions=50_000,
            ira_distributions=50_000, taxable_interest=20_000)
    assert r["state_income_tax"] == pytest.approx(expected, abs=0.005)
    # From a 401(k), line 48b: all of it subtracted.
    plan = one(tax_year=year, age_head=62, federal_agi=70_000, taxable_distributions=50_000,
               taxable_interest=20_000)
    assert plan["state_income_tax"] < r["state_income_tax"]


def test_joint_2025_pension_phase_out_and_personal_credit():
    # 2025, joint, 66 and 64: a 60,000 401(k) distribution and 52,000 of wages; federal AGI
    # 112,000: at least 110,000 and under 115,000, 55% of the pension is subtracted (33,000):
    # CT AGI 79,000.  Table A: 24,000 less 31 steps of 1,000 over 48,000: none.  Table B:
    # 400 + 4.5% x 59,000 = 3,055; no add-back (not over 100,500), no recapture; Table E over
    # 52,000 and not over 96,000: 10%: 2,749.50.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=64,
            federal_agi=112_000, wages=52_000, taxable_distributions=60_000)
    assert r["state_income_tax"] == pytest.approx(3_055 * 0.9, abs=0.005)
    assert "STATE_CT_PENSION_SUBTRACTION" in r["reasons"]


def test_joint_2025_add_back_and_recapture():
    # 2025, joint, wages 450,000: no exemption; Table B 21,500 + 6.5% x 50,000 = 24,750;
    # Table C over 145,500: 500; Table D more than 440,000 and not over 450,000: 1,400 (500 of
    # the 2% bracket, 5 steps of 180 of the middle); no credit: 26,650.
    r = one(tax_year=2025, filing_status="married_joint", age_head=55, age_spouse=55,
            federal_agi=450_000, wages=450_000)
    assert r["state_income_tax"] == pytest.approx(24_750 + 500 + 1_400, abs=0.005)
    assert "STATE_CT_RECAPTURE" in r["reasons"]
