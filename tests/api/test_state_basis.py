"""The contributions a state already taxed (``account.state_taxed_contributions``): Pennsylvania's
cost recovery, through every door.

Pennsylvania does not exclude elective deferrals from compensation when they are made, so an
early distribution (one paid before the plan's conditions for retirement are met) is taxed only
once the contributions it already taxed have been recovered: PA-40 instructions, line 5 (codes 1
and 2): "Pennsylvania will not tax your distributions until you have received (recovered) an
amount equal to your previously taxed contributions"; 61 Pa. Code §101.6(c)(8).

The reviewer's case (45, Pennsylvania, still working, wages $85,000, $60,000 of elective
deferrals, a $10,000 medical hardship withdrawal, 2026), worked by hand at 3.07% (72 P.S. §7302;
no tax forgiveness at that income):

- $60,000 of contributions Pennsylvania taxed: all $10,000 is recovered → $0;
- $4,000: $4,000 recovered, $6,000 taxed → 0.0307 × 6,000 = $184.20;
- none given: taxed in full → 0.0307 × 10,000 = $307.00, and the answer says none was given.
"""

from __future__ import annotations

import copy
import json
import math

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.explain import reason
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
FIELD = "account.state_taxed_contributions"

C09 = {
    "id": "c09-pa-hardship",
    "person": {"birth_date": "1980-05-05", "filing_status": "single", "state": "PA"},
    "employment": {"status": "active", "hire_date": "2010-01-01"},
    "income": {"wages": 85000},
    "plan": {"type": "401k", "hardship": {"allowed": True, "self_certification": True,
                                          "sources": ["elective_deferral"]}},
    "account": {"sources": {"elective_deferral": {"balance": 60000}}},
    "request": {"date": "2026-04-01", "amount": 10000, "purpose": "medical", "need": 10000},
}


def c09(basis=None, state: str = "PA") -> dict:
    case = copy.deepcopy(C09)
    case["person"]["state"] = state
    if basis is not None:
        case["account"]["state_taxed_contributions"] = basis
    return case


def hardship_cash(case: dict) -> dict:
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "hardship" and o["destination"] == "cash")


def codes(o: dict) -> list[str]:
    return [r["code"] for r in o["reasons"]]


def test_contributions_covering_the_payment_leave_no_pennsylvania_tax():
    o = hardship_cash(c09(60000))
    assert o["taxable"] == 10000.0  # federal: all of it pre-tax money
    assert o["state_income_tax_increase"] == 0.0
    assert "STATE_PA_BASIS_COVERS_PAYMENT" in codes(o)
    assert "STATE_PA_EARLY_TAXABLE" not in codes(o)


def test_pennsylvania_taxes_only_what_is_left_after_the_contributions():
    o = hardship_cash(c09(4000))
    assert o["state_income_tax_increase"] == 184.2  # 0.0307 × (10,000 − 4,000)
    assert "STATE_PA_BASIS_USED_UP" in codes(o)
    assert "STATE_PA_EARLY_TAXABLE" not in codes(o)


def test_no_contributions_given_taxes_it_in_full_and_says_so():
    for case in (c09(), c09(0)):
        o = hardship_cash(case)
        assert o["state_income_tax_increase"] == 307.0  # 0.0307 × 10,000
        assert "STATE_PA_EARLY_TAXABLE" in codes(o)
        text = next(r["text"] for r in o["reasons"] if r["code"] == "STATE_PA_EARLY_TAXABLE")
        assert "in full" in text and FIELD in text
        assert "less contributions Pennsylvania already taxed" not in text


def test_a_state_whose_recovery_rule_is_not_modelled_says_the_contributions_were_not_applied():
    # New Jersey taxes the distribution; dist401k applies the contributions only to
    # Pennsylvania's cost recovery: the same New Jersey tax with or without them, and a reason.
    plain, given = hardship_cash(c09(state="NJ")), hardship_cash(c09(4000, state="NJ"))
    assert given["state_income_tax_increase"] == plain["state_income_tax_increase"] > 0
    assert "STATE_BASIS_NOT_APPLIED" in codes(given)
    assert "STATE_BASIS_NOT_APPLIED" not in codes(plain)
    assert FIELD in reason("STATE_BASIS_NOT_APPLIED").text


@pytest.mark.parametrize("bad", [-1, float("nan")])
def test_a_bad_amount_is_refused_naming_the_field(bad):
    with pytest.raises(InputError) as exc:
        parse_case(c09(bad))
    assert [p.field for p in exc.value.problems] == [FIELD]


def test_the_cli_exits_2_naming_the_field(tmp_path):
    for bad in ("-1", ".nan"):
        path = tmp_path / "bad.yaml"
        path.write_text(json.dumps(c09(0)).replace('"state_taxed_contributions": 0',
                                                   f'"state_taxed_contributions": {bad}'))
        r = CliRunner().invoke(app, ["assess", str(path)])
        assert r.exit_code == 2, r.output
        assert FIELD in r.output and "Traceback" not in r.output
        assert len(r.output.strip().splitlines()) == 1, r.output


def test_the_api_answers_the_same_and_422_names_the_field(client):
    r = client.post("/assess", json=c09(4000))
    assert r.status_code == 200, r.text
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    o = next(o for o in body["outcomes"] if o["route"] == "hardship" and o["destination"] == "cash")
    assert o["state_income_tax_increase"] == 184.2
    r = client.post("/assess", json=c09(-5))
    assert r.status_code == 422
    assert [d["loc"][-2:] for d in r.json()["detail"]] == [["account", "state_taxed_contributions"]]


def c09_rows(*bases) -> pa.Table:
    n = len(bases)
    return pa.table({
        "participant_id": [f"c09-{i}" for i in range(n)], "request_date": ["2026-04-01"] * n,
        "birth_date": ["1980-05-05"] * n, "plan_type": ["401k"] * n, "state": ["pa"] * n,
        "employment_status": ["active"] * n, "hire_date": ["2010-01-01"] * n,
        "wages": [85000.0] * n, "hardship_allowed": [True] * n,
        "hardship_self_certification": [True] * n, "balance_elective_deferral": [60000.0] * n,
        "request_amount": [10000.0] * n, "request_purpose": ["medical"] * n,
        "request_need": [10000.0] * n, "request_route": ["hardship"] * n,
        "request_destination": ["cash"] * n,
        "state_taxed_contributions": pa.array(list(bases), pa.float64())})


def test_the_batch_column_gives_the_same_and_a_bad_one_is_an_error_row():
    rows = run_job(c09_rows(60000, 4000, None, -1, math.nan), "outcome", LAW).to_pylist()
    assert [r["status"] for r in rows] == ["ok", "ok", "ok", "error", "error"]
    assert [r["state_income_tax_increase"] for r in rows[:3]] == [0.0, 184.2, 307.0]
    assert [r["error_column"] for r in rows[3:]] == ["state_taxed_contributions"] * 2
