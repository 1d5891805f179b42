"""Forms 1099-R under the filing threshold: shown, exported, and marked.

"File Form 1099-R for each person to whom you have made a designated distribution or are
treated as having made a distribution of $10 or more from profit-sharing or retirement plans"
(Instructions for Forms 1099-R and 5498, Specific Instructions for Form 1099-R).  The $10
counts the year's distributions to the person from the plan, which one payment does not show:
a form whose payment is under $10 stays issued and is filed, with ``below_filing_threshold``
set and the note OC_1099R_UNDER_FILING_THRESHOLD; the IRIS export counts such forms in its
summary (docs/forms.md, "Forms under the filing threshold").

Expected answers by hand from the $10: $9.99 and $0.01 are under it, $10.00 is not (the
instructions' "$10 or more"); a payment of $11 split into a $5 pre-tax form and a $6 Roth form
is a distribution of $11 to the person: neither form is under it, though each form's box 1 is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.filing import Transmitter, filing_export
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.runner import run_local

LAW = default_law()
CASE = {
    "id": "small",
    "person": {"birth_date": "1990-03-15", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-10",
                   "separation_date": "2026-10-01"},
    "income": {"wages": 45000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 1500}}},
    "request": {"date": "2026-11-10", "destination": "cash"},
}
#: The book's row: the same person, with a payer and a recipient to file.
ROW = {
    "request_date": "2026-11-10", "birth_date": "1990-03-15", "filing_status": "single",
    "employment_status": "separated", "hire_date": "2015-01-10",
    "separation_date": "2026-10-01", "wages": 45000.0, "plan_type": "401k",
    "balance_elective_deferral": 1500.0, "request_route": "separation",
    "request_destination": "cash", "payer_tin": "12-3456780", "payer_name": "Acme Plan",
    "payer_address": "1 Main St", "payer_city": "Albany", "payer_state": "NY",
    "payer_zip": "12207", "recipient_address": "2 Oak Ave", "recipient_city": "Albany",
    "recipient_state": "NY", "recipient_zip": "12208", "recipient_name": "Ann Lee",
    "recipient_first_name": "Ann", "recipient_last_name": "Lee",
}


def _forms(amount: float, sources: dict | None = None) -> list[dict]:
    case = {**CASE, "request": {**CASE["request"], "amount": amount}}
    if sources:
        case["account"] = {"sources": sources}
    answer = assess_cases([parse_case(case)])[0]
    cash = next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")
    return cash["form_1099r"]


def test_the_threshold_is_the_instructions_ten_dollars():
    assert float(LAW.get("form_1099r.filing_threshold", 2026)) == 10.0


@pytest.mark.parametrize(("amount", "below"), [(0.01, True), (9.99, True), (10.00, False),
                                               (200.00, False)])
def test_a_form_under_10_is_issued_and_marked(amount, below):
    (form,) = _forms(amount)
    assert form["box_1"] == amount
    assert form["below_filing_threshold"] is below
    assert [n["code"] for n in form["notes"]] == (
        ["OC_1099R_UNDER_FILING_THRESHOLD"] if below else [])


def test_the_threshold_counts_the_payment_not_each_form():
    """$5 of deferrals and $6 of designated Roth money: two forms, one $11 distribution."""
    forms = _forms(11.00, {"elective_deferral": {"balance": 500},
                           "roth_deferral": {"balance": 600, "contributions": 600,
                                             "first_year": 2016}})
    assert sorted(f["box_1"] for f in forms) == [5.0, 6.0]
    assert [f["below_filing_threshold"] for f in forms] == [False, False]


def test_the_forms_job_has_the_column():
    rows = [{**ROW, "participant_id": f"p{k}", "request_amount": a}
            for k, a in enumerate((9.99, 10.0))]
    out = run_job(pa.Table.from_pylist(rows), "forms", LAW).to_pylist()
    assert [r["form_pretax_cash_issued"] for r in out] == [True, True]
    assert [r["form_pretax_cash_below_filing_threshold"] for r in out] == [True, False]
    assert [r["form_roth_cash_below_filing_threshold"] for r in out] == [None, None]


def test_the_export_files_them_and_says_so(tmp_path: Path):
    rows = [{**ROW, "participant_id": f"p{k}", "recipient_tin": f"400-00-000{k + 1}",
             "request_amount": a} for k, a in enumerate((0.01, 9.99, 200.0))]
    book = tmp_path / "book.parquet"
    pq.write_table(pa.Table.from_pylist(rows), book)
    filing = tmp_path / "filing.csv"
    with filing_export("iris-csv", filing, Transmitter(), today=dt.date(2027, 1, 15)) as w:
        run_local(book, "forms", tmp_path / "forms.parquet", law=LAW, sink=w.write)
    assert w.summary.forms == 3 and w.summary.below_threshold == 2
    assert "2 exported for a payment under the Form 1099-R filing threshold" in str(w.summary)
    assert len(filing.read_text(encoding="utf-8").strip().splitlines()) == 1 + 3
