"""Who is alive on each Monte Carlo path, and what follows from it, year by year.

With random lifetimes each path has its own year of death for each person
(``longevity.sample_death_years``).  A person lives all of the year of death (the planner's
convention: death at the end of the last year).  From it follow, on each path and in each
year, the same rules the fixed plan applies once (``timeline.build_timeline``):

- a couple files jointly while both live and in the year of the first death (IRC
  §6013(a)(2)), the survivor single from the next year;
- the survivor keeps the larger of the two Social Security benefits (42 U.S.C. §402(e), (f))
  and the pension's survivor share;
- the deceased's pre-tax money rolls into the survivor's own IRA the next year (a spouse's
  rollover, IRC §402(c)(9), §408(d)(3)), and the taxable account takes its basis at the death
  (IRC §1014; :mod:`~dist401k.planner.basis_at_death`);
- the spending need is the couple's while both live, the survivor's share after, and nothing
  once everyone has died: the path ends at the last death.

Every quantity is an array over paths (and years); nothing loops over paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from dist401k.dates import return_age
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.law.loader import Law, Lookup
from dist401k.planner.earnings_test import survivor_work
from dist401k.planner.household import Household
from dist401k.planner.medicare import part_b_months_before
from dist401k.planner.social_security_benefit import (
    own_benefit,
    ssa_birth_year,
    survivor_benefits_paid,
)
from dist401k.planner.timeline import Timeline, benefit_age_end, claim_ages


@dataclass
class PathLives:
    """Per path (P) and year (T) facts of one draw of lifetimes over a timeline built with
    everyone alive to its end (``tl``)."""

    death: np.ndarray  # (P, I) index of the year of death; T: alive past the last year
    alive: np.ndarray  # (P, I, T) alive in the year
    anyone: np.ndarray  # (P, T) someone is alive: the path goes on
    filing_status: np.ndarray  # (P, T)
    spending_share: np.ndarray  # (P, T) share of the couple's need: 1, the survivor's, or 0
    wages: np.ndarray  # (P, T) start-year dollars
    pension_fixed: np.ndarray  # (P, T) nominal (pensions without a COLA)
    pension_indexed: np.ndarray  # (P, T) start-year dollars (pensions with a COLA)
    social_security: np.ndarray  # (P, T) start-year dollars, survivor benefit included
    age_head: np.ndarray  # (P, T)
    age_spouse: np.ndarray  # (P, T)
    on_medicare: np.ndarray  # (P, T) people on Medicare
    rollover_year: np.ndarray  # (P,) year index the survivor rolls the money over (T: never)
    deceased: np.ndarray  # (P,) the first of the couple to die (-1: none within the years)
    survivor: np.ndarray  # (P,) the other (-1: none)

    widowed_years: np.ndarray  # (P, T) one of the couple has died, one lives
    years: np.ndarray  # (T,) the calendar years
    #: The rollovers of each year, figured once for a timeline (``rollovers``).
    _rollovers: dict = field(default_factory=dict, repr=False, compare=False)
    #: The law of each year gathered for its living paths (``living_lookup``).
    _lookups: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def paths(self) -> int:
        return int(self.death.shape[0])

    # The simulator's questions about who has died (as its fixed ``Lives`` answers them).

    def widowed(self, year: int) -> np.ndarray:
        """(P,) the paths on which one of the couple died before ``year`` and one lives."""
        return self.by_year["widowed"][self._t(year)]

    def going(self, year: int) -> np.ndarray:
        """(P,) 1 where someone is alive in ``year`` (the path goes on), else 0."""
        return self.by_year["going"][self._t(year)]

    def ended(self, year: int) -> np.ndarray:
        """(P,) the paths whose last death is in ``year``: they end with it."""
        return self.last_death == self._t(year)

    def ended_paths(self, year: int) -> np.ndarray:
        """The indices of the paths whose last death is in ``year`` (ascending)."""
        t = self._t(year)
        return self._ends[1][self._ends[0][t]:self._ends[0][t + 1]] if 0 <= t < len(
            self.years) else np.zeros(0, np.intp)

    def end_index(self, T: int) -> np.ndarray:
        """(P,) the index of the price level at each path's end: the start of the year after
        the last death, or the end of the years."""
        return np.minimum(self.last_death + 1, T)

    def roll_over(self, bal, tl: Timeline, year: int) -> None:
        """The survivor rolls the deceased's pre-tax money into an IRA of their own on the
        paths where the first death was last year, and the taxable account takes its basis at
        the death there (``bal``: the simulator's balances)."""
        t = self._t(year)
        roll_over(tl, self, t, bal.pre, bal.pre_basis)
        if t > 0:
            paths = self.rollover_year == t
            if paths.any():
                bal.at_first_death(tl, paths, t - 1)

    def _t(self, year: int) -> int:
        return int(year - self.years[0])

    def head(self, n: int) -> PathLives:
        """These lives on the first ``n`` paths (views), for a simulator that has left the
        others behind (their lives have ended; :func:`~dist401k.planner.simulate.simulate`):
        the year-major facts, the ends and the law gathered for the paths going each year
        are this draw's, shared (where the first ``n`` are those going, the law gathered for
        them is the same); the rollovers figured for the whole draw are kept, those figured
        on the first ``n`` alone are not handed back."""
        part = object.__new__(PathLives)
        part.__dict__.update({k: v[:n] if isinstance(v, np.ndarray) and k != "years" else v
                              for k, v in self.__dict__.items()
                              if k not in ("by_year", "last_death")})
        part.__dict__["by_year"] = {k: v[:, :n] for k, v in self.by_year.items()}
        part.__dict__["last_death"] = self.last_death[:n]
        part.__dict__["_rollovers"] = dict(self._rollovers)
        return part

    # What every year reads, figured once for the draw.

    @cached_property
    def by_year(self) -> dict[str, np.ndarray]:
        """The per-path facts a year reads, year-major (T, P) so that a year's row is
        contiguous: the same values as the (P, T) fields (``going``: ``anyone`` as 1.0/0.0)."""
        rows = dict(filing_status=self.filing_status, on_medicare=self.on_medicare,
                    age_head=self.age_head, age_spouse=self.age_spouse, wages=self.wages,
                    pension_fixed=self.pension_fixed, pension_indexed=self.pension_indexed,
                    social_security=self.social_security, widowed=self.widowed_years,
                    going=self.anyone.astype(float))
        out = {k: np.ascontiguousarray(np.asarray(v).T) for k, v in rows.items()}
        for v in out.values():
            v.flags.writeable = False  # each year's row is handed out as it is
        return out

    @cached_property
    def last_death(self) -> np.ndarray:
        """(P,) the index of the year of each path's last death (T: alive past the last
        year)."""
        return self.death.max(axis=1)

    @cached_property
    def _ends(self) -> tuple[np.ndarray, np.ndarray]:
        """The paths grouped by the year of their last death: where each year's group starts
        in the order (T + 1,), and the paths in that order (ascending within a year)."""
        T = len(self.years)
        order = np.argsort(self.last_death, kind="stable")
        starts = np.searchsorted(self.last_death[order], np.arange(T + 1), side="left")
        return starts, order

    def living_lookup(self, law: Law, t: int) -> Lookup:
        """The law of year ``t`` gathered for the filing statuses of the paths on which
        someone lives then (all paths where no one does: the simulator's batch of that year),
        made once for the draw — the strategies run on the same draw share it, and with it
        every value the tax engine gathers for those paths."""
        kept = self._lookups.get(t)
        if kept is None or kept[0] is not law:
            going = self.by_year["going"][t]
            fs = self.by_year["filing_status"][t]
            idx = np.nonzero(going > 0)[0]
            fs = fs[idx] if idx.size else fs[:1]
            kept = self._lookups[t] = (law, Lookup(law, np.full(fs.shape[0], self.years[t]), fs))
        return kept[1]

    def rollovers(self, tl: Timeline, t: int) -> list[tuple[np.ndarray, int, np.ndarray]]:
        """The rollovers at the start of year ``t``: for each of the couple who died the year
        before on some paths, the pools that roll over, the pool that receives them and those
        paths (ascending); none where the deceased has no pool to roll or the survivor none to
        receive it."""
        kept = self._rollovers.get(id(tl))
        if kept is None or kept[0] is not tl:
            kept = self._rollovers[id(tl)] = (tl, _rollovers_by_year(tl, self))
        got = kept[1]
        return got[t] if 0 <= t < len(got) else []


def _rollovers_by_year(tl: Timeline, lives: PathLives) -> list[list]:
    """:meth:`PathLives.rollovers` of every year of ``tl``."""
    T = len(lives.years)
    out: list[list] = [[] for _ in range(T)]
    for d in range(tl.people):
        src, into = rollover_pools(tl, d, 1 - d)
        if into < 0:
            continue
        mine = np.flatnonzero((lives.deceased == d) & (lives.rollover_year < T))
        years = lives.rollover_year[mine]
        for t in np.unique(years):
            out[int(t)].append((src, into, mine[years == t]))
    return out


def path_lives(hh: Household, tl: Timeline, law: Law, death: np.ndarray) -> PathLives:
    """The per-path facts of ``death`` (P, I) year indices on the everyone-alive timeline
    ``tl`` of ``hh``."""
    P, n, T = death.shape[0], tl.people, tl.T
    t = np.arange(T)
    alive = t[None, None, :] <= death[:, :, None]  # (P, I, T)
    anyone = np.any(alive, axis=1)
    if n == 2:
        first = death.min(axis=1)
        # A survivor where one outlives the other within the years (a tie leaves none).
        has = (death[:, 0] != death[:, 1]) & (first < T)
        survivor = np.where(has, np.argmax(death, axis=1), -1)
        deceased = np.where(has, 1 - np.argmax(death, axis=1), -1)
        joint = t[None, :] <= first[:, None]
        fs = np.where(joint, MARRIED_JOINT, SINGLE)
        widowed = has[:, None] & ~joint & anyone
        share = np.where(joint & anyone, 1.0, np.where(widowed, hh.spending.survivor_fraction, 0.0))
        rollover = np.where(has, first + 1, T)
    else:
        fs = np.full((P, T), SINGLE)
        share = anyone.astype(float)
        survivor = deceased = np.full(P, -1)
        rollover = np.full(P, T)
        widowed = np.zeros((P, T), bool)
    wages = (tl.wages[None] * alive).sum(axis=1)
    # Each person's age at the end of each year as Social Security counts it (months counted).
    births = [p.birth_date for p in hh.people]
    exact = benefit_age_end(births, tl.years)
    ss, pen_fixed, pen_indexed = _benefits(
        hh, tl, law, alive, widowed, (deceased, survivor, first if n == 2 else np.full(P, T)),
        exact)
    # (I, T) each person's age on the tax return (:func:`~dist401k.dates.return_age`)
    ages = return_age(np.asarray(births, "datetime64[D]")[:, None],
                      tl.years[None, :]).astype(float)
    if n == 2:
        head = np.where(widowed, ages[np.maximum(survivor, 0)], ages[0][None, :])
        spouse = np.where(widowed, 0.0, ages[1][None, :])
    else:
        head, spouse = np.broadcast_to(ages[0], (P, T)), np.zeros((P, T))
    covered = 1.0 - part_b_months_before(law, hh.people, tl.years) / 12.0
    on_med = (covered[None] * alive).sum(axis=1)
    return PathLives(death, alive, anyone, fs, share, wages, pen_fixed, pen_indexed, ss,
                     head, spouse, on_med, rollover, deceased, survivor, widowed, tl.years)


def _benefits(hh: Household, tl: Timeline, law: Law, alive, widowed, deaths: tuple, exact):
    """Social Security and pensions of each path: each person's own while alive, and a spouse's
    benefit on the other's record while both live; the survivor each month the larger of their
    own and the widow's or widower's benefit (:func:`survivor_benefits_paid`) and the pension's survivor
    share from the year after the death (not before the year the deceased would have reached
    the pension's start age), indexed as the deceased's pension is.  ``deaths``: on
    each path the first to die, the survivor and the year of the death (T: none); ``exact``:
    (I, T) each person's age at the end of each year as Social Security counts it
    (:func:`~dist401k.planner.timeline.benefit_age_end`)."""
    deceased, survivor, deceased_year = deaths
    P, n, T = alive.shape
    # A spouse's benefit on the other's record is paid only while the other lives.
    ss = (tl.social_security - tl.spousal_benefit)[None] * alive  # (P, I, T)
    if n == 2:
        ss += tl.spousal_benefit[None] * alive * alive[:, ::-1]
    pension = tl.pension[None] * alive
    if n == 2:
        claim = claim_ages(hh, law)
        births = [p.birth_date.year for p in hh.people]
        ssa_births = [ssa_birth_year(p.birth_date) for p in hh.people]
        first = np.minimum(deceased_year, T - 1)  # the year of the first death, on each path
        for i in range(n):
            mine = widowed & (survivor == i)[:, None]
            if not mine.any():
                continue
            o = 1 - i
            # The start that pays more over the survivor's expected years (the case's life
            # expectancy, not the path's own death: the survivor chooses not knowing it).
            expected = (tl.years[None, :] > tl.years[first][:, None]) & (
                tl.years[None, :] <= births[i] + hh.people[i].life_expectancy)
            # The survivor's work withholds the benefits after the death too (earnings test).
            me = hh.people[i]
            work = survivor_work(law, hh.start_year, me.birth_date, (me.retirement_age, me.wages),
                                 exact[i], mine.any(axis=0))
            own = ss[:, i] if work is None else own_benefit(
                law, hh.start_year, ssa_births[i], me.social_security.monthly_at_full_age,
                (claim[i], float(tl.benefit_claim_age[i])), exact[i])[None, :] * alive[:, i]
            paid = survivor_benefits_paid(
                law, hh.start_year, (ssa_births[o],
                                     hh.people[o].social_security.monthly_at_full_age,
                                     claim[o], exact[o][first][:, None]),
                (ssa_births[i], exact[i][first][:, None], exact[i][None, :]),
                (own, np.clip(exact[i] - claim[i], 0, 1)[None, :]), expected,
                paid_claim_age=float(tl.benefit_claim_age[o]), work=work)
            ss[:, i] = np.where(mine, paid, ss[:, i])
            # The survivor's share of the deceased's pension stays in the deceased's row: it
            # is indexed as that pension is, and starts no earlier than the year the deceased
            # would have reached its start age (timeline.survivor_pensions, IRC §417(c)(1)).
            pension[:, o] = pension[:, o] + np.where(mine, tl.pension_survivor[o][None, :], 0.0)
    indexed = np.asarray(tl.pension_indexed, bool)[None, :, None]
    return (ss.sum(axis=1), np.where(indexed, 0.0, pension).sum(axis=1),
            np.where(indexed, pension, 0.0).sum(axis=1))


def rollover_pools(tl: Timeline, owner_died: int, heir: int) -> tuple[np.ndarray, int]:
    """The pools of ``owner_died`` that roll over at the death and the pool that receives them
    (``heir``'s IRAs, IRC §402(c)(9), §408(d)(3)); inherited accounts of others stay apart."""
    spousal = tl.pool_spousal
    src = np.nonzero((tl.pool_owner == owner_died) & spousal)[0]
    into = np.nonzero((tl.pool_owner == heir) & ~tl.pool_plan & spousal)[0]
    return src, int(into[0]) if into.size else -1


def roll_over(tl: Timeline, lives: PathLives, t: int, pre: np.ndarray, basis: np.ndarray) -> None:
    """At the start of the year after the first death, on the paths where it happens, the
    deceased's pre-tax money and its basis move into the survivor's IRA (``pre``, ``basis``:
    (K, P), changed in place)."""
    for src, into, paths in lives.rollovers(tl, t):
        cells = (src[:, None], paths)  # the rolled pools on those paths alone
        for a in (pre, basis):
            a[into, paths] += a[cells].sum(axis=0)
            a[cells] = 0.0
