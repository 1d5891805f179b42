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
retirement conditions were met); of an IRA's (``ira_distributions``, each spouse's own
``spouse_ira_distributions``), judged by the IRA's own condition and not the plan's, none paid
before 59½ but on the owner's disability or as a §72(t)(2)(A)(iv) series
(:func:`ira_part_not_qualifying`); of a 401(k), only what is attributable to employer or
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

from typing import NamedTuple

import numpy as np

from dist401k.law.filing_status import MARRIED_JOINT
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT
from dist401k.tax.state.common import StateAnswer, joint, own, people, share_bounds
from dist401k.tax.state.pennsylvania import IRA_AGE_NOT_KNOWN, ira_early_ranges
from dist401k.tax.state.spouse_ranges import distribution_part_range
from dist401k.tax.state.units import StateUnits


def michigan_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """MI-1040 line 16 tax (before credits), for each unit."""
    born = older_birth_year(u)
    tier_1 = born < lk.get("state.mi.retirement_full_birth_year")
    phase_in = ~tier_1 & (born <= lk.get("state.mi.retirement_phase_in_last_birth_year"))
    qualifying, qualifying_most, unknown, premature, ira_premature = qualifying_benefits(
        lk, u, tier_1)
    limit = lk.get("state.mi.retirement_limit") * np.where(
        tier_1, 1.0, np.where(phase_in, lk.get("state.mi.retirement_phase_in_share"), 0.0))
    retirement = np.minimum(np.nan_to_num(qualifying), limit)
    exemptions = people(u) * lk.get("state.mi.personal_exemption")
    standard = standard_deduction(lk, u, born, exemptions)
    deduction = np.maximum(retirement, standard)
    # A couple's employer part whose share in the retired spouse's distribution is not known,
    # or an IRA's part that may or may not qualify: not covered where the most it could be
    # would change the deduction.
    def changes(most):
        return ~unknown & (np.maximum(np.minimum(np.nan_to_num(most), limit), standard)
                           > deduction + HALF_CENT)

    not_split = changes(qualifying_most.employer)
    ira_unsure = changes(qualifying_most.ira) & ~not_split
    not_split = not_split | ira_unsure
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
            "STATE_MI_IRA_PREMATURE_TAXABLE": ira_premature,
            "STATE_MI_QUALIFYING_PART_NOT_GIVEN": (unknown & (tier_1 | phase_in)
                                                   & ~u.governmental_plan) | (not_split & ~ira_unsure),
            IRA_AGE_NOT_KNOWN: ira_unsure,
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


class Most(NamedTuple):
    """The most the qualifying benefits can be: where only the couple's employer part is not
    split (``employer``, the IRA's part at its least), and where the IRA's part may qualify
    too (``ira``)."""

    employer: np.ndarray
    ira: np.ndarray


def qualifying_benefits(lk: Lookup, u: StateUnits, tier_1: np.ndarray):
    """The distribution's "retirement or pension benefits" (§206.30(8)), the least and the
    most they can be (:class:`Most`), with the mask of units where a fact needed to tell them
    is not an input, the mask of those with a plan's premature distribution and the mask of those
    with an IRA's distribution before 59½ that does not qualify.

    A premature distribution (before the plan's retirement conditions were met) does not
    qualify, (8)(b)(ii).  An IRA's part is judged by the IRA's own condition, not the plan's
    (:func:`ira_part_not_qualifying`, (8)(a)(ii)).  A private plan's distribution qualifies as
    far as it is attributable to employer or mandated contributions, (8)(a)(i)(E) and
    (b)(i)(B) (all of a 403(b), pension or IRA: the caller says so through
    ``employer_attributable_distributions``).  A governmental plan's qualifies from the law's
    age (``state.mi.governmental_plan_age``; a 457(b) from 59½, (8)(a)(i)(D); a public pension
    whenever paid); before that age, or for tier 1 (a Michigan or federal pension is
    subtracted without limit), whose plan paid it is not an input.

    The benefit is the recipient's: the employee who retired under the plan (§206.30(1)(f)).  On
    a joint return with the split given (``spouse_distributions``) each spouse's distribution is
    judged by that spouse's own retirement (``spouse_plan_retirement_conditions_met``, the
    head's where not given) and age; without the split, all is the head's.  The employer part is
    one figure for the return: where only one spouse's distribution qualifies and both have
    one, it lies between the least and the most that can be in the qualifying one
    (:func:`~dist401k.tax.state.common.share_bounds`); an IRA's part whose split by spouse is
    not given lies anywhere the spouses' distributions allow."""
    d = own(u, "taxable_distributions")
    a, b = (_retired_at(lk, u, d, tier_1, s)
            for s in distribution_part_range(u, "ira_distributions", d))
    lo, hi = np.minimum(a.least, b.least), np.maximum(a.most, b.most)
    ira_lo, ira_hi = np.minimum(a.ira_least, b.ira_least), np.maximum(a.ira_most, b.ira_most)
    public_qualifying = np.minimum(a.public, b.public)
    premature = a.premature | b.premature
    ira_premature = a.ira_premature | b.ira_premature
    public_unknown = a.public_unknown | b.public_unknown
    private = ~u.governmental_plan & (hi > 0)
    emp, whole = u.employer_attributable_distributions, u.taxable_distributions
    least = share_bounds(emp, lo, whole)[0]
    qualifying = np.where(u.governmental_plan, public_qualifying + ira_lo,
                          np.where(private, least, 0.0))
    most = Most(*(np.where(u.governmental_plan, public_qualifying + ira, np.where(
        private, share_bounds(emp, retired, whole)[1], 0.0)) for ira, retired in (
        (ira_lo, lo), (ira_hi, hi))))
    unknown = public_unknown | (private & np.isnan(emp))
    return qualifying, most, unknown, premature, ira_premature


class Retired(NamedTuple):
    """The qualifying benefits at one split of the IRA part by spouse (:func:`_retired_at`)."""

    #: the least and the most before the employer-part limit: the plans' paid after
    #: retirement and the IRAs' that qualify
    least: np.ndarray
    most: np.ndarray
    #: the least and the most of the IRAs' part that qualifies
    ira_least: np.ndarray
    ira_most: np.ndarray
    #: a governmental plan's qualifying part
    public: np.ndarray
    #: a plan's distribution paid before its retirement conditions; an IRA's that does not
    #: qualify (before 59½)
    premature: np.ndarray
    ira_premature: np.ndarray
    #: a governmental plan's payment whose plan is not told
    public_unknown: np.ndarray


def _retired_at(lk: Lookup, u: StateUnits, d, tier_1, spouse_ira) -> Retired:
    """:class:`Retired` at one split of the IRA part by spouse (``spouse_ira`` the spouse's;
    ``d``: :func:`own` of the distributions)."""
    on_joint = joint(u) & d.known
    s_ira = np.where(on_joint, spouse_ira, 0.0)
    iras = (np.maximum(0.0, u.ira_distributions - s_ira), s_ira)
    plans = (np.maximum(0.0, d.head - iras[0]),
             np.where(on_joint, np.maximum(0.0, d.spouse - s_ira), 0.0))
    flags = (u.plan_retirement_conditions_met, u.spouse_plan_retirement_conditions_met)
    early = ira_early_ranges(u, own(u, "early_distributions"), iras, plans, on_joint)
    disabled = (np.nan_to_num(u.disabled, nan=0.0) == 1, np.zeros(len(u), bool))
    age = lk.get("state.mi.governmental_plan_age")
    n = len(u)
    lo, hi, ira_lo, ira_hi, public_qualifying = (np.zeros(n), np.zeros(n), np.zeros(n),
                                                 np.zeros(n), np.zeros(n))
    premature, ira_premature = np.zeros(n, bool), np.zeros(n, bool)
    public_unknown = np.zeros(n, bool)
    for i, person_age in enumerate((u.age_head, u.age_spouse)):
        plan, met, ira = plans[i], flags[i], iras[i]
        bad = ira_part_not_qualifying(lk, u, person_age, ira, early[i], met, plan, disabled[i])
        premature |= (plan > HALF_CENT) & ~met
        ira_premature |= bad[0] > HALF_CENT
        retired = np.where(met, plan, 0.0)
        lo, hi = lo + retired + ira - bad[1], hi + retired + ira - bad[0]
        ira_lo, ira_hi = ira_lo + ira - bad[1], ira_hi + ira - bad[0]
        public = (plan > 0) & met & u.governmental_plan
        public_known = public & (person_age >= age) & ~tier_1
        public_qualifying += np.where(public_known, plan, 0.0)
        public_unknown |= public & ~public_known
    return Retired(lo, hi, ira_lo, ira_hi, public_qualifying, premature, ira_premature,
                   public_unknown)


def ira_part_not_qualifying(lk: Lookup, u: StateUnits, age, ira, early, flag, plan, disabled
                            ) -> tuple[np.ndarray, np.ndarray]:
    """One person's IRA part that is not a retirement or pension benefit, the least and the
    most (``early``: the least and the most of it under the federal §72(t) tax; ``plan``: the
    person's employer plan part).  §206.30(8)(a)(ii) counts an IRA's distribution only if not
    made before 59½ (``state.mi.ira_benefits_age``) except on death, disability or a
    §72(t)(2)(A)(iv) series (Treasury, Qualified Pension Distribution Requirements, Individual
    Plans), wages or not; ages are whole years at the end of the year:

    - under 59½ all year: all of it, but where the owner is ``disabled`` or it is one of
      periodic payments (``periodic_payments``: its part spared the §72(t) tax is then a
      §72(t)(2)(A)(iv) series, the only periodic exception): then only its part under the
      §72(t) tax, which neither the disability nor the series spared; an heir's payment on the
      owner's death is judged by the heir's own age (Treasury: only a surviving spouse may
      subtract a payment after the participant's death, and only where it qualified for the
      participant, which is not an input);
    - 59½ reached by the year's end: only its part under the §72(t) tax, paid before 59½;
    - 59 at the year's end (59½ reached in the year or not): its part under the §72(t) tax,
      and the rest where ``plan_retirement_conditions_met`` (for an IRA: 59½) is not set — all
      of it where the person has no plan money the flag could speak of, else not known."""
    age = np.asarray(age, dtype=float)
    age59 = lk.get("state.mi.ira_benefits_age")
    before = (age + 1 <= age59) & ~disabled
    series = before & np.asarray(u.periodic_payments, bool)
    band = ~before & ~disabled & ~(age >= age59) & ~np.asarray(flag, bool)
    whole = (before & ~series) | (band & (plan <= HALF_CENT))
    return np.where(whole, ira, early[0]), np.where(whole | band, ira, early[1])


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
