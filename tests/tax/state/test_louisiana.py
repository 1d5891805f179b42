"""Louisiana (IT-540) on hand-worked cases: each line written out from the law files'
amounts (La. R.S. 47:32, 47:44.1, 47:79, 47:294), not read back from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "LA", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_2024_retirement_exemption_schedule_and_exemptions_at_the_lowest_rate():
    # Single, 70, 2024: $40,000 from a 401(k), $20,000 Social Security (17,000 taxable);
    # federal AGI 57,000.  Schedule E: 07E 17,000, 06E 6,000; Louisiana AGI 34,000.
    # Tax 1.85% × 12,500 + 3.5% × 21,500 = 983.75, less 1.85% × (4,500 + 1,000 at 65) = 101.75:
    # 882.00.
    r = one(federal_agi=57_000, taxable_distributions=40_000, social_security=20_000,
            taxable_social_security=17_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(882.0)
    assert r["reasons"]["STATE_LA_RETIREMENT_EXEMPTION"] and r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"]


def test_2024_early_distribution_taxed_and_joint_schedule():
    # Single, 50, an early $30,000: no exemption before 65; 231.25 + 3.5% × 17,500 − 1.85% ×
    # 4,500 = 760.50; no Louisiana tax of its own.
    r = one(age_head=50, federal_agi=30_000, taxable_distributions=30_000,
            early_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(760.50) and r["state_additional_tax"] == 0
    # Joint, both 60, $150,000: 1.85% × 25,000 + 3.5% × 75,000 + 4.25% × 50,000 − 1.85% × 9,000
    # = 5,046.
    r = one(filing_status="married_joint", age_head=60, age_spouse=60, federal_agi=150_000,
            taxable_distributions=150_000)
    assert r["state_income_tax"] == pytest.approx(5_046.0)


def test_2025_reform_flat_rate_standard_deduction_larger_exemption():
    # Joint, both 66, 2025, $100,000 (the head's): 06E 12,000; 88,000 − 25,000 = 63,000 × 3%.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=66,
            federal_agi=100_000, taxable_distributions=100_000)
    assert r["state_income_tax"] == pytest.approx(1_890.0)


def test_2026_indexed_amounts_are_flagged():
    # Single, 70, 2026, $50,000: 50,000 − 12,324 − 12,838 = 24,838 × 3% = 745.14.
    r = one(tax_year=2026, federal_agi=50_000, taxable_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(745.14) and r["state_unconfirmed"]


def test_governmental_plan_is_not_guessed():
    r = one(federal_agi=40_000, taxable_distributions=40_000, governmental_plan=True)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_LA_PUBLIC_PENSION_NOT_MODELLED"]
