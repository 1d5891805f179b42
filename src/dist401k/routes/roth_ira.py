"""Money from the Roth IRAs instead of the plan (IRC §408A): open at any time to an owner with
a Roth IRA balance, no plan rules and no hardship test; how much of it is taxed, and the 10%
tax, follow the ordering rules (:mod:`dist401k.roth_ira_ordering`, :mod:`dist401k.roth_ira_outcome`).

A route's arrays are by money source of the plan ([n, S]); the Roth IRA is no plan source, so
its balance is held in the column :data:`ACCOUNT` and the answer's rows by source leave this
route out (its summary says what it gives).
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.money import HALF_CENT
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts

#: The column of a route's [n, S] arrays that holds the Roth IRAs.
ACCOUNT = 0


def roth_ira(b: CaseBatch, f: Facts) -> RouteResult:
    """Open where the case gives a Roth IRA balance (``iras.roth``): all of it may be taken."""
    n, s = np.asarray(b.balance).shape
    balance = np.asarray(b.ira_roth, float)
    has = balance > HALF_CENT
    eligible = np.zeros((n, s), bool)
    available = np.zeros((n, s))
    eligible[:, ACCOUNT] = has
    available[:, ACCOUNT] = np.where(has, balance, 0.0)
    return RouteResult("roth_ira", eligible, available,
                       {"RI_OPEN": has, "RI_NO_ROTH_IRA": ~has})
