"""The edges of the Simplified Method (IRC §72(d)(1)) for a payment in a series, and the
corrective distributions dist401k refuses rather than answers wrongly.

* §72(d)(1)(G): the Simplified Method is for a "qualified employer retirement plan", a plan or
  contract described in §4974(c)(1), (2) or (3) — a §401(a) plan, a §403(a) annuity plan, a
  §403(b) contract — not a governmental 457(b): its series is taxed by the exclusion ratio of
  §72(b) (the General Rule, Pub. 939), which dist401k does not model.
* §72(d)(1)(E): the Simplified Method does not apply where the primary annuitant has attained
  age 75 on the annuity starting date unless there are fewer than 5 years of guaranteed payments.

Every expected figure is worked by hand from the statute's table (§72(d)(1)(B)(iii): more than
70, 160 anticipated monthly payments; not more than 65 and more than 60, 260), never from the
code."""

from __future__ import annotations

import pytest

from dist401k.case import Account, parse_case
from dist401k.errors import InputError
from routes.conftest import make, outcome

#: A yearly $24,000 installment of a life annuity that began on 2024-01-01, cost $31,000.
BASE = {
    "employment.status": "separated", "employment.separation_date": "2023-06-30",
    "employment.hire_date": "2000-01-01", "income.wages": 0,
    "request.date": "2025-03-01", "request.amount": 24000, "request.series": "life",
    "request.annuity_start_date": "2024-01-01", "request.series_payments_per_year": 1,
    "request.series_cost": 31000,
}
#: Only pre-tax money in the account: without the Simplified Method nothing is tax free.
PRETAX = {"account.sources": {"elective_deferral": {"balance": 300000}}}


def case(**kw) -> dict:
    return make({**BASE, **PRETAX, **kw})


def _codes(o: dict) -> list[str]:
    return [r["code"] for r in o["reasons"]]


# -- §72(d)(1)(G): the plans the Simplified Method is for -----------------------------------

def test_governmental_457b_series_is_not_the_simplified_method(assess):
    """Born 1958-03-01 (65 on the starting date: 260). A 401(k) would exclude
    $31,000 / (260 / 12) = $1,430.77; a governmental 457(b) is not a plan of §4974(c)(1)-(3):
    no Simplified Method, the General Rule is said not modelled, and with no after-tax money in
    the account the payment is all taxable as shown (the cost's exclusion is not figured)."""
    cash = outcome(assess(case(**{"person.birth_date": "1958-03-01",
                                  "plan.type": "governmental_457b"})), "separation")
    codes = _codes(cash)
    assert "SR_SIMPLIFIED_METHOD" not in codes
    assert "SR_GENERAL_RULE_PLAN" in codes
    assert "SR_COST_NOT_GIVEN" not in codes  # the cost is given; the method is what is missing
    assert cash["nontaxable"] == pytest.approx(0.0, abs=0.01)
    assert cash["taxable"] == pytest.approx(24000.00, abs=0.01)


@pytest.mark.parametrize("plan", ["401k", "403b7", "403b_annuity", "profit_sharing"])
def test_section_401a_and_403b_series_keep_the_simplified_method(assess, plan):
    """$31,000 / (260 / 12) = $1,430.77 tax free of $24,000 (§72(d)(1)(B)(iii), (F))."""
    cash = outcome(assess(case(**{"person.birth_date": "1958-03-01", "plan.type": plan})),
                   "separation")
    assert "SR_SIMPLIFIED_METHOD" in _codes(cash)
    assert "SR_GENERAL_RULE_PLAN" not in _codes(cash)
    assert cash["nontaxable"] == pytest.approx(1430.77, abs=0.01)


# -- §72(d)(1)(E): 75 or over on the annuity starting date ----------------------------------

#: Born 1948-03-01: 75 on 2024-01-01 (more than 70: 160); $31,000 / (160 / 12) = $2,325.00.
AGED_75 = "1948-03-01"


def test_75_with_5_or_more_guaranteed_years_is_not_the_simplified_method(assess):
    cash = outcome(assess(case(**{"person.birth_date": AGED_75,
                                  "request.series_guaranteed_years": 10})), "separation")
    codes = _codes(cash)
    assert "SR_SIMPLIFIED_METHOD" not in codes and "SR_GENERAL_RULE_AGE" in codes
    assert cash["nontaxable"] == pytest.approx(0.0, abs=0.01)
    assert cash["taxable"] == pytest.approx(24000.00, abs=0.01)


def test_75_with_exactly_5_guaranteed_years_is_not_fewer_than_5(assess):
    cash = outcome(assess(case(**{"person.birth_date": AGED_75,
                                  "request.series_guaranteed_years": 5})), "separation")
    assert "SR_GENERAL_RULE_AGE" in _codes(cash)
    assert cash["nontaxable"] == pytest.approx(0.0, abs=0.01)


def test_75_with_fewer_than_5_guaranteed_years_keeps_the_simplified_method(assess):
    """$31,000 / (160 / 12) = $2,325.00 tax free."""
    cash = outcome(assess(case(**{"person.birth_date": AGED_75,
                                  "request.series_guaranteed_years": 4})), "separation")
    assert "SR_SIMPLIFIED_METHOD" in _codes(cash)
    assert cash["nontaxable"] == pytest.approx(2325.00, abs=0.01)


def test_75_with_guaranteed_years_not_given_is_not_figured(assess):
    """Not known to be fewer than 5: the Simplified Method's figure is not given, and the
    answer asks for request.series_guaranteed_years (no assumption is made)."""
    cash = outcome(assess(case(**{"person.birth_date": AGED_75})), "separation")
    codes = _codes(cash)
    assert "SR_SIMPLIFIED_METHOD" not in codes and "SR_GUARANTEED_YEARS_NOT_GIVEN" in codes
    assert cash["nontaxable"] == pytest.approx(0.0, abs=0.01)


def test_75_on_the_birthday_itself_has_attained_75(assess):
    """Born 1949-01-01: attains 75 on 2024-01-01, the annuity starting date."""
    cash = outcome(assess(case(**{"person.birth_date": "1949-01-01",
                                  "request.series_guaranteed_years": 10})), "separation")
    assert "SR_GENERAL_RULE_AGE" in _codes(cash)


def test_74_on_the_starting_date_keeps_the_simplified_method(assess):
    """Born 1949-01-02: 74 on 2024-01-01 (more than 70: 160): $2,325.00 tax free, whatever
    the guaranteed years."""
    cash = outcome(assess(case(**{"person.birth_date": "1949-01-02",
                                  "request.series_guaranteed_years": 10})), "separation")
    assert "SR_SIMPLIFIED_METHOD" in _codes(cash)
    assert cash["nontaxable"] == pytest.approx(2325.00, abs=0.01)


def test_period_series_at_75_counts_its_years_as_guaranteed(assess):
    """A 15-year period certain is 15 years of payments payable whoever lives: not fewer than
    5 (§72(d)(1)(E)), so no Simplified Method for an annuitant of 75."""
    cash = outcome(assess(case(**{"person.birth_date": AGED_75, "request.series": "period",
                                  "request.series_years": 15})), "separation")
    assert "SR_GENERAL_RULE_AGE" in _codes(cash)
    assert "SR_SIMPLIFIED_METHOD" not in _codes(cash)


def test_general_rule_with_after_tax_money_reads_the_basis_as_without_a_cost(assess):
    """Where the Simplified Method does not apply the taxable part is figured as where the
    cost is not given: the account's basis pro rata (the same figure as that case)."""
    aged = {"person.birth_date": AGED_75, "request.series_guaranteed_years": 10,
            "account.sources": {"elective_deferral": {"balance": 300000},
                                "after_tax": {"balance": 60000, "basis": 31000}}}
    with_cost = outcome(assess(make({**BASE, **aged})), "separation")
    without = outcome(assess(make({**BASE, **aged, "request.series_cost": None})), "separation")
    assert with_cost["nontaxable"] == pytest.approx(without["nontaxable"], abs=0.01)
    assert with_cost["nontaxable"] != pytest.approx(2325.00, abs=0.01)
    assert "SR_GENERAL_RULE_AGE" in _codes(with_cost)


@pytest.mark.parametrize(("changes", "words"), [
    ({"request.series": "period", "request.series_years": 15,
      "request.series_guaranteed_years": 10}, "only for a life or joint_life series"),
    ({"request.series_guaranteed_years": -1}, "request.series_guaranteed_years"),
])
def test_bad_guaranteed_years_names_the_field(changes, words):
    with pytest.raises(InputError) as e:
        parse_case(case(**{"person.birth_date": AGED_75, **changes}))
    assert "request.series_guaranteed_years" in str(e.value) and words in str(e.value)


# -- corrective distributions: refused with the rule, not answered as a distribution --------

@pytest.mark.parametrize(("kind", "rule"), [
    ("excess_deferral", "§402(g)(2)"),
    ("excess_contribution", "§401(k)(8)"),
    ("excess_aggregate_contribution", "§401(m)(6)"),
    ("excess_annual_addition", "§415"),
    ("permissible_withdrawal", "§414(w)"),
])
def test_corrective_distribution_is_refused_naming_the_rule(kind, rule):
    with pytest.raises(InputError) as e:
        parse_case(make({"request.corrective": kind}))
    text = str(e.value)
    assert "request.corrective" in text and rule in text and "not modelled" in text


def test_no_corrective_distribution_is_the_default():
    assert parse_case(make({})).request.corrective == "none"


def test_distributed_this_year_says_what_to_leave_out():
    """Amounts that do not count toward the RMD (corrective distributions, §415 returns,
    deemed loans) are left out of account.distributed_this_year, with the rule cited."""
    words = Account.model_fields["distributed_this_year"].description or ""
    for needle in ("corrective", "§415", "§72(p)", "1.401(a)(9)-5"):
        assert needle in words, needle


def test_a_series_asked_to_be_rolled_over_is_told_why_it_cannot_be():
    """A life series asked to go to a traditional IRA has no outcome (§402(c)(4)(A)): the answer
    used to hold no outcome and no word why; a note now names the rule and the field.  A period
    under 10 years may be rolled: no note."""
    from dist401k.assess import assess_cases
    from dist401k.case import parse_case
    case = {
        "person": {"birth_date": "1958-03-01", "filing_status": "single"},
        "employment": {"status": "separated", "hire_date": "2000-01-01",
                       "separation_date": "2023-06-30"},
        "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 300000}}},
        "request": {"date": "2025-03-01", "amount": 24000, "destination": "traditional_ira",
                    "series": "life", "annuity_start_date": "2024-01-01"},
    }
    (answer,) = assess_cases([parse_case(case)])
    assert not answer["outcomes"]
    (note,) = [n for n in answer["notes"] if n["code"] == "SERIES_NOT_ROLLABLE"]
    assert note["field"] == "request.destination" and "§402(c)(4)(A)" in note["text"]
    case["request"].update(series="period", series_years=5)
    (answer,) = assess_cases([parse_case(case)])
    assert answer["outcomes"] and not [n for n in answer["notes"]
                                      if n["code"] == "SERIES_NOT_ROLLABLE"]
