"""Mississippi's married "joint or combined" return (Form 80-105): each spouse's column
(Column A, the taxpayer; Column B, the spouse) has its own taxable income (line 16 = line 13
less line 14 less line 15) and is taxed on its own by the Schedule of Tax Computation, so each
column has its own untaxed first $10,000 (Miss. Code Ann. §27-7-5(1)); the couple may divide
the standard deduction and the exemption between the columns in any manner they choose
(Form 80-100 instructions, lines 14–15; DOR, Tax Rates, Exemptions and Deductions); where one
column is negative and the other positive, the two are combined and the net taxed on Column A
of the schedule (Form 80-100 instructions, line 17).

Worked by hand from those rules: $4,600 joint standard deduction, $12,000 joint exemption,
none on the first $10,000 of a column's taxable income, 4.4% above it in 2025, 4.0% in 2026.
"""

from __future__ import annotations

import numpy as np
import pytest

from tax.state.state_cases import batch, one

JOINT = {"state": "MS", "filing_status": "married_joint", "age_head": 60, "age_spouse": 60}
SPLIT_NOT_GIVEN = "STATE_MS_COMBINED_SPLIT_NOT_GIVEN"


def test_the_reviewers_couple_each_column_taxed_on_its_own():
    # 2025: wages $60,000, the spouse's $20,000.  Deductions and exemption $16,600, all to the
    # taxpayer's column: A = 40,000 − 16,600 = 23,400, B = 20,000.  Tax (23,400 − 10,000) ×
    # 4.4% + (20,000 − 10,000) × 4.4% = 589.60 + 440 = 1,029.60 (one column: 1,469.60).
    r = one(JOINT, tax_year=2025, federal_agi=60_000, wages=60_000, spouse_wages=20_000)
    assert r["state_income_tax"] == pytest.approx(1_029.60)
    assert SPLIT_NOT_GIVEN not in r["reasons"]


def test_2026_a_small_spouse_column_keeps_its_income_and_the_head_takes_the_deductions():
    # 2026: wages $50,000 (the spouse's $6,000) and the head's $20,000 premature distribution
    # (taxed: the plan's retirement conditions not met).  A = 44,000 + 20,000 = 64,000,
    # B = 6,000.  The $16,600 all to A: A = 47,400, B = 6,000 (under its $10,000, untaxed).
    # Tax (47,400 − 10,000) × 4% = 1,496 (one column: (53,400 − 10,000) × 4% = 1,736).
    r = one(JOINT, tax_year=2026, age_head=50, age_spouse=45, federal_agi=70_000,
            wages=50_000, spouse_wages=6_000, taxable_distributions=20_000,
            spouse_distributions=0)
    assert r["state_income_tax"] == pytest.approx(1_496.00)
    assert "STATE_MS_PREMATURE_TAXABLE" in r["reasons"]


def test_2026_each_spouses_distribution_by_their_own_retirement_in_their_own_column():
    # 2026: the head's wages $30,000; the spouse's $25,000 premature distribution (the spouse's
    # plan conditions not met) and the head's $15,000 exempt one (the head's met).
    # A = 30,000, B = 25,000; the $16,600 to A: A = 13,400, B = 25,000.
    # Tax (3,400 + 15,000) × 4% = 736 (one column: (55,000 − 16,600 − 10,000) × 4% = 1,136).
    r = one(JOINT, tax_year=2026, age_head=58, age_spouse=50, federal_agi=70_000,
            wages=30_000, spouse_wages=0, taxable_distributions=40_000,
            spouse_distributions=25_000, plan_retirement_conditions_met=True,
            spouse_plan_retirement_conditions_met=False)
    assert r["state_income_tax"] == pytest.approx(736.00)


def test_a_negative_column_is_combined_with_the_other_and_the_net_taxed_once():
    # 2025: the head's wages $50,000; the spouse's net capital loss $3,000 (other income).
    # Column B is negative whatever the division, so A and B combine: 47,000 − 16,600 = 30,400,
    # taxed on Column A of the schedule: (30,400 − 10,000) × 4.4% = 897.60 — not the head's
    # column alone, (50,000 − 16,600 − 10,000) × 4.4% = 1,029.60.
    r = one(JOINT, tax_year=2025, federal_agi=47_000, wages=50_000, spouse_wages=0,
            spouse_other_income=-3_000)
    assert r["state_income_tax"] == pytest.approx(897.60)


def test_a_combined_net_below_zero_owes_nothing():
    # 2025: the head's wages $12,000, the spouse's loss $3,000: 9,000 − 16,600 < 0: no tax.
    r = one(JOINT, tax_year=2025, federal_agi=9_000, wages=12_000, spouse_wages=0,
            spouse_other_income=-3_000)
    assert r["state_income_tax"] == 0.0


def test_the_columns_split_the_deductions_to_the_couples_best():
    # 2025: the head's wages $30,000, the spouse's $12,000: 42,000 − 16,600 = 25,400 to share.
    # Both columns can reach $10,000 (e.g. A = 13,400, B = 12,000): (25,400 − 20,000) × 4.4%
    # = 237.60.  All the deductions in B would leave A = 30,000, B = 0 (negative: combined):
    # (25,400 − 10,000) × 4.4% = 677.60.
    r = one(JOINT, tax_year=2025, federal_agi=42_000, wages=42_000, spouse_wages=12_000)
    assert r["state_income_tax"] == pytest.approx(237.60)


def test_aged_exemptions_divided_too():
    # 2025, both 66: the exemptions are 12,000 + 2 × 1,500 = 15,000, the deduction 4,600:
    # 19,600.  The head's wages $25,000, the spouse's $25,000: A = 25,000 − 19,600 = 5,400,
    # B = 25,000, or any division leaving both at $10,000 or more: (50,000 − 19,600 − 20,000)
    # × 4.4% = 457.60.
    r = one(JOINT, tax_year=2025, age_head=66, age_spouse=66, federal_agi=50_000,
            wages=50_000, spouse_wages=25_000)
    assert r["state_income_tax"] == pytest.approx(457.60)


def test_a_split_not_given_is_answered_at_the_least_tax_it_allows_and_says_so():
    # The repro without ``spouse_wages``: the wages may be anyone's.  The least any split
    # gives is both columns at $10,000 or more: (43,400 − 20,000) × 4.4% = 1,029.60; the most
    # (all of it one spouse's) is 1,469.60.  The answer is the least, and says the split was
    # not given.
    r = one(JOINT, tax_year=2025, federal_agi=60_000, wages=60_000)
    assert r["state_income_tax"] == pytest.approx(1_029.60)
    assert SPLIT_NOT_GIVEN in r["reasons"]
    assert r["state_covered"]


def test_a_split_not_given_that_cannot_matter_says_nothing():
    # Wages of $20,000 anyone's, 2025: 20,000 − 16,600 = 3,400 in all, under one column's
    # $10,000 whatever the split: no tax, and nothing to say.  And the head's distribution
    # alone (no wages or other income to split): one column, as before.
    r = one(JOINT, tax_year=2025, federal_agi=20_000, wages=20_000)
    assert r["state_income_tax"] == 0.0 and SPLIT_NOT_GIVEN not in r["reasons"]
    r = one(JOINT, tax_year=2025, age_head=50, federal_agi=40_000, taxable_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx((40_000 - 16_600 - 10_000) * 0.044)
    assert SPLIT_NOT_GIVEN not in r["reasons"]


def test_a_single_return_has_one_column():
    # 2025 single: 60,000 − 2,300 − 6,000 = 51,700; (51,700 − 10,000) × 4.4% = 1,834.80.
    r = one({"state": "MS", "filing_status": "single", "age_head": 60}, tax_year=2025,
            federal_agi=60_000, wages=60_000)
    assert r["state_income_tax"] == pytest.approx(1_834.80)


def test_a_batch_answers_as_its_units_alone():
    rows = [dict(tax_year=2025, federal_agi=60_000, wages=60_000, spouse_wages=20_000),
            dict(tax_year=2026, federal_agi=60_000, wages=60_000, spouse_wages=30_000),
            dict(tax_year=2025, federal_agi=47_000, wages=50_000, spouse_wages=0,
                 spouse_other_income=-3_000),
            dict(tax_year=2024, filing_status="single", age_spouse=0, federal_agi=30_000,
                 wages=30_000)]
    together = batch(JOINT, rows)["state_income_tax"]
    alone = [one(JOINT, **r)["state_income_tax"] for r in rows]
    np.testing.assert_allclose(together, alone)


def _by_hand(rate: float, a: float, b: float, deductions: float) -> float:
    """Form 80-105 worked by brute force: every division of the deductions and exemptions in
    $100 steps, each column's line 16 taxed on its own (none on the first $10,000), a negative
    column combined with the other and the net taxed once; the least over the divisions."""
    def column(t: float) -> float:
        return rate * max(0.0, t - 10_000)

    best = np.inf
    for x in np.arange(0.0, deductions + 1.0, 100.0):
        head, spouse = a - x, b - (deductions - x)
        tax = column(head) + column(spouse) if min(head, spouse) >= 0 else column(head + spouse)
        best = min(best, tax)
    return float(best)


def test_random_couples_match_the_divisions_worked_by_brute_force():
    rng = np.random.default_rng(48)
    rows, expected = [], []
    for _ in range(60):
        head_w, spouse_w = (float(v) for v in rng.integers(0, 600, 2) * 100)
        loss = float(rng.choice([0, 0, -3_000]))
        year = int(rng.choice([2024, 2025, 2026]))
        older = bool(rng.integers(0, 2))
        rows.append(dict(tax_year=year, age_head=66 if older else 60, age_spouse=60,
                         federal_agi=head_w + spouse_w + loss, wages=head_w + spouse_w,
                         spouse_wages=spouse_w, spouse_other_income=loss))
        rate = {2024: 0.047, 2025: 0.044, 2026: 0.040}[year]
        expected.append(_by_hand(rate, head_w, spouse_w + loss,
                                 4_600 + 12_000 + (1_500 if older else 0)))
    got = batch(JOINT, rows)["state_income_tax"]
    np.testing.assert_allclose(got, expected, atol=0.005)


def test_a_split_not_given_is_never_more_than_any_split_given():
    # The least over the splits: no given split of the same wages pays less, and the one that
    # gives the least is among them.
    shares = np.arange(0, 70_001, 2_500.0)
    given = batch(JOINT, [dict(tax_year=2026, federal_agi=70_000, wages=70_000,
                               spouse_wages=s) for s in shares])["state_income_tax"]
    unsplit = one(JOINT, tax_year=2026, federal_agi=70_000, wages=70_000)["state_income_tax"]
    assert unsplit == pytest.approx(given.min())
    assert given.max() - unsplit == pytest.approx(400.0)  # one $10,000 band at 4%
