"""Taxpayer identification numbers on information returns: checked, never logged, truncated on
the recipient's copy.

A TIN (SSN, ITIN, ATIN or EIN) is nine digits (Instructions for Forms 1099-R and 5498 and the
General Instructions for Certain Information Returns, "Taxpayer identification numbers");
dashes and spaces are accepted between them.  A number of one digit repeated (all zeros among
them) or the sequence 123456789 is refused as a placeholder.  The recipient's copy may show
only the last four digits (Treas. Reg. §301.6109-4: a truncated TIN, "XXX-XX-1234").
"""

from __future__ import annotations

import re

import numpy as np

#: The message of a refused TIN: it names the field, never the value.
BAD_TIN = "is not a taxpayer identification number (nine digits; dashes allowed)"
_SEPARATORS = re.compile(r"[\s-]")
_PLACEHOLDERS = frozenset({"123456789"} | {d * 9 for d in "0123456789"})


def _digits(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _SEPARATORS.sub("", str(value))


def bad_tins(values) -> np.ndarray:
    """True where a TIN is given and is not nine digits, or is a placeholder; a missing TIN is
    not refused here (the column is optional)."""
    out = np.zeros(len(values), bool)
    for i, v in enumerate(values):
        d = _digits(v)
        if d is not None and d != "":
            out[i] = not (len(d) == 9 and d.isdigit()) or d in _PLACEHOLDERS
    return out


def truncated_tins(values) -> list[str | None]:
    """The recipient's copy: the last four digits only (XXX-XX-1234); None where none given."""
    out: list[str | None] = []
    for v in values:
        d = _digits(v)
        out.append(f"XXX-XX-{d[-4:]}" if d and len(d) == 9 and d.isdigit() else None)
    return out
