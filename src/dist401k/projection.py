"""The basis of projected law, said the same in every door (DESIGN.md, "Years after the last
enacted one are projected by indexing and marked as projected").

A year after the last enacted one (``meta/years.yaml``: 2026, the year of Rev. Proc. 2025-32,
the last inflation adjustments the IRS has published) is answered under projected law: each
indexed federal amount is the last enacted year's grown by the assumed chained CPI
(IRC §1(f)(3); ``economy/chained_cpi_assumed.yaml``, or the rate the user gives) and rounded as
the Code rounds it; unindexed amounts and scheduled changes are as enacted.  A state's amounts
are indexed the same way only where its law file is marked indexed (today California's and
Nebraska's); every
other state's figures are carried unchanged (docs/state.md).
"""

from __future__ import annotations

import weakref

from dist401k.law.loader import Law

#: ``state`` of :func:`projection_text`: no one case's state, every state's rule (a table of units).
EVERY_STATE = "*"

#: Each law's indexed states and whether any withholding table is indexed, found once (an
#: assessment of many cases asks for every case).
_INDEXED: weakref.WeakKeyDictionary[Law, tuple[list[str], bool]] = weakref.WeakKeyDictionary()


def _indexed(law: Law) -> tuple[list[str], bool]:
    if law not in _INDEXED:
        states = sorted({name.split(".")[1].upper() for name, p in law.params.items()
                         if name.startswith("state.") and p.indexing})
        withholding = any(p.indexing for name, p in law.params.items()
                          if name.startswith("withholding."))
        _INDEXED[law] = (states, withholding)
    return _INDEXED[law]


def indexed_states(law: Law) -> list[str]:
    """The states whose amounts the projection indexes (a law file with ``indexing``)."""
    return list(_indexed(law)[0])


def projection_text(law: Law, state: str | None = EVERY_STATE) -> str:
    """One short line: what a projected year's law is made of, with the rate used.  ``state``
    is the case's state of residence (None: none given, and no state is named); the default,
    :data:`EVERY_STATE`, speaks of every state.  The federal withholding tables (Pub. 15-T, the
    Form W-4R chart) are not indexed by the law files (``withholding/*.yaml``: later years carry
    the last enacted year's), and the line says so where none is."""
    states, withholding = _indexed(law)
    if state != EVERY_STATE:
        states = [s for s in states if s == state]
    whose = ", ".join(["federal", *states[:-1]]) + (f" and {states[-1]}" if states else "")
    # a state's figure not indexed is the one its law schedules for the year (Mississippi's
    # rate cuts to 2030), else the last enacted year's carried
    own = ("other states' figures" if state == EVERY_STATE
           else f"{state}'s figures" if state is not None and not states else None)
    tail = (f"; {own} as their law schedules them, else carried from {law.enacted_through}"
            if own == "other states' figures" else
            f"; {own} as its law schedules them, else carried from {law.enacted_through}"
            if own else "")
    tail += "" if withholding else f"; withholding tables carried from {law.enacted_through}"
    return (f"projected law from {law.enacted_through}: {whose} amounts indexed at "
            f"{law.inflation:.1%} a year{tail}")


def projection_basis(law: Law, year: int, state: str | None = EVERY_STATE) -> dict | None:
    """The basis of a year's projected law for a JSON answer, or None where the law is
    enacted: the last enacted year it is projected from, the inflation rate used, the states
    whose amounts are indexed (the others' carried) and the same in words (of the case's state
    where ``state`` is given, None for none: :func:`projection_text`)."""
    if not bool(law.projected(year)):
        return None
    return {"enacted_through": law.enacted_through, "inflation": law.inflation,
            "indexed_states": indexed_states(law), "method": projection_text(law, state)}
