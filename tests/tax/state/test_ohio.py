"""Ohio (IT 1040) on hand-worked cases: each figure worked line by line from the law files'
amounts (R.C. 5747.02 schedule, 5747.025 exemptions, 5747.055 and 5747.022 credits)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "OH", "tax_year": 2024, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_retiree_with_retirement_and_senior_credits():
    # 2024, single, 67, retired: federal AGI 60,000 with 10,000 of taxable Social Security;
    # line 3 Ohio AGI 50,000; line 4 exemption 2,150 (40,000 < MAGI <= 80,000); line 5
    # 47,850; tax 360.69 + 2.75% x (47,850 - 26,050) = 960.19; retirement income credit
    # (over 8,000) 200; senior citizen credit 50; 710.19.
    r = one(age_head=67, federal_agi=60_000, taxable_distributions=50_000, social_security=20_000,
            taxable_social_security=10_000, plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(710.19, abs=0.005)
    assert {"STATE_OH_RETIREMENT_CREDIT", "STATE_OH_SENIOR_CREDIT",
            "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_distribution_not_on_account_of_retirement_has_no_retirement_credit():
    # Same at 55, not retired under the plan: no retirement income credit, no senior credit.
    r = one(age_head=55, federal_agi=50_000, taxable_distributions=50_000,
            early_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(360.69 + 0.0275 * (50_000 - 2_150 - 26_050), abs=0.005)
    assert r["state_additional_tax"] == 0


@pytest.mark.parametrize("retirement, credit", [
    (500, 0), (501, 25), (1_500, 25), (1_501, 50), (3_000, 50), (4_000, 80), (6_000, 130), (9_000, 200)])
def test_retirement_income_credit_steps(retirement, credit):
    # Wages 40,000 and a small distribution at 62, retired: Ohio AGI 40,000 + d; the tax
    # before credits less the credit of the step the distribution is in.
    agi = 40_000 + retirement
    exemption = 2_400 if agi <= 40_000 else 2_150
    tax = 360.69 + 0.0275 * (agi - exemption - 26_050)
    r = one(age_head=62, federal_agi=agi, wages=40_000, taxable_distributions=retirement,
            plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(tax - credit, abs=0.005)


def test_no_tax_up_to_the_first_bracket_and_the_exemption_credit():
    # Joint, 66 and 64: Ohio AGI 30,000; exemptions 2 x 2,400; base 25,200: no tax.
    r = one(filing_status="married_joint", age_head=66, age_spouse=64, federal_agi=30_000,
            taxable_distributions=30_000, plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == 0 and "STATE_OH_BELOW_FIRST_BRACKET" in r["reasons"]
    # Ohio AGI 32,000: base 27,200; tax 360.69 + 2.75% x 1,150 = 392.315; credits: 200
    # retirement, 50 senior, 2 x 20 exemption credit (base 30,000 or less): 102.315.
    r = one(filing_status="married_joint", age_head=66, age_spouse=64, federal_agi=32_000,
            taxable_distributions=32_000, plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(392.315 - 290, abs=0.005)


def test_credits_end_at_100000_and_rates_by_year():
    # 2025, single, 70, retired: Ohio AGI 150,000; exemption 1,900; base 148,100: over
    # 100,000, no retirement or senior credit; 342 + 2.75% x 73,950 + 3.125% x 48,100.
    r = one(tax_year=2025, age_head=70, federal_agi=150_000, taxable_distributions=150_000,
            plan_retirement_conditions_met=True, social_security=30_000)
    assert r["state_income_tax"] == pytest.approx(342 + 0.0275 * 73_950 + 0.03125 * 48_100, abs=0.005)
    assert "STATE_OH_RETIREMENT_CREDIT" not in r["reasons"]
    # 2026: flat 2.75% above 26,050 after 332.00.
    r = one(tax_year=2026, age_head=50, federal_agi=150_000, wages=150_000)
    assert r["state_income_tax"] == pytest.approx(332 + 0.0275 * (148_100 - 26_050), abs=0.005)


def test_no_exemption_above_the_limit_from_2025():
    # 2025: modified AGI over 750,000, no exemption; 2024 still 1,900.
    r = one(tax_year=2025, federal_agi=800_000, wages=800_000)
    assert r["state_income_tax"] == pytest.approx(342 + 0.0275 * 73_950 + 0.03125 * 700_000, abs=0.01)
    r = one(tax_year=2024, federal_agi=800_000, wages=800_000)
    assert r["state_income_tax"] == pytest.approx(360.69 + 0.0275 * 73_950 + 0.035 * 698_100, abs=0.01)


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=67, federal_agi=60_000, taxable_distributions=50_000,
                 plan_retirement_conditions_met=True),
            dict(tax_year=2025, federal_agi=800_000, wages=800_000),
            dict(filing_status="married_joint", age_head=66, age_spouse=64, federal_agi=32_000,
                 taxable_distributions=32_000, plan_retirement_conditions_met=True)]
    base = {"state": "OH", "tax_year": 2024, "filing_status": "single", "age_head": 50}
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    assert np.allclose(batch, [one(**r)["state_income_tax"] for r in rows])
