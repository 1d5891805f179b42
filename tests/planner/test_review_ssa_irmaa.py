"""Two defects an actuarial review found.

Social Security reads its tables by year of birth (full retirement age, §416(l); the delayed
credit's rate, §402(w)(6); the survivor's full retirement age, §416(l)(3)) with the year in
which the person attains each age: an age is attained the day before the birthday (20 CFR
404.102), so one born on January 1 is read with the year before — SSA's retirement-age chart:
"If you were born on January 1st of any year you should refer to the previous year."  The
planner read the calendar year of birth: born January 1, 1960, it took full retirement age 67
(the chart's 1960) instead of 66 and 10 months (1959).

The top Medicare IRMAA tier starts at its figure itself: "at least $500,000" (42 U.S.C.
§1395r(i)(3)(C)(i)(III), from 2019), "greater than or equal to $500,000" ($750,000 joint,
$391,000 married filing separately: CMS, 2026), the tier below it "less than" that figure.  The
planner put MAGI of exactly $500,000 in the fourth tier.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, MARRIED_SEPARATE, SINGLE
from dist401k.planner.claiming import claim_months
from dist401k.planner.household import parse_household
from dist401k.planner.medicare import irmaa_surcharge, irmaa_tier, tier_below
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.social_security_benefit import (
    claiming_factor,
    full_retirement_age,
    ssa_birth_year,
)
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PIA = 2_000.0
# Born January 1, 1960: read as born in 1959, full retirement age 66 and 10 months, attained
# on October 31, 2026 (the day before the birthday), so paid from October 2026.
FRA_1959 = 66 + 10 / 12


def _one(claim: float, birth: str = "1960-01-01", **person) -> dict:
    return {"start_year": 2026,
            "people": [{"birth_date": birth, "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": claim},
                        "accounts": {"ira": 100_000}, **person}],
            "spending": {"annual": 30_000}, "market": {"inflation": 0.0}}


def _monthly(case: dict, year: int, person: int = 0) -> float:
    tl = build_timeline(parse_household(case), LAW)
    return float(tl.social_security[person, year - 2026]) / 12


@pytest.mark.parametrize(("birth", "year"), [
    (dt.date(1960, 1, 1), 1959), (dt.date(1960, 1, 2), 1960), (dt.date(1960, 12, 31), 1960),
    (dt.date(1943, 1, 1), 1942), (dt.date(1962, 3, 1), 1962)])
def test_the_year_of_birth_social_security_reads(birth, year):
    assert ssa_birth_year(birth) == year


def test_full_retirement_age_of_one_born_on_january_1_is_the_year_befores():
    assert float(full_retirement_age(LAW, 2026, ssa_birth_year(dt.date(1960, 1, 1)))) \
        == pytest.approx(FRA_1959)
    assert float(full_retirement_age(LAW, 2026, ssa_birth_year(dt.date(1960, 1, 2)))) == 67


def test_a_claim_at_full_retirement_age_is_not_reduced():
    """Claimed at 66 and 10 months: $2,000 a month from October 2026 (the tool paid $1,977.78,
    two months early of a full retirement age of 67)."""
    assert _monthly(_one(FRA_1959), 2026) * 12 == pytest.approx(3 * PIA)
    assert _monthly(_one(FRA_1959), 2027) == pytest.approx(PIA)


def test_a_claim_at_70_earns_38_months_of_delayed_credit():
    """From December 2029, 38 months after October 2026: 1 + 38 × 2/3% = 125.33%, $2,506.67
    (the tool: 36 months, $2,480)."""
    assert _monthly(_one(70), 2030) == pytest.approx(PIA * (1 + 38 * 2 / 300))
    assert _monthly(_one(70), 2030) == pytest.approx(2_506.67, abs=0.005)


def test_a_claim_at_62_is_57_months_early():
    """The first month throughout which one born on January 1, 1960 is 62 is January 2022
    (62 attained on December 31, 2021): 57 months before October 2026, 36 × 5/9% + 21 × 5/12% =
    28.75% less, $1,425 (the tool: 59 months, $1,408.33)."""
    assert _monthly(_one(62), 2026) == pytest.approx(1_425.0)
    assert float(claiming_factor(LAW, 2026, 1959, 62 + 1 / 12)) == pytest.approx(0.7125)


def test_the_spouses_benefit_is_reduced_for_the_months_before_the_spouses_own_age():
    """A spouse born January 1, 1960 (no benefit of their own) whose benefit starts at 66:
    10 months before 66 and 10 months, 25/36% each, 6.94% less than half the worker's PIA
    (the tool: 12 months, 8.33%)."""
    case = {"start_year": 2026,
            "people": [{"birth_date": "1958-06-15", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": 67}},
                       {"birth_date": "1960-01-01", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": 0, "claim_age": 66}}],
            "market": {"inflation": 0.0}}
    tl = build_timeline(parse_household(case), LAW)
    assert tl.spousal_benefit[1, 1] == pytest.approx(12 * PIA / 2 * (1 - 10 * 25 / 3600))
    # And the spouse may choose to file up to their own full retirement age, not 67 — where the
    # case leaves the claim open: a claim_age of 66, reached by January 2026 (attained December
    # 31, 2025), is a claim already made, which the search keeps (20 CFR 404.640(a)(4)).
    del case["people"][1]["social_security"]["claim_age"]
    assert claim_months(parse_household(case), LAW)[1][-1] == 66 * 12 + 10


def _widowed(survivor_life: int) -> dict:
    """Pat (born 1950, PIA $2,000 claimed at 66, full retirement age) dies at the end of 2026;
    Lou, born January 1, 1962, with no benefit of their own, is then 65 (attained December 31,
    2026) and is read as born in 1961: a survivor's full retirement age of 66 and 10 months."""
    return {"start_year": 2026,
            "people": [{"name": "Pat", "birth_date": "1950-06-15", "life_expectancy": 76,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": 66},
                        "accounts": {"ira": 300_000}},
                       {"name": "Lou", "birth_date": "1962-01-01",
                        "life_expectancy": survivor_life,
                        "social_security": {"monthly_at_full_age": 0, "claim_age": 67},
                        "accounts": {"ira": 100_000}}],
            "spending": {"annual": 40_000}, "market": {"inflation": 0.0}}


def test_the_widows_benefit_is_reduced_by_the_survivors_own_full_retirement_age():
    """From January 2027, at 65 and 1 month: 21 months before 66 and 10 months, of the 82
    after 60 — 1 − 28.5% × 21/82 of the PIA (the tool: 23 of 84); taken at once, its four
    years paying more than waiting for the whole PIA from October 2027 (39 months).  Fixed
    lifetimes and random ones alike."""
    monthly = PIA * (1 - 0.285 * 21 / 82)
    assert 48 * monthly > 39 * PIA
    hh = parse_household(_widowed(68))
    tl = build_timeline(hh, LAW)
    for year in range(2027, 2031):
        assert tl.social_security[1, year - 2026] == pytest.approx(12 * monthly), year
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2090 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[0, long.T]]))
    k = int(np.flatnonzero(long.years == 2028)[0])
    assert lives.social_security[0][k] == pytest.approx(12 * monthly)


def test_the_earnings_test_stops_at_the_month_of_full_retirement_age():
    """Claimed at 66 while earning $120,000 a year to 68: in 2026, the year full retirement age
    is reached, a third of the wages of the nine months before October above the higher exempt
    amount is withheld (§403(f)(3)) — not of eleven months."""
    case = _one(66, retirement_age=68, wages=120_000)
    tl = build_timeline(parse_household(case), LAW)
    exempt = float(LAW.get("social_security.earnings_test_higher_exempt", 2026))
    third = float(LAW.get("social_security.earnings_test_higher_withholding", 2026))
    assert tl.social_security_withheld[0, 0] == pytest.approx((120_000 * 9 / 12 - exempt) * third)


# --- IRMAA: the top tier from its figure itself ---------------------------------------------

TOP = {2024: (419.30, 81.00), 2025: (443.90, 85.80), 2026: (487.00, 91.00)}
FOURTH_2026 = (446.30, 83.30)


@pytest.mark.parametrize(("year", "status", "figure"), [
    (2024, SINGLE, 500_000), (2024, MARRIED_JOINT, 750_000), (2024, MARRIED_SEPARATE, 397_000),
    (2025, SINGLE, 500_000), (2025, MARRIED_JOINT, 750_000), (2025, MARRIED_SEPARATE, 394_000),
    (2026, SINGLE, 500_000), (2026, MARRIED_JOINT, 750_000), (2026, MARRIED_SEPARATE, 391_000)])
def test_magi_at_the_top_figure_pays_the_top_adjustment(year, status, figure):
    b, d = TOP[year]
    assert float(irmaa_surcharge(LAW, year, status, figure, 1)) == pytest.approx(12 * (b + d))
    assert int(irmaa_tier(LAW, year, status, figure)) == 5
    assert int(irmaa_tier(LAW, year, status, figure - 0.01)) == 4
    # A filing status a path (random lifetimes) counts the same.
    paths = irmaa_tier(LAW, year, np.array([status, SINGLE]), np.array([figure, 0.0]))
    np.testing.assert_array_equal(paths, [5, 0])
    # The other figures still start their tiers above them.
    ends = LAW.get("medicare.irmaa_thresholds", year, status)
    assert int(irmaa_tier(LAW, year, status, ends[0])) == 0


def test_the_top_figures_are_held_until_2028_and_the_others_indexed():
    """The top tier's $500,000 and $750,000 are not adjusted until 2028 (42 U.S.C.
    §1395r(i)(5)(C); 20 CFR 418.1115(e)(2)): 2027 keeps them while the lower figures grow from
    2026's by the assumed inflation; 2028 grows them one year, from 2027 — rounded to the
    nearest $1,000 (§1395r(i)(5)(B)), the joint top figure 150% of the single one
    (§1395r(i)(3)(C)(ii)): 500,000 × 1.025 = 512,500 → 513,000, joint 769,500."""
    assert LAW.inflation == pytest.approx(0.025)
    for status, top, top28 in ((SINGLE, 500_000, 513_000), (MARRIED_JOINT, 750_000, 769_500)):
        ends26, ends27, ends28 = (LAW.get("medicare.irmaa_thresholds", y, status)
                                  for y in (2026, 2027, 2028))
        assert ends26[4] == ends27[4] == top
        assert ends28[4] == top28
        assert ends27[0] > ends26[0]


def test_a_plan_charges_the_top_adjustment_on_500000():
    """A single person on Medicare whose MAGI two years before was $500,000: 12 × ($487.00 +
    $91.00) = $6,936 in 2026 (the tool: the fourth adjustment, $6,355.20)."""
    case = {"start_year": 2026,
            "people": [{"birth_date": "1955-06-15", "life_expectancy": 80,
                        "accounts": {"ira": 1_000_000}}],
            "spending": {"annual": 40_000}, "market": {"inflation": 0.0},
            "magi_history": [500_000, 500_000]}
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    assert row["irmaa"] == pytest.approx(12 * sum(TOP[2026]))


def test_the_tier_below_the_top_holds_magi_under_its_figure():
    """At exactly $500,000 the plan is in the top tier; the tier below is under $500,000, and
    what stepping there saves is the top adjustment less the fourth."""
    lower, step = tier_below(LAW, 2026, SINGLE, 500_000.0, 1)
    assert lower == 500_000.0
    assert step == pytest.approx(12 * ((TOP[2026][0] - FOURTH_2026[0])
                                       + (TOP[2026][1] - FOURTH_2026[1])))
    assert tier_below(LAW, 2026, SINGLE, 499_999.0, 1)[0] == 205_000.0
