"""Payments to an alternate payee under a qualified domestic relations order (IRC §414(p)),
worked from the law's text by hand, and the same answer through every door.

A former spouse of 45 awarded $120,000 of pre-tax 401(k) money takes $30,000 in cash:
* no 10% additional tax: §72(t)(2)(C) excepts "any distribution to an alternate payee pursuant
  to a qualified domestic relations order";
* taxed to her as the distributee (§402(e)(1)(A)) and rollable as the employee's payment would
  be (§402(e)(1)(B)): an eligible rollover distribution, so 20% is withheld, 0.20 × 30,000 =
  $6,000 (§3405(c)(1)), and the §402(f) notice is due;
* Form 1099-R box 7: code 2 before 59½ ("any other distribution subject to an exception under
  section 72(q), (t), (u), or (v)"), code 7 from 59½;
* rolled to an IRA instead, the exception stays behind: the $90,000 left, taken from an IRA at
  45, owes 0.10 × 90,000 = $9,000 (§72(t)(1); the QDRO exception is the plan's only).

The same $30,000 to the participant's child: taxed to the participant (Pub. 504: "treated as
paid to the participant"), not rollable (§402(e)(1)(B) reaches a spouse or former spouse only),
so withheld as a nonperiodic payment, 0.10 × 30,000 = $3,000 (§3405(b)(1)); still no 10% tax.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.assess import assess_cases
from dist401k.case import case_schema, parse_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.errors import InputError

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
SPOUSE = EXAMPLES / "qdro-former-spouse.yaml"
CHILD = EXAMPLES / "qdro-child-support.yaml"
runner = CliRunner()


def case_of(path: Path = SPOUSE, **changes) -> dict:
    case = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = case
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return case


def answer(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def outcome(result: dict, route: str, destination: str = "cash") -> dict:
    return next(o for o in result["outcomes"]
                if o["route"] == route and o["destination"] == destination)


def summary(result: dict, route: str) -> dict | None:
    return next((s for s in result["route_summary"] if s["route"] == route), None)


def codes(row: dict) -> set[str]:
    return {r["code"] for r in row["reasons"]}


def test_former_spouse_at_45_takes_30000_without_the_10_percent_tax_and_20_percent_withheld():
    r = answer(case_of())
    assert summary(r, "qdro")["eligible"] and summary(r, "qdro")["available"] == 120000.0
    o = outcome(r, "qdro")
    assert o["gross"] == 30000.0 and o["taxable"] == 30000.0
    assert o["additional_tax_72t"] == 0.0
    assert o["withholding"] == 6000.0
    assert o["check_received"] == 24000.0
    assert o["form_1099r_codes"] == ["2"]
    assert {"PX_QDRO", "OC_ERD_WITHHOLDING", "OC_402F"} <= codes(o)
    assert "PX_NONE" not in codes(o)
    form = o["form_1099r"][0]
    assert form["box_1"] == 30000.0 and form["box_7"] == "2" and form["box_4"] == 6000.0
    # Form 5329 is not required: code 2 tells the exception (line 2 number 06 if filed).
    assert o["form_5329"]["required"] is False


def test_former_spouse_may_roll_the_rest_directly_no_tax_no_withholding():
    r = answer(case_of(request__amount=90000, request__destination="traditional_ira"))
    o = outcome(r, "qdro", "traditional_ira")
    assert o["taxable"] == 0.0 and o["withholding"] == 0.0 and o["additional_tax_72t"] == 0.0
    assert o["to_traditional_ira"] == 90000.0
    assert o["form_1099r_codes"] == ["G"]


def test_at_59_and_a_half_the_code_is_7():
    r = answer(case_of(person__birth_date="1966-01-01"))
    o = outcome(r, "qdro")
    assert o["form_1099r_codes"] == ["7"] and o["additional_tax_72t"] == 0.0


def test_the_participants_own_ways_out_are_closed_to_an_alternate_payee():
    case = case_of(employment={"status": "separated", "separation_date": "2025-01-01"},
                   plan__hardship={"allowed": True}, plan__loans={"allowed": True})
    r = answer(case)
    for route in ("separation", "hardship", "loan", "in_service", "rmd"):
        assert summary(r, route)["eligible"] is False, route
    rows = [row for row in r["routes"] if row["route"] == "separation"]
    assert rows and all("QD_NOT_PARTICIPANT" in {x["code"] for x in row["reasons"]}
                        for row in rows)
    assert summary(r, "qdro_dependent") is None  # shown only to a child or dependent
    assert {o["route"] for o in r["outcomes"]} == {"qdro"}


def test_not_payable_yet_closes_the_route_with_the_rule():
    r = answer(case_of(alternate_payee__payable_now=False))
    assert summary(r, "qdro")["eligible"] is False
    rows = [row for row in r["routes"] if row["route"] == "qdro"]
    assert {x["code"] for row in rows for x in row["reasons"]} == {"QD_NOT_PAYABLE_YET"}
    assert "414(p)(4)" in rows[0]["reasons"][0]["citation"]
    assert r["outcomes"] == []


def test_child_alternate_payee_is_taxed_to_the_participant_cash_only_10_percent_withheld():
    case = case_of(alternate_payee__relationship="child", request__destination="all")
    r = answer(case)
    assert summary(r, "qdro") is None and summary(r, "qdro_dependent")["eligible"]
    rows = [o for o in r["outcomes"] if o["route"].startswith("qdro")]
    assert [(o["route"], o["destination"]) for o in rows] == [("qdro_dependent", "cash")]
    o = rows[0]
    assert o["additional_tax_72t"] == 0.0
    assert o["withholding"] == 3000.0  # §3405(b)(1): 10% of a nonperiodic payment
    assert o["form_1099r_codes"] == ["2"]
    assert "OC_NON_ERD_WITHHOLDING" in codes(o) and "OC_ERD_WITHHOLDING" not in codes(o)
    assert "OC_402F" not in codes(o)


@pytest.mark.parametrize("destination", ["traditional_ira", "roth_ira", "other_plan",
                                         "indirect_60day", "split_2014_54"])
def test_child_alternate_payee_asking_for_a_rollover_is_an_error_naming_the_rule(destination):
    case = case_of(alternate_payee__relationship="dependent", request__destination=destination)
    with pytest.raises(InputError) as err:
        parse_case(case)
    (problem,) = err.value.problems
    assert problem.field == "request.destination"
    assert "§402(e)(1)(B)" in problem.problem


def test_after_rolling_to_an_ira_a_withdrawal_at_45_pays_10_percent_the_trap_says_so():
    r = runner.invoke(app, ["compare", "--format", "json", str(SPOUSE)])
    assert r.exit_code == 0, r.output
    traps = {t["code"]: t for t in json.loads(r.stdout)["traps"]}
    t = traps["QDRO_ROLLOVER"]
    assert t["figures"]["share"] == 120000.0 and t["figures"]["cash_from_plan"] == 30000.0
    assert t["figures"]["rest"] == 90000.0
    assert t["figures"]["additional_tax_if_from_ira"] == 9000.0
    assert "roll only the rest" in t["text"] and "(t)(2)(C)" in t["citation"]


def test_no_trap_from_59_and_a_half_nor_for_a_child():
    older = copy.deepcopy(case_of(person__birth_date="1966-01-01"))
    for case in (older, case_of(CHILD)):
        out = compare_case(parse_case(case))
        assert "QDRO_ROLLOVER" not in {t["code"] for t in out["traps"]}


@pytest.mark.parametrize("change, field", [
    ({"beneficiary": {"deceased_birth_date": "1950-01-01", "date_of_death": "2024-01-01",
                      "relationship": "individual"}}, "alternate_payee"),
    ({"account": {"sources": {"roth_deferral": {"balance": 1000, "contributions": 1000,
                                                "first_year": 2015}}}},
     "alternate_payee.participant_birth_date"),
    ({"alternate_payee": {"relationship": "ex_wife"}}, "alternate_payee.relationship"),
])
def test_bad_alternate_payee_cases_name_the_field(change, field):
    case = {**case_of(), **change}
    with pytest.raises(InputError) as err:
        parse_case(case)
    assert field in {p.field for p in err.value.problems}


def test_every_door_gives_the_same_answer():
    case = case_of(request__destination="all")
    direct = answer(case)
    cli = runner.invoke(app, ["assess", "--format", "json", str(SPOUSE)])
    assert cli.exit_code == 0, cli.output
    client = TestClient(create_app(token=""))
    api = client.post("/assess", json=case)
    assert api.status_code == 200
    for key in ("route_summary", "routes", "outcomes"):
        assert api.json()[key] == direct[key], key
    from_cli = json.loads(cli.stdout)
    assert from_cli["outcomes"] == answer(case_of())["outcomes"]
    bad = client.post("/assess", json=case_of(alternate_payee__relationship="child",
                                              request__destination="traditional_ira"))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][1:] == ["request", "destination"]



def test_a_batch_answers_each_alternate_payee_as_alone():
    cases = [parse_case(case_of()), parse_case(case_of(CHILD)),
             parse_case(case_of(EXAMPLES / "hardship-medical.yaml"))]
    alone = [assess_cases([c])[0] for c in cases]
    assert assess_cases(cases * 2) == alone * 2


def test_the_schema_declares_the_alternate_payee():
    schema = case_schema()
    assert "alternate_payee" in schema["properties"]
    ap = schema["$defs"]["AlternatePayee"]
    assert ap["properties"]["relationship"]["enum"] == ["spouse", "former_spouse", "child",
                                                        "dependent"]
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0 and "AlternatePayee" in r.stdout


def test_no_spousal_consent_on_an_alternate_payees_payment():
    # §417(a)(2) protects the participant's spouse; the plan pays the share as the order
    # assigns it (§414(p)(1)(A)): a married alternate payee's own spouse has no consent to give.
    r = answer(case_of(person__filing_status="married_joint", plan__spousal_consent=True))
    assert "OC_SPOUSAL_CONSENT" not in codes(outcome(r, "qdro"))


# --- the attorney's review: whose figures, the share's RMDs, Roth money, the state's tax ---

def test_a_childs_payment_says_the_figures_are_the_participants():
    # Pub. 504: paid to a child, the benefit is "treated as paid to the participant"; the
    # Form 1099-R names the employee (Instructions for Forms 1099-R, Alternate Payee Under a
    # QDRO), so the withholding is credited to the participant.  The child's check is the
    # gross less the 10% withheld of a nonperiodic payment (§3405(b)(1)): 20,000 - 2,000.
    r = answer(case_of(CHILD))
    o = outcome(r, "qdro_dependent")
    assert o["check_received"] == 18000.0
    why = {x["code"]: x["text"] for x in o["reasons"]}
    assert "QD_PARTICIPANT_FIGURES" in why
    text = why["QD_PARTICIPANT_FIGURES"]
    assert "child" in text and "participant" in text and "withh" in text
    rows = [row for row in r["routes"] if row["route"] == "qdro_dependent"]
    dependent = next(x["text"] for x in rows[0]["reasons"] if x["code"] == "QD_DEPENDENT")
    assert dependent.startswith("Paid under the order to your child")
    assert "You are an alternate payee" not in dependent


def test_a_childs_payment_is_said_to_be_the_participants_in_the_terminal_and_the_comparison():
    term = runner.invoke(app, ["assess", str(CHILD)], env={"COLUMNS": "200"})
    assert term.exit_code == 0, term.output
    assert "the tax, the withholding credit and any balance due are the participant's" \
        in " ".join(term.stdout.split())
    cmp = compare_case(parse_case(case_of(CHILD)))
    opt = next(o for o in cmp["options"] if o["option"] == "qdro_dependent:cash")
    assert any("participant" in n for n in opt["notes"])
    api = TestClient(create_app(token="")).post("/compare", json=case_of(CHILD))
    assert api.status_code == 200
    opt = next(o for o in api.json()["options"] if o["option"] == "qdro_dependent:cash")
    assert any("participant" in n for n in opt["notes"])


def rmd_codes(r: dict, route: str = "qdro", destination: str = "traditional_ira") -> set[str]:
    rows = [row for row in r["routes"] if row["route"] == route]
    return {x["code"] for row in rows for x in row["reasons"]} | codes(
        outcome(r, route, destination))


def test_a_share_whose_participant_is_past_the_rmd_age_may_hold_an_rmd_that_cannot_roll():
    # Born June 1950, the participant's applicable age is 72 (§401(a)(9)(C)(v) before SECURE
    # 2.0: born after June 30, 1949), reached in 2022: the separate account follows the
    # participant's required beginning date (Treas. Reg. §1.401(a)(9)-8, Q&A-6), and an RMD
    # is not an eligible rollover distribution (§402(c)(4)(B)).
    case = case_of(person__birth_date="1951-01-10", request__amount="max",
                   request__destination="traditional_ira",
                   alternate_payee__participant_birth_date="1950-06-01")
    r = answer(case)
    assert "QD_RMD_MAY_APPLY" in rmd_codes(r)
    text = next(x for x in outcome(r, "qdro", "traditional_ira")["reasons"]
                if x["code"] == "QD_RMD_MAY_APPLY")
    assert "§402(c)(4)(B)" in text["citation"] and "1.401(a)(9)-8" in text["citation"]
    assert "not figured" in text["text"].lower()


def test_no_rmd_caveat_where_the_participant_is_short_of_the_applicable_age():
    # Born 1960: applicable age 75 (§401(a)(9)(C)(v)(II)), reached in 2035, not 2026 — even
    # though the former spouse herself is 75.
    r = answer(case_of(person__birth_date="1951-01-10", request__amount="max",
                       request__destination="traditional_ira",
                       alternate_payee__participant_birth_date="1960-01-10"))
    assert "QD_RMD_MAY_APPLY" not in rmd_codes(r)


def test_without_the_participants_birth_date_an_older_payee_is_warned_a_younger_not():
    old = answer(case_of(person__birth_date="1951-01-10", request__amount="max",
                         request__destination="traditional_ira"))
    assert "QD_RMD_NOT_KNOWN" in rmd_codes(old)
    young = answer(case_of(request__amount="max", request__destination="traditional_ira"))
    assert not {"QD_RMD_NOT_KNOWN", "QD_RMD_MAY_APPLY"} & rmd_codes(young)


@pytest.mark.parametrize("ap, problem", [
    ({"relationship": "former_spouse", "participant_birth_date": "2027-01-01"},
     "after the request date"),
    ({"relationship": "former_spouse", "participant_birth_date": "1890-01-01"}, "over 120"),
    ({"relationship": "child", "participant_birth_date": "1979-08-20"}, "person.birth_date"),
])
def test_a_bad_participant_birth_date_is_one_line_naming_the_field(ap, problem):
    with pytest.raises(InputError) as err:
        parse_case({**case_of(), "alternate_payee": ap})
    (p,) = err.value.problems
    assert p.field == "alternate_payee.participant_birth_date" and problem in p.problem
    bad = TestClient(create_app(token="")).post("/assess", json={**case_of(), "alternate_payee": ap})
    assert bad.status_code == 422


def test_roth_money_without_the_participants_birth_date_refused_with_what_to_give_instead():
    case = {**case_of(), "account": {"sources": {"roth_deferral": {
        "balance": 1000, "contributions": 1000, "first_year": 2015}}}}
    with pytest.raises(InputError) as err:
        parse_case(case)
    (p,) = err.value.problems
    # Treas. Reg. §1.402A-1, Q&A-2(b): qualified after the 5-taxable-year period and on or after
    # the employee's 59½, death or disability — the participant's, not the alternate payee's:
    # answered with the participant's birth date (tests/routes/test_qdro_roth.py), refused without.
    assert p.field == "alternate_payee.participant_birth_date"
    assert "participant" in p.problem and "59½" in p.problem and "Q&A-2" in p.problem
    assert "alternate_payee.participant_birth_date" in p.problem and "account.sources" in p.problem


@pytest.mark.parametrize("state, owed", [("CA", 2250.0), ("AR", 900.0), (None, 0.0)])
def test_the_trap_adds_the_states_own_early_distribution_tax(state, owed):
    # The $90,000 left, taken from an IRA at 45: California's 2.5% (R&TC §17085(c)(1)) is
    # 0.025 × 90,000 = 2,250; Arkansas's is 10% of the federal 10% (§26-51-414(c)),
    # 0.10 × 0.10 × 90,000 = 900; the federal 9,000 stays as it was.
    case = case_of(**({"person__state": state} if state else {}))
    traps = {t["code"]: t for t in compare_case(parse_case(case))["traps"]}
    t = traps["QDRO_ROLLOVER"]
    assert t["figures"]["additional_tax_if_from_ira"] == 9000.0
    assert t["figures"]["state_additional_tax_if_from_ira"] == owed
    if owed:
        assert f"${owed:,.0f}" in t["text"]
