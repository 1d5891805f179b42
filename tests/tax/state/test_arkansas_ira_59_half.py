"""Arkansas's retirement benefits exemption for an individual retirement account's benefits
(Ark. Code Ann. §26-51-307(a)(2)): "Only individual retirement account benefits received by an
individual retirement account participant after reaching fifty-nine and one-half (59 1/2) years
of age qualify"; before it only those made on account of the participant's death or disability,
and "all other premature distributions or early withdrawals" do not.  An employer plan's
benefits qualify at any age (DFA Rule 2.26-51-307), and the $6,000 is one limit for each
person's plan and IRA benefits together.  Before, every IRA distribution took the exemption.

Every figure worked by hand from the 2025 law files: standard deduction 2,470 a person (4,940
joint, §26-51-430); the Regular Income Tax Table at the middle of the $100 row of net taxable
income (the rate card: 3.4% less 287.97 from 16,000, 3.9% less 419.96 from 26,400), rounded to
whole dollars; the personal tax credit 29 (§26-51-501); the additional tax 10% of the federal
10% (§26-51-414(c)).  All incomes lie above the Low Income Tax Tables (single: AGI 17,500 at
most; joint 29,000) and every return's and column's net taxable income above the additional tax
credit for qualified individuals' table ($27,600: test_arkansas_additional_credit.py): none of it.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax

NOT_KNOWN = "STATE_IRA_BEFORE_59_HALF_NOT_KNOWN"


def one(**kw) -> dict:
    cols = {"state": "AR", "tax_year": 2025, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def ira(amount: float, early: float = 0.0, **kw) -> dict:
    """A single filer's year with ``amount`` from an IRA, ``early`` of it under the §72(t) tax."""
    return one(federal_agi=amount, taxable_distributions=amount, ira_distributions=amount,
               early_distributions=early, ira_early_distributions=early, **kw)


#: $40,000 from an IRA, no exemption: AGI 40,000 − 2,470 = 37,530, row 37,500–37,599:
#: 37,549.50 × 3.9% − 419.96 = 1,044.4705, the table's 1,044; less one credit of 29.
NO_EXEMPTION = 1_044 - 29
#: The same with the $6,000 exemption: 34,000 − 2,470 = 31,530, row 31,500–31,599:
#: 31,549.50 × 3.9% − 419.96 = 810.4705, the table's 810; less 29.
EXEMPTION = 810 - 29


def test_an_early_ira_withdrawal_before_59_half_takes_no_exemption():
    """50, $40,000 from an IRA, all under the §72(t) tax: a premature distribution, neither a
    death's nor a disability's: no exemption (before: 6,000 of it exempt, 781).  The additional
    tax: 10% × 10% × 40,000 = 400."""
    r = ira(40_000, early=40_000)
    assert r["state_income_tax"] == NO_EXEMPTION
    assert r["state_additional_tax"] == pytest.approx(400.0)
    assert "STATE_AR_RETIREMENT_EXEMPTION" not in r["reasons"]


def test_a_72t_series_before_59_half_takes_no_exemption():
    """55, $40,000 from an IRA paid as a 72(t) series (no §72(t) tax): still a premature
    distribution for Arkansas ((a)(2)(C): only death and disability qualify before 59½)."""
    r = ira(40_000, age_head=55)
    assert r["state_income_tax"] == NO_EXEMPTION
    assert r["state_additional_tax"] == 0


@pytest.mark.parametrize(("age", "tax"), [(59, NO_EXEMPTION), (60, EXEMPTION), (70, EXEMPTION)])
def test_after_59_half_the_ira_takes_the_exemption(age, tax):
    """At 60 or more at the year's end (whole years) the IRA's $40,000 is received after 59½:
    6,000 exempt.  At 59 at the year's end, whole years cannot show 59½ reached: taken as
    before it, as New York's and Michigan's 59½ are at the case door (the planner counts the
    months: tests/planner/test_arkansas_ira_year_of_59_half.py).  70: the age credit too."""
    credits = 29 if age >= 65 else 0
    assert ira(40_000, age_head=age)["state_income_tax"] == tax - credits


def test_a_disabled_owners_ira_takes_the_exemption_before_59_half():
    """50, disabled: the IRA's distribution is made on account of disability ((a)(2)(B)): 6,000
    exempt."""
    assert ira(40_000, age_head=50, disabled=1)["state_income_tax"] == EXEMPTION


def test_the_employer_plans_part_still_qualifies_before_59_half():
    """50: $16,000 of wages, $4,000 from a 401(k) and $20,000 early from an IRA.  Only the
    plan's 4,000 is exempt: AGI 40,000 − 4,000 = 36,000; less 2,470: 33,530, row 33,500–33,599:
    33,549.50 × 3.9% − 419.96 = 888.4705, the table's 888; less 29.  (Before: 6,000 exempt, AGI
    34,000, 31,530: 810.)"""
    r = one(federal_agi=40_000, wages=16_000, taxable_distributions=24_000,
            ira_distributions=20_000, early_distributions=20_000, ira_early_distributions=20_000)
    assert r["state_income_tax"] == 888 - 29
    assert "STATE_AR_RETIREMENT_EXEMPTION" in r["reasons"]


def test_in_the_year_of_59_half_the_part_under_the_72t_tax_is_not_exempt():
    """Months counted (the planner's ages): 59¾ at December 31.  $8,000 from an IRA, of which
    $5,000 under the §72(t) tax (paid before 59½): only 3,000 qualifies.  The IRA's
    8,000 beside $36,000 of wages: AGI 44,000 − 3,000 = 41,000, less 2,470: 38,530, row
    38,500–38,599: 38,549.50 × 3.9% − 419.96 = 1,083.4705, the table's 1,083; less 29.
    (Before: 6,000 exempt, AGI 38,000, 35,530: 35,549.50 × 3.9% − 419.96 = 966.47, 966.)"""
    r = one(age_head=59.75, federal_agi=44_000, wages=36_000, taxable_distributions=8_000,
            ira_distributions=8_000, early_distributions=5_000, ira_early_distributions=5_000)
    assert r["state_income_tax"] == 1_083 - 29


def test_where_the_iras_part_under_the_72t_tax_is_not_given_and_matters_not_figured():
    """59¾: $2,000 from a 401(k) and $8,000 from an IRA, $5,000 under the §72(t) tax, whose
    split between the plan and the IRA is not given: the IRA's part of it is 3,000 to 5,000, so
    the exemption min(10,000 − 3,000, 6,000) = 6,000 or min(10,000 − 5,000, 6,000) = 5,000:
    not figured, the reason said.  Where it cannot matter (all of the early part the IRA's, no
    plan money) it is figured."""
    r = one(age_head=59.75, federal_agi=40_000, wages=30_000, taxable_distributions=10_000,
            ira_distributions=8_000, early_distributions=5_000)
    assert np.isnan(r["state_income_tax"]) and not r["state_covered"]
    assert NOT_KNOWN in r["reasons"]
    # No plan money: the early 5,000 is the IRA's; 3,000 exempt; AGI 38,000 − 3,000 = 35,000,
    # less 2,470: 32,530: 32,549.50 × 3.9% − 419.96 = 849.4705, 849.
    r = one(age_head=59.75, federal_agi=38_000, wages=30_000, taxable_distributions=8_000,
            ira_distributions=8_000, early_distributions=5_000)
    assert r["state_income_tax"] == 849 - 29


def test_each_spouse_by_their_own_age():
    """Joint, 2025: the head (62) draws $40,000 from an IRA, the spouse (50) $40,000 early from
    hers.  Only the head's 6,000 is exempt.  Together: AGI 74,000 − 4,940 = 69,060, row
    69,000–69,099: 69,049.50 × 3.9% − 419.96 = 2,272.97, 2,273.  Filing separately on the same
    return: the head's 34,000 − 2,470 = 31,530 → 810, the spouse's 40,000 − 2,470 = 37,530 →
    1,044; 1,854, the smaller.  Less two credits: 1,796.  The spouse's additional tax 400.
    (Before: both exempt, 810 + 810 − 58 = 1,562.)"""
    r = one(filing_status="married_joint", age_head=62, age_spouse=50, federal_agi=80_000,
            taxable_distributions=80_000, ira_distributions=80_000, early_distributions=40_000,
            ira_early_distributions=40_000, spouse_distributions=40_000,
            spouse_ira_distributions=40_000, spouse_early_distributions=40_000,
            spouse_ira_early_distributions=40_000)
    assert r["state_income_tax"] == 810 + 1_044 - 2 * 29
    assert r["state_additional_tax"] == pytest.approx(400.0)


def test_a_couples_ira_split_not_given_where_it_changes_the_exemption():
    """Joint: head 62, spouse 50, $30,000 each (spouse_distributions given), $30,000 of it from
    IRAs whose split by spouse is not given: the head's 401(k) or IRA, the spouse's IRA or
    401(k) — the exemptions 6,000 + 0 or 6,000 + 6,000: not figured."""
    r = one(filing_status="married_joint", age_head=62, age_spouse=50, federal_agi=60_000,
            taxable_distributions=60_000, ira_distributions=30_000, spouse_distributions=30_000)
    assert np.isnan(r["state_income_tax"])
    assert NOT_KNOWN in r["reasons"]


@pytest.mark.oracle
def test_against_policyengine_us():
    """PolicyEngine-US 2.68.0 counts an IRA's taxable distributions toward the $6,000 from
    59½ (``gov.irs.income.exemption.traditional_distribution.age_threshold``, whole ages):
    single, 2025, $40,000 from an IRA at 55 and at 62 — its exemption, and its tax before
    non-refundable credits less the personal credits (the figure the state oracle compares,
    docs/state.md), to the dollar, and the hand-worked figures."""
    pytest.importorskip("policyengine_us")
    from policyengine_us import Simulation

    def theirs(age: int) -> tuple[float, float]:
        sim = Simulation(situation={
            "people": {"p": {"age": {"2025": age}, "taxable_ira_distributions": {"2025": 40_000},
                             "medical_expense_health_insurance_premiums": {"2025": 0}}},
            "tax_units": {"t": {"members": ["p"]}}, "families": {"f": {"members": ["p"]}},
            "spm_units": {"s": {"members": ["p"]}},
            "households": {"h": {"members": ["p"], "state_code": {"2025": "AR"}}}})
        tax = (sim.calculate("ar_income_tax_before_non_refundable_credits_unit", 2025)[0]
               - sim.calculate("ar_personal_credits", 2025)[0])
        return float(sim.calculate("ar_retirement_or_disability_benefits_exemption", 2025)[0]), float(tax)

    for age, exemption, hand in ((55, 0.0, NO_EXEMPTION), (62, 6_000.0, EXEMPTION)):
        ours = ira(40_000, age_head=age)["state_income_tax"]
        assert ours == hand
        assert theirs(age) == pytest.approx((exemption, ours), abs=1.0)
