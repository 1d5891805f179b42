"""A resume continues only a run of the same dist401k: the manifest records the program's
version beside the law's, and a resume by another version — or of a manifest that does not say
which version wrote it — is refused in one line, so one output never mixes partitions of two
programs (the auditor's run: parts of 0.1.0 and 0.2.0 in one folder)."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
from batch_books import write_plain_book

import dist401k
from dist401k.law import default_law
from dist401k.runner import run_manifest
from refusals import refused


def _interrupted(book, out, version: str | None) -> None:
    """``out`` as a killed Dask run of ``book`` by dist401k ``version`` leaves it (None: a
    manifest of a dist401k that did not record its version)."""
    out.mkdir()
    manifest = run_manifest(book.resolve(), "rmd", 1000, 2, default_law())
    manifest.pop("dist401k_version", None)
    if version is not None:
        manifest["dist401k_version"] = version
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=1))
    pq.write_table(pa.table({"row": [0]}), out / "part-00000.parquet")


def _resume(book, out, *expected: str) -> None:
    before = (out / "part-00000.parquet").read_bytes()
    output = refused(["batch", book, "--job", "rmd", "-o", out, "--engine", "dask", "--resume",
                      "--partition-rows", "1000"], *expected)
    assert [line.startswith("error: --resume:") for line in output.splitlines()
            if "error" in line] == [True]  # one line
    assert (out / "part-00000.parquet").read_bytes() == before
    assert not (out / "part-00001.parquet").exists()


def test_the_manifest_records_the_program_version(tmp_path):
    book = write_plain_book(tmp_path / "book.parquet", 1000, 1000)
    manifest = run_manifest(book.resolve(), "rmd", 1000, 1, default_law())
    assert manifest["dist401k_version"] == dist401k.__version__


def test_a_resume_by_another_version_is_refused(tmp_path, monkeypatch):
    book = write_plain_book(tmp_path / "book.parquet", 2000, 1000)
    out = tmp_path / "parts"
    _interrupted(book, out, "0.1.0")
    monkeypatch.setattr("dist401k.runner.__version__", "0.2.0")
    _resume(book, out, "dist401k 0.1.0", "0.2.0", "to start over")


def test_a_manifest_without_the_program_version_is_refused(tmp_path):
    book = write_plain_book(tmp_path / "book.parquet", 2000, 1000)
    out = tmp_path / "parts"
    _interrupted(book, out, None)
    _resume(book, out, "does not say which dist401k", "to start over")
