"""A year held below an IRMAA tier stays below it once the simulation adds the interest on the
cash the year takes.

The household: a widow born 1951 (single), $900,000 in an IRA, $150,000 in a Roth IRA, $20,000
of cash at 3%, Social Security of $2,600 a month, $10,000 a year to charity by QCD, in
Pennsylvania, MAGI of $90,000 in the two years before.

Her 2026 MAGI sets her 2028 IRMAA (the return two years before, 42 U.S.C. §1395r(i)(4)).  The
2026 single figure of the first tier is $109,000 (CMS, 2026 Medicare Parts A & B Premiums and
Deductibles; 20 CFR 418.1115); 2028's is grown by the plan's 2.5% inflation and rounded to the
nearest $1,000 (§1395r(i)(5)(A); 20 CFR 418.1115(e)(1)): 109,000 × 1.025² = 114,518.1, so
$115,000.  Past it, the first tier costs her Part B $81.20 and Part D $14.50 a month of 2026,
grown the same way and rounded to the dime: (85.30 + 15.20) × 12 = $1,206 in 2028.

The simulation pays interest on the cash held on 1 January: 3% of $20,000 = $600 in 2026,
though the plan spends the cash that year; the programme's interest is on the cash left after
the year's take (none).  The optimum's 2026, tried below the tier and held 0.5% under it
(MAGI ≤ $114,425 as the programme saw it), came out of the simulation at $115,093.09 — the
$600 and $68 more drawn to settle the tax — $93 past the tier, paying $1,206 in 2028, and the
optimum spent $81,502 a year, less than the same case with conversions capped at $42,300 a
year ($81,551, 2026 MAGI $114,997, no IRMAA): an obvious variant beat the "optimum"."""

from __future__ import annotations

import copy

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()

WIDOW = {
    "id": "widow", "start_year": 2026, "state": "PA",
    "people": [{"name": "Ruth", "birth_date": "1951-03-15", "sex": "female",
                "life_expectancy": 95,
                "social_security": {"monthly_at_full_age": 2600, "claim_age": 66},
                "accounts": {"ira": 900_000, "roth": 150_000, "roth_first_year": 2010}}],
    "cash": 20_000,
    "spending": {"annual": 70_000, "bequest": 0},
    "charity": {"annual": 10_000, "qcd": True},
    "market": {"stocks": 0.07, "bonds": 0.04, "cash": 0.03, "stock_share": 0.5},
    "strategy": {"objective": "max_spending", "heirs_rate": 0.24},
    "magi_history": [90_000, 90_000],
}

#: The 2028 single figure of IRMAA's first tier in the plan's dollars (the docstring's sum).
TIER_2028 = 115_000.0


def _plan(case: dict) -> dict:
    return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))


def test_the_optimum_held_below_a_tier_stays_below_it_with_januarys_interest():
    j = _plan(WIDOW)
    rows = {r["year"]: r for r in j["table"]}
    assert rows[2026]["interest"] == 600.0  # 3% of the $20,000 held on 1 January
    assert rows[2026]["agi"] <= TIER_2028  # before: $115,093.09
    assert rows[2028]["irmaa"] == 0.0  # before: $1,206
    optimum = {s["key"]: s for s in j["strategies"]}["optimal"]
    capped = copy.deepcopy(WIDOW)
    capped["strategy"]["max_conversion"] = 42_300
    variant = {s["key"]: s for s in _plan(capped)["strategies"]}["optimal"]
    # before: $81,502.12 against the capped case's $81,551
    assert optimum["spending_real"] >= variant["spending_real"]
