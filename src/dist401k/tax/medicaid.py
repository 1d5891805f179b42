"""Medicaid's adult group and the Basic Health Programs, as far as they bar the premium tax
credit.

A state that took up the Affordable Care Act's expansion covers adults 19 to 64, not pregnant
and not entitled to Medicare, whose income is at most 133% of the poverty line, with 5
percentage points of it disregarded — 138% (42 U.S.C. §1396a(a)(10)(A)(i)(VIII), (e)(14)(I)).
Medicaid is minimum essential coverage, and a month a person is eligible for it is not a
coverage month for the premium tax credit (IRC §36B(c)(2)(B)).  A state's Basic Health Program
covers those under 65 from there to 200% of the line, and a person eligible for it may not
enroll in a qualified health plan through the Exchange (42 U.S.C. §18051(e)(2)).  Both read
income against the poverty guidelines of the year itself, not those of the year before as the
credit does.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Law
from dist401k.tax.premium_tax_credit import poverty_line


def adult_income_limit(law: Law, years, states) -> np.ndarray:
    """The adult group's income limit in each year's state of residence, as a share of the
    poverty line (``medicaid.adult_income_limit``); 0 where the state has no adult group or
    the state is not known (None)."""
    return law.keyed("medicaid.adult_income_limit", years, states)


def public_coverage_limit(law: Law, years, states) -> np.ndarray:
    """The most household income, as a share of the poverty line, at which a resident under
    65 of each year's state is eligible for its Medicaid adult group or its Basic Health
    Program (``medicaid.basic_health_program_limit``, which starts where the adult group
    ends) — no premium tax credit at or under it; 0 where neither exists."""
    return np.maximum(adult_income_limit(law, years, states),
                      law.keyed("medicaid.basic_health_program_limit", years, states))


def medicaid_line(law: Law, year, household_size, region="contiguous") -> np.ndarray:
    """The poverty line Medicaid reads in ``year``: the HHS guidelines of that year, which the
    premium tax credit's parameter holds as those of the next coverage year (the last year of
    the law's projection reads its own)."""
    y = law.check_years(np.atleast_1d(year))
    return poverty_line(law, np.minimum(y + 1, law.known_years[1]), household_size, region)


def medicaid_income_limit(law: Law, year, household_size, limit, region="contiguous") -> np.ndarray:
    """The most household income, in dollars, that keeps a household within public coverage
    whose limit is ``limit`` (a share of the poverty line: ``public_coverage_limit``; 0: none,
    and -inf returned)."""
    lim = np.asarray(limit, dtype=float)
    line = medicaid_line(law, year, household_size, region)
    return np.where(lim > 0, lim * line, -np.inf)


def coverage_months(months, household_income, medicaid_income) -> np.ndarray:
    """The coverage months of the premium tax credit among ``months`` of marketplace coverage:
    none where household income is at or under ``medicaid_income`` (the most that keeps the
    people covered in public coverage: ``medicaid_income_limit``), for a month eligible for
    Medicaid is not a coverage month (IRC §36B(c)(2)(B)) and a person eligible for a Basic
    Health Program may not buy the plan on the Exchange (42 U.S.C. §18051(e)(2))."""
    income = np.asarray(household_income, dtype=float)
    return np.where(income <= medicaid_income, 0.0, np.asarray(months, dtype=float))
