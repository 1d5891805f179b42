"""Spending at a chosen confidence, and the guardrail strategies inside the plan.

The confidence search is checked against a closed form: with all the money in a qualified Roth
(no tax, no RMD), a path pays a constant real spending W at the start of each year exactly when
W · Σ_t price_t / growth_t ≤ B0 (the annuity-due on that path's own returns and inflation), so
the most spending with success c is an order statistic of those per-path maxima.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.planner.confidence import spending_at_confidence, success_rates
from dist401k.planner.guardrails import GuytonKlinger, SpendingPath, guyton_klinger
from dist401k.planner.household import parse_household
from dist401k.planner.plan import _paths, lifetime_timeline, lives_in_order, make_plan, plan_json
from dist401k.planner.simulate import Policy, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
B0 = 1_000_000.0


def _roth(seed=3, **over):
    base = {"id": "roth", "start_year": 2026,
            "people": [{"birth_date": "1960-01-15", "life_expectancy": 82,
                        "accounts": {"roth": B0, "roth_first_year": 2000}}],
            "market": {"stock_share": 0.6}, "strategy": {"medicare": False},
            "monte_carlo": {"paths": 150, "seed": seed}}
    base.update(over)
    hh = parse_household(base)
    tl = build_timeline(hh, LAW)
    return hh, tl, _paths(hh, tl.T, hh.monte_carlo.paths)


def _path_maxima(hh, rets, going=None) -> np.ndarray:
    """Each path's most constant real spending paid in full: B0 / Σ_t price_t / growth_t (with
    ``going``, (P, T), over the years the path goes on)."""
    s = hh.market.stock_share
    r = s * rets["stocks"] + (1 - s) * rets["bonds"]
    n = r.shape[0]
    growth = np.concatenate([np.ones((n, 1)), np.cumprod(1 + r, axis=1)[:, :-1]], axis=1)
    price = np.concatenate([np.ones((n, 1)), np.cumprod(1 + rets["inflation"], axis=1)[:, :-1]],
                           axis=1)
    return B0 / np.where(True if going is None else going, price / growth, 0.0).sum(axis=1)


@pytest.mark.parametrize("target", [0.5, 0.9])
def test_confidence_spending_is_the_order_statistic_of_the_closed_form(target):
    hh, tl, rets = _roth()
    found = spending_at_confidence(hh, tl, LAW, (rets, None), Policy("order"), target, 40_000)
    best = np.sort(_path_maxima(hh, rets))[::-1][math.ceil(target * rets["stocks"].shape[0]) - 1]
    assert found.spending_real <= best * (1 + 1e-6)
    assert found.next_spending_real > best * (1 - 1e-6)
    assert found.next_spending_real - found.spending_real <= found.tolerance * \
        found.next_spending_real
    assert found.success_rate >= target > found.next_success_rate
    # The spending found meets the target; 1% more does not.
    at, more = success_rates(hh, tl, LAW, rets, Policy("order"),
                             [found.spending_real, found.spending_real * 1.01])
    assert at >= target > more


def test_with_random_lifetimes_the_confidence_spending_counts_each_paths_own_years():
    """Random lifetimes: a path need pay only while someone lives (docs/plan.md), so its most
    constant spending is B0 over the annuity-due of its own years; the plan's spending at 90%
    confidence is the order statistic of those, on the same paths and lives as its success
    rates — not the fixed-lifetime answer (which counted every year to the case's age)."""
    hh, tl, _ = _roth(people=[{"birth_date": "1961-03-01", "life_expectancy": 85,
                               "sex": "female",
                               "accounts": {"roth": B0, "roth_first_year": 2000}}],
                      monte_carlo={"paths": 200, "seed": 7, "confidence": 0.9,
                                   "lifetimes": "random"})
    mc_tl = lifetime_timeline(hh, tl, LAW)
    lives, rets = lives_in_order(hh, mc_tl, LAW, _paths(hh, mc_tl.T, hh.monte_carlo.paths))
    n = rets["stocks"].shape[0]
    best = np.sort(_path_maxima(hh, rets, lives.anyone))[::-1][math.ceil(0.9 * n) - 1]
    c = plan_json(make_plan(hh))["confidence"]
    assert c["spending_real"] <= best * (1 + 1e-6) < c["next_spending_real"] * (1 + 2e-6)
    assert c["spending_real"] >= best * (1 - 2 * c["tolerance"])
    assert c["success_rate"] >= 0.9 > c["next_success_rate"]


def test_a_guess_far_too_low_still_finds_the_answer():
    """A plan with no spending of its own (objective max_estate, `spending.annual: 0`) searches
    up from a guess of nothing: the grid widens faster each round, so it brackets and settles
    within the rounds (it stopped at 1.5 × 2¹⁵ = 49,152 before, with a "next" spending of 1.5
    that met the target)."""
    hh, tl, rets = _roth()
    found = spending_at_confidence(hh, tl, LAW, (rets, None), Policy("order"), 0.9, 0.0)
    best = np.sort(_path_maxima(hh, rets))[::-1][math.ceil(0.9 * rets["stocks"].shape[0]) - 1]
    assert found.spending_real <= best * (1 + 1e-6) < found.next_spending_real * (1 + 2e-6)
    assert found.next_spending_real - found.spending_real <= found.tolerance * \
        found.next_spending_real
    assert found.success_rate >= 0.9 > found.next_success_rate
    assert found.simulations < 16


def test_higher_confidence_never_spends_more():
    hh, tl, rets = _roth(seed=5)
    found = [spending_at_confidence(hh, tl, LAW, (rets, None), Policy("order"), c, 60_000).spending_real
             for c in (0.5, 0.8, 0.95)]
    assert found == sorted(found, reverse=True)
    assert found[0] > found[-1]


def test_guyton_klinger_path_replays_the_rules_inside_the_simulation():
    """On a tax-free case each year's spending of each path is the rules applied to that
    path's own savings, last year's return and inflation."""
    hh, tl, rets = _roth()
    rule = GuytonKlinger()
    s = hh.market.stock_share
    r = s * rets["stocks"] + (1 - s) * rets["bonds"]
    res = simulate(hh, tl, LAW, rets, Policy("order"), 50_000,
                   need_rule=SpendingPath(rule, 50_000, r))
    need, savings = res["need"], res["roth_balance"]
    assert np.allclose(need[:, 0], 50_000)
    initial = 50_000 / savings[:, 0]
    for t in range(1, tl.T):
        want = guyton_klinger(need[:, t - 1], savings[:, t], r[:, t - 1],
                              rets["inflation"][:, t - 1], initial, tl.T - t, rule)
        assert np.allclose(need[:, t], want), t
    assert (need[:, 1:] != need[:, :-1] * (1 + rets["inflation"][:, :-1])).any()


def test_plan_json_shows_confidence_and_guardrails():
    hh, _, _ = _roth(monte_carlo={"paths": 60, "confidence": 0.9},
                     guardrails={"guyton_klinger": True, "risk_based": True})
    j = plan_json(make_plan(hh))
    c = j["confidence"]
    assert c["target"] == 0.9 and c["success_rate"] >= 0.9 > c["next_success_rate"]
    assert c["spending_real"] < c["optimum_spending_real"]
    assert [s["key"] for s in j["strategies"]] == ["order", "systematic", "fill", "optimal",
                                                   "guyton_klinger", "risk_guardrail"]
    for s in j["strategies"][-2:]:
        mc = s["monte_carlo"]
        fan = mc["spending_percentiles_by_year"]
        assert len(fan["p50"]) == j["years"][1] - j["years"][0] + 1
        assert all(a <= b for a, b in zip(fan["p5"], fan["p95"], strict=True))
        assert mc["lowest_spending_percentiles"]["p50"] <= mc["spending_percentiles"]["p50"]
        assert "rule set it" in mc["measured_against"]
    assert "spending_percentiles_by_year" not in j["strategies"][0]["monte_carlo"]


def test_plan_command_prints_confidence_and_guardrails():
    r = CliRunner().invoke(app, ["plan", "examples/plans/single-retiree-guardrails.yaml",
                                 "--paths", "30"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "At 90% confidence" in r.output and "Guardrails over 30 market paths" in r.output
    assert "Guyton–Klinger guardrails" in r.output
    assert "Most at 90% confidence" in r.output


def test_guardrail_options_are_checked():
    hh = {"start_year": 2026, "people": [{"birth_date": "1960-01-15"}],
          "guardrails": {"success_low": 0.9, "success_high": 0.8}}
    from dist401k.errors import InputError

    with pytest.raises(InputError, match="guardrails.success_low: must be below"):
        parse_household(hh)
    with pytest.raises(InputError, match="monte_carlo.confidence"):
        parse_household(dict(hh, guardrails={}, monte_carlo={"confidence": 1.5}))
