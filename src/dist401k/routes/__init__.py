"""Every way out of the plan: each route a module, each evaluated over the whole batch."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Destination
from dist401k.law.loader import Law, default_law
from dist401k.routes.base import DESTINATIONS, IRA_ROUTES, ROUTES, RouteResult
from dist401k.routes.beneficiary import beneficiary
from dist401k.routes.common import Facts, asks_for
from dist401k.routes.de_minimis_457 import de_minimis_457
from dist401k.routes.disability import disability
from dist401k.routes.hardship import hardship
from dist401k.routes.hardship_order import hardship_after_other_routes
from dist401k.routes.in_service import in_service
from dist401k.routes.loan import loan
from dist401k.routes.loan_default import ASSUMED_LENDER, loan_deemed, loan_offset
from dist401k.routes.qdro import (
    OPEN_TO_ALTERNATE_PAYEES,
    closed_to_alternate_payees,
    qdro,
    qdro_dependent,
)
from dist401k.routes.rmd import rmd
from dist401k.routes.roth_ira import roth_ira
from dist401k.routes.secure2 import (
    birth_adoption,
    disaster,
    domestic_abuse,
    emergency_expense,
    long_term_care,
)
from dist401k.routes.separation import separation
from dist401k.sources import ROTH

EVALUATORS = {
    "in_service": in_service,
    "hardship": hardship,
    "loan": loan,
    "loan_deemed": loan_deemed,
    "loan_offset": loan_offset,
    "emergency_expense": emergency_expense,
    "domestic_abuse": domestic_abuse,
    "birth_adoption": birth_adoption,
    "disaster": disaster,
    "long_term_care": long_term_care,
    "de_minimis_457": de_minimis_457,
    "separation": separation,
    "rmd": rmd,
    "disability": disability,
    "beneficiary": beneficiary,
    "qdro": qdro,
    "qdro_dependent": qdro_dependent,
    "roth_ira": roth_ira,
}
assert set(EVALUATORS) == set(ROUTES)


def evaluate_routes(b: CaseBatch, law: Law | None = None) -> tuple[Facts, dict[str, RouteResult]]:
    """Every route for every case of the batch."""
    f = Facts.of(b, law or default_law())
    out = {name: EVALUATORS[name](b, f) for name in ROUTES}
    if np.asarray(b.inherited).any():
        out = {name: r if name in OPEN_TO_HEIRS else _closed_to_heirs(b, r)
               for name, r in out.items()}
    if np.asarray(b.alternate_payee).any():  # an alternate payee: only as the QDRO assigns
        out = {name: r if name in OPEN_TO_ALTERNATE_PAYEES
               else closed_to_alternate_payees(b, r, _ZEROED.get(name, ()))
               for name, r in out.items()}
    # A hardship pays only what the plan's other distributions open now leave of the need.
    out["hardship"] = hardship_after_other_routes(b, out)
    return f, with_no_money(b, roth_not_to_traditional_ira(b, out))


#: The routes whose payment may be rolled over, and so asked to a traditional IRA
#: (dist401k.outcome.ROLLABLE, and an heir's direct transfer).
_ROLLED_OVER = ("in_service", "separation", "disability", "de_minimis_457", "qdro", "beneficiary")


def roth_not_to_traditional_ira(b: CaseBatch, routes: dict[str, RouteResult]) -> dict[str, RouteResult]:
    """Where the request asks for a traditional IRA, why a route's designated Roth money does
    not go there (``OC_ROTH_TO_ROTH_IRA``, on its Roth money sources the route pays): it may be
    rolled over only to a Roth IRA or another designated Roth account (IRC §402A(c)(3);
    §402(c)(8)(B), last sentence; Treas. Reg. §1.402A-1, Q&A-5), so a route that pays only
    Roth money has no outcome there."""
    asked = asks_for(b, Destination.TRADITIONAL_IRA)
    if not asked.any():
        return routes
    roth = asked[:, None] & ROTH[None, :]
    return {name: r if name not in _ROLLED_OVER else RouteResult(
        r.route, r.eligible, r.available, {**r.reasons, "OC_ROTH_TO_ROTH_IRA": roth & r.eligible},
        r.limit, r.extra) for name, r in routes.items()}


#: Routes that say on their own what an account holding no money but a loan gets (the loan
#: gone bad), and those that pay money from outside the plan (the Roth IRA).
_OWN_WORDS = ("loan_deemed", "loan_offset", *IRA_ROUTES)


def with_no_money(b: CaseBatch, routes: dict[str, RouteResult]) -> dict[str, RouteResult]:
    """Every route of an account with no balance in any money source closed with a why
    (``AC_NO_MONEY``, given on the pre-tax deferrals, where a loan of such an account is taken
    as lent from: routes.loan_default): a route pays only money the plan holds for the
    participant (plan document; a loan outstanding is not paid, only offset or deemed
    distributed)."""
    empty = b.balance.sum(axis=1) <= 0
    if not empty.any():
        return routes
    cell = empty[:, None] & ASSUMED_LENDER[None, :]
    return {name: r if name in _OWN_WORDS else RouteResult(
        r.route, r.eligible, r.available, {**r.reasons, "AC_NO_MONEY": cell}, r.limit, r.extra)
        for name, r in routes.items()}


# Routes an heir keeps: the inherited account's own, and the heir's own Roth IRA.
OPEN_TO_HEIRS = ("beneficiary", "roth_ira")
# Route amounts that mean nothing once the route is closed (the participant's RMD, a loan).
_ZEROED = {"rmd": ("rmd", "remaining"), "loan": ("maximum", "payment", "total_interest",
                                                 "principal")}


def _closed_to_heirs(b: CaseBatch, r: RouteResult) -> RouteResult:
    """The participant's ways out are closed to a beneficiary, who takes money from an
    inherited account only as a distribution on death (routes.beneficiary)."""
    heir = np.asarray(b.inherited, bool)
    keep = ~heir[:, None]
    reasons = {k: np.asarray(m) & (keep if np.ndim(m) == 2 else ~heir)
               for k, m in r.reasons.items()}
    reasons["BN_NOT_PARTICIPANT"] = heir[:, None] & (b.balance > 0)
    extra = dict(r.extra)
    for k in _ZEROED.get(r.route, ()):
        extra[k] = np.where(heir, 0.0, extra[k])
    limit = np.where(heir, 0.0, r.limit) if r.route == "rmd" else r.limit
    return RouteResult(r.route, r.eligible & keep, np.where(keep, r.available, 0.0), reasons,
                       limit, extra)


__all__ = ["DESTINATIONS", "ROUTES", "RouteResult", "evaluate_routes"]
