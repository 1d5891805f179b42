"""South Carolina 2026: H.4216's rates and deduction are modelled, but the act's enactment was not
confirmed at a primary source (see sc/rates.yaml), so every 2026 South Carolina answer says its
figures are unconfirmed; 2024, read in the same secondary source, says so too."""

from __future__ import annotations

import pytest
from state_cases import one as state_case

BASE = {"state": "SC", "filing_status": "single", "age_head": 45, "federal_agi": 60_000,
        "taxable_distributions": 60_000, "early_distributions": 60_000}


@pytest.mark.parametrize(("year", "standard"), [(2024, 14_600), (2025, 15_750), (2026, 16_100)])
def test_south_carolina_figures_are_flagged_unconfirmed(year, standard):
    # A 45-year-old's early $60,000 distribution, the federal basic standard deduction of the year.
    r = state_case(BASE, tax_year=year, federal_taxable_income=60_000 - standard,
                   federal_standard_deduction=standard)
    assert r["state_income_tax"] > 0
    assert r["state_unconfirmed"]
