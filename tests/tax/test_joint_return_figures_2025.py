"""Fast hand-worked joint-return cases for figures only the slow oracles guarded (the mutation
audit's F02, F03, F09, F12).  2025 figures: Rev. Proc. 2024-40 §3.01 (brackets), §3.03 (capital
gain thresholds); the standard deduction as OBBBA §70102 set it for 2025 (married filing
jointly $31,500); IRC §86(c)(1)(B) (base amount $32,000 on a joint return), §1(h)(1);
Schedule 1-A's senior deduction, OBBBA §70103 (IRC §151(d)(5)(C): $6,000 each, less 6% of
MAGI over $150,000 on a joint return, never below zero)."""

from __future__ import annotations

import pytest

from dist401k.tax import TaxUnits, federal_tax

STD_2025_MFJ = 31_500


def tax_of(**unit):
    unit.setdefault("tax_year", 2025)
    unit.setdefault("filing_status", "married_joint")
    unit.setdefault("age_head", 50)
    unit.setdefault("age_spouse", 50)
    r = federal_tax(TaxUnits.from_records([unit]))
    return {k: (v[0].item() if hasattr(v[0], "item") else v[0]) for k, v in r.items()}


def test_the_24_percent_bracket_starts_at_206700_on_a_joint_return():
    # Wages 250,000 − 31,500 = 218,500 taxable: 10% × 23,850 = 2,385; 12% × 73,100 = 8,772;
    # 22% × (206,700 − 96,950 = 109,750) = 24,145; 24% × (218,500 − 206,700 = 11,800) = 2,832:
    # $38,134 (a start at 206,600 would give $38,136).
    r = tax_of(wages=250_000)
    assert r["regular_tax"] == pytest.approx(38_134, abs=0.5)


def test_the_section_86_joint_base_amount_is_32000():
    # Benefits 20,000, wages 30,000: provisional income 30,000 + 10,000 = 40,000; over the
    # $32,000 base: 8,000, under the $44,000 adjusted base; taxable = min(50% × 8,000,
    # 50% × 20,000) = $4,000 (a base of 32,500 would give 3,750).
    r = tax_of(wages=30_000, social_security=20_000)
    assert r["taxable_social_security"] == pytest.approx(4_000)


def test_the_joint_15_percent_capital_gain_rate_ends_at_600050():
    # Wages 120,000, long-term gain 600,000: taxable 720,000 − 31,500 = 688,500, ordinary
    # 88,500 (no preferential room below it: 88,500 < 96,700 leaves 8,200 at 0%).
    # Ordinary tax: 2,385 + 12% × (88,500 − 23,850 = 64,650) = 7,758 → 10,143.
    # Gain: 0% on 96,700 − 88,500 = 8,200; 15% on 600,050 − 96,700 = 503,350 → 75,502.50;
    # 20% on 688,500 − 600,050 = 88,450 → 17,690.  Total $103,335.50 (a top of 600,000
    # would give $103,338.00).
    r = tax_of(wages=120_000, long_term_gains=600_000)
    assert r["regular_tax"] == pytest.approx(10_143 + 75_502.50 + 17_690, abs=0.5)


def test_the_senior_deduction_never_goes_below_zero():
    # Both 65 or over, MAGI 400,000: each 6,000 − 6% × (400,000 − 150,000) = −9,000 → 0, not
    # −18,000 (a negative deduction would add income).  Taxable = 400,000 − (31,500 + 2 ×
    # 1,600 for age) = 365,300.
    r = tax_of(age_head=70, age_spouse=66, wages=400_000)
    assert r["senior_deduction"] == 0
    assert r["taxable_income"] == pytest.approx(400_000 - STD_2025_MFJ - 2 * 1_600)
