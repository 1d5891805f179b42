"""A joint-life series' beneficiary (``request_series_beneficiary_birth_date``) is checked in a
book row as a case file checks ``request.series_beneficiary_birth_date``: not after the request
date, not over 120 in the request's year (dist401k.case.other_birth_problems), in the same
words, naming the column the row gave (DESIGN.md, "Bad input gets a clear error … the same
through every door").

Before, the column was read into the batch's other annuitant and only a blank one was looked
at (it takes the spouse's date): a beneficiary born in 2200 or in 1800 was answered.  The
expected answers are worked from the dates: the request is dated 2026-11-23, so 2200-01-01 is
after it; 2026 − 1800 = 226 > 120."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

AFTER = "is after the request date"
OVER = "gives an age over 120"
COLUMN = "request_series_beneficiary_birth_date"
#: A joint-life series (a payment of $1,000, started 2021-01-01).
JOINT = {"request_series": ["joint_life"], "request_amount": [1000.0],
         "request_annuity_start_date": [dt.date(2021, 1, 1)]}


def _book(beneficiary: dt.date | None, spouse: dt.date | None = dt.date(1965, 5, 20),
          **columns) -> pa.Table:
    """A retiree's row (born 1951, request dated 2026-11-23), married filing jointly."""
    base = {"participant_id": ["r1"], "request_date": [dt.date(2026, 11, 23)],
            "birth_date": [dt.date(1951, 2, 11)], "plan_type": ["401k"],
            "employment_status": ["separated"], "separation_date": [dt.date(2020, 12, 31)],
            "filing_status": ["married_joint"], "spouse_sole_beneficiary": [True],
            "spouse_birth_date": pa.array([spouse], pa.date32()),
            "balance_elective_deferral": [520000.0], "prior_year_end_balance": [500000.0],
            COLUMN: pa.array([beneficiary], pa.date32())}
    return pa.table({**base, **columns})


def _case(beneficiary: str, series: bool) -> dict:
    """The same retiree as a case file."""
    request = {"date": "2026-11-23", "amount": 1000}
    if series:
        request.update(series="joint_life", annuity_start_date="2021-01-01")
    return {"person": {"birth_date": "1951-02-11", "filing_status": "married_joint",
                       "spouse_birth_date": "1965-05-20", "spouse_sole_beneficiary": True},
            "employment": {"status": "separated", "separation_date": "2020-12-31"},
            "plan": {"type": "401k"},
            "account": {"sources": {"elective_deferral": {"balance": 520000}},
                        "prior_year_end_balance": 500000},
            "request": {**request, "series_beneficiary_birth_date": beneficiary}}


CASES = [(dt.date(2200, 1, 1), AFTER), (dt.date(2026, 11, 24), AFTER),
         (dt.date(1800, 1, 1), OVER)]


@pytest.mark.parametrize("series", [False, True], ids=["no-series", "joint-life"])
@pytest.mark.parametrize(("born", "words"), CASES, ids=["2200", "next-day", "1800"])
@pytest.mark.parametrize("job", ["rmd", "eligibility"])
def test_a_book_row_refuses_it_naming_its_column(born, words, series, job):
    (out,) = run_job(_book(born, **(JOINT if series else {})), job, default_law()).to_pylist()
    assert (out["status"], out["error_column"], out["error_message"]) == (
        "error", COLUMN, f"{COLUMN}: {words}")


@pytest.mark.parametrize("series", [False, True], ids=["no-series", "joint-life"])
@pytest.mark.parametrize(("born", "words"), CASES, ids=["2200", "next-day", "1800"])
def test_the_case_door_says_the_same(born, words, series):
    """The case model's verdict on the same dates (the words the book row must match)."""
    with pytest.raises(InputError) as e:
        parse_case(_case(born.isoformat(), series))
    assert ("request.series_beneficiary_birth_date", words) in [
        (p.field, p.problem) for p in e.value.problems]


@pytest.mark.parametrize("born", [dt.date(1906, 1, 1), dt.date(2026, 11, 23),
                                  dt.date(1960, 1, 1)], ids=["120", "request-day", "1960"])
def test_a_beneficiary_within_the_bounds_is_answered(born):
    """120 in 2026 (2026 − 1906), born on the request date itself, an ordinary one."""
    (out,) = run_job(_book(born, **JOINT), "rmd", default_law()).to_pylist()
    assert out["status"] == "ok", out


def test_a_bad_spouse_is_named_as_the_spouse_not_as_the_beneficiary():
    """A blank beneficiary takes the spouse's date: a spouse born in 2200 is told under
    ``spouse_birth_date`` alone (the beneficiary's column was not given a date)."""
    (out,) = run_job(_book(None, spouse=dt.date(2200, 1, 1), **JOINT), "rmd",
                     default_law()).to_pylist()
    assert (out["status"], out["error_column"], out["error_message"]) == (
        "error", "spouse_birth_date", f"spouse_birth_date: {AFTER}")
