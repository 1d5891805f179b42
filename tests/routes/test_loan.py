"""Plan loans: IRC §72(p)(2) limits and the level payment."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.routes.loan import level_payment, loan_maximum
from routes.conftest import make, route


def lm(vested, outstanding=0.0, highest=0.0, floor=False):
    return float(loan_maximum(np.array([vested + outstanding]), np.array([outstanding]), np.array([highest]),
                              np.array([floor]), 50000.0, 0.5, 10000.0)[0])


def test_at_most_half_the_vested_balance_and_never_over_50000():
    assert lm(30000) == 15000
    assert lm(100000) == 50000
    assert lm(1_000_000) == 50000


def test_highest_balance_of_the_last_12_months_reduces_the_50000():
    # §72(p)(2)(A)(i): vested $200,000, highest balance in the year $40,000, today $30,000:
    # 50,000 − (40,000 − 30,000) = 40,000 in all, less the 30,000 outstanding → $10,000.
    assert lm(200000, outstanding=30000, highest=40000) == 10000
    # Paid off entirely last month after a $45,000 high: 50,000 − 45,000 = 5,000.
    assert lm(200000, outstanding=0, highest=45000) == 5000


def test_the_10000_floor_only_where_the_plan_lends_to_it():
    assert lm(12000) == 6000
    assert lm(12000, floor=True) == 10000
    assert lm(8000, floor=True) == 8000  # never more than the vested balance


def test_level_payment_matches_the_annuity_formula():
    # $10,000 at 6% over 5 years monthly: 10000 × 0.005 / (1 − 1.005^−60) = $193.33.
    assert float(level_payment(10000, 0.06, 5, 12)) == pytest.approx(193.33, abs=0.01)
    assert float(level_payment(1200, 0.0, 1, 12)) == pytest.approx(100)


def test_loan_route_in_a_case(assess):
    r = assess(make({"plan.loans": {"allowed": True, "max_count": 1, "interest_rate": 0.06},
                     "account.sources": {"elective_deferral": {"balance": 20000}},
                     "request.amount": 10000}))
    s = route(r, "loan")
    assert s["maximum"] == 10000 and s["payment"] == pytest.approx(193.33, abs=0.01)
    # A second loan where the plan allows one at a time: closed.
    r = assess(make({"plan.loans": {"allowed": True, "max_count": 1},
                     "account.loans": {"outstanding": 1000, "count": 1}}))
    assert route(r, "loan")["eligible"] is False


def test_payment_schedule_repays_the_loan(assess):
    r = assess(make({"plan.loans": {"allowed": True, "interest_rate": 0.06},
                     "account.sources": {"elective_deferral": {"balance": 20000}},
                     "request.amount": 10000}))
    sched = route(r, "loan")["schedule"]
    assert len(sched) == 60 and sched[-1]["balance"] == 0
    assert sum(p["principal"] for p in sched) == pytest.approx(10000, abs=0.05)
    # First month: 10,000 × 0.5% = 50.00 interest.
    assert sched[0]["interest"] == 50.0
    assert sum(p["amount"] for p in sched) - 10000 == pytest.approx(route(r, "loan")[
        "total_interest"], abs=0.5)


def test_payments_less_often_than_the_law_allows_close_the_loan(tmp_path):
    # §72(p)(2)(C): level amortization with payments at least quarterly.  Under a law whose
    # minimum were monthly, a plan repaid quarterly could not lend; monthly still could.
    import shutil

    from dist401k.assess import assess_cases
    from dist401k.case import parse_case
    from dist401k.law import Law, default_law

    params = tmp_path / "params"
    shutil.copytree(default_law().params_dir, params)
    path = params / "loans" / "min_payments_per_year.yaml"
    path.write_text(path.read_text().replace("'1987-01-01': 4", "'1987-01-01': 12"))
    monthly_law = Law(params_dir=params)
    cases = [parse_case(make({"plan.loans": {"allowed": True, "payments_per_year": n}}))
             for n in (4, 12)]
    answers = assess_cases(cases, monthly_law)
    quarterly, monthly = (route(r, "loan") for r in answers)
    assert quarterly["eligible"] is False and monthly["eligible"] is True
    why = {x["code"] for r in answers[0]["routes"] if r["route"] == "loan" for x in r["reasons"]}
    assert "LN_PAYMENTS" in why
    # Under the law as enacted, quarterly is enough.
    assert route(assess_cases(cases[:1])[0], "loan")["eligible"] is True


def test_the_floor_provision_under_its_former_name_for_one_release(assess):
    # plan.loans.lends_to_floor was floor_10000 (a name carrying the §72(p)(2)(A)(ii) figure):
    # both give the same answer this release; vested $12,000 lends the floor, not half of it.
    import pyarrow as pa

    from dist401k.flat import row_to_case, with_current_names

    sources = {"elective_deferral": {"balance": 12000}}
    now, former = (assess(make({"plan.loans": {"allowed": True, name: True},
                                "account.sources": sources})) for name in
                   ("lends_to_floor", "floor_10000"))
    assert route(now, "loan")["maximum"] == route(former, "loan")["maximum"] == 10000
    # A batch file's former column is read as the current one, unless both are given.
    old = pa.table({"loans_floor_10000": [True]})
    assert with_current_names(old).column_names == ["loans_lends_to_floor"]
    both = pa.table({"loans_floor_10000": [True], "loans_lends_to_floor": [False]})
    assert with_current_names(both).column_names == both.column_names
    assert row_to_case({"plan_type": "401k", "loans_floor_10000": True})["plan"]["loans"][
        "lends_to_floor"] is True
