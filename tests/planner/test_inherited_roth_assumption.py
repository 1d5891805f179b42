"""The plan takes an inherited Roth account's payments as qualified distributions — the deceased
owner's five-year period met (IRC §408A(d)(2)(A)(ii), §402A(d)(2); the heir's period counts from
the owner's, Treas. Reg. §1.408A-6, Q&A-7; §1.402A-1, Q&A-4) — without asking the year it began
(docs/plan.md).  docs/plan.md said so; the plan's own output did not.  Now its `assumptions` (the
JSON, the terminal, the report) carry a line saying so, only where the plan holds an inherited
Roth account."""

from __future__ import annotations

import copy
import html
import io
import re

from rich.console import Console

from dist401k.commands.plan import print_plan
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from planner.test_inherited_roth import P3

LAW = default_law()
SAID = "The inherited Roth account (inherited.0) is taken as past the deceased owner's five-year period"


def _plan(raw: dict):
    hh = parse_household(copy.deepcopy(raw))
    return hh, make_plan(hh, LAW, monte_carlo=False)


def _printed(plan, hh) -> str:
    buf = io.StringIO()
    print_plan(Console(file=buf, width=400, color_system=None), plan_json(plan), hh.id,
               bequest=bool(hh.spending.bequest),
               names=[p.name or f"person {i + 1}" for i, p in enumerate(hh.people)])
    return re.sub(r"[ \t]+", " ", buf.getvalue())


def test_an_inherited_roth_ira_is_said_to_be_taken_as_qualified():
    """p3.yaml: Dana's inherited Roth IRA — its payments are taken as qualified."""
    hh, plan = _plan(P3)
    j = plan_json(plan)
    said = [n for n in j["assumptions"] if n.startswith(SAID)]
    assert len(said) == 1 and "qualified distribution" in said[0]
    assert SAID in _printed(plan, hh) and html.escape(SAID) in render_plan_html(plan)


def test_no_line_without_an_inherited_roth_account():
    """The same account pre-tax (`roth: false`), or made the spouse's own Roth money: nothing
    inherited is held as a Roth account, nothing said."""
    pretax = copy.deepcopy(P3)
    pretax["inherited"][0]["beneficiary"]["roth"] = False
    _, plan = _plan(pretax)
    assert not [n for n in plan_json(plan).get("assumptions", []) if "inherited Roth" in n]
