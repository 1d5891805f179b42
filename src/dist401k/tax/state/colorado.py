"""Colorado individual income tax on a tax unit with retirement income (Form DR 0104,
Schedule DR 0104AD).

Colorado starts from federal taxable income (C.R.S. §39-22-104(1.7)), adds back the federal
standard deduction beyond $12,000 ($16,000 joint; $1,000 / $2,000 from 2026) when federal AGI is
$300,000 or more (§39-22-104(3)(p.5), (p.7)), and subtracts each person's pension and annuity
income and taxable Social Security (§39-22-104(4)(f)): from 55 up to $20,000 of both together
(all the Social Security from 2025 when federal AGI is at most $75,000 / $95,000), from 65 all
the Social Security and up to $24,000 of pensions less the Social Security subtracted.  The rest
bears the flat rate.

What qualifies (Rule 39-22-104(4)(f)(1)): a plan's benefits paid periodically after retirement
(``periodic_payments`` and ``plan_retirement_conditions_met``; or the periodic part beside a
lump sum, ``periodic_distributions``: a pension in pay, taken as paid after retirement) — a
lump sum from an employer plan does not — and an IRA's distributions, periodic or not
(``ira_distributions``); a premature
distribution (under the federal §72(t) tax) does not (Department of Revenue, FYI Income 25),
the IRA's part of it ``ira_early_distributions`` where the money came from both.
Each spouse subtracts their own (the ``spouse_…`` parts); where a joint return's split is not
given, the distributions are the head's and a unit whose subtraction turns on whose Social
Security it is is not covered.

Not covered: a periodic payment before the plan's retirement conditions were met (whether the
person had retired is not an input), a federal itemizer (the state income tax added back is not
an input), Social Security of someone under 55 (only survivors' benefits qualify), and a person
whose premature part may be a plan's or an IRA's, not given, where that changes the
subtraction.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import (
    StateAnswer,
    answer_unless,
    federal_figures_unknown,
    joint,
    own,
    own_early,
    spouse_benefit_share,
    survivor_before,
)
from dist401k.tax.state.spouse_ranges import (
    capped_pair_range,
    distribution_part_range,
    pension_part_range,
)
from dist401k.tax.state.units import StateUnits


def colorado_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form DR 0104 line 12 tax (before credits), for each unit."""
    not_given = federal_figures_unknown(u, "federal_taxable_income", "federal_standard_deduction")
    itemizer = ~not_given & (u.federal_standard_deduction <= 0)
    addback = np.where(u.federal_agi >= lk.get("state.co.federal_deduction_addback_agi"),
                       np.maximum(0.0, u.federal_standard_deduction
                                  - lk.get("state.co.federal_deduction_addback_exemption")), 0.0)
    plan_part = u.taxable_distributions - u.ira_distributions
    retired_unknown = u.periodic_payments & ~u.plan_retirement_conditions_met & (
        plan_part > HALF_CENT) & (u.age_head >= lk.get("state.co.pension_subtraction_younger_age"))
    (subtraction, most), ss_unknown, not_split, source_unknown = pension_subtraction(lk, u)
    taxable = np.maximum(0.0, u.federal_taxable_income + addback - subtraction)
    parts_unknown = np.maximum(0.0, u.federal_taxable_income + addback - most) < taxable - HALF_CENT
    survivor = survivor_before(u, lk.get("state.co.pension_subtraction_younger_age"))
    unknown = (not_given | itemizer | retired_unknown | ss_unknown | not_split | source_unknown
               | parts_unknown | survivor)
    return answer_unless(unknown, lk.get("state.co.rate") * taxable, {
        "STATE_SURVIVOR_EXCLUSION_NOT_MODELLED": survivor,
        "STATE_FEDERAL_FIGURES_NOT_GIVEN": not_given,
        "STATE_CO_ITEMIZER_NOT_MODELLED": itemizer,
        "STATE_CO_RETIREMENT_NOT_KNOWN": retired_unknown,
        "STATE_CO_SOCIAL_SECURITY_UNDER_55": ss_unknown,
        "STATE_CO_SOCIAL_SECURITY_NOT_SPLIT": not_split,
        "STATE_CO_PREMATURE_SOURCE_NOT_KNOWN": source_unknown,
        "STATE_CO_PENSION_PART_NOT_SPLIT": parts_unknown & ~not_given & ~itemizer & ~ss_unknown,
        "STATE_CO_PENSION_SUBTRACTION": ~unknown & (subtraction > 0),
        "STATE_CO_LUMP_SUM_NOT_PENSION": ~u.periodic_payments & (
            plan_part - u.periodic_distributions > HALF_CENT),
    })


def pension_subtraction(lk: Lookup, u: StateUnits):
    """The DR 0104AD pension and annuity subtraction with the Social Security subtraction, each
    person's own, the least and the most it can be; the units where someone under 55 has
    Social Security, the joint returns where whose Social Security it is would change the
    answer, and those where the premature part's source would.  The distributions are each
    spouse's as ``spouse_distributions`` says (all the head's without it); an IRA or periodic
    part whose split was not given lies anywhere the spouses' distributions allow (where no
    part is premature, the least and the most of the two capped subtractions over it; with a
    premature part, or Social Security whose split is not given either, the most is left open),
    as does a premature part whose split was not given where both have distributions."""
    d, b = own(u, "taxable_distributions"), own(u, "social_security")
    e, early_unknown = own_early(u, d)
    ira, periodic = (distribution_part_range(u, k, d)
                     for k in ("ira_distributions", "periodic_distributions"))
    on_joint = joint(u)
    parts_open = on_joint & ((ira[1] - ira[0] > HALF_CENT) | (periodic[1] - periodic[0] > HALF_CENT)
                             | early_unknown)
    # The IRA's premature part (NaN where not given: bounded in :func:`qualifying`); none of it
    # the spouse's where the spouse has no premature part.
    ie = u.ira_early_distributions
    spouse_ie = np.where(on_joint & (e.spouse > HALF_CENT), u.spouse_ira_early_distributions, 0.0)
    s_ss = np.where(b.known, spouse_benefit_share(u, b) * u.taxable_social_security, 0.0)
    spouse = (d.spouse, ira[0], e.spouse, s_ss, spouse_ie, periodic[0])
    head = (d.head, u.ira_distributions - ira[0], u.early_distributions - e.spouse,
            u.taxable_social_security - s_ss, ie - spouse_ie, u.periodic_distributions - periodic[0])
    total, rooms, heads, source_unknown, ss_subs = _each_person(lk, u, head, spouse)
    ss_unknown = _social_security_under_55(lk, u, b.known, head[3], spouse[3])
    not_split = (on_joint & ~b.known & (u.taxable_social_security > 0) & ~ss_unknown
                 & ~_split_free(lk, u, heads))
    # An open part: the capped pair over the qualifying income where no part is premature and
    # the Social Security's split is known; else not bounded.
    low, high = _parts_range(u, d, ira, periodic, rooms)
    unbounded = parts_open & ((u.early_distributions > HALF_CENT)
                              | ~(b.known | (u.taxable_social_security <= HALF_CENT)))
    least = np.where(unbounded, 0.0, np.where(parts_open, ss_subs + low, total))
    most = np.where(unbounded, np.inf, np.where(parts_open, ss_subs + high, total))
    return ((least, most), ss_unknown, not_split & ~parts_open,
            source_unknown & ~ss_unknown & ~not_split & ~parts_open)


def _each_person(lk: Lookup, u: StateUnits, head, spouse):
    """Each person's subtraction added up (``head``, ``spouse``: each one's distributions, IRA
    part, premature part, taxable Social Security, IRA premature part and periodic part): the
    total, each one's room for pensions (the cap less the Social Security subtracted), each
    one's qualifying income at the least, the units where the premature part's source would
    change it, and the Social Security subtracted."""
    younger_age = lk.get("state.co.pension_subtraction_younger_age")
    older_age = lk.get("state.co.pension_subtraction_older_age")
    younger = lk.get("state.co.pension_subtraction_younger")
    whole = u.federal_agi <= lk.get("state.co.social_security_full_agi_limit")
    total, ss_total = np.zeros(len(u)), np.zeros(len(u))
    source_unknown = np.zeros(len(u), dtype=bool)
    rooms, lows = [], []
    for age, (paid, ira, early, ss, ira_early, periodic) in ((u.age_head, head),
                                                            (u.age_spouse, spouse)):
        ss_sub = social_security_subtracted(age, ss, younger_age, older_age, younger, whole)
        room = np.maximum(0.0, _cap_at(lk, age) - ss_sub)
        low, high = qualifying(u, paid, ira, early, ira_early, periodic)
        pension = np.minimum(low, room)
        source_unknown |= np.minimum(high, room) > pension + HALF_CENT
        total += ss_sub + pension
        ss_total += ss_sub
        rooms.append(room)
        lows.append(low)
    return total, rooms, lows, source_unknown, ss_total


def _cap_at(lk: Lookup, age) -> np.ndarray:
    """A person's cap of the two subtractions together by age."""
    return np.where(age >= lk.get("state.co.pension_subtraction_older_age"),
                    lk.get("state.co.pension_subtraction_older"),
                    np.where(age >= lk.get("state.co.pension_subtraction_younger_age"),
                             lk.get("state.co.pension_subtraction_younger"), 0.0))


def _social_security_under_55(lk: Lookup, u: StateUnits, known, ss_head, ss_spouse) -> np.ndarray:
    """Social Security of someone under 55 (only survivors' benefits qualify): each one's where
    the split is known, else anyone's on the return under 55."""
    younger_age = lk.get("state.co.pension_subtraction_younger_age")
    ss = u.taxable_social_security
    return np.where(known, ((ss_head > 0) & (u.age_head < younger_age))
                    | ((ss_spouse > 0) & (u.age_spouse < younger_age)),
                    (ss > 0) & ((u.age_head < younger_age)
                                | (joint(u) & (u.age_spouse < younger_age))))


def _split_free(lk: Lookup, u: StateUnits, qualifying_income) -> np.ndarray:
    """Where whose Social Security it is cannot change the subtraction: each one's whole share
    is subtracted whatever it is, and each one with qualifying income keeps room for it with
    all the benefits his or hers."""
    younger_age = lk.get("state.co.pension_subtraction_younger_age")
    older_age = lk.get("state.co.pension_subtraction_older_age")
    younger = lk.get("state.co.pension_subtraction_younger")
    whole = u.federal_agi <= lk.get("state.co.social_security_full_agi_limit")
    ss = u.taxable_social_security

    def whole_of_any_share(age):
        return (age >= older_age) | ((age >= younger_age) & ((ss <= younger) | whole))

    free = whole_of_any_share(u.age_head) & whole_of_any_share(u.age_spouse)
    for age, q in zip((u.age_head, u.age_spouse), qualifying_income, strict=True):
        free &= (q <= 0) | (q + ss <= _cap_at(lk, age))
    return free


def _parts_range(u: StateUnits, d, ira, periodic, rooms) -> tuple[np.ndarray, np.ndarray]:
    """Where no part is premature, both pension subtractions are a capped pair over the
    qualifying income (the IRA's and the periodic part, or all the distributions of periodic
    payments) shared between the two (``rooms``: each one's cap): their least and their most
    over the spouse's share that the parts' bounds allow."""
    whole, least, most = pension_part_range(u, d, ira, periodic)
    return capped_pair_range(whole, least, most, rooms[0], rooms[1])


def qualifying(u: StateUnits, paid, ira, early, ira_early,
               periodic_part=0.0) -> tuple[np.ndarray, np.ndarray]:
    """A person's qualifying pension and annuity income, at least and at most (the same but
    where the premature part may be the plan's or the IRA's and ``ira_early``, the IRA's, is
    not given): all of ``paid`` but its premature part where the payments are periodic, else
    the IRA's part but its premature part, with the periodic part beside a lump sum
    (``periodic_part``, never premature)."""
    periodic = np.maximum(0.0, paid - early)
    lump = np.maximum(0.0, paid - ira - periodic_part)
    given = ~np.isnan(ira_early)
    low = np.where(given, ira - np.nan_to_num(ira_early),
                   np.maximum(0.0, ira - early))  # every premature dollar the IRA's
    high = np.where(given, low, ira - np.maximum(0.0, early - lump))  # the lump sum's first
    return (np.where(u.periodic_payments, periodic, np.maximum(low, 0.0) + periodic_part),
            np.where(u.periodic_payments, periodic, np.maximum(high, 0.0) + periodic_part))


def social_security_subtracted(age, ss, younger_age, older_age, younger, whole) -> np.ndarray:
    """A person's Social Security subtraction: all of it from 65, up to the $20,000 limit from
    55 (all of it from 2025 within the AGI limit), none before 55 (survivors' benefits, which
    qualify, are not told apart: such a unit is not covered)."""
    return np.where(age >= older_age, ss,
                    np.where(age >= younger_age, np.where(whole, ss, np.minimum(ss, younger)), 0.0))
