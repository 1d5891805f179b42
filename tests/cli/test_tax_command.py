"""`dist401k tax FILE`: CSV, Parquet and JSON in and out; errors name the row and column."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dist401k.cli import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "households.csv"
runner = CliRunner()


def test_table_on_the_terminal():
    r = runner.invoke(app, ["tax", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    assert "income tax" in r.output and "2030*" in r.output and "projected law" in r.output


@pytest.mark.parametrize("ext", ["csv", "parquet", "json"])
def test_outputs_in_each_format(tmp_path, ext):
    out = tmp_path / f"out.{ext}"
    r = runner.invoke(app, ["tax", str(EXAMPLE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    if ext == "parquet":
        rows = pq.read_table(out).to_pylist()
    elif ext == "json":
        rows = json.loads(out.read_text())
    else:
        import pyarrow.csv as pacsv
        rows = pacsv.read_csv(out).to_pylist()
    assert len(rows) == 10
    for name in ("agi", "taxable_income", "regular_tax", "amt", "niit", "additional_tax_72t",
                 "income_tax", "projected"):
        assert name in rows[0]
    first = rows[0]
    # Row 1: single 2025, wages 72,000 + interest 300 + early distribution 20,000.
    assert first["agi"] == pytest.approx(92_300)
    assert first["additional_tax_72t"] == pytest.approx(2_000)
    assert first["income_tax"] == pytest.approx(first["regular_tax"] + 2_000)
    assert rows[8]["projected"] in (True, "true", 1)


def test_json_input_round_trip(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(json.dumps([{"tax_year": 2026, "filing_status": "single", "wages": 80_000}]))
    out = tmp_path / "out.json"
    r = runner.invoke(app, ["tax", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    row = json.loads(out.read_text())[0]
    # 80,000 − 16,100 = 63,900: 1,240 + 12% × 38,000 + 22% × 13,500 = 8,770.
    assert row["income_tax"] == pytest.approx(8_770)


def test_bad_rows_exit_non_zero_naming_row_and_column(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("tax_year,filing_status,wages\n2025,single,100\n2025,single,-3\n2019,widow,5\n")
    r = runner.invoke(app, ["tax", str(src)])
    assert r.exit_code == 2
    assert "row 2, wages: is negative" in r.output
    assert "row 3, tax_year: is not a year" in r.output
    assert "row 3, filing_status: is not a filing status" in r.output


def test_blank_cell_is_an_error_not_a_zero(tmp_path):
    src = tmp_path / "blank.csv"
    src.write_text("tax_year,filing_status,wages\n2025,single,\n")
    r = runner.invoke(app, ["tax", str(src)])
    assert r.exit_code == 2 and "row 1, wages: a blank value" in r.output


def test_missing_column_and_unknown_format(tmp_path):
    src = tmp_path / "nofs.csv"
    src.write_text("tax_year,wages\n2025,1\n")
    r = runner.invoke(app, ["tax", str(src)])
    assert r.exit_code == 2 and "filing_status: required column is missing" in r.output
    r = runner.invoke(app, ["tax", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "unknown file type" in r.output


def test_the_help_lists_every_input_column_it_reads():
    """docs/tax.md says `dist401k tax --help` lists the state input columns: the help listed
    only the options.  It lists every column the command's check accepts."""
    from dist401k.input_columns import tax_columns

    r = runner.invoke(app, ["tax", "--help"], env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    words = set(re.findall(r"[a-z0-9_]+", r.output))
    missing = sorted(c for c in tax_columns() if c not in words)
    assert missing == [], missing
    for name in ("secure2_excepted_distributions", "state_basis_recovered",
                 "plan_retirement_conditions_met", "governmental_plan", "periodic_payments"):
        assert name in r.output


def test_a_json_answer_given_as_input_is_named_so(tmp_path):
    """`tax --format json` prints one object, its rows under `results` beside the versions (the
    shape of POST /tax).  Given back as input it is refused in one line that says what it is —
    not "tax_year: required column is missing" (its one row would have been the whole object)."""
    first = runner.invoke(app, ["tax", str(EXAMPLE), "-f", "json"])
    assert first.exit_code == 0, first.output
    assert set(json.loads(first.output)) >= {"results", "law_version", "dist401k_version"}
    back = tmp_path / "answer.json"
    back.write_text(first.output)
    again = runner.invoke(app, ["tax", str(back)])
    assert again.exit_code == 2
    assert "is an answer of dist401k" in again.output and "required column" not in again.output
    # An object that is not an answer (no `results` array) is still one JSON Lines row.
    lone = tmp_path / "lone.json"
    lone.write_text('{"tax_year": 2026, "filing_status": "single", "wages": 50000}\n')
    assert runner.invoke(app, ["tax", str(lone), "-f", "json"]).exit_code == 0


@pytest.mark.parametrize("ext", ["csv", "json"])
def test_an_output_file_given_back_is_named_an_answer_not_misspelled_inputs(tmp_path, ext):
    """The `-o` file given back as input was refused with one "did you mean" a figure
    (`taxable_income`: "did you mean `parent_taxable_income`?", `income_tax`: "did you mean
    `federal_income_tax`?", an Oregon input) while `agi` went through to be copied beside the
    new `agi`.  It is one problem: the file holds the answer's figures."""
    out = tmp_path / f"out.{ext}"
    assert runner.invoke(app, ["tax", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    again = runner.invoke(app, ["tax", str(out)])
    assert again.exit_code == 2
    text = " ".join(again.output.split())
    assert "holds figures dist401k tax gives, not reads (`agi`," in text, text
    assert "did you mean" not in text and "keep its input columns only" in text

