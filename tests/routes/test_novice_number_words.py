"""A novice's amounts and purposes: "$45000" and "45,000" are told to drop the $ and the
commas, and a purpose none of the law's lists the choices and says that ``none`` is the
purpose of anything else — the same line in a case file and a batch row."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make

HINT = "is not a number: write digits only, without $ or commas (45000)"


def _problems(case: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("written", ["$45000", "45,000", "$45,000"])
def test_money_with_a_dollar_sign_or_commas(written):
    assert _problems(make({"income.wages": written})) == [f"income.wages: {HINT}"]


def test_a_word_is_still_only_not_a_number():
    assert _problems(make({"income.wages": "lots"})) == ["income.wages: is not a number"]


def test_a_purpose_for_a_car_says_none_is_the_purpose_of_anything_else():
    (line,) = _problems(make({"request.purpose": "car"}))
    assert line.startswith("request.purpose: is not one of none, medical,")
    assert line.endswith("for anything else (a car, a trip, debts) the purpose is none")


def test_a_misspelled_purpose_keeps_its_suggestion():
    (line,) = _problems(make({"request.purpose": "medicl"}))
    assert "(did you mean `medical`?)" in line and "the purpose is none" in line


def test_a_batch_row_says_the_same():
    table = pa.table({"request_date": ["2026-11-23"], "birth_date": ["1970-01-15"],
                      "plan_type": ["401k"], "hire_date": ["2010-01-01"],
                      "balance_elective_deferral": ["100000"], "wages": ["$45,000"],
                      "request_route": ["in_service"]})
    row = run_job(table, "outcome", default_law()).to_pylist()[0]
    assert row["status"] == "error" and row["error_column"] == "wages"
    assert row["error_message"] == f"wages: {HINT}"


@pytest.mark.parametrize("text", ["0,5", "52.000,50", "1,2,3", "12,34"])
def test_a_comma_that_is_not_a_thousands_separator_suggests_no_number(text):
    """"0,5" written the European way is not $5: a comma counts as a thousands separator only
    between groups of three digits, so no number is suggested for these."""
    from dist401k.errors import NOT_A_NUMBER, not_a_number

    assert not_a_number(text) == NOT_A_NUMBER
