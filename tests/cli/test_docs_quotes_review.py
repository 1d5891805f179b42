"""What the docs quote of the program is what it prints (a review of docs/assess.md, docs/tax.md
and docs/api.md):

* docs/assess.md's `inherited-ten-year-after-rbd` example is the program's output at 130
  columns, as the page says it was made (the §4974(e) note wrapped at another width before);
* docs/tax.md's refusal of a `dist401k tax` output given back as input quotes the words printed
  for `dist401k tax examples/households.csv -o t.csv; dist401k tax t.csv` ("… and 14 more": the
  file's 16 input columns beside 17 figures, three named; it said "and 18 more");
* docs/api.md says `POST /plan` answers the same JSON value as `dist401k plan -f json`, not the
  same bytes: the command line indents it, the API writes it compact;
* docs/tax.md says `dist401k tax --format json`'s `results` repeat the inputs where `POST /tax`'s
  do not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_assess_md_example_is_the_program_s_output_at_130_columns():
    case = ROOT / "examples" / "cases" / "inherited-ten-year-after-rbd.yaml"
    r = CliRunner().invoke(app, ["assess", str(case)], env={"COLUMNS": "130"})
    assert r.exit_code == 0, r.output
    out = "\n".join(line.rstrip() for line in r.stdout.splitlines()).strip("\n")
    doc = (DOCS / "assess.md").read_text(encoding="utf-8")
    block = doc.split("$ dist401k assess examples/cases/inherited-ten-year-after-rbd.yaml\n")[1]
    assert block.split("\n```")[0] == out


def test_tax_md_quotes_the_refusal_of_an_answer_given_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "households.csv").write_bytes((ROOT / "examples" / "households.csv").read_bytes())
    first = CliRunner().invoke(app, ["tax", "households.csv", "-o", "t.csv"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, ["tax", "t.csv"])
    assert again.exit_code == 2, again.output
    said = again.output.removeprefix("error: ").split(": an answer given back")[0]
    assert said.endswith("and 14 more)"), said
    assert said in _one_line((DOCS / "tax.md").read_text(encoding="utf-8"))


def test_api_md_says_post_plan_gives_the_same_json_value_not_the_same_bytes(tmp_path):
    plan = ROOT / "examples" / "plans" / "single-retiree.yaml"
    cli = CliRunner().invoke(app, ["plan", str(plan), "--paths", "0", "-f", "json"])
    assert cli.exit_code == 0, cli.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""))
    body = json.dumps(yaml.safe_load(plan.read_text()), default=str)
    r = client.post("/plan", content=body, params={"paths": 0},
                    headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(cli.stdout)
    assert r.text != cli.stdout and "\n" in cli.stdout.strip() and "\n" not in r.text
    api = _one_line((DOCS / "api.md").read_text(encoding="utf-8"))
    assert "The answer is the bytes of `dist401k plan -f json`" not in api
    assert "The answer is the same JSON value as `dist401k plan -f json`" in api


def test_tax_md_says_the_command_s_results_repeat_the_inputs_and_post_tax_s_do_not(tmp_path):
    units = [{"tax_year": 2025, "filing_status": "single", "wages": 72000}]
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""))
    api = client.post("/tax", json={"units": units}).json()["results"][0]
    (tmp_path / "u.json").write_text(json.dumps(units))
    cli = CliRunner().invoke(app, ["tax", str(tmp_path / "u.json"), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    row = json.loads(cli.stdout)["results"][0]
    assert "wages" in row and "wages" not in api and row["agi"] == api["agi"]
    doc = _one_line((DOCS / "tax.md").read_text(encoding="utf-8"))
    assert "where `POST /tax`'s `results` hold the outputs only, the inputs not repeated" in doc
    assert "the shape of `POST /tax`'s answer" not in doc
