"""The planner's page marks the years whose law is projected, as the terminal and the report
do (each row's ``projected`` in the plan's JSON; the table's caption says what the mark means)."""

from __future__ import annotations

import pytest

from api.test_web_plan import HOUSEHOLDS, cli_plan, fill

pytestmark = pytest.mark.slow


def test_planner_marks_the_years_of_projected_law(page, base_url, tmp_path):
    sent, _ = fill(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])")
    expected = cli_plan(tmp_path, sent)
    assert any(r["projected"] for r in expected["table"])
    rows = page.locator("#years tr[data-year]")
    assert rows.count() == len(expected["table"])
    for k, r in enumerate(expected["table"]):
        shown = rows.nth(k).locator("td").first.text_content()
        assert shown == f"{r['year']}{'†' if r['projected'] else ''}"
    caption = page.locator("#years caption").text_content() or ""
    assert caption.startswith(f"† projected law: the years from {expected['projected_from']}")
    assert not page.errors, page.errors
