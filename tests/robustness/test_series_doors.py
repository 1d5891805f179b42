"""Property tests: a payment in a series (``request.series``) through every door.  A valid
series row gets from the batch's outcome and forms jobs what ``dist401k assess`` gives its
case file; an invalid one is an error row naming the column, refused by the case door naming
the field, in the same words where the case door finds one problem."""

from __future__ import annotations

import datetime as dt

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
from dist401k.withholding import with_unknown_withholding
from robustness.strategies import bad_series_rows, flat_rows, series_columns

LAW = default_law()
FAST = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MONEY = ("gross", "taxable", "nontaxable", "withholding", "additional_tax_72t", "net_cash")
BOXES = ("box_1", "box_2a", "box_4", "box_5", "box_7", "box_9b")


def _table(rows: list[dict]) -> pa.Table:
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


@st.composite
def series_rows(draw) -> dict:
    """A valid row paying one payment of a series by the route its employment allows (after
    separation, else in service), in cash."""
    row = draw(flat_rows())
    birth = dt.date.fromisoformat(row["birth_date"])
    request = dt.date.fromisoformat(row["request_date"])
    row = {k: v for k, v in row.items() if "series" not in k and "annuity" not in k}
    row |= draw(series_columns(birth, request))
    if row["request_amount"] is None:
        row["request_amount"] = draw(st.floats(1, 50_000).map(lambda x: round(x, 2)))
    route = "separation" if row["employment_status"] == "separated" else "in_service"
    return {**row, "request_route": route, "request_destination": "cash"}


@FAST
@given(st.lists(series_rows(), min_size=1, max_size=3))
def test_a_series_row_gets_the_outcome_and_forms_of_its_case_file(rows):
    out = run_job(_table(rows), "forms", LAW).to_pylist()
    # as `dist401k assess` answers them: a withholding not figured is null (unknown), not 0
    answers = [with_unknown_withholding(a)
               for a in assess_cases([parse_case(row_to_case(r)) for r in rows])]
    for row, o, answer in zip(rows, out, answers, strict=True):
        assert o["status"] == "ok", o["error_message"]
        want = next((x for x in answer["outcomes"] if x["route"] == row["request_route"]
                     and x["destination"] == "cash"), None)
        assert o["possible"] == (want is not None), row
        if want is None:
            continue
        for k in MONEY:
            if want[k] is None:
                assert o[k] is None, k
            else:
                assert o[k] == pytest.approx(want[k], abs=0.011), k
        forms = {f["part"]: f for f in want["form_1099r"]}
        for part, form in forms.items():
            assert o[f"form_{part}_issued"], part
            for box in BOXES:
                assert o[f"form_{part}_{box}"] == pytest.approx(form[box], abs=0.011), box


@FAST
@given(bad_series_rows())
def test_a_bad_series_is_refused_by_both_doors_naming_it(drawn):
    row, column = drawn
    (out,) = run_job(_table([row]), "eligibility", LAW).to_pylist()
    assert out["status"] == "error" and f"{column}:" in out["error_message"], (row, out)
    with pytest.raises(InputError) as exc:
        parse_case(row_to_case(row))
    field = "request." + column.removeprefix("request_")
    problems = exc.value.problems
    assert any(p.field == field for p in problems), (field, problems)
    if len(problems) == 1:  # ... and in the same words
        assert out["error_message"] == f"{column}: {problems[0].problem}", (out, problems)
