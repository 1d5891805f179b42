"""Small-account cash-out of a governmental 457(b) while still employed (IRC §457(e)(9)(A); Treas.
Reg. §1.457-6(e)).

The test measures the account without the money rolled in: "the portion of such amount which is
not attributable to rollover contributions (as defined in section 411(a)(11)(D))" must not
exceed the §411(a)(11)(A) limit (§457(e)(9)(A)(i)). What it measures is the total amount
payable to the participant (§457(e)(9)(A)): the vested account, the loans outstanding included
— a loan is an asset of the account, its receivable part of what the participant is owed (as
for the loan maximum's accrued benefit, :func:`dist401k.routes.common.accrued_benefit`); a
loan's part drawn from rolled-in money is not known, so all of it counts. The cash-out pays the
whole account, the money rolled in too. Nothing may have been deferred in the two years before
(§457(e)(9)(A)(ii)(I)), and the plan may have paid the participant no such cash-out before
(§457(e)(9)(A)(ii)(II)). A plan need not provide it (the statute lets the participant elect it,
or the plan pay it, where the plan so provides; Treas. Reg. §1.457-6(e)):
``plan.small_account_cash_out``, default no.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import PlanType
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, plan_is
from dist401k.sources import ROLLOVER


def de_minimis_457(b: CaseBatch, f: Facts) -> RouteResult:
    """The cash-out, open in each source of the account where every condition holds; where one
    fails, a reason names each condition that failed (:func:`_failed`)."""
    has = b.balance > 0
    limit = f.lk.get("in_service.governmental_457b_de_minimis")
    vested = b.vested_balance
    # The total account balance not attributable to rollover contributions, loans included.
    measured = (vested * ~ROLLOVER[None, :]).sum(axis=1) + b.loan_outstanding
    total = vested.sum(axis=1) + b.loan_outstanding
    gov457 = plan_is(b, PlanType.GOVERNMENTAL_457B) & ~f.separated
    not_provided = gov457 & ~b.small_account_cash_out
    paid_before = gov457 & b.small_account_cash_out & b.prior_small_account_cash_out
    ok = gov457 & ~not_provided & ~paid_before & (measured <= limit) & \
        ~b.deferrals_last_two_years & (total > 0)
    eligible = ok[:, None] & has
    available = np.where(eligible, vested, 0.0)
    reasons = {"DM_OK": eligible,
               "DM_NOT_PROVIDED": not_provided[:, None] & has,
               "DM_PAID_BEFORE": paid_before[:, None] & has}
    closed = ~ok & ~not_provided & ~paid_before
    for code, failed in _failed(b, f, measured, limit).items():
        reasons[code] = (closed & failed)[:, None] & has
    return RouteResult("de_minimis_457", eligible, available, reasons)


def _failed(b: CaseBatch, f: Facts, measured, limit) -> dict[str, np.ndarray]:
    """Each condition of §457(e)(9)(A) the case fails, by its reason: not a governmental 457(b)
    (``DM_NOT_457``, the one answer for another plan), left the job (a separation pays
    instead: ``DM_SEPARATED``), the account measured over the §411(a)(11)(A) limit
    (``DM_OVER_LIMIT``, with ``DM_LOAN_COUNTED`` where the loans outstanding put it over),
    deferrals in the last two years (``DM_DEFERRED``)."""
    is457 = plan_is(b, PlanType.GOVERNMENTAL_457B)
    over = is457 & (measured > limit)  # another plan's answer is that it is not one
    return {"DM_NOT_457": ~is457,
            "DM_SEPARATED": is457 & f.separated,
            "DM_OVER_LIMIT": over,
            "DM_LOAN_COUNTED": over & (measured - b.loan_outstanding <= limit),
            "DM_DEFERRED": is457 & np.asarray(b.deferrals_last_two_years, bool)}
