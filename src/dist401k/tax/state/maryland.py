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
and the lesser spouse's own modified Maryland AGI) comes off Maryland AGI: with the split
given; without it, all is the head's and there is none.

A resident of a county given (``maryland_county``) also pays its county income tax on the same
Maryland taxable income (§§10-106, 10-604; Form 502 line 28), added: each county's rate, Anne
Arundel's by brackets, Frederick's by income level; none where the county is not given (a
reason says so).

Not modelled: itemized deductions, credits (the counties' local earned income and poverty
credits too), the totally disabled's exclusion before 65.  Not guessed (not covered): on a joint
return whose split was not given (all is then the head's), whose Social Security it is, where
that changes the exclusion; from 2025, a unit above the capital gains surtax's federal AGI
with other income whose kind was not given (the surtax is 2% of the net capital gain,
``long_term_gains``).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    OtherIncome,
    StateAnswer,
    aged,
    answer_unless,
    joint,
    other_income_unknown,
    own,
    own_distributions_and_ira,
    own_income,
    people,
)
from dist401k.tax.state.units import COUNTY_RATES, StateUnits


def maryland_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 502 Maryland tax (before credits and before the county tax), for each unit."""
    (head, spouse), not_split = pension_exclusion(lk, u)
    exclusion = head + spouse
    md_agi = (u.federal_agi - u.taxable_social_security - exclusion
              - two_income_subtraction(lk, u, head, spouse))
    deduction = np.clip(lk.get("state.md.standard_deduction_rate") * md_agi,
                        lk.get("state.md.standard_deduction_minimum"),
                        lk.get("state.md.standard_deduction_maximum"))
    exemptions = (people(u) * personal_exemption(lk, u.federal_agi)
                  + aged(u, lk.get("state.md.age")) * lk.get("state.md.aged_exemption"))
    taxable = np.maximum(0.0, md_agi - deduction - exemptions)
    tax = schedule_tax(lk, "state.md.brackets", "state.md.rates", taxable)
    surtax, gains = capital_gains_surtax(lk, u)
    local = county_tax(lk, u, taxable)
    return answer_unless(not_split | gains, tax + surtax + local, {
        "STATE_MD_COUNTY_TAX": ~not_split & ~gains & (local > 0),
        "STATE_MD_COUNTY_NOT_GIVEN": u.maryland_county < 0,
        "STATE_MD_PENSION_EXCLUSION": ~not_split & (exclusion > 0),
        "STATE_MD_SOCIAL_SECURITY_NOT_SPLIT": not_split,
        "STATE_MD_CAPITAL_GAINS_SURTAX": ~not_split & ~gains & (surtax > 0),
        "STATE_MD_CAPITAL_GAINS_SURTAX_NOT_MODELLED": gains & ~not_split,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


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


def pension_exclusion(lk: Lookup, u: StateUnits
                      ) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The pension exclusion of each person 65 or older on the return (§10-209; Worksheet
    13A), the head's and the spouse's, and where it is unknown: of an employee retirement
    system's distributions alone — an IRA's (``ira_distributions``) does not qualify (Form 502
    Instruction 13).  Each person's limit is reduced by that person's own Social Security: on a
    joint return whose split (``spouse_distributions``, ``spouse_ira_distributions``,
    ``spouse_social_security``) was not given, all is taken as the head's, unknown where the
    split could change the exclusion (the plan's distribution above the limit less all the
    couple's benefits)."""
    limit = lk.get("state.md.pension_exclusion")
    age = lk.get("state.md.age")
    (d, i), ss = own_distributions_and_ira(u), own(u, "social_security")
    plan = (d.head - i.head, d.spouse - i.spouse)
    head = np.where(u.age_head >= age, np.minimum(plan[0], np.maximum(0.0, limit - ss.head)),
                    0.0)
    spouse = np.where(joint(u) & (u.age_spouse >= age),
                      np.minimum(plan[1], np.maximum(0.0, limit - ss.spouse)), 0.0)
    plan_total = u.taxable_distributions - u.ira_distributions
    eligible = (u.age_head >= age) & (plan_total > 0)
    room = np.maximum(0.0, limit - u.social_security)
    not_split = ~(d.known & ss.known) & eligible & (u.social_security > 0) & (plan_total > room)
    return (head, spouse), not_split


def two_income_subtraction(lk: Lookup, u: StateUnits, head_exclusion: np.ndarray,
                           spouse_exclusion: np.ndarray) -> np.ndarray:
    """On a joint return, the lesser of $1,200 and the modified Maryland AGI of the spouse with
    the lesser (§10-207; the Two-Income Worksheet): each spouse's own wages, distributions and
    other income, less the spouse's pension exclusion (each one's taxable Social Security is
    both in federal AGI and subtracted).  Where the split is not given, all is the head's:
    none."""
    income = own_income(u)
    head, spouse = income.head - head_exclusion, income.spouse - spouse_exclusion
    most = lk.get("state.md.two_income_subtraction")
    return np.where(joint(u), np.clip(np.minimum(head, spouse), 0.0, most), 0.0)


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
