"""Market return and inflation paths for the drawdown planner.

Every model answers the same question: *for each simulated path and each future year, what
did stocks, bonds and bills return, and what was inflation?*  The answer is a dict of arrays
shaped ``(paths, years)`` holding **fractions** (0.07, not 7) under the keys ``"stocks"``,
``"bonds"``, ``"bills"`` and ``"inflation"``.

Models:

- :func:`fixed` — one deterministic path (constant or given per year);
- :func:`historical` — the sequence that began in one historical year; :func:`historical_all`
  every such sequence that fits inside the data (no wrapping);
- :func:`bootstrap` — whole historical years drawn with replacement (a year's stocks, bonds,
  bills and inflation stay together, keeping their correlation), optionally in blocks of
  consecutive years;
- :func:`lognormal` — ``log(1 + r)`` multivariate normal, by default with the means and
  covariance of the historical data.

The history is Aswath Damodaran's "Historical Returns on Stocks, Bonds and Bills" (NYU Stern),
shipped in ``planner/data/`` (see its README).  "bonds" are 10-year Treasury notes by default;
``bonds="baa"`` uses Baa corporate bonds instead.

The functions are written against an array namespace ``xp``: NumPy by default, CuPy when
``xp=cupy`` is passed.  Only functions the two share are used; random numbers come from
:func:`rng`.  The same seed gives the same paths on the same backend, not across backends.
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy

DATA_FILE = Path(__file__).parent / "data" / "us_annual_returns_1928_2025.csv"

#: The keys of every paths dict, in the order used for means and covariances.
ASSETS: tuple[str, ...] = ("stocks", "bonds", "bills", "inflation")

#: Column of the CSV for each series ``load_history`` returns.
COLUMNS: dict[str, str] = {
    "stocks": "S&P 500",
    "baa": "Bonds Baa",
    "real_estate": "real estate",
    "bills": "T-Bills",
    "notes": "T-Notes",
    "inflation": "Inflation",
}

#: What "bonds" may stand for: 10-year Treasury notes or Baa corporate bonds.
BOND_SERIES: tuple[str, ...] = ("notes", "baa")


# -- array namespace ---------------------------------------------------------------------------


def namespace_of(x: Any):
    """The array module (``numpy`` or ``cupy``) that owns array ``x``; NumPy for anything else."""
    module = type(x).__module__.split(".")[0]
    if module == "cupy":
        import cupy

        return cupy
    return numpy


def rng(xp=numpy, seed: int | None = None):
    """A random generator of namespace ``xp``: ``numpy.random.default_rng(seed)`` or
    ``cupy.random.default_rng(seed)``."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, numpy.integer))):
        raise ValueError(f"seed must be an integer, not {seed!r}")
    return xp.random.default_rng(None if seed is None else int(seed))


# -- the data ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _read_file() -> dict[str, numpy.ndarray]:
    with open(DATA_FILE, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("year", *COLUMNS.values()) if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{DATA_FILE.name}: missing column(s) {missing}")
        rows = list(reader)
    out: dict[str, numpy.ndarray] = {"year": numpy.array([int(r["year"]) for r in rows], dtype=numpy.int64)}
    for key, column in COLUMNS.items():
        out[key] = numpy.array([float(r[column]) for r in rows]) / 100.0
    years = out["year"]
    if len(years) == 0 or numpy.any(numpy.diff(years) != 1):
        raise ValueError(f"{DATA_FILE.name}: years must be consecutive")
    for v in out.values():
        v.setflags(write=False)
    return out


def history_years() -> tuple[int, int]:
    """The first and last year of the shipped history."""
    years = _read_file()["year"]
    return int(years[0]), int(years[-1])


def load_history(first: int | None = None, last: int | None = None) -> dict[str, numpy.ndarray]:
    """The historical annual returns and inflation of years ``first``..``last`` (inclusive;
    by default the whole shipped history).

    Returns NumPy arrays of fractions keyed ``"year"``, ``"stocks"`` (S&P 500 with dividends),
    ``"baa"`` (Baa corporate bonds), ``"real_estate"``, ``"bills"`` (3-month T-bills),
    ``"notes"`` (10-year T-notes) and ``"inflation"`` (CPI).
    """
    lo, hi = history_years()
    first, last = int(lo if first is None else first), int(hi if last is None else last)
    if not lo <= first <= last <= hi:
        raise ValueError(f"history years {first}–{last} are outside the data ({lo}–{hi}) "
                         "or in the wrong order")
    data = _read_file()
    sl = slice(first - lo, last - lo + 1)
    return {k: v[sl].copy() for k, v in data.items()}


def _check_bonds(bonds: str) -> None:
    if bonds not in BOND_SERIES:
        raise ValueError(f"bonds must be one of {BOND_SERIES}, not {bonds!r}")


def _asset_matrix(bonds: str = "notes", first: int | None = None, last: int | None = None) -> numpy.ndarray:
    """History as a (years, 4) NumPy matrix of fractions in the order of :data:`ASSETS`."""
    _check_bonds(bonds)
    h = load_history(first, last)
    return numpy.stack([h["stocks"], h[bonds], h["bills"], h["inflation"]], axis=1)


def _to_dict(xp, matrix) -> dict[str, Any]:
    """(paths, years, 4) array → the paths dict of contiguous (paths, years) arrays."""
    return {name: xp.ascontiguousarray(matrix[..., i]) for i, name in enumerate(ASSETS)}


def _check_count(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, numpy.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}, not {value!r}")
    return int(value)


# -- models ------------------------------------------------------------------------------------


def fixed(years: int, *, stocks: Any = 0.0, bonds: Any = 0.0, bills: Any = 0.0,
          inflation: Any = 0.0, xp=numpy) -> dict[str, Any]:
    """One deterministic path: each series a constant rate or a per-year sequence of
    ``years`` rates (fractions).  Arrays are shaped (1, years)."""
    years = _check_count("years", years)
    out = {}
    for name, value in (("stocks", stocks), ("bonds", bonds), ("bills", bills),
                        ("inflation", inflation)):
        arr = numpy.asarray(value, dtype=float)
        if arr.ndim == 0:
            arr = numpy.full(years, float(arr))
        if arr.shape != (years,):
            raise ValueError(f"{name} must be a number or a sequence of {years} yearly rates, "
                             f"not an array shaped {arr.shape}")
        if not numpy.all(numpy.isfinite(arr)) or numpy.any(arr <= -1.0):
            raise ValueError(f"{name} rates must be finite fractions above -1 (0.05 for 5%)")
        out[name] = xp.asarray(arr.reshape(1, years))
    return out


def start_years(years: int) -> list[int]:
    """The historical start years whose ``years``-long sequence fits in the data (no wrapping):
    path ``i`` of :func:`historical_all` starts in ``start_years(years)[i]``."""
    years = _check_count("years", years)
    lo, hi = history_years()
    last_start = hi - years + 1  # the sequence's last year is the data's last
    return list(range(lo, last_start + 1))


def historical(years: int, start_year: int, *, bonds: str = "notes", xp=numpy) -> dict[str, Any]:
    """The historical sequence of ``years`` years that began in ``start_year``, as one path
    (arrays shaped (1, years))."""
    years = _check_count("years", years)
    lo, hi = history_years()
    start_year = int(start_year)
    if start_year < lo or start_year + years - 1 > hi:
        raise ValueError(f"a {years}-year historical sequence starting in {start_year} does not "
                         f"fit in the data ({lo}–{hi}); the latest start is {hi - years + 1}")
    m = _asset_matrix(bonds, start_year, start_year + years - 1)
    return _to_dict(xp, xp.asarray(m[None, :, :]))


def historical_all(years: int, *, bonds: str = "notes", xp=numpy) -> dict[str, Any]:
    """Every historical sequence of ``years`` years that fits in the data, one path per start
    year (see :func:`start_years`); arrays shaped (starts, years)."""
    starts = start_years(years)
    if not starts:
        lo, hi = history_years()
        raise ValueError(f"{years} years is longer than the data ({lo}–{hi}, {hi - lo + 1} years)")
    m = _asset_matrix(bonds)
    idx = numpy.arange(len(starts))[:, None] + numpy.arange(years)[None, :]
    return _to_dict(xp, xp.asarray(m[idx]))


def bootstrap(paths: int, years: int, seed: int | None, block: int = 1, *, bonds: str = "notes",
              first: int | None = None, last: int | None = None, xp=numpy) -> dict[str, Any]:
    """``paths`` paths of ``years`` years made of whole historical years drawn with replacement.

    Each drawn year brings its stocks, bonds, bills and inflation together.  With ``block`` > 1
    the draws are runs of ``block`` consecutive historical years (a moving-block bootstrap, runs
    never wrap past the last year), which keeps some of the serial dependence.  ``first`` and
    ``last`` restrict the years drawn from.
    """
    paths = _check_count("paths", paths)
    years = _check_count("years", years)
    block = _check_count("block", block)
    m = _asset_matrix(bonds, first, last)
    n = m.shape[0]
    if block > n:
        raise ValueError(f"block of {block} years is longer than the {n} years drawn from")
    g = rng(xp, seed)
    blocks = -(-years // block)
    starts = g.integers(0, n - block + 1, size=(paths, blocks))
    idx = (starts[:, :, None] + xp.arange(block)[None, None, :]).reshape(paths, blocks * block)
    idx = idx[:, :years]
    hist = xp.asarray(m)
    return {name: hist[:, i][idx] for i, name in enumerate(ASSETS)}


def history_log_moments(bonds: str = "notes", first: int | None = None,
                        last: int | None = None) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Mean vector and covariance matrix (sample, ``ddof=1``) of ``log(1 + r)`` of the
    historical stocks, bonds, bills and inflation, in the order of :data:`ASSETS`."""
    x = numpy.log1p(_asset_matrix(bonds, first, last))
    return x.mean(axis=0), numpy.cov(x, rowvar=False, ddof=1)


def _factor(cov: numpy.ndarray) -> numpy.ndarray:
    """A matrix L with L @ L.T == cov (Cholesky, or an eigen factor when cov is singular)."""
    try:
        return numpy.linalg.cholesky(cov)
    except numpy.linalg.LinAlgError:
        w, v = numpy.linalg.eigh(cov)
        if w.min() < -1e-10 * max(1.0, abs(w).max()):
            raise ValueError("the covariance (vols and correlation) is not positive "
                             "semi-definite") from None
        return v * numpy.sqrt(numpy.clip(w, 0.0, None))


def lognormal(paths: int, years: int, seed: int | None, *, mean: Any = None, vol: Any = None,
              corr: Any = None, bonds: str = "notes", xp=numpy) -> dict[str, Any]:
    """``paths`` paths of ``years`` years with ``log(1 + r)`` of stocks, bonds, bills and
    inflation drawn each year from a multivariate normal, independent across years.

    By default the mean and covariance are those of the historical data 1928–2025
    (:func:`history_log_moments`).  ``mean`` and ``vol`` (4 numbers each, of ``log(1 + r)``, in
    the order of :data:`ASSETS`) and ``corr`` (4×4) replace the historical values; any left out
    keep them.
    """
    paths = _check_count("paths", paths)
    years = _check_count("years", years)
    mu, cov = history_log_moments(bonds)
    sd = numpy.sqrt(numpy.diag(cov))
    r = cov / numpy.outer(sd, sd)
    k = len(ASSETS)
    if mean is not None:
        mu = numpy.asarray(mean, dtype=float)
        if mu.shape != (k,):
            raise ValueError(f"mean must give {k} numbers ({', '.join(ASSETS)}), not shape {mu.shape}")
    if vol is not None:
        sd = numpy.asarray(vol, dtype=float)
        if sd.shape != (k,) or numpy.any(sd < 0):
            raise ValueError(f"vol must give {k} non-negative numbers ({', '.join(ASSETS)})")
    if corr is not None:
        r = numpy.asarray(corr, dtype=float)
        if (r.shape != (k, k) or not numpy.allclose(r, r.T) or not numpy.allclose(numpy.diag(r), 1)
                or numpy.any(numpy.abs(r) > 1)):
            raise ValueError(f"corr must be a symmetric {k}×{k} matrix with ones on the diagonal "
                             "and entries in [-1, 1]")
    if not (numpy.all(numpy.isfinite(mu)) and numpy.all(numpy.isfinite(sd))):
        raise ValueError("mean and vol must be finite")
    chol = _factor(r * numpy.outer(sd, sd))
    g = rng(xp, seed)
    z = g.standard_normal((k, paths, years))
    out = {}
    for i, name in enumerate(ASSETS):
        x = z[0] * float(chol[i, 0]) + float(mu[i])
        for j in range(1, k):
            if chol[i, j] != 0.0:
                x += z[j] * float(chol[i, j])
        out[name] = xp.exp(x) - 1.0
    return out


# -- portfolios --------------------------------------------------------------------------------


def net_of_fee(r: Any, fee: float) -> Any:
    """The return ``r`` (a number or an array of fractions) net of a yearly fee ``fee`` charged
    as a share of the year-end value: ``(1 + r)(1 − fee) − 1``.  A fee of 0 gives ``r`` itself
    (the same object: no rounding of the gross return).

    The returns of every model are index returns before any cost; a fund's expense ratio and
    an advisory fee are charged on the money invested as the year goes, so the year's growth
    factor is ``1 − fee`` times the gross one (never below zero: ``fee`` < 1)."""
    if not 0.0 <= fee < 1.0:  # also NaN
        raise ValueError(f"fee must be a fraction in [0, 1) (0.01 for 1%), not {fee!r}")
    if fee == 0.0:
        return r
    return (1.0 + r) * (1.0 - fee) - 1.0


def portfolio_return(paths: dict[str, Any], stock_share: Any, fee: float = 0.0) -> Any:
    """The return of a portfolio holding ``stock_share`` in stocks and the rest in bonds,
    rebalanced each year, net of a yearly ``fee`` (:func:`net_of_fee`): an array shaped like
    ``paths["stocks"]``.

    ``stock_share`` is a fraction in [0, 1]: one number, one per year (shape (years,)), or one
    per path and year (shape (paths, years)).
    """
    stocks, bonds = paths["stocks"], paths["bonds"]
    xp = namespace_of(stocks)
    share = xp.asarray(stock_share, dtype=float)
    if share.ndim > 2 or (share.ndim >= 1 and share.shape[-1] not in (1, stocks.shape[-1])) or (
            share.ndim == 2 and share.shape[0] not in (1, stocks.shape[0])):
        raise ValueError(f"stock_share must be a number, one per year ({stocks.shape[-1]}) or one "
                         f"per path and year {tuple(stocks.shape)}, not shape {tuple(share.shape)}")
    lo, hi = float(share.min()), float(share.max())
    if math.isnan(lo) or math.isnan(hi) or lo < 0.0 or hi > 1.0:
        raise ValueError("stock_share must be a fraction between 0 and 1 (0.6 for 60%)")
    return net_of_fee(share * stocks + (1.0 - share) * bonds, fee)
