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
    # Social Security (the special exclusion) is not an input, and it would lower the tax: line
    # 27 90,000, line 28a 75,000, line 29 15,000, less 2,000 of exemptions, 13,000 × 1.4% = 182.
    r = one(age_head=70, federal_agi=90_000, taxable_distributions=90_000)
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


#: 2025, a joint return where one spouse only is 62 or older (the reviewer's households,
#: checked against PolicyEngine-US): each spouse's own distribution given.
NJ_COUPLE_HEAD_62 = dict(filing_status="married_joint", age_head=63, age_spouse=49,
                         federal_agi=63_415, wages=9_624, taxable_distributions=53_791,
                         spouse_distributions=18_288.94)
NJ_COUPLE_SPOUSE_65 = dict(filing_status="married_joint", age_head=49, age_spouse=65,
                           federal_agi=108_197.15, wages=4_570, taxable_distributions=93_067,
                           spouse_distributions=67_938.91, social_security=11_899,
                           taxable_social_security=10_114.15)


def test_joint_return_excludes_only_the_distribution_of_the_spouse_62_or_older():
    """N.J.S.A. 54A:6-10; NJ Division of Taxation, "Retirement Income Exclusion" (njit7) and
    NJ-1040 instructions line 28a: on a joint return where only one spouse is 62 or older "you
    can exclude only the pension, annuity, or IRA withdrawal of the qualified spouse"."""
    # Head 63, spouse 49.  Line 27: wages 9,624 + distributions 53,791 = 63,415 (≤ 100,000:
    # the whole share).  Line 28a: the head's own 53,791 − 18,288.94 = 35,502.06 only.  Line 28b
    # closed (wages over 3,000).  Line 29: 9,624 + 18,288.94 = 27,912.94, over the 20,000
    # threshold; exemptions 2 × 1,000; taxable 25,912.94; Table B: 20,000 × 1.4% = 280 +
    # 5,912.94 × 1.75% = 103.48 → 383.48.
    r = one(**NJ_COUPLE_HEAD_62)
    assert r["state_income_tax"] == pytest.approx(table_b(25_912.94), abs=0.005)
    assert r["state_income_tax"] == pytest.approx(383.48, abs=0.005)
    assert "STATE_NJ_PENSION_EXCLUSION" in r["reasons"]
    # Head 49, spouse 65.  Line 27: 4,570 + interest 446 + 93,067 = 98,083 (Social Security
    # not income).  Line 28a: the spouse's own 67,938.91.  Line 29: 30,144.09; exemptions
    # 2 × 1,000 + 1,000 (the spouse 65) = 3,000; taxable 27,144.09; Table B: 280 + 7,144.09 ×
    # 1.75% = 125.02 → 405.02.
    r = one(**NJ_COUPLE_SPOUSE_65)
    assert r["state_income_tax"] == pytest.approx(table_b(27_144.09), abs=0.005)
    assert r["state_income_tax"] == pytest.approx(405.02, abs=0.005)
    assert "STATE_NJ_PENSION_EXCLUSION" in r["reasons"]


def test_joint_return_without_the_split_takes_the_distribution_as_the_heads():
    # spouse_distributions not given: the whole distribution is the head's (as in Georgia,
    # Maryland, Pennsylvania, Michigan), so the head's age decides its exclusion.  Head 63:
    # line 28a 53,791; line 29 9,624, under the threshold.  Head 49: no exclusion; line 29
    # 98,083; taxable 98,083 − 3,000 = 95,083.
    def unsplit(case):
        return one(**{k: v for k, v in case.items() if k != "spouse_distributions"})

    assert unsplit(NJ_COUPLE_HEAD_62)["state_income_tax"] == 0
    r = unsplit(NJ_COUPLE_SPOUSE_65)
    assert r["state_income_tax"] == pytest.approx(table_b(95_083), abs=0.005)


def test_joint_return_other_income_of_the_spouse_62_or_older_only():
    """NJ-1040 instructions line 28b (Worksheet D) and 54A:6-15: where one spouse only is 62 or
    older, only that spouse's income can be excluded."""
    # Head 64 with a 40,000 distribution and 5,000 interest; spouse 58 with 10,000 and 15,000
    # interest; Social Security 20,000; no wages.  Line 27: 70,000.  Line 28a: the head's
    # 40,000.  Line 28b: min(the head's other income 5,000, 100,000 − 40,000) = 5,000.  Line 29:
    # 25,000; exemptions 2,000; taxable 23,000: 280 + 3,000 × 1.75% = 332.50.
    couple = dict(filing_status="married_joint", age_head=64, age_spouse=58, federal_agi=70_000,
                  taxable_distributions=50_000, spouse_distributions=10_000,
                  social_security=20_000)
    r = one(**couple, spouse_other_income=15_000)
    assert r["state_income_tax"] == pytest.approx(table_b(23_000), abs=0.005)
    assert r["state_income_tax"] == pytest.approx(332.50, abs=0.005)
    assert "STATE_NJ_OTHER_RETIREMENT_EXCLUSION" in r["reasons"]
    # Whose interest it is not given: not covered.
    r = one(**couple)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_NJ_RETIREMENT_INCOME_NOT_SPLIT" in r["reasons"]


def test_joint_return_basis_already_taxed_whose_it_is():
    # Head 64 with 40,000, spouse 58 with 10,000, of which 5,000 returns contributions New
    # Jersey taxed (one figure for the return): line 28a is 35,000 to 40,000 by whose basis it
    # is: not covered.
    couple = dict(filing_status="married_joint", age_head=64, age_spouse=58, federal_agi=50_000,
                  taxable_distributions=50_000, spouse_distributions=10_000,
                  state_basis_recovered=5_000, social_security=20_000)
    r = one(**couple)
    assert np.isnan(r["state_income_tax"]) and "STATE_NJ_BASIS_NOT_SPLIT" in r["reasons"]
    # With wages of 30,000 (line 28b closed).  The spouse has no distribution: the basis is the
    # head's.  Line 20a 40,000 − 5,000 = 35,000; line 27 65,000; line 28a 35,000; line 29
    # 30,000; exemptions 2,000; taxable 28,000: 280 + 8,000 × 1.75% = 420.
    r = one(**{**couple, "taxable_distributions": 40_000, "federal_agi": 70_000,
               "spouse_distributions": 0, "wages": 30_000})
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(420.0, abs=0.005)
    # Both 62 or older: whose it is does not matter.  Line 20a 50,000 − 5,000 = 45,000; line 27
    # 75,000; line 28a 45,000; line 29 30,000: 420 again.
    r = one(**{**couple, "age_spouse": 62, "federal_agi": 80_000, "wages": 30_000})
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(420.0, abs=0.005)


def test_joint_pension_exclusion_is_100000_at_the_cap():
    # Married filing jointly, both 66 (N.J.S.A. 54A:6-10; NJ-1040 line 28a worksheet): gross
    # income (line 27) at most 100,000 gives the full exclusion up to 100,000 — 100,000 of
    # pension leaves line 29 at 0. (For a joint return the cap never changes the tax: where the
    # full share applies, a cap near 100,000 leaves line 29 under the 20,000 no-tax threshold,
    # and over 100,000 of income the share, at most 50%, stays under it.)
    r = one(filing_status="married_joint", age_head=66, age_spouse=66, federal_agi=100_000,
            taxable_distributions=100_000, social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.0, abs=0.005)
    assert "STATE_NJ_PENSION_EXCLUSION" in r["reasons"]


def test_joint_pension_exclusion_just_over_the_cap_is_half():
    # 104,000 of pension: line 27 over 100,000, so 50% (the 100,000–125,000 step), 52,000
    # excluded; 104,000 - 52,000 - 4,000 exemptions = 48,000 on Schedule B.
    r = one(filing_status="married_joint", age_head=66, age_spouse=66, federal_agi=104_000,
            taxable_distributions=104_000, social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(table_b(48_000), abs=0.005)
