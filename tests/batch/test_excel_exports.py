"""Books as a spreadsheet writes them (docs/batch.md, "From a spreadsheet"): Excel's line
endings (CR only, "CSV (Macintosh)"), two byte-order marks, true/false written ``1.0``; and
the files a spreadsheet gives that are not comma-separated UTF-8 CSV, each refused in one line
saying how to save it as one."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import date_hint, not_a_number
from dist401k.flat import _bools
from dist401k.io.tables import TableFormatError, csv_header_schema, read_csv_table, read_table
from dist401k.runner import read_dataset
from dist401k.tax.units import to_bool

runner = CliRunner()

RMD_HEADER = ("participant_id,request_date,birth_date,plan_type,employment_status,separation_date,"
              "balance_elective_deferral,prior_year_end_balance")
# Born 1950-07-01, separated in 2015: applicable age 72 (IRC §401(a)(9)(C)(v)); 76 at the end
# of 2026, Uniform Lifetime Table divisor 23.7 (Treas. Reg. §1.401(a)(9)-9(c)):
# 680,000 / 23.7 = 28,691.98.
RMD_ROW = "000101,2026-03-15,1950-07-01,401k,separated,2015-12-31,680000,680000"
RMD_2026 = 28691.98

TAX_BOOK = [
    "tax_year,filing_status,age_head,age_spouse,blind_head,blind_spouse,wages,taxable_interest,"
    "ordinary_dividends,qualified_dividends,long_term_gains,taxable_distributions,"
    "early_distributions,social_security,other_income,itemized_deductions",
    "2025,single,45,0,0,0,72000,300,0,0,0,20000,20000,0,0,0",
    "2025,married_joint,67,65,0,0,0,4000,9000,7000,12000,60000,0,48000,0,0",
]


def _batch(tmp_path: Path, name: str, content: bytes, job: str, out: str = "o.csv"):
    book = tmp_path / name
    book.write_bytes(content)
    return runner.invoke(app, ["batch", str(book), "--job", job, "-o", str(tmp_path / out)])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- F1: CR-only line endings -----------------------------------------------------------------

def test_a_cr_only_book_is_read_as_the_same_book_with_line_feeds(tmp_path):
    # Excel's "CSV (Macintosh)": every line ends with a carriage return alone.  It was exit 70
    # ("internal error"): the header check split on line feeds only.
    r = _batch(tmp_path, "mac.csv", f"{RMD_HEADER}\r{RMD_ROW}\r".encode(), "rmd")
    assert r.exit_code == 0, r.output
    (row,) = _rows(tmp_path / "o.csv")
    assert row["status"] == "ok" and row["participant_id"] == "000101"
    assert float(row["rmd_amount"]) == RMD_2026


def test_the_tax_job_reads_a_cr_only_book_as_the_tax_door_does(tmp_path):
    lf = _batch(tmp_path, "lf.csv", ("\n".join(TAX_BOOK) + "\n").encode(), "tax", "lf_o.csv")
    cr = _batch(tmp_path, "cr.csv", ("\r".join(TAX_BOOK) + "\r").encode(), "tax", "cr_o.csv")
    assert lf.exit_code == 0 and cr.exit_code == 0, cr.output
    assert _rows(tmp_path / "cr_o.csv") == _rows(tmp_path / "lf_o.csv")
    assert len(_rows(tmp_path / "cr_o.csv")) == 2
    door = runner.invoke(app, ["tax", str(tmp_path / "cr.csv")])
    assert door.exit_code == 0, door.output


@pytest.mark.parametrize("end", ["\r", "\n", "\r\n"], ids=["cr", "lf", "crlf"])
def test_the_header_is_read_up_to_the_first_record_end(tmp_path, end):
    book = tmp_path / "b.csv"
    book.write_bytes(("\ufeff" + RMD_HEADER + end + RMD_ROW + end).encode())
    schema = csv_header_schema(book)
    assert schema is not None and schema.names == RMD_HEADER.split(",")


def test_a_header_of_one_record_with_no_end_is_read_whole(tmp_path):
    book = tmp_path / "b.csv"
    book.write_bytes(RMD_HEADER.encode())
    assert csv_header_schema(book).names == RMD_HEADER.split(",")


def test_a_quoted_line_break_in_a_header_name_is_not_cut_but_named(tmp_path):
    # Alt+Enter in a header cell: the name was cut at the line break, and the refusal named a
    # column (`participant`) the file does not have.
    content = ('"participant\nid",request_date,birth_date,plan_type\r\n'
               "A,2026-06-01,1952-03-01,401k\r\n").encode()
    r = _batch(tmp_path, "nl.csv", content, "rmd")
    assert r.exit_code == 2, r.output
    (line,) = [x for x in r.output.splitlines() if x.startswith("error:")]
    assert line == ("error: nl.csv: column 1 has a line break in the header: write each "
                    "column's name on one line")
    assert "`participant`" not in r.output


def test_a_latin1_byte_after_the_header_leaves_the_header_read(tmp_path):
    # "CSV (Comma delimited)" with `Renée` in a row: the header is checked all the same.
    book = tmp_path / "b.csv"
    book.write_bytes(f"{RMD_HEADER}\r\n".encode() + "Ren\xe9e,".encode("cp1252") + b"\r\n")
    assert csv_header_schema(book).names == RMD_HEADER.split(",")
    book.write_bytes("na\xefve,b\r\n".encode("cp1252"))  # in the header: the reading says so
    assert csv_header_schema(book) is None


def test_a_header_cut_by_the_end_of_the_block_is_not_taken_as_whole(tmp_path):
    # A header longer than the parser's block: no names from its first part.
    book = tmp_path / "long.csv"
    book.write_bytes(b"a," * (1 << 20) + b"b\n")
    assert csv_header_schema(book) is None


# --- F2: one set of true/false words ----------------------------------------------------------

LOAN_HEADER = ("participant_id,request_date,birth_date,plan_type,employment_status,"
               "balance_elective_deferral,loans_allowed,request_route")


@pytest.mark.parametrize("other", ["0", "No"], ids=["numeric-column", "text-column"])
def test_a_cell_1_0_is_true_whatever_the_other_rows(tmp_path, other):
    # Row L1 is the same in both books; with `No` below it the column was text, and `1.0` was
    # refused ("is not true/false").  A loan of the lesser of $50,000 and half the vested
    # balance (IRC §72(p)(2)(A)): half of 100,000 is 50,000.
    content = (f"{LOAN_HEADER}\r\nL1,2026-03-15,1980-01-01,401k,active,100000,1.0,loan\r\n"
               f"L2,2026-03-15,1980-01-01,401k,active,100000,{other},loan\r\n").encode()
    r = _batch(tmp_path, "b.csv", content, "eligibility")
    assert r.exit_code == 0, r.output
    l1, l2 = _rows(tmp_path / "o.csv")
    assert l1["status"] == "ok", l1["error_message"]
    assert l1["loan_eligible"] == "true" and float(l1["loan_available"]) == 50000
    assert l2["status"] == "ok" and l2["loan_eligible"] == "false"


# `on`/`off` as the case file and the API read them (tests/batch/test_batch_door_words.py).
TRUE = [" TRUE ", "True", "true", "Yes", "YES", "y", "Y", "T", "t", "1", "1.0", " 1.0 ", "on",
        " ON "]
FALSE = ["FALSE", "false", "No", "no ", "N", "n", "F", "f", "0", "0.0", "off", "Off"]
REFUSED = ["x", "2", "-1", "1.5", "1.00", "yes please", "onn"]


def test_every_door_reads_the_same_true_false_words():
    words = TRUE + FALSE + REFUSED
    expected_true = np.array([w in TRUE for w in words])
    expected_bad = np.array([w in REFUSED for w in words])
    flat_true, nulls, flat_bad = _bools(pa.array(words))
    tax_true, tax_bad = to_bool(np.array(words, dtype=object))
    assert not nulls.any()
    assert (flat_true & ~flat_bad).tolist() == (expected_true & ~expected_bad).tolist()
    assert flat_bad.tolist() == expected_bad.tolist()
    assert tax_true.tolist() == (expected_true & ~expected_bad).tolist()
    assert tax_bad.tolist() == expected_bad.tolist()


def test_a_number_column_reads_1_and_0_only():
    true, nulls, bad = _bools(pa.array([1.0, 0.0, 2.0, None]))
    assert true.tolist() == [True, False, False, False]
    assert bad.tolist() == [False, False, True, False]
    assert nulls.tolist() == [False, False, False, True]


# --- F3: read_dataset --------------------------------------------------------------------------

def test_read_dataset_refuses_a_file_naming_it(tmp_path):
    f = tmp_path / "out.parquet"
    pq.write_table(pa.table({"row": [0, 1]}), f)
    with pytest.raises(TableFormatError, match=r"out\.parquet: is a file, not a folder"):
        read_dataset(f)


def test_read_dataset_refuses_a_missing_folder(tmp_path):
    with pytest.raises(TableFormatError, match=r"nope: no such folder"):
        read_dataset(tmp_path / "nope")


def test_read_dataset_refuses_a_folder_with_no_partitions(tmp_path):
    (tmp_path / "other.parquet").write_bytes(b"")
    with pytest.raises(TableFormatError, match=r"holds no partitions \(part-\*\.parquet\)"):
        read_dataset(tmp_path)


def test_read_dataset_reads_the_partitions_in_order(tmp_path):
    pq.write_table(pa.table({"row": [2, 3]}), tmp_path / "part-00001.parquet")
    pq.write_table(pa.table({"row": [0, 1]}), tmp_path / "part-00000.parquet")
    assert read_dataset(tmp_path).column("row").to_pylist() == [0, 1, 2, 3]


# --- F4: what a spreadsheet gives that is not CSV UTF-8 ---------------------------------------

SAVE = "in Excel, File > Save As > CSV UTF-8 (Comma delimited) (*.csv)"
SMALL = ["participant_id,request_date,birth_date,plan_type", "000101,2026-06-01,1952-03-01,401k"]


def _refusal(tmp_path: Path, name: str, content: bytes) -> str:
    r = _batch(tmp_path, name, content, "rmd")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    (line,) = [x for x in r.output.splitlines() if x.startswith("error:")]
    assert not (tmp_path / "o.csv").exists()
    return line


@pytest.mark.parametrize(("sep", "what"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_book_separated_by_semicolons_or_tabs(tmp_path, sep, what):
    content = "\r\n".join(s.replace(",", sep) for s in SMALL).encode()
    line = _refusal(tmp_path, "s.csv", content)
    assert line == f"error: s.csv: the file is separated by {what}, not commas: {SAVE}"


def test_empty_columns_right_of_the_data(tmp_path):
    content = "\r\n".join(s + ",," for s in SMALL).encode()
    line = _refusal(tmp_path, "t.csv", content)
    assert line == "error: t.csv: columns 5–6 have no header: delete the empty columns"


def test_one_empty_column_among_others(tmp_path):
    content = "\n".join(["participant_id,,request_date,birth_date,plan_type",
                         "000101,,2026-06-01,1952-03-01,401k"]).encode()
    line = _refusal(tmp_path, "t.csv", content)
    assert line == "error: t.csv: column 2 has no header: delete the empty columns"


def test_a_book_saved_twice_with_two_byte_order_marks_is_read(tmp_path):
    bom = "\ufeff".encode()
    r = _batch(tmp_path, "b.csv", bom + bom + f"{RMD_HEADER}\r\n{RMD_ROW}\r\n".encode(), "rmd")
    assert r.exit_code == 0, r.output
    (row,) = _rows(tmp_path / "o.csv")
    # the identifier still read as text (its leading zeros kept): its column was found by name
    assert row["participant_id"] == "000101" and float(row["rmd_amount"]) == RMD_2026
    table = read_csv_table(tmp_path / "b.csv")
    assert table.column_names[0] == "participant_id"
    assert table.column("participant_id").to_pylist() == ["000101"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_book_is_named_as_such(tmp_path, encoding):
    # Excel's "Unicode Text": with its byte-order mark, or ASCII with a zero byte beside each.
    line = _refusal(tmp_path, "u.csv", "\r\n".join(SMALL).encode(encoding))
    assert line == ("error: u.csv: cannot be read as CSV: it is UTF-16 text (Excel's "
                    f"\"Unicode Text\"), not UTF-8: {SAVE}")


def test_a_workbook_named_csv_is_named_as_such(tmp_path):
    line = _refusal(tmp_path, "w.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(200))
    assert line == ("error: w.csv: cannot be read as CSV: it is an Excel workbook (or another "
                    f"zip file), not CSV: {SAVE}")


def test_the_tax_door_gives_the_same_words(tmp_path):
    book = tmp_path / "s.csv"
    book.write_bytes("\n".join(s.replace(",", ";") for s in TAX_BOOK).encode())
    with pytest.raises(TableFormatError, match="separated by semicolons"):
        read_table(book)
    r = runner.invoke(app, ["tax", str(book)])
    assert r.exit_code == 2 and "separated by semicolons, not commas" in r.output


@pytest.mark.parametrize(("cell", "hint"), [
    ("3/15/1968", ": write 1968-03-15"),     # month/day/year: 15 is no month
    ("15/3/1968", ": write 1968-03-15"),     # day/month/year: 15 is no month
    ("12/31/2025", ": write 2025-12-31"),
    ("3/4/1968", ""),                        # March 4 or April 3: nothing guessed
    ("2/30/1968", ""),                       # no such day
    ("3/15/68", ""),                         # a two-digit year: nothing guessed
    ("1968-03-15", ""),
])
def test_a_us_date_gets_its_iso_form(cell, hint):
    assert date_hint(cell) == hint


@pytest.mark.parametrize(("cell", "words"), [
    ("60%", "is not a number: a share is a fraction: write 0.6 for 60%"),
    ("12.5 %", "is not a number: a share is a fraction: write 0.125 for 12.5 %"),
    ("100%", "is not a number: a share is a fraction: write 1 for 100%"),
    ("$40,000.00", "is not a number: write digits only, without $ or commas (40000.00)"),
    ("60", "is not a number"),  # not text: no hint
])
def test_a_per_cent_gets_its_fraction(cell, words):
    assert not_a_number(cell if cell != "60" else 60) == words


def test_a_batch_row_says_how_to_write_the_date_and_the_share(tmp_path):
    content = "\r\n".join([
        "participant_id,request_date,birth_date,plan_type,balance_match,vested_match",
        "000101,2026-03-15,3/15/1968,401k,1000,60%",
    ]).encode()
    r = _batch(tmp_path, "b.csv", content, "eligibility")
    assert r.exit_code == 0, r.output
    (row,) = _rows(tmp_path / "o.csv")
    assert row["status"] == "error"
    problems = row["error_message"].split("; ")
    assert "birth_date: is not a date (YYYY-MM-DD): write 1968-03-15" in problems
    assert "vested_match: is not a number: a share is a fraction: write 0.6 for 60%" in problems


def test_the_tax_door_says_how_to_save_a_workbook_as_csv(tmp_path):
    book = tmp_path / "x.xlsx"
    book.write_bytes(b"PK\x03\x04" + bytes(100))
    r = runner.invoke(app, ["tax", str(book)])
    assert r.exit_code == 2
    assert r.output.strip() == (f"error: x.xlsx: unknown file type '.xlsx' (use .csv, .parquet or "
                                f".json); {SAVE}")
