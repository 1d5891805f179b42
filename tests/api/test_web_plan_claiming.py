"""The planner page asks for the claiming-age search (``strategy.search_claiming``, docs/plan.md
"When to claim Social Security"): a box in its Social Security part, sent with the household;
the answer's `claiming` shown as a table — the ages chosen, the choices searched, and the best,
full-retirement-age and age-70 rows with their spending and estate — as the API answered."""

from __future__ import annotations

import json
import math

import pytest

from api.test_web_plan import HOUSEHOLDS

pytestmark = pytest.mark.slow


def age_text(a: float) -> str:
    """A claiming age as the page words it: whole years, or years and months (one month
    singular)."""
    m = round(a * 12)
    return f"{m // 12} and {m % 12} month{'' if m % 12 == 1 else 's'}" if m % 12 else f"{m // 12}"


def test_the_page_searches_the_claiming_ages_and_shows_the_apis_answer(page, base_url):
    spec = HOUSEHOLDS["single-retiree"]
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{spec['who']}']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    box = page.get_by_label("Choose the claiming ages for me")
    assert box.is_visible() and not box.is_checked()
    help_text = page.locator("[id='strategy.search_claiming']").locator(
        "xpath=ancestor::div[contains(@class,'field')]").inner_text()
    assert "whole plan" in help_text and "takes longer" in help_text
    assert "claim already made" in help_text
    box.check()
    with page.expect_response(lambda r: "/plan?" in r.url and r.request.method == "POST",
                              timeout=300_000) as answer:
        page.click("button[type=submit]")
    sent = json.loads(answer.value.request.post_data)
    assert sent["strategy"]["search_claiming"] is True
    got = answer.value.json()["claiming"]
    page.wait_for_selector("#claiming-best:not(:empty)", timeout=300_000)
    assert page.locator("#claiming").get_attribute("data-ages") == ",".join(
        str(a) for a in got["claim_ages"])
    best = page.locator("#claiming-best").inner_text()
    assert f"You {age_text(got['claim_ages'][0])}" in best
    assert f"{got['candidates']} choices" in best
    table = page.locator("#claiming-table")
    assert "choices searched" in table.locator("caption").inner_text()
    assert table.locator("thead th[scope='col']").count() == 6
    rows = table.locator("tbody tr")
    assert [rows.nth(i).get_attribute("data-choice") for i in range(rows.count())] == [
        r["choice"] for r in got["compared"]]
    for i, r in enumerate(got["compared"]):
        row = rows.nth(i)
        assert row.locator("th[scope='row']").count() == 1
        cells = row.locator("td")
        assert cells.nth(0).inner_text() == age_text(r["claim_ages"][0])
        # money as the page formats it: whole dollars with thousands separators
        assert cells.nth(1).inner_text() == f"{math.floor(r['spending_real'] + 0.5):,}"
        assert cells.nth(4).inner_text() == f"{math.floor(r['estate_real'] + 0.5):,}"
    assert not page.errors, page.errors
    # Unticked, the next plan neither searches nor shows the section.
    box.uncheck()
    page.click("button[type=submit]")
    page.wait_for_selector("#claiming", state="hidden", timeout=300_000)
    assert not page.errors, page.errors
