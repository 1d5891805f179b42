"""The retirement earnings test: a benefit claimed before full retirement age while still at
work is withheld in part (42 U.S.C. §403(b), (f); 20 CFR 404.415, 404.430–404.435), and raised
at full retirement age for the months withheld (§402(q)(7); 20 CFR 404.412).

In a year before the one in which the person reaches full retirement age, half the earnings
above the lower exempt amount are withheld; in that year, a third of the earnings of the months
before it above the higher exempt amount; from it on, nothing.  The excess is charged to whole
months of benefit from January (§404.434), so a month is withheld even where part of its
benefit would have covered the rest (the part is repaid the next year).  In the first year
with a month of no work after the benefit starts (the "grace year", §404.435) those months are
paid whatever the year's earnings: in a plan, whose wages stop at retirement, only the months
worked after the claim can be withheld.  At full retirement age the reduction for claiming
early is figured again without the months withheld (§402(q)(7)), so the benefit from then on
is the one of a claim that many months later.

The planner's years are whole calendar years with ages counted in months; wages are the
person's yearly rate, paid to the retirement age.  Figures are start-year dollars: the
exempt amounts of the start year are held in start-year dollars for every year (the law moves
them with the national average wage index).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Law
from dist401k.money import dollars_text
from dist401k.planner.social_security_benefit import full_retirement_age, ssa_birth_year


@dataclass(frozen=True)
class EarningsTest:
    """What the earnings test withholds from one person's own benefit."""

    withheld: np.ndarray  # (T,) start-year dollars withheld in each year
    months: int  # the months with a deduction, left out of the reduction at full retirement age
    benefit_claim_age: float  # the claiming age the benefit is figured at from full retirement age
    #: (T,) withheld from the spouse's benefit on the person's record (the family's, §404.434(b))
    family_withheld: np.ndarray | None = None
    #: the months with a deduction from the spouse's benefit (left out of its reduction)
    family_months: int = 0


def benefit_withheld(law: Law, year: int, birth_year: int, claim: tuple[float, float],
                     work: tuple[float | None, float], ends: np.ndarray,
                     family: tuple[float, np.ndarray] | None = None) -> EarningsTest:
    """The earnings test of one person whose benefit of ``monthly_benefit`` (start-year dollars)
    starts at ``claim_age`` (``claim``: the two) and who earns ``annual_wages`` a year to
    ``retirement_age`` (``work``: the two), in the years whose ends the person reaches the ages
    ``ends`` (T,) (months counted); ``year``: the start year, whose exempt amounts and rates
    are read.  ``family``: the spouse's benefit on the person's record (its monthly amount, the
    months of each year it is paid (T,)), to which the person's excess earnings are charged
    too, month by month with the person's own (§404.434(b); :func:`_family_withheld`)."""
    claim_age, monthly_benefit = claim
    retirement_age, annual_wages = work
    T = ends.shape[0]
    none = EarningsTest(np.zeros(T), 0, float(claim_age), np.zeros(T))
    fra = float(full_retirement_age(law, year, birth_year))
    if retirement_age is None or annual_wages <= 0 or monthly_benefit <= 0 or claim_age >= fra:
        return none
    excess = excess_earnings(law, year, birth_year, (retirement_age, annual_wages), ends)
    open_months = months_at_work(fra, retirement_age, claim_age, ends)
    spouse_monthly, spouse_months = family if family is not None else (0.0, np.zeros(T))
    both = np.minimum(open_months, spouse_months)
    if not both.any():
        withheld = np.minimum(excess, monthly_benefit * open_months)
        family_withheld = np.zeros(T)
        months = int(months_withheld(excess, monthly_benefit, open_months).sum())
        family_months = 0
    else:
        withheld, family_withheld, (months, family_months) = _family_withheld(
            excess, monthly_benefit, spouse_monthly, open_months, both)
    if months == 0:
        return none
    return EarningsTest(withheld, months, min(claim_age + months / 12.0, fra), family_withheld,
                        family_months)


def excess_earnings(law: Law, year: int, birth_year: int, work: tuple[float | None, float],
                    ends: np.ndarray) -> np.ndarray:
    """(T,) the benefits the year's earnings withhold (§403(f)(3)): half the wages above the
    lower exempt amount in a year before the one of full retirement age, a third of the wages of
    the months before it above the higher amount in that year, none after."""
    retirement_age, annual_wages = work
    if retirement_age is None or annual_wages <= 0:
        return np.zeros(ends.shape[0])
    fra = float(full_retirement_age(law, year, birth_year))
    starts = ends - 1.0
    before = fra >= ends  # the whole year comes before the year of full retirement age
    reaching = (starts < fra) & (fra < ends)
    worked = np.where(reaching, min(retirement_age, fra), retirement_age)
    earned = annual_wages * np.clip(worked - starts, 0.0, 1.0)
    return np.where(
        before,
        np.maximum(earned - law.get("social_security.earnings_test_lower_exempt", year), 0.0)
        * law.get("social_security.earnings_test_lower_withholding", year),
        np.where(reaching,
                 np.maximum(earned - law.get("social_security.earnings_test_higher_exempt", year),
                            0.0) * law.get("social_security.earnings_test_higher_withholding", year),
                 0.0))


def months_at_work(fra: float, retirement_age: float | None, start_age: float,
                   ends: np.ndarray) -> np.ndarray:
    """(T,) the months of each year of a benefit started at ``start_age`` that may be withheld:
    paid, before full retirement age, at work."""
    if retirement_age is None:
        return np.zeros(ends.shape[0])
    return np.round(12 * np.clip(np.minimum(min(fra, retirement_age), ends)
                                 - np.maximum(start_age, ends - 1.0), 0.0, 1.0))


def months_withheld(amount: np.ndarray, monthly: float | np.ndarray,
                    months: np.ndarray) -> np.ndarray:
    """(T,) the months ``amount`` withholds from a benefit of ``monthly``: whole months, the last
    in part (§404.434(a)), at most ``months``."""
    return np.minimum(np.ceil(amount / monthly - 1e-9), months)


@dataclass(frozen=True)
class SurvivorWork:
    """A survivor's work, for the earnings test on the benefits paid after the first death: the
    widow's or widower's benefit is withheld for the survivor's own excess earnings as any other
    monthly benefit is (42 U.S.C. §403(b), (f)(1); 20 CFR 404.415, 404.416(b); SSA POMS RS
    02501.021 B: "retirement, dependent, or survivor benefits"), to the survivor's full retirement
    age for an old-age benefit (§416(l)(1)) — not the earlier one of the widow's reduction."""

    excess: np.ndarray  # (T,) the benefits the survivor's earnings withhold each year
    fra: float  # the survivor's full retirement age (the old-age benefit's), for the test
    retirement_age: float  # when the wages stop, on the ages the benefits are counted on

    def withhold(self, total: np.ndarray, shares: tuple[np.ndarray, np.ndarray],
                 survivor_fra: float, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What the test withholds from the survivor's benefits of each year, ``total`` (…, T):
        the excess, at most the benefits of the months paid while at work before full
        retirement age; and the months of the widow's benefit among those withheld before
        ``survivor_fra`` (left out of its reduction there, §402(q)(7)).  ``shares``: the share
        of each year any benefit, and the widow's benefit, is paid (from a month to December).
        The excess is charged to whole months from the first one paid (20 CFR 404.434(a))."""
        paid, widow = shares
        open_months = months_at_work(self.fra, self.retirement_age, ends - paid, ends)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(paid > 0, total / (12 * paid), 0.0)
        withheld = np.minimum(self.excess, rate * open_months)
        months = np.where(withheld > 0, months_withheld(withheld, np.where(rate > 0, rate, 1.0),
                                                        open_months), 0.0)
        # The widow's months start ``lag`` months after the first month paid in the year.
        lag = np.round(12 * np.clip(paid - widow, 0.0, 1.0))
        widow_open = months_at_work(survivor_fra, self.retirement_age, ends - widow, ends)
        return withheld, np.clip(months - lag, 0.0, widow_open)


def survivor_work(law: Law, year: int, birth: dt.date, work: tuple[float | None, float],
                  ends: np.ndarray, counted: np.ndarray) -> SurvivorWork | None:
    """A survivor born ``birth`` who earns ``work`` (retirement age, wages a year), on the ages
    ``ends`` (…, T) at the end of each year as Social Security counts them (the first the
    start ``year``'s): what the earnings test needs (:class:`SurvivorWork`), or None where
    their earnings withhold nothing in the years ``counted`` (T,) (those after the death)."""
    retirement_age, wages = work
    if retirement_age is None or wages <= 0:
        return None
    # The month the wages stop, on the ages the benefits count (as for the person's own benefit).
    counted_end = np.asarray(ends, float).reshape(-1)[0]
    shift = float(counted_end - (year - birth.year + (12 - birth.month) / 12.0))
    by = ssa_birth_year(birth)
    excess = excess_earnings(law, year, by, (retirement_age + shift, wages),
                             np.asarray(ends, float).reshape(-1))
    if not (excess * counted).any():
        return None
    return SurvivorWork(excess, float(full_retirement_age(law, year, by)), retirement_age + shift)


def _family_withheld(excess: np.ndarray, own: float, spouse: float, open_months: np.ndarray,
                     both: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """The excess charged to whole months of the family's benefits (§404.434(b)): first the
    ``both`` months in which the spouse's benefit of ``spouse`` a month is paid beside the
    person's ``own``, the two in proportion, then the months of the person's own alone.  The
    person's own withheld, the spouse's, and the months with a deduction: the person's and the
    spouse's."""
    family = own + spouse
    together = np.minimum(excess, family * both)
    alone = np.minimum(excess - together, own * (open_months - both))
    shared = months_withheld(together, family, both)
    months = shared + months_withheld(alone, own, open_months - both)
    return (together * own / family + alone, together * spouse / family,
            (int(months.sum()), int(shared.sum())))


def earnings_test_text(j: dict, names: list[str]) -> str | None:
    """One sentence for a plan's ``earnings_test`` (:func:`~dist401k.planner.plan.plan_json`):
    whose benefit is withheld, how much and when, and the claim it is figured as from full
    retirement age; None where nothing is withheld."""
    if "earnings_test" not in j:
        return None
    parts = []
    for name, p in zip(names, j["earnings_test"]["people"], strict=True):
        if not p["withheld_real"]:
            continue
        years = sorted(int(y) for y in p["years"])
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        survivor = p.get("survivor_withheld_real")
        parts.append(f"{name}: ${dollars_text(p['withheld_real'])} (today's dollars) in {span}" + (
            f", {p['months']} months, so from full retirement age the benefit is figured as if "
            f"claimed at {_age_text(p['benefit_claim_age'])}" if p["months"] else
            "" if survivor else " of the spouse's benefit") + (
            f", ${dollars_text(survivor)} of it after the death, from the widow's or widower's "
            "benefit with their own (raised from full retirement age for the months withheld)"
            if survivor else ""))
    return ("Social Security withheld while at work before full retirement age (the "
            "earnings test, 42 U.S.C. §403(b), (f); the benefit is raised at full retirement "
            "age for the months withheld, §402(q)(7)): " + "; ".join(parts) + ".")


def _age_text(age: float) -> str:
    """An age in years and months: 65, 62 and 3 months."""
    years, months = divmod(round(age * 12), 12)
    return f"{years}" if not months else f"{years} and {months} month{'s' * (months > 1)}"
