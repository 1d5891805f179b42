"""The outcome of a request by each open route and each destination: gross, taxable and
tax-free parts, withholding, the income tax it adds, the §72(t) additional tax, the cash in
hand, the Form 1099-R codes, the notices and the deadlines — arrays over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from dist401k.annuity import (
    SERIES_ROUTES,
    excluded,
    excluded_per_payment,
    general_rule,
    life_exception,
    not_eligible_rollover,
    simplified_method,
)
from dist401k.basis import (
    InheritedRothIra,
    after_tax_nontaxable,
    loan_failure_shares,
    loan_receivable_by_source,
    roth_investment_share,
    roth_qualified,
)
from dist401k.batch import CaseBatch
from dist401k.bounds import AGE
from dist401k.case import W4P_STATUSES, NetOf, PlanType, Purpose, Relationship
from dist401k.dates import add_months, anniversary, return_age, year_of
from dist401k.early_distribution import (
    CODE_1_ROUTES,
    EVENT_REASONS,
    EVENT_ROUTES,
    SECURE2_ROUTES,
    death_exception,
    disaster_of,
    event_limit,
    exceptions,
    exempt_457,
    medical_exception,
    plan_events,
    secure2_added_of,
)
from dist401k.form_1099r import distribution_code, reported_as_known
from dist401k.form_1099r_boxes import (
    DIRECT,
    exempt_457_paid,
    paid_shares,
    plan_roth_first_year,
    qdro_distribution_code,
)
from dist401k.form_5329 import EarlyPaid, PartI, additional_tax, part_i
from dist401k.form_8606 import inherited_ira_heir
from dist401k.irr_recapture import allocable_of_payment
from dist401k.law.filing_status import CODE
from dist401k.law.loader import Lookup
from dist401k.money import CENTS, HALF_CENT, cents
from dist401k.roth_ira_ordering import RothIraLaw, RothIraPaid
from dist401k.routes.base import DESTINATIONS, RouteResult
from dist401k.routes.beneficiary import estate_heir, may_roll_to, paid_from_ira
from dist401k.routes.common import Facts, accrued_benefit, asks_for_elsewhere, plan_is
from dist401k.routes.loan_default import deemed_facts, roth_only
from dist401k.routes.qdro import QDRO_ROUTES, roth_qualified_by, roth_share_reasons, share_rmd_may_apply
from dist401k.sepp import return_due_date
from dist401k.sources import AFTER_TAX, ROTH
from dist401k.state_outcome import StateIncrease, StateTaxOf, secure2_only, survivor_birth_years
from dist401k.state_withholding import Parts, Payee, StateWithholding, state_withholding
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.fiduciary import estate_income_tax
from dist401k.tax.kiddie import may_reach, not_figured
from dist401k.w4r import chart_rate
from dist401k.withholding import W4p, Withholding, periodic_w4p_effect, periodic_withholding

#: Routes whose payments are eligible rollover distributions (§402(c)(4)): the others
#: (hardship, RMD, the SECURE 2.0 withdrawals) are paid in cash only.  A spouse's or former
#: spouse's QDRO payment is rollable as the employee's would be (§402(e)(1)(B)); a child's or
#: other dependent's (qdro_dependent) is not.
ROLLABLE = ("in_service", "separation", "disability", "de_minimis_457", "qdro")
MONEY_FIELDS = ("gross", "taxable", "nontaxable", "taxable_later", "withholding",
                "income_tax_increase", "additional_tax_72t", "net_cash", "after_all_taxes",
                "to_traditional_ira", "to_roth_ira", "to_plan", "makeup_needed")

#: The secant search of a hardship's gross-up: at most this many steps, stopped when the gross
#: moves less than the tolerance (dollars); a slope below the floor is not trusted.
GROSS_UP_STEPS = 30
GROSS_UP_TOLERANCE = 0.001
SOUND_SLOPE = 0.01

#: Routes whose outcome is figured by their own function, not from the plan's money sources.
OWN_OUTCOME = ("loan", "roth_ira")
#: Destinations paid to the participant (those reached by direct rollover, §401(a)(31), are
#: ``DIRECT``, the forms' own list).
PAID = ("cash", "indirect_60day")
#: Destinations that end in an IRA, where the plan's own penalty-free access is lost.
TO_IRA = ("traditional_ira", "roth_ira", "split_2014_54", "indirect_60day")


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
    #: The state tax withheld beside the federal, where the case gives a state (None: no state
    #: in the batch, or no payment: a loan).
    state_withholding: StateWithholding | None = None
    #: Form 5329 Part I of the payment (None: a loan).
    form_5329: PartI | None = None
    #: The Form W-4R rate the form's Marginal Rate Tables give for the taxable part paid to
    #: the participant (None: nothing paid to the participant; NaN: no chart that year).
    w4r_chart_rate: np.ndarray | None = None
    #: After-tax basis rolled into a traditional IRA (Form 8606, line 2), None: none.
    ira_basis_in: np.ndarray | None = None
    #: A distribution from the Roth IRAs by the ordering rules (Form 8606 Part III); None: the
    #: outcome takes nothing from a Roth IRA.
    roth_ira: RothIraPaid | None = None


def tax_units(b: CaseBatch, extra_taxable=0.0) -> TaxUnits:
    """The case's tax year as a tax unit, with ``extra_taxable`` added to its distributions.
    A spouse whose birth date is not given is taken as under 65: no §63(f) additional amount
    or §151(d)(5)(C) senior deduction for the spouse (the outcome's ``OC_SPOUSE_AGE_NOT_GIVEN``
    says so); a separate filer as having lived with the spouse some time in the year, zero
    §86 base amounts, unless ``lived_apart`` (§86(c)(1)(C)(ii)).  The person's blindness, and
    the spouse's on a joint return, add the §63(f)(2) amounts; a separate filer whose spouse
    itemizes has no standard deduction (§63(c)(6)(A)) — the case refuses either flag on
    another filing status (dist401k.case)."""
    spouse = np.where(np.isnat(b.spouse_birth_date), b.birth_date, b.spouse_birth_date)
    age_spouse = np.where(np.isnat(b.spouse_birth_date), 0, return_age(spouse, b.tax_year))
    n = len(b)
    z = np.zeros(n)
    return TaxUnits(
        tax_year=b.tax_year.astype(np.int64), filing_status=b.filing_status.astype(np.int8),
        age_head=np.clip(return_age(b.birth_date, b.tax_year), AGE.lo, AGE.hi).astype(float),
        age_spouse=np.clip(age_spouse, AGE.lo, AGE.hi).astype(float),
        blind_head=np.broadcast_to(np.asarray(b.blind, bool), (n,)),
        blind_spouse=np.broadcast_to(np.asarray(b.spouse_blind, bool), (n,)),
        spouse_itemizes=np.broadcast_to(np.asarray(b.spouse_itemizes, bool), (n,)),
        lived_apart=np.array(b.lived_apart, bool), wages=b.wages,
        taxable_interest=b.taxable_interest, tax_exempt_interest=b.tax_exempt_interest,
        ordinary_dividends=b.ordinary_dividends, qualified_dividends=b.qualified_dividends,
        long_term_gains=b.long_term_gains,
        taxable_distributions=b.other_distributions + extra_taxable,
        early_distributions=z, social_security=b.social_security, other_income=b.other_income,
        itemized_deductions=b.itemized_deductions, charitable_cash=b.charitable_cash,
        **_itemized_parts(b), **_child_columns(b))


def _itemized_parts(b: CaseBatch) -> dict[str, np.ndarray]:
    """Schedule A's parts, figured by the tax engine at each return's own AGI (§164(b)(7),
    §170(b)(1)(I), §213(a)).  A case that gives the total (income.itemized_deductions) keeps
    it whatever the AGI, its medical expenses taken as inside it; without it the medical
    expenses above the floor are an itemized deduction (§213(a)), alone or beside the other
    parts, where itemizing beats the standard deduction, as the tax door figures them."""
    n = len(b)
    parts = {k: np.broadcast_to(np.asarray(getattr(b, k), float), (n,))
             for k in ("state_local_taxes", "itemized_charity", "other_itemized")}
    total = np.asarray(b.itemized_deductions) > 0
    return {**parts, "medical_expenses": np.where(total, 0.0, b.medical_expenses)}


def _child_columns(b: CaseBatch) -> dict[str, np.ndarray]:
    """A dependent's §63(c)(5) standard deduction and a child's §1(g) tax (Form 8615): the
    person's flags and the parent's figures (filing status -1: none given)."""
    n = len(b)
    given = np.asarray(b.parent_filing_status) >= 0
    return {"dependent": np.broadcast_to(np.asarray(b.dependent, bool), (n,)),
            "full_time_student": np.broadcast_to(np.asarray(b.full_time_student, bool), (n,)),
            "earned_over_half_support": np.broadcast_to(
                np.asarray(b.earned_over_half_support, bool), (n,)),
            "parent_filing_status": np.broadcast_to(
                np.asarray(b.parent_filing_status), (n,)).astype(np.int8),
            "parent_taxable_income": np.where(given, np.nan_to_num(
                np.asarray(b.parent_taxable_income, float)), 0.0) * np.ones(n),
            "other_children_net_unearned_income": np.where(
                given, np.asarray(b.other_children_nui, float), 0.0) * np.ones(n)}


class TaxWith(NamedTuple):
    """The federal tax with an amount taxable: the income tax it adds, and the figures of the
    federal return a state starts from (federal AGI, taxable Social Security, taxable income,
    the standard deduction taken: zero where the return itemizes; the income tax of Form 1040
    line 22 and the net investment income tax, which some states deduct)."""

    increase: np.ndarray
    agi: np.ndarray
    taxable_social_security: np.ndarray
    taxable_income: np.ndarray
    standard_deduction: np.ndarray
    income_tax: np.ndarray
    niit: np.ndarray


class TaxOf:
    """The tax engine for the batch: the tax without the distribution, once; with it, per
    amount taxable (destinations that leave the same amount taxable share one computation,
    and amounts known in advance are figured together in one call).  ``before``: income of
    the year the distribution is stacked on beside the case's (a loan deemed distributed this
    year, :func:`after_deemed_loan`)."""

    def __init__(self, b: CaseBatch, law, before=0.0):
        self.b, self.law = b, law
        self.units = tax_units(b, before)
        self.lookup = Lookup(law, self.units.tax_year, self.units.filing_status)
        #: An estate that inherits: its tax is on Form 1041, not Form 1040 (:meth:`_as_estate`).
        self.estate = estate_heir(b)
        self.base_1040 = federal_tax(self.units, law, self.lookup)
        self.base = self._as_estate(self.base_1040)
        # amount taxable → the tax it adds and the federal figures with it
        self.seen: dict[bytes, TaxWith] = {}

    def _as_estate(self, more: dict, rows=slice(None)) -> dict:
        """``more`` (the federal figures of the units ``rows``) with an estate's own: its
        income tax on Form 1041 (:func:`dist401k.tax.fiduciary.estate_income_tax`) on the
        same gross income, and no Form 1040 deduction; ``more`` itself where no case is an
        estate's."""
        if not self.estate.any():
            return more
        more = {k: np.asarray(v)[rows] for k, v in more.items()}
        u = self.units
        est = estate_income_tax(self.lookup, more["agi"] - more["taxable_social_security"],
                                u.taxable_interest + u.ordinary_dividends + u.long_term_gains)
        e = self.estate
        out = {k: np.where(e, est[k], more[k]) for k in est}
        none = ("taxable_social_security", "standard_deduction", "senior_deduction",
                "charitable_deduction", "amt", "itemizes")
        out.update({k: np.where(e, np.zeros_like(more[k]), more[k]) for k in none})
        return {**more, **out}

    def _vector(self, taxable_now) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(np.asarray(taxable_now, dtype=float),
                                                    (len(self.b),)))

    def _with(self, more: dict, rows=slice(None)) -> TaxWith:
        """The tax added and the federal figures of ``more`` (the federal tax with an amount;
        an estate's, :meth:`_as_estate`)."""
        if self.estate.any():
            more, rows = self._as_estate(more, rows), slice(None)
        return TaxWith(more["income_tax"][rows] - self.base["income_tax"], more["agi"][rows],
                       more["taxable_social_security"][rows], more["taxable_income"][rows],
                       np.where(more["itemizes"][rows], 0.0, more["standard_deduction"][rows]),
                       more["regular_tax"][rows] + more["amt"][rows], more["niit"][rows])

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
        for j, key in enumerate(todo):
            self.seen[key] = self._with(more, slice(j * n, (j + 1) * n))

    def increase(self, taxable_now):
        """The income tax added by ``taxable_now`` and the AGI with it."""
        return self.with_(taxable_now)[:2]

    def with_(self, taxable_now):
        """The income tax added by ``taxable_now``, the AGI and the taxable Social Security
        with it."""
        return self.federal_with(taxable_now)[:3]

    def federal_with(self, taxable_now) -> TaxWith:
        """The income tax added by ``taxable_now`` and the federal figures with it."""
        taxable_now = self._vector(taxable_now)
        key = taxable_now.tobytes()
        if key not in self.seen:
            if not taxable_now.any():
                self.seen[key] = self._with(self.base_1040)
            else:
                self.seen[key] = self._with(federal_tax(self.units.replace(
                    taxable_distributions=self.units.taxable_distributions + taxable_now),
                    self.law, self.lookup))
        return self.seen[key]

    def kiddie_not_figured(self, taxable_now) -> np.ndarray:
        """Where, with ``taxable_now`` taxable, the case is a child whom §1(g) may reach (a
        dependent or not) with net unearned income but gives no parent's figures: the tax is
        a lower bound (:func:`dist401k.tax.kiddie.not_figured`)."""
        if not np.any(may_reach(self.lookup, self.units)):
            return np.zeros(len(self.b), bool)
        w = self.federal_with(taxable_now)
        return not_figured(self.lookup, self.units, w.agi, w.taxable_income)


@dataclass(frozen=True)
class OutcomeContext:
    """What every route's outcome reads of the batch, found once: the tax engines, the tax-free
    share of each money source, the withholding rates and the law's rates."""

    b: CaseBatch
    f: Facts
    tax: TaxOf
    state_tax_of: StateTaxOf
    qualified: np.ndarray  # [n, S] Roth money whose distribution is qualified
    share: np.ndarray  # [n, S] the tax-free share of each money source
    #: [n, S] the loan receivable in each source's part of the account (:func:`loan_receivable`):
    #: "the account balance" of §72(e)(8)(B) counts it.
    lent: np.ndarray
    ex457: np.ndarray  # [n, S] money the §72(t) tax cannot reach (a governmental 457(b))
    rate_72t: np.ndarray
    medical_floor: np.ndarray
    withheld_on: Withholding
    rmd_remaining: np.ndarray
    consent: np.ndarray
    #: the part of ``rmd_remaining`` designated Roth money may pay: last year's first RMD,
    #: owed for a year before 2024 (routes.rmd.roth_owed_last_year)
    rmd_roth_countable: np.ndarray
    purpose_ira_only: np.ndarray
    spread_years: np.ndarray
    zero: np.ndarray
    irr_period: np.ndarray  # in-plan Roth rollovers' recapture period (dist401k.irr_recapture)
    #: The loan offset that goes out with a payment of the whole account (route loan_offset,
    #: zero where it is closed): its gross and its taxable part (:func:`loan_offset_paid`).
    offset: np.ndarray
    offset_taxable: np.ndarray
    #: The inherited Roth IRAs, taxed by the ordering rules, not pro rata (None: none).
    roth_ira_heir: InheritedRothIra | None = None
    #: Cases whose payment is one of a series that is no eligible rollover distribution
    #: (§402(c)(4)(A); dist401k.annuity), when paid by a route of SERIES_ROUTES (None: none).
    series: np.ndarray | None = None
    #: The cost one payment of a series recovers by the Simplified Method, before the cap of
    #: the cost left (dist401k.annuity.excluded_per_payment; NaN: no series or no cost).
    series_per_payment: np.ndarray | None = None


def _series_cases(b: CaseBatch, f: Facts) -> np.ndarray | None:
    """Cases whose payment is one of a series that is no eligible rollover distribution
    (dist401k.annuity.not_eligible_rollover); None where no case of the batch is one."""
    series = not_eligible_rollover(b, f.lk)
    return series if series.any() else None


def series_of(ctx: OutcomeContext, name: str) -> np.ndarray:
    """Cases whose payment by route ``name`` is one of a series that is no eligible rollover
    distribution (§402(c)(4)(A)): the participant's own routes of SERIES_ROUTES only."""
    if ctx.series is None or name not in SERIES_ROUTES:
        return np.zeros(len(ctx.b), bool)
    return ctx.series


def outcome_context(b: CaseBatch, f: Facts, routes: dict[str, RouteResult]) -> OutcomeContext:
    """The batch's tax engines, tax-free shares (§72(e)(8), §402A(d); an inherited Roth IRA's
    by the ordering rules, §408A(d)(4)(B)), rates and elections."""
    lk = f.lk
    tax = TaxOf(b, f.law)
    # A beneficiary's Roth distribution is on account of death: the employee's five-year
    # period decides (§402A(d)(2)(A)(ii), §408A(d)(2)(A)(iii)) — the plan's Roth account's.
    # An alternate payee's: the participant's 59½ (dist401k.routes.qdro.roth_qualified_by).
    dead = death_exception(b)
    at_59_half, disabled = roth_qualified_by(b, f)
    qualified = roth_qualified(b.tax_year, plan_roth_first_year(b.roth_first_year),
                               lk.get("roth.five_year_period"), at_59_half | dead, disabled)
    married = np.isin(b.filing_status, (CODE["married_joint"], CODE["married_separate"]))
    lent = loan_receivable(b, f)
    share = loan_failure_shares(b.balance, lent, b.basis, b.roth_contributions, qualified)[0]
    offset, offset_taxable = loan_offset_paid(routes.get("loan_offset"), b, qualified, lent)
    return OutcomeContext(
        b=b, f=f, tax=tax, state_tax_of=StateTaxOf(b, f, tax.units, tax.base, tax.lookup),
        qualified=qualified, share=share, lent=lent, offset=offset, offset_taxable=offset_taxable,
        ex457=exempt_457(b), rate_72t=lk.get("early_distributions.additional_tax_rate"),
        medical_floor=lk.get("early_distributions.medical_agi_floor"),
        withheld_on=Withholding(b.withholding_rate, lk.get("withholding.eligible_rollover_rate"),
                                lk.get("withholding.nonperiodic_default_rate"),
                                lk.get("withholding.small_distribution"),
                                no_tin=~np.asarray(b.payee_tin_furnished, bool),
                                abroad=b.delivered_outside_us),
        rmd_remaining=routes["rmd"].limit, consent=spouse_must_consent(b, married),
        rmd_roth_countable=routes["rmd"].extra.get("roth_countable", np.zeros(len(b))),
        purpose_ira_only=np.isin(b.purpose, [Purpose.TUITION, Purpose.HOME_PURCHASE]),
        spread_years=lk.get("secure2.disaster_spread_years"), zero=np.zeros(len(b)),
        irr_period=lk.get("roth.in_plan_rollover_recapture_years", before=0),
        roth_ira_heir=InheritedRothIra.of(b, f.at_59_half, dead, RothIraLaw(
            lk.get("roth.ira_five_year_period"), lk.get("roth.conversion_recapture_years"))),
        series=_series_cases(b, f), series_per_payment=excluded_per_payment(b, f.law))


def loan_receivable(b: CaseBatch, f: Facts) -> np.ndarray:
    """[n, S] the loan receivable in each source's part of the account, which "the account
    balance" of §72(e)(8)(B) holds for every payment while the loan is outstanding (the loan
    is an investment of the account: Treas. Reg. §1.72(p)-1, Q&A-13; §1.402(c)-2, Q&A-9(b)):
    ``account.loans.outstanding`` with the ``accrued_interest`` given (what an offset takes),
    spread as the loan routes take it (dist401k.routes.loan_default: the money other than
    designated Roth money pro rata to its vested balance, or the Roth money of an account that
    holds no other).  None of a loan deemed distributed before the request: it "ceases to be
    an outstanding loan for purposes of section 72" (Treas. Reg. §1.72(p)-1, Q&A-19)."""
    interest = np.nan_to_num(np.asarray(b.loan_accrued_interest, float))
    owed = np.where(deemed_facts(b, f)["ended"], 0.0, np.asarray(b.loan_outstanding, float) + interest)
    vested = b.vested_balance
    lent_from = (roth_only(b)[:, None] == ROTH[None, :]) & (vested > 0)
    return loan_receivable_by_source(lent_from, vested, np.where(owed > 0, owed, 0.0))


def loan_offset_paid(route: RouteResult | None, b: CaseBatch, qualified,
                     lent) -> tuple[np.ndarray, np.ndarray]:
    """The loan offset of route ``loan_offset`` (dist401k.routes.loan_default: the loan still
    owed, taken from the money other than designated Roth money pro rata) and its taxable part
    (§72(e)(8)(B): the investment in the contract over the account with the part of the loan
    receivable each money ``lent`` ([n, S], :func:`loan_receivable`), the one ratio of every
    payment of the account, :func:`dist401k.basis.loan_failure_shares`); zero where the route
    is closed.
    It goes out beside a payment of the whole account (:func:`offset_with`): the after-tax
    money's pre-1987 investment (§72(e)(8)(D)) is recovered by that payment first, and
    the offset's after-tax part takes what it leaves (:func:`nontaxable_by_source`)."""
    if route is None:
        return np.zeros(len(b)), np.zeros(len(b))
    alloc = np.where(route.eligible, route.available, 0.0)
    share = loan_failure_shares(b.balance, lent, b.basis, b.roth_contributions, qualified)[0]
    nontax = nontaxable_by_source(b, alloc, share, before=b.balance[:, AFTER_TAX].sum(axis=1),
                                  lent=lent)
    return alloc.sum(axis=1), (alloc - nontax).sum(axis=1)


def subject_to_417(b: CaseBatch) -> np.ndarray:
    """Plans under the survivor annuity rules (§401(a)(11)(B)): a money purchase plan always
    (subject to the §412 funding standards), another plan where it offers a life annuity
    (``plan.spousal_consent``)."""
    return np.asarray(b.spousal_consent, bool) | plan_is(b, PlanType.MONEY_PURCHASE)


def spouse_must_consent(b: CaseBatch, married: np.ndarray) -> np.ndarray:
    """A payment other than the survivor annuity needs the written consent of the participant's
    spouse (§417(a)(2)(A)): a married participant's, in a plan subject to §417. Never a
    beneficiary's, a surviving spouse's included: the survivor annuity rules protect the
    spouse of a participant (§401(a)(11)(A)), and a beneficiary's own spouse has no such right.
    Nor an alternate payee's under a QDRO: the plan pays the share as the order assigns it
    (§414(p)(1)(A)), and the payee is not a participant (the participant's spouse is ``person``'s
    only for a child's or dependent's payment, which the order, not the participant, directs)."""
    return subject_to_417(b) & married & ~np.asarray(b.inherited, bool) & \
        ~np.asarray(b.alternate_payee, bool)


def spouse_consent_if_married(b: CaseBatch) -> np.ndarray:
    """Where the consent of :func:`spouse_must_consent` would be asked of a married participant
    but the filing status, single or head of household, does not say married: the consent
    turns on being married on the day of the election (§417(a)(2)), not on the return — a
    spouse living apart may file as head of household (§7703(b)), and one divorced by
    December 31 files single for the year (§7703(a)(1)).  It is excused only where there is no
    spouse, the spouse cannot be located, or the participant is legally separated or abandoned
    with a court order to that effect (§417(a)(2)(B); Treas. Reg. §1.401(a)-20, Q&A-27).  The
    case holds no marriage but the filing status: the reason says the consent is needed if
    married (``OC_SPOUSAL_CONSENT_IF_MARRIED``)."""
    unsaid = np.isin(b.filing_status, (CODE["single"], CODE["head_of_household"]))
    return subject_to_417(b) & unsaid & ~np.asarray(b.inherited, bool) & \
        ~np.asarray(b.alternate_payee, bool)


def small_benefit_cash_out(b: CaseBatch, lk: Lookup, consent: np.ndarray) -> np.ndarray:
    """Where the spouse's consent is asked (``consent``, :func:`spouse_must_consent`) but the
    present value of the vested benefit is at most the cash-out limit: the plan may provide that
    it be paid at once without that consent (§417(e)(1); the §411(a)(11)(A) limit, $7,000 from
    2024, SECURE 2.0 §304).  The benefit is measured as for a loan (:func:`loan_needs_consent`):
    the vested account with the loans outstanding (money rolled in counted: a plan may leave it
    out, §411(a)(11)(D)).  Whether the plan so provides, the case does not say: the reason says
    both."""
    limit = lk.get("in_service.governmental_457b_de_minimis")
    return consent & (accrued_benefit(b) <= limit + HALF_CENT)


def loan_needs_consent(b: CaseBatch, lk: Lookup, consent: np.ndarray) -> np.ndarray:
    """A loan secured by the account needs the spouse's consent where a payment would
    (``consent``, §417(a)(4)), but not where "the total accrued benefit subject to the
    security is not in excess of the cash-out limit" (Treas. Reg. §1.401(a)-20, Q&A-24(a)(1);
    the §411(a)(11)(A) limit of §417(e)(1), $7,000 from 2024, SECURE 2.0 §304). The benefit
    measured is the whole vested accrued benefit, the loans outstanding included (the widest
    security a plan takes), so no loan is answered free of a consent the regulation asks."""
    limit = lk.get("in_service.governmental_457b_de_minimis")
    return consent & (accrued_benefit(b) > limit + HALF_CENT)


def asked_gross(b: CaseBatch, route: RouteResult, name: str) -> np.ndarray:
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


def _route_gross(ctx: OutcomeContext, name: str, route: RouteResult) -> np.ndarray:
    """What the route pays: the amount asked for (all it allows when none is), capped at what
    it allows; a hardship's grossed up for the taxes it will cost; an RMD the year's amount."""
    if name != "hardship":
        return asked_gross(ctx.b, route, name)
    w = _allocate(route, np.ones(len(ctx.b)))
    taxable_share = (w * (1 - ctx.share)).sum(axis=1)
    subject_share = (w * (1 - ctx.share) * ~ctx.ex457).sum(axis=1)
    return _hardship_gross_up(ctx, route, w, taxable_share, subject_share)


def _hardship_gross_up(ctx: OutcomeContext, route: RouteResult, w, share, subject_share):
    """Need + the federal and state income tax and additional taxes it will cost (Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(A): "any federal, state, or local income taxes or penalties
    reasonably anticipated"), the 10% tax on designated Roth money allocable to recent in-plan
    Roth rollovers included (:func:`irr_recapture`): the fixed point g = need + tax(g), found
    for the whole batch by the secant method (the tax is piecewise linear in g, so a few steps
    land on it).  ``w``: the payment's split over the sources for each dollar paid.  The part
    the request's event spares (:func:`event_spared`) owes no 10% tax; the income tax is
    figured as if all of it were taxed this year (a disaster's spread only defers it)."""
    b = ctx.b
    total = route.total_available
    need = route.extra["need"]
    has_need = ~np.isnan(need)
    exc = exceptions(b, ctx.f, "hardship")
    excepted = np.logical_or.reduce(list(exc.values()))
    events = plan_events(b, ctx.f)
    added = secure2_added_of(events)
    limit = event_limit(events, "hardship", len(b))
    low = np.where(has_need, np.minimum(need, total), total)

    def grossed(g):
        federal_with = ctx.tax.federal_with(g * share)
        inc, agi_with = federal_with.increase, federal_with.agi
        subject = g * subject_share + allocable_of_payment(b, w * g[:, None], ctx.irr_period,
                                                           ctx.ex457)
        event = np.where(excepted, 0.0, np.minimum(subject, limit))
        med = np.minimum(subject - event, medical_exception(b.medical_expenses, agi_with,
                                                            ctx.medical_floor))
        beyond = np.maximum(0.0, subject - event - med)
        extra_72t = np.where(excepted, 0.0, ctx.rate_72t * beyond)
        state = state_increase(ctx.state_tax_of, exc, "hardship", g * share, federal_with,
                               excepted, beyond, np.where(added, event, 0.0))
        inc = inc + (0.0 if state is None else state.cost)
        return np.where(has_need, np.minimum(total, need + inc + extra_72t), total)

    g = secant_fixed_point(grossed, low, total)
    want = np.where(np.isnan(b.amount), g, np.minimum(b.amount, g))
    return np.where(route.eligible.any(axis=1), want, 0.0)


def secant_fixed_point(grossed, low, high) -> np.ndarray:
    """The g in [low, high] with g = grossed(g), from ``low``: one plain step, then secant
    steps where the slope is sound and plain steps otherwise."""
    g0 = low
    h0 = g0 - grossed(g0)
    g = g0 - h0  # one plain step: need + the tax on the need
    for _ in range(GROSS_UP_STEPS):
        fg = grossed(g)
        h = g - fg
        if np.all(np.abs(h) < GROSS_UP_TOLERANCE):
            return fg
        # h rises in g with slope 1 − the marginal rate, so a sound slope is positive.
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (h - h0) / (g - g0)
            sound = np.isfinite(slope) & (slope > SOUND_SLOPE)
            nxt = np.where(sound, g - h / np.where(sound, slope, 1.0), fg)
        g0, h0 = g, h
        g = np.clip(nxt, low, high)
    return g


@dataclass(frozen=True)
class PaidBySource:
    """A route's payment split over the money sources: pro rata within each source
    (§72(e)(8)), designated Roth apart (§402A(d))."""

    alloc: np.ndarray  # [n, S] the gross by money source
    taxable_all: np.ndarray  # taxable if all of it is paid in cash
    subject_all: np.ndarray  # the part of it the §72(t) tax can reach
    basis: np.ndarray  # after-tax contributions it recovers
    roth_gross: np.ndarray
    nonroth_gross: np.ndarray
    taxable_pretax: np.ndarray
    taxable_src: np.ndarray  # [n, S] the taxable dollars paid by source
    #: An inherited Roth IRA's payment by the ordering rules (Form 8606 Part III), and what
    #: the payer withholds on (all of it where not qualified); None: no such case.
    roth_ira: RothIraPaid | None = None
    withheld_on: np.ndarray | None = None
    #: The part of :attr:`basis` that is the pre-1987 investment, recovered first
    #: (§72(e)(8)(D)); None: no case of the batch gives one.
    pre_1987: np.ndarray | None = None


def nontaxable_by_source(b: CaseBatch, alloc, share, before=0.0, lent=0.0) -> np.ndarray:
    """[n, S] the tax-free dollars of ``alloc`` (a payment by money source): ``share`` of each
    source's (§72(e)(8), §402A(d)), but the after-tax money of a case that gives its pre-1987
    investment (``account.sources.after_tax.pre_1987_basis``) tax-free up to that first, and
    only the excess pro rata (§72(e)(8)(D); dist401k.basis.after_tax_nontaxable) over the
    account with the loan receivable it ``lent`` ([n, S], as ``share``).  Every amount
    of a payment (taxable, withholding, Form 1099-R, Form 5329, the 10% tax, a rollover's
    split) is figured from these dollars."""
    nontax = alloc * share
    pre = np.asarray(b.pre_1987_basis, float)
    if not np.any(pre > 0):
        return nontax
    at = AFTER_TAX[None, :]
    held = b.balance + np.broadcast_to(np.asarray(lent, float), np.shape(b.balance))
    first = after_tax_nontaxable(alloc[:, AFTER_TAX], held[:, AFTER_TAX],
                                 b.basis[:, AFTER_TAX], pre[:, None],
                                 np.reshape(before, (-1, 1)) if np.ndim(before) else before)
    return np.where(at & (pre > 0)[:, None], first, nontax)


def paid_by_source(ctx: OutcomeContext, route: RouteResult, gross) -> PaidBySource:
    """How ``gross`` paid by ``route`` divides by source, and what of it is taxable (the
    after-tax money's pre-1987 investment first, :func:`nontaxable_by_source`)."""
    alloc = _allocate(route, gross)
    nontax_src = nontaxable_by_source(ctx.b, alloc, ctx.share, lent=ctx.lent)
    heir, withheld_on = None, None
    if ctx.roth_ira_heir is not None and route.route == "beneficiary":
        nontax_src, heir = ctx.roth_ira_heir.split(alloc, nontax_src)
    nontax_src = simplified_nontaxable(ctx, route.route, alloc, nontax_src)
    taxable_src = alloc - nontax_src
    roth = ROTH[None, :]
    taxable_pretax = (taxable_src * ~roth).sum(axis=1)
    taxable_roth = (taxable_src * roth).sum(axis=1)
    roth_gross = (alloc * roth).sum(axis=1)
    if heir is not None and ctx.roth_ira_heir is not None:
        withheld_on = ctx.roth_ira_heir.withheld_on(heir, gross, taxable_pretax + taxable_roth)
    return PaidBySource(
        alloc=alloc, taxable_all=taxable_pretax + taxable_roth,
        subject_all=(taxable_src * ~ctx.ex457).sum(axis=1),
        basis=_basis_paid(ctx, route.route, nontax_src), roth_gross=roth_gross,
        nonroth_gross=gross - roth_gross, taxable_pretax=taxable_pretax, taxable_src=taxable_src,
        roth_ira=heir, withheld_on=withheld_on, pre_1987=_pre_1987_paid(ctx.b, alloc))


def simplified_nontaxable(ctx: OutcomeContext, name: str, alloc, nontax_src) -> np.ndarray:
    """[n, S] the tax-free dollars of a payment in a series taxed by the Simplified Method
    (§72(d)(1); dist401k.annuity.excluded): the exclusion spread over the money other than
    designated Roth money in proportion to what each source pays, in place of the §72(e)(8)
    shares; the Roth money's as before (§402A(d))."""
    series = series_of(ctx, name)
    simple = simplified_method(ctx.b, series, ctx.series_per_payment)
    if not simple.any():
        return nontax_src
    roth = ROTH[None, :]
    nonroth = (alloc * ~roth).sum(axis=1)
    excl = excluded(ctx.b, nonroth, series, ctx.series_per_payment)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(nonroth > 0, excl / nonroth, 0.0)
    return np.where(simple[:, None] & ~roth, alloc * share[:, None], nontax_src)


def _basis_paid(ctx: OutcomeContext, name: str, nontax_src) -> np.ndarray:
    """The after-tax contributions a payment recovers: its after-tax money's tax-free dollars,
    or a series payment's cost recovered by the Simplified Method (all its non-Roth tax-free
    dollars, :func:`simplified_nontaxable`)."""
    after_tax = (nontax_src * AFTER_TAX[None, :]).sum(axis=1)
    simple = simplified_method(ctx.b, series_of(ctx, name), ctx.series_per_payment)
    if not simple.any():
        return after_tax
    return np.where(simple, (nontax_src * ~ROTH[None, :]).sum(axis=1), after_tax)


def roth_basis_paid(ctx: OutcomeContext, alloc, taxable_src, lent) -> dict[str, np.ndarray]:
    """What the forms read of the designated Roth contributions a payment ``alloc`` ([n, S])
    recovers (Form 1099-R box 5; a governmental 457(b)'s own part, dist401k.form_1099r_boxes.
    exempt_457_paid): the one contract's contributions over its balance with the loan
    receivable it ``lent`` ([n, S]) in it (§72(e)(8)(B); Treas. Reg. §1.402A-1, Q&A-9(a);
    :func:`dist401k.basis.loan_failure_shares`), as the payment's taxable part."""
    b = ctx.b
    basis_paid = alloc * roth_investment_share(b.balance + lent, b.roth_contributions) * ROTH[None, :]
    return {"roth_contributions_paid": basis_paid.sum(axis=1),
            **exempt_457_paid(alloc, taxable_src, basis_paid, ctx.ex457)}


def _pre_1987_paid(b: CaseBatch, alloc) -> np.ndarray | None:
    """The after-tax money of ``alloc`` that recovers the pre-1987 investment (§72(e)(8)(D));
    None where no case of the batch gives one."""
    pre = np.asarray(b.pre_1987_basis, float)
    if not np.any(pre > 0):
        return None
    first = np.minimum(pre, b.basis[:, AFTER_TAX].sum(axis=1))
    return np.minimum(alloc[:, AFTER_TAX].sum(axis=1), np.maximum(0.0, first))


def _form_1099r_code(ctx: OutcomeContext, name: str, exc: dict, p: PaidBySource) -> np.ndarray:
    """Box 7's code of the cash payment (Form 1099-R instructions): early with or without a
    known exception, normal, disability, death; for an inherited Roth IRA Q or T.  A qualified
    birth or adoption distribution is code 1 even from the plan's own route (law
    ``form_1099r.known_exception_code``, :func:`dist401k.form_1099r.reported_as_known`);
    an event's exception the individual takes on the return (EVENT_ROUTES) is not known to the
    payer: code 1."""
    b = ctx.b
    if name in QDRO_ROUTES:
        return qdro_distribution_code(ctx.f.lk, ctx.f.at_59_half)
    # The SECURE 2.0 routes' and terminal illness's code, 1 or 2: law form_1099r.known_exception_code.
    secure2 = exc["PX_SECURE2"] & reported_as_known(ctx.f.lk, name)
    terminal = exc["PX_TERMINAL"] & reported_as_known(ctx.f.lk, "terminal_illness")
    # Taxable money all a governmental 457(b)'s own, outside §72(t) (§72(t)(9)): known too.
    # Decided by the sources that pay taxable money, not by an amount that rounds to $0: a
    # fraction of a cent taxable from money §72(t) reaches is no exception (code 1).
    taxed = p.taxable_src > 0
    only_457 = taxed.any(axis=1) & ~(taxed & ~ctx.ex457).any(axis=1)
    known = exc["PX_SEPARATION_55"] | exc["PX_PUBLIC_SAFETY"] | secure2 | \
        terminal | exc.get("PX_SERIES_LIFE", False) | only_457
    code = distribution_code(ctx.f.at_59_half, b.disabled, known, exc["PX_DEATH"])
    if name != "beneficiary":
        return code
    # An inherited Roth IRA: Q when the distribution is qualified, T otherwise (death is an
    # exception to the 10% tax).
    roth_ira = np.asarray(b.inherited_ira, bool) & np.asarray(b.inherited_roth, bool)
    return np.where(roth_ira & exc["PX_DEATH"], np.where(
        (p.alloc * ctx.qualified).sum(axis=1) >= (p.alloc * ROTH[None, :]).sum(axis=1)
        - HALF_CENT, "Q", "T"), code)


@dataclass(frozen=True)
class RouteMoney:
    """What a route pays each case and how it is taxable, before the destination."""

    name: str
    route: RouteResult
    open_: np.ndarray
    gross: np.ndarray
    paid: PaidBySource
    exc: dict[str, np.ndarray]  # the §72(t) exceptions that cover the whole payment
    excepted: np.ndarray
    code: np.ndarray  # the cash part's Form 1099-R code
    rollable: bool
    rmd_part: np.ndarray  # the year's RMD paid first, never rollable
    t_nonroth: np.ndarray  # the taxable share of the non-Roth money
    subject_share: np.ndarray  # the share of the taxable amount the §72(t) tax can reach
    rmd_taxable: np.ndarray  # the RMD's taxable part pro rata, as a payment made in full splits it
    erd_nonroth: np.ndarray  # non-Roth money that is an eligible rollover distribution
    erd_taxable: np.ndarray  # the rest's, pro rata (beside a rollover: :attr:`rolled_taxable`)
    spread: bool  # taxed over several years (a qualified disaster distribution)
    dests: tuple[str, ...]
    #: The gross found from request.net_amount, and where the route cannot pay that much net.
    net_asked: np.ndarray | None = None
    net_short: np.ndarray | None = None
    #: The most of the payment the request's event covers where the individual treats it as
    #: the event's distribution (dist401k.early_distribution.event_limit), and the same where
    #: the event is a qualified disaster (spread, Form 8915-F); 0 elsewhere.
    event_limit: np.ndarray | float = 0.0
    disaster_limit: np.ndarray | float = 0.0
    #: Cases whose payment is one of a series that is no eligible rollover distribution
    #: (§402(c)(4)(A); :func:`series_of`): paid in cash only; None: none.
    series: np.ndarray | None = None
    #: A beneficiary's payment rolled over or transferred (:func:`heir_rollover_money`): the
    #: designated Roth money of the year's required part, paid in cash beside it, and its
    #: taxable part; 0 elsewhere (a participant's RMD is paid from the non-Roth money).
    rmd_roth: np.ndarray | float = 0.0
    rmd_roth_taxable: np.ndarray | float = 0.0

    @property
    def erd_gross(self) -> np.ndarray:
        """The eligible rollover part of a rollable route's payment, taxable or not: all but
        the year's RMD (§402(c)(4)(B)), none of a payment in a series (§402(c)(4)(A)); what
        the $200 floor of Treas. Reg. §31.3405(c)-1, Q&A-14 reads."""
        erd = self.erd_nonroth + self.paid.roth_gross - self.rmd_roth
        return erd if self.series is None else np.where(self.series, 0.0, erd)

    @property
    def rolled_taxable(self) -> np.ndarray:
        """The taxable part of the non-Roth money rolled over when the year's RMD is paid in
        cash: a rollover consists first of the part includible in gross income (IRC
        §402(c)(2), last sentence; Notice 2014-54, §III.A), so the after-tax money stays in
        what is paid out."""
        return np.minimum(self.erd_nonroth, self.paid.taxable_pretax)

    @property
    def rmd_taxable_rolled(self) -> np.ndarray:
        """The taxable part of the RMD paid in cash beside a rollover of the rest: what the
        rollover leaves of the taxable non-Roth money (:attr:`rolled_taxable`)."""
        return self.paid.taxable_pretax - self.rolled_taxable

    def cash_taxable(self, dest: str) -> np.ndarray:
        """The taxable amount kept out of a rollover to ``dest``: all of it in cash, else the
        RMD part's (the rollover takes the taxable money first), a beneficiary's required
        Roth money's with it."""
        return self.paid.taxable_all if dest == "cash" else \
            self.rmd_taxable_rolled + self.rmd_roth_taxable


def route_money(ctx: OutcomeContext, name: str, route: RouteResult,
                pairs: set[tuple[str, str]] | None, gross=None) -> RouteMoney:
    """What route ``name`` pays, its taxable part, its exceptions and its 1099-R code; in an
    RMD year the first dollars paid are the RMD (Treas. Reg. §1.402(c)-2, Q&A-7): paid in cash
    from non-Roth money, never rollable (§402(c)(4)(B))."""
    gross = _route_gross(ctx, name, route) if gross is None else gross
    p = paid_by_source(ctx, route, gross)
    series = series_of(ctx, name)
    exc = exceptions(ctx.b, ctx.f, name)
    if ctx.series is not None and name in SERIES_ROUTES:  # §72(t)(2)(A)(iv), (t)(3)(B)
        exc["PX_SERIES_LIFE"] = series & life_exception(ctx.b)
    rollable = name in ROLLABLE
    # A series payment is no eligible rollover distribution: none of it is the RMD part that
    # §402(c)(4)(B) keeps out of a rollover (annuity payments meet the RMD on their own terms,
    # Treas. Reg. §1.401(a)(9)-6, not modelled).
    rmd_part, rmd_roth = _rmd_parts(ctx, p, series) if rollable else (ctx.zero, ctx.zero)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_nonroth = np.where(p.nonroth_gross > 0, p.taxable_pretax / p.nonroth_gross, 0.0)
        subject_share = np.where(p.taxable_all > 0, p.subject_all / p.taxable_all, 0.0)
    rmd_taxable = rmd_part * t_nonroth
    events = plan_events(ctx.b, ctx.f)
    limit = event_limit(events, name, len(ctx.b))
    m = RouteMoney(
        name=name, route=route, open_=np.any(route.eligible, axis=1), gross=gross, paid=p, exc=exc,
        excepted=np.logical_or.reduce(list(exc.values())),
        code=_form_1099r_code(ctx, name, exc, p), rollable=rollable, rmd_part=rmd_part,
        t_nonroth=t_nonroth, subject_share=subject_share,
        rmd_taxable=rmd_taxable,
        erd_nonroth=np.where(series, 0.0, p.nonroth_gross - rmd_part),
        erd_taxable=p.taxable_all - rmd_taxable, spread=name == "disaster",
        rmd_roth=rmd_roth, rmd_roth_taxable=rmd_roth * _roth_taxable_share(p),
        dests=tuple(d for d in (DESTINATIONS if rollable or name == "beneficiary" else ("cash",))
                    if pairs is None or (name, d) in pairs),
        event_limit=limit, disaster_limit=np.where(disaster_of(events), limit, 0.0),
        series=series if series.any() else None)
    return heir_rollover_money(ctx.b, m) if name == "beneficiary" else m


def _rmd_parts(ctx: OutcomeContext, p: PaidBySource, series) -> tuple[np.ndarray, np.ndarray]:
    """The RMD part of a participant's payment (Treas. Reg. §1.402(c)-2, Q&A-7: the first
    dollars paid): its non-Roth money, this year's RMD first, then last year's; and its
    designated Roth money, which counts toward last year's only where that was owed for a year
    before 2024 (SECURE 2.0 §325(b)(2), ``ctx.rmd_roth_countable``), for what the non-Roth
    money left of it.  None of a payment in a series."""
    remaining, last = ctx.rmd_remaining, ctx.rmd_roth_countable
    nonroth = np.where(series, 0.0, np.minimum(p.nonroth_gross, remaining))
    this_year = np.maximum(remaining - last, 0.0)
    left_of_last = np.maximum(last - np.maximum(nonroth - this_year, 0.0), 0.0)
    roth = np.where(series, 0.0, np.minimum(p.roth_gross, left_of_last))
    return nonroth, roth


def _roth_taxable_share(p: PaidBySource) -> np.ndarray:
    """The taxable share of the designated Roth money a payment holds."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p.roth_gross > 0, (p.taxable_all - p.taxable_pretax) / p.roth_gross, 0.0)


def heir_rollover_money(b: CaseBatch, m: RouteMoney) -> RouteMoney:
    """A beneficiary's payment as a rollover or transfer reads it (:func:`may_roll_to`): the
    year's required part (:func:`beneficiary_split`), no eligible rollover distribution
    (§402(c)(4)(B); §402(c)(11)(A); Treas. Reg. §1.402(c)-2, Q&A-7), is paid in cash, its
    non-Roth money as ``rmd_part`` and its Roth money as ``rmd_roth``, each taxable at its
    money's share; the rest is rolled over, its taxable money first (§402(c)(2)).  From an IRA
    or to an estate all of it is the part paid in cash: nothing rolls."""
    s = beneficiary_split(b, m, m.paid.taxable_all)
    taxable_roth = m.paid.taxable_all - m.paid.taxable_pretax
    with np.errstate(divide="ignore", invalid="ignore"):
        t_roth = np.where(m.paid.roth_gross > 0, taxable_roth / m.paid.roth_gross, 0.0)
    rmd_taxable = s.required_nonroth * m.t_nonroth
    return replace(m, rmd_part=s.required_nonroth,
                   erd_nonroth=m.paid.nonroth_gross - s.required_nonroth,
                   rmd_taxable=rmd_taxable, erd_taxable=m.paid.taxable_all - rmd_taxable,
                   rmd_roth=s.required_roth, rmd_roth_taxable=s.required_roth * t_roth)


def _cost_in_cash(ctx: OutcomeContext, m: RouteMoney, all_tax) -> np.ndarray:
    """What a payment by ``m`` paid in cash leaves out of hand: its withholding, federal and
    the state's where known, or all the year's tax on it (income tax, the §72(t) tax and the
    state's) where ``all_tax``."""
    w = _withheld_in_cash(ctx, m)
    if not np.any(all_tax):
        return w
    t = taxes_now(ctx, m, "cash", taxable_now(ctx, m, "cash").this_year)
    tax = t.increase + t.additional + (0.0 if t.state is None else t.state.cost)
    return np.where(all_tax, tax, w)


def _withheld_in_cash(ctx: OutcomeContext, m: RouteMoney) -> np.ndarray:
    """The federal withholding from a payment by ``m`` in cash and the state's beside it (as
    the check received counts it: an unknown state amount as none)."""
    w = withheld(ctx, m, True)
    sw = state_withheld(ctx, m, "cash", w)
    return w.total if sw is None else w.total + cents(np.nan_to_num(sw.amount))


def net_amount_money(ctx: OutcomeContext, m: RouteMoney,
                     pairs: set[tuple[str, str]] | None) -> RouteMoney:
    """request.net_amount: the gross that leaves the net amount in hand once paid in cash,
    after the withholding (§3405) or after all the year's tax on it (``net_of``), capped at
    what the route allows (a hardship: at its need grossed up, Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(A)).  The cost is piecewise linear in the gross: the secant
    steps land on it; the gross is then put on the cent whose withholding (federal and the
    state's), rounded to the cent, leaves exactly the net.  An RMD's gross is the year's
    required amount: unchanged."""
    b = ctx.b
    wants = ~np.isnan(b.net_amount) & (m.gross > 0)
    if m.name == "rmd" or not wants.any():
        return m
    net = np.where(wants, b.net_amount, 0.0)
    all_tax = np.asarray(b.net_of) == NetOf.ALL_TAX
    high = m.gross

    def at(g) -> RouteMoney:
        return route_money(ctx, m.name, m.route, pairs, gross=g)

    def grossed(g):
        return np.minimum(high, net + _cost_in_cash(ctx, at(g), all_tax))

    g = np.where(wants, secant_fixed_point(grossed, np.minimum(net, high), high), high)
    g = on_the_cent(lambda t: _withheld_in_cash(ctx, at(t)), g, net, wants & ~all_tax, high)
    out = at(g)
    short = wants & (g >= high - HALF_CENT) & (
        g - _cost_in_cash(ctx, out, all_tax) < net - HALF_CENT)
    return replace(out, net_asked=wants, net_short=short)


#: The cents tried either side of the gross found, to land the net on the cent.
CENT_STEPS = (0, -1, 1, -2, 2, -3, 3)


def on_the_cent(withheld_at, g, net, where, high) -> np.ndarray:
    """The gross in whole cents, the nearest one to ``g`` whose withholding
    (``withheld_at(gross)``) rounded to the cent leaves ``net`` exactly (gross − withholding
    == net), where ``where`` holds."""
    if not np.any(where):
        return g
    base = cents(g)
    out = base.copy()
    done = ~where
    for step in CENT_STEPS:
        trial = np.minimum(high, base + step / CENTS)
        kept = cents(trial) - cents(withheld_at(trial))
        hit = ~done & (np.abs(kept - cents(net)) < HALF_CENT)
        out = np.where(hit, trial, out)
        done |= hit
    return np.where(where, out, g)


class TaxableNow(NamedTuple):
    """The amount a destination leaves taxable, and the part of it taxed this year."""

    conversion: np.ndarray  # pre-tax money converted in a Roth IRA
    taxable: np.ndarray
    this_year: np.ndarray


def taxable_now(ctx: OutcomeContext, m: RouteMoney, dest: str) -> TaxableNow:
    """In cash, the taxable part; by direct rollover, or the whole gross put back within 60
    days, only the RMD part (§402(c)(1)) and pre-tax money rolled to a Roth IRA, converted
    (§408A(d)(3)).  A qualified disaster recovery distribution is taxed ratably over the law's
    years unless elected otherwise (§72(t)(11)(E)): all of the disaster route's payment, the
    part of another route's payment in cash the individual treats as one (up to the limit,
    :attr:`RouteMoney.disaster_limit`, the taxable part first)."""
    conversion = m.rolled_taxable if dest == "roth_ira" else ctx.zero
    taxable = m.cash_taxable(dest) + conversion
    spread = taxable if m.spread else np.minimum(taxable, m.disaster_limit) \
        if dest == "cash" else ctx.zero
    return TaxableNow(conversion=conversion, taxable=taxable,
                      this_year=taxable - spread + spread / ctx.spread_years)


class TaxesNow(NamedTuple):
    """The year's taxes a destination adds: federal income tax, §72(t) tax, the state's."""

    increase: np.ndarray
    medical: np.ndarray  # the part of the payment the medical exception covers (§72(t)(2)(B))
    additional: np.ndarray
    state: StateIncrease | None
    #: The part of what §72(t) reaches that the request's event spares on another route's
    #: payment (:func:`event_spared`), a qualified disaster recovery distribution's included.
    event: np.ndarray | float = 0.0


def taxes_now(ctx: OutcomeContext, m: RouteMoney, dest: str, this_year) -> TaxesNow:
    """The income tax added by what is taxed this year; the 10% tax (§72(t)(1)) on the cash
    part the §72(t) tax reaches, less the part the request's event spares (§72(t)(2)(H), (I),
    (K), (M)) and the medical exception; the state's taxes."""
    federal_with = ctx.tax.federal_with(this_year)
    increase, agi_with = federal_with.increase, federal_with.agi
    recapture = irr_recapture(ctx, m, dest)
    subject = m.cash_taxable(dest) * m.subject_share + recapture
    event = event_spared(m, dest, subject)
    med = np.minimum(subject - event, medical_exception(ctx.b.medical_expenses, agi_with,
                                                        ctx.medical_floor))
    beyond = np.maximum(0.0, subject - event - med)
    # Form 5329 line 4's rule (dist401k.form_5329.additional_tax): the rate times line 1 less
    # line 2, each to the cent; line 1 leaves out a qualified disaster recovery distribution.
    whole = m.cash_taxable(dest) + recapture
    line_1 = whole - np.minimum(whole, m.disaster_limit if dest == "cash" else 0.0)
    additional = np.where(m.excepted, 0.0, additional_tax(ctx.rate_72t, line_1, beyond))
    state = state_increase(ctx.state_tax_of, m.exc, m.name, this_year, federal_with,
                           m.excepted, beyond,
                           np.where(secure2_added_of(plan_events(ctx.b, ctx.f)), event, 0.0))
    return TaxesNow(increase=increase, medical=med, additional=additional, state=state,
                    event=event)


def event_spared(m: RouteMoney, dest: str, subject) -> np.ndarray:
    """The part of ``subject`` (what §72(t) reaches of a payment in cash) that the request's
    event spares where no exception covers the whole payment: up to the event's limit
    (:attr:`RouteMoney.event_limit`); none where the payment is not in cash."""
    if dest != "cash":
        return np.zeros(np.shape(subject))
    return np.where(m.excepted, 0.0, np.minimum(subject, m.event_limit))


def irr_recapture(ctx: OutcomeContext, m: RouteMoney, dest: str) -> np.ndarray:
    """The part of the designated Roth money paid in cash allocable to in-plan Roth rollovers
    within their 5 taxable years: treated as includible for §72(t) only (IRC §402A(c)(4)(D),
    §408A(d)(3)(F); Notice 2010-84, Q&A-12); none where it is rolled over (Q&A-12), nor from a
    governmental 457(b)'s own money (``ctx.ex457``), which §72(t) does not reach (§72(t)(1),
    (9): only what was rolled in from a plan §4974(c) names)."""
    if dest != "cash":
        return ctx.zero
    return allocable_of_payment(ctx.b, m.paid.alloc, ctx.irr_period, ctx.ex457)


class Withheld(NamedTuple):
    """Federal withholding (§3405): in all, on the eligible rollover part, on the RMD part."""

    total: np.ndarray
    erd: np.ndarray
    rmd: np.ndarray
    #: Of ``total``, what falls on the designated Roth money where it is not shared pro rata
    #: (a beneficiary's Roth part figured apart, :func:`beneficiary_split`; NaN elsewhere);
    #: None: no case of the batch has one.
    roth: np.ndarray | None = None


def offset_goes_with(ctx: OutcomeContext, m: RouteMoney) -> np.ndarray:
    """Where route ``m``'s payment empties the account (an eligible rollover distribution of
    the vested balance of every source, docs/assess.md) and a loan is still owed: the loan is
    offset with it (route ``loan_offset``; Treas. Reg. §1.402(c)-2, Q&A-9(b); §1.72(p)-1,
    Q&A-13), whatever the payment's destination."""
    if not m.rollable:
        return np.zeros(len(ctx.b), bool)
    return m.open_ & (m.gross > 0) & (ctx.offset > HALF_CENT) & ~_series_mask(m) & (
        m.gross >= ctx.b.vested_balance.sum(axis=1) - HALF_CENT)


def offset_with(ctx: OutcomeContext, m: RouteMoney, paid: bool) -> tuple[np.ndarray, np.ndarray]:
    """The loan offset that goes out with an eligible rollover distribution paid to the
    participant (``paid``) that empties the account (:func:`offset_goes_with`): its gross and
    its taxable part; zero otherwise."""
    if not paid:
        return ctx.zero, ctx.zero
    whole = offset_goes_with(ctx, m)
    return np.where(whole, ctx.offset, 0.0), np.where(whole, ctx.offset_taxable, 0.0)


def withheld(ctx: OutcomeContext, m: RouteMoney, paid: bool) -> Withheld:
    """What is withheld from what is paid to the participant: 20% of an eligible rollover
    distribution (§3405(c)) — none where it is under $200 (Treas. Reg. §31.3405(c)-1,
    Q&A-14, on the eligible rollover part, not the RMD beside it) —, 10% of the rest unless
    elected otherwise (§3405(b)).  A loan offset that goes out with it (:func:`offset_with`)
    is in the amount the 20% is figured on, but no more is withheld than the cash paid
    (Q&A-11; §1.402(c)-2, Q&A-9)."""
    on, zero, taxable_all = ctx.withheld_on, ctx.zero, m.paid.taxable_all
    if m.rollable:
        offset, offset_taxable = offset_with(ctx, m, paid)
        # Paid out in full, the payer splits the taxable amount pro rata (§72(e)(8)); beside a
        # direct rollover the RMD paid keeps what the rollover leaves (§402(c)(2)).
        rmd = on.on(m.rmd_taxable if paid else m.rmd_taxable_rolled, False, m.gross)
        erd = on.on((m.erd_taxable if paid else zero) + offset_taxable, True,
                    m.erd_gross + offset)
        erd = np.minimum(erd, np.maximum(0.0, m.gross - rmd))
        # A payment in a series is withheld as wages (§3405(a), Form W-4P; Pub. 15-T): not
        # under §3405(b) or (c).
        wages = _series_mask(m)
        erd, rmd = np.where(wages, 0.0, erd), np.where(wages, 0.0, rmd)
        # Step 4(c)'s extra may ask more than the payment holds: no more is withheld than is paid.
        periodic = np.where(wages & paid, np.minimum(np.nan_to_num(_periodic(ctx, m)), m.gross), 0.0)
        return Withheld(total=erd + rmd + periodic, erd=erd, rmd=rmd)
    if m.name == "beneficiary":
        # From a plan, what a designated beneficiary receives beyond the year's required
        # amount is an eligible rollover distribution (20%, §3405(c); §402(c)(9), (11)); from
        # an IRA, and the required part, 10% unless elected; an inherited Roth IRA's payment
        # that is not qualified, on all of it, as from the owner's Roth IRA.
        if m.paid.withheld_on is not None:
            taxable_all = m.paid.withheld_on
        s = beneficiary_split(ctx.b, m, taxable_all)
        if not paid:  # rolled over or transferred directly: only the required part is paid
            return _heir_direct_withheld(ctx, m, s)
        erd_withheld = on.on(s.erd_taxable, True, s.erd_gross)
        total = erd_withheld + on.on(taxable_all - s.erd_taxable, False, m.gross)
        # The Roth money's own share where its part is figured apart (Form 1099-R box 4 of
        # its form); NaN elsewhere.
        roth = on.on(s.roth_erd_taxable, True, s.erd_gross) + \
            on.on(s.roth_required_taxable, False, m.gross)
        return Withheld(total=total, erd=erd_withheld, rmd=zero, roth=roth)
    return Withheld(total=on.on(taxable_all, False, m.gross), erd=zero, rmd=zero)


def _heir_direct_withheld(ctx: OutcomeContext, m: RouteMoney, s: HeirSplit) -> Withheld:
    """A beneficiary's payment rolled over or transferred directly (:func:`heir_rollover_money`):
    nothing is withheld from what goes by direct rollover or trustee-to-trustee transfer
    (§3405(c)(2)); the year's required part paid beside it, no eligible rollover distribution,
    has 10% of its taxable part withheld unless elected otherwise (§3405(b))."""
    on = ctx.withheld_on
    total = on.on(m.cash_taxable("traditional_ira"), False, m.gross)
    roth = np.where(np.isfinite(s.roth_required_taxable),
                    on.on(np.asarray(m.rmd_roth_taxable) + ctx.zero, False, m.gross), np.nan)
    return Withheld(total=total, erd=ctx.zero, rmd=total, roth=roth)


def _periodic(ctx: OutcomeContext, m: RouteMoney) -> np.ndarray:
    """The withholding on each case's payment in a periodic series as wages (§3405(a)): its
    taxable part by Pub. 15-T's Worksheet 1A at the series' payments a year and the payee's
    Form W-4P (:func:`dist401k.withholding.periodic_withholding`; none given: single with no
    adjustments); NaN where the year has no table in the law."""
    b = ctx.b
    return periodic_withholding(ctx.f.law, b.tax_year, m.paid.taxable_all, b.series_per_year,
                                payee_w4p(b), no_tin=~np.asarray(b.payee_tin_furnished, bool),
                                abroad=b.delivered_outside_us)


def payee_w4p(b: CaseBatch) -> W4p:
    """The Form W-4P each case's payee has given (``request.w4p_*``), as the withholding on a
    periodic payment reads it: the Step 1(c) box as a filing status code (-1: no W-4P in
    effect), the Step 2 box, Steps 3 and 4(a)-(c), and the election to have nothing withheld
    (IRC §3405(a)(2)), the entries of Pub. 15-T's Worksheet 1A
    (:func:`dist401k.withholding.periodic_withholding`)."""
    status = np.asarray(W4P_STATUS_CODES)[np.asarray(b.w4p_status, np.int64)]
    return W4p(status=status, step2=b.w4p_step2, credits=b.w4p_credits,
               other_income=b.w4p_other_income, deductions=b.w4p_deductions, extra=b.w4p_extra,
               exempt=b.w4p_exempt)


#: The reason naming the Step 1(c) box of a Form W-4P in effect, by the box (W4P_STATUSES).
W4P_STATUS_REASONS = {"single": "SR_W4P_SINGLE", "married_joint": "SR_W4P_MARRIED_JOINT",
                      "head_of_household": "SR_W4P_HEAD_OF_HOUSEHOLD"}


def _w4p_reasons(b: CaseBatch, on) -> dict[str, np.ndarray]:
    """Which Form W-4P the withholding of a periodic payment (``on``: the cases where it is
    figured) followed (:func:`dist401k.withholding.periodic_w4p_effect`): none given, as single
    with no adjustments (§3405(a)(4)); one given but not in effect (§3405(e)(12), (13)); the
    election out (§3405(a)(2)); else the form's Step 1(c) box and, where checked, its Step 2
    box (Pub. 15-T, Worksheet 1A: line 1g is then $0)."""
    effect = periodic_w4p_effect(payee_w4p(b), len(on), ~np.asarray(b.payee_tin_furnished, bool),
                                 b.delivered_outside_us)
    box = np.asarray(b.w4p_status, np.int64)
    out = {"SR_W4P_NOT_GIVEN": on & effect["none"],
           "SR_W4P_NOT_IN_EFFECT": on & effect["not_in_effect"],
           "SR_W4P_NO_WITHHOLDING": on & effect["exempt"]}
    for k, name in enumerate(W4P_STATUSES, start=1):
        out[W4P_STATUS_REASONS[name]] = on & effect["given"] & (box == k)
    out["SR_W4P_STEP2"] = on & effect["step2"]
    return out


#: The filing status code (dist401k.law.filing_status) of each Form W-4P Step 1(c) box, by
#: CaseBatch.w4p_status (0: no W-4P, -1).
W4P_STATUS_CODES = (-1, *(CODE[s] for s in W4P_STATUSES))


class CashInHand(NamedTuple):
    """The check received, what must be found elsewhere to roll over the whole gross, and what
    is kept once the year's taxes are settled."""

    net_cash: np.ndarray
    makeup: np.ndarray
    after_all: np.ndarray


def cash_in_hand(ctx: OutcomeContext, m: RouteMoney, dest: str, w: Withheld,
                 t: TaxesNow, sw: StateWithholding | None = None) -> CashInHand:
    """The check: a 60-day rollover is paid to the participant, less the withholding, and
    rolling over the whole gross then needs the withheld 20% (and the state's withholding on
    that part) from other money (§402(c)(3)); a direct rollover pays only the RMD part to the
    participant.  The state's withholding, where known, comes off the check too; each is
    withheld in whole cents, so the check is the gross less the two amounts shown."""
    makeup = ctx.zero
    federal = cents(w.total)
    state = ctx.zero if sw is None else cents(np.nan_to_num(sw.amount))
    if dest == "indirect_60day":
        # The state's withholding on the eligible rollover part, as its rule figured it.
        makeup = w.erd + (ctx.zero if sw is None or sw.erd is None else sw.erd)
        net_cash = m.gross - federal - state
        # In hand once the eligible part is put back, the make-up included: the RMD part.
        kept = net_cash - (m.gross - m.rmd_part - m.rmd_roth - makeup)
    elif dest == "cash":
        net_cash = kept = m.gross - federal - state
    else:
        net_cash = kept = m.rmd_part + m.rmd_roth - federal - state
    after_all = kept + federal + state - makeup - t.increase - t.additional
    if t.state is not None:  # the state's taxes, where it is covered
        after_all = after_all - t.state.cost
    return CashInHand(net_cash=net_cash, makeup=makeup, after_all=after_all)


class Rolled(NamedTuple):
    """What a destination rolls over, and where it lands."""

    pretax: np.ndarray
    roth: np.ndarray
    to_traditional_ira: np.ndarray
    to_roth_ira: np.ndarray
    to_plan: np.ndarray


def rolled(ctx: OutcomeContext, m: RouteMoney, dest: str) -> Rolled:
    """Roth money only to a Roth account (§402A(c)(3)); pre-tax money to a Roth IRA is a
    conversion; the split of Notice 2014-54 sends the after-tax part to a Roth IRA."""
    zero = ctx.zero
    pretax = zero if dest == "cash" else m.erd_nonroth
    roth = zero if dest == "cash" else m.paid.roth_gross - m.rmd_roth
    to_trad, to_roth_ira, to_plan = zero, zero, zero
    if dest in ("traditional_ira", "indirect_60day"):
        to_trad, to_roth_ira = pretax, roth
    elif dest == "roth_ira":
        to_roth_ira = pretax + roth
    elif dest == "other_plan":
        to_plan = pretax + roth
    elif dest == "split_2014_54":
        to_trad = m.rolled_taxable
        to_roth_ira = m.erd_nonroth - to_trad + roth
    return Rolled(pretax=pretax, roth=roth, to_traditional_ira=to_trad,
                  to_roth_ira=to_roth_ira, to_plan=to_plan)


def possible(ctx: OutcomeContext, m: RouteMoney, dest: str) -> np.ndarray:
    """Cases the route pays by ``dest``: something paid; for a rollover, something rollable;
    for the split, after-tax money; to a traditional IRA, money other than designated Roth
    (which may be rolled over only to a Roth IRA or a designated Roth account, IRC §402A(c)(3),
    §402(c)(8)(B)); in service, at least the plan's minimum withdrawal."""
    out = m.open_ & (m.gross > 0)
    if dest == "split_2014_54":
        out &= m.paid.basis * (m.erd_nonroth > 0) > HALF_CENT
    if dest == "traditional_ira":  # designated Roth money never goes there (§402A(c)(3))
        out &= m.erd_nonroth > HALF_CENT
    if m.rollable and dest != "cash":
        out &= ((m.erd_nonroth + m.paid.roth_gross) > HALF_CENT) & ~_series_mask(m)
    if m.name == "in_service":
        out &= m.gross >= ctx.b.minimum_withdrawal
    if m.name == "beneficiary" and dest != "cash":  # §402(c)(9), (c)(11)(A)
        out &= may_roll_to(ctx.b, dest) & (m.erd_gross > HALF_CENT)
    return out


class RoutePaid(NamedTuple):
    """What the reasons ask of a route's payment, the same for every destination."""

    roth_qualified: np.ndarray
    roth_nonqualified: np.ndarray
    exempt_457: np.ndarray
    penalty_free_in_plan: np.ndarray


def route_paid(ctx: OutcomeContext, m: RouteMoney) -> RoutePaid:
    """Qualified or not Roth money paid; 457(b) money outside §72(t) (§72(t)(9)); access
    free of the 10% tax that only the plan gives (the rule of 55, public safety, 457(b))."""
    alloc, exc = m.paid.alloc, m.exc
    exempt = (m.paid.taxable_all - m.paid.subject_all) > HALF_CENT
    return RoutePaid(
        roth_qualified=(alloc * ctx.qualified).sum(axis=1) > HALF_CENT,
        roth_nonqualified=(alloc * ROTH[None, :] * ~ctx.qualified).sum(axis=1) > HALF_CENT,
        exempt_457=exempt,
        penalty_free_in_plan=~ctx.f.at_59_half & (exc["PX_SEPARATION_55"]
                                                  | exc["PX_PUBLIC_SAFETY"] | exempt))


def _exception_reasons(ctx: OutcomeContext, m: RouteMoney, dest: str, ok, rp: RoutePaid,
                       t: TaxesNow) -> dict[str, np.ndarray]:
    """Why the 10% tax applies or not (§72(t)(2), (t)(9); IRA-only exceptions, §72(t)(2)(E),
    (F); none on money rolled over, a Roth IRA conversion's own: §408A(d)(3)(A)(ii))."""
    reasons = {k: v & ok for k, v in m.exc.items()
               if k != "PX_SECURE2" or m.name in SECURE2_ROUTES}
    reasons.update(event_reasons(ctx, m, dest, ok))
    taxed = t.additional > HALF_CENT
    reasons["PX_MEDICAL"] = ok & (t.medical > HALF_CENT) & ~m.excepted
    reasons["PX_457"] = ok & rp.exempt_457 & ~m.excepted
    # Money rolled in to a governmental 457(b) stays under §72(t) (§72(t)(9)).
    reasons["PX_457_ROLLED_IN"] = reasons["PX_457"] & (m.paid.subject_all > HALF_CENT)
    reasons["PX_NONE"] = ok & taxed
    reasons["PX_IRA_ONLY"] = ok & taxed & ctx.purpose_ira_only
    rolled = _when(ok, dest in DIRECT or dest == "indirect_60day")
    # Pre-tax money to a Roth IRA is a conversion: taxable now, outside §72(t) (§408A(d)(3)(A)).
    converted = _when(rolled & (np.asarray(m.rolled_taxable) > HALF_CENT), dest == "roth_ira")
    reasons["PX_ROLLED"] = rolled & ~converted
    reasons["PX_ROTH_CONVERSION"] = converted
    return reasons


def event_reasons(ctx: OutcomeContext, m: RouteMoney, dest: str, ok) -> dict[str, np.ndarray]:
    """The request's event on a payment in cash by another route that the individual treats
    as the event's distribution (dist401k.early_distribution.plan_events), up to its limit;
    and on the birth or adoption route, why its payment is claimed on Form 5329 (box 7 code 1)."""
    out = {}
    covered = ok & (np.asarray(m.event_limit) > 0) & (dest == "cash")
    for e in plan_events(ctx.b, ctx.f):
        out[EVENT_REASONS[e.purpose]] = covered & e.applies
    if m.name in CODE_1_ROUTES:
        out["PX_BIRTH_ADOPTION"] = ok & ~ctx.f.at_59_half
    return out


def repayable(ctx: OutcomeContext, m: RouteMoney, dest: str, ok,
              events: dict[str, np.ndarray]) -> np.ndarray:
    """Cases whose payment may be repaid within the law's years (a repayment treated as a
    rollover): a SECURE 2.0 route's (but long-term care), §72(t)(2)(H)(v), (I)(vi), (K)(v),
    (t)(11)(C); a payment in cash another route makes that the request's event covers; and,
    before 59½, a payment in cash to a terminally ill participant that §72(t) reaches (not a
    governmental 457(b)'s own money, §72(t)(9)) (§72(t)(2)(L)(iv): "rules similar to the rules
    of subparagraph (H)(v)")."""
    if m.name in SECURE2_ROUTES:
        return _when(ok, m.name != "long_term_care")
    if m.name not in EVENT_ROUTES or dest != "cash":
        return np.zeros(len(ok), bool)
    terminal = np.asarray(m.exc["PX_TERMINAL"], bool) & ~ctx.f.at_59_half & (
        m.paid.subject_all > HALF_CENT)
    return ok & (terminal | np.logical_or.reduce(list(events.values())))


def roth_not_counted(ctx: OutcomeContext, m: RouteMoney, ok) -> np.ndarray:
    """Cases whose payment holds designated Roth money while an RMD is still owed in a year
    Roth money owes none (§402A(d)(5)): its Roth part does not count toward the RMD (the
    proposed RMD regulations of July 19, 2024), only the non-Roth part does."""
    exempt = ctx.f.law.get("rmd.designated_roth_exempt", ctx.b.tax_year).astype(bool)
    # Roth money that counts toward last year's RMD owed for a year before 2024 is not said:
    # the RMD route's within it, a rollable route's RMD part (SECURE 2.0 §325(b)(2)).
    counted = np.minimum(m.paid.roth_gross, ctx.rmd_roth_countable) if m.name == "rmd" \
        else np.asarray(m.rmd_roth) * (m.name != "beneficiary")
    return ok & exempt & (ctx.rmd_remaining > HALF_CENT) & (
        m.paid.roth_gross - counted > HALF_CENT)


def _payment_reasons(ctx: OutcomeContext, m: RouteMoney, dest: str, ok, rp: RoutePaid,
                     now: TaxableNow, r: Rolled) -> dict[str, np.ndarray]:
    """Why the payment is withheld, rolled, converted, taxed pro rata, or repayable."""
    direct = dest in DIRECT
    erd = erd_withholding_reasons(ctx, m, dest, ok)
    return {
        "OC_ERD_WITHHOLDING": erd["OC_ERD_WITHHOLDING"],
        "OC_ERD_SMALL": erd["OC_ERD_SMALL"],
        "OC_OFFSET_WITHHELD": ok & (offset_with(ctx, m, dest in PAID)[0] > HALF_CENT),
        "OC_NON_ERD_WITHHOLDING": ok & ((not m.rollable) | (m.rmd_part + m.rmd_roth > 0)),
        "OC_DIRECT_ROLLOVER": _when(ok, direct),
        "OC_ROTH_CONVERSION": ok & (now.conversion > HALF_CENT),
        "OC_SPLIT_2014_54": _when(ok, dest == "split_2014_54"),
        "OC_INDIRECT": _when(ok, dest == "indirect_60day"),
        "OC_PRO_RATA": ok & (m.paid.basis > HALF_CENT) & ~simplified_method(
            ctx.b, _series_mask(m), ctx.series_per_payment),
        "OC_PRE_1987_BASIS": ok & (np.zeros(len(ok), bool) if m.paid.pre_1987 is None
                                   else m.paid.pre_1987 > HALF_CENT),
        "OC_ROTH_QUALIFIED": ok & rp.roth_qualified,
        "OC_ROTH_NONQUALIFIED": ok & rp.roth_nonqualified,
        "OC_ROTH_TO_ROTH_IRA": ok & (r.roth > HALF_CENT) & (
            dest in ("traditional_ira", "split_2014_54")),
        "OC_RULE_55_LOST": _when(ok, dest in TO_IRA) & rp.penalty_free_in_plan
        & ~to_inherited_ira(ctx.b, m.name),
        "OC_SPOUSAL_CONSENT": ok & ctx.consent,
        # the small benefit's note beside the consent if married too (the diff review)
        "OC_SPOUSAL_CONSENT_SMALL": ok & small_benefit_cash_out(
            ctx.b, ctx.f.lk, ctx.consent | spouse_consent_if_married(ctx.b)),
        "OC_SPOUSAL_CONSENT_IF_MARRIED": ok & spouse_consent_if_married(ctx.b),
        "OC_402F": erd["OC_402F"],
        "OC_REPAYABLE": repayable(ctx, m, dest, ok, event_reasons(ctx, m, dest, ok)),
        "OC_DISASTER_SPREAD": _when(ok, m.spread) | (ok & (np.asarray(m.disaster_limit) > 0)
                                                     & (dest == "cash")),
        "RM_NOT_ROLLABLE": _when(ok & (m.rmd_part + m.rmd_roth > HALF_CENT), m.rollable),
        "RM_ROTH_NOT_COUNTED": roth_not_counted(ctx, m, ok),
        "OC_W4R_BELOW_ERD": erd["OC_W4R_BELOW_ERD"],
        "OC_DIRECT_ROLLOVER_SMALL": erd["OC_DIRECT_ROLLOVER_SMALL"],
        # The Schedule A total is held the same with and without a payment that raises AGI.
        "ID_TOTAL_HELD": ok & (np.asarray(ctx.b.itemized_deductions) > 0)
        & (now.taxable > HALF_CENT),
        **_net_reasons(m, ok, dest),
        **_qdro_reasons(ctx, m, ok),
        **_series_reasons(ctx, m, ok, dest),
    }


def to_inherited_ira(b: CaseBatch, route: str) -> np.ndarray:
    """Cases whose payment by ``route`` goes, if moved to an IRA, to an *inherited* IRA: a
    beneficiary's other than the surviving spouse (a direct transfer, §402(c)(11)(A)).  What
    that IRA pays is paid on account of death, free of the 10% tax at any age
    (§72(t)(2)(A)(ii)): no exception of the plan is lost by the transfer (no
    ``OC_RULE_55_LOST``).  A surviving spouse's rollover goes to the spouse's own IRA."""
    return inherited_ira_heir(b) & (route == "beneficiary")


def _series_mask(m: RouteMoney) -> np.ndarray:
    """Cases whose payment by ``m`` is one of a series that is no eligible rollover
    distribution (all false where none is)."""
    return np.zeros(np.shape(m.gross), bool) if m.series is None else m.series


def _series_reasons(ctx: OutcomeContext, m: RouteMoney, ok, dest: str) -> dict[str, np.ndarray]:
    """A payment in a series (§402(c)(4)(A)): no eligible rollover distribution; withheld as
    wages (§3405(a)) by Pub. 15-T's tables, or not figured where the year has none; taxed
    by the Simplified Method where the cost is given and the method applies (§72(d)(1)(E),
    (G); dist401k.annuity.general_rule), else as the account's basis gives it, saying why (a
    cost to recover: given, or a basis paid); an RMD figured for the account is not the
    annuity's."""
    if m.series is None:
        return {}
    on = ok & m.series
    simple = simplified_method(ctx.b, m.series, ctx.series_per_payment)
    given = ~np.isnan(np.asarray(ctx.b.series_cost, float))
    cost = on & (given | (m.paid.basis > HALF_CENT))
    why = general_rule(ctx.b, ctx.f.law)
    other = why["plan"] | why["age"] | why["unknown"]
    figured = ~np.isnan(_periodic(ctx, m))
    return {"SR_NOT_ERD": on, "SR_WITHHOLDING_WAGES": _when(on & ~figured, dest in PAID),
            "SR_WITHHOLDING_W4P": _when(on & figured, dest in PAID),
            **_w4p_reasons(ctx.b, _when(on & figured, dest in PAID)),
            "SR_SIMPLIFIED_METHOD": on & simple,
            "SR_COST_NOT_GIVEN": on & ~given & ~other & (m.paid.basis > HALF_CENT),
            "SR_GENERAL_RULE_PLAN": cost & why["plan"],
            "SR_GENERAL_RULE_AGE": cost & why["age"],
            "SR_GUARANTEED_YEARS_NOT_GIVEN": cost & why["unknown"],
            "SR_RMD_NOT_FIGURED": on & (ctx.rmd_remaining > HALF_CENT)}


def _qdro_reasons(ctx: OutcomeContext, m: RouteMoney, ok) -> dict[str, np.ndarray]:
    """A QDRO payment's: a child's or dependent's figures are the participant's (Pub. 504);
    a spouse's may hold an RMD of the share, not figured (:func:`share_rmd_may_apply`), and its
    designated Roth money is qualified or not by the participant (:func:`roth_share_reasons`)."""
    if m.name == "qdro_dependent":
        return {"QD_PARTICIPANT_FIGURES": ok}
    if m.name == "qdro":
        found = {**share_rmd_may_apply(ctx.b, ctx.f),
                 **roth_share_reasons(ctx.b, ctx.f, m.paid.alloc, ctx.qualified,
                                      plan_roth_first_year(ctx.b.roth_first_year))}
        return {k: ok & v for k, v in found.items()}
    return {}


def erd_withholding_reasons(ctx: OutcomeContext, m: RouteMoney, dest: str,
                            ok) -> dict[str, np.ndarray]:
    """Where a rollable route's payment has an eligible rollover part — none where it is all
    the year's RMD (§402(c)(4)(B); Treas. Reg. §1.402(c)-2, Q&A-7) —: the §402(f) notice is
    due before it (Treas. Reg. §1.402(f)-1); paid to the participant, 20% of its taxable part
    is withheld, a lower W-4R rate refused (§3405(c)(1)), unless it is under $200
    (Treas. Reg. §31.3405(c)-1, Q&A-14: then none is required, nor the 10% of §3405(b),
    §3405(c)(1)(A); only an elected rate is withheld).  Under $200 the plan need not offer a
    direct rollover either (Treas. Reg. §1.401(a)(31)-1, Q&A-11): the direct rollover is still
    shown — a plan may offer it — and says so (``OC_DIRECT_ROLLOVER_SMALL``)."""
    paid = dest in PAID
    erd = (m.erd_gross + offset_with(ctx, m, paid)[0]) if m.rollable else ctx.zero
    some = ok & (erd > HALF_CENT)
    at_20 = some & ctx.withheld_on.erd_rate_applies(erd)
    return {
        "OC_ERD_WITHHOLDING": _when(at_20, paid),
        "OC_ERD_SMALL": _when(some & ~at_20, paid),
        "OC_402F": some,
        "OC_W4R_BELOW_ERD": _when(at_20 & ctx.withheld_on.below_erd_floor()
                                  & (m.erd_taxable > HALF_CENT), paid),
        "OC_DIRECT_ROLLOVER_SMALL": _when(some & ~at_20, dest in DIRECT),
    }


def state_withheld(ctx: OutcomeContext, m: RouteMoney, dest: str,
                   w: Withheld) -> StateWithholding | None:
    """The state's withholding from what is paid to the participant (docs/state.md), beside
    the federal ``w``; None where no case of the batch gives a state.  The state's rule reads
    the eligible rollover part of the payment and the rest (the year's RMD, §402(c)(4)(B); a
    beneficiary's required part) each with its own federal withholding, and whether the payment
    is of the whole account balance (the "total distribution" of the Form 1099-R's box 2b), and
    whether it is a periodic payment, one of a series withheld from as wages (§3405(a)), which
    a state may withhold from by its wage tables rather than its nonperiodic rate."""
    b = ctx.b
    if b.state is None or not (np.asarray(b.state) != "").any():
        return None
    # beside a direct rollover, the part paid in cash: the RMD's taxable money, and a
    # beneficiary's required Roth money's where not qualified (:meth:`RouteMoney.cash_taxable`)
    taxable_paid = m.paid.taxable_all if dest in PAID else m.cash_taxable(dest)
    erd_taxable, erd_federal = _erd_part(ctx, m, dest, w)
    # the whole of what the participant owns: money not vested is forfeited, never paid
    balance = np.asarray(b.vested_balance).sum(axis=1)
    whole = (balance > 0) & (m.gross >= balance - HALF_CENT)
    parts = Parts(erd_federal > HALF_CENT, erd_taxable, erd_federal, whole, _series_mask(m))
    sw = state_withholding(ctx.f.law, np.asarray(b.state), b.tax_year, taxable_paid, w.total,
                           parts, Payee(year_of(b.birth_date), np.asarray(b.disabled),
                                        survivor_birth_years(b)),
                           b.state_withholding_rate)
    # Nothing can be withheld beyond the cash paid: where the federal 20% took it all (a loan
    # offset counted in its base, Treas. Reg. §31.3405(c)-1, Q&A-11), the state gets what is left.
    cash = m.gross if dest in PAID else m.rmd_part + m.rmd_roth
    sw.amount = np.minimum(sw.amount, np.maximum(cash - w.total, 0.0))
    if sw.erd is not None:
        sw.erd = np.minimum(sw.erd, np.nan_to_num(sw.amount))
    return sw


def state_withheld_roth(ctx: OutcomeContext, m: RouteMoney,
                        sw: StateWithholding | None) -> np.ndarray:
    """Of the state's withholding from a beneficiary's payment whose designated Roth part is
    figured apart (:func:`beneficiary_split`), the Roth money's: the state's withholding on the
    eligible rollover part shared by the two money's taxable dollars in it, and on the
    required part likewise (Form 1099-R box 14 of each form); NaN elsewhere, or where the
    state's amount is not known."""
    if sw is None:
        return np.full(len(ctx.b), np.nan)
    s = beneficiary_split(ctx.b, m, m.paid.taxable_all)
    erd = np.zeros(len(ctx.b)) if sw.erd is None else np.nan_to_num(sw.erd)
    rest_taxable = m.paid.taxable_all - s.erd_taxable
    with np.errstate(divide="ignore", invalid="ignore"):
        on_erd = np.where(s.erd_taxable > 0, erd * s.roth_erd_taxable / s.erd_taxable, 0.0)
        on_rest = np.where(rest_taxable > 0,
                           (sw.amount - erd) * s.roth_required_taxable / rest_taxable, 0.0)
    return np.where(np.isfinite(s.roth_erd_taxable), on_erd + on_rest, np.nan)


def _erd_part(ctx: OutcomeContext, m: RouteMoney, dest: str,
              w: Withheld) -> tuple[np.ndarray, np.ndarray]:
    """The taxable part of what is paid to the participant that is an eligible rollover
    distribution, and the federal withholding on it (§3405(c)): the payment less the year's
    RMD; a designated beneficiary's payment from a plan beyond the year's required amount;
    nothing else (a direct rollover pays only the RMD in cash)."""
    if m.rollable:
        erd_taxable = np.where(_series_mask(m), 0.0, m.erd_taxable)
        return (erd_taxable if dest in PAID else ctx.zero), w.erd
    if m.name == "beneficiary" and dest in PAID:
        taxable, erd_gross = _beneficiary_erd(ctx.b, m, m.paid.taxable_all)
        return taxable, np.minimum(ctx.withheld_on.on(taxable, True, erd_gross), w.total)
    return ctx.zero, ctx.zero


def _net_reasons(m: RouteMoney, ok, dest: str) -> dict[str, np.ndarray]:
    """The gross found from a net amount (request.net_amount), and where the route cannot
    pay that much net; said of the cash payment, whose net it is."""
    if m.net_asked is None or m.net_short is None or dest != "cash":
        return {}
    return {"OC_NET_AMOUNT": ok & m.net_asked & ~m.net_short, "OC_NET_SHORT": ok & m.net_short}


def outcome_reasons(ctx: OutcomeContext, m: RouteMoney, dest: str, ok, rp: RoutePaid,
                    now: TaxableNow, t: TaxesNow, r: Rolled) -> dict[str, np.ndarray]:
    """Every reason of the outcome, masked to the cases where it is possible."""
    reasons = _exception_reasons(ctx, m, dest, ok, rp, t)
    reasons.update(_payment_reasons(ctx, m, dest, ok, rp, now, r))
    if m.name == "beneficiary":
        reasons["BN_OWN_72T"] = ok & (t.additional > HALF_CENT) & ~m.exc["PX_DEATH"]
        reasons.update(beneficiary_withholding_reasons(ctx, m, ok, dest))
        # An estate's tax is on Form 1041 (TaxOf): no age of its own, no 59½.
        reasons["PX_AGE_59_HALF"] = reasons["PX_AGE_59_HALF"] & ~ctx.tax.estate
        reasons["BN_ESTATE_TAX"] = ok & ctx.tax.estate
        if m.paid.roth_ira is not None:  # an inherited Roth IRA: the ordering rules, not pro rata
            ordered = ok & m.paid.roth_ira.part_iii.filled
            reasons["BN_ROTH_IRA_ORDERING"] = ordered
            reasons["OC_ROTH_NONQUALIFIED"] = reasons["OC_ROTH_NONQUALIFIED"] & ~ordered
    reasons.update(ctx.withheld_on.void_reasons(reasons["OC_NON_ERD_WITHHOLDING"]))
    if t.state is not None:
        reasons.update({k: v & ok for k, v in t.state.reasons.items()})
    return reasons


def destination_outcome(ctx: OutcomeContext, m: RouteMoney, dest: str,
                        rp: RoutePaid) -> Outcome:
    """The outcome of route ``m`` paid to ``dest``: each amount by name, zero where the
    outcome is not possible."""
    ok = possible(ctx, m, dest)
    now = taxable_now(ctx, m, dest)
    t = taxes_now(ctx, m, dest, now.this_year)
    w = withheld(ctx, m, dest in PAID)
    sw = state_withheld(ctx, m, dest, w)
    cash = cash_in_hand(ctx, m, dest, w, t, sw)
    r = rolled(ctx, m, dest)
    # Each shown to the cent, the amount not taxable is what the cents of the two leave (a
    # half cent rounded up in both would make them a cent more than the gross: box 1 − box 2a).
    amounts = {"gross": m.gross, "taxable": now.taxable,
               "nontaxable": cents(m.gross) - cents(now.taxable),
               "taxable_later": now.taxable - now.this_year, "withholding": w.total,
               "income_tax_increase": t.increase, "additional_tax_72t": t.additional,
               "net_cash": cash.net_cash, "after_all_taxes": cash.after_all,
               "to_traditional_ira": r.to_traditional_ira, "to_roth_ira": r.to_roth_ira,
               "to_plan": r.to_plan, "makeup_needed": cash.makeup}
    shown = np.where(ok, np.array(list(amounts.values())), 0.0)  # one pass for all of them
    includible = np.where(ok, m.cash_taxable(dest), 0.0)
    # Form 5329 line 1 takes the recapture as includible (Instructions for Form 5329, line 1).
    recapture = np.where(ok, irr_recapture(ctx, m, dest), 0.0)
    return Outcome(
        route=m.name, destination=dest, possible=ok,
        **dict(zip(amounts, shown, strict=True)), code=m.code,
        parts={"pretax_cash": m.paid.nonroth_gross if dest in PAID else m.rmd_part,
               "roth_cash": m.paid.roth_gross if dest in PAID else m.rmd_roth + ctx.zero,
               "rolled_pretax": r.pretax, "rolled_roth": r.roth},
        reasons=outcome_reasons(ctx, m, dest, ok, rp, now, t, r) | (
            {} if sw is None else {k: v & ok for k, v in sw.reasons.items()}),
        extra={"rmd_part": m.rmd_part, **paid_shares(
            ctx.b, m.paid.alloc, m.paid.taxable_all, m.paid.taxable_pretax, m.t_nonroth,
            ctx.irr_period, ctx.ex457, m.paid.taxable_src),
            **roth_basis_paid(ctx, m.paid.alloc, m.paid.taxable_src, ctx.lent),
            **({} if dest in PAID else _direct_shares(m)),
            **({} if w.roth is None else {"withholding_roth": np.where(ok, w.roth, np.nan),
                                          "state_withholding_roth": np.where(
                                              ok, state_withheld_roth(ctx, m, sw), np.nan)})},
        state=t.state, state_withholding=None if sw is None else StateWithholding(
            np.where(ok, sw.amount, 0.0), sw.covered, sw.reasons),
        form_5329=part_i(ctx.f.lk, m.name, m.exc, early_paid(
            ctx, m, dest, includible, recapture, t), m.code),
        w4r_chart_rate=w4r_chart_rate(ctx, includible, _series_mask(m)) if dest in PAID else None,
        ira_basis_in=np.where(ok, m.erd_nonroth - m.rolled_taxable, 0.0)
        if dest in ("traditional_ira", "indirect_60day") else None, roth_ira=m.paid.roth_ira)


def w4r_chart_rate(ctx: OutcomeContext, includible, periodic) -> np.ndarray:
    """The rate Form W-4R's Marginal Rate Tables give for ``includible``: an individual's
    (by filing status); none (NaN) for an estate, whose tax is on Form 1041, nor for a
    ``periodic`` payment, one of a series withheld from as wages by its Form W-4P
    (§3405(a)): Form W-4R is for nonperiodic payments and eligible rollover distributions
    (§3405(b), (c))."""
    rate = chart_rate(ctx.tax.lookup, ctx.tax.base["agi"], includible)
    return np.where(ctx.tax.estate | np.asarray(periodic, bool), np.nan, rate)


def early_paid(ctx: OutcomeContext, m: RouteMoney, dest: str, includible, recapture,
               t: TaxesNow) -> EarlyPaid:
    """What Form 5329 Part I reads of the payment: the includible amount (the recapture of
    in-plan Roth rollovers with it) and the part §72(t) reaches, less the part of a payment in
    cash the individual treats as a qualified disaster recovery distribution (reported on Form
    8915-F, not Part I: the includible part first, as the spread takes it); the part the
    request's other event spares, with its key."""
    limit = m.disaster_limit if dest == "cash" else 0.0
    whole = includible + recapture
    subject = includible * m.subject_share + recapture
    off, off_subject = np.minimum(whole, limit), np.minimum(subject, limit)
    events = plan_events(ctx.b, ctx.f)
    return EarlyPaid(
        early=~ctx.f.at_59_half, includible=whole - off, subject=subject - off_subject,
        medical=t.medical, excepted=m.excepted, rate=ctx.rate_72t,
        recaptured=np.minimum(recapture, whole - off),
        event=np.maximum(0.0, t.event - np.where(m.excepted, 0.0, off_subject)),
        event_keys=tuple((e.applies, e.key) for e in events if e.key is not None))


def _direct_shares(m: RouteMoney) -> dict[str, np.ndarray]:
    """The taxable shares of the two non-Roth parts of a direct rollover, for the forms: the
    RMD paid in cash and the rest rolled over, which takes the taxable money first
    (§402(c)(2); Notice 2014-54)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"nonroth_taxable_share": np.where(
                    m.rmd_part > 0, m.rmd_taxable_rolled / m.rmd_part, m.t_nonroth),
                "rolled_taxable_share": np.where(
                    m.erd_nonroth > 0, m.rolled_taxable / m.erd_nonroth, m.t_nonroth)}


def outcomes(b: CaseBatch, f: Facts, routes: dict[str, RouteResult],
             pairs: set[tuple[str, str]] | None = None) -> list[Outcome]:
    """Every open route's outcome for each destination it allows (loans: the loan itself);
    ``pairs`` limits the work to some (route, destination) pairs.  First what each route pays
    and how it is taxable, then the tax of every destination's taxable amount in one call of
    the tax engine, then each destination's outcome."""
    from dist401k.loan_outcome import LOAN_FAILURE_DESTINATIONS, loan_failure_outcome, loan_money
    from dist401k.roth_ira_outcome import roth_ira_outcome

    alone = outcome_context(b, f, routes)
    ctx, deemed = after_deemed_loan(alone, routes)
    asked = [(name, route) for name, route in routes.items()
             if route.eligible.any(axis=1).any()
             and (pairs is None or any(r == name for r, _ in pairs))]
    money = {name: (loan_money(ctx, name, route, pairs) if name in LOAN_FAILURE_DESTINATIONS
                    else net_amount_money(ctx, route_money(ctx, name, route, pairs), pairs))
             for name, route in asked if name not in OWN_OUTCOME}
    ctx.tax.prefetch(taxable_now(ctx, m, dest).this_year for name, m in money.items()
                     for dest in m.dests if name != "loan_deemed")
    out: list[Outcome] = []
    money, stacked = with_offset_kept(ctx, money, deemed, pairs)
    for name, route in asked:
        if name == "loan":
            out.append(_loan_outcome(b, route, loan_needs_consent(b, f.lk, ctx.consent),
                                     loan_needs_consent(b, f.lk, spouse_consent_if_married(b))))
            continue
        if name == "roth_ira":  # money from the Roth IRAs, not the plan: cash only
            if pairs is None or ("roth_ira", "cash") in pairs:
                out.append(roth_ira_outcome(ctx, route))
            continue
        m = money[name]
        if name in LOAN_FAILURE_DESTINATIONS:  # a loan gone bad: no cash (loan_outcome)
            own = alone if name == "loan_deemed" else ctx
            out.extend(loan_failure_outcome(own, m, dest) for dest in m.dests)
            continue
        own, offset = stacked.get(name, (ctx, None))
        rp = route_paid(own, m)
        for dest in m.dests:
            out.append(destination_outcome(own, m, dest, rp))
            if offset is not None:  # its tax on top of the loan offset kept
                out[-1].reasons["LO_TAXED_WITH"] = np.asarray(out[-1].possible, bool) & offset
    for o in out:
        if o.route not in ("loan", "loan_deemed"):
            o.reasons["LD_INCOME_THIS_YEAR"] = (np.asarray(o.possible, bool) & (deemed > HALF_CENT)
                                                & (np.asarray(o.taxable) > HALF_CENT))
        o.reasons.update(spouse_taken_as(ctx, o))
    return out


def spouse_taken_as(ctx: OutcomeContext, o: Outcome) -> dict[str, np.ndarray]:
    """Where the income tax an outcome adds rests on a fact of the spouse the case leaves
    open: a joint return's spouse without a birth date is taken as under 65, with no §63(f)
    additional amount or §151(d)(5)(C) senior deduction; a separate filer with Social Security
    who did not live apart from the spouse all year has §86 base amounts of zero
    (§86(c)(1)(C)(ii), (c)(2)(C)).  An estate's tax (Form 1041) has neither."""
    b = ctx.b
    taxed = np.asarray(o.possible, bool) & (np.asarray(o.taxable) > HALF_CENT) & ~ctx.tax.estate
    return {"OC_SPOUSE_AGE_NOT_GIVEN": taxed & (b.filing_status == CODE["married_joint"])
            & np.isnat(b.spouse_birth_date),
            "OC_SS_SEPARATE_LIVED_TOGETHER": taxed & (b.filing_status == CODE["married_separate"])
            & (b.social_security > HALF_CENT) & ~np.asarray(b.lived_apart, bool),
            "OC_KIDDIE_TAX_NOT_FIGURED": taxed & ctx.tax.kiddie_not_figured(o.taxable)}


def with_offset_kept(ctx: OutcomeContext, money: dict[str, RouteMoney], deemed,
                     pairs: set[tuple[str, str]] | None
                     ) -> tuple[dict[str, RouteMoney], dict[str, tuple[OutcomeContext, np.ndarray]]]:
    """The routes whose payment empties the account and so goes out with the loan offset
    (:func:`offset_goes_with`), each with the context its outcomes are figured in: the offset
    is an actual distribution of the same year (Treas. Reg. §1.402(c)-2, Q&A-9(b);
    §1.72(p)-1, Q&A-13), taken as kept (not rolled over: its own outcome ``indirect_60day``
    says what rolling it over changes), so its taxable part is income of the year under the
    payment, federal and state, as a deemed loan's is (:func:`after_deemed_loan`).  The
    offset's own outcome stays on the rest of the year's income: the two added are the year's
    tax of both.  The money of such a route is found again in that context (a net amount
    after all tax reads it).  Returns the money and, by route, (context, where stacked)."""
    stacked: dict[str, tuple[OutcomeContext, np.ndarray]] = {}
    out = dict(money)
    for name, m in money.items():
        whole = offset_goes_with(ctx, m)
        if name in ("loan_deemed", "loan_offset") or not whole.any():
            continue
        tax = TaxOf(ctx.b, ctx.f.law, deemed + np.where(whole, ctx.offset_taxable, 0.0))
        own = replace(ctx, tax=tax, state_tax_of=StateTaxOf(ctx.b, ctx.f, tax.units, tax.base,
                                                            tax.lookup))
        out[name] = net_amount_money(own, route_money(own, name, m.route, pairs), pairs)
        stacked[name] = (own, whole)
    return out, stacked


def after_deemed_loan(ctx: OutcomeContext,
                      routes: dict[str, RouteResult]) -> tuple[OutcomeContext, np.ndarray]:
    """The context of the year's other outcomes, and the taxable amount of a loan deemed
    distributed this year: made when its cure period ends (IRC §72(p)(1); Treas. Reg.
    §1.72(p)-1, Q&A-10(a)), it is income of the year, and every other payment's tax, federal
    and state, is figured on top of it; the deemed distribution's own on top of the rest of
    the year's income (``ctx``)."""
    from dist401k.loan_outcome import loan_money

    route = routes.get("loan_deemed")
    if route is None or not route.eligible.any():
        return ctx, ctx.zero
    m = loan_money(ctx, "loan_deemed", route, None)
    deemed = np.where(m.open_, taxable_now(ctx, m, "cash").this_year, 0.0)
    if not (deemed > HALF_CENT).any():
        return ctx, ctx.zero
    tax = TaxOf(ctx.b, ctx.f.law, deemed)
    return replace(ctx, tax=tax, state_tax_of=StateTaxOf(ctx.b, ctx.f, tax.units, tax.base,
                                                         tax.lookup)), deemed


def state_increase(state_tax_of: StateTaxOf, exc: dict, route: str, this_year,
                   federal_with: TaxWith, excepted, beyond_medical,
                   event_secure2=0.0) -> StateIncrease | None:
    """The state's tax with the payment minus without, and its own additional tax on what the
    federal 10% tax reaches (docs/state.md); None where no case of the batch gives a state.
    ``event_secure2``: the part of another route's payment spared only by an event's exception
    SECURE 2.0 added (emergency, domestic abuse, disaster).  ``route`` also says whose
    retirement conditions a state reads (Pennsylvania: an IRA's or the plan's,
    :meth:`dist401k.state_outcome.StateTaxOf.payment_conditions`)."""
    if not state_tax_of.any:
        return None
    return state_tax_of.increase(this_year, federal_with,
                                 np.where(excepted, 0.0, beyond_medical),
                                 np.where(secure2_only(exc, route), beyond_medical, 0.0)
                                 + event_secure2, route=route)


def _when(mask: np.ndarray, condition: bool) -> np.ndarray:
    """``mask`` where a condition that holds for the whole batch is true, else nowhere."""
    return mask if condition else np.zeros(mask.shape, bool)


def beneficiary_withholding_reasons(ctx: OutcomeContext, m: RouteMoney, ok,
                                   dest: str = "cash") -> dict[str, np.ndarray]:
    """Why a beneficiary's payment has the withholding it has (:func:`withheld`): from a plan,
    the part a designated beneficiary takes beyond the year's required amount (and the
    earlier years' still owed) is an eligible rollover distribution, 20% of its taxable part —
    none where nothing of it is taxable, as qualified Roth money — (§402(c)(11), §3405(c)),
    the required part is not, 10% unless the W-4R elects otherwise (§402(c)(4)(B), §3405(b));
    an eligible rollover part under $200 has none (Treas. Reg. §31.3405(c)-1, Q&A-14); a
    payment with no such part — from an IRA, to an estate — has the 10%.  Any eligible
    rollover part, a designated beneficiary's included, calls for the written §402(f) notice
    before it is paid (§402(f)(1); §402(c)(11)(A); Notice 2020-62); to a beneficiary other than
    the surviving spouse it tells of the direct transfer to an inherited IRA alone
    (``OC_402F_HEIR``: no 60-day rollover, §402(c)(11)(A)).  Rolled over or transferred
    directly (``dest`` not paid), only the required part is paid and withheld from
    (:func:`_heir_direct_withheld`); the rollover itself is said (:func:`heir_rollover_reasons`)."""
    taxable = m.paid.taxable_all if m.paid.withheld_on is None else m.paid.withheld_on
    erd, erd_gross = _beneficiary_erd(ctx.b, m, taxable)
    spouse = np.asarray(ctx.b.relationship) == Relationship.SPOUSE
    if dest not in PAID:
        none = np.zeros(len(ctx.b), bool)
        some = erd_gross > HALF_CENT
        return {"OC_NON_ERD_WITHHOLDING": ok & (m.cash_taxable(dest) > HALF_CENT),
                "OC_ERD_SMALL": none, "OC_402F": ok & some & spouse,
                "OC_402F_HEIR": ok & some & ~spouse, "BN_WITHHOLDING_ERD_PART": none,
                "BN_WITHHOLDING_REQUIRED_PART": none, **heir_rollover_reasons(ctx, ok, dest)}
    applies = ctx.withheld_on.erd_rate_applies(erd_gross)
    some = erd_gross > HALF_CENT
    at_20 = some & applies
    small = some & ~applies
    required = taxable - erd > HALF_CENT
    # A surviving spouse may roll it over as the participant could, a 60-day rollover
    # included; any other designated beneficiary only by a direct transfer to an inherited
    # IRA (§402(c)(11)(A)): the notice says which.
    return {**heir_rollover_reasons(ctx, ok, dest),
            "OC_NON_ERD_WITHHOLDING": ok & ~at_20 & (~small | required),
            "OC_ERD_SMALL": ok & small,
            "OC_402F": ok & some & spouse,
            "OC_402F_HEIR": ok & some & ~spouse,
            "BN_WITHHOLDING_ERD_PART": ok & at_20,
            "BN_WITHHOLDING_REQUIRED_PART": ok & at_20 & required}


def heir_rollover_reasons(ctx: OutcomeContext, ok, dest: str) -> dict[str, np.ndarray]:
    """What a beneficiary's rollover is (:func:`dist401k.routes.beneficiary.may_roll_to`): a
    surviving spouse's to an IRA or plan of their own (§402(c)(9)); any other designated
    beneficiary's a direct trustee-to-trustee transfer to an inherited IRA or inherited Roth
    IRA (§402(c)(11)(A); Notice 2008-30, Q&A-7).  None in cash."""
    if dest == "cash":
        return {}
    spouse = np.asarray(ctx.b.relationship) == Relationship.SPOUSE
    return {"BN_SPOUSE_ROLLOVER": ok & spouse, "BN_INHERITED_IRA_TRANSFER": ok & ~spouse}


def _beneficiary_erd(b: CaseBatch, m: RouteMoney, taxable) -> tuple[np.ndarray, np.ndarray]:
    """The part of a payment to a beneficiary that is an eligible rollover distribution: its
    taxable dollars (of ``taxable``, what the payer withholds on) and its gross
    (:func:`beneficiary_split`)."""
    s = beneficiary_split(b, m, taxable)
    return s.erd_taxable, s.erd_gross


class HeirSplit(NamedTuple):
    """A payment to a beneficiary split into its eligible rollover part and the year's
    required part (:func:`beneficiary_split`)."""

    erd_taxable: np.ndarray  # the eligible rollover part's taxable dollars
    erd_gross: np.ndarray  # its gross, taxable or not
    #: Where the designated Roth money is figured apart, the Roth money's taxable dollars in
    #: the eligible rollover part and in the required part (NaN elsewhere: shared pro rata).
    roth_erd_taxable: np.ndarray
    roth_required_taxable: np.ndarray
    #: The gross of the part that is no eligible rollover distribution (the year's required
    #: part; all of a payment from an IRA or to an estate): its non-Roth and its Roth money.
    required_nonroth: np.ndarray
    required_roth: np.ndarray


def beneficiary_split(b: CaseBatch, m: RouteMoney, taxable) -> HeirSplit:
    """The part of a payment to a beneficiary that is an eligible rollover distribution.  From
    a plan, to a designated beneficiary, the part above the year's remaining required amount
    (§402(c)(4)(B), (c)(11); Treas. Reg. §1.402(c)-2, Q&A-7), pro rata over the payment.
    Where the account's designated Roth money is figured apart (``BN_ROTH_PART_APART``: no RBD
    for it, §402A(d)(5)), each part's minimum is met by its own money (the route's
    ``remaining_roth``, :func:`dist401k.routes.beneficiary.required_this_year`): the other
    money's from the non-Roth dollars first, as the participant's (:func:`route_money`), the
    Roth part's — owed where its own rule asks an annual amount, an eligible designated
    beneficiary's life expectancy — from the Roth dollars, each at its own taxable share (a
    Roth payment not qualified is taxable pro rata, §72(e)(8), §402A(d)); the rest is the
    eligible part.  None from an IRA or to an estate."""
    designated = np.asarray(b.relationship) != Relationship.NON_DESIGNATED
    to = designated & ~paid_from_ira(b)  # not an inherited IRA, nor the spouse's own IRA
    gross, remaining = m.gross, m.route.extra["remaining"]
    apart = np.asarray(m.route.reasons.get("BN_ROTH_PART_APART", False), bool) & to
    roth_gross = m.paid.roth_gross
    taxable_roth = (m.paid.taxable_src * ROTH[None, :]).sum(axis=1)
    roth_left = np.where(apart, m.route.extra.get("remaining_roth", 0.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(gross > 0, np.maximum(0.0, gross - remaining) / gross, 0.0)
        t_roth = np.where(roth_gross > 0, taxable_roth / roth_gross, 0.0)
    required_roth = np.minimum(roth_gross, roth_left)
    required = np.minimum(m.paid.nonroth_gross, np.maximum(0.0, remaining - roth_left))
    roth_required_taxable = required_roth * t_roth
    erd_taxable = np.where(apart, np.maximum(
        0.0, taxable - required * m.t_nonroth - roth_required_taxable), taxable * share)
    erd_gross = np.where(apart, np.maximum(0.0, gross - required - required_roth), gross * share)
    kept = 1.0 - share  # not apart: the required part pro rata over the payment
    return HeirSplit(erd_taxable=np.where(to, erd_taxable, 0.0),
                     erd_gross=np.where(to, erd_gross, 0.0),
                     roth_erd_taxable=np.where(apart, taxable_roth - roth_required_taxable, np.nan),
                     roth_required_taxable=np.where(apart, roth_required_taxable, np.nan),
                     required_nonroth=np.where(to, np.where(
                         apart, required, m.paid.nonroth_gross * kept), m.paid.nonroth_gross),
                     required_roth=np.where(to, np.where(apart, required_roth, roth_gross * kept),
                                            roth_gross))


def _loan_outcome(b: CaseBatch, route: RouteResult, consent, if_married) -> Outcome:
    n = len(b)
    z = np.zeros(n)
    principal = route.extra["principal"]
    # Asked to an IRA or a plan, the loan is no answer: it is paid to the participant (the
    # route says why, LN_NOT_TO_IRA; §72(p)(1)), as a hardship asked there is (§402(c)(4)(C)).
    possible = route.eligible.any(axis=1) & (principal > 0) & ~asks_for_elsewhere(b)
    reasons = {"LN_NOT_TAXED": possible, "LN_SPOUSAL_CONSENT": possible & consent,
               "OC_SPOUSAL_CONSENT_IF_MARRIED": possible & if_married,
               # an offset of a governmental 457(b)'s own money is outside §72(t) (§72(t)(9))
               "LN_457_OFFSET": possible & plan_is(b, PlanType.GOVERNMENTAL_457B)}
    # Not taxed only on Q&A-19(b)(2)'s terms while a deemed loan is unpaid: the route's
    # condition said on the outcome's row too (Treas. Reg. §1.72(p)-1, Q&A-19).
    after_deemed = route.reasons.get("LN_AFTER_DEEMED")
    if after_deemed is not None:
        held = np.asarray(after_deemed, bool)
        reasons["LN_AFTER_DEEMED"] = possible & (held.any(axis=1) if held.ndim == 2 else held)
    return Outcome(route="loan", destination="cash", possible=possible, gross=principal,
                   taxable=z, nontaxable=principal, taxable_later=z, withholding=z,
                   income_tax_increase=z, additional_tax_72t=z, net_cash=principal,
                   after_all_taxes=principal, to_traditional_ira=z, to_roth_ira=z, to_plan=z,
                   makeup_needed=z, code=np.full(n, ""), parts={}, reasons=reasons,
                   extra={k: route.extra[k] for k in ("payment", "payments_per_year",
                                                       "term_years", "total_interest")})


class _Deadline(NamedTuple):
    """One date that matters, for each case (None where it does not apply)."""

    what: list[str]
    dates: list[str | None]


def _deadline(what, dates, where=None) -> _Deadline:
    """``what`` (one text, or one per case) by ``dates``, only where ``where`` holds."""
    text = dates if isinstance(dates, list) else [str(d) for d in np.asarray(dates)]
    n = len(text)
    keep = [True] * n if where is None else np.asarray(where, bool).tolist()
    return _Deadline([what] * n if isinstance(what, str) else what,
                     [t if k else None for t, k in zip(text, keep, strict=True)])


def repayment_deadline(law, day, years, where=None) -> _Deadline:
    """A SECURE 2.0 withdrawal, a payment the request's event covers and a terminally ill
    participant's may be repaid within the law's years (§72(t)(2)(H)(v), (I)(vi), (K)(v),
    (L)(iv), (t)(11)(C)); only where ``where`` holds."""
    window = law.get("secure2.repayment_years", years)
    return _deadline([f"repay to a plan or IRA, if you wish ({w:g} years)"
                      for w in window.tolist()], anniversary(day, window), where)


def loan_offset_deadline(law, years, where) -> _Deadline:
    """A qualified plan loan offset may be rolled over until the due date, with extensions, of
    the return of the year of the offset (§402(c)(3)(C); Treas. Reg. §1.6081-4)."""
    due = add_months(return_due_date(law, years),
                     law.get("rollover.loan_offset_extension_months", years).astype(np.int64))
    return _deadline("roll over a loan offset (qualified plan loan offset, IRC §402(c)(3)(C)): "
                     "the return's due date with extensions", due, where)


def beneficiary_deadlines(ben: dict, at) -> list[_Deadline]:
    """The year's required distribution of an heir (§401(a)(9)(B)), and the year-end by which
    the inherited account must be empty (the 5- or 10-year rule)."""
    empty = np.asarray(ben["empty_by"])[at]
    return [_deadline("take the year's required distribution as beneficiary "
                      "(IRC §401(a)(9)(B))", np.asarray(ben["deadline"])[at],
                      np.asarray(ben["remaining"])[at] > HALF_CENT),
            _deadline("empty the inherited account",
                      [f"{int(e)}-12-31" if e > 0 else "" for e in empty.tolist()],
                      empty > 0)]


def participant_rmd_part(o: Outcome, size: int) -> np.ndarray:
    """The participant's own required minimum distribution paid first in outcome ``o``
    (§401(a)(9)(A), (C)): zero for an heir's payment (route ``beneficiary``), whose required
    part is the beneficiary's own (§401(a)(9)(B)) and whose deadline the beneficiary rules give;
    under the 5- or 10-year rule of a death before the required beginning date it owes none."""
    if o.route == "beneficiary":
        return np.zeros(size)
    return np.asarray(o.extra.get("rmd_part", np.zeros(size)))


def deadlines(b: CaseBatch, o: Outcome, routes: dict[str, RouteResult], law,
              at: np.ndarray | None = None) -> list[list[dict]]:
    """Dates that matter for outcome ``o``, for each case of the batch (or each case whose
    index is in ``at``)."""
    at = np.arange(len(b)) if at is None else np.asarray(at)
    n = len(at)
    day = b.request_date[at]
    years = b.tax_year.astype(np.int64)[at]
    cols: list[_Deadline] = []
    if o.destination == "indirect_60day" and o.route != "loan_offset":
        days = np.asarray(law.get("rollover.days", years), dtype=np.int64)
        cols.append(_deadline("complete the 60-day rollover (IRC §402(c)(3))",
                              day + days.astype("timedelta64[D]")))
    repay = np.asarray(o.reasons.get("OC_REPAYABLE", np.zeros(len(b), bool)), bool)[at]
    if repay.any():
        cols.append(repayment_deadline(law, day, years, repay))
    rmd_part = participant_rmd_part(o, len(b))[at]
    if o.route == "rmd" or (rmd_part > 0).any():
        pays = np.full(n, o.route == "rmd") | (rmd_part > 0)
        first = np.asarray(routes["rmd"].extra["last_year_deadline"])[at]
        cols.append(_deadline("take last year's required minimum distribution, the first "
                              "(IRC §401(a)(9)(C))", first, pays & ~np.isnat(first)))
        cols.append(_deadline("take the required minimum distribution",
                              np.asarray(routes["rmd"].extra["deadline"])[at], pays))
    if o.route == "beneficiary" and "beneficiary" in routes:
        cols.extend(beneficiary_deadlines(routes["beneficiary"].extra, at))
    if o.route in ("separation", "loan_offset") and "loan_offset" in routes:
        cols.extend(offset_deadlines(routes["loan_offset"], law, years, day, at))
    return [[{"what": c.what[k], "date": c.dates[k]} for c in cols if c.dates[k] is not None]
            for k in range(n)]


def offset_deadlines(route: RouteResult, law, years, day, at) -> list[_Deadline]:
    """The rollover deadline of the loan offset (route ``loan_offset``) that a separation, or
    the offset itself, goes with: a qualified plan loan offset's by the return's due date
    (§402(c)(3)(C)), any other offset's 60 days (§402(c)(3)(A)); none where no loan is
    offset (none owed, or one already deemed distributed: Treas. Reg. §1.72(p)-1, Q&A-13)."""
    offset = np.asarray(np.any(route.eligible, axis=1), bool)[at]
    qualified = np.asarray(route.extra["qualified"], bool)[at] & offset
    days = np.asarray(law.get("rollover.days", years), dtype=np.int64)
    return [loan_offset_deadline(law, years, qualified),
            _deadline("roll over the loan offset (IRC §402(c)(3)(A))",
                      day + days.astype("timedelta64[D]"), offset & ~qualified)]
