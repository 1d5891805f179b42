"""A Social Security claiming age is taken as a whole month, the nearest (docs/plan.md, "Social
Security"): benefits are paid by the month of entitlement (42 U.S.C. §402(a); 20 CFR 404.311)
and reduced or raised by whole months (§402(q), (w)), so the month that sets the benefit's rate
is the month its first payment is made for.

Expected answers worked by hand from SSA's rules ("Benefit reduction for early retirement",
ssa.gov/benefits/retirement/planner/agereduction.html; "Delayed retirement credits",
ssa.gov/benefits/retirement/planner/delayret.html): a reduction of 5/9 of 1% a month for the
first 36 months before full retirement age and 5/12 of 1% a month beyond; a delayed credit of
2/3 of 1% a month after it.  The person: born April 12, 1964 (full retirement age 67, §416(l)),
who attains each age on April 11 (20 CFR 404.102), so is 67 and 0 months throughout April 2031,
62 and 0 months throughout April 2026; PIA $3,200; figures in start-year dollars (the
timeline's, before the cost-of-living increases)."""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.social_security_benefit import claim_month
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PIA = 3_200
START = 2026


@pytest.mark.parametrize("age, months", [
    (67, 67 * 12), (67.04, 67 * 12),             # 0.48 of a month: 67 and 0 months
    (67.0833, 67 * 12 + 1),                        # 67 and 1 month to four decimals
    (67 + 1 / 12, 67 * 12 + 1),
    (66.96, 67 * 12),                              # 66 and 11.52 months: the nearest is 67
    (67 + 1 / 24, 67 * 12 + 1),                    # exactly half a month: up
    (69.6667, 69 * 12 + 8)])
def test_a_claiming_age_is_taken_to_the_nearest_month(age, months):
    assert claim_month(age) * 12 == pytest.approx(months, abs=1e-9)


def _benefit(claim_age: float, year: int) -> float:
    hh = parse_household({
        "id": "m", "start_year": START,
        "people": [{"birth_date": "1964-04-12", "life_expectancy": 90,
                    "social_security": {"monthly_at_full_age": PIA, "claim_age": claim_age},
                    "accounts": {"pretax": 500_000}}],
        "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.03, "inflation": 0.02},
        "strategy": {"medicare": False}})
    return float(build_timeline(hh, LAW).social_security[0, year - START])


@pytest.mark.parametrize("claim_age, year, expected", [
    # 67 and 0 months: April–December 2031, 9 months at 100%: 9 × 3,200 = 28,800.
    (67, 2031, 9 * 3_200),
    # 67.04 is the same month (not 8.52 months from the fractional age): 28,800.
    (67.04, 2031, 9 * 3_200),
    # 67 and 1 month: May–December, 8 months, 1 month of delayed credit, 1 + 2/3% :
    # 8 × 3,200 × 1.0066667 = 25,770.67.
    (67.0833, 2031, 8 * 3_200 * (1 + 1 * 2 / 3 / 100)),
    # 64.96 → 65 and 0 months, April 2029: 24 months early, 1 − 24 × 5/9% = 86.6667%;
    # 9 months × 3,200 × 0.866667 = 24,960.
    (64.96, 2029, 9 * 3_200 * (1 - 24 * 5 / 9 / 100)),
    # 62.54 → 62 and 6 months, October 2026: 54 months early, 1 − (36 × 5/9% + 18 × 5/12%)
    # = 1 − 27.5% = 72.5%; October–December, 3 × 3,200 × 0.725 = 6,960.
    (62.54, 2026, 3 * 3_200 * (1 - (36 * 5 / 9 + 18 * 5 / 12) / 100)),
    # and a whole year later at the same rate: 12 × 3,200 × 0.725 = 27,840.
    (62.54, 2027, 12 * 3_200 * 0.725),
])
def test_the_rate_and_the_first_payment_are_the_same_month(claim_age, year, expected):
    assert _benefit(claim_age, year) == pytest.approx(expected, abs=0.005)


def test_the_terminal_words_the_month_the_plan_figures():
    """``ages_text`` (the terminal's and the report's claiming ages) names the month taken:
    67.96 is 68 and 0 months (67.96 × 12 = 815.52 → 816 months), never "67 y 12 m"."""
    from dist401k.planner.claiming import ages_text

    assert ages_text([69.6667, None]) == "69 y 8 m / —"
    assert ages_text([67.96]) == "68 y 0 m"
    assert ages_text([62.0833]) == "62 y 1 m"


# The bounds are checked on the month the plan takes (docs/plan.md, "The bounds"): the law's
# earliest claiming age, 62 (§416(l)(2)), and last age of delayed credit, 70 (§402(w)), against
# the age rounded to the nearest month.  Worked by hand: 70.03 × 12 = 840.36 months → 840, 70
# and 0 months; 70.05 × 12 = 840.6 → 841, 70 and 1 month, past 70; 61.96 × 12 = 743.52 → 744,
# 62 and 0 months.

def _household(claim_age: float) -> dict:
    return {"id": "b", "start_year": START,
            "people": [{"birth_date": "1964-04-12", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": claim_age},
                        "accounts": {"pretax": 500_000}}],
            "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.03, "inflation": 0.02},
            "strategy": {"medicare": False}}


@pytest.mark.parametrize("claim_age, year, expected", [
    # 70.03 is 70 and 0 months: attained April 11, 2034; 36 months of delayed credit at 2/3 of
    # 1% = 24%; April–December, 9 × 3,200 × 1.24 = 35,712.
    (70.03, 2034, 9 * 3_200 * 1.24),
    # 61.96 is 62 and 0 months, attained April 11, 2026; paid from the first month throughout
    # which 62 is attained, May 2026 (20 CFR 404.311(a)(2)), 59 months before full retirement age
    # (April 2031): 1 − (36 × 5/9% + 23 × 5/12%) = 1 − 29.583% = 70.4167%; May–December,
    # 8 × 3,200 × 0.704167 = 18,026.67.
    (61.96, 2026, 8 * 3_200 * (1 - (36 * 5 / 9 + 23 * 5 / 12) / 100)),
])
def test_an_age_within_half_a_month_of_a_bound_is_taken_as_the_bound(claim_age, year, expected):
    assert _benefit(claim_age, year) == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize("claim_age, words", [
    (70.05, "70 years and 1 month to the nearest month, after 70"),
    (61.95, "61 years and 11 months to the nearest month, before the earliest claiming age, 62"),
    (70 + 1 / 24, "70 years and 1 month to the nearest month, after 70"),   # half a month: up
    (71, "is after 70"),
])
def test_an_age_past_a_bound_once_rounded_is_refused_by_name(claim_age, words):
    from dist401k.errors import InputError

    with pytest.raises(InputError) as exc:
        parse_household(_household(claim_age))
    (problem,) = exc.value.problems
    assert problem.field == "people.0.social_security.claim_age"
    assert words in problem.problem


def test_the_api_refuses_70_05_naming_the_month(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/plan?paths=0", json=_household(70.05))
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["body", "people", 0, "social_security", "claim_age"]
    assert "70 years and 1 month" in detail["msg"]


def test_the_claim_age_description_says_it_is_rounded_to_the_month():
    from dist401k.planner.household import household_schema

    prop = household_schema()["$defs"]["SocialSecurity"]["properties"]["claim_age"]
    assert "rounded to the nearest month" in prop["description"]


def test_the_report_words_a_fixed_claim_age_and_its_month():
    """The report's assumptions name each fixed claiming age as given and, where it is not a
    whole month, the month taken (70.03 → 70 y 0 m; 67.0833 → 67 y 1 m), and say that each is
    rounded to the nearest month."""
    from dist401k.plan_report import _claiming_words

    case = _household(70.03)
    case["people"].append({"birth_date": "1965-06-01", "life_expectancy": 90,
                           "social_security": {"monthly_at_full_age": 1_000, "claim_age": 67.0833}})
    hh = parse_household(case)
    words = _claiming_words(hh, {}, ["Ann", "Bo"])
    assert "claiming ages (fixed): Ann 70.03 (70 y 0 m), Bo 67.0833 (67 y 1 m);" in words
    assert "rounded to the nearest month" in words
    whole = _claiming_words(parse_household(_household(67.5)), {}, ["Ann"])
    assert "claiming ages (fixed): Ann 67.5;" in whole
