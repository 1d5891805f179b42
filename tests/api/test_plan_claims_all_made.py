"""A claiming search where every claim was already made: nothing is searched (``candidates`` 0,
no rows, docs/plan.md "When to claim Social Security"), and every door still gives the plan — the
terminal, the ``-o`` report and POST /plan/report — with the sentence on the claim kept.  They all
stopped on an internal error (StopIteration: the Assumptions looked for the "best" row) before.

Ruth, born 1951-03-15, is 74 in January 2026; her ``claim_age`` 66 was reached in March 2017, so
the claim was made nine years before the plan's start.  An application can be withdrawn only
within 12 months of the first month of entitlement (20 CFR 404.640(a)(4)): it is kept, not
searched, and there is nobody else to search."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from dist401k.cli import app

WIDOW = yaml.safe_load("""
id: widow
start_year: 2026
state: PA
people:
  - name: Ruth
    birth_date: 1951-03-15
    sex: female
    life_expectancy: 95
    social_security: {monthly_at_full_age: 2600, claim_age: 66}
    accounts: {ira: 900000, roth: 150000, roth_first_year: 2010}
cash: 20000
spending: {annual: 70000, bequest: 0}
charity: {annual: 10000, qcd: true}
market: {stocks: 0.07, bonds: 0.04, cash: 0.03, stock_share: 0.5}
strategy: {objective: max_spending, heirs_rate: 0.24, search_claiming: true}
monte_carlo: {paths: 500, seed: 3}
magi_history: [90000, 90000]
""")
BODY = json.loads(json.dumps(WIDOW, default=str))
KEPT = "Claimed before the plan's start, kept as the case says and not searched: Ruth at 66 y 0 m."
ASSUMED = ("Social Security claiming ages: not searched, every claim made before the plan's start "
           "and kept: Ruth 66 y 0 m.")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_terminal_gives_the_plan_and_the_claim_kept(tmp_path):
    """`dist401k plan --paths 0`: the tables, then the words instead of an empty claiming table,
    exit 0 (it printed the tables, then `internal error (StopIteration)`, exit 70)."""
    case = tmp_path / "widow.yaml"
    case.write_text(yaml.safe_dump(WIDOW))
    r = CliRunner().invoke(app, ["plan", str(case), "--paths", "0"], env={"COLUMNS": "130"})
    assert r.exit_code == 0, r.output
    out = _one_line(r.output)
    assert "internal error" not in out
    assert "No claiming ages were searched" in out and KEPT in out and "404.640(a)(4)" in out
    assert ASSUMED in out
    assert "choices searched with the drawdown" not in out  # no empty table


def test_the_report_file_is_written_with_the_claim_kept(tmp_path):
    """`-o widow.html`: the report is written (nothing was, exit 70, before)."""
    case = tmp_path / "widow.yaml"
    case.write_text(yaml.safe_dump(WIDOW))
    page = tmp_path / "widow.html"
    r = CliRunner().invoke(app, ["plan", str(case), "--paths", "0", "-o", str(page)],
                           env={"COLUMNS": "130"})
    assert r.exit_code == 0, r.output
    text = page.read_text().replace("&#x27;", "'")
    assert "<h2>When to claim Social Security</h2>" in text
    assert KEPT in text and ASSUMED in text and "No claiming ages were searched" in text
    assert "<th>claim at</th>" not in text  # no empty table


def test_post_plan_report_answers_the_plan_with_the_claim_kept(client):
    """POST /plan/report?paths=0: 200 with the report (a 500 before); POST /plan still gives
    candidates 0 and no rows."""
    r = client.post("/plan/report?paths=0", json=BODY)
    assert r.status_code == 200, r.text
    text = r.text.replace("&#x27;", "'")
    assert KEPT in text and ASSUMED in text
    j = client.post("/plan?paths=0", json=BODY)
    assert j.status_code == 200, j.text
    c = j.json()["claiming"]
    assert (c["candidates"], c["compared"], c["kept"]) == (0, [], [66.0])
