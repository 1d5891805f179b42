"""A beneficiary other than the surviving spouse moves inherited plan money only to an *inherited*
IRA (IRC §402(c)(11)).  The comparison must not warn of what an own IRA does to that money:

- the 10% tax before 59½ (RULE_55_LOST): what an inherited IRA pays is paid on account of the
  owner's death, free of the 10% tax at any age (§72(t)(2)(A)(ii));
- the backdoor Roth's pro rata rule (PRO_RATA, Form 8606 line 6): an inherited IRA is not one of
  the heir's own traditional IRAs, whose basis and value Form 8606 adds up (§408(d)(2); IRS
  Pub. 590-B, inherited IRAs: only a spouse who treats it as their own combines it).

A surviving spouse's rollover goes to the spouse's own IRA: both traps stay.

And where an heir asks a destination not open to them, the comparison says why (the route's
reason, as ``assess`` gives it), not only a $0 "leave it".
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from dist401k.case import parse_case
from dist401k.compare import compare_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())


def _compared(case: dict) -> dict:
    return compare_case(parse_case(copy.deepcopy(case)))


def _codes(cmp: dict) -> list[str]:
    return [t["code"] for t in cmp["traps"]]


def _option(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


# A daughter of 34 inherits a governmental 457(b) (the shipped example). Moved to an inherited
# IRA, the money is still paid on account of death: no 10% tax at any age, so no access is
# lost by the transfer (§72(t)(2)(A)(ii)).
def test_shipped_child_heir_transfer_shows_no_10_percent_trap():
    cmp = _compared(_example("inherited-ten-year-before-rbd"))
    assert "RULE_55_LOST" not in _codes(cmp)
    assert "Rolling to an IRA loses" not in str(cmp["traps"])
    # the transfer is offered, and owes no 10% tax now either
    assert _option(cmp, "beneficiary:traditional_ira")["penalty_now"] == 0


def _spouse_of_457(**iras) -> dict:
    case = _example("inherited-ten-year-before-rbd")
    case["id"] = "spouse-457"
    case["beneficiary"]["relationship"] = "spouse"
    if iras:
        case["iras"] = iras
    return case


# The same 457(b) inherited by the surviving spouse (34, under 59½): the spouse's rollover goes
# to the spouse's OWN IRA, where the death exception does not follow the money and the 457(b)'s
# own exemption (§72(t)(9)) is lost: what is taken before 59½ owes the 10% tax.
def test_spouse_rollover_to_own_ira_keeps_the_10_percent_trap():
    cmp = _compared(_spouse_of_457())
    trap = next(t for t in cmp["traps"] if t["code"] == "RULE_55_LOST")
    assert "traditional_ira" in trap["figures"]["destinations"]
    assert "(t)(9)" in trap["citation"]  # the 457(b)'s own exemption, OC_LOST_457


# A nephew (over ten years younger: a designated beneficiary, not an eligible one) with a
# $7,000 backdoor Roth planned and no traditional IRA of his own. Form 8606 by hand without
# the inherited IRA: line 1 = 7,000 (nondeductible contribution), line 6 = 0, line 8 = 7,000,
# line 9 = 7,000, line 10 = 7,000 / 7,000 = 1.000, line 11 = 7,000 nontaxable, line 18 = 0.
# The inherited IRA is not his own: it does not enter line 6, the conversion stays 0% taxable,
# no trap, and the transfer's option carries no backdoor tax.  (Counted wrongly, line 6 would
# be 15,000: line 10 = 7,000 / 22,000 = 0.318, line 18 = 7,000 − 2,226 = 4,774 — 68.2%.)
NEPHEW = {
    "id": "nephew-backdoor",
    "person": {"birth_date": "1992-02-27"},
    "income": {"wages": 82000},
    "iras": {"backdoor_roth_planned": 7000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 140000}}},
    "beneficiary": {"deceased_birth_date": "1963-01-12", "date_of_death": "2025-08-30",
                    "relationship": "individual"},
    "request": {"date": "2026-11-23", "amount": 15000},
}


def test_nephew_inherited_ira_with_backdoor_shows_no_pro_rata():
    cmp = _compared(NEPHEW)
    assert "PRO_RATA" not in _codes(cmp)
    transfer = _option(cmp, "beneficiary:traditional_ira")
    assert transfer.get("backdoor_tax") is None
    assert not any("backdoor Roth" in n for n in transfer["notes"])


# The nephew who also holds $20,000 in his own traditional IRA: the trap stays, on his own IRA
# only. Form 8606 by hand: line 6 = 20,000 (the inherited IRA not counted), line 9 = 27,000,
# line 10 = 7,000 / 27,000 = 0.2593 → 0.259, line 11 = 7,000 × 0.259 = 1,813 nontaxable,
# line 18 = 7,000 − 1,813 = 5,187 taxable (74.1%).
def test_nephew_own_ira_still_counts_but_not_the_inherited_one():
    case = copy.deepcopy(NEPHEW)
    case["iras"]["traditional"] = 20000
    trap = next(t for t in _compared(case)["traps"] if t["code"] == "PRO_RATA")
    assert trap["figures"]["rolled"] == 0
    assert trap["figures"]["taxable"] == 5187
    assert trap["figures"]["nontaxable"] == 1813


# The surviving spouse with the same backdoor: the rollover to the spouse's own IRA counts.
# Form 8606 by hand: line 6 = 15,000 rolled, line 9 = 22,000, line 10 = 7,000 / 22,000 =
# 0.3182 → 0.318, line 11 = 2,226 nontaxable, line 18 = 4,774 taxable (68.2%; 0% without).
def test_spouse_rollover_to_own_ira_keeps_pro_rata():
    cmp = _compared(_spouse_of_457(backdoor_roth_planned=7000))
    trap = next(t for t in cmp["traps"] if t["code"] == "PRO_RATA")
    assert trap["figures"]["rolled"] == 15000
    assert trap["figures"]["taxable"] == 4774
    assert trap["figures"]["taxable_without"] == 0
    assert _option(cmp, "beneficiary:traditional_ira")["backdoor_tax"] > 0


def _sibling_60_day() -> dict:
    case = _example("inherited-sibling-close-in-age")
    case["request"].update(destination="indirect_60day", amount=50000)
    return case


# A sibling (a non-spouse beneficiary) asks for a 60-day rollover, which §402(c)(11)(A) does
# not open to them: the comparison says why, with the route's reason (as assess does).
def test_closed_heir_destination_says_why_in_compare_json():
    cmp = _compared(_sibling_60_day())
    assert [o["option"] for o in cmp["options"]] == ["leave"]
    note = next(n for n in cmp["notes"] if n["code"] == "BN_DEST_TRANSFER_ONLY")
    assert note["field"] == "request.destination"
    assert "§402(c)(11)(A)" in note["citation"]
    assert "60-day rollover" in note["text"]


def test_closed_estate_destination_says_why():
    case = _example("inherited-estate")
    case["request"]["destination"] = "traditional_ira"
    cmp = _compared(case)
    assert [n["code"] for n in cmp["notes"] if n["field"] == "request.destination"] == ["BN_DEST_ESTATE"]


def test_closed_heir_destination_says_why_on_the_terminal(tmp_path):
    from typer.testing import CliRunner

    from dist401k.cli import app

    path = tmp_path / "sib60.yaml"
    path.write_text(yaml.safe_dump(_sibling_60_day()))
    out = CliRunner().invoke(app, ["compare", str(path)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "is not open to you" in out.output
    assert "[request.destination]" in out.output


def test_open_heir_destination_has_no_closed_note():
    cmp = _compared(_example("inherited-sibling-close-in-age"))
    assert not [n for n in cmp["notes"] if n["code"].startswith("BN_DEST_")]


def test_the_report_files_a_closed_destination_under_its_own_heading():
    """The report put the reason a destination is not open under "What the law requires before
    paying", as if it were a step before payment: it has a heading of its own."""
    import re

    from dist401k.report import render_html

    page = render_html(_compared(_sibling_60_day()), prepared=None)
    headings = re.findall(r"<h2>([^<]*)</h2>\s*<ul class='notes'><li>([^<]*)", page)
    closed = [text for title, text in headings if title == "Why the destination asked for is not open"]
    assert len(closed) == 1 and "60-day rollover" in closed[0], headings
    assert not [t for title, t in headings
                if title == "What the law requires before paying" and "60-day rollover" in t]
