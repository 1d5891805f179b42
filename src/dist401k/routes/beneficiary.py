"""Distributions to the beneficiary of an inherited account (IRC §401(a)(9)(B), (E), (H);
Treas. Reg. §1.401(a)(9)-3, -4, -5 as revised by T.D. 10001; IRS Pub. 590-B).

The case's ``person`` is the beneficiary and ``account`` the inherited account.  Per case:

- **who inherits** (§401(a)(9)(E)): the surviving spouse; an eligible designated beneficiary —
  the employee's child under the age of majority, a disabled or chronically ill individual, an
  individual not more than 10 years younger than the employee; any other individual (a
  designated beneficiary); or no designated beneficiary (estate, charity, non-see-through trust);
- **death before or on/after the required beginning date** (RBD: April 1 after the year of the
  applicable age, later for a plan participant still working).  A Roth IRA owner has no RBD
  (Treas. Reg. §1.408A-6, Q&A-14(b)); nor, under the proposed regulations, has designated Roth
  money from 2024;
- **the method** and this year's required amount: life expectancy from the Single Life Table
  at the beneficiary's age in the year after death, reduced by one each year; a sole spouse
  recalculates each year and may wait until the employee would have reached the applicable
  age; after the RBD the longer of the beneficiary's and the employee's remaining life
  expectancy; the 10-year rule, with annual amounts in years 1–9 when death was on or after the
  RBD (from 2025: Notices 2022-53, 2023-54, 2024-35 waive 2021–2024); a minor child moves to the
  10-year rule at the age of majority; with no designated beneficiary, the 5-year rule before
  the RBD or the employee's remaining life expectancy after it;
- the excise tax on amounts missed in earlier years (§4974), with the relief years.

A beneficiary may always take more than the minimum: the whole balance is available.  Every
dollar paid to a beneficiary is free of the §72(t) additional tax (§72(t)(2)(A)(ii)) unless a
spouse treated the account as their own (:mod:`dist401k.early_distribution`).
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import RELATIONSHIPS, SPOUSE_ELECTIONS
from dist401k.dates import _days, _ymd, anniversary, year_of
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts
from dist401k.routes.rmd import applicable_age

KINDS = ("none", "spouse", "minor_child", "disabled", "chronically_ill", "close_in_age",
         "designated", "non_designated")
METHODS = ("none", "spouse_life_expectancy", "spouse_as_employee", "own_account",
           "life_expectancy", "minor_then_ten_year", "ten_year_with_annual", "ten_year",
           "five_year", "deceased_life_expectancy")
REL = {k: i for i, k in enumerate(RELATIONSHIPS)}
ELECT = {k: i for i, k in enumerate(SPOUSE_ELECTIONS)}


def _dec31(year) -> np.ndarray:
    y = np.asarray(year, dtype=np.int64)
    one = np.ones_like(y)
    return (_days(y + 1, one, one) - 1).astype("datetime64[D]")


def single_life(law, year, age) -> np.ndarray:
    """Single Life Table (Treas. Reg. §1.401(a)(9)-9(b)) for the age attained in a year."""
    return law.table("rmd.single_life", year, np.clip(np.asarray(age, dtype=float), 0, None))


def _uniform_or_single(law, year, age):
    """Uniform Lifetime Table where dist401k holds it; (divisor, True where it does not and the
    Single Life Table stands in)."""
    first = min(law.param("rmd.uniform_lifetime").keys)
    age = np.asarray(age, dtype=float)
    missing = age < first
    return np.where(missing, single_life(law, year, age),
                    law.table("rmd.uniform_lifetime", year, age)), missing


def relief_notice(law, year, missed_year) -> np.ndarray:
    """The notice (year × 100 + number) waiving the excise on a missed 10-year-rule annual RMD
    of ``missed_year``, 0 where none does."""
    my = np.asarray(missed_year, dtype=float)
    hit = np.isin(my, law.key_array("beneficiary.ten_year_relief"))
    code = law.table("beneficiary.ten_year_relief", np.broadcast_to(year, my.shape),
                     np.nan_to_num(my))
    return np.where(hit, code, 0).astype(np.int64)


def beneficiary(b: CaseBatch, f: Facts) -> RouteResult:
    law, lk = f.law, f.lk
    year = b.tax_year.astype(np.int64)
    n = len(b)
    heir = np.asarray(b.inherited, bool)
    if not heir.any():
        return _no_heirs(b)
    # Rows without an inherited account get harmless stand-ins (masked out at the end).
    dod = np.where(heir, b.date_of_death, b.request_date).astype("datetime64[D]")
    dec_birth = np.where(heir, b.deceased_birth_date, b.birth_date).astype("datetime64[D]")
    dy = year_of(dod)
    dby, dbm, _ = _ymd(dec_birth)
    bby = year_of(b.birth_date)
    rel = np.asarray(b.relationship)
    election = np.asarray(b.spouse_election)
    roth = np.asarray(b.inherited_roth, bool)
    ira = np.asarray(b.inherited_ira, bool)

    # -- the employee's required beginning date -------------------------------------------
    age_app = applicable_age(law, year, dec_birth)
    months = np.round(age_app * 12).astype(np.int64)
    app_year = (dby * 12 + (dbm - 1) + months) // 12  # the year the employee reaches it
    month = lk.get("rmd.first_deadline_month").astype(np.int64)
    rbd_by_age = _days(app_year + 1, month, np.ones_like(month)).astype("datetime64[D]")
    override = ~np.isnat(b.deceased_rbd)
    rbd = np.where(override, b.deceased_rbd, rbd_by_age).astype("datetime64[D]")
    after_rbd = (dod >= rbd) & ~roth

    # -- who inherits ----------------------------------------------------------------------
    majority = lk.get("beneficiary.majority_age")
    gap = lk.get("beneficiary.edb_age_gap")
    spouse = rel == REL["spouse"]
    person = np.isin(rel, [REL["spouse"], REL["child"], REL["individual"]])
    adult_on = anniversary(b.birth_date, np.round(majority).astype(np.int64))
    minor = (rel == REL["child"]) & (dod < adult_on)
    disabled = person & np.asarray(b.beneficiary_disabled, bool)
    chronic = person & np.asarray(b.chronically_ill, bool)
    close = person & (b.birth_date <= anniversary(dec_birth, np.round(gap).astype(np.int64)))
    nondesignated = rel == REL["non_designated"]
    kind = np.select([~heir, spouse, minor, disabled, chronic, close, person, nondesignated],
                     [KINDS.index(k) for k in KINDS], 0)
    edb = heir & np.isin(kind, [KINDS.index(k) for k in ("spouse", "minor_child", "disabled",
                                                          "chronically_ill", "close_in_age")])
    # Deaths before the 10-year rule took effect: every designated beneficiary may stretch.
    ten = law.get("beneficiary.ten_year_period", dy, before=np.nan)
    pre_secure = np.isnan(ten)
    ten = np.nan_to_num(ten).astype(np.int64)

    # -- the method ------------------------------------------------------------------------
    sole_spouse = spouse & np.asarray(b.sole_beneficiary, bool)
    own = spouse & (election == ELECT["own"])
    as_employee = sole_spouse & (election == ELECT["employee"])
    ten_elected = edb & ~pre_secure & np.asarray(b.elected_ten_year, bool) & ~after_rbd
    stretch = person & (edb | pre_secure) & ~ten_elected
    method = np.select(
        [~heir, own, stretch & as_employee, stretch & sole_spouse,
         stretch & (kind == KINDS.index("minor_child")) & ~pre_secure, stretch,
         person & after_rbd, person, nondesignated & ~after_rbd, nondesignated],
        [METHODS.index(m) for m in ("none", "own_account", "spouse_as_employee",
                                    "spouse_life_expectancy", "minor_then_ten_year",
                                    "life_expectancy", "ten_year_with_annual", "ten_year",
                                    "five_year", "deceased_life_expectancy")], 0)
    is_m = {m: method == METHODS.index(m) for m in METHODS}

    # -- distribution periods for this year ------------------------------------------------
    first_year = dy + 1
    bene_first = single_life(law, year, first_year - bby) - (year - first_year)
    dec_left = single_life(law, year, dy - dby) - (year - dy)
    spouse_now = single_life(law, year, year - bby)
    ult_spouse, ult_missing = _uniform_or_single(law, year, year - bby)
    longer = np.where(after_rbd, np.maximum(bene_first, dec_left), bene_first)
    divisor = np.select(
        [is_m["spouse_life_expectancy"], is_m["spouse_as_employee"],
         is_m["life_expectancy"] | is_m["minor_then_ten_year"] | is_m["ten_year_with_annual"],
         is_m["deceased_life_expectancy"]],
        [np.where(after_rbd, np.maximum(spouse_now, dec_left), spouse_now),
         np.where(after_rbd, np.maximum(ult_spouse, dec_left), ult_spouse),
         longer, dec_left], np.nan)

    # The spouse of an employee who died before the RBD may wait until the employee would
    # have reached the applicable age (§401(a)(9)(B)(iv)(II)).
    spouse_start = np.where(after_rbd, first_year, np.maximum(first_year, app_year))
    start = np.where(is_m["spouse_life_expectancy"] | is_m["spouse_as_employee"], spouse_start,
                     first_year)
    # A spouse who treats the account as their own takes an owner's RMDs, from the year of
    # their own applicable age (Uniform Lifetime Table).
    sy, sm, _ = _ymd(b.birth_date)
    own_age = applicable_age(law, year, b.birth_date)
    own_first = (sy * 12 + (sm - 1) + np.round(own_age * 12).astype(np.int64)) // 12
    own_div = law.table("rmd.uniform_lifetime", year, year - bby)
    start = np.where(is_m["own_account"], own_first, start)
    divisor = np.where(is_m["own_account"], own_div, divisor)

    # -- the year the account must be empty ------------------------------------------------
    adult_year = year_of(adult_on)
    five = law.get("beneficiary.five_year_period", dy).astype(np.int64)
    five_end = dy + five
    skip = law.param("beneficiary.five_year_disregarded")
    skipped = np.zeros(n, bool)
    for y_skip in sorted(skip.keys):  # each disregarded year pushes the end one year later
        counted = law.table("beneficiary.five_year_disregarded", year, y_skip).astype(bool)
        moves = counted & (y_skip > dy) & (y_skip <= five_end)
        five_end = five_end + moves
        skipped |= moves
    empty_by = np.select(
        [is_m["ten_year"] | is_m["ten_year_with_annual"], is_m["minor_then_ten_year"],
         is_m["five_year"]],
        [dy + ten, adult_year + ten, five_end], -1)
    has_end = empty_by > 0

    # -- this year's required amount -------------------------------------------------------
    balance = b.vested_balance.sum(axis=1)
    prior = np.where(heir, b.inherited_prior_balance, 0.0)
    relief_code = relief_notice(law, year, year)
    relief_now = is_m["ten_year_with_annual"] & (relief_code > 0)
    annual = np.isin(method, [METHODS.index(m) for m in (
        "spouse_life_expectancy", "spouse_as_employee", "own_account", "life_expectancy",
        "minor_then_ten_year", "ten_year_with_annual", "deceased_life_expectancy")])
    annual_due = annual & (year >= start) & ~relief_now
    with np.errstate(divide="ignore", invalid="ignore"):
        periodic = np.where(divisor > 1, prior / divisor, prior)
    empty_now = heir & has_end & (year >= empty_by)
    # In the year of death after the RBD, the employee's own RMD for that year is still due
    # (Treas. Reg. §1.401(a)(9)-5(b)(5)).
    dec_age_now = dy - dby
    death_year_rmd = heir & after_rbd & (year == dy) & ~is_m["own_account"]
    dec_div = law.table("rmd.uniform_lifetime", year, np.maximum(dec_age_now, 0))
    dec_rmd = np.where(death_year_rmd, prior / dec_div, 0.0)
    divisor = np.where(death_year_rmd, dec_div, divisor)
    distributed = np.where(heir, b.inherited_distributed, 0.0)
    required = np.select([~heir, empty_now, death_year_rmd, annual_due],
                         [0.0, balance + distributed, dec_rmd, np.minimum(periodic, prior)], 0.0)
    remaining = np.minimum(np.maximum(0.0, required - distributed), balance)
    deadline = _dec31(year)

    # -- excise tax on amounts missed in earlier years ---------------------------------------
    my = b.missed_year
    present = ~np.isnan(my)
    my_f = np.where(present, my, year[:, None])
    # Only annual amounts of years 1-9 are waived, never the employee's year-of-death RMD.
    notice = np.where(present & is_m["ten_year_with_annual"][:, None] & (my_f > dy[:, None]),
                      relief_notice(law, year[:, None], my_f), 0)
    yy = my_f.astype(np.int64)
    full_rate = law.get("rmd.excise_rate", yy)
    low_rate = law.get("rmd.excise_rate_corrected", yy, before=np.nan)
    rate = np.where(np.asarray(b.missed_corrected, bool) & ~np.isnan(low_rate), low_rate,
                    full_rate)
    excise = np.where(present & (notice == 0), rate * b.missed_shortfall, 0.0)
    excise_total = excise.sum(axis=1) if excise.shape[1] else np.zeros(n)

    # -- eligibility: the whole balance may be taken ----------------------------------------
    has = b.balance > 0
    eligible = heir[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    c = heir  # case-level masks below are only for inherited accounts
    notices = np.unique(notice[notice > 0]) if notice.size else np.array([], np.int64)
    reasons = {
        "BN_MAY_TAKE_ALL": c & has.any(axis=1),
        "BN_SPOUSE": c & (kind == KINDS.index("spouse")),
        "BN_MINOR_CHILD": c & (kind == KINDS.index("minor_child")),
        "BN_DISABLED": c & (kind == KINDS.index("disabled")),
        "BN_CHRONICALLY_ILL": c & (kind == KINDS.index("chronically_ill")),
        "BN_CLOSE_IN_AGE": c & (kind == KINDS.index("close_in_age")),
        "BN_DESIGNATED": c & (kind == KINDS.index("designated")),
        "BN_NON_DESIGNATED": c & nondesignated,
        "BN_PRE_2020_DEATH": c & pre_secure & person,
        "BN_AFTER_RBD": c & after_rbd,
        "BN_BEFORE_RBD": c & ~after_rbd & ~roth,
        "BN_RBD_OVERRIDE": c & override,
        "BN_ROTH_IRA_NO_RBD": c & roth & ira,
        "BN_ROTH_PLAN_NO_RBD": c & roth & ~ira,
        "BN_LIFE_EXPECTANCY": c & (is_m["life_expectancy"] | is_m["minor_then_ten_year"]),
        "BN_LONGER_OF": c & after_rbd & np.isin(method, [METHODS.index(m) for m in (
            "life_expectancy", "minor_then_ten_year", "ten_year_with_annual",
            "spouse_life_expectancy", "spouse_as_employee")]),
        "BN_SPOUSE_RECALCULATES": c & is_m["spouse_life_expectancy"],
        "BN_SPOUSE_DELAY": c & (is_m["spouse_life_expectancy"] | is_m["spouse_as_employee"])
        & ~after_rbd,
        "BN_SPOUSE_AS_EMPLOYEE": c & is_m["spouse_as_employee"],
        "BN_SPOUSE_ELECTION_UNSETTLED": c & is_m["spouse_life_expectancy"] & ~after_rbd,
        "BN_ULT_NOT_HELD": c & is_m["spouse_as_employee"] & ult_missing,
        "BN_SPOUSE_OWN": c & is_m["own_account"],
        "BN_SPOUSE_OPTIONS": c & spouse & ~own,
        "BN_MINOR_TEN_YEAR": c & is_m["minor_then_ten_year"],
        "BN_TEN_YEAR": c & is_m["ten_year"],
        "BN_TEN_YEAR_ANNUAL": c & is_m["ten_year_with_annual"],
        "BN_TEN_YEAR_ELECTED": c & ten_elected,
        "BN_ELECTION_TOO_LATE": c & np.asarray(b.elected_ten_year, bool) & ~ten_elected,
        "BN_FIVE_YEAR": c & is_m["five_year"],
        "BN_FIVE_YEAR_SKIPPED": c & is_m["five_year"] & skipped,
        "BN_DECEASED_LIFE": c & is_m["deceased_life_expectancy"],
        "BN_YEAR_OF_DEATH_RMD": c & death_year_rmd,
        "BN_REQUIRED": c & (required > 0) & ~empty_now,
        "BN_EMPTY_THIS_YEAR": c & empty_now & (year == empty_by),
        "BN_PAST_DEADLINE": c & empty_now & (year > empty_by),
        "BN_NOTHING_DUE": c & (required <= 0),
        "BN_RELIEF_THIS_YEAR": c & relief_now,
        "BN_NOT_ROLLABLE": c & (remaining > 0),
        "BN_NO_72T": c & ~own,
        "BN_OWN_72T": c & own & ~f.at_59_half,
        "BN_ROTH_CLOCK": c & roth,
        "BN_EXCISE_OWED": c & (excise_total > 0.005),
    }
    for code in notices:
        reasons[f"BN_RELIEF_NOTICE_{int(code) // 100}_{int(code) % 100}"] = c & (
            notice == code).any(axis=1)
    return RouteResult("beneficiary", eligible, available, reasons, limit=None, extra={
        "kind": kind, "method": method, "after_rbd": after_rbd,
        "rbd": np.where(roth | ~heir, np.datetime64("NaT"), rbd).astype("datetime64[D]"),
        "required": required, "remaining": remaining, "divisor": np.where(
            np.isnan(divisor) | (required <= 0) | empty_now, np.nan, divisor),
        "start_year": start.astype(float), "deadline": deadline,
        "empty_by": np.where(has_end, empty_by, -1).astype(float),
        "excise": excise_total, "missed_excise": excise, "missed_notice": notice,
        "missed_rate": np.where(present & (notice == 0), rate, 0.0),
        "missed_year": my, "missed_shortfall": np.where(present, b.missed_shortfall, 0.0),
    })


def _no_heirs(b: CaseBatch) -> RouteResult:
    """A batch with no inherited account (the usual one): the route is closed everywhere."""
    n, shape = len(b), b.balance.shape
    zero, nat = np.zeros(n), np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    missed = np.zeros((n, b.missed_year.shape[1]))
    return RouteResult("beneficiary", np.zeros(shape, bool), np.zeros(shape), {}, None, {
        "kind": np.zeros(n, np.int64), "method": np.zeros(n, np.int64),
        "after_rbd": np.zeros(n, bool), "rbd": nat, "required": zero, "remaining": zero,
        "divisor": np.full(n, np.nan), "start_year": zero, "deadline": nat,
        "empty_by": np.full(n, -1.0), "excise": zero, "missed_excise": missed,
        "missed_notice": missed.astype(np.int64), "missed_rate": missed,
        "missed_year": np.full(missed.shape, np.nan), "missed_shortfall": missed})
