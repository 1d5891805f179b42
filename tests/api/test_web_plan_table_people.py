"""The planner page shows whose money and which account each year (the year table's second
person's wages, pension and Social Security, the IRAs' and the second person's parts of the
pre-tax withdrawal and the conversion), and each year's net cash after tax and what it saved,
beside the gross withdrawals (planner/plan.py year_table; docs/plan.md, "What it prints").

The couple of test_web_plan_pension, worked by hand: Pat (the first person) draws a $2,000 a
month pension, no COLA, half to the survivor, and dies at the end of 2033; Lee, the second, has
no pension of her own: hers is $0 through 2033 and half of Pat's, $12,000, from 2034.  Lee
(born September 1960, full retirement age 67) claims at 67, in September 2027: nothing in
2026; in 2028, twelve months of her $1,500 PIA (half of Pat's $2,200 PIA is less than her own:
no spouse's benefit), grown by the plan's inflation from 2026 (the COLA, 42 U.S.C. §415(i))."""

from __future__ import annotations

import pytest

from api.test_web_plan_pension import COUPLE_FILE, COUPLE_FORM, api_plan, plan_on_the_page

pytestmark = pytest.mark.slow


def _by_year(page, table: str, attr: str) -> dict[int, float]:
    rows = page.locator(f"#{table} tr[data-year]")
    return {int(r.get_attribute("data-year")): float(r.get_attribute(attr)) for r in rows.all()}


def test_the_page_shows_the_second_persons_income_and_the_net_cash(page, base_url):
    plan_on_the_page(page, base_url, "2", COUPLE_FORM)
    heads = page.locator("#whose th").all_text_contents()
    for label in ("Your spouse's wages", "Your spouse's pension", "Your spouse's Social Security",
                  "pre-tax withdrawal: Your spouse's IRAs"):
        assert label in heads
    pension = _by_year(page, "whose", "data-spouse-pension")
    assert pension == {y: 0.0 if y <= 2033 else 12000.0 for y in range(2026, 2051)}
    ss = _by_year(page, "whose", "data-spouse-social-security")
    assert ss[2026] == 0
    api = api_plan(base_url, COUPLE_FILE)  # the plan's assumed inflation, and the API's rows
    assert ss[2028] == pytest.approx(12 * 1500 * (1 + api["inflation"]) ** 2, abs=0.01)
    assert list(ss.values()) == [r["spouse_social_security"] for r in api["table"]]
    years = page.locator("#years th").all_text_contents()
    for label in ("pre-tax withdrawal (gross)", "net cash after tax", "saved"):
        assert label in years
    net = _by_year(page, "years", "data-net-cash")
    assert list(net.values()) == [r["net_cash"] for r in api["table"]]
    assert not page.errors, page.errors
