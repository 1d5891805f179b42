"""Georgia's retirement income exclusion from 65 rises to $70,000 for 2027, worked by hand.

O.C.G.A. §48-7-27(a)(5)(A): $65,000 a person from 65 (age at the end of the year) through 2026;
HB 463 (2025–2026 session) §2-3 adds (xiv), $70,000 from 2027 with no revenue trigger.  The
2026 rate 4.99% (O.C.G.A. §48-7-20) and the single standard deduction $15,000 (§48-7-27(a)(1)(B))
are the last enacted; a projected 2027 keeps them.
"""

from __future__ import annotations

import pytest
from state_cases import one as state_case

# A 66-year-old single filer whose only income is an $85,000 401(k) distribution, not early.
BASE = {"state": "GA", "filing_status": "single", "age_head": 66, "federal_agi": 85_000,
        "taxable_distributions": 85_000, "early_distributions": 0}


def test_2026_excludes_65000():
    # 85,000 - 65,000 excluded - 15,000 deduction = 5,000 at 4.99% = 249.50.
    r = state_case(BASE, tax_year=2026)
    assert r["state_income_tax"] == pytest.approx(249.50, abs=0.005)


def test_2027_excludes_70000():
    # 85,000 - 70,000 - 15,000 = 0: no Georgia tax.
    r = state_case(BASE, tax_year=2027)
    assert r["state_income_tax"] == pytest.approx(0.0, abs=0.005)


def test_2027_above_the_new_cap():
    # 100,000 - 70,000 - 15,000 = 15,000 at 4.99% = 748.50.
    r = state_case(BASE, tax_year=2027, federal_agi=100_000, taxable_distributions=100_000)
    assert r["state_income_tax"] == pytest.approx(748.50, abs=0.005)
