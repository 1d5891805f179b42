"""IRMAA of the years after the last enacted table (2026), worked by hand from the law's text.

* The figures grow by the CPI "rounded to the nearest multiple of $1,000" (42 U.S.C.
  §1395r(i)(5)(B); 20 CFR 418.1115(e)(1)): 2027 single $109,000 × 1.025 = $111,725 →
  $112,000 (not $111,000, as a rounding down gave).
* A joint return uses "dollar amounts which are twice the dollar amounts otherwise
  applicable", the top tier's figure 150 percent (§1395r(i)(3)(C)(ii)); a married person
  filing separately who lived with the spouse has each figure less the single threshold
  (§1395r(i)(3)(C)(iii)): $500,000 − $109,000 = $391,000 in CMS's 2026 table.
* On a path whose prices differ from the law's assumed CPI the CPI-indexed figures follow the
  path's prices (§1395r(i)(5)(A)), as the surcharge amounts already did.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import (
    HEAD_OF_HOUSEHOLD,
    MARRIED_JOINT,
    MARRIED_SEPARATE,
    QUALIFYING_SURVIVING_SPOUSE,
    SINGLE,
)
from dist401k.planner.household import parse_household
from dist401k.planner.medicare import irmaa_tier
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.simulate import surcharge_in_plan

LAW = default_law()  # enacted through 2026, 2.5% assumed CPI


def _get(year: int, status: int) -> list[int]:
    return [int(x) for x in LAW.get("medicare.irmaa_thresholds", year, status)]


def test_the_assumptions_these_figures_rest_on():
    assert LAW.enacted_through == 2026 and LAW.inflation == pytest.approx(0.025)


def test_projected_single_figures_round_to_the_nearest_thousand():
    # 109,000 × 1.025 = 111,725 → 112,000; 137,000 × 1.025 = 140,425 → 140,000;
    # 171,000 × 1.025 = 175,275 → 175,000; 205,000 × 1.025 = 210,125 → 210,000;
    # the top $500,000 held through 2027 (§1395r(i)(5)(C)).
    assert _get(2027, SINGLE) == [112_000, 140_000, 175_000, 210_000, 500_000]
    # 2028: 109,000 × 1.025² = 114,518.13 → 115,000; 500,000 × 1.025 = 512,500 → 513,000
    # (half a thousand goes up).
    got = _get(2028, SINGLE)
    assert got[0] == 115_000 and got[4] == 513_000
    for status in (HEAD_OF_HOUSEHOLD, QUALIFYING_SURVIVING_SPOUSE):
        assert _get(2027, status) == _get(2027, SINGLE)
        assert _get(2040, status) == _get(2040, SINGLE)


def test_projected_joint_figures_are_twice_the_single_and_the_top_150_percent():
    assert _get(2027, MARRIED_JOINT) == [224_000, 280_000, 350_000, 420_000, 750_000]
    single = _get(2028, SINGLE)
    joint = LAW.get("medicare.irmaa_thresholds", 2028, MARRIED_JOINT)
    assert joint[:4].tolist() == [2 * x for x in single[:4]]
    assert joint[0] == 230_000
    assert joint[4] == 769_500  # 150% of 513,000
    for year in (2030, 2036, 2050):
        s = LAW.get("medicare.irmaa_thresholds", year, SINGLE)
        j = LAW.get("medicare.irmaa_thresholds", year, MARRIED_JOINT)
        np.testing.assert_array_equal(j, s * np.array([2, 2, 2, 2, 1.5]))


def test_projected_separate_figures_are_the_single_less_the_single_threshold():
    # 2027: MAGI over 112,000 goes straight to the fourth adjustment, the top from
    # 500,000 − 112,000 = 388,000; 2028: 513,000 − 115,000 = 398,000.
    assert _get(2027, MARRIED_SEPARATE) == [112_000] * 4 + [388_000]
    assert _get(2028, MARRIED_SEPARATE) == [115_000] * 4 + [398_000]


def test_enacted_years_stay_as_enacted():
    assert _get(2026, SINGLE) == [109_000, 137_000, 171_000, 205_000, 500_000]
    assert _get(2026, MARRIED_JOINT) == [218_000, 274_000, 342_000, 410_000, 750_000]
    assert _get(2026, MARRIED_SEPARATE) == [109_000] * 4 + [391_000]
    assert _get(2025, MARRIED_JOINT) == [212_000, 266_000, 334_000, 400_000, 750_000]


# --- a path whose prices rise faster than the law's CPI ----------------------------------------

#: 2036 on a path at 6% a year from 2026 against the law's 2.5%: (1.06 / 1.025)^10
D_2036 = (1.06 / 1.025) ** 10
#: 2036 joint figures: 2 × (109,000 × 1.025^10 = 139,529 → 140,000) = 280,000;
#: 2 × (137,000 × 1.025^10 = 175,372 → 175,000) = 350,000; 2 × (171,000 × 1.025^10 = 218,894
#: → 219,000) = 438,000.


def test_the_thresholds_follow_the_paths_prices():
    assert D_2036 == pytest.approx(1.399, abs=0.001)
    assert _get(2036, MARRIED_JOINT)[:3] == [280_000, 350_000, 438_000]
    # $300,000 of the path's dollars is 300,000 / 1.399 = 214,438 of the law's: below 280,000.
    got = surcharge_in_plan(LAW, 2036, np.array([D_2036, 1.0]), 2, MARRIED_JOINT,
                            np.array([300_000.0, 300_000.0]))
    assert got[0] == 0.0
    assert got[1] > 0.0  # at the law's own prices $300,000 is past 280,000
    # $600,000 is 428,865 of the law's dollars: the second adjustment (past 350,000, not past
    # 438,000), its amount in the path's dollars.
    b = LAW.get("medicare.part_b_irmaa", 2036)
    d = LAW.get("medicare.part_d_irmaa", 2036)
    got = surcharge_in_plan(LAW, 2036, np.array([D_2036]), 2, MARRIED_JOINT, np.array([600_000.0]))
    assert got[0] == pytest.approx(2 * 12 * (b[1] + d[1]) * D_2036)
    assert int(irmaa_tier(LAW, 2036, MARRIED_JOINT, 600_000.0 / D_2036)) == 2


SURVIVOR_AT_6 = {
    "id": "surv6", "start_year": 2026,
    "people": [
        {"name": "Alex", "birth_date": "1956-06-15", "life_expectancy": 80,
         "pension": {"monthly": 15_000, "start_age": 60, "indexed": False,
                     "survivor_fraction": 1.0}},
        {"name": "Jamie", "birth_date": "1956-06-15", "life_expectancy": 73,
         "pension": {"monthly": 10_000, "start_age": 60, "indexed": False,
                     "survivor_fraction": 1.0}}],
    "taxable": {"balance": 3_000_000, "basis": 3_000_000, "dividend_yield": 0},
    "spending": {"annual": 100_000},
    "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "stock_share": 0.6, "inflation": 0.06},
    "strategy": {"objective": "max_estate", "roth_conversions": False},
    "magi_history": [300_000, 300_000]}


def test_a_plan_at_six_percent_tests_its_income_against_thresholds_grown_at_six_percent():
    """Alex survives Jamie (end of 2029) and files single from 2030 on the same $300,000 of
    fixed pensions.  2036 looks back to 2034's $300,000: 300,000 / 1.399 = 214,438 of the law's
    dollars, past 2036's single 175,000 (137,000 × 1.025^10 = 175,372) but not 219,000: the
    second adjustment, not the fourth (past 262,000) that the law's own prices would give."""
    j = plan_json(make_plan(parse_household(SURVIVOR_AT_6), LAW, monte_carlo=False))
    rows = {r["year"]: r for r in j["table"]}
    assert rows[2034]["agi"] == pytest.approx(300_000, abs=1)
    b = LAW.get("medicare.part_b_irmaa", 2036)
    d = LAW.get("medicare.part_d_irmaa", 2036)
    assert rows[2036]["irmaa"] == pytest.approx(12 * (b[1] + d[1]) * D_2036, abs=0.05)


# --- the projected years are marked -----------------------------------------------------------

def test_the_plan_marks_the_years_of_projected_law():
    j = plan_json(make_plan(parse_household({**SURVIVOR_AT_6, "market": {
        **SURVIVOR_AT_6["market"], "inflation": 0.025}}), LAW, monte_carlo=False))
    flags = {r["year"]: r["projected"] for r in j["table"]}
    assert flags[2026] is False
    assert all(flags[y] for y in flags if y > 2026)
    assert j["projected_from"] == 2027


def test_the_terminal_and_the_report_mark_the_projected_years():
    from dist401k.commands.plan import year_row
    from dist401k.plan_report import _year_table_html
    from dist401k.planner.plan import projected_law_text

    j = plan_json(make_plan(parse_household(SURVIVOR_AT_6), LAW, monte_carlo=False))
    cells = {r["year"]: year_row(r, False, False)[0] for r in j["table"]}
    assert cells[2026] == "2026" and cells[2027] == "2027†" and cells[2036] == "2036†"
    note = projected_law_text(j)
    assert note is not None and note.startswith("† projected law: the years from 2027")
    assert "IRMAA" in note
    page = _year_table_html(j)
    assert "<td>2026</td>" in page and "<td>2027†</td>" in page
    assert "projected law: the years from 2027" in page
    # A plan of enacted years alone has no mark and no note.
    assert projected_law_text({"projected_from": 2027, "table": [{"projected": False}]}) is None
