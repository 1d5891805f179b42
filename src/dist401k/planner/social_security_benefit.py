"""The Social Security retirement benefit by claiming age (42 U.S.C. §402(q), (w); §416(l)),
and a spouse's benefit (§402(b), (c)).

A benefit claimed before full retirement age is reduced by 5/9 of 1% a month for the first 36
months and 5/12 of 1% for each month beyond; one claimed after it earns 2/3 of 1% a month of
delayed credit up to age 70.  A spouse's benefit is half the worker's primary insurance
amount, less the spouse's own (only the excess is paid on top of the spouse's own benefit,
§402(k)(3)(A)), from when both have filed (filing for one's own benefit is filing for the
spouse's too, §402(r) as amended by the Bipartisan Budget Act of 2015 §831), reduced by 25/36
of 1% a month for the first 36 months before the spouse's full retirement age and 5/12 of 1%
beyond, never raised by delayed credits.  A widow's or widower's benefit (§402(e), (f)) is
the deceased's PIA with the delayed credits the deceased earned, from 60, reduced by up to
28.5% for the months before the survivor's full retirement age; then, where the deceased had
claimed early, capped at the larger of the deceased's reduced benefit and 82½% of the PIA
(the widow's limit, §402(e)(2)(D)).  Benefits then rise each year with the cost of living.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from dist401k.law.loader import Law, step_lookup

#: A billionth of a month: a half month (67.041666…, or the float just under it) is taken up
#: to the next month, not to the even one ``round`` would keep (:func:`claim_month`).
_MONTH_NUDGE = 1e-9


def attains_age_on(birth: dt.date) -> dt.date:
    """The day of the year of birth on which a person attains each age: the day before the
    birthday (20 CFR 404.102; Treas. Reg. §1.151-1(c)(2))."""
    return birth - dt.timedelta(days=1)


def ssa_birth_year(birth: dt.date) -> int:
    """The year of birth Social Security reads its tables by year of birth with (full
    retirement age, the delayed credit's rate, the survivor's full retirement age, §416(l),
    §402(w)(6)): the year of the day on which the person attains each age
    (:func:`attains_age_on`, 20 CFR 404.102) — so one born on January 1 is read with the year
    before (SSA's retirement-age chart: "if you were born on January 1st of any year you
    should refer to the previous year")."""
    return attains_age_on(birth).year


def claim_month(claim_age: float) -> float:
    """A claiming age taken as a month of entitlement: the nearest whole month
    (a half month up), in years.  Benefits are paid by the month — from the first month
    throughout which the conditions are met (42 U.S.C. §402(a); 20 CFR 404.311) — and reduced
    or raised by whole months (§402(q)(6), (w)(2)), so a fraction of a month has no meaning:
    67.04 is claiming at 67 and 0 months, 69.0833 (69 and 1 month to four decimals) at 69 and
    1 month.  The one place a claiming age is read as months: the rate and the first payment
    are figured from the same month."""
    return round(float(claim_age) * 12 + _MONTH_NUDGE) / 12


def full_retirement_age(law: Law, year, birth_year) -> np.ndarray:
    """Full retirement age by year of birth (§416(l)); ``birth_year`` as Social Security
    counts it (:func:`ssa_birth_year`), as for every function here that takes one."""
    return step_lookup(law, "social_security.full_retirement_age", year, birth_year)


def claiming_factor(law: Law, year, birth_year, claim_age) -> np.ndarray:
    """The benefit as a share of the primary insurance amount when claimed at ``claim_age``."""
    fra = full_retirement_age(law, year, birth_year)
    claim = np.asarray(claim_age, float)
    early = np.maximum(0.0, np.round((fra - claim) * 12))
    first_months = law.get("social_security.early_reduction_months", year)
    reduction = (np.minimum(early, first_months) * law.get("social_security.early_reduction_rate", year)
                 + np.maximum(0.0, early - first_months)
                 * law.get("social_security.early_reduction_later_rate", year))
    last = law.get("social_security.delayed_credit_last_age", year)
    late = np.maximum(0.0, np.round((np.minimum(claim, last) - fra) * 12))
    credit = late * step_lookup(law, "social_security.delayed_credit_rate", year, birth_year)
    return 1.0 - reduction + credit


def spousal_factor(law: Law, year, birth_year, start_age) -> np.ndarray:
    """A spouse's benefit as a share of its amount at full retirement age when it starts at
    ``start_age`` (§402(q)(1)(A)(ii), (q)(9); no delayed credit)."""
    fra = full_retirement_age(law, year, birth_year)
    early = np.maximum(0.0, np.round((fra - np.asarray(start_age, float)) * 12))
    first_months = law.get("social_security.early_reduction_months", year)
    return 1.0 - (np.minimum(early, first_months)
                  * law.get("social_security.spousal_early_reduction_rate", year)
                  + np.maximum(0.0, early - first_months)
                  * law.get("social_security.early_reduction_later_rate", year))


def spousal_excess(law: Law, year, own_pia, worker_pia) -> np.ndarray:
    """The spouse's benefit at full retirement age paid on top of the spouse's own: half the
    worker's primary insurance amount less the spouse's own, where positive (§402(b)(2),
    (k)(3)(A))."""
    return np.maximum(0.0, law.get("social_security.spousal_share", year) * np.asarray(worker_pia)
                      - np.asarray(own_pia))


def survivor_base(law: Law, year, birth_year, pia, claim_age, death_age) -> np.ndarray:
    """The widow's or widower's monthly benefit before its reduction for the survivor's age
    (the original benefit, §402(e)(2)(A), (f)(3)(A)): the deceased's PIA with the delayed credits
    the deceased earned (§402(e)(2)(C), (w)) — to the claim where they had claimed, else to the
    death; none for a claim or a death before full retirement age.  The widow's limit
    (:func:`survivor_limit`) applies after the reduction for age."""
    claim, death = np.asarray(claim_age, float), np.asarray(death_age, float)
    fra = full_retirement_age(law, year, birth_year)
    credited_to = np.where(claim <= death, claim, death)
    return pia * claiming_factor(law, year, birth_year, np.maximum(fra, credited_to))


def survivor_limit(law: Law, year, birth_year, pia, claim_age, death_age,
                   paid_claim_age=None) -> np.ndarray:
    """The most a widow's or widower's monthly benefit may be, after its reduction for the
    survivor's age, where the deceased had claimed a reduced benefit before full retirement
    age: the larger of that reduced benefit and 82½% of the PIA (the widow's limit, RIB-LIM,
    §402(e)(2)(D), (f)(3)(D); SSA POMS RS 00615.320: it applies when the benefit after the
    reduction for age is more than both); no limit (infinite) otherwise.
    ``paid_claim_age``: the claiming age the deceased's benefit is figured at where it differs
    from the claim (the months the earnings test withheld left out, §402(q)(7))."""
    claim, death = np.asarray(claim_age, float), np.asarray(death_age, float)
    fra = full_retirement_age(law, year, birth_year)
    paid = pia * claiming_factor(law, year, birth_year,
                                 claim if paid_claim_age is None else paid_claim_age)
    floor = law.get("social_security.survivor_reduced_benefit_floor", year) * pia
    return np.where((claim < fra) & (claim <= death), np.maximum(paid, floor), np.inf)


def survivor_factor(law: Law, year, birth_year, start_age) -> np.ndarray:
    """A widow's or widower's benefit as a share of the deceased's amount when it starts at
    ``start_age``: 28.5% less at 60, prorated by the months before the survivor's full
    retirement age (§402(q)(1); §416(l)(3))."""
    fra = step_lookup(law, "social_security.survivor_full_retirement_age", year, birth_year)
    first = law.get("social_security.survivor_earliest_age", year)
    span = np.round((fra - first) * 12)
    early = np.clip(np.round((fra - np.asarray(start_age, float)) * 12), 0.0, span)
    return 1.0 - law.get("social_security.survivor_early_reduction", year) * early / span


def survivor_benefit(law: Law, year, deceased: tuple, survivor_birth_year, age_at_death,
                     survivor_ages, paid_claim_age=None, start_age=None) -> np.ndarray:
    """The yearly widow's or widower's benefit (start-year dollars) in each year whose
    survivor's age at its end is ``survivor_ages`` (…, T), the death at the end of the year in
    which the survivor reached ``age_at_death`` (…, 1): taken from the year after the death,
    and not before the earliest age, reduced for the months it starts before the survivor's
    full retirement age.  ``deceased``: (birth year, monthly PIA, claiming age, age at the
    end of the year of death); ``paid_claim_age``: as :func:`survivor_limit`; ``start_age``: a
    later start chosen by the survivor (:func:`survivor_monthly`)."""
    monthly = survivor_monthly(law, year, deceased, survivor_birth_year, age_at_death,
                               paid_claim_age, start_age)
    return 12 * monthly * survivor_months(law, year, age_at_death, survivor_ages, start_age)


def survivor_monthly(law: Law, year, deceased: tuple, survivor_birth_year, age_at_death,
                     paid_claim_age=None, start_age=None, months_withheld=0.0) -> np.ndarray:
    """The monthly widow's or widower's benefit (arguments as :func:`survivor_benefit`): the
    original benefit (:func:`survivor_base`) reduced for age first, then held to the widow's
    limit (:func:`survivor_limit`; POMS RS 00615.320).  ``months_withheld``: the months before
    the survivor's full retirement age whose benefit the earnings test withheld, left out of the
    reduction from that age on (§402(q)(7); SSA Handbook §728.2)."""
    birth, pia, claim, death_age = deceased
    base = survivor_base(law, year, birth, pia, claim, death_age)
    limit = survivor_limit(law, year, birth, pia, claim, death_age, paid_claim_age)
    start = survivor_start(law, year, age_at_death, start_age)
    factor = survivor_factor(law, year, survivor_birth_year,
                             start if np.all(np.asarray(months_withheld) == 0)
                             else start + np.asarray(months_withheld) / 12.0)
    return np.minimum(base * factor, limit)


def survivor_start(law: Law, year, age_at_death, start_age=None) -> np.ndarray:
    """The survivor's age when the widow's or widower's benefit starts: the year after the
    death, not before the earliest age, or a later start chosen."""
    start = np.maximum(law.get("social_security.survivor_earliest_age", year), age_at_death)
    return start if start_age is None else np.maximum(start, start_age)


def survivor_months(law: Law, year, age_at_death, survivor_ages, start_age=None) -> np.ndarray:
    """The share of each year (survivor's age at its end ``survivor_ages``) the widow's or
    widower's benefit is paid (0–1)."""
    return np.clip(survivor_ages - survivor_start(law, year, age_at_death, start_age), 0.0, 1.0)


def larger_by_month(own, own_months, widow, widow_months) -> np.ndarray:
    """A year's benefits of one entitled to their own and a widow's or widower's benefit: each
    month the larger of the two (§402(k)(3)(A): their own and the excess of the other over it),
    each paid from a month to December — ``own`` and ``widow`` the yearly sums, ``*_months`` the
    share of the year each is paid (0–1)."""
    both = np.minimum(own_months, widow_months)
    with np.errstate(divide="ignore", invalid="ignore"):
        own_rate = np.where(own_months > 0, own / own_months, 0.0)
        widow_rate = np.where(widow_months > 0, widow / widow_months, 0.0)
    return own + widow - both * np.minimum(own_rate, widow_rate)


def survivor_benefits_paid(law: Law, year, deceased: tuple, survivor: tuple, own: tuple,
                           counted, paid_claim_age=None, work=None) -> np.ndarray:
    """A survivor's yearly Social Security (…, T): :func:`survivor_benefits`' first part."""
    return survivor_benefits(law, year, deceased, survivor, own, counted, paid_claim_age, work)[0]


def survivor_benefits(law: Law, year, deceased: tuple, survivor: tuple, own: tuple, counted,
                      paid_claim_age=None, work=None) -> tuple[np.ndarray, np.ndarray]:
    """A survivor's yearly Social Security (…, T) — each month the larger of their own benefit
    and the widow's or widower's (:func:`larger_by_month`, :func:`survivor_benefit`) — with the
    widow's benefit from the start that pays the survivor more over the years ``counted``: at
    once, or from the survivor's full retirement age unreduced, their own benefit alone before
    it.  A survivor may take one benefit first and the other later (deemed filing, §402(r), does
    not reach the widow's benefit); which start pays more depends on the years counted (the
    survivor's expected life).  ``survivor``: (birth year, age at the end of the year of the
    death (…, 1), age at the end of each year (…, T)); ``own``: (the survivor's own benefit a
    year, before any earnings test, the share of each year it is paid).  ``work``: the
    survivor's work (:class:`~dist401k.planner.earnings_test.SurvivorWork`; None: none that
    withholds): the benefits are then net of the earnings test, and the widow's benefit is
    raised at full retirement age for the months withheld.  Real dollars are summed
    undiscounted.  The benefits paid, and what the earnings test withheld."""
    birth = survivor[0]
    fra = step_lookup(law, "social_security.survivor_full_retirement_age", year, birth)
    now, later = (_survivor_start_paid(law, year, (deceased, paid_claim_age), survivor, own,
                                       start, work)
                  for start in (None, fra))
    paid = lambda total: np.where(counted, total, 0.0).sum(axis=-1)  # noqa: E731
    later_pays = (paid(later[0]) > paid(now[0]))[..., None]
    return np.where(later_pays, later[0], now[0]), np.where(later_pays, later[1], now[1])


def _survivor_start_paid(law: Law, year, deceased: tuple, survivor: tuple, own: tuple,
                         start_age, work) -> tuple[np.ndarray, np.ndarray]:
    """The survivor's yearly benefits with the widow's benefit from ``start_age`` (None: at
    once), and what the earnings test withholds from them (arguments as
    :func:`survivor_benefits`; ``deceased``: the deceased and ``paid_claim_age``).  The test
    withholds from the month's benefits together (20 CFR 404.416(b)); the months it withheld
    of the widow's benefit before the survivor's full retirement age are left out of its
    reduction from that age (§402(q)(7))."""
    (dead, paid_claim_age), (birth, at_death, ages) = deceased, survivor
    own_paid, own_months = own
    widow = survivor_benefit(law, year, dead, birth, at_death, ages, paid_claim_age, start_age)
    widow_months = survivor_months(law, year, at_death, ages, start_age)
    total = larger_by_month(own_paid, own_months, widow, widow_months)
    if work is None:
        return total, np.zeros_like(total)
    fra = float(step_lookup(law, "social_security.survivor_full_retirement_age", year, birth))
    withheld, months = work.withhold(total, (np.maximum(own_months, widow_months), widow_months),
                                     fra, ages)
    months = months.sum(axis=-1, keepdims=True)
    if not months.any():
        return total - withheld, withheld
    start = survivor_start(law, year, at_death, start_age)
    gain = (survivor_monthly(law, year, dead, birth, at_death, paid_claim_age, start_age, months)
            - survivor_monthly(law, year, dead, birth, at_death, paid_claim_age, start_age))
    widow = widow + 12 * gain * np.clip(ages - np.maximum(fra, start), 0.0, 1.0)
    return larger_by_month(own_paid, own_months, widow, widow_months) - withheld, withheld


def own_benefit(law: Law, year, birth_year, pia: float, claims: tuple[float, float],
                ends) -> np.ndarray:
    """A person's own yearly benefit (start-year dollars) before the earnings test, on the ages
    ``ends`` at the end of each year: claimed at the first of ``claims``, figured from full
    retirement age as a claim at the second (the months the test withheld left out,
    §402(q)(7))."""
    claim, figured = claims
    fra = full_retirement_age(law, year, birth_year)
    factor = claiming_factor(law, year, birth_year, claim)
    raised = claiming_factor(law, year, birth_year, figured) - factor
    return 12 * pia * (factor * np.clip(ends - claim, 0, 1)
                       + raised * np.clip(ends - np.maximum(fra, claim), 0, 1))


def benefit_price_level(price) -> np.ndarray:
    """The price level a benefit follows (…, years + 1; ``price``: the price level from 1 at the
    plan's start along its last axis): the highest so far.  A cost-of-living increase is made
    only when the CPI rose over the measuring period, never a cut (42 U.S.C. §415(i)(1), (2);
    20 CFR 404.275(a)), and that period begins with the quarter of the last increase (20 CFR
    404.274(b)(1)(ii)), so after a fall in prices the benefit rises again only past the last
    peak."""
    return np.maximum.accumulate(np.asarray(price, dtype=float), axis=-1)
