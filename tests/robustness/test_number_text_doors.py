"""A number written as text gets one verdict in every door: read where it is written with the
digits 0-9 (a sign, a point, an exponent and spaces around it allowed), refused as "is not a
number", naming the field, where it is written with another script's digits (Arabic-Indic
``١٠٠٠``, full-width ``１０００``, Devanagari ``१०००``), with ``_``, a thousands comma or a dollar
sign.

Python's ``float`` reads ``"١٠٠٠"`` as 1000: `dist401k tax` (its CSV, ``POST /tax``) and a batch
cell did, while a case file (``assess``, ``compare``, ``sepp``, ``plan``) and the API refused it
— one input, two verdicts (DESIGN.md: "every door gives the same verdict").  The verdicts below
are worked from that rule, not taken from the program: every door reads a number written as
text with ``dist401k.tax.units.number_text`` (a batch cell in ``dist401k.flat._numbers``, a tax
column in ``to_float``) or refuses it in the case model (``dist401k.case._text_read``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.store import Store
from robustness.strategies import SHARED_NUMBER_COLUMNS, flat_rows, number_texts

ROOT = Path(__file__).parents[2]
LAW = default_law()
runner = CliRunner()
NOT_A_NUMBER = "is not a number"


def jsonable(path: Path) -> dict:
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


CASE = jsonable(ROOT / "examples" / "cases" / "hardship-medical.yaml")
SEPP_CASE = jsonable(ROOT / "examples" / "cases" / "sepp-early-retiree.yaml")
PLAN = jsonable(ROOT / "examples" / "plans" / "single-retiree.yaml")

#: 1000 written as text: the number every door reads in it (the rule above), or None where
#: every door refuses it.
SPELLINGS = {"1000": 1000.0, "1e3": 1000.0, " 1000 ": 1000.0, "+1000": 1000.0, "1000.0": 1000.0,
             "١٠٠٠": None, "１０００": None, "१०००": None, "1_000": None, "1,000": None,
             "$1,000": None}
READ = [t for t, v in SPELLINGS.items() if v is not None]
REFUSED = [t for t, v in SPELLINGS.items() if v is None]
OTHER_SCRIPTS = ["١٠٠٠", "１０００", "१०००"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


def with_wages(case: dict, text: str) -> dict:
    out = copy.deepcopy(case)
    out.setdefault("income", {})["wages"] = text
    return out


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def one_line(output: str) -> str:
    return " ".join(output.split())


# 1. Each door, each spelling ------------------------------------------------------------------

@pytest.mark.parametrize("text", list(SPELLINGS))
def test_a_case_file_reads_a_number_text_by_the_rule(tmp_path, text):
    r = runner.invoke(app, ["assess", str(write_json(tmp_path / "case.json",
                                                     with_wages(CASE, text)))])
    if SPELLINGS[text] is None:
        assert r.exit_code == 2 and f"income.wages: {NOT_A_NUMBER}" in one_line(r.output), r.output
    else:
        assert r.exit_code == 0, r.output
        assert parse_case(with_wages(CASE, text)).income.wages == SPELLINGS[text]


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_the_api_reads_a_number_text_by_the_rule(client, text):
    r = client.post("/assess", json=with_wages(CASE, text))
    if SPELLINGS[text] is None:
        assert r.status_code == 422, r.text
        (detail,) = r.json()["detail"]
        assert detail["loc"] == ["body", "income", "wages"]
        assert detail["msg"].startswith(NOT_A_NUMBER)
    else:
        assert r.status_code == 200, r.text[:300]


def tax_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("tax_year,filing_status,wages\n")
        f.write(f'2025,single,"{text}"\n')
    return path


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_the_tax_command_reads_a_number_text_by_the_rule(tmp_path, text):
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["tax", str(tax_csv(tmp_path, text)), "-o", str(out)])
    if SPELLINGS[text] is None:
        assert r.exit_code == 2 and f"wages: {NOT_A_NUMBER}" in one_line(r.output), r.output
        return
    assert r.exit_code == 0, r.output
    plain = tmp_path / "plain.csv"
    assert runner.invoke(app, ["tax", str(tax_csv(tmp_path, "1000")), "-o", str(plain)]
                         ).exit_code == 0
    got, expected = pacsv.read_csv(out), pacsv.read_csv(plain)
    assert got.drop_columns(["wages"]).equals(expected.drop_columns(["wages"]))


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_post_tax_reads_a_number_text_by_the_rule(client, text):
    r = client.post("/tax", json={"units": [{"tax_year": 2025, "filing_status": "single",
                                             "wages": text}]})
    if SPELLINGS[text] is None:
        assert r.status_code == 422, r.text
        assert any(d["loc"][-1] == "wages" and d["msg"].startswith(NOT_A_NUMBER)
                   for d in r.json()["detail"]), r.text
    else:
        assert r.status_code == 200, r.text[:300]
        plain = client.post("/tax", json={"units": [{"tax_year": 2025, "filing_status": "single",
                                                     "wages": 1000}]})
        assert r.json()["results"] == plain.json()["results"]


BOOK = {"participant_id": "p1", "request_date": "2026-03-02", "birth_date": "1966-05-01",
        "plan_type": "401k", "filing_status": "single", "employment_status": "active",
        "hire_date": "2001-01-01", "balance_elective_deferral": "50000"}


def test_a_batch_book_reads_each_number_text_by_the_rule_and_loses_no_row(tmp_path):
    """Every spelling in one CSV book through `dist401k batch`: a row for each, an error row
    naming ``wages`` for each refused one."""
    book = tmp_path / "book.csv"
    rows = [{**BOOK, "participant_id": f"p{i}", "wages": t} for i, t in enumerate(SPELLINGS)]
    pacsv.write_csv(pa.Table.from_pylist(rows), book)
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["batch", str(book), "--job", "eligibility", "-o", str(out)])
    assert r.exit_code == 0, r.output
    result = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(
        column_types={"participant_id": pa.string()})).to_pylist()
    assert [x["participant_id"] for x in result] == [f"p{i}" for i in range(len(SPELLINGS))]
    for x, text in zip(result, SPELLINGS, strict=True):
        if SPELLINGS[text] is None:
            assert x["status"] == "error", (text, x)
            assert x["error_message"].startswith(f"wages: {NOT_A_NUMBER}"), (text, x)
        else:
            assert x["status"] == "ok", (text, x["error_message"])


@pytest.mark.parametrize("text", OTHER_SCRIPTS)
def test_a_parquet_text_column_refuses_another_scripts_digits(text):
    table = pa.table({k: pa.array([v], pa.string()) for k, v in {**BOOK, "wages": text}.items()})
    (row,) = run_job(table, "eligibility", LAW).to_pylist()
    assert row["status"] == "error" and row["error_message"] == f"wages: {NOT_A_NUMBER}", row


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_a_plan_file_reads_a_number_text_by_the_rule(tmp_path, client, text):
    plan = copy.deepcopy(PLAN)
    plan["taxable"]["balance"] = text
    if SPELLINGS[text] is not None:
        assert parse_household(plan).taxable.balance == SPELLINGS[text]
        return
    r = runner.invoke(app, ["plan", str(write_json(tmp_path / "plan.json", plan))])
    assert r.exit_code == 2 and f"taxable.balance: {NOT_A_NUMBER}" in one_line(r.output), r.output
    api = client.post("/plan", json=plan)
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["body", "taxable",
                                                                         "balance"]


@pytest.mark.parametrize("text", OTHER_SCRIPTS + ["1_000"])
def test_sepp_refuses_a_number_in_another_script_in_both_doors(tmp_path, client, text):
    case = with_wages(SEPP_CASE, text)
    r = runner.invoke(app, ["sepp", str(write_json(tmp_path / "case.json", case))])
    assert r.exit_code == 2 and f"income.wages: {NOT_A_NUMBER}" in one_line(r.output), r.output
    api = client.post("/sepp", json=case)
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["body", "income", "wages"]


def test_a_whole_number_in_another_script_is_no_number_not_a_fraction():
    """``"٢.٥"`` (2.5 in Arabic-Indic digits) in a whole-number field: "is not a number", as
    ``"٢"`` is, and as the batch column says — not "must be a whole number", which read it as
    2.5 first."""
    case = copy.deepcopy(CASE)
    case.setdefault("account", {})["withdrawals_this_year"] = "٢.٥"
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [(p.field, p.problem) for p in exc.value.problems] == [
        ("account.withdrawals_this_year", NOT_A_NUMBER)]


# 2. Any row, any number column, any spelling: the row and its case file agree -----------------

def case_path(row: dict, column: str) -> str:
    """The dotted path of the case field a column fills: the leaf that changes with it."""
    a, b = (row_to_case({**row, column: v}) for v in (1.0, 2.0))
    return next(p for p in _leaves(a) if _get(a, p) != _get(b, p))


def _leaves(data: dict, prefix: str = "") -> list[str]:
    return [p for k, v in data.items()
            for p in (_leaves(v, f"{prefix}{k}.") if isinstance(v, dict) else [f"{prefix}{k}"])]


def _get(data: dict, path: str):
    for k in path.split("."):
        data = data.get(k, {}) if isinstance(data, dict) else {}
    return data


def _set(data: dict, path: str, value) -> dict:
    out = copy.deepcopy(data)
    node = out
    *parents, last = path.split(".")
    for k in parents:
        node = node.setdefault(k, {})
    node[last] = value
    return out


def case_verdict(case: dict) -> str:
    try:
        parse_case(case)
    except InputError as exc:
        return "; ".join(p.problem for p in exc.problems)
    return "ok"


def row_verdict(row: dict) -> tuple[str, str]:
    table = pa.table({k: pa.array([v]) for k, v in row.items() if v is not None})
    out = run_job(table, "eligibility", LAW).to_pylist()[0]
    return out["status"], out["error_message"] or ""


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(flat_rows(), st.sampled_from(SHARED_NUMBER_COLUMNS), number_texts())
def test_a_number_text_reads_as_its_number_in_a_row_and_in_its_case_file(row, column, drawn):
    text, number = drawn
    path = case_path(row, column)
    given = row_verdict({**row, column: text})
    case = _set(row_to_case({**row, column: 1.0}), path, text)
    if number is None:  # refused by both as no number, naming the column and the field
        words = case_verdict(case)
        assert words.startswith(NOT_A_NUMBER), (text, words)
        assert given[0] == "error" and given[1].startswith(f"{column}: {NOT_A_NUMBER}"), given
    else:  # read as the number itself, by both
        assert given == row_verdict({**row, column: float(number)}), text
        as_number = _set(row_to_case({**row, column: 1.0}), path, number)
        assert case_verdict(case) == case_verdict(as_number), text
