"""A survivor's share of a deceased spouse's pension is paid as that pension is: with its
cost-of-living raises where the deceased's pension has them, fixed in dollars where it has
none: the survivor annuity is a part of the deceased's annuity (a joint and survivor annuity,
IRC §417(b)), paid on that plan's terms, whatever the survivor's own pension does.  Before,
the share followed the survivor's own pension's ``indexed`` flag: fixed in dollars for a
survivor with no indexed pension of their own, raised with prices for one with one.

A (born May 10, 1956) has a pension of $2,000 a month from 60, all of it paid on to B
(``survivor_fraction`` 1), and dies at the end of 2030 (74); B lives on.  Prices rise 3% a
year from 2026, so 2031 is 1.03⁵ = 1.159274 of the start year.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()
INFLATION = 0.03


def _case(a_indexed: bool, b_pension: dict | None = None) -> dict:
    b = {"name": "B", "birth_date": "1958-05-10", "life_expectancy": 85,
         "social_security": {"monthly_at_full_age": 1200, "claim_age": 67},
         "accounts": {"ira": 100_000}}
    if b_pension is not None:
        b["pension"] = b_pension
    return {"id": "pension-survivor", "start_year": 2026,
            "people": [{"name": "A", "birth_date": "1956-05-10", "life_expectancy": 74,
                        "pension": {"monthly": 2000, "start_age": 60, "indexed": a_indexed,
                                    "survivor_fraction": 1.0},
                        "social_security": {"monthly_at_full_age": 1500, "claim_age": 67},
                        "accounts": {"ira": 300_000}}, b],
            "spending": {"annual": 50_000, "survivor_fraction": 0.7},
            "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.02, "stock_share": 0.5,
                       "inflation": INFLATION},
            "strategy": {"objective": "max_estate"}}


def _pension(case: dict) -> dict[int, float]:
    j = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))
    return {r["year"]: r["pension"] for r in j["table"]}


def test_the_share_of_an_indexed_pension_keeps_rising_with_prices():
    """A's pension is indexed: B's share in 2031 is $24,000 × 1.03⁵ = $27,822.58, and 3% more
    each year after — not a flat $24,000."""
    got = _pension(_case(a_indexed=True))
    assert got[2030] == pytest.approx(24_000 * 1.03 ** 4, abs=0.01)
    assert got[2031] == pytest.approx(24_000 * 1.03 ** 5, abs=0.01)
    assert got[2031] == pytest.approx(27_822.58, abs=0.01)
    assert got[2032] == pytest.approx(24_000 * 1.03 ** 6, abs=0.01)


def test_the_share_of_a_fixed_pension_stays_fixed_beside_an_indexed_one():
    """A's pension is fixed; B has an indexed $100 a month of her own: 2031 is $24,000 +
    $1,200 × 1.03⁵ = $25,391.13, not all of it raised ($25,200 × 1.03⁵ = $29,213.71)."""
    got = _pension(_case(a_indexed=False, b_pension={"monthly": 100, "start_age": 60,
                                                     "indexed": True}))
    assert got[2031] == pytest.approx(24_000 + 1_200 * 1.03 ** 5, abs=0.01)
    assert got[2031] == pytest.approx(25_391.13, abs=0.01)
    assert got[2035] == pytest.approx(24_000 + 1_200 * 1.03 ** 9, abs=0.01)


@pytest.mark.parametrize(("a_indexed", "fixed", "indexed"), [
    (True, 0.0, 24_000.0), (False, 24_000.0, 1_200.0)])
def test_random_lifetimes_keep_the_deceased_pensions_indexing(a_indexed, fixed, indexed):
    """On a path where A dies in 2030 (B's own indexed $1,200 where A's is fixed): the share is
    in the fixed part (nominal dollars) or the indexed part (start-year dollars) as A's pension
    is."""
    b_pension = None if a_indexed else {"monthly": 100, "start_age": 60, "indexed": True}
    hh = parse_household(_case(a_indexed, b_pension))
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2080 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[2030 - 2026, long.T]]))
    t = 2031 - 2026
    assert lives.pension_fixed[0, t] == pytest.approx(fixed)
    assert lives.pension_indexed[0, t] == pytest.approx(indexed)
