"""The year-by-year drawdown of a household under a strategy, over many market paths at once.

Every year, for every path (an array over paths, never a loop per path): RMDs from each
person's pre-tax money (IRC §401(a)(9)), the strategy's Roth conversion (§408A(d)(3)), the
withdrawals that meet the after-tax spending need, the federal income tax of that year's law
(``dist401k.tax.federal_tax``: §86 Social Security, §1 brackets, QDCG stacking, AMT, NIIT, the
§72(t) additional tax), and the Medicare IRMAA surcharge set by the MAGI of two years before.
Withdrawals happen at the start of the year; the rest grows with the year's returns.  Taxes are
exact: the withdrawals that pay the tax are found by a fixed-point iteration on the tax.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dist401k.law.loader import Law
from dist401k.planner.household import Household
from dist401k.planner.medicare import irmaa_surcharge
from dist401k.planner.timeline import Timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

ITERATIONS = 10  # fixed-point passes of withdrawal ↔ tax; the error shrinks by the marginal rate


@dataclass
class Policy:
    """How a strategy draws money.

    ``kind``: ``order`` (cash, taxable, pre-tax, Roth), ``systematic`` (a share of invested
    money each year, spread over the accounts), ``fill`` (Roth conversions up to the top of a
    bracket each year, then ``order``), ``schedule`` (given conversions and pre-tax withdrawals
    a year — the optimiser's plan — then ``order``).
    """

    kind: str = "order"
    fill_rate: float = 0.22
    systematic_rate: float = 0.04
    conversions: np.ndarray | None = None  # (I, T) nominal dollars, schedule
    pretax_withdrawals: np.ndarray | None = None  # (I, T) nominal dollars, schedule
    other_withdrawals: np.ndarray | None = None  # (3, T) cash, taxable, Roth; schedule
    max_conversion: float | None = None  # today's dollars
    label: str = ""


@dataclass
class Result:
    """Year-by-year arrays shaped (paths, years) — per person (paths, people, years)."""

    years: np.ndarray
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    estate: np.ndarray | None = None  # after-tax estate at the end, nominal
    estate_real: np.ndarray | None = None  # in start-year dollars
    price_end: np.ndarray | None = None

    def __getitem__(self, k: str) -> np.ndarray:
        return self.cols[k]


def _draw(amount, pools):
    """Take ``amount`` from ``pools`` in order; returns the takes and what is left unmet."""
    takes = []
    left = amount
    for pool in pools:
        t = np.minimum(np.maximum(left, 0.0), pool)
        takes.append(t)
        left = left - t
    return takes, np.maximum(left, 0.0)


def simulate(hh: Household, tl: Timeline, law: Law, returns: dict[str, np.ndarray],
             policy: Policy, spending_real) -> Result:
    """Run ``policy`` over every path of ``returns`` (fractions shaped (paths, years)).

    ``spending_real`` (scalar or per path): the yearly after-tax need in start-year dollars
    (the survivor's share after the first death).  Returns a :class:`Result`.
    """
    P = returns["stocks"].shape[0]
    T, n = tl.T, tl.people
    share = hh.market.stock_share
    r = share * returns["stocks"] + (1 - share) * returns["bonds"]
    bills = returns["bills"]
    infl = returns["inflation"]
    price = np.concatenate([np.ones((P, 1)), np.cumprod(1 + infl, axis=1)], axis=1)
    dy = hh.taxable.dividend_yield
    spend_real = np.broadcast_to(np.asarray(spending_real, float), (P,)).copy()

    K = tl.pools
    pre = np.repeat(tl.pool_balance[:, None], P, axis=1)  # (K, P): plan and IRAs of each person
    pre_basis = np.repeat(tl.pool_basis[:, None], P, axis=1)
    roth = np.full(P, float(sum(p.accounts.roth for p in hh.people)) + tl.roth_inherited)
    roth_basis = np.full(P, float(sum(
        p.accounts.roth if p.accounts.roth_contributions is None else p.accounts.roth_contributions
        for p in hh.people)))
    tax_bal = np.full(P, float(hh.taxable.balance))
    tax_basis = np.full(P, float(hh.taxable.basis))
    cash = np.full(P, float(hh.cash))
    # The IRMAA look-back (42 U.S.C. §1395r(i)(4)): the MAGI of the law's number of years
    # before each year, the case's history first.
    lookback = int(law.get("medicare.lookback_years", tl.years[0]))
    magi_prev = [np.full(P, float(m)) for m in hh.magi_history[-lookback:]]
    fill_top = None
    can_convert = tl.pool_converts.astype(float)
    if policy.kind == "fill":
        fill_top = _bracket_top(law, tl, policy.fill_rate)

    names = ("wages", "pension", "social_security", "rmd", "pretax_withdrawal", "conversion",
             "roth_withdrawal", "taxable_withdrawal", "cash_withdrawal", "deposit", "dividends",
             "interest", "realized_gains", "agi", "taxable_income", "income_tax",
             "additional_tax_72t", "irmaa", "spending", "need", "shortfall", "pretax_balance",
             "roth_balance", "taxable_balance", "cash_balance", "marginal_bracket", "qcd",
             "charity")
    cols = {k: np.zeros((P, T)) for k in names}
    for t in range(T):
        year = int(tl.years[t])
        pr = price[:, t]
        if tl.death_year is not None and year == tl.death_year + 1:
            for k in np.nonzero(tl.pool_heir >= 0)[0]:  # the survivor rolls the money over
                h = tl.pool_heir[k]
                pre[h] += pre[k]
                pre_basis[h] += pre_basis[k]
                pre[k] = 0.0
                pre_basis[k] = 0.0
        for k, v in (("pretax_balance", pre.sum(0)), ("roth_balance", roth),
                     ("taxable_balance", tax_bal), ("cash_balance", cash)):
            cols[k][:, t] = v
        wages = tl.wages[:, t].sum() * pr
        pension = sum(tl.pension[i, t] * (pr if tl.pension_indexed[i] else 1.0)
                      for i in range(n))
        ss = tl.social_security[:, t].sum() * pr
        rmd = np.minimum(pre / tl.rmd_divisor[:, t][:, None], pre)  # (K, P), never over it
        lock = tl.sepp_years[:, t][:, None]  # a 72(t) series: its payment and nothing else
        rmd = np.where(lock, np.minimum(np.maximum(rmd, tl.sepp_payment[:, t][:, None]), pre), rmd)
        gift = tl.gift[t] * pr
        qcd = qcd_take(tl, law, t, pre, gift)
        rmd_cash = np.maximum(rmd - qcd, 0.0)  # a QCD counts toward the RMD (Pub. 590-B)
        gift_rest = gift - qcd.sum(0)  # paid from after-tax money
        after_rmd = np.where(lock, 0.0, pre - rmd_cash - qcd)
        fs = int(tl.filing_status[t])
        survivor_share = hh.spending.survivor_fraction if (
            tl.death_year is not None and year > tl.death_year) else 1.0
        need = spend_real * survivor_share * pr
        dividends = dy * tax_bal
        interest = bills[:, t].clip(min=0) * cash
        on_med = int(tl.on_medicare[t])
        if hh.strategy.medicare and on_med and len(magi_prev) >= lookback:
            irmaa = irmaa_surcharge(law, year, fs, magi_prev[-lookback], on_med)
            irmaa = irmaa * pr / _law_price(law, tl.years[0], year)
        else:
            irmaa = np.zeros(P)

        conv = np.zeros((K, P))
        sched_w = np.zeros((K, P))
        if policy.kind == "schedule":
            conv = np.minimum(np.asarray(policy.conversions)[:, t][:, None], after_rmd)
            sched_w = np.minimum(np.asarray(policy.pretax_withdrawals)[:, t][:, None] - rmd_cash,
                                 after_rmd - conv).clip(min=0)
        cap = np.inf if policy.max_conversion is None else policy.max_conversion * pr

        early_w = np.asarray(tl.early_tax[:, t], bool)
        tax = np.zeros(P)
        extra = [np.zeros(P)] * 4
        extra_pre = np.zeros((K, P))
        systematic = None
        if policy.kind == "systematic":
            invested = pre.sum(0) + roth + tax_bal + cash
            target = policy.systematic_rate * invested
            # Proportional to the balances, never below the RMDs.
            w = target / np.maximum(invested, 1e-9)
            extra_pre = np.maximum(pre * w[None, :] - rmd_cash - qcd, 0.0)
            systematic = [cash * w, tax_bal * w, roth * w]
        for _ in range(ITERATIONS):
            pre_out = rmd_cash + sched_w + extra_pre
            taxable_frac = np.where(pre > 0, 1 - pre_basis / np.maximum(pre, 1e-9), 1.0)
            taxable_pre = (pre_out * taxable_frac).sum(0)
            early_amt = (pre_out * taxable_frac * early_w[:, None]).sum(0)
            sale = extra[1] if systematic is None else systematic[1]
            gain_frac = np.where(tax_bal > 0, 1 - tax_basis / np.maximum(tax_bal, 1e-9), 0.0)
            gains = sale * gain_frac
            units = household_return(
                np.full(P, year), np.full(P, fs), np.full(P, tl.age_head[t]),
                np.full(P, tl.age_spouse[t]), wages=wages, interest=interest,
                dividends=dividends, gains=gains,
                distributions=taxable_pre + conv.sum(0) + pension, early=early_amt, ss=ss)
            out = federal_tax(units, law)
            tax = out["income_tax"]
            if policy.kind == "fill":
                room = fill_top[t] - out["taxable_income"]
                head = np.clip(conv.sum(0) + 0.7 * room, 0, cap)
                room_i = after_rmd * can_convert[:, None]
                conv = room_i * _share(np.minimum(head, room_i.sum(0)), room_i.sum(0))
            if systematic is not None:
                continue
            inflow = wages + pension + ss + (rmd_cash + sched_w).sum(0)
            gap = need + gift_rest + tax + irmaa - inflow
            pre_left = (after_rmd - conv - sched_w).clip(min=0)
            roth_avail = np.where(tl.roth_free[t], roth, np.minimum(roth, roth_basis))
            if policy.other_withdrawals is not None:
                # The optimiser's own withdrawals first; any gap left by the exact tax is
                # met in the usual order.
                plan = np.asarray(policy.other_withdrawals)[:, t]
                first = [np.minimum(plan[0], cash), np.minimum(plan[1], tax_bal), np.zeros(P),
                         np.minimum(plan[2], roth_avail)]
                pools = [cash - first[0], tax_bal - first[1], pre_left.sum(0),
                         roth_avail - first[3]]
                takes, _ = _draw(gap - sum(first), pools)
                takes = [a + b for a, b in zip(first, takes, strict=True)]
            else:
                takes, _ = _draw(gap, [cash, tax_bal, pre_left.sum(0), roth_avail])
            extra = takes
            extra_pre = pre_left * _share(takes[2], pre_left.sum(0))
        pre_out = rmd_cash + sched_w + extra_pre
        if systematic is not None:
            c_w, t_w, r_w = systematic
            got = wages + pension + ss + pre_out.sum(0) + c_w + t_w + r_w - tax - irmaa
            gift_paid = np.minimum(got.clip(min=0), gift_rest)
            spent = (got - gift_paid).clip(min=0)
            deposit = np.zeros(P)
        else:
            c_w, t_w, r_w = extra[0], extra[1], extra[3]
            got = wages + pension + ss + pre_out.sum(0) + c_w + t_w + r_w - tax - irmaa
            gift_paid = np.minimum(got.clip(min=0), gift_rest)
            spent = np.minimum(got - gift_paid, need).clip(min=0)
            deposit = (got - gift_paid - need).clip(min=0)
        gain_frac = np.where(tax_bal > 0, 1 - tax_basis / np.maximum(tax_bal, 1e-9), 0.0)
        basis_out = t_w * (1 - gain_frac)
        frac = np.where(pre > 0, pre_basis / np.maximum(pre, 1e-9), 0.0)
        # Every take is at most what its account holds; the floor only wipes out the
        # rounding of a take that empties an account (a few cents' billionths).
        pre = _left(pre, pre_out + conv + qcd)
        # A QCD comes out of the taxable money first (§408(d)(8)(D)): the basis stays.
        pre_basis = _left(pre_basis, (pre_out + conv) * frac)
        pre_basis = np.where(qcd > 0, np.minimum(pre_basis, pre), pre_basis)
        roth_basis = _left(roth_basis, r_w) + conv.sum(0)
        roth = _left(roth, r_w) + conv.sum(0)
        tax_bal = _left(tax_bal, t_w) + deposit
        tax_basis = _left(tax_basis, basis_out) + deposit + dividends
        cash = _left(cash, c_w)
        g = 1 + r[:, t]
        pre = pre * g[None, :]
        roth = roth * g
        tax_bal = tax_bal * g  # dividends reinvested: part of the return
        cash = cash * (1 + bills[:, t])
        magi = out["agi"]
        magi_prev.append(magi)
        vals = dict(wages=wages, pension=pension, social_security=ss, rmd=rmd.sum(0),
                    pretax_withdrawal=pre_out.sum(0), conversion=conv.sum(0),
                    roth_withdrawal=r_w, taxable_withdrawal=t_w, cash_withdrawal=c_w,
                    deposit=deposit, dividends=dividends, interest=interest,
                    realized_gains=gains, agi=out["agi"],
                    taxable_income=out["taxable_income"], income_tax=tax,
                    additional_tax_72t=out["additional_tax_72t"], irmaa=irmaa, spending=spent,
                    need=need, shortfall=(need - spent).clip(min=0) + gift_rest - gift_paid,
                    qcd=qcd.sum(0), charity=qcd.sum(0) + gift_paid)
        for k, v in vals.items():
            cols[k][:, t] = np.broadcast_to(v, (P,))
        cols["marginal_bracket"][:, t] = _bracket_rate(
            law, year, fs, (out["taxable_income"] - gains - dividends).clip(min=0))
    pr_end = price[:, T]
    heirs = hh.strategy.heirs_rate
    frac = np.where(pre > 0, pre_basis / np.maximum(pre, 1e-9), 0.0)
    estate = tax_bal + cash + roth + ((pre * (1 - frac)) * (1 - heirs) + pre * frac).sum(0)
    res = Result(tl.years, cols, estate, estate / pr_end, pr_end)
    return res


def qcd_take(tl: Timeline, law: Law, t: int, pre, gift) -> np.ndarray:
    """(K, P): the qualified charitable distributions of year ``t`` that pay ``gift`` — from
    the pools that may pay one (:func:`~dist401k.planner.timeline.qcd_pools`), at most the
    year's limit a person (IRC §408(d)(8)(A)), spread over persons and pools by what each may
    give."""
    ok = tl.qcd_ok[:, t][:, None] if tl.qcd_ok is not None else False
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


def household_return(years, filing_status, age_head, age_spouse, *, wages, interest,
                     dividends, gains, distributions, early, ss) -> TaxUnits:
    """The household's federal return for the tax engine (one row a year or a path): dividends
    qualified, gains long-term, the standard deduction (no itemizing, no blindness)."""
    n = np.shape(years)[0]

    def col(v):
        return np.broadcast_to(np.asarray(v, float), (n,))

    no = np.zeros(n, bool)
    zero = np.zeros(n)
    return TaxUnits(
        tax_year=np.asarray(years), filing_status=np.asarray(filing_status, np.int8),
        age_head=col(age_head), age_spouse=col(age_spouse), blind_head=no, blind_spouse=no,
        lived_apart=no, wages=col(wages), taxable_interest=col(interest),
        tax_exempt_interest=zero, ordinary_dividends=col(dividends),
        qualified_dividends=col(dividends), long_term_gains=col(gains),
        taxable_distributions=col(distributions), early_distributions=col(early),
        social_security=col(ss), other_income=zero, itemized_deductions=zero)


def _law_price(law: Law, start: int, year: int) -> float:
    """Growth of the law's projected amounts from the start year (its assumed CPI) — the
    IRMAA amounts are read in the law's dollars and restated in the path's."""
    return 1.0 if year <= law.enacted_through else (1 + law.inflation) ** (
        year - max(start, law.enacted_through))


def _bracket_top(law: Law, tl: Timeline, rate: float) -> np.ndarray:
    """Top of the ordinary bracket taxed at ``rate`` for each year's filing status."""
    rates = law.get("income_tax.rates", tl.years)  # (T, 7)
    thr = law.get("income_tax.brackets", tl.years, tl.filing_status)  # (T, 6)
    k = np.argmin(np.abs(rates - rate), axis=-1)
    k = np.minimum(k, thr.shape[-1] - 1)
    return thr[np.arange(tl.T), k]


def _bracket_rate(law: Law, year: int, fs: int, taxable_income) -> np.ndarray:
    """The ordinary rate at the top of ``taxable_income``."""
    rates = law.get("income_tax.rates", year)
    thr = law.get("income_tax.brackets", year, fs)
    k = np.searchsorted(thr, np.asarray(taxable_income), side="left")
    return rates[np.minimum(k, len(rates) - 1)]
