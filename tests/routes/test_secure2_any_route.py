"""The SECURE 2.0 / SECURE Act exceptions of an event reach a payment by any of the plan's routes,
not only the route the plan may adopt: the exception describes the distribution, so where the plan
does not offer the route the individual may treat an otherwise permissible distribution as one on
the return, up to the event's limit (Notice 2020-68 for birth or adoption; Notice 2024-55 for
emergency personal expense and domestic abuse; §72(t)(11)(B)(i) and the Instructions for Form
8915-F for a qualified disaster).  The payer, not treating it so, reports box 7 code 1; Form 5329
line 2 claims it.  Figures worked by hand from the statute's limits:

- birth or adoption, §72(t)(2)(H)(ii): $5,000 per child, less what was taken for the child;
- emergency personal expense, §72(t)(2)(I)(ii): the lesser of $1,000 and the vested accrued
  benefit above $1,000, one a year;
- domestic abuse victim, §72(t)(2)(K)(ii): the lesser of the year's limit ($10,500 in 2026, Rev.
  Proc. 2025-32 as the law file holds it) and half the vested accrued benefit; not from a plan
  under §401(a)(11) and §417;
- qualified disaster recovery, §72(t)(11)(B)(i): $22,000 per disaster, its income spread ratably
  over 3 years (§72(t)(11)(E)), reported on Form 8915-F and not on Form 5329;
- each repayable within 3 years (§72(t)(2)(H)(v), (t)(11)(C)), as is a terminally ill
  participant's distribution (§72(t)(2)(L)(iv): "rules similar to the rules of subparagraph
  (H)(v)").
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.explain import reason
from dist401k.io.files import read_case_file
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, outcome

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
#: A 35-year-old who left the job in March 2026 (no rule of 55), married, $38,000 of deferrals,
#: in a 401(k) that has adopted none of the SECURE 2.0 routes; the request is of 2026-11-23.
LEFT = {"person.birth_date": "1990-12-01", "person.filing_status": "married_joint",
        "person.spouse_birth_date": "1991-03-15", "employment.status": "separated",
        "employment.hire_date": "2015-01-07", "employment.separation_date": "2026-03-01",
        "income.wages": 40000, "account.sources": {"elective_deferral": {"balance": 38000}},
        "request.destination": "cash"}
BABY = {"request.purpose": "birth_adoption", "request.event_date": "2026-08-14"}
STORM = {"request.purpose": "disaster", "request.event_date": "2026-09-20",
         "request.disaster_declared": True}
REPAY = {"what": "repay to a plan or IRA, if you wish (3 years)", "date": "2029-11-23"}


def separation(**changes) -> dict:
    case = make({**LEFT, **{k.replace("__", "."): v for k, v in changes.items()}})
    o = outcome(assess_cases([parse_case(case)])[0], "separation")
    assert o is not None
    return o


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_birth_or_adoption_after_separation_is_excepted_and_claimed_on_form_5329():
    """The repro: $5,000 of a $5,000 separation payment is a qualified birth or adoption
    distribution; no 10% tax; code 1 (the payer does not treat it so); Form 5329 line 2 $5,000
    with exception 19, the form required; repayable by 2029-11-23 (3 years)."""
    o = separation(request__amount=5000, **{k.replace(".", "__"): v for k, v in BABY.items()})
    assert o["additional_tax_72t"] == 0
    assert o["form_1099r_codes"] == ["1"]
    assert o["form_5329"] == {"line_1": 5000.0, "line_2": 5000.0, "line_3": 0.0, "line_4": 0.0,
                              "line_2_exception": "19", "required": True}
    assert "PX_BIRTH_ADOPTION" in codes(o) and "PX_NONE" not in codes(o)
    assert REPAY in o["deadlines"]
    assert "Form 5329 (additional tax / exception)" in o["notices"]


@pytest.mark.parametrize("amount, prior, tax, line_2", [
    (8000, 0, 300.0, 5000.0),      # $3,000 above the $5,000 limit: 10% of it
    (5000, 2000, 200.0, 3000.0),   # $2,000 already taken for the child: $3,000 left
])
def test_birth_or_adoption_spares_up_to_the_limit_only(amount, prior, tax, line_2):
    o = separation(request__amount=amount, account__prior_event_distributions=prior,
                   **{k.replace(".", "__"): v for k, v in BABY.items()})
    assert o["additional_tax_72t"] == tax
    f = o["form_5329"]
    assert (f["line_1"], f["line_2"], f["line_2_exception"], f["required"]) == (
        amount, line_2, "19", True)
    assert o["why"]["short"].startswith("10% tax on the rest, birth or adoption part spared")


def test_birth_or_adoption_outside_the_year_is_not_excepted():
    o = separation(request__amount=5000, request__purpose="birth_adoption",
                   request__event_date="2025-08-14")  # the year began 2025-08-14: over
    assert o["additional_tax_72t"] == 500.0 and "PX_BIRTH_ADOPTION" not in codes(o)
    assert o["deadlines"] == []


@pytest.mark.parametrize("changes, tax", [
    ({}, 150.0),                                    # $1,000 of $2,500 spared: 10% of $1,500
    ({"account__last_emergency_year": 2026}, 250.0),  # one already this year: none
])
def test_emergency_expense_by_another_route(changes, tax):
    o = separation(request__amount=2500, request__purpose="emergency", **changes)
    assert o["additional_tax_72t"] == tax
    assert ("PX_EMERGENCY" in codes(o)) is (tax == 150.0)
    if tax == 150.0:
        assert o["form_5329"]["line_2"] == 1000.0
        assert o["form_5329"]["line_2_exception"] == "23" and o["form_5329"]["required"]
        assert REPAY in o["deadlines"] and o["form_1099r_codes"] == ["1"]


def test_emergency_expense_keeps_the_reserve():
    # $1,500 vested: the limit is the lesser of $1,000 and $1,500 − $1,000 = $500; the whole
    # $1,500 paid on separation owes 10% of $1,000.
    o = separation(request__amount=1500, request__purpose="emergency",
                   account__sources={"elective_deferral": {"balance": 1500}})
    assert o["additional_tax_72t"] == 100.0 and o["form_5329"]["line_2"] == 500.0


@pytest.mark.parametrize("changes, tax", [
    ({}, 150.0),                           # $10,500 (2026) of $12,000 spared
    ({"plan__spousal_consent": True}, 1200.0),  # a plan under §417: not a victim distribution
])
def test_domestic_abuse_by_another_route(changes, tax):
    o = separation(request__amount=12000, request__purpose="domestic_abuse",
                   request__event_date="2026-05-02", **changes)
    assert o["additional_tax_72t"] == tax
    if tax == 150.0:
        assert o["form_5329"]["line_2"] == 10500.0
        assert o["form_5329"]["line_2_exception"] == "22"
        assert "PX_DOMESTIC_ABUSE" in codes(o) and REPAY in o["deadlines"]


def test_disaster_by_another_route_is_spread_and_left_off_form_5329():
    """$30,000 after separation, a declared disaster of 2026-09-20: $22,000 is a qualified
    disaster recovery distribution (no 10% tax, Form 8915-F, income over 3 years: $14,666.67
    in the next two); $8,000 above the limit owes $800 on Form 5329 line 1 (code 1 says it
    all: not required)."""
    o = separation(request__amount=30000, **{k.replace(".", "__"): v for k, v in STORM.items()})
    assert o["additional_tax_72t"] == 800.0
    assert o["taxable_later"] == pytest.approx(14666.67, abs=0.01)
    assert o["form_5329"] == {"line_1": 8000.0, "line_2": 0.0, "line_3": 8000.0,
                              "line_4": 800.0, "line_2_exception": None, "required": False}
    assert {"PX_DISASTER", "OC_DISASTER_SPREAD", "OC_REPAYABLE"} <= codes(o)
    assert "Form 8915-F (disaster distribution)" in o["notices"]
    assert REPAY in o["deadlines"]


def test_the_shipped_disaster_example_charges_its_hardship_no_10_percent():
    # examples/cases/disaster.yaml: $22,000 in the window by hardship was charged $2,200.
    answer = assess_cases([parse_case(read_case_file(EXAMPLES / "disaster.yaml"))])[0]
    hardship, own = outcome(answer, "hardship"), outcome(answer, "disaster")
    assert hardship is not None and own is not None
    assert hardship["additional_tax_72t"] == 0
    for k in ("taxable", "taxable_later", "income_tax_increase"):
        assert hardship[k] == own[k]
    assert hardship["form_5329"] is None  # all of it on Form 8915-F


def test_terminal_illness_is_repayable_for_three_years():
    o = separation(request__amount=10000, person__terminally_ill=True)
    assert o["additional_tax_72t"] == 0 and REPAY in o["deadlines"]
    assert "OC_REPAYABLE" in codes(o)


def test_birth_adoption_route_reports_code_1_and_needs_form_5329():
    """Instructions for Forms 1099-R and 5498 (Guide to Distribution Codes, code 1): "use Code
    1 even if the distribution is made for ... a qualified birth or adoption distribution under
    section 72(t)(2)(H)"; so the individual files Form 5329 with exception 19."""
    answer = assess_cases([parse_case(read_case_file(EXAMPLES / "birth-adoption.yaml"))])[0]
    o = outcome(answer, "birth_adoption")
    assert o is not None
    assert o["form_1099r_codes"] == ["1"]
    assert o["form_5329"]["line_2_exception"] == "19" and o["form_5329"]["required"] is True
    assert o["additional_tax_72t"] == 0


def test_the_disaster_citations():
    """§72(t)(11) opens "For purposes of paragraph (2)(M)"; repayment is (11)(C)."""
    assert "(M)" in reason("PX_SECURE2").citation
    assert "§72(t)(11)(C)" in reason("OC_REPAYABLE").citation
    assert "(11)(E)" not in reason("OC_REPAYABLE").citation
    assert "(L)(iv)" in reason("OC_REPAYABLE").citation


def test_a_batch_row_is_answered_as_the_case():
    row = {"participant_id": "p1", "request_date": "2026-11-23", "birth_date": "1990-12-01",
           "plan_type": "401k", "filing_status": "married_joint",
           "spouse_birth_date": "1991-03-15", "employment_status": "separated",
           "hire_date": "2015-01-07", "separation_date": "2026-03-01", "wages": 40000.0,
           "balance_elective_deferral": 38000.0, "request_amount": 8000.0,
           "request_purpose": "birth_adoption", "request_event_date": "2026-08-14",
           "request_route": "separation", "request_destination": "cash"}
    out = run_job(pa.table({k: [v] for k, v in row.items()}), "outcome", default_law())
    [rec] = out.to_pylist()
    assert rec["status"] == "ok", rec.get("error_message")
    assert rec["additional_tax_72t"] == 300.0 and rec["form_1099r_codes"] == "1"
    assert "PX_BIRTH_ADOPTION" in rec["reasons"] and "OC_REPAYABLE" in rec["reasons"]


def test_the_event_takes_the_part_the_10_percent_tax_reaches_first():
    """A governmental 457(b): $60,000 of its own deferrals (outside §72(t), §72(t)(9)) and
    $40,000 rolled in from a 401(k).  $10,000 paid pro rata on separation: $4,000 rolled-in money
    on a code-1 Form 1099-R, $6,000 on a code-2 one.  The $5,000 birth or adoption limit covers
    the $4,000 the 10% tax reaches: no tax; line 2 is all $10,000, two exceptions (13 and 19): 99."""
    o = separation(request__amount=10000, plan__type="governmental_457b",
                   account__sources={"elective_deferral": {"balance": 60000},
                                     "rollover_pretax": {"balance": 40000}},
                   **{k.replace(".", "__"): v for k, v in BABY.items()})
    assert o["additional_tax_72t"] == 0
    assert o["form_5329"] == {"line_1": 10000.0, "line_2": 10000.0, "line_3": 0.0,
                              "line_4": 0.0, "line_2_exception": "99", "required": True}


def test_california_spares_the_emergency_part_as_federally():
    """California's 2.5% additional tax (FTB 3805P) reaches what the federal 10% tax reaches,
    §72(t) as applicable federally that year (R&TC §17085(c)(1); docs/state.md): on $2,500 with
    $1,000 spared federally as an emergency personal expense, 2.5% of $1,500 = $37.50."""
    o = separation(request__amount=2500, request__purpose="emergency", person__state="CA")
    assert o["additional_tax_72t"] == 150.0
    assert o["state_additional_tax"] == 37.5
