"""New Jersey's refusal of a couple's year turns on the account the year's plan money can come
from (`people[].accounts.state_taxed_contributions`, `governmental_457b`).

New Jersey taxed the employee contributions to a 403(b), 457(b) or 414(h) plan when they were
made (N.J.A.C. 18:35-2.5(a); it defers only 401(k) contributions, N.J.S.A. 54A:6-21): a payment
from such an account returns some of them, by a rule the planner does not work, so a New Jersey
year drawing on it is refused.  The contributions are that account's alone: a payment from the
other spouse's plan account returns none of them.  The planner refused a couple's year whenever
either spouse's account held them and any plan money was drawn — here every year from 2026,
though Ann's account could pay nothing: she still works for its employer before 59½ (it pays
nothing then, IRC §401(k)(2)(B)(i), §403(b)(11), §457(d)(1)(A)) and makes no in-plan conversion
(`converts: false`).  A year is now refused only where its plan money can come from the account
holding such contributions.

Also here: `state_taxed_contributions` larger than the plan balance is accepted — losses can
leave an account below the contributions in it, and the planner reads the field only as "some
contributions are held" (it refuses the years that would recover them), never as an amount
within the balance.

The household, worked by hand: Ann, born March 1, 1976, works for her 403(b)'s employer until
60 at $30,000 a year, $200,000 in the plan of which $20,000 are contributions New Jersey taxed;
Bo, born March 1, 1960 (66 in 2026), retired, $300,000 in his 401(k), Social Security from 67;
joint return; spending $40,000.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import _nj_recovered
from dist401k.tax.state import StateUnits

LAW = default_law()
NJ_TEXT = ("State tax not figured: New Jersey taxed the employee contributions to a 403(b), "
           "457(b) or 414(h) plan when they were made")
COUPLE = {"start_year": 2026, "state": "NJ",
          "people": [{"name": "Ann", "birth_date": "1976-03-01", "life_expectancy": 90,
                      "retirement_age": 60, "wages": 30000, "converts": False,
                      "accounts": {"pretax": 200000, "state_taxed_contributions": 20000}},
                     {"name": "Bo", "birth_date": "1960-03-01", "life_expectancy": 90,
                      "social_security": {"monthly_at_full_age": 1500, "claim_age": 67},
                      "accounts": {"pretax": 300000}}],
          "spending": {"annual": 40000}}


def _case(**top) -> dict:
    case = copy.deepcopy(COUPLE)
    case.update(top)
    return case


def _plan(case: dict) -> dict:
    return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))


def _refusal(case: dict) -> str:
    with pytest.raises(InputError) as err:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    return str(err.value)


def test_years_only_the_other_spouse_can_draw_are_figured_by_hand():
    """New Jersey until the move to Florida in 2035: every New Jersey year Ann's account can
    pay nothing, so the plan money is Bo's, and the year is figured.  2026 by hand: Bo is 62
    or older, so his own distribution is excluded, whole while the return's gross income is at
    most $100,000 (N.J.S.A. 54A:6-10: at most $100,000 on a joint return); left: Ann's $30,000
    of wages, less the exemptions of $1,000 each and $1,000 more for Bo at 65 (54A:3-1), $27,000;
    Table B (54A:2-1): 1.4% of $20,000 = $280, 1.75% of $7,000 = $122.50: $402.50."""
    row = _plan(_case(move={"year": 2035, "state": "FL"}))["table"][0]
    assert row["year"] == 2026 and row["filing_status"] == "married_joint"
    # The hand-worked figure's conditions: all the pre-tax money drawn is Bo's, and the return's
    # gross income (AGI here: no Social Security yet, no other income) is at most $100,000.
    assert row["pretax_withdrawal"] + row["conversion"] > 0
    assert row["spouse_withdrawal"] == row["pretax_withdrawal"]
    assert row["spouse_conversion"] == row["conversion"]
    assert row["wages"] == 30000 and row["agi"] <= 100000
    assert row["state_tax"] == pytest.approx(402.50, abs=0.005)


def test_the_first_year_the_account_can_pay_is_the_one_refused():
    """In New Jersey all along: Ann reaches 59½ on September 1, 2035, when her account may pay
    while she still works (§401(k)(2)(B)(i)(III)); 2035 is the first year refused."""
    text = _refusal(_case())
    assert text.startswith("state: NJ in 2035: " + NJ_TEXT)
    assert "(people.0.accounts.state_taxed_contributions)" in text


def test_an_account_that_may_convert_can_be_drawn_in_service():
    """Ann's account pays nothing while she works, but converts in the plan where she
    converts (the planner's default): it can be drawn from 2026, refused there."""
    case = _case()
    case["people"][0]["converts"] = True
    assert _refusal(case).startswith("state: NJ in 2026: " + NJ_TEXT)


def test_the_spouse_holding_the_contributions_is_refused_when_drawing():
    """The same couple with the contributions in Bo's account (the spouse on the return): Bo's
    plan money pays the first year, refused, naming his field."""
    case = _case()
    case["people"][0]["accounts"].pop("state_taxed_contributions")
    case["people"][1]["accounts"]["state_taxed_contributions"] = 20000
    text = _refusal(case)
    assert text.startswith("state: NJ in 2026: " + NJ_TEXT)
    assert "(people.1.accounts.state_taxed_contributions)" in text


def _joint(head_plan: float, spouse_plan: float, spouse_ira: float = 0.0) -> StateUnits:
    total = head_plan + spouse_plan + spouse_ira
    return StateUnits.from_columns({
        "state": ["NJ"], "tax_year": [2026], "filing_status": ["married_joint"],
        "age_head": [50], "age_spouse": [66], "federal_agi": [total],
        "taxable_distributions": [total], "ira_distributions": [spouse_ira],
        "spouse_distributions": [spouse_plan + spouse_ira],
        "spouse_ira_distributions": [spouse_ira], "spouse_periodic_distributions": [0.0]})


@pytest.mark.parametrize("head_plan,spouse_plan,spouse_ira,head,spouse,unknown", [
    (0.0, 10000.0, 0.0, True, False, False),     # only the other spouse's plan pays
    (5000.0, 10000.0, 0.0, True, False, True),   # the head's account pays too
    (0.0, 10000.0, 0.0, False, True, True),      # the spouse's own account pays
    (0.0, 0.0, 10000.0, False, True, False),     # the spouse's IRA only
    (10000.0, 0.0, 0.0, False, True, False),     # the head's plan, the spouse's contributions
])
def test_each_spouses_plan_part_is_judged_by_their_own_account(head_plan, spouse_plan,
                                                               spouse_ira, head, spouse,
                                                               unknown):
    got = _nj_recovered(_joint(head_plan, spouse_plan, spouse_ira), np.array([head]),
                        np.array([spouse]))
    assert bool(np.isnan(got[0])) is unknown


# -- state_taxed_contributions larger than the plan balance -------------------------------------

LEE = {"start_year": 2026, "state": "FL",
       "people": [{"name": "Lee", "birth_date": "1970-05-01", "life_expectancy": 90,
                   "social_security": {"monthly_at_full_age": 2000, "claim_age": 62},
                   "accounts": {"pretax": 300000}}],
       "spending": {"annual": 40000}}


def _lee(taxed: float | None, **top) -> dict:
    case = copy.deepcopy(LEE)
    if taxed is not None:
        case["people"][0]["accounts"]["state_taxed_contributions"] = taxed
    case.update(top)
    return case


def test_more_taxed_contributions_than_the_balance_is_accepted_and_sensible():
    """$350,000 of contributions in an account worth $300,000 (fallen below them): accepted.
    Florida taxes no income (Fla. Const. art. VII, §5(a)), so the plan is the plan without the
    field; New Jersey refuses the year that draws on the account, as it does for any amount,
    in the same words as for $20,000."""
    assert _plan(_lee(350000.0))["table"] == _plan(_lee(None))["table"]
    above, within = _refusal(_lee(350000.0, state="NJ")), _refusal(_lee(20000.0, state="NJ"))
    assert above.startswith("state: NJ in 2026: " + NJ_TEXT)
    assert above == within
