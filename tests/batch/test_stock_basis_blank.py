"""Employer stock in a batch row: its value and its cost to the plan are given together, or not
at all — as a case file's ``account.employer_stock`` (case.EmployerStock) — since the cost is
what a lump sum taxes now (IRC §402(e)(4)(B)) and nothing is guessed.  A row with
``employer_stock_value`` above 0 and a blank or absent ``employer_stock_basis`` is an error row
naming ``employer_stock_basis`` in the case door's words (never a basis of 0, never a lost
row); a basis with no value is one naming ``employer_stock_value``; a value of 0 needs no cost.

The rows: single, 62, separated in 2025, $200,000 of elective deferrals of which $100,000 is
employer stock; with the cost given ($20,000) the row is answered."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.case import STOCK_BASIS_REQUIRED, parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
BASIS_WORDS = STOCK_BASIS_REQUIRED.replace("account.employer_stock.value", "employer_stock_value")


def _row(pid: str, value, basis, with_basis: bool = True) -> dict:
    row = {"participant_id": pid, "request_date": "2026-06-01", "birth_date": "1964-02-01",
           "filing_status": "single", "plan_type": "401k", "employment_status": "separated",
           "hire_date": "2000-01-01", "separation_date": "2025-09-30",
           "balance_elective_deferral": 200000.0, "request_amount": 50000.0,
           "request_route": "separation", "request_destination": "cash",
           "employer_stock_value": value}
    if with_basis:
        row["employer_stock_basis"] = basis
    return row


def _run(rows: list[dict], job: str = "outcome") -> list[dict]:
    return run_job(pa.Table.from_pylist(rows), job, LAW).to_pylist()


def _by_id(out: list[dict]) -> dict[str, dict]:
    return {o["participant_id"]: o for o in out}


@pytest.mark.parametrize("job", ["outcome", "eligibility", "rmd", "forms"])
def test_a_blank_basis_beside_a_value_is_an_error_row_naming_it(job):
    rows = [_row("given", 100000.0, 20000.0), _row("blank", 100000.0, None),
            _row("zero", 0.0, None), _row("none", None, None)]
    out = _by_id(_run(rows, job))
    assert set(out) == {"given", "blank", "zero", "none"}  # no row lost
    bad = out["blank"]
    assert bad["status"] == "error", bad
    assert bad["error_column"] == "employer_stock_basis"
    assert f"employer_stock_basis: {BASIS_WORDS}" in bad["error_message"]
    assert "\n" not in bad["error_message"]
    if job != "forms":  # the forms job wants the payer's columns too
        assert [out[k]["status"] for k in ("given", "zero", "none")] == ["ok"] * 3


def test_an_absent_basis_column_is_an_error_row_naming_it():
    out = _run([_row("no-column", 100000.0, None, with_basis=False)])
    assert [(o["status"], o["error_column"]) for o in out] == [("error", "employer_stock_basis")]
    assert BASIS_WORDS in out[0]["error_message"]


def test_a_basis_without_a_value_is_an_error_row_naming_the_value():
    out = _by_id(_run([_row("basis-only", None, 20000.0), _row("given", 100000.0, 20000.0)]))
    assert out["basis-only"]["status"] == "error"
    assert out["basis-only"]["error_column"] == "employer_stock_value"
    assert "required where employer_stock_basis is given" in out["basis-only"]["error_message"]
    assert out["given"]["status"] == "ok"


def test_the_rows_case_file_is_refused_in_the_same_words():
    """Every door, one answer: the row's case file leaves the blank basis out, and the case
    model refuses it, naming the field."""
    case = row_to_case(_row("blank", 100000.0, None))
    assert case["account"]["employer_stock"] == {"value": 100000.0}
    with pytest.raises(InputError) as e:
        parse_case(case)
    assert str(e.value).startswith(f"account.employer_stock.cost_basis: {STOCK_BASIS_REQUIRED}")
    given = row_to_case(_row("given", 100000.0, 20000.0))["account"]["employer_stock"]
    assert given == {"value": 100000.0, "cost_basis": 20000.0}
    assert "employer_stock" not in row_to_case(_row("none", None, None))["account"]
