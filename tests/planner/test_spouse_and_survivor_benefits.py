"""A spouse's Social Security benefit on the other's record (42 U.S.C. §402(b), (c), (k)(3)(A),
(q)): half the worker's primary insurance amount less the spouse's own, from when both have
filed, reduced 25/36 of 1% a month for the first 36 months before the spouse's full retirement
age and 5/12 of 1% beyond, paid while both live.  And the widow's or widower's benefit
(§402(e), (f)): from the deceased's benefit, at least 82½% of the PIA where the deceased
claimed early, from 60, reduced up to 28.5% before the survivor's full retirement age.
Before, a spouse with a small record got only their own benefit, and a survivor the deceased's
benefit at any age.  Figures checked against SSA's published percentages."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.social_security_benefit import (
    spousal_excess,
    spousal_factor,
    survivor_base,
    survivor_factor,
    survivor_limit,
)
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()


@pytest.mark.parametrize(("birth_year", "percent"), [
    # SSA, "Benefit reduction for early retirement": a spouse's benefit as a percentage of the
    # worker's PIA at 62, 63, 64, 65, 66 and 67.  Full retirement age 67 (born 1960 or later)
    # and 66 (born 1943-1954).
    (1962, [32.5, 35.0, 37.5, 41.7, 45.8, 50.0]),
    (1954, [35.0, 37.5, 41.7, 45.8, 50.0, 50.0]),
])
def test_the_spouses_share_at_each_age_is_ssas(birth_year, percent):
    got = [50 * float(spousal_factor(LAW, 2026, birth_year, age)) for age in range(62, 68)]
    assert got == pytest.approx(percent, abs=0.05)


def test_only_the_excess_over_ones_own_is_paid():
    # Half of $2,400 is $1,200: a spouse whose own PIA is $500 gets $700 more; one whose own
    # is $1,300 gets nothing more.
    assert float(spousal_excess(LAW, 2026, 500, 2_400)) == 700
    assert float(spousal_excess(LAW, 2026, 1_300, 2_400)) == 0


def _couple(spouse_claim=67, worker_life=95) -> dict:
    """A worker (PIA $3,000, claims at 67) and a spouse two years younger with no record of
    their own, both born in January (whole years of benefit)."""
    return {"id": "one-earner", "start_year": 2026,
            "people": [{"birth_date": "1960-01-15", "life_expectancy": worker_life,
                        "social_security": {"monthly_at_full_age": 3000, "claim_age": 67}},
                       {"birth_date": "1962-01-15", "life_expectancy": 95,
                        "social_security": {"monthly_at_full_age": 0,
                                            "claim_age": spouse_claim}}],
            "taxable": {"balance": 2_000_000, "basis": 2_000_000},
            "spending": {"annual": 60_000}}


def test_the_spouse_is_paid_from_when_both_have_filed():
    # The spouse files at 67 (2029), after the worker (2027): $1,500 a month from 2030, the
    # first whole year (start-year dollars).
    tl = build_timeline(parse_household(_couple()), LAW)
    year = {int(y): t for t, y in enumerate(tl.years)}
    assert tl.social_security[1, year[2028]] == 0
    assert tl.social_security[1, year[2030]] == pytest.approx(12 * 1_500)
    # Filing at 62 (2024, before the plan) the spouse waits for the worker, who files in
    # 2027 when the spouse is 65 (months 11/12 of 2027): 41.7% of $3,000.
    tl = build_timeline(parse_household(_couple(spouse_claim=62)), LAW)
    assert tl.social_security[1, year[2028]] == pytest.approx(12 * 3_000 * 0.5 * (1 - 24 * 25 / 3600))


def test_at_the_workers_death_the_spouse_gets_the_survivors_benefit_instead():
    # The worker dies at the end of 2040: the spouse's benefit ends, the survivor's (the
    # worker's own, $3,000 at 67) follows.
    tl = build_timeline(parse_household(_couple(worker_life=80)), LAW)
    year = {int(y): t for t, y in enumerate(tl.years)}
    assert tl.social_security[1, year[2040]] == pytest.approx(12 * 1_500)
    assert tl.social_security[1, year[2041]] == pytest.approx(12 * 3_000)
    assert tl.social_security[0, year[2041]] == 0


def test_random_lifetimes_end_the_spouses_benefit_on_each_path_at_the_workers_death():
    hh = parse_household(_couple() | {"people": [
        _couple()["people"][0] | {"sex": "male"}, _couple()["people"][1] | {"sex": "female"}]})
    tl = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2070 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    death = np.array([[tl.T, tl.T], [2040 - 2026, tl.T], [tl.T, 2040 - 2026]])
    lives = path_lives(hh, tl, LAW, death)
    t = 2045 - 2026
    # Both alive: the worker's $3,000 and the spouse's $1,500; the worker dead: the survivor's
    # $3,000 alone; the spouse dead: the worker's own.
    assert lives.social_security[:, t].tolist() == pytest.approx([12 * 4_500, 12 * 3_000,
                                                                  12 * 3_000])


def test_a_one_earner_couple_plans_with_the_spouses_benefit():
    """The plan's Social Security column: the worker's and half of it again for the spouse
    (both at full retirement age), against the worker's alone (the same prices)."""
    couple = plan_json(make_plan(parse_household(_couple()), LAW, monte_carlo=False))
    alone = _couple() | {"people": _couple()["people"][:1]}
    single = plan_json(make_plan(parse_household(alone), LAW, monte_carlo=False))
    for year in (2030, 2035):
        both = next(r for r in couple["table"] if r["year"] == year)["social_security"]
        worker = next(r for r in single["table"] if r["year"] == year)["social_security"]
        assert both == pytest.approx(1.5 * worker, abs=0.02)  # each rounded to the cent


def test_the_claiming_search_tries_a_spouses_filing_age_up_to_full_retirement_age():
    """A spouse with no record of their own still chooses when to file (the spouse's benefit is
    reduced before full retirement age and never raised after it): the search tries the age at
    the plan's start (or 62) to 67 for them, to 70 for the worker."""
    from dist401k.planner.claiming import claim_months

    worker, spouse = claim_months(parse_household(_couple()), LAW)
    # 66 and 64, the ages attained in January 2026 (on the 14th, the day before the birthday,
    # 20 CFR 404.102): a claim at 65 and 11 months would start in December 2025, in the past.
    assert (worker[0], worker[-1]) == (66 * 12, 70 * 12)
    assert (spouse[0], spouse[-1]) == (64 * 12, 67 * 12)
    nobody = _couple()
    nobody["people"][0]["social_security"]["monthly_at_full_age"] = 0
    assert claim_months(parse_household(nobody), LAW) == [None, None]


@pytest.mark.parametrize(("birth_year", "months_to_fra"), [(1962, 84), (1950, 72), (1958, 76)])
def test_a_survivors_benefit_is_715_percent_at_60_and_whole_at_full_age(birth_year,
                                                                       months_to_fra):
    """SSA: a widow(er)'s benefit at 60 is 71.5% of the deceased's amount, 100% at the
    survivor's full retirement age (67 for 1962 and later, 66 for 1945-56, 66 and 4 months for
    1958); between, 28.5% prorated by the months before it."""
    fra = 60 + months_to_fra / 12
    assert float(survivor_factor(LAW, 2026, birth_year, 60)) == pytest.approx(0.715)
    assert float(survivor_factor(LAW, 2026, birth_year, fra)) == 1.0
    assert float(survivor_factor(LAW, 2026, birth_year, 62)) == pytest.approx(
        1 - 0.285 * (months_to_fra - 24) / months_to_fra)


def test_the_deceaseds_amount_the_survivor_gets():
    # PIA $2,000, full retirement age 67 (born 1960).  The widow's benefit before the reduction
    # for age (§402(e)(2)(A), (C)): claimed at 62, the PIA, then limited (after the reduction
    # for age) to the larger of the 70% paid and 82.5%, $1,650 (§402(e)(2)(D); POMS
    # RS 00615.320); claimed at 70: 124%, no limit; died at 68 before claiming: the delayed
    # credits earned to the death, 108%; died at 64 before claiming: the PIA.
    def base(claim, died):
        return float(survivor_base(LAW, 2026, 1960, 2_000, claim, died))

    def limit(claim, died):
        return float(survivor_limit(LAW, 2026, 1960, 2_000, claim, died))

    assert base(62, 80) == pytest.approx(2_000)
    assert limit(62, 80) == pytest.approx(1_650)
    assert limit(62, 61) == np.inf  # died before the claim: never paid a reduced benefit
    assert base(70, 80) == pytest.approx(2_480)
    assert limit(70, 80) == np.inf
    assert base(70, 68) == pytest.approx(2_160)
    assert base(70, 64) == pytest.approx(2_000)


def test_a_survivor_of_an_early_claimer_gets_the_widows_limit():
    # The worker (PIA $3,000) claims at 62 and dies at the end of 2040 (80); the spouse, 78,
    # past full retirement age: 82.5% of $3,000, not the worker's 70 5/12%.  (Born January 15,
    # the worker attains 62 on the 14th: February is the first month throughout which he is 62,
    # §402(a)(B), 59 months before the month he attains 67: 5/9% × 36 + 5/12% × 23 less.)
    case = _couple(worker_life=80)
    case["people"][0]["social_security"]["claim_age"] = 62
    case["start_year"] = 2026
    tl = build_timeline(parse_household(case), LAW)
    year = {int(y): t for t, y in enumerate(tl.years)}
    assert tl.social_security[0, year[2040]] == pytest.approx(
        12 * 3_000 * (1 - (36 * 5 / 9 + 23 * 5 / 12) / 100))
    assert tl.social_security[1, year[2041]] == pytest.approx(12 * 3_000 * 0.825)


def test_a_young_survivor_waits_for_60():
    # The worker (PIA $3,000, to claim at 67) dies at the end of 2027, 67; the spouse turns 56
    # in 2028: nothing before 60 (eleven months of 2032), then, from 2033 on, 71.5%
    # of the worker's amount at death (the PIA: no credit earned in months).
    # (A survivor expected to live to 75: the benefit at 60 pays more than waiting for full
    # retirement age, below.)
    case = _couple(worker_life=67)
    case["people"][1]["birth_date"] = "1972-01-15"
    case["people"][1]["life_expectancy"] = 75
    tl = build_timeline(parse_household(case), LAW)
    year = {int(y): t for t, y in enumerate(tl.years)}
    assert tl.social_security[1, year[2028]] == 0
    assert tl.social_security[1, year[2031]] == 0
    assert tl.social_security[1, year[2033]] == pytest.approx(12 * 3_000 * 0.715)


def test_the_shipped_one_earner_couple_by_hand():
    """examples/plans/couple-one-earner.yaml in 2031, start-year dollars: Sam's $3,400 at 67;
    Robin's own $600 at 64 (36 months early: 80%); Robin's spouse's benefit, $1,700 less $600,
    from 64 (Robin filed first, Sam at 67 when Robin was 63 and 8 months: the later is Robin's
    64), 36 months early: 75%."""
    from dist401k.planner.household import load_household

    hh = load_household("examples/plans/couple-one-earner.yaml")
    tl = build_timeline(hh, LAW)
    t = 2031 - hh.start_year
    assert tl.social_security[0, t] == pytest.approx(12 * 3_400)
    assert tl.social_security[1, t] == pytest.approx(12 * (600 * 0.80 + 1_100 * 0.75))
    # Sam dies at the end of 2046 (84): from 2047 Robin (81) gets Sam's $3,400 as widow.
    assert tl.social_security[1, 2047 - hh.start_year] == pytest.approx(12 * 3_400)
    assert tl.taxable_step_up[2046 - hh.start_year] == 1.0  # Texas: community property


def _widow_at_62(survivor_life: int) -> dict:
    """A worker (PIA $3,000, claimed at 67) who dies at 67, at the end of the year the survivor
    turns 63; the survivor (PIA $500, claimed at 62) lives to ``survivor_life``."""
    return {"id": "young-widow", "start_year": 2026,
            "people": [{"birth_date": "1962-12-15", "life_expectancy": 67,
                        "social_security": {"monthly_at_full_age": 3000, "claim_age": 67}},
                       {"birth_date": "1966-12-15", "life_expectancy": survivor_life,
                        "social_security": {"monthly_at_full_age": 500, "claim_age": 62}}],
            "taxable": {"balance": 2_000_000, "basis": 2_000_000},
            "spending": {"annual": 40_000}}


@pytest.mark.parametrize(("life", "waits"), [(95, True), (72, False)])
def test_a_young_survivor_waits_for_the_unreduced_benefit_where_it_pays_more(life, waits):
    """Widowed at the end of 2029, the year she turns 63: the widow's benefit at once, from
    January 2030 (she attained 63 on December 14, 2029, and attains 67 on December 14, 2033, 20
    CFR 404.102: reduced 28.5% × 47/84, $2,521.61 a month) against her own $352.08 (claimed at
    62, 59 months early) to 67 and then the whole $3,000 (§402(e), (q); deemed filing does not
    reach it). To 95 the wait pays more; to 72 it does not."""
    tl = build_timeline(parse_household(_widow_at_62(life)), LAW)
    year = {int(y): k for k, y in enumerate(tl.years)}
    at_once = 12 * 3_000 * (1 - 0.285 * 47 / 84)
    if waits:
        assert tl.social_security[1, year[2031]] == pytest.approx(
            12 * 500 * (1 - (36 * 5 / 9 + 23 * 5 / 12) / 100))
        assert tl.social_security[1, year[2035]] == pytest.approx(12 * 3_000)
    else:
        assert tl.social_security[1, year[2031]] == pytest.approx(at_once)
        assert tl.social_security[1, year[2035]] == pytest.approx(at_once)
    # Random lifetimes: the same choice on a path where the worker dies that year, made on
    # the survivor's expected life, not the path's.
    hh = parse_household(_widow_at_62(life))
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2090 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[2029 - 2026, long.T]]))
    k = int(np.flatnonzero(long.years == 2035)[0])
    assert lives.social_security[0][k] == pytest.approx(12 * 3_000 if waits else at_once)


def _widowed_in_2026(birth_date: str) -> dict:
    return {"id": "early-death", "start_year": 2026, "people": [
        {"name": "Old", "birth_date": "1937-06-01", "life_expectancy": 89,
         "social_security": {"monthly_at_full_age": 3000, "claim_age": 70},
         "accounts": {"ira": 800000}},
        {"name": "Young", "birth_date": birth_date, "life_expectancy": 90,
         "social_security": {"monthly_at_full_age": 1000, "claim_age": 62},
         "accounts": {"pretax": 0}}],
        "spending": {"annual": 60000, "survivor_fraction": 0.7},
        "magi_history": [100000, 100000]}


@pytest.mark.parametrize(("birth_date", "own_months"), [("1972-06-01", 4), ("1972-11-20", 10)])
def test_the_survivor_switches_to_the_widows_benefit_in_the_month_it_starts(birth_date,
                                                                            own_months):
    """42 U.S.C. §402(k)(3)(A): one entitled to their own benefit and a widow's gets, each
    month, their own and the widow's excess over it — the larger, month by month, not the larger
    of the two years' sums. Old (born 1937, full retirement age 65) claimed at 70: $3,000 ×
    132.5% (6.5% a year of delayed credit for 1937, SSA) = $3,975, and dies in 2026. Young
    claims her own at 62, 59 months before 67 ($1,000 less 5/9% × 36 and 5/12% × 23:
    $704.17), and waits for the unreduced widow's benefit, paid from the month she attains 67
    (20 CFR 404.102): born 1972-06-01, May 31, 2039 — January–April her own, May–December
    $3,975; born 1972-11-20, November 19 — ten months her own, two $3,975."""
    tl = build_timeline(parse_household(_widowed_in_2026(birth_date)), LAW)
    year = {int(y): k for k, y in enumerate(tl.years)}
    own = 1000 * (1 - (36 * 5 / 9 + 23 * 5 / 12) / 100)
    assert tl.social_security[1, year[2038]] == pytest.approx(12 * own)
    assert tl.social_security[1, year[2039]] == pytest.approx(
        own_months * own + (12 - own_months) * 3975)
    assert tl.social_security[1, year[2040]] == pytest.approx(12 * 3975)
    # Random lifetimes: the same on a path where Old dies in 2026.
    hh = parse_household(_widowed_in_2026(birth_date))
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2060 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[0, long.T]]))
    k = int(np.flatnonzero(long.years == 2039)[0])
    assert lives.social_security[0][k] == pytest.approx(own_months * own
                                                        + (12 - own_months) * 3975)
