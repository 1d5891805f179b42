"""Form 1099-R boxes 14 and 15: the state tax withheld and "State/Payer's state no."
(Instructions for Forms 1099-R and 5498, boxes 14–16; docs/forms.md).

- Box 14 where the state requires withholding but dist401k cannot figure its amount (Kansas,
  Virginia, Delaware: STATE_WITHHOLDING_AMOUNT_NOT_FIGURED, docs/state.md) applies and is
  unknown: blank *and* named in ``not_figured`` (blank there means unknown, not zero), on the
  form that shares in the withholding only; a designated Roth form paying nothing taxable
  (a qualified distribution: 59½ and five years, IRC §402A(d)(2)) shares in none, so its box 14
  is 0.  The filing counts the forms filed with such a box.
- Box 15's payer's state identification number: the book's optional ``payer_state_id``, shown
  beside the state in the iris-csv filing, checked like the other text columns.

Pat (examples/cases/pat-california-rule-of-55.yaml) takes $40,000 in cash after separation,
federal $8,000 withheld (20%, §3405(c)); in California 10% of it = $800 (docs/state.md)."""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_filing import NS, TRANSMITTER, _book

from api.test_state_doors import cash_outcome, pat, pat_row
from dist401k.filing import CSV_HEADER, PAYER_STATE_NO, filing_export
from dist401k.form_1099r_boxes import NOT_FIGURED
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.runner import run_local

LAW = default_law()


def _form(o: dict, part: str) -> dict:
    return next(f for f in o["form_1099r"] if f["part"] == part)


@pytest.mark.parametrize("state", ["KS", "VA", "DE"])
def test_a_required_withholding_not_figured_is_named_in_not_figured(state):
    form = _form(cash_outcome(pat(person__state=state)), "pretax_cash")
    assert form["box_14"] is None and form["box_15"] == state
    assert form["not_figured"] == [NOT_FIGURED["box_14"]]


def test_a_figured_withholding_is_not_named():
    form = _form(cash_outcome(pat()), "pretax_cash")
    assert form["box_14"] == 800.00 and form["not_figured"] == []


def test_a_qualified_roth_form_shares_in_no_withholding():
    """Born 1960 (65 in 2025), Roth money since 2010: the Roth form's $8,000 ($40,000 ×
    60,000 / 300,000) is all untaxed, so all Kansas's unknown withholding is on the pre-tax
    form ($32,000)."""
    o = cash_outcome(pat(person__state="KS", person__birth_date="1960-03-01",
                         account__sources__roth_deferral={"balance": 60000,
                                                          "contributions": 30000,
                                                          "first_year": 2010}))
    pretax, roth = _form(o, "pretax_cash"), _form(o, "roth_cash")
    assert (pretax["box_1"], roth["box_1"], roth["box_2a"]) == (32000.0, 8000.0, 0.0)
    assert pretax["box_14"] is None and pretax["not_figured"] == [NOT_FIGURED["box_14"]]
    assert roth["box_14"] == 0.0 and roth["not_figured"] == []


def test_the_forms_job_names_box_14_too():
    row = run_job(pat_row("KS"), "forms", LAW).to_pylist()[0]
    assert row["status"] == "ok"
    assert row["form_pretax_cash_box_14"] is None
    assert row["form_pretax_cash_not_figured"] == "box_14"


def _state_book(path: Path, ids: list) -> Path:
    """test_filing's book with row 3 (a Roth and pre-tax payment at 60) in Kansas, row 2 (a
    loan offset) in California, and the payer's state numbers given."""
    _book(path, state=["", "CA", "KS", "", "", ""])
    t = pq.read_table(path)
    pq.write_table(t.append_column("payer_state_id", pa.array(ids, pa.string())), path)
    return path


def _filing(tmp_path: Path, fmt: str, ids: list):
    book = _state_book(tmp_path / "book.parquet", ids)
    out, filing = tmp_path / "forms.parquet", tmp_path / f"filing.{fmt.split('-')[1]}"
    with filing_export(fmt, filing, TRANSMITTER, today=dt.date(2027, 1, 15)) as w:
        run_local(book, "forms", out, law=default_law(), sink=w.write)
    return out, filing, w.summary


IDS = ["X1", "123-4567-8", "KS-036-123456F01", None, "X5", "X6"]


def test_the_csv_carries_the_payers_state_number_beside_the_state(tmp_path):
    _, filing, summary = _filing(tmp_path, "iris-csv", IDS)
    with open(filing, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == CSV_HEADER
    assert CSV_HEADER.index(PAYER_STATE_NO) == CSV_HEADER.index("Box 15 State") + 1
    by_state = {(r["Box 15 State"], r[PAYER_STATE_NO], r["Box 14 State Tax Withheld"])
                for r in rows}
    # Kansas: two forms (pre-tax, Roth); California: one; no state: no number shown.
    assert ("KS", "KS-036-123456F01", "") in by_state
    (ca,) = [r for r in rows if r["Box 15 State"] == "CA"]
    assert ca[PAYER_STATE_NO] == "123-4567-8" and ca["Box 16 State Distribution"] == "15000.00"
    assert all(r[PAYER_STATE_NO] == "" for r in rows if r["Box 15 State"] == "")
    assert summary.not_figured["box_14"] >= 1
    assert "box_14" in str(summary)


def test_the_xml_sends_no_unconfirmed_element(tmp_path):
    _, filing, _ = _filing(tmp_path, "iris-xml", IDS)
    root = ET.parse(filing).getroot()
    groups = root.findall(".//ir:StateLocalTaxGrp", NS)
    assert groups and "KS-036-123456F01" not in filing.read_text(encoding="utf-8")


def test_a_payer_state_number_starting_a_formula_is_an_error_row(tmp_path):
    book = _state_book(tmp_path / "book.parquet", ["X1", "X2", "=HYPERLINK(1)", None, "Y", "Z"])
    out = tmp_path / "forms.parquet"
    run_local(book, "forms", out, law=default_law())
    rows = pq.read_table(out).to_pylist()
    assert rows[2]["status"] == "error" and rows[2]["error_column"] == "payer_state_id"
    assert "HYPERLINK" not in (rows[2]["error_message"] or "")
