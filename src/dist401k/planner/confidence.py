"""Spending at a chosen confidence: the most a year the household can spend with, say, 90%
success over the Monte Carlo paths.

The success rate of a constant real spending is the share of market paths on which it is paid
every year (:func:`dist401k.planner.risk.success_rate`).  Every candidate is run on the same
seeded paths (common random numbers), each priced by the exact tax of every year by the
simulator; a round stacks several candidates as paths of one simulation and keeps the bracket
between the last that meets the target and the first that does not, until the bracket is
narrower than :data:`TOLERANCE` of the spending.

The answer is found in-sample: its success rate is measured on the very paths it was chosen
on, so it meets the target there by construction.  On new paths its success is the target
give or take the sampling error of a share of ``n`` paths, one standard error
``sqrt(p (1 − p) / n)`` (:func:`dist401k.planner.risk.success_rate_se`: ±0.9 points at 90% on
1,000 paths), which the plan prints beside it.  "Confidence" here is a success target, not a
statistical confidence level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Law
from dist401k.planner.household import Household
from dist401k.planner.progress import Step, quiet
from dist401k.planner.simulate import Policy, simulate
from dist401k.planner.survivors import PathLives, path_lives
from dist401k.planner.timeline import Timeline

#: Candidates a round evaluates together (stacked as paths of one simulation).
CANDIDATES = 7
#: The search stops when the bracket is narrower than this share of the spending.
TOLERANCE = 0.001
#: Unmet spending below this (dollars) is rounding, not a failure (as risk.success_rate).
SHORTFALL_TOLERANCE = 0.005
MAX_ROUNDS = 16
#: The first round spans this share of the guess to this many times it; a grid that all
#: meets the target is followed by one up to this many times its top, the next by one up to
#: this factor squared, and so on (a guess far too low is left behind in a few rounds).
SEARCH_LOW, SEARCH_HEADROOM, SEARCH_WIDEN = 0.25, 1.5, 2


def fewest_paths(target: float) -> int:
    """The fewest market paths on which a success target below 100% means anything: those on
    which it lets at least one path fail, ``n × (1 − target) ≥ 1`` — 10 at 90%, 20 at 95%.
    On fewer the search can only find the most that *every* path pays (its success rate 100%,
    its standard error 0), so the plan says so instead of giving "±0.0 points" (a hundred
    paths or more are needed before the figure is worth quoting: its standard error at 90% is
    then 3 points)."""
    return math.ceil(1.0 / (1.0 - float(target)) - 1e-9)  # 1e-9: in floating point 1 / (1 − 0.9) is 10.000…2


@dataclass
class Confidence:
    """The most constant real spending whose success rate meets ``target``."""

    target: float
    spending_real: float  # start-year dollars; 0 when even no spending fails the target
    success_rate: float  # its success rate over the paths
    next_spending_real: float  # the least spending found to miss the target
    next_success_rate: float
    tolerance: float
    simulations: int  # simulations run (each of several candidates × the paths)


def success_rates(hh: Household, tl: Timeline, law: Law, returns: dict, policy: Policy,
                  candidates, lives: PathLives | None = None) -> np.ndarray:
    """The success rate of each candidate constant real spending over the same ``returns``
    paths (with ``lives``, each path's draw of lifetimes: paid while anyone lives): the
    candidates are stacked as paths of one simulation — with lifetimes, each path's candidates
    side by side, so the paths keep the order of their last deaths."""
    cand = np.asarray(candidates, float)
    n = returns["stocks"].shape[0]
    if lives is None:
        stacked = {k: np.tile(v, (cand.size, 1)) for k, v in returns.items()}
        res = simulate(hh, tl, law, stacked, policy, np.repeat(cand, n))
        met = (res["shortfall"] <= SHORTFALL_TOLERANCE).all(axis=1)
        return met.reshape(cand.size, n).mean(axis=1)
    stacked = {k: np.repeat(v, cand.size, axis=0) for k, v in returns.items()}
    res = simulate(hh, tl, law, stacked, policy, np.tile(cand, n),
                   lives=path_lives(hh, tl, law, np.repeat(lives.death, cand.size, axis=0)))
    met = (res["shortfall"] <= SHORTFALL_TOLERANCE).all(axis=1)
    return met.reshape(n, cand.size).mean(axis=0)


def spending_at_confidence(hh: Household, tl: Timeline, law: Law,
                           paths: tuple[dict, PathLives | None], policy: Policy, target: float,
                           guess: float, step: Step = quiet) -> Confidence:
    """The largest constant real spending whose success rate over ``paths`` — the returns, and
    with random lifetimes each path's lives (as :func:`success_rates`) — is at least
    ``target``, to within :data:`TOLERANCE` of it (a bracketing search from ``guess``);
    ``step`` hears of each round (at most ``MAX_ROUNDS``)."""
    returns, lives = paths
    what = f"spending at {target:.0%} confidence"
    lo, hi = 0.0, max(float(guess), 1.0) * SEARCH_HEADROOM
    lo_rate, hi_rate = 1.0, None
    runs = 0
    a, b = max(float(guess), 1.0) * SEARCH_LOW, hi
    widen = SEARCH_WIDEN
    for _ in range(MAX_ROUNDS):
        step(what, runs, MAX_ROUNDS)
        cand = np.linspace(a, b, CANDIDATES)
        rates = success_rates(hh, tl, law, returns, policy, cand, lives)
        runs += 1
        bad = np.nonzero(rates < target)[0]
        if bad.size == 0:  # the whole grid meets it: look higher, each time twice as far
            lo, lo_rate = cand[-1], rates[-1]
            a, b = cand[-1], cand[-1] * widen
            widen *= SEARCH_WIDEN
            continue
        j = int(bad[0])
        hi, hi_rate = cand[j], rates[j]
        if j > 0:
            lo, lo_rate = cand[j - 1], rates[j - 1]
        if hi - lo <= TOLERANCE * hi:
            break
        a, b = lo, hi
        if j == 0 and lo == 0.0 and hi < 1.0:
            break
    if hi_rate is None:  # no spending tried missed the target (the rounds ran out first)
        hi, hi_rate = lo, lo_rate
    step(what, MAX_ROUNDS, MAX_ROUNDS)  # found: the rounds left are not needed
    return Confidence(target, float(lo), float(lo_rate), float(hi), float(hi_rate), TOLERANCE,
                      runs)
