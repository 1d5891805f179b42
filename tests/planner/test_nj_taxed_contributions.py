"""Contributions the state already taxed, in a drawdown plan
(`people[].accounts.state_taxed_contributions`).

New Jersey defers its tax only on 401(k) contributions (N.J.S.A. 54A:6-21): the employee
contributions to a 403(b), a 457(b) or a 414(h) plan were New Jersey income when made (N.J.A.C.
18:35-2.5(a)), and a later payment returns them free of its tax by New Jersey's own rule (the
three-year rule or the General Rule; NJ-1040 instructions; GIT-1 & 2), which needs the payments'
annuity figures a drawdown plan does not have.  The case door answers such a payment "not
covered" (STATE_NJ_TAXED_CONTRIBUTIONS_NOT_FIGURED); the planner did so only for a governmental
457(b) and taxed a 403(b)'s withdrawals in full, saying nothing.  A plan account's
`state_taxed_contributions` now makes a New Jersey year drawing from a plan account refused with
that reason, naming the field.

Pennsylvania does not exclude elective deferrals when made either; a payment before the plan's
conditions for retirement are met recovers them first (the cost recovery method: PA-40
instructions, line 5; 61 Pa. Code §101.6(c)(8)), so what is left of them depends on every earlier
early payment, which the planner's yearly state term cannot follow: such a Pennsylvania year is
refused with the case door's reason for that rule (STATE_PA_COST_RECOVERY), naming the field.
After the conditions are met Pennsylvania does not tax the plan's distributions at all, so the
field changes nothing.

The figures are worked by hand for Lee, single, born May 1, 1970 (56 in 2026), $300,000 of
pre-tax plan money, no wages, no other account, Social Security from 62: in 2026 the only income
is the plan's draw, so the federal AGI is the draw.
- New Jersey: gross income is the AGI (N.J.S.A. 54A:5-1; no pension exclusion before 62,
  54A:6-10), less the $1,000 exemption (54A:3-1); Table A (54A:2-1): 1.4% to $20,000, 1.75% to
  $35,000.
- Pennsylvania: under 59½ and not separated at 55 the draw owes the §72(t) tax, so the plan's
  conditions for retirement are not met: it is compensation taxed at 3.07% (72 P.S. §7301(d),
  §7302), above Schedule SP's forgiveness (eligibility income limit $6,500 single).
- Florida has no personal income tax (Fla. Const. art. VII, §5(a)).
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan
from dist401k.planner.state_tax import _pa_untracked, nj_taxed_contributions
from dist401k.tax.state import StateUnits

# The 457(b) flag's test's retiree (New Jersey, a plan account of $300,000) and its plan.
from planner.test_plan_state_nj_457b import LEE, _plan

LAW = default_law()
FIELD = "people.0.accounts.state_taxed_contributions"
NJ_TEXT = ("State tax not figured: New Jersey taxed the employee contributions to a 403(b), "
           "457(b) or 414(h) plan when they were made")
PA_TEXT = ("Pennsylvania taxes this distribution as compensation (paid before the plan's "
           "conditions for retirement were met) only beyond the contributions it already taxed")


def _case(taxed: float | None = 20000.0, **top) -> dict:
    case = copy.deepcopy(LEE)
    if taxed is not None:
        case["people"][0]["accounts"]["state_taxed_contributions"] = taxed
    case.update(top)
    return case


def _refusal(case: dict) -> InputError:
    with pytest.raises(InputError) as err:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    return err.value


def test_a_new_jersey_403b_with_taxed_contributions_is_refused_with_the_reason_and_field():
    err = _refusal(_case())
    text = str(err)
    assert [p.field for p in err.problems] == ["state"]
    assert text.startswith("state: NJ in 2026: " + NJ_TEXT)
    assert f"holds employee contributions New Jersey already taxed ({FIELD})" in text
    assert "governmental_457b" not in text
    assert "no recovery schedule is assumed" in text
    assert "\n" not in text


def test_both_fields_are_named_where_both_are_given():
    case = _case()
    case["people"][0]["accounts"]["governmental_457b"] = True
    text = str(_refusal(case))
    assert "(people.0.accounts.governmental_457b)" in text and f"({FIELD})" in text


def test_the_field_at_zero_is_the_plan_without_it():
    """Without the field the plan is figured as before: its New Jersey tax is worked by hand in
    tests/planner/test_plan_state_nj_457b.py (the same retiree); the field at 0 changes
    nothing of it."""
    assert _plan(_case(0.0))["table"] == _plan(_case(None))["table"]


def test_the_refusal_is_for_the_new_jersey_years_only():
    # Florida until the move to New Jersey in 2028: that year is the first refused, named by
    # the move's field.
    text = str(_refusal(_case(state="FL", move={"year": 2028, "state": "NJ"})))
    assert text.startswith("move.state: NJ in 2028: " + NJ_TEXT)
    assert f"({FIELD})" in text


def test_a_florida_resident_with_the_field_is_unchanged():
    with_field, without = _plan(_case(state="FL")), _plan(_case(None, state="FL"))
    assert all(r["state_tax"] == 0 for r in with_field["table"])
    assert with_field["table"] == without["table"]


def test_the_field_without_plan_money_changes_nothing_in_new_jersey():
    # All of Lee's pre-tax money in an IRA: no plan account pays, nothing is returned.
    def ira_case(taxed):
        case = _case(taxed)
        case["people"][0]["accounts"].update(pretax=0, ira=300000)
        return case

    assert not nj_taxed_contributions(parse_household(ira_case(20000.0)))
    with_field, without = _plan(ira_case(20000.0))["table"], _plan(ira_case(None))["table"]
    assert [r["state_tax"] for r in with_field] == [r["state_tax"] for r in without]
    assert with_field[0]["state_tax"] > 0


def test_pennsylvania_before_the_retirement_conditions_is_refused_with_cost_recovery():
    err = _refusal(_case(state="PA"))
    text = str(err)
    assert text.startswith("state: PA in 2026: " + PA_TEXT)
    assert "Pennsylvania's tax not figured" in text and f"({FIELD})" in text
    assert "\n" not in text


def test_pennsylvania_without_the_field_taxes_the_early_draw_in_full():
    # 56, no wages, the draw owes the §72(t) tax: compensation, 3.07% of it (AGI = the draw,
    # far above Schedule SP's $6,500).
    row = _plan(_case(None, state="PA"))["table"][0]
    assert row["agi"] > 6500
    assert row["state_tax"] == pytest.approx(0.0307 * row["agi"], abs=0.006)


def test_pennsylvania_after_the_retirement_conditions_is_figured_with_the_field():
    # Born 1955 (71 in 2026), retired: Pennsylvania taxes none of the plan's distributions
    # (72 P.S. §7301(d)) and nothing else is income there (Social Security is not): no tax.
    def old(taxed):
        case = _case(taxed, state="PA")
        case["people"][0].update(birth_date="1955-05-01",
                                 social_security={"monthly_at_full_age": 2000, "claim_age": 70})
        return case

    with_field = _plan(old(20000.0))["table"]
    assert all(r["state_tax"] == 0 for r in with_field)
    assert with_field == _plan(old(None))["table"]


def _units(state: str, plan: float, ira: float, met: bool) -> StateUnits:
    total = plan + ira
    return StateUnits.from_columns({"state": [state], "tax_year": [2026],
                                    "filing_status": ["single"], "age_head": [56],
                                    "federal_agi": [total], "taxable_distributions": [total],
                                    "ira_distributions": [ira],
                                    "plan_retirement_conditions_met": [met]})


@pytest.mark.parametrize("state,plan,ira,met,taxed,unknown", [
    ("PA", 10000.0, 0.0, False, True, True),     # an early plan account's draw: not followed
    ("PA", 10000.0, 5000.0, False, True, True),  # some of it a plan account's
    ("PA", 0.0, 10000.0, False, True, False),    # an IRA's only
    ("PA", 10000.0, 0.0, True, True, False),     # conditions met: exempt, nothing recovered
    ("NJ", 10000.0, 0.0, False, True, False),    # another state (New Jersey's own rule)
    ("PA", 10000.0, 0.0, False, False, False),   # no contributions given
])
def test_what_is_not_followed_is_a_pennsylvania_early_plan_draw(state, plan, ira, met, taxed,
                                                                unknown):
    got = _pa_untracked(_units(state, plan, ira, met), taxed)
    assert bool(np.isnan(got[0])) is unknown
    if not unknown:
        assert got[0] == 0.0


def test_a_negative_amount_is_refused_naming_the_field():
    with pytest.raises(InputError) as err:
        parse_household(_case(-1.0))
    assert [p.field for p in err.value.problems] == [FIELD]


def test_the_command_line_and_the_api_answer_alike(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}"), token=""),
                        raise_server_exceptions=False)

    def cli(case: dict, name: str):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(case))
        return CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--no-monte-carlo"])

    # Florida: the field accepted, the same plan through both doors.
    fl = _case(state="FL")
    r, res = cli(fl, "fl.yaml"), client.post("/plan?paths=0", json=fl)
    assert r.exit_code == 0, r.output
    assert res.status_code == 200, res.text
    assert res.json()["table"] == json.loads(r.output)["table"]
    # New Jersey: refused in one line (exit 2) and with 422, the same words.
    r, res = cli(_case(), "nj.yaml"), client.post("/plan?paths=0", json=_case())
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1, r.output
    assert res.status_code == 422, res.text
    detail = res.json()["detail"]
    assert [".".join(map(str, d["loc"])) for d in detail] == ["body.state"]
    assert detail[0]["msg"] in r.output and FIELD in detail[0]["msg"]
    # A negative amount: exit 2 and 422, naming the field.
    bad = _case(-5.0)
    r, res = cli(bad, "bad.yaml"), client.post("/plan?paths=0", json=bad)
    assert r.exit_code == 2 and FIELD in r.output and "Traceback" not in r.output, r.output
    assert res.status_code == 422, res.text
    assert [".".join(map(str, d["loc"])) for d in res.json()["detail"]] == [f"body.{FIELD}"]
