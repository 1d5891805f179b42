"""Disability: a distributable event for deferral-type money (IRC §401(k)(2)(B)(i)(I)) and of
a 403(b) (§403(b)(7)(A)(i)(IV), §403(b)(11)(A)), where the plan pays on it; disabled as §72(m)(7)
defines it, which also removes the 10% tax.  Not one of a governmental 457(b): it pays only
from the calendar year of 59½, on severance from employment or on an unforeseeable emergency
(§457(d)(1)(A); Treas. Reg. §1.457-6(a)).  A disabled participant who has left the job takes
the money by the separation route instead (``DI_SEPARATED``), where disability still removes
the 10% tax (§72(t)(2)(A)(iii))."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, plan_is


def pays_on_disability(b: CaseBatch) -> np.ndarray:
    """Plans the law lets pay on disability: every plan type but a governmental 457(b), whose
    distributable events (§457(d)(1)(A)) do not include it."""
    return ~plan_is(b, PlanType.GOVERNMENTAL_457B)


def disability(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    lawful = pays_on_disability(b)
    pays = b.disabled & b.disability_distributions & lawful
    eligible = (pays & ~f.separated)[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {
        "DI_OK": eligible,
        "DI_NOT": (~b.disabled)[:, None] & has,
        "DI_PLAN": (b.disabled & lawful & ~b.disability_distributions)[:, None] & has,
        "DI_NOT_457_EVENT": (b.disabled & ~lawful)[:, None] & has,
        # Separated: the separation route pays it all, disability still lifting the 10% tax.
        "DI_SEPARATED": (pays & f.separated)[:, None] & has,
    }
    return RouteResult("disability", eligible, available, reasons)
