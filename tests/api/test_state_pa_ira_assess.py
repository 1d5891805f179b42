"""Pennsylvania judges a payment from an IRA by the IRA's condition, not the plan's (``assess``,
``compare``'s backdoor Roth cost).

Sources: the PA Department of Revenue's Personal Income Tax Guide (Gross Compensation): for a
plan that is not an employer's and has no retirement criteria of its own, such as an IRA, the
qualifying retirement age is the one after which a distribution is no longer subject to the
federal early-withdrawal penalty, 59½; the Department's answer 1470 and the PA-40 instructions
(Form 1099-R codes): an IRA distribution received on or after 59½, or paid to the estate or
designated beneficiary because of the owner's death, is not taxable; one received before 59½ is
taxable even if retired (cost recovery: contributions first).  An employer plan's payment keeps
the plan's conditions (72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8)).  Rate 3.07% (72 P.S. §7302);
Schedule SP forgiveness (72 P.S. §7304) ends, for a single filer, $250 × 10 above $6,500 of
eligibility income, well below the incomes here.

Hand-worked cases (2026, single):

- 62, still working (wages $60,000), $20,000 from a Roth IRA opened 2024 ($9,000 of regular
  contributions): Form 8606 Part III, the contributions first, $11,000 of earnings taxable
  federally (the 5-year period not met).  By the Guide, 62 is past 59½: Pennsylvania $0 (it
  was charged 0.0307 × 11,000 = $337.70 as an early plan distribution).
- 55, separated, the plan's retirement age 55 (its conditions met), no wages: the same Roth
  IRA payment is before 59½, so Pennsylvania taxes its $11,000: $337.70 (it was exempt as a
  plan payment would be).
- 36, a non-spouse individual paid $10,000 from an inherited traditional IRA: paid because of
  the owner's death, not taxable: $0 (it was 0.0307 × 10,000 = $307.00).
- the backdoor Roth cost: at 62, working, $10,000 more of a conversion taxable: an IRA
  distribution past 59½, Pennsylvania $0 (it was $307.00); at 45 it is taxed, $307.00.
"""

from __future__ import annotations

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.compare_backdoor import extra_tax
from dist401k.law import default_law
from routes.conftest import make

LAW = default_law()
ROTH = {"roth": 40000, "roth_contributions": 9000, "roth_first_year": 2024}


def cash(case: dict, route: str) -> dict:
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == route and o["destination"] == "cash")


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def roth_case(birth: str, **changes) -> dict:
    return make({"person.birth_date": birth, "person.state": "PA", "request.date": "2026-06-01",
                 "request.amount": 20000, "iras": dict(ROTH), **changes})


def test_roth_ira_past_59_half_still_working_owes_pennsylvania_nothing():
    o = cash(roth_case("1964-01-15"), "roth_ira")
    assert o["taxable"] == 11000.0  # federal: earnings after the $9,000 of contributions
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_PA_IRA_EXEMPT" in codes(o)
    assert not codes(o) & {"STATE_PA_EARLY_TAXABLE", "STATE_PA_RETIREMENT_EXEMPT"}


def test_roth_ira_exempt_beside_other_distributions_pennsylvania_taxes():
    # $5,000 of other distributions judged by the plan's conditions (working: not met) stay
    # taxed without and with the payment; the IRA payment itself adds nothing.
    o = cash(roth_case("1964-01-15", **{"income.other_distributions": 5000}), "roth_ira")
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_PA_IRA_EXEMPT" in codes(o) and "STATE_PA_EARLY_TAXABLE" not in codes(o)


def test_roth_ira_before_59_half_is_taxed_though_the_plans_conditions_are_met():
    case = roth_case("1971-01-15", **{
        "employment": {"status": "separated", "hire_date": "2000-01-01",
                       "separation_date": "2026-02-01"},
        "income.wages": 0, "plan.retirement_age": 55})
    o = cash(case, "roth_ira")
    assert o["taxable"] == 11000.0
    assert o["state_income_tax_increase"] == 337.7  # 0.0307 × 11,000
    assert "STATE_PA_IRA_EARLY_TAXABLE" in codes(o)
    assert "STATE_PA_RETIREMENT_EXEMPT" not in codes(o)


def test_inherited_ira_paid_on_death_owes_pennsylvania_nothing():
    ben = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-02-01",
           "relationship": "individual", "account": "ira"}
    case = make({"person.birth_date": "1990-01-01", "person.state": "PA",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 10000})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 10000.0
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_PA_DEATH_EXEMPT" in codes(o) and "STATE_PA_EARLY_TAXABLE" not in codes(o)


def backdoor_state(birth: str) -> float | None:
    case = parse_case(make({"person.birth_date": birth, "person.state": "PA",
                            "request.date": "2026-06-01"}))
    return extra_tax(case, LAW, 0.0, 10000.0)[1]


def test_backdoor_conversion_past_59_half_owes_pennsylvania_nothing():
    assert backdoor_state("1964-01-15") == 0.0


def test_backdoor_conversion_before_59_half_is_taxed_by_pennsylvania():
    assert backdoor_state("1981-01-15") == 307.0  # 0.0307 × 10,000


def test_inherited_401k_paid_on_death_owes_pennsylvania_nothing():
    # PA-40 instructions, Form 1099-R code 4: a distribution due to death is not taxable.
    ben = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-02-01",
           "relationship": "individual"}
    case = make({"person.birth_date": "1990-01-01", "person.state": "PA",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 10000})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 10000.0
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_PA_DEATH_EXEMPT" in codes(o)


def test_a_plan_payment_at_62_still_working_stays_taxed_by_pennsylvania():
    # The plan's conditions (separated, at its retirement age) are not met while working: a
    # $10,000 hardship withdrawal of elective deferrals is taxed, 0.0307 × 10,000.
    case = make({"person.birth_date": "1964-01-15", "person.state": "PA",
                 "request.date": "2026-06-01", "request.amount": 10000,
                 "request.purpose": "medical", "request.need": 10000,
                 "plan.hardship": {"allowed": True, "self_certification": True,
                                   "sources": ["elective_deferral"]}})
    o = cash(case, "hardship")
    assert o["state_income_tax_increase"] == 307.0


def test_a_qualified_roth_ira_payment_has_no_pennsylvania_reason_of_other_money():
    # Opened 2015, 62: a qualified distribution, nothing taxable (§408A(d)(2)); the $5,000 of
    # other distributions are not this payment's: no Pennsylvania reason speaks of them.
    o = cash(roth_case("1964-01-15", **{"income.other_distributions": 5000,
                                        "iras.roth_first_year": 2015}), "roth_ira")
    assert o["taxable"] == 0.0 and o["state_income_tax_increase"] == 0.0
    assert not {c for c in codes(o) if c.startswith("STATE_PA_")}
