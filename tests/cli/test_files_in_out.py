"""Files in and out of the commands: a bad file gets one line and exit status 2, never a
traceback; no command writes over its input; an output is whole under its final name or absent;
CSV text cells cannot become spreadsheet formulas."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

from dist401k.cli import app

ROOT = Path(__file__).parents[2]
HOUSEHOLDS = ROOT / "examples" / "households.csv"
CASE = ROOT / "examples" / "cases" / "rule-of-55.yaml"
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
runner = CliRunner()


def refused(args: list[str], *expected: str) -> str:
    """Run the command: exit status 2, no traceback, one `error:` line holding ``expected``."""
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    errors = [line for line in r.output.splitlines() if "error" in line]
    assert errors, r.output
    for text in expected:
        assert text in r.output, r.output
    return r.output


def only(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --- case files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "birth_date: caf\xe9\n"
                                     .encode("latin-1")], ids=["binary", "latin-1"])
@pytest.mark.parametrize("command", ["assess", "compare", "sepp"])
def test_case_file_not_utf8(tmp_path, command, content):
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    refused([command, str(path)], "case.yaml", "not UTF-8")


@pytest.mark.parametrize("command", ["assess", "compare", "plan"])
def test_case_file_is_a_folder(tmp_path, command):
    folder = tmp_path / "case.yaml"
    folder.mkdir()
    refused([command, str(folder)], "case.yaml", "is a folder")


@pytest.mark.parametrize("suffix,text", [
    (".yaml", "person: " + "[" * 950 + "]" * 950 + "\n"),
    (".yaml", "person:\n" + "".join("  " * i + "a:\n" for i in range(1, 950)) + "  " * 950
     + "b: 1\n"),
    (".json", '{"person": ' + '{"a": ' * 950 + "1" + "}" * 950 + "}"),
    (".json", '{"person": ' + "[" * 5000 + "]" * 5000 + "}"),
], ids=["yaml-flow", "yaml-block", "json-900", "json-5000"])
def test_case_file_nested_hundreds_deep(tmp_path, suffix, text):
    path = tmp_path / f"deep{suffix}"
    path.write_text(text)
    refused(["assess", str(path)], f"deep{suffix}", "nests deeper than")


@pytest.mark.parametrize("date", ["2026-02-30", "1970-13-01"])
def test_unquoted_impossible_yaml_date_is_a_field_error(tmp_path, date):
    text = CASE.read_text().replace("birth_date: 1970-08-20", f"birth_date: {date}")
    assert date in text
    path = tmp_path / "case.yaml"
    path.write_text(text)
    refused(["assess", str(path)], "person.birth_date")


def test_unquoted_real_yaml_dates_still_read_as_dates():
    r = runner.invoke(app, ["assess", "--format", "json", str(CASE)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["request_date"] == "2026-11-23"


# --- tables -------------------------------------------------------------------------------------


def test_table_is_a_folder_or_corrupt(tmp_path):
    (tmp_path / "units.csv").mkdir()
    refused(["tax", str(tmp_path / "units.csv")], "units.csv", "is a folder")
    bad = tmp_path / "units.parquet"
    bad.write_bytes(b"PAR1" + os.urandom(200) + b"\x10\x00\x00\x00PAR1")
    refused(["tax", str(bad)], "units.parquet", "cannot be read as PARQUET")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0.31"])
def test_tax_inflation_must_be_a_sane_rate(value):
    refused(["tax", str(HOUSEHOLDS), f"--inflation={value}"], "--inflation")


def test_tax_inflation_in_range_is_used():
    r = runner.invoke(app, ["tax", str(HOUSEHOLDS), "--inflation", "0.03"])
    assert r.exit_code == 0 and "3.0% a year" in r.output, r.output


# --- never over an input ------------------------------------------------------------------------


def test_tax_refuses_to_write_over_its_input(tmp_path, monkeypatch):
    src = tmp_path / "units.csv"
    src.write_bytes(HOUSEHOLDS.read_bytes())
    before = src.read_bytes()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(src)
    os.link(src, tmp_path / "hard.csv")
    monkeypatch.chdir(tmp_path)
    for out in ("units.csv", str(src), "sub/../units.csv", "link.csv", "hard.csv"):
        refused(["tax", "units.csv", "-o", out], "is the input")
    refused(["tax", "link.csv", "-o", "units.csv"], "is the input")
    assert src.read_bytes() == before


def test_report_and_plan_refuse_to_write_over_their_input(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_bytes(CASE.read_bytes())
    refused(["report", str(case), "-o", str(case)], "is the input")
    assert case.read_bytes() == CASE.read_bytes()
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(PLAN.read_bytes())
    (tmp_path / "plan.html").symlink_to(plan)
    refused(["plan", str(plan), "-o", str(tmp_path / "plan.html"), "--no-monte-carlo"],
            "is the input")
    assert plan.read_bytes() == PLAN.read_bytes()


def test_output_into_a_missing_folder(tmp_path):
    refused(["report", str(CASE), "-o", str(tmp_path / "missing" / "x.html")], "missing",
            "does not exist")
    refused(["tax", str(HOUSEHOLDS), "-o", str(tmp_path / "missing" / "x.csv")],
            "does not exist")
    refused(["synth", "10", "-o", str(tmp_path / "missing" / "b.parquet")], "does not exist")


# --- whole or absent ----------------------------------------------------------------------------


def full_disk(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("ext", ["csv", "parquet", "json"])
def test_tax_output_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch, ext):
    import pyarrow.parquet as pq

    def half_written(table, where, *a, **k):
        Path(where).write_text("agi,tax\n1,")  # what a full disk leaves
        full_disk()

    monkeypatch.setattr(pacsv, "write_csv", half_written)
    monkeypatch.setattr(pq, "write_table", half_written)
    monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: (
        open(self, "w").write("[{") and full_disk()))
    out = tmp_path / f"out.{ext}"
    refused(["tax", str(HOUSEHOLDS), "-o", str(out)], "cannot write", "No space left")
    assert only(tmp_path) == set()


def test_report_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch):
    import dist401k.report

    def half_written(cmp, output, case=None):
        Path(output).write_text("<html><body>")
        full_disk()

    monkeypatch.setattr(dist401k.report, "write_report", half_written)
    refused(["report", str(CASE), "-o", str(tmp_path / "r.html")], "No space left")
    assert only(tmp_path) == set()


def test_synth_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    real = pq.ParquetWriter.write_table
    calls = []

    def second_fails(self, table, *a, **k):
        calls.append(1)
        if len(calls) > 1:
            full_disk()
        return real(self, table, *a, **k)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", second_fails)
    refused(["synth", "300", "--chunk", "100", "-o", str(tmp_path / "b.parquet")],
            "No space left")
    assert only(tmp_path) == set()


def test_rename_refused_leaves_nothing(tmp_path, monkeypatch):
    # A folder that lets the temporary file be written but not renamed (as a read-only folder
    # does for a user who is not root).
    import dist401k.io.outputs as outputs

    def read_only(src, dst):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(outputs.os, "replace", read_only)
    refused(["tax", str(HOUSEHOLDS), "-o", str(tmp_path / "out.parquet")], "cannot write",
            "Permission denied")
    refused(["synth", "10", "-o", str(tmp_path / "b.csv")], "Permission denied")
    assert only(tmp_path) == set()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into a read-only folder")
def test_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        refused(["tax", str(HOUSEHOLDS), "-o", str(ro / "out.csv")], "cannot write")
        refused(["report", str(CASE), "-o", str(ro / "r.html")], "cannot write")
        refused(["synth", "10", "-o", str(ro / "b.parquet")], "cannot write")
        assert only(ro) == set()
    finally:
        ro.chmod(0o755)


# --- CSV --------------------------------------------------------------------------------------


def test_tax_csv_output_neutralises_formulas_and_negative_zero(tmp_path):
    src = tmp_path / "units.csv"
    src.write_text("name,tax_year,filing_status,wages,note\n"
                   '"=HYPERLINK(""http://x"",""y"")",2026,single,50000,+1+2\n'
                   "@SUM(A1),2026,single,0,-3.5\n")
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["tax", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = pacsv.read_csv(out).to_pylist()
    assert rows[0]["name"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert rows[0]["note"] == "'+1+2"
    assert rows[1]["name"] == "'@SUM(A1)"
    assert rows[1]["note"] == "-3.5" or rows[1]["note"] == -3.5  # a number stays a number
    assert rows[0]["wages"] == 50000
    text = out.read_text()
    assert ",-0," not in text and not text.rstrip().endswith(",-0")


def test_csv_safe_keeps_numbers_and_plain_text():
    from dist401k.io.tables import csv_safe

    t = pa.table({"s": ["ok", "-2", "1e5", "\tx", "\rx", "-", None], "x": [-0.0, -1.5, 0.0, 1.0,
                                                                          2.0, 3.0, None]})
    out = csv_safe(t)
    assert out.column("s").to_pylist() == ["ok", "-2", "1e5", "'\tx", "'\rx", "'-", None]
    assert [str(v) for v in out.column("x").to_pylist()] == ["0.0", "-1.5", "0.0", "1.0", "2.0",
                                                              "3.0", "None"]
