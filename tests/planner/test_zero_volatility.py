"""Every strategy's Monte Carlo on a market with no volatility — every path the case's own
fixed returns — is its fixed plan again: it succeeds where the fixed plan lasts, and pays and
leaves what the fixed plan pays and leaves.  A success rate measured against a spending the
strategy cannot pay even on the plan's own market would say nothing about market risk (a
CFP's review: the optimum's 78,964 a year, tested with its random-market policy that sustains
78,121 on those returns, showed 0% at zero volatility and 72% on the bootstrap)."""

from __future__ import annotations

import glob

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from dist401k.commands.plan import confidence_line, optimum_tested_text
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.money import HALF_CENT
from dist401k.planner import plan as planner
from dist401k.planner.household import parse_household
from dist401k.planner.plan import fixed_returns, make_plan, plan_json
from dist401k.planner.simulate import simulate
from planner.random_plans import plans

LAW = default_law()
PATHS = 4  # identical paths: a handful shows the Monte Carlo reproduces the fixed plan
CENT = 0.01


def _flat_market(monkeypatch) -> None:
    """Monte Carlo paths that are the case's fixed returns (zero volatility)."""
    monkeypatch.setattr(planner, "_paths",
                        lambda hh, years, n: fixed_returns(hh, LAW, years, n))


def _real(plan, nominal: np.ndarray) -> np.ndarray:
    return nominal / (1 + plan.inflation) ** np.arange(nominal.shape[-1])


def _optimum_fixed_run(plan, o):
    """The optimum's random-market policy on the fixed returns at the spending its Monte
    Carlo is tested at: what that Monte Carlo must reproduce."""
    tl, hh = plan.timeline, plan.household
    pol = planner._random_market_policy(planner._pad_years(plan.solution.conversions, tl.T),
                                        o.label)
    spend = o.monte_carlo["spending_real"]
    return simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), pol, np.array([spend])), spend


def _check_reproduces_fixed_plan(plan, lasting_succeeds: bool = True) -> None:
    """Each strategy's Monte Carlo on the fixed returns is its fixed plan: it succeeds where
    that plan pays every year (to the half cent the success rate allows), spends and leaves
    the same; ``lasting_succeeds``: and it succeeds wherever the comparison calls the fixed
    plan lasting (less than a dollar unpaid over the plan: true of every shipped case)."""
    for o in plan.strategies:
        mc = o.monte_carlo
        if lasting_succeeds and o.shortfall < 1.0:
            assert mc["success_rate"] == 1.0, (o.key, mc["success_rate"])
        res = o.result
        if o.key == "optimal":
            res, tested = _optimum_fixed_run(plan, o)
            # Tested at what it sustains on the fixed returns, never above the optimum's own.
            assert tested <= o.spending_real + CENT, o.key
            assert res["shortfall"].sum() < 1.0, o.key
            assert mc["spending_real"] == pytest.approx(tested, abs=CENT)
        if (res["shortfall"] <= HALF_CENT).all():
            assert mc["success_rate"] == 1.0, (o.key, mc["success_rate"])
        spent = _real(plan, res["spending"][0]).mean()
        assert mc["spending_percentiles"]["p50"] == pytest.approx(spent, abs=CENT), o.key
        # The optimum's spending is stated to the cent, and its fixed run here is at that: a
        # dollar, or 1e-7 of an estate in the hundreds of millions (a random single retiree's
        # $445.8M estate came out $27.73 apart, 6e-8 of it).
        estate = float(res.estate_real[0])
        assert mc["estate_percentiles"]["p50"] == pytest.approx(
            estate, abs=CENT if o.key != "optimal" else max(1.0, 1e-7 * abs(estate))), o.key


@pytest.mark.parametrize("path", sorted(glob.glob("examples/plans/*.yaml")))
def test_each_strategy_at_zero_volatility_is_its_fixed_plan(monkeypatch, path):
    with open(path) as fh:
        hh = parse_household(yaml.safe_load(fh))
    _flat_market(monkeypatch)
    plan = make_plan(hh, LAW, paths=PATHS)
    _check_reproduces_fixed_plan(plan)


def test_the_output_says_what_the_optimum_is_tested_at(monkeypatch):
    """The JSON names the spending the optimum's Monte Carlo row is tested at and the policy
    that pays it, beside the optimiser's own spending."""
    with open("examples/plans/single-retiree-guardrails.yaml") as fh:
        hh = parse_household(yaml.safe_load(fh))
    _flat_market(monkeypatch)
    j = plan_json(make_plan(hh, LAW, paths=PATHS))
    opt = next(s for s in j["strategies"] if s["key"] == "optimal")
    mc = opt["monte_carlo"]
    assert mc["spending_real"] < opt["spending_real"]  # 78,121 beside the LP's 78,964
    assert "conventional order" in mc["measured_against"]
    assert f"{mc['spending_real']:,.0f}" in mc["measured_against"]
    c = j["confidence"]
    assert c["optimum_success_rate"] == 1.0
    assert c["optimum_tested_spending_real"] == mc["spending_real"]
    # At zero volatility the most at 90% confidence is what the policy sustains on the fixed
    # returns (to the search's tolerance).
    assert c["spending_real"] == pytest.approx(mc["spending_real"], rel=2e-3)
    # The terminal says it too: under the table and in the confidence line.
    tested, lp = f"{mc['spending_real']:,.0f}", f"{opt['spending_real']:,.0f}"
    assert f"tested at {tested} a year" in optimum_tested_text(j) and lp in optimum_tested_text(j)
    assert f"{tested} (the most it sustains on the fixed returns) succeeds on 100%" in \
        confidence_line(j)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(case=plans(paths=st.just(PATHS)))
def test_random_households_at_zero_volatility(case):
    case["monte_carlo"].pop("lifetimes", None)  # the plan's own lifetimes: one market path
    case["monte_carlo"].pop("confidence", None)
    try:
        hh = parse_household(case)
        with pytest.MonkeyPatch.context() as mp:
            _flat_market(mp)
            plan = make_plan(hh, LAW, paths=PATHS)
    except InputError:  # a case refused with its field named
        assume(False)
    # A plan a few cents short in some year "lasts" in the comparison (under a dollar over
    # the plan) yet fails that year on a path: a matter of the two tolerances, left aside here.
    _check_reproduces_fixed_plan(plan, lasting_succeeds=False)
