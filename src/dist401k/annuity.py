"""A payment that is one of a series (``request.series``): installments or an annuity the plan pays.

* Not an eligible rollover distribution where the series is for the employee's life (or life
  expectancy), the joint lives (or joint life expectancies) of the employee and the designated
  beneficiary, or a specified period of 10 years or more (IRC §402(c)(4)(A); the years: law
  ``annuity.eligible_rollover_series_years``): paid in cash only, no §402(f) notice, no 20%
  (§3405(c)); a periodic payment is withheld as wages under §3405(a) (Form W-4P), which
  dist401k does not figure.  A shorter period's payments are eligible rollover distributions.
* The part of each payment excluded from income by the Simplified Method (§72(d)(1); Pub. 575,
  Worksheet A): the cost at the annuity starting date divided by the number of anticipated
  monthly payments (§72(d)(1)(B)(iii) by the age on that date, (iv) by the combined ages; a
  fixed period's monthly payments, §72(c)(3)), adjusted to payments not made monthly
  (§72(d)(1)(F)), never more than the cost not yet recovered (§72(b)(2)).  Only under a
  "qualified employer retirement plan", a plan or contract of §4974(c)(1), (2) or (3)
  (§72(d)(1)(G): a §401(a) plan, a §403(a) annuity plan, a §403(b) contract — not a governmental
  457(b)); and not where the primary annuitant has attained the law's age (75) on the annuity
  starting date unless there are fewer than the law's years (5) of guaranteed payments
  (§72(d)(1)(E)).  There the exclusion ratio of §72(b) (the General Rule, Pub. 939) applies,
  which dist401k does not figure: the payment is taxed as where the cost is not given.
* Free of the 10% additional tax where the series is for life or joint lives and began after
  the separation from service (§72(t)(2)(A)(iv), (t)(3)(B)); a fixed period is not that
  exception.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import SECTION_401A_PLANS, SERIES, PlanType
from dist401k.dates import age_on, as_dates, year_of
from dist401k.law.loader import Law, Lookup

#: The routes that pay the participant's own series: a payment after separation, on
#: disability, or in service (a plan may pay an annuity in service, e.g. at normal retirement age).
SERIES_ROUTES = ("in_service", "separation", "disability")
LIFE, JOINT, PERIOD = (SERIES.index("life"), SERIES.index("joint_life"), SERIES.index("period"))
SINGLE_TABLE = "annuity.anticipated_payments_single"
JOINT_TABLE = "annuity.anticipated_payments_joint"
MONTHS_PER_YEAR = 12  # calendar arithmetic: the tables count monthly payments
#: The plans of §72(d)(1)(G), "any plan or contract described in paragraph (1), (2), or (3) of
#: section 4974(c)": a §401(a) plan, a 403(b) annuity contract or custodial account (treated as
#: an annuity contract, §403(b)(7)(A)); not a governmental 457(b).
SIMPLIFIED_METHOD_PLANS = (*SECTION_401A_PLANS, PlanType.PLAN_403B_ANNUITY, PlanType.PLAN_403B7)
AGE_LIMIT = "annuity.simplified_method_age_limit"
GUARANTEED_YEARS = "annuity.simplified_method_guaranteed_years"


def in_series(b: CaseBatch) -> np.ndarray:
    """Cases whose payment is one of a series (any kind)."""
    return np.asarray(b.series) != 0


def not_eligible_rollover(b: CaseBatch, lk: Lookup) -> np.ndarray:
    """Cases whose series payment is no eligible rollover distribution (§402(c)(4)(A)): life,
    joint lives, or a specified period of at least the law's years."""
    kind = np.asarray(b.series)
    years = np.nan_to_num(np.asarray(b.series_years, float))
    return np.isin(kind, (LIFE, JOINT)) | (
        (kind == PERIOD) & (years >= lk.get("annuity.eligible_rollover_series_years")))


def life_exception(b: CaseBatch) -> np.ndarray:
    """Cases whose series is for life or joint lives and began after the separation from
    service: the §72(t)(2)(A)(iv) exception (§72(t)(3)(B)); not a fixed period."""
    start = as_dates(b.annuity_start)
    sep = as_dates(b.separation_date)
    after = ~np.asarray(b.active, bool) & ~np.isnat(sep) & ~np.isnat(start) & (sep <= start)
    return np.isin(np.asarray(b.series), (LIFE, JOINT)) & after


def anticipated_payments(b: CaseBatch, law: Law) -> np.ndarray:
    """The number of anticipated monthly payments (Worksheet A, line 3): by the primary
    annuitant's age on the annuity starting date (§72(d)(1)(B)(iii)), by the combined ages
    (iv), or a fixed period's months (§72(d)(1)(B)(i)(II), §72(c)(3)); NaN without a series.
    Each table is read for the whole batch (a case without a series or a starting date reads
    it on the request date, and its figure is dropped)."""
    kind = np.asarray(b.series)
    start = as_dates(b.annuity_start)
    on = np.where(np.isnat(start), as_dates(b.request_date), start)
    age = age_on(b.birth_date, on)
    other = as_dates(b.series_other_birth)
    other_age = np.where(np.isnat(other), 0, age_on(np.where(np.isnat(other), on, other), on))
    single = law.table(SINGLE_TABLE, _table_year(law, SINGLE_TABLE, on), age)
    joint = law.table(JOINT_TABLE, _table_year(law, JOINT_TABLE, on), age + other_age)
    months = np.asarray(b.series_years, float) * MONTHS_PER_YEAR
    return np.select([kind == LIFE, kind == JOINT, kind == PERIOD], [single, joint, months],
                     np.nan)


def _table_year(law: Law, name: str, on) -> np.ndarray:
    """The year each case reads table ``name`` in: its date's, not before the table's first
    (a start date before it is refused with a cost: dist401k.case)."""
    return np.maximum(year_of(on), law.param(name).dates[0].year)


def general_rule(b: CaseBatch, law: Law) -> dict[str, np.ndarray]:
    """Cases whose series the Simplified Method does not reach, by why: ``plan``, not a
    qualified employer retirement plan (§72(d)(1)(G): a governmental 457(b)); ``age``, the
    primary annuitant had attained the law's age on the annuity starting date and the series
    has at least the law's years of guaranteed payments (§72(d)(1)(E)) — a period series'
    payments are all guaranteed, its years; ``unknown``, that age with the guaranteed years not
    given (not assumed fewer).  The General Rule (§72(b)) applies there, not figured."""
    plan = ~np.isin(np.asarray(b.plan_type), SIMPLIFIED_METHOD_PLANS)
    start = as_dates(b.annuity_start)
    on = np.where(np.isnat(start), as_dates(b.request_date), start)
    year = _table_year(law, AGE_LIMIT, on)
    aged = ~np.isnat(start) & (age_on(b.birth_date, on) >= law.get(AGE_LIMIT, year))
    guaranteed = np.where(np.asarray(b.series) == PERIOD, np.asarray(b.series_years, float),
                          np.asarray(b.series_guaranteed_years, float))
    known = ~np.isnan(guaranteed)
    long = known & (np.nan_to_num(guaranteed) >= law.get(GUARANTEED_YEARS, year))
    return {"plan": plan, "age": ~plan & aged & long, "unknown": ~plan & aged & ~known}


def excluded_per_payment(b: CaseBatch, law: Law) -> np.ndarray:
    """The cost recovered tax free by one payment of the series (Worksheet A, line 4 per
    payment): the cost over the anticipated payments, adjusted to the payments a year
    (§72(d)(1)(F)); NaN where the cost is not given or the Simplified Method does not apply
    (:func:`general_rule`)."""
    n_payments = anticipated_payments(b, law) * np.asarray(b.series_per_year, float) / \
        MONTHS_PER_YEAR
    out = general_rule(b, law)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.asarray(b.series_cost, float) / n_payments
    return np.where(out["plan"] | out["age"] | out["unknown"], np.nan, per)


def simplified_method(b: CaseBatch, series, per) -> np.ndarray:
    """Cases of ``series`` (payments in a series that are no eligible rollover distribution)
    taxed by the Simplified Method: those with a per-payment exclusion ``per``
    (:func:`excluded_per_payment`: the cost given, the method applies)."""
    return np.asarray(series, bool) & ~np.isnan(np.asarray(per, float))


def excluded(b: CaseBatch, paid, series, per) -> np.ndarray:
    """The part of ``paid`` (one payment of the series, its money other than designated Roth
    money) excluded from income: the smaller of the per-payment exclusion ``per``
    (:func:`excluded_per_payment`) and the cost not yet recovered (Worksheet A, line 8;
    §72(b)(2)); 0 where the Simplified Method does not apply (:func:`simplified_method`)."""
    simple = simplified_method(b, series, per)
    if not simple.any():
        return np.zeros(len(b))
    rest = np.maximum(0.0, np.nan_to_num(np.asarray(b.series_cost, float))
                      - np.asarray(b.series_recovered, float))
    per = np.nan_to_num(np.asarray(per, float))
    return np.where(simple, np.minimum(np.asarray(paid, float), np.minimum(per, rest)), 0.0)
