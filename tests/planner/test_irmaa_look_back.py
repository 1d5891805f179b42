"""Medicare IRMAA is set by the MAGI and the filing status of the return two years before
(42 U.S.C. §1395r(i)(3), (4); 20 CFR 418.1115): a survivor's first two years are judged on the
couple's joint returns, against the joint thresholds — not on the joint income against a single
person's.  Before, the planner read the current year's status."""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.medicare import irmaa_surcharge
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()


def test_a_survivors_first_two_years_use_the_joint_returns():
    # Both on Medicare; the first dies at the end of 2040.  The plan's inflation is the law's
    # assumed CPI, so the projected years' thresholds are the plan's dollars.
    case = {"id": "irmaa-survivor", "start_year": 2030,
            "people": [{"birth_date": "1955-03-01", "life_expectancy": 85,
                        "accounts": {"pretax": 6_000_000}},
                       {"birth_date": "1955-03-01", "life_expectancy": 95,
                        "accounts": {"pretax": 3_000_000}}],
            "spending": {"annual": 200_000},
            "market": {"inflation": LAW.inflation},
            "magi_history": [300_000, 300_000]}
    rows = {r["year"]: r for r in plan_json(make_plan(parse_household(case), LAW,
                                                       monte_carlo=False))["table"]}
    for year in (2041, 2042):
        magi = rows[year - 2]["agi"]
        joint = float(irmaa_surcharge(LAW, year, MARRIED_JOINT, magi, 1))
        single = float(irmaa_surcharge(LAW, year, SINGLE, magi, 1))
        assert single > joint  # the same income is a higher tier for one person
        assert rows[year]["irmaa"] == pytest.approx(joint, abs=0.02), year
    # From the third year the survivor's own single return.
    magi = rows[2041]["agi"]
    assert rows[2043]["irmaa"] == pytest.approx(
        float(irmaa_surcharge(LAW, 2043, SINGLE, magi, 1)), abs=0.02)


def test_the_tier_below_against_cms_2026():
    """CMS 2026 (single): $109,000 / $137,000 / $171,000 / $205,000 / $500,000; Part B
    adjustments $81.20 … $487.00 and Part D $14.50 … $91.00 a month."""
    from dist401k.planner.medicare import tier_below

    assert tier_below(LAW, 2026, SINGLE, 100_000.0, 1) is None
    lower, step = tier_below(LAW, 2026, SINGLE, 120_000.0, 1)
    assert (lower, step) == (109_000.0, pytest.approx(12 * (81.20 + 14.50)))
    lower, step = tier_below(LAW, 2026, SINGLE, 250_000.0, 2)  # two on Medicare
    assert lower == 205_000.0
    assert step == pytest.approx(2 * 12 * ((446.30 - 324.60) + (83.30 - 60.40)))
    # At the figure itself the tier below applies ("above … up to …").
    assert tier_below(LAW, 2026, SINGLE, 109_000.0, 1) is None


@pytest.mark.parametrize("name", ["early-retiree", "retiree-charity"])
def test_the_optimum_steps_back_below_an_irmaa_tier_where_it_pays(name, monkeypatch):
    """The programme carries IRMAA as a fixed cost of its last solution, so it cannot see a
    tier's cliff: these plans' optima had years a few hundred dollars past a tier, each paying
    the tier's whole surcharge two years later.  Tried again below the tiers, they spend more
    (the exact simulation of both plans) and pay less IRMAA."""
    import yaml

    import dist401k.planner.lp as lp

    with open(f"examples/plans/{name}.yaml") as fh:
        hh = parse_household(yaml.safe_load(fh))

    def optimum() -> dict:
        j = plan_json(make_plan(hh, LAW, monte_carlo=False))
        return {s["key"]: s for s in j["strategies"]}["optimal"]

    stepped = optimum()
    monkeypatch.setattr(lp, "TIER_TRY", 0.0)  # nothing tried below a tier
    past = optimum()
    assert stepped["irmaa"] < past["irmaa"]
    assert stepped["spending_real"] > past["spending_real"] + 100


def test_a_plan_from_2025_pays_the_2026_irmaa_as_published():
    """A plan from 2025 at the law's 2.5% inflation: 2026's IRMAA is CMS's 2026 figure, in
    2026 dollars — not grown by the plan's 2025 inflation once more.  Single, 2024 MAGI
    $250,000 (the fourth tier, $205,000–$500,000): Part B $446.30 + Part D $83.30 a month
    (CMS, 2026 Medicare Parts A & B Premiums and Deductibles; 2026 Part D IRMAA) × 12 =
    $6,355.20 (before the fix $6,514.08, 2.5% more); 2025's: ($406.90 + $78.60) × 12 =
    $5,826.00."""
    case = {"id": "irmaa-2025", "start_year": 2025,
            "people": [{"birth_date": "1955-06-15", "life_expectancy": 85,
                        "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                        "accounts": {"ira": 2_000_000}}],
            "spending": {"annual": 90_000}, "strategy": {"objective": "max_spending"},
            "magi_history": [250_000, 250_000]}
    table = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]
    assert [r["irmaa"] for r in table[:2]] == pytest.approx([5_826.00, 6_355.20], abs=0.005)
