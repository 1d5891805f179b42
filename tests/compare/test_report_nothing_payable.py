"""The report says what the assess page says (app.js, r_web findings 4 and 6): where the case
does not give the plan's limit on loans at once (``plan.loans.max_count``, the case's default
taken), the loan row says what was assumed instead of stating the plan's limit as a fact; and
where nothing can be paid, it says so in words, with no table of zeros, no "best" $0 option and
no flat chart."""

from __future__ import annotations

import copy
import json
import re

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import Case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.report import render_html

# At work at 45 (born 1981-07-04), pre-tax $120,000 and one loan of $20,000 still owed; $40,000
# asked on 2026-12-01. The plan lends; its limit on loans at once is not given.
LOAN = {"person": {"birth_date": "1981-07-04", "filing_status": "married_joint"},
        "employment": {"status": "active", "hire_date": "2010-01-15"},
        "income": {"wages": 95000},
        "plan": {"type": "401k", "hardship": {"allowed": True}, "loans": {"allowed": True}},
        "account": {"sources": {"elective_deferral": {"balance": 120000}},
                    "loans": {"outstanding": 20000, "count": 1}},
        "request": {"amount": 40000, "purpose": "none", "date": "2026-12-01"}}

AS_FACT = "You already have as many loans as the plan allows"


def with_count(n: int | None, destination: str | None = None) -> dict:
    case = copy.deepcopy(LOAN)
    if n is not None:
        case["plan"]["loans"]["max_count"] = n
    if destination:
        case["request"]["destination"] = destination
    return case


def report_of(data: dict) -> str:
    case = Case.model_validate(data)
    return render_html(compare_case(case), case=case)


def text(part: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def section(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i:page.index(end, i)]


def ways_out(page: str) -> str:
    return text(section(page, "<h2>Ways out now", "</table>"))


def test_a_loan_count_not_given_is_said_to_be_assumed():
    """No plan.loans.max_count: the case's default (one loan at once) closed the loan, not the
    plan. The loan row says the limit was not given and what was taken, the notes of what was
    assumed name the field, and the rules cited do not state the count as the plan's."""
    page = report_of(with_count(None))
    loan = re.search(r"Plan loan no — (.*?) (?:Loan in default|$)", ways_out(page)).group(1)
    assert AS_FACT not in loan, loan
    assert "limit on loans at once was not given" in loan and "plan.loans.max_count" in loan, loan
    assumed = text(section(page, "What this answer capped or assumed", "</ul>"))
    assert "was not given" in assumed and "[plan.loans.max_count]" in assumed, assumed
    assert AS_FACT not in text(section(page, "The rules behind the answers", "</ul>"))
    assert AS_FACT not in text(page)


def test_a_loan_count_given_is_the_plans_fact():
    """plan.loans.max_count: 1 given, one loan owed: 1 loan ≥ 1 allowed, the plan's own limit
    (IRC §72(p) sets none), so the row states it, with its citation, and nothing is assumed."""
    page = report_of(with_count(1))
    assert f"Plan loan no — {AS_FACT}. [Plan document]" in ways_out(page)
    assert "was not given" not in text(page)
    assert "What this answer capped or assumed" not in page


def test_with_two_loans_allowed_the_loan_is_open_and_compared():
    """plan.loans.max_count: 2: the loan is open for the lesser of $50,000 and half the vested
    accrued benefit (120,000 + 20,000 owed = 140,000 → 70,000), less the $20,000 owed:
    50,000 − 20,000 = $30,000 (IRC §72(p)(2)(A)). Something is paid: the options and the
    chart are there, and no words say nothing can be paid."""
    page = report_of(with_count(2))
    assert "Plan loan yes 30,000" in ways_out(page)
    assert "<h2>The options side by side" in page and "chart-wealth" in page
    assert "Nothing can be paid now" not in page


def test_nothing_payable_is_said_in_words_by_post_report():
    """No way out open (the loan closed, no hardship need, no in-service age): POST /report says
    that nothing can be paid and why, with no table of options at $0, no best option named and
    no chart of a flat $0 line."""
    r = TestClient(create_app(token="")).post("/report", json=with_count(None))
    assert r.status_code == 200, r.text[:300]
    page = r.text
    said = text(page)
    assert "Nothing can be paid now: no way out is open for this request" in said
    assert "Nothing can be paid now, so there is nothing to compare: the money stays in the plan." in said
    assert "<h2>The options side by side" not in page
    assert "class='best" not in page and "the option that leaves the most after tax" not in said
    assert "chart-wealth" not in page and "chart-dollars" not in page


def test_nothing_payable_to_the_destination_asked_for_says_why_once(tmp_path):
    """A plan loan asked to a traditional IRA (two loans allowed, so the loan is open): a loan is
    no distribution and cannot be rolled over (IRC §72(p)(1); §402(c)(1)). The report of
    ``dist401k report`` says the open way out cannot pay to the destination asked for, and gives
    the reason once above the rules cited (its head already says why the destination is not
    open)."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps(with_count(2, "traditional_ira")))
    out = tmp_path / "report.html"
    r = CliRunner().invoke(app, ["report", str(case), "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text()
    said = text(page[page.index("<h1>"):page.index("<h2>The rules behind the answers")])
    assert ("Nothing can be paid now: the way out open (Plan loan) cannot pay it to the "
            "destination asked for.") in said
    assert said.count("A plan loan is paid to you, not to an IRA") == 1
    # The comparison still prices the loan paid to you (the options that pay): it is shown.
    assert "<h2>The options side by side" in page
    assert "nothing to compare" not in said
