"""Substantially equal periodic payments: the 72(t) series (IRC §72(t)(2)(A)(iv)).

Payments that are part of a series of substantially equal periodic payments, made at least
yearly over the life expectancy of the employee (or the joint life expectancy of the employee
and a designated beneficiary), are free of the 10% additional tax.  Notice 2022-6 (replacing
Rev. Rul. 2002-62 for series beginning in 2023 or later) recognises three ways to compute them:

- required minimum distribution method: balance ÷ life expectancy for the age reached in each
  year, recomputed every year (Single Life, Uniform Lifetime or Joint and Last Survivor table);
- fixed amortization method: the level payment that amortizes the starting balance over the
  life expectancy at the first year's age, at the chosen interest rate;
- fixed annuitization method: the starting balance ÷ the annuity factor (present value of $1 a
  year for life) from the mortality table of Treas. Reg. §1.401(a)(9)-9(e) and the rate.

The rate may be any rate not more than the greater of 5% and 120% of the federal mid-term rate
for either of the two months before the first payment.  From an employer plan the series must
begin after separation from service (§72(t)(3)(B)).  Modifying it before the later of five
years after the first payment and age 59½ recaptures the additional tax on every payment made
before 59½, plus interest for the deferral period (§72(t)(4)).

Every function works on arrays of accounts (one account is a batch of one).  Tables and rates
come from the law files ``rmd.single_life``, ``sepp.uniform_lifetime``, ``rmd.joint_life``,
``sepp.mortality``, ``sepp.rate_floor``, ``sepp.midterm_multiple``, ``sepp.minimum_years``,
``sepp.underpayment_rate``; none is held here.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from dist401k import __version__
from dist401k.basis import nontaxable_share, roth_qualified
from dist401k.batch import CaseBatch
from dist401k.case import SEPP_TABLES, Case, Sepp, SeppTable
from dist401k.dates import add_months, as_dates, days_from_civil, year_of
from dist401k.early_distribution import exceptions, exempt_457
from dist401k.errors import FieldProblem, InputError
from dist401k.explain import reasons_at
from dist401k.form_1099r_boxes import plan_roth_first_year
from dist401k.form_8606 import ira_taxable_share
from dist401k.law.loader import Law, default_law
from dist401k.money import amount, cents
from dist401k.routes.common import Facts

SINGLE, UNIFORM, JOINT = SeppTable.SINGLE, SeppTable.UNIFORM, SeppTable.JOINT
METHODS = ("rmd", "amortization", "annuitization")
TABLE_PARAMS = {SINGLE: "rmd.single_life", UNIFORM: "sepp.uniform_lifetime"}
# The longest a life can run in the tables (ages 0 to 120 and over): enough years of survival
# probabilities for an annuity factor at any age.
_HORIZON = 130
#: A chosen rate counts as above the ceiling only beyond float noise.
RATE_NOISE = 1e-12
#: A payment's taxable share counts as below the whole only beyond float noise.
SHARE_NOISE = 1e-12
#: Decimal places of the amortization and annuity factors shown.
FACTOR_DIGITS = 4


# -- the rate ---------------------------------------------------------------------------------

def sepp_rate_ceiling(law: Law, year, midterm_rates) -> np.ndarray:
    """Highest interest rate for the fixed methods: the greater of the floor (5% from Notice
    2022-6; none under Rev. Rul. 2002-62) and 120% of the higher federal mid-term rate of the
    two months before the first payment (IRC §1274(d)).  ``midterm_rates`` is ``[n, 2]`` (NaN
    where only one month is given)."""
    y = np.atleast_1d(np.asarray(year, dtype=np.int64))
    m = np.asarray(midterm_rates, dtype=float).reshape(len(y), -1)
    with np.errstate(all="ignore"):
        highest = np.nanmax(np.where(np.isnan(m), -np.inf, m), axis=1)
    return np.maximum(law.get("sepp.rate_floor", y), law.get("sepp.midterm_multiple", y) * highest)


# -- life expectancy and annuity factors ------------------------------------------------------

def life_expectancy(law: Law, year, table, age, beneficiary_age=None):
    """Life expectancy (years) by table code (0 single, 1 uniform, 2 joint) for the age reached
    in ``year`` (Notice 2022-6 §3.02(a); Treas. Reg. §1.401(a)(9)-9(b)-(d)).  Returns
    ``(life_expectancy, held)``: ``held`` is False where the joint table shipped has no entry
    for the pair (it holds beneficiaries more than ten years younger), with NaN there."""
    year, table, age = np.broadcast_arrays(np.asarray(year, dtype=np.int64),
                                           np.asarray(table, dtype=np.int64),
                                           np.asarray(age, dtype=np.int64))
    age = np.clip(age, 0, 120)
    out = np.full(age.shape, np.nan)
    held = np.ones(age.shape, bool)
    for code, name in TABLE_PARAMS.items():
        on = table == code
        if on.any():
            out[on] = law.table(name, year[on], age[on])
    on = table == JOINT
    if on.any():
        ben = np.broadcast_to(np.asarray(beneficiary_age if beneficiary_age is not None else 0,
                                         dtype=np.int64), age.shape)
        key = age[on] * 1000 + np.clip(ben[on], 0, 120)
        keys = np.asarray(law.param("rmd.joint_life").keys)
        found = np.isin(key, keys)
        vals = np.full(key.shape, np.nan)
        if found.any():
            vals[found] = law.table("rmd.joint_life", year[on][found], key[found])
        out[on] = vals
        held[on] = found
    return out, held


def annuity_factor(law: Law, year, age, rate, beneficiary_age=None) -> np.ndarray:
    """Present value of $1 a year paid at the end of each year while the employee lives (or,
    with ``beneficiary_age``, while either lives), from the mortality rates of Treas. Reg.
    §1.401(a)(9)-9(e) at ``rate`` (Notice 2022-6 §3.01(c), §3.02).  NaN ages: no beneficiary."""
    age = np.atleast_1d(np.asarray(age, dtype=np.int64))
    year = np.broadcast_to(np.asarray(year, dtype=np.int64), age.shape)
    rate = np.broadcast_to(np.asarray(rate, dtype=float), age.shape)
    t = np.arange(_HORIZON)
    q = law.table("sepp.mortality", year[:, None], np.clip(age[:, None] + t[None, :], 0, 120))
    alive = np.cumprod(1.0 - q, axis=1)  # alive[:, k]: survives k + 1 more years
    if beneficiary_age is not None:
        ben = np.broadcast_to(np.asarray(beneficiary_age, dtype=float), age.shape)
        has = ~np.isnan(ben)
        b = np.where(has, ben, 0).astype(np.int64)
        qb = law.table("sepp.mortality", year[:, None], np.clip(b[:, None] + t[None, :], 0, 120))
        alive_b = np.cumprod(1.0 - qb, axis=1)
        alive = np.where(has[:, None], alive + alive_b - alive * alive_b, alive)
    discount = (1.0 + rate[:, None]) ** -(t[None, :] + 1.0)
    return (alive * discount).sum(axis=1)


def amortization_factor(life_expectancy, rate) -> np.ndarray:
    """Present value of $1 a year at the end of each year for ``life_expectancy`` years (the
    fractional number of years the table gives) at ``rate`` (Notice 2022-6 §3.01(b))."""
    n = np.asarray(life_expectancy, dtype=float)
    r = np.asarray(rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r > 0, (1.0 - (1.0 + r) ** -n) / np.where(r > 0, r, 1.0), n)


# -- the three payments -----------------------------------------------------------------------

def sepp_rmd_payment(balance, life_expectancy) -> np.ndarray:
    """Required minimum distribution method: the balance ÷ the life expectancy for the age
    reached in the distribution year, recomputed each year (Notice 2022-6 §3.01(a))."""
    return np.asarray(balance, dtype=float) / np.asarray(life_expectancy, dtype=float)


def sepp_amortization_payment(balance, life_expectancy, rate) -> np.ndarray:
    """Fixed amortization method: the level yearly payment that amortizes the balance over the
    life expectancy at the chosen rate; the same amount every year (Notice 2022-6 §3.01(b))."""
    return np.asarray(balance, dtype=float) / amortization_factor(life_expectancy, rate)


def sepp_annuitization_payment(balance, annuity_factor) -> np.ndarray:
    """Fixed annuitization method: the balance ÷ the annuity factor from the mortality table and
    the chosen rate; the same amount every year (Notice 2022-6 §3.01(c))."""
    return np.asarray(balance, dtype=float) / np.asarray(annuity_factor, dtype=float)


# -- the schedule -----------------------------------------------------------------------------

def age_59_half_date(law: Law, birth_date, year) -> np.ndarray:
    """The day each person reaches 59½ (IRC §72(t)(2)(A)(i)), by the law of ``year``."""
    years = law.get("early_distributions.age", year)
    return add_months(birth_date, np.round(np.asarray(years) * 12).astype(np.int64))


def sepp_end(law: Law, birth_date, first_payment_date) -> np.ndarray:
    """The first day the series may be modified: the later of five years after the first
    payment and the day of 59½ (IRC §72(t)(4)(A)(ii))."""
    first = as_dates(first_payment_date)
    years = law.get("sepp.minimum_years", year_of(first)).astype(np.int64)
    return np.maximum(add_months(first, years * 12), age_59_half_date(law, birth_date, year_of(first)))


@dataclass(frozen=True)
class SeppProjection:
    """What a schedule assumes past its first payment: the balance's yearly return after each
    payment, and the year of a one-time switch to the RMD method (None: no switch); each a
    scalar or one per series."""

    assumed_return: float | np.ndarray = 0.0
    switch_to_rmd_year: int | np.ndarray | None = None


def sepp_schedule(law: Law, birth_date, first_payment_date, balance, rate, table,
                  beneficiary_birth_date=None,
                  projection: SeppProjection = SeppProjection()) -> dict:
    """Year-by-year payments of the three methods from the first payment to the end of the
    series (the later of five years and 59½, §72(t)(4)(A)(ii)), the balance growing at the
    projection's ``assumed_return`` after each yearly payment.  The RMD method is recomputed
    each year on the balance then (Notice 2022-6 §3.01(a)); the fixed methods pay their
    first-year amount every year until ``switch_to_rmd_year``, the one-time switch to the RMD
    method with the same table (Notice 2022-6 §3.03(b); Rev. Rul. 2002-62 §2.03(b)).

    Returns ``[n, years]`` arrays (NaN past each series' last payment): ``date``, ``year``,
    ``age``, ``life_expectancy``, and per method ``payment_<m>``, ``balance_<m>`` (before the
    payment); and ``[n]`` arrays ``end``, ``payments``, ``amortization_factor``,
    ``annuity_factor``, ``joint_held``.
    """
    birth = as_dates(np.atleast_1d(birth_date))
    first = as_dates(np.atleast_1d(first_payment_date))
    n = first.shape[0]
    balance = np.broadcast_to(np.asarray(balance, dtype=float), (n,))
    rate = np.broadcast_to(np.asarray(rate, dtype=float), (n,))
    table = np.broadcast_to(np.asarray(table, dtype=np.int64), (n,))
    growth = np.broadcast_to(np.asarray(projection.assumed_return, dtype=float), (n,))
    switch_to_rmd_year = projection.switch_to_rmd_year
    ben = (np.full(n, np.datetime64("NaT"), "datetime64[D]") if beneficiary_birth_date is None
           else as_dates(np.broadcast_to(np.asarray(beneficiary_birth_date, dtype="datetime64[D]"),
                                         (n,))))
    switch = (np.full(n, np.iinfo(np.int64).max) if switch_to_rmd_year is None else
              np.nan_to_num(np.asarray(switch_to_rmd_year, dtype=float),
                            nan=float(np.iinfo(np.int32).max)).astype(np.int64))
    switch = np.broadcast_to(switch, (n,))
    end = sepp_end(law, birth, first)
    by, fy = year_of(birth), year_of(first)
    ben_by = np.where(np.isnat(ben), 0, year_of(ben))
    has_ben = ~np.isnat(ben)
    # Payments on the first payment date and its anniversaries, while before the end.
    k_max = int(np.max(year_of(end) - fy)) + 1
    k = np.arange(k_max)
    dates = add_months(np.repeat(first, k_max).reshape(n, k_max), (k * 12)[None, :])
    paid = dates < end[:, None]
    years = fy[:, None] + k[None, :]
    age = years - by[:, None]
    ben_age = np.where(has_ben[:, None], years - ben_by[:, None], 0)
    le, held = life_expectancy(law, years, table[:, None], age, ben_age)
    le0, held0 = le[:, 0], held[:, 0]
    amort_f = amortization_factor(le0, rate)
    annuity_f = annuity_factor(law, fy, age[:, 0], rate,
                               np.where(has_ben & (table == JOINT), ben_age[:, 0], np.nan))
    level = {"amortization": sepp_amortization_payment(balance, le0, rate),
             "annuitization": sepp_annuitization_payment(balance, annuity_f)}
    out = {"date": np.where(paid, dates, np.datetime64("NaT")), "year": np.where(paid, years, -1),
           "age": np.where(paid, age, -1), "life_expectancy": np.where(paid, le, np.nan)}
    for m in METHODS:
        out[f"payment_{m}"], out[f"balance_{m}"], out[f"balance_after_{m}"] = _payments(
            balance, le, years, paid, growth, switch, level.get(m))
    out.update(end=end, payments=paid.sum(axis=1), amortization_factor=amort_f,
               annuity_factor=annuity_f, joint_held=held0 | (table != JOINT))
    return out


def _payments(balance, le, years, paid, growth, switch, level=None):
    """One method's payments year by year, the balance before each and the balance after the
    last: the RMD method's ``balance ÷ life expectancy`` recomputed each year, or the fixed
    ``level`` until the switch year; never more than the balance."""
    n, k_max = le.shape
    bal = balance.copy()
    pays, bals = np.full((n, k_max), np.nan), np.full((n, k_max), np.nan)
    for j in range(k_max):
        rmd = sepp_rmd_payment(bal, le[:, j])
        p = rmd if level is None else np.where(years[:, j] >= switch, rmd, level)
        p = np.minimum(np.nan_to_num(p), bal)
        live = paid[:, j]
        pays[:, j] = np.where(live, p, np.nan)
        bals[:, j] = np.where(live, bal, np.nan)
        bal = np.where(live, (bal - p) * (1.0 + growth), bal)
    return pays, bals, bal


# -- breaking the series ----------------------------------------------------------------------

def _daily_growth(law: Law, start, stop) -> tuple[np.ndarray, np.ndarray]:
    """Growth factor of $1 from ``start`` to ``stop`` at the underpayment rate compounded daily
    (IRC §6621(a)(2), §6622), and whether any day of it is past the last published quarter."""
    p = law.param("sepp.underpayment_rate")
    start, stop = as_dates(start), as_dates(stop)
    first = np.datetime64(p.dates[0], "D")
    valid = ~(np.isnat(start) | np.isnat(stop))
    if np.any(start[valid] < first):
        raise InputError(FieldProblem("sepp.first_payment_date", f"interest before {p.dates[0]} "
                                      "is not in dist401k's law (sepp.underpayment_rate)"))
    last_day = np.max(np.where(valid, stop, first)) if valid.any() else first
    days = np.arange(first, max(last_day, first) + np.timedelta64(1, "D"), dtype="datetime64[D]")
    steps = np.array([np.datetime64(d, "D") for d in p.dates])
    rate = np.asarray(p.raw_values, dtype=float)[np.searchsorted(steps, days, side="right") - 1]
    y = year_of(days)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    cum = np.concatenate([[0.0], np.cumsum(np.log1p(rate / np.where(leap, 366.0, 365.0)))])
    i0 = np.where(valid, (start - first).astype(np.int64), 0)
    i1 = np.where(valid, (stop - first).astype(np.int64), 0)
    i0, i1 = np.clip(i0, 0, len(days)), np.clip(i1, 0, len(days))
    factor = np.where(valid & (i1 > i0), np.exp(cum[i1] - cum[i0]), 1.0)
    next_quarter = add_months(np.array([steps[-1]]), 3)[0]
    projected = valid & (stop > next_quarter)
    return factor, projected


def return_due_date(law: Law, year) -> np.ndarray:
    """Due date of the return for taxable ``year`` (IRC §6072(a))."""
    year = np.asarray(year, dtype=np.int64)
    m = law.get("sepp.return_due_month", year).astype(np.int64)
    d = law.get("sepp.return_due_day", year).astype(np.int64)
    return days_from_civil(year + 1, m, d).astype("datetime64[D]")


def sepp_modification_cost(law: Law, payment_dates, payments, birth_date, modification_date,
                           end, taxable_share=1.0) -> dict:
    """What breaking the series on ``modification_date`` costs (IRC §72(t)(4)): when it is
    before ``end``, the tax for the year of the modification increases by the additional tax
    that, but for the series, would have been imposed on every payment made before 59½ — 10% of
    the part of each payment includible in gross income (§72(t)(1)) — plus interest for the
    deferral period at the underpayment rate (§6601(a), §6621(a)(2)), compounded daily (§6622)
    from the due date of the return of each payment's year to the due date of the return of the
    modification year.  Death and disability are not modifications (the caller decides).

    ``payment_dates``/``payments`` are ``[n, k]`` (NaT/NaN where none).  ``taxable_share``
    (scalar or ``[n]``) is the part of each payment the 10% tax would have reached: includible
    in income and under §72(t) (:func:`sepp_recaptured_share`; 0 where another exception covers
    every payment).  Returns ``[n]`` arrays: ``modified_early``, ``recaptured_payments`` (the
    payments made before 59½ and the modification), ``recaptured_taxable`` (the part of them the
    tax is recaptured on), ``recapture_tax``, ``interest``, ``total``, ``rate_projected``.
    """
    dates = as_dates(payment_dates)
    pays = np.nan_to_num(np.asarray(payments, dtype=float))
    mod = as_dates(np.atleast_1d(modification_date))
    end = as_dates(np.atleast_1d(end))
    early = ~np.isnat(mod) & (mod < end)
    mod_year = year_of(np.where(early, mod, end))
    at_59_half = age_59_half_date(law, np.atleast_1d(birth_date), mod_year)
    made = (~np.isnat(dates) & (dates < mod[:, None]) & (dates < at_59_half[:, None])
            & early[:, None])
    share = np.broadcast_to(np.asarray(taxable_share, dtype=float), (len(mod),))
    paid = np.where(made, pays, 0.0)
    recaptured = paid * share[:, None]
    rate = law.get("early_distributions.additional_tax_rate", mod_year)
    tax_each = recaptured * rate[:, None]
    pay_year = np.where(made, year_of(dates), mod_year[:, None])
    start = np.where(made, return_due_date(law, pay_year), np.datetime64("NaT"))
    stop = np.where(made, return_due_date(law, mod_year)[:, None], np.datetime64("NaT"))
    factor, projected = _daily_growth(law, start.ravel(), stop.ravel())
    factor, projected = factor.reshape(start.shape), projected.reshape(start.shape)
    interest = (tax_each * (factor - 1.0)).sum(axis=1)
    tax = tax_each.sum(axis=1)
    return {"modified_early": early, "recaptured_payments": paid.sum(axis=1),
            "recaptured_taxable": recaptured.sum(axis=1), "recapture_tax": cents(tax),
            "interest": cents(interest), "total": cents(tax + interest),
            "rate_projected": (projected & made & (share > 0)[:, None]).any(axis=1)}


# -- what the recapture reaches ----------------------------------------------------------------

def _source_taxable(law: Law, b: CaseBatch, birth, first) -> np.ndarray:
    """[n, S]: the taxable part of each dollar a series payment takes from each plan source:
    its after-tax basis and, where the payment is not a qualified distribution, its designated
    Roth contributions come back tax-free in proportion (IRC §72(e)(8), §72(d)(2),
    §402A(d)(2)); qualified Roth money is all tax-free."""
    first_year = year_of(first)
    at_59_half = first >= age_59_half_date(law, birth, first_year)
    qualified = roth_qualified(b.tax_year, plan_roth_first_year(b.roth_first_year),
                               np.atleast_1d(law.get("roth.five_year_period", first_year)),
                               at_59_half, b.disabled)
    return 1.0 - nontaxable_share(b.balance, b.basis, b.roth_contributions, qualified)


def _pro_rata(b: CaseBatch, part) -> np.ndarray:
    """[n]: the part ``part`` ([n, S]) of a payment taken from every source pro rata to its
    vested balance (1 where the account holds nothing vested)."""
    held = b.vested_balance
    total = held.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (held * part).sum(axis=1) / np.where(total > 0, total, 1.0),
                        1.0)


def _from_plan(cases: Sequence[Case]) -> np.ndarray:
    return np.array([c.sepp is None or c.sepp.account == "plan" for c in cases])


def _first_payment(cases: Sequence[Case]) -> np.ndarray:
    """The first payment's date (the request date where a case has no series)."""
    return as_dates([c.request.date if c.sepp is None else c.sepp.first_payment_date
                     for c in cases])


def _shares(law: Law, b: CaseBatch, plan, birth, first) -> tuple[np.ndarray, np.ndarray]:
    """[n]: the taxable share of each payment, from the plan (``plan``) or the traditional IRAs,
    and the part of it under §72(t): all of it, but from a governmental 457(b) only that of the
    money rolled in from another kind of plan or an IRA (§72(t)(9); :func:`exempt_457`)."""
    src = _source_taxable(law, b, birth, first)
    ira = ira_taxable_share(b, law)  # Form 8606 line 10, the year's backdoor Roth in it
    return (np.where(plan, _pro_rata(b, src), ira),
            np.where(plan, _pro_rata(b, src * ~exempt_457(b)), ira))


def sepp_taxable_share(cases: Case | Sequence[Case], law: Law) -> np.ndarray:
    """[n]: the taxable share of each payment of each case's 72(t) series (a single case is a
    batch of one).  From the plan: every source pro rata to its vested balance, its after-tax
    basis and, where not qualified, its designated Roth contributions recovered in proportion
    (IRC §72(e)(8), §72(d)(2), §402A(d)(2)); from the traditional IRAs: 1 − Form 8606 line 10,
    their nondeductible basis and the year's backdoor Roth contribution over their balance and
    its conversion (§408(d)(2); :func:`dist401k.form_8606.ira_taxable_share`).  1 where a case
    has no series."""
    cases = [cases] if isinstance(cases, Case) else list(cases)
    birth = as_dates([c.person.birth_date for c in cases])
    share = _shares(law, CaseBatch.from_cases(cases), _from_plan(cases), birth,
                    _first_payment(cases))[0]
    return np.where([c.sepp is None for c in cases], 1.0, share)


def recapture_exceptions(law: Law, b: CaseBatch, s: SeppBatch) -> dict[str, np.ndarray]:
    """Case masks of the exceptions other than the series that cover every payment, so that
    breaking the series recaptures nothing (§72(t)(4)(A): only the tax that would have been
    imposed): disability (§72(t)(2)(A)(iii); nor is a modification for it one), an inherited
    plan account (death, §72(t)(2)(A)(ii)) and, from the plan after a separation by the first
    payment, the rule of 55 (§72(t)(2)(A)(v)) or, for a qualified public safety employee, of 50
    or 25 years of service (§72(t)(10)) — as :mod:`dist401k.early_distribution` decides them
    for any payment, whatever the age at the request."""
    f = Facts.of(b, law)
    x = exceptions(b, replace(f, at_59_half=np.zeros(len(b), bool), memo={}), "sepp")
    after_separation = s.plan & s.separated
    return {"SP_NO_RECAPTURE_DISABLED": x["PX_DISABILITY"],
            "SP_NO_RECAPTURE_DEATH": x["PX_DEATH"] & s.plan,
            "SP_NO_RECAPTURE_55": x["PX_SEPARATION_55"] & after_separation,
            "SP_NO_RECAPTURE_PUBLIC_SAFETY": x["PX_PUBLIC_SAFETY"] & after_separation}


@dataclass(frozen=True)
class Recapture:
    """What a broken series' recapture reaches, case by case: the taxable share of each payment,
    the share the 10% tax would have reached (``recaptured``: taxable and under §72(t), 0 where
    another exception covers every payment) and those exceptions (:func:`recapture_exceptions`)."""

    taxable: np.ndarray
    recaptured: np.ndarray
    excepted: dict[str, np.ndarray]

    @property
    def covered(self) -> np.ndarray:
        """Another exception covers every payment: nothing to recapture."""
        return np.any(list(self.excepted.values()), axis=0)


def sepp_recaptured_share(law: Law, cases: Sequence[Case], s: SeppBatch) -> Recapture:
    """The share of each payment a broken series recaptures the 10% tax on: the taxable part
    (:func:`sepp_taxable_share`; §72(t)(1) taxes only what is includible in gross income) less,
    from a governmental 457(b), its own money, which §72(t) never reached — only money rolled in
    from another kind of plan or an IRA is under it (§72(t)(9), pro rata as
    :func:`dist401k.early_distribution.exempt_457` says) — and nothing where another exception
    covers every payment (:func:`recapture_exceptions`)."""
    b = CaseBatch.from_cases(list(cases))
    taxable, under_72t = _shares(law, b, s.plan, s.birth, s.first)
    r = Recapture(taxable=taxable, recaptured=under_72t, excepted=recapture_exceptions(law, b, s))
    return replace(r, recaptured=np.where(r.covered, 0.0, under_72t))


# -- cases ------------------------------------------------------------------------------------

def _iso(d) -> str | None:
    return None if np.isnat(d) else str(np.datetime64(d, "D"))


def _money(x) -> float | None:
    """An amount to the cent (:func:`dist401k.money.amount`); None where there is none."""
    return None if x is None or not np.isfinite(x) else amount(x)


def sepp_problems(c: Case, law: Law, row: int | None) -> list[FieldProblem]:
    """Why case ``c`` has no series dist401k can price: no ``sepp`` section, a first payment
    before the life expectancy tables of Notice 2022-6 or not after birth, no balance."""
    s = c.sepp
    if s is None:
        return [FieldProblem("sepp", "is required: the series to price (first payment date, "
                             "federal mid-term rates, table)", row)]
    out = []
    if s.first_payment_date < _dt.date(law.param("rmd.single_life").dates[0].year, 1, 1):
        out.append(FieldProblem("sepp.first_payment_date", "dist401k holds the life "
                                "expectancy tables in force from 2022 (Notice 2022-6); a "
                                "series that began earlier used the older tables", row))
    if s.first_payment_date <= c.person.birth_date:
        out.append(FieldProblem("sepp.first_payment_date", "is not after person.birth_date",
                                row))
    if s.account == "ira" and s.balance is None and c.iras.traditional <= 0:
        out.append(FieldProblem("sepp.balance", "is required: iras.traditional is 0", row))
    if s.account == "plan" and s.balance is None and not any(
            sb.balance > 0 for sb in c.account.sources.values()):
        out.append(FieldProblem("sepp.balance", "is required: the plan account is empty", row))
    return out


@dataclass(frozen=True)
class SeppBatch:
    """The ``sepp`` sections of a batch of cases as arrays (one element per case)."""

    birth: np.ndarray
    first: np.ndarray  # the first payment's date
    midterm: np.ndarray  # [n, 2] the federal mid-term rates given (NaN where one is missing)
    chosen: np.ndarray  # the rate the case chose (NaN: none, the ceiling is used)
    balance: np.ndarray
    table: np.ndarray
    beneficiary_birth: np.ndarray
    growth: np.ndarray
    switch: np.ndarray  # the year of the switch to the RMD method (NaN: none)
    modification: np.ndarray  # the date the series would be broken (NaT: none)
    plan: np.ndarray  # from the employer plan (else from an IRA)
    separated: np.ndarray  # separated from service by the first payment
    gov457: np.ndarray

    @classmethod
    def from_cases(cls, cases: list[Case]) -> SeppBatch:
        secs = [_section(c) for c in cases]
        first = as_dates([x.first_payment_date for x in secs])
        mid = np.full((len(cases), 2), np.nan)
        for i, x in enumerate(secs):
            mid[i, :len(x.federal_midterm_rates)] = x.federal_midterm_rates
        plan = np.array([x.account == "plan" for x in secs])
        sep_date = as_dates([c.employment.separation_date or np.datetime64("NaT")
                             for c in cases])
        return cls(
            birth=as_dates([c.person.birth_date for c in cases]), first=first, midterm=mid,
            chosen=np.array([np.nan if x.interest_rate is None else x.interest_rate
                             for x in secs]),
            balance=np.array([_balance(c) for c in cases]),
            table=np.array([SEPP_TABLES.index(x.table) for x in secs]),
            beneficiary_birth=as_dates([x.beneficiary_birth_date or np.datetime64("NaT")
                                        for x in secs]),
            growth=np.array([c.assumptions.growth if x.assumed_return is None
                             else x.assumed_return for c, x in zip(cases, secs, strict=True)]),
            switch=np.array([np.nan if x.switch_to_rmd_year is None
                             else x.switch_to_rmd_year for x in secs]),
            modification=as_dates([x.modification_date or np.datetime64("NaT")
                                   for x in secs]),
            plan=plan,
            separated=np.array([c.employment.status == "separated" for c in cases])
            & ~np.isnat(sep_date) & (sep_date <= first),
            gov457=np.array([c.plan.type == "governmental_457b" for c in cases]) & plan)


def sepp_reasons(law: Law, s: SeppBatch, rate, ceiling, sch: dict, costs: dict,
                 rc: Recapture) -> dict[str, np.ndarray]:
    """Why, case by case: the exception (§72(t)(2)(A)(iv)), separation first from a plan
    (§72(t)(3)(B)), the rate and its ceiling, the end, the recapture (§72(t)(4)) and what it
    reaches."""
    n = len(s.first)
    every = np.ones(n, bool)
    early = costs["rmd"]["modified_early"]
    recaptured = rc.recaptured > 0
    return {
        "SP_SEPP_EXCEPTION": every,
        "SP_PLAN_SEPARATED": s.plan & s.separated,
        "SP_PLAN_NOT_SEPARATED": s.plan & ~s.separated,
        "SP_IRA": ~s.plan,
        "SP_457B": s.gov457,
        **rc.excepted,
        "SP_AFTER_59_HALF": s.first >= age_59_half_date(law, s.birth, year_of(s.first)),
        "SP_RATE_ABOVE_CEILING": rate_above_ceiling(rate, ceiling),
        "SP_JOINT_NOT_HELD": ~sch["joint_held"],
        "SP_RUNS_UNTIL": every,
        "SP_RMD_RECOMPUTED": every,
        "SP_SWITCH": ~np.isnan(s.switch),
        "SP_MODIFIED_EARLY": early & recaptured,
        "SP_RECAPTURE_TAXABLE_PART": early & ~rc.covered & (rc.taxable < 1.0 - SHARE_NOISE),
        "SP_457B_RECAPTURE_ROLLED_IN": early & s.gov457 & recaptured,
        "SP_457B_NO_RECAPTURE": early & s.gov457 & ~recaptured & ~rc.covered,
        "SP_MODIFIED_AFTER_END": ~np.isnat(s.modification) & ~early,
        "SP_RATE_PROJECTED": np.any([costs[m]["rate_projected"] for m in METHODS], axis=0),
    }


def rate_above_ceiling(rate, ceiling) -> np.ndarray:
    """The chosen rate is above the ceiling (beyond float noise)."""
    return rate > ceiling + RATE_NOISE


def sepp_cases(cases: list[Case], law: Law | None = None) -> list[dict]:
    """The ``sepp`` section of each case → the three schedules, the rate and its ceiling, the
    end of the series, what a modification would cost, and why (reasons with citations).
    Raises :class:`InputError` naming the field when a case cannot be priced."""
    law = law or default_law()
    problems = [p for i, c in enumerate(cases)
                for p in sepp_problems(c, law, i if len(cases) > 1 else None)]
    if problems:
        raise InputError(problems)
    s = SeppBatch.from_cases(cases)
    ceiling = sepp_rate_ceiling(law, year_of(s.first), s.midterm)
    rate = np.where(np.isnan(s.chosen), ceiling, s.chosen)
    sch = sepp_schedule(law, s.birth, s.first, s.balance, rate, s.table, s.beneficiary_birth,
                        SeppProjection(s.growth, s.switch))
    # Each method's price of breaking the series on the modification date: the 10% tax on the
    # part of each payment it would have reached.
    rc = sepp_recaptured_share(law, cases, s)
    costs = {m: sepp_modification_cost(law, sch["date"], sch[f"payment_{m}"], s.birth,
                                       s.modification, sch["end"], rc.recaptured)
             for m in METHODS}
    reasons = sepp_reasons(law, s, rate, ceiling, sch, costs, rc)
    available = (~s.plan | s.separated) & ~reasons["SP_RATE_ABOVE_CEILING"] & sch["joint_held"]
    spelled = reasons_at(reasons, np.arange(len(cases)))[1]
    return [{
        "case_id": c.id, "available": bool(available[i]), "account": _section(c).account,
        "first_payment_date": _iso(s.first[i]), "series_ends": _iso(sch["end"][i]),
        "age_59_half_on": _iso(age_59_half_date(law, s.birth[i:i + 1],
                                                year_of(s.first[i:i + 1]))[0]),
        "balance": _money(s.balance[i]), "table": _section(c).table,
        "interest_rate": float(rate[i]), "rate_ceiling": float(ceiling[i]),
        "rate_chosen_by_user": bool(~np.isnan(s.chosen[i])),
        "federal_midterm_rates": [float(x) for x in _section(c).federal_midterm_rates],
        "assumed_return": float(s.growth[i]),
        "taxable_share": float(rc.taxable[i]), "recaptured_share": float(rc.recaptured[i]),
        "switch_to_rmd_year": None if np.isnan(s.switch[i]) else int(s.switch[i]),
        "first_year": _first_year(sch, i), "schedule": _schedule_rows(sch, i),
        "balance_at_end": {m: _money(sch[f"balance_after_{m}"][i]) for m in METHODS},
        "modification": _modification(s.modification[i], costs, i),
        "reasons": spelled[i], "citations": _citations(law),
        "law_version": law.version,  # the law that answered: the hash of the law files
        "dist401k_version": __version__,  # and the program
    } for i, c in enumerate(cases)]


def _first_year(sch: dict, i: int) -> dict:
    """The first year's life expectancy, factors and payment by each method."""
    return {"life_expectancy": float(sch["life_expectancy"][i, 0]),
            "amortization_factor": round(float(sch["amortization_factor"][i]), FACTOR_DIGITS),
            "annuity_factor": round(float(sch["annuity_factor"][i]), FACTOR_DIGITS),
            **{m: _money(sch[f"payment_{m}"][i, 0]) for m in METHODS}}


def _schedule_rows(sch: dict, i: int) -> list[dict]:
    """Case ``i``'s payments year by year, with the balance before each, by each method."""
    return [{"year": int(sch["year"][i, j]), "date": _iso(sch["date"][i, j]),
             "age": int(sch["age"][i, j]),
             "life_expectancy": float(sch["life_expectancy"][i, j]),
             **{f"payment_{m}": _money(sch[f"payment_{m}"][i, j]) for m in METHODS},
             **{f"balance_{m}": _money(sch[f"balance_{m}"][i, j]) for m in METHODS}}
            for j in range(int(sch["payments"][i]))]


def _modification(day, costs: dict, i: int) -> dict | None:
    """What breaking the series on ``day`` costs by each method (None: no date given)."""
    if np.isnat(day):
        return None
    flags = ("modified_early", "rate_projected")
    keys = ("modified_early", "recaptured_payments", "recaptured_taxable", "recapture_tax",
            "interest", "total", "rate_projected")
    return {"date": _iso(day),
            **{m: {k: bool(costs[m][k][i]) if k in flags else _money(costs[m][k][i])
                   for k in keys} for m in METHODS}}


def _section(c: Case) -> Sepp:
    """The ``sepp`` section of a case that ``sepp_problems`` let through (it has one)."""
    if c.sepp is None:
        raise InputError(FieldProblem("sepp", "is required: the series to price"))
    return c.sepp


def _balance(c: Case) -> float:
    s = _section(c)
    if s.balance is not None:
        return float(s.balance)
    if s.account == "ira":
        return float(c.iras.traditional)
    return float(sum(sb.balance * sb.vested for sb in c.account.sources.values()))


def _citations(law: Law) -> list[dict]:
    names = ("rmd.single_life", "sepp.uniform_lifetime", "rmd.joint_life", "sepp.mortality",
             "sepp.rate_floor", "sepp.midterm_multiple", "sepp.minimum_years",
             "early_distributions.additional_tax_rate", "sepp.underpayment_rate")
    return [{"parameter": n, "citation": law.citation(n)} for n in names]


__all__ = ["sepp_rate_ceiling", "life_expectancy", "annuity_factor", "amortization_factor",
           "sepp_rmd_payment", "sepp_amortization_payment", "sepp_annuitization_payment",
           "age_59_half_date", "sepp_end", "SeppProjection", "sepp_schedule", "sepp_modification_cost",
           "sepp_taxable_share", "recapture_exceptions", "Recapture", "sepp_recaptured_share",
           "sepp_cases"]
