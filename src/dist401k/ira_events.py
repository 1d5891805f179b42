"""The §72(t)(2) exceptions of an event that reach a distribution from an IRA as they reach one
from a plan, but with no plan to adopt them: the owner takes the exception on the return
(Notice 2024-55).  Each covers the distribution up to its own limit, as law data:

- birth or adoption (§72(t)(2)(H)): up to ``secure2.birth_adoption_cap`` per child
  (``request.event_children``) less what was taken for the same children
  (``account.prior_event_distributions``), within the law's months after the birth or
  adoption (``request.event_date``);
- emergency personal expense (§72(t)(2)(I)): up to the lesser of ``secure2.emergency_expense_cap``
  and the IRA's balance above ``secure2.emergency_expense_reserve``; none where one was taken
  this year, or in the waiting years after one neither repaid nor matched by the contributions
  made since (``account.last_emergency_year``, ``account.emergency_unrepaid``,
  ``account.emergency_contributions_since``);
- domestic abuse victim (§72(t)(2)(K)): up to the lesser of ``secure2.domestic_abuse_cap`` and
  ``secure2.domestic_abuse_fraction`` of the IRA's balance, less what was already treated as
  such (the limit is on the aggregate: ``account.prior_event_distributions``), within the law's
  months after the abuse (Notice 2024-55 measures the share on the IRA);
- qualified disaster recovery (§72(t)(2)(M), (t)(11)): up to ``secure2.disaster_cap`` per
  disaster less what was taken for it, a declared disaster (``request.disaster_declared``),
  within the law's days after the incident; reported on Form 8915-F, not on Form 5329.

A series of substantially equal payments (§72(t)(2)(A)(iv)) is out of scope; the health
insurance premiums of the unemployed ((D)), the qualified reservist ((G)) and an IRS levy
((A)(vii)) are facts the case does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Purpose
from dist401k.law.loader import Lookup
from dist401k.routes.secure2 import (
    birth_adoption_cap,
    domestic_abuse_cap,
    emergency_barred,
    emergency_cap,
    event_cap_left,
    within_disaster_window,
    within_event_window,
)


@dataclass(frozen=True)
class IraEvent:
    """The event exception of each case's IRA distribution: which one the request names
    (``asked``: the purpose is one of them), whether its conditions are met (``applies``), the
    most of the distribution it covers (``limit``, 0 where it does not apply), and its key in
    ``early_distributions.form_5329_exception_number`` (None: the disaster's, not on Part I)."""

    purpose: Purpose
    key: str | None
    asked: np.ndarray
    applies: np.ndarray
    limit: np.ndarray


def ira_events(b: CaseBatch, lk: Lookup, balance) -> list[IraEvent]:
    """Each event exception of a distribution from an IRA holding ``balance``."""
    purpose = np.asarray(b.purpose)
    this_year, waiting = emergency_barred(b, lk)
    window = within_event_window(b, lk)
    conditions = {
        Purpose.BIRTH_ADOPTION: ("birth_adoption", window, birth_adoption_cap(b, lk)),
        Purpose.EMERGENCY: ("emergency_expense", ~this_year & ~waiting,
                            emergency_cap(lk, balance)),
        Purpose.DOMESTIC_ABUSE: ("domestic_abuse", window, domestic_abuse_cap(b, lk, balance)),
        Purpose.DISASTER: (None, np.asarray(b.disaster_declared, bool)
                           & within_disaster_window(b, lk),
                           event_cap_left(b, lk, "secure2.disaster_cap"))}
    out = []
    for p, (key, met, cap) in conditions.items():
        asked = purpose == p
        applies = asked & met & (cap > 0)
        out.append(IraEvent(p, key, asked, applies, np.where(applies, cap, 0.0)))
    return out


def event_limit(events: list[IraEvent], disaster: bool) -> np.ndarray:
    """The most the events cover of each case's distribution: the disaster's alone where
    ``disaster``, the others' otherwise (a request names one purpose)."""
    return np.sum([e.limit for e in events if (e.purpose == Purpose.DISASTER) == disaster],
                  axis=0)
