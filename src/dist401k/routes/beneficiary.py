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
  money (read from the sources) of an employee who died from 2024 — a mixed account's Roth
  money is then figured apart (:func:`split_parts`);
- **the method** and this year's required amount: life expectancy from the Single Life Table
  at the beneficiary's age in the year after death, reduced by one each year; a sole spouse
  recalculates each year and may wait until the employee would have reached the applicable
  age, or elects to be treated as the employee (§401(a)(9)(B)(iv): before the RBD only); after
  the RBD the longer of the beneficiary's and the employee's remaining life
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

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import DESTINATION_CHOICES, RELATIONSHIPS, SPOUSE_ELECTIONS
from dist401k.dates import MONTHS_PER_YEAR, anniversary, days_from_civil, year_month_day, year_of
from dist401k.money import HALF_CENT
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts
from dist401k.routes.rmd import applicable_age, rmd_divisor
from dist401k.sources import ROTH

KINDS = ("none", "spouse", "minor_child", "disabled", "chronically_ill", "close_in_age",
         "designated", "non_designated")
METHODS = ("none", "spouse_life_expectancy", "spouse_as_employee", "own_account",
           "life_expectancy", "minor_then_ten_year", "ten_year_with_annual", "ten_year",
           "five_year", "deceased_life_expectancy")
#: The eligible designated beneficiaries (§401(a)(9)(E)(ii)).
EDB_KINDS = ("spouse", "minor_child", "disabled", "chronically_ill", "close_in_age")
#: The methods that require an amount every year.
ANNUAL_METHODS = ("spouse_life_expectancy", "spouse_as_employee", "own_account",
                  "life_expectancy", "minor_then_ten_year", "ten_year_with_annual",
                  "deceased_life_expectancy")
#: A relief notice is keyed year × NOTICE_KEY + number (Notice 2024-35: 202435).
NOTICE_KEY = 100
REL = {k: i for i, k in enumerate(RELATIONSHIPS)}
ELECT = {k: i for i, k in enumerate(SPOUSE_ELECTIONS)}


def paid_from_ira(b: CaseBatch) -> np.ndarray:
    """Cases whose payment comes from an IRA: an inherited IRA, or the surviving spouse's own
    IRA where the spouse made the account their own (``spouse_election: own``: rolled it over
    into their IRA, §402(c)(9), or treated an inherited IRA as theirs, §408(d)(3)(C), Treas.
    Reg. §1.408-8(c)).  Such a payment is no eligible rollover distribution (§3405(c)(3),
    §402(c)(4)): 10% withheld unless elected otherwise (§3405(b)), and its Form 1099-R has the
    IRA/SEP/SIMPLE box checked."""
    heir = np.asarray(b.inherited, bool)
    own = (np.asarray(b.relationship) == REL["spouse"]) & (
        np.asarray(b.spouse_election) == ELECT["own"])
    return heir & (np.asarray(b.inherited_ira, bool) | own)


#: The destinations a designated beneficiary other than the surviving spouse may ask for: a
#: direct trustee-to-trustee transfer to an inherited IRA, or an inherited Roth IRA
#: (§402(c)(11)(A); Notice 2008-30, Q&A-7).
HEIR_TRANSFERS = ("traditional_ira", "roth_ira")


def may_roll_to(b: CaseBatch, dest: str) -> np.ndarray:
    """Cases whose payment as beneficiary may go to ``dest``: cash always; an eligible
    rollover distribution from a plan (not from an IRA, :func:`paid_from_ira`) to a surviving
    spouse anywhere the participant's could go, a direct or 60-day rollover to the spouse's own
    IRA or plan (§402(c)(9)); to any other designated beneficiary only by a direct
    trustee-to-trustee transfer to an inherited IRA or inherited Roth IRA set up for the
    beneficiary in the deceased's name (§402(c)(11)(A); Notice 2008-30, Q&A-7), no 60-day
    rollover and no rollover to the beneficiary's own IRA or plan; to an estate, none
    (§402(c)(11) reaches a designated beneficiary only)."""
    heir = np.asarray(b.inherited, bool)
    if dest == "cash":
        return heir
    rel = np.asarray(b.relationship)
    plan = heir & ~paid_from_ira(b)
    if dest not in HEIR_TRANSFERS:
        return plan & (rel == REL["spouse"])
    return plan & (rel != REL["non_designated"])


def closed_destination_reasons(b: CaseBatch, c: np.ndarray) -> dict[str, np.ndarray]:
    """Why the destination the request asks for (``request.destination``) is not open to the
    beneficiary (:func:`may_roll_to`): from an IRA; to an estate; to a beneficiary other than
    the surviving spouse, any destination but the transfer to an inherited IRA."""
    asked = np.asarray(b.destination)
    names = np.asarray(DESTINATION_CHOICES, dtype=object)[asked]
    rollover = c & (names != "cash") & (names != "all")
    shut = np.zeros(len(c), bool)
    for dest in DESTINATION_CHOICES:
        if dest not in ("cash", "all"):
            shut |= (names == dest) & ~may_roll_to(b, dest)
    rel = np.asarray(b.relationship)
    from_ira = paid_from_ira(b)
    estate = rel == REL["non_designated"]
    return {"BN_DEST_FROM_IRA": rollover & shut & from_ira,
            "BN_DEST_ESTATE": rollover & shut & ~from_ira & estate,
            "BN_DEST_TRANSFER_ONLY": rollover & shut & ~from_ira & ~estate}


def estate_heir(b: CaseBatch) -> np.ndarray:
    """Cases whose heir is no individual (``relationship: non_designated``: an estate, taken
    here as the usual one): its income tax is an estate's, on Form 1041
    (:mod:`dist401k.tax.fiduciary`), not an individual's."""
    return np.asarray(b.inherited, bool) & (np.asarray(b.relationship) == REL["non_designated"])


def _dec31(year) -> np.ndarray:
    y = np.asarray(year, dtype=np.int64)
    one = np.ones_like(y)
    return (days_from_civil(y + 1, one, one) - 1).astype("datetime64[D]")


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


@dataclass(frozen=True)
class Inheritance:
    """The facts of each inherited account: the employee's death and birth, the heir's birth
    and relationship.  Rows without an inherited account get harmless stand-ins (masked out
    at the end)."""

    heir: np.ndarray
    year: np.ndarray  # the distribution year
    dod: np.ndarray  # date of death
    dy: np.ndarray  # year of death
    dec_birth: np.ndarray
    dby: np.ndarray  # the employee's birth year
    dbm: np.ndarray  # and month
    bby: np.ndarray  # the beneficiary's birth year
    rel: np.ndarray
    election: np.ndarray
    roth: np.ndarray  # the whole account is Roth money (a Roth IRA, or designated Roth only)
    ira: np.ndarray
    roth_share: np.ndarray  # the share of the account that is Roth money

    @classmethod
    def of(cls, b: CaseBatch) -> Inheritance:
        heir = np.asarray(b.inherited, bool)
        dod = np.where(heir, b.date_of_death, b.request_date).astype("datetime64[D]")
        dec_birth = np.where(heir, b.deceased_birth_date, b.birth_date).astype("datetime64[D]")
        dby, dbm, _ = year_month_day(dec_birth)
        ira = np.asarray(b.inherited_ira, bool)
        share = roth_share(b)
        return cls(heir=heir, year=b.tax_year.astype(np.int64), dod=dod, dy=year_of(dod),
                   dec_birth=dec_birth, dby=dby, dbm=dbm, bby=year_of(b.birth_date),
                   rel=np.asarray(b.relationship), election=np.asarray(b.spouse_election),
                   roth=heir & (share >= 1), ira=ira, roth_share=np.where(heir, share, 0.0))


def roth_share(b: CaseBatch) -> np.ndarray:
    """The share of each inherited account that is Roth money.  An IRA is a Roth IRA or not
    as ``beneficiary.roth`` says (all or none).  A plan account's designated Roth money
    (§402A: the Roth sources) is read from its sources, not from the flag: an account of Roth
    sources only is Roth money whether or not ``roth`` is given (the flag, kept for
    compatibility, adds nothing there; with other money it is refused when the case is read);
    an account of both is split by vested balance, as its prior year-end balance is by
    default the vested balance of all its sources."""
    flag = np.asarray(b.inherited_roth, bool).astype(float)
    vested = b.vested_balance
    total = vested.sum(axis=1)
    roth = np.where(ROTH[None, :], vested, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        plan = np.where(total > 0, roth / total, flag)
    return np.where(np.asarray(b.inherited_ira, bool), flag, np.clip(plan, 0.0, 1.0))


class Rbd(NamedTuple):
    """The employee's required beginning date, and whether death was on or after it."""

    rbd: np.ndarray
    override: np.ndarray  # the case gave the date (a plan participant still working)
    app_year: np.ndarray  # the year the employee reached (or would reach) the applicable age
    after_rbd: np.ndarray  # for the account (for a mixed account, its other money)
    roth_no_rbd: np.ndarray  # its Roth money has no RBD
    after_rbd_roth: np.ndarray  # for the Roth money of the account


def roth_has_no_rbd(law, h: Inheritance) -> np.ndarray:
    """Whether Roth money of the account has no required beginning date: a Roth IRA never
    (Treas. Reg. §1.408A-6, Q&A-14(b)); designated Roth money where the employee died in a
    year it owed no RMD in the employee's life (§402A(d)(5), taxable years beginning after
    December 31, 2023, SECURE 2.0 §325(b); Prop. Treas. Reg. §1.401(a)(9)-5, REG-103529-23) —
    law ``beneficiary.designated_roth_no_rbd`` by the year of death.  Before 2024 the employee
    owed lifetime RMDs on it, so a death on or after the RBD follows the other money's rule."""
    plan_roth = law.get("beneficiary.designated_roth_no_rbd", h.dy, before=0.0).astype(bool)
    return h.ira | plan_roth


def required_beginning_date(law, lk, b: CaseBatch, h: Inheritance) -> Rbd:
    """April 1 after the year of the applicable age (§401(a)(9)(C)); a Roth IRA owner has none
    (Treas. Reg. §1.408A-6, Q&A-14(b)), nor designated Roth money of a death from 2024
    (:func:`roth_has_no_rbd`)."""
    age_app = applicable_age(law, h.year, h.dec_birth)
    months = np.round(age_app * MONTHS_PER_YEAR).astype(np.int64)
    app_year = (h.dby * MONTHS_PER_YEAR + (h.dbm - 1) + months) // MONTHS_PER_YEAR
    month = lk.get("rmd.first_deadline_month").astype(np.int64)
    rbd_by_age = days_from_civil(app_year + 1, month, np.ones_like(month)).astype("datetime64[D]")
    override = ~np.isnat(b.deceased_rbd)
    rbd = np.where(override, b.deceased_rbd, rbd_by_age).astype("datetime64[D]")
    past = h.dod >= rbd
    no_rbd = roth_has_no_rbd(law, h)
    return Rbd(rbd=rbd, override=override, app_year=app_year,
               after_rbd=past & ~(h.roth & no_rbd), roth_no_rbd=no_rbd,
               after_rbd_roth=past & ~no_rbd)


class Heir(NamedTuple):
    """Who inherits (§401(a)(9)(E))."""

    kind: np.ndarray  # index in KINDS
    spouse: np.ndarray
    person: np.ndarray  # an individual (not an estate, charity or trust)
    edb: np.ndarray  # an eligible designated beneficiary
    nondesignated: np.ndarray
    adult_on: np.ndarray  # the day a child reaches the age of majority
    pre_secure: np.ndarray  # death before the 10-year rule took effect
    governmental_wait: np.ndarray  # ...for a governmental plan only (deaths of 2020–2021)
    ten: np.ndarray  # the 10-year rule's years


def who_inherits(law, lk, b: CaseBatch, h: Inheritance) -> Heir:
    """The surviving spouse; an eligible designated beneficiary — disabled or chronically ill,
    a minor child, not more than the law's years younger (§401(a)(9)(E)(ii)); any other
    individual; or no designated beneficiary.  The status is determined at the death
    (§401(a)(9)(E)(ii), last sentence; Treas. Reg. §1.401(a)(9)-4(e)(1)), and a child disabled
    or chronically ill then is an eligible designated beneficiary under subclause (III) or (IV)
    as well as (II): the end at majority of (E)(iii) ends only the minor child's status, so
    such a child is classed as disabled (life expectancy, no 10-year end)."""
    rel = h.rel
    spouse = rel == REL["spouse"]
    person = np.isin(rel, [REL["spouse"], REL["child"], REL["individual"]])
    adult_on = anniversary(b.birth_date, np.round(lk.get("beneficiary.majority_age"))
                           .astype(np.int64))
    minor = (rel == REL["child"]) & (h.dod < adult_on)
    disabled = person & np.asarray(b.beneficiary_disabled, bool)
    chronic = person & np.asarray(b.chronically_ill, bool)
    gap = lk.get("beneficiary.edb_age_gap")
    close = person & (b.birth_date <= anniversary(h.dec_birth, np.round(gap).astype(np.int64)))
    nondesignated = rel == REL["non_designated"]
    order = ((~h.heir, "none"), (spouse, "spouse"), (disabled, "disabled"),
             (chronic, "chronically_ill"), (minor, "minor_child"), (close, "close_in_age"),
             (person, "designated"), (nondesignated, "non_designated"))
    kind = np.select([c for c, _ in order], [KINDS.index(k) for _, k in order], 0)
    edb = h.heir & np.isin(kind, [KINDS.index(k) for k in EDB_KINDS])
    # Deaths before the 10-year rule took effect: every designated beneficiary may stretch.
    # A governmental plan's (§414(d)) took effect two years later (SECURE Act §401(b)).
    ten_all = law.get("beneficiary.ten_year_period", h.dy, before=np.nan)
    governmental = np.asarray(b.governmental, bool) & ~h.ira
    ten = np.where(governmental,
                   law.get("beneficiary.ten_year_period_governmental", h.dy, before=np.nan),
                   ten_all)
    return Heir(kind=kind, spouse=spouse, person=person, edb=edb, nondesignated=nondesignated,
                adult_on=adult_on, pre_secure=np.isnan(ten),
                governmental_wait=np.isnan(ten) & ~np.isnan(ten_all),
                ten=np.nan_to_num(ten).astype(np.int64))


class Method(NamedTuple):
    """The distribution method of each heir."""

    method: np.ndarray  # index in METHODS
    is_m: dict[str, np.ndarray]
    own: np.ndarray  # a spouse who treats the account as their own
    ten_elected: np.ndarray
    employee_too_late: np.ndarray  # the §401(a)(9)(B)(iv) election, made after the RBD


def distribution_method(b: CaseBatch, h: Inheritance, who: Heir, after_rbd) -> Method:
    """A spouse's own account, the employee's stand-in (before the RBD only) or life
    expectancy; an eligible designated beneficiary's life expectancy (a minor's until majority,
    then 10 years) unless the 10-year rule is elected; 10 years (with annual amounts after the
    RBD); with no designated beneficiary, 5 years before the RBD, the employee's life
    expectancy after."""
    sole_spouse = who.spouse & np.asarray(b.sole_beneficiary, bool)
    own = who.spouse & (h.election == ELECT["own"])
    # The election of §401(a)(9)(B)(iv) belongs to the beneficiary of clause (iii), the
    # exception to clause (ii)'s 5-year rule for a death before distributions begin: after the
    # RBD clause (i) and Treas. Reg. §1.401(a)(9)-5(d)(1)(ii) govern, and it is ignored.
    elected_employee = who.spouse & (h.election == ELECT["employee"])
    as_employee = sole_spouse & elected_employee & ~after_rbd
    ten_elected = who.edb & ~who.pre_secure & np.asarray(b.elected_ten_year, bool) & ~after_rbd
    stretch = who.person & (who.edb | who.pre_secure) & ~ten_elected
    nd = who.nondesignated
    method = np.select(
        [~h.heir, own, stretch & as_employee, stretch & sole_spouse,
         stretch & (who.kind == KINDS.index("minor_child")) & ~who.pre_secure, stretch,
         who.person & after_rbd, who.person, nd & ~after_rbd, nd],
        [METHODS.index(m) for m in ("none", "own_account", "spouse_as_employee",
                                    "spouse_life_expectancy", "minor_then_ten_year",
                                    "life_expectancy", "ten_year_with_annual", "ten_year",
                                    "five_year", "deceased_life_expectancy")], 0)
    return Method(method=method, is_m={m: method == METHODS.index(m) for m in METHODS},
                  own=own, ten_elected=ten_elected,
                  employee_too_late=elected_employee & after_rbd)


class Period(NamedTuple):
    """This year's divisor and the first year a distribution is required."""

    divisor: np.ndarray
    start: np.ndarray
    ult_missing: np.ndarray  # the Uniform Lifetime Table does not reach the spouse's age


def distribution_period(law, b: CaseBatch, h: Inheritance, m: Method, rbd: Rbd) -> Period:
    """Single Life Table at the beneficiary's age in the year after death, less one a year; a
    spouse recalculates; after the RBD the longer of the beneficiary's and the employee's
    remaining life expectancy (Treas. Reg. §1.401(a)(9)-5(d)); a spouse's own account takes
    an owner's RMDs from their own applicable age (Uniform Lifetime Table)."""
    year, is_m, after_rbd = h.year, m.is_m, rbd.after_rbd
    first_year = h.dy + 1
    bene_first = single_life(law, year, first_year - h.bby) - (year - first_year)
    dec_left = single_life(law, year, h.dy - h.dby) - (year - h.dy)
    spouse_now = single_life(law, year, year - h.bby)
    ult_spouse, ult_missing = _uniform_or_single(law, year, year - h.bby)
    longer = np.where(after_rbd, np.maximum(bene_first, dec_left), bene_first)
    divisor = np.select(  # the employee's stand-in is only ever before the RBD
        [is_m["spouse_life_expectancy"], is_m["spouse_as_employee"],
         is_m["life_expectancy"] | is_m["minor_then_ten_year"] | is_m["ten_year_with_annual"],
         is_m["deceased_life_expectancy"]],
        [np.where(after_rbd, np.maximum(spouse_now, dec_left), spouse_now), ult_spouse,
         longer, dec_left], np.nan)
    # The spouse of an employee who died before the RBD may wait until the employee would
    # have reached the applicable age (§401(a)(9)(B)(iv)(II)).
    spouse_start = np.where(after_rbd, first_year, np.maximum(first_year, rbd.app_year))
    start = np.where(is_m["spouse_life_expectancy"] | is_m["spouse_as_employee"], spouse_start,
                     first_year)
    sy, sm, _ = year_month_day(b.birth_date)
    own_age = applicable_age(law, year, b.birth_date)
    own_first = (sy * MONTHS_PER_YEAR + (sm - 1)
                 + np.round(own_age * MONTHS_PER_YEAR).astype(np.int64)) // MONTHS_PER_YEAR
    own_div = law.table("rmd.uniform_lifetime", year, year - h.bby)
    return Period(divisor=np.where(is_m["own_account"], own_div, divisor),
                  start=np.where(is_m["own_account"], own_first, start), ult_missing=ult_missing)


class EmptyBy(NamedTuple):
    """The year by which the account must be empty (-1: none)."""

    empty_by: np.ndarray
    has_end: np.ndarray
    skipped: np.ndarray  # the 5-year rule's end moved by a disregarded year


def empty_by_year(law, h: Inheritance, who: Heir, m: Method) -> EmptyBy:
    """December 31 of the 10th year after death (§401(a)(9)(H)(i)), of the 10th after a minor
    child's majority (§401(a)(9)(E)(iii)), or of the 5th after death (§401(a)(9)(B)(ii)),
    with the years the law disregards (2020, CARES Act §2203)."""
    is_m = m.is_m
    five_end = h.dy + law.get("beneficiary.five_year_period", h.dy).astype(np.int64)
    skip = law.param("beneficiary.five_year_disregarded")
    skipped = np.zeros(len(h.heir), bool)
    for y_skip in sorted(skip.keys):  # each disregarded year pushes the end one year later
        counted = law.table("beneficiary.five_year_disregarded", h.year, y_skip).astype(bool)
        moves = counted & (y_skip > h.dy) & (y_skip <= five_end)
        five_end = five_end + moves
        skipped |= moves
    empty_by = np.select(
        [is_m["ten_year"] | is_m["ten_year_with_annual"], is_m["minor_then_ten_year"],
         is_m["five_year"]],
        [h.dy + who.ten, year_of(who.adult_on) + who.ten, five_end], -1)
    return EmptyBy(empty_by=empty_by, has_end=empty_by > 0, skipped=skipped)


class Required(NamedTuple):
    """This year's required amount and what remains of it."""

    required: np.ndarray
    remaining: np.ndarray
    divisor: np.ndarray
    empty_now: np.ndarray  # the account must be empty by this year's end
    relief_now: np.ndarray  # this year's annual amount is waived
    death_year_rmd: np.ndarray  # the employee's own RMD of the year of death is due
    #: Of ``remaining``, the designated Roth part's where it is figured apart (0 elsewhere).
    remaining_roth: np.ndarray | float = 0.0


class Part(NamedTuple):
    """A part of the inherited account figured under one rule, and what it asks this year."""

    m: Method
    per: Period
    e: EmptyBy
    after_rbd: np.ndarray
    share: np.ndarray  # its share of the account


def part_of(law, b: CaseBatch, h: Inheritance, who: Heir, rbd: Rbd, after_rbd, share) -> Part:
    """The method, the period and the end of a part of the account whose employee died on or
    after the RBD where ``after_rbd``."""
    m = distribution_method(b, h, who, after_rbd)
    per = distribution_period(law, b, h, m, rbd._replace(after_rbd=after_rbd))
    return Part(m=m, per=per, e=empty_by_year(law, h, who, m), after_rbd=after_rbd,
                share=np.asarray(share, float))


def split_parts(law, b: CaseBatch, h: Inheritance, who: Heir,
                rbd: Rbd) -> tuple[Part, Part | None]:
    """The account's parts: its designated Roth money, where it holds other money too and the
    Roth money has no RBD while the other money's employee died on or after it, is figured
    apart, as if the employee died before the RBD (§402A(d)(5); Prop. Treas. Reg.
    §1.401(a)(9)-5, REG-103529-23): it is neither in the base of the other money's minimum
    nor counted toward it, as for the participant (:mod:`dist401k.routes.rmd`,
    ``RM_ROTH_NOT_COUNTED``).  The other money is the main part, whose method is shown."""
    split = h.heir & ~h.roth & (h.roth_share > 0) & (rbd.after_rbd != rbd.after_rbd_roth)
    roth = np.where(split, h.roth_share, 0.0)
    main = part_of(law, b, h, who, rbd, rbd.after_rbd, 1.0 - roth)
    if not split.any():
        return main, None
    return main, part_of(law, b, h, who, rbd, rbd.after_rbd_roth, roth)


class Amount(NamedTuple):
    """What one part asks this year."""

    required: np.ndarray
    divisor: np.ndarray
    empty_now: np.ndarray
    relief_now: np.ndarray
    death_year_rmd: np.ndarray


def part_required(law, b: CaseBatch, h: Inheritance, part: Part) -> Amount:
    """The part's share of the prior year-end balance ÷ the divisor from the start year
    (unless waived for the year); its share of the whole balance in the year it must be empty;
    in the year of death after the RBD, the employee's own RMD (Treas. Reg.
    §1.401(a)(9)-5(b)(5))."""
    year, heir, m, per, e = h.year, h.heir, part.m, part.per, part.e
    balance = b.vested_balance.sum(axis=1) * part.share
    prior = np.where(heir, b.inherited_prior_balance, 0.0) * part.share
    relief_now = m.is_m["ten_year_with_annual"] & (relief_notice(law, year, year) > 0)
    annual = np.isin(m.method, [METHODS.index(x) for x in ANNUAL_METHODS])
    annual_due = annual & (year >= per.start) & ~relief_now
    with np.errstate(divide="ignore", invalid="ignore"):
        periodic = np.where(per.divisor > 1, prior / per.divisor, prior)
    empty_now = heir & e.has_end & (year >= e.empty_by)
    # Whatever a spouse elects, the employee's RMD of the year of death is paid (Treas. Reg.
    # §1.408-8(c)), figured as if the employee had lived the year: the joint table where the
    # spouse, sole beneficiary on January 1, is more than 10 years younger (§1.401(a)(9)-5(c)).
    death_year_rmd = heir & part.after_rbd & (year == h.dy)
    sole_spouse = (h.rel == REL["spouse"]) & np.asarray(b.sole_beneficiary, bool)
    dec_div, _ = rmd_divisor(law, year, np.maximum(h.dy - h.dby, 0),
                             np.where(sole_spouse, year - h.bby, np.nan), sole_spouse)
    dec_rmd = np.where(death_year_rmd, prior / dec_div, 0.0)
    distributed = np.where(heir, b.inherited_distributed, 0.0) * part.share
    required = np.select([~heir, empty_now, death_year_rmd, annual_due],
                         [0.0, balance + distributed, dec_rmd, np.minimum(periodic, prior)], 0.0)
    return Amount(required=required, divisor=np.where(death_year_rmd, dec_div, per.divisor),
                  empty_now=empty_now, relief_now=relief_now, death_year_rmd=death_year_rmd)


def required_this_year(law, b: CaseBatch, h: Inheritance, main: Part, roth: Part | None,
                       owed_before=0.0) -> Required:
    """This year's required amount: the main part's (:func:`part_required`) plus, where the
    Roth money is figured apart (:func:`split_parts`), the Roth part's own.  What remains of
    it adds the amounts of earlier years still owed (:func:`missed_still_owed`): what is paid
    this year counts toward them all first.  Each part's minimum is met by its own money
    (Prop. Treas. Reg. §1.401(a)(9)-5, REG-103529-23: distributions of the designated Roth
    account do not count toward the rest's minimum), so what remains is also told by part
    (``remaining_roth``): the year's payments already made and the earlier years' shortfalls
    (the main part's) counted toward the parts in proportion to what each owes, which the
    case, giving them for the whole account, does not split."""
    a = part_required(law, b, h, main)
    required = a.required
    roth_required = part_required(law, b, h, roth).required if roth is not None else 0.0
    required = required + roth_required
    balance = b.vested_balance.sum(axis=1)
    distributed = np.where(h.heir, b.inherited_distributed, 0.0)
    remaining = np.minimum(np.maximum(0.0, required + owed_before - distributed), balance)
    due = required + owed_before
    with np.errstate(divide="ignore", invalid="ignore"):
        remaining_roth = np.where(due > 0, remaining * roth_required / due, 0.0)
    return Required(required=required, remaining=remaining,
                    divisor=a.divisor, empty_now=a.empty_now, relief_now=a.relief_now,
                    death_year_rmd=a.death_year_rmd, remaining_roth=remaining_roth)


class Missed(NamedTuple):
    """The excise on amounts missed in earlier years, year by year."""

    present: np.ndarray  # [n, k] a missed year given
    corrected: np.ndarray  # [n, k] made up by a corrective distribution (§4974(e))
    notice: np.ndarray  # [n, k] the notice that waives it (year × 100 + number; 0: none)
    rate: np.ndarray
    excise: np.ndarray
    total: np.ndarray
    #: [n, k] the employee's RMD of the year of death, free of the excise if taken by this day
    #: (NaT: not that year, or the day has passed).
    death_year_until: np.ndarray


def year_of_death_waiver_deadline(law, dy) -> np.ndarray:
    """The day by which the beneficiary takes the employee's unpaid RMD of the year of death
    ``dy`` free of the excise (Treas. Reg. §54.4974-1(g)(3)(iii)): the later of the due date
    with extensions of the beneficiary's return for the taxable year beginning with or within
    the year of death and December 31 of the next year (T.D. 10001; taxable years from 2025,
    §54.4974-1(h), so deaths from 2025); for deaths of 2022–2024, which the final rule does not
    reach, that due date alone, as the 2022 proposed rule had it; NaT for deaths before 2022."""
    month = law.get("beneficiary.year_of_death_rmd_waiver_month", dy, before=np.nan)
    day = law.get("beneficiary.year_of_death_rmd_waiver_day", dy, before=np.nan)
    known = ~np.isnan(month) & ~np.isnan(day)
    on = days_from_civil(np.asarray(dy, np.int64) + 1, np.nan_to_num(month).astype(np.int64),
                         np.nan_to_num(day).astype(np.int64)).astype("datetime64[D]")
    return np.where(known, on, np.datetime64("NaT"))


def missed_excise(law, b: CaseBatch, h: Inheritance, m: Method) -> Missed:
    """The §4974 excise on each shortfall (the lower rate where ``corrected``: made up by a
    corrective distribution within the correction window, §4974(e), Treas. Reg.
    §54.4974-1(a)(2)), unless waived: by a notice, only the annual amounts of years 1-9 of the 10-year
    rule (Notices 2022-53, 2023-54, 2024-35); the employee's RMD of the year of death where the
    request takes it by the regulation's deadline (:func:`year_of_death_waiver_deadline`)."""
    year = h.year
    my = b.missed_year
    present = ~np.isnan(my)
    my_f = np.where(present, my, year[:, None])
    notice = np.where(present & m.is_m["ten_year_with_annual"][:, None] & (my_f > h.dy[:, None]),
                      relief_notice(law, year[:, None], my_f), 0)
    until = year_of_death_waiver_deadline(law, h.dy)
    in_time = ~np.isnat(until) & (np.asarray(b.request_date, "datetime64[D]") <= until)
    death_year = present & (my_f == h.dy[:, None]) & (h.heir & in_time)[:, None]
    yy = my_f.astype(np.int64)
    full_rate = law.get("rmd.excise_rate", yy)
    low_rate = law.get("rmd.excise_rate_corrected", yy, before=np.nan)
    corrected = present & np.asarray(b.missed_corrected, bool)
    rate = np.where(corrected & ~np.isnan(low_rate), low_rate, full_rate)
    excise = np.where(present & (notice == 0) & ~death_year, rate * b.missed_shortfall, 0.0)
    return Missed(present=present, corrected=corrected, notice=notice, rate=rate, excise=excise,
                  total=excise.sum(axis=1) if excise.shape[1] else np.zeros(len(h.heir)),
                  death_year_until=np.where(death_year, until[:, None], np.datetime64("NaT")))


def missed_still_owed(b: CaseBatch, x: Missed) -> np.ndarray:
    """The amounts missed in earlier years that are still owed: every shortfall given but
    those an IRS notice waived, which need not be made up (Notices 2022-53, 2023-54, 2024-35,
    §IV), and those ``corrected`` — already made up by a corrective distribution (§4974(e)),
    so no longer an amount required and not distributed.  An amount required for an earlier
    year and not distributed is treated as required in the year it is paid (Treas. Reg.
    §1.402(c)-2, Q&A-7(a)): it is no eligible rollover distribution (§402(c)(4)(B)), and what
    is paid counts toward it first — as the RMD route treats ``last_year_rmd_unpaid``."""
    owed = np.where(x.present & (x.notice == 0) & ~x.corrected, np.nan_to_num(b.missed_shortfall),
                    0.0)
    return owed.sum(axis=1) if owed.shape[1] else np.zeros(len(x.total))


class MadeUp(NamedTuple):
    """Each shortfall ([n, k]) this request makes up (``by_request``), the lower excise rate a
    correction in time brings (``rate``, NaN: none for that year) and the last year of its
    correction window (``window_ends``, December 31 of it; NaN: none)."""

    by_request: np.ndarray
    rate: np.ndarray
    window_ends: np.ndarray


def made_up_by_request(law, b: CaseBatch, x: Missed) -> MadeUp:
    """The shortfalls on which the excise is owed (not waived, not already ``corrected``) that
    what is paid this year — what was already distributed, then this request (all of the
    balance where it asks for the most) — makes up, the oldest first, each in full: paid, such
    a shortfall is corrected, and the excise on it is the lower rate of §4974(e) if the payment
    falls within the correction window, which ends at the latest on December 31 of the
    window's last taxable year after the year of the shortfall (law
    ``rmd.excise_correction_window_years``; earlier on a notice of deficiency or an assessment
    of the tax, §4974(e)(2)(A), (B), which the case does not give)."""
    yy = np.where(x.present, b.missed_year, 0).astype(np.int64)
    low = law.get("rmd.excise_rate_corrected", yy, before=np.nan)
    window = law.get("rmd.excise_correction_window_years", yy, before=np.nan)
    owed = x.present & ~x.corrected & (x.excise > HALF_CENT)
    order = np.argsort(np.where(x.present, b.missed_year, np.inf), axis=1, kind="stable")
    due = np.take_along_axis(np.where(owed, np.nan_to_num(b.missed_shortfall), 0.0), order, 1)
    paid = np.asarray(b.inherited_distributed, float) + np.where(
        np.isnan(b.amount), np.inf, np.asarray(b.amount, float))
    covered_sorted = np.cumsum(due, axis=1) <= paid[:, None] + HALF_CENT
    covered = np.empty_like(covered_sorted)
    np.put_along_axis(covered, order, covered_sorted, 1)
    ends = np.where(x.present & ~np.isnan(window), yy + np.nan_to_num(window), np.nan)
    return MadeUp(by_request=owed & covered & ~np.isnan(low), rate=low, window_ends=ends)


def _heir_reasons(c, h: Inheritance, who: Heir, rbd: Rbd) -> dict[str, np.ndarray]:
    """Who inherits, and the required beginning date."""
    kind = who.kind
    return {
        "BN_SPOUSE": c & (kind == KINDS.index("spouse")),
        "BN_MINOR_CHILD": c & (kind == KINDS.index("minor_child")),
        "BN_DISABLED": c & (kind == KINDS.index("disabled")),
        "BN_CHRONICALLY_ILL": c & (kind == KINDS.index("chronically_ill")),
        "BN_CLOSE_IN_AGE": c & (kind == KINDS.index("close_in_age")),
        "BN_DESIGNATED": c & (kind == KINDS.index("designated")),
        "BN_NON_DESIGNATED": c & who.nondesignated,
        "BN_PRE_2020_DEATH": c & who.pre_secure & ~who.governmental_wait & who.person,
        "BN_GOVERNMENTAL_PRE_2022_DEATH": c & who.governmental_wait & who.person,
        "BN_AFTER_RBD": c & rbd.after_rbd,
        "BN_BEFORE_RBD": c & ~rbd.after_rbd & ~(h.roth & rbd.roth_no_rbd),
        "BN_RBD_OVERRIDE": c & rbd.override,
        "BN_ROTH_IRA_NO_RBD": c & h.roth & h.ira,
        "BN_ROTH_PLAN_NO_RBD": c & h.roth & ~h.ira & rbd.roth_no_rbd,
        "BN_ROTH_PLAN_LIFETIME_RMDS": c & h.roth & ~h.ira & ~rbd.roth_no_rbd & rbd.after_rbd,
        "BN_ROTH_PART_APART": c & (h.roth_share > 0) & ~h.roth
        & (rbd.after_rbd != rbd.after_rbd_roth),
    }


def _method_reasons(c, b: CaseBatch, who: Heir, m: Method, per: Period, e: EmptyBy,
                    after_rbd) -> dict[str, np.ndarray]:
    """The method, and what it asks."""
    is_m = m.is_m
    return {
        "BN_LIFE_EXPECTANCY": c & (is_m["life_expectancy"] | is_m["minor_then_ten_year"]),
        "BN_LONGER_OF": c & after_rbd & np.isin(m.method, [METHODS.index(x) for x in (
            "life_expectancy", "minor_then_ten_year", "ten_year_with_annual",
            "spouse_life_expectancy")]),
        "BN_SPOUSE_RECALCULATES": c & is_m["spouse_life_expectancy"],
        "BN_SPOUSE_DELAY": c & (is_m["spouse_life_expectancy"] | is_m["spouse_as_employee"])
        & ~after_rbd,
        "BN_SPOUSE_AS_EMPLOYEE": c & is_m["spouse_as_employee"],
        "BN_SPOUSE_ELECTION_AFTER_RBD": c & m.employee_too_late,
        "BN_SPOUSE_ELECTION_UNSETTLED": c & is_m["spouse_life_expectancy"] & ~after_rbd,
        "BN_ULT_NOT_HELD": c & is_m["spouse_as_employee"] & per.ult_missing,
        "BN_SPOUSE_OWN": c & is_m["own_account"],
        "BN_SPOUSE_OPTIONS": c & who.spouse & ~m.own,
        "BN_MINOR_TEN_YEAR": c & is_m["minor_then_ten_year"],
        "BN_TEN_YEAR": c & is_m["ten_year"],
        "BN_TEN_YEAR_ANNUAL": c & is_m["ten_year_with_annual"],
        "BN_TEN_YEAR_ELECTED": c & m.ten_elected,
        "BN_ELECTION_TOO_LATE": c & np.asarray(b.elected_ten_year, bool) & ~m.ten_elected,
        "BN_FIVE_YEAR": c & is_m["five_year"],
        "BN_FIVE_YEAR_SKIPPED": c & is_m["five_year"] & e.skipped,
        "BN_DECEASED_LIFE": c & is_m["deceased_life_expectancy"],
    }


def _year_reasons(c, f: Facts, h: Inheritance, m: Method, e: EmptyBy, r: Required,
                  x: Missed, owed_before) -> dict[str, np.ndarray]:
    """This year's amount, the 10% tax, the Roth clock and the excise on missed years."""
    owed = owed_before > HALF_CENT
    reasons = {
        "BN_YEAR_OF_DEATH_RMD": c & r.death_year_rmd,
        "BN_REQUIRED": c & (r.required > 0) & ~r.empty_now,
        "BN_EMPTY_THIS_YEAR": c & r.empty_now & (h.year == e.empty_by),
        "BN_PAST_DEADLINE": c & r.empty_now & (h.year > e.empty_by),
        "BN_NOTHING_DUE": c & (r.required <= 0) & ~owed,
        "BN_MISSED_STILL_OWED": c & owed & (r.remaining > HALF_CENT),
        "BN_MISSED_CORRECTED": c & x.corrected.any(axis=1) if x.corrected.shape[1]
        else np.zeros(len(c), bool),
        "BN_RELIEF_THIS_YEAR": c & r.relief_now,
        "BN_NOT_ROLLABLE": c & (r.remaining > 0),
        "BN_NO_72T": c & ~m.own,
        "BN_OWN_72T": c & m.own & ~f.at_59_half,
        "BN_ROTH_CLOCK": c & h.roth,
        "BN_EXCISE_OWED": c & (x.total > HALF_CENT),
        "BN_YEAR_OF_DEATH_WAIVED": c & ~np.isnat(x.death_year_until).all(axis=1)
        if x.death_year_until.shape[1] else np.zeros(len(c), bool),
    }
    notices = np.unique(x.notice[x.notice > 0]) if x.notice.size else np.array([], np.int64)
    for code in notices:
        number = int(code)
        reasons[f"BN_RELIEF_NOTICE_{number // NOTICE_KEY}_{number % NOTICE_KEY}"] = c & (
            x.notice == code).any(axis=1)
    return reasons


def beneficiary(b: CaseBatch, f: Facts) -> RouteResult:
    """The beneficiary route: who inherits, the method, this year's required amount, the year
    the account must be empty and the excise on missed years; the whole balance may be taken."""
    law, lk = f.law, f.lk
    h = Inheritance.of(b)
    if not h.heir.any():
        return _no_heirs(b)
    rbd = required_beginning_date(law, lk, b, h)
    who = who_inherits(law, lk, b, h)
    main, roth = split_parts(law, b, h, who, rbd)
    m, per, e = main.m, main.per, main.e
    x = missed_excise(law, b, h, m)
    owed_before = missed_still_owed(b, x)
    r = required_this_year(law, b, h, main, roth, owed_before)
    has = b.balance > 0
    eligible = h.heir[:, None] & has
    c = h.heir  # case-level masks are only for inherited accounts
    reasons = {"BN_MAY_TAKE_ALL": c & has.any(axis=1), **_heir_reasons(c, h, who, rbd),
               **closed_destination_reasons(b, c),
               **_method_reasons(c, b, who, m, per, e, rbd.after_rbd),
               **_year_reasons(c, f, h, m, e, r, x, owed_before)}
    extra = {
        "kind": who.kind, "method": m.method, "after_rbd": rbd.after_rbd,
        "rbd": np.where((h.roth & rbd.roth_no_rbd) | ~h.heir, np.datetime64("NaT"),
                        rbd.rbd).astype("datetime64[D]"),
        "required": r.required, "remaining": r.remaining,
        "remaining_roth": np.zeros_like(r.remaining) + r.remaining_roth,
        "divisor": np.where(
            np.isnan(r.divisor) | (r.required <= 0) | r.empty_now, np.nan, r.divisor),
        "start_year": per.start.astype(float), "deadline": _dec31(h.year),
        "empty_by": np.where(e.has_end, e.empty_by, -1).astype(float),
        "excise": x.total, "missed_excise": x.excise, "missed_notice": x.notice,
        "missed_rate": np.where(x.present & (x.notice == 0) & np.isnat(x.death_year_until),
                                x.rate, 0.0),
        "missed_waived_until": x.death_year_until,
        "missed_year": b.missed_year,
        "missed_shortfall": np.where(x.present, b.missed_shortfall, 0.0),
        **_made_up_extra(made_up_by_request(law, b, x)),
    }
    return RouteResult("beneficiary", eligible, np.where(eligible, b.vested_balance, 0.0),
                       reasons, extra=extra)


def _no_heirs(b: CaseBatch) -> RouteResult:
    """A batch with no inherited account (the usual one): the route is closed everywhere."""
    n, shape = len(b), b.balance.shape
    zero, nat = np.zeros(n), np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    missed = np.zeros((n, b.missed_year.shape[1]))
    return RouteResult("beneficiary", np.zeros(shape, bool), np.zeros(shape), {}, np.full(n, np.inf), {
        "kind": np.zeros(n, np.int64), "method": np.zeros(n, np.int64),
        "after_rbd": np.zeros(n, bool), "rbd": nat, "required": zero, "remaining": zero,
        "remaining_roth": zero, "divisor": np.full(n, np.nan), "start_year": zero, "deadline": nat,
        "empty_by": np.full(n, -1.0), "excise": zero, "missed_excise": missed,
        "missed_notice": missed.astype(np.int64), "missed_rate": missed,
        "missed_waived_until": np.full(missed.shape, np.datetime64("NaT"), "datetime64[D]"),
        "missed_year": np.full(missed.shape, np.nan), "missed_shortfall": missed,
        **_made_up_extra(MadeUp(missed.astype(bool), missed, np.full(missed.shape, np.nan)))})


def _made_up_extra(u: MadeUp) -> dict[str, np.ndarray]:
    """The route's extra columns of :func:`made_up_by_request`."""
    return {"missed_made_up": u.by_request, "missed_rate_corrected": np.nan_to_num(u.rate),
            "missed_window_ends": u.window_ends}
