"""Michigan in the drawdown planner: an heir other than the surviving spouse subtracts none of
a draw from an inherited account at any age, and a rule-of-55 retiree's 401(k) is judged by
that plan's retirement conditions, not by an IRA of theirs held before 59½.

The heir.  Michigan Treasury, Qualified Pension Distribution Requirements, Individual Plans:
"Distributions after the death of the participant may only be subtracted by a surviving spouse
if the distributions qualified as a subtraction for the participant at the time of death"; the
overview: an employer plan's payment "must be made to either the employee or the surviving
spouse".  So a child of 62 drawing a parent's IRA or 401(k) subtracts nothing, though an IRA of
her own would qualify at her age (MCL 206.30(8)(a)(ii)); the case door answers it so
(``STATE_MI_HEIR_NOT_SUBTRACTABLE``).

The rule of 55.  A "premature distribution" is one paid before the retirement conditions of
the plan that pays it are met (MCL 206.30(8)(b)(ii)); an IRA is judged by its own 59½ rule.  A
person who left the employer at 55 draws the 401(k) after that plan's conditions are met,
whatever their IRA would owe under §72(t) at 56.

Figures from the law files, 2026: rate 4.25% (MCL 206.51(1)), personal exemption $5,900, the
retirement limit $67,610 single / $135,220 joint (every birth year at 100% from 2026, 2023 PA 4).
Every filer here is born after 1952 and under 67: no Michigan standard deduction (§206.30(9)).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState, SpouseIncome
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
RATE = 0.0425
EXEMPTION_2026 = 5_900

#: Ann, 62 at the end of 2026, single, no wages, no account of her own: her late father's
#: $300,000 IRA (he died in 2024 at 86) pays her spending.
HEIR = {"id": "mi-heir-62", "start_year": 2026, "state": "MI",
        "people": [{"name": "Ann", "birth_date": "1964-03-01", "life_expectancy": 85,
                    "social_security": {"monthly_at_full_age": 0}}],
        "inherited": [{"heir": 0, "balance": 300000,
                       "beneficiary": {"deceased_birth_date": "1938-04-01",
                                       "date_of_death": "2024-07-15",
                                       "relationship": "child", "account": "ira"}}],
        "spending": {"annual": 35000}}

#: Bo, 56 at the end of 2026, left his employer at 55: a 401(k) all of employer money and an IRA.
RULE_OF_55 = {"id": "mi-55", "start_year": 2026, "state": "MI",
              "people": [{"name": "Bo", "birth_date": "1970-06-01", "life_expectancy": 85,
                          "separated_at_55": True, "social_security": {"monthly_at_full_age": 0},
                          "accounts": {"pretax": 200000, "employer_share": 1.0, "ira": 400000}}],
              "spending": {"annual": 60000}}


def _units(paid: float, early: float = 0.0, age: float = 62.0, joint: bool = False) -> TaxUnits:
    zero = np.zeros(1)
    return TaxUnits(
        tax_year=np.array([2026]), filing_status=np.array([MARRIED_JOINT if joint else SINGLE],
                                                         np.int8),
        age_head=np.array([age]), age_spouse=np.array([age if joint else 0.0]),
        blind_head=np.zeros(1, bool), blind_spouse=np.zeros(1, bool),
        lived_apart=np.zeros(1, bool), wages=zero, taxable_interest=zero,
        tax_exempt_interest=zero, ordinary_dividends=zero, qualified_dividends=zero,
        long_term_gains=zero, taxable_distributions=np.array([paid]),
        early_distributions=np.array([early]), social_security=zero, other_income=zero,
        itemized_deductions=zero)


def _tax(case: dict, units: TaxUnits, paid: PaidFrom, spouse: SpouseIncome | None = None) -> float:
    hh = parse_household(case)
    ps = PlanState.of(hh, build_timeline(hh, LAW))
    assert ps is not None
    return float(ps.tax(np.array([0]), units, federal_tax(units, LAW), LAW, spouse=spouse,
                        paid=paid)[0])


def test_estimate_child_heir_of_62_subtracts_nothing():
    """$20,000 drawn in 2026 from the father's IRA at 62, her only income: (20,000 − 5,900) ×
    4.25% = 599.25 (the heir's own 59½ does not make it a benefit)."""
    tax = _tax(HEIR, _units(20_000.0),
               PaidFrom(ira=20_000.0, heir=20_000.0, heir_ira=20_000.0))
    assert tax == pytest.approx(RATE * (20_000 - EXEMPTION_2026), abs=0.005)
    assert tax == pytest.approx(599.25, abs=0.005)


def test_estimate_child_heir_keeps_her_own_iras_subtraction():
    """$20,000 from the inherited IRA and $10,000 from an IRA of her own, at 62: only her own
    is subtracted: (30,000 − 10,000 − 5,900) × 4.25% = 599.25."""
    tax = _tax(HEIR, _units(30_000.0),
               PaidFrom(ira=30_000.0, heir=20_000.0, heir_ira=20_000.0))
    assert tax == pytest.approx(599.25, abs=0.005)


def test_plan_row_child_heir_of_62_pays_on_the_whole_draw():
    """The plan's own 2026 row: the draw is Ann's only income, so Michigan's tax is 4.25% ×
    (draw − 5,900) (before, nothing: the draw was subtracted as her own IRA's)."""
    row = plan_json(make_plan(parse_household(HEIR), LAW, monte_carlo=False))["table"][0]
    assert row["year"] == 2026 and row["state"] == "MI"
    draw = row["pretax_withdrawal"]
    assert draw > EXEMPTION_2026
    assert row["agi"] == pytest.approx(draw, abs=0.01)
    assert row["state_tax"] == pytest.approx(RATE * (draw - EXEMPTION_2026), abs=0.01)


def test_plan_row_child_heir_of_an_inherited_401k_is_figured():
    """A parent's 401(k) inherited by a child: nothing of it is a benefit, so its employer part
    is not needed (before, the plan was refused asking for people[].accounts.employer_share,
    which an inherited account has not): 4.25% × (draw − 5,900)."""
    case = copy.deepcopy(HEIR)
    case["inherited"][0]["beneficiary"]["account"] = "plan"
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    draw = row["pretax_withdrawal"]
    assert row["agi"] == pytest.approx(draw, abs=0.01)
    assert row["state_tax"] == pytest.approx(RATE * (draw - EXEMPTION_2026), abs=0.01)


def test_plan_row_spouse_beneficiary_of_62_still_subtracts():
    """The same IRA inherited by the widow (kept as beneficiary) at 62: a surviving spouse may
    subtract; the draw is under the $67,610 limit and she has no other income: no tax."""
    case = copy.deepcopy(HEIR)
    case["inherited"][0]["beneficiary"].update(relationship="spouse", deceased_birth_date="1960-04-01")
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    assert row["pretax_withdrawal"] > EXEMPTION_2026
    assert row["state_tax"] == pytest.approx(0.0, abs=0.005)


def test_estimate_joint_return_spouse_is_the_heir():
    """A couple, both 62, filing jointly in 2026: the head draws $20,000 from her own IRA, the
    spouse $20,000 from his late mother's IRA.  The head's qualifies, the heir's does not:
    (40,000 − 20,000 − 2 × 5,900) × 4.25% = 348.50."""
    case = copy.deepcopy(HEIR)
    case["people"][0]["accounts"] = {"ira": 200000}
    case["people"].append({"name": "Cy", "birth_date": "1964-05-01", "life_expectancy": 85,
                           "social_security": {"monthly_at_full_age": 0}})
    case["inherited"][0]["heir"] = 1
    spouse = SpouseIncome(wages=0.0, social_security=0.0, distributions=20_000.0, ira=20_000.0,
                          heir=20_000.0, heir_ira=20_000.0)
    tax = _tax(case, _units(40_000.0, joint=True),
               PaidFrom(ira=40_000.0, heir=20_000.0, heir_ira=20_000.0), spouse=spouse)
    assert tax == pytest.approx(RATE * (40_000 - 20_000 - 2 * EXEMPTION_2026), abs=0.005)
    assert tax == pytest.approx(348.50, abs=0.005)


def test_rule_of_55_401k_alone_is_subtracted():
    """Bo draws $20,000 of employer money from the 401(k) at 56, after separating at 55: paid
    after the plan's conditions are met, wholly subtracted: 20,000 − 20,000 − 5,900 < 0, no
    tax (before: 599.25, his IRA's §72(t) tax at 56 taken as the plan's)."""
    assert _tax(RULE_OF_55, _units(20_000.0, age=56.0), PaidFrom(employer=20_000.0)) == \
        pytest.approx(0.0, abs=0.005)


def test_rule_of_55_with_an_early_ira_draw():
    """The same $20,000 and $10,000 from his IRA at 56 (under the §72(t) tax, before 59½: no
    benefit): (30,000 − 20,000 − 5,900) × 4.25% = 174.25 (before: 1,024.25)."""
    tax = _tax(RULE_OF_55, _units(30_000.0, early=10_000.0, age=56.0),
               PaidFrom(ira=10_000.0, ira_early=10_000.0, employer=20_000.0))
    assert tax == pytest.approx(RATE * (30_000 - 20_000 - EXEMPTION_2026), abs=0.005)
    assert tax == pytest.approx(174.25, abs=0.005)
