"""POST /plan and /plan/report with a chosen confidence and the guardrail strategies: the same
answer as the command line, the report's spending fan charts, and bad options as 422."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dist401k.cli import app as cli

HOUSEHOLD = {"id": "roth", "start_year": 2026,
             "people": [{"birth_date": "1960-01-15", "life_expectancy": 80,
                         "accounts": {"roth": 1_000_000, "roth_first_year": 2000}}],
             "strategy": {"medicare": False},
             "monte_carlo": {"paths": 40, "seed": 2, "confidence": 0.9},
             "guardrails": {"guyton_klinger": True, "risk_based": True}}


def test_plan_with_confidence_and_guardrails_matches_the_cli(client, tmp_path):
    r = client.post("/plan?paths=40", json=HOUSEHOLD)
    assert r.status_code == 200, r.text
    api = r.json()
    case = tmp_path / "roth.json"
    case.write_text(json.dumps(HOUSEHOLD))
    out = CliRunner().invoke(cli, ["plan", str(case), "-f", "json"])
    assert out.exit_code == 0, out.output
    mine = json.loads(out.output)
    assert api["confidence"]["spending_real"] == mine["confidence"]["spending_real"]
    assert api["confidence"]["success_rate"] >= 0.9
    assert [s["monte_carlo"]["success_rate"] for s in api["strategies"]] == [
        s["monte_carlo"]["success_rate"] for s in mine["strategies"]]
    page = client.post("/plan/report?paths=40", json=HOUSEHOLD)
    assert page.status_code == 200
    assert "Spending at 90% confidence" in page.text
    assert page.text.count("Spending, today&#x27;s dollars") + page.text.count(
        "Spending, today's dollars") >= 2


def test_bad_guardrail_options_are_422_naming_the_field(client):
    bad = dict(HOUSEHOLD, guardrails={"risk_based": True, "success_low": 0.96})
    r = client.post("/plan?paths=0", json=bad)
    assert r.status_code == 422 and "success_low" in r.text, r.text
    r = client.post("/plan?paths=0", json=dict(HOUSEHOLD, monte_carlo={"confidence": 1}))
    assert r.status_code == 422 and "confidence" in r.text, r.text
