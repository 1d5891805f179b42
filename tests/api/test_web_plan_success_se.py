"""The planner page shows each Monte Carlo success rate with one binomial standard error beside
it, as the terminal does ("74% ±2.0": docs/plan.md), and says of the spending at a chosen
confidence that it was found on the same paths its success is measured on.

The standard error is worked here from its formula, √(p(1 − p)/n) in percentage points, not read
from the program: 74% on 500 paths is √(0.74 × 0.26 / 500) = 0.0196 → ±2.0; 90% on 500 paths is
√(0.9 × 0.1 / 500) = 0.0134 → ±1.3 (the figures docs/plan.md quotes)."""

from __future__ import annotations

import math
import re

import pytest

from api.test_web_plan import HOUSEHOLDS, fill

pytestmark = pytest.mark.slow

PLAN = re.compile(r"/plan\?")


def _se(rate: float, paths: int) -> float:
    return math.sqrt(rate * (1 - rate) / paths)


def _cells(page) -> dict[str, str]:
    rows = page.locator("#strategies tr[data-key]")
    return {rows.nth(i).get_attribute("data-key"): rows.nth(i).locator("td").last.inner_text()
            for i in range(rows.count())}


def test_each_success_rate_shows_its_standard_error(page, base_url):
    """On a real run of 20 paths each strategy's success reads "p% ±se" with se worked from
    the rate shown: the page and the server agree with the formula."""
    fill(page, base_url, HOUSEHOLDS["single-retiree"], paths="20")
    page.wait_for_selector("#chart-fan .main-svg", timeout=300_000)
    cells = _cells(page)
    assert cells, "no strategy rows"
    for key, text in cells.items():
        m = re.fullmatch(r"(\d+)% ±(\d+\.\d)", text)
        assert m, (key, text)
        rate = int(m.group(1)) / 100  # a share of 20 paths: a whole multiple of 5%
        assert float(m.group(2)) == pytest.approx(100 * _se(rate, 20), abs=0.051), (key, text)
    assert "one standard error" in page.locator("#headline-help").inner_text()
    assert not page.errors, page.errors


def test_the_confidence_line_gives_the_errors_and_says_found_on_the_same_paths(page, base_url):
    """The answer's rates are replaced by hand-worked ones on 500 paths (the optimum at 74%, the
    confidence spending at 90%), with a confidence answer: the page shows 74% ±2.0 in the
    optimum's row, and the confidence line 90.0% with ±1.3 points, "found on these same paths",
    and the optimum's 74.0% with ±2.0 points."""
    def answer(route):
        response = route.fetch(timeout=300_000)
        plan = response.json()
        for s in plan["strategies"]:
            if s.get("monte_carlo"):
                s["monte_carlo"].update(paths=500, success_rate=0.74, success_rate_se=_se(0.74, 500))
        opt = next(s for s in plan["strategies"] if s["key"] == "optimal")
        plan["confidence"] = {
            "target": 0.9, "spending_real": 68456.0, "success_rate": 0.9,
            "success_rate_se": _se(0.9, 500), "next_spending_real": 68469.0,
            "next_success_rate": 0.898, "tolerance": 0.001, "paths": 500, "simulations": 5,
            "optimum_spending_real": opt["spending_real"],
            "optimum_tested_spending_real": opt["spending_real"],
            "optimum_success_rate": 0.74, "strategy": "conventional order"}
        route.fulfill(response=response, json=plan)

    page.route(PLAN, answer)
    try:
        fill(page, base_url, HOUSEHOLDS["single-retiree"], paths="20")
        page.wait_for_selector("#confidence:not([hidden])", timeout=300_000)
        assert _cells(page)["optimal"] == "74% ±2.0"
        line = page.locator("#confidence").inner_text()
        assert ("$68,456 a year (paid every year on 90.0% of 500 simulated markets, ±1.3 points, "
                "one standard error; found on these same paths, so on new paths its success may "
                "differ by about that much)") in line, line
        assert line.endswith("succeeds on 74.0% (±2.0 points)."), line
        assert "74% of 500 simulated markets (±2.0 points, one standard error)" in (
            page.locator("#headline-help").inner_text())
    finally:
        page.unroute(PLAN)
    assert not page.errors, page.errors
