"""The web page in headless Chromium (Playwright, Debian's chromium): fill the form for two
cases, check the figures shown equal the CLI's JSON, the charts draw, and an invalid entry
shows its message next to the field. Saves docs/screenshot.png for the README."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
import yaml
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app as cli
from dist401k.report import chromium
from dist401k.store import Store

pytestmark = pytest.mark.slow
DOCS = Path(__file__).parents[2] / "docs"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(store=Store(f"sqlite:///{tmp_path_factory.mktemp('w') / 'db.sqlite'}"),
                     token="")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1000, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        yield pg
        browser.close()


CASES = {
    "rule-of-55": {
        "form": {"person.birth_date": "1970-08-20", "income.wages": "24000",
                 "employment.status": "separated", "employment.hire_date": "2004-01-05",
                 "employment.separation_date": "2026-03-31", "src.elective_deferral": "310000",
                 "src.match": "95000", "request.amount": "40000", "request.date": "2026-11-23"},
        "checks": {"rule.deferral_at_59_half": False, "plan.hardship.allowed": False,
                   "plan.loans.allowed": False},
    },
    "medical": {
        "form": {"person.birth_date": "1988-04-02", "income.wages": "68000",
                 "income.medical_expenses": "12000", "employment.hire_date": "2015-06-01",
                 "src.elective_deferral": "41000", "src.roth_deferral": "9000",
                 "src.match": "15000", "request.amount": "10000", "request.date": "2026-11-23"},
        "selects": {"request.purpose": "medical"},
        "checks": {"plan.secure2.emergency_expense": True},
    },
}


def the_same_case(spec: dict) -> dict:
    """The case the form describes, written as a case file (what app.js builds)."""
    f = spec["form"]
    checks = {"rule.deferral_at_59_half": True, "plan.hardship.allowed": True,
              "plan.loans.allowed": True, "plan.secure2.emergency_expense": False,
              **spec.get("checks", {})}
    sources = {}
    for s in ("elective_deferral", "roth_deferral", "match"):
        if float(f.get(f"src.{s}", 0)) > 0:
            sources[s] = {"balance": float(f[f"src.{s}"])}
    if "roth_deferral" in sources:
        sources["roth_deferral"]["contributions"] = 0
    if "match" in sources:
        sources["match"]["vested"] = 1.0
    in_service = {}
    if checks["rule.deferral_at_59_half"]:
        in_service = {"elective_deferral": {"allowed": True, "min_age": 59.5},
                      "roth_deferral": {"allowed": True, "min_age": 59.5}}
    employment = {"status": f.get("employment.status", "active"),
                  "hire_date": f["employment.hire_date"]}
    if f.get("employment.separation_date"):
        employment["separation_date"] = f["employment.separation_date"]
    return {
        "person": {"birth_date": f["person.birth_date"], "filing_status": "single"},
        "employment": employment,
        "income": {"wages": float(f["income.wages"]),
                   "medical_expenses": float(f.get("income.medical_expenses", 0))},
        "plan": {"type": "401k", "in_service": in_service,
                 "hardship": {"allowed": checks["plan.hardship.allowed"]},
                 "loans": {"allowed": checks["plan.loans.allowed"]},
                 "secure2": {"emergency_expense": checks["plan.secure2.emergency_expense"]}},
        "account": {"sources": sources},
        "request": {"date": f["request.date"], "amount": float(f["request.amount"]),
                    "purpose": spec.get("selects", {}).get("request.purpose", "none")},
    }


def fill(page, base_url, spec):
    page.goto(base_url + "/")
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
    page.click("#submit")


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
                          ("data-penalty", "additional_tax_72t"), ("data-net-cash", "net_cash")):
            assert float(row.get_attribute(attr)) == pytest.approx(o[key], abs=0.01)
    # The charts drew their data.
    assert page.locator("#chart-wealth path.js-line").count() >= 2
    assert page.locator("#chart-dollars g.point").count() >= 1
    assert not page.errors, page.errors
    if name == "medical":
        page.locator("#results").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('results').scrollIntoView()")
        page.screenshot(path=str(DOCS / "screenshot.png"), full_page=False)


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
