"""A state's own inputs in a tax table without a ``state`` column: checked, and refused where
they hold a value, never dropped without a word.

`dist401k tax`, the batch ``tax`` job and ``POST /tax`` read the state's inputs
(``new_york_city_resident``, ``maryland_county``, every ``spouse_…`` part …) only with a
``state`` column.  Without one they took anything — ``yonkers_resident: 0.5``,
``maryland_county: 1``, ``disabled: 0.5`` — and answered the federal tax alone, where the same
``0.5`` with ``state: NY`` is refused and the case doors refuse a New York City resident
without New York ("needs New York as the state").  Now each value is checked as it is with a
state, and one that would matter to a state (not blank, 0 or false) is refused naming the
column, "needs a state: …", the same in every door (docs/tax.md, "State income tax").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.tax.state import units as state
from dist401k.tax.state.with_federal import STATE_INPUTS
from dist401k.tax.table import tax_table

LAW = default_law()
runner = CliRunner()
#: Single, 2026, $50,000 of wages: worked by hand from Rev. Proc. 2025-32 — the standard
#: deduction $16,100 leaves $33,900 taxable; 10% of $12,400 ($1,240) and 12% of the $21,500
#: above it ($2,580): $3,820 of tax.
UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 50000}
UNIT_TAX = 3820.0
#: Every column only a state's tax reads (the state code itself aside).
STATE_ONLY = tuple(c for c in STATE_INPUTS if c != "state")
NEEDS = "needs a state"


def kind(name: str) -> str:
    if name == "maryland_county":
        return "county"
    if name in state.UNKNOWN_AGES:
        return "age"
    if name in state.FLAGS + state.OPTIONAL_FLAGS + state.SPOUSE_FLAGS + state.UNKNOWN_FLAGS:
        return "flag"
    return "amount"


#: A value that matters to a state, by kind (a loss of the spouse's other income too).
MATTERS = {"flag": True, "amount": 1000, "county": "Montgomery", "age": 70}
#: A value that is no value of the kind, and the words every door says of it with a state.
BAD = {"flag": (0.5, "is not true/false (1/0)"), "amount": ("lots", "is not a number"),
       "county": ("Atlantis", "is not a Maryland county"), "age": (200, "is outside 0–120")}
#: Values that are none: what an absent column reads as.
NONE_VALUES = {"flag": [False, 0, "no", None, ""], "amount": [0, 0.0, None, ""],
               "county": [None, ""], "age": [None, ""]}


def problems(units: list[dict]) -> list[tuple[int | None, str, str]]:
    """(row, field, words) of the library's refusal of ``units`` (a table of them)."""
    with pytest.raises(InputError) as exc:
        tax_table(units, LAW)
    return [(p.row, p.field, p.problem) for p in exc.value.problems]


def test_the_state_only_columns_are_those_the_review_found():
    """The review's sweep found these among 30-odd columns taking any value without a state."""
    assert len(STATE_ONLY) >= 27
    assert {"new_york_city_resident", "yonkers_resident", "maryland_county", "disabled",
            "spouse_wages", "spouse_other_income", "ira_distributions", "survivor_distributions",
            "periodic_distributions", "state_basis_recovered", "governmental_plan",
            "federal_income_tax"} <= set(STATE_ONLY)


@pytest.mark.parametrize("name", STATE_ONLY)
def test_a_value_that_matters_needs_a_state(name):
    value = -1000 if name == "spouse_other_income" else MATTERS[kind(name)]
    ((row, field, words),) = problems([{**UNIT, name: value}])
    assert (row, field) == (1, name)
    assert words.startswith(f"{NEEDS}: ")


@pytest.mark.parametrize("name", STATE_ONLY)
def test_a_value_of_the_wrong_kind_is_named_as_with_a_state(name):
    """The words of a state (here New York's) for the same cell: one problem, not two."""
    value, words = BAD[kind(name)]
    ((row, field, said),) = problems([{**UNIT, name: value}])
    assert (row, field) == (1, name) and said.startswith(words)
    with_state = [p for p in problems([{**UNIT, "state": "NY", name: value}]) if p[1] == name]
    assert with_state == [(1, name, said)]


@pytest.mark.parametrize("name", [c for c in STATE_ONLY if kind(c) == "amount"
                                  and c != "spouse_other_income"])
def test_a_negative_amount_is_refused_without_a_state(name):
    ((_, field, said),) = problems([{**UNIT, name: -5}])
    assert field == name and said == "is negative (amounts must be 0 or more)"


@pytest.mark.parametrize("name", STATE_ONLY)
def test_none_blank_zero_and_false_are_no_value(name):
    """A column given with no value in it (a blank cell, 0, false) changes nothing: the federal
    tax of the unit, worked by hand above."""
    for value in NONE_VALUES[kind(name)]:
        out = tax_table([{**UNIT, name: value}], LAW).to_pylist()[0]
        assert out["income_tax"] == UNIT_TAX and "state_income_tax" not in out, (name, value)


def test_the_reviews_unit_is_refused_naming_each_column():
    """The unit of the review: 200 with the federal figures alone before."""
    unit = {**UNIT, "new_york_city_resident": True, "yonkers_resident": 0.5,
            "maryland_county": 1, "disabled": 0.5}
    found = {field: words for _, field, words in problems([unit])}
    assert found["yonkers_resident"] == "is not true/false (1/0)"
    assert found["disabled"] == "is not true/false (1/0)"
    assert found["maryland_county"].startswith("is not a Maryland county")
    assert found["new_york_city_resident"] == state.NEEDS_ITS_STATE["new_york_city_resident"]
    assert "New York" in found["new_york_city_resident"]


def test_a_maryland_county_without_a_state_is_refused_as_with_another_state():
    ((_, field, words),) = problems([{**UNIT, "maryland_county": "montgomery"}])
    assert field == "maryland_county" and words.startswith(NEEDS) and "MD" in words


def test_with_a_state_the_columns_are_read_as_before():
    """New York City's tax is added with state NY (so the column is read, not refused)."""
    ny = tax_table([{**UNIT, "state": "NY"}], LAW).to_pylist()[0]
    nyc = tax_table([{**UNIT, "state": "NY", "new_york_city_resident": True}], LAW).to_pylist()[0]
    assert nyc["state_income_tax"] > ny["state_income_tax"]


# The property: the refused columns are exactly those holding a value or a bad one -------------

CELLS = st.sampled_from(["none", "matters", "bad"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(STATE_ONLY), CELLS, max_size=8))
def test_exactly_the_columns_given_a_value_are_refused(cells):
    unit = dict(UNIT)
    for name, what in cells.items():
        k = kind(name)
        unit[name] = (NONE_VALUES[k][0] if what == "none" else MATTERS[k] if what == "matters"
                      else BAD[k][0])
    expected = {n: what for n, what in cells.items() if what != "none"}
    if not expected:
        assert tax_table([unit], LAW).to_pylist()[0]["income_tax"] == UNIT_TAX
        return
    found = {field: words for _, field, words in problems([unit])}
    assert set(found) == set(expected)
    for name, what in expected.items():
        assert found[name].startswith(NEEDS if what == "matters" else BAD[kind(name)][1])


# The command line and the batch job -----------------------------------------------------------

def _csv(rows: list[dict], folder: Path) -> Path:
    path = folder / "units.csv"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_the_command_exits_2_naming_the_row_and_column(tmp_path):
    """The review's file: a New York City resident, Yonkers 0.5 and county 1, no state."""
    path = _csv([{**UNIT, "taxable_distributions": 20000, "new_york_city_resident": 1,
                  "yonkers_resident": 0.5, "maryland_county": 1}], tmp_path)
    r = runner.invoke(app, ["tax", str(path), "--format", "json"])
    assert r.exit_code == 2, r.output
    assert "row 1, yonkers_resident: is not true/false (1/0)" in r.output
    assert "row 1, maryland_county: is not a Maryland county" in r.output
    assert ("row 1, new_york_city_resident: needs a state: New York City is in New York"
            in r.output)
    assert "Traceback" not in r.output


def test_the_command_takes_blank_and_zero_cells(tmp_path):
    """A column given for some rows only: the blank (and 0) rows are figured."""
    path = _csv([{**UNIT, "spouse_wages": "", "governmental_plan": "0"},
                 {**UNIT, "spouse_wages": "0", "governmental_plan": ""}], tmp_path)
    r = runner.invoke(app, ["tax", str(path), "--format", "csv"])
    assert r.exit_code == 0, r.output


def test_the_batch_job_gives_an_error_row():
    t = pa.table({"tax_year": [2026, 2026, 2026], "filing_status": ["single"] * 3,
                  "wages": [50000.0] * 3, "yonkers_resident": [None, "1", "0"]})
    out = run_job(t, "tax", LAW).to_pylist()
    assert [o["status"] for o in out] == ["ok", "error", "ok"]
    assert out[1]["error_column"] == "yonkers_resident"
    assert "needs a state: Yonkers is in New York" in out[1]["error_message"]
    assert out[0]["income_tax"] == out[2]["income_tax"] == UNIT_TAX


def test_the_batch_job_names_a_bad_value_without_a_state():
    t = pa.table({"tax_year": [2026], "filing_status": ["single"], "wages": [50000.0],
                  "disabled": [0.5]})
    (row,) = run_job(t, "tax", LAW).to_pylist()
    assert row["status"] == "error" and row["error_column"] == "disabled"
    assert "is not true/false (1/0)" in row["error_message"]
