"""New Mexico (Form PIT-1, PIT-ADJ) on hand-worked cases: each figure worked line by line from
the statute: the §7-2-7 schedules (2024: 1.7% / 3.2% / 4.7% / 4.9% / 5.9% above $5,500,
$11,000, $16,000, $210,000 single; 2025, HB 252: 1.5% / 3.2% / 4.3% / 4.7% / 4.9% / 5.9% above
$8,000, $25,000, $50,000, $100,000, $315,000 joint), the Social Security exemption
(§7-2-5.14), the exemption for persons 65 or older (§7-2-5.2's table) and the low- and
middle-income exemption (§7-2-5.8)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax

BASE = {"state": "NM", "tax_year": 2024, "filing_status": "single", "age_head": 50}


def one(**kw) -> dict:
    cols = {**BASE, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_retiree_social_security_exempt_under_the_limit_2024():
    # Single, 70: a 60,000 distribution and 30,000 Social Security, 20,000 taxable; federal AGI
    # 80,000 (at most 100,000: the 20,000 is exempt); no exemption for age above 28,500.
    # Taxable 80,000 - 16,550 - 20,000 = 43,450: 1.7% x 5,500 + 3.2% x 5,500 + 4.7% x 5,000
    # + 4.9% x 27,450 = 1,849.55.
    r = one(age_head=70, federal_agi=80_000, taxable_distributions=60_000,
            social_security=30_000, taxable_social_security=20_000,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(1_849.55, abs=0.005)
    assert "STATE_NM_SOCIAL_SECURITY_EXEMPT" in r["reasons"]


def test_social_security_taxed_above_the_limit():
    # The same retiree with a 100,000 distribution: federal AGI 120,000 > 100,000, so the
    # 25,500 taxable Social Security stays: taxable 125,500 - 16,550 = 108,950.
    r = one(age_head=70, federal_agi=125_500, taxable_distributions=100_000,
            social_security=30_000, taxable_social_security=25_500,
            federal_standard_deduction=16_550)
    tax = 0.017 * 5_500 + 0.032 * 5_500 + 0.047 * 5_000 + 0.049 * (108_950 - 16_000)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert "STATE_NM_SOCIAL_SECURITY_EXEMPT" not in r["reasons"]


def test_joint_exemptions_for_age_and_low_income_2025():
    # Joint, 66 and 64, 2025: a 40,000 distribution. §7-2-5.2(B): over 39,000 but not over
    # 42,000, 4,000 (one person 65 or older). §7-2-5.8(D): 2 x (2,500 - 10% x 10,000) = 3,000.
    # Taxable 40,000 - 31,600 - 7,000 = 1,400 x 1.5% = 21.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=64,
            federal_agi=40_000, taxable_distributions=40_000, federal_standard_deduction=31_600)
    assert r["state_income_tax"] == pytest.approx(21.0, abs=0.005)
    assert "STATE_NM_AGED_EXEMPTION" in r["reasons"]


def test_aged_exemption_steps_single():
    # §7-2-5.2(C): 8,000 up to 18,000; over 27,000 but not over 28,500: 1,000; over 28,500: none.
    # Single, 70, 2024, a 28,500 distribution: exemption 1,000; §7-2-5.8(C): 2,500 - 15% x
    # 8,500 = 1,225. Taxable 28,500 - 16,550 - 1,000 - 1,225 = 9,725: 93.50 + 3.2% x 4,225.
    r = one(age_head=70, federal_agi=28_500, taxable_distributions=28_500,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(93.5 + 0.032 * 4_225, abs=0.005)
    # One dollar more: no exemption for age (over 28,500), the other 1,224.85.
    r = one(age_head=70, federal_agi=28_501, taxable_distributions=28_501,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(
        93.5 + 0.032 * (28_501 - 16_550 - 1_224.85 - 5_500), abs=0.005)


def test_early_distribution_taxed_no_additional_tax_2025():
    # Single, 45, 2025: a 300,000 early distribution, standard deduction 15,000: taxable
    # 285,000 on the 2025 single schedule (5,500 / 16,500 / 33,500 / 66,500 / 210,000).
    r = one(tax_year=2025, age_head=45, federal_agi=300_000, taxable_distributions=300_000,
            early_distributions=300_000, federal_standard_deduction=15_000)
    tax = (0.015 * 5_500 + 0.032 * 11_000 + 0.043 * 17_000 + 0.047 * 33_000
           + 0.049 * 143_500 + 0.059 * 75_000)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_units_not_covered_and_the_centenarian():
    r = one(federal_agi=80_000, wages=60_000, federal_standard_deduction=14_600)
    assert np.isnan(r["state_income_tax"]) and "STATE_NM_OTHER_INCOME_KIND" in r["reasons"]
    r = one(federal_agi=80_000, wages=80_000, federal_standard_deduction=0)
    assert np.isnan(r["state_income_tax"]) and "STATE_NM_ITEMIZER_NOT_MODELLED" in r["reasons"]
    r = one(filing_status="married_joint", age_head=101, age_spouse=90, federal_agi=80_000,
            taxable_distributions=80_000, federal_standard_deduction=32_300)
    assert np.isnan(r["state_income_tax"]) and "STATE_NM_CENTENARIAN_NOT_SPLIT" in r["reasons"]
    r = one(age_head=101, federal_agi=80_000, taxable_distributions=80_000,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == 0 and "STATE_NM_CENTENARIAN_EXEMPT" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=80_000, taxable_distributions=60_000,
                 social_security=30_000, taxable_social_security=20_000,
                 federal_standard_deduction=16_550),
            dict(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=64,
                 federal_agi=40_000, taxable_distributions=40_000, federal_standard_deduction=31_600),
            dict(tax_year=2026, filing_status="married_separate", federal_agi=60_000,
                 taxable_distributions=60_000, federal_standard_deduction=16_100)]
    full = [{**BASE, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])
