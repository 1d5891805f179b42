"""A plan's first Roth contribution year cannot be after the plan's first year while the person
already holds Roth money then: the five-year period begins with the taxable year of the first
contribution (Treas. Reg. §1.408A-6, Q&A-2 for a Roth IRA; §1.402A-1, Q&A-4 for a designated
Roth account), and money on hand on January 1 of the start year was contributed in that year
or before. Refused as one line naming the field, the same through both doors of the planner:
the command line (exit 2) and the API (422). The reviewer's household: $90,000 of Roth money,
a plan from 2027, "first Roth contribution" 2030."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.planner.household import parse_household
from dist401k.store import Store

FIELD = "people.0.accounts.roth_first_year"


def _plan(first_year: int | None, roth: float = 90_000) -> dict:
    accounts: dict = {"pretax": 600_000, "roth": roth}
    if first_year is not None:
        accounts["roth_first_year"] = first_year
    return {"start_year": 2027,
            "people": [{"birth_date": "1962-03-15", "life_expectancy": 92, "accounts": accounts}],
            "spending": {"annual": 70_000}}


def test_a_first_roth_year_after_the_start_with_roth_money_is_refused_in_the_model():
    with pytest.raises(InputError) as exc:
        parse_household(_plan(2030))
    fields = [p.field for p in exc.value.problems]
    assert fields == [FIELD]
    assert "§1.408A-6" in exc.value.problems[0].problem


@pytest.mark.parametrize(("first_year", "roth"), [(2027, 90_000), (2012, 90_000), (None, 90_000),
                                                  (2030, 0)])
def test_a_first_roth_year_not_after_the_start_or_with_no_roth_money_is_taken(first_year, roth):
    """The start year itself (a contribution on January 1 of it), any year before, none given,
    or a later year with no Roth money yet (a first conversion or contribution still to come)."""
    hh = parse_household(_plan(first_year, roth))
    assert hh.people[0].accounts.roth_first_year == first_year


def test_the_command_line_exits_2_naming_the_field(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan(2030)))
    out = CliRunner().invoke(app, ["plan", str(path), "-f", "json"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith("error: ") and FIELD in out.output
    assert len(out.output.strip().splitlines()) == 1, out.output
    assert "Traceback" not in out.output


def test_the_api_answers_422_naming_the_field(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""))
    r = client.post("/plan?paths=0", json=_plan(2030))
    assert r.status_code == 422, r.text
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "people", 0, "accounts",
                                                        "roth_first_year"]]
