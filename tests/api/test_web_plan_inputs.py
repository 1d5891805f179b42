"""The planner page takes the plan file's lists and the new person field — spending that changes
(`spending.changes[]`), planned expenses (`spending.expenses[]`), other income
(`other_income[]`), wages from another employer (`people[].wages_from_plan_employer`) — plans
them as `POST /plan` plans the same household written by hand, shows the plan's `spending`
block and the year table's `need` and `other_income` columns, labels and describes every new
field, says a bad entry at its field, and its rows are added and removed by keyboard."""

from __future__ import annotations

import json

import httpx
import pytest

from api.test_web_plan_pension import shown_by_year, strategies_as_the_api
from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

#: One person from 2026, born January 1952 (74 in 2026; plans to 92, so to 2044), still working
#: until 76 for another employer, with $500,000 of plan money and a $400,000 brokerage account;
#: $50,000 a year of spending is to be met (objective: leave the most), 90% of it from 2030 and
#: 70% from the year of turning 80 (2032); a $12,000 mortgage payment, the same dollars,
#: 2026–2030; a $30,000 roof in 2028 (today's dollars); $20,000 of rent a year, the same
#: dollars, 2026–2030.
FORM = {"start_year": "2026", "people.0.birth_date": "1952-01-20",
        "people.0.retirement_age": "76", "people.0.wages": "30000",
        "people.0.accounts.pretax": "500000",
        "people.0.social_security.monthly_at_full_age": "2500",
        "people.0.social_security.claim_age": "70",
        "taxable.balance": "400000", "taxable.basis": "400000",
        "spending.annual": "50000"}
ROWS = {"changes": [{"from_year": "2030", "fraction": "90"}, {"from_age": "80", "fraction": "70"}],
        "expenses": [{"year": "2026", "amount": "12,000", "years": "5", "indexed": False,
                      "label": "mortgage"},
                     {"year": "2028", "amount": "30000", "label": "roof"}],
        "other": [{"annual": "20k", "start_year": "2026", "end_year": "2030", "indexed": False}]}
LIST = {"changes": "spending.changes", "expenses": "spending.expenses", "other": "other_income"}

#: The same household as a plan file, written by hand (docs/plan.md).
FILE = {
    "start_year": 2026,
    "people": [{"birth_date": "1952-01-20", "life_expectancy": 92, "retirement_age": 76, "wages": 30000,
                "wages_from_plan_employer": False, "accounts": {"pretax": 500000},
                "social_security": {"monthly_at_full_age": 2500, "claim_age": 70}}],
    "taxable": {"balance": 400000, "basis": 400000},
    "spending": {"annual": 50000,
                 "changes": [{"from_year": 2030, "fraction": 0.9}, {"from_age": 80, "fraction": 0.7}],
                 "expenses": [{"year": 2026, "amount": 12000, "years": 5, "indexed": False,
                               "label": "mortgage"},
                              {"year": 2028, "amount": 30000, "label": "roof"}]},
    "other_income": [{"annual": 20000, "start_year": 2026, "end_year": 2030, "indexed": False}],
    "strategy": {"objective": "max_estate"},
}


def fill_rows(page, rows: dict) -> None:
    """Adds each row by its Add button and fills it; a checkbox named False is unticked."""
    for kind, entries in rows.items():
        for k, entry in enumerate(entries):
            page.click(f"#add-{kind}")
            for name, value in entry.items():
                field = f"[name='{LIST[kind]}.{k}.{name}']"
                if value is False:
                    page.uncheck(field)
                elif name == "person":
                    page.select_option(field, value)
                else:
                    page.fill(field, value)


def plan_with_rows(page, base_url, who, form, rows, boxes_off=(), objective="max_estate"):
    """Fills the page (``rows`` by their Add buttons; ``boxes_off``: unticked), asks for the
    plan with no Monte Carlo; the household the page sent, once its answer is shown."""
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{who}']")
    for name, value in form.items():
        page.fill(f"[name='{name}']", value)
    fill_rows(page, rows)
    for name in boxes_off:
        page.uncheck(f"[name='{name}']")
    page.select_option("[name='strategy.objective']", objective)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    page.wait_for_selector("#plan-results:not([hidden])", timeout=300_000)
    return json.loads(req.value.post_data)


def api_plan(base_url, household: dict) -> dict:
    r = httpx.post(f"{base_url}/plan?paths=0", json=household, timeout=300)
    assert r.status_code == 200, r.text
    return r.json()


def test_the_new_inputs_plan_as_the_same_household_posted_to_the_api(page, base_url):
    sent = plan_with_rows(page, base_url, "1", FORM, ROWS,
                          boxes_off=("people.0.wages_from_plan_employer",))
    assert sent["spending"]["changes"] == FILE["spending"]["changes"]
    assert sent["spending"]["expenses"] == [dict(FILE["spending"]["expenses"][0]),
                                            dict(FILE["spending"]["expenses"][1], years=1,
                                                 indexed=True)]
    assert sent["other_income"] == [dict(FILE["other_income"][0])]
    assert sent["people"][0]["wages_from_plan_employer"] is False
    api = api_plan(base_url, FILE)
    # By hand (docs/plan.md "Spending that changes"): need_t = (L × profile_t + real expenses_t)
    # × price_t + nominal expenses_t, L = $50,000 (the spending to be met), price_t = (1 + i)^t.
    i = float(page.locator("#inflation").inner_text().split("assumes, ")[1].split("%")[0]) / 100
    need = shown_by_year(page, "data-need")
    assert need[2026] == pytest.approx(50_000 + 12_000, abs=0.01)
    assert need[2028] == pytest.approx((50_000 + 30_000) * (1 + i) ** 2 + 12_000, abs=0.01)
    assert need[2029] == pytest.approx(50_000 * (1 + i) ** 3 + 12_000, abs=0.01)
    assert need[2030] == pytest.approx(0.9 * 50_000 * (1 + i) ** 4 + 12_000, abs=0.01)
    assert need[2031] == pytest.approx(0.9 * 50_000 * (1 + i) ** 5, abs=0.01)
    assert need[2032] == pytest.approx(0.7 * 50_000 * (1 + i) ** 6, abs=0.01)
    assert need[2044] == pytest.approx(0.7 * 50_000 * (1 + i) ** 18, abs=0.01)
    other = shown_by_year(page, "data-other-income")
    assert other == {y: 20_000.0 if y <= 2030 else 0.0 for y in range(2026, 2045)}
    # Wages from another employer: the still-working exception is not hers, so the 2026 RMD is
    # the plan balance over the Uniform Lifetime Table's 25.5 at 74 (Treas. Reg.
    # §1.401(a)(9)-9(c)): $500,000 / 25.5 = $19,607.84.
    assert api["table"][0]["rmd"] == pytest.approx(19_607.84, abs=0.01)
    # The page's plan is the API's on the hand-written plan file.
    assert [r["need"] for r in api["table"]] == list(need.values())
    assert [r["other_income"] for r in api["table"]] == list(other.values())
    strategies_as_the_api(page, api)
    said = page.locator("#spending-plan").inner_text()
    for words in ("from 2030 90% of it, from 2032 (age 80) 70% of it",
                  "mortgage, $12,000 a year (nominal dollars) in 2026–2030",
                  "roof, $30,000 (today's dollars) in 2028"):
        assert words in said, (words, said)
    heads = page.evaluate("() => [...document.querySelectorAll('#years th')].map((h) => h.textContent)")
    assert "spending planned" in heads and "other income" in heads
    assert not page.errors, page.errors


NEW_FIELDS = {"changes": ("from_year", "from_age", "fraction"),
              "expenses": ("year", "amount", "years", "indexed", "label"),
              "other": ("person", "annual", "start_year", "end_year", "indexed")}


def test_every_new_field_has_a_label_and_help(page, base_url):
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='2']")  # a couple: whose other income is asked
    for kind in NEW_FIELDS:
        page.click(f"#add-{kind}")
    names = [f"{LIST[kind]}.0.{f}" for kind, fields in NEW_FIELDS.items() for f in fields]
    names += [f"people.{k}.wages_from_plan_employer" for k in (0, 1)]
    for name in names:
        el = page.locator(f"[name='{name}']")
        assert el.is_visible(), name
        assert el.evaluate("e => e.labels.length") == 1, name
        assert el.evaluate("e => e.labels[0].textContent.trim()"), name
        help_ids = (el.get_attribute("aria-describedby") or "").split()
        assert help_ids, name
        assert page.locator(f"[id='{help_ids[0]}']").inner_text().strip(), name
    described = page.locator("[name='people.0.wages_from_plan_employer']").get_attribute(
        "aria-describedby").split()[0]
    assert "§401(a)(9)(C)" in page.locator(f"[id='{described}']").inner_text()
    # Every help of the page, the rows' included, describes its field (test_web_help_described).
    from api.test_web_help_described import UNLINKED
    assert page.evaluate(UNLINKED) == []
    # Each row a group named by its legend.
    assert page.locator("#rows-expenses fieldset legend").inner_text() == "Planned expense 1"


def test_a_bad_entry_is_said_at_its_field(page, base_url):
    """The page's own bounds (the model's), then those the server alone sees: a year outside
    the plan, a fraction of 20 sent as a program would — each one line beside its field."""
    page.goto(base_url + "/planner")
    page.fill("[name='people.0.birth_date']", "1952-01-20")
    fill_rows(page, {"changes": [{"from_year": "2030", "from_age": "80", "fraction": "2000"},
                                 {"fraction": "50"}]})
    page.click("button[type=submit]")
    assert wait_for_message(page, "spending.changes.0.fraction").startswith("Must be 1000 or less")
    assert wait_for_message(page, "spending.changes.0.from_year") == "Give the year or the age, not both."
    assert wait_for_message(page, "spending.changes.1.from_year") == "Give the year or the age it starts."
    assert page.locator("[name='spending.changes.0.fraction']").get_attribute("aria-invalid") == "true"
    # A fraction of 20 (2,000%) with the page's bound taken away: the server's 10 at most.
    page.click("[aria-label='Remove change of spending 2']")
    page.fill("[name='spending.changes.0.from_age']", "")
    page.evaluate("() => document.querySelector(\"[name='spending.changes.0.fraction']\")"
                  ".removeAttribute('max')")
    page.click("button[type=submit]")
    said = wait_for_message(page, "spending.changes.0.fraction")
    label = page.locator("label[for='spending.changes.0.fraction']").inner_text().strip()
    assert said.startswith(label + ":") and "no more than 10" in said and "\n" not in said, said
    # An expense after the plan's last year (born 1952, to 92: 2044).
    page.fill("[name='spending.changes.0.fraction']", "80")
    fill_rows(page, {"expenses": [{"year": "2050", "amount": "10000"}]})
    page.click("button[type=submit]")
    said = wait_for_message(page, "spending.expenses.0.year")
    assert said.startswith("Year:") and "2050 is outside the plan" in said and "2044" in said, said
    assert "\n" not in said
    # Other income ending before it starts.
    page.click("[aria-label='Remove planned expense 1']")
    fill_rows(page, {"other": [{"annual": "1000", "start_year": "2030", "end_year": "2028"}]})
    page.click("button[type=submit]")
    said = wait_for_message(page, "other_income.0.end_year")
    # The row's own "First year" named, not the plan's (its start_year).
    assert said.startswith("Last year: is before its “First year”") and "\n" not in said, said
    assert page.locator("#plan-results").is_hidden()
    assert not page.errors, page.errors


FOCUS = "() => document.activeElement.name || document.activeElement.id"


def rows_by_keyboard(page, base_url, kind: str, prefix: str, later: tuple[str, ...],
                     noun: str) -> None:
    """The rows of list ``kind`` (its Add button ``#add-KIND``, its fields ``PREFIX.i.year``
    and then ``later``), each named "NOUN i", added by Enter and Space and removed by Enter:
    the focus on the new row's first field, Tab through the fields to the row's Remove
    button, and after a removal on the next row (renumbered, its label and help kept), the
    last one's on the Add button."""
    page.goto(base_url + "/planner")
    page.focus(f"#add-{kind}")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUS) == f"{prefix}.0.year"  # the new row's first field
    page.keyboard.type("2027")
    page.focus(f"#add-{kind}")
    page.keyboard.press("Space")
    assert page.evaluate(FOCUS) == f"{prefix}.1.year"
    page.keyboard.type("2029")
    for _ in later:
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    remove = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert remove == f"Remove {noun.lower()} 2"
    page.focus(f"[aria-label='Remove {noun.lower()} 1']")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUS) == f"{prefix}.0.year"
    assert page.locator(f"[name='{prefix}.0.year']").input_value() == "2029"
    assert page.locator(f"[name='{prefix}.1.year']").count() == 0
    assert page.locator(f"#rows-{kind} legend").all_inner_texts() == [f"{noun} 1"]
    assert page.locator(f"label[for='{prefix}.0.year']").count() == 1
    help_id = page.locator(f"[name='{prefix}.0.year']").get_attribute("aria-describedby")
    assert page.locator(f"[id='{help_id}']").count() == 1
    page.focus(f"[aria-label='Remove {noun.lower()} 1']")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUS) == f"add-{kind}"
    assert page.locator(f"#rows-{kind} .repeat-row").count() == 0
    assert not page.errors, page.errors


def test_the_rows_are_added_and_removed_by_keyboard(page, base_url):
    rows_by_keyboard(page, base_url, "expenses", "spending.expenses", NEW_FIELDS["expenses"][1:],
                     "Planned expense")


def test_the_note_lists_only_what_the_page_does_not_take(page, base_url):
    page.goto(base_url + "/planner")
    text = page.locator("#not-on-page").inner_text()
    # The page runs the model's defaults (bootstrap, seed 1) and says so (a review found it
    # silent on them).
    for words in ("inherited accounts", "72(t)", "dist401k plan", "docs/plan.md",
                  "Monte Carlo model and seed", "seed 1"):
        assert words in text, words
    for taken in ("other income", "spending that changes", "rent"):
        assert taken not in text.lower(), taken


def test_the_rows_fit_a_small_phone(page, base_url):
    """At 320 CSS px the page with a row of each kind does not scroll sideways (WCAG 2.2 SC
    1.4.10)."""
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        page.goto(base_url + "/planner")
        page.check("input[name='who'][value='2']")
        for kind in NEW_FIELDS:
            page.click(f"#add-{kind}")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    finally:
        page.set_viewport_size({"width": 1000, "height": 900})
