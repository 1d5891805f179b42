"""What a new loan says of the offset if the job ends first: only a qualified plan loan offset
(offset because of a severance within 12 months before it, or the plan's termination) may be
rolled over until the due date, with extensions, of the return for its year; any other offset
has the 60 days of an ordinary rollover (IRC §402(c)(3)(A), (C); Treas. Reg. §1.402(c)-3(b)).
"""

from __future__ import annotations

from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.explain import reason
from dist401k.law.loader import default_law


def test_the_loan_reason_gives_each_offset_its_own_deadline():
    r = reason("LN_NOT_TAXED")
    law = default_law()
    months = int(law.get("rollover.loan_offset_months_after_severance", 2026))
    days = int(law.get("rollover.days", 2026))
    assert "due date of your return with extensions" in r.text
    assert f"within {months} months of leaving the job" in r.text
    assert f"otherwise within {days} days" in r.text
    assert "until your return's due date." not in r.text
    assert "§402(c)(3)(A), (C)" in r.citation and "§1.402(c)-3(b)" in r.citation


def test_the_loan_option_warns_of_the_offset_with_both_deadlines():
    case = parse_case({
        "person": {"birth_date": "1980-05-10", "filing_status": "single"},
        "employment": {"status": "active", "hire_date": "2015-01-01"},
        "income": {"wages": 80000},
        "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.04}},
        "account": {"sources": {"elective_deferral": {"balance": 100000}}},
        "request": {"date": "2026-03-01", "amount": 10000},
        "assumptions": {"leave_job_in_years": 2}})
    loan = next(o for o in compare_case(case)["options"] if o["option"] == "loan:cash")
    note = next(n for n in loan["notes"] if n.startswith("leaving the job"))
    assert "due date of that year's return with extensions" in note
    assert "60-day" in note and "return's due date" not in note
