"""Michigan income tax on a tax unit with retirement income (MI-1040, Schedule 1, Form 4884).

Michigan taxable income is federal AGI less taxable Social Security (Mich. Comp. Laws
§206.30(1)(b)), less the retirement and pension subtraction or the Michigan standard deduction,
less the personal exemptions (§206.30(2)); the rest bears the flat rate (§206.51(1)).

What a filer may subtract depends on the birth year of the filer, or of the older spouse on a
joint return (born in ``tax_year − age`` at the year's end):

* born before 1946 ("tier 1"): qualifying benefits up to the limit (§206.30(1)(f));
* born 1946 and later, within the 2023 PA 4 phase-in (1946–1962 in 2024, 1946–1966 in 2025,
  every birth year from 2026): qualifying benefits up to the phase-in share of the limit;
* born 1946–1952 ("tier 2"), or born after 1952 and 67 or older ("tier 3"): the Michigan
  standard deduction against all income instead, when larger (§206.30(9)); tier 3's is reduced
  by the personal exemptions and taxable Social Security.

Qualifying benefits (§206.30(8)): none of a premature distribution (paid before the plan's
retirement conditions were met); of a 401(k), only what is attributable to employer or
mandated contributions (``employer_attributable_distributions``, unknown unless given); of a
governmental 457(b), what is paid from 59½, while a public pension qualifies whenever paid.
On a joint return each spouse's distribution (``spouse_distributions``) is judged by that
spouse's own retirement (``spouse_plan_retirement_conditions_met``, the head's when absent) and
age.  Where a needed fact is not an input the unit is not covered (NaN): the qualifying part of a
private plan's distribution when not given, or, where one spouse's distribution qualifies and
the other's does not, when how much of the employer part is in each would change the
deduction (one figure for the return); a governmental plan's distribution before the law's age (a
457(b) or a pension?) or for tier 1 (a Michigan or federal pension is wholly subtracted); tier
1's subtraction of interest, dividends and gains (§206.30(1)(p)) when there is other income.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_JOINT
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, own, people, share_bounds
from dist401k.tax.state.units import StateUnits


def michigan_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """MI-1040 line 16 tax (before credits), for each unit."""
    born = older_birth_year(u)
    tier_1 = born < lk.get("state.mi.retirement_full_birth_year")
    phase_in = ~tier_1 & (born <= lk.get("state.mi.retirement_phase_in_last_birth_year"))
    qualifying, qualifying_most, unknown, premature = qualifying_benefits(lk, u, tier_1)
    limit = lk.get("state.mi.retirement_limit") * np.where(
        tier_1, 1.0, np.where(phase_in, lk.get("state.mi.retirement_phase_in_share"), 0.0))
    retirement = np.minimum(np.nan_to_num(qualifying), limit)
    exemptions = people(u) * lk.get("state.mi.personal_exemption")
    standard = standard_deduction(lk, u, born, exemptions)
    deduction = np.maximum(retirement, standard)
    # A couple's employer part whose share in the retired spouse's distribution is not known:
    # not covered where the most it could be would change the deduction.
    not_split = ~unknown & (np.maximum(np.minimum(np.nan_to_num(qualifying_most), limit),
                                       standard) > deduction + HALF_CENT)
    taxable = np.maximum(0.0, u.federal_agi - u.taxable_social_security - deduction - exemptions)
    senior_investment = tier_1 & (u.other_income > HALF_CENT)
    missing = (unknown & (tier_1 | phase_in)) | senior_investment | not_split
    return StateAnswer(
        income_tax=np.where(missing, np.nan, lk.get("state.mi.rate") * taxable),
        additional_tax=np.where(missing, np.nan, 0.0),
        reasons={
            "STATE_MI_RETIREMENT_SUBTRACTION": ~missing & (retirement > 0) & (retirement >= standard),
            "STATE_MI_STANDARD_DEDUCTION": ~missing & (standard > retirement),
            "STATE_MI_PREMATURE_TAXABLE": premature,
            "STATE_MI_QUALIFYING_PART_NOT_GIVEN": (unknown & (tier_1 | phase_in)
                                                   & ~u.governmental_plan) | not_split,
            "STATE_MI_PUBLIC_PENSION_NOT_MODELLED": unknown & (tier_1 | phase_in) & u.governmental_plan,
            "STATE_MI_SENIOR_INVESTMENT_NOT_MODELLED": senior_investment,
            "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        },
    )


def older_birth_year(u: StateUnits) -> np.ndarray:
    """Birth year of the filer, or of the older spouse on a joint return (Form 4884: the older
    spouse's year decides for both), from the age at the end of the tax year."""
    age = np.where(u.filing_status == MARRIED_JOINT, np.maximum(u.age_head, u.age_spouse), u.age_head)
    return u.tax_year - np.floor(age)


def qualifying_benefits(lk: Lookup, u: StateUnits, tier_1: np.ndarray):
    """The distribution's "retirement or pension benefits" (§206.30(8)), the least and the
    most they can be, with the mask of units where a fact needed to tell them is not an input,
    and the mask of premature ones.

    A premature distribution (before the plan's retirement conditions were met) does not
    qualify, (8)(b)(ii).  A private plan's distribution qualifies as far as it is attributable to
    employer or mandated contributions, (8)(a)(i)(E) and (b)(i)(B) (all of a 403(b), pension or
    IRA: the caller says so through ``employer_attributable_distributions``).  A governmental
    plan's qualifies from the law's age (``state.mi.governmental_plan_age``; a 457(b) from 59½,
    (8)(a)(i)(D); a public pension whenever paid); before that age, or for tier 1 (a Michigan
    or federal pension is subtracted without limit), whose plan paid it is not an input.

    The benefit is the recipient's: the employee who retired under the plan (§206.30(1)(f)).  On
    a joint return with the split given (``spouse_distributions``) each spouse's distribution is
    judged by that spouse's own retirement (``spouse_plan_retirement_conditions_met``, the
    head's where not given) and age; without the split, all is the head's.  The employer part is
    one figure for the return: where only one spouse's distribution qualifies and both have
    one, it lies between the least and the most that can be in the qualifying one
    (:func:`~dist401k.tax.state.common.share_bounds`)."""
    d = own(u, "taxable_distributions")
    age = lk.get("state.mi.governmental_plan_age")
    n = len(u)
    retired, public_qualifying = np.zeros(n), np.zeros(n)
    premature, public_unknown = np.zeros(n, bool), np.zeros(n, bool)
    for paid, met, person_age in (
            (d.head, u.plan_retirement_conditions_met, u.age_head),
            (d.spouse, u.spouse_plan_retirement_conditions_met, u.age_spouse)):
        mine = paid > 0
        premature |= mine & ~met
        retired += np.where(mine & met, paid, 0.0)
        public = mine & met & u.governmental_plan
        public_known = public & (person_age >= age) & ~tier_1
        public_qualifying += np.where(public_known, paid, 0.0)
        public_unknown |= public & ~public_known
    private = ~u.governmental_plan & (retired > 0)
    least, most = share_bounds(u.employer_attributable_distributions, retired,
                               u.taxable_distributions)
    qualifying = np.where(u.governmental_plan, public_qualifying, np.where(private, least, 0.0))
    qualifying_most = np.where(u.governmental_plan, public_qualifying,
                               np.where(private, most, 0.0))
    unknown = public_unknown | (private & np.isnan(u.employer_attributable_distributions))
    return qualifying, qualifying_most, unknown, premature


def standard_deduction(lk: Lookup, u: StateUnits, born, exemptions) -> np.ndarray:
    """The Michigan standard deduction of tiers 2 and 3 (§206.30(9); MI-1040 Schedule 1 line 24
    worksheet), zero for the filers who have none."""
    tier_3_from = lk.get("state.mi.standard_deduction_tier_3_birth_year")
    tier_2 = (born >= lk.get("state.mi.retirement_full_birth_year")) & (born < tier_3_from)
    reached = u.tax_year - born >= lk.get("state.mi.standard_deduction_age")
    tier_3 = (born >= tier_3_from) & reached
    amount = lk.get("state.mi.standard_deduction")
    less_ss = lk.get("state.mi.standard_deduction_less_social_security") * u.taxable_social_security
    reduced = np.maximum(0.0, amount - exemptions - less_ss)
    return np.where(tier_2, amount, np.where(tier_3, reduced, 0.0))
