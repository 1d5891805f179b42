"""The outcome of taking money from the Roth IRAs (route ``roth_ira``): the taxable part by the
ordering rules, the 10% tax on earnings and on conversions within 5 years with the §72(t)(2)
exceptions an IRA has, the withholding, the custodian's Form 1099-R code, Form 8606 Part III and
Form 5329 Part I.

* Tax: only a nonqualified distribution's earnings are includible (Form 8606, line 25c).
* The 10% tax (§72(t)(1), §408A(d)(3)(F)): on the taxable earnings and the part allocable to
  the taxable part of a conversion within 5 years, paid before 59½, unless an exception covers
  it: disability (§72(t)(2)(A)(iii)), terminal illness ((L)), medical expenses above the AGI
  floor ((B)), a first home up to the lifetime limit ((F), (t)(8)), higher education ((E)).  The
  rule of 55 and the public safety exception are the plan's, not an IRA's.
* Withholding: a nonperiodic payment, 10% unless the W-4R elects another rate (§3405(b));
  Treas. Reg. §1.408A-6, Q&A-13.  A qualified distribution (code Q) is not includible: none is
  withheld (§3405(e)(1)(B)(ii)).  The payer cannot know the basis: it withholds on the gross.
* Box 7 (Guide to Distribution Codes): Q where the 5-year period is met and the owner is 59½,
  disabled or dead; T where one of those holds but the 5-year period is not known to be met;
  J otherwise.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Purpose
from dist401k.dates import year_of
from dist401k.early_distribution import exceptions, medical_exception
from dist401k.form_5329 import PartI, line_2_number
from dist401k.money import HALF_CENT, cents
from dist401k.outcome import Outcome, OutcomeContext, state_increase
from dist401k.roth_ira_ordering import RothIraHistory, RothIraLaw, RothIraPaid, roth_ira_paid
from dist401k.routes.base import RouteResult
from dist401k.state_withholding import StateWithholding, state_withholding

#: Exceptions of the plan only (§72(t)(2)(A)(v), (t)(10)) and death (an owner's own IRA).
NOT_FOR_AN_IRA = ("PX_SEPARATION_55", "PX_PUBLIC_SAFETY", "PX_DEATH", "PX_SECURE2")


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


def roth_ira_gross(ctx: OutcomeContext, route: RouteResult) -> np.ndarray:
    """The amount asked for (all of it where none is), at most the Roth IRA; a net amount
    grossed up by the default or elected withholding rate (§3405(b))."""
    b = ctx.b
    total = route.total_available
    rate = ctx.withheld_on.nonperiodic_rate
    with np.errstate(divide="ignore", invalid="ignore"):
        from_net = np.where(rate < 1, np.asarray(b.net_amount) / (1 - rate), total)
    want = np.where(~np.isnan(b.net_amount), from_net,
                    np.where(np.isnan(b.amount), total, b.amount))
    return np.where(route.eligible.any(axis=1), np.minimum(want, total), 0.0)


def box_7(ctx: OutcomeContext, paid: RothIraPaid) -> np.ndarray:
    """Q, T or J (Guide to Distribution Codes)."""
    age_or_disabled = ctx.f.at_59_half | np.asarray(ctx.b.disabled, bool)
    return np.where(age_or_disabled, np.where(paid.five_years, "Q", "T"), "J").astype(object)


def part_i(ctx: OutcomeContext, paid: RothIraPaid, home_left,
           agi_with) -> tuple[PartI, np.ndarray]:
    """Form 5329 Part I: line 1 the early distribution includible (line 25c of Form 8606, the
    recapture of conversions within 5 years, and a qualified first-home distribution of line
    20, Instructions for Form 5329, line 1); line 2 what the exceptions cover, with its
    number; line 4 the rate times line 3."""
    b = ctx.b
    early = ~ctx.f.at_59_half
    line_1 = np.where(early, paid.early_includible, 0.0)
    whole = np.asarray(b.disabled, bool) | np.asarray(b.terminally_ill, bool)
    home = np.minimum(line_1, home_left)
    tuition = np.asarray(b.purpose) == Purpose.TUITION
    need = np.asarray(b.need, float)
    education = np.where(tuition, np.minimum(line_1, np.where(np.isnan(need), line_1, need)),
                         0.0)
    subject = np.maximum(0.0, line_1 - home - education)
    medical = np.minimum(subject, medical_exception(b.medical_expenses, agi_with,
                                                    ctx.medical_floor))
    line_2 = np.where(whole, line_1, np.minimum(line_1, home + education + medical))
    line_3 = np.maximum(0.0, line_1 - line_2)
    has = line_1 > HALF_CENT
    pieces: list[tuple[np.ndarray, str | None]] = [
        (np.asarray(b.disabled, bool) & has, "disability"),
        (np.asarray(b.terminally_ill, bool) & has, "terminal_illness"),
        (~whole & (home > HALF_CENT), "first_home"),
        (~whole & (education > HALF_CENT), "higher_education")]
    by_medical = ~whole & (medical > HALF_CENT)
    number = np.where(line_2 > HALF_CENT, line_2_number(
        ctx.f.lk, pieces, by_medical, np.zeros(len(b), bool)), 0.0)
    return PartI(line_1=line_1, line_2=line_2, line_2_number=number, line_3=line_3,
                 line_4=ctx.rate_72t * line_3, required=has), by_medical


def roth_ira_outcome(ctx: OutcomeContext, route: RouteResult) -> Outcome:
    """Money from the Roth IRAs, paid in cash to the owner."""
    b, f = ctx.b, ctx.f
    gross = roth_ira_gross(ctx, route)
    ok = route.eligible.any(axis=1) & (gross > HALF_CENT)
    home_left = first_home_left(ctx)
    paid = roth_ira_paid(gross, history_of(b), b.tax_year, f.at_59_half, b.disabled,
                         np.zeros(len(b), bool), home_left, RothIraLaw(
                             f.lk.get("roth.ira_five_year_period"),
                             f.lk.get("roth.conversion_recapture_years")))
    federal_with = ctx.tax.federal_with(paid.taxable)
    form_5329, by_medical = part_i(ctx, paid, home_left, federal_with.agi)
    exc = {k: (np.zeros(len(b), bool) if k in NOT_FOR_AN_IRA else v)
           for k, v in exceptions(b, f, "roth_ira").items()}
    state = state_increase(ctx.state_tax_of, exc, "roth_ira", paid.taxable, federal_with,
                           np.zeros(len(b), bool), form_5329.line_3)
    code = box_7(ctx, paid)
    qualified_q = code == "Q"
    withholding = np.where(qualified_q, 0.0, cents(ctx.withheld_on.on(gross, False, gross)))
    sw = _state_withheld(ctx, np.where(qualified_q, 0.0, gross), withholding)
    state_withheld = ctx.zero if sw is None else np.nan_to_num(sw.amount)
    state_cost = ctx.zero if state is None else state.cost
    additional = form_5329.line_4
    amounts = {"gross": gross, "taxable": paid.taxable, "nontaxable": gross - paid.taxable,
               "taxable_later": ctx.zero, "withholding": withholding,
               "income_tax_increase": federal_with.increase, "additional_tax_72t": additional,
               "net_cash": gross - withholding - state_withheld,
               "after_all_taxes": gross - federal_with.increase - additional - state_cost,
               "to_traditional_ira": ctx.zero, "to_roth_ira": ctx.zero, "to_plan": ctx.zero,
               "makeup_needed": ctx.zero}
    z = ctx.zero
    return Outcome(
        route="roth_ira", destination="cash", possible=ok,
        **{k: np.where(ok, v, 0.0) for k, v in amounts.items()}, code=code,
        parts={"pretax_cash": z, "roth_cash": np.where(ok, gross, 0.0), "rolled_pretax": z,
               "rolled_roth": z},
        reasons=_reasons(ctx, paid, ok, form_5329, home_left, by_medical) | _state_reasons(
            ok, state, sw),
        extra={"nonroth_taxable_share": z, "roth_taxable": paid.taxable,
               "roth_contributions_paid": z, "roth_first_year": np.full(len(b), np.inf)},
        state=state, state_withholding=None if sw is None else StateWithholding(
            np.where(ok, sw.amount, 0.0), sw.covered, sw.reasons),
        form_5329=form_5329, roth_ira=paid)


def _state_withheld(ctx: OutcomeContext, withheld_on, federal) -> StateWithholding | None:
    """The state's withholding beside the federal (docs/state.md), on what the federal is
    withheld on; None where no case of the batch gives a state."""
    b = ctx.b
    if b.state is None or not (np.asarray(b.state) != "").any():
        return None
    return state_withholding(ctx.f.law, np.asarray(b.state), b.tax_year, withheld_on, federal,
                             np.zeros(len(b), bool), year_of(b.birth_date),
                             b.state_withholding_rate)


def _reasons(ctx: OutcomeContext, paid: RothIraPaid, ok, p: PartI, home_left,
             by_medical) -> dict[str, np.ndarray]:
    """Why: qualified or by the ordering rules, what of it is taxed, the exceptions."""
    b = ctx.b
    early = ~ctx.f.at_59_half
    nonqualified = ok & paid.part_iii.filled
    return {
        "RI_QUALIFIED": ok & paid.qualified & ~paid.part_iii.filled,
        "RI_NONQUALIFIED": nonqualified,
        "RI_FIRST_YEAR_UNKNOWN": ok & np.isnan(history_of(b).start_of_period()),
        "RI_RECAPTURE": nonqualified & early & (paid.ordered.recapture > HALF_CENT),
        "RI_EARNINGS_TAXED": nonqualified & (paid.taxable > HALF_CENT),
        "RI_FIRST_HOME": ok & (home_left > HALF_CENT),
        "RI_EDUCATION": ok & early & (np.asarray(b.purpose) == Purpose.TUITION),
        "RI_WITHHOLDING": ok,
        "PX_AGE_59_HALF": nonqualified & ctx.f.at_59_half,
        "PX_DISABILITY": ok & early & np.asarray(b.disabled, bool) & (p.line_1 > HALF_CENT),
        "PX_TERMINAL": ok & early & np.asarray(b.terminally_ill, bool) & (p.line_1 > HALF_CENT),
        "PX_MEDICAL": ok & early & by_medical,
        "PX_NONE": ok & (p.line_4 > HALF_CENT),
        "RI_NOT_MODELLED": ok & (p.line_4 > HALF_CENT) & np.isin(
            b.purpose, [Purpose.EMERGENCY, Purpose.BIRTH_ADOPTION, Purpose.DOMESTIC_ABUSE,
                        Purpose.DISASTER]),
    }


def _state_reasons(ok, state, sw) -> dict[str, np.ndarray]:
    """The state's reasons for its tax and its withholding, where a state is given."""
    out = {} if state is None else {k: v & ok for k, v in state.reasons.items()}
    return out | ({} if sw is None else {k: v & ok for k, v in sw.reasons.items()})
