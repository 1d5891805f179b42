"""The planner page's date of birth (the browser review's defect): a birth after today is refused
next to "Date of birth" by the whole date — not by its year against the plan's first year,
which let 2026-12-25 through on 2026-12-06 (a plan starting in 2027) — and a birth in or after
the plan's first year is refused by the server, its message shown there too, not under "Plan
until age" (docs/plan.md, "The case file")."""

from __future__ import annotations

import pytest

from api.test_web_plan import HOUSEHOLDS
from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

TODAY = "2026-12-06T12:00:00"  # a December day: the page's plan starts in 2027


def submit(page, base_url, birth: str, start: str | None) -> list[str]:
    """The single retiree's form with ``birth`` (and the first year ``start``; None: the page's
    own), submitted; the POSTs the page sent to /plan."""
    page.clock.set_fixed_time(TODAY)
    page.goto(base_url + "/planner")
    for name, value in HOUSEHOLDS["single-retiree"]["form"].items():
        if name != "start_year":
            page.fill(f"[name='{name}']", value)
    if start is not None:
        page.fill("[name='start_year']", start)
    page.fill("[name='people.0.birth_date']", birth)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    posts: list[str] = []

    def sent(r):
        if r.method == "POST" and "/plan?" in r.url:
            posts.append(r.url)

    page.on("request", sent)
    try:
        page.click("button[type=submit]")
        wait_for_message(page, "people.0.birth_date")
        page.wait_for_timeout(300)  # time for a request, were one sent
    finally:
        page.remove_listener("request", sent)
    return posts


def other_messages(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.err')]
      .filter((e) => e.textContent && e.id !== 'err-people.0.birth_date').map((e) => e.id)""")


@pytest.mark.parametrize(("birth", "start"), [("2026-12-25", None), ("2026-12-07", None),
                                              ("2028-05-01", "2030")])
def test_a_birth_after_today_is_refused_in_the_page(page, base_url, birth, start):
    posts = submit(page, base_url, birth, start)
    assert page.locator("[id='err-people.0.birth_date']").inner_text() == (
        "A date of birth cannot be in the future.")
    assert posts == []
    assert other_messages(page) == []
    assert page.locator("#plan-results").is_hidden()
    assert not page.errors, page.errors


def test_a_birth_in_the_first_year_of_the_plan_is_refused_by_the_server(page, base_url):
    """Born 2026-03-01, before today, in a plan starting in 2026: the server's refusal, next to
    "Date of birth" alone (the default "Plan until age" would run past the law's last year)."""
    posts = submit(page, base_url, "2026-03-01", "2026")
    said = page.locator("[id='err-people.0.birth_date']").inner_text()
    assert "January 1, 2026" in said, said
    assert len(posts) == 1
    assert other_messages(page) == []
    assert not page.errors, page.errors
