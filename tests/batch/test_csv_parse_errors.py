"""A CSV book that cannot be parsed is refused in one line naming the line and the problem,
with none of the file's values (docs/reliability.md: nothing from the input's values reaches a
log; docs/batch.md "Bad files and what a failure leaves")."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.io.tables import TableFormatError, read_csv_table, read_table, unreadable

runner = CliRunner()

HEADER = "participant_id,request_date,birth_date,plan_type\n"
GOOD = "A,2026-06-01,1952-03-01,401k\n"
# A row with two cells more than the header: a name and an SSN that must never be printed.
SECRETS = ("John Doe", "123-45-6789", "Q7", "1949-07-04", "2026-06-02", "403b7")
RAGGED = "Q7,2026-06-02,1949-07-04,403b7,John Doe,123-45-6789\n"


def _refusal(tmp_path: Path, name: str, content: bytes, job: str = "rmd") -> str:
    """The one line `dist401k batch` refuses the book with (exit 2), checked for values."""
    book = tmp_path / name
    book.write_bytes(content)
    r = runner.invoke(app, ["batch", str(book), "--job", job, "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    (line,) = [x for x in r.output.splitlines() if x.startswith("error:")]
    for secret in SECRETS:
        assert secret not in r.output, r.output
    assert not (tmp_path / "o.csv").exists()
    return line


def test_a_row_with_more_fields_names_its_line_and_none_of_its_values(tmp_path):
    line = _refusal(tmp_path, "rag.csv", (HEADER + GOOD + RAGGED).encode())
    assert line == "error: rag.csv: cannot be read as CSV: line 3: 6 fields where the header has 4"


def test_a_row_with_fewer_fields(tmp_path):
    line = _refusal(tmp_path, "short.csv", (HEADER + GOOD + GOOD + "Q7\n").encode(), "eligibility")
    assert line == ("error: short.csv: cannot be read as CSV: line 4: 1 field where the header "
                    "has 4")


def test_the_line_counts_blank_lines_and_lines_inside_a_quoted_cell(tmp_path):
    # line 1 the header, 2-3 one row (a quoted cell over two lines), 4 blank, 5 the bad row
    content = HEADER + 'A,2026-06-01,1952-03-01,"401k\nsecond line"\n' + "\n" + RAGGED
    line = _refusal(tmp_path, "multi.csv", content.encode())
    assert line.endswith("multi.csv: cannot be read as CSV: line 5: 6 fields where the header has 4")


# A quote opened and never closed: the parser takes the rest of the file, newlines and all, as
# one cell, so the row has 2 fields.  Its first line is where the quote is.
UNCLOSED = 'Q7,"John Doe,123-45-6789,403b7\n'


def test_an_unclosed_quote_in_the_last_row_names_its_line(tmp_path):
    # line 1 the header, 2 a good row, 3 the row whose quote is never closed (and the file's end)
    line = _refusal(tmp_path, "q.csv", (HEADER + GOOD + UNCLOSED).encode())
    assert line == "error: q.csv: cannot be read as CSV: line 3: 2 fields where the header has 4"


def test_an_unclosed_quote_before_good_rows_names_the_line_it_begins_on(tmp_path):
    # lines 2-3 good rows, 4 the unclosed quote, 5-6 good rows swallowed into its cell
    line = _refusal(tmp_path, "q2.csv", (HEADER + GOOD + GOOD + UNCLOSED + GOOD + GOOD).encode())
    assert line == "error: q2.csv: cannot be read as CSV: line 4: 2 fields where the header has 4"


def test_an_unclosed_quote_after_a_multi_line_cell_and_blank_lines(tmp_path):
    # 1 header, 2-3 a good row whose quoted cell holds a newline, 4-5 blank, 6 the unclosed quote
    content = (HEADER + 'A,2026-06-01,1952-03-01,"401k\nsecond line"\n' + "\n\n" + UNCLOSED
               + GOOD)
    line = _refusal(tmp_path, "q3.csv", content.encode())
    assert line == "error: q3.csv: cannot be read as CSV: line 6: 2 fields where the header has 4"


def test_the_refusal_is_the_same_through_read_table(tmp_path):
    # `dist401k tax FILE.csv` reads through read_table: the same words, one line.
    book = tmp_path / "units.csv"
    book.write_text(HEADER + GOOD + RAGGED)
    with pytest.raises(TableFormatError) as exc:
        read_table(book)
    assert str(exc.value) == "units.csv: cannot be read as CSV: line 3: 6 fields where the header has 4"


@pytest.mark.parametrize(("name", "content", "byte"), [
    # a PNG image named .csv: its first byte, 0x89, begins no UTF-8 character
    ("png.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 0),
    # a gzipped book named .csv: 0x1f 0x8b, and 0x8b continues no character
    ("book.csv", gzip.compress((HEADER + RAGGED).encode(), mtime=0), 1),
    # a header, then binary bytes: the first at byte 49 (the header: 48 characters and its end)
    ("mixed.csv", HEADER.encode() + b"\xff\xfe" + RAGGED.encode() * 3 + bytes(range(128, 256)),
     49),
], ids=["png", "gzip", "binary-after-header"])
def test_a_binary_file_is_one_clean_line(tmp_path, name, content, byte):
    line = _refusal(tmp_path, name, content)
    assert line == f"error: {name}: cannot be read as CSV: not UTF-8 text (byte {byte})"
    assert line.isprintable()


def test_a_latin1_cell_among_good_rows_still_names_its_byte(tmp_path):
    # A value in Latin-1 (é is 0xE9) in a text column: refused naming the byte, not the value.
    content = (HEADER + GOOD).encode() + "Q7,2026-06-02,1949-07-04,Jos\xe9\n".encode("latin-1")
    book = tmp_path / "latin.csv"
    book.write_bytes(content)
    with pytest.raises(TableFormatError) as exc:
        read_csv_table(book)
    at = len((HEADER + GOOD).encode()) + len("Q7,2026-06-02,1949-07-04,Jos")
    assert str(exc.value) == f"latin.csv: cannot be read as CSV: not UTF-8 text (byte {at})"


def test_a_parser_message_is_never_passed_through():
    # Whatever the parser says of a CSV file, the message keeps none of the row it quotes.
    exc = pa.ArrowInvalid("CSV parse error: Row #7: Expected 4 columns, got 6: "
                          "Q7,2026-06-02,1949-07-04,403b7,John Doe,123-45-6789")
    why = unreadable(Path("x.csv"), "csv", exc)
    assert "\n" not in why and all(s not in why for s in SECRETS), why
    assert why.startswith("x.csv: cannot be read as CSV: ")
    other = pa.ArrowInvalid("In CSV column #3: Row #9: CSV conversion error to int64: "
                            "invalid value 'John Doe'")
    why = unreadable(Path("x.csv"), "csv", other)
    assert "John Doe" not in why and "\n" not in why, why
