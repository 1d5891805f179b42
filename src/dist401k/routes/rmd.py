"""Required minimum distributions from the plan while the participant lives (IRC §401(a)(9)).

The first RMD year is the year of the applicable age (73, or 75 for those born in 1960 or
later) or, under the still-working exception for a non-5% owner, the year of retirement; it
may be paid by April 1 of the next year.  RMD = last December 31 balance (no designated Roth
money from 2024) ÷ the Uniform Lifetime Table period for the age reached this year, or the
Joint and Last Survivor period when the spouse, sole beneficiary, is more than 10 years younger.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.dates import _days, _ymd, age_at_year_end, year_of
from dist401k.law.loader import Law, step_lookup
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts
from dist401k.sources import ROTH

NEVER = np.iinfo(np.int64).max  # still working: the first RMD year has not come


def applicable_age(law: Law, year, birth_date) -> np.ndarray:
    """The RMD applicable age for each birth date (IRC §401(a)(9)(C)(v))."""
    y, m, _ = _ymd(birth_date)
    return step_lookup(law, "rmd.applicable_age", year, y * 100 + m)


def rmd_divisor(law: Law, year, owner_age, spouse_age=None, spouse_sole_beneficiary=False):
    """Distribution period: Uniform Lifetime Table, or the joint table for a spouse more than
    10 years younger who is the sole beneficiary (Treas. Reg. §1.401(a)(9)-5(c), -9)."""
    owner_age = np.asarray(owner_age, dtype=np.int64)
    uniform = law.table("rmd.uniform_lifetime", year, owner_age)
    if spouse_age is None:
        return uniform, np.zeros(owner_age.shape, bool)
    spouse_age = np.asarray(spouse_age, dtype=float)
    gap = law.get("rmd.spouse_age_gap", year)
    joint = np.asarray(spouse_sole_beneficiary, bool) & ~np.isnan(spouse_age) & (
        owner_age - np.nan_to_num(spouse_age, nan=owner_age) > gap)
    o = np.clip(owner_age, 20, 120)
    s = np.clip(np.nan_to_num(spouse_age, nan=0), 20, np.maximum(20, o - gap - 1)).astype(np.int64)
    joint_period = law.table("rmd.joint_life", year, o * 1000 + s)
    return np.where(joint, joint_period, uniform), joint


def rmd(b: CaseBatch, f: Facts) -> RouteResult:
    law = f.law
    year = b.tax_year
    by, bm, _ = _ymd(b.birth_date)  # the birth date, taken apart once for every age below
    age_app = step_lookup(law, "rmd.applicable_age", year, by * 100 + bm)
    months = np.round(age_app * 12).astype(np.int64)
    # The year the applicable age is reached: month arithmetic on the birth month (the day
    # never moves the anniversary into another year).
    first_age_year = (by * 12 + (bm - 1) + months) // 12
    still_working = b.active & b.still_working_exception & ~b.five_percent_owner
    retire_year = np.where(np.isnat(b.separation_date), year, year_of(b.separation_date))
    first_year = np.where(b.still_working_exception & ~b.five_percent_owner,
                          np.maximum(first_age_year, np.where(b.active, NEVER, retire_year)),
                          first_age_year)
    required = year >= first_year
    age = year - by  # attained by December 31
    no_spouse = np.isnat(b.spouse_birth_date)
    spouse_age = np.nan if no_spouse.all() else np.where(
        no_spouse, np.nan, age_at_year_end(np.where(no_spouse, b.birth_date,
                                                    b.spouse_birth_date), year))
    divisor, joint = rmd_divisor(law, year, age, spouse_age, b.spouse_sole_beneficiary)
    amount = np.where(required, b.prior_year_end_balance / divisor, 0.0)
    remaining = np.maximum(0.0, amount - b.distributed_this_year)
    roth_exempt = law.get("rmd.designated_roth_exempt", year).astype(bool)
    has = b.balance > 0
    src = has & ~(ROTH[None, :] & roth_exempt[:, None])
    eligible = (required & (remaining > 0))[:, None] & src
    available = np.where(eligible, b.vested_balance, 0.0)
    month = law.get("rmd.first_deadline_month", year).astype(np.int64)
    first_deadline = _days(year + 1, month, np.ones_like(month)).astype("datetime64[D]")
    dec31 = (_days(year + 1, np.ones_like(month), np.ones_like(month)) - 1).astype(
        "datetime64[D]")
    deadline = np.where(required & (year == first_year), first_deadline, dec31)
    reasons = {
        "RM_NOT_YET": (~required & ~(still_working & (year >= first_age_year)))[:, None] & has,
        "RM_STILL_WORKING": (still_working & (year >= first_age_year))[:, None] & has,
        "RM_FIVE_PCT": (b.five_percent_owner & b.active & required)[:, None] & has,
        "RM_REQUIRED": eligible,
        "RM_ROTH_EXEMPT": (required[:, None] & ROTH[None, :] & roth_exempt[:, None]) & has,
        "RM_JOINT_TABLE": (required & joint)[:, None] & eligible,
        "RM_FIRST_YEAR": (required & (year == first_year))[:, None] & eligible,
        "RM_NOT_ROLLABLE": eligible,
    }
    return RouteResult("rmd", eligible, available, reasons, limit=remaining,
                       extra={"rmd": amount, "remaining": remaining, "divisor": np.where(
                           required, divisor, np.nan), "applicable_age": age_app,
                           "first_year": first_year.astype(float), "deadline": deadline})
