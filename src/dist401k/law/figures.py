"""A year's figures of named provisions, for texts that quote the law (the web pages' "59½",
"73 or 75", "85%") and for ``GET /law``: each figure with its unit, label and citation, read
from the parameter files so a page never holds a legal number of its own.

A figure is the one the engine computes with for that tax year (:meth:`Law.get`, the law's
yearly table): in a year after the last enacted one an indexed amount is projected as every
rule reads it (DESIGN.md, "Years after the last enacted one are projected by indexing"), a
scalar, a list (a rate schedule), a mapping by filing status or a table by key alike."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np

from dist401k.law.filing_status import FILING_STATUSES
from dist401k.law.loader import Law, Parameter


def figure(law: Law, name: str, year: int) -> dict[str, Any]:
    """Provision ``name`` in force in ``year``: its value, unit, label and citation.

    The value is one number (no breakdown); a list (a ``bracket`` breakdown: rates,
    thresholds); a mapping of filing status → number or list (a ``filing_status`` breakdown);
    a mapping of key → number (an ``age`` or ``key`` breakdown, the keys the table gives in
    that year); a record (a mapping with no breakdown, such as ``meta.years``) as the file
    writes it.  ``None`` in a year before the provision's first value (the law holds none
    then).  Raises :class:`~dist401k.law.loader.LawError` for a name the law does not hold."""
    p = law.param(name)
    return {"value": _value(law, p, year), "unit": p.unit, "label": p.label, "citation": p.citation}


def _value(law: Law, p: Parameter, year: int) -> Any:
    """The engine's value of ``p`` for ``year`` in JSON's terms (see :func:`figure`)."""
    if year < p.dates[0].year:
        return None
    if not p.breakdown and isinstance(p.raw_values[-1], dict):
        return _record(p, year)
    if p.breakdown[:1] == ("filing_status",):
        return {status: _plain(law.get(p.name, year, code), p)
                for code, status in enumerate(FILING_STATUSES)}
    return _plain(law.get(p.name, year), p)


def _record(p: Parameter, year: int) -> Any:
    """A record's value as the file writes it: the one in force on 1 January of ``year``."""
    return p.value_on(_dt.date(year, 1, 1))


def _plain(values: np.ndarray, p: Parameter) -> Any:
    """One year's value as JSON holds it: a number (None where the file gives none), a list
    for a ``bracket`` breakdown, a mapping by key for an ``age`` or ``key`` one (keys with no
    figure that year left out)."""
    row = np.asarray(values, dtype=float)
    if row.ndim == 0:
        return None if math.isnan(row) else float(row)
    if p.breakdown[-1] in ("age", "key"):
        return {str(k): float(v) for k, v in zip(p.keys, row.tolist(), strict=True)
                if not math.isnan(v)}
    return [None if math.isnan(v) else float(v) for v in row.tolist()]


def figures(law: Law, names: list[str], year: int) -> dict[str, dict[str, Any]]:
    """Each of ``names`` in ``year`` (:func:`figure`), in the order asked."""
    return {name: figure(law, name, year) for name in names}
