"""`dist401k batch --job forms`: the same forms as `dist401k assess` on the same participant
(Forms 1099-R box by box, Form 5329 Part I, Form 8606 and the W-4R election), one output row
per input row, and malformed TINs as error rows that never repeat the TIN."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.flat import row_to_case
from dist401k.form_1099r_boxes import PARTS
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.synth import synth_table
from dist401k.tin import bad_tins, truncated_tins

LAW = default_law()


@pytest.fixture(scope="module")
def book():
    """Synthetic participants, a third of them planning a backdoor Roth beside a traditional
    IRA (with wages of at least $7,000: without compensation no IRA contribution is allowed,
    IRC §219(b)(1)(B)), a fifth electing 25% withholding on Form W-4R."""
    t = synth_table(600, seed=21, bad_fraction=0.0)
    rng = np.random.default_rng(5)
    n = t.num_rows
    backdoor = rng.random(n) < 1 / 3
    wages = np.asarray(t.column("wages").to_numpy(zero_copy_only=False), float)
    t = t.set_column(t.schema.get_field_index("wages"), "wages",
                     pa.array(np.where(backdoor, np.maximum(wages, 7000.0), wages)))
    ira = np.round(rng.uniform(0, 80000, n), 2)
    return (t.append_column("ira_backdoor_roth_planned", pa.array(np.where(backdoor, 7000.0, 0.0)))
            .append_column("ira_traditional", pa.array(np.where(backdoor, ira, 0.0)))
            .append_column("ira_basis", pa.array(np.where(backdoor, 2000.0, 0.0)))
            .append_column("request_withholding_rate", pa.array(
                [0.25 if x < 0.2 else None for x in rng.random(n)], pa.float64())))


#: The individual's Form 5329 Part I and Form 8606 columns of the forms job.
PART_I = ("line_1", "line_2", "line_3", "line_4", "line_2_exception", "required")
LINES_8606 = (*(f"line_{k}" for k in range(1, 15)), "line_16", "line_17", "line_18")


def _individual(o: dict, want: dict | None, counts: dict) -> None:
    """Form 5329, Form 8606 and the W-4R chart rate of a row, as assess gives them (null
    where assess has none)."""
    f5329 = (want or {}).get("form_5329")
    f8606 = (want or {}).get("form_8606")
    for k in PART_I:
        assert o[f"form_5329_{k}"] == (None if f5329 is None else f5329[k]), k
    for k in LINES_8606:
        assert o[f"form_8606_{k}"] == (None if f8606 is None else f8606[k]), k
    assert o["w4r_chart_rate"] == (want or {}).get("w4r_chart_rate")
    counts["5329"] += f5329 is not None
    counts["8606"] += f8606 is not None
    counts["exception"] += bool(f5329 and f5329["line_2_exception"])


def test_the_forms_job_gives_the_forms_of_assess(book):
    everything = run_job(book, "forms", LAW)
    # A random sample, and the first rows whose Form 5329 claims an exception on line 2.
    claimed = np.flatnonzero(everything.column("form_5329_line_2_exception").is_valid())[:8]
    rows = np.union1d(np.random.default_rng(7).choice(book.num_rows, 60, replace=False),
                      claimed)
    out = everything.take(pa.array(rows)).to_pylist()
    records = book.take(pa.array(rows)).to_pylist()
    compared = 0
    counts = {"5329": 0, "8606": 0, "exception": 0, "elected": 0}
    for case_out, o, rec in zip(assess_cases([parse_case(row_to_case(r)) for r in records]),
                                out, records, strict=True):
        assert o["status"] == "ok", (o["error_column"], o["error_message"])
        dest = rec["request_destination"] if rec["request_route"] != "loan" else "cash"
        match = [x for x in case_out["outcomes"] if x["route"] == rec["request_route"]
                 and x["destination"] == dest]
        _individual(o, match[0] if match else None, counts)
        elected = case_out["withholding_election"]["withholding_rate"]
        assert o["withholding_rate"] == elected
        counts["elected"] += elected is not None
        want = {f["part"]: f for f in match[0]["form_1099r"]} if match else {}
        for part in PARTS:
            assert o[f"form_{part}_issued"] == (part in want), (rec["participant_id"], part)
            if part in want:
                compared += 1
                for box in ("box_1", "box_2a", "box_4", "box_5", "box_7", "box_11"):
                    assert o[f"form_{part}_{box}"] == pytest.approx(want[part][box], abs=0.011)
    assert compared >= 10
    # The sample holds each kind of figure (the seeds are fixed: these counts cannot drift).
    assert counts["5329"] >= 5 and counts["8606"] >= 5 and counts["elected"] >= 5
    assert counts["exception"] >= 1, counts


def test_the_backdoor_roth_the_10_percent_tax_and_the_election_worked_by_hand():
    # Born 1970-01-15, left in 2020 at 50; 500,000 of deferrals, all paid; an 8,000 backdoor
    # Roth and no traditional IRA before (FACTS G.3's example); 25% elected on Form W-4R.
    row = {"request_date": dt.date(2026, 11, 23), "birth_date": dt.date(1970, 1, 15),
           "plan_type": "401k", "wages": 60000.0, "employment_status": "separated",
           "separation_date": dt.date(2020, 1, 1), "balance_elective_deferral": 500000.0,
           "ira_backdoor_roth_planned": 8000.0, "request_route": "separation",
           "request_withholding_rate": 0.25}
    rolled, cash = run_job(pa.Table.from_pylist(
        [{**row, "request_destination": "traditional_ira"},
         {**row, "request_destination": "cash"}]), "forms", LAW).to_pylist()
    # Rolled to a traditional IRA: line 6 500,000, line 9 508,000, line 10 0.01575 → 0.016,
    # line 17 128, line 18 7,872, line 14 7,872; nothing includible: no Form 5329.
    assert [rolled[f"form_8606_line_{k}"] for k in (1, 5, 6, 9, 10, 17, 18, 14)] == [
        8000.0, 8000.0, 500000.0, 508000.0, 0.016, 128.0, 7872.0, 7872.0]
    assert rolled["form_5329_line_1"] is None and rolled["form_5329_required"] is None
    # In cash: line 10 is 1.000 and the conversion tax-free; Part I line 1 500,000, no
    # exception, line 4 50,000 (code 1: no form); 25% withheld, 125,000 in box 4.
    assert (cash["form_8606_line_10"], cash["form_8606_line_18"]) == (1.0, 0.0)
    assert [cash[f"form_5329_line_{k}"] for k in (1, 2, 3, 4)] == [500000.0, 0.0, 500000.0,
                                                                   50000.0]
    assert cash["form_5329_line_2_exception"] is None and cash["form_5329_required"] is False
    assert cash["withholding_rate"] == 0.25 and cash["form_pretax_cash_box_4"] == 125000.0
    # No backdoor Roth planned: no Form 8606.
    (plain,) = run_job(pa.Table.from_pylist([{**row, "ira_backdoor_roth_planned": 0.0,
                                              "request_destination": "cash"}]),
                       "forms", LAW).to_pylist()
    assert plain["form_8606_line_1"] is None and plain["form_5329_line_1"] == 500000.0


def test_a_malformed_tin_is_an_error_row_that_names_the_column_not_the_number(book):
    t = book.slice(0, 5)
    tins = ["123-45-6780", "12345678", "000-00-0000", "98-7654321", None]
    t = t.append_column("recipient_tin", pa.array(tins, pa.string()))
    out = run_job(t, "forms", LAW).to_pylist()
    assert [r["status"] for r in out] == ["ok", "error", "error", "ok", "ok"]
    for r in out:
        if r["status"] == "error":
            assert r["error_column"] == "recipient_tin"
            assert not any(t and t in r["error_message"] for t in tins)
    assert out[0]["recipient_tin_truncated"] == "XXX-XX-6780"
    assert out[4]["recipient_tin_truncated"] is None
    assert "recipient_tin" not in out[0]  # the full number is never written to the results


@pytest.mark.parametrize(("tin", "bad"), [
    ("123456780", False), ("123 45 6780", False), ("12-3456780", False),
    ("12345678", True), ("1234567890", True), ("12345678a", True), ("111111111", True),
    ("000000000", True), ("123456789", True), ("", False), (None, False)])
def test_tin_checks(tin, bad):
    assert bad_tins([tin]).tolist() == [bad]


def test_the_recipient_copy_shows_the_last_four_digits_only():
    assert truncated_tins(["987-65-4321", "12-3456780", None]) == [
        "XXX-XX-4321", "XXX-XX-6780", None]


def test_the_cli_writes_the_truncated_tin_and_never_the_number(tmp_path, book):
    import pyarrow.parquet as pq

    from dist401k.runner import run_local

    t = book.slice(0, 4).append_column(
        "recipient_tin", pa.array(["123-45-6780", "987654321", None, "12-3456780"]))
    pq.write_table(t, tmp_path / "book.parquet")
    run_local(tmp_path / "book.parquet", "forms", tmp_path / "forms.csv", law=LAW)
    text = (tmp_path / "forms.csv").read_text()
    assert "XXX-XX-6780" in text and "XXX-XX-4321" in text
    assert "123-45-6780" not in text and "987654321" not in text and "3456780" not in text
