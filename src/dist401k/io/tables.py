"""Tables in and out: CSV, Parquet and JSON through PyArrow, chosen by the file's extension.

JSON input is an array of objects, or one object per line (JSON Lines); JSON output is an
array of objects.  Numbers keep full precision; money is rounded to cents on the way out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "json"}


class TableFormatError(ValueError):
    """A file that is not a table dist401k can read or write."""


def table_format(path: str | Path) -> str:
    ext = Path(path).suffix.lower()
    try:
        return FORMATS[ext]
    except KeyError:
        raise TableFormatError(
            f"{Path(path).name}: unknown file type '{ext}' (use .csv, .parquet or .json)"
        ) from None


def read_table(path: str | Path) -> pa.Table:
    """Read a CSV, Parquet or JSON file into an Arrow table."""
    path = Path(path)
    fmt = table_format(path)
    if not path.exists():
        raise TableFormatError(f"{path.name}: no such file")
    try:
        if fmt == "parquet":
            return pq.read_table(path)
        if fmt == "csv":
            # Strings stay strings where a column mixes types; blanks become nulls, and the
            # tax rules report a null in an amount column as an error (never a silent zero).
            return pacsv.read_csv(
                path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True)
            )
        text = path.read_text(encoding="utf-8").lstrip()
        if text.startswith("["):
            records = json.loads(text)
            if not all(isinstance(r, dict) for r in records):
                raise TableFormatError(f"{path.name}: a JSON array must hold objects")
            return records_to_table(records)
        return pajson.read_json(path)
    except (pa.ArrowInvalid, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TableFormatError(f"{path.name}: cannot be read as {fmt.upper()}: {exc}") from exc


def records_to_table(records: list[dict]) -> pa.Table:
    names: list[str] = []
    for r in records:
        for k in r:
            if k not in names:
                names.append(k)
    cols = {}
    for k in names:
        vals = [r.get(k) for r in records]
        try:
            cols[k] = pa.array(vals)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            cols[k] = pa.array([None if v is None else str(v) for v in vals], type=pa.string())
    return pa.table(cols)


def columns_of(table: pa.Table) -> dict[str, np.ndarray]:
    """An Arrow table as NumPy columns (nulls become NaN in numbers, None in others)."""
    out = {}
    for name in table.column_names:
        col = table.column(name)
        t = col.type
        if pa.types.is_integer(t) or pa.types.is_floating(t):
            out[name] = col.to_numpy().astype(float) if col.null_count else col.to_numpy()
        elif pa.types.is_boolean(t) and not col.null_count:
            out[name] = col.to_numpy()
        elif pa.types.is_null(t):
            out[name] = np.full(len(col), np.nan)
        else:
            out[name] = np.asarray(col.to_pylist(), dtype=object)
    return out


def to_table(columns: Mapping[str, Any]) -> pa.Table:
    return pa.table({k: pa.array(np.asarray(v)) for k, v in columns.items()})


def write_table(table: pa.Table, path: str | Path) -> None:
    """Write an Arrow table as CSV, Parquet or JSON (by extension)."""
    path = Path(path)
    fmt = table_format(path)
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "csv":
        pacsv.write_csv(table, path)
    else:
        path.write_text(json.dumps(table.to_pylist(), indent=1) + "\n", encoding="utf-8")
