"""Mississippi judges a payment from an IRA by the IRA's own condition, not the plan's
(``assess``, ``compare``'s backdoor Roth cost).

Sources: 35 Miss. Admin. Code Pt. 3, Subpt. 02, Ch. 07 ¶100 (retirement allowances, pensions,
annuities and optional retirement allowances are exempt), ¶101 (optional retirement allowances
include all income from IRAs), ¶104 (early distributions do not qualify); the Form 80-100
instructions, line 46: a distribution "taxable as early ... under the Federal Internal Revenue
Code (see Federal Form 5329)" does not qualify.  An IRA has no employer's requirements for
retirement: its distribution is early under IRC §72(t)(2)(A) before 59½ unless paid because of
the owner's death or the owner's disability.  A plan's payment keeps the plan's requirements.

Hand-worked cases (2026, single; standard deduction $2,300 and exemption $6,000, §§27-7-17,
-21; none on the first $10,000 of taxable income, then 4.0%, §27-7-5):

- 62, still working (wages $60,000: $51,700 taxable already, above $10,000), $20,000 from a
  Roth IRA opened 2024 ($9,000 of contributions): $11,000 of earnings taxable federally (the
  5-year period not met).  Past 59½ it is not an early distribution: Mississippi $0 (it was
  charged 0.04 × 11,000 = $440 as a premature plan distribution).
- 55, separated, the plan's retirement age 55 (its requirements met), no wages, $20,000 of
  taxable interest ($11,700 taxable already): the same Roth IRA payment is before 59½, an
  early distribution: 0.04 × 11,000 = $440 (it was exempt as a plan payment would be).
- 50, disabled (§72(m)(7)), working: the Roth IRA payment is not early (§72(t)(2)(A)(iii)):
  $0 (it was $440).
- 36, working, a non-spouse heir paid $10,000 from an inherited traditional IRA: paid because
  of the owner's death (§72(t)(2)(A)(ii)): $0 (it was 0.04 × 10,000 = $400).
- the backdoor Roth cost: at 62, working, $10,000 more of a conversion taxable: an IRA
  distribution past 59½, $0 (it was $400); at 45 it is taxed, $400.
"""

from __future__ import annotations

from api.test_state_pa_ira_assess import LAW, ROTH, cash, codes  # the same case and helpers
from dist401k.case import parse_case
from dist401k.compare_backdoor import extra_tax
from routes.conftest import make


def roth_case(birth: str, **changes) -> dict:
    """The Pennsylvania file's Roth IRA case, in Mississippi."""
    return make({"person.birth_date": birth, "person.state": "MS", "request.date": "2026-06-01",
                 "request.amount": 20000, "iras": dict(ROTH), **changes})


def test_roth_ira_past_59_half_still_working_owes_mississippi_nothing():
    o = cash(roth_case("1964-01-15"), "roth_ira")
    assert o["taxable"] == 11000.0  # federal: earnings after the $9,000 of contributions
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_MS_IRA_EXEMPT" in codes(o)
    assert not codes(o) & {"STATE_MS_PREMATURE_TAXABLE", "STATE_MS_RETIREMENT_EXEMPT"}


def test_roth_ira_exempt_beside_other_distributions_mississippi_taxes():
    # $5,000 of other distributions judged by the plan's requirements (working: not met)
    # stay taxed without and with the payment; the IRA payment itself adds nothing.
    o = cash(roth_case("1964-01-15", **{"income.other_distributions": 5000}), "roth_ira")
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_MS_IRA_EXEMPT" in codes(o) and "STATE_MS_PREMATURE_TAXABLE" not in codes(o)


def test_roth_ira_before_59_half_is_taxed_though_the_plans_requirements_are_met():
    case = roth_case("1971-01-15", **{
        "employment": {"status": "separated", "hire_date": "2000-01-01",
                       "separation_date": "2026-02-01"},
        "income.wages": 0, "income.taxable_interest": 20000, "plan.retirement_age": 55})
    o = cash(case, "roth_ira")
    assert o["taxable"] == 11000.0
    assert o["state_income_tax_increase"] == 440.0  # 0.04 × 11,000
    assert "STATE_MS_IRA_PREMATURE_TAXABLE" in codes(o)
    assert not codes(o) & {"STATE_MS_RETIREMENT_EXEMPT", "STATE_MS_IRA_EXEMPT"}


def test_roth_ira_of_a_disabled_owner_before_59_half_owes_mississippi_nothing():
    o = cash(roth_case("1976-01-15", **{"person.disabled": True}), "roth_ira")
    assert o["taxable"] == 11000.0
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_MS_IRA_EXEMPT" in codes(o)


def test_inherited_ira_paid_on_death_owes_mississippi_nothing():
    ben = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-02-01",
           "relationship": "individual", "account": "ira"}
    case = make({"person.birth_date": "1990-01-01", "person.state": "MS",
                 "request.date": "2026-06-01", "beneficiary": ben, "request.amount": 10000})
    o = cash(case, "beneficiary")
    assert o["taxable"] == 10000.0
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_MS_IRA_EXEMPT" in codes(o) and "STATE_MS_PREMATURE_TAXABLE" not in codes(o)


def backdoor_state(birth: str) -> float | None:
    case = parse_case(make({"person.birth_date": birth, "person.state": "MS",
                            "request.date": "2026-06-01"}))
    return extra_tax(case, LAW, 0.0, 10000.0)[1]


def test_backdoor_conversion_past_59_half_owes_mississippi_nothing():
    assert backdoor_state("1964-01-15") == 0.0


def test_backdoor_conversion_before_59_half_is_taxed_by_mississippi():
    assert backdoor_state("1981-01-15") == 400.0  # 0.04 × 10,000


def test_a_plan_payment_at_62_still_working_stays_taxed_by_mississippi():
    # The plan's requirements (separated, at its retirement age) are not met while working: a
    # $10,000 hardship withdrawal of elective deferrals is premature, 0.04 × 10,000.
    case = make({"person.birth_date": "1964-01-15", "person.state": "MS",
                 "request.date": "2026-06-01", "request.amount": 10000,
                 "request.purpose": "medical", "request.need": 10000,
                 "plan.hardship": {"allowed": True, "self_certification": True,
                                   "sources": ["elective_deferral"]}})
    o = cash(case, "hardship")
    assert o["state_income_tax_increase"] == 400.0
    assert "STATE_MS_PREMATURE_TAXABLE" in codes(o)


def test_a_pennsylvania_resident_is_not_given_mississippi_reasons():
    o = cash(make({"person.birth_date": "1964-01-15", "person.state": "PA",
                   "request.date": "2026-06-01", "request.amount": 20000,
                   "iras": dict(ROTH)}), "roth_ira")
    assert not {c for c in codes(o) if c.startswith("STATE_MS_")}
