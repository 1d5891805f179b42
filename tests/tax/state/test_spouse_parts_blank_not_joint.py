"""A state spouse column (``SPOUSE_PARTS``, ``spouse_plan_retirement_conditions_met``) left blank
(or ``null``) on a row whose filing status is not joint is no value, as the federal spouse
columns are (docs/tax.md), in the command, the batch ``tax`` job and ``POST /tax``; a value given
there is still refused, and a blank on a joint row still "is not a number".

The file of the review: a single filer and a joint couple in California, 2026, each with $50,000
of wages and a $10,000 plan distribution (federal AGI $60,000; no early distribution).  The
2026 California figures are 2025's carried (R&TC §17041, §17073.5, §17054; the FTB's 2025
figures): the single filer's 60,000 − 5,706 = 54,294 taxable; 1% of 11,079 + 2% of 15,185 + 4%
of 15,188 + 6% of 12,842 = 110.79 + 303.70 + 607.52 + 770.52 = 1,792.53, less the $153
exemption credit: $1,639.53.  The couple's 60,000 − 11,412 = 48,588; 1% of 22,158 + 2% of 26,430
= 221.58 + 528.60 = 750.18, less two credits ($306): $444.18 (the split by spouse changes no
California figure).  Federal (Rev. Proc. 2025-32 as amended by P.L. 119-21): 60,000 − 16,100 =
43,900, 10% of 12,400 + 12% of 31,500 = $5,020; 60,000 − 32,200 = 27,800, 10% of 24,800 + 12% of
3,000 = $2,840."""
from __future__ import annotations

import json

import pyarrow.csv as pacsv
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app

HEAD = "tax_year,filing_status,age_head,age_spouse,wages,taxable_distributions,state,spouse_wages\n"
SINGLE = "2026,single,60,,50000,10000,CA,{}\n"
JOINT = "2026,married_joint,60,58,50000,10000,CA,20000\n"
STATE_TAX = {"single": 1_639.53, "joint": 444.18}
INCOME_TAX = {"single": 5_020, "joint": 2_840}


def unit(status: str, spouse_wages, **more) -> dict:
    u = {"tax_year": 2026, "filing_status": status, "age_head": 60, "wages": 50_000,
         "taxable_distributions": 10_000, "state": "CA", "spouse_wages": spouse_wages, **more}
    if status == "married_joint":
        u["age_spouse"] = 58
    return u


def run_cli(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output


def cli_rows(path) -> tuple[int, list]:
    code, out = run_cli("tax", str(path), "--format", "json")
    return code, (json.loads(out)["results"] if code == 0 else out)


def figures(rows) -> list[tuple]:
    return [(r["income_tax"], pytest.approx(r["state_income_tax"], abs=0.005)) for r in rows]


WANT_BOTH = [(INCOME_TAX["single"], STATE_TAX["single"]), (INCOME_TAX["joint"], STATE_TAX["joint"])]


@pytest.mark.parametrize("cell", ["", "0"])
def test_the_command_reads_the_reviewers_file(tmp_path, cell):
    path = tmp_path / "b_sp.csv"
    path.write_text(HEAD + SINGLE.format(cell) + JOINT)
    code, rows = cli_rows(path)
    assert code == 0, rows
    assert figures(rows) == WANT_BOTH


def test_the_joint_row_alone_gives_the_same(tmp_path):
    path = tmp_path / "joint.csv"
    path.write_text(HEAD + JOINT)
    code, rows = cli_rows(path)
    assert code == 0, rows
    assert figures(rows) == [WANT_BOTH[1]]


def test_a_json_file_with_null(tmp_path):
    path = tmp_path / "b_sp.json"
    path.write_text(json.dumps([unit("single", None), unit("married_joint", 20_000)]))
    code, rows = cli_rows(path)
    assert code == 0, rows
    assert figures(rows) == WANT_BOTH


@pytest.mark.parametrize("value", [None, "", 0])
def test_post_tax(value):
    client = TestClient(create_app())
    r = client.post("/tax", json={"units": [unit("single", value),
                                            unit("married_joint", 20_000)]})
    assert r.status_code == 200, r.text
    assert figures(r.json()["results"]) == WANT_BOTH
    alone = client.post("/tax", json={"units": [unit("married_joint", 20_000)]})
    assert figures(alone.json()["results"]) == [WANT_BOTH[1]]


def batch(tmp_path, text: str) -> tuple[int, str, list]:
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    path.write_text(text)
    code, said = run_cli("batch", str(path), "--job", "tax", "-o", str(out))
    return code, said, pacsv.read_csv(out).to_pylist() if out.exists() else []


@pytest.mark.parametrize("cell", ["", "0"])
def test_the_batch_job(tmp_path, cell):
    code, said, rows = batch(tmp_path, HEAD + SINGLE.format(cell) + JOINT)
    assert code == 0, said
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert figures(rows) == WANT_BOTH
    code, said, alone = batch(tmp_path, HEAD + JOINT)
    assert figures(alone) == [WANT_BOTH[1]]


def test_a_value_on_a_single_row_is_still_refused(tmp_path):
    path = tmp_path / "five.csv"
    path.write_text(HEAD + SINGLE.format("5") + JOINT)
    code, out = run_cli("tax", str(path), "--format", "json")
    assert code == 2
    assert "row 1, spouse_wages: is given on a return that is not joint" in out
    r = TestClient(create_app()).post("/tax", json={"units": [unit("single", 5)]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "units", 0, "spouse_wages"]


def test_a_blank_on_a_joint_row_is_still_refused(tmp_path):
    path = tmp_path / "joint_blank.csv"
    path.write_text(HEAD + JOINT.replace(",20000", ","))
    code, out = run_cli("tax", str(path), "--format", "json")
    assert code == 2
    assert "row 1, spouse_wages: a blank value is not a number" in out
    r = TestClient(create_app()).post("/tax", json={"units": [unit("married_joint", None)]})
    assert r.status_code == 422
    code, said, rows = batch(tmp_path, HEAD.replace("tax_year", "participant_id,tax_year")
                             + "a," + SINGLE.format("") + "b," + JOINT.replace(",20000", ","))
    assert [r["status"] for r in rows] == ["ok", "error"]
    assert rows[1]["error_column"] == "spouse_wages"


def test_every_spouse_column_blank_on_a_single_row():
    """Each part and the spouse's retirement flag blank on a single row: as if 0 (false)."""
    from dist401k.tax.state.units import SPOUSE_FLAGS, SPOUSE_PARTS

    blanks = {name: None for name in SPOUSE_PARTS + SPOUSE_FLAGS}
    zeros = {name: 0 for name in SPOUSE_PARTS + SPOUSE_FLAGS}
    client = TestClient(create_app())
    r = client.post("/tax", json={"units": [{**unit("single", None), **blanks}]})
    assert r.status_code == 200, r.text
    z = client.post("/tax", json={"units": [{**unit("single", 0), **zeros}]})
    assert figures(r.json()["results"]) == figures(z.json()["results"]) == [WANT_BOTH[0]]
