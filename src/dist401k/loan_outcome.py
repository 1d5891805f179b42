"""The outcome of a loan that goes bad (dist401k.routes.loan_default): what it makes taxable,
the 10% additional tax, no withholding and no cash, and its Form 1099-R code.

* A deemed distribution (code L, Instructions for Forms 1099-R and 5498, "Loans treated as
  distributions" and the Guide to Distribution Codes: L is used with 1, 4 or B): taxable as any
  distribution (after-tax basis recovered pro rata, §72(e)(8)), the 10% additional tax where no
  exception applies (§72(t)), not an eligible rollover distribution, paid in no cash.
* A loan offset: an actual distribution, reported as any other; a qualified plan loan offset
  adds code M (used with 1, 2, 4, 7 or B).  Kept, it is taxed as paid; rolled over (from other
  money, by the deadline), none of it is taxed.  Paid in no cash, nothing is withheld
  (§3405(e)(8)).
* Form 5329, Part I: the taxable amount of either, before 59½, is an early distribution
  (line 1; §72(t)(1)) unless rolled over.  Whether the form must be filed is read from the
  cash code beside L or M ("Who Must File": code 1 and the tax on all of it, or 2 or 4 and an
  exception covering all of it, need no form); L alone before 59½ tells of no exception, so
  one that applies is claimed on the form.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dist401k.early_distribution import exceptions
from dist401k.form_1099r import distribution_code
from dist401k.form_1099r_boxes import paid_shares
from dist401k.form_5329 import EarlyPaid, part_i
from dist401k.money import HALF_CENT
from dist401k.outcome import (
    Outcome,
    OutcomeContext,
    RouteMoney,
    paid_by_source,
    taxable_now,
    taxes_now,
)
from dist401k.routes.base import RouteResult

#: The routes of a loan that goes bad, and the destinations each offers: a deemed
#: distribution is no eligible rollover distribution; an offset may be kept or rolled over.
LOAN_FAILURE_DESTINATIONS = {"loan_deemed": ("cash",),
                             "loan_offset": ("cash", "indirect_60day")}
#: The cash codes code L (deemed) and code M (qualified offset) are used with (Guide to
#: Distribution Codes); M is never used with 3: a disabled participant's offset before 59½ is
#: an early distribution with an exception the payer knows (2).
L_WITH = ("1", "4")
M_WITH = ("1", "2", "4", "7")


def loan_failure_code(name: str, cash_code, qualified) -> np.ndarray:
    """Box 7 of a loan that goes bad: L alone or with 1 or 4 (deemed); an offset's cash code,
    with M where it is a qualified plan loan offset."""
    cash_code = np.asarray(cash_code).astype(object)
    if name == "loan_deemed":
        return np.where(np.isin(cash_code, L_WITH), cash_code + "L", "L")
    with_m = np.where(np.isin(cash_code, M_WITH), cash_code, "2") + "M"
    return np.where(np.asarray(qualified, bool), with_m, cash_code)


def cash_part(code) -> np.ndarray:
    """The cash code of a loan's box 7 (``1L`` → ``1``, ``2M`` → ``2``, ``L`` → ``""``): what
    it tells the IRS of the 10% tax, which decides whether Form 5329 is needed."""
    return np.char.rstrip(np.asarray(code).astype(str), "LM")


def loan_money(ctx: OutcomeContext, name: str, route: RouteResult,
               pairs: set[tuple[str, str]] | None) -> RouteMoney:
    """What a loan that goes bad makes distributed: the whole amount the route found (no
    request caps it), taxable pro rata by source, its exceptions and its code."""
    b, f = ctx.b, ctx.f
    gross = route.total_available
    p = paid_by_source(ctx, route, gross)
    exc = exceptions(b, f, name)
    # A governmental 457(b)'s own money is outside §72(t) (§72(t)(9)): where the 10% tax reaches
    # none of the taxable amount, the payer knows the exception (code 2), as for any payment.
    known = exc["PX_SEPARATION_55"] | exc["PX_PUBLIC_SAFETY"] | exc["PX_TERMINAL"] | (
        (p.subject_all <= HALF_CENT) & (p.taxable_all > 0))
    cash_code = distribution_code(f.at_59_half, b.disabled, known, exc["PX_DEATH"])
    qualified = route.extra.get("qualified", np.zeros(len(b), bool))
    with np.errstate(divide="ignore", invalid="ignore"):
        t_nonroth = np.where(p.nonroth_gross > 0, p.taxable_pretax / p.nonroth_gross, 0.0)
        subject_share = np.where(p.taxable_all > 0, p.subject_all / p.taxable_all, 0.0)
    zero = ctx.zero
    return RouteMoney(
        name=name, route=route, open_=np.any(route.eligible, axis=1), gross=gross, paid=p,
        exc=exc, excepted=np.logical_or.reduce(list(exc.values())),
        code=loan_failure_code(name, cash_code, qualified), rollable=name == "loan_offset",
        rmd_part=zero, t_nonroth=t_nonroth,
        subject_share=subject_share, rmd_taxable=zero, erd_nonroth=p.nonroth_gross,
        erd_taxable=p.taxable_all, spread=False,
        dests=tuple(d for d in LOAN_FAILURE_DESTINATIONS[name]
                    if pairs is None or (name, d) in pairs))


def loan_failure_outcome(ctx: OutcomeContext, m: RouteMoney, dest: str) -> Outcome:
    """The outcome of a deemed distribution or a loan offset kept (``cash``) or rolled over
    (``indirect_60day``): no cash and no withholding; the taxes are paid from other money, and
    a rollover needs the whole offset from other money."""
    ok = m.open_ & (m.gross > HALF_CENT)
    now = taxable_now(ctx, m, dest)
    t = taxes_now(ctx, m, dest, now.this_year)
    rolled = dest == "indirect_60day"
    z = ctx.zero
    state_cost = z if t.state is None else t.state.cost
    amounts = {"gross": m.gross, "taxable": now.taxable, "nontaxable": m.gross - now.taxable,
               "taxable_later": z, "withholding": z, "income_tax_increase": t.increase,
               "additional_tax_72t": t.additional, "net_cash": z,
               "after_all_taxes": -(t.increase + t.additional + state_cost),
               "to_traditional_ira": m.gross if rolled else z, "to_roth_ira": z, "to_plan": z,
               "makeup_needed": m.gross if rolled else z}
    shown: dict[str, Any] = {k: np.where(ok, v, 0.0) for k, v in amounts.items()}
    includible = shown["taxable"]
    return Outcome(
        route=m.name, destination=dest, possible=ok, **shown, code=m.code,
        parts={"pretax_cash": m.paid.nonroth_gross, "roth_cash": m.paid.roth_gross,
               "rolled_pretax": z, "rolled_roth": z},
        reasons=_reasons(m, ok, rolled, t.additional, t.state),
        extra={"rmd_part": z, **paid_shares(ctx.b, m.paid.alloc, m.paid.taxable_all,
                                            m.paid.taxable_pretax, m.t_nonroth,
                                            ctx.irr_period, ctx.ex457, m.paid.taxable_src)},
        state=t.state,
        form_5329=part_i(ctx.f.lk, m.name, m.exc, EarlyPaid(
            early=~ctx.f.at_59_half, includible=includible,
            subject=includible * m.subject_share, medical=t.medical, excepted=m.excepted,
            rate=ctx.rate_72t), cash_part(m.code)))


def _reasons(m: RouteMoney, ok, rolled: bool, additional, state) -> dict[str, np.ndarray]:
    """Why: the route's own reason, the exceptions to the 10% tax, no cash, the rollover."""
    reasons = {k: np.asarray(v).any(axis=1) & ok for k, v in m.route.reasons.items()
               if k in ("LD_DEEMED", "LO_QUALIFIED", "LO_NOT_QUALIFIED")}
    if not rolled:
        reasons.update({k: v & ok for k, v in m.exc.items() if k != "PX_SECURE2"})
        reasons["PX_NONE"] = ok & (additional > HALF_CENT)
    reasons["OC_NO_CASH"] = ok
    if rolled:
        reasons["OC_OFFSET_ROLLED"] = ok
    if state is not None:
        reasons.update({k: v & ok for k, v in state.reasons.items()})
    return reasons
