"""Numbers that standard JSON cannot hold (RFC 8259 §6): NaN and the infinities, which
Python's own JSON reader accepts (``NaN``, ``Infinity``, ``1e400``), and integers beyond the
range of a float.  Every door refuses them naming the field; the store never keeps them."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator

_FLOAT_MAX = sys.float_info.max


def non_finite_paths(value, path: tuple = ()) -> Iterator[tuple]:
    """The path (keys and indices) of every number in ``value`` that is not a finite float."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                yield where
        elif isinstance(item, int) and not isinstance(item, bool):
            if abs(item) > _FLOAT_MAX:
                yield where
        elif isinstance(item, dict):
            stack.extend((v, (*where, k)) for k, v in reversed(item.items()))
        elif isinstance(item, list | tuple):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(item))))


def non_finite_as_null(value):
    """``value`` with every float that standard JSON cannot hold (NaN, an infinity) made None:
    what the API's answers give (``null``, RFC 8259 §6), for the command line's JSON and CSV (a
    figure the law's tables have no entry for, such as the joint life expectancy of a
    beneficiary not more than ten years younger, is unknown, never a ``NaN`` token)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: non_finite_as_null(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [non_finite_as_null(v) for v in value]
    return value
