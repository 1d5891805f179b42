"""A /plan request does bounded Monte Carlo work: the paths asked for, fewer where the
household's years, strategies and searches would take more than one request may compute —
said in a note; the command line keeps every path asked for."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from api.conftest import EXAMPLES, untimed
from dist401k.api import (
    CONFIDENCE_RUNS,
    PLAN_PATH_YEARS,
    RANDOM_LIFETIME_COST,
    REQUEST_PATHS,
    request_paths,
)
from dist401k.planner.household import parse_household

PLANS = EXAMPLES.parent / "plans"


def household(name: str, sex: str | None = None, **changes) -> object:
    data = yaml.safe_load((PLANS / name).read_text())
    for p in data["people"]:
        p["sex"] = sex or p.get("sex")
    for path, value in changes.items():
        *head, last = path.split(".")
        node = data
        for k in head:
            node = node.setdefault(k, {})
        node[last] = value
    return parse_household(data)


def years_of(hh) -> int:
    return max(p.birth_date.year + p.life_expectancy for p in hh.people) - hh.start_year + 1


def test_an_ordinary_plan_keeps_the_paths_asked_for():
    hh = household("single-retiree.yaml")
    assert request_paths(hh, 500) == (500, [])
    assert request_paths(hh, 0) == (0, [])


def test_a_confidence_search_runs_fewer_paths_and_says_so():
    hh = household("couple-social-security.yaml", **{"monte_carlo.confidence": 0.9})
    n, notes = request_paths(hh, 2_000)
    runs = 4 + CONFIDENCE_RUNS
    assert n == PLAN_PATH_YEARS // (years_of(hh) * runs) < 2_000
    assert len(notes) == 1 and f"{n:,} market paths" in notes[0] and "2,000" in notes[0]


@settings(max_examples=40, deadline=None)
@given(asked=st.integers(1, 2_000), confidence=st.booleans(), gk=st.booleans(),
       risk=st.booleans(), random_lives=st.booleans())
def test_the_work_of_a_request_stays_within_its_bound(asked, confidence, gk, risk,
                                                      random_lives):
    changes = {"guardrails.guyton_klinger": gk, "guardrails.risk_based": risk}
    if confidence:
        changes["monte_carlo.confidence"] = 0.9
    if random_lives:
        changes["monte_carlo.lifetimes"] = "random"
    hh = household("couple-social-security.yaml", sex="female" if random_lives else None,
                   **changes)
    n, notes = request_paths(hh, asked)
    runs = (4 + gk + risk + (CONFIDENCE_RUNS if confidence else 0)) * (
        RANDOM_LIFETIME_COST if random_lives else 1)
    assert 1 <= n <= asked
    assert n == asked or n * years_of(hh) * runs <= PLAN_PATH_YEARS
    assert bool(notes) == (n < asked)


def test_without_paths_a_request_runs_the_cases_own():
    """The query's ``paths`` left out, a request runs the case's ``monte_carlo.paths`` (as the
    command line does), at most REQUEST_PATHS, with a note where it runs fewer."""
    hh = household("single-retiree.yaml", **{"monte_carlo.paths": 300})
    assert request_paths(hh, None) == (300, [])
    assert request_paths(hh, 40) == (40, [])
    big = household("single-retiree.yaml", **{"monte_carlo.paths": 50_000})
    n, notes = request_paths(big, None)
    assert n == REQUEST_PATHS
    assert notes == [f"Monte Carlo over {REQUEST_PATHS:,} market paths, not the 50,000 asked "
                     f"for: one request runs at most {REQUEST_PATHS:,}; `dist401k plan --paths "
                     "N` has no such limit."]


def test_the_same_case_gives_the_same_plan_through_the_api_and_the_command_line(client,
                                                                               tmp_path):
    """Every door, the same answer: a case with its own Monte Carlo paths, posted without
    ``paths`` and run by ``dist401k plan -f json``, gives the same JSON (but the seconds)."""
    import json

    from typer.testing import CliRunner

    from dist401k.cli import app

    data = yaml.safe_load((PLANS / "single-retiree.yaml").read_text())
    data["monte_carlo"] = {"paths": 60, "seed": 7, "model": "lognormal"}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, default=str))
    out = CliRunner().invoke(app, ["plan", str(path), "-f", "json"])
    assert out.exit_code == 0, out.output
    r = client.post("/plan", json=json.loads(path.read_text()))
    assert r.status_code == 200, r.text
    cli_plan, api_plan = untimed(json.loads(out.output)), untimed(r.json())
    assert api_plan["strategies"][0]["monte_carlo"]["paths"] == 60
    assert api_plan == cli_plan



def test_the_historical_model_runs_every_start_year_within_the_bound():
    """The historical model runs every start year whose sequence fits in the data, whatever
    the paths asked: a request keeps them all (no note of fewer paths) — and that work stays
    within the bound for any plan length and the most strategy runs a request may hold."""
    from dist401k.planner.returns import start_years

    hh = household("single-retiree.yaml", **{"monte_carlo.model": "historical",
                                              "monte_carlo.confidence": 0.9})
    assert request_paths(hh, 2_000) == (2_000, [])
    most_runs = (4 + 2 + CONFIDENCE_RUNS) * RANDOM_LIFETIME_COST
    for years in range(1, 76):
        assert len(start_years(years)) * years * most_runs <= PLAN_PATH_YEARS, years


def test_a_plan_past_the_cpu_budget_is_refused_naming_what_costs(client, monkeypatch):
    """Every simulated year and every pass of the optimiser counts against one request's CPU
    budget (dist401k.planner.budget): a request past it is refused, 422, one line naming the
    `case` and what it asked that costs most — never left to run (a reviewer's household took
    53 s of CPU before)."""
    import json

    import dist401k.api as api

    monkeypatch.setattr(api, "PLAN_CPU_SECONDS", 0.0)
    body = json.loads(json.dumps(
        yaml.safe_load((PLANS / "single-retiree-guardrails.yaml").read_text()), default=str))
    r = client.post("/plan?paths=50", json=body)
    assert r.status_code == 422
    [err] = r.json()["detail"]
    assert err["loc"] == ["body", "case"]
    assert "more than one request may take" in err["msg"] and "dist401k plan" in err["msg"]
    assert "monte_carlo.confidence" in err["msg"] and "the guardrails" in err["msg"]
    monkeypatch.setattr(api, "PLAN_CPU_SECONDS", 60.0)
    assert client.post("/plan?paths=0", json=body).status_code == 200


def test_the_budget_stops_the_planner_and_the_command_line_has_none():
    import pytest

    from dist401k.law import default_law
    from dist401k.planner.budget import WorkBudgetExceeded, check_budget, work_budget
    from dist401k.planner.plan import make_plan

    hh = household("single-retiree.yaml")
    with pytest.raises(WorkBudgetExceeded), work_budget(0.0):
        make_plan(hh, monte_carlo=False)
    check_budget()  # outside a budget: nothing to stop
    assert make_plan(hh, monte_carlo=False, law=default_law()) is not None
