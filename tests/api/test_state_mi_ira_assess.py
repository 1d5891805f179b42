"""Michigan judges a payment from an IRA at the case door (``assess``, the backdoor Roth cost) by
the IRA rule of its retirement and pension benefits subtraction, not as a plan's.

MCL 206.30(8)(a)(ii) counts an individual retirement account's distribution as a retirement or
pension benefit only if it is not made before 59½, except on death, disability or a
§72(t)(2)(A)(iv) series (Michigan Treasury, Qualified Pension Distribution Requirements,
Individual Plans: "you are 59½ or older, or you are on disability, or the participant died, or a
series of equal periodic payments are made for life"; ``state.mi.ira_benefits_age``).  An IRA
has no plan: the plan's retirement age (``plan.retirement_age``) does not decide it.  Before,
the case door gave every payment as a plan's: a separated 56-year-old with a plan retirement age
of 55 had an IRA payment judged by the plan's conditions, and with its employer part not known
no Michigan figure (``STATE_MI_QUALIFYING_PART_NOT_GIVEN``); a 59½-year-old still working had
an IRA payment taxed as premature.

Figures (law files): rate 4.25% (MCL 206.51(1)); personal exemption $5,900 (2026); from 2026
every birth year subtracts up to the full limit ($67,610 single).  The payment's state tax is the
tax with it less the tax without it.
"""

from __future__ import annotations

import pytest

from api.test_state_pa_ira_assess import LAW, cash, codes
from dist401k.case import parse_case
from dist401k.compare_backdoor import extra_tax
from routes.conftest import make

RATE = 0.0425
EXEMPTION_2026 = 5_900

#: The review's case: born 1970-03-01 (56), separated 2025-06-30 at 55, plan retirement age 55,
#: no other income, $30,000 asked of a Roth IRA opened 2015 holding $10,000 of contributions.
ROTH_56 = {
    "person": {"birth_date": "1970-03-01", "filing_status": "single", "state": "MI"},
    "employment": {"status": "separated", "hire_date": "1995-04-01",
                   "separation_date": "2025-06-30"},
    "income": {"social_security": 0},
    "plan": {"type": "401k", "retirement_age": 55},
    "account": {"sources": {"match": {"balance": 100000}}},
    "iras": {"roth": 60000, "roth_first_year": 2015, "roth_contributions": 10000},
    "request": {"date": "2026-06-02", "amount": 30000},
}


def test_roth_ira_before_59_half_is_taxed_though_the_plans_retirement_age_is_met():
    """56: the Roth IRA's $30,000 returns the $10,000 of contributions first, $20,000 taxable
    (not a qualified distribution before 59½).  An IRA distribution before 59½, no exception:
    not a retirement benefit, nothing subtracted.  Without the payment no income, no tax; with
    it (20,000 − 5,900) × 4.25% = 599.25 (before: not figured, the plan's employer part not
    given)."""
    o = cash(ROTH_56, "roth_ira")
    assert o["taxable"] == 20000.0
    assert o["state_income_tax_increase"] == pytest.approx(
        RATE * (20_000 - EXEMPTION_2026), abs=0.005)
    assert o["state_income_tax_increase"] == pytest.approx(599.25, abs=0.005)
    # A Roth IRA's distribution is never subtractable (Treasury), before 59½ or after.
    assert "STATE_MI_ROTH_IRA_NOT_SUBTRACTABLE" in codes(o)
    assert "STATE_MI_QUALIFYING_PART_NOT_GIVEN" not in codes(o)


def backdoor_state(birth: str, date: str = "2026-06-01", **changes) -> float | None:
    """The Michigan tax that $10,000 more of a backdoor conversion adds (the base case: working,
    wages $60,000, so the exemption is used by the wages)."""
    case = parse_case(make({"person.birth_date": birth, "person.state": "MI",
                            "request.date": date, **changes}))
    return extra_tax(case, LAW, 0.0, 10000.0)[1]


def test_conversion_at_59_half_on_the_request_date_is_subtracted_while_working():
    """Born 1967-01-15, converted 2026-12-01: 59½ was reached on 2026-07-15, an IRA
    distribution from 59½ is a retirement benefit, wages or not: $10,000 subtracted (under the
    $67,610 limit), 0 (before: taxed as a plan's paid before its retirement conditions,
    0.0425 × 10,000 = 425)."""
    assert backdoor_state("1967-01-15", "2026-12-01") == pytest.approx(0.0, abs=0.005)


def test_conversion_before_59_half_on_the_request_date_is_taxed():
    """Born 1967-09-15, converted 2026-06-01 (58 then, 59 at December 31): before 59½, no
    exception: 0.0425 × 10,000 = 425."""
    assert backdoor_state("1967-09-15") == pytest.approx(RATE * 10_000, abs=0.005)


def test_conversion_before_59_half_is_taxed_though_separated_past_the_plan_age():
    """56, separated at 55, plan retirement age 55, no wages: the conversion is an IRA's
    distribution before 59½, not a retirement benefit: (10,000 − 5,900) × 4.25% = 174.25
    (before: judged by the plan's conditions, met, with the employer part unknown: not
    figured)."""
    changes = {"employment": {"status": "separated", "hire_date": "1995-04-01",
                              "separation_date": "2025-06-30"},
               "income.wages": 0, "plan.retirement_age": 55}
    assert backdoor_state("1970-03-01", **changes) == pytest.approx(
        RATE * (10_000 - EXEMPTION_2026), abs=0.005)


def test_a_non_spouse_heir_of_40_is_taxed_on_an_inherited_ira():
    """A child of 40 (born 1986), working, wages $60,000, paid $20,000 from a parent's
    traditional IRA in 2026.  Treasury's Individual Plans page: "Distributions after the death
    of the participant may only be subtracted by a surviving spouse if the distributions
    qualified as a subtraction for the participant at the time of death"; the overview page:
    the payment "must be made to either the employee or the surviving spouse".  So nothing is
    subtracted: the wages already use the exemption, 0.0425 × 20,000 = 850.  (A guard: the heir's
    payment is judged by the heir's own age, under 59½, as at the tax door.)"""
    ben = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-02-01",
           "relationship": "child", "account": "ira"}
    case = make({"person.birth_date": "1986-01-15", "person.state": "MI",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 20000})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 20000.0
    assert o["state_income_tax_increase"] == pytest.approx(RATE * 20_000, abs=0.005)
    assert not codes(o) & {"STATE_MI_RETIREMENT_SUBTRACTION"}


#: A Roth IRA opened in 2024 holding $9,000 of contributions: a $20,000 distribution in 2026
#: returns the contributions first, and its $11,000 of earnings are taxable (the account is
#: under five years old: not a qualified distribution, §408A(d)(2)(B), even past 59½).
ROTH_YOUNG = {"roth": 40000, "roth_contributions": 9000, "roth_first_year": 2024}


def test_roth_ira_earnings_past_59_half_are_taxed():
    """Single, 62 (born 1964-01-15), no other income, $20,000 from a Roth IRA opened in 2024:
    $11,000 taxable.  Treasury (Individual Plans): "Distributions from a Roth IRA are not
    included in AGI and are not subtractable on the Michigan return"; its answer "Is a
    distribution from a Roth IRA an allowable subtraction? No"; and "Any portion of your Roth
    IRA distribution that is included in your federal adjusted gross income (AGI), is subject
    to Michigan tax".  So nothing is subtracted though 59½ is past:
    (11,000 − 5,900) × 4.25% = 216.75 (before: subtracted as an IRA's after 59½, 0)."""
    case = make({"person.birth_date": "1964-01-15", "person.state": "MI",
                 "request.date": "2026-06-01", "request.amount": 20000, "income.wages": 0,
                 "iras": dict(ROTH_YOUNG)})
    o = cash(case, "roth_ira")
    assert o["taxable"] == 11000.0
    assert o["state_income_tax_increase"] == pytest.approx(
        RATE * (11_000 - EXEMPTION_2026), abs=0.005)
    assert o["state_income_tax_increase"] == pytest.approx(216.75, abs=0.005)
    assert "STATE_MI_ROTH_IRA_NOT_SUBTRACTABLE" in codes(o)
    assert "STATE_MI_RETIREMENT_SUBTRACTION" not in codes(o)


def test_joint_roth_ira_earnings_past_59_half_are_taxed():
    """Married filing jointly, 2026: head 62 (born 1964-01-15), spouse 59 (born 1966-05-01),
    wages $5,000; the head takes $20,000 from the Roth IRA above: $11,000 taxable.  Michigan:
    AGI less the subtraction less two exemptions (2 × 5,900 = 11,800; a single filer's one
    would give (16,000 − 5,900) × 4.25% = 429.25).  Without the payment 5,000 < 11,800: no
    tax; with it, nothing of the Roth's part subtracted, (16,000 − 11,800) × 4.25% = 178.50
    (before: subtracted, 0)."""
    case = make({"person.birth_date": "1964-01-15", "person.state": "MI",
                 "person.filing_status": "married_joint", "person.spouse_birth_date": "1966-05-01",
                 "request.date": "2026-06-01", "request.amount": 20000, "income.wages": 5000,
                 "iras": dict(ROTH_YOUNG)})
    o = cash(case, "roth_ira")
    assert o["taxable"] == 11000.0
    assert RATE * (16_000 - 2 * EXEMPTION_2026) == pytest.approx(178.50)
    assert o["state_income_tax_increase"] == pytest.approx(178.50, abs=0.005)
    assert "STATE_MI_ROTH_IRA_NOT_SUBTRACTABLE" in codes(o)


def test_an_ira_payment_before_59_half_spared_by_the_medical_exception_is_taxed():
    """Born 1967-03-01: 59 on 2026-06-01, 59½ only on 2026-09-01.  A surviving spouse who made
    her late husband's IRA her own takes $20,000 on 2026-06-01, no other income, $10,000 of
    medical expenses.  She left her employer in 2019 (at 52, so no rule of 55) and the plan's
    retirement age is 55: the plan's conditions are met, which an IRA's test does not read.
    Federal: the medical exception spares 10,000 − 7.5% × 20,000 = 8,500; 11,500 owes the 10%
    tax (1,150).  Michigan's IRA test is its own: 59½, disability, death, a §72(t)(2)(A)(iv)
    series (Treasury, Individual Plans; the 1099-R code 2 chart: "No, unless part of a series
    of mainly equal periodic payments"); a medical exception is none of them, so nothing is
    subtracted: (20,000 − 5,900) × 4.25% = 599.25 (before: the 8,500 spared the 10% tax was
    subtracted, (20,000 − 8,500 − 5,900) × 4.25% = 238.00)."""
    ben = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-02-01",
           "relationship": "spouse", "spouse_election": "own", "account": "ira"}
    case = make({"person.birth_date": "1967-03-01", "person.state": "MI",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 20000,
                 "employment": {"status": "separated", "hire_date": "1995-04-01",
                                "separation_date": "2019-06-30"},
                 "income.wages": 0, "income.medical_expenses": 10000, "plan.retirement_age": 55})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 20000.0
    assert o["additional_tax_72t"] == pytest.approx(0.10 * (20_000 - (10_000 - 0.075 * 20_000)))
    assert "PX_MEDICAL" in codes(o)
    assert o["state_income_tax_increase"] == pytest.approx(
        RATE * (20_000 - EXEMPTION_2026), abs=0.005)
    assert "STATE_MI_IRA_PREMATURE_TAXABLE" in codes(o)
    assert "STATE_MI_RETIREMENT_SUBTRACTION" not in codes(o)


@pytest.mark.parametrize("relationship", ["child", "individual"])
def test_a_non_spouse_heir_past_59_half_subtracts_nothing(relationship):
    """An heir of 64 (born 1962-01-15), not the spouse, no other income, paid $20,000 from an
    inherited traditional IRA in 2026.  Treasury (Individual Plans): "Distributions after the
    death of the participant may only be subtracted by a surviving spouse if the distributions
    qualified as a subtraction for the participant at the time of death"; the overview: the
    payment "must be made to either the employee or the surviving spouse"; the 1099-R code 4
    chart: "Yes, for surviving spouse only".  The heir's own 59½ does not help:
    (20,000 − 5,900) × 4.25% = 599.25 (before: subtracted by the heir's own age, 0)."""
    ben = {"deceased_birth_date": "1940-01-01", "date_of_death": "2024-02-01",
           "relationship": relationship, "account": "ira"}
    case = make({"person.birth_date": "1962-01-15", "person.state": "MI",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 20000,
                 "income.wages": 0})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 20000.0
    assert o["state_income_tax_increase"] == pytest.approx(
        RATE * (20_000 - EXEMPTION_2026), abs=0.005)
    assert "STATE_MI_HEIR_NOT_SUBTRACTABLE" in codes(o)
    assert "STATE_MI_RETIREMENT_SUBTRACTION" not in codes(o)


def test_a_surviving_spouse_past_59_half_still_subtracts_an_inherited_ira():
    """A guard: the surviving spouse (64, born 1962-01-15), paid $20,000 from her late
    husband's IRA left inherited (he died at 84, past 59½: it qualified for him), no other
    income: subtracted (under the $67,610 limit), 0."""
    ben = {"deceased_birth_date": "1940-01-01", "date_of_death": "2024-02-01",
           "relationship": "spouse", "account": "ira"}
    case = make({"person.birth_date": "1962-01-15", "person.state": "MI",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 20000,
                 "income.wages": 0})
    o = cash(case, "beneficiary")
    assert o["state_income_tax_increase"] == pytest.approx(0.0, abs=0.005)
    assert "STATE_MI_HEIR_NOT_SUBTRACTABLE" not in codes(o)


def test_a_non_spouse_heirs_payment_from_an_inherited_401k_subtracts_nothing():
    """A child of 64 (born 1962-01-15), retired from her own employer in 2020, no other income,
    paid $20,000 from a parent's 401(k) holding only match money.  Treasury's overview: an
    employer plan's payment "must be made to either the employee or the surviving spouse":
    nothing subtracted, (20,000 − 5,900) × 4.25% = 599.25 (before: judged by the heir's own
    retirement, met, with the employer part not given: not figured)."""
    ben = {"deceased_birth_date": "1940-01-01", "date_of_death": "2024-02-01",
           "relationship": "child"}
    case = make({"person.birth_date": "1962-01-15", "person.state": "MI",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 20000,
                 "income.wages": 0, "account.sources": {"match": {"balance": 100000}},
                 "employment": {"status": "separated", "hire_date": "1995-04-01",
                                "separation_date": "2020-06-30"}})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 20000.0
    assert o["state_income_tax_increase"] == pytest.approx(
        RATE * (20_000 - EXEMPTION_2026), abs=0.005)
    assert "STATE_MI_HEIR_NOT_SUBTRACTABLE" in codes(o)
