"""The outcome of a request by each open route and each destination: gross, taxable and
tax-free parts, withholding, the income tax it adds, the §72(t) additional tax, the cash in
hand, the Form 1099-R codes, the notices and the deadlines — arrays over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from dist401k.basis import nontaxable_share, roth_qualified
from dist401k.batch import CaseBatch
from dist401k.case import PURPOSES, RELATIONSHIPS
from dist401k.dates import add_months, age_at_year_end
from dist401k.early_distribution import (
    SECURE2_ROUTES,
    death_exception,
    exceptions,
    exempt_457,
    medical_exception,
)
from dist401k.form_1099r import distribution_code
from dist401k.law.loader import Lookup
from dist401k.routes.base import DESTINATIONS, RouteResult
from dist401k.routes.common import Facts
from dist401k.sources import AFTER_TAX, ROTH
from dist401k.state_outcome import StateIncrease, StateTaxOf, secure2_only
from dist401k.tax import TaxUnits, federal_tax
from dist401k.withholding import Withholding

#: Routes whose payments are eligible rollover distributions (§402(c)(4)): the others
#: (hardship, RMD, the SECURE 2.0 withdrawals) are paid in cash only.
ROLLABLE = ("in_service", "separation", "disability", "de_minimis_457")
MONEY_FIELDS = ("gross", "taxable", "nontaxable", "taxable_later", "withholding",
                "income_tax_increase", "additional_tax_72t", "net_cash", "after_all_taxes",
                "to_traditional_ira", "to_roth_ira", "to_plan", "makeup_needed")


@dataclass
class Outcome:
    route: str
    destination: str
    possible: np.ndarray
    gross: np.ndarray
    taxable: np.ndarray
    nontaxable: np.ndarray
    taxable_later: np.ndarray
    withholding: np.ndarray
    income_tax_increase: np.ndarray
    additional_tax_72t: np.ndarray
    net_cash: np.ndarray
    after_all_taxes: np.ndarray
    to_traditional_ira: np.ndarray
    to_roth_ira: np.ndarray
    to_plan: np.ndarray
    makeup_needed: np.ndarray
    code: np.ndarray  # the cash part's 1099-R code
    parts: dict[str, np.ndarray]  # pretax_cash, roth_cash, rolled_pretax, rolled_roth
    reasons: dict[str, np.ndarray] = field(default_factory=dict)
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    #: The state income tax it adds, where the case gives a state (None: no state figures).
    state: StateIncrease | None = None


def tax_units(b: CaseBatch, extra_taxable=0.0) -> TaxUnits:
    """The case's tax year as a tax unit, with ``extra_taxable`` added to its distributions."""
    spouse = np.where(np.isnat(b.spouse_birth_date), b.birth_date, b.spouse_birth_date)
    age_spouse = np.where(np.isnat(b.spouse_birth_date), 0, age_at_year_end(spouse, b.tax_year))
    n = len(b)
    z = np.zeros(n)
    return TaxUnits(
        tax_year=b.tax_year.astype(np.int64), filing_status=b.filing_status.astype(np.int8),
        age_head=np.clip(age_at_year_end(b.birth_date, b.tax_year), 0, 120).astype(float),
        age_spouse=np.clip(age_spouse, 0, 120).astype(float), blind_head=np.zeros(n, bool),
        blind_spouse=np.zeros(n, bool), lived_apart=np.zeros(n, bool), wages=b.wages,
        taxable_interest=b.taxable_interest, tax_exempt_interest=b.tax_exempt_interest,
        ordinary_dividends=b.ordinary_dividends, qualified_dividends=b.qualified_dividends,
        long_term_gains=b.long_term_gains,
        taxable_distributions=b.other_distributions + extra_taxable,
        early_distributions=z, social_security=b.social_security, other_income=b.other_income,
        itemized_deductions=b.itemized_deductions)


class TaxOf:
    """The tax engine for the batch: the tax without the distribution, once; with it, per
    amount taxable (destinations that leave the same amount taxable share one computation,
    and amounts known in advance are figured together in one call)."""

    def __init__(self, b: CaseBatch, law):
        self.b, self.law = b, law
        self.units = tax_units(b)
        self.lookup = Lookup(law, self.units.tax_year, self.units.filing_status)
        self.base = federal_tax(self.units, law, self.lookup)
        # amount taxable → (income tax added, AGI with it, taxable Social Security with it)
        self.seen: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _vector(self, taxable_now) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(np.asarray(taxable_now, dtype=float),
                                                    (len(self.b),)))

    def prefetch(self, amounts) -> None:
        """Figure the tax with each of ``amounts`` (vectors over the batch) in one call of
        the tax engine over the stacked units."""
        todo: dict[bytes, np.ndarray] = {}
        for a in amounts:
            v = self._vector(a)
            key = v.tobytes()
            if key not in self.seen and key not in todo and v.any():
                todo[key] = v
        if len(todo) < 2:
            return  # one computation: ``increase`` does it
        n, k = len(self.b), len(todo)
        stacked = self.units.repeat(k)
        stacked = stacked.replace(taxable_distributions=stacked.taxable_distributions
                                  + np.concatenate(list(todo.values())))
        more = federal_tax(stacked, self.law, self.lookup.repeat(k))
        tax = more["income_tax"].reshape(k, n) - self.base["income_tax"]
        agi = more["agi"].reshape(k, n)
        tss = more["taxable_social_security"].reshape(k, n)
        for j, key in enumerate(todo):
            self.seen[key] = (tax[j], agi[j], tss[j])

    def increase(self, taxable_now):
        """The income tax added by ``taxable_now`` and the AGI with it."""
        return self.with_(taxable_now)[:2]

    def with_(self, taxable_now):
        """The income tax added by ``taxable_now``, the AGI and the taxable Social Security
        with it."""
        taxable_now = self._vector(taxable_now)
        key = taxable_now.tobytes()
        if key not in self.seen:
            if not taxable_now.any():
                self.seen[key] = (np.zeros(len(self.b)), self.base["agi"],
                                  self.base["taxable_social_security"])
            else:
                more = federal_tax(self.units.replace(taxable_distributions=(
                    self.units.taxable_distributions + taxable_now)), self.law, self.lookup)
                self.seen[key] = (more["income_tax"] - self.base["income_tax"], more["agi"],
                                  more["taxable_social_security"])
        return self.seen[key]


def _gross(b: CaseBatch, route: RouteResult, name: str) -> np.ndarray:
    total = route.total_available
    if name == "rmd":
        return total
    want = np.where(np.isnan(b.amount), total, np.minimum(b.amount, total))
    return np.where(route.eligible.any(axis=1), want, 0.0)


def _allocate(route: RouteResult, gross) -> np.ndarray:
    avail = np.where(route.eligible, route.available, 0.0)
    total = avail.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(total > 0, avail / total, 0.0)
    return w * gross[:, None]


def _hardship_gross_up(b, f, route, tax: TaxOf, share, subject_share,
                       state_tax_of: StateTaxOf):
    """Need + the federal and state income tax and additional taxes it will cost (Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(A): "any federal, state, or local income taxes or penalties
    reasonably anticipated"): the fixed point g = need + tax(g), found for the whole batch by
    the secant method (the tax is piecewise linear in g, so a few steps land on it)."""
    total = route.total_available
    need = route.extra["need"]
    has_need = ~np.isnan(need)
    rate = f.lk.get("early_distributions.additional_tax_rate")
    exc = exceptions(b, f, "hardship")
    excepted = np.logical_or.reduce(list(exc.values()))
    floor = f.lk.get("early_distributions.medical_agi_floor")
    low = np.where(has_need, np.minimum(need, total), total)

    def grossed(g):
        inc, agi_with, taxable_ss_with = tax.with_(g * share)
        subject = g * subject_share
        med = np.minimum(subject, medical_exception(b.medical_expenses, agi_with, floor))
        extra_72t = np.where(excepted, 0.0, rate * (subject - med))
        state = state_increase(state_tax_of, exc, "hardship", g * share, agi_with,
                               taxable_ss_with, excepted, np.maximum(0.0, subject - med))
        inc = inc + (0.0 if state is None else state.cost)
        return np.where(has_need, np.minimum(total, need + inc + extra_72t), total)

    g0 = low
    h0 = g0 - grossed(g0)
    g = g0 - h0  # one plain step: need + the tax on the need
    for _ in range(30):
        fg = grossed(g)
        h = g - fg
        if np.all(np.abs(h) < 0.001):
            g = fg
            break
        # A secant step where the slope is sound; a plain step otherwise (h rises in g
        # with slope 1 − the marginal rate, so a sound slope is positive).
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (h - h0) / (g - g0)
            sound = np.isfinite(slope) & (slope > 0.01)
            nxt = np.where(sound, g - h / np.where(sound, slope, 1.0), fg)
        g0, h0 = g, h
        g = np.clip(nxt, low, total)
    want = np.where(np.isnan(b.amount), g, np.minimum(b.amount, g))
    return np.where(route.eligible.any(axis=1), want, 0.0)


class _RouteMoney(NamedTuple):
    """What a route pays each case and how it is taxable, before the destination."""

    open_: np.ndarray
    gross: np.ndarray
    alloc: np.ndarray
    taxable_all: np.ndarray
    subject_all: np.ndarray
    basis: np.ndarray
    roth_gross: np.ndarray
    nonroth_gross: np.ndarray
    exc: dict
    excepted: np.ndarray
    code: np.ndarray
    rollable: bool
    rmd_part: np.ndarray
    t_nonroth: np.ndarray
    basis_share: np.ndarray
    subject_share: np.ndarray
    rmd_taxable: np.ndarray
    erd_nonroth: np.ndarray
    erd_taxable: np.ndarray
    spread: bool
    dests: tuple[str, ...]
    n: int
    zero: np.ndarray


def _taxable_now(m: _RouteMoney, dest: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Roth conversion, the amount taxable, and the part of it taxed this year."""
    conversion = m.erd_nonroth * m.t_nonroth if dest == "roth_ira" else m.zero
    if dest == "cash":
        taxable_now = m.taxable_all
    else:
        # A direct rollover, or the whole gross put back within 60 days: only the RMD part
        # stays taxable (and pre-tax money rolled to a Roth IRA is converted).
        taxable_now = m.rmd_taxable + conversion
    # A qualified disaster distribution is taxed over three years unless elected otherwise.
    return conversion, taxable_now, taxable_now / 3 if m.spread else taxable_now


def outcomes(b: CaseBatch, f: Facts, routes: dict[str, RouteResult],
             pairs: set[tuple[str, str]] | None = None) -> list[Outcome]:
    """Every open route's outcome for each destination it allows (loans: the loan itself);
    ``pairs`` limits the work to some (route, destination) pairs."""
    law, lk = f.law, f.lk
    tax = TaxOf(b, law)
    state_tax_of = StateTaxOf(b, f, tax.units, tax.base, tax.lookup)
    # A beneficiary's Roth distribution is on account of death: the employee's five-year
    # period decides (§402A(d)(2)(A)(ii), §408A(d)(2)(A)(iii)).
    qualified = roth_qualified(b.tax_year, b.roth_first_year, lk.get("roth.five_year_period"),
                               f.at_59_half | death_exception(b), b.disabled)
    share = nontaxable_share(b.balance, b.basis, b.roth_contributions, qualified)
    ex457 = exempt_457(b)
    rate_72t = lk.get("early_distributions.additional_tax_rate")
    floor = lk.get("early_distributions.medical_agi_floor")
    withheld_on = Withholding(b.withholding_rate, lk.get("withholding.eligible_rollover_rate"),
                              lk.get("withholding.nonperiodic_default_rate"),
                              lk.get("withholding.small_distribution"))
    rmd_route = routes["rmd"]
    rmd_remaining = rmd_route.limit
    married = np.isin(b.filing_status, (1, 2))
    consent = b.spousal_consent & married
    purpose_ira_only = np.isin(b.purpose, [PURPOSES.index(p) for p in ("tuition", "home_purchase")])
    out: list[Outcome] = []

    # First what each route pays and how it is taxable, then the tax of every destination's
    # taxable amount in one call of the tax engine, then each destination's outcome.
    money: list[tuple[str, RouteResult, _RouteMoney | None]] = []
    for name, route in routes.items():
        open_ = route.eligible.any(axis=1)
        if not open_.any():
            continue
        if pairs is not None and not any(r == name for r, _ in pairs):
            continue
        if name == "loan":
            money.append((name, route, None))
            continue
        if name == "hardship":
            w = _allocate(route, np.ones(len(b)))
            taxable_share = (w * (1 - share)).sum(axis=1)
            subject_share = (w * (1 - share) * ~ex457).sum(axis=1)
            gross = _hardship_gross_up(b, f, route, tax, taxable_share, subject_share,
                                       state_tax_of)
        else:
            gross = _gross(b, route, name)
        alloc = _allocate(route, gross)
        nontax_src = alloc * share
        taxable_src = alloc - nontax_src
        roth = ROTH[None, :]
        taxable_pretax = (taxable_src * ~roth).sum(axis=1)
        taxable_roth = (taxable_src * roth).sum(axis=1)
        taxable_all = taxable_pretax + taxable_roth
        subject_all = (taxable_src * ~ex457).sum(axis=1)
        basis = (nontax_src * AFTER_TAX[None, :]).sum(axis=1)
        roth_gross = (alloc * roth).sum(axis=1)
        nonroth_gross = gross - roth_gross
        exc = exceptions(b, f, name)
        excepted = np.logical_or.reduce(list(exc.values()))
        known = exc["PX_SEPARATION_55"] | exc["PX_PUBLIC_SAFETY"] | exc["PX_SECURE2"] | \
            exc["PX_TERMINAL"] | (subject_all <= 0.005) & (taxable_all > 0)
        code = distribution_code(f.at_59_half, b.disabled, known, exc["PX_DEATH"])
        if name == "beneficiary":
            # An inherited Roth IRA: Q when the distribution is qualified, T otherwise
            # (death is an exception to the 10% tax).
            roth_ira = np.asarray(b.inherited_ira, bool) & np.asarray(b.inherited_roth, bool)
            code = np.where(roth_ira & exc["PX_DEATH"], np.where(
                (alloc * qualified).sum(axis=1) >= (alloc * ROTH[None, :]).sum(axis=1) - 0.005,
                "Q", "T"), code)
        rollable = name in ROLLABLE
        n = len(b)
        zero = np.zeros(n)
        # In an RMD year the first dollars paid are the RMD (Treas. Reg. §1.402(c)-2, Q&A-7):
        # paid in cash from non-Roth money, never rollable.
        rmd_part = np.minimum(nonroth_gross, rmd_remaining) if rollable else zero
        with np.errstate(divide="ignore", invalid="ignore"):
            t_nonroth = np.where(nonroth_gross > 0, taxable_pretax / nonroth_gross, 0.0)
            basis_share = np.where(nonroth_gross > 0, basis / nonroth_gross, 0.0)
            subject_share = np.where(taxable_all > 0, subject_all / taxable_all, 0.0)
        rmd_taxable = rmd_part * t_nonroth
        erd_nonroth = nonroth_gross - rmd_part
        erd_taxable = taxable_all - rmd_taxable
        spread = name == "disaster"
        dests = tuple(d for d in (DESTINATIONS if rollable else ("cash",))
                      if pairs is None or (name, d) in pairs)
        money.append((name, route, _RouteMoney(
            open_, gross, alloc, taxable_all, subject_all, basis, roth_gross, nonroth_gross,
            exc, excepted, code, rollable, rmd_part, t_nonroth, basis_share, subject_share,
            rmd_taxable, erd_nonroth, erd_taxable, spread, dests, n, zero)))
    tax.prefetch(_taxable_now(m, dest)[2] for _, _, m in money if m is not None
                 for dest in m.dests)
    for name, route, m in money:
        if m is None:
            out.append(_loan_outcome(b, route, consent))
            continue
        (open_, gross, alloc, taxable_all, subject_all, basis, roth_gross, nonroth_gross, exc,
         excepted, code, rollable, rmd_part, t_nonroth, basis_share, subject_share, rmd_taxable,
         erd_nonroth, erd_taxable, spread, dests, n, zero) = m
        # What the reasons ask of the route's payment, the same for every destination.
        roth_qualified_paid = (alloc * qualified).sum(axis=1) > 0.005
        roth_nonqualified_paid = (alloc * ROTH[None, :] * ~qualified).sum(axis=1) > 0.005
        exempt_457_paid = (taxable_all - subject_all) > 0.005
        penalty_free_in_plan = ~f.at_59_half & (exc["PX_SEPARATION_55"] | exc["PX_PUBLIC_SAFETY"]
                                                | exempt_457_paid)
        for dest in dests:
            possible = open_ & (gross > 0)
            if dest == "split_2014_54":
                possible &= basis * (erd_nonroth > 0) > 0.005
            if rollable and dest != "cash":
                possible &= (erd_nonroth + roth_gross) > 0.005
            if name == "in_service":
                possible &= gross >= b.minimum_withdrawal
            direct = dest in ("traditional_ira", "roth_ira", "other_plan", "split_2014_54")
            paid = dest in ("cash", "indirect_60day")
            conversion, taxable_now, this_year = _taxable_now(m, dest)
            later = taxable_now - this_year
            increase, agi_with, taxable_ss_with = tax.with_(this_year)
            cash_taxable = taxable_all if dest == "cash" else rmd_taxable
            subject = cash_taxable * subject_share
            med = np.minimum(subject, medical_exception(b.medical_expenses, agi_with, floor))
            additional = np.where(excepted, 0.0, rate_72t * np.maximum(0.0, subject - med))
            state = state_increase(state_tax_of, exc, name, this_year, agi_with,
                                   taxable_ss_with, excepted, np.maximum(0.0, subject - med))
            # Withholding on what is paid to the participant (§3405).
            if rollable:
                w_erd = withheld_on.on(erd_taxable if paid else zero, True, gross)
                w_rmd = withheld_on.on(rmd_taxable, False, gross)
                withheld = w_erd + w_rmd
            elif name == "beneficiary":
                # From a plan, what a designated beneficiary receives beyond the year's
                # required amount is an eligible rollover distribution (20%, §3405(c);
                # §402(c)(9), (11)); from an IRA, and the required part, 10% unless elected.
                w_erd = zero
                erd_share = _beneficiary_erd(b, route, gross)
                withheld = withheld_on.on(taxable_all * erd_share, True, gross) + \
                    withheld_on.on(taxable_all * (1 - erd_share), False, gross)
            else:
                w_erd = zero
                withheld = withheld_on.on(taxable_all, False, gross)
            makeup = zero
            if dest == "indirect_60day":
                makeup = w_erd
                net_cash = rmd_part - w_rmd
            elif dest == "cash":
                net_cash = gross - withheld
            else:
                net_cash = rmd_part - withheld
            after_all = net_cash + withheld - makeup - increase - additional
            if state is not None:  # the state's taxes, where it is covered
                after_all = after_all - state.cost
            rolled_nonroth = zero if dest == "cash" else erd_nonroth
            rolled_roth = zero if dest == "cash" else roth_gross
            to_trad, to_roth_ira, to_plan = zero, zero, zero
            if dest in ("traditional_ira", "indirect_60day"):
                to_trad, to_roth_ira = rolled_nonroth, rolled_roth
            elif dest == "roth_ira":
                to_roth_ira = rolled_nonroth + rolled_roth
            elif dest == "other_plan":
                to_plan = rolled_nonroth + rolled_roth
            elif dest == "split_2014_54":
                to_roth_ira = erd_nonroth * basis_share + rolled_roth
                to_trad = erd_nonroth * (1 - basis_share)
            cash_gross = gross if dest == "cash" else rmd_part
            reasons = {k: v & possible for k, v in exc.items() if k != "PX_SECURE2" or
                       name in SECURE2_ROUTES}
            reasons["PX_MEDICAL"] = possible & (med > 0.005) & ~excepted
            reasons["PX_457"] = possible & exempt_457_paid & ~excepted
            reasons["PX_NONE"] = possible & (additional > 0.005)
            reasons["PX_IRA_ONLY"] = possible & (additional > 0.005) & purpose_ira_only
            reasons["PX_ROLLED"] = _when(possible, direct or dest == "indirect_60day")
            reasons["OC_ERD_WITHHOLDING"] = _when(possible, rollable and dest in (
                "cash", "indirect_60day"))
            reasons["OC_NON_ERD_WITHHOLDING"] = possible & ((not rollable) | (rmd_part > 0))
            reasons["OC_DIRECT_ROLLOVER"] = _when(possible, direct)
            reasons["OC_ROTH_CONVERSION"] = possible & (conversion > 0.005)
            reasons["OC_SPLIT_2014_54"] = _when(possible, dest == "split_2014_54")
            reasons["OC_INDIRECT"] = _when(possible, dest == "indirect_60day")
            reasons["OC_PRO_RATA"] = possible & (basis > 0.005)
            reasons["OC_ROTH_QUALIFIED"] = possible & roth_qualified_paid
            reasons["OC_ROTH_NONQUALIFIED"] = possible & roth_nonqualified_paid
            reasons["OC_ROTH_TO_ROTH_IRA"] = possible & (rolled_roth > 0.005) & (
                dest in ("traditional_ira", "split_2014_54"))
            reasons["OC_RULE_55_LOST"] = _when(possible, dest in (
                "traditional_ira", "roth_ira", "split_2014_54", "indirect_60day")) & \
                penalty_free_in_plan
            reasons["OC_SPOUSAL_CONSENT"] = possible & consent
            reasons["OC_402F"] = _when(possible, rollable)
            reasons["OC_REPAYABLE"] = _when(possible, name in SECURE2_ROUTES
                                            and name != "long_term_care")
            reasons["OC_DISASTER_SPREAD"] = _when(possible, spread)
            reasons["RM_NOT_ROLLABLE"] = _when(possible & (rmd_part > 0.005), rollable)
            if name == "beneficiary":
                reasons["BN_OWN_72T"] = possible & (additional > 0.005) & ~exc["PX_DEATH"]
            if state is not None:
                reasons.update({k: v & possible for k, v in state.reasons.items()})
            # Every amount, zero where the outcome is not possible (one pass for all of them).
            shown = np.where(possible, np.array([
                gross, taxable_now, gross - taxable_now, later, withheld, increase, additional,
                net_cash, after_all, to_trad, to_roth_ira, to_plan, makeup]), 0.0)
            out.append(Outcome(
                route=name, destination=dest, possible=possible,
                **dict(zip(MONEY_FIELDS, shown, strict=True)),
                code=code,
                parts={"pretax_cash": np.where(dest == "cash", nonroth_gross, cash_gross * 1.0)
                       if dest != "indirect_60day" else nonroth_gross,
                       "roth_cash": roth_gross if paid else zero,
                       "rolled_pretax": rolled_nonroth, "rolled_roth": rolled_roth},
                reasons=reasons,
                extra={"rmd_part": rmd_part},
                state=state,
            ))
    return out


def state_increase(state_tax_of: StateTaxOf, exc: dict, route: str, this_year, agi_with,
                   taxable_ss_with, excepted, beyond_medical) -> StateIncrease | None:
    """The state's tax with the payment minus without, and its own additional tax on what the
    federal 10% tax reaches (docs/state.md); None where no case of the batch gives a state."""
    if not state_tax_of.any:
        return None
    return state_tax_of.increase(this_year, agi_with, taxable_ss_with,
                                 np.where(excepted, 0.0, beyond_medical),
                                 np.where(secure2_only(exc, route), beyond_medical, 0.0))


def _when(mask: np.ndarray, condition: bool) -> np.ndarray:
    """``mask`` where a condition that holds for the whole batch is true, else nowhere."""
    return mask if condition else np.zeros(mask.shape, bool)


def _beneficiary_erd(b: CaseBatch, route: RouteResult, gross) -> np.ndarray:
    """Share of a payment to a beneficiary that is an eligible rollover distribution: from a
    plan, to a designated beneficiary, the part above the year's remaining required amount."""
    designated = np.asarray(b.relationship) != RELATIONSHIPS.index("non_designated")
    plan = ~np.asarray(b.inherited_ira, bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(gross > 0, np.maximum(0.0, gross - route.extra["remaining"]) / gross,
                         0.0)
    return np.where(designated & plan, share, 0.0)


def _loan_outcome(b: CaseBatch, route: RouteResult, consent) -> Outcome:
    n = len(b)
    z = np.zeros(n)
    principal = route.extra["principal"]
    possible = route.eligible.any(axis=1) & (principal > 0)
    reasons = {"LN_NOT_TAXED": possible, "OC_SPOUSAL_CONSENT": possible & consent}
    return Outcome(route="loan", destination="cash", possible=possible, gross=principal,
                   taxable=z, nontaxable=principal, taxable_later=z, withholding=z,
                   income_tax_increase=z, additional_tax_72t=z, net_cash=principal,
                   after_all_taxes=principal, to_traditional_ira=z, to_roth_ira=z, to_plan=z,
                   makeup_needed=z, code=np.full(n, ""), parts={}, reasons=reasons,
                   extra={k: route.extra[k] for k in ("payment", "payments_per_year",
                                                       "term_years", "total_interest")})


def deadlines(b: CaseBatch, o: Outcome, routes: dict[str, RouteResult], law,
              at: np.ndarray | None = None) -> list[list[dict]]:
    """Dates that matter for outcome ``o``, for each case of the batch (or each case whose
    index is in ``at``)."""
    at = np.arange(len(b)) if at is None else np.asarray(at)
    n = len(at)
    day = b.request_date[at]
    years = b.tax_year.astype(np.int64)[at]
    cols: list[tuple[str, list]] = []  # (what, the date per case or None)

    def column(what: str, dates, where=None) -> None:
        text = dates if isinstance(dates, list) else [str(d) for d in np.asarray(dates)]
        keep = [True] * n if where is None else np.asarray(where, bool).tolist()
        cols.append((what, [t if k else None for t, k in zip(text, keep, strict=True)]))

    if o.destination == "indirect_60day":
        days = np.asarray(law.get("rollover.days", years), dtype=np.int64)
        column("complete the 60-day rollover (IRC §402(c)(3))",
               day + days.astype("timedelta64[D]"))
    if o.route in SECURE2_ROUTES and o.route != "long_term_care":
        months = np.asarray(12 * law.get("secure2.repayment_years", years), dtype=np.int64)
        column("repay to a plan or IRA, if you wish (3 years)", add_months(day, months))
    rmd_part = np.asarray(o.extra.get("rmd_part", np.zeros(len(b))))[at]
    if o.route == "rmd" or (rmd_part > 0).any():
        column("take the required minimum distribution",
               np.asarray(routes["rmd"].extra["deadline"])[at],
               np.full(n, o.route == "rmd") | (rmd_part > 0))
    if o.route == "beneficiary" and "beneficiary" in routes:
        ben = routes["beneficiary"].extra
        column("take the year's required distribution as beneficiary (IRC §401(a)(9)(B))",
               np.asarray(ben["deadline"])[at], np.asarray(ben["remaining"])[at] > 0.005)
        empty = np.asarray(ben["empty_by"])[at]
        column("empty the inherited account",
               [f"{int(e)}-12-31" if e > 0 else "" for e in empty.tolist()], empty > 0)
    if o.route == "separation":
        column("roll over a loan offset (qualified plan loan offset, IRC §402(c)(3)(C)): the "
               "return's due date with extensions", [f"{y + 1}-10-15" for y in years.tolist()],
               ~np.asarray(b.active, bool)[at] & (np.asarray(b.loan_outstanding)[at] > 0))
    return [[{"what": what, "date": dates[k]} for what, dates in cols if dates[k] is not None]
            for k in range(n)]
