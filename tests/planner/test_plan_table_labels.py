"""The strategies compared: every money column says its dollars, in the terminal and the report
(the planner's page: tests/api/test_web_review.py).  The terminal titled the whole table "today's
dollars" while its IRMAA and conversions are sums of each year's own (nominal) dollars."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from dist401k.commands.plan import strategies_table
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import load_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()
COUPLE = "examples/plans/couple-social-security.yaml"


@pytest.fixture(scope="module")
def couple():
    hh = load_household(COUPLE)
    plan = make_plan(hh, LAW, monte_carlo=False)
    return plan, plan_json(plan)


def test_the_optimums_irmaa_and_conversions_are_nominal_sums(couple):
    """What the labels say, checked on the figures: the optimum's IRMAA and conversions are the
    sums of its year-by-year table, whose dollars are each year's own (nominal); its lifetime
    tax is the year's tax deflated to the first year's dollars by the plan's inflation."""
    plan, j = couple
    opt = next(s for s in j["strategies"] if s["key"] == "optimal")
    assert opt["irmaa"] == pytest.approx(sum(r["irmaa"] for r in j["table"]), abs=1)
    assert opt["roth_conversions"] == pytest.approx(sum(r["conversion"] for r in j["table"]),
                                                    abs=1)
    price = [(1 + plan.inflation) ** k for k in range(len(j["table"]))]
    assert opt["lifetime_tax_real"] == pytest.approx(
        sum((r["income_tax"] + r["additional_tax_72t"]) / p for r, p in zip(j["table"], price,
                                                                             strict=True)), abs=1)


def test_the_terminal_labels_every_money_column(couple):
    _, j = couple
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(strategies_table(j, "couple"))
    lines = buf.getvalue().splitlines()
    assert "today's dollars" not in lines[0]  # no unit for the whole table: it has two
    head = next(k for k, line in enumerate(lines) if "strategy" in line)
    units = lines[head].split()
    assert " ".join(units) == ("strategy today's $ today's $ nominal $ nominal $ today's $ "
                               "success")
    heads = " ".join(" ".join(lines[:head + 1]).split())
    for word in ("spending", "lifetime", "IRMAA", "conver-", "estate"):
        assert word in heads


def test_the_report_labels_every_money_column(couple):
    plan, _ = couple
    page = render_plan_html(plan)
    table = page[page.index("<h2>The strategies side by side"):]
    heads = re.findall(r"<th>([^<]*)</th>", table[:table.index("</tr>")])
    assert heads == ["strategy", "spending a year (today's $)", "lifetime tax (today's $)",
                     "IRMAA (nominal)", "Roth conversions (nominal)",
                     "estate after tax (today's $)", "Monte Carlo success"]
