"""A resume continues only the same book: the input is known by a SHA-256 of every byte, so a
value edited in place (the same size, the Parquet footer byte for byte the same) is found, and
a manifest of an earlier dist401k that recorded only the footer's digest is not trusted."""

from __future__ import annotations

import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_books import edit_in_place, footer, kill_dask_run, write_plain_book

from dist401k.io.identity import content_sha256, parquet_identity
from dist401k.law import default_law
from dist401k.runner import read_dataset, run_dask, run_manifest
from refusals import refused


def _interrupted(book, out, partitions: int = 3) -> None:
    """``out`` as a Dask run of ``book`` leaves it when killed after its first partition."""
    out.mkdir()
    manifest = run_manifest(book.resolve(), "rmd", 1000, partitions, default_law())
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=1))
    pq.write_table(pa.table({"row": [0]}), out / "part-00000.parquet")


def test_the_digest_is_of_every_byte_read_in_chunks(tmp_path):
    data = bytes(range(256)) * 5000 + b"tail"
    for name, body in (("book.parquet", data), ("book.csv", b"a,b\n1,2\n"), ("empty.csv", b"")):
        (tmp_path / name).write_bytes(body)
        want = hashlib.sha256(body).hexdigest()
        assert content_sha256(tmp_path / name) == want
        assert content_sha256(tmp_path / name, chunk=4096) == want


def test_a_book_edited_in_place_with_the_same_footer_is_refused(tmp_path):
    """The reviewer's edit: one value of row 2 changed in place, the same size, the footer
    byte for byte the same; the resume mixed the two books (row 2 from the old value)."""
    book = write_plain_book(tmp_path / "book.parquet", 3000, 1000)
    out = tmp_path / "parts"
    _interrupted(book, out)
    size, end = book.stat().st_size, footer(book)
    old, new = edit_in_place(book, row=2)
    assert book.stat().st_size == size and footer(book) == end
    assert pq.read_table(book, columns=["request_amount"]).column("request_amount")[2].as_py() == new != old
    before = (out / "part-00000.parquet").read_bytes()
    output = refused(["batch", book, "--job", "rmd", "-o", out, "--engine", "dask", "--resume",
                      "--partition-rows", "1000"],
                     "book.parquet has changed since the run began", "to start over, remove")
    assert [line.startswith("error: --resume:") for line in output.splitlines()
            if "error" in line] == [True]  # one line
    assert (out / "part-00000.parquet").read_bytes() == before
    with pytest.raises(ValueError, match="has changed since the run began"):
        run_dask(book, "rmd", out, partition_rows=1000, resume=True)


def test_a_manifest_without_the_content_digest_is_refused(tmp_path):
    """A manifest of the previous version (path, size, rows, footer_sha256) cannot show that
    the partitions written are of this content: refused, not trusted."""
    book = write_plain_book(tmp_path / "book.parquet", 2000, 1000)
    out = tmp_path / "parts"
    _interrupted(book, out, partitions=2)
    manifest = json.loads((out / "_manifest.json").read_text())
    manifest["input"].pop("sha256")
    manifest["input"]["footer_sha256"] = hashlib.sha256(footer(book)[:-8]).hexdigest()
    (out / "_manifest.json").write_text(json.dumps(manifest))
    output = refused(["batch", book, "--job", "rmd", "-o", out, "--engine", "dask", "--resume",
                      "--partition-rows", "1000"],
                     "_manifest.json has no SHA-256 of the input's content",
                     "earlier dist401k", "to start over")
    assert [line.startswith("error: --resume:") for line in output.splitlines()
            if "error" in line] == [True]  # one line
    (out / "_manifest.json").write_text("[]")  # JSON, but not a manifest
    refused(["batch", book, "--job", "rmd", "-o", out, "--engine", "dask", "--resume",
             "--partition-rows", "1000"], "no readable _manifest.json")


def test_the_manifest_records_the_content_digest(tmp_path):
    book = write_plain_book(tmp_path / "book.parquet", 1000, 1000)
    ident = parquet_identity(book)
    assert ident == {"path": str(book.resolve()), "size": book.stat().st_size, "rows": 1000,
                     "sha256": hashlib.sha256(book.read_bytes()).hexdigest()}


@pytest.mark.slow
def test_killed_run_of_a_book_edited_in_place_is_refused_then_starts_over(tmp_path):
    """As the reviewer did it: kill -9 after 3 partitions, edit row 2 in place, --resume."""
    book = write_plain_book(tmp_path / "book.parquet", 12_000, 1000)
    out = tmp_path / "parts"
    count = kill_dask_run(book, out, "outcome", workers=1, partition_rows=1000, after=3)
    assert 3 <= count < 12, f"kill landed after {count} of 12 partitions"
    end = footer(book)
    edit_in_place(book, row=2)
    assert footer(book) == end
    before = {p.name: p.read_bytes() for p in out.glob("part-*.parquet")}
    refused(["batch", book, "--job", "outcome", "-o", out, "--engine", "dask", "--resume",
             "--workers", "1", "--partition-rows", "1000"],
            "book.parquet has changed since the run began")
    assert {p.name: p.read_bytes() for p in out.glob("part-*.parquet")} == before
    # Started over, the output is of the edited book alone.
    s = run_dask(book, "outcome", tmp_path / "again", workers=1, partition_rows=1000)
    assert s.conserved and s.rows_in == 12_000
    rows = read_dataset(tmp_path / "again").column("row").to_pylist()
    assert rows == list(range(12_000))
