"""A batch of cases as arrays: the shape every rule reads (one case is a batch of one).

:meth:`CaseBatch.from_cases` flattens validated :class:`~dist401k.case.Case` objects; per-source
values are ``[n, S]`` arrays whose columns follow :data:`dist401k.sources.SOURCES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from dist401k.case import (
    ALTERNATE_PAYEE_RELATIONSHIPS,
    CORRECTIVES,
    DESTINATION_CHOICES,
    NET_OF,
    PLAN_TYPES,
    PURPOSES,
    RELATIONSHIPS,
    SECTION_401A_PLANS,
    SERIES,
    SPOUSE_ELECTIONS,
    W4P_STATUSES,
    Case,
)
from dist401k.dates import as_dates, years_between
from dist401k.law.filing_status import CODE
from dist401k.sources import AFTER_TAX, INDEX, SOURCES

S = len(SOURCES)
NAT = np.datetime64("NaT", "D")


def _date(d) -> np.datetime64:
    return NAT if d is None else np.datetime64(d, "D")


def _filled_in() -> Any:
    """A column with a default: None when built, the default broadcast to the batch by
    ``CaseBatch.__post_init__`` (so every column is an array once the batch exists)."""
    return field(default=None)


@dataclass
class CaseBatch:
    # the person
    request_date: np.ndarray
    tax_year: np.ndarray
    birth_date: np.ndarray
    spouse_birth_date: np.ndarray
    filing_status: np.ndarray
    spouse_sole_beneficiary: np.ndarray
    disabled: np.ndarray
    terminally_ill: np.ndarray
    five_percent_owner: np.ndarray
    qualified_public_safety: np.ndarray
    firefighter: np.ndarray
    # employment
    active: np.ndarray
    hire_date: np.ndarray
    participation_date: np.ndarray
    separation_date: np.ndarray
    years_of_service: np.ndarray
    # the year's other income
    wages: np.ndarray
    taxable_interest: np.ndarray
    tax_exempt_interest: np.ndarray
    ordinary_dividends: np.ndarray
    qualified_dividends: np.ndarray
    long_term_gains: np.ndarray
    other_distributions: np.ndarray
    social_security: np.ndarray
    other_income: np.ndarray
    itemized_deductions: np.ndarray
    charitable_cash: np.ndarray
    medical_expenses: np.ndarray
    # the plan
    plan_type: np.ndarray
    governmental: np.ndarray
    in_service_allowed: np.ndarray  # [n, S]
    in_service_min_age: np.ndarray  # [n, S], NaN = no age condition
    seasoning_years: np.ndarray  # [n, S], NaN = none
    participation_years: np.ndarray  # [n, S], NaN = none
    withdrawals_per_year: np.ndarray  # inf = no limit
    minimum_withdrawal: np.ndarray
    hardship_allowed: np.ndarray
    hardship_self_certification: np.ndarray
    hardship_sources: np.ndarray  # [n, S]
    loans_allowed: np.ndarray
    loans_max_count: np.ndarray
    loans_floor: np.ndarray
    loan_rate: np.ndarray
    loan_residence_term: np.ndarray
    loan_payments_per_year: np.ndarray
    emergency_expense_adopted: np.ndarray
    domestic_abuse_adopted: np.ndarray
    birth_adoption_adopted: np.ndarray
    disaster_adopted: np.ndarray
    long_term_care_adopted: np.ndarray
    accepts_rollins: np.ndarray
    spousal_consent: np.ndarray
    still_working_exception: np.ndarray
    disability_distributions: np.ndarray
    # the account
    balance: np.ndarray  # [n, S]
    vested: np.ndarray  # [n, S]
    seasoned: np.ndarray  # [n, S]
    basis: np.ndarray  # [n, S]
    roth_contributions: np.ndarray  # [n, S]
    roth_first_year: np.ndarray  # [n, S], NaN = none
    prior_year_end_balance: np.ndarray  # NaN = not given (routes.rmd: today's non-Roth money, said)
    loan_outstanding: np.ndarray
    loan_highest: np.ndarray
    loan_count: np.ndarray
    loan_residence: np.ndarray  # 1 / 0; NaN = not given (routes.loan: by the purpose)
    withdrawals_this_year: np.ndarray
    distributed_this_year: np.ndarray
    last_year_rmd_unpaid: np.ndarray
    last_emergency_year: np.ndarray  # NaN = none
    emergency_unrepaid: np.ndarray
    prior_event_distributions: np.ndarray
    stock_value: np.ndarray
    stock_basis: np.ndarray
    deferrals_last_two_years: np.ndarray
    # IRAs
    ira_traditional: np.ndarray
    ira_basis: np.ndarray
    ira_roth: np.ndarray
    ira_roth_first_year: np.ndarray
    # the request
    amount: np.ndarray  # NaN = as much as possible
    purpose: np.ndarray
    need: np.ndarray  # NaN = not given
    event_date: np.ndarray
    disaster_declared: np.ndarray
    long_term_care_premiums: np.ndarray
    destination: np.ndarray
    withholding_rate: np.ndarray  # NaN = default
    # an inherited account (case.beneficiary); every column has a default ("not inherited") so
    # that builders which do not know these columns keep working
    inherited: np.ndarray = _filled_in()
    deceased_birth_date: np.ndarray = _filled_in()
    date_of_death: np.ndarray = _filled_in()
    relationship: np.ndarray = _filled_in()  # index in RELATIONSHIPS, -1 = none
    inherited_ira: np.ndarray = _filled_in()
    inherited_roth: np.ndarray = _filled_in()
    deceased_rbd: np.ndarray = _filled_in()  # NaT = from the applicable age
    sole_beneficiary: np.ndarray = _filled_in()
    beneficiary_disabled: np.ndarray = _filled_in()
    chronically_ill: np.ndarray = _filled_in()
    spouse_election: np.ndarray = _filled_in()  # index in SPOUSE_ELECTIONS
    elected_ten_year: np.ndarray = _filled_in()
    inherited_prior_balance: np.ndarray = _filled_in()
    inherited_distributed: np.ndarray = _filled_in()
    missed_year: np.ndarray = _filled_in()  # [n, K], NaN = none
    missed_shortfall: np.ndarray = _filled_in()  # [n, K]
    missed_corrected: np.ndarray = _filled_in()  # [n, K]
    # the state of residence and the plan's retirement age (state income tax); defaults for
    # builders that do not know them
    state: np.ndarray = _filled_in()  # USPS code, "" = not given
    new_york_city: np.ndarray = _filled_in()  # lives in New York City (state NY)
    yonkers: np.ndarray = _filled_in()  # lives in the City of Yonkers (state NY)
    maryland_county: np.ndarray = _filled_in()  # the law's key of the county ("" = none; MD)
    plan_retirement_age: np.ndarray = _filled_in()  # NaN = not given (59½)
    # contributions the state of residence already taxed, not yet recovered (Pennsylvania's
    # cost recovery: dist401k.state_outcome); 0 = none given
    state_taxed_contributions: np.ndarray = _filled_in()
    # the cash wanted in hand instead of a gross amount (NaN: none), and what it is net of
    net_amount: np.ndarray = _filled_in()
    net_of: np.ndarray = _filled_in()  # index in NET_OF
    state_withholding_rate: np.ndarray = _filled_in()  # NaN = the state's default
    ira_backdoor: np.ndarray = _filled_in()  # a nondeductible contribution converted this year
    # a loan that goes bad: a missed payment, the plan's cure period, a plan termination
    loan_missed_date: np.ndarray = _filled_in()  # NaT = no payment missed
    loan_accrued_interest: np.ndarray = _filled_in()  # NaN = figured at the plan's rate
    loan_cure_days: np.ndarray = _filled_in()  # NaN = to the regulation's latest end
    plan_terminated: np.ndarray = _filled_in()
    # the employer keeps another DC plan that bars the payout on termination (routes.separation)
    alternative_dc_plan: np.ndarray = _filled_in()
    # a governmental 457(b)'s small-account cash-out: provided by the plan, already paid once
    small_account_cash_out: np.ndarray = _filled_in()
    prior_small_account_cash_out: np.ndarray = _filled_in()
    # the Roth IRAs for the ordering rules (dist401k.roth_ira_ordering)
    ira_roth_contributions: np.ndarray = _filled_in()  # basis in regular contributions
    ira_first_home_prior: np.ndarray = _filled_in()
    roth_conversion_year: np.ndarray = _filled_in()  # [n, C], NaN = none
    roth_conversion_amount: np.ndarray = _filled_in()  # [n, C]
    roth_conversion_taxable: np.ndarray = _filled_in()  # [n, C]
    # in-plan Roth rollovers into designated Roth money (dist401k.irr_recapture): the sources
    # whose history the case gives ([n, S]), each rollover's year, taxable amount and source
    irr_given: np.ndarray = _filled_in()  # [n, S]
    irr_year: np.ndarray = _filled_in()  # [n, R], NaN = none
    irr_amount: np.ndarray = _filled_in()  # [n, R]
    irr_source: np.ndarray = _filled_in()  # [n, R], index in SOURCES, -1 = none
    # the after-tax money's investment in the contract as of December 31, 1986 not yet
    # recovered, in a plan that then permitted in-service withdrawal of employee contributions:
    # recovered first (IRC §72(e)(8)(D); dist401k.basis.after_tax_nontaxable); part of ``basis``
    pre_1987_basis: np.ndarray = _filled_in()
    # a separate filer who lived apart from the spouse all year: a single filer's §86 base
    # amounts (IRC §86(c)(1)(C)(ii)); false: lived together some time in the year (zero)
    lived_apart: np.ndarray = _filled_in()
    # the §63(f)(2) additional amount for blindness: the person's, the spouse's (a joint return
    # only); a separate filer whose spouse itemizes: no standard deduction (§63(c)(6)(A))
    blind: np.ndarray = _filled_in()
    spouse_blind: np.ndarray = _filled_in()
    spouse_itemizes: np.ndarray = _filled_in()
    # a dependent's standard deduction (IRC §63(c)(5)) and a child's tax at the parent's rate
    # (§1(g), Form 8615): the parent's filing status -1 and taxable income NaN = not given
    dependent: np.ndarray = _filled_in()
    full_time_student: np.ndarray = _filled_in()
    earned_over_half_support: np.ndarray = _filled_in()
    parent_filing_status: np.ndarray = _filled_in()
    parent_taxable_income: np.ndarray = _filled_in()
    other_children_nui: np.ndarray = _filled_in()
    # a payment to an alternate payee under a QDRO (case.alternate_payee, dist401k.routes.qdro):
    # defaults "none" for builders that do not know these columns
    alternate_payee: np.ndarray = _filled_in()
    ap_relationship: np.ndarray = _filled_in()  # index in ALTERNATE_PAYEE_RELATIONSHIPS, -1 = none
    ap_payable_now: np.ndarray = _filled_in()
    ap_participant_birth_date: np.ndarray = _filled_in()  # NaT: not given
    # SECURE 2.0 limits past one distribution (dist401k.routes.secure2): children of the birth or
    # adoption (its limit is per child), contributions since the last emergency distribution
    event_children: np.ndarray = _filled_in()
    emergency_contributions_since: np.ndarray = _filled_in()
    # the disaster's declaration (IRC §72(t)(11)(D)); NaT = not given: event_date is both dates
    disaster_declaration_date: np.ndarray = _filled_in()
    # W-4R elections the law voids (IRC §3405(e)(12), (13); dist401k.withholding): the payee
    # furnished a TIN, the payment is delivered outside the United States
    payee_tin_furnished: np.ndarray = _filled_in()
    delivered_outside_us: np.ndarray = _filled_in()
    # a payment that is one of a series (request.series, dist401k.annuity): its kind (index in
    # SERIES, 0 = none), period in years (NaN), payments a year, annuity starting date, the cost
    # at that date (NaN: not given) and the part recovered, the other annuitant's birth date,
    # the years of guaranteed payments (NaN: not given); a corrective distribution's kind
    # (index in CORRECTIVES, 0 = none: the others are refused, dist401k.case)
    series: np.ndarray = _filled_in()
    series_years: np.ndarray = _filled_in()
    series_per_year: np.ndarray = _filled_in()
    annuity_start: np.ndarray = _filled_in()
    series_cost: np.ndarray = _filled_in()
    series_recovered: np.ndarray = _filled_in()
    series_other_birth: np.ndarray = _filled_in()
    series_guaranteed_years: np.ndarray = _filled_in()
    corrective: np.ndarray = _filled_in()
    # the payee's Form W-4P for a periodic payment (request.w4p_*, dist401k.withholding.W4p):
    # the Step 1(c) box (index in ("",) + W4P_STATUSES, 0 = no W-4P), Step 2's box, Step 3's
    # credits, Step 4(a), (b) (USD a year), Step 4(c) (USD a payment), the election out
    w4p_status: np.ndarray = _filled_in()
    w4p_step2: np.ndarray = _filled_in()
    w4p_credits: np.ndarray = _filled_in()
    w4p_other_income: np.ndarray = _filled_in()
    w4p_deductions: np.ndarray = _filled_in()
    w4p_extra: np.ndarray = _filled_in()
    w4p_exempt: np.ndarray = _filled_in()
    # Schedule A's parts before their limits (income.state_local_taxes, itemized_charity,
    # other_itemized; with income.medical_expenses where no total is given): 0 where not given.
    state_local_taxes: np.ndarray = _filled_in()
    itemized_charity: np.ndarray = _filled_in()
    other_itemized: np.ndarray = _filled_in()

    _DEFAULTS = {"inherited": False, "deceased_birth_date": NAT, "date_of_death": NAT,
                 "relationship": -1, "inherited_ira": False, "inherited_roth": False,
                 "deceased_rbd": NAT, "sole_beneficiary": True, "beneficiary_disabled": False,
                 "chronically_ill": False, "spouse_election": 0, "elected_ten_year": False,
                 "inherited_prior_balance": 0.0, "inherited_distributed": 0.0}
    _DEFAULTS_2D = {"missed_year": np.nan, "missed_shortfall": 0.0, "missed_corrected": False,
                    "roth_conversion_year": np.nan, "roth_conversion_amount": 0.0,
                    "roth_conversion_taxable": 0.0, "irr_year": np.nan, "irr_amount": 0.0,
                    "irr_source": -1.0}
    #: The [n, K] columns padded together, each group by its first column's lengths.
    _GROUPS_2D = (("missed_year", "missed_shortfall", "missed_corrected"),
                  ("roth_conversion_year", "roth_conversion_amount", "roth_conversion_taxable"),
                  ("irr_year", "irr_amount", "irr_source"))
    _STATE_DEFAULTS = {"state": "", "new_york_city": False, "yonkers": False,
                       "maryland_county": "",
                       "plan_retirement_age": np.nan, "state_taxed_contributions": 0.0,
                       "net_amount": np.nan,
                       "net_of": 0, "ira_backdoor": 0.0, "state_withholding_rate": np.nan,
                       "ira_roth_contributions": 0.0, "ira_first_home_prior": 0.0}
    _LOAN_DEFAULTS = {"loan_missed_date": NAT, "loan_accrued_interest": np.nan,
                      "loan_cure_days": np.nan, "plan_terminated": False,
                      "alternative_dc_plan": False}
    _CASH_OUT_DEFAULTS = {"small_account_cash_out": False, "prior_small_account_cash_out": False}
    _BASIS_DEFAULTS = {"pre_1987_basis": 0.0}
    _RETURN_DEFAULTS = {"lived_apart": False, "blind": False, "spouse_blind": False,
                        "spouse_itemizes": False, "dependent": False, "full_time_student": False,
                        "earned_over_half_support": False, "parent_filing_status": -1,
                        "parent_taxable_income": np.nan, "other_children_nui": 0.0}
    _QDRO_DEFAULTS = {"alternate_payee": False, "ap_relationship": -1, "ap_payable_now": False,
                      "ap_participant_birth_date": NAT}
    _SECURE2_DEFAULTS = {"event_children": 1.0, "emergency_contributions_since": 0.0,
                         "disaster_declaration_date": NAT}
    _ELECTION_DEFAULTS = {"payee_tin_furnished": True, "delivered_outside_us": False}
    _SERIES_DEFAULTS = {"series": 0, "series_years": np.nan, "series_per_year": 12.0,
                        "annuity_start": NAT, "series_cost": np.nan, "series_recovered": 0.0,
                        "series_other_birth": NAT, "series_guaranteed_years": np.nan,
                        "corrective": 0}
    _W4P_DEFAULTS = {"w4p_status": 0, "w4p_step2": False, "w4p_credits": 0.0,
                     "w4p_other_income": 0.0, "w4p_deductions": 0.0, "w4p_extra": 0.0,
                     "w4p_exempt": False}
    _ITEMIZED_DEFAULTS = {"state_local_taxes": 0.0, "itemized_charity": 0.0, "other_itemized": 0.0}

    def __post_init__(self) -> None:
        n = len(self)
        for k, v in (self._DEFAULTS | self._STATE_DEFAULTS | self._LOAN_DEFAULTS
                     | self._CASH_OUT_DEFAULTS | self._BASIS_DEFAULTS
                     | self._RETURN_DEFAULTS | self._QDRO_DEFAULTS
                     | self._SECURE2_DEFAULTS | self._ELECTION_DEFAULTS
                     | self._SERIES_DEFAULTS | self._W4P_DEFAULTS
                     | self._ITEMIZED_DEFAULTS).items():
            if getattr(self, k) is None:
                setattr(self, k, np.broadcast_to(np.asarray(v), (n,)))
        for k, v in self._DEFAULTS_2D.items():
            if getattr(self, k) is None:
                setattr(self, k, np.broadcast_to(np.asarray(v), (n, 0)))
        if self.irr_given is None:
            self.irr_given = np.broadcast_to(np.asarray(False), (n, S))
        self.vested = vested_on_termination(self.plan_type, self.plan_terminated, self.vested)

    def __len__(self) -> int:
        return int(self.tax_year.shape[0])

    @property
    def vested_balance(self) -> np.ndarray:
        return self.balance * self.vested

    def take(self, index) -> "CaseBatch":
        index = np.asarray(index)
        out = {}
        for f in fields(self):
            a = getattr(self, f.name)
            if a.strides and a.strides[0] == 0:  # a broadcast default: stays a view
                out[f.name] = np.broadcast_to(a[0], (len(index),) + a.shape[1:])
            else:
                out[f.name] = a[index]
        return CaseBatch(**out)

    @classmethod
    def from_cases(cls, cases: list[Case]) -> "CaseBatch":
        """Validated cases as one batch: each case's columns, stacked once."""
        cols = _stacked([_case_columns(c) for c in cases])
        cols["years_of_service"] = years_of_service(cols["years_of_service"], cols["hire_date"],
                                                    cols["separation_date"], cols["request_date"])
        return cls(**cols)


#: The plans under §401(a), whose termination makes every account nonforfeitable (IRC
#: §411(d)(3)); a governmental or church plan's by the pre-ERISA §401(a)(7) that §411(e)(2) keeps.
#: Not a 403(b) (§403(b)(1)(C); Treas. Reg. §1.403(b)-10(a)(1)) nor a 457(b), which §411 does not
#: reach.


def vested_on_termination(plan_type, terminated, vested):
    """[n, S] the vested share of each source: 1 in a terminated §401(a) plan (IRC §411(d)(3)(A):
    upon the plan's termination "the rights of all affected employees to ... the amounts
    credited to the employees' accounts, are nonforfeitable"); as given elsewhere.  A partial
    termination, or a discontinuance of contributions (§411(d)(3)(B)), is not modelled."""
    if vested is None or plan_type is None or terminated is None:
        return vested
    term = np.asarray(terminated, bool) & np.isin(plan_type, SECTION_401A_PLANS)
    if not term.any():
        return vested
    return np.where(term[:, None], 1.0, vested)


# Per money source: [n, S] columns (the boolean ones: whether a source may be drawn on).
PER_SOURCE = ("in_service_allowed", "in_service_min_age", "seasoning_years",
              "participation_years", "hardship_sources", "balance", "vested", "seasoned", "basis",
              "roth_contributions", "roth_first_year", "irr_given")
PER_SOURCE_FLAGS = ("in_service_allowed", "hardship_sources", "irr_given")


def _stacked(rows: list[dict]) -> dict[str, np.ndarray]:
    """Each CaseBatch field's values of every case as one array: [n], [n, S] per money source,
    [n, K] for an inherited account's missed years (padded with their defaults)."""
    n = len(rows)
    out = {}
    for group in CaseBatch._GROUPS_2D:
        k_max = max((len(r[group[0]]) for r in rows), default=0)
        for k in group:
            fill = CaseBatch._DEFAULTS_2D[k]
            out[k] = np.array([list(r[k]) + [fill] * (k_max - len(r[k])) for r in rows],
                              dtype=type(fill) if isinstance(fill, bool) else float
                              ).reshape(n, k_max)
    for f in fields(CaseBatch):
        if f.name in out:
            continue
        v = [r[f.name] for r in rows]
        if f.name in PER_SOURCE:
            out[f.name] = np.array(v, dtype=bool if f.name in PER_SOURCE_FLAGS else float
                                   ).reshape(n, S)
        elif v and isinstance(v[0], np.datetime64):
            out[f.name] = np.array(v, dtype="datetime64[D]")
        else:
            out[f.name] = np.array(v)
    return out


def _case_columns(c: Case) -> dict:
    """One case's value of every CaseBatch field (an array of S values per money source)."""
    return {**_person_columns(c), **_employment_columns(c), **_income_columns(c),
            **_plan_columns(c), **_in_service_columns(c), **_source_columns(c),
            **_account_columns(c), **_ira_columns(c), **_request_columns(c),
            **_beneficiary_columns(c), **_alternate_payee_columns(c)}


def _person_columns(c: Case) -> dict:
    p = c.person
    return {"request_date": _date(c.request.date), "tax_year": c.request.date.year,
            "birth_date": _date(p.birth_date), "spouse_birth_date": _date(p.spouse_birth_date),
            "filing_status": CODE[p.filing_status],
            **{k: getattr(p, k) for k in ("spouse_sole_beneficiary", "lived_apart", "blind",
                                          "spouse_blind", "spouse_itemizes", "disabled",
                                          "terminally_ill", "five_percent_owner",
                                          "qualified_public_safety", "firefighter")},
            # the state of residence on the day of the payment (a move's, from its date)
            "state": p.state_on(c.request.date) or "",
            "new_york_city": p.new_york_city and p.state_on(c.request.date) == "NY",
            "yonkers": p.yonkers and p.state_on(c.request.date) == "NY",
            "maryland_county": (p.maryland_county or "") if p.state_on(c.request.date) == "MD"
            else "", **_parent_columns(p)}


def _parent_columns(p) -> dict:
    """A dependent's and a child's facts for §63(c)(5) and §1(g) (NaN, -1: no parent given)."""
    parent = p.parent
    return {"dependent": p.dependent, "full_time_student": p.full_time_student,
            "earned_over_half_support": p.earned_over_half_support,
            "parent_filing_status": -1 if parent is None else CODE[parent.filing_status],
            "parent_taxable_income": np.nan if parent is None else parent.taxable_income,
            "other_children_nui": 0.0 if parent is None
            else parent.other_children_net_unearned_income}


def _employment_columns(c: Case) -> dict:
    e = c.employment
    return {"active": e.status == "active", "hire_date": _date(e.hire_date),
            "participation_date": _date(e.participation_date or e.hire_date),
            "separation_date": _date(e.separation_date),
            # as given; else from the dates, once for the batch (years_of_service)
            "years_of_service": np.nan if e.years_of_service is None else e.years_of_service}


def years_of_service(given, hire, separation, request) -> np.ndarray:
    """Years of service under the plan (the public safety exception's "at least 25 years",
    IRC §72(t)(10)(A)): as given, or from the hire date to the separation date (still
    working: the request date) counted by anniversaries (:func:`dates.years_between`); NaN
    without a hire date."""
    end = np.where(np.isnat(as_dates(separation)), as_dates(request), as_dates(separation))
    given = np.asarray(given, dtype=float)
    return np.where(np.isnan(given), years_between(hire, end), given)


def _income_columns(c: Case) -> dict:
    return {k: getattr(c.income, k) for k in (
        "wages", "taxable_interest", "tax_exempt_interest", "ordinary_dividends",
        "qualified_dividends", "long_term_gains", "other_distributions", "social_security",
        "other_income", "itemized_deductions", "charitable_cash", "medical_expenses",
        "state_local_taxes", "itemized_charity", "other_itemized")}


def _plan_columns(c: Case) -> dict:
    """The plan's provisions other than those by money source."""
    plan = c.plan
    return {
        "plan_type": PLAN_TYPES.index(plan.type),
        "governmental": plan.governmental or plan.type == "governmental_457b",
        "withdrawals_per_year": (np.inf if plan.withdrawals_per_year is None
                                 else plan.withdrawals_per_year),
        "minimum_withdrawal": plan.minimum_withdrawal,
        "hardship_allowed": plan.hardship.allowed,
        "hardship_self_certification": plan.hardship.self_certification,
        "loans_allowed": plan.loans.allowed, "loans_max_count": plan.loans.max_count,
        "loans_floor": plan.loans.lends_to_floor, "loan_rate": plan.loans.interest_rate,
        "loan_residence_term": plan.loans.residence_term_years,
        "loan_payments_per_year": plan.loans.payments_per_year,
        "loan_cure_days": np.nan if plan.loans.cure_days is None else plan.loans.cure_days,
        "plan_terminated": plan.terminated,
        "alternative_dc_plan": plan.alternative_dc_plan,
        "small_account_cash_out": plan.small_account_cash_out,
        **{f"{k}_adopted": getattr(plan.secure2, k) for k in (
            "emergency_expense", "domestic_abuse", "birth_adoption", "disaster",
            "long_term_care")},
        **{k: getattr(plan, k) for k in ("accepts_rollins", "spousal_consent",
                                         "still_working_exception", "disability_distributions")},
        "plan_retirement_age": np.nan if plan.retirement_age is None else plan.retirement_age,
    }


def _in_service_columns(c: Case) -> dict:
    """By money source: in-service withdrawals allowed, and their conditions (NaN: none); the
    sources a hardship may draw on."""
    allowed, min_age, seas, part = (np.zeros(S, bool), np.full(S, np.nan),
                                    np.full(S, np.nan), np.full(S, np.nan))
    for src, rule in c.plan.in_service.items():
        j = INDEX[src]
        allowed[j] = rule.allowed
        min_age[j] = np.nan if rule.min_age is None else rule.min_age
        seas[j] = np.nan if rule.seasoning_years is None else rule.seasoning_years
        part[j] = np.nan if rule.participation_years is None else rule.participation_years
    hardship = np.zeros(S, bool)
    for src in c.plan.hardship.sources:
        hardship[INDEX[src]] = True
    return {"in_service_allowed": allowed, "in_service_min_age": min_age,
            "seasoning_years": seas, "participation_years": part, "hardship_sources": hardship}


def _source_columns(c: Case) -> dict:
    """The account by money source: balance, vested share, seasoned money, basis, Roth
    contributions and first Roth year (NaN: none); the after-tax money's pre-1987 basis."""
    bal, vest, seasd, basis, rc, rfy = (np.zeros(S), np.ones(S), np.zeros(S), np.zeros(S),
                                        np.zeros(S), np.full(S, np.nan))
    given, irr, pre_1987 = np.zeros(S, bool), [], 0.0
    for src, sb in c.account.sources.items():
        j = INDEX[src]
        pre_1987 += sb.pre_1987_basis if AFTER_TAX[j] else 0.0
        bal[j], vest[j] = sb.balance, sb.vested
        seasd[j] = sb.balance if sb.seasoned is None else sb.seasoned
        basis[j], rc[j] = sb.basis, sb.contributions
        rfy[j] = np.nan if sb.first_year is None else sb.first_year
        given[j] = sb.in_plan_roth_rollovers is not None
        irr += [(float(r.year), r.amount, float(j)) for r in sb.in_plan_roth_rollovers or ()]
    return {"balance": bal, "vested": vest, "seasoned": seasd, "basis": basis,
            "roth_contributions": rc, "roth_first_year": rfy, "irr_given": given,
            "irr_year": [r[0] for r in irr], "irr_amount": [r[1] for r in irr],
            "irr_source": [r[2] for r in irr], "pre_1987_basis": pre_1987}


def _account_columns(c: Case) -> dict:
    """The account's other facts: last year's balance (NaN where not given: the RMD route takes
    today's non-Roth money and says so), loans, this year's withdrawals, SECURE 2.0 history,
    employer stock."""
    a = c.account
    return {
        "prior_year_end_balance": (np.nan if a.prior_year_end_balance is None
                                   else a.prior_year_end_balance),
        "loan_outstanding": a.loans.outstanding, "loan_highest": a.loans.highest_last_12_months,
        "loan_count": a.loans.count, "loan_residence": (np.nan if a.loans.residence is None
                                                        else float(a.loans.residence)),
        "loan_missed_date": _date(a.loans.missed_payment_date),
        "loan_accrued_interest": (np.nan if a.loans.accrued_interest is None
                                  else a.loans.accrued_interest),
        "withdrawals_this_year": a.withdrawals_this_year,
        "distributed_this_year": a.distributed_this_year,
        "last_year_rmd_unpaid": a.last_year_rmd_unpaid,
        "last_emergency_year": (np.nan if a.last_emergency_year is None
                                else a.last_emergency_year),
        "emergency_unrepaid": a.emergency_unrepaid,
        "prior_event_distributions": a.prior_event_distributions,
        "emergency_contributions_since": a.emergency_contributions_since,
        "stock_value": a.employer_stock.value, "stock_basis": a.employer_stock.cost_basis,
        "deferrals_last_two_years": a.deferrals_last_two_years,
        "prior_small_account_cash_out": a.prior_small_account_cash_out,
        "state_taxed_contributions": a.state_taxed_contributions,
    }


def _ira_columns(c: Case) -> dict:
    ira = c.iras
    return {"ira_traditional": ira.traditional, "ira_basis": ira.traditional_basis,
            "ira_roth": ira.roth,
            "ira_roth_first_year": np.nan if ira.roth_first_year is None else ira.roth_first_year,
            "ira_backdoor": ira.backdoor_roth_planned,
            "ira_roth_contributions": ira.roth_contributions,
            "ira_first_home_prior": ira.first_home_prior,
            "roth_conversion_year": [float(x.year) for x in ira.roth_conversions],
            "roth_conversion_amount": [x.amount for x in ira.roth_conversions],
            "roth_conversion_taxable": [x.taxable_amount for x in ira.roth_conversions]}


def _request_columns(c: Case) -> dict:
    """The request; NaN for an amount of "max", a need not given, the default withholding."""
    r = c.request
    return {"amount": np.nan if r.amount == "max" else float(r.amount),
            "purpose": PURPOSES.index(r.purpose), "need": np.nan if r.need is None else r.need,
            "event_date": _date(r.event_date), "event_children": r.event_children,
            "disaster_declared": r.disaster_declared,
            "disaster_declaration_date": _date(r.disaster_declaration_date),
            "long_term_care_premiums": r.long_term_care_premiums,
            "destination": DESTINATION_CHOICES.index(r.destination),
            "withholding_rate": np.nan if r.withholding_rate is None else r.withholding_rate,
            "payee_tin_furnished": r.payee_tin_furnished,
            "delivered_outside_us": r.delivered_outside_us,
            "net_amount": np.nan if r.net_amount is None else r.net_amount,
            "state_withholding_rate": (np.nan if r.state_withholding_rate is None
                                       else r.state_withholding_rate),
            "net_of": NET_OF.index(r.net_of), **_series_columns(c), **_w4p_columns(c)}


def _w4p_columns(c: Case) -> dict:
    """The payee's Form W-4P (request.w4p_*): the Step 1(c) box's index, 0 where none."""
    r = c.request
    return {"w4p_status": (0 if r.w4p_filing_status is None
                           else 1 + W4P_STATUSES.index(r.w4p_filing_status)),
            "w4p_step2": r.w4p_step2, "w4p_credits": r.w4p_credits,
            "w4p_other_income": r.w4p_other_income, "w4p_deductions": r.w4p_deductions,
            "w4p_extra": r.w4p_extra, "w4p_exempt": r.w4p_no_withholding}


def _series_columns(c: Case) -> dict:
    """A payment in a series (request.series): NaN, NaT where not given; the other annuitant
    of a joint series is the beneficiary given, else the spouse."""
    r = c.request
    return {"series": SERIES.index(r.series),
            "series_years": np.nan if r.series_years is None else float(r.series_years),
            "series_per_year": float(r.series_payments_per_year),
            "annuity_start": _date(r.annuity_start_date),
            "series_cost": np.nan if r.series_cost is None else r.series_cost,
            "series_recovered": r.series_cost_recovered,
            "series_other_birth": _date(r.series_beneficiary_birth_date
                                        or c.person.spouse_birth_date),
            "series_guaranteed_years": (np.nan if r.series_guaranteed_years is None
                                        else float(r.series_guaranteed_years)),
            "corrective": CORRECTIVES.index(r.corrective)}


def _beneficiary_columns(c: Case) -> dict:
    """The columns of an inherited account (defaults when the case has none)."""
    ben = c.beneficiary
    if ben is None:
        return {**CaseBatch._DEFAULTS, **{k: [] for k in CaseBatch._GROUPS_2D[0]}}
    total = sum(sb.balance * sb.vested for sb in c.account.sources.values())
    return {
        "inherited": True, "deceased_birth_date": _date(ben.deceased_birth_date),
        "date_of_death": _date(ben.date_of_death),
        "relationship": RELATIONSHIPS.index(ben.relationship),
        "inherited_ira": ben.account == "ira", "inherited_roth": ben.roth,
        "deceased_rbd": _date(ben.required_beginning_date),
        "sole_beneficiary": ben.sole_beneficiary, "beneficiary_disabled": ben.disabled,
        "chronically_ill": ben.chronically_ill,
        "spouse_election": SPOUSE_ELECTIONS.index(ben.spouse_election),
        "elected_ten_year": ben.elected_ten_year,
        "inherited_prior_balance": (total if ben.prior_year_end_balance is None
                                    else ben.prior_year_end_balance),
        "inherited_distributed": ben.distributed_this_year,
        "missed_year": [float(m.year) for m in ben.missed],
        "missed_shortfall": [m.shortfall for m in ben.missed],
        "missed_corrected": [m.corrected for m in ben.missed],
    }


def _alternate_payee_columns(c: Case) -> dict:
    """The columns of an alternate payee's QDRO payment (defaults when the case has none)."""
    ap = c.alternate_payee
    if ap is None:
        return dict(CaseBatch._QDRO_DEFAULTS)
    return {"alternate_payee": True,
            "ap_relationship": ALTERNATE_PAYEE_RELATIONSHIPS.index(ap.relationship),
            "ap_payable_now": ap.payable_now,
            "ap_participant_birth_date": _date(ap.participant_birth_date)}
