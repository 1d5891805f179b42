"""The assess page's choices are the case model's, and its legal figures the law's.

* Every ``<select>`` of the page whose name is a field of the case offers each value the model
  accepts (its JSON Schema ``enum``, from the Literal types of ``case.py``) and no other: a value
  added to the model and not to the page fails here (the page once lacked the purpose
  ``long_term_care`` and the destination ``split_2014_54``).
* Every SECURE 2.0 provision the plan can adopt (``plan.secure2``) has its checkbox, and the
  page sends it: a web user's long-term care and domestic abuse cases get the API's answer.
* The legal figures the pages quote come from ``GET /law`` (``data-law`` spans), not the HTML.
"""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from pathlib import Path

import pytest

import dist401k
from dist401k.case import case_schema

WEB = Path(dist401k.__file__).parent / "web"


class _Controls(HTMLParser):
    """The page's selects (name → option values) and checkbox names."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, list[str]] = {}
        self.checkboxes: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name")
            self.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self.selects[self._select].append(a.get("value", ""))
        elif tag == "input" and a.get("type") == "checkbox" and a.get("name"):
            self.checkboxes.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def controls(page: str = "index.html") -> _Controls:
    p = _Controls()
    p.feed((WEB / page).read_text(encoding="utf-8"))
    return p


def _resolve(schema: dict, node: dict) -> dict:
    """``node`` with its $ref followed, and a nullable anyOf reduced to its non-null branch."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            branches = [b for b in node["anyOf"] if b.get("type") != "null"]
            if len(branches) != 1:
                return node
            node = {**node, **branches[0]}
            del node["anyOf"]
        else:
            return node


def field_schema(path: str) -> dict | None:
    """The case schema of the dotted field ``path`` (None where the case has no such field)."""
    schema = case_schema()
    node: dict = schema
    for part in path.split("."):
        node = _resolve(schema, node)
        props = node.get("properties", {})
        if part not in props:
            return None
        default = props[part].get("default")
        node = {**_resolve(schema, props[part]), "default": default}
    return node


def test_every_select_of_the_page_offers_the_models_values_and_no_other():
    # A select named after a field of the case with an enum (a Literal of case.py) offers each
    # value of it. "" (nothing chosen) stands for the field's default, which then may be left out.
    checked = []
    for name, options in controls().selects.items():
        field = field_schema(name)
        if field is None or "enum" not in field:
            continue
        accepted = {str(v) for v in field["enum"]}
        shown = set(options) - {""}
        missing = accepted - shown
        if "" in options and field.get("default") is not None:
            missing -= {str(field["default"])}
        assert not missing, f"{name}: the page lacks {sorted(missing)}"
        assert shown <= accepted, f"{name}: the page offers {sorted(shown - accepted)}, the case refuses them"
        checked.append(name)
    # The lists the audit named are among those compared (the test reads the page, not a list).
    assert {"request.purpose", "request.destination", "person.state", "plan.type",
            "beneficiary.relationship", "alternate_payee.relationship"} <= set(checked)


def test_the_purpose_and_destination_lists_hold_the_two_that_were_missing():
    c = controls()
    assert "long_term_care" in c.selects["request.purpose"]
    assert "split_2014_54" in c.selects["request.destination"]


def test_every_secure2_provision_of_the_plan_has_its_checkbox():
    secure2 = field_schema("plan.secure2")
    assert secure2 is not None
    provisions = {f"plan.secure2.{k}" for k in secure2["properties"]}
    assert {"plan.secure2.domestic_abuse", "plan.secure2.long_term_care"} <= provisions
    assert provisions <= controls().checkboxes
    # Each has a place for its message (the plan's own check names plan.secure2.domestic_abuse).
    text = (WEB / "index.html").read_text(encoding="utf-8")
    for p in provisions:
        assert f'id="err-{p}"' in text


#: The true/false fields of the person, the job and the plan that the page does not ask, and
#: why. Every other one is a checkbox of the page: a flag added to the model and not to the page
#: fails below (the page once had no box for the public safety exception, IRC §72(t)(10)).
NOT_ASKED = {
    "person.spouse_sole_beneficiary": "not asked yet",
    "person.lived_apart": "not asked yet",
    "person.new_york_city": "not asked yet",
    "person.yonkers": "not asked yet",
    "person.dependent": "not asked yet",
    "person.full_time_student": "not asked yet",
    "person.earned_over_half_support": "not asked yet",
    "plan.accepts_rollins": "not asked yet",
    "plan.spousal_consent": "not asked yet",
    "plan.still_working_exception": "not asked yet",
    "plan.disability_distributions": "not asked yet",
    "plan.terminated": "not asked yet",
    "plan.alternative_dc_plan": "not asked yet",
}


def _booleans(section: str) -> set[str]:
    node = field_schema(section)
    assert node is not None, section
    schema = case_schema()
    return {f"{section}.{k}" for k, v in node["properties"].items()
            if _resolve(schema, v).get("type") == "boolean"}


def test_every_flag_of_the_person_job_and_plan_is_a_checkbox_or_named_not_asked():
    flags = _booleans("person") | _booleans("employment") | _booleans("plan")
    boxes = controls().checkboxes
    assert {"person.qualified_public_safety", "person.firefighter", "plan.governmental"} <= flags
    missing = flags - boxes - set(NOT_ASKED)
    assert not missing, f"the page has no checkbox for {sorted(missing)}"
    # A flag the page now asks is taken off the list, and the list names only the model's flags.
    assert not (set(NOT_ASKED) & boxes), sorted(set(NOT_ASKED) & boxes)
    assert set(NOT_ASKED) <= flags, sorted(set(NOT_ASKED) - flags)


def test_the_public_safety_fields_are_on_the_page_with_their_messages():
    text = (WEB / "index.html").read_text(encoding="utf-8")
    for name in ("person.qualified_public_safety", "person.firefighter", "plan.governmental",
                 "employment.years_of_service"):
        assert f'name="{name}"' in text and f'id="err-{name}"' in text, name
    for name in ("early_distributions.public_safety_age", "early_distributions.public_safety_years"):
        assert f'data-law="{name}"' in text, name


# The figures the pages once wrote out, each now a data-law span: the provision and the
# figure its statute states.
FIGURES = {
    "index.html": {
        "secure2.emergency_expense_cap": 1000,     # IRC §72(t)(2)(I)(ii)(I): "$1,000"
        "early_distributions.medical_agi_floor": 0.075,  # §72(t)(2)(B); §213(a): "7.5 percent"
        "rmd.excise_rate": 0.25,                    # §4974(a): "25 percent"
        "rmd.excise_rate_corrected": 0.10,          # §4974(e): "10 percent"
        "early_distributions.separation_age": 55,  # §72(t)(2)(A)(v): "after attainment of age 55"
        "early_distributions.age": 59.5,            # §72(t)(2)(A)(i): "age 59½"
        "sepp.rate_floor": 0.05,                    # Notice 2022-6, §3.02(c): "5 percent"
        "sepp.midterm_multiple": 1.2,               # Notice 2022-6, §3.02(c): "120 percent"
        "secure2.disaster_window_days": 180,        # §72(t)(11)(A)(i): "180 days"
        "withholding.eligible_rollover_rate": 0.20,  # §3405(c)(1)(B): "20 percent"
        "secure2.long_term_care_fraction": 0.10,    # §401(a)(39)(B)(ii)(II): "10 percent"
        "early_distributions.terminal_illness_months": 84,  # §72(t)(2)(L)(ii): "84 months"
        "income_tax.itemized_charity_floor": 0.005,  # §170(b)(1)(I): "0.5 percent" (from 2026)
    },
    "plan.html": {
        "premium_tax_credit.income_ceiling": 4.0,   # §36B(c)(1)(A): "400 percent"
    },
}
WRITTEN_OUT = {
    "index.html": ["$1,000 emergency", "7.5% of your income", "25% excise", "10% if made up",
                   "turn 55", "participant's\n 59½", "5% and 120%", "to 180 days", "20% withholding",
                   "within 84", "above 0.5%"],
    "plan.html": ["400% of the poverty line"],
}


@pytest.mark.parametrize("page", list(FIGURES))
def test_the_pages_quote_these_figures_from_the_law(client, page):
    text = (WEB / page).read_text(encoding="utf-8")
    for written in WRITTEN_OUT[page]:
        assert written not in text, f"{page} writes out {written!r}"
    for name in FIGURES[page]:
        assert f'data-law="{name}"' in text, name
    r = client.get("/law", params={"names": ",".join(FIGURES[page]), "year": 2026})
    assert r.status_code == 200, r.text
    got = {n: f["value"] for n, f in r.json()["figures"].items()}
    assert got == pytest.approx(FIGURES[page])


# -- In the browser: the page sends the plan's provisions and gets the API's answer ----------

PERSON = {"person.birth_date": "1981-03-02", "income.wages": "60000",
          "employment.hire_date": "2015-01-01", "request.date": "2026-11-23"}
PLAN_OFF = {"plan.in_service.elective_deferral.allowed": True, "plan.in_service.roth_deferral.allowed": True,
            "plan.hardship.allowed": False, "plan.loans.allowed": False}
SECURE2_OFF = {"emergency_expense": False, "domestic_abuse": False, "birth_adoption": False,
               "disaster": False, "long_term_care": False}
WEB_CASES = {
    # Premiums $3,000, a vested balance of $20,000: the least of the premiums, 10% of the
    # balance ($2,000) and the cap ($2,600 for 2026, Notice 2025-67) is $2,000 (IRC §401(a)(39)(B)).
    "long_term_care": {
        "form": {**PERSON, "src.elective_deferral": "20000", "request.amount": "2000",
                 "request.long_term_care_premiums": "3000"},
        "checks": {**PLAN_OFF, "plan.secure2.long_term_care": True},
        "request": {"long_term_care_premiums": 3000.0},
        "available": 2000.0,
    },
    # A vested balance of $12,000: the lesser of half of it ($6,000) and the indexed $10,000
    # cap (IRC §72(t)(2)(K)(ii)) is $6,000.
    "domestic_abuse": {
        "form": {**PERSON, "src.elective_deferral": "12000", "request.amount": "5000",
                 "request.event_date": "2026-09-01"},
        "checks": {**PLAN_OFF, "plan.secure2.domestic_abuse": True},
        "request": {"event_date": "2026-09-01"},
        "available": 6000.0,
    },
}


def api_case(purpose: str, spec: dict) -> dict:
    """The case the form describes, written out by hand as a case file (what app.js must build)."""
    f = spec["form"]
    return {
        "person": {"birth_date": f["person.birth_date"], "filing_status": "single"},
        "employment": {"status": "active", "hire_date": f["employment.hire_date"]},
        "income": {"wages": float(f["income.wages"]), "other_income": 0.0, "medical_expenses": 0.0},
        "plan": {"type": "401k",
                 "in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5},
                                "roth_deferral": {"allowed": True, "min_age": 59.5}},
                 "hardship": {"allowed": False}, "loans": {"allowed": False},
                 "secure2": {**SECURE2_OFF, purpose: True}, "small_account_cash_out": False},
        "account": {"sources": {"elective_deferral": {"balance": float(f["src.elective_deferral"])}}},
        "request": {"date": f["request.date"], "amount": float(f["request.amount"]),
                    "purpose": purpose, **spec["request"]},
    }


def fill(page, base_url, purpose: str, spec: dict):
    page.goto(base_url + "/")
    page.locator("[name='request.purpose']").select_option(purpose)  # shows its fields
    for name, value in spec["form"].items():
        page.locator(f"[name='{name}']").fill(value, timeout=5000)
    for name, on in spec["checks"].items():
        page.locator(f"[name='{name}']").set_checked(on, timeout=5000)


@pytest.mark.parametrize("purpose", list(WEB_CASES))
def test_a_web_users_secure2_case_gets_the_apis_answer(page, base_url, client, purpose):
    spec = WEB_CASES[purpose]
    fill(page, base_url, purpose, spec)
    with page.expect_request(lambda r: r.url.endswith("/assess") and r.method == "POST") as req:
        page.click("#submit")
    sent = req.value.post_data_json
    assert sent["plan"]["secure2"] == {**SECURE2_OFF, purpose: True}
    page.wait_for_selector("#results:not([hidden])")
    expected = client.post("/assess", json=api_case(purpose, spec))
    assert expected.status_code == 200, expected.text
    a = expected.json()
    summary = {s["route"]: s for s in a["route_summary"]}
    assert summary[purpose]["eligible"]
    assert summary[purpose]["available"] == pytest.approx(spec["available"], abs=0.01)
    row = page.locator(f"#routes tr[data-route='{purpose}'] td")
    assert row.nth(1).inner_text() == "yes"
    assert row.nth(2).inner_text().replace(",", "") == f"{spec['available']:.0f}"
    rows = page.locator("#outcomes tr[data-route]")
    assert rows.count() == len(a["outcomes"]) > 0
    for i, o in enumerate(a["outcomes"]):
        r = rows.nth(i)
        assert (r.get_attribute("data-route"), r.get_attribute("data-destination")) == (
            o["route"], o["destination"])
        for attr, key in (("data-gross", "gross"), ("data-penalty", "additional_tax_72t"),
                          ("data-income-tax", "income_tax_increase"), ("data-kept", "kept_after_all_tax")):
            assert float(r.get_attribute(attr)) == pytest.approx(o[key], abs=0.01)
    assert any(o["route"] == purpose and o["additional_tax_72t"] == 0 for o in a["outcomes"])
    assert not page.errors, page.errors


def test_a_plan_that_cannot_offer_domestic_abuse_withdrawals_says_so_at_the_box(page, base_url):
    # A money purchase plan is subject to the spousal-consent rules (IRC §401(a)(11)(B)(ii)),
    # so it cannot make domestic abuse distributions (§72(t)(2)(K)(v)): the message is the box's.
    spec = copy.deepcopy(WEB_CASES["domestic_abuse"])
    fill(page, base_url, "domestic_abuse", spec)
    page.locator("[name='plan.type']").select_option("money_purchase")
    page.click("#submit")
    page.wait_for_function("document.getElementById('err-plan.secure2.domestic_abuse').textContent !== ''",
                           timeout=10000)
    assert "spousal-consent" in page.locator("[id='err-plan.secure2.domestic_abuse']").inner_text()


def test_the_pages_show_the_laws_figures(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_function("document.querySelector('[data-law=\"rmd.excise_rate\"]').textContent !== ''")
    shown = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('[data-law]')]"
                          ".map((e) => [e.dataset.law, e.textContent]))")
    assert shown["early_distributions.medical_agi_floor"] == "7.5%"
    assert (shown["rmd.excise_rate"], shown["rmd.excise_rate_corrected"]) == ("25%", "10%")
    assert shown["early_distributions.separation_age"] == "55"
    assert (shown["sepp.rate_floor"], shown["sepp.midterm_multiple"]) == ("5%", "120%")
    assert shown["secure2.disaster_window_days"] == "180"
    assert shown["withholding.eligible_rollover_rate"] == "20%"
    assert shown["secure2.long_term_care_fraction"] == "10%"
    # dollars as a person writes them: "$1,000", not "$1000" (IRC §72(t)(2)(I)(ii)(I))
    assert shown["secure2.emergency_expense_cap"] == "1,000"
    page.goto(base_url + "/planner")
    page.wait_for_function(
        "document.querySelector('[data-law=\"premium_tax_credit.income_ceiling\"]').textContent !== ''")
    assert page.locator("[data-law='premium_tax_credit.income_ceiling']").first.inner_text() == "400%"
