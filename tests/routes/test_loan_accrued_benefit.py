"""What a source's balance means beside a loan outstanding, the same for every route.

``account.sources.*.balance`` is the money in the source NOT counting the loans outstanding
(what can be paid out); the loan receivable is ``account.loans.outstanding``.  So:

* the new-loan maximum of IRC §72(p)(2)(A) is figured on "the present value of the
  nonforfeitable accrued benefit of the employee under the plan": the vested balance PLUS the
  loans outstanding, and so is the $10,000 floor of §72(p)(2)(A)(ii);
* a separation pays the balance in cash, and the loan offset (route ``loan_offset``)
  distributes the loan outstanding beside it (tests/routes/test_offset_withholding.py).

Every expected figure below is worked by hand from the text of §72(p)(2)(A): total loans may
not exceed the lesser of (i) $50,000 reduced by the excess of the highest outstanding balance
of loans during the one-year period ending the day before the loan over the outstanding balance
on the day of the loan, and (ii) the greater of one-half of the accrued benefit or $10,000; the
new loan is that limit less the loans outstanding.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.routes.loan import loan_maximum
from routes.conftest import make, outcome, route

#: The law's figures of §72(p)(2)(A) (law/params/loans): $50,000, one-half, $10,000.
DOLLAR_CAP, FRACTION, FLOOR = 50000.0, 0.5, 10000.0


def lm(vested, outstanding=0.0, highest=None, floor=False) -> float:
    """The new-loan maximum of one case; the highest balance of the year defaults to the
    balance outstanding today (as the case model sets it)."""
    highest = outstanding if highest is None else highest
    return float(loan_maximum(np.array([vested + outstanding]), np.array([outstanding]), np.array([highest]),
                              np.array([floor]), DOLLAR_CAP, FRACTION, FLOOR)[0])


def test_the_loans_outstanding_are_part_of_the_accrued_benefit():
    # Balance 40,000 (not counting the loan), 10,000 outstanding: accrued benefit 50,000.
    # (i) 50,000 − (10,000 − 10,000) = 50,000; (ii) ½ × 50,000 = 25,000; the lesser, 25,000,
    # less the 10,000 outstanding → 15,000 (the former reading, ½ × 40,000 − 10,000, gave
    # 10,000).
    assert lm(40000, 10000) == 15000
    # Balance 80,000, 20,000 outstanding, 30,000 the year's high: accrued 100,000;
    # (i) 50,000 − (30,000 − 20,000) = 40,000; (ii) 50,000; 40,000 − 20,000 → 20,000.
    assert lm(80000, 20000, highest=30000) == 20000


def test_the_10000_floor_is_compared_with_the_same_accrued_benefit():
    # Balance 6,000 and 6,000 outstanding: accrued 12,000; ½ = 6,000 < the 10,000 floor,
    # which the accrued benefit covers: 10,000 − 6,000 → 4,000 (formerly ½ or the floor of
    # 6,000, less 6,000: nothing).
    assert lm(6000, 6000, floor=True) == 4000
    # Balance 3,000 and 6,000 outstanding: accrued 9,000 — the floor is capped at the accrued
    # benefit: 9,000 − 6,000 → 3,000, all the money in the sources.
    assert lm(3000, 6000, floor=True) == 3000
    # Without the plan's floor: ½ × 12,000 − 6,000 → 0.
    assert lm(6000, 6000) == 0


@settings(max_examples=200, deadline=None)
@given(vested=st.floats(0, 300000), outstanding=st.floats(0, 60000),
       above=st.floats(0, 60000), floor=st.booleans())
def test_a_new_loan_never_exceeds_the_money_in_the_sources(vested, outstanding, above, floor):
    got = lm(vested, outstanding, outstanding + above, floor)
    assert 0 <= got <= vested + 1e-6
    assert got <= max(0.0, DOLLAR_CAP - outstanding) + 1e-6


#: At 46, still working, 40,000 in the plan and a 10,000 loan outstanding; the plan lends
#: twice at a time.
OWING = {"person.birth_date": "1980-05-10",
         "plan.loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2},
         "account.sources": {"elective_deferral": {"balance": 40000}},
         "account.loans": {"outstanding": 10000, "count": 1}, "request.amount": None}


def test_assess_lends_half_the_accrued_benefit_less_the_loan(assess):
    r = assess(make(OWING))
    s = route(r, "loan")
    assert s["maximum"] == 15000 and s["principal"] == 15000
    assert outcome(r, "loan")["gross"] == 15000


def test_batch_lends_the_same_as_assess(assess):
    row = {"participant_id": ["L"], "request_date": [dt.date(2026, 11, 23)],
           "birth_date": [dt.date(1980, 5, 10)], "plan_type": ["401k"],
           "employment_status": ["active"], "hire_date": [dt.date(2010, 1, 1)],
           "wages": [60000.0], "balance_elective_deferral": [40000.0],
           "loans_allowed": [True], "loans_max_count": [2], "loan_interest_rate": [0.08],
           "loan_outstanding": [10000.0], "loan_count": [1], "request_route": ["loan"],
           "request_destination": ["cash"]}
    [out] = run_job(pa.table(row), "outcome", default_law()).to_pylist()
    assert out["status"] == "ok" and out["gross"] == 15000
    assert out["gross"] == pytest.approx(outcome(assess(make(OWING)), "loan")["gross"])


@pytest.mark.parametrize(("name", "changes", "cap"), [
    # §72(t)(2)(K)(ii): the lesser of $10,500 (2026) and 50% of the present value of the
    # nonforfeitable accrued benefit — $16,000 of balance and an $8,000 loan: 50% × 24,000.
    ("domestic_abuse", {"plan.secure2": {"domestic_abuse": True},
                        "request.purpose": "domestic_abuse", "request.event_date": "2026-05-02"},
     10500),
    # §401(a)(39)(B): the lesser of $2,600 (2026), the premiums and 10% of the accrued benefit:
    # 10% × 24,000 = 2,400.
    ("long_term_care", {"plan.secure2": {"long_term_care": True},
                        "request.purpose": "long_term_care",
                        "request.long_term_care_premiums": 5000}, 2400),
])
def test_the_secure2_caps_on_the_accrued_benefit_count_the_loan(assess, name, changes, cap):
    case = make({"account.sources": {"elective_deferral": {"balance": 16000}},
                 "account.loans": {"outstanding": 8000, "count": 1},
                 "request.date": "2026-11-23", "request.amount": "max", **changes})
    s = route(assess(case), name)
    assert s["eligible"] and s["available"] == pytest.approx(cap)
