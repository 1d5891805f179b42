"""The pages catch up with the engine's new inputs and words, in headless Chromium.

Assess page: the 5% owner (IRC §401(a)(9)(C)(ii)(I); §416(i)(1)(B)), blindness (§63(f)(2)), a
blind spouse on a joint return (§63(f)(2)(B)) and a spouse who itemizes on a separate one
(§63(c)(6)(A)); under the cost table, the terminal's lines of what is still due when filing
(withholding is a prepayment, §31(a); figured on the payment, §3405), of a negative "kept after
all tax" and of a need a payment does not meet — the same words and figures as `dist401k assess`.
Planner page: the yearly investment fee (`market.fee`) and each person's blindness."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from api.test_web import fill
from api.test_web_plan import HOUSEHOLDS
from api.web_checks import wait_for_message
from dist401k.cli import app as cli
from novice_case import NOVICE

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


# The answer as the page draws it (its own code), and the lines under its cost table.
LINES = """async (c) => {
  await loadNames();
  const a = await (await post('/assess', c)).json();
  const cmp = await (await post('/compare', c)).json();
  render(a, cmp, c);
  const shown = (sel) => [...document.querySelectorAll(sel)]
    .filter((e) => !e.hidden && !e.closest('[hidden]')).map((e) => e.innerText.trim());
  return {negative: shown('#negative-kept'),
          lines: shown('#due-head').concat(shown('#due-lines li'), shown('#need-lines li'))};
}"""


def cases() -> dict[str, dict]:
    medical = yaml.safe_load((EXAMPLES / "hardship-medical.yaml").read_text())
    return {"hardship-medical": json.loads(json.dumps(medical, default=str)), "novice": NOVICE}


def terminal(tmp_path: Path, case: dict) -> tuple[list[str], str]:
    """`dist401k assess` on a wide terminal: the lines between the explanation under the cost
    table and what comes after them (the return's lines, the notes, the law version)."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    r = CliRunner().invoke(cli, ["assess", str(path)], env={"COLUMNS": "1000"})
    assert r.exit_code == 0, r.output
    out = [line.strip() for line in r.stdout.splitlines()]
    start = next(k for k, line in enumerate(out) if line.startswith("check received:"))
    lines = []
    for line in out[start + 1:]:
        if not line or re.match(r"(Your return|Notes|law version)", line):
            break
        lines.append(line)
    return lines, out[start]


@pytest.mark.parametrize("name", ["hardship-medical", "novice"])
def test_the_lines_under_the_cost_table_are_the_terminals(page, base_url, tmp_path, name):
    case = cases()[name]
    page.goto(base_url + "/")
    got = page.evaluate(LINES, case)
    want, explained = terminal(tmp_path, case)
    assert want and got["lines"] == want
    negative = "A negative figure is tax you pay from other money: nothing comes to you."
    assert (got["negative"] == [negative]) == explained.endswith(negative)
    assert not page.errors, page.errors


def test_hardship_medical_lines_worked_by_hand(page, base_url):
    """$15,000 in service, single, wages $68,000, tax year 2026 (Rev. Proc. 2025-32: standard
    deduction $16,100, 22% from $50,400): income tax 15,000 × 22% = 3,300; 10% tax on 15,000 less
    the medical part 12,000 − 7.5% × 83,000 = 5,775 (§72(t)(2)(B)): 922.50; 20% withheld
    (§3405(c)): 3,000; due 3,300 + 922.50 − 3,000 = 1,222.50 → $1,223.  Rolled to a Roth IRA:
    3,300 taxed, nothing withheld, so −3,300 kept: tax paid from other money."""
    page.goto(base_url + "/")
    got = page.evaluate(LINES, cases()["hardship-medical"])
    assert got["lines"][0].startswith("Still to pay when you file the return:")
    assert ("in service → cash: $1,223 federal (income tax $3,300 + 10% tax $923 − $3,000 withheld)"
            in got["lines"])
    assert "in service → roth ira: $3,300 federal (income tax $3,300, nothing withheld)" in got["lines"]
    assert got["negative"] == ["A negative figure is tax you pay from other money: nothing comes to you."]


def test_novice_lines_worked_by_hand(page, base_url):
    """$15,000 hardship, single, wages $42,000 (taxable 25,900, all in 12%): income tax 1,800;
    10% tax on 15,000 − (6,000 − 7.5% × 57,000 = 1,725) = 1,327.50; 10% withheld (not an
    eligible rollover distribution, §402(c)(4)(C); §3405(b)): 1,500; due 1,627.50 → $1,628.
    The need: the $1,000 emergency payment comes first (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)),
    the hardship pays the $14,000 left plus its taxes ((iii)(A)): G − 12% G − 10% (G − (6,000 −
    7.5% (42,000 + G))) = 14,000, so G = 13,715 / 0.7725 = 17,754.05, leaving 14,000."""
    page.goto(base_url + "/")
    got = page.evaluate(LINES, NOVICE)
    assert ("hardship → cash: $1,628 federal (income tax $1,800 + 10% tax $1,328 − $1,500 withheld)"
            in got["lines"])
    assert ("hardship → cash: $15,000 leaves $11,873 after all tax, less than your $15,000 need; "
            "it pays at most $17,754 now, which leaves $14,000." in got["lines"])
    assert got["negative"] == []


SOLO_OWNER = {"form": {"person.birth_date": "1952-03-10", "employment.hire_date": "2005-01-01",
                       "income.wages": "120000", "src.elective_deferral": "880000",
                       "request.date": "2026-06-15"}}


def test_a_five_percent_owner_still_working_is_told_the_rmd(page, base_url):
    """A solo 401(k) owner, 74 in 2026 and still working: no still-working delay for a 5% owner
    (§401(a)(9)(C)(ii)(I)), so the RMD is 880,000 / 25.5 (Uniform Lifetime Table at 74, Treas.
    Reg. §1.401(a)(9)-9(c)) = 34,509.80. Unticked, the delay holds and no RMD is due."""
    fill(page, base_url, {**SOLO_OWNER, "checks": {"person.five_percent_owner": True}}, submit=False)
    sent = page.evaluate("() => buildCase(document.getElementById('case'))")
    assert sent["person"]["five_percent_owner"] is True
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) #routes tr[data-route='rmd']")
    rmd = page.locator("#routes tr[data-route='rmd']").inner_text()
    assert "yes" in rmd and "34,510" in rmd
    help_text = page.locator("[id='person.five_percent_owner'] >> xpath=../..").inner_text()
    assert "§318(a)(1)" in help_text and "parents" in help_text and "§401(a)(9)(C)(ii)(I)" in help_text
    fill(page, base_url, SOLO_OWNER)
    page.wait_for_selector("#results:not([hidden]) #routes tr[data-route='rmd']")
    assert "—" in page.locator("#routes tr[data-route='rmd']").inner_text()
    assert not page.errors, page.errors


def test_blindness_and_the_spouse_questions_follow_the_filing_status(page, base_url):
    """person.blind on every return; spouse_blind only for married_joint (§63(f)(2)(B)) and
    spouse_itemizes only for married_separate (§63(c)(6)(A)): hidden otherwise, and not sent."""
    page.goto(base_url + "/")
    build = "() => buildCase(document.getElementById('case')).person"
    visible = lambda n: page.locator(f"[id='person.{n}']").is_visible()  # noqa: E731
    assert visible("blind") and not visible("spouse_blind") and not visible("spouse_itemizes")
    page.check("[id='person.blind']")
    assert page.evaluate(build)["blind"] is True
    assert "spouse_blind" not in page.evaluate(build)
    page.select_option("[name='person.filing_status']", "married_joint")
    assert visible("spouse_blind") and not visible("spouse_itemizes")
    page.check("[id='person.spouse_blind']")
    person = page.evaluate(build)
    assert person["spouse_blind"] is True and "spouse_itemizes" not in person
    page.select_option("[name='person.filing_status']", "married_separate")
    assert visible("spouse_itemizes") and not visible("spouse_blind")
    page.check("[id='person.spouse_itemizes']")
    person = page.evaluate(build)
    assert person["spouse_itemizes"] is True and "spouse_blind" not in person
    assert not page.errors, page.errors


def test_the_planner_sends_the_fee_and_blindness(page, base_url):
    """market.fee as a percent (1 → 0.01), people[].blind from its checkbox."""
    spec = HOUSEHOLDS["single-retiree"]
    page.goto(base_url + "/planner")
    page.locator("details summary").first.click()
    page.fill("[name='market.fee']", "1")
    page.check("[name='people.0.blind']")
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name='paths']", "0")
    with page.expect_request(lambda r: "/plan?" in r.url and r.method == "POST") as req:
        page.click("button[type=submit]")
    sent = json.loads(req.value.post_data)
    assert sent["market"]["fee"] == 0.01 and sent["people"][0]["blind"] is True
    help_text = page.locator("[id='help-market.fee']").inner_text()
    assert "3.95%" in help_text and "§67(g)" in help_text
    owner = page.locator("[id='help-people.0.five_percent_owner']").inner_text()
    assert "§318(a)(1)" in owner and "grandchildren" in owner and "§401(a)(9)(C)(ii)(I)" in owner
    assert not page.errors, page.errors


def test_the_planners_fee_is_refused_at_its_field(page, base_url):
    """Above 5%: refused beside the field, by the page and, sent anyway, by the server (422 at
    body.market.fee)."""
    spec = HOUSEHOLDS["single-retiree"]
    page.goto(base_url + "/planner")
    page.locator("details summary").first.click()
    for name, value in spec["form"].items():
        page.fill(f"[name='{name}']", value)
    page.fill("[name='market.fee']", "6")
    page.click("button[type=submit]")
    assert "5 or less" in wait_for_message(page, "market.fee")
    page.evaluate("() => document.querySelector(\"[name='market.fee']\").removeAttribute('max')")
    page.click("button[type=submit]")
    page.wait_for_function("() => document.getElementById('err-market.fee').textContent.includes('0.05')")
    assert page.locator("[id='err-market.fee']").inner_text().startswith("Investment fees a year")
    assert page.locator("#plan-results").is_hidden()
    assert not page.errors, page.errors
