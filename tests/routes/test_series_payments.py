"""A payment that is one of a series (request.series): not an eligible rollover distribution
(IRC §402(c)(4)(A)), withheld as wages (§3405(a), Pub. 15-T), taxed by the Simplified Method
(§72(d)(1); Pub. 575, Worksheet A), the §72(t)(2)(A)(iv) exception for life series only.

Every expected figure is worked by hand from the statute's tables below, never from the code."""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.errors import InputError
from routes.conftest import make, outcome

#: A retiree who left the employer in 2023 and takes a yearly $24,000 installment.
RETIREE = {
    "person.birth_date": "1958-03-01",
    "employment.status": "separated", "employment.separation_date": "2023-06-30",
    "employment.hire_date": "2000-01-01",
    "income.wages": 0,
    "account.sources": {"elective_deferral": {"balance": 300000},
                        "after_tax": {"balance": 60000, "basis": 31000}},
    "request.date": "2025-03-01", "request.amount": 24000,
    "request.annuity_start_date": "2024-01-01", "request.series_payments_per_year": 1,
}


def series(**kw) -> dict:
    return make({**RETIREE, **{f"request.{k}": v for k, v in kw.items()}})


def _codes(o: dict) -> list[str]:
    return [r["code"] for r in o["reasons"]]


def test_life_series_is_cash_only_without_20_percent_or_notice(assess):
    r = assess(series(series="life", series_cost=31000))
    cash = outcome(r, "separation")
    assert cash is not None
    # §402(c)(4)(A)(i): no rollover destination is offered for the series payment
    for dest in ("traditional_ira", "roth_ira", "other_plan", "split_2014_54", "indirect_60day"):
        assert outcome(r, "separation", dest) is None
    # §3405(a), no Form W-4P: single, no adjustments (Pub. 15-T (2025), Worksheet 1A): the
    # taxable $22,569.23 (Simplified Method, below) once a year, less line 1g's $8,600 =
    # $13,969.23; the 2025 single table's $6,400 row: 10% of $7,569.23 = $756.92 (not 20%, 10%)
    assert cash["withholding"] == pytest.approx(756.92, abs=0.005)
    codes = _codes(cash)
    assert "SR_NOT_ERD" in codes and "SR_WITHHOLDING_W4P" in codes
    assert "SR_WITHHOLDING_WAGES" not in codes
    assert "OC_ERD_WITHHOLDING" not in codes and "OC_402F" not in codes
    assert "OC_NON_ERD_WITHHOLDING" not in codes
    assert "§402(f) rollover notice" not in cash["notices"]
    assert "Form W-4R (withholding election)" not in cash["notices"]


def test_simplified_method_single_life_yearly_payment(assess):
    """Age 65 on 2024-01-01 (born 1958-03-01): §72(d)(1)(B)(iii) gives 260 monthly payments;
    paid yearly, 260 / 12 payments (§72(d)(1)(F)): $31,000 / (260 / 12) = $1,430.77 tax free,
    $22,569.23 taxable of $24,000."""
    cash = outcome(assess(series(series="life", series_cost=31000)), "separation")
    assert cash["taxable"] == pytest.approx(22569.23, abs=0.01)
    assert cash["nontaxable"] == pytest.approx(1430.77, abs=0.01)
    assert "SR_SIMPLIFIED_METHOD" in _codes(cash) and "OC_PRO_RATA" not in _codes(cash)
    form = cash["form_1099r"][0]
    assert form["box_2a"] == pytest.approx(22569.23, abs=0.01)
    assert form["box_5"] == pytest.approx(1430.77, abs=0.01)


def test_simplified_method_monthly_worksheet_a():
    """Worksheet A, lines 2-8 by hand for a monthly single-life annuity: cost $31,000, age 65
    (260): $119.23 a month tax free (31,000 / 260 = 119.2307...)."""
    from dist401k.assess import assess_cases

    case = parse_case(series(series="life", series_cost=31000, amount=1000,
                             series_payments_per_year=12))
    cash = outcome(assess_cases([case])[0], "separation")
    assert cash["nontaxable"] == pytest.approx(119.23, abs=0.01)
    assert cash["taxable"] == pytest.approx(880.77, abs=0.01)


def test_joint_life_combined_ages(assess):
    """Annuitant 65 and beneficiary 60 on the starting date: combined 125, §72(d)(1)(B)(iv)
    gives 310; yearly: $31,000 / (310 / 12) = $1,200.00 tax free."""
    cash = outcome(assess(series(series="joint_life", series_cost=31000,
                                 series_beneficiary_birth_date="1963-06-01")), "separation")
    assert cash["nontaxable"] == pytest.approx(1200.00, abs=0.01)
    assert cash["taxable"] == pytest.approx(22800.00, abs=0.01)


def test_period_15_years_not_erd_and_exclusion_by_months(assess):
    """15 years: 180 monthly payments (§72(d)(1)(B)(i)(II), §72(c)(3)); yearly 15 payments:
    $31,000 / 15 = $2,066.67 tax free."""
    cash = outcome(assess(series(series="period", series_years=15, series_cost=31000)),
                   "separation")
    assert outcome(assess(series(series="period", series_years=15, series_cost=31000)),
                   "separation", "traditional_ira") is None
    assert cash["nontaxable"] == pytest.approx(2066.67, abs=0.01)
    assert "SR_NOT_ERD" in _codes(cash)


def test_exclusion_never_exceeds_cost_left(assess):
    """§72(b)(2): $31,000 cost, $30,500 recovered: $500 left tax free; then all taxable."""
    cash = outcome(assess(series(series="life", series_cost=31000,
                                 series_cost_recovered=30500)), "separation")
    assert cash["nontaxable"] == pytest.approx(500.00, abs=0.01)
    done = outcome(assess(series(series="life", series_cost=31000,
                                 series_cost_recovered=31000)), "separation")
    assert done["taxable"] == pytest.approx(24000.00, abs=0.01)


def test_period_under_10_years_is_an_erd_as_before(assess):
    """§402(c)(4)(A)(ii): a 5-year period is an eligible rollover distribution (20%)."""
    r = assess(series(series="period", series_years=5))
    assert outcome(r, "separation", "traditional_ira") is not None
    cash = outcome(r, "separation")
    assert "OC_ERD_WITHHOLDING" in _codes(cash) and "SR_NOT_ERD" not in _codes(cash)


def _early(**kw) -> dict:
    """Born 1970 (55 on the request), separated in 2024 at 54: no rule of 55, under 59½."""
    return series(**{"annuity_start_date": "2025-01-01", **kw}) | {
        "person": {"birth_date": "1970-06-01", "filing_status": "single"},
        "employment": {"status": "separated", "separation_date": "2024-06-30",
                       "hire_date": "2000-01-01"}}


def test_life_series_after_separation_free_of_10_percent(assess):
    cash = outcome(assess(_early(series="life")), "separation")
    assert cash["additional_tax_72t"] == 0.0
    assert "PX_SERIES_LIFE" in _codes(cash)
    assert cash["form_1099r_codes"] == ["2"]


def test_period_series_is_not_the_72t_exception(assess):
    """A 15-year installment is not §72(t)(2)(A)(iv): 10% of the taxable $24,000 (no basis
    given here... the after-tax money's pro-rata share is tax free)."""
    cash = outcome(assess(_early(series="period", series_years=15)), "separation")
    assert "PX_SERIES_LIFE" not in _codes(cash)
    assert cash["additional_tax_72t"] == pytest.approx(0.10 * cash["taxable"], abs=0.01)
    assert cash["additional_tax_72t"] > 0


def test_cost_not_given_keeps_pro_rata_and_says_so(assess):
    cash = outcome(assess(series(series="life")), "separation")
    assert "SR_COST_NOT_GIVEN" in _codes(cash)


@pytest.mark.parametrize(("changes", "field"), [
    ({"request.series": "life", "request.annuity_start_date": None}, "request.annuity_start_date"),
    ({"request.series": "period"}, "request.series_years"),
    ({"request.series": "life", "request.amount": "max"}, "request.amount"),
    ({"request.series": "joint_life"}, "request.series_beneficiary_birth_date"),
    ({"request.series": "life", "request.series_cost": 100, "request.series_cost_recovered": 200},
     "request.series_cost_recovered"),
    ({"request.series": "life", "request.annuity_start_date": "2026-01-01"},
     "request.annuity_start_date"),
    ({"request.series": "weekly"}, "request.series"),
])
def test_bad_series_input_names_the_field(changes, field):
    with pytest.raises(InputError) as e:
        parse_case(make({**RETIREE, **changes}))
    assert field in str(e.value)


@pytest.mark.parametrize(("years", "rollable"), [(9, True), (10, False), (11, False)])
def test_period_of_exactly_10_years_is_no_erd(assess, years, rollable):
    """§402(c)(4)(A)(ii): "for a specified period of 10 years or more" — exactly 10 years is a
    series, not an eligible rollover distribution: cash only, no 20% (§3405(c)); 9 years is one."""
    r = assess(series(series="period", series_years=years))
    assert (outcome(r, "separation", "traditional_ira") is not None) is rollable
    cash = outcome(r, "separation")
    assert ("SR_NOT_ERD" in _codes(cash)) is not rollable
    assert ("OC_ERD_WITHHOLDING" in _codes(cash)) is rollable
