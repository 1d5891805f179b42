"""After severance from employment: every vested dollar is payable, at any age
(IRC §401(k)(2)(B)(i)(I); §403(b)(11); §457(d)(1)(A)(ii)).  Whether the 10% tax applies (the
rule of 55, public safety at 50) is decided with the outcome (dist401k.early_distribution)."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, by_plan_type


def separation(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    eligible = f.separated[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {"SP_OK": eligible, **by_plan_type(b, "SP_ACTIVE", ~f.separated[:, None] & has)}
    return RouteResult("separation", eligible, available, reasons)
