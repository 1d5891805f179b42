"""Helpers of the worked-example tests of a state: one unit's answer, a batch's, a batch
checked against its units one by one, and the units a state leaves uncovered."""

from __future__ import annotations

import numpy as np

from dist401k.tax.state import StateUnits, state_tax

#: The unit a state's cases start from when the test gives no base of its own.
BASE = {"tax_year": 2024, "filing_status": "single", "age_head": 50}


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


def state_unit(state: str, **kw) -> dict:
    """One unit of ``state`` from :data:`BASE`."""
    return one({"state": state, **BASE}, **kw)


def batch_matches_units(state: str, rows: list[dict]) -> bool:
    """A batch of ``rows`` of ``state`` answers as each row alone (missing amounts are zero)."""
    together = batch({"state": state, **BASE}, rows)["state_income_tax"]
    alone = [state_unit(state, **r)["state_income_tax"] for r in rows]
    return bool(np.allclose(together, alone, equal_nan=True))


def assert_not_covered(base: dict, cases: list[tuple[dict, str]]) -> None:
    """Each case is NaN with its reason code; so is a unit of the state without the federal
    figures (``STATE_FEDERAL_FIGURES_NOT_GIVEN``)."""
    for kw, code in cases:
        r = one(base, **kw)
        assert np.isnan(r["state_income_tax"]) and code in r["reasons"], code
    cols = {"state": [base["state"]], "tax_year": [2024], "filing_status": ["single"],
            "federal_agi": [30_000], "taxable_distributions": [30_000]}
    out = state_tax(StateUnits.from_columns(cols))
    assert np.isnan(out["state_income_tax"][0])
    assert out["reasons"]["STATE_FEDERAL_FIGURES_NOT_GIVEN"][0]
