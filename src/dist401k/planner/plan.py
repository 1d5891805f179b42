"""The drawdown plan: every strategy priced exactly, the optimum, and the market risk.

``make_plan(household)`` answers *how should I draw it all down?*: it solves the optimiser,
then runs each strategy through the exact simulator (the tax engine every year) on the fixed
returns of the case, finds for each the highest constant after-tax spending that lasts and
leaves the bequest (objective ``max_spending``) or the estate at the case's spending
(``max_estate``), and runs each through Monte Carlo paths for its success rate and spreads.
Where the case asks, it adds the guardrail strategies (spending rules that move each path's
spending with its markets, :mod:`~dist401k.planner.guardrails`) and the most constant spending
with a chosen success rate (:mod:`~dist401k.planner.confidence`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dist401k.compounding import growth_factors
from dist401k.errors import FieldProblem, InputError
from dist401k.explain import reason
from dist401k.law.loader import Law, default_law
from dist401k.money import CENTS, amount, cents, dollars_text
from dist401k.planner import longevity, risk
from dist401k.planner import returns as market
from dist401k.planner.claiming import (
    ClaimingSearch,
    kept_claims_text,
    not_figured_text,
    search_claiming,
    with_claim_ages,
)
from dist401k.planner.confidence import Confidence, fewest_paths, spending_at_confidence
from dist401k.planner.guardrails import (
    GUARDRAIL_KEYS,
    RATE_GRID,
    GuytonKlinger,
    RiskBased,
    SpendingPath,
    mix_return,
    real_growth,
    success_table,
)
from dist401k.planner.household import Household, with_horizon
from dist401k.planner.irmaa_appeal import work_stoppage_years
from dist401k.planner.lp import Solution, optimise
from dist401k.planner.marketplace import coverage
from dist401k.planner.medicare import medicare_months_before
from dist401k.planner.progress import Step, quiet
from dist401k.planner.simulate import Policy, Result, fill_bracket_problem, simulate, simulate_table
from dist401k.planner.survivors import PathLives, path_lives
from dist401k.planner.timeline import Timeline, build_timeline, claim_ages, inflow_schedule
from dist401k.tax.federal import TAX_PARTS
from dist401k.tax.medicaid import medicaid_income_limit
from dist401k.tax.premium_tax_credit import income_share, poverty_line

SEARCH_FLOOR = 1e3  # dollars a year: the smallest upper end the spending search starts from
#: The spending search: its first upper end this many times the guess, this many rounds of
#: this many candidates each, the upper end doubled while its top candidate still works.
SEARCH_HEADROOM = 1.6
SEARCH_ROUNDS = 3
SEARCH_POINTS = 41
SEARCH_DOUBLING = 2
#: Decimal places shown in the JSON: amounts to the cent; rates, shadow prices and the
#: optimiser's seconds to four places.
DIGITS_FINE = 4

#: What a strategy's Monte Carlo success rate measures it against (the JSON says which).
MEASURED_AGAINST = {
    "constant": "its own constant spending, every year",
    "systematic": "its own payment of each year on the case's fixed returns",
    "guardrail": "its own spending, as its rule set it on each path, every year",
    "optimum": ("{spending:,.2f} a year, every year: {what}; on random markets it keeps its "
                "Roth conversions and draws the spending in the conventional order"),
}
#: What a strategy's ``shortfall`` (nominal, over the plan on the fixed returns) is measured
#: against (the JSON's ``shortfall_measured_against``): what the strategy itself is to pay.
SHORTFALL_MEASURED_AGAINST = {
    "constant": "its own constant spending{gift}",
    "need": "the need (spending.annual, with its changes and planned expenses){gift}",
    "guardrail": "its own spending, as its rule set it each year{gift}",
    "systematic": ("the planned expenses{gift}, which it pays beside its share of the balance; "
                   "not spending.annual: its share, all of it spent, is its spending"),
}
#: Why the optimum is measured against that spending: the policy's most, below its own.
OPTIMUM_TESTED_AT = {
    True: ("the most that policy sustains on the case's fixed returns (the optimiser's own "
           "schedule: {optimum:,.2f})"),
    False: "the optimum's own constant spending",
}
#: What the optimum's policy on random markets is, as the output names it.
RANDOM_MARKET_POLICY = "the optimum's Roth conversions, spending drawn in the conventional order"

STRATEGIES = {
    "order": "Taxable first, then pre-tax, then Roth",
    "systematic": "Systematic withdrawals ({rate:.1%} a year)",
    "fill": "Fill the {bracket:.0%} bracket with Roth conversions",
    "optimal": "Optimum (linear programme)",
    "guyton_klinger": "Guyton–Klinger guardrails (±{band:.0%}, {adjustment:.0%} cuts and raises)",
    "risk_guardrail": "Risk-based guardrail (success kept in {low:.0%}–{high:.0%})",
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
    shortfall: float  # unmet spending, nominal (0 when the plan lasts): :func:`shortfall_basis`
    result: Result
    policy: Policy
    monte_carlo: dict = field(default_factory=dict)
    rule: GuytonKlinger | RiskBased | None = None  # a guardrail's spending rule
    first_spending: float = 0.0  # a guardrail's first-year spending, start-year dollars
    #: the state's income tax over the plan, nominal and in start-year dollars (0 without a
    #: state: the plan figures none); None where a year's is not figured (those years in
    #: ``state_tax_not_figured``)
    state_tax: float | None = 0.0
    state_tax_real: float | None = 0.0
    state_tax_not_figured: list[int] = field(default_factory=list)
    #: the systematic strategy's planned expenses left unpaid, nominal (a case with expenses)
    unpaid_expenses: float | None = None


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
    confidence: Confidence | None = None
    #: The years whose state figures could not be confirmed from the state's own text.
    state_unconfirmed_years: list[int] = field(default_factory=list)
    law: Law | None = None  # the law the plan was made under (None: the default)
    #: Inputs of the case as given that the plan does not use, a sentence each
    #: (:func:`unused_input_notes`: read before the survival horizon sets the ages).
    unused: list[str] = field(default_factory=list)
    #: where an estate shown is above the estate tax's basic exclusion (:func:`estate_tax_notes`)
    estate_notes: list[str] = field(default_factory=list)


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
                      label=STRATEGIES[key].format(rate=s.systematic_rate),
                      expenses=_systematic_expenses(hh))
    return Policy("order", label=STRATEGIES[key])


def _systematic_expenses(hh: Household) -> tuple[int, np.ndarray, np.ndarray] | None:
    """The planned expenses the systematic strategy pays on top of its share
    (:attr:`Policy.expenses`): each year's from the start year to the last one's end, in
    today's and in nominal dollars; None where none is planned."""
    sp = hh.spending
    if not sp.expenses:
        return None
    years = np.arange(hh.start_year, max(e.year + e.years for e in sp.expenses))
    _, real, nominal = sp.schedule(years, hh.people[0].birth_date.year)
    return hh.start_year, real, nominal


def _feasible(hh: Household, res: Result) -> np.ndarray:
    """The candidates that last and leave the bequest.  A candidate lasts when it leaves less
    than a dollar unpaid over the whole plan — the rounding of the exact pricing — and never
    more than it pays: the dollar excuses no spending that nothing pays (a household with
    nothing to draw on would otherwise "last" at a few cents a year it never gets)."""
    unpaid = res["shortfall"].sum(axis=1)
    lasts = (unpaid < 1.0) & (unpaid <= res["spending"].sum(axis=1))
    return lasts & (res.estate_real >= hh.spending.bequest - 1.0)


def max_spending(hh: Household, tl: Timeline, law: Law, policy: Policy, guess: float) -> float:
    """The highest constant real spending the policy sustains on the case's fixed returns,
    leaving the bequest: a vectorised search (each candidate one path of one simulation)."""
    return spending_searches(hh, tl, law, [policy], guess)[0][0]


def spending_search(hh: Household, tl: Timeline, law: Law, policy: Policy,
                    guess: float) -> tuple[float, Result | None]:
    """:func:`max_spending`, with the simulation of the spending found (:func:`spending_searches`)."""
    return spending_searches(hh, tl, law, [policy], guess)[0]


@dataclass
class _Search:
    """One strategy's search for its most spending: the candidates of its next round between
    ``lo`` and ``hi``, the rounds left, and what it found."""

    lo: float
    hi: float
    rounds: int = SEARCH_ROUNDS
    done: bool = False
    found: Result | None = None

    def candidates(self) -> np.ndarray:
        return np.linspace(self.lo, self.hi, SEARCH_POINTS)

    def update(self, hh: Household, cand: np.ndarray, res: Result) -> None:
        """The round's answer: the highest candidate that lasts and leaves the bequest sets
        the next round (the upper end doubled while the top candidate still works)."""
        self.rounds -= 1
        ok = _feasible(hh, res)
        if not ok.any():
            self.lo, self.done = 0.0, True
            self.found = res.row(0) if cand[0] == 0.0 else None
            return
        k = int(np.nonzero(ok)[0].max())
        self.found = res.row(k)
        if k == cand.size - 1:
            self.lo, self.hi = cand[k], cand[k] * SEARCH_DOUBLING
        else:
            self.lo, self.hi = cand[k], cand[k + 1]
            self.done = self.hi - self.lo < 1.0
        self.done = self.done or self.rounds == 0


def spending_searches(hh: Household, tl: Timeline, law: Law, policies: list[Policy],
                      guess: float, table: bool = False) -> list[tuple[float, Result | None]]:
    """:func:`max_spending` of each policy, with the simulation of the spending found: the
    row of the search's own batch that ran it (the simulator figures every path on its own, so
    the row is the simulation of that spending alone, to the bit) — None where no row ran it.
    ``table``: the rows become the strategies' year tables, so the search records the table's
    columns too (:func:`~dist401k.planner.simulate.simulate_table`: a few paths on the fixed
    returns).

    The searches run side by side: each round of every search still going is one simulation,
    the strategies stacked (``Policy.stack``), so the tax engine is called once a pass for
    all of them."""
    searches = [_Search(0.0, max(guess, SEARCH_FLOOR) * SEARCH_HEADROOM) for _ in policies]
    while going := [i for i, s in enumerate(searches) if not s.done]:
        cands = [searches[i].candidates() for i in going]
        sizes = [c.size for c in cands]
        pol = (policies[going[0]] if len(going) == 1
               else Policy.stack([(policies[i], n) for i, n in zip(going, sizes, strict=True)]))
        res = (simulate_table if table else simulate)(
            hh, tl, law, fixed_returns(hh, law, tl.T, sum(sizes)), pol, np.concatenate(cands))
        start = 0
        for i, cand in zip(going, cands, strict=True):
            searches[i].update(hh, cand, res.rows(start, start + cand.size))
            start += cand.size
    return [(float(s.lo), s.found) for s in searches]


@dataclass(frozen=True)
class _Case:
    """A drawdown case ready to price: the household, its timeline, the law and the assumed
    inflation."""

    hh: Household
    tl: Timeline
    law: Law
    infl: float


def _outcome(case: _Case, key: str, policy: Policy, spending: float, rule=None, table=None,
             res: Result | None = None) -> StrategyOutcome:
    """A strategy on the case's fixed returns: its spending, tax, IRMAA, conversions and
    estate (``res``: its simulation at that spending where the search already ran it)."""
    hh, tl, law, infl = case.hh, case.tl, case.law, case.infl
    if res is None:
        rets = fixed_returns(hh, law, tl.T)
        res = simulate_table(hh, tl, law, rets, policy, np.array([spending]),
                             need_rule=_guardrail_need(hh, rule, spending, rets, table))
    price = growth_factors(infl, np.arange(tl.T))
    tax = res["income_tax"][0]
    varies = key == "systematic" or rule is not None
    spend = _own_level(hh, tl, key, res, price) if varies else float(spending)
    unpaid = None
    short = float(res["shortfall"][0].sum())
    if key == "systematic":
        expenses = (planned_expenses_real(hh, tl.years, price) * price
                    - res["spending"][0]).clip(min=0).sum()
        unpaid = float(expenses) if hh.spending.expenses else None
        if hh.strategy.objective != "max_estate":
            short = float(expenses + _gift_unpaid(res).sum())
    return StrategyOutcome(key, policy.label, spend, float(tax.sum()), float((tax / price).sum()),
                           float(res["irmaa"][0].sum()), float(res["conversion"][0].sum()),
                           float(res.estate_real[0]), short, res,
                           policy, rule=rule, first_spending=float(spending),
                           unpaid_expenses=unpaid, **state_tax_totals(res, price, tl.years))


def _gift_unpaid(res: Result) -> np.ndarray:
    """(T,) the gift (``charity`` from after-tax money) left unpaid each year of the first
    path: the simulator's shortfall less the part of it that is the need's
    (:func:`~dist401k.planner.simulate.record`)."""
    need_short = (res["need"][0] - res["spending"][0]).clip(min=0)
    return (res["shortfall"][0] - need_short).clip(min=0)


def shortfall_basis(key: str, objective: str, guardrail: bool, gift: bool) -> str:
    """What a strategy's ``shortfall`` is measured against (:data:`SHORTFALL_MEASURED_AGAINST`):
    what the strategy itself is to pay (issue 16). Under ``max_estate`` every strategy is to pay
    the need (``spending.annual``), the systematic strategy included; under ``max_spending`` a
    strategy of constant spending its own spending, a guardrail what its rule sets, and the
    systematic strategy — whose spending is its share of the balance, all of it spent — only
    what it pays beside that share, the planned expenses and the gift: never
    ``spending.annual``, which the plan does not use there. ``gift``: the case gives one
    (``charity.annual``), which each strategy pays too."""
    kind = ("guardrail" if guardrail else "need" if objective == "max_estate"
            else "systematic" if key == "systematic" else "constant")
    said = " and the gift" if kind == "systematic" else ", and the gift"
    return SHORTFALL_MEASURED_AGAINST[kind].format(gift=said if gift else "")


def state_tax_totals(res: Result, price: np.ndarray, years: np.ndarray) -> dict:
    """A strategy's state income tax over the plan, summed as its federal ``lifetime_tax``
    is: nominal (each year's own dollars added up) and in start-year dollars (each year's over
    its price level ``price``); with the years whose state tax is not figured (not finite),
    for which both sums are None — a sum that left them out would understate the cost."""
    tax = res["state_tax"][0]
    missing = [int(y) for y in years[~np.isfinite(tax)]]
    if missing:
        return {"state_tax": None, "state_tax_real": None, "state_tax_not_figured": missing}
    return {"state_tax": float(tax.sum()), "state_tax_real": float((tax / price).sum()),
            "state_tax_not_figured": []}


def _own_level(hh: Household, tl: Timeline, key: str, res: Result, price: np.ndarray) -> float:
    """The "spending a year" of a strategy whose spending moves (the systematic one, a
    guardrail), on the basis of the constant strategies' level (start-year dollars, before the
    changes of ``spending.changes``; a planning convention, docs/plan.md).  A flat spending:
    the mean of what it spent.  Else each year's own spending is what it spent less the planned
    expenses (paid first: never below 0); the systematic strategy's payment follows no profile,
    so its row is the mean of that payment; a guardrail's base spending is the level × the
    profile, so its row is the mean of that spending over the profile, the years planned at 0
    left out."""
    spent = res["spending"][0] / price
    if hh.spending.flat:
        return float(spent.mean())
    own = (spent - planned_expenses_real(hh, tl.years, price)).clip(min=0)
    if key == "systematic":
        return float(own.mean())
    profile = hh.spending.schedule(tl.years, hh.people[0].birth_date.year)[0]
    planned = profile > 0
    if not planned.any():
        return 0.0
    return float((own[planned] / profile[planned]).mean())


def _guardrail_need(hh: Household, rule, first: float, rets: dict, table) -> SpendingPath | None:
    """A guardrail's spending as the simulator's need rule on ``rets``; None for a strategy of
    constant spending."""
    if rule is None:
        return None
    sp = hh.spending
    years = hh.start_year + np.arange(rets["stocks"].shape[1])
    return SpendingPath(rule, first, mix_return(rets, hh.market.stock_share, hh.market.fee),
                        sp.survivor_fraction, table,
                        None if sp.flat else sp.schedule(years, hh.people[0].birth_date.year))


def planned_expenses_real(hh: Household, years: np.ndarray, price: np.ndarray) -> np.ndarray:
    """(T,) the planned expenses (``spending.expenses``) of each year in start-year dollars at
    the price level ``price`` (the nominal ones deflated by it)."""
    _, real, nominal = hh.spending.schedule(years, hh.people[0].birth_date.year)
    return real + nominal / price


def _guardrail_rules(hh: Household) -> list[tuple[str, GuytonKlinger | RiskBased, str]]:
    """The guardrail strategies the case asks for: (key, rule, label)."""
    g = hh.guardrails
    out: list[tuple[str, GuytonKlinger | RiskBased, str]] = []
    if g.guyton_klinger:
        rule: GuytonKlinger | RiskBased = GuytonKlinger(band=g.band, adjustment=g.adjustment,
                             no_cut_final_years=g.no_cut_final_years,
                             inflation_cap=g.inflation_cap)
        out.append(("guyton_klinger", rule, STRATEGIES["guyton_klinger"].format(
            band=g.band, adjustment=g.adjustment)))
    if g.risk_based:
        rule = RiskBased(success_low=g.success_low, success_high=g.success_high, step=g.step,
                         interval=g.interval)
        out.append(("risk_guardrail", rule, STRATEGIES["risk_guardrail"].format(
            low=g.success_low, high=g.success_high)))
    return out


#: The parts of a plan as a progress bar names them: the optimum and the strategies on the
#: fixed returns, then the strategies over the market paths.
OPTIMUM_STEP = "the optimum and the strategies"
MONTE_CARLO_STEP = "strategies over the market paths"


def make_plan(hh: Household, law: Law | None = None, monte_carlo: bool = True,
              paths: int | None = None, step: Step = quiet) -> PlanResult:
    """Solve, compare and (optionally) stress the strategies of a drawdown case; ``step``
    hears how far the long parts have got (:mod:`~dist401k.planner.progress`)."""
    t0 = time.perf_counter()
    law = law or default_law()
    unused = unused_input_notes(hh)
    hh = with_horizon(hh)
    _check_fill_bracket(hh, law)
    claiming = None
    if hh.strategy.search_claiming:
        claiming = search_claiming(hh, law, lambda cand: exact_figures(cand, law), step)
        if claiming is not None:
            hh = with_claim_ages(hh, claiming.best)
    step(OPTIMUM_STEP, 0, 1)
    tl = build_timeline(hh, law)
    case = _Case(hh, tl, law, law.inflation if hh.market.inflation is None
                 else hh.market.inflation)
    objective = hh.strategy.objective
    sol = optimise(hh, tl, law, objective=objective,
                   spending_real=hh.spending.annual if objective == "max_estate" else None)
    outcomes = _fixed_outcomes(case, sol)
    n = paths or hh.monte_carlo.paths
    rets = _paths(hh, tl.T, n) if monte_carlo or hh.guardrails.risk_based else None
    table = (success_table(real_growth(rets, hh.market.stock_share, hh.market.fee), RATE_GRID)
             if rets is not None and hh.guardrails.risk_based else None)
    first = hh.guardrails.initial_spending
    if first is None:
        first = outcomes[-1].spending_real  # the optimum's (objective max_estate: the need)
    for key, rule, label in _guardrail_rules(hh):
        outcomes.append(_outcome(case, key, Policy("order", label=label), first, rule, table))
    step(OPTIMUM_STEP, 1, 1)
    confidence = (_stress(case, sol, outcomes, rets, table, n, step)
                  if monte_carlo and rets is not None else None)
    plan = PlanResult(hh, tl, sol, outcomes, case.infl, law.version, time.perf_counter() - t0,
                      claiming, confidence, state_unconfirmed_years(hh, tl, law), law, unused)
    plan.estate_notes = estate_tax_notes(plan, law)
    return plan


def _check_fill_bracket(hh: Household, law: Law) -> None:
    """The bracket the fill strategy fills must be one the law has in every year of the plan,
    below the top rate (:func:`~dist401k.planner.simulate.fill_bracket_problem`)."""
    end = max(p.birth_date.year + p.life_expectancy for p in hh.people)
    why = fill_bracket_problem(law, np.arange(hh.start_year, end + 1), hh.strategy.fill_bracket)
    if why is not None:
        raise InputError(FieldProblem("strategy.fill_bracket", why))


def state_unconfirmed_years(hh: Household, tl: Timeline, law: Law) -> list[int]:
    """The plan's years whose state of residence uses a figure marked unconfirmed in its law
    files (docs/state.md); none without a state."""
    from dist401k.planner.state_tax import plan_states
    from dist401k.tax.state.engine import state_index, unconfirmed_units

    states = plan_states(hh, tl.years)
    if states is None:
        return []
    flagged = unconfirmed_units(law, state_index(states), tl.years)
    return [int(y) for y in tl.years[flagged]]


def _fixed_outcomes(case: _Case, sol: Solution) -> list[StrategyOutcome]:
    """The strategies of constant spending (and the systematic one) on the fixed returns, the
    optimum last: the most spending each sustains, or the case's spending (max_estate)."""
    hh, tl, law = case.hh, case.tl, case.law
    objective = hh.strategy.objective
    keys = [k for k in ("order", "systematic", "fill", "optimal")
            if k != "fill" or hh.strategy.roth_conversions]
    policies = {k: _policy(k, hh, sol) for k in keys}
    searched = [k for k in keys if objective == "max_spending" and k != "systematic"]
    found = dict(zip(searched, spending_searches(hh, tl, law, [policies[k] for k in searched],
                                                 sol.spending_real, table=True), strict=True))
    outcomes = []
    for key in keys:
        res = None
        if key in found:
            spend, res = found[key]
        elif key == "systematic":
            spend = hh.spending.annual  # its need: what it must pay for
        else:
            spend = hh.spending.annual if objective == "max_estate" else sol.spending_real
        outcomes.append(_outcome(case, key, policies[key], spend, res=res))
    return outcomes


def _stress(case: _Case, sol: Solution, outcomes: list[StrategyOutcome], rets: dict, table,
            n: int, step: Step = quiet) -> Confidence | None:
    """Each strategy over the market paths (``o.monte_carlo``, set in place; with random
    lifetimes, on paths of their own to the last likely death), and the spending at the case's
    chosen confidence where it asks for it."""
    hh, tl, law = case.hh, case.tl, case.law
    optimum = next(o for o in outcomes if o.key == "optimal")
    tested = optimum_tested_spending(case, sol, optimum)
    mc_tl, lives, mc_rets = tl, None, rets
    if hh.monte_carlo.lifetimes == "random":
        mc_tl = lifetime_timeline(hh, tl, law)
        lives, mc_rets = lives_in_order(hh, mc_tl, law, _paths(hh, mc_tl.T, n))
    for done, o in enumerate(outcomes):
        step(MONTE_CARLO_STEP, done, len(outcomes))
        o.monte_carlo = _monte_carlo(case, mc_tl, sol, o, mc_rets, table, lives,
                                     tested if o is optimum else None)
    step(MONTE_CARLO_STEP, len(outcomes), len(outcomes))
    if hh.monte_carlo.confidence is None:
        return None
    # On the same paths as the strategies' success rates: with random lifetimes, each path's
    # lives, to the last likely death.
    return spending_at_confidence(
        hh, mc_tl, law, (mc_rets, lives), _random_market_policy(
            _same_pools(_pad_years(sol.conversions, mc_tl.T), tl, mc_tl), optimum.label),
        hh.monte_carlo.confidence, optimum.spending_real or hh.spending.annual, step=step)


def _random_market_policy(conversions: np.ndarray, label: str) -> Policy:
    """The optimum on random markets: its conversions are kept and the spending is drawn in
    the usual order (its fixed-return withdrawals, nominal dollars of one market, would not
    fit another path's balances)."""
    return Policy("schedule", conversions=conversions,
                  pretax_withdrawals=np.zeros_like(conversions), label=label)


def optimum_tested_spending(case: _Case, sol: Solution, optimum: StrategyOutcome) -> float:
    """The constant real spending the optimum's Monte Carlo is tested at: what its policy on
    random markets (:func:`_random_market_policy`) itself pays on the case's fixed returns.

    That policy draws the spending in the conventional order, not on the optimiser's
    schedule, so it may not sustain the optimum's own spending even on the fixed returns
    (a CFP's review: 78,126 a year against the optimiser's 78,961, so that at zero volatility
    it failed on every path). Like every other strategy it is measured against what it pays:
    its own most on the fixed returns, found by the same search (:func:`max_spending`: it
    lasts and leaves the bequest), and never more than the optimum's spending. Where the
    optimum's own plan does not last either (objective ``max_estate`` with a need nothing
    pays), it is tested at that need, as the other strategies are."""
    hh, tl, law = case.hh, case.tl, case.law
    if optimum.shortfall >= 1.0:
        return optimum.spending_real
    pol = _random_market_policy(_pad_years(sol.conversions, tl.T), optimum.label)
    own = max_spending(hh, tl, law, pol, optimum.spending_real)
    return min(own, optimum.spending_real)


def _monte_carlo(case: _Case, mc_tl: Timeline, sol: Solution, o: StrategyOutcome,
                 rets: dict, table, lives: PathLives | None, tested: float | None = None) -> dict:
    """One strategy over the market paths (on ``mc_tl``: with random lifetimes, a draw of
    lifetimes per path and a grid to the last likely death): its success rate, spreads and
    the paths of its balance (and, for a guardrail, of its spending) in today's dollars.
    The optimum runs its policy on random markets at ``tested``
    (:func:`optimum_tested_spending`), which the summary states."""
    hh, tl, law, infl = case.hh, case.tl, case.law, case.infl
    n = rets["stocks"].shape[0]
    pol, spending = o.policy, o.spending_real
    if o.key == "optimal":
        # No conversions after the optimiser's last year.
        pol = _random_market_policy(
            _same_pools(_pad_years(sol.conversions, mc_tl.T), tl, mc_tl), o.label)
        spending = o.spending_real if tested is None else tested
    res = simulate(hh, mc_tl, law, rets, pol, spending, lives=lives,
                   need_rule=_guardrail_need(hh, o.rule, o.first_spending, rets, table))
    price = np.concatenate([np.ones((n, 1)), np.cumprod(1 + rets["inflation"], axis=1)],
                           axis=1)[:, : mc_tl.T]
    total = (res["pretax_balance"] + res["roth_balance"] + res["taxable_balance"]
             + res["cash_balance"]) / price
    spent = res["spending"] / price
    last = mc_tl.T
    if lives is not None:
        # A path ends at its last death; the years shown end with the last path.
        last = int(np.nonzero(lives.anyone.any(axis=0))[0].max()) + 1
        total = np.where(lives.anyone, total, np.nan)[:, :last]
        spent = np.where(lives.anyone, spent, np.nan)[:, :last]
    kind = "guardrail" if o.rule is not None else (
        "systematic" if o.key == "systematic" else "optimum" if o.key == "optimal"
        else "constant")
    rate = risk.success_rate(_own_shortfall(o, res, price, infl, lives))
    out = dict(
        paths=n, model=hh.monte_carlo.model,
        success_rate=rate, success_rate_se=risk.success_rate_se(rate, n),
        measured_against=MEASURED_AGAINST[kind].format(spending=spending, what=OPTIMUM_TESTED_AT[
            spending < o.spending_real].format(optimum=o.spending_real)),
        spending_percentiles=_cuts(spent.mean(axis=1) if lives is None
                                   else np.nanmean(spent, axis=1)),
        estate_percentiles=_cuts(res.estate_real),
        balance_paths=total,
    )
    if o.key == "optimal":
        out.update(spending_real=amount(spending), policy=RANDOM_MARKET_POLICY)
    if o.rule is not None:
        out["lowest_spending_percentiles"] = _cuts(spent.min(axis=1) if lives is None
                                                   else np.nanmin(spent, axis=1))
        out["spending_paths"] = spent
    if lives is not None:
        out.update(lifetimes="random",
                   years=[int(mc_tl.years[0]), int(mc_tl.years[last - 1])])
    return out


#: The JSON keys of the percentiles across paths (``p5`` … ``p95``).
PERCENTILE_KEYS = tuple(f"p{q:g}" for q in risk.FAN_PERCENTILES)


def _cuts(x) -> dict:
    """The 5th, 25th, 50th, 75th and 95th percentiles of ``x`` across paths."""
    return dict(zip(PERCENTILE_KEYS, np.percentile(x, risk.FAN_PERCENTILES).tolist(),
                    strict=True))


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
    return path_lives(hh, tl, law, _death_years(hh, tl, paths))


def _death_years(hh: Household, tl: Timeline, paths: int) -> np.ndarray:
    """(paths, I) each person's year of death (an index into ``tl.years``) on each path."""
    q = longevity.household_q(hh.people, tl.years)
    return longevity.sample_death_years(q, paths, hh.monte_carlo.seed)


def lives_in_order(hh: Household, tl: Timeline, law: Law, rets: dict) -> tuple[PathLives, dict]:
    """:func:`draw_lives` on the paths of ``rets``, the paths — each its lives and its market —
    put in the order of their last deaths, the latest first: the simulator then leaves each
    path behind once it has ended (:func:`~dist401k.planner.simulate.simulate`).  What the
    Monte Carlo reports (rates and percentiles across paths) does not depend on their order."""
    death = _death_years(hh, tl, rets["stocks"].shape[0])
    order = np.argsort(-death.max(axis=1), kind="stable")
    return path_lives(hh, tl, law, death[order]), {k: v[order] for k, v in rets.items()}


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
    its lifetime tax (today's $), IRMAA (nominal) and its state tax over the plan (today's $;
    None with the years not figured, :func:`state_tax_totals`)."""
    tl = build_timeline(hh, law)
    max_estate = hh.strategy.objective == "max_estate"
    sol = optimise(hh, tl, law, spending_real=hh.spending.annual if max_estate else None)
    pol = _policy("optimal", hh, sol)
    spend, res = (hh.spending.annual, None) if max_estate else spending_search(
        hh, tl, law, pol, sol.spending_real)
    infl = law.inflation if hh.market.inflation is None else hh.market.inflation
    o = _outcome(_Case(hh, tl, law, infl), "optimal", pol, spend, res=res)
    return {"spending_real": o.spending_real, "estate_real": o.estate_real,
            "lifetime_tax_real": o.lifetime_tax_real, "irmaa": o.irmaa,
            "lifetime_state_tax_real": o.state_tax_real,
            "state_tax_not_figured": o.state_tax_not_figured}


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
    own = own / growth_factors(infl, np.arange(T))
    short = np.maximum(own[None, :] - res["spending"] / price, 0.0)
    return short if lives is None else np.where(lives.anyone, short, 0.0)


def _paths(hh: Household, years: int, n: int) -> dict:
    mc = hh.monte_carlo
    if mc.model == "lognormal":
        return market.lognormal(n, years, seed=mc.seed)
    if mc.model == "historical":
        return market.historical_all(years)
    return market.bootstrap(n, years, seed=mc.seed)


#: The mark of a year whose law is projected (a row's ``projected``), in every door's table.
PROJECTED_MARK = "†"


def projected_law_text(j: dict) -> str | None:
    """What the mark on a year of the year-by-year table means (:data:`PROJECTED_MARK`, each
    row's ``projected``: the years after the law's last enacted one, DESIGN: "projected by
    indexing and marked as projected"); None where no row is projected."""
    if not any(r.get("projected") for r in j["table"]):
        return None
    return (f"{PROJECTED_MARK} projected law: the years from {j['projected_from']} use the last "
            "enacted year's income tax brackets and Medicare IRMAA tiers and amounts, indexed "
            "— the brackets by the law's assumed CPI, the IRMAA figures by the plan's own "
            "inflation (42 U.S.C. §1395r(i)(5)).")


#: The year's income from the brokerage account and cash, as the year was priced (the federal
#: return's interest, qualified dividends and long-term gain: :func:`~dist401k.planner.simulate.
#: household_return`): interest = ``market.cash`` × the cash at the start of the year, dividends
#: = ``dividend_yield`` × the brokerage balance at the start, the gain = the sale × its share of
#: unrealised gain (a loss negative, before the §1211(b) limit and the carryover of §1212(b)).
INVESTMENT_INCOME = ("interest", "dividends", "capital_gains")
#: What else a year's return reads, as the year was priced: the taxable part of Social Security
#: (§86), the brokerage account's basis at the start of the year (after the step-up at a first
#: death), and the IRAs' part of the pre-tax withdrawal and of the conversion (the rest is the
#: plan accounts'). Recorded by the fixed returns' simulations only (``simulate_table``:
#: :data:`~dist401k.planner.simulate.TABLE_COLUMNS`), not by the Monte Carlo's.
RETURN_INPUTS = ("taxable_social_security", "taxable_basis", "ira_withdrawal", "ira_conversion")
#: A couple's: the second person's part of the pre-tax withdrawal and of the conversion (after
#: a first death, of the accounts the survivor took over too), their IRAs' part of each, and
#: their own wages, pension and Social Security (parts of the household's columns).
SPOUSE_PARTS = ("spouse_withdrawal", "spouse_conversion", "spouse_ira_withdrawal",
                "spouse_ira_conversion", "spouse_wages", "spouse_pension", "spouse_social_security")
#: The year's money in, as a row shows it: income and the withdrawals, gross (before the tax).
MONEY_IN = ("wages", "pension", "social_security", "other_income", "pretax_withdrawal",
            "roth_withdrawal", "taxable_withdrawal", "cash_withdrawal")
#: What the year pays out of it before spending: the federal income tax (the 10% tax of §72(t)
#: within it), the state's, Medicare IRMAA and the marketplace premium (its credit back).
MONEY_PAID = ("income_tax", "state_tax", "irmaa", "marketplace_premium")
#: A table column read from a :class:`~dist401k.planner.simulate.Result` column of another name.
RESULT_COLUMN = {"capital_gains": "realized_gains"}


def _year_columns(hh: Household) -> tuple[str, ...]:
    """The money columns of a year's row (:func:`year_table`): those of every case, then the
    case's own (a couple's split, other income, the gift, marketplace coverage, the state, a
    spending that changes)."""
    cols: tuple[str, ...] = (
            "wages", "pension", "social_security", "rmd", "pretax_withdrawal", "conversion",
            "roth_withdrawal", "taxable_withdrawal", "cash_withdrawal", "deposit", "agi",
            "taxable_income", "income_tax", "additional_tax_72t", "irmaa", "spending",
            "shortfall", "pretax_balance", "roth_balance", "taxable_balance", "cash_balance",
            "marginal_bracket") + INVESTMENT_INCOME + RETURN_INPUTS
    if len(hh.people) > 1:
        cols += SPOUSE_PARTS
    if hh.other_income:
        cols += ("other_income",)
    if hh.charity.annual > 0:
        cols += ("qcd", "charity")
    if hh.marketplace is not None:
        cols += ("marketplace_premium", "premium_tax_credit", "household_income")
    if hh.state is not None:
        cols += ("state_tax",)
    if not hh.spending.flat:
        cols += ("need",)  # the year's need: the spending's profile and the planned expenses
    return cols


def year_table(plan: PlanResult, key: str = "optimal") -> list[dict]:
    """The year-by-year rows of one strategy on the case's fixed returns (nominal dollars);
    ``projected``: the year's law is projected past the last enacted year; the year's
    investment income as priced (:data:`INVESTMENT_INCOME`) and what else its return reads
    (:data:`RETURN_INPUTS`, a couple's :data:`SPOUSE_PARTS`), so that a year's tax can be
    re-priced from its row."""
    o = next(s for s in plan.strategies if s.key == key)
    r = o.result
    tl = plan.timeline
    hh = plan.household
    cols = _year_columns(hh)
    got = _inflows_shown(plan)
    share, public = _poverty_line_shares(plan, r["household_income"][0]) \
        if hh.marketplace is not None else (None, None)
    # the year's law (income tax brackets, IRMAA tiers and amounts) projected by indexing
    projected = (plan.law or default_law()).projected(tl.years)
    rows = []
    for t in range(tl.T):
        row = {"year": int(tl.years[t]), "ages": ages_alive(tl, t),
               "filing_status": "married_joint" if tl.filing_status[t] == 1 else "single",
               "projected": bool(projected[t])}
        if hh.state is not None:
            row["state"] = hh.state_in(int(tl.years[t]))
        for c in cols:
            v = float(r[RESULT_COLUMN.get(c, c)][0, t])
            row[c] = round(v, DIGITS_FINE) if c == "marginal_bracket" else amount(v)
        row["income_tax"] = income_tax_shown(r, t)
        add_net_cash(row, amount(float(r["need"][0, t])))
        if got is not None:
            row["inflows"] = amount(float(got[t]))
        if share is not None and public is not None:
            row["poverty_line_share"] = None if np.isnan(share[t]) else float(share[t])
            row["public_coverage"] = None if np.isnan(share[t]) else bool(public[t])
        if key == "optimal":
            row["rmd_binds"] = bool(plan.solution.rmd_binds[t])
            row["shadow_price"] = round(float(plan.solution.marginal_value[t]), DIGITS_FINE)
        rows.append(row)
    return rows


def add_net_cash(row: dict, need: float) -> None:
    """The row's ``net_cash``: what the year's money after tax went to — the spending, the
    deposit and the gift from after-tax money (the gift less its QCDs) — as the plan pays it
    (``simulate.pay_out``), to the cent; and its money in (:data:`MONEY_IN`: income and the
    gross withdrawals) less what it paid (:data:`MONEY_PAID`, the premium tax credit back),
    the shown figures added as entered, within rounding.  Each figure is rounded to the cent on
    its own, so the two sides may be a few cents apart: the deposit carries that rounding where
    the year deposits and stays at or above 0; the spending where the year is short of its
    ``need`` (or the systematic policy's, which spends what it draws) and stays at or above 0;
    else ``net_cash`` carries it (a need paid in full and nothing saved: the spending stays the
    need and the deposit 0 — never −0.01).  A gap wider than rounding is left as it is."""
    got = cents(sum(row.get(k, 0.0) for k in MONEY_IN)
                - sum(row.get(k, 0.0) for k in MONEY_PAID) + row.get("premium_tax_credit", 0.0))
    row["net_cash"] = float(got)
    spending, deposit, charity, qcd = (row.get(k, 0.0) for k in MONEY_USED)
    gap = float(cents(got - spending - deposit - (charity - qcd)))
    if not gap or abs(gap) > ROUNDING_CARRIED:
        return
    last = "deposit" if deposit > 0 else "spending" if spending != need else "net_cash"
    if last != "net_cash" and row[last] + gap >= 0:
        row[last] = amount(row[last] + gap)
    else:
        row["net_cash"] = amount(spending + deposit + (charity - qcd))


#: What the year's money after tax went to (:func:`add_net_cash`): the spending, the deposit
#: and the gift, less its QCDs (paid from the IRAs, not from after-tax money).
MONEY_USED = ("spending", "deposit", "charity", "qcd")
#: The most rounding a row's money is let carry (:func:`add_net_cash`): a cent for each of its
#: figures — the income, withdrawals, costs, the credit, and what the money went to — each
#: rounded by at most half of one.
ROUNDING_CARRIED = (len(MONEY_IN) + len(MONEY_PAID) + 1 + len(MONEY_USED)) / CENTS


def _inflows_shown(plan: PlanResult) -> np.ndarray | None:
    """(T,) the money received each year that is not income (``inflows``), nominal at the
    case's fixed inflation, as the plan's cash receives it; None where the case has none."""
    got = inflow_schedule(plan.household, plan.timeline.years)
    if got is None:
        return None
    return got[0] * growth_factors(plan.inflation, np.arange(plan.timeline.T)) + got[1]


def income_tax_shown(r: Result, t: int) -> float:
    """Year ``t``'s federal income tax as shown: the sum of its parts (regular tax, AMT, NIIT,
    the 10% tax of §72(t): :data:`~dist401k.tax.federal.TAX_PARTS`) each rounded to the cent,
    as Form 1040 line 24 adds the lines as entered and ``dist401k tax`` shows it
    (:func:`~dist401k.tax.federal.in_cents`) — not the rounding of the unrounded total, a cent
    apart where two parts round up.  The arrays (what the plan pays) stay unrounded."""
    return amount(sum(amount(r[part][0, t]) for part in TAX_PARTS))


def ages_alive(tl: Timeline, t: int) -> list[int | None]:
    """Each person's age in year ``t`` of the plan, None once their last year is past (the
    plan's lifetimes: a death at the end of the year ``life_expectancy`` or the horizon
    reaches), so that no row shows a person the plan has outlived."""
    return [int(a) if alive else None for a, alive in zip(tl.age[:, t], tl.alive[:, t],
                                                            strict=True)]


def living_ages_text(ages: list[int | None]) -> str:
    """A row's ages as the terminal and the report print them ("91/—": the second person's
    last year is past)."""
    return "/".join("—" if a is None else str(a) for a in ages)


def alive_text(names: list[str]) -> str:
    """Over whose lives a path with random lifetimes is judged: one person's, or a couple's
    while either lives (the path ends at the last death)."""
    return "either is alive" if len(names) > 1 else f"{names[0]} is alive"


def _poverty_line_shares(plan: PlanResult,
                         household_income: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T,) each year of marketplace coverage, household income as a share of the poverty line
    (Form 8962 line 5: cut to a whole percent), which sets the applicable percentage and the
    credit's window (IRC §36B(b)(3), (c)(1)(A)), NaN in the years without coverage; and (T,)
    whether that income is within the public coverage of the year's state — its Medicaid
    adult group or its Basic Health Program — which leaves no credit (§36B(c)(2)(B); 42 U.S.C.
    §18051(e)(2))."""
    tl, law = plan.timeline, plan.law or default_law()
    cov = coverage(plan.household, law, tl.years, tl.alive)
    out, public = np.full(tl.T, np.nan), np.zeros(tl.T, dtype=bool)
    if cov is None:
        return out, public
    covered = np.nonzero(cov.any_year())[0]
    if covered.size:
        years, size = tl.years[covered], cov.household_size[covered]
        out[covered] = income_share(law, years, household_income[covered],
                                    poverty_line(law, years, size, cov.region))
        public[covered] = household_income[covered] <= medicaid_income_limit(
            law, years, size, cov.public_limit[covered], cov.region)
    return out, public


#: With random lifetimes, a year's percentiles across the paths are given only where at least
#: this many paths are still going: 100 ÷ 5, the fewest of which the 5th percentile is more
#: than the lowest path itself (on fewer, the fan's edges are single paths — the reviewer's
#: median of $1.47M at 106 and 108 rested on one or two paths that lived longest).
FAN_MIN_PATHS = round(100 / min(risk.FAN_PERCENTILES))


def fan_minimum(paths: int) -> int:
    """The fewest paths still going from which a year's percentiles are given (random
    lifetimes): :data:`FAN_MIN_PATHS`, and at least the 5th percentile's own share (5%) of the
    ``paths`` run, so that the band never rests on the few that outlive nearly all."""
    share = int(min(risk.FAN_PERCENTILES))
    return max(FAN_MIN_PATHS, -(-int(paths) * share // 100))


def fan_alive(paths) -> tuple[np.ndarray, np.ndarray]:
    """Of (paths, years) figures with NaN on a path that has ended (random lifetimes): each
    year's count of paths still going, and whether its percentiles are given
    (:func:`fan_minimum`)."""
    a = np.asarray(paths, dtype=float)
    alive = (~np.isnan(a)).sum(axis=0)
    return alive, alive >= fan_minimum(a.shape[0])


def _fan_cuts(a: np.ndarray, random: bool) -> dict:
    """Each year's percentiles of ``a`` (paths, years); with random lifetimes over the paths
    still going, None in a year with too few of them (:func:`fan_alive`)."""
    if not random:
        return {k: cents(row).tolist() for k, row in
                zip(PERCENTILE_KEYS, np.percentile(a, risk.FAN_PERCENTILES, axis=0), strict=True)}
    _, shown = fan_alive(a)
    cuts = np.full((len(PERCENTILE_KEYS), a.shape[1]), np.nan)
    if shown.any():
        cuts[:, shown] = np.nanpercentile(a[:, shown], risk.FAN_PERCENTILES, axis=0)
    return {k: [float(v) if v == v else None for v in cents(row)] for k, row in
            zip(PERCENTILE_KEYS, cuts, strict=True)}


def _monte_carlo_json(mc: dict) -> dict:
    """The Monte Carlo summary, with the 5th–95th percentiles of the total balance (today's
    dollars) in each year across the paths, for a fan chart; with random lifetimes, each
    year's paths still going (``paths_alive_by_year``) and the fewest from which that year's
    percentiles are given (``paths_alive_minimum``; null percentiles below it)."""
    out = {k: v for k, v in mc.items() if k not in ("balance_paths", "spending_paths")}
    random = mc.get("lifetimes") == "random"
    for paths, key in (("balance_paths", "balance_percentiles_by_year"),
                       ("spending_paths", "spending_percentiles_by_year")):
        if paths in mc:
            # Random lifetimes: the paths on which someone is still alive (NaN after the
            # last death).
            out[key] = _fan_cuts(np.asarray(mc[paths], dtype=float), random)
    if random and "balance_paths" in mc:
        alive, _ = fan_alive(mc["balance_paths"])
        out.update(paths_alive_by_year=alive.astype(int).tolist(),
                   paths_alive_minimum=fan_minimum(np.shape(mc["balance_paths"])[0]))
    return out


def confidence_json(plan: PlanResult) -> dict:
    """The most constant spending with the case's chosen success rate, beside the optimum's
    constant spending on the fixed returns and the spending its Monte Carlo is tested at
    (:func:`optimum_tested_spending`) — present only where the case asks for it."""
    c = plan.confidence
    if c is None:
        return {}
    opt = next(o for o in plan.strategies if o.key == "optimal")
    return {"confidence": {
        "target": c.target, "spending_real": amount(c.spending_real),
        "success_rate": c.success_rate,
        "success_rate_se": risk.success_rate_se(c.success_rate, opt.monte_carlo["paths"]),
        "next_spending_real": amount(c.next_spending_real),
        "next_success_rate": c.next_success_rate, "tolerance": c.tolerance,
        "paths": opt.monte_carlo.get("paths"), "simulations": c.simulations,
        "optimum_spending_real": amount(opt.spending_real),
        "optimum_tested_spending_real": amount(opt.monte_carlo.get("spending_real",
                                                                   opt.spending_real)),
        "optimum_success_rate": opt.monte_carlo.get("success_rate"),
        "strategy": RANDOM_MARKET_POLICY}}


def charity_json(plan: PlanResult) -> dict:
    """The charitable gift of each strategy (nominal dollars): what qualified charitable
    distributions paid (IRC §408(d)(8)) and the whole gift — present only where the case
    gives to charity, so that a case without a gift keeps its JSON."""
    hh = plan.household
    if hh.charity.annual <= 0:
        return {}
    return {"charity": {
        "annual": hh.charity.annual, "qcd_allowed": hh.charity.qcd,
        "strategies": {o.key: {"qcd": amount(o.result["qcd"][0].sum()),
                               "given": amount(o.result["charity"][0].sum())}
                       for o in plan.strategies}}}


def marketplace_json(plan: PlanResult) -> dict:
    """The marketplace coverage of each strategy (nominal dollars): the premiums paid and the
    premium tax credits (IRC §36B) over the plan — present only where the case has marketplace
    coverage, so that a case without it keeps its JSON."""
    mk = plan.household.marketplace
    if mk is None:
        return {}
    return {"marketplace": {
        "benchmark_premium": mk.benchmark_premium, "region": mk.region,
        "strategies": {o.key: {
            "premiums": amount(o.result["marketplace_premium"][0].sum()),
            "premium_tax_credit": amount(o.result["premium_tax_credit"][0].sum())}
            for o in plan.strategies}}}
def state_json(plan: PlanResult) -> dict:
    """The state of residence, the move, and each strategy's state income tax over the plan
    (nominal dollars) — present only where the case has a state, so that a case without it
    keeps its JSON."""
    hh = plan.household
    if hh.state is None:
        return {}
    return {"state": {
        "state": hh.state,
        "move": None if hh.move is None else {"year": hh.move.year, "state": hh.move.state},
        "unconfirmed_years": plan.state_unconfirmed_years,
        "notes": state_notes(hh),
        "strategies": {o.key: {"state_tax": _amount_or_none(o.state_tax)}
                       for o in plan.strategies}}}


def _amount_or_none(x: float | None) -> float | None:
    """An amount to the cent, or None where it is not figured."""
    return None if x is None else amount(x)


def strategy_state_tax_json(o: StrategyOutcome) -> dict:
    """A strategy's state income tax over the plan (docs/plan.md, "State income tax"):
    nominal and in today's dollars, 0 without a state; null where a year's is not figured,
    and then the years (``state_tax_not_figured``)."""
    j: dict[str, float | None | list[int]] = {
        "lifetime_state_tax": _amount_or_none(o.state_tax),
        "lifetime_state_tax_real": _amount_or_none(o.state_tax_real)}
    if o.state_tax_not_figured:
        j["state_tax_not_figured"] = o.state_tax_not_figured
    return j


def state_tax_cell(x: float | None) -> str:
    """A strategy's state tax over the plan in a table, or "not figured" where a year's is not
    (the line under the table names the years: :func:`state_tax_text`)."""
    return "not figured" if x is None else dollars_text(x)


def state_tax_text(j: dict) -> str | None:
    """Where a strategy's state tax over the plan is not figured (null), which years and
    strategies, for the terminal, the report and the page's words; None where every one is."""
    return not_figured_text([(s["label"], s["state_tax_not_figured"]) for s in j["strategies"]
                             if s.get("state_tax_not_figured")])


def state_notes(hh: Household) -> list[str]:
    """What the plan's state tax leaves out that an input would add: a Maryland county's income
    tax where the household lives in Maryland with no ``maryland_county``."""
    places = (hh.state, hh.move and hh.move.state)
    notes = plan_or_ira_notes(hh, places)
    if "MD" in places and hh.maryland_county is None:
        return [reason("STATE_MD_COUNTY_NOT_GIVEN").text] + notes
    return notes


#: The states whose exclusion of retirement income depends on whether the money comes from a
#: person's plan account or an IRA, as docs/plan.md ("State income tax") lists them.
PLAN_OR_IRA_STATES = ("AR", "CO", "MI", "MS", "NY", "PA")


def plan_or_ira_notes(hh: Household, places: tuple) -> list[str]:
    """Where the household lives (or moves) in a state of :data:`PLAN_OR_IRA_STATES` and a
    person holds both a plan account and an IRA, a line that the optimiser does not choose
    between them for the state's exclusion (docs/plan.md, "State income tax"): its state term
    prices each year's draw at the last solution's IRA share, so the split shown may not be the
    one that pays the least state tax."""
    states = [st for st in PLAN_OR_IRA_STATES if st in places]
    both = [p.name or f"person {i + 1}" for i, p in enumerate(hh.people)
            if p.accounts.pretax > 0 and p.accounts.ira > 0]
    if not states or not both:
        return []
    who = " and ".join(both)
    return [f"{' and '.join(states)}: the state's exclusion of retirement income depends on "
            f"whether the money comes from a plan account or an IRA, and {who} "
            f"{'holds' if len(both) == 1 else 'hold'} both. The optimiser does not choose between "
            "a person's plan account and IRA for this exclusion: its state term prices each "
            "year's draw at the last solution's IRA share, and the exact pricing then counts them "
            "as drawn — drawing the other account may lower the state tax (docs/plan.md, "
            "\"State income tax\")."]


def assumptions_json(plan: PlanResult) -> dict:
    """What the plan assumed where the case leaves out an input the law needs, a sentence each
    — present only where it assumed something, so that a case without it keeps its JSON."""
    law = plan.law or default_law()
    notes = (irmaa_history_notes(plan.household, plan.timeline, law)
             + inherited_roth_notes(plan.household)
             + roth_notes(plan.household, plan.timeline, law)
             + survivor_pension_notes(plan.household, plan.timeline)
             + fee_notes(plan.household)
             + spending_annual_notes(plan.household)
             + confidence_notes(plan)
             + plan.unused
             + marketplace_notes(plan.household, plan.timeline, law)
             + plan.estate_notes)
    return {"assumptions": notes} if notes else {}


def estate_tax_notes(plan: PlanResult, law: Law) -> list[str]:
    """A line where a strategy's estate shown is above the federal estate tax's basic exclusion
    (IRC §2010(c)(3), law data ``estate.basic_exclusion_amount``): the estate is before the
    estate tax of §2001, which the plan does not figure (docs/plan.md, "Not modelled").  Both in
    start-year dollars: the estate as shown (``estate_real``), the exclusion of the start year —
    indexed for inflation after (§2010(c)(3)(B)), so about the same in those dollars.  The
    estate shown is after the heirs' income tax, below the gross estate: one above the
    exclusion is a gross estate above it too."""
    year = plan.household.start_year
    limit = float(law.scalar("estate.basic_exclusion_amount", year))
    over = [o for o in plan.strategies if o.estate_real > limit]
    if not over:
        return []
    top = max(over, key=lambda o: o.estate_real)
    return [f"The estate shown ({top.label}: ${dollars_text(top.estate_real)} in {year} dollars) "
            f"is above the federal estate tax's basic exclusion (${dollars_text(limit)} for a "
            f"death in {year}, indexed for inflation after: IRC §2010(c)(3)). It is before the "
            "federal estate tax (IRC §2001), which the plan does not figure: above the exclusion "
            "it is overstated by that tax (a surviving spouse may add the deceased spouse's unused "
            "exclusion, §2010(c)(4)–(5))."]


def unused_input_notes(hh: Household) -> list[str]:
    """Inputs of the case as given (before :func:`with_horizon`) that the plan does not use: a
    person's ``life_expectancy`` where ``horizon.survival`` sets the plan's end instead."""
    if hh.horizon is None:
        return []
    given = [(k, p) for k, p in enumerate(hh.people) if "life_expectancy" in p.model_fields_set]
    return [f"people.{k}.life_expectancy ({p.life_expectancy}) is not used: "
            f"horizon.survival ({hh.horizon.survival:.0%}) sets where the plan ends instead."
            for k, p in given]


def marketplace_notes(hh: Household, tl: Timeline, law: Law) -> list[str]:
    """``marketplace.last_year`` past the last year anyone is before Medicare: coverage stops
    at Medicare all the same — a month of Medicare is not a coverage month for the premium tax
    credit (IRC §36B(c)(2)(B)), and the premium is paid only before it."""
    mk = hh.marketplace
    if mk is None or mk.last_year is None:
        return []
    before = medicare_months_before(law, [p.birth_date for p in hh.people], tl.years)
    years = tl.years[before.max(axis=0) > 0]
    end = int(years[-1]) if years.size else hh.start_year - 1
    if mk.last_year <= end:
        return []
    ends = f"so it ends in {end} here" if years.size else "and everyone is on it from the start"
    return [f"marketplace.last_year ({mk.last_year}) is past Medicare: marketplace coverage "
            f"stops the month before each person's Medicare begins, {ends} (a Medicare month "
            "is not a coverage month for the premium tax credit, IRC §36B(c)(2)(B))."]


def confidence_notes(plan: PlanResult) -> list[str]:
    """Why the spending at the case's ``monte_carlo.confidence`` is missing or means little: it
    is searched over the Monte Carlo paths, so with none run it is not figured; on fewer paths
    than :func:`~dist401k.planner.confidence.fewest_paths` its target lets no path fail, so the
    answer is what every path pays and its standard error (0) says nothing."""
    target = plan.household.monte_carlo.confidence
    if target is None:
        return []
    if plan.confidence is None:
        return [f"monte_carlo.confidence ({target:.0%}) is not figured: the spending at a "
                "confidence is searched over the Monte Carlo paths, and none were run "
                "(--no-monte-carlo, --paths 0, or the API's paths=0)."]
    n = next(o for o in plan.strategies if o.key == "optimal").monte_carlo["paths"]
    least = fewest_paths(target)
    if n >= least:
        return []
    return [f"The spending at {target:.0%} confidence rests on {n:,} market paths, too few for "
            f"that target: it lets a path fail only from {least:,} paths (1 ÷ (1 − "
            f"{target:.0%})), so on {n:,} it is the most that every path pays, and its standard "
            "error of 0 points says nothing. Run hundreds of paths for a figure worth quoting."]


def spending_annual_notes(hh: Household) -> list[str]:
    """Under ``max_spending`` the plan finds the most each strategy can spend, and
    ``spending.annual`` sets none of the strategies' spending (docs/plan.md, "Strategies"): a
    line that says the figure given is not the spending planned, where the case gives one, so
    that a reader of the spending and its Monte Carlo success does not take them for that
    budget's; nothing under ``max_estate`` (every strategy is to pay it) or where none is
    given."""
    annual = hh.spending.annual
    if hh.strategy.objective != "max_spending" or annual <= 0:
        return []
    given = dollars_text(annual)
    return [f"spending.annual (${given} a year, today's dollars) is not the spending planned: "
            "the objective max_spending finds the most a year each strategy sustains, and the "
            f"Monte Carlo success is at that spending, not at ${given}. To plan on ${given} a "
            "year and compare what each strategy leaves, set strategy.objective to max_estate."]


def fee_notes(hh: Household) -> list[str]:
    """What the plan takes for investment fees (``market.fee``), a line where the case sets one:
    the invested money's return is net of it, ``(1 + r)(1 − fee) − 1``, on the fixed returns
    and on every market path; cash pays none; the fee is not deducted (miscellaneous itemized
    deductions are disallowed, IRC §67(g), made permanent by P.L. 119-21) and, taken
    out of an account, is not a distribution from it — only lower growth.  Nothing where the
    fee is 0: the returns are then before fees (docs/plan.md, "Risk")."""
    fee = hh.market.fee
    if fee <= 0:
        return []
    return [f"market.fee: the invested money (pre-tax, Roth and brokerage; not cash) pays "
            f"{fee:.2%} a year in fees, taken from every year's return on the fixed returns and "
            f"on every market path: (1 + r) × (1 − {fee:.2%}) − 1. The fees are not deducted "
            "from income (miscellaneous itemized deductions are disallowed, IRC §67(g)); paid "
            "out of an account, they only lower its growth and are not a distribution."]


def _roth_young(hh: Household, tl: Timeline, law: Law) -> list[int]:
    """The people who hold Roth money at the start and are under 59½ (age at December 31,
    months counted, ``early_distributions.age``) in some year of the plan they live."""
    ends = tl.age + (12 - np.array([p.birth_date.month for p in hh.people]))[:, None] / 12.0
    young = (ends < law.get("early_distributions.age", tl.years)[None, :]) & tl.alive
    return [i for i, p in enumerate(hh.people) if p.accounts.roth > 0 and young[i].any()]


def roth_notes(hh: Household, tl: Timeline, law: Law) -> list[str]:
    """What the plan assumes of the Roth money of a person under 59½ in some year: all of it
    is read as a Roth IRA — contributions first, then conversions, then earnings
    (§408A(d)(4)(B)) — as if a Roth 401(k) were rolled over to one, where a nonqualified
    payment from a designated Roth account still in the plan is pro rata (§72(e)(8),
    §402A(d)(4)); and, without ``roth_contributions``, the whole balance is taken as
    contributions. A line each, only where it applies."""
    young = _roth_young(hh, tl, law)
    if not young:
        return []
    names = [f"people.{i}" for i in young]
    notes = [f"The Roth money of {', '.join(names)} is planned as a Roth IRA's: before 59½ "
             "contributions come out first, free of tax and of the 10%, then conversions, then "
             "earnings (IRC §408A(d)(4)(B)), as if any Roth 401(k), 403(b) or 457(b) money "
             "were rolled over to a Roth IRA first (Treas. Reg. §1.408A-10, Q&A-3). Left in the "
             "plan, a payment that is not a qualified distribution is part earnings pro rata "
             "(IRC §72(e)(8), §402A(d)(4)): give such a payment to `dist401k assess`."]
    guessed = [f"people.{i}.accounts.roth_contributions" for i in young
               if hh.people[i].accounts.roth_contributions is None]
    if guessed:
        notes.append(f"{', '.join(guessed)} {'are' if len(guessed) > 1 else 'is'} not given: "
                     "the whole Roth balance is taken as "
                     "contributions, so that all of it may come out before 59½ free of tax "
                     "and of the 10% (IRC §408A(d)(4)(B) orders contributions first). Earnings "
                     "paid before a qualified distribution are taxed, with the 10% before "
                     "59½ (§408A(d)(1), (2); §72(t)): give the contributions (and conversions "
                     "more than five years old) as roth_contributions — Form 8606 Part III, "
                     "or the plan's statement of designated Roth contributions.")
    return notes


def survivor_pension_notes(hh: Household, tl: Timeline) -> list[str]:
    """Where one of a couple has a pension with a survivor share and dies before it starts —
    the first to die, before the year their own pension would begin; with random lifetimes,
    anyone whose pension starts after the plan's first year — the share is paid from the year
    they would have reached its ``start_age`` (:func:`~dist401k.planner.timeline.survivor_pensions`,
    the qualified pre-retirement survivor annuity of IRC §417(c)(1)): a line that says so."""
    if not hh.couple:
        return []
    random = hh.monte_carlo.lifetimes == "random"
    out = []
    for i, p in enumerate(hh.people):
        share = tl.pension_survivor[i]
        if p.pension.monthly <= 0 or p.pension.survivor_fraction <= 0:
            continue
        dies_first = tl.death_year is not None and tl.survivor == 1 - i
        early = dies_first and share[tl.years == tl.death_year][0] == 0
        if not (early or (random and share[0] == 0)):
            continue
        when = (f"in {int(tl.years[np.argmax(share > 0)])}, the year {p.name or f'people.{i}'} "
                f"would reach its start_age {p.pension.start_age:g}" if (share > 0).any()
                else f"never within the plan (start_age {p.pension.start_age:g} is not reached)")
        out.append(f"people.{i}.pension: after a death before its start, the survivor's share "
                   f"starts {when}, not the year after the death. A death before the annuity "
                   "starting date pays the qualified pre-retirement survivor annuity, figured as "
                   "if the participant had lived to the earliest retirement age, retired then "
                   "with a joint and survivor annuity and died the next day, payable no later "
                   "than the month the participant would have reached that age (IRC "
                   "§417(c)(1); ERISA §205(e)). The plan takes start_age as that age and "
                   "survivor_fraction × monthly as the annuity; a plan that lets the spouse "
                   "start it sooner, reduced, is not modelled.")
    return out


def inherited_roth_notes(hh: Household) -> list[str]:
    """Every payment from an inherited Roth account is taken as a qualified distribution: the
    deceased owner's five-year period, which the heir's counts from (Treas. Reg. §1.408A-6,
    Q&A-7; §1.402A-1, Q&A-4), is taken as met, for the plan does not ask the owner's first
    Roth year (docs/plan.md). The line that says so, where the case has such an account that
    the heir holds as inherited; none where a spouse treats it as their own (their own Roth
    money then) or where there is none."""
    held = [f"inherited.{j}" for j, a in enumerate(hh.inherited) if a.beneficiary.roth and not (
        a.beneficiary.relationship == "spouse" and a.beneficiary.spouse_election == "own")]
    if not held:
        return []
    which, many = ", ".join(held), len(held) > 1
    return [f"The inherited Roth account{'s' if many else ''} ({which}) "
            f"{'are' if many else 'is'} taken as past the deceased owner's five-year period: "
            f"every payment from {'them' if many else 'it'}, growth included, is a qualified "
            "distribution, "
            "free of income tax (IRC §408A(d)(2)(A)(ii); §402A(d)(2)); the plan does not ask "
            "the year the owner's period began. Where it has not run yet, the earnings paid are "
            "taxable: give such a year's payment to `dist401k assess` as a case."]


def irmaa_history_notes(hh: Household, tl: Timeline, law: Law) -> list[str]:
    """A year's IRMAA is set by the MAGI of the return ``medicare.lookback_years`` before
    (42 U.S.C. §1395r(i)(4); 20 CFR 418.1115(a)); for the plan's first years that return is
    before the start, and where ``magi_history`` does not reach back to it the plan charges
    that year's IRMAA as on a MAGI of 0 (no surcharge). The line that says so, where someone
    is on Medicare in such a year and the plan counts IRMAA; none elsewhere."""
    if not hh.strategy.medicare:
        return []
    lookback = int(law.get("medicare.lookback_years", int(tl.years[0])))
    unknown = np.arange(min(max(lookback - len(hh.magi_history), 0), tl.T))
    charged = tl.years[unknown[tl.on_medicare[unknown] > 0]]
    if not charged.size:
        return []
    back = _years_text(charged - lookback)
    return [f"Medicare IRMAA of {_years_text(charged)} is figured as if the MAGI of {back} were "
            f"0: a year's IRMAA is set by the MAGI of the return {lookback} years before (42 "
            f"U.S.C. §1395r(i)(4); 20 CFR 418.1115(a)), and the case gives none for {back} — "
            "give `magi_history`."]


def _years_text(years: np.ndarray) -> str:
    """Consecutive years as "2026" or "2026–2027"."""
    first, last = int(years[0]), int(years[-1])
    return str(first) if first == last else f"{first}–{last}"


def earnings_test_json(plan: PlanResult) -> dict:
    """Each person's benefit withheld under the retirement earnings test (42 U.S.C. §403(b),
    (f); 20 CFR 404.434(b): their own, and a spouse's benefit on the worker's record; start-year
    dollars) and the claiming age the benefit is figured at from full
    retirement age (§402(q)(7)) — present only where something is withheld, so that a case
    without it keeps its JSON.  A survivor's benefits withheld after the first death (the
    widow's or widower's benefit with their own, 20 CFR 404.416(b)) are also in
    ``survivor_withheld_real``, only where there are some."""
    tl, hh = plan.timeline, plan.household
    if not tl.social_security_withheld.any():
        return {}
    people = []
    # The claim the benefit is figured from (no earlier than the first month it may be paid).
    paid_from = claim_ages(hh, plan.law or default_law())
    for i, p in enumerate(hh.people):
        withheld = tl.social_security_withheld[i]
        claim = p.social_security.claim_age
        raised = float(tl.benefit_claim_age[i])
        people.append({
            "claim_age": claim, "benefit_claim_age": round(raised, DIGITS_FINE),
            "months": 0 if claim is None else round(12 * (raised - paid_from[i])),
            "withheld_real": amount(withheld.sum()),
            "years": {str(int(y)): amount(w) for y, w in zip(tl.years, withheld, strict=True)
                      if w > 0}})
        if i == tl.survivor and tl.death_year is not None:
            after = withheld[tl.years > tl.death_year].sum()
            if after > 0:
                people[-1]["survivor_withheld_real"] = amount(after)
    return {"earnings_test": {"people": people}}


def irmaa_appeal_json(plan: PlanResult) -> dict:
    """What asking SSA to figure IRMAA on a more recent year's income after a work stoppage
    (form SSA-44, :mod:`~dist401k.planner.irmaa_appeal`) takes off the optimum's surcharges:
    each year it lowers (nominal) and in all (start-year dollars), and whether the plan
    counts it (``strategy.irmaa_appeal``) or only says what it would save — present only
    where it lowers some year's, so that a case without it keeps its JSON."""
    o = next(s for s in plan.strategies if s.key == "optimal")
    saving = o.result["irmaa_saving"][0]
    if not (saving > 0).any():
        return {}
    tl, hh = plan.timeline, plan.household
    price = growth_factors(plan.inflation, np.arange(tl.T))
    return {"irmaa_appeal": {
        "filed": hh.strategy.irmaa_appeal,
        "work_stopped": [{"person": i, "year": y} for i, y in work_stoppage_years(hh)],
        "years": {str(int(y)): {"irmaa": amount(i), "saving": amount(s)}
                  for y, i, s in zip(tl.years, o.result["irmaa"][0], saving, strict=True)
                  if s > 0},
        "saving_real": amount((saving / price).sum())}}


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


def claiming_json(plan: PlanResult) -> dict:
    """The claiming search's answer (present only where the case asks for it): the ages, the
    number of candidates, the rows compared; with ``kept`` (by person, the age of a claim made
    before the plan's start, which the search keeps; null: searched or none) and ``notes``
    (why) only where a claim was kept, so that other cases keep their JSON."""
    c = plan.claiming
    if c is None:
        return {}
    out = {"claim_ages": list(c.best), "candidates": c.candidates, "compared": c.compared}
    names = [p.name or f"person {i + 1}" for i, p in enumerate(plan.household.people)]
    if (note := kept_claims_text(c.kept, names)) is not None:
        out |= {"kept": list(c.kept), "notes": [note]}
    return {"claiming": out}


def spending_json(plan: PlanResult) -> dict:
    """What the plan was asked to spend beyond a constant spending — each change of the base
    spending (its first year and its share of the spending level) and each planned expense
    (its years, amount and label) — present only where the case has some, so that a case
    without them keeps its JSON.  The strategies' ``spending_real`` stays the level: the base
    spending before the first change, in start-year dollars."""
    sp = plan.household.spending
    if sp.flat:
        return {}
    first = sp.change_years(plan.household.people[0].birth_date.year)
    return {"spending": {
        "changes": [{"from_year": y, "from_age": c.from_age, "fraction": c.fraction}
                    for y, c in zip(first, sp.changes, strict=True)],
        "expenses": [{"year": e.year, "years": e.years, "last_year": e.year + e.years - 1,
                      "amount": e.amount, "indexed": e.indexed, "label": e.label}
                     for e in sp.expenses],
        "survivor_fraction": sp.survivor_fraction if plan.household.couple else None}}


def spending_plan_text(j: dict) -> str | None:
    """The plan's spending changes and planned expenses in words (the JSON's ``spending``), as
    the terminal prints it; None where the spending is constant."""
    sp = j.get("spending")
    if not sp:
        return None
    parts = [f"from {c['from_year']} {c['fraction']:.0%} of it" for c in sp["changes"]]
    if parts:
        text = ("The spending a year shown is the level before the changes (today's dollars): "
                f"{', '.join(parts)}; a guardrail's is the mean of its base spending over that "
                "share")
    else:
        text = "The spending a year shown is the base spending, the planned expenses left out"
    survivor = sp.get("survivor_fraction")
    text += f" (a survivor spends {survivor:.0%} of it)" if survivor is not None else ""
    text += (". The systematic strategy's is its own mean payment (its share of the balance "
             "follows no change of spending); it pays the planned expenses on top.")
    for e in sp["expenses"]:
        once = e["years"] == 1
        years = str(e["year"]) if once else f"{e['year']}–{e['last_year']}"
        dollars = "today's dollars" if e["indexed"] else "nominal dollars"
        text += (f" Planned on top: {e['label'] or 'an expense'}, {dollars_text(e['amount'])}"
                 f"{'' if once else ' a year'} ({dollars}) in {years}.")
    return text


def inflows_json(plan: PlanResult) -> dict:
    """The money the case receives that is not income (``inflows``: a gift or an inheritance,
    IRC §102(a); a home's net proceeds within §121), each with its year, amount and label —
    present only where the case has some, so that a case without them keeps its JSON."""
    got = plan.household.inflows
    if not got:
        return {}
    return {"inflows": [{"year": f.year, "amount": f.amount, "indexed": f.indexed,
                         "label": f.label} for f in got]}


def inflows_text(j: dict) -> str | None:
    """The JSON's ``inflows`` in words, as the terminal prints it; None where there are none."""
    TODAYS = "today's dollars"
    got = j.get("inflows")
    if not got:
        return None
    said = [f"{f['label'] or 'money received'}, {dollars_text(f['amount'])} "
            f"({TODAYS if f['indexed'] else 'nominal dollars'}) in {f['year']}" for f in got]
    return ("Money received that is not income (a gift or an inheritance, IRC §102(a); a "
            "home's net proceeds within §121's exclusion — a gain above it is not modelled), "
            "cash at the start of its year: " + "; ".join(said) + ".")


#: The least a strategy leaves unpaid over the plan (nominal dollars) to count as short: the
#: spending search's own tolerance (:func:`_feasible`), the rounding of the exact pricing.
UNPAID_MIN = 1.0


def need_unpaid(s: dict, objective: str) -> float:
    """What a strategy of the JSON leaves unpaid of the need (``spending.annual``, its changes
    and planned expenses) over the plan on the fixed returns, nominal, under ``max_estate``,
    where every strategy is to pay the need and the estates are compared (docs/plan.md) — the
    systematic strategy included, whose payment is its share of the balance; 0 where it pays
    it, or under ``max_spending`` (each strategy's spending is then its own)."""
    if objective != "max_estate" or s["shortfall"] < UNPAID_MIN:
        return 0.0
    return float(s["shortfall"])


def need_unpaid_words(s: dict, objective: str) -> str:
    """A strategy's mark that it does not pay the need (:func:`need_unpaid`), for its row in the
    terminal, the report and the page: " — does not pay the need: $274,608 short"; "" where it
    pays it."""
    short = need_unpaid(s, objective)
    return f" — does not pay the need: ${dollars_text(short)} short" if short else ""


def best_key(j: dict) -> str | None:
    """The strategy starred as the best for the objective: the most ``spending_real``
    (``max_spending``) or ``estate_real`` (``max_estate``), a guardrail never (its spending
    moves with the markets), nor under ``max_estate`` a strategy that leaves the need unpaid
    (:func:`need_unpaid`): the estates are compared only among the strategies that pay the need
    (docs/plan.md); None where none is left to rank."""
    key = "spending_real" if j["objective"] == "max_spending" else "estate_real"
    ranked = [s for s in j["strategies"] if s["key"] not in GUARDRAIL_KEYS
              and not need_unpaid(s, j["objective"])]
    return max(ranked, key=lambda s: s[key])["key"] if ranked else None


def table_plan_words(j: dict) -> str:
    """Which plan the year-by-year table shows: always the optimum's rows (``table``), so where
    :func:`best_key` stars another strategy (one that ties it or does better on the exact
    pricing) the table's heading names the optimum and says it is not the starred one; nothing
    where the optimum is starred or none is."""
    best = best_key(j)
    if best in (None, "optimal"):
        return ""
    label = {s["key"]: s["label"] for s in j["strategies"]}
    return f" — the rows of {label.get('optimal', 'the optimum')}, not of the ★ {label[best]}"


def need_unpaid_sentence(s: dict) -> str:
    """Under ``max_estate``, why a strategy that leaves the need unpaid (:func:`need_unpaid`) is
    not ranked, and, for a strategy whose payment varies (the systematic strategy, a
    guardrail), that its "spending a year" is its mean over the years: a mean at or above the
    need still leaves it short in the years it pays less (docs/plan.md, "The strategies")."""
    said = (f"{s['label']} leaves ${dollars_text(s['shortfall'])} of the need (spending.annual) "
            "unpaid, so it is not ranked (the estates are compared only among the strategies "
            "that pay the need)")
    if s["key"] == "systematic" or s["key"] in GUARDRAIL_KEYS:
        said += (f"; its spending a year, {dollars_text(s['spending_real'])} in today's dollars, "
                 "is its mean over the years, and it pays less than the need in one year or more")
    return said


def _systematic_unpaid_words(s: dict) -> str:
    """What the systematic strategy leaves unpaid under ``max_spending`` (its ``shortfall``:
    :func:`shortfall_basis`), in words: the planned expenses (``unpaid_expenses``), the gift
    (the rest), or both."""
    expenses = s.get("unpaid_expenses", 0.0)
    parts = [what for what, short in (("the planned expenses", expenses),
                                      ("the gift", s["shortfall"] - expenses))
             if short >= UNPAID_MIN]
    return " and ".join(parts) or "the planned expenses and the gift"


def unpaid_text(j: dict) -> str | None:
    """The strategies of the comparison that leave something unpaid on the case's fixed
    returns, in words (nominal dollars over the plan): a strategy of constant or guardrail
    spending its spending (``shortfall``), the systematic strategy — whose payment is its
    share, not the case's spending — the planned expenses and the gift it pays beside its share
    (its ``shortfall`` there: :func:`shortfall_basis`); under
    ``max_estate``, where every strategy is to pay the need, each strategy's shortfall of the
    need, not ranked (:func:`best_key`: only what is true whatever its estate, which may be the
    smallest); None where none does."""
    said = []
    for s in j["strategies"]:
        if need_unpaid(s, j["objective"]):
            said.append(need_unpaid_sentence(s))
        elif s["shortfall"] >= UNPAID_MIN:
            what = _systematic_unpaid_words(s) if s["key"] == "systematic" else "its spending"
            said.append(f"{s['label']} leaves ${dollars_text(s['shortfall'])} of {what} unpaid")
    if not said:
        return None
    return "Unpaid on the case's fixed returns (nominal dollars over the plan): " + "; ".join(
        said) + "."


def _strategies_json(plan: PlanResult) -> list[dict]:
    """Each strategy's figures in the plan's JSON (docs/plan.md, "The JSON")."""
    hh = plan.household
    return [
        {"key": o.key, "label": o.label,
         "spending_real": amount(o.spending_real),
         "lifetime_tax": amount(o.lifetime_tax),
         "lifetime_tax_real": amount(o.lifetime_tax_real),
         **strategy_state_tax_json(o),
         "irmaa": amount(o.irmaa),
         "roth_conversions": amount(o.conversions),
         "estate_real": amount(o.estate_real),
         "shortfall": amount(o.shortfall),
         "shortfall_measured_against": shortfall_basis(
             o.key, hh.strategy.objective, o.rule is not None, hh.charity.annual > 0),
         **({} if o.unpaid_expenses is None
            else {"unpaid_expenses": amount(o.unpaid_expenses)}),
         "monte_carlo": _monte_carlo_json(o.monte_carlo)}
        for o in plan.strategies]


def plan_json(plan: PlanResult) -> dict:
    """Stable JSON for the CLI and the API: the same case gives the same bytes (no wall-clock
    time: the terminal's footer shows how long the optimum took), with the law and the program
    that answered."""
    from dist401k import __version__

    hh = plan.household
    sol = plan.solution
    strategies = _strategies_json(plan)
    return {
        "case_id": hh.id,
        "law_version": plan.law_version,
        "dist401k_version": __version__,
        "objective": hh.strategy.objective,
        "years": [int(plan.timeline.years[0]), int(plan.timeline.years[-1])],
        "inflation": plan.inflation,
        # the first year whose law is projected past the last enacted one (each row's
        # ``projected``): its income tax brackets and IRMAA tiers and amounts are indexed
        "projected_from": (plan.law or default_law()).enacted_through + 1,
        "optimiser": {"spending_real": amount(sol.spending_real),
                      "estate_real": amount(sol.estate_real), "passes": sol.passes,
                      "status": sol.status},
        "strategies": strategies,
        # the strategy starred as the best (every door stars the same one): None where none ranks
        "best": best_key({"objective": hh.strategy.objective, "strategies": strategies}),
        **charity_json(plan),
        **confidence_json(plan),
        **marketplace_json(plan),
        **state_json(plan),
        **assumptions_json(plan),
        **longevity_json(plan),
        **earnings_test_json(plan),
        **irmaa_appeal_json(plan),
        **claiming_json(plan),
        **spending_json(plan),
        **inflows_json(plan),
        "table": year_table(plan, "optimal"),
    }
