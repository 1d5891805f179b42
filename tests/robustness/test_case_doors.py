"""Property tests: valid and invalid cases, flat rows and tax tables through every door.

Whatever the input, no exception but :class:`InputError` escapes, every error names its field,
what comes out is valid JSON (no NaN, no Infinity), and a valid participant gets the same
answer as a case file (``assess``) and as a flat batch row."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.tax import TaxUnits, federal_tax
from robustness.strategies import (
    ANY_NUMBER,
    BAD_DATES,
    BAD_NUMBER_TEXT,
    BAD_NUMBERS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    SHARED_NUMBER_COLUMNS,
    WRONG_TYPES,
    flat_rows,
    number_leaves,
    set_path,
)

LAW = default_law()
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def table_of(rows: list[dict]) -> pa.Table:
    """Rows → an Arrow table, one column per key (absent: null), as a Parquet book holds."""
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows], from_pandas=False) for k in names})


def strict_json(value) -> str:
    return json.dumps(value, allow_nan=False)


@FAST
@given(st.lists(flat_rows(), min_size=1, max_size=4))
def test_a_valid_row_is_answered_as_its_case_file(rows):
    out = run_job(table_of(rows), "eligibility", LAW).to_pylist()
    assert [r["status"] for r in out] == ["ok"] * len(rows), [r["error_message"] for r in out]
    answers = assess_cases([parse_case(row_to_case(r)) for r in rows])
    strict_json(answers)
    for answer, row in zip(answers, out, strict=True):
        for s in answer["route_summary"]:
            assert row[f"{s['route']}_eligible"] == s["eligible"], s["route"]
            assert row[f"{s['route']}_available"] == pytest.approx(s["available"], abs=0.011)


@FAST
@given(flat_rows(), st.sampled_from(NUMBER_COLUMNS),
       st.sampled_from(BAD_NUMBERS + BAD_NUMBER_TEXT), st.booleans())
def test_a_bad_number_in_a_row_is_an_error_row_naming_the_column(row, column, bad, as_text):
    row = {**row, column: str(bad) if as_text or isinstance(bad, str) else bad}
    if isinstance(row[column], str):  # a text column, as a CSV book read without types
        row = {k: None if v is None else str(v) for k, v in row.items()}
    out = run_job(table_of([row]), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == "error" and f"{column}:" in out["error_message"], out


@FAST
@given(flat_rows(), st.sampled_from(DATE_COLUMNS), st.sampled_from(BAD_DATES))
def test_an_impossible_date_in_a_row_is_an_error_row_naming_the_column(row, column, bad):
    row = {**row, column: bad}
    out = run_job(table_of([row]), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == "error" and f"{column}: {DATE_WORDS.get(bad, NOT_A_DATE)}" \
        in out["error_message"], out


NOT_A_DATE = "is not a date (YYYY-MM-DD)"
#: The words of a value written YYYY-MM-DD that names no day, worked from the calendar
#: (February has 29 days in a year divisible by 4, a century only if by 400).
DATE_WORDS = {
    "1966-02-30": "is not a day of the calendar (February 1966 has 28 days)",
    "2026-02-31": "is not a day of the calendar (February 2026 has 28 days)",
    "2026-13-01": "is not a day of the calendar (a month is 01 to 12)",
    "2026-04-31": "is not a day of the calendar (April 2026 has 30 days)",
    "2025-02-29": "is not a day of the calendar (February 2025 has 28 days)",
}


@FAST
@given(flat_rows(), st.sampled_from(SHARED_NUMBER_COLUMNS), ANY_NUMBER)
def test_a_row_and_its_case_file_get_the_same_verdict_on_any_number(row, column, value):
    row = {**row, column: float(value)}
    out = run_job(table_of([row]), "eligibility", LAW).to_pylist()[0]
    try:
        parse_case(row_to_case(row))
    except InputError as exc:
        assert out["status"] == "error" and out["error_column"] == column, (exc, out)
        assert len(exc.problems) == 1 and exc.problems[0].field, exc
        # ... in the same words: one door does not say what another says differently.
        assert out["error_message"] == f"{column}: {exc.problems[0].problem}", (exc, out)
    else:
        assert out["status"] == "ok", out["error_message"]


def _refused(case: dict, path: str) -> list[str]:
    with pytest.raises(InputError) as exc:  # nothing but InputError escapes
        parse_case(case)
    fields = [p.field for p in exc.value.problems]
    assert all(fields) and any(f.startswith(path) or path.startswith(f) for f in fields), fields
    return fields


@FAST
@given(flat_rows(), st.data())
def test_a_bad_number_anywhere_in_a_case_is_refused_naming_it(row, data):
    case = row_to_case(row)
    path = data.draw(st.sampled_from(number_leaves(case)))
    bad = data.draw(st.sampled_from(BAD_NUMBERS))
    changed = copy.deepcopy(case)
    set_path(changed, path, bad)
    _refused(changed, path)


@FAST
@given(flat_rows(), st.sampled_from(("person.birth_date", "request.date", "employment.hire_date",
                                     "employment.separation_date", "request.event_date")),
       st.sampled_from(BAD_DATES + (0, 19660203, 1.5)))
def test_an_impossible_date_in_a_case_is_refused_naming_it(row, path, bad):
    case = row_to_case(row)
    set_path(case, path, bad)
    _refused(case, path)


@FAST
@given(flat_rows(), st.data())
def test_a_wrong_type_in_a_case_never_escapes_as_a_traceback(row, data):
    case = row_to_case(row)
    path = data.draw(st.sampled_from(number_leaves(case) + ["person.birth_date", "plan.type",
                                                            "request.purpose"]))
    bad = data.draw(st.sampled_from(WRONG_TYPES))
    set_path(case, path, bad)
    try:
        answer = assess_cases([parse_case(case)])
    except InputError as exc:
        assert all(p.field for p in exc.problems)
    else:  # True is a number 1 to pydantic (e.g. a count): then the answer is plain JSON
        strict_json(answer)


@st.composite
def tax_tables(draw) -> tuple[list[dict], str | None]:
    """Tax units, and the column given a bad value (None: all valid)."""
    units = [{"tax_year": draw(st.integers(2024, 2030)),
              "filing_status": draw(st.sampled_from(("single", "married_joint", "hoh"))),
              "age_head": draw(st.integers(18, 100)),
              "wages": draw(st.floats(0, 1e6)), "social_security": draw(st.floats(0, 60_000)),
              "long_term_gains": draw(st.floats(0, 1e6))}
             for _ in range(draw(st.integers(1, 4)))]
    column = draw(st.one_of(st.none(), st.sampled_from(("wages", "age_head", "long_term_gains",
                                                         "taxable_distributions"))))
    if column is not None:
        bad = draw(st.sampled_from(BAD_NUMBERS + BAD_NUMBER_TEXT + ("", None)))
        units[draw(st.integers(0, len(units) - 1))][column] = bad
    return units, column


@FAST
@given(tax_tables())
def test_tax_tables_refuse_bad_numbers_and_answer_good_ones_in_finite_dollars(drawn):
    units, column = drawn
    try:
        tax = federal_tax(TaxUnits.from_records(units, law=LAW), LAW)
    except InputError as exc:
        assert column is not None and any(p.field == column for p in exc.problems), exc
        return
    assert column is None
    assert all(np.all(np.isfinite(np.asarray(v, float))) for k, v in tax.items()
               if np.asarray(v).dtype.kind == "f")


def test_bad_number_strategies_are_all_refused_by_the_bound():
    # The strategies themselves: each bad number is outside every bound (not a vacuous test).
    from dist401k.bounds import MONEY

    assert all(MONEY.outside(x) for x in BAD_NUMBERS)
    assert not MONEY.outside(0) and not math.isnan(MONEY.hi)


@pytest.fixture(scope="module")
def api():
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    with TestClient(create_app(store=Store("sqlite://"), token="")) as client:
        yield client


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(flat_rows(), st.one_of(st.none(), st.sampled_from(BAD_NUMBERS[3:] + BAD_DATES[:3])))
def test_the_api_gives_the_answer_and_the_verdict_of_assess(api, row, bad):
    case = row_to_case(row)
    path = "income.wages" if isinstance(bad, float) else "person.birth_date"
    if bad is not None:
        set_path(case, path, bad)
    r = api.post("/assess", content=strict_json(case),
                 headers={"content-type": "application/json"})
    if bad is None:
        assert r.status_code == 200
        assert r.json()["routes"] == json.loads(strict_json(assess_cases([parse_case(case)])[0]
                                                            ["routes"]))
    else:
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", *path.split(".")]
