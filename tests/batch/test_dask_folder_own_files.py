"""A Dask run's output folder holds only that run's files: one that already holds anything else
(another book's Parquet file, a note) is refused before anything is written, since every Parquet
reader the docs name reads every file of the folder (the admin review: ``pyarrow.dataset`` read
20 rows for a 10-row run, with the other book's schema).  A folder the run itself left (its
partitions, its manifest, their temporary files) is still resumed."""

from __future__ import annotations

import json
import shutil

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from batch_books import write_plain_book

from dist401k.law import default_law
from dist401k.runner import check_own_folder, read_dataset, run_dask, run_manifest
from refusals import refused


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return write_plain_book(tmp_path_factory.mktemp("b") / "book.parquet", 30, 10)


@pytest.mark.parametrize("name", ["other.parquet", "notes.txt", ".DS_Store"])
def test_a_folder_holding_another_file_is_refused_and_left_as_it_was(book, tmp_path, name):
    out = tmp_path / "dd2"
    out.mkdir()
    shutil.copy(book, out / name)  # the reviewer's: a 10-row plan book already in the folder
    output = refused(["batch", book, "--job", "rmd", "-o", f"{out}/", "--engine", "dask",
                      "--workers", "1"], str(out), name, "choose a new or empty output folder")
    assert [line.startswith("error:") for line in output.splitlines() if line.strip()] == [True]
    assert sorted(p.name for p in out.iterdir()) == [name]  # no manifest, no partition
    assert pads.dataset(out / name, format="parquet").count_rows() == 30


def test_the_refusal_names_three_files_and_counts_the_rest(tmp_path):
    for k in range(5):
        (tmp_path / f"n{k}.txt").write_text("x")
    with pytest.raises(FileExistsError, match=r"\(n0.txt, n1.txt, n2.txt and 2 more\)"):
        check_own_folder(tmp_path)


def test_a_new_an_empty_and_an_interrupted_folder_pass(book, tmp_path):
    check_own_folder(tmp_path / "new")
    check_own_folder(tmp_path)  # empty
    out = tmp_path / "parts"
    out.mkdir()
    manifest = run_manifest(book.resolve(), "rmd", 10, 3, default_law())
    (out / "_manifest.json").write_text(json.dumps(manifest))
    for name in ("part-00000.parquet", "part-00001.parquet.tmp-abc_1234",
                 "._manifest.partial-x9y8z7w6.json", "part-123456.parquet"):
        (out / name).write_bytes(b"")
    check_own_folder(out)
    (out / "part-00002.parquet.bak").write_bytes(b"")  # not a name a run writes
    with pytest.raises(FileExistsError, match="part-00002.parquet.bak"):
        check_own_folder(out)


def test_a_run_resumed_in_its_own_folder_still_finishes(book, tmp_path):
    """A whole run, one partition then lost (with a stale temporary beside it), resumed: the
    30 rows of the book, once each, and the temporary gone."""
    out = tmp_path / "parts"
    first = run_dask(book, "rmd", out, workers=1, partition_rows=10)
    assert (first.rows_in, first.results + first.errors) == (30, 30)
    (out / "part-00001.parquet").unlink()
    (out / "part-00001.parquet.tmp-abcdefgh").write_bytes(b"partial")
    again = run_dask(book, "rmd", out, workers=1, partition_rows=10, resume=True)
    assert (again.rows_in, again.results + again.errors) == (30, 30)
    assert sorted(p.name for p in out.iterdir()) == [
        "_manifest.json", "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert read_dataset(out).column("row").to_pylist() == list(range(30))
    assert pads.dataset(out, format="parquet").count_rows() == 30
    assert pq.read_table(book).num_rows == 30
