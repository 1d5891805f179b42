"""The outcome of taking money from the Roth IRAs (route ``roth_ira``): the taxable part by the
ordering rules, the 10% tax on earnings and on conversions within 5 years with the §72(t)(2)
exceptions an IRA has, the withholding, the custodian's Form 1099-R code, Form 8606 Part III and
Form 5329 Part I.

* Tax: only a nonqualified distribution's earnings are includible (Form 8606, line 25c).
* The 10% tax (§72(t)(1), §408A(d)(3)(F)): on the taxable earnings and the part allocable to
  the taxable part of a conversion within 5 years, paid before 59½, unless an exception covers
  it: disability (§72(t)(2)(A)(iii)), terminal illness ((L)), medical expenses above the AGI
  floor ((B)), a first home up to the lifetime limit ((F), (t)(8)), higher education ((E)), and
  the events of :mod:`dist401k.ira_events` up to their limits: birth or adoption ((H)),
  emergency personal expense ((I)), domestic abuse ((K)); a qualified disaster recovery
  distribution ((M), (t)(11)) is taken off Form 5329 and its taxable part spread over the
  law's years (Form 8606 line 25b, Form 8915-F).  The rule of 55 and the public safety
  exception are the plan's, not an IRA's.
* A net amount (``request.net_amount``): the gross that leaves it after the withholding or
  after all the year's tax (``net_of``), found as the plan's routes find theirs.
* Withholding: a nonperiodic payment, 10% unless the W-4R elects another rate (§3405(b));
  Treas. Reg. §1.408A-6, Q&A-13.  A qualified distribution (code Q) is not includible: none is
  withheld (§3405(e)(1)(B)(ii)).  The payer cannot know the basis: it withholds on the gross.
* Box 7 (Guide to Distribution Codes): Q where the 5-year period is met and the owner is 59½,
  disabled or dead; T where one of those holds but the 5-year period is not known to be met;
  J otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import NetOf, Purpose
from dist401k.dates import year_of
from dist401k.early_distribution import medical_exception
from dist401k.form_5329 import PartI, additional_tax, line_2_number, line_3_of
from dist401k.ira_events import IraEvent, event_limit, ira_events
from dist401k.money import HALF_CENT, cents
from dist401k.outcome import Outcome, OutcomeContext, TaxWith, asked_gross, on_the_cent, secant_fixed_point
from dist401k.roth_ira_ordering import Left, RothIraHistory, RothIraLaw, RothIraPaid, roth_ira_paid
from dist401k.routes.base import RouteResult
from dist401k.state_outcome import StateIncrease
from dist401k.state_withholding import Parts, Payee, StateWithholding, state_withholding

#: Events a state that predates SECURE 2.0 does not except (state_outcome.SECURE2_ADDED).
PURPOSES_SECURE2_ADDED = (Purpose.EMERGENCY, Purpose.DOMESTIC_ABUSE)


def history_of(b: CaseBatch) -> RothIraHistory:
    """The batch's Roth IRA facts for the ordering rules."""
    return RothIraHistory(
        contributions=np.asarray(b.ira_roth_contributions, float),
        conversion_year=np.asarray(b.roth_conversion_year, float),
        conversion_amount=np.asarray(b.roth_conversion_amount, float),
        conversion_taxable=np.asarray(b.roth_conversion_taxable, float),
        first_year=np.asarray(b.ira_roth_first_year, float))


def first_home_left(ctx: OutcomeContext) -> np.ndarray:
    """What a first-home distribution may still be: the lifetime limit less earlier ones,
    where the request is for a home purchase (0 otherwise)."""
    b = ctx.b
    cap = ctx.f.lk.get("early_distributions.first_home_lifetime_cap")
    left = np.maximum(0.0, cap - np.asarray(b.ira_first_home_prior, float))
    return np.where(np.asarray(b.purpose) == Purpose.HOME_PURCHASE, left, 0.0)


def box_7(ctx: OutcomeContext, paid: RothIraPaid) -> np.ndarray:
    """Q, T or J (Guide to Distribution Codes)."""
    age_or_disabled = ctx.f.at_59_half | np.asarray(ctx.b.disabled, bool)
    return np.where(age_or_disabled, np.where(paid.five_years, "Q", "T"), "J").astype(object)


@dataclass(frozen=True)
class Spared:
    """What Form 5329 does not tax, beside its lines: the cases the medical exception spares,
    and the part spared only by an exception SECURE 2.0 added (a state's own tax may reach it)."""

    by_medical: np.ndarray
    secure2: np.ndarray


@dataclass(frozen=True)
class Limits:
    """What the request's purpose may spare of the 10% tax: a first home, the events of
    :mod:`dist401k.ira_events` (``events``; ``event``: the most the birth or adoption, emergency
    or domestic abuse covers; ``disaster``: the most a qualified disaster recovery distribution
    is)."""

    home: np.ndarray
    events: list[IraEvent]
    event: np.ndarray
    disaster: np.ndarray


def limits_of(ctx: OutcomeContext) -> Limits:
    """The case's first-home and event limits."""
    events = ira_events(ctx.b, ctx.f.lk, np.asarray(ctx.b.ira_roth, float))
    return Limits(home=first_home_left(ctx), events=events, event=event_limit(events, False),
                  disaster=event_limit(events, True))


def part_i(ctx: OutcomeContext, paid: RothIraPaid, lim: Limits, agi_with) -> tuple[PartI, Spared]:
    """Form 5329 Part I: line 1 the early distribution includible (line 25a of Form 8606, the
    recapture of conversions within 5 years, and a qualified first-home distribution of line
    20, Instructions for Form 5329, line 1), less a qualified disaster recovery distribution
    (reported on Form 8915-F; the includible part first); line 2 what the exceptions cover,
    with its number; line 4 the rate times line 3."""
    b = ctx.b
    early = ~ctx.f.at_59_half
    disaster = np.where(early, np.minimum(paid.early_includible, lim.disaster), 0.0)
    line_1 = np.where(early, paid.early_includible, 0.0) - disaster
    disabled, terminal = np.asarray(b.disabled, bool), np.asarray(b.terminally_ill, bool)
    whole = disabled | terminal
    home = np.minimum(line_1, lim.home)
    tuition = np.asarray(b.purpose) == Purpose.TUITION
    need = np.asarray(b.need, float)
    education = np.where(tuition, np.minimum(line_1, np.where(np.isnan(need), line_1, need)),
                         0.0)
    event = np.minimum(line_1, lim.event)
    subject = np.maximum(0.0, line_1 - home - education - event)
    medical = np.minimum(subject, medical_exception(b.medical_expenses, agi_with,
                                                    ctx.medical_floor))
    line_2 = np.where(whole, line_1, np.minimum(line_1, home + education + event + medical))
    # Form 5329 line 4's rule (dist401k.form_5329.additional_tax): lines 1 and 2 to the cent,
    # line 3 the one less the other, line 4 the rate times line 3 to the cent.
    line_3 = line_3_of(line_1, line_1 - line_2)
    has = line_1 > HALF_CENT
    pieces: list[tuple[np.ndarray, str | None]] = [
        (disabled & has, "disability"), (terminal & has, "terminal_illness"),
        (~whole & (home > HALF_CENT), "first_home"),
        (~whole & (education > HALF_CENT), "higher_education"),
        *[(~whole & e.applies & (event > HALF_CENT), e.key) for e in lim.events if e.key]]
    by_medical = ~whole & (medical > HALF_CENT)
    number = np.where(line_2 > HALF_CENT, line_2_number(
        ctx.f.lk, pieces, by_medical, np.zeros(len(b), bool)), 0.0)
    added = np.isin(b.purpose, PURPOSES_SECURE2_ADDED)
    secure2 = disaster + np.where(whole, np.where(terminal & ~disabled, line_1, 0.0),
                                  np.where(added, event, 0.0))
    form = PartI(line_1=cents(line_1), line_2=cents(line_2), line_2_number=number, line_3=line_3,
                 line_4=additional_tax(ctx.rate_72t, line_1, line_1 - line_2), required=has)
    return form, Spared(by_medical, secure2)


@dataclass(frozen=True)
class RothIraAt:
    """A distribution of ``gross`` from the Roth IRAs, figured: what it is, the part taxed
    this year (a disaster's spread), the taxes it adds, the withholding and the 1099-R code."""

    gross: np.ndarray
    paid: RothIraPaid
    this_year: np.ndarray
    federal_with: TaxWith
    form_5329: PartI
    spared: Spared
    state: StateIncrease | None
    code: np.ndarray
    withholding: np.ndarray
    state_withholding: StateWithholding | None

    @property
    def state_withheld(self) -> np.ndarray:
        sw = self.state_withholding
        return np.zeros(len(self.gross)) if sw is None else np.nan_to_num(sw.amount)

    @property
    def state_cost(self) -> np.ndarray:
        return np.zeros(len(self.gross)) if self.state is None else self.state.cost

    def cost(self, all_tax) -> np.ndarray:
        """What it leaves out of hand: the withholding (federal and the state's), or all the
        year's tax on it (income tax, the 10% tax, the state's) where ``all_tax``."""
        return np.where(all_tax, self.federal_with.increase + self.form_5329.line_4
                        + self.state_cost, self.withholding + self.state_withheld)


def roth_ira_at(ctx: OutcomeContext, gross, lim: Limits) -> RothIraAt:
    """Everything a distribution of ``gross`` from the Roth IRAs comes to."""
    b, f = ctx.b, ctx.f
    gross = np.asarray(gross, float)
    paid = roth_ira_paid(gross, history_of(b), b.tax_year, f.at_59_half, b.disabled,
                         np.zeros(len(b), bool), Left(lim.home, lim.disaster), RothIraLaw(
                             f.lk.get("roth.ira_five_year_period"),
                             f.lk.get("roth.conversion_recapture_years")))
    p3 = paid.part_iii
    this_year = p3.line_25c + p3.line_25b / ctx.spread_years
    federal_with = ctx.tax.federal_with(this_year)
    form_5329, spared = part_i(ctx, paid, lim, federal_with.agi)
    state = ctx.state_tax_of.increase(this_year, federal_with, form_5329.line_3,
                                      spared.secure2, route="roth_ira"
                                      ) if ctx.state_tax_of.any else None
    code = box_7(ctx, paid)
    qualified_q = code == "Q"
    withholding = np.where(qualified_q, 0.0, cents(ctx.withheld_on.on(gross, False, gross)))
    sw = _state_withheld(ctx, gross, np.where(qualified_q, 0.0, gross), withholding)
    return RothIraAt(gross=gross, paid=paid, this_year=this_year, federal_with=federal_with,
                     form_5329=form_5329, spared=spared, state=state, code=code,
                     withholding=withholding, state_withholding=sw)


@dataclass(frozen=True)
class Net:
    """A net amount asked (``request.net_amount``): the cases that ask, and those the Roth
    IRAs cannot pay that much net."""

    asked: np.ndarray
    short: np.ndarray


def roth_ira_gross(ctx: OutcomeContext, route: RouteResult,
                   lim: Limits) -> tuple[RothIraAt, Net]:
    """The distribution asked for: the amount (all of it where none is), at most the Roth
    IRAs; or the gross that leaves ``request.net_amount`` after the withholding or after all
    the year's tax (``net_of``), found as the plan's routes find theirs (a secant search, then
    the withholding's gross on the cent)."""
    b = ctx.b
    plain = asked_gross(b, route, "roth_ira")
    high = np.where(route.eligible.any(axis=1), route.total_available, 0.0)
    wants = ~np.isnan(b.net_amount) & (high > HALF_CENT)
    none = np.zeros(len(b), bool)
    if not wants.any():
        return roth_ira_at(ctx, plain, lim), Net(none, none)
    net = np.where(wants, b.net_amount, 0.0)
    all_tax = np.asarray(b.net_of) == NetOf.ALL_TAX

    def grossed(g):
        return np.minimum(high, net + roth_ira_at(ctx, g, lim).cost(all_tax))

    g = np.where(wants, secant_fixed_point(grossed, np.minimum(net, high), high), plain)

    def withheld_at(t):
        at = roth_ira_at(ctx, t, lim)
        return at.withholding + at.state_withheld

    g = on_the_cent(withheld_at, g, net, wants & ~all_tax, high)
    at = roth_ira_at(ctx, g, lim)
    short = wants & (g >= high - HALF_CENT) & (g - at.cost(all_tax) < net - HALF_CENT)
    return at, Net(wants, short)


def roth_ira_outcome(ctx: OutcomeContext, route: RouteResult) -> Outcome:
    """Money from the Roth IRAs, paid in cash to the owner."""
    b = ctx.b
    lim = limits_of(ctx)
    at, net = roth_ira_gross(ctx, route, lim)
    gross, paid, form_5329 = at.gross, at.paid, at.form_5329
    ok = route.eligible.any(axis=1) & (gross > HALF_CENT)
    amounts = {"gross": gross, "taxable": paid.taxable, "nontaxable": gross - paid.taxable,
               "taxable_later": paid.taxable - at.this_year, "withholding": at.withholding,
               "income_tax_increase": at.federal_with.increase,
               "additional_tax_72t": form_5329.line_4,
               "net_cash": gross - at.withholding - at.state_withheld,
               "after_all_taxes": gross - at.cost(True),
               "to_traditional_ira": ctx.zero, "to_roth_ira": ctx.zero, "to_plan": ctx.zero,
               "makeup_needed": ctx.zero}
    z = ctx.zero
    sw = at.state_withholding
    return Outcome(
        route="roth_ira", destination="cash", possible=ok,
        **{k: np.where(ok, v, 0.0) for k, v in amounts.items()}, code=at.code,
        parts={"pretax_cash": z, "roth_cash": np.where(ok, gross, 0.0), "rolled_pretax": z,
               "rolled_roth": z},
        reasons=_reasons(ctx, at, ok, lim) | _state_reasons(ok, at.state, sw) | {
            "OC_NET_AMOUNT": ok & net.asked & ~net.short, "OC_NET_SHORT": ok & net.short},
        extra={"nonroth_taxable_share": z, "roth_taxable": paid.taxable,
               "roth_contributions_paid": z, "roth_first_year": np.full(len(b), np.inf)},
        state=at.state, state_withholding=None if sw is None else StateWithholding(
            np.where(ok, sw.amount, 0.0), sw.covered, sw.reasons),
        form_5329=form_5329, roth_ira=paid)


def _state_withheld(ctx: OutcomeContext, gross, withheld_on,
                    federal) -> StateWithholding | None:
    """The state's withholding beside the federal (docs/state.md), on what the federal is
    withheld on; None where no case of the batch gives a state.  No part of it is an eligible
    rollover distribution (an IRA's is none: §402(c)(4), (f)(2)(A)); it is a lump sum of the whole
    balance where it takes all of ``iras.roth`` (the Roth IRAs taken as one account, as the
    ordering rules take them): the states whose rule reads that (Conn. Gen. Stat. §12-705(b),
    D.C. Code §47-1812.08(m)) reach an IRA's distribution as a plan's."""
    b = ctx.b
    if b.state is None or not (np.asarray(b.state) != "").any():
        return None
    balance = np.asarray(b.ira_roth, float)
    none = np.zeros(len(b), bool)
    whole = (balance > HALF_CENT) & (np.asarray(gross, float) >= balance - HALF_CENT)
    return state_withholding(ctx.f.law, np.asarray(b.state), b.tax_year, withheld_on, federal,
                             Parts(none, np.zeros(len(b)), np.zeros(len(b)), whole),
                             Payee(year_of(b.birth_date), np.asarray(b.disabled)),
                             b.state_withholding_rate)


#: The reason of each event exception applied (law/reasons/roth_ira.yaml).
EVENT_REASONS = {Purpose.BIRTH_ADOPTION: "RI_BIRTH_ADOPTION", Purpose.EMERGENCY: "RI_EMERGENCY",
                 Purpose.DOMESTIC_ABUSE: "RI_DOMESTIC_ABUSE", Purpose.DISASTER: "RI_DISASTER"}


def _reasons(ctx: OutcomeContext, at: RothIraAt, ok, lim: Limits) -> dict[str, np.ndarray]:
    """Why: qualified or by the ordering rules, what of it is taxed, the exceptions."""
    b, paid, p = ctx.b, at.paid, at.form_5329
    early = ~ctx.f.at_59_half
    nonqualified = ok & paid.part_iii.filled
    # The disaster's spread of income holds at any age; the others spare only the 10% tax.
    events = {EVENT_REASONS[e.purpose]: nonqualified & e.applies & (
        early | (e.purpose == Purpose.DISASTER)) for e in lim.events}
    return {
        "RI_QUALIFIED": ok & paid.qualified & ~paid.part_iii.filled,
        "RI_NONQUALIFIED": nonqualified,
        "RI_FIRST_YEAR_UNKNOWN": ok & np.isnan(history_of(b).start_of_period()),
        "RI_RECAPTURE": nonqualified & early & (paid.ordered.recapture > HALF_CENT),
        "RI_EARNINGS_TAXED": nonqualified & (paid.taxable > HALF_CENT),
        "RI_FIRST_HOME": ok & (lim.home > HALF_CENT),
        "RI_EDUCATION": ok & early & (np.asarray(b.purpose) == Purpose.TUITION),
        **events,
        "RI_EVENT_NOT_MET": nonqualified & np.logical_or.reduce(
            [e.asked & ~e.applies for e in lim.events]),
        "OC_DISASTER_SPREAD": nonqualified & (paid.taxable - at.this_year > HALF_CENT),
        "RI_WITHHOLDING": ok,
        **ctx.withheld_on.void_reasons(ok & (np.asarray(at.code) != "Q")),
        "PX_AGE_59_HALF": nonqualified & ctx.f.at_59_half,
        "PX_DISABILITY": ok & early & np.asarray(b.disabled, bool) & (p.line_1 > HALF_CENT),
        "PX_TERMINAL": ok & early & np.asarray(b.terminally_ill, bool) & (p.line_1 > HALF_CENT),
        "PX_MEDICAL": ok & early & at.spared.by_medical,
        "PX_NONE": ok & (p.line_4 > HALF_CENT),
        "RI_NOT_MODELLED": ok & (p.line_4 > HALF_CENT),
    }


def _state_reasons(ok, state, sw) -> dict[str, np.ndarray]:
    """The state's reasons for its tax and its withholding, where a state is given."""
    out = {} if state is None else {k: v & ok for k, v in state.reasons.items()}
    return out | ({} if sw is None else {k: v & ok for k, v in sw.reasons.items()})
