"""An integer beyond the range of a float in a batch book (400 nines) is "too large", as every
other door says it (DESIGN.md: "the same through every door"): `dist401k assess` of a case file
and `POST /assess` refuse such a balance with ``errors.TOO_LARGE`` — the number is finite in
mathematics, too large for dist401k —, and ``1e400`` or ``inf`` with ``errors.FINITE``.  A CSV
parser reads both as infinity; the book's checks tell them apart by the cell's text."""

from __future__ import annotations

import json
import sys

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import FINITE, TOO_LARGE, integer_beyond_float
from dist401k.io.tables import read_csv_table

runner = CliRunner()
NINES = "9" * 400
HEADER = ("participant_id,birth_date,request_date,plan_type,balance_elective_deferral,"
          "request_route,request_amount\n")


def _row(pid: str, balance: str, amount: str = "1000") -> str:
    return f"{pid},1970-01-01,2026-06-01,401k,{balance},in_service,{amount}\n"


def _errors(out) -> list[tuple[str, str | None, str | None]]:
    rows = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(
        strings_can_be_null=True)).to_pylist()
    return [(r["status"], r["error_column"], r["error_message"]) for r in rows]


def _batch(book, out, job: str = "outcome") -> list[tuple[str, str | None, str | None]]:
    r = runner.invoke(app, ["batch", str(book), "--job", job, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return _errors(out)


@pytest.mark.parametrize("job", ["outcome", "eligibility", "rmd"])
def test_a_csv_book_says_too_large_of_400_nines(tmp_path, job):
    book = tmp_path / "book.csv"
    book.write_text(HEADER + _row("p1", NINES) + _row("p2", "1e400") + _row("p3", "-" + NINES)
                    + _row("p4", "5000", NINES) + _row("p5", "inf"))
    b = "balance_elective_deferral"
    assert _batch(book, tmp_path / "out.csv", job) == [
        ("error", b, f"{b}: {TOO_LARGE}"),
        ("error", b, f"{b}: {FINITE}"),
        ("error", b, f"{b}: {TOO_LARGE}"),
        ("error", "request_amount", f"request_amount: {TOO_LARGE}"),
        ("error", b, f"{b}: {FINITE}"),
    ]


def test_a_parquet_book_of_text_says_too_large(tmp_path):
    book = tmp_path / "book.parquet"
    rows = [dict(participant_id=p, birth_date="1970-01-01", request_date="2026-06-01",
                 plan_type="401k", balance_elective_deferral=v, request_route="in_service",
                 request_amount="1000")
            for p, v in (("p1", NINES), ("p2", "1e400"), ("p3", "5000"))]
    pq.write_table(pa.Table.from_pylist(rows), book)
    b = "balance_elective_deferral"
    got = _batch(book, tmp_path / "out.csv")
    assert got[:2] == [("error", b, f"{b}: {TOO_LARGE}"), ("error", b, f"{b}: {FINITE}")]
    assert got[2][0] == "ok"


CASE = """\
person: {birth_date: 1970-01-01, filing_status: single}
employment: {status: active, hire_date: 2006-01-09}
plan:
  type: 401k
  in_service:
    elective_deferral: {allowed: true, min_age: 55}
account:
  sources:
    elective_deferral: {balance: BALANCE}
request: {date: 2026-06-01, amount: 1000}
"""


@pytest.mark.parametrize("cell", [NINES, "1e400"], ids=["400 nines", "1e400"])
def test_the_batch_says_what_assess_and_the_api_say(tmp_path, cell):
    """The same balance through the three doors: one verdict, in the same words."""
    from dist401k.api import create_app
    from dist401k.store import Store

    case = tmp_path / "case.yaml"
    case.write_text(CASE.replace("BALANCE", cell))
    r = runner.invoke(app, ["assess", str(case)])
    assert r.exit_code == 2
    field = "account.sources.elective_deferral.balance"
    said = r.output.strip().splitlines()[-1].split(f"{field}: ", 1)[1]
    assert said == (TOO_LARGE if cell == NINES else FINITE)

    body = yaml.safe_load(CASE.replace("BALANCE", "0"))
    raw = json.dumps(body, default=str).replace('"balance": 0', f'"balance": {cell}')
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""),
                        base_url="http://localhost")
    answer = client.post("/assess", content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"] == said

    book = tmp_path / "book.csv"
    book.write_text(HEADER + _row("p1", cell))
    b = "balance_elective_deferral"
    assert _batch(book, tmp_path / "out.csv") == [("error", b, f"{b}: {said}")]


def test_integer_beyond_float_is_judged_on_the_integer():
    """Beyond 1.7976931348623157e308 (the largest float) by the integer's own value: the
    largest float written as an integer fits; a unit more than it does not (it rounds to the
    largest float, but is beyond it, as ``POST /assess`` judges a JSON integer); an exponent
    or ``inf`` is a number that is not finite, not an integer."""
    top = int(sys.float_info.max)
    assert not integer_beyond_float(str(top))
    assert integer_beyond_float(str(top + 1))
    assert integer_beyond_float(" " + NINES + " ")
    assert integer_beyond_float("-" + NINES)
    assert integer_beyond_float("9" * 5000)  # beyond the digits Python reads as an int
    for text in ("1e400", "inf", "-inf", "nan", "12", "", None, 1e308):
        assert not integer_beyond_float(text)


def test_a_csv_column_with_an_infinity_is_read_as_text(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("a,b\n" + f"{NINES},1.5\n" + "2,2.5\n")
    table = read_csv_table(book, text_columns=())
    assert table.column("a").to_pylist() == [NINES, "2"]
    assert table.schema.field("b").type == pa.float64()
