"""Alternate payees and married participants: the comparison's QDRO rollover trap figured on what
the rollover options roll, the spouse's consent where the filing status does not say married, and
the after-tax basis an alternate payee should give — each answer worked by hand from the rule.

* The trap: a spouse's or former spouse's payment under a QDRO owes no 10% tax (§72(t)(2)(C),
  "any distribution to an alternate payee pursuant to a qualified domestic relations order"),
  but money rolled out of the plan loses that exception, so taken from an IRA before 59½ it owes
  10% under §72(t)(1).  A former spouse of 45 with a $120,000 pre-tax share:
  - rolling all of it (amount max or 120,000, destination all): 0.10 × 120,000 = $12,000;
  - rolling $30,000 to a traditional IRA: 0.10 × 30,000 = $3,000;
  - cash only, with a need of $20,000: the plan withholds 20% of an eligible rollover
    distribution (§3405(c)), so the check of $20,000 asks 20,000 / 0.80 = $25,000 gross; what is
    left, 120,000 − 25,000 = $95,000, owes 0.10 × 95,000 = $9,500 if later rolled and taken out;
  - the whole share in cash: nothing is rolled, nothing left: no trap;
  - $15,000 of after-tax basis in a $120,000 share, all rolled: the taxable part is
    120,000 − 15,000 = 105,000 (§72(e)(8)), 0.10 × 105,000 = $10,500.
* The consent: §417(a)(2) asks the consent of the participant's spouse at the election; the
  filing status is the income tax's (§7703(a)(1): marital status at the close of the year;
  §7703(b): a spouse living apart may file as head of household), and Treas. Reg.
  §1.401(a)-20, Q&A-27 excuses the consent only with no spouse, a spouse not located, or a legal
  separation or abandonment with a court order.  A single or head of household filer in a plan
  subject to §417 is told the consent is needed if married on the payment date; a married
  filer gets the consent itself; a qualifying surviving spouse (not remarried) has no spouse.
  A loan within the cash-out limit needs none (Q&A-24(a)(1): $7,000 from 2024).
* The basis: for a spouse or former spouse the investment in the contract is allocated pro rata
  to the share (§72(m)(10)), not the participant's whole basis.
"""

from __future__ import annotations

import copy

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.compare import compare_case

FORMER_SPOUSE = {
    "id": "fs", "person": {"birth_date": "1981-03-15", "filing_status": "single"},
    "income": {"wages": 60000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 120000}}},
    "alternate_payee": {"relationship": "former_spouse"},
    "request": {"date": "2026-06-01", "amount": 30000, "destination": "cash"}}

PARTICIPANT = {
    "id": "p", "person": {"birth_date": "1965-03-15", "filing_status": "head_of_household"},
    "income": {"wages": 60000},
    "employment": {"status": "active"},
    "plan": {"type": "401k", "spousal_consent": True, "loans": {"allowed": True},
             "in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5}}},
    "account": {"sources": {"elective_deferral": {"balance": 50000}}},
    "request": {"date": "2026-06-01", "amount": 1000, "destination": "cash"}}


def _case(base: dict, **request) -> dict:
    case = copy.deepcopy(base)
    case["request"].update(request)
    return case


def _trap(case: dict) -> dict | None:
    out = compare_case(parse_case(case))
    return next((t for t in out["traps"] if t["code"] == "QDRO_ROLLOVER"), None)


@pytest.mark.parametrize("request_, rolled, owed", [
    ({"amount": "max", "need": 20000, "destination": "all"}, 120000.0, 12000.0),
    ({"amount": "max", "destination": "all"}, 120000.0, 12000.0),
    ({"amount": 120000, "destination": "all"}, 120000.0, 12000.0),
    ({"amount": 30000, "destination": "traditional_ira"}, 30000.0, 3000.0),
])
def test_the_trap_is_figured_on_what_the_rollover_options_roll(request_, rolled, owed):
    t = _trap(_case(FORMER_SPOUSE, **request_))
    assert t is not None
    assert t["figures"]["rest"] == rolled
    assert t["figures"]["additional_tax_if_from_ira"] == owed
    assert f"up to ${owed:,.0f} on the ${rolled:,.0f} you would roll over" in t["text"]
    assert "$0 on the $0" not in t["text"]


def test_cash_for_a_need_leaves_the_rest_to_roll():
    t = _trap(_case(FORMER_SPOUSE, amount="max", need=20000, destination="cash"))
    assert t is not None
    assert t["figures"]["cash_from_plan"] == 25000.0 and t["figures"]["rest"] == 95000.0
    assert t["figures"]["additional_tax_if_from_ira"] == 9500.0
    assert "up to $9,500 on the $95,000 left after this payment" in t["text"]


@pytest.mark.parametrize("amount", ["max", 120000])
def test_no_trap_where_the_whole_share_is_taken_in_cash(amount):
    assert _trap(_case(FORMER_SPOUSE, amount=amount, destination="cash")) is None


def test_the_trap_taxes_only_the_pre_tax_part_rolled():
    case = _case(FORMER_SPOUSE, amount="max", destination="all")
    case["account"]["sources"] = {"elective_deferral": {"balance": 100000},
                                  "after_tax": {"balance": 20000, "basis": 15000}}
    t = _trap(case)
    assert t is not None and t["figures"]["rest"] == 120000.0
    assert t["figures"]["additional_tax_if_from_ira"] == 10500.0


def _answer(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def _codes(answer: dict, route: str) -> set[str]:
    return {r["code"] for o in answer["outcomes"] if o["route"] == route for r in o["reasons"]}


@pytest.mark.parametrize("status", ["single", "head_of_household"])
def test_consent_if_married_whatever_the_filing_status(status):
    case = copy.deepcopy(PARTICIPANT)
    case["person"]["filing_status"] = status
    a = _answer(case)
    for route in ("in_service", "loan"):
        codes = _codes(a, route)
        assert "OC_SPOUSAL_CONSENT_IF_MARRIED" in codes, route
        assert not codes & {"OC_SPOUSAL_CONSENT", "LN_SPOUSAL_CONSENT"}, route
    note = next(n for n in a["notes"] if n["code"] == "SPOUSAL_CONSENT_IF_MARRIED")
    assert note["field"] == "person.filing_status"
    assert "legally married" in note["text"] and "whatever your filing" in note["text"]
    assert "§417(a)(2)" in note["citation"] and "Q&A-27" in note["citation"]
    assert "§7703" in note["citation"]


@pytest.mark.parametrize("status, consent", [("married_separate", True), ("married_joint", True),
                                             ("qualifying_surviving_spouse", False)])
def test_no_if_married_note_where_the_status_says_it(status, consent):
    case = copy.deepcopy(PARTICIPANT)
    case["person"]["filing_status"] = status
    if status == "married_joint":
        case["person"]["spouse_birth_date"] = "1965-01-01"
    a = _answer(case)
    assert "OC_SPOUSAL_CONSENT_IF_MARRIED" not in _codes(a, "in_service") | _codes(a, "loan")
    assert ("OC_SPOUSAL_CONSENT" in _codes(a, "in_service")) is consent
    assert all(n["code"] != "SPOUSAL_CONSENT_IF_MARRIED" for n in a["notes"])


def test_no_if_married_note_outside_417_nor_for_an_alternate_payee():
    case = copy.deepcopy(PARTICIPANT)
    case["plan"]["spousal_consent"] = False
    assert all(n["code"] != "SPOUSAL_CONSENT_IF_MARRIED" for n in _answer(case)["notes"])
    ap = copy.deepcopy(FORMER_SPOUSE)
    ap["plan"]["spousal_consent"] = True
    a = _answer(ap)
    assert "OC_SPOUSAL_CONSENT_IF_MARRIED" not in _codes(a, "qdro")


def test_a_loan_within_the_cash_out_limit_needs_no_consent_if_married():
    case = copy.deepcopy(PARTICIPANT)
    case["account"]["sources"]["elective_deferral"]["balance"] = 7000
    a = _answer(case)
    assert "OC_SPOUSAL_CONSENT_IF_MARRIED" not in _codes(a, "loan")
    assert "OC_SPOUSAL_CONSENT_IF_MARRIED" in _codes(a, "in_service")


def _basis_note(case: dict) -> str:
    a = _answer(case)
    return next(n["text"] for n in a["notes"] if n["code"] == "BASIS_ASSUMED_ZERO")


def test_an_alternate_payees_basis_note_names_the_pro_rata_allocation():
    case = copy.deepcopy(FORMER_SPOUSE)
    case["account"]["sources"]["after_tax"] = {"balance": 20000}
    text = _basis_note(case)
    assert "§72(m)(10)" in text and "pro rata" in text
    assert "Give the contributions not yet recovered" not in text
    assert "account.sources.after_tax.basis" in text


def test_a_childs_share_basis_note_is_the_participants_ratio():
    case = copy.deepcopy(FORMER_SPOUSE)
    case["alternate_payee"] = {"relationship": "child"}
    case["account"]["sources"]["after_tax"] = {"balance": 20000}
    text = _basis_note(case)
    assert "§72(e)(8)" in text and "§72(m)(10)" not in text


def test_a_participants_basis_note_is_unchanged():
    case = copy.deepcopy(PARTICIPANT)
    case["plan"]["spousal_consent"] = False
    case["account"]["sources"]["after_tax"] = {"balance": 20000}
    case["plan"]["in_service"]["after_tax"] = {"allowed": True}
    text = _basis_note(case)
    assert "Give the contributions not yet recovered as account.sources.after_tax.basis." in text


@pytest.mark.parametrize("status", ["single", "married_joint"])
def test_a_small_benefit_says_the_plan_may_pay_it_without_consent_either_way(status):
    """$7,000 vested, within the §411(a)(11)(A) limit (SECURE 2.0 §304): the plan may pay it at
    once without the spouse's consent (§417(e)(1)) — said beside the consent if married too, as
    beside a married filer's consent (the diff review)."""
    case = copy.deepcopy(PARTICIPANT)
    case["person"]["filing_status"] = status
    if status == "married_joint":
        case["person"]["spouse_birth_date"] = "1965-01-01"
    case["account"]["sources"]["elective_deferral"]["balance"] = 7000
    assert "OC_SPOUSAL_CONSENT_SMALL" in _codes(_answer(case), "in_service")
