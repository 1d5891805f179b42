"""The report in a real headless browser (Debian's Chromium through Playwright): the charts
render with their data and no script fails; the PDF is not blank."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.report import chromium

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "cases").glob("*.yaml"))
runner = CliRunner()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_compare_answers_every_example(path):
    r = runner.invoke(app, ["compare", str(path)])
    assert r.exit_code == 0, r.output
    assert "Assumptions" in r.output
    # A child's QDRO share is paid as the order says: no "leave it" to compare (QD_PAID_AS_ORDERED).
    paid_as_ordered = path.stem == "qdro-child-support"
    assert ("leave it in the plan" in r.output) != paid_as_ordered, r.output


@pytest.mark.slow
def test_html_report_renders_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "report.html"
    r = runner.invoke(app, ["report", str(EXAMPLES[0]), "-o", str(out)])
    assert r.exit_code == 0, r.output
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        charts = page.locator(".js-plotly-plot")
        assert charts.count() == 2
        # Each chart drew its traces: lines in the first, bars in the second.
        assert page.locator(".js-plotly-plot").nth(0).locator("path.js-line").count() >= 2
        assert page.locator(".js-plotly-plot").nth(1).locator("g.point").count() >= 2
        assert "Traps" in page.content()
        browser.close()
    assert not errors, errors


@pytest.mark.slow
def test_pdf_report_is_not_blank(tmp_path):
    pdf = tmp_path / "report.pdf"
    r = runner.invoke(app, ["report", str(EXAMPLES[0]), "-o", str(pdf)])
    assert r.exit_code == 0, r.output
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    pgm = next(tmp_path.glob("page*.pgm")).read_bytes()
    # PGM (P5): header "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    parts = pgm.split(b"\n", 3)
    pixels = parts[3]
    assert len(set(pixels)) > 10, "the first page has (almost) one colour: blank"
    assert sum(1 for b in pixels if b < 128) > len(pixels) * 0.002  # some dark ink (text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_report_for_every_example(path):
    from dist401k.case import load_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    page = render_html(compare_case(load_case(path)))
    assert page.count("class=\"plotly-graph-div\"") == 2
    assert "The options side by side" in page and "Traps" in page
    assert "the option that leaves the most after tax" in page


def test_report_rows_carry_their_reason_the_need_and_the_notes():
    from dist401k.case import parse_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html
    from routes.conftest import make

    case = make({"employment.status": "separated", "employment.separation_date": "2025-01-01",
                 "request.amount": 500000, "request.need": 30000})
    page = render_html(compare_case(parse_case(case)))
    assert "rule of 55" in page[page.index("The options side by side"):]
    assert "check received" in page and "kept after all tax" in page and "cash now" not in page
    assert "You need $30,000 in hand: ask for $" in page
    assert "request.amount" in page


def test_a_failed_write_leaves_the_earlier_report_whole(tmp_path, monkeypatch):
    from pathlib import Path as P

    from dist401k.case import parse_case
    from dist401k.compare import compare_case
    from dist401k.report import write_report
    from routes.conftest import make

    out = tmp_path / "report.html"
    out.write_text("the earlier report", encoding="utf-8")
    real = P.write_text

    def half_then_fail(self, text, *a, **kw):  # a full disk, halfway through
        real(self, text[: len(text) // 2], *a, **kw)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(P, "write_text", half_then_fail)
    with pytest.raises(OSError):
        write_report(compare_case(parse_case(make())), out)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "the earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


ONE_OPTION = Path(__file__).parents[2] / "examples" / "cases" / "firefighter-457.yaml"


def _report(path: Path, printed: bool = False) -> str:
    from dist401k.case import load_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    return render_html(compare_case(load_case(path)), printed=printed)


def test_the_options_table_has_the_taxable_split_and_the_1099r_codes():
    page = _report(ONE_OPTION)
    table = page[page.index("The options side by side"):page.index("</table>",
                                                                   page.index("The options"))]
    assert "<th>taxable</th><th>tax-free</th><th>1099-R codes</th>" in table
    cash = table[table.index("After separation: take it in cash"):]
    cells = cash[:cash.index("</tr>")].split("<td>")
    # gross, check, kept, income tax, 10% tax, withheld, then taxable, tax-free, codes.
    assert cells[7:10] == ["30,000</td>", "0</td>", "2</td>"], cells
    leave = table[table.index("leave it in the plan"):]
    assert leave[:leave.index("</tr>")].count("<td>—</td>") == 3


def _layout(page_html: str, tmp_path: Path, media: str = "screen") -> list[dict]:
    """Each chart's boxes in Chromium (api.web_checks.chart_boxes), the page shown on
    ``media``."""
    from playwright.sync_api import sync_playwright

    from api.web_checks import chart_boxes

    f = tmp_path / "r.html"
    f.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page()
        page.emulate_media(media=media)
        page.goto(f.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        out = chart_boxes(page)
        browser.close()
    return out


@pytest.mark.slow
def test_charts_with_one_option_keep_their_shape_and_legends_clear_of_titles(tmp_path):
    from api.web_checks import assert_legend_clear_of_axis_title

    charts = _layout(_report(ONE_OPTION), tmp_path)
    assert len(charts) == 2
    dollars = charts[1]
    assert dollars["bars"] >= 1
    assert dollars["plot"][2] >= 120, dollars  # the plot area did not collapse
    for c in charts:
        assert_legend_clear_of_axis_title(c)


@pytest.mark.slow
def test_the_printed_report_has_no_chart_toolbar(tmp_path):
    printed = _layout(_report(ONE_OPTION, printed=True), tmp_path, media="print")
    assert all(c["toolbar"] == 0 for c in printed)
    on_paper = _layout(_report(ONE_OPTION), tmp_path, media="print")  # the HTML, printed
    assert not any(c["toolbar_shown"] for c in on_paper)


def test_a_comparison_where_nothing_can_be_paid_says_so_with_no_chart():
    """No way out open, only "leave it in the plan" at $0: words, not a flat chart at $0 (the
    page's words, app.js showComparison; tests/compare/test_report_nothing_payable.py)."""
    from dist401k.case import parse_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html
    from routes.conftest import make

    cmp = compare_case(parse_case(make({"plan.in_service": None, "plan.hardship": None,
                                        "plan.loans": None})))
    assert [o["option"] for o in cmp["options"]] == ["leave"]
    page = render_html(cmp)
    assert page.count("class=\"plotly-graph-div\"") == 0
    assert "Nothing can be paid now, so there is nothing to compare" in page


#: The width a US Letter page prints on in Chromium (8.5 in less its default 0.4 in margins),
#: in CSS pixels.
LETTER_CONTENT_WIDTH = round((8.5 - 2 * 0.4) * 96)


@pytest.mark.slow
def test_the_printed_options_table_fits_a_letter_page(tmp_path):
    """The README's PDF example (two horizon ages; here with a state too, two more columns)
    clipped the options table's right-hand column ("Rolled ove", "[IRC §401(a"): printed,
    every column fits the page and the why of each option is printed under its figures."""
    import yaml
    from playwright.sync_api import sync_playwright

    from dist401k.case import parse_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    case = yaml.safe_load((EXAMPLES[0].parent / "annuity-pitch-backdoor.yaml").read_text())
    case["person"]["state"] = "NY"
    f = tmp_path / "r.html"
    f.write_text(render_html(compare_case(parse_case(case)), printed=True), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": LETTER_CONTENT_WIDTH, "height": 1000})
        page.emulate_media(media="print")
        page.goto(f.as_uri())
        widths = page.evaluate("""() => {
            const t = document.querySelector('table.options');
            const shown = [...t.querySelectorAll('td,th')].filter(c => c.offsetParent);
            return {page: document.documentElement.scrollWidth,
                    table: t.getBoundingClientRect().right,
                    cut: shown.filter(c => c.scrollWidth > c.clientWidth + 1).length,
                    why: [...t.querySelectorAll('tr.why-row')].filter(r => r.offsetParent)
                         .map(r => r.textContent)}; }""")
        browser.close()
    assert widths["table"] <= LETTER_CONTENT_WIDTH and widths["page"] <= LETTER_CONTENT_WIDTH, \
        widths
    assert widths["cut"] == 0, widths
    assert any("Rolled over" in w and "§3405(c)(2)" in w for w in widths["why"]), widths["why"]


def test_the_report_lists_the_dates_that_matter():
    """The first RMD deferred to April 1 and this year's due December 31 (IRC §401(a)(9)(C);
    Pub. 590-B), each once, in the order they fall."""
    from dist401k.case import parse_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html
    from routes.conftest import make

    case = make({"person.birth_date": "1952-03-01", "employment.status": "separated",
                 "employment.separation_date": "2015-06-30",
                 "account.prior_year_end_balance": 510000,
                 "account.last_year_rmd_unpaid": 19622.64, "request.amount": 50000,
                 "request.date": "2026-02-15"})
    page = render_html(compare_case(parse_case(case)))
    dates = page[page.index("<h2>Dates that matter</h2>"):]
    first = dates.index("2026-04-01")
    assert "required minimum distribution, the first" in dates[first:first + 200]
    assert first < dates.index("2026-12-31")
    assert dates.count("2026-04-01") == 1
