"""Minnesota (Form M1) on hand-worked cases: each line written out from the law files'
amounts (Minn. Stat. §§290.0123, 290.0132, 290.06; Schedules M1M and M1R), not read back from
the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "MN", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_taxable_social_security_subtracted_in_full_below_the_threshold():
    # Single, 70, 2024: $40,000 from a 401(k), $24,000 Social Security, $19,800 federally
    # taxable; federal AGI 59,800 (under 82,190): M1M line 12 subtracts 19,800.  M1R: 9,600 −
    # 4,200 nontaxable − 50% × (59,800 − 14,500) < 0: none.  Standard deduction 14,575 + 1,950
    # (65) = 16,525; taxable 23,475; tax 5.35% × 23,475 = 1,255.91.
    r = one(federal_agi=59_800, taxable_distributions=40_000, social_security=24_000,
            taxable_social_security=19_800)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(1_255.9125)
    assert r["reasons"]["STATE_MN_SOCIAL_SECURITY_SUBTRACTION"]


def test_social_security_subtraction_phases_out_by_steps():
    # Single, 70, 2024: $80,000 distribution, $30,000 Social Security, 25,500 taxable; federal
    # AGI 105,500.  Simplified: 23,310 over 82,190 = 6 steps of 4,000 (the last one part):
    # 25,500 × (1 − 60%) = 10,200.  Alternative: provisional 105,500 − 25,500 + 15,000 = 95,000,
    # 4,560 − 20% × (95,000 − 69,250) < 0: none.  Taxable 105,500 − 10,200 − 16,525 = 78,775;
    # tax 5.35% × 31,690 + 6.8% × 47,085 = 4,897.195.
    r = one(federal_agi=105_500, taxable_distributions=80_000, social_security=30_000,
            taxable_social_security=25_500)
    assert r["state_income_tax"] == pytest.approx(4_897.195)


def test_elderly_subtraction_and_early_distribution_taxed_without_own_tax():
    # Single, 70, $30,000, no Social Security: M1R 9,600 − 50% × (30,000 − 14,500) = 1,850;
    # taxable 30,000 − 1,850 − 16,525 = 11,625; tax 621.94.
    r = one(federal_agi=30_000, taxable_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(621.9375)
    assert r["reasons"]["STATE_MN_ELDERLY_SUBTRACTION"]
    # Single, 50, an early $30,000: no subtraction; 30,000 − 14,575 = 15,425 × 5.35%; no
    # Minnesota tax of its own.
    r = one(age_head=50, federal_agi=30_000, taxable_distributions=30_000,
            early_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0535 * 15_425) and r["state_additional_tax"] == 0


def test_standard_deduction_reduced_above_the_threshold():
    # Single, 50, 2025, $300,000: 14,950 less 3% × (300,000 − 238,950) = 1,831.50 → 13,118.50;
    # taxable 286,881.50; tax 5.35% × 32,570 + 6.8% × 74,420 + 7.85% × 91,640
    # + 9.85% × 88,251.50 = 22,689.57.
    r = one(tax_year=2025, age_head=50, federal_agi=300_000, taxable_distributions=300_000)
    assert r["state_income_tax"] == pytest.approx(22_689.56775)


def test_joint_return_with_one_spouse_over_65():
    # Joint, 70 and 60, $36,000: one qualifying spouse, so the joint base and the single
    # filer's offset (§290.0802, subd. 2(b)): 12,000 − 50% × (36,000 − 14,500) = 1,250 (where
    # both qualify the offset is 18,000: 12,000 − 9,000 = 3,000).  Standard deduction 29,150 +
    # 1,550 = 30,700; taxable 36,000 − 1,250 − 30,700 = 4,050; tax 5.35% = 216.675.
    r = one(filing_status="married_joint", age_spouse=60, federal_agi=36_000,
            taxable_distributions=36_000)
    assert r["state_income_tax"] == pytest.approx(216.675)
    assert r["reasons"]["STATE_MN_ELDERLY_SUBTRACTION"]
    # $60,000: 12,000 − 50% × (60,000 − 14,500) is below zero.  Standard deduction 29,150 +
    # 1,550; taxable 29,300; tax 1,567.55.
    r = one(filing_status="married_joint", age_spouse=60, federal_agi=60_000,
            taxable_distributions=60_000)
    assert r["state_income_tax"] == pytest.approx(1_567.55)


def test_governmental_plan_is_not_guessed():
    r = one(federal_agi=40_000, taxable_distributions=40_000, governmental_plan=True)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_MN_PUBLIC_PENSION_NOT_MODELLED"]
