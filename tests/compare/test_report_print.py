"""The assess/compare report as a client deliverable: printed (rows and headings kept together,
header rows repeated, the charts' data printed, titles clear of legends), dated, and in plain
words rather than the case's field paths."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dist401k.case import load_case, parse_case
from dist401k.compare import compare_case
from dist401k.law import default_law
from dist401k.report import chromium, render_html

CASES = Path(__file__).parents[2] / "examples" / "cases"


@pytest.fixture(scope="module")
def rule_of_55() -> dict:
    return compare_case(load_case(CASES / "rule-of-55.yaml"))


@pytest.fixture(scope="module")
def nua() -> dict:
    return compare_case(load_case(CASES / "nua-employer-stock.yaml"))


def _print_css(page: str) -> str:
    """The rules of the page's @media print blocks, run together."""
    css = page[page.index("<style>"):page.index("</style>")]
    return "".join(re.findall(r"@media print\{(.*?\})\}", css, flags=re.S))


def test_printed_rows_and_headings_stay_together_and_headers_repeat(nua):
    css = _print_css(render_html(nua, printed=True, prepared=date(2026, 1, 5)))
    assert re.search(r"(^|\})tr\{[^}]*break-inside:avoid", css), css
    assert re.search(r"(^|\})h2,h3\{[^}]*break-after:avoid", css), css
    assert re.search(r"(^|\})thead\{[^}]*display:table-header-group", css), css


def test_every_tables_header_row_is_a_thead(nua):
    page = render_html(nua, prepared=date(2026, 1, 5))
    tables = re.findall(r"<table[^>]*>(?:<caption>.*?</caption>)?(.{0,8})", page)
    assert tables and all(t.startswith("<thead>") for t in tables), tables
    forms = page[page.index("The Forms 1099-R the plan will send"):]
    assert "<th style='text-align:left'>Box 2b</th>" in forms[:forms.index("</tr>")]


def test_the_chart_data_tables_are_printed(rule_of_55):
    page = render_html(rule_of_55, printed=True, prepared=date(2026, 1, 5))
    assert ".chart-data{display:none}" not in _print_css(page)
    details = re.findall(r"<details class='chart-data'[^>]*>", page)
    assert len(details) == 2 and all(" open" in d for d in details), details
    # The HTML, printed from a browser, opens them too.
    assert "beforeprint" in render_html(rule_of_55, prepared=date(2026, 1, 5))


def test_the_report_says_when_it_was_prepared_and_which_law(rule_of_55, monkeypatch):
    """The report names the last enacted year (meta/years.yaml: 2026 while Rev. Proc. 2025-32,
    the 2026 inflation adjustments, is the last published); the request of the rule-of-55
    example is in 2026."""
    page = render_html(rule_of_55, prepared=date(2026, 3, 9))
    assert "Prepared on March 9, 2026" in page
    assert f"law enacted through {default_law().enacted_through}" in page
    # SOURCE_DATE_EPOCH (reproducible builds): 1767225600 is 2026-01-01T00:00:00Z.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert "Prepared on January 1, 2026" in render_html(rule_of_55)
    assert render_html(rule_of_55) == render_html(rule_of_55)


def test_a_projected_year_says_so_beside_the_law():
    from routes.conftest import make

    enacted = default_law().enacted_through  # the year after it is the first projected
    cmp = compare_case(parse_case(make({"request.date": f"{enacted + 1}-03-01"})))
    page = render_html(cmp, prepared=date(2026, 3, 9))
    foot = page[page.rindex("law enacted through"):]
    assert foot.startswith(f"law enacted through {enacted}; tax year {enacted + 1} on projected "
                           "law"), foot[:120]


def test_client_text_has_labels_not_field_paths(rule_of_55):
    from routes.conftest import make

    capped = compare_case(parse_case(make({"employment.status": "separated",
                                           "employment.separation_date": "2025-01-01",
                                           "request.amount": 500000, "request.need": 30000})))
    for page in (render_html(capped, prepared=date(2026, 1, 5)),
                 render_html(rule_of_55, prepared=date(2026, 1, 5))):
        text = re.sub(r"<[^>]*>", "", page[page.index("<body>"):])
        for raw in ("[request.amount]", "(person.state)", "missed_payment_date", "request.need"):
            assert raw not in text, raw
    page = render_html(capped, prepared=date(2026, 1, 5))
    assert "title='request.amount'>[amount asked for]</span>" in page


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="needs Chromium")
def test_printed_chart_titles_are_clear_of_their_legends(rule_of_55, tmp_path):
    """rule-of-55's six options wrap the legend to a line each at Letter width: the title
    Plotly drew at the top of the chart sat on the first legend entry."""
    from playwright.sync_api import sync_playwright

    f = tmp_path / "r.html"
    f.write_text(render_html(rule_of_55, printed=True, prepared=date(2026, 1, 5)),
                 encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": round((8.5 - 2 * 0.4) * 96), "height": 1000})
        page.emulate_media(media="print")
        page.goto(f.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        boxes = page.evaluate("""() => [...document.querySelectorAll('.chart')].map(c => {
            const t = c.querySelector('.chart-title, text.gtitle'), l = c.querySelector('g.legend');
            const tb = t.getBoundingClientRect(), lb = l.getBoundingClientRect();
            return {title: [tb.top, tb.bottom], legend: [lb.top, lb.bottom],
                    drawn: c.querySelectorAll('text.gtitle').length}; })""")
        browser.close()
    assert len(boxes) == 2
    for b in boxes:
        assert b["title"][1] <= b["legend"][0], b
