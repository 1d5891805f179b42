"""Small-account cash-out of a governmental 457(b) while still employed (IRC §457(e)(9)(A)):
the whole account is at most the §411(a)(11)(A) limit, and nothing was deferred in two years."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, plan_is


def de_minimis_457(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    limit = f.lk.get("in_service.governmental_457b_de_minimis")
    total = b.balance.sum(axis=1) + b.loan_outstanding  # the total payable, loans included
    ok = plan_is(b, PlanType.GOVERNMENTAL_457B) & ~f.separated & (total <= limit) & \
        ~b.deferrals_last_two_years & (total > 0)
    eligible = ok[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {"DM_OK": eligible,
               "DM_NOT": (~ok)[:, None] & has}
    return RouteResult("de_minimis_457", eligible, available, reasons)
