"""Medicare IRMAA: the income-related surcharges on Part B and Part D premiums.

The surcharge of a premium year is set by the modified AGI (AGI plus tax-exempt interest) of
the tax return two years before, and the filing status on that return (42 U.S.C. §1395r(i),
§1395w-113(a)(7); 20 CFR 418.1115).  Each person on Medicare pays it.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import by_status
from dist401k.law.loader import Law, Lookup
from dist401k.tax.brackets import ends_passed


def irmaa_tier(law: Law, year, filing_status, magi) -> np.ndarray:
    """The IRMAA tier (0 = none, 1–5) for a premium ``year`` from the MAGI and filing status of
    the return two years before (the premium year's table applies to that older return)."""
    magi = np.asarray(magi, float)
    if np.ndim(year) == 0 and np.ndim(filing_status) == 1:
        # One year, a status a path (random lifetimes: couples and survivors): each status's
        # tier counted on every path, kept where the path files so.
        return by_status(filing_status,
                         lambda s: _tier_of_status(law, int(year), s, magi))
    thresholds = law.get("medicare.irmaa_thresholds", year, filing_status)
    return tiers_passed(magi, thresholds,
                        law.get("medicare.irmaa_threshold_inclusive", year))


def tiers_passed(magi, ends, at_least) -> np.ndarray:
    """How many of the tiers' figures ``ends`` ((K,), or (…, K) one row for each MAGI) each
    MAGI has passed: more than the figure (the CMS tables: "greater than … and less than or
    equal to …"), or at least it where that tier starts at the figure itself (``at_least``, by
    figure: the top tier, "at least $500,000", 42 U.S.C. §1395r(i)(3)(C)(i)(III))."""
    ends = np.asarray(ends, float)
    at = np.broadcast_to(np.asarray(at_least, float) > 0, ends.shape)
    if ends.ndim == 1:
        count = ends_passed(magi, ends, strict=True)
        for end in ends[at]:
            count += magi == end
        return count
    m = np.asarray(magi, float)[..., None]
    return ((m > ends) | (at & (m == ends))).sum(axis=-1)


def _tier_of_status(law: Law, year: int, status: int, magi: np.ndarray) -> np.ndarray:
    """Every path's IRMAA tier as if it filed with ``status``."""
    lk = Lookup.one_pair(law, year, status)
    return tiers_passed(magi, lk.small("medicare.irmaa_thresholds")[0],
                        lk.small("medicare.irmaa_threshold_inclusive")[0])


def irmaa_surcharge(law: Law, year, filing_status, magi, people_on_medicare) -> np.ndarray:
    """Yearly IRMAA (Part B + Part D adjustments, 12 months) paid by the household."""
    return tier_surcharge(law, year, irmaa_tier(law, year, filing_status, magi),
                          people_on_medicare)


def surcharge_at_prices(law: Law, year, filing_status, magi, people_on_medicare,
                        dollars=1.0) -> np.ndarray:
    """Yearly IRMAA in a plan's dollars, ``dollars`` (scalar or one a path) the plan's of a
    dollar of the law's in ``year`` (``simulate.law_dollars``: 1 in an enacted year, or where
    the plan's prices are the law's assumed CPI).  The tiers' figures are indexed by the CPI
    (42 U.S.C. §1395r(i)(5); 20 CFR 418.1115(e)) and the amounts follow Medicare's costs, so
    on prices other than the law's both grow with the plan's: MAGI restated in the law's
    dollars is tested against the law's figures, and the surcharge restated in the plan's."""
    d = np.asarray(dollars, float)
    return irmaa_surcharge(law, year, filing_status, np.asarray(magi, float) / d,
                           people_on_medicare) * d


def tier_surcharge(law: Law, year, tier, people_on_medicare) -> np.ndarray:
    """Yearly IRMAA (Part B + Part D adjustments, 12 months) of the household in ``tier``."""
    tier = np.asarray(tier)
    b = law.get("medicare.part_b_irmaa", year)
    d = law.get("medicare.part_d_irmaa", year)
    step = np.maximum(tier - 1, 0)
    monthly = np.where(tier > 0, (b + d).take(step) if b.ndim == 1 else np.take_along_axis(
        np.broadcast_to(b + d, np.shape(tier) + (b.shape[-1],)), step[..., None],
        axis=-1)[..., 0], 0.0)
    return 12.0 * monthly * np.asarray(people_on_medicare, float)


def tier_below(law: Law, year: int, filing_status: int, magi: float,
               people_on_medicare) -> tuple[float, float] | None:
    """The figure that starts ``magi``'s tier — the tier below holds MAGI up to it, or just
    under it where the tier starts at the figure itself (the top tier, "at least",
    :func:`tiers_passed`): a cap on MAGI keeps below it — and what the household's yearly
    surcharge falls by in the tier below; None in the lowest tier."""
    ends = np.atleast_1d(law.get("medicare.irmaa_thresholds", year, filing_status))
    tier = int(irmaa_tier(law, year, filing_status, np.array([magi]))[0])
    if tier == 0:
        return None
    here, there = (float(tier_surcharge(law, year, k, people_on_medicare))
                   for k in (tier, tier - 1))
    return float(ends[tier - 1]), here - there


def medicare_months_before(law: Law, birth_dates, years, from_ages=None) -> np.ndarray:
    """(I, T) months of each year before each person's Medicare begins (0 to 12): Part A and
    Part B from the first day of the month of the eligibility age, or of the month before for
    one born on a month's first day (42 CFR §406.10, §407.25: the age is attained the day
    before the birthday, 20 CFR §404.102).  ``from_ages`` (one a person, None for the
    eligibility age): the age Part B and Part D begin for one who delays them while covered
    by a group health plan through current employment (``people[].medicare_from_age``),
    counted from the same birthday month — the Part B/D months, which IRMAA follows; Part A's
    (the marketplace's end) are the eligibility age's, given no ``from_ages``."""
    age = law.get("medicare.eligibility_age", years)  # (T,)
    out = np.zeros((len(birth_dates), len(years)))
    for i, b in enumerate(birth_dates):
        first_month = b.year * 12 + (b.month - 1) - (1 if b.day == 1 else 0)
        later = None if from_ages is None else from_ages[i]
        begins = age if later is None else np.maximum(age, later)
        start = first_month + np.round(begins * 12).astype(int)  # months since year 0
        out[i] = np.clip(start - np.asarray(years) * 12, 0, 12)
    return out


def part_b_months_before(law: Law, people, years) -> np.ndarray:
    """(I, T) :func:`medicare_months_before` of Part B and Part D: each person's own
    ``medicare_from_age`` where given, else the eligibility age."""
    return medicare_months_before(law, [p.birth_date for p in people], years,
                                  [p.medicare_from_age for p in people])


def medicare_years(law: Law, birth_dates, years, alive, from_ages=None) -> np.ndarray:
    """(T,) the people on Medicare Part B and Part D in each year, a person counted by the
    share of the year covered (the months from the eligibility age, or from the person's
    ``from_ages``, :func:`medicare_months_before`, over 12): a surcharge is owed for each month
    of coverage, not for the year a person turns 65 in full (42 CFR §408.20), and only while
    enrolled (42 U.S.C. §1395r(i), §1395w-113(a)(7))."""
    months = 12.0 - medicare_months_before(law, birth_dates, years, from_ages)
    return (months / 12.0 * np.asarray(alive)).sum(axis=0)
