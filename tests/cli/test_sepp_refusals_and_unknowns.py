"""A 72(t) series through the command line's doors (docs/reliability.md: one line and exit 2 for
bad input, never "internal error"; what comes out is valid JSON).

- `compare` and `report` exited 70 "internal error (InputError)" for a series whose first
  payment is before 2022, which `sepp` and the API refuse in one line: dist401k holds the life
  expectancy tables of Notice 2022-6, in force from 2022.
- `sepp -f json` wrote bare ``NaN`` tokens (RFC 8259 has none) where the joint and last
  survivor table shipped has no entry (a beneficiary not more than ten years younger); the API
  answers ``null``.  CSV and the table printed ``nan``.
- A case without a ``sepp`` section was described in other words by the API than by the
  command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app as cli
from dist401k.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
BEFORE_2022 = ("sepp.first_payment_date: dist401k holds the life expectancy tables in force "
               "from 2022 (Notice 2022-6); a series that began earlier used the older tables")
runner = CliRunner()


def _sepp_case(**sepp) -> dict:
    case = json.loads(json.dumps(yaml.safe_load((EXAMPLES / "sepp-early-retiree.yaml")
                                                .read_text()), default=str))
    case["sepp"].update(sepp)
    return case


def _written(tmp_path: Path, case: dict) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False))
    return path


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("command", [["compare"], ["compare", "-f", "json"], ["sepp"]])
def test_a_series_before_2022_is_one_line_and_exit_2(tmp_path, command):
    path = _written(tmp_path, _sepp_case(first_payment_date="2021-06-01"))
    out = runner.invoke(cli, [*command, str(path)])
    assert out.exit_code == 2, out.output
    assert _lines(out.output) == [f"error: case.yaml: {BEFORE_2022}"]


@pytest.mark.parametrize("command", [["compare"], ["sepp"]])
def test_a_series_in_1800_is_told_as_a_problem_list_and_exit_2(tmp_path, command):
    """1800: before the tables and before the owner's birth, two problems listed."""
    out = runner.invoke(cli, [*command, str(_written(tmp_path, _sepp_case(
        first_payment_date="1800-01-01")))])
    assert out.exit_code == 2, out.output
    assert _lines(out.output)[0] == "error: case.yaml: 2 problem(s)", out.output
    assert f"  {BEFORE_2022}" in _lines(out.output)


def test_report_refuses_it_too_and_writes_nothing(tmp_path):
    path = _written(tmp_path, _sepp_case(first_payment_date="2021-06-01"))
    report = tmp_path / "report.html"
    out = runner.invoke(cli, ["report", str(path), "-o", str(report)])
    assert out.exit_code == 2, out.output
    assert _lines(out.output) == [f"error: case.yaml: {BEFORE_2022}"]
    assert not report.exists()


def _no_constant(token: str):
    raise ValueError(f"not JSON: {token}")


#: The owner of the example was born 1969-03-10: a beneficiary of the same age is not more
#: than ten years younger, so the joint table shipped (beneficiaries more than ten years
#: younger only, SP_JOINT_NOT_HELD) has no life expectancy for the pair.
SAME_AGE = {"table": "joint", "beneficiary_birth_date": "1969-03-10"}


def test_sepp_json_is_strict_json_with_null_for_the_unknown_life_expectancy(tmp_path):
    out = runner.invoke(cli, ["sepp", str(_written(tmp_path, _sepp_case(**SAME_AGE))),
                              "-f", "json"])
    assert out.exit_code == 0, out.output
    answer = json.loads(out.output, parse_constant=_no_constant)
    assert answer["available"] is False
    assert "SP_JOINT_NOT_HELD" in [r["code"] for r in answer["reasons"]]
    assert answer["first_year"]["life_expectancy"] is None
    assert answer["first_year"]["amortization_factor"] is None
    assert {row["life_expectancy"] for row in answer["schedule"]} == {None}


def test_the_command_line_and_the_api_give_the_same_answer(tmp_path):
    case = _sepp_case(**SAME_AGE)
    cli_answer = json.loads(runner.invoke(cli, ["sepp", str(_written(tmp_path, case)),
                                                "-f", "json"]).output)
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    api = client.post("/sepp", json=case)
    assert api.status_code == 200, api.text
    assert api.json()["first_year"] == cli_answer["first_year"]
    assert api.json()["schedule"] == cli_answer["schedule"]


def test_sepp_csv_leaves_the_unknown_cell_empty(tmp_path):
    out = runner.invoke(cli, ["sepp", str(_written(tmp_path, _sepp_case(**SAME_AGE))),
                              "-f", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert rows and {r["life_expectancy"] for r in rows} == {""}
    assert "nan" not in out.output.lower()


def test_sepp_table_shows_a_dash_for_the_unknown(tmp_path):
    out = runner.invoke(cli, ["sepp", str(_written(tmp_path, _sepp_case(**SAME_AGE)))],
                        env={"COLUMNS": "120"})
    assert out.exit_code == 0, out.output
    assert "nan" not in out.output.lower()
    assert "Life expectancy (joint table) —; amortization factor —;" in out.output


def test_a_missing_sepp_section_in_the_same_words_at_every_door(tmp_path):
    case = _sepp_case()
    del case["sepp"]
    out = runner.invoke(cli, ["sepp", str(_written(tmp_path, case))])
    assert out.exit_code == 2, out.output
    (line,) = _lines(out.output)
    prefix = "error: case.yaml: sepp: "
    assert line.startswith(prefix), line
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    api = client.post("/sepp", json=case)
    assert api.status_code == 422, api.text
    assert [(d["loc"], d["msg"]) for d in api.json()["detail"]] == [
        (["body", "sepp"], line.removeprefix(prefix))]
