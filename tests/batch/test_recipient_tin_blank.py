"""A book that has the recipient_tin column and leaves it blank for a row: the payee has not
furnished a TIN, so no election out of the 10% of IRC §3405(b) is in effect (§3405(e)(12)):
the same row the forms job cannot file (no recipient_tin) withholds the 10% it owes.

The reviewer's book: an estate's $50,000 taxable payment with a W-4R of 0% — 10% of it is
$5,000 (§3405(b)(1)); with an EIN given, the election stands ($0)."""

from __future__ import annotations

import pyarrow as pa

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
PAYER = {"payer_tin": "12-3456788", "payer_name": "Plan Co", "payer_address": "2 Oak St",
         "payer_city": "Chicago", "payer_state": "IL", "payer_zip": "60601"}


def _row(pid: str, tin: str | None, tin_type: str | None, rate: float | None) -> dict:
    return {"participant_id": pid, "request_date": "2026-06-01", "birth_date": "1960-11-01",
            "plan_type": "401k", "request_route": "beneficiary", "request_amount": 50000.0,
            "request_withholding_rate": rate, "balance_elective_deferral": 100000.0,
            "beneficiary_deceased_birth_date": "1956-05-05",
            "beneficiary_date_of_death": "2023-12-01",
            "beneficiary_relationship": "non_designated", "recipient_tin": tin,
            "recipient_tin_type": tin_type, "recipient_name": "Estate of X",
            "recipient_address": "1 Main St", "recipient_city": "Springfield",
            "recipient_state": "IL", "recipient_zip": "62701", **PAYER}


ROWS = [_row("E1", "123-45-6780", None, None), _row("E2", None, None, 0.0),
        _row("E3", "98-7654321", "EIN", 0.0), _row("E4", "", None, 0.05)]


def test_a_blank_recipient_tin_voids_the_election_out():
    for job in ("forms", "outcome"):
        out = run_job(pa.Table.from_pylist(ROWS), job, LAW).to_pylist()
        assert [o["status"] for o in out] == ["ok"] * 4, job
        assert [o["withholding"] for o in out] == [5000.0, 5000.0, 0.0, 5000.0], job
        assert ["OC_W4R_NO_TIN" in o["reasons"] for o in out] == [False, True, False, True]
    forms = run_job(pa.Table.from_pylist(ROWS), "forms", LAW).to_pylist()
    assert [o["form_pretax_cash_box_4"] for o in forms] == [5000.0, 5000.0, 0.0, 5000.0]


def test_the_case_file_of_the_row_says_the_same():
    """Every door, one answer: the row's case file carries request.payee_tin_furnished false."""
    cases = [row_to_case(r) for r in ROWS]
    assert [c["request"].get("payee_tin_furnished", True) for c in cases] == [
        True, False, True, False]
    answers = assess_cases([parse_case(c) for c in cases])
    held = [next(o for o in a["outcomes"] if o["destination"] == "cash")["withholding"]
            for a in answers]
    assert held == [5000.0, 5000.0, 0.0, 5000.0]


def test_a_book_without_the_column_leaves_the_election_standing():
    rows = [{k: v for k, v in _row("E2", None, None, 0.0).items()
             if not k.startswith(("recipient_", "payer_"))}]
    (out,) = run_job(pa.Table.from_pylist(rows), "outcome", LAW).to_pylist()
    assert out["withholding"] == 0.0 and "OC_W4R_NO_TIN" not in out["reasons"]


def test_a_tin_of_separators_only_is_no_tin():
    """A cell of dashes or spaces holds no digit: no TIN furnished, as a blank one — the 10%
    ($5,000) withheld, in the batch and in the row's case file alike."""
    rows = [_row("D1", "-", None, 0.0), _row("D2", "--- -", None, 0.0)]
    out = run_job(pa.Table.from_pylist(rows), "forms", LAW).to_pylist()
    assert [(o["status"], o["withholding"]) for o in out] == [("ok", 5000.0)] * 2
    assert all("OC_W4R_NO_TIN" in o["reasons"] for o in out)
    assert [row_to_case(r)["request"].get("payee_tin_furnished") for r in rows] == [False] * 2


def test_a_tin_in_other_scripts_digits_is_an_error_row_and_the_book_goes_on():
    """A TIN is nine digits 0-9: superscript or full-width digits are refused on that row, naming
    the column (never the number), and the other rows are answered."""
    rows = [_row("G1", "123-45-6780", "SSN", None), _row("B1", "900\u00b201234", "ITIN", None),
            _row("B2", "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff10", "SSN", None)]
    out = run_job(pa.Table.from_pylist(rows), "forms", LAW).to_pylist()
    assert [o["status"] for o in out] == ["ok", "error", "error"]
    for o in out[1:]:
        assert o["error_column"] == "recipient_tin" and "\u00b2" not in o["error_message"]
