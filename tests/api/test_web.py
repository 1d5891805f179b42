"""The web page in headless Chromium (Playwright, Debian's chromium): fill the form for two
cases, an inherited account and a 72(t) series, check the figures shown equal the CLI's JSON,
the charts draw, and an invalid entry shows its message next to the field. Takes the
screenshot of the README (docs/screenshot.png, rewritten with DIST401K_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import json
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
    load_problems,
    narrow_chart_problems,
    refused_in_the_page,
    serious_accessibility_problems,
    tab_walk,
    type_date,
    wait_for_message,
)
from dist401k.cli import app as cli

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "cases"


#: The plan's in-service boxes for pre-tax and Roth deferrals, both unticked.
DEFERRALS_OFF = {"plan.in_service.elective_deferral.allowed": False,
                 "plan.in_service.roth_deferral.allowed": False}

CASES = {
    "rule-of-55": {
        "form": {"person.birth_date": "1970-08-20", "income.wages": "24000",
                 "employment.status": "separated", "employment.hire_date": "2004-01-05",
                 "employment.separation_date": "2026-03-31", "src.elective_deferral": "310000",
                 "src.match": "95000", "request.amount": "40000", "request.date": "2026-11-23"},
        "checks": {**DEFERRALS_OFF, "plan.hardship.allowed": False, "plan.loans.allowed": False},
    },
    "medical": {
        "form": {"person.birth_date": "1988-04-02", "income.wages": "68000",
                 "income.medical_expenses": "12000", "employment.hire_date": "2015-06-01",
                 "src.elective_deferral": "41000", "src.roth_deferral": "9000",
                 "src.match": "15000", "request.amount": "10000", "request.date": "2026-11-23"},
        "selects": {"request.purpose": "medical"},
        "checks": {"plan.secure2.emergency_expense": True},
    },
    # Roth money with its contributions and first year, after-tax money with its basis, other
    # income, and the cash needed in hand.
    "roth-and-after-tax": {
        "form": {"person.birth_date": "1968-03-10", "income.wages": "0", "income.other_income": "30000",
                 "employment.status": "separated", "employment.hire_date": "2001-02-01",
                 "employment.separation_date": "2025-06-30", "src.elective_deferral": "200000",
                 "src.roth_deferral": "40000", "src.roth_deferral.contributions": "25000",
                 "src.roth_deferral.first_year": "2022", "src.after_tax": "30000",
                 "src.after_tax.basis": "20000", "request.amount": "60000",
                 "request.need": "30000", "request.date": "2026-11-23"},
        "checks": {**DEFERRALS_OFF, "plan.hardship.allowed": False, "plan.loans.allowed": False},
    },
    # Pat, 56, separated at 55, living in California: the state's income tax beside the
    # federal figures, and no 2.5% early-distribution tax (the rule of 55 spares it there too).
    "california-separated-at-55": {
        "form": {"person.birth_date": "1970-05-14", "person.state": "CA", "income.wages": "0",
                 "employment.status": "separated", "employment.hire_date": "2010-03-01",
                 "employment.separation_date": "2025-09-30", "src.elective_deferral": "260000",
                 "request.amount": "40000", "request.date": "2026-11-23"},
        "checks": {"plan.hardship.allowed": False, "plan.loans.allowed": False},
    },
}


def the_same_case(spec: dict) -> dict:
    """The case the form describes, written as a case file (what app.js builds)."""
    f = spec["form"]
    checks = {"plan.in_service.elective_deferral.allowed": True,
              "plan.in_service.roth_deferral.allowed": True, "plan.hardship.allowed": True,
              "plan.loans.allowed": True, "plan.secure2.emergency_expense": False,
              "plan.small_account_cash_out": False, **spec.get("checks", {})}
    sources = {}
    for s in ("elective_deferral", "roth_deferral", "after_tax", "match"):
        if float(f.get(f"src.{s}", 0)) > 0:
            sources[s] = {"balance": float(f[f"src.{s}"])}
    # A figure left empty is not sent (the answer notes what it assumed instead).
    for s, field in (("roth_deferral", "contributions"), ("roth_deferral", "first_year"),
                     ("after_tax", "basis")):
        if s in sources and f.get(f"src.{s}.{field}", "") != "":
            value = float(f[f"src.{s}.{field}"])
            sources[s][field] = int(value) if field == "first_year" else value
    if "match" in sources:
        sources["match"]["vested"] = 1.0
    # Each deferral box ticked: the plan pays that money from the law's 59½ (IRC §401(k)(2)(B)).
    in_service = {s: {"allowed": True, "min_age": 59.5} for s in ("elective_deferral", "roth_deferral")
                  if checks[f"plan.in_service.{s}.allowed"]}
    employment = {"status": f.get("employment.status", "active"),
                  "hire_date": f["employment.hire_date"]}
    if f.get("employment.separation_date"):
        employment["separation_date"] = f["employment.separation_date"]
    return {
        "person": {"birth_date": f["person.birth_date"], "filing_status": "single",
                   **({"state": f["person.state"]} if f.get("person.state") else {})},
        "employment": employment,
        "income": {"wages": float(f["income.wages"]),
                   "other_income": float(f.get("income.other_income", 0)),
                   "medical_expenses": float(f.get("income.medical_expenses", 0)),
                   # Schedule A's parts, sent at 0 where left empty (none is a total)
                   **{k: float(f.get(f"income.{k}", 0))
                      for k in ("state_local_taxes", "itemized_charity", "other_itemized")}},
        "plan": {"type": "401k", "in_service": in_service,
                 "hardship": {"allowed": checks["plan.hardship.allowed"]},
                 "loans": {"allowed": checks["plan.loans.allowed"]},
                 "secure2": {"emergency_expense": checks["plan.secure2.emergency_expense"]},
                 "small_account_cash_out": checks["plan.small_account_cash_out"]},
        "account": {"sources": sources},
        "request": {"date": f["request.date"], "amount": float(f["request.amount"]),
                    "purpose": spec.get("selects", {}).get("request.purpose", "none"),
                    **({"need": float(f["request.need"])} if f.get("request.need") else {})},
    }


def fill(page, base_url, spec, submit=True):
    page.goto(base_url + "/")
    if "situation" in spec:
        page.check(f"input[name='situation'][value='{spec['situation']}']")
    for name, value in spec.get("selects", {}).items():  # first: they show or hide fields
        page.locator(f"[name='{name}']").select_option(value)
    for k, (year, shortfall) in enumerate(spec.get("missed", [])):
        page.click("#add-missed")
        page.locator(f"[name='beneficiary.missed.{k}.year']").fill(year)
        page.locator(f"[name='beneficiary.missed.{k}.shortfall']").fill(shortfall)
    for name, value in spec["form"].items():
        el = page.locator(f"[name='{name}']")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)
    for name, value in spec.get("selects", {}).items():
        page.locator(f"[name='{name}']").select_option(value)
    for name, on in spec.get("checks", {}).items():
        page.locator(f"[name='{name}']").set_checked(on)
    if submit:
        page.click("#submit")


def cli_json(*args: str):
    r = CliRunner().invoke(cli, list(args))
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("name", list(CASES))
def test_form_answers_as_the_cli(page, base_url, tmp_path, name):
    spec = CASES[name]
    fill(page, base_url, spec)
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_selector("#chart-wealth .main-svg")
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(the_same_case(spec)))
    r = CliRunner().invoke(cli, ["assess", "--format", "json", str(case_file)])
    assert r.exit_code == 0, r.output
    expected = json.loads(r.stdout)["outcomes"]
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == len(expected) > 0
    for i, o in enumerate(expected):
        row = rows.nth(i)
        assert row.get_attribute("data-route") == o["route"]
        assert row.get_attribute("data-destination") == o["destination"]
        for attr, key in (("data-gross", "gross"), ("data-income-tax", "income_tax_increase"),
                          ("data-penalty", "additional_tax_72t"), ("data-net-cash", "net_cash"),
                          ("data-check-received", "check_received"),
                          ("data-kept", "kept_after_all_tax")):
            assert float(row.get_attribute(attr)) == pytest.approx(o[key], abs=0.01)
        if "state_covered" in o:  # a state given: its taxes beside the federal figures
            assert float(row.get_attribute("data-state-tax")) == pytest.approx(
                o["state_income_tax_increase"] + o["state_additional_tax"], abs=0.01)
        else:
            assert row.get_attribute("data-state-tax") is None
    if name == "california-separated-at-55":
        assert any(o.get("state_income_tax_increase", 0) > 0 for o in expected)
    # The charts drew their data.
    assert page.locator("#chart-wealth path.js-line").count() >= 2
    assert page.locator("#chart-dollars g.point").count() >= 1
    assert not page.errors, page.errors
    if name == "medical":
        page.locator("#results").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('results').scrollIntoView()")
        screenshot(page, "screenshot.png", tmp_path)


def test_each_row_says_why_and_the_page_says_what_it_assumed_and_the_gross_to_ask(page, base_url):
    # The rule-of-55 case: the row's 10% tax of 0 names its exception, next to it.
    fill(page, base_url, CASES["rule-of-55"])
    page.wait_for_selector("#results:not([hidden])")
    cash = page.locator("#outcomes tr[data-route='separation'][data-destination='cash']")
    assert "rule of 55" in cash.inner_text()
    heads = page.locator("#outcomes th").all_inner_texts()
    assert "check received" in heads and "kept after all tax" in heads and "cash now" not in heads
    assert "check received" in page.locator("#options th").all_inner_texts()
    assert page.locator("#notes-block").is_hidden()
    # The notices the law requires, apart, each with its rule: §402(f) before this payment.
    assert "1.402(f)-1" in page.locator("#law-notices").inner_text()
    # Roth money without its contributions, an amount above what is paid, a need in hand.
    spec = CASES["roth-and-after-tax"]
    form = {**spec["form"], "src.roth_deferral.contributions": "", "request.amount": "9000000"}
    fill(page, base_url, {**spec, "form": form})
    page.wait_for_selector("#results:not([hidden])")
    notes = page.locator("#notes li")
    codes = [notes.nth(i).get_attribute("data-code") for i in range(notes.count())]
    assert "ROTH_CONTRIBUTIONS_ASSUMED_ZERO" in codes and "AMOUNT_CAPPED" in codes
    assert "account.sources.roth_deferral.contributions" in page.locator("#notes").inner_text()
    assert page.locator("#need").inner_text().startswith("You need $30,000 in hand: ask for $")
    best = page.locator("#options tr.best")
    assert best.count() >= 1
    assert all(best.nth(i).get_attribute("data-option").endswith(":cash")
               for i in range(best.count()))
    assert not page.errors, page.errors


def test_invalid_entries_show_their_message_next_to_the_field(page, base_url):
    spec = {**CASES["rule-of-55"], "form": {**CASES["rule-of-55"]["form"],
                                            "src.elective_deferral": "-5"}}
    fill(page, base_url, spec)
    msg = page.locator("[id='err-account.sources.elective_deferral.balance']")
    assert "0 or more" in msg.inner_text()
    # A mistake only the server can see: left before being hired.
    spec = {**CASES["rule-of-55"], "form": {**CASES["rule-of-55"]["form"],
                                            "employment.separation_date": "2003-01-01"}}
    fill(page, base_url, spec)
    msg = page.locator("[id='err-employment.separation_date']")
    msg.wait_for()
    page.wait_for_function("document.getElementById('err-employment.separation_date')"
                           ".textContent.length > 0")
    assert "before the hire date" in msg.inner_text()


def test_phone_width_and_labels(page, base_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "the form must fit a phone-width screen"
    for el in page.locator("input, select").all():
        el_id = el.get_attribute("id")
        if el_id:
            assert page.locator(f"label[for='{el_id}']").count() == 1, el_id
        else:  # a checkbox inside its label
            assert el.evaluate("e => e.closest('label') !== null")


# examples/cases/inherited-ten-year-after-rbd.yaml, as an heir fills the form.
INHERITED = {
    "situation": "inherited",
    "form": {"person.birth_date": "1980-05-05", "income.wages": "95000",
             "beneficiary.deceased_birth_date": "1949-03-20",
             "beneficiary.date_of_death": "2022-06-14",
             "beneficiary.prior_year_end_balance": "262000",
             "beneficiary.distributed_this_year": "2000",
             "src.elective_deferral": "250000", "request.amount": "20000",
             "request.date": "2026-11-23"},
    "selects": {"beneficiary.relationship": "individual", "beneficiary.account": "plan",
                "plan.type": "401k"},
    "missed": [("2023", "6400"), ("2025", "7100")],
}

# examples/cases/sepp-early-retiree.yaml, as an early retiree fills the form.
SEPP = {
    "situation": "sepp",
    "form": {"person.birth_date": "1969-03-10", "employment.status": "separated",
             "employment.hire_date": "2001-06-04", "employment.separation_date": "2022-09-30",
             "src.elective_deferral": "380000", "src.match": "120000",
             "sepp.first_payment_date": "2026-03-01", "sepp.federal_midterm_rates.0": "3.81",
             "sepp.federal_midterm_rates.1": "3.79", "sepp.modification_date": "2028-06-01",
             "request.date": "2026-03-01"},
    "selects": {"sepp.account": "plan", "sepp.table": "single", "plan.type": "401k"},
}


def shown(page, key):
    return page.locator(f"#ben-summary tr[data-key='{key}']")


def test_inherited_form_answers_as_the_cli(page, base_url):
    fill(page, base_url, INHERITED)
    page.wait_for_selector("#ben-results:not([hidden])")
    assert page.locator("#results").is_hidden() and page.locator("#sepp-results").is_hidden()
    a = cli_json("assess", "--format", "json",
                 str(EXAMPLES / "inherited-ten-year-after-rbd.yaml"))
    ben = next(r for r in a["route_summary"] if r["route"] == "beneficiary")
    # The minimum shown is the CLI's, as a number and as text.
    assert float(shown(page, "required").get_attribute("data-value")) == pytest.approx(
        ben["required"], abs=0.005)
    assert f"{ben['required']:,.2f}" in shown(page, "required").inner_text()
    assert float(shown(page, "remaining").get_attribute("data-value")) == pytest.approx(
        ben["remaining"], abs=0.005)
    for key, field in (("kind", "kind"), ("method", "method"), ("deadline", "deadline"),
                       ("empty-by", "empty_by")):
        assert shown(page, key).get_attribute("data-value") == ben[field], key
        if key in ("deadline", "empty-by"):  # the kind and the method are shown in the law's words
            assert ben[field] in shown(page, key).inner_text()
    # Who the heir is under the law: the law's reason text (GET /reasons), not the script's.
    from dist401k.explain import reason
    assert reason("BN_" + ben["kind"].upper()).text in shown(page, "kind").inner_text()
    assert float(shown(page, "excise").get_attribute("data-value")) == pytest.approx(
        ben["excise_missed"], abs=0.005)
    # The missed years, with the excise and the relief notice.
    rows = page.locator("#ben-missed tr[data-year]")
    assert rows.count() == len(ben["missed"]) == 2
    for i, m in enumerate(ben["missed"]):
        assert int(rows.nth(i).get_attribute("data-year")) == m["year"]
        assert float(rows.nth(i).get_attribute("data-excise")) == pytest.approx(m["excise"])
    assert page.locator("#ben-notices [data-code='BN_EXCISE_OWED']").count() == 1
    assert page.locator("#ben-notices [data-code^='BN_RELIEF']").count() >= 1
    assert "Notice 2023-54" in page.locator("#ben-results").inner_text()
    # The rules, with their citations.
    rules = page.locator("#ben-rules").inner_text()
    assert "10-year rule" in rules and "§1.401(a)(9)-5(d)" in rules
    # The cost of the amount asked for: as the CLI.
    out = page.locator("#ben-outcomes tr[data-route]")
    assert out.count() == len(a["outcomes"]) > 0
    for i, o in enumerate(a["outcomes"]):
        assert float(out.nth(i).get_attribute("data-net-cash")) == pytest.approx(o["net_cash"],
                                                                                  abs=0.01)
    assert not page.errors, page.errors


def test_sepp_form_answers_as_the_cli(page, base_url):
    fill(page, base_url, SEPP)
    page.wait_for_selector("#sepp-results:not([hidden])")
    page.wait_for_selector("#chart-sepp .main-svg")
    s = cli_json("sepp", "--format", "json", str(EXAMPLES / "sepp-early-retiree.yaml"))
    first = page.locator("#sepp-first tr[data-method]")
    assert first.count() == 3
    for i, m in enumerate(("rmd", "amortization", "annuitization")):
        assert first.nth(i).get_attribute("data-method") == m
        assert float(first.nth(i).get_attribute("data-payment")) == pytest.approx(
            s["first_year"][m], abs=0.005)
        assert f"{s['first_year'][m]:,.2f}" in first.nth(i).inner_text()
    # The schedules side by side, year by year.
    rows = page.locator("#sepp-schedule tr[data-year]")
    assert rows.count() == len(s["schedule"]) >= 5
    for i, y in enumerate(s["schedule"]):
        for m in ("rmd", "amortization", "annuitization"):
            assert float(rows.nth(i).get_attribute(f"data-{m}")) == pytest.approx(
                y[f"payment_{m}"], abs=0.005)
    # The chart has the payments of each method over the years.
    assert page.locator("#chart-sepp path.js-line").count() >= 3
    data = page.evaluate("document.getElementById('chart-sepp').data.map(t => [t.x, t.y])")
    assert len(data) == 3
    for (xs, ys), m in zip(data, ("rmd", "amortization", "annuitization"), strict=True):
        assert xs == [y["year"] for y in s["schedule"]]
        assert ys == pytest.approx([y[f"payment_{m}"] for y in s["schedule"]])
    # The rate and its ceiling, the end date, the cost of breaking, the citations.
    summary = page.locator("#sepp-summary")
    assert float(summary.locator("tr[data-key='rate']").get_attribute("data-value")) == \
        pytest.approx(s["interest_rate"])
    assert float(summary.locator("tr[data-key='ceiling']").get_attribute("data-value")) == \
        pytest.approx(s["rate_ceiling"])
    from dist401k.explain import reason
    assert reason("SP_RATE_CEILING").text in summary.locator("tr[data-key='ceiling']").inner_text()
    assert s["series_ends"] in summary.locator("tr[data-key='series-ends']").inner_text()
    brk = page.locator("#sepp-break tr[data-method]")
    assert brk.count() == 3
    for i, m in enumerate(("rmd", "amortization", "annuitization")):
        assert float(brk.nth(i).get_attribute("data-total")) == pytest.approx(
            s["modification"][m]["total"], abs=0.005)
    assert "§72(t)(4)" in page.locator("#sepp-rules").inner_text()
    assert page.locator("#sepp-cites li").count() == len(s["citations"])
    assert not page.errors, page.errors


def test_inherited_and_sepp_invalid_entries_show_their_message_next_to_the_field(page, base_url):
    # Checked in the page: a required date left empty.
    fill(page, base_url, {**INHERITED, "form": {**INHERITED["form"],
                                                "beneficiary.date_of_death": ""}})
    assert "fill this in" in wait_for_message(page, "beneficiary.date_of_death")
    # Checked by the server: a missed year before the death, next to that row's year.
    fill(page, base_url, {**INHERITED, "missed": [("2021", "500")]})
    assert "before the year of death" in wait_for_message(page, "beneficiary.missed.0.year")
    # A rate given as a percent above the law's range.
    fill(page, base_url, {**SEPP, "form": {**SEPP["form"], "sepp.federal_midterm_rates.0": "38"}})
    assert "25 or less" in wait_for_message(page, "sepp.federal_midterm_rates.0")
    # Checked by the server: the joint table needs the beneficiary's birth date.
    fill(page, base_url, {**SEPP, "selects": {**SEPP["selects"], "sepp.table": "joint"}})
    assert "required with the joint table" in wait_for_message(page, "sepp.beneficiary_birth_date")
    # ... and breaking the series before it starts.
    fill(page, base_url, {**SEPP, "form": {**SEPP["form"], "sepp.modification_date": "2025-01-01"}})
    assert "after first_payment_date" in wait_for_message(page, "sepp.modification_date")
    assert page.locator("#sepp-results").is_hidden()
    assert not page.errors, page.errors


@pytest.mark.parametrize("situation", ["own", "inherited", "sepp"])
def test_each_situation_fits_a_phone_and_labels_its_fields(page, base_url, situation):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/")
    page.check(f"input[name='situation'][value='{situation}']")
    if situation == "inherited":
        page.click("#add-missed")
    shown_fields = page.locator("input:visible, select:visible")
    assert shown_fields.count() > 5
    for el in shown_fields.all():  # one label: for= its id, or around it
        assert el.evaluate("e => e.labels.length") == 1, el.get_attribute("name")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    if situation != "own":  # the plan-account questions that do not apply are hidden
        assert page.locator("[name='request.purpose']").is_hidden()
    if situation == "sepp":
        fill(page, base_url, SEPP)
        page.wait_for_selector("#chart-sepp .main-svg")
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.set_viewport_size({"width": 1000, "height": 900})


def test_charts_keep_their_shape_with_one_option_and_legends_clear_of_axis_titles(page,
                                                                                 base_url):
    fill(page, base_url, CASES["medical"])  # one way to take money: a hardship withdrawal
    page.wait_for_selector("#chart-dollars .main-svg")
    wealth, dollars = (chart_boxes(page, f"#chart-{c}")[0] for c in ("wealth", "dollars"))
    assert dollars["bars"] >= 1 and dollars["plot"][2] >= 120, dollars  # no collapse
    assert wealth["toolbar"] == dollars["toolbar"] == 1  # a wide screen keeps Plotly's toolbar
    assert_legend_clear_of_axis_title(wealth)
    assert_legend_clear_of_axis_title(dollars)


@pytest.mark.parametrize("name", ["rule-of-55", "inherited", "sepp"])
def test_no_serious_accessibility_problem_before_and_after_an_answer(page, base_url, name):
    page.goto(base_url + "/")
    assert serious_accessibility_problems(page) == []
    spec = CASES.get(name) or {"inherited": INHERITED, "sepp": SEPP}[name]
    fill(page, base_url, spec)
    page.wait_for_selector("section[id$='results']:not([hidden]) table tr")
    assert serious_accessibility_problems(page) == []


def test_the_page_works_from_the_keyboard_alone(page, base_url):
    page.goto(base_url + "/")
    reached, unmarked = tab_walk(page)
    assert controls(page) <= reached, controls(page) - reached
    assert unmarked == []
    # The situation by the arrow keys, then the answer by Enter, focus taken to the answer.
    page.focus("input[name='situation'][value='own']")
    page.keyboard.press("ArrowRight")
    assert page.locator("input[name='situation'][value='inherited']").is_checked()
    page.keyboard.press("ArrowLeft")
    fill(page, base_url, CASES["rule-of-55"], submit=False)
    page.focus("[name='request.amount']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results:not([hidden]) table tr")
    page.wait_for_function("document.activeElement.closest('#results') !== null")
    # A mistake: the focus goes to the field with the message.
    page.fill("[name='request.amount']", "-5")
    page.focus("#submit")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.name === 'request.amount'")


# The Instructions for Form 5329 example of tests/routes/test_roth_ira.py, as its owner fills
# the page: the Roth IRA beside a 401(k), two conversions within their 5 years.
ROTH_IRA = {
    "form": {"person.birth_date": "1973-03-01", "income.wages": "60000",
             "employment.hire_date": "2010-01-01", "src.elective_deferral": "100000",
             "iras.roth": "50000", "iras.roth_contributions": "4000",
             "iras.roth_first_year": "2022",
             "iras.roth_conversions": "2022 20000 15000\n2023 10000 7000",
             "request.amount": "33000", "request.date": "2026-07-09"},
}


def test_roth_ira_fields_show_the_option_and_its_part_iii(page, base_url, tmp_path):
    fill(page, base_url, ROTH_IRA)
    page.wait_for_selector("#results:not([hidden])")
    case = the_same_case(ROTH_IRA)
    case["iras"] = {"roth": 50000.0, "roth_contributions": 4000.0, "roth_first_year": 2022,
                    "roth_conversions": [
                        {"year": 2022, "amount": 20000.0, "taxable_amount": 15000.0},
                        {"year": 2023, "amount": 10000.0, "taxable_amount": 7000.0}]}
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(case))
    o = next(o for o in cli_json("assess", "--format", "json", str(case_file))["outcomes"]
             if o["route"] == "roth_ira")
    row = page.locator("#outcomes tr[data-route='roth_ira']")
    assert float(row.get_attribute("data-gross")) == 33000
    assert float(row.get_attribute("data-penalty")) == pytest.approx(
        o["additional_tax_72t"]) == pytest.approx(2200)  # 10% of the 22,000 recaptured
    part_iii = page.locator("#part-iii tr[data-route='roth_ira']")
    for line, value in o["form_8606_part_iii"].items():
        assert float(part_iii.get_attribute("data-" + line.replace("_", "-"))) == value
    assert float(part_iii.get_attribute("data-line-23")) == 29000
    f5329 = page.locator("#f5329 tr[data-route='roth_ira']")
    assert float(f5329.get_attribute("data-line-1")) == 22000
    assert page.locator("#options tr[data-option='roth_ira:cash']").count() == 1
    assert not page.errors, page.errors
    # A victim of domestic abuse: the date appears with the purpose; 2026's $10,500 limit
    # spares that much of the 22,000 (Form 5329 exception 22).
    abuse = {"form": {**ROTH_IRA["form"], "request.event_date": "2026-01-15"},
             "selects": {"request.purpose": "domestic_abuse"}}
    fill(page, base_url, abuse)
    page.wait_for_selector("#results:not([hidden])")
    f5329 = page.locator("#f5329 tr[data-route='roth_ira']")
    assert float(f5329.get_attribute("data-line-2")) == 10500
    assert "22" in f5329.inner_text()
    page.select_option("[name='request.purpose']", "none")
    assert page.locator("[name='request.event_date']").is_hidden()


def test_roth_ira_conversions_errors_show_next_to_the_field(page, base_url):
    bad = {"form": {**ROTH_IRA["form"], "iras.roth_conversions": "2022 twenty"}}
    fill(page, base_url, bad)
    wait_for_message(page, "iras.roth_conversions")
    assert "Line 1" in page.locator("[id='err-iras.roth_conversions']").inner_text()
    # Only the server sees it: a conversion after the year of the withdrawal.
    late = {"form": {**ROTH_IRA["form"], "iras.roth_conversions": "2030 5000 0"}}
    fill(page, base_url, late)
    wait_for_message(page, "iras.roth_conversions")
    assert page.locator("#results").is_hidden()


def test_a_failed_request_takes_the_answer_before_it_away(page, base_url):
    """The figures and the report of the case before are not left beside a form that now says
    something else: while the new answer is asked for they are marked out of date and the
    download is off; when the request fails they are hidden."""
    fill(page, base_url, CASES["rule-of-55"])
    answer_goes_with_a_failed_request(  # a separation after the request's date
        page, ("case", "results", "download"), ("employment.separation_date", "2027-03-31"),
        ("employment.separation_date", "2026-03-31"), "#submit")
    # A mistake the page sees itself hides it as well.
    page.fill("[name='request.amount']", "-5")
    page.click("#submit")
    wait_for_message(page, "request.amount")
    assert page.locator("#results").is_hidden()
    assert not page.errors, page.errors


@pytest.mark.parametrize("name", ["employment.hire_date", "employment.separation_date",
                                  "request.date"])
def test_a_date_that_does_not_exist_is_refused_in_the_page(page, base_url, name):
    """February 30 typed into a date field (the browser then reads the field as empty): the
    page says so next to the field and takes the focus there, and sends nothing; not dropped
    (an optional date), nor "fill this in", nor the server's "required"."""
    fill(page, base_url, CASES["rule-of-55"], submit=False)
    assert type_date(page, f"[name='{name}']", "02302026")
    refused_in_the_page(page, name, "#submit")
    assert page.locator("#results").is_hidden()


def test_the_best_option_is_marked_in_words(page, base_url):
    """The option that leaves the most after tax at an age is marked "★ most after tax at"
    that age (as the CLI marks it), and set apart as the planner sets its best strategy."""
    with page.expect_response(lambda r: r.url.endswith("/compare")) as answer:
        fill(page, base_url, CASES["rule-of-55"])
    best_at = answer.value.json()["best_at"]
    page.wait_for_selector("#results:not([hidden])")
    rows = page.locator("#options tr[data-option]")
    for i in range(rows.count()):
        row = rows.nth(i)
        ages = [h for h, o in best_at.items() if o == row.get_attribute("data-option")]
        text = row.locator("td").first.inner_text()
        if ages:
            assert "best" in (row.get_attribute("class") or "")
            said = ages[0] if len(ages) == 1 else ", ".join(ages[:-1]) + " and " + ages[-1]
            assert f"★ most after tax at {said}" in text, text
            weight, background = row.locator("td").first.evaluate(
                "e => [getComputedStyle(e).fontWeight, getComputedStyle(e).backgroundColor]")
            assert int(weight) >= 600 and background != "rgba(0, 0, 0, 0)"
        else:
            assert "★" not in text
    # Said at each horizon, as the report says it, not "at that age" (a horizon may be a date).
    best = page.locator("#options-best").inner_text()
    assert "that age" not in best and all(h in best for h in best_at), best
    assert any(best_at.values())


@pytest.mark.parametrize("path", ["/", "/planner"])
def test_no_console_error_on_load(page, base_url, path):
    assert load_problems(page, base_url + path) == []


@pytest.mark.parametrize("name", ["rule-of-55", "sepp"])
def test_charts_fit_a_phone(page, base_url, name):
    """At 375 px: no chart wider than the screen, titles whole and clear of the legend, no
    toolbar over them, and the bars of "Where each option's dollars go" not squeezed to a
    sliver by a fixed margin for their labels."""
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        spec = CASES.get(name) or SEPP
        fill(page, base_url, spec)
        page.wait_for_selector("#chart-dollars .main-svg" if name != "sepp"
                               else "#chart-sepp .main-svg")
        assert page.locator(".js-plotly-plot:visible").count() == (2 if name != "sepp" else 1)
        assert narrow_chart_problems(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert not page.errors, page.errors
    finally:
        page.set_viewport_size({"width": 1000, "height": 900})


def test_the_dates_that_matter_are_listed_once_each_in_order(page, base_url):
    """The deadlines of the options (here the 60-day rollover's, 60 days after the request:
    IRC §402(c)(3)) are listed under "Dates that matter", once each, in the order they fall,
    as the answer gives them."""
    with page.expect_response(lambda r: r.url.endswith("/assess")) as answer:
        fill(page, base_url, CASES["rule-of-55"])
    page.wait_for_selector("#dates-block:not([hidden])")
    expected = sorted({(d["date"], d["what"]) for o in answer.value.json()["outcomes"]
                       if o["route"] not in ("loan_deemed", "loan_offset")
                       for d in o.get("deadlines", [])})
    shown = page.locator("#dates li").all_inner_texts()
    assert shown == [f"{d}: {w}" for d, w in expected]
    assert any("60-day rollover" in x for x in shown)
    assert not page.errors, page.errors
