"""The optimum drawdown: a linear programme solved with HiGHS (SciPy).

Each year it chooses the withdrawal from each person's pre-tax money, the Roth conversion, the
Roth, brokerage and cash withdrawals and what is saved, to maximise the constant after-tax
spending (in today's dollars) that leaves the chosen estate — or the after-tax estate at a
chosen spending.  Constraints: the balances year to year, the RMD floors (IRC §401(a)(9): a
pre-tax withdrawal of at least balance ÷ divisor, which a conversion cannot satisfy, Treas.
Reg. §1.402(c)-2(c)(3)), the ordinary brackets (§1(j): income fills each bracket up to its
width; the rates rise, so the programme is convex), the stacking of qualified dividends and
gains on top of ordinary income (§1(h)), the §72(t) additional tax on early pre-tax
withdrawals, and the cash flow of every year.

Three parts of the tax are not convex: the taxable share of Social Security (§86: it rises,
then stops at its cap), the tax on preferential income, which depends on where ordinary income
ends (§1(h)), and the Medicare IRMAA tiers (a cliff).  The first two are replaced by convex
upper bounds that touch them at the last solution (majorisation–minimisation: each pass can
only improve the true objective); IRMAA, the senior deduction's phase-out, the NIIT and the
marketplace premium net of its premium tax credit (§36B: a phase-out and, from 2026, a cliff
at 400% of the poverty line) are carried over from the last solution, as Owl does; a year
whose income is a little past an IRMAA tier is then tried below it (:func:`_below_irmaa_tiers`).
The programme is solved again until the objective settles, and every solution is priced exactly
by the tax engine, so the reported taxes never rest on the approximations.

Where the case has a state, the year's state tax is a convex piecewise-linear term of the
year's taxable distribution, the lower convex hull of the exact state tax sampled along it,
with the tax's excess over its hull at the last solution and the marginal rate of the year's
other income carried into the next pass (:mod:`dist401k.planner.state_tax`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from dist401k.compounding import growth_factors
from dist401k.errors import FieldProblem, InputError
from dist401k.law.loader import Law, Lookup
from dist401k.money import dollars_text
from dist401k.planner import highs
from dist401k.planner.basis_at_death import basis_after_death
from dist401k.planner.budget import check_budget
from dist401k.planner.household import Household
from dist401k.planner.irmaa_appeal import irmaa_by_year
from dist401k.planner.marketplace import coverage, net_premium
from dist401k.planner.medicare import tier_below
from dist401k.planner.simulate import ReturnIncome, blind_on_return, household_return, law_dollars
from dist401k.planner.social_security_benefit import benefit_price_level
from dist401k.planner.state_tax import DrawnShares, PlanState, StateTerms, state_terms
from dist401k.planner.timeline import Timeline, inflow_schedule
from dist401k.tax.deductions import (
    aged_or_blind_count,
    nonitemizer_charitable_deduction,
    senior_count,
    senior_deduction,
    standard_deduction,
)
from dist401k.tax.federal import federal_tax
from dist401k.tax.medicaid import medicaid_income_limit
from dist401k.tax.premium_tax_credit import income_window, poverty_line
from dist401k.tax.social_security import taxable_social_security

MAX_PASSES = 8
TOLERANCE = 2e-4
#: The taxable share of Social Security counts as at its cap within this many dollars
#: (rounding of the exact tax engine).
AT_CAP_DOLLARS = 0.5
#: A year whose income must stay under a cap (an IRMAA tier's figure, the premium tax credit's
#: income limit) keeps this share of the cap inside it: the plan as the simulator runs it (its
#: taxes settled exactly, the interest on the cash at the start of the year) may have a little
#: more income than the programme's solution.
CAP_MARGIN = 0.005
#: A year whose MAGI is past an IRMAA tier's lower figure by less than this many times the
#: surcharge that tier adds is tried below it (:func:`_below_irmaa_tiers`): moving that much
#: income to another year costs far less than the surcharge at the marginal rates' differences.
TIER_TRY = 10.0
#: A marketplace year whose household income is past the premium tax credit's income limit by
#: less than this many times the credit just below the limit is tried below it first
#: (:func:`_within_credit_window`); then every year past the limit is.
LIMIT_TRY = 10.0
#: The slope of the premium net of its credit is taken over this share of the poverty line
#: below the solution's household income: two of Form 8962's whole percents, over which the
#: contribution's rounding averages out.
SLOPE_STEP = 0.02
#: A year held on the margin inside the credit's window may sit this share past it in the
#: exact pricing of the programme's solution (rounding), and still counts as held.
ON_MARGIN = 1e-6


class _Builder:
    """Variables in named blocks and constraint rows as sparse triplets."""

    def __init__(self):
        self.n = 0
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        # (rows, columns, coefficients) triplets and right-hand sides, by kind of row
        self.rows: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {"eq": [], "ub": []}
        self.rhs: dict[str, list[np.ndarray]] = {"eq": [], "ub": []}
        self.count = {"eq": 0, "ub": 0}
        self.names: dict[str, np.ndarray] = {}
        self.position: dict[str, int] = {}  # a block's place in ``lb`` and ``ub``

    def copy(self) -> _Builder:
        """A builder that goes on from this one's variables and rows (this one is left as it
        is): the part of the programme every pass shares is built once and copied.  The rows
        so far are joined into one triplet of each kind, in their order, so the matrices
        come out the same."""
        out = _Builder()
        out.n = self.n
        out.lb, out.ub = list(self.lb), list(self.ub)
        for kind in ("eq", "ub"):
            if self.rows[kind]:
                r, c, v = (np.concatenate(p) for p in zip(*self.rows[kind], strict=True))
                out.rows[kind] = [(r, c, v)]
            out.rhs[kind] = [np.concatenate(self.rhs[kind])] if self.rhs[kind] else []
        out.count = dict(self.count)
        out.names = dict(self.names)
        out.position = dict(self.position)
        return out

    def var(self, name, shape, lb=0.0, ub=np.inf) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        self.position[name] = len(self.lb)
        self.lb.append(np.broadcast_to(np.asarray(lb, float), shape).ravel())
        self.ub.append(np.broadcast_to(np.asarray(ub, float), shape).ravel())
        self.names[name] = idx
        return idx

    def add(self, kind, terms, rhs) -> np.ndarray:
        """Rows ``Σ coef·var (=|≤) rhs``; ``terms`` is a list of (coef, index) arrays that
        broadcast to the number of rows."""
        m = int(np.broadcast_shapes(*[np.shape(i) for _, i in terms], np.shape(rhs)
                                    )[0]) if np.ndim(rhs) or any(np.ndim(i) for _, i in terms
                                                                 ) else 1
        first = self.count[kind]
        r = np.arange(first, first + m)
        # The terms as one (term, row) table of columns and one of coefficients, filled by
        # broadcasting; read term by term (as the rows were once added one term at a time),
        # with no entry where a coefficient is 0.
        cols = np.empty((len(terms), m), dtype=np.intp)
        coefs = np.empty((len(terms), m))
        for j, (coef, idx) in enumerate(terms):
            cols[j] = idx
            coefs[j] = coef
        keep = coefs != 0
        self.rows[kind].append((np.broadcast_to(r, coefs.shape)[keep], cols[keep],
                                coefs[keep]))
        self.rhs[kind].append(np.broadcast_to(np.asarray(rhs, float), (m,)))
        self.count[kind] += m
        return r

    def bound(self, name, lb, ub) -> None:
        """Set the bounds of the block ``name`` anew."""
        shape = self.names[name].shape
        self.lb[self.position[name]] = np.broadcast_to(np.asarray(lb, float), shape).ravel()
        self.ub[self.position[name]] = np.broadcast_to(np.asarray(ub, float), shape).ravel()

    def stacked(self):
        """The inequality and equality rows in one sparse matrix (inequalities first), with
        the two right-hand sides."""
        rows, rhs = [], []
        for kind, offset in (("ub", 0), ("eq", self.count["ub"])):
            for r, c, v in self.rows[kind]:
                rows.append((r + offset, c, v))
            rhs.append(np.concatenate(self.rhs[kind]) if self.rhs[kind] else np.zeros(0))
        r, c, v = (np.concatenate(part) for part in zip(*rows, strict=True))
        a = sp.csr_matrix((v, (r, c)), shape=(self.count["ub"] + self.count["eq"], self.n))
        return a, rhs[0], rhs[1]


@dataclass
class Solution:
    """The optimiser's plan (nominal dollars by year) and why it is what it is."""

    years: np.ndarray
    spending_real: float  # constant after-tax spending, start-year dollars
    estate_real: float
    pretax_withdrawals: np.ndarray  # (I, T)
    conversions: np.ndarray  # (I, T)
    roth_withdrawals: np.ndarray
    taxable_withdrawals: np.ndarray
    cash_withdrawals: np.ndarray
    rmd_binds: np.ndarray  # (T,) the RMD floor binds
    top_rate: np.ndarray  # (T,) rate of the highest ordinary bracket reached
    marginal_value: np.ndarray  # (T,) shadow price of a dollar of spending need that year
    passes: int
    seconds: float = 0.0
    status: str = ""
    history: list = field(default_factory=list)
    qcd: np.ndarray | None = None  # (K, T) qualified charitable distributions, where any


def _year_facts(hh: Household, tl: Timeline, law: Law, infl: float) -> dict:
    years = tl.years
    lk = Lookup(law, years, tl.filing_status.astype(np.int8))
    thr = lk.get("income_tax.brackets")  # (T, 6)
    rates = law.get("income_tax.rates", years)  # (T, 7)
    cg_thr = lk.get("capital_gains.thresholds")  # (T, 2)
    cg_rates = law.get("capital_gains.rates", years)  # (T, 3)
    fs = tl.filing_status
    # §63(f): age and blindness, the blind on the year's return (the couple, then the survivor)
    blind = blind_on_return(hh, tl.alive)
    aged = aged_or_blind_count(lk, fs, tl.age_head, tl.age_spouse, blind > 0, blind > 1)
    std = standard_deduction(lk, aged)
    price = growth_factors(infl, np.arange(tl.T + 1))
    m = hh.market
    growth = 1 + max(m.invested_return(), 0.0)
    return dict(lk=lk, thr=thr, rates=rates, cg_thr=cg_thr, cg_rates=cg_rates, std=std,
                price=price, benefit_price=benefit_price_level(price),
                seniors=senior_count(lk, fs, tl.age_head, tl.age_spouse),
                # the law's price level of each year in the plan's (its IRMAA figures restated)
                restate=price[:tl.T] / np.array([law_dollars(law, int(tl.years[0]), t, price)
                                                 for t in range(tl.T)]),
                scale=dollar_scale(hh, tl), plan_state=PlanState.of(hh, tl),
                # the most a year may draw from pre-tax money: all of it, grown
                reach=tl.pool_balance.sum() * growth_factors(growth - 1, np.arange(tl.T)))


def dollar_scale(hh: Household, tl: Timeline) -> float:
    """The size of a household in dollars: its money plus its yearly incomes and needs (start
    year), at least one dollar.  The programme is solved in units of it."""
    money = (tl.pool_balance.sum() + sum(p.accounts.roth for p in hh.people) + tl.roth_inherited
             + hh.taxable.balance + hh.cash)
    yearly = (tl.wages.sum(0).max() + tl.pension.sum(0).max() + tl.social_security.sum(0).max()
              + tl.other_income_at(1.0).max()
              + hh.spending.annual + hh.charity.annual
              + sum(e.amount for e in hh.spending.expenses)
              + sum(f.amount for f in hh.inflows))
    return float(max(money + yearly + hh.spending.bequest, 1.0))


def optimise(hh: Household, tl: Timeline, law: Law, *, objective: str | None = None,
             spending_real: float | None = None, returns: dict | None = None) -> Solution:
    """Solve the drawdown programme by successive linear programming (HiGHS).

    Raises :class:`InputError` naming the case's demand (spending, bequest, gift to charity,
    conversion cap) that leaves no plan."""
    objective = objective or hh.strategy.objective
    if objective == "max_estate" and spending_real is None:
        spending_real = hh.spending.annual
    sol = _optimum(hh, tl, law, objective, spending_real)
    if sol is None:
        raise no_solution(hh, tl, law, objective, spending_real)
    return sol


def _optimum(hh: Household, tl: Timeline, law: Law, objective: str,
             spending_real: float | None) -> Solution | None:
    """:func:`optimise`, or None where the case leaves no plan."""
    import time

    t0 = time.perf_counter()
    ctx = _case(hh, tl, law)
    f = ctx.f
    run = _passes(ctx, _start(hh, tl, f), objective, spending_real)
    if run is None and objective == "max_estate":
        # The first pass over-states the tax (Social Security at its cap, §1(h) past its 0%
        # zone); a spending close to the most the money pays needs the settled tax of the
        # max_spending programme to be seen as payable.
        warm = _passes(ctx, _start(hh, tl, f), "max_spending", None)
        if warm is not None and spending_real is not None and \
                float(warm[2]["_g"]) >= spending_real:
            run = _passes(ctx, _state_at(ctx, warm[2]), objective, spending_real)
    if run is None:
        return None
    held: dict = {}
    if hh.marketplace is not None:
        run, held = _within_credit_window(ctx, run, objective, spending_real)
    res, _, flows, history = run
    if hh.strategy.medicare:
        res, flows, history = _below_irmaa_tiers(ctx, run, objective, spending_real, held)
    return _solution(tl, f, res, flows, objective, spending_real, history,
                     time.perf_counter() - t0)


def _case(hh: Household, tl: Timeline, law: Law) -> _Case:
    """What every pass of an optimisation of ``hh`` shares."""
    m = hh.market
    infl = law.inflation if m.inflation is None else m.inflation
    # the invested money's return net of the fee (market.fee); cash earns market.cash, no fee
    return _Case(hh, tl, law, _year_facts(hh, tl, law, infl), m.invested_return(), m.cash, infl)


def _start(hh: Household, tl: Timeline, f: dict) -> dict:
    """The first linearisation points: taxable Social Security (value, slope), the senior
    deduction, the §170(p) deduction (:func:`_gift_in_cash_start`), NIIT, IRMAA, gain share of
    brokerage sales, the ordinary zone of §1(h)."""
    T = tl.T
    ss_nominal = tl.social_security.sum(0) * f["benefit_price"][:T]
    r2 = f["lk"].get("social_security.second_tier_rate")
    # Social Security starts at its cap (taxable r2·SS): an upper bound everywhere.  The first
    # pass puts ordinary income just past the 0% zone of §1(h) (a start that, in the cases
    # tried, leads to better optima than starting below it).
    return dict(ts_fixed=r2 * ss_nominal, ts_cap=np.ones(T, bool),
                state=_state_start(tl, f),
                senior=senior_deduction(f["lk"], f["seniors"], np.zeros(T)),
                charity=nonitemizer_charitable_deduction(f["lk"], _gift_in_cash_start(tl, f)),
                niit=np.zeros(T), irmaa=np.zeros(T), irmaa_caps=np.full(T, np.inf),
                income_caps=np.full(T, np.inf), income_floors=np.full(T, -np.inf),
                **_no_marketplace(T),
                gain_frac=np.full(T, 1 - hh.taxable.basis / hh.taxable.balance
                                  if hh.taxable.balance else 0.0),
                ordinary=f["cg_thr"][:, 0] + 1.0)


def _gift_in_cash_start(tl: Timeline, f: dict) -> np.ndarray:
    """The gift the first pass sees paid from after-tax money (nominal, (T,)): what QCDs
    cannot pay even at the most each person who may give by them gives (IRC §408(d)(8)(A)).
    Only a start: each pass after takes its solution's."""
    gift = tl.gift * f["price"][:tl.T]
    if not tl.qcd_ok.any():
        return gift
    givers = sum(tl.qcd_ok[tl.pool_owner == i].any(0).astype(float)
                 for i in np.unique(tl.pool_owner))
    return np.maximum(gift - givers * tl.qcd_limit, 0.0)


def _state_start(tl: Timeline, f: dict) -> StateTerms | None:
    """The state's terms of the first pass: nothing drawn, no other income (None: no state);
    the blind on the year's return as every later pass has them (a state that reads the
    federal standard deduction takes its §63(f)(2) additional amounts)."""
    ps = f["plan_state"]
    if ps is None:
        return None
    T = tl.T
    price = f["price"][:T]
    pension = sum(tl.pension[i] * (price if tl.pension_indexed[i] else 1.0)
                  for i in range(tl.people))
    units = household_return(tl.years, tl.filing_status.astype(np.int8), tl.age_head,
                             tl.age_spouse, ReturnIncome(
                                 wages=tl.wages.sum(0) * price, distributions=pension,
                                 ss=tl.social_security.sum(0) * f["benefit_price"][:T],
                                 other=tl.other_income_at(price)),
                             blind_on_return(ps.hh, tl.alive))
    return state_terms(ps, f["lk"].law, units, np.zeros(T), f["reach"],
                       ps.spouse_fixed(np.arange(T), price, f["benefit_price"][:T]),
                       _spouse_share(ps, tl),
                       _ira_shares(ps, tl.pool_balance))


def _spouse_share(ps: PlanState, tl: Timeline) -> float:
    """The spouse's share of a year's draw where nothing is drawn: of the pre-tax money."""
    held = float(tl.pool_balance.sum())
    return float(ps.spouse_drawn(tl.pool_balance)) / held if held > 0 else 0.0


def _ira_shares(ps: PlanState, taken: np.ndarray, early: np.ndarray | None = None,
                start: DrawnShares | None = None) -> DrawnShares:
    """The shares of the pre-tax money ``taken`` by pool (K,) or (K, T) paid from IRAs, the
    household's and the second person's, and (``early``: the part of ``taken`` owing the
    §72(t) tax by pool) of their parts owing the §72(t) tax, with the employer parts, the
    parts paid on a death and those from accounts inherited by someone other than a spouse
    (:meth:`PlanState.heir_drawn`); where nothing is taken, ``start``'s (the shares of the
    pre-tax money held, none early)."""
    total = taken.sum(0)
    fallback = start or DrawnShares()

    def share(part, other):
        return np.divide(part, total, out=np.broadcast_to(np.asarray(other, float),
                                                          np.shape(total)).copy(),
                         where=total > 0)

    early = np.zeros_like(taken) if early is None else early
    return DrawnShares(share(ps.ira_drawn(taken), fallback.household),
                       share(ps.ira_drawn(taken, spouse=True), fallback.spouse),
                       share(ps.ira_drawn(early), 0.0),
                       share(ps.ira_drawn(early, spouse=True), 0.0),
                       share(ps.employer_drawn(taken), fallback.employer),
                       share(ps.employer_drawn(taken, ira=True), fallback.ira_employer),
                       *_death_shares(ps, taken),
                       *(share(ps.heir_drawn(taken, spouse=who, ira=ira), getattr(fallback, name))
                         for name, who, ira in (("heir", False, False), ("heir_ira", False, True),
                                                ("spouse_heir", True, False),
                                                ("spouse_heir_ira", True, True))))


def _death_shares(ps: PlanState, taken: np.ndarray) -> tuple:
    """(T,) twice, or zeros: of the pre-tax money ``taken`` by pool (K,) (the same every year)
    or (K, T), the shares paid from IRAs on a death (:meth:`PlanState.death_drawn`), the
    household's and the second person's — an heir's draws from an inherited IRA, which
    Arkansas exempts before 59½ as the plan's figures do (Ark. Code Ann. §26-51-307(a)(2)(B))."""
    if ps.death_pools is None:
        return 0.0, 0.0
    T = ps.death_pools.shape[1]
    full = taken if taken.ndim == 2 else np.repeat(taken[:, None], T, axis=1)
    total, t = full.sum(0), np.arange(T)
    return tuple(np.divide(ps.death_drawn(full, t, spouse=who), total, out=np.zeros(T),
                           where=total > 0) for who in (False, True))


def _passes(ctx: _Case, state: dict, objective: str, spending_real: float | None,
            caps: dict | None = None):
    """Solve, price exactly, relinearise, until the objective settles.  Returns (result,
    variables, flows, objective history), or None when the first pass has no solution; the
    state at the last solution is :func:`_state_at` its flows.  ``caps``: the state's caps
    held in every pass, by key: (T,) the most MAGI (``irmaa_caps``, :func:`_below_irmaa_tiers`)
    or household income (``income_caps``, :func:`_within_credit_window`) each year may have."""
    tl = ctx.tl
    sol = None
    history: list[float] = []
    state = _capped(state, caps)
    warm = None  # (the last pass's basis, its programme's shape)
    while len(history) < MAX_PASSES:
        check_budget()
        prog = _Programme.of(ctx, state, objective, spending_real)
        res = None
        if warm is not None and warm[1] == prog.shape:
            # This pass may be the last: one whose objective settles.  A pass of the same
            # shape as the last is solved first from the last pass's basis (a few pivots,
            # often none, against some hundreds from nothing); where it settles, it is the
            # last pass and its optimum stands (the same value as a solve from nothing; where
            # the optimum is not unique, perhaps another optimal point of it).  Where it does
            # not settle, the pass is solved from nothing again, so that the next pass is
            # linearised where it always was.
            hot = prog.solve(ctx, warm[0])
            if hot.status == 0 and history and _settled(history[-1], float(-hot.fun)):
                res = hot
        if res is None:
            res = prog.solve(ctx)
        if res.status != 0 and not history:
            # A household whose income stays far below the 0% zone cannot carry the first
            # pass's tangent there (it charges 15% on income it does not have): start from no
            # ordinary income instead, where the tangent charges nothing.
            state["ordinary"] = np.zeros(tl.T)
            prog = _Programme.of(ctx, state, objective, spending_real)
            res = prog.solve(ctx)
        if res.status != 0:
            # None on the first pass; later, a pass whose carried-over IRMAA or NIIT left no
            # room: the last solution stands.
            return None if sol is None else (*sol, history)
        x = prog.variables(res)
        flows = _flows(x)
        flows["_carried"] = state  # (the linearisation it was found at: :func:`_priced`)
        history.append(float(-res.fun))
        sol = (res, x, flows)
        warm = (res.basis, prog.shape) if res.basis is not None else None
        # Settled when the objective moves by less than 0.02% between passes (about $20 of a
        # $100,000 spending).  IRMAA and the §86 share are not majorised: an IRMAA tier can
        # flip back and forth by a few dollars, so the objective, not the tiers, decides.
        settled = len(history) >= 2 and _settled(history[-2], history[-1])
        if settled and ctx.hh.marketplace is None:
            break
        if len(history) < MAX_PASSES:  # (the last pass's solution is priced only if asked)
            last, state = state, _capped(_state_at(ctx, flows), caps)
            # A marketplace year whose household income went past the credit's limit since
            # the last solution would come back (past it, the programme sees no credit to
            # keep): it is held below the limit from now on.  A year below the poverty line is
            # raised to it where the pre-tax money left can get it there: there the
            # credit is nearly the whole benchmark premium, for income taxed at 0% or 10%.  Such
            # a move unsettles the passes: the objective had not seen the credit it loses.
            was_over, was_under = _outside(last)
            inside = (last["credit_at_floor"] > 0) & ~was_over & ~was_under
            over, under = _outside(state)
            under &= _pretax_left(tl, flows) >= state["credit_floor"] - state["household_income"]
            # (a year the caller holds below the floor — under Medicaid's limit — stays there)
            under &= (caps or {}).get("income_caps", np.inf) >= state["credit_floor"]
            moved = bool((inside & over).any() or under.any())
            if moved:
                caps = _window_caps(state, inside & over, under, caps)
                state = _held(ctx, state, caps)
            if settled and not moved:
                break
    return None if sol is None else (*sol, history)


def _pretax_left(tl: Timeline, flows: dict) -> np.ndarray:
    """(T,) the taxable pre-tax money a solution leaves in each year after the year's takes:
    the most income a conversion or a withdrawal more could add."""
    left = np.maximum(flows["Bp"][:, :tl.T] - flows["wp"] - flows["cv"], 0.0)
    return (np.where(tl.pool_dead, 0.0, left) * _taxable_share(tl)[:, None]).sum(0)


def _outside(st: dict) -> tuple[np.ndarray, np.ndarray]:
    """(T,) twice: the marketplace years whose household income is past the credit's limit,
    and those below its floor, where income inside the window would have a credit.  A year
    less than :data:`CAP_MARGIN` inside an edge counts as past it: the simulation's income may
    be a little more, or less, than the programme's, and at the edge a little is the whole
    credit.  (A year held inside sits on the margin: ``ON_MARGIN`` tells it from one past it.)"""
    income = st["household_income"]
    return ((income > st["credit_limit"] * (1 - CAP_MARGIN) * (1 + ON_MARGIN))
            & (st["credit_at_limit"] > 0),
            (income < st["credit_floor"] * (1 + CAP_MARGIN) * (1 - ON_MARGIN))
            & (st["credit_at_floor"] > 0))


def _window_caps(st: dict, over: np.ndarray, under: np.ndarray, caps: dict | None) -> dict:
    """``caps`` with the years ``over`` held below the credit's limit and those ``under`` at
    or above its floor (household income)."""
    caps = dict(caps or {})
    caps["income_caps"] = np.minimum(caps.get("income_caps", np.inf),
                                     np.where(over, st["credit_limit"], np.inf))
    caps["income_floors"] = np.maximum(caps.get("income_floors", -np.inf),
                                       np.where(under, st["credit_floor"], -np.inf))
    return caps


def _held(ctx: _Case, st: dict, caps: dict) -> dict:
    """The state ``st`` with ``caps`` held and the premium net of its credit taken at the
    household income they leave."""
    income = np.clip(st["household_income"],
                     caps.get("income_floors", -np.inf) * (1 + CAP_MARGIN),
                     caps.get("income_caps", np.inf) * (1 - CAP_MARGIN))
    return _capped(dict(st, **_marketplace(ctx.hh, ctx.tl, ctx.law, income, ctx.f["price"])),
                   caps)


def _capped(state: dict, caps: dict | None) -> dict:
    """``state`` with each of its caps the least of its own and ``caps``' (its floors, keys
    ending ``_floors``, the greatest)."""
    state = dict(state)
    for key, cap in (caps or {}).items():
        state[key] = (np.maximum if key.endswith("_floors") else np.minimum)(state[key], cap)
    return state


def _better(value: float, than: float) -> bool:
    """Whether an objective (the spending, or the estate) is better than ``than`` by more than
    the loop's tolerance."""
    return value > than + TOLERANCE * max(1.0, abs(than))


def _priced(ctx: _Case, run: tuple, at: dict | None = None) -> float:
    """A run's objective with the costs its last pass carried from the solution before (NIIT,
    IRMAA, the premium net of its credit along its tangent) put right at its own solution, to
    first order: each year's difference between the cost there (``at``: the state at the
    solution, :func:`_state_at`) and the cost carried, times the year's shadow price.  Where
    the passes settled the two differ by little; where they stopped unsettled (their last
    solution crossed a cliff the programme did not see), this is the figure to compare."""
    res, flows = run[0], run[2]
    if res.eq_duals is None:
        return float(-res.fun)
    at = _state_at(ctx, flows) if at is None else at
    used = flows["_carried"]
    carried = used["niit"] + used["irmaa"] + used["marketplace"] + used["marketplace_slope"] * (
        at["household_income"] - used["household_income"])
    premium = at["marketplace"]
    over, _ = _outside(at)
    if over.any():
        # a year at the limit's edge is priced past it: the simulation may well put it there
        income = np.where(over, np.maximum(at["household_income"], at["credit_limit"] + 1.0),
                          at["household_income"])
        premium = _marketplace(ctx.hh, ctx.tl, ctx.law, income, ctx.f["price"])["marketplace"]
    cost = at["niit"] + at["irmaa"] + premium
    # (a row's dual is the objective's loss per dollar more of the year's costs)
    return float(-res.fun) - float(res.eq_duals[flows["cash_rows"]] @ (cost - carried))


def _within_credit_window(ctx: _Case, run: tuple, objective: str,
                          spending_real: float | None) -> tuple[tuple, dict]:
    """The optimum tried again with the marketplace years whose household income is outside
    the premium tax credit's window brought inside it.  The credit is allowed from the poverty
    line to, from 2026, 400% of it (§36B(c)(1)(A)): a dollar outside costs the whole credit,
    which the tangent the programme carries does not see.  Tried: the years past the limit by
    less than :data:`LIMIT_TRY` times the credit below it, then every year past it, each with
    the years below the floor raised to it (where the pre-tax money left can); the passes run
    again from the last solution with those years' household income held (and their premium
    net of the credit taken there); the best stands, each valued with its carried costs put
    right at its own solution (:func:`_priced`).  Returns the run (its history: every pass of
    every try) and the caps its solution was found under.  Where the case takes Medicaid, the
    years above the Medicaid adult group's limit by less than :data:`LIMIT_TRY` times the
    premium less its credit there are tried below it too (:func:`_medicaid_edge`)."""
    st = _state_at(ctx, run[2])
    over, under = _outside(st)
    under &= _pretax_left(ctx.tl, run[2]) >= st["credit_floor"] - st["household_income"]
    near = over & (st["household_income"] - st["credit_limit"] < LIMIT_TRY * st["credit_at_limit"])
    tries = [_window_caps(st, near, under, None)] if (near | under).any() else []
    if (over != near).any():
        tries.append(_window_caps(st, over, under, None))
    above = st["household_income"] - st["medicaid_income"]
    medicaid = (above > 0) & (above < LIMIT_TRY * st["medicaid_cost"])
    if medicaid.any():
        tries.append({"income_caps": np.where(medicaid, st["medicaid_income"], np.inf)})
    best, best_caps, history = run, {}, list(run[3])
    value = _priced(ctx, run, st)
    for caps in tries:
        again = _passes(ctx, _held(ctx, st, caps), objective, spending_real, caps=caps)
        if again is None:
            continue
        history += again[3]
        priced = _priced(ctx, again)
        if _better(priced, value):
            best, best_caps, value = again, caps, priced
    return (*best[:3], history), best_caps


def _below_irmaa_tiers(ctx: _Case, run: tuple, objective: str, spending_real: float | None,
                       held: dict | None = None) -> tuple:
    """The optimum tried again with each year whose MAGI is a little past an IRMAA tier's
    lower figure kept at or below it.  The programme carries IRMAA as a fixed cost of the last
    solution: it cannot see the cliff, so a solution a few dollars past a tier pays the whole
    surcharge the tier adds (42 U.S.C. §1395r(i)(3)).  The passes run again from the last
    solution with those years' MAGI capped (and their surcharges at the tier below) and the
    caps ``held`` that the run was found under; the better stands, each valued with its
    carried costs put right at its own solution (:func:`_priced`).  Returns
    (result, flows, history of both runs' passes)."""
    res, _, flows, history = run
    at = _state_at(ctx, flows)
    st = _capped(at, held)
    caps = _tier_caps(ctx, st)
    if caps is None:
        return res, flows, history
    st["irmaa"] = _irmaa_at(ctx, np.minimum(st["magi"], caps * (1 - CAP_MARGIN)))
    again = _passes(ctx, st, objective, spending_real, caps={**(held or {}), "irmaa_caps": caps})
    if again is None:
        return res, flows, history
    better = _better(_priced(ctx, again), _priced(ctx, run, at))
    return (again[0], again[2], history + again[3]) if better else (
        res, flows, history + again[3])


def _irmaa_at(ctx: _Case, magi: np.ndarray) -> np.ndarray:
    """(T,) the surcharges a plan with ``magi`` pays (with the household's request after a
    work stoppage where it makes one)."""
    charged, appealed, _ = irmaa_by_year(ctx.law, ctx.hh, ctx.tl, magi, ctx.f["price"],
                                         ctx.f["restate"])
    return appealed if ctx.hh.strategy.irmaa_appeal else charged


def _tier_caps(ctx: _Case, st: dict) -> np.ndarray | None:
    """(T,) for each year whose MAGI sets a later year's surcharge (on the look-back return)
    and is past its tier's lower figure by less than :data:`TIER_TRY` times what that tier
    adds, the lower figure; infinite elsewhere.  None where there is no such year."""
    tl, law, f = ctx.tl, ctx.law, ctx.f
    magi, charged, paid = st["magi"], st["irmaa_charged"], st["irmaa"]
    lookback = int(law.get("medicare.lookback_years", tl.years[0]))
    caps = np.full(tl.T, np.inf)
    for t in np.nonzero((charged > 0) & (paid >= charged))[0]:
        s = t - lookback
        if s < 0:
            continue
        # the plan's dollars of a dollar of year t's law: its figures grow with the plan's
        # prices (medicare.surcharge_at_prices)
        dollars = f["price"][t] / f["restate"][t]
        below = tier_below(law, int(tl.years[t]), int(tl.filing_status[s]),
                           float(magi[s]) / dollars, tl.on_medicare[t])
        if below is None:
            continue
        lower, step = below[0] * dollars, below[1] * dollars
        if magi[s] - lower < TIER_TRY * step:
            caps[s] = min(caps[s], lower)
    return caps if np.isfinite(caps).any() else None


def _settled(before: float, after: float) -> bool:
    """Whether the objective has settled: moved by at most 0.02% from one pass to the next."""
    return abs(after - before) <= TOLERANCE * max(1.0, abs(after))


def _state_at(ctx: _Case, flows: dict) -> dict:
    """The linearisation points at a solution (its exact pricing, :func:`_relinearise`)."""
    return _relinearise(ctx.hh, ctx.tl, ctx.law, ctx.f, flows, ctx.r, ctx.rb)


def _solution(tl, f, res, flows, objective, spending_real, history, seconds) -> Solution:
    """The plan of the last pass, with why it is what it is (brackets, binding RMDs, duals);
    one pass for each figure of the objective's ``history``."""
    T = tl.T
    price = f["price"]
    spend = float(flows["_g"]) if objective == "max_spending" else float(spending_real)
    estate = float(-res.fun) if objective == "max_estate" else float(
        flows["estate_nominal"] / price[T])
    top = np.zeros(T)
    xs = flows["x"]
    for t in range(T):
        used = np.nonzero(xs[t] > 1.0)[0]
        top[t] = f["rates"][t][used[-1]] if used.size else 0.0
    rmd_bind = np.zeros(T, bool)
    for k in range(tl.pools):
        floor = flows["Bp"][k, :T] / tl.rmd_divisor[k]
        paid = flows["wp"][k] + (flows["q"][k] if "q" in flows else 0.0)
        rmd_bind |= (tl.rmd_required[k] & (paid <= floor + 1.0) & (floor > 0))
    mv = np.zeros(T)
    if res.eq_duals is not None:
        mv = -res.eq_duals[flows["cash_rows"]]
    return Solution(tl.years, spend, estate, flows["wp"], flows["cv"], flows["wr"], flows["wt"],
                    flows["wc"], rmd_bind, top, mv, len(history), seconds, res.message, history,
                    flows.get("q"))


def _whole_dollars(x: float) -> str:
    """``x`` in whole dollars, never below 0 nor "-0" (a solver's leftover below zero)."""
    return dollars_text(max(x, 0.0))


def no_solution(hh: Household, tl: Timeline, law: Law, objective: str,
                spending_real: float | None) -> InputError:
    """The case's demands that leave no plan, each named by its field: the gift to charity
    the money cannot give even with nothing else asked, the spending to pay (objective
    ``max_estate``), the bequest to leave (``max_spending``), the cap on Roth conversions.
    Each of the last three is dropped in turn; one whose absence lets the programme solve is
    named, with what the household can do without it."""
    problems = []
    most = _most_gift(hh, tl, law) if hh.charity.annual else None
    if most is not None:
        problems.append(FieldProblem("charity.annual", f"{dollars_text(hh.charity.annual)} a year "
                                     f"(today's dollars) cannot be given with the tax its "
                                     f"withdrawals owe; the most the money gives, with no "
                                     f"spending and no bequest, is {_whole_dollars(most)}"))
    if objective == "max_estate" and spending_real:
        best = _relaxed(hh, tl, law, hh.model_copy(update={"spending": hh.spending.model_copy(
            update={"bequest": 0.0})}), "max_spending")
        if best is not None:
            problems.append(FieldProblem("spending.annual", f"{dollars_text(spending_real)} a year "
                                         f"(today's dollars) cannot be paid with the tax it "
                                         f"owes; the most the money pays is "
                                         f"{_whole_dollars(best.spending_real)}"))
    if objective == "max_spending" and hh.spending.bequest:
        best = _relaxed(hh, tl, law, hh, "max_estate", 0.0)
        if best is not None:
            problems.append(FieldProblem("spending.bequest", f"{dollars_text(hh.spending.bequest)} "
                                         f"(today's dollars) cannot be left; the largest "
                                         f"after-tax estate is {_whole_dollars(best.estate_real)}"))
    if hh.strategy.max_conversion is not None:
        free = hh.model_copy(update={"strategy": hh.strategy.model_copy(
            update={"max_conversion": None})})
        if _relaxed(hh, tl, law, free, objective, spending_real) is not None:
            problems.append(FieldProblem("strategy.max_conversion", "leaves no plan that "
                                         "meets the spending and the bequest; raise or drop "
                                         "it"))
    problems += _in_service_problems(hh, tl, law, objective, spending_real)
    problems += _expenses_problems(hh, tl, law, objective, spending_real)
    if not problems:
        problems.append(FieldProblem("case", "no drawdown plan meets the required "
                                     "withdrawals, the spending and the bequest together"))
    return InputError(problems)


def _in_service_problems(hh: Household, tl: Timeline, law: Law, objective: str,
                         spending_real: float | None) -> list[FieldProblem]:
    """The plan accounts that pay nothing while their owner works, before 59½
    (``tl.pool_in_service``: IRC §401(k)(2)(B)(i), §403(b)(11), §457(d)(1)(A)), named by each
    owner's ``retirement_age`` where the programme with them open finds a plan."""
    shut = tl.pool_in_service
    if not shut.any():
        return []
    open_tl = replace(tl, pool_in_service=np.zeros_like(shut))
    try:
        if _optimum(hh, open_tl, law, objective, spending_real) is None:
            return []
    except InputError:
        return []
    owners = sorted({int(tl.pool_owner[k]) for k in np.nonzero(shut.any(axis=1))[0]})
    return [FieldProblem(f"people.{i}.retirement_age", "while the wages go on, before 59½, the "
                         "plan account (accounts.pretax) pays nothing — elective deferrals stay "
                         "in the plan until severance from employment or 59½ (IRC "
                         "§401(k)(2)(B)(i); §403(b)(11); §457(d)(1)(A)) — and without it the "
                         "spending and the bequest cannot be met those years") for i in owners]


def _expenses_problems(hh: Household, tl: Timeline, law: Law, objective: str,
                       spending_real: float | None) -> list[FieldProblem]:
    """The planned expenses (``spending.expenses``), named where the programme without them
    finds a plan: paid in full on top of the spending, they ask more than the money pays."""
    if not hh.spending.expenses:
        return []
    free = hh.model_copy(update={"spending": hh.spending.model_copy(update={"expenses": []})})
    if _relaxed(hh, tl, law, free, objective, spending_real) is None:
        return []
    return [FieldProblem("spending.expenses", "cannot be paid on top of the spending and the "
                         "bequest with the tax their withdrawals owe; lower or drop some")]


def _relaxed(hh, tl, law, relaxed, objective, spending_real=None) -> Solution | None:
    """The optimum of ``relaxed`` (a copy of ``hh`` without one demand), or None."""
    try:
        return _optimum(relaxed, tl, law, objective, spending_real)
    except InputError:
        return None


def _spending_beside(hh: Household, tl: Timeline, law: Law, gift: float) -> float | None:
    """The most constant spending (today's dollars) the money pays beside a yearly ``gift`` to
    charity (today's dollars, in place of the case's) and no bequest, the conversion cap kept;
    None where the optimiser finds no plan that gives it (as :func:`optimise` would)."""
    given = hh.model_copy(update={"charity": hh.charity.model_copy(update={"annual": gift}),
                                  "spending": hh.spending.model_copy(update={"bequest": 0.0})})
    gtl = replace(tl, gift=tl.gift * (gift / hh.charity.annual))
    ctx = _case(given, gtl, law)
    run = _passes(ctx, _start(given, gtl, ctx.f), "max_spending", None)
    return None if run is None else float(run[2]["_g"])


def _most_gift(hh: Household, tl: Timeline, law: Law) -> float | None:
    """The largest yearly gift (today's dollars, whole) the optimiser plans with nothing else
    asked — no spending, no bequest; None where it plans the case's gift so (the gift is then
    not what leaves no plan), or where it plans not even no gift.

    A gift's dollar costs about what a spending dollar does (less where a QCD pays it), so
    each step adds the spending left beside the largest gift planned so far, at the cost the
    last two such gifts saw; a step that does not halve the bracket is followed by a
    bisection, until the bracket is within the optimiser's own precision (``TOLERANCE`` of
    the gift, at least a dollar)."""
    hi = hh.charity.annual
    left = _spending_beside(hh, tl, law, 0.0)
    if left is None or _spending_beside(hh, tl, law, hi) is not None:
        return None
    lo, cost, bisect = 0.0, 1.0, False
    while hi - lo > max(TOLERANCE * hi, 1.0):
        width = hi - lo
        gift = lo + max(left / cost, 1.0)
        if bisect or gift >= hi:
            gift = float(np.mean((lo, hi)))
        more = _spending_beside(hh, tl, law, gift)
        if more is None:
            hi = gift
        else:
            cost = (left - more) / (gift - lo) if left > more else cost
            lo, left = gift, more
        bisect = not bisect and hi - lo > width / 2
    return float(np.floor(lo))


@dataclass(frozen=True)
class _Case:
    """What every pass of one optimisation shares: the case, its timeline and law, the year
    facts (:func:`_year_facts`), the growth of invested money and of cash, the inflation."""

    hh: Household
    tl: Timeline
    law: Law
    f: dict
    r: float
    rb: float
    infl: float
    #: the part of the programme every pass shares, by objective (:func:`_shared`)
    shared: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class _Pass:
    """One pass's programme under construction: the shared case, this pass's linearisation
    points ``st``, the objective, and the builder whose ``names`` are the variable blocks."""

    case: _Case
    st: dict
    objective: str
    spending_real: float | None
    b: _Builder = field(default_factory=_Builder)

    @property
    def v(self) -> dict[str, np.ndarray]:
        return self.b.names


@dataclass(frozen=True)
class _Income:
    """The terms of a year's income: ordinary (interest, the taxable share of pre-tax money
    out and converted), preferential (dividends, gains), the fixed incomes and deductions."""

    ordinary: list
    preferential: list
    wages: np.ndarray  # the wages and the other income (``other_income``): fixed, ordinary
    pension: np.ndarray
    ss: np.ndarray
    deductions: np.ndarray


def _solve_once(case: _Case, st: dict, objective: str, spending_real: float | None):
    """One linear programme at the linearisation points ``st``: its result and variables."""
    prog = _Programme.of(case, st, objective, spending_real)
    res = prog.solve(case)
    return res, prog.variables(res)


@dataclass
class _Programme:
    """One pass's programme, built: its rows (inequalities first), cost vector and the
    indices the planner reads back (the variable blocks, the cash-flow rows, the estate)."""

    b: _Builder
    c: np.ndarray
    idx: dict
    #: the rows and columns by kind, and which years have their §86 rows: two programmes of
    #: one shape have the same rows in the same order (a basis of one fits the other)
    shape: tuple
    _scaled: tuple | None = None

    @classmethod
    def of(cls, case: _Case, st: dict, objective: str, spending_real: float | None):
        p, c, est, cash_rows = _build(case, st, objective, spending_real)
        b = p.b
        return cls(b, c, dict(b.names, cash_rows=cash_rows, est=est),
                   (b.n, b.count["ub"], b.count["eq"], np.asarray(st["ts_cap"]).tobytes()))

    def solve(self, case: _Case, basis=None):
        """Solved (from ``basis``, a result's of a programme of the same shape, if given)."""
        if self._scaled is None:  # (a pass may be solved twice: once from a basis)
            self._scaled = _scaled(self.b, case.f["scale"])
        return _solve_scaled(self.c, self._scaled, case.f["scale"], basis)

    def variables(self, res) -> tuple:
        """The solution's vector (zeros where none) and the indices (:func:`_flows`)."""
        return (res.x if res.x is not None else np.zeros(self.b.n), self.idx)


def _build(case: _Case, st: dict, objective: str, spending_real: float | None):
    """The programme at the linearisation points ``st``: the pass, its cost vector, the
    estate's terms and the cash-flow rows."""
    p = _Pass(case, st, objective, spending_real, _shared(case, objective).copy())
    # taxable Social Security: at its cap where the last solution was, else at least the
    # part that is fixed
    p.b.bound("ts", st["ts_fixed"], np.where(st["ts_cap"], st["ts_fixed"], np.inf))
    inc = _income(p)
    _taxable_income_rows(p, inc)
    slope, tangent_const = _preferential_rows(p)
    _state_rows(p)
    cash_rows = _cash_flow_rows(p, inc, slope, tangent_const)
    _irmaa_cap_rows(p, inc)
    _income_window_rows(p, inc)
    c, est = _objective(p)
    return p, c, est, cash_rows


def _shared(case: _Case, objective: str) -> _Builder:
    """The variables and the rows that do not depend on the linearisation points (the
    balances, what each account can give, the RMD floors, the QCD limits), built once for
    every pass of an optimisation; the passes add the rest in the same order as ever."""
    if objective not in case.shared:
        p = _Pass(case, {}, objective, None)
        _declare(p)
        _balance_rows(p)
        _take_rows(p)
        case.shared[objective] = p.b.copy()  # its rows joined once
    return case.shared[objective]


def _declare(p: _Pass) -> None:
    """The variables: balances by year (pre-tax by pool k, Roth, brokerage, cash), the takes,
    the conversions, what is saved, income by ordinary bracket, preferential income, taxable
    Social Security, and the constant spending ``g`` (objective max_spending)."""
    hh, tl, f, b = p.case.hh, p.case.tl, p.case.f, p.b
    T, P_ = tl.T, tl.pools
    b.var("Bp", (P_, T + 1))
    for name in ("Br", "Bt", "Bc"):
        b.var(name, (T + 1,))
    dead = tl.pool_dead
    # A 72(t) series pays its fixed amount and nothing else leaves its pool (§72(t)(4)); a plan
    # account in service before 59½ pays nothing (§401(k)(2)(B)(i)), but converts (cv).
    lock = tl.sepp_years
    b.var("wp", (P_, T), lb=np.where(lock, tl.sepp_payment, 0.0),
          ub=np.where(dead | tl.pool_in_service, 0.0, np.where(lock, tl.sepp_payment, np.inf)))
    cv_cap = np.inf if hh.strategy.max_conversion is None else hh.strategy.max_conversion * \
        f["price"][:T]
    no_cv = ~tl.pool_converts[:, None]
    b.var("cv", (P_, T), ub=np.where(dead | no_cv | lock | (not hh.strategy.roth_conversions),
                                     0.0, cv_cap))
    for name in ("wr", "wt", "wc", "dep"):
        b.var(name, (T,))
    if tl.qcd_ok.any():
        # Qualified charitable distributions (IRC §408(d)(8)): out of an IRA straight to the
        # charity, never income.
        b.var("q", (P_, T), ub=np.where(tl.qcd_ok, np.inf, 0.0))
    widths = np.diff(np.concatenate([np.zeros((T, 1)), f["thr"]], axis=1), axis=1)
    b.var("x", (T, f["rates"].shape[1]), ub=np.concatenate([widths, np.full((T, 1), np.inf)],
                                                           axis=1))
    b.var("G", (T,))  # taxable preferential income (after deductions left over)
    b.var("ts", (T,))  # its bounds are each pass's (_solve_once)
    if p.objective == "max_spending":
        b.var("g", (1,))


def _balance_rows(p: _Pass) -> None:
    """Balances year to year (withdrawals at the start of each year); the deceased's pre-tax
    money moves to the survivor's IRA at the end of the year of death (§402(c)(9))."""
    hh, tl, b, v = p.case.hh, p.case.tl, p.b, p.v
    T, P_ = tl.T, tl.pools
    g_, rb = 1 + p.case.r, p.case.rb
    Bp, Br, Bt, Bc, wp, cv = v["Bp"], v["Br"], v["Bt"], v["Bc"], v["wp"], v["cv"]
    t_ = np.arange(T)
    for k in range(P_):
        b.add("eq", [(1.0, Bp[k, 0])], tl.pool_balance[k])
    b.add("eq", [(1.0, Br[0])], sum(q.accounts.roth for q in hh.people) + tl.roth_inherited)
    b.add("eq", [(1.0, Bt[0])], hh.taxable.balance)
    got = _inflows(hh, tl, p.case.f["price"][:T])  # each year's start: the cash includes it
    b.add("eq", [(1.0, Bc[0])], hh.cash + got[0])
    tD = None if tl.death_year is None else int(np.searchsorted(tl.years, tl.death_year))
    for k in range(P_):
        # (coefficient: a number or one a year, variables)
        terms: list[tuple[Any, np.ndarray]] = [
            (1.0, Bp[k, t_ + 1]), (-g_, Bp[k, t_]), (g_, wp[k, t_]), (g_, cv[k, t_])] + \
            [(g_, q[k, t_]) for q in _qcd(v)]
        if tD is not None and tl.pool_heir[k] >= 0:
            live = t_ < tD
            b.add("eq", [(c, x[live]) if np.ndim(c) == 0 else (c[live], x[live])
                         for c, x in terms], 0.0)
            b.add("eq", [(1.0, Bp[k, t_[~live] + 1])], 0.0)
            continue
        if tD is not None:
            inherit = np.where(t_ == tD, g_, 0.0)
            for d in np.nonzero(tl.pool_heir == k)[0]:
                terms += [(-inherit, Bp[d, t_]), (inherit, wp[d, t_]), (inherit, cv[d, t_])] + \
                    [(inherit, q[d, t_]) for q in _qcd(v)]
        b.add("eq", terms, 0.0)
    b.add("eq", [(1.0, Br[t_ + 1]), (-g_, Br[t_]), (g_, v["wr"]), ] +
          [(-g_, cv[k]) for k in range(P_)], 0.0)
    b.add("eq", [(1.0, Bt[t_ + 1]), (-g_, Bt[t_]), (g_, v["wt"]), (-g_, v["dep"])], 0.0)
    b.add("eq", [(1.0, Bc[t_ + 1]), (-(1 + rb), Bc[t_]), (1 + rb, v["wc"])],
          np.append(got[1:], 0.0))


def _inflows(hh: Household, tl: Timeline, price: np.ndarray) -> np.ndarray:
    """(T,) the money received at the start of each year that is not income (``inflows``:
    IRC §102(a); §121), nominal: cash, all basis, that the year's cash balance holds."""
    got = inflow_schedule(hh, tl.years)
    return np.zeros(tl.T) if got is None else got[0] * price + got[1]


def _take_rows(p: _Pass) -> None:
    """What a year can take out of each account, the RMD floors (§401(a)(9); a conversion
    does not count, Treas. Reg. §1.402(c)-2(c)(3)), and Roth earnings before a qualified
    distribution: only the contributions and seasoned conversions come out (§408A(d))."""
    tl, b, v = p.case.tl, p.b, p.v
    T = tl.T
    t_ = np.arange(T)
    wp, cv, Bp = v["wp"], v["cv"], v["Bp"]
    for k in range(tl.pools):
        qk = [(1.0, q[k]) for q in _qcd(v)]
        b.add("ub", [(1.0, wp[k]), (1.0, cv[k]), (-1.0, Bp[k, :T])] + qk, 0.0)
        req = tl.rmd_required[k] & ~tl.pool_dead[k]
        if req.any():
            # A QCD counts toward the RMD (Pub. 590-B), a conversion does not.
            tt = t_[req]
            b.add("ub", [(-1.0, wp[k, tt]), (1.0 / tl.rmd_divisor[k, tt], Bp[k, tt])]
                  + [(-1.0, q[k, tt]) for q in _qcd(v)], 0.0)
    _qcd_limit_rows(p)
    for take, bal in (("wr", "Br"), ("wt", "Bt"), ("wc", "Bc")):
        b.add("ub", [(1.0, v[take]), (-1.0, v[bal][:T])], 0.0)
    notfree = t_[~tl.roth_free]
    if notfree.size:
        _roth_basis_rows(p, notfree)


def _roth_basis_rows(p: _Pass, notfree: np.ndarray) -> None:
    """Before every owner's Roth money is qualified (the years ``notfree``), what has come out
    of the household's Roth money since the start is at most what may come out free of tax
    and of the 10% tax: of a person whose own Roth money is qualified, all they put in (their
    Roth money at the start and their conversions of the years before); of another, the basis:
    the contributions, and their conversions of the years before — past 59½ or once they have
    died all of them, else each once its five taxable years have run (§408A(d)(4) orders
    contributions, then conversions; one paid within its five years owes the 10% tax where
    §72(t) would apply, §408A(d)(3)(F), which the plan never chooses).  (Earnings of a
    qualified owner's money are left out: the one account's growth is not told apart by
    owner.)"""
    tl, b, v = p.case.tl, p.b, p.v
    wr, cv = v["wr"], v["cv"]
    free = tl.roth_own_free[:, notfree]  # (I, rows)
    ripe = free | tl.roth_conversions_free[:, notfree]
    rhs = np.where(free, tl.roth_start[:, None], tl.roth_start_basis[:, None]).sum(0)
    rr, ss = np.nonzero(np.arange(tl.T)[None, :] <= notfree[:, None])
    rows, cols, coef = [rr], [wr[ss]], [np.ones(rr.size)]
    for k in np.nonzero(tl.pool_converts)[0]:
        lag = np.where(ripe[tl.pool_owner[k]], 1, tl.conversion_seasoning)
        rc, sc = np.nonzero(np.arange(tl.T)[None, :] <= (notfree - lag)[:, None])
        rows.append(rc)
        cols.append(cv[k, sc])
        coef.append(np.full(rc.size, -1.0))
    first = b.count["ub"]
    b.rows["ub"].append((first + np.concatenate(rows), np.concatenate(cols),
                         np.concatenate(coef)))
    b.rhs["ub"].append(rhs.astype(float))
    b.count["ub"] += notfree.size


def _qcd(v: dict) -> list:
    """The QCD block, as a list of none or one (the programme has it only where a pool may
    pay one)."""
    return [v["q"]] if "q" in v else []


def _gift(p: _Pass) -> np.ndarray:
    """Each year's charitable gift, nominal dollars."""
    return p.case.tl.gift * p.case.f["price"][:p.case.tl.T]


def _qcd_limit_rows(p: _Pass) -> None:
    """QCDs pay at most the gift, and each person's at most the year's limit
    (IRC §408(d)(8)(A))."""
    tl, b, v = p.case.tl, p.b, p.v
    if "q" not in v:
        return
    q = v["q"]
    b.add("ub", [(1.0, q[k]) for k in range(tl.pools)], _gift(p))
    for i in np.unique(tl.pool_owner):
        mine = np.nonzero(tl.pool_owner == i)[0]
        b.add("ub", [(1.0, q[k]) for k in mine], tl.qcd_limit)


def _income(p: _Pass) -> _Income:
    """The year's income terms (nominal dollars of each year)."""
    hh, tl, f, v = p.case.hh, p.case.tl, p.case.f, p.v
    T, P_ = tl.T, tl.pools
    price = f["price"][:T]
    rb = p.case.rb
    pre_frac = _taxable_share(tl)
    ordinary = [(rb, v["Bc"][:T]), (-rb, v["wc"])] + \
        [(pre_frac[k], v["wp"][k]) for k in range(P_)] + \
        [(pre_frac[k], v["cv"][k]) for k in range(P_)]
    preferential = [(hh.taxable.dividend_yield, v["Bt"][:T]), (p.st["gain_frac"], v["wt"])]
    pension = sum(tl.pension[i] * (price if tl.pension_indexed[i] else 1.0)
                  for i in range(tl.people))
    # the other income (never wages) is fixed ordinary income, as the wages are
    return _Income(ordinary, preferential, tl.wages.sum(0) * price + tl.other_income_at(price),
                   pension,
                   tl.social_security.sum(0) * f["benefit_price"][:T],
                   f["std"] + p.st["senior"] + p.st["charity"])


def _taxable_income_rows(p: _Pass, inc: _Income) -> None:
    """Taxable income (§63): ordinary O = max(0, ordinary AGI + taxable SS − deductions), as
    Σx ≥ … (the tax pushes it down to the max); preferential G ≥ AGI + SS − deductions − O.
    Taxable Social Security (§86): below its cap r2·SS it is the convex max of the worksheet's
    pieces in provisional income PI = AGI without SS + r1·SS; where the last solution was at
    the cap it is the cap.  Both over-state it, exactly at the last solution."""
    tl, lk, b, v = p.case.tl, p.case.f["lk"], p.b, p.v
    x, ts = v["x"], v["ts"]
    neg_sx = [(-1.0, x[:, k]) for k in range(x.shape[1])]
    const_other = inc.wages + inc.pension
    b.add("ub", neg_sx + inc.ordinary + [(1.0, ts)], inc.deductions - const_other)
    b.add("ub", neg_sx + inc.ordinary + inc.preferential + [(1.0, ts), (-1.0, v["G"])],
          inc.deductions - const_other)
    r1 = lk.get("social_security.first_tier_rate")
    r2 = lk.get("social_security.second_tier_rate")
    base = lk.get("social_security.base_amount")
    adj = lk.get("social_security.adjusted_base_amount")
    conv = ~p.st["ts_cap"] & (inc.ss > 0)
    if conv.any():
        tt = np.arange(tl.T)[conv]
        other = [(c if np.ndim(c) == 0 else c[tt], y[tt])
                 for c, y in inc.ordinary + inc.preferential]
        pi0 = const_other[tt] + r1[tt] * inc.ss[tt]
        b.add("ub", [(r1[tt] * c, y) for c, y in other] + [(-1.0, ts[tt])],
              r1[tt] * (base[tt] - pi0))
        b.add("ub", [(r2[tt] * c, y) for c, y in other] + [(-1.0, ts[tt])],
              -r1[tt] * (adj[tt] - base[tt]) - r2[tt] * (pi0 - adj[tt]))


def _irmaa_cap_rows(p: _Pass, inc: _Income) -> None:
    """A year with a cap on its MAGI keeps under it: MAGI = AGI (wages, pension, ordinary and
    preferential income, taxable Social Security, and the interest on the cash the year takes,
    which the simulation earns from January) at most the cap, less :data:`CAP_MARGIN`.
    The caps: a year whose income sets a later surcharge on the household's request (form
    SSA-44, :mod:`~dist401k.planner.irmaa_appeal`) stays within the last solution's tier, so
    that the surcharge carried as a fixed cost holds; a year tried below an IRMAA tier
    (:func:`_below_irmaa_tiers`) stays below it."""
    caps = p.st.get("irmaa_caps")
    if caps is None or not np.isfinite(caps).any():
        return
    tt = np.nonzero(np.isfinite(caps))[0]
    # The simulation's interest is on the cash at the start of the year, the programme's on
    # the cash left after the year's take: the cap holds the interest on the cash taken too.
    start_interest = [(p.case.rb, p.v["wc"])]
    terms = [(c if np.ndim(c) == 0 else c[tt], y[tt])
             for c, y in inc.ordinary + inc.preferential + start_interest]
    p.b.add("ub", terms + [(1.0, p.v["ts"][tt])],
            caps[tt] * (1 - CAP_MARGIN) - (inc.wages + inc.pension)[tt])


def _income_window_rows(p: _Pass, inc: _Income) -> None:
    """A year with a cap or a floor on its household income (§36B(d)(2): AGI and the Social
    Security benefits left out of it — every income of the year but the benefits as the
    programme's terms, and the whole benefit) keeps inside it, by :data:`CAP_MARGIN`: a
    marketplace year held inside the premium tax credit's window (:func:`_within_credit_window`)."""
    fixed = inc.wages + inc.pension + inc.ss
    # The programme's interest is on the cash left after the year's take; the simulation's
    # return has it on the cash at the start of the year, a little more: a cap holds that.
    start_interest = [(p.case.rb, p.v["wc"])]
    for bound, sign, margin, extra in ((p.st["income_caps"], 1.0, 1 - CAP_MARGIN, start_interest),
                                       (p.st["income_floors"], -1.0, 1 + CAP_MARGIN, [])):
        if not np.isfinite(bound).any():
            continue
        tt = np.nonzero(np.isfinite(bound))[0]
        terms = [(sign * (c if np.ndim(c) == 0 else c[tt]), y[tt])
                 for c, y in inc.ordinary + inc.preferential + extra]
        p.b.add("ub", terms, sign * (bound[tt] * margin - fixed[tt]))


def _preferential_rows(p: _Pass):
    """Qualified dividends and gains stack on top of ordinary income (§1(h)): their tax is
    cg(O + G) − cg(O), with cg the convex 0/15/20% schedule of the stacked total.  cg(O + G)
    is kept exactly (an epigraph h ≥ each piece); −cg(O) is concave and is replaced by its
    tangent at the last solution's ordinary income O*, which over-states the tax everywhere
    and is exact in O*'s zone — so every pass can only improve the true objective.  Returns
    the tangent's slope and constant by year."""
    f, b, v = p.case.f, p.b, p.v
    x, G = v["x"], v["G"]
    sx = [(1.0, x[:, k]) for k in range(x.shape[1])]
    t1, t2 = f["cg_thr"][:, 0], f["cg_thr"][:, 1]
    r0, r15, r20 = f["cg_rates"][:, 0], f["cg_rates"][:, 1], f["cg_rates"][:, 2]
    h = b.var("h", (p.case.tl.T,))
    b.add("ub", sx + [(1.0, G), (-1.0 / np.maximum(r15 - r0, 1e-9), h)], t1)
    b.add("ub", sx + [(1.0, G), (-1.0 / np.maximum(r20 - r0, 1e-9), h)],
          t2 - (r15 - r0) * (t2 - t1) / np.maximum(r20 - r0, 1e-9))
    o = p.st["ordinary"]
    slope = np.where(o > t2, r20 - r0, np.where(o > t1, r15 - r0, 0.0))
    cg_at = np.maximum(0.0, np.maximum((r15 - r0) * (o - t1),
                                       (r15 - r0) * (t2 - t1) + (r20 - r0) * (o - t2)))
    return slope, cg_at - slope * o


def _state_rows(p: _Pass) -> None:
    """The state's tax of each year, ``zs`` ≥ every line of its terms (an epigraph: the
    programme pays the largest, the convex hull's value), in the year's taxable distribution D
    and other income O (:class:`~dist401k.planner.state_tax.StateTerms`).  None where the
    case has no state or the state taxes nothing."""
    st: StateTerms | None = p.st.get("state")
    if st is None or st.zero:
        return
    tl, b, v = p.case.tl, p.b, p.v
    T = tl.T
    z = b.var("zs", (T,), lb=-np.inf)
    pre_frac = _taxable_share(tl)
    rb = p.case.rb
    other = [(rb, v["Bc"][:T]), (-rb, v["wc"]), (p.case.hh.taxable.dividend_yield, v["Bt"][:T]),
             (p.st["gain_frac"], v["wt"])]
    other_terms = [(st.other_rate * c, y) for c, y in other]
    for j in range(st.slope.shape[1]):
        drawn = [(st.slope[:, j] * pre_frac[k], v[name][k]) for k in range(tl.pools)
                 for name in ("wp", "cv")]
        b.add("ub", [(-1.0, z)] + drawn + other_terms,
              -st.intercept[:, j] + st.other_rate * st.other_at - st.carried)


def _cash_flow_rows(p: _Pass, inc: _Income, slope, tangent_const) -> np.ndarray:
    """Each year's cash flow: inflows − taxes (brackets, §1(h), the §72(t) 10%) − NIIT, IRMAA
    and the marketplace premium net of its credit (carried) − saved = the spending need.
    Returns the rows (their duals are the shadow prices of a dollar of spending)."""
    hh, tl, law, f, b, v = p.case.hh, p.case.tl, p.case.law, p.case.f, p.b, p.v
    T = tl.T
    x, wp = v["x"], v["wp"]
    pre_frac = _taxable_share(tl)
    early_rate = law.get("early_distributions.additional_tax_rate", tl.years)
    cf = [(1.0, v["wr"]), (1.0, v["wt"]), (1.0, v["wc"]), (-1.0, v["dep"])] + \
        [(1.0, q[k]) for q in _qcd(v) for k in range(tl.pools)]
    for k in range(tl.pools):
        cf += [(1.0, wp[k]), (-early_rate * tl.early_tax[k] * pre_frac[k], wp[k])]
    cf += [(-f["rates"][:, k], x[:, k]) for k in range(x.shape[1])]
    if "zs" in v:
        cf.append((-1.0, v["zs"]))  # the state's tax
    # The tangent is taken on ordinary income as the law figures it (E = ordinary AGI + taxable
    # SS − deductions), not on Σx: Σx may exceed E, and a credit on Σx would let the programme
    # pass gains off as ordinary income.
    cf += [(-1.0, v["h"]), (-f["cg_rates"][:, 0], v["G"]), (slope, v["ts"])] + \
        [(slope * c, y) for c, y in inc.ordinary]
    need, expenses = _need(hh, tl, f["price"][:T])
    rhs = (p.st["niit"] + p.st["irmaa"] + p.st["marketplace"] - inc.wages - inc.pension - inc.ss
           - tangent_const - slope * (inc.wages + inc.pension - inc.deductions)) + _gift(p)
    if expenses is not None:
        rhs = rhs + expenses
    credit_slope = p.st["marketplace_slope"]
    if credit_slope.any():
        # The premium net of its credit along its tangent: a dollar more of household income
        # (AGI and the Social Security left out of it: every income but the benefits is in
        # the programme's terms) costs the credit's slope.
        cf += [(-credit_slope * c, y) for c, y in inc.ordinary + inc.preferential]
        rhs = rhs + credit_slope * (inc.wages + inc.pension + inc.ss - p.st["household_income"])
    if "g" in v:
        return b.add("eq", cf + [(-need, np.broadcast_to(v["g"][0], (T,)))], rhs)
    if p.spending_real is None:  # (never: the estate is maximised for a spending plan fills in)
        raise ValueError("max_estate needs the spending to keep")
    return b.add("eq", cf, rhs + need * float(p.spending_real))


def _need(hh: Household, tl: Timeline, price: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(T,) each year's nominal need of a unit of spending — the price level × the profile of
    ``spending.changes`` × the survivor's share after the first death — and (T,) the planned
    expenses (``spending.expenses``, nominal), None where there are none: the need of a
    spending level L is L × the first + the second, as the simulator's
    (:func:`~dist401k.planner.simulate.spending_need`)."""
    sp = hh.spending
    surv = np.where((tl.death_year is not None) & (tl.years > (tl.death_year or 0)),
                    sp.survivor_fraction, 1.0)
    if sp.flat:
        return surv * price, None
    profile, real, nominal = sp.schedule(tl.years, hh.people[0].birth_date.year)
    return surv * profile * price, real * price + nominal


def _objective(p: _Pass):
    """The objective: the constant spending ``g`` with the bequest as a floor on the estate,
    or the estate itself — after the heirs' tax on every pre-tax pool, the survivor's
    rollover IRA included, but an inherited Roth account (it comes to them tax-free, a
    qualified distribution, §408A(d)(2)(A)(ii)).  Returns the cost vector and the estate's
    terms."""
    hh, tl, b, v = p.case.hh, p.case.tl, p.b, p.v
    T = tl.T
    price_end = p.case.f["price"][T]
    heirs = hh.strategy.heirs_rate
    est = [(1.0, v["Br"][T]), (1.0, v["Bt"][T]), (1.0, v["Bc"][T])] + \
        [(1.0 if tl.pool_roth[k] else 1 - heirs, v["Bp"][k, T]) for k in range(tl.pools)]
    c = np.zeros(b.n)
    if "g" in v:
        b.add("ub", [(-c_, y) for c_, y in est], -hh.spending.bequest * price_end)
        c[v["g"][0]] = -1.0
    else:
        for c_, y in est:
            c[y] -= c_ / price_end
    # A whisper of cost on moving money, so that among equal optima the quieter plan is taken.
    c[v["dep"]] += 1e-9
    return c, est


def _scaled(b: _Builder, scale: float) -> tuple:
    """The programme's matrix, right-hand sides and bounds with every dollar in units of
    ``scale`` (the household's size).

    Every variable is a dollar amount and every row is homogeneous in dollars (coefficients
    are rates, growth factors and shares), so dividing the right-hand sides and the bounds by
    ``scale`` gives the same programme with O(1) numbers; HiGHS's absolute tolerances then
    mean the same for a $10,000 household as for a $100 million one."""
    a, b_ub, b_eq = b.stacked()
    return (a, b_ub / scale, b_eq / scale, np.concatenate(b.lb) / scale,
            np.concatenate(b.ub) / scale)


def _solve_scaled(c: np.ndarray, scaled: tuple, scale: float, basis=None):
    """Solve the programme in units of ``scale`` (:func:`_scaled`), from ``basis`` if given
    (:func:`highs.solve`).  The solution and the objective are returned in dollars; the duals
    (dollars per dollar) are unchanged."""
    res = highs.solve(c, *scaled, basis=basis)
    if res.x is not None and res.fun is not None:
        res.x = res.x * scale
        res.fun = res.fun * scale
    return res


def _flows(x) -> dict:
    """The solution's variables by block name (arrays), and the spending scale ``g``."""
    vec, idx = x
    out = {k: vec[v] for k, v in idx.items() if k not in ("cash_rows", "est")}
    out["cash_rows"] = idx["cash_rows"]
    out["estate_nominal"] = sum(c * vec[v] for c, v in idx["est"])
    out["_g"] = vec[idx["g"][0]] if "g" in idx else None
    return out


def _taxable_share(tl: Timeline) -> np.ndarray:
    """The taxable share of a dollar out of each pre-tax pool (basis comes out pro rata,
    §72(e)(8); an approximation held at the start's ratio); none of an inherited Roth
    account's, growth included (a qualified distribution, §408A(d)(1); §402A(d)(1))."""
    bal = np.maximum(tl.pool_balance, 1e-9)
    return np.where(tl.pool_roth, 0.0, np.where(tl.pool_balance > 0, 1 - tl.pool_basis / bal,
                                                1.0))


def _relinearise(hh, tl, law, f, flows, r, rb) -> dict:
    """Price the solution exactly and move the approximation points to it."""
    T, n = tl.T, tl.people
    price = f["price"][:T]
    wages = tl.wages.sum(0) * price
    pension = sum(tl.pension[i] * (price if tl.pension_indexed[i] else 1.0) for i in range(n))
    ss = tl.social_security.sum(0) * f["benefit_price"][:T]
    other_income = tl.other_income_at(price)
    dy = hh.taxable.dividend_yield
    pre_frac = _taxable_share(tl)
    Bt, Bc = flows["Bt"][:T], flows["Bc"][:T]
    # Gain share of the brokerage account, year by year: the basis per dollar β follows
    # average cost (a sale leaves it as it is), deposits (β = 1) and reinvested dividends (of
    # what the account holds after the year's sale and deposit, as the simulator's).  An
    # emptied account keeps the β its last dollar would have, so that a later pass does not
    # see a sale there as free of gain.
    growth = 1 + r
    beta = hh.taxable.basis / hh.taxable.balance if hh.taxable.balance > 0 else 1.0
    gain_frac = np.zeros(T)
    # At the first death the account takes its basis then (IRC §1014): β moves toward 1.
    death = None if tl.death_year is None else int(tl.death_year - tl.years[0])
    for t in range(T):
        gain_frac[t] = min(max(1.0 - beta, 0.0), 1.0)
        bal = Bt[t]
        after = bal - flows["wt"][t] + flows["dep"][t]
        if after > 1.0:
            beta = (beta * (bal - flows["wt"][t]) + flows["dep"][t] + dy * after) / (after * growth)
        else:
            beta = (beta + dy) / growth
        if t == death:
            beta = float(basis_after_death(1.0, beta, tl.taxable_step_up[t]))
    interest = rb * (Bc - flows["wc"])
    dividends = dy * Bt
    gains = gain_frac * flows["wt"]
    pre_taxable = (pre_frac[:, None] * (flows["wp"] + flows["cv"])).sum(0)
    early = (pre_frac[:, None] * flows["wp"] * tl.early_tax).sum(0)
    fs = tl.filing_status.astype(np.int8)
    # The gift the QCDs leave is paid in cash from after-tax money: its §170(p) deduction is
    # held at this solution's, as the senior deduction is.
    gift_cash = np.maximum(tl.gift * price - (flows["q"].sum(0) if "q" in flows else 0.0), 0.0)
    units = household_return(tl.years, fs, tl.age_head, tl.age_spouse, ReturnIncome(
        wages=wages, interest=interest, dividends=dividends, gains=gains,
        distributions=pre_taxable + pension, early=early, ss=ss, charity=gift_cash,
        other=other_income), blind_on_return(hh, tl.alive))
    out = federal_tax(units, law)
    lk = f["lk"]
    other = wages + pension + interest + dividends + gains + pre_taxable + other_income
    ts = taxable_social_security(lk, ss, other, 0.0)
    cap = lk.get("social_security.second_tier_rate") * ss
    at_cap = ts >= cap - AT_CAP_DOLLARS
    ordinary = np.maximum(0.0, out["taxable_income"] - dividends - gains)
    senior = senior_deduction(lk, f["seniors"], out["agi"])
    magi = out["agi"]
    irmaa = charged = np.zeros(T)
    irmaa_caps = np.full(T, np.inf)
    if hh.strategy.medicare:
        charged, appealed, caps = irmaa_by_year(law, hh, tl, magi, price, f["restate"])
        if hh.strategy.irmaa_appeal:
            irmaa, irmaa_caps = appealed, caps
        else:
            irmaa = charged
    ps = f["plan_state"]
    state = None
    if ps is not None:
        taken = pre_frac[:, None] * (flows["wp"] + flows["cv"])  # (K, T)
        spouse_drawn = ps.spouse_drawn(taken)
        share = np.divide(spouse_drawn, pre_taxable, out=np.full(T, _spouse_share(ps, tl)),
                          where=pre_taxable > 0)
        state = state_terms(ps, law, units, pre_taxable, f["reach"],
                            ps.spouse_fixed(np.arange(T), price, f["benefit_price"][:T]), share,
                            _ira_shares(ps, taken, pre_frac[:, None] * flows["wp"] * tl.early_tax,
                                        _ira_shares(ps, tl.pool_balance)))
    return dict(ts_fixed=np.where(at_cap, cap, 0.0), ts_cap=at_cap, senior=senior, state=state,
                charity=out["charitable_deduction"],
                niit=out["niit"] + out["amt"], irmaa=irmaa, irmaa_caps=irmaa_caps, magi=magi,
                irmaa_charged=charged,
                gain_frac=gain_frac,
                ordinary=ordinary, income_caps=np.full(T, np.inf),
                income_floors=np.full(T, -np.inf),
                **_marketplace(hh, tl, law, magi + ss - out["taxable_social_security"], price))


def _no_marketplace(T: int) -> dict:
    """The marketplace terms of a plan without coverage (or before its first solution)."""
    return dict(marketplace=np.zeros(T), marketplace_slope=np.zeros(T),
                household_income=np.zeros(T), credit_floor=np.zeros(T),
                credit_limit=np.full(T, np.inf), credit_at_floor=np.zeros(T),
                credit_at_limit=np.zeros(T), medicaid_income=np.full(T, -np.inf),
                medicaid_cost=np.zeros(T))


def _marketplace(hh, tl, law, household_income, price) -> dict:
    """The marketplace premium less the premium tax credit (IRC §36B) at the solution's
    household income (T,), carried into the next pass as a tangent: its value there
    (``marketplace``) and its slope in household income below it (``marketplace_slope``: the
    applicable percentage and its rise, where the credit is allowed).  The credit is not linear
    (the percentage rises by bands) and is allowed only from the poverty line (above the
    limit of the state's Medicaid adult group or Basic Health Program, where it has one) to,
    from 2026, 400% of it: cliffs the tangent does not see.  ``credit_floor`` and ``credit_limit`` are
    those incomes in dollars, ``credit_at_floor`` and ``credit_at_limit`` the credit a little
    inside them (:func:`_within_credit_window`)."""
    cov = coverage(hh, law, tl.years, tl.alive)
    out = _no_marketplace(tl.T)
    out["household_income"] = household_income
    if cov is None:
        return out
    for t in np.nonzero(cov.any_year())[0]:
        year, size = int(tl.years[t]), cov.household_size[t]
        public = medicaid_income_limit(law, year, size, cov.public_limit[t], cov.region)
        lowest, highest = (float(v[0]) for v in income_window(law, year, size, cov.region,
                                                              public))
        step = SLOPE_STEP * float(poverty_line(law, year, size, cov.region)[0])
        hi = float(household_income[t])
        at = np.array([hi, hi - step, lowest * (1 + CAP_MARGIN),
                       highest * (1 - CAP_MARGIN) if np.isfinite(highest) else 0.0])
        paid, credit = net_premium(cov, law, int(t), year, at, np.full(at.size, price[t]))
        out["marketplace"][t] = paid[0] - credit[0]
        if credit[0] > 0 and credit[1] > 0:
            out["marketplace_slope"][t] = max((credit[1] - credit[0]) / step, 0.0)
        out["credit_floor"][t], out["credit_at_floor"][t] = lowest, credit[2]
        out["credit_limit"][t] = highest
        out["credit_at_limit"][t] = credit[3] if np.isfinite(highest) else 0.0
        if cov.medicaid:
            _medicaid_edge(out, cov, law, (int(t), year, size), price[t])
    return out


def _medicaid_edge(out: dict, cov, law, when: tuple, price: float) -> None:
    """Where the case takes Medicaid, the cliff at the Medicaid adult group's limit: below it
    the coverage costs nothing, above it the premium less its credit (42 U.S.C.
    §1396a(a)(10)(A)(i)(VIII)).  Sets the year's ``medicaid_income`` (the limit, dollars) and
    ``medicaid_cost`` (the premium less its credit just above it), which
    :func:`_within_credit_window` tries the years a little above it below.  ``when``: (t,
    year, household size)."""
    t, year, size = when
    adult = float(medicaid_income_limit(law, year, size, cov.adult_limit[t], cov.region)[0])
    if not np.isfinite(adult):
        return
    edge = adult * (1 + CAP_MARGIN)
    paid, credit = net_premium(cov, law, t, year, np.array([edge]), np.array([price]))
    out["medicaid_income"][t], out["medicaid_cost"][t] = adult, float(paid[0] - credit[0])
