"""Growth at a fixed rate: ``(1 + rate) ** years``, the same to the last bit on every machine.

NumPy raises an array to a power with code it picks for the processor: on one with AVX-512 its
own vectorised power, elsewhere the C library's ``pow`` element by element, and the two may
differ in the last bit.  The optimiser relinearises the tax at each pass's answer, and a
programme with several optimal points may pick another one after a change in the sixteenth
digit, so that a plan's figures moved by a tenth of a percent from one machine to another
(docs/plan.md, "The same figures on every machine"); a projected year's law figures grow
here too.  Each factor here is the C library's
``pow`` of one number, as Python computes a float power: the same answer everywhere.
"""

from __future__ import annotations

import numpy as np


def growth_factors(rate: float, years) -> np.ndarray:
    """``(1 + rate) ** years`` for each element of ``years`` (an array of whole or fractional
    years, any shape): the price level of each year at a fixed inflation, a balance's growth at
    a fixed return, or a law figure grown by the assumed CPI."""
    y = np.asarray(years, dtype=float)
    base = 1.0 + float(rate)
    return np.array([base ** k for k in y.ravel().tolist()], dtype=float).reshape(y.shape)
