"""Each person of a plan is born before the plan's first year begins: a birth date on or after
January 1 of `start_year` is refused by the household model, naming `people.N.birth_date`, the
same through every door (CLI exit 2, API 422) — not planned for someone not yet born, and not
refused under another field (docs/plan.md, "The case file"). Before, only the year of birth was
compared with the start year, so a birth later in the start year itself was planned."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.errors import InputError
from dist401k.planner.household import load_household, parse_household

ROOT = Path(__file__).parents[2]


def household(born: str, start: int = 2026, spouse: str | None = None,
              until: int | None = 60) -> dict:
    """One person born on ``born`` (planned until age ``until``; None: the default age, whose
    horizon runs past the law's last year for a baby), after a ``spouse`` if given."""
    people = [{"birth_date": born, "accounts": {"ira": 100_000}}]
    if until is not None:
        people[0]["life_expectancy"] = until
    if spouse is not None:
        people.insert(0, {"birth_date": spouse, "accounts": {"ira": 100_000}})
    return {"start_year": start, "people": people}


@pytest.mark.parametrize("born", ["2026-01-01", "2026-12-25", "2027-03-01"])
def test_a_birth_on_or_after_the_first_january_of_the_start_year_is_refused(born):
    with pytest.raises(InputError) as exc:
        parse_household(household(born))
    problems = exc.value.problems
    assert [p.field for p in problems] == ["people.0.birth_date"], problems
    assert "January 1, 2026" in problems[0].problem
    assert "\n" not in str(exc.value)


def test_the_spouse_is_named_by_position():
    with pytest.raises(InputError) as exc:
        parse_household(household("2026-07-04", spouse="1960-05-05"))
    assert [p.field for p in exc.value.problems] == ["people.1.birth_date"]


@pytest.mark.parametrize(("born", "start", "until"), [
    ("2025-12-31", 2026, 60), ("2026-12-25", 2027, 60), ("1960-01-01", 2026, 90)])
def test_a_birth_before_the_start_year_is_planned(born, start, until):
    hh = parse_household(household(born, start, until=until))
    assert hh.people[0].birth_date.isoformat() == born


def test_no_shipped_plan_is_refused():
    plans = sorted((ROOT / "examples" / "plans").glob("*.yaml"))
    assert plans
    for path in plans:
        load_household(path)


def test_cli_and_api_refuse_it_by_the_field(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.cli import app
    from dist401k.store import Store

    case = household("2026-12-25", until=None)  # refused for its birth, not its horizon
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert "people.0.birth_date" in r.output and "Traceback" not in r.output
    assert "life_expectancy" not in r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}"), token=""),
                        raise_server_exceptions=False)
    res = client.post("/plan?paths=0", json=case)
    assert res.status_code == 422, res.text
    detail = res.json()["detail"]
    assert [".".join(map(str, d["loc"])) for d in detail] == ["body.people.0.birth_date"]
    assert f"people.0.birth_date: {detail[0]['msg']}" in " ".join(r.output.split())
