"""A number written as text is read by one rule in every door — a case file (``assess``), the
API (``POST /assess``, ``POST /tax``), a batch row, a ``tax`` table (DESIGN.md, "Bad input gets
a clear error … the same through every door"):

- a true/false field takes the words of docs/batch.md in any case, spaces around them ignored:
  ``1.0`` and ``0.0`` (as a spreadsheet writes 1 and 0) are true and false.  A book and ``tax``
  read them so; a case file and the API refused them ("is not true/false").
- ``1_000`` is no number (``tax`` refused it: "Python's float reads 1_000; no door does"); a
  case file, the API and a book read it as 1000.
- a whole-number field takes a number written ``1e1`` or ``3.`` as a book does (10 and 3), and
  its own check says whether it is whole; a case file said "is not a number".

The expected answers are the rule's, not the program's: a door given ``"1.0"`` answers as it
does given ``true``; a field given ``"1e1"`` answers as it does given 10."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import load_case
from dist401k.cli import app as cli
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "rule-of-55.yaml"
runner = CliRunner()
TRUE_TEXTS = ["1.0", " ON ", "Yes"]
FALSE_TEXTS = ["0.0", " off", "NO"]


@pytest.fixture
def client(tmp_path):
    return TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))


def _case(path: tuple[str, ...], value) -> dict:
    case = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
    where = case
    for k in path[:-1]:
        where = where.setdefault(k, {})
    where[path[-1]] = value
    return copy.deepcopy(case)


def _assess_file(tmp_path: Path, case: dict):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False))
    return runner.invoke(cli, ["assess", str(path), "-f", "json"])


def _row(**columns) -> pa.Table:
    """The rule-of-55 example as a book row."""
    base = {"participant_id": ["p"], "request_date": ["2026-11-23"], "birth_date": ["1970-08-20"],
            "plan_type": ["401k"], "employment_status": ["separated"],
            "separation_date": ["2026-03-31"], "hire_date": ["2004-01-05"],
            "filing_status": ["single"], "wages": [24000.0],
            "balance_elective_deferral": [310000.0], "request_amount": [40000.0]}
    return pa.table({**base, **columns})


def _tax_unit(**fields) -> dict:
    return {"tax_year": 2026, "filing_status": "single", "wages": 50000, **fields}


# -- true/false ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "truth"), [(t, True) for t in TRUE_TEXTS]
                         + [(t, False) for t in FALSE_TEXTS])
def test_a_case_file_reads_the_words_as_a_book_does(tmp_path, text, truth):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(_case(("person", "disabled"), text)))
    assert load_case(path).person.disabled is truth
    given, plain = _assess_file(tmp_path, _case(("person", "disabled"), text)), \
        _assess_file(tmp_path, _case(("person", "disabled"), truth))
    assert given.exit_code == 0, given.output
    assert json.loads(given.output) == json.loads(plain.output)


@pytest.mark.parametrize(("text", "truth"), [("1.0", True), ("0.0", False), (" ON ", True)])
def test_the_api_answers_the_text_as_the_boolean(client, text, truth):
    given = client.post("/assess", json=_case(("person", "disabled"), text))
    assert given.status_code == 200, given.text
    assert given.json() == client.post("/assess", json=_case(("person", "disabled"), truth)).json()
    # and the flag matters here: the answer for the other truth is not the same
    assert given.json() != client.post("/assess",
                                       json=_case(("person", "disabled"), not truth)).json()


@pytest.mark.parametrize(("text", "truth"), [("1.0", True), ("0.0", False)])
def test_a_book_and_tax_read_the_same_words(client, text, truth):
    law = default_law()
    (given,) = run_job(_row(disabled=[text]), "eligibility", law).to_pylist()
    (plain,) = run_job(_row(disabled=[truth]), "eligibility", law).to_pylist()
    assert given["status"] == "ok" and given == plain
    r = client.post("/tax", json={"units": [_tax_unit(blind_head=text)]})
    assert r.status_code == 200, r.text
    assert r.json() == client.post("/tax", json={"units": [_tax_unit(blind_head=int(truth))]}).json()


def test_a_number_that_is_not_0_or_1_is_no_truth_in_any_door(tmp_path, client):
    out = _assess_file(tmp_path, _case(("person", "disabled"), "2.0"))
    assert out.exit_code == 2 and "person.disabled: is not true/false" in out.output
    r = client.post("/assess", json=_case(("person", "disabled"), "2.0"))
    assert [(d["loc"], d["msg"]) for d in r.json()["detail"]] == [
        (["body", "person", "disabled"], "is not true/false")]
    (row,) = run_job(_row(disabled=["2.0"]), "eligibility", default_law()).to_pylist()
    assert row["error_message"] == "disabled: is not true/false"
    r = client.post("/tax", json={"units": [_tax_unit(blind_head="2.0")]})
    assert r.status_code == 422 and "blind_head" in r.text


# -- 1_000 ----------------------------------------------------------------------------------

def test_an_underscore_number_is_refused_in_every_door(tmp_path, client):
    out = _assess_file(tmp_path, _case(("request", "amount"), "40_000"))
    assert out.exit_code == 2, out.output
    assert "error: case.yaml: request.amount: is not a number" in out.output
    r = client.post("/assess", json=_case(("request", "amount"), "40_000"))
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "request", "amount"]]
    assert r.json()["detail"][0]["msg"].startswith("is not a number")
    (row,) = run_job(_row(request_amount=["40_000"]), "eligibility", default_law()).to_pylist()
    assert (row["status"], row["error_message"]) == ("error", "request_amount: is not a number")
    r = client.post("/tax", json={"units": [_tax_unit(wages="50_000")]})
    assert r.status_code == 422 and "is not a number" in r.text


# -- whole numbers -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [("1e1", 10), ("3.", 3), (" 2.0 ", 2)])
def test_a_whole_number_written_as_text_is_that_number(tmp_path, client, text, number):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(_case(("plan", "loans", "max_count"), text)))
    assert load_case(path).plan.loans.max_count == number
    r = client.post("/assess", json=_case(("plan", "loans", "max_count"), text))
    assert r.status_code == 200, r.text
    assert r.json() == client.post("/assess",
                                   json=_case(("plan", "loans", "max_count"), number)).json()
    law = default_law()
    (given,) = run_job(_row(loans_max_count=[text]), "eligibility", law).to_pylist()
    (plain,) = run_job(_row(loans_max_count=[number]), "eligibility", law).to_pylist()
    assert given["status"] == "ok" and given == plain


def test_a_fraction_is_no_whole_number_in_either_door(client):
    r = client.post("/assess", json=_case(("plan", "loans", "max_count"), "2.5"))
    assert [(d["loc"], d["msg"]) for d in r.json()["detail"]] == [
        (["body", "plan", "loans", "max_count"], "must be a whole number")]
    (row,) = run_job(_row(loans_max_count=["2.5"]), "eligibility", default_law()).to_pylist()
    assert row["error_message"] == "loans_max_count: must be a whole number"
