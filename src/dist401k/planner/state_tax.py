"""The state income tax of a drawdown plan (docs/plan.md, "State income tax").

The household lives in ``state`` and, from a move's year, in the move's state (a move is
planned as made on January 1 of its year).  Each year's state tax is the state engine's
(:func:`dist401k.tax.state.state_tax`) on units built from that year's federal return: federal
AGI and taxable Social Security from the federal computation of the same income, the pre-tax
money paid out and converted and the pension as the distribution.  A state the engine does
not cover, or a year it cannot figure (a rule that turns on a fact the plan does not have),
stops the plan with a one-line error naming ``state`` (or ``move.state``): a plan without the
state's tax would be wrong.

The linear programme needs the tax as a convex function of its choices.  For each year the
exact tax is sampled along the taxable distribution (one batch of units for every year and
point), with the year's other income at the last solution's; its lower convex hull enters the
programme as an epigraph, like the federal brackets.  Where the state's tax is convex in the
distribution — a rate schedule on federal AGI less exclusions and a deduction — the hull is the
tax itself.  Where it is not (an exclusion lost above an income limit), the gap between the
tax and its hull at the last solution is carried into the next pass as a fixed cost of the
year, and the year's other income (interest, dividends, gains) is priced at its marginal rate
there: the re-solve loop's linearisation, as for IRMAA.  Every plan is then priced by the
exact simulator.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from dist401k.errors import FieldProblem, InputError
from dist401k.explain import reason
from dist401k.law.filing_status import MARRIED_JOINT
from dist401k.law.loader import Law, Lookup, default_law
from dist401k.money import HALF_CENT, cents
from dist401k.planner.household import Household
from dist401k.tax.federal import federal_tax
from dist401k.tax.state import state_tax
from dist401k.tax.state.common import retirement_taxable_unless_retired
from dist401k.tax.state.units import INCOME_KINDS, SPOUSE_PART_OF, StateUnits, maryland_county_places
from dist401k.tax.state.with_federal import FEDERAL_BASE, federal_figures
from dist401k.tax.units import TaxUnits

#: Points at which each year's state tax is sampled along the distribution (a numerical
#: setting: the hull's resolution), spaced by the square of an even step so that low incomes,
#: where brackets are narrow, are sampled finely.
SAMPLES = 48
#: Dollars added to the year's interest to find the marginal state rate of other income.
OTHER_INCOME_STEP = 1000.0
#: Two hull segments whose slopes differ by less than this are one (a rounding of the engine).
SLOPE_TOLERANCE = 1e-6


def plan_states(hh: Household, years: np.ndarray) -> np.ndarray | None:
    """(T,) the state of residence of each year (USPS codes), or None: no state in the case."""
    if hh.state is None:
        return None
    return np.array([hh.state_in(int(y)) for y in years], dtype="<U2")


def state_field(hh: Household, code: str) -> str:
    """The field of the case that names ``code``: the move's state, or the state."""
    return "move.state" if hh.move is not None and code == hh.move.state else "state"


#: On a couple's joint return, the spouse's part of the other income: the interest, dividends
#: and gains of the household's taxable account and cash, held jointly (each spouse's half).
SPOUSE_SHARE_OF_JOINT_ACCOUNTS = 0.5


@dataclass(frozen=True)
class SpouseIncome:
    """On a couple's joint return, the spouse's own income, one value a unit: the second
    person's wages, Social Security and distributions (the second person's plans and IRAs paid
    out and converted, taxable part, and pension).  The first person is the return's head."""

    wages: np.ndarray | float
    social_security: np.ndarray | float
    distributions: np.ndarray | float
    #: the part of ``distributions`` that owes the §72(t) additional tax
    early: np.ndarray | float = 0.0
    #: the part of ``distributions`` paid from the second person's IRAs, and of that the part
    #: that owes the §72(t) additional tax
    ira: np.ndarray | float = 0.0
    ira_early: np.ndarray | float = 0.0
    #: the part of ``distributions`` that is the second person's pension (periodic payments)
    pension: np.ndarray | float = 0.0
    #: the second person's own other income (the case's ``other_income``), and both people's
    #: together: the rest of the return's other income is the joint accounts'
    other: np.ndarray | float = 0.0
    other_household: np.ndarray | float = 0.0
    #: of ``ira``, the part paid on a death (:meth:`PlanState.death_drawn`)
    ira_death: np.ndarray | float = 0.0
    #: of ``distributions``, the second person's draws from accounts inherited from someone
    #: other than a spouse, and of those the IRAs' (:meth:`PlanState.heir_drawn`)
    heir: np.ndarray | float = 0.0
    heir_ira: np.ndarray | float = 0.0


@dataclass(frozen=True)
class PaidFrom:
    """What of a return's distributions came from where, one value a unit (or one for all):
    the IRAs' part, of that the part owing the §72(t) tax, and the pensions' part; the rest
    is the plans' accounts', of which ``employer`` came from employer contributions."""

    ira: np.ndarray | float = 0.0
    ira_early: np.ndarray | float = 0.0
    pension: np.ndarray | float = 0.0
    #: of the plans' accounts' part, what came from employer contributions (NaN: not known)
    employer: np.ndarray | float = float("nan")
    #: of the IRAs' part, what was rolled over from employer contributions (NaN: not known)
    ira_employer: np.ndarray | float = float("nan")
    #: of the IRAs' part, what was paid on a death (:meth:`PlanState.death_drawn`: an inherited
    #: IRA's, a survivor's as the dead spouse's beneficiary)
    ira_death: np.ndarray | float = 0.0
    #: the draws from accounts inherited from someone other than a spouse, and of those the
    #: IRAs' (:meth:`PlanState.heir_drawn`; Michigan subtracts none of them)
    heir: np.ndarray | float = 0.0
    heir_ira: np.ndarray | float = 0.0



def per_unit(v, n: int) -> np.ndarray:
    """A value one a unit (or one for all) as an (n,) array."""
    return np.broadcast_to(np.asarray(v, float), (n,))


#: Where a state's reason for not figuring a year names a fact the plan file can give: how.
PLAN_INPUT = {
    "STATE_HI_EMPLOYER_PART_NOT_GIVEN": " In the plan: give each plan account's share from "
    "employer contributions (people[].accounts.employer_share) and the IRAs' share rolled "
    "over from them (people[].accounts.ira_employer_share).",
    "STATE_MI_QUALIFYING_PART_NOT_GIVEN": " In the plan: give each plan account's share from "
    "employer contributions (people[].accounts.employer_share).",
    "STATE_NJ_SPECIAL_EXCLUSION_NOT_MODELLED": " In the plan: no Social Security benefit is "
    "entered; set social_security_expected where each person will receive one (or Railroad "
    "Retirement benefits) all the same. The exclusion itself is not modelled.",
}

#: Words of the codes of the states' reasons for not figuring a governmental plan's
#: distribution (the payer or the plan not being an input).
GOVERNMENTAL_REASONS = ("PUBLIC_PENSION", "BAILEY", "TEACHERS_RETIREMENT")


#: Where a state's reason for not figuring a governmental plan's distribution turns, for a
#: pension marked governmental (``people[].pension.governmental``), on which government pays
#: it: the state's rule for such a pension, in words.
PENSION_RULE = {
    "STATE_NY_PUBLIC_PENSION_NOT_MODELLED": " New York subtracts it in full only where New "
    "York State, a New York locality or the federal government pays it (§612(c)(3)), otherwise "
    "at most the exclusion of §612(c)(3-a); which government pays it is not among the plan's "
    "inputs.",
}


def governmental_words(hh: Household, key: str = "") -> str:
    """The plan's fields that make its money a governmental plan's, for a refusal that turns
    on it (reason ``key``): a governmental 457(b)'s accounts as a governmental plan's
    distribution, and a pension marked governmental named as a pension, with the state's rule
    for one (:data:`PENSION_RULE`; New York Tax Law §612(c)(3), (3-a)) where it has one."""
    plans = [f"people.{i}.accounts.governmental_457b" for i, p in enumerate(hh.people)
             if p.accounts.governmental_457b]
    pensions = [f"people.{i}.pension.governmental" for i, p in enumerate(hh.people)
                if p.pension.governmental]
    words = ""
    if plans:
        words += (" In the plan: the year's distribution is a governmental plan's ("
                  + ", ".join(plans) + ").")
    if pensions:
        words += (" In the plan: the year's income includes a governmental pension ("
                  + ", ".join(pensions) + ")." + PENSION_RULE.get(key, ""))
    return words


#: New Jersey's reason for not figuring a payment that returns employee contributions it taxed
#: when they were made, the part returned not being known.
NJ_TAXED_CONTRIBUTIONS = "STATE_NJ_TAXED_CONTRIBUTIONS_NOT_FIGURED"


def nj_taxed_contributions(hh: Household) -> bool:
    """Someone's plan account holding pre-tax money is a governmental 457(b)
    (``accounts.governmental_457b``) or holds contributions the state already taxed
    (``accounts.state_taxed_contributions``: a 403(b)'s, a 457(b)'s, a 414(h) plan's): New Jersey
    taxed the employee contributions to it when they were made (N.J.A.C. 18:35-2.5(a); it
    defers only 401(k) contributions, N.J.S.A. 54A:6-21), so a payment from it returns some of
    them free of its tax, by its own rule (the three-year rule or the General Rule, NJ-1040
    instructions; GIT-1 & 2), which needs the payments' annuity figures the plan does not have."""
    return bool(_nj_fields(hh))


def _nj_fields(hh: Household) -> list[str]:
    """The fields that make a person's plan account hold contributions New Jersey taxed
    (:func:`nj_taxed_contributions`), named in the plan file's terms."""
    out = [f"people.{i}.accounts.governmental_457b" for i, p in enumerate(hh.people)
           if p.accounts.governmental_457b and p.accounts.pretax > 0]
    return out + _taxed_fields(hh)


def nj_payers(hh: Household, tl) -> np.ndarray:
    """(I, T) whether each person's own plan account (with its 72(t) series' part, not an
    account inherited) holds contributions New Jersey taxed (a governmental 457(b) or
    ``state_taxed_contributions``, :func:`nj_taxed_contributions`) and can pay that year: it
    holds money, its owner lives, and it pays out or converts — a plan account of an employer
    its owner still works for before 59½ pays nothing (``tl.pool_in_service``: IRC
    §401(k)(2)(B)(i), §403(b)(11), §457(d)(1)(A)) but may still convert, where its owner
    ``converts`` and the strategy makes conversions.  Only a draw that can come from such an
    account returns those contributions: a year whose plan money can come only from another
    person's plan account is figured (N.J.A.C. 18:35-2.5(a) reaches the contributions to that
    account alone)."""
    owner = np.asarray(tl.pool_owner)
    converts = np.asarray(tl.pool_converts, bool) & bool(hh.strategy.roth_conversions)
    payable = (np.asarray(tl.pool_plan, bool) & np.asarray(tl.pool_spousal, bool)
               & (np.asarray(tl.pool_balance) > 0))[:, None] & ~np.asarray(tl.pool_dead, bool)
    payable &= ~np.asarray(tl.pool_in_service, bool) | converts[:, None]
    out = np.zeros((len(hh.people), len(tl.years)), bool)
    for i, p in enumerate(hh.people):
        a = p.accounts
        if (a.governmental_457b or a.state_taxed_contributions > 0) and a.pretax > 0:
            out[i] = payable[owner == i].any(axis=0)
    return out


def _taxed_fields(hh: Household) -> list[str]:
    """``people.{i}.accounts.state_taxed_contributions`` of each person whose plan account
    (holding pre-tax money) holds contributions the state already taxed."""
    return [f"people.{i}.accounts.state_taxed_contributions" for i, p in enumerate(hh.people)
            if p.accounts.state_taxed_contributions > 0 and p.accounts.pretax > 0]


def nj_taxed_words(hh: Household) -> str:
    """The plan's fields that make a New Jersey year's draw return contributions New Jersey
    already taxed (:func:`nj_taxed_contributions`), for the refusal that turns on it."""
    clauses = []
    plans = [f for f in _nj_fields(hh) if f.endswith("governmental_457b")]
    if plans:
        clauses.append("a plan account is a governmental 457(b) (" + ", ".join(plans) + ")")
    if _taxed_fields(hh):
        clauses.append("a plan account holds employee contributions New Jersey already taxed ("
                       + ", ".join(_taxed_fields(hh)) + ")")
    return (" In the plan: the year draws from a plan account and " + " and ".join(clauses)
            + ", whose part returned is not worked here: no recovery schedule is assumed.")


#: The reason the case door gives a Pennsylvania payment made before the plan's conditions for
#: retirement are met that recovers contributions Pennsylvania already taxed (the cost recovery
#: method), the rule a Pennsylvania year of such a plan would need.
PA_COST_RECOVERY = "STATE_PA_COST_RECOVERY"
#: The state that recovers a plan's contributions it already taxed by the cost recovery method.
COST_RECOVERY_STATE = "PA"


def pa_taxed_contributions(hh: Household) -> bool:
    """Someone's plan account holds contributions Pennsylvania already taxed
    (``accounts.state_taxed_contributions``: its elective deferrals, which it does not exclude
    when made).  A payment before the plan's conditions for retirement are met recovers them
    first, the cost recovery method (PA-40 instructions, line 5; 61 Pa. Code §101.6(c)(8)):
    what is left of them in a year depends on every earlier early payment, which the plan's
    programme, pricing each year's state tax on that year's draw alone, cannot follow — such a
    year is not figured (:func:`_pa_untracked`)."""
    return bool(_taxed_fields(hh))


def pa_taxed_words(hh: Household) -> str:
    """The plan's fields that make a Pennsylvania year's early draw recover contributions
    Pennsylvania already taxed (:func:`pa_taxed_contributions`), for the refusal that turns on
    it."""
    return (" In the plan: Pennsylvania's tax not figured: the year draws from a plan account "
            "before the plan's conditions for retirement are met and a plan account holds "
            "contributions Pennsylvania already taxed (" + ", ".join(_taxed_fields(hh))
            + "), recovered first from such payments year after year, which the plan does not "
            "track: no recovery schedule is assumed.")


def pa_payers(hh: Household, tl) -> np.ndarray:
    """(I, T) whether the plan money each person draws in a year can recover contributions
    Pennsylvania already taxed (:func:`pa_taxed_contributions`): their own plan account holds
    them (``accounts.state_taxed_contributions``, pre-tax money in it) — and, for a survivor
    from the year after the first death, the dead spouse's did (the account rolled over as
    their own, IRC §402(c)(9)).  The recovery is of the contributions to the account paid
    (PA-40 instructions, line 5; 61 Pa. Code §101.6(c)(8)): a payment from the other spouse's
    account recovers none of them."""
    own = np.array([p.accounts.state_taxed_contributions > 0 and p.accounts.pretax > 0
                    for p in hh.people])
    out = np.repeat(own[:, None], len(tl.years), axis=1)
    if tl.survivor is not None and tl.death_year is not None:
        out[tl.survivor] |= (np.asarray(tl.years) > tl.death_year) & bool(own.any())
    return out


#: The words a state's reason for not figuring a unit's tax says it with.
NOT_FIGURED = "tax not figured"
#: The states that judge each person's IRA distributions by the IRA's own condition and their
#: employer plans' by the plan's (:func:`own_money_conditions`).
OWN_MONEY_STATES = ("PA", "MS")


def retired_by_person(tl) -> np.ndarray:
    """(I, T) whether each person's plan distributions of a year are paid after retirement
    having met the plan's conditions: no wages of their own that year, and none of the pre-tax
    money they hold (their own, or a spouse's after the rollover) owes the §72(t) tax then
    (the plan takes the 10% tax's exceptions for the plan's conditions).  A spouse's wages or
    age do not count (Pennsylvania: 61 Pa. Code §101.6(c)(8), §121.15; Mississippi; both
    split it by account, :func:`own_money_conditions`)."""
    return _conditions(tl, np.ones(tl.pools, bool), tl.early_tax, wages=True)


def own_money_conditions(tl, of_age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(I, T) twice: whether Pennsylvania or Mississippi (:data:`OWN_MONEY_STATES`) exempts
    each person's employer plan distributions of a year (a plan's account and a pension), and
    whether it exempts their IRA distributions (withdrawals and conversions alike).

    An employer plan's: paid after retirement having met the plan's conditions (72 P.S.
    §7301(d); 61 Pa. Code §101.6(c)(8)) — no wages of their own that year and no §72(t) tax
    on their plan accounts (:func:`retired_by_person`, the plan's pools only).  An IRA has no
    employer's retirement conditions: its qualifying age is the one from which a distribution
    is not subject to the federal early withdrawal penalty, 59½ (the Department's Personal
    Income Tax Guide, Gross Compensation; PA-40 instructions), wages or not; Pennsylvania has
    none of the federal exceptions before it but a payment on the owner's death.  The plan
    works in years: the IRA is exempt from the year the owner reaches 59½ (age at December 31,
    months counted, as for the §72(t) tax, ``early_distributions.age``); a pool of an owner
    under it is taxed where it owes the §72(t) tax or pays a 72(t) series (no Pennsylvania
    exception), not where the money is paid on a death (an inherited account, or a spouse's
    held as its beneficiary); a series' payments from the year its owner reaches 59½
    (``of_age``, (I, T): :func:`exact_ages` at ``early_distributions.age``) are an IRA's
    after 59½, exempt, though the series runs on (§72(t)(4): five years at least).

    Mississippi's are the same: a plan's distribution is exempt once the plan's requirements
    for retirement are met (Miss. Code Ann. §27-7-15(4)(l)); an IRA's unless it is an early
    distribution, one taxable as early under the Internal Revenue Code (35 Miss. Admin. Code
    Pt. 3, Subpt. 02, Ch. 07, ¶¶101, 104; Form 80-100 instructions, line 46): before 59½ and
    not paid on a death (a 72(t) series, "early, exception applies", is taxed: unconfirmed,
    docs/state.md; the plan knows no disability), wages or not
    (:func:`dist401k.tax.state.mississippi.ira_distribution_exempt`, the same rule)."""
    plan = np.asarray(tl.pool_plan, bool)
    young = ~np.asarray(of_age, bool)[np.asarray(tl.pool_owner)]
    ira_early = np.asarray(tl.early_tax, bool) | (np.asarray(tl.sepp_years, bool) & young)
    return (_conditions(tl, plan, tl.early_tax, wages=True),
            _conditions(tl, ~plan, ira_early, wages=False))


def _conditions(tl, pools: np.ndarray, early, wages: bool) -> np.ndarray:
    """(I, T) no pool among ``pools`` (K,) that a person holds is ``early`` (K, T) in the year,
    and, with ``wages``, no wages of their own."""
    held = (np.asarray(tl.pool_balance) > 0)[:, None] | _received(tl)
    early = np.asarray(early, bool) & held & pools[:, None]
    owner = np.asarray(tl.pool_owner)
    out = np.ones(tl.wages.shape, bool)
    for i in range(tl.wages.shape[0]):
        out[i] = ~early[owner == i].any(axis=0)
        if wages:
            out[i] &= tl.wages[i] <= 0
    return out


def death_paid(tl, of_age: np.ndarray) -> np.ndarray:
    """(K, T) the IRA pools whose distributions of a year are paid on account of a death: an
    IRA pool of an owner under 59½ (``of_age``, (I, T): :func:`exact_ages` at
    ``early_distributions.age``) whose withdrawal owes no §72(t) tax and pays no 72(t) series
    — an inherited IRA's (§72(t)(2)(A)(ii)), or a survivor's holding the dead spouse's money as
    its beneficiary (Treas. Reg. §1.408-8(c)); the plan knows no other exception for an IRA
    before 59½ (the same test as :func:`own_money_conditions`).  Arkansas exempts them
    (§26-51-307(a)(2)(B): :data:`DEATH_OUTSIDE_IRA_STATES`)."""
    ira = ~np.asarray(tl.pool_plan, bool)[:, None]
    young = ~np.asarray(of_age, bool)[np.asarray(tl.pool_owner)]
    return ira & young & ~np.asarray(tl.early_tax, bool) & ~np.asarray(tl.sepp_years, bool)


def heir_pools(hh: Household, tl) -> np.ndarray:
    """(K,) the pools that are accounts inherited by someone other than the deceased's spouse
    (``inherited[].beneficiary.relationship`` not ``spouse``).  Michigan subtracts none of
    their draws at any age (:func:`_heirs_outside`).  The timeline stacks each person's plan
    account and IRAs, then the inherited accounts not taken by a spouse as their own, in the
    case's order (``tl.pool_source``: a pool's place in that stack)."""
    held = [a for a in hh.inherited if not (a.beneficiary.relationship == "spouse"
                                            and a.beneficiary.spouse_election == "own")]
    at = np.asarray(tl.pool_source) - 2 * len(hh.people)
    return np.array([0 <= j < len(held) and held[j].beneficiary.relationship != "spouse"
                     for j in at], dtype=bool)


def _received(tl) -> np.ndarray:
    """(K, T) the pools that hold a dead spouse's money rolled over, from the year after the
    death."""
    heir = np.asarray(tl.pool_heir)
    out = np.zeros(np.shape(tl.early_tax), bool)
    if tl.death_year is None:
        return out
    for k in heir[heir >= 0]:
        out[k] = tl.years > tl.death_year
    return out


def governmental_by_year(hh: Household, tl) -> np.ndarray:
    """(T,) whether the year's distribution is a governmental plan's (the state engine's
    ``governmental_plan``, one flag for the return): every year where someone's plan money is
    in a governmental 457(b) (``accounts.governmental_457b``), and each year a pension marked
    ``governmental`` is paid on the plan's timeline (its holder's, or after the holder's death
    the survivor's share: :attr:`Timeline.pension` keeps it in the holder's row).  A state that
    exempts a government's pension wholly or more than a private one (New York Tax Law
    §612(c)(3) against §612(c)(3-a)) then answers as its rule does — most refuse the year,
    whose government pays not being an input — rather than tax it as a private pension.  A
    year with a governmental pension beside a private plan's or an IRA's money is one flag for
    all of it: the engine has no governmental part of a return."""
    out = np.full(len(tl.years), any(p.accounts.governmental_457b for p in hh.people))
    for i, person in enumerate(hh.people):
        if person.pension.governmental:
            out |= np.asarray(tl.pension[i]) > 0
    return out


@dataclass(frozen=True)
class PlanState:
    """What the state's units of the plan take from the case and no choice moves: the state of
    each year, whether the plan's retirement conditions are met for the return's head and, on
    a joint return, the spouse (:func:`retired_by_person`: Pennsylvania and Mississippi exempt
    such a distribution, each spouse's by their own), and whether the year's distribution is
    a governmental plan's (:func:`governmental_by_year`)."""

    hh: Household
    states: np.ndarray  # (T,) USPS codes
    retired: np.ndarray  # (T,) the head's
    governmental: np.ndarray | bool  # (T,), or one for every year
    #: Everyone in the household receives Social Security or will: someone has a benefit of
    #: their own (a spouse's or a survivor's benefit follows from it, 42 U.S.C. §402(b)–(f)).
    social_security_expected: bool = False
    #: A couple: the second person's pools (K,), and own wages, Social Security and pension
    #: by year (T,; wages and benefits in start-year dollars, the pension nominal unless
    #: ``spouse_pension_indexed``) — the spouse's part of a joint return.  None: one person.
    spouse_pools: np.ndarray | None = None
    spouse_wages: np.ndarray | None = None
    spouse_social_security: np.ndarray | None = None
    spouse_pension: np.ndarray | None = None
    spouse_pension_indexed: bool = False
    #: (2, I, T) the other income of each person (``other_income``): indexed (start-year
    #: dollars) and nominal; None: none
    other_income: np.ndarray | None = None
    #: The pools that are IRAs (K,), not an employer plan's account: New York excludes an
    #: IRA's distributions from 59½ periodic or not.  None: no pre-tax pool.
    ira_pools: np.ndarray | None = None
    #: (K,) of each plan account, the share from employer contributions (NaN: not given;
    #: Hawaii and Michigan exempt that part)
    employer_share: np.ndarray | None = None
    #: (K,) of each IRA pool, the share rolled over from employer contributions (NaN: not
    #: given; Hawaii exempts that part)
    ira_employer_share: np.ndarray | None = None
    #: The household lives in New York City while in New York (the city's tax is added).
    new_york_city: bool = False
    #: The household lives in Yonkers while in New York (the city's surcharge is added).
    yonkers: bool = False
    #: The Maryland county the household lives in while in Maryland (-1: none given), its
    #: place among the law's counties.
    maryland_county: int = -1
    #: Someone's plan account is a governmental 457(b) or holds contributions the state
    #: already taxed (:func:`nj_taxed_contributions`): a New Jersey year drawing from a plan
    #: account is not figured.
    nj_taxed_plan: bool = False
    #: (2, T) whether the head's and the spouse's own plan account holds such contributions
    #: and can pay in each year (:func:`nj_payers`; the head's again for one person): a New
    #: Jersey year is not figured only where its plan money is drawn from such an account.
    #: None: ``nj_taxed_plan`` for every plan account.
    nj_payers: np.ndarray | None = None
    #: Someone's plan account holds contributions the state already taxed
    #: (:func:`pa_taxed_contributions`): a Pennsylvania year drawing from a plan account before
    #: the plan's conditions for retirement are met is not figured.
    pa_taxed_plan: bool = False
    #: (2, T) whether the head's and the spouse's plan money can recover such contributions
    #: (:func:`pa_payers`; the head's again for one person): a Pennsylvania year is not
    #: figured only where the person whose plan money is drawn before their plan's conditions
    #: are met holds them.  None: ``pa_taxed_plan`` for everyone's plan money.
    pa_payers: np.ndarray | None = None
    #: (T,) the spouse's retirement conditions on a joint return (None: one person)
    spouse_retired: np.ndarray | None = None
    #: Pennsylvania's and Mississippi's conditions (:func:`own_money_conditions`), (2, T)
    #: each: the head's and the spouse's (the head's again for one person) employer plans' and
    #: IRAs'
    own_plan: np.ndarray | None = None
    own_ira: np.ndarray | None = None
    #: (2, T) the head's and the spouse's age at December 31 with the months counted
    #: (:func:`exact_ages`; the head's again for one person), which New York, Michigan and
    #: Arkansas read (:data:`EXACT_AGE_STATES`).  None: the return's whole ages.
    exact_age: np.ndarray | None = None
    #: (K, T) the IRA pools whose distributions of a year are paid on a death
    #: (:func:`death_paid`).  None: none.
    death_pools: np.ndarray | None = None
    #: (T,) whether an IRA pays a 72(t) series in the year: Michigan counts the series'
    #: payments before 59½ (:func:`dist401k.tax.state.michigan.ira_part_not_qualifying` reads
    #: them as ``periodic_payments``).  None: none.
    ira_series: np.ndarray | None = None
    #: (K,) the pools inherited by someone other than the deceased's spouse
    #: (:func:`heir_pools`).  None: none.
    heir_pools: np.ndarray | None = None

    @classmethod
    def of(cls, hh: Household, tl) -> PlanState | None:
        states = plan_states(hh, tl.years)
        if states is None:
            return None
        retired = retired_by_person(tl)
        couple = len(hh.people) == 2
        head = _head_and_spouse(tl, retired)[0]
        ages = exact_ages(hh, tl)
        of_age = ages >= default_law().get("early_distributions.age", tl.years)[None, :]
        own_plan, own_ira = (_head_and_spouse(tl, c)
                             for c in own_money_conditions(tl, of_age))
        return cls(hh, states, head, governmental_by_year(hh, tl),
                   any(p.social_security.monthly_at_full_age > 0 for p in hh.people)
                   or hh.social_security_expected,
                   spouse_pools=np.asarray(tl.pool_owner) == 1 if couple else None,
                   spouse_wages=tl.wages[1] if couple else None,
                   spouse_social_security=tl.social_security[1] if couple else None,
                   spouse_pension=tl.pension[1] if couple else None,
                   spouse_pension_indexed=bool(tl.pension_indexed[1]) if couple else False,
                   ira_pools=~np.asarray(tl.pool_plan, bool),
                   employer_share=np.where(tl.pool_plan, tl.pool_employer_share, 0.0),
                   ira_employer_share=np.where(tl.pool_plan, 0.0, tl.pool_employer_share),
                   new_york_city=hh.new_york_city, yonkers=hh.yonkers,
                   maryland_county=-1 if hh.maryland_county is None else
                   int(maryland_county_places(default_law(), [hh.maryland_county])[0]),
                   nj_taxed_plan=nj_taxed_contributions(hh),
                   nj_payers=_head_and_spouse(tl, nj_payers(hh, tl)),
                   pa_taxed_plan=pa_taxed_contributions(hh),
                   pa_payers=_head_and_spouse(tl, pa_payers(hh, tl)),
                   spouse_retired=retired[1] if couple else None,
                   own_plan=own_plan, own_ira=own_ira,
                   exact_age=_head_and_spouse(tl, ages),
                   death_pools=death_paid(tl, of_age),
                   ira_series=(np.asarray(tl.sepp_years, bool)
                               & ~np.asarray(tl.pool_plan, bool)[:, None]).any(axis=0),
                   heir_pools=heir_pools(hh, tl),
                   other_income=np.stack([tl.other_income, tl.other_income_fixed])
                   if (tl.other_income.any() or tl.other_income_fixed.any()) else None)

    def spouse_fixed(self, t, price, benefit_price=None) -> SpouseIncome | None:
        """The spouse's wages, Social Security and pension in year(s) ``t`` at the price level
        ``price`` (the distributions: the pension alone), Social Security at ``benefit_price``
        (the highest price level so far, §415(i); None: ``price``); None for one person.  On a
        return that is not joint the parts are not read."""
        if self.spouse_pools is None:
            return None
        assert self.spouse_wages is not None and self.spouse_social_security is not None
        assert self.spouse_pension is not None
        pension = self.spouse_pension[t] * (price if self.spouse_pension_indexed else 1.0)
        benefit = price if benefit_price is None else benefit_price
        other = both = 0.0
        if self.other_income is not None:
            indexed, fixed = self.other_income[0][:, t], self.other_income[1][:, t]
            other = indexed[1] * price + fixed[1]
            both = indexed.sum(0) * price + fixed.sum(0)
        return SpouseIncome(self.spouse_wages[t] * price,
                            self.spouse_social_security[t] * benefit, pension, pension=pension,
                            other=other, other_household=both)

    def spouse_drawn(self, taken: np.ndarray) -> np.ndarray | float:
        """The spouse's part of pre-tax money ``taken`` by pool (K, …): the second person's
        pools' (zero for one person)."""
        if self.spouse_pools is None:
            return 0.0
        return taken[self.spouse_pools].sum(0)

    def ira_drawn(self, taken: np.ndarray, spouse: bool = False) -> np.ndarray | float:
        """The part of pre-tax money ``taken`` by pool (K, …) paid from IRAs (with ``spouse``,
        from the second person's IRAs)."""
        if self.ira_pools is None:
            return 0.0
        mask = self.ira_pools
        if spouse:
            if self.spouse_pools is None:
                return 0.0
            mask = mask & self.spouse_pools
        return taken[mask].sum(0)

    def death_drawn(self, taken: np.ndarray, t, spouse: bool = False) -> np.ndarray | float:
        """Of pre-tax money ``taken`` by pool (K, …) in year(s) ``t`` (an index, or one a
        column of ``taken``), the IRAs' part paid on a death (:attr:`death_pools`; with
        ``spouse``, from the second person's pools)."""
        if self.death_pools is None:
            return 0.0
        mask = self.death_pools[:, t]
        if spouse:
            if self.spouse_pools is None:
                return 0.0
            mask = mask & self.spouse_pools.reshape((-1,) + (1,) * (mask.ndim - 1))
        mask = mask.reshape(mask.shape + (1,) * (np.ndim(taken) - mask.ndim))
        return np.where(mask, taken, 0.0).sum(0)

    def heir_drawn(self, taken: np.ndarray, spouse: bool = False,
                   ira: bool = False) -> np.ndarray | float:
        """Of pre-tax money ``taken`` by pool (K, …), the part drawn from accounts inherited
        from someone other than a spouse (:attr:`heir_pools`; with ``spouse``, the second
        person's; with ``ira``, the inherited IRAs' alone)."""
        if self.heir_pools is None or self.ira_pools is None:
            return 0.0
        mask = self.heir_pools & (self.ira_pools if ira else True)
        if spouse:
            if self.spouse_pools is None:
                return 0.0
            mask = mask & self.spouse_pools
        return taken[mask].sum(0)

    def employer_drawn(self, taken: np.ndarray, ira: bool = False) -> np.ndarray | float:
        """Of pre-tax money ``taken`` by pool (K, …), the part from employer contributions in
        the plans' accounts (with ``ira``, rolled over from them into the IRAs); NaN where an
        account whose share is not known pays."""
        shares = self.ira_employer_share if ira else self.employer_share
        if shares is None:
            return 0.0
        share = shares.reshape((-1,) + (1,) * (np.ndim(taken) - 1))
        part = np.where(np.isnan(share) & (taken > 0), np.nan, np.nan_to_num(share) * taken)
        return part.sum(0)

    def units(self, t: np.ndarray, tax_units: TaxUnits, federal: dict[str, np.ndarray],
              spouse: SpouseIncome | None = None, paid: PaidFrom | None = None) -> StateUnits:
        """The state's units of the federal ``tax_units`` (their years ``t``, indices into the
        plan's years, one a unit); ``spouse``: on a joint return, the spouse's own income (the
        split unknown where not given); ``paid``: what of the distributions the IRAs and the
        pensions paid (none where not given)."""
        n = len(tax_units)
        zero = np.zeros(n)
        paid = paid or PaidFrom()
        figures = federal_figures(federal)
        units = StateUnits(
            state=np.broadcast_to(self.states[t], (n,)), tax_year=tax_units.tax_year,
            filing_status=tax_units.filing_status, age_head=tax_units.age_head,
            age_spouse=tax_units.age_spouse, federal_agi=federal["agi"], wages=tax_units.wages,
            taxable_distributions=tax_units.taxable_distributions,
            early_distributions=tax_units.early_distributions,
            secure2_excepted_distributions=zero, state_basis_recovered=zero,
            social_security=tax_units.social_security,
            taxable_social_security=federal["taxable_social_security"],
            plan_retirement_conditions_met=np.broadcast_to(self.retired[t], (n,)),
            spouse_plan_retirement_conditions_met=np.broadcast_to(
                (self.retired if self.spouse_retired is None else self.spouse_retired)[t], (n,)),
            governmental_plan=np.array(np.broadcast_to(
                np.broadcast_to(self.governmental, self.states.shape)[t], (n,))),
            periodic_payments=np.zeros(n, bool),
            **{k: figures[k] for k in FEDERAL_BASE},
            # The plan knows what its other income is: the cash account's interest (a bank's,
            # not a federal obligation's), the taxable account's dividends (all qualified) and
            # its sales' gains (all long-term).
            **{k: getattr(tax_units, k) for k in INCOME_KINDS},
            # Someone in the household has a benefit of their own: each will receive one (a
            # spouse's or survivor's benefit counts).
            social_security_expected=np.full(n, self.social_security_expected),
            new_york_city_resident=np.broadcast_to(
                self.new_york_city & (self.states[t] == "NY"), (n,)),
            yonkers_resident=np.broadcast_to(self.yonkers & (self.states[t] == "NY"), (n,)),
            maryland_county=np.broadcast_to(
                np.where(self.states[t] == "MD", self.maryland_county, -1), (n,)),
            ira_distributions=np.clip(per_unit(paid.ira, n), 0.0,
                                      tax_units.taxable_distributions))
        # The pensions are periodic payments (New York's exclusion, Colorado's subtraction),
        # the plan accounts' withdrawals lump sums.
        units.periodic_distributions = np.clip(
            per_unit(paid.pension, n), 0.0,
            np.maximum(units.taxable_distributions - units.ira_distributions, 0.0))
        units.ira_early_distributions = np.clip(
            per_unit(paid.ira_early, n), 0.0,
            np.minimum(units.ira_distributions, units.early_distributions))
        units.employer_attributable_distributions = _employer_part(units, paid, n)
        if spouse is not None:
            _split(units, spouse)
        _death_outside_ira(units, paid, spouse)
        _heirs_outside(units, paid, spouse)
        _early_ira_outside(units, paid)
        units.state_basis_recovered = self._nj_untold(units, t, spouse is not None)
        _by_own_money(units, self, t)
        _plan_conditions_alone(units, self, t)
        _exact_ages_in(units, self, t)
        if self.ira_series is not None:
            units.periodic_payments = np.where(units.state == "MI", np.broadcast_to(
                self.ira_series[t], (n,)), units.periodic_payments)
        units.state_basis_recovered = self._pa_untold(units, t, spouse is not None)
        return units

    def _pa_untold(self, units: StateUnits, t: np.ndarray, split: bool) -> np.ndarray:
        """``state_basis_recovered`` of Pennsylvania's rule (:func:`_pa_untracked`), by
        :meth:`_by_payer` with :attr:`pa_payers`."""
        return self._by_payer(_pa_untracked, self.pa_payers, self.pa_taxed_plan, units, t, split)

    def _nj_untold(self, units: StateUnits, t: np.ndarray, split: bool) -> np.ndarray:
        """``state_basis_recovered`` of New Jersey's rule (:func:`_nj_recovered`), by
        :meth:`_by_payer` with :attr:`nj_payers`."""
        return self._by_payer(_nj_recovered, self.nj_payers, self.nj_taxed_plan, units, t, split)

    def _by_payer(self, rule, payers, taxed, units: StateUnits, t: np.ndarray,
                  split: bool) -> np.ndarray:
        """A state's rule for plan money holding contributions it taxed: on a couple's return
        split by spouse (``split``), each spouse's plan money judged by their own account
        (``payers``, (2, T)); else the whole plan part by any such account (``taxed`` where
        the payers are not known)."""
        if payers is None:
            return rule(units, taxed)
        n = len(units)
        head, spouse = (np.broadcast_to(payers[who][t], (n,)) for who in (0, 1))
        if self.spouse_pools is None or not split:
            return rule(units, head | spouse)
        return rule(units, head, spouse)

    def tax(self, t, tax_units: TaxUnits, federal: dict[str, np.ndarray], law: Law,
            lookup: Lookup | None = None, spouse: SpouseIncome | None = None,
            paid: PaidFrom | None = None, as_entered: bool = True) -> np.ndarray:
        """The state income tax and the state's additional tax on early distributions of each
        unit; :class:`InputError` naming the state's field where the state cannot figure it.
        ``spouse``: on a joint return, the spouse's own income; ``paid``: what of the
        distributions the IRAs and the pensions paid; ``as_entered``: the two added as the
        return enters them (:func:`state_total`), else unrounded (the programme's samples)."""
        units = self.units(np.asarray(t), tax_units, federal, spouse, paid)
        out = state_tax(units, law, lookup)
        total = (state_total(out) if as_entered
                 else out["state_income_tax"] + out["state_additional_tax"])
        if not np.isfinite(total).all():
            self._refuse(units, out)
        return total

    def _refuse(self, units: StateUnits, out: dict) -> None:
        bad = int(np.flatnonzero(~np.isfinite(out["state_income_tax"]
                                              + out["state_additional_tax"]))[0])
        code = str(units.state[bad])
        why = [(k, reason(k).text + PLAN_INPUT.get(k, "")) for k, m in out["reasons"].items()
               if np.asarray(m)[bad] and k != "STATE_FIGURES_UNCONFIRMED"
               and not k.endswith("_NO_INCOME_TAX")]
        # The reason the tax is not figured (its text says so), not a rule that applied.
        why.sort(key=lambda kt: NOT_FIGURED not in kt[1])
        key, text = why[0] if why else ("STATE_NOT_COVERED", reason("STATE_NOT_COVERED").text)
        if (code == COST_RECOVERY_STATE and np.isnan(units.state_basis_recovered[bad])
                and not (why and NOT_FIGURED in text)):
            key, text = PA_COST_RECOVERY, reason(PA_COST_RECOVERY).text + pa_taxed_words(self.hh)
        if units.governmental_plan[bad] and any(w in key for w in GOVERNMENTAL_REASONS):
            text += governmental_words(self.hh, key)
        if key == NJ_TAXED_CONTRIBUTIONS:
            text += nj_taxed_words(self.hh)
        if self.hh.other_income and "other income" in text:
            text += (" In the plan: other_income is income of no kind the state reads apart "
                     "(not interest, dividends or gains), so this state's tax cannot be "
                     "figured in a year with it (docs/plan.md).")
        raise InputError(FieldProblem(state_field(self.hh, code), f"{code} in "
                                      f"{int(units.tax_year[bad])}: {text}"))


def state_total(out: dict) -> np.ndarray:
    """The state's income tax and its additional tax on early distributions together.  Where
    both are owed, the sum of the two each rounded to the cent, as the return adds its lines as
    entered (Form 540 enters the FTB 3805P tax on a line of its own) and as the federal total
    is shown (:func:`dist401k.tax.federal.in_cents`), not the rounding of the unrounded sum,
    a cent apart where both round up; where one alone is owed, it unrounded (what the plan
    pays and its programme samples)."""
    income, additional = out["state_income_tax"], out["state_additional_tax"]
    both = (income != 0) & (additional != 0)
    return np.where(both, cents(income) + cents(additional), income + additional)


def _head_and_spouse(tl, by_person: np.ndarray) -> np.ndarray:
    """(2, T) of a per-person (I, T) fact: the return's head's — the first person's, the
    survivor's after a first death — and the spouse's (the second person's; the head's again
    for one person)."""
    head = by_person[0]
    if by_person.shape[0] == 2 and tl.survivor is not None:
        head = np.where(tl.years > tl.death_year, by_person[tl.survivor], head)
    return np.stack([head, by_person[-1] if by_person.shape[0] == 2 else head])


#: The states that read each person's age at December 31 with the months counted
#: (:func:`exact_ages`), not the return's whole age: those whose 59½ rule is judged on each
#: payment, by the age at which it is made.  New York, whose pension and annuity exclusion is
#: for amounts received after 59½ (Tax Law §612(c)(3-a); IT-201 instructions, line 29);
#: Michigan, where a governmental 457(b)'s distributions are retirement or pension benefits "if
#: the distributions are not made until the participant has reached 59-1/2 years of age" (MCL
#: 206.30(8)(a)(i)(D); ``state.mi.governmental_plan_age``).  Pennsylvania and Mississippi
#: judge an IRA by 59½ too, in the planner by :func:`own_money_conditions` on these ages
#: before the engine sees the unit.  Arkansas, whose retirement benefits exemption takes an
#: individual retirement account's benefits only where "received ... after reaching fifty-nine
#: and one-half (59 1/2) years of age" (Ark. Code Ann. §26-51-307(a)(2);
#: ``state.ar.ira_benefits_age``).
EXACT_AGE_STATES = ("NY", "MI", "AR")


def exact_ages(hh: Household, tl) -> np.ndarray:
    """(I, T) each person's age at December 31 with the months past the birthday's month
    counted (born in January: 59 and 11/12 at the end of the year of 59), the age the plan
    judges 59½ by for the §72(t) tax (``early_distributions.age``; the timeline's
    ``exact_age_end``) and for Pennsylvania's and Mississippi's IRA
    (:func:`own_money_conditions`): the year's money is taken as drawn after 59½ from the year
    in which that age is reached (docs/plan.md, "State income tax")."""
    born = np.array([[p.birth_date.year, p.birth_date.month] for p in hh.people])
    return np.asarray(tl.years)[None, :] - born[:, :1] + (12 - born[:, 1:]) / 12


def _exact_ages_in(units: StateUnits, ps: PlanState, t: np.ndarray) -> None:
    """A unit of :data:`EXACT_AGE_STATES` takes the head's age, and on a joint return the
    spouse's, at December 31 with the months counted (:attr:`PlanState.exact_age`; never
    below the return's age): New York's exclusion from 59½ (§612(c)(3-a)), Michigan's
    governmental 457(b) benefits from 59½ (MCL 206.30(8)(a)(i)(D)) and Arkansas's IRA benefits
    from 59½ (§26-51-307(a)(2)) then reach the year the planner takes as after 59½ for the
    §72(t) tax, as Pennsylvania's IRA exemption does.  The
    case door, given a whole age, keeps its own test."""
    here = np.isin(units.state, EXACT_AGE_STATES)
    if ps.exact_age is None or not here.any():
        return
    n = len(units)
    head, spouse = (np.broadcast_to(ps.exact_age[who][t], (n,)) for who in (0, 1))
    units.age_head = np.where(here, np.maximum(units.age_head, head), units.age_head)
    both = here & (units.filing_status == MARRIED_JOINT)
    units.age_spouse = np.where(both, np.maximum(units.age_spouse, spouse), units.age_spouse)


def _by_own_money(units: StateUnits, ps: PlanState, t: np.ndarray) -> None:
    """Pennsylvania and Mississippi judge each person's IRA distributions by the IRA's
    condition and their employer plans' (an account, a pension) by the plan's
    (:func:`own_money_conditions`); a unit has one flag a person.  An IRA part whose
    condition is met, and a plan's part whose condition alone is, is not the state's income: it
    leaves the unit's distributions and federal AGI (the other income stays); the flag is the
    plan's where both are met, false for the taxed part elsewhere."""
    pa = np.isin(units.state, OWN_MONEY_STATES)
    if ps.own_plan is None or ps.own_ira is None or not pa.any():
        return
    joint = units.filing_status == MARRIED_JOINT
    spouse_total = np.where(joint, np.nan_to_num(units.spouse_distributions), 0.0)
    spouse_ira = np.where(joint, np.nan_to_num(units.spouse_ira_distributions), 0.0)
    parts = ((units.taxable_distributions - spouse_total, units.ira_distributions - spouse_ira),
             (spouse_total, spouse_ira))
    flags, out, ira_out = [], np.zeros(len(units)), np.zeros(len(units))
    for who, (total, ira) in enumerate(parts):
        plan_ok = np.broadcast_to(ps.own_plan[who][t], pa.shape)
        ira_ok = np.broadcast_to(ps.own_ira[who][t], pa.shape)
        # The IRA part wherever its condition is met (the engine judges an IRA by its owner's
        # age alone, and an heir's payment on a death is exempt at any age); the plan's part
        # where only the plan's is.
        mine = pa & (who == 0 or joint)
        gone = np.where(mine & ira_ok, ira, np.where(mine & plan_ok, total - ira, 0.0))
        out, ira_out = out + gone, ira_out + np.where(mine & ira_ok, gone, 0.0)
        if who == 1:
            units.spouse_distributions = np.where(joint, units.spouse_distributions - gone,
                                                  units.spouse_distributions)
            units.spouse_ira_distributions = np.where(
                joint, units.spouse_ira_distributions - np.where(ira_ok, gone, 0.0),
                units.spouse_ira_distributions)
        flags.append(plan_ok & ira_ok)
    units.taxable_distributions = units.taxable_distributions - out
    units.federal_agi = units.federal_agi - out
    units.ira_distributions = units.ira_distributions - ira_out
    units.plan_retirement_conditions_met = np.where(pa, flags[0],
                                                    units.plan_retirement_conditions_met)
    units.spouse_plan_retirement_conditions_met = np.where(
        pa, flags[1], units.spouse_plan_retirement_conditions_met)
    _clip_parts(units)


#: The states that judge a person's employer plan distributions by that plan's retirement
#: conditions alone, an IRA's by its own rule in the state's engine: Michigan, whose
#: "premature distribution" is one paid before the conditions for retirement of the plan that
#: pays it are met (MCL 206.30(8)(b)(ii)), an IRA's being judged by 59½
#: (:func:`dist401k.tax.state.michigan.ira_part_not_qualifying`); Ohio, whose retirement income
#: credit is on a plan's distributions "received by the individual on account of retirement"
#: (R.C. 5747.055(A)(1)); Hawaii, whose pension exclusion takes each distribution paid by
#: reason of retirement and not an early one under the 10% tax (HRS §235-7(a)(3); HAR
#: §18-235-7-03; N-11 instructions).
PLAN_CONDITIONS_STATES = ("MI", "OH", "HI")


def _plan_conditions_alone(units: StateUnits, ps: PlanState, t: np.ndarray) -> None:
    """A unit of :data:`PLAN_CONDITIONS_STATES` takes each person's retirement conditions of
    their employer plans alone (:attr:`PlanState.own_plan`: no wages of their own, no §72(t)
    tax on a plan account they hold), not :func:`retired_by_person`'s, which an IRA held before
    59½ turns false: a rule-of-55 retiree's 401(k) is paid after the plan's conditions are met
    whatever an IRA of theirs owes (in Hawaii its early IRA draw is already out of the
    distributions the exclusion reads, :func:`_early_ira_outside`)."""
    here = np.isin(units.state, PLAN_CONDITIONS_STATES)
    if ps.own_plan is None or not here.any():
        return
    n = len(units)
    head, spouse = (np.broadcast_to(ps.own_plan[who][t], (n,)) for who in (0, 1))
    units.plan_retirement_conditions_met = np.where(here, head,
                                                    units.plan_retirement_conditions_met)
    units.spouse_plan_retirement_conditions_met = np.where(
        here, spouse, units.spouse_plan_retirement_conditions_met)


#: The states whose units take an IRA's payment on a death outside ``ira_distributions``, the
#: engine's convention for a death's payment (it counts as a plan's): Arkansas, whose
#: retirement benefits exemption takes an IRA's distribution before 59½ where "made on account
#: of the participant's death" (Ark. Code Ann. §26-51-307(a)(2)(B)).  Pennsylvania and
#: Mississippi judge an heir's IRA by :func:`own_money_conditions` instead.
DEATH_OUTSIDE_IRA_STATES = ("AR",)


def _death_outside_ira(units: StateUnits, paid: PaidFrom, spouse: SpouseIncome | None) -> None:
    """A unit of :data:`DEATH_OUTSIDE_IRA_STATES` takes the IRAs' part paid on a death
    (``paid.ira_death``; on a joint return the spouse's, ``spouse.ira_death``) out of its IRA
    distributions (``ira_distributions``, ``spouse_ira_distributions``): the engine then takes
    it as a plan's, exempt at any age (§26-51-307(a)(2)(B))."""
    here = np.isin(units.state, DEATH_OUTSIDE_IRA_STATES)
    if not here.any():
        return
    n = len(units)
    death = np.clip(per_unit(paid.ira_death, n), 0.0, units.ira_distributions)
    units.ira_distributions = np.where(here, units.ira_distributions - death,
                                       units.ira_distributions)
    if spouse is not None:
        both = here & (units.filing_status == MARRIED_JOINT)
        held = np.nan_to_num(units.spouse_ira_distributions)
        theirs = np.clip(per_unit(spouse.ira_death, n), 0.0, held)
        units.spouse_ira_distributions = np.where(both, held - theirs,
                                                  units.spouse_ira_distributions)
    _clip_parts(units)


#: The states where a payment from an account inherited by someone other than the deceased's
#: spouse is no retirement or pension benefit at any age: Michigan (Treasury, Qualified Pension
#: Distribution Requirements, Individual Plans: "Distributions after the death of the
#: participant may only be subtracted by a surviving spouse"; the overview: an employer plan's
#: payment "must be made to either the employee or the surviving spouse"), as the case door
#: answers it (:meth:`dist401k.state_outcome.StateTaxOf._michigan_outside`).
HEIR_OUTSIDE_STATES = ("MI",)


def _heirs_outside(units: StateUnits, paid: PaidFrom, spouse: SpouseIncome | None) -> None:
    """A unit of :data:`HEIR_OUTSIDE_STATES` takes the draws from accounts inherited by someone
    other than a spouse (``paid.heir``, of them the IRAs' ``paid.heir_ira``; on a joint return
    the spouse's, ``spouse.heir``, ``spouse.heir_ira``) out of its distributions: they stay in
    federal AGI, taxed as any income, with no retirement or pension benefit to subtract (MCL
    206.30(1)(f), (8)); the employer part is figured again on what is left."""
    here = np.isin(units.state, HEIR_OUTSIDE_STATES)
    if not here.any():
        return
    n = len(units)
    heir = np.clip(per_unit(paid.heir, n), 0.0, units.taxable_distributions)
    heir_ira = np.clip(per_unit(paid.heir_ira, n), 0.0,
                       np.minimum(heir, units.ira_distributions))
    units.taxable_distributions = np.where(here, units.taxable_distributions - heir,
                                           units.taxable_distributions)
    units.ira_distributions = np.where(here, units.ira_distributions - heir_ira,
                                       units.ira_distributions)
    if spouse is not None:
        both = here & (units.filing_status == MARRIED_JOINT)
        held = np.nan_to_num(units.spouse_distributions)
        theirs = np.clip(per_unit(spouse.heir, n), 0.0, held)
        held_ira = np.nan_to_num(units.spouse_ira_distributions)
        theirs_ira = np.clip(per_unit(spouse.heir_ira, n), 0.0, np.minimum(theirs, held_ira))
        units.spouse_distributions = np.where(both, held - theirs, units.spouse_distributions)
        units.spouse_ira_distributions = np.where(both, held_ira - theirs_ira,
                                                  units.spouse_ira_distributions)
    _clip_parts(units)
    units.employer_attributable_distributions = np.where(
        here, _employer_part(units, paid, n), units.employer_attributable_distributions)


#: The states whose units take the IRAs' part owing the §72(t) tax out of their distributions:
#: Hawaii, whose pension exclusion takes each distribution by its own (N-11 instructions: each
#: Form 1099-R's taxable amount) and never an early one under the 10% tax (HRS §235-7(a)(3);
#: HAR §18-235-7-03), so an early IRA draw is taxed whole, the rolled-over employer money in
#: it too, and leaves a plan's payment of the same year to its own conditions.  The engine
#: does not split a person's year partly early (:func:`dist401k.tax.state.hawaii.pension_exclusion`).
EARLY_IRA_OUTSIDE_STATES = ("HI",)


def _early_ira_outside(units: StateUnits, paid: PaidFrom) -> None:
    """A unit of :data:`EARLY_IRA_OUTSIDE_STATES` takes the IRAs' early part
    (``ira_early_distributions``; on a joint return the spouse's, ``spouse_ira_early_…``) out of
    its distributions and their early and IRA parts: it stays in federal AGI, taxed whole
    (HRS §235-7(a)(3), HAR §18-235-7-03: an early distribution does not qualify).  The employer
    part is figured again with the IRAs' rolled-over share of what is left at the least it can
    be (all of the share the early draw could hold taken as in it: where the IRAs' draws of the
    year are all early, none is left, exactly)."""
    here = np.isin(units.state, EARLY_IRA_OUTSIDE_STATES) & (units.ira_early_distributions > 0)
    if not here.any():
        return
    n = len(units)
    out = np.where(here, units.ira_early_distributions, 0.0)
    for whole in ("taxable_distributions", "early_distributions", "ira_distributions",
                  "ira_early_distributions"):
        setattr(units, whole, getattr(units, whole) - out)
    theirs = np.where(here, np.nan_to_num(units.spouse_ira_early_distributions), 0.0)
    for part in ("spouse_distributions", "spouse_early_distributions",
                 "spouse_ira_distributions", "spouse_ira_early_distributions"):
        setattr(units, part, getattr(units, part) - theirs)
    rolled = np.clip(per_unit(paid.ira_employer, n) - out, 0.0, units.ira_distributions)
    units.employer_attributable_distributions = np.where(
        here, _employer_part(units, replace(paid, ira_employer=rolled), n),
        units.employer_attributable_distributions)


def _clip_parts(units: StateUnits) -> None:
    """The parts of the distributions within them again after some left (none the state reads
    is moved: the federal §72(t) part, the periodic part)."""
    units.early_distributions = np.minimum(units.early_distributions, units.taxable_distributions)
    units.ira_early_distributions = np.minimum(units.ira_early_distributions,
                                               units.ira_distributions)
    units.periodic_distributions = np.clip(
        units.periodic_distributions, 0.0,
        np.maximum(units.taxable_distributions - units.ira_distributions, 0.0))
    for part in ("spouse_early_distributions", "spouse_periodic_distributions"):
        setattr(units, part, np.minimum(getattr(units, part), units.spouse_distributions))


def _employer_part(units: StateUnits, paid: PaidFrom, n: int) -> np.ndarray:
    """``employer_attributable_distributions`` as the state reads it: Michigan all of an IRA's
    and a pension's distribution and a plan account's employer part (MCL 206.30(8)); Hawaii a
    pension's, a plan account's employer part and an IRA's part rolled over from employer
    contributions (HRS §235-7(a)(3); NaN where that share was not given); elsewhere not read
    (NaN)."""
    ira, pension = units.ira_distributions, per_unit(paid.pension, n)
    plan = units.taxable_distributions - ira - pension
    employer = np.where(plan > HALF_CENT, per_unit(paid.employer, n), 0.0)
    michigan = np.minimum(ira + pension + employer, units.taxable_distributions)
    rolled = np.where(ira > HALF_CENT, per_unit(paid.ira_employer, n), 0.0)
    hawaii = np.minimum(pension + employer + rolled, units.taxable_distributions)
    return np.where(units.state == "MI", michigan, np.where(units.state == "HI", hawaii, np.nan))


def _nj_recovered(units: StateUnits, taxed, spouse_taxed=None) -> np.ndarray:
    """``state_basis_recovered``: NaN (some, how much not known: New Jersey's tax not figured,
    ``STATE_NJ_TAXED_CONTRIBUTIONS_NOT_FIGURED``) for a New Jersey unit whose distribution
    has a plan account's part (neither an IRA's nor a pension's) where a plan account is a
    governmental 457(b) or holds contributions the state already taxed (``taxed``,
    :func:`nj_taxed_contributions`; N.J.A.C. 18:35-2.5(a)), as the outcome door answers such
    a payment; zero elsewhere.  With ``spouse_taxed`` (one a unit), ``taxed`` is the head's
    account's and ``spouse_taxed`` the spouse's: on a joint return only the plan part drawn
    from such an account counts, the spouse's part being ``spouse_distributions`` less its
    IRA and pension parts."""
    plan = units.taxable_distributions - units.ira_distributions - units.periodic_distributions
    if spouse_taxed is None:
        drawn = np.asarray(taxed) & (plan > HALF_CENT)
    else:
        joint = units.filing_status == MARRIED_JOINT
        spouse_plan = np.where(joint, np.nan_to_num(
            units.spouse_distributions - units.spouse_ira_distributions
            - units.spouse_periodic_distributions), 0.0)
        drawn = ((np.asarray(taxed) & (plan - spouse_plan > HALF_CENT))
                 | (np.asarray(spouse_taxed) & (spouse_plan > HALF_CENT)))
    untold = drawn & (units.state == "NJ")
    return np.where(untold, np.nan, 0.0)


def _pa_untracked(units: StateUnits, taxed, spouse_taxed=None) -> np.ndarray:
    """``state_basis_recovered`` again, NaN also (some recovered, how much not followed:
    Pennsylvania's tax not figured, :func:`pa_taxed_contributions`) for a Pennsylvania unit
    whose distribution has a plan account's part taxed as paid before the plan's conditions
    for retirement are met (after :func:`_by_own_money`), where a plan account holds
    contributions Pennsylvania already taxed (``taxed``; cost recovery, PA-40 instructions
    line 5; 61 Pa. Code §101.6(c)(8)).  With ``spouse_taxed`` (one a unit), ``taxed`` is the
    head's account's and ``spouse_taxed`` the spouse's: on a joint return only the plan part
    drawn early by the person whose account holds them counts, the spouse's being
    ``spouse_distributions`` less its IRA and pension parts, early where
    ``spouse_plan_retirement_conditions_met`` is not set (:func:`_by_own_money` has taken out
    a plan part whose conditions are met)."""
    plan = units.taxable_distributions - units.ira_distributions - units.periodic_distributions
    if spouse_taxed is None:
        _, early = retirement_taxable_unless_retired(units)
        drawn = np.asarray(taxed) & (plan > HALF_CENT) & early
    else:
        joint = units.filing_status == MARRIED_JOINT
        spouse_plan = np.where(joint, np.nan_to_num(
            units.spouse_distributions - units.spouse_ira_distributions
            - units.spouse_periodic_distributions), 0.0)
        head_early = ~np.asarray(units.plan_retirement_conditions_met, bool)
        spouse_early = joint & ~np.asarray(units.spouse_plan_retirement_conditions_met, bool)
        drawn = ((np.asarray(taxed) & (plan - spouse_plan > HALF_CENT) & head_early)
                 | (np.asarray(spouse_taxed) & (spouse_plan > HALF_CENT) & spouse_early))
    untold = drawn & (units.state == COST_RECOVERY_STATE)
    return np.where(untold, np.nan, units.state_basis_recovered)


def _split(units: StateUnits, spouse: SpouseIncome) -> None:
    """Give ``units`` each joint return's split by spouse (``spouse_…``; zero on the others):
    the spouse's own wages, benefits and distributions (within the return's, which hold them),
    and of the other income their own (``other_income``) and half the joint accounts'
    (:data:`SPOUSE_SHARE_OF_JOINT_ACCOUNTS`)."""
    on_joint = units.filing_status == MARRIED_JOINT
    n = len(units)
    given = {"spouse_wages": spouse.wages, "spouse_social_security": spouse.social_security,
             "spouse_distributions": spouse.distributions,
             "spouse_early_distributions": spouse.early,
             "spouse_other_income": SPOUSE_SHARE_OF_JOINT_ACCOUNTS * (
                 units.other_income - per_unit(spouse.other_household, n))
             + per_unit(spouse.other, n),
             "spouse_ira_distributions": spouse.ira,
             "spouse_ira_early_distributions": spouse.ira_early,
             "spouse_periodic_distributions": spouse.pension}
    for name, whole in SPOUSE_PART_OF.items():
        total = getattr(units, whole)
        part = np.clip(per_unit(given[name], n),
                       np.minimum(total, 0.0), np.maximum(total, 0.0))
        setattr(units, name, np.where(on_joint, part, 0.0))


@dataclass(frozen=True)
class DrawnShares:
    """The shares of a year's pre-tax draw paid from IRAs (not a plan's account): the
    household's, and the second person's own (T,) or one for every year."""

    household: np.ndarray | float = 0.0
    spouse: np.ndarray | float = 0.0
    #: the shares of the draw paid from IRAs and owing the §72(t) tax (of the draw, not of
    #: its early part)
    household_early: np.ndarray | float = 0.0
    spouse_early: np.ndarray | float = 0.0
    #: the share of the draw from employer contributions in the plans' accounts (NaN: not known)
    employer: np.ndarray | float = 0.0
    #: the share of the draw rolled over from employer contributions into the IRAs
    ira_employer: np.ndarray | float = 0.0
    #: the shares of the draw paid from IRAs on a death (an inherited IRA's, a survivor's as
    #: the dead spouse's beneficiary: :meth:`PlanState.death_drawn`), the household's and the
    #: second person's
    death: np.ndarray | float = 0.0
    spouse_death: np.ndarray | float = 0.0
    #: the shares of the draw from accounts inherited from someone other than a spouse, and of
    #: those the IRAs' (:meth:`PlanState.heir_drawn`), the household's and the second person's
    heir: np.ndarray | float = 0.0
    heir_ira: np.ndarray | float = 0.0
    spouse_heir: np.ndarray | float = 0.0
    spouse_heir_ira: np.ndarray | float = 0.0

    def each(self, T: int) -> tuple[np.ndarray, ...]:
        """(T,) each share: the household's, the spouse's, and their parts owing the §72(t)
        tax."""
        return tuple(per_unit(v, T) for v in (
            self.household, self.spouse, self.household_early, self.spouse_early))


@dataclass
class StateTerms:
    """The programme's state tax of each year: z_t ≥ a_tj + b_tj·D_t + m_t·(O_t − O*_t) +
    c_t for every segment j of the hull, D_t the taxable distribution chosen (the pension
    aside), O_t the other income (interest, dividends, gains), O*_t the last solution's."""

    slope: np.ndarray  # (T, J) b
    intercept: np.ndarray  # (T, J) a
    other_rate: np.ndarray  # (T,) m
    other_at: np.ndarray  # (T,) O*
    carried: np.ndarray  # (T,) c: the tax less its hull at the last solution

    @property
    def zero(self) -> bool:
        """No state tax at all (a state without an income tax): the programme leaves it out."""
        return not (self.slope.any() or self.intercept.any() or self.other_rate.any()
                    or self.carried.any())


def state_terms(ps: PlanState, law: Law, base: TaxUnits, drawn: np.ndarray,
                reach: np.ndarray, spouse: SpouseIncome | None = None,
                spouse_share: np.ndarray | float = 0.0,
                ira_share: DrawnShares | None = None) -> StateTerms:
    """The state's terms at the last solution: ``base`` its federal return of each year
    (T units), ``drawn`` (T,) the taxable distribution it chose (the pension aside; the
    return's distribution is pension + drawn), ``reach`` (T,) the most the year may draw;
    ``spouse``: a couple's, the spouse's own income of each year (its distributions the
    spouse's pension), and ``spouse_share`` (T,) the spouse's share of what is drawn;
    ``ira_share``: the shares of what is drawn paid from IRAs (the household's, the spouse's;
    of those, the parts paid on a death: Arkansas exempts them before 59½, §26-51-307(a)(2)(B))."""
    T = len(base)
    pension = base.taxable_distributions - drawn
    early_share = np.divide(base.early_distributions, np.maximum(drawn, 1e-9),
                            out=np.zeros(T), where=drawn > 0).clip(0, 1)
    step = np.linspace(0, 1, SAMPLES - 1)
    grid = np.maximum(reach, 1.0)[:, None] * (step * step)[None, :]
    grid = np.sort(np.concatenate([grid, drawn[:, None]], axis=1), axis=1)  # (T, S)
    S = grid.shape[1]
    t_idx = np.repeat(np.arange(T), S)
    units = _repeat(base, S).replace(taxable_distributions=pension[t_idx] + grid.ravel(),
                                     early_distributions=(early_share[:, None] * grid).ravel())
    share = per_unit(spouse_share, T)
    ira_share = ira_share or DrawnShares()
    ira_all, ira_spouse, ira_early_all, ira_early_spouse = ira_share.each(T)
    employer_all = per_unit(ira_share.employer, T)
    ira_employer_all = per_unit(ira_share.ira_employer, T)
    death_all, death_spouse = (per_unit(v, T) for v in (ira_share.death, ira_share.spouse_death))
    heir, heir_ira, s_heir, s_heir_ira = (per_unit(v, T) for v in (
        ira_share.heir, ira_share.heir_ira, ira_share.spouse_heir, ira_share.spouse_heir_ira))
    ira_sampled = (ira_all[:, None] * grid).ravel()
    ira_early_sampled = (ira_early_all[:, None] * grid).ravel()
    sampled = at_base = None
    if spouse is not None:
        # (the spouse's draw as early as the year's)
        drawn_s = share[:, None] * grid
        sampled = SpouseIncome(per_unit(spouse.wages, T)[t_idx],
                               per_unit(spouse.social_security, T)[t_idx],
                               (per_unit(spouse.distributions, T)[:, None] + drawn_s).ravel(),
                               (early_share[:, None] * drawn_s).ravel(),
                               (ira_spouse[:, None] * grid).ravel(),
                               (ira_early_spouse[:, None] * grid).ravel(),
                               per_unit(spouse.pension, T)[t_idx],
                               per_unit(spouse.other, T)[t_idx],
                               per_unit(spouse.other_household, T)[t_idx],
                               ira_death=(death_spouse[:, None] * grid).ravel(),
                               heir=(s_heir[:, None] * grid).ravel(),
                               heir_ira=(s_heir_ira[:, None] * grid).ravel())
        at_base = SpouseIncome(spouse.wages, spouse.social_security,
                               per_unit(spouse.distributions, T) + share * drawn,
                               early_share * share * drawn, ira_spouse * drawn,
                               ira_early_spouse * drawn, spouse.pension, spouse.other,
                               spouse.other_household, ira_death=death_spouse * drawn,
                               heir=s_heir * drawn, heir_ira=s_heir_ira * drawn)
    tax = ps.tax(t_idx, units, federal_tax(units, law), law, spouse=sampled,
                 paid=PaidFrom(ira_sampled, ira_early_sampled, pension[t_idx],
                               (employer_all[:, None] * grid).ravel(),
                               (ira_employer_all[:, None] * grid).ravel(),
                               (death_all[:, None] * grid).ravel(),
                               (heir[:, None] * grid).ravel(), (heir_ira[:, None] * grid).ravel()),
                 as_entered=False).reshape(T, S)
    bumped = base.replace(taxable_interest=base.taxable_interest + OTHER_INCOME_STEP)
    paid_at = PaidFrom(ira_all * drawn, ira_early_all * drawn, pension, employer_all * drawn,
                       ira_employer_all * drawn, death_all * drawn, heir * drawn, heir_ira * drawn)
    at = ps.tax(np.arange(T), base, federal_tax(base, law), law, spouse=at_base, paid=paid_at,
                as_entered=False)
    other_rate = (ps.tax(np.arange(T), bumped, federal_tax(bumped, law), law, spouse=at_base,
                         paid=paid_at, as_entered=False) - at) / OTHER_INCOME_STEP
    slopes, icpts = [], []
    for t in range(T):
        b, a = lower_hull_lines(grid[t], tax[t])
        slopes.append(b)
        icpts.append(a)
    J = max(len(b) for b in slopes)
    slope = np.array([np.pad(b, (0, J - len(b)), mode="edge") for b in slopes])
    icpt = np.array([np.pad(a, (0, J - len(a)), mode="edge") for a in icpts])
    hull_at = (slope * drawn[:, None] + icpt).max(axis=1)
    other = (base.taxable_interest + base.ordinary_dividends + base.long_term_gains)
    return StateTerms(slope, icpt, other_rate, other, np.maximum(at - hull_at, 0.0))


def _repeat(units: TaxUnits, times: int) -> TaxUnits:
    """Each unit repeated ``times`` times in a row (unit 0's copies first)."""
    return TaxUnits(**{f.name: np.repeat(getattr(units, f.name), times) for f in fields(units)})


def lower_hull_lines(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lines (slopes, intercepts) of the lower convex hull of the points (x, y), x sorted:
    their maximum is the largest convex function at or below every point, and passes through
    them all where y is convex."""
    keep: list[int] = []
    for i in range(len(x)):
        if keep and x[i] <= x[keep[-1]]:
            if y[i] < y[keep[-1]]:
                keep[-1] = i
            continue
        while len(keep) > 1 and _turns_down(x, y, keep[-2], keep[-1], i):
            keep.pop()
        keep.append(i)
    if len(keep) == 1:
        return np.zeros(1), np.array([y[keep[0]]])
    k = np.array(keep)
    slope = np.diff(y[k]) / np.diff(x[k])
    merged = np.concatenate([[True], np.abs(np.diff(slope)) > SLOPE_TOLERANCE])
    slope, start = slope[merged], k[:-1][merged]
    return slope, y[start] - slope * x[start]


def _turns_down(x, y, i, j, k) -> bool:
    """The point j lies on or above the chord from i to k (not a vertex of the lower hull)."""
    return (y[j] - y[i]) * (x[k] - x[i]) >= (y[k] - y[i]) * (x[j] - x[i])
