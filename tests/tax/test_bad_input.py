"""Bad input names the row, the column and the problem, and is never taxed as zero."""

from __future__ import annotations

import pytest

from dist401k.errors import InputError
from dist401k.tax import TaxUnits

GOOD = {"tax_year": 2025, "filing_status": "single", "wages": 50_000}


def problems(rows):
    with pytest.raises(InputError) as exc:
        TaxUnits.from_records(rows)
    return [str(p) for p in exc.value.problems]


def test_missing_required_column():
    with pytest.raises(InputError, match="filing_status: required column is missing"):
        TaxUnits.from_columns({"tax_year": [2025]})


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("wages", -5, "row 2, wages: is negative"),
        ("age_head", 130, "row 2, age_head: is outside 0–120"),
        ("age_spouse", -1, "row 2, age_spouse: is outside 0–120"),
        ("filing_status", "married", "row 2, filing_status: is not a filing status"),
        ("tax_year", 2019, "row 2, tax_year: is not a year dist401k has law for"),
        ("tax_year", 2025.5, "row 2, tax_year: is not a whole year"),
        ("wages", "lots", "row 2, wages: is not a number"),
        # 400 nines: finite, but beyond a float — every door's words (dist401k.errors.TOO_LARGE)
        ("wages", "9" * 400, "row 2, wages: is too large (beyond 1.8e308"),
        ("wages", "1e400", "row 2, wages: inf is not a number"),
        ("wages", None, "row 2, wages: a blank value is not a number"),
        ("blind_head", "maybe", "row 2, blind_head: is not true/false"),
        ("qualified_dividends", 10, "row 2, qualified_dividends: exceeds ordinary_dividends"),
    ],
)
def test_each_problem_is_named(field, value, message):
    found = problems([GOOD, {**GOOD, field: value}])
    assert any(p.startswith(message) for p in found), found


def test_every_problem_is_reported_not_just_the_first():
    found = problems([{**GOOD, "wages": -1}, GOOD, {**GOOD, "filing_status": "x", "age_head": 200}])
    assert [p.split(":")[0] for p in found] == [
        "row 1, wages", "row 3, filing_status", "row 3, age_head"]


def test_absent_optional_columns_are_zero_and_aliases_work():
    u = TaxUnits.from_records([{"tax_year": "2026", "filing_status": "MFJ"}])
    assert u.wages[0] == 0 and u.filing_status[0] == 1
