"""Delaware's exclusions in the order of 30 Del. C. §1106(b): the exclusion for persons 60 or
over tests "adjusted gross income (without reduction by this exclusion)" (§1106(b)(2), 58 Del.
Laws c. 551), i.e. Delaware's AGI after the other §1106 modifications, the pension exclusion of
§1106(b)(3) among them; and a person under 60 excludes up to $2,000 of pensions from employers
(§1106(b)(3), as amended by 83 Del. Laws c. 352).  Every expected tax is worked by hand from the
§1102 schedule (0% to 2,000, 2.2% to 5,000, 3.9% to 10,000, 4.8% to 20,000, 5.2% to 25,000,
5.55% to 60,000, 6.6% above), less the personal credits of 30 Del. C. §1110(b) ($110 for each
personal exemption, $110 more for each person 60 or over, no more than the tax), and checked
against PolicyEngine-US 2025 where it models the case (its tax before those credits is quoted
where the credits take all of it)."""

from __future__ import annotations

import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "DE", "tax_year": 2025, "filing_status": "single", "age_head": 60,
            "plan_retirement_conditions_met": True}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_the_60_or_over_exclusion_tests_income_after_the_pension_exclusion():
    # Single, 60, no wages, $20,000 from a 401(k): federal AGI 20,000; pension exclusion
    # min(20,000, 12,500) = 12,500 -> 7,500; income before the 60-or-over exclusion 7,500 <=
    # 10,000 and earned income 0 < 2,500 -> 2,000 more -> 5,500; standard deduction 3,250 ->
    # 2,250; tax 2.2% x (2,250 - 2,000) = 5.50 (PolicyEngine-US 2025: 5.50), which the personal
    # credits (110 + 110) take: 0.  The exclusion is seen in its reason.
    r = one(federal_agi=20_000, taxable_distributions=20_000)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert r["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]


def test_the_income_limit_edge_after_the_pension_exclusion():
    # $22,500: 22,500 - 12,500 = 10,000, at the limit: 10,000 - 2,000 - 3,250 = 4,750;
    # 2.2% x 2,750 = 60.50.  $22,501: 10,001 over it: no 2,000; 10,001 - 3,250 = 6,751;
    # 66 + 3.9% x 1,751 = 134.289.  PolicyEngine-US 2025: 60.50 and 134.289; both under the
    # personal credits (220): 0.
    r = one(federal_agi=22_500, taxable_distributions=22_500)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]
    r = one(federal_agi=22_501, taxable_distributions=22_501)
    assert r["state_income_tax"] == 0
    assert not r["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]


def test_joint_return_limit_after_both_pension_exclusions():
    # Joint, both 62, each spouse's 401(k) pays 20,000 (split given), no wages: each excludes
    # 12,500 -> 40,000 - 25,000 = 15,000 <= 20,000 -> 2 x 2,000 -> 11,000; standard deduction
    # 6,500 -> 4,500; tax 2.2% x 2,500 = 55.  Combined separate returns: each 20,000 - 12,500 =
    # 7,500 <= 10,000 -> 2,000 -> 5,500 - 3,250 = 2,250: 2.2% x 250 = 5.50 each, 11 together,
    # less than 55: 11.00.  PolicyEngine-US 2025: joint 55.00, combined separate 11.00 before
    # the personal credits, which take all of either (440 joint, 220 each separately): 0.
    r = one(filing_status="married_joint", age_head=62, age_spouse=62, federal_agi=40_000,
            taxable_distributions=40_000, spouse_distributions=20_000, spouse_wages=0,
            spouse_social_security=0, spouse_other_income=0)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert r["reasons"]["STATE_DE_ELDERLY_EXCLUSION"]


def test_a_pension_before_60_has_its_2000_exclusion():
    # Single, 59, a $20,000 employer pension (periodic_distributions): 20,000 - 2,000 - 3,250
    # = 14,750; 66 + 195 + 4.8% x 4,750 = 489.00, less the personal credit 110 = 379.00.
    # PolicyEngine-US 2025 with the 20,000 as taxable_private_pension_income:
    # de_pension_exclusion 2,000, tax before credits 489.00.
    r = one(age_head=59, federal_agi=20_000, taxable_distributions=20_000,
            periodic_distributions=20_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(379.0)
    assert r["reasons"]["STATE_DE_PENSION_EXCLUSION"]
    # A $1,500 pension: all of it excluded; with an $18,500 lump sum from the 401(k) beside it
    # (not a pension): 20,000 - 1,500 - 3,250 = 15,250; 66 + 195 + 4.8% x 5,250 = 513.00
    # (PolicyEngine-US 2025: 513.00 before credits); less 110: 403.00.
    r = one(age_head=59, federal_agi=20_000, taxable_distributions=20_000,
            periodic_distributions=1_500)
    assert r["state_income_tax"] == pytest.approx(403.0)
    # The 401(k) lump sum alone before 60: no exclusion: 16,750: 66 + 195 + 4.8% x 6,750 = 585
    # (PolicyEngine-US 2025: 585.00 before credits); less 110: 475.00.
    assert one(age_head=59, federal_agi=20_000,
               taxable_distributions=20_000)["state_income_tax"] == pytest.approx(475.0)


def test_each_spouses_pension_before_60():
    # Joint, 58 and 57, the spouse's $10,000 pension and the head's $30,000 pension (split
    # given): 2,000 each -> 40,000 - 4,000 - 6,500 = 29,500; 66 + 195 + 480 + 260 + 5.55% x
    # 4,500 = 1,250.75.  Combined separate: head 30,000 - 2,000 - 3,250 = 24,750: 741 + 5.2% x
    # 4,750 = 988; spouse 10,000 - 2,000 - 3,250 = 4,750: 2.2% x 2,750 = 60.50; together
    # 1,048.50 (PolicyEngine-US 2025 before credits: joint 1,250.75, combined separate
    # 1,048.50).  After the personal credits: joint 1,250.75 - 220 = 1,030.75; separately each
    # column's own 110 against its own tax: 988 - 110 = 878 and 60.50 - 110 -> 0 (not below
    # zero; the 49.50 left over is lost): 878, less.
    r = one(filing_status="married_joint", age_head=58, age_spouse=57, federal_agi=40_000,
            taxable_distributions=40_000, periodic_distributions=40_000,
            spouse_distributions=10_000, spouse_periodic_distributions=10_000, spouse_wages=0,
            spouse_social_security=0, spouse_other_income=0)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(878.0)


def test_whose_pension_not_known_before_60_is_not_guessed():
    # Joint, both 58, $40,000 of distributions split 20,000 / 20,000, $3,000 of them a pension
    # whose it is not given: 2,000 (one person's) or 3,000 (1,500 each), not guessed.
    r = one(filing_status="married_joint", age_head=58, age_spouse=58, federal_agi=40_000,
            taxable_distributions=40_000, periodic_distributions=3_000,
            spouse_distributions=20_000, spouse_wages=0, spouse_social_security=0,
            spouse_other_income=0)
    assert not r["state_covered"] and r["reasons"]["STATE_DE_RETIREMENT_INCOME_NOT_SPLIT"]
