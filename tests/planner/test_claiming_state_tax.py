"""The claiming-age search's rows with the state's income tax (docs/plan.md, "When to claim
Social Security" and "State income tax"): each row of ``claiming.compared`` carries
``lifetime_state_tax_real``, the state tax over the plan of that choice of ages' own optimum
(today's dollars), beside its federal ``lifetime_tax_real``; 0 without a state; null with the
years where a year's is not figured; shown as a "state tax" column by the terminal, the report
and the planner page only where the plan has a ``state``.

The expected figures are worked independently of the search: the plan is made again with each
row's claiming ages given (no search), and its year table's ``state_tax`` is added up, each
year's over its price level (1 + inflation)^k.  The choice of ages is not changed: the spending
that picks it is already after the state tax — each year of a plan, the money that comes in less
the federal tax, the state's and IRMAA is what is spent and saved (checked here on the year
table)."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from api.conftest import base_url, page  # noqa: F401  (the browser tests' server and page)
from dist401k.cli import app
from dist401k.law import default_law
from dist401k.money import dollars_text
from dist401k.planner.claiming import Candidate, _row
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json, year_table

ROOT = Path(__file__).parents[2]
PLANS = ROOT / "examples" / "plans"
LAW = default_law()


def _case(state: str | None = "NY", search: bool = True, claim_age: float | None = None) -> dict:
    """The shipped single retiree (Robin, born March 1961, Social Security of $2,500 a month at
    full retirement age), in ``state``, with the claiming search or a claiming age given."""
    d = json.loads(json.dumps(yaml.safe_load((PLANS / "single-retiree.yaml").read_text()),
                              default=str))
    if state is not None:
        d["state"] = state
    d["strategy"]["search_claiming"] = search
    if claim_age is not None:
        d["people"][0]["social_security"]["claim_age"] = claim_age
    return d


@pytest.fixture(scope="module")
def searched():
    """The single retiree in New York, the claiming ages searched."""
    plan = make_plan(parse_household(_case()), LAW, monte_carlo=False)
    return plan, plan_json(plan)


@pytest.fixture(scope="module")
def stateless():
    """The same without a state."""
    plan = make_plan(parse_household(_case(state=None)), LAW, monte_carlo=False)
    return plan, plan_json(plan)


def _by_hand(rows: list[dict], inflation: float) -> float:
    """The state tax over the plan in today's dollars from a year table: each row's
    ``state_tax`` over its year's price level, added up."""
    return sum(r["state_tax"] / (1 + inflation) ** k for k, r in enumerate(rows))


def _fixed(age: float):
    """The plan made again with the claiming age given (no search): the row's age in whole
    months (the JSON's ages are rounded to 4 decimals: 69 and 11 months is 69.9167)."""
    months = round(age * 12)
    return make_plan(parse_household(_case(search=False, claim_age=months / 12)), LAW,
                     monte_carlo=False)


def test_each_rows_state_tax_is_its_own_plans(searched):
    """Each row's state tax is the one of the plan made with its ages (and that plan is the
    row's: the same spending); the rows differ, so the figure is each row's own."""
    _, j = searched
    rows = j["claiming"]["compared"]
    assert [r["choice"] for r in rows] == ["best", "full_retirement_age", "last_age"]
    for r in rows:
        assert r["plan"] and "state_tax_not_figured" not in r
        again = _fixed(r["claim_ages"][0])
        table = year_table(again, "optimal")
        assert {t["state"] for t in table} == {"NY"}
        real = _by_hand(table, again.inflation)
        assert real > 0  # New York taxes the IRA's withdrawals above its $20,000 exclusion
        opt = next(o for o in again.strategies if o.key == "optimal")
        assert r["spending_real"] == pytest.approx(opt.spending_real, abs=0.01)
        # the rows are rounded to the cent: a cent a row at most
        assert r["lifetime_state_tax_real"] == pytest.approx(real, abs=0.01 * len(table)), r
    assert len({r["lifetime_state_tax_real"] for r in rows}) == 3
    # the plan shown is made with the best ages: its optimum's figure is the best row's
    best = next(s for s in j["strategies"] if s["key"] == "optimal")
    assert best["lifetime_state_tax_real"] == rows[0]["lifetime_state_tax_real"]


def test_the_spending_that_picks_the_best_is_after_the_state_tax(searched):
    """Why the search's objective needs no change: in each year of the best ages' plan, the
    money that comes in less the federal tax, the 10% tax, the state's tax and IRMAA is what is
    spent and saved (``spending`` + ``deposit``); left out, the state tax would break it."""
    _, j = searched
    table = j["table"]
    inflow = ("wages", "pension", "social_security", "pretax_withdrawal", "roth_withdrawal",
              "taxable_withdrawal", "cash_withdrawal")
    for r in table:
        net = (sum(r[k] for k in inflow) - r["income_tax"] - r["additional_tax_72t"]
               - r["state_tax"] - r["irmaa"])
        assert net == pytest.approx(r["spending"] + r["deposit"], abs=0.05), r["year"]
    assert sum(r["state_tax"] for r in table) > 1_000


def test_a_stateless_plans_rows_have_a_state_tax_of_zero_and_no_column(stateless):
    """Without a state: 0 in the JSON (the plan figures none, as a strategy's), and neither the
    terminal's claiming table nor the report has the column."""
    from dist401k.commands.plan import claiming_table
    from dist401k.plan_report import _claiming_html

    plan, j = stateless
    assert "state" not in j
    for r in j["claiming"]["compared"]:
        assert r["lifetime_state_tax_real"] == 0 and "state_tax_not_figured" not in r
    heads = [c.header for c in claiming_table(j).columns]
    assert not any("state" in h.split() for h in heads), heads
    assert len(heads) == 6
    assert "state tax" not in _claiming_html(j)


def test_the_terminal_and_the_report_show_the_column(searched):
    from dist401k.commands.plan import claiming_table
    from dist401k.plan_report import _claiming_html

    _, j = searched
    t = claiming_table(j)
    heads = [c.header for c in t.columns]
    assert heads[3:5] == ["lifetime tax\ntoday's $", "state tax\ntoday's $"]
    cells = [list(c.cells) for c in t.columns]
    for i, r in enumerate(j["claiming"]["compared"]):
        assert cells[3][i] == dollars_text(r["lifetime_tax_real"])
        assert cells[4][i] == dollars_text(r["lifetime_state_tax_real"])
    page_html = _claiming_html(j)
    assert "<th>lifetime tax (today's $)</th><th>state tax (today's $)</th>" in page_html
    first = j["claiming"]["compared"][0]
    assert (f"<td>{dollars_text(first['lifetime_tax_real'])}</td>"
            f"<td>{dollars_text(first['lifetime_state_tax_real'])}</td>") in page_html


def test_a_row_not_figured_is_null_with_its_years(searched):
    """A row whose state tax has a year not figured (None from the exact pricing): null in the
    JSON with ``state_tax_not_figured``, "not figured" in the tables and the years said."""
    from dist401k.commands.plan import claiming_table
    from dist401k.plan_report import _claiming_html

    _, j = searched
    exact = {"spending_real": 70_000.0, "estate_real": 0.0, "lifetime_tax_real": 1.0,
             "irmaa": 0.0, "lifetime_state_tax_real": None, "state_tax_not_figured": [2028, 2030]}
    row = _row("best", Candidate((67.0,), 0.0, exact), (None,))
    assert row["lifetime_state_tax_real"] is None
    assert row["state_tax_not_figured"] == [2028, 2030]
    assert row["spending_real"] == 70_000
    j = {**j, "claiming": {**j["claiming"], "compared": [row, *j["claiming"]["compared"][1:]]}}
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(claiming_table(j))
    text = " ".join(buf.getvalue().split())  # the caption wraps at the table's width
    assert "not figured" in text and "best found: 2028, 2030" in text
    report = _claiming_html(j)
    assert "<td>not figured</td>" in report and "best found: 2028, 2030" in report
    # a row with a figure keeps no such key
    ok = _row("best", Candidate((67.0,), 0.0, {**exact, "lifetime_state_tax_real": 5.0,
                                                "state_tax_not_figured": []}), (None,))
    assert ok["lifetime_state_tax_real"] == 5 and "state_tax_not_figured" not in ok


def test_the_cli_prints_it(searched, tmp_path):
    _, j = searched
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case()))
    out = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"],
                             env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    claim = out.output[out.output.index("When to claim Social Security"):]
    line = next(x for x in claim.splitlines() if x.lstrip().startswith("best found"))
    r = j["claiming"]["compared"][0]
    assert re.search(rf"{re.escape(dollars_text(r['lifetime_tax_real']))}\s+"
                     rf"{re.escape(dollars_text(r['lifetime_state_tax_real']))}\s", line), line


def test_post_plan_answers_and_declares_it(searched, tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    _, j = searched
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    r = client.post("/plan", json=_case(), params={"paths": 0})
    assert r.status_code == 200, r.text
    rows = r.json()["claiming"]["compared"]
    assert rows == j["claiming"]["compared"]
    assert all(row["lifetime_state_tax_real"] > 0 for row in rows)  # New York's, each row
    schema = client.get("/openapi.json").json()["components"]["schemas"]["PlanClaimingRow"]
    for key in ("lifetime_state_tax_real", "state_tax_not_figured"):
        assert schema["properties"][key]["description"], key


@pytest.mark.slow
def test_the_planner_page_shows_it(page, base_url):  # noqa: F811
    """The page's single retiree in New York with the search: the claiming table has a "state
    tax (today's $)" column after the lifetime tax, each row the answer's figure (the best's the
    sum of the answer's own year table); without the state, no such column."""
    from api.test_web_plan import HOUSEHOLDS

    page.goto(base_url + "/planner")
    for name, value in HOUSEHOLDS["single-retiree"]["form"].items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name='state']", "ny")
    page.locator("[name='state']").dispatch_event("change")
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    page.get_by_label("Choose the claiming ages for me").check()
    with page.expect_response(lambda r: "/plan?" in r.url and r.request.method == "POST",
                              timeout=300_000) as answer:
        page.click("button[type=submit]")
    j = answer.value.json()
    got = j["claiming"]
    page.wait_for_selector("#claiming-table tbody:not(:empty)", timeout=300_000)
    table = page.locator("#claiming-table")
    heads = table.locator("thead th").all_inner_texts()
    assert heads[3:5] == ["lifetime tax (today's $)", "state tax (today's $)"], heads
    rows = table.locator("tbody tr")
    assert rows.count() == len(got["compared"]) == 3
    for i, r in enumerate(got["compared"]):
        cell = rows.nth(i).locator("td").nth(3)
        assert float(cell.get_attribute("data-state-tax")) == pytest.approx(
            r["lifetime_state_tax_real"], abs=0.01)
        assert cell.inner_text() == f"{math.floor(r['lifetime_state_tax_real'] + 0.5):,}"
    real = _by_hand(j["table"], j["inflation"])
    assert real > 0
    assert got["compared"][0]["lifetime_state_tax_real"] == pytest.approx(
        real, abs=0.01 * len(j["table"]))
    assert "state tax" in page.locator("#claiming-help").inner_text()
    # without a state: no such column
    page.fill("[name='state']", "")
    page.locator("[name='state']").dispatch_event("change")
    with page.expect_response(lambda r: "/plan?" in r.url and r.request.method == "POST",
                              timeout=300_000) as again:
        page.click("button[type=submit]")
    assert "state" not in again.value.json()
    page.wait_for_selector("#claiming-table thead th:has-text('state tax')", state="detached",
                           timeout=300_000)
    page.wait_for_selector("#claiming-table tbody:not(:empty)")
    assert "state tax (today's $)" not in table.locator("thead th").all_inner_texts()
    assert table.locator("thead th[scope='col']").count() == 6
    assert not page.errors, page.errors


@pytest.mark.parametrize("columns", [40, 80])
def test_the_state_tax_column_is_never_cut(searched, columns):
    """The terminal's claiming table with its state tax column at a narrow width: every figure
    whole, no "…" (docs/cli.md; tests/cli/test_narrow_tables.py's check)."""
    from cli.test_narrow_tables import check
    from dist401k.commands._output import print_table
    from dist401k.commands.plan import claiming_table

    _, j = searched
    buf = io.StringIO()
    print_table(Console(file=buf, width=columns, color_system=None), claiming_table(j))
    figures = [dollars_text(r[k]) for r in j["claiming"]["compared"]
               for k in ("lifetime_tax_real", "lifetime_state_tax_real", "estate_real")]
    assert not check(buf.getvalue(), figures, columns)
