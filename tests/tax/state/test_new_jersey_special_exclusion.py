"""New Jersey's special exclusion (N.J.S.A. 54A:6-15; NJ-1040 line 28b) is not modelled, but it
decides the tax only where the tax without it is above zero.

The exclusion ($3,000 single, $6,000 joint, for a filer 62 or older who will never be able to
receive Social Security or Railroad Retirement benefits) only lowers New Jersey gross income
(line 29), and no tax is due at or below the threshold of 54A:2-4 ($10,000 single), so where
the pension exclusion of line 28a (54A:6-10: up to $75,000 single at total income of $100,000
or less) already brings line 29 to the threshold or below, the tax is $0 whether or not the
exclusion applies.  Worked by hand, single filer 63 in 2026, no wages, no Social Security:

* $20,000 lump sum: line 27 20,000; line 28a 20,000; line 29 0: no tax.
* $84,000: line 27 84,000; line 28a 75,000; line 29 9,000 <= 10,000: no tax.
* $90,000: line 27 90,000; line 28a 75,000; line 29 15,000; exemption 1,000 (54A:3-1; not yet
  65); taxable 14,000 x 1.4% (Table A) = $196.  With the special exclusion line 29 would be
  12,000, taxable 11,000, tax $154: it decides the answer, so the unit is not covered.
"""

from __future__ import annotations

import math

import pytest

from dist401k.explain import reason
from dist401k.tax.state import StateUnits, state_tax


def nj(**kw) -> dict:
    cols = {"state": "NJ", "tax_year": 2026, "filing_status": "single", "age_head": 63,
            "social_security": 0.0}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


@pytest.mark.parametrize("paid", [20_000, 84_000])
def test_no_tax_without_the_special_exclusion_is_no_tax_with_it(paid):
    r = nj(federal_agi=paid, taxable_distributions=paid)
    assert r["state_covered"] and r["state_income_tax"] == 0.0
    assert "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED" not in r["reasons"]
    assert {"STATE_NJ_PENSION_EXCLUSION", "STATE_NJ_BELOW_THRESHOLD"} <= r["reasons"]
    # The same answer as the tax door gives one who says a benefit will come.
    later = nj(federal_agi=paid, taxable_distributions=paid, social_security_expected=True)
    assert later["state_income_tax"] == r["state_income_tax"]


def test_where_the_special_exclusion_would_lower_the_tax_it_is_not_guessed():
    r = nj(federal_agi=90_000, taxable_distributions=90_000)
    assert not r["state_covered"] and math.isnan(r["state_income_tax"])
    assert "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED" in r["reasons"]
    later = nj(federal_agi=90_000, taxable_distributions=90_000, social_security_expected=True)
    assert later["state_covered"]
    assert later["state_income_tax"] == pytest.approx(0.014 * (90_000 - 75_000 - 1_000), abs=0.005)
    assert later["state_income_tax"] == pytest.approx(196.0, abs=0.005)


def test_the_reason_names_no_field_a_case_does_not_have():
    text = reason("STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED").text
    assert "social_security_expected" not in text
    assert "Social Security income" in text
