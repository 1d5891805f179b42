"""The web page's fourth situation in headless Chromium: a share of a plan paid to an alternate
payee under a qualified domestic relations order (IRC §414(p)). The fields shown are the
payee's (for a child or other dependent, the participant's: Pub. 504), the order's and the
share's, not the participant's own plan features; the case the page sends; the answer (no 10%
additional tax, §72(t)(2)(C); 20% withheld from a spouse's or former spouse's eligible
rollover distribution paid in cash, §3405(c); 10% from a child's nonrollable one, §3405(b));
the notes and the trap of the QDRO; the server's messages next to their fields."""

from __future__ import annotations

import pytest

from api.web_checks import serious_accessibility_problems, wait_for_message

pytestmark = pytest.mark.slow

# examples/cases/qdro-former-spouse.yaml, as the former spouse fills the form: 45, $30,000 of a
# $120,000 pre-tax share, in cash.
FORMER_SPOUSE = {
    "selects": {"alternate_payee.relationship": "former_spouse", "request.destination": "cash"},
    "form": {"person.birth_date": "1981-03-15", "income.wages": "60000",
             "src.elective_deferral": "120000", "request.amount": "30000",
             "request.date": "2026-06-01"},
}
# examples/cases/qdro-child-support.yaml: $20,000 paid to the participant's child; the person
# and income are the participant's.
CHILD = {
    "selects": {"alternate_payee.relationship": "child"},
    "form": {"person.birth_date": "1979-08-20", "income.wages": "85000",
             "src.elective_deferral": "20000", "request.date": "2026-06-01"},
}

# What the QDRO situation asks, and the participant's own plan features it does not (loans,
# hardship, in-service rules, the job, the purposes, the IRAs) nor the other situations' parts.
SHOWN = ["alternate_payee.relationship", "alternate_payee.payable_now",
         "alternate_payee.participant_birth_date", "person.birth_date", "person.filing_status",
         "person.state", "income.wages", "income.other_income", "plan.type",
         "src.elective_deferral", "src.after_tax", "src.after_tax.basis", "src.match",
         "src.match_vested", "src.roth_deferral", "src.roth_deferral.contributions",
         "src.roth_deferral.first_year", "request.amount", "request.destination", "request.date"]
HIDDEN = ["income.medical_expenses", "employment.status", "employment.hire_date",
          "employment.separation_date", "plan.in_service.elective_deferral.allowed",
          "plan.in_service.roth_deferral.allowed", "plan.hardship.allowed",
          "plan.loans.allowed", "plan.secure2.emergency_expense", "plan.small_account_cash_out",
          "iras.traditional", "iras.roth", "request.purpose", "request.need",
          "beneficiary.date_of_death", "sepp.first_payment_date"]


def fill(page, base_url, spec, submit=True):
    """The QDRO situation of the page filled as ``spec`` says (selects first: they show or
    hide fields); submitted unless ``submit`` is false."""
    page.goto(base_url + "/")
    page.check("input[name='situation'][value='qdro']")
    for name, value in spec.get("selects", {}).items():
        page.select_option(f"[name='{name}']", value)
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    for name, on in spec.get("checks", {}).items():
        page.locator(f"[name='{name}']").set_checked(on)
    if submit:
        page.click("#submit")


def label(page, name: str) -> str:
    return page.locator(f"label[for='{name}']").inner_text().strip()


def test_choosing_the_qdro_situation_shows_its_fields_only(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("[name='alternate_payee.relationship']").is_hidden()
    assert "(QDRO)" in page.locator("label:has(input[value='qdro'])").inner_text()
    page.check("input[name='situation'][value='qdro']")
    for name in SHOWN:
        assert page.locator(f"[name='{name}']").is_visible(), name
    for name in HIDDEN:
        assert page.locator(f"[name='{name}']").is_hidden(), name
        assert page.locator(f"[name='{name}']").is_disabled(), name  # so never sent
    # A former spouse: the payee's own facts, no note about the participant's tax.
    assert label(page, "person.birth_date") == "Date of birth"
    # Roth money in the share: its five years are the participant's (Treas. Reg. §1.402A-1, Q&A-4).
    assert label(page, "src.roth_deferral.first_year") == \
        "Year of the participant's first Roth contribution to the plan"
    assert page.locator("#qdro-child-note").is_hidden()
    help_text = page.locator("#qdro").inner_text()
    assert "§402(e)(1)(A), (B)" in help_text and "§414(p)(4)" in help_text
    assert "§72(t)(2)(C)" in page.locator("#situation").inner_text()
    page.wait_for_function("document.querySelector('[data-law=\"withholding.eligible_rollover_rate\"]')"
                           ".textContent.length > 0")
    cash = page.locator("[name='request.destination'] ~ .help:visible")
    assert cash.count() == 1 and "Paid in cash, 20% is withheld (IRC §3405(c))" in cash.inner_text()
    # A child: the tax is the participant's, said on the page; the labels are the
    # participant's; the participant's birth date (a spouse's question only) goes away.
    page.select_option("[name='alternate_payee.relationship']", "child")
    note = page.locator("#qdro-child-note")
    assert note.is_visible() and "treated as paid to the participant" in note.inner_text()
    assert "Pub. 504" in note.inner_text()
    assert label(page, "person.birth_date") == "The participant's date of birth"
    assert label(page, "income.wages") == "The participant's wages this year ($)"
    assert label(page, "person.state") == "State the participant lives in"
    assert page.locator("[name='alternate_payee.participant_birth_date']").is_hidden()
    cannot = page.locator("[name='request.destination'] ~ .help:visible")
    assert cannot.count() == 1 and "§402(e)(1)(B)" in cannot.inner_text()
    assert "cash only, 10% withheld" in cannot.inner_text()  # the law's rate, §3405(b)(1)
    # Back to one's own account: its words and fields again, the order's gone.
    page.check("input[name='situation'][value='own']")
    assert label(page, "person.birth_date") == "Date of birth"
    assert page.locator("[name='alternate_payee.relationship']").is_hidden()
    assert page.locator("[name='src.roth_deferral']").is_visible()
    assert page.locator("[name='request.purpose']").is_visible()
    assert not page.errors, page.errors


def test_a_former_spouse_share_in_cash_owes_no_10_percent_and_has_20_percent_withheld(page,
                                                                                     base_url):
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        fill(page, base_url, FORMER_SPOUSE)
    case = sent.value.post_data_json
    # The case the page sends: the order's section, no participant's plan features.
    assert case["alternate_payee"] == {"relationship": "former_spouse", "payable_now": True}
    assert case["account"]["sources"] == {"elective_deferral": {"balance": 120000}}
    assert case["request"]["destination"] == "cash" and case["request"]["amount"] == 30000
    assert case["employment"] == {} and "iras" not in case and "beneficiary" not in case
    page.wait_for_selector("#results:not([hidden])")
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == 1
    row = rows.first
    assert row.get_attribute("data-route") == "qdro"
    assert row.get_attribute("data-destination") == "cash"
    assert float(row.get_attribute("data-gross")) == 30000
    assert float(row.get_attribute("data-penalty")) == 0  # §72(t)(2)(C), at 45
    assert float(row.get_attribute("data-withheld")) == 6000  # 20% of 30,000, §3405(c)(1)
    assert "§72(t)(2)(C)" in row.inner_text()
    assert page.locator("#routes tr[data-route='qdro']").inner_text().split("\t")[1] == "yes"
    # The participant's own ways out are closed, with the rule.
    assert "no" in page.locator("#routes tr[data-route='hardship']").inner_text()
    # What the law says of a QDRO payment, and the trap of rolling it to an IRA.
    assert page.locator("#qdro-block").is_visible()
    assert page.locator("#qdro-notices [data-code='QD_SPOUSE']").count() == 1
    assert page.locator("#qdro-notices [data-code='QD_PARTICIPANT_FIGURES']").count() == 0
    assert page.locator("#traps [data-code='QDRO_ROLLOVER']").count() == 1
    assert "402(f)" in page.locator("#law-notices").inner_text()
    assert not page.errors, page.errors


def test_every_destination_of_a_former_spouse_share_and_its_birth_date_sent(page, base_url):
    spec = {"selects": {**FORMER_SPOUSE["selects"], "request.destination": "all"},
            "form": {**FORMER_SPOUSE["form"],
                     "alternate_payee.participant_birth_date": "1950-06-01"}}
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        fill(page, base_url, spec)
    assert sent.value.post_data_json["alternate_payee"]["participant_birth_date"] == "1950-06-01"
    page.wait_for_selector("#results:not([hidden])")
    shown = {r.get_attribute("data-destination"): r
             for r in page.locator("#outcomes tr[data-route='qdro']").all()}
    assert {"cash", "traditional_ira", "other_plan"} <= set(shown)
    # A direct rollover: nothing withheld, nothing taxed now (§402(e)(1)(B), §3405(c)(2)).
    assert float(shown["traditional_ira"].get_attribute("data-withheld")) == 0
    assert float(shown["traditional_ira"].get_attribute("data-income-tax")) == 0
    # A participant of 76 in 2026 has reached the age of required distributions (73 for one
    # born in 1950, §401(a)(9)(C)(v)): part of the payment may be one (Treas. Reg.
    # §1.401(a)(9)-8, Q&A-6).
    assert page.locator("#qdro-notices [data-code='QD_RMD_MAY_APPLY']").count() == 1
    assert not page.errors, page.errors


def test_a_childs_share_shows_whose_figures_they_are(page, base_url):
    spec = {**CHILD, "form": {**CHILD["form"]}}
    page.goto(base_url + "/")
    page.check("input[name='situation'][value='qdro']")
    # Filled as a former spouse, then the order turns out to pay the child: the participant's
    # birth date is no longer asked, nor sent.
    page.fill("[name='alternate_payee.participant_birth_date']", "1950-06-01")
    with page.expect_request(lambda r: r.url.endswith("/assess")) as sent:
        for name, value in spec["selects"].items():
            page.select_option(f"[name='{name}']", value)
        for name, value in spec["form"].items():
            page.fill(f"[name='{name}']", value)
        page.click("#submit")
    case = sent.value.post_data_json
    assert case["alternate_payee"] == {"relationship": "child", "payable_now": True}
    assert case["request"]["amount"] == "max"
    page.wait_for_selector("#results:not([hidden])")
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == 1  # cash only: it cannot be rolled over (§402(e)(1)(B))
    row = rows.first
    assert row.get_attribute("data-route") == "qdro_dependent"
    assert row.get_attribute("data-destination") == "cash"
    assert float(row.get_attribute("data-gross")) == 20000
    assert float(row.get_attribute("data-penalty")) == 0  # §72(t)(2)(C)
    assert float(row.get_attribute("data-withheld")) == 2000  # 10% of 20,000, §3405(b)(1)
    note = page.locator("#qdro-notices [data-code='QD_PARTICIPANT_FIGURES']")
    assert note.count() == 1 and note.is_visible()
    assert "participant" in note.inner_text() and "Pub. 504" in note.inner_text()
    assert page.locator("#qdro-notices [data-code='QD_DEPENDENT']").count() == 1
    assert not page.errors, page.errors


def test_the_servers_messages_land_next_to_their_fields(page, base_url):
    # The participant born after the request date.
    fill(page, base_url, {**FORMER_SPOUSE, "form": {
        **FORMER_SPOUSE["form"], "alternate_payee.participant_birth_date": "2027-01-01"}})
    assert "after the request date" in wait_for_message(page, "alternate_payee.participant_birth_date")
    field = page.locator("[name='alternate_payee.participant_birth_date']")
    assert field.get_attribute("aria-invalid") == "true"
    assert "err-alternate_payee.participant_birth_date" in field.get_attribute("aria-describedby")
    assert page.locator("#results").is_hidden()
    # A child's share asked for as a rollover.
    fill(page, base_url, {"selects": {**CHILD["selects"], "request.destination": "traditional_ira"},
                          "form": CHILD["form"]})
    assert "§402(e)(1)(B)" in wait_for_message(page, "request.destination")
    assert page.locator("[name='request.destination']").get_attribute("aria-invalid") == "true"
    # Checked in the page: a negative share.
    fill(page, base_url, {**FORMER_SPOUSE, "form": {**FORMER_SPOUSE["form"],
                                                    "src.elective_deferral": "-5"}})
    assert "0 or more" in wait_for_message(page, "account.sources.elective_deferral.balance")
    assert not page.errors, page.errors


# tests/routes/test_qdro_roth.py's former spouse of 40: $20,000 of a share of $60,000 Roth money
# (contributions $40,000, first Roth year 2012) and $60,000 pre-tax; the participant born 1975 is
# under 59½, so the Roth part is not qualified: taxable 10,000 + 10,000 × 20/60 = 13,333.33.
ROTH_SHARE = {
    "selects": {"alternate_payee.relationship": "former_spouse", "request.destination": "cash"},
    "form": {"person.birth_date": "1986-01-15", "income.wages": "60000",
             "src.elective_deferral": "60000", "src.roth_deferral": "60000",
             "src.roth_deferral.contributions": "40000", "src.roth_deferral.first_year": "2012",
             "alternate_payee.participant_birth_date": "1975-03-01", "request.amount": "20000",
             "request.date": "2026-06-01"},
}


def test_a_roth_share_is_answered_by_the_participants_age_and_refused_without_it(page, base_url):
    fill(page, base_url, ROTH_SHARE)
    page.wait_for_selector("#results:not([hidden])")
    assert page.locator("#qdro-notices [data-code='QD_ROTH_DISABILITY_NOT_KNOWN']").count() == 1
    assert "13,333" in page.locator("#outcomes tr[data-route='qdro']").first.inner_text()
    form = {k: v for k, v in ROTH_SHARE["form"].items()
            if k != "alternate_payee.participant_birth_date"}
    fill(page, base_url, {**ROTH_SHARE, "form": form})
    assert "59½" in wait_for_message(page, "alternate_payee.participant_birth_date")
    assert not page.errors, page.errors


def test_a_share_the_plan_does_not_pay_yet(page, base_url):
    fill(page, base_url, {**FORMER_SPOUSE, "checks": {"alternate_payee.payable_now": False}})
    page.wait_for_selector("#results:not([hidden])")
    assert page.locator("#routes tr[data-route='qdro']").inner_text().split("\t")[1] == "no"
    assert "§414(p)(4)" in page.locator("#qdro-notices [data-code='QD_NOT_PAYABLE_YET']").inner_text()
    assert page.locator("#outcomes tr[data-route]").count() == 0
    assert not page.errors, page.errors


@pytest.mark.parametrize("relationship", ["former_spouse", "child"])
def test_the_qdro_situation_fits_a_phone_labels_its_fields_and_passes_axe(page, base_url,
                                                                          relationship):
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(base_url + "/")
        page.check("input[name='situation'][value='qdro']")
        page.select_option("[name='alternate_payee.relationship']", relationship)
        for el in page.locator("input:visible, select:visible").all():
            assert el.evaluate("e => e.labels.length") == 1, el.get_attribute("name")
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
        assert serious_accessibility_problems(page) == []
        fill(page, base_url, FORMER_SPOUSE if relationship == "former_spouse" else CHILD)
        page.wait_for_selector("#results:not([hidden]) table tr")
        assert serious_accessibility_problems(page) == []
        assert not page.errors, page.errors
    finally:
        page.set_viewport_size({"width": 1000, "height": 900})
