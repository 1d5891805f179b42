"""The planner page (headless Chromium) says what the command line says of who is alive: no age
for a person the plan has outlived, and one person's random-lifetimes success judged while that
person lives."""

from __future__ import annotations

import pytest

from api.conftest import base_url, page  # noqa: F401  (the browser tests' server and page)
from api.test_web_plan import HOUSEHOLDS, fill
from api.web_checks import fill_random_lifetime_plan

pytestmark = pytest.mark.slow


def test_the_page_shows_no_age_of_a_person_the_plan_has_outlived(page, base_url):  # noqa: F811
    """The couple of couple-social-security.yaml (born 1962; plans to 92 and 90): Jamie's last
    year is 1962 + 90 = 2052, so the page's 2053 row shows Alex's 91 and a dash (before:
    "91, 91"), and its script copes with the JSON's null age."""
    fill(page, base_url, HOUSEHOLDS["couple-social-security"])
    page.wait_for_selector("#years tr[data-year='2053']", state="attached")
    ages = {y: page.locator(f"#years tr[data-year='{y}'] td").nth(1).text_content()
            for y in (2052, 2053, 2054)}
    assert ages == {2052: "90, 90", 2053: "91, —", 2054: "92, —"}
    assert not page.errors, page.errors


def test_one_persons_random_lifetimes_are_judged_while_they_live(page, base_url):  # noqa: F811
    """One person with random lifetimes: "never short while you are alive", not "either of
    you" (there is one)."""
    fill_random_lifetime_plan(page, base_url, HOUSEHOLDS["single-retiree"]["form"])
    page.click("button[type=submit]")
    page.wait_for_selector("#longevity:not([hidden])")
    help_text = page.locator("#longevity-help").inner_text()
    assert "never short while you are alive" in help_text and "either" not in help_text
    assert not page.errors, page.errors


def test_the_page_says_how_it_figures_irmaa_without_the_income_before(page, base_url):  # noqa: F811
    """The single retiree (born 1961-03-01: on Medicare from March 2026) with neither income
    field of the years before the plan: the page says, as the command line's `assumptions`
    do, that 2026–2027's IRMAA is figured as if 2024–2025's MAGI were 0; given both, it does
    not."""
    fill(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])")
    note = page.locator("#assumptions")
    assert note.is_visible() and "IRMAA of 2026–2027" in note.inner_text()
    form = dict(HOUSEHOLDS["single-retiree"]["form"],
                **{"magi_history.0": "90000", "magi_history.1": "90000"})
    fill(page, base_url, {"who": "1", "form": form})
    page.wait_for_selector("#plan-results:not([hidden])")
    # (what remains: the goal's note that the $70,000 given is not the spending planned)
    assert "IRMAA" not in page.locator("#assumptions").inner_text()
    assert not page.errors, page.errors
