"""Mississippi individual income tax on a tax unit with retirement income (Form 80-105).

Retirement allowances, pensions, qualified plan and IRA distributions and Social Security are
exempt (Miss. Code Ann. §27-7-15(4)(k)–(l)) except a premature distribution, one paid before
the plan's requirements for retirement were met (for an IRA, which has none, an early one:
:func:`ira_distribution_exempt`; the door's ``ira_distributions`` and each spouse's own
``spouse_ira_distributions`` by 59½, :func:`~dist401k.tax.state.pennsylvania.own_money_taxed`,
Pennsylvania's same rule), each spouse's own by their own retirement.  The standard
deduction (§27-7-17) and the exemptions (§27-7-21) come off, and the rest is taxed by the
schedule of §27-7-5.

A married couple's joint or combined return has a column for each spouse (Form 80-105, Column A
the taxpayer's, Column B the spouse's), each with its own income and taxable income (line 16)
and taxed on its own by the Schedule of Tax Computation, so each has its own untaxed first
band; the couple may divide the standard deduction and the exemptions between the columns "in
any manner they choose" (Form 80-100 instructions, lines 14–15; the Department's Tax Rates,
Exemptions and Deductions page), here to the least total tax; where one column's taxable income
is negative and the other's positive the two are combined and the net taxed on Column A of the
schedule, none where it is negative (Form 80-100 instructions, line 17).  Each spouse's income
is their own part (``spouse_…``); the distributions are the head's without
``spouse_distributions``.  Where a joint return's split of the wages or other income was not
given, the answer is the least tax any split the data allows gives — never more than the
couple's own split — and where the split could change it the reason
STATE_MS_COMBINED_SPLIT_NOT_GIVEN says so.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import (
    StateAnswer,
    aged,
    answer_unless,
    joint,
    own,
    spouse_benefit_share,
)
from dist401k.tax.state.pennsylvania import IRA_AGE_NOT_KNOWN, own_money_taxed
from dist401k.tax.state.spouse_ranges import part_range
from dist401k.tax.state.units import StateUnits


def mississippi_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 80-105 income tax due (before credits), for each unit: a joint or combined return's
    two columns each taxed on its own (:func:`combined_tax`)."""
    exempt = lk.get("state.ms.retirement_income_exempt") > 0
    m = own_money_taxed(lk, u, disability_exempts=True)
    premature = m.taxed
    excluded = np.where(exempt, u.taxable_distributions - premature + u.taxable_social_security, 0.0)
    deductions = (
        lk.get("state.ms.standard_deduction")
        + lk.get("state.ms.exemption")
        + aged(u, lk.get("state.ms.aged_exemption_age")) * lk.get("state.ms.aged_exemption")
    )
    net = u.federal_agi - excluded - deductions  # the columns' taxable incomes together
    least_b, most_b = spouse_column_range(u, exempt, m.spouse_taxed)
    tax = combined_tax(lk, net, least_b - deductions, most_b)
    # The most any split allows: the least tax over the division of the deductions is
    # unimodal in the spouse's income, so the most is at an end of its range.
    most = tax
    if np.any(most_b - least_b > HALF_CENT):
        most = np.maximum(combined_tax(lk, net, least_b - deductions, least_b),
                          combined_tax(lk, net, most_b - deductions, most_b))
    plan_premature = m.plan_taxed > 0
    return answer_unless(m.not_known, tax, {
        "STATE_MS_RETIREMENT_EXEMPT": exempt & ~plan_premature & (m.plan_paid > 0),
        "STATE_MS_PREMATURE_TAXABLE": plan_premature,
        "STATE_MS_IRA_EXEMPT": exempt & m.ira_exempt & ~m.not_known,
        "STATE_MS_IRA_PREMATURE_TAXABLE": (m.ira_taxed > HALF_CENT) & ~m.not_known,
        IRA_AGE_NOT_KNOWN: m.not_known,
        "STATE_SOCIAL_SECURITY_EXEMPT": exempt & (u.taxable_social_security > 0),
        "STATE_MS_COMBINED_SPLIT_NOT_GIVEN": (most - tax > HALF_CENT) & ~m.not_known,
    })


def spouse_column_range(u: StateUnits, exempt, spouse_premature) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most of the spouse's Mississippi income (Form 80-105 line 13, Column
    B, before the deductions and exemptions) the data allows: the spouse's own wages and other
    income (:func:`~dist401k.tax.state.spouse_ranges.part_range`: the part given, else none to
    all of it on a joint return) and the spouse's own taxed distributions (``spouse_premature``)
    — the premature part of ``spouse_distributions`` by the spouse's own retirement
    (§27-7-15(4)(l)), their IRA part by 59½ (:func:`own_money_taxed`) —, all of them
    and the spouse's share of the taxable benefits where retirement income is not exempt.
    Zero off a joint return (one column)."""
    d = own(u, "taxable_distributions")
    wages, other = part_range(u, "wages"), part_range(u, "other_income")
    ss = own(u, "social_security")
    ss_part = spouse_benefit_share(u, ss) * u.taxable_social_security
    ss_range = (np.where(ss.known, ss_part, 0.0), np.where(ss.known, ss_part, u.taxable_social_security))
    retirement = [np.where(exempt, spouse_premature, d.spouse + s) for s in ss_range]
    on_joint = joint(u)
    return (np.where(on_joint, wages[0] + other[0] + retirement[0], 0.0),
            np.where(on_joint, wages[1] + other[1] + retirement[1], 0.0))


def combined_tax(lk: Lookup, net, least, most) -> np.ndarray:
    """The least tax of a return whose columns' taxable incomes add up to ``net`` over the
    spouse's column's taxable income ``s`` anywhere from ``least`` to ``most`` (the spouse's
    income less any part of the deductions and exemptions): where ``s`` and ``net − s`` are
    both at least zero, each column taxed on its own by the schedule; else (a negative column)
    the two combined and ``net`` taxed once, none below zero (Form 80-100 instructions, line
    17).  The schedule is convex and untaxed at zero, so two columns never pay more than their
    sum taxed once; their tax is convex in ``s``, least at an end of the range or where a
    column meets a bracket's end."""
    net = np.asarray(net, dtype=float)
    lo, hi = np.maximum(least, 0.0), np.minimum(most, net)
    once = _schedule(lk, net)
    if not np.any(lo <= hi):
        return once
    ends = lk.get("state.ms.brackets")
    points = [lo, hi]
    for j in range(ends.shape[-1]):
        points += [np.clip(ends[:, j], lo, hi), np.clip(net - ends[:, j], lo, hi)]
    split = np.minimum.reduce([_schedule(lk, s) + _schedule(lk, net - s) for s in points])
    return np.where(lo <= hi, np.minimum(split, once), once)


def _schedule(lk: Lookup, taxable) -> np.ndarray:
    """§27-7-5: the tax of one column's taxable income (none below zero)."""
    return schedule_tax(lk, "state.ms.brackets", "state.ms.rates", taxable)


def ira_distribution_exempt(reached_59_half, paid_on_death, disabled) -> np.ndarray:
    """Whether Mississippi exempts a distribution from an IRA (a withdrawal or a conversion).

    IRA income is an optional retirement allowance, exempt (35 Miss. Admin. Code Pt. 3, Subpt.
    02, Ch. 07, ¶¶100–101), but early distributions do not qualify (¶104): those "taxable as
    early ... distributions under the Federal Internal Revenue Code (see Federal Form 5329)"
    (Form 80-100 instructions, line 46).  An IRA has no employer's requirements for retirement,
    so its distribution is early before 59½ unless paid because of the owner's death or the
    owner's disability (IRC §72(t)(2)(A)(i)–(iii); Form 1099-R codes 7, 4 and 3, not 1 or 2),
    wages or not.  The federal penalty's other exceptions (a 72(t) series, medical expenses, a
    first home …; code 2, "early distribution, exception applies") are not read as sparing it:
    unconfirmed, docs/state.md."""
    return (np.asarray(reached_59_half, bool) | np.asarray(paid_on_death, bool)
            | np.asarray(disabled, bool))
