"""`dist401k tax` and ``POST /tax`` list every problem of every row, the federal ones and the
state's, as the batch ``tax`` job does and in its words (docs/tax.md: "Every problem is listed,
not just the first").

The reviewer's row: ``2026,single,45,-5,ZZ`` (tax_year, filing_status, age_head, wages, state).
Two things are wrong with it, each by the input rules alone: wages of -5 (an amount is 0 or
more) and ``ZZ``, which is no USPS state code.  The command printed only the wages line and the
API's 422 named only ``wages`` — the state's inputs were checked only once the federal ones
passed — while the batch named both."""

from __future__ import annotations

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store

runner = CliRunner()
WAGES = "is negative (amounts must be 0 or more)"
STATE = "is not a US state code (two letters: CA, NY, DC …)"
ROW = {"tax_year": 2026, "filing_status": "single", "age_head": 45, "wages": -5, "state": "ZZ"}
GOOD = {"tax_year": 2026, "filing_status": "single", "age_head": 45, "wages": 10, "state": "CA"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


def test_the_command_lists_the_federal_and_the_state_problem(tmp_path):
    path = tmp_path / "tax3.csv"
    path.write_text("tax_year,filing_status,age_head,wages,state\n2026,single,45,-5,ZZ\n")
    r = runner.invoke(app, ["tax", str(path), "-f", "csv"])
    assert r.exit_code == 2, r.output
    assert "2 problem(s) in the input" in r.output
    assert f"row 1, wages: {WAGES}" in r.output
    assert f"row 1, state: {STATE}" in r.output


def test_every_row_is_listed_each_problem_once(tmp_path):
    """Row 2 is good; row 3's age, which both the federal and the state check read, is said
    once; row 4's state alone is wrong."""
    path = tmp_path / "tax4.csv"
    path.write_text("tax_year,filing_status,age_head,wages,state\n2026,single,45,-5,ZZ\n"
                    "2026,single,45,10,CA\n2026,single,x,10,NY\n2026,single,45,10,QQ\n")
    r = runner.invoke(app, ["tax", str(path), "-f", "csv"])
    assert r.exit_code == 2, r.output
    lines = [x.strip() for x in r.output.splitlines() if x.strip().startswith("row ")]
    assert lines == [f"row 1, wages: {WAGES}", f"row 1, state: {STATE}",
                     "row 3, age_head: is not a number", f"row 4, state: {STATE}"]


def test_the_api_is_422_naming_both_fields(client):
    r = client.post("/tax", json={"units": [GOOD, ROW]})
    assert r.status_code == 422, r.text
    detail = [(d["loc"], d["msg"]) for d in r.json()["detail"]]
    assert detail == [(["body", "units", 1, "wages"], WAGES),
                      (["body", "units", 1, "state"], STATE)]


def test_the_batch_says_the_same_words():
    out = run_job(pa.Table.from_pylist([ROW]), "tax", default_law()).to_pylist()
    assert out[0]["status"] == "error"
    assert out[0]["error_message"] == f"wages: {WAGES}; state: {STATE}"
