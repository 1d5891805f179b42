"""The premium tax credit for coverage bought on a Health Insurance Marketplace (IRC §36B).

For each month of marketplace coverage the credit is the benchmark plan's premium (the
second-lowest-cost silver plan for the people covered) less the household's required
contribution — the applicable percentage of household income, a twelfth of it a month — and at
most the premium of the plan bought (§36B(b)(2)).  Household income is the modified AGI of the
tax family: AGI plus tax-exempt interest, the Social Security benefits left out of gross income
and excluded foreign income (§36B(d)(2)(B)).  Only a household between 100% and 400% of the
federal poverty line is an applicable taxpayer (§36B(c)(1)(A)); the 400% limit was suspended
for 2021 through 2025 (§36B(c)(1)(E)).  The credit is allowed for coverage months only: a
month a person is eligible for Medicaid is none (§36B(c)(2)(B)), nor can a person eligible for
a Basic Health Program buy the plan on the Exchange (42 U.S.C. §18051(e)(2)) — where the state
has either, the credit starts above its income limit (``tax.medicaid``).  The applicable
percentage rises in a straight line within each income band of the table of §36B(b)(3)(A),
published each year by Rev. Proc.

The figures follow Form 8962: the share of the poverty line cut to a whole percent (line 5),
after the 400% test on the unrounded income (the line 5 worksheet: more than 4.0 × the line is 401),
the applicable figure to four places (line 7), the contribution to a whole dollar (line 8a).
The credit here is the one allowed on the return: advance payments are taken as reconciled
exactly (no excess to repay, §36B(f)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dist401k.law.loader import Law, LawError
from dist401k.money import cents, whole_dollars

#: The poverty guidelines' regions (the keys of the poverty-line parameters).
REGIONS = ("contiguous", "alaska", "hawaii")


@dataclass
class PremiumTaxCredit:
    """The credit of each household of a batch, with the steps of Form 8962 that give it."""

    credit: np.ndarray  # dollars for the months covered
    poverty_line: np.ndarray  # line 4
    income_share: np.ndarray  # household income / poverty line, cut to a whole percent, at
    # least 4.01 past the ceiling in a year it applies (line 5 and its worksheet)
    applicable_figure: np.ndarray  # line 7 (0 where not an applicable taxpayer)
    contribution: np.ndarray  # yearly required contribution (line 8a)
    eligible: np.ndarray  # an applicable taxpayer
    reasons: dict[str, np.ndarray] = field(default_factory=dict)


def region_index(law: Law, region) -> np.ndarray:
    """Positions of region names among the poverty-line parameter's keys."""
    keys = law.param("premium_tax_credit.poverty_line_first_person").keys
    names = np.asarray(region)
    bad = ~np.isin(names, keys)
    if np.any(bad):
        raise LawError(f"region {names[bad].ravel()[0]!r} is not one of {', '.join(REGIONS)}")
    return np.searchsorted(np.asarray(keys), names)


def poverty_line(law: Law, year, household_size, region="contiguous") -> np.ndarray:
    """The federal poverty line of a coverage year for a household of ``household_size``
    (§36B(d)(3)(A)): the first person's amount plus one more amount for each other person."""
    y = law.check_years(np.atleast_1d(year))
    size = np.asarray(household_size, dtype=float)
    pos = region_index(law, region)
    first = law.get("premium_tax_credit.poverty_line_first_person", y)
    more = law.get("premium_tax_credit.poverty_line_additional_person", y)
    pos = np.broadcast_to(pos, np.broadcast_shapes(y.shape, np.shape(pos)))
    first = np.take_along_axis(first, pos[..., None], axis=-1)[..., 0]
    more = np.take_along_axis(more, pos[..., None], axis=-1)[..., 0]
    return first + (np.maximum(size, 1.0) - 1.0) * more


def income_share(law: Law, year, household_income, line) -> np.ndarray:
    """Household income as a share of the poverty line ``line``, cut to the form's step (Form
    8962 line 5: a whole percent) — but at least 401% for income past the 400% ceiling in a
    year it applies (:func:`past_ceiling`): the line 5 worksheet tests the unrounded income
    first and enters 401 for any past it, so 400.5% reads 401, not 400 (a share higher than
    401% is shown as it is)."""
    y = law.check_years(np.atleast_1d(year))
    share_step, _ = _steps(law, y)
    income = np.asarray(household_income, dtype=float)
    share = np.floor(np.maximum(income, 0.0) / line / share_step + 1e-9) * share_step
    ceiling = law.get("premium_tax_credit.income_ceiling", y)
    return np.where(past_ceiling(law, y, income, line), np.maximum(share, ceiling + share_step),
                    share)


def past_ceiling(law: Law, year, household_income, line) -> np.ndarray:
    """Whether household income is past the ceiling of §36B(c)(1)(A) (income that "does not
    exceed 400 percent" of the poverty line ``line``) in a year it is not suspended
    (§36B(c)(1)(E)): tested on the unrounded income, as Form 8962's line 5 worksheet does ("Is
    the amount on line 1 more than the amount on line 3 [4.0 × the poverty line]? Yes ...
    Enter 401") before the share is cut to a whole percent."""
    y = law.check_years(np.atleast_1d(year))
    ceiling = law.get("premium_tax_credit.income_ceiling", y)
    suspended = law.get("premium_tax_credit.income_ceiling_suspended", y).astype(bool)
    return (np.asarray(household_income, dtype=float) > ceiling * line) & ~suspended


def income_window(law: Law, year, household_size, region="contiguous", medicaid_income=None):
    """The household incomes, in dollars, that make a taxpayer an applicable taxpayer
    (§36B(c)(1)(A)): from the poverty line's floor share (100%) to its ceiling (income that
    "does not exceed 400 percent"), the ceiling infinite in the years it is suspended
    (§36B(c)(1)(E)).  Returns (lowest, highest).  The ceiling is tested on the unrounded income,
    as Form 8962's line 5 worksheet does before it cuts the share to a whole percent (income
    more than 4.0 × the poverty line enters 401 on line 5: no credit, line 6).
    ``medicaid_income``: the most income at which the people covered are eligible for Medicaid
    or a Basic Health Program (``tax.medicaid``; -inf or None: never), which raises the floor
    past it (§36B(c)(2)(B); 42 U.S.C. §18051(e)(2))."""
    y = law.check_years(np.atleast_1d(year))
    line = poverty_line(law, y, household_size, region)
    ceiling = law.get("premium_tax_credit.income_ceiling", y)
    suspended = law.get("premium_tax_credit.income_ceiling_suspended", y).astype(bool)
    lowest = law.get("premium_tax_credit.income_floor", y) * line
    if medicaid_income is not None:
        lowest = np.maximum(lowest, medicaid_income)
    return (lowest, np.where(suspended, np.inf, ceiling * line))


def _steps(law: Law, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    name = "premium_tax_credit.form_rounding"
    keys = law.param(name).keys
    steps = law.get(name, y)
    return steps[..., keys.index("income_share")], steps[..., keys.index("applicable_figure")]


def applicable_figure(law: Law, year, income_share) -> np.ndarray:
    """The applicable percentage for household income at ``income_share`` of the poverty line
    (§36B(b)(3)(A)): the band's initial percentage, rising in a straight line to its final
    percentage at the band's upper end (rounded to four places, Form 8962 line 7)."""
    y = law.check_years(np.atleast_1d(year))
    share = np.asarray(income_share, dtype=float)
    lower = law.get("premium_tax_credit.income_bands", y)
    initial = law.get("premium_tax_credit.initial_percentage", y)
    final = law.get("premium_tax_credit.final_percentage", y)
    lower, initial, final = np.broadcast_arrays(lower, initial, final)
    shape = np.broadcast_shapes(share.shape, lower.shape[:-1])
    share = np.broadcast_to(share, shape)
    lower = np.broadcast_to(lower, shape + lower.shape[-1:])
    initial = np.broadcast_to(initial, lower.shape)
    final = np.broadcast_to(final, lower.shape)
    # The band whose lower end is at or below the share ("at least 133% but less than 150%").
    band = np.clip((share[..., None] + 1e-9 >= lower).sum(axis=-1) - 1, 0, lower.shape[-1] - 1)
    upper = np.concatenate([lower[..., 1:], np.full(lower.shape[:-1] + (1,), np.inf)], axis=-1)

    def at(a):
        return np.take_along_axis(a, band[..., None], axis=-1)[..., 0]

    lo, hi = at(lower), at(upper)
    through = np.where(np.isfinite(hi), (share - lo) / np.where(np.isfinite(hi), hi - lo, 1.0), 0.0)
    figure = at(initial) + np.clip(through, 0.0, 1.0) * (at(final) - at(initial))
    _, step = _steps(law, y)
    return np.round(figure / step) * step


def premium_tax_credit(law: Law, year, household_income, household_size, benchmark_premium,
                       premium=None, region="contiguous", months=12) -> PremiumTaxCredit:
    """The premium tax credit of each household for ``months`` months of coverage.

    ``household_income``: modified AGI of the tax family (§36B(d)(2)); ``household_size``: the
    tax family (§36B(d)(1)); ``benchmark_premium`` and ``premium``: the yearly premiums of the
    benchmark plan and of the plan bought for the people covered (twelve months' worth; default:
    the benchmark); ``region``: contiguous, alaska or hawaii; ``months``: the coverage months
    (§36B(c)(2): a month eligible for Medicaid is none, ``tax.medicaid.coverage_months``).
    """
    y = law.check_years(np.atleast_1d(year))
    income = np.asarray(household_income, dtype=float)
    bench = np.asarray(benchmark_premium, dtype=float)
    paid = bench if premium is None else np.asarray(premium, dtype=float)
    line = poverty_line(law, y, household_size, region)
    share, above = income_share(law, y, income, line), past_ceiling(law, y, income, line)
    below = share + 1e-9 < law.get("premium_tax_credit.income_floor", y)
    eligible = ~below & ~above
    figure = np.where(eligible, applicable_figure(law, y, share), 0.0)
    contribution = whole_dollars(np.maximum(income, 0.0) * figure)
    room = np.maximum(bench - contribution, 0.0)
    share_of_year = np.broadcast_to(np.asarray(months, dtype=float) / 12.0, eligible.shape)
    credit = cents(np.where(eligible, np.minimum(room, paid), 0.0) * share_of_year)
    none = share_of_year <= 0
    reasons = {"PTC_ALLOWED": eligible & (room > 0) & ~none,
               "PTC_NO_ROOM": eligible & (room <= 0) & ~none,
               "PTC_BELOW_POVERTY_LINE": below, "PTC_ABOVE_400_PERCENT": above,
               "PTC_NO_COVERAGE_MONTH": eligible & none}
    return PremiumTaxCredit(credit, line, share, figure, np.where(eligible, contribution, 0.0),
                            eligible, reasons)
