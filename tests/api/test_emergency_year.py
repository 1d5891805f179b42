"""The year of the last emergency personal expense distribution is checked as the other years
of a case, the same through every door: the distribution exists for distributions after
December 31, 2023 (IRC §72(t)(2)(I), added by SECURE 2.0 §115; law
``secure2.emergency_expense_cap``, from 2024-01-01), so 2023 is impossible and 2024 the first;
and a year after the request's has not happened yet."""

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
FIELD = "account.last_emergency_year"

CASE = {
    "id": "emergency-year",
    "person": {"birth_date": "1985-06-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "secure2": {"emergency_expense": True}},
    "account": {"sources": {"elective_deferral": {"balance": 20000}},
                "last_emergency_year": 2024, "emergency_unrepaid": 500},
    "request": {"date": "2026-03-01", "amount": 1000, "purpose": "emergency",
                "destination": "cash"},
}


def _case(year: int) -> dict:
    c = copy.deepcopy(CASE)
    c["account"]["last_emergency_year"] = year
    return c


def _problems(case: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("year, words", [(2023, "is before 2024"), (1999, "is before 2024"),
                                         (2027, "is after the request year")])
def test_an_impossible_year_is_a_one_line_error_naming_the_field(year, words):
    found = _problems(_case(year))
    assert len(found) == 1 and FIELD in found[0] and words in found[0], found


@pytest.mark.parametrize("year", [2024, 2026])
def test_the_possible_years_are_taken(year):
    assert parse_case(_case(year)).account.last_emergency_year == year


def test_the_cli_exits_2_and_the_api_answers_422(tmp_path, client):
    case = _case(2023)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2 and FIELD in r.output and "Traceback" not in r.output, r.output
    api = client.post("/assess", json=json.loads(json.dumps(case)))
    assert api.status_code == 422
    hits = [d for d in api.json()["detail"] if ".".join(map(str, d["loc"][1:])) == FIELD]
    assert hits and "is before 2024" in hits[0]["msg"], api.json()


def test_a_batch_row_is_an_error_row_with_the_same_words():
    base = {"participant_id": "p", "request_date": "2026-03-01", "birth_date": "1985-06-01",
            "filing_status": "single", "employment_status": "active",
            "hire_date": "2015-01-01", "wages": 60000.0, "plan_type": "401k",
            "balance_elective_deferral": 20000.0, "request_amount": 1000.0,
            "emergency_expense_adopted": True, "request_purpose": "emergency"}
    years = [2023.0, 2024.0, 2026.0, 2027.0]
    rows = [dict(base, participant_id=f"p{int(y)}", last_emergency_year=y) for y in years]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert [r["status"] for r in out] == ["error", "ok", "ok", "error"], out
    words = _problems(_case(2023))[0].split(": ", 1)[1]
    assert out[0]["error_column"] == "last_emergency_year"
    assert out[0]["error_message"] == f"last_emergency_year: {words}"
    assert out[3]["error_message"] == "last_emergency_year: is after the request year"
