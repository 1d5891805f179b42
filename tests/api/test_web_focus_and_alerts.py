"""What a keyboard or screen-reader user meets on the two pages (WCAG 2.2): the planner's long
answer is not a live region read out whole, the focus stays on "Plan my drawdown" while the plan
is computed and "Planning…" is said, the inherited account's missed-year rows take and give back
the focus as the planner's rows do, every alert names its field, the fields' borders are 3:1
against the page, and the user's own date of birth may be filled by the browser."""

from __future__ import annotations

import pytest

from api.test_web_plan import HOUSEHOLDS

pytestmark = pytest.mark.slow

SUBMIT = "#plan button[type=submit]"


def fill_plan(page, base_url, spec):
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{spec['who']}']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")


def test_planner_answer_is_not_read_out_whole(page, base_url):
    """SC 4.1.3 is for short status messages: the answer (tables of some 10,000 characters) in
    a live region would be queued whole for speech on top of the focus moved to its heading. No
    element from the strategies' table up is a live region; the focus is on the heading."""
    fill_plan(page, base_url, HOUSEHOLDS["single-retiree"])
    page.press("[name='spending.annual']", "Enter")
    page.wait_for_selector("#plan-results:not([hidden]):not(.stale)")
    live = page.evaluate("""() => {
      const found = [];
      for (let e = document.getElementById('strategies'); e; e = e.parentElement) {
        if (e.hasAttribute('aria-live') || ['alert', 'status', 'log'].includes(e.getAttribute('role')))
          found.push(e.id || e.tagName);
      }
      return found;
    }""")
    assert live == []
    page.wait_for_function("document.activeElement.textContent === 'What you can spend'")
    assert not page.errors, page.errors


def test_planner_keeps_the_focus_and_says_it_is_planning(page, base_url):
    """Enter on the focused "Plan my drawdown": while the answer is awaited the focus stays on
    the button (a disabled button drops it to the page's start, SC 2.4.3), a status line says
    "Planning…" (SC 4.1.3), and a second Enter sends nothing; then the focus goes to the
    answer's heading and the status line is empty."""
    fill_plan(page, base_url, HOUSEHOLDS["single-retiree"])
    held = []
    page.route("**/plan?*", lambda route: held.append(route))
    try:
        page.focus(SUBMIT)
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('plan-results').getAttribute('aria-busy') === 'true'")
        page.wait_for_timeout(200)
        assert page.evaluate("document.activeElement === document.querySelector('#plan button[type=submit]')")
        assert page.get_attribute(SUBMIT, "aria-disabled") == "true"
        assert page.get_attribute("#plan-status", "role") == "status"
        assert page.inner_text("#plan-status").startswith("Planning…")
        page.keyboard.press("Enter")  # a second submit while busy: ignored
        page.wait_for_timeout(300)
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_selector("#plan-results:not([hidden]):not(.stale)")
    finally:
        page.unroute("**/plan?*")
    page.wait_for_function("document.activeElement.textContent === 'What you can spend'")
    assert page.get_attribute(SUBMIT, "aria-disabled") is None
    assert page.inner_text("#plan-status") == ""
    assert not page.errors, page.errors


def active(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_missed_year_rows_take_and_give_back_the_focus(page, base_url):
    """An inherited account: "Add a missed year" puts the focus in the new row's first field
    (the row appears above the button); "Remove" gives it to the next row's first field, to
    the row before at the end, and to "Add a missed year" when no row is left — never to the
    page's start (SC 2.4.3), as the planner's rows do."""
    page.goto(base_url + "/")
    page.check("input[name='situation'][value='inherited']")
    for k in range(3):
        page.focus("#add-missed")
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.activeElement.id === 'beneficiary.missed.{k}.year'")
    page.focus("[aria-label='Remove missed year 2']")
    page.keyboard.press("Enter")  # the middle row: the next (now the second) takes the focus
    assert active(page) == "beneficiary.missed.1.year"
    page.focus("[aria-label='Remove missed year 2']")
    page.keyboard.press("Enter")  # the last row: the one before it
    assert active(page) == "beneficiary.missed.0.year"
    page.focus("[aria-label='Remove missed year 1']")
    page.keyboard.press("Enter")  # none left: the button that adds one
    assert active(page) == "add-missed"
    assert not page.errors, page.errors


def alert_text(page, field: str) -> str:
    """What a screen reader reads of the alert next to ``field``: its text in the accessibility
    tree (Chromium's, through Playwright), CSS generated text included."""
    return page.locator(f"[id='err-{field}']").aria_snapshot()


def test_each_alert_names_its_field_with_the_message_unchanged(page, base_url):
    """Several messages at once: each alert read names its field by its label (a label the page
    gives twice, by its person's legend too), so "Please fill this in." twice is not two
    identical alerts (SC 3.3.1); the words shown stay the message alone."""
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='2']")
    page.fill("[name='people.0.accounts.ira']", "-5")
    page.press("[name='people.0.accounts.ira']", "Enter")
    page.wait_for_function("document.getElementById('err-people.1.birth_date').textContent !== ''")
    assert page.inner_text("[id='err-people.0.birth_date']") == "Please fill this in."
    assert page.inner_text("[id='err-people.0.accounts.ira']") == "Must be 0 or more."
    assert "You, Date of birth: Please fill this in." in alert_text(page, "people.0.birth_date")
    assert "Your spouse, Date of birth: Please fill this in." in alert_text(page, "people.1.birth_date")
    assert "You, Traditional IRAs ($): Must be 0 or more." in alert_text(page, "people.0.accounts.ira")
    # Put right, the field's name goes with its message.
    page.fill("[name='people.0.accounts.ira']", "5")
    page.press("[name='people.0.accounts.ira']", "Enter")
    page.wait_for_function("document.getElementById('err-people.0.accounts.ira').textContent === ''")
    assert page.get_attribute("[id='err-people.0.accounts.ira']", "data-field") is None
    # The assess page: a message the server sends names its field too.
    page.goto(base_url + "/")
    page.fill("[name='request.amount']", "-5")
    page.press("[name='request.amount']", "Enter")
    page.wait_for_function("document.getElementById('err-request.amount').textContent !== ''")
    assert page.inner_text("[id='err-person.birth_date']") == "Please fill this in."
    assert "Date of birth: Please fill this in." in alert_text(page, "person.birth_date")
    assert not page.errors, page.errors


def luminance(rgb: str) -> float:
    """WCAG 2.2's relative luminance of a CSS rgb() colour."""
    parts = [int(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("path", ["/", "/planner"])
def test_field_borders_and_own_birth_date(page, base_url, path):
    """A field's border, all that shows where it is, is at least 3:1 against the white page
    (SC 1.4.11; the contrast (L1 + 0.05) / (L2 + 0.05) of WCAG 2.2); the user's own date of
    birth has autocomplete="bday" and their first name "given-name" (SC 1.3.5), a spouse's none
    (and no "off" on the spouse's date of birth, which would stop its refill after Back)."""
    page.goto(base_url + path)
    for sel in ("input[type=text]", "select"):
        border = page.eval_on_selector(sel, "e => getComputedStyle(e).borderTopColor")
        assert (1.05) / (luminance(border) + 0.05) >= 3, (sel, border)
    own = "person.birth_date" if path == "/" else "people.0.birth_date"
    assert page.get_attribute(f"[id='{own}']", "autocomplete") == "bday"
    if path == "/planner":
        page.check("input[name='who'][value='2']")
        assert page.get_attribute("[id='people.1.birth_date']", "autocomplete") is None
        assert page.get_attribute("[id='people.0.name']", "autocomplete") == "given-name"
