"""The planner page asks `people[].medicare_from_age` (the age Medicare Part B and Part D begin
for one still covered by an employer's group health plan, 42 U.S.C. §1395p(i)): labelled and
described, its least the law's eligibility age, sent only when given, and a refusal said beside
it (tests/planner/test_medicare_from_age.py has the plan's own figures)."""

from __future__ import annotations

import json

import pytest

from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

NAME = "people.0.medicare_from_age"
#: Born February 12, 1960 (66 in 2026), working until 77 with $90,000 of wages.
FORM = {"start_year": "2026", "people.0.birth_date": "1960-02-12",
        "people.0.retirement_age": "77", "people.0.wages": "90000",
        "people.0.accounts.pretax": "800000", "spending.annual": "60000"}


def _ask(page, base_url, age: str) -> dict:
    page.goto(base_url + "/planner")
    for name, value in FORM.items():
        page.fill(f"[name='{name}']", value)
    page.fill(f"[name='{NAME}']", age)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    return json.loads(req.value.post_data)


def test_the_field_is_labelled_described_and_bounded_by_the_law(page, base_url):
    page.goto(base_url + "/planner")
    el = page.locator(f"[name='{NAME}']")
    assert el.is_visible()
    assert "Medicare Part B" in el.evaluate("e => e.labels[0].textContent")
    help_id = el.get_attribute("aria-describedby").split()[0]
    assert "§1395p(i)" in page.locator(f"[id='{help_id}']").inner_text()
    page.wait_for_function(f"() => document.querySelector(\"[name='{NAME}']\").min === '65'")


def test_an_age_given_is_sent_and_a_blank_is_not(page, base_url):
    sent = _ask(page, base_url, "78")
    assert sent["people"][0]["medicare_from_age"] == 78
    page.wait_for_selector("#plan-results:not([hidden])", timeout=300_000)
    assert "medicare_from_age" not in _ask(page, base_url, "")["people"][0]


def test_a_refusal_is_said_at_the_field(page, base_url):
    """An age past the plan (93: reached in 2053; the page plans to 92 by default, 2052)."""
    _ask(page, base_url, "93")
    said = wait_for_message(page, NAME)
    assert "reached in 2053" in said and "\n" not in said, said
