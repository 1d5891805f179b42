"""``spouse_plan_retirement_conditions_met`` given true (1) on a return that is not joint is
refused as a spouse's amount is there ("is given on a return that is not joint"): only a joint
return has a spouse, so the value would be dropped without a word (DESIGN.md: nothing is
silently ignored).  A blank, 0 or false there stays no value.  In ``dist401k tax`` (exit 2,
the row and the column named) and ``POST /tax`` (422 at the unit's field).

The accepted rows are those of tests/tax/state/test_spouse_parts_blank_not_joint.py (a single
filer in California, 2026, $50,000 of wages and a $10,000 plan distribution): $1,639.53 of
California tax, worked there by hand."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app

FLAG = "spouse_plan_retirement_conditions_met"
HEAD = f"tax_year,filing_status,age_head,wages,taxable_distributions,state,{FLAG}\n"
ROW = "2026,{status},60,50000,10000,CA,{cell}\n"
WORDS = "is given on a return that is not joint"


def unit(status: str, value) -> dict:
    return {"tax_year": 2026, "filing_status": status, "age_head": 60, "wages": 50_000,
            "taxable_distributions": 10_000, "state": "CA", FLAG: value}


def run_tax(tmp_path, text: str) -> tuple[int, str]:
    path = tmp_path / "units.csv"
    path.write_text(text)
    r = CliRunner().invoke(app, ["tax", str(path), "--format", "json"])
    return r.exit_code, r.output


@pytest.mark.parametrize("cell", ["1", "true"])
@pytest.mark.parametrize("status", ["single", "head_of_household", "married_separate"])
def test_the_command_refuses_it(tmp_path, cell, status):
    code, out = run_tax(tmp_path, HEAD + ROW.format(status=status, cell=cell))
    assert code == 2
    assert f"row 1, {FLAG}: {WORDS}" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("cell", ["", "0", "false"])
def test_the_command_takes_no_value(tmp_path, cell):
    code, out = run_tax(tmp_path, HEAD + ROW.format(status="single", cell=cell))
    assert code == 0, out
    assert json.loads(out)["results"][0]["state_income_tax"] == pytest.approx(1_639.53, abs=0.005)


def test_a_joint_row_takes_it(tmp_path):
    code, out = run_tax(tmp_path, HEAD.replace("age_head,", "age_head,age_spouse,")
                        + "2026,married_joint,60,58,50000,10000,CA,1\n")
    assert code == 0, out


@pytest.mark.parametrize("value", [True, 1])
def test_post_tax_refuses_it(value):
    r = TestClient(create_app()).post("/tax", json={"units": [unit("single", value)]})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["body", "units", 0, FLAG]
    assert WORDS in detail["msg"]


@pytest.mark.parametrize("value", [None, False, 0])
def test_post_tax_takes_no_value(value):
    r = TestClient(create_app()).post("/tax", json={"units": [unit("single", value)]})
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["state_income_tax"] == pytest.approx(1_639.53, abs=0.005)


def test_the_batch_job_gives_an_error_row(tmp_path):
    import pyarrow.csv as pacsv

    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    path.write_text("participant_id," + HEAD + "a," + ROW.format(status="single", cell="1")
                    + "b," + ROW.format(status="single", cell="0"))
    r = CliRunner().invoke(app, ["batch", str(path), "--job", "tax", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = pacsv.read_csv(out).to_pylist()
    assert [x["status"] for x in rows] == ["error", "ok"]
    assert rows[0]["error_column"] == FLAG
