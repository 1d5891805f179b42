"""A number written as text: the one rule every door reads it by (docs/reliability.md, "one
verdict in every door").

A number written as text is read where, spaces around it ignored (Python's ``str.strip``: the
Unicode spaces, U+001C-U+001F as well), it is written with the ASCII digits 0-9 alone, with a
sign, a point and an exponent as Python's ``float`` reads them (``1e3``, ``.5``, ``+7``; ``inf``
and ``nan`` are read, and the field's own check says they are not finite).  Python's ``float``
also reads ``1_000`` and other scripts' digits (Arabic-Indic ``١٢٣``, full-width ``１２３``,
Devanagari ``१२३``): no door does.

The case model refuses what this rule refuses before pydantic reads the value
(:func:`dist401k.case._text_read`), a ``tax`` column and a batch cell read it with
:func:`number_text` (:func:`dist401k.tax.units.to_float`, :func:`dist401k.flat._numbers`).
This module sits below every door and imports nothing of dist401k.
"""

from __future__ import annotations


def written_in_digits(text: str) -> bool:
    """Whether ``text`` (spaces around it already stripped) is spelled as a number may be:
    with ASCII characters alone and no ``_`` — whatever else it holds is left to ``float``."""
    return text.isascii() and "_" not in text


def number_text(text: str) -> float:
    """The number ``text`` writes, by the rule of every door (this module's docstring); a
    ValueError where it writes none."""
    stripped = text.strip()
    if not written_in_digits(stripped):
        raise ValueError("not a number written with the digits 0-9")
    return float(stripped)


def reads_as_number(text: str) -> bool:
    """Whether ``text`` writes a number by that rule (``nan`` and ``inf`` included)."""
    try:
        number_text(text)
    except ValueError:
        return False
    return True
