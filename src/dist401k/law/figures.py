"""A year's figures of named provisions, for texts that quote the law (the web pages' "59½",
"73 or 75", "85%"): each figure with its unit, label and citation, read from the parameter
files so a page never holds a legal number of its own."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from dist401k.law.filing_status import FILING_STATUSES
from dist401k.law.loader import Law, LawError


def figure(law: Law, name: str, year: int) -> dict[str, Any]:
    """Provision ``name`` in force in ``year``: its value (one number; by filing status, a
    mapping of status → value; by a key or an age, the file's table in force on 1 January),
    unit, label and citation.  Raises :class:`LawError` for a name the law does not hold."""
    p = law.param(name)
    if not p.breakdown:
        value: Any = law.scalar(name, year)
    elif p.breakdown == ("filing_status",):
        value = {s: law.scalar(name, year, code) for code, s in enumerate(FILING_STATUSES)}
    else:
        value = _table_on_january_first(law, name, year)
    return {"value": value, "unit": p.unit, "label": p.label, "citation": p.citation}


def _table_on_january_first(law: Law, name: str, year: int) -> dict[str, Any]:
    raw = law.on(name, _dt.date(year, 1, 1))
    if not isinstance(raw, dict):
        raise LawError(f"'{name}' is not a table")
    return {str(k): v for k, v in raw.items()}


def figures(law: Law, names: list[str], year: int) -> dict[str, dict[str, Any]]:
    """Each of ``names`` in ``year`` (:func:`figure`), in the order asked."""
    return {name: figure(law, name, year) for name in names}
