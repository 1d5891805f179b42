"""Georgia's and New Jersey's retirement income exclusions reach a disabled person before 62 —
Georgia's $35,000 (O.C.G.A. §48-7-27(a)(5): 62 or older, or permanently and totally disabled),
New Jersey's pension exclusion (N.J.S.A. 54A:6-10, 6-15: 62 or older, or disabled under the
Social Security Act's criteria). dist401k does not figure either before 62 (docs/state.md):
for a head known disabled and under 62 the unit is not covered (NaN), with a reason — never the
full tax as if no exclusion applied (which was $1,557 in Georgia and $1,637.25 in New Jersey for
a $30,000 payment at 50 beside $40,000 of wages in 2025)."""

from __future__ import annotations

import math

import pytest
from state_cases import one

BASE = {"tax_year": 2025, "filing_status": "single", "age_head": 50, "wages": 40_000,
        "federal_agi": 70_000, "taxable_distributions": 30_000}


@pytest.mark.parametrize("state", ["GA", "NJ"])
def test_a_disabled_head_under_62_is_not_covered(state):
    r = one({**BASE, "state": state}, disabled=1)
    assert math.isnan(r["state_income_tax"])
    assert "STATE_DISABLED_EXCLUSION_NOT_MODELLED" in r["reasons"]


@pytest.mark.parametrize("state", ["GA", "NJ"])
def test_not_disabled_or_62_the_answer_stands(state):
    assert not math.isnan(one({**BASE, "state": state}, disabled=0)["state_income_tax"])
    assert not math.isnan(one({**BASE, "state": state}, disabled=1, age_head=63)[
        "state_income_tax"])
