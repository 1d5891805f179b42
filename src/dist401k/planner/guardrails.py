"""Spending guardrails: rules that change a household's spending, path by path, year by year.

Two rules, each a pure array formula over the paths of a simulation (one element a path):

- **Guyton–Klinger** (J. T. Guyton and W. J. Klinger, "Decision Rules and Maximum Initial
  Withdrawal Rates", *Journal of Financial Planning*, March 2006): spending grows with last
  year's inflation (at most ``inflation_cap``) except after a year of negative portfolio
  return while the withdrawal rate is above its initial level (the *withdrawal rule*; no
  make-up later); it is cut by ``adjustment`` when the withdrawal rate is more than ``band``
  above its initial level and more than ``no_cut_final_years`` years remain (the *capital
  preservation rule*), and raised by ``adjustment`` when the rate is more than ``band`` below
  it (the *prosperity rule*).
- **Risk-based**: every ``interval`` years the chance that the path's remaining savings pay its
  spending to the end is read from a table of success by (withdrawal rate, years left), made
  once from the case's market paths; below ``success_low`` spending is cut by ``step``, above
  ``success_high`` raised by ``step``.

The withdrawal rate is the year's after-tax spending over the savings (every account, before
tax) at the start of the year.  Guardrails are spending rules a household chooses, not law:
their parameters are plan options (``guardrails`` in the plan file), never law files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.planner.returns import net_of_fee

#: The plan's strategies whose spending a guardrail sets, path by path.
GUARDRAIL_KEYS = ("guyton_klinger", "risk_guardrail")


#: The Guyton–Klinger rules' settings in the 2006 paper: guardrails 20% above and below the
#: initial withdrawal rate, each cut or raise 10% of the spending, no capital-preservation cut
#: in the last 15 years, the largest inflation raise of a year 6% (plan options, not law).
GK_BAND, GK_ADJUSTMENT, GK_NO_CUT_FINAL_YEARS, GK_INFLATION_CAP = 0.20, 0.10, 15, 0.06
#: The risk-based guardrail's usual settings: cut below a 70% success rate, raise above 95%,
#: each by 10% of the spending.
RISK_SUCCESS_LOW, RISK_SUCCESS_HIGH, RISK_STEP = 0.70, 0.95, 0.10
#: The withdrawal rates of the risk-based guardrail's success table: 0 to 50% in 0.25% steps.
RATE_GRID_TOP, RATE_GRID_POINTS = 0.5, 201


@dataclass(frozen=True)
class GuytonKlinger:
    """The Guyton–Klinger decision rules' parameters (the 2006 paper's defaults)."""

    band: float = GK_BAND  # the guardrails around the initial withdrawal rate
    adjustment: float = GK_ADJUSTMENT  # each cut or raise, a share of the spending
    no_cut_final_years: int = GK_NO_CUT_FINAL_YEARS  # no capital-preservation cut then
    inflation_cap: float = GK_INFLATION_CAP  # the largest inflation raise of a year


@dataclass(frozen=True)
class RiskBased:
    """A risk-based guardrail: keep the success rate of what is left within a band."""

    success_low: float = RISK_SUCCESS_LOW
    success_high: float = RISK_SUCCESS_HIGH
    step: float = RISK_STEP  # each cut or raise, a share of the spending
    interval: int = 1  # years between reviews


def withdrawal_rate(spending, savings) -> np.ndarray:
    """The current withdrawal rate: this year's spending over the savings at its start; an
    empty portfolio has an infinite rate (any spending is above every guardrail)."""
    spending = np.asarray(spending, float)
    savings = np.asarray(savings, float)
    with np.errstate(over="ignore"):  # a few cents left: a rate past every guardrail
        return np.divide(spending, savings, out=np.where(spending > 0, np.inf, 0.0),
                         where=savings > 0)


def guyton_klinger(prev_spending, savings, last_return, inflation, initial_rate,
                   years_left: int, rules: GuytonKlinger = GuytonKlinger()) -> np.ndarray:
    """This year's spending (nominal, per path) under the Guyton–Klinger decision rules.

    ``prev_spending``: last year's spending (nominal); ``savings``: the portfolio at the start
    of this year; ``last_return``: the portfolio's total return of last year; ``inflation``:
    last year's inflation; ``initial_rate``: the withdrawal rate of the first year;
    ``years_left``: the years of the plan left, this one included.

    Guyton & Klinger (2006): the withdrawal rule freezes the inflation raise after a year of
    negative total return when the raised withdrawal would be above the initial rate (no
    make-up later); the capital preservation rule cuts it by 10% when the current rate is more
    than 20% above the initial rate, except in the last 15 years; the prosperity rule raises
    it by 10% when the current rate is more than 20% below the initial rate.
    """
    prev = np.asarray(prev_spending, float)
    raised = prev * (1 + np.minimum(np.asarray(inflation, float), rules.inflation_cap))
    initial = np.asarray(initial_rate, float)
    frozen = (np.asarray(last_return, float) < 0) & (withdrawal_rate(raised, savings) > initial)
    spending = np.where(frozen, prev, raised)
    rate = withdrawal_rate(spending, savings)
    cut = (rate > initial * (1 + rules.band)) & (years_left > rules.no_cut_final_years)
    rise = rate < initial * (1 - rules.band)
    return spending * np.where(cut, 1 - rules.adjustment, np.where(rise, 1 + rules.adjustment,
                                                                    1.0))


def success_table(real_growth, rates) -> np.ndarray:
    """Success by (withdrawal rate, years): ``out[k, n]`` is the share of paths on which a
    portfolio of 1 paying ``rates[k]`` a year in real terms (at the start of each year, before
    that year's real growth ``real_growth[:, t]``) lasts ``n`` years (``n`` from 0 to the
    paths' years; ``out[:, 0]`` is 1)."""
    g = np.asarray(real_growth, float)  # (paths, years): 1 + the real return
    r = np.asarray(rates, float)[:, None]
    balance = np.ones((r.shape[0], g.shape[0]))
    alive = np.ones_like(balance, dtype=bool)
    out = np.ones((r.shape[0], g.shape[1] + 1))
    for t in range(g.shape[1]):
        alive &= balance >= r - 1e-12
        out[:, t + 1] = alive.mean(axis=1)
        balance = (balance - r).clip(min=0) * g[None, :, t]
    return out


def success_of(table: np.ndarray, rates: np.ndarray, rate, years_left: int) -> np.ndarray:
    """The success of paying ``rate`` for ``years_left`` more years, read from
    :func:`success_table` on its grid of ``rates`` (linear between grid points; a rate past
    the grid, an empty portfolio's infinite one included, reads the grid's last)."""
    n = min(max(int(years_left), 0), table.shape[1] - 1)
    return np.interp(np.asarray(rate, float), rates, table[:, n])


def risk_based(prev_spending, savings, inflation, years_left: int, table: np.ndarray,
               rates: np.ndarray, due: bool, rules: RiskBased = RiskBased()) -> np.ndarray:
    """This year's spending (nominal, per path) under a risk-based guardrail.

    Last year's spending grows with last year's inflation; in a review year (``due``) the
    success of paying it from ``savings`` for the ``years_left`` years is read from ``table``
    (:func:`success_table`), and spending is cut by ``step`` below ``success_low`` or raised by
    ``step`` above ``success_high``.
    """
    spending = np.asarray(prev_spending, float) * (1 + np.asarray(inflation, float))
    if not due:
        return spending
    p = success_of(table, rates, withdrawal_rate(spending, savings), years_left)
    return spending * np.where(p < rules.success_low, 1 - rules.step,
                               np.where(p > rules.success_high, 1 + rules.step, 1.0))


#: The grid of withdrawal rates of the risk-based guardrail's success table.
RATE_GRID = np.linspace(0.0, RATE_GRID_TOP, RATE_GRID_POINTS)


def mix_return(returns: dict, stock_share: float, fee: float = 0.0) -> np.ndarray:
    """The nominal return of the invested mix (stocks and bonds) on each path and year, net of
    the yearly ``fee`` (``market.fee``: :func:`~dist401k.planner.returns.net_of_fee`) — the
    return the savings the rules watch earn."""
    return net_of_fee(stock_share * returns["stocks"] + (1 - stock_share) * returns["bonds"], fee)


def real_growth(returns: dict, stock_share: float, fee: float = 0.0) -> np.ndarray:
    """1 + the real return of the invested mix, net of the yearly ``fee``, on each path and
    year."""
    return (1 + mix_return(returns, stock_share, fee)) / (1 + returns["inflation"])


class SpendingPath:
    """A guardrail as the simulator's need rule (``simulate(..., need_rule=...)``): each year
    it reads every path's savings and price level, remembers last year's spending and the
    first year's withdrawal rate, and gives the year's spending (nominal, per path).

    ``rule`` is a :class:`GuytonKlinger` or a :class:`RiskBased`; ``initial_real`` the first
    year's spending (start-year dollars); ``growth`` (paths, years) the return of the invested
    mix on the simulated paths; ``survivor_fraction`` the share a survivor spends (a death moves
    the spending, not the withdrawal rate the rules watch); ``table`` the risk-based rule's
    :func:`success_table` on :data:`RATE_GRID`.

    ``schedule`` (a case's ``spending.changes`` and ``expenses``: the profile, the expenses in
    today's and in nominal dollars, one entry a year): the profile moves the spending as a
    death does — the rules adjust the base spending and watch its withdrawal rate — and the
    expenses are paid on top of the rule's spending, outside its withdrawal rate; Guyton–
    Klinger's guardrails follow the profile (:meth:`_planned_rate`).
    """

    def __init__(self, rule, initial_real: float, growth: np.ndarray,
                 survivor_fraction: float = 1.0, table: np.ndarray | None = None,
                 schedule: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None):
        self.rule = rule
        self.initial_real = float(initial_real)
        self.growth = np.asarray(growth, float)
        self.survivor_fraction = survivor_fraction
        self.table = table
        self.schedule = schedule
        self.prev: np.ndarray | None = None
        self.share: np.ndarray | None = None
        self.price: np.ndarray | None = None
        self.initial_rate: np.ndarray | None = None

    def __call__(self, state) -> np.ndarray:
        """The spending of year ``state.t`` on every path, from the savings at its start
        (``state.balances``), its price level and the year before's return."""
        savings = state.balances.invested()
        share = np.where(state.widowed, self.survivor_fraction, 1.0)
        t = state.t
        unplanned = share
        if self.schedule is not None:
            share = share * self.schedule[0][t]
        self._first(savings.shape[0])
        if t == 0 or self.prev is None or self.share is None or self.price is None:
            # (share and price are set with prev: the test narrows them for the type checker)
            self.prev = np.full(savings.shape, self.initial_real) * share * state.price
            # The rate of the spending level itself, before the profile: a first year planned
            # at 0 still sets guardrails (:meth:`_planned_rate`).
            self.initial_rate = withdrawal_rate(
                np.full(savings.shape, self.initial_real) * unplanned * state.price, savings)
        else:
            prev = self.prev * np.divide(share, self.share, out=np.zeros_like(self.prev),
                                         where=self.share > 0)
            if self.schedule is not None:  # back from a year of no spending: the first, grown
                prev = np.where(self.share > 0, prev, self.initial_real * share * state.price)
            inflation = state.price / self.price - 1
            left = self.growth.shape[1] - t
            if isinstance(self.rule, GuytonKlinger):
                self.prev = guyton_klinger(prev, savings, self.growth[:, t - 1], inflation,
                                           self._planned_rate(t), left, self.rule)
            elif self.table is None:
                raise ValueError("a risk-based guardrail needs its success table (table)")
            else:
                self.prev = risk_based(prev, savings, inflation, left, self.table, RATE_GRID,
                                       t % self.rule.interval == 0, self.rule)
        self.share = np.broadcast_to(share, savings.shape)
        self.price = state.price
        if self.schedule is None:
            return self.prev
        return self.prev + self.schedule[1][t] * state.price + self.schedule[2][t]

    def _planned_rate(self, t: int):
        """The withdrawal rate Guyton–Klinger's guardrails are set around in year ``t``: the
        first year's rate of the spending level, moved by the profile that year (a planned step
        down to half halves it; a first year planned at 0 sets no rate of 0), so that a planned
        change is not read as prosperity or distress."""
        if self.schedule is None:
            return self.initial_rate
        return self.initial_rate * self.schedule[0][t]

    def _first(self, n: int) -> None:
        """What is remembered of each path, on the first ``n`` paths alone: the simulator
        leaves the paths that have ended behind (random lifetimes drawn in order of their
        ends), and the rest keep their order."""
        if self.growth.shape[0] > n:
            self.growth = self.growth[:n]
            for k in ("prev", "share", "price", "initial_rate"):
                v = getattr(self, k)
                if v is not None and np.ndim(v):
                    setattr(self, k, v[:n])
