"""The outcome of a loan that goes bad (dist401k.routes.loan_default): what it makes taxable,
the 10% additional tax, no withholding and no cash, and its Form 1099-R code.

* A deemed distribution (code L, Instructions for Forms 1099-R and 5498, "Loans treated as
  distributions" and the Guide to Distribution Codes: L is used with 1, 4 or B): taxable as any
  distribution (after-tax basis recovered pro rata over the after-tax account with the part of
  the loan receivable it lent, §72(e)(8)(B): :func:`loan_shares`), the 10% additional tax where no
  exception applies (§72(t); Treas. Reg. §1.72(p)-1, Q&A-11(b)), not an eligible rollover
  distribution, paid in no cash.  It is made when the cure period ends (Q&A-10(a)): the
  exceptions are those of that day (59½ reached by then, a separation before it).
* A loan from an account of designated Roth money only (dist401k.routes.loan_default): the
  Roth money's contributions are recovered pro rata over the account, the loan receivable
  counted in it (the accrued benefit, dist401k.routes.common.accrued_benefit), its earnings
  taxable (§402A(d), §72(e)(8)); a deemed distribution is never a qualified distribution
  (Treas. Reg. §1.402A-1, Q&A-11; §1.402(c)-2, Q&A-4(d)).  Box 7 holds two codes at most:
  ``BL``, ``BM`` (dist401k.form_1099r_boxes), so the form tells no cash code.
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

from dataclasses import replace
from typing import Any

import numpy as np

from dist401k.basis import loan_failure_shares, loan_receivable_by_source
from dist401k.early_distribution import exceptions
from dist401k.form_1099r import distribution_code
from dist401k.form_1099r_boxes import paid_shares
from dist401k.form_5329 import EarlyPaid, part_i
from dist401k.money import HALF_CENT, cents
from dist401k.outcome import (
    Outcome,
    OutcomeContext,
    RouteMoney,
    TaxesNow,
    irr_recapture,
    paid_by_source,
    roth_basis_paid,
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


def deemed_on(b, route: RouteResult) -> np.ndarray | None:
    """The day a deemed distribution is made: the end of its cure period (Treas. Reg.
    §1.72(p)-1, Q&A-10(a)); None for an offset, made on the request date."""
    if route.route != "loan_deemed":
        return None
    end = np.asarray(route.extra["cure_end"], dtype="datetime64[D]")
    return np.where(np.isnat(end), np.asarray(b.request_date, dtype="datetime64[D]"), end)


def loan_lent(ctx: OutcomeContext, route: RouteResult) -> np.ndarray:
    """[n, S] the loan receivable each money holds when the loan goes bad: for an offset the
    account's (``ctx.lent``, dist401k.outcome.loan_receivable: the one ratio of every payment of
    the account, the cash paid beside the offset included); for a deemed distribution the loan
    it distributes, spread as the route takes it (the account's no longer counts a loan deemed
    before the request, Treas. Reg. §1.72(p)-1, Q&A-19)."""
    if route.route == "loan_offset":
        return ctx.lent
    return loan_receivable_by_source(route.eligible, route.available, ctx.b.loan_outstanding)


def loan_shares(ctx: OutcomeContext, route: RouteResult) -> np.ndarray:
    """[n, S] the tax-free share of each source's part of a loan that goes bad: the after-tax
    money and the designated Roth money alike the investment in the contract over the account
    with the part of the loan receivable it lent (§72(e)(8)(B); :func:`dist401k.basis.loan_failure_shares`,
    :func:`loan_lent`), the Roth money all of it where an offset is a qualified distribution; a
    deemed distribution never is (Treas. Reg. §1.402A-1, Q&A-11)."""
    b = ctx.b
    qualified = ctx.qualified if route.route == "loan_offset" else np.zeros_like(ctx.qualified)
    return loan_failure_shares(b.balance, loan_lent(ctx, route), b.basis,
                               b.roth_contributions, qualified)[0]


def loan_money(ctx: OutcomeContext, name: str, route: RouteResult,
               pairs: set[tuple[str, str]] | None) -> RouteMoney:
    """What a loan that goes bad makes distributed: the whole amount the route found (no
    request caps it), taxable pro rata by source (:func:`loan_shares`), its exceptions on the
    day it is made (:func:`deemed_on`) and its code."""
    b, f = ctx.b, ctx.f
    gross = route.total_available
    p = paid_by_source(replace(ctx, share=loan_shares(ctx, route), lent=loan_lent(ctx, route)),
                       route, gross)
    exc = exceptions(b, f, name, deemed_on(b, route))
    # A governmental 457(b)'s own money is outside §72(t) (§72(t)(9)): where the 10% tax reaches
    # none of the taxable amount, the payer knows the exception (code 2), as for any payment.
    known = exc["PX_SEPARATION_55"] | exc["PX_PUBLIC_SAFETY"] | exc["PX_TERMINAL"] | (
        (p.subject_all <= HALF_CENT) & (p.taxable_all > 0))
    cash_code = distribution_code(exc["PX_AGE_59_HALF"], b.disabled, known, exc["PX_DEATH"])
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
    # The parts add to the gross to the cent, as the forms (box 5 = box 1 − box 2a).
    amounts = {"gross": m.gross, "taxable": now.taxable,
               "nontaxable": cents(m.gross) - cents(now.taxable),
               "taxable_later": z, "withholding": z, "income_tax_increase": t.increase,
               "additional_tax_72t": t.additional, "net_cash": z,
               "after_all_taxes": -(t.increase + t.additional + state_cost),
               "to_traditional_ira": m.gross if rolled else z, "to_roth_ira": z, "to_plan": z,
               "makeup_needed": m.gross if rolled else z}
    shown: dict[str, Any] = {k: np.where(ok, v, 0.0) for k, v in amounts.items()}
    includible = shown["taxable"]
    # Form 5329 line 1 takes an in-plan Roth rollover's recapture as includible (as a payment).
    recapture = np.where(ok, irr_recapture(ctx, m, dest), 0.0)
    # A form of designated Roth money only (BL, BM) tells no cash code: the form is needed.
    roth_form = (m.paid.roth_gross > 0) & (m.paid.nonroth_gross <= HALF_CENT)
    return Outcome(
        route=m.name, destination=dest, possible=ok, **shown, code=m.code,
        parts={"pretax_cash": m.paid.nonroth_gross, "roth_cash": m.paid.roth_gross,
               "rolled_pretax": z, "rolled_roth": z},
        reasons=_reasons(ctx, m, ok, rolled, t),
        extra={"rmd_part": z, **_form_shares(ctx, m)},
        state=t.state,
        form_5329=part_i(ctx.f.lk, m.name, m.exc, EarlyPaid(
            early=~m.exc["PX_AGE_59_HALF"], includible=includible + recapture,
            subject=includible * m.subject_share + recapture, medical=t.medical,
            excepted=m.excepted, rate=ctx.rate_72t, recaptured=recapture),
            np.where(roth_form, "", cash_part(m.code))))


def _form_shares(ctx: OutcomeContext, m: RouteMoney) -> dict[str, np.ndarray]:
    """What the forms read of the loan's split by source (form_1099r_boxes.paid_shares), the
    designated Roth contributions recovered (box 5) over the account with the loan receivable
    (:func:`loan_lent`; dist401k.outcome.roth_basis_paid)."""
    out = paid_shares(ctx.b, m.paid.alloc, m.paid.taxable_all, m.paid.taxable_pretax,
                      m.t_nonroth, ctx.irr_period, ctx.ex457, m.paid.taxable_src)
    return out | roth_basis_paid(ctx, m.paid.alloc, m.paid.taxable_src, loan_lent(ctx, m.route))


#: The route's reasons an outcome repeats.
ROUTE_REASONS = ("LD_DEEMED", "LD_ROTH_ONLY", "LO_QUALIFIED", "LO_NOT_QUALIFIED", "LO_ROTH_ONLY")


def _reasons(ctx: OutcomeContext, m: RouteMoney, ok, rolled: bool,
             t: TaxesNow) -> dict[str, np.ndarray]:
    """Why: the route's own reason, the exceptions to the 10% tax (and for a deemed
    distribution those the request date has that its own day had not), no cash, the
    rollover."""
    additional, state = t.additional, t.state
    reasons = {k: np.asarray(v).any(axis=1) & ok for k, v in m.route.reasons.items()
               if k in ROUTE_REASONS}
    if not rolled:
        reasons.update({k: v & ok for k, v in m.exc.items() if k != "PX_SECURE2"})
        reasons["PX_NONE"] = ok & (additional > HALF_CENT)
        reasons.update(_deemed_after(ctx, m, ok))
    reasons["OC_NO_CASH"] = ok
    if rolled:
        reasons["OC_OFFSET_ROLLED"] = ok
    if state is not None:
        reasons.update({k: v & ok for k, v in state.reasons.items()})
    return reasons


def _deemed_after(ctx: OutcomeContext, m: RouteMoney, ok) -> dict[str, np.ndarray]:
    """A deemed distribution made before 59½ where the request date is past it
    (``LD_59_HALF_AFTER``), or before a separation the case gives (``LD_SEPARATED_AFTER``:
    the rule of 55 and public safety reach only a payment made after it)."""
    day = deemed_on(ctx.b, m.route)
    if day is None:
        return {}
    early = ok & ~m.exc["PX_AGE_59_HALF"]
    sep = np.asarray(ctx.b.separation_date, dtype="datetime64[D]")
    return {"LD_59_HALF_AFTER": early & ctx.f.at_59_half,
            "LD_SEPARATED_AFTER": early & ctx.f.separated & ~np.isnat(sep) & (sep > day)}
