"""A loan that goes bad, after the plan-loan review: the deemed distribution's 10% exceptions
are those of the day its cure period ended (Treas. Reg. §1.72(p)-1, Q&A-10(a), Q&A-11(b);
IRC §72(t)(2)(A)(i), (v)); a separation's rollover deadline for the loan offset is the one of
the offset that goes with it, or none (§402(c)(3)(A), (C)); a loan from an account of
designated Roth money only is taxed as Roth money (§402A(d), §72(e)(8); Treas. Reg.
§1.402A-1, Q&A-11; Form 1099-R codes B and L or M).

The 2026 figures used below (Rev. Proc. 2025-32): a single filer's standard deduction 16,100;
the 12% bracket up to 50,400 of taxable income."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law.loader import default_law
from routes.test_loan_default import _answer, _case, _codes, _outcome, _summary

#: Case A of the review: 59½ on 2026-05-01; the payment due 2025-12-15 was missed, so the cure
#: period ended 2026-03-31 (the last day of the next quarter), before 59½; asked 2026-06-01.
TURNED_59_HALF_LATER = {
    "person": {"birth_date": "1966-11-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}},
                "loans": {"outstanding": 10000, "count": 1,
                          "missed_payment_date": "2025-12-15", "accrued_interest": 200}},
    "request": {"date": "2026-06-01"},
}

#: Case B: 56 in 2026; the payment due 2026-05-31 was missed, the cure period ended 2026-09-30
#: while still at work; left the job 2026-10-15; asked 2026-11-20.
LEFT_AFTER_DEFAULT = {
    "person": {"birth_date": "1970-01-10", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-01",
                   "separation_date": "2026-10-15"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.08}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}},
                "loans": {"outstanding": 10000, "count": 1,
                          "missed_payment_date": "2026-05-31", "accrued_interest": 200}},
    "request": {"date": "2026-11-20"},
}

#: Left the job 2025-06-30 owing 10,000; asked 2026-07-15, more than 12 months later.
LEFT_LONG_AGO = {
    "person": {"birth_date": "1980-01-10", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-01",
                   "separation_date": "2025-06-30"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}},
                "loans": {"outstanding": 10000, "count": 1}},
    "request": {"date": "2026-07-15"},
}

#: At 46, still working, only designated Roth money (40,000, of it 30,000 contributions since
#: 2016); a loan of 10,000 at 8% whose payment due 2026-05-31 was missed.
ROTH_ONLY = {
    "person": {"birth_date": "1980-05-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.08}},
    "account": {"sources": {"roth_deferral": {"balance": 40000, "contributions": 30000,
                                              "first_year": 2016}},
                "loans": {"outstanding": 10000, "count": 1,
                          "missed_payment_date": "2026-05-31"}},
    "request": {"date": "2026-11-20"},
}

OFFSET_60_DAYS = "roll over the loan offset (IRC §402(c)(3)(A))"


# --- 1. the deemed distribution's exceptions, on the day the cure period ended -------------

def test_59_half_reached_after_the_cure_period_ended_does_not_except_the_deemed_distribution():
    a = _answer(TURNED_59_HALF_LATER)
    assert _summary(a, "loan_deemed")["cure_period_ends"] == "2026-03-31"
    o = _outcome(a, "loan_deemed")
    # 59½ on 2026-05-01, after 2026-03-31: 10% of 10,200 = 1,020; code 1L (no known exception).
    assert o["gross"] == 10200 and o["taxable"] == 10200
    assert o["additional_tax_72t"] == pytest.approx(1020, abs=0.005)
    assert o["form_1099r_codes"] == ["1L"]
    assert "PX_AGE_59_HALF" not in _codes(o)
    assert {"PX_NONE", "LD_59_HALF_AFTER"} <= _codes(o)
    assert o["form_5329"] == {"line_1": 10200.0, "line_2": 0.0, "line_3": 10200.0,
                              "line_4": 1020.0, "line_2_exception": None, "required": False}


def test_59_half_reached_before_the_cure_period_ended_excepts_it():
    # Due 2026-03-15 (Q1): the cure period ends 2026-06-30, after 59½ (2026-05-01).
    a = _answer(_case(TURNED_59_HALF_LATER, account__loans__missed_payment_date="2026-03-15",
                      request__date="2026-07-01"))
    o = _outcome(a, "loan_deemed")
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["L"]
    assert "PX_AGE_59_HALF" in _codes(o) and "LD_59_HALF_AFTER" not in _codes(o)
    assert o["form_5329"] is None


def test_leaving_the_job_after_the_cure_period_ended_is_no_rule_of_55():
    a = _answer(LEFT_AFTER_DEFAULT)
    o = _outcome(a, "loan_deemed")
    # Deemed 2026-09-30 while at work; left 2026-10-15: §72(t)(2)(A)(v) asks for a payment
    # "after separation from service": 10% of 10,200 = 1,020, code 1L, no exception 01.
    assert o["additional_tax_72t"] == pytest.approx(1020, abs=0.005)
    assert o["form_1099r_codes"] == ["1L"]
    assert "PX_SEPARATION_55" not in _codes(o)
    assert {"PX_NONE", "LD_SEPARATED_AFTER"} <= _codes(o)
    assert o["form_5329"]["line_2_exception"] is None
    assert o["form_5329"]["line_4"] == pytest.approx(1020, abs=0.005)
    # The separation's own payment, made after leaving in the year of 56, keeps the rule of 55.
    assert "PX_SEPARATION_55" in _codes(_outcome(a, "separation"))


def test_leaving_the_job_before_the_cure_period_ended_keeps_the_rule_of_55():
    a = _answer(_case(LEFT_AFTER_DEFAULT, employment__separation_date="2026-07-15"))
    o = _outcome(a, "loan_deemed")
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["L"]
    assert "PX_SEPARATION_55" in _codes(o) and "LD_SEPARATED_AFTER" not in _codes(o)
    assert o["form_5329"]["line_2_exception"] == "01"


def test_a_deemed_distribution_of_an_earlier_year_belongs_to_that_year():
    # Due 2025-08-15: the cure period ended 2025-12-31; the request's year is 2026.
    a = _answer(_case(TURNED_59_HALF_LATER, account__loans__missed_payment_date="2025-08-15"))
    s = _summary(a, "loan_deemed")
    assert s["cure_period_ends"] == "2025-12-31" and s["deemed"] is True
    assert not s["eligible"]
    assert not [o for o in a["outcomes"] if o["route"] == "loan_deemed"]
    why = {r["code"] for row in a["routes"] if row["route"] == "loan_deemed"
           for r in row["reasons"]}
    assert why == {"LD_EARLIER_YEAR"}


def test_batch_gives_the_deemed_days_exceptions_as_assess():
    table = pa.table({
        "request_date": [dt.date(2026, 6, 1), dt.date(2026, 11, 20)],
        "birth_date": [dt.date(1966, 11, 1), dt.date(1970, 1, 10)],
        "plan_type": ["401k", "401k"], "employment_status": ["active", "separated"],
        "separation_date": [None, dt.date(2026, 10, 15)], "wages": [60000.0, 60000.0],
        "balance_elective_deferral": [40000.0, 40000.0],
        "loan_outstanding": [10000.0, 10000.0], "loan_interest_rate": [0.08, 0.08],
        "loan_accrued_interest": [200.0, 200.0],
        "loan_missed_payment_date": [dt.date(2025, 12, 15), dt.date(2026, 5, 31)],
        "request_route": ["loan_deemed", "loan_deemed"],
        "request_destination": ["cash", "cash"]})
    rows = run_job(table, "forms", default_law()).to_pylist()
    assert [r["form_pretax_cash_box_7"] for r in rows] == ["1L", "1L"]
    assert [r["additional_tax_72t"] for r in rows] == pytest.approx([1020, 1020], abs=0.005)


# --- 2. the separation's rollover deadline for the loan offset -----------------------------

def _separation_deadlines(answer: dict) -> list[list[dict]]:
    return [o["deadlines"] for o in answer["outcomes"] if o["route"] == "separation"]


def test_an_offset_more_than_12_months_after_leaving_gives_the_separation_60_days():
    a = _answer(LEFT_LONG_AGO)
    assert _summary(a, "loan_offset")["qualified"] is False
    dates = _separation_deadlines(a)
    assert dates
    for rows in dates:
        # 60 days from 2026-07-15; no qualified plan loan offset, no October 15.
        assert {"what": OFFSET_60_DAYS, "date": "2026-09-13"} in rows
        assert all(d["date"] != "2027-10-15" for d in rows)
    assert [d["date"] for d in _outcome(a, "loan_offset")["deadlines"]] == ["2026-09-13"]


def test_a_qualified_offset_keeps_the_returns_due_date_on_the_separation():
    a = _answer(_case(LEFT_LONG_AGO, employment__separation_date="2026-03-31"))
    for rows in _separation_deadlines(a):
        assert "2027-10-15" in [d["date"] for d in rows]
        assert all(d["what"] != OFFSET_60_DAYS for d in rows)


def test_a_loan_deemed_before_leaving_gives_the_separation_no_offset_deadline_nor_withholding():
    a = _answer(LEFT_AFTER_DEFAULT)
    assert {r["code"] for row in a["routes"] if row["route"] == "loan_offset"
            for r in row["reasons"]} == {"LO_DEEMED_BEFORE"}
    for rows in _separation_deadlines(a):
        assert all("loan offset" not in d["what"] for d in rows)
    # No offset goes with the payment of the whole account: 20% of the 40,000 only.
    cash = _outcome(a, "separation")
    assert cash["withholding"] == 8000 and "OC_OFFSET_WITHHELD" not in _codes(cash)


# --- 3. a loan from an account of designated Roth money only ------------------------------

def test_a_deemed_distribution_from_designated_roth_money_only_is_taxed_on_its_earnings():
    a = _answer(ROTH_ONLY)
    s = _summary(a, "loan_deemed")
    assert s["eligible"] and s["available"] == pytest.approx(10267.40, abs=0.005)
    o = _outcome(a, "loan_deemed")
    # 30,000 contributions in an account of 40,000 and the 10,000 loan: 60% recovered, the
    # 40% earnings share of 10,267.40 taxable: 4,106.96; 10% of it 410.70.  Taxable income
    # 43,900 → 48,006.96, all at 12%: 492.84.
    assert o["gross"] == pytest.approx(10267.40, abs=0.005)
    assert o["taxable"] == pytest.approx(4106.96, abs=0.005)
    assert o["additional_tax_72t"] == pytest.approx(410.70, abs=0.005)
    assert o["income_tax_increase"] == pytest.approx(492.84, abs=0.01)
    assert o["withholding"] == 0 and o["check_received"] == 0
    assert o["form_1099r_codes"] == ["BL"]
    (form,) = o["form_1099r"]
    assert form["part"] == "roth_cash" and form["box_1"] == pytest.approx(10267.40, abs=0.005)
    assert form["box_2a"] == pytest.approx(4106.96, abs=0.005)
    assert form["box_5"] == pytest.approx(6160.44, abs=0.005) and form["box_11"] == 2016
    assert {"LD_DEEMED", "LD_ROTH_ONLY", "PX_NONE", "OC_NO_CASH"} <= _codes(o)
    # Box 7 cannot show code 1 beside B and L: Form 5329 is needed for the 10% tax.
    assert o["form_5329"] == {"line_1": 4106.96, "line_2": 0.0, "line_3": 4106.96,
                              "line_4": 410.70, "line_2_exception": None, "required": True}


def test_a_deemed_distribution_of_roth_money_is_never_qualified():
    # At 61, contributions since 2016: a payment would be qualified; a deemed one is not
    # (Treas. Reg. §1.402A-1, Q&A-11): its earnings share is taxable, without the 10% tax.
    o = _outcome(_answer(_case(ROTH_ONLY, person__birth_date="1965-01-10")), "loan_deemed")
    assert o["taxable"] == pytest.approx(4106.96, abs=0.005)
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["BL"]
    assert o["form_5329"] is None


def test_an_offset_from_designated_roth_money_only():
    data = _case(ROTH_ONLY, employment__status="separated",
                 employment__separation_date="2026-06-30", request__date="2026-09-15")
    data["account"]["loans"].pop("missed_payment_date")
    a = _answer(data)
    kept = _outcome(a, "loan_offset", "cash")
    # 10,000 offset, 40% of it earnings: 4,000 taxable, 10% of it 400; qualified: BM.
    assert kept["taxable"] == pytest.approx(4000, abs=0.005)
    assert kept["additional_tax_72t"] == pytest.approx(400, abs=0.005)
    assert kept["form_1099r_codes"] == ["BM"]
    assert {"LO_QUALIFIED", "LO_ROTH_ONLY"} <= _codes(kept)
    rolled = _outcome(a, "loan_offset", "indirect_60day")
    assert rolled["taxable"] == 0 and [d["date"] for d in rolled["deadlines"]] == ["2027-10-15"]


def test_with_other_money_the_loan_stays_on_it():
    data = _case(ROTH_ONLY, account__sources__elective_deferral={"balance": 20000})
    o = _outcome(_answer(data), "loan_deemed")
    assert o["taxable"] == pytest.approx(10267.40, abs=0.005)
    assert o["form_1099r_codes"] == ["1L"] and "LD_ROTH_ONLY" not in _codes(o)
