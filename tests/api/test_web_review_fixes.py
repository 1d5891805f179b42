"""The assess page as a person reads it: a way out's reason names a field by the page's label
(docs/api.md), the heir's summary speaks in words, the hire date's help promises only what the
page asks, a former employee is not offered a new loan by the page's default and can say what
loan is still owed, and the cost table fits a desktop page."""

from __future__ import annotations

import pytest

from api.test_web import fill

pytestmark = pytest.mark.slow

# examples/cases/rule-of-55.yaml, as he types it in; the plan's boxes left as the page sets them.
RULE_OF_55 = {
    "form": {"person.birth_date": "1970-08-20", "income.wages": "24000",
             "employment.status": "separated", "employment.hire_date": "2004-01-05",
             "employment.separation_date": "2026-03-31", "src.elective_deferral": "310000",
             "src.match": "95000", "request.amount": "40000", "request.date": "2026-11-23"},
}

# examples/cases/inherited-ten-year-before-rbd.yaml, as the daughter types it in.
HEIR = {
    "situation": "inherited",
    "form": {"person.birth_date": "1992-02-27", "income.wages": "82000",
             "beneficiary.deceased_birth_date": "1963-01-12",
             "beneficiary.date_of_death": "2025-08-30",
             "src.elective_deferral": "140000", "request.amount": "15000",
             "request.date": "2026-11-23"},
    "selects": {"beneficiary.relationship": "child", "beneficiary.account": "plan",
                "plan.type": "governmental_457b"},
}

DISABLED_LABEL = "I am totally and permanently disabled"  # index.html, person.disabled


def answered(page, spec):
    fill(page, page.base_url_, spec)
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_selector("#routes tr[data-route] td:not(:empty)")


@pytest.fixture
def on(page, base_url):
    page.base_url_ = base_url
    return page


def test_a_ways_out_reason_names_the_field_by_its_label_and_says_tick(on):
    """The disability row's reason (DI_NOT: "enter person.disabled: true") in
    the page's words: the box is ticked, by its label, in the routes table as in the rules list."""
    answered(on, RULE_OF_55)
    row = on.locator("#routes tr[data-route='disability']").inner_text()
    assert "person.disabled" not in row, row
    assert f"tick “{DISABLED_LABEL}”" in row, row
    cites = on.locator("#cites").inner_text()
    assert "person.disabled" not in cites and f"tick “{DISABLED_LABEL}”" in cites
    routes = on.locator("#routes").inner_text()
    assert not any(k in routes for k in ("person.", "employment.", "plan.", "account.", "request."))
    assert not on.errors, on.errors


def test_the_heirs_summary_speaks_in_words(on):
    """Born 1963-01-12, the mother's applicable age is 75 (IRC §401(a)(9)(C)(v)(II)): 75 in
    2038, her required beginning date April 1, 2039. She died 2025-08-30, before it: a date
    never reached. The kind and method are in the law's words, their codes not printed."""
    fill(on, on.base_url_, HEIR)
    on.wait_for_selector("#ben-results:not([hidden])")
    on.wait_for_selector("#ben-summary tr[data-key='kind'] td:not(:empty)")

    def row(key):
        return on.locator(f"#ben-summary tr[data-key='{key}']")

    assert row("kind").get_attribute("data-value") == "designated"
    assert row("method").get_attribute("data-value") == "ten_year"
    assert "(designated)" not in row("kind").inner_text()
    assert "ten_year" not in row("method").inner_text()
    assert "10-year rule" in row("method").inner_text()
    rbd = row("after-rbd").inner_text()
    assert "it was" not in rbd
    assert "no: they died before it (it would have been 2039-04-01)" in rbd
    assert not on.errors, on.errors


def test_the_hire_dates_help_promises_nothing_the_page_cannot_ask(on):
    """The hire date's help promises nothing the page cannot ask: the page now asks a plan's
    in-service payment of employer money (Rev. Rul. 68-24; tests/api/test_web_in_service_employer.py),
    and the help points to those fields instead of saying the page cannot ask them."""
    on.goto(on.base_url_ + "/")
    field = on.locator("[id='employment.hire_date']").locator("xpath=..")
    help_text = field.locator(".help").inner_text()
    assert "can open employer money" not in help_text
    assert "Not on this page" not in help_text and "pays none" not in help_text
    assert on.locator("[name='plan.in_service.match.allowed']").count() == 1


def test_loans_start_unticked_for_someone_who_has_left(on):
    """New loans are the plan's choice, and the engine lends to a former employee whenever the
    plan does (routes/loan.py): the page no longer makes that choice by a ticked default."""
    on.goto(on.base_url_ + "/")
    box = on.locator("[name='plan.loans.allowed']")
    assert box.is_checked()  # still working there
    on.select_option("[name='employment.status']", "separated")
    assert not box.is_checked()
    on.select_option("[name='employment.status']", "active")
    assert box.is_checked()
    # Once the user has chosen, the choice stays.
    box.set_checked(False)
    on.select_option("[name='employment.status']", "separated")
    on.select_option("[name='employment.status']", "active")
    assert not box.is_checked()


def test_a_loan_still_owed_is_offset_and_no_new_loan_offered(on):
    """rule-of-55 with the $6,000 loan of its case file: left in 2026, the loan is offset
    (route loan_offset, IRC §402(c)(3)(C)). Taken in cash, $6,000 more taxable income on
    24,000 of wages: 2026 single standard deduction 16,100 (Rev. Proc. 2025-32), so 7,900
    taxed before (790 at 10%) and 13,900 after (12,400 × 10% + 1,500 × 12% = 1,420): +630.
    No new loan: the page's Loans box is left unticked for someone who has left."""
    spec = {"form": {**RULE_OF_55["form"], "account.loans.outstanding": "6000"}}
    answered(on, spec)
    offset = on.locator("#routes tr[data-route='loan_offset']")
    assert offset.count() == 1
    assert offset.locator("td").nth(1).inner_text() == "yes"
    assert "6,000" in offset.locator("td").nth(2).inner_text()
    loan = on.locator("#routes tr[data-route='loan']")
    assert loan.locator("td").nth(1).inner_text() == "no"
    cash = on.locator("#outcomes tr[data-route='loan_offset'][data-destination='cash']")
    assert cash.count() == 1
    assert float(cash.get_attribute("data-taxable")) == pytest.approx(6000, abs=0.005)
    assert float(cash.get_attribute("data-income-tax")) == pytest.approx(630, abs=0.005)
    assert not on.errors, on.errors


@pytest.mark.parametrize("width", [1000, 1280])
def test_the_cost_table_fits_a_desktop_page(on, width):
    """The cost table of a case with a loan row (the longest 'why'), at desktop widths: its box
    does not scroll sideways, so no 'why' is cut mid-word."""
    on.set_viewport_size({"width": width, "height": 900})
    try:
        spec = {**RULE_OF_55, "checks": {"plan.loans.allowed": True, "plan.hardship.allowed": True}}
        answered(on, spec)
        on.wait_for_selector("#outcomes tr[data-route] td:not(:empty)")
        sizes = on.evaluate("(() => { const b = document.getElementById('outcomes').parentElement;"
                            " return [b.scrollWidth, b.clientWidth]; })()")
        assert sizes[0] <= sizes[1], sizes
    finally:
        on.set_viewport_size({"width": 1000, "height": 900})
