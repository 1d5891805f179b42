"""A periodic payment's federal withholding that is not figured is shown as unknown — null in
JSON, a null batch column, "unknown" in the tables and the report —, never as $0.00 withheld,
in every door the same; the same payment in a year whose tables the law holds shows its
withholding.

A payment of a periodic series is withheld from as wages (IRC §3405(a)), by the payee's Form
W-4P and Pub. 15-T's tables; the law holds no table for a tax year before 2025, so the
withholding is not figured (reason ``SR_WITHHOLDING_WAGES``) and Form 1099-R box 4 is blank.
The check received is then the payment before that withholding (as a state withholding that is
not figured is left out of it): the $2,000 paid.

Expected figures, worked by hand from Pub. 15-T (2025), Worksheet 1A and its Annual Percentage
Method table (single, no W-4P: §3405(a)(4)): $2,000 a month, all taxable: 24,000 − 8,600
(line 1g) = 15,400; the 2025 single row 6,400–18,325 takes 10% of the excess: 10% × 9,000 =
900.00 a year; ÷ 12 = $75.00 withheld from each payment; the check, 2,000 − 75 = $1,925.00."""

from __future__ import annotations

import csv
import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.test_answer_schemas_nulls import _errors
from dist401k.api import create_app
from dist401k.cli import app
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store

LAW = default_law()
runner = CliRunner()

#: Born 1958-03-01, left in 2023, a monthly $2,000 life annuity begun 2024-01-01, with $60,000
#: of wages (so the payment adds income tax and a due-when-filing line can be said).
CASE = {
    "person": {"birth_date": "1958-03-01", "filing_status": "single"},
    "plan": {"type": "401k"},
    "employment": {"status": "separated", "separation_date": "2023-06-30",
                   "hire_date": "2000-01-01"},
    "income": {"wages": 60000},
    "account": {"sources": {"elective_deferral": {"balance": 300000}}},
    "request": {"date": "2024-03-01", "amount": 2000, "series": "life",
                "annuity_start_date": "2024-01-01", "series_payments_per_year": 12,
                "destination": "cash"},
}
ROW = {
    "participant_id": "p2024", "request_date": "2024-03-01", "birth_date": "1958-03-01",
    "filing_status": "single", "plan_type": "401k", "employment_status": "separated",
    "separation_date": "2023-06-30", "hire_date": "2000-01-01", "wages": 60000.0,
    "balance_elective_deferral": 300000.0, "request_amount": 2000.0, "request_series": "life",
    "request_annuity_start_date": "2024-01-01", "request_series_payments_per_year": 12.0,
    "request_route": "separation", "request_destination": "cash",
}
#: (tax year, the withholding by hand: None where not figured, the check received by hand)
YEARS = [(2024, None, 2000.00), (2025, 75.00, 1925.00)]


def _case(year: int) -> dict:
    case = json.loads(json.dumps(CASE))
    case["request"]["date"] = f"{year}-03-01"
    return case


def _row(year: int) -> dict:
    return {**ROW, "participant_id": f"p{year}", "request_date": f"{year}-03-01"}


def _cash(outcomes: list[dict]) -> dict:
    return next(o for o in outcomes if o["route"] == "separation" and o["destination"] == "cash")


def _write(tmp_path, year: int):
    path = tmp_path / f"case{year}.yaml"
    path.write_text(yaml.safe_dump(_case(year)))
    return path


def _close(got, want) -> bool:
    return got is None if want is None else got == pytest.approx(want, abs=0.005)


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    db = tmp_path_factory.mktemp("w") / "w.db"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


@pytest.mark.parametrize(("year", "withheld", "check"), YEARS)
def test_the_cli_json_gives_null_not_zero(tmp_path, year, withheld, check):
    r = runner.invoke(app, ["assess", "--format", "json", str(_write(tmp_path, year))])
    assert r.exit_code == 0, r.output
    o = _cash(json.loads(r.stdout)["outcomes"])
    assert _close(o["withholding"], withheld), o["withholding"]
    assert o["check_received"] == pytest.approx(check, abs=0.005)
    assert o["net_cash"] == pytest.approx(check, abs=0.005)
    codes = [x["code"] for x in o["reasons"]]
    assert ("SR_WITHHOLDING_WAGES" in codes) == (withheld is None)
    # Box 4 agrees with the outcome: blank where the withholding is not figured.
    assert [_close(f["box_4"], withheld) for f in o["form_1099r"]] == [True]


@pytest.mark.parametrize(("year", "withheld", "check"), YEARS)
def test_the_api_gives_null_not_zero(client, year, withheld, check):
    r = client.post("/assess", json=_case(year))
    assert r.status_code == 200, r.text
    o = _cash(r.json()["outcomes"])
    assert _close(o["withholding"], withheld), o["withholding"]
    assert o["check_received"] == pytest.approx(check, abs=0.005)


def test_the_api_answer_and_a_saved_determination_publish_the_null(client):
    """The null validates against the published answer (``withholding``: number or null), and
    a saved determination keeps it."""
    openapi = client.get("/openapi.json").json()
    answer = client.post("/assess", json=_case(2024)).json()
    assert _cash(answer["outcomes"])["withholding"] is None
    assert not _errors(openapi, "post", "/assess", 200, answer)
    saved = client.post("/cases", json={"label": "w2024", "case": _case(2024)})
    assert saved.status_code == 201, saved.text[:300]
    det = client.post(f"/cases/{saved.json()['id']}/determinations")
    assert det.status_code == 201, det.text[:300]
    assert _cash(det.json()["result"]["outcomes"])["withholding"] is None
    assert not _errors(openapi, "post", "/cases/{case_id}/determinations", 201, det.json())


def test_a_batch_row_gives_a_null_withholding_never_a_lost_row():
    out = run_job(pa.Table.from_pylist([_row(y) for y, _, _ in YEARS]), "outcome",
                  LAW).to_pylist()
    assert [r["participant_id"] for r in out] == ["p2024", "p2025"]
    for r, (_, withheld, check) in zip(out, YEARS, strict=True):
        assert r["status"] == "ok", r["error_message"]
        assert _close(r["withholding"], withheld), r["withholding"]
        assert r["check_received"] == pytest.approx(check, abs=0.005)


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_the_batch_files_keep_the_null(tmp_path, suffix):
    book = tmp_path / "book.parquet"
    pq.write_table(pa.Table.from_pylist([_row(y) for y, _, _ in YEARS]), book)
    out = tmp_path / f"out.{suffix}"
    r = runner.invoke(app, ["batch", str(book), "--job", "outcome", "-o", str(out)])
    assert r.exit_code == 0, r.output
    if suffix == "parquet":
        col = pq.read_table(out).column("withholding")
        assert pa.types.is_floating(col.type)
        got = col.to_pylist()
    else:
        with open(out, newline="", encoding="utf-8") as fh:
            got = [float(x["withholding"]) if x["withholding"] else None
                   for x in csv.DictReader(fh)]
    assert len(got) == 2 and got[0] is None and got[1] == pytest.approx(75.00, abs=0.005)


def test_the_cli_table_says_unknown_and_owes_no_unknown_due(tmp_path):
    r = runner.invoke(app, ["assess", str(_write(tmp_path, 2024))])
    assert r.exit_code == 0, r.output
    cash = next(line for line in r.output.splitlines() if line.strip().startswith("cash"))
    # gross, taxable, withheld, income tax, 10% tax, check received, kept after all tax
    cells = cash.split()
    assert cells[1:4] == ["2,000", "2,000", "unknown"] and cells[6] == "2,000"
    assert "withheld unknown" in r.output and "SR_WITHHOLDING_WAGES" in r.output
    # What is still due when filing depends on the withholding: not said ("nothing withheld"
    # would be the $0 again).
    assert "nothing withheld" not in r.output


def test_the_cli_table_shows_the_withholding_where_figured(tmp_path):
    r = runner.invoke(app, ["assess", str(_write(tmp_path, 2025))])
    assert r.exit_code == 0, r.output
    cash = next(line for line in r.output.splitlines() if line.strip().startswith("cash"))
    assert cash.split()[1:4] == ["2,000", "2,000", "75"]
    assert "withheld unknown" not in r.output


@pytest.mark.parametrize(("year", "cell"), [(2024, "unknown"), (2025, "75")])
def test_the_report_says_unknown(tmp_path, year, cell):
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(_write(tmp_path, year)), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    table = html[html.index("The options side by side"):]
    table = table[:table.index("</table>")]
    row = next(r for r in table.split("<tr")[1:] if "take it in cash" in r)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    # option, gross, check received, kept after all tax, income tax, 10% tax, withheld
    assert cells[1] == "2,000" and cells[6] == cell
    assert ("Withheld unknown" in html) == (year == 2024)
