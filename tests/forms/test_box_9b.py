"""Form 1099-R box 9b, "Total employee contributions": for a life annuity from a qualified plan
or a 403(b) plan, the employee's total investment in the contract (Form 1099-R, Instructions
for Recipient, box 9b), shown on the Form 1099-R of the year the periodic payments of the life
annuity began (Pub. 575, "Cost (Investment in the Contract)", Form 1099-R).  dist401k fills it
with ``request.series_cost`` on the non-Roth cash form of a ``life`` or ``joint_life`` series
in the tax year of its annuity starting date; blank otherwise (docs/forms.md).

The expected figures are the case's own cost, as the instructions say, never the code's."""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from iris_structure import problems

from batch.test_series_columns import ROW as SERIES_ROW
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.filing import CSV_HEADER, NAMESPACE, Transmitter, filing_export
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.runner import run_local

LAW = default_law()
NS = {"ir": NAMESPACE}
HEADER = "Box 9b Total Employee Contributions"

#: A life annuity that began on 2024-01-01 (age 65), cost $31,000; the 2024 installment.
ROW = {**SERIES_ROW, "participant_id": "a1", "request_date": "2024-12-01"}


def _forms(row: dict) -> list[dict]:
    answer = assess_cases([parse_case(row_to_case(row))])[0]
    cash = next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")
    return cash["form_1099r"]


def _job(row: dict) -> dict:
    (out,) = run_job(pa.Table.from_pylist([row]), "forms", LAW).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    return out


@pytest.mark.parametrize("changes", [
    {},
    {"request_series": "joint_life", "spouse_birth_date": "1963-06-01"},
    {"plan_type": "403b7"},
])
def test_box_9b_is_the_cost_in_the_year_the_life_annuity_began(changes):
    row = {**ROW, **changes}
    (form,) = _forms(row)
    assert form["box_9b"] == 31000.00
    assert _job(row)["form_pretax_cash_box_9b"] == 31000.00


@pytest.mark.parametrize("changes", [
    {"request_date": "2025-03-01"},  # a later year's form: the first year's only
    {"request_series": "period", "request_series_years": 15.0},  # no life annuity
    {"request_series_cost": None},  # the cost not given: not known
    {"plan_type": "governmental_457b"},  # not a qualified plan or a 403(b)
    {"request_series": None, "request_annuity_start_date": None,
     "request_series_payments_per_year": None, "request_series_cost": None},  # no series
])
def test_box_9b_is_blank_elsewhere(changes):
    row = {k: v for k, v in {**ROW, **changes}.items() if v is not None}
    for form in _forms(row):
        assert form["box_9b"] is None
    assert _job(row)["form_pretax_cash_box_9b"] is None


def test_box_9b_goes_into_the_filing(tmp_path):
    """The IRIS CSV's column and the XML's TotalEmployeeContributionsAmt (the MeF IRS1099R
    element, its place between RcpntTotalDistributionPct and IRRAllocatedAmt)."""
    party = {"recipient_tin": "400-00-0001", "payer_tin": "12-3456780",
             "recipient_name": "Ann Lee", "recipient_first_name": "Ann",
             "recipient_last_name": "Lee", "payer_name": "Acme Plan", "payer_address": "1 Main",
             "payer_city": "Albany", "payer_state": "NY", "payer_zip": "12207",
             "recipient_address": "2 Oak", "recipient_city": "Albany", "recipient_state": "NY",
             "recipient_zip": "12208"}
    later = {**ROW, **party, "request_date": "2024-12-20", "participant_id": "a2",
             "request_annuity_start_date": "2023-01-01"}
    book = pa.Table.from_pylist([{**ROW, **party}, later])
    book = book.set_column(book.column_names.index("request_date"), "request_date",
                           pa.array([dt.date(2024, 12, 1), dt.date(2024, 12, 20)]))
    pq.write_table(book, tmp_path / "book.parquet")
    tx = Transmitter(tcc="TEST1", tin="11-2223334", software_id="SW12345678")
    for fmt in ("iris-csv", "iris-xml"):
        out = tmp_path / f"filing.{fmt[5:]}"
        with filing_export(fmt, out, tx, today=dt.date(2025, 1, 15)) as w:
            run_local(tmp_path / "book.parquet", "forms", tmp_path / f"{fmt}.parquet", law=LAW,
                      sink=w.write)
        if fmt == "iris-csv":
            with open(out, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            assert HEADER in CSV_HEADER
            assert [r[HEADER] for r in rows] == ["31000.00", ""]
        else:
            details = ET.parse(out).getroot().findall(".//ir:Form1099RDetail", NS)
            assert [d.findtext("ir:TotalEmployeeContributionsAmt", namespaces=NS)
                    for d in details] == ["31000.00", None]
            tags = [e.tag.split("}")[1] for e in details[0]]
            assert tags.index("IRASEPSIMPLEInd") < tags.index("TotalEmployeeContributionsAmt")
            assert problems(ET.parse(out).getroot()) == []  # the structure file's order
