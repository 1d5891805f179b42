"""New Jersey (NJ-1040) on hand-worked cases: each figure worked line by line from the law
files' amounts (N.J.S.A. 54A:2-1 schedules, 54A:3-1 exemptions, 54A:6-10 and 6-15 exclusions),
not read back from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "NJ", "tax_year": 2025, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def table_a(taxable: float) -> float:
    """NJ Tax Rate Schedule A (single, separate), bracket by bracket."""
    return _schedule(taxable, [20000, 35000, 40000, 75000, 500000, 1000000, np.inf],
                     [0.014, 0.0175, 0.035, 0.05525, 0.0637, 0.0897, 0.1075])


def table_b(taxable: float) -> float:
    """NJ Tax Rate Schedule B (joint, head of household, qualifying widow(er))."""
    return _schedule(taxable, [20000, 50000, 70000, 80000, 150000, 500000, 1000000, np.inf],
                     [0.014, 0.0175, 0.0245, 0.035, 0.05525, 0.0637, 0.0897, 0.1075])


def _schedule(taxable, uppers, rates):
    tax, lower = 0.0, 0.0
    for up, rate in zip(uppers, rates, strict=True):
        tax += rate * max(0.0, min(taxable, up) - lower)
        lower = up
    return tax


def test_distribution_before_62_is_taxed_whole_with_wages():
    # Line 15 wages 30,000; line 20a pension 60,000; line 27 total income 90,000; no
    # exclusion at 60; line 29 gross income 90,000; line 30 exemption 1,000; taxable 89,000.
    r = one(age_head=60, federal_agi=90_000, wages=30_000, taxable_distributions=60_000,
            early_distributions=60_000)
    assert r["state_income_tax"] == pytest.approx(table_a(89_000), abs=0.005)
    assert r["state_income_tax"] == pytest.approx(3543.05, abs=0.005)
    assert r["state_additional_tax"] == 0  # no New Jersey tax of its own on early distributions


def test_pension_exclusion_from_62_up_to_the_most():
    # Single, 66: line 20a 90,000; line 27 90,000 (Social Security not income); line 28a
    # min(90,000, 75,000) = 75,000; line 29 15,000; exemptions 1,000 + 1,000 (65+) = 2,000;
    # taxable 13,000 × 1.4% = 182.
    r = one(age_head=66, federal_agi=100_000, taxable_distributions=90_000,
            social_security=40_000, taxable_social_security=10_000)
    assert r["state_income_tax"] == pytest.approx(182.0, abs=0.005)
    assert {"STATE_NJ_PENSION_EXCLUSION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


@pytest.mark.parametrize("status, total, share", [
    ("single", 120_000, 0.375), ("single", 140_000, 0.1875), ("married_joint", 120_000, 0.5),
    ("married_joint", 140_000, 0.25), ("married_separate", 110_000, 0.25)])
def test_pension_exclusion_share_falls_with_total_income(status, total, share):
    # Line 27 over 100,000: the share of the pension excluded (single 37.5% / 18.75%, joint
    # 50% / 25%, separate 25% / 12.5%), up to the most (75,000 / 100,000 / 50,000).
    most = {"single": 75_000, "married_joint": 100_000, "married_separate": 50_000}[status]
    joint = status == "married_joint"
    excluded = min(share * total, most)
    exemptions = (2_000 if joint else 1_000) + (2_000 if joint else 1_000)
    taxable = total - excluded - exemptions
    r = one(filing_status=status, age_head=70, age_spouse=70, federal_agi=total,
            taxable_distributions=total, social_security=20_000)
    expected = table_b(taxable) if joint else table_a(taxable)
    assert r["state_income_tax"] == pytest.approx(expected, abs=0.005)


def test_no_exclusion_above_150000_of_total_income():
    r = one(age_head=70, federal_agi=150_001, taxable_distributions=150_001, social_security=1)
    assert r["state_income_tax"] == pytest.approx(table_a(150_001 - 2_000), abs=0.005)
    assert "STATE_NJ_PENSION_EXCLUSION" not in r["reasons"]
    # At exactly 150,000 the smallest share still applies (not over the step).
    r = one(age_head=70, federal_agi=150_000, taxable_distributions=150_000, social_security=1)
    assert r["state_income_tax"] == pytest.approx(table_a(150_000 - 0.1875 * 150_000 - 2_000), abs=0.005)


def test_other_retirement_income_exclusion_uses_the_unused_pension_exclusion():
    # Single, 64, interest 30,000, distribution 40,000, wages 2,000 (under 3,000): line 27
    # 72,000; line 28a 40,000; line 28b min(32,000 other income, 75,000 − 40,000) = 32,000;
    # line 29 0: no tax.  With wages of 4,000 line 28b is closed: 72,000 + 2,000 − 40,000 −
    # 1,000 exemption = 33,000 taxable.
    r = one(age_head=64, federal_agi=72_000, wages=2_000, taxable_distributions=40_000,
            social_security=20_000)
    assert r["state_income_tax"] == 0
    assert {"STATE_NJ_OTHER_RETIREMENT_EXCLUSION", "STATE_NJ_BELOW_THRESHOLD"} <= r["reasons"]
    r = one(age_head=64, federal_agi=74_000, wages=4_000, taxable_distributions=40_000,
            social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(table_a(33_000), abs=0.005)


def test_no_tax_at_or_below_the_gross_income_threshold():
    # Joint, both 50: wages 20,000, line 29 20,000, not over the 20,000 threshold.
    r = one(filing_status="married_joint", age_spouse=50, federal_agi=20_000, wages=20_000)
    assert r["state_income_tax"] == 0
    r = one(filing_status="married_joint", age_spouse=50, federal_agi=20_001, wages=20_001)
    assert r["state_income_tax"] == pytest.approx(0.014 * (20_001 - 2_000), abs=0.005)


def test_contributions_new_jersey_already_taxed_come_back_untaxed():
    # Distribution 50,000 of which 12,000 returns contributions New Jersey taxed: line 20a
    # 38,000; at 55, taxable 37,000.
    r = one(age_head=55, federal_agi=50_000, taxable_distributions=50_000,
            early_distributions=50_000, state_basis_recovered=12_000)
    assert r["state_income_tax"] == pytest.approx(table_a(37_000), abs=0.005)
    assert "STATE_NJ_BASIS_RECOVERED" in r["reasons"]


def test_joint_return_only_the_spouse_62_or_older_counts():
    # The head (the distribution's owner) 58, the spouse 63: the head's distribution is not
    # excluded; with no other income nothing turns on whose it is.
    r = one(filing_status="married_joint", age_head=58, age_spouse=63, federal_agi=80_000,
            taxable_distributions=80_000, social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(table_b(80_000 - 2_000), abs=0.005)
    # With interest, whose it is decides line 28b: not covered.
    r = one(filing_status="married_joint", age_head=58, age_spouse=63, federal_agi=90_000,
            taxable_distributions=80_000, social_security=20_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_NJ_RETIREMENT_INCOME_NOT_SPLIT" in r["reasons"]


def test_special_exclusion_is_not_guessed():
    # 70, no Social Security, total income under 150,000: whether the filer will never receive
    # Social Security (the special exclusion) is not an input.
    r = one(age_head=70, federal_agi=60_000, taxable_distributions=60_000)
    assert not r["state_covered"] and "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED" in r["reasons"]
    # Above 150,000 no part of line 28b is open: covered.
    r = one(age_head=70, federal_agi=200_000, taxable_distributions=200_000)
    assert r["state_covered"]
    # One who will receive Social Security later (`social_security_expected`): no special
    # exclusion, and the tax is that of the same unit already receiving some (Social Security
    # is not New Jersey income).
    later = one(age_head=63, federal_agi=130_000, taxable_distributions=130_000,
                social_security_expected=True)
    now = one(age_head=63, federal_agi=130_000, taxable_distributions=130_000,
              social_security=1_000)
    assert later["state_covered"] and now["state_covered"]
    assert later["state_income_tax"] == now["state_income_tax"] > 0


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=66, federal_agi=100_000, taxable_distributions=90_000,
                 social_security=40_000, taxable_social_security=10_000),
            dict(age_head=60, federal_agi=90_000, wages=30_000, taxable_distributions=60_000),
            dict(filing_status="married_joint", age_head=70, age_spouse=68, federal_agi=130_000,
                 taxable_distributions=130_000, social_security=5_000)]
    base = {"state": "NJ", "tax_year": 2025, "filing_status": "single", "age_head": 50}
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    singles = [one(**r)["state_income_tax"] for r in rows]
    assert np.allclose(batch, singles)
