"""Why: reason codes computed alongside the numbers, mapped to text and citation.

A rule evaluated over a batch returns, next to its numbers, one boolean mask per reason code
(``reasons[code][i]`` is True when that reason applies to case ``i``).  The explanation of a
case is the list of codes whose mask is set, so the words come from the same computation as
the figures.  Reason texts and citations are data: ``law/reasons/*.yaml``, one file per topic,
each entry ``CODE: {text: ..., citation: ..., href: ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REASONS_DIR = Path(__file__).parent / "law" / "reasons"


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    citation: str
    href: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "citation": self.citation}


@lru_cache(maxsize=1)
def registry() -> dict[str, Reason]:
    """Every reason code the rules may return, from ``law/reasons/*.yaml``."""
    out: dict[str, Reason] = {}
    for path in sorted(REASONS_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for code, entry in doc.items():
            if code in out:
                raise ValueError(f"reason code {code} is defined twice ({path.name})")
            if not entry.get("text") or not entry.get("citation"):
                raise ValueError(f"reason {code} in {path.name} needs text and citation")
            out[code] = Reason(code, entry["text"].strip(), entry["citation"], entry.get("href", ""))
    return out


def reason(code: str) -> Reason:
    try:
        return registry()[code]
    except KeyError:
        raise KeyError(f"unknown reason code {code!r}: add it to law/reasons/") from None
