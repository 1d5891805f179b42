"""The planner page says which years' state figures are flagged unconfirmed in the state's law
files (the answer's ``state.unconfirmed_years``), as the report and the terminal do: a New
Jersey couple's plan from 2027 (New Jersey's figures are flagged unconfirmed, docs/plan.md)."""

from __future__ import annotations

import pytest

from api.test_web_plan_review import COUPLE, fill, wait_for_answer

pytestmark = pytest.mark.slow


def test_the_page_names_the_states_unconfirmed_years(page, base_url):
    fill(page, base_url, {**COUPLE, "state": "NJ"})
    with page.expect_response(lambda r: "/plan?" in r.url and r.request.method == "POST") as res:
        page.click("button[type=submit]")
    years = res.value.json()["state"]["unconfirmed_years"]
    assert years, "New Jersey's figures are flagged unconfirmed: some year should be listed"
    wait_for_answer(page)
    assumed = page.locator("#assumptions").inner_text()
    assert (f"The state figures of {', '.join(map(str, years))} are flagged unconfirmed"
            in assumed), assumed
    assert not page.errors, page.errors
