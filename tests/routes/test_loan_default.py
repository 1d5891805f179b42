"""A loan that goes bad, on cases worked by hand: the deemed distribution of a defaulted loan
(IRC §72(p)(1); Treas. Reg. §1.72(p)-1, Q&A-4, Q&A-10; Form 1099-R code L) and the loan
offset at severance or plan termination (§402(c)(3)(C); code M), through `assess`, batch and
the report.

The 2026 figures used below (Rev. Proc. 2025-32): a single filer's standard deduction 16,100;
the 12% bracket up to 50,400 of taxable income, 22% above it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.dates import quarter_end
from dist401k.jobs import run_job
from dist401k.law.loader import default_law
from dist401k.report import render_html
from dist401k.routes.loan_default import cure_period_end
from routes.conftest import edited

#: At 46, still working, wages 60,000; a loan of 10,000 outstanding at 8%, whose payment due
#: 2026-05-31 was missed and never made up.
DEFAULTED = {
    "person": {"birth_date": "1980-05-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.08}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}},
                "loans": {"outstanding": 10000, "count": 1,
                          "missed_payment_date": "2026-05-31"}},
    "request": {"date": "2026-11-20"},
}

#: At 51, left the job on 2026-06-30 owing 15,000; wages 50,000.
LEFT_OWING = {
    "person": {"birth_date": "1975-03-15", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-01",
                   "separation_date": "2026-06-30"},
    "income": {"wages": 50000},
    "plan": {"type": "401k", "loans": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 60000}},
                "loans": {"outstanding": 15000, "count": 1}},
    "request": {"date": "2026-09-15"},
}


def _case(base: dict, **changes) -> dict:
    """``base`` with ``a__b=value`` changes (``edited``'s dotted paths)."""
    return edited(base, {k.replace("__", "."): v for k, v in changes.items()})


def _answer(data: dict) -> dict:
    return assess_cases([parse_case(data)])[0]


def _outcome(answer: dict, route: str, dest: str = "cash") -> dict:
    return next(o for o in answer["outcomes"] if o["route"] == route
                and o["destination"] == dest)


def _summary(answer: dict, route: str) -> dict:
    return next(s for s in answer["route_summary"] if s["route"] == route)


def _codes(row: dict) -> set[str]:
    return {r["code"] for r in row["reasons"]}


# --- the cure period (Treas. Reg. §1.72(p)-1, Q&A-10(a)) --------------------------------

def test_the_cure_period_ends_with_the_next_calendar_quarter_at_the_latest():
    missed = np.array(["2026-05-31", "2026-01-01", "2026-12-15", "2026-05-31"], "datetime64[D]")
    plan_days = np.array([np.nan, np.nan, np.nan, 90.0])
    ends = cure_period_end(missed, plan_days, 1)
    # May (Q2) → September 30; January (Q1) → June 30; December (Q4) → March 31 of the next
    # year; a plan's 90 days from May 31 end on August 29, before the quarter's end.
    assert ends.astype(str).tolist() == ["2026-09-30", "2026-06-30", "2027-03-31", "2026-08-29"]
    # A plan's period longer than the regulation allows stops at the regulation's end.
    assert str(cure_period_end(missed[:1], np.array([200.0]), 1)[0]) == "2026-09-30"
    assert str(quarter_end(missed[:1], 0)[0]) == "2026-06-30"


# --- the deemed distribution (code L) ----------------------------------------------------

def test_a_defaulted_loan_is_a_deemed_distribution_with_its_accrued_interest():
    a = _answer(DEFAULTED)
    s = _summary(a, "loan_deemed")
    # Interest from the missed due date to the end of the cure period: 122 days at 8% on
    # 10,000 = 10,000 × 0.08 × 122 / 365 = 267.40; deemed 10,267.40.
    assert s["cure_period_ends"] == "2026-09-30" and s["deemed"] is True
    assert s["accrued_interest"] == pytest.approx(267.40, abs=0.005)
    o = _outcome(a, "loan_deemed")
    assert o["gross"] == pytest.approx(10267.40, abs=0.005)
    assert o["taxable"] == pytest.approx(10267.40, abs=0.005)
    # Taxable income 60,000 − 16,100 = 43,900 → 54,167.40: 6,500 at 12% (780.00) and
    # 3,767.40 at 22% (828.83) = 1,608.83; the 10% tax 1,026.74.
    assert o["income_tax_increase"] == pytest.approx(1608.83, abs=0.01)
    assert o["additional_tax_72t"] == pytest.approx(1026.74, abs=0.01)
    # No cash, nothing withheld; the taxes come from other money.
    assert o["withholding"] == 0 and o["check_received"] == 0
    assert o["kept_after_all_tax"] == pytest.approx(-(1608.83 + 1026.74), abs=0.02)
    assert o["form_1099r_codes"] == ["1L"]
    form = o["form_1099r"][0]
    assert form["box_1"] == form["box_2a"] == pytest.approx(10267.40, abs=0.005)
    assert form["box_4"] == 0
    assert {"LD_DEEMED", "PX_NONE", "OC_NO_CASH"} <= _codes(o)
    # Not a choice: no rollover destination, and compare leaves it out.
    assert [x["destination"] for x in a["outcomes"] if x["route"] == "loan_deemed"] == ["cash"]


def test_the_plans_shorter_cure_period_and_its_books_interest():
    data = _case(DEFAULTED, plan__loans__cure_days=90, request__date="2026-09-01")
    s = _summary(_answer(data), "loan_deemed")
    # 90 days from May 31: August 29; interest 10,000 × 0.08 × 90 / 365 = 197.26.
    assert s["cure_period_ends"] == "2026-08-29"
    assert s["deemed_amount"] == pytest.approx(10197.26, abs=0.005)
    books = _case(DEFAULTED, account__loans__accrued_interest=250)
    assert _outcome(_answer(books), "loan_deemed")["gross"] == pytest.approx(10250, abs=0.005)


def test_a_missed_payment_can_still_be_made_up_until_the_cure_period_ends():
    a = _answer(_case(DEFAULTED, request__date="2026-09-30"))
    s = _summary(a, "loan_deemed")
    assert s["deemed"] is False and s["cure_period_ends"] == "2026-09-30"
    assert not s["eligible"]
    assert not [o for o in a["outcomes"] if o["route"] == "loan_deemed"]
    why = {r["code"] for row in a["routes"] if row["route"] == "loan_deemed"
           for r in row["reasons"]}
    assert why == {"LD_CURE_OPEN"}


def test_a_cure_period_ended_in_an_earlier_year_is_that_years_distribution():
    a = _answer(_case(DEFAULTED, account__loans__missed_payment_date="2025-08-31"))
    assert not _summary(a, "loan_deemed")["eligible"]
    why = {r["code"] for row in a["routes"] if row["route"] == "loan_deemed"
           for r in row["reasons"]}
    assert why == {"LD_EARLIER_YEAR"}


def test_after_59_half_code_l_alone_and_no_additional_tax():
    o = _outcome(_answer(_case(DEFAULTED, person__birth_date="1965-01-10")), "loan_deemed")
    assert o["form_1099r_codes"] == ["L"] and o["additional_tax_72t"] == 0
    assert "PX_AGE_59_HALF" in _codes(o)


# --- the loan offset (code M) --------------------------------------------------------------

def test_a_qualified_plan_loan_offset_kept_or_rolled_over_by_the_returns_due_date():
    a = _answer(LEFT_OWING)
    assert _summary(a, "loan_offset")["qualified"] is True
    kept = _outcome(a, "loan_offset", "cash")
    # Taxable income 50,000 − 16,100 = 33,900 → 48,900, all at 12%: 1,800; the 10% tax 1,500.
    assert kept["taxable"] == 15000 and kept["withholding"] == 0
    assert kept["income_tax_increase"] == pytest.approx(1800, abs=0.01)
    assert kept["additional_tax_72t"] == pytest.approx(1500, abs=0.01)
    assert kept["form_1099r_codes"] == ["1M"]
    rolled = _outcome(a, "loan_offset", "indirect_60day")
    assert rolled["taxable"] == 0 and rolled["income_tax_increase"] == 0
    assert rolled["makeup_needed"] == 15000 and rolled["form_1099r_codes"] == ["1M"]
    # The return of 2026 is due 2027-04-15; with the six months' extension, 2027-10-15.
    assert [d["date"] for d in rolled["deadlines"]] == ["2027-10-15"]
    assert {"LO_QUALIFIED", "OC_OFFSET_ROLLED"} <= _codes(rolled)


def test_an_offset_more_than_a_year_after_leaving_keeps_the_60_days_and_no_code_m():
    a = _answer(_case(LEFT_OWING, employment__separation_date="2025-06-30"))
    kept = _outcome(a, "loan_offset", "cash")
    assert kept["form_1099r_codes"] == ["1"] and "LO_NOT_QUALIFIED" in _codes(kept)
    # 60 days from 2026-09-15.
    assert [d["date"] for d in kept["deadlines"]] == ["2026-11-14"]


def test_an_offset_after_leaving_in_the_year_of_55_is_2m_without_the_10_percent_tax():
    o = _outcome(_answer(_case(LEFT_OWING, person__birth_date="1971-02-01")), "loan_offset")
    assert o["form_1099r_codes"] == ["2M"] and o["additional_tax_72t"] == 0


def test_a_plan_termination_offsets_the_loan_of_an_active_participant():
    active = _case(LEFT_OWING, employment__status="active", employment__separation_date=None)
    assert not _summary(_answer(active), "loan_offset")["eligible"]
    o = _outcome(_answer(_case(active, plan__terminated=True)), "loan_offset")
    assert o["form_1099r_codes"] == ["1M"]


def test_a_loan_already_deemed_is_not_offset_again():
    data = _case(LEFT_OWING, account__loans__missed_payment_date="2026-02-27")
    a = _answer(data)
    assert _summary(a, "loan_deemed")["eligible"]
    assert not _summary(a, "loan_offset")["eligible"]
    why = {r["code"] for row in a["routes"] if row["route"] == "loan_offset"
           for r in row["reasons"]}
    assert why == {"LO_DEEMED_BEFORE"}


def test_no_loan_no_loan_routes_shown():
    data = _case(LEFT_OWING, account__loans__outstanding=0, account__loans__count=0)
    routes = {s["route"] for s in _answer(data)["route_summary"]}
    assert not routes & {"loan_deemed", "loan_offset"}


# --- Form 5329, Part I ------------------------------------------------------------------------

def _part_i(answer: dict, route: str, dest: str = "cash") -> dict | None:
    """The outcome's Part I; line 4 is its 10% tax to the cent, line 3 line 1 − line 2."""
    o = _outcome(answer, route, dest)
    f = o["form_5329"]
    if f is not None:
        assert f["line_4"] == o["additional_tax_72t"]
        assert f["line_3"] == pytest.approx(f["line_1"] - f["line_2"], abs=0.005)
    return f


def test_a_deemed_distribution_before_59_half_is_line_1_and_code_1l_needs_no_form():
    # The deemed 10,267.40, no exception: line 4 = 10% = 1,026.74.  Box 7 shows code 1 (1L)
    # and the tax is owed on all of it: no form, the tax goes on Schedule 2, line 8
    # (Instructions for Form 5329, "Who Must File").
    assert _part_i(_answer(DEFAULTED), "loan_deemed") == {
        "line_1": 10267.40, "line_2": 0.0, "line_3": 10267.40, "line_4": 1026.74,
        "line_2_exception": None, "required": False}


def test_a_deemed_distribution_of_a_disabled_participant_is_code_l_alone_and_the_form_claims_03():
    # L is not used with 3: box 7 shows no exception, so exception 03 is claimed on the form.
    a = _answer(_case(DEFAULTED, person__disabled=True))
    assert _outcome(a, "loan_deemed")["form_1099r_codes"] == ["L"]
    assert _part_i(a, "loan_deemed") == {
        "line_1": 10267.40, "line_2": 10267.40, "line_3": 0.0, "line_4": 0.0,
        "line_2_exception": "03", "required": True}


def test_a_deemed_distribution_after_59_half_has_no_part_i():
    assert _part_i(_answer(_case(DEFAULTED, person__birth_date="1965-01-10")),
                   "loan_deemed") is None


def test_an_offset_kept_is_line_1_and_rolled_over_is_not_includible():
    a = _answer(LEFT_OWING)
    # 15,000 kept, no exception: 10% = 1,500; code 1M, the tax on all of it: no form.
    assert _part_i(a, "loan_offset", "cash") == {
        "line_1": 15000.0, "line_2": 0.0, "line_3": 15000.0, "line_4": 1500.0,
        "line_2_exception": None, "required": False}
    # Rolled over by the return's due date: nothing includible, no Part I.
    assert _part_i(a, "loan_offset", "indirect_60day") is None


def test_an_offset_with_a_medical_part_under_code_1m_needs_the_form():
    # AGI 50,000 + 15,000 = 65,000; 7.5% of it 4,875; medical expenses 6,875: 2,000 excepted
    # (§72(t)(2)(B), exception 05); 13,000 taxed at 10% = 1,300.  Box 7's 1M does not show it.
    a = _answer(_case(LEFT_OWING, income__medical_expenses=6875))
    assert _part_i(a, "loan_offset") == {
        "line_1": 15000.0, "line_2": 2000.0, "line_3": 13000.0, "line_4": 1300.0,
        "line_2_exception": "05", "required": True}


def test_an_offset_after_leaving_in_the_year_of_55_is_exception_01_and_2m_needs_no_form():
    a = _answer(_case(LEFT_OWING, person__birth_date="1971-02-01"))
    assert _part_i(a, "loan_offset") == {
        "line_1": 15000.0, "line_2": 15000.0, "line_3": 0.0, "line_4": 0.0,
        "line_2_exception": "01", "required": False}


# --- batch and the report ------------------------------------------------------------------

def test_batch_gives_the_same_deemed_distribution_and_offset_as_assess():
    table = pa.table({
        "request_date": [dt.date(2026, 11, 20), dt.date(2026, 9, 15)],
        "birth_date": [dt.date(1980, 5, 10), dt.date(1975, 3, 15)],
        "plan_type": ["401k", "401k"], "employment_status": ["active", "separated"],
        "separation_date": [None, dt.date(2026, 6, 30)], "wages": [60000.0, 50000.0],
        "balance_elective_deferral": [40000.0, 60000.0],
        "loan_outstanding": [10000.0, 15000.0], "loan_interest_rate": [0.08, 0.085],
        "loan_missed_payment_date": [dt.date(2026, 5, 31), None],
        "request_route": ["loan_deemed", "loan_offset"],
        "request_destination": ["cash", "cash"]})
    rows = run_job(table, "forms", default_law()).to_pylist()
    assert rows[0]["gross"] == pytest.approx(10267.40, abs=0.005)
    assert rows[0]["additional_tax_72t"] == pytest.approx(1026.74, abs=0.01)
    assert rows[0]["form_pretax_cash_box_7"] == "1L" and rows[0]["withholding"] == 0
    assert rows[1]["form_pretax_cash_box_7"] == "1M"
    assert rows[1]["income_tax_increase"] == pytest.approx(1800, abs=0.01)
    # Form 5329 Part I, as assess gives it: code 1L / 1M and the tax on all of it, no form.
    part_i = [{k: r[f"form_5329_{k}"] for k in ("line_1", "line_2", "line_3", "line_4",
                                                  "line_2_exception", "required")} for r in rows]
    assert part_i == [
        {"line_1": 10267.40, "line_2": 0.0, "line_3": 10267.40, "line_4": 1026.74,
         "line_2_exception": None, "required": False},
        {"line_1": 15000.0, "line_2": 0.0, "line_3": 15000.0, "line_4": 1500.0,
         "line_2_exception": None, "required": False}]


def test_the_report_lists_the_deemed_distribution_and_its_form():
    html = render_html(compare_case(parse_case(DEFAULTED)))
    assert "The loan that goes bad" in html and "<td>1L</td>" in html
    # Its Form 5329 Part I: line 1 10,267.40, line 4 1,026.74, no form to file (code 1L).
    part_i = html.split("Form 5329, Part I", 1)[1].split("</table>", 1)[0]
    row = next(r for r in part_i.split("<tr>") if r.startswith("<td>Loan in default"))
    assert "<td>10,267</td>" in row and "<td>1,027</td>" in row and "no form" in row
