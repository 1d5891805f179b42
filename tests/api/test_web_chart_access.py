"""The web pages' charts to WCAG 2.2 AA, in headless Chromium: each chart an image (role="img",
an aria-label summing it up) described by its data as a table right below it, with the numbers
the answer drew (1.1.1); every series drawn in a colour of at least 3:1 against the plot's white
(1.4.11) and told apart by more than colour — its own dash, marker or pattern (1.4.1)."""

from __future__ import annotations

import json

import pytest

from api.test_web import CASES
from api.test_web import fill as fill_case
from api.test_web_plan import HOUSEHOLDS
from api.test_web_plan import fill as fill_plan
from compare.test_chart_access import WHITE, _whole_dollars, contrast

pytestmark = pytest.mark.slow

TIED = """(id) => { const c = document.getElementById(id);
  const d = document.getElementById(c.getAttribute('aria-describedby') || '');
  const t = d && d.closest('details') && d.closest('details').querySelector('table');
  return {role: c.getAttribute('role'), label: c.getAttribute('aria-label'),
          after: !!t && c.nextElementSibling === d.closest('details'),
          rows: t ? [...t.rows].map((r) => [...r.cells].map((x) => x.textContent.trim())) : [],
          scoped: t ? [...t.querySelectorAll('th')].every((h) => h.scope) : false}; }"""

# Each drawn series: its colour and its non-colour cue (a line's dash and marker, a bar's
# pattern); a fan's band edges and median are one series.
DRAWN = """(id) => document.getElementById(id)._fullData.filter((t) => t.showlegend !== false)
  .map((t) => t.type === 'bar' ? [t.marker.color, 'pattern ' + (t.marker.pattern.shape || 'none')]
    : [t.line.color, t.line.dash + ' ' + (t.mode.includes('markers') ? t.marker.symbol : '')])"""


def _hex(color: str) -> str:
    if color.startswith("#"):
        return color
    r, g, b = (int(float(v)) for v in color[color.index("(") + 1:].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _told_apart(page, chart_id: str) -> None:
    drawn = page.evaluate(DRAWN, chart_id)
    assert len(drawn) >= 2, drawn
    for color, _ in drawn:
        assert contrast(_hex(color), WHITE) >= 3, (chart_id, color)
    assert len({cue for _, cue in drawn}) == len(drawn), (chart_id, drawn)


def test_the_options_charts_have_their_data_tables_and_contrasting_series(page, base_url):
    with page.expect_response(lambda r: r.url.endswith("/compare")) as got:
        fill_case(page, base_url, CASES["rule-of-55"])
    cmp = json.loads(got.value.body())
    page.wait_for_selector("#chart-wealth .main-svg")
    w = page.evaluate(TIED, "chart-wealth")
    assert w["role"] == "img" and "after-tax value" in w["label"] and w["after"] and w["scoped"]
    ages = [cmp["age"] + y for y in cmp["assumptions"]["years"]]
    assert w["rows"][0] == ["age"] + [o["label"] for o in cmp["options"]]
    assert [r[0] for r in w["rows"][1:]] == [f"{a:.1f}" for a in ages]
    for k, row in enumerate(w["rows"][1:]):
        assert row[1:] == [_whole_dollars(o["by_year"][k]) for o in cmp["options"]]
    d = page.evaluate(TIED, "chart-dollars")
    assert d["role"] == "img" and d["after"] and d["scoped"]
    paid = [o for o in cmp["options"] if o["gross"] > 0 and o["option"] != "leave"]
    assert [r[0] for r in d["rows"][1:]] == [o["label"] for o in paid]
    kept = d["rows"][0].index("kept after all tax")
    assert [r[kept] for r in d["rows"][1:]] == [_whole_dollars(max(0, o["kept_after_all_tax"]))
                                                for o in paid]
    _told_apart(page, "chart-wealth")
    _told_apart(page, "chart-dollars")
    assert not page.errors, page.errors


def test_the_planner_charts_have_their_data_tables_and_contrasting_series(page, base_url):
    with page.expect_response(lambda r: "/plan?" in r.url) as got:
        fill_plan(page, base_url, HOUSEHOLDS["single-retiree"], paths="200")
    plan = json.loads(got.value.body())
    page.wait_for_selector("#chart-fan .main-svg")
    b = page.evaluate(TIED, "chart-balances")
    assert b["role"] == "img" and b["after"] and b["scoped"]
    assert b["rows"][0] == ["year", "pre-tax (401(k), IRA)", "Roth", "brokerage", "cash"]
    for row, r in zip(b["rows"][1:], plan["table"], strict=True):
        assert row == [str(r["year"])] + [_whole_dollars(r[k]) for k in (
            "pretax_balance", "roth_balance", "taxable_balance", "cash_balance")]
    f = page.evaluate(TIED, "chart-fan")
    assert f["role"] == "img" and f["after"] and f["scoped"]
    assert f["rows"][0] == ["year", "5th percentile", "25th percentile", "median",
                            "75th percentile", "95th percentile"]
    best = next(s for s in plan["strategies"] if s["key"] == "optimal")
    fan = best["monte_carlo"]["balance_percentiles_by_year"]
    for k, row in enumerate(f["rows"][1:]):
        assert row[1:] == [_whole_dollars(fan[p][k]) for p in ("p5", "p25", "p50", "p75", "p95")]
    assert len(f["rows"]) - 1 == len(fan["p50"])
    for chart in ("chart-balances", "chart-income"):
        _told_apart(page, chart)
    # The fan's bands are read by their edges: lines drawn in a contrasting colour.
    edges = page.evaluate("document.getElementById('chart-fan')._fullData.map((t) => "
                          "[t.line.width, t.line.color, t.line.dash])")
    assert all(w >= 1 and contrast(_hex(c), WHITE) >= 3 for w, c, _ in edges), edges
    assert not page.errors, page.errors
