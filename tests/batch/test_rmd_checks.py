"""The `rmd` job checks every column a book gives, as the other jobs do (DESIGN.md: "every door
gives the same verdict"; docs/batch.md "Input columns"): a bad value in a column the RMD rule
does not use is still an error row naming that column, in the eligibility job's words.  It
still does not require a column it does not use."""

from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.flat import columns
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.synth import synth_table

LAW = default_law()
runner = CliRunner()

# The rows of the report: a text and a negative number, a NaN and 1e30, in columns the RMD
# rule does not use (wages, request_amount).
REPORTED = """\
participant_id,request_date,birth_date,plan_type,balance_elective_deferral,prior_year_end_balance,wages,request_amount
A,2026-06-01,1952-03-01,401k,100000,100000,abc,-5
B,2026-06-01,1952-03-01,401k,100000,100000,nan,1e30
"""
# What the eligibility job says of them: each problem, in the order of the columns, in the
# case model's words (money is 0 to 1e11 dollars: docs/batch.md "Numbers").
REPORTED_ERRORS = [
    ("wages", "wages: is not a number; request_amount: must be 0 or more"),
    ("wages", "wages: must be a finite number (not NaN or infinity); "
              "request_amount: must be a finite number no more than 100,000,000,000"),
]


def _errors(path):
    rows = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        strings_can_be_null=True)).to_pylist()
    return [(r["status"], r["error_column"], r["error_message"]) for r in rows]


@pytest.mark.parametrize("job", ["rmd", "eligibility"])
def test_the_reported_rows_are_error_rows_in_every_job(tmp_path, job):
    book, out = tmp_path / "min.csv", tmp_path / "out.csv"
    book.write_text(REPORTED)
    r = runner.invoke(app, ["batch", str(book), "--job", job, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert _errors(out) == [("error", c, m) for c, m in REPORTED_ERRORS]
    assert "2 rows in = 0 results + 2 errors" in r.output


def _as_text(table: pa.Table) -> pa.Table:
    """Every column as text, as a CSV book gives it (true/false, YYYY-MM-DD, 1234.5)."""
    return pa.table({name: pa.array([None if v is None else
                                     ("true" if v is True else "false" if v is False else str(v))
                                     for v in table.column(name).to_pylist()], pa.string())
                     for name in table.column_names})


@pytest.fixture(scope="module")
def base_rows():
    """Synthetic participants that both jobs answer (no error row), as text."""
    book = _as_text(synth_table(40, seed=5, bad_fraction=0.0))
    ok = [i for i, (m, e) in enumerate(zip(
        run_job(book, "rmd", LAW).column("status").to_pylist(),
        run_job(book, "eligibility", LAW).column("status").to_pylist(), strict=True))
        if m == e == "ok"]
    assert len(ok) >= 10
    return book.take(pa.array(ok[:3])).to_pylist()


def _verdicts(rows: list[dict], names: list[str], job: str) -> list[tuple]:
    table = pa.table({k: pa.array([r.get(k) for r in rows], pa.string()) for k in names})
    out = run_job(table, job, LAW).to_pylist()
    return [(o["status"], o["error_column"], o["error_message"]) for o in out]


# Values no column of a book may hold, or may hold in some columns only: text in a number,
# date or true/false column, NaN, infinity, a negative amount, an absurd size, a fraction
# in a whole-number column, a day that does not exist, a blank (the default, or "is required").
BAD_TEXT = ["abc", "nan", "-inf", "-5", "1e30", "0.5", "2026-02-30", "maybe", "", "99999"]


@pytest.mark.parametrize("bad", BAD_TEXT)
def test_a_bad_value_in_any_column_gets_the_same_verdict_in_both_jobs(base_rows, bad):
    # Every column of the synthetic book, and every other column a book may hold (a book
    # giving them all, blank where the synthetic participant has no value).
    names = list(dict.fromkeys([*base_rows[0], *columns()]))
    rows = [{**base, column: bad} for base in base_rows for column in names]
    rmd, elig = _verdicts(rows, names, "rmd"), _verdicts(rows, names, "eligibility")
    diff = [(row_column, m, e) for row_column, m, e in zip(
        [(i // len(names), names[i % len(names)]) for i in range(len(rows))], rmd, elig,
        strict=True) if m != e]
    assert not diff, diff[:5]
    if bad not in ("", "0.5", "99999"):
        # Not an empty check: the value makes error rows in columns the RMD rule never reads.
        refused = {names[i % len(names)] for i, m in enumerate(rmd) if m[0] == "error"}
        assert {"wages", "request_amount", "loan_outstanding", "ira_traditional"} <= refused


NUMBER_COLUMNS = [f.name for f in synth_table(1).schema if pa.types.is_floating(f.type)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NUMBER_COLUMNS), st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 3000),
    st.sampled_from((0.5, 1e11, 1e11 + 1, -0.01)))), min_size=1, max_size=8))
def test_any_number_in_a_number_column_gets_the_same_verdict(changes):
    # A Parquet book: the synthetic book's own types, a NaN given as a value (not null).
    book = synth_table(len(changes), seed=9, bad_fraction=0.0).to_pylist()
    for row, (column, value) in zip(book, changes, strict=True):
        row[column] = float(value)
    table = pa.Table.from_pylist(book, schema=synth_table(1).schema)
    status = {job: [(o["status"], o["error_column"], o["error_message"])
                    for o in run_job(table, job, LAW).to_pylist()]
              for job in ("rmd", "eligibility")}
    assert status["rmd"] == status["eligibility"]
    for (column, value), verdict in zip(changes, status["rmd"], strict=True):
        if not math.isfinite(value) or value < 0 or value > 1e11:  # outside every money range
            assert verdict[0] == "error" and f"{column}: " in verdict[2], (column, value, verdict)


def test_the_rmd_job_requires_no_column_it_does_not_use(tmp_path):
    # A book of the RMD rule's columns alone is complete; a purpose that needs an event date
    # (a birth or adoption, §72(t)(2)(H)) without a request_event_date column is the
    # eligibility job's error (it reads the request), not the RMD job's.
    rows = [{"participant_id": "a", "request_date": "2026-06-01", "birth_date": "1952-03-01",
             "plan_type": "401k", "employment_status": "separated",
             "separation_date": "2020-01-01", "prior_year_end_balance": "100000",
             "balance_elective_deferral": "100000", "request_purpose": "birth_adoption"}]
    names = list(rows[0])
    assert _verdicts(rows, names, "eligibility") == [
        ("error", "request_event_date", "request_event_date: is required for this purpose")]
    assert _verdicts(rows, names, "rmd") == [("ok", None, None)]
    bare = [r for r in names if r != "request_purpose"]
    assert _verdicts(rows, bare, "rmd") == [("ok", None, None)]
    # ... but a purpose that is not one of the choices is an error row in both.
    rows[0]["request_purpose"] = "vacation"
    assert _verdicts(rows, names, "rmd")[0][:2] == ("error", "request_purpose")


def test_a_negative_after_tax_basis_is_one_problem_in_both_jobs():
    # Found by the test above: a negative basis_after_tax (refused itself) was also compared
    # with the pre-1987 investment (0 > -1: "cannot exceed the basis") by the eligibility job
    # alone, so the two jobs' messages differed.  The basis's own refusal is the one problem.
    book = synth_table(6, seed=9, bad_fraction=0.0).to_pylist()
    for row in book:
        row["basis_after_tax"] = -1.0
    table = pa.Table.from_pylist(book, schema=synth_table(1).schema)
    status = {job: [(o["status"], o["error_message"]) for o in run_job(table, job, LAW).to_pylist()]
              for job in ("rmd", "eligibility")}
    assert status["rmd"] == status["eligibility"]
    assert all(s == ("error", "basis_after_tax: must be 0 or more") for s in status["rmd"])
