"""In-service withdrawals by money source, while the participant still works.

- Deferral-type money (elective and Roth deferrals, QNEC, QMAC, safe harbor): from 59½
  (IRC §401(k)(2)(B)(i)(III); §403(b)(11)(A) for 403(b) deferrals).
- Employer match and profit sharing in a profit-sharing or 401(k) plan (and employer money of a
  403(b) annuity, Treas. Reg. §1.403(b)-6(b), which refers to §1.401-1(b)(1)(ii)): after a
  fixed number of years, the attainment of a stated age or an event (Treas. Reg.
  §1.401-1(b)(1)(ii)); the fixed number of years is at least two years of seasoning (Rev. Rul.
  71-295), or five years of participation for all of it (Rev. Rul. 68-24). The plan's periods
  apply where they are at least the law's (a shorter one gives way to it); a plan that gives
  neither a seasoning period nor an age is held to the law's: money seasoned two years, all of
  it after five years of participation. What the rule leaves in is closed with it.
- A money purchase plan: from 59½ (§401(a)(36)); a 403(b)(7) account: all of it from 59½,
  the employee's after-tax contributions included (§403(b)(7)(A)(i)(II); Treas. Reg.
  §1.403(b)-6(c), which unlike §1.403(b)-6(b) for annuity contracts has no exception for
  them); a governmental 457(b): from the calendar year of 59½ (§457(d)(1)(A)(i)).
- After-tax money (but a 403(b)(7) account's) and rollovers in: any time the plan allows
  (employee contributions are not the "funds accumulated" of §1.401-1(b)(1)(ii): Rev. Rul.
  72-275, modified by Rev. Rul. 74-55; a pension plan: Rev. Rul. 69-277; §1.403(b)-6(b), last
  sentence; money rolled in: Rev. Rul. 2004-12).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.dates import anniversary, years_between
from dist401k.law.loader import Lookup
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, age_in_year, age_reached, by_plan_type, plan_is
from dist401k.routes.separation import termination
from dist401k.sources import AFTER_TAX, DEFERRAL_RESTRICTED, EMPLOYER_DISCRETIONARY, ROLLOVER


def _plan_age_reached(b: CaseBatch) -> np.ndarray:
    """[n, S]: the plan's own minimum age for each source reached (NaN: none), every source at
    once."""
    min_age = b.in_service_min_age
    months = np.round(np.where(np.isnan(min_age), 0, min_age) * 12).astype(np.int64)
    return np.isnan(min_age) | (
        b.request_date[:, None] >= anniversary(b.birth_date[:, None], 0, months))


def _plan_age_below_law(b: CaseBatch, lk: Lookup, held: np.ndarray, gov457: np.ndarray,
                        pension_only: np.ndarray) -> np.ndarray:
    """[n, S]: the plan's age for money the law keeps in until an age of its own (``held``:
    deferral-type money, a pension plan, a 403(b)(7) account, a governmental 457(b)) is lower
    than the law's, or none: the plan's text cannot open it before the law's age."""
    min_age = b.in_service_min_age
    law_age = np.where(gov457, lk.get("in_service.governmental_457b_age")[:, None],
                       np.where(pension_only, lk.get("in_service.pension_age")[:, None],
                                lk.get("in_service.deferral_age")[:, None]))
    with np.errstate(invalid="ignore"):
        return held & np.where(np.isnan(min_age), ~gov457, min_age < law_age)


class EmployerPeriods(NamedTuple):
    """The seasoning and participation rules over employer money, [n, S] each."""

    payable: np.ndarray  # the vested money they let the plan pay
    seasoning: np.ndarray  # only seasoned money is payable (bar five years of participation)
    five_years: np.ndarray  # five years of participation pay all of it
    short: np.ndarray  # a plan period shorter than the law's, which gives way to it


def employer_periods(b: CaseBatch, lk: Lookup, profit_sharing: np.ndarray) -> EmployerPeriods:
    """The vested ``profit_sharing`` money (employer money of a profit-sharing, 401(k) or 403(b)
    annuity plan) the plan may pay in service: "after a fixed number of years, the attainment
    of a stated age, or upon the prior occurrence of some event" (Treas. Reg.
    §1.401-1(b)(1)(ii); §1.403(b)-6(b)); the fixed number of years at least two years of
    seasoning (Rev. Rul. 71-295), or five years of participation for all of it (Rev. Rul. 68-24).
    The plan's periods apply where they are at least the law's. A plan that gives no seasoning
    period is held to the law's two years unless it states an age (which alone is an event of
    the regulation), and has the law's five years too unless it gives a seasoning period of its
    own without a participation period (then it pays seasoned money only, as it says)."""
    law_participation = lk.get("in_service.participation_years")[:, None]
    law_seasoning = lk.get("in_service.seasoning_years")[:, None]
    no_seasoning = np.isnan(b.seasoning_years)
    no_participation = np.isnan(b.participation_years)
    participation = years_between(b.participation_date, b.request_date)[:, None]
    with np.errstate(invalid="ignore"):
        five_years = (~no_participation | no_seasoning) & (
            participation >= np.fmax(b.participation_years, law_participation))
        short = profit_sharing & ((b.seasoning_years < law_seasoning)
                                  | (b.participation_years < law_participation))
    seasoning = profit_sharing & (~no_seasoning | np.isnan(b.in_service_min_age))
    vested = b.balance * b.vested
    vested_seasoned = np.minimum(b.seasoned * b.vested, vested)
    payable = np.where(seasoning & ~five_years, vested_seasoned, vested)
    return EmployerPeriods(payable, seasoning, five_years & seasoning, short)


def in_service(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    n, S = b.balance.shape
    has = b.balance > 0
    allowed = b.in_service_allowed
    plan_age_ok = _plan_age_reached(b)

    pension = plan_is(b, PlanType.MONEY_PURCHASE)[:, None]
    custodial = plan_is(b, PlanType.PLAN_403B7)[:, None]
    annuity = plan_is(b, PlanType.PLAN_403B_ANNUITY)[:, None]
    gov457 = plan_is(b, PlanType.GOVERNMENTAL_457B)[:, None]
    deferral_age = age_reached(b, lk.get("in_service.deferral_age"))[:, None]
    pension_age = age_reached(b, lk.get("in_service.pension_age"))[:, None]
    year_457 = age_in_year(b, lk.get("in_service.governmental_457b_age"))[:, None]

    deferral = DEFERRAL_RESTRICTED[None, :]
    employer = EMPLOYER_DISCRETIONARY[None, :]
    after_tax = AFTER_TAX[None, :]
    # Money the plan may pay any time: rollovers in (Rev. Rul. 2004-12), after-tax money but
    # a 403(b)(7) account's, which waits for 59½ as the rest of it does (§1.403(b)-6(c)).
    free = ROLLOVER[None, :] | (after_tax & ~custodial)

    # What the law lets the plan pay in service, by plan type and source.
    law_ok = np.where(free, True,
             np.where(gov457, year_457,
             np.where(custodial, deferral_age,
             np.where(pension, pension_age,
             np.where(deferral, deferral_age, True)))))

    held = ~free & (deferral | pension | custodial | gov457)
    early_text = _plan_age_below_law(b, lk, held, gov457, pension & ~deferral)
    periods = employer_periods(b, lk, employer & ~gov457 & ~custodial & ~pension)

    working = ~f.separated[:, None]
    count_left = b.withdrawals_this_year < b.withdrawals_per_year
    eligible = working & allowed & law_ok & plan_age_ok & has & count_left[:, None]
    available = np.where(eligible, periods.payable, 0.0)
    eligible &= available > 0

    # Each plan type's deferrals before 59½ by its own rule: a 401(k)'s (§401(k)(2)(B)), an
    # annuity contract's (§403(b)(11)); a custodial account's and a 457(b)'s reasons below.
    # A terminated plan that pays the whole account (routes.separation) does not keep them in.
    paid_out = termination(b, f)["pays"][:, None]
    early_deferral = deferral & ~deferral_age & has & working & ~paid_out
    # Before 59½ a 403(b)(7) custodial account pays none of its money but rollovers in while
    # working, whatever the plan says (§403(b)(7)(A)(i)): its own reasons say so, not the plan's.
    custodial_closed = custodial & ~free & ~deferral_age
    reasons = {
        **by_plan_type(b, "IS_SEPARATED", f.separated[:, None] & has),
        "IS_NOT_IN_PLAN": ~allowed & has & working & ~custodial_closed,
        "IS_DEFERRAL_AT_59_HALF": deferral & deferral_age & ~gov457 & has & allowed,
        "IS_DEFERRAL_BEFORE_59_HALF": early_deferral & ~gov457 & ~custodial & ~annuity,
        "IS_403B_DEFERRAL_BEFORE_59_HALF": early_deferral & annuity,
        "IS_PENSION_BEFORE_59_HALF": pension & ~free & ~pension_age & has,
        "IS_403B7_BEFORE_59_HALF": custodial & ~free & ~after_tax & ~deferral_age & has,
        "IS_403B7_AFTER_TAX": custodial & after_tax & ~deferral_age & has & working,
        "IS_403B7_FROM_59_HALF": custodial & ~free & ~deferral & deferral_age & has & allowed,
        "IS_457_BEFORE_59_HALF_YEAR": gov457 & ~free & ~year_457 & has,
        "IS_457_FROM_59_HALF_YEAR": gov457 & ~free & year_457 & has & allowed,
        "IS_BELOW_PLAN_AGE": allowed & ~plan_age_ok & has,
        "IS_PENSION_FROM_59_HALF": pension & ~free & ~deferral & pension_age & has & allowed & working,
        "IS_SEASONED_ONLY": periods.seasoning & ~periods.five_years & allowed & has & working,
        "IS_FIVE_YEARS": periods.five_years & eligible,
        "IS_EMPLOYER_OK": employer & ~gov457 & ~custodial & ~pension & eligible,
        "IS_AFTER_TAX_ANY_TIME": after_tax & ~custodial & allowed & has,
        "IS_ROLLOVER_ANY_TIME": ROLLOVER[None, :] & allowed & has,
        "IS_NOT_VESTED": (b.vested < 1) & has,
        "IS_COUNT_USED": np.broadcast_to(~count_left[:, None] & has, (n, S)),
        "IS_PLAN_AGE_BELOW_LAW": early_text & allowed & ~law_ok & has & working,
        "IS_PLAN_PERIOD_BELOW_LAW": periods.short & allowed & has & working,
        "IS_PLAN_TERMINATED": paid_out & has,
    }
    return RouteResult("in_service", eligible, available, reasons)
