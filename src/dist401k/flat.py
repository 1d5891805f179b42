"""Flat rows ↔ cases: one row per participant (or request) in a Parquet or CSV file.

The columns are flat versions of the case fields (docs/batch.md).  :func:`batch_from_table`
turns an Arrow table into a :class:`~dist401k.batch.CaseBatch` with array operations only, and
returns one error per bad row (row id, column, message) instead of losing it; the checks are
those of the case model.  :func:`row_to_case` maps one row to a case file's structure (used to
check that batch results equal ``dist401k assess``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dist401k.batch import CaseBatch, years_of_service
from dist401k.bounds import YEAR
from dist401k.case import (
    ALTERNATE_PAYEE_RELATIONSHIPS,
    ALTERNATE_PAYEE_ROTH,
    ALTERNATE_PAYEE_SPOUSES,
    BORN_AFTER_DEATH,
    CORRECTIVE_PROBLEM,
    CORRECTIVES,
    DEPENDENT_NO_ROLLOVER,
    DESTINATION_CHOICES,
    FIRST_HOME_CAP_LAW,
    HEIR_OR_PAYEE,
    INHERITED_ACCOUNTS,
    ITEMIZED_PARTS_OF_CASE,
    LIVED_APART_SEPARATE_ONLY,
    NET_OF,
    PARENT_NOT_ON_JOINT,
    PARTICIPANT_IS_PERSON,
    PLAN_TYPES,
    PRE_1987_WITHIN_BASIS,
    PURPOSE_OTHER,
    PURPOSES,
    RELATIONSHIPS,
    ROTH_MADE_OWN,
    SERIES,
    SPOUSE_BLIND_JOINT_ONLY,
    SPOUSE_ELECTIONS,
    STOCK_BASIS_REQUIRED,
    STOCK_VALUE_REQUIRED,
    STOCK_WITHIN_VESTED,
    W4P_STATUSES,
    PlanType,
    Purpose,
    Relationship,
    SeriesFacts,
    SpouseElection,
    active_but_separated,
    active_but_separated_words,
    declared_field,
    declared_range,
    declared_whole,
    emergency_year_floor,
    first_home_prior_too_much,
    roth_first_year_floor,
    series_problems,
    w4p_problems,
)
from dist401k.dates import date_problem, parse_date_column
from dist401k.errors import (
    FINITE,
    NUMBERS_IN_TEXT,
    TOO_LARGE,
    date_hint,
    integer_beyond_float,
    not_a_number,
    plain_number,
    year_without_law,
)
from dist401k.filing import PARTY_COLUMNS
from dist401k.io.tables import numbers_in_text
from dist401k.ira_contribution_limit import contribution_limit, over_limit, over_limit_words
from dist401k.law.filing_status import FILING_STATUSES, FilingStatus, codes_and_unknown
from dist401k.law.loader import Law, default_law
from dist401k.numerals import number_text
from dist401k.sources import (
    ALWAYS_VESTED,
    INDEX,
    ROTH,
    SOURCES,
    vesting_rule,
)
from dist401k.tax.state.units import COUNTY_RATES, STATE_CODES
from dist401k.tax.units import (
    FALSE_WORDS,
    PARENT_INCOME_REQUIRED,
    SPOUSE_ITEMIZES_SEPARATE_ONLY,
    TRUE_WORDS,
    total_with_parts,
)
from dist401k.tin import tins_given
from dist401k.withholding_elections import ELECTION_NEEDS_STATE, ELECTION_NO_TAX, election_refused

S = len(SOURCES)
NAT = np.datetime64("NaT", "D")

# (column, CaseBatch field, kind, case field); kinds: date, bool, num, enum:<choices>.  The
# case field is the one declaration a column reads: its default, whether it is required and
# its range come from the case model (dist401k.case, dist401k.bounds).
SCALARS: list[tuple[str, str, str, str]] = [
    ("request_date", "request_date", "date", "request.date"),
    ("birth_date", "birth_date", "date", "person.birth_date"),
    ("plan_type", "plan_type", "enum:plan_type", "plan.type"),
    ("filing_status", "filing_status", "enum:filing_status", "person.filing_status"),
    ("spouse_birth_date", "spouse_birth_date", "date", "person.spouse_birth_date"),
    ("spouse_sole_beneficiary", "spouse_sole_beneficiary", "bool", "person.spouse_sole_beneficiary"),
    ("lived_apart", "lived_apart", "bool", "person.lived_apart"),
    ("blind", "blind", "bool", "person.blind"),
    ("spouse_blind", "spouse_blind", "bool", "person.spouse_blind"),
    ("spouse_itemizes", "spouse_itemizes", "bool", "person.spouse_itemizes"),
    ("disabled", "disabled", "bool", "person.disabled"),
    ("terminally_ill", "terminally_ill", "bool", "person.terminally_ill"),
    ("five_percent_owner", "five_percent_owner", "bool", "person.five_percent_owner"),
    ("qualified_public_safety", "qualified_public_safety", "bool", "person.qualified_public_safety"),
    ("firefighter", "firefighter", "bool", "person.firefighter"),
    ("state", "state", "enum:state", "person.state"),
    ("new_york_city", "new_york_city", "bool", "person.new_york_city"),
    ("yonkers", "yonkers", "bool", "person.yonkers"),
    ("maryland_county", "maryland_county", "enum:maryland_county", "person.maryland_county"),
    ("dependent", "dependent", "bool", "person.dependent"),
    ("full_time_student", "full_time_student", "bool", "person.full_time_student"),
    ("earned_over_half_support", "earned_over_half_support", "bool",
     "person.earned_over_half_support"),
    ("parent_filing_status", "parent_filing_status", "enum:parent_filing_status",
     "person.parent.filing_status"),
    ("parent_taxable_income", "parent_taxable_income", "num", "person.parent.taxable_income"),
    ("other_children_net_unearned_income", "other_children_nui", "num",
     "person.parent.other_children_net_unearned_income"),
    ("employment_status", "active", "enum:employment_status", "employment.status"),
    ("hire_date", "hire_date", "date", "employment.hire_date"),
    ("participation_date", "participation_date", "date", "employment.participation_date"),
    ("separation_date", "separation_date", "date", "employment.separation_date"),
    ("years_of_service", "years_of_service", "num", "employment.years_of_service"),
    ("wages", "wages", "num", "income.wages"),
    ("taxable_interest", "taxable_interest", "num", "income.taxable_interest"),
    ("tax_exempt_interest", "tax_exempt_interest", "num", "income.tax_exempt_interest"),
    ("ordinary_dividends", "ordinary_dividends", "num", "income.ordinary_dividends"),
    ("qualified_dividends", "qualified_dividends", "num", "income.qualified_dividends"),
    ("long_term_gains", "long_term_gains", "num", "income.long_term_gains"),
    ("other_distributions", "other_distributions", "num", "income.other_distributions"),
    ("social_security", "social_security", "num", "income.social_security"),
    ("other_income", "other_income", "num", "income.other_income"),
    ("itemized_deductions", "itemized_deductions", "num", "income.itemized_deductions"),
    ("state_local_taxes", "state_local_taxes", "num", "income.state_local_taxes"),
    ("itemized_charity", "itemized_charity", "num", "income.itemized_charity"),
    ("other_itemized", "other_itemized", "num", "income.other_itemized"),
    ("charitable_cash", "charitable_cash", "num", "income.charitable_cash"),
    ("medical_expenses", "medical_expenses", "num", "income.medical_expenses"),
    ("governmental", "governmental", "bool", "plan.governmental"),
    ("withdrawals_per_year", "withdrawals_per_year", "num", "plan.withdrawals_per_year"),
    ("minimum_withdrawal", "minimum_withdrawal", "num", "plan.minimum_withdrawal"),
    ("hardship_allowed", "hardship_allowed", "bool", "plan.hardship.allowed"),
    ("hardship_self_certification", "hardship_self_certification", "bool",
     "plan.hardship.self_certification"),
    ("loans_allowed", "loans_allowed", "bool", "plan.loans.allowed"),
    ("loans_max_count", "loans_max_count", "num", "plan.loans.max_count"),
    ("loans_lends_to_floor", "loans_floor", "bool", "plan.loans.lends_to_floor"),
    ("loan_interest_rate", "loan_rate", "num", "plan.loans.interest_rate"),
    ("loan_residence_term_years", "loan_residence_term", "num", "plan.loans.residence_term_years"),
    ("loan_payments_per_year", "loan_payments_per_year", "num", "plan.loans.payments_per_year"),
    ("loan_cure_days", "loan_cure_days", "num", "plan.loans.cure_days"),
    ("plan_terminated", "plan_terminated", "bool", "plan.terminated"),
    ("alternative_dc_plan", "alternative_dc_plan", "bool", "plan.alternative_dc_plan"),
    ("emergency_expense_adopted", "emergency_expense_adopted", "bool", "plan.secure2.emergency_expense"),
    ("domestic_abuse_adopted", "domestic_abuse_adopted", "bool", "plan.secure2.domestic_abuse"),
    ("birth_adoption_adopted", "birth_adoption_adopted", "bool", "plan.secure2.birth_adoption"),
    ("disaster_adopted", "disaster_adopted", "bool", "plan.secure2.disaster"),
    ("long_term_care_adopted", "long_term_care_adopted", "bool", "plan.secure2.long_term_care"),
    ("accepts_rollins", "accepts_rollins", "bool", "plan.accepts_rollins"),
    ("spousal_consent", "spousal_consent", "bool", "plan.spousal_consent"),
    ("small_account_cash_out", "small_account_cash_out", "bool", "plan.small_account_cash_out"),
    ("still_working_exception", "still_working_exception", "bool", "plan.still_working_exception"),
    ("disability_distributions", "disability_distributions", "bool", "plan.disability_distributions"),
    ("plan_retirement_age", "plan_retirement_age", "num", "plan.retirement_age"),
    ("prior_year_end_balance", "prior_year_end_balance", "num", "account.prior_year_end_balance"),
    ("loan_outstanding", "loan_outstanding", "num", "account.loans.outstanding"),
    ("loan_highest_last_12_months", "loan_highest", "num", "account.loans.highest_last_12_months"),
    ("loan_count", "loan_count", "num", "account.loans.count"),
    ("loan_residence", "loan_residence", "bool", "account.loans.residence"),
    ("loan_missed_payment_date", "loan_missed_date", "date", "account.loans.missed_payment_date"),
    ("loan_accrued_interest", "loan_accrued_interest", "num", "account.loans.accrued_interest"),
    ("withdrawals_this_year", "withdrawals_this_year", "num", "account.withdrawals_this_year"),
    ("distributed_this_year", "distributed_this_year", "num", "account.distributed_this_year"),
    ("last_year_rmd_unpaid", "last_year_rmd_unpaid", "num", "account.last_year_rmd_unpaid"),
    ("last_emergency_year", "last_emergency_year", "num", "account.last_emergency_year"),
    ("emergency_unrepaid", "emergency_unrepaid", "num", "account.emergency_unrepaid"),
    ("emergency_contributions_since", "emergency_contributions_since", "num",
     "account.emergency_contributions_since"),
    ("prior_event_distributions", "prior_event_distributions", "num", "account.prior_event_distributions"),
    ("employer_stock_value", "stock_value", "num", "account.employer_stock.value"),
    ("employer_stock_basis", "stock_basis", "num", "account.employer_stock.cost_basis"),
    ("deferrals_last_two_years", "deferrals_last_two_years", "bool", "account.deferrals_last_two_years"),
    ("prior_small_account_cash_out", "prior_small_account_cash_out", "bool",
     "account.prior_small_account_cash_out"),
    ("state_taxed_contributions", "state_taxed_contributions", "num",
     "account.state_taxed_contributions"),
    ("ira_traditional", "ira_traditional", "num", "iras.traditional"),
    ("ira_basis", "ira_basis", "num", "iras.traditional_basis"),
    ("ira_roth", "ira_roth", "num", "iras.roth"),
    ("ira_roth_first_year", "ira_roth_first_year", "num", "iras.roth_first_year"),
    ("ira_backdoor_roth_planned", "ira_backdoor", "num", "iras.backdoor_roth_planned"),
    ("ira_roth_contributions", "ira_roth_contributions", "num", "iras.roth_contributions"),
    ("ira_first_home_prior", "ira_first_home_prior", "num", "iras.first_home_prior"),
    ("request_amount", "amount", "num", "request.amount"),
    ("request_purpose", "purpose", "enum:purpose", "request.purpose"),
    ("request_need", "need", "num", "request.need"),
    ("request_event_date", "event_date", "date", "request.event_date"),
    ("request_event_children", "event_children", "num", "request.event_children"),
    ("request_disaster_declared", "disaster_declared", "bool", "request.disaster_declared"),
    ("request_disaster_declaration_date", "disaster_declaration_date", "date",
     "request.disaster_declaration_date"),
    ("request_long_term_care_premiums", "long_term_care_premiums", "num", "request.long_term_care_premiums"),
    ("request_destination", "destination", "enum:destination", "request.destination"),
    ("request_withholding_rate", "withholding_rate", "num", "request.withholding_rate"),
    ("request_payee_tin_furnished", "payee_tin_furnished", "bool", "request.payee_tin_furnished"),
    ("request_delivered_outside_us", "delivered_outside_us", "bool",
     "request.delivered_outside_us"),
    ("request_net_amount", "net_amount", "num", "request.net_amount"),
    ("request_net_of", "net_of", "enum:net_of", "request.net_of"),
    ("request_state_withholding_rate", "state_withholding_rate", "num",
     "request.state_withholding_rate"),
    # A payment that is one of a series (docs/assess.md, "Payments in a series"; IRC
    # §402(c)(4)(A), §72(d)(1)): checked as the case model checks it (_check_series).
    ("request_series", "series", "enum:series", "request.series"),
    ("request_series_years", "series_years", "num", "request.series_years"),
    ("request_series_payments_per_year", "series_per_year", "num",
     "request.series_payments_per_year"),
    ("request_annuity_start_date", "annuity_start", "date", "request.annuity_start_date"),
    ("request_series_cost", "series_cost", "num", "request.series_cost"),
    ("request_series_cost_recovered", "series_recovered", "num",
     "request.series_cost_recovered"),
    ("request_series_beneficiary_birth_date", "series_other_birth", "date",
     "request.series_beneficiary_birth_date"),
    ("request_series_guaranteed_years", "series_guaranteed_years", "num",
     "request.series_guaranteed_years"),
    # The payee's Form W-4P for a periodic payment (IRC §3405(a); dist401k.withholding.W4p):
    # checked as the case model checks it (_check_w4p).
    ("request_w4p_filing_status", "w4p_status", "enum:w4p_filing_status",
     "request.w4p_filing_status"),
    ("request_w4p_step2", "w4p_step2", "bool", "request.w4p_step2"),
    ("request_w4p_credits", "w4p_credits", "num", "request.w4p_credits"),
    ("request_w4p_other_income", "w4p_other_income", "num", "request.w4p_other_income"),
    ("request_w4p_deductions", "w4p_deductions", "num", "request.w4p_deductions"),
    ("request_w4p_extra", "w4p_extra", "num", "request.w4p_extra"),
    ("request_w4p_no_withholding", "w4p_exempt", "bool", "request.w4p_no_withholding"),
    # A corrective distribution: refused with its rule (dist401k.case.CORRECTIVE_PROBLEM).
    ("request_corrective", "corrective", "enum:corrective", "request.corrective"),
    # The after-tax money's investment in the contract as of December 31, 1986 (§72(e)(8)(D)).
    ("pre_1987_basis_after_tax", "pre_1987_basis", "num", "account.sources.*.pre_1987_basis"),
    # An inherited account (``beneficiary``: the row's person is the heir; IRC §401(a)(9)(B),
    # (E), (H)): a part of the case that may be absent (BENEFICIARY_COLUMNS).
    ("beneficiary_deceased_birth_date", "deceased_birth_date", "date",
     "beneficiary.deceased_birth_date"),
    ("beneficiary_date_of_death", "date_of_death", "date", "beneficiary.date_of_death"),
    ("beneficiary_relationship", "relationship", "enum:relationship", "beneficiary.relationship"),
    ("beneficiary_account", "inherited_ira", "enum:inherited_account", "beneficiary.account"),
    ("beneficiary_roth", "inherited_roth", "bool", "beneficiary.roth"),
    ("beneficiary_required_beginning_date", "deceased_rbd", "date",
     "beneficiary.required_beginning_date"),
    ("beneficiary_sole_beneficiary", "sole_beneficiary", "bool", "beneficiary.sole_beneficiary"),
    ("beneficiary_disabled", "beneficiary_disabled", "bool", "beneficiary.disabled"),
    ("beneficiary_chronically_ill", "chronically_ill", "bool", "beneficiary.chronically_ill"),
    ("beneficiary_spouse_election", "spouse_election", "enum:spouse_election",
     "beneficiary.spouse_election"),
    ("beneficiary_elected_ten_year", "elected_ten_year", "bool", "beneficiary.elected_ten_year"),
    ("beneficiary_prior_year_end_balance", "inherited_prior_balance", "num",
     "beneficiary.prior_year_end_balance"),
    ("beneficiary_distributed_this_year", "inherited_distributed", "num",
     "beneficiary.distributed_this_year"),
    # An alternate payee's share under a QDRO (``alternate_payee``, IRC §414(p)): the names
    # of CaseBatch's columns; a part of the case that may be absent (ALTERNATE_PAYEE_COLUMNS).
    ("ap_relationship", "ap_relationship", "enum:ap_relationship", "alternate_payee.relationship"),
    ("ap_payable_now", "ap_payable_now", "bool", "alternate_payee.payable_now"),
    ("ap_participant_birth_date", "ap_participant_birth_date", "date",
     "alternate_payee.participant_birth_date"),
]
# Per money source: (column pattern, CaseBatch field, kind, case field; * = the source).
PER_SOURCE: list[tuple[str, str, str, str]] = [
    ("balance_{s}", "balance", "num", "account.sources.*.balance"),
    ("vested_{s}", "vested", "num", "account.sources.*.vested"),
    ("seasoned_{s}", "seasoned", "num", "account.sources.*.seasoned"),  # default: the balance
    ("basis_{s}", "basis", "num", "account.sources.*.basis"),
    ("roth_contributions_{s}", "roth_contributions", "num", "account.sources.*.contributions"),
    ("roth_first_year_{s}", "roth_first_year", "num", "account.sources.*.first_year"),
    ("in_service_{s}", "in_service_allowed", "bool", "plan.in_service.*.allowed"),
    ("in_service_min_age_{s}", "in_service_min_age", "num", "plan.in_service.*.min_age"),
    ("seasoning_years_{s}", "seasoning_years", "num", "plan.in_service.*.seasoning_years"),
    ("participation_years_{s}", "participation_years", "num", "plan.in_service.*.participation_years"),
    ("hardship_source_{s}", "hardship_sources", "bool", "plan.hardship.sources"),  # default: deferrals
]
#: An inherited account's missed RMDs (``beneficiary.missed``), one group of columns each,
#: numbered from 1 (``{k}``); a row holds at most MISSED_GROUPS of them (more: a case file).
MISSED_GROUPS = 5
PER_MISSED: list[tuple[str, str, str, str]] = [
    ("beneficiary_missed_year_{k}", "missed_year", "num", "beneficiary.missed.*.year"),
    ("beneficiary_missed_shortfall_{k}", "missed_shortfall", "num", "beneficiary.missed.*.shortfall"),
    ("beneficiary_missed_corrected_{k}", "missed_corrected", "bool", "beneficiary.missed.*.corrected"),
]
class _FromLaw(dict):
    """A table of the module whose entries read from the law (``lazy``: each made by a
    function) are made at first use, not when the module is imported: a malformed law file is
    then one line from the command that reads the law (docs/cli.md, "Exit statuses"), never a
    traceback of every command, ``--help`` included."""

    def __init__(self, items: dict[str, Any], lazy: dict[str, Any]):
        super().__init__(items)
        self._lazy = lazy

    def __missing__(self, key: str) -> Any:
        if key not in self._lazy:
            raise KeyError(key)
        self[key] = self._lazy[key]()
        return self[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self or key in self._lazy else default


ENUMS = _FromLaw({
    "plan_type": PLAN_TYPES,
    "filing_status": FILING_STATUSES,
    "employment_status": ("active", "separated"),
    "purpose": PURPOSES,
    "destination": DESTINATION_CHOICES,
    "net_of": NET_OF,
    "series": SERIES,
    "w4p_filing_status": ("",) + W4P_STATUSES,  # "": no Form W-4P given
    "corrective": CORRECTIVES,
    "state": ("",) + tuple(c.lower() for c in STATE_CODES),  # "": no state given
    # "maryland_county": "", none given, and the law's keys (allegany … worcester), read from
    # the law at first use (_FromLaw)
    "parent_filing_status": ("",) + FILING_STATUSES,  # "": no parent's figures given
    "relationship": ("",) + RELATIONSHIPS,  # "": no inherited account
    "inherited_account": INHERITED_ACCOUNTS,
    "spouse_election": SPOUSE_ELECTIONS,
    "ap_relationship": ("",) + ALTERNATE_PAYEE_RELATIONSHIPS,  # "": no alternate payee
}, {"maryland_county": lambda: ("",) + default_law().param(COUNTY_RATES).keys})
# An enum whose choices are too many to list in its message (the case model's words).
ENUM_PROBLEM = _FromLaw({
    "state": "is not a US state code (two letters: CA, NY, DC …)",
    "parent_filing_status": f"is not one of {', '.join(FILING_STATUSES)}",
    "relationship": f"is not one of {', '.join(RELATIONSHIPS)}",
    "ap_relationship": f"is not one of {', '.join(ALTERNATE_PAYEE_RELATIONSHIPS)}",
    "purpose": f"is not one of {', '.join(PURPOSES)}; {PURPOSE_OTHER}",
}, {  # the case's words (tax.state.units.maryland_county_of), without "" (none)
    "maryland_county": lambda: "is not a Maryland county "
                               f"({', '.join(c for c in ENUMS['maryland_county'] if c)})"})
REQUIRED = ("request_date", "birth_date", "plan_type")
#: Columns that identify a participant or a party to the form: text, whatever their values
#: look like (a ``participant_id`` 000123, a ZIP code 02134, a TIN 012456789, an account
#: number): read as written from CSV; given as numbers (a Parquet integer column), refused.
IDENTIFIER_COLUMNS = ("participant_id", *PARTY_COLUMNS)
#: Every column a book holds as text: the identifiers, the route asked for and the columns of
#: choices (read as text from CSV, so ``filing_status`` 1 is the word "1", refused as a code).
TEXT_COLUMNS = (*IDENTIFIER_COLUMNS, "request_route",
                *(column for column, _, kind, _ in SCALARS if kind.startswith("enum:")))
#: The columns of dates: read as text from CSV, so that one parser judges them (a CSV reader
#: would take ``2026-06-01T10:00`` for a timestamp and cut it to the day).
DATE_COLUMNS = tuple(column for column, _, kind, _ in SCALARS if kind == "date")
def declared_above(path: str) -> bool:
    """True where the case field at ``path`` excludes its lowest value (``gt``)."""
    _, info = declared_field(path)
    return any(getattr(m, "gt", None) is not None for m in info.metadata)


# A number column's range is the one its case field declares (dist401k.bounds), so a row
# and a case file get the same verdict.
CASE_PATH = {column: path for column, _, kind, path in SCALARS + PER_SOURCE + PER_MISSED
             if kind == "num"}
RANGES = {column: declared_range(path) for column, path in CASE_PATH.items()}
# Columns whose case field's lowest value is excluded (``gt``: a missed RMD's shortfall).
ABOVE = {column for column, path in CASE_PATH.items() if declared_above(path)}
# Columns whose case field is a whole number (a count, a year).
WHOLE = {column for column, path in CASE_PATH.items() if declared_whole(path)}
# A number the model takes from a short list (loan payments a year).
CHOICES = {"loan_payments_per_year": (4.0, 12.0, 26.0, 52.0),
           "request_series_payments_per_year": (1.0, 2.0, 4.0, 12.0)}
# How a number column writes the case's words: no limit, the most available.
ENCODED = {"withdrawals_per_year": np.inf, "request_amount": np.nan, "state": "",
           "maryland_county": "", "request_w4p_filing_status": ""}


#: The columns of ``person.parent``, a part of the case that may be absent: their values then
#: (the parent's filing status "", no figures; the taxable income NaN, not given).
PARENT_ABSENT = {"parent_filing_status": "", "parent_taxable_income": np.nan}
#: The columns of the other parts that may be absent (``beneficiary``, its ``missed`` years,
#: ``alternate_payee``): a row gives the part where it gives any of its columns (a field the
#: part requires is then required); the values of its required fields where it is absent.
BENEFICIARY_COLUMNS = tuple(c for c, *_ in SCALARS if c.startswith("beneficiary_"))
ALTERNATE_PAYEE_COLUMNS = tuple(c for c, *_ in SCALARS if c.startswith("ap_"))
MISSED_COLUMNS = tuple(p.format(k=k) for k in range(1, MISSED_GROUPS + 1) for p, *_ in PER_MISSED)
PART_COLUMNS = frozenset((*BENEFICIARY_COLUMNS, *MISSED_COLUMNS, *ALTERNATE_PAYEE_COLUMNS))
PART_ABSENT = {**PARENT_ABSENT, "beneficiary_deceased_birth_date": NAT,
               "beneficiary_date_of_death": NAT, "beneficiary_relationship": "",
               "ap_relationship": "", "beneficiary_missed_year_{k}": np.nan,
               "beneficiary_missed_shortfall_{k}": np.nan}


def _declared_default(column: str, kind: str, path: str) -> Any:
    """A column's default, read from its case field (None: a required column); NaN stands
    for an absent number, NaT for an absent date."""
    _, info = declared_field(path)
    if column in PART_ABSENT:
        return PART_ABSENT[column]
    if info.is_required():
        return None
    if column in ENCODED:
        return ENCODED[column]
    value = info.get_default(call_default_factory=True)
    if kind == "date":
        return NAT
    if kind in ("num", "bool") and value is None:  # an optional field: NaN, not given
        return np.nan
    if kind == "num":
        return float(value)
    if path == "plan.hardship.sources":  # one column per source: drawn on by default or not
        return tuple(value)
    return value


def _not_given(default: Any) -> bool:
    """A true/false column's default that is neither: the field may be left unsaid (NaN)."""
    return isinstance(default, float) and default != default


DEFAULTS = {column: _declared_default(column, kind, path)
            for column, _, kind, path in SCALARS + PER_SOURCE + PER_MISSED}


def _check_range(vals: np.ndarray, given: np.ndarray, name: str, key: str, err: Errors) -> None:
    """A number column's values against what its case field (``CASE_PATH[key]``) declares: its
    range (NaN given as a value, infinity and absurd sizes included), a whole number where the
    field is an integer, one of its choices where it has some."""
    # In the order, and the words, of the case model's own checks (errors.problem_text).
    lo, hi = RANGES[key]
    if _all_fit(vals, given, lo, hi, key):
        return
    with np.errstate(invalid="ignore"):
        infinite = given & ~np.isfinite(vals)
        fraction = (given & ~infinite & (vals != np.floor(vals)) if key in WHOLE
                    else np.zeros_like(given))
        below = given & ~infinite & ~fraction & ((vals <= lo) if key in ABOVE else (vals < lo))
        beyond = given & ~infinite & ~fraction & (vals > hi)
    err.add(infinite, name, FINITE)
    err.add(fraction, name, "must be a whole number")
    err.add(below, name, f"must be more than {lo:g}" if key in ABOVE else
            "must be 0 or more" if lo == 0 else f"must be at least {lo:g}")
    err.add(beyond, name, f"must be a finite number no more than {plain_number(hi)}")
    if key in CHOICES:
        err.add(given & ~infinite & ~fraction & ~below & ~beyond & ~np.isin(vals, CHOICES[key]),
                name, f"is not one of {', '.join(f'{c:g}' for c in CHOICES[key])}")


def _all_fit(vals: np.ndarray, given: np.ndarray, lo: float, hi: float, key: str) -> bool:
    """True where every value given is finite, in [lo, hi] (above lo where the field excludes
    it) and whole where the field is: :func:`_check_range` then finds nothing (a quick pass
    for the usual column; a NaN given is no minimum, so it never fits)."""
    if key in CHOICES:
        return False
    if not given.any():
        return True
    with np.errstate(invalid="ignore"):
        low = np.min(vals, where=given, initial=np.inf)
        high = np.max(vals, where=given, initial=-np.inf)
    if not (np.isfinite(low) and np.isfinite(high) and high <= hi
            and (low > lo if key in ABOVE else low >= lo)):
        return False
    return key not in WHOLE or bool(np.all(vals == np.floor(vals), where=given))


#: Former column names, read as the column's current name for one release (docs/batch.md).
RENAMED_COLUMNS = {"loans_floor_10000": "loans_lends_to_floor"}


def with_current_names(table: pa.Table) -> pa.Table:
    """The table with a former column name read as the current one (where the current one is
    not given too)."""
    names = table.column_names
    renamed = [RENAMED_COLUMNS[c] if c in RENAMED_COLUMNS and RENAMED_COLUMNS[c] not in names
               else c for c in names]
    return table.rename_columns(renamed) if renamed != names else table


def columns() -> list[str]:
    """Every flat column dist401k reads, in order."""
    out = [c for c, *_ in SCALARS]
    for pattern, *_ in PER_SOURCE:
        out += [pattern.format(s=s) for s in SOURCES]
    for k in range(1, MISSED_GROUPS + 1):
        out += [pattern.format(k=k) for pattern, *_ in PER_MISSED]
    return out


@dataclass
class Errors:
    """Problems found, one list entry per (row, column, message); several per row possible."""

    rows: list[int]
    columns: list[str]
    messages: list[str]

    def add(self, mask: np.ndarray, column: str, message: str) -> None:
        idx = np.flatnonzero(mask)
        self.rows.extend(idx.tolist())
        self.columns.extend([column] * len(idx))
        self.messages.extend([message] * len(idx))

    def add_each(self, mask: np.ndarray, column: str, messages: list[str]) -> None:
        """As :meth:`add`, each row of ``mask`` with its own message (in the rows' order)."""
        idx = np.flatnonzero(mask)
        self.rows.extend(idx.tolist())
        self.columns.extend([column] * len(idx))
        self.messages.extend(messages)

    def named(self, column: str, n: int) -> np.ndarray:
        """[n]: the rows with a problem already found in ``column``."""
        rows = np.zeros(n, bool)
        rows[[r for r, c in zip(self.rows, self.columns, strict=True) if c == column]] = True
        return rows

    def per_row(self, n: int) -> tuple[np.ndarray, dict[int, tuple[str, str]]]:
        """A bad-row mask and, for each bad row, its first column and all messages."""
        bad = np.zeros(n, bool)
        first: dict[int, tuple[str, str]] = {}
        for r, c, m in zip(self.rows, self.columns, self.messages, strict=True):
            bad[r] = True
            if r in first:
                first[r] = (first[r][0], first[r][1] + f"; {c}: {m}")
            else:
                first[r] = (c, f"{c}: {m}")
        return bad, first


def _dates(col: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Column → datetime64[D] and a mask of values that are present but not dates."""
    t = col.type
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        arr = pc.cast(col, pa.date32()) if not pa.types.is_date32(t) else col
        out = arr.to_numpy(zero_copy_only=False).astype("datetime64[D]")
        return out, np.zeros(len(out), bool)
    if pa.types.is_null(t):
        return np.full(len(col), NAT), np.zeros(len(col), bool)
    return parse_date_column(col)


def _null_mask(col) -> np.ndarray:
    """Cells that give no value: null, or blank text."""
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return _blank_mask(pc.utf8_trim_whitespace(col))
    return np.asarray(pc.is_null(col).to_numpy(zero_copy_only=False), bool)


def _blank_mask(strings) -> np.ndarray:
    """Null or empty text."""
    blank = pc.or_(pc.is_null(strings), pc.fill_null(pc.equal(strings, ""), False))
    return np.asarray(blank.to_numpy(zero_copy_only=False), bool)


def _numbers(col) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column → float64, a mask of nulls, and a mask of values that are not numbers."""
    t = col.type
    if pa.types.is_null(t):
        return np.full(len(col), np.nan), np.ones(len(col), bool), np.zeros(len(col), bool)
    if pa.types.is_integer(t) or pa.types.is_floating(t):  # true/false: words, no numbers
        # Not ``safe``: an integer beyond 2**53 is read as the float nearest it (Arrow's safe
        # cast would stop the run); the range check refuses it, naming the column.
        out = pc.cast(col, pa.float64(), safe=False).to_numpy(zero_copy_only=False).astype(float)
        # A null is a blank; a NaN that is not null was given, and is no number (the range
        # check refuses it).
        nulls = np.asarray(pc.is_null(col).to_numpy(zero_copy_only=False), bool) if \
            col.null_count else np.zeros(len(out), bool)
        return out, nulls, np.zeros(len(out), bool)
    strings = pc.utf8_trim_whitespace(pc.cast(col, pa.string()))
    nulls = _blank_mask(strings)
    nulls = np.asarray(nulls, bool)
    try:
        out = pc.cast(pc.if_else(pc.equal(strings, ""), None, strings), pa.float64()
                      ).to_numpy(zero_copy_only=False)
        out = np.asarray(out, float)
        return out, nulls, _beyond_float(strings, out)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        vals = strings.to_pylist()
        out = np.full(len(vals), np.nan)
        bad = np.zeros(len(vals), bool)
        for i, v in enumerate(vals):  # only on a column holding a non-number somewhere
            if v in (None, ""):
                continue
            try:  # as every door reads a number written as text (1_000, ١٢٣: none)
                out[i] = number_text(v)
            except ValueError:
                bad[i] = True
        return out, nulls, bad | _beyond_float(strings, out)


def _beyond_float(strings, out: np.ndarray) -> np.ndarray:
    """The cells of a text column that write an integer beyond the range of a float, which
    the float cast reads as infinity (refused as :data:`~dist401k.errors.TOO_LARGE` by
    :func:`_refuse_not_numbers`, as every other door says it, not as a number that is not
    finite); the texts looked at only where the cast gave the largest float or beyond."""
    with np.errstate(invalid="ignore"):
        idx = np.flatnonzero(np.abs(out) >= np.finfo(float).max)
    bad = np.zeros(len(out), bool)
    if len(idx):
        texts = pc.take(strings, pa.array(idx)).to_pylist()
        bad[idx] = [integer_beyond_float(t) for t in texts]
    return bad


def _refuse_not_numbers(err, col, bad: np.ndarray, name: str) -> None:
    """Each cell of ``bad`` refused as no number, in the words of every door
    (:func:`~dist401k.errors.not_a_number`: "$45000" and "45,000" are told to drop the $ and
    the commas; an integer beyond a float is :data:`~dist401k.errors.TOO_LARGE`); the texts
    looked at only where some cell is bad."""
    idx = np.flatnonzero(bad)
    if not len(idx):
        return
    words = np.array([TOO_LARGE if integer_beyond_float(v) else not_a_number(v)
                      for v in pc.take(col, pa.array(idx)).to_pylist()])
    for w in np.unique(words):
        mask = np.zeros(len(bad), bool)
        mask[idx[words == w]] = True
        err.add(mask, name, str(w))


def _refuse_not_dates(err, col, bad: np.ndarray, name: str) -> None:
    """:func:`~dist401k.dates.date_problem` where ``bad`` (a day the calendar has not,
    ``2026-02-30``, said so; any other value "is not a date (YYYY-MM-DD)"), with how to write
    the date where a cell is one as US Excel writes it (``3/15/1968``: "write 1968-03-15",
    :func:`~dist401k.errors.date_hint`); the texts looked at only where some cell is bad."""
    idx = np.flatnonzero(bad)
    if not len(idx):
        return
    words = np.array([date_problem(v) + date_hint(v) for v in pc.take(col, pa.array(idx)).to_pylist()])
    for w in np.unique(words):
        mask = np.zeros(len(bad), bool)
        mask[idx[words == w]] = True
        err.add(mask, name, str(w))


def _bools(col) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True, blank and refused rows of a true/false column: a boolean column as it is, a number
    column's 1 and 0, a text column's words (:data:`~dist401k.tax.units.TRUE_WORDS`, the tax
    door's), so that a cell's verdict does not hang on the type the other rows give the column."""
    t = col.type
    if pa.types.is_boolean(t):
        nulls = pc.is_null(col).to_numpy(zero_copy_only=False)
        return pc.fill_null(col, False).to_numpy(zero_copy_only=False), np.asarray(nulls), \
            np.zeros(len(col), bool)
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        vals, nulls, _ = _numbers(col)
        return vals == 1, nulls, ~nulls & ~np.isin(vals, (0, 1))
    s = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(col, pa.string())))
    nulls = _blank_mask(s)
    true = np.asarray(pc.is_in(s, pa.array(TRUE_WORDS)).to_numpy(zero_copy_only=False), bool)
    false = np.asarray(pc.is_in(s, pa.array(FALSE_WORDS)).to_numpy(zero_copy_only=False), bool)
    return true, nulls, ~nulls & ~true & ~false


def _enum(col, choices, name) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of a text column, deciding once per distinct value (dictionary encoding)."""
    if name == "filing_status" and not _is_text(col.type):
        return _filing_status_codes(col)
    enc = pc.dictionary_encode(pc.cast(col, pa.string()))
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.unify_dictionaries().combine_chunks() if enc.num_chunks else pa.array(
            [], pa.dictionary(pa.int32(), pa.string()))
    given = enc.dictionary.to_pylist()
    idx = enc.indices.fill_null(len(given)).to_numpy(zero_copy_only=False)
    if name == "filing_status":  # each word once, as the case model reads it; a null: single
        codes, bad = codes_and_unknown(np.array(given + ["single"], dtype=object),
                                       names_only=True)
        nulls = idx == len(given)
        return codes.astype(np.int64)[idx], nulls, bad[idx] & ~nulls
    words = [None if w is None else w.strip().lower() for w in given]
    table = np.array([choices.index(w) if w in choices else (-2 if w in (None, "") else -1)
                      for w in words] + [-2], dtype=np.int64)
    codes = table[idx]
    nulls = codes == -2
    return np.where(nulls, 0, codes), nulls, codes == -1


def _is_text(t: pa.DataType) -> bool:
    """A text column's type (Arrow string or large string)."""
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _filing_status_codes(col) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A filing status column that is not text (numbers, true/false): each value as the case
    model reads it (names, not codes: a number is refused); a null is single."""
    raw = col.to_numpy(zero_copy_only=False) if hasattr(col, "to_numpy") else col
    s = pc.cast(col, pa.string())
    nulls = np.asarray(pc.is_null(s).to_numpy(zero_copy_only=False), bool)
    codes, bad = codes_and_unknown(np.where(nulls, "single", np.asarray(raw, dtype=object)),
                                   names_only=True)  # as the case model: names, not codes
    return codes.astype(np.int64), nulls, bad & ~nulls


# What the RMD rule uses.  The RMD job reads these (an absent column: its default) and every
# other column the book gives, and checks them all as the other jobs do (:func:`batch_from_table`);
# it requires no column outside these.
# (``governmental``: a governmental plan's 5% owner waits for retirement too, §401(a)(9)(C)(iv).)
RMD_FIELDS = {"request_date", "birth_date", "plan_type", "governmental", "active",
              "separation_date", "hire_date", "five_percent_owner", "still_working_exception",
              "spouse_birth_date", "spouse_sole_beneficiary", "filing_status",
              "prior_year_end_balance", "distributed_this_year", "last_year_rmd_unpaid", "balance",
              # a traditional IRA does not wait for the still-working exception (RM_IRA_NOT_WAITING)
              "ira_traditional",
              # an heir's required distribution (routes.beneficiary: last year's balance by
              # default the vested balance) and an alternate payee's closed RMD route
              "vested", "inherited", "alternate_payee",
              *(f for c, f, *_ in SCALARS if c in BENEFICIARY_COLUMNS + ALTERNATE_PAYEE_COLUMNS),
              *(f for _, f, *_ in PER_MISSED)}


#: The CaseBatch field of each flat column (a source's or a missed year's column: its field).
COLUMN_FIELD = {**{c: f for c, f, *_ in SCALARS},
                **{p.format(s=s): f for p, f, *_ in PER_SOURCE for s in SOURCES},
                **{p.format(k=k): f for p, f, *_ in PER_MISSED for k in range(1, MISSED_GROUPS + 1)}}


def batch_from_table(table: pa.Table, law: Law, fields: set[str] | None = None):
    """(CaseBatch of the good rows, their positions, Errors over all rows).

    ``fields`` limits the work to some CaseBatch fields (e.g. :data:`RMD_FIELDS`) and those of
    the columns the table gives: every column given is read and checked, by the same checks as
    with all fields (one verdict in every job); a field not named holds its default in the
    batch, without allocating a thing (one given is read and checked column by column, the
    [n, S] array of a per-source one built only if a check reads the whole of it), and a
    problem naming its column where the table does not give it (a column some other value of
    the row requires) is not told: a job requires no column it does not use.
    """
    table = with_current_names(table)
    n = table.num_rows
    err = Errors([], [], [])
    names = set(table.column_names)
    given = {COLUMN_FIELD[c] for c in names if c in COLUMN_FIELD}
    used = None if fields is None else fields | given
    checked = set() if fields is None else given - fields  # read only to be checked
    read = _ColumnReader(table, names, used, err)
    # (The payer's and recipient's columns: the forms job checks them, filing.py.)
    if "participant_id" in read.names:
        err.add(numbers_in_text(table.column("participant_id")), "participant_id",
                NUMBERS_IN_TEXT)
    for c in REQUIRED:
        if c not in read.names:
            err.add(np.ones(n, bool), c, "required column is missing")
    cols = _Columns()
    for name, field, kind, _ in SCALARS:
        cols[field] = read.scalar(name, kind, DEFAULTS[name], field)
    for pattern, field, kind, _ in PER_SOURCE:
        if field in checked:  # its [n, S] array built only if a check reads the whole of it
            cols.later[field] = read.sources(pattern, field, kind)
        else:
            cols[field] = read.per_source(pattern, field, kind)
    for pattern, field, kind, _ in PER_MISSED:
        cols[field] = read.per_missed(pattern, field, kind)
    _given_parts(cols, read.given, n)
    _no_recipient_tin(cols, table)
    _check(cols, err, law, names)
    _check_parts(cols, err, law, read.given)
    _check_stock_pair(cols, err, read.given)
    if fields is not None:
        err = _not_required(err, names, fields)
        _checked_only(cols, _ColumnReader(table, names, fields, err))
    bad, _ = err.per_row(n)
    good = np.flatnonzero(~bad)
    _fill_derived(cols, used)
    b = CaseBatch(**cols)
    return (b if len(good) == n else b.take(good)), good, err


def _no_recipient_tin(cols: dict, table: pa.Table) -> None:
    """A book with the forms job's ``recipient_tin`` column that leaves it blank for a row: the
    payee has not furnished a TIN, so no W-4R election out of the 10% is in effect
    (IRC §3405(e)(12)) — as ``request_payee_tin_furnished`` false says (docs/batch.md)."""
    if "recipient_tin" not in table.column_names:
        return
    blank = ~tins_given(table.column("recipient_tin").to_pylist())
    if blank.any():
        cols["payee_tin_furnished"] = np.asarray(cols["payee_tin_furnished"], bool) & ~blank


class _Columns(dict):
    """The batch's columns by field; a field in ``later`` (a per-source field the job reads
    only to check it) is held as its columns, its [n, S] array built only if a check reads
    the whole of it (the checks read one source at a time: :func:`_source`), so a job pays
    for no array it does not use."""

    def __init__(self) -> None:
        super().__init__()
        self.later: dict[str, _Sources] = {}

    def __missing__(self, field: str) -> np.ndarray:
        if field not in self.later:
            raise KeyError(field)
        self[field] = self.later.pop(field).build()
        return self[field]


def _source(c: dict, field: str, j: int) -> np.ndarray:
    """[n]: source ``j``'s column of the per-source ``field`` (``c[field][:, j]``, without
    building the array of a field held as its columns: :class:`_Columns`)."""
    later = getattr(c, "later", {})
    return later[field].column(j) if field in later else c[field][:, j]


def _checked_only(cols: _Columns, job: _ColumnReader) -> None:
    """The fields the job's reader (``job.fields``) does not use, read only to be checked,
    back to their defaults (broadcast, nothing allocated): the job's batch is the one it
    would be without them, and taking its good rows copies none of them."""
    assert job.fields is not None
    for name, field, kind, _ in SCALARS:
        if field not in job.fields:
            cols[field] = job.unused(kind, DEFAULTS[name])
    for pattern, field, kind, _ in PER_SOURCE:
        if field not in job.fields:
            cols[field] = job.source_defaults(pattern, field, kind)
    cols.later.clear()


def _not_required(err: Errors, names: set[str], fields: set[str]) -> Errors:
    """``err`` less the problems naming a column the table does not give whose field is not in
    ``fields`` (a ``request_purpose`` that needs ``request_event_date``, in the RMD job)."""
    keep = [i for i, c in enumerate(err.columns)
            if c in names or c not in COLUMN_FIELD or COLUMN_FIELD[c] in fields]
    if len(keep) == len(err.columns):
        return err
    return Errors([err.rows[i] for i in keep], [err.columns[i] for i in keep],
                  [err.messages[i] for i in keep])


@dataclass
class _ColumnReader:
    """Reads the table's flat columns into CaseBatch arrays, adding each bad value to ``err``;
    a column not given takes its default, one outside ``fields`` is not read at all."""

    table: pa.Table
    names: set[str]
    fields: set[str] | None
    err: Errors
    #: Which rows give a value in each column of a part that may be absent (PART_COLUMNS).
    given: dict[str, np.ndarray] = dc_field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.table.num_rows

    def per_missed(self, pattern: str, field: str, kind: str) -> np.ndarray:
        """[n, K]: one column per missed year the table has columns for (K: the highest group
        number among its columns, none: K = 0)."""
        groups = max((k for k in range(1, MISSED_GROUPS + 1) if any(
            p.format(k=k) in self.names for p, *_ in PER_MISSED)), default=0)
        default = DEFAULTS[pattern]
        if (self.fields is not None and field not in self.fields) or not groups:
            return np.zeros((self.n, 0), dtype=bool if kind == "bool" else float)
        return np.stack([self.scalar(pattern.format(k=k), kind, default, field, pattern)
                         for k in range(1, groups + 1)], axis=1)

    def per_source(self, pattern: str, field: str, kind: str) -> np.ndarray:
        """[n, S]: one column per money source."""
        if self.fields is not None and field not in self.fields:
            return self.source_defaults(pattern, field, kind)
        return self.sources(pattern, field, kind).build()

    def sources(self, pattern: str, field: str, kind: str) -> _Sources:
        """Each source's column the table gives, read and checked now (the others: their
        defaults)."""
        by_source = _source_defaults(pattern, field)
        read = {j: self.scalar(pattern.format(s=s), kind, d, field, pattern)
                for j, (s, d) in enumerate(zip(SOURCES, by_source, strict=True))
                if pattern.format(s=s) in self.names}
        return _Sources(self.n, np.dtype(bool if kind == "bool" else float), by_source, read)

    def source_defaults(self, pattern: str, field: str, kind: str) -> np.ndarray:
        """[n, S]: each source's default, broadcast: nothing allocated."""
        return np.broadcast_to(np.asarray(_source_defaults(pattern, field),
                                          dtype=bool if kind == "bool" else float), (self.n, S))

    def scalar(self, name: str, kind: str, default, field: str, key: str | None = None):
        """[n]: the column ``name`` of this kind (date, bool, num, enum:<choices>)."""
        if self.fields is not None and field not in self.fields:
            return self.unused(kind, default)
        if name not in self.names:
            return self.absent(kind, default)
        col = self.table.column(name)
        if name in PART_COLUMNS or name in STOCK_COLUMNS:
            self.given[name] = ~_null_mask(col)
        if kind == "date":
            return self.dates(col, name, default)
        if kind == "bool":
            vals, nulls, bad = _bools(col)
            self.err.add(bad, name, "is not true/false")
            if _not_given(default):  # a field with no default: true, false or not given (NaN)
                return np.where(nulls | bad, np.nan, vals.astype(float))
            return np.where(nulls, bool(default), vals)
        if kind.startswith("enum:"):
            return self.choices(col, name, kind[5:], default)
        vals, nulls, bad = _numbers(col)
        _refuse_not_numbers(self.err, col, bad, name)
        _check_range(vals, ~nulls & ~bad, name, key or name, self.err)
        return np.where(nulls, default, vals)

    def unused(self, kind: str, default) -> np.ndarray:
        """The default of a field not in use, broadcast: nothing allocated."""
        dtype = ("datetime64[D]" if kind == "date" else bool if kind == "bool" else
                 np.int64 if kind.startswith("enum:") else float)
        fill: Any
        if kind == "bool" and _not_given(default):  # not given (NaN)
            dtype, fill = float, np.nan
        elif kind.startswith("enum:"):
            fill = ENUMS[kind[5:]].index(default) if default is not None else 0
        elif kind == "date":
            fill = NAT
        else:
            fill = default if default is not None else False
        return np.broadcast_to(np.asarray(fill, dtype=dtype), (self.n,))

    def absent(self, kind: str, default) -> np.ndarray:
        """The default of a column the table does not have."""
        if kind == "date":
            return np.full(self.n, NAT if default is None else default, dtype="datetime64[D]")
        if kind.startswith("enum:"):
            choices = ENUMS[kind[5:]]
            return np.full(self.n, choices.index(default) if default is not None else 0)
        if kind == "bool" and _not_given(default):  # a field with no default: not given (NaN)
            return np.full(self.n, np.nan)
        return np.full(self.n, default, dtype=bool if kind == "bool" else float)

    def dates(self, col, name: str, default) -> np.ndarray:
        vals, bad = _dates(col)
        _refuse_not_dates(self.err, col, bad, name)
        if default is None:
            self.err.add(np.isnat(vals) & ~bad, name, "is required")
        return vals

    def choices(self, col, name: str, ename: str, default) -> np.ndarray:
        """Codes of the choices (a bad or missing one is 0 or the default, and an error)."""
        codes, nulls, bad = _enum(col, ENUMS[ename], ename)
        self.err.add(bad, name, ENUM_PROBLEM.get(ename, f"is not one of {', '.join(ENUMS[ename])}"))
        if default is None:
            self.err.add(nulls, name, "is required")
            return np.where(nulls | bad, 0, codes)
        fill = ENUMS[ename].index(default) if ename != "filing_status" else 0
        return np.where(nulls | bad, fill, codes)


@dataclass
class _Sources:
    """A per-source field's columns as read: those the table gives (by source index), each
    source's default for the others."""

    n: int
    dtype: np.dtype
    by_source: list
    read: dict[int, np.ndarray]

    def column(self, j: int) -> np.ndarray:
        """[n]: source ``j``'s column (its default broadcast where the table gives none)."""
        if j in self.read:
            return self.read[j]
        return np.broadcast_to(np.asarray(self.by_source[j], dtype=self.dtype), (self.n,))

    def build(self) -> np.ndarray:
        """[n, S]: the defaults, then the columns given (row-major, as the case model's
        batch: a row's sums add its sources in the same order)."""
        out = np.empty((self.n, S), dtype=self.dtype)
        out[:] = self.by_source
        for j, column in self.read.items():
            out[:, j] = column
        return out


def _source_defaults(pattern: str, field: str) -> list:
    """Each money source's default of a per-source column (hardship: the sources drawn on)."""
    default = DEFAULTS[pattern]
    return [s in default if field == "hardship_sources" else default for s in SOURCES]


#: The column of each case field (the words of a check shared with the case model name the
#: field; a row's error names its column).
CASE_COLUMN = {path: column for column, _, _, path in SCALARS}


# Columns the case model holds as whole numbers (codes, counts, terms).
INTEGER_FIELDS = ("filing_status", "plan_type", "purpose", "destination", "loans_max_count",
                  "loan_residence_term", "loan_payments_per_year", "loan_count")


def _fill_derived(cols: dict, fields: set[str] | None) -> None:
    """The values the case model derives from others: active from the status, the state's
    code, participation from the hire date, the seasoned money (default: the balance), years
    of service from the dates, a governmental 457(b) is governmental; and the whole-number
    fields as integers (last year's balance not given stays NaN: routes.rmd)."""
    cols["active"] = cols["active"] == 0
    cols["state"] = np.array(("",) + STATE_CODES)[cols["state"]]
    cols["maryland_county"] = np.array(ENUMS["maryland_county"], dtype=object)[
        cols["maryland_county"]]
    cols["parent_filing_status"] = np.asarray(cols["parent_filing_status"]) - 1  # -1: none
    _fill_parts(cols)
    cols["participation_date"] = np.where(np.isnat(cols["participation_date"]),
                                          cols["hire_date"], cols["participation_date"])
    if fields is None:
        cols["seasoned"] = np.where(np.isnan(cols["seasoned"]), cols["balance"], cols["seasoned"])
        cols["years_of_service"] = years_of_service(cols["years_of_service"], cols["hire_date"],
                                                    cols["separation_date"], cols["request_date"])
    # last year's balance not given stays NaN: the RMD route takes today's non-Roth money and says so
    cols["governmental"] = cols["governmental"] | (cols["plan_type"] == PlanType.GOVERNMENTAL_457B)
    if fields is None or "series_other_birth" in fields:  # dist401k.batch: else the spouse
        other = cols["series_other_birth"]
        cols["series_other_birth"] = np.where(np.isnat(other), cols["spouse_birth_date"], other)
    for k in INTEGER_FIELDS:
        if cols[k].dtype != np.int64:
            # (a bad row's NaN, infinity or absurd size is 0 here: it comes out as an error row)
            whole = np.asarray(cols[k])
            cols[k] = np.where(np.abs(whole) < 2.0**53, whole, 0).astype(np.int64)


def _fill_parts(cols: dict) -> None:
    """An inherited account's and an alternate payee's columns as CaseBatch codes them
    (dist401k.batch ``_beneficiary_columns``, ``_alternate_payee_columns``): -1 for no
    relationship, the inherited account an IRA or not, last year's balance by default the
    vested balance, no shortfall 0; a row with no alternate payee is not payable."""
    heir = np.asarray(cols["inherited"], bool)
    cols["relationship"] = np.asarray(cols["relationship"]) - 1
    cols["ap_relationship"] = np.asarray(cols["ap_relationship"]) - 1
    cols["inherited_ira"] = np.asarray(cols["inherited_ira"]) == INHERITED_ACCOUNTS.index("ira")
    prior = np.asarray(cols["inherited_prior_balance"], float)
    if np.isnan(prior).any():
        # A bad row's 1e308 or NaN overflows here before it is an error row: no warning text.
        with np.errstate(over="ignore", invalid="ignore"):
            vested = (cols["balance"] * cols["vested"]).sum(axis=1)
        cols["inherited_prior_balance"] = np.where(np.isnan(prior), np.where(heir, vested, 0.0),
                                                   prior)
    shortfall = cols["missed_shortfall"]
    cols["missed_shortfall"] = np.where(np.isnan(shortfall), 0.0, shortfall)
    cols["ap_payable_now"] = np.asarray(cols["ap_payable_now"], bool) & np.asarray(
        cols["alternate_payee"], bool)


def _year(day: np.ndarray) -> np.ndarray:
    """The calendar year of each date (figured once when the whole column is one year)."""
    if day.size and not np.isnat(day).any() and day.min().astype("datetime64[Y]") == \
            day.max().astype("datetime64[Y]"):
        return np.full(day.shape, day[0].astype("datetime64[Y]").astype(np.int64) + 1970)
    return day.astype("datetime64[Y]").astype(np.int64) + 1970


def _jan1(year: np.ndarray) -> np.ndarray:
    """January 1 of each year (figured once when all the years are one)."""
    if year.size and year.min() == year.max():
        return np.full(year.shape, np.datetime64(f"{int(year[0]):04d}-01-01", "D"))
    return (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def _law_has_year(c: dict, law: Law) -> np.ndarray:
    """The rows whose request is dated in a tax year dist401k has law for (params/meta/years.yaml)."""
    lo, hi = law.known_years
    year = c["tax_year"]
    return ~np.isnat(c["request_date"]) & (year >= lo) & (year <= hi)


def _check_year(c: dict, err: Errors, law: Law) -> np.ndarray:
    """A request dated in a year beyond the law (params/meta/years.yaml) is refused in the case
    door's words, its year named (dist401k.case ``with_known_year``); the rows with law back."""
    lo, hi = law.known_years
    with_law = _law_has_year(c, law)
    beyond = ~np.isnat(c["request_date"]) & ~with_law
    for y in np.unique(c["tax_year"][beyond]).tolist():
        err.add(beyond & (c["tax_year"] == y), "request_date", year_without_law(lo, hi, y))
    return with_law


#: The birth dates of others than the person that the case model checks as it checks the
#: person's (dist401k.case.other_birth_problems): (the batch's field, its column).
OTHER_BIRTHS = (("spouse_birth_date", "spouse_birth_date"),
                ("series_other_birth", "request_series_beneficiary_birth_date"))


def _check_other_births(c: dict, err: Errors, with_law: np.ndarray) -> None:
    """The spouse's and a joint-life series' beneficiary's birth dates, as the case model checks
    them (dist401k.case.other_birth_problems): not after the request date, an age of at most 120
    in the request's year (a year beyond the law: the request date's error alone).  The
    beneficiary's column is checked as given, before a row that leaves it blank takes the
    spouse's date (:func:`_fill_derived`): the spouse's date is told under its own column."""
    day, year = c["request_date"], c["tax_year"]
    for field, column in OTHER_BIRTHS:
        born = np.asarray(c[field], "datetime64[D]")
        err.add(~np.isnat(day) & ~np.isnat(born) & (born > day), column,
                "is after the request date")
        err.add(with_law & ~np.isnat(born) & (born < _jan1(year - 120)), column,
                "gives an age over 120")


def _check(c: dict, err: Errors, law: Law, names: set[str]) -> None:
    """The case model's field checks, as array formulas (a field not read: its default;
    ``names``: the columns the table gives, a check none of whose columns is given, which no
    default fails, left out)."""
    day, birth = c["request_date"], c["birth_date"]
    year = c["tax_year"] = _year(day)
    ok_day = ~np.isnat(day)
    with_law = _check_year(c, err, law)
    err.add(ok_day & ~np.isnat(birth) & (birth > day), "birth_date", "is after the request date")
    # Born before January 1 of the year 120 years back: over 120 by the end of the year (in a
    # year with law: a year beyond it is the request date's error alone, as the case model's).
    err.add(with_law & ~np.isnat(birth) & (birth < _jan1(year - 120)), "birth_date",
            "gives an age over 120")
    _check_other_births(c, err, with_law)
    sep = c["active"] == 1  # enum index 1 = separated
    # Only where none was given: a date that cannot be read has been told "is not a date".
    err.add(sep & np.isnat(c["separation_date"]) & ~err.named("separation_date", len(day)),
            "separation_date", "is required when separated")
    married = np.isin(c["filing_status"], (FilingStatus.MARRIED_JOINT,
                                           FilingStatus.MARRIED_SEPARATE))
    err.add(married & np.asarray(c["spouse_sole_beneficiary"], bool)
            & np.isnat(c["spouse_birth_date"]) & ~err.named("spouse_birth_date", len(day)),
            "spouse_birth_date",
            "is required when the spouse is the sole beneficiary")
    err.add(np.asarray(c["lived_apart"], bool)
            & (c["filing_status"] != FilingStatus.MARRIED_SEPARATE), "lived_apart",
            LIVED_APART_SEPARATE_ONLY)
    err.add(np.asarray(c["spouse_itemizes"], bool)
            & (c["filing_status"] != FilingStatus.MARRIED_SEPARATE), "spouse_itemizes",
            SPOUSE_ITEMIZES_SEPARATE_ONLY)
    err.add(np.asarray(c["spouse_blind"], bool)
            & (c["filing_status"] != FilingStatus.MARRIED_JOINT), "spouse_blind",
            SPOUSE_BLIND_JOINT_ONLY)
    _check_parent(c, err)
    err.add(~np.isnan(c["net_amount"]) & ~np.isnan(c["amount"]), "request_net_amount",
            "give either amount or net_amount, not both")
    if names & STATE_PLACES:
        _check_state(c, err, law, year)
    err.add(~np.isnat(c["separation_date"]) & ok_day & (c["separation_date"] > day),
            "separation_date", "is after the request date")
    _check_active_but_separated(c, err)
    err.add(~np.isnat(c["hire_date"]) & ok_day & (c["hire_date"] > day), "hire_date",
            "is after the request date")
    err.add(~np.isnat(c["hire_date"]) & ~np.isnat(birth) & (c["hire_date"] < birth), "hire_date",
            "is before the birth date")
    err.add(~np.isnat(c["separation_date"]) & ~np.isnat(c["hire_date"])
            & (c["separation_date"] < c["hire_date"]), "separation_date", "is before the hire date")
    err.add(c["qualified_dividends"] > c["ordinary_dividends"], "qualified_dividends",
            "cannot exceed ordinary_dividends")
    for part in ITEMIZED_PARTS_OF_CASE:  # the Schedule A total or its parts (the case's rule)
        err.add((c["itemized_deductions"] > 0) & (c[part] > 0), "itemized_deductions",
                total_with_parts(part, ITEMIZED_PARTS_OF_CASE))
    ira_floor, ira_why = roth_first_year_floor(True, law=law)  # Roth IRAs' first year, in law
    with np.errstate(invalid="ignore"):
        late = ok_day & (c["ira_roth_first_year"] > year)
        err.add(late, "ira_roth_first_year", "is after the request year")
        err.add(~late & (c["ira_roth_first_year"] < ira_floor), "ira_roth_first_year", ira_why)
    _check_roth_first_years(c, err, law, ok_day, year, names)
    _check_emergency_year(c, err, law, ok_day, year)
    _check_ira_contribution(c, err, law, ok_day, year)
    _check_sources(c, err, names)
    _check_stock(c, err, names)
    # The pre-1987 investment is part of the after-tax basis (a source with no balance is not
    # in the case: row_to_case); a basis refused itself (negative) is not compared with.
    at = INDEX["after_tax"]
    basis = _source(c, "basis", at)
    err.add((c["balance"][:, at] > 0) & (basis >= 0) & (c["pre_1987_basis"] > basis + 0.005),
            "pre_1987_basis_after_tax", PRE_1987_WITHIN_BASIS)
    _check_plan(c, err)
    _check_series(c, err, law)
    _check_w4p(c, err, law)
    _check_first_home(c, err, law)


def _check_active_but_separated(c: dict, err: Errors) -> None:
    """A separation date on or before the request date while ``employment_status`` is active
    (given so, or left blank), as the case model checks it
    (:func:`dist401k.case.active_but_separated`), in its words naming the columns; a status that
    cannot be read has been told so alone."""
    on = np.asarray(c["separation_date"], "datetime64[D]")
    bad = active_but_separated(c["active"] == 1, on, c["request_date"])  # enum 1 = separated
    if bad.any():
        bad &= ~err.named("employment_status", len(on))
        err.add_each(bad, "employment_status", [
            active_but_separated_words("employment_status", "separation_date", d)
            for d in on[bad].astype(str).tolist()])


def _check_first_home(c: dict, err: Errors, law: Law) -> None:
    """``ira_first_home_prior`` as the case model checks it
    (:func:`dist401k.case.first_home_prior_problems`): at most the law's lifetime limit of
    first-time homebuyer distributions in the request's year (IRC §72(t)(8)(B)); a row whose
    year has no law is refused already, told that alone."""
    prior = np.nan_to_num(np.asarray(c["ira_first_home_prior"], float))
    year = np.asarray(c["tax_year"])
    lo, hi = law.known_years
    ok = (prior > 0) & (year >= lo) & (year <= hi)
    if not ok.any():
        return
    cap = np.full(len(year), np.inf)
    cap[ok] = law.get(FIRST_HOME_CAP_LAW, year[ok])
    over = ok & (prior > cap + 0.005)  # half a cent, as the case's other amount checks
    for limit in np.unique(cap[over]).tolist():
        err.add(over & (cap == limit), "ira_first_home_prior", first_home_prior_too_much(limit))


#: The columns whose values the state's checks test (none given: their defaults, no state's
#: place and no election, pass them all).
STATE_PLACES = frozenset(("new_york_city", "yonkers", "maryland_county",
                          "request_state_withholding_rate"))


def _check_series(c: dict, err: Errors, law: Law) -> None:
    """A payment in a series as the case model checks it: the same formulas and words
    (:func:`dist401k.case.series_problems`), each problem naming its column, on the rows not
    refused already; the other annuitant of a joint series is the beneficiary given, else the
    spouse.  A book whose rows give no series (none: the default) passes them all."""
    corrective = np.asarray(c["corrective"])
    for k, name in enumerate(CORRECTIVES[1:], start=1):
        err.add(corrective == k, "request_corrective", CORRECTIVE_PROBLEM[name])
    kind = np.asarray(c["series"])
    if not (kind != 0).any():
        return
    # As in the case model, whose checks across fields run once every field is valid: a row
    # already refused (a value out of range, not a date …) is told that alone.
    told = np.zeros(len(kind), bool)
    told[np.asarray(err.rows, dtype=np.int64)] = True
    given = np.asarray(c["series_other_birth"], "datetime64[D]")
    facts = SeriesFacts(
        kind=kind, years=np.asarray(c["series_years"], float), start=c["annuity_start"],
        day=c["request_date"], birth=c["birth_date"], cost=np.asarray(c["series_cost"], float),
        recovered=np.asarray(c["series_recovered"], float),
        other_birth=np.where(np.isnat(given), c["spouse_birth_date"], given),
        not_own=np.asarray(c["inherited"], bool) | np.asarray(c["alternate_payee"], bool),
        no_amount=np.isnan(np.asarray(c["amount"], float))
        & np.isnan(np.asarray(c["net_amount"], float)),
        guaranteed=np.asarray(c["series_guaranteed_years"], float))
    for path, mask, why in series_problems(facts, law):
        err.add(mask & ~told, CASE_COLUMN[path], why)


def _check_w4p(c: dict, err: Errors, law: Law) -> None:
    """A Form W-4P as the case model checks it (:func:`dist401k.case.w4p_problems`): only for
    a periodic payment, Steps 2 to 4 with the filing status; each problem naming its column."""
    given = np.stack([np.asarray(c["w4p_status"]) != 0, np.asarray(c["w4p_step2"], bool),
                      *(np.asarray(c[k], float) != 0 for k in
                        ("w4p_credits", "w4p_other_income", "w4p_deductions", "w4p_extra")),
                      np.asarray(c["w4p_exempt"], bool)], axis=1)
    if not given.any():
        return
    # A row whose tax year dist401k has no law for is refused already, told that alone.
    year = np.asarray(c["tax_year"])
    lo, hi = law.known_years
    ok = given.any(axis=1) & (year >= lo) & (year <= hi)
    least = np.full(len(year), np.inf)
    least[ok] = law.get("annuity.eligible_rollover_series_years", year[ok])
    kind = np.asarray(c["series"])
    years = np.nan_to_num(np.asarray(c["series_years"], float))
    periodic = np.isin(kind, (SERIES.index("life"), SERIES.index("joint_life"))) | (
        (kind == SERIES.index("period")) & (years >= least))
    for path, mask, why in w4p_problems(given, given[:, 1:6].any(axis=1), periodic,
                                        name=CASE_COLUMN.__getitem__):
        err.add(mask & ok, CASE_COLUMN[path], why)


def _check_state(c: dict, err: Errors, law: Law, year: np.ndarray) -> None:
    """The state and its places as the case model checks them: New York City and Yonkers in
    New York (one of the two), a Maryland county in Maryland, a state withholding election
    only with a state that taxes the payment."""
    states = (np.array(("",) + STATE_CODES)[c["state"]] if c["state"].dtype.kind in "iu"
              else c["state"])
    err.add(np.asarray(c["new_york_city"], bool) & (states != "NY"), "new_york_city",
            "needs state ny (New York City is in New York)")
    err.add(np.asarray(c["yonkers"], bool) & (states != "NY"), "yonkers",
            "needs state ny (Yonkers is in New York)")
    md = np.asarray(c["maryland_county"])
    given = md > 0 if md.dtype.kind in "iu" else md != ""
    err.add(given & (states != "MD"), "maryland_county", "needs state md (a Maryland county)")
    err.add(np.asarray(c["yonkers"], bool) & np.asarray(c["new_york_city"], bool), "yonkers",
            "Yonkers is not in New York City: give one of the two")
    no_state, no_tax = election_refused(law, states, year, c["state_withholding_rate"])
    err.add(no_state, "request_state_withholding_rate", ELECTION_NEEDS_STATE)
    err.add(no_tax, "request_state_withholding_rate", ELECTION_NO_TAX)


def _check_parent(c: dict, err: Errors) -> None:
    """``person.parent`` as the case model checks it: the parent's taxable income and filing
    status go together, the other children's figure needs them, and a child filing a joint
    return is not taxed at the parent's rate (§1(g)(2)(C))."""
    status = np.asarray(c["parent_filing_status"])  # the choice's index: 0 = none
    given = status > 0 if status.dtype.kind in "iu" else status != ""
    income = ~np.isnan(np.asarray(c["parent_taxable_income"], float))
    err.add(given & ~income, "parent_taxable_income", PARENT_INCOME_REQUIRED)
    err.add(~given & income, "parent_filing_status", "is required with parent_taxable_income")
    err.add(~given & ~income & (np.asarray(c["other_children_nui"], float) > 0),
            "parent_filing_status", "is required with other_children_net_unearned_income")
    err.add(given & (c["filing_status"] == FilingStatus.MARRIED_JOINT), "parent_filing_status",
            PARENT_NOT_ON_JOINT)


def _check_emergency_year(c: dict, err: Errors, law: Law, ok_day, year) -> None:
    """``last_emergency_year`` as the case model checks ``account.last_emergency_year``: not
    after the request's year, not before the law that made the distribution (the same words)."""
    floor, why = emergency_year_floor(law=law)
    last = np.asarray(c["last_emergency_year"], float)
    fits = ~YEAR.outside(last)  # a year out of every year's range is told that alone
    with np.errstate(invalid="ignore"):
        err.add(fits & ok_day & (last > year), "last_emergency_year", "is after the request year")
        err.add(fits & (last < floor), "last_emergency_year", why)


def _check_ira_contribution(c: dict, err: Errors, law: Law, ok_day, year) -> None:
    """``ira_backdoor_roth_planned`` as the case model checks ``iras.backdoor_roth_planned``:
    within the IRA contribution limit of the year, the wages not counted on a joint return (IRC
    §219(b)(1), (b)(5), (c); §408(o)(2)(B); :func:`dist401k.ira_contribution_limit.contribution_limit`,
    the same words).  A row whose year has no law, or with no birth date, is told that alone."""
    amount = np.asarray(c["ira_backdoor"], float)
    lo, hi = law.known_years
    birth = c["birth_date"]
    with np.errstate(invalid="ignore"):
        at = np.flatnonzero(np.broadcast_to(ok_day & (year >= lo) & (year <= hi) & ~np.isnat(birth)
                                            & (amount > 0), amount.shape))
    if not len(at):
        return
    joint = np.broadcast_to(np.asarray(c["filing_status"]), amount.shape)[at] == \
        FilingStatus.MARRIED_JOINT
    limit = contribution_limit(law, year[at], _year(birth[at]),
                               np.broadcast_to(np.asarray(c["wages"], float), amount.shape)[at],
                               joint)
    rows: dict[str, list[int]] = {}
    for k in np.flatnonzero(over_limit(limit, amount[at])):
        rows.setdefault(over_limit_words(limit, int(k), "wages"), []).append(int(at[k]))
    for words, where in rows.items():
        mask = np.zeros(len(amount), bool)
        mask[where] = True
        err.add(mask, "ira_backdoor_roth_planned", words)


def _check_roth_first_years(c: dict, err: Errors, law: Law, ok_day, year, names) -> None:
    """``roth_first_year_<source>`` as the case model checks ``account.sources.*.first_year``
    (dist401k.case): not after the request's year where the source has a balance, never before
    the first year of designated Roth contributions (the law's, the same words).  Only the
    columns given (``names``): one not given is none (NaN), which passes."""
    given = [s for s in SOURCES if ROTH[INDEX[s]] and f"roth_first_year_{s}" in names]
    if not given:
        return
    floor, why = roth_first_year_floor(law=law)
    # An inherited Roth IRA's money: from the first year of Roth IRAs (the case model's).
    ira_floor, ira_why = roth_first_year_floor(True, law=law)
    roth_ira = (np.asarray(c["inherited"], bool) & np.asarray(c["inherited_roth"], bool)
                & (np.asarray(c["inherited_ira"]) == INHERITED_ACCOUNTS.index("ira")))
    for s in given:
        first = _source(c, "roth_first_year", INDEX[s])
        with np.errstate(invalid="ignore"):
            err.add(ok_day & (c["balance"][:, INDEX[s]] > 0) & (first > year),
                    f"roth_first_year_{s}", "is after the request year")
            err.add(~roth_ira & (first < floor), f"roth_first_year_{s}", why)
            err.add(roth_ira & (first < ira_floor), f"roth_first_year_{s}", ira_why)


def _any_given(given: dict[str, np.ndarray], names, n: int) -> np.ndarray:
    """Rows that give a value in any of the columns ``names``."""
    out = np.zeros(n, bool)
    for name in names:
        if name in given:
            out |= given[name]
    return out


def _given_parts(cols: dict, given: dict[str, np.ndarray], n: int) -> None:
    """The parts of the case a row gives: an inherited account where it gives any
    ``beneficiary_…`` column (its missed years included), an alternate payee where it gives
    any ``ap_…`` column — as a case file gives ``beneficiary`` or ``alternate_payee``."""
    cols["inherited"] = _any_given(given, BENEFICIARY_COLUMNS + MISSED_COLUMNS, n)
    cols["alternate_payee"] = _any_given(given, ALTERNATE_PAYEE_COLUMNS, n)


# The case model's words (dist401k.case: Beneficiary._consistent, _beneficiary_problems,
# _alternate_payee_fits), so a row and a case file say the same thing.
RBD_NOT_FOR_IRA = "an IRA has no still-working exception (IRC §401(a)(9)(C)(ii)(II))"
ONLY_SPOUSE_ELECTS = ("only a surviving spouse may make it (IRC §401(a)(9)(B)(iv); §402(c)(9); "
                      "§408(d)(3)(C))")
NON_DESIGNATED_NOT_ELIGIBLE = ("a non-designated beneficiary cannot be an eligible designated "
                               "beneficiary or elect the 10-year rule")
ROTH_WITH_OTHER_MONEY = ("the account holds money other than Roth money; give the Roth and the "
                         "other money as separate cases (separate accounts)")


def _check_parts(c: dict, err: Errors, law: Law, given: dict[str, np.ndarray]) -> None:
    """``beneficiary`` and ``alternate_payee`` as the case model checks them: the fields a
    part requires where the row gives it, then each part's own checks."""
    heir, ap = np.asarray(c["inherited"], bool), np.asarray(c["alternate_payee"], bool)
    n = len(heir)
    for part, names in ((heir, ("beneficiary_deceased_birth_date", "beneficiary_date_of_death",
                                "beneficiary_relationship")), (ap, ("ap_relationship",))):
        for name in names:
            err.add(part & ~given.get(name, np.zeros(n, bool)), name, "is required")
    # (Each part's checks test rows that give the part only: a book giving none skips them.)
    if heir.any():
        _check_beneficiary(c, err, heir)
    if c["missed_year"].shape[1]:
        _check_missed(c, err, given)
    if ap.any():
        _check_alternate_payee(c, err, ap, heir, _law_has_year(c, law))


def _check_beneficiary(c: dict, err: Errors, heir: np.ndarray) -> None:
    """An inherited account (Beneficiary._consistent and _beneficiary_problems of
    dist401k.case): the death after the employee's birth and not after the request, no
    required beginning date of an IRA's, the spouse's elections a spouse's only, no eligible
    designated beneficiary that is not a designated one, a Roth account of Roth money only."""
    day, birth = c["request_date"], c["birth_date"]
    dbd, dod = c["deceased_birth_date"], c["date_of_death"]
    rel = np.asarray(c["relationship"]) - 1  # the choice's index: 0 = none
    election = np.asarray(c["spouse_election"])
    known = heir & (rel >= 0)  # what the model checks once the fields are valid
    err.add(heir & ~np.isnat(dbd) & ~np.isnat(dod) & (dod < dbd), "beneficiary_date_of_death",
            "is before deceased_birth_date")
    err.add(heir & ~np.isnat(dbd) & ~np.isnat(dod) & (dod >= dbd)
            & (dbd < _jan1(_year(dod) - 120)), "beneficiary_deceased_birth_date",
            "gives an age over 120 at date_of_death")
    err.add(heir & (np.asarray(c["inherited_ira"]) == INHERITED_ACCOUNTS.index("ira"))
            & ~np.isnat(c["deceased_rbd"]), "beneficiary_required_beginning_date", RBD_NOT_FOR_IRA)
    err.add(known & (rel != Relationship.SPOUSE) & (election != SpouseElection.BENEFICIARY),
            "beneficiary_spouse_election", ONLY_SPOUSE_ELECTS)
    err.add(known & (rel == Relationship.NON_DESIGNATED)
            & (np.asarray(c["beneficiary_disabled"], bool) | np.asarray(c["chronically_ill"], bool)
               | np.asarray(c["elected_ten_year"], bool)),
            "beneficiary_relationship", NON_DESIGNATED_NOT_ELIGIBLE)
    ok_day = ~np.isnat(day)
    err.add(heir & ok_day & ~np.isnat(dod) & (dod > day), "beneficiary_date_of_death",
            "is after the request date")
    err.add(heir & ok_day & ~np.isnat(dbd) & (dbd > day), "beneficiary_deceased_birth_date",
            "is after the request date")
    roth = heir & np.asarray(c["inherited_roth"], bool)
    err.add(roth & ((c["balance"] > 0) & ~ROTH).any(axis=1), "beneficiary_roth",
            ROTH_WITH_OTHER_MONEY)
    err.add(heir & ~np.isnat(birth) & ~np.isnat(dod) & (birth > dod), "birth_date",
            BORN_AFTER_DEATH)
    err.add(roth & (rel == Relationship.SPOUSE) & (election == SpouseElection.OWN),
            "beneficiary_spouse_election", ROTH_MADE_OWN)


def _check_missed(c: dict, err: Errors, given: dict[str, np.ndarray]) -> None:
    """Each missed year's group of columns (``beneficiary.missed``): its year and shortfall
    required where the group is given; the year before the request's, and not before the
    year of death where that date stands (it is not after the request)."""
    day, dod = c["request_date"], c["date_of_death"]
    year = c["tax_year"]
    standing = ~np.isnat(dod) & ~np.isnat(day) & (dod <= day)
    death_year = _year(np.where(standing, dod, day))
    n = len(year)
    for k in range(c["missed_year"].shape[1]):
        names = [p.format(k=k + 1) for p, *_ in PER_MISSED]
        present = _any_given(given, names, n)
        for name in names[:2]:
            err.add(present & ~given.get(name, np.zeros(n, bool)), name, "is required")
        missed = c["missed_year"][:, k]
        with np.errstate(invalid="ignore"):
            late = present & (missed >= year)
            err.add(late, names[0], "must be a year before the request year")
            err.add(present & ~late & standing & (missed < death_year), names[0],
                    "is before the year of death")


def _check_alternate_payee(c: dict, err: Errors, ap: np.ndarray, heir: np.ndarray,
                           with_law: np.ndarray) -> None:
    """An alternate payee's share (_alternate_payee_fits of dist401k.case): not also an heir's;
    no rollover for a child or other dependent (IRC §402(e)(1)(B)); the participant's birth
    date a spouse's or former spouse's only, not after the request, an age of at most 120 in a
    request year with law (``with_law``: a year beyond it is the request date's error alone);
    designated Roth money in a spouse's or former spouse's share only with the participant's
    birth date and each Roth source's first year (_roth_share_problems)."""
    rel = np.asarray(c["ap_relationship"]) - 1  # the choice's index: 0 = none
    known = ap & (rel >= 0)
    spouse = np.isin(rel, [ALTERNATE_PAYEE_RELATIONSHIPS.index(r) for r in ALTERNATE_PAYEE_SPOUSES])
    err.add(ap & heir, "ap_relationship", HEIR_OR_PAYEE)
    cash = np.isin(c["destination"], [DESTINATION_CHOICES.index("all"),
                                      DESTINATION_CHOICES.index("cash")])
    err.add(known & ~spouse & ~cash, "request_destination", DEPENDENT_NO_ROLLOVER)
    born, day = c["ap_participant_birth_date"], c["request_date"]
    dated = known & ~np.isnat(born)
    err.add(dated & ~spouse, "ap_participant_birth_date", PARTICIPANT_IS_PERSON)
    later = dated & spouse & ~np.isnat(day) & (born > day)
    err.add(later, "ap_participant_birth_date", "is after the request date")
    err.add(dated & spouse & ~later & with_law & (c["tax_year"] - _year(born) > 120),
            "ap_participant_birth_date", "gives an age over 120")
    roth = (c["balance"] > 0) & ROTH
    err.add(known & spouse & roth.any(axis=1) & np.isnat(born), "ap_participant_birth_date",
            ALTERNATE_PAYEE_ROTH)
    for src in SOURCES:
        j = INDEX[src]
        if ROTH[j]:
            err.add(known & spouse & ~np.isnat(born) & roth[:, j]
                    & np.isnan(_source(c, "roth_first_year", j)), f"roth_first_year_{src}",
                    ALTERNATE_PAYEE_ROTH)


def _check_sources(c: dict, err: Errors, names) -> None:
    """Each money source as the case model checks it: money that is always vested fully
    vested; the seasoned part not above the balance (only it: basis and Roth contributions may
    exceed the balance after a loss, §72(e)(8); docs/assess.md).  Told source by source in the
    model's order, for the columns given (``names``): a vested column not given is 1 and a
    seasoned one none (NaN), which pass."""
    for s in SOURCES:
        j = INDEX[s]
        if ALWAYS_VESTED[j] and f"vested_{s}" in names:
            vested = c["vested"][:, j]
            err.add((vested >= 0) & (vested < 1), f"vested_{s}", vesting_rule(s))
        if f"seasoned_{s}" in names:
            seasoned, bal = _source(c, "seasoned", j), c["balance"][:, j]
            err.add(~np.isnan(seasoned) & (bal >= 0) & (seasoned > bal + 0.005), f"seasoned_{s}",
                    "cannot exceed the balance")


def _check_stock(c: dict, err: Errors, names) -> None:
    """Employer stock held in the account, as the case model checks it: not worth more than
    the sources' vested balance (the loan receivable holds no shares).  Told where the table
    gives the stock's value (none: 0, which passes)."""
    if "employer_stock_value" not in names:
        return
    balance, share = np.asarray(c["balance"], float), np.asarray(c["vested"], float)
    # A row whose sources are refused themselves is told that alone, as the case model tells it.
    with np.errstate(invalid="ignore", over="ignore"):
        sound = np.all((balance >= 0) & (share >= 0) & (share <= 1), axis=1)
        vested = (balance * share).sum(axis=1)
    err.add(sound & (c["stock_value"] > vested + 0.005), "employer_stock_value",
            STOCK_WITHIN_VESTED)


#: The employer stock columns, given together or not at all (the case model's rule,
#: case.EmployerStock): which rows give a value in each is kept (``_ColumnReader.given``).
STOCK_COLUMNS = ("employer_stock_value", "employer_stock_basis")
#: The case model's words for a missing one, naming the columns instead of the case fields.
STOCK_BASIS_BLANK = STOCK_BASIS_REQUIRED.replace("account.employer_stock.value",
                                                 "employer_stock_value")
STOCK_VALUE_BLANK = STOCK_VALUE_REQUIRED.replace("account.employer_stock.cost_basis",
                                                 "employer_stock_basis")


def _check_stock_pair(c: dict, err: Errors, given: dict[str, np.ndarray]) -> None:
    """Employer stock is given with both its value and its cost to the plan, or neither, as the
    case model requires (case.EmployerStock): the cost is what a lump sum taxes now (IRC
    §402(e)(4)(B)), so a row with a value above 0 and a blank or absent
    ``employer_stock_basis`` is refused, not given a cost of 0; a row with a cost and no value
    is refused too.  A value of 0 needs no cost (no shares)."""
    n = len(c["stock_value"])
    value, basis = (given.get(name, np.zeros(n, bool)) for name in STOCK_COLUMNS)
    with np.errstate(invalid="ignore"):
        err.add(value & ~basis & (np.asarray(c["stock_value"], float) > 0), "employer_stock_basis",
                STOCK_BASIS_BLANK)
    err.add(basis & ~value, "employer_stock_value", STOCK_VALUE_BLANK)


def _check_plan(c: dict, err: Errors) -> None:
    """Plan provisions no answer can be given for (one the law forbids for some money only is
    applied where lawful by the in-service route, as for a case file)."""
    subject_to_417 = c["spousal_consent"] | (c["plan_type"] == PlanType.MONEY_PURCHASE)
    err.add(c["domestic_abuse_adopted"] & subject_to_417, "domestic_abuse_adopted",
            "not for plans subject to spousal consent (§72(t)(2)(K))")
    needs_event = np.isin(c["purpose"], [Purpose.BIRTH_ADOPTION, Purpose.DISASTER,
                                         Purpose.DOMESTIC_ABUSE])
    err.add(needs_event & np.isnat(c["event_date"]), "request_event_date",
            "is required for this purpose")
    # As the case model: no event (a disaster's incident period) begins after the request.
    err.add(~np.isnat(c["event_date"]) & ~np.isnat(c["request_date"])
            & (c["event_date"] > c["request_date"]), "request_event_date",
            "is after the request date")


def _whole(x):
    """A whole number as an int; anything else as given (for the case model to refuse)."""
    return int(x) if isinstance(x, int | float) and float(x).is_integer() else x


def row_to_case(row: dict) -> dict:
    """One flat row → the case file structure (the inverse of the flattening)."""
    row = {(RENAMED_COLUMNS[k] if k in RENAMED_COLUMNS and RENAMED_COLUMNS[k] not in row else k): v
           for k, v in row.items()}
    r = _Row(row)
    case = {"id": str(r.val("participant_id")) if r.has("participant_id") else None,
            "person": _person_of(r), "employment": _employment_of(r), "income": _income_of(r),
            "plan": _plan_of(r), "account": _account_of(r), "iras": _iras_of(r),
            "request": _request_of(r)}
    # The parts that may be absent: given where the row gives any of their columns.
    if any(r.has(k) for k in (*BENEFICIARY_COLUMNS, *MISSED_COLUMNS)):
        case["beneficiary"] = _beneficiary_of(r)
    if any(r.has(k) for k in ALTERNATE_PAYEE_COLUMNS):
        case["alternate_payee"] = _alternate_payee_of(r)
    return case


@dataclass
class _Row:
    """One flat row read as a case file reads: a null or blank cell is absent; a NaN was
    given (and is refused by the model)."""

    row: dict

    def has(self, k: str) -> bool:
        v = self.row.get(k)
        return v is not None and v != ""

    def val(self, k: str, default=None):
        return self.row[k] if self.has(k) else default

    def date(self, k: str):
        """A date as the case file writes it; text as given (the model parses it)."""
        v = self.val(k)
        if isinstance(v, dt.datetime):
            return v.date().isoformat()
        return v.isoformat() if isinstance(v, dt.date) else v

    def flag(self, k: str, default: bool) -> bool:
        return bool(self.val(k, default))

    def number(self, k: str, default: float = 0) -> float:
        return float(self.val(k, default))

    def given(self, pairs: dict) -> dict:
        """The entries whose value was given."""
        return {k: v for k, v in pairs.items() if v is not None}


def _person_of(r: _Row) -> dict:
    return r.given({
        "birth_date": r.date("birth_date"), "filing_status": r.val("filing_status", "single"),
        "spouse_birth_date": r.date("spouse_birth_date"),
        "spouse_sole_beneficiary": r.flag("spouse_sole_beneficiary", False),
        "lived_apart": r.flag("lived_apart", False),
        "blind": r.flag("blind", False), "spouse_blind": r.flag("spouse_blind", False),
        "spouse_itemizes": r.flag("spouse_itemizes", False),
        "disabled": r.flag("disabled", False),
        "terminally_ill": r.flag("terminally_ill", False),
        "five_percent_owner": r.flag("five_percent_owner", False),
        "qualified_public_safety": r.flag("qualified_public_safety", False),
        "firefighter": r.flag("firefighter", False),
        "state": r.val("state"), "new_york_city": r.flag("new_york_city", False),
        "yonkers": r.flag("yonkers", False), "maryland_county": r.val("maryland_county") or None,
        "dependent": r.flag("dependent", False),
        "full_time_student": r.flag("full_time_student", False),
        "earned_over_half_support": r.flag("earned_over_half_support", False),
        "parent": r.given({"filing_status": r.val("parent_filing_status"),
                           "taxable_income": r.val("parent_taxable_income"),
                           "other_children_net_unearned_income": r.val(
                               "other_children_net_unearned_income")}) or None})


def _employment_of(r: _Row) -> dict:
    return r.given({
        "status": r.val("employment_status", "active"), "hire_date": r.date("hire_date"),
        "participation_date": r.date("participation_date"),
        "separation_date": r.date("separation_date"),
        "years_of_service": r.val("years_of_service")})


def _income_of(r: _Row) -> dict:
    return {k: float(r.row[k]) for k in (
        "wages", "taxable_interest", "tax_exempt_interest", "ordinary_dividends",
        "qualified_dividends", "long_term_gains", "other_distributions", "social_security",
        "other_income", "itemized_deductions", "charitable_cash", "medical_expenses",
        "state_local_taxes", "itemized_charity", "other_itemized")
        if r.has(k)}


def _plan_of(r: _Row) -> dict:
    plan = {"type": r.val("plan_type"), "governmental": r.flag("governmental", False),
            "in_service": _in_service_of(r)}
    if r.has("withdrawals_per_year"):
        plan["withdrawals_per_year"] = _whole(r.val("withdrawals_per_year"))
    plan |= {
        "minimum_withdrawal": r.number("minimum_withdrawal"),
        # An absent column is the model's default (DEFAULTS, derived from the case's fields).
        "hardship": {"allowed": r.flag("hardship_allowed", False),
                     "self_certification": r.flag("hardship_self_certification",
                                                  DEFAULTS["hardship_self_certification"]),
                     "sources": [s for s in SOURCES if r.flag(
                         f"hardship_source_{s}", s in DEFAULTS["hardship_source_{s}"])]},
        "loans": {"allowed": r.flag("loans_allowed", False),
                  "max_count": _whole(r.val("loans_max_count", DEFAULTS["loans_max_count"])),
                  "lends_to_floor": r.flag("loans_lends_to_floor", False),
                  "interest_rate": r.number("loan_interest_rate", DEFAULTS["loan_interest_rate"]),
                  "residence_term_years": _whole(r.val("loan_residence_term_years",
                                                       DEFAULTS["loan_residence_term_years"])),
                  "payments_per_year": _whole(r.val("loan_payments_per_year",
                                                    DEFAULTS["loan_payments_per_year"])),
                  "cure_days": (_whole(r.row["loan_cure_days"]) if r.has("loan_cure_days")
                                else None)},
        "secure2": {k: r.flag(f"{k}_adopted", False) for k in (
            "emergency_expense", "domestic_abuse", "birth_adoption", "disaster",
            "long_term_care")},
        "accepts_rollins": r.flag("accepts_rollins", False),
        "spousal_consent": r.flag("spousal_consent", False),
        "small_account_cash_out": r.flag("small_account_cash_out", False),
        "still_working_exception": r.flag("still_working_exception", True),
        "disability_distributions": r.flag("disability_distributions", True),
        "terminated": r.flag("plan_terminated", False),
        "alternative_dc_plan": r.flag("alternative_dc_plan", False)}
    if r.has("plan_retirement_age"):
        plan["retirement_age"] = float(r.row["plan_retirement_age"])
    return plan


def _in_service_of(r: _Row) -> dict:
    """The money sources the plan lets out in service, with their conditions."""
    in_service = {}
    for s in SOURCES:
        if r.has(f"in_service_{s}") and bool(r.row[f"in_service_{s}"]):
            rule: dict[str, bool | float] = {"allowed": True}
            for pat, key in (("in_service_min_age_{s}", "min_age"),
                             ("seasoning_years_{s}", "seasoning_years"),
                             ("participation_years_{s}", "participation_years")):
                if r.has(pat.format(s=s)):
                    rule[key] = float(r.row[pat.format(s=s)])
            in_service[s] = rule
    return in_service


def _sources_of(r: _Row) -> dict:
    """The money sources with a balance, and what each holds."""
    sources = {}
    for s in SOURCES:
        if not (r.has(f"balance_{s}") and float(r.row[f"balance_{s}"]) > 0):
            continue
        sb = {"balance": float(r.row[f"balance_{s}"])}
        for pat, key in (("vested_{s}", "vested"), ("seasoned_{s}", "seasoned"),
                         ("basis_{s}", "basis"), ("roth_contributions_{s}", "contributions")):
            if r.has(pat.format(s=s)):
                sb[key] = float(r.row[pat.format(s=s)])
        if r.has(f"roth_first_year_{s}"):
            sb["first_year"] = _whole(r.row[f"roth_first_year_{s}"])
        if s == "after_tax" and r.has("pre_1987_basis_after_tax"):
            sb["pre_1987_basis"] = float(r.row["pre_1987_basis_after_tax"])
        sources[s] = sb
    return sources


def _account_of(r: _Row) -> dict:
    account = {
        "sources": _sources_of(r),
        "loans": {"outstanding": r.number("loan_outstanding"),
                  "highest_last_12_months": r.number("loan_highest_last_12_months"),
                  "count": _whole(r.val("loan_count", 0)),
                  "residence": (r.flag("loan_residence", False) if r.has("loan_residence")
                                else None),
                  "missed_payment_date": r.date("loan_missed_payment_date"),
                  "accrued_interest": r.val("loan_accrued_interest")},
        "withdrawals_this_year": _whole(r.val("withdrawals_this_year", 0)),
        "distributed_this_year": r.number("distributed_this_year"),
        "last_year_rmd_unpaid": r.number("last_year_rmd_unpaid"),
        "emergency_unrepaid": r.number("emergency_unrepaid"),
        "emergency_contributions_since": r.number("emergency_contributions_since"),
        "prior_event_distributions": r.number("prior_event_distributions"),
        "deferrals_last_two_years": r.flag("deferrals_last_two_years", True),
        "prior_small_account_cash_out": r.flag("prior_small_account_cash_out", False),
    }
    if r.has("prior_year_end_balance"):
        account["prior_year_end_balance"] = float(r.row["prior_year_end_balance"])
    if r.has("last_emergency_year"):
        account["last_emergency_year"] = _whole(r.row["last_emergency_year"])
    if r.has("state_taxed_contributions"):
        account["state_taxed_contributions"] = float(r.row["state_taxed_contributions"])
    # Both or neither, as a case file gives them: a blank one is absent, for the model to refuse.
    stock = r.given({"value": r.val("employer_stock_value"),
                     "cost_basis": r.val("employer_stock_basis")})
    if stock:
        account["employer_stock"] = {k: float(v) for k, v in stock.items()}
    return account


def _iras_of(r: _Row) -> dict:
    iras = {"traditional": r.number("ira_traditional"), "traditional_basis":
            r.number("ira_basis"), "roth": r.number("ira_roth"),
            "backdoor_roth_planned": r.number("ira_backdoor_roth_planned"),
            "roth_contributions": r.number("ira_roth_contributions"),
            "first_home_prior": r.number("ira_first_home_prior")}
    if r.has("ira_roth_first_year"):
        iras["roth_first_year"] = _whole(r.row["ira_roth_first_year"])
    return iras


def _request_of(r: _Row) -> dict:
    return r.given({
        "date": r.date("request_date"),
        "amount": float(r.row["request_amount"]) if r.has("request_amount") else "max",
        "purpose": r.val("request_purpose", "none"), "need": r.val("request_need"),
        "event_date": r.date("request_event_date"),
        "event_children": _whole(r.val("request_event_children", 1)),
        "disaster_declared": r.flag("request_disaster_declared", False),
        "disaster_declaration_date": r.date("request_disaster_declaration_date"),
        "long_term_care_premiums": r.number("request_long_term_care_premiums"),
        "destination": r.val("request_destination", "all"),
        "withholding_rate": r.val("request_withholding_rate"),
        "payee_tin_furnished": r.flag("request_payee_tin_furnished", True) and not (
            "recipient_tin" in r.row and not tins_given([r.row["recipient_tin"]])[0]),
        "delivered_outside_us": r.flag("request_delivered_outside_us", False),
        "state_withholding_rate": r.val("request_state_withholding_rate"),
        "net_amount": r.val("request_net_amount"), "net_of": r.val("request_net_of",
                                                                   "withholding"),
        **_series_of(r), **_w4p_of(r)})


def _w4p_of(r: _Row) -> dict:
    """The payee's Form W-4P: the request's w4p fields the row gives."""
    status = r.val("request_w4p_filing_status")
    return r.given({
        "w4p_filing_status": status or None,
        "w4p_step2": r.flag("request_w4p_step2", False),
        "w4p_credits": r.number("request_w4p_credits"),
        "w4p_other_income": r.number("request_w4p_other_income"),
        "w4p_deductions": r.number("request_w4p_deductions"),
        "w4p_extra": r.number("request_w4p_extra"),
        "w4p_no_withholding": r.flag("request_w4p_no_withholding", False)})


def _series_of(r: _Row) -> dict:
    """A payment in a series: the request's series fields the row gives."""
    return r.given({
        "series": r.val("request_series"),
        "series_years": _whole(r.val("request_series_years")),
        "series_payments_per_year": _whole(r.val("request_series_payments_per_year")),
        "annuity_start_date": r.date("request_annuity_start_date"),
        "series_cost": r.val("request_series_cost"),
        "series_cost_recovered": r.val("request_series_cost_recovered"),
        "series_beneficiary_birth_date": r.date("request_series_beneficiary_birth_date"),
        "series_guaranteed_years": r.val("request_series_guaranteed_years"),
        "corrective": r.val("request_corrective")})


def _given_value(r: _Row, k: str, kind: str):
    """A cell of a part that may be absent, as a case file writes it (None: not given)."""
    if not r.has(k):
        return None
    if kind == "date":
        return r.date(k)
    if kind == "bool":
        return bool(r.row[k])
    if kind == "num":
        return _whole(r.row[k]) if k.startswith("beneficiary_missed_year_") else float(r.row[k])
    return r.row[k]


def _beneficiary_of(r: _Row) -> dict:
    """The inherited account: its given fields, and its missed years (each group given)."""
    ben = r.given({path.split(".")[-1]: _given_value(r, column, kind)
                   for column, _, kind, path in SCALARS if column in BENEFICIARY_COLUMNS})
    missed = []
    for k in range(1, MISSED_GROUPS + 1):
        group = r.given({path.split(".")[-1]: _given_value(r, pattern.format(k=k), kind)
                         for pattern, _, kind, path in PER_MISSED})
        if group:
            missed.append(group)
    if missed:
        ben["missed"] = missed
    return ben


def _alternate_payee_of(r: _Row) -> dict:
    """The alternate payee: its given fields."""
    return r.given({path.split(".")[-1]: _given_value(r, column, kind)
                    for column, _, kind, path in SCALARS if column in ALTERNATE_PAYEE_COLUMNS})
