"""Pennsylvania personal income tax on a tax unit with retirement income (PA-40).

Pennsylvania taxes classes of income at one flat rate (72 P.S. §7302), not federal AGI:
compensation (wages), and interest, dividends and gains (here: the rest of federal AGI besides
wages, plan distributions and Social Security).  Social Security is not income.  A plan
distribution paid after the recipient retired having met the plan's conditions for retirement
is not compensation (72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8)); an early one is, once the
contributions Pennsylvania already taxed (its elective deferrals: ``state_basis_recovered``, the
part of the distribution that returns them) are recovered: the cost recovery method (PA-40
instructions, line 5, codes 1 and 2).  An IRA's distribution (``ira_distributions``, each
spouse's own ``spouse_ira_distributions``) is judged by the IRA's own condition, 59½, wages or
not (:func:`own_money_taxed`).  Tax forgiveness (Schedule SP, 72 P.S. §7304) then forgives all
or part of the tax on low eligibility income.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, answer_unless, joint, own
from dist401k.tax.state.spouse_ranges import distribution_part_range
from dist401k.tax.state.units import StateUnits

#: The reason of a unit whose IRA part cannot be told paid before 59½ or not.
IRA_AGE_NOT_KNOWN = "STATE_IRA_BEFORE_59_HALF_NOT_KNOWN"


def pennsylvania_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """PA-40 line 12 tax less Schedule SP forgiveness, for each unit."""
    m = own_money_taxed(lk, u)
    early = np.maximum(0.0, m.taxed - u.state_basis_recovered)
    taxable = np.maximum(0.0, u.wages + early) + np.maximum(0.0, u.other_income)
    tax = lk.get("state.pa.rate") * taxable
    forgiven = forgiveness_share(lk, taxable)
    plan_early = m.plan_taxed > 0
    exempt = ~plan_early & (m.plan_paid > 0)
    return answer_unless(m.not_known, tax * (1.0 - forgiven), {
        "STATE_PA_RETIREMENT_EXEMPT": exempt & (lk.get("state.pa.retirement_benefits_exempt") > 0),
        # Taxed in full where no contribution Pennsylvania taxed is recovered from it;
        # beyond those recovered first otherwise (cost recovery).
        "STATE_PA_EARLY_TAXABLE": plan_early & (u.state_basis_recovered <= 0),
        "STATE_PA_COST_RECOVERY": plan_early & (u.state_basis_recovered > 0),
        "STATE_PA_IRA_EXEMPT": m.ira_exempt & ~m.not_known,
        "STATE_PA_IRA_EARLY_TAXABLE": (m.ira_taxed > HALF_CENT) & ~m.not_known,
        IRA_AGE_NOT_KNOWN: m.not_known,
        "STATE_PA_FORGIVENESS": (forgiven > 0) & (tax > 0) & ~m.not_known,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
    })


@dataclass(frozen=True)
class OwnMoney:
    """The taxed part of a unit's distributions where a state judges each person's employer
    plan money by the plan's conditions for retirement and their IRA money by the IRA's
    (:func:`own_money_taxed`)."""

    #: The distributions taxed (the plan's and the IRAs' parts together).
    taxed: np.ndarray
    #: Of it, the spouse's own (a joint return's second column, Mississippi).
    spouse_taxed: np.ndarray
    #: The employer plans' part of the distributions, and the part of it taxed.
    plan_paid: np.ndarray
    plan_taxed: np.ndarray
    #: The IRAs' part taxed, and where some of the IRAs' part is exempt.
    ira_taxed: np.ndarray
    ira_exempt: np.ndarray
    #: Where whether some IRA money was paid before 59½ cannot be told and changes the tax.
    not_known: np.ndarray


def own_money_taxed(lk: Lookup, u: StateUnits, disability_exempts: bool = False) -> OwnMoney:
    """Each person's employer plan distributions taxed unless paid after the plan's conditions
    for retirement were met (``plan_retirement_conditions_met``, the spouse's own
    ``spouse_plan_retirement_conditions_met``; 72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8);
    Miss. Code Ann. §27-7-15(4)(l)), and their IRA distributions (``ira_distributions``, the
    spouse's ``spouse_ira_distributions``) taxed only where paid before 59½, wages or not
    (:func:`ira_part_taxed`; Mississippi, ``disability_exempts``: not where the owner is
    disabled).  The distributions are the head's where the joint return's split was not given;
    an IRA part whose split by spouse was not given lies anywhere the spouses' distributions
    allow, and where that changes the tax the unit is not known.  Without ``ira_distributions``
    all is the plans' (as before the column)."""
    d = own(u, "taxable_distributions")
    ends = [_taxed_at(lk, u, d, s, disability_exempts)
            for s in distribution_part_range(u, "ira_distributions", d)]
    lo = np.minimum(ends[0].least, ends[1].least)
    hi = np.maximum(ends[0].most, ends[1].most)
    first = ends[0].least <= ends[1].least

    def chosen(name: str) -> np.ndarray:
        return np.where(first, getattr(ends[0], name), getattr(ends[1], name))

    ira_taxed = chosen("ira")
    plan_paid = np.maximum(0.0, u.taxable_distributions - u.ira_distributions)
    taxed = np.where(u.taxable_distributions > 0, lo, 0.0)
    return OwnMoney(taxed=taxed, spouse_taxed=chosen("spouse"), plan_paid=plan_paid,
                    plan_taxed=chosen("plan"), ira_taxed=ira_taxed,
                    ira_exempt=u.ira_distributions - ira_taxed > HALF_CENT,
                    not_known=(hi - lo > HALF_CENT) & (u.taxable_distributions > 0))


class _Taxed(NamedTuple):
    """The distributions taxed at one split of the IRA part by spouse (:func:`_taxed_at`)."""

    least: np.ndarray
    most: np.ndarray
    spouse: np.ndarray
    plan: np.ndarray
    ira: np.ndarray


def _taxed_at(lk: Lookup, u: StateUnits, d, spouse_ira, disability_exempts: bool) -> _Taxed:
    """The distributions taxed, least and most, the spouse's, the plans' and the IRAs' part
    of them, with ``spouse_ira`` of the IRA part the spouse's (``d``: :func:`own` of the
    distributions)."""
    on_joint = joint(u) & d.known
    s_ira = np.where(on_joint, spouse_ira, 0.0)
    h_ira = np.maximum(0.0, u.ira_distributions - s_ira)
    h_plan = np.maximum(0.0, d.head - h_ira)
    s_plan = np.where(on_joint, np.maximum(0.0, d.spouse - s_ira), 0.0)
    h_flag, s_flag = u.plan_retirement_conditions_met, u.spouse_plan_retirement_conditions_met
    plan = np.where(h_flag, 0.0, h_plan) + np.where(s_flag, 0.0, s_plan)
    e = own(u, "early_distributions")
    h_early, s_early = ira_early_ranges(u, e, (h_ira, s_ira), (h_plan, s_plan), on_joint)
    disabled = (np.nan_to_num(u.disabled, nan=0.0) == 1) & disability_exempts
    head = ira_part_taxed(lk, u.age_head, h_ira, h_early, h_flag, h_plan, disabled)
    s_least, s_most = ira_part_taxed(lk, u.age_spouse, s_ira, s_early, s_flag, s_plan,
                                     np.zeros(len(u), bool))
    spouse = (np.where(on_joint, s_least, 0.0), np.where(on_joint, s_most, 0.0))
    s_taxed = np.where(s_flag, 0.0, s_plan) + spouse[0]
    return _Taxed(least=plan + head[0] + spouse[0], most=plan + head[1] + spouse[1],
                  spouse=s_taxed, plan=plan, ira=head[0] + spouse[0])


def ira_early_ranges(u: StateUnits, e, ira, plan, on_joint):
    """The least and the most of the head's and the spouse's IRA part under the federal §72(t)
    tax (``ira``, ``plan``: each one's IRA and plan parts; ``e``: :func:`own` of
    ``early_distributions``, all the head's where its split was not given): the part given
    (``ira_early_distributions``, ``spouse_ira_early_distributions``), none where the person
    has no early part; else at least what the person's plan part cannot hold of their early
    part and at most all of it their IRA part can.  Arkansas's IRA rule reads it too
    (:mod:`dist401k.tax.state.arkansas`)."""
    s_early = np.where(on_joint, e.spouse, 0.0)
    s_given = np.where(s_early <= HALF_CENT, 0.0, u.spouse_ira_early_distributions)
    s_lo = np.where(np.isnan(s_given), np.maximum(0.0, s_early - plan[1]), s_given)
    s_hi = np.where(np.isnan(s_given), np.minimum(s_early, ira[1]), s_given)
    h_early = np.maximum(0.0, u.early_distributions - s_early)
    # The head's part given: the IRAs' less the spouse's, where the spouse's is known.
    h_given = np.where(s_lo == s_hi, u.ira_early_distributions - s_lo, np.nan)
    h_given = np.where(h_early <= HALF_CENT, 0.0, h_given)
    h_lo = np.where(np.isnan(h_given), np.maximum(0.0, h_early - plan[0]), h_given)
    h_hi = np.where(np.isnan(h_given), np.minimum(h_early, ira[0]), h_given)
    return ((np.clip(h_lo, 0.0, ira[0]), np.clip(h_hi, 0.0, ira[0])),
            (np.clip(s_lo, 0.0, ira[1]), np.clip(s_hi, 0.0, ira[1])))


def ira_part_taxed(lk: Lookup, age, ira, early, flag, plan, disabled
                   ) -> tuple[np.ndarray, np.ndarray]:
    """One person's IRA part taxed, the least and the most (``early``: the least and the most
    of it under the federal §72(t) tax; ``plan``: the person's employer plan part).  An IRA
    has no employer's retirement conditions: its qualifying age is 59½, the federal penalty's
    (``early_distributions.age``; PA Personal Income Tax Guide, Gross Compensation; 35 Miss.
    Admin. Code Pt. 3, Subpt. 02, Ch. 07, ¶104), wages or not; ages are whole years at the
    end of the year:

    - under 59½ all year (a whole year short of it at the year's end): all of it — no federal
      exception spares it before 59½ but the owner's death (not among the inputs: an heir's
      payment is given outside ``ira_distributions``) and, in Mississippi, disability
      (``disabled``: as 59½ reached);
    - 59½ reached by the year's end (the year of 59½ taken as after it, as the planner's
      years and the federal §72(t) age read in whole years do): only its part under the
      §72(t) tax, paid before 59½ by definition;
    - 59 at the year's end (59½ reached in the year or not: whole-year ages cannot tell): its
      part under the §72(t) tax, and the rest where ``plan_retirement_conditions_met`` (for an
      IRA: 59½) is not set — all of it where the person has no plan money the flag could
      speak of, else not known (from its §72(t) part to all of it)."""
    age = np.asarray(age, dtype=float)
    age59 = lk.get("early_distributions.age")
    before = (age + 1 <= age59) & ~disabled
    band = ~before & ~disabled & ~(age >= age59) & ~np.asarray(flag, bool)
    whole = before | (band & (plan <= HALF_CENT))
    return np.where(whole, ira, early[0]), np.where(whole | band, ira, early[1])


def ira_distribution_exempt(reached_59_half, paid_on_death) -> np.ndarray:
    """Whether Pennsylvania exempts a distribution from an IRA (a withdrawal or a conversion):
    an IRA has no employer's retirement conditions, so its qualifying retirement age is the one
    after which a distribution is no longer subject to the federal early-withdrawal penalty,
    59½ (the Department's Personal Income Tax Guide, Gross Compensation), wages or not; one
    paid to the estate or a designated beneficiary because of the owner's death is not taxable
    either (PA-40 instructions, Form 1099-R code 4; the Department's answer 1470).  None of the
    federal penalty's other exceptions applies before 59½ (taxable even if retired)."""
    return np.asarray(reached_59_half, bool) | np.asarray(paid_on_death, bool)


def forgiveness_share(lk: Lookup, eligibility_income) -> np.ndarray:
    """The share of the tax forgiven (PA-40 Schedule SP): all of it up to the eligibility
    income limit, then one step rate less for each step (or part of one) above it.

    Eligibility income here is Pennsylvania taxable income: the other items of Schedule SP
    (nontaxable interest, alimony, gifts …) are not among dist401k's inputs.
    """
    over = np.maximum(0.0, eligibility_income - lk.get("state.pa.forgiveness_eligibility_income"))
    steps = np.ceil(over / lk.get("state.pa.forgiveness_step") - 1e-9)
    return np.clip(1.0 - steps * lk.get("state.pa.forgiveness_step_rate"), 0.0, 1.0)
