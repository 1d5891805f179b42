"""Each field's help text is its accessible description on both pages (WCAG 2.2 SC 1.3.1, 3.3.2;
WAI technique ARIA1): a screen reader moving by Tab hears the help with the label — on the assess
page the disaster's dates too — and an error message, when shown, is described beside it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

UNLINKED = """() => [...document.querySelectorAll('.field')].flatMap((f) => {
  const help = f.querySelector(':scope > .help');
  const control = f.querySelector('input[id], select[id], textarea[id]');
  if (!help || !control) return [];
  const ids = (control.getAttribute('aria-describedby') || '').split(/\\s+/);
  return help.id && ids.includes(help.id) ? [] : [control.id];
})"""


@pytest.mark.parametrize("path", ["/", "/planner"])
def test_every_help_describes_its_field(page, base_url, path):
    page.goto(base_url + path)
    assert page.evaluate(UNLINKED) == []


def test_the_disaster_dates_are_described_and_errors_stay_beside(page, base_url):
    page.goto(base_url + "/")
    page.select_option("[name='request.purpose']", "disaster")
    described = page.locator("[id='request.disaster_declaration_date']").get_attribute(
        "aria-describedby")
    help_id = described.split()[0]
    assert "Form 8915-F" in page.locator(f"[id='{help_id}']").inner_text()
    page.evaluate("() => { showError('request.disaster_declaration_date', 'x'); }")
    ids = page.locator("[id='request.disaster_declaration_date']").get_attribute(
        "aria-describedby").split()
    assert help_id in ids and "err-request.disaster_declaration_date" in ids
