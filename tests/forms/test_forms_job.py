"""`dist401k batch --job forms`: the same forms as `dist401k assess` on the same participant,
one output row per input row, and malformed TINs as error rows that never repeat the TIN."""

from __future__ import annotations

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
    return synth_table(600, seed=21, bad_fraction=0.0)


def test_the_forms_job_gives_the_forms_of_assess(book):
    rows = np.random.default_rng(7).choice(book.num_rows, 30, replace=False)
    out = run_job(book, "forms", LAW).take(pa.array(rows)).to_pylist()
    records = book.take(pa.array(rows)).to_pylist()
    compared = 0
    for case_out, o, rec in zip(assess_cases([parse_case(row_to_case(r)) for r in records]),
                                out, records, strict=True):
        dest = rec["request_destination"] if rec["request_route"] != "loan" else "cash"
        match = [x for x in case_out["outcomes"] if x["route"] == rec["request_route"]
                 and x["destination"] == dest]
        want = {f["part"]: f for f in match[0]["form_1099r"]} if match else {}
        for part in PARTS:
            assert o[f"form_{part}_issued"] == (part in want), (rec["participant_id"], part)
            if part in want:
                compared += 1
                for box in ("box_1", "box_2a", "box_4", "box_5", "box_7", "box_11"):
                    assert o[f"form_{part}_{box}"] == pytest.approx(want[part][box], abs=0.011)
    assert compared >= 10


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
