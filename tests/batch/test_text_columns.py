"""Identifiers stay as written (docs/batch.md, "Text stays text"; docs/forms.md): a CSV book's
`participant_id`, TINs, ZIP codes and account numbers are read as text, so their leading zeros
reach the results and the filing; a Parquet book that holds them as numbers, whose zeros are
lost already, is refused for that column in one line naming it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.filing import NAMESPACE
from dist401k.io.tables import read_csv_table
from dist401k.jobs import run_job
from dist401k.law import default_law

runner = CliRunner()
NS = {"ir": NAMESPACE}
TRANSMITTER_ARGS = ["--tcc", "ABCDE", "--transmitter-tin", "000000401", "--software-id",
                    "12345678"]

# The QA reviewer's book (r3.csv): two participants of a New York plan, one in Albany and one
# in Boston.
R3 = """\
participant_id,request_date,birth_date,plan_type,employment_status,hire_date,separation_date,\
balance_elective_deferral,request_route,request_destination,request_amount,account_number,\
recipient_tin,recipient_zip,payer_tin,payer_name,payer_address,payer_city,payer_state,payer_zip,\
recipient_first_name,recipient_last_name,recipient_address,recipient_city,recipient_state
000123,2026-11-23,1985-01-01,401k,separated,2010-01-01,2025-01-01,50000,separation,cash,10000,\
000456,012-45-6789,12207,00-0000401,Plan,1 Main St,Albany,NY,12207,Ann,Lee,2 Elm St,Albany,NY
000124,2026-11-23,1985-01-01,401k,separated,2010-01-01,2025-01-01,50000,separation,cash,10000,\
000457,012456789,02134,00-0000401,Plan,1 Main St,Albany,NY,12207,Ann,Lee,2 Elm St,Boston,MA
"""


def _r3(tmp_path: Path) -> Path:
    path = tmp_path / "r3.csv"
    path.write_text(R3, encoding="utf-8")
    return path


def test_a_csv_book_reads_identifiers_as_written(tmp_path):
    """USPS: 02134 is the ZIP code of Allston, Boston MA — five digits, the first a zero; a
    TIN is nine digits (Instructions for Forms 1099-R and 5498; General Instructions for
    Certain Information Returns, "Taxpayer Identification Numbers"), 012-45-6789 among them.
    None of these is a number to read: each comes back character for character."""
    t = read_csv_table(_r3(tmp_path))
    for name in ("participant_id", "account_number", "recipient_tin", "recipient_zip",
                 "payer_zip", "payer_tin"):
        assert t.schema.field(name).type == pa.string(), name
    assert t.column("participant_id").to_pylist() == ["000123", "000124"]
    assert t.column("account_number").to_pylist() == ["000456", "000457"]
    assert t.column("recipient_tin").to_pylist() == ["012-45-6789", "012456789"]
    assert t.column("recipient_zip").to_pylist() == ["12207", "02134"]
    # The money stays a number.
    assert pa.types.is_integer(t.schema.field("request_amount").type)


def test_the_reviewers_csv_book_is_filed_with_its_leading_zeros(tmp_path, monkeypatch):
    """The QA reviewer's r3.csv through `batch --job forms --export iris-xml`: before the fix
    participant_id 000123 came out as 123, account 000456 was filed as 456, and the ZIP code
    02134 ("is not a ZIP code") and the TIN 012456789 (eight digits once read as a number)
    made error rows.  Now both rows are filed with the values the book gives: the recipient's
    TIN as nine digits (the dashes removed), the Boston ZIP code 02134, the account numbers."""
    monkeypatch.chdir(tmp_path)
    book = _r3(tmp_path)
    r = runner.invoke(app, ["batch", str(book), "--job", "forms", "-o", "out.parquet",
                            "--export", "iris-xml", "--export-output", "filing.xml",
                            *TRANSMITTER_ARGS])
    assert r.exit_code == 0, r.output
    assert "2 Forms 1099-R exported" in r.output
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [(x["participant_id"], x["status"]) for x in rows] == [("000123", "ok"),
                                                                  ("000124", "ok")]
    details = ET.parse(tmp_path / "filing.xml").getroot().findall(".//ir:Form1099RDetail", NS)
    assert [d.findtext("ir:RecipientAccountNum", namespaces=NS) for d in details] == [
        "000456", "000457"]
    assert [d.findtext("ir:RecipientDetail/ir:TIN", namespaces=NS) for d in details] == [
        "012456789", "012456789"]
    zips = [d.findtext("ir:RecipientDetail/ir:MailingAddressGrp/ir:USAddress/ir:ZIPCd",
                       namespaces=NS) for d in details]
    assert zips == ["12207", "02134"]


def _parquet_book(**columns) -> pa.Table:
    n = 2
    return pa.table({
        "participant_id": ["000123", "000124"],
        "request_date": [dt.date(2026, 11, 23)] * n, "birth_date": [dt.date(1985, 1, 1)] * n,
        "plan_type": ["401k"] * n, "employment_status": ["separated"] * n,
        "separation_date": [dt.date(2025, 1, 1)] * n,
        "balance_elective_deferral": [50000.0] * n, "request_route": ["separation"] * n,
        "request_amount": [10000.0] * n, "recipient_zip": ["02134", None], **columns})


def test_a_parquet_identifier_given_as_numbers_is_refused_naming_the_column():
    """A Parquet integer column cannot hold 000123 or 02134: its zeros are gone before
    dist401k reads it, so a row giving a value there is an error row naming the column, in
    one line; a null is no value (nothing is lost)."""
    law = default_law()
    ids = _parquet_book(participant_id=pa.array([123, None], pa.int64()))
    for job in ("eligibility", "outcome", "forms", "rmd"):
        out = run_job(ids, job, law).to_pylist()
        assert (out[0]["status"], out[0]["error_column"]) == ("error", "participant_id"), job
        assert out[0]["error_message"] == \
            "participant_id: must be text (a leading zero would be lost)"
        assert out[1]["status"] == "ok", job
    zips = _parquet_book(recipient_zip=pa.array([2134, None], pa.int64()),
                         account_number=pa.array([456.0, 457.0]))
    out = run_job(zips, "forms", law).to_pylist()
    assert [(x["status"], x["error_column"]) for x in out] == [("error", "recipient_zip"),
                                                               ("error", "account_number")]
    assert "recipient_zip: must be text (a leading zero would be lost)" in \
        out[0]["error_message"]
    assert out[1]["error_message"] == \
        "account_number: must be text (a leading zero would be lost)"
    # As text they are fine, and the other jobs do not read the payer's or recipient's.
    assert run_job(_parquet_book(), "forms", law).column("status").to_pylist() == ["ok"] * 2
    assert run_job(zips, "eligibility", law).column("status").to_pylist() == ["ok"] * 2


def test_a_csv_date_with_a_time_is_an_error_row_not_cut_to_the_day(tmp_path):
    """docs/batch.md, "Dates": `2026-06-01T10:00` in a text column is an error row on that
    column, as the case model refuses it ("is not a date (YYYY-MM-DD)"). A CSV reader left to
    guess types takes it for a timestamp and cuts it to the day; the date columns are read as
    text, and the one date parser judges them."""
    lines = R3.splitlines()
    timed = lines[2].replace("2026-11-23", "2026-11-23T08:00", 1)
    path = tmp_path / "timed.csv"
    path.write_text("\n".join([lines[0], lines[1], timed]) + "\n", encoding="utf-8")
    t = read_csv_table(path)
    assert t.schema.field("request_date").type == pa.string()
    out = run_job(t, "rmd", default_law()).to_pylist()
    assert [r["status"] for r in out] == ["ok", "error"]
    assert out[1]["error_column"] == "request_date"
    assert "is not a date" in out[1]["error_message"]


def test_route_and_destination_are_choices_matched_as_the_others(tmp_path):
    """docs/batch.md: a plan book's choices are matched without regard to case or surrounding
    spaces — the route and the destination the outcome job reads as well as `plan_type`; an
    unknown destination is one error, in the case field's words."""
    path = tmp_path / "c.csv"
    path.write_text(
        "request_date,birth_date,plan_type,employment_status,separation_date,"
        "balance_elective_deferral,request_route,request_destination,request_amount\n"
        "2026-11-23,1960-01-01,401K,separated,2024-01-01,50000,Separation, Cash ,10000\n"
        "2026-11-23,1960-01-01,401k,separated,2024-01-01,50000,separation,cash,10000\n"
        "2026-11-23,1960-01-01,401k,separated,2024-01-01,50000,separation,bogus,10000\n",
        encoding="utf-8")
    out = run_job(read_csv_table(path), "outcome", default_law()).to_pylist()
    assert [r["status"] for r in out] == ["ok", "ok", "error"]
    assert {k: v for k, v in out[0].items() if k != "row"} == \
        {k: v for k, v in out[1].items() if k != "row"}
    assert out[2]["error_message"].count("request_destination") == 1
