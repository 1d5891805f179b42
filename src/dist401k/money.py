"""Dollars and cents: the one rounding of money, as forms round, on whole arrays.

Every amount dist401k shows (JSON, tables, batch columns, the API) is rounded here: to the cent,
half away from zero, as a person rounds the amount written in decimal (50% of $1,234.57 is
$617.29, although the float nearest 617.285 lies just below it).
"""

from __future__ import annotations

import numpy as np

#: Half a cent: two amounts closer than this are the same amount once rounded to the cent, and
#: an amount below it is nothing (the tolerance of every comparison of amounts).
HALF_CENT = 0.005

#: Cents in a dollar.
CENTS = 100.0

#: How far a scaled amount may sit below a half because of binary floating point (the value
#: written in decimal is the half): a billionth of a cent, far below any amount's precision.
_NUDGE = 1e-9


def cents(x) -> np.ndarray:
    """Round to the cent, half away from zero (the usual rule for amounts on a form); never
    -0 (a rounding leftover below half a cent is 0, not "-0", in every output)."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) * CENTS + 0.5 + _NUDGE) / CENTS + 0.0


def amount(x) -> float:
    """One amount rounded to the cent (:func:`cents`), as a Python float for JSON and tables."""
    return float(cents(x))


def whole_dollars(x) -> np.ndarray:
    """Round to the dollar, half away from zero (Form 1040 instructions, 'Rounding off')."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) + 0.5 + _NUDGE)


def dollars_text(x: float) -> str:
    """An amount as whole dollars with thousands separators (``12,345``): the one rounding of
    every whole-dollar figure shown (terminal tables, reports; the web pages' ``money`` in
    web/common.js is its twin), half away from zero (:func:`whole_dollars`), so $1,708.50 is
    1,709 in every view, -$0.50 is -1, and what rounds to nothing is 0, never "-0".
    (Python's ``f"{x:,.0f}"`` rounds halves to even: 1,708.)"""
    return f"{float(whole_dollars(x)) + 0.0:,.0f}"
