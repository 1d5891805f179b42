"""Tables in and out: CSV, Parquet and JSON through PyArrow, chosen by the file's extension.

JSON input is an array of objects, or one object per line (JSON Lines); JSON output is an
array of objects.  Numbers keep full precision; money is rounded to cents on the way out.

A file that cannot be read — a folder, not UTF-8, a corrupt Parquet footer or page — is a
:class:`TableFormatError` naming the file.  CSV output is made safe for spreadsheets
(:func:`csv_safe`) and is written, like every output, under a temporary name and renamed when
complete (:mod:`dist401k.io.outputs`).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from dist401k.errors import FINITE, GIVEN_TWICE, TOO_LARGE, Refused
from dist401k.io.files import big_int, dotted, load_json
from dist401k.io.outputs import atomic_output

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "json"}


class TableFormatError(ValueError):
    """A file that is not a table dist401k can read or write."""


def table_format(path: str | Path, output: bool = False) -> str:
    """"csv", "parquet" or "json", by the file's extension; another is a
    :class:`TableFormatError` naming the types.  For an input workbook the error says how Excel
    saves CSV; for an ``output`` it names only the types written there."""
    ext = Path(path).suffix.lower()
    try:
        return FORMATS[ext]
    except KeyError:
        what = ("is a folder, not a table file" if Path(path).is_dir()
                else f"unknown file type '{ext}'")
        if output:
            raise TableFormatError(f"{Path(path).name or path}: {what} (write .csv, .parquet "
                                   "or .json)") from None
        fix = f"; {SAVE_AS_CSV}" if ext in WORKBOOKS else ""
        raise TableFormatError(
            f"{Path(path).name or path}: {what} (use .csv, .parquet or .json){fix}") from None


#: A spreadsheet's own files, which are saved as CSV to be read (:data:`SAVE_AS_CSV`).
WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


#: The most bytes one row of a book may take in one column, uncompressed: far beyond any value
#: a book holds (its longest text, an identifier, is at most 200 characters, 800 bytes of
#: UTF-8: docs/reliability.md; an amount or a date is 4 to 8 bytes) ...
MAX_CELL_BYTES = 4_096
#: ... and the room a column chunk may take beyond it: its page headers, dictionary and
#: statistics (a few hundred bytes a page).
CHUNK_ROOM_BYTES = 1 << 20


def check_chunk_sizes(md: pq.FileMetaData, file_name: str) -> None:
    """A :class:`TableFormatError` in one line, naming the column, where a column chunk of a
    row group says in the footer that it decompresses to more than :data:`MAX_CELL_BYTES` a
    row (plus :data:`CHUNK_ROOM_BYTES`): a small file that would decompress to gigabytes (a
    400,000,000-character identifier in 62 KB of zstd) is refused before a page of it is
    read, as a CSV cell beyond the parser's block is."""
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        bound = rg.num_rows * MAX_CELL_BYTES + CHUNK_ROOM_BYTES
        for c in range(rg.num_columns):
            chunk = rg.column(c)
            if chunk.total_uncompressed_size > bound:
                raise TableFormatError(
                    f"{file_name}: column `{chunk.path_in_schema}` decompresses to "
                    f"{chunk.total_uncompressed_size:,} bytes in {rg.num_rows:,} rows (row group "
                    f"{g + 1}), more than a book's {MAX_CELL_BYTES:,} bytes a row: refused "
                    "before it is read")


def read_table(path: str | Path) -> pa.Table:
    """Read a CSV, Parquet or JSON file into an Arrow table."""
    path = Path(path)
    fmt = table_format(path)
    if not path.exists():
        raise TableFormatError(f"{path.name}: no such file")
    if path.is_dir():
        raise TableFormatError(f"{path.name}: is a folder, not a file")
    try:
        if fmt == "parquet":
            check_chunk_sizes(pq.read_metadata(path), path.name)
            return pq.read_table(path)
        if fmt == "csv":
            return read_csv_table(path)
        text = path.read_text(encoding="utf-8").lstrip()
        if is_answer(text):
            raise TableFormatError(f"{path.name}: is an answer of dist401k (one object holding "
                                   "`results`), not a table of rows: give the rows (an array of "
                                   "objects, JSON Lines, CSV or Parquet)")
        if text.startswith("["):
            records, twice = load_json(text, **_NUMBER_HOOKS)  # beyond a float: Refused
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise TableFormatError(f"{path.name}: a JSON array must hold objects")
            if twice:  # as a CSV column named twice is refused
                raise TableFormatError(f"{path.name}: " + "; ".join(
                    f"row {int(p[0]) + 1}, {dotted(p[1:])}: {GIVEN_TWICE}" for p in twice[:10]))
            one_value_a_cell(records)
            return records_to_table(records)
        return _json_lines(path, text)
    except (pa.ArrowInvalid, json.JSONDecodeError, UnicodeDecodeError, OSError,
            RecursionError) as exc:
        raise TableFormatError(unreadable(path, fmt, exc)) from None


def read_table_parts(path: str | Path) -> tuple[pa.Table, list[tuple[np.ndarray, pa.Table]]]:
    """The table of a file (:func:`read_table`) and its parts: a JSON file's objects that
    give the same keys are one part, whose table holds those keys alone — a key an object
    leaves out is a column its part lacks, as ``POST /tax`` reads its units, where the whole
    table holds a blank (a null) there.  Each part is given with its rows' places in the
    file; a CSV or Parquet file, or a JSON file whose objects all give the same keys, is one
    part, the table itself."""
    table = read_table(path)
    whole = [(np.arange(table.num_rows), table)]
    if table_format(path) != "json" or not any(c.null_count for c in table.columns):
        return table, whole  # (a key left out is a null: no null, no key left out)
    records = _json_objects(Path(path))
    groups: dict[frozenset[str], list[int]] = {}
    for i, r in enumerate(records):
        groups.setdefault(frozenset(r), []).append(i)
    if len(groups) == 1:
        return table, whole
    return table, [(np.array(at), records_to_table([records[i] for i in at]))
                   for at in groups.values()]


def _json_objects(path: Path) -> list[dict]:
    """The objects of a JSON file that :func:`read_table` has read (an array of objects or
    JSON Lines), read again as Python values, with the same readers of numbers."""
    text = path.read_text(encoding="utf-8").lstrip()
    if text.startswith("["):
        return load_json(text, **_NUMBER_HOOKS)[0]
    return [load_json(line, **_NUMBER_HOOKS)[0] for line in text.splitlines() if line.strip()]


def one_value_a_cell(records: list[dict]) -> None:
    """:class:`~dist401k.errors.InputError` naming the row and column of each cell of a JSON
    table that holds no one value dist401k reads, in ``POST /tax``'s words: a list or an
    object ("is a list, not one value": a table's cell holds one value; Arrow would make a
    column mixing lists and values text, refused in other words, or a list column no CSV
    output holds), a number beyond a float (:data:`~dist401k.errors.TOO_LARGE`) or not
    finite (``NaN``, ``Infinity``, ``1e999``: :data:`~dist401k.errors.FINITE`), which JSON
    reads apart from text ``"nan"`` (a CSV cell's word, refused as "nan is not a number")."""
    from dist401k.errors import FieldProblem, InputError
    from dist401k.tax.units import not_one_value

    problems = [FieldProblem(str(k), words, i + 1) for i, r in enumerate(records)
                for k, v in r.items() if (words := _cell_problem(v, not_one_value)) is not None]
    if problems:
        raise InputError(problems)


def _cell_problem(v: object, not_one_value) -> str | None:
    return v.problem if isinstance(v, Refused) else not_one_value(v)


def _whole(text: str) -> int | Refused:
    """A JSON integer, or :data:`~dist401k.errors.TOO_LARGE` where beyond a float."""
    v = big_int(text)
    return v if isinstance(v, int) and abs(v) <= sys.float_info.max else Refused(TOO_LARGE)


def _real(text: str) -> float | Refused:
    """A JSON number with a fraction or exponent, or :data:`~dist401k.errors.FINITE` where it
    is beyond a float (``1e999``)."""
    v = float(text)
    return v if math.isfinite(v) else Refused(FINITE)


#: How a JSON table's numbers are read: one that is no finite float stands refused.
_NUMBER_HOOKS = {"parse_int": _whole, "parse_float": _real,
                 "parse_constant": lambda _text: Refused(FINITE)}


def _json_lines(path: Path, text: str) -> pa.Table:
    """JSON Lines (one object a line) as a table; a cell holding a list or an object is named
    with its row and column (:func:`one_value_a_cell`) — where Arrow cannot read the lines
    too (a column mixing lists and values), else Arrow's own problem stands."""
    try:
        table = pajson.read_json(path)
    except pa.ArrowInvalid as exc:
        try:
            records = [load_json(line, **_NUMBER_HOOKS)[0]
                       for line in text.splitlines() if line.strip()]
        except (json.JSONDecodeError, RecursionError):
            raise exc from None
        if not all(isinstance(r, dict) for r in records):
            raise
        one_value_a_cell(records)
        # A column mixing kinds of values (0 and true, text and numbers), which Arrow's
        # reader refuses: text, as in a JSON array (records_to_table).
        return records_to_table(records)
    nested = [f.name for f in table.schema if pa.types.is_nested(f.type)]
    if nested:
        one_value_a_cell(table.select(nested).to_pylist())
    return table


def is_answer(text: str) -> bool:
    """Whether a JSON text is an answer of dist401k (``dist401k tax --format json``, ``POST /tax``:
    one object whose ``results`` is the array of rows, beside the law and program versions)
    rather than rows: JSON Lines (more than one object) or an array is not."""
    if not text.startswith("{"):
        return False
    try:
        value, _ = load_json(text)
    except json.JSONDecodeError:  # JSON Lines: more than one object
        return False
    return isinstance(value, dict) and isinstance(value.get("results"), list)


def read_csv_table(path: Path, text_columns: Iterable[str] | None = None) -> pa.Table:
    """A CSV file as a table.  Strings stay strings where a column mixes types; only a blank
    cell is a null (the default of its column, or an error where the column is required): the
    words ``nan``, ``NA`` or ``null`` are values, so a ``nan`` amount is refused as NaN rather
    than read as "not given".  The ``text_columns`` (by default those a plan book holds as
    text, :data:`dist401k.flat.TEXT_COLUMNS`) are read as written, never as numbers: an
    identifier ``000123``, a ZIP code ``02134`` or a TIN ``012456789`` keeps its leading zeros; a
    date is judged by the one date parser (:data:`dist401k.flat.DATE_COLUMNS`).  A column of
    numbers holding an infinity (``inf``, ``1e400``, an integer of 400 digits) is read again as
    text, so that the checks can tell an integer too large for a float
    (:data:`~dist401k.errors.TOO_LARGE`, as a case file's or a JSON body's) from a number that
    is not finite (:data:`~dist401k.errors.FINITE`): the parser reads both as infinity.

    A file that cannot be parsed is a :class:`TableFormatError` in one line naming the line and
    the problem (:func:`csv_problem`), never a value of the file (docs/reliability.md)."""
    if text_columns is None:
        from dist401k.flat import DATE_COLUMNS, TEXT_COLUMNS

        text_columns = (*TEXT_COLUMNS, *DATE_COLUMNS)
    text_columns = tuple(text_columns)
    _check_csv_kind(path)
    table = _parse_csv(path, text_columns)
    infinite = infinite_columns(table)
    table = _parse_csv(path, text_columns + infinite) if infinite else table
    problem = header_problem(table.column_names)
    if problem is not None:
        raise TableFormatError(f"{path.name}: {problem}")
    return table.rename_columns([n.replace(BOM, "") for n in table.column_names])


def _check_csv_kind(path: Path) -> None:
    """A :class:`TableFormatError` where the file's first bytes show a workbook or UTF-16 text
    (:func:`not_csv_kind`)."""
    with path.open("rb") as f:
        kind = not_csv_kind(f.read(4096))
    if kind is not None:
        raise TableFormatError(f"{path.name}: cannot be read as CSV: {kind}")


def _parse_csv(path: Path, text_columns: tuple[str, ...]) -> pa.Table:
    """The CSV file parsed, ``text_columns`` read as written (:func:`read_csv_table`), under
    their names or after a second byte-order mark (a file Excel saved twice)."""
    types = {n: pa.string() for name in text_columns for n in (name, BOM + name)}  # 2 BOMs
    # No column is typed true/false by the parser (its words would be 1/0 and TRUE/FALSE
    # alone): a column of 0 and TRUE stays text, each cell as written, which a true/false
    # column reads (any of its words) and a number column reads as numbers, its 0 a 0.
    convert = pacsv.ConvertOptions(column_types=types, true_values=[], false_values=[],
                                   strings_can_be_null=True, null_values=[""])
    try:
        table = pacsv.read_csv(path, convert_options=convert)
        table.column_names  # noqa: B018  (a header that is not UTF-8 fails here)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise TableFormatError(f"{path.name}: cannot be read as CSV: "
                               f"{csv_problem(path, convert, exc)}") from None
    return table


def infinite_columns(table: pa.Table) -> tuple[str, ...]:
    """The names of the table's floating-point columns holding an infinity."""
    return tuple(name for name, col in zip(table.column_names, table.columns, strict=True)
                 if pa.types.is_floating(col.type) and pc.any(pc.is_inf(col)).as_py())


def csv_problem(path: Path, convert: pacsv.ConvertOptions, exc: BaseException) -> str:
    """Why a CSV file cannot be read, in words holding none of its values (the parser's own
    message quotes the row): bytes that are not UTF-8 (where the first is), a row whose number
    of fields is not the header's (its line), else the parser's kind of problem."""
    at = first_not_utf8(path)
    if at is not None:
        return f"not UTF-8 text (byte {at})"
    longer = header_longer_than_block(path)
    if longer is not None:
        return longer
    found: list[tuple[int | None, int, int]] = []

    def note(row) -> str:  # the row's number and counts only, never its text
        found.append((row.number, row.actual_columns, row.expected_columns))
        return "error"

    try:  # again, in one thread: the parser then knows the row's number
        pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=False),
                       parse_options=pacsv.ParseOptions(invalid_row_handler=note),
                       convert_options=convert)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        pass
    if not found:
        return parser_problem(exc)
    number, got, expected = found[0]
    where = "a row" if number is None else _line_of_row(path, number)
    return f"{where}: {got} field{'s' if got != 1 else ''} where the header has {expected}"


def csv_header_schema(path: Path) -> pa.Schema | None:
    """The column names of a CSV file's header, as a schema of text columns, read from its
    first record alone (no block of rows parsed, no types inferred: a header of 100,000 columns
    costs its own bytes, not the parser's guesses).  The record ends where the parser's does: at
    a line feed, a carriage return (Excel's "CSV (Macintosh)") or both, a quoted line break
    kept in its name.  None where the record does not end within the parser's block, is not
    UTF-8 or cannot be parsed (the reading of the file names that problem); a header no book
    can have is a :class:`TableFormatError` (:func:`header_problem`)."""
    block = pacsv.ReadOptions().block_size
    with path.open("rb") as f:
        head = f.read(block + 1)
    kind = not_csv_kind(head)
    if kind is not None:
        raise TableFormatError(f"{path.name}: cannot be read as CSV: {kind}")
    names = _first_record(head, complete=len(head) <= block)
    if not names:
        return None
    problem = header_problem(names)
    if problem is not None:
        raise TableFormatError(f"{path.name}: {problem}")
    names = [n.replace(BOM, "") for n in names]
    return pa.schema([(n, pa.string()) for n in names])


#: The byte-order mark: Excel writes one before a CSV UTF-8 file's first name, and a file saved
#: twice holds two; the parser drops the first only.
BOM = "\ufeff"


def _first_record(head: bytes, complete: bool) -> list[str] | None:
    """The fields of the first CSV record of ``head`` (the file's first bytes; ``complete``:
    the whole file), or None where it is not UTF-8 text up to its end, cannot be parsed or
    may go on past the bytes read."""
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=complete)
    except UnicodeDecodeError as exc:  # a byte past the header is the reading's problem
        head, complete = head[:exc.start], False
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head)
    lines = io.StringIO(text, newline="")  # a line ends at \n, \r or \r\n, as the parser's
    used = 0

    def counted():
        nonlocal used
        for line in lines:
            used += len(line)
            yield line

    try:
        names = next(csv.reader(counted()), None)
    except csv.Error:
        return None
    ended = complete or used < len(text) or text.endswith(("\n", "\r"))
    return names if ended else None


def not_csv_kind(head: bytes) -> str | None:
    """What a file given as CSV is, with how to save it as one, where its first bytes show it
    is not text a CSV parser reads: an Excel workbook (a zip file: ``PK``), UTF-16 text (its
    byte-order mark, or the zero bytes of ASCII in UTF-16: Excel's "Unicode Text"); None
    otherwise (another binary file is "not UTF-8 text", :func:`csv_problem`)."""
    if head.startswith(b"PK\x03\x04"):
        return f"it is an Excel workbook (or another zip file), not CSV: {SAVE_AS_CSV}"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _ascii_in_utf16(head):
        return f"it is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: {SAVE_AS_CSV}"
    return None


def _ascii_in_utf16(head: bytes) -> bool:
    """Whether the first bytes are ASCII text in UTF-16 without a byte-order mark: a zero byte
    at every other place (before or after each character), and none between."""
    sample = head[:64][: len(head[:64]) // 2 * 2]
    if len(sample) < 4:
        return False
    odd, even = sample[1::2], sample[0::2]
    return any(set(z) == {0} and 0 not in c for z, c in ((odd, even), (even, odd)))


#: How a spreadsheet's rows become a file dist401k reads.
SAVE_AS_CSV = "in Excel, File > Save As > CSV UTF-8 (Comma delimited) (*.csv)"


def header_problem(names: list[str]) -> str | None:
    """One line for a CSV header no book has, saying how to fix it in a spreadsheet: a
    header of one name holding semicolons or tabs (a file separated by them: European Excel,
    "Text (Tab delimited)"), a name holding a line break (Alt+Enter in a cell), columns with
    no name (empty columns right of the data); None otherwise.  A byte-order mark in a name is
    not a problem: it is dropped (:data:`BOM`)."""
    if len(names) == 1:
        for mark, what in ((";", "semicolons"), ("\t", "tabs")):
            if mark in names[0]:
                return f"the file is separated by {what}, not commas: {SAVE_AS_CSV}"
    broken = [i + 1 for i, n in enumerate(names) if "\n" in n or "\r" in n]
    if broken:
        return (f"{_columns(broken)} {'has' if len(broken) == 1 else 'have'} a line break in "
                "the header: write each column's name on one line")
    empty = [i + 1 for i, n in enumerate(names) if not n.replace(BOM, "").strip()]
    if empty and len(empty) < len(names):
        return (f"{_columns(empty)} {'has' if len(empty) == 1 else 'have'} no header: delete "
                "the empty columns")
    return None


def _columns(numbers: list[int]) -> str:
    """``column 7``, ``columns 7–8``, ``columns 2, 7–8``: the columns counted from 1 (A is 1)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    words = ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"column{'s' if len(numbers) > 1 else ''} {words}"


def header_longer_than_block(path: Path) -> str | None:
    """The problem of a file whose first line is longer than the CSV parser's block (it reads
    the header within one block, and calls such a file "Empty CSV file"); None otherwise."""
    block = pacsv.ReadOptions().block_size
    with path.open("rb") as f:
        head = f.read(block + 1)
    if len(head) <= block or b"\n" in head or b"\r" in head:
        return None
    return f"the header line is longer than {block:,} bytes (the most the CSV parser reads)"


def first_not_utf8(path: Path, chunk: int = 1 << 22) -> int | None:
    """The offset of the first byte of ``path`` that is not part of UTF-8 text; None if all are."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    with path.open("rb") as f:
        while True:
            data = f.read(chunk)
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                return done - pending + exc.start
            if not data:
                return None
            done += len(data)


def _line_of_row(path: Path, number: int) -> str:
    """``line L``: where the parser's row ``number`` (the header row 1, blank lines not counted)
    begins in the file — the line after the one the previous row (or blank line) ended on, so
    the lines inside a quoted cell, and a quote never closed that runs to the end of the file,
    are counted whole; ``row N`` where that cannot be told."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader, count, begins = csv.reader(f), 0, 1
            for fields in reader:
                count += bool(fields)
                if fields and count == number:
                    return f"line {begins}"
                begins = reader.line_num + 1  # line_num: the last line read so far
    except (csv.Error, OSError, UnicodeDecodeError):
        pass
    return f"row {number} (the header row 1)"


#: The parser's words that hold none of the file's values (its kind of problem).
_PARSER_KINDS = re.compile(r"Empty CSV file|CSV parse error|CSV conversion error to \w+|"
                           r"invalid UTF8 data")


def parser_problem(exc: BaseException) -> str:
    """The CSV parser's kind of problem and the row it names, without the text it quotes."""
    text = str(exc)
    kinds = _PARSER_KINDS.findall(text)
    row = re.search(r"Row #(\d+)", text)
    kind = kinds[-1] if kinds else "not a table the CSV parser can read"
    return kind + (f" (row {row.group(1)}, the header row 1)" if row else "")


def numbers_in_text(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The rows where a column that must be text gives a number: every non-null value of a
    column typed as numbers (a Parquet integer column of ZIP codes has lost ``02134``'s zero
    already, so no value of it can be trusted); none where the column is text."""
    t = col.type
    if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)):
        return np.zeros(len(col), bool)
    return np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), bool)


def unreadable(path: Path, fmt: str, exc: BaseException) -> str:
    """One line saying why ``path`` cannot be read as ``fmt``."""
    if isinstance(exc, UnicodeDecodeError):
        why = f"not UTF-8 text (byte {exc.start})"
    elif isinstance(exc, RecursionError):
        why = "nested too deep"
    elif fmt == "csv" and isinstance(exc, pa.ArrowInvalid):  # it may quote a row: never shown
        why = parser_problem(exc)
    else:
        why = " ".join(str(exc).split())[:300]
    return f"{path.name}: cannot be read as {fmt.upper()}: {why}"


def records_to_table(records: list[dict]) -> pa.Table:
    """JSON objects as a table: a column mixing kinds of values, or holding an integer beyond
    Arrow's, is text (each value as JSON writes it: ``true``, not ``True``), which the reader
    of each column then checks."""
    names: list[str] = []
    for r in records:
        for k in r:
            if k not in names:
                names.append(k)
    cols = {}
    for k in names:
        vals = [r.get(k) for r in records]
        try:
            if _bools_among_others(vals):  # Arrow would read [0.0, true] as [0.0, 1.0]
                raise pa.ArrowTypeError
            cols[k] = pa.array(vals)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            cols[k] = pa.array([_text(v) for v in vals], type=pa.string())
    return pa.table(cols)


def _bools_among_others(vals: list) -> bool:
    """Whether a JSON column mixes true/false with other values (numbers): it is then text,
    each cell as JSON writes it, so that ``true`` in an amount column is refused as a CSV
    cell ``true`` is, never read as 1, and ``0`` beside ``true`` in a true/false column is
    read as the word ``0`` (docs/batch.md, "From a spreadsheet")."""
    kinds = {type(v) for v in vals if v is not None}
    return bool in kinds and len(kinds) > 1


def _text(v: object) -> str | None:
    """A JSON value as text: None stays blank, an integer beyond a float is not finite."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) and abs(v) > sys.float_info.max:
        return "inf" if v > 0 else "-inf"
    return str(v)


def boolean_as_word(v: object) -> object:
    """``true`` or ``false`` for a boolean (JSON's, Arrow's), else the value: a number column
    refuses the word as it refuses a CSV cell ``true``, a true/false column reads it (every
    door of the tax gives one verdict)."""
    return ("true" if v else "false") if isinstance(v, bool | np.bool_) else v


def columns_of(table: pa.Table) -> dict[str, np.ndarray]:
    """An Arrow table as NumPy columns.  A null (a blank cell) is None, in numbers too: a NaN
    is a value given (a CSV cell ``nan``), and the two are refused in different words."""
    from dist401k.tax.units import arrow_values

    out = {}
    for name in table.column_names:
        col = table.column(name)
        t = col.type
        if pa.types.is_integer(t) or pa.types.is_floating(t):
            out[name] = arrow_values(col) if col.null_count else col.to_numpy()
        elif pa.types.is_boolean(t):  # words, never 1 and 0 (boolean_as_word)
            words = pc.if_else(col, pa.scalar("true"), pa.scalar("false"))
            out[name] = np.asarray(words.to_numpy(zero_copy_only=False), dtype=object)
        elif pa.types.is_null(t):
            out[name] = np.full(len(col), None, dtype=object)
        else:  # one value a row, even where the values are lists
            out[name] = np.fromiter(col.to_pylist(), dtype=object, count=len(col))
    return out


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_FIRST = ["=", "+", "-", "@", "\t", "\r"]
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def csv_safe(table: pa.Table) -> pa.Table:
    """The table as it may go into a CSV file: a text cell that begins with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading single quote (OWASP's advice
    against CSV injection), unless it is a plain number (``-3.5``); number columns stay
    numbers, with ``-0`` written as ``0``."""
    for i, field in enumerate(table.schema):
        col = table.column(i)
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            # The first character alone, then the (slower) number test only if any is risky.
            risky = pc.fill_null(pc.is_in(pc.utf8_slice_codeunits(col, 0, 1), value_set=pa.array(
                _FORMULA_FIRST, field.type)), False)
            if not pc.any(risky).as_py():
                continue
            risky = pc.and_(risky, pc.invert(pc.fill_null(pc.match_substring_regex(
                col, _PLAIN_NUMBER), False)))
            col = pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)
        elif pa.types.is_floating(field.type):
            col = pc.add(col, pa.scalar(0.0, field.type))  # -0.0 + 0.0 == +0.0
        else:
            continue
        table = table.set_column(i, field, col)
    return table


def write_table(table: pa.Table, path: str | Path) -> None:
    """Write an Arrow table as CSV, Parquet or JSON (by extension), under a temporary name
    renamed when complete (:func:`atomic_output`); CSV cells are made safe (:func:`csv_safe`)."""
    path = Path(path)
    fmt = table_format(path, output=True)
    with atomic_output(path) as tmp:
        if fmt == "parquet":
            pq.write_table(table, tmp)
        elif fmt == "csv":
            pacsv.write_csv(csv_safe(table), tmp)
        else:
            tmp.write_text(json.dumps(table.to_pylist(), indent=1) + "\n", encoding="utf-8")
