"""Maryland state income tax on a tax unit with retirement income (Form 502).

Maryland AGI is federal AGI less taxable Social Security (Tax-General §10-207) and the pension
exclusion (§10-209): a person 65 or older subtracts income from an employee retirement system
(a 401(k), 403(b), 457(b) or pension; not an IRA) up to the limit less the Social Security the
person received (Worksheet 13A; each person's own distribution, taken as from an employer
plan: on a joint return the spouse's parts are ``spouse_distributions`` and
``spouse_social_security``).  The standard deduction (§10-217: 15% of Maryland AGI within a
minimum and maximum through 2024, a flat amount from 2025) and the exemptions (§10-211: $3,200
a person, reduced by federal AGI; $1,000 more from 65) come off, and the §10-105 schedule
taxes the rest.  On a joint return the two-income subtraction (§10-207: the lesser of $1,200
and the lesser spouse's own modified Maryland AGI) comes off Maryland AGI.

A resident of a county given (``maryland_county``) also pays its county income tax on the same
Maryland taxable income (§§10-106, 10-604; Form 502 line 28), added: each county's rate, Anne
Arundel's by brackets, Frederick's by income level; none where the county is not given (a
reason says so).

Not modelled: itemized deductions, credits (the counties' local earned income and poverty
credits too), the totally disabled's exclusion before 65.  Not guessed (not covered): on a joint
return whose split was not given — whose Social Security, wages or other income it is, or how
the IRA part of the spouses' distributions splits (``spouse_ira_distributions``; the
distributions are all the head's where ``spouse_distributions`` is not given) — where that
changes the exclusion or the two-income subtraction, and so the tax; from 2025, a unit above
the capital gains surtax's federal AGI with other income whose kind was not given (the surtax
is 2% of the net capital gain, ``long_term_gains``).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    aged,
    answer_unless,
    disabled_before,
    joint,
    other_income_unknown,
    own,
    people,
)
from dist401k.tax.state.spouse_ranges import distribution_part_range, part_range
from dist401k.tax.state.units import COUNTY_RATES, StateUnits


def maryland_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 502 Maryland tax (before credits and before the county tax), for each unit.  Where a
    joint return's split by spouse is not given, the exclusions and the two-income subtraction
    are the least and the most it allows; a unit whose tax they would change is not covered."""
    (least, most), exclusion, ss_decides = subtractions(lk, u)
    tax, local = _tax(lk, u, least)
    not_split = np.abs(_tax(lk, u, most)[0] - tax) > HALF_CENT
    surtax, gains = capital_gains_surtax(lk, u)
    ss_split = not_split & ss_decides
    disabled = disabled_before(u, lk.get("state.md.age"))
    return answer_unless(not_split | gains | disabled, tax + surtax, {
        "STATE_DISABLED_EXCLUSION_NOT_MODELLED": disabled,
        "STATE_MD_COUNTY_TAX": ~not_split & ~gains & (local > 0),
        "STATE_MD_COUNTY_NOT_GIVEN": u.maryland_county < 0,
        "STATE_MD_PENSION_EXCLUSION": ~not_split & (exclusion > 0),
        "STATE_MD_SOCIAL_SECURITY_NOT_SPLIT": ss_split,
        "STATE_MD_INCOME_NOT_SPLIT": not_split & ~ss_split,
        "STATE_MD_CAPITAL_GAINS_SURTAX": ~not_split & ~gains & (surtax > 0),
        "STATE_MD_CAPITAL_GAINS_SURTAX_NOT_MODELLED": gains & ~not_split,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


def _tax(lk: Lookup, u: StateUnits, subtracted) -> tuple[np.ndarray, np.ndarray]:
    """The state's and the county's tax with ``subtracted`` (the pension exclusion and the
    two-income subtraction) off Maryland AGI, and the county's alone."""
    md_agi = u.federal_agi - u.taxable_social_security - subtracted
    deduction = np.clip(lk.get("state.md.standard_deduction_rate") * md_agi,
                        lk.get("state.md.standard_deduction_minimum"),
                        lk.get("state.md.standard_deduction_maximum"))
    exemptions = (people(u) * personal_exemption(lk, u.federal_agi)
                  + aged(u, lk.get("state.md.age")) * lk.get("state.md.aged_exemption"))
    taxable = np.maximum(0.0, md_agi - deduction - exemptions)
    local = county_tax(lk, u, taxable)
    return schedule_tax(lk, "state.md.brackets", "state.md.rates", taxable) + local, local


def county_tax(lk: Lookup, u: StateUnits, taxable: np.ndarray) -> np.ndarray:
    """The county income tax on Maryland taxable income (Tax-General §§10-106, 10-604; Form
    502 line 28) of the county given (``maryland_county``; none where not given): the county's
    rate on all of it; Anne Arundel's rates each on the part in its bracket; Frederick's, the
    rate of the level the income falls in on all of it."""
    county = u.maryland_county
    if not (county >= 0).any():
        return np.zeros(len(u))
    keys = lk.law.param(COUNTY_RATES).keys
    rates = lk.get(COUNTY_RATES)
    flat = np.take_along_axis(rates, np.maximum(county, 0)[:, None], axis=1)[:, 0] * taxable
    anne_arundel = schedule_tax(lk, "state.md.local_anne_arundel_brackets",
                                "state.md.local_anne_arundel_rates", taxable)
    level = (taxable[:, None] > lk.get("state.md.local_frederick_brackets")).sum(axis=1)
    frederick = np.take_along_axis(lk.get("state.md.local_frederick_rates"), level[:, None],
                                   axis=1)[:, 0] * taxable
    local = np.where(county == keys.index("anne_arundel"), anne_arundel,
                     np.where(county == keys.index("frederick"), frederick, flat))
    return np.where(county >= 0, local, 0.0)


def subtractions(lk: Lookup, u: StateUnits):
    """The pension exclusion with the two-income subtraction, the least and the most they can
    be; the exclusion at the least; and the units where the Social Security split alone would
    change them.  Each is figured by :func:`subtracted` over each spouse's own parts: given, or
    where not given on a joint return anywhere from none to all of them the spouse's
    (:mod:`~dist401k.tax.state.spouse_ranges`; the distributions all the head's without
    ``spouse_distributions``, their IRA part wherever the spouses' distributions allow)."""
    d = own(u, "taxable_distributions")
    ira = distribution_part_range(u, "ira_distributions", d)
    plan = np.maximum(0.0, u.taxable_distributions - u.ira_distributions)
    spouse_plan = (np.clip(d.spouse - ira[1], 0.0, plan), np.clip(d.spouse - ira[0], 0.0, plan))
    ss, wages, other = (part_range(u, k) for k in ("social_security", "wages", "other_income"))
    least, most, exclusion = subtracted(lk, u, d, spouse_plan, ss, wages, other)
    # Only the Social Security's split open (every other part at its least): does it decide?
    fixed = [(v[0], v[0]) for v in (spouse_plan, wages, other)]
    ss_least, ss_most, _ = subtracted(lk, u, d, fixed[0], ss, fixed[1], fixed[2])
    return (least, most), exclusion, ss_most - ss_least > HALF_CENT


def subtracted(lk: Lookup, u: StateUnits, d, spouse_plan, ss, wages, other):
    """The pension exclusion (§10-209; Worksheet 13A) with the two-income subtraction (§10-207),
    the least and the most over the spouse's parts between their bounds (``spouse_plan``: the
    spouse's employer plan distributions, ``ss``, ``wages``, ``other``: the spouse's parts of
    them, each a pair (least, most)), and the exclusion at the least.

    The exclusion: each person 65 or older excludes income from an employee retirement system
    — not an IRA's (``ira_distributions``; Form 502 Instruction 13) — up to the limit less the
    Social Security that person received.  The two-income subtraction: on a joint return, the
    lesser of $1,200 and the lesser spouse's own income (wages, distributions and other
    income) less that spouse's exclusion (each one's taxable Social Security is in and out).
    Together, E + clip(min(head's − head's E, spouse's − spouse's E), 0, $1,200) is
    clip(min(head's + spouse's E, spouse's + head's E), E, E + $1,200): it rises with each
    spouse's own income and exclusion, so the least and the most of each give its least and
    its most."""
    limit, age, most = (lk.get("state.md.pension_exclusion"), lk.get("state.md.age"),
                        lk.get("state.md.two_income_subtraction"))
    on_joint = joint(u)
    plan = np.maximum(0.0, u.taxable_distributions - u.ira_distributions)
    head_aged, spouse_aged = u.age_head >= age, on_joint & (u.age_spouse >= age)

    def exclusion(aged, paid, benefits):
        return np.where(aged, np.minimum(paid, np.maximum(0.0, limit - benefits)), 0.0)

    ends = []
    for k in (0, 1):  # the least, then the most
        head_e = exclusion(head_aged, plan - spouse_plan[1 - k], u.social_security - ss[k])
        spouse_e = exclusion(spouse_aged, spouse_plan[k], ss[1 - k])
        spouse_own = d.spouse + wages[k] + other[k]
        head_own = u.wages + u.taxable_distributions + u.other_income - d.spouse - wages[1 - k] \
            - other[1 - k]
        both = head_e + spouse_e
        ends.append((np.where(on_joint, np.clip(np.minimum(head_own + spouse_e, spouse_own + head_e),
                                                both, both + most), both), both))
    return ends[0][0], ends[1][0], ends[0][1]


def capital_gains_surtax(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """From 2025, 2% of the net capital gain (IRC §1222(11): here the net long-term gain,
    ``long_term_gains``) where federal AGI is above $350,000 (§10-105(a)(3); Form 502CG), and
    where it is unknown: such a unit with other income whose kind was not given."""
    above = u.federal_agi > lk.get("state.md.capital_gains_surtax_agi", before=np.inf)
    gain = OtherIncome.of(u).long_term_gains
    surtax = np.where(above, lk.get("state.md.capital_gains_surtax_rate", before=0.0)
                      * np.maximum(0.0, gain), 0.0)
    return surtax, above & other_income_unknown(u)


def personal_exemption(lk: Lookup, federal_agi) -> np.ndarray:
    """Each person's exemption by the federal AGI band (§10-211; the Exemption Amount Chart)."""
    limits = lk.get("state.md.personal_exemption_limits")
    band = (np.asarray(federal_agi)[:, None] > limits).sum(axis=1)
    return np.take_along_axis(lk.get("state.md.personal_exemption"), band[:, None], axis=1)[:, 0]
