"""Spending that changes over time: a step down of the base spending from a year
(``spending.changes``) and planned expenses on top of it (``spending.expenses``).

The answers are worked by hand on households whose money is all Roth (no tax), with zero
returns: the money then pays exactly the sum of the years' needs, so the most spending L
solves  Σ_t (L × profile_t × survivor_t + expense_t) × price_t = the money.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.confidence import spending_at_confidence
from dist401k.planner.guardrails import GuytonKlinger, SpendingPath
from dist401k.planner.household import parse_household
from dist401k.planner.plan import Policy, fixed_returns, make_plan, plan_json
from dist401k.planner.simulate import simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
MONEY = 1_000_000.0
DOLLAR = 1.0  # the spending search's and the optimiser's precision, in dollars a year


def _case(spending: dict, inflation: float = 0.0, **extra) -> dict:
    """One person born 1960 (66 in 2026), $1,000,000 of Roth money (qualified: tax-free), no
    other income, zero returns: a plan of 2026–2035 (ten years)."""
    return {"id": "spending-changes", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1960-03-01", "life_expectancy": 75,
                        "accounts": {"roth": MONEY}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": inflation},
            "spending": {"annual": 50_000, "survivor_fraction": 1.0, **spending}, **extra}


def _couple(spending: dict) -> dict:
    """A couple born 1960, $500,000 of Roth money each: Ann's last year is 2030 (70), Bo's
    2035; from 2031 Bo spends the survivor's share."""
    case = _case(spending)
    case["people"] = [{"name": "Ann", "birth_date": "1960-03-01", "life_expectancy": 70,
                       "accounts": {"roth": MONEY / 2}},
                      {"name": "Bo", "birth_date": "1960-06-01", "life_expectancy": 75,
                       "accounts": {"roth": MONEY / 2}}]
    return case


def _plan(case: dict, monte_carlo: bool = False):
    return make_plan(parse_household(case), monte_carlo=monte_carlo)


def _spending(plan, key: str) -> float:
    return next(o.spending_real for o in plan.strategies if o.key == key)


def test_a_step_down_to_half_halfway_raises_the_level_by_a_third():
    """Ten years, the last five at half: 5L + 5 × 0.5L = 7.5L = $1,000,000, so L = $133,333.33
    (a constant spending is $100,000); the need is L the first five years, L/2 after."""
    flat = _plan(_case({}))
    plan = _plan(_case({"changes": [{"from_year": 2031, "fraction": 0.5}]}))
    hand = MONEY / 7.5
    assert _spending(flat, "optimal") == pytest.approx(MONEY / 10, abs=DOLLAR)
    for key in ("optimal", "order"):
        assert _spending(plan, key) == pytest.approx(hand, abs=DOLLAR)
    assert plan.solution.spending_real == pytest.approx(hand, abs=DOLLAR)
    need = [r["need"] for r in plan_json(plan)["table"]]
    level = _spending(plan, "optimal")
    assert need == pytest.approx([level] * 5 + [level / 2] * 5, abs=0.01)


def test_a_step_down_by_age_starts_in_the_year_the_first_person_reaches_it():
    """``from_age: 71`` for one born in 1960: from 2031, the same plan as ``from_year: 2031``."""
    by_age = plan_json(_plan(_case({"changes": [{"from_age": 71, "fraction": 0.5}]})))
    assert by_age["spending"]["changes"][0]["from_year"] == 2031
    assert by_age["strategies"][-1]["spending_real"] == pytest.approx(MONEY / 7.5, abs=DOLLAR)


def test_an_expense_lowers_the_level_by_its_value_over_the_years_of_the_profile():
    """A $50,000 roof in 2028: 10L + 50,000 = 1,000,000, L = $95,000; with the step down too,
    7.5L + 50,000 = 1,000,000, L = $126,666.67; the need of 2028 is L + $50,000."""
    roof = {"year": 2028, "amount": 50_000, "label": "roof"}
    plan = _plan(_case({"expenses": [roof]}))
    assert _spending(plan, "optimal") == pytest.approx(95_000, abs=DOLLAR)
    assert _spending(plan, "order") == pytest.approx(95_000, abs=DOLLAR)
    both = _plan(_case({"expenses": [roof], "changes": [{"from_year": 2031, "fraction": 0.5}]}))
    level = _spending(both, "optimal")
    assert level == pytest.approx(950_000 / 7.5, abs=DOLLAR)
    table = plan_json(both)["table"]
    assert table[2]["need"] == pytest.approx(level + 50_000, abs=0.01)
    assert table[6]["need"] == pytest.approx(level / 2, abs=0.01)


def test_a_run_of_payments_and_inflation_grow_as_asked():
    """At 2% inflation and zero nominal returns, L × Σ 1.02^t (t = 0…9) plus the expenses'
    nominal dollars = $1,000,000. A mortgage of $18,000 a year for 2026–2031 in nominal
    dollars (``indexed: false``) costs 6 × 18,000 = 108,000; a $30,000 car of 2030 in today's
    dollars costs 30,000 × 1.02^4."""
    growth = sum(1.02 ** t for t in range(10))
    mortgage = {"year": 2026, "years": 6, "amount": 18_000, "indexed": False}
    car = {"year": 2030, "amount": 30_000}
    plan = _plan(_case({"expenses": [mortgage, car]}, inflation=0.02))
    hand = (MONEY - 6 * 18_000 - 30_000 * 1.02 ** 4) / growth
    assert _spending(plan, "optimal") == pytest.approx(hand, abs=DOLLAR)
    need = [r["need"] for r in plan_json(plan)["table"]]
    level = _spending(plan, "optimal")
    assert need[0] == pytest.approx(level + 18_000, abs=0.01)
    assert need[4] == pytest.approx(level * 1.02 ** 4 + 18_000 + 30_000 * 1.02 ** 4, abs=0.01)
    assert need[6] == pytest.approx(level * 1.02 ** 6, abs=0.01)


def test_the_survivors_share_cuts_the_spending_but_not_an_expense():
    """A couple, a 0.5 survivor's share from 2031 and a $75,000 expense in 2033: 5L + 5 × 0.5L
    + 75,000 = 1,000,000, L = $123,333.33; the need of 2033 is L/2 + $75,000."""
    case = _couple({"survivor_fraction": 0.5, "expenses": [{"year": 2033, "amount": 75_000}]})
    plan = _plan(case)
    level = _spending(plan, "optimal")
    assert level == pytest.approx(925_000 / 7.5, abs=DOLLAR)
    table = plan_json(plan)["table"]
    assert table[7]["year"] == 2033
    assert table[7]["need"] == pytest.approx(level / 2 + 75_000, abs=0.01)


def test_max_estate_pays_the_scheduled_need_of_the_case_spending():
    """Objective max_estate at $80,000 with the step down and the roof: the estate is what is
    left, 1,000,000 − (5 × 80,000 + 5 × 40,000 + 50,000) = $350,000."""
    case = _case({"annual": 80_000, "changes": [{"from_year": 2031, "fraction": 0.5}],
                  "expenses": [{"year": 2028, "amount": 50_000}]},
                 strategy={"objective": "max_estate"})
    plan = _plan(case)
    opt = next(o for o in plan.strategies if o.key == "optimal")
    assert opt.spending_real == 80_000
    assert opt.estate_real == pytest.approx(350_000, abs=DOLLAR)
    assert plan.solution.estate_real == pytest.approx(350_000, abs=DOLLAR)


def test_a_flat_spending_is_unchanged_by_empty_lists_and_by_a_change_to_one():
    """No changes and no expenses is the constant spending; a change to 1.0 changes nothing."""
    flat = plan_json(_plan(_case({})))
    empty = plan_json(_plan(_case({"changes": [], "expenses": []})))
    assert empty == flat
    assert "spending" not in flat and "need" not in flat["table"][0]
    one = plan_json(_plan(_case({"changes": [{"from_year": 2030, "fraction": 1.0}]})))
    assert one["strategies"] == flat["strategies"]


def test_monte_carlo_paths_of_the_fixed_returns_have_the_fixed_need():
    """Three paths that are each the fixed returns (zero volatility): each path's need is the
    hand schedule, as the fixed plan's."""
    case = _case({"changes": [{"from_year": 2031, "fraction": 0.5}],
                  "expenses": [{"year": 2028, "amount": 50_000}]}, inflation=0.02)
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    level = 100_000.0
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T, 3), Policy("order"),
                   np.full(3, level))
    price = 1.02 ** np.arange(10)
    profile = np.array([1.0] * 5 + [0.5] * 5)
    expense = np.where(np.arange(10) == 2, 50_000.0, 0.0)
    hand = (level * profile + expense) * price
    for row in res["need"]:
        assert row == pytest.approx(hand, abs=1e-6)


def test_the_spending_at_a_confidence_searches_the_level():
    """On paths that are all the fixed returns every candidate succeeds on all or none, so the
    spending at 90% is the most the fixed plan pays: $133,333.33 with the step down."""
    hh = parse_household(_case({"changes": [{"from_year": 2031, "fraction": 0.5}]}))
    tl = build_timeline(hh, LAW)
    c = spending_at_confidence(hh, tl, LAW, (fixed_returns(hh, LAW, tl.T, 5), None),
                               Policy("order"), 0.9, 100_000)
    assert c.spending_real == pytest.approx(MONEY / 7.5, rel=c.tolerance)
    assert c.spending_real <= MONEY / 7.5 + DOLLAR


def _state(t: int, savings: float, price: float = 1.0):
    return SimpleNamespace(t=t, price=np.array([price]), widowed=np.array([False]),
                           balances=SimpleNamespace(invested=lambda: np.array([savings])))


def test_a_guardrail_steps_down_with_the_profile_and_pays_the_expenses_on_top():
    """Guyton–Klinger from $40,000 on $1,000,000 (a 4% rate), no inflation: the step down to
    half in year 1 is planned, so the rate of 2% on the same savings is the planned rate and
    no raise follows; the $10,000 expense of year 1 is paid on top."""
    profile = np.array([1.0, 0.5, 0.5])
    real = np.array([0.0, 10_000.0, 0.0])
    path = SpendingPath(GuytonKlinger(), 40_000, np.zeros((1, 3)), 1.0, None,
                        (profile, real, np.zeros(3)))
    assert path(_state(0, MONEY)) == pytest.approx([40_000])
    assert path(_state(1, MONEY)) == pytest.approx([20_000 + 10_000])
    assert path(_state(2, MONEY)) == pytest.approx([20_000])
    # Without the plan, the same halving would be read as prosperity: a 10% raise.
    plain = SpendingPath(GuytonKlinger(), 40_000, np.zeros((1, 3)))
    plain(_state(0, MONEY))
    assert plain(_state(1, 2 * MONEY)) == pytest.approx([44_000])


def test_a_first_year_planned_at_nothing_still_sets_the_guardrails():
    """Guyton–Klinger from a $40,000 level on $1,000,000 (4%), the first year planned at 0 and
    full from the next, savings unchanged, no inflation: the guardrails are set around 4% of the
    level, so year 1's $40,000 (4%) is inside them and stays — no 10% cut a year, as a rate of
    0 set from the empty first year would give (0, 36,000, 32,400, ...)."""
    profile = np.array([0.0, 1.0, 1.0, 1.0])
    path = SpendingPath(GuytonKlinger(), 40_000, np.zeros((1, 4)), 1.0, None,
                        (profile, np.zeros(4), np.zeros(4)))
    assert [float(path(_state(t, MONEY))[0]) for t in range(4)] == pytest.approx(
        [0, 40_000, 40_000, 40_000])


def test_a_guardrail_plan_reports_its_base_spending():
    """The guardrail's spending over the fixed plan is the mean of its base spending, the
    expenses left out (they are paid on top)."""
    case = _case({"expenses": [{"year": 2028, "amount": 50_000}]},
                 guardrails={"guyton_klinger": True, "initial_spending": 60_000})
    plan = _plan(case)
    gk = next(o for o in plan.strategies if o.key == "guyton_klinger")
    spent = gk.result["spending"][0]
    assert gk.spending_real == pytest.approx((spent.sum() - 50_000) / 10, abs=0.01)


@pytest.mark.parametrize("spending, field, words", [
    ({"changes": [{"from_year": 2025, "fraction": 0.8}]}, "spending.changes.0.from_year",
     "outside the plan"),
    ({"changes": [{"from_year": 2036, "fraction": 0.8}]}, "spending.changes.0.from_year",
     "2026–2035"),
    ({"changes": [{"from_age": 60, "fraction": 0.8}]}, "spending.changes.0.from_age",
     "reached in 2020"),
    ({"changes": [{"fraction": 0.8}]}, "spending.changes.0", "from_year or from_age"),
    ({"changes": [{"from_year": 2030, "from_age": 70, "fraction": 0.8}]}, "spending.changes.0",
     "one of them"),
    ({"changes": [{"from_year": 2030, "fraction": 0.8}, {"from_year": 2028, "fraction": 0.5}]},
     "spending.changes.1.from_year", "increasing order"),
    ({"changes": [{"from_year": 2030, "fraction": 0.8}, {"from_age": 70, "fraction": 0.5}]},
     "spending.changes.1.from_age", "the year of the change before it (2030)"),
    ({"changes": [{"from_year": 2030, "fraction": -0.1}]}, "spending.changes.0.fraction", ""),
    ({"changes": [{"from_year": 2030, "fraction": 11}]}, "spending.changes.0.fraction", ""),
    ({"expenses": [{"year": 2030, "amount": -5}]}, "spending.expenses.0.amount", ""),
    ({"expenses": [{"year": 2040, "amount": 5}]}, "spending.expenses.0.year", "outside"),
    ({"expenses": [{"year": 2030, "amount": 5, "years": 7}]}, "spending.expenses.0.years",
     "past the plan's last year (2035)"),
    ({"expenses": [{"year": 2030, "amount": 5, "years": 0}]}, "spending.expenses.0.years", ""),
])
def test_a_change_or_expense_out_of_bounds_is_refused_by_name(spending, field, words):
    with pytest.raises(InputError) as exc:
        parse_household(_case(spending))
    named = {p.field: p.problem for p in exc.value.problems}
    assert field in named, named
    assert words in named[field]


def test_a_non_finite_amount_is_refused_by_name():
    with pytest.raises(InputError) as exc:
        parse_household(_case({"expenses": [{"year": 2030, "amount": math.inf}]}))
    assert "spending.expenses.0.amount" in {p.field for p in exc.value.problems}


def test_expenses_nothing_can_pay_are_named():
    """$2,000,000 of expenses from $1,000,000: no level pays them; the field is named."""
    case = _case({"expenses": [{"year": 2030, "amount": 2_000_000}]})
    with pytest.raises(InputError) as exc:
        _plan(case)
    assert "spending.expenses" in {p.field for p in exc.value.problems}


def _client(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    return TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}")),
                      raise_server_exceptions=False)


def same_plan_in_cli_and_api(case: dict, tmp_path):
    """The plan of ``case`` by `dist401k plan -f json` and by ``POST /plan``: the same JSON
    (returned, with the API client and the case file to reuse)."""
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo", "-f", "json"])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.output)
    client = _client(tmp_path)
    assert client.post("/plan?paths=0", json=case).json() == cli
    return cli, client, path


def refused_alike(bad: dict, path, client, loc: list) -> None:
    """``bad`` refused by the CLI (exit 2, one line naming the field, no traceback) and by
    the API (422 at ``loc``)."""
    path.write_text(yaml.safe_dump(bad))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2 and ".".join(map(str, loc[1:])) in r.output, r.output
    assert "Traceback" not in r.output
    res = client.post("/plan?paths=0", json=bad)
    assert res.status_code == 422
    assert [d["loc"] for d in res.json()["detail"]] == [loc]


def test_cli_and_api_give_the_same_plan_and_refusal(tmp_path):
    cli, client, path = same_plan_in_cli_and_api(
        _case({"changes": [{"from_year": 2031, "fraction": 0.5}],
               "expenses": [{"year": 2028, "amount": 50_000, "label": "roof"}]}), tmp_path)
    assert cli["spending"]["expenses"][0]["label"] == "roof"
    assert cli["strategies"][-1]["spending_real"] == pytest.approx(950_000 / 7.5, abs=DOLLAR)
    refused_alike(_case({"changes": [{"from_year": 2040, "fraction": 0.5}]}), path, client,
                  ["body", "spending", "changes", 0, "from_year"])
