"""Form 1099-R box by box, on cases worked by hand from the Instructions for Forms 1099-R and
5498 (boxes 1, 2a, 2b, 4, 5, 7, 11, 15, 16; separate forms for designated Roth money and for a
direct rollover), and the invariants that hold for every payment."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.assess import assess_cases
from dist401k.batch import CaseBatch
from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.form_1099r_boxes import form_rows, forms_1099r
from dist401k.report import render_html

#: At 60, still working: pre-tax, designated Roth (contributions 55,000 since 2012) and
#: after-tax money (basis 45,000) in the plan.
AT_60 = {
    "person": {"birth_date": "1966-05-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2001-03-01"},
    "income": {"wages": 90000},
    "plan": {"type": "401k", "in_service": {
        "elective_deferral": {"allowed": True, "min_age": 59.5},
        "roth_deferral": {"allowed": True, "min_age": 59.5},
        "after_tax": {"allowed": True}}},
    "account": {"sources": {
        "elective_deferral": {"balance": 420000},
        "roth_deferral": {"balance": 80000, "contributions": 55000, "first_year": 2012},
        "after_tax": {"balance": 60000, "basis": 45000}}},
    "request": {"date": "2026-11-23", "amount": "max"},
}

#: Left the job at 50: pre-tax money and designated Roth money whose five-year period has not
#: run (first year 2022: contributions 40,000 of 50,000).
AT_50 = {
    "person": {"birth_date": "1976-03-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-01",
                   "separation_date": "2026-06-30"},
    "income": {"wages": 40000},
    "plan": {"type": "401k"},
    "account": {"sources": {
        "elective_deferral": {"balance": 100000},
        "roth_deferral": {"balance": 50000, "contributions": 40000, "first_year": 2022}}},
    "request": {"date": "2026-09-15", "amount": "max"},
}


def _forms(case: dict, route: str, destination: str = "cash") -> tuple[dict, list[dict]]:
    result = assess_cases([parse_case(case)])[0]
    o = next(o for o in result["outcomes"]
             if o["route"] == route and o["destination"] == destination)
    return o, o["form_1099r"]


def _by_part(forms: list[dict]) -> dict[str, dict]:
    return {f["part"]: f for f in forms}


def test_roth_and_pretax_parts_go_on_two_forms_with_code_b():
    """A qualified designated Roth distribution at 60 (five years since 2012): box 2a 0, box 5
    the Roth contributions, code B with 7, box 11 the first Roth year; the pre-tax form
    recovers the after-tax basis in box 5 (§72(e)(8)) and carries the 20% withheld."""
    o, forms = _forms(AT_60, "in_service")
    f = _by_part(forms)
    assert set(f) == {"pretax_cash", "roth_cash"}
    pre, roth = f["pretax_cash"], f["roth_cash"]
    assert (pre["box_1"], pre["box_2a"], pre["box_5"], pre["box_7"]) == (480000, 435000, 45000,
                                                                         "7")
    assert pre["box_4"] == pytest.approx(0.20 * 435000, abs=0.01)
    assert (roth["box_1"], roth["box_2a"], roth["box_5"], roth["box_7"], roth["box_11"]) == (
        80000, 0, 55000, "B7", 2012)
    assert roth["box_4"] == 0
    assert pre["box_2b_total_distribution"] and roth["box_2b_total_distribution"]
    assert o["form_1099r_codes"] == ["7", "B7"]


def test_a_partial_payment_is_pro_rata_within_each_form_and_not_a_total_distribution():
    """56,000 of 560,000: a tenth of each source, so a tenth of each box; not a total
    distribution (box 2b)."""
    _, forms = _forms({**AT_60, "request": {"date": "2026-11-23", "amount": 56000}},
                      "in_service")
    f = _by_part(forms)
    assert (f["pretax_cash"]["box_1"], f["pretax_cash"]["box_2a"],
            f["pretax_cash"]["box_5"]) == pytest.approx((48000, 43500, 4500))
    assert (f["roth_cash"]["box_1"], f["roth_cash"]["box_5"]) == pytest.approx((8000, 5500))
    assert not any(x["box_2b_total_distribution"] for x in forms)


def test_an_early_nonqualified_roth_payment_shows_its_taxable_earnings():
    """At 50, five-year period not run: code 1 and B1; the Roth form's box 2a the earnings
    (10,000), box 5 the contributions (40,000); the 20% withheld falls on the two taxable
    amounts in proportion (100,000 and 10,000)."""
    o, forms = _forms(AT_50, "separation")
    f = _by_part(forms)
    pre, roth = f["pretax_cash"], f["roth_cash"]
    assert (pre["box_1"], pre["box_2a"], pre["box_5"], pre["box_7"]) == (100000, 100000, 0, "1")
    assert (roth["box_1"], roth["box_2a"], roth["box_5"], roth["box_7"], roth["box_11"]) == (
        50000, 10000, 40000, "B1", 2022)
    assert pre["box_4"] + roth["box_4"] == pytest.approx(o["withholding"], abs=0.005)
    assert pre["box_4"] == pytest.approx(20000, abs=0.01)
    assert roth["box_4"] == pytest.approx(2000, abs=0.01)


@pytest.mark.parametrize(("destination", "codes", "taxable_g"), [
    ("traditional_ira", ("G", "H"), 0.0),
    ("other_plan", ("G", "BG"), 0.0),
    ("roth_ira", ("G", "H"), 100000.0),
])
def test_a_direct_rollover_is_code_g_and_roth_money_code_h_or_b_with_g(destination, codes,
                                                                       taxable_g):
    """Direct rollover: box 2a 0, except pre-tax money rolled to a Roth IRA (its taxable
    amount); designated Roth money H to a Roth IRA, B and G to another plan's Roth account;
    nothing withheld (§3405(c)(2))."""
    _, forms = _forms(AT_50, "separation", destination)
    f = _by_part(forms)
    assert set(f) == {"rolled_pretax", "rolled_roth"}
    g, h = f["rolled_pretax"], f["rolled_roth"]
    assert (g["box_7"], h["box_7"]) == codes
    assert (g["box_1"], g["box_2a"], g["box_4"]) == (100000, taxable_g, 0)
    assert (h["box_1"], h["box_2a"], h["box_5"], h["box_11"], h["box_4"]) == (
        50000, 0, 40000, 2022, 0)


def test_a_60_day_rollover_is_reported_as_paid():
    """The payer reports what it paid; the taxpayer reports the rollover: the same forms as
    cash."""
    _, cash = _forms(AT_50, "separation")
    _, rolled = _forms(AT_50, "separation", "indirect_60day")
    assert rolled == cash


def test_an_inherited_traditional_ira_checks_the_ira_box_and_leaves_the_taxable_amount_open():
    """An IRA's payer need not figure the taxable amount: box 2a = box 1, "taxable amount not
    determined" checked, the IRA/SEP/SIMPLE box checked; code 4 (death)."""
    case = copy.deepcopy(AT_60)
    case["account"] = {"sources": {"rollover_pretax": {"balance": 120000}}}
    case["beneficiary"] = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-05-01",
                           "relationship": "child", "account": "ira"}
    case["request"] = {"date": "2026-11-23", "amount": 10000}
    case["plan"] = {"type": "401k"}
    _, forms = _forms(case, "beneficiary")
    (f,) = forms
    assert (f["box_1"], f["box_2a"], f["box_7"]) == (10000, 10000, "4")
    assert f["box_2b_not_determined"] and f["box_7_ira_sep_simple"]


def test_an_inherited_roth_ira_leaves_box_2a_blank_and_the_ira_box_unchecked():
    case = copy.deepcopy(AT_60)
    case["account"] = {"sources": {"rollover_roth": {"balance": 120000, "contributions": 45000,
                                                     "first_year": 2005}}}
    case["beneficiary"] = {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-05-01",
                           "relationship": "child", "account": "ira", "roth": True}
    case["request"] = {"date": "2026-11-23", "amount": 10000}
    case["plan"] = {"type": "401k"}
    _, forms = _forms(case, "beneficiary")
    (f,) = forms
    assert f["box_7"] == "Q" and f["box_2a"] is None and f["box_2b_not_determined"]
    assert not f["box_7_ira_sep_simple"] and f["box_11"] is None


def test_the_state_boxes_follow_the_state_of_residence():
    _, forms = _forms({**AT_50, "person": {**AT_50["person"], "state": "CA"}}, "separation")
    assert all(f["box_15"] == "CA" and f["box_16"] == f["box_1"] for f in forms)
    _, forms = _forms(AT_50, "separation")
    assert all(f["box_15"] is None and f["box_16"] is None for f in forms)


def test_a_loan_gets_no_form():
    case = {**AT_50, "employment": {"status": "active", "hire_date": "2015-01-01"},
            "plan": {"type": "401k", "loans": {"allowed": True}},
            "request": {"date": "2026-09-15", "amount": 10000}}
    result = assess_cases([parse_case(case)])[0]
    loans = [o for o in result["outcomes"] if o["route"] == "loan"]
    assert loans and all(o["form_1099r"] == [] for o in loans)


@settings(max_examples=12, deadline=None)
@given(amount=st.integers(1000, 150000), roth=st.integers(0, 60000),
       basis=st.integers(0, 30000), destination=st.sampled_from(
           ["cash", "traditional_ira", "roth_ira", "other_plan", "indirect_60day"]))
def test_the_forms_add_up_to_the_outcome(amount, roth, basis, destination):
    """Whatever the payment: box 1 over the forms is the gross; box 4 the withholding; in cash,
    box 2a the taxable amount; box 2a and box 5 never exceed box 1; every amount in whole
    cents."""
    case = copy.deepcopy(AT_50)
    case["account"]["sources"]["after_tax"] = {"balance": 30000, "basis": basis}
    case["account"]["sources"]["roth_deferral"] = {"balance": 60000, "contributions": roth,
                                                   "first_year": 2022}
    case["request"]["amount"] = amount
    o, forms = _forms(case, "separation", destination)
    assert sum(f["box_1"] for f in forms) == pytest.approx(o["gross"], abs=0.02)
    assert sum(f["box_4"] for f in forms) == pytest.approx(o["withholding"], abs=0.005)
    if destination == "cash":
        assert sum(f["box_2a"] for f in forms) == pytest.approx(o["taxable"], abs=0.02)
    for f in forms:
        assert f["box_2a"] <= f["box_1"] + 0.005 and f["box_5"] <= f["box_1"] + 0.005
        assert f["box_2a"] + f["box_5"] <= f["box_1"] + 0.02
        for box in ("box_1", "box_2a", "box_4", "box_5"):
            assert f[box] is None or f[box] == round(f[box], 2), (box, f[box])


def test_the_report_lists_each_form():
    html = render_html(compare_case(parse_case(AT_50)))
    assert "The Forms 1099-R the plan will send" in html
    assert "B1" in html and "2022" in html


def test_an_outcome_without_the_split_is_taxable_as_it_says():
    """An outcome built elsewhere without the Roth split (non-Roth money only): one form, its
    taxable amount from the outcome."""
    b = CaseBatch.from_cases([parse_case(AT_50)])
    z = np.zeros(1)
    o = SimpleNamespace(
        route="separation", destination="cash", possible=np.array([True]),
        gross=np.array([8000.0]), taxable=np.array([6000.0]), withholding=np.array([0.0]),
        code=np.array(["L"]), parts={"pretax_cash": np.array([8000.0]), "roth_cash": z,
                                      "rolled_pretax": z, "rolled_roth": z}, extra={})
    (f,) = form_rows(forms_1099r(b, o), np.arange(1))[0]
    assert (f["box_1"], f["box_2a"], f["box_5"], f["box_7"]) == (8000, 6000, 2000, "L")


#: Born in 1934, in the plan from July 1970 to the end of 1999: a lump sum in 2026 of all of
#: the pre-tax money and designated Roth money, with employer stock in the account.
BORN_1934 = {
    "person": {"birth_date": "1934-06-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "1970-07-15",
                   "separation_date": "1999-12-31"},
    "income": {"social_security": 30000},
    "plan": {"type": "401k"},
    "account": {"sources": {
        "elective_deferral": {"balance": 100000},
        "roth_deferral": {"balance": 20000, "contributions": 10000, "first_year": 2010}},
        "employer_stock": {"value": 50000, "cost_basis": 10000}},
    "request": {"date": "2026-06-01", "destination": "cash"},
}


def _separation_forms(data: dict) -> dict[str, dict]:
    out = assess_cases([parse_case(data)])[0]
    o = next(x for x in out["outcomes"] if x["route"] == "separation"
             and x["destination"] == "cash")
    return {f["part"]: f for f in o["form_1099r"]}


def test_box_3_the_capital_gain_of_pre_1974_participation():
    forms = _separation_forms(BORN_1934)
    # Months of participation, a part of a month counted whole: July 1970 to December 1973 is
    # 42; July 1970 to December 1999 is 354.  Capital gain = 100,000 × 42 / 354 = 11,864.41.
    assert forms["pretax_cash"]["box_3"] == pytest.approx(11864.41, abs=0.005)
    # Nothing taxable on the Roth form (a qualified distribution): no capital gain.
    assert forms["roth_cash"]["box_3"] is None
    # Born after January 1, 1936: box 3 stays blank.
    later = copy.deepcopy(BORN_1934)
    later["person"]["birth_date"] = "1936-03-01"
    assert _separation_forms(later)["pretax_cash"]["box_3"] is None


def test_boxes_3_6_and_10_left_blank_for_want_of_facts_say_so():
    unknown = copy.deepcopy(BORN_1934)
    del unknown["employment"]["hire_date"]
    forms = _separation_forms(unknown)
    pre, roth = forms["pretax_cash"], forms["roth_cash"]
    # No start of participation: box 3 is unknown (null), and the form says why.
    assert pre["box_3"] is None
    assert any(t.startswith("box 3:") for t in pre["not_figured"])
    # Employer stock with appreciation, paid in cash here: box 6 blank, and why.
    assert pre["box_6"] is None and any(t.startswith("box 6:") for t in pre["not_figured"])
    # Designated Roth money paid past 59½ (B7, an exception applies): box 10 is blank by the
    # instructions, not for want of facts; paid at 50 (B1) without the in-plan Roth
    # rollovers in the case: box 10 unknown, and the form says why.
    assert roth["box_7"] == "B7" and roth["box_10"] is None
    assert not any(t.startswith("box 10:") for t in roth["not_figured"])
    assert not any(t.startswith("box 10:") for t in pre["not_figured"])
    early = _by_part(_forms(AT_50, "separation")[1])["roth_cash"]
    assert early["box_7"] == "B1" and early["box_10"] is None
    assert any(t.startswith("box 10:") for t in early["not_figured"])


@pytest.mark.parametrize("plan", ["403b7", "403b_annuity", "governmental_457b"])
def test_no_box_6_language_for_a_403b_or_a_457b(plan):
    """IRC §402(e)(4)(B), (D)(i): only a lump sum from a §401(a) (or §403(a)) plan carries net
    unrealized appreciation, so box 6 is never in question for a 403(b) or a governmental
    457(b): no "box 6" among the boxes not figured, while a 401(k) keeps it."""
    def box_6_named(plan_type: str) -> bool:
        data = copy.deepcopy(BORN_1934)
        data["plan"] = {"type": plan_type, "governmental": plan_type == "governmental_457b"}
        forms = _separation_forms(data)
        return any(t.startswith("box 6:") for f in forms.values() for t in f["not_figured"])
    assert box_6_named("401k")
    assert not box_6_named(plan)


@pytest.mark.parametrize("plan", ["403b7", "403b_annuity", "governmental_457b"])
def test_no_capital_gain_or_code_a_from_a_403b_or_a_457b(plan):
    """A "lump sum distribution" is paid from a plan under §401(a) (§402(e)(4)(D)(i)); Form
    4972 asks for the balance "from all of an employer's qualified plans of one kind (pension,
    profit-sharing, or stock bonus)": a 403(b) or 457(b) paid out whole to someone born in 1934
    has no box 3 capital gain and no code A."""
    data = copy.deepcopy(BORN_1934)
    data["plan"] = {"type": plan, "governmental": plan == "governmental_457b"}
    pre = _separation_forms(data)["pretax_cash"]
    assert pre["box_3"] is None and pre["box_7"] == "7"
    assert not any(t.startswith("box 3:") for t in pre["not_figured"])


def test_code_a_beside_7_on_a_lump_sum_to_someone_born_before_1936():
    """Instructions for Forms 1099-R and 5498, box 7: "for a normal distribution from a qualified
    plan that qualifies for the 10-year tax option, enter Codes 7 and A"; code A "only for
    participants born before January 2, 1936, or their beneficiaries".  The Roth form keeps B7
    (code B does not go with A); a part of the balance is no lump sum (no A); someone born on
    January 2, 1936 has no A."""
    forms = _separation_forms(BORN_1934)
    assert forms["pretax_cash"]["box_7"] == "7A" and forms["roth_cash"]["box_7"] == "B7"
    part = copy.deepcopy(BORN_1934)
    part["request"]["amount"] = 10000
    assert _separation_forms(part)["pretax_cash"]["box_7"] == "7"
    later = copy.deepcopy(BORN_1934)
    later["person"]["birth_date"] = "1936-01-02"
    assert _separation_forms(later)["pretax_cash"]["box_7"] == "7"
    # The whole balance, the RMD paid in cash and the rest rolled directly to an IRA: part of
    # the distribution is rolled over, so no Form 4972 (Part I, line 2): no code A and no box 3
    # capital gain on the cash form either.
    rolled = copy.deepcopy(BORN_1934)
    rolled["request"] = {"date": "2026-06-01", "amount": "max", "destination": "traditional_ira"}
    out = assess_cases([parse_case(rolled)])[0]
    o = next(x for x in out["outcomes"] if x["route"] == "separation"
             and x["destination"] == "traditional_ira")
    forms = {f["part"]: f for f in o["form_1099r"]}
    assert forms["rolled_pretax"]["box_7"] == "G" and forms["pretax_cash"]["box_1"] > 0
    assert forms["pretax_cash"]["box_7"] == "7" and forms["pretax_cash"]["box_3"] is None


def test_code_4a_to_the_beneficiary_of_a_participant_born_before_1936():
    """Code A is for the participant born before January 2, 1936 "or their beneficiaries" (with
    code 4, death): the participant's birth date decides, not the beneficiary's."""
    case = {
        "person": {"birth_date": "1962-04-01", "filing_status": "single"},
        "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 80000}}},
        "beneficiary": {"deceased_birth_date": "1935-03-01", "date_of_death": "2025-05-01",
                        "relationship": "child", "account": "plan"},
        "request": {"date": "2026-06-01", "amount": "max", "destination": "cash"},
    }
    _, forms = _forms(case, "beneficiary")
    assert _by_part(forms)["pretax_cash"]["box_7"] == "4A"
    case["beneficiary"]["deceased_birth_date"] = "1936-03-01"
    _, forms = _forms(case, "beneficiary")
    assert _by_part(forms)["pretax_cash"]["box_7"] == "4"


def test_box_10_is_blank_not_unknown_where_an_exception_applies():
    """Instructions for Forms 1099-R and 5498, box 10: "Do not complete this box if an
    exception under section 72(t) applies."  A Roth form coded B2 (here the $1,000 emergency
    expense distribution of §72(t)(2)(I)) leaves box 10 blank without naming it unknown; the
    hardship's B1 form, with no exception, still says the case lacks the in-plan rollovers.
    Box 4 split between the two forms is in whole cents.  The need is raised to $30,000: the
    in-service withdrawal ($15,000) and the emergency expense distribution ($1,000) pay $16,000
    of it first, and a hardship only what they leave (Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(B)(1))."""
    path = Path(__file__).parents[2] / "examples" / "cases" / "hardship-medical.yaml"
    raw = yaml.safe_load(path.read_text())
    raw["request"]["need"] = 30000
    case = parse_case(json.loads(json.dumps(raw, default=str)))
    out = assess_cases([case])[0]["outcomes"]
    emergency = _by_part(next(o for o in out if o["route"] == "emergency_expense")["form_1099r"])
    assert emergency["roth_cash"]["box_7"] == "B2"
    assert emergency["roth_cash"]["box_10"] is None
    assert not any(t.startswith("box 10:") for t in emergency["roth_cash"]["not_figured"])
    hardship = _by_part(next(o for o in out if o["route"] == "hardship")["form_1099r"])
    assert hardship["roth_cash"]["box_7"] == "B1"
    assert any(t.startswith("box 10:") for t in hardship["roth_cash"]["not_figured"])
    assert hardship["roth_cash"]["box_4"] == round(hardship["roth_cash"]["box_4"], 2) > 0


def test_box_11_is_the_roth_account_s_first_year_whatever_source_is_paid():
    """Form 1099-R instructions, box 11: the first year of designated Roth contributions to the
    account paid from — the plan's one designated Roth account, whose five-year period a direct
    rollover in may only start earlier (Treas. Reg. §1.402A-1, Q&A-4(b)).  Roth deferrals since
    2021 and Roth money rolled in (2024): a payment of the rolled-in money alone says 2021, and
    at 66 it is qualified (box 2a 0)."""
    case = {"person": {"birth_date": "1960-01-01", "filing_status": "single"},
            "employment": {"status": "active", "hire_date": "2010-01-01"},
            "plan": {"type": "401k", "in_service": {"rollover_roth": {"allowed": True}}},
            "account": {"sources": {
                "roth_deferral": {"balance": 30000, "contributions": 20000, "first_year": 2021},
                "rollover_roth": {"balance": 10000, "contributions": 8000,
                                  "first_year": 2024}}},
            "request": {"date": "2026-06-01", "amount": "max", "destination": "cash"}}
    _, forms = _forms(case, "in_service")
    roth = _by_part(forms)["roth_cash"]
    assert roth["box_1"] == 10000 and roth["box_2a"] == 0 and roth["box_11"] == 2021
