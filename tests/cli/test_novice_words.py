"""What a novice reads in `assess` and `compare` does not mislead (review s51): the 60-day
rollover's condition with its amounts, the tax still due when filing, the gross a need asks
for, the loan's offset on leaving the job, negative figures, a conversion's reason, and the
hardship ordering rule counted before tax.  Every figure below is worked by hand from the
case and the law, not copied from the program's output."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.outcome_why import (
    DUE_WHEN_FILING_HEAD,
    LOAN_SHORT,
    due_when_filing,
    due_when_filing_lines,
)
from novice_case import NOVICE

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "examples" / "cases" / "hardship-medical.yaml"
runner = CliRunner()


def _cli(args: list[str]) -> str:
    r = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    return " ".join(r.stdout.split())  # the table's wrapping out of the way

@pytest.fixture(scope="module")
def demo() -> dict:
    return assess_cases([parse_case(yaml.safe_load(DEMO.read_text()))])[0]

@pytest.fixture(scope="module")
def demo_text() -> str:
    return _cli(["assess", str(DEMO)])

def _row(r: dict, route: str, dest: str) -> dict:
    return next(o for o in r["outcomes"] if o["route"] == route and o["destination"] == dest)

def test_sixty_day_rollover_says_the_whole_gross_and_the_withheld_part(demo):
    # $15,000 paid, 20% withheld (§3405(c)) = $3,000, a $12,000 check; 60 days after
    # 2026-11-23 is 2027-01-22. Not taxed only if all $15,000 goes back, $3,000 of it from
    # other money (Treas. Reg. §1.402(c)-2(a)(1)(ii)).
    row = _row(demo, "in_service", "indirect_60day")
    short = row["why"]["short"]
    assert "rolled over: not taxed now" != short
    assert "all $15,000 goes back within 60 days (by 2027-01-22)" in short
    assert "$3,000 of it from other money" in short and "taxed (10% too before 59½)" in short
    why = row["why"]["taxable"]
    assert "the $12,000 check and $3,000, the amount withheld, from other money" in why
    assert "Any part not put back is taxable this year" in why and "1.402(c)-2(a)(1)(ii)" in why
    assert row["why"]["additional_tax_72t"].startswith("None if all $15,000 is rolled over")

def test_the_tax_still_due_when_filing_is_said(demo_text):
    # In service in cash: 15,000 × 22% = 3,300 income tax (the demo's 22% bracket), 10% tax on
    # 15,000 − 5,775 medical = 922.50, withheld 20% = 3,000: 3,300 + 922.50 − 3,000 = 1,222.50.
    assert DUE_WHEN_FILING_HEAD in demo_text
    assert "in service → cash: $1,223 federal (income tax $3,300 + 10% tax $923 − $3,000 withheld)" \
        in demo_text
    # The Roth IRA conversion: $3,300 of tax, nothing withheld on a direct rollover (§3405(c)(2)).
    assert "in service → roth ira: $3,300 federal (income tax $3,300, nothing withheld)" in demo_text
    # A 60-day rollover withholds more than it taxes: nothing due, no line.
    assert "indirect 60day: $" not in demo_text

def test_due_when_filing_for_the_novices_hardship():
    # 12% bracket: 15,000 × 12% = 1,800; medical part spared 6,000 − 7.5% × 57,000 = 1,725;
    # 10% × (15,000 − 1,725) = 1,327.50; withheld 10% (not rollable, §3405(b)) = 1,500.
    # 1,800 + 1,327.50 − 1,500 = 1,627.50.
    row = {"income_tax_increase": 1800.0, "additional_tax_72t": 1327.5, "withholding": 1500.0}
    assert due_when_filing(row) == (1627.5, None)
    lines = due_when_filing_lines([("hardship → cash", row)])
    assert lines[1] == ("hardship → cash: $1,628 federal (income tax $1,800 + 10% tax $1,328 − $1,500 "
                        "withheld)")
    # The state's too where figured: 900 tax − 600 withheld = 300 more.
    state = {**row, "state_covered": True, "state_income_tax_increase": 900.0,
             "state_additional_tax": 0.0, "state_withholding": 600.0}
    assert due_when_filing(state) == (1627.5, 300.0)
    assert due_when_filing_lines([("x", state)])[1].endswith("and $300 to the state")
    # Withholding that covers the taxes: nothing to say.
    assert due_when_filing_lines([("x", {**row, "withholding": 4000.0})]) == []

def _novice_file(tmp_path: Path) -> str:
    path = tmp_path / "me.yaml"
    path.write_text(yaml.safe_dump(NOVICE))
    return str(path)


def test_assess_says_the_need_is_not_met_and_what_the_route_pays(tmp_path):
    text = _cli(["assess", _novice_file(tmp_path)])
    # The hardship at $15,000 keeps 15,000 − 1,800 − 1,327.50 = 11,872.50, under the $15,000 need.
    assert "hardship → cash: $15,000 leaves $11,873 after all tax, less than your $15,000 need" in text
    assert "hardship → cash: $1,628 federal (income tax $1,800 + 10% tax $1,328 − $1,500 withheld)" in text

def test_the_loan_says_what_leaving_the_job_owing_it_does(demo_text):
    # IRC §402(c)(3)(C); Treas. Reg. §1.72(p)-1, Q&A-13: the offset is a distribution.
    assert "leave the job owing it" in LOAN_SHORT and "unless rolled over by your return's due date" \
        in LOAN_SHORT
    assert "a loan: not taxed while repaid; leave the job owing it" in demo_text

def test_a_negative_kept_is_said_to_be_tax_from_other_money(demo_text):
    assert "A negative figure is tax you pay from other money: nothing comes to you." in demo_text

def test_compare_says_what_a_negative_value_at_65_is(tmp_path):
    text = _cli(["compare", _novice_file(tmp_path)])
    assert "A negative value at an age is a loss by then" in text
    # The hardship priced at the need left (14,000 after the $1,000 emergency withdrawal):
    # what is due when filing is its taxes less its withholding.
    assert "Still to pay when you file the return" in text

def test_a_roth_ira_conversion_is_not_said_to_be_rolled_over_untaxed(demo):
    row = _row(demo, "in_service", "roth_ira")
    codes = {r["code"] for r in row["reasons"]}
    assert "PX_ROLLED" not in codes and "PX_ROTH_CONVERSION" in codes
    text = next(r["text"] for r in row["reasons"] if r["code"] == "PX_ROTH_CONVERSION")
    assert "no 10% tax" in text and "taxable this year" in text
    # A plain rollover keeps its reason.
    assert "PX_ROLLED" in {r["code"] for r in _row(demo, "in_service", "traditional_ira")["reasons"]}

def test_the_closed_hardship_says_the_rule_counts_before_tax(demo_text):
    # The in-service match ($15,000) and the emergency withdrawal ($1,000) pay $16,000 against a
    # $12,000 need; the in-service withdrawal alone keeps 15,000 − 3,300 − 922.50 = 10,777.50.
    assert "Counted before tax: they pay $16,000 against your $12,000 need" in demo_text
    assert "in-service withdrawal $15,000 leaves $10,778" in demo_text


def test_the_html_report_says_the_tax_still_due_and_negative_values():
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    cmp = compare_case(parse_case(NOVICE))
    page = render_html(cmp)
    # The hardship priced at the gross that keeps the need left ($17,754 found by compare):
    # 12% × 17,754 = 2,130.48; medical spared 6,000 − 7.5% × (42,000 + 17,754) = 1,518.45;
    # 10% × (17,754 − 1,518.45) = 1,623.56; withheld 10% = 1,775.40: due 1,978.64.
    hardship = next(o for o in cmp["options"] if o["option"] == "hardship:cash")
    assert hardship["gross"] == pytest.approx(17754, abs=1)
    assert "Hardship withdrawal: take it in cash: $1,979 federal" in page
    assert "Still to pay when you file the return" in page
    assert "A negative after-tax value is a loss by then" in page



def _rule_55_rows() -> dict:
    """The shipped rule-of-55 case (left in the year of 55, a plan loan offset on leaving)."""
    case = parse_case(yaml.safe_load(Path("examples/cases/rule-of-55.yaml").read_text()))
    rows = assess_cases([case])[0]["outcomes"]
    return {(r["route"], r["destination"]): r for r in rows}


def test_a_qualified_loan_offset_rolls_over_by_the_returns_due_date_not_in_60_days():
    """IRC §402(c)(3)(C)(i): a qualified plan loan offset may be rolled over until the due date
    of the return, extensions included (2026's: 2027-10-15), all of it from other money — the
    plan pays no cash; the row's words must not say 60 days."""
    row = _rule_55_rows()[("loan_offset", "indirect_60day")]
    for words in (row["why"]["short"], row["why"]["taxable"]):
        assert "2027-10-15" in words and "60 days" not in words
    assert "§402(c)(3)(C)" in row["why"]["taxable"] and "from other money" in row["why"]["short"]


def test_the_part_not_rolled_over_owes_no_10_percent_under_the_rule_of_55():
    """§72(t)(2)(A)(v): the whole payment of one who left in the year of 55 is spared, the part
    not put back in 60 days included — the words do not charge it."""
    row = _rule_55_rows()[("separation", "indirect_60day")]
    assert "no 10% tax: rule of 55" in row["why"]["short"] and "10% too" not in row["why"]["short"]
    assert "with no 10% tax (rule of 55)" in row["why"]["taxable"]
