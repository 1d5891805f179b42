"""Employer stock is part of the account it is held in: the shares' value cannot be more than
the vested balance of the account's money sources (the money in them, loans outstanding not
counted: docs/assess.md; only vested shares can be paid out in the lump sum of IRC
§402(e)(4)(D)(i), which is of the balance to the credit of the employee).  More is a one-line
error naming ``account.employer_stock.value``, the same through every door: the CLI exits 2,
the API answers 422, a batch row is an error row naming ``employer_stock_value``."""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
FIELD = "account.employer_stock.value"

#: The reviewer's case big.yaml: a $300,000 account said to hold $400,000 of employer stock.
BIG = {
    "id": "nua-big",
    "person": {"birth_date": "1970-02-14", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "1994-05-02",
                   "separation_date": "2022-06-30"},
    "income": {"wages": 50000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "employer_stock": {"value": 400000, "cost_basis": 40000}},
    "request": {"date": "2026-06-01", "amount": "max"},
    "assumptions": {"growth": 0.06, "later_tax_rate": 0.22, "horizon_ages": [70]},
}


def _with(stock: float, sources: dict | None = None, loans: float = 0.0) -> dict:
    case = copy.deepcopy(BIG)
    case["account"]["employer_stock"]["value"] = stock
    if sources is not None:
        case["account"]["sources"] = sources
    if loans:
        case["account"]["loans"] = {"outstanding": loans}
    return case


def _problems(case: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [str(p) for p in exc.value.problems]


def test_stock_worth_more_than_the_account_is_a_one_line_error_naming_the_field():
    (found,) = _problems(BIG)
    assert found.startswith(f"{FIELD}: ") and "vested balance" in found, found
    assert "\n" not in found


@pytest.mark.parametrize("stock, sources, loans, ok", [
    (300000, None, 0.0, True),  # all of the account in stock
    (300000.01, None, 0.0, False),
    # The loan receivable is no part of the sources' balance, and holds no shares.
    (310000, None, 50000.0, False),
    # Only vested money can be paid: $100,000 of match 40% vested is $40,000 of it.
    (140000, {"elective_deferral": {"balance": 100000},
              "match": {"balance": 100000, "vested": 0.4}}, 0.0, True),
    (150000, {"elective_deferral": {"balance": 100000},
              "match": {"balance": 100000, "vested": 0.4}}, 0.0, False),
])
def test_the_stock_is_measured_against_the_vested_balance(stock, sources, loans, ok):
    case = _with(stock, sources, loans)
    if ok:
        assert parse_case(case).account.employer_stock.value == stock
    else:
        (found,) = _problems(case)
        assert found.startswith(f"{FIELD}: ")


def test_the_cli_exits_2_and_the_api_answers_422(tmp_path, client):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(BIG))
    for command in ("compare", "assess"):
        r = CliRunner().invoke(app, [command, str(path)])
        assert r.exit_code == 2 and FIELD in r.output and "Traceback" not in r.output, r.output
    words = _problems(BIG)[0].split(": ", 1)[1]
    for route in ("/assess", "/compare"):
        api = client.post(route, json=json.loads(json.dumps(BIG)))
        assert api.status_code == 422, api.text
        hits = [d for d in api.json()["detail"] if ".".join(map(str, d["loc"][1:])) == FIELD]
        assert hits and words in hits[0]["msg"], api.json()


def test_a_batch_row_is_an_error_row_with_the_same_words():
    base = {"participant_id": "p", "request_date": "2026-06-01", "birth_date": "1970-02-14",
            "filing_status": "single", "employment_status": "separated",
            "hire_date": "1994-05-02", "separation_date": "2022-06-30", "wages": 50000.0,
            "plan_type": "401k", "balance_elective_deferral": 100000.0,
            "balance_match": 100000.0, "vested_match": 0.4, "request_amount": 1000.0,
            "employer_stock_basis": 40000.0}
    values = [140000.0, 150000.0, 0.0]
    rows = [dict(base, participant_id=f"p{k}", employer_stock_value=v)
            for k, v in enumerate(values)]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    words = _problems(_with(150000, {"elective_deferral": {"balance": 100000},
                                     "match": {"balance": 100000, "vested": 0.4}}))[0]
    words = words.split(": ", 1)[1]
    for job in ("eligibility", "rmd"):
        out = run_job(table, job, LAW).to_pylist()
        assert [r["status"] for r in out] == ["ok", "error", "ok"], (job, out)
        assert out[1]["error_column"] == "employer_stock_value"
        assert out[1]["error_message"] == f"employer_stock_value: {words}"
