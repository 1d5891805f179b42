"""The reviewer's New Jersey case through every door: 63 (born 1963-01-01), single, separated,
a $20,000 401(k) lump sum in 2026, ``income.social_security: 0``.

By hand (NJ-1040): line 27 total income 20,000; line 28a pension exclusion (N.J.S.A. 54A:6-10,
up to $75,000 single at total income of $100,000 or less) 20,000; line 29 gross income 0, at or
below the $10,000 threshold of 54A:2-4: no New Jersey tax.  The special exclusion of line 28b
(54A:6-15, for those who will never receive Social Security or Railroad Retirement) could only
lower line 29 further, so whether it applies cannot change the answer: $0, covered, in assess,
compare, the API and a batch (before, every door gave null, "not covered", and a reason naming
``social_security_expected``, a field the case does not have).

A $90,000 lump sum instead: line 28a 75,000, line 29 15,000, exemption 1,000, 14,000 × 1.4% =
$196; with the special exclusion ($3,000) 11,000 × 1.4% = $154.  It decides the tax, so the
answer stays not covered, and its reason says what the user can do without naming a field the
case lacks.
"""

from __future__ import annotations

import copy
import json

import pyarrow as pa
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
CODE = "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED"

CASE = {
    "id": "nj-63-lump-sum",
    "person": {"birth_date": "1963-01-01", "filing_status": "single", "state": "NJ"},
    "employment": {"status": "separated", "hire_date": "2000-01-01",
                   "separation_date": "2025-06-30"},
    "income": {"social_security": 0},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "request": {"date": "2026-03-01", "amount": 20000},
}


def case(amount: float = 20000) -> dict:
    c = copy.deepcopy(CASE)
    c["request"]["amount"] = amount
    return c


def cash(outcomes: list[dict]) -> dict:
    return next(o for o in outcomes if o["route"] == "separation" and o["destination"] == "cash")


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_assess_gives_no_new_jersey_tax():
    answer = assess_cases([parse_case(case())])[0]
    for o in answer["outcomes"]:
        assert o["state_covered"] and o["state_income_tax_increase"] == 0.0, o["destination"]
        assert CODE not in codes(o)
    assert "STATE_NJ_PENSION_EXCLUSION" in codes(cash(answer["outcomes"]))
    assert not any(n["code"] == "STATE_NOT_FIGURED" for n in answer["notes"])


def test_the_cli_assess_and_compare_give_no_new_jersey_tax(tmp_path):
    path = tmp_path / "nj.json"
    path.write_text(json.dumps(case()))
    r = CliRunner().invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    assert cash(json.loads(r.stdout)["outcomes"])["state_income_tax_increase"] == 0.0
    r = CliRunner().invoke(app, ["compare", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    paid = [o for o in json.loads(r.stdout)["options"] if o["option"] != "leave"]
    assert paid and all(o["state_covered"] and o["state_income_tax_now"] == 0.0 for o in paid)


def test_the_api_gives_no_new_jersey_tax(client):
    r = client.post("/assess", json=case())
    assert r.status_code == 200, r.text
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    assert cash(body["outcomes"])["state_income_tax_increase"] == 0.0
    r = client.post("/compare", json=case())
    assert r.status_code == 200, r.text
    paid = [o for o in r.json()["options"] if o["option"] != "leave"]
    assert paid and all(o["state_income_tax_now"] == 0.0 for o in paid)


def test_a_batch_row_gives_no_new_jersey_tax():
    rows = pa.table({
        "participant_id": ["nj-20000", "nj-90000"], "request_date": ["2026-03-01"] * 2,
        "birth_date": ["1963-01-01"] * 2, "plan_type": ["401k"] * 2, "state": ["NJ"] * 2,
        "employment_status": ["separated"] * 2, "hire_date": ["2000-01-01"] * 2,
        "separation_date": ["2025-06-30"] * 2, "social_security": [0.0] * 2,
        "balance_elective_deferral": [100000.0] * 2, "request_amount": [20000.0, 90000.0],
        "request_route": ["separation"] * 2, "request_destination": ["cash"] * 2})
    out = run_job(rows, "outcome", LAW).to_pylist()
    assert [r["status"] for r in out] == ["ok", "ok"]
    assert out[0]["state_income_tax_increase"] == 0.0
    assert out[1]["state_income_tax_increase"] is None


def test_where_the_special_exclusion_matters_it_is_still_not_figured():
    o = cash(assess_cases([parse_case(case(90000))])[0]["outcomes"])
    assert not o["state_covered"] and o["state_income_tax_increase"] is None
    assert CODE in codes(o)
    text = next(r["text"] for r in o["reasons"] if r["code"] == CODE)
    assert "social_security_expected" not in text and "Social Security income" in text
