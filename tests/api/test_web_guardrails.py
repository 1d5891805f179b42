"""The planner page asks for spending at a chosen confidence and the guardrail strategies: it
shows the confidence spending the command line finds on the household it sent, and a spending
fan chart for each guardrail."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from api.test_web_plan import HOUSEHOLDS
from api.web_checks import fill_random_lifetime_plan
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


def test_guardrail_fans_run_to_the_last_year_of_random_lifetimes(page, base_url):
    """With random lifetimes the paths run past the plan's end, each to its last death: each
    guardrail's spending fan is drawn over the Monte Carlo's own years (as the total-savings
    fan and the report draw it), every point of the answer on its year."""
    fill_random_lifetime_plan(page, base_url, HOUSEHOLDS["single-retiree"]["form"], risk=True)
    with page.expect_response(lambda r: "/plan?" in r.url, timeout=300_000) as answer:
        page.click("button[type=submit]")
    plan = answer.value.json()
    page.wait_for_selector("#chart-spending-risk_guardrail .main-svg")
    fans = [s for s in plan["strategies"]
            if (s.get("monte_carlo") or {}).get("spending_percentiles_by_year")]
    assert [s["key"] for s in fans] == ["guyton_klinger", "risk_guardrail"]
    for s in fans:
        mc, fan = s["monte_carlo"], s["monte_carlo"]["spending_percentiles_by_year"]
        first, last = mc["years"]
        assert last > plan["years"][1]  # the paths outlive the plan
        drawn = page.evaluate(f"document.getElementById('chart-spending-{s['key']}').data"
                              ".map(t => [t.x, t.y])")
        for xs, ys in drawn:
            assert xs == list(range(first, last + 1)) and len(ys) == len(xs)
        assert [ys for _, ys in drawn] == [fan[k] for k in ("p5", "p95", "p25", "p75", "p50")]
        ticks = page.evaluate(f"document.getElementById('chart-spending-{s['key']}')"
                              "._fullLayout.xaxis.range")
        assert ticks[1] >= last
    assert not page.errors, page.errors
