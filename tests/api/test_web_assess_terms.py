"""The assess page says what the terminal says (commands/assess.py): a hardship's "available" is
the need left plus the tax on it, not the whole balance (Treas. Reg. §1.401(k)-1(d)(3)(iii)(A)),
on the page and in the report; each way out's terms (a loan's payment, an RMD and its deadline,
a hardship's "First: …", a Roth IRA's basis) are in its row; the plan's loan count and the last
12 months' highest loan balance can be given, and, not given, the answer says what it assumed;
when nothing can be paid it says so in words, with no empty table or chart of zeros; a Form 5329
the return does not need is said not to be needed; and the fields that were bare have help."""

from __future__ import annotations

import re

import pytest

from api.test_web import fill
from dist401k.commands.assess import _route_terms

pytestmark = pytest.mark.slow

# r_web finding 2: at work, 40, a hardship for medical bills; pre-tax 48,000, Roth 6,000,
# match 20,000; a $10,000 need.
HARDSHIP = {
    "form": {"person.birth_date": "1986-03-15", "income.wages": "72,000", "income.medical_expenses": "9000",
             "employment.hire_date": "2014-05-01", "src.elective_deferral": "$48,000",
             "src.roth_deferral": "6000", "src.match": "20k", "request.amount": "10000",
             "request.need": "10000", "request.date": "2026-11-20"},
    "selects": {"request.purpose": "medical", "person.state": "CA"},
    "checks": {"plan.in_service.elective_deferral.allowed": False,
               "plan.in_service.roth_deferral.allowed": False},
}

# r_web finding 4: at work, pre-tax 120,000 and a $20,000 loan still owed; $40,000 asked.
LOAN = {
    "form": {"person.birth_date": "1981-07-04", "income.wages": "95000", "employment.hire_date": "2010-01-15",
             "src.elective_deferral": "120000", "account.loans.outstanding": "20,000",
             "request.amount": "40000", "request.date": "2026-12-01"},
    "selects": {"person.filing_status": "married_joint"},
}

# r_web finding 9: rule of 55, left 2026-03-31 at 54 (born 1971-05-10); $50,000 in cash.
SEP55 = {
    "form": {"person.birth_date": "1971-05-10", "income.wages": "30000", "employment.hire_date": "2005-02-01",
             "employment.separation_date": "2026-03-31", "src.elective_deferral": "300000",
             "src.match": "80000", "request.amount": "50000", "request.date": "2026-09-01"},
    "selects": {"employment.status": "separated", "person.state": "TX"},
}


@pytest.fixture
def on(page, base_url):
    page.base_url_ = base_url
    return page


def answered(page, spec):
    fill(page, page.base_url_, spec)
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_selector("#routes tr[data-route] td:not(:empty)")


def row(page, route):
    return page.locator(f"#routes tr[data-route='{route}']")


def cells(page, route):
    return row(page, route).locator("td").all_inner_texts()


def level_payment(principal, rate, years, per_year):
    """The level payment that repays ``principal`` in ``years`` of ``per_year`` payments at the
    yearly ``rate`` (the annuity formula P·i / (1 − (1 + i)^−n), i = rate / per_year)."""
    i, n = rate / per_year, years * per_year
    return principal * i / (1 - (1 + i) ** -n)


def test_a_hardship_shows_the_need_plus_tax_and_a_loan_its_terms(on):
    """The hardship may pay the $10,000 need plus the tax on it, not the $54,000 of deferrals it
    may draw on (48,000 + 6,000; the match is not a hardship source by default): "10,000 + tax"
    as the CLI. The loan: the lesser of $50,000 and half the vested 74,000 = 37,000; the $10,000
    asked at the plan's 8.5% over 5 years of 12 payments: 10,000 × i / (1 − (1 + i)^−60),
    i = 0.085 / 12, = $205.17."""
    answered(on, HARDSHIP)
    hardship = cells(on, "hardship")
    assert hardship[1:3] == ["yes", "10,000 + tax"], hardship
    assert row(on, "hardship").get_attribute("data-available") == "54000"
    assert f"{level_payment(10_000, 0.085, 5, 12):,.2f}" == "205.17"
    loan = cells(on, "loan")
    assert loan[2] == "37,000", loan
    assert "Up to $37,000; on the $10,000 asked, 12 payments a year of $205.17 for 5 years." in loan[3]
    assert not on.errors, on.errors


def test_the_report_shows_the_hardships_need_plus_tax_and_the_loans_terms(client):
    """The report (POST /report) of the same case says what the page and the terminal say."""
    case = {"person": {"birth_date": "1986-03-15", "state": "CA"},
            "employment": {"status": "active", "hire_date": "2014-05-01"},
            "income": {"wages": 72000, "medical_expenses": 9000},
            "plan": {"type": "401k", "hardship": {"allowed": True}, "loans": {"allowed": True}},
            "account": {"sources": {"elective_deferral": {"balance": 48000},
                                    "roth_deferral": {"balance": 6000},
                                    "match": {"balance": 20000, "vested": 1}}},
            "request": {"amount": 10000, "purpose": "medical", "need": 10000, "date": "2026-11-20"}}
    r = client.post("/report", json=case)
    assert r.status_code == 200, r.text[:300]
    html = r.text[r.text.index("<h2>Ways out now"):]
    ways = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[:html.index("</table>")]))
    assert re.search(r"Hardship withdrawal yes 10,000 \+ tax", ways), ways[:600]
    assert "54,000" not in ways
    assert "Up to $37,000; on the $10,000 asked, 12 payments a year of $205.17 for 5 years." in ways


TERMS = [
    {"route": "loan", "eligible": True, "available": 37000.0, "maximum": 37000.0, "principal": 37000.0,
     "payment": 759.12, "payments_per_year": 12, "term_years": 5},
    {"route": "rmd", "eligible": True, "available": 500000.0, "rmd": 19607.84, "divisor": 25.5,
     "deadline": "2026-12-31", "last_year_rmd": 18518.52, "last_year_deadline": "2026-04-01"},
    {"route": "rmd", "eligible": True, "available": 500000.0, "rmd": 19607.84, "divisor": 25.5,
     "deadline": "2026-12-31", "last_year_rmd": 0.0, "last_year_deadline": None},
    {"route": "roth_ira", "eligible": True, "available": 30000.0, "contributions_basis": 12000.0,
     "conversions_basis": 5000.4},
    {"route": "hardship", "eligible": True, "available": 54000.0, "need_left": 4000.0, "paid_first": 6000.0,
     "first": [{"route": "in_service", "pays": 6000.0}]},
    {"route": "hardship", "eligible": False, "available": 0.0, "need_left": None, "paid_first": 10000.0,
     "first": [{"route": "in_service", "pays": 10000.0}]},
]


def test_each_routes_terms_are_the_terminals(on):
    """Every kind of route term the terminal prints (commands/assess.py _route_terms), said by
    the page in the same words and figures: an RMD of $500,000 over a 25.5 period, $19,607.84
    (500,000 / 25.5), by December 31, with last year's first by April 1; a Roth IRA's
    contributions and conversions; a hardship after an in-service payment of $6,000, $4,000 of
    its $10,000 need left."""
    answered(on, HARDSHIP)  # the routes' names (GET /labels) are in
    for s in TERMS:
        assert on.evaluate("(s) => routeTerms(s)", s) == _route_terms(s), s
    assert on.evaluate("(s) => routeTerms(s)", TERMS[1]) == (
        " RMD $19,607.84 (period 25.5), by 2026-12-31; last year's $18,518.52 (the first) by 2026-04-01.")
    assert on.evaluate("(s) => routeTerms(s)", TERMS[4]).endswith("$6,000; need left $4,000.")


def sent(page):
    """The case the page would send for the form as it stands."""
    return page.evaluate("() => buildCase(document.getElementById('case'))")


def test_a_loan_owed_with_no_loan_count_given_says_what_was_assumed(on):
    """The person never said how many loans the plan allows at once: the page sends no
    plan.loans.max_count, and the answer's loan row does not state as the plan's fact that
    "you already have as many loans as the plan allows"; it says the limit was not given and
    what was taken, and the notes name the field. Nothing is payable: no way out is open, so
    the cost table and the options over time are words, not a table of zeros and a flat chart."""
    answered(on, LOAN)
    case = sent(on)
    assert "max_count" not in case["plan"]["loans"]
    assert "highest_last_12_months" not in case["account"]["loans"]
    loan = cells(on, "loan")
    assert loan[1] == "no"
    assert "You already have as many loans as the plan allows" not in loan[3], loan
    assert "was not given" in loan[3] and "Loans the plan allows at once" in loan[3], loan
    assert on.locator("#notes li[data-field='plan.loans.max_count']").count() == 1
    assert "as many loans as the plan allows" not in on.locator("#cites").inner_text()
    # Nothing can be paid now: said in words, as the terminal's "No route is open".
    assert on.locator("#outcomes-block").is_hidden()
    assert "Nothing can be paid now" in on.locator("#no-outcome").inner_text()
    assert on.locator("#comparison-block").is_hidden()
    assert on.locator("#chart-wealth").is_hidden()
    assert "nothing to compare" in on.locator("#no-options").inner_text()
    assert "★" not in on.locator("#results").inner_text()
    assert not on.errors, on.errors


def test_the_plans_loan_count_and_last_years_highest_balance_are_asked(on):
    """With the plan's two loans at once, the §72(p)(2)(A) maximum: the lesser of $50,000 and
    half of the accrued benefit (120,000 + 20,000 owed = 140,000 → 70,000), less the 20,000
    owed = $30,000. With $35,000 the highest balance of the last 12 months, the $50,000 is
    reduced by 35,000 − 20,000 = 15,000 (§72(p)(2)(A)(i)): 35,000 − 20,000 = $15,000."""
    spec = {**LOAN, "form": {**LOAN["form"], "plan.loans.max_count": "2"}}
    answered(on, spec)
    assert sent(on)["plan"]["loans"]["max_count"] == 2
    loan = cells(on, "loan")
    assert loan[1:3] == ["yes", "30,000"], loan
    assert "Up to $30,000" in loan[3]
    assert on.locator("#notes li[data-field='plan.loans.max_count']").count() == 0
    assert on.locator("#outcomes-block").is_visible() and on.locator("#comparison-block").is_visible()
    spec["form"]["account.loans.highest_last_12_months"] = "35,000"
    answered(on, spec)
    assert sent(on)["account"]["loans"]["highest_last_12_months"] == 35000
    assert cells(on, "loan")[2] == "15,000"
    assert not on.errors, on.errors


def test_a_form_5329_not_needed_is_said_not_needed(on):
    """Rule of 55: box 7 code 2 (exception applies) tells the IRS all; the Instructions for Form
    5329 ("Who Must File") need no form then: the page says so beside the lines. The hardship's
    medical part (exception 05) needs the form to claim it on a code 1 payment: file it."""
    answered(on, SEP55)
    cash = on.locator("#f5329 tr[data-route='separation'][data-destination='cash']")
    assert cash.get_attribute("data-required") == "false"
    note = on.locator("#f5329-note").inner_text()
    assert note.startswith("No Form 5329 to file for After separation → take it in cash: box 7's code"), note
    assert "File Form 5329 for" not in note
    answered(on, HARDSHIP)
    hs = on.locator("#f5329 tr[data-route='hardship'][data-destination='cash']")
    assert hs.get_attribute("data-required") == "true"
    note = on.locator("#f5329-note").inner_text()
    assert "File Form 5329 for Hardship withdrawal → take it in cash" in note, note
    assert "No Form 5329" not in note, note


HELPED = ["person.filing_status", "plan.type", "employment.status", "src.elective_deferral",
          "src.roth_deferral", "src.after_tax", "src.match", "request.date", "plan.loans.max_count",
          "account.loans.highest_last_12_months"]


@pytest.mark.parametrize("field", HELPED)
def test_the_bare_fields_have_help(on, field):
    """Each of these fields is described by a help text of its own (aria-describedby)."""
    on.goto(on.base_url_ + "/")
    ids = (on.locator(f"[id='{field}']").get_attribute("aria-describedby") or "").split()
    helps = [on.locator(f"[id='{i}']") for i in ids if i.startswith("help-")]
    assert helps and len(helps[0].inner_text().strip()) > 40, field
