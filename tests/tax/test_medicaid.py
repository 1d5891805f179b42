"""Medicaid's adult group and the Basic Health Programs as they bar the premium tax credit
(IRC §36B(c)(2)(B); 42 U.S.C. §18051(e)(2)), on figures worked from the statutes' limits (133%
of the poverty line plus the 5-point disregard of 42 U.S.C. §1396a(e)(14)(I)) and the HHS
poverty guidelines of the year itself."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.tax.medicaid import (
    adult_income_limit,
    coverage_months,
    medicaid_income_limit,
    medicaid_line,
    public_coverage_limit,
)
from dist401k.tax.premium_tax_credit import income_window, poverty_line, premium_tax_credit

LAW = default_law()


def test_limits_by_state_and_year():
    got = adult_income_limit(LAW, [2026, 2026, 2026, 2025, 2026, 2026, 2026],
                             ["CA", "TX", None, "DC", "DC", "WI", "FL"])
    # California expanded (138%); Texas and Florida did not; no state, no group; the District
    # covered adults to 215% until 2025; Wisconsin covers childless adults to 100% by waiver.
    assert got.tolist() == [1.38, 0.0, 0.0, 2.15, 1.38, 1.00, 0.0]
    # A Basic Health Program carries the bar on to 200% (New York's Essential Plan to 250% in
    # 2025–2026); Oregon's Bridge is read from 2025, Medicaid's 138% before.
    got = public_coverage_limit(LAW, [2026, 2025, 2027, 2024, 2025, 2026],
                                ["MN", "NY", "NY", "OR", "OR", "CA"])
    assert got.tolist() == [2.00, 2.50, 2.00, 1.38, 2.00, 1.38]


def test_medicaid_reads_the_guidelines_of_the_year_itself():
    # 2026: the HHS 2026 guidelines, 15,960 + 5,680 a person (the credit's line for 2026 is
    # 2025's: 15,650 + 5,500); 138% of 21,640 for two is 29,863.20.
    assert medicaid_line(LAW, 2026, 2)[0] == 21_640
    assert medicaid_income_limit(LAW, 2026, 2, 1.38)[0] == pytest.approx(29_863.20)
    assert np.isneginf(medicaid_income_limit(LAW, 2026, 2, 0.0)[0])
    # the last year of the law's projection has no next year: it reads the credit's line
    last = LAW.known_years[1]
    assert medicaid_line(LAW, last, 1)[0] == poverty_line(LAW, last, 1)[0]


def _credit(income, state, year=2026, size=2, bench=24_000):
    limit = medicaid_income_limit(LAW, year, size, public_coverage_limit(LAW, year, state))
    r = premium_tax_credit(LAW, [year], [income], [size], [bench],
                           months=coverage_months(12, income, limit))
    return r.credit[0], [c for c, m in r.reasons.items() if m[0]]


def test_no_credit_within_medicaid():
    # A couple with $29,000 in 2026: 137% of the credit's line (21,150), an applicable
    # taxpayer — in Texas, in the 133–150% band of Rev. Proc. 2025-25, 3.14% + 4/17 × 1.05% =
    # 3.387% → 0.0339; 29,000 × 0.0339 = 983; the credit 24,000 − 983 = 23,017.  In California
    # the two are within Medicaid (29,000 ≤ 29,863.20), so no month is a coverage month.
    assert _credit(29_000, "TX") == (pytest.approx(23_017), ["PTC_ALLOWED"])
    assert _credit(29_000, "CA") == (0.0, ["PTC_NO_COVERAGE_MONTH"])
    # Past Medicaid's limit the credit is the same in both states.
    assert _credit(30_000, "CA") == _credit(30_000, "TX")
    # Minnesota's MinnesotaCare takes it on to 200% of 21,640: 43,280.
    assert _credit(43_000, "MN")[0] == 0 and _credit(43_500, "MN")[0] > 0


def test_the_window_starts_above_public_coverage():
    ca = medicaid_income_limit(LAW, 2026, 2, public_coverage_limit(LAW, 2026, "CA"))
    low, high = income_window(LAW, 2026, 2, "contiguous", ca)
    assert low[0] == pytest.approx(29_863.20) and high[0] == 84_600
    low, _ = income_window(LAW, 2026, 2, "contiguous",
                           medicaid_income_limit(LAW, 2026, 2, 0.0))
    assert low[0] == 21_150  # no adult group: from the poverty line


def test_coverage_months_are_only_withheld_within_the_limit():
    months = coverage_months(np.array([12.0, 12.0, 5.0]), np.array([10_000, 29_863.2, 29_864]),
                             29_863.2)
    assert months.tolist() == [0.0, 0.0, 5.0]
