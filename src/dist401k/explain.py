"""Why: reason codes computed alongside the numbers, mapped to text and citation.

A rule evaluated over a batch returns, next to its numbers, one boolean mask per reason code
(``reasons[code][i]`` is True when that reason applies to case ``i``).  The explanation of a
case is the list of codes whose mask is set, so the words come from the same computation as
the figures.  Reason texts and citations are data: ``law/reasons/*.yaml``, one file per topic,
each entry ``CODE: {text: ..., citation: ..., href: ...}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from dist401k.did_you_mean import did_you_mean
from dist401k.law.loader import LawError, LawFileError, read_law_yaml

REASONS_DIR = Path(__file__).parent / "law" / "reasons"


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    citation: str
    href: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "citation": self.citation}


#: The parts of a reason's entry: any other key is a misspelling, refused with the nearest.
REASON_KEYS = ("text", "citation", "href")

#: The prefixes each reason file's codes begin with (CONTRIBUTING.md, "A reason"): a code in
#: capitals, digits and underscores, with one of its file's prefixes (``LN_`` in loan.yaml);
#: a new topic's file adds its own line here.
REASON_PREFIXES: dict[str, tuple[str, ...]] = {
    "account": ("AC_",), "beneficiary": ("BN_", "PX_"), "hardship": ("HS_",),
    "in_service": ("IS_",), "itemized": ("ID_",), "loan": ("LN_",),
    "loan_default": ("LD_", "LO_", "OC_"), "nua": ("NUA_",), "outcome": ("OC_", "PX_"),
    "premium_tax_credit": ("PTC_",), "qdro": ("QD_", "PX_"), "rmd": ("RM_",),
    "roth_ira": ("RI_",), "secure2": ("EP_", "DA_", "BA_", "DS_", "EV_", "LT_", "NOT_"),
    "separation": ("SP_", "DI_", "DM_", "TM_"), "sepp": ("SP_",), "series": ("SR_", "PX_"),
    "state": ("STATE_",),
}
_CODE = re.compile(r"[A-Z][A-Z0-9_]*")


@lru_cache(maxsize=1)
def registry() -> dict[str, Reason]:
    """Every reason code the rules may return, from ``law/reasons/*.yaml``.  A malformed file
    is one :class:`~dist401k.law.loader.LawFileError` naming it (``reasons/loan.yaml``): YAML
    it cannot read, a code given twice in one file or in two, an entry that is not a mapping,
    lacks its text or citation or has a key other than text, citation and href."""
    out: dict[str, Reason] = {}
    where: dict[str, str] = {}
    for path in sorted(REASONS_DIR.glob("*.yaml")):
        shown = f"reasons/{path.name}"
        doc = read_law_yaml(path, shown) or {}
        if not isinstance(doc, dict):
            raise LawFileError(shown, "a reason file maps codes to {text, citation, href}")
        for code, entry in doc.items():
            _reason_code(shown, path.stem, code)
            if code in out:
                raise LawFileError(shown, f"reason code {code} is defined twice "
                                          f"({where[code]} and {shown})")
            out[code] = _reason_entry(shown, str(code), entry)
            where[code] = shown
    return out


def _reason_code(shown: str, topic: str, code: object) -> None:
    """A reason file's code: capitals, digits and underscores, beginning with one of its
    file's prefixes (:data:`REASON_PREFIXES`; a file not listed there is refused)."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        meant = re.sub(r"\W+", "_", str(code).strip()).upper()
        raise LawFileError(shown, f"reason code {code!r} must be capitals, digits and underscores"
                                  f"{f' ({meant}?)' if _CODE.fullmatch(meant) else ''}")
    prefixes = REASON_PREFIXES.get(topic)
    if prefixes is None:
        raise LawFileError(shown, f"reason code {code}: the file's topic {topic!r} has no prefix "
                                  f"in explain.REASON_PREFIXES (add its line there)")
    if not code.startswith(prefixes):
        raise LawFileError(shown, f"reason code {code} lacks this file's prefix "
                                  f"({', '.join(prefixes)})")


def _reason_entry(shown: str, code: str, entry: object) -> Reason:
    """One reason file's entry for ``code``, checked (see :func:`registry`): no key but text,
    citation and href (a misspelling named first, with the nearest); text and citation
    present, each words, not blank, not a number or a list; an href a link (https://)."""
    for key in entry if isinstance(entry, dict) else ():
        if key not in REASON_KEYS:
            raise LawFileError(shown, f"reason {code}: {key!r} is not a known key"
                                      f"{did_you_mean(str(key), REASON_KEYS)} (known: "
                                      f"{', '.join(REASON_KEYS)})")
    if not isinstance(entry, dict) or "text" not in entry or "citation" not in entry:
        raise LawFileError(shown, f"reason {code} needs text and citation")
    for key in REASON_KEYS:
        value = "" if entry.get(key) is None else entry[key]
        if not isinstance(value, str):
            raise LawFileError(shown, f"reason {code}: {key} {value!r} must be text")
        if key != "href" and not value.strip():
            raise LawFileError(shown, f"reason {code}: {key} is blank")
    href = entry.get("href") or ""
    if href and not href.startswith("https://"):
        raise LawFileError(shown, f"reason {code}: href {href!r} must be a link beginning https://")
    return Reason(code, entry["text"].strip(), entry["citation"], href)


@lru_cache(maxsize=1)
def catalogue_order() -> dict[str, int]:
    """Each reason code's place in the catalogue (``law/reasons/*.yaml``, files by name, codes
    as written): the one order reasons are listed in, whatever else is in a batch."""
    return {code: i for i, code in enumerate(registry())}


class UnknownReason(LawError, KeyError):
    """A reason code no file of ``law/reasons/`` defines: one line with the nearest code, the
    words of `dist401k explain`.  A :class:`~dist401k.law.loader.LawError`, and a KeyError
    as this error was before."""

    def __init__(self, code: str):
        reasons = registry()
        super().__init__(f"{code!r} is not a reason code dist401k knows"
                         f"{did_you_mean(code.strip().upper(), reasons)} (codes are in "
                         "law/reasons/*.yaml)")
        self.code = code

    def __str__(self) -> str:  # the line itself, not KeyError's quoted key
        return str(self.args[0])


def reason(code: str) -> Reason:
    """The reason registered under ``code`` (as written, or in capitals with the blanks around
    it dropped, as `dist401k explain` reads it); :class:`UnknownReason` otherwise."""
    reasons = registry()
    found = reasons.get(code)
    if found is None and isinstance(code, str):
        found = reasons.get(code.strip().upper())
    if found is None:
        raise UnknownReason(str(code))
    return found


def spelled(codes: tuple[str, ...]) -> list[dict]:
    """The JSON's list of {code, text, citation} for a set of reason codes."""
    return [reason(c).as_dict() for c in codes]


def reasons_at(reasons: dict, rows: np.ndarray, srcs: np.ndarray | None = None
               ) -> tuple[list[tuple[str, ...]], list[list[dict]]]:
    """The codes whose mask is set, and their spelled list, for the cells ``(rows[k],
    srcs[k])`` (per money source) or ``rows[k]`` (per case: a per-source mask counts when set
    for any source).  Each distinct combination of masks is spelled once for the batch (the
    lists are shared between those cells: read-only)."""
    codes = list(reasons)
    cells = len(rows)
    if not codes or not cells:
        return [()] * cells, [[]] * cells
    # The masks of one shape are read together: a few array operations whatever the number
    # of codes.
    by_case: list[tuple[int, np.ndarray]] = []
    by_source: list[tuple[int, np.ndarray]] = []
    for j, code in enumerate(codes):
        m = np.asarray(reasons[code], bool)
        if m.ndim == 2 and m.shape[1] == 1:
            m = m[:, 0]
        (by_source if m.ndim == 2 else by_case).append((j, m))
    grid = np.empty((len(codes), cells), bool)
    if by_case:
        grid[[j for j, _ in by_case]] = np.stack([m for _, m in by_case])[:, rows]
    if by_source:
        stacked = np.stack([m for _, m in by_source])
        if srcs is None:
            grid[[j for j, _ in by_source]] = np.any(stacked, axis=2)[:, rows]
        else:
            grid[[j for j, _ in by_source]] = stacked[:, rows, srcs]
    # Each distinct combination of codes is named and spelled once.
    seen: dict[tuple, tuple[tuple[str, ...], list[dict]]] = {}
    names, texts = [], []
    for col in grid.T.tolist():
        key = tuple(col)
        if key not in seen:
            on = tuple(c for c, x in zip(codes, col, strict=True) if x)
            seen[key] = (on, spelled(on))
        names.append(seen[key][0])
        texts.append(seen[key][1])
    return names, texts
