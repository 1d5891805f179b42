"""A blind retiree's state income tax in the drawdown plan equals the `tax` door's for the same
year, income, status, ages and blindness: a state that reads the federal standard deduction
with its §63(f)(2) additional amount for blindness (Utah's taxpayer tax credit, Utah Code
§59-10-1018) gives the blind the same credit in the plan as in `dist401k tax`.

Worked by hand for 2026 from the TC-40 instructions and Utah Code §§59-10-104, 59-10-1018
(figures of params/state/ut: rate 4.45%, the credit 6% of the federal standard deduction less
1.3% of Utah taxable income above $18,213 single / $36,426 joint) and Rev. Proc. 2025-32
(standard deduction $16,100 single / $32,200 joint; additional amount $2,050 unmarried,
$1,650 married, for each of 65 and blindness).  No Social Security, no retirement credit
(born after 1952): the Utah tax is 4.45% × AGI less the taxpayer credit.

- Robin, single, 65 in 2026, blind: standard deduction 16,100 + 2,050 + 2,050 = 20,200;
  sighted 18,150.  The credit's base is 6% of it: the blind pay 6% × 2,050 = $123.00 less.
- A couple filing jointly, both 65 in 2026, the second one blind: 32,200 + 2 × 1,650 + 1,650
  = 37,150 (sighted 35,500): the blind spouse's return pays 6% × 1,650 = $99.00 less.
"""

from __future__ import annotations

import copy

import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.tax.table import tax_table

LAW = default_law()

RATE, CREDIT_RATE, PHASE_OUT_RATE = 0.0445, 0.06, 0.013
PHASE_OUT_FROM = {"single": 18_213.0, "married_joint": 36_426.0}
STANDARD = {("single", False): 18_150.0, ("single", True): 20_200.0,
            ("married_joint", False): 35_500.0, ("married_joint", True): 37_150.0}

ROBIN = {"name": "Robin", "birth_date": "1961-03-01", "life_expectancy": 90,
         "accounts": {"ira": 800000}}
SAM = {"name": "Sam", "birth_date": "1961-05-01", "life_expectancy": 90,
       "accounts": {"ira": 400000}}


def _utah_tax_by_hand(agi: float, status: str, blind: bool) -> float:
    """Utah Code §59-10-104 (the rate on Utah taxable income, here federal AGI) less the
    §59-10-1018 taxpayer tax credit (6% of the federal standard deduction, less 1.3% of the
    income above the base phase-out amount), not below zero."""
    credit = max(0.0, CREDIT_RATE * STANDARD[status, blind]
                 - PHASE_OUT_RATE * max(0.0, agi - PHASE_OUT_FROM[status]))
    return round(max(0.0, RATE * agi - credit), 2)


def _first_row(people: list[dict]) -> dict:
    case = {"start_year": 2026, "state": "UT", "people": copy.deepcopy(people),
            "spending": {"annual": 50000}}
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
    row = plan_json(plan)["table"][0]
    assert row["year"] == 2026 and row["state"] == "UT"
    # the distribution is the year's only income: AGI is the pre-tax money paid out
    assert row["agi"] == pytest.approx(row["pretax_withdrawal"] + row["conversion"], abs=0.01)
    return row


def _tax_door(agi: float, status: str, blind_head: bool, blind_spouse: bool) -> float:
    unit = {"tax_year": 2026, "filing_status": status, "age_head": 65,
            "taxable_distributions": agi, "blind_head": int(blind_head), "state": "UT"}
    if status == "married_joint":
        unit.update(age_spouse=65, blind_spouse=int(blind_spouse))
    return float(tax_table([unit], LAW).column("state_income_tax")[0].as_py())


def test_a_blind_single_retiree_in_utah():
    row = _first_row([dict(ROBIN, blind=True)])
    agi = row["agi"]
    assert row["state_tax"] == pytest.approx(_utah_tax_by_hand(agi, "single", True), abs=0.01)
    assert row["state_tax"] == pytest.approx(_tax_door(agi, "single", True, False), abs=0.01)
    sighted = _tax_door(agi, "single", False, False)
    assert sighted == pytest.approx(_utah_tax_by_hand(agi, "single", False), abs=0.01)
    assert sighted - row["state_tax"] == pytest.approx(123.00, abs=0.01)


def test_a_couple_whose_second_person_is_blind():
    row = _first_row([ROBIN, dict(SAM, blind=True)])
    assert row["filing_status"] == "married_joint"
    agi = row["agi"]
    assert row["state_tax"] == pytest.approx(_utah_tax_by_hand(agi, "married_joint", True),
                                             abs=0.01)
    # the tax door with the spouse blind (and, the same return, the head blind instead)
    assert row["state_tax"] == pytest.approx(_tax_door(agi, "married_joint", False, True),
                                             abs=0.01)
    assert row["state_tax"] == pytest.approx(_tax_door(agi, "married_joint", True, False),
                                             abs=0.01)
    sighted = _tax_door(agi, "married_joint", False, False)
    assert sighted - row["state_tax"] == pytest.approx(99.00, abs=0.01)
