"""The planner page (headless Chromium) marks the best strategy as the terminal and the report do:
under max_estate never a strategy that leaves the need unpaid, whose row says by how much
(tests/planner/test_plan_best_strategy.py works the case by hand); and under max_spending it
says, in the page's words, that the yearly spending given is not the spending planned."""

from __future__ import annotations

import copy
import json

import pytest

from api.conftest import base_url, page  # noqa: F401  (the browser tests' server and page)
from api.test_web_plan import HOUSEHOLDS, fill
from dist401k.law.loader import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from planner.test_plan_best_strategy import ROTH

pytestmark = pytest.mark.slow


def test_the_page_never_marks_a_strategy_short_of_the_need(page, base_url):  # noqa: F811
    """Ann's Roth IRA under max_estate: the systematic strategy's estate ($81,537) is the
    largest, but it is $31,537.27 short of the need; its row says so and is not marked best."""
    j = plan_json(make_plan(parse_household(copy.deepcopy(ROTH)), default_law(),
                            monte_carlo=False))
    page.goto(base_url + "/planner")
    page.evaluate(f"(p => renderStrategies(p, p.strategies.find((s) => s.key === 'optimal')))"
                  f"({json.dumps(j)})")
    row = page.locator("#strategies tr[data-key='systematic']")
    assert "does not pay the need: $31,537 short" in row.inner_text()
    assert row.get_attribute("class") != "best"
    assert page.locator("#strategies tr.best").count() == 1
    assert "does not pay the need" not in page.locator("#strategies tr.best").inner_text()
    assert not page.errors, page.errors


def test_the_page_says_the_spending_given_is_not_the_one_planned(page, base_url):  # noqa: F811
    """The single retiree, goal "spend the most I can", $70,000 given: the page says the
    $70,000 is not the spending planned, naming the field by its label."""
    fill(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])")
    said = page.locator("#assumptions").inner_text()
    assert "($70,000 a year, today's dollars) is not the spending planned" in said, said
    assert "Yearly spending after tax you have in mind" in said, said
    assert not page.errors, page.errors
