"""POST /plan and /plan/report take the claiming-age search (``strategy.search_claiming``,
docs/plan.md "When to claim Social Security"), bounded by work like every other part of a plan:
the request's CPU budget is the larger ``CLAIMING_CPU_SECONDS`` (an explicit opt-in), the
search's expected cost is counted before the Monte Carlo paths are set, and past the budget the
request is refused, 422 on ``case``, naming the search among what costs most."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from api.conftest import EXAMPLES, untimed
from dist401k.api import (
    CANDIDATE_YEAR_SECONDS,
    CLAIMING_CPU_SECONDS,
    PLAN_CPU_SECONDS,
    PLAN_PATH_YEARS,
    REQUEST_PATHS,
    request_paths,
    search_choices,
)
from dist401k.cli import app
from dist401k.planner.household import parse_household

PLANS = EXAMPLES.parent / "plans"


def searched(name: str, **changes) -> dict:
    """A shipped plan file asking for the claiming search, as a request's JSON body."""
    data = yaml.safe_load((PLANS / name).read_text())
    data.setdefault("strategy", {})["search_claiming"] = True
    data.update(changes)
    return json.loads(json.dumps(data, default=str))


def test_a_single_persons_search_through_the_api_is_the_command_lines(client, tmp_path):
    """The same case, the same paths (0): the API's `claiming` (ages, choices tried, the rows
    compared) and the whole plan are `dist401k plan -f json`'s (but the seconds); it was a 422
    on `strategy.search_claiming` before."""
    body = searched("single-retiree.yaml")
    path = tmp_path / "case.json"
    path.write_text(json.dumps(body))
    out = CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--no-monte-carlo"])
    assert out.exit_code == 0, out.output
    cli = untimed(json.loads(out.output))
    r = client.post("/plan?paths=0", json=body)
    assert r.status_code == 200, r.text
    api = untimed(r.json())
    assert api["claiming"] == cli["claiming"]
    assert [c["choice"] for c in api["claiming"]["compared"]] == [
        "best", "full_retirement_age", "last_age"]
    assert api == cli
    report = client.post("/plan/report?paths=0", json=body)
    assert report.status_code == 200, report.text
    assert "When to claim Social Security" in report.text


def test_a_search_past_its_budget_is_refused_naming_the_search(client, monkeypatch):
    """A budget set tiny: 422 on `case`, one line naming `strategy.search_claiming` among what
    costs most and the command line that has no such bound — never left to run."""
    import dist401k.api as api

    monkeypatch.setattr(api, "CLAIMING_CPU_SECONDS", 0.0)
    r = client.post("/plan?paths=0", json=searched("single-retiree.yaml"))
    assert r.status_code == 422, r.text
    [err] = r.json()["detail"]
    assert err["loc"] == ["body", "case"]
    assert "strategy.search_claiming" in err["msg"], err["msg"]
    assert "more than one request may take" in err["msg"] and "dist401k plan" in err["msg"]


def test_a_search_gets_the_larger_budget_not_the_plain_ones(client, monkeypatch):
    """The plain budget spent at once does not stop a search, which runs under its own."""
    import dist401k.api as api

    monkeypatch.setattr(api, "PLAN_CPU_SECONDS", 0.0)
    assert client.post("/plan?paths=0", json=searched("single-retiree.yaml")).status_code == 200
    body = searched("single-retiree.yaml")
    body["strategy"]["search_claiming"] = False
    assert client.post("/plan?paths=0", json=body).status_code == 422


def test_the_search_is_counted_in_the_choices_it_tries():
    """The couple of the reviewer's case: Pat, born March 1964, is 61 in January 2026 and Lee,
    born June 1966, 59, so each may claim at every whole year from 62 to 70 — 9 × 9 = 81 pairs
    — then ±1, 2, 3, 6, 9 months around the best, a person at a time: 2 × 5 × 2 = 20 more; 101
    in all, the number `dist401k plan` reports for it. Robin (single-retiree.yaml, born March 1,
    1961) attains each age on the last day of February (20 CFR 404.102), so 64 y 11 m in January
    2026: that month, then the whole years 65–70 (6), and the 10 months around; 17."""
    pat = {"name": "Pat", "birth_date": "1964-03-15", "life_expectancy": 92,
           "accounts": {"pretax": 800000}, "social_security": {"monthly_at_full_age": 3200}}
    lee = {"name": "Lee", "birth_date": "1966-06-20", "life_expectancy": 90,
           "accounts": {"pretax": 400000}, "social_security": {"monthly_at_full_age": 2100}}
    couple = parse_household({**searched("couple-social-security.yaml"), "start_year": 2026,
                              "people": [pat, lee]})
    assert search_choices(couple) == 101
    assert search_choices(parse_household(searched("single-retiree.yaml"))) == 17


def test_a_couples_search_keeps_the_default_paths_and_a_long_one_runs_fewer():
    """The reviewer's couple (101 choices over 31 years, 2026–2056) is expected to take
    101 × 31 × 10 ms = 31.3 s of the 60: the 28.7 s left is more than a plain request's 20, so
    its Monte Carlo keeps the 2,000 paths a plain request gets. A search whose expected cost
    leaves less runs fewer paths, in proportion, and says why."""
    assert (CLAIMING_CPU_SECONDS, PLAN_CPU_SECONDS, CANDIDATE_YEAR_SECONDS) == (60.0, 20.0, 0.01)
    pat = {"name": "Pat", "birth_date": "1964-03-15", "life_expectancy": 92,
           "accounts": {"pretax": 800000}, "social_security": {"monthly_at_full_age": 3200}}
    lee = {"name": "Lee", "birth_date": "1966-06-20", "life_expectancy": 90,
           "accounts": {"pretax": 400000}, "social_security": {"monthly_at_full_age": 2100}}
    base = {"start_year": 2026, "people": [pat, lee], "spending": {"annual": 110000},
            "strategy": {"search_claiming": True},
            "monte_carlo": {"model": "bootstrap", "paths": 2000, "seed": 1}}
    assert request_paths(parse_household(base), None) == (REQUEST_PATHS, [])
    # Both live to 110: 2026–2076, 51 years; 101 × 51 × 10 ms = 51.51 s, 8.49 s left of 60,
    # 8.49 / 20 of the path-years: 250,000 × 0.4245 = 106,125 → // (51 × 4) = 520 paths.
    long = {**base, "people": [{**pat, "life_expectancy": 112}, {**lee, "life_expectancy": 110}]}
    n, notes = request_paths(parse_household(long), None)
    assert PLAN_PATH_YEARS == 250_000
    assert n == 520
    assert len(notes) == 1 and "claiming-age search (101 choices" in notes[0], notes
    assert "520 market paths, not the 2,000" in notes[0]
