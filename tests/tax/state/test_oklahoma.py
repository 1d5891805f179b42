"""Oklahoma (Form 511) on hand-worked cases: each figure worked line by line from the law
files' amounts (68 O.S. §2355 schedules, §2358 deduction, exemptions and exclusion)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "OK", "tax_year": 2025, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def schedule(taxable, uppers, rates):
    tax, lower = 0.0, 0.0
    for up, rate in zip([*uppers, np.inf], rates, strict=True):
        tax += rate * max(0.0, min(taxable, up) - lower)
        lower = up
    return tax


RATES_2025 = [0.0025, 0.0075, 0.0175, 0.0275, 0.0375, 0.0475]


def test_single_2025_retiree():
    # Federal AGI 70,000 (distribution 50,000, wages 10,000, taxable Social Security 10,000);
    # line 14 retirement exclusion 10,000; Oklahoma AGI 50,000; standard deduction 6,350;
    # exemption 1,000 (none for age: federal AGI over 15,000); taxable 42,650.
    r = one(age_head=70, federal_agi=70_000, wages=10_000, taxable_distributions=50_000,
            social_security=25_000, taxable_social_security=10_000)
    expected = schedule(42_650, [1000, 2500, 3750, 4900, 7200], RATES_2025)
    assert r["state_income_tax"] == pytest.approx(expected, abs=0.005)
    # PolicyEngine-US's documented example of the 2025 schedule: 50,000 taxable, 2,186.51
    # with each line rounded to the cent.
    assert schedule(50_000, [1000, 2500, 3750, 4900, 7200], RATES_2025) == pytest.approx(2186.5, abs=0.01)
    assert {"STATE_OK_RETIREMENT_EXCLUSION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_joint_low_income_with_age_exemptions_and_the_2026_schedule():
    # 2026, joint, 70 and 66, federal AGI 24,000 (all distribution): exclusion 10,000;
    # Oklahoma AGI 14,000; standard deduction 12,700; exemptions 2 + 2 for age = 4,000: 0.
    r = one(tax_year=2026, filing_status="married_joint", age_head=70, age_spouse=66,
            federal_agi=24_000, taxable_distributions=24_000)
    assert r["state_income_tax"] == 0
    # Federal AGI 60,000: no age exemptions; 50,000 - 12,700 - 2,000 = 35,300 taxable on the
    # 2026 joint schedule: 0 to 7,500, 2.5% to 9,800, 3.5% to 14,400, 4.5% above.
    r = one(tax_year=2026, filing_status="married_joint", age_head=70, age_spouse=66,
            federal_agi=60_000, taxable_distributions=60_000)
    expected = 0.025 * 2_300 + 0.035 * 4_600 + 0.045 * (35_300 - 14_400)
    assert r["state_income_tax"] == pytest.approx(expected, abs=0.005)


def test_early_distribution_excluded_up_to_10000_and_no_state_early_tax():
    r = one(age_head=45, federal_agi=30_000, taxable_distributions=30_000,
            early_distributions=30_000)
    expected = schedule(30_000 - 10_000 - 6_350 - 1_000, [1000, 2500, 3750, 4900, 7200], RATES_2025)
    assert r["state_income_tax"] == pytest.approx(expected, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=70_000, wages=10_000, taxable_distributions=50_000,
                 social_security=25_000, taxable_social_security=10_000),
            dict(tax_year=2026, filing_status="married_joint", age_head=70, age_spouse=66,
                 federal_agi=60_000, taxable_distributions=60_000),
            dict(tax_year=2024, filing_status="head_of_household", federal_agi=90_000, wages=90_000)]
    base = {"state": "OK", "tax_year": 2025, "filing_status": "single", "age_head": 50}
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])
