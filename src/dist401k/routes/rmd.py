"""Required minimum distributions from the plan while the participant lives (IRC §401(a)(9)).

The first RMD year is the year of the applicable age (73, or 75 for those born in 1960 or
later) or, under the still-working exception for a non-5% owner, the year of retirement; it
may be paid by April 1 of the next year.  A governmental plan (§414(d)) has no 5% owner rule:
§401(a)(9)(C)(iv) takes clauses (ii) and (iii) away from it, so its 5% owners wait for their
retirement too (a governmental 457(b) by §457(d)(2)).  Nor has a 403(b): its required
beginning date is April 1 after the later of the year of the applicable age and the year of
retirement (Treas. Reg. §1.403(b)-6(e)(3); "the concept of 5-percent owner has no
application", §1.403(b)-3, Q&A-1(c)(1) (2004)).  RMD = last December 31 balance (no designated Roth
money from 2024) ÷ the Uniform Lifetime Table period for the age reached this year, or the
Joint and Last Survivor period when the spouse, sole beneficiary, is more than 10 years younger.
That balance is ``account.prior_year_end_balance``, the money other than designated Roth money
(Treas. Reg. §1.401(a)(9)-5(b)(1)); not given, today's such money stands in for it, and the
answer says so (``RM_BALANCE_ASSUMED``).  An account with no such money owes none, whatever
figure is given (§402A(d)(5)).
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.dates import age_at_year_end, days_from_civil, year_month_day, year_of
from dist401k.law.loader import Law, step_lookup
from dist401k.money import HALF_CENT
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, plan_is
from dist401k.sources import ROTH

NEVER = np.iinfo(np.int64).max  # still working: the first RMD year has not come
#: The joint life table is keyed by owner age × JOINT_KEY + spouse age (as its file says).
JOINT_KEY = 1000


def applicable_age(law: Law, year, birth_date) -> np.ndarray:
    """The RMD applicable age for each birth date (IRC §401(a)(9)(C)(v))."""
    y, m, _ = year_month_day(birth_date)
    return step_lookup(law, "rmd.applicable_age", year, y * 100 + m)


def rmd_divisor(law: Law, year, owner_age, spouse_age=None, spouse_sole_beneficiary=False):
    """Distribution period: Uniform Lifetime Table, or the joint table for a spouse more than
    10 years younger who is the sole beneficiary (Treas. Reg. §1.401(a)(9)-5(c), -9).

    The joint table is read at the spouse's own age from 0 (§1.401(a)(9)-9(d)); a pair the law
    file does not hold (a spouse under 20 with an owner under 70, who owes no RMD) gives NaN,
    never the period of another age."""
    owner_age = np.asarray(owner_age, dtype=np.int64)
    uniform = law.table("rmd.uniform_lifetime", year, owner_age)
    if spouse_age is None:
        return uniform, np.zeros(owner_age.shape, bool)
    spouse_age = np.asarray(spouse_age, dtype=float)
    gap = law.get("rmd.spouse_age_gap", year)
    joint = np.asarray(spouse_sole_beneficiary, bool) & ~np.isnan(spouse_age) & (
        owner_age - np.where(np.isnan(spouse_age), owner_age, spouse_age) > gap)
    shape = np.broadcast_shapes(joint.shape, np.shape(uniform))
    joint = np.broadcast_to(joint, shape)
    out = np.array(np.broadcast_to(uniform, shape), dtype=float)
    rows = np.nonzero(joint)  # the joint table only where it applies
    if rows[0].size:
        def pick(a):
            return np.broadcast_to(a, shape)[rows]

        # Ages beyond the table's read as its ends (the table's last row reads "and over").
        keys = law.key_array("rmd.joint_life")
        owners, spouses = keys // JOINT_KEY, keys % JOINT_KEY
        o = np.clip(pick(owner_age), owners.min(), owners.max())
        s = np.clip(np.nan_to_num(pick(spouse_age), nan=0), spouses.min(),
                    np.maximum(spouses.min(), o - pick(gap) - 1)).astype(np.int64)
        key = o * JOINT_KEY + s
        held = keys[np.minimum(np.searchsorted(keys, key), keys.size - 1)] == key
        out[rows] = np.where(held, law.table("rmd.joint_life", pick(np.asarray(year)), key),
                             np.nan)
    return out, joint


def _deadlines(law: Law, b: CaseBatch, first_year, required, owed_before) -> dict:
    """This year's RMD deadline (April 1 of next year for the first RMD year, else December 31),
    April 1 of this year, and last year's first RMD deferred to it: whether the request is in
    time for it (``in_time``) and still owes it (``first_owed``, ``last_year_deadline``)."""
    year = b.tax_year
    # The deadlines depend on the year alone: figured once when the batch has one year.
    y = year[:1] if year.size and year.min() == year.max() else year
    month = law.get("rmd.first_deadline_month", y).astype(np.int64)
    one = np.ones_like(month)
    first_deadline = days_from_civil(y + 1, month, one).astype("datetime64[D]")
    dec31 = (days_from_civil(y + 1, one, one) - 1).astype("datetime64[D]")
    deadline = np.where(required & (year == first_year), first_deadline, dec31)
    april_1 = days_from_civil(y, month, one).astype("datetime64[D]")
    deferred = (owed_before > 0) & (year - 1 == first_year)
    in_time = deferred & (b.request_date <= april_1)
    # The first RMD, deferred, is due by April 1 (while what is paid this year has not covered
    # it: it counts first); this year's own by December 31 all the same.
    first_owed = in_time & (b.distributed_this_year < owed_before - HALF_CENT)
    last_year_deadline = np.where(first_owed, april_1,
                                  np.datetime64("NaT")).astype("datetime64[D]")
    return {"deadline": deadline, "april_1": april_1, "in_time": in_time,
            "first_owed": first_owed, "last_year_deadline": last_year_deadline}


def _year_end_balance(b: CaseBatch, src) -> tuple[np.ndarray, np.ndarray]:
    """Last December 31 balance the RMD is figured on (Treas. Reg. §1.401(a)(9)-5(b)(1)) and
    whether it was given.  ``account.prior_year_end_balance`` is the money that owes the RMD
    (``src``): other than designated Roth money from 2024, all of it in a year before (SECURE
    2.0 §325(b)); not given, that money's balance on the request date stands in for it (the
    answer says so: ``RM_BALANCE_ASSUMED``).  With no source that owes an RMD — designated Roth
    money only, exempt from 2024 (§402A(d)(5)) — nothing is figured, whatever is given."""
    given = ~np.isnan(b.prior_year_end_balance)
    today = np.where(src, b.balance, 0.0).sum(axis=1)
    return np.where(src.any(axis=1), np.where(given, b.prior_year_end_balance, today), 0.0), given


def roth_owed_last_year(law: Law, b: CaseBatch, first_owed, owed_before) -> np.ndarray:
    """The part of last year's RMD still owed that designated Roth money may pay: the first
    RMD of a year whose law did not exempt that money (``rmd.designated_roth_exempt``: 2023
    and before), deferred to April 1 of this year and paid in time (``first_owed``).  SECURE
    2.0 §325(b)(2) keeps §402A(d)(5) away from "distributions which are required with respect
    to years beginning before January 1, 2024, but are permitted to be paid on or after such
    date": that RMD was figured on the whole account, Roth money included, and is met by any
    of the account's money (Treas. Reg. §1.401(a)(9)-5(a)).  Zero elsewhere: this year's own
    RMD (from 2024) is met by the other money only."""
    exempt_then = law.get("rmd.designated_roth_exempt", b.tax_year - 1).astype(bool)
    return np.where(first_owed & ~exempt_then,
                    np.maximum(owed_before - b.distributed_this_year, 0.0), 0.0)


def _period(law: Law, b: CaseBatch, age) -> tuple[np.ndarray, np.ndarray]:
    """Each row's distribution period at ``age`` and whether the joint table gave it: the spouse's
    age at the end of the year where a spouse is given (:func:`rmd_divisor`)."""
    no_spouse = np.isnat(b.spouse_birth_date)
    spouse_age = np.nan if no_spouse.all() else np.where(
        no_spouse, np.nan, age_at_year_end(np.where(no_spouse, b.birth_date,
                                                    b.spouse_birth_date), b.tax_year))
    return rmd_divisor(law, b.tax_year, age, spouse_age, b.spouse_sole_beneficiary)


def _working_reasons(b: CaseBatch, waits, is_403b) -> dict:
    """Why RMDs wait for one still working past the applicable age, in each plan's own words:
    a 5% owner of a private plan's employer would owe them (§401(a)(9)(C)(ii)(I)), but neither
    a governmental plan (§401(a)(9)(C)(iv)) nor a 403(b) (Treas. Reg. §1.403(b)-6(e)(3)) has a
    5% owner rule, so theirs are not warned of it."""
    owner, gov = b.five_percent_owner, b.governmental
    return {
        "RM_STILL_WORKING": waits & ~owner & ~gov & ~is_403b,
        "RM_STILL_WORKING_GOVERNMENTAL": waits & ~owner & gov,
        "RM_STILL_WORKING_403B": waits & ~owner & ~gov & is_403b,
        "RM_GOVERNMENTAL_OWNER": waits & owner & gov,
        "RM_403B_OWNER": waits & owner & ~gov & is_403b,
    }


def rmd_rows(b: CaseBatch, f: Facts) -> tuple[dict, dict, np.ndarray, np.ndarray]:
    """The rule row by row: ``(extra, reasons, has, src)`` — the RMD figures of each row, its
    reason masks (one per row), and which sources hold money and which owe an RMD ([n, S]).
    The batch RMD job needs no more than this; :func:`rmd` spreads it over the sources."""
    law = f.law
    year = b.tax_year
    by, bm, _ = year_month_day(b.birth_date)  # the birth date, taken apart once for every age below
    age_app = step_lookup(law, "rmd.applicable_age", year, by * 100 + bm)
    months = np.round(age_app * 12).astype(np.int64)
    # The year the applicable age is reached: month arithmetic on the birth month (the day
    # never moves the anniversary into another year).
    first_age_year = (by * 12 + (bm - 1) + months) // 12
    # The 5% owner rule (§401(a)(9)(C)(ii)(I)) applies neither to a governmental plan
    # (§401(a)(9)(C)(iv)) nor to a 403(b) (Treas. Reg. §1.403(b)-6(e)(3)).
    is_403b = plan_is(b, PlanType.PLAN_403B_ANNUITY, PlanType.PLAN_403B7)
    owner = b.five_percent_owner & ~b.governmental & ~is_403b
    still_working = b.active & b.still_working_exception & ~owner
    retire_year = np.where(np.isnat(b.separation_date), year, year_of(b.separation_date))
    first_year = np.where(b.still_working_exception & ~owner,
                          np.maximum(first_age_year, np.where(b.active, NEVER, retire_year)),
                          first_age_year)
    required = year >= first_year
    divisor, joint = _period(law, b, year - by)  # the age attained by December 31
    roth_exempt = law.get("rmd.designated_roth_exempt", year).astype(bool)
    has = b.balance > 0
    src = has & ~(ROTH[None, :] & roth_exempt[:, None])
    balance, given = _year_end_balance(b, src)
    amount = np.where(required, balance / divisor, 0.0)
    # Last year's RMD not taken: the first, deferred to April 1 of this year (§401(a)(9)(C)),
    # or a missed one, still owed; what is paid this year counts toward it first, and none
    # of it can be rolled over (Treas. Reg. §1.402(c)-2, Q&A-7(a)).
    owed_before = np.where(year - 1 >= first_year, b.last_year_rmd_unpaid, 0.0)
    remaining = np.maximum(0.0, amount + owed_before - b.distributed_this_year)
    owes = required & (remaining > 0)
    any_src = src.any(axis=1)
    any_has = has.any(axis=1)
    d = _deadlines(law, b, first_year, required, owed_before)
    in_time, first_owed = d["in_time"], d["first_owed"]
    roth_last = roth_owed_last_year(law, b, first_owed, owed_before)
    roth_pays = (has & ROTH[None, :]).any(axis=1) & (roth_last > HALF_CENT)
    eligible = owes & (any_src | roth_pays)
    # Between January 1 and April 1 after the first RMD year, that year's RMD may still be owed;
    # last_year_rmd_unpaid of 0 (its default) takes it as taken: say so (§401(a)(9)(C)(i)).
    first_unsaid = (year - 1 == first_year) & (b.request_date <= d["april_1"])
    first_unsaid &= owed_before <= 0
    working_past_age = still_working & (year >= first_age_year)
    reasons = {
        "RM_NOT_YET": ~required & ~working_past_age & any_has,
        **_working_reasons(b, working_past_age & any_has, is_403b),
        # The still-working exception does not reach an IRA (§401(a)(9)(C)(ii)(II)).
        "RM_IRA_NOT_WAITING": working_past_age & any_has & (b.ira_traditional > 0),
        "RM_FIVE_PCT": owner & b.active & required & any_has,
        "RM_REQUIRED": eligible,
        # This year's RMD (and last year's still owed) already paid: none left to pay.
        "RM_MET_THIS_YEAR": required & ~owes & (amount + owed_before > 0) & any_has,
        "RM_BALANCE_ASSUMED": required & ~given & any_src,
        "RM_ROTH_EXEMPT": required & roth_exempt & (has & ROTH[None, :]).any(axis=1),
        "RM_ROTH_LAST_YEAR": roth_pays & eligible,
        "RM_JOINT_TABLE": required & joint & eligible,
        "RM_FIRST_YEAR": required & (year == first_year) & eligible,
        "RM_FIRST_DEFERRED": first_owed & eligible,
        "RM_FIRST_MAYBE_OWED": first_unsaid & any_has,
        "RM_LAST_YEAR_MISSED": (owed_before > 0) & ~in_time & eligible,
        "RM_LAST_YEAR_NONE": (b.last_year_rmd_unpaid > 0) & (year - 1 < first_year) & any_has,
        # A 403(b)'s pre-1987 balance, kept apart, waits until 75 (Treas. Reg.
        # §1.403(b)-6(e)(6)); the case has no field for it, so the answer says so
        # (after the reasons of this year's deadlines, which come first in a short list).
        "RM_403B_PRE_1987": eligible & is_403b,
        "RM_NOT_ROLLABLE": eligible,
    }
    # No period where no RMD is owed this year: before the first RMD year, or with nothing
    # to divide — designated Roth money only, exempt from 2024 (§402A(d)(5)).
    extra = {"rmd": amount, "last_year_rmd": owed_before, "remaining": remaining,
             "divisor": np.where(required & (amount > 0), divisor, np.nan),
             "applicable_age": age_app, "first_year": first_year.astype(float),
             "deadline": d["deadline"], "last_year_deadline": d["last_year_deadline"],
             "roth_countable": np.where(eligible, roth_last, 0.0)}
    return extra, reasons, has, src


def rmd(b: CaseBatch, f: Facts) -> RouteResult:
    extra, rows, has, src = rmd_rows(b, f)
    required = b.tax_year >= extra["first_year"]
    roth_exempt = f.law.get("rmd.designated_roth_exempt", b.tax_year).astype(bool)
    roth_last = extra["roth_countable"]
    roth_pays = has & ROTH[None, :] & (roth_last > HALF_CENT)[:, None]
    eligible = (required & (extra["remaining"] > 0))[:, None] & (src | roth_pays)
    available = np.where(eligible, _roth_capped(b.vested_balance, roth_pays, roth_last), 0.0)
    # Each row's reason, on the sources it concerns.
    reasons = {k: v[:, None] & has for k, v in rows.items()}
    reasons["RM_ROTH_EXEMPT"] = (required[:, None] & ROTH[None, :] & roth_exempt[:, None]) & has
    reasons["RM_ROTH_LAST_YEAR"] = rows["RM_ROTH_LAST_YEAR"][:, None] & roth_pays
    # Words about the RMD's own figures, on the money it is figured on.
    owing = np.where(src.any(axis=1, keepdims=True), src, has)
    for k in ("RM_MET_THIS_YEAR", "RM_BALANCE_ASSUMED"):
        reasons[k] = rows[k][:, None] & owing
    for k in ("RM_REQUIRED", "RM_JOINT_TABLE", "RM_FIRST_YEAR", "RM_FIRST_DEFERRED",
              "RM_LAST_YEAR_MISSED", "RM_NOT_ROLLABLE", "RM_403B_PRE_1987"):
        reasons[k] = rows[k][:, None] & eligible
    # This year's RMD is figured on the other money (§402A(d)(5)): not said on the Roth money
    # that pays only last year's.
    for k in ("RM_REQUIRED", "RM_JOINT_TABLE", "RM_FIRST_YEAR"):
        reasons[k] &= src
    return RouteResult("rmd", eligible, available, reasons, limit=extra["remaining"],
                       extra=extra)


def _roth_capped(vested: np.ndarray, roth_pays: np.ndarray, roth_last: np.ndarray) -> np.ndarray:
    """[n, S] what each source may pay toward the RMDs: the designated Roth money that may pay
    last year's (:func:`roth_owed_last_year`) at most that part in all, each Roth source its
    share; the other money all of its vested balance."""
    roth = np.where(roth_pays, vested, 0.0)
    held = roth.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(held > roth_last[:, None], roth_last[:, None] / held, 1.0)
    return np.where(roth_pays, roth * scale, vested)
