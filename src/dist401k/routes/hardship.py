"""Hardship withdrawals (401(k), 403(b)) and unforeseeable emergencies (governmental 457(b)).

Needs on the safe-harbor list of Treas. Reg. §1.401(k)-1(d)(3)(ii)(B): medical care, buying a
principal residence, tuition for the next 12 months, preventing eviction or foreclosure,
funeral, casualty repair of the residence, FEMA-declared disaster losses.  A 457(b)'s
unforeseeable emergency (Treas. Reg. §1.457-6(c)) is narrower.  The amount is the need plus the
taxes it will cost (§1.401(k)-1(d)(3)(iii)(A)); the outcome module grosses it up.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType, Purpose
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, plan_is

SAFE_HARBOR = (Purpose.MEDICAL, Purpose.TUITION, Purpose.HOME_PURCHASE, Purpose.EVICTION,
               Purpose.FUNERAL, Purpose.CASUALTY, Purpose.DISASTER)
EMERGENCY_457 = (Purpose.MEDICAL, Purpose.EVICTION, Purpose.FUNERAL, Purpose.CASUALTY,
                 Purpose.DISASTER)


def hardship(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    gov457 = plan_is(b, PlanType.GOVERNMENTAL_457B)
    safe = np.isin(b.purpose, SAFE_HARBOR)
    emergency = np.isin(b.purpose, EMERGENCY_457)
    need_ok = np.where(gov457, emergency, safe)
    offered = b.hardship_allowed
    case_ok = offered & need_ok
    src_ok = np.where(gov457[:, None], True, b.hardship_sources)
    eligible = case_ok[:, None] & src_ok & has
    available = np.where(eligible, b.vested_balance, 0.0)
    none_stated = b.purpose == Purpose.NONE
    reasons = {
        "HS_NOT_OFFERED": (~offered)[:, None] & has,
        "HS_NO_NEED": (offered & none_stated)[:, None] & has,
        "HS_SAFE_HARBOR_NEED": (offered & safe & ~gov457)[:, None] & eligible,
        "HS_457_EMERGENCY": (offered & gov457 & emergency)[:, None] & eligible,
        "HS_NOT_457_EMERGENCY": (offered & gov457 & safe & ~emergency)[:, None] & has,
        "HS_SOURCE_NOT_IN_PLAN": case_ok[:, None] & ~src_ok & has,
        "HS_AMOUNT_NEED": eligible,
        "HS_SELF_CERTIFIED": (case_ok & b.hardship_self_certification)[:, None] & eligible,
        "HS_NOT_ROLLABLE": eligible,
    }
    return RouteResult("hardship", eligible, available, reasons,
                       extra={"need": np.where(case_ok, b.need, np.nan)})
