"""The planner page, from a review of it:

* help text (the field's accessible description) for *Moving to (state)*, the market's
  returns and share in stocks, and *Still working? Age you will retire*;
* New Jersey's question, whether everyone will receive Social Security (the plan's
  ``social_security_expected``), asked where the state or the move's state is New Jersey, and a
  refusal that named the raw key now names the question by its label;
* the fan chart with random lifetimes: a year with too few paths still going is a gap, the
  data table has each year's paths still going, and the title says from how many the
  percentiles are shown;
* the spending at a confidence found on fewer paths than its target needs (1 ÷ (1 − target):
  10 at 90%) shows no "±0.0 points".
"""

from __future__ import annotations

import pytest

from api.test_web_plan import HOUSEHOLDS, fill

pytestmark = pytest.mark.slow

DESCRIBED = """(id) => {
  const el = document.getElementById(id);
  return (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
    .map((h) => document.getElementById(h)).filter((h) => h && h.classList.contains('help'))
    .map((h) => h.textContent.replace(/\\s+/g, ' ').trim()).join(' ');
}"""


@pytest.mark.parametrize(("field", "words"), [
    ("move.state", "the new state's income tax replaces the first state's"),
    ("market.stocks", "Before inflation and fees"),
    ("market.bonds", "Before inflation and fees"),
    ("market.stock_share", "the rest is in bonds"),
    ("people.0.retirement_age", "Your wages below stop at this age"),
])
def test_the_fields_have_help_text(page, base_url, field, words):
    page.goto(base_url + "/planner")
    assert words in page.evaluate(DESCRIBED, field)


def test_new_jersey_asks_whether_social_security_will_come(page, base_url):
    page.goto(base_url + "/planner")
    box = page.locator("#social_security_expected")
    assert not box.is_visible()
    page.fill("#state", "nj")
    page.dispatch_event("#state", "change")
    assert box.is_visible()
    assert "N.J.S.A. 54A:6-15" in page.evaluate(DESCRIBED, "social_security_expected")
    page.fill("#state", "NY")
    page.fill("[id='move.year']", "2030")
    page.fill("[id='move.state']", "NJ")
    page.dispatch_event("[id='move.state']", "change")
    assert box.is_visible()
    page.fill("[id='move.state']", "FL")
    page.dispatch_event("[id='move.state']", "change")
    assert not box.is_visible()


def test_the_new_jersey_refusal_names_the_question_not_the_key(page, base_url):
    """The review's couple in New Jersey with no Social Security: the refusal beside the State
    field names the page's question, never `social_security_expected`."""
    spec = {"who": "2", "form": {"start_year": "2027", "state": "nj",
                                 "people.0.birth_date": "1961-04-12",
                                 "people.0.accounts.pretax": "500000",
                                 "people.1.birth_date": "1963-09-30"}}
    fill(page, base_url, spec)
    page.wait_for_selector("[id='err-state']:not(:empty)", timeout=120_000)
    text = page.inner_text("[id='err-state']")
    assert "New Jersey" in text and "social_security_expected" not in text
    assert "Each of you will receive Social Security or Railroad Retirement benefits" in text


def test_the_fan_stops_where_too_few_paths_are_going(page, base_url):
    """A fan of three years whose last has no percentiles (null: 19 of 40 paths going, under
    the minimum of 20): its table shows "—" there and each year's paths still going; the title
    says from how many paths the percentiles are shown."""
    fill(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])", timeout=120_000)
    got = page.evaluate("""() => {
      const div = document.createElement('div');
      div.id = 'chart-test-fan';
      document.getElementById('plan-results').appendChild(div);
      const mc = {paths: 40, paths_alive_by_year: [40, 20, 19], paths_alive_minimum: 20};
      const fan = {p5: [1.95, 0.95, null], p25: [9.75, 4.75, null], p50: [19.5, 9.5, null],
                   p75: [29.25, 14.25, null], p95: [37.05, 18.05, null]};
      const title = 'Total savings' + aliveNote(mc);
      drawFan(div, [2060, 2061, 2062], fan, title, SERIES_COLORS[0], mc.paths_alive_by_year);
      const rows = [...document.querySelectorAll('#chart-test-fan-data-table tr')]
        .map((r) => [...r.children].map((c) => c.textContent));
      return {title, rows};
    }""")
    assert got["title"].endswith("shown while at least 20 are")
    assert got["rows"][0][-1] == "paths still going"
    assert got["rows"][3] == ["2062", "—", "—", "—", "—", "—", "19"]
    assert got["rows"][2][-1] == "20" and got["rows"][2][3] == "10"  # 9.5 shown as whole dollars


def test_a_confidence_on_too_few_paths_shows_no_standard_error(page, base_url):
    """90% on 2 paths: 10 are needed for the target to let one path fail, so no "±0.0"."""
    page.goto(base_url + "/planner")
    text = page.evaluate("""() => {
      document.getElementById('confidence').hidden = false;
      renderConfidence({target: 0.9, paths: 2, success_rate: 1, success_rate_se: 0,
                        spending_real: 76271, optimum_spending_real: 72138,
                        optimum_tested_spending_real: 71718, optimum_success_rate: null}, null);
      return document.getElementById('confidence').textContent;
    }""")
    assert "±0.0" not in text and "too few paths for this target" in text
