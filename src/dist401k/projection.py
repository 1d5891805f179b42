"""The basis of projected law, said the same in every door (DESIGN.md, "Years after the last
enacted one are projected by indexing and marked as projected").

A year after the last enacted one (``meta/years.yaml``: 2026, the year of Rev. Proc. 2025-32,
the last inflation adjustments the IRS has published) is answered under projected law: each
indexed federal amount is the last enacted year's grown by the assumed chained CPI
(IRC §1(f)(3); ``economy/chained_cpi_assumed.yaml``, or the rate the user gives) and rounded as
the Code rounds it; unindexed amounts and scheduled changes are as enacted.  A state's amounts
are indexed the same way only where its law file is marked indexed (today California's); every
other state's figures are carried unchanged (docs/state.md).
"""

from __future__ import annotations

import weakref

from dist401k.law.loader import Law

#: Each law's indexed states, found once (an assessment of many cases asks for every case).
_INDEXED: weakref.WeakKeyDictionary[Law, list[str]] = weakref.WeakKeyDictionary()


def indexed_states(law: Law) -> list[str]:
    """The states whose amounts the projection indexes (a law file with ``indexing``)."""
    if law not in _INDEXED:
        _INDEXED[law] = sorted({name.split(".")[1].upper() for name, p in law.params.items()
                                if name.startswith("state.") and p.indexing})
    return list(_INDEXED[law])


def projection_text(law: Law) -> str:
    """One short line (under 100 characters): what a projected year's law is made of, with
    the rate used."""
    states = indexed_states(law)
    whose = ", ".join(["federal", *states[:-1]]) + (f" and {states[-1]}" if states else "")
    return (f"projected law from {law.enacted_through}: {whose} amounts indexed at "
            f"{law.inflation:.1%} a year; other states carried")


def projection_basis(law: Law, year: int) -> dict | None:
    """The basis of a year's projected law for a JSON answer, or None where the law is
    enacted: the last enacted year it is projected from, the inflation rate used, the states
    whose amounts are indexed (the others' carried) and the same in words."""
    if not bool(law.projected(year)):
        return None
    return {"enacted_through": law.enacted_through, "inflation": law.inflation,
            "indexed_states": indexed_states(law), "method": projection_text(law)}
