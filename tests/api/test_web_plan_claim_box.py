"""The planner page's claiming-age box takes years and months ("67y 6m", "67 years 6 months",
"67 and 6 months") as well as a decimal age ("67.5"), and sends the exact fraction: 67 years
and 6 months is 67 + 6/12 = 67.5.  Its bounds are checked on the nearest month, as the plan
checks them (docs/plan.md, "The bounds"): 70.03 is 70 and 0 months and is sent; 70 years and
1 month is past 70, said at the field.  The answer says the age the plan took: "67 and 6
months"."""

from __future__ import annotations

import json

import pytest

from api.test_web_plan import HOUSEHOLDS
from api.web_checks import wait_for_message

pytestmark = pytest.mark.slow

FIELD = "people.0.social_security.claim_age"


def test_the_box_reads_years_and_months_as_the_exact_fraction(page, base_url):
    page.goto(base_url + "/planner")
    got = page.evaluate("""['67y 6m', '67y6m', '67 years 6 months', '67 years and 6 months',
        '67 and 6 months', '62 y 11 m', '67 y', '67.5', '69.0833', '']
        .map((t) => readYearsMonths(t).value)""")
    # Worked by hand: 67 + 6/12 = 67.5; 62 + 11/12; 67 + 0/12 = 67; decimals as written.
    assert got == [67.5, 67.5, 67.5, 67.5, 67.5, 62 + 11 / 12, 67, 67.5, 69.0833, None]
    bad = page.evaluate("['67 12m', '67 m', '67 6', '1.2k', '67x'].map((t) => readYearsMonths(t).error)")
    assert all(bad), bad  # 12 months is a year; an "m" alone is not a million here


def _fill(page, base_url: str, claim: str) -> None:
    """The single retiree of test_web_plan, with this claiming age, no Monte Carlo."""
    spec = HOUSEHOLDS["single-retiree"]
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{spec['who']}']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    page.fill(f"[name='{FIELD}']", claim)


def test_67_years_6_months_is_sent_as_67_5_and_answered_as_67_and_6_months(page, base_url):
    _fill(page, base_url, "67y 6m")
    with page.expect_response(lambda r: "/plan?" in r.url and r.request.method == "POST",
                              timeout=300_000) as answer:
        page.click("button[type=submit]")
    sent = json.loads(answer.value.request.post_data)
    assert sent["people"][0]["social_security"]["claim_age"] == 67.5
    assert answer.value.status == 200, answer.value.text()
    page.wait_for_selector("#claim-given:not([hidden])", timeout=300_000)
    said = page.locator("#claim-given").inner_text()
    assert "You 67 and 6 months" in said and "nearest whole month" in said
    assert not page.errors, page.errors


@pytest.mark.parametrize("claim, problem", [
    ("70y 1m", "Must be 70 or less."),          # 841 months: past 70
    ("70.05", "Must be 70 or less."),           # 840.6 months → 841: past 70
    ("61.95", "Must be 62 or more."),           # 743.4 months → 743: 61 and 11 months
    ("67 12m", "0 to 11 months"),
])
def test_a_claim_age_past_the_bounds_once_rounded_is_said_at_the_field(page, base_url, claim, problem):
    _fill(page, base_url, claim)
    page.click("button[type=submit]")
    assert problem in wait_for_message(page, FIELD)


def test_70_03_is_70_and_0_months_and_is_sent(page, base_url):
    """70.03 × 12 = 840.36 months → 840, 70 and 0 months: within the bounds, sent as written
    (the server takes it to the month, as the page's check does)."""
    _fill(page, base_url, "70.03")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST",
                             timeout=60_000) as req:
        page.click("button[type=submit]")
    assert json.loads(req.value.post_data)["people"][0]["social_security"]["claim_age"] == 70.03
    assert page.locator(f"[id='err-{FIELD}']").inner_text() == ""
