"""After-tax money of a plan that, on May 5, 1986, permitted in-service withdrawal of employee
contributions: the investment in the contract as of December 31, 1986 not yet recovered comes
out first, tax-free, and only the excess is taxed pro rata (IRC §72(e)(8)(D); Pub. 575, "Plans
that permitted withdrawal of employee contributions"; docs/assess.md)."""

from __future__ import annotations

import copy
import random

import numpy as np
import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import case_schema, parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law.loader import default_law
from routes.conftest import edited, outcome

LAW = default_law()

#: The reviewer's case: all $25,000 of basis contributed 1984–86.
PRE87 = {
    "id": "p-pre87",
    "person": {"birth_date": "1962-01-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "1984-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "in_service": {"after_tax": {"allowed": True}}},
    "account": {"sources": {"elective_deferral": {"balance": 300000},
                            "after_tax": {"balance": 30000, "basis": 25000,
                                          "pre_1987_basis": 25000}}},
    "request": {"date": "2026-05-01", "amount": 10000, "destination": "cash"},
}


def _answer(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def _in_service(case: dict, dest: str = "cash") -> dict:
    o = outcome(_answer(case), "in_service", dest)
    assert o is not None
    return o


def _form(o: dict) -> dict:
    (form,) = o["form_1099r"]
    return form


def test_the_reviewers_case_is_all_tax_free():
    o = _in_service(PRE87)
    assert o["gross"] == 10000 and o["taxable"] == 0 and o["nontaxable"] == 10000
    assert o["withholding"] == 0 and o["income_tax_increase"] == 0
    assert o["additional_tax_72t"] == 0 and o["form_5329"] is None
    form = _form(o)
    assert form["box_1"] == 10000 and form["box_2a"] == 0 and form["box_5"] == 10000
    assert form["box_4"] == 0


def test_without_the_pre_1987_investment_the_payment_is_pro_rata():
    o = _in_service(edited(PRE87, {"account.sources.after_tax.pre_1987_basis": None}))
    assert o["taxable"] == pytest.approx(1666.67, abs=0.005)
    assert o["withholding"] == pytest.approx(333.33, abs=0.005)
    assert _form(o)["box_5"] == pytest.approx(8333.33, abs=0.005)


def test_the_excess_over_the_pre_1987_investment_is_taxed_pro_rata_on_what_is_left():
    # 25,000 tax-free first; the 3,000 above it pro rata on basis 0 of balance 5,000.
    o = _in_service(edited(PRE87, {"request.amount": 28000}))
    assert o["taxable"] == pytest.approx(3000) and o["nontaxable"] == pytest.approx(25000)
    assert o["withholding"] == pytest.approx(600)  # 20% of the taxable eligible rollover part
    form = _form(o)
    assert form["box_2a"] == pytest.approx(3000) and form["box_5"] == pytest.approx(25000)


def test_part_of_the_basis_before_1987():
    # 10,000 of 25,000 before 1987: 10,000 tax-free, then 5,000 × 15,000 / 20,000.
    o = _in_service(edited(PRE87, {"account.sources.after_tax.pre_1987_basis": 10000,
                                   "request.amount": 15000}))
    assert o["nontaxable"] == pytest.approx(13750) and o["taxable"] == pytest.approx(1250)
    # The whole balance paid recovers the whole basis either way.
    whole = _in_service(edited(PRE87, {"account.sources.after_tax.pre_1987_basis": 10000,
                                       "request.amount": 30000}))
    assert whole["taxable"] == pytest.approx(5000)


def test_the_10_percent_tax_and_form_5329_reach_only_the_excess():
    early = edited(PRE87, {"person.birth_date": "1975-01-01", "request.amount": 28000})
    o = _in_service(early)
    assert o["taxable"] == pytest.approx(3000)
    assert o["additional_tax_72t"] == pytest.approx(300)
    assert o["form_5329"]["line_1"] == pytest.approx(3000)
    assert o["form_5329"]["line_4"] == pytest.approx(300)
    none = _in_service(edited(early, {"request.amount": 10000}))
    assert none["additional_tax_72t"] == 0 and none["form_5329"] is None


def test_a_rollover_takes_the_taxable_money_first_and_the_split_sends_the_basis_to_roth():
    # §402(c)(2): the tax-free amount (the pre-1987 investment with it) is what a rollover
    # leaves; Notice 2014-54 sends the 25,000 tax-free to a Roth IRA, the 3,000 to a
    # traditional IRA.
    case = edited(PRE87, {"request.amount": 28000, "request.destination": "all"})
    answer = _answer(case)
    split = outcome(answer, "in_service", "split_2014_54")
    assert split["to_roth_ira"] == pytest.approx(25000)
    assert split["to_traditional_ira"] == pytest.approx(3000) and split["taxable"] == 0
    trad = outcome(answer, "in_service", "traditional_ira")
    assert trad["taxable"] == 0 and trad["to_traditional_ira"] == pytest.approx(28000)
    roth = outcome(answer, "in_service", "roth_ira")
    assert roth["taxable"] == pytest.approx(3000)  # the pre-tax part converted


def test_the_rmd_takes_the_pre_1987_investment_first():
    from dist401k.basis import after_tax_nontaxable

    case = edited(PRE87, {"person.birth_date": "1950-03-01", "employment.status": "separated",
                          "employment.separation_date": "2020-06-30",
                          "account.prior_year_end_balance": 330000,
                          "account.sources.after_tax.pre_1987_basis": 20000,
                          "request.amount": "max", "request.destination": "cash"})
    answer = _answer(case)
    o = outcome(answer, "rmd", "cash")
    at = o["gross"] * 30000 / 330000  # the RMD comes from every source pro rata
    free = after_tax_nontaxable(np.array([at]), np.array([30000.0]), np.array([25000.0]),
                                np.array([20000.0]))[0]
    assert free == pytest.approx(at)  # all of it inside the pre-1987 investment
    assert o["nontaxable"] == pytest.approx(free, abs=0.01)
    assert o["taxable"] == pytest.approx(o["gross"] - at, abs=0.01)


LEFT_OWING = {
    "person": {"birth_date": "1975-03-15", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "1984-01-01",
                   "separation_date": "2026-06-30"},
    "income": {"wages": 50000},
    "plan": {"type": "401k", "loans": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 45000},
                            "after_tax": {"balance": 15000, "basis": 10000}},
                "loans": {"outstanding": 15000, "count": 1}},
    "request": {"date": "2026-09-15"},
}


def test_a_loan_offset_recovers_the_pre_1987_investment_first():
    plain = outcome(_answer(LEFT_OWING), "loan_offset", "cash")
    pre = outcome(_answer(edited(LEFT_OWING, {
        "account.sources.after_tax.pre_1987_basis": 10000})), "loan_offset", "cash")
    # The offset's after-tax part (15,000 × 15,000 / 60,000 = 3,750) is within the 10,000.
    # Without a pre-1987 investment it is tax-free at the basis over the after-tax account with
    # the 3,750 of the loan it lent (§72(e)(8)(B); docs/forms.md): 10,000 / 18,750.
    assert plain["taxable"] == pytest.approx(15000 - 3750 * 10000 / 18750, abs=0.01)
    assert pre["taxable"] == pytest.approx(15000 - 3750, abs=0.01)


def test_the_offset_beside_a_payment_of_the_whole_account_follows_that_payment():
    # The payment of the whole after-tax balance recovers the 10,000 first; the offset beside
    # it is taxed on what the pre-1987 investment leaves (basis 0 of balance 5,000 past it),
    # so the 20% is on 50,000 paid + 15,000 offset.
    case = edited(LEFT_OWING, {"account.sources.after_tax.pre_1987_basis": 10000,
                               "request.amount": "max", "request.destination": "cash"})
    o = outcome(_answer(case), "separation", "cash")
    assert o["taxable"] == pytest.approx(50000, abs=0.01)
    assert o["withholding"] == pytest.approx(0.20 * 65000, abs=0.01)


def test_the_field_is_checked_the_same_through_every_door():
    with pytest.raises(InputError) as exc:
        parse_case(edited(PRE87, {"account.sources.after_tax.pre_1987_basis": 25000.01}))
    (p,) = exc.value.problems
    assert p.field == "account.sources.after_tax.pre_1987_basis"
    assert "cannot exceed the basis" in p.problem
    with pytest.raises(InputError) as exc:
        parse_case(edited(PRE87, {"account.sources.elective_deferral.pre_1987_basis": 100}))
    assert exc.value.problems[0].field == "account.sources.elective_deferral.pre_1987_basis"
    row = _row(pre_1987_basis_after_tax=25000.01)
    out = run_job(pa.Table.from_pylist([row]), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == "error" and out["error_column"] == "pre_1987_basis_after_tax"
    assert out["error_message"] == f"pre_1987_basis_after_tax: {p.problem}"
    props = case_schema()["$defs"]["SourceBalance"]["properties"]["pre_1987_basis"]
    assert "May 5, 1986" in props["description"] and props["minimum"] == 0


def _row(**more) -> dict:
    """The reviewer's case as a flat row."""
    return {"participant_id": "p-pre87", "request_date": "2026-05-01",
            "birth_date": "1962-01-01", "plan_type": "401k", "filing_status": "single",
            "employment_status": "active", "hire_date": "1984-01-01", "wages": 60000.0,
            "balance_elective_deferral": 300000.0, "balance_after_tax": 30000.0,
            "basis_after_tax": 25000.0, "in_service_after_tax": True,
            "request_amount": 10000.0, "request_destination": "cash",
            "request_route": "in_service", **more}


def test_a_batch_row_is_answered_as_its_case_file():
    rows = [_row(pre_1987_basis_after_tax=25000.0),
            _row(participant_id="p-none"),
            _row(participant_id="p-part", pre_1987_basis_after_tax=10000.0,
                 request_amount=15000.0)]
    table = pa.Table.from_pylist(rows)
    out = run_job(table, "outcome", LAW).to_pylist()
    cases = [parse_case(row_to_case(r)) for r in rows]
    assert cases[0].account.sources["after_tax"].pre_1987_basis == 25000
    for o, answer in zip(out, assess_cases(cases), strict=True):
        assert o["status"] == "ok", o
        (match,) = [x for x in answer["outcomes"] if x["route"] == "in_service"]
        for k in ("gross", "taxable", "withholding", "income_tax_increase"):
            assert o[k] == pytest.approx(match[k], abs=0.011), (k, o["participant_id"])
    assert [o["taxable"] for o in out] == pytest.approx([0.0, 1666.67, 1250.0], abs=0.011)


def test_a_batch_answers_each_case_as_if_alone():
    variants = [PRE87,
                edited(PRE87, {"id": "none", "account.sources.after_tax.pre_1987_basis": None}),
                edited(PRE87, {"id": "part", "account.sources.after_tax.pre_1987_basis": 10000,
                               "request.amount": 15000, "request.destination": "all"}),
                edited(PRE87, {"id": "early", "person.birth_date": "1975-01-01",
                               "request.amount": 28000}),
                edited(LEFT_OWING, {"id": "offset",
                                    "account.sources.after_tax.pre_1987_basis": 10000,
                                    "request.amount": "max"})]
    cases = [parse_case(copy.deepcopy(c)) for c in variants]
    alone = {c.id: assess_cases([c])[0] for c in cases}
    mixed = cases * 2
    random.Random(11).shuffle(mixed)
    for case, result in zip(mixed, assess_cases(mixed), strict=True):
        assert result == alone[case.id], case.id


def test_the_answer_names_the_pre_1987_rule():
    """The row that recovers pre-1987 basis first says so, with §72(e)(8)(D)."""
    import yaml

    from dist401k.assess import assess_cases
    from dist401k.case import parse_case

    case = parse_case(yaml.safe_load("""
id: p-pre87
person: {birth_date: 1962-01-01, filing_status: single}
employment: {status: active, hire_date: 1984-01-01}
income: {wages: 60000}
plan: {type: 401k, in_service: {after_tax: {allowed: true}}}
account:
  sources:
    elective_deferral: {balance: 300000}
    after_tax: {balance: 30000, basis: 25000, pre_1987_basis: 25000}
request: {date: 2026-05-01, amount: 10000, destination: cash}
"""))
    row = assess_cases([case])[0]["outcomes"][0]
    codes = {r["code"]: r for r in row["reasons"]}
    assert row["taxable"] == 0.0
    assert codes["OC_PRE_1987_BASIS"]["citation"] == "IRC §72(e)(8)(D)"
