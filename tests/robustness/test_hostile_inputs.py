"""Regression tests of the hostile-input review (docs/reliability.md, "Hostile inputs").  Each
attack is scaled down to run in a few seconds; each test asserts what is refused and how (the
capped list, the exit status, the line naming the column), with a loose time bound beside it.
Each failed before its fix.

- D1: a case of thousands of unknown keys got one problem (and one did-you-mean search) per
  key: a 1 MB body held the API's event loop for 13-16 s and answered 12 MB.
- D2: a Parquet book whose column chunk decompresses to hundreds of megabytes (a 62 KB file,
  a 400,000,000-character participant_id) was read whole; an id over 200 characters ran.
- D3: a CSV of thousands of columns got a did-you-mean per column and a refusal listing every
  one; a header longer than the CSV parser's block was called "Empty CSV file".
"""

from __future__ import annotations

import threading
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import parse_case
from dist401k.cli import app as cli
from dist401k.errors import InputError
from dist401k.store import Store
from dist401k.synth import synth_table

runner = CliRunner()

#: How many problems a refusal lists before it counts the rest (docs/api.md, docs/reliability.md).
PROBLEMS_LISTED = 20

#: The scaled-down attack: enough keys or columns that one search each took seconds.
KEYS = 5_000


def _many_keys(n: int = KEYS) -> dict:
    return {f"k{i}": 0 for i in range(n)}


# --- D1: a case of many unknown keys ---------------------------------------------------------

def test_a_case_of_thousands_of_unknown_keys_lists_the_first_problems_and_counts_the_rest():
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        parse_case(_many_keys())
    elapsed = time.perf_counter() - start
    problems = caught.value.problems
    # The first PROBLEMS_LISTED problems, then one line counting the others: KEYS unknown keys
    # and the required fields missing (person, plan, balances, request ...), all counted.
    assert len(problems) == PROBLEMS_LISTED + 1
    assert all("not a field" in p.problem for p in problems[:PROBLEMS_LISTED]
               if p.field.startswith("k"))
    last = str(problems[-1])
    assert "more problems" in last and f"{KEYS - PROBLEMS_LISTED:,}" not in last
    hidden = int(last.split("and ")[1].split(" more")[0].replace(",", ""))
    assert hidden >= KEYS - PROBLEMS_LISTED
    assert elapsed < 5


@pytest.fixture
def client(tmp_path):
    return TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'h.db'}"), token=""))


@pytest.mark.parametrize("path", ["/assess", "/compare"])
def test_the_api_answers_thousands_of_unknown_keys_with_the_capped_list(client, path):
    start = time.perf_counter()
    r = client.post(path, json=_many_keys())
    elapsed = time.perf_counter() - start
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert len(detail) == PROBLEMS_LISTED + 1
    assert detail[-1]["loc"] == ["body"] and "more problems" in detail[-1]["msg"]
    assert detail[-1]["type"] == "too_many_problems"
    assert len(r.content) < 20_000  # was 12 MB for 90,000 keys
    assert elapsed < 5


def test_translating_the_problems_leaves_the_event_loop_free(client, monkeypatch):
    """The problems' words (each did-you-mean a search) are made off the event loop: while a
    slow translation runs, GET /health answers at once (docs/api.md)."""
    import dist401k.did_you_mean as dym

    def slow(err, title=""):
        time.sleep(0.5)
        return ""

    monkeypatch.setattr(dym, "hint_for", slow)
    with client:
        worker = threading.Thread(target=client.post, args=("/assess",),
                                  kwargs={"json": {"kk": 0, "kz": 0}})
        worker.start()
        time.sleep(0.15)
        start = time.perf_counter()
        assert client.get("/health").status_code == 200
        waited = time.perf_counter() - start
        worker.join()
    assert waited < 0.4


def test_the_cli_refuses_a_case_of_thousands_of_unknown_keys_in_a_capped_list(tmp_path):
    import json

    case = tmp_path / "many.json"
    case.write_text(json.dumps(_many_keys()))
    start = time.perf_counter()
    r = runner.invoke(cli, ["assess", str(case)])
    elapsed = time.perf_counter() - start
    assert r.exit_code == 2
    assert "more problems" in r.output
    assert len(r.output.splitlines()) <= PROBLEMS_LISTED + 5
    assert elapsed < 5


# --- D2: a Parquet decompression bomb, an overlong id ----------------------------------------

def _book(n: int = 3) -> pa.Table:
    return synth_table(n, seed=7)


def test_a_parquet_column_that_decompresses_far_beyond_any_book_is_refused_by_its_metadata(
        tmp_path, monkeypatch):
    book = _book(1)
    i = book.column_names.index("participant_id")
    bomb = book.set_column(i, "participant_id", pa.array(["A" * 20_000_000]))
    path = tmp_path / "bomb.parquet"
    pq.write_table(bomb, path, compression="zstd")
    assert path.stat().st_size < 100_000  # a small file ...
    # ... refused before a page of it is decompressed: reading it is a failure of the test
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", _never)
    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", _never)
    r = runner.invoke(cli, ["batch", str(path), "--job", "rmd", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2, r.output
    line = r.output.strip()
    assert "participant_id" in line and "bomb.parquet" in line and "bytes" in line
    assert len(line.splitlines()) == 1 or "error" in line
    assert not (tmp_path / "o.csv").exists()


def _never(*_a, **_k):
    raise AssertionError("the file was read")


def test_the_dask_engine_refuses_the_same_file_before_a_partition_is_planned(tmp_path):
    from dist401k.io.tables import TableFormatError
    from dist401k.runner import plan_partitions

    book = _book(1)
    i = book.column_names.index("participant_id")
    path = tmp_path / "bomb.parquet"
    pq.write_table(book.set_column(i, "participant_id", pa.array(["A" * 20_000_000])), path,
                   compression="zstd")
    with pytest.raises(TableFormatError, match="participant_id"):
        plan_partitions(path, 1000)


def test_the_tax_command_refuses_a_parquet_bomb_by_its_metadata_too(tmp_path, monkeypatch):
    """`dist401k tax` (and every door reading a table: io.tables.read_table) checks the same
    bound before reading: a 20,000,000-character text cell in one row of a tax-unit table."""
    units = pa.table({"tax_year": [2026], "filing_status": ["single"], "wages": [50000.0],
                      "note": ["A" * 20_000_000]})
    path = tmp_path / "units.parquet"
    pq.write_table(units, path, compression="zstd")
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(pq, "read_table", _never)
    r = runner.invoke(cli, ["tax", str(path)])
    assert r.exit_code == 2, r.output
    assert "note" in r.output and "refused before it is read" in r.output


def test_a_wide_csv_header_is_checked_from_its_line_alone(tmp_path, monkeypatch):
    """`batch` checks a CSV book's columns from its header line, without the CSV parser's
    block of rows and its type guesses (100,000 columns took 760 MB that way): 5,000 unknown
    columns are refused in one line, the parser never called."""
    import pyarrow.csv as pacsv

    path = tmp_path / "wide.csv"
    n = 5000
    path.write_text(",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("1" * n) + "\n")
    monkeypatch.setattr(pacsv, "open_csv", _never)
    monkeypatch.setattr(pacsv, "read_csv", _never)
    r = runner.invoke(cli, ["batch", str(path), "--job", "rmd", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2, r.output
    assert "wide.csv" in r.output and "more columns" in r.output


def test_a_valid_book_passes_the_size_bound(tmp_path):
    from dist401k.runner import _open_parquet

    path = tmp_path / "book.parquet"
    pq.write_table(_book(50), path)
    assert _open_parquet(path).metadata.num_rows == 50


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_id_over_200_characters_is_an_error_row_naming_the_column(tmp_path, fmt):
    """docs/reliability.md: an identifier holds up to 200 characters, in every door."""
    book = _book(3)
    i = book.column_names.index("participant_id")
    ids = book.column("participant_id").to_pylist()
    ids[0], ids[1] = "x" * 201, "y" * 200
    book = book.set_column(i, "participant_id", pa.array(ids))
    path = tmp_path / f"b.{fmt}"
    if fmt == "csv":
        pacsv.write_csv(book, path)
    else:
        pq.write_table(book, path)
    out = tmp_path / "o.csv"
    r = runner.invoke(cli, ["batch", str(path), "--job", "rmd", "-o", str(out)])
    assert r.exit_code in (0, 1), r.output
    rows = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(
        column_types={"participant_id": pa.string(), "error_column": pa.string(),
                      "error_message": pa.string()})).to_pylist()
    assert len(rows) == 3
    assert rows[0]["status"] == "error" and rows[0]["error_column"] == "participant_id"
    assert "200 characters" in rows[0]["error_message"]
    assert not rows[0]["participant_id"]  # the overlong id is not copied (blank)
    assert rows[1]["participant_id"] == "y" * 200
    assert rows[1]["error_column"] != "participant_id"


# --- D3: a CSV of thousands of columns, a header beyond the parser's block -------------------

def test_a_csv_of_thousands_of_columns_is_refused_in_one_short_line(tmp_path):
    n = 3_000
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("1" * n) + "\n")
    start = time.perf_counter()
    r = runner.invoke(cli, ["batch", str(path), "--job", "rmd", "-o", str(tmp_path / "o.csv")])
    elapsed = time.perf_counter() - start
    assert r.exit_code == 2
    line = " ".join(r.output.split())
    assert f"and {n - PROBLEMS_LISTED:,} more columns" in line
    assert "column `c0`" in line and f"column `c{n - 1}`" not in line
    assert len(r.output) < 5_000
    assert elapsed < 5


def test_a_header_longer_than_the_parsers_block_says_so(tmp_path):
    from dist401k.io.tables import TableFormatError, read_csv_table

    path = tmp_path / "long.csv"
    path.write_text(",".join(f"col{i}" for i in range(250_000)) + "\n1\n")
    with pytest.raises(TableFormatError) as caught:
        read_csv_table(path)
    message = str(caught.value)
    assert "Empty CSV file" not in message
    assert "header line is longer than" in message and "bytes" in message
    assert len(message) < 300


def test_the_cli_says_the_same_of_a_long_header(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(",".join(f"col{i}" for i in range(250_000)) + "\n1\n")
    r = runner.invoke(cli, ["batch", str(path), "--job", "rmd", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2
    assert "header line is longer than" in r.output


def test_a_tax_table_of_thousands_of_carried_columns_is_quick(tmp_path):
    """`dist401k tax` carries a table's other columns; judging thousands of them (which are
    near a known name) stays quick and its refusal short."""
    from dist401k.input_columns import column_problems, tax_columns

    schema = pa.schema([(f"note{i}", pa.string()) for i in range(KEYS)]
                       + [(f"wagez{i}", pa.string()) for i in range(KEYS)])
    start = time.perf_counter()
    problems = column_problems(schema, tax_columns(), carried=True)
    assert time.perf_counter() - start < 5
    assert len(problems) <= PROBLEMS_LISTED + 1
    assert sum(len(p) for p in problems) < 5_000


def test_post_tax_with_thousands_of_unknown_keys_answers_the_capped_list(client):
    units = [{"tax_year": 2026, "filing_status": "single", **_many_keys(1_000)} for _ in range(5)]
    start = time.perf_counter()
    r = client.post("/tax", json={"units": units})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert len(detail) == PROBLEMS_LISTED + 1 and "more problems" in detail[-1]["msg"]
    assert time.perf_counter() - start < 5


def test_the_cli_counts_every_problem_of_a_capped_list(tmp_path):
    """30 unknown keys and the four required parts missing: 34 problems, 20 listed, the count
    line saying 14 more — the heading counts all 34, not the 21 lines shown."""
    import json

    f = tmp_path / "many.json"
    f.write_text(json.dumps({f"k{i}": 0 for i in range(30)}))
    r = runner.invoke(cli, ["assess", str(f)])
    assert r.exit_code == 2
    assert "many.json: 34 problem(s)" in r.output and "… and 14 more problems" in r.output
