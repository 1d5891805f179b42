"""A column written by a spreadsheet as ``0`` and ``TRUE`` (docs/batch.md, "From a spreadsheet":
the true/false words are read "whatever the other rows of the column hold"; docs/tax.md: a
0/1 flag, an amount a number).  The CSV parser typed such a column true/false, so its ``0``
cells became ``false``: a true/false column read them, but an amount column (a federal one,
or a state's own input in a table without a state) refused its ``0`` as "is not a number".
A JSON array mixing ``0.0`` and ``true`` in an amount column was read as 0.0 and 1.0 (the
``true`` taxed as a dollar), and JSON Lines mixing ``0`` and ``true`` was refused whole.

The figures are worked by hand: 2025, single, 60, wages $50,000 — standard deduction $15,750
(IRC §63(c)(2), OBBBA §70102), taxable income $34,250, tax 10% of $11,925 + 12% of $22,325 =
$1,192.50 + $2,679.00 = $3,871.50 (Rev. Proc. 2024-40 brackets); blind, plus the additional
$2,000 of an unmarried individual (§63(f)(2), (3); Rev. Proc. 2024-40 §3.15), taxable income
$32,250, tax $1,192.50 + 12% of $20,325 = $3,631.50.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.io.tables import read_csv_table, read_table

runner = CliRunner()

HEAD = "tax_year,filing_status,age_head,wages,taxable_distributions,early_distributions"
UNIT = "2025,single,60,50000,0,0"
NOT_BLIND, BLIND = 3871.50, 3631.50


def _tax(path: Path):
    return runner.invoke(app, ["tax", str(path), "--format", "json"])


def _figures(result) -> list[float]:
    assert result.exit_code == 0, result.output
    return [r["income_tax"] for r in json.loads(result.stdout)["results"]]


def _csv(tmp_path: Path, extra: str, cells: list[str], name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([f"{HEAD},{extra}"] + [f"{UNIT},{c}" for c in cells]) + "\n")
    return path


def test_a_flag_column_of_0_and_TRUE_reads_both_words(tmp_path):
    for cells in (["0", "TRUE"], ["FALSE", "1"], ["0", "Yes"], ["no", "true"], ["0", "1"]):
        assert _figures(_tax(_csv(tmp_path, "blind_head", cells))) == [NOT_BLIND, BLIND], cells


def test_an_amount_column_of_0_and_TRUE_refuses_TRUE_only(tmp_path):
    # The 0 is no income: only the TRUE cell, row 2, is not a number.
    r = _tax(_csv(tmp_path, "other_income", ["0", "TRUE"]))
    assert r.exit_code == 2
    assert "row 2, other_income: is not a number" in r.output
    assert "row 1" not in r.output


def test_a_state_input_of_0_and_TRUE_without_a_state_refuses_TRUE_only(tmp_path):
    # Without a state column a 0 is no value ("not blank, 0 or false", docs/tax.md).
    r = _tax(_csv(tmp_path, "spouse_wages", ["0", "TRUE"]))
    assert r.exit_code == 2
    assert "row 2, spouse_wages: is not a number" in r.output
    assert "row 1" not in r.output


def test_a_state_flag_of_0_and_TRUE_without_a_state_says_needs_a_state_on_TRUE_only(tmp_path):
    r = _tax(_csv(tmp_path, "yonkers_resident", ["0", "TRUE"]))
    assert r.exit_code == 2
    assert "row 2, yonkers_resident: needs a state: Yonkers is in New York" in r.output
    assert "row 1" not in r.output


def test_the_batch_tax_job_reads_0_and_TRUE_as_the_command_does(tmp_path):
    book = _csv(tmp_path, "blind_head,other_income", ["0,0", "TRUE,0", "0,TRUE"])
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["batch", str(book), "--job", "tax", "-o", str(out)])
    assert r.exit_code == 0, r.output
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [row["status"] for row in rows] == ["ok", "ok", "error"]
    assert [float(row["income_tax"]) for row in rows[:2]] == [NOT_BLIND, BLIND]
    assert rows[2]["error_column"] == "other_income"


def test_a_column_of_0_alone_stays_numbers_and_0_with_TRUE_is_text(tmp_path):
    table = read_csv_table(_csv(tmp_path, "other_income,blind_head", ["0,0", "0,TRUE"]))
    assert pa.types.is_integer(table.schema.field("other_income").type)
    assert table.column("blind_head").to_pylist() == ["0", "TRUE"]  # as written


def test_json_mixing_0_and_true_reads_as_csv_does(tmp_path):
    units = [json.loads('{"tax_year": 2025, "filing_status": "single", "age_head": 60, '
                        '"wages": 50000, "taxable_distributions": 0, "early_distributions": 0}')
             for _ in range(2)]
    flags = [{**units[0], "blind_head": 0}, {**units[1], "blind_head": True}]
    array = tmp_path / "flags.json"
    array.write_text(json.dumps(flags))
    lines = tmp_path / "flags.jsonl"  # Arrow's JSON reader refused the whole file
    lines.write_text("\n".join(json.dumps(u) for u in flags) + "\n")
    for path in (array, lines):
        assert _figures(_tax(path)) == [NOT_BLIND, BLIND], path.name
    # ``true`` in an amount column is not a number, never 1.0 beside a 0.0.
    amounts = tmp_path / "amounts.json"
    amounts.write_text(json.dumps([{**units[0], "other_income": 0.0},
                                   {**units[1], "other_income": True}]))
    r = _tax(amounts)
    assert r.exit_code == 2
    assert "row 2, other_income: is not a number" in r.output
    assert "row 1" not in r.output


def test_parquet_flags_as_booleans_or_words_give_the_same_figures(tmp_path):
    base = read_table(_csv(tmp_path, "blind_head", ["0", "1"]))
    for column in (pa.array([False, True]), pa.array(["0", "TRUE"]), pa.array([0, 1])):
        path = tmp_path / "units.parquet"
        pq.write_table(base.set_column(base.schema.get_field_index("blind_head"),
                                       "blind_head", column), path)
        assert _figures(_tax(path)) == [NOT_BLIND, BLIND], column.type
