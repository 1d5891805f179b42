"""Summaries over simulated paths: how often the plan works, the spread of outcomes per year,
a fan chart of them, and a single-portfolio balance simulation used as a closed-form check.

The array functions work on NumPy or CuPy arrays alike (the namespace is taken from the input);
results meant for people (rates, charts) come back as Python floats and NumPy arrays.
"""

from __future__ import annotations

from typing import Any

import numpy
import plotly.graph_objects as go

from dist401k.money import HALF_CENT
from dist401k.planner.returns import namespace_of

#: The percentiles a fan chart draws: outer band, inner band, median.
FAN_PERCENTILES: tuple[float, ...] = (5, 25, 50, 75, 95)
#: A fan chart's height and top margin (pixels), and its legend's place below the plot (in
#: plot heights).
CHART_HEIGHT, CHART_TOP_MARGIN, LEGEND_BELOW = 420, 50, -0.25


def _to_numpy(x: Any) -> numpy.ndarray:
    """A NumPy copy of a NumPy or CuPy array (CuPy arrays are copied off the device)."""
    get = getattr(x, "get", None)
    if callable(get) and type(x).__module__.split(".")[0] == "cupy":
        return get()
    return numpy.asarray(x)


def _paths_by_years(name: str, x: Any, missing: bool = False):
    xp = namespace_of(x)
    x = xp.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty (paths, years) array, not shape {tuple(x.shape)}")
    nan = xp.isnan(x)
    if bool(nan.all(axis=0).any() if missing else nan.any()):
        raise ValueError(f"{name} holds NaN" + (" in every path of a year" if missing else ""))
    return xp, x


def success_rate(shortfall: Any, tolerance: float = HALF_CENT) -> float:
    """The share of paths on which spending was met every year.

    ``shortfall`` is the unmet spending, a (paths, years) array in dollars; a path succeeds
    when no year's shortfall exceeds ``tolerance`` (half a cent by default, so rounding noise
    does not count as a failure).
    """
    _, s = _paths_by_years("shortfall", shortfall)
    met = (s <= tolerance).all(axis=1)
    return float(met.sum()) / s.shape[0]


def success_rate_se(rate: float, paths: int) -> float:
    """The binomial standard error of a success rate measured on ``paths`` paths,
    ``sqrt(p (1 − p) / n)``: how far the share of successes on ``paths`` independent draws
    typically is from the true chance of success (a rate of 0 or 1 gives 0).

    A Monte Carlo success rate is a sample proportion; its error shrinks as ``1 / sqrt(n)``
    (0.72 on 1,000 paths: ±0.0142).  For a rate searched on the same paths (the spending at a
    chosen confidence) it is the size of the sampling error, not a bound on it.
    """
    p = float(rate)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"success rate must be between 0 and 1, not {rate!r}")
    if isinstance(paths, bool) or int(paths) != paths or paths < 1:
        raise ValueError(f"paths must be a whole number of at least 1, not {paths!r}")
    return float(numpy.sqrt(p * (1.0 - p) / int(paths)))


def percentiles(x: Any, q: Any = FAN_PERCENTILES, missing: bool = False) -> Any:
    """The ``q`` percentiles (0–100) of ``x`` across paths, for each year: an array shaped
    (len(q), years) in ``x``'s namespace (linear interpolation, as ``numpy.percentile``).
    ``missing``: NaN marks a path that has ended (random lifetimes), left out of its years."""
    xp, v = _paths_by_years("values", x, missing)
    qs = numpy.atleast_1d(numpy.asarray(q, dtype=float))
    if qs.ndim != 1 or numpy.any(qs < 0) or numpy.any(qs > 100):
        raise ValueError("q must be percentiles between 0 and 100")
    return (xp.nanpercentile if missing else xp.percentile)(v, xp.asarray(qs), axis=0)


def fan_chart(years: Any, values: Any, title: str, yaxis: str, *, xaxis: str = "year",
              missing: bool = False) -> go.Figure:
    """A fan chart of ``values`` (paths, years): the 5–95 and 25–75 percentile bands across
    paths and the median line, against ``years`` (the x values: calendar years or ages);
    ``missing``: NaN marks paths that have ended."""
    _, v = _paths_by_years("values", values, missing)
    x = [float(y) if not float(y).is_integer() else int(y) for y in _to_numpy(years).reshape(-1)]
    if len(x) != v.shape[1]:
        raise ValueError(f"years gives {len(x)} x values for {v.shape[1]} years of values")
    p5, p25, p50, p75, p95 = (row.tolist() for row in _to_numpy(percentiles(v, FAN_PERCENTILES,
                                                                            missing)))
    outer, inner = "rgba(31,119,180,0.18)", "rgba(31,119,180,0.38)"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=p5, mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip", name="5th percentile"))
    fig.add_trace(go.Scatter(x=x, y=p95, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=outer, name="5th–95th percentile"))
    fig.add_trace(go.Scatter(x=x, y=p25, mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip", name="25th percentile"))
    fig.add_trace(go.Scatter(x=x, y=p75, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=inner, name="25th–75th percentile"))
    fig.add_trace(go.Scatter(x=x, y=p50, mode="lines", line={"color": "rgb(31,119,180)", "width": 2},
                             name="median"))
    fig.update_layout(title=title, xaxis_title=xaxis, yaxis_title=yaxis, height=CHART_HEIGHT,
                      legend={"orientation": "h", "y": LEGEND_BELOW},
                      margin={"t": CHART_TOP_MARGIN})
    return fig


def simulate_balance(initial: Any, spending: Any, returns: Any, inflation: Any) -> dict[str, Any]:
    """What happens to one portfolio that pays for spending at the start of each year and then
    earns that year's return, on every path.

    ``initial`` is the starting balance (a number or one per path); ``spending`` is in today's
    dollars (a number or one per year) and grows along each path with that path's inflation, so
    year ``t`` needs ``spending[t] × (1 + inflation[0]) … (1 + inflation[t-1])``; ``returns`` and
    ``inflation`` are (paths, years) fractions.  When the balance cannot cover a year, what is
    left is withdrawn and the rest is the shortfall.

    Returns (paths, years) arrays ``"withdrawn"`` and ``"shortfall"`` (nominal dollars), and
    (paths, years + 1) arrays ``"balance"`` (column 0 is the initial balance, column ``t + 1``
    the balance at the end of year ``t``) and ``"price_level"`` (1 today).
    """
    xp, r = _paths_by_years("returns", returns)
    _, infl = _paths_by_years("inflation", inflation)
    paths, years = r.shape
    if infl.shape != r.shape:
        raise ValueError(f"inflation is shaped {tuple(infl.shape)}, returns {tuple(r.shape)}")
    if bool((r <= -1.0).any()) or bool((infl <= -1.0).any()):
        raise ValueError("returns and inflation are fractions above -1 (0.05 for 5%)")
    b0 = xp.asarray(initial, dtype=float)
    if b0.ndim > 1 or (b0.ndim == 1 and b0.shape[0] != paths):
        raise ValueError(f"initial must be a number or one balance per path ({paths})")
    w = xp.asarray(spending, dtype=float)
    if w.ndim > 1 or (w.ndim == 1 and w.shape[0] != years):
        raise ValueError(f"spending must be a number or one amount per year ({years})")
    if bool((b0 < 0).any()) or bool((w < 0).any()):
        raise ValueError("initial balance and spending must not be negative")
    w = w + xp.zeros(years)
    balance = xp.zeros((paths, years + 1))
    price = xp.concatenate([xp.ones((paths, 1)), xp.cumprod(1.0 + infl, axis=1)], axis=1)
    withdrawn = xp.zeros((paths, years))
    shortfall = xp.zeros((paths, years))
    balance[:, 0] = b0
    for t in range(years):
        need = w[t] * price[:, t]
        take = xp.minimum(need, balance[:, t])
        withdrawn[:, t] = take
        shortfall[:, t] = need - take
        balance[:, t + 1] = (balance[:, t] - take) * (1.0 + r[:, t])
    return {"balance": balance, "withdrawn": withdrawn, "shortfall": shortfall, "price_level": price}
