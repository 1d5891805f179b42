"""In-service withdrawals by money source, while the participant still works.

- Deferral-type money (elective and Roth deferrals, QNEC, QMAC, safe harbor): from 59½
  (IRC §401(k)(2)(B)(i)(III); §403(b)(11) for 403(b) deferrals).
- Employer match and profit sharing in a profit-sharing or 401(k) plan (and employer money of a
  403(b) annuity): as the plan says, after two years of seasoning or five years of
  participation (Treas. Reg. §1.401-1(b)(1)(ii); Rev. Rul. 71-295; Rev. Rul. 68-24).
- A money purchase plan: from 59½ (§401(a)(36)); a 403(b)(7) account: all of it from 59½,
  the employee's after-tax contributions included (§403(b)(7)(A)(i); Treas. Reg.
  §1.403(b)-6(c), which unlike §1.403(b)-6(b) for annuity contracts has no exception for
  them); a governmental 457(b): from the calendar year of 59½ (§457(d)(1)(A)).
- After-tax money (but a 403(b)(7) account's) and rollovers in: any time the plan allows
  (§72(d)(2); Rev. Rul. 2004-12).
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.dates import anniversary
from dist401k.law.loader import Lookup
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, age_in_year, age_reached, plan_is, years_between
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


def in_service(b: CaseBatch, f: Facts) -> RouteResult:
    lk = f.lk
    n, S = b.balance.shape
    has = b.balance > 0
    allowed = b.in_service_allowed
    plan_age_ok = _plan_age_reached(b)

    pension = plan_is(b, PlanType.MONEY_PURCHASE)[:, None]
    custodial = plan_is(b, PlanType.PLAN_403B7)[:, None]
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

    # The plan's periods, never shorter than the law's (two years' seasoning, five years of
    # participation: Rev. Rul. 71-295, 68-24); a shorter one in the plan's text is a notice.
    law_participation = lk.get("in_service.participation_years")[:, None]
    law_seasoning = lk.get("in_service.seasoning_years")[:, None]
    participation = years_between(b.participation_date, b.request_date)
    with np.errstate(invalid="ignore"):
        five_years = ~np.isnan(b.participation_years) & (
            participation[:, None] >= np.maximum(b.participation_years, law_participation))
        short_period = employer & ~gov457 & ~custodial & ~pension & (
            (b.seasoning_years < law_seasoning) | (b.participation_years < law_participation))
    held = ~free & (deferral | pension | custodial | gov457)
    early_text = _plan_age_below_law(b, lk, held, gov457, pension & ~deferral)
    seasoning_rule = ~np.isnan(b.seasoning_years) & employer & ~gov457 & ~custodial & ~pension
    vested = b.balance * b.vested
    vested_seasoned = np.minimum(b.seasoned * b.vested, vested)
    payable = np.where(seasoning_rule & ~five_years, vested_seasoned, vested)

    count_left = b.withdrawals_this_year < b.withdrawals_per_year
    eligible = (~f.separated[:, None]) & allowed & law_ok & plan_age_ok & has & count_left[:, None]
    available = np.where(eligible, payable, 0.0)
    eligible &= available > 0

    reasons = {
        "IS_SEPARATED": np.broadcast_to(f.separated[:, None] & has, (n, S)),
        "IS_NOT_IN_PLAN": ~allowed & has & ~f.separated[:, None],
        "IS_DEFERRAL_AT_59_HALF": deferral & deferral_age & ~gov457 & has & allowed,
        "IS_DEFERRAL_BEFORE_59_HALF": deferral & ~deferral_age & ~gov457 & has
        & ~f.separated[:, None],
        "IS_PENSION_BEFORE_59_HALF": pension & ~free & ~pension_age & has,
        "IS_403B7_BEFORE_59_HALF": custodial & ~free & ~after_tax & ~deferral_age & has,
        "IS_403B7_AFTER_TAX": custodial & after_tax & ~deferral_age & has & ~f.separated[:, None],
        "IS_403B7_FROM_59_HALF": custodial & ~free & ~deferral & deferral_age & has & allowed,
        "IS_457_BEFORE_59_HALF_YEAR": gov457 & ~free & ~year_457 & has,
        "IS_457_FROM_59_HALF_YEAR": gov457 & ~free & year_457 & has & allowed,
        "IS_BELOW_PLAN_AGE": allowed & ~plan_age_ok & has,
        "IS_SEASONED_ONLY": seasoning_rule & ~five_years & allowed & has,
        "IS_FIVE_YEARS": employer & five_years & allowed & has,
        "IS_EMPLOYER_OK": employer & ~gov457 & ~custodial & ~pension & allowed & plan_age_ok & has,
        "IS_AFTER_TAX_ANY_TIME": after_tax & ~custodial & allowed & has,
        "IS_ROLLOVER_ANY_TIME": ROLLOVER[None, :] & allowed & has,
        "IS_NOT_VESTED": (b.vested < 1) & has,
        "IS_COUNT_USED": np.broadcast_to(~count_left[:, None] & has, (n, S)),
        "IS_PLAN_AGE_BELOW_LAW": early_text & allowed & ~law_ok & has & ~f.separated[:, None],
        "IS_PLAN_PERIOD_BELOW_LAW": short_period & allowed & has & ~f.separated[:, None],
    }
    return RouteResult("in_service", eligible, available, reasons)
