"""The terminal's year table shows the money received that is not income (`inflows`) as a
column "received", in each year's dollars, only where the plan has some — as the JSON, the CSV
and the report do.  Worked by hand: $200,000 received in 2030 on zero inflation is $200,000 in
2030 and nothing in the other years."""

from __future__ import annotations

import io

from rich.console import Console

from dist401k.commands.plan import print_plan
from dist401k.planner.plan import plan_json
from planner.test_inflows import HOUSE, _case
from planner.test_spending_changes import _plan


def _year_table(case: dict) -> tuple[list[str], dict[int, list[str]]]:
    """The year table as printed on a wide console: the last line of its headings and each year's cells."""
    buf = io.StringIO()
    plan = _plan(case)
    print_plan(Console(file=buf, width=400, color_system=None), plan_json(plan), "inflows",
               bequest=False, names=["Ann"])
    lines = buf.getvalue().splitlines()
    top = next(k for k, line in enumerate(lines) if line.startswith("The optimum, year by year"))
    rule = next(k for k in range(top, len(lines)) if lines[k].strip().startswith("─"))
    heads = lines[rule - 1].split()  # the headings' last lines: "out", "spending"
    rows = {int(c[0].rstrip("†")): c for c in (line.split() for line in lines[top + 1:])
            if c and c[0].rstrip("†").isdigit() and len(c[0].rstrip("†")) == 4}
    return heads, rows


def test_the_year_table_has_a_received_column_where_the_plan_has_inflows():
    heads, rows = _year_table(_case([HOUSE]))
    assert "received" in heads
    assert heads[-3:] == ["received", "bracket", "balance"]
    assert sorted(rows) == list(range(2026, 2036))
    # The cell under "received": the third from the end (then the bracket and the balance).
    for year, cells in rows.items():
        assert cells[-3] == ("200,000" if year == 2030 else "0"), (year, cells)


def test_no_received_column_without_inflows():
    heads, _ = _year_table(_case())
    assert "received" not in heads
