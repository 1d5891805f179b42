"""The retirement earnings test (42 U.S.C. §403(b), (f); 20 CFR 404.430–404.435) and the benefit
raised at full retirement age for the months withheld (§402(q)(7)).  Before, a plan paid a
benefit claimed at 62 in full while its owner still earned wages, so claiming early while at
work looked years of benefits better than it is.  Figures from SSA's own examples and the
exempt amounts SSA publishes."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.earnings_test import benefit_withheld, earnings_test_text
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.social_security_benefit import claiming_factor, survivor_limit
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _ends(birth_year: int, birth_month: int, years) -> np.ndarray:
    """The ages at the end of each year, months counted, as the planner's timeline has them."""
    return np.asarray(years, float) - birth_year + (12 - birth_month) / 12


def test_ssas_example_under_full_retirement_age_all_year():
    # SSA, "How Work Affects Your Benefits" (Pub. 05-10069, 2024): benefits filed for at 62
    # in January 2024, $600 a month; $24,920 earned in 2024, $2,600 above $22,320: $1,300
    # withheld, the benefits of January to March (the $500 withheld too many in March is
    # paid back in 2025).
    got = benefit_withheld(LAW, 2024, 1961, (62.0, 600.0), (63.5, 24_920.0),
                           _ends(1961, 12, [2024, 2025]))
    assert got.withheld.tolist() == [1_300.0, 0.0]
    assert got.months == 3
    # At full retirement age the benefit is figured as for a claim three months later.
    assert got.benefit_claim_age == 62.25
    assert float(claiming_factor(LAW, 2024, 1961, got.benefit_claim_age)) == pytest.approx(
        1 - (36 * 5 / 9 + 21 * 5 / 12) / 100)


def test_the_year_of_full_retirement_age_counts_the_months_before_it_only():
    # AARP's example (2024): full retirement age in July, $65,000 earned January to June:
    # a third of the $5,480 above $59,520, $1,827, is withheld; July's earnings on do not
    # count.  Here full retirement age 66½ falls mid-2024 and the wages run all year.
    got = benefit_withheld(LAW, 2024, 1957, (62.0, 2_000.0), (70.0, 130_000.0),
                           np.array([67.0]))
    assert got.withheld[0] == pytest.approx((65_000 - 59_520) / 3)
    assert round(float(got.withheld[0])) == 1_827
    assert got.months == 1


def test_only_months_at_work_after_the_claim_are_withheld_in_the_grace_year():
    # Claimed at 62 (January 2026), retired at the end of March on $200,000 a year: $50,000
    # earned, $12,760 of excess, but the nine months of no work are paid in the grace year
    # (20 CFR 404.435): three months of $1,000 are withheld.
    got = benefit_withheld(LAW, 2026, 1963, (62.0, 1_000.0), (62.25, 200_000.0),
                           _ends(1963, 12, [2026, 2027]))
    assert got.withheld.tolist() == [3_000.0, 0.0]
    assert got.months == 3


@pytest.mark.parametrize(("claim", "retire", "wages"), [
    (67.0, 70.0, 200_000.0),  # claimed at full retirement age: no test
    (62.0, 61.0, 200_000.0),  # retired before claiming
    (62.0, 65.0, 24_000.0),  # wages under the exempt amount
    (62.0, None, 0.0),  # no wages
])
def test_nothing_is_withheld_where_the_test_does_not_reach(claim, retire, wages):
    got = benefit_withheld(LAW, 2026, 1963, (claim, 1_500.0), (retire, wages),
                           _ends(1963, 12, range(2026, 2032)))
    assert got.months == 0 and not got.withheld.any() and got.benefit_claim_age == claim


def _worker(claim=62, retire=65, wages=90_000, life=90) -> dict:
    return {"id": "works-and-claims", "start_year": 2026,
            "people": [{"birth_date": "1963-12-15", "life_expectancy": life,
                        "retirement_age": retire, "wages": wages,
                        "social_security": {"monthly_at_full_age": 2_000, "claim_age": claim}}],
            "taxable": {"balance": 500_000, "basis": 500_000},
            "spending": {"annual": 60_000}}


#: Born December 15, 1963, the worker attains 62 on December 14, 2025 (20 CFR 404.102): a claim
#: at 62 starts in January 2026, the first month throughout which the worker is 62 (42 U.S.C.
#: §402(a)(B)), 59 months before the month of full retirement age (67, attained December 14,
#: 2030): 5/9% × 36 + 5/12% × 23 = 29 7/12% less (§402(q)(1), (9)), $1,408.33 a month.
EARLY = 12 * 2_000 * (1 - (36 * 5 / 9 + 23 * 5 / 12) / 100)


def test_a_plan_withholds_while_at_work_and_raises_the_benefit_at_full_retirement_age():
    # $90,000 a year to 65, claimed at 62 (January 2026): $32,760 of excess a year, more than
    # the year's $16,900 of benefit, so 2026–2028 are withheld whole.  From the month of full
    # retirement age (December 2030) the reduction is figured without those 36 months: as a
    # claim at 65 and 1 month, 23 months early, 87 2/9%.
    tl = build_timeline(parse_household(_worker()), LAW)
    ss = dict(zip(tl.years.tolist(), tl.social_security[0].tolist(), strict=True))
    withheld = dict(zip(tl.years.tolist(), tl.social_security_withheld[0].tolist(), strict=True))
    assert EARLY == pytest.approx(16_900)
    assert [ss[y] for y in (2026, 2027, 2028)] == [0.0, 0.0, 0.0]
    assert [withheld[y] for y in (2026, 2027, 2028)] == pytest.approx([EARLY] * 3)
    raised = 12 * 2_000 * float(claiming_factor(LAW, 2026, 1963, 65 + 1 / 12))
    assert raised == pytest.approx(12 * 2_000 * (1 - 23 * 5 / 900))
    assert ss[2029] == pytest.approx(EARLY)
    assert ss[2030] == pytest.approx((11 * EARLY + raised) / 12)  # December raised
    assert [ss[y] for y in (2031, 2040)] == pytest.approx([raised] * 2)
    assert tl.benefit_claim_age.tolist() == pytest.approx([65 + 1 / 12])


def test_a_plan_without_work_after_the_claim_is_unchanged():
    tl = build_timeline(parse_household(_worker(retire=62, wages=0)), LAW)
    assert not tl.social_security_withheld.any()
    assert tl.social_security[0][0] == pytest.approx(EARLY)
    assert tl.benefit_claim_age.tolist() == pytest.approx([62 + 1 / 12])


def test_the_survivor_is_paid_on_the_raised_benefit():
    # A worker who claimed at 62 while at work to 65 dies at 80 (2043): the widow's limit is
    # figured on the benefit the worker was paid from full retirement age (87 2/9% of the PIA,
    # a claim at 65 and 1 month, above 82½%), not on the claim at 62; the survivor, past full
    # retirement age, is held to it.
    case = _worker(life=80)
    case["people"].append({"birth_date": "1963-12-15", "life_expectancy": 92,
                           "social_security": {"monthly_at_full_age": 0, "claim_age": 67}})
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    raised = 12 * 2_000 * (1 - 23 * 5 / 900)
    assert tl.social_security[1][tl.years >= 2044] == pytest.approx(raised)
    assert float(survivor_limit(LAW, 2026, 1963, 2_000, 62 + 1 / 12, 80.0,
                                65 + 1 / 12)) == pytest.approx(
        raised / 12)
    # The same with random lifetimes, on a path where the worker dies in 2043.
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2080 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[2043 - 2026, long.T]]))
    assert lives.social_security[0][long.years >= 2044] == pytest.approx(raised)


def test_the_plan_reports_what_was_withheld():
    j = plan_json(make_plan(parse_household(_worker()), LAW, monte_carlo=False))
    et = j["earnings_test"]
    assert et["people"][0]["months"] == 36
    assert et["people"][0]["withheld_real"] == pytest.approx(3 * EARLY, abs=1)
    assert et["people"][0]["benefit_claim_age"] == pytest.approx(65 + 1 / 12, abs=1e-4)
    assert "earnings_test" not in plan_json(make_plan(parse_household(_worker(retire=62, wages=0)), LAW,
                                                      monte_carlo=False))


def _one_earner(wages: float) -> dict:
    """A worker (PIA $2,000) claiming at 62 in January 2026 while at work to 65, and a spouse of
    the same age with no record, claiming at 62: a spouse's benefit of half the PIA, paid from
    the same month, 59 months before her full retirement age: 1 − (36 × 25/36% + 23 × 5/12%)
    = 65 5/12% of it ($654.17 a month, §402(q)(1))."""
    case = _worker(wages=wages)
    case["people"].append({"birth_date": "1963-12-15", "life_expectancy": 90,
                           "social_security": {"monthly_at_full_age": 0, "claim_age": 62}})
    return case


#: The spouse's benefit of :func:`_one_earner` a year.
SPOUSE = 12 * 1_000 * (1 - (36 * 25 / 36 + 23 * 5 / 12) / 100)


def test_the_workers_excess_earnings_withhold_the_spouses_benefit_too():
    # $90,000 of wages: $32,760 of excess a year, more than the family's $24,750 ($1,408.33 +
    # $654.17 a month): the worker's and the spouse's benefits are withheld whole in 2026–2028
    # (20 CFR 404.434(b)), then paid.
    tl = build_timeline(parse_household(_one_earner(90_000)), LAW)
    year = {int(y): k for k, y in enumerate(tl.years)}
    assert SPOUSE == pytest.approx(7_850)
    assert [tl.social_security[1, year[y]] for y in (2026, 2027, 2028)] == pytest.approx(
        [0.0] * 3, abs=1e-6)
    assert tl.social_security[1, year[2029]] == pytest.approx(SPOUSE)
    assert [tl.social_security_withheld[1, year[y]] for y in (2026, 2028)] == pytest.approx(
        [SPOUSE] * 2)
    assert tl.benefit_claim_age.tolist() == pytest.approx([65 + 1 / 12, 62 + 1 / 12])
    # Her benefit's reduction is figured again at her full retirement age (December 2030 on)
    # without the 36 months withheld: as a start at 65 and 1 month, 1 - 23 × 25/36% of half the
    # PIA (§402(q)(7)).
    assert tl.social_security[1, year[2031]] == pytest.approx(12 * 1_000 * (1 - 23 * 25 / 3600))


def test_a_family_month_withheld_counts_once():
    # $60,000: $17,760 of excess a year, nine months of the family's $2,062.50 (the ninth in
    # part): $17,760 withheld a year, in the proportion of the two benefits, and 27 months
    # left out of the worker's reduction at 67 (a claim at 64 and 4 months), not 36.
    tl = build_timeline(parse_household(_one_earner(60_000)), LAW)
    k = int(np.flatnonzero(tl.years == 2027)[0])
    withheld = tl.social_security_withheld[:, k]
    assert withheld.sum() == pytest.approx(17_760)
    assert withheld[1] / withheld.sum() == pytest.approx(SPOUSE / (EARLY + SPOUSE))
    assert tl.benefit_claim_age[0] == pytest.approx(64 + 4 / 12)
    # The spouse's 27 months too: from her full retirement age, as a start at 64 and 4 months,
    # 32 months early: 1 - 32 × 25/36% of half the PIA.
    k = int(np.flatnonzero(tl.years == 2031)[0])
    assert tl.social_security[1, k] == pytest.approx(12 * 1_000 * (1 - 32 * 25 / 3600))


def test_the_plan_says_what_the_spouse_lost_to_the_workers_work():
    j = plan_json(make_plan(parse_household(_one_earner(90_000)), LAW, monte_carlo=False))
    worker, spouse = j["earnings_test"]["people"]
    assert worker["months"] == 36 and spouse["months"] == 0
    assert spouse["withheld_real"] == pytest.approx(3 * SPOUSE, abs=1)
    text = earnings_test_text(j, ["Pat", "Sam"])
    assert "Pat: $50,700" in text and "Sam: $23,550" in text and "spouse's benefit" in text



def test_a_spouses_own_work_withholds_the_spouses_benefit():
    # The worker (born December 15, 1959, PIA $2,000) files at 67 — December 2026, the month
    # he attains it (December 14, 20 CFR 404.102; 404.311(a)(1)) — and does not work; the
    # spouse (born December 15, 1963, no record of her own) is paid the spouse's benefit from
    # that month, in which she attains 63: 48 months early, 70% of $1,000 ($8,400 a year), while
    # she earns $50,000 to 65: $12,760 of excess a year withholds it whole in December 2026
    # and 2027–2028 (20 CFR 404.434(b)(3)). From her full retirement age (December 2030) its
    # reduction is figured without the 25 months: as a start at 65 and 1 month, 1 − 23 × 25/36%.
    case = {"id": "spouse-works", "start_year": 2026,
            "people": [{"birth_date": "1959-12-15", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": 2_000, "claim_age": 67}},
                       {"birth_date": "1963-12-15", "life_expectancy": 90, "retirement_age": 65,
                        "wages": 50_000,
                        "social_security": {"monthly_at_full_age": 0, "claim_age": 62}}],
            "taxable": {"balance": 500_000, "basis": 500_000},
            "spending": {"annual": 60_000}}
    tl = build_timeline(parse_household(case), LAW)
    year = {int(y): k for k, y in enumerate(tl.years)}
    assert [tl.social_security[1, year[y]] for y in (2026, 2027, 2028)] == [0.0, 0.0, 0.0]
    assert [tl.social_security_withheld[1, year[y]] for y in (2026, 2027, 2028)] == pytest.approx(
        [700, 12 * 700, 12 * 700])
    assert tl.social_security[1, year[2029]] == pytest.approx(12 * 700)
    assert tl.social_security[1, year[2031]] == pytest.approx(12 * 1_000 * (1 - 23 * 25 / 3600))
    # Without her work, her benefit from 63 is paid, and stays at 70%.
    case["people"][1].pop("retirement_age")
    case["people"][1].pop("wages")
    tl = build_timeline(parse_household(case), LAW)
    assert tl.social_security[1, year[2026]] == pytest.approx(700)
    assert tl.social_security[1, year[2027]] == pytest.approx(12 * 700)
    assert tl.social_security[1, year[2031]] == pytest.approx(12 * 700)
