"""The `rmd` job checks every column a book gives (test_rmd_checks.py) without paying for the
columns it reads only to check them: a per-source field the RMD rule does not use is read and
checked column by column, never built into an [n, S] array, and the job's batch holds its
default (as without the column).  The verdicts stay those of the eligibility job, row by row,
and no column the RMD rule does not use changes an RMD figure (docs/batch.md "Input
columns")."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from dist401k.flat import COLUMN_FIELD, PER_SOURCE, RMD_FIELDS, batch_from_table, columns
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.synth import synth_table

LAW = default_law()
VERDICT = ("status", "error_column", "error_message")
# Values a cell may hold: good ones of each kind, and bad ones (text in a number, date or
# true/false column, NaN, infinity, negative, absurd, a fraction, a day that does not exist).
POOL = ["", "abc", "nan", "-inf", "-5", "1e30", "0.5", "2026-02-30", "maybe", "99999", "true",
        "false", "1", "0", "2020-01-01", "1950-05-05", "2027-01-01", "ny", "md", "allegany",
        "spouse", "child", "non_designated", "ira", "own", "2015", "2030", "2024", "100", "0.9",
        "50000", "married_joint", "married_separate", "separated", "birth_adoption", "cash"]


def _as_text(table: pa.Table) -> pa.Table:
    """Every column as text, as a CSV book gives it."""
    return pa.table({name: pa.array([None if v is None else
                                     ("true" if v is True else "false" if v is False else str(v))
                                     for v in table.column(name).to_pylist()], pa.string())
                     for name in table.column_names})


def _spoiled_book(n: int, seed: int, p: float) -> pa.Table:
    """A synthetic book (some rows already bad) with every column a book may hold, each cell
    replaced with probability ``p`` by a value of POOL."""
    rng = np.random.default_rng(seed)
    base = _as_text(synth_table(n, seed=seed, bad_fraction=0.05))
    out = {}
    for name in dict.fromkeys([*base.column_names, *columns()]):
        cells = base.column(name).to_pylist() if name in base.column_names else [None] * n
        hit, pick = rng.random(n) < p, rng.integers(0, len(POOL), n)
        out[name] = pa.array([POOL[k] if h else v for v, h, k in zip(cells, hit, pick, strict=True)],
                             pa.string())
    return pa.table(out)


def _verdicts(table: pa.Table) -> list[tuple]:
    return list(zip(*(table.column(c).to_pylist() for c in VERDICT), strict=True))


BOOKS = {"parquet": lambda: synth_table(400, seed=11, bad_fraction=0.2),
         "rare": lambda: _spoiled_book(400, 12, 0.003),
         "many": lambda: _spoiled_book(200, 13, 0.02)}


@pytest.mark.parametrize("book", list(BOOKS))
def test_every_row_gets_the_eligibility_jobs_verdict(book):
    table = BOOKS[book]()
    rmd, elig = run_job(table, "rmd", LAW), run_job(table, "eligibility", LAW)
    assert _verdicts(rmd) == _verdicts(elig)
    status = rmd.column("status").to_pylist()
    assert 0 < status.count("error") < len(status)  # both kinds of row: not an empty check


@pytest.mark.parametrize("book", ["rare"])
def test_a_column_the_rmd_rule_does_not_use_changes_no_figure(book):
    # The same book, less every column whose field the RMD rule does not use: a row answered
    # in the whole book is answered alike (its other columns were only checked).
    table = BOOKS[book]()
    own = [c for c in table.column_names if c == "participant_id"
           or COLUMN_FIELD.get(c) in RMD_FIELDS]
    whole, bare = run_job(table, "rmd", LAW), run_job(table.select(own), "rmd", LAW)
    ok = [i for i, s in enumerate(whole.column("status").to_pylist()) if s == "ok"]
    assert len(ok) >= 10
    rows = pa.array(ok)
    assert whole.take(rows).equals(bare.take(rows))


def test_a_field_read_only_to_check_is_not_built():
    # The synthetic book gives seasoned_, basis_, roth_contributions_, roth_first_year_,
    # in_service_ and seasoning_years_ columns: checked, but no [n, S] array is made of them.
    table = synth_table(50, seed=3)
    checked = {f for p, f, *_ in PER_SOURCE if f not in RMD_FIELDS
               and any(COLUMN_FIELD.get(c) == f for c in table.column_names)}
    assert {"seasoned", "basis", "roth_first_year", "in_service_allowed"} <= checked
    b, _, _ = batch_from_table(table, LAW, fields=RMD_FIELDS)
    for field in checked:
        assert getattr(b, field).strides[0] == 0, field  # the default, broadcast
    full, _, _ = batch_from_table(table, LAW)
    assert all(getattr(full, f).strides[0] != 0 for f in checked)


@pytest.mark.parametrize("value, message", [
    (float("inf"), "must be a finite number (not NaN or infinity)"),
    (float("nan"), "must be a finite number (not NaN or infinity)"),
    (-1.0, "must be 0 or more"),
    (2e11, "must be a finite number no more than 100,000,000,000")])
@pytest.mark.parametrize("column", ["wages", "loan_outstanding", "prior_year_end_balance"])
def test_a_book_whose_every_value_is_bad_is_told(column, value, message):
    # Every value the column gives is the bad one (a one-row book): no quick pass lets it by.
    table = synth_table(1, seed=2).to_pylist()
    table[0][column] = value
    book = pa.Table.from_pylist(table, schema=synth_table(1).schema)
    for job in ("rmd", "eligibility"):
        status, where, why = _verdicts(run_job(book, job, LAW))[0]
        assert (status, where) == ("error", column) and why == f"{column}: {message}", job
