"""An empty book (a nightly extract with no rows) gives the same columns as a book with rows:
``participant_id`` where the input has one and the state's columns where it has ``state``
(docs/batch.md) — a warehouse that loads the file by its schema sees the same file every day."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from batch_books import write_book

from dist401k.runner import run_local


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    d = tmp_path_factory.mktemp("books")
    full = pq.read_table(write_book(d / "full.parquet", 40, 40))
    full = full.append_column("state", pa.array(["CA"] * full.num_rows))
    return d, full


@pytest.mark.parametrize("job", ["outcome", "rmd", "eligibility", "forms"])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_empty_book_keeps_the_columns_of_a_full_one(books, job, fmt, tmp_path):
    d, full = books
    for name, table in (("with_state", full), ("no_state", full.drop_columns(["state"]))):
        rows, empty = d / f"{name}.parquet", d / f"{name}_empty.{fmt}"
        pq.write_table(table, rows)
        if fmt == "parquet":
            pq.write_table(table.slice(0, 0), empty)
        else:
            pacsv.write_csv(table.slice(0, 0), empty)
        run_local(rows, job, tmp_path / f"{name}_{job}_full.parquet")
        s = run_local(empty, job, tmp_path / f"{name}_{job}_empty.parquet")
        assert s.rows_in == 0
        got = pq.read_schema(tmp_path / f"{name}_{job}_empty.parquet").names
        want = pq.read_schema(tmp_path / f"{name}_{job}_full.parquet").names
        assert got == want
        assert "participant_id" in got
        if job == "outcome":
            assert ("state_withholding" in got) == (name == "with_state")
