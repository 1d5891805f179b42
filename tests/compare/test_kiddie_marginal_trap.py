"""The MARGINAL_RATE trap of a child whom the kiddie tax reaches: the rate on the unearned
income above the threshold is the parent's (IRC §1(g)(1); Form 8615 lines 9–13), so the trap
names the parent's bracket and cites §1(g), not the child's own brackets.

2026 (Rev. Proc. 2025-32): married filing jointly, 22% from 100,800 to 211,400, 24% above;
the §63(c)(5)(A) amount 1,350, so Form 8615's threshold (line 2) is 2,700."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from dist401k.case import parse_case
from dist401k.compare import compare_case

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "inherited-grandchild-kiddie-tax.yaml"


def _trap(parent_income: float) -> dict:
    case = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text()))
    case["person"]["parent"]["taxable_income"] = parent_income
    cmp = compare_case(parse_case(case))
    return next(t for t in cmp["traps"] if t["code"] == "MARGINAL_RATE")


def test_the_example_names_the_parents_22_percent_bracket():
    """$30,000 from the inherited 401(k): net unearned income 30,000 − 2,700 = 27,300 on top of
    the parents' 150,000 — 150,000 to 177,300, all in their 22% band."""
    t = _trap(150_000)
    assert "§1(g)" in t["citation"]
    assert "from the 10% to the 12% bracket" not in t["text"]
    assert "above $2,700" in t["text"]
    assert "parent's 22% bracket" in t["text"]
    assert t["figures"]["last_dollar_rate"] == pytest.approx(0.22, abs=1e-6)


def test_a_band_the_parents_income_crosses_is_named_too():
    """Parents at 200,000: 200,000 to 227,300 spans their 22% (to 211,400) and 24% bands."""
    t = _trap(200_000)
    assert "parent's 22% and 24% brackets" in t["text"]
    assert t["figures"]["last_dollar_rate"] == pytest.approx(0.24, abs=1e-6)


def test_where_the_childs_own_rate_wins_the_text_is_the_childs():
    """Parents at 10,000 (joint): line 9 − 10 = 14,800 × 10% + 12,500 × 12% = 2,980, plus line
    15's 135 = 3,115 < 3,190 at her own rates on 28,650 (§1(g)(1)(A)): no kiddie tax, the trap
    speaks of her own brackets (single: 10% to 12,400, 12% above) as for anyone."""
    t = _trap(10_000)
    assert "moves you from the 10% to the 12% bracket" in t["text"]
    assert "§1(g)" not in t["citation"]
