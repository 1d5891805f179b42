"""A sale of the taxable account below its basis: the year deducts a net capital loss only up to
$3,000 (§1211(b)) and carries the rest to the next years (§1212(b)), as the Schedule D
instructions' Capital Loss Carryover Worksheet and the IRS's example of the Sampsons (Pub. 544,
2000 edition, "Treatment of Capital Losses") figure it.  Before,
the planner's Monte Carlo deducted any loss in full (about 7% of the benchmark's paths sold
more than $3,000 below basis in some year, one by $210,000)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner import returns as market
from dist401k.planner.household import parse_household
from dist401k.planner.simulate import Policy, counted_gain, loss_carried_out, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _year(realised, carried, limit, income_before):
    """The counted gain and the carryover of a year whose taxable income before the capital
    loss is ``income_before``."""
    counted = counted_gain(np.array([realised]), np.array([carried]), np.array([limit]))
    income = income_before + min(0.0, counted[0])
    out = {"agi": np.array([income]), "standard_deduction": np.array([0.0]),
           "senior_deduction": np.array([0.0])}
    return counted[0], loss_carried_out(np.array([realised]), np.array([carried]),
                                         np.array([limit]), out)[0]


def test_the_sampsons_7000_loss():
    # The Sampsons (joint): a $7,000 loss, no other capital transaction, taxable
    # income of $2,000 after the deduction: $3,000 deducted, $4,000 carried over.
    assert _year(-7_000, 0, 3_000, 5_000) == (-3_000, 4_000)
    # Had the loss been $2,000: all deducted, nothing carried.
    assert _year(-2_000, 0, 3_000, 5_000) == (-2_000, 0)


def test_carried_loss_meets_next_years_gains_and_a_separate_filers_limit():
    # A $4,400 carryover and a $500 gain: a net loss of $3,900, $3,000 deducted, $900 carried.
    assert _year(500, 4_400, 3_000, 40_000) == (-3_000, 900)
    # The carryover and a larger gain: a net gain, nothing carried.
    assert _year(5_000, 900, 3_000, 40_000) == (4_100, 0)
    # Married filing separately: $1,500.
    assert _year(-7_000, 0, 1_500, 40_000) == (-1_500, 5_500)


def test_a_deduction_the_year_could_not_use_carries_over():
    # The worksheet's lines 1-4: taxable income with the deduction is -1,600 (1,400 before
    # it), so the $3,000 deduction used only 1,400; the rest of the loss carries over:
    # 7,000 - 1,400 = 5,600.
    assert _year(-7_000, 0, 3_000, 1_400) == (-3_000, 5_600)
    # No income at all: nothing used, the whole loss carried.
    assert _year(-7_000, 0, 3_000, 0) == (-3_000, 7_000)


def test_the_simulation_deducts_3000_and_carries_the_rest():
    """A single retiree living on a taxable account worth half its basis: the first year's sale
    realises a loss of about $40,000; the return deducts $3,000 of it, and the next years'
    carried loss keeps their sales' gains off the return."""
    hh = parse_household({
        "id": "losses", "start_year": 2026,
        "people": [{"birth_date": "1960-03-01", "life_expectancy": 75, "retirement_age": 60,
                    "social_security": {"monthly_at_full_age": 1000, "claim_age": 70},
                    "accounts": {"pretax": 200_000}}],
        "taxable": {"balance": 200_000, "basis": 400_000},
        "spending": {"annual": 40_000}})
    tl = build_timeline(hh, LAW)
    rets = market.fixed(tl.T, stocks=0.0, bonds=0.0, bills=0.0, inflation=0.0)
    res = simulate(hh, tl, LAW, rets, Policy("order"), 40_000.0)
    gains = res["realized_gains"][0]
    assert gains[0] < -15_000  # about half of the first year's sale
    pretax = res["pretax_withdrawal"][0] + res["rmd"][0]
    # AGI: the pre-tax money out and the counted gain (no dividends here: the case's yield 0).
    other = res["agi"][0] - pretax - res["interest"][0] - res["dividends"][0]
    assert other[0] == pytest.approx(-3_000, abs=0.01)
    carried = -gains[0] - 3_000
    # Year by year, the carried loss less what each year used (its own loss's deduction).
    for t in range(1, 4):
        net = gains[t] - carried
        assert other[t] == pytest.approx(max(net, -3_000), abs=0.01)
        carried = max(0.0, -net - 3_000)
