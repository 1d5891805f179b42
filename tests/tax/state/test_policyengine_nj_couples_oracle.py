"""New Jersey's retirement exclusions on a joint return against PolicyEngine-US: random couples
filing jointly (``random_couples``: each spouse's wages, interest, 401(k) distributions and
Social Security), 2024–2026, given to dist401k as the spouse's parts, agreeing to a dollar.

Only the income of a spouse 62 or older is excluded (N.J.S.A. 54A:6-10, 6-15; NJ-1040 lines
28a and 28b), so these units test whose distribution and other income it is where one spouse
only is.  Every figure of New Jersey is read in PolicyEngine-US only (docs/state.md): this
checks the rules, not the figures.  PolicyEngine-US takes no one as never eligible for Social
Security (no special exclusion): the units are given ``social_security_expected`` alike.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import StateUnits, state_tax
from dist401k.tax.state.units import STATE_CODES
from dist401k.tax.state.with_federal import federal_figures
from oracles.policyengine_state_oracle import policyengine_state_tax, random_couples

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

UNITS = 60
BASE = ("state", "tax_year", "filing_status", "age_head", "age_spouse", "wages",
        "taxable_distributions", "social_security")


def _ours(cols: dict[str, np.ndarray], split: bool = True) -> dict:
    n = len(cols["state"])
    fed = federal_tax(TaxUnits.from_columns({
        **{k: cols[k] for k in BASE if k != "state"}, "taxable_interest": cols["taxable_interest"]}))
    parts = {"spouse_wages": cols["spouse_wages"],
             "spouse_distributions": cols["spouse_distributions"],
             "spouse_social_security": cols["spouse_social_security"],
             "spouse_other_income": cols["spouse_interest"]} if split else {}
    return state_tax(StateUnits.from_columns({
        **{k: cols[k] for k in BASE}, **federal_figures(fed),
        "taxable_interest": cols["taxable_interest"],
        "social_security_expected": np.ones(n, dtype=bool), **parts}))


@pytest.fixture(scope="module")
def compared():
    cols = random_couples(UNITS, seed=1300 + STATE_CODES.index("NJ"), state="NJ")
    return cols, _ours(cols), policyengine_state_tax(cols)


def _one_spouse_62(cols) -> np.ndarray:
    return (cols["age_head"] >= 62) != (cols["age_spouse"] >= 62)


def test_new_jersey_couples_agree_with_policyengine_to_a_dollar(compared):
    cols, ours, theirs = compared
    diff = np.where(ours["state_covered"], np.abs(ours["state_income_tax"] - theirs), 0.0)
    bad = np.flatnonzero(~(diff <= 1.0))
    shown = [(int(cols["tax_year"][i]), int(cols["age_head"][i]), int(cols["age_spouse"][i]),
              round(float(ours["state_income_tax"][i]), 2), round(float(theirs[i]), 2))
             for i in bad[:10]]
    assert not bad.size, f"{bad.size} units differ by more than $1: {shown}"
    # With the split given, no unit turns on whose income it is: every one is covered.
    assert ours["state_covered"].all()


def test_the_sample_reaches_whose_income_it_is(compared):
    """Enough units where one spouse only is 62 or older, an exclusion applies and the split
    changes the answer (without it all is the head's, or the unit is not covered)."""
    cols, ours, _ = compared
    r = ours["reasons"]
    one = _one_spouse_62(cols)
    assert (one & r["STATE_NJ_PENSION_EXCLUSION"]).sum() >= 5
    assert (one & r["STATE_NJ_OTHER_RETIREMENT_EXCLUSION"]).sum() >= 1
    unsplit = _ours(cols, split=False)
    moved = ~unsplit["state_covered"] | (
        np.abs(unsplit["state_income_tax"] - ours["state_income_tax"]) > 1.0)
    assert (one & moved).sum() >= 5
