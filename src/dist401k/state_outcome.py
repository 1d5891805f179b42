"""The state income tax a route's payment adds, for the cases that give ``person.state``:
the state's tax with the payment minus its tax without it (as the federal increase is figured,
:class:`dist401k.outcome.TaxOf`), and the state's own additional tax on early distributions.

The state engine (:mod:`dist401k.tax.state`, docs/state.md) reads facts of the payment's route;
each is derived from what the case already says:

- ``early_distributions``: the part of the payment under the federal §72(t) 10% tax, as
  :mod:`dist401k.outcome` figures it from :mod:`dist401k.early_distribution` (no exception,
  less the medical exception's part);
- ``secure2_excepted_distributions``: the part spared the 10% tax only by an exception SECURE
  2.0 added (the route's own exception for emergency, domestic abuse, disaster and long-term
  care withdrawals; terminal illness), no older exception applying;
- ``plan_retirement_conditions_met``: separated from the plan's sponsor, at or over the plan's
  retirement age (``plan.retirement_age``; 59½ where the case does not give it) on the day of
  the request; for a Pennsylvania resident, the conditions of the payment's own money
  (:func:`pennsylvania_payment_conditions`): a payment from an IRA (the ``roth_ira`` route, a
  backdoor Roth conversion, an inherited IRA a spouse made their own) by the IRA's, 59½ by
  the request date wages or not, and an heir's from an inherited account, paid because of
  the death, exempt (:func:`dist401k.tax.state.pennsylvania.ira_distribution_exempt`); where
  the payment's conditions and those of the year's other distributions differ, the exempt
  part leaves the Pennsylvania distributions (as the drawdown planner splits them); for a
  Mississippi resident likewise (:func:`mississippi_payment_conditions`): a payment from an
  IRA by the IRA's, not early (59½, the owner's death or disability: wages or not,
  :func:`dist401k.tax.state.mississippi.ira_distribution_exempt`), a plan's by the plan's;
- ``ira_distributions``, ``ira_early_distributions``: for an Arkansas resident, a payment from
  an IRA (:func:`payment_kind`) not paid to an heir on the owner's death, and its part under
  the §72(t) tax; for a Michigan resident, a payment from an IRA (a surviving spouse's too,
  judged by the spouse's own age), its part under the §72(t) tax — all of it before 59½ but on
  disability —, and all of it in ``employer_attributable_distributions``; in both, the owner's
  age judged on the request date (:meth:`StateTaxOf._ira_payment`); none elsewhere (the payment
  is taken as a plan's).  A Michigan resident's payment from a Roth IRA, or to an heir other
  than the surviving spouse, is no retirement or pension benefit: it leaves the distributions
  (:meth:`StateTaxOf._michigan_outside`);
- ``governmental_plan``: ``plan.governmental`` (always true for a governmental 457(b));
- ``periodic_payments``, ``periodic_distributions``: a payment of a series
  (``request.series``: life, joint lives, or a period of more than the law's one year,
  ``state.co.periodic_payments_more_than_years``, Rule 39-22-104(4)(f)(1)(b); :func:`periodic_series`)
  by a route that pays the participant's own series (:data:`dist401k.annuity.SERIES_ROUTES`) is
  one of periodic payments (:meth:`StateTaxOf._periodic`): ``periodic_payments`` where it is
  the year's only distribution (or, for a Colorado resident, paid before the plan's retirement
  conditions are met: whether the person had retired is not known), else its part spared the
  §72(t) tax is the periodic part ``periodic_distributions`` beside the year's other
  distributions (taken as a lump sum); every other payment is a single (non-periodic) one;
- ``age_head`` for a New York resident: the exclusion from 59½ takes only what is received
  after it (Tax Law §612(c)(3-a); IT-201 instructions, line 29): the age is judged on the
  request date, 59½ reached or not (:meth:`StateTaxOf._new_york_age`);
- ``state_basis_recovered``: for a Pennsylvania resident whose payment is paid before its
  retirement conditions are met (a plan's payment only), the part of its taxable amount that returns the
  contributions Pennsylvania already taxed (``account.state_taxed_contributions``, its elective
  deferrals): they are recovered first, the cost recovery method (PA-40 instructions, line 5,
  codes 1 and 2: not taxed "until you have received (recovered) an amount equal to your
  previously taxed contributions"; 61 Pa. Code §101.6(c)(8)), so the smaller of the payment's
  taxable part and those contributions (:func:`pennsylvania_recovered`).  For a New Jersey
  resident paid a plan's money from a 403(b) or governmental 457(b) holding elective
  deferrals, NaN: New Jersey taxed those deferrals when made (N.J.A.C. 18:35-2.5(a)) and its
  own recovery of them is not modelled, so the answer is not covered
  (``STATE_NJ_TAXED_CONTRIBUTIONS_NOT_FIGURED``, :func:`new_jersey_taxed_deferrals`).  Zero
  elsewhere: another state's own rule for recovering them (New Jersey's, Massachusetts's, Alabama's) is
  not modelled, and where that state taxes the payment the answer says the contributions
  given were not applied (``STATE_BASIS_NOT_APPLIED``);
- ``disabled``: ``person.disabled``;
- ``employer_attributable_distributions``: for a Hawaii resident paid a plan's money from an
  account that holds only the employee's own money (elective and designated Roth deferrals,
  after-tax contributions) with no other distribution that year, zero: none of it is
  attributable to employer contributions, so none is exempt (HRS §235-7(a)(3); HAR
  §18-235-7-03 does not adopt the Code's treatment of elective deferrals as employer
  contributions; Department of Taxation Announcement No. 98-2: elective 401(k) contributions
  stay taxable) (:func:`hawaii_employee_money_only`); not known elsewhere (an account with
  employer or rolled-in money: how much of the payment is the employer's is not an input);
- ``survivor_distributions``, ``deceased_age``: an inherited account's payment to the surviving
  spouse or a child of the deceased (``beneficiary.relationship``) is received as a survivor,
  the deceased's age the one it would have reached at the end of the tax year
  (:func:`survivor_birth_years`); another individual heir's is not known (a mother or father
  counts for Iowa, a sibling does not); nothing else is.

The distribution is the person's; the rest of the year's income is the case's ``income``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.annuity import JOINT, LIFE, PERIOD, SERIES_ROUTES
from dist401k.batch import CaseBatch
from dist401k.case import PLAN_TYPES, Relationship
from dist401k.dates import year_of
from dist401k.early_distribution import SECURE2_ROUTES
from dist401k.explain import catalogue_order
from dist401k.money import HALF_CENT, dollars_text
from dist401k.routes.base import IRA_ROUTES
from dist401k.routes.beneficiary import ELECT, REL, estate_heir, paid_from_ira
from dist401k.routes.common import Facts, age_reached
from dist401k.sources import AFTER_TAX, INDEX, SALARY_REDUCTION
from dist401k.tax.state import StateUnits, state_tax
from dist401k.tax.state.mississippi import ira_distribution_exempt as mississippi_ira_exempt
from dist401k.tax.state.pennsylvania import ira_distribution_exempt
from dist401k.tax.state.units import INCOME_KINDS, maryland_county_places
from dist401k.tax.state.with_federal import FEDERAL_BASE, federal_figures

#: Routes excepted from the 10% tax by an exception SECURE 2.0 added (IRC §72(t)(2)(I), (K),
#: (M), (N); §72(t)(2)(H), birth or adoption, came with the SECURE Act of 2019).
SECURE2_ADDED = tuple(r for r in SECURE2_ROUTES if r != "birth_adoption")
#: Exceptions older than SECURE 2.0 (a state that conforms to an earlier Code keeps them).
OLDER_EXCEPTIONS = ("PX_AGE_59_HALF", "PX_DISABILITY", "PX_SEPARATION_55", "PX_PUBLIC_SAFETY",
                    "PX_DEATH")
#: Reasons of a state that taxed a payment made before the plan's retirement conditions were
#: met (law/reasons/state.yaml): where the case left plan.retirement_age out, a note says so.
RETIREMENT_CONDITION_CODES = ("STATE_PA_EARLY_TAXABLE", "STATE_PA_COST_RECOVERY",
                              "STATE_MS_PREMATURE_TAXABLE")
#: The state whose recovery of the contributions it already taxed is modelled (cost recovery).
COST_RECOVERY_STATE = "PA"
#: The states that judge a payment from an IRA by the IRA's own condition, not the plan's:
#: each one's reason for a payment exempt as paid after retirement, and the rule's parameter.
IRA_CONDITION_STATES = {
    "PA": ("STATE_PA_RETIREMENT_EXEMPT", "state.pa.retirement_benefits_exempt"),
    "MS": ("STATE_MS_RETIREMENT_EXEMPT", "state.ms.retirement_income_exempt")}
#: The states whose rule reads a payment from an IRA as ``ira_distributions``, the owner's age
#: judged on the request date (:meth:`StateTaxOf._ira_payment`): the rule's age parameter, and
#: whether an heir's payment on the owner's death stays a plan's (Arkansas exempts it at any
#: age, Ark. Code Ann. §26-51-307(a)(2)(B)); Michigan's is an IRA's, judged by the heir's own
#: age as at the tax door (Treasury lets only a surviving spouse subtract it).
IRA_AGE_STATES = {"AR": ("state.ar.ira_benefits_age", True),
                  "MI": ("state.mi.ira_benefits_age", False)}
#: The "route" of a backdoor Roth conversion's taxable part (:mod:`dist401k.compare_backdoor`):
#: paid from the traditional IRAs.
IRA_CONVERSION = "ira_conversion"
#: The period a series must pass to be periodic payments ("over a period of time greater than
#: one year", 1 CCR 201-2, Rule 39-22-104(4)(f)(1)(b)).
PERIODIC_YEARS = "state.co.periodic_payments_more_than_years"
#: New York's exclusion age (Tax Law §612(c)(3-a)), judged on the request date.
NY_EXCLUSION_AGE = "state.ny.pension_exclusion_age"


def periodic_series(kind, years, more_than) -> np.ndarray:
    """Where a series of ``kind`` (the index in SERIES) is one of periodic payments: for life
    or joint lives, or a period (``years``) longer than ``more_than`` years (a series of
    amounts "paid at regular intervals ... over a period of time greater than one year", Rule
    39-22-104(4)(f)(1)(b))."""
    kind = np.asarray(kind)
    years = np.nan_to_num(np.asarray(years, float))
    return np.isin(kind, (LIFE, JOINT)) | ((kind == PERIOD) & (years > more_than))


@dataclass
class StateIncrease:
    """What a payment adds in state tax, over the whole batch (NaN where no state is given or
    the state is not covered)."""

    income_tax_increase: np.ndarray
    additional_tax: np.ndarray
    covered: np.ndarray
    reasons: dict[str, np.ndarray]

    @property
    def cost(self) -> np.ndarray:
        """Both state taxes where the state is covered; zero elsewhere (no state, or unknown)."""
        return np.where(self.covered, self.income_tax_increase + self.additional_tax, 0.0)


def secure2_only(exc: dict[str, np.ndarray], route: str) -> np.ndarray:
    """Cases whose payment by ``route`` escapes the 10% tax only by an exception SECURE 2.0
    added (the route's own, or terminal illness, §72(t)(2)(L))."""
    added = exc["PX_TERMINAL"] | np.full(exc["PX_TERMINAL"].shape, route in SECURE2_ADDED)
    return added & ~np.logical_or.reduce([exc[k] for k in OLDER_EXCEPTIONS])


def retirement_conditions_met(b: CaseBatch, f: Facts) -> np.ndarray:
    """Separated from the sponsor at or over the plan's retirement age (59½ where not given)."""
    given = ~np.isnan(b.plan_retirement_age)
    return f.separated & np.where(given, age_reached(b, b.plan_retirement_age), f.at_59_half)


def heir_on_death(b: CaseBatch) -> np.ndarray:
    """Cases paid from an inherited account because of the owner's death: every heir but a
    surviving spouse who made the account their own (``spouse_election: own``)."""
    own = (np.asarray(b.relationship) == REL["spouse"]) & (
        np.asarray(b.spouse_election) == ELECT["own"])
    return np.asarray(b.inherited, bool) & ~own


def payment_kind(route: str | None, from_ira, on_death) -> tuple[np.ndarray, np.ndarray]:
    """Where ``route``'s payment is an IRA's (the ``roth_ira`` route, :data:`IRA_CONVERSION`,
    the beneficiary route where paid from an IRA), and where it is paid to an heir because of
    the owner's death (the beneficiary route, ``on_death``)."""
    shape = np.shape(from_ira)
    ira = np.full(shape, route in IRA_ROUTES or route == IRA_CONVERSION)
    if route == "beneficiary":
        return ira | np.asarray(from_ira, bool), np.asarray(on_death, bool)
    return ira, np.zeros(shape, bool)


def pennsylvania_payment_conditions(route: str | None, plan_met, at_59_half, from_ira,
                                    on_death) -> np.ndarray:
    """Whether Pennsylvania's conditions are met for the payment of ``route``: an IRA's (the
    ``roth_ira`` route, :data:`IRA_CONVERSION`, the beneficiary route where paid from an IRA)
    by the IRA's own, 59½ (``at_59_half``) or paid on the owner's death
    (:func:`dist401k.tax.state.pennsylvania.ira_distribution_exempt`); an heir's from an
    inherited employer plan, paid because of the death, exempt as well (PA-40 instructions,
    Form 1099-R code 4: a distribution due to death is not taxable); every other payment by
    the plan's conditions (``plan_met``: 72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8))."""
    ira, death = payment_kind(route, from_ira, on_death)
    return np.where(ira | death, ira_distribution_exempt(at_59_half, death),
                    np.asarray(plan_met, bool))


def mississippi_payment_conditions(route: str | None, plan_met, at_59_half, from_ira, on_death,
                                   disabled) -> np.ndarray:
    """Whether Mississippi's requirements are met for the payment of ``route``: an IRA's (the
    ``roth_ira`` route, :data:`IRA_CONVERSION`, the beneficiary route where paid from an IRA)
    not an early distribution — 59½ (``at_59_half``), paid on the owner's death (``on_death``)
    or ``disabled`` (:func:`dist401k.tax.state.mississippi.ira_distribution_exempt`; 35 Miss.
    Admin. Code Pt. 3, Subpt. 02, Ch. 07, ¶¶101, 104); every other payment, an inherited
    employer plan's too, by the plan's requirements for retirement (``plan_met``: Miss. Code
    Ann. §27-7-15(4)(l))."""
    ira, death = payment_kind(route, from_ira, on_death)
    return np.where(ira, mississippi_ira_exempt(at_59_half, death, disabled),
                    np.asarray(plan_met, bool))


def mississippi_ira_reasons(reasons: dict, ms, ira, paid) -> dict:
    """Mississippi's reasons for a payment from an IRA (``ira``; ``ms``: the Mississippi
    residents): the IRA's exemption (``STATE_MS_IRA_EXEMPT``) or its early payment taxed
    (``STATE_MS_IRA_PREMATURE_TAXABLE``) in place of the plan's reasons, none where nothing
    of it is taxable (``paid``: where something is)."""
    own = np.asarray(ms, bool) & np.asarray(ira, bool)
    if not own.any():
        return reasons
    none = np.zeros(own.shape, bool)
    plan_codes = ("STATE_MS_RETIREMENT_EXEMPT", "STATE_MS_PREMATURE_TAXABLE")
    exempt, early = (reasons.get(k, none) for k in plan_codes)
    out = {k: v & ~own if k in plan_codes else v for k, v in reasons.items()}
    own = own & np.asarray(paid, bool)
    return {**out, "STATE_MS_IRA_EXEMPT": exempt & own,
            "STATE_MS_IRA_PREMATURE_TAXABLE": early & own}


def pennsylvania_ira_reasons(reasons: dict, pa, ira, death, paid) -> dict:
    """Pennsylvania's reasons for a payment judged by the IRA's condition or paid on a death
    (``ira``, ``death``; ``pa``: the Pennsylvania residents): the IRA's exemption at 59½
    (``STATE_PA_IRA_EXEMPT``), the heir's (``STATE_PA_DEATH_EXEMPT``) or the IRA's early
    payment taxed (``STATE_PA_IRA_EARLY_TAXABLE``) in place of the plan's reasons, none where
    nothing of it is taxable (``paid``: where something is)."""
    own = np.asarray(pa, bool) & (ira | death)
    if not own.any():
        return reasons
    none = np.zeros(own.shape, bool)
    exempt = reasons.get("STATE_PA_RETIREMENT_EXEMPT", none)
    early = reasons.get("STATE_PA_EARLY_TAXABLE", none) | reasons.get("STATE_PA_COST_RECOVERY",
                                                                       none)
    out = {k: v & ~own if k in ("STATE_PA_RETIREMENT_EXEMPT", "STATE_PA_EARLY_TAXABLE",
                                "STATE_PA_COST_RECOVERY") else v for k, v in reasons.items()}
    own = own & np.asarray(paid, bool)
    return {**out, "STATE_PA_IRA_EXEMPT": exempt & own & ~death,
            "STATE_PA_DEATH_EXEMPT": exempt & own & death,
            "STATE_PA_IRA_EARLY_TAXABLE": early & own}


def plan_money(route: str | None, from_ira) -> np.ndarray:
    """Cases whose payment of ``route`` is the plan's money (where the contributions a state
    already taxed, ``account.state_taxed_contributions``, are): not an IRA's."""
    if route == "beneficiary":
        return ~np.asarray(from_ira, bool)
    return np.full(np.shape(from_ira), route not in IRA_ROUTES and route != IRA_CONVERSION)


def pennsylvania_recovered(state, conditions_met, basis, this_year) -> np.ndarray:
    """The part of a payment's taxable amount (``this_year``) that returns the contributions
    Pennsylvania already taxed (``basis``): all of it up to them where the resident is paid
    before the plan's retirement conditions are met (cost recovery, PA-40 instructions line 5;
    61 Pa. Code §101.6(c)(8)); none elsewhere."""
    early = (np.asarray(state) == COST_RECOVERY_STATE) & ~np.asarray(conditions_met, bool)
    return np.where(early, np.clip(np.minimum(this_year, basis), 0.0, None), 0.0)


def basis_reasons(state, basis, recovered, this_year, taxed) -> dict[str, np.ndarray]:
    """How much of the contributions the state already taxed a payment recovered: all of its
    taxable part (``STATE_PA_BASIS_COVERS_PAYMENT``) or all of those given, the rest taxed
    (``STATE_PA_BASIS_USED_UP``); where another state ``taxed`` the payment, that the
    contributions given were not applied (``STATE_BASIS_NOT_APPLIED``)."""
    some = recovered > HALF_CENT
    other = (np.asarray(state) != COST_RECOVERY_STATE) & (basis > HALF_CENT)
    return {"STATE_PA_BASIS_COVERS_PAYMENT": some & (recovered >= this_year - HALF_CENT),
            "STATE_PA_BASIS_USED_UP": some & (recovered < this_year - HALF_CENT),
            "STATE_BASIS_NOT_APPLIED": other & (this_year > HALF_CENT) & taxed}


#: The plans whose employee deferrals New Jersey taxed when made (N.J.A.C. 18:35-2.5(a)).
NJ_TAXED_DEFERRAL_PLANS = ("403b_annuity", "403b7", "governmental_457b")


def new_jersey_taxed_deferrals(b: CaseBatch) -> np.ndarray:
    """New Jersey residents whose plan (a 403(b) or governmental 457(b)) holds elective
    deferrals New Jersey taxed when they were made (N.J.A.C. 18:35-2.5(a))."""
    kinds = [PLAN_TYPES.index(t) for t in NJ_TAXED_DEFERRAL_PLANS]
    deferrals = np.asarray(b.balance)[:, INDEX["elective_deferral"]] > HALF_CENT
    return (np.asarray(b.state) == "NJ") & np.isin(np.asarray(b.plan_type), kinds) & deferrals


#: The employee's own money (elective and designated Roth deferrals, after-tax contributions):
#: no part of a payment of it is attributable to employer contributions (HRS §235-7(a)(3)).
EMPLOYEE_MONEY = SALARY_REDUCTION | AFTER_TAX


def hawaii_employee_money_only(b: CaseBatch) -> np.ndarray:
    """Hawaii residents whose plan account holds only the employee's own money
    (:data:`EMPLOYEE_MONEY`): a payment of the plan's money has no employer part (HRS
    §235-7(a)(3); HAR §18-235-7-03; Announcement No. 98-2: elective 401(k) contributions are
    taxable)."""
    others = np.asarray(b.balance, float)[:, ~EMPLOYEE_MONEY]
    return (np.asarray(b.state) == "HI") & np.all(others <= HALF_CENT, axis=1)


def survivor_birth_years(b: CaseBatch) -> np.ndarray:
    """The deceased's birth year where the case's person is paid from an inherited account as
    the deceased's surviving spouse or child — a survivor with an insurable interest (Iowa Code
    §422.7(31); the Department's guidance: a son, daughter, mother or father) —; NaN elsewhere."""
    rel = np.asarray(b.relationship)
    heir = np.asarray(b.inherited, bool) & np.isin(rel, (Relationship.SPOUSE, Relationship.CHILD))
    born = np.asarray(b.deceased_birth_date)
    known = heir & ~np.isnat(born) if born.dtype.kind == "M" else heir
    return np.where(known, year_of(np.where(known, born, np.datetime64("2000-01-01"))), np.nan)


def _survivor_columns(b: CaseBatch, years) -> dict[str, np.ndarray]:
    """``survivor_distributions`` before the payment (a survivor's other distributions are
    taken as the person's own: zero; an individual heir not a spouse or child: not known) and
    ``deceased_age`` at the end of each tax year."""
    born = survivor_birth_years(b)
    other_heir = np.asarray(b.inherited, bool) & np.isin(
        np.asarray(b.relationship), (Relationship.INDIVIDUAL,))
    return {"survivor_distributions": np.where(other_heir, np.nan, 0.0),
            "deceased_age": np.asarray(years, float) - born}


class StateTaxOf:
    """The state tax engine for the cases of a batch that give a state: the tax without the
    payment once, then with each payment."""

    def __init__(self, b: CaseBatch, f: Facts, units, base: dict, lookup):
        self.n, self.law = len(b), f.law
        self.at = np.flatnonzero(np.asarray(b.state) != "")
        # An estate's state tax (on a fiduciary return) is not figured: unknown, not an individual's.
        self.estate = estate_heir(b)
        self.survivor = ~np.isnan(survivor_birth_years(b))
        if not self.at.size:
            return
        at = self.at
        self.lookup = lookup.subset(at)
        self.basis = np.asarray(b.state_taxed_contributions, float)[at]
        self.pa = np.asarray(b.state)[at] == "PA"
        self.ms = np.asarray(b.state)[at] == "MS"
        self.ar = np.asarray(b.state)[at] == "AR"
        self.nj_taxed = new_jersey_taxed_deferrals(b)[at]
        self.disabled = np.asarray(b.disabled, bool)[at]
        self.at_59_half = np.asarray(f.at_59_half, bool)[at]
        self.from_ira = np.asarray(paid_from_ira(b), bool)[at]
        self.on_death = heir_on_death(b)[at]
        # Michigan: an inherited Roth IRA, and an heir's payment on a death to other than the spouse.
        self.roth_ira_heir = (np.asarray(b.inherited_roth, bool) & paid_from_ira(b))[at]
        self.other_heir = (heir_on_death(b) & (np.asarray(b.relationship) != REL["spouse"]))[at]
        self.hi_employee_money = hawaii_employee_money_only(b)[at]
        self.series = periodic_series(np.asarray(b.series)[at], np.asarray(b.series_years, float)[at],
                                      np.asarray(self.lookup.get(PERIODIC_YEARS, before=np.inf), float))
        ny_age = np.asarray(lookup.get(NY_EXCLUSION_AGE, before=0), float)
        self.ny_age_reached = np.broadcast_to(age_reached(b, ny_age), (self.n,))[at]
        z = np.zeros(at.size)
        federal = {k: v[at] for k, v in federal_figures(base).items()}
        self.units = StateUnits(
            state=np.asarray(b.state)[at].astype("<U2"), tax_year=units.tax_year[at],
            filing_status=units.filing_status[at], age_head=units.age_head[at],
            age_spouse=units.age_spouse[at], federal_agi=base["agi"][at], wages=b.wages[at],
            taxable_distributions=units.taxable_distributions[at], early_distributions=z,
            secure2_excepted_distributions=z, state_basis_recovered=z,
            social_security=b.social_security[at],
            taxable_social_security=base["taxable_social_security"][at],
            plan_retirement_conditions_met=retirement_conditions_met(b, f)[at],
            governmental_plan=np.asarray(b.governmental, bool)[at],
            periodic_payments=np.zeros(at.size, bool),
            **{k: federal[k] for k in FEDERAL_BASE},
            tax_exempt_interest=np.asarray(b.tax_exempt_interest, float)[at],
            new_york_city_resident=(np.asarray(b.new_york_city, bool)[at]
                                    & (np.asarray(b.state)[at] == "NY")),
            yonkers_resident=(np.asarray(b.yonkers, bool)[at] & (np.asarray(b.state)[at] == "NY")),
            maryland_county=np.where(np.asarray(b.state)[at] == "MD", maryland_county_places(
                f.law, np.asarray(b.maryland_county, dtype=object)[at]), -1),
            **{k: np.asarray(getattr(units, k), float)[at] for k in INCOME_KINDS},
            disabled=np.asarray(b.disabled, float)[at],
            **{k: v[at] for k, v in _survivor_columns(b, units.tax_year).items()})
        self.base = state_tax(self.units, f.law, self.lookup)

    @property
    def any(self) -> bool:
        return bool(self.at.size)

    def payment_conditions(self, route: str | None) -> np.ndarray:
        """(cases with a state,) the retirement conditions of ``route``'s payment: a
        Pennsylvania or Mississippi resident's by its own money
        (:func:`pennsylvania_payment_conditions`, :func:`mississippi_payment_conditions`),
        elsewhere the plan's."""
        plan_met = self.units.plan_retirement_conditions_met
        pa = pennsylvania_payment_conditions(route, plan_met, self.at_59_half, self.from_ira,
                                             self.on_death)
        ms = mississippi_payment_conditions(route, plan_met, self.at_59_half, self.from_ira,
                                            self.on_death, self.disabled)
        return np.where(self.pa, pa, np.where(self.ms, ms, plan_met))

    def _with_payment(self, pick, met, recovered) -> tuple[StateUnits, np.ndarray]:
        """The units with the payment (``pick``: its figures, :meth:`increase`), and where
        the payment is exempt while the year's other distributions are not.  Where the
        payment's conditions (``met``) and the others' differ, the exempt part leaves the
        distributions and federal AGI and the rest is taxed as paid before retirement (as
        the drawdown planner splits a year's, :mod:`dist401k.planner.state_tax`)."""
        u = self.units
        others, paid = u.taxable_distributions, pick[0]
        split = met != u.plan_retirement_conditions_met
        exempt, taxed = split & met, split & ~met
        gone = np.where(exempt, paid, np.where(taxed, others, 0.0))
        td = others + paid - gone
        more = StateUnits(**{
            **u.__dict__, "taxable_distributions": td,
            "federal_agi": pick[1] - gone, "taxable_social_security": pick[2],
            "early_distributions": np.where(split, np.minimum(pick[3], td), pick[3]),
            "secure2_excepted_distributions": np.where(split, np.minimum(pick[4], td), pick[4]),
            "federal_taxable_income": pick[5], "federal_standard_deduction": pick[6],
            "federal_income_tax": pick[7], "federal_net_investment_income_tax": pick[8],
            "state_basis_recovered": recovered,
            "plan_retirement_conditions_met": u.plan_retirement_conditions_met & ~split,
            "survivor_distributions": u.survivor_distributions + np.where(
                self.survivor[self.at], paid, 0.0)})
        return more, exempt & (paid > HALF_CENT)

    def _michigan_outside(self, route: str | None, pick) -> tuple[np.ndarray, np.ndarray]:
        """(cases with a state) Michigan residents whose payment is no retirement or pension
        benefit at any age (MCL 206.30(1)(f), (8)): a Roth IRA's (the ``roth_ira`` route, an
        inherited Roth IRA; Treasury, Qualified Pension Distribution Requirements, Individual
        Plans: "Distributions from a Roth IRA are not included in AGI and are not subtractable on
        the Michigan return"; Treasury's answer "Is a distribution from a Roth IRA an allowable
        subtraction? No."; its taxable part is "subject to Michigan tax"), and an heir's paid on
        the owner's death to other than the surviving spouse (the same page: "Distributions
        after the death of the participant may only be subtracted by a surviving spouse"; the
        overview: an employer plan's payment "must be made to either the employee or the
        surviving spouse").  Returns the Roth IRA's and the heir's masks."""
        mi = (np.asarray(self.units.state) == "MI") & (pick[0] > HALF_CENT)
        heir = route == "beneficiary"
        roth = mi & ((route == "roth_ira") | (heir & self.roth_ira_heir))
        return roth, mi & heir & self.other_heir & ~roth

    @staticmethod
    def _leave_out(more: StateUnits, out, pick) -> None:
        """The payment (``pick``) left out of ``more``'s distributions where ``out``: taxed in
        federal AGI as any income, with no retirement or pension benefit to subtract."""
        more.taxable_distributions = np.where(out, more.taxable_distributions - pick[0],
                                              more.taxable_distributions)
        more.early_distributions = np.where(out, np.maximum(
            0.0, more.early_distributions - np.minimum(pick[3], pick[0])), more.early_distributions)

    def _ira_payment(self, more: StateUnits, route: str | None, pick, outside) -> None:
        """Arkansas and Michigan (:data:`IRA_AGE_STATES`): a payment from an IRA
        (:func:`payment_kind`) is ``more``'s ``ira_distributions`` and its part under the §72(t)
        tax its ``ira_early_distributions``; the owner's age is judged on the request date, 59½
        reached (``at_59_half``) or not.  Arkansas's exemption takes an IRA's benefits
        "received ... after reaching" 59½ (Ark. Code Ann. §26-51-307(a)(2);
        ``state.ar.ira_benefits_age``), an heir's on the owner's death staying a plan's, exempt at
        any age; Michigan's retirement or pension benefits take an IRA's distribution not made
        before 59½ but on death, disability or a §72(t)(2)(A)(iv) series (MCL 206.30(8)(a)(ii);
        ``state.mi.ira_benefits_age``), and all of it counts as employer money
        (``employer_attributable_distributions``); judged on the request date, a Michigan
        payment before 59½ not on disability (a case's payment is never one of a series) fails
        that test whole, whatever federal exception (medical expenses, a first home …) spares it
        the §72(t) tax: all of it is given as its ``ira_early_distributions`` (Treasury's
        Individual Plans page lists only 59½, disability, death and the §72(t)(2)(A)(iv)
        series).  A Michigan payment that is no benefit at any age (``outside``,
        :meth:`_michigan_outside`) is left out."""
        ira, death = payment_kind(route, self.from_ira, self.on_death)
        state = np.asarray(more.state)
        for code, (name, death_as_plan) in IRA_AGE_STATES.items():
            age = np.asarray(self.lookup.get(name, before=0), float)
            mine = ((state == code) & ira & ~(death & death_as_plan) & (pick[0] > HALF_CENT)
                    & (age > 0))
            if not mine.any():
                continue
            whole = np.zeros(mine.shape, bool)
            if code == "MI":
                mine = mine & ~outside
                whole = mine & ~self.at_59_half & ~self.disabled
                more.early_distributions = np.where(
                    whole, np.maximum(more.early_distributions, pick[0]), more.early_distributions)
                others = more.taxable_distributions - pick[0]
                known = np.where(others <= HALF_CENT, 0.0, more.employer_attributable_distributions)
                more.employer_attributable_distributions = np.where(
                    mine, known + pick[0], more.employer_attributable_distributions)
            more.ira_distributions = np.where(mine, pick[0], more.ira_distributions)
            early = np.where(whole, pick[0], np.minimum(pick[3], pick[0]))
            more.ira_early_distributions = np.where(mine, early, more.ira_early_distributions)
            judged = np.where(self.at_59_half, np.maximum(more.age_head, age),
                              np.minimum(more.age_head, np.nextafter(age, 0.0)))
            more.age_head = np.where(mine, judged, more.age_head)

    def _periodic(self, more: StateUnits, series, pick, met) -> None:
        """A payment of a series (``series``: :func:`periodic_series`, by a series route) is
        one of periodic payments: ``more``'s ``periodic_payments`` where it is the year's only
        distribution, or for a Colorado resident paid before the payment's retirement
        conditions (``met``) are met (Colorado then does not know whether the person retired:
        not covered); elsewhere its part spared the §72(t) tax (``pick[3]`` the part under it)
        is ``periodic_distributions``, the periodic part beside the year's other distributions
        (of a kind not given: a lump sum)."""
        u = self.units
        series = np.asarray(series, bool) & (pick[0] > HALF_CENT)
        co = np.asarray(u.state) == "CO"
        whole = series & ((u.taxable_distributions <= HALF_CENT) | (co & ~np.asarray(met, bool)))
        part = series & ~whole
        more.periodic_payments = np.asarray(u.periodic_payments, bool) | whole
        more.periodic_distributions = u.periodic_distributions + np.where(
            part, np.maximum(0.0, pick[0] - np.minimum(pick[3], pick[0])), 0.0)

    def _new_york_age(self, more: StateUnits, pick) -> None:
        """New York's exclusion takes only what is received after 59½ (Tax Law §612(c)(3-a):
        "received by an individual who has attained the age of fifty-nine and one-half"; IT-201
        instructions, line 29: "If you became 59½ during [the year], enter only the amount
        received after you became 59½"): a New York resident's payment, whatever its source, is
        judged by the age on the request date, not the return's whole age at the year's end —
        ``more``'s age is 59½ at least where it is reached by then, under it where not.  The
        year's other distributions are of no kind the exclusion reaches (a lump sum), so the
        age moves the payment's exclusion alone."""
        ny = (np.asarray(more.state) == "NY") & (pick[0] > HALF_CENT)
        if not ny.any():
            return
        age = np.asarray(self.lookup.get(NY_EXCLUSION_AGE, before=0), float)
        judged = np.where(self.ny_age_reached, np.maximum(more.age_head, age),
                          np.minimum(more.age_head, np.nextafter(age, 0.0)))
        more.age_head = np.where(ny, judged, more.age_head)

    def _exempt_reasons(self, reasons: dict, exempt) -> dict:
        """Pennsylvania's or Mississippi's reasons where the payment is exempt though the
        year's other distributions are taxed: the payment's (exempt), not theirs."""
        if not exempt.any():
            return reasons
        out = {k: v & ~exempt if k in RETIREMENT_CONDITION_CODES else v
               for k, v in reasons.items()}
        for state, (code, name) in IRA_CONDITION_STATES.items():
            mine = exempt & (np.asarray(self.units.state) == state)
            if mine.any():
                rule = np.asarray(self.lookup.get(name, before=0)) > 0
                out[code] = out.get(code, np.zeros(exempt.shape, bool)) | (mine & rule)
        return out

    def increase(self, this_year, federal_with, early, secure2_excepted,
                 route: str | None = None, periodic=None) -> StateIncrease:
        """The state tax added by ``this_year`` taxable (``federal_with``: the federal
        figures with it, :class:`dist401k.outcome.TaxWith`), of which ``early`` is under the
        federal 10% tax and ``secure2_excepted`` spared it only by a SECURE 2.0 exception;
        ``route``: the route that pays it (:meth:`payment_conditions`; None: a plan's);
        ``periodic``: whether it is one of periodic payments (None: where the case's request is
        a periodic series, :func:`periodic_series`, and ``route`` pays it)."""
        n, at = self.n, self.at
        income, additional = np.full(n, np.nan), np.full(n, np.nan)
        covered = np.zeros(n, bool)
        if not at.size:
            return StateIncrease(income, additional, covered, {})
        u = self.units
        pick = [np.broadcast_to(np.asarray(x, float), (n,))[at] for x in (
            this_year, federal_with.agi, federal_with.taxable_social_security, early,
            secure2_excepted, federal_with.taxable_income, federal_with.standard_deduction,
            federal_with.income_tax, federal_with.niit)]
        met = self.payment_conditions(route)
        basis = np.where(plan_money(route, self.from_ira), self.basis, 0.0)
        recovered = pennsylvania_recovered(u.state, met, basis, pick[0])
        # New Jersey's own recovery (three-year rule, General Rule) is not modelled: a 403(b) or
        # governmental 457(b) payment of a plan's money returns some, how much not known.
        recovered = np.where(self.nj_taxed & plan_money(route, self.from_ira), np.nan, recovered)
        with_payment, exempt = self._with_payment(pick, met, recovered)
        series = (np.broadcast_to(np.asarray(periodic, bool), (n,))[at] if periodic is not None
                  else self.series & (route in SERIES_ROUTES))
        self._periodic(with_payment, series, pick, met)
        self._new_york_age(with_payment, pick)
        # Hawaii: a plan's payment of the employee's own money, the year's only distribution,
        # has no employer part.
        none_employer = (self.hi_employee_money & plan_money(route, self.from_ira)
                         & (u.taxable_distributions <= HALF_CENT))
        with_payment.employer_attributable_distributions = np.where(
            none_employer, 0.0, with_payment.employer_attributable_distributions)
        roth, heir = self._michigan_outside(route, pick)
        self._leave_out(with_payment, roth | heir, pick)
        self._ira_payment(with_payment, route, pick, roth | heir)
        more = state_tax(with_payment, self.law, self.lookup)
        ok = more["state_covered"] & self.base["state_covered"] & ~self.estate[at]
        income[at] = np.where(ok, more["state_income_tax"] - self.base["state_income_tax"], np.nan)
        additional[at] = np.where(ok, more["state_additional_tax"], np.nan)
        covered[at] = ok
        reasons = {}
        taxed = ok & (more["state_income_tax"] - self.base["state_income_tax"] > HALF_CENT)
        kind, paid = payment_kind(route, self.from_ira, self.on_death), pick[0] > HALF_CENT
        merged = mississippi_ira_reasons(pennsylvania_ira_reasons(
            self._exempt_reasons(more["reasons"], exempt), self.pa, *kind, paid),
            self.ms, kind[0], paid) | basis_reasons(u.state, basis, recovered, pick[0], taxed) | {
            "STATE_MI_ROTH_IRA_NOT_SUBTRACTABLE": ok & roth, "STATE_MI_HEIR_NOT_SUBTRACTABLE": ok & heir}
        order = catalogue_order()  # the one order of reasons (tax.state.engine)
        for key, mask in sorted(merged.items(), key=lambda kv: order[kv[0]]):
            reasons[key] = np.zeros(n, bool)
            reasons[key][at] = mask
        return StateIncrease(income, additional, covered, reasons)


def state_withheld_shown(row: dict) -> str:
    """A table's "state withheld" cell: the state's withholding beside the federal, "unknown"
    where the state's withholding rule is not modelled or its amount not figured
    (docs/state.md); whole dollars, half away from zero (money.dollars_text)."""
    if "state_withholding" not in row:  # no payment (leave it): nothing withheld
        return "0"
    v = row["state_withholding"]
    return "unknown" if v is None else dollars_text(v)


def state_tax_shown(row: dict, income: str = "state_income_tax_increase",
                    additional: str = "state_additional_tax") -> str:
    """A table's "state tax" cell: the state's income and additional tax together, added to the
    cent and then rounded to whole dollars (money.dollars_text), "not covered" where the state's
    figures are unknown."""
    if not row.get("state_covered", True) or row.get(income) is None:
        return "not covered"
    return dollars_text((row.get(income) or 0.0) + (row.get(additional) or 0.0))
