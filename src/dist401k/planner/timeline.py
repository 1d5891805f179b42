"""The year-by-year facts of a drawdown case that do not depend on the choices or the markets.

Ages, who is alive, the filing status, wages, pensions and Social Security in start-year
dollars, the RMD divisor of each person's pre-tax money (IRC §401(a)(9); Treas. Reg.
§1.401(a)(9)-5, -9), whether a withdrawal owes the §72(t) additional tax, and the law's
numbers of each year (brackets, deductions, thresholds) for the optimiser.  The simulator
and the linear programme both read this one timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.case import SEPP_TABLES
from dist401k.dates import year_of
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.law.loader import Law, step_lookup
from dist401k.planner.household import Household
from dist401k.planner.inherited import inherited_divisors
from dist401k.planner.social_security_benefit import claiming_factor, full_retirement_age
from dist401k.routes.rmd import rmd_divisor
from dist401k.sepp import sepp_schedule


@dataclass
class Timeline:
    years: np.ndarray  # (T,)
    age: np.ndarray  # (I, T) age attained by December 31
    alive: np.ndarray  # (I, T) alive all of the year (death at the end of the last year)
    filing_status: np.ndarray  # (T,)
    survivor: int | None  # index of the survivor of a couple, None for one person
    death_year: int | None  # the year the first of a couple dies
    wages: np.ndarray  # (I, T) start-year dollars
    pension: np.ndarray  # (I, T) nominal-if-not-indexed handled by pension_indexed
    pension_indexed: np.ndarray  # (I,)
    social_security: np.ndarray  # (I, T) start-year dollars, survivor benefit included
    # Pre-tax money by pool: each person's plan account and IRAs (IRAs are aggregated for RMDs,
    # Treas. Reg. §1.408-8(e); a plan's RMD is its own, §1.401(a)(9)-5).
    pool_owner: np.ndarray  # (K,) person index
    pool_plan: np.ndarray  # (K,) True: the plan account; False: IRAs
    pool_balance: np.ndarray  # (K,)
    pool_basis: np.ndarray  # (K,)
    pool_converts: np.ndarray  # (K,) the owner may convert
    pool_heir: np.ndarray  # (K,) pool that receives it at the owner's death (-1: none)
    pool_dead: np.ndarray  # (K, T) the owner has died (the pool is empty)
    rmd_required: np.ndarray  # (K, T)
    rmd_divisor: np.ndarray  # (K, T) (inf where none is required)
    early_tax: np.ndarray  # (K, T) True where a withdrawal owes the 10% (§72(t))
    roth_free: np.ndarray  # (T,) Roth earnings come out tax-free (qualified distribution)
    on_medicare: np.ndarray  # (T,) number of people on Medicare
    age_head: np.ndarray  # (T,) for the tax return
    age_spouse: np.ndarray  # (T,)
    roth_inherited: float = 0.0  # inherited Roth money a spouse treats as their own
    sepp_payment: np.ndarray | None = None  # (K, T) a 72(t) series' fixed payments
    sepp_years: np.ndarray | None = None  # (K, T) the series runs: nothing else leaves the pool
    gift: np.ndarray | None = None  # (T,) charitable gift, start-year dollars
    qcd_ok: np.ndarray | None = None  # (K, T) the pool may pay a qualified charitable distribution
    qcd_limit: np.ndarray | None = None  # (T,) the law's QCD limit a person, nominal

    @property
    def T(self) -> int:
        return int(self.years.shape[0])

    @property
    def people(self) -> int:
        return int(self.age.shape[0])

    @property
    def pools(self) -> int:
        return int(self.pool_owner.shape[0])


def build_timeline(hh: Household, law: Law) -> Timeline:
    """The timeline of a household from its start year to the last year anyone lives."""
    end = max(p.birth_date.year + p.life_expectancy for p in hh.people)
    years = np.arange(hh.start_year, end + 1)
    T, n = len(years), len(hh.people)
    by = np.array([p.birth_date.year for p in hh.people])
    bm = np.array([p.birth_date.month for p in hh.people])
    last = by + np.array([p.life_expectancy for p in hh.people])
    age = years[None, :] - by[:, None]
    alive = years[None, :] <= last[:, None]
    exact_age_end = age + (12 - bm[:, None]) / 12.0  # age in years at December 31
    death_year = survivor = None
    fs = np.full(T, SINGLE)
    if n == 2:
        first = int(np.argmin(last))
        survivor = 1 - first
        death_year = int(last[first]) if last[0] != last[1] else None
        if death_year is None:
            survivor = None
        both = alive.all(axis=0)
        fs = np.where(both, MARRIED_JOINT, SINGLE)
        if death_year is not None:
            # The year of death still allows a joint return (§6013(a)(2)).
            fs = np.where(years <= death_year, MARRIED_JOINT, SINGLE)

    # Claimed at full retirement age unless the case says otherwise (§416(l)).
    claim_ages = [float(full_retirement_age(law, hh.start_year, by[i]))
                  if p.social_security.claim_age is None else p.social_security.claim_age
                  for i, p in enumerate(hh.people)]
    wages = np.zeros((n, T))
    pension = np.zeros((n, T))
    ss = np.zeros((n, T))
    for i, p in enumerate(hh.people):
        if p.retirement_age is not None:
            # The share of the year still worked.
            share = np.clip(p.retirement_age - (exact_age_end[i] - 1.0), 0, 1)
            wages[i] = p.wages * share * alive[i]
        started = np.clip(exact_age_end[i] - p.pension.start_age, 0, 1)
        pension[i] = 12 * p.pension.monthly * started * alive[i]
        claim = claim_ages[i]
        factor = claiming_factor(law, hh.start_year, by[i], claim)
        claimed = np.clip(exact_age_end[i] - claim, 0, 1)
        ss[i] = 12 * p.social_security.monthly_at_full_age * factor * claimed * alive[i]
    if survivor is not None:
        d = 1 - survivor
        after = years > death_year
        # The survivor keeps the larger benefit (42 U.S.C. §402(e), (f)) and the pension's
        # survivor share.
        full = 12 * hh.people[d].social_security.monthly_at_full_age * claiming_factor(
            law, hh.start_year, by[d], claim_ages[d])
        ss[survivor] = np.where(after, np.maximum(ss[survivor], np.where(
            ss[d].max() > 0, full, 0.0)), ss[survivor])
        pension[survivor] = pension[survivor] + np.where(
            after, 12 * hh.people[d].pension.monthly * hh.people[d].pension.survivor_fraction,
            0.0)
        wages[d] = np.where(after, 0.0, wages[d])

    age_app = step_lookup(law, "rmd.applicable_age", hh.start_year, by * 100 + bm)
    first_rmd_year = (by * 12 + (bm - 1) + np.round(age_app * 12).astype(int)) // 12
    required = (years[None, :] >= first_rmd_year[:, None]) & alive
    divisor = np.full((n, T), np.inf)
    for i in range(n):
        other = 1 - i if n == 2 else None
        spouse_age = (years - by[other]).astype(float) if other is not None else None
        sole = np.broadcast_to(other is not None, (T,))
        if other is not None:
            sole = alive[other]
        d, _ = rmd_divisor(law, years, age[i], spouse_age, sole)
        divisor[i] = np.where(required[i], d, np.inf)

    early_age = law.get("early_distributions.age", years)
    sep_age = law.get("early_distributions.separation_age", years)
    early = exact_age_end < early_age[None, :]
    plan_early = early.copy()
    for i, p in enumerate(hh.people):
        # Separation in or after the year of 55 frees the plan's money, not IRAs' (§72(t)(2)(A)(v)).
        if p.separated_at_55:
            plan_early[i] &= exact_age_end[i] < sep_age
        # A governmental 457(b) is outside the 10% tax altogether (§72(t)(9)).
        if p.accounts.governmental_457b:
            plan_early[i] = False
    oldest = exact_age_end.max(axis=0) if n else exact_age_end[0]
    five = law.get("roth.five_year_period", years)
    # No first Roth year given: the Roth money is taken as seasoned from the start.
    seasoned_from = hh.start_year - int(law.scalar("roth.five_year_period", hh.start_year))
    first_roth = min([p.accounts.roth_first_year or seasoned_from for p in hh.people])
    roth_free = (oldest >= early_age) & (years - first_roth >= five)
    med_age = law.get("medicare.eligibility_age", years)
    on_medicare = ((exact_age_end >= med_age[None, :]) & alive).sum(axis=0)
    head = age[0].astype(float)
    spouse = age[1].astype(float) if n == 2 else np.zeros(T)
    if survivor is not None:
        after = years > death_year
        head = np.where(after, age[survivor], head)
        spouse = np.where(after, 0.0, spouse)
    owner = np.repeat(np.arange(n), 2)
    is_plan = np.tile([True, False], n)
    bal = np.array([[p.accounts.pretax, p.accounts.ira] for p in hh.people], float).ravel()
    basis = np.array([[p.accounts.pretax_basis, p.accounts.ira_basis] for p in hh.people],
                     float).ravel()
    converts = np.array([hh.people[i].converts for i in owner])
    heir = np.full(2 * n, -1)
    dead = np.zeros((2 * n, T), bool)
    if survivor is not None:
        d = 1 - survivor
        # The surviving spouse rolls the money into an IRA of their own (§402(c)(9), §408(d)(3)).
        heir[owner == d] = 2 * survivor + 1
        dead[owner == d] = years > death_year
    early_k = np.where(is_plan[:, None], plan_early[owner], early[owner]) & alive[owner]
    req_k, div_k = required[owner], divisor[owner]
    roth_inherited = 0.0
    for a in hh.inherited:
        heir_p = hh.people[a.heir]
        if a.beneficiary.relationship == "spouse" and a.beneficiary.spouse_election == "own":
            # Treated as the spouse's own IRA: the spouse's own RMDs and 10% tax apply.
            k = 2 * a.heir + 1
            (roth_inherited, bal) = (roth_inherited + a.balance, bal) if a.beneficiary.roth \
                else (roth_inherited, bal + np.eye(1, bal.size, k).ravel() * a.balance)
            continue
        d = inherited_divisors(heir_p.birth_date, a, law, years)
        owner = np.append(owner, a.heir)
        is_plan = np.append(is_plan, a.beneficiary.account == "plan")
        bal = np.append(bal, a.balance)
        # Roth money comes out tax-free (its basis is the whole balance).
        basis = np.append(basis, a.balance if a.beneficiary.roth else 0.0)
        converts = np.append(converts, False)  # a non-spouse beneficiary cannot convert
        heir = np.append(heir, -1)
        dead = np.vstack([dead, ~alive[a.heir]])
        req_k = np.vstack([req_k, np.isfinite(d) & alive[a.heir]])
        div_k = np.vstack([div_k, np.where(alive[a.heir], d, np.inf)])
        early_k = np.vstack([early_k, np.zeros(T, bool)])
    sepp_years = np.zeros((len(bal), T), bool)
    if hh.sepp is not None:
        # The series' account becomes a pool of its own: fixed payments, free of the 10% tax,
        # no conversions or other withdrawals until the series may end (§72(t)(4)).
        sp = hh.sepp
        src = 2 * sp.person + (1 if sp.account == "ira" else 0)
        amount = bal[src] if sp.balance is None else sp.balance
        rate = sp.rate if sp.rate is not None else float(
            law.get("sepp.rate_floor", sp.first_payment.year))
        sched = sepp_schedule(law, hh.people[sp.person].birth_date, sp.first_payment, amount,
                              rate, SEPP_TABLES.index(sp.table))
        pay = sched[f"payment_{sp.method}"][0]
        pay_years = sched["year"][0]
        row_pay = np.zeros(T)
        for yy, pp in zip(pay_years, pay, strict=True):
            if yy >= 0 and years[0] <= yy <= years[-1]:
                row_pay[yy - years[0]] = pp
        # Locked until the year the series may end; that year's money is taken after the day.
        in_series = years < year_of(sched["end"])[0]
        frac = basis[src] / bal[src] if bal[src] > 0 else 0.0
        bal[src] -= amount
        basis_src = basis[src]
        basis[src] = basis_src * (1 - amount / (amount + bal[src])) if amount + bal[src] else 0
        owner = np.append(owner, sp.person)
        is_plan = np.append(is_plan, sp.account == "plan")
        bal = np.append(bal, amount)
        basis = np.append(basis, amount * frac)
        converts = np.append(converts, converts[src])
        heir = np.append(heir, heir[src])
        dead = np.vstack([dead, dead[src]])
        req_k = np.vstack([req_k, req_k[src]])
        div_k = np.vstack([div_k, div_k[src]])
        early_k = np.vstack([early_k, early_k[src] & ~in_series])
        sepp_years = np.vstack([sepp_years, in_series])
        sepp_payment = np.vstack([np.zeros((len(bal) - 1, T)), row_pay[None, :]])
    else:
        sepp_payment = np.zeros((len(bal), T))
    qcd_ok = qcd_pools(hh, law, years, owner, is_plan, bal, basis, exact_age_end, alive,
                       dead, sepp_years)
    # Only the pools that hold money, or receive it at a death, enter the plan.
    keep = bal > 0
    keep[heir[keep & (heir >= 0)]] = True
    if not keep.any():
        keep[0] = True
    new_index = np.cumsum(keep) - 1
    heir = np.where(heir >= 0, new_index[np.maximum(heir, 0)], -1)
    return Timeline(years, age, alive, fs, survivor, death_year, wages, pension,
                    np.array([p.pension.indexed for p in hh.people]), ss, owner[keep],
                    is_plan[keep], bal[keep], basis[keep], converts[keep], heir[keep],
                    dead[keep], req_k[keep], div_k[keep], early_k[keep],
                    roth_free, on_medicare, head, spouse, roth_inherited, sepp_payment[keep],
                    sepp_years[keep], hh.charity.annual * alive.any(axis=0), qcd_ok[keep],
                    law.get("charity.qcd_limit", years))


def qcd_pools(hh: Household, law: Law, years, owner, is_plan, bal, basis, exact_age_end, alive,
              dead, sepp_years) -> np.ndarray:
    """(K, T): where a pool may pay a qualified charitable distribution (IRC §408(d)(8)(B)): an
    IRA, never a plan account, of an owner alive who reaches 70½ by the year's end (a gift
    after that day), holding money that would be taxed (a Roth pool cannot), not paying a
    72(t) series (a QCD would change it, §72(t)(4)) — and only when the case gives to charity
    and lets QCDs pay it."""
    if not (hh.charity.annual > 0 and hh.charity.qcd):
        return np.zeros((len(bal), len(years)), bool)
    age = law.get("charity.qcd_age", years)
    taxed = ~((bal > 0) & (basis >= bal))[:, None]  # an empty pool may receive a rollover
    return (~is_plan[:, None] & taxed & (exact_age_end[owner] >= age[None, :])
            & alive[owner] & ~dead & ~sepp_years)
