"""A governmental 457(b) drawn in New Jersey (`people[].accounts.governmental_457b`).

New Jersey defers its tax only on 401(k) contributions (N.J.S.A. 54A:6-21): the employee
contributions to a 403(b) or a 457 plan were New Jersey income when made (N.J.A.C.
18:35-2.5(a)), and a payment returns them free of its tax by New Jersey's own rule (the
three-year rule or the General Rule; NJ-1040 instructions, "Pensions, Annuities, and IRA
Withdrawals"; GIT-1 & 2).  That rule needs each payment's annuity figures, which a drawdown plan
does not have, so a New Jersey year drawing on a governmental 457(b) is refused with New
Jersey's reason and the field that made it, as the outcome door answers such a payment "not
covered".  Before, the plan taxed the whole draw ($411.25 in the first year below) and said
nothing.

The New Jersey figures are worked by hand for Lee, single, born May 1, 1970 (56 in 2026), $300,000
of pre-tax plan money, no wages, Social Security from 62: in 2026 the only income is the draw,
so New Jersey gross income is the federal AGI (N.J.S.A. 54A:5-1; no pension exclusion before
62, 54A:6-10); less the $1,000 exemption (54A:3-1); Table A (54A:2-1): 1.4% to $20,000, 1.75%
to $35,000.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import _nj_recovered
from dist401k.tax.state import StateUnits

LAW = default_law()
CODE_TEXT = ("State tax not figured: New Jersey taxed the employee contributions to a 403(b), "
             "457(b) or 414(h) plan when they were made")

LEE = {"start_year": 2026, "state": "NJ",
       "people": [{"name": "Lee", "birth_date": "1970-05-01", "life_expectancy": 90,
                   "social_security": {"monthly_at_full_age": 2000, "claim_age": 62},
                   "accounts": {"pretax": 300000}}],
       "spending": {"annual": 40000}}


def _case(governmental_457b: bool, **top) -> dict:
    case = copy.deepcopy(LEE)
    case["people"][0]["accounts"]["governmental_457b"] = governmental_457b
    case.update(top)
    return case


def _plan(case: dict) -> dict:
    return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))


def _refusal(case: dict) -> str:
    with pytest.raises(InputError) as err:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    return str(err.value)


def test_a_governmental_457b_drawn_in_new_jersey_is_refused_with_its_reason_and_field():
    text = _refusal(_case(True))
    assert text.startswith("state: NJ in 2026: " + CODE_TEXT)
    assert "(people.0.accounts.governmental_457b)" in text
    assert "no recovery schedule is assumed" in text
    assert "\n" not in text


def test_the_command_line_says_it_in_one_line_and_exits_2(tmp_path):
    import yaml

    path = tmp_path / "nj457.yaml"
    path.write_text(yaml.safe_dump(_case(True)))
    r = CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert "people.0.accounts.governmental_457b" in r.output
    assert "Traceback" not in r.output


def test_a_new_jersey_plan_without_a_457b_keeps_its_tax():
    # 2026: NJ gross income = federal AGI (the draw alone); taxable = AGI − 1,000;
    # tax = 1.4% × 20,000 + 1.75% × (taxable − 20,000), as long as taxable is within 35,000.
    row = _plan(_case(False))["table"][0]
    assert row["year"] == 2026
    taxable = row["agi"] - 1000.0
    assert 20000.0 < taxable < 35000.0
    assert row["state_tax"] == pytest.approx(0.014 * 20000 + 0.0175 * (taxable - 20000),
                                             abs=0.006)


def test_the_refusal_is_for_the_new_jersey_years_only():
    # In Florida (no income tax) until the move to New Jersey in 2028: that year is the one
    # refused, named by the move's field.
    text = _refusal(_case(True, state="FL", move={"year": 2028, "state": "NJ"}))
    assert text.startswith("move.state: NJ in 2028: " + CODE_TEXT)
    # Florida for good: a governmental 457(b) is planned as before (no state tax).
    table = _plan(_case(True, state="FL"))["table"]
    assert all(r["state_tax"] == 0 for r in table)


def test_a_457b_flag_without_plan_money_changes_nothing():
    # All of Lee's pre-tax money in an IRA: no plan account pays, nothing New Jersey taxed is
    # returned (the flag is on a plan account that holds nothing).
    def ira_case(flag: bool) -> dict:
        case = _case(flag)
        case["people"][0]["accounts"].update(pretax=0, ira=300000)
        return case

    with_flag, without = _plan(ira_case(True))["table"], _plan(ira_case(False))["table"]
    assert [r["state_tax"] for r in with_flag] == [r["state_tax"] for r in without]
    assert with_flag[0]["state_tax"] > 0


def _units(plan: float, ira: float, pension: float, state: str = "NJ") -> StateUnits:
    total = plan + ira + pension
    u = StateUnits.from_columns({"state": [state], "tax_year": [2026],
                                 "filing_status": ["single"], "age_head": [56],
                                 "federal_agi": [total], "taxable_distributions": [total],
                                 "ira_distributions": [ira],
                                 "periodic_distributions": [pension]})
    return u


@pytest.mark.parametrize("plan,ira,pension,state,taxed,unknown", [
    (10000.0, 0.0, 0.0, "NJ", True, True),       # a plan account's draw: not known
    (10000.0, 5000.0, 0.0, "NJ", True, True),    # some of it a plan account's
    (0.0, 10000.0, 0.0, "NJ", True, False),      # an IRA's only
    (0.0, 0.0, 10000.0, "NJ", True, False),      # a pension's only
    (10000.0, 0.0, 0.0, "NY", True, False),      # another state
    (10000.0, 0.0, 0.0, "NJ", False, False),     # no governmental 457(b)
])
def test_what_is_not_known_is_a_new_jersey_plan_accounts_draw(plan, ira, pension, state,
                                                              taxed, unknown):
    got = _nj_recovered(_units(plan, ira, pension, state), taxed)
    assert bool(np.isnan(got[0])) is unknown
    if not unknown:
        assert got[0] == 0.0
