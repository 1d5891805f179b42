"""The planner page asks for spending at a chosen confidence and the guardrail strategies: it
shows the confidence spending the command line finds on the household it sent, and a spending
fan chart for each guardrail."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from api.test_web_plan import HOUSEHOLDS
from dist401k.cli import app as cli

pytestmark = pytest.mark.slow


def test_planner_shows_confidence_and_guardrail_fans(page, base_url, tmp_path):
    spec = HOUSEHOLDS["single-retiree"]
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{spec['who']}']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "20")
    page.fill("[name='monte_carlo.confidence']", "90")
    page.check("[name='guardrails.guyton_klinger']")
    page.check("[name='guardrails.risk_based']")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    sent = json.loads(req.value.post_data)
    assert sent["monte_carlo"]["confidence"] == 0.9
    assert sent["guardrails"] == {"guyton_klinger": True, "risk_based": True}
    page.wait_for_selector("#confidence:not([hidden])", timeout=300_000)
    page.wait_for_selector("#chart-spending-risk_guardrail .main-svg")
    case = tmp_path / "household.yaml"
    case.write_text(yaml.safe_dump(sent))
    r = CliRunner().invoke(cli, ["plan", str(case), "-f", "json", "--paths", "20"])
    assert r.exit_code == 0, r.output
    expected = json.loads(r.stdout)
    shown = float(page.locator("#confidence").get_attribute("data-spending"))
    assert shown == pytest.approx(expected["confidence"]["spending_real"], abs=0.01)
    assert "90% chance of success" in page.locator("#confidence").inner_text()
    rows = page.locator("#strategies tr[data-key]")
    assert [rows.nth(i).get_attribute("data-key") for i in range(rows.count())] == [
        s["key"] for s in expected["strategies"]]
    for key in ("guyton_klinger", "risk_guardrail"):
        assert page.locator(f"#chart-spending-{key} path.js-fill").count() >= 2
    assert not page.errors, page.errors
