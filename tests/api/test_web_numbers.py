"""Money and number fields of both pages in headless Chromium read what people type and paste:
"$1,200,000", "1,200,000", "70k", "1.2m", " 5000 ", "4%" in a percent field; an entry the page
cannot read ("70x") is said next to its field and nothing is sent. The expected figures are the
entries worked by hand (70k = 70 × 1,000; 1.2m = 1.2 × 1,000,000; 4% in a percent field = 0.04),
and the cases are the ones test_web.py and test_web_plan.py fill with plain digits."""

from __future__ import annotations

import json

import pytest

from api.test_web import CASES, SEPP, fill, the_same_case
from api.test_web_plan import HOUSEHOLDS
from api.web_checks import posts_sent, wait_for_message

pytestmark = pytest.mark.slow


def typed(page, name: str, text: str) -> None:
    """``text`` typed key by key into the field ``name``, emptied first."""
    field = page.locator(f"[name='{name}']")
    field.fill("")
    field.press_sequentially(text)


def pasted(page, name: str, text: str) -> None:
    """``text`` pasted (Ctrl+V from the clipboard) into the field ``name``, emptied first."""
    field = page.locator(f"[name='{name}']")
    field.fill("")
    page.evaluate("t => navigator.clipboard.writeText(t)", text)
    field.focus()
    page.keyboard.press("Control+V")


@pytest.fixture
def clipboard(page, base_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    yield
    page.context.clear_permissions()


def refused_here(page, name: str, submit: str, words: str, path: str | None = None) -> None:
    """Submitting shows ``words`` next to the field ``name`` (its message: ``err-<path>``, the
    name unless given), marks the field invalid, and sends nothing."""
    path = path or name
    with posts_sent(page) as posts:
        page.click(submit)
        page.wait_for_function(f"document.getElementById('err-{path}').textContent.length > 0",
                               timeout=5000)
        assert page.locator(f"[id='err-{path}']").inner_text() == words
        assert page.locator(f"[name='{name}']").get_attribute("aria-invalid") == "true"
        page.wait_for_timeout(300)
    assert posts == []


# The planner ----------------------------------------------------------------------------------

def planner_form(page, base_url) -> None:
    """examples/plans/single-retiree.yaml's household in the planner, as test_web_plan.py fills it."""
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='1']")
    for name, value in HOUSEHOLDS["single-retiree"]["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")


def plan_sent(page) -> dict:
    """The household the planner posts (answered here with a refusal: only what is sent counts)."""
    page.route("**/plan?*", lambda route: route.fulfill(status=503, body=""))
    try:
        with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
            page.click("button[type=submit]")
        return json.loads(req.value.post_data)
    finally:
        page.unroute("**/plan?*")


def test_planner_reads_money_as_people_type_and_paste_it(page, base_url, clipboard):
    planner_form(page, base_url)
    typed(page, "spending.annual", "70k")
    pasted(page, "people.0.accounts.ira", "$1,200,000")
    typed(page, "taxable.balance", "1.2m")
    pasted(page, "taxable.basis", "120,000")
    typed(page, "people.0.social_security.monthly_at_full_age", " 2500 ")
    typed(page, "cash", "1.1M")
    typed(page, "market.bonds", "4%")
    typed(page, "market.stock_share", "60 %")
    sent = plan_sent(page)
    assert sent["spending"]["annual"] == 70_000
    assert sent["people"][0]["accounts"]["ira"] == 1_200_000
    assert sent["taxable"] == {"balance": 1_200_000, "basis": 120_000}
    assert sent["people"][0]["social_security"]["monthly_at_full_age"] == 2_500
    assert sent["cash"] == 1_100_000
    assert sent["market"]["bonds"] == 0.04
    assert sent["market"]["stock_share"] == 0.6
    assert not page.errors, page.errors


@pytest.mark.parametrize(("name", "text", "words"), [
    ("spending.annual", "70x", "Not a number: 70x."),
    ("people.0.accounts.ira", "1,2,3", "Not a number: 1,2,3."),
    ("start_year", "2O26", "Not a number: 2O26."),  # a letter O for a zero
    ("people.0.social_security.claim_age", "sixty", "Not an age: sixty (years and months: 67y 6m, or 67.5)."),
])
def test_planner_says_what_it_cannot_read_and_sends_nothing(page, base_url, name, text, words):
    planner_form(page, base_url)
    typed(page, name, text)
    refused_here(page, name, "button[type=submit]", words)
    assert page.locator("#plan-results").is_hidden()


def test_planner_percent_sign_only_where_a_percent_is_asked(page, base_url):
    """"60%" in the share of employer money (0 to 1) is not read as 60: said, not sent."""
    planner_form(page, base_url)
    typed(page, "people.0.accounts.employer_share", "60%")
    refused_here(page, "people.0.accounts.employer_share", "button[type=submit]",
                 "Not a number: 60% (a percent is not asked here).")


@pytest.mark.parametrize(("name", "text", "words"), [
    ("people.0.accounts.ira", "-5k", "Must be 0 or more."),  # -5,000
    ("people.0.social_security.claim_age", "61", "Must be 62 or more."),  # 42 U.S.C. §402(a): 62
    ("people.0.accounts.roth_first_year", "2,010.5", "Must be a whole number."),
    ("market.stock_share", "101%", "Must be 100 or less (a percent: 4 means 4%)."),
])
def test_planner_bounds_still_hold_on_what_is_read(page, base_url, name, text, words):
    """A readable entry is still checked against the field's bounds (the law's, from /law, on
    the claiming age) and its whole-number step."""
    planner_form(page, base_url)
    typed(page, name, text)
    page.click("button[type=submit]")
    assert wait_for_message(page, name) == words


# The assess page --------------------------------------------------------------------------------

def assess_form(page, base_url, spec) -> None:
    """``spec``'s form as test_web.py fills it, not sent."""
    fill(page, base_url, spec, submit=False)


def posted(page, path: str) -> dict:
    with page.expect_request(lambda r: r.url.endswith(path) and r.method == "POST") as req:
        page.click("#submit")
    return json.loads(req.value.post_data)


def test_assess_page_reads_money_as_people_type_and_paste_it(page, base_url, clipboard):
    spec = CASES["rule-of-55"]
    assess_form(page, base_url, spec)
    typed(page, "income.wages", "24k")
    pasted(page, "src.elective_deferral", "$310,000")
    pasted(page, "src.match", "95,000")
    typed(page, "src.match_vested", "100%")
    typed(page, "request.amount", "0.04M")
    sent = posted(page, "/assess")
    want = the_same_case(spec)  # wages 24,000, sources 310,000 and 95,000, amount 40,000
    assert sent["income"] == want["income"]
    assert sent["account"] == want["account"]
    assert sent["request"] == want["request"]
    page.wait_for_selector("#results:not([hidden])")
    assert not page.errors, page.errors


def test_assess_page_percent_fields_take_a_percent_sign(page, base_url, clipboard):
    assess_form(page, base_url, SEPP)
    pasted(page, "sepp.federal_midterm_rates.0", "3.81%")
    pasted(page, "sepp.balance", "$450,000")
    sent = posted(page, "/sepp")
    assert sent["sepp"]["federal_midterm_rates"] == [0.0381, 0.0379]
    assert sent["sepp"]["balance"] == 450_000


@pytest.mark.parametrize(("name", "path", "text", "words"), [
    ("request.amount", "request.amount", "70x", "Not a number: 70x."),
    ("src.elective_deferral", "account.sources.elective_deferral.balance", "$31O,000",
     "Not a number: $31O,000."),
    ("request.amount", "request.amount", "5%", "Not a number: 5% (a percent is not asked here)."),
])
def test_assess_page_says_what_it_cannot_read_and_sends_nothing(page, base_url, name, path, text,
                                                               words):
    assess_form(page, base_url, CASES["rule-of-55"])
    typed(page, name, text)
    refused_here(page, name, "#submit", words, path)
    assert page.locator("#results").is_hidden()
