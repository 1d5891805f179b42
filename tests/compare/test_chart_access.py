"""The reports' charts and tables to WCAG 2.2 AA: every series drawn in a colour of at least
3:1 against the plot's background and told apart by more than colour (1.4.1, 1.4.11), each
chart with its data as a table tied to it (1.1.1), the report's dimmed rows at 4.5:1 (1.4.3)
and a report that reflows at 320 CSS pixels (1.4.10).

The contrast ratios are worked here by WCAG 2.2's own definitions (relative luminance and
contrast ratio, https://www.w3.org/TR/WCAG22/#dfn-relative-luminance), not by the project's code.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dist401k.report import chromium

ROOT = Path(__file__).parents[2]
CASES = ROOT / "examples" / "cases"
WHITE, PLOTLY_BG = "#ffffff", "#e5ecf6"  # the page's and Plotly's default plot backgrounds


def luminance(color: str) -> float:
    """WCAG 2.2 relative luminance of a #rrggbb colour."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_gives_the_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#888888", "#ffffff") == pytest.approx(3.54, abs=0.01)  # the auditor's
    assert contrast("#ff7f0e", "#ffffff") == pytest.approx(2.53, abs=0.01)


def _web_palette() -> list[str]:
    js = (ROOT / "src" / "dist401k" / "web" / "common.js").read_text()
    block = re.search(r"SERIES_COLORS\s*=\s*\[([^\]]*)\]", js)
    assert block, "common.js names its series colours (SERIES_COLORS)"
    return re.findall(r"#[0-9a-fA-F]{6}", block.group(1))


def test_one_palette_of_at_least_3_to_1_on_both_backgrounds_and_the_same_on_the_web():
    from dist401k.chart_style import PALETTE

    for c in PALETTE:
        assert contrast(c, WHITE) >= 3 and contrast(c, PLOTLY_BG) >= 3, c
    assert [c.lower() for c in _web_palette()] == [c.lower() for c in PALETTE]


def _compare(name: str) -> dict:
    from dist401k.case import load_case
    from dist401k.compare import compare_case

    return compare_case(load_case(CASES / f"{name}.yaml"))


@pytest.fixture(scope="module")
def cmp() -> dict:
    return _compare("rule-of-55")


def _series_cues(fig) -> list[tuple[str, str]]:
    """Each series' colour and its non-colour cue (a line's dash, a bar's pattern)."""
    out = []
    for t in fig.data:
        if t.type == "bar":
            out.append((t.marker.color, t.marker.pattern.shape or "solid"))
        else:
            out.append((t.line.color, t.line.dash))
    return out


def test_every_report_series_has_a_contrasting_colour_and_its_own_dash_or_pattern(cmp):
    from dist401k.report import dollar_chart, wealth_chart

    for fig in (wealth_chart(cmp), dollar_chart(cmp)):
        cues = _series_cues(fig)
        assert len(cues) >= 3
        for color, _ in cues:
            assert color is not None, "left to Plotly's default colours"
            assert contrast(color, WHITE) >= 3 and contrast(color, PLOTLY_BG) >= 3, color
        assert len({cue for _, cue in cues}) == len(cues), cues  # not colour alone


def test_the_reports_dimmed_rows_read_at_4_5_to_1():
    from dist401k.report import CSS

    color = re.search(r"\.no\{color:(#[0-9a-fA-F]{6})\}", CSS).group(1)
    assert contrast(color, WHITE) >= 4.5, color


class Tables(HTMLParser):
    """Every table of a page (by id): its rows of cell texts; and every element's attributes
    by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.by_id: dict[str, dict] = {}
        self._rows: list[list[str]] | None = None
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.by_id[a["id"]] = {"tag": tag, **a}
        if tag == "table":
            self._rows = self.tables.setdefault(a.get("id") or f"t{len(self.tables)}", [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._rows[-1].append("")
            self._in_cell = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._rows = None
        elif tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell and self._rows:
            self._rows[-1][-1] += data


def _parse(page: str) -> Tables:
    t = Tables()
    t.feed(page)
    return t


def _cells(table: list[list[str]]) -> list[list[str]]:
    return [[c.strip() for c in row] for row in table]


def _whole_dollars(x: float) -> str:
    """Whole dollars, half away from zero, with thousands commas (Form 1040 instructions,
    "Rounding off to whole dollars")."""
    from decimal import ROUND_HALF_UP, Decimal

    n = int(Decimal(repr(x)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{n:,}"


def test_each_report_chart_has_its_data_as_a_table_tied_to_it(cmp):
    from dist401k.report import dollar_parts, paid_out, render_html

    page = _parse(render_html(cmp))
    wealth = page.by_id["chart-wealth"]
    assert wealth["role"] == "img" and "after-tax value" in wealth["aria-label"].lower()
    assert wealth["aria-describedby"] in page.by_id
    rows = _cells(page.tables["chart-wealth-data"])
    assert rows[0] == ["age"] + [o["label"] for o in cmp["options"]]
    ages = [(cmp["age"]) + y for y in cmp["assumptions"]["years"]]
    assert len(rows) - 1 == len(ages) > 5
    for k, row in enumerate(rows[1:]):
        assert row[0] == f"{ages[k]:.1f}"
        assert row[1:] == [_whole_dollars(o["by_year"][k]) for o in cmp["options"]]
    dollars = page.by_id["chart-dollars"]
    assert dollars["role"] == "img" and dollars["aria-describedby"] in page.by_id
    rows = _cells(page.tables["chart-dollars-data"])
    opts = paid_out(cmp)
    assert [r[0] for r in rows[1:]] == [o["label"] for o in opts]
    for row, o in zip(rows[1:], opts, strict=True):
        parts = dollar_parts(o)
        assert row[1:] == [_whole_dollars(parts[n]) for n in rows[0][1:]]


def _open(page_html: str, tmp_path: Path, width: int):
    from playwright.sync_api import sync_playwright

    f = tmp_path / "r.html"
    f.write_text(page_html, encoding="utf-8")
    p = sync_playwright().start()
    browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(f.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    return p, browser, page


@pytest.mark.slow
def test_the_report_reflows_at_320_css_pixels_and_its_dimmed_rows_read(cmp, tmp_path):
    from dist401k.report import render_html

    p, browser, page = _open(render_html(cmp), tmp_path, 320)
    try:
        page.wait_for_timeout(500)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        shown = page.evaluate("[...document.querySelectorAll('tr.no')].map(e => "
                              "getComputedStyle(e).color)")
        assert shown, "the case has a closed way out"
        for rgb in set(shown):
            r, g, b = map(int, re.findall(r"\d+", rgb)[:3])
            assert contrast(f"#{r:02x}{g:02x}{b:02x}", WHITE) >= 4.5, rgb
        # The drawn colours are the palette's (Plotly keeps what the figure gives it).
        drawn = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].flatMap(g => "
                              "g._fullData.map(t => t.type === 'bar' ? t.marker.color : "
                              "t.line.color))")
        from dist401k.chart_style import PALETTE
        assert drawn and set(drawn) <= set(PALETTE), drawn
    finally:
        browser.close()
        p.stop()


@pytest.fixture(scope="module")
def plan_page() -> str:
    from dist401k.plan_report import render_plan_html
    from dist401k.planner.household import load_household
    from dist401k.planner.plan import make_plan

    hh = load_household(ROOT / "examples" / "plans" / "single-retiree-guardrails.yaml")
    return render_plan_html(make_plan(hh, paths=100))


def test_each_plan_report_chart_has_its_data_as_a_table_tied_to_it(plan_page):
    page = _parse(plan_page)
    charts = [a for a in page.by_id.values() if a.get("class") == "chart"]
    assert len(charts) >= 3
    for c in charts:
        assert c["role"] == "img" and c["aria-label"], c
        described = page.by_id[c["aria-describedby"]]
        table = page.tables[described["id"].removesuffix("-summary")]
        assert len(table) > 2 and all(len(r) == len(table[0]) for r in table), c["id"]
    head = _cells(page.tables["chart-fan-data"])[0]
    assert head[1:] == ["5th percentile", "25th percentile", "median", "75th percentile",
                        "95th percentile"]
    balances = _cells(page.tables["chart-balances-data"])
    assert balances[0][1:] == ["Pre-tax (401(k), 403(b), 457(b), IRA)", "Roth", "Brokerage",
                               "Cash"]
