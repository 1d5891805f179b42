"""Every way out of the plan: each route a module, each evaluated over the whole batch."""

from __future__ import annotations

from dist401k.batch import CaseBatch
from dist401k.law.loader import Law, default_law
from dist401k.routes.base import DESTINATIONS, ROUTES, RouteResult
from dist401k.routes.common import Facts
from dist401k.routes.de_minimis_457 import de_minimis_457
from dist401k.routes.disability import disability
from dist401k.routes.hardship import hardship
from dist401k.routes.in_service import in_service
from dist401k.routes.loan import loan
from dist401k.routes.rmd import rmd
from dist401k.routes.secure2 import (
    birth_adoption,
    disaster,
    domestic_abuse,
    emergency_expense,
    long_term_care,
)
from dist401k.routes.separation import separation

EVALUATORS = {
    "in_service": in_service,
    "hardship": hardship,
    "loan": loan,
    "emergency_expense": emergency_expense,
    "domestic_abuse": domestic_abuse,
    "birth_adoption": birth_adoption,
    "disaster": disaster,
    "long_term_care": long_term_care,
    "de_minimis_457": de_minimis_457,
    "separation": separation,
    "rmd": rmd,
    "disability": disability,
}
assert set(EVALUATORS) == set(ROUTES)


def evaluate_routes(b: CaseBatch, law: Law | None = None) -> tuple[Facts, dict[str, RouteResult]]:
    """Every route for every case of the batch."""
    f = Facts.of(b, law or default_law())
    return f, {name: EVALUATORS[name](b, f) for name in ROUTES}


__all__ = ["DESTINATIONS", "ROUTES", "RouteResult", "evaluate_routes"]
