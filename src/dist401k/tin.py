"""Taxpayer identification numbers on information returns: checked, never logged, truncated on
the recipient's copy.

A TIN (SSN, ITIN, ATIN or EIN) is nine digits (Instructions for Forms 1099-R and 5498 and the
General Instructions for Certain Information Returns, "Taxpayer identification numbers");
dashes and spaces are accepted between them.  A number of one digit repeated (all zeros among
them) or the sequence 123456789 is refused as a placeholder.  The recipient's copy may show
only the last four digits (Treas. Reg. §301.6109-4: a truncated TIN, "XXX-XX-1234").

Where the book says which kind of number it is (``recipient_tin_type``), the number must be
one of that kind: an ITIN starts with 9 and has its 4th and 5th digits in 50-65, 70-88, 90-92
or 94-99 (IRS, "Individual Taxpayer Identification Number"; the IRS page itself could not be
read here: the ranges as every public description of it gives them, docs/forms.md); an SSN
never starts with 9 (the Social Security Administration issues none in the 9 area, which the
IRS's numbers use).  An ATIN's (4th-5th digits 93) and an EIN's (its campus prefixes) further
rules are not checked: nine digits only.
"""

from __future__ import annotations

import re

import numpy as np

#: The message of a TIN that is malformed: not nine digits.
NOT_NINE_DIGITS = "is not a taxpayer identification number (nine digits; dashes allowed)"
#: The message of a placeholder TIN: nine digits, but no number the IRS issues (in words: a
#: message never shows digits a TIN could hold).
PLACEHOLDER_TIN = ("is a placeholder TIN (the digits one to nine in order, or one digit nine "
                   "times), not a real one")
#: The message of a TIN that is not one of the kind its ``recipient_tin_type`` names.
WRONG_KIND = ("is not a number of its recipient_tin_type (an ITIN starts with 9 and has its "
              "4th-5th digits in 50-65, 70-88, 90-92 or 94-99; an SSN never starts with 9)")
_SEPARATORS = re.compile(r"[\s-]")
#: An ITIN's 4th and 5th digits (IRS, "Individual Taxpayer Identification Number").
_ITIN_GROUPS = frozenset(range(50, 66)) | frozenset(range(70, 89)) | frozenset(range(90, 93)) \
    | frozenset(range(94, 100))
_PLACEHOLDERS = frozenset({"123456789"} | {d * 9 for d in "0123456789"})


def _digits(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _SEPARATORS.sub("", str(value))


def _nine(d: str | None) -> bool:
    """Nine digits 0-9 (``str.isdigit`` would take a superscript or a full-width digit)."""
    return d is not None and len(d) == 9 and d.isascii() and d.isdigit()


def tins_given(values) -> np.ndarray:
    """True where a TIN cell holds anything but blanks, dashes and spaces: a cell of separators
    only holds no number, as a blank one (no TIN furnished, IRC §3405(e)(12))."""
    return np.array([bool(_digits(v)) for v in values], bool)


def bad_tins(values) -> np.ndarray:
    """True where a TIN is given and is not nine digits, or is a placeholder; a missing TIN is
    not refused here (the column is optional)."""
    out = np.zeros(len(values), bool)
    for i, v in enumerate(values):
        d = _digits(v)
        if d is not None and d != "":
            out[i] = not _nine(d) or d in _PLACEHOLDERS
    return out


def placeholder_tins(values) -> np.ndarray:
    """True where a TIN is nine digits that hold no number: 123456789, or one digit nine times
    (all zeros among them)."""
    out = np.zeros(len(values), bool)
    for i, v in enumerate(values):
        d = _digits(v)
        out[i] = _nine(d) and d in _PLACEHOLDERS
    return out


def tin_problems(values) -> list[tuple[np.ndarray, str]]:
    """:func:`bad_tins` told apart, each with its own one-line message: the TINs that are not
    nine digits (NOT_NINE_DIGITS), and the placeholders (PLACEHOLDER_TIN)."""
    placeholder = placeholder_tins(values)
    return [(bad_tins(values) & ~placeholder, NOT_NINE_DIGITS), (placeholder, PLACEHOLDER_TIN)]


def _of_kind(d: str, kind: str) -> bool:
    """Whether nine digits ``d`` can be a number of ``kind`` (SSN, ITIN; any other kind: yes)."""
    if kind == "ITIN":
        return d[0] == "9" and int(d[3:5]) in _ITIN_GROUPS
    if kind == "SSN":
        return d[0] != "9"
    return True


def wrong_kind_tins(values, kinds) -> np.ndarray:
    """True where a well-formed TIN (nine digits) is not one of the kind given beside it
    (``recipient_tin_type``: an ITIN outside the ITIN ranges, an SSN starting with 9); a
    missing TIN or kind is not refused here, nor a malformed TIN (:func:`bad_tins` says so)."""
    out = np.zeros(len(values), bool)
    for i, (v, k) in enumerate(zip(values, kinds, strict=True)):
        d = _digits(v)
        kind = "" if k is None else str(k).strip().upper()
        if d is not None and _nine(d) and kind:
            out[i] = not _of_kind(d, kind)
    return out


def truncated_tins(values) -> list[str | None]:
    """The recipient's copy: the last four digits only (XXX-XX-1234); None where none given."""
    out: list[str | None] = []
    for v in values:
        d = _digits(v)
        out.append(f"XXX-XX-{d[-4:]}" if d is not None and _nine(d) else None)
    return out
