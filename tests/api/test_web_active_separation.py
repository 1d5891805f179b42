"""The assess page: "yes, still working there" beside a date of leaving before the request is
refused next to the question, in the API's words naming both fields, and no answer is shown;
before, the page showed an answer for one still at work and the date was dropped (the rule of
55, IRC §72(t)(2)(A)(v), never weighed).  Answered "no, I have left", the same form is taken."""

from __future__ import annotations

import pytest

from api.test_web import fill
from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

LEFT = {
    "form": {"person.birth_date": "1970-01-01", "employment.hire_date": "2010-01-01",
             "employment.separation_date": "2026-02-01", "income.wages": "20000",
             "src.elective_deferral": "100000", "request.amount": "10000",
             "request.date": "2026-06-01"},
    "selects": {"employment.status": "active"},
}


def test_still_working_with_a_date_of_leaving_is_refused_by_the_question(page, base_url):
    fill(page, base_url, LEFT)
    words = wait_for_message(page, "employment.status")
    assert "is active (the default where not given) but employment.separation_date 2026-02-01" \
        " is on or before the request date" in words
    assert page.locator("#results").is_hidden()
    assert not page.errors, page.errors


def test_left_the_same_form_is_answered(page, base_url):
    fill(page, base_url, {**LEFT, "selects": {"employment.status": "separated"}})
    page.wait_for_selector("#results:not([hidden]) #outcomes tr[data-route='separation']")
    assert page.locator("[id='err-employment.status']").inner_text() == ""
    assert not page.errors, page.errors
