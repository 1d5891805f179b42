"""The check of a state's own inputs in a tax table without a ``state`` column (docs/tax.md:
each is checked as with a state, and one holding a value that matters is "needs a state") reads
a column of text as array formulas on the whole column, not one cell at a time: reading
1,000,000 units carrying such columns cost seconds (the cells read in Python one by one).  The
verdicts and their words stay those of the rule, worked here from docs/tax.md cell by cell."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

import dist401k.tax.state.units as state_units
from dist401k.law import default_law
from dist401k.tax.state.units import stateless_problems

NEEDS = "needs a state: only a state's income tax reads it"


def _columns(cells: dict[str, list]) -> dict[str, np.ndarray]:
    n = max(len(v) for v in cells.values())
    cols = {k: np.array(v + [""] * (n - len(v)), dtype=object) for k, v in cells.items()}
    return {"tax_year": np.full(n, 2025), "filing_status": np.array(["single"] * n, object), **cols}


def _said(problems) -> set[tuple[int | None, str, str]]:
    return {(p.row, p.field, p.problem.split(" (")[0]) for p in problems}


def test_each_cell_gets_the_rules_verdict():
    cols = _columns({
        # an amount: 0 (however written) and a blank are no value; text that is no number,
        # an infinity, a negative amount refused; any other number "needs a state"
        "spouse_wages": ["0", " 0 ", "", "\u3000", "1_000", "inf", "$5", "12.5", "-3", "0.00"],
        # a flag: false and blank are no value, true "needs a state", another word refused
        "yonkers_resident": ["0", "FALSE", " no ", "", "TRUE", "x", "2", "Y"],
        # an age: blank or 0 says nothing; outside 0–120 refused; another "needs a state"
        "deceased_age": ["", "0", "130", "70"],
        "maryland_county": ["", "Montgomery County", "Nowhere"],
    })
    got = _said(stateless_problems(cols, default_law(), None))
    assert got == {
        (5, "spouse_wages", "is not a number"), (6, "spouse_wages", "inf is not a number"),
        (7, "spouse_wages", "is not a number"), (8, "spouse_wages", NEEDS),
        (9, "spouse_wages", "is negative"),
        (5, "yonkers_resident", "needs a state: Yonkers is in New York"),
        (6, "yonkers_resident", "is not true/false"), (7, "yonkers_resident", "is not true/false"),
        (8, "yonkers_resident", "needs a state: Yonkers is in New York"),
        (3, "deceased_age", "is outside 0–120"), (4, "deceased_age", NEEDS),
        (2, "maryland_county", "needs a state: a Maryland county needs state MD"),
        (3, "maryland_county", "is not a Maryland county"),
    }


def test_a_column_of_text_is_not_read_one_cell_at_a_time(monkeypatch):
    # The readers of one cell at a time (to_float, to_bool, the county's name) may see only
    # the few values the array formulas cannot decide, never the column's 200,000 cells.
    seen: list[int] = []

    def counted(reader):
        def read(*args):
            seen.append(len(args[-1]))  # the cells: the last argument
            return reader(*args)
        return read

    for name in ("to_float", "to_bool", "_county_places"):
        if hasattr(state_units, name):
            monkeypatch.setattr(state_units, name, counted(getattr(state_units, name)))
    n = 200_000
    words = {"spouse_wages": ["0", "", " 0", "0.0", "x"], "disabled": ["0", "false", "", "No"],
             "deceased_age": ["", "0"], "maryland_county": ["", " "]}
    rng = np.random.default_rng(7)
    cols = {"tax_year": pa.array(np.full(n, 2025)),
            **{k: pa.array(np.array(v, object)[rng.integers(0, len(v), n)], pa.string())
               for k, v in words.items()}}
    problems = stateless_problems(cols, default_law(), None)
    assert {p.problem for p in problems} == {"is not a number"}  # the "x" cells
    assert seen and max(seen) <= 5, seen
