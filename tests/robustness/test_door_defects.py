"""Regression tests of the second QA pass over the doors (CLI, API, batch): each bad input gets
one line naming the field, column or file — exit 2, 422, an error row — never a hang, an
internal error or a traceback.  Each failed before its fix."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import MAX_BODY_BYTES, create_app
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from refusals import refused
from routes.conftest import make

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "cases" / "hardship-medical.yaml"
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
LAW = default_law()
runner = CliRunner()
ROW = {"participant_id": "p1", "request_date": "2026-06-01", "birth_date": "1966-02-03",
       "plan_type": "401k", "balance_elective_deferral": 1000.0}
TAX_UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 1}


@contextlib.contextmanager
def within(seconds: int):
    """Fail (not hang) if the block takes longer than ``seconds``."""
    def late(*_):
        raise TimeoutError(f"took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dist401k.store import Store

    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


# 1. A YAML alias bomb --------------------------------------------------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize("command", ["assess", "compare", "plan"])
def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path, command):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    with within(20):
        refused([command, str(path)], "bomb.yaml", "more than 100,000 values")


def test_an_alias_bomb_inside_a_real_case_is_refused_too(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE.read_text() + "\n" + BOMB.replace("a:", "x:", 1).replace("*a", "*x")
                    .replace("&a", "&x"))
    with within(20):
        refused(["assess", str(path)], "case.yaml", "more than 100,000 values")


# 2. Values PyYAML or Python cannot build ------------------------------------------------------

@pytest.mark.parametrize("command", ["assess", "compare", "sepp"])
def test_an_explicit_timestamp_tag_on_an_impossible_date_names_the_field(tmp_path, command):
    path = tmp_path / "case.yaml"
    text = CASE.read_text()
    assert "  date: " in text
    path.write_text(text.replace("  date: ", "  date: !!timestamp 2026-02-30 #", 1))
    refused([command, str(path)], "request.date",
            "is not a day of the calendar (February 2026 has 28 days)")


def test_an_explicit_timestamp_tag_in_a_plan_file_names_the_field(tmp_path):
    path = tmp_path / "plan.yaml"
    text = PLAN.read_text()
    assert "birth_date: " in text
    path.write_text(text.replace("birth_date: ", "birth_date: !!timestamp 1961-02-30 #", 1))
    refused(["plan", str(path)], "people.0.birth_date",
            "is not a day of the calendar (February 1961 has 28 days)")


@pytest.mark.parametrize("tag", ["!!bool maybe", "!!float abc", "!!int 12x"])
def test_a_tagged_value_that_cannot_be_built_is_a_yaml_error(tmp_path, tag):
    path = tmp_path / "case.yaml"
    path.write_text(CASE.read_text().replace("  date: ", f"  date: {tag} #", 1))
    refused(["assess", str(path)], "case.yaml", "is not valid YAML", "line")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_integer_of_5000_digits_in_a_case_file_names_the_field(tmp_path, suffix):
    case = make({"income.wages": 1})
    text = json.dumps(case).replace('"wages": 1', '"wages": ' + "9" * 5000)
    path = tmp_path / f"case{suffix}"
    path.write_text(text)  # JSON is YAML
    refused(["assess", str(path)], "income.wages", "finite")


def test_an_integer_of_5000_digits_in_a_plan_file_names_the_field(tmp_path):
    path = tmp_path / "plan.yaml"
    text = PLAN.read_text()
    assert "life_expectancy: " in text
    path.write_text(text.replace("life_expectancy: ", "life_expectancy: " + "9" * 5000 + " #", 1))
    refused(["plan", str(path)], "people.0.life_expectancy")


def test_an_integer_of_5000_digits_in_a_tax_table_names_row_and_column(tmp_path):
    path = tmp_path / "units.json"
    path.write_text('[{"tax_year": 2026, "filing_status": "single", "wages": ' + "1" * 5000
                    + "}]")
    refused(["tax", str(path)], "row 1, wages")


# 3. Columns and values batch and tax could not read -------------------------------------------

def test_a_csv_with_a_column_named_twice_is_refused_naming_it(tmp_path):
    book = tmp_path / "dup.csv"
    book.write_text("request_date,birth_date,plan_type,birth_date\n2026-06-01,1966-02-03,401k,"
                    "1966-02-03\n")
    refused(["batch", str(book), "--job", "rmd", "-o", str(tmp_path / "o.csv")],
            "dup.csv", "`birth_date` appears 2 times")


def test_a_parquet_column_of_lists_is_refused_naming_it(tmp_path):
    book = tmp_path / "lists.parquet"
    pq.write_table(pa.table({**{k: [v] for k, v in ROW.items()},
                             "balance_elective_deferral": [[1.0]]}), book)
    refused(["batch", str(book), "--job", "eligibility", "-o", str(tmp_path / "o.csv")],
            "lists.parquet", "`balance_elective_deferral` holds list")


@pytest.mark.parametrize("value, words", [([1, 2], "is a list, not one value"),
                                          ({"a": 1}, "is an object, not one value")])
def test_a_tax_unit_with_a_list_for_an_amount_names_it(tmp_path, client, value, words):
    path = tmp_path / "units.json"
    path.write_text(json.dumps([{**TAX_UNIT, "wages": value}]))
    refused(["tax", str(path)], f"row 1, wages: {words}")  # POST /tax's words
    r = client.post("/tax", json={"units": [{**TAX_UNIT, "wages": value}]})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "units", 0, "wages"]


# 4. Parquet values out of a float's range, bytes that are not UTF-8 ---------------------------

@pytest.mark.parametrize("kind, value", [(pa.int64(), 2**62), (pa.uint64(), 2**64 - 1)])
def test_an_integer_beyond_a_float_is_an_error_row_naming_its_column(tmp_path, kind, value):
    table = pa.table({**{k: [v, v] for k, v in ROW.items()},
                      "balance_elective_deferral": pa.array([value, 1000], kind)})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert [(r["status"], r["error_column"]) for r in out] == [
        ("error", "balance_elective_deferral"), ("ok", None)]
    book, result = tmp_path / "big.parquet", tmp_path / "o.csv"
    pq.write_table(table, book)
    r = runner.invoke(app, ["batch", str(book), "--job", "rmd", "-o", str(result)])
    assert r.exit_code == 0, r.output
    assert str(value) not in r.output
    rows = pacsv.read_csv(result).to_pylist()
    assert rows[0]["error_column"] == "balance_elective_deferral"


def test_a_binary_cell_that_is_not_utf8_is_an_error_row_naming_its_column():
    table = pa.table({**{k: [v, v] for k, v in ROW.items()},
                      "plan_type": pa.array([b"\xff\xfe", b"401k"], pa.binary())})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert [(r["status"], r["error_column"]) for r in out] == [("error", "plan_type"), ("ok", None)]


# 5. Misspelled columns and fields -------------------------------------------------------------

def test_a_misspelled_batch_column_is_refused_with_the_nearest_name(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("request_date,birth_date,plan_type,wagez\n2026-06-01,1966-02-03,401k,5\n")
    refused(["batch", str(book), "--job", "eligibility", "-o", str(tmp_path / "o.csv")],
            "book.csv", "`wagez`", "did you mean `wages`")


def test_the_documented_extra_columns_of_a_book_are_read(tmp_path):
    book = tmp_path / "book.csv"
    pacsv.write_csv(pa.table({**{k: [v] for k, v in ROW.items()}, "request_route": ["hardship"],
                              "recipient_tin": ["123-45-6789"], "recipient_name": ["A B"],
                              "payer_tin": ["12-3456789"], "account_number": ["7"],
                              "loans_floor_10000": [True]}), book)
    r = runner.invoke(app, ["batch", str(book), "--job", "forms", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output


def test_a_misspelled_tax_column_is_refused_in_the_command_and_the_api(tmp_path, client):
    path = tmp_path / "units.csv"
    path.write_text("tax_year,filing_status,wagez\n2026,single,50000\n")
    refused(["tax", str(path)], "units.csv", "`wagez`", "did you mean `wages`")
    book = tmp_path / "book.csv"
    book.write_text("participant_id,tax_year,filing_status,state,wagez\nx,2026,single,ny,5\n")
    refused(["batch", str(book), "--job", "tax", "-o", str(tmp_path / "o.csv")], "`wagez`")
    r = client.post("/tax", json={"units": [{**TAX_UNIT, "wagez": 50000}]})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", "units", 0, "wagez"]
    assert "did you mean `wages`" in problem["msg"]


@pytest.mark.parametrize("status", [3, "3"])
def test_a_filing_status_code_is_not_a_filing_status(tmp_path, client, status):
    path = tmp_path / "units.json"
    path.write_text(json.dumps([{**TAX_UNIT, "filing_status": status}]))
    refused(["tax", str(path)], "row 1, filing_status", "is not a filing status")
    r = client.post("/tax", json={"units": [{**TAX_UNIT, "filing_status": status}]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "filing_status"
    out = run_job(pa.table({**{k: [v] for k, v in ROW.items()}, "filing_status": [status]}),
                  "eligibility", LAW).to_pylist()
    assert out[0]["error_column"] == "filing_status"


# 6. A row and its case file reach the same verdict --------------------------------------------

HIRED_BEFORE_BIRTH = ({"hire_date": "1960-01-01"}, {"employment.hire_date": "1960-01-01"},
                      "hire_date", "employment.hire_date")
SPOUSE_NOT_GIVEN = ({"filing_status": "married_joint", "spouse_sole_beneficiary": True},
                    {"person.filing_status": "married_joint",
                     "person.spouse_sole_beneficiary": True},
                    "spouse_birth_date", "person.spouse_birth_date")


# (The RMD job reads and checks only what the RMD needs, docs/batch.md: not the hire date.)
@pytest.mark.parametrize("row_change, case_change, column, field, job", [
    (*HIRED_BEFORE_BIRTH, "eligibility"), (*SPOUSE_NOT_GIVEN, "eligibility"),
    (*SPOUSE_NOT_GIVEN, "rmd")])
def test_a_row_gets_the_case_models_error(row_change, case_change, column, field, job):
    base = {"person.birth_date": "1966-02-03", "request.date": "2026-06-01"}
    with pytest.raises(InputError) as exc:
        parse_case(make({**base, **case_change}))
    (problem,) = [p for p in exc.value.problems if p.field == field]
    out = run_job(pa.table({k: [v] for k, v in {**ROW, **row_change}.items()}), job,
                  LAW).to_pylist()[0]
    assert (out["status"], out["error_column"]) == ("error", column)
    assert out["error_message"] == f"{column}: {problem.problem}"


# 7–9. The API's answers to bodies it cannot read, and where it says the problem is ------------

POSTS = ["/assess", "/compare", "/sepp", "/report", "/cases", "/plan", "/plan/report", "/tax"]


@pytest.mark.parametrize("path", POSTS)
def test_json_nested_100000_deep_is_422_on_every_endpoint(client, path):
    body = b"[" * 100_000 + b"]" * 100_000
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    body = {"/cases": "a saved case", "/plan": "a drawdown plan", "/plan/report": "a drawdown plan",
            "/tax": "a tax request"}.get(path, "a case")
    assert r.json()["detail"][0]["msg"] == f"nests deeper than 64 levels: not {body}"


@pytest.mark.parametrize("path", POSTS)
def test_a_body_that_is_not_utf8_is_422_saying_so(client, path):
    r = client.post(path, content=b'{"id": "caf\xe9"}', headers={"content-type":
                                                                "application/json"})
    assert r.status_code == 422, r.text
    assert "not UTF-8" in r.json()["detail"][0]["msg"]
    assert "finite" not in r.text


def test_law_names_a_query_parameter_as_such(client):
    r = client.get("/law", params={"names": "zzz"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "names"]
    r = client.get("/law", params={"names": "early_distributions.age", "year": 1800})
    assert r.json()["detail"][0]["loc"] == ["query", "year"]


@pytest.mark.parametrize("method", ["post", "put"])
def test_saved_case_errors_name_the_field_under_case(client, method):
    made = client.post("/cases", json={"case": make()})
    assert made.status_code == 201, made.text
    url = "/cases" if method == "post" else f"/cases/{made.json()['id']}"
    for change, loc in (({"request.date": "2019-06-01"}, ["body", "case", "request", "date"]),
                        ({"person.birth_date": "2027-01-01"},
                         ["body", "case", "person", "birth_date"])):
        r = getattr(client, method)(url, json={"case": make(change)})
        assert r.status_code == 422, r.text
        assert loc in [d["loc"] for d in r.json()["detail"]], r.text


# 10. Files that never end, or are too large --------------------------------------------------

def test_a_device_is_not_read_as_a_case():
    with within(20):
        refused(["assess", "/dev/zero"], "is not a regular file")


def test_a_fifo_is_not_waited_on(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    with within(20):
        refused(["assess", str(fifo)], "case.yaml", "is not a regular file")


def test_a_case_file_over_the_body_limit_is_refused(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE.read_text() + "#" * MAX_BODY_BYTES)
    refused(["assess", str(path)], "case.yaml", f"larger than {MAX_BODY_BYTES:,} bytes")


def test_a_folder_given_as_the_batch_input_is_named_a_folder(tmp_path):
    """`dist401k batch FOLDER` said "unknown file type ''": it says what the path is."""
    (tmp_path / "books").mkdir()
    refused(["batch", tmp_path / "books", "--job", "rmd", "-o", tmp_path / "out.csv"],
            "books: is a folder, not a table file")


@pytest.mark.parametrize(("args", "words"), [
    (["plan", "examples/plans/single-retiree.yaml", "--paths", "abc"],
     "error: Invalid value for '--paths': is not a number ("),
    # Typer's own check (pydantic's "Input should be a valid integer, unable to parse string
    # as an integer") in the words of every door: a fraction is not a whole number.
    (["plan", "examples/plans/single-retiree.yaml", "--paths", "2.5"],
     "error: Invalid value for '--paths': must be a whole number ("),
    (["batch", "examples/households.csv", "--job", "rmd", "-o", "out.csv", "--workers", "x"],
     "error: Invalid value for '--workers': is not a number ("),
    (["tax", "examples/plans/single-retiree.yaml", "--bogus"], "error: No such option: --bogus"),
    (["assess"], "error: Missing argument 'case'."),
    (["frobnicate"], "error: No such command 'frobnicate'."),
])
def test_a_usage_error_is_one_line(args, words):
    """An unknown option, an option's value of the wrong kind, a missing argument or command:
    one line naming it and the help to read, exit 2 — not Typer's box of usage and error."""
    out = refused([str(ROOT / a) if a.startswith("examples/") else a for a in args], words)
    assert len(out.strip().splitlines()) == 1, out
    assert out.strip().endswith("--help)") and "Usage:" not in out


def test_a_thousands_separator_in_a_flow_mapping_names_the_mapping(tmp_path):
    """``{ira: 800,000, roth: 50000}`` reads in YAML as ``ira: 800`` and a field named 0: the
    refusal names the mapping and the cause, not pydantic's "Keys should be strings"."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("start_year: 2026\npeople:\n  - birth_date: 1960-03-01\n"
                    "    life_expectancy: 90\n    accounts: {ira: 800,000, roth: 50000}\n"
                    "spending: {annual: 40000}\n")
    out = refused(["plan", plan, "--no-monte-carlo"], "people.0.accounts",
                  "thousands separator")
    assert "Keys should be strings" not in out


@pytest.mark.parametrize("value", ["50,000", "$5000", "1_000"])
def test_a_formatted_amount_is_refused_by_the_tax_doors_as_by_the_others(tmp_path, client,
                                                                         value):
    """A case file's amount and a batch row's refuse "50,000" as not a number; the tax doors
    took it (and wrote it back out as text).  Now the same verdict everywhere."""
    path = tmp_path / "units.csv"
    path.write_text(f'tax_year,filing_status,wages\n2026,single,"{value}"\n')
    refused(["tax", path], "row 1, wages", "is not a number")
    r = client.post("/tax", json={"units": [{**TAX_UNIT, "wages": value}]})
    assert r.status_code == 422 and "wages" in r.text, r.text
