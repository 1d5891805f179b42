"""Nebraska (Form 1040N) on hand-worked cases: each figure worked line by line from the law
files' amounts (§77-2715.03 schedules, §77-2716.01 deduction, §77-2715.07 credit)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "NE", "tax_year": 2024, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_single_retiree_2024():
    # Federal AGI 80,000 with 15,000 taxable Social Security: Nebraska AGI 65,000; standard
    # deduction 8,350 + 1,950 (65+) = 10,300; taxable 54,700: 2.46% x 3,900 + 3.51% x 19,470
    # + 5.01% x 14,300 + 5.84% x 17,030 = 2,440.0; less the 166 exemption credit.
    r = one(age_head=70, federal_agi=80_000, taxable_distributions=65_000, social_security=30_000,
            taxable_social_security=15_000, early_distributions=0)
    tax = 0.0246 * 3_900 + 0.0351 * 19_470 + 0.0501 * 14_300 + 0.0584 * 17_030
    assert r["state_income_tax"] == pytest.approx(tax - 166, abs=0.005)
    assert "STATE_SOCIAL_SECURITY_EXEMPT" in r["reasons"]


def test_joint_2026_rates_and_an_early_distribution_taxed_whole():
    # 2026, joint, 55 and 52: a 100,000 early distribution; standard deduction 17,700;
    # taxable 82,300: 2.46% x 8,250 + 3.51% x 41,280 + 4.55% x 32,770; less 2 x 176.
    r = one(tax_year=2026, filing_status="married_joint", age_head=55, age_spouse=52,
            federal_agi=100_000, taxable_distributions=100_000, early_distributions=100_000)
    tax = 0.0246 * 8_250 + 0.0351 * 41_280 + 0.0455 * (82_300 - 49_530)
    assert r["state_income_tax"] == pytest.approx(tax - 352, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_exemption_credit_no_more_than_the_tax():
    # 2025 single: Nebraska AGI 12,000, deduction 8,600, taxable 3,400 x 2.46% = 83.64 < 171.
    r = one(tax_year=2025, federal_agi=12_000, wages=12_000)
    assert r["state_income_tax"] == 0


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=80_000, taxable_distributions=65_000,
                 social_security=30_000, taxable_social_security=15_000),
            dict(tax_year=2026, filing_status="married_joint", age_head=55, age_spouse=52,
                 federal_agi=100_000, taxable_distributions=100_000),
            dict(tax_year=2025, filing_status="head_of_household", federal_agi=90_000, wages=90_000)]
    base = {"state": "NE", "tax_year": 2024, "filing_status": "single", "age_head": 50}
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])
