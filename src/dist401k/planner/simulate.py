"""The year-by-year drawdown of a household under a strategy, over many market paths at once.

Every year, for every path (an array over paths, never a loop per path): RMDs from each
person's pre-tax money (IRC §401(a)(9)), the strategy's Roth conversion (§408A(d)(3)), the
withdrawals that meet the after-tax spending need, the federal income tax of that year's law
(``dist401k.tax.federal_tax``: §86 Social Security, §1 brackets, QDCG stacking, AMT, NIIT, the
§72(t) additional tax), the state income tax of the year's state of residence where the case
has one (``dist401k.planner.state_tax``), and the Medicare IRMAA surcharge set by the MAGI of
two years before.  Withdrawals happen at the start of the year; the rest grows with the
year's returns.  Taxes are exact: the withdrawals that pay the tax are found by a fixed-point
iteration on the tax.

One year's flow, each step its own function::

    the first death's rollover (Lives, Balances.roll_over) → the balances recorded
    → the year's income and need (year_facts; the need from a NeedRule)
    → the required take: RMDs, a 72(t) series, QCDs (required_take)
    → the fixed point of withdrawals ↔ tax (settle; a MagiCost joins the bill there)
    → what is spent, gifted and deposited (pay_out) → the balances closed and grown
    → the year's columns recorded; after the last year, the estate (after_tax_estate)

Three points take a rule per path without re-cutting the loop: the spending need of each year
(``need_rule``: a function of the year and the path's state and history), the year each path's
first death happens (``Lives``: one year for every path; with random lifetimes each path's own
years of death, ``survivors.PathLives``), and a yearly cost or credit set by that year's MAGI
(a ``MagiCost``: the marketplace premium net of its credit before Medicare).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields, replace

import numpy as np

from dist401k.compounding import growth_factors
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE, by_status
from dist401k.law.loader import Law, Lookup
from dist401k.money import HALF_CENT, cents
from dist401k.planner.basis_at_death import basis_after_death
from dist401k.planner.budget import check_budget
from dist401k.planner.fixed_point import Point
from dist401k.planner.household import DEFAULT_FILL_BRACKET, DEFAULT_SYSTEMATIC_RATE, Household
from dist401k.planner.irmaa_appeal import appeal_years
from dist401k.planner.marketplace import with_marketplace
from dist401k.planner.medicare import surcharge_at_prices
from dist401k.planner.returns import net_of_fee
from dist401k.planner.social_security_benefit import benefit_price_level
from dist401k.planner.state_tax import PaidFrom, PlanState, SpouseIncome
from dist401k.planner.survivors import PathLives
from dist401k.planner.timeline import Timeline, inflow_schedule
from dist401k.tax.federal import Steady, federal_tax
from dist401k.tax.units import TaxUnits

#: At most this many passes of the fixed point of withdrawals ↔ tax a year, each after the
#: first a secant step (:mod:`dist401k.planner.fixed_point`): a year settles to the half cent in
#: a few.
ITERATIONS = 10
#: ... and this many where the year's passes are plain (a cost set by the year's MAGI may jump:
#: the marketplace credit), the error shrinking by the marginal rate a pass.
PLAIN_ITERATIONS = 40
#: The share of the room left below the bracket's top that a fill pass converts (a damped step,
#: so the conversion and the tax it causes settle together).
FILL_STEP = 0.7
#: The sources a withdrawal is taken from, in order: cash, taxable, pre-tax, Roth.
TAKE_SOURCES = 4

#: The year-by-year columns of a :class:`Result`, each shaped (paths, years).
COLUMNS = ("wages", "pension", "social_security", "rmd", "pretax_withdrawal", "conversion",
           "roth_withdrawal", "taxable_withdrawal", "cash_withdrawal", "deposit", "dividends",
           "interest", "realized_gains", "agi", "taxable_income", "income_tax",
           "additional_tax_72t", "state_tax", "irmaa", "spending", "need", "shortfall", "pretax_balance",
           "roth_balance", "taxable_balance", "cash_balance", "marginal_bracket", "qcd",
           "charity", "irmaa_saving", "other_income", "regular_tax", "amt", "niit")
#: The columns only a year's table reads (:func:`simulate_table`: the fixed returns'
#: strategies), left out of a Monte Carlo's: the taxable part of Social Security (§86), the
#: brokerage account's basis at the start of the year, and whose money and which account the
#: pre-tax withdrawal and the conversion came from, and the second person's own income
#: (:func:`record_sources`).
TABLE_COLUMNS = ("taxable_social_security", "taxable_basis", "ira_withdrawal", "ira_conversion",
                 "spouse_withdrawal", "spouse_conversion", "spouse_ira_withdrawal",
                 "spouse_ira_conversion", "spouse_wages", "spouse_pension",
                 "spouse_social_security")


@dataclass
class Policy:
    """How a strategy draws money.

    ``kind``: ``order`` (cash, taxable, pre-tax, Roth), ``systematic`` (a share of invested
    money each year, spread over the accounts), ``fill`` (Roth conversions up to the top of a
    bracket each year, then ``order``), ``schedule`` (given conversions and pre-tax withdrawals
    a year — the optimiser's plan — then ``order``).
    """

    kind: str = "order"
    fill_rate: float = DEFAULT_FILL_BRACKET
    systematic_rate: float = DEFAULT_SYSTEMATIC_RATE
    conversions: np.ndarray | None = None  # (I, T) nominal dollars, schedule
    pretax_withdrawals: np.ndarray | None = None  # (I, T) nominal dollars, schedule
    other_withdrawals: np.ndarray | None = None  # (3, T) cash, taxable, Roth; schedule
    max_conversion: float | None = None  # today's dollars
    label: str = ""
    #: ``kind`` ``systematic``: the case's planned expenses, paid on top of the share
    #: (:func:`_pay_expense`) — (the first calendar year, then each year's in today's dollars and
    #: in nominal dollars, one entry a year from it); None: none planned.
    expenses: tuple[int, np.ndarray, np.ndarray] | None = None
    #: ``kind`` ``stack``: strategies side by side in one simulation, each (policy, number of
    #: paths) on its own paths in order — at most one of each kind, none systematic.
    parts: tuple[tuple[Policy, int], ...] = ()

    @classmethod
    def stack(cls, parts: list[tuple[Policy, int]]) -> Policy:
        """Strategies run side by side, each on its own paths (the first ``n`` paths the first
        strategy's, and so on): one simulation, one call of the tax engine a pass for all."""
        kinds = [p.kind for p, _ in parts]
        if len(set(kinds)) != len(kinds) or not set(kinds) <= {"order", "fill", "schedule"}:
            raise ValueError(f"a stack holds one each of order, fill, schedule: {kinds}")
        return cls("stack", parts=tuple(parts), label=" + ".join(p.label for p, _ in parts))

    def part(self, kind: str, P: int) -> tuple[Policy, np.ndarray | bool] | None:
        """The policy of ``kind`` here (this one, or a part of a stack) and the paths it runs
        on: True for all, else a mask (P,); None where none does."""
        if self.kind != "stack":
            return (self, True) if self.kind == kind else None
        if P != sum(n for _, n in self.parts):
            raise ValueError(f"a stack of {sum(n for _, n in self.parts)} paths read on {P}")
        start = 0
        for pol, n in self.parts:
            if pol.kind == kind:
                mask = np.zeros(P, bool)
                mask[start:start + n] = True
                return pol, mask
            start += n
        return None


class Columns(Mapping[str, np.ndarray]):
    """The year-by-year columns of a :class:`Result`, each (paths, years) and C-ordered when
    read: held as the simulation wrote them (year-major, a year's write contiguous) and copied
    into path-major order the first time each is read — a column no one reads is never
    copied."""

    def __init__(self, written: dict[str, np.ndarray]):
        self._written = written
        self._read: dict[str, np.ndarray] = {}

    def __getitem__(self, k: str) -> np.ndarray:
        got = self._read.get(k)
        if got is None:
            got = self._read[k] = np.ascontiguousarray(self._written[k])
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._written)

    def __len__(self) -> int:
        return len(self._written)


@dataclass
class Result:
    """Year-by-year arrays shaped (paths, years) — per person (paths, people, years)."""

    years: np.ndarray
    cols: Mapping[str, np.ndarray]
    estate: np.ndarray  # after-tax estate at the end, nominal
    estate_real: np.ndarray  # in start-year dollars
    price_end: np.ndarray

    def __getitem__(self, k: str) -> np.ndarray:
        return self.cols[k]

    def row(self, k: int) -> Result:
        """Path ``k`` alone, as a result of one path."""
        return self.rows(k, k + 1)

    def rows(self, start: int, stop: int) -> Result:
        """Paths ``start`` to ``stop`` (excluded), as a result of their own."""
        part = slice(start, stop)
        return Result(self.years, {c: v[part] for c, v in self.cols.items()}, self.estate[part],
                      self.estate_real[part], self.price_end[part])


@dataclass
class Market:
    """A path's market, each shaped (paths, years): the portfolio's return net of the case's
    ``market.fee`` (:func:`~dist401k.planner.returns.net_of_fee`), the bills' return (cash),
    and the price level (paths, years + 1) from 1 at the start, with the price level Social
    Security follows — the highest so far, its cost-of-living increase never negative
    (:func:`~dist401k.planner.social_security_benefit.benefit_price_level`)."""

    growth: np.ndarray
    bills: np.ndarray
    price: np.ndarray
    benefit_price: np.ndarray

    @classmethod
    def of(cls, hh: Household, returns: dict[str, np.ndarray]) -> Market:
        share = hh.market.stock_share
        # the invested money's return net of the fee (market.fee); cash earns the bills' return
        r = net_of_fee(share * returns["stocks"] + (1 - share) * returns["bonds"], hh.market.fee)
        infl = returns["inflation"]
        P = r.shape[0]
        price = np.concatenate([np.ones((P, 1)), np.cumprod(1 + infl, axis=1)], axis=1)
        return cls(r, returns["bills"], price, benefit_price_level(price))

    @property
    def paths(self) -> int:
        return int(self.growth.shape[0])

    def head(self, n: int) -> Market:
        """The market of the first ``n`` paths."""
        return Market(self.growth[:n], self.bills[:n], self.price[:n], self.benefit_price[:n])


@dataclass
class Balances:
    """What the household holds on every path: pre-tax money by pool (K, P) with its basis
    (after-tax contributions, §72), Roth money (P,), the taxable account with its cost basis,
    and cash (P,); the capital loss carried over from the years before (IRC §1212(b)), a
    sale's loss beyond what a year may deduct; and what of the Roth money may come out before
    every owner's is qualified (:func:`roth_reach`): each person's Roth money put in (at the
    start and converted since) and basis (contributions and conversions five years old,
    §408A(d)(4)), (I, P), and the Roth money taken out since the start (P,)."""

    pre: np.ndarray
    pre_basis: np.ndarray
    roth: np.ndarray
    taxable: np.ndarray
    taxable_basis: np.ndarray
    cash: np.ndarray
    loss_carried: np.ndarray
    roth_in: np.ndarray
    roth_basis: np.ndarray
    roth_out: np.ndarray
    #: (L - 1, I, P) each person's conversions of the last L - 1 years (the oldest first),
    #: Roth basis only from the L-th year after their own (§408A(d)(3)(F): L = 5)
    ripening: np.ndarray
    #: (I, K) which person's Roth money a pool's conversion becomes (its owner's)
    conv_owner: np.ndarray
    #: (K,) the inherited Roth pools (:attr:`Timeline.pool_roth`): every dollar of one is its
    #: basis, its growth too (:func:`grow`) — a qualified distribution is not income
    roth_pools: np.ndarray | None = None

    @classmethod
    def opening(cls, hh: Household, tl: Timeline, P: int) -> Balances:
        """The case's balances at the start, the same on every path."""
        return cls(
            pre=np.repeat(tl.pool_balance[:, None], P, axis=1),
            pre_basis=np.repeat(tl.pool_basis[:, None], P, axis=1),
            roth=np.full(P, float(sum(p.accounts.roth for p in hh.people)) + tl.roth_inherited),
            taxable=np.full(P, float(hh.taxable.balance)),
            taxable_basis=np.full(P, float(hh.taxable.basis)),
            cash=np.full(P, float(hh.cash)), loss_carried=np.zeros(P),
            roth_in=np.repeat(tl.roth_start[:, None], P, axis=1),
            roth_basis=np.repeat(tl.roth_start_basis[:, None], P, axis=1),
            roth_out=np.zeros(P),
            ripening=np.zeros((max(tl.conversion_seasoning - 1, 0), tl.people, P)),
            conv_owner=(tl.pool_owner[None, :] == np.arange(tl.people)[:, None]).astype(float),
            roth_pools=tl.pool_roth if tl.pool_roth.any() else None)

    def head(self, n: int) -> Balances:
        """The balances of the first ``n`` paths (views)."""
        part = object.__new__(Balances)
        part.__dict__.update({k: v[..., :n] if k in BALANCES else v
                              for k, v in self.__dict__.items()})
        return part

    def roll_over(self, tl: Timeline, paths: np.ndarray) -> None:
        """The survivor rolls the dead spouse's pre-tax money over into their own (IRC
        §402(c)(9), §408(d)(3)(C)) on the ``paths`` (P,) where the first death was last year."""
        for k in np.nonzero(tl.pool_heir >= 0)[0]:
            h = tl.pool_heir[k]
            self.pre[h] += np.where(paths, self.pre[k], 0.0)
            self.pre_basis[h] += np.where(paths, self.pre_basis[k], 0.0)
            self.pre[k] = np.where(paths, 0.0, self.pre[k])
            self.pre_basis[k] = np.where(paths, 0.0, self.pre_basis[k])

    def at_first_death(self, tl: Timeline, paths: np.ndarray, t: int) -> None:
        """On the ``paths`` (P,) whose first death was in year ``t``: the taxable account's
        basis at the death (IRC §1014; :mod:`~dist401k.planner.basis_at_death`) and the
        decedent's share of the capital loss carried over gone."""
        self.taxable_basis = np.where(paths, basis_after_death(
            self.taxable, self.taxable_basis, tl.taxable_step_up[t]), self.taxable_basis)
        self.loss_carried = np.where(paths, self.loss_carried * tl.loss_kept_at_death[t],
                                     self.loss_carried)

    def invested(self) -> np.ndarray:
        return self.pre.sum(0) + self.roth + self.taxable + self.cash

    def gain_fraction(self) -> np.ndarray:
        """The share of the taxable account that is unrealised gain."""
        return np.where(self.taxable > 0, 1 - self.taxable_basis / np.maximum(self.taxable, 1e-9),
                        0.0)

    def pre_basis_fraction(self) -> np.ndarray:
        """(K, P): the share of each pool that is after-tax basis."""
        return np.where(self.pre > 0, self.pre_basis / np.maximum(self.pre, 1e-9), 0.0)


@dataclass
class Lives:
    """Who has died on each path.  ``first_death`` (P,) is the year the first of a couple dies
    on each path (None: one person, or no death in the plan).  Today it is the timeline's one
    year on every path; a draw of lifetimes sets a year per path."""

    first_death: np.ndarray | None

    @classmethod
    def of(cls, tl: Timeline, P: int) -> Lives:
        return cls(None if tl.death_year is None else np.full(P, tl.death_year))

    def rolls_over(self, year: int) -> np.ndarray | None:
        """(P,) the paths on which the survivor takes the pre-tax money over this year."""
        return None if self.first_death is None else self.first_death + 1 == year

    def widowed(self, year: int) -> np.ndarray | bool:
        """(P,) the paths on which one of the couple died before ``year``."""
        return False if self.first_death is None else year > self.first_death

    def roll_over(self, bal: Balances, tl: Timeline, year: int) -> None:
        """The rollover of the paths where the first death was last year, and the taxable
        account's basis at the death there."""
        moving = self.rolls_over(year)
        if moving is not None and moving.any():
            bal.roll_over(tl, moving)
            bal.at_first_death(tl, moving, int(year - tl.years[0]) - 1)

    def going(self, year: int) -> float:
        """Every path goes on to the plan's end."""
        return 1.0


@dataclass
class YearFacts:
    """One year on every path, before any choice: its income, need, IRMAA and ages."""

    t: int
    year: int
    filing_status: int | np.ndarray  # one a path with random lifetimes
    price: np.ndarray  # (P,) the price level at the start of the year
    wages: np.ndarray
    pension: np.ndarray
    social_security: np.ndarray
    dividends: np.ndarray
    interest: np.ndarray
    need: np.ndarray  # the after-tax spending need, nominal
    irmaa: np.ndarray
    early: np.ndarray  # (K,) a pre-tax withdrawal owes the §72(t) additional tax
    age_head: float | np.ndarray
    age_spouse: float | np.ndarray
    blind: float | np.ndarray = 0.0  # blind people on the return (§63(f)(2)): a path's own
    going: float | np.ndarray = 1.0  # (P,) 0 on a path whose people have all died
    on_medicare: float | np.ndarray = 0.0  # people on Medicare (one a path: random lifetimes)
    plan_state: PlanState | None = None  # the state of residence, where the case has one
    #: Random lifetimes: the year's law gathered for the filing statuses of the living paths
    #: (``PathLives.living_lookup``: made once for the draw, shared by its strategies).
    living_lookup: Lookup | None = None
    law_dollars: np.ndarray | float = 1.0  # (P,) the path's dollars of a dollar of the law's
    #: (P,) the price level Social Security follows: the highest so far (None: ``price``)
    benefit_price: np.ndarray | None = None
    #: the household's other income (``other_income``: ordinary income, never wages), nominal
    other_income: np.ndarray | float = 0.0


@dataclass
class YearState:
    """What a rule may read at the start of year ``t`` on every path: the balances (after the
    rollover), the columns of the years before (``history[k][:, :t]``) and who has died."""

    t: int
    year: int
    price: np.ndarray
    balances: Balances
    history: dict[str, np.ndarray]
    widowed: np.ndarray | bool
    #: (P,) the path's dollars of a dollar of the year's law (:func:`law_dollars`)
    law_dollars: np.ndarray | float = 1.0
    #: (P,) the price level Social Security follows: the highest so far (None: ``price``)
    benefit_price: np.ndarray | None = None


#: The after-tax spending need of each path in a year (nominal dollars, shaped (P,)).
NeedRule = Callable[[YearState], np.ndarray]
#: A yearly cost (positive) or credit (negative) of each path set by the year's return (P,):
#: ``magi_cost(facts, out)``, ``out`` the tax engine's answer (its ``agi``, the taxable
#: Social Security — each program's MAGI starts there); it is paid like the tax, inside the
#: fixed point.
MagiCost = Callable[[YearFacts, dict[str, np.ndarray]], np.ndarray]


def constant_need(spending_real, survivor_fraction: float, P: int) -> NeedRule:
    """The need of a constant real spending (scalar or per path, start-year dollars), the
    survivor's share after the first death."""
    spend_real = np.broadcast_to(np.asarray(spending_real, float), (P,)).copy()

    def need(s: YearState) -> np.ndarray:
        share = np.where(s.widowed, survivor_fraction, 1.0) if np.any(s.widowed) else 1.0
        # (the first paths alone once the simulator has left the ended ones behind)
        return spend_real[:s.price.shape[0]] * share * s.price

    return need


def spending_need(hh: Household, tl: Timeline, spending_real, P: int) -> NeedRule:
    """The need of a spending level (scalar or per path, start-year dollars) on ``tl``'s
    years: the level × the profile of ``spending.changes`` × the survivor's share after the
    first death, plus the planned expenses (``spending.expenses``: today's dollars grown with
    the path's prices, or nominal dollars), which neither the level nor the survivor's share
    scales.  A flat spending is :func:`constant_need` itself."""
    sp = hh.spending
    if sp.flat:
        return constant_need(spending_real, sp.survivor_fraction, P)
    profile, real, nominal = sp.schedule(tl.years, hh.people[0].birth_date.year)
    spend_real = np.broadcast_to(np.asarray(spending_real, float), (P,)).copy()
    survivor = sp.survivor_fraction

    def need(s: YearState) -> np.ndarray:
        share = np.where(s.widowed, survivor, 1.0) if np.any(s.widowed) else 1.0
        t = s.t
        return ((spend_real[:s.price.shape[0]] * (profile[t] * share) + real[t]) * s.price
                + nominal[t])

    return need


def simulate(hh: Household, tl: Timeline, law: Law, returns: dict[str, np.ndarray],
             policy: Policy, spending_real, *, need_rule: NeedRule | None = None,
             lives: PathLives | None = None) -> Result:
    """Run ``policy`` over every path of ``returns`` (fractions shaped (paths, years)).

    ``spending_real`` (scalar or per path): the yearly after-tax need in start-year dollars
    (the survivor's share after the first death) — unless ``need_rule`` gives each year's need.
    The marketplace premium net of its credit is the yearly cost set by the year's MAGI
    where the case has that coverage (``MagiCost``).  ``lives``: each
    path's own years of death (random lifetimes; ``tl`` then has everyone alive to its end):
    a path ends at its last death, its estate counted then.  Returns a :class:`Result`
    (without the :data:`TABLE_COLUMNS`: :func:`simulate_table`).
    """
    return _simulate((hh, tl, law), returns, policy, spending_real, (need_rule, lives), False)


def simulate_table(hh: Household, tl: Timeline, law: Law, returns: dict[str, np.ndarray],
                   policy: Policy, spending_real, *,
                   need_rule: NeedRule | None = None) -> Result:
    """:func:`simulate` for a year table (a strategy on the case's fixed returns): it records
    the :data:`TABLE_COLUMNS` too, which a Monte Carlo's :func:`simulate` leaves out (they
    cost it nothing); every other figure is the same, bit for bit."""
    return _simulate((hh, tl, law), returns, policy, spending_real, (need_rule, None), True)


def _simulate(case: tuple[Household, Timeline, Law], returns: dict[str, np.ndarray],
              policy: Policy, spending_real, how: tuple[NeedRule | None, PathLives | None],
              table: bool) -> Result:
    """:func:`simulate` of the ``case``; ``how``: the need rule and the lives; ``table``:
    with the :data:`TABLE_COLUMNS`."""
    (hh, tl, law), (need_rule, lives) = case, how
    mk = Market.of(hh, returns)
    P, T = mk.paths, tl.T
    bal = Balances.opening(hh, tl, P)
    by_path = lives is not None
    deaths: PathLives | Lives = lives if lives is not None else Lives.of(tl, P)
    need_rule = need_rule or spending_need(hh, tl, spending_real, P)
    # The IRMAA look-back (42 U.S.C. §1395r(i)(4)): the MAGI of the law's number of years
    # before each year, the case's history first.
    lookback = int(law.get("medicare.lookback_years", tl.years[0]))
    magi_prev = [np.full(P, float(m)) for m in hh.magi_history[-lookback:]]
    fill = policy.part("fill", P)
    fill_top = _bracket_top(law, tl, fill[0].fill_rate, by_path) if fill else None
    rules = _Rules(policy, tl, law, fill_top, DRAWN_OUT + (TABLE_OUT if table else ()))
    cols = _columns(T, P, table)
    magi_cost = with_marketplace(None, hh, tl, law, cols,  # §36B before Medicare
                                 None if lives is None else lives.alive)
    plan_state = PlanState.of(hh, tl)
    appeal = RecentYearIrmaa.of(hh, tl, law, lives)
    at_death = np.full(P, np.nan)  # random lifetimes: the estate at each path's last death
    start = None  # where each year's fixed point starts: last year's choices, grown
    going_by_year = _going_prefix(lives, policy, magi_cost, appeal)
    full_mk, W, receive = mk, P, receiver(hh, tl)  # W: the paths the year runs on (the first W)
    for t in range(T):
        check_budget()
        year = int(tl.years[t])
        if going_by_year is not None and going_by_year[t] < W:
            # The paths that have ended are left behind: every year after runs on the others.
            W = int(going_by_year[t])
            mk, bal, deaths, magi_prev, start = _first_paths(W, mk, bal, lives, magi_prev,
                                                             start)
        deaths.roll_over(bal, tl, year)
        going = receive(bal, t, mk.price[:, t], deaths.going(year))
        _record_balances(cols, t, bal)
        state = YearState(t, year, mk.price[:, t], bal, cols, deaths.widowed(year),
                          law_dollars(law, int(tl.years[0]), t, mk.price), mk.benefit_price[:, t])
        gift = tl.gift[t] * state.price * going
        take = required_take(tl, law, t, bal.pre, gift, going,
                             _widowed_pools(tl, deaths if by_path else None,
                                            deaths.widowed(year)))
        magi_then = magi_prev[-lookback] if len(magi_prev) >= lookback else None
        facts = year_facts(hh, tl, law, state, mk.bills[:, t], need_rule(state),
                           (magi_then, max(t - lookback, 0)),
                           deaths if by_path else None)  # type: ignore[arg-type]
        facts.plan_state = plan_state
        year_cost = (magi_cost if appeal is None
                     else appeal.before_settling(t, facts, magi_prev, magi_cost))
        draws = settle_living(rules, facts, take, bal, year_cost, start)
        if appeal is not None:
            appeal.after_settling(t, facts, draws, cols)
        start = draws.point.next_year(mk.price[:, t + 1] / mk.price[:, t])
        paid = pay_out(facts, take, draws)
        close_year(bal, take, draws, paid, hh.taxable.dividend_yield * facts.going)
        bal.loss_carried = draws.out["loss_carried"]
        grow(bal, mk, t)
        magi_prev.append(draws.out["agi"])
        if lookback > 0:
            del magi_prev[:-lookback]  # only the years a later year may still look back to
        record(cols, (t, tl), law, facts, take, draws, paid)
        if lives is not None:
            ended = lives.ended_paths(year)
            if ended.size:
                at_death[ended] = after_tax_estate(_on_paths(bal, BALANCES, ended),
                                                   hh.strategy.heirs_rate)
    estate, pr_end = _estates(after_tax_estate(bal, hh.strategy.heirs_rate), full_mk, T, lives,
                              at_death)
    return Result(tl.years, Columns(cols), estate, estate / pr_end, pr_end)


def _columns(T: int, P: int, table: bool) -> dict[str, np.ndarray]:
    """The :class:`Result`'s columns, zero (with the :data:`TABLE_COLUMNS` where ``table``):
    each is written a year at a time, so it is held year-major (T, P), a year's write
    contiguous, read through its (P, T) view, and made C-ordered when read (:class:`Columns`)."""
    return {k: np.zeros((T, P)).T for k in COLUMNS + (TABLE_COLUMNS if table else ())}


def receiver(hh: Household, tl: Timeline):
    """The rule that puts year ``t``'s money received that is not income (``inflows``: IRC
    §102(a); §121) — today's dollars grown with the path's prices, and nominal — into the cash
    at the start of the year, before any take, none on a path that has ended (``going`` 0);
    it returns ``going``.  A case without inflows leaves the balances as they are."""
    inflows = inflow_schedule(hh, tl.years)

    def receive(bal: Balances, t: int, price: np.ndarray, going):
        if inflows is not None and (inflows[0][t] or inflows[1][t]):
            bal.cash = bal.cash + (inflows[0][t] * price + inflows[1][t]) * going
        return going

    return receive


def _record_balances(cols: dict[str, np.ndarray], t: int, bal: Balances) -> None:
    """The balances at the start of year ``t`` (on the paths the year runs on: the first); a
    table's (:data:`TABLE_COLUMNS`) the brokerage account's basis too, after the step-up at a
    first death (``roll_over`` runs before)."""
    W = bal.roth.shape[0]
    for k, v in (("pretax_balance", bal.pre.sum(0)), ("roth_balance", bal.roth),
                 ("taxable_balance", bal.taxable), ("cash_balance", bal.cash)):
        cols[k][:W, t] = v
    if "taxable_basis" in cols:
        cols["taxable_basis"][:W, t] = bal.taxable_basis


def _estates(left: np.ndarray, mk: Market, T: int, lives: PathLives | None,
             at_death: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each path's after-tax estate (nominal) and the price level it is counted at: what is
    ``left`` at the end on the paths still going (the first), else at the path's last death,
    in the dollars of that time (random lifetimes)."""
    P = mk.paths
    pr_end = mk.price[:, T]
    estate = np.concatenate([left, np.full(P - left.shape[0], np.nan)])
    if lives is not None:
        died = ~np.isnan(at_death)
        estate = np.where(died, at_death, estate)
        pr_end = np.where(died, mk.price[np.arange(P), lives.end_index(T)], pr_end)
    return estate, pr_end


def _going_prefix(lives: PathLives | None, policy: Policy, magi_cost, appeal) -> np.ndarray | None:
    """With random lifetimes whose paths come in the order of their last deaths, the latest
    first (:func:`~dist401k.planner.plan.draw_lives`), the number of paths still going in each
    year (T,) — the first ones: each year runs on those alone, and a path's figures after its
    end are never figured (its estate is counted at its last death).  None where the paths
    come in another order, or where something keeps figures of every path each year
    (strategies side by side, a MAGI-set cost, an IRMAA request)."""
    if lives is None or policy.kind == "stack" or magi_cost is not None or appeal is not None:
        return None
    last = lives.last_death
    if np.any(last[1:] > last[:-1]):
        return None
    ascending = last[::-1]
    going = last.size - np.searchsorted(ascending, np.arange(len(lives.years)), side="left")
    return np.maximum(going, 1)  # one path of zeros stands for all once no one is left


def _first_paths(n: int, mk: Market, bal: Balances, lives, magi_prev: list[np.ndarray],
                 start: Point | None):
    """What the simulator carries from year to year, on the first ``n`` paths alone."""
    return (mk.head(n), bal.head(n), lives.head(n), [m[:n] for m in magi_prev],
            None if start is None else start.on_paths(slice(0, n)))


def year_facts(hh: Household, tl: Timeline, law: Law, s: YearState, bills: np.ndarray,
               need: np.ndarray, look_back: tuple[np.ndarray | None, int],
               lives: PathLives | None = None) -> YearFacts:
    """The year's income on every path (wages, pensions, Social Security in the path's
    dollars; dividends and interest from its balances), its need, and the Medicare IRMAA set
    by ``look_back``: the MAGI of the look-back year (None where the history does not reach
    it) and that year's index, whose return's filing status applies (the first year's for a
    year before the plan: 42 U.S.C. §1395r(i)(3), (4); 20 CFR 418.1115 — a survivor's first
    two years are judged on the couple's joint returns).  With random lifetimes
    (``lives``) each path's own: the survivor's filing status, benefits and ages, and no
    income, need or cost once everyone has died."""
    t, year, pr = s.t, s.year, s.price
    # Social Security in the path's dollars: never cut when prices fall (§415(i))
    bp = pr if s.benefit_price is None else s.benefit_price
    magi_then, t_then = look_back
    fs: int | np.ndarray  # one for every path, or each path's own
    on_med: float | np.ndarray
    going: float | np.ndarray
    if lives is None:
        fs, on_med, going = int(tl.filing_status[t]), float(tl.on_medicare[t]), 1.0
        fs_then = int(tl.filing_status[t_then])
        age_head, age_spouse = tl.age_head[t], tl.age_spouse[t]
        wages = tl.wages[:, t].sum() * pr
        pension = sum(tl.pension[i, t] * (pr if tl.pension_indexed[i] else 1.0)
                      for i in range(tl.people))
        ss = tl.social_security[:, t].sum() * bp
        other = tl.other_income[:, t].sum() * pr + tl.other_income_fixed[:, t].sum()
    else:
        row = {k: v[t] for k, v in lives.by_year.items()}  # contiguous: (T, P) by year
        fs, on_med, going = row["filing_status"], row["on_medicare"], row["going"]
        fs_then = lives.by_year["filing_status"][t_then]
        age_head, age_spouse = row["age_head"], row["age_spouse"]
        wages = row["wages"] * pr
        pension = row["pension_fixed"] + row["pension_indexed"] * pr
        ss = row["social_security"] * bp
        # each person's other income on the paths where they live this year
        alive = lives.alive[:, :, t]
        other = alive @ tl.other_income[:, t] * pr + alive @ tl.other_income_fixed[:, t]
    if hh.strategy.medicare and np.any(on_med) and magi_then is not None:
        irmaa = surcharge_in_plan(law, year, s.law_dollars, on_med, fs_then, magi_then)
    else:
        irmaa = np.zeros(pr.shape[0])
    return YearFacts(
        t=t, year=year, filing_status=fs, price=pr, wages=wages, pension=pension,
        social_security=ss, dividends=hh.taxable.dividend_yield * s.balances.taxable * going,
        interest=bills.clip(min=0) * s.balances.cash * going,
        need=need * going, irmaa=irmaa, early=np.asarray(tl.early_tax[:, t], bool),
        age_head=age_head, age_spouse=age_spouse, going=going, on_medicare=on_med,
        blind=blind_on_return(hh, tl.alive[:, t] if lives is None else lives.alive[:, :, t].T),
        living_lookup=None if lives is None else lives.living_lookup(law, t),
        law_dollars=s.law_dollars, benefit_price=bp, other_income=other)


def surcharge_in_plan(law: Law, year: int, dollars, on_medicare, filing_status,
                      magi) -> np.ndarray:
    """The IRMAA of ``year`` on every path, in the path's dollars (``dollars``: the path's of
    a dollar of the law's, :func:`law_dollars`), were it set by ``magi`` on a return of
    ``filing_status``: the tiers' figures, CPI-indexed (42 U.S.C. §1395r(i)(5)), grow with the
    path's prices like the amounts (:func:`~dist401k.planner.medicare.surcharge_at_prices`)."""
    return surcharge_at_prices(law, year, filing_status, magi, on_medicare, dollars)


def _surcharge_on(law: Law, start: int, facts: YearFacts, filing_status, magi) -> np.ndarray:
    """:func:`surcharge_in_plan` of the year of ``facts``."""
    return surcharge_in_plan(law, facts.year, facts.law_dollars, facts.on_medicare,
                             filing_status, magi)


class _OwnYearIrmaa:
    """The cost (a :data:`MagiCost`) of asking SSA to set the year's IRMAA by the year's own
    return: what that takes off the surcharge the year would otherwise pay (zero or less),
    inside the fixed point, since the year's withdrawals move the return it is set by."""

    def __init__(self, law: Law, start: int, other: MagiCost | None = None):
        self.law, self.start, self.other = law, start, other

    def on_paths(self, idx: np.ndarray, n_paths: int) -> _OwnYearIrmaa:
        on = getattr(self.other, "on_paths", None)
        return _OwnYearIrmaa(self.law, self.start, self.other if on is None else on(idx, n_paths))

    def __call__(self, facts: YearFacts, out: dict[str, np.ndarray]) -> np.ndarray:
        own = _surcharge_on(self.law, self.start, facts, facts.filing_status, out["agi"])
        cut = np.minimum(own, facts.irmaa) - facts.irmaa
        return cut if self.other is None else cut + self.other(facts, out)


@dataclass
class RecentYearIrmaa:
    """IRMAA on a more recent year's return after a work stoppage (form SSA-44:
    :mod:`~dist401k.planner.irmaa_appeal`) on every path: where ``filed``, each premium year
    the request may reach pays the least of its surcharges — on the look-back return, the
    year before's and the year's own (that one inside the fixed point); either way the
    ``irmaa_saving`` column says what the request takes off."""

    law: Law
    start: int
    filed: bool
    year_before: np.ndarray  # (T,) the year before may be used
    year_itself: np.ndarray  # (T,) the year itself may be used
    statuses: np.ndarray  # (T,) or (T, P): each year's filing status
    charged: np.ndarray | None = None  # the year's surcharge on the look-back return
    recent: np.ndarray | None = None  # ... and on the year before's, where it may be used

    @classmethod
    def of(cls, hh: Household, tl: Timeline, law: Law,
           lives: PathLives | None) -> RecentYearIrmaa | None:
        """None where no premium year of the plan may be so figured."""
        if not hh.strategy.medicare:
            return None
        before, current = appeal_years(law, hh, tl.years)
        if not (before | current).any():
            return None
        statuses = tl.filing_status if lives is None else lives.by_year["filing_status"]
        return cls(law, int(tl.years[0]), hh.strategy.irmaa_appeal, before, current, statuses)

    def before_settling(self, t: int, facts: YearFacts, magi_prev: list[np.ndarray],
                        magi_cost: MagiCost | None) -> MagiCost | None:
        """The year's cost set by its return (``magi_cost`` with the request's, where filed);
        ``facts.irmaa`` lowered to the year before's surcharge where that is less.
        ``magi_prev``: the MAGI of the years before, the last the year before's."""
        self.charged = None
        if not (self.year_before[t] or self.year_itself[t]) or not np.any(facts.irmaa > 0):
            return magi_cost
        self.charged = facts.irmaa
        self.recent = None
        if self.year_before[t] and magi_prev:
            self.recent = _surcharge_on(self.law, self.start, facts,
                                        self.statuses[max(t - 1, 0)], magi_prev[-1])
        if not self.filed:
            return magi_cost
        if self.recent is not None:
            facts.irmaa = np.minimum(facts.irmaa, self.recent)
        return _OwnYearIrmaa(self.law, self.start, magi_cost) if self.year_itself[t] else magi_cost

    def after_settling(self, t: int, facts: YearFacts, draws: Draws,
                       cols: dict[str, np.ndarray]) -> None:
        """The year's IRMAA as settled (where filed, the year's own return's surcharge moved
        from the fixed point's extra cost into ``facts.irmaa``) and the request's saving."""
        if self.charged is None:
            return
        least = facts.irmaa
        if not self.filed and self.recent is not None:
            least = np.minimum(least, self.recent)
        if self.year_itself[t]:
            own = np.minimum(least, _surcharge_on(self.law, self.start, facts,
                                                  facts.filing_status, draws.out["agi"]))
            if self.filed:
                draws.extra_cost = draws.extra_cost - (own - facts.irmaa)
                facts.irmaa = own
            least = own
        cols["irmaa_saving"][:, t] = self.charged - least


def _widowed_pools(tl: Timeline, lives, widowed) -> np.ndarray | None:
    """(K, P) the pools whose owner is the survivor of a death before the year, on each path
    (random lifetimes; None otherwise: the timeline's own lives set the table)."""
    if lives is None or tl.people == 1 or np.ndim(widowed) == 0:
        return None
    return np.asarray(widowed, bool)[None, :] & (
        np.asarray(lives.survivor)[None, :] == tl.pool_owner[:, None])


@dataclass
class RequiredTake:
    """What must leave the pre-tax pools this year (K, P): the RMD (a 72(t) series' payment
    where one runs), the QCDs that count toward it, and what is left to choose from."""

    rmd: np.ndarray
    lock: np.ndarray  # (K, 1) a 72(t) series runs: its payment and nothing else leaves
    qcd: np.ndarray
    rmd_cash: np.ndarray  # the RMD less the QCDs: paid out to the household
    gift_rest: np.ndarray  # (P,) the gift the QCDs did not pay: paid from after-tax money
    after_rmd: np.ndarray  # what the pools still hold for conversions and withdrawals
    #: (K, 1) a plan account in service before 59½: no withdrawal, a conversion may go on
    #: (``Timeline.pool_in_service``)
    shut: np.ndarray


def required_take(tl: Timeline, law: Law, t: int, pre: np.ndarray, gift,
                  going=1.0, widowed: np.ndarray | None = None) -> RequiredTake:
    """The RMD of each pool (IRC §401(a)(9)), never over the pool; a 72(t) series' payment
    (§72(t)(2)(A)(iv)) where one runs; the QCDs paying ``gift`` (§408(d)(8)), which count
    toward the RMD (Pub. 590-B).  Nothing on a path that has ended (``going`` 0).  A plan
    account still in service before 59½ is marked ``shut`` (IRC §401(k)(2)(B)(i)).
    ``widowed`` (K, P): the pools whose owner's spouse died before the year on the path
    (random lifetimes): the Uniform Lifetime Table, no longer the joint table, whose spouse
    must be the sole beneficiary on January 1 of the year (Treas. Reg. §1.401(a)(9)-9(d)).
    The RMD divides the account balance on the prior December 31 (Treas. Reg.
    §1.401(a)(9)-5(b)), a balance in cents, as the year table shows it: the balance is
    rounded to the cent first, so the table's balance ÷ the divisor is its RMD to the cent."""
    divisor = tl.rmd_divisor[:, t][:, None]
    if widowed is not None:
        divisor = np.where(widowed, tl.rmd_divisor_alone[:, t][:, None], divisor)
    rmd = np.minimum(cents(pre) / divisor, pre) * going
    lock = tl.sepp_years[:, t][:, None]
    rmd = np.where(lock, np.minimum(np.maximum(rmd, tl.sepp_payment[:, t][:, None]), pre)
                   * going, rmd)
    qcd = qcd_take(tl, law, t, pre, gift)
    rmd_cash = np.maximum(rmd - qcd, 0.0)
    return RequiredTake(rmd, lock, qcd, rmd_cash, gift - qcd.sum(0),
                        np.where(lock, 0.0, pre - rmd_cash - qcd),
                        tl.pool_in_service[:, t][:, None])


@dataclass
class Draws:
    """The year's choices once the fixed point has settled: conversions, scheduled and other
    pre-tax withdrawals (K, P), the after-tax takes (cash, taxable, pre-tax total, Roth), the
    realised gains, the tax engine's answer and the MAGI-set extra cost."""

    conv: np.ndarray
    sched_w: np.ndarray
    extra_pre: np.ndarray
    takes: list[np.ndarray]
    systematic: list[np.ndarray] | None
    gains: np.ndarray
    out: dict[str, np.ndarray]
    extra_cost: np.ndarray
    #: The choices the last pass made (the fill policy's conversions in all, then the gap
    #: the takes meet) and the secant's slopes: where next year's fixed point starts.
    point: Point

    @property
    def after_tax(self) -> list[np.ndarray]:
        """Cash, taxable and Roth withdrawals."""
        if self.systematic is not None:
            return list(self.systematic)
        return [self.takes[0], self.takes[1], self.takes[3]]


def _scheduled(policy: Policy, t: int, take: RequiredTake,
               going=1.0) -> tuple[np.ndarray, np.ndarray]:
    """A schedule's conversions and pre-tax withdrawals of year ``t`` (K, P), within what the
    pools hold after the RMDs, no withdrawal from a plan account in service (``take.shut``);
    zero for the other policies and on a path that has ended."""
    K, P = take.after_rmd.shape
    found = policy.part("schedule", P)
    if found is None:
        return np.zeros((K, P)), np.zeros((K, P))
    sched, on = found
    conv = np.minimum(np.asarray(sched.conversions)[:, t][:, None], take.after_rmd) * going
    sched_w = np.where(take.shut, 0.0, np.minimum(
        np.asarray(sched.pretax_withdrawals)[:, t][:, None] - take.rmd_cash,
        take.after_rmd - conv).clip(min=0))
    if on is True:
        return conv, sched_w
    return np.where(on, conv, 0.0), np.where(on, sched_w, 0.0)


def _systematic(policy: Policy, take: RequiredTake, bal: Balances, going=1.0,
                roth_avail: np.ndarray | None = None):
    """The systematic policy's takes: a share of the invested money from every account in
    proportion to its balance, never below the RMDs, the Roth's never past what may come out
    free of tax and of the 10% tax (``roth_avail``, :func:`roth_reach`) — (pre-tax (K, P),
    [cash, taxable, Roth]); nothing on a path that has ended, nor from a plan account in
    service (``take.shut``: its share is not paid)."""
    invested = bal.invested()
    target = policy.systematic_rate * invested
    w = target / np.maximum(invested, 1e-9) * going
    extra_pre = np.where(take.shut, 0.0,
                         np.maximum(bal.pre * w[None, :] - take.rmd_cash - take.qcd, 0.0))
    roth = bal.roth * w if roth_avail is None else np.minimum(bal.roth * w, roth_avail)
    return extra_pre, [bal.cash * w, bal.taxable * w, roth]


#: The fixed point goes on with only the paths a pass moved once they are at most this share
#: of the batch (each path's passes depend on its own figures alone, so a path that a pass
#: left as it found it is settled: every later pass would leave it so).
SETTLED_SHARE = 0.7
#: ... and only for batches of at least this many paths (below it the gathering costs more).
SETTLED_MIN_PATHS = 256


@dataclass
class FixedPoint:
    """The fixed point's choices part way: conversions, scheduled and other pre-tax takes
    (K, P) and the after-tax takes [cash, taxable, pre-tax, Roth] (P,)."""

    conv: np.ndarray
    sched_w: np.ndarray
    extra_pre: np.ndarray
    extra: list[np.ndarray]


@dataclass(frozen=True)
class _Rules:
    """What every pass of every year reads: the policy, the timeline, the law, the fill
    policy's bracket tops and the tax engine's figures a year keeps."""

    policy: Policy
    tl: Timeline
    law: Law
    fill_top: np.ndarray | None
    #: The tax engine's figures a settled year keeps (:data:`DRAWN_OUT`, and a table's
    #: :data:`TABLE_OUT`).
    drawn_out: tuple[str, ...]


def settle(rules: _Rules, facts: YearFacts, take: RequiredTake, bal: Balances,
           magi_cost: MagiCost | None, start: Point | None = None) -> Draws:
    """The fixed point of withdrawals ↔ tax: the withdrawals pay the tax they cause (and any
    MAGI-set extra cost), found by at most ``ITERATIONS`` passes of the exact tax (with such a
    cost ``PLAIN_ITERATIONS`` plain ones), each after
    the first a secant step (:mod:`~dist401k.planner.fixed_point`) — fewer where every path
    has settled.  ``start``: where the passes start (last year's choices grown with prices,
    and its slopes), else at the scheduled conversions and no take.  Once most paths are
    settled the passes go on with the others alone (:func:`_settle_rest`): the same figures,
    bit for bit."""
    P = facts.price.shape[0]
    policy = rules.policy
    conv, sched_w = _scheduled(policy, facts.t, take, facts.going)
    fp = FixedPoint(conv, sched_w, np.zeros_like(conv), [np.zeros(P)] * TAKE_SOURCES)
    systematic = None
    if policy.kind == "systematic":
        fp.extra_pre, systematic = _systematic(policy, take, bal, facts.going,
                                               roth_reach(rules.tl, bal, facts.t))
    ret = YearReturn.of(rules.law, facts, bal, np.maximum(take.gift_rest, 0.0))
    draws = _passes(rules, (facts, take, bal), magi_cost, systematic, fp, ret,
                    ITERATIONS if magi_cost is None else PLAIN_ITERATIONS, start)
    expense = _expense_due(policy, facts) if systematic is not None else None
    if expense is not None:
        draws = _pay_expense(rules, (facts, take, bal), ret, draws, expense, magi_cost)
    return draws


def _expense_due(policy: Policy, facts: YearFacts) -> np.ndarray | None:
    """(P,) the planned expenses of the year (nominal: today's dollars grown with the path's
    prices, and the nominal ones) the systematic policy pays on top; None where none is due."""
    if policy.expenses is None:
        return None
    first, real, nominal = policy.expenses
    i = facts.year - first
    if not 0 <= i < len(real) or (real[i] == 0 and nominal[i] == 0):
        return None
    return (real[i] * facts.price + nominal[i]) * facts.going


def _pay_expense(rules: _Rules, year: tuple[YearFacts, RequiredTake, Balances], ret: YearReturn,
                 d: Draws, expense: np.ndarray, magi_cost: MagiCost | None) -> Draws:
    """The systematic policy's year of a planned expense (a planning convention, docs/plan.md):
    its share is taken as in any year (``d``, its payment that share less the year's tax on
    it), then the expense and the tax and cost it adds are drawn on top, from what the
    accounts hold after the share, in the conventional order (cash, taxable, pre-tax, Roth) —
    the guardrails' way of paying it.  The draw x solves x = expense + cost(x) − cost(0) by
    plain passes (each shrinks the error by the marginal rate), at most
    ``PLAIN_ITERATIONS``, until it moves by less than a cent."""
    facts, take, bal = year
    sys_cash, sys_taxable, sys_roth = d.systematic or []
    pre_left = np.where(take.shut, 0.0, (take.after_rmd - d.conv - d.sched_w
                                         - d.extra_pre).clip(min=0))
    pools = [(bal.cash - sys_cash).clip(min=0), (bal.taxable - sys_taxable).clip(min=0),
             pre_left.sum(0), (roth_reach(rules.tl, bal, facts.t) - sys_roth).clip(min=0)]
    flows = YearFlows.of(rules.tl, facts, take, bal, d.conv, d.sched_w)
    base = d.out["income_tax"] + d.out["state_tax"] + d.extra_cost
    x, found = expense, d
    for _ in range(PLAIN_ITERATIONS):
        found = _expense_draws(rules, facts, ret, flows, d, (pools, pre_left), x, magi_cost)
        nxt = expense + found.out["income_tax"] + found.out["state_tax"] + found.extra_cost - base
        if np.all(np.abs(nxt - x) < HALF_CENT):
            break
        x = nxt
    return found


def _expense_draws(rules: _Rules, facts: YearFacts, ret: YearReturn, flows: YearFlows, d: Draws,
                   left: tuple[list, np.ndarray], x: np.ndarray,
                   magi_cost: MagiCost | None) -> Draws:
    """The systematic policy's draws ``d`` with ``x`` more drawn in order from what is ``left``
    (the four pools, and the pre-tax one by pool (K, P)), and the tax (and MAGI-set cost) of
    the whole."""
    pools, pre_left = left
    takes = _draw(x, pools)
    extra_pre = d.extra_pre + _pre_by_pool(pre_left, pools[2], takes[2],
                                           rules.tl.early_tax[:, facts.t])
    sys_cash, sys_taxable, sys_roth = d.systematic or []
    systematic = [sys_cash + takes[0], sys_taxable + takes[1], sys_roth + takes[3]]
    out, gains = ret.taxed(flows, d.conv, extra_pre, systematic[1], facts.pension)
    cost = (np.zeros(facts.price.shape[0]) if magi_cost is None else magi_cost(facts, out))
    return replace(d, extra_pre=extra_pre, systematic=systematic, gains=gains,
                   out={k: out[k] for k in rules.drawn_out}, extra_cost=cost)


def _passes(rules: _Rules, year: tuple[YearFacts, RequiredTake, Balances],
            magi_cost: MagiCost | None, systematic: list[np.ndarray] | None, fp: FixedPoint,
            ret: YearReturn, passes: int, point: Point | None = None) -> Draws:
    """At most ``passes`` passes of the fixed point from the ``point`` (the fill policy's
    conversions, then the gap the takes meet; at first the conversions of ``fp`` and no
    take).  A pass prices the point with the exact tax; the year's choices are those its
    last pass makes."""
    policy, fill_top = rules.policy, rules.fill_top
    facts = year[0]
    P = facts.price.shape[0]
    fill = None if fill_top is None else policy.part("fill", P)
    rows = ([fp.conv.sum(0)] if fill else []) + ([np.zeros(P)] if systematic is None else [])
    # A MAGI-set cost may jump (the marketplace credit's end at 400% of the poverty line):
    # its years take plain passes from no take, to the least fixed point.
    if point is None or len(point.x) != len(rows) or magi_cost is not None:
        point = Point(tuple(rows))
    yp = _YearPass.of(rules, year, fp, ret, systematic, magi_cost, fill,
                      point.x[0] if fill else None)
    # Settled paths are set aside only where every path's pass is its own: no strategies
    # side by side (their masks are of the whole batch), no MAGI-set cost (it writes the
    # batch's columns), no systematic policy (one pass).
    may_split = (P >= SETTLED_MIN_PATHS and policy.kind != "stack" and magi_cost is None
                 and systematic is None)

    for i in range(passes):
        answer, out, gains, extra_cost = yp.price(point.x)
        if not answer:  # the systematic policy: its takes are set before the tax
            settled = np.ones(P, bool)
        else:
            settled = point.advance(answer, yp.upper if yp.fill else None,
                                    secant=magi_cost is None)
        last = i + 1 == passes or bool(settled.all())
        n = P - int(np.count_nonzero(settled))
        if last or (may_split and n <= SETTLED_SHARE * P):
            conv, extra, extra_pre = yp.choices(answer)
            draws = Draws(conv, fp.sched_w, extra_pre, extra, systematic, gains,
                          {k: out[k] for k in rules.drawn_out}, extra_cost,
                          replace(point, x=tuple(np.where(settled, v, a)
                                                 for v, a in zip(point.x, answer, strict=True))))
            if last:
                return draws
            idx = np.flatnonzero(~settled)
            return _settle_rest(rules, year, ret, draws, idx, passes - i - 1,
                                point.on_paths(idx))
    raise AssertionError("unreachable: the last pass returns")


@dataclass
class _YearPass:
    """What every pass of a year's fixed point reads, and one pass: the choices at a point,
    their exact tax, and the choices the pass makes next (the fill policy's conversions
    toward the top of its bracket, then the gap its takes must meet)."""

    rules: _Rules
    year: tuple[YearFacts, RequiredTake, Balances]
    fp: FixedPoint
    ret: YearReturn
    systematic: list[np.ndarray] | None
    magi_cost: MagiCost | None
    flows: YearFlows
    fill: tuple[Policy, np.ndarray | bool] | None
    top: np.ndarray | None = None
    most: np.ndarray | None = None
    held: tuple[np.ndarray, np.ndarray] | None = None
    first: np.ndarray | None = None

    @classmethod
    def of(cls, rules: _Rules, year, fp: FixedPoint, ret: YearReturn, systematic, magi_cost,
           fill, head) -> _YearPass:
        """``fill``: the fill policy and its paths (:meth:`Policy.part`); ``head``: its
        conversions where the passes start (a stack's other paths keep theirs)."""
        facts, take, bal = year
        fill_top = rules.fill_top
        flows = YearFlows.of(rules.tl, facts, take, bal,
                             None if fill_top is not None else fp.conv, fp.sched_w)
        yp = cls(rules, year, fp, ret, systematic, magi_cost, flows, fill)
        if fill and fill_top is not None:
            yp.top = _fill_top(fill_top, facts)
            yp.most = _fill_most(fill, facts, flows, head)
            if systematic is None:
                # What the pre-tax pools hold after the RMDs and scheduled takes (all, and
                # what a take may reach), and the money the gap's takes reach first
                # (:func:`_fill_spare`).
                none = np.zeros_like(fp.conv)
                reach = _pre_left(take, none, fp.sched_w)[1]
                yp.held = (_pre_left(take, none, fp.sched_w, takes=False)[1]
                           if take.shut.any() else reach, reach)
                yp.first = bal.cash + bal.taxable
        return yp

    def upper(self, x) -> np.ndarray:
        """The most the fill policy may convert at the point ``x`` (asked of the fill policy's
        passes alone)."""
        assert self.most is not None
        if self.systematic is not None or self.fill is None:
            return self.most
        return _fill_spare(self.fill, self.most, self.held, self.first, x)

    def choices(self, x):
        return _choices(self.rules, self.year, self.flows, self.fp, self.fill,
                        self.systematic, x)

    def price(self, x):
        """One pass at the point ``x``: the choices it makes next, the tax engine's answer,
        the realised gains and the MAGI-set cost."""
        facts = self.year[0]
        spare = self.upper(x) if self.fill else None
        conv, extra, extra_pre = self.choices(x)
        sale = extra[1] if self.systematic is None else self.systematic[1]
        out, gains = self.ret.taxed(self.flows, conv, extra_pre, sale, facts.pension)
        extra_cost = (np.zeros(facts.price.shape[0]) if self.magi_cost is None
                      else self.magi_cost(facts, out))
        plain = []
        if self.fill:
            plain.append(_fill_head(self.fill, x[0], self.top, spare, out))
        if self.systematic is None:
            plain.append(self.flows.gap(facts, out["income_tax"] + out["state_tax"],
                                        extra_cost))
        return tuple(plain), out, gains, extra_cost


def _choices(rules: _Rules, year: tuple[YearFacts, RequiredTake, Balances], flows: YearFlows,
             fp: FixedPoint, fill, systematic, x: np.ndarray):
    """The conversions (K, P), the takes [cash, taxable, pre-tax, Roth] and the pre-tax take
    by pool (K, P) at the point ``x`` (the fill policy's conversions, then the gap)."""
    facts, take, bal = year
    conv = fp.conv
    if fill:
        conv = _fill_split(fill, flows, fp.conv, x[0])
    if systematic is not None:
        return conv, fp.extra, fp.extra_pre
    extra, extra_pre = _order_takes(rules.policy, facts, bal,
                                    flows.pre_left(take, conv, fp.sched_w), flows.roth_avail,
                                    x[-1], rules.tl.early_tax[:, facts.t])
    return conv, extra, extra_pre


def _settle_rest(rules: _Rules, year: tuple[YearFacts, RequiredTake, Balances],
                 ret: YearReturn, draws: Draws, idx: np.ndarray, passes: int,
                 point: Point) -> Draws:
    """The fixed point's remaining ``passes`` on the paths ``idx`` not yet settled, from their
    ``point``; the others keep ``draws`` (their last pass, which every later pass would
    repeat)."""
    facts, take, bal = year
    part = (_on_paths(facts, FACTS_BY_PATH, idx), _on_paths(take, TAKE_BY_PATH, idx),
            _on_paths(bal, BALANCES, idx))
    fp = FixedPoint(draws.conv[:, idx], draws.sched_w[:, idx], draws.extra_pre[:, idx],
                    [np.asarray(e)[idx] for e in draws.takes])
    sub = _passes(rules, part, None, None, fp, ret.on_paths(idx), passes, point)

    def put(full, some):
        full = np.array(full)  # its own copy: an answer may be a read-only view
        full[..., idx] = some
        return full

    return Draws(put(draws.conv, sub.conv), draws.sched_w, put(draws.extra_pre, sub.extra_pre),
                 [put(a, b) for a, b in zip(draws.takes, sub.takes, strict=True)], None,
                 put(draws.gains, sub.gains),
                 {k: put(v, sub.out[k]) for k, v in draws.out.items()}, draws.extra_cost,
                 draws.point.put(idx, sub.point))


#: The tax engine's figures a year keeps once its fixed point has settled (what it pays, what
#: it records, the MAGI a later year's IRMAA looks back to); a pass's other figures are left
#: with it (a part of the paths settled apart does not carry them back); and the capital loss
#: the year carries to the next (§1212(b)).
DRAWN_OUT = ("agi", "taxable_income", "income_tax", "additional_tax_72t", "state_tax",
             "loss_carried", "regular_tax", "amt", "niit")
#: What a year's table keeps besides (:func:`simulate_table`): the taxable part of Social
#: Security (§86).
TABLE_OUT = ("taxable_social_security",)
#: The fields of a year's facts, required take and balances that are one a path (the last axis).
FACTS_BY_PATH = ("filing_status", "price", "wages", "pension", "social_security", "dividends",
                 "interest", "need", "irmaa", "age_head", "age_spouse", "going", "on_medicare",
                 "law_dollars", "benefit_price", "other_income", "blind")
TAKE_BY_PATH = ("rmd", "qcd", "rmd_cash", "gift_rest", "after_rmd")
BALANCES = ("pre", "pre_basis", "roth", "taxable", "taxable_basis", "cash", "loss_carried",
            "roth_in", "roth_basis", "roth_out", "ripening")


def _on_paths(obj, names, idx):
    """``obj`` on the paths ``idx`` alone: each of its ``names`` that is one a path (a scalar,
    the same on every path, is kept).  A copy of ``obj`` with those fields replaced (its
    ``__init__`` would do nothing more for these dataclasses: none has a ``__post_init__``)."""
    part = object.__new__(type(obj))  # a shallow copy (``copy.copy`` costs more)
    part.__dict__.update(obj.__dict__)
    for k in names:
        v = getattr(obj, k)
        if isinstance(v, np.ndarray) and v.ndim:
            part.__dict__[k] = v.take(idx, axis=-1)
    return part


def settle_living(rules: _Rules, facts: YearFacts, take: RequiredTake, bal: Balances,
                  magi_cost: MagiCost | None, start: Point | None = None) -> Draws:
    """:func:`settle` on the paths still going (random lifetimes): a path whose people have
    all died has no income, need or cost, so its draws are zero and are filled in rather than
    figured — the fixed point and the tax engine run on the living paths only."""
    going = np.asarray(facts.going)
    if going.ndim == 0 or going.all():
        return settle(rules, facts, take, bal, magi_cost, start)
    P = going.shape[0]
    idx = np.nonzero(going > 0)[0]
    idx = idx if idx.size else np.array([0])  # no one left: one path of zeros stands for all

    # A cost that writes columns of its own (the marketplace's) writes the living paths' rows.
    on_paths = getattr(magi_cost, "on_paths", None)
    part = settle(rules, _on_paths(facts, FACTS_BY_PATH, idx),
                  _on_paths(take, TAKE_BY_PATH, idx), _on_paths(bal, BALANCES, idx),
                  magi_cost if on_paths is None else on_paths(idx, P),
                  None if start is None else start.on_paths(idx))
    systematic = part.systematic or []
    keys = list(part.out)
    conv, sched_w, extra_pre, gains, extra_cost, *rest = _on_all_paths_together(
        [part.conv, part.sched_w, part.extra_pre, part.gains, part.extra_cost,
         *[part.out[k] for k in keys], *part.takes, *systematic], idx, P)
    out, rest = dict(zip(keys, rest[:len(keys)], strict=True)), rest[len(keys):]
    return Draws(conv, sched_w, extra_pre, rest[:len(part.takes)],
                 rest[len(part.takes):] if part.systematic is not None else None,
                 gains, out, extra_cost, part.point.put(idx, part.point, P))


def _on_all_paths(a, idx: np.ndarray, P: int) -> np.ndarray:
    """``a`` (one a path of ``idx``, the last axis) on all ``P`` paths: zero on the others."""
    a = np.asarray(a)
    full = np.zeros(a.shape[:-1] + (P,), dtype=a.dtype)
    full[..., idx] = a
    return full


def _on_all_paths_together(arrays: list, idx: np.ndarray, P: int) -> list[np.ndarray]:
    """:func:`_on_all_paths` of each of ``arrays``: the float ones put back in one scatter (each
    answer a view of one block; none is written in place)."""
    arrays = [np.asarray(a) for a in arrays]
    n = idx.size
    floats = [a.dtype == np.float64 and a.ndim > 0 and a.shape[-1] == n for a in arrays]
    some = [a for a, f in zip(arrays, floats, strict=True) if f]
    back: list[np.ndarray] = []
    if some:
        full = np.zeros((sum(a.size for a in some) // n, P))
        full[:, idx] = np.concatenate([a.reshape(-1, n) for a in some])
        r = 0
        for a in some:  # each a view of its rows of the block
            m = a.size // n
            back.append(full[r:r + m].reshape(a.shape[:-1] + (P,)))
            r += m
    back.reverse()
    return [back.pop() if f else _on_all_paths(a, idx, P)
            for a, f in zip(arrays, floats, strict=True)]



@dataclass
class YearReturn:
    """The household's federal return of one year on every path, gathered once a year: the
    law of the year and filing status (one for every path), the units with the year's fixed
    income, and the taxable share of each pre-tax pool (IRC §72) and of a taxable sale (the
    gain, §1001).  Each pass of the fixed point fills in only what it moves."""

    units: TaxUnits
    lookup: Lookup
    taxable_frac: np.ndarray  # (K, P)
    early_frac: np.ndarray  # (K, P) the part of a pre-tax take that owes the §72(t) tax
    gain_frac: np.ndarray  # (P,)
    steady: Steady  # what the lines a pass does not move decide (the deductions, §86 bases)
    #: The capital loss carried into the year (P,) and the most of a net loss the year deducts
    #: (§1211(b)); None where no path may have a net loss this year (no loss carried, no sale
    #: below its basis).
    loss: tuple[np.ndarray, np.ndarray] | None = None
    t: int = 0
    plan_state: PlanState | None = None
    state_lookup: Lookup | None = None  # the year's law for the state's units
    #: A couple's: the spouse's own wages, benefits and pension on every path (the state's
    #: split of a joint return).
    spouse: SpouseIncome | None = None

    @classmethod
    def of(cls, law: Law, facts: YearFacts, bal: Balances, charity=0.0) -> YearReturn:
        """``charity``: the gift paid from after-tax money (:attr:`RequiredTake.gift_rest`)."""
        P = facts.price.shape[0]
        taxable_frac = np.where(bal.pre > 0, 1 - bal.pre_basis / np.maximum(bal.pre, 1e-9), 1.0)
        fs = facts.filing_status
        units = household_return(
            np.full(P, facts.year), np.broadcast_to(fs, (P,)),
            np.broadcast_to(facts.age_head, (P,)), np.broadcast_to(facts.age_spouse, (P,)),
            ReturnIncome(wages=facts.wages, interest=facts.interest, dividends=facts.dividends,
                         ss=facts.social_security, charity=charity, other=facts.other_income),
            np.broadcast_to(facts.blind, (P,)))
        # One filing status on every path: the year's law gathered once; else gathered per
        # path (the same values, read through each path's status).
        one = _one_status(fs)
        shared = facts.living_lookup
        lookup = (Lookup.one_pair(law, facts.year, one) if one is not None
                  else shared if shared is not None and len(shared) == P
                  else Lookup(law, units.tax_year, units.filing_status))
        ps = facts.plan_state
        gain_frac = bal.gain_fraction()
        loss = None
        if np.any(bal.loss_carried > 0) or np.any(gain_frac < 0):
            loss = (bal.loss_carried, lookup.get("capital_gains.loss_limit"))
        return cls(units, lookup, taxable_frac, taxable_frac * facts.early[:, None],
                   gain_frac, Steady.of(units, lookup), loss, facts.t, ps,
                   None if ps is None else Lookup(law, units.tax_year, units.filing_status),
                   None if ps is None else ps.spouse_fixed(facts.t, facts.price,
                                                           facts.benefit_price))

    def on_paths(self, idx: np.ndarray) -> YearReturn:
        """This return on the paths ``idx`` alone."""
        units = replace(self.units, **{f.name: getattr(self.units, f.name)[idx]
                                       for f in fields(self.units)})
        return replace(self, units=units, lookup=self.lookup.subset(idx),
                       taxable_frac=self.taxable_frac[:, idx], early_frac=self.early_frac[:, idx],
                       gain_frac=self.gain_frac[idx],
                       steady=self.steady.on_units(idx, len(self.units)),
                       loss=None if self.loss is None else _loss_on_paths(
                           self.loss, idx, len(self.units)),
                       state_lookup=None if self.state_lookup is None
                       else self.state_lookup.subset(idx),
                       spouse=None if self.spouse is None else SpouseIncome(
                           _on(self.spouse.wages, idx), _on(self.spouse.social_security, idx),
                           _on(self.spouse.distributions, idx),
                           pension=_on(self.spouse.pension, idx),
                           other=_on(self.spouse.other, idx),
                           other_household=_on(self.spouse.other_household, idx)))

    def taxed(self, flows: YearFlows, conv, extra_pre, sale,
              pension) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The federal tax with these withdrawals (and ``state_tax``, the state's: zero
        without a state), and the realised gains."""
        pre_out = flows.required + extra_pre
        taxable_pre = (pre_out * self.taxable_frac).sum(0)
        early_amt = (pre_out * self.early_frac).sum(0)
        gains = sale * self.gain_frac
        counted = gains if self.loss is None else counted_gain(gains, *self.loss)
        units = replace(self.units, long_term_gains=counted, early_distributions=early_amt,
                        taxable_distributions=taxable_pre + flows.converted(conv) + pension)
        out = federal_tax(units, self.lookup.law, self.lookup, self.steady)
        out["loss_carried"] = (np.zeros(len(units)) if self.loss is None
                               else loss_carried_out(gains, *self.loss, out))
        ps = self.plan_state
        if ps is None:
            out["state_tax"] = np.zeros(len(units))
            return out, gains
        spouse = self.spouse
        taken, early = pre_out * self.taxable_frac, pre_out * self.early_frac
        if spouse is not None:
            spouse = replace(spouse, distributions=spouse.distributions + ps.spouse_drawn(
                taken) + ps.spouse_drawn(conv), early=ps.spouse_drawn(early),
                ira=ps.ira_drawn(taken, spouse=True) + ps.ira_drawn(conv, spouse=True),
                ira_early=ps.ira_drawn(early, spouse=True),
                ira_death=ps.death_drawn(taken, self.t, spouse=True),
                heir=ps.heir_drawn(taken, spouse=True),
                heir_ira=ps.heir_drawn(taken, spouse=True, ira=True))
        out["state_tax"] = ps.tax(self.t, units, out, self.lookup.law, self.state_lookup,
                                  spouse, PaidFrom(ps.ira_drawn(taken) + ps.ira_drawn(conv),
                                                   ps.ira_drawn(early), pension,
                                                   ps.employer_drawn(taken)
                                                   + ps.employer_drawn(conv),
                                                   ps.employer_drawn(taken, ira=True)
                                                   + ps.employer_drawn(conv, ira=True),
                                                   ira_death=ps.death_drawn(taken, self.t),
                                                   heir=ps.heir_drawn(taken),
                                                   heir_ira=ps.heir_drawn(taken, ira=True)))
        return out, gains


def _on(v, idx: np.ndarray):
    """A per-path value on the paths ``idx`` (a scalar as it is)."""
    return v[idx] if np.ndim(v) else v


def _loss_on_paths(loss: tuple[np.ndarray, np.ndarray], idx: np.ndarray,
                   n: int) -> tuple[np.ndarray, np.ndarray]:
    """:attr:`YearReturn.loss` on the paths ``idx`` of ``n`` (a limit the same on every path
    kept)."""
    carried, limit = loss
    return carried[idx], limit[idx] if limit.shape[0] == n else limit


def counted_gain(realised, carried, limit) -> np.ndarray:
    """The year's net capital gain on the return (Schedule D line 16, or line 21's loss): the
    gain realised less the loss carried in (§1212(b)), a net loss counted only down to the
    year's limit (§1211(b))."""
    return np.maximum(realised - carried, -limit)


def loss_carried_out(realised, carried, limit, out: dict[str, np.ndarray]) -> np.ndarray:
    """The capital loss carried to the next year (§1212(b); the Schedule D instructions'
    Capital Loss Carryover Worksheet): the year's net loss less the part of its deduction
    the year used — all of it, but where taxable income figured with it is below zero, only
    what that income left (``out``: the year's return; the planner's returns never itemize:
    their deductions are the standard, the senior and the §170(p) deductions)."""
    net_loss = np.maximum(0.0, carried - realised)
    deducted = np.minimum(limit, net_loss)
    income = (out["agi"] - out["standard_deduction"] - out["senior_deduction"]
              - out.get("charitable_deduction", 0.0))
    used = np.minimum(deducted, np.maximum(0.0, income + deducted))
    return net_loss - used


def _one_status(fs) -> int | None:
    """The filing status of every path, where they share one (always with fixed lifetimes;
    with random lifetimes, in a year whose living paths are all couples or all survivors);
    else None."""
    if np.ndim(fs) == 0:
        return int(fs)
    first = np.ravel(fs)[:1]
    return int(first[0]) if first.size and bool(np.all(fs == first[0])) else None


def _fill_head(fill: tuple[Policy, np.ndarray | bool], head, top, most, out) -> np.ndarray:
    """The fill policy's Roth conversions in all (IRC §408A(d)(3)) after a pass that priced
    ``head``: toward ``top``, the top of its bracket, by a damped step, at most ``most``
    (:func:`_fill_most`; on the fill policy's paths of a stack, the others keep ``head``)."""
    new = np.clip(head + FILL_STEP * (top - out["taxable_income"]), 0.0, most)
    return new if fill[1] is True else np.where(fill[1], new, head)


def _fill_top(fill_top: np.ndarray, facts: YearFacts):
    """The top of the fill policy's bracket this year (one, or each path's by its status)."""
    return fill_top[facts.t] if fill_top.ndim == 1 else fill_top[
        (np.asarray(facts.filing_status) == MARRIED_JOINT).astype(int), facts.t]


def _fill_most(fill: tuple[Policy, np.ndarray | bool], facts: YearFacts, flows: YearFlows,
               head) -> np.ndarray:
    """The most the fill policy may convert this year (P,): its cap and what the pools that
    may convert hold, nothing on a path that has ended (the conversions of a stack's other
    paths are fixed: ``head``)."""
    policy, on = fill
    cap = np.inf if policy.max_conversion is None else policy.max_conversion * facts.price
    most = np.minimum(cap, flows.convertible[1]) * facts.going  # going: 0 or 1
    return most if on is True else np.where(on, most, head)


def _fill_spare(fill: tuple[Policy, np.ndarray | bool], most, held, first,
                x: tuple[np.ndarray, ...]) -> np.ndarray:
    """The most the fill policy may convert at the point ``x`` (its conversions, then the
    gap its takes meet): ``most`` (:func:`_fill_most`), but never the pre-tax money the
    takes draw in their order (:func:`_draw`: cash and taxable money ``first``, then the
    pre-tax pools' ``held``: all they hold, and what a take may reach — not a plan account
    in service, which converts but pays nothing) — a conversion lands in the Roth account
    after the year's takes, so a dollar converted out of the spending's dollar would leave
    the spending to the Roth money or short (and a conversion of money the year takes anyway
    only relabels a withdrawal: the bracket is not filled by it)."""
    held_all, reach = held
    spare = np.minimum(most, held_all - _draw(x[-1], [first, reach])[1])
    if held_all is not reach:
        # A plan account in service pays nothing, not even the tax of its conversion: that
        # is left to the money a take reaches, so the conversions go no further than the gap
        # that money meets, at the bracket's rate (a step toward it at each pass).
        spare = np.minimum(spare, np.maximum(x[0] + (first + reach - x[-1])
                                             / fill[0].fill_rate, 0.0))
    return spare if fill[1] is True else np.where(fill[1], spare, x[0])


def _fill_split(fill: tuple[Policy, np.ndarray | bool], flows: YearFlows, conv, head):
    """The conversions ``head`` spread over the pools that may convert (K, P), in proportion
    to what each holds (on the fill policy's paths of a stack; the others keep ``conv``)."""
    room_i, room_all = flows.convertible
    new = room_i * _share(np.minimum(head, room_all), room_all)
    return new if fill[1] is True else np.where(fill[1], new, conv)


@dataclass(frozen=True)
class YearFlows:
    """What no pass of a year's fixed point moves (P,): what the withdrawals must pay before
    the tax (the need, and the gift the QCDs left), the income and the required and scheduled
    pre-tax takes that pay part of it, the Roth money a take may reach (its earnings only once
    a distribution is qualified, §408A(d)(2)), the required and scheduled pre-tax takes (K,
    P), what the pools that may convert hold after the RMDs (K, P) and in all, and, where the
    conversions are the same on every pass (no fill policy), their total and what the
    pre-tax pools hold for a take (K, P) and in all."""

    owed: np.ndarray
    inflow: np.ndarray
    roth_avail: np.ndarray
    required: np.ndarray
    fixed_conv: np.ndarray | None
    fixed_pre_left: tuple[np.ndarray, np.ndarray] | None
    convertible: tuple[np.ndarray, np.ndarray]  # what each pool and all may convert (§408A)

    @classmethod
    def of(cls, tl: Timeline, facts: YearFacts, take: RequiredTake, bal: Balances,
           conv: np.ndarray | None, sched_w) -> YearFlows:
        """``conv``: the conversions of every pass, or None where a pass moves them."""
        required = take.rmd_cash + sched_w
        inflow = (facts.wages + facts.pension + facts.social_security + facts.other_income
                  + required.sum(0))
        roth_avail = roth_reach(tl, bal, facts.t)
        room = take.after_rmd * tl.pool_converts.astype(float)[:, None]
        return cls(facts.need + take.gift_rest, inflow, roth_avail, required,
                   None if conv is None else conv.sum(0),
                   None if conv is None else _pre_left(take, conv, sched_w),
                   (room, room.sum(0)))

    def gap(self, facts: YearFacts, tax, extra_cost) -> np.ndarray:
        """What the withdrawals must pay: the need, the gift, the tax, IRMAA and the extra
        cost, less the year's income and its required and scheduled pre-tax takes."""
        return self.owed + tax + facts.irmaa + extra_cost - self.inflow

    def pre_left(self, take: RequiredTake, conv, sched_w) -> tuple[np.ndarray, np.ndarray]:
        return self.fixed_pre_left or _pre_left(take, conv, sched_w)

    def converted(self, conv) -> np.ndarray:
        """The year's conversions in all (P,)."""
        return self.fixed_conv if self.fixed_conv is not None else conv.sum(0)


def _pre_left(take: RequiredTake, conv, sched_w,
              takes: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """What the pre-tax pools hold for a take after the RMDs, conversions and scheduled
    withdrawals (K, P), and in all (P,): nothing of a plan account in service (``take.shut``,
    IRC §401(k)(2)(B)(i)) unless ``takes`` is False (what they hold, to convert)."""
    left = (take.after_rmd - conv - sched_w).clip(min=0)
    if takes and take.shut.any():
        left = np.where(take.shut, 0.0, left)
    return left, left.sum(0)


def _order_takes(policy: Policy, facts: YearFacts, bal: Balances, pre: tuple, roth_avail,
                 gap, early: np.ndarray | None = None):
    """The withdrawals that meet the ``gap`` (:meth:`YearFlows.gap`): the optimiser's own
    first (a schedule's), then cash, taxable, pre-tax (``pre``: what each pool holds for a
    take, and in all), Roth (``roth_avail``).  Returns the takes [cash, taxable, pre-tax,
    Roth] and the pre-tax take by pool (K, P): from the pools a withdrawal leaves free of the
    10% tax first (``early`` (K,): those where it owes it, §72(t)), each group in proportion
    to what its pools hold."""
    t = facts.t
    pre_left, pre_total = pre
    found = policy.part("schedule", gap.shape[0])
    if found is not None and found[0].other_withdrawals is not None:
        # The optimiser's own withdrawals first; any gap left by the exact tax is met in the
        # usual order.
        plan = np.asarray(found[0].other_withdrawals)[:, t]
        first = [np.minimum(plan[0], bal.cash), np.minimum(plan[1], bal.taxable),
                 np.zeros(facts.price.shape[0]), np.minimum(plan[2], roth_avail)]
        pools = [bal.cash - first[0], bal.taxable - first[1], pre_total,
                 roth_avail - first[3]]
        takes = _draw(gap - sum(first), pools)
        takes = [a + b for a, b in zip(first, takes, strict=True)]
        if found[1] is not True:
            # A stack: the other strategies' paths draw in the usual order.
            usual = _draw(gap, [bal.cash, bal.taxable, pre_total, roth_avail])
            takes = [np.where(found[1], a, b) for a, b in zip(takes, usual, strict=True)]
    else:
        takes = _draw(gap, [bal.cash, bal.taxable, pre_total, roth_avail])
    return takes, _pre_by_pool(pre_left, pre_total, takes[2], early)


def _pre_by_pool(pre_left, pre_total, taken, early) -> np.ndarray:
    """The pre-tax ``taken`` (P,) by pool (K, P): first from the pools free of the 10% tax
    (``early`` (K,) marks the others; None: all alike), each group pro rata."""
    if early is None or not early.any() or early.all():
        return pre_left * _share(taken, pre_total)
    free = pre_left * ~early[:, None]
    free_total = free.sum(0)
    first = np.minimum(taken, free_total)
    return free * _share(first, free_total) + (pre_left - free) * _share(
        taken - first, pre_total - free_total)


@dataclass
class Paid:
    """Where the year's money went (P,): the pre-tax take by pool (K, P), the after-tax
    withdrawals, what was spent, what the gift got, and the surplus deposited in the taxable
    account."""

    pre_out: np.ndarray
    cash_w: np.ndarray
    taxable_w: np.ndarray
    roth_w: np.ndarray
    spent: np.ndarray
    gift_paid: np.ndarray
    deposit: np.ndarray


def pay_out(facts: YearFacts, take: RequiredTake, d: Draws) -> Paid:
    """The year's money after tax, IRMAA and the extra cost: the gift first, then the need
    (all of it spent under the systematic policy); a surplus is deposited."""
    pre_out = take.rmd_cash + d.sched_w + d.extra_pre
    c_w, t_w, r_w = d.after_tax
    got = (facts.wages + facts.pension + facts.social_security + facts.other_income
           + pre_out.sum(0) + c_w + t_w
           + r_w - d.out["income_tax"] - d.out["state_tax"] - facts.irmaa - d.extra_cost)
    gift_paid = np.minimum(got.clip(min=0), take.gift_rest)
    if d.systematic is not None:
        spent = (got - gift_paid).clip(min=0)
        deposit = np.zeros(facts.price.shape[0])
    else:
        spent = np.minimum(got - gift_paid, facts.need).clip(min=0)
        deposit = (got - gift_paid - facts.need).clip(min=0)
    return Paid(pre_out, c_w, t_w, r_w, spent, gift_paid, deposit)


def roth_reach(tl: Timeline, bal: Balances, t: int) -> np.ndarray:
    """(P,) the Roth money a take may reach in year ``t``: all of it once every owner's is
    qualified (``tl.roth_free``); before, what has been put in and may come out free of tax
    and of the 10% tax, less what has come out: a qualified owner's money put in, another's
    basis, with all their conversions once past 59½ (:class:`Balances`; the programme's rows,
    :func:`~dist401k.planner.lp._roth_basis_rows`)."""
    if tl.roth_free[t]:
        return bal.roth
    basis = bal.roth_basis
    if bal.ripening.shape[0]:
        # Past 59½ (or dead) an owner's recent conversions come out free of the 10% tax too.
        basis = basis + np.where(tl.roth_conversions_free[:, t][:, None],
                                 bal.ripening.sum(0), 0.0)
    cap = np.where(tl.roth_own_free[:, t][:, None], bal.roth_in, basis).sum(0)
    return np.clip(np.minimum(bal.roth, cap - bal.roth_out), 0.0, None)


def close_year(bal: Balances, take: RequiredTake, d: Draws, paid: Paid, dividend_yield) -> None:
    """The balances after the year's takes: each take at most what its account holds (the
    floor only wipes out the rounding of a take that empties an account); a pre-tax take
    carries its pro rata basis (§72(e)(8)), a QCD none (§408(d)(8)(D)); a conversion adds to
    its owner's Roth money put in, and to their Roth basis once its five years have run
    (``ripening``); the deposit and the reinvested dividends add to the taxable basis — the
    dividends of what the account holds after the year's sale and deposit (``dividend_yield``
    of it, part of the return it grows by), so that on fixed returns it never falls below its
    basis (the year's taxed dividends are figured on its balance at the start)."""
    basis_out = paid.taxable_w * (1 - bal.gain_fraction())
    frac = bal.pre_basis_fraction()
    conv = d.conv.sum(0)
    pre = _left(bal.pre, paid.pre_out + d.conv + take.qcd)
    pre_basis = _left(bal.pre_basis, (paid.pre_out + d.conv) * frac)
    bal.pre_basis = np.where(take.qcd > 0, np.minimum(pre_basis, pre), pre_basis)
    bal.pre = pre
    by_owner = bal.conv_owner @ d.conv
    ripening = np.concatenate([bal.ripening, by_owner[None]])
    bal.roth_basis = bal.roth_basis + ripening[0]
    bal.ripening = ripening[1:]
    bal.roth_in = bal.roth_in + by_owner
    bal.roth_out = bal.roth_out + paid.roth_w
    bal.roth = _left(bal.roth, paid.roth_w) + conv
    bal.taxable = _left(bal.taxable, paid.taxable_w) + paid.deposit
    bal.taxable_basis = (_left(bal.taxable_basis, basis_out) + paid.deposit
                         + dividend_yield * bal.taxable)
    bal.cash = _left(bal.cash, paid.cash_w)
    _clear_remnants(bal)


#: A balance left under half a cent by a take meant to empty it is the rounding of that take:
#: the account is empty, its basis with it (a solver setting, not law).
REMNANT = 0.005


def _clear_remnants(bal: Balances) -> None:
    """Accounts a take left with less than ``REMNANT``: empty, with no basis — else the
    rounding's crumbs carry a basis many times their size (the year's reinvested dividends)
    into a later sale, a capital loss that never happened."""
    for money, basis in (("pre", "pre_basis"), ("roth", None), ("taxable", "taxable_basis"),
                         ("cash", None)):
        held = getattr(bal, money)
        gone = held < REMNANT
        if gone.any():
            setattr(bal, money, np.where(gone, 0.0, held))
            if basis:
                setattr(bal, basis, np.where(gone, 0.0, getattr(bal, basis)))


def grow(bal: Balances, mk: Market, t: int) -> None:
    """A year of returns on what is left (dividends reinvested: part of the return).  An
    inherited Roth pool's growth is basis with the rest of it: what the heir takes out later,
    growth included, is a qualified distribution, not income (IRC §408A(d)(1), (2)(A)(ii);
    §402A(d)(1); Treas. Reg. §1.408A-6, Q&A-7)."""
    g = 1 + mk.growth[:, t]
    bal.pre = bal.pre * g[None, :]
    if bal.roth_pools is not None:
        bal.pre_basis = np.where(bal.roth_pools[:, None], bal.pre, bal.pre_basis)
    bal.roth = bal.roth * g
    bal.taxable = bal.taxable * g
    bal.cash = bal.cash * (1 + mk.bills[:, t])


def record(cols: dict[str, np.ndarray], when: tuple[int, Timeline], law: Law, facts: YearFacts,
           take: RequiredTake, d: Draws, paid: Paid) -> None:
    """The year's columns (the balances were recorded at its start): ``when``, the year ``t``
    of the timeline."""
    t, tl = when
    out = d.out
    qcd = take.qcd.sum(0)
    vals = dict(wages=facts.wages, pension=facts.pension, social_security=facts.social_security,
                rmd=take.rmd.sum(0), pretax_withdrawal=paid.pre_out.sum(0),
                conversion=d.conv.sum(0), roth_withdrawal=paid.roth_w,
                taxable_withdrawal=paid.taxable_w, cash_withdrawal=paid.cash_w,
                deposit=paid.deposit, dividends=facts.dividends, interest=facts.interest,
                realized_gains=d.gains, agi=out["agi"], taxable_income=out["taxable_income"],
                income_tax=out["income_tax"], additional_tax_72t=out["additional_tax_72t"],
                state_tax=out["state_tax"],
                irmaa=facts.irmaa, spending=paid.spent, need=facts.need,
                shortfall=(facts.need - paid.spent).clip(min=0) + take.gift_rest - paid.gift_paid,
                qcd=qcd, charity=qcd + paid.gift_paid, other_income=facts.other_income,
                # the parts of income_tax (TAX_PARTS), so that a table shows the total as
                # the sum of its parts rounded (tax.federal.in_cents); kept unrounded here
                regular_tax=out["regular_tax"], amt=out["amt"], niit=out["niit"])
    W = facts.price.shape[0]  # the paths the year ran on: the first W
    for k, v in vals.items():
        cols[k][:W, t] = v  # a scalar or one a path
    cols["marginal_bracket"][:W, t] = _bracket_rate(
        law, facts.year, facts.filing_status,
        (out["taxable_income"] - d.gains - facts.dividends).clip(min=0))
    if "ira_withdrawal" in cols:  # a table's columns (TABLE_COLUMNS)
        record_sources(cols, t, tl, d, paid)
        record_spouse_income(cols, t, tl, facts)


def record_sources(cols: dict[str, np.ndarray], t: int, tl: Timeline, d: Draws,
                   paid: Paid) -> None:
    """Whose money and which account the year's pre-tax withdrawal and conversion came from,
    as the state's tax read them (:meth:`~dist401k.planner.state_tax.PlanState.ira_drawn`,
    ``spouse_drawn``): the IRAs' part (an inherited IRA's too), the second person's part
    (their own pools, and after a first death the pools they took over) and the second
    person's IRAs' part; and the taxable part of Social Security (§86) the year was priced
    with."""
    ira = ~np.asarray(tl.pool_plan, bool)
    spouse = np.asarray(tl.pool_owner) == 1
    W = paid.pre_out.shape[1]
    cols["taxable_social_security"][:W, t] = d.out["taxable_social_security"]
    for k, taken, mask in (("ira_withdrawal", paid.pre_out, ira),
                           ("ira_conversion", d.conv, ira),
                           ("spouse_withdrawal", paid.pre_out, spouse),
                           ("spouse_conversion", d.conv, spouse),
                           ("spouse_ira_withdrawal", paid.pre_out, spouse & ira),
                           ("spouse_ira_conversion", d.conv, spouse & ira)):
        cols[k][:W, t] = taken[mask].sum(0)


def record_spouse_income(cols: dict[str, np.ndarray], t: int, tl: Timeline,
                         facts: YearFacts) -> None:
    """The part of the year's wages, pensions and Social Security paid to the second person,
    in the year's dollars as :func:`year_facts` adds them into the household's; zero for one
    person.  Social Security: their own benefit, a spouse's benefit, or after the first death
    the survivor's (the timeline's row of the one paid); the pension: their own while they
    live, and after the first person's death the survivor's share of that person's pension too
    (kept in the deceased's row, :class:`~dist401k.planner.timeline.Timeline`).  The table's
    own (a fixed lifetime: the timeline's lives)."""
    if tl.people == 1:
        return
    W = facts.price.shape[0]
    bp = facts.price if facts.benefit_price is None else facts.benefit_price
    paid = [tl.pension[i, t] * (facts.price if tl.pension_indexed[i] else 1.0) for i in (0, 1)]
    alive = tl.alive[:, t]
    cols["spouse_wages"][:W, t] = tl.wages[1, t] * facts.price
    cols["spouse_pension"][:W, t] = (paid[1] + (0.0 if alive[0] else paid[0])) * float(alive[1])
    cols["spouse_social_security"][:W, t] = tl.social_security[1, t] * bp


def after_tax_estate(bal: Balances, heirs_rate: float) -> np.ndarray:
    """What the heirs keep (nominal): the pre-tax money less their tax on its taxable part at
    ``heirs_rate`` (its basis comes tax-free), everything else whole."""
    frac = bal.pre_basis_fraction()
    return bal.taxable + bal.cash + bal.roth + (
        (bal.pre * (1 - frac)) * (1 - heirs_rate) + bal.pre * frac).sum(0)


def _draw(amount, pools):
    """Take ``amount`` from ``pools`` in order; returns the takes."""
    takes = []
    left = amount
    for k, pool in enumerate(pools):
        t = np.minimum(np.maximum(left, 0.0), pool)
        takes.append(t)
        if k + 1 < len(pools):
            left = left - t
    return takes


def qcd_take(tl: Timeline, law: Law, t: int, pre, gift) -> np.ndarray:
    """(K, P): the qualified charitable distributions of year ``t`` that pay ``gift`` — from
    the pools that may pay one (:func:`~dist401k.planner.timeline.qcd_pools`), at most the
    year's limit a person (IRC §408(d)(8)(A)), spread over persons and pools by what each may
    give."""
    ok = tl.qcd_ok[:, t][:, None]
    room = np.where(ok, pre, 0.0)
    if not np.any(room > 0):
        return np.zeros_like(pre)
    limit = float(tl.qcd_limit[t])
    per_person = np.zeros_like(pre)
    for i in np.unique(tl.pool_owner):
        mine = tl.pool_owner == i
        held = room[mine].sum(0)
        per_person[mine] = room[mine] * _share(np.minimum(held, limit), held)
    total = per_person.sum(0)
    return per_person * _share(np.minimum(gift, total), total)


def _share(part, whole):
    """``part / whole`` where ``whole`` holds money, else 0: the share of each account in a
    take spread over accounts (never a division by a vanishing or negative total)."""
    return np.divide(part, whole, out=np.zeros(np.broadcast_shapes(np.shape(part),
                                                                   np.shape(whole))),
                     where=whole > 0)


def _left(balance, take):
    """What an account holds after ``take`` (at most the balance): never below zero."""
    return np.maximum(balance - take, 0.0)


@dataclass(frozen=True)
class ReturnIncome:
    """The income lines of the household's return, each a scalar or one a row: wages, taxable
    interest, dividends (qualified), long-term gains, taxable distributions (``early``: the
    part that owes the §72(t) tax), Social Security benefits, and the gift to charity paid in
    cash from after-tax money (``charity``: the §170(p) deduction's gifts)."""

    wages: np.ndarray | float = 0.0
    interest: np.ndarray | float = 0.0
    dividends: np.ndarray | float = 0.0
    gains: np.ndarray | float = 0.0
    distributions: np.ndarray | float = 0.0
    early: np.ndarray | float = 0.0
    ss: np.ndarray | float = 0.0
    charity: np.ndarray | float = 0.0
    #: other ordinary income, not wages nor investment income (the case's ``other_income``)
    other: np.ndarray | float = 0.0


def household_return(years, filing_status, age_head, age_spouse,
                     income: ReturnIncome, blind=0) -> TaxUnits:
    """The household's federal return for the tax engine (one row a year or a path): dividends
    qualified, gains long-term, the standard deduction (no itemizing; ``blind``: the number of
    blind people on the return, :func:`blind_on_return`, each with the §63(f)(2) amount) and, from
    2026, the §170(p) deduction of the gift paid in cash: the case's gift goes to a charity a
    QCD may pay (§408(d)(8)(B)(i): a §170(b)(1)(A) organization, not a supporting organization
    nor a donor advised fund), the very gifts §170(p) counts."""
    n = np.shape(years)[0]
    wages, interest, dividends, gains = (income.wages, income.interest, income.dividends,
                                         income.gains)
    distributions, early, ss = income.distributions, income.early, income.ss

    def col(v):
        return np.broadcast_to(np.asarray(v, float), (n,))

    no = np.zeros(n, bool)
    zero = np.zeros(n)
    return TaxUnits(
        tax_year=np.asarray(years), filing_status=np.asarray(filing_status, np.int8),
        age_head=col(age_head), age_spouse=col(age_spouse), blind_head=col(blind) > 0,
        blind_spouse=col(blind) > 1,
        # A plan's return is joint or single, never separate (timeline._couple): §86's
        # zero base amounts of a separate filer who lived with the spouse never arise.
        lived_apart=no, wages=col(wages), taxable_interest=col(interest),
        tax_exempt_interest=zero, ordinary_dividends=col(dividends),
        qualified_dividends=col(dividends), long_term_gains=col(gains),
        taxable_distributions=col(distributions), early_distributions=col(early),
        social_security=col(ss), other_income=col(income.other), itemized_deductions=zero,
        charitable_cash=col(income.charity))


def blind_on_return(hh: Household, alive: np.ndarray) -> np.ndarray:
    """The number of blind people on the year's return (§63(f)(2)): of those alive in the year
    (``alive``: (I, ...), a death counting in its year, as the return's ages do), each one
    marked ``blind`` — both of a couple on the joint return, the survivor alone after."""
    flags = np.array([p.blind for p in hh.people], float)
    return np.tensordot(flags, np.asarray(alive, float), axes=(0, 0))


def law_dollars(law: Law, start: int, t: int, price: np.ndarray) -> np.ndarray | float:
    """The path's dollars of a dollar of the law's in year ``t`` of a plan from ``start``
    (``price``: (…, T + 1) the path's price levels from 1 at the start): a figure the law
    enacted for a year is in that year's dollars, one to one; one it projects past its last
    enacted year at its assumed CPI grows on each path with that path's prices instead, from
    the later of that year and the plan's first (the IRMAA amounts)."""
    anchor = max(start, law.enacted_through)
    if start + t <= anchor:
        return 1.0
    a = anchor - start
    return price[..., t] / (price[..., a] * float(growth_factors(law.inflation, t - a)))


def fill_bracket_problem(law: Law, years: np.ndarray, rate: float) -> str | None:
    """Why the fill strategy cannot fill the bracket taxed at ``rate`` in ``years``, or None:
    ``rate`` must be an ordinary income tax rate of the law (``income_tax.rates``) in every
    year, and not the top one, whose bracket has no top to fill to."""
    rates = np.atleast_2d(law.get("income_tax.rates", years))  # (T, 7)
    below_top = rates[:, :-1]
    fillable = [float(r) for r in below_top[0] if np.isclose(below_top, r).any(axis=-1).all()]
    if any(np.isclose(fillable, rate)):
        return None
    listed = ", ".join(f"{r:g}" for r in fillable)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else f"{years[0]}"
    cite = law.citation("income_tax.rates")
    if np.isclose(rates[:, -1], rate).any():
        return f"{rate:g} is the top rate: its bracket has no top to fill to; fill one of {listed} ({cite})"
    return (f"{rate:g} is not a rate of the ordinary income tax brackets in {span}; fill one of "
            f"{listed} ({cite})")


def _bracket_top(law: Law, tl: Timeline, rate: float, by_status: bool = False) -> np.ndarray:
    """Top of the ordinary bracket taxed at ``rate`` for each year's filing status (T,) — or,
    ``by_status`` (random lifetimes: each path its own status), for single and joint (2, T)."""
    rates = law.get("income_tax.rates", tl.years)  # (T, 7)
    k = np.argmin(np.abs(rates - rate), axis=-1)
    statuses = [np.full(tl.T, s) for s in (SINGLE, MARRIED_JOINT)] if by_status else [
        tl.filing_status]
    tops = []
    for fs in statuses:
        thr = law.get("income_tax.brackets", tl.years, fs)  # (T, 6)
        tops.append(thr[np.arange(tl.T), np.minimum(k, thr.shape[-1] - 1)])
    return np.stack(tops) if by_status else tops[0]


def _bracket_rate(law: Law, year: int, fs, taxable_income) -> np.ndarray:
    """The ordinary rate at the top of ``taxable_income`` (``fs``: one filing status, or one
    a path): the year's law as gathered once for each status (``Lookup.one_pair``)."""
    x = np.asarray(taxable_income)
    if not np.ndim(fs):
        return _rate_of(law, year, int(fs), x)
    # One a path (random lifetimes: couples and survivors): each status's rate found on
    # every path, kept where the path files so.
    return by_status(fs, lambda s: _rate_of(law, year, s, x))


def _rate_of(law: Law, year: int, fs: int, x: np.ndarray) -> np.ndarray:
    """The year's ordinary rate at the top of each ``x``, filing as ``fs``: the rate of the
    bracket its last cent falls in (an income filled to a bracket's top, give or take a
    fraction of a cent, is in that bracket, not the next); no taxable income reaches no
    bracket: 0 (the next dollar falls in the deduction left, §63)."""
    lk = Lookup.one_pair(law, year, fs)
    rates, thr = lk.small("income_tax.rates")[0], lk.small("income_tax.brackets")[0]
    rate = rates[np.minimum(np.searchsorted(thr, x - HALF_CENT, side="left"), len(rates) - 1)]
    return np.where(x > HALF_CENT, rate, 0.0)
