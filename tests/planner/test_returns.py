"""Return and inflation paths: the shipped history, the models, and the array namespaces."""

from __future__ import annotations

import csv
import fnmatch
import math
import tomllib
import types
from pathlib import Path

import numpy as np
import pytest

from dist401k.planner import returns as R

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "src" / "dist401k" / "planner" / "data" / "us_annual_returns_1928_2025.csv"
COLS = {"stocks": "S&P 500", "baa": "Bonds Baa", "bills": "T-Bills", "notes": "T-Notes",
        "inflation": "Inflation", "real_estate": "real estate"}


def file_rows() -> list[dict[str, str]]:
    with open(CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def file_by_year() -> dict[int, dict[str, float]]:
    return {int(r["year"]): {k: float(r[c]) / 100 for k, c in COLS.items()} for r in file_rows()}


# -- the data file -----------------------------------------------------------------------------


def test_data_file_rows_and_years():
    rows = file_rows()
    assert len(rows) == 98
    assert [int(r["year"]) for r in rows] == list(range(1928, 2026))
    assert R.history_years() == (1928, 2025)
    assert R.DATA_FILE.name == CSV.name and R.DATA_FILE.read_bytes() == CSV.read_bytes()


def test_data_file_has_readme_with_source():
    text = (CSV.parent / "README.md").read_text(encoding="utf-8")
    assert "Damodaran" in text and "NYU Stern" in text and "owlplanner" in text


def test_data_file_is_package_data():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = cfg["tool"]["setuptools"]["package-data"]["dist401k"]
    rel = "planner/data/us_annual_returns_1928_2025.csv"
    assert any(fnmatch.fnmatch(rel, p) and p.count("/") == rel.count("/") for p in patterns)


def test_known_values():
    h = R.load_history()
    at = {int(y): i for i, y in enumerate(h["year"])}
    assert h["stocks"][at[1931]] == pytest.approx(-0.4384)
    by_year = file_by_year()
    for key in ("stocks", "baa", "bills", "notes", "inflation", "real_estate"):
        assert h[key][at[2008]] == pytest.approx(by_year[2008][key])
    assert h["stocks"][at[2008]] == pytest.approx(-0.3655)


def test_means_match_an_independent_reading():
    rows = file_rows()
    h = R.load_history()
    for key, col in COLS.items():
        mean = sum(float(r[col]) for r in rows) / len(rows) / 100
        assert float(h[key].mean()) == pytest.approx(mean, rel=1e-12)
    mu, cov = R.history_log_moments()
    for i, col in enumerate(("S&P 500", "T-Notes", "T-Bills", "Inflation")):
        logs = [math.log1p(float(r[col]) / 100) for r in rows]
        m = sum(logs) / len(logs)
        var = sum((x - m) ** 2 for x in logs) / (len(logs) - 1)
        assert mu[i] == pytest.approx(m, rel=1e-12)
        assert cov[i, i] == pytest.approx(var, rel=1e-12)
    mu_baa, _ = R.history_log_moments(bonds="baa")
    assert mu_baa[1] == pytest.approx(sum(math.log1p(float(r["Bonds Baa"]) / 100) for r in rows) / len(rows))


def test_load_history_sub_range_and_errors():
    h = R.load_history(1966, 1970)
    assert h["year"].tolist() == [1966, 1967, 1968, 1969, 1970]
    with pytest.raises(ValueError, match="outside the data"):
        R.load_history(1900, 1950)
    with pytest.raises(ValueError, match="outside the data"):
        R.load_history(2000, 1990)


# -- models ------------------------------------------------------------------------------------


def test_fixed():
    p = R.fixed(5, stocks=0.07, bonds=0.03, bills=[0.01, 0.02, 0.03, 0.04, 0.05], inflation=0.025)
    assert set(p) == set(R.ASSETS)
    assert all(v.shape == (1, 5) for v in p.values())
    assert np.all(p["stocks"] == 0.07) and p["bills"][0].tolist() == [0.01, 0.02, 0.03, 0.04, 0.05]
    with pytest.raises(ValueError, match="bills"):
        R.fixed(5, bills=[0.01, 0.02])
    with pytest.raises(ValueError, match="fractions above -1"):
        R.fixed(3, stocks=-1.5)
    with pytest.raises(ValueError, match="years"):
        R.fixed(0)


def test_historical_1966_reproduces_the_file():
    by_year = file_by_year()
    p = R.historical(30, 1966)
    assert all(v.shape == (1, 30) for v in p.values())
    for t in range(30):
        row = by_year[1966 + t]
        assert p["stocks"][0, t] == pytest.approx(row["stocks"])
        assert p["bonds"][0, t] == pytest.approx(row["notes"])
        assert p["bills"][0, t] == pytest.approx(row["bills"])
        assert p["inflation"][0, t] == pytest.approx(row["inflation"])
    baa = R.historical(3, 1966, bonds="baa")
    assert baa["bonds"][0].tolist() == pytest.approx([by_year[y]["baa"] for y in (1966, 1967, 1968)])


def test_historical_errors():
    with pytest.raises(ValueError, match="latest start is 1996"):
        R.historical(30, 2000)
    with pytest.raises(ValueError, match="does not fit"):
        R.historical(5, 1920)
    with pytest.raises(ValueError, match="bonds must be one of"):
        R.historical(5, 1970, bonds="gilts")


def test_historical_all_is_every_start_without_wrapping():
    p = R.historical_all(40)
    starts = R.start_years(40)
    assert starts[0] == 1928 and starts[-1] == 1986
    assert p["stocks"].shape == (len(starts), 40)
    for i in (0, 17, len(starts) - 1):
        one = R.historical(40, starts[i])
        for k in R.ASSETS:
            np.testing.assert_array_equal(p[k][i], one[k][0])
    assert R.historical_all(98)["stocks"].shape == (1, 98)
    with pytest.raises(ValueError, match="longer than the data"):
        R.historical_all(99)


def _history_rows() -> set[tuple[float, ...]]:
    h = R.load_history()
    return set(zip(h["stocks"], h["notes"], h["bills"], h["inflation"], strict=True))


def test_bootstrap_is_deterministic_and_draws_only_historical_years():
    a = R.bootstrap(500, 30, seed=11)
    b = R.bootstrap(500, 30, seed=11)
    c = R.bootstrap(500, 30, seed=12)
    for k in R.ASSETS:
        assert a[k].shape == (500, 30)
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.array_equal(a["stocks"], c["stocks"])
    rows = _history_rows()
    drawn = set(zip(a["stocks"].ravel(), a["bonds"].ravel(), a["bills"].ravel(),
                    a["inflation"].ravel(), strict=True))
    assert drawn <= rows  # whole years: the four series of a year stay together
    assert len(drawn) > 90  # 15,000 draws from 98 years reach nearly all of them


def test_block_bootstrap_draws_runs_of_consecutive_years():
    h = R.load_history()
    index = {float(s): i for i, s in enumerate(h["stocks"])}
    assert len(index) == len(h["stocks"])  # stock returns identify the year
    p = R.bootstrap(200, 25, seed=3, block=5)
    pos = np.vectorize(index.__getitem__)(p["stocks"])
    within = pos.reshape(200, 5, 5)
    assert np.all(np.diff(within, axis=2) == 1)  # no wrapping past 2025 either
    with pytest.raises(ValueError, match="block"):
        R.bootstrap(10, 10, seed=1, block=99)
    with pytest.raises(ValueError, match="seed"):
        R.bootstrap(10, 10, seed=1.5)


def test_bootstrap_restricted_years():
    p = R.bootstrap(100, 10, seed=5, first=2000, last=2009)
    allowed = set(R.load_history(2000, 2009)["stocks"].tolist())
    assert set(p["stocks"].ravel().tolist()) <= allowed


def _check_moments(p, mu, cov, n):
    x = np.stack([np.log1p(p[k].ravel()) for k in R.ASSETS])
    sd = np.sqrt(np.diag(cov))
    se_mean = sd / math.sqrt(n)
    assert np.all(np.abs(x.mean(axis=1) - mu) < 5 * se_mean)
    got = np.cov(x)
    se_cov = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / n)
    assert np.all(np.abs(got - cov) < 5 * se_cov)


def test_lognormal_reproduces_the_historical_moments():
    n = 200_000
    mu, cov = R.history_log_moments()
    p = R.lognormal(n, 1, seed=2025)
    assert all(v.shape == (n, 1) for v in p.values())
    _check_moments(p, mu, cov, n)


def test_lognormal_given_means_vols_correlation():
    n = 200_000
    mean = np.array([0.06, 0.03, 0.02, 0.025])
    vol = np.array([0.17, 0.07, 0.01, 0.02])
    corr = np.array([[1.0, 0.1, 0.0, -0.1], [0.1, 1.0, 0.3, 0.0],
                     [0.0, 0.3, 1.0, 0.4], [-0.1, 0.0, 0.4, 1.0]])
    p = R.lognormal(n // 4, 4, seed=9, mean=mean, vol=vol, corr=corr)
    assert p["stocks"].shape == (n // 4, 4)
    _check_moments(p, mean, corr * np.outer(vol, vol), n)
    np.testing.assert_array_equal(p["bonds"], R.lognormal(n // 4, 4, seed=9, mean=mean, vol=vol,
                                                          corr=corr)["bonds"])


def test_lognormal_zero_vol_and_bad_input():
    p = R.lognormal(100, 3, seed=1, mean=[0.05, 0.02, 0.01, 0.02], vol=[0.15, 0.05, 0.0, 0.0])
    assert np.allclose(p["inflation"], math.expm1(0.02)) and np.allclose(p["bills"], math.expm1(0.01))
    with pytest.raises(ValueError, match="mean must give 4"):
        R.lognormal(10, 3, seed=1, mean=[0.05, 0.02])
    with pytest.raises(ValueError, match="corr must be"):
        R.lognormal(10, 3, seed=1, corr=np.eye(3))
    bad = np.full((4, 4), -0.9) + np.eye(4) * 1.9
    with pytest.raises(ValueError, match="positive"):
        R.lognormal(10, 3, seed=1, corr=bad)


def test_portfolio_return():
    p = R.fixed(3, stocks=0.10, bonds=0.02)
    assert R.portfolio_return(p, 0.5)[0].tolist() == pytest.approx([0.06, 0.06, 0.06])
    assert R.portfolio_return(p, [1.0, 0.25, 0.0])[0].tolist() == pytest.approx([0.10, 0.04, 0.02])
    many = R.bootstrap(4, 3, seed=1)
    share = np.array([[0.6, 0.5, 0.4]] * 4)
    np.testing.assert_allclose(R.portfolio_return(many, share),
                               share * many["stocks"] + (1 - share) * many["bonds"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        R.portfolio_return(p, 60)
    with pytest.raises(ValueError, match="one per year"):
        R.portfolio_return(p, [0.5, 0.5])


# -- array namespaces --------------------------------------------------------------------------

#: Functions NumPy and CuPy both have, the only ones the xp code may use.
SHARED = ("asarray", "ascontiguousarray", "arange", "exp", "cumprod", "zeros", "ones",
          "concatenate", "minimum", "isnan", "percentile")


class _RestrictedRandom:
    @staticmethod
    def default_rng(seed=None):
        g = np.random.default_rng(seed)
        return types.SimpleNamespace(integers=g.integers, standard_normal=g.standard_normal)


def restricted_numpy():
    """A namespace with only the shared functions (an attribute error shows any other use)."""
    ns = types.SimpleNamespace(**{name: getattr(np, name) for name in SHARED})
    ns.random = _RestrictedRandom()
    return ns


def test_models_use_only_shared_functions():
    xp = restricted_numpy()
    assert R.fixed(4, stocks=0.05, xp=xp)["stocks"].shape == (1, 4)
    assert R.historical(10, 1966, xp=xp)["bonds"].shape == (1, 10)
    assert R.historical_all(40, xp=xp)["bills"].shape == (59, 40)
    np.testing.assert_array_equal(R.bootstrap(50, 20, seed=4, block=3, xp=xp)["stocks"],
                                  R.bootstrap(50, 20, seed=4, block=3)["stocks"])
    np.testing.assert_array_equal(R.lognormal(50, 20, seed=4, xp=xp)["inflation"],
                                  R.lognormal(50, 20, seed=4)["inflation"])


def test_models_on_cupy():
    cupy = pytest.importorskip("cupy", reason="CuPy is not installed (no GPU here): the NumPy runs "
                               "and the restricted-namespace test cover the same code")
    from dist401k.planner import risk

    p = R.lognormal(100_000, 2, seed=1, xp=cupy)
    assert isinstance(p["stocks"], cupy.ndarray)
    mu, cov = R.history_log_moments()
    _check_moments({k: cupy.asnumpy(v) for k, v in p.items()}, mu, cov, 200_000)
    b = R.bootstrap(1000, 30, seed=2, block=2, xp=cupy)
    drawn = set(zip(*(cupy.asnumpy(b[k]).ravel() for k in R.ASSETS), strict=True))
    assert drawn <= _history_rows()
    h = R.historical(30, 1966, xp=cupy)
    np.testing.assert_array_equal(cupy.asnumpy(h["stocks"]), R.historical(30, 1966)["stocks"])
    port = R.portfolio_return(b, 0.6)
    out = risk.simulate_balance(1_000_000.0, 40_000.0, port, b["inflation"])
    assert isinstance(out["balance"], cupy.ndarray)
    ref = risk.simulate_balance(1_000_000.0, 40_000.0, cupy.asnumpy(port), cupy.asnumpy(b["inflation"]))
    np.testing.assert_allclose(cupy.asnumpy(out["balance"]), ref["balance"], rtol=1e-10)
    assert risk.success_rate(out["shortfall"]) == risk.success_rate(ref["shortfall"])
    np.testing.assert_allclose(cupy.asnumpy(risk.percentiles(out["balance"])),
                               risk.percentiles(ref["balance"]), rtol=1e-10)
