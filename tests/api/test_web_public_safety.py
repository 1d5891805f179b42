"""The assess page asks what the public safety exception needs (IRC §72(t)(10)).

A police officer born 1976-08-01 left his governmental money purchase plan on 2026-03-31, at
49 but in the calendar year he turns 50, and asks for $20,000 in cash on 2026-11-02.  Without
the exception the 10% additional tax is 10% × $20,000 = $2,000 (§72(t)(1): 49 is under 59½, and
the rule of 55 needs the year of 55, §72(t)(2)(A)(v)).  As a qualified public safety employee of a
governmental plan, §72(t)(10)(A) puts "age 50" in place of "age 55": the tax is $0.  The page once
had no box for it, so it charged the $2,000 the API, told, does not.
"""

from __future__ import annotations

import pytest

from api.test_web import fill

pytestmark = pytest.mark.slow

OFFICER = {
    "form": {"person.birth_date": "1976-08-01", "employment.hire_date": "2005-01-10",
             "employment.separation_date": "2026-03-31", "income.wages": "20000",
             "src.match": "200000", "request.amount": "20000", "request.date": "2026-11-02"},
    "selects": {"employment.status": "separated", "plan.type": "money_purchase"},
}


def _cash_penalty(page) -> float:
    row = page.locator("#outcomes tr[data-route='separation'][data-destination='cash']")
    return float(row.get_attribute("data-penalty"))


def test_the_officer_who_ticks_the_box_owes_no_10_percent_tax(page, base_url):
    fill(page, base_url, {**OFFICER, "checks": {"person.qualified_public_safety": True,
                                                "plan.governmental": True}}, submit=False)
    sent = page.evaluate("() => buildCase(document.getElementById('case'))")
    assert sent["person"]["qualified_public_safety"] is True
    assert sent["plan"]["governmental"] is True
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) #outcomes tr[data-route='separation']")
    assert _cash_penalty(page) == pytest.approx(0.0, abs=0.005)
    row = page.locator("#outcomes tr[data-route='separation'][data-destination='cash']").inner_text()
    assert "public safety" in row
    assert not page.errors, page.errors


def test_unticked_the_page_charges_the_10_percent_tax(page, base_url):
    fill(page, base_url, {**OFFICER, "checks": {"plan.governmental": True}})
    page.wait_for_selector("#results:not([hidden]) #outcomes tr[data-route='separation']")
    assert _cash_penalty(page) == pytest.approx(2000.0, abs=0.005)
    assert not page.errors, page.errors


def test_twenty_five_years_of_service_given_on_the_page_count(page, base_url):
    # Hired 2005 and left 2026 is 21 years by the dates; 25 given (employment.years_of_service)
    # meets §72(t)(10)(A)'s "25 years of service under the plan" whatever the age.
    spec = {"form": {**OFFICER["form"], "person.birth_date": "1980-01-01",
                     "employment.years_of_service": "25"},
            "selects": OFFICER["selects"],
            "checks": {"person.qualified_public_safety": True, "plan.governmental": True}}
    fill(page, base_url, spec, submit=False)
    assert page.evaluate("() => buildCase(document.getElementById('case'))")[
        "employment"]["years_of_service"] == 25
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) #outcomes tr[data-route='separation']")
    assert _cash_penalty(page) == pytest.approx(0.0, abs=0.005)
    assert not page.errors, page.errors


def test_the_help_says_who_qualifies_and_the_figures_come_from_the_law(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_function(
        "document.querySelector('[data-law=\"early_distributions.public_safety_age\"]').textContent !== ''")
    help_text = page.locator("[id='person.qualified_public_safety'] >> xpath=../..").inner_text()
    for words in ("police", "firefighter", "emergency medical", "corrections officer",
                  "forensic security", "air traffic controller", "§72(t)(10)(B)"):
        assert words in help_text, words
    # §72(t)(10)(A): "age 50 or 25 years of service under the plan"
    assert "the year you turn 50" in help_text and "after 25 years of service" in help_text
    firefighter = page.locator("[id='person.firefighter'] >> xpath=../..").inner_text()
    assert "private" in firefighter and "§308" in firefighter
    assert not page.errors, page.errors
