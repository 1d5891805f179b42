"""The strategies' searches for their most spending run side by side in one simulation
(``Policy.stack``) and a searched strategy's outcome is the search's own row: both only to call
the tax engine less, so each must give, bit for bit, what the strategy gives alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner import simulate as sim
from dist401k.planner.household import load_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import _policy, fixed_returns, make_plan, spending_searches
from dist401k.planner.simulate import Policy
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
SEARCHED = ("order", "fill", "optimal")


def _case(name):
    hh = load_household(PLANS / f"{name}.yaml")
    tl = build_timeline(hh, LAW)
    return hh, tl, optimise(hh, tl, LAW)


def _same(a, b, what):
    for col in a.cols:
        np.testing.assert_array_equal(a[col], b[col], err_msg=f"{what} {col}")
    np.testing.assert_array_equal(a.estate, b.estate, err_msg=what)
    np.testing.assert_array_equal(a.estate_real, b.estate_real, err_msg=what)


# The Social Security couple, the 72(t) series, the QCDs and the marketplace credit (a cost
# set by each year's MAGI inside the fixed point).
@pytest.mark.parametrize("name", ["couple-social-security", "early-retiree-sepp",
                                  "retiree-charity", "early-retirees-marketplace"])
def test_a_stack_is_each_strategy_alone(name):
    """Three strategies stacked, each on its own spendings (some far beyond what the money
    pays, so that shortfalls happen), against each run alone."""
    hh, tl, sol = _case(name)
    spend = {"order": [0.2, 1.0, 1.7], "fill": [0.5, 1.3], "optimal": [1.0, 0.9, 2.5, 0.1]}
    pols = {k: _policy(k, hh, sol) for k in SEARCHED}
    alone = {k: sim.simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T, len(v)), pols[k],
                             np.array(v) * sol.spending_real) for k, v in spend.items()}
    stack = Policy.stack([(pols[k], len(v)) for k, v in spend.items()])
    cand = np.concatenate([np.array(v) * sol.spending_real for v in spend.values()])
    both = sim.simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T, cand.size), stack, cand)
    start = 0
    for k, v in spend.items():
        _same(both.rows(start, start + len(v)), alone[k], k)
        start += len(v)


@pytest.mark.parametrize("name", ["single-retiree", "couple-early-retirees"])
def test_the_searches_side_by_side_find_what_each_finds_alone(name):
    """The most spending of each strategy searched with the others, against its search alone;
    the row handed back is the simulation of that spending on one path."""
    hh, tl, sol = _case(name)
    pols = [_policy(k, hh, sol) for k in SEARCHED]
    together = spending_searches(hh, tl, LAW, pols, sol.spending_real)
    for k, pol, (spend, row) in zip(SEARCHED, pols, together, strict=True):
        alone, _ = spending_searches(hh, tl, LAW, [pol], sol.spending_real)[0]
        assert spend == alone, k
        one = sim.simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), pol, np.array([spend]))
        assert row is not None
        _same(row, one, k)


def test_a_stack_holds_one_strategy_of_a_kind():
    order = Policy("order")
    with pytest.raises(ValueError):
        Policy.stack([(order, 2), (order, 3)])
    with pytest.raises(ValueError):
        Policy.stack([(order, 2), (Policy("systematic"), 3)])


def test_a_searched_plan_calls_the_tax_engine_a_bounded_number_of_times(monkeypatch):
    """The single retiree (three searched strategies, no Monte Carlo) took 2,213 calls when
    each search ran alone and each outcome was simulated again; side by side, 799."""
    calls = []
    real = sim.federal_tax

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(sim, "federal_tax", counted)
    make_plan(load_household(PLANS / "single-retiree.yaml"), LAW, monte_carlo=False)
    assert 0 < len(calls) <= 1_000
