"""Maine (Form 1040ME) on hand-worked cases: each figure worked line by line from 36 M.R.S.
§5122(2)(M-2), (M-3) (pension income deduction, Schedule 1S and its phase-out worksheet),
§5124-C (standard deduction and its phase-out worksheet), §5126-A (personal exemptions) and
§5111 (rate schedules; the 2026 surcharge of sub-§7), with the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import batch
from state_cases import one as state_case

BASE = {"state": "ME", "tax_year": 2025, "filing_status": "single", "age_head": 70}


def one(**kw) -> dict:
    return state_case(BASE, **kw)


def test_retiree_with_social_security_2025():
    # Federal AGI 80,000: a 60,000 plan distribution and 20,000 taxable of 24,000 Social
    # Security.  Schedule 1S: taxable Social Security 20,000 off; pension deduction the lesser
    # of 60,000 and 48,216 - 24,000 = 24,216.  Maine AGI 35,784; standard deduction 15,000 +
    # 2,000 (65+); exemption 5,150; taxable 13,634 x 5.8% = 790.772.
    r = one(federal_agi=80_000, taxable_distributions=60_000, social_security=24_000,
            taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.058 * 13_634, abs=0.005)
    assert r["state_additional_tax"] == 0
    assert {"STATE_ME_PENSION_DEDUCTION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_early_distribution_gets_no_pension_deduction_2024():
    # 50, single, 2024: 30,000 wages and a 40,000 distribution under the federal 10% tax
    # (§5122(2)(M-2): such a distribution is not a pension benefit).  Maine AGI 70,000; less
    # 14,600 and 5,000: taxable 50,400 = 5.8% x 26,050 + 6.75% x 24,350.  No Maine tax of its own.
    r = one(tax_year=2024, age_head=50, federal_agi=70_000, wages=30_000,
            taxable_distributions=40_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(0.058 * 26_050 + 0.0675 * 24_350, abs=0.005)
    assert r["state_additional_tax"] == 0
    assert "STATE_ME_EARLY_NOT_DEDUCTED" in r["reasons"]
    assert "STATE_ME_PENSION_DEDUCTION" not in r["reasons"]


def test_rule_of_55_distribution_is_deducted():
    # 56, separated from service at 55: no 10% tax, so the deduction applies with no age
    # requirement.  2024 single: 30,000 distribution, 45,864 limit: all deducted; Maine AGI 0.
    r = one(tax_year=2024, age_head=56, federal_agi=30_000, taxable_distributions=30_000)
    assert r["state_income_tax"] == 0
    assert "STATE_ME_PENSION_DEDUCTION" in r["reasons"]


def test_pension_deduction_and_standard_deduction_phase_out_2025():
    # Single, 67, federal AGI 175,000 all from the plan.  Phase-out worksheet: (175,000 -
    # 125,000) / 100,000 = 50%: deduction 24,108; Maine AGI 150,892.  Standard deduction 17,000
    # times 1 - (150,892 - 100,000) / 75,000; exemption 5,150 (below 333,450).
    r = one(age_head=67, federal_agi=175_000, taxable_distributions=175_000)
    me_agi = 175_000 - 0.5 * 48_216
    taxable = me_agi - 17_000 * (1 - (me_agi - 100_000) / 75_000) - 5_150
    tax = 0.058 * 26_800 + 0.0675 * (63_450 - 26_800) + 0.0715 * (taxable - 63_450)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_joint_social_security_split_unknown_is_not_covered():
    # Joint, both 70: 50,000 from the plan and 30,000 of the couple's Social Security.  Whether
    # the head's limit is 48,216 less 30,000 or less none of it depends on whose benefits they
    # are: not guessed.
    base = dict(filing_status="married_joint", age_spouse=70, social_security=30_000,
                taxable_social_security=10_000)
    r = one(federal_agi=60_000, taxable_distributions=50_000, **base)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_ME_SOCIAL_SECURITY_NOT_SPLIT" in r["reasons"]
    # 15,000 from the plan: under 48,216 - 30,000 either way, all deducted.  Maine AGI
    # 25,000 - 10,000 - 15,000 = 0: no tax.
    r = one(federal_agi=25_000, taxable_distributions=15_000, **base)
    assert r["state_covered"] and r["state_income_tax"] == 0


def test_2026_surcharge_above_a_million():
    # 2026 single, 60: a 1,200,000 distribution.  The pension deduction is gone (federal AGI
    # above 127,800 + 100,000), so are the standard deduction and the exemption: taxable
    # 1,200,000; the schedule's tax plus 2% of 200,000.
    r = one(tax_year=2026, age_head=60, federal_agi=1_200_000, taxable_distributions=1_200_000)
    tax = 0.058 * 27_400 + 0.0675 * (64_850 - 27_400) + 0.0715 * (1_200_000 - 64_850)
    assert r["state_income_tax"] == pytest.approx(tax + 0.02 * 200_000, abs=0.005)
    assert "STATE_ME_SURCHARGE" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(federal_agi=80_000, taxable_distributions=60_000, social_security=24_000,
                 taxable_social_security=20_000),
            dict(tax_year=2024, age_head=50, federal_agi=70_000, wages=30_000,
                 taxable_distributions=40_000, early_distributions=40_000),
            dict(tax_year=2026, filing_status="head_of_household", federal_agi=90_000, wages=90_000)]
    assert np.allclose(batch(BASE, rows)["state_income_tax"], [one(**r)["state_income_tax"] for r in rows])
