"""A take that empties an account can leave a crumb of its rounding (1e-11 dollars) — and the
year's reinvested dividends then gave that crumb a basis of dozens of dollars, so that selling
it next year realised a capital loss that never happened.  An account left under half a cent
is empty, its basis with it (``simulate.REMNANT``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from dist401k.law import default_law
from dist401k.planner import returns as market
from dist401k.planner import simulate as sim
from dist401k.planner.household import parse_household
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _benchmark_case() -> dict:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "planner_montecarlo.py"
    spec = importlib.util.spec_from_file_location("planner_montecarlo", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASE

#: The Monte Carlo benchmark's household (``benchmarks/planner_montecarlo.py``).
CASE = _benchmark_case()


def test_a_crumb_is_an_empty_account():
    bal = sim.Balances(pre=np.array([[2e-11, 5.0]]), pre_basis=np.array([[1.0, 1.0]]),
                       roth=np.array([3e-12, 7.0]), taxable=np.array([2.77e-11, 100.0]),
                       taxable_basis=np.array([30.0, 60.0]), cash=np.array([1e-13, 3.0]),
                       loss_carried=np.zeros(2), roth_in=np.full((1, 2), 4.0),
                       roth_basis=np.full((1, 2), 4.0), roth_out=np.zeros(2),
                       ripening=np.zeros((4, 1, 2)), conv_owner=np.ones((1, 1)))
    sim._clear_remnants(bal)
    assert bal.pre.tolist() == [[0.0, 5.0]] and bal.pre_basis.tolist() == [[0.0, 1.0]]
    assert bal.roth.tolist() == [0.0, 7.0]
    assert bal.taxable.tolist() == [0.0, 100.0] and bal.taxable_basis.tolist() == [0.0, 60.0]
    assert bal.cash.tolist() == [0.0, 3.0]


def test_no_capital_loss_from_the_crumbs_of_an_emptied_account():
    """The Monte Carlo benchmark's household on 2,000 paths: where the taxable account held
    less than a dollar at the start of a year, no sale that year realises a loss (before the
    fix one path realised −$30.06 from an account of 2.8e-11 dollars)."""
    hh = parse_household(CASE)
    tl = build_timeline(hh, LAW)
    res = sim.simulate(hh, tl, LAW, market.bootstrap(2000, tl.T, seed=1), sim.Policy("order"),
                       95000.0)
    crumbs = res["taxable_balance"] < 1.0
    assert crumbs.any()  # the account is spent down on many paths
    assert res["realized_gains"][crumbs].min() >= -0.01
