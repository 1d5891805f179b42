"""New York State personal income tax on a tax unit with retirement income (IT-201).

New York AGI is federal AGI less taxable Social Security (Tax Law §612(c)(3-c)) and each
person's pension and annuity income exclusion of up to $20,000 from 59½ (§612(c)(3-a); IT-201
instructions, line 29): an employer plan's periodic payments, and an IRA's payments periodic or
not (a conversion to a Roth IRA too).  Each spouse excludes their own (``spouse_distributions``
and ``spouse_ira_distributions``, ``spouse_periodic_distributions``); where a joint return's
split is not given the distributions are the head's, and where the spouse's distributions are
given but not how their IRA or periodic part splits, a unit whose exclusion that split would
change is not covered.  Payments derived from IRA contributions made after retirement do
not qualify; they are not told apart here.  The standard deduction
(§614) comes off; the rate schedule (§601(a)–(c)) taxes the rest, and above $107,650 of New
York AGI the benefit of the lower brackets is recaptured (§601(d-1), the IT-201 tax
computation worksheets), wholly above $25,000,000.  A pension of New York State, a New York
locality or the federal government is wholly exempt (§612(c)(3)); whose government paid a
``governmental_plan`` distribution is not among the inputs, so such a unit is not covered.

A resident of New York City (``new_york_city_resident``) also pays the city's personal income
tax on the same New York taxable income (Tax Law §§1304, 1305; NYC Administrative Code
§§11-1701, 11-1704.1), before the city's credits (household credit, school tax credit), which
are not modelled; the state's answer includes it.  A resident of Yonkers
(``yonkers_resident``) pays the city's resident income tax surcharge, a share of the net state
tax (Tax Law §1321; Yonkers City Code §§15-100, 15-101), included too.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT, cents, whole_dollars
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, answer_unless, joint, own, survivor_before
from dist401k.tax.state.spouse_ranges import (
    capped_pair_range,
    distribution_part_range,
    pension_part_range,
)
from dist401k.tax.state.units import StateUnits

BRACKETS, RATES = "state.ny.brackets", "state.ny.rates"


def new_york_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """IT-201 line 39 New York State tax (before credits), line 47 New York City's for a
    resident of the city (``new_york_city_resident``) and line 55 Yonkers's surcharge for a
    resident of Yonkers (``yonkers_resident``), for each unit.  Where a joint return's split of
    the IRA or periodic part is not given and the exclusion it leaves open (the least and the
    most) would change the tax, the unit is not covered."""
    least, most = pension_exclusion(lk, u)
    tax, city, yonkers, ny_agi = _tax(lk, u, least)
    not_split = np.abs(_tax(lk, u, most)[0] - tax) > HALF_CENT
    public = u.governmental_plan & (u.taxable_distributions - u.ira_distributions > HALF_CENT)
    survivor = survivor_before(u, lk.get("state.ny.pension_exclusion_age"))
    return answer_unless(public | not_split | survivor, tax, {
        "STATE_SURVIVOR_EXCLUSION_NOT_MODELLED": survivor,
        "STATE_NY_PENSION_EXCLUSION": ~not_split & (least > 0),
        "STATE_NY_CITY_TAX": city > 0,
        "STATE_NY_YONKERS_SURCHARGE": yonkers > 0,
        "STATE_NY_PUBLIC_PENSION_NOT_MODELLED": public,
        "STATE_NY_PENSION_PART_NOT_SPLIT": not_split & ~public,
        "STATE_NY_SUPPLEMENTAL_TAX": ny_agi > lk.get("state.ny.supplemental_tax_agi_floor"),
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def _tax(lk: Lookup, u: StateUnits, exclusion) -> tuple[np.ndarray, ...]:
    """The state's tax with the city's and Yonkers's, and each of these two, and New York AGI,
    with ``exclusion`` the pension and annuity exclusion."""
    ny_agi = u.federal_agi - u.taxable_social_security - exclusion
    taxable = np.maximum(0.0, ny_agi - lk.get("state.ny.standard_deduction"))
    main = schedule_tax(lk, BRACKETS, RATES, taxable)
    city = np.where(u.new_york_city_resident,
                    schedule_tax(lk, "state.ny.city_brackets", "state.ny.city_rates", taxable), 0.0)
    state = line_39(lk, ny_agi, taxable, main) + supplemental_tax(lk, ny_agi, taxable, main)
    yonkers = np.where(u.yonkers_resident, lk.get("state.ny.yonkers_surcharge_rate") * state, 0.0)
    return state + city + yonkers, city, yonkers, ny_agi


def line_39(lk: Lookup, ny_agi, taxable, main) -> np.ndarray:
    """IT-201 line 39 before the recapture: read in the New York State tax table where New York
    AGI is not above the supplemental tax's floor and taxable income is below the table's limit
    ($107,650 and $65,000: the Department's tax tables page), else ``main``, the rate schedule's
    tax on the taxable income itself (from $65,000, and under the tax computation worksheets
    above the floor, whose recapture :func:`supplemental_tax` adds)."""
    use = (taxable < lk.get("state.ny.tax_table_limit")) & (
        ny_agi <= lk.get("state.ny.supplemental_tax_agi_floor"))
    return np.where(use, table_tax(lk, taxable), main)


def table_tax(lk: Lookup, taxable) -> np.ndarray:
    """The New York State tax table's tax for ``taxable`` (whole dollars): the rate schedule's
    tax at the midpoint of the income's row, rounded half up to the dollar.  The rows begin at
    ``tax_table_row_starts`` ($0, $13, $25) up to the first full row ($50), then every
    ``tax_table_row_width`` ($50); a row includes its start and not its end ("at least ... but
    less than").  The 2022 table prints $2 for the row $25–$50 (4% of 37.50 = 1.50, half up)."""
    x = np.maximum(0.0, np.asarray(taxable, dtype=float))
    starts = lk.get("state.ny.tax_table_row_starts")  # [n (1 where shared), rows]
    # A narrow row: from the last start at or below the income to the next start.
    low, high = starts[:, 0], starts[:, 1]
    for j in range(1, starts.shape[1] - 1):
        past = x >= starts[:, j]
        low, high = np.where(past, starts[:, j], low), np.where(past, starts[:, j + 1], high)
    width = lk.get("state.ny.tax_table_row_width")
    full = x >= starts[:, -1]
    low = np.where(full, np.floor(x / width) * width, low)
    high = np.where(full, low + width, high)
    point = low + lk.get("state.ny.tax_table_row_point") * (high - low)
    return whole_dollars(schedule_tax(lk, BRACKETS, RATES, point))


def pension_exclusion(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """The pension and annuity income exclusion, each person's own up to the limit from 59½
    (§612(c)(3-a)): the plan's distribution where it is one of periodic payments (all of it, or
    its periodic part ``periodic_distributions``: a pension beside a lump sum), an IRA's in any
    case; the least and the most it can be.  The distributions are each spouse's as
    ``spouse_distributions`` says (all the head's without it); where a joint return's IRA or
    periodic part is not split (``spouse_ira_distributions``,
    ``spouse_periodic_distributions``), it may lie anywhere the spouses' distributions allow,
    and the exclusion is the least and the most over those splits (the same where the split
    cannot change it)."""
    age, limit = lk.get("state.ny.pension_exclusion_age"), lk.get("state.ny.pension_exclusion")
    d = own(u, "taxable_distributions")
    ira = distribution_part_range(u, "ira_distributions", d)
    periodic = distribution_part_range(u, "periodic_distributions", d)
    # The qualifying amount of both, and the spouse's share of it (at least, at most).
    whole, least, most = pension_part_range(u, d, ira, periodic)
    spouse_age = np.where(joint(u), u.age_spouse, -np.inf)
    head_cap = np.where(u.age_head >= age, np.minimum(d.head, limit), 0.0)
    spouse_cap = np.where(spouse_age >= age, np.minimum(d.spouse, limit), 0.0)
    return capped_pair_range(whole, least, most, head_cap, spouse_cap)


def supplemental_tax(lk: Lookup, ny_agi, taxable, main) -> np.ndarray:
    """The recapture of the lower brackets' benefit (§601(d-1); IT-201 worksheets 1–6).

    The benefit of the brackets below bracket k is B(k) = rate(k) × lower(k) − tax(lower(k)),
    in whole dollars as the worksheets print it (the recapture base and incremental benefit:
    $333 and $807 on a joint return, 0.055 × 27,900 − 1,202 = 332.50 rounded half up).  With
    taxable income in the bracket holding the AGI floor or below, the recapture is the fraction
    (AGI − floor) / span of rate × taxable − tax; in a higher bracket k it is B(k−1) plus the
    fraction (AGI − lower(k)) / span of B(k) − B(k−1); each fraction rounded to the fourth
    decimal place as the worksheets round it (:func:`_phase_in`).  Above the flat AGI every
    dollar bears the top rate.
    """
    upper = lk.small(BRACKETS)  # [pairs, k]
    pairs, k = upper.shape
    rates = np.broadcast_to(lk.small(RATES), (pairs, k + 1))
    lower = np.concatenate([np.zeros((pairs, 1)), upper], axis=1)
    below = np.concatenate([np.zeros((pairs, 1)),
                            np.cumsum(np.diff(lower, axis=1) * rates[:, :k], axis=1)], axis=1)
    benefit = whole_dollars(cents(rates * lower - below))  # B(k) per pair, [pairs, k + 1]
    floor, span = lk.get("state.ny.supplemental_tax_agi_floor"), lk.get("state.ny.supplemental_tax_phase_in")
    first = (np.take(upper, lk.combo, axis=0) <= floor[:, None]).sum(axis=1)
    # The worksheet of the bracket taxable income is in: at a bracket's upper end, the lower
    # one ("taxable income is $161,550 or less").
    bracket = (taxable[:, None] > np.take(upper, lk.combo, axis=0)).sum(axis=1)
    row = lk.combo * (k + 1)
    flat = rates.reshape(-1)
    lower_k = lower.reshape(-1)[row + bracket]
    in_first = _phase_in(lk, ny_agi - floor, span) * (flat[row + first] * taxable - main)
    prev = benefit.reshape(-1)[row + np.maximum(bracket - 1, 0)]
    higher = prev + _phase_in(lk, ny_agi - np.maximum(lower_k, floor), span) * (
        benefit.reshape(-1)[row + bracket] - prev)
    out = np.where(bracket <= first, in_first, higher)
    top = flat[row + k] * taxable - main
    out = np.where(ny_agi > lk.get("state.ny.supplemental_tax_flat_agi"), top, out)
    return np.where(ny_agi > floor, np.maximum(0.0, out), 0.0)


def _phase_in(lk: Lookup, excess, span) -> np.ndarray:
    """The worksheets' phase-in fraction: the excess of New York AGI over the floor or the
    bracket's lower end divided by the span ($50,000), at most one, "rounded to the fourth
    decimal place" (IT-201 instructions, tax computation worksheets 1–6), half up as a person
    rounds the decimal: an excess of $12,347.50 is 0.2470, of $12,345.67 is 0.2469."""
    step = lk.get("state.ny.supplemental_tax_fraction_step")
    # Counted in steps before the division by the span, so an excess of whole cents meets its
    # half exactly (12,347.50 / (50,000 × 0.0001) = 2,469.5 steps).
    steps = whole_dollars(np.clip(excess, 0.0, span) / (span * step))
    return np.asarray(steps * step)
