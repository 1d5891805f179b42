"""The planner page words a claiming age as the plan takes it, a whole month (docs/plan.md,
"Social Security"; 20 CFR 404.311): "69 and 1 month" (one month, singular), "62 and 11
months", "70"; and its claiming-age field says that an age is taken to the nearest month."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_the_page_words_one_month_in_the_singular(page, base_url):
    page.goto(base_url + "/planner")
    got = page.evaluate("[claimAge(69 + 1 / 12), claimAge(69.0833), claimAge(62 + 11 / 12), "
                        "claimAge(70), claimAge(null)]")
    assert got == ["69 and 1 month", "69 and 1 month", "62 and 11 months", "70", "—"]
    assert not page.errors, page.errors


def test_the_claiming_age_field_says_it_is_taken_to_the_month(page, base_url):
    page.goto(base_url + "/planner")
    field = page.locator("[id='people.0.social_security.claim_age']").locator(
        "xpath=ancestor::div[contains(@class,'field')]").inner_text()
    assert "66.5 is 66 and 6 months" in field
    assert "nearest whole month" in field and "404.311" in field
