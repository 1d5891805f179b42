"""The assess page asks a plan's in-service rules for employer (match) money and after-tax
money, as the case model holds them (case.py ``SourceRule``: allowed, the plan's minimum age, and
for employer money its seasoning and participation periods), and sends them only when ticked.

The example examples/cases/hardship-medical.yaml is a plan that pays the vested match in service
(two-year seasoning, all of it after five years of participation). Filled in on the page, it gets
the answer ``POST /assess`` gives the file: worked by hand, hired 2015-06-01 and asking on
2026-11-23 she has 11 years of participation, at least the law's five (Rev. Rul. 68-24), so all
of her vested match, 100% of $15,000, may be paid in service (Treas. Reg. §1.401-1(b)(1)(ii));
that meets her $12,000 medical need, so a hardship withdrawal is not "necessary" and closes (Treas.
Reg. §1.401(k)-1(d)(3)(iii)(B)(1)). The page could once say none of this, and answered with a
hardship withdrawal instead.

A separated participant's hardship request needs no change of the page's "Hardship withdrawals"
box: the engine closes it, since the payment after separation pays the whole vested account
first (the same rule), as the last test shows.
"""

from __future__ import annotations

import json

import pytest

from api.conftest import example

pytestmark = pytest.mark.slow

#: hardship-medical.yaml as a person fills the page: the plan's provisions, the balances, the
#: request (its amount "max": the page sends "max" for an empty amount).
MEDICAL = {
    "person.birth_date": "1988-04-02", "employment.hire_date": "2015-06-01",
    "income.wages": "68000", "income.medical_expenses": "12000",
    "src.elective_deferral": "41000", "src.roth_deferral": "9000",
    "src.roth_deferral.contributions": "7000", "src.roth_deferral.first_year": "2019",
    "src.match": "15000", "src.match_vested": "100",
    "request.date": "2026-11-23", "request.need": "12000",
}
MATCH_RULE = {"plan.in_service.match.seasoning_years": "2",
              "plan.in_service.match.participation_years": "5",
              "src.match.seasoned": "12000"}


def _fill(page, base_url, fields: dict, checks: dict, purpose: str = "medical") -> None:
    page.goto(base_url + "/")
    page.select_option("[name='request.purpose']", purpose)
    for name, on in checks.items():  # first: a box shows the fields it governs
        page.locator(f"[name='{name}']").set_checked(on)
    for name, value in fields.items():
        page.locator(f"[name='{name}']").fill(value)


def _submit(page) -> tuple[dict, dict]:
    """The case the page sent to POST /assess, and the answer it got."""
    with page.expect_response(lambda r: r.url.endswith("/assess")) as answer:
        page.click("#submit")
    response = answer.value
    assert response.ok, response.text()
    page.wait_for_selector("#results:not([hidden])")
    return json.loads(response.request.post_data), response.json()


def _ways_out(answer: dict) -> dict:
    """What each route pays from each source, and each outcome's figures."""
    routes = {(r["route"], r["source"]): (r["eligible"], r["available"]) for r in answer["routes"]}
    outcomes = [(o["route"], o["destination"], o["gross"], o["taxable"], o["withholding"],
                 o["income_tax_increase"], o["additional_tax_72t"], o["net_cash"],
                 o["kept_after_all_tax"]) for o in answer["outcomes"]]
    return {"routes": routes, "outcomes": outcomes}


def _the_file(client, name: str = "hardship-medical", change=None) -> dict:
    case = json.loads(json.dumps(example(name), default=str))
    if change:
        change(case)
    r = client.post("/assess", json=case, headers={"host": "localhost"})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_page_filled_as_hardship_medical_answers_as_the_file(page, base_url, client):
    _fill(page, base_url, {**MEDICAL, **MATCH_RULE},
          {"plan.secure2.emergency_expense": True, "plan.in_service.match.allowed": True})
    sent, answer = _submit(page)
    assert sent["plan"]["in_service"]["match"] == {"allowed": True, "seasoning_years": 2,
                                                   "participation_years": 5}
    assert sent["account"]["sources"]["match"] == {"balance": 15000, "vested": 1, "seasoned": 12000}
    expected = _the_file(client)
    assert _ways_out(answer) == _ways_out(expected)
    # Worked by hand (the module's docstring): all of the vested match in service, no hardship.
    ways = _ways_out(answer)
    assert ways["routes"][("in_service", "match")] == (True, 15000.0)
    assert not any(ok for (route, _), (ok, _) in ways["routes"].items() if route == "hardship")
    hardship = {x["code"] for r in answer["routes"] if r["route"] == "hardship"
                for x in r["reasons"]}
    assert {"HS_OTHER_ROUTES_COVER", "HS_FIRST_IN_SERVICE"} <= hardship
    # The page shows those ways out: the in-service rows first, at $15,000, and no hardship row.
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == len(expected["outcomes"])
    assert rows.first.get_attribute("data-route") == "in_service"
    assert float(rows.first.get_attribute("data-gross")) == 15000.0
    assert page.locator("#outcomes tr[data-route='hardship']").count() == 0
    assert not page.errors, page.errors


def test_unticked_the_plan_states_no_rule_and_its_fields_are_neither_shown_nor_sent(page, base_url):
    _fill(page, base_url, MEDICAL, {"plan.in_service.match.allowed": True})
    page.locator("[name='plan.in_service.match.seasoning_years']").fill("2")
    page.locator("[name='src.match.seasoned']").fill("12000")
    page.locator("[name='plan.in_service.match.allowed']").set_checked(False)
    for name in ("plan.in_service.match.min_age", "plan.in_service.match.seasoning_years",
                 "plan.in_service.match.participation_years", "employment.participation_date",
                 "src.match.seasoned", "plan.in_service.after_tax.min_age"):
        assert page.locator(f"[name='{name}']").is_hidden(), name
    sent, answer = _submit(page)
    # Only the deferrals' rule (the box ticked by default), none for the match nor after-tax money.
    assert set(sent["plan"]["in_service"]) == {"elective_deferral", "roth_deferral"}
    assert "seasoned" not in sent["account"]["sources"]["match"]
    assert "participation_date" not in sent["employment"]
    match = next(r for r in answer["routes"] if r["route"] == "in_service" and r["source"] == "match")
    assert not match["eligible"]
    assert "IS_NOT_IN_PLAN" in {x["code"] for x in match["reasons"]}


def test_after_tax_money_and_a_participation_date_are_sent_as_the_model_has_them(page, base_url):
    # A plan paying after-tax money from 50 and the match from 55: at 38 neither opens, each
    # with the plan's age as its reason (IS_BELOW_PLAN_AGE); the years in the plan count from
    # the date she joined it.
    _fill(page, base_url, {**MEDICAL, "src.after_tax": "5000"},
          {"plan.in_service.match.allowed": True, "plan.in_service.after_tax.allowed": True})
    page.locator("[name='plan.in_service.after_tax.min_age']").fill("50")
    page.locator("[name='plan.in_service.match.min_age']").fill("55")
    page.locator("[name='employment.participation_date']").fill("2016-06-01")
    sent, answer = _submit(page)
    assert sent["plan"]["in_service"]["after_tax"] == {"allowed": True, "min_age": 50}
    assert sent["plan"]["in_service"]["match"] == {"allowed": True, "min_age": 55}
    assert sent["employment"]["participation_date"] == "2016-06-01"
    for source in ("after_tax", "match"):
        r = next(r for r in answer["routes"] if r["route"] == "in_service" and r["source"] == source)
        assert not r["eligible"] and "IS_BELOW_PLAN_AGE" in {x["code"] for x in r["reasons"]}


def test_a_bad_period_is_named_beside_its_field(page, base_url):
    _fill(page, base_url, MEDICAL, {"plan.in_service.match.allowed": True})
    page.locator("[name='plan.in_service.match.participation_years']").fill("500")
    page.click("#submit")
    err = page.locator("[id='err-plan.in_service.match.participation_years']")
    err.wait_for()
    page.wait_for_function(
        "() => document.getElementById('err-plan.in_service.match.participation_years').textContent")
    assert "100" in err.inner_text()


def test_a_seasoned_part_above_the_match_is_named_beside_its_field(page, base_url):
    # The model refuses it for the whole source (account.sources.match: "seasoned cannot exceed
    # balance"), which has no place of its own on the page; the page says it beside the field.
    _fill(page, base_url, MEDICAL, {"plan.in_service.match.allowed": True})
    page.locator("[name='src.match.seasoned']").fill("20000")
    page.click("#submit")
    page.wait_for_function(
        "() => document.getElementById('err-account.sources.match.seasoned').textContent")
    assert "at most the employer match" in page.locator(
        "[id='err-account.sources.match.seasoned']").inner_text()
    assert page.locator("#err-form").inner_text() == ""


def test_the_help_quotes_the_laws_periods_and_no_longer_says_the_page_cannot_ask(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_function("() => LAW['in_service.participation_years'] !== undefined")
    help_id = page.locator("[id='plan.in_service.match.allowed']").get_attribute(
        "aria-describedby").split()[0]
    text = page.locator(f"[id='{help_id}']").inner_text()
    # Rev. Rul. 71-295: "at least two years"; Rev. Rul. 68-24: "five years of participation".
    assert "least 2 years before" in text and "after 5 years in the plan" in text
    assert "Not on this page" not in page.content()


def test_a_separated_participants_hardship_closes_on_the_payment_after_separation(client):
    # Separated, the payment after separation pays all her vested money ($65,000), more than
    # the $12,000 need: the hardship is closed for it (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1)).
    def separate(case):
        case["employment"].update(status="separated", separation_date="2026-06-30")
        del case["plan"]["in_service"]["match"]

    answer = _the_file(client, change=separate)
    hardship = [r for r in answer["routes"] if r["route"] == "hardship"]
    assert hardship and not any(r["eligible"] for r in hardship)
    codes = {x["code"] for r in hardship for x in r["reasons"]}
    assert {"HS_OTHER_ROUTES_COVER", "HS_FIRST_SEPARATION"} <= codes
    assert sum(r["available"] for r in answer["routes"] if r["route"] == "separation") == 65000.0
