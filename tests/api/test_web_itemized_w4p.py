"""The assess page asks Schedule A by its parts (`income.state_local_taxes`,
`income.itemized_charity`, `income.other_itemized`), the 10% tax exceptions for a disabled or
terminally ill person (`person.disabled`, `person.terminally_ill`), and, for a payment of a
periodic series, the payee's Form W-4P (`request.w4p_*`); each is sent and changes the answer
as the law says.

The expected figures are worked by hand from the law, not read from the program:

- single, 2026, wages $100,000, a $10,000 cash payment; state and local taxes $12,000 (under
  the cap), gifts to charity $5,000, other itemized $10,000. Without the payment the charity
  deduction is $5,000 − 0.5% × $100,000 = $4,500 (IRC §170(b)(1)(I)), itemized $26,500 (above
  the $16,100 standard deduction, Rev. Proc. 2025-32), taxable income $73,500; with it
  $5,000 − 0.5% × $110,000 = $4,450, itemized $26,450, taxable income $83,550. Both in the 22%
  bracket ($50,400 to $105,700), so the tax rises by 22% × $10,050 = **$2,211.00**, where the
  itemized total held fixed would give 22% × $10,000 = $2,200;
- a 45-year-old's payment after leaving work at 44, in cash: 10% additional tax $1,000
  (IRC §72(t)(1)) — **$0** when disabled (§72(t)(2)(A)(iii)) or terminally ill (§72(t)(2)(L));
- a life annuity of $2,000 a month, fully taxable, in 2026, single (Pub. 15-T 2026,
  Worksheet 1A): $24,000 − $8,600 (line 1g) = $15,400; 10% of the $7,900 over $7,500 = $790 a
  year. With Step 3 credits of $120 a year and Step 4(c) extra of $50 a payment:
  ($790 − $120) ÷ 12 + $50 = **$105.83** withheld (docs/assess.md's example without a W-4P is
  $65.83); electing no withholding (IRC §3405(a)(2)): **$0**."""

from __future__ import annotations

import pytest

from api.test_web import fill

pytestmark = pytest.mark.slow

#: Born 1981-03-02 (45 at the payment), separated in 2025 at 44, $100,000 of deferrals.
PERSON = {"person.birth_date": "1981-03-02", "income.wages": "100000",
          "employment.status": "separated", "employment.hire_date": "2015-01-01",
          "employment.separation_date": "2025-06-30", "src.elective_deferral": "100000",
          "request.amount": "10000", "request.date": "2026-09-01"}
CHECKS = {"plan.in_service.elective_deferral.allowed": False, "plan.in_service.roth_deferral.allowed": False,
          "plan.hardship.allowed": False, "plan.loans.allowed": False}


def cash_row(page):
    page.wait_for_selector("#results:not([hidden])")
    return page.locator("#outcomes tr[data-route='separation'][data-destination='cash']")


def test_itemized_parts_are_sent_and_figured_at_each_returns_income(page, base_url):
    form = {**PERSON, "income.state_local_taxes": "12,000", "income.itemized_charity": "5000",
            "income.other_itemized": "10000"}
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        fill(page, base_url, {"form": form, "checks": CHECKS})
    income = sent.value.post_data_json["income"]
    assert (income["state_local_taxes"], income["itemized_charity"], income["other_itemized"]) == (
        12000, 5000, 10000)
    row = cash_row(page)
    assert float(row.get_attribute("data-income-tax")) == pytest.approx(2211.00, abs=0.005)
    assert float(row.get_attribute("data-penalty")) == pytest.approx(1000.00, abs=0.005)
    assert not page.errors, page.errors


def test_the_itemized_parts_are_not_asked_of_a_72t_series(page, base_url):
    page.goto(base_url + "/")
    for name in ("income.state_local_taxes", "income.itemized_charity", "income.other_itemized"):
        assert page.locator(f"[name='{name}']").is_visible(), name
    page.check("input[name='situation'][value='sepp']")
    for name in ("income.state_local_taxes", "income.itemized_charity", "income.other_itemized"):
        assert page.locator(f"[name='{name}']").is_disabled(), name
    assert not page.errors, page.errors


@pytest.mark.parametrize("flag", ["person.disabled", "person.terminally_ill"])
def test_a_disabled_or_terminally_ill_person_owes_no_10_percent(page, base_url, flag):
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        fill(page, base_url, {"form": PERSON, "checks": {**CHECKS, flag: True}})
    section, field = flag.split(".")
    assert sent.value.post_data_json[section][field] is True
    row = cash_row(page)
    assert float(row.get_attribute("data-penalty")) == 0
    described = page.locator(f"[id='{flag}']").get_attribute("aria-describedby") or ""
    assert described.startswith("help-"), described
    assert not page.errors, page.errors


SERIES = {**PERSON, "person.birth_date": "1961-01-15", "employment.separation_date": "2025-12-31",
          "src.elective_deferral": "400000", "request.amount": "2000"}


def fill_series(page, base_url, w4p: dict, checks: dict):
    fill(page, base_url, {"form": SERIES, "checks": CHECKS}, submit=False)
    if not page.locator("#series").evaluate("d => d.open"):
        page.click("#series summary")
    page.select_option("[name='request.series']", "life")
    page.select_option("[name='request.series_payments_per_year']", "12")
    page.fill("[name='request.annuity_start_date']", "2026-01-01")
    for name, value in w4p.items():
        el = page.locator(f"[name='{name}']")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)
    for name, on in checks.items():
        page.locator(f"[name='{name}']").set_checked(on)
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        page.click("#submit")
    return sent.value.post_data_json["request"]


@pytest.mark.parametrize(("w4p", "checks", "withheld"), [
    ({"request.w4p_filing_status": "single", "request.w4p_credits": "120",
      "request.w4p_extra": "50"}, {}, 105.83),
    ({}, {"request.w4p_no_withholding": True}, 0.0),
])
def test_a_series_payment_is_withheld_by_the_form_w4p_given(page, base_url, w4p, checks, withheld):
    sent = fill_series(page, base_url, w4p, checks)
    for name, value in w4p.items():
        key = name.split(".")[1]
        assert sent[key] == (value if key == "w4p_filing_status" else float(value)), key
    for name, on in checks.items():
        assert sent[name.split(".")[1]] is on
    page.wait_for_selector("#results:not([hidden])")
    row = page.locator("#outcomes tr[data-destination='cash']").first
    assert float(row.get_attribute("data-taxable")) == 2000
    assert float(row.get_attribute("data-withheld")) == pytest.approx(withheld, abs=0.005)
    assert not page.errors, page.errors


def test_the_w4p_fields_are_shown_only_for_a_periodic_series(page, base_url):
    page.goto(base_url + "/")
    page.click("#series summary")
    assert page.locator("[name='request.w4p_filing_status']").is_disabled()
    page.select_option("[name='request.series']", "joint_life")
    for name in ("request.w4p_filing_status", "request.w4p_step2", "request.w4p_credits",
                 "request.w4p_other_income", "request.w4p_deductions", "request.w4p_extra",
                 "request.w4p_no_withholding"):
        assert page.locator(f"[name='{name}']").is_visible(), name
    assert not page.errors, page.errors
