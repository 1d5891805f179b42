"""dist401k's federal income tax against Tax-Calculator on random tax units (2024–2026, every
filing status, zero to several million dollars): agreement to $1 on income tax before credits,
without the §72(t) additional tax (which taxcalc does not compute)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax import TaxUnits, federal_tax
from oracles.households import random_units
from oracles.taxcalc_oracle import taxcalc_departures, taxcalc_income_tax

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

N = 1500


@pytest.fixture(scope="module")
def compared():
    cols = random_units(N, seed=20261123)
    # taxcalc's separate-filer Social Security thresholds are those of spouses living apart.
    cols["lived_apart"] = (cols["filing_status"] == "married_separate").astype(int)
    # A separate filer whose spouse itemizes (§63(c)(6)(A); taxcalc's MIDR), a third of them.
    rng = np.random.default_rng(63)
    cols["spouse_itemizes"] = ((cols["filing_status"] == "married_separate")
                               & (rng.random(N) < 1 / 3)).astype(int)
    units = TaxUnits.from_columns(cols)
    ours = federal_tax(units)
    ours["filing_status_code"] = units.filing_status
    theirs = taxcalc_income_tax(cols)
    return cols, ours, theirs


def test_agrees_with_taxcalc_to_a_dollar(compared):
    cols, ours, theirs = compared
    skip = taxcalc_departures(cols, ours)
    mine = ours["income_tax"] - ours["additional_tax_72t"]
    diff = np.abs(mine - theirs)[~skip]
    worst = int(np.argmax(diff))
    assert (~skip).sum() >= 1000, "at least 1,000 units must be compared"
    assert diff.max() <= 1.0, f"unit {np.flatnonzero(~skip)[worst]} differs by ${diff.max():.2f}"


def test_sample_covers_the_features(compared):
    """The random units reach every filing status and year, AMT, NIIT, the senior deduction,
    taxable Social Security, the 20% gains rate and itemizing: a comparison that cannot fail
    for lack of cases is no comparison."""
    cols, ours, _ = compared
    assert set(np.unique(cols["filing_status"])) == {
        "single", "married_joint", "married_separate", "head_of_household",
        "qualifying_surviving_spouse"}
    assert set(np.unique(cols["tax_year"])) == {2024, 2025, 2026}
    for name in ("amt", "niit", "senior_deduction", "taxable_social_security"):
        assert (ours[name] > 0).sum() >= 20, name
    assert ours["itemizes"].sum() >= 20
    assert (ours["taxable_income"] > 2_000_000).sum() >= 20
    assert (ours["income_tax"] == 0).sum() >= 5
    forced = cols["spouse_itemizes"] == 1
    assert forced.sum() >= 50 and (ours["standard_deduction"][forced] == 0).all()
    assert (forced & (cols["itemized_deductions"] == 0)).sum() >= 20


def test_departures_are_few(compared):
    cols, ours, _ = compared
    assert taxcalc_departures(cols, ours).mean() < 0.1
