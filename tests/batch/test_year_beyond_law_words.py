"""A request dated in a year beyond the law (params/meta/years.yaml, ``projected_through``) is
refused in the same words at every door (docs/batch.md, "Errors"): the case door (`dist401k
assess`) says ``request.date: tax year Y is not a year dist401k has law for (known: lo–hi)``,
the year named; a batch row says the same of ``request_date``, and blames that date alone —
never a birth date for "an age over 120" that only the year beyond the law would give."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
D = dt.date
EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
YEARS = Path(__file__).parents[2] / "src" / "dist401k" / "law" / "params" / "meta" / "years.yaml"


def _known() -> tuple[int, int]:
    """The first year and the last projected year, read in the law file itself."""
    (value,) = yaml.safe_load(YEARS.read_text())["values"].values()
    return value["first_year"], value["projected_through"]


FIRST, LAST = _known()


def _words(year: int) -> str:
    """The case door's words (dist401k.case ``with_known_year``), the year worked by hand."""
    return f"tax year {year} is not a year dist401k has law for (known: {FIRST}–{LAST})"


#: examples/cases/qdro-former-spouse.yaml as a book row, with the participant's birth date.
#: Born 1975: 2200 − 1975 = 225 and 2101 − 1975 = 126 years, over 120 in a year beyond the law;
#: 2100 − 1975 = 125, over 120 in the law's last year (the birth date then is to blame).
QDRO = {
    "participant_id": "qdro-former-spouse", "request_date": D(2026, 6, 1),
    "birth_date": D(1981, 3, 15), "filing_status": "single", "wages": 60000.0, "plan_type": "401k",
    "balance_elective_deferral": 120000.0, "ap_relationship": "former_spouse",
    "ap_participant_birth_date": D(1975, 1, 1), "request_amount": 30000.0,
    "request_destination": "cash", "request_route": "qdro"}
#: A participant's own row: born 1950, 1 February; 2200 − 1950 = 250 years.
OWN = {"participant_id": "retiree", "request_date": D(2026, 11, 23), "birth_date": D(1950, 2, 1),
       "plan_type": "401k", "employment_status": "separated", "separation_date": D(2015, 6, 30),
       "balance_elective_deferral": 300000.0, "prior_year_end_balance": 290000.0,
       "request_route": "rmd", "request_destination": "cash"}
#: (the row's request date, the year its words name): 2200-11-23 and the first year beyond
#: the law, January 1 and December 31 of it (LAST is 2100 in params/meta/years.yaml).
BEYOND = [(D(2200, 11, 23), 2200), (D(LAST + 1, 1, 1), LAST + 1), (D(LAST + 1, 12, 31), LAST + 1)]


def _table(rows: list[dict]) -> pa.Table:
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


def _case_door(row: dict) -> set[tuple[str, str]]:
    """The problems `dist401k assess` names for the row's case (none: an empty set)."""
    try:
        parse_case(row_to_case({k: v.isoformat() if isinstance(v, dt.date) else v
                                for k, v in row.items()}))
    except InputError as exc:
        return {(p.field, p.problem) for p in exc.problems}
    return set()


def test_the_first_year_beyond_the_law_is_2101():
    """The hand-worked years above assume the law file's range (2024–2100 at present)."""
    assert (FIRST, LAST) == (2024, 2100)


@pytest.mark.parametrize(("day", "year"), BEYOND)
@pytest.mark.parametrize("job", ["rmd", "eligibility", "outcome", "forms"])
@pytest.mark.parametrize("base", [QDRO, OWN], ids=["alternate_payee", "participant"])
def test_a_row_beyond_the_law_names_its_year_and_blames_the_date_alone(base, job, day, year):
    (out,) = run_job(_table([{**base, "request_date": day}]), job, LAW).to_pylist()
    assert (out["status"], out["error_column"]) == ("error", "request_date"), out
    assert out["error_message"] == f"request_date: {_words(year)}"


@pytest.mark.parametrize(("day", "year"), BEYOND)
@pytest.mark.parametrize("base", [QDRO, OWN], ids=["alternate_payee", "participant"])
def test_the_case_door_and_the_batch_door_say_the_same_words(base, day, year):
    row = {**base, "request_date": day}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    said = {f"{field.replace('.', '_')}: {problem}" for field, problem in _case_door(row)}
    assert said == {f"request_date: {_words(year)}"} == {out["error_message"]}


def test_each_row_of_a_book_names_its_own_year():
    rows = [{**QDRO, "participant_id": str(d), "request_date": d} for d, _ in BEYOND]
    out = run_job(_table([QDRO, *rows, OWN]), "outcome", LAW).to_pylist()
    assert out[0]["status"] == out[-1]["status"] == "ok", (out[0], out[-1])
    assert [o["error_message"] for o in out[1:-1]] == [f"request_date: {_words(y)}"
                                                       for _, y in BEYOND]


@pytest.mark.parametrize(("base", "column", "field"), [
    (QDRO, "ap_participant_birth_date", "alternate_payee.participant_birth_date"),
    ({**OWN, "birth_date": D(1975, 1, 1)}, "birth_date", "person.birth_date")])
def test_in_the_law_s_last_year_the_birth_date_is_to_blame(base, column, field):
    """December 31, 2100: 2100 − 1975 = 125 years, over 120, in a year the law has."""
    row = {**base, "request_date": D(LAST, 12, 31)}
    (out,) = run_job(_table([row]), "outcome", LAW).to_pylist()
    assert out["error_message"] == f"{column}: gives an age over 120", out
    assert _case_door(row) == {(field, "gives an age over 120")}


def test_the_command_line_doors_say_the_same_words(tmp_path):
    """`dist401k batch` on a CSV row and `dist401k assess` on the case file, dated 2200-11-23."""
    case = yaml.safe_load((EXAMPLES / "qdro-former-spouse.yaml").read_text())
    case["request"]["date"] = "2200-11-23"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(case))
    row = {**QDRO, "request_date": D(2200, 11, 23)}
    with (tmp_path / "book.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()})
    runner = CliRunner()
    alone = runner.invoke(app, ["assess", str(tmp_path / "case.yaml")])
    assert alone.exit_code == 2 and f"request.date: {_words(2200)}" in alone.output, alone.output
    r = runner.invoke(app, ["batch", str(tmp_path / "book.csv"), "--job", "outcome",
                            "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 0, r.output
    with (tmp_path / "out.csv").open(newline="") as f:
        (out,) = list(csv.DictReader(f))
    assert out["error_message"] == f"request_date: {_words(2200)}"
