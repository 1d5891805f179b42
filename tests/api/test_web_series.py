"""One payment of a series (request.series, docs/assess.md "Payments in a series") through the
assess page in headless Chromium: the collapsed group of its fields, each shown where it
applies (the period's years for a period only, the beneficiary's birth date for joint lives
only), the case the page sends, the answer equal to the CLI's for the same case, the SR_*
reasons, Form 1099-R box 9b, and the amount of one payment required (the server refuses "as
much as possible" for a series; its message beside the field, the group opened to show its own).

The expected figures are the law's, worked by hand, not the code's:

- a life annuity begun 2024-01-01 by a participant born 1958-03-01 (65 on that date: 260
  anticipated monthly payments, IRC §72(d)(1)(B)(iii)), cost $31,000, paid yearly $24,000:
  the tax-free part is $31,000 ÷ (260 ÷ 12) = $1,430.77 (yearly payments hold 12 months' worth,
  §72(d)(1)(F); Pub. 575, Worksheet A, lines 2 to 4), $22,569.23 taxable — the example of
  docs/assess.md;
- joint lives with a beneficiary born 1963-06-01 (60 on that date; combined ages 125: 310
  anticipated payments, §72(d)(1)(B)(iv)), the same cost, paid monthly $2,000: $31,000 ÷ 310 =
  $100.00 tax-free, $1,900.00 taxable;
- both: no eligible rollover distribution (§402(c)(4)(A)(i)), so only the cash outcome, no 20%
  withheld (the withholding is that of wages, §3405(a), not figured before 2025: "unknown" shown,
  never 0); box 9b is the
  cost in the year the life annuity began (Form 1099-R, Instructions for Recipient, box 9b)."""

from __future__ import annotations

import pytest
import yaml

from api.test_web import cli_json, the_same_case
from api.test_web import fill as fill_base
from api.web_checks import serious_accessibility_problems

pytestmark = pytest.mark.slow

#: The participant and the account, as test_web.py's cases fill them.
BASE = {
    "form": {"person.birth_date": "1958-03-01", "income.wages": "0",
             "employment.status": "separated", "employment.hire_date": "2000-01-01",
             "employment.separation_date": "2023-06-30", "src.elective_deferral": "300000",
             "src.after_tax": "60000", "src.after_tax.basis": "31000",
             "request.amount": "24000", "request.date": "2024-12-01"},
    "checks": {"plan.in_service.elective_deferral.allowed": False,
               "plan.in_service.roth_deferral.allowed": False, "plan.hardship.allowed": False,
               "plan.loans.allowed": False},
}

#: Each series as the page's group takes it, what the case file says, and the figures by hand.
SERIES = {
    "life-yearly": {
        "amount": "24000", "kind": "life",
        "fields": {"request.series_payments_per_year": "1",
                   "request.annuity_start_date": "2024-01-01", "request.series_cost": "31000"},
        "request": {"series": "life", "series_payments_per_year": 1,
                    "annuity_start_date": "2024-01-01", "series_cost": 31000.0,
                    "series_cost_recovered": 0.0},
        "taxable": 22569.23, "box_9b": 31000.0, "box_9b_text": "31,000.00",
    },
    "joint-monthly": {
        "amount": "2000", "kind": "joint_life",
        "fields": {"request.series_payments_per_year": "12",
                   "request.annuity_start_date": "2024-01-01", "request.series_cost": "31,000",
                   "request.series_beneficiary_birth_date": "1963-06-01"},
        "request": {"series": "joint_life", "series_payments_per_year": 12,
                    "annuity_start_date": "2024-01-01", "series_cost": 31000.0,
                    "series_cost_recovered": 0.0,
                    "series_beneficiary_birth_date": "1963-06-01"},
        "taxable": 1900.00, "box_9b": 31000.0, "box_9b_text": "31,000.00",
    },
}

#: A participant who had attained 75 on the annuity starting date, 10 years guaranteed: the
#: Simplified Method does not apply (IRC §72(d)(1)(E), read at law.cornell.edu), so its figure
#: ($31,000 ÷ 160 a month at 71 or over, §72(d)(1)(B)(iii)) is not the answer's, and the reason
#: says so.
AGE_75 = {
    "base": {"person.birth_date": "1948-06-01"},
    "amount": "2000", "kind": "life",
    "fields": {"request.annuity_start_date": "2024-01-01", "request.series_cost": "31000",
               "request.series_guaranteed_years": "10"},
    "request": {"series": "life", "series_payments_per_year": 12,
                "annuity_start_date": "2024-01-01", "series_cost": 31000.0,
                "series_cost_recovered": 0.0, "series_guaranteed_years": 10.0},
}
SERIES_CASES = {**SERIES, "age-75-guaranteed": AGE_75}


def open_series(page) -> None:
    """The collapsed group opened (as a person clicks its summary)."""
    if not page.locator("#series").evaluate("d => d.open"):
        page.click("#series summary")


def base_form(s: dict) -> dict:
    return {**BASE, "form": {**BASE["form"], **s.get("base", {}), "request.amount": s["amount"]}}


def fill_series(page, base_url, name: str, submit: bool = True) -> None:
    s = SERIES_CASES[name]
    fill_base(page, base_url, base_form(s), submit=False)
    open_series(page)
    page.select_option("[name='request.series']", s["kind"])
    for field, value in s["fields"].items():
        el = page.locator(f"[name='{field}']")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)
    if submit:
        page.click("#submit")


#: The Form W-4P fields the group shows for a periodic series (life, joint lives, a period),
#: sent at their defaults when left alone: no W-4P given (docs/assess.md).
W4P_NONE = {"w4p_step2": False, "w4p_credits": 0.0, "w4p_other_income": 0.0,
            "w4p_deductions": 0.0, "w4p_extra": 0.0, "w4p_no_withholding": False}


def the_series_case(name: str) -> dict:
    s = SERIES_CASES[name]
    case = the_same_case(base_form(s))
    case["request"].update(s["request"], **W4P_NONE)
    return case


def test_the_group_is_collapsed_and_shows_each_field_where_it_applies(page, base_url):
    page.goto(base_url + "/")
    group = page.locator("#series")
    assert group.is_visible() and not group.evaluate("d => d.open")
    assert group.locator("summary").inner_text() == \
        "One payment of a series (installments or an annuity the plan pays)"
    open_series(page)
    # No series: only the question; nothing of a series is asked, nor sent.
    series_fields = ["request.series_years", "request.series_payments_per_year",
                     "request.annuity_start_date", "request.series_cost",
                     "request.series_cost_recovered", "request.series_guaranteed_years",
                     "request.series_beneficiary_birth_date"]
    for name in series_fields:
        assert page.locator(f"[name='{name}']").is_hidden(), name
        assert page.locator(f"[name='{name}']").is_disabled(), name
    assert page.locator("#series-amount-note").is_hidden()
    page.select_option("[name='request.series']", "life")
    assert page.locator("[name='request.series_years']").is_hidden()
    assert page.locator("[name='request.series_beneficiary_birth_date']").is_hidden()
    for name in series_fields[1:6]:
        assert page.locator(f"[name='{name}']").is_visible(), name
    # The amount beside it: one payment, not "as much as possible".
    note = page.locator("#series-amount-note")
    assert note.is_visible() and "one payment" in note.inner_text()
    page.select_option("[name='request.series']", "period")
    assert page.locator("[name='request.series_years']").is_visible()
    assert page.locator("[name='request.series_beneficiary_birth_date']").is_hidden()
    # A period's payments are all guaranteed (its years): not asked (the server refuses it).
    assert page.locator("[name='request.series_guaranteed_years']").is_hidden()
    page.select_option("[name='request.series']", "joint_life")
    assert page.locator("[name='request.series_years']").is_hidden()
    assert page.locator("[name='request.series_beneficiary_birth_date']").is_visible()
    # The period of 10 years, the law's figure (GET /law), in the help.
    page.wait_for_function("document.querySelector('[data-law=\"annuity.eligible_rollover_series_years\"]')"
                           ".textContent.length > 0")
    assert "a period of 10 years or more" in page.locator("#series").inner_text()
    # Each field described by its help; numbers typed in text fields read by the page's reader.
    for name in series_fields:
        el = page.locator(f"[id='{name}']")
        assert (el.get_attribute("aria-describedby") or "").startswith("help-"), name
    for name in ("request.series_years", "request.series_cost", "request.series_cost_recovered",
                 "request.series_guaranteed_years"):
        el = page.locator(f"[id='{name}']")
        assert el.get_attribute("type") == "text" and el.get_attribute("inputmode"), name
    # Another situation: the group is not there (a series is the participant's own).
    for situation in ("inherited", "sepp", "qdro"):
        page.check(f"input[name='situation'][value='{situation}']")
        assert group.is_hidden(), situation
        assert page.locator("[name='request.series']").is_disabled(), situation
        assert page.locator("#series-amount-note").is_hidden(), situation
    assert not page.errors, page.errors


@pytest.mark.parametrize("name", list(SERIES))
def test_a_series_answers_as_the_cli_with_its_reasons_and_box_9b(page, base_url, tmp_path, name):
    s = SERIES[name]
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        fill_series(page, base_url, name)
    case = the_series_case(name)
    # The case the page sends: the series' fields, numbers as numbers ("31,000" read as 31000).
    assert sent.value.post_data_json["request"] == case["request"]
    page.wait_for_selector("#results:not([hidden])")
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(case))
    expected = cli_json("assess", "--format", "json", str(case_file))["outcomes"]
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == len(expected) == 1  # no rollover of a series (§402(c)(4)(A))
    row, o = rows.first, expected[0]
    assert (row.get_attribute("data-route"), row.get_attribute("data-destination")) == \
        (o["route"], o["destination"]) == ("separation", "cash")
    for attr, key in (("data-gross", "gross"), ("data-taxable", "taxable"),
                      ("data-income-tax", "income_tax_increase"),
                      ("data-penalty", "additional_tax_72t"), ("data-net-cash", "net_cash"),
                      ("data-check-received", "check_received"), ("data-kept", "kept_after_all_tax")):
        assert float(row.get_attribute(attr)) == pytest.approx(o[key], abs=0.005), attr
    # The law's figures, by hand (the module's docstring).
    assert float(row.get_attribute("data-gross")) == float(s["amount"])
    assert float(row.get_attribute("data-taxable")) == pytest.approx(s["taxable"], abs=0.005)
    if o["withholding"] is None:  # not figured: no figure, and the cell says so
        assert row.get_attribute("data-withheld") == ""
        assert row.locator("td").nth(4).inner_text().startswith("unknown")
    else:
        assert float(row.get_attribute("data-withheld")) == pytest.approx(o["withholding"], abs=0.005) == 0
    # Form 1099-R box 9b: the cost, in the year the life annuity began; as the CLI's form.
    assert [f["box_9b"] for f in o["form_1099r"] if f["box_9b"] is not None] == [s["box_9b"]]
    assert float(row.get_attribute("data-box-9b")) == s["box_9b"]
    assert f"box 9b, your cost: {s['box_9b_text']}" in row.locator(".box-9b").inner_text()
    # The SR_* reasons, each once with its citation, and among the rules behind the answers.
    codes = {r["code"] for r in o["reasons"] if r["code"].startswith("SR_")}
    assert {"SR_NOT_ERD", "SR_WITHHOLDING_WAGES", "SR_SIMPLIFIED_METHOD"} <= codes
    block = page.locator("#series-block")
    assert block.is_visible()
    for code in codes:
        shown = page.locator(f"#series-notices [data-code='{code}']")
        assert shown.count() == 1, code
    assert "IRC §402(c)(4)(A)" in page.locator("#series-notices [data-code='SR_NOT_ERD']").inner_text()
    assert "IRS Publication 575, Worksheet A" in page.locator("#cites").inner_text()
    assert not page.errors, page.errors


def test_guaranteed_years_at_75_answer_as_the_cli_without_the_simplified_method(page, base_url,
                                                                                tmp_path):
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        fill_series(page, base_url, "age-75-guaranteed")
    case = the_series_case("age-75-guaranteed")
    assert sent.value.post_data_json["request"] == case["request"]
    page.wait_for_selector("#results:not([hidden])")
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(case))
    expected = cli_json("assess", "--format", "json", str(case_file))["outcomes"]
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == len(expected) > 0
    for i, o in enumerate(expected):
        for attr, key in (("data-gross", "gross"), ("data-taxable", "taxable"),
                          ("data-net-cash", "net_cash")):
            assert float(rows.nth(i).get_attribute(attr)) == pytest.approx(o[key], abs=0.005)
    cash = next(o for o in expected if o["destination"] == "cash" and o["gross"] == 2000)
    assert cash["taxable"] != pytest.approx(2000 - 31000 / 160, abs=0.005)
    assert page.locator("#series-notices [data-code='SR_GENERAL_RULE_AGE']").count() == 1
    assert page.locator("#series-notices [data-code='SR_SIMPLIFIED_METHOD']").count() == 0
    assert "§72(d)(1)(E)" in page.locator("#series-notices").inner_text()
    assert not page.errors, page.errors


def test_no_box_9b_and_no_series_block_for_a_single_payment(page, base_url):
    fill_base(page, base_url, BASE)
    page.wait_for_selector("#results:not([hidden])")
    assert page.locator("#outcomes tr[data-box-9b]").count() == 0
    assert page.locator("#outcomes .box-9b").count() == 0
    assert page.locator("#series-block").is_hidden()
    assert not page.errors, page.errors


def test_a_series_without_an_amount_is_refused_beside_the_field(page, base_url):
    """No amount with a series: the server refuses "max" (the page sends it for an empty
    amount); its message beside the amount."""
    fill_series(page, base_url, "life-yearly", submit=False)
    page.fill("[name='request.amount']", "")
    page.click("#submit")
    page.wait_for_function("document.getElementById('err-request.amount').textContent.length > 0")
    assert "one payment of the series" in page.locator("[id='err-request.amount']").inner_text()
    assert page.locator("#results").is_hidden()


def test_a_message_inside_the_collapsed_group_opens_it(page, base_url):
    """A period series without its years, the group closed again before sending: the server's
    message is beside the years' field, and the group opens to show it."""
    fill_series(page, base_url, "life-yearly", submit=False)
    page.select_option("[name='request.series']", "period")
    page.click("#series summary")  # closed
    assert not page.locator("#series").evaluate("d => d.open")
    page.click("#submit")
    page.wait_for_function(
        "document.getElementById('err-request.series_years').textContent.length > 0")
    assert page.locator("#series").evaluate("d => d.open")
    assert page.locator("[id='err-request.series_years']").is_visible()
    assert page.locator("[id='request.series_years']").get_attribute("aria-invalid") == "true"


def test_no_serious_accessibility_problem_with_the_group_open_and_the_answer(page, base_url):
    fill_series(page, base_url, "joint-monthly", submit=False)
    assert serious_accessibility_problems(page) == []
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) #series-block:not([hidden])")
    assert serious_accessibility_problems(page) == []
