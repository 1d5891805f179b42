"""Each strategy's state income tax over the plan, beside its federal lifetime tax
(docs/plan.md, "State income tax"): the JSON's ``lifetime_state_tax`` (nominal) and
``lifetime_state_tax_real`` (today's dollars) are the strategy's own year-by-year ``state_tax``
added up as the federal figure is; 0 without a state; null — never a sum that leaves a year out
— where a year's state tax is not figured, with those years; and the terminal's strategies
table, the report, POST /plan and the planner page show it.

The expected sums are worked here from the rows of each strategy's year table (its own
dollars, and each over the price level (1 + inflation)^k of its k-th year), not read from the
strategy's totals."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from api.conftest import base_url, page  # noqa: F401  (the browser tests' server and page)
from dist401k.cli import app
from dist401k.law import default_law
from dist401k.money import dollars_text
from dist401k.planner.household import load_household
from dist401k.planner.plan import make_plan, plan_json, state_tax_totals, year_table
from dist401k.planner.simulate import Result

ROOT = Path(__file__).parents[2]
PLANS = ROOT / "examples" / "plans"
LAW = default_law()


@pytest.fixture(scope="module")
def nj_to_fl():
    """The shipped couple in New Jersey who move to Florida in 2029 (the state's tax in 2027
    and 2028 only)."""
    plan = make_plan(load_household(PLANS / "couple-nj-to-fl.yaml"), LAW, monte_carlo=False)
    return plan, plan_json(plan)


@pytest.fixture(scope="module")
def stateless():
    plan = make_plan(load_household(PLANS / "single-retiree.yaml"), LAW, monte_carlo=False)
    return plan, plan_json(plan)


def _by_hand(rows: list[dict], inflation: float) -> tuple[float, float]:
    """A strategy's state tax over the plan from its year table: the rows' ``state_tax``
    added up (nominal), and each over its year's price level (today's dollars)."""
    nominal = sum(r["state_tax"] for r in rows)
    real = sum(r["state_tax"] / (1 + inflation) ** k for k, r in enumerate(rows))
    return nominal, real


def test_each_strategys_state_tax_is_its_year_tables_sum(nj_to_fl):
    plan, j = nj_to_fl
    assert [s["key"] for s in j["strategies"]] == ["order", "systematic", "fill", "optimal"]
    for s in j["strategies"]:
        rows = year_table(plan, s["key"])
        assert {r["state"] for r in rows if r["year"] < 2029} == {"NJ"}
        assert {r["state"] for r in rows if r["year"] >= 2029} == {"FL"}
        assert all(r["state_tax"] == 0 for r in rows if r["state"] == "FL")  # no income tax
        nominal, real = _by_hand(rows, j["inflation"])
        assert nominal > 0, s["key"]  # two New Jersey years: a tax to add up
        # the rows are rounded to the cent: a cent a row at most
        assert s["lifetime_state_tax"] == pytest.approx(nominal, abs=0.01 * len(rows))
        assert s["lifetime_state_tax_real"] == pytest.approx(real, abs=0.01 * len(rows))
        assert s["lifetime_state_tax_real"] < s["lifetime_state_tax"]  # 2028's is deflated
        assert "state_tax_not_figured" not in s
        # the state block's total is the same figure
        assert j["state"]["strategies"][s["key"]]["state_tax"] == s["lifetime_state_tax"]
    # the federal figures keep their meaning: federal income tax and the 10% tax alone
    opt = next(s for s in j["strategies"] if s["key"] == "optimal")
    price = [(1 + j["inflation"]) ** k for k in range(len(j["table"]))]
    assert opt["lifetime_tax_real"] == pytest.approx(sum(
        (r["income_tax"] + r["additional_tax_72t"]) / p
        for r, p in zip(j["table"], price, strict=True)), abs=1)


def test_a_plan_without_a_state_has_a_state_tax_of_zero(stateless):
    """0, not null: without a ``state`` the plan figures no state tax, and its spending pays
    none (the simulator's state tax is 0 every year), so the comparison's state part is 0."""
    plan, j = stateless
    assert plan.household.state is None and "state" not in j
    for s in j["strategies"]:
        assert s["lifetime_state_tax"] == 0 and s["lifetime_state_tax_real"] == 0
        assert "state_tax_not_figured" not in s


def _with_unfigured_years(res: Result, years: list[int]) -> Result:
    """The result with the state tax of ``years`` not figured (NaN)."""
    cols = dict(res.cols)
    cols["state_tax"] = res["state_tax"].copy()
    cols["state_tax"][0, np.isin(res.years, years)] = np.nan
    return dataclasses.replace(res, cols=cols)


def test_a_year_not_figured_leaves_the_total_null_with_its_years(nj_to_fl):
    plan, _ = nj_to_fl
    o = plan.strategies[0]
    price = (1 + plan.inflation) ** np.arange(plan.timeline.T)
    res = _with_unfigured_years(o.result, [2028, 2030])
    assert state_tax_totals(res, price, plan.timeline.years) == {
        "state_tax": None, "state_tax_real": None, "state_tax_not_figured": [2028, 2030]}
    # the JSON: null totals and the years, in the strategy and in the state block
    unfigured = dataclasses.replace(plan, strategies=[
        dataclasses.replace(o, **state_tax_totals(res, price, plan.timeline.years)),
        *plan.strategies[1:]])
    j = plan_json(unfigured)
    s = j["strategies"][0]
    assert s["lifetime_state_tax"] is None and s["lifetime_state_tax_real"] is None
    assert s["state_tax_not_figured"] == [2028, 2030]
    assert j["state"]["strategies"][o.key]["state_tax"] is None
    assert all("state_tax_not_figured" not in t for t in j["strategies"][1:])
    # the terminal says "not figured" in the row and names the strategy and the years
    from dist401k.commands.plan import print_plan

    buf = io.StringIO()
    print_plan(Console(file=buf, width=200, color_system=None), j, "nj", bequest=False,
               names=["a", "b"])
    text = buf.getvalue()
    row = next(line for line in text.splitlines() if line.lstrip().startswith("Taxable first"))
    assert "not figured" in row
    assert f"{o.label}: 2028, 2030" in text
    # and so does the report
    from dist401k.plan_report import render_plan_html

    report = render_plan_html(unfigured)
    assert "<td>not figured</td>" in report and "2028, 2030" in report


def _strategies_rows(text: str, labels: list[str]) -> list[str]:
    lines = text.splitlines()
    return [next(line for line in lines if line.lstrip().lstrip("★ ").startswith(label[:12]))
            for label in labels]


def test_the_terminal_shows_the_state_tax_column(nj_to_fl, stateless):
    from dist401k.commands.plan import strategies_table

    _, j = nj_to_fl
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(strategies_table(j, "nj"))
    text = buf.getvalue()
    head = next(k for k, line in enumerate(text.splitlines()) if "strategy" in line)
    heads = text.splitlines()[:head + 1]
    assert "state" in " ".join(heads)
    assert " ".join(heads[head].split()) == ("strategy today's $ today's $ today's $ nominal $ "
                                              "nominal $ today's $ success")
    for s, row in zip(j["strategies"], _strategies_rows(text, [s["label"] for s in j["strategies"]]),
                      strict=True):
        cells = row.split()
        k = cells.index(dollars_text(s["lifetime_tax_real"]))
        assert cells[k + 1] == dollars_text(s["lifetime_state_tax_real"])  # beside it
    # without a state: no such column
    _, j0 = stateless
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(strategies_table(j0, "single"))
    text = buf.getvalue()
    assert not re.search(r"\bstate\b", text)  # ("estate" is another column)
    head = next(line for line in text.splitlines() if "strategy" in line)
    assert " ".join(head.split()) == ("strategy today's $ today's $ nominal $ nominal $ "
                                      "today's $ success")


def test_the_cli_json_and_table_carry_it():
    r = CliRunner().invoke(app, ["plan", str(PLANS / "couple-nj-to-fl.yaml"), "--no-monte-carlo",
                                 "-f", "json"])
    assert r.exit_code == 0, r.output
    j = json.loads(r.stdout)
    nominal, real = _by_hand(j["table"], j["inflation"])
    opt = next(s for s in j["strategies"] if s["key"] == "optimal")
    assert opt["lifetime_state_tax"] == pytest.approx(nominal, abs=0.01 * len(j["table"]))
    assert opt["lifetime_state_tax_real"] == pytest.approx(real, abs=0.01 * len(j["table"]))
    r = CliRunner().invoke(app, ["plan", str(PLANS / "couple-nj-to-fl.yaml"), "--no-monte-carlo"],
                           env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    row = next(line for line in r.stdout.splitlines() if "Optimum" in line)
    assert dollars_text(opt["lifetime_state_tax_real"]) in row.split()
    assert "state tax (the state income tax)" in " ".join(r.stdout.split())


def test_the_report_shows_the_state_tax_column(nj_to_fl):
    from dist401k.plan_report import render_plan_html

    plan, j = nj_to_fl
    report = render_plan_html(plan)
    table = report[report.index("<h2>The strategies side by side"):]
    heads = re.findall(r"<th>([^<]*)</th>", table[:table.index("</tr>")])
    assert heads[2:4] == ["lifetime tax (today's $)", "state tax (today's $)"]
    first = re.findall(r"<td>([^<]*)</td>", table[table.index("</tr>"):])[:4]
    s = j["strategies"][0]
    assert first[2:4] == [dollars_text(s["lifetime_tax_real"]),
                          dollars_text(s["lifetime_state_tax_real"])]


def test_post_plan_answers_and_declares_it(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    case = json.loads(json.dumps(yaml.safe_load((PLANS / "couple-nj-to-fl.yaml").read_text()),
                                 default=str))
    r = client.post("/plan", json=case, params={"paths": 0})
    assert r.status_code == 200, r.text
    j = r.json()
    nominal, real = _by_hand(j["table"], j["inflation"])
    for s in j["strategies"]:
        assert s["lifetime_state_tax"] == pytest.approx(nominal, abs=0.01 * len(j["table"])) \
            if s["key"] == "optimal" else s["lifetime_state_tax"] > 0
    opt = next(s for s in j["strategies"] if s["key"] == "optimal")
    assert opt["lifetime_state_tax_real"] == pytest.approx(real, abs=0.01 * len(j["table"]))
    schema = client.get("/openapi.json").json()["components"]["schemas"]["PlanStrategy"]
    for key in ("lifetime_state_tax", "lifetime_state_tax_real"):
        assert key in schema["required"] and schema["properties"][key]["description"]
    assert "state_tax_not_figured" in schema["properties"]


@pytest.mark.slow
def test_the_planner_page_shows_it(page, base_url):  # noqa: F811
    """The single retiree of the planner page's tests in New York: the strategies table has a
    "state tax (today's $)" column beside the lifetime tax, each row the answer's state tax
    over the plan, which is its year table's sum; without a state the column is not there."""
    from api.test_web_plan import HOUSEHOLDS, _in_state, fill

    page.goto(base_url + "/planner")
    with page.expect_response(lambda r: "/plan?" in r.url and r.request.method == "POST") as got:
        _in_state(page, "ny", lambda: None)
    j = got.value.json()
    page.wait_for_selector("#strategies-state:not(:empty)")
    heads = page.locator("#strategies th").all_inner_texts()
    assert heads[1:4] == ["spending a year (today's $)", "lifetime tax (today's $)",
                          "state tax (today's $)"]
    opt = next(s for s in j["strategies"] if s["key"] == "optimal")
    nominal, real = _by_hand(j["table"], j["inflation"])
    assert nominal > 0  # New York taxes the IRA's withdrawals above its $20,000 exclusion
    assert opt["lifetime_state_tax_real"] == pytest.approx(real, abs=0.01 * len(j["table"]))
    rows = page.locator("#strategies tr[data-key]")
    assert rows.count() == len(j["strategies"])
    for i, s in enumerate(j["strategies"]):
        row = rows.nth(i)
        assert float(row.get_attribute("data-state-tax")) == pytest.approx(
            s["lifetime_state_tax_real"], abs=0.01)
        assert row.locator("td").nth(3).inner_text() == dollars_text(s["lifetime_state_tax_real"])
    assert "state of residence" in page.locator("#strategies-state").inner_text()
    # without a state: no such column, no such line
    fill(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])")
    page.wait_for_selector("#strategies-state", state="hidden")
    assert "state tax (today's $)" not in page.locator("#strategies th").all_inner_texts()
    assert not page.errors, page.errors


@pytest.mark.parametrize("columns", [40, 80])
def test_the_state_tax_column_is_never_cut(nj_to_fl, columns):
    """The terminal's strategies table with its state tax column at a narrow width: every
    figure whole, no "…" (docs/cli.md; tests/cli/test_narrow_tables.py's check)."""
    from cli.test_narrow_tables import check
    from dist401k.commands._output import print_table
    from dist401k.commands.plan import strategies_table

    _, j = nj_to_fl
    buf = io.StringIO()
    print_table(Console(file=buf, width=columns, color_system=None), strategies_table(j, "nj"))
    figures = [dollars_text(s[k]) for s in j["strategies"]
               for k in ("lifetime_tax_real", "lifetime_state_tax_real", "estate_real")]
    assert not check(buf.getvalue(), figures, columns)
