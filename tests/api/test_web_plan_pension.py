"""The planner page takes a pension (a plan file's `people[].pension`: monthly amount, start age,
COLA, survivor share), plans it as `POST /plan` plans the same household written by hand, shows
each year's pension, labels and describes its fields, and shows a bad entry's message at the
field; and it says which plan-file inputs it does not take."""

from __future__ import annotations

import json

import httpx
import pytest

from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

#: A couple from 2026: Pat (born April 1958, 68) has drawn a $2,000 a month pension since 62,
#: no COLA, 50% to the survivor, and plans until 75 (dies at the end of 2033); Lee (born
#: September 1960) plans until 90 (2050) and has no pension.
COUPLE_FORM = {"start_year": "2026",
               "people.0.birth_date": "1958-04-10", "people.0.life_expectancy": "75",
               "people.0.accounts.ira": "400000",
               "people.0.social_security.monthly_at_full_age": "2200",
               "people.0.social_security.claim_age": "67",
               "people.0.pension.monthly": "2,000", "people.0.pension.start_age": "62",
               "people.0.pension.survivor_fraction": "50",
               "people.1.birth_date": "1960-09-20", "people.1.life_expectancy": "90",
               "people.1.accounts.ira": "300000",
               "people.1.social_security.monthly_at_full_age": "1500",
               "people.1.social_security.claim_age": "67",
               "taxable.balance": "100000", "taxable.basis": "80000",
               "spending.annual": "60000", "spending.survivor_fraction": "65"}

#: The same household as a plan file, written by hand (docs/plan.md).
COUPLE_FILE = {
    "start_year": 2026,
    "people": [{"birth_date": "1958-04-10", "life_expectancy": 75, "accounts": {"ira": 400000},
                "social_security": {"monthly_at_full_age": 2200, "claim_age": 67},
                "pension": {"monthly": 2000, "start_age": 62, "survivor_fraction": 0.5}},
               {"birth_date": "1960-09-20", "life_expectancy": 90, "accounts": {"ira": 300000},
                "social_security": {"monthly_at_full_age": 1500, "claim_age": 67}}],
    "taxable": {"balance": 100000, "basis": 80000},
    "spending": {"annual": 60000, "survivor_fraction": 0.65},
}

PENSION_FIELDS = ("monthly", "start_age", "indexed", "survivor_fraction")


def plan_on_the_page(page, base_url, who: str, form: dict, boxes: tuple[str, ...] = ()) -> dict:
    """Fills the page (``boxes``: checkboxes ticked), asks for the plan with no Monte Carlo;
    the household the page sent, once its answer is shown."""
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{who}']")
    for name, value in form.items():
        page.fill(f"[name='{name}']", value)
    for name in boxes:
        page.check(f"[name='{name}']")
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    page.wait_for_selector("#plan-results:not([hidden])", timeout=300_000)
    return json.loads(req.value.post_data)


def shown_by_year(page, attr: str) -> dict[int, float]:
    rows = page.locator("#years tr[data-year]")
    return {int(r.get_attribute("data-year")): float(r.get_attribute(attr)) for r in rows.all()}


def api_plan(base_url, household: dict) -> dict:
    r = httpx.post(f"{base_url}/plan?paths=0", json=household, timeout=300)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_pension_on_the_page_plans_as_the_same_household_posted_to_the_api(page, base_url):
    sent = plan_on_the_page(page, base_url, "2", COUPLE_FORM)
    assert sent["people"][0]["pension"] == {"monthly": 2000, "start_age": 62, "indexed": False,
                                            "survivor_fraction": 0.5}
    assert "pension" not in sent["people"][1]  # no amount given: nothing sent
    # By hand: $2,000 × 12 = $24,000 a year, the same dollars (no COLA), through 2033; from
    # 2034, the year after Pat's death, Lee is paid half: $12,000, to 2050.
    pension = shown_by_year(page, "data-pension")
    assert pension == {y: 24000.0 if y <= 2033 else 12000.0 for y in range(2026, 2051)}
    # The page's plan is the API's on the hand-written plan file.
    api = api_plan(base_url, COUPLE_FILE)
    assert [row["pension"] for row in api["table"]] == list(pension.values())
    strategies_as_the_api(page, api)
    # The income chart's "wages and pensions" bars carry it.
    bars = page.evaluate("""() => document.getElementById('chart-income').data
      .find((t) => t.name === 'wages and pensions').y""")
    assert bars == list(pension.values())
    assert not page.errors, page.errors


def test_a_pension_with_a_cola_grows_with_the_plans_inflation(page, base_url):
    """Indexed (a COLA): the amount is in the plan's first-year dollars, grown by the inflation
    the page states every year, before the pension starts too (docs/plan.md)."""
    form = {"start_year": "2026", "people.0.birth_date": "1960-01-20",
            "people.0.accounts.ira": "500000", "spending.annual": "50000",
            "people.0.pension.monthly": "1000", "people.0.pension.start_age": "62"}
    sent = plan_on_the_page(page, base_url, "1", form, boxes=("people.0.pension.indexed",))
    assert sent["people"][0]["pension"] == {"monthly": 1000, "start_age": 62, "indexed": True}
    inflation = float(page.locator("#inflation").inner_text().split("assumes, ")[1].split("%")[0]) / 100
    pension = shown_by_year(page, "data-pension")
    for k, year in enumerate(range(2026, 2036)):
        assert pension[year] == pytest.approx(12_000 * (1 + inflation) ** k, abs=0.01)
    assert page.locator("[name='people.0.pension.survivor_fraction']").is_hidden()  # no spouse
    assert not page.errors, page.errors


def test_the_pension_fields_have_labels_and_help(page, base_url):
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='2']")
    for k in (0, 1):
        for name in PENSION_FIELDS:
            el = page.locator(f"[name='people.{k}.pension.{name}']")
            assert el.is_visible(), name
            assert el.evaluate("e => e.labels.length") == 1, name
            help_ids = (el.get_attribute("aria-describedby") or "").split()
            assert help_ids, name
            assert page.locator(f"[id='{help_ids[0]}']").inner_text().strip(), name
    described = page.locator("[name='people.0.pension.survivor_fraction']").get_attribute(
        "aria-describedby").split()[0]
    assert "§417(c)(1)" in page.locator(f"[id='{described}']").inner_text()
    described = page.locator("[name='people.0.pension.indexed']").get_attribute(
        "aria-describedby").split()[0]
    assert "inflation" in page.locator(f"[id='{described}']").inner_text()


def test_a_bad_pension_entry_is_said_at_its_field(page, base_url):
    """The page's own bounds (the plan model's), then one the server alone sees: each a
    one-line message beside its field, nothing planned."""
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='2']")
    page.fill("[name='people.0.birth_date']", "1958-04-10")
    page.fill("[name='people.1.birth_date']", "1960-09-20")
    page.fill("[name='people.0.pension.monthly']", "-5")
    page.fill("[name='people.1.pension.survivor_fraction']", "150")
    page.click("button[type=submit]")
    assert wait_for_message(page, "people.0.pension.monthly") == "Must be 0 or more."
    assert wait_for_message(page, "people.1.pension.survivor_fraction").startswith(
        "Must be 100 or less")
    # A start age below the model's 40, sent as a program would (no bound in the page).
    page.fill("[name='people.0.pension.monthly']", "2000")
    page.fill("[name='people.1.pension.survivor_fraction']", "")
    page.evaluate("() => document.querySelector(\"[name='people.0.pension.start_age']\")"
                  ".removeAttribute('min')")
    page.fill("[name='people.0.pension.start_age']", "30")
    page.click("button[type=submit]")
    said = wait_for_message(page, "people.0.pension.start_age")
    label = page.locator("label[for='people.0.pension.start_age']").inner_text().strip()
    assert said.startswith(label + ":") and "40" in said and "\n" not in said
    assert page.locator("#plan-results").is_hidden()
    assert not page.errors, page.errors


def test_the_page_says_which_plan_file_inputs_it_does_not_take(page, base_url):
    page.goto(base_url + "/planner")
    note = page.locator("#not-on-page")
    assert note.is_visible()
    text = note.inner_text()
    for words in ("inherited accounts", "72(t)", "dist401k plan", "docs/plan.md"):
        assert words in text, words


def strategies_as_the_api(page, api: dict) -> None:
    """The page's comparison row by row the API's strategies: the same keys, spending, lifetime
    tax and estate (today's dollars, to the cent)."""
    rows = page.locator("#strategies tr[data-key]")
    assert rows.count() == len(api["strategies"])
    for row, s in zip(rows.all(), api["strategies"], strict=True):
        assert row.get_attribute("data-key") == s["key"]
        for attr, key in (("spending", "spending_real"), ("tax", "lifetime_tax_real"),
                          ("estate", "estate_real")):
            assert float(row.get_attribute(f"data-{attr}")) == pytest.approx(s[key], abs=0.01)
