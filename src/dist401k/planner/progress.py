"""How a long plan says how far it has got: ``step(what, done, total)`` after each part of the
work named ``what`` (the claiming ages tried, the strategies over the market paths, the rounds
of the search for the spending at a confidence) — the command line's progress bar."""

from __future__ import annotations

from collections.abc import Callable

#: ``step(what, done, total)``: of the work ``what``, ``done`` of ``total`` parts are finished.
Step = Callable[[str, int, int], None]


def quiet(what: str, done: int, total: int) -> None:
    """Says nothing (the API and every caller with no one watching)."""
