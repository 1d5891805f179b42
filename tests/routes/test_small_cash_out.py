"""A participant who has left the job with a small vested balance: the plan may pay it out
without asking (smallbal review, finding 3).

IRC §411(a)(11)(A) lets a plan pay a separated participant's nonforfeitable benefit without
consent where its present value is at most the cash-out limit ($5,000; $7,000 for
distributions after 2023, SECURE 2.0 §304; §417(e)(1) for the spouse's consent).  Such a
mandatory distribution over $1,000 must go by direct rollover to an IRA the administrator
designates unless the participant elects otherwise (§401(a)(31)(B)(i); Treas. Reg.
§1.401(a)(31)-1); at $1,000 or less it may be paid to the participant (a check, 20% withheld
under §3405(c)).  The benefit counts the loans owed to the plan, as the small-benefit spousal
consent rule does (OC_SPOUSAL_CONSENT_SMALL; Treas. Reg. §1.401(a)-20, Q&A-24(a)(1)).

Expected answers are read off those rules: $7,000.00 is "at most" $7,000, $7,000.01 is not;
$1,500 "exceeds $1,000", $1,000.00 does not.  Whether the plan has the provision the case does not
say, so the answer says "may".
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import edited

IRA, CHECK = "SP_SMALL_CASH_OUT_IRA", "SP_SMALL_CASH_OUT_CHECK"

# The review's case c1500.yaml: 36, left the job 2026-10-01, $1,500 of deferrals, max in cash.
LEAVER = {
    "id": "leaver-1500",
    "person": {"birth_date": "1990-03-15", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2024-01-10",
                   "separation_date": "2026-10-01"},
    "income": {"wages": 45000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 1500}}},
    "request": {"date": "2026-11-10", "amount": "max", "destination": "cash"},
}


def _balance(amount: float, **more) -> dict:
    return edited(LEAVER, {"account.sources.elective_deferral.balance": amount, **more})


def _separation_reasons(assess, case: dict) -> dict:
    r = assess(case)
    return {x["code"]: x for row in r["routes"] if row["route"] == "separation"
            for x in row["reasons"]}


def test_1500_leaver_is_told_the_plan_may_roll_it_to_an_ira_it_picks(assess):
    said = _separation_reasons(assess, _balance(1500))
    assert IRA in said and CHECK not in said
    text = said[IRA]["text"]
    assert "without asking" in text and "IRA that the plan picks" in text
    assert "§411(a)(11)(A)" in said[IRA]["citation"]
    assert "§401(a)(31)(B)" in said[IRA]["citation"]


def test_the_limit_itself_is_within_it_and_a_cent_over_is_not(assess):
    assert IRA in _separation_reasons(assess, _balance(7000.00))
    over = _separation_reasons(assess, _balance(7000.01))
    assert IRA not in over and CHECK not in over
    assert "SP_OK" in over  # the payment is still open after separation


def test_an_active_employee_is_not_told(assess):
    said = _separation_reasons(assess, _balance(1500, **{"employment.status": "active",
                                                         "employment.separation_date": None}))
    assert IRA not in said and CHECK not in said


def test_800_is_a_check_with_no_automatic_rollover_words(assess):
    said = _separation_reasons(assess, _balance(800))
    assert CHECK in said and IRA not in said
    text = said[CHECK]["text"]
    assert "check" in text and "20%" in text
    assert "IRA that the plan picks" not in text


def test_1000_is_not_over_the_floor_and_a_cent_more_is(assess):
    # §401(a)(31)(B)(i): "exceeds $1,000".
    assert CHECK in _separation_reasons(assess, _balance(1000.00))
    assert IRA in _separation_reasons(assess, _balance(1000.01))


def test_the_loan_owed_counts_in_the_benefit(assess):
    # $4,000 vested and a $2,000 loan: $6,000, within $7,000; $5,000 and $3,000: $8,000, not
    # (the figures of the spousal-consent rule, which counts the loans the same way).
    loan = {"account.loans": {"outstanding": 2000}}
    assert IRA in _separation_reasons(assess, _balance(4000, **loan))
    loan = {"account.loans": {"outstanding": 3000}}
    said = _separation_reasons(assess, _balance(5000, **loan))
    assert IRA not in said and CHECK not in said


def test_compare_flags_leave_it_and_shows_the_trap():
    cmp = compare_case(parse_case(_balance(1500)))
    leave = cmp["options"][0]
    assert leave["option"] == "leave"
    assert "may pay out a small balance" in leave["label"]
    assert any("IRA that the plan picks" in n for n in leave["notes"])
    trap = [t for t in cmp["traps"] if t["code"] == "SMALL_BALANCE_CASH_OUT"]
    assert len(trap) == 1 and trap[0]["figures"]["reason"] == IRA


def test_compare_over_the_limit_says_nothing_of_it():
    cmp = compare_case(parse_case(_balance(7000.01)))
    assert cmp["options"][0]["label"] == "leave it in the plan"
    assert not [t for t in cmp["traps"] if t["code"] == "SMALL_BALANCE_CASH_OUT"]


def test_the_batch_lists_the_code_in_the_separation_reasons():
    row = {"participant_id": "s", "request_date": dt.date(2026, 11, 10),
           "birth_date": dt.date(1990, 3, 15), "filing_status": "single", "wages": 45000.0,
           "employment_status": "separated", "hire_date": dt.date(2024, 1, 10),
           "separation_date": dt.date(2026, 10, 1), "plan_type": "401k",
           "balance_elective_deferral": 1500.0}
    rows = [row, {**row, "participant_id": "t", "balance_elective_deferral": 800.0},
            {**row, "participant_id": "u", "balance_elective_deferral": 7000.01}]
    table = pa.table({k: pa.array([r[k] for r in rows]) for k in row})
    out = run_job(table, "eligibility", default_law()).to_pylist()
    assert [o["status"] for o in out] == ["ok"] * 3, out
    codes = [set((o["separation_reasons"] or "").split(";")) for o in out]
    assert IRA in codes[0] and CHECK in codes[1]
    assert IRA not in codes[2] and CHECK not in codes[2]
