"""Helpers of the worked-example tests of a state: one unit's answer, and a batch's."""

from __future__ import annotations

from dist401k.tax.state import StateUnits, state_tax


def one(base: dict, **kw) -> dict:
    """The answer for one unit (``base`` updated with ``kw``): each output's value, and the
    set of reason codes that hold."""
    cols = {**base, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def batch(base: dict, rows: list[dict]) -> dict:
    """The answer for the rows together, as one batch (an absent column is zero)."""
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    return state_tax(StateUnits.from_columns({k: [r.get(k, 0) for r in full] for k in keys}))
