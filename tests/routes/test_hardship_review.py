"""The legal review of the hardship route: four defects, each checked on the reviewer's case
and against the rule it breaks.

H1. A hardship comes after every other distribution the plan pays now: "a distribution is not
    treated as necessary to satisfy an immediate and heavy financial need of an employee unless
    ... the employee has obtained all other currently available distributions (including
    distribution of ESOP dividends under section 404(k), but not hardship distributions) under
    the plan and all other plans of deferred compensation ... maintained by the employer"
    (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1), as amended by T.D. 9875; a 403(b) by
    §1.403(b)-6(d)(2)); a governmental 457(b)'s unforeseeable emergency has its own standard
    (§1.457-6(c)(2)).
H2. Without ``request.need`` a hardship cannot be limited to "the amount required to relieve
    the financial need" (§1.401(k)-1(d)(3)(iii)(A)): the request is paid, a note names the field,
    and no reason claims the limit.
H3. The seventh safe-harbor need is a disaster FEMA declared, the home or workplace in its area
    (§1.401(k)-1(d)(3)(ii)(B)(7)): without ``request.disaster_declared`` it is no need.
H4. A governmental 457(b)'s emergency: self-certification under §457(d)(4) (SECURE 2.0 §312),
    the amount under §1.457-6(c)(2)(iii), and the other means of §1.457-6(c)(2)(ii).

Figures: single, wages $68,000 in 2026 — taxable income $68,000 − $16,100 (standard deduction,
Rev. Proc. 2025-32 §4.13) = $51,900, inside the 22% bracket ($50,400 to $105,700, §4.01) — so a
fully taxable hardship before 59½ costs 22% income tax and the 10% additional tax (§72(t)(1))
on each dollar, and the gross that leaves a need N is N / (1 − 0.22 − 0.10) = N / 0.68.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from routes.conftest import outcome, route

#: The reviewer's case (v_hs_other): $20,000 of after-tax money (basis $18,000) and $30,000
#: rolled in, both open in service; a hardship from deferrals for an $8,000 funeral.
OTHER_FIRST = {
    "person": {"birth_date": "1988-04-02", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-06-01"},
    "income": {"wages": 68000},
    "plan": {"type": "401k",
             "in_service": {"after_tax": {"allowed": True}, "rollover_pretax": {"allowed": True}},
             "hardship": {"allowed": True, "sources": ["elective_deferral"]}},
    "account": {"sources": {"elective_deferral": {"balance": 41000},
                            "after_tax": {"balance": 20000, "basis": 18000},
                            "rollover_pretax": {"balance": 30000}}},
    "request": {"date": "2026-11-23", "amount": "max", "purpose": "funeral", "need": 8000},
}

#: The reviewer's case (v_nohsneed): a casualty, no need given.
NO_NEED = {
    "person": {"birth_date": "1985-02-27", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-01-01"},
    "income": {"wages": 82000},
    "plan": {"type": "401k", "hardship": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}}},
    "request": {"date": "2026-11-23", "amount": "max", "purpose": "casualty"},
}

#: The reviewer's case (v_dis_nodecl): a disaster, no declaration stated.
DISASTER = {
    "person": {"birth_date": "1980-10-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2012-04-01"},
    "income": {"wages": 74000},
    "plan": {"type": "401k", "hardship": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 120000}}},
    "request": {"date": "2026-11-23", "amount": 22000, "need": 10000, "purpose": "disaster",
                "event_date": "2026-09-20"},
}

#: The reviewer's case (v_457_emerg): a governmental 457(b), self-certified, $10,000 medical.
GOV_457 = {
    "person": {"birth_date": "1980-02-27", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-01-01"},
    "income": {"wages": 82000},
    "plan": {"type": "governmental_457b",
             "hardship": {"allowed": True, "self_certification": True}},
    "account": {"sources": {"elective_deferral": {"balance": 40000},
                            "rollover_pretax": {"balance": 10000}}},
    "request": {"date": "2026-11-23", "amount": "max", "purpose": "medical", "need": 10000},
}


def _codes(result: dict, name: str, source: str) -> list[str]:
    row = next(r for r in result["routes"] if r["route"] == name and r["source"] == source)
    return [x["code"] for x in row["reasons"]]


def _reason(result: dict, name: str, source: str, code: str) -> dict:
    row = next(r for r in result["routes"] if r["route"] == name and r["source"] == source)
    return next(x for x in row["reasons"] if x["code"] == code)


# ── H1: every other distribution first ──────────────────────────────────────────────────────

def test_in_service_money_that_pays_the_need_closes_the_hardship(assess):
    """$50,000 paid in service covers the $8,000 funeral: no hardship (it was $11,764.71)."""
    r = assess(OTHER_FIRST)
    hs = route(r, "hardship")
    assert hs["eligible"] is False and hs["available"] == 0
    assert outcome(r, "hardship") is None
    codes = _codes(r, "hardship", "elective_deferral")
    assert codes[:2] == ["HS_OTHER_ROUTES_COVER", "HS_FIRST_IN_SERVICE"]
    assert "HS_AMOUNT_NEED" not in codes
    cover = _reason(r, "hardship", "elective_deferral", "HS_OTHER_ROUTES_COVER")
    assert "§1.401(k)-1(d)(3)(iii)(B)(1)" in cover["citation"]
    assert "the case does not hold them" in cover["text"]  # the employer's other plans
    assert hs["first"] == [{"route": "in_service", "pays": 50000.0}]
    assert hs["paid_first"] == 50000.0


def test_the_hardship_pays_only_the_need_the_other_routes_leave(assess):
    """$3,000 of after-tax money (basis $3,000) open in service pays $3,000 of the $8,000:
    the hardship grosses up the $5,000 left, $5,000 / 0.68 = $7,352.94, from the deferrals."""
    case = copy.deepcopy(OTHER_FIRST)
    del case["plan"]["in_service"]["rollover_pretax"]
    del case["account"]["sources"]["rollover_pretax"]
    case["account"]["sources"]["after_tax"] = {"balance": 3000, "basis": 3000}
    r = assess(case)
    hs = route(r, "hardship")
    assert hs["eligible"] is True and hs["need_left"] == 5000.0
    assert hs["first"] == [{"route": "in_service", "pays": 3000.0}]
    assert outcome(r, "hardship")["gross"] == pytest.approx(7352.94, abs=0.01)
    codes = _codes(r, "hardship", "elective_deferral")
    assert {"HS_OTHER_ROUTES_FIRST", "HS_FIRST_IN_SERVICE", "HS_AMOUNT_NEED"} <= set(codes)


def test_money_the_other_routes_reach_is_not_the_hardship_s(assess):
    """A hardship source the in-service withdrawal already pays is taken that way: the
    hardship draws only on the rest (here the plan's hardship also names the rolled-in money)."""
    case = copy.deepcopy(OTHER_FIRST)
    case["plan"]["hardship"]["sources"] = ["elective_deferral", "rollover_pretax"]
    case["request"]["need"] = 60000
    r = assess(case)
    assert route(r, "hardship")["available"] == pytest.approx(41000)
    row = next(x for x in r["routes"] if x["route"] == "hardship"
               and x["source"] == "rollover_pretax")
    assert row["eligible"] is False and row["available"] == 0
    assert route(r, "hardship")["need_left"] == 10000.0  # $60,000 − $50,000 in service


def test_separation_pays_first(assess):
    """Separated from service, every vested dollar is payable (§401(k)(2)(B)(i)(I)): a
    hardship is never necessary."""
    case = copy.deepcopy(OTHER_FIRST)
    case["employment"] = {"status": "separated", "hire_date": "2015-06-01",
                          "separation_date": "2026-03-01"}
    r = assess(case)
    assert route(r, "hardship")["eligible"] is False
    assert "HS_FIRST_SEPARATION" in _codes(r, "hardship", "elective_deferral")


@pytest.mark.parametrize("purpose, counted", [("medical", True), ("tuition", False)])
def test_an_emergency_expense_distribution_counts_for_an_emergency_need(assess, purpose, counted):
    """The $1,000 emergency personal expense distribution (§72(t)(2)(I)) is for "necessary
    personal or family emergency expenses" ((I)(iv)): it pays first for a medical need, not
    for tuition.  Need $8,000: $7,000 / 0.68 = $10,294.12, or $8,000 / 0.68 = $11,764.71."""
    case = {**copy.deepcopy(NO_NEED), "income": {"wages": 68000}}
    case["plan"]["secure2"] = {"emergency_expense": True}
    case["request"] = {"date": "2026-11-23", "amount": "max", "purpose": purpose, "need": 8000}
    r = assess(case)
    gross = outcome(r, "hardship")["gross"]
    assert gross == pytest.approx(10294.12 if counted else 11764.71, abs=0.01)
    assert ("HS_FIRST_SECURE2" in _codes(r, "hardship", "elective_deferral")) is counted


def test_a_loan_is_not_taken_first(assess):
    """T.D. 9875 took loans out of the rule: a plan that lends changes nothing."""
    case = copy.deepcopy(NO_NEED)
    case["request"]["need"] = 8000
    plain = outcome(assess(case), "hardship")["gross"]
    case["plan"]["loans"] = {"allowed": True}
    assert outcome(assess(case), "hardship")["gross"] == pytest.approx(plain)


def test_a_batch_answers_as_one_case_at_a_time(assess):
    cases = [OTHER_FIRST, NO_NEED, DISASTER, GOV_457]
    together = assess(*cases)
    for case, got in zip(cases, together, strict=True):
        assert got == assess(case)


def test_the_readme_demo_takes_the_match_first(assess):
    """examples/cases/hardship-medical.yaml: $15,000 of match is open in service and the $1,000
    emergency expense distribution too, against a $12,000 medical need: no hardship."""
    path = Path(__file__).parents[2] / "examples" / "cases" / "hardship-medical.yaml"
    case = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
    r = assess(case)
    hs = route(r, "hardship")
    assert hs["eligible"] is False
    assert hs["first"] == [{"route": "in_service", "pays": 15000.0},
                           {"route": "emergency_expense", "pays": 1000.0}]


# ── H2: no need given ───────────────────────────────────────────────────────────────────────

def test_without_a_need_the_request_is_paid_and_said_unsized(assess):
    r = assess(NO_NEED)
    assert outcome(r, "hardship")["gross"] == pytest.approx(40000)
    codes = _codes(r, "hardship", "elective_deferral")
    assert "HS_NEED_NOT_GIVEN" in codes and "HS_AMOUNT_NEED" not in codes
    note = next(n for n in r["notes"] if n["code"] == "HARDSHIP_NEED_NOT_GIVEN")
    assert note["field"] == "request.need"
    assert route(r, "hardship")["need_left"] is None


def test_a_need_given_leaves_no_note(assess):
    case = copy.deepcopy(NO_NEED)
    case["request"]["need"] = 8000
    r = assess(case)
    assert not any(n["code"] == "HARDSHIP_NEED_NOT_GIVEN" for n in r["notes"])
    assert "HS_AMOUNT_NEED" in _codes(r, "hardship", "elective_deferral")


# ── H3: a disaster needs its declaration ────────────────────────────────────────────────────

def test_an_undeclared_disaster_is_no_hardship_need(assess):
    r = assess(DISASTER)
    assert route(r, "hardship")["eligible"] is False
    codes = _codes(r, "hardship", "elective_deferral")
    assert codes == ["HS_DISASTER_NOT_DECLARED"]
    why = _reason(r, "hardship", "elective_deferral", "HS_DISASTER_NOT_DECLARED")
    assert why["citation"].endswith("(ii)(B)(7)")


def test_a_declared_disaster_opens_the_hardship(assess):
    """Declared, within 180 days of the incident: the §72(t)(2)(M) exception (qualified disaster
    recovery, §72(t)(11)) spares the 10% tax of a payment of the plan up to $22,000, so the
    gross is $10,000 / (1 − 0.22) = $12,820.51."""
    case = copy.deepcopy(DISASTER)
    case["request"]["disaster_declared"] = True
    r = assess(case)
    assert route(r, "hardship")["eligible"] is True
    assert "HS_SAFE_HARBOR_NEED" in _codes(r, "hardship", "elective_deferral")
    assert outcome(r, "hardship")["gross"] == pytest.approx(12820.51, abs=0.01)


def test_a_457_emergency_needs_no_declaration(assess):
    """§1.457-6(c)(2)(i): a casualty loss, a natural disaster's included, is a facts-and-
    circumstances emergency."""
    case = copy.deepcopy(GOV_457)
    case["request"] = {**DISASTER["request"]}
    assert route(assess(case), "hardship")["eligible"] is True


# ── H4: a governmental 457(b)'s emergency ───────────────────────────────────────────────────

def test_a_457_emergency_cites_its_own_rules(assess):
    """§457(d)(4) (SECURE 2.0 §312) for the certification, §1.457-6(c)(2)(iii) for the amount,
    §1.457-6(c)(2)(ii) for the other means; none of the 401(k)'s."""
    r = assess(GOV_457)
    codes = _codes(r, "hardship", "elective_deferral")
    assert {"HS_457_SELF_CERTIFIED", "HS_457_AMOUNT_NEED", "HS_457_OTHER_MEANS"} <= set(codes)
    assert not {"HS_SELF_CERTIFIED", "HS_AMOUNT_NEED"} & set(codes)
    cert = _reason(r, "hardship", "elective_deferral", "HS_457_SELF_CERTIFIED")
    assert cert["citation"].startswith("IRC §457(d)(4)")
    amount = _reason(r, "hardship", "elective_deferral", "HS_457_AMOUNT_NEED")
    assert "§1.457-6(c)(2)(iii)" in amount["citation"]
    assert "10% additional tax it will cost" not in amount["text"]
    means = _reason(r, "hardship", "elective_deferral", "HS_457_OTHER_MEANS")
    assert "§1.457-6(c)(2)(ii)" in means["citation"] and "insurance" in means["text"]


def test_a_457_emergency_is_not_reduced_by_other_routes(assess):
    """The "other distributions first" rule is the 401(k)'s: the rolled-in money open in service
    does not shrink a 457(b) emergency.  Need $10,000; the rolled-in fifth owes the 10% tax
    (§72(t)(9)), the 457(b) money none: $10,000 / (1 − 0.22 − 0.2 × 0.10) = $13,157.89."""
    case = copy.deepcopy(GOV_457)
    case["plan"]["in_service"] = {"rollover_pretax": {"allowed": True}}
    r = assess(case)
    assert route(r, "in_service")["available"] == pytest.approx(10000)
    assert outcome(r, "hardship")["gross"] == pytest.approx(13157.89, abs=0.01)
    assert route(r, "hardship")["first"] == []
