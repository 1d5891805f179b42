"""One state tax unit for the worked-example tests of a state: its answer with the reasons it
gives, and the units a state leaves uncovered checked to say why."""

from __future__ import annotations

import numpy as np

from dist401k.tax.state import StateUnits, state_tax


def one_unit(base: dict, **kw) -> dict:
    """The state's answer for one unit: ``base`` with ``kw`` over it; ``reasons`` as the set of
    the codes that apply."""
    cols = {**base, **kw}
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def assert_not_covered(base: dict, cases: list[tuple[dict, str]]) -> None:
    """Each case is NaN with its reason code; so is a unit of the state without the federal
    figures (``STATE_FEDERAL_FIGURES_NOT_GIVEN``)."""
    for kw, code in cases:
        r = one_unit(base, **kw)
        assert np.isnan(r["state_income_tax"]) and code in r["reasons"], code
    cols = {"state": [base["state"]], "tax_year": [2024], "filing_status": ["single"],
            "federal_agi": [30_000], "taxable_distributions": [30_000]}
    out = state_tax(StateUnits.from_columns(cols))
    assert np.isnan(out["state_income_tax"][0])
    assert out["reasons"]["STATE_FEDERAL_FIGURES_NOT_GIVEN"][0]
