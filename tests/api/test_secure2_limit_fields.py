"""The two inputs of the SECURE 2.0 limits that reach past one distribution pass every door with
the same verdict: ``request.event_children`` (a whole number of children of the birth or
adoption, 1 to 12; the limit of §72(t)(2)(H)(ii) is per child, Notice 2020-68) and
``account.emergency_contributions_since`` (the elective deferrals and employee contributions made
since the last emergency personal expense distribution, §72(t)(2)(I)(vii))."""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()

CASE = {
    "id": "twins",
    "person": {"birth_date": "1990-06-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "secure2": {"birth_adoption": True}},
    "account": {"sources": {"elective_deferral": {"balance": 40000}}},
    "request": {"date": "2026-11-23", "amount": "max", "purpose": "birth_adoption",
                "event_date": "2026-08-14", "event_children": 0, "destination": "cash"},
}

ROW = {"participant_id": "p", "request_date": "2026-11-23", "birth_date": "1990-06-01",
       "filing_status": "single", "employment_status": "active", "hire_date": "2015-01-01",
       "wages": 60000.0, "plan_type": "401k", "balance_elective_deferral": 40000.0}


def test_no_children_exits_2_in_the_cli_and_answers_422_in_the_api(tmp_path, client):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(CASE))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2 and "request.event_children" in r.output, r.output
    assert "Traceback" not in r.output
    api = client.post("/assess", json=json.loads(json.dumps(CASE)))
    assert api.status_code == 422
    hits = [d for d in api.json()["detail"]
            if ".".join(map(str, d["loc"][1:])) == "request.event_children"]
    assert hits and "at least 1" in hits[0]["msg"], api.json()


def test_the_schema_declares_the_bounds():
    from dist401k.case import case_schema

    defs = case_schema()["$defs"]
    kids = defs["Request"]["properties"]["event_children"]
    assert (kids["minimum"], kids["maximum"], kids["default"]) == (1, 12, 1)
    since = defs["Account"]["properties"]["emergency_contributions_since"]
    assert (since["minimum"], since["default"]) == (0, 0)


@pytest.mark.parametrize("children, status, available", [
    (0.0, "error", None), (1.5, "error", None), (13.0, "error", None),
    (1.0, "ok", 5000.0), (2.0, "ok", 10000.0)])
def test_a_batch_row_reads_event_children(children, status, available):
    row = dict(ROW, birth_adoption_adopted=True, request_purpose="birth_adoption",
               request_event_date="2026-08-14", request_event_children=children)
    out = run_job(pa.table({k: [v] for k, v in row.items()}), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == status, out
    if status == "error":
        assert out["error_column"] == "request_event_children"
    else:
        assert out["birth_adoption_available"] == available


@pytest.mark.parametrize("since, eligible", [(0.0, False), (500.0, False), (1000.0, True)])
def test_a_batch_row_reads_emergency_contributions_since(since, eligible):
    row = dict(ROW, emergency_expense_adopted=True, request_purpose="emergency",
               request_amount=1000.0, last_emergency_year=2025.0, emergency_unrepaid=1000.0,
               emergency_contributions_since=since)
    out = run_job(pa.table({k: [v] for k, v in row.items()}), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == "ok" and out["emergency_expense_eligible"] is eligible, out
    assert ("EP_WAIT" in out["emergency_expense_reasons"]) is not eligible


def test_the_row_and_the_case_file_agree():
    from dist401k.flat import row_to_case

    row = dict(ROW, request_event_children=2.0, emergency_contributions_since=250.0)
    case = row_to_case(row)
    assert case["request"]["event_children"] == 2
    assert case["account"]["emergency_contributions_since"] == 250.0
    c = copy.deepcopy(CASE)
    c["request"]["event_children"] = 2
    from dist401k.case import parse_case

    assert parse_case(c).request.event_children == 2
