"""The batch door's words: a finished Dask run prints no warning, and a folder given to the
local engine is told what to run."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pyarrow as pa
import pytest
from batch_books import write_book
from typer.testing import CliRunner

from dist401k.case import load_case
from dist401k.cli import app
from dist401k.flat import _bools
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.synth import synth_table

SRC = Path(__file__).parents[2] / "src"
EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"

#: Makes every worker process (a child of the command) take 6 s to exit, as a worker on a
#: loaded machine does: the nanny waits 4 s, then kills it and logged "distributed.nanny -
#: WARNING - Worker process still alive after 4.0 seconds, killing".
SLOW_EXIT = """\
import atexit, multiprocessing, time


def _slow_exit():
    if multiprocessing.parent_process() is not None:
        time.sleep(6)


atexit.register(_slow_exit)
"""


def test_a_finished_dask_run_prints_no_warning(tmp_path):
    """The README's `dist401k batch book.parquet --job outcome -o out/ --engine dask
    --workers 2` ended a complete run with two "WARNING … killing" lines, which a user reads as
    a failure: stderr holds the progress bar and the summary only."""
    book = write_book(tmp_path / "book.parquet", 40, 20, bad=0.0)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_EXIT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(SRC)])}
    r = subprocess.run([sys.executable, "-m", "dist401k.cli", "batch", str(book), "--job",
                        "outcome", "-o", str(tmp_path / "out"), "--engine", "dask",
                        "--workers", "2"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "40 rows in = 40 results + 0 errors (all accounted for)" in r.stderr, r.stderr
    assert "WARNING" not in r.stderr, r.stderr
    assert "killing" not in r.stderr, r.stderr


def test_a_folder_output_without_dask_says_what_to_run(tmp_path):
    """`batch … -o out/` said only "batch output must be .parquet or .csv", while --help
    says a folder of partitions is the Dask engine's output: the line says so (exit 2)."""
    book = write_book(tmp_path / "book.parquet", 5, 5)
    (tmp_path / "made").mkdir()
    for out in ("out/", "made"):
        r = CliRunner().invoke(app, ["batch", str(book), "--job", "outcome", "-o",
                                     str(tmp_path / out)])
        assert r.exit_code == 2, r.output
        lines = r.output.strip().splitlines()
        assert len(lines) == 1, r.output
        name = out.rstrip("/")
        assert lines[0] == (f"error: {name}: batch output must be .parquet or .csv; a folder "
                            "output needs --engine dask"), r.output
    assert not (tmp_path / "out").exists()


# --- a book's cells: the words of its error rows, as the case door's ------------------------

LAW = default_law()


def _book(n: int = 1, **columns) -> pa.Table:
    """``n`` synthetic participants, the columns given replaced."""
    t = synth_table(n, seed=1)
    for name, values in columns.items():
        t = t.set_column(t.schema.get_field_index(name), name, values)
    return t


@pytest.mark.parametrize("job", ["rmd", "outcome"])
def test_an_id_that_is_not_utf8_makes_an_error_row_naming_participant_id(job):
    """Two ids of bytes that are not UTF-8 (b'\\xff\\xfe', b'\\xfe\\xff') came out as `ok` rows
    with the same id, U+FFFD U+FFFD, so their answers could not be matched back; the docs
    promise "text bytes that are not UTF-8 make their row an error row on their column"."""
    ids = pa.array([b"\xff\xfe", b"\xfe\xff", b"ok"], pa.binary())
    out = run_job(_book(3, participant_id=ids), job, LAW).to_pylist()
    for row in out[:2]:
        assert row["status"] == "error", row
        assert row["error_column"] == "participant_id"
        assert row["error_message"] == "participant_id: is not UTF-8 text"
        assert row["participant_id"] is None  # never two rows given the same made-up id
    assert out[2]["status"] == "ok" and out[2]["participant_id"] == "ok"
    assert [row["row"] for row in out] == [0, 1, 2]


def test_an_id_that_is_not_utf8_in_a_tax_table_makes_an_error_row():
    table = pa.table({"participant_id": pa.array([b"\xff", b"a"], pa.binary()),
                      "tax_year": [2026, 2026], "filing_status": ["single", "single"],
                      "wages": [50000.0, 50000.0]})
    bad, good = run_job(table, "tax", LAW).to_pylist()
    assert bad["status"] == "error" and bad["error_column"] == "participant_id"
    assert bad["error_message"] == "participant_id: is not UTF-8 text"
    assert good["status"] == "ok", good["error_message"]


def test_a_huge_vested_share_is_an_error_row_without_a_warning():
    """`vested_match=1e308` printed "flat.py:1021: RuntimeWarning: overflow encountered in
    multiply" and a source line on stderr; the error row is the whole answer."""
    table = _book(1, vested_match=pa.array([1e308]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (row,) = run_job(table, "outcome", LAW).to_pylist()
    assert row["status"] == "error" and row["error_column"] == "vested_match"
    assert row["error_message"] == "vested_match: must be a finite number no more than 1"


@pytest.mark.parametrize("cell", ["2026-13-01", "abc", "-5"])
def test_a_separation_date_that_is_not_a_date_is_told_so_once(cell):
    """A separated participant's `separation_date` typed wrong was told two things, one of them
    untrue: "is not a date (YYYY-MM-DD); separation_date: is required when separated"."""
    (row,) = run_job(_book(1, employment_status=pa.array(["separated"]),
                           separation_date=pa.array([cell])), "outcome", LAW).to_pylist()
    assert row["status"] == "error" and row["error_column"] == "separation_date"
    assert "is required" not in row["error_message"], row["error_message"]
    assert row["error_message"].startswith("separation_date: is not a "), row["error_message"]


def test_a_blank_separation_date_is_still_required():
    (row,) = run_job(_book(1, employment_status=pa.array(["separated"]),
                           separation_date=pa.array([None], pa.string())), "outcome",
                     LAW).to_pylist()
    assert row["error_message"] == "separation_date: is required when separated"


def _case_door(tmp_path: Path, word: str) -> bool:
    """person.disabled as the case door reads ``word`` (quoted: a string, as JSON gives it)."""
    text = (EXAMPLES / "rule-of-55.yaml").read_text().replace(
        "  filing_status: single\n", f"  filing_status: single\n  disabled: '{word}'\n")
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return load_case(path).person.disabled


@pytest.mark.parametrize("word", ["on", "ON", "off", "yes", "no", "t", "f", "1", "0"])
def test_a_true_false_word_reads_the_same_in_a_case_and_a_book(tmp_path, word):
    """`person.disabled: 'on'` was true in a case file and the API, while the same `on` in a
    book's `disabled` column was an error row ("disabled: is not true/false")."""
    case = _case_door(tmp_path, word)
    (row,) = run_job(_book(1, disabled=pa.array([word])), "eligibility", LAW).to_pylist()
    assert row["status"] == "ok", row["error_message"]
    true, _, bad = _bools(pa.array([word]))
    assert not bad[0] and bool(true[0]) is case
