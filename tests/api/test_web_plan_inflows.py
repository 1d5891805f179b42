"""The planner page takes money received that is not income (`inflows[]`: a gift, an
inheritance, a home's net proceeds within §121) as rows like its planned expenses: it plans
them as `POST /plan` plans the same household written by hand, states the plan's `inflows`
block in words, shows the year table's `inflows` column ("received") and a bar of it in the
income chart, labels and describes each field, says a bad year at its field, and its rows are
added and removed by keyboard."""

from __future__ import annotations

import json

import pytest

from api.test_web_plan_inputs import api_plan, rows_by_keyboard
from api.test_web_plan_pension import shown_by_year, strategies_as_the_api
from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

#: One person born March 1960 (66 in 2026), planning to 75 (2026–2035, ten years), with
#: $1,000,000 of qualified Roth money (no tax), zero returns, and $200,000 of a house sale
#: received in 2030 (today's dollars).
FORM = {"start_year": "2026", "people.0.birth_date": "1960-03-01",
        "people.0.life_expectancy": "75", "people.0.accounts.roth": "1,000,000",
        "spending.annual": "60000"}
ROWS = {"inflows": [{"year": "2030", "amount": "200k", "label": "house sale"}]}
ZERO_RETURNS = {"market.stocks": "0", "market.bonds": "0"}

#: The same household as a plan file, written by hand (docs/plan.md "Money coming in"); the
#: cash's interest and the inflation, which the page does not take, are set to 0 in both.
FILE = {
    "start_year": 2026,
    "people": [{"birth_date": "1960-03-01", "life_expectancy": 75, "accounts": {"roth": 1_000_000},
                "social_security": {"monthly_at_full_age": 0, "claim_age": 67}}],
    "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0, "stock_share": 0.6},
    "spending": {"annual": 60000},
    "inflows": [{"year": 2030, "amount": 200000, "indexed": True, "label": "house sale"}],
}


def fill_rows(page, rows: dict) -> None:
    """Adds each row of money received by its Add button and fills it."""
    for k, entry in enumerate(rows.get("inflows", [])):
        page.click("#add-inflows")
        for name, value in entry.items():
            page.fill(f"[name='inflows.{k}.{name}']", value)


def no_cash_interest_nor_inflation(route):
    """The page's request with the two market figures it does not ask set to 0 (as FILE)."""
    body = json.loads(route.request.post_data)
    body["market"].update(cash=0.0, inflation=0.0)
    route.continue_(post_data=json.dumps(body))


def plan_on_zero_returns(page, base_url, rows: dict) -> dict:
    """Fills FORM, zero stock and bond returns and ``rows``, asks for the most spending with no
    Monte Carlo; the household the page sent, once its answer is shown."""
    page.goto(base_url + "/planner")
    for name, value in FORM.items():
        page.fill(f"[name='{name}']", value)
    fill_rows(page, rows)
    page.select_option("[name='strategy.objective']", "max_spending")
    page.locator("details summary").first.click()
    for name, value in {**ZERO_RETURNS, "paths": "0"}.items():
        page.fill(f"[name='{name}']", value)
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    page.wait_for_selector("#plan-results:not([hidden])", timeout=300_000)
    return json.loads(req.value.post_data)


def test_money_received_plans_as_the_same_household_posted_to_the_api(page, base_url):
    page.route("**/plan?*", no_cash_interest_nor_inflation)
    try:
        sent = plan_on_zero_returns(page, base_url, ROWS)
    finally:
        page.unroute("**/plan?*")
    assert sent["inflows"] == FILE["inflows"]
    assert "basis" not in sent["inflows"][0]
    # By hand (docs/plan.md): all Roth, no tax, zero returns, ten years: 10 L = 1,000,000 +
    # 200,000, L = $120,000 (without the house sale, $100,000).
    level = float(page.locator("#headline").get_attribute("data-spending"))
    assert level == pytest.approx(120_000, abs=1.0)
    assert "$120,000 a year" in page.locator("#headline").inner_text()
    received = shown_by_year(page, "data-inflows")
    assert received == {y: (200_000.0 if y == 2030 else 0.0) for y in range(2026, 2036)}
    api = api_plan(base_url, FILE)
    assert [r["inflows"] for r in api["table"]] == list(received.values())
    strategies_as_the_api(page, api)
    said = page.locator("#inflows-plan").inner_text()
    assert "house sale, $200,000 (today's dollars) in 2030" in said, said
    assert "IRC §102(a)" in said and "§121" in said, said
    heads = page.evaluate("() => [...document.querySelectorAll('#years th')].map((h) => h.textContent)")
    assert "received" in heads
    bars = page.evaluate("() => document.getElementById('chart-income').data"
                         ".filter((t) => t.name === 'money received').map((t) => t.y)")
    assert bars == [[200_000.0 if y == 2030 else 0.0 for y in range(2026, 2036)]]
    assert not page.errors, page.errors


def test_a_plan_without_money_received_shows_none_of_it(page, base_url):
    plan_on_zero_returns(page, base_url, {})
    assert page.locator("#inflows-plan").is_hidden()
    heads = page.evaluate("() => [...document.querySelectorAll('#years th')].map((h) => h.textContent)")
    assert "received" not in heads
    assert page.locator("#years tr[data-inflows]").count() == 0
    names = page.evaluate("() => document.getElementById('chart-income').data.map((t) => t.name)")
    assert "money received" not in names
    assert not page.errors, page.errors


def test_each_field_has_a_label_and_help_and_no_basis_is_asked(page, base_url):
    page.goto(base_url + "/planner")
    page.click("#add-inflows")
    for name in ("year", "amount", "indexed", "label"):
        el = page.locator(f"[name='inflows.0.{name}']")
        assert el.is_visible(), name
        assert el.evaluate("e => e.labels.length") == 1, name
        assert el.evaluate("e => e.labels[0].textContent.trim()"), name
        help_ids = (el.get_attribute("aria-describedby") or "").split()
        assert help_ids, name
        assert page.locator(f"[id='{help_ids[0]}']").inner_text().strip(), name
    assert page.locator("[name='inflows.0.basis']").count() == 0
    assert page.locator("[name='inflows.0.indexed']").is_checked()
    assert page.locator("#rows-inflows fieldset legend").inner_text() == "Money received 1"
    described = page.locator("[name='inflows.0.amount']").get_attribute("aria-describedby").split()[0]
    assert "§102(a)" in page.locator(f"[id='{described}']").inner_text()
    from api.test_web_help_described import UNLINKED
    assert page.evaluate(UNLINKED) == []
    note = page.locator("#not-on-page").inner_text().lower()
    assert "money received" not in note and "inheritance" not in note and "house sale" not in note


def test_a_year_outside_the_plan_is_said_at_its_field(page, base_url):
    """Born 1960, to 75: the plan's years are 2026–2035; money received in 2040 is refused by the
    server (household.py) — one line beside the row's year, named by its label."""
    page.goto(base_url + "/planner")
    for name, value in FORM.items():
        page.fill(f"[name='{name}']", value)
    fill_rows(page, {"inflows": [{"year": "2040", "amount": "5000"}]})
    page.click("button[type=submit]")
    said = wait_for_message(page, "inflows.0.year")
    assert said.startswith("Year received:") and "2040 is outside the plan" in said, said
    assert "2026–2035" in said and "\n" not in said, said
    assert page.locator("[name='inflows.0.year']").get_attribute("aria-invalid") == "true"
    assert page.locator("#plan-results").is_hidden()
    # A negative amount: the page's own bound, before anything is sent.
    page.fill("[name='inflows.0.year']", "2030")
    page.fill("[name='inflows.0.amount']", "-5")
    page.click("button[type=submit]")
    assert wait_for_message(page, "inflows.0.amount").startswith("Must be 0 or more")
    assert not page.errors, page.errors


def test_the_rows_are_added_and_removed_by_keyboard(page, base_url):
    rows_by_keyboard(page, base_url, "inflows", "inflows", ("amount", "indexed", "label"),
                     "Money received")


def test_a_row_fits_a_small_phone(page, base_url):
    """At 320 CSS px the page with a row of money received does not scroll sideways (WCAG 2.2
    SC 1.4.10)."""
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        page.goto(base_url + "/planner")
        page.click("#add-inflows")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    finally:
        page.set_viewport_size({"width": 1000, "height": 900})
