"""Payments to an alternate payee under a qualified domestic relations order (IRC §414(p)).

A QDRO assigns part of a participant's benefit to an alternate payee — a spouse, former
spouse, child or other dependent (§414(p)(8)) — in a 401(k) or other qualified plan, a 403(b)
(§414(p)(9)) or a governmental 457(b) (§414(p)(11)).  The case's ``account`` is the alternate
payee's share.  The order may have it paid from the participant's earliest retirement age
(§414(p)(4)), or earlier where the plan permits — most plans pay an alternate payee at once;
the case says which (``alternate_payee.payable_now``).

Two routes, because the law treats the two kinds of alternate payee apart:

* ``qdro`` — a spouse or former spouse is the distributee (§402(e)(1)(A)) and may roll the
  payment over as the employee could (§402(e)(1)(B)): an eligible rollover distribution, 20%
  withheld unless rolled directly (§3405(c)), the §402(f) notice before it;
* ``qdro_dependent`` — a payment to a child or other dependent is taxed to the participant
  (§402(e)(1)(A) reaches only a spouse or former spouse; Pub. 504) and cannot be rolled over:
  cash only, withheld as a nonperiodic payment (§3405(b)).

Neither owes the 10% additional tax: §72(t)(2)(C) excepts "any distribution to an alternate
payee pursuant to a qualified domestic relations order" — from the plan only: money rolled to
an IRA and taken out before 59½ owes it (:func:`dist401k.traps.qdro_rollover_trap`).  The
participant's own ways out (in service, hardship, loans, RMDs) are closed to the alternate
payee (:func:`closed_to_alternate_payees`).  The required minimum distributions of an alternate
payee's separate account follow the participant's required beginning date (Treas. Reg.
§1.401(a)(9)-8 as amended by T.D. 10001, 2024; Q&A-6 in the pre-2025 numbering); they are not
figured, but where part of a spouse's or former spouse's
payment may be one — which cannot be rolled over (§402(c)(4)(B)) — the route and its outcomes
say so (:func:`share_rmd_may_apply`).  Designated Roth money in the share is qualified or not
by the participant's 59½ and five taxable years, not the payee's (Treas. Reg. §1.402A-1,
Q&A-2(b), Q&A-4; TD 9324's preamble): :func:`roth_qualified_by`, :func:`roth_share_reasons`.
"""

from __future__ import annotations

import numpy as np

from dist401k.basis import roth_qualified
from dist401k.batch import CaseBatch
from dist401k.case import ALTERNATE_PAYEE_RELATIONSHIPS, ALTERNATE_PAYEE_SPOUSES
from dist401k.money import HALF_CENT
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, age_in_year, age_reached
from dist401k.routes.rmd import applicable_age
from dist401k.sources import ROTH

#: The two routes of an alternate payee: a spouse's or former spouse's, and a child's or other
#: dependent's.
QDRO_ROUTES = ("qdro", "qdro_dependent")
#: Routes an alternate payee keeps: the QDRO payments, and their own Roth IRA.
OPEN_TO_ALTERNATE_PAYEES = (*QDRO_ROUTES, "roth_ira")
_SPOUSE_CODES = [ALTERNATE_PAYEE_RELATIONSHIPS.index(r) for r in ALTERNATE_PAYEE_SPOUSES]


def alternate_payee_spouse(b: CaseBatch) -> np.ndarray:
    """Alternate payees who are the participant's spouse or former spouse: the distributee,
    who may roll over (§402(e)(1)(A), (B))."""
    return np.asarray(b.alternate_payee, bool) & np.isin(b.ap_relationship, _SPOUSE_CODES)


def alternate_payee_dependent(b: CaseBatch) -> np.ndarray:
    """Alternate payees who are the participant's child or other dependent."""
    return np.asarray(b.alternate_payee, bool) & ~np.isin(b.ap_relationship, _SPOUSE_CODES)


def share_rmd_may_apply(b: CaseBatch, f: Facts) -> dict[str, np.ndarray]:
    """Where part of a spouse's or former spouse's QDRO payment may be a required minimum
    distribution, not figured: the alternate payee's separate account follows the
    participant's required beginning date (Treas. Reg. §1.401(a)(9)-8 as amended by T.D. 10001,
    2024; Q&A-6 in the pre-2025 numbering), and an RMD is no eligible rollover distribution
    (§402(c)(4)(B)).  ``QD_RMD_MAY_APPLY``: the participant's
    birth date is given and the participant reaches the applicable age (§401(a)(9)(C)(v)) in
    the tax year or before — whether the participant still works for the employer, which may
    put the required beginning date later, is not known; ``QD_RMD_NOT_KNOWN``: it is not
    given, and the alternate payee has reached 59½ (a screen, not a rule: a participant near
    the payee's age may then have reached the applicable age)."""
    spouse = alternate_payee_spouse(b)
    born = np.asarray(b.ap_participant_birth_date, "datetime64[D]")
    given = ~np.isnat(born)
    known = np.where(given, born, np.asarray(b.birth_date, "datetime64[D]"))
    reached = age_in_year(b, applicable_age(f.law, b.tax_year, known), born=known)
    return {"QD_RMD_MAY_APPLY": spouse & given & reached,
            "QD_RMD_NOT_KNOWN": spouse & ~given & np.asarray(f.at_59_half, bool)}


def roth_qualified_by(b: CaseBatch, f: Facts) -> tuple[np.ndarray, np.ndarray]:
    """[n] each: whose 59½ and disability the designated Roth test reads (§402A(d)(2)(A),
    §408A(d)(2)(A)): the employee's — for a distribution to an alternate payee "the age,
    death or disability of the participant" (TD 9324, preamble; Treas. Reg. §1.402A-1,
    Q&A-2(b)).  A spouse's or former spouse's case: the participant's 59½ from
    ``alternate_payee.participant_birth_date`` (required there with Roth money,
    dist401k.case), and no disability — the participant's is not an input
    (:func:`roth_share_reasons` says so).  Elsewhere the ``person``'s (a child's or
    dependent's ``person`` is the participant)."""
    spouse = alternate_payee_spouse(b)
    if not spouse.any():
        return np.asarray(f.at_59_half, bool), np.asarray(b.disabled, bool)
    born = np.asarray(b.ap_participant_birth_date, "datetime64[D]")
    dated = spouse & ~np.isnat(born)
    reached = age_reached(b, f.lk.get("early_distributions.age"),
                          born=np.where(dated, born, np.asarray(b.birth_date, "datetime64[D]")))
    return (np.where(dated, reached, np.asarray(f.at_59_half, bool)),
            np.asarray(b.disabled, bool) & ~spouse)


def roth_share_reasons(b: CaseBatch, f: Facts, alloc, qualified,
                       first_year) -> dict[str, np.ndarray]:
    """[n] each, a spouse's or former spouse's payment holding designated Roth money
    (``alloc`` [n, S] by source, ``qualified`` [n, S]; ``first_year`` [n, S], the Roth
    account's first year, :func:`dist401k.form_1099r_boxes.plan_roth_first_year`):
    ``QD_ROTH_PARTICIPANT`` — whether it is qualified reads the participant's 59½ and five
    taxable years (Treas. Reg. §1.402A-1, Q&A-2(b), Q&A-4); ``QD_ROTH_DISABILITY_NOT_KNOWN`` —
    where it is not qualified though the five taxable years have run, the participant's
    disability or death, not inputs, would make it qualified (§402A(d)(2)(A)(ii), (iii)): the
    plan knows."""
    spouse = alternate_payee_spouse(b)
    roth = (np.asarray(alloc) > HALF_CENT) & ROTH[None, :]
    every = np.ones(len(b), bool)
    seasoned = roth_qualified(b.tax_year, first_year, f.lk.get("roth.five_year_period"), every, ~every)
    open_ = roth & ~np.asarray(qualified, bool) & seasoned
    return {"QD_ROTH_PARTICIPANT": spouse & roth.any(axis=1),
            "QD_ROTH_DISABILITY_NOT_KNOWN": spouse & open_.any(axis=1)}


#: Each QDRO route's reason where the alternate payee asking it is the other route's: a spouse's
#: or former spouse's payment goes by ``qdro``, a child's or other dependent's by
#: ``qdro_dependent`` (§402(e)(1)(A), (B)).
OTHER_ROUTE = {"qdro": "QD_DEPENDENT_ROUTE", "qdro_dependent": "QD_SPOUSE_ROUTE"}


def _qdro_route(b: CaseBatch, name: str, who: np.ndarray, ok: str) -> RouteResult:
    """The alternate payee's share paid now where the plan or order permits it (§414(p)(4));
    reason ``ok`` where it does, ``QD_NOT_PAYABLE_YET`` where it does not.  Closed with its why
    elsewhere (a batch row may ask any route): an alternate payee of the other kind is sent to
    the other QDRO route (:data:`OTHER_ROUTE`), a case with no alternate payee — a participant,
    a beneficiary — is told that only one is paid under a QDRO (``QD_NOT_ALTERNATE_PAYEE``,
    §414(p)(1)(A), (8))."""
    has = b.balance > 0
    now = np.asarray(b.ap_payable_now, bool)
    ap = np.asarray(b.alternate_payee, bool)
    eligible = (who & now)[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    reasons = {ok: eligible, "QD_NOT_PAYABLE_YET": (who & ~now)[:, None] & has,
               OTHER_ROUTE[name]: (ap & ~who)[:, None] & has,
               "QD_NOT_ALTERNATE_PAYEE": ~ap[:, None] & has}
    if name == "qdro":  # the exception, and where a rollover loses it
        reasons["QD_NO_10_PERCENT"] = eligible
    return RouteResult(name, eligible, available, reasons)


def qdro(b: CaseBatch, f: Facts) -> RouteResult:
    """A spouse's or former spouse's QDRO payment: taxed to them, rollable — but for the part
    that may be a required minimum distribution (:func:`share_rmd_may_apply`)."""
    r = _qdro_route(b, "qdro", alternate_payee_spouse(b), "QD_SPOUSE")
    for code, m in share_rmd_may_apply(b, f).items():
        r.reasons[code] = m[:, None] & r.eligible
    return r


def qdro_dependent(b: CaseBatch, f: Facts) -> RouteResult:
    """A child's or other dependent's QDRO payment: taxed to the participant, cash only."""
    return _qdro_route(b, "qdro_dependent", alternate_payee_dependent(b), "QD_DEPENDENT")


def closed_to_alternate_payees(b: CaseBatch, r: RouteResult,
                               zeroed: tuple[str, ...] = ()) -> RouteResult:
    """The participant's ways out are closed to an alternate payee, who is paid only as the
    order assigns (§414(p)(1)(A)); ``zeroed``: the route's amounts that mean nothing once
    closed (the participant's RMD, a loan)."""
    ap = np.asarray(b.alternate_payee, bool)
    keep = ~ap[:, None]
    reasons = {k: np.asarray(m) & (keep if np.ndim(m) > 1 else ~ap)
               for k, m in r.reasons.items()}
    reasons["QD_NOT_PARTICIPANT"] = ap[:, None] & (b.balance > 0)
    extra = dict(r.extra)
    for k in zeroed:
        extra[k] = np.where(ap, 0.0, extra[k])
    limit = np.where(ap, 0.0, r.limit) if r.route == "rmd" else r.limit
    return RouteResult(r.route, r.eligible & keep, np.where(keep, r.available, 0.0), reasons,
                       limit, extra)
