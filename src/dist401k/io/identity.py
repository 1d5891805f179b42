"""What a batch run was made from, so that a resumed run can prove it continues the same one.

A Parquet file's identity is its resolved path, its size, its row count and a SHA-256 of its
footer (the file's metadata: schema, row groups, their sizes and statistics), read from the
end of the file without reading the data.  Two different books almost never share a footer;
the same book copied elsewhere keeps it (and its path is then reported as the difference).
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

import pyarrow.parquet as pq

from dist401k.io.tables import TableFormatError

_MAGIC = b"PAR1"


def footer_fingerprint(path: Path) -> str:
    """SHA-256 of the Parquet footer of ``path`` (hex)."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size < 12:
            raise TableFormatError(f"{path.name}: too short to be a Parquet file")
        fh.seek(size - 8)
        tail = fh.read(8)
        (length,) = struct.unpack("<I", tail[:4])
        if tail[4:] != _MAGIC or length > size - 12:
            raise TableFormatError(f"{path.name}: not a Parquet file (no footer)")
        fh.seek(size - 8 - length)
        return hashlib.sha256(fh.read(length)).hexdigest()


def parquet_identity(path: Path) -> dict:
    """``{"path", "size", "rows", "footer_sha256"}`` of a Parquet input."""
    path = Path(path).resolve()
    return {"path": str(path), "size": path.stat().st_size,
            "rows": pq.ParquetFile(path).metadata.num_rows,
            "footer_sha256": footer_fingerprint(path)}


def differences(earlier: dict, now: dict, prefix: str = "") -> list[str]:
    """``"key: earlier → now"`` for every key whose value differs (nested mappings walked)."""
    out = []
    for key in sorted(set(earlier) | set(now)):
        a, b = earlier.get(key), now.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += differences(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append(f"{prefix}{key}: {a!r} → {b!r}")
    return out
