"""The assess page asks a plan's in-service rule for pre-tax (elective) deferrals and for Roth
deferrals apart, as the case model holds them (case.py ``Plan.in_service``: one ``SourceRule``
per money source), each box sent only when ticked, with the plan's age where one is given and
the law's 59½ (IRC §401(k)(2)(B)(i)(III)) where none is. The page once had one box, which sent
the same rule for both: a plan that pays pre-tax deferrals from 59½ but keeps Roth deferrals in
could not be described.

Worked by hand, for Lee (born 1965-03-10, so 59½ on 2024-09-10), still working and asking on
2026-11-23 for $20,000 from a 401(k) that pays pre-tax deferrals from 59½ but not Roth ones:

- pre-tax deferrals: 59½ reached, so the plan may pay all $120,000 (deferrals are always vested,
  IRC §411(a)(1)); Roth deferrals: the plan does not provide it (IS_NOT_IN_PLAN);
- the $20,000 therefore comes from pre-tax money alone: all of it taxable (IRC §402(a)); paid in
  cash, 20% withheld, $4,000 (IRC §3405(c)(1)); no 10% tax past 59½ (IRC §72(t)(2)(A)(i)).

A governmental 457(b) may pay deferrals in service from January of the calendar year the
participant reaches 59½ (IRC §457(d)(1)(A)(i)): Kim, born 1967-03-01 (59½ on 2026-09-01), asking
on 2026-06-01, may be paid all $50,000, and owes no 10% tax (a 457(b) is not a plan of §4974(c),
to which §72(t)(1) reaches). The page once sent the birthday age 59.5 as the plan's own for every
plan type, which closed her in-service payment until September (IS_BELOW_PLAN_AGE).
"""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app as cli

pytestmark = pytest.mark.slow

ELECTIVE = "plan.in_service.elective_deferral.allowed"
ROTH = "plan.in_service.roth_deferral.allowed"

#: Lee, as the page is filled (the plan's hardship withdrawals and loans unticked).
LEE = {"person.birth_date": "1965-03-10", "income.wages": "80000",
       "employment.hire_date": "2010-01-04", "src.elective_deferral": "120000",
       "src.roth_deferral": "30000", "src.roth_deferral.contributions": "20000",
       "src.roth_deferral.first_year": "2015", "request.amount": "20000",
       "request.date": "2026-11-23"}
PLAN_OFF = {"plan.hardship.allowed": False, "plan.loans.allowed": False}

#: Lee's case, written as a case file by hand: the plan pays pre-tax deferrals from 59½ only.
LEE_CASE = {
    "person": {"birth_date": "1965-03-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-01-04"},
    "income": {"wages": 80000},
    "plan": {"type": "401k", "in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5}},
             "hardship": {"allowed": False}, "loans": {"allowed": False}},
    "account": {"sources": {"elective_deferral": {"balance": 120000},
                            "roth_deferral": {"balance": 30000, "contributions": 20000,
                                              "first_year": 2015}}},
    "request": {"date": "2026-11-23", "amount": 20000},
}


def _fill(page, base_url, fields: dict, checks: dict, selects: dict | None = None) -> None:
    page.goto(base_url + "/")
    for name, value in (selects or {}).items():
        page.locator(f"[name='{name}']").select_option(value)
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


def _cli(tmp_path, case: dict) -> dict:
    """``dist401k assess FILE --format json`` of the case."""
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(cli, ["assess", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _in_service(answer: dict) -> dict:
    """Each money source's in-service verdict: eligible, available, the reasons' codes."""
    return {r["source"]: (r["eligible"], r["available"], sorted(x["code"] for x in r["reasons"]))
            for r in answer["routes"] if r["route"] == "in_service"}


def _outcomes(answer: dict) -> list:
    return [(o["route"], o["destination"], o["gross"], o["taxable"], o["withholding"],
             o["income_tax_increase"], o["additional_tax_72t"], o["net_cash"],
             o["kept_after_all_tax"]) for o in answer["outcomes"]]


def test_pre_tax_deferrals_paid_from_59_half_and_roth_kept_in_answers_as_the_cli(
        page, base_url, tmp_path):
    _fill(page, base_url, LEE, {**PLAN_OFF, ELECTIVE: True, ROTH: False})
    sent, answer = _submit(page)
    assert sent["plan"]["in_service"] == {"elective_deferral": {"allowed": True, "min_age": 59.5}}
    assert sent["account"]["sources"] == LEE_CASE["account"]["sources"]
    expected = _cli(tmp_path, LEE_CASE)
    assert _in_service(answer) == _in_service(expected)
    assert _outcomes(answer) == _outcomes(expected)
    # By hand (the module's docstring): all pre-tax money open, the Roth money closed.
    ways = _in_service(answer)
    assert ways["elective_deferral"][:2] == (True, 120000.0)
    assert ways["roth_deferral"][:2] == (False, 0.0)
    assert "IS_NOT_IN_PLAN" in ways["roth_deferral"][2]
    cash = page.locator("#outcomes tr[data-route='in_service'][data-destination='cash']")
    assert float(cash.get_attribute("data-gross")) == 20000.0
    assert float(cash.get_attribute("data-taxable")) == 20000.0
    assert float(cash.get_attribute("data-withheld")) == 4000.0
    assert float(cash.get_attribute("data-penalty")) == 0.0
    assert not page.errors, page.errors


def test_an_untouched_page_sends_both_deferrals_from_59_half_as_before(page, base_url):
    _fill(page, base_url, LEE, PLAN_OFF)
    for name in (ELECTIVE, ROTH):
        assert page.locator(f"[name='{name}']").is_checked(), name
    sent, answer = _submit(page)
    assert sent["plan"]["in_service"] == {"elective_deferral": {"allowed": True, "min_age": 59.5},
                                          "roth_deferral": {"allowed": True, "min_age": 59.5}}
    ways = _in_service(answer)
    assert ways["elective_deferral"][:2] == (True, 120000.0)
    assert ways["roth_deferral"][:2] == (True, 30000.0)


def test_each_box_sends_its_own_rule_and_its_age_only_while_ticked(page, base_url):
    # Roth deferrals from the plan's 62: Lee, 61, is below it (IS_BELOW_PLAN_AGE); pre-tax
    # deferrals unticked: not provided. Unticking a box hides its age and sends neither.
    _fill(page, base_url, LEE, {**PLAN_OFF, ELECTIVE: True, ROTH: True})
    page.locator("[name='plan.in_service.elective_deferral.min_age']").fill("63")
    page.locator("[name='plan.in_service.roth_deferral.min_age']").fill("62")
    page.locator(f"[name='{ELECTIVE}']").set_checked(False)
    assert page.locator("[name='plan.in_service.elective_deferral.min_age']").is_hidden()
    sent, answer = _submit(page)
    assert sent["plan"]["in_service"] == {"roth_deferral": {"allowed": True, "min_age": 62}}
    ways = _in_service(answer)
    assert ways["elective_deferral"][0] is False and "IS_NOT_IN_PLAN" in ways["elective_deferral"][2]
    assert ways["roth_deferral"][0] is False and "IS_BELOW_PLAN_AGE" in ways["roth_deferral"][2]


def test_other_situations_send_no_in_service_rule(page, base_url):
    page.goto(base_url + "/")
    page.check("input[name='situation'][value='inherited']")
    for name in (ELECTIVE, ROTH, "plan.in_service.match.allowed", "plan.in_service.after_tax.allowed"):
        assert page.locator(f"[name='{name}']").is_hidden(), name
        assert page.locator(f"[name='{name}']").is_disabled(), name


def test_a_governmental_457b_pays_deferrals_from_january_of_the_year_of_59_half(
        page, base_url, tmp_path):
    _fill(page, base_url,
          {"person.birth_date": "1967-03-01", "income.wages": "70000",
           "employment.hire_date": "2005-01-03", "src.elective_deferral": "50000",
           "request.amount": "10000", "request.date": "2026-06-01"},
          {**PLAN_OFF, ELECTIVE: True}, {"plan.type": "governmental_457b"})
    sent, answer = _submit(page)
    # The plan states no age of its own: the law's calendar year holds.
    assert sent["plan"]["in_service"]["elective_deferral"] == {"allowed": True}
    ways = _in_service(answer)
    assert ways["elective_deferral"][:2] == (True, 50000.0)
    assert "IS_BELOW_PLAN_AGE" not in ways["elective_deferral"][2]
    case = {"person": {"birth_date": "1967-03-01", "filing_status": "single"},
            "employment": {"status": "active", "hire_date": "2005-01-03"},
            "income": {"wages": 70000},
            "plan": {"type": "governmental_457b",
                     "in_service": {"elective_deferral": {"allowed": True},
                                    "roth_deferral": {"allowed": True}},
                     "hardship": {"allowed": False}, "loans": {"allowed": False}},
            "account": {"sources": {"elective_deferral": {"balance": 50000}}},
            "request": {"date": "2026-06-01", "amount": 10000}}
    expected = _cli(tmp_path, case)
    assert _in_service(answer) == _in_service(expected)
    assert _outcomes(answer) == _outcomes(expected)
    cash = page.locator("#outcomes tr[data-route='in_service'][data-destination='cash']")
    assert float(cash.get_attribute("data-gross")) == 10000.0
    assert float(cash.get_attribute("data-penalty")) == 0.0


def test_a_declared_disaster_is_said_and_answered_a_hardship_need(page, base_url):
    # Treas. Reg. §1.401(k)-1(d)(3)(ii)(B)(7): losses from a FEMA-declared disaster, the home or
    # the workplace in its area, are a safe-harbor hardship need, beside the six before it on the
    # page's list. The help once said hardship withdrawals were "only for the first six needs".
    _fill(page, base_url,
          {"person.birth_date": "1981-03-02", "income.wages": "60000",
           "employment.hire_date": "2015-01-01", "src.elective_deferral": "50000",
           "request.amount": "10000", "request.need": "8000", "request.date": "2026-11-23"},
          {"plan.loans.allowed": False}, {"request.purpose": "disaster"})
    page.locator("[name='request.event_date']").fill("2026-09-01")
    page.locator("[name='request.disaster_declared']").set_checked(True)
    help_text = page.locator("[id='request.purpose'] ~ .help").inner_text()
    assert "only for the first six" not in help_text
    assert "disaster" in help_text and "1.401(k)-1(d)(3)(ii)(B)" in help_text
    _, answer = _submit(page)
    hardship = next(r for r in answer["routes"]
                    if r["route"] == "hardship" and r["source"] == "elective_deferral")
    assert hardship["eligible"]
    assert "HS_SAFE_HARBOR_NEED" in {x["code"] for x in hardship["reasons"]}


def test_the_pre_tax_balance_is_asked_with_its_earnings(page, base_url):
    # The balance of pre-tax deferrals is the contributions and their earnings, as the Roth and
    # after-tax balances beside it say; "Your pre-tax contributions" read as the contributions alone.
    page.goto(base_url + "/")
    assert page.locator("label[for='src.elective_deferral']").inner_text() == (
        "Your pre-tax contributions and their earnings ($)")
