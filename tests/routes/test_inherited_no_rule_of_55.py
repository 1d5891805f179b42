"""The rule of 55 (§72(t)(2)(A)(v)) and the public-safety rule (§72(t)(10)) reach a payment from
the plan of the employer the person left, never an inherited account: a surviving spouse who
made an inherited IRA their own draws from their own IRA, to which §72(t)(3)(A) denies the
separation exception, and the death exception ends with the election (Treas. Reg. §1.408-8(c)).
Before, a spouse of 59 who had left a job at 58 was spared the 10% tax on such an IRA payment
(Form 1099-R code 2)."""
import pytest

from api.test_state_pa_ira_assess import cash, codes
from routes.conftest import make

SPOUSE_OWN_IRA = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-02-01",
                  "relationship": "spouse", "spouse_election": "own", "account": "ira"}
LEFT_AT_58 = {"status": "separated", "hire_date": "1995-04-01", "separation_date": "2025-06-30"}


def _case(**more):
    return make({"person.birth_date": "1967-03-01", "person.state": "TX", "request.date": "2026-06-01",
                 "beneficiary": SPOUSE_OWN_IRA, "request.amount": 20000, "employment": LEFT_AT_58,
                 "income.wages": 0, "plan.retirement_age": 55, **more})


def test_a_spouses_own_ira_owes_the_10_percent_tax_though_she_left_a_job_at_58():
    o = cash(_case(), "beneficiary")
    # 59 on 2026-06-01 (59½ on 2026-09-01): no exception; 10% of $20,000.
    assert o["additional_tax_72t"] == pytest.approx(2000.0)
    assert "PX_SEPARATION_55" not in codes(o)
    assert o["form_1099r_codes"] == ["1"]


def test_the_medical_exception_still_spares_its_part():
    o = cash(_case(**{"income.medical_expenses": 10000}), "beneficiary")
    # AGI $20,000: expenses over 7.5% of it, 10,000 − 1,500 = 8,500, are spared
    # (§72(t)(2)(B)); 10% of the other $11,500.
    assert o["additional_tax_72t"] == pytest.approx(1150.0)
    assert "PX_MEDICAL" in codes(o)
