"""Three findings of a participant help-desk review of `dist401k assess`.

D2. A loan that buys the participant's principal residence is not held to five years: "Clause
(i) shall not apply to any loan used to acquire any dwelling unit which within a reasonable time
is to be used ... as a principal residence of the participant" (IRC §72(p)(2)(B)(ii)).  A request
whose purpose is a home purchase takes the plan's residence term unless the case says the loan is
not a residence loan (``account.loans.residence: false``).

D3. A hardship is limited to the need plus the taxes reasonably anticipated (Treas. Reg.
§1.401(k)-1(d)(3)(iii)(A)): the table does not show the whole balance as what can come out.
The compare table's "leave it in the plan" row pays nothing now and says so.

J1. The emergency personal expense distribution is for "unforeseeable or immediate financial
needs relating to necessary personal or family emergency expenses" (IRC §72(t)(2)(I)(iv));
the plan may rely on the employee's written certification (Notice 2024-55, A-2), so the route
stays open, but a stated purpose that is not an emergency expense gets a caveat.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
from rich.console import Console
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.commands.assess import show
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, route

# The review's case c01-house.yaml: 38, a $30,000 loan to buy a home, at the plan's 8%, the
# plan's residence term 15 years.
HOUSE = {
    "person": {"birth_date": "1988-03-15", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2018-01-01"},
    "income": {"wages": 90000},
    "plan": {"type": "401k",
             "in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5}},
             "hardship": {"allowed": True, "self_certification": True,
                          "sources": ["elective_deferral"]},
             "loans": {"allowed": True, "max_count": 1, "interest_rate": 0.08,
                       "residence_term_years": 15}},
    "account": {"sources": {"elective_deferral": {"balance": 80000}}},
    "request": {"date": "2026-05-01", "amount": 30000, "purpose": "home_purchase",
                "need": 30000},
}

# By hand: i = 0.08 / 12 = 0.0066667 a month.
# 15 years: n = 180, (1 + i)^180 = 3.30692; 30,000 × i / (1 − 1 / 3.30692) = 200 / 0.697604
# = $286.70.  5 years: n = 60, (1 + i)^60 = 1.48985; 200 / (1 − 1 / 1.48985) = $608.29.
FIFTEEN_YEARS = 286.70
FIVE_YEARS = 608.29


def _house(changes: dict | None = None) -> dict:
    from routes.conftest import edited
    return edited(HOUSE, changes or {})


def _codes(summary_or_rows) -> set[str]:
    rows = summary_or_rows if isinstance(summary_or_rows, list) else [summary_or_rows]
    return {x["code"] for row in rows for x in row.get("reasons", ())}


def _route_rows(result: dict, name: str) -> list[dict]:
    return [r for r in result["routes"] if r["route"] == name]


# D2 ------------------------------------------------------------------------------------------

def test_a_home_purchase_loan_takes_the_residence_term(assess):
    r = assess(_house())
    s = route(r, "loan")
    assert s["term_years"] == 15
    assert s["payment"] == pytest.approx(FIFTEEN_YEARS, abs=0.005)
    reasons = {x["code"]: x for row in _route_rows(r, "loan") for x in row["reasons"]}
    assert "LN_TERM" not in reasons and "LN_RESIDENCE" not in reasons  # its own words instead
    said = reasons["LN_RESIDENCE_BY_PURPOSE"]
    assert "§72(p)(2)(B)(ii)" in said["citation"] and "account.loans.residence" in said["text"]


def test_an_explicit_non_residence_loan_keeps_five_years(assess):
    r = assess(_house({"account.loans": {"residence": False}}))
    s = route(r, "loan")
    assert s["term_years"] == 5
    assert s["payment"] == pytest.approx(FIVE_YEARS, abs=0.005)
    codes = _codes(_route_rows(r, "loan"))
    assert "LN_TERM" in codes and "LN_RESIDENCE" not in codes
    assert "LN_RESIDENCE_BY_PURPOSE" not in codes


def test_a_stated_residence_loan_and_another_purpose(assess):
    # residence: true — the residence term, without the purpose's words.
    r = assess(_house({"account.loans": {"residence": True}}))
    assert route(r, "loan")["payment"] == pytest.approx(FIFTEEN_YEARS, abs=0.005)
    assert "LN_RESIDENCE_BY_PURPOSE" not in _codes(_route_rows(r, "loan"))
    # Tuition, residence not given: five years.
    r = assess(_house({"request.purpose": "tuition"}))
    assert route(r, "loan")["payment"] == pytest.approx(FIVE_YEARS, abs=0.005)


LAW = default_law()
ROW = {"participant_id": "p", "request_date": dt.date(2026, 5, 1),
       "birth_date": dt.date(1988, 3, 15), "filing_status": "single", "wages": 90000.0,
       "plan_type": "401k", "hire_date": dt.date(2018, 1, 1),
       "balance_elective_deferral": 80000.0, "loans_allowed": True, "loans_max_count": 1.0,
       "loan_interest_rate": 0.08, "loan_residence_term_years": 15.0,
       "request_amount": 30000.0, "request_purpose": "home_purchase"}


def _eligibility(rows: list[dict]) -> list[dict]:
    names = list(dict.fromkeys(k for r in rows for k in r))
    table = pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert all(o["status"] == "ok" for o in out), out
    return out


def test_a_batch_book_gives_the_same_verdict():
    # The column given (true, false) or left blank, and a book without the column.
    given = _eligibility([{**ROW, "loan_residence": True}, {**ROW, "loan_residence": False},
                          {**ROW, "loan_residence": None}])
    without = _eligibility([ROW])
    codes = [set(o["loan_reasons"].split(";")) for o in [*given, *without]]
    assert "LN_RESIDENCE" in codes[0] and "LN_RESIDENCE_BY_PURPOSE" not in codes[0]
    assert "LN_TERM" in codes[1] and "LN_RESIDENCE" not in codes[1]
    for c in codes[2:]:
        assert "LN_RESIDENCE_BY_PURPOSE" in c and "LN_TERM" not in c


# D3 ------------------------------------------------------------------------------------------

def _table_text(result: dict) -> str:
    console = Console(file=io.StringIO(), width=200, record=True)
    show(console, Path("case.yaml"), result)
    return console.export_text()


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(start))


def test_the_hardship_row_shows_the_need_cap_not_the_balance(assess):
    r = assess(_house({"request.amount": "max"}))
    # JSON: `available` stays what the route may draw on (docs/assess.md), the need beside it.
    s = route(r, "hardship")
    assert s["available"] == 80000 and s["need_left"] == 30000
    row = _line(_table_text(r), "Hardship withdrawal")
    assert "80,000" not in row and "30,000 + tax" in row


def test_the_by_source_table_says_what_it_shows_and_the_caps(assess):
    text = _table_text(assess(_house({"request.amount": "max"})))
    part = text[text.index("By money source"):text.index("What the request would cost")]
    assert "may draw on" in part
    # The loan's maximum: half of $80,000 (§72(p)(2)(A)); the hardship's cap: the $30,000 need
    # plus its tax.
    assert "loan $40,000" in part
    assert "hardship the need left, $30,000, plus the tax on it" in part
    assert "§1.401(k)-1(d)(3)(iii)(A)" in part


def test_leave_it_in_the_plan_pays_nothing_now(tmp_path):
    case = tmp_path / "c01b.yaml"
    case.write_text(json.dumps(_house({"request.amount": "max"})))
    out = CliRunner().invoke(app, ["compare", str(case)], env={"COLUMNS": "100"})
    assert out.exit_code == 0, out.output
    table = out.output[:out.output.index("The options, and why")]
    first = next(line for line in table.splitlines() if line.strip().startswith(("1 ", "★ 1")))
    assert "44,491" not in first  # the gross the other options would take is not paid
    assert "1. leave it in the plan: nothing paid now" in out.output


# J1 ------------------------------------------------------------------------------------------

# The review's case c15-457-house.yaml: a governmental 457(b) that adopted the emergency
# personal expense distribution, a request to buy a home.
HOUSE_457 = make({
    "person": {"birth_date": "1981-02-02", "filing_status": "single"},
    "income": {"wages": 70000},
    "plan": {"type": "governmental_457b", "governmental": True,
             "hardship": {"allowed": True, "self_certification": False},
             "loans": {"allowed": True, "max_count": 1, "interest_rate": 0.08},
             "secure2": {"emergency_expense": True}},
    "account.sources": {"elective_deferral": {"balance": 60000}},
    "request": {"date": "2027-05-01", "amount": 20000, "purpose": "home_purchase",
                "need": 20000}})


def _emergency_reasons(result: dict) -> dict:
    return {x["code"]: x for row in _route_rows(result, "emergency_expense")
            for x in row["reasons"]}


def test_a_home_purchase_gets_the_emergency_caveat(assess):
    r = assess(HOUSE_457)
    assert route(r, "emergency_expense")["eligible"] is True  # self-certified: still open
    said = _emergency_reasons(r)["EP_PURPOSE_NOT_EMERGENCY"]
    assert "§72(t)(2)(I)(iv)" in said["citation"] and "Notice 2024-55" in said["citation"]
    assert "A-2" in said["citation"]


@pytest.mark.parametrize("purpose", ["medical", "emergency", "eviction", "none"])
def test_an_emergency_purpose_or_none_stated_gets_no_caveat(assess, purpose):
    from routes.conftest import edited
    r = assess(edited(HOUSE_457, {"request.purpose": purpose}))
    assert route(r, "emergency_expense")["eligible"] is True
    assert "EP_PURPOSE_NOT_EMERGENCY" not in _emergency_reasons(r)
