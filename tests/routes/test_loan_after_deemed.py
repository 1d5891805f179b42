"""A new loan while a deemed loan is still unpaid, and the highest balance of the last 12
months (IRC §72(p)(2)(A); Treas. Reg. §1.72(p)-1, Q&A-19(b)).

* Q&A-19(b)(1): a loan deemed distributed and not repaid (by payments or a plan loan offset)
  is still outstanding, with the interest accruing on it, for the maximum of a later loan.
* Q&A-19(b)(2): while it is unpaid, a later loan is a loan only if it is repayable under a
  payroll withholding arrangement enforceable under applicable law, or secured by adequate
  collateral other than the account; otherwise the whole later loan is a deemed
  distribution.
* §72(p)(2)(A)(i): the $50,000 is reduced by the highest outstanding balance of the year
  before the loan above the balance on the day it is made.

The deemed loan is the shipped examples/cases/loan-default.yaml: 10,000 at 8% (simple, a
365-day year), the payment due 2026-05-31 missed, the cure period over 2026-09-30: 122 days of
interest, 10,000 × 0.08 × 122 / 365 = 267.40; 10,267.40 deemed.
"""

from __future__ import annotations

import pytest

from routes.test_loan_default import DEFAULTED, _answer, _case, _summary

MAX_COUNT = {"plan__loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2}}


def _loan_codes(answer: dict) -> set[str]:
    return {r["code"] for row in answer["routes"] if row["route"] == "loan"
            for r in row["reasons"]}


def test_a_new_loan_while_the_deemed_loan_is_unpaid_states_the_condition():
    a = _answer(_case(DEFAULTED, **MAX_COUNT))
    assert _summary(a, "loan")["eligible"]
    assert "LN_AFTER_DEEMED" in _loan_codes(a)
    # The loan's own outcome row says it too, beside "not taxed" (which holds only on its terms).
    (row,) = [o for o in a["outcomes"] if o["route"] == "loan"]
    assert {"LN_NOT_TAXED", "LN_AFTER_DEEMED"} <= {r["code"] for r in row["reasons"]}


def test_no_condition_while_the_cure_period_is_open_or_nothing_is_missed():
    open_ = _answer(_case(DEFAULTED, **MAX_COUNT, request__date="2026-09-01"))
    assert "LN_AFTER_DEEMED" not in _loan_codes(open_)
    assert not any(r["code"] == "LN_AFTER_DEEMED" for o in open_["outcomes"] for r in o["reasons"])
    paid = _answer(_case(DEFAULTED, **MAX_COUNT, account__loans={"outstanding": 10000,
                                                                  "count": 1}))
    assert "LN_AFTER_DEEMED" not in _loan_codes(paid)


def test_the_deemed_loans_interest_counts_as_outstanding():
    # Accrued benefit 40,000 + 10,000 = 50,000: half 25,000; $50,000 cap not reduced (the
    # highest balance, 10,000, is not above the 10,267.40 outstanding); less the deemed loan
    # with its interest: 25,000 − 10,267.40 = 14,732.60 (was 15,000, the interest left out).
    a = _answer(_case(DEFAULTED, **MAX_COUNT))
    assert _summary(a, "loan")["maximum"] == pytest.approx(14732.60, abs=0.01)


#: Vested 150,000 and 33,322 outstanding: half the accrued benefit (91,661) is above $50,000,
#: so the $50,000 limit binds.
BIG = {"account__sources": {"elective_deferral": {"balance": 150000}},
       "account__loans": {"outstanding": 33322, "count": 1}}


def test_the_highest_balance_not_given_is_said_to_be_assumed():
    # 50,000 − 0 − 33,322 = 16,678: right only if the loans were never higher this year.
    a = _answer(_case(DEFAULTED, **MAX_COUNT, **BIG))
    assert _summary(a, "loan")["maximum"] == pytest.approx(16678.00, abs=0.01)
    assert "LN_HIGHEST_ASSUMED" in _loan_codes(a)


def test_a_highest_balance_given_is_used_and_not_said_to_be_assumed():
    # 50,000 − (40,000 − 33,322) = 43,322, less 33,322 outstanding = 10,000.
    big = {**BIG, "account__loans": {"outstanding": 33322, "count": 1,
                                     "highest_last_12_months": 40000}}
    a = _answer(_case(DEFAULTED, **MAX_COUNT, **big))
    assert _summary(a, "loan")["maximum"] == pytest.approx(10000.00, abs=0.01)
    assert "LN_HIGHEST_ASSUMED" not in _loan_codes(a)


def test_no_assumption_said_where_half_the_benefit_binds():
    # Vested 40,000 and 10,000 outstanding, paid up: half the accrued benefit (25,000) is
    # below $50,000, so the $50,000 limit does not bind: 25,000 − 10,000 = 15,000.
    a = _answer(_case(DEFAULTED, **MAX_COUNT, account__loans={"outstanding": 10000,
                                                               "count": 1}))
    assert _summary(a, "loan")["maximum"] == pytest.approx(15000.00, abs=0.01)
    assert "LN_HIGHEST_ASSUMED" not in _loan_codes(a)
