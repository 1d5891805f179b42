"""A tax unit's column holds one value: a list or an object there is one line naming the
column in every door of the tax — exit 2 from `dist401k tax`, 422 from ``POST /tax``, an
error row from the batch tax job — never an internal error (exit 70, 500).

The promise is docs/reliability.md's and docs/tax.md's ("bad input gets one line that names
the field and the problem … exit status 2 in the CLI, HTTP 422 in the API, an error row in
batch", "the same words whichever door it came through"); the words "is a list, not one
value" are those ``POST /tax`` gave first (docs/api.md).  Before the fix `dist401k tax` on a
JSON table holding ``"blind_head": [1, 2]`` exited 70 (the flag reader's ValueError), and the
batch tax job raised the same ValueError instead of an error row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.input_columns import tax_columns
from dist401k.io.tables import records_to_table
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.tax.state.units import StateUnits
from dist401k.tax.units import TaxUnits

LAW = default_law()
runner = CliRunner()
BASE = {"tax_year": 2026, "filing_status": "single", "wages": 50000}
A_LIST, AN_OBJECT = "is a list, not one value", "is an object, not one value"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dist401k.store import Store

    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


def cli_door(folder: Path, unit: dict) -> tuple[int, set[tuple[str, str]] | float]:
    """`dist401k tax -f json` on a one-row JSON table: (exit status, the problems as
    (column, words) where refused, the income tax where taxed)."""
    path = folder / "units.json"
    path.write_text(json.dumps([unit]))
    r = runner.invoke(app, ["tax", "-f", "json", str(path)])
    assert "Traceback" not in r.output and "internal error" not in r.output, r.output
    if r.exit_code == 0:
        return 0, json.loads(r.output)["results"][0]["income_tax"]
    lines = [ln.strip() for ln in r.output.splitlines() if ln.strip().startswith("row 1, ")]
    pairs = {tuple(ln.removeprefix("row 1, ").split(": ", 1)) for ln in lines}
    return r.exit_code, pairs  # type: ignore[return-value]


def api_door(client, unit: dict) -> tuple[int, set[tuple[str, str]] | float]:
    r = client.post("/tax", json={"units": [unit]})
    if r.status_code == 200:
        return 200, r.json()["results"][0]["income_tax"]
    assert r.status_code == 422, (r.status_code, r.text[:300])
    problems = r.json()["detail"]
    assert all(d["loc"][:3] == ["body", "units", 0] for d in problems), problems
    return 422, {(d["loc"][3], d["msg"]) for d in problems}


def batch_door(folder: Path, unit: dict) -> tuple[int, dict | str]:
    """`dist401k batch --job tax` on the unit as a one-row Parquet file: (exit status, the row
    written, or the command's output where it refused the file)."""
    src, out = folder / "batch.parquet", folder / "out.parquet"
    out.unlink(missing_ok=True)
    pq.write_table(records_to_table([unit]), src)
    r = runner.invoke(app, ["batch", "--job", "tax", str(src), "-o", str(out)])
    assert "Traceback" not in r.output and "internal error" not in r.output, r.output
    if r.exit_code != 0:
        return r.exit_code, " ".join(r.output.split())
    rows = pq.read_table(out).to_pylist()
    assert len(rows) == 1  # never a lost row
    return 0, rows[0]


def batch_refuses(folder: Path, unit: dict, column: str, words: str) -> None:
    """The batch reads Parquet or CSV, whose column has one type: a column of lists or objects
    is refused before a row is run, naming it (:func:`dist401k.input_columns.column_problems`);
    a run's row with such a cell is an error row in the words of the other doors."""
    code, out = batch_door(folder, unit)
    assert code == 2 and f"column `{column}` holds" in str(out), out
    if column == "participant_id":  # the job copies it as text before any check (jobs._ids)
        return
    table = records_to_table([{**unit, column: None}, unit])  # a list column, a blank first
    row = run_job(table, "tax", LAW).to_pylist()[1]
    assert (row["status"], row["error_column"], row["error_message"]) == (
        "error", column, f"{column}: {words}")


@pytest.mark.parametrize("column, value, words", [
    ("blind_head", [1, 2], A_LIST),
    ("lived_apart", {"a": 1}, AN_OBJECT),
    ("dependent", [], A_LIST),
    ("participant_id", [1], A_LIST),
    ("wages", {"x": 1}, AN_OBJECT),
    ("tax_year", [2026], A_LIST),
    ("filing_status", ["single"], A_LIST),
    ("parent_filing_status", ["single"], A_LIST),
])
def test_a_list_or_an_object_in_a_federal_column_is_one_line_in_every_door(
        tmp_path, client, column, value, words):
    unit = {**BASE, column: value}
    assert cli_door(tmp_path, unit) == (2, {(column, words)})
    assert api_door(client, unit) == (422, {(column, words)})
    batch_refuses(tmp_path, unit, column, words)


@pytest.mark.parametrize("column, value, words", [
    ("yonkers_resident", [None, None], A_LIST),
    ("new_york_city_resident", {"b": True}, AN_OBJECT),
    ("governmental_plan", [1], A_LIST),
    ("state", ["NY"], A_LIST),
    ("maryland_county", ["Montgomery"], A_LIST),
    ("disabled", [0], A_LIST),
])
def test_a_list_or_an_object_in_a_state_column_is_one_line_in_every_door(
        tmp_path, client, column, value, words):
    unit = {**BASE, "state": "NY", column: value}
    assert cli_door(tmp_path, unit) == (2, {(column, words)})
    assert api_door(client, unit) == (422, {(column, words)})
    batch_refuses(tmp_path, unit, column, words)


def test_the_readers_refuse_a_list_given_as_a_dict_of_lists():
    """The library's door (:meth:`TaxUnits.from_columns`, :meth:`StateUnits.from_columns`): a
    ragged column of lists is the same problem, with its row, never NumPy's ValueError."""
    with pytest.raises(InputError) as exc:
        TaxUnits.from_columns({"tax_year": [2026, 2026], "filing_status": ["single", "single"],
                               "blind_head": [0, [1, 2]]}, law=LAW)
    assert [(p.row, p.field, p.problem) for p in exc.value.problems] == [
        (2, "blind_head", A_LIST)]
    with pytest.raises(InputError) as exc:
        StateUnits.from_columns({"state": ["NY", "NY"], "tax_year": [[2026], [2026, 1]],
                                 "filing_status": ["single", "single"], "federal_agi": [1, 2],
                                 "yonkers_resident": [{"a": 1}, 0]}, LAW)
    assert [(p.row, p.field, p.problem) for p in exc.value.problems] == [
        (1, "tax_year", A_LIST), (1, "yonkers_resident", AN_OBJECT), (2, "tax_year", A_LIST)]


def test_a_boolean_tax_year_is_one_problem(tmp_path, client):
    """``tax_year: true`` was two lines: "is not a number" and, for the 0 it was read as,
    "is not a year dist401k has law for"; a value refused is not range-checked."""
    unit = {**BASE, "tax_year": True}
    assert cli_door(tmp_path, unit) == (2, {("tax_year", "is not a number")})
    assert api_door(client, unit) == (422, {("tax_year", "is not a number")})
    with pytest.raises(InputError) as exc:
        TaxUnits.from_columns({"tax_year": ["x", 1990], "filing_status": ["single"] * 2}, law=LAW)
    lo, hi = LAW.known_years
    assert [(p.row, p.field, p.problem) for p in exc.value.problems] == [
        (1, "tax_year", "is not a number"),
        (2, "tax_year", f"is not a year dist401k has law for (known: {lo}–{hi})")]


# Any JSON value in any column: no door fails, every door gives the same verdict -------------

SCALARS = (st.none() | st.booleans() | st.text(max_size=8) | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.sampled_from([0, 1, "1", "true", "no", "", " ", "mfj", "NY", "MD", "Montgomery",
                              1e308, 2026, "2026", -1, 70, 0.5]))
#: Any JSON value: a scalar (an integer beyond a float too: 10**400), a list or an object of
#: them (``POST /tax`` refuses a number beyond a float wherever it is in the body, deeper than
#: the column: such a number inside a list is left out).
JSON_VALUES = (SCALARS | st.integers(min_value=-(10 ** 400), max_value=10 ** 400)
               | st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                              | st.dictionaries(st.text(max_size=3), inner, max_size=2),
                              max_leaves=4))
COLUMNS = sorted(tax_columns())


def parquet_holds(unit: dict, column: str) -> bool:
    """Whether a Parquet file (the batch's input) can hold the unit's value in ``column``: one
    value, a list of one type, an object with a key (Arrow makes a list of values of two types
    text, and no Parquet file holds an object without a key), no number beyond a float."""
    value = unit[column]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1.7e308:
        return False
    table = records_to_table([unit])
    if isinstance(value, list | dict) and not pa.types.is_nested(table.schema.field(column).type):
        return False
    try:
        pq.write_table(table, pa.BufferOutputStream())
    except pa.ArrowNotImplementedError:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(column=st.sampled_from(COLUMNS), value=JSON_VALUES, with_state=st.booleans())
def test_any_json_value_in_any_column_gets_one_verdict_in_every_door(
        tmp_path_factory, client, column, value, with_state):
    """The doors agree: all three tax the unit (the same income tax), or all three refuse it,
    `dist401k tax` and ``POST /tax`` with the same (column, words), the batch's error row with
    those words; never exit 70 or a 500."""
    folder = tmp_path_factory.mktemp("units")
    unit = {**BASE, **({"state": "NY"} if with_state else {}), column: value}
    code, cli = cli_door(folder, unit)
    status, api = api_door(client, unit)
    assert (code == 0) == (status == 200), (unit, cli, api)
    assert cli == api, unit
    if not parquet_holds(unit, column):
        return
    batch, row = batch_door(folder, unit)
    assert code in (0, 2) and batch in (0, 2)
    if batch == 2:  # a Parquet column of lists or objects: the file is refused, naming it
        assert code == 2 and status == 422 and f"column `{column}` holds" in str(row), row
        assert cli == api and isinstance(api, set) and (column, A_LIST if isinstance(
            value, list) else AN_OBJECT) in api, api
        return
    assert isinstance(row, dict)
    assert (code == 0) == (status == 200) == (row["status"] == "ok"), (cli, api, row)
    if code == 0:
        assert cli == api == row["income_tax"]
        return
    assert cli == api
    assert isinstance(api, set) and any(field == column for field, _ in api), api
    assert row["error_column"] in {field for field, _ in api}
    for field, words in api:
        assert f"{field}: {words}" in row["error_message"], (api, row["error_message"])


@pytest.mark.parametrize("text, line", [
    # JSON Lines mixing a value and a list in a column (Arrow cannot read it), or all lists
    ('{"tax_year": 2026, "filing_status": "single", "blind_head": 1}\n'
     '{"tax_year": 2026, "filing_status": "single", "blind_head": [1]}\n',
     f"row 2, blind_head: {A_LIST}"),
    ('{"tax_year": 2026, "filing_status": "single", "wages": {"a": 1}}\n',
     f"row 1, wages: {AN_OBJECT}"),
])
def test_json_lines_name_the_row_and_column_of_a_list(tmp_path, text, line):
    path = tmp_path / "units.jsonl"
    path.write_text(text)
    r = runner.invoke(app, ["tax", str(path)])
    assert r.exit_code == 2 and line in r.output, r.output


@pytest.mark.parametrize("args", [["-f", "csv"], ["-o", "out.csv"]])
def test_a_list_in_a_copied_column_is_refused_not_exit_70(tmp_path, args):
    """A column `dist401k tax` copies (a note) holding a list was exit 70 where the output is
    CSV (no CSV cell holds a list): a table's cell holds one value, in every column."""
    path = tmp_path / "units.json"
    path.write_text(json.dumps([{**BASE, "note": [1, 2]}]))
    r = runner.invoke(app, ["tax", *[str(tmp_path / a) if a.endswith(".csv") else a
                                     for a in args], str(path)])
    assert r.exit_code == 2 and f"row 1, note: {A_LIST}" in r.output, r.output
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("literal, words", [
    ("1" + "0" * 400, "is too large (beyond 1.8e308, the largest finite number dist401k reads)"),
    ("-" + "9" * 309, "is too large (beyond 1.8e308, the largest finite number dist401k reads)"),
    ("1e999", "must be a finite number (not NaN or infinity)"),
    ("NaN", "must be a finite number (not NaN or infinity)"),
])
def test_a_number_json_cannot_give_as_a_float_is_refused_in_the_apis_words(
        tmp_path, client, literal, words):
    """A JSON table's number beyond a float was "inf is not a number" where ``POST /tax`` said
    it is too large (errors.TOO_LARGE, errors.FINITE): one set of words for one JSON value."""
    path = tmp_path / "units.json"
    path.write_text('[{"tax_year": 2026, "filing_status": "single", "wages": ' + literal + "}]")
    r = runner.invoke(app, ["tax", str(path)])
    assert r.exit_code == 2 and f"row 1, wages: {words}" in r.output, r.output
    body = '{"units": [{"tax_year": 2026, "filing_status": "single", "wages": ' + literal + "}]}"
    api = client.post("/tax", content=body, headers={"content-type": "application/json"})
    assert api.status_code == 422
    assert [(d["loc"], d["msg"]) for d in api.json()["detail"]] == [
        (["body", "units", 0, "wages"], words)]


def test_a_parquet_column_of_lists_is_named_with_its_row_even_where_it_is_copied(tmp_path):
    """`dist401k tax` reads a Parquet file's list column too: a column it reads, or one it
    copies (a note: exit 70 where the output was CSV), is refused row by row in the same words."""
    path = tmp_path / "units.parquet"
    pq.write_table(pa.table({"tax_year": [2026, 2026], "filing_status": ["single"] * 2,
                             "blind_head": [None, [1]], "note": [["a"], None]}), path)
    r = runner.invoke(app, ["tax", "-f", "csv", str(path)])
    assert r.exit_code == 2, r.output
    assert [ln.strip() for ln in r.output.splitlines() if ln.strip().startswith("row ")] == [
        f"row 1, note: {A_LIST}", f"row 2, blind_head: {A_LIST}"]
