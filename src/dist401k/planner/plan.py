"""The drawdown plan: every strategy priced exactly, the optimum, and the market risk.

``make_plan(household)`` answers *how should I draw it all down?*: it solves the optimiser,
then runs each strategy through the exact simulator (the tax engine every year) on the fixed
returns of the case, finds for each the highest constant after-tax spending that lasts and
leaves the bequest (objective ``max_spending``) or the estate at the case's spending
(``max_estate``), and runs each through Monte Carlo paths for its success rate and spreads.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dist401k.law.loader import Law, default_law
from dist401k.planner import longevity, risk
from dist401k.planner import returns as market
from dist401k.planner.claiming import ClaimingSearch, search_claiming, with_claim_ages
from dist401k.planner.household import Household, with_horizon
from dist401k.planner.lp import Solution, optimise
from dist401k.planner.simulate import Policy, Result, simulate
from dist401k.planner.survivors import PathLives, path_lives
from dist401k.planner.timeline import Timeline, build_timeline

SEARCH_FLOOR = 1e3  # dollars a year: the smallest upper end the spending search starts from

#: What a strategy's Monte Carlo success rate measures it against (the JSON says which).
MEASURED_AGAINST = {
    False: "its own constant spending, every year",
    True: "its own payment of each year on the case's fixed returns",
}

STRATEGIES = {
    "order": "Taxable first, then pre-tax, then Roth",
    "systematic": "Systematic withdrawals ({rate:.1%} a year)",
    "fill": "Fill the {bracket:.0%} bracket with Roth conversions",
    "optimal": "Optimum (linear programme)",
}


@dataclass
class StrategyOutcome:
    key: str
    label: str
    spending_real: float  # constant after-tax spending, start-year dollars (mean for systematic)
    lifetime_tax: float  # federal income tax + 72(t), nominal
    lifetime_tax_real: float  # the same in start-year dollars
    irmaa: float  # nominal
    conversions: float  # nominal
    estate_real: float  # after-tax estate, start-year dollars
    shortfall: float  # unmet spending, nominal (0 when the plan lasts)
    result: Result
    policy: Policy
    monte_carlo: dict = field(default_factory=dict)


@dataclass
class PlanResult:
    household: Household
    timeline: Timeline
    solution: Solution
    strategies: list[StrategyOutcome]
    inflation: float
    law_version: str
    seconds: float
    claiming: ClaimingSearch | None = None


def fixed_returns(hh: Household, law: Law, years: int, paths: int = 1) -> dict:
    """The case's deterministic returns, repeated ``paths`` times."""
    m = hh.market
    infl = law.inflation if m.inflation is None else m.inflation
    one = market.fixed(years, stocks=m.stocks, bonds=m.bonds, bills=m.cash, inflation=infl)
    return {k: np.repeat(v, paths, axis=0) for k, v in one.items()}


def _policy(key: str, hh: Household, sol: Solution) -> Policy:
    s = hh.strategy
    if key == "optimal":
        return Policy("schedule", conversions=sol.conversions,
                      pretax_withdrawals=sol.pretax_withdrawals,
                      other_withdrawals=np.vstack([sol.cash_withdrawals, sol.taxable_withdrawals,
                                                   sol.roth_withdrawals]),
                      label=STRATEGIES[key])
    if key == "fill":
        return Policy("fill", fill_rate=s.fill_bracket, max_conversion=s.max_conversion,
                      label=STRATEGIES[key].format(bracket=s.fill_bracket))
    if key == "systematic":
        return Policy("systematic", systematic_rate=s.systematic_rate,
                      label=STRATEGIES[key].format(rate=s.systematic_rate))
    return Policy("order", label=STRATEGIES[key])


def _feasible(hh: Household, res: Result) -> np.ndarray:
    return (res["shortfall"].sum(axis=1) < 1.0) & (res.estate_real >= hh.spending.bequest - 1.0)


def max_spending(hh: Household, tl: Timeline, law: Law, policy: Policy, guess: float) -> float:
    """The highest constant real spending the policy sustains on the case's fixed returns,
    leaving the bequest: a vectorised search (each candidate one path of one simulation)."""
    lo, hi = 0.0, max(guess, SEARCH_FLOOR) * 1.6
    for _ in range(3):
        cand = np.linspace(lo, hi, 41)
        res = simulate(hh, tl, law, fixed_returns(hh, law, tl.T, cand.size), policy, cand)
        ok = _feasible(hh, res)
        if not ok.any():
            return 0.0
        k = int(np.nonzero(ok)[0].max())
        if k == cand.size - 1:
            lo, hi = cand[k], cand[k] * 2
            continue
        lo, hi = cand[k], cand[k + 1]
        if hi - lo < 1.0:
            break
    return float(lo)


def _outcome(key, hh, tl, law, policy, spending, infl) -> StrategyOutcome:
    res = simulate(hh, tl, law, fixed_returns(hh, law, tl.T), policy, np.array([spending]))
    price = (1 + infl) ** np.arange(tl.T)
    tax = res["income_tax"][0]
    spent = res["spending"][0] / price
    spend = float(spent.mean()) if key == "systematic" else float(spending)
    return StrategyOutcome(key, policy.label, spend, float(tax.sum()), float((tax / price).sum()),
                           float(res["irmaa"][0].sum()), float(res["conversion"][0].sum()),
                           float(res.estate_real[0]), float(res["shortfall"][0].sum()), res,
                           policy)


def make_plan(hh: Household, law: Law | None = None, monte_carlo: bool = True,
              paths: int | None = None) -> PlanResult:
    """Solve, compare and (optionally) stress the strategies of a drawdown case."""
    t0 = time.perf_counter()
    law = law or default_law()
    hh = with_horizon(hh)
    claiming = None
    if hh.strategy.search_claiming:
        claiming = search_claiming(hh, law, lambda cand: exact_figures(cand, law))
        if claiming is not None:
            hh = with_claim_ages(hh, claiming.best)
    tl = build_timeline(hh, law)
    infl = law.inflation if hh.market.inflation is None else hh.market.inflation
    objective = hh.strategy.objective
    sol = optimise(hh, tl, law, objective=objective,
                   spending_real=hh.spending.annual if objective == "max_estate" else None)
    outcomes = []
    for key in ("order", "systematic", "fill", "optimal"):
        if key == "fill" and not hh.strategy.roth_conversions:
            continue
        pol = _policy(key, hh, sol)
        if objective == "max_spending" and key != "systematic":
            spend = max_spending(hh, tl, law, pol, sol.spending_real)
        elif key == "systematic":
            spend = hh.spending.annual  # its need: what it must pay for
        else:
            spend = hh.spending.annual if objective == "max_estate" else sol.spending_real
        outcomes.append(_outcome(key, hh, tl, law, pol, spend, infl))
    if monte_carlo:
        _monte_carlo(hh, tl, law, sol, outcomes, paths or hh.monte_carlo.paths, infl)
    return PlanResult(hh, tl, sol, outcomes, infl, law.version, time.perf_counter() - t0,
                      claiming)


def _monte_carlo(hh: Household, tl: Timeline, law: Law, sol: Solution,
                 outcomes: list[StrategyOutcome], n: int, infl: float) -> None:
    """Each strategy over the market paths (and, with random lifetimes, a draw of lifetimes
    per path): its success rate and spreads, stored on the outcome."""
    lives = None
    mc_tl = tl
    if hh.monte_carlo.lifetimes == "random":
        mc_tl = lifetime_timeline(hh, tl, law)
    rets = _paths(hh, mc_tl.T, n)
    n = rets["stocks"].shape[0]  # historical paths: one per start year
    if hh.monte_carlo.lifetimes == "random":
        lives = draw_lives(hh, mc_tl, law, n)
    price = np.concatenate([np.ones((n, 1)), np.cumprod(1 + rets["inflation"], axis=1)],
                           axis=1)[:, : mc_tl.T]
    for o in outcomes:
        pol = o.policy
        if o.key == "optimal":
            # On random markets the optimiser's conversions are kept and the spending is
            # drawn in the usual order (its fixed-return withdrawals would not fit); no
            # conversions after its last year.
            conv = _same_pools(_pad_years(sol.conversions, mc_tl.T), tl, mc_tl)
            pol = Policy("schedule", conversions=conv, pretax_withdrawals=np.zeros_like(conv),
                         label=pol.label)
        res = simulate(hh, mc_tl, law, rets, pol, o.spending_real, lives=lives)
        total = (res["pretax_balance"] + res["roth_balance"] + res["taxable_balance"]
                 + res["cash_balance"]) / price
        spent = res["spending"] / price
        if lives is not None:
            # A path ends at its last death; the years shown end with the last path.
            last = int(np.nonzero(lives.anyone.any(axis=0))[0].max()) + 1
            total = np.where(lives.anyone, total, np.nan)[:, :last]
            spent = np.where(lives.anyone, spent, np.nan)
        o.monte_carlo = dict(
            paths=n, model=hh.monte_carlo.model,
            success_rate=risk.success_rate(_own_shortfall(o, res, price, infl, lives)),
            measured_against=MEASURED_AGAINST[o.key == "systematic"],
            spending_percentiles=dict(zip(("p5", "p25", "p50", "p75", "p95"), np.percentile(
                (spent.mean(axis=1) if lives is None else np.nanmean(spent, axis=1)),
                [5, 25, 50, 75, 95]).tolist(), strict=True)),
            estate_percentiles=dict(zip(("p5", "p25", "p50", "p75", "p95"), np.percentile(
                res.estate_real, [5, 25, 50, 75, 95]).tolist(), strict=True)),
            balance_paths=total,
        )
        if lives is not None:
            o.monte_carlo.update(lifetimes="random", years=[int(mc_tl.years[0]),
                                                            int(mc_tl.years[last - 1])])


#: Random lifetimes run the paths until the household is outlived with this probability;
#: the few paths on which someone lives longer are judged through that year.
LIFETIME_GRID_SURVIVAL = 0.99


def lifetime_timeline(hh: Household, tl: Timeline, law: Law) -> Timeline:
    """The timeline of the random-lifetime paths: everyone alive to its last year — the later
    of the plan's last year and the year the household is outlived with probability
    ``LIFETIME_GRID_SURVIVAL`` (at most the last year of law)."""
    years = np.arange(hh.start_year, longevity.last_possible_year(hh.people) + 1)
    either = longevity.household_survival(longevity.household_q(hh.people, years))["either"]
    last = max(int(tl.years[-1]), longevity.survival_horizon(either, years,
                                                              LIFETIME_GRID_SURVIVAL))
    last = min(last, law.known_years[1])
    everyone = hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": last - p.birth_date.year}) for p in hh.people]})
    return build_timeline(everyone, law, keep_iras=True)


def draw_lives(hh: Household, tl: Timeline, law: Law, paths: int) -> PathLives:
    """Each person's year of death on each path, drawn from SSA's death probabilities by sex
    and year of birth (seeded by the case's Monte Carlo seed), and what follows from it."""
    q = longevity.household_q(hh.people, tl.years)
    return path_lives(hh, tl, law, longevity.sample_death_years(q, paths, hh.monte_carlo.seed))


def _pad_years(a: np.ndarray, T: int) -> np.ndarray:
    """``a`` (K, T0) with zeros for the years after its own, to ``T`` years."""
    a = np.asarray(a, float)
    return np.pad(a, ((0, 0), (0, max(T - a.shape[1], 0))))[:, :T]


def _same_pools(a: np.ndarray, tl: Timeline, other: Timeline) -> np.ndarray:
    """``a`` (K, T), one row a pool of ``tl``, laid out on the pools of ``other`` (a timeline
    of the same household that keeps more pools): zero for a pool ``tl`` has not."""
    if other.pools == tl.pools:
        return a
    out = np.zeros((other.pools, a.shape[1]))
    rows = np.searchsorted(other.pool_source, tl.pool_source)
    out[rows] = a
    return out


def exact_figures(hh: Household, law: Law) -> dict:
    """The optimum of ``hh`` priced by the exact simulator on the case's fixed returns: its
    most spending that lasts (objective max_spending) or its estate at the case's spending,
    its lifetime tax (today's $) and IRMAA (nominal)."""
    tl = build_timeline(hh, law)
    max_estate = hh.strategy.objective == "max_estate"
    sol = optimise(hh, tl, law, spending_real=hh.spending.annual if max_estate else None)
    pol = _policy("optimal", hh, sol)
    spend = hh.spending.annual if max_estate else max_spending(hh, tl, law, pol,
                                                               sol.spending_real)
    infl = law.inflation if hh.market.inflation is None else hh.market.inflation
    o = _outcome("optimal", hh, tl, law, pol, spend, infl)
    return {"spending_real": o.spending_real, "estate_real": o.estate_real,
            "lifetime_tax_real": o.lifetime_tax_real, "irmaa": o.irmaa}


def _own_shortfall(o: StrategyOutcome, res: Result, price: np.ndarray, infl: float,
                   lives: PathLives | None = None):
    """What a strategy failed to pay on each path and year, measured against what it itself
    pays: its constant spending, or — the systematic strategy, whose payments follow the
    markets — its own payment of that year on the case's fixed returns (start-year dollars
    both; with random lifetimes its last year's payment after the plan's end, and nothing
    owed once everyone has died)."""
    if o.key != "systematic":
        return res["shortfall"]
    fixed = o.result["spending"][0]
    T = price.shape[1]
    own = np.concatenate([fixed, np.full(max(T - fixed.size, 0), fixed[-1])])[:T]
    own = own / (1 + infl) ** np.arange(T)
    short = np.maximum(own[None, :] - res["spending"] / price, 0.0)
    return short if lives is None else np.where(lives.anyone, short, 0.0)


def _paths(hh: Household, years: int, n: int) -> dict:
    mc = hh.monte_carlo
    if mc.model == "lognormal":
        return market.lognormal(n, years, seed=mc.seed)
    if mc.model == "historical":
        return market.historical_all(years)
    return market.bootstrap(n, years, seed=mc.seed)


def year_table(plan: PlanResult, key: str = "optimal") -> list[dict]:
    """The year-by-year rows of one strategy on the case's fixed returns (nominal dollars)."""
    o = next(s for s in plan.strategies if s.key == key)
    r = o.result
    tl = plan.timeline
    cols = ("wages", "pension", "social_security", "rmd", "pretax_withdrawal", "conversion",
            "roth_withdrawal", "taxable_withdrawal", "cash_withdrawal", "deposit", "agi",
            "taxable_income", "income_tax", "additional_tax_72t", "irmaa", "spending",
            "shortfall", "pretax_balance", "roth_balance", "taxable_balance", "cash_balance",
            "marginal_bracket")
    if plan.household.charity.annual > 0:
        cols += ("qcd", "charity")
    rows = []
    for t in range(tl.T):
        row = {"year": int(tl.years[t]), "ages": [int(a) for a in tl.age[:, t]],
               "filing_status": "married_joint" if tl.filing_status[t] == 1 else "single"}
        for c in cols:
            v = float(r[c][0, t])
            row[c] = round(v, 4) if c == "marginal_bracket" else round(v, 2)
        if key == "optimal":
            row["rmd_binds"] = bool(plan.solution.rmd_binds[t])
            row["shadow_price"] = round(float(plan.solution.marginal_value[t]), 4)
        rows.append(row)
    return rows


def _monte_carlo_json(mc: dict) -> dict:
    """The Monte Carlo summary, with the 5th–95th percentiles of the total balance (today's
    dollars) in each year across the paths, for a fan chart."""
    out = {k: v for k, v in mc.items() if k != "balance_paths"}
    if "balance_paths" in mc:
        # Random lifetimes: the paths on which someone is still alive (NaN after the last
        # death); every year of the paths has some.
        paths = np.asarray(mc["balance_paths"], dtype=float)
        cut = np.nanpercentile if np.isnan(paths).any() else np.percentile
        cuts = cut(paths, [5, 25, 50, 75, 95], axis=0)
        out["balance_percentiles_by_year"] = {
            k: [round(float(v), 2) for v in row] for k, row in
            zip(("p5", "p25", "p50", "p75", "p95"), cuts, strict=True)}
    return out


def charity_json(plan: PlanResult) -> dict:
    """The charitable gift of each strategy (nominal dollars): what qualified charitable
    distributions paid (IRC §408(d)(8)) and the whole gift — present only where the case
    gives to charity, so that a case without a gift keeps its JSON."""
    hh = plan.household
    if hh.charity.annual <= 0:
        return {}
    return {"charity": {
        "annual": hh.charity.annual, "qcd_allowed": hh.charity.qcd,
        "strategies": {o.key: {"qcd": round(float(o.result["qcd"][0].sum()), 2),
                               "given": round(float(o.result["charity"][0].sum()), 2)}
                       for o in plan.strategies}}}


def longevity_json(plan: PlanResult) -> dict:
    """The probability that each person, both and either are alive in each year, from SSA's
    death probabilities, with the plan's lifetimes and horizon — present only where every
    person's sex is given, so that a case without it keeps its JSON."""
    hh = plan.household
    if any(p.sex is None for p in hh.people):
        return {}
    return {"longevity": {
        "lifetimes": hh.monte_carlo.lifetimes,
        "horizon": None if hh.horizon is None else {
            "survival": hh.horizon.survival,
            "ages": [p.life_expectancy for p in hh.people],
            "last_year": int(plan.timeline.years[-1])},
        **longevity.survival_table(hh.people, hh.start_year)}}


def plan_json(plan: PlanResult) -> dict:
    """Stable JSON for the CLI and the API."""
    hh = plan.household
    sol = plan.solution
    return {
        "case_id": hh.id,
        "law_version": plan.law_version,
        "objective": hh.strategy.objective,
        "years": [int(plan.timeline.years[0]), int(plan.timeline.years[-1])],
        "inflation": plan.inflation,
        "optimiser": {"spending_real": round(sol.spending_real, 2),
                      "estate_real": round(sol.estate_real, 2), "passes": sol.passes,
                      "seconds": round(sol.seconds, 4), "status": sol.status},
        "strategies": [
            {"key": o.key, "label": o.label, "spending_real": round(o.spending_real, 2),
             "lifetime_tax": round(o.lifetime_tax, 2),
             "lifetime_tax_real": round(o.lifetime_tax_real, 2), "irmaa": round(o.irmaa, 2),
             "roth_conversions": round(o.conversions, 2), "estate_real": round(o.estate_real, 2),
             "shortfall": round(o.shortfall, 2),
             "monte_carlo": _monte_carlo_json(o.monte_carlo)}
            for o in plan.strategies],
        **charity_json(plan),
        **longevity_json(plan),
        **({"claiming": {"claim_ages": list(plan.claiming.best),
                         "candidates": plan.claiming.candidates,
                         "compared": plan.claiming.compared}} if plan.claiming else {}),
        "table": year_table(plan, "optimal"),
        "seconds": round(plan.seconds, 3),
    }
