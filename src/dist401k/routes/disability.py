"""Disability: a distributable event for deferral-type money (IRC §401(k)(2)(B)(i)(I)), where
the plan pays on it; disabled as §72(m)(7) defines it, which also removes the 10% tax."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts


def disability(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    ok = b.disabled & b.disability_distributions & ~f.separated
    eligible = ok[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {
        "DI_OK": eligible,
        "DI_NOT": (~b.disabled)[:, None] & has,
        "DI_PLAN": (b.disabled & ~b.disability_distributions)[:, None] & has,
    }
    return RouteResult("disability", eligible, available, reasons)
