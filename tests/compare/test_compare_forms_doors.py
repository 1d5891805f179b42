"""The comparison's forms in every door, the chart's parts, and the assessment the comparison
carries (`dist401k compare`, the report, the web page).

1. The combined option "in-service + emergency, then hardship" carries its payments' Forms
   1099-R and one Form 5329 Part I (tests/compare/test_compare_forms_s56.py works them by hand
   from examples/cases/hardship-medical.yaml: the in-service $15,000, all pre-tax, box 7 code 1;
   the emergency $1,000 as $861.54 pre-tax (code 2) and $138.46 Roth with $107.69 of
   contributions, $30.77 taxable (code B2); the hardship $592.33 as $485.71 pre-tax (code 1) and
   $106.62 Roth, $23.69 taxable (code B1); one Part I: line 1 $16,401.71, line 2 $6,562.18
   (99: the medical exception's 05 and the emergency payment's 23), line 3 $9,839.53, line 4
   $983.95, to be filed).  The terminal shows them as the report does, in whole dollars.
   The in-service payment alone: AGI $68,000 + $15,000 = $83,000, medical expenses above 7.5%
   of it spared (IRC §72(t)(2)(B)): $12,000 − $6,225 = $5,775 on line 2, $9,225 on line 3,
   10% = $922.50 on line 4 ($923), filed.
2. The chart's "tax paid from other money" part is drawn only where some option pays tax from
   other money: the in-service $15,000 converted to a Roth IRA in hardship-medical pays its
   $3,300 (22% of $15,000: single, wages $68,000, 2026, taxable income $51,900 before it, all of
   it in the 22% bracket) beside the amount converted; Pat's only option, cash, pays every tax
   out of its gross, so Pat's chart has no such part, nor a legend entry or column for it.
3. The assessment the comparison carries gives a withholding not figured (a periodic payment in
   2024, before the Pub. 15-T tables the law holds: IRC §3405(a)) as null with its reason
   (``SR_WITHHOLDING_WAGES``), as the assess door does — not $0.  In 2025 it is figured: $2,000
   a month, single, no W-4P: 24,000 − 8,600 = 15,400; 10% of (15,400 − 6,400) = 900 a year,
   $75.00 a payment (Pub. 15-T (2025), Worksheet 1A; worked in
   tests/compare/test_compare_followups_s56.py).
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k import compare_forms
from dist401k.api import assessed
from dist401k.case import load_case, parse_case
from dist401k.cli import app
from dist401k.compare import FIRST_THEN_HARDSHIP, compare_case
from dist401k.report import dollar_chart, render_html
from dist401k.withholding import NOT_FIGURED_REASON

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "cases"
APP_JS = ROOT / "src" / "dist401k" / "web" / "app.js"
OTHER_MONEY = "tax paid from other money"
runner = CliRunner()


def _terminal(name: str, columns: int = 400) -> str:
    r = runner.invoke(app, ["compare", str(EXAMPLES / f"{name}.yaml")], env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    return r.stdout


def _lines(text: str) -> list[str]:
    """The terminal's lines, each with its runs of spaces made one."""
    return [" ".join(line.split()) for line in text.splitlines()]


def _after(text: str, title: str) -> list[str]:
    """The lines of the table titled ``title`` (up to the next blank line after its rule)."""
    lines = _lines(text)
    start = next(k for k, line in enumerate(lines) if line.startswith(title))
    rule = next(k for k in range(start, len(lines)) if set(lines[k]) <= {"─", " "} and lines[k])
    end = next((k for k in range(rule + 1, len(lines)) if not lines[k]), len(lines))
    return lines[rule + 1:end]


@pytest.fixture(scope="module")
def hardship_terminal() -> str:
    return _terminal("hardship-medical")


# --- 1. The forms in the terminal ---------------------------------------------------------------


def test_the_terminal_shows_the_combined_options_forms_1099r(hardship_terminal):
    cmp = compare_case(load_case(EXAMPLES / "hardship-medical.yaml"))
    label = next(o["label"] for o in cmp["options"] if o["option"] == FIRST_THEN_HARDSHIP)
    rows = _after(hardship_terminal, "The Forms 1099-R the plan will send")
    mine = [r for r in rows if r.startswith(label)]
    # option — payment's route, box 1, 2a, 4 withheld, 5 contributions, 7 code, 11 first Roth year
    assert [re.sub(r"^.* — ", "", r) for r in mine] == [
        "In-service withdrawal 15,000 15,000 3,000 0 1 —",
        "Emergency expense (SECURE 2.0) 862 862 86 0 2 —",
        "Emergency expense (SECURE 2.0) 138 31 3 108 B2 2019",
        "Hardship withdrawal 486 486 49 0 1 —",
        "Hardship withdrawal 107 24 2 83 B1 2019"]
    assert compare_forms.FORMS_1099R_NOTE in " ".join(_lines(hardship_terminal))


def test_the_terminal_shows_one_form_5329_part_i_for_the_combined_option(hardship_terminal):
    cmp = compare_case(load_case(EXAMPLES / "hardship-medical.yaml"))
    label = next(o["label"] for o in cmp["options"] if o["option"] == FIRST_THEN_HARDSHIP)
    rows = _after(hardship_terminal, "Form 5329, Part I (early distributions)")
    assert f"{label} 16,402 6,562 99 (In-service withdrawal 05, Emergency expense (SECURE 2.0) 23) " \
           "9,840 984 file Form 5329" in rows
    # the other options that carry a Part I show it too: the in-service payment alone
    assert "In-service withdrawal: take it in cash 15,000 5,775 05 9,225 923 file Form 5329" in rows
    assert ("Emergency expense (SECURE 2.0): take it in cash 892 892 23 0 0 "
            "no form: box 7's code says it all") in rows


@pytest.mark.parametrize("name", ["hardship-medical", "roth-ira-instead", "annuity-pitch-backdoor",
                                  "rule-of-55"])
def test_every_form_of_the_report_shows_in_the_terminal(name):
    """Each row of each form's table of the report is in the terminal's, cell for cell (the
    rows are written once: dist401k.compare_forms); a loan that goes bad's Part I too."""
    cmp = compare_case(load_case(EXAMPLES / f"{name}.yaml"))
    shown = _lines(_terminal(name))
    tables = [(compare_forms.FORMS_1099R_TITLE, compare_forms.form_1099r_rows(cmp)),
              (compare_forms.FORM_5329_TITLE, compare_forms.form_5329_rows(cmp)),
              (compare_forms.FORM_8606_TITLE,
               compare_forms.lines_rows(cmp, "form_8606", compare_forms.FORM_8606_LINES)),
              (compare_forms.PART_III_TITLE,
               compare_forms.lines_rows(cmp, "form_8606_part_iii", compare_forms.PART_III_LINES))]
    assert any(rows for _, rows in tables)
    for title, rows in tables:
        if not rows:
            assert not any(line.startswith(title) for line in shown), title
            continue
        table = _after("\n".join(shown), title)
        for row in rows:
            # a box no form fills is left out of the terminal's table
            want = " ".join(c for c in row[1:] if c not in ("", "—"))
            assert any(line.startswith(row[0]) and " ".join(
                t for t in line[len(row[0]):].split() if t != "—") == want for line in table), (title, row)
    page = html.unescape(render_html(cmp))
    for title, rows in tables:
        assert (title in page) == bool(rows)


def test_a_table_with_no_form_is_not_printed():
    """Without an early payment there is no Part I; no option of the series case has Form 8606."""
    out = _terminal("pennsylvania-retiree-60")
    assert "Form 5329" not in out and "Form 8606" not in out
    assert "The Forms 1099-R the plan will send" in out


# --- 2. The chart's "tax paid from other money" --------------------------------------------------


def test_the_chart_draws_tax_from_other_money_only_where_an_option_pays_some():
    pat = compare_case(load_case(EXAMPLES / "pat-california-rule-of-55.yaml"))
    names = [t.name for t in dollar_chart(pat).data]
    assert names == ["kept after all tax", "income tax", "10% additional tax", "state tax",
                     "stays invested"]
    assert OTHER_MONEY not in render_html(pat)  # no legend entry, no column of its data table
    hardship = compare_case(load_case(EXAMPLES / "hardship-medical.yaml"))
    bars = {t.name: list(t.x) for t in dollar_chart(hardship).data}
    paid = [o["option"] for o in hardship["options"] if o["gross"] > 0 and o["option"] != "leave"]
    assert bars[OTHER_MONEY][paid.index("in_service:roth_ira")] == pytest.approx(3300, abs=0.005)


# --- 3. The assessment the comparison carries ----------------------------------------------------

SERIES = {
    "person": {"birth_date": "1958-03-01", "filing_status": "single"},
    "plan": {"type": "401k"},
    "employment": {"status": "separated", "separation_date": "2023-06-30", "hire_date": "2000-01-01"},
    "income": {"wages": 60000},
    "account": {"sources": {"elective_deferral": {"balance": 300000}}},
    "request": {"date": "2024-03-01", "amount": 2000, "series": "life",
                "annuity_start_date": "2024-01-01", "series_payments_per_year": 12,
                "destination": "cash"},
}


def _series(year: int) -> dict:
    data = copy.deepcopy(SERIES)
    data["request"]["date"] = f"{year}-03-01"
    return data


def test_the_comparisons_assessment_gives_a_withholding_not_figured_as_null():
    cmp = compare_case(parse_case(_series(2024)))
    row = cmp["assessment"]["outcomes"][0]
    assert row["withholding"] is None
    assert NOT_FIGURED_REASON in {r["code"] for r in row["reasons"]}
    assert row["check_received"] == 2000.0  # the payment before that withholding
    # the same as the assess door's answer, field for field
    assert cmp["assessment"] == assessed([parse_case(_series(2024))])[0]


def test_the_comparisons_assessment_keeps_a_figured_withholding():
    cmp = compare_case(parse_case(_series(2025)))
    assert cmp["assessment"]["outcomes"][0]["withholding"] == pytest.approx(75.00, abs=0.005)


def test_every_reader_of_the_assessment_reads_a_null_withholding(tmp_path):
    """The report (its options' withheld "unknown", its Form 1099-R's box 4 "not figured") and
    the terminal (the same) read the comparison with the assessment's withholding null."""
    cmp = compare_case(parse_case(_series(2024)))
    page = render_html(cmp)
    forms = page[page.index(compare_forms.FORMS_1099R_TITLE):]
    assert "<td>not figured</td>" in forms[:forms.index("</table>")]
    case = tmp_path / "series.json"
    case.write_text(json.dumps(_series(2024)))
    r = runner.invoke(app, ["compare", str(case)], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    rows = _after(r.stdout, compare_forms.FORMS_1099R_TITLE)
    assert rows == ["After separation: take it in cash 2,000 2,000 not figured 0 7"]
    assert "unknown" in r.stdout
