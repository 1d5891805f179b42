"""What the planner shows of what it planned: the report states the spending planned (its
changes and expenses, the year's ``need``) and the other income; the year table's federal tax
is the sum of its parts as rounded (Form 1040 line 24, as ``dist401k tax`` shows it).

Every answer is worked by hand: a household of Roth money only (qualified: no tax) with zero
returns and no inflation, whose need is the spending level × the profile + the expenses; and
one of pre-tax IRA money at 50, whose tax and 10% tax are read off the 2026 brackets.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LEVEL = 50_000.0  # spending.annual with objective max_estate: the level L itself


def _roth_case(**extra) -> dict:
    """One person born March 1, 1960 (66 in 2026), $1,000,000 of qualified Roth money, zero
    returns and inflation: a plan of 2026–2035 that spends the level, untaxed."""
    return {"id": "report-spending", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1960-03-01", "life_expectancy": 75,
                        "accounts": {"roth": 1_000_000}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
            "strategy": {"objective": "max_estate"},
            "spending": {"annual": LEVEL, "survivor_fraction": 1.0}, **extra}


def _page(case: dict) -> str:
    plan = make_plan(parse_household(case), monte_carlo=False)
    return render_plan_html(plan, prepared=date(2026, 2, 3))


def _year_table(page: str) -> list[dict[str, str]]:
    """The report's year-by-year table as rows of {header: cell text}."""
    part = page[page.index("Year by year"):]
    part = part[:part.index("</table>")]
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>",
                                                                            part, re.S)]
    head = rows[0]
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


STEP_AND_ROOF = {"changes": [{"from_year": 2031, "fraction": 0.5}],
                 "expenses": [{"year": 2028, "amount": 30_000, "label": "roof"}]}


@pytest.fixture(scope="module")
def stepped() -> str:
    case = _roth_case()
    case["spending"] |= STEP_AND_ROOF
    return _page(case)


def test_the_report_states_the_step_down_and_the_expense(stepped):
    """The report says what spending was planned: from 2031 half the level, a $30,000 roof in
    2028 on top, in today's dollars."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", stepped))
    section = text[text.index("Spending planned"):]
    assert re.search(r"2031\s+50%", section), section[:600]
    assert re.search(r"2028\s+30,000\s+today.s dollars\s+roof", section), section[:600]
    assert "from 2031 50% of it" in section
    assert "Planned on top: roof, 30,000 (today's dollars) in 2028." in section


def test_the_reports_year_table_shows_each_years_need(stepped):
    """need_t = L × profile_t + expenses_t: $50,000 in 2026–2027 and 2029–2030, $50,000 +
    $30,000 = $80,000 in 2028, $50,000 × 0.5 = $25,000 from 2031 (zero inflation: nominal is
    today's)."""
    rows = _year_table(stepped)
    hand = {2026: "50,000", 2027: "50,000", 2028: "80,000", 2029: "50,000", 2030: "50,000",
            **{y: "25,000" for y in range(2031, 2036)}}
    assert {int(r["year"].rstrip("†")): r["need"] for r in rows} == hand
    # what was paid is the need: the Roth money pays it, untaxed
    assert {int(r["year"].rstrip("†")): r["spending"] for r in rows} == hand


def test_a_constant_spending_has_no_spending_section_nor_need_column():
    page = _page(_roth_case())
    assert "Spending planned" not in page
    assert "need" not in _year_table(page)[0]


def test_the_report_shows_other_income_in_its_own_column_and_in_the_income():
    """$12,000 of nominal other income a year (not indexed), no wages, pension or Social
    Security: the income of each year is the $12,000, and the other-income column says so."""
    page = _page(_roth_case(other_income=[{"annual": 12_000, "indexed": False}]))
    rows = _year_table(page)
    assert [r["other income"] for r in rows] == ["12,000"] * 10
    assert [r["income"] for r in rows] == ["12,000"] * 10


def _ira_case() -> dict:
    """One person born January 1, 1976 (50 in 2026, so every withdrawal owes the 10% tax of
    IRC §72(t)(1)), single, an IRA of $200,000, zero returns and inflation, no conversions
    and no tax for the heirs (nothing to gain by taking money early): each year the IRA pays
    the after-tax need of $16,725.65 and its tax."""
    return {"id": "cent", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1976-01-01", "life_expectancy": 52,
                        "accounts": {"ira": 200_000}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
            "strategy": {"objective": "max_estate", "roth_conversions": False,
                         "heirs_rate": 0.0},
            "spending": {"annual": 16_725.65}}


def test_the_year_tables_income_tax_is_the_sum_of_its_rounded_parts():
    """2026, single, under 59½ (Rev. Proc. 2025-32: standard deduction $16,100, 10% up to
    $12,400 of taxable income). The withdrawal W pays the need and its tax:
    W − 10% × (W − 16,100) − 10% × W = 16,725.65, so W = (16,725.65 − 1,610) / 0.8 =
    18,894.5625. The tax of Form 1040 line 16 is 10% × 2,794.5625 = 279.45625 → 279.46, the
    10% tax (Schedule 2 line 8) 1,889.45625 → 1,889.46; line 24 adds them as entered:
    2,168.92 (the unrounded sum 2,168.9125 rounds to 2,168.91, the cent the review found)."""
    plan = make_plan(parse_household(_ira_case()), monte_carlo=False)
    row = plan_json(plan)["table"][0]
    assert row["year"] == 2026
    assert row["pretax_withdrawal"] == 18_894.56
    assert row["taxable_income"] == 2_794.56
    assert row["additional_tax_72t"] == 1_889.46
    assert row["income_tax"] == 2_168.92
    # the cash flows keep the unrounded tax: the need is paid to the cent
    o = next(s for s in plan.strategies if s.key == "optimal")
    assert o.result["income_tax"][0, 0] == pytest.approx(2_168.9125, abs=1e-6)
    assert row["spending"] == 16_725.65
