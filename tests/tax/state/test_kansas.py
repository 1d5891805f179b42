"""Kansas (K-40) on hand-worked cases: each line written out from the law files' amounts
(K.S.A. 79-32,110, 79-32,117, 79-32,119, 79-32,121), not read back from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "KS", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_social_security_exempt_and_the_2024_schedule():
    # Single, 70, 2024: $40,000 from a 401(k), $20,000 Social Security (17,000 taxable);
    # federal AGI 57,000; Kansas AGI 40,000; standard deduction 3,605 + 850 (65); exemption
    # 9,160; taxable 26,385; tax 5.2% × 23,000 + 5.58% × 3,385 = 1,384.88.
    r = one(federal_agi=57_000, taxable_distributions=40_000, social_security=20_000,
            taxable_social_security=17_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(1_384.883)
    assert r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"]


def test_joint_return_with_one_spouse_over_65():
    # Joint, 66 and 60, 2025, $100,000: 8,240 + 700; exemption 18,320; taxable 72,740;
    # 5.2% × 46,000 + 5.58% × 26,740 = 3,884.09.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=60,
            federal_agi=100_000, taxable_distributions=100_000)
    assert r["state_income_tax"] == pytest.approx(3_884.092)


def test_early_distribution_taxed_without_own_tax_head_of_household():
    # Head of household, 50, an early $30,000: 30,000 − 6,180 − (9,160 + 2,320) = 12,340 × 5.2%.
    r = one(filing_status="head_of_household", age_head=50, federal_agi=30_000,
            taxable_distributions=30_000, early_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(641.68) and r["state_additional_tax"] == 0


def test_governmental_plan_is_not_guessed():
    r = one(federal_agi=40_000, taxable_distributions=40_000, governmental_plan=True)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_KS_PUBLIC_PENSION_NOT_MODELLED"]
