"""The drawdown planner's page in headless Chromium: fill it for two shipped households (a single
retiree, a couple with Social Security), check the figures shown equal `dist401k plan -f json`
on the household the page sent, the charts draw, an invalid entry shows its message next to the
field, and the page fits a phone. Takes the README's
screenshot (docs/screenshot-plan.png, rewritten with DIST401K_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from api.conftest import screenshot
from api.web_checks import (
    answer_goes_with_a_failed_request,
    assert_legend_clear_of_axis_title,
    chart_boxes,
    controls,
    fill_random_lifetime_plan,
    narrow_chart_problems,
    refused_in_the_page,
    serious_accessibility_problems,
    tab_walk,
    type_date,
    wait_for_message,
)
from dist401k.cli import app as cli
from dist401k.money import dollars_text

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]

# examples/plans/single-retiree.yaml and couple-social-security.yaml, as people fill the page.
HOUSEHOLDS = {
    "single-retiree": {
        "who": "1",
        "form": {"start_year": "2026",
                 "people.0.birth_date": "1961-03-01", "people.0.life_expectancy": "90",
                 "people.0.accounts.ira": "800000", "people.0.accounts.roth": "50000",
                 "people.0.accounts.roth_first_year": "2010",
                 "people.0.social_security.monthly_at_full_age": "2500",
                 "people.0.social_security.claim_age": "67",
                 "taxable.balance": "200000", "taxable.basis": "120000",
                 "spending.annual": "70000"},
    },
    "couple-social-security": {
        "who": "2",
        "form": {"start_year": "2026",
                 "people.0.birth_date": "1962-05-10", "people.0.life_expectancy": "92",
                 "people.0.accounts.pretax": "900000", "people.0.accounts.roth": "80000",
                 "people.0.accounts.roth_first_year": "2012",
                 "people.0.social_security.monthly_at_full_age": "2800",
                 "people.0.social_security.claim_age": "70",
                 "people.1.birth_date": "1962-09-02", "people.1.life_expectancy": "90",
                 "people.1.accounts.pretax": "350000", "people.1.accounts.roth": "40000",
                 "people.1.accounts.roth_first_year": "2015",
                 "people.1.social_security.monthly_at_full_age": "1700",
                 "people.1.social_security.claim_age": "67",
                 "taxable.balance": "250000", "taxable.basis": "160000", "cash": "30000",
                 "spending.annual": "95000",
                 "spending.survivor_fraction": "65"},
    },
}


def cli_plan(tmp_path, sent) -> dict:
    """`dist401k plan -f json --no-monte-carlo` on the household the page sent."""
    """`dist401k plan -f json --no-monte-carlo` of the household the page sent."""
    case = tmp_path / "household.yaml"
    case.write_text(yaml.safe_dump(sent))
    r = CliRunner().invoke(cli, ["plan", str(case), "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def fill(page, base_url, spec, paths="0"):
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{spec['who']}']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", paths)
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    return json.loads(req.value.post_data), req.value.url


@pytest.mark.parametrize(("today", "year"), [("2026-12-15T12:00:00", "2027"),
                                            ("2026-06-15T12:00:00", "2026")])
def test_start_year_is_this_year_or_next_in_december(page, base_url, today, year):
    """The page's first year of the plan: next year when today is in December (a plan made
    then starts in January), else this year; the field can change it."""
    page.clock.set_fixed_time(today)
    page.goto(base_url + "/planner")
    assert page.input_value("#start_year") == year


@pytest.mark.parametrize("name", list(HOUSEHOLDS))
def test_planner_answers_as_the_cli(page, base_url, tmp_path, name):
    sent, url = fill(page, base_url, HOUSEHOLDS[name])
    page.wait_for_selector("#plan-results:not([hidden])")
    page.wait_for_selector("#chart-balances .main-svg")
    # The page sent the household of the example (the fields it asks for).
    example = yaml.safe_load((ROOT / "examples" / "plans" / f"{name}.yaml").read_text())
    assert len(sent["people"]) == len(example["people"])
    for got, want in zip(sent["people"], example["people"], strict=True):
        assert got["birth_date"] == str(want["birth_date"])
        assert got["life_expectancy"] == want["life_expectancy"]
        assert {k: v for k, v in got["accounts"].items() if v} == want["accounts"]
        assert got["social_security"] == want["social_security"]
    assert sent["start_year"] == example["start_year"]
    assert sent["taxable"]["balance"] == example["taxable"]["balance"]
    assert sent["spending"]["annual"] == example["spending"]["annual"]
    assert url.endswith("paths=0")
    # The figures shown are the CLI's on that household.
    expected = cli_plan(tmp_path, sent)
    rows = page.locator("#strategies tr[data-key]")
    assert rows.count() == len(expected["strategies"]) == 4
    for i, s in enumerate(expected["strategies"]):
        row = rows.nth(i)
        assert row.get_attribute("data-key") == s["key"]
        assert float(row.get_attribute("data-spending")) == pytest.approx(s["spending_real"],
                                                                          abs=0.01)
        assert float(row.get_attribute("data-tax")) == pytest.approx(s["lifetime_tax_real"],
                                                                     abs=0.01)
    best = next(s for s in expected["strategies"] if s["key"] == "optimal")
    assert f"${dollars_text(best['spending_real'])}" in page.locator("#headline").inner_text()
    years = page.locator("#years tr[data-year]")
    assert years.count() == len(expected["table"])
    for k in (0, len(expected["table"]) // 2):
        assert int(years.nth(k).get_attribute("data-year")) == expected["table"][k]["year"]
        assert float(years.nth(k).get_attribute("data-tax")) == pytest.approx(
            expected["table"][k]["income_tax"], abs=0.01)
    # The charts drew their data; no Monte Carlo asked, so no fan chart.
    assert page.locator("#chart-balances path.js-fill").count() >= 2
    assert page.locator("#chart-income g.point").count() >= len(expected["table"])
    assert page.locator("#chart-fan").is_hidden()
    assert not page.errors, page.errors


def test_planner_monte_carlo_fan_chart_and_screenshot(page, base_url, tmp_path):
    fill(page, base_url, HOUSEHOLDS["single-retiree"], paths="200")
    page.wait_for_selector("#chart-fan .main-svg")
    assert page.locator("#chart-fan path.js-fill").count() >= 2
    assert "simulated markets" in page.locator("#headline-help").inner_text()
    assert page.locator("#strategies th", has_text="success rate").count() == 1
    page.evaluate("document.getElementById('plan-results').scrollIntoView()")
    screenshot(page, "screenshot-plan.png", tmp_path)
    with page.expect_download() as dl:
        page.click("#download-plan")
    assert "<html" in open(dl.value.path(), encoding="utf-8").read(2000).lower()
    assert not page.errors, page.errors


def test_planner_invalid_entries_show_their_message_next_to_the_field(page, base_url):
    spec = HOUSEHOLDS["single-retiree"]
    page.goto(base_url + "/planner")
    page.fill("[name='people.0.birth_date']", "1961-03-01")
    page.fill("[name='people.0.accounts.ira']", "-5")
    page.click("button[type=submit]")
    assert "0 or more" in wait_for_message(page, "people.0.accounts.ira")
    # Mistakes only the server sees: a Roth contribution part above the Roth balance.
    page.goto(base_url + "/planner")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.evaluate("""() => {  // a field the page does not ask for, sent as a program would
      const f = document.querySelector("[name='people.0.accounts.roth']");
      const extra = document.createElement("input");
      extra.name = "people.0.accounts.roth_contributions"; extra.value = "90000";
      extra.dataset.number = ""; f.form.appendChild(extra);
      const err = document.createElement("span");
      err.id = "err-people.0.accounts.roth_contributions"; f.form.appendChild(err);
    }""")
    page.click("button[type=submit]")
    assert "more than the Roth balance" in wait_for_message(
        page, "people.0.accounts.roth_contributions")
    assert page.locator("#plan-results").is_hidden()
    assert not page.errors, page.errors


def test_planner_fits_a_phone_and_labels_its_fields(page, base_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='2']")
    page.locator("details summary").first.click()
    shown = page.locator("input:visible, select:visible")
    assert shown.count() > 20
    for el in shown.all():
        assert el.evaluate("e => e.labels.length") == 1, el.get_attribute("name")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    # The main page leads to it.
    page.goto(base_url + "/")
    page.click("#to-planner")
    page.wait_for_url("**/planner")
    page.set_viewport_size({"width": 1000, "height": 900})


# The text of a select's chosen option, measured in the select's own font, against the room the
# select gives it (less its arrow).
OPTION_FITS = """(sel) => [...sel.options].map((o) => {
  const c = document.createElement('canvas').getContext('2d');
  c.font = getComputedStyle(sel).font;
  return {text: o.text, fits: c.measureText(o.text).width + 28 <= sel.clientWidth};
})"""


@pytest.mark.parametrize("width", [1000, 390])
def test_the_goal_reads_whole(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "/planner")
    cut = [o["text"] for o in page.locator("[name='strategy.objective']").evaluate(OPTION_FITS)
           if not o["fits"]]
    page.set_viewport_size({"width": 1000, "height": 900})
    assert cut == []


def test_planner_charts_keep_legends_clear_of_axis_titles(page, base_url):
    fill(page, base_url, HOUSEHOLDS["single-retiree"], paths="200")
    page.wait_for_selector("#chart-fan .main-svg")
    charts = chart_boxes(page, "#plan-results .js-plotly-plot")
    assert len(charts) == 3
    for chart in charts:
        assert_legend_clear_of_axis_title(chart)


def test_planner_has_no_serious_accessibility_problem(page, base_url):
    page.goto(base_url + "/planner")
    assert serious_accessibility_problems(page) == []
    fill(page, base_url, HOUSEHOLDS["couple-social-security"])
    page.wait_for_selector("#plan-results:not([hidden])")
    assert serious_accessibility_problems(page) == []


def test_planner_works_from_the_keyboard_alone(page, base_url):
    page.goto(base_url + "/planner")
    page.locator("details summary").first.press("Enter")  # opened by the keyboard
    reached, unmarked = tab_walk(page)
    assert controls(page) <= reached, controls(page) - reached
    assert unmarked == []
    page.focus("input[name='who'][value='1']")
    page.keyboard.press("ArrowRight")
    assert page.locator("input[name='who'][value='2']").is_checked()
    page.keyboard.press("ArrowLeft")
    for name, value in HOUSEHOLDS["single-retiree"]["form"].items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name='paths']", "0")
    page.focus("[name='spending.annual']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#plan-results:not([hidden])")
    page.wait_for_function("document.activeElement.closest('#plan-results') !== null")
    page.fill("[name='spending.annual']", "-5")
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.name === 'spending.annual'")


def test_planner_gift_to_charity_shows_the_cli_qcds(page, base_url, tmp_path):
    """A yearly gift: the page sends `charity.annual` and shows each year's qualified
    charitable distribution (IRC §408(d)(8)) as `dist401k plan -f json` figures it."""
    spec = {"who": "1", "form": {**HOUSEHOLDS["single-retiree"]["form"],
                                 "charity.annual": "12000"}}
    sent, _ = fill(page, base_url, spec)
    assert sent["charity"]["annual"] == 12000
    page.wait_for_selector("#plan-results:not([hidden])")
    table = cli_plan(tmp_path, sent)["table"]
    years = page.locator("#years tr[data-year]")
    shown = [float(years.nth(k).get_attribute("data-qcd")) for k in range(years.count())]
    assert shown == pytest.approx([row["qcd"] for row in table], abs=0.01)
    assert any(q > 0 for q in shown) and shown[0] == 0  # 70½ in 2031, not before
    assert not page.errors, page.errors


def test_planner_marketplace_shows_the_cli_premium_tax_credit(page, base_url, tmp_path):
    """Marketplace coverage before Medicare: the page sends the `marketplace` section and shows
    each year's premium tax credit (IRC §36B) as `dist401k plan -f json` figures it."""
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='1']")
    form = {**HOUSEHOLDS["single-retiree"]["form"], "people.0.birth_date": "1966-03-01"}
    for name, value in form.items():
        page.fill(f"[name='{name}']", value)
    page.select_option("[name='marketplace_on']", "yes")
    page.fill("[name='marketplace.benchmark_premium']", "11000")
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    sent = json.loads(req.value.post_data)
    assert sent["marketplace"] == {"benchmark_premium": 11000, "region": "contiguous",
                                   "medicaid": False}
    page.wait_for_selector("#plan-results:not([hidden])")
    table = cli_plan(tmp_path, sent)["table"]
    years = page.locator("#years tr[data-year]")
    shown = [float(years.nth(k).get_attribute("data-credit")) for k in range(years.count())]
    assert shown == pytest.approx([row["premium_tax_credit"] for row in table], abs=0.01)
    shares = [years.nth(k).get_attribute("data-poverty-share") for k in range(years.count())]
    assert shares == ["" if row["poverty_line_share"] is None else str(row["poverty_line_share"])
                      for row in table]
    public = [years.nth(k).get_attribute("data-public-coverage") for k in range(years.count())]
    assert public == ["yes" if row["public_coverage"] else "no" for row in table]
    # Born March 1966: covered 2026–2030 and two months of 2031, then Medicare.
    assert [row["marketplace_premium"] > 0 for row in table[:7]] == [True] * 6 + [False]
    assert all(c == 0 for c in shown[6:])
def test_planner_says_what_the_earnings_test_withholds(page, base_url, tmp_path):
    """Still at work after claiming early: the page shows the benefit the earnings test withholds
    (42 U.S.C. §403(b), (f)) as `dist401k plan -f json` figures it, and nothing where the claim
    comes after retirement."""
    form = {**HOUSEHOLDS["single-retiree"]["form"], "people.0.birth_date": "1963-12-15",
            "people.0.retirement_age": "65", "people.0.wages": "90000",
            "people.0.social_security.claim_age": "62"}
    sent, _ = fill(page, base_url, {"who": "1", "form": form})
    page.wait_for_selector("#plan-results:not([hidden])")
    et = cli_plan(tmp_path, sent)["earnings_test"]["people"][0]
    shown = page.locator("#earnings-test")
    assert shown.is_visible()
    assert float(shown.get_attribute("data-withheld")) == pytest.approx(et["withheld_real"])
    assert "36 months" in shown.inner_text() and "claimed at 65" in shown.inner_text()
    fill(page, base_url, {"who": "1", "form": {**form, "people.0.social_security.claim_age": "66"}})
    page.wait_for_selector("#earnings-test", state="hidden")
    assert not page.errors, page.errors


def test_planner_says_what_an_irmaa_request_after_work_stops_saves(page, base_url, tmp_path):
    """Retiring at 65 in March 2026 with the working years' income on the page: IRMAA of the
    first years is set by the wages, the page says what form SSA-44 would save as `dist401k
    plan -f json` figures it, and with its box ticked plans with it."""
    form = {**HOUSEHOLDS["single-retiree"]["form"], "people.0.retirement_age": "65",
            "people.0.wages": "250000", "magi_history.0": "260000", "magi_history.1": "255000"}
    sent, _ = fill(page, base_url, {"who": "1", "form": form})
    assert sent["magi_history"] == [260000, 255000]
    assert sent["strategy"]["irmaa_appeal"] is False
    page.wait_for_selector("#plan-results:not([hidden])")
    appeal = cli_plan(tmp_path, sent)["irmaa_appeal"]
    shown = page.locator("#irmaa-appeal")
    assert shown.is_visible() and "would take about" in shown.inner_text()
    assert float(shown.get_attribute("data-saving")) == pytest.approx(appeal["saving_real"])
    page.check("[name='strategy.irmaa_appeal']")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    sent = json.loads(req.value.post_data)
    assert sent["strategy"]["irmaa_appeal"] is True
    page.wait_for_function("document.querySelector('#irmaa-appeal').innerText"
                           ".includes('figured on a more recent year')")
    appeal = cli_plan(tmp_path, sent)["irmaa_appeal"]
    assert float(shown.get_attribute("data-saving")) == pytest.approx(appeal["saving_real"])
    assert not page.errors, page.errors


def test_planner_shows_who_is_alive_and_random_lifetimes(page, base_url, tmp_path):
    """Each person's sex, random lifetimes and a survival horizon: the page sends them, shows
    the probability that each (both, either) is alive as `dist401k plan -f json` figures it,
    and draws the chart; the plan ends at the 90th percentile."""
    spec = HOUSEHOLDS["couple-social-security"]
    page.goto(base_url + "/planner")
    page.check(f"input[name='who'][value='{spec['who']}']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.select_option("[name='people.0.sex']", "male")
    page.select_option("[name='people.1.sex']", "female")
    page.locator("details summary").first.click()
    page.select_option("[name='monte_carlo.lifetimes']", "random")
    page.fill("[name='horizon.survival']", "90")
    page.fill("[name='paths']", "20")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    sent = json.loads(req.value.post_data)
    assert [p["sex"] for p in sent["people"]] == ["male", "female"]
    assert sent["monte_carlo"]["lifetimes"] == "random" and sent["horizon"]["survival"] == 0.9
    page.wait_for_selector("#chart-survival .main-svg")
    lv = cli_plan(tmp_path, sent)["longevity"]
    rows = page.locator("#survival tr[data-year]")
    assert rows.count() >= 8
    for k in range(rows.count()):
        year = int(rows.nth(k).get_attribute("data-year"))
        i = lv["years"].index(year)
        cells = rows.nth(k).locator("td").all_inner_texts()
        want = [lv["alive"][0][i], lv["alive"][1][i], lv["both_alive"][i], lv["either_alive"][i]]
        for got, p in zip(cells[2:], want, strict=True):
            if got not in ("<1%", ">99%"):
                assert int(got.rstrip("%")) == math.floor(p * 100 + 0.5)  # JS Math.round
    help_text = page.locator("#longevity-help").inner_text()
    assert "after it, either of you is still alive with probability 10% or less" in help_text
    assert "never short while either" in help_text
    assert page.locator("#chart-survival g.trace").count() == 4
    assert not page.errors, page.errors


def test_planner_asks_a_couple_how_they_hold_the_brokerage_account(page, base_url, tmp_path):
    """A couple may say the account is community property (its basis at the first death,
    IRC §1014(b)(6)); the page sends it as a yes or no, or leaves it to the state's law; a
    single person is not asked."""
    page.goto(base_url + "/planner")
    assert page.locator("[name='taxable.community_property']").is_hidden()
    spec = HOUSEHOLDS["couple-social-security"]
    page.goto(base_url + "/planner")
    page.check("input[name='who'][value='2']")
    page.select_option("[name='taxable.community_property']", "true")
    page.check("input[name='who'][value='1']")
    page.check("input[name='who'][value='2']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    sent = json.loads(req.value.post_data)
    assert sent["taxable"]["community_property"] is True
    page.wait_for_selector("#plan-results:not([hidden])")
    expected = cli_plan(tmp_path, sent)
    best = next(s for s in expected["strategies"] if s["key"] == "optimal")
    assert float(page.locator("#strategies tr[data-key='optimal']").get_attribute(
        "data-spending")) == pytest.approx(best["spending_real"], abs=0.01)
    # Left to the state's law, nothing is sent.
    page.select_option("[name='taxable.community_property']", "")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    assert "community_property" not in json.loads(req.value.post_data)["taxable"]
    assert not page.errors, page.errors


def test_planner_asks_a_new_york_household_about_the_city(page, base_url):
    """The New York City question shows once the state is New York, and its answer reaches
    the plan (``new_york_city``)."""
    sent = _new_york_with(page, base_url, "new_york_city")
    assert sent["new_york_city"] is True and sent["state"] == "ny"
    page.wait_for_selector("#plan-results:not([hidden])")
    assert not page.errors, page.errors


def test_planner_asks_a_new_york_household_about_yonkers(page, base_url):
    """The Yonkers question shows once the state is New York, and its answer reaches the plan
    (``yonkers``); checked with New York City too, the server's error is shown by the field."""
    sent = _new_york_with(page, base_url, "yonkers")
    assert sent["yonkers"] is True and sent["new_york_city"] is False
    page.wait_for_selector("#plan-results:not([hidden])")
    page.check("[name='new_york_city']")
    page.click("button[type=submit]")
    page.wait_for_selector("#err-yonkers:not(:empty)")
    assert "not in New York City" in page.locator("#err-yonkers").inner_text()
    assert not page.errors, page.errors


def _new_york_with(page, base_url, box: str) -> dict:
    """The single retiree in New York with the question ``box`` checked, once the state shows
    it (hidden before); the household the page sent."""
    page.goto(base_url + "/planner")
    assert page.locator(f"[name='{box}']").is_hidden()
    return _in_state(page, "ny", lambda: page.check(f"[name='{box}']"))


def _in_state(page, state: str, answer) -> dict:
    """The single retiree in ``state``, the state's question answered by ``answer()`` once the
    state shows it, and the plan asked for; the household the page sent."""
    for name, value in HOUSEHOLDS["single-retiree"]["form"].items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name='state']", state)
    page.locator("[name='state']").dispatch_event("change")
    answer()
    page.locator("details summary").first.click()
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    return json.loads(req.value.post_data)


def test_planner_asks_a_maryland_household_for_its_county(page, base_url):
    """The county question shows once the state is Maryland, it offers every county of the
    law, and its answer reaches the plan (``maryland_county``)."""
    from dist401k.law import default_law

    page.goto(base_url + "/planner")
    assert page.locator("[name='maryland_county']").is_hidden()
    offered = page.locator("[name='maryland_county'] option").evaluate_all(
        "os => os.map(o => o.value)")
    assert offered == ["", *default_law().param("state.md.local_rates").keys]
    sent = _in_state(page, "md", lambda: page.select_option("[name='maryland_county']",
                                                           "prince_georges"))
    assert sent["maryland_county"] == "prince_georges" and sent["state"] == "md"
    page.wait_for_selector("#plan-results:not([hidden])")
    assert page.locator("#state-notes").is_hidden()  # the county given: nothing left out
    assert not page.errors, page.errors


def test_planner_takes_the_plan_away_when_a_new_one_fails(page, base_url):
    """A plan of the household before is not left beside a form that now says something else:
    marked out of date, its download off, while the new plan is made; hidden when it fails."""
    fill(page, base_url, HOUSEHOLDS["single-retiree"])
    answer_goes_with_a_failed_request(page, ("plan", "plan-results", "download-plan"),
                                      ("state", "ZZ"), ("state", ""), "button[type=submit]")
    assert not page.errors, page.errors


def test_planner_refuses_a_date_that_does_not_exist(page, base_url):
    """February 30 typed as a date of birth: "That date does not exist" by the field, the focus
    there, nothing sent (not "Please fill this in.")."""
    page.goto(base_url + "/planner")
    for name, value in HOUSEHOLDS["single-retiree"]["form"].items():
        page.fill(f"[name='{name}']", value)
    assert type_date(page, "[name='people.0.birth_date']", "02301961")
    refused_in_the_page(page, "people.0.birth_date", "button[type=submit]")
    assert not page.errors, page.errors


def test_planner_charts_fit_a_phone(page, base_url):
    """At 375 px every chart of a plan (the balances, the income, the savings fan, a
    guardrail's spending fan, who is alive) fits the screen, its title whole and clear of the
    legend, with no toolbar over them."""
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        fill_random_lifetime_plan(page, base_url, HOUSEHOLDS["single-retiree"]["form"])
        page.click("button[type=submit]")
        page.wait_for_selector("#chart-spending-guyton_klinger .main-svg", timeout=300_000)
        page.wait_for_selector("#chart-survival .main-svg")
        assert page.locator("#plan-results .js-plotly-plot").count() == 5
        assert narrow_chart_problems(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert not page.errors, page.errors
    finally:
        page.set_viewport_size({"width": 1000, "height": 900})


def test_a_report_the_server_refuses_is_said_not_saved(page, base_url):
    """Where the report's request is refused (here a 422 on `case`, as a plan past one request's
    CPU budget gets it), the server's message is shown beside the button and nothing is saved —
    not the error's JSON under the report's name."""
    fill(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#plan-results:not([hidden])")
    refusal = {"detail": [{"loc": ["body", "case"], "type": "value_error",
                           "msg": "this plan needs more than 20 s of computation"}]}
    downloads: list = []

    def saved(d):
        downloads.append(d)

    page.on("download", saved)
    page.route("**/plan/report*", lambda route: route.fulfill(
        status=422, content_type="application/json", body=json.dumps(refusal)))
    try:
        page.click("#download-plan")
        page.wait_for_function(
            "document.getElementById('download-plan-status').textContent.length > 0")
        said = page.locator("#download-plan-status").inner_text()
        assert said == ("The report could not be made: case: this plan needs more than 20 s of "
                        "computation")
        page.wait_for_timeout(300)  # time for a download, were one started
    finally:
        page.unroute("**/plan/report*")
        page.remove_listener("download", saved)
    assert downloads == []
    assert not page.errors, page.errors
