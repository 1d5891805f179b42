"""`dist401k assess` and `dist401k schema`: every example answers, the JSON fields are stable,
every reason carries a citation, bad cases exit 2 naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.routes import ROUTES

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "cases").glob("*.yaml"))
runner = CliRunner()

ROUTE_FIELDS = {"route", "source", "eligible", "available", "reasons"}
OUTCOME_FIELDS = {"route", "destination", "gross", "taxable", "nontaxable", "withholding",
                  "income_tax_increase", "additional_tax_72t", "net_cash", "form_1099r_codes",
                  "after_all_taxes", "notices", "deadlines", "reasons"}


def assess_json(path) -> dict:
    r = runner.invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_at_least_ten_examples_reach_every_route():
    assert len(EXAMPLES) >= 10
    reached = set()
    for path in EXAMPLES:
        out = assess_json(path)
        reached |= {s["route"] for s in out["route_summary"] if s["eligible"]}
        for row in out["routes"]:
            assert ROUTE_FIELDS <= set(row)
            for reason in row["reasons"]:
                assert reason["text"] and reason["citation"]
        for row in out["outcomes"]:
            assert OUTCOME_FIELDS <= set(row)
            assert row["reasons"], row
            for reason in row["reasons"]:
                assert reason["text"] and reason["citation"]
            assert row["gross"] == pytest.approx(row["taxable"] + row["nontaxable"], abs=0.02)
    assert reached == set(ROUTES)


def test_table_output_and_demo_case():
    r = runner.invoke(app, ["assess", str(EXAMPLES[0])])
    assert r.exit_code == 0 and "Ways out now" in r.output


def test_the_table_shows_the_lines_of_forms_5329_and_8606_the_json_gives():
    # The loan in default (docs/forms.md): 10,267.40 deemed, code 1L, no exception: Form 5329
    # line 1 10,267, line 4 1,027, not to be filed (code 1 and the tax on all of it).
    path = EXAMPLES[0].parent / "loan-default.yaml"
    deemed = next(o for o in assess_json(path)["outcomes"] if o["route"] == "loan_deemed")
    assert deemed["form_5329"]["line_4"] == pytest.approx(1026.74)
    r = runner.invoke(app, ["assess", str(path)], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if line.strip().startswith("loan deemed")
               and "10,267" in line and "1,027" in line and "1L" not in line)
    assert row.split()[-4:] == ["1,027", "no", "—", "—"]
    # A backdoor Roth beside a rollover to a traditional IRA: line 18 as the JSON gives it.
    path = EXAMPLES[0].parent / "annuity-pitch-backdoor.yaml"
    rolled = next(o for o in assess_json(path)["outcomes"]
                  if o["destination"] == "traditional_ira")
    r = runner.invoke(app, ["assess", str(path)], env={"COLUMNS": "160"})
    assert "Your return: Forms 5329 and 8606" in r.output
    assert f"{rolled['form_8606']['line_18']:,.0f}" in next(
        line for line in r.output.splitlines() if "traditional ira" in line
        and line.split()[-1] == "—")


def test_bad_case_exits_2_with_the_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("person: {birth_date: 1970-01-01}\nplan: {type: 401k}\nincome: {wages: .inf}\n"
                   "account: {sources: {}}\nrequest: {date: 2026-11-23}\n")
    r = runner.invoke(app, ["assess", str(bad)])
    assert r.exit_code == 2
    assert "income.wages" in r.output and "finite" in r.output
    r = runner.invoke(app, ["assess", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "no such file" in r.output


def test_schema_describes_the_case():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert {"person", "plan", "account", "request"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"person", "plan", "account", "request"}


def test_version_prints_the_law_version():
    from dist401k.law import default_law

    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and default_law().version in r.output
