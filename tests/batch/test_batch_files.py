"""Batch files in and out: never over the input, whole or absent, a corrupt book refused whole,
a resume only of the same run, CSV cells safe in a spreadsheet, what made the output in its
metadata, and `synth`'s own checks."""

from __future__ import annotations

import errno
import json
import os
import socket
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from batch_books import kill_dask_run, write_book
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.runner import read_dataset, run_dask, run_manifest
from dist401k.synth import synth_table
from refusals import refused

runner = CliRunner()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return write_book(tmp_path_factory.mktemp("book") / "book.parquet", 3000, 1000)


def test_batch_never_writes_over_its_input(book, tmp_path, monkeypatch):
    before = book.read_bytes()
    monkeypatch.chdir(book.parent)
    (tmp_path / "alias.parquet").symlink_to(book)
    for out in (book, "book.parquet", "./x/../book.parquet", tmp_path / "alias.parquet"):
        refused(["batch", "book.parquet", "--job", "rmd", "-o", out], "is the input")
    refused(["batch", book, "--job", "rmd", "-o", book.parent, "--engine", "dask"],
            "holds the input")
    assert book.read_bytes() == before


def test_resume_on_the_local_engine_is_refused(book, tmp_path):
    refused(["batch", book, "--job", "rmd", "-o", tmp_path / "r.parquet", "--resume"],
            "--resume", "--engine dask")
    assert not (tmp_path / "r.parquet").exists()


def test_fail_on_errors_and_the_law_in_the_metadata(book, tmp_path):
    out = tmp_path / "r.parquet"
    r = runner.invoke(app, ["batch", str(book), "--job", "rmd", "-o", str(out)])
    assert r.exit_code == 0 and "errors (all accounted for)" in r.output, r.output
    made = json.loads(pq.read_schema(out).metadata[b"dist401k"])
    assert made["law_version"] == default_law().version and made["job"] == "rmd"
    assert made["options"] == {"engine": "local", "partition_rows": 250_000}
    r = runner.invoke(app, ["batch", str(book), "--job", "rmd", "-o", str(out),
                            "--fail-on-errors"])
    assert r.exit_code == 1, r.output
    clean = write_book(tmp_path / "clean.parquet", 200, 200, bad=0.0)
    r = runner.invoke(app, ["batch", str(clean), "--job", "rmd", "-o", str(tmp_path / "c.csv"),
                            "--fail-on-errors"])
    assert r.exit_code == 0, r.output


def test_progress_ends_on_the_real_rate_when_piped(book, tmp_path):
    r = runner.invoke(app, ["batch", str(book), "--job", "rmd", "-o", str(tmp_path / "r.csv"),
                            "--partition-rows", "5000"])
    assert r.exit_code == 0, r.output
    bar = next(line for line in r.output.splitlines() if "rows/s" in line and "/3000" in line)
    assert " 0 rows/s" not in bar and "— rows/s" not in bar, bar


def test_csv_output_neutralises_participant_ids(tmp_path):
    t = synth_table(4, seed=1)
    ids = ["=HYPERLINK(\"http://x\",\"y\")", "+A1+B1", "@A1", "-7"]
    t = t.set_column(t.column_names.index("participant_id"), "participant_id", pa.array(ids))
    src = tmp_path / "in.csv"
    pacsv.write_csv(t, src)
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["batch", str(src), "--job", "eligibility", "-o", str(out)])
    assert r.exit_code == 0, r.output
    got = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(
        column_types={"participant_id": pa.string()})).column("participant_id").to_pylist()
    assert got == ["'" + ids[0], "'+A1+B1", "'@A1", "-7"]  # a number stays a number
    assert ",-0," not in out.read_text() and ",-0\n" not in out.read_text()


def corrupt_page(src: Path, dst: Path) -> Path:
    """The book with bytes in its second half overwritten: a page that cannot be decoded."""
    data = bytearray(src.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 2000] = b"\x55" * 2000
    dst.write_bytes(bytes(data))
    return dst


def test_corrupt_page_refuses_the_book_and_writes_nothing(book, tmp_path):
    bad = corrupt_page(book, tmp_path / "bad.parquet")
    out = tmp_path / "out" / "r.parquet"
    out.parent.mkdir()
    refused(["batch", bad, "--job", "rmd", "-o", out, "--partition-rows", "1000"],
            "bad.parquet", "cannot be read", "refused whole")
    assert list(out.parent.iterdir()) == []


@pytest.mark.slow
def test_corrupt_page_refuses_a_dask_run(book, tmp_path):
    bad = corrupt_page(book, tmp_path / "bad.parquet")
    refused(["batch", bad, "--job", "rmd", "-o", tmp_path / "parts", "--engine", "dask",
             "--workers", "1", "--partition-rows", "1000"], "bad.parquet", "cannot be read",
            "refused whole", "parts is incomplete")
    assert not any((tmp_path / "parts").glob("*.tmp-*"))


def test_corrupt_footer_or_a_folder_is_refused(book, tmp_path):
    data = bytearray(book.read_bytes())
    length = int.from_bytes(data[-8:-4], "little")
    data[-8 - length:-8 - length + 200] = b"\xff" * 200
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(data))
    refused(["batch", bad, "--job", "rmd", "-o", tmp_path / "r.parquet"], "bad.parquet",
            "cannot be read")
    folder = tmp_path / "dir.parquet"
    folder.mkdir()
    refused(["batch", folder, "--job", "rmd", "-o", tmp_path / "r.parquet"], "is a folder")
    assert not (tmp_path / "r.parquet").exists()


def test_full_disk_mid_run_leaves_no_output(book, tmp_path, monkeypatch):
    real = pq.ParquetWriter.write_table
    calls = []

    def second_fails(self, table, *a, **k):
        calls.append(1)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, table, *a, **k)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", second_fails)
    out = tmp_path / "out"
    out.mkdir()
    refused(["batch", book, "--job", "rmd", "-o", out / "r.parquet", "--partition-rows", "1000"],
            "cannot write", "No space left")
    assert list(out.iterdir()) == []


def test_dask_output_that_cannot_be_written(book, tmp_path, monkeypatch):
    real = Path.write_text

    def no_manifest(self, *a, **k):
        if "_manifest" in self.name:  # written under ._manifest.partial-RANDOM.json, renamed
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "write_text", no_manifest)
    refused(["batch", book, "--job", "rmd", "-o", tmp_path / "parts", "--engine", "dask"],
            "cannot write", "Read-only file system")
    assert not (tmp_path / "parts").exists()  # the folder this run made is removed


def test_an_unreachable_scheduler_is_one_line_and_leaves_no_output(book, tmp_path):
    """Nothing listening at --scheduler said "cannot write elig2: OSError" after 30 s and left
    a manifest of a run that never started: it names the scheduler and writes nothing."""
    import dask

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    out = tmp_path / "elig2"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        output = refused(["batch", book, "--job", "eligibility", "-o", out, "--engine", "dask",
                          "--scheduler", address],
                         f"the Dask scheduler at {address} could not be reached")
    assert "cannot write" not in output and not out.exists()
    refused(["batch", book, "--job", "eligibility", "-o", out, "--engine", "dask",
             "--scheduler", "xyz://host:1"], "--scheduler: xyz://host:1 is not the address")
    assert not out.exists()


@pytest.mark.parametrize("name", ["elig.csv", "elig.parquet", "elig.json", "elig.TXT"])
def test_a_dask_output_named_like_a_file_is_refused(book, tmp_path, name):
    """A Dask run writes a folder: `-o elig.csv` made a folder named elig.csv."""
    refused(["batch", book, "--job", "eligibility", "-o", tmp_path / name, "--engine", "dask"],
            "a Dask run writes a folder of Parquet partitions", "give a folder name")
    assert not (tmp_path / name).exists()


def test_batch_refusals_name_only_the_files_batch_reads_and_writes(book, tmp_path):
    """`-o x.txt` said "(use .csv, .parquet or .json)" but a .json output is refused too."""
    for name in ("x.txt", "rmd.json", "noext"):
        output = refused(["batch", book, "--job", "rmd", "-o", tmp_path / name],
                         f"{name}: batch output must be .parquet or .csv")
        assert "(use" not in output and not (tmp_path / name).exists()
    (tmp_path / "book.txt").write_text("a,b\n1,2\n")
    output = refused(["batch", tmp_path / "book.txt", "--job", "rmd", "-o",
                      tmp_path / "r.csv"], "book.txt: batch input must be .parquet or .csv")
    assert ".json" not in output


def test_resume_with_another_book_is_refused_before_any_work(book, tmp_path):
    other = write_book(tmp_path / "other.parquet", 3000, 1000, seed=5)
    out = tmp_path / "parts"
    out.mkdir()
    manifest = run_manifest(book.resolve(), "rmd", 1000, 3, default_law())
    (out / "_manifest.json").write_text(json.dumps(manifest))
    pq.write_table(pa.table({"row": [0]}), out / "part-00000.parquet")
    with pytest.raises(ValueError, match="made by another run.*input.sha256"):
        run_dask(other, "rmd", out, partition_rows=1000, resume=True)
    with pytest.raises(ValueError, match="options.partition_rows: 1000 → 1500"):
        run_dask(book, "rmd", out, partition_rows=1500, resume=True)
    (out / "_manifest.json").unlink()
    with pytest.raises(ValueError, match="no readable _manifest.json"):
        run_dask(book, "rmd", out, partition_rows=1000, resume=True)


@pytest.mark.slow
def test_killed_run_resumed_with_another_book_is_refused(tmp_path):
    a = write_book(tmp_path / "a.parquet", 30_000, 1000, seed=9)
    b = write_book(tmp_path / "b.parquet", 30_000, 1000, seed=10)
    out = tmp_path / "parts"
    count = kill_dask_run(a, out, "rmd", workers=1, partition_rows=1000, after=2)
    assert 2 <= count < 30, f"kill landed after {count} of 30 partitions"
    written = sorted(out.glob("part-*.parquet"))
    before = {p.name: p.read_bytes() for p in written}
    output = refused(["batch", b, "--job", "rmd", "-o", out, "--engine", "dask", "--resume",
                      "--partition-rows", "1000"], "--resume", "input.sha256",
                     "input.path")
    assert "all accounted for" not in output
    assert {p.name: p.read_bytes() for p in out.glob("part-*.parquet")} == before
    s = run_dask(a, "rmd", out, workers=1, partition_rows=1000, resume=True)
    assert s.conserved and s.rows_in == 30_000
    rows = read_dataset(out)
    assert rows.column("row").to_pylist() == list(range(30_000))
    assert rows.column("participant_id").to_pylist() == pq.read_table(
        a, columns=["participant_id"]).column("participant_id").to_pylist()


# --- synth --------------------------------------------------------------------------------------


def test_synth_default_name_and_counts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["synth", "50", "--seed", "3"])
    assert r.exit_code == 0, r.output
    assert pq.read_table(tmp_path / "synth-50-seed3.parquet").num_rows == 50
    for args in (["0"], ["10", "--chunk", "0"], ["10", "--chunk", "-5"],
                 ["10", "--chunk", "100000000"], ["--", "-3"], ["10", "--bad-fraction", "nan"],
                 ["10", "--bad-fraction", "2"], ["10", "-o", "x.json"]):
        refused(["synth", *args], "error")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synth-50-seed3.parquet"]


def test_csv_words_nan_and_na_are_values_not_blanks(tmp_path):
    # Only a blank CSV cell means "not given" (for request_amount: the most available); the
    # words nan, NA and null used to be read as blanks, so "nan" was answered as the maximum.
    table = synth_table(4, seed=3, bad_fraction=0.0).to_pylist()
    for row, word in zip(table, ["nan", "NA", None, "null"], strict=True):
        row["request_amount"] = word
    src = tmp_path / "book.csv"
    pacsv.write_csv(pa.Table.from_pylist(
        [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in table]), src)
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["batch", str(src), "--job", "outcome", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(
        strings_can_be_null=True)).to_pylist()
    assert [x["status"] for x in rows] == ["error", "error", "ok", "error"]
    assert all(x["error_message"].startswith("request_amount:")
               for x in rows if x["status"] == "error")
