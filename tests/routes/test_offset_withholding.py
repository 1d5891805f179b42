"""The 20% withheld from a payment of the whole account when the loan is offset with it.

A separated participant who owes a plan loan and takes the whole account (the balance, which
does not count the loan: tests/routes/test_loan_accrued_benefit.py) has the loan offset with
it (route ``loan_offset``, its own outcome and Form 1099-R, code M).  The offset is part of the
eligible rollover distribution the 20% is figured on, but no more is withheld than the cash
paid (Treas. Reg. §31.3405(c)-1, Q&A-11).  The figures are those of the regulations' own
examples (Treas. Reg. §1.402(c)-2, Q&A-9: an account of $10,000 of which $3,000 is the loan;
Example 1, the $7,000 rolled over directly: nothing withheld; Example 4, the $7,000 paid in
cash: "the amount of the distribution received by Employee A is $10,000, not $3,000 ...
withholding in the amount of $2,000 (20 percent of $10,000)"), and of the reviewer's case
(balance $60,000, loan $15,000: 20% × $75,000 = $15,000).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, outcome

#: At 51, left the job on 2026-06-30 owing a plan loan; the request on 2026-09-15.
LEFT_OWING = {"person.birth_date": "1975-03-15", "employment.status": "separated",
              "employment.hire_date": "2015-01-01", "employment.separation_date": "2026-06-30",
              "income.wages": 50000, "plan.loans": {"allowed": True},
              "request.date": "2026-09-15"}


def owing(balance: float, loan: float, amount="max") -> dict:
    return make(LEFT_OWING, **{"account.sources": {"elective_deferral": {"balance": balance}},
                               "account.loans": {"outstanding": loan, "count": 1},
                               "request.amount": amount})


def test_the_regulations_example_7000_cash_and_a_3000_offset_withhold_2000(assess):
    r = assess(owing(7000, 3000))
    cash = outcome(r, "separation")
    assert cash["gross"] == 7000 and cash["withholding"] == 2000
    assert cash["check_received"] == 5000
    # Example 1: the $7,000 rolled over directly, no cash paid: nothing withheld at all.
    assert outcome(r, "separation", "traditional_ira")["withholding"] == 0
    # The offset's own outcome is unchanged: code M, nothing withheld from no cash.
    offset = outcome(r, "loan_offset")
    assert offset["gross"] == 3000 and offset["withholding"] == 0
    assert offset["form_1099r_codes"] == ["1M"]


def test_the_reviewers_case_60000_cash_and_a_15000_offset_withhold_15000(assess):
    r = assess(owing(60000, 15000))
    cash = outcome(r, "separation")
    assert (cash["gross"], cash["withholding"], cash["check_received"]) == (60000, 15000, 45000)
    [form] = cash["form_1099r"]
    assert form["box_1"] == 60000 and form["box_4"] == 15000 and form["box_7"] == "1"
    # Rolled over within 60 days, the whole $60,000 needs the $15,000 withheld from other
    # money (§402(c)(3)); the offset's own rollover is its own outcome.
    rolled = outcome(r, "separation", "indirect_60day")
    assert rolled["withholding"] == 15000 and rolled["makeup_needed"] == 15000
    # Kept after all tax is unchanged: the withholding is a payment of the year's tax.
    before = 60000 - cash["income_tax_increase"] - cash["additional_tax_72t"]
    assert cash["kept_after_all_tax"] == pytest.approx(before, abs=0.01)


def test_no_more_is_withheld_than_the_cash_paid(assess):
    # $1,000 in cash and a $9,000 offset: 20% × 10,000 = 2,000, but only the $1,000 of cash
    # and property paid can be withheld from (Treas. Reg. §31.3405(c)-1, Q&A-11).
    cash = outcome(assess(owing(1000, 9000)), "separation")
    assert cash["withholding"] == 1000 and cash["check_received"] == 0


def test_the_states_withholding_takes_only_what_the_federal_left(assess):
    """California withholds 10% of the federal amount (Cal. UIC §13028(c)(3)), but nothing can be
    withheld beyond the cash paid: $5,000 in cash and a $20,000 offset — the federal 20% of
    $25,000 is capped at the $5,000 — leave nothing for the state, and the check is $0, never
    below (boxes 4 and 14 never more than box 1)."""
    cash = outcome(assess(make(owing(5000, 20000), **{"person.state": "CA"})), "separation")
    assert cash["withholding"] == 5000 and cash["state_withholding"] == 0
    assert cash["check_received"] == 0
    [form] = cash["form_1099r"]
    assert form["box_4"] + form["box_14"] <= form["box_1"]
    # $60,000 in cash and a $15,000 offset: 15,000 federal, the state's 10% of it, 1,500.
    cash = outcome(assess(make(owing(60000, 15000), **{"person.state": "CA"})), "separation")
    assert cash["withholding"] == 15000 and cash["state_withholding"] == pytest.approx(1500)


def test_a_payment_of_part_of_the_account_carries_no_offset(assess):
    # $40,000 of the $60,000: the account is not emptied, the loan not offset with it.
    cash = outcome(assess(owing(60000, 15000, amount=40000)), "separation")
    assert cash["withholding"] == 8000
    assert "OC_OFFSET_WITHHELD" not in {x["code"] for x in cash["reasons"]}
    # The whole of it: the answer says why 20% of more than the cash is withheld.
    whole = outcome(assess(owing(60000, 15000)), "separation")
    assert "OC_OFFSET_WITHHELD" in {x["code"] for x in whole["reasons"]}


def test_batch_withholds_the_same_as_assess(assess):
    rows = {"participant_id": ["L1", "L2", "L3"],
            "request_date": [dt.date(2026, 9, 15)] * 3,
            "birth_date": [dt.date(1975, 3, 15)] * 3, "plan_type": ["401k"] * 3,
            "employment_status": ["separated"] * 3, "hire_date": [dt.date(2015, 1, 1)] * 3,
            "separation_date": [dt.date(2026, 6, 30)] * 3, "wages": [50000.0] * 3,
            "balance_elective_deferral": [60000.0] * 3, "loan_outstanding": [15000.0] * 3,
            "loan_count": [1] * 3, "loans_allowed": [True] * 3,
            "request_route": ["separation", "separation", "loan_offset"],
            "request_destination": ["cash", "indirect_60day", "cash"]}
    out = run_job(pa.table(rows), "forms", default_law()).to_pylist()
    assert [o["withholding"] for o in out] == [15000, 15000, 0]
    assert out[0]["check_received"] == 45000 and out[0]["form_pretax_cash_box_4"] == 15000
    assert out[2]["form_1099r_codes"] == "1M"
    r = assess(owing(60000, 15000))
    for o, (name, dest) in zip(out, [("separation", "cash"), ("separation", "indirect_60day"),
                                     ("loan_offset", "cash")], strict=True):
        one = outcome(r, name, dest)
        for k in ("gross", "withholding", "check_received", "kept_after_all_tax",
                  "makeup_needed"):
            assert o[k] == pytest.approx(one[k], abs=0.011), (name, dest, k)
