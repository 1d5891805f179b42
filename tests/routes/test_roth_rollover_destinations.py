"""Where a route's money may be rolled, worked from the law's text by hand, through every door.

* Designated Roth money may be rolled over only to another designated Roth account or to a Roth
  IRA (IRC §402A(c)(3); §402(c)(8)(B), last sentence: for the part of an eligible rollover
  distribution from a designated Roth account, an eligible retirement plan "shall include only
  another designated Roth account and a Roth IRA"; Treas. Reg. §1.402A-1, Q&A-5).  An account
  that holds only Roth money has no rollover to a traditional IRA; a payment of both sends only
  its other money there, its Roth part to a Roth IRA (and the plan reports the two parts on two
  Forms 1099-R: code G for the pre-tax direct rollover, code H for the designated Roth one —
  Instructions for Forms 1099-R, box 7 codes G and H).
* A governmental 457(b)'s own money is outside §72(t); only money rolled in to it from a
  qualified plan, a 403(b) or an IRA is under it (§72(t)(9)).  So a 60-day rollover of its own
  money owes no 10% tax on a part not put back; where it holds rolled-in money, only that part
  can owe it.
* A plan loan is no distribution (§72(p)(1)): it is paid to the participant, and nothing of it
  can be rolled over (§402(c)(1) reaches distributions only); asked to an IRA it is no answer,
  as a hardship asked there is not (§402(c)(4)(C)).

The cases:

1. Born 1978-08-20 (47 in June 2026), left the job in 2025, Roth deferrals only: $40,000, of
   which $30,000 contributions, first Roth year 2020 (not qualified: under 59½).  $20,000
   asked.  A traditional IRA would receive $0 of it: no such outcome; a Roth IRA receives the
   whole $20,000.
2. The same with $60,000 of pre-tax deferrals beside it, $40,000 asked: paid pro rata,
   40,000 × 60/100 = $24,000 pre-tax and 40,000 × 40/100 = $16,000 Roth.  To a traditional IRA:
   $24,000 there (Form 1099-R code G, box 2a 0) and the $16,000 to a Roth IRA (code H, box 5 the
   contributions in it, 16,000 × 30,000/40,000 = $12,000).
3. A governmental 457(b), separated at 49, $200,000 pre-tax, $30,000 asked: the 60-day rollover's
   part not put back owes no 10% tax.  With $50,000 rolled in (pre-tax) beside the $200,000: the
   payment is pro rata, 30,000 × 50/250 = $6,000 of rolled-in money; in cash the 10% tax is
   0.10 × 6,000 = $600, and the 60-day row says the 10% tax can reach that part only.
4. A loan asked to a traditional IRA.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import edited, outcome

ROTH_ONLY = {
    "person": {"birth_date": "1978-08-20", "filing_status": "single", "state": "IL"},
    "employment": {"status": "separated", "hire_date": "2015-02-01",
                   "separation_date": "2025-06-30"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": False}},
    "account": {"sources": {"roth_deferral": {"balance": 40000, "contributions": 30000,
                                              "first_year": 2020}}},
    "request": {"amount": 20000, "date": "2026-06-15"},
}
MIXED = edited(ROTH_ONLY, {"account.sources.elective_deferral": {"balance": 60000},
                           "request.amount": 40000})
GOV_457 = {
    "person": {"birth_date": "1976-10-02", "filing_status": "single", "state": "PA"},
    "employment": {"status": "separated", "hire_date": "2001-09-01",
                   "separation_date": "2026-01-31"},
    "income": {"wages": 40000},
    "plan": {"type": "governmental_457b"},
    "account": {"sources": {"elective_deferral": {"balance": 200000}}},
    "request": {"amount": 30000, "date": "2026-07-01"},
}
ROLLED_IN_457 = edited(GOV_457, {"account.sources.rollover_pretax": {"balance": 50000}})
LOAN = {
    "person": {"birth_date": "1978-12-05", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-03-24"},
    "income": {"wages": 54000},
    "plan": {"type": "401k", "loans": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}}},
    "request": {"amount": 5000, "date": "2026-10-11"},
}


def codes(row: dict) -> list[str]:
    return [r["code"] for r in row["reasons"]]


def route_codes(result: dict, name: str) -> set[str]:
    return {r["code"] for row in result["routes"] if row["route"] == name for r in row["reasons"]}


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(token=""))


def test_roth_only_money_has_no_rollover_to_a_traditional_ira(assess):
    res = assess(ROTH_ONLY)
    assert outcome(res, "separation", "traditional_ira") is None
    to_roth = outcome(res, "separation", "roth_ira")
    assert to_roth["to_roth_ira"] == pytest.approx(20000.0)
    assert to_roth["to_traditional_ira"] == 0.0


def test_roth_only_asked_to_a_traditional_ira_says_why_in_every_door(assess, client):
    case = edited(ROTH_ONLY, {"request.destination": "traditional_ira"})
    res = assess(case)
    assert res["outcomes"] == []
    assert "OC_ROTH_TO_ROTH_IRA" in route_codes(res, "separation")
    api = client.post("/assess", json=case)
    assert api.status_code == 200
    assert api.json()["outcomes"] == []
    assert "OC_ROTH_TO_ROTH_IRA" in route_codes(api.json(), "separation")
    cmp = compare_case(parse_case(ROTH_ONLY))
    assert all(o["option"] != "separation:traditional_ira" for o in cmp["options"])
    assert "separation:roth_ira" in {o["option"] for o in cmp["options"]}
    asked = compare_case(parse_case(case))
    assert "OC_ROTH_TO_ROTH_IRA" in {n["code"] for n in asked["notes"]}


def _batch_row(**changes) -> dict:
    row = {"participant_id": "roth", "request_date": dt.date(2026, 6, 15),
           "birth_date": dt.date(1978, 8, 20), "filing_status": "single", "wages": 60000.0,
           "plan_type": "401k", "employment_status": "separated",
           "hire_date": dt.date(2015, 2, 1), "separation_date": dt.date(2025, 6, 30),
           "balance_roth_deferral": 40000.0, "roth_contributions_roth_deferral": 30000.0,
           "roth_first_year_roth_deferral": 2020.0, "request_amount": 20000.0,
           "request_route": "separation", "request_destination": "traditional_ira"}
    return {**row, **changes}


def _run(rows: list[dict]) -> list[dict]:
    names = list(dict.fromkeys(k for r in rows for k in r))
    table = pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})
    return run_job(table, "outcome", default_law()).to_pylist()


def test_a_batch_row_of_roth_money_to_a_traditional_ira_is_not_possible_and_says_why():
    roth_only, mixed = _run([
        _batch_row(), _batch_row(participant_id="mixed", balance_elective_deferral=60000.0,
                                 request_amount=40000.0)])
    assert roth_only["possible"] is False
    assert "OC_ROTH_TO_ROTH_IRA" in roth_only["reasons"].split(";")
    assert mixed["possible"] is True
    assert mixed["to_traditional_ira"] == pytest.approx(24000.0)
    assert mixed["to_roth_ira"] == pytest.approx(16000.0)
    assert "OC_ROTH_TO_ROTH_IRA" in mixed["reasons"].split(";")


def test_a_payment_of_both_sends_only_the_other_money_to_the_traditional_ira(assess):
    o = outcome(assess(MIXED), "separation", "traditional_ira")
    assert o["to_traditional_ira"] == pytest.approx(24000.0)
    assert o["to_roth_ira"] == pytest.approx(16000.0)
    assert "OC_ROTH_TO_ROTH_IRA" in codes(o)
    forms = sorted((f["box_7"], f["box_1"], f["box_2a"], f["box_5"]) for f in o["form_1099r"])
    assert forms == [("G", 24000.0, 0.0, 0.0), ("H", 16000.0, 0.0, 12000.0)]
    # The words say where the Roth part goes, in the row and in a few words.
    assert "$16,000 of designated Roth money to a Roth IRA" in o["why"]["short"]
    assert "$16,000 of designated Roth money to a Roth IRA" in o["why"]["taxable"]


def test_the_comparison_names_the_roth_part_of_a_rollover_to_a_traditional_ira():
    cmp = compare_case(parse_case(MIXED))
    label = next(o["label"] for o in cmp["options"] if o["option"] == "separation:traditional_ira")
    assert "designated Roth part to a Roth IRA" in label
    only = compare_case(parse_case(edited(MIXED, {"account.sources.roth_deferral": None})))
    plain = next(o["label"] for o in only["options"] if o["option"] == "separation:traditional_ira")
    assert "Roth" not in plain


def test_a_governmental_457b_60_day_rollover_owes_no_10_percent_on_a_part_not_put_back(assess):
    o = outcome(assess(GOV_457), "separation", "indirect_60day")
    why = o["why"]
    assert "before 59½" not in why["additional_tax_72t"]
    assert "before 59½" not in why["taxable"]
    assert "10% too" not in why["short"]
    assert "no 10% tax" in why["short"] and "no 10% tax" in why["taxable"]
    assert "§72(t)(9)" in why["additional_tax_72t"]


def test_rolled_in_457b_money_is_the_only_part_the_10_percent_can_reach(assess):
    res = assess(ROLLED_IN_457)
    cash = outcome(res, "separation", "cash")
    assert cash["additional_tax_72t"] == pytest.approx(600.0)
    assert "PX_457_ROLLED_IN" in codes(cash)
    # The cash row's few words name the one part §72(t)(9) leaves to the tax, not "no exception".
    assert "no exception" not in cash["why"]["short"]
    assert "rolled in only" in cash["why"]["short"]
    sixty = outcome(res, "separation", "indirect_60day")
    assert "PX_457_ROLLED_IN" in codes(sixty)
    for text in (sixty["why"]["additional_tax_72t"], sixty["why"]["taxable"], sixty["why"]["short"]):
        assert "rolled in" in text and "only" in text


def test_a_loan_asked_to_an_ira_is_no_answer_and_says_why(assess, client):
    for dest in ("traditional_ira", "roth_ira", "indirect_60day"):
        case = edited(LOAN, {"request.destination": dest})
        res = assess(case)
        assert outcome(res, "loan") is None, dest
        assert "LN_NOT_TO_IRA" in route_codes(res, "loan"), dest
    api = client.post("/assess", json=edited(LOAN, {"request.destination": "traditional_ira"}))
    assert "LN_NOT_TO_IRA" in route_codes(api.json(), "loan")
    cash = assess(edited(LOAN, {"request.destination": "cash"}))
    assert outcome(cash, "loan")["gross"] == pytest.approx(5000.0)
    assert "LN_NOT_TO_IRA" not in route_codes(cash, "loan")
    every = assess(LOAN)
    assert outcome(every, "loan") is not None


def test_a_batch_loan_row_asked_to_an_ira_is_not_possible_with_its_reason():
    row = {"participant_id": "loan", "request_date": dt.date(2026, 10, 11),
           "birth_date": dt.date(1978, 12, 5), "filing_status": "single", "wages": 54000.0,
           "plan_type": "401k", "employment_status": "active", "hire_date": dt.date(2015, 3, 24),
           "loans_allowed": True, "balance_elective_deferral": 40000.0, "request_amount": 5000.0,
           "request_route": "loan"}
    to_ira, to_roth, cash = _run([{**row, "request_destination": "traditional_ira"},
                                  {**row, "request_destination": "roth_ira"},
                                  {**row, "request_destination": "cash"}])
    for r in (to_ira, to_roth):
        assert r["possible"] is False
        assert r["check_received"] == 0.0
        assert "LN_NOT_TO_IRA" in r["reasons"].split(";")
    assert cash["possible"] is True
    assert cash["check_received"] == pytest.approx(5000.0)
    assert "LN_NOT_TO_IRA" not in cash["reasons"].split(";")


def test_an_rmd_year_whose_other_money_all_goes_to_the_rmd_has_no_traditional_ira_rollover(assess):
    """Pat (tests/routes/test_rmd_roth_before_2024.py, worked there): $3,000 of pre-tax money,
    all of it the RMDs paid first in cash (§402(c)(4)(B)), and $150,000 of Roth money, of which
    the rest of 2023's RMD, $6,224.14 − $3,000 = $3,224.14, is paid in cash too.  Nothing is left
    for a traditional IRA: no such outcome; the Roth IRA receives $150,000 − $3,224.14 =
    $146,775.86."""
    from routes.test_rmd_roth_before_2024 import RMD_2023, _pat

    res = assess(_pat(3000, 150000))
    assert outcome(res, "separation", "traditional_ira") is None
    to_roth = outcome(res, "separation", "roth_ira")
    assert to_roth["to_traditional_ira"] == 0
    assert to_roth["to_roth_ira"] == pytest.approx(150000 - (126.58 + RMD_2023 - 3000), abs=0.01)
