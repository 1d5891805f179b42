"""A hardship distribution comes after every other distribution the plan pays now.

Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1), as amended by T.D. 9875 (mandatory for
distributions from 2020): a distribution is not necessary to satisfy an immediate and heavy
financial need unless the employee has obtained all other currently available distributions
(including ESOP dividends under §404(k), but not hardship distributions) under the plan and
all other deferred compensation plans of the employer — loans no longer.  A 403(b) follows the
same rules (Treas. Reg. §1.403(b)-6(d)(2)).  A governmental 457(b)'s unforeseeable emergency
has its own standard (Treas. Reg. §1.457-6(c)(2)): the rule does not reach it.

What the plan's other routes open now can pay in cash is read from their own results: the
in-service withdrawal (every source the plan opens: vested employer money, after-tax and
rolled-in money any time), the payment after separation, on disability, the year's RMD and the
SECURE 2.0 withdrawals whose event the request states (an emergency personal expense where the
need is an emergency of the kind §72(t)(2)(I)(iv) names: medical care, eviction or
foreclosure, a funeral, a casualty, a disaster).  Routes that pay whole sources count each
source once (the most any of them pays from it); capped routes add their cap; the sum is at
most the vested balance.  Their gross counts, before the tax on it.  The hardship pays the need
left, and only from money those routes do not reach; it closes where they pay all the need.
The employer's other plans are not facts of the case: the participant represents them.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.money import HALF_CENT
from dist401k.routes.base import RouteResult
from dist401k.routes.common import plan_is
from dist401k.routes.hardship import EMERGENCY_457

#: The plan's distributions a hardship waits for, in the order the answer names them; not a
#: loan (T.D. 9875 dropped it), nor a loan gone bad (not paid on request).
FIRST_ROUTES: tuple[str, ...] = ("in_service", "separation", "disability", "rmd",
                                 "emergency_expense", "domestic_abuse", "birth_adoption",
                                 "disaster", "long_term_care")

#: The reason that names each route to take first.
FIRST_REASONS = {"in_service": "HS_FIRST_IN_SERVICE", "separation": "HS_FIRST_SEPARATION",
                 "disability": "HS_FIRST_DISABILITY", "rmd": "HS_FIRST_RMD",
                 "emergency_expense": "HS_FIRST_SECURE2", "domestic_abuse": "HS_FIRST_SECURE2",
                 "birth_adoption": "HS_FIRST_SECURE2", "disaster": "HS_FIRST_SECURE2",
                 "long_term_care": "HS_FIRST_SECURE2"}

#: The hardship's reasons that describe a payment: only where it still pays.
PAYING_REASONS = ("HS_AMOUNT_NEED", "HS_457_AMOUNT_NEED", "HS_NEED_NOT_GIVEN",
                  "HS_457_NEED_NOT_GIVEN", "HS_457_OTHER_MEANS", "HS_SELF_CERTIFIED",
                  "HS_457_SELF_CERTIFIED", "HS_NOT_ROLLABLE")


def counted_first(b: CaseBatch, routes: dict[str, RouteResult]) -> np.ndarray:
    """[n, R]: what each of FIRST_ROUTES pays now (its total, capped), where it counts: an
    emergency personal expense distribution only for a need that is an emergency expense
    (§72(t)(2)(I)(iv)); the other SECURE 2.0 routes are open only for their own event."""
    emergency_need = np.isin(b.purpose, EMERGENCY_457)
    cols = [np.where(emergency_need, routes[name].total_available, 0.0)
            if name == "emergency_expense" else routes[name].total_available
            for name in FIRST_ROUTES]
    return np.stack(cols, axis=1)


def paid_first(b: CaseBatch, routes: dict[str, RouteResult],
               each: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[n, S] what the routes that pay whole sources pay from each (the most any of them does),
    and [n] the cash all of FIRST_ROUTES pay together: those sources, the capped routes' totals
    (``each``) added, at most the vested balance."""
    by_source = np.zeros(b.balance.shape)
    capped = np.zeros(len(b))
    for k, name in enumerate(FIRST_ROUTES):  # a handful of routes, each over the whole batch
        r = routes[name]
        whole = np.isinf(r.limit)
        by_source = np.maximum(by_source, np.where(whole[:, None] & r.eligible, r.available, 0.0))
        capped += np.where(whole, 0.0, each[:, k])
    total = np.minimum(by_source.sum(axis=1) + capped, b.vested_balance.sum(axis=1))
    return by_source, total


def hardship_after_other_routes(b: CaseBatch, routes: dict[str, RouteResult]) -> RouteResult:
    """The hardship route once the plan's other distributions open now are taken first (Treas.
    Reg. §1.401(k)-1(d)(3)(iii)(B)(1); §1.403(b)-6(d)(2)): the need left after what they pay,
    from money they do not reach; closed (``HS_OTHER_ROUTES_COVER``) where they pay all the
    need or all the money it would draw on.  Not a governmental 457(b) (§1.457-6(c)(2))."""
    hs = routes["hardship"]
    each = counted_first(b, routes)
    by_source, paid = paid_first(b, routes, each)
    applies = ~plan_is(b, PlanType.GOVERNMENTAL_457B) & hs.eligible.any(axis=1)
    first = applies & (paid > HALF_CENT)
    need = hs.extra["need"]
    left = np.where(first[:, None], np.maximum(0.0, hs.available - by_source), hs.available)
    with np.errstate(invalid="ignore"):
        need_met = ~np.isnan(need) & (paid >= need - HALF_CENT)
    reaches = hs.eligible & (left > HALF_CENT)
    covered = first & (need_met | ~reaches.any(axis=1))
    eligible = reaches & ~covered[:, None]
    reasons = {"HS_OTHER_ROUTES_COVER": hs.eligible & covered[:, None],
               "HS_OTHER_ROUTES_FIRST": eligible & first[:, None]}
    for k, name in enumerate(FIRST_ROUTES):
        code = FIRST_REASONS[name]
        named = hs.eligible & (first & (each[:, k] > HALF_CENT))[:, None]
        reasons[code] = reasons[code] | named if code in reasons else named
    reasons.update({k: m & eligible if k in PAYING_REASONS else m for k, m in hs.reasons.items()})
    extra = dict(hs.extra)
    extra["need"] = np.where(first, np.maximum(0.0, need - paid), need)
    extra["first"] = np.where(first[:, None], each, 0.0)
    extra["paid_first"] = np.where(first, paid, 0.0)
    return RouteResult("hardship", eligible, np.where(eligible, left, 0.0), reasons, hs.limit,
                       extra)
