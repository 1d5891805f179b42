"""Dollars and cents: rounding as forms round, on whole arrays."""

from __future__ import annotations

import numpy as np

#: Amounts below half a cent round to zero: the threshold of "some money" in the rules.
HALF_CENT = 0.005


def cents(x) -> np.ndarray:
    """Round to the cent, half away from zero (the usual rule for amounts on a form)."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) * 100.0 + 0.5 + 1e-9) / 100.0


def whole_dollars(x) -> np.ndarray:
    """Round to the dollar, half away from zero (Form 1040 instructions, 'Rounding off')."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) + 0.5 + 1e-9)
