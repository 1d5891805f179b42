"""What docs/assess.md, *Destinations and the outcome* and the 60-day words, says of designated Roth
money asked to a traditional IRA, of a plan loan asked to an IRA and of a governmental 457(b)'s
60-day rollover is what `dist401k assess` answers: the doc's own case, run, gives the doc's numbers
and words.

The numbers are worked by hand from the law, not read from the program:

* Designated Roth money may be rolled over only to a Roth IRA or another plan's designated Roth
  account (IRC §402A(c)(3); §402(c)(8)(B), last sentence; Treas. Reg. §1.402A-1, Q&A-5).  The
  doc's case: $60,000 pre-tax and $40,000 Roth (contributions $30,000), $40,000 asked to a
  traditional IRA, paid pro rata: 40,000 × 60/100 = $24,000 to the traditional IRA (code G),
  40,000 × 40/100 = $16,000 to a Roth IRA (code H), box 5 = 16,000 × 30,000/40,000 = $12,000.
  With Roth money only, a traditional IRA may receive $0: no outcome.
* A plan loan is no distribution (§72(p)(1)), so nothing of it can be rolled over (§402(c)(1)).
* A governmental 457(b)'s own money is outside §72(t); rolled-in money is not (§72(t)(9)).
  $200,000 own and $50,000 rolled in, $30,000 asked: 30,000 × 50/250 = $6,000 rolled in, 10% of
  it = $600 in cash; $24,000 excepted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "assess.md").read_text(encoding="utf-8")
ROTH_SECTION = DOC.split("**Designated Roth money goes only to a Roth IRA.**", 1)[1]
LOAN_IRA = """person: {birth_date: 1978-12-05, filing_status: single}
employment: {status: active, hire_date: 2015-03-24}
income: {wages: 54000}
plan: {type: 401k, loans: {allowed: true}}
account:
  sources:
    elective_deferral: {balance: 40000}
request: {amount: 5000, date: 2026-10-11, destination: DEST}
"""
GOV_457 = """person: {birth_date: 1976-10-02, filing_status: single, state: PA}
employment: {status: separated, hire_date: 2001-09-01, separation_date: 2026-01-31}
income: {wages: 40000}
plan: {type: governmental_457b}
account:
  sources:
    elective_deferral: {balance: 200000}
ROLLED_IN
request: {amount: 30000, date: 2026-07-01}
"""


def _parts() -> list[str]:
    """The section's text around its two blocks: before, the YAML case, between, the terminal's
    words, after."""
    parts = ROTH_SECTION.split("```")
    assert parts[1].startswith("yaml\n") and parts[3].startswith("\n"), "the section's blocks moved"
    return [parts[0], parts[1].removeprefix("yaml\n"), parts[2], parts[3].strip("\n"), parts[4]]


def _assess(tmp_path: Path, case: str, *fmt: str) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(case)
    r = CliRunner().invoke(app, ["assess", str(path), *fmt], env={"COLUMNS": "130"})
    assert r.exit_code == 0, r.output
    return r.output


def _by_destination(out: str) -> dict[str, dict]:
    return {o["destination"]: o for o in json.loads(out)["outcomes"]}


def test_the_docs_mixed_account_sends_only_the_other_money_to_the_traditional_ira(tmp_path):
    o = _by_destination(_assess(tmp_path, _parts()[1], "-f", "json"))
    ira = o["traditional_ira"]
    assert (ira["to_traditional_ira"], ira["to_roth_ira"]) == (24000.0, 16000.0)
    assert ira["form_1099r_codes"] == ["G", "H"]
    assert ira["form_1099r"][1]["box_5"] == 12000.0
    said = re.sub(r"\s+", " ", _parts()[2])
    assert '"to_traditional_ira": 24000.0' in said and '"to_roth_ira": 16000.0' in said
    assert f"`why.short`: \"{ira['why']['short']}\"" in said


def test_the_docs_roth_only_account_has_no_traditional_ira_outcome_and_says_why(tmp_path):
    case = _parts()[1]
    case = "\n".join(ln for ln in case.splitlines() if "elective_deferral" not in ln)
    case = case.replace("amount: 40000", "amount: 20000")
    out = _assess(tmp_path, case)
    quoted = _parts()[3]
    shown = "\n".join(ln.rstrip() for ln in out.splitlines())
    assert quoted in shown
    assert "traditional_ira" not in _by_destination(_assess(tmp_path, case, "-f", "json"))


@pytest.mark.parametrize("dest", ["traditional_ira", "roth_ira", "other_plan", "split_2014_54",
                                  "indirect_60day"])
def test_a_loan_asked_elsewhere_than_cash_has_no_outcome_as_the_doc_says(tmp_path, dest):
    out = _assess(tmp_path, LOAN_IRA.replace("DEST", dest))
    said = ("No outcome for this request: the open route (loan) cannot pay it to the destination "
            "asked for.")
    assert said in re.sub(r"\s+", " ", DOC)
    assert said in out
    assert "A plan loan is paid to you, not to an IRA or another plan" in out


def test_a_loan_asked_in_cash_is_shown_as_before(tmp_path):
    o = _by_destination(_assess(tmp_path, LOAN_IRA.replace("DEST", "cash"), "-f", "json"))
    assert o["cash"]["gross"] == 5000.0


@pytest.mark.parametrize(("rolled_in", "words", "tax"), [
    ("", "any part not put back is taxed (no 10% tax: governmental 457(b))", 0.0),
    ("    rollover_pretax: {balance: 50000}",
     "(10% too before 59½, on the money rolled in from another plan or IRA only)", 600.0),
])
def test_the_457b_60_day_words_are_the_docs(tmp_path, rolled_in, words, tax):
    o = _by_destination(_assess(tmp_path, GOV_457.replace("ROLLED_IN\n", rolled_in + "\n" * bool(rolled_in)),
                                "-f", "json"))
    assert words in o["indirect_60day"]["why"]["short"]
    assert f'("{words}"' in re.sub(r"\s+", " ", DOC)
    assert o["cash"]["additional_tax_72t"] == tax
    if tax:
        assert "$600" in DOC and "30,000 × 50/250 = $6,000" in re.sub(r"\s+", " ", DOC)
