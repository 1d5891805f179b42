"""Inherited accounts, a reviewer's findings: the withholding reasons of a beneficiary's payment,
a spouse who made the account her own, the missed RMD of the year of death, an estate's income
tax, and the error a date of death after the request gives.

Figures come from the sources, not from dist401k: IRC §3405(b) (10% of a nonperiodic payment
unless the W-4R elects otherwise) and §3405(c) (20% of an eligible rollover distribution, no
election below it); §402(c)(11) (a designated beneficiary's payment from a plan beyond the
year's required amount is an eligible rollover distribution) and §402(c)(4)(B) (the required
amount is not); Treas. Reg. §54.4974-1(g)(3) (T.D. 10001, and the 2022 proposed regulations it
replaced); Rev. Proc. 2025-32 §4.01, Table 5 (2026 estates: $3,851 plus 37% of the excess over
$16,000), §642(b)(1) ($600 exemption), §1411(a)(2) (an estate's 3.8% on the lesser of its
undistributed net investment income and its AGI over the start of its top bracket).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dist401k.case import parse_case
from dist401k.errors import InputError
from routes.conftest import make, outcome, route

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def example(name: str, **changes) -> dict:
    """An example case file, with ``{"a.b": value}`` changes."""
    case = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    for path, value in changes.items():
        keys = path.split(".")
        node = case
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return case


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def route_codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "beneficiary"
            for x in row["reasons"]}


# --- 1. the withholding reasons say what was withheld ---------------------------------------

def test_required_part_at_10_and_the_rest_at_20_each_named(assess):
    """inherited-ten-year-after-rbd: $262,000 ÷ 39.9 = $6,566.42 required, $2,000 taken, and
    the missed 2025 amount, $7,100, still owed (treated as required this year, Treas. Reg.
    §1.402(c)-2, Q&A-7(a)), so $11,666.42 of the $20,000 is the required part (10%, §3405(b))
    and $8,333.58 an eligible rollover distribution (20%, §3405(c)): $1,166.64 + $1,666.72 =
    $2,833.36."""
    r = assess(example("inherited-ten-year-after-rbd"))
    assert route(r, "beneficiary")["remaining"] == pytest.approx(
        262000 / 39.9 - 2000 + 7100, abs=0.01)
    o = outcome(r, "beneficiary")
    assert o["withholding"] == pytest.approx(0.10 * 11666.42 + 0.20 * 8333.58, abs=0.01)
    assert {"BN_WITHHOLDING_REQUIRED_PART", "BN_WITHHOLDING_ERD_PART"} <= codes(o)
    assert "OC_NON_ERD_WITHHOLDING" not in codes(o)
    assert "Form W-4R (withholding election)" in o["notices"]


def test_a_w4r_of_zero_lowers_only_the_required_part(assess):
    """A W-4R rate of 0 applies to the required part (§3405(b)(2)); the eligible rollover
    part keeps its 20% (§3405(c)(1)): 0.20 × $8,333.58 = $1,666.72."""
    o = outcome(assess(example("inherited-ten-year-after-rbd",
                               **{"request.withholding_rate": 0})), "beneficiary")
    assert o["withholding"] == pytest.approx(0.20 * 8333.58, abs=0.01)
    assert {"BN_WITHHOLDING_REQUIRED_PART", "BN_WITHHOLDING_ERD_PART"} <= codes(o)


def test_nothing_required_all_at_20(assess):
    """inherited-ten-year-before-rbd: nothing is required (10-year rule, death before the
    RBD), so the whole $15,000 is an eligible rollover distribution: $3,000."""
    o = outcome(assess(example("inherited-ten-year-before-rbd")), "beneficiary")
    assert o["withholding"] == pytest.approx(3000.0)
    assert codes(o) & {"BN_WITHHOLDING_ERD_PART", "BN_WITHHOLDING_REQUIRED_PART",
                       "OC_NON_ERD_WITHHOLDING"} == {"BN_WITHHOLDING_ERD_PART"}


def test_designated_roth_money_in_a_plan_20_percent_of_its_taxable_part(assess):
    """Designated Roth money, not qualified (first year 2023): $10,000 of $50,000 with
    $40,000 of contributions is $2,000 taxable (§72(e)(8)); from a plan to a designated
    beneficiary with nothing required, an eligible rollover distribution: 20% = $400."""
    case = make({"person.birth_date": "1990-04-02", "income.wages": 0,
                 "employment": None, "request.date": "2026-06-01", "request.amount": 10000,
                 "account.sources": {"roth_deferral": {"balance": 50000, "contributions": 40000,
                                                       "first_year": 2023}},
                 "beneficiary": {"deceased_birth_date": "1950-09-15",
                                 "date_of_death": "2024-03-08", "relationship": "individual",
                                 "roth": True}})
    o = outcome(assess(case), "beneficiary")
    assert o["taxable"] == pytest.approx(2000.0) and o["withholding"] == pytest.approx(400.0)
    assert "BN_WITHHOLDING_ERD_PART" in codes(o) and "OC_NON_ERD_WITHHOLDING" not in codes(o)


def test_an_estate_has_no_eligible_rollover_part(assess):
    """No designated beneficiary: §402(c)(11) does not reach it, so 10% of all (§3405(b))."""
    o = outcome(assess(example("inherited-estate")), "beneficiary")
    assert o["withholding"] == pytest.approx(12500.0)
    assert "OC_NON_ERD_WITHHOLDING" in codes(o) and "BN_WITHHOLDING_ERD_PART" not in codes(o)


# --- 2. a spouse who made the account her own is paid from her own IRA ---------------------

SPOUSE = {"person.birth_date": "1970-04-02", "income.wages": 0, "employment": None,
          "request.date": "2026-06-01", "request.amount": 10000,
          "beneficiary": {"deceased_birth_date": "1955-09-15", "date_of_death": "2024-03-08",
                          "relationship": "spouse", "prior_year_end_balance": 100000,
                          "spouse_election": "own"}}


@pytest.mark.parametrize("elected, withheld", [(None, 1000.0), (0, 0.0)])
def test_own_is_a_payment_from_her_own_ira(assess, elected, withheld):
    """Rolled into her own IRA (docs/assess.md: `own`, spousal rollover, own IRA): an IRA
    payment is no eligible rollover distribution (§3405(c)(3), §402(c)(4)), so 10% withheld
    unless the W-4R elects otherwise (§3405(b)), 0 electable; under 59½ the 10% tax
    (§72(t)(1); the death exception is lost, Treas. Reg. §1.408-8(c)): $1,000; Form 1099-R
    code 1 with the IRA/SEP/SIMPLE box checked."""
    case = make({**SPOUSE, **({} if elected is None else {"request.withholding_rate": elected})})
    r = assess(case)
    o = outcome(r, "beneficiary")
    assert o["withholding"] == pytest.approx(withheld)
    assert o["additional_tax_72t"] == pytest.approx(1000.0)
    (form,) = o["form_1099r"]
    assert form["box_7"] == "1" and form["box_7_ira_sep_simple"] is True
    assert form["box_4"] == pytest.approx(withheld)
    assert "OC_NON_ERD_WITHHOLDING" in codes(o) and "BN_WITHHOLDING_ERD_PART" not in codes(o)
    assert "BN_SPOUSE_OWN" in route_codes(r)


def test_staying_beneficiary_is_a_plan_payment_to_the_spouse(assess):
    """The same spouse as beneficiary: paid from the plan on death, code 4, no 10% tax
    (§72(t)(2)(A)(ii)); nothing required yet (she may wait until he would have reached 73),
    so all an eligible rollover distribution: 20% = $2,000."""
    ben = {**SPOUSE["beneficiary"], "spouse_election": "beneficiary"}
    o = outcome(assess(make({**SPOUSE, "beneficiary": ben})), "beneficiary")
    assert o["withholding"] == pytest.approx(2000.0) and o["additional_tax_72t"] == 0
    (form,) = o["form_1099r"]
    assert form["box_7"] == "4" and form["box_7_ira_sep_simple"] is False


def test_own_roth_money_is_refused_naming_the_election():
    ben = {**SPOUSE["beneficiary"], "roth": True}
    case = make({**SPOUSE, "beneficiary": ben,
                 "account.sources": {"roth_deferral": {"balance": 50000, "contributions": 40000,
                                                       "first_year": 2015}}})
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [p.field for p in exc.value.problems] == ["beneficiary.spouse_election"]


# --- 3. the employee's missed RMD of the year of death --------------------------------------

def year_of_death(death: str, birth: str, missed_year: int, date: str) -> dict:
    return make({"person.birth_date": "1975-05-05", "income.wages": 0, "employment": None,
                 "request.date": date, "request.amount": 9000,
                 "account.sources": {"elective_deferral": {"balance": 200000}},
                 "beneficiary": {"deceased_birth_date": birth, "date_of_death": death,
                                 "relationship": "individual", "prior_year_end_balance": 200000,
                                 "missed": [{"year": missed_year, "shortfall": 9000}]}})


@pytest.mark.parametrize("death, date, excise, until", [
    # T.D. 10001 (deaths from 2025): the later of the return's due date with extensions
    # (October 15, 2026) and December 31 of the next year — December 31, 2026.
    ("2025-10-14", "2026-03-02", 0.0, "2026-12-31"),
    ("2025-10-14", "2026-12-31", 0.0, "2026-12-31"),
    ("2025-10-14", "2027-01-04", 0.25 * 9000, None),
    # The 2022 proposed regulations (deaths of 2022 to 2024): the due date with extensions of
    # an individual's return for the year of death, October 15 of the next year.
    ("2023-10-14", "2024-10-15", 0.0, "2024-10-15"),
    ("2023-10-14", "2024-10-16", 0.25 * 9000, None),
])
def test_missed_year_of_death_rmd_is_waived_until_the_deadline(assess, death, date, excise,
                                                                until):
    """Treas. Reg. §54.4974-1(g)(3): no excise on the employee's RMD of the year of death the
    beneficiary takes by the deadline; after it, 25% (§4974(a) as SECURE 2.0 §302 set it)."""
    year = int(death[:4])
    r = assess(year_of_death(death, "1945-03-20", year, date))
    s = route(r, "beneficiary")
    (m,) = s["missed"]
    assert m["excise"] == pytest.approx(excise) and s["excise_missed"] == pytest.approx(excise)
    if until is None:
        assert m["waived_by"] is None and "BN_EXCISE_OWED" in route_codes(r)
    else:
        assert m["waived_by"] == f"Treas. Reg. §54.4974-1(g)(3), if taken by {until}"
        assert "BN_YEAR_OF_DEATH_WAIVED" in route_codes(r)
        assert "BN_EXCISE_OWED" not in route_codes(r)


def test_a_later_missed_year_is_not_the_year_of_death(assess):
    """Died 2024 after the RBD, a designated beneficiary 30 years younger: the 10-year rule
    with annual amounts required from 2025; a missed 2025 amount is no year-of-death RMD and
    owes 25% (§4974(a))."""
    r = assess(year_of_death("2024-10-14", "1945-03-20", 2025, "2026-03-02"))
    (m,) = route(r, "beneficiary")["missed"]
    assert m["excise"] == pytest.approx(2250.0) and m["waived_by"] is None


# --- 4. an estate's income tax is on Form 1041 ----------------------------------------------

def test_estate_is_taxed_on_form_1041(assess):
    """inherited-estate, 2026: $125,000, the estate's only income; taxable $125,000 − $600
    (§642(b)(1); no standard deduction, §63(c)(6)(D)); Rev. Proc. 2025-32: $3,851 + 37% ×
    ($124,400 − $16,000) = $43,959 — not an individual's 1040 tax, and no word of 59½."""
    o = outcome(assess(example("inherited-estate")), "beneficiary")
    assert o["income_tax_increase"] == pytest.approx(3851 + 0.37 * (124400 - 16000))
    assert "BN_ESTATE_TAX" in codes(o) and "PX_AGE_59_HALF" not in codes(o)
    assert "59½" not in o["why"]["short"]
    assert "w4r_chart_rate" not in o


def test_the_payment_exposes_the_estates_investment_income(assess):
    """$20,000 of interest and $10,000 paid, 2026. Without: AGI $19,400, regular tax
    $3,851 + 37% × $3,400 = $5,109, NIIT 3.8% × min($20,000, $3,400) = $129.20. With: AGI
    $29,400, $3,851 + 37% × $13,400 = $8,809, NIIT 3.8% × $13,400 = $509.20. Added: $4,080."""
    case = example("inherited-estate", **{"request.amount": 10000,
                                          "income.taxable_interest": 20000})
    o = outcome(assess(case), "beneficiary")
    assert o["income_tax_increase"] == pytest.approx((8809 + 509.2) - (5109 + 129.2))


def test_an_estates_state_tax_is_unknown_not_an_individuals(assess):
    case = example("inherited-estate", **{"person.state": "CA"})
    o = outcome(assess(case), "beneficiary")
    assert o["state_covered"] is False and o["state_income_tax_increase"] is None


def test_an_individual_heir_keeps_form_1040(assess):
    o = outcome(assess(example("inherited-ten-year-before-rbd")), "beneficiary")
    assert "BN_ESTATE_TAX" not in codes(o)


# --- 5. a date of death after the request ---------------------------------------------------

def test_death_after_the_request_is_the_one_error():
    """docs/assess.md: a date of death after the request date is an error naming the field;
    the missed years are not measured against it."""
    case = example("inherited-ten-year-after-rbd", **{"beneficiary.date_of_death": "2027-01-01"})
    assert case["beneficiary"]["missed"]
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [(p.field, p.problem) for p in exc.value.problems] == [
        ("beneficiary.date_of_death", "is after the request date")]


def test_a_missed_year_before_the_death_is_still_an_error():
    case = example("inherited-ten-year-after-rbd",
                   **{"beneficiary.missed": [{"year": 2021, "shortfall": 100}]})
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [(p.field, p.problem) for p in exc.value.problems] == [
        ("beneficiary.missed.0.year", "is before the year of death")]
