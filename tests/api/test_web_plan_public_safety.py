"""The planner page states the public safety exception (a plan file's `people[].public_safety`
and `years_of_service_at_retirement`, IRC §72(t)(10)): the box and the years are sent, and the
plan owes no 10% tax, as `POST /plan` answers the same household written by hand."""

from __future__ import annotations

import json

import httpx
import pytest

pytestmark = pytest.mark.slow

#: The reviewer's retired officer: born January 10, 1974, left at 50 (2024), $400,000 in his
#: governmental 401(a), a $2,000 a month pension since 50.
FORM = {"start_year": "2026", "people.0.birth_date": "1974-01-10",
        "people.0.life_expectancy": "85", "people.0.retirement_age": "50",
        "people.0.accounts.pretax": "400000", "people.0.pension.monthly": "2000",
        "people.0.pension.start_age": "50", "spending.annual": "60000"}


def test_the_public_safety_box_is_sent_and_spares_the_10_percent_tax(page, base_url):
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='1']")
    for name, value in FORM.items():
        page.fill(f"[name='{name}']", value)
    page.check("[name='people.0.public_safety']")
    page.fill("[name='people.0.years_of_service_at_retirement']", "22")
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    page.wait_for_selector("#plan-results:not([hidden])", timeout=300_000)
    sent = json.loads(req.value.post_data)
    person = sent["people"][0]
    assert person["public_safety"] is True and person["years_of_service_at_retirement"] == 22
    assert person["separated_at_55"] is False
    # The same household through the API: no year owes the 10% tax.
    r = httpx.post(f"{base_url}/plan?paths=0", json=sent, timeout=300)
    assert r.status_code == 200, r.text
    assert all(row["additional_tax_72t"] == 0 for row in r.json()["table"])
    # The help states the law's age and years (read from the law, not the page).
    label = page.locator("label:has([name='people.0.public_safety'])").inner_text()
    assert "turned 50" in label and "25 years" in label
    assert not page.errors, page.errors


def test_the_page_shows_the_refusal_at_the_box(page, base_url):
    """Born May 1977, already retired: 50 only in 2027, after the plan's first year."""
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='1']")
    page.fill("[name='start_year']", "2026")
    page.fill("[name='people.0.birth_date']", "1977-05-01")
    page.fill("[name='people.0.accounts.pretax']", "300000")
    page.fill("[name='spending.annual']", "40000")
    page.check("[name='people.0.public_safety']")
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    page.click("button[type=submit]")
    err = page.locator("[id='err-people.0.public_safety']:not(:empty)")
    err.wait_for(timeout=60_000)
    assert "2027" in err.inner_text()
    assert not page.errors, page.errors
