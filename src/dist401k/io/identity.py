"""What a batch run was made from, so that a resumed run can prove it continues the same one.

A Parquet input's identity is its resolved path, its size, its row count and a SHA-256 of its
whole content: every byte of the file, streamed in chunks of :data:`CHUNK` bytes, so memory
does not grow with the file.  The footer alone (schema, row groups, their statistics) is not
enough: a value edited in place — same size, within its row group's min/max, no dictionary, no
compression — leaves the footer byte for byte the same.  The same book copied elsewhere keeps
its digest (and its path is then reported as the difference).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq

#: Bytes read at a time while a file is digested.
CHUNK = 1 << 20

#: The key of the content digest in an input's identity; a manifest without it was written by
#: an earlier dist401k (which recorded only the footer's) and cannot vouch for the content.
DIGEST_KEY = "sha256"


def content_sha256(path: Path, chunk: int = CHUNK) -> str:
    """SHA-256 (hex) of every byte of the file ``path`` (any format), read ``chunk`` bytes at a
    time."""
    digest = hashlib.sha256()
    buf = bytearray(chunk)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def parquet_identity(path: Path) -> dict:
    """``{"path", "size", "rows", "sha256"}`` of a Parquet input (``sha256``: of its whole
    content, :func:`content_sha256`)."""
    path = Path(path).resolve()
    return {"path": str(path), "size": path.stat().st_size,
            "rows": pq.ParquetFile(path).metadata.num_rows,
            DIGEST_KEY: content_sha256(path)}


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
