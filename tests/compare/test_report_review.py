"""The report, as a planner reviewed it: where each option's dollars go adds up to the gross with
the state's tax in a part of its own, the assumptions say which figures carry the state's tax and
what the later tax rate is, routes are named as the terminal names them, and every rule cited
keeps each of its texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.case import load_case
from dist401k.cli import app
from dist401k.compare import NOT_CHOSEN, compare_case
from dist401k.labels import ROUTE_LABELS
from dist401k.report import dollar_chart, dollar_parts, render_html, rules_cited
from dist401k.routes.base import ROUTES

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
PAT = EXAMPLES / "pat-california-rule-of-55.yaml"


@pytest.fixture(scope="module")
def pat() -> dict:
    return compare_case(load_case(PAT))


def test_the_state_tax_has_its_own_part_and_the_parts_add_up_to_the_gross(pat):
    """Pat, 56, single, separated in 2024 at 55, takes $40,000 in cash on 2025-10-15 with no
    other income, in California.  Federal (IRC §1(j), §63(c) as amended by OBBBA §70102: the
    2025 standard deduction $15,750; Rev. Proc. 2024-40 brackets): taxable 24,250, tax 10% ×
    11,925 + 12% × 12,325 = 2,671.50; no 10% additional tax (rule of 55, §72(t)(2)(A)(v)).
    California (FTB 2025 tax rate schedule X, indexed 3.0% from 2024 — 1% to 11,079, 2% to
    26,264, 4% to 41,452 —, standard deduction 5,706, personal exemption credit 153): taxable
    34,294, tax 110.79 + 303.70 + 321.20 − 153 = 582.69; none of its 2.5% additional tax (R&TC
    §17085(c) follows §72(t)).  So 40,000 = 36,745.81 kept + 2,671.50 + 0 + 582.69 + 0 — the
    report put the 582.69 into "stays invested"."""
    cash = next(o for o in pat["options"] if o["option"] == "separation:cash")
    parts = dollar_parts(cash)
    assert parts["income tax"] == pytest.approx(2671.50, abs=0.005)
    assert parts["10% additional tax"] == 0
    assert parts["state tax"] == pytest.approx(582.69, abs=0.005)
    assert parts["stays invested"] == pytest.approx(0, abs=0.005)
    assert parts["kept after all tax"] == pytest.approx(40000 - 2671.50 - 582.69, abs=0.005)
    assert parts["tax paid from other money"] == 0  # cash: every tax is paid out of the gross
    assert sum(parts.values()) == pytest.approx(40000, abs=0.01)
    bars = {t.name: list(t.x) for t in dollar_chart(pat).data}
    # no option pays tax from other money: that part is not drawn (nor in the legend)
    assert list(bars) == ["kept after all tax", "income tax", "10% additional tax", "state tax",
                          "stays invested"]
    assert bars["state tax"] == [pytest.approx(582.69, abs=0.005)]
    assert bars["stays invested"] == [pytest.approx(0, abs=0.005)]


def test_without_a_state_the_chart_has_no_state_part_and_every_bar_adds_up():
    """No state given: no state part, and each option's bar is its gross plus the tax it pays
    from other money (the parts of docs/compare.md §The report).  The in-service $15,000
    converted to a Roth IRA (single, wages $68,000, 2026: standard deduction $16,100, taxable
    $51,900 before it, all $15,000 in the 22% bracket): $3,300 of income tax, paid from other
    money, for the whole $15,000 goes into the Roth IRA (IRC §408A(d)(3)(A)) — a bar of
    $15,000 invested and $3,300 of tax from other money, $18,300 long; the cash options, which
    pay their taxes out of the gross, are their gross."""
    cmp = compare_case(load_case(EXAMPLES / "hardship-medical.yaml"))
    fig = dollar_chart(cmp)
    assert "state tax" not in [t.name for t in fig.data]
    paid = [o for o in cmp["options"] if o["gross"] > 0 and o["option"] != "leave"]
    bars = {t.name: list(t.x) for t in fig.data}
    for k, o in enumerate(paid):
        other = max(0.0, -o["kept_after_all_tax"])
        assert sum(t.x[k] for t in fig.data) == pytest.approx(o["gross"] + other, abs=0.01), o["label"]
    k = next(k for k, o in enumerate(paid) if o["option"] == "in_service:roth_ira")
    assert bars["stays invested"][k] == pytest.approx(15000, abs=0.005)
    assert bars["tax paid from other money"][k] == pytest.approx(3300, abs=0.005)
    assert bars["income tax"][k] == 0 and bars["kept after all tax"][k] == 0
    assert sum(t.x[k] for t in fig.data) == pytest.approx(18300, abs=0.01)
    k = next(k for k, o in enumerate(paid) if o["option"] == "in_service:cash")
    assert sum(t.x[k] for t in fig.data) == pytest.approx(15000, abs=0.01)
    assert bars["tax paid from other money"][k] == 0


def _assumptions(page: str) -> str:
    return re.sub("<[^>]+>", " ", page[page.index("<h2>Assumptions"):page.index(
        "<h2>The rules behind")])


def test_the_assumptions_say_which_figures_carry_the_state_tax(pat):
    """With a state, "federal tax only" was false: the state's tax is in the taxes now and in
    what is kept after all tax (582.69 above); the later value takes off only the later tax
    rate, which by default is a federal rate (compare.py's first_dollar_rate, from the federal
    tax alone)."""
    said = _assumptions(render_html(pat))
    assert "federal tax only" not in said
    assert "CA's tax" in said and "in the taxes now" in said and "kept after all tax" in said
    assert "no state tax on money withdrawn later" in said
    alone = _assumptions(render_html(compare_case(load_case(EXAMPLES / "hardship-medical.yaml"))))
    assert "federal tax only" in alone and "state you live in" in alone


def test_the_later_tax_rate_is_named_for_what_it_is(pat):
    """The default later rate is the federal rate on the first dollar withdrawn: Pat's first
    dollar falls under the 2025 standard deduction of $15,750 (§63(c), OBBBA §70102), so 0.0%
    — the report called it "today's marginal rate" while its trap said the last dollar is taxed
    at 12.0%.  The report and the terminal name it the same."""
    assert pat["assumptions"]["later_tax_rate"] == 0.0
    said = _assumptions(render_html(pat)).replace("&#x27;", "'")
    assert "0.0% (today's federal rate on the first dollar withdrawn)" in said
    assert "marginal rate" not in said
    r = CliRunner().invoke(app, ["compare", str(PAT)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "later tax rate 0.0% (today's federal rate on the first dollar withdrawn)" in \
        " ".join(r.output.split())


def test_every_route_has_one_name_shared_by_the_terminal_and_the_report():
    """One table of names (dist401k.labels), every route of dist401k in it."""
    assert set(ROUTES) | set(NOT_CHOSEN) <= set(ROUTE_LABELS)
    from dist401k.commands import assess

    assert assess.ROUTE_LABELS is ROUTE_LABELS  # the terminal's table is this one, not a copy


@pytest.mark.parametrize("name", ["rmd-still-working", "small-457-cashout", "birth-adoption",
                                  "loan-default"])
def test_the_report_names_routes_as_the_terminal_does(name):
    """"Required minimum distribution", "457(b) small-account cash-out", "In-service
    withdrawal": the report said "rmd", "de minimis 457", "in service"."""
    cmp = compare_case(load_case(EXAMPLES / f"{name}.yaml"))
    page = render_html(cmp)
    ways = page[page.index("<h2>Ways out now"):page.index("</table>", page.index("<h2>Ways out"))]
    for s in cmp["assessment"]["route_summary"]:
        assert f"<td>{ROUTE_LABELS[s['route']]}</td>" in ways.replace("&#x27;", "'")
        code = s["route"].replace("_", " ")
        assert f"<td>{code}</td>" not in ways, code
    for o in cmp["options"]:
        route = o["option"].split(":")[0]
        if route in ROUTE_LABELS and route != "roth_ira" and route != "loan":
            assert o["label"].startswith(ROUTE_LABELS[route] + ": "), o["label"]
    assert "Routes checked: In-service withdrawal, Hardship withdrawal" in page


def test_every_text_of_a_citation_is_listed():
    """An inherited account: two texts cite Form 1099-R code 4's rule; the report keeps every
    (text, citation) pair, in the order of citation, then text."""
    cmp = compare_case(load_case(EXAMPLES / "inherited-estate.yaml"))
    a = cmp["assessment"]
    pairs = {(r["text"], r["citation"]) for row in a["routes"] + a["outcomes"]
             for r in row["reasons"]}
    listed = rules_cited(a)
    assert set(listed) == pairs and len(listed) == len(pairs)
    assert listed == sorted(listed, key=lambda p: (p[1], p[0]))
    assert len({c for _, c in pairs}) < len(pairs)  # a citation with two texts
    assert any("no 10% additional tax at any age" in t for t, _ in listed)


def test_the_web_page_reads_the_same_names(tmp_path):
    """GET /labels serves this one table (and the comparison's destinations) to the page."""
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.compare import LABELS
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    r = client.get("/labels")
    assert r.status_code == 200
    assert r.json() == {"routes": ROUTE_LABELS, "destinations": LABELS}
