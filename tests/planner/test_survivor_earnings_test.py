"""The retirement earnings test on a widow's or widower's benefit, and its reduction figured
again at the survivor's full retirement age for the months withheld.

42 U.S.C. §403(b), (f); 20 CFR 404.415, 404.416(b), 404.430: the excess earnings of a
beneficiary under full retirement age are deducted from the beneficiary's own monthly benefits,
whatever their kind — a widow's or widower's benefit included (SSA POMS RS 02501.021 B: "retirement,
dependent, or survivor benefits") — $1 for $2 above the lower exempt amount in a year before the
one of full retirement age, $1 for $3 of the earnings of the months before it above the higher
one in that year.  §402(q)(7); SSA Handbook §728.2: where a work deduction was imposed on a
widow(er)'s benefit that began before full retirement age, its reduction is figured again at
full retirement age without those months.

Before, a plan paid a working survivor's widow's benefit in full ("Not modelled: a survivor's
benefit withheld for the survivor's work"): a widow earning $60,000 a year at 61 kept
$18,137.14 a year of benefits of which $17,760 is withheld.  Every figure here is worked from
the statute by hand: the exempt amounts of 2026 ($24,480, $65,160), the widow's reduction of
28.5% at 60 prorated over the 84 months to 67 (§402(q)(1); §416(l)(3)).
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.earnings_test import earnings_test_text
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PIA = 2_000.0
LOWER, HIGHER = 24_480.0, 65_160.0  # the exempt amounts of 2026 (start-year dollars)


def _widow(birth_date: str, life: int, retire: float, wages: float) -> dict:
    """Sam (born January 1962, PIA $2,000, to claim at 67) dies at the end of 2026, at 64,
    before claiming: the widow's benefit is his PIA, $2,000, with no credit and no limit
    (§402(e)(2)(A), (C), (D)).  Lee (own PIA $500, claimed at 67) works to ``retire`` on
    ``wages`` a year."""
    return {"id": "working-widow", "start_year": 2026,
            "people": [{"name": "Sam", "birth_date": "1962-01-15", "life_expectancy": 64,
                        "social_security": {"monthly_at_full_age": PIA, "claim_age": 67},
                        "accounts": {"ira": 300_000}},
                       {"name": "Lee", "birth_date": birth_date, "life_expectancy": life,
                        "retirement_age": retire, "wages": wages,
                        "social_security": {"monthly_at_full_age": 500, "claim_age": 67},
                        "accounts": {"ira": 100_000}}],
            "taxable": {"balance": 200_000, "basis": 200_000},
            "spending": {"annual": 50_000, "survivor_fraction": 0.7}}


def _by_year(tl, row) -> dict[int, float]:
    return {int(y): float(v) for y, v in zip(tl.years, row, strict=True)}


#: Lee born January 15, 1966 attains 61 on January 14, 2027: the widow's benefit from January
#: 2027 is 72 months before the month she attains 67 (her survivor's full retirement age and
#: her own): 1 − 28.5% × 72/84 of $2,000, $1,511.43 a month.
AT_61 = PIA * (1 - 0.285 * 72 / 84)
#: $60,000 a year, $35,520 above $24,480: $17,760 withheld a year (11.75 months of $1,511.43,
#: so 12 months with a deduction, the last in part, 20 CFR 404.434(a)).
EXCESS_60K = (60_000 - LOWER) / 2
#: Withheld in every month of 2027–2031 (60 months; she works to 66, January 2032, whose
#: $5,000 is under the exempt amount): from 67 (January 2033) the reduction is figured as for a
#: start 60 months later, at 66: 1 − 28.5% × 12/84 (§402(q)(7)).
RAISED_AT_67 = PIA * (1 - 0.285 * 12 / 84)


def test_a_working_widow_is_withheld_and_raised_at_full_retirement_age():
    assert AT_61 == pytest.approx(1_511.43, abs=0.005)
    assert EXCESS_60K == 17_760
    assert RAISED_AT_67 == pytest.approx(1_918.57, abs=0.005)
    tl = build_timeline(parse_household(_widow("1966-01-15", 80, 66, 60_000)), LAW)
    ss, withheld = _by_year(tl, tl.social_security[1]), _by_year(tl, tl.social_security_withheld[1])
    for y in range(2027, 2032):
        assert ss[y] == pytest.approx(12 * AT_61 - EXCESS_60K), y  # $377.14 paid
        assert withheld[y] == pytest.approx(EXCESS_60K), y
    assert ss[2032] == pytest.approx(12 * AT_61) and withheld[2032] == 0
    for y in (2033, 2046):
        assert ss[y] == pytest.approx(12 * RAISED_AT_67), y


def test_the_withheld_months_credited_back_are_weighed_in_the_start():
    """Expected to live to 85 (2051).  Without the test, taking the widow's benefit at 61 paid
    6 × $18,137.14 = $108,822.86 before 67 and $5,862.86 a year less for 19 years after
    ($111,394.29): waiting for the whole $2,000 at 67 paid more.  With it, taking it at 61 pays
    5 × $377.14 + $18,137.14 = $20,022.86 before 67 and, raised for the 60 months withheld,
    $977.14 a year less for 19 years ($18,565.71): it pays more, so it is taken."""
    tl = build_timeline(parse_household(_widow("1966-01-15", 85, 66, 60_000)), LAW)
    ss = _by_year(tl, tl.social_security[1])
    assert ss[2027] == pytest.approx(12 * AT_61 - EXCESS_60K)
    assert ss[2033] == pytest.approx(12 * RAISED_AT_67)


#: Lee born July 15, 1966 attains 60 on July 14, 2026: the widow's benefit from January 2027
#: is 78 months before 67 (July 2033): 1 − 28.5% × 78/84 of $2,000, $1,470.71 a month.
AT_60_6 = PIA * (1 - 0.285 * 78 / 84)
#: $180,000 a year withholds every month of 2027–2032 (72 months).  In 2033, the year of full
#: retirement age (July), the earnings of January–June count, $90,000: a third of the $24,840
#: above $65,160, $8,280, is withheld from those six months of $1,470.71 (§403(f)(3)).
EXCESS_FRA_YEAR = (90_000 - HIGHER) / 3


def test_the_year_of_full_retirement_age_counts_the_months_before_it_only():
    assert AT_60_6 == pytest.approx(1_470.71, abs=0.005)
    assert EXCESS_FRA_YEAR == 8_280
    tl = build_timeline(parse_household(_widow("1966-07-15", 80, 68, 180_000)), LAW)
    ss, withheld = _by_year(tl, tl.social_security[1]), _by_year(tl, tl.social_security_withheld[1])
    for y in range(2027, 2033):
        assert ss[y] == pytest.approx(0, abs=1e-6), y
        assert withheld[y] == pytest.approx(12 * AT_60_6), y
    # All 78 months before 67 had a deduction: from July 2033 the whole $2,000 (§402(q)(7)).
    # Paid in 2033: January–June's $8,824.29 less $8,280, and six months of $2,000 (her own
    # $500 from 67 is less).
    assert withheld[2033] == pytest.approx(EXCESS_FRA_YEAR)
    assert ss[2033] == pytest.approx(6 * AT_60_6 - EXCESS_FRA_YEAR + 6 * PIA)
    assert ss[2034] == pytest.approx(12 * PIA)


def test_random_lifetimes_withhold_the_survivors_benefit_too():
    """The Monte Carlo's paths with their own deaths: a path on which Sam dies in 2026 pays Lee
    what the fixed plan pays her."""
    hh = parse_household(_widow("1966-01-15", 80, 66, 60_000))
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2080 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[0, long.T], [long.T, long.T]]))
    got = _by_year(long, lives.social_security[0])
    for y in range(2027, 2032):
        assert got[y] == pytest.approx(12 * AT_61 - EXCESS_60K), y
    assert got[2032] == pytest.approx(12 * AT_61)
    assert got[2040] == pytest.approx(12 * RAISED_AT_67)
    # Where both live, Sam's own $2,000 from 67 (January 2029) and Lee's $500 from 67.
    both = _by_year(long, lives.social_security[1])
    assert both[2030] == pytest.approx(12 * PIA)


def test_a_survivor_who_does_not_work_is_paid_in_full():
    tl = build_timeline(parse_household(_widow("1966-01-15", 80, 60, 60_000)), LAW)
    ss = _by_year(tl, tl.social_security[1])
    assert ss[2027] == pytest.approx(12 * AT_61) and ss[2040] == pytest.approx(12 * AT_61)
    assert not tl.social_security_withheld.any()


def test_the_plan_says_what_the_survivor_lost_to_her_work():
    j = plan_json(make_plan(parse_household(_widow("1966-01-15", 80, 66, 60_000)), LAW,
                            monte_carlo=False))
    lee = j["earnings_test"]["people"][1]
    assert lee["withheld_real"] == pytest.approx(5 * EXCESS_60K, abs=1)
    assert lee["survivor_withheld_real"] == pytest.approx(5 * EXCESS_60K, abs=1)
    assert sorted(lee["years"]) == [str(y) for y in range(2027, 2032)]
    text = earnings_test_text(j, ["Sam", "Lee"])
    assert "Lee: $88,800" in text and "widow's or widower's benefit" in text
