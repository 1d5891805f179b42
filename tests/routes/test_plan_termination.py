"""A terminated plan pays out, and its termination vests every account of a §401(a) plan; a small
account's spousal consent. Cases worked by hand from the law's text.

- IRC §401(k)(2)(B)(i)(II), §401(k)(10)(A)(i), (B): a 401(k)'s deferrals are distributable on the
  termination of the plan without an alternative defined contribution plan (Treas. Reg.
  §1.401(k)-1(d)(4)(i)), as a lump sum of the whole account. It is an eligible rollover
  distribution: 20% withheld (§3405(c)); termination is no §72(t) exception: at 40, 10% tax and
  Form 1099-R code 1.
- IRC §411(d)(3): on termination the account balances of a §401(a) plan are nonforfeitable: a
  match 40% vested is paid whole. A 403(b) is not under §411 (Treas. Reg. §1.403(b)-10(a)(1):
  what is forfeitable at termination is not, and cannot become, a 403(b) contract).
- Governmental 457(b): Treas. Reg. §1.457-10(a)(1); outside §72(t) (§72(t)(1) reaches qualified
  plans, 403(b)s and IRAs, §4974(c); §72(t)(9) only for money rolled in).
- §417(e)(1): a plan may pay a benefit whose present value is at most the §411(a)(11) limit
  ($7,000 from 2024, SECURE 2.0 §304) without the consent of the participant's spouse.
"""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
import yaml

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.jobs import run_job
from dist401k.law.loader import default_law
from routes.conftest import edited

#: The reviewer's term.yaml: at 40, still working; the 401(k) is terminated; deferrals 40,000,
#: match 20,000 40% vested; a loan of 10,000 outstanding.
TERM = {
    "id": "term",
    "person": {"birth_date": "1986-03-15", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2020-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "terminated": True, "loans": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 40000},
                            "match": {"balance": 20000, "vested": 0.4}},
                "loans": {"outstanding": 10000, "count": 1}},
    "request": {"date": "2026-09-15", "amount": "max"},
}

#: termsep.yaml: the same, separated on 2024-01-15.
TERMSEP = {**copy.deepcopy(TERM), "id": "termsep",
           "employment": {"status": "separated", "separation_date": "2024-01-15",
                          "hire_date": "2020-01-01"}}

#: mp_small.yaml: a money purchase plan, married, separated, 4,000.
MP_SMALL = {
    "id": "mp_small",
    "person": {"birth_date": "1986-03-15", "filing_status": "married_joint"},
    "employment": {"status": "separated", "hire_date": "2020-01-01",
                   "separation_date": "2026-03-01"},
    "income": {"wages": 60000},
    "plan": {"type": "money_purchase"},
    "account": {"sources": {"profit_sharing": {"balance": 4000}}},
    "request": {"date": "2026-09-15", "amount": "max"},
}


def _with(base: dict, **changes) -> dict:
    """``base`` with ``a__b=value`` changes (``edited``'s dotted paths)."""
    return edited(base, {k.replace("__", "."): v for k, v in changes.items()})


def _answer(data: dict) -> dict:
    return assess_cases([parse_case(data)])[0]


def _summary(a: dict, route: str) -> dict:
    return next(s for s in a["route_summary"] if s["route"] == route)


def _outcome(a: dict, route: str, dest: str = "cash") -> dict | None:
    return next((o for o in a["outcomes"] if o["route"] == route and o["destination"] == dest),
                None)


def _codes(a: dict, route: str) -> set[str]:
    return {r["code"] for row in a["routes"] if row["route"] == route for r in row["reasons"]}


def _row(a: dict, route: str, source: str) -> dict:
    return next(r for r in a["routes"] if r["route"] == route and r["source"] == source)


# --- D1: the terminated plan pays the whole account -------------------------------------------

def test_an_active_participant_of_a_terminated_401k_is_paid_the_whole_account():
    a = _answer(TERM)
    s = _summary(a, "separation")
    # 40,000 + 20,000 (the match fully vested on termination, §411(d)(3))
    assert s["eligible"] and s["available"] == 60000.0
    o = _outcome(a, "separation")
    assert o["gross"] == 60000.0
    # 20% of the eligible rollover distribution, the 10,000 loan offset that goes out with it
    # included, at most the cash (Treas. Reg. §31.3405(c)-1, Q&A-11): 0.20 × 70,000
    assert o["withholding"] == 14000.0
    assert o["additional_tax_72t"] == 6000.0  # 10%: at 40, no exception
    assert o["form_1099r_codes"][0] == "1"
    codes = _codes(a, "separation")
    assert "TM_PAYS" in codes and "TM_VESTED" in codes
    # the in-service route no longer says the deferrals stay in the plan
    in_service = {r["code"] for r in _row(a, "in_service", "elective_deferral")["reasons"]}
    assert "IS_PLAN_TERMINATED" in in_service and "IS_DEFERRAL_BEFORE_59_HALF" not in in_service
    assert "SP_ACTIVE" not in codes and "SP_OK" not in codes
    # the direct rollover is open too: nothing withheld, nothing taxed
    ira = _outcome(a, "separation", "traditional_ira")
    assert ira["withholding"] == 0.0 and ira["taxable"] == 0.0


def test_compare_lists_the_termination_payment():
    options = [o["option"] for o in compare_case(parse_case(TERM))["options"]]
    assert "separation:cash" in options
    assert "separation:traditional_ira" in options


def test_an_alternative_defined_contribution_plan_keeps_the_deferrals_in():
    a = _answer(_with(TERM, plan__alternative_dc_plan=True))
    assert not _summary(a, "separation")["eligible"]
    assert "TM_ALTERNATIVE_PLAN" in _codes(a, "separation")
    assert "TM_PAYS" not in _codes(a, "separation")
    assert "IS_DEFERRAL_BEFORE_59_HALF" in {
        r["code"] for r in _row(a, "in_service", "elective_deferral")["reasons"]}
    assert _outcome(a, "separation") is None


def test_a_partial_amount_is_refused_with_the_lump_sum_rule():
    a = _answer(_with(TERM, request__amount=5000))
    assert not _summary(a, "separation")["eligible"]
    assert "TM_LUMP_SUM_ONLY" in _codes(a, "separation")
    # an amount of the whole account (or more) is the lump sum
    whole = _answer(_with(TERM, request__amount=60000))
    assert _outcome(whole, "separation")["gross"] == 60000.0


def test_a_plan_not_terminated_still_keeps_an_active_participant_out():
    a = _answer(_with(TERM, plan__terminated=False))
    assert not _summary(a, "separation")["eligible"]
    assert "SP_ACTIVE" in _codes(a, "separation")
    assert _summary(a, "separation")["available"] == 0.0


def test_a_terminated_governmental_457b_pays_out_without_the_10_percent():
    case = _with(TERM, plan__type="governmental_457b",
                 account__sources={"elective_deferral": {"balance": 30000}},
                 account__loans={"outstanding": 0, "count": 0})
    a = _answer(case)
    assert _summary(a, "separation")["available"] == 30000.0
    assert "TM_PAYS_457B" in _codes(a, "separation")
    o = _outcome(a, "separation")
    assert o["gross"] == 30000.0 and o["withholding"] == 6000.0
    assert o["additional_tax_72t"] == 0.0


def test_a_terminated_403b_pays_out_but_is_not_vested_by_411d3():
    case = _with(TERM, plan__type="403b_annuity")
    a = _answer(case)
    # 40,000 + 40% of 20,000: §411(d)(3) does not reach a 403(b)
    assert _summary(a, "separation")["available"] == 48000.0
    codes = _codes(a, "separation")
    assert "TM_PAYS_403B" in codes and "TM_VESTED" not in codes
    barred = _answer(_with(case, plan__alternative_dc_plan=True))
    assert not _summary(barred, "separation")["eligible"]
    assert "TM_ALTERNATIVE_PLAN_403B" in _codes(barred, "separation")


# --- D2: termination vests everyone -----------------------------------------------------------

def test_a_separated_participant_of_a_terminated_plan_is_paid_the_match_whole():
    a = _answer(TERMSEP)
    assert _outcome(a, "separation")["gross"] == 60000.0  # was 40,000 + 8,000
    # the loan offset over the vested money pro rata: 10,000 × 40/60 and × 20/60
    assert _row(a, "loan_offset", "elective_deferral")["available"] == pytest.approx(6666.67)
    assert _row(a, "loan_offset", "match")["available"] == pytest.approx(3333.33)


def test_an_alternative_plan_does_not_undo_the_vesting():
    a = _answer(_with(TERMSEP, plan__alternative_dc_plan=True))
    assert _outcome(a, "separation")["gross"] == 60000.0


# --- D3: a small account's spousal consent ----------------------------------------------------

def test_a_small_account_says_the_plan_may_pay_it_without_the_spouses_consent():
    o = _outcome(_answer(MP_SMALL), "separation")
    codes = {r["code"] for r in o["reasons"]}
    assert "OC_SPOUSAL_CONSENT" in codes and "OC_SPOUSAL_CONSENT_SMALL" in codes
    big = _outcome(_answer(_with(MP_SMALL, account__sources={
        "profit_sharing": {"balance": 7000.01}})), "separation")
    assert "OC_SPOUSAL_CONSENT_SMALL" not in {r["code"] for r in big["reasons"]}
    at_limit = _outcome(_answer(_with(MP_SMALL, account__sources={
        "profit_sharing": {"balance": 7000}})), "separation")
    assert "OC_SPOUSAL_CONSENT_SMALL" in {r["code"] for r in at_limit["reasons"]}


# --- every door -------------------------------------------------------------------------------

def _rows(alternative: list[bool]) -> pa.Table:
    n = len(alternative)
    return pa.table({
        "participant_id": [f"p{i}" for i in range(n)], "request_date": ["2026-09-15"] * n,
        "birth_date": ["1986-03-15"] * n, "plan_type": ["401k"] * n,
        "employment_status": ["active"] * n, "hire_date": ["2020-01-01"] * n,
        "wages": [60000.0] * n, "plan_terminated": [True] * n,
        "alternative_dc_plan": alternative,
        "balance_elective_deferral": [40000.0] * n, "balance_match": [20000.0] * n,
        "vested_match": [0.4] * n, "request_route": ["separation"] * n,
        "request_destination": ["cash"] * n})


def test_batch_gives_the_same_payment_as_assess():
    rows = run_job(_rows([False, True]), "outcome", default_law()).to_pylist()
    assert rows[0]["status"] == "ok"
    assert rows[0]["gross"] == 60000.0 and rows[0]["withholding"] == 12000.0
    assert rows[0]["additional_tax_72t"] == 6000.0
    assert rows[1]["gross"] in (0.0, None)


def test_batch_names_a_bad_alternative_plan_value():
    table = _rows([False]).set_column(8, "alternative_dc_plan", pa.array(["maybe"]))
    row = run_job(table, "outcome", default_law()).to_pylist()[0]
    assert row["status"] == "error" and row["error_column"] == "alternative_dc_plan"


def test_the_api_gives_the_same_payment(client):
    r = client.post("/assess", json=TERM)
    assert r.status_code == 200
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    o = _outcome(body, "separation")
    assert o["gross"] == 60000.0 and o["withholding"] == 14000.0
    bad = client.post("/assess", json=_with(TERM, plan__alternative_dc_plan="maybe"))
    assert bad.status_code == 422
    assert [d["loc"][-2:] for d in bad.json()["detail"]] == [["plan", "alternative_dc_plan"]]


def test_the_command_line_gives_the_same_payment(tmp_path):
    from typer.testing import CliRunner

    from dist401k.cli import app

    path = tmp_path / "term.yaml"
    path.write_text(yaml.safe_dump(TERM))
    r = CliRunner().invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    out = out[0] if isinstance(out, list) else out
    assert _outcome(out, "separation")["gross"] == 60000.0
    path.write_text(yaml.safe_dump(_with(TERM, plan__alternative_dc_plan="maybe")))
    bad = CliRunner().invoke(app, ["assess", str(path)])
    assert bad.exit_code == 2 and "plan.alternative_dc_plan" in bad.output


@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    return TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'test.db'}"), token=""))


def test_the_case_itself_is_vested_on_termination():
    """§411(d)(3) holds for every answer read from the case (NUA, SEPP, heirs' figures), not
    only the batch's: a terminated 401(k)'s 40%-vested match reads 100% vested."""
    case = parse_case(TERMSEP)
    assert {k: s.vested for k, s in case.account.sources.items()} == {
        k: 1.0 for k in case.account.sources}
    kept = parse_case(_with(TERMSEP, plan__terminated=False))
    assert kept.account.sources["match"].vested == 0.4
