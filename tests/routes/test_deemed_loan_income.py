"""A loan deemed distributed this year is income of the year (IRC §72(p)(1); Treas. Reg.
§1.72(p)-1, Q&A-10(a): made when the cure period ends): every other payment of the year is
taxed on top of it, federal and state; the deemed distribution itself on top of the rest of
the year's income.

The 2026 figures used below (Rev. Proc. 2025-32): a single filer's standard deduction 16,100;
12% up to 50,400 of taxable income, 22% above.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law.loader import default_law
from routes.test_loan_default import DEFAULTED, _answer, _case, _codes, _outcome

#: The shipped loan-default case (10,000 at 8%, the payment due 2026-05-31 missed: the cure
#: period ended 2026-09-30, 10,267.40 deemed in 2026) with a $5,000 medical hardship asked.
WITH_HARDSHIP = _case(DEFAULTED, plan__hardship={"allowed": True},
                      request__amount=5000, request__purpose="medical")


def test_a_hardship_of_the_year_is_taxed_on_top_of_the_deemed_loan():
    a = _answer(WITH_HARDSHIP)
    deemed = _outcome(a, "loan_deemed")
    hardship = _outcome(a, "hardship")
    # The deemed distribution on top of wages alone, as before: taxable income 60,000 −
    # 16,100 = 43,900 → 54,167.40: 6,500 at 12% (780.00) and 3,767.40 at 22% (828.83).
    assert deemed["income_tax_increase"] == pytest.approx(1608.83, abs=0.01)
    assert "LD_INCOME_THIS_YEAR" not in _codes(deemed)
    # The hardship on top of both: 54,167.40 is past 50,400, so all 5,000 at 22% = 1,100
    # (on wages alone it was 5,000 at 12% = 600).
    assert hardship["income_tax_increase"] == pytest.approx(1100.00, abs=0.01)
    assert "LD_INCOME_THIS_YEAR" in _codes(hardship)
    # The Form W-4R chart reads total income with the deemed loan in it: the 22% band.
    assert hardship["w4r_chart_rate"] == pytest.approx(0.22)


def test_the_deemed_loan_is_the_years_income_like_any_other_distribution():
    # The same hardship, federal and California tax, with the deemed loan or with the same
    # 10,267.40 given as other taxable distributions of the year (and no default): the same
    # tax added — California's brackets put the hardship partly in a lower band on wages
    # alone (CA Rev. & Tax. Code §17041).
    state = {"person__state": "CA"}
    deemed = _outcome(_answer(_case(WITH_HARDSHIP, **state)), "hardship")
    other = _outcome(_answer(_case(WITH_HARDSHIP, **state, account__loans__missed_payment_date=None,
                                   income__other_distributions=10267.40)), "hardship")
    alone = _outcome(_answer(_case(WITH_HARDSHIP, **state,
                                   account__loans__missed_payment_date=None)), "hardship")
    assert deemed["income_tax_increase"] == pytest.approx(other["income_tax_increase"], abs=0.01)
    assert deemed["state_income_tax_increase"] == pytest.approx(
        other["state_income_tax_increase"], abs=0.01)
    assert other["state_income_tax_increase"] > alone["state_income_tax_increase"] + 1


def test_a_payment_with_nothing_taxable_is_not_said_to_stack_on_the_deemed_loan():
    # Separated 2026-10-15 and asking $5,000 on 2026-11-20: a direct rollover has no taxable
    # amount (IRC §402(c)), so no income tax for the deemed loan to stack under; the cash
    # payment is taxed on top of it.
    a = _answer(_case(DEFAULTED, employment__status="separated",
                      employment__separation_date="2026-10-15",
                      request__date="2026-11-20", request__amount=5000))
    rolled = [o for o in a["outcomes"] if o["route"] == "separation"
              and o["destination"] in ("traditional_ira", "other_plan")]
    assert rolled and all(o["taxable"] == 0 for o in rolled)
    assert all("LD_INCOME_THIS_YEAR" not in _codes(o) for o in rolled)
    cash = [o for o in a["outcomes"] if o["route"] == "separation" and o["destination"] == "cash"]
    assert cash and "LD_INCOME_THIS_YEAR" in _codes(cash[0])


def test_a_cure_period_still_open_adds_nothing_to_the_year():
    # Asked 2026-09-01, before the cure period ends (2026-09-30): nothing deemed yet, the
    # hardship on wages alone: 5,000 at 12% = 600.
    a = _answer(_case(WITH_HARDSHIP, request__date="2026-09-01"))
    hardship = _outcome(a, "hardship")
    assert hardship["income_tax_increase"] == pytest.approx(600.00, abs=0.01)
    assert "LD_INCOME_THIS_YEAR" not in _codes(hardship)


def test_batch_prices_a_payment_on_top_of_the_deemed_loan_as_assess_does():
    table = pa.table({
        "request_date": [dt.date(2026, 11, 20)], "birth_date": [dt.date(1980, 5, 10)],
        "plan_type": ["401k"], "employment_status": ["active"], "wages": [60000.0],
        "balance_elective_deferral": [40000.0], "loan_outstanding": [10000.0],
        "loan_interest_rate": [0.08], "loan_missed_payment_date": [dt.date(2026, 5, 31)],
        "hardship_allowed": [True], "request_amount": [5000.0],
        "request_purpose": ["medical"], "request_route": ["hardship"],
        "request_destination": ["cash"]})
    row = run_job(table, "outcome", default_law()).to_pylist()[0]
    assert row["income_tax_increase"] == pytest.approx(1100.00, abs=0.01)
