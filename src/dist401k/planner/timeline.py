"""The year-by-year facts of a drawdown case that do not depend on the choices or the markets.

Ages, who is alive, the filing status, wages, pensions and Social Security in start-year
dollars, the RMD divisor of each person's pre-tax money (IRC §401(a)(9); Treas. Reg.
§1.401(a)(9)-5, -9), whether a withdrawal owes the §72(t) additional tax, and the law's
numbers of each year (brackets, deductions, thresholds) for the optimiser.  The simulator
and the linear programme both read this one timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from dist401k.case import SEPP_TABLES
from dist401k.dates import return_age, year_of
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.law.loader import Law, step_lookup
from dist401k.planner.basis_at_death import gain_share_removed, loss_share_kept
from dist401k.planner.earnings_test import (
    benefit_withheld,
    excess_earnings,
    months_at_work,
    months_withheld,
    survivor_work,
)
from dist401k.planner.household import Household
from dist401k.planner.inherited import inherited_divisors
from dist401k.planner.medicare import medicare_years
from dist401k.planner.social_security_benefit import (
    attains_age_on,
    claim_month,
    claiming_factor,
    full_retirement_age,
    own_benefit,
    spousal_excess,
    spousal_factor,
    ssa_birth_year,
    survivor_benefits,
)
from dist401k.routes.beneficiary import single_life
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
    #: (I, T) the pension each person's plan pays — after a death, the survivor's share of the
    #: deceased's pension stays in the deceased's row, so that it keeps that pension's indexing
    #: — nominal unless that person's pension is indexed (pension_indexed: start-year dollars)
    pension: np.ndarray
    pension_indexed: np.ndarray  # (I,)
    social_security: np.ndarray  # (I, T) start-year dollars, spouse's and survivor benefit included
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
    #: (K, T) the divisor once the owner is widowed: the Uniform Lifetime Table's where the
    #: joint table was read (random lifetimes: a path whose spouse died the year before)
    rmd_divisor_alone: np.ndarray
    early_tax: np.ndarray  # (K, T) True where a withdrawal owes the 10% (§72(t))
    #: (K, T) a plan account whose owner still works for its employer, before the year of 59½:
    #: it pays nothing (§401(k)(2)(B)(i), §403(b)(11), §457(d)(1)(A)); a conversion may go on
    pool_in_service: np.ndarray
    roth_free: np.ndarray  # (T,) Roth earnings come out tax-free (qualified distribution)
    roth_own_free: np.ndarray  # (I, T) each person's own Roth money is so
    #: (I, T) each person's converted money comes out free of the 10% tax however recent the
    #: conversion (past 59½, or once they have died)
    roth_conversions_free: np.ndarray
    roth_start: np.ndarray  # (I,) each person's Roth money at the start
    roth_start_basis: np.ndarray  # (I,) and its basis (contributions)
    #: a conversion is Roth basis a take may reach before a qualified distribution from this
    #: many years after its own (§408A(d)(3)(F): none owes the 10% tax then)
    conversion_seasoning: int
    on_medicare: np.ndarray  # (T,) people on Medicare (each by the share of the year covered)
    age_head: np.ndarray  # (T,) for the tax return
    age_spouse: np.ndarray  # (T,)
    roth_inherited: float  # inherited Roth money a spouse treats as their own
    sepp_payment: np.ndarray  # (K, T) a 72(t) series' fixed payments
    sepp_years: np.ndarray  # (K, T) the series runs: nothing else leaves the pool
    gift: np.ndarray  # (T,) charitable gift, start-year dollars
    qcd_ok: np.ndarray  # (K, T) the pool may pay a qualified charitable distribution
    qcd_limit: np.ndarray  # (T,) the law's QCD limit a person, nominal
    pool_spousal: np.ndarray  # (K,) the person's own money a surviving spouse rolls over
    #: (K,) an inherited Roth account: what comes out of it, growth included, is a qualified
    #: distribution, not income (IRC §408A(d)(1), (2)(A)(ii), (B); §402A(d)(1), (2))
    pool_roth: np.ndarray
    pool_source: np.ndarray  # (K,) the pool's place among all pools, empty ones too
    #: (K,) a plan account's share from employer contributions (NaN: not given, or not a plan)
    pool_employer_share: np.ndarray
    #: (I, T) the part of social_security that is a spouse's benefit on the other's record,
    #: as if the other lived (start-year dollars; paid only while both live)
    spousal_benefit: np.ndarray
    #: (T,) the share of the taxable account's unrealized gain a first death in the year
    #: removes (its basis at death, :mod:`~dist401k.planner.basis_at_death`)
    taxable_step_up: np.ndarray
    #: (T,) the share of the capital loss carried over that the survivor keeps after a first
    #: death in the year
    loss_kept_at_death: np.ndarray
    #: (I, T) each person's benefit withheld under the earnings test (start-year dollars;
    #: social_security is net of it): their own, for their work, and a spouse's benefit, for
    #: the worker's, :mod:`~dist401k.planner.earnings_test`
    social_security_withheld: np.ndarray
    #: (I,) the claiming age each person's benefit is figured at from full retirement age: the
    #: claiming age, later by the months the earnings test withheld (§402(q)(7))
    benefit_claim_age: np.ndarray
    #: (I, T) the survivor share of each person's pension that their spouse is paid in a year
    #: after their death (:func:`survivor_pensions`: from the year they would have reached the
    #: pension's start age), nominal unless that pension is indexed (start-year dollars)
    pension_survivor: np.ndarray
    #: (I, T) each person's other income (``other_income``) while they live: indexed items in
    #: start-year dollars, the others nominal (``other_income_fixed``)
    other_income: np.ndarray
    other_income_fixed: np.ndarray

    def other_income_at(self, price) -> np.ndarray:
        """(T,) the household's other income in each year's dollars (``price``: (T,) the price
        level of each year from 1 at the start)."""
        return self.other_income.sum(0) * price + self.other_income_fixed.sum(0)

    @property
    def T(self) -> int:
        return int(self.years.shape[0])

    @property
    def people(self) -> int:
        return int(self.age.shape[0])

    @property
    def pools(self) -> int:
        return int(self.pool_owner.shape[0])


def build_timeline(hh: Household, law: Law, keep_iras: bool = False) -> Timeline:
    """The timeline of a household from its start year to the last year anyone lives.

    ``keep_iras``: keep each person's IRA pool even when empty (with random lifetimes either
    of a couple may be the one who receives the other's money)."""
    lives = _lives(hh)
    years, alive = lives.years, lives.alive
    couple = _couple(lives)
    incomes = _incomes(hh, law, lives, couple)
    early, plan_early = _early_tax(hh, law, lives)
    pools = _own_pools(hh, law, lives, couple, early, plan_early)
    _in_service(hh, law, lives, pools)
    roth_inherited = _inherited_pools(hh, law, lives, pools)
    _spouse_beneficiary(law, lives, couple, pools)
    if hh.sepp is not None:
        _split_sepp_pool(hh, law, years, pools)
    stacked = _stacked(pools)
    qcd_ok = qcd_pools(hh, law, lives, stacked)
    keep = stacked.keep
    if keep_iras:
        keep[1: 2 * len(hh.people): 2] = True
    kept = stacked.kept(keep)
    head, spouse = _return_ages(lives, couple)
    roth_own_free, roth_free = _roth_free(hh, law, lives, couple)
    roth_start, roth_start_basis = _roth_at_start(hh)
    other, other_fixed = other_incomes(hh, lives)
    return Timeline(
        years=years, age=lives.age, alive=alive, filing_status=couple.filing_status,
        survivor=couple.survivor, death_year=couple.death_year, wages=incomes.wages,
        pension=incomes.pension,
        pension_indexed=np.array([p.pension.indexed for p in hh.people]),
        social_security=incomes.social_security, pool_owner=kept.owner, pool_plan=kept.plan,
        pool_balance=kept.balance, pool_basis=kept.basis, pool_converts=kept.converts,
        pool_heir=kept.heir, pool_dead=kept.dead, rmd_required=kept.rmd_required,
        rmd_divisor=kept.rmd_divisor, rmd_divisor_alone=kept.rmd_divisor_alone,
        early_tax=kept.early_tax, pool_in_service=kept.in_service,
        roth_free=roth_free, roth_own_free=roth_own_free,
        roth_conversions_free=_roth_conversions_free(law, lives), roth_start=roth_start,
        roth_start_basis=roth_start_basis,
        conversion_seasoning=int(law.scalar("roth.conversion_recapture_years", hh.start_year)),
        on_medicare=_on_medicare(hh, law, lives),
        age_head=head, age_spouse=spouse, roth_inherited=roth_inherited,
        sepp_payment=kept.sepp_payment, sepp_years=kept.sepp_years,
        gift=hh.charity.annual * np.any(alive, axis=0), qcd_ok=qcd_ok[keep],
        qcd_limit=law.get("charity.qcd_limit", years), pool_spousal=kept.spousal,
        pool_roth=kept.roth,
        pool_source=np.nonzero(keep)[0], pool_employer_share=kept.employer_share,
        spousal_benefit=(incomes.spousal if incomes.spousal is not None
                         else np.zeros_like(incomes.social_security)),
        taxable_step_up=gain_share_removed(hh, law, years),
        loss_kept_at_death=loss_share_kept(hh, law, years),
        social_security_withheld=incomes.withheld, benefit_claim_age=np.array(incomes.benefit_claims),
        pension_survivor=survivor_pensions(hh, lives),
        other_income=other, other_income_fixed=other_fixed)


@dataclass
class Lives:
    """When each person of the household lives, on the timeline's years."""

    years: np.ndarray  # (T,)
    birth_year: np.ndarray  # (I,)
    birth_month: np.ndarray  # (I,)
    #: (I,) the year of birth Social Security's tables are read with (:func:`ssa_birth_year`:
    #: the year before for one born on January 1)
    ssa_birth_year: np.ndarray
    last_year: np.ndarray  # (I,) the last year planned for (death at its end)
    age: np.ndarray  # (I, T) age attained by December 31
    alive: np.ndarray  # (I, T)
    exact_age_end: np.ndarray  # (I, T) age in years (months counted) at December 31
    #: (I, T) the age Social Security counts at December 31 (:func:`benefit_age_end`)
    benefit_age_end: np.ndarray
    #: (I, T) the age for the tax return (:func:`~dist401k.dates.return_age`)
    return_age: np.ndarray

    @property
    def T(self) -> int:
        return int(self.years.shape[0])

    @property
    def people(self) -> int:
        return int(self.age.shape[0])


def _lives(hh: Household) -> Lives:
    """The years from the start year to the last year anyone lives, and each one's ages."""
    end = max(p.birth_date.year + p.life_expectancy for p in hh.people)
    years = np.arange(hh.start_year, end + 1)
    by = np.array([p.birth_date.year for p in hh.people])
    bm = np.array([p.birth_date.month for p in hh.people])
    last = by + np.array([p.life_expectancy for p in hh.people])
    age = years[None, :] - by[:, None]
    births = [p.birth_date for p in hh.people]
    return Lives(years, by, bm, np.array([ssa_birth_year(b) for b in births]), last, age,
                 years[None, :] <= last[:, None],
                 age + (12 - bm[:, None]) / 12.0, benefit_age_end(births, years),
                 return_age(np.asarray(births, "datetime64[D]")[:, None], years[None, :]))


def benefit_age_end(births, years) -> np.ndarray:
    """(I, T) each person's age at the end of each year as Social Security counts it, in years
    with months counted: each month at the age attained in it, an age attained on the day
    before the birthday (20 CFR 404.102) — so one born on a month's first day attains it in
    the month before.  A benefit from an age (at or after full retirement age, and any claim
    later than the earliest month, :func:`claim_ages`) is paid from the month in which it is
    attained (42 U.S.C. §402(a)(A), (B); 20 CFR 404.311(a)): ``clip(this − age, 0, 1)`` is
    the share of a year paid, and the months between two such ages are the months of
    reduction or of delayed credit between them (§402(q), (w))."""
    eve = np.array([(d.year * 12 + d.month - 1) for d in map(attains_age_on, births)])
    return (np.asarray(years)[None, :] * 12 + 12 - eve[:, None]) / 12.0


@dataclass
class Couple:
    """The filing status of each year, and who survives whom."""

    filing_status: np.ndarray  # (T,)
    survivor: int | None  # index of the survivor of a couple, None for one person (or both
    death_year: int | None  # the year the first of a couple dies     dying the same year)

    def after_death(self, years: np.ndarray) -> np.ndarray:
        """(T,) the years after the first death (none for one person)."""
        return years > self.death_year


def _couple(lives: Lives) -> Couple:
    """Married filing jointly while both live, through the year of the first death
    (§6013(a)(2)); single after it, and for one person."""
    years, last = lives.years, lives.last_year
    if lives.people != 2:
        return Couple(np.full(lives.T, SINGLE), None, None)
    first = int(np.argmin(last))
    death_year = int(last[first]) if last[0] != last[1] else None
    if death_year is None:
        return Couple(np.where(lives.alive.all(axis=0), MARRIED_JOINT, SINGLE), None, None)
    # The year of death still allows a joint return (§6013(a)(2)).
    return Couple(np.where(years <= death_year, MARRIED_JOINT, SINGLE), 1 - first, death_year)


@dataclass
class Incomes:
    """(I, T) each person's income other than the accounts, start-year dollars."""

    wages: np.ndarray
    pension: np.ndarray  # nominal unless the pension is indexed (Timeline.pension_indexed)
    social_security: np.ndarray  # the spouse's and the survivor benefit included
    #: each person's benefit withheld under the earnings test (:mod:`earnings_test`)
    withheld: np.ndarray
    #: each person's claiming age as the benefit is figured from full retirement age (the
    #: claiming age, later by the months the earnings test withheld)
    benefit_claims: list[float]
    #: the spouse's benefit on the other's record, before it is kept to the other's life
    spousal: np.ndarray | None = None


def claim_ages(hh: Household, law: Law) -> list[float]:
    """Each person's Social Security claiming age: full retirement age unless the case says
    otherwise (§416(l)), as :func:`benefit_age_end` counts ages — the benefit is paid from the
    month in which the person attains it.  Before full retirement age not before the first
    month throughout which the person has attained the earliest claiming age (42 U.S.C.
    §402(a)(B); 20 CFR 404.311(a)(2)): that month is the one in which they attain it only for
    one who attains it on a month's first day (born on the 2nd); anyone else's earliest claim
    is a month later, and its reduction is figured from there, a month less.  A claiming age
    given is taken as a whole month, the nearest (:func:`claim_month`): the month both the
    benefit's rate and its first payment are figured from."""
    earliest = float(law.get("social_security.earliest_claim_age", hh.start_year))
    out = []
    for p in hh.people:
        claim = (float(full_retirement_age(law, hh.start_year, ssa_birth_year(p.birth_date)))
                 if p.social_security.claim_age is None
                 else claim_month(p.social_security.claim_age))
        first = earliest + (attains_age_on(p.birth_date).day != 1) / 12.0
        out.append(max(claim, first))
    return out


def _incomes(hh: Household, law: Law, lives: Lives, couple: Couple) -> Incomes:
    """Wages until retirement (the share of the year still worked), the pension from its
    start age, Social Security from the claiming age with its claiming factor (its months as
    :func:`benefit_age_end` counts them)."""
    n, T, ends, bends = lives.people, lives.T, lives.exact_age_end, lives.benefit_age_end
    claims = claim_ages(hh, law)
    out = Incomes(np.zeros((n, T)), np.zeros((n, T)), np.zeros((n, T)), np.zeros((n, T)),
                  list(claims))
    spousal = _spousal_benefits(hh, law, lives, claims) if n == 2 else None
    charged = np.zeros((n, T))  # each person's excess earnings charged so far
    spouse_months = [0, 0]  # months each spouse's benefit was withheld
    for i, p in enumerate(hh.people):
        alive = lives.alive[i]
        if p.retirement_age is not None:
            share = np.clip(p.retirement_age - (ends[i] - 1.0), 0, 1)
            out.wages[i] = p.wages * share * alive
        started = np.clip(ends[i] - p.pension.start_age, 0, 1)
        out.pension[i] = 12 * p.pension.monthly * started * alive
        pia = p.social_security.monthly_at_full_age
        factor = claiming_factor(law, hh.start_year, lives.ssa_birth_year[i], claims[i])
        claimed = np.clip(bends[i] - claims[i], 0, 1)
        out.social_security[i] = 12 * pia * factor * claimed * alive
        # The spouse's benefit on this person's record (its monthly amount and months paid).
        family = None if spousal is None else (spousal.monthly[1 - i], spousal.months[1 - i])
        test = benefit_withheld(law, hh.start_year, int(lives.ssa_birth_year[i]),
                                (claims[i], float(pia * factor)),
                                _benefit_work(lives, i, (p.retirement_age, p.wages)), bends[i],
                                family)
        if spousal is not None and test.family_withheld is not None and test.months:
            both = alive * lives.alive[1 - i]
            spousal.annual[1 - i] -= test.family_withheld * lives.alive[1 - i]
            out.withheld[1 - i] += test.family_withheld * both
            spouse_months[1 - i] += test.family_months
            charged[i] += test.family_withheld
        if test.months:
            charged[i] += test.withheld
            # Withheld while at work before full retirement age, then raised (§402(q)(7)).
            fra = full_retirement_age(law, hh.start_year, lives.ssa_birth_year[i])
            raised = claiming_factor(law, hh.start_year, lives.ssa_birth_year[i],
                                     test.benefit_claim_age) - factor
            from_fra = np.clip(bends[i] - np.maximum(fra, claims[i]), 0, 1)
            out.withheld[i] += test.withheld * alive
            out.social_security[i] += (12 * pia * raised * from_fra - test.withheld) * alive
            out.benefit_claims[i] = test.benefit_claim_age
    if spousal is not None:
        for i, p in enumerate(hh.people):
            # The spouse's own excess earnings, what their own record did not take, are charged
            # to their spouse's benefit (20 CFR 404.434(b)(3)).
            spouse_months[i] += _own_work_on_spousal(law, hh.start_year, lives, spousal, i,
                                                     (p.retirement_age, p.wages), charged[i], out)
            _spousal_raised(law, hh.start_year, lives, spousal, i, spouse_months[i])
        out.spousal = spousal.annual
        out.social_security += out.spousal * lives.alive[::-1]
    if couple.survivor is not None:
        _survivor_incomes(hh, law, lives, couple, claims, out)
    return out


def other_incomes(hh: Household, lives: Lives) -> tuple[np.ndarray, np.ndarray]:
    """(I, T) twice: each person's other income (``hh.other_income``) in each year from its
    start year to its end year (the plan's last by default), while the person lives — the
    indexed items in start-year dollars, the others in nominal dollars.  Ordinary income of
    the return, never wages (docs/plan.md)."""
    shape = (lives.people, lives.T)
    indexed, fixed = np.zeros(shape), np.zeros(shape)
    for o in hh.other_income:
        first = hh.start_year if o.start_year is None else o.start_year
        last = int(lives.years[-1]) if o.end_year is None else o.end_year
        paid = (lives.years >= first) & (lives.years <= last) & lives.alive[o.person]
        (indexed if o.indexed else fixed)[o.person] += o.annual * paid
    return indexed, fixed


def survivor_pensions(hh: Household, lives: Lives) -> np.ndarray:
    """(I, T) the survivor share of each person's pension (``survivor_fraction`` × the
    pension) that the surviving spouse is paid in a year after the person's death — from the
    month in which the person would have reached the pension's ``start_age``, that month
    included.  A death before the annuity starting date pays the qualified pre-retirement
    survivor annuity: figured as if the participant had survived to the earliest retirement
    age, retired then with an immediate qualified joint and survivor annuity and died the next
    day, and payable "not later than the month in which the participant would have attained the
    earliest retirement age" (IRC §417(c)(1); ERISA §205(e), 29 U.S.C. §1055(e)(1)(B)); the
    plan takes ``start_age`` as that age.  A death after the start pays the share at once
    (every year after it is past the start)."""
    out = np.zeros((lives.people, lives.T))
    month = 1 / 12
    for i, p in enumerate(hh.people):
        # exact_age_end counts the months past the birthday's month; the month of it is paid.
        started = np.clip(lives.exact_age_end[i] + month - p.pension.start_age, 0, 1)
        out[i] = 12 * p.pension.monthly * p.pension.survivor_fraction * started
    return out


@dataclass
class SpousalBenefits:
    """Each spouse's benefit on the other's record: (I, T) a year (start-year dollars, while
    the spouse lives: the caller keeps it to the other's life), (I,) a month, and (I, T) the
    months of each year it is paid."""

    annual: np.ndarray
    monthly: np.ndarray
    months: np.ndarray
    #: (I,) the age each spouse's benefit starts at (both filed)
    start: np.ndarray


def _benefit_work(lives: Lives, i: int,
                  work: tuple[float | None, float]) -> tuple[float | None, float]:
    """Person ``i``'s retirement age and wages (``work``) on the ages :func:`benefit_age_end`
    counts, which the earnings test reads: the same month their wages stop."""
    retirement_age, wages = work
    if retirement_age is None:
        return work
    return retirement_age + float(lives.benefit_age_end[i][0] - lives.exact_age_end[i][0]), wages


def _own_work_on_spousal(law: Law, year: int, lives: Lives, spousal: SpousalBenefits, i: int,
                         work: tuple[float | None, float], charged: np.ndarray,
                         out: Incomes) -> int:
    """Withhold from spouse ``i``'s benefit on the other's record what ``i``'s own excess
    earnings left after ``charged`` (their own benefit's and the family's share), in the
    months it is paid while ``i`` works before full retirement age; the months withheld."""
    monthly = float(spousal.monthly[i])
    if monthly <= 0 or work[0] is None or work[1] <= 0:
        return 0
    by, ends = int(lives.ssa_birth_year[i]), lives.benefit_age_end[i]
    work = _benefit_work(lives, i, work)
    left = np.maximum(excess_earnings(law, year, by, work, ends) - charged, 0.0)
    fra = float(full_retirement_age(law, year, by))
    months = months_at_work(fra, work[0], float(spousal.start[i]), ends)
    withheld = np.minimum(np.minimum(left, monthly * months), spousal.annual[i])
    if not withheld.any():
        return 0
    spousal.annual[i] -= withheld * lives.alive[i]
    out.withheld[i] += withheld * lives.alive[i] * lives.alive[1 - i]
    return int(months_withheld(withheld, monthly, months).sum())


def _spousal_raised(law: Law, year: int, lives: Lives, spousal: SpousalBenefits, i: int,
                    months: int) -> None:
    """Spouse ``i``'s benefit from their full retirement age, its reduction figured again
    without the ``months`` it was withheld before it (42 U.S.C. §402(q)(7))."""
    if months <= 0 or spousal.monthly[i] <= 0:
        return
    by, ends = lives.ssa_birth_year[i], lives.benefit_age_end[i]
    fra = float(full_retirement_age(law, year, by))
    start = float(spousal.start[i])
    factor = spousal_factor(law, year, by, start)
    raised = spousal_factor(law, year, by, min(start + months / 12.0, fra))
    from_fra = np.clip(ends - max(fra, start), 0, 1)
    spousal.annual[i] += 12 * spousal.monthly[i] / factor * (raised - factor) * from_fra \
        * lives.alive[i]


def _spousal_benefits(hh: Household, law: Law, lives: Lives,
                      claims: list[float]) -> SpousalBenefits:
    """Each spouse's benefit on the other's record paid on top of their own: half the other's
    PIA less their own, from when both have filed, reduced for the months before the spouse's
    full retirement age (42 U.S.C. §402(b), (c), (k)(3)(A), (q)); its months as
    :func:`benefit_age_end` counts them."""
    ends = lives.benefit_age_end
    out = SpousalBenefits(np.zeros((2, lives.T)), np.zeros(2), np.zeros((2, lives.T)),
                          np.zeros(2))
    pia = [p.social_security.monthly_at_full_age for p in hh.people]
    for i in range(2):
        j = 1 - i
        excess = spousal_excess(law, hh.start_year, pia[i], pia[j])
        if excess <= 0 or pia[j] <= 0:
            continue
        # The spouse's age when the worker files: the later of that and the spouse's own claim.
        start = max(claims[i], claims[j] + float(ends[i][0] - ends[j][0]))
        factor = spousal_factor(law, hh.start_year, lives.ssa_birth_year[i], start)
        paid = np.clip(ends[i] - start, 0, 1)
        out.annual[i] = 12 * excess * factor * paid * lives.alive[i]
        out.monthly[i] = float(excess * factor)
        out.months[i] = np.round(12 * paid) * lives.alive[i]
        out.start[i] = start
    return out


def _survivor_incomes(hh: Household, law: Law, lives: Lives, couple: Couple,
                      claims: list[float], out: Incomes) -> None:
    """After the first death the survivor keeps, each month, the larger of their own benefit
    and the widow's or widower's benefit (42 U.S.C. §402(e), (f), (k)(3)(A); its months as
    :func:`benefit_age_end` counts them: from the month in which the survivor attains an age),
    and the pension's survivor share, indexed as the deceased's pension is (it stays in the
    deceased's row), from the year the deceased would have reached its start age
    (:func:`survivor_pensions`); the one who died earns no wages."""
    s = couple.survivor
    if s is None or couple.death_year is None:  # (called only for a couple with a survivor)
        return
    d = 1 - s
    after = couple.after_death(lives.years)
    dead = hh.people[d]
    t = int(couple.death_year - lives.years[0])
    ends = lives.benefit_age_end
    ss = out.social_security
    me = hh.people[s]
    # The survivor's work withholds the benefits after the death too (the earnings test).
    work = survivor_work(law, hh.start_year, me.birth_date, (me.retirement_age, me.wages),
                         ends[s], after & lives.alive[s])
    own = ss[s] if work is None else own_benefit(
        law, hh.start_year, lives.ssa_birth_year[s], me.social_security.monthly_at_full_age,
        (claims[s], out.benefit_claims[s]), ends[s]) * lives.alive[s]
    paid, withheld = survivor_benefits(
        law, hh.start_year, (lives.ssa_birth_year[d], dead.social_security.monthly_at_full_age,
                             claims[d], ends[d][t]),
        (lives.ssa_birth_year[s], ends[s][t], ends[s]),
        (own, np.clip(ends[s] - claims[s], 0, 1)), after & lives.alive[s],
        paid_claim_age=out.benefit_claims[d], work=work)
    ss[s] = np.where(after, paid.reshape(-1), ss[s])
    if work is not None:
        out.withheld[s] = np.where(after, withheld.reshape(-1) * lives.alive[s], out.withheld[s])
    out.pension[d] = out.pension[d] + np.where(
        after & lives.alive[s], survivor_pensions(hh, lives)[d], 0.0)
    out.wages[d] = np.where(after, 0.0, out.wages[d])


def year_reaching(birth_year, birth_month, age) -> np.ndarray:
    """The calendar year in which a person born in ``birth_month`` of ``birth_year`` reaches
    ``age`` (years, months counted: 70.5, 59.5), by month arithmetic on the birth month (the
    day never moves the anniversary into another year)."""
    months = np.round(np.asarray(age, float) * 12).astype(np.int64)
    return (np.asarray(birth_year) * 12 + (np.asarray(birth_month) - 1) + months) // 12


def _rmd_schedule(hh: Household, law: Law, lives: Lives) -> tuple[np.ndarray, ...]:
    """(I, T) whether each person's own pre-tax money owes an RMD (from the year of the
    applicable age, §401(a)(9)(C)), and its divisor (inf where none is required): the
    Uniform Lifetime Table, or the Joint and Last Survivor Table for a sole spouse
    beneficiary more than ten years younger (Treas. Reg. §1.401(a)(9)-5, -9); then the same of
    the plan account, whose RMDs wait for the year its employee retires where that is later
    (§401(a)(9)(C)(i)(II); not for a 5% owner, (C)(ii)(I); IRAs have no such wait,
    §408(a)(6)); and each person's Uniform Lifetime divisor, for a year with no spouse."""
    years, by, bm, n = lives.years, lives.birth_year, lives.birth_month, lives.people
    age_app = step_lookup(law, "rmd.applicable_age", hh.start_year, by * 100 + bm)
    first_rmd_year = year_reaching(by, bm, age_app)
    required = (years[None, :] >= first_rmd_year[:, None]) & lives.alive
    retires = np.array([_retirement_year(p) for p in hh.people])
    plan_required = required & (years[None, :] >= retires[:, None])
    divisor = np.full((n, lives.T), np.inf)
    alone = np.full((n, lives.T), np.inf)
    for i in range(n):
        other = 1 - i if n == 2 else None
        spouse_age = (years - by[other]).astype(float) if other is not None else None
        sole = lives.alive[other] if other is not None else np.broadcast_to(False, (lives.T,))
        d, _ = rmd_divisor(law, years, lives.age[i], spouse_age, sole)
        divisor[i] = np.where(required[i], d, np.inf)
        alone[i] = rmd_divisor(law, years, lives.age[i])[0]
    return (required, divisor, plan_required, np.where(plan_required, divisor, np.inf),
            alone)


def _retirement_year(p) -> int:
    """The year a person's wages stop (the year of ``retirement_age``); the year 0 where they
    earn none, earn them from an employer other than the plan's (``wages_from_plan_employer``
    false: the wait needs retirement "from employment with the employer maintaining the plan",
    Treas. Reg. §1.401(a)(9)-2(b)(1)(ii)), or own more than 5% of the employer
    (§416(i)(1)(B)): no wait for the plan's RMDs — but a governmental plan's 5% owner waits
    too (§401(a)(9)(C)(iv))."""
    owner = p.five_percent_owner and not p.accounts.governmental_457b
    if p.retirement_age is None or p.wages <= 0 or owner or not p.wages_from_plan_employer:
        return 0
    return int(year_reaching(p.birth_date.year, p.birth_date.month, p.retirement_age))


def _separation_year(p) -> int | None:
    """The year a person leaves the plan's employer: the year of ``retirement_age`` (wages or
    not); None where there is none (already separated before the plan's first year), as for
    one whose wages come from another employer (``wages_from_plan_employer`` false)."""
    if p.retirement_age is None or not p.wages_from_plan_employer:
        return None
    return int(year_reaching(p.birth_date.year, p.birth_date.month, p.retirement_age))


def _early_tax(hh: Household, law: Law, lives: Lives) -> tuple[np.ndarray, np.ndarray]:
    """(I, T) before 59½ a withdrawal owes the 10% additional tax (§72(t)(1), (2)(A)(i)): from
    the IRAs, and from the plan unless the person separated in or after the year of 55
    (§72(t)(2)(A)(v); Notice 87-13, Q&A-20) — from the year of that separation (the year of
    ``retirement_age``; the household's checks refuse a separation before the year of 55) —,
    a public safety employee's separation in or after the year of 50 or after 25 years of
    service (§72(t)(10)(A): :func:`_public_safety_free`), or the plan is a governmental 457(b)
    (§72(t)(9))."""
    years, ends = lives.years, lives.exact_age_end
    early = ends < law.get("early_distributions.age", years)[None, :]
    sep_age = law.get("early_distributions.separation_age", years)
    plan_early = early.copy()
    for i, p in enumerate(hh.people):
        if p.separated_at_55:
            plan_early[i] &= ~((ends[i] >= sep_age) & _separated(p, lives))
        if p.public_safety:
            plan_early[i] &= ~_public_safety_free(p, law, lives, i)
        if p.accounts.governmental_457b:
            plan_early[i] = False
    return early, plan_early


def _separated(p, lives: Lives) -> np.ndarray:
    """(T,) the years from the person's separation from the plan's employer (the year of
    ``retirement_age``; every year for one already separated)."""
    left = _separation_year(p)
    return lives.years >= left if left is not None else np.ones(lives.T, bool)


def _public_safety_free(p, law: Law, lives: Lives, i: int) -> np.ndarray:
    """(T,) the years person ``i``'s plan money is free of the 10% tax as a public safety
    employee's (``public_safety``): a distribution after a separation from service in or after
    the year of 50 (``early_distributions.public_safety_age``), or after 25 years of service
    under the plan (``early_distributions.public_safety_years``), whichever is earlier, takes
    the exception of §72(t)(2)(A)(v) (§72(t)(10)(A), SECURE 2.0 §§308, 329); the household's
    checks refuse a separation that meets neither."""
    years = lives.years
    of_age = lives.exact_age_end[i] >= law.get("early_distributions.public_safety_age", years)
    service = p.years_of_service_at_retirement
    served = (np.zeros(lives.T, bool) if service is None
              else service >= law.get("early_distributions.public_safety_years", years))
    return (of_age | served) & _separated(p, lives)


def _in_service(hh: Household, law: Law, lives: Lives, pools: list[Pool]) -> None:
    """Each person's plan account pays nothing while they still work for its employer (wages
    until ``retirement_age``: the years before its year; none where the wages come from another
    employer, ``wages_from_plan_employer`` false) and are under 59½ by the year's end:
    elective deferrals may not be distributed before severance from employment, death,
    disability or 59½ (IRC §401(k)(2)(B)(i); §403(b)(7)(A)(i), (11)); a governmental 457(b)
    not before the calendar year of 59½ (§457(d)(1)(A), as the Bipartisan American Miners Act
    of 2019, §104, amended it).  The year of 59½ is open, as it is for the 10% tax (a
    withdrawal after the day), and the plan is taken to pay in service from then (a plan's
    option that most take: docs/plan.md).  Never where an RMD is owed.  The plan pool of
    person ``i`` is ``pools[2 * i]``."""
    years, ends = lives.years, lives.exact_age_end
    for i, p in enumerate(hh.people):
        left = _separation_year(p)
        if left is None or p.wages <= 0:
            continue
        name = ("in_service.governmental_457b_age" if p.accounts.governmental_457b
                else "in_service.deferral_age")
        plan = pools[2 * i]
        plan.in_service = ((years < left) & (ends[i] < law.get(name, years)) & lives.alive[i]
                           & ~plan.rmd_required)


def _roth_free(hh: Household, law: Law, lives: Lives,
               couple: Couple) -> tuple[np.ndarray, np.ndarray]:
    """Whether Roth earnings come out tax-free, a qualified distribution (§402A(d)(2),
    §408A(d)(2)): (I, T) each person's own Roth money — at 59½ and five years from their first
    Roth contribution; once they have died, as paid after the owner's death, when its five
    years have run — and (T,) all of the household's, where every living person who may own
    Roth money there (:func:`_roth_owners`) is so: the owner's age decides, not a spouse's."""
    years = lives.years
    five = law.get("roth.five_year_period", years)
    seasoned = np.array([years - _first_roth_year(hh, law, i) >= five
                         for i in range(len(hh.people))])
    of_age = lives.exact_age_end >= law.get("early_distributions.age", years)[None, :]
    own = np.where(lives.alive, of_age & seasoned, seasoned)
    owner = _roth_owners(hh, lives, couple)
    if not owner.any():  # no Roth money anywhere: as for one person
        return own, of_age.max(axis=0) & seasoned.max(axis=0)
    owned = np.asarray(owner.any(axis=1))[:, None]
    ok = np.where(owner, of_age & seasoned, ~owned | lives.alive | seasoned)
    return own, ok.all(axis=0)


def _roth_conversions_free(law: Law, lives: Lives) -> np.ndarray:
    """(I, T) a conversion's money comes out free of the 10% tax within its five years: the
    recapture of §408A(d)(3)(F) applies only to a distribution §72(t) would tax, so not past
    59½ (§72(t)(2)(A)(i)) nor after the owner's death (§72(t)(2)(A)(ii); Treas. Reg.
    §1.408A-6, Q&A-5(b)).  Converted money is taxed when converted, so it then comes out free
    of tax too (§408A(d)(4)(B) orders it before earnings)."""
    of_age = lives.exact_age_end >= law.get("early_distributions.age", lives.years)[None, :]
    return np.where(lives.alive, of_age, True)


def _first_roth_year(hh: Household, law: Law, i: int) -> int:
    """The first year of person ``i``'s five-year clock (Treas. Reg. §1.408A-6, Q&A-2): the
    case's ``roth_first_year``; absent, for one with Roth money, seasoned from the start; for
    one with none, the plan's first year — a first conversion or contribution starts the clock,
    and the plan takes it as made that year (docs/plan.md)."""
    p = hh.people[i]
    if p.accounts.roth_first_year is not None:
        return int(p.accounts.roth_first_year)
    money, _ = _roth_at_start(hh)
    if money[i] > 0:
        return hh.start_year - int(law.scalar("roth.five_year_period", hh.start_year))
    return hh.start_year


def _roth_at_start(hh: Household) -> tuple[np.ndarray, np.ndarray]:
    """(I,) each person's Roth money at the start, and its basis (the contributions; absent,
    the whole balance): an inherited Roth a spouse treats as their own is theirs, with no
    basis known."""
    money = np.array([float(p.accounts.roth) for p in hh.people])
    basis = np.array([float(p.accounts.roth if p.accounts.roth_contributions is None
                            else p.accounts.roth_contributions) for p in hh.people])
    for a in hh.inherited:
        if (a.beneficiary.relationship == "spouse" and a.beneficiary.spouse_election == "own"
                and a.beneficiary.roth):
            money[a.heir] += a.balance
    return money, basis


def _roth_owners(hh: Household, lives: Lives, couple: Couple) -> np.ndarray:
    """(I, T) who may own Roth money in a year: a living person with a Roth balance of their
    own, or who may convert pre-tax money they hold (their own, or a dead spouse's rolled
    over), or treats an inherited Roth as their own."""
    after = (couple.after_death(lives.years) if couple.survivor is not None
             else np.zeros(lives.T, bool))
    owner = np.zeros(lives.alive.shape, bool)
    pretax = [p.accounts.pretax + p.accounts.ira for p in hh.people]
    roth, _ = _roth_at_start(hh)
    for i, p in enumerate(hh.people):
        rolled = after & (couple.survivor == i) & (sum(pretax) > 0)
        owner[i] = lives.alive[i] & ((roth[i] > 0) | (p.converts & ((pretax[i] > 0) | rolled)))
    return owner


def _on_medicare(hh: Household, law: Law, lives: Lives) -> np.ndarray:
    """(T,) the people on Medicare Part B and Part D, each by the share of the year covered,
    from the eligibility age or the person's ``medicare_from_age``
    (:func:`~dist401k.planner.medicare.medicare_years`)."""
    return medicare_years(law, [p.birth_date for p in hh.people], lives.years, lives.alive,
                          [p.medicare_from_age for p in hh.people])


def _return_ages(lives: Lives, couple: Couple) -> tuple[np.ndarray, np.ndarray]:
    """(T,) the ages of the tax return's head and spouse (the survivor alone after a death), as
    :func:`~dist401k.dates.return_age` counts them."""
    age = lives.return_age
    head = age[0].astype(float)
    spouse = age[1].astype(float) if lives.people == 2 else np.zeros(lives.T)
    if couple.survivor is not None:
        after = couple.after_death(lives.years)
        head = np.where(after, age[couple.survivor], head)
        spouse = np.where(after, 0.0, spouse)
    return head, spouse


@dataclass
class Pool:
    """One pool of pre-tax money: a person's plan account, their IRAs, an inherited account or
    the account paying a 72(t) series; its facts year by year ((T,) arrays)."""

    owner: int  # person index
    plan: bool  # True: a plan account; False: IRAs
    balance: float
    basis: float
    converts: bool  # the owner may convert it
    heir: int  # the pool that receives it at the owner's death (-1: none)
    dead: np.ndarray  # the owner has died (the pool is empty)
    rmd_required: np.ndarray
    rmd_divisor: np.ndarray  # inf where none is required
    rmd_divisor_alone: np.ndarray  # the same with no spouse (the Uniform Lifetime Table)
    early_tax: np.ndarray  # a withdrawal owes the 10% (§72(t))
    sepp_years: np.ndarray  # a 72(t) series runs: nothing else leaves the pool
    sepp_payment: np.ndarray  # the series' fixed payments
    #: a plan account in service before 59½: it pays nothing (:func:`_in_service`)
    in_service: np.ndarray
    spousal: bool = True  # the person's own money (a surviving spouse rolls it over)
    #: from employer contributions: a plan account's, an IRA's (rolled over from a plan);
    #: a couple's IRA pool, the mix it will hold after a rollover (_rolled_employer_shares)
    employer_share: float = float("nan")
    #: an inherited Roth account (:func:`_inherited_pools`): every dollar of it is tax-free
    roth: bool = False


def _own_pools(hh: Household, law: Law, lives: Lives, couple: Couple, early: np.ndarray,
               plan_early: np.ndarray) -> list[Pool]:
    """Each person's plan account and IRAs, in that order (IRAs are aggregated for RMDs, Treas.
    Reg. §1.408-8(e); a plan's RMD is its own, §1.401(a)(9)-5).  The surviving spouse rolls the
    first to die's money into an IRA of their own (§402(c)(9), §408(d)(3))."""
    required, divisor, plan_required, plan_divisor, alone = _rmd_schedule(hh, law, lives)
    plan_alone = np.where(plan_required, alone, np.inf)
    alone = np.where(required, alone, np.inf)
    never = np.zeros(lives.T, bool)
    pools = []
    for i, p in enumerate(hh.people):
        dies_first = couple.survivor is not None and i == 1 - couple.survivor
        heir = 2 * couple.survivor + 1 if dies_first and couple.survivor is not None else -1
        dead = couple.after_death(lives.years) if dies_first else never
        for plan, balance, basis, share in (
                (True, p.accounts.pretax, p.accounts.pretax_basis, p.accounts.employer_share),
                (False, p.accounts.ira, p.accounts.ira_basis, p.accounts.ira_employer_share)):
            pools.append(Pool(
                owner=i, plan=plan, balance=float(balance), basis=float(basis),
                converts=p.converts, heir=heir, dead=dead,
                rmd_required=(plan_required if plan else required)[i],
                rmd_divisor=(plan_divisor if plan else divisor)[i],
                rmd_divisor_alone=(plan_alone if plan else alone)[i],
                early_tax=(plan_early[i] if plan else early[i]) & lives.alive[i],
                sepp_years=never, sepp_payment=np.zeros(lives.T), in_service=never,
                employer_share=float("nan") if share is None else float(share)))
    if len(hh.people) == 2:
        _rolled_employer_shares(pools)
    return pools


def _rolled_employer_shares(pools: list[Pool]) -> None:
    """A couple's IRA pools (each person's second) may receive the other's money at the first
    death: each takes the share from employer contributions of the money it will hold — its
    own and the other's plan account and IRAs, weighted by their balances at the start (the
    exact share where those agree; NaN where one with money is not known)."""
    own = [p.employer_share for p in pools]
    for i in range(2):
        into = [2 * i + 1, 2 * (1 - i), 2 * (1 - i) + 1]
        held = [k for k in into if pools[k].balance > 0]
        if held:
            pools[2 * i + 1].employer_share = (sum(pools[k].balance * own[k] for k in held)
                                               / sum(pools[k].balance for k in held))


def _spouse_beneficiary(law: Law, lives: Lives, couple: Couple, pools: list[Pool]) -> None:
    """A survivor under 59½ keeps the dead spouse's pre-tax money as its beneficiary, not as
    their own, until the year they are 59½, when they treat it as their own (Treas. Reg.
    §1.408-8(c)): in those years a withdrawal owes no 10% tax (paid on the owner's death,
    §72(t)(2)(A)(ii)), and the beneficiary's yearly minimum is owed — over the longer of the
    survivor's life expectancy, recalculated each year, and the deceased's remaining one where
    the deceased died on or after the required beginning date; where before it, only from the
    year the deceased would have reached the applicable age (§401(a)(9)(B)(iv); Treas. Reg.
    §1.401(a)(9)-5(d)(1)).  Only where the survivor's IRAs held nothing at the start: the pool
    then holds the deceased's money alone."""
    if couple.survivor is None or couple.death_year is None:
        return
    s, d, years = couple.survivor, 1 - couple.survivor, lives.years
    heir = pools[2 * s + 1]
    if heir.balance > 0:
        return
    young = (years > couple.death_year) & (lives.exact_age_end[s] < law.get(
        "early_distributions.age", years))
    if not young.any():
        return
    birth = lives.birth_year[d] * 100 + lives.birth_month[d]
    app_age = float(step_lookup(law, "rmd.applicable_age", int(years[0]), birth))
    app_year = int(year_reaching(lives.birth_year[d], lives.birth_month[d], app_age))
    after_rbd = couple.death_year > app_year
    own = single_life(law, years, lives.age[s])
    left = single_life(law, years, np.full(lives.T, lives.age[d][years == couple.death_year][0])
                       ) - (years - couple.death_year)
    divisor = np.maximum(own, left) if after_rbd else own
    owed = young & (after_rbd | (years >= app_year)) & lives.alive[s]
    heir.early_tax = heir.early_tax & ~young
    heir.rmd_required = np.where(young, owed, heir.rmd_required)
    heir.rmd_divisor = np.where(young, np.where(owed, divisor, np.inf), heir.rmd_divisor)
    heir.rmd_divisor_alone = np.where(young, heir.rmd_divisor, heir.rmd_divisor_alone)


def _inherited_pools(hh: Household, law: Law, lives: Lives, pools: list[Pool]) -> float:
    """An inherited account is a pool of its heir's with its own yearly minimums (§401(a)(9)(B),
    (H); Treas. Reg. §1.401(a)(9)-5(e)), free of the 10% tax (§72(t)(2)(A)(ii)), never
    converted.  A Roth account's payments, growth included, are qualified distributions, not
    income (§408A(d)(1), (2)(A)(ii), (B); §402A(d)(1), (2)): the decedent's five-year
    period, which the heir's counts from (Treas. Reg. §1.408A-6, Q&A-7; §1.402A-1, Q&A-4), is
    taken as met — the plan does not ask its first year (docs/plan.md).  Its basis is its
    balance, and stays so as it grows (:class:`~dist401k.planner.simulate.Balances`).  A spouse
    who treats it as their own adds it to their IRAs (or their Roth money, returned here)."""
    roth_inherited = 0.0
    for a in hh.inherited:
        if a.beneficiary.relationship == "spouse" and a.beneficiary.spouse_election == "own":
            if a.beneficiary.roth:
                roth_inherited += a.balance
            else:
                pools[2 * a.heir + 1].balance += a.balance
            continue
        alive = lives.alive[a.heir]
        d = inherited_divisors(hh.people[a.heir].birth_date, a, law, lives.years)
        pools.append(Pool(
            owner=a.heir, plan=a.beneficiary.account == "plan", balance=float(a.balance),
            basis=float(a.balance) if a.beneficiary.roth else 0.0, converts=False, heir=-1,
            dead=~alive, rmd_required=np.isfinite(d) & alive,
            rmd_divisor=np.where(alive, d, np.inf), rmd_divisor_alone=np.where(alive, d, np.inf),
            early_tax=np.zeros(lives.T, bool),
            sepp_years=np.zeros(lives.T, bool), sepp_payment=np.zeros(lives.T),
            in_service=np.zeros(lives.T, bool), spousal=False, roth=bool(a.beneficiary.roth)))
    return roth_inherited


def _split_sepp_pool(hh: Household, law: Law, years: np.ndarray, pools: list[Pool]) -> None:
    """The 72(t) series' account becomes a pool of its own: fixed payments, free of the 10%
    tax, no conversions or other withdrawals until the series may end (§72(t)(4)); the basis
    goes with the money pro rata (§72(e)(8))."""
    sp = hh.sepp
    if sp is None:  # (called only for a household with a series)
        return
    src = pools[2 * sp.person + (1 if sp.account == "ira" else 0)]
    amount = src.balance if sp.balance is None else sp.balance
    rate = sp.rate if sp.rate is not None else float(
        law.get("sepp.rate_floor", sp.first_payment.year))
    sched = sepp_schedule(law, hh.people[sp.person].birth_date, sp.first_payment, amount,
                          rate, SEPP_TABLES.index(sp.table))
    payment = np.zeros(years.shape[0])
    for year, pay in zip(sched["year"][0], sched[f"payment_{sp.method}"][0], strict=True):
        if year >= 0 and years[0] <= year <= years[-1]:
            payment[year - years[0]] = pay
    # Locked until the year the series may end; that year's money is taken after the day.
    in_series = years < year_of(sched["end"])[0]
    frac = src.basis / src.balance if src.balance > 0 else 0.0
    src.balance -= amount
    left = amount + src.balance
    src.basis = src.basis * (1 - amount / left) if left else 0.0
    pools.append(Pool(
        owner=sp.person, plan=sp.account == "plan", balance=amount, basis=amount * frac,
        converts=src.converts, heir=src.heir, dead=src.dead, rmd_required=src.rmd_required,
        rmd_divisor=src.rmd_divisor, rmd_divisor_alone=src.rmd_divisor_alone,
        early_tax=src.early_tax & ~in_series,
        sepp_years=in_series, sepp_payment=payment, in_service=np.zeros(years.shape[0], bool),
        employer_share=src.employer_share))


@dataclass
class Pools:
    """Pools stacked: (K,) and (K, T) arrays, one row a pool."""

    owner: np.ndarray
    plan: np.ndarray
    balance: np.ndarray
    basis: np.ndarray
    converts: np.ndarray
    heir: np.ndarray
    dead: np.ndarray
    rmd_required: np.ndarray
    rmd_divisor: np.ndarray
    rmd_divisor_alone: np.ndarray
    early_tax: np.ndarray
    sepp_years: np.ndarray
    sepp_payment: np.ndarray
    in_service: np.ndarray
    spousal: np.ndarray
    employer_share: np.ndarray
    roth: np.ndarray

    @property
    def keep(self) -> np.ndarray:
        """(K,) the pools that enter the plan: those that hold money or receive it at a death
        (at least one)."""
        keep = self.balance > 0
        keep[self.heir[keep & (self.heir >= 0)]] = True
        if not keep.any():
            keep[0] = True
        return keep

    def kept(self, keep: np.ndarray) -> Pools:
        """Only the pools ``keep`` holds, their heirs renumbered."""
        new_index = np.cumsum(keep) - 1
        heir = np.where(self.heir >= 0, new_index[np.maximum(self.heir, 0)], -1)
        return Pools(**{f.name: (heir if f.name == "heir" else getattr(self, f.name))[keep]
                        for f in fields(self)})


def _stacked(pools: list[Pool]) -> Pools:
    """The pools as arrays, stacked once."""
    return Pools(**{f.name: np.array([getattr(p, f.name) for p in pools]) for f in fields(Pool)})


def qcd_pools(hh: Household, law: Law, lives: Lives, pools: Pools) -> np.ndarray:
    """(K, T): where a pool may pay a qualified charitable distribution (IRC §408(d)(8)(B)): an
    IRA, never a plan account, of an owner alive who reaches 70½ by the year's end (a gift
    after that day), holding money that would be taxed (a Roth pool cannot), not paying a
    72(t) series (a QCD would change it, §72(t)(4)) — and only when the case gives to charity
    and lets QCDs pay it."""
    years, bal, owner = lives.years, pools.balance, pools.owner
    if not (hh.charity.annual > 0 and hh.charity.qcd):
        return np.zeros((len(bal), len(years)), bool)
    age = law.get("charity.qcd_age", years)
    taxed = ~((bal > 0) & (pools.basis >= bal))[:, None]  # an empty pool may receive a rollover
    return (~pools.plan[:, None] & taxed & (lives.exact_age_end[owner] >= age[None, :])
            & lives.alive[owner] & ~pools.dead & ~pools.sepp_years)


def inflow_schedule(hh: Household, years) -> tuple[np.ndarray, np.ndarray] | None:
    """Over ``years`` (calendar years): the money received that is not income (``inflows``:
    a gift or an inheritance, IRC §102(a); a home's net proceeds within §121) in today's
    dollars, to be grown with the price level, and in nominal dollars (``indexed`` false), each
    shaped like ``years``; None where the case has none."""
    if not hh.inflows:
        return None
    yrs = np.asarray(years)
    real, nominal = np.zeros(yrs.shape), np.zeros(yrs.shape)
    for f in hh.inflows:
        at = np.where(yrs == f.year, f.amount, 0.0)
        if f.indexed:
            real = real + at
        else:
            nominal = nominal + at
    return real, nominal
