"""Hardship withdrawals (401(k), 403(b)) and unforeseeable emergencies (governmental 457(b)).

Needs on the safe-harbor list of Treas. Reg. §1.401(k)-1(d)(3)(ii)(B): medical care, buying a
principal residence, tuition for the next 12 months, preventing eviction or foreclosure,
funeral, casualty repair of the residence, and losses from a disaster FEMA declared for
individual assistance with the home or the workplace in its area ((B)(7):
``request.disaster_declared``).  A 457(b)'s unforeseeable emergency (Treas. Reg. §1.457-6(c))
is narrower, and needs no declaration.  The amount is the need plus the taxes it will cost
(§1.401(k)-1(d)(3)(iii)(A); a 457(b)'s §1.457-6(c)(2)(iii)); the outcome module grosses it up.
Without ``request.need`` the amount cannot be sized: the request is paid, and said to be
unsized.  The need is what is left after the plan's other distributions open now
(dist401k.routes.hardship_order).

What the law lets a plan pay on hardship, whatever its text says (docs/assess.md: the plan's
provision applies where it is lawful, the rule closes the rest):

- a money purchase pension plan pays nothing on hardship: a pension plan pays benefits on
  retirement, severance, death or disability, and in service only from 59½ (Treas. Reg.
  §1.401-1(b)(1)(i); IRC §401(a)(36));
- a 403(b)(7) custodial account pays on hardship only its salary-reduction (elective and Roth)
  deferrals and, for plan years from 2024, its QNECs and QMACs — SECURE 2.0 §602 made the
  custodial account's hardship clause "subject to the provisions of paragraph (17)"
  (§403(b)(7)(A)(i)(V), §403(b)(17)), which lists those and their earnings; no other employer
  money (Treas. Reg. §1.403(b)-6(c), (d)); nor the employee's after-tax contributions, which
  §1.403(b)-6(c) keeps in until severance, 59½, death or disability (unlike §1.403(b)-6(b) for
  annuity contracts, it has no exception for them); rolled-in money stays payable as the plan
  allows, as in service (Rev. Rul. 2004-12).
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType, Purpose
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, asks_for_elsewhere, plan_is
from dist401k.sources import INDEX, ROLLOVER, SALARY_REDUCTION, S

#: QNECs and QMACs: a 403(b)(7) custodial account's on hardship from 2024 (§403(b)(17)).
QUALIFIED = np.isin(np.arange(S), [INDEX["qnec"], INDEX["qmac"]])

SAFE_HARBOR = (Purpose.MEDICAL, Purpose.TUITION, Purpose.HOME_PURCHASE, Purpose.EVICTION,
               Purpose.FUNERAL, Purpose.CASUALTY, Purpose.DISASTER)
EMERGENCY_457 = (Purpose.MEDICAL, Purpose.EVICTION, Purpose.FUNERAL, Purpose.CASUALTY,
                 Purpose.DISASTER)


def lawful_hardship_sources(b: CaseBatch, f: Facts) -> np.ndarray:
    """[n, S]: the money the law lets the plan pay on hardship — none of a money purchase
    pension plan (Treas. Reg. §1.401-1(b)(1)(i)), of a 403(b)(7) custodial account only the
    salary-reduction deferrals and, from plan years of 2024, the QNECs and QMACs
    (§403(b)(7)(A)(i)(V), §403(b)(17)), with the rolled-in money it may pay any time (Rev. Rul.
    2004-12) — not its after-tax money (Treas. Reg. §1.403(b)-6(c)); any source of the other
    plans."""
    pension = plan_is(b, PlanType.MONEY_PURCHASE)[:, None]
    custodial = plan_is(b, PlanType.PLAN_403B7)[:, None]
    qualified = np.asarray(f.lk.get("secure2.hardship_403b_qualified_contributions"),
                           bool)[:, None] & QUALIFIED[None, :]
    return np.where(pension, False,
           np.where(custodial, (SALARY_REDUCTION | ROLLOVER)[None, :] | qualified, True))


def safe_harbor_need(b: CaseBatch) -> tuple[np.ndarray, np.ndarray]:
    """A need on the safe-harbor list (Treas. Reg. §1.401(k)-1(d)(3)(ii)(B)), and a disaster
    stated without the declaration its seventh item needs: "expenses and losses ... on account
    of a disaster declared by [FEMA] ... provided that the employee's principal residence or
    principal place of employment at the time of the disaster was located in an area designated
    by FEMA for individual assistance" ((B)(7); ``request.disaster_declared``)."""
    undeclared = (b.purpose == Purpose.DISASTER) & ~np.asarray(b.disaster_declared, bool)
    return np.isin(b.purpose, SAFE_HARBOR) & ~undeclared, undeclared


def hardship(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    gov457 = plan_is(b, PlanType.GOVERNMENTAL_457B)
    is_403b = plan_is(b, PlanType.PLAN_403B_ANNUITY, PlanType.PLAN_403B7)
    pension = plan_is(b, PlanType.MONEY_PURCHASE)
    custodial = plan_is(b, PlanType.PLAN_403B7)
    safe, undeclared = safe_harbor_need(b)
    emergency = np.isin(b.purpose, EMERGENCY_457)
    need_ok = np.where(gov457, emergency, safe)
    offered = b.hardship_allowed
    case_ok = offered & need_ok & ~pension
    src_ok = np.where(gov457[:, None], True, b.hardship_sources)
    law_ok = lawful_hardship_sources(b, f)
    eligible = case_ok[:, None] & src_ok & law_ok & has
    available = np.where(eligible, b.vested_balance, 0.0)
    none_stated = b.purpose == Purpose.NONE
    sized = ~np.isnan(b.need)
    certified = case_ok & b.hardship_self_certification
    reasons = {
        # No provision: each plan type's own rule — §1.401(k)-1(d)(3), §1.403(b)-6(d)(2), and a
        # 457(b)'s unforeseeable emergency (§457(d)(1)(A)(iii), Treas. Reg. §1.457-6(c)).
        "HS_NOT_OFFERED": (~offered & ~gov457 & ~is_403b)[:, None] & has,
        "HS_403B_NOT_OFFERED": (~offered & is_403b)[:, None] & has,
        "HS_457_NOT_OFFERED": (~offered & gov457)[:, None] & has,
        "HS_NO_NEED": (offered & none_stated & ~pension)[:, None] & has,
        "HS_SAFE_HARBOR_NEED": (offered & safe & ~gov457)[:, None] & eligible,
        "HS_457_EMERGENCY": (offered & gov457 & emergency)[:, None] & eligible,
        "HS_NOT_457_EMERGENCY": (offered & gov457 & ~none_stated & ~emergency)[:, None] & has,
        "HS_DISASTER_NOT_DECLARED": (offered & ~gov457 & ~pension & undeclared)[:, None] & has,
        # A purpose stated that no hardship rule takes (the SECURE 2.0 routes take some).
        "HS_NOT_SAFE_HARBOR_NEED": (offered & ~gov457 & ~none_stated & ~safe & ~undeclared
                                    & ~pension)[:, None] & has,
        "HS_SOURCE_NOT_IN_PLAN": case_ok[:, None] & ~src_ok & law_ok & has,
        "HS_PENSION": (offered & pension)[:, None] & has,
        "HS_403B7_SOURCE": (case_ok & custodial)[:, None] & ~law_ok & has,
        "HS_AMOUNT_NEED": (sized & ~gov457)[:, None] & eligible,
        "HS_457_AMOUNT_NEED": (sized & gov457)[:, None] & eligible,
        "HS_NEED_NOT_GIVEN": (~sized & ~gov457)[:, None] & eligible,
        "HS_457_NEED_NOT_GIVEN": (~sized & gov457)[:, None] & eligible,
        "HS_457_OTHER_MEANS": gov457[:, None] & eligible,
        "HS_SELF_CERTIFIED": (certified & ~gov457)[:, None] & eligible,
        "HS_457_SELF_CERTIFIED": (certified & gov457)[:, None] & eligible,
        # Asked to an IRA, another plan or a 60-day rollover: "any distribution which is made
        # upon hardship of the employee" is no eligible rollover distribution (§402(c)(4)(C)),
        # so the plan pays it in cash only (dist401k.outcome.ROLLABLE), as the SECURE 2.0 routes.
        "HS_NOT_ROLLABLE": asks_for_elsewhere(b)[:, None] & eligible,
    }
    return RouteResult("hardship", eligible, available, reasons,
                       extra={"need": np.where(case_ok, b.need, np.nan)})
