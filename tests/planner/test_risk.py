"""Summaries over paths: success rate, percentiles, fan chart, and the balance simulation
checked against the annuity closed form."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.planner import returns as R
from dist401k.planner import risk


def annuity_due(r: float, n: int) -> float:
    """ä_n: the value today of 1 paid at the start of each of n years."""
    v = 1.0 / (1.0 + r)
    return (1.0 - v**n) / (1.0 - v) if r else float(n)


@pytest.mark.parametrize(("r", "n"), [(0.05, 30), (0.0, 20), (-0.02, 10), (0.11, 40)])
def test_balance_matches_the_annuity_closed_form(r, n):
    b0, w = 1_000_000.0, 40_000.0
    if b0 - w * annuity_due(r, n) < 0:
        pytest.skip("the money runs out: the closed form holds only while it lasts")
    p = R.fixed(n, stocks=r, inflation=0.0)
    out = risk.simulate_balance(b0, w, p["stocks"], p["inflation"])
    expected = (b0 - w * annuity_due(r, n)) * (1 + r) ** n
    assert out["balance"][0, n] == pytest.approx(expected, rel=1e-12)
    assert out["balance"][0, 0] == b0
    np.testing.assert_allclose(out["withdrawn"], w)
    assert not out["shortfall"].any()
    for t in range(n + 1):
        assert out["balance"][0, t] == pytest.approx((b0 - w * annuity_due(r, t)) * (1 + r) ** t,
                                                     rel=1e-12)


def test_spending_grows_with_each_paths_inflation():
    n, i = 25, 0.03
    p = R.fixed(n, stocks=i, inflation=i)  # real return 0: the real balance falls by W a year
    out = risk.simulate_balance(1_000_000.0, 30_000.0, p["stocks"], p["inflation"])
    assert out["balance"][0, n] == pytest.approx((1_000_000.0 - n * 30_000.0) * (1 + i) ** n, rel=1e-12)
    np.testing.assert_allclose(out["price_level"][0], (1 + i) ** np.arange(n + 1))
    np.testing.assert_allclose(out["withdrawn"][0], 30_000.0 * (1 + i) ** np.arange(n))
    # two paths with different inflation spend different nominal amounts
    infl = np.array([[0.0] * 3, [0.1] * 3])
    two = risk.simulate_balance([1e6, 1e6], [10.0, 20.0, 30.0], np.zeros((2, 3)), infl)
    np.testing.assert_allclose(two["withdrawn"], [[10, 20, 30], [10, 22, 36.3]])


def test_shortfall_when_the_money_runs_out():
    p = R.fixed(5, stocks=0.0)
    out = risk.simulate_balance(100.0, 30.0, p["stocks"], p["inflation"])
    assert out["withdrawn"][0].tolist() == [30, 30, 30, 10, 0]
    assert out["shortfall"][0].tolist() == [0, 0, 0, 20, 30]
    assert out["balance"][0].tolist() == [100, 70, 40, 10, 0, 0]
    assert risk.success_rate(out["shortfall"]) == 0.0


def test_simulate_balance_bad_input():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="inflation is shaped"):
        risk.simulate_balance(1.0, 1.0, z, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="one amount per year"):
        risk.simulate_balance(1.0, [1.0, 2.0], z, z)
    with pytest.raises(ValueError, match="one balance per path"):
        risk.simulate_balance([1.0, 2.0, 3.0], 1.0, z, z)
    with pytest.raises(ValueError, match="negative"):
        risk.simulate_balance(-1.0, 1.0, z, z)
    with pytest.raises(ValueError, match="above -1"):
        risk.simulate_balance(1.0, 1.0, z - 1.0, z)
    with pytest.raises(ValueError, match="NaN"):
        risk.simulate_balance(1.0, 1.0, z + np.nan, z)


def test_success_rate_on_hand_made_arrays():
    s = np.array([[0, 0, 0], [0, 5, 0], [0, 0, 0.004], [0, 0, 0.01]])
    assert risk.success_rate(s) == 0.5  # rows 0 and 2 (under half a cent) succeed
    assert risk.success_rate(s, tolerance=0.0) == 0.25
    assert risk.success_rate(np.zeros((7, 40))) == 1.0
    assert risk.success_rate(np.ones((3, 1))) == 0.0
    assert risk.success_rate([[0, 0], [-1, 0]]) == 1.0  # a surplus is not a shortfall
    with pytest.raises(ValueError, match="paths, years"):
        risk.success_rate(np.zeros(5))
    with pytest.raises(ValueError, match="NaN"):
        risk.success_rate(np.array([[0.0, np.nan]]))


def test_percentiles_match_numpy():
    x = np.random.default_rng(0).lognormal(size=(1001, 12))
    got = risk.percentiles(x)
    assert got.shape == (5, 12)
    np.testing.assert_allclose(got, np.percentile(x, [5, 25, 50, 75, 95], axis=0))
    np.testing.assert_allclose(risk.percentiles(x, q=[1, 99.5]), np.percentile(x, [1, 99.5], axis=0))
    np.testing.assert_allclose(risk.percentiles(x, q=50)[0], np.median(x, axis=0))
    with pytest.raises(ValueError, match="between 0 and 100"):
        risk.percentiles(x, q=[0.5, 150])


def test_fan_chart_has_the_bands_and_median():
    p = R.bootstrap(2000, 30, seed=1)
    out = risk.simulate_balance(1_000_000.0, 45_000.0, R.portfolio_return(p, 0.6), p["inflation"])
    real = out["balance"] / out["price_level"]
    years = np.arange(2026, 2026 + 31)
    fig = risk.fan_chart(years, real, "Balance in today's dollars", "dollars")
    assert len(fig.data) == 5
    expected = np.percentile(real, [5, 95, 25, 75, 50], axis=0)
    for trace, want in zip(fig.data, expected, strict=True):
        assert list(trace.x) == years.tolist()
        np.testing.assert_allclose(trace.y, want)
    assert [t.fill for t in fig.data] == [None, "tonexty", None, "tonexty", None]
    assert fig.data[4].name == "median"
    assert fig.layout.title.text == "Balance in today's dollars"
    assert fig.layout.yaxis.title.text == "dollars"
    html = fig.to_html(full_html=False, include_plotlyjs=False)
    assert "median" in html and "<script" in html
    with pytest.raises(ValueError, match="x values"):
        risk.fan_chart(years[:-1], real, "t", "y")
