"""Iowa individual income tax on a tax unit with retirement income (Form IA 1040).

From 2023 Iowa starts from federal taxable income (IA 1040 line 2) and subtracts on Schedule 1
the taxable Social Security (Iowa does not tax it) and the retirement income exclusion: all the
retirement income, plan and IRA distributions included, early or not, of a person 55 or older
at the end of the year or disabled (``disabled``), and what a surviving spouse, son, daughter,
mother or father receives on the death of one who would have qualified for the year
(``survivor_distributions``, ``deceased_age`` at least 55) (Iowa Code §422.7(31); the
Department's Retirement Income Tax Guidance, 2023 on).  The rest bears the §422.5A schedule (4.4% /
4.82% / 5.7% in 2024; one rate, 3.8%, from 2025).  Every filer but a single one pays instead
the alternate tax when smaller (the rate times income from all sources above $13,500, or
$32,000 from 65); a filer whose income from all sources is at most the low-income amount
($9,000 / $24,000 single, $13,500 / $32,000 the others) owes nothing, and a single filer's tax
is no more than that income above it (the income tax reduction).  The exemption credits ($40
each, two on a joint return or for a head of household, $20 more each from 65) come off.
"Income from all sources" is Iowa taxable income plus the federal deduction taken (line 1d;
with the QBI deduction, here federal AGI less federal taxable income).

Not covered (NaN): a distribution to someone under 55 whose disability is not given, or whose
part received as a survivor is not given, or is of a deceased whose age is not given or under
55 (the deceased's disability is not an input); a married person
filing separately whose low-income exemption or alternate tax could apply (both use the
spouses' combined income); a federal itemizer (Iowa's itemized deductions are not read here);
a unit whose federal figures were not given.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dist401k.law.filing_status import HEAD_OF_HOUSEHOLD, MARRIED_SEPARATE, SINGLE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, answer_unless, federal_figures_unknown, people
from dist401k.tax.state.units import StateUnits


def iowa_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IA 1040 line 5 tax (schedule or alternate) less the exemption credits, after the
    low-income exemption and the income tax reduction, for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income", "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    ex = _excluded(lk, u)
    excluded = ex.amount
    has_distribution = u.taxable_distributions > 0
    taxable = np.maximum(0.0, u.federal_taxable_income - u.taxable_social_security - excluded)
    # Income from all sources: Iowa taxable income plus the federal deductions taken.
    all_sources = taxable + np.maximum(0.0, u.federal_agi - u.federal_taxable_income)
    older = aged(u, lk.get("state.ia.aged_age"))
    elderly = older > 0
    low_aged = lk.get("state.ia.low_income_limit_aged")
    low = np.where(elderly, low_aged, lk.get("state.ia.low_income_limit"))
    regular = schedule_tax(lk, "state.ia.brackets", "state.ia.rates", taxable)
    single = u.filing_status == SINGLE
    alternate_rate = lk.get("state.ia.alternate_tax_rate")
    alternate = alternate_rate * np.maximum(0.0, all_sources - low)
    tax = np.where(single, regular, np.minimum(regular, alternate))
    credits = (people(u) + (u.filing_status == HEAD_OF_HOUSEHOLD)) * lk.get("state.ia.exemption_credit") \
        + older * lk.get("state.ia.exemption_credit_aged")
    exempt = all_sources <= low
    after = np.where(exempt, 0.0, np.maximum(0.0, tax - credits))
    after = np.where(single, np.minimum(after, np.maximum(0.0, all_sources - low)), after)
    under_55 = ex.disability_unknown | ex.survivor_unknown
    # A separate filer's exemption and alternate tax use the spouses' combined income (and the
    # spouse's age): open wherever the filer's own income, at the larger amount, could qualify.
    separate_open = (u.filing_status == MARRIED_SEPARATE) & (
        (all_sources <= low_aged)
        | (alternate_rate * (all_sources - low_aged) < regular))
    unknown = not_given | itemizer | under_55 | separate_open
    return answer_unless(unknown, after, {
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_IA_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_IA_DISABILITY_NOT_KNOWN": ex.disability_unknown & ~not_given,
        "STATE_IA_SURVIVOR_NOT_KNOWN": ex.survivor_unknown & ~ex.disability_unknown & ~not_given,
        "STATE_IA_SEPARATE_COMBINED_INCOME": separate_open & ~not_given,
        "STATE_IA_RETIREMENT_EXCLUSION": ~unknown & has_distribution & (excluded > HALF_CENT),
        "STATE_IA_LOW_INCOME_EXEMPT": ~unknown & exempt,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


class _Excluded(NamedTuple):
    """Iowa's retirement income exclusion of each unit: whether all the head's distributions
    are excluded (55 or older at the end of the year, or disabled), the amount excluded, and
    where a part left taxed could still be excluded by what is not known."""

    own: np.ndarray
    amount: np.ndarray
    disability_unknown: np.ndarray
    survivor_unknown: np.ndarray


def _excluded(lk: Lookup, u: StateUnits) -> _Excluded:
    """Iowa Code §422.7(31): all the retirement income of a person 55 or older on December 31
    or disabled; a surviving spouse, or a son, daughter, mother or father (an insurable
    interest), of an individual who would have qualified for the year excludes what is received
    on that death (a surviving spouse under 55 and not disabled "only the amount ... received as
    a result of the death").  The deceased qualifies here by age only (its disability is not an
    input: a survivor's part of a deceased under 55 is not known)."""
    age = lk.get("state.ia.retirement_exclusion_age")
    dist = u.taxable_distributions
    own = (u.age_head >= age) | (u.disabled == 1)
    survivor = np.nan_to_num(np.minimum(u.survivor_distributions, dist))
    deceased_qualified = u.deceased_age >= age  # NaN: not known
    amount = np.where(own, dist, np.where(deceased_qualified, survivor, 0.0))
    taxed = dist - amount > HALF_CENT
    disability_unknown = taxed & ~own & np.isnan(u.disabled)
    survivor_unknown = taxed & ~own & (np.isnan(u.survivor_distributions) | (
        (survivor > HALF_CENT) & ~deceased_qualified))
    return _Excluded(own, amount, disability_unknown, survivor_unknown)
