"""A 72(t) series from the traditional IRAs in a year with a backdoor Roth: the taxable share of
each payment is 1 − Form 8606 line 10, with the year's nondeductible contribution on line 1
(into line 3, the basis) and its conversion on line 8 (into line 9).

Reviewer's case s (review_8606/s.yaml), worked by hand from the Form 8606 instructions: a
traditional IRA of $100,000 with $20,000 of basis, a $7,500 backdoor Roth in 2026.
Line 3 = 7,500 + 20,000 = 27,500; lines 6 + 7 = 100,000 (what the series takes this year moves
from line 6 to line 7, their sum stays); line 8 = 7,500; line 9 = 107,500; line 10 =
27,500 / 107,500 = 0.2558… → 0.256 (three places); taxable share 1 − 0.256 = 0.744.
Before the fix: 0.8 (the basis over the balance, the backdoor ignored).  The reviewer's case gives
no wages, and without compensation no IRA contribution is allowed (IRC §219(b)(1)(B)): here she
earns $30,000 at another job.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dist401k.case import parse_case
from dist401k.law import default_law
from dist401k.sepp import sepp_cases, sepp_taxable_share

LAW = default_law()

CASE_S = {
    "id": "s",
    "person": {"birth_date": dt.date(1969, 3, 10), "filing_status": "single"},
    "income": {"wages": 30000},
    "employment": {"status": "separated", "hire_date": dt.date(2001, 6, 4),
                   "separation_date": dt.date(2022, 9, 30)},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 380000},
                            "match": {"balance": 120000, "vested": 1.0}}},
    "request": {"date": dt.date(2026, 3, 1), "amount": "max"},
    "iras": {"traditional": 100000, "traditional_basis": 20000, "backdoor_roth_planned": 7500},
    "assumptions": {"growth": 0.05},
    "sepp": {"first_payment_date": dt.date(2026, 3, 1), "account": "ira",
             "federal_midterm_rates": [0.0381, 0.0379], "table": "single"},
}


def without_backdoor() -> dict:
    return {**CASE_S, "iras": {"traditional": 100000, "traditional_basis": 20000}}


def test_the_years_backdoor_joins_the_basis_and_the_conversion_line_9():
    (r,) = sepp_cases([parse_case(CASE_S)])
    assert r["taxable_share"] == pytest.approx(0.744, abs=1e-9)


def test_without_a_backdoor_the_share_is_the_basis_over_the_balance():
    (r,) = sepp_cases([parse_case(without_backdoor())])
    assert r["taxable_share"] == pytest.approx(0.8, abs=1e-9)  # 1 − 20,000 / 100,000


def test_the_batch_rule_gives_each_case_its_own_share():
    got = sepp_taxable_share([parse_case(CASE_S), parse_case(without_backdoor())], LAW)
    assert got == pytest.approx([0.744, 0.8], abs=1e-9)
