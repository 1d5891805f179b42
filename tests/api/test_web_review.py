"""The web page, as a planner reviewed it, in headless Chromium: the chart of where each
option's dollars go is the report's (the same parts from the same fields), the options table
speaks the report's words with the state's column, routes carry the terminal's names, every
(text, citation) of the rules cited is kept, and a message marks its field for assistive
technology.  The planner's page labels every money column with its dollars."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from api.test_web import CASES, fill
from api.test_web_plan import HOUSEHOLDS
from api.test_web_plan import fill as fill_plan
from dist401k.compare import LABELS
from dist401k.labels import ROUTE_LABELS
from dist401k.report import dollar_chart, rules_cited

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"

# The answer to an example case as the page shows it: asked and drawn by the page's own code.
RENDER = """async (c) => {
  if (typeof loadNames === 'function') await loadNames();  // the names of the ways out
  const a = await (await post('/assess', c)).json();
  const cmp = await (await post('/compare', c)).json();
  render(a, cmp);
  const rows = (sel) => [...document.querySelectorAll(sel + ' tr')].map(
    (r) => [...r.children].map((td) => td.innerText.trim()));
  const chart = document.getElementById('chart-dollars');
  return {a, cmp, options: rows('#options'), outcomes: rows('#outcomes'),
          traces: chart.data ? chart.data.map((t) => ({name: t.name, x: t.x})) : [],
          routes: [...document.querySelectorAll('#routes tr[data-route]')].map(
            (r) => [r.dataset.route, r.children[0].innerText.trim()]),
          named: [...document.querySelectorAll('#outcomes tr[data-route]')].map(
            (r) => [r.dataset.route, r.dataset.destination, r.children[0].innerText.trim(),
                    r.children[1].innerText.trim()]),
          cites: [...document.querySelectorAll('#cites li')].map((l) => l.innerText)};
}"""


def shown(page, base_url, name: str) -> dict:
    case = json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()),
                                 default=str))
    page.goto(base_url + "/")
    return page.evaluate(RENDER, case)


@pytest.mark.parametrize("name", ["pat-california-rule-of-55", "pennsylvania-retiree-60",
                                  "hardship-medical"])
def test_the_pages_chart_is_the_reports(page, base_url, name):
    """The same parts, in the same order, with the same figures as the report's chart
    (report.dollar_chart); each bar adds up to its option's gross plus the tax it pays from
    other money (docs/compare.md §The report).  Pat in California: the state's 582.69 (FTB
    2025 schedule X, worked in tests/compare/test_report_review.py) is its own part; in
    Pennsylvania the Roth IRA roll's bar is its 30,000 converted, all invested, and its 1,420 of
    federal tax paid from other money (single, no other income, 2026: 30,000 − 16,100 = 13,900
    taxable, 10% × 12,400 + 12% × 1,500 = 1,420; no Pennsylvania tax), 31,420 long."""
    got = shown(page, base_url, name)
    want = dollar_chart(got["cmp"]).data
    assert [t["name"] for t in got["traces"]] == [t.name for t in want]
    for t, w in zip(got["traces"], want, strict=True):
        assert t["x"] == pytest.approx(list(w.x), abs=0.005), t["name"]
    paid = [o for o in got["cmp"]["options"] if o["gross"] > 0 and o["option"] != "leave"]
    for k, o in enumerate(paid):
        other = max(0.0, -o["kept_after_all_tax"])
        assert sum(t["x"][k] for t in got["traces"]) == pytest.approx(o["gross"] + other, abs=0.01)
    bars = {t["name"]: t["x"] for t in got["traces"]}
    if name == "pat-california-rule-of-55":
        assert bars["state tax"] == [pytest.approx(582.69, abs=0.005)]
    if name == "pennsylvania-retiree-60":
        k = next(k for k, o in enumerate(paid) if o["option"] == "separation:roth_ira")
        assert bars["stays invested"][k] == pytest.approx(30000, abs=0.005)
        assert bars["tax paid from other money"][k] == pytest.approx(1420, abs=0.005)
        assert sum(t["x"][k] for t in got["traces"]) == pytest.approx(31420, abs=0.01)
    assert not page.errors, page.errors


def test_the_options_table_speaks_the_reports_words_with_the_state(page, base_url):
    """Pat: 40,000 gross = 36,746 kept + 2,672 income tax + 0 10% tax + 583 state tax (the
    figures of tests/compare/test_report_review.py, to the dollar)."""
    got = shown(page, base_url, "pat-california-rule-of-55")
    head, rows = got["options"][0], got["options"][1:]
    assert head == ["option", "gross", "check received", "kept after all tax", "income tax",
                    "10% tax", "withheld", "state tax", "state withheld",
                    "after-tax value at 65", "why"]
    cash = next(r for r in rows if r[0].startswith("After separation: take it in cash"))
    assert cash[1:9] == ["40,000", "31,200", "36,746", "2,672", "0", "8,000", "583", "800"]
    assert "10% tax" in got["outcomes"][0] and "10% penalty" not in got["outcomes"][0]
    alone = shown(page, base_url, "hardship-medical")
    assert "state tax" not in alone["options"][0]
    assert not {"tax now", "penalty now"} & set(alone["options"][0])
    assert not page.errors, page.errors


@pytest.mark.parametrize("name", ["rmd-still-working", "small-457-cashout", "birth-adoption",
                                  "pennsylvania-retiree-60"])
def test_routes_and_destinations_carry_the_terminals_names(page, base_url, name):
    got = shown(page, base_url, name)
    assert got["routes"] and all(label == ROUTE_LABELS[r] for r, label in got["routes"])
    for route, dest, route_shown, dest_shown in got["named"]:
        assert (route_shown, dest_shown) == (ROUTE_LABELS[route], LABELS[dest])
    assert not page.errors, page.errors


def test_the_form_names_the_ways_out(page, base_url):
    """Through the form itself: the names are fetched before the first answer is shown."""
    fill(page, base_url, CASES["rule-of-55"])
    page.wait_for_selector("#results:not([hidden])")
    assert page.locator("#routes tr[data-route='separation'] td").first.inner_text() == \
        "After separation"
    cash = page.locator("#outcomes tr[data-route='separation'][data-destination='cash'] td")
    assert cash.nth(1).inner_text() == "take it in cash"
    assert not page.errors, page.errors


def test_every_text_of_a_citation_is_listed(page, base_url):
    """The inherited estate: two texts cite one rule; the page listed the last only (keyed by
    citation) and lost "…no 10% additional tax at any age (Form 1099-R code 4)"."""
    got = shown(page, base_url, "inherited-estate")
    norm = lambda s: " ".join(s.split())  # noqa: E731
    assert [norm(c) for c in got["cites"]] == [norm(f"{c}: {t}")
                                              for t, c in rules_cited(got["a"])]
    assert any("no 10% additional tax at any age" in c for c in got["cites"])
    assert not page.errors, page.errors


def test_every_message_is_an_alert_and_marks_its_field(page, base_url):
    """WCAG 2.1 SC 3.3.1 and 4.1.3: each message is announced (role="alert"), its field is
    marked invalid (aria-invalid) and described by it (aria-describedby) while it is shown."""
    page.goto(base_url + "/")
    quiet = page.evaluate("() => [...document.querySelectorAll('.err')].filter((e) => "
                          "e.getAttribute('role') !== 'alert' && e.getAttribute('role') !== "
                          "'status').map((e) => e.id)")
    assert quiet == []
    marks = """(id) => { const f = document.getElementById(id);
      return [f.getAttribute('aria-invalid'), f.getAttribute('aria-describedby')]; }"""
    page.evaluate("() => { showError('person.filing_status', 'Pick one.'); "
                  "showError('account.sources.elective_deferral.balance', 'Must be 0 or more.'); }")
    # Each field keeps its help as a description (tests/api/test_web_help_described.py).
    assert page.evaluate(marks, "person.filing_status") == [
        "true", "help-person.filing_status err-person.filing_status"]
    assert page.evaluate(marks, "src.elective_deferral") == [
        "true", "help-src.elective_deferral err-account.sources.elective_deferral.balance"]
    page.evaluate("() => clearErrors()")
    assert page.evaluate(marks, "person.filing_status") == [None, "help-person.filing_status"]
    assert page.evaluate(marks, "src.elective_deferral") == [None, "help-src.elective_deferral"]
    # Through the form: a negative balance is refused next to its field, then put right.
    spec = CASES["rule-of-55"]
    fill(page, base_url, {**spec, "form": {**spec["form"], "src.elective_deferral": "-5"}})
    assert page.evaluate(marks, "src.elective_deferral")[0] == "true"
    page.fill("[name='src.elective_deferral']", "310000")
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden])")
    assert page.evaluate(marks, "src.elective_deferral") == [None, "help-src.elective_deferral"]
    assert not page.errors, page.errors


def test_the_planners_money_columns_say_their_dollars(page, base_url):
    """IRMAA and Roth conversions are sums of each year's own dollars (the optimum's equal its
    year-by-year columns added up: tests/planner/test_plan_table_labels.py); the rest of the
    strategies table is in today's dollars, and the year-by-year table is nominal."""
    fill_plan(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])")
    heads = page.locator("#strategies th").all_inner_texts()
    money = [h for h in heads if h not in ("strategy", "success rate")]
    assert money == ["spending a year (today's $)", "lifetime tax (today's $)",
                     "Medicare IRMAA (nominal)", "Roth conversions (nominal)",
                     "estate (today's $)"]
    assert re.search(r"year by year \(nominal", page.locator("details summary").last.inner_text())
    assert not page.errors, page.errors
