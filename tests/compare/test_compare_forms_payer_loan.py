"""Two things the terminal's forms said wrongly or left unexplained (`dist401k compare`, the
report, the page).

1. The title "The Forms 1099-R the plan will send" covered a Roth IRA's form, which the IRA's
   custodian sends, not the plan (Instructions for Forms 1099-R and 5498: the IRA's trustee or
   issuer files the form for a distribution from it).  examples/cases/roth-ira-instead.yaml's
   "from the Roth IRA instead" pays from the Roth IRA (box 7 code J: an early distribution from a
   Roth IRA).  Now the title names both payers, in the terminal, the report and the page.
2. The terminal's Form 5329 table for examples/cases/rule-of-55.yaml has a row "Loan offset, kept
   (taxed)" that no option of the terminal is behind; the report explains it in its table "The
   loan that goes bad", the terminal had none.  Now the terminal prints that table with the
   report's words.  By hand: the $6,000 loan outstanding is offset at separation (2026-03-31),
   box 7 code 2M (M: a qualified plan loan offset; 2: an exception applies, separation in or
   after the year he turns 55, IRC §72(t)(2)(A)(v)); kept, all $6,000 is taxable: wages 24,000
   − 16,100 (2026 single standard deduction) = 7,900; +6,000 = 13,900: 4,500 at 10% (to
   12,400) + 1,500 at 12% = $630; no 10% tax; the rollover deadline is the 2026 return's due
   date with extensions, 2027-10-15 (IRC §402(c)(3)(C)).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from typer.testing import CliRunner

from dist401k import compare_forms
from dist401k.case import load_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.report import render_html

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "cases"
APP_JS = ROOT / "src" / "dist401k" / "web" / "app.js"
CUSTODIAN = "the IRA custodian"


def _terminal(name: str) -> str:
    r = CliRunner().invoke(app, ["compare", str(EXAMPLES / f"{name}.yaml")], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    return r.stdout


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def _page(name: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", render_html(compare_case(load_case(
        EXAMPLES / f"{name}.yaml")))))


def test_the_1099r_title_names_the_ira_custodian_in_every_door():
    """The Roth IRA's form is listed under a title that names its payer, the IRA custodian."""
    title = compare_forms.FORMS_1099R_TITLE
    assert CUSTODIAN in title and "money from an IRA" in title
    out = _terminal("roth-ira-instead")
    lines = _lines(out)
    start = next(k for k, x in enumerate(lines) if x.startswith("The Forms 1099-R"))
    assert CUSTODIAN in lines[start], lines[start]
    assert any("from the Roth IRA instead" in x and " J" in x for x in lines[start:start + 12])
    page = " ".join(_page("roth-ira-instead").split())
    assert title in page
    js = APP_JS.read_text()
    assert f'const FORMS_1099R_TITLE = "{title}";' in js


def test_the_terminal_explains_the_loan_offset_row_of_form_5329():
    """The 5329 row "Loan offset, kept (taxed)" has its explanation in the terminal: the table
    of the loan that goes bad, the figures worked in the module's docstring."""
    lines = _lines(_terminal("rule-of-55"))
    assert any(x.startswith("Loan offset, kept (taxed) 6,000 6,000 01") for x in lines)
    start = next(k for k, x in enumerate(lines) if x.startswith("The loan that goes bad"))
    table = lines[start:start + 8]
    assert any(x.startswith("Loan offset kept (taxed) 6,000 6,000 630 0 2M roll over a loan offset")
               and x.endswith("2027-10-15") for x in table), table
    assert any(x.startswith("Loan offset rolled over from other money 6,000 0 0 0 2M") for x in table)
    assert "No cash is paid and nothing is withheld" in " ".join(lines[start:])


def test_the_terminal_and_the_report_word_the_loan_alike():
    """The same rows and words in both doors (one source: compare_forms.loan_failure_rows)."""
    cmp = compare_case(load_case(EXAMPLES / "rule-of-55.yaml"))
    rows = compare_forms.loan_failure_rows(cmp)
    assert [r[:7] for r in rows] == [
        ["Loan offset", "kept (taxed)", "6,000", "6,000", "630", "0", "2M"],
        ["Loan offset", "rolled over from other money", "6,000", "0", "0", "0", "2M"]]
    page = " ".join(_page("rule-of-55").split())
    assert "The loan that goes bad" in page and compare_forms.LOAN_FAILURE_NOTE in page
    assert "Loan offset kept (taxed) 6,000 6,000 630 0 2M" in page


def test_no_loan_table_where_no_loan_goes_bad():
    out = _terminal("roth-ira-instead")
    cmp = compare_case(load_case(EXAMPLES / "roth-ira-instead.yaml"))
    assert ("The loan that goes bad" in out) == bool(compare_forms.loan_failure_rows(cmp))
