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


def _one_dollar_batch(heir_birth_date: dt.date, inherited, law: Law,
                      years) -> tuple[CaseBatch, Facts]:
    """The one-dollar test account of an inherited account at December 31 of each year, as the
    beneficiary route takes it: a plan gives no request's-year inputs (:data:`CASE_ONLY`)."""
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
    return b, Facts.of(b, law)


def inherited_divisors(heir_birth_date: dt.date, inherited, law: Law, years) -> np.ndarray:
    """The distribution period of each year (∞ where nothing is required; 1 in the year the
    account must be emptied) for an inherited account of the plan."""
    r = beneficiary(*_one_dollar_batch(heir_birth_date, inherited, law, years))
    required = np.asarray(r.extra["required"], float)
    with np.errstate(divide="ignore"):
        return np.where(required > 0, 1.0 / np.maximum(required, 1e-12), np.inf)


#: A case's inputs about the year of the request that a plan has no place for: the plan starts
#: on January 1 of its first year with the account's ``balance``, nothing yet distributed, and
#: prices no excise on minimums missed before it (IRC §4974; ``dist401k assess`` does).
CASE_ONLY = {
    "missed": "a plan does not price minimums missed before its first year (the §4974 excise "
              "on them): give them to `dist401k assess`, and the plan the balance left once "
              "they are made up",
    "prior_year_end_balance": "a plan does not take it: its first year's minimum is figured "
                              "from `balance`, the value on January 1 of start_year",
    "distributed_this_year": "a plan does not take it: the plan starts on January 1 of "
                             "start_year, with nothing distributed yet",
}


def beneficiary_problems(j: int, ben, start_year: int) -> list[tuple[str, str]]:
    """The checks of an inherited account's ``beneficiary`` section in a plan, each naming its
    field under ``inherited.<j>.beneficiary``: the case's own checks of a beneficiary
    (:class:`dist401k.case.Beneficiary`), a deceased born and dead before the plan's first year,
    and none of the case's inputs of the request's year (:data:`CASE_ONLY`)."""
    from pydantic import ValidationError

    from dist401k.case import Beneficiary
    from dist401k.errors import problems_from_validation

    at = f"inherited.{j}.beneficiary."
    bad: list[tuple[str, str]] = []
    if ben.deceased_birth_date.year >= start_year:
        bad.append((at + "deceased_birth_date", f"is not before January 1, {start_year}, when "
                    "the plan begins (start_year): the owner died before it"))
    elif ben.date_of_death.year >= start_year:
        bad.append((at + "date_of_death", "must be before the start year"))
    try:
        Beneficiary.model_validate(ben.model_dump())
    except ValidationError as exc:
        named = {p.field.removeprefix("beneficiary."): p.problem
                 for p in problems_from_validation(exc)}
        if bad:  # the date in the future is the fault, not the order of the two dates
            named.pop("date_of_death", None)
        bad += [(at + field, why) for field, why in named.items()]
    given = {"missed": bool(ben.missed), "prior_year_end_balance":
             ben.prior_year_end_balance is not None, "distributed_this_year":
             bool(ben.distributed_this_year)}
    return bad + [(at + field, why) for field, why in CASE_ONLY.items() if given[field]]


def overdue_year(heir_birth_date: dt.date, inherited, law: Law, start_year: int) -> int | None:
    """The year by whose December 31 the account had to be empty, where that was before the
    plan's first year (None where it was not, or nothing is left in it): the beneficiary route
    of ``dist401k assess`` asked for the year before the start, which requires the whole
    balance once the 5-year or 10-year rule's deadline has passed (Treas. Reg.
    §1.401(a)(9)-3(c)(2), -5(e)(1)) or the life expectancy has run out (-5(d))."""
    last = start_year - 1
    if inherited.balance == 0 or last < law.known_years[0] or (
            inherited.beneficiary.relationship == "spouse"
            and inherited.beneficiary.spouse_election == "own"):  # their own IRA: no deadline
        return None
    r = beneficiary(*_one_dollar_batch(heir_birth_date, inherited, law, [last]))
    if float(r.extra["required"][0]) < 1.0:
        return None
    empty_by = int(r.extra["empty_by"][0])
    return empty_by if 0 < empty_by <= last else last


def overdue_problems(hh, law: Law) -> list[tuple[str, str]]:
    """Each inherited account of the plan whose deadline passed before the plan's first year
    (:func:`overdue_year`): its whole balance is a missed required distribution, owing the
    excise of IRC §4974 that ``dist401k assess`` prices and a plan does not."""
    out = []
    for j, a in enumerate(hh.inherited):
        year = overdue_year(hh.people[a.heir].birth_date, a, law, hh.start_year)
        if year is not None:
            out.append((f"inherited.{j}.balance", f"is a missed required distribution: the "
                        f"account had to be empty by December 31, {year}, before the plan "
                        f"begins ({hh.start_year}); a plan does not price the §4974 excise on "
                        "it: give it to `dist401k assess`, and leave the account out of the "
                        "plan once it is paid out"))
    return out
