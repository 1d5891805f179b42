"""Inherited accounts in the drawdown plan: the beneficiary's yearly minimum and the year the
account must be empty, from the same beneficiary route that ``dist401k assess`` runs (IRC
§401(a)(9)(B), (E), (H); Treas. Reg. §1.401(a)(9)-3, -4, -5).

The route is asked once for each year of the plan with a balance of one dollar: its required
amount is then 1 ÷ the year's distribution period, or the whole dollar in the year the account
must be emptied.  Payments to a beneficiary owe no 10% additional tax (§72(t)(2)(A)(ii)).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import parse_case
from dist401k.law.loader import Law
from dist401k.routes.beneficiary import beneficiary
from dist401k.routes.common import Facts


def _dollar_source(roth: bool) -> str:
    """The money source of the one-dollar test account: Roth money for a Roth account (a Roth
    IRA, or designated Roth money of a plan: the case takes no other money beside it), pre-tax
    money otherwise.  A beneficiary owes yearly minimums on either (IRC §401(a)(9)(B), applied
    to a Roth IRA as if the owner died before the required beginning date, §408A(c)(5), Treas.
    Reg. §1.408A-6, Q&A-14; SECURE 2.0 §325 took away only the owner's own lifetime minimums of
    designated Roth money, §402A(d)(5))."""
    return "rollover_roth" if roth else "elective_deferral"


def inherited_divisors(heir_birth_date: dt.date, inherited, law: Law, years) -> np.ndarray:
    """The distribution period of each year (∞ where nothing is required; 1 in the year the
    account must be emptied) for an inherited account of the plan."""
    ben = inherited.beneficiary.model_dump(mode="json")
    ben.update(prior_year_end_balance=1.0, distributed_this_year=0.0, missed=[])
    cases = [parse_case({
        "person": {"birth_date": heir_birth_date.isoformat()},
        "plan": {"type": "401k", "governmental": bool(inherited.governmental)},
        "account": {"sources": {_dollar_source(ben["roth"]): {"balance": 1.0}}},
        "beneficiary": ben,
        "request": {"date": f"{int(y)}-12-31", "amount": 0},
    }) for y in years]
    b = CaseBatch.from_cases(cases)
    r = beneficiary(b, Facts.of(b, law))
    required = np.asarray(r.extra["required"], float)
    with np.errstate(divide="ignore"):
        return np.where(required > 0, 1.0 / np.maximum(required, 1e-12), np.inf)
