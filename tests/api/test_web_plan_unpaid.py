"""The planner page says under the strategies table what a strategy leaves unpaid of what it
itself is to pay (its ``shortfall``, measured against its ``shortfall_measured_against``), as the
terminal and the report do (docs/plan.md, "Unpaid, in the terminal, the report and the page").

The shipped single-retiree plan (objective max_spending) pays every strategy's own spending, so
the page says nothing is unpaid — whatever ``spending.annual`` is, which max_spending does not
use. The answer is then given a systematic strategy that leaves $164,832.64 of its gift unpaid
(tests/planner/test_systematic_shortfall.py works that figure by hand): the page names it, to
the dollar, $164,833."""

from __future__ import annotations

import re

import pytest

from api.test_web_plan import HOUSEHOLDS, fill

pytestmark = pytest.mark.slow

PLAN = re.compile(r"/plan\?")
GIFT_WORDS = ("the planned expenses and the gift, which it pays beside its share of the balance; "
              "not spending.annual: its share, all of it spent, is its spending")


def test_nothing_unpaid_is_said_where_every_strategy_pays_its_own(page, base_url):
    with page.expect_response(PLAN, timeout=300_000) as res:
        fill(page, base_url, HOUSEHOLDS["single-retiree"], paths="0")
    shorts = {s["key"]: s["shortfall"] for s in res.value.json()["strategies"]}
    # under a dollar over the plan is the rounding of the exact pricing (UNPAID_MIN)
    assert all(v < 1.0 for v in shorts.values()), shorts
    page.wait_for_selector("#strategies tr[data-key]", timeout=300_000)
    assert "Unpaid" not in page.locator("#strategies-state").inner_text()
    assert not page.errors, page.errors


def test_the_systematic_strategys_unpaid_gift_is_named(page, base_url):
    def answer(route):
        response = route.fetch(timeout=300_000)
        plan = response.json()
        s = next(s for s in plan["strategies"] if s["key"] == "systematic")
        s.update(shortfall=164_832.64, shortfall_measured_against=GIFT_WORDS)
        route.fulfill(response=response, json=plan)

    page.route(PLAN, answer)
    try:
        fill(page, base_url, HOUSEHOLDS["single-retiree"], paths="0")
        page.wait_for_selector("#strategies-state:not([hidden])", timeout=300_000)
        said = page.locator("#strategies-state").inner_text()
        assert ("Unpaid on the fixed returns (nominal dollars over the plan): Systematic "
                f"withdrawals (4.0% a year): $164,833, of {GIFT_WORDS}.") in said, said
        assert not page.errors, page.errors
    finally:
        page.unroute(PLAN)
