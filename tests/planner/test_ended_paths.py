"""With random lifetimes the paths come in the order of their last deaths (``lives_in_order``)
and the simulator leaves each path behind once it has ended (``simulate._going_prefix``): only
to figure fewer paths, so every figure of a year a path is going, its estate at its end and
everything the Monte Carlo reports must be, bit for bit, what figuring every path every year
gives."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner import plan as planner
from dist401k.planner import returns as market
from dist401k.planner import simulate as sim
from dist401k.planner.guardrails import GuytonKlinger, SpendingPath, mix_return
from dist401k.planner.household import load_household, parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import _policy, draw_lives, lifetime_timeline, lives_in_order
from dist401k.planner.simulate import Policy
from dist401k.planner.timeline import build_timeline
from planner.random_plans import plans

LAW = default_law()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
PATHS = 400


def _both(monkeypatch, *args, **kw):
    """The simulation leaving the ended paths behind, and figuring every path every year; and
    the widths the years ran on."""
    widths = []
    head = sim.Market.head

    def counted(self, n):
        widths.append(n)
        return head(self, n)

    monkeypatch.setattr(sim.Market, "head", counted)
    need = kw.pop("need", None)
    left = sim.simulate(*args, **kw, need_rule=copy.deepcopy(need))
    with monkeypatch.context() as m:
        m.setattr(sim, "_going_prefix", lambda *a: None)
        whole = sim.simulate(*args, **kw, need_rule=copy.deepcopy(need))
    return left, whole, widths


def _same_while_going(a, b, lives):
    going = lives.anyone
    for col in a.cols:
        np.testing.assert_array_equal(np.where(going, a[col], 0.0), np.where(going, b[col], 0.0),
                                      err_msg=col)
    np.testing.assert_array_equal(a.estate, b.estate)
    np.testing.assert_array_equal(a.estate_real, b.estate_real)
    np.testing.assert_array_equal(a.price_end, b.price_end)


def _couple():
    hh = load_household(PLANS / "couple-social-security.yaml")
    hh.people[0].sex, hh.people[1].sex = "male", "female"
    return hh


def test_lives_in_order_keeps_each_path_whole():
    """The paths are put in the order of their last deaths, latest first, each with its own
    lifetimes and its own market."""
    hh = _couple()
    tl = lifetime_timeline(hh, build_timeline(hh, LAW), LAW)
    rets = market.bootstrap(PATHS, tl.T, seed=hh.monte_carlo.seed)
    drawn = draw_lives(hh, tl, LAW, PATHS)
    lives, ordered = lives_in_order(hh, tl, LAW, rets)
    last = lives.last_death
    assert np.all(last[1:] <= last[:-1]) and last[0] > last[-1]
    order = np.argsort(-drawn.last_death, kind="stable")
    np.testing.assert_array_equal(lives.death, drawn.death[order])
    for k in rets:
        np.testing.assert_array_equal(ordered[k], rets[k][order])
    np.testing.assert_array_equal(lives.social_security, drawn.social_security[order])


@pytest.mark.parametrize("key", ["order", "fill", "optimal", "guardrail"])
def test_ended_paths_left_behind_change_nothing(monkeypatch, key):
    hh = _couple()
    tl = build_timeline(hh, LAW)
    sol = optimise(hh, tl, LAW)
    mc_tl = lifetime_timeline(hh, tl, LAW)
    lives, rets = lives_in_order(hh, mc_tl, LAW, market.bootstrap(PATHS, mc_tl.T, seed=4))
    need = None
    if key == "guardrail":
        need = SpendingPath(GuytonKlinger(), sol.spending_real,
                            mix_return(rets, hh.market.stock_share), 0.65)
    pol = (planner._random_market_policy(planner._same_pools(
        planner._pad_years(sol.conversions, mc_tl.T), tl, mc_tl), "o")
           if key == "optimal" else _policy("order" if key == "guardrail" else key, hh, sol))
    left, whole, widths = _both(monkeypatch, hh, mc_tl, LAW, rets, pol, sol.spending_real,
                                lives=lives, need=need)
    assert widths and min(widths) < PATHS // 10  # most paths were left behind by the end
    assert widths == sorted(widths, reverse=True)
    _same_while_going(left, whole, lives)


def test_paths_in_another_order_are_all_figured(monkeypatch):
    """Lives not in the order of their ends: every path is figured every year, as before."""
    hh = _couple()
    mc_tl = lifetime_timeline(hh, build_timeline(hh, LAW), LAW)
    lives = draw_lives(hh, mc_tl, LAW, PATHS)
    assume_unordered = np.any(lives.last_death[1:] > lives.last_death[:-1])
    assert assume_unordered
    rets = market.bootstrap(PATHS, mc_tl.T, seed=4)
    _, _, widths = _both(monkeypatch, hh, mc_tl, LAW, rets, Policy("order"), 80000.0,
                         lives=lives)
    assert widths == []


def test_plan_with_guardrails_reports_the_same(monkeypatch):
    """The whole Monte Carlo of a plan with both guardrails, as the plan reports it."""
    hh = load_household(PLANS / "single-retiree-guardrails.yaml")
    hh.people[0].sex = "female"
    hh.monte_carlo.lifetimes, hh.monte_carlo.paths = "random", 300
    left = planner.plan_json(planner.make_plan(hh, LAW))
    with monkeypatch.context() as m:
        m.setattr(sim, "_going_prefix", lambda *a: None)
        whole = planner.plan_json(planner.make_plan(hh, LAW))
    assert [s["monte_carlo"] for s in left["strategies"]] == [
        s["monte_carlo"] for s in whole["strategies"]]


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=plans(), key=st.sampled_from(["order", "fill", "systematic"]),
       paths=st.integers(20, 200))
def test_random_households_leave_their_ended_paths_behind_to_the_same_figures(
        monkeypatch, case, key, paths):
    try:
        hh = parse_household(case)
        tl = build_timeline(hh, LAW)
    except InputError:
        assume(False)
    tl = lifetime_timeline(hh, tl, LAW)
    lives, rets = lives_in_order(hh, tl, LAW, market.bootstrap(paths, tl.T, seed=3))
    try:
        left, whole, _ = _both(monkeypatch, hh, tl, LAW, rets, _policy(key, hh, None),
                               hh.spending.annual, lives=lives)
    except InputError:  # a state whose tax needs what a plan does not hold: refused
        assume(False)
    _same_while_going(left, whole, lives)
