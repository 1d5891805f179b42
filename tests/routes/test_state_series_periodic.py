"""A payment of a series (``request.series``, installments) is one of periodic payments for the
states that read it, and New York's exclusion takes what is received after 59½.

New York excludes up to $20,000 a year of "pensions and annuities received by an individual
who has attained the age of fifty-nine and one-half ... which are periodic payments
attributable to personal services" (Tax Law §612(c)(3-a)); the IT-201 instructions, line 29,
list "periodic distributions of benefits from ... a qualified cash or deferred profit-sharing or
stock bonus plan (IRC section 401(k))" and say: "If you became 59½ during [the year], enter only
the amount received after you became 59½, but not more than $20,000."  A lump sum from the plan
does not qualify.

Colorado subtracts, from 55 to 64, up to $20,000 of pension and annuity benefits "paid
periodically ... paid after such retirement" (1 CCR 201-2, Rule 39-22-104(4)(f)(1)(a)); "Periodic
payments means a series of amounts paid at regular intervals (e.g., weekly, monthly, or yearly)
over a period of time greater than one year" ((1)(b)); a lump sum from the plan does not qualify.

The cases are the reviewer's (a 401(k) participant separated on 2025-01-15, $500,000 of
elective deferrals, $20,000 paid on the request date), moved to 2025, whose schedules are
confirmed: a yearly installment of a 15-year period series against the same $20,000 as a lump
sum.  Hand computations (2025, single):

* New York: NY AGI $20,000, standard deduction $8,000 (§614), taxable $12,000; below $65,000 the
  State tax table is read at the middle of the $50 row ($12,025): 4% of $8,500 = $340, 4.5% of
  $3,200 = $144, 5.25% of $325 = $17.06, $501.06, $501 whole (§601(c)).  With the exclusion NY AGI
  is $0: no tax.
* Colorado: federal taxable income $20,000 − $15,750 (the 2025 standard deduction) = $4,250, at
  4.40% = $187.00; with the $20,000 subtraction none is left: no tax.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import Case
from dist401k.compare import compare_case

#: The New York tax on the $20,000 lump sum and Colorado's (see the docstring).
NY_LUMP_TAX, CO_LUMP_TAX = 501.0, 187.0
SERIES = {"series": "period", "series_years": 15, "series_payments_per_year": 1}


def _case(state: str, born: str, day: str, series: bool = True) -> Case:
    request = {"date": day, "amount": 20_000}
    if series:
        request |= SERIES | {"annuity_start_date": day}
    return Case.model_validate({
        "id": f"{state}-{born}-{day}",
        "person": {"birth_date": born, "filing_status": "single", "state": state},
        "employment": {"status": "separated", "hire_date": "2000-01-01",
                       "separation_date": "2025-01-15"},
        "income": {"social_security": 0},
        "plan": {"type": "401k", "retirement_age": 55},
        "account": {"sources": {"elective_deferral": {"balance": 500_000}}},
        "request": request})


def _cash(case: Case) -> dict:
    [row] = [o for o in assess_cases([case])[0]["outcomes"]
             if o["route"] == "separation" and o["destination"] == "cash"]
    assert row["taxable"] == pytest.approx(20_000)
    return row


def _codes(row: dict) -> set[str]:
    return {r["code"] for r in row["reasons"]}


@pytest.mark.parametrize(("state", "lump_tax", "lump_code", "series_code"), [
    ("NY", NY_LUMP_TAX, None, "STATE_NY_PENSION_EXCLUSION"),
    ("CO", CO_LUMP_TAX, "STATE_CO_LUMP_SUM_NOT_PENSION", "STATE_CO_PENSION_SUBTRACTION")])
def test_installment_is_periodic_lump_sum_is_not(state, lump_tax, lump_code, series_code):
    """At 62 (born 1963-03-01), a yearly installment of a 15-year series qualifies in full
    ($20,000, the limit): no state tax; the same $20,000 as a lump sum is taxed in full."""
    lump = _cash(_case(state, "1963-03-01", "2025-10-01", series=False))
    assert lump["state_income_tax_increase"] == pytest.approx(lump_tax, abs=0.005)
    if lump_code:
        assert lump_code in _codes(lump)
    row = _cash(_case(state, "1963-03-01", "2025-10-01"))
    assert row["state_covered"] is True
    assert row["state_income_tax_increase"] == pytest.approx(0.0, abs=0.005)
    assert series_code in _codes(row)
    assert "STATE_CO_LUMP_SUM_NOT_PENSION" not in _codes(row)


@pytest.mark.parametrize("state", ["NY", "CO"])
def test_compare_prices_the_installment_as_assess_does(state):
    """``compare``'s cash option of the same installment: no state tax either."""
    got = compare_case(_case(state, "1963-03-01", "2025-10-01"))
    [cash] = [o for o in got["options"] if o["option"] == "separation:cash"]
    assert cash["state_covered"] is True
    assert cash["state_income_tax_now"] == pytest.approx(0.0, abs=0.005)


@pytest.mark.parametrize(("born", "day", "tax"), [
    # 59½ on 2025-11-01, 59 at the year's end: paid after 59½ (December) the installment
    # qualifies; paid before it (October) it does not, though 59½ comes within the year.
    ("1966-05-01", "2025-12-01", 0.0),
    ("1966-05-01", "2025-10-01", NY_LUMP_TAX),
    # 59½ on 2025-05-01, 60 at the year's end: paid before 59½ (March) it does not qualify.
    ("1965-11-01", "2025-03-01", NY_LUMP_TAX),
    ("1965-11-01", "2025-06-01", 0.0)])
def test_new_york_judges_59_half_on_the_payment_date(born, day, tax):
    """IT-201 line 29: in the year one becomes 59½ only the amount received after it counts;
    the request date tells, not the whole age at the end of the year."""
    row = _cash(_case("NY", born, day))
    assert row["state_covered"] is True
    assert row["state_income_tax_increase"] == pytest.approx(tax, abs=0.005)


def test_a_one_year_series_is_not_periodic_in_colorado():
    """A period series of one year is not paid "over a period of time greater than one year"
    (Rule 39-22-104(4)(f)(1)(b)): Colorado taxes it as the lump sum ($187.00)."""
    case = _case("CO", "1963-03-01", "2025-10-01")
    case = case.model_copy(update={"request": case.request.model_copy(update={
        "series_years": 1, "series_payments_per_year": 12})})
    row = _cash(case)
    assert row["state_income_tax_increase"] == pytest.approx(CO_LUMP_TAX, abs=0.005)
    assert "STATE_CO_LUMP_SUM_NOT_PENSION" in _codes(row)
