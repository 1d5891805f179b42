"""Every unit a state cannot figure (NaN) carries a reason that says so — a text with "tax not
figured" — so the planner's refusal (``planner.state_tax.PlanState._refuse``) and every door
name why, never a rule that merely applied."""

from __future__ import annotations

import numpy as np

from dist401k.explain import reason
from dist401k.planner.state_tax import NOT_FIGURED
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import StateUnits, state_tax
from dist401k.tax.state.units import COLUMNS as STATE_COLUMNS
from dist401k.tax.state.with_federal import federal_figures
from dist401k.tax.units import COLUMNS as FEDERAL_COLUMNS
from law.test_law_read import every_state_tax_table


def test_every_unit_not_figured_has_a_reason_that_says_so():
    table = every_state_tax_table().to_pydict()
    cols = {k: np.asarray(v) for k, v in table.items()}
    fed = federal_tax(TaxUnits.from_columns({k: v for k, v in cols.items()
                                             if k in FEDERAL_COLUMNS and k != "state"}))
    given = {k: v for k, v in cols.items() if k in STATE_COLUMNS}
    out = state_tax(StateUnits.from_columns({**federal_figures(fed), **given,
                                             "federal_agi": fed["agi"]}))
    nan = ~np.isfinite(out["state_income_tax"])
    assert nan.sum() > 100  # the batch reaches many of the rules that cannot be figured
    says = np.zeros(len(nan), bool)
    for code, mask in out["reasons"].items():
        if NOT_FIGURED in reason(code).text:
            says |= np.asarray(mask, bool)
    missing = np.flatnonzero(nan & ~says)
    assert not missing.size, [
        (str(cols["state"][i]), [c for c, m in out["reasons"].items() if np.asarray(m)[i]])
        for i in missing[:5]]
