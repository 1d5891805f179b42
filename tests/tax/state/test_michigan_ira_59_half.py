"""Michigan's retirement and pension benefits subtraction for an IRA's distribution
(MCL 206.30(1)(f), (8)).

The definition of "retirement or pension benefits" counts a distribution from an individual
retirement account only if it is not made before 59½, except on the owner's death, disability
or a series of substantially equal periodic payments under IRC §72(t)(2)(A)(iv).  Michigan
Treasury, Qualified Pension Distribution Requirements, Individual Plans: "For an IRA to meet
Michigan retirement/pension subtraction qualifications, one of the following must be true: you
are 59½ or older, or you are on disability, or the participant died, or a series of equal
periodic payments are made for life under IRC 72(t)(2)(A)(iv)."  An IRA has no plan, so the
plan's retirement conditions (``plan_retirement_conditions_met``) do not decide it.  Before,
Michigan read the flag alone: an IRA payment before 59½ was subtracted whenever the flag was set
(a rule-of-55 retiree also drawing on an IRA), one after 59½ taxed whenever it was not.

Figures from the law files: rate 4.25% (MCL 206.51(1); Treasury's 2026 rate notice); personal
exemption $5,600 (2024), $5,900 (2026; the law file flags 2026 unconfirmed); from 2026 every
birth year takes the subtraction up to the full limit ($67,610 single, 2026).  PolicyEngine-US
2.68.0 gives 599.25 for the first case (the review's ``mi5.csv``) and 1,850.62 for the joint one.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from dist401k.commands.tax import tax_table
from dist401k.law import default_law
from dist401k.tax.state import StateUnits, state_tax

LAW = default_law()
RATE = 0.0425
EXEMPTION_2026 = 5_900
#: Single, 56, 2026, $20,000 from an IRA: nothing subtracted, (20,000 − 5,900) × 4.25%.
NOTHING_SUBTRACTED = RATE * (20_000 - EXEMPTION_2026)


def one(**kw) -> dict:
    """The Michigan answer of one unit: each output's value and the reasons that hold."""
    cols = {"state": "MI", "tax_year": 2026, "filing_status": "single", "age_head": 56}
    cols.update(kw)
    cols.setdefault("federal_agi", cols.get("taxable_distributions", 0))
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]})
            for k, v in r.items()}


def ira(amount: float, early: float, **kw) -> dict:
    """A single filer's 2026 with ``amount`` from an IRA, ``early`` of it under the §72(t) tax
    (all of an IRA's distribution counts as employer money: MCL 206.30(8) takes all of it)."""
    return one(taxable_distributions=amount, ira_distributions=amount,
               early_distributions=early, ira_early_distributions=early,
               employer_attributable_distributions=amount, **kw)


@pytest.mark.parametrize("met", [True, False])
def test_an_ira_withdrawal_before_59_half_is_not_subtracted_whatever_the_plan_flag(met):
    """56, $20,000 from an IRA, all under the §72(t) tax: not a retirement or pension benefit.
    (20,000 − 5,900) × 4.25% = 599.25 (before: 0 with the flag set)."""
    r = ira(20_000, 20_000, plan_retirement_conditions_met=met)
    assert r["state_covered"]
    assert r["state_income_tax"] == pytest.approx(599.25, abs=0.005)
    assert NOTHING_SUBTRACTED == pytest.approx(599.25)
    assert "STATE_MI_RETIREMENT_SUBTRACTION" not in r["reasons"]
    # The IRA's own reason (before 59½), not the plan's premature distribution's.
    assert "STATE_MI_IRA_PREMATURE_TAXABLE" in r["reasons"]
    assert "STATE_MI_PREMATURE_TAXABLE" not in r["reasons"]


def test_an_ira_withdrawal_past_59_half_is_subtracted_though_still_working():
    """62, $20,000 from an IRA, still working for the plan's sponsor (flag not set): the IRA's
    condition is 59½, not the plan's.  20,000 subtracted (limit 67,610): taxable
    max(0, 20,000 − 20,000 − 5,900) = 0 (before: 599.25)."""
    r = ira(20_000, 0, age_head=62, plan_retirement_conditions_met=False)
    assert r["state_covered"]
    assert r["state_income_tax"] == pytest.approx(0.0, abs=0.005)
    assert "STATE_MI_RETIREMENT_SUBTRACTION" in r["reasons"]


def test_a_72t_series_before_59_half_is_subtracted_a_lump_sum_spared_the_penalty_is_not():
    """56, $20,000 from an IRA, none under the §72(t) tax.  Paid as periodic payments
    (``periodic_payments``): before 59½ the only periodic exception is a §72(t)(2)(A)(iv)
    series, which qualifies: 0.  A lump sum spared the federal tax by another exception (a
    first home, medical expenses …) does not: 599.25 (before: 0 whatever the flag)."""
    series = ira(20_000, 0, periodic_payments=True, plan_retirement_conditions_met=True)
    lump = ira(20_000, 0, periodic_payments=False, plan_retirement_conditions_met=True)
    assert series["state_income_tax"] == pytest.approx(0.0, abs=0.005)
    assert lump["state_income_tax"] == pytest.approx(599.25, abs=0.005)


def test_a_disabled_owners_ira_before_59_half_is_subtracted():
    """56, disabled, $20,000 from an IRA (the disability exception: none under the §72(t)
    tax), a lump sum: disability qualifies, 0 (the same lump sum not disabled: 599.25)."""
    r = ira(20_000, 0, disabled=1, plan_retirement_conditions_met=False)
    assert r["state_income_tax"] == pytest.approx(0.0, abs=0.005)


def test_a_rule_of_55_retirees_plan_money_is_subtracted_and_the_ira_money_is_not():
    """56, separated at 55 (flag set): $10,000 of 401(k) employer money qualifies, $10,000 from
    an IRA before 59½ (under the §72(t) tax) does not.  Employer-attributable: the 401(k)'s
    10,000 and all of the IRA's, 20,000.  Taxable 20,000 − 10,000 − 5,900 = 4,100; × 4.25% =
    174.25 (before: 0)."""
    r = one(taxable_distributions=20_000, ira_distributions=10_000,
            early_distributions=10_000, ira_early_distributions=10_000,
            employer_attributable_distributions=20_000, plan_retirement_conditions_met=True)
    assert r["state_covered"]
    assert r["state_income_tax"] == pytest.approx(RATE * 4_100, abs=0.005)


def test_the_reviews_joint_household_2024():
    """2024, joint: head 55 with $16,773 from an IRA (all under the §72(t) tax), spouse 68
    (born 1956: the 2023 PA 4 phase-in, 50% of 128,080) with wages 36,894, Social Security
    37,335 and interest 1,077.  Taxable Social Security (joint base 32,000, 44,000): provisional
    income 54,744 + 18,667.50 = 73,411.50; 0.85 × 29,411.50 + 6,000 = 30,999.775, under 0.85 ×
    37,335.  Federal AGI 54,744 + 30,999.78 = 85,743.78.  Nothing qualifies (the IRA's money is
    before 59½; the spouse has none); the tier 3 standard deduction 40,000 − 11,200 − 30,999.78
    is nothing.  Taxable 85,743.78 − 30,999.78 − 2 × 5,600 = 43,544; × 4.25% = 1,850.62
    (before: 1,137.77, the IRA's money subtracted; PolicyEngine-US: 1,850.62)."""
    r = one(tax_year=2024, filing_status="married_joint", age_head=55, age_spouse=68,
            federal_agi=85_743.78, wages=36_894, taxable_social_security=30_999.78,
            social_security=37_335, taxable_distributions=16_773, early_distributions=16_773,
            ira_distributions=16_773, ira_early_distributions=16_773,
            employer_attributable_distributions=16_773, plan_retirement_conditions_met=True,
            spouse_distributions=0, spouse_wages=36_894, spouse_social_security=37_335)
    assert r["state_covered"]
    assert r["state_income_tax"] == pytest.approx(RATE * 43_544, abs=0.01)


def test_a_spouses_ira_past_59_half_qualifies_the_heads_before_it_does_not():
    """2026, joint: head 56 with $30,000 from an IRA, all under the §72(t) tax; spouse 62 with
    $10,000 from an IRA, none early; the split given.  The spouse's qualifies (10,000, under
    the 135,220 joint limit), the head's does not; no standard deduction (neither is 67).
    40,000 − 10,000 − 2 × 5,900 = 18,200; × 4.25% = 773.50 (before, the flag set: 0)."""
    r = one(filing_status="married_joint", age_spouse=62, taxable_distributions=40_000,
            ira_distributions=40_000, early_distributions=30_000, ira_early_distributions=30_000,
            employer_attributable_distributions=40_000, plan_retirement_conditions_met=True,
            spouse_distributions=10_000, spouse_ira_distributions=10_000,
            spouse_early_distributions=0, spouse_ira_early_distributions=0)
    assert r["state_covered"]
    assert r["state_income_tax"] == pytest.approx(RATE * 18_200, abs=0.005)


def test_a_couples_ira_money_not_split_is_not_figured_where_whose_it_is_changes_the_tax():
    """2026, joint: head 56 (separated at 55, flag set), spouse 62; $40,000 of distributions,
    $20,000 the spouse's, $20,000 of the whole from an IRA (none under the §72(t) tax: the
    head's plan money by the rule of 55), whose IRA money not given.  If the IRA's $20,000 is
    the head's (before 59½, a lump sum: not qualifying) only the spouse's plan money qualifies:
    40,000 − 20,000 − 11,800 = 8,200, × 4.25% = 348.50; if it is the spouse's (past 59½), all
    qualifies: 0.  Not figured, saying why (before: 0).  With the split given, each answer."""
    cols = dict(filing_status="married_joint", age_spouse=62, taxable_distributions=40_000,
                ira_distributions=20_000, early_distributions=0, ira_early_distributions=0,
                employer_attributable_distributions=40_000, plan_retirement_conditions_met=True,
                spouse_distributions=20_000, spouse_early_distributions=0)
    r = one(**cols)
    assert not r["state_covered"]
    assert "STATE_IRA_BEFORE_59_HALF_NOT_KNOWN" in r["reasons"]
    heads = one(**cols, spouse_ira_distributions=0)
    spouses = one(**cols, spouse_ira_distributions=20_000)
    assert heads["state_income_tax"] == pytest.approx(RATE * 8_200, abs=0.005)
    assert spouses["state_income_tax"] == pytest.approx(0.0, abs=0.005)


REPRO = ("participant_id,state,tax_year,filing_status,age_head,taxable_distributions,"
         "early_distributions,ira_distributions,ira_early_distributions,"
         "plan_retirement_conditions_met,employer_attributable_distributions\n"
         "s56_met,MI,2026,single,56,20000,20000,20000,20000,true,20000\n"
         "s56_notmet,MI,2026,single,56,20000,20000,20000,20000,false,20000\n")


def test_the_reviews_rows_through_the_tax_door():
    """The review's ``mi5.csv`` through ``dist401k tax``: 599.25 for both (before: 0 and
    599.25)."""
    rows = tax_table(pacsv.read_csv(pa.BufferReader(REPRO.encode())), LAW).to_pylist()
    for r in rows:
        assert r["state_covered"], r["participant_id"]
        assert r["state_income_tax"] == pytest.approx(NOTHING_SUBTRACTED, abs=0.005)


def _plan_2026(person: dict, **more) -> dict:
    """The drawdown planner's 2026 row for one Michigan person."""
    from dist401k.planner.household import parse_household
    from dist401k.planner.plan import make_plan, plan_json

    hh = {"id": "mi", "start_year": 2026, "state": "MI", "people": [person],
          "spending": {"annual": 90000, "bequest": 0},
          "strategy": {"objective": "max_spending"}, "magi_history": [60000, 60000], **more}
    table = plan_json(make_plan(parse_household(hh), LAW, monte_carlo=False))["table"]
    return next(r for r in table if r["year"] == 2026)


def test_the_planners_michigan_estimate_subtracts_the_ira_past_59_half_while_working():
    """Born 1964-03-01 (62 in 2026), wages of $40,000 from an employer other than the plan's
    to 65, an IRA only.  The IRA's withdrawals and conversions (under the $67,610 limit) are
    past 59½: all subtracted though still working.  2026 tax: 4.25% × (AGI − IRA money −
    5,900), i.e. 4.25% × (wages + the taxable account's dividends − 5,900) (before: the IRA's
    money taxed, the planner's flag — no wages — not set; 2,590.80 for this household)."""
    row = _plan_2026({"name": "Chris", "birth_date": "1964-03-01", "life_expectancy": 85,
                      "retirement_age": 65, "wages": 40000, "wages_from_plan_employer": False,
                      "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                      "accounts": {"ira": 900000}},
                     taxable={"balance": 20000, "basis": 20000})
    ira_money = row["pretax_withdrawal"] + row["conversion"]
    assert 1_000 < ira_money <= 67_610
    assert row["state_tax"] == pytest.approx(RATE * (row["agi"] - ira_money - EXEMPTION_2026),
                                             abs=0.02)
    assert row["state_tax"] == pytest.approx(RATE * (40_000 + row["dividends"] - EXEMPTION_2026),
                                             abs=0.02)


def test_the_planners_ira_72t_series_before_59_half_stays_subtracted():
    """Born 1972-02-10 (54 in 2026), retired, an IRA paying a 72(t) series from 2026 (the
    only pre-tax money): the series qualifies before 59½ (§72(t)(2)(A)(iv)), so the
    withdrawal is subtracted and nothing is left to tax: 0, as before the IRA rule (a guard:
    without the planner telling the engine the IRA pays a series, it taxed all of it,
    1,365.39)."""
    row = _plan_2026({"name": "Pat", "birth_date": "1972-02-10", "life_expectancy": 85,
                      "retirement_age": 50, "wages": 0,
                      "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                      "accounts": {"ira": 600000}},
                     cash=10000, sepp={"person": 0, "account": "ira",
                                       "first_payment": "2026-03-01"})
    assert row["pretax_withdrawal"] > 10_000
    assert row["state_tax"] == pytest.approx(0.0, abs=0.005)
