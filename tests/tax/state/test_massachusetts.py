"""Massachusetts (Form 1) on hand-worked cases: each line written out from the law files'
amounts (Mass. Gen. Laws c. 62, §§3–5; Form 1 instructions), not read back from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "MA", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_social_security_exempt_distribution_in_part_b_with_the_age_exemption():
    # Single, 70, 2024: $60,000 from a 401(k), $30,000 Social Security ($25,500 federally taxable).
    # Form 1 line 2a personal exemption 4,400; line 2c age 65: 700; Part B income 60,000
    # (Social Security not income); taxable 60,000 − 5,100 = 54,900; tax at 5%: 2,745.
    r = one(federal_agi=85_500, taxable_distributions=60_000, social_security=30_000,
            taxable_social_security=25_500)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(2_745.0)
    assert r["state_additional_tax"] == 0
    assert r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"]


def test_surtax_above_the_2025_threshold():
    # Joint, both 66, 2025: a $1,500,000 distribution.  Exemptions 8,800 + 2 × 700 = 10,200;
    # taxable 1,489,800; 5%: 74,490; surtax 4% × (1,489,800 − 1,083,150) = 16,266.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=66,
            federal_agi=1_500_000, taxable_distributions=1_500_000)
    assert r["state_income_tax"] == pytest.approx(74_490.0 + 16_266.0)
    assert r["reasons"]["STATE_MA_SURTAX"] and not r["state_unconfirmed"]


def test_no_tax_status_and_the_separate_filer_without_it():
    # Single, 60: MA AGI 8,000 is at the No Tax Status limit: no tax; a dollar more and the
    # whole taxable income bears 5%: (8,001 − 4,400) × 5% = 180.05.
    r = one(age_head=60, federal_agi=8_000, taxable_distributions=8_000)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_MA_NO_TAX_STATUS"]
    r = one(age_head=60, federal_agi=8_001, taxable_distributions=8_001)
    assert r["state_income_tax"] == pytest.approx(180.05)
    # Married filing separately, 50: no No Tax Status; (5,000 − 4,400) × 5% = 30.
    r = one(filing_status="married_separate", age_head=50, federal_agi=5_000,
            taxable_distributions=5_000)
    assert r["state_income_tax"] == pytest.approx(30.0)
    # Joint, both under 65: 16,400 is exempt.
    r = one(filing_status="married_joint", age_head=60, age_spouse=60, federal_agi=16_400,
            taxable_distributions=16_400)
    assert r["state_income_tax"] == 0


def test_early_distribution_taxed_beyond_contributions_already_taxed_no_own_additional_tax():
    # Single, 50, an early $30,000 distribution of which $10,000 returns contributions
    # Massachusetts taxed: Part B 20,000; taxable 20,000 − 4,400 = 15,600; 5%: 780.
    r = one(age_head=50, federal_agi=30_000, taxable_distributions=30_000,
            early_distributions=30_000, state_basis_recovered=10_000)
    assert r["state_income_tax"] == pytest.approx(780.0) and r["state_additional_tax"] == 0


@pytest.mark.parametrize("kw, code", [
    ({"federal_agi": 45_000, "taxable_distributions": 40_000}, "STATE_MA_OTHER_INCOME_NOT_MODELLED"),
    ({"federal_agi": 70_000, "wages": 30_000, "taxable_distributions": 40_000},
     "STATE_MA_PAYROLL_DEDUCTION_NOT_MODELLED"),
    ({"federal_agi": 40_000, "taxable_distributions": 40_000, "governmental_plan": True},
     "STATE_MA_PUBLIC_PENSION_NOT_MODELLED"),
])
def test_what_the_inputs_cannot_decide_is_not_guessed(kw, code):
    r = one(**kw)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert np.isnan(r["state_additional_tax"]) and r["reasons"][code]


def test_2026_threshold_is_flagged_unconfirmed():
    r = one(tax_year=2026, federal_agi=40_000, taxable_distributions=40_000)
    assert r["state_unconfirmed"] and r["state_income_tax"] == pytest.approx(0.05 * (40_000 - 5_100))


def test_a_qualifying_surviving_spouse_files_as_head_of_household():
    # Massachusetts has no surviving spouse status: head of household's $6,800 exemption and
    # $14,400 No Tax Status limit.  60, $50,000: (50,000 − 6,800) × 5% = 2,160.
    r = one(filing_status="qualifying_surviving_spouse", age_head=60, federal_agi=50_000,
            taxable_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(2_160.0)
    r = one(filing_status="qualifying_surviving_spouse", age_head=60, federal_agi=14_400,
            taxable_distributions=14_400)
    assert r["state_income_tax"] == 0
