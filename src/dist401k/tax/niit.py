"""The net investment income tax: IRC §1411, Form 8960."""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup


def net_investment_income_tax(lk: Lookup, net_investment_income, magi) -> np.ndarray:
    """3.8% of the lesser of net investment income and MAGI over the threshold.

    Distributions from qualified plans, 403(b), 457(b) and IRAs are not net investment income
    (§1411(c)(5)) but they raise MAGI, so a distribution can expose other investment income.
    """
    rate = lk.get("niit.rate")
    threshold = lk.get("niit.threshold")
    if not np.any(~(np.asarray(magi) <= threshold)):
        # No unit's MAGI is over the threshold: no tax on any (§1411(a)(1)(B) is zero).
        return np.zeros(np.broadcast_shapes(np.shape(net_investment_income), np.shape(magi),
                                            np.shape(rate), np.shape(threshold)))
    base = np.minimum(np.maximum(0.0, net_investment_income), np.maximum(0.0, magi - threshold))
    return rate * base
