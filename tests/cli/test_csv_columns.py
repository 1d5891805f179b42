"""`--format csv`: one value a cell.  A field that is a mapping in any row becomes only its
`outer.inner` columns (empty in the rows where the field is null), never an empty `outer`
column beside them; a list of objects becomes `outer.0.inner`, `outer.1.inner` … columns
(numbered from 0, as the JSON's field paths are), a list of values is joined with `;`, a list
of reasons becomes their codes (docs/cli.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.commands._output import csv_cells

ROOT = Path(__file__).parents[2]
CASES = sorted(str(p) for p in (ROOT / "examples" / "cases").glob("*.yaml"))
runner = CliRunner()


def out(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return r.stdout


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_a_field_null_in_some_rows_and_a_mapping_in_others_has_only_its_inner_columns():
    header, rows = read_csv(out(["assess", "-f", "csv", *CASES]))
    assert "form_5329" not in header and "form_5329.line_1" in header
    for outer in ("form_8606", "form_8606_part_iii", "loan", "why"):
        assert outer not in header
    outcomes = [o for c in json.loads(out(["assess", "-f", "json", *CASES])) for o in c["outcomes"]]
    assert len(outcomes) == len(rows)
    for o, row in zip(outcomes, rows, strict=True):  # empty where the JSON has null
        f = o.get("form_5329")
        assert row["form_5329.line_1"] == "" if f is None else \
            float(row["form_5329.line_1"]) == f["line_1"]


def test_compare_csv_has_no_empty_outer_columns():
    """Leaving the money in the plan has no why and no Form 5329; the cash-out has both."""
    case = str(ROOT / "examples" / "cases" / "rule-of-55.yaml")
    header, rows = read_csv(out(["compare", "-f", "csv", case]))
    assert "why" not in header and "form_5329" not in header
    assert "why.short" in header and "form_5329.line_1" in header
    options = json.loads(out(["compare", "-f", "json", case]))["options"]
    for o, row in zip(options, rows, strict=True):
        assert row["why.short"] == ((o["why"] or {}).get("short") or "")
        f = o.get("form_5329")
        assert row["form_5329.line_1"] == "" if f is None else \
            float(row["form_5329.line_1"]) == f["line_1"]


def test_a_field_null_in_every_row_keeps_its_one_empty_column():
    """Past 59½ no option has a Form 5329: its column is there, empty (its lines unknown)."""
    case = str(ROOT / "examples" / "cases" / "annuity-pitch-backdoor.yaml")
    header, rows = read_csv(out(["compare", "-f", "csv", case]))
    assert "form_5329" in header and all(row["form_5329"] == "" for row in rows)


def test_a_list_of_objects_is_numbered_columns_not_json_text():
    case = str(ROOT / "examples" / "cases" / "rule-of-55.yaml")
    header, rows = read_csv(out(["assess", "-f", "csv", case]))
    assert "form_1099r" not in header and "deadlines" not in header
    outcomes = json.loads(out(["assess", "-f", "json", case]))["outcomes"]
    for o, row in zip(outcomes, rows, strict=True):
        for i, form in enumerate(o["form_1099r"]):
            assert row[f"form_1099r.{i}.box_7"] == form["box_7"]
            assert float(row[f"form_1099r.{i}.box_1"]) == form["box_1"]
        for i, d in enumerate(o["deadlines"]):
            assert row[f"deadlines.{i}.date"] == d["date"]
            assert row[f"deadlines.{i}.what"] == d["what"]
    assert not any(cell.startswith(("{", "[")) for row in rows for cell in row.values())


def test_the_columns_of_rows_of_different_shapes():
    from dist401k.commands._output import csv_columns

    rows = [csv_cells({"a": None, "l": [], "reasons": [{"code": "X1"}, {"code": "X2"}],
                       "v": [1, 2], "z": 0}),
            csv_cells({"a": {"x": 1, "y": {"q": 2}}, "l": [{"p": 1}, {"p": 2, "r": 3}],
                       "reasons": [], "v": [], "z": 1})]
    order = csv_columns(rows)
    # The mapping's and the list's columns where the field was; the empty ones gone.
    assert order == ["a.x", "a.y.q", "l.0.p", "l.1.p", "l.1.r", "reasons", "v", "z"]
    assert rows[0]["reasons"] == "X1;X2" and rows[0]["v"] == "1;2"
    assert "a.x" not in rows[0] and rows[1]["l.1.r"] == 3


def test_a_field_that_is_text_in_one_row_keeps_its_column():
    """Only an empty outer column goes: a value in it is never dropped."""
    from dist401k.commands._output import csv_columns

    rows = [csv_cells({"a": "text"}), csv_cells({"a": {"x": 1}})]
    assert csv_columns(rows) == ["a", "a.x"]
