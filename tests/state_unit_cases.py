"""Worked state cases: one unit's state tax, and a batch checked against its units one by one
(shared by the per-state tests)."""

from __future__ import annotations

import numpy as np

from dist401k.tax.state import StateUnits, state_tax

#: The unit every case starts from (a case's keywords replace these).
BASE = {"tax_year": 2024, "filing_status": "single", "age_head": 50}


def one_unit(state: str, **kw) -> dict:
    """The state tax of one unit (a batch of one): each output's value, and the set of the
    reason codes that hold."""
    cols = {"state": state, **BASE, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def batch_matches_units(state: str, rows: list[dict]) -> bool:
    """A batch of ``rows`` answers as each row alone (the rows' missing amounts are zero)."""
    full = [{"state": state, **BASE, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    batch = state_tax(StateUnits.from_columns(cols))["state_income_tax"]
    alone = [one_unit(state, **r)["state_income_tax"] for r in rows]
    return bool(np.allclose(batch, alone, equal_nan=True))
