"""A state code in lower case and a numeric identifier, the same through every door (DESIGN.md,
"Bad input gets a clear error … the same through every door"; docs/api.md, "Bad input").

- A state is read in any case: "ny" is NY in a case file (`dist401k assess`), ``POST /assess``,
  ``/compare``, ``/cases``, ``POST /tax`` and a batch row; the published schemas say so.
- An identifier (a case's ``id``, a tax unit's or a batch row's ``participant_id``) is text: a
  number is refused in one line naming the field, in the words a Parquet book's numeric
  ``participant_id`` already got ("must be text (a leading zero would be lost)"): a YAML
  ``id: 000123`` is the integer 83 (an octal, YAML 1.1) and a JSON 123 may be 000123 whose zeros
  are gone, so taking its digits would be a guess."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.case import case_schema
from dist401k.cli import app as cli
from dist401k.jobs import run_job
from dist401k.law import default_law

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "rule-of-55.yaml"
TEXT = "must be text (a leading zero would be lost)"
runner = CliRunner()


def _case(**person) -> dict:
    case = yaml.safe_load(EXAMPLE.read_text())
    case["person"].update(person)
    return json.loads(json.dumps(case, default=str))


def _assess_file(tmp_path: Path, text: str):
    path = tmp_path / "case.yaml"
    path.write_text(text)
    return runner.invoke(cli, ["assess", str(path), "-f", "json"])


# --- a case file (`dist401k assess`) -----------------------------------------------------------

@pytest.mark.parametrize("written", ["id: 123", "id: 000123", "id: 12.5"])
def test_a_case_file_refuses_a_numeric_id_in_one_line(tmp_path, written):
    case = _case()
    case.pop("id", None)
    out = _assess_file(tmp_path, f"{written}\n{yaml.safe_dump(case, sort_keys=False)}")
    assert out.exit_code == 2, out.output
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert lines == [f"error: case.yaml: id: {TEXT}"], out.output


def test_a_case_file_takes_a_quoted_id_and_a_lower_case_state(tmp_path):
    case = _case(state="ny")
    case["id"] = "000123"
    out = _assess_file(tmp_path, yaml.safe_dump(case, sort_keys=False))
    assert out.exit_code == 0, out.output
    answer = json.loads(out.output)
    assert (answer["case_id"], answer["state"]) == ("000123", "NY")


# --- the API's case endpoints ------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["/assess", "/compare", "/sepp"])
@pytest.mark.parametrize("number", [123, 12.5])
def test_the_api_refuses_a_numeric_id_naming_it(client, endpoint, number):
    r = client.post(endpoint, json={**_case(), "id": number})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "id"], "msg": TEXT, "type": "value_error"}]


def test_a_saved_case_refuses_a_numeric_id_naming_it(client):
    r = client.post("/cases", json={"case": {**_case(), "id": 123}})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "case", "id"], "msg": TEXT,
                                   "type": "value_error"}]


@pytest.mark.parametrize("endpoint", ["/assess", "/compare"])
def test_the_api_reads_a_lower_case_state_as_the_file_does(client, endpoint):
    lower = client.post(endpoint, json=_case(state="ny"))
    upper = client.post(endpoint, json=_case(state="NY"))
    assert lower.status_code == upper.status_code == 200
    assert lower.content == upper.content
    if endpoint == "/assess":
        assert lower.json()["state"] == "NY"


def test_a_saved_case_keeps_the_state_as_read(client):
    r = client.post("/cases", json={"case": _case(state=" ny ")})
    assert r.status_code == 201, r.text
    assert r.json()["case"]["person"]["state"] == "NY"


# --- POST /tax ---------------------------------------------------------------------------------

UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 80_000,
        "taxable_distributions": 20_000}


@pytest.mark.parametrize(("given", "words"), [(123, TEXT), (12.5, TEXT), (True, "must be text")])
def test_tax_refuses_a_participant_id_that_is_not_text(client, given, words):
    r = client.post("/tax", json={"units": [UNIT, {**UNIT, "participant_id": given}]})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "units", 1, "participant_id"], "msg": words,
                                   "type": "value_error"}]


def test_tax_takes_a_text_participant_id_and_a_lower_case_state(client):
    lower = client.post("/tax", json={"units": [{**UNIT, "participant_id": "000123",
                                                 "state": "ny"}]})
    upper = client.post("/tax", json={"units": [{**UNIT, "participant_id": "000123",
                                                 "state": "NY"}]})
    assert lower.status_code == upper.status_code == 200, lower.text
    assert lower.json() == upper.json()
    assert lower.json()["results"][0]["state_income_tax"] > 0


# --- a batch row -------------------------------------------------------------------------------

def _book(**columns) -> pa.Table:
    n = 2
    return pa.table({
        "participant_id": ["000123", "000124"],
        "request_date": [dt.date(2026, 11, 23)] * n, "birth_date": [dt.date(1985, 1, 1)] * n,
        "plan_type": ["401k"] * n, "employment_status": ["separated"] * n,
        "separation_date": [dt.date(2025, 1, 1)] * n,
        "balance_elective_deferral": [50000.0] * n, "request_route": ["separation"] * n,
        "request_amount": [10000.0] * n, **columns})


def test_a_batch_row_reads_a_lower_case_state_as_its_capitals():
    law = default_law()
    lower = run_job(_book(state=["ny", "ca"]), "outcome", law).to_pylist()
    upper = run_job(_book(state=["NY", "CA"]), "outcome", law).to_pylist()
    assert [r["status"] for r in lower] == ["ok", "ok"]
    assert lower == upper


def test_a_batch_row_refuses_a_numeric_participant_id_in_the_same_words():
    out = run_job(_book(participant_id=pa.array([123, None], pa.int64())), "outcome",
                  default_law()).to_pylist()
    assert (out[0]["status"], out[0]["error_message"]) == ("error", f"participant_id: {TEXT}")


def test_the_batch_tax_job_refuses_a_numeric_participant_id_too():
    book = pa.table({"participant_id": pa.array([123], pa.int64()), "tax_year": [2026],
                     "filing_status": ["single"], "wages": [80_000.0]})
    out = run_job(book, "tax", default_law()).to_pylist()
    assert out[0]["status"] == "error"


@pytest.mark.parametrize(("value", "words"), [(123, TEXT), (False, "must be text")])
def test_a_tax_file_refuses_a_participant_id_that_is_not_text(tmp_path, value, words):
    """`dist401k tax` on a JSON file: a number (123: "000123" would have lost its zeros) or
    true/false as the identifier is refused naming the row and the field, exit 2, as
    ``POST /tax`` refuses it; text ("000123") is copied as written."""
    unit = {"tax_year": 2026, "filing_status": "single", "wages": 50_000}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{**unit, "participant_id": value}]))
    res = runner.invoke(cli, ["tax", str(bad)])
    assert res.exit_code == 2
    assert f"row 1, participant_id: {words}" in res.output
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{**unit, "participant_id": "000123"}]))
    res = runner.invoke(cli, ["tax", str(good), "-f", "json"])
    assert res.exit_code == 0
    assert json.loads(res.output)["results"][0]["participant_id"] == "000123"


# --- the published schemas say what the doors do ----------------------------------------------

def _openapi(client) -> dict:
    return client.get("/openapi.json").json()


def test_the_case_schema_says_a_state_is_read_in_any_case_and_an_id_is_text():
    schema = case_schema()
    person = schema["$defs"]["Person"]["properties"]
    assert '"ny" is read as NY' in person["state"]["description"]
    move = schema["$defs"]["StateMove"]["properties"]
    assert '"ny" is read as NY' in move["state"]["description"]
    ident = schema["properties"]["id"]
    assert {"type": "string", "maxLength": ident["anyOf"][0]["maxLength"]} == ident["anyOf"][0]
    assert "a number is refused" in ident["description"]


def test_the_tax_unit_schema_says_the_same(client):
    units = _openapi(client)["components"]["schemas"]["TaxRequest"]["properties"]["units"]
    props = units["items"]["properties"]
    # It said {"type": ["string", "integer"]}: 123 was valid by the schema and taken.
    assert props["participant_id"]["type"] == "string"
    assert "a number is refused" in props["participant_id"]["description"]
    assert '"ny" is read as NY' in props["state"]["description"]
