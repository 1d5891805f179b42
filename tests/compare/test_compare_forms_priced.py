"""An option priced at the stated need brings the forms of the payment it makes, in every door:
its Forms 1099-R agree with its gross, its withholding and its Form 5329 Part I, not with the
assessment's payment at the amount asked for.

examples/cases/roth-ira-instead.yaml: single, 45, wages $82,000, 2026, $15,000 asked for and
needed in hand.  Worked by hand (Rev. Proc. 2025-32: standard deduction $16,100; the 22%
bracket runs from $50,400 to $105,700 of taxable income):

- **The hardship withdrawal** (all pre-tax: elective deferrals and match; no exception to the
  10% tax, IRC §72(t)(1)).  Taxable income before it is $82,000 − $16,100 = $65,900, so every
  dollar of it is taxed at 22% and owes 10% more: it puts $15,000 in hand after all tax at
  $15,000 / (1 − 0.22 − 0.10) = $22,058.82 (to the cent: income tax 22% × 22,058.82 =
  $4,852.94, 10% tax $2,205.88, kept 22,058.82 − 4,852.94 − 2,205.88 = $15,000.00; a cent
  less, $22,058.81, keeps $14,999.99).  It is no eligible rollover distribution
  (§402(c)(4)(C)): 10% withheld (§3405(b)(1)), $2,205.88.  Its Form 1099-R: box 1 $22,058.82,
  box 2a $22,058.82, box 4 $2,205.88, box 5 0, box 7 code 1 (early, no known exception);
  Form 5329 Part I: line 1 $22,058.82, line 3 $22,058.82, line 4 $2,205.88.  The assessment's
  payment, $15,000 (box 4 $1,500), is not this option's.
- **From the Roth IRA instead**: 10% withheld by default (§3405(b)(1)), so a check of $15,000
  asks $15,000 / 0.9 = $16,666.67 (withheld $1,666.67, check $15,000.00; $16,666.66 gives a
  check of $14,999.99).  It comes out of the $9,000 of contributions, then the 2019
  conversion's $6,000 (its 5 years over), then $1,666.67 of the 2024 conversion, within its
  5 years: that part owes the 10% tax (§408A(d)(3)(F)), $166.67; nothing is taxable
  (§408A(d)(4)(B)).  Its Form 1099-R: box 1 $16,666.67, box 2a blank with "taxable amount not
  determined", box 4 $1,666.67, box 7 code J (early Roth IRA distribution); Form 5329 Part I:
  line 1 $1,666.67 (the conversion's part, Instructions for Form 5329, line 1), line 4 $166.67.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import load_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.report import render_html
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "cases" / "roth-ira-instead.yaml"
APP_JS = ROOT / "src" / "dist401k" / "web" / "app.js"
runner = CliRunner()

HARDSHIP, ROTH_IRA = "hardship:cash", "roth_ira:cash"
#: option: (gross, box 2a (None: blank), box 4, box 7, Form 5329 line 1, line 4), by hand.
WANT = {HARDSHIP: (22058.82, 22058.82, 2205.88, "1", 22058.82, 2205.88),
        ROTH_IRA: (16666.67, None, 1666.67, "J", 1666.67, 166.67)}


@pytest.fixture(scope="module")
def cmp() -> dict:
    return compare_case(load_case(CASE))


def _check(options: list[dict]) -> None:
    """Each priced option's figures, its one Form 1099-R and its Form 5329 Part I, by hand."""
    by_name = {o["option"]: o for o in options}
    for name, (gross, box_2a, box_4, code, line_1, line_4) in WANT.items():
        o = by_name[name]
        assert o["gross"] == pytest.approx(gross, abs=0.005), name
        assert o["withholding"] == pytest.approx(box_4, abs=0.005), name
        [form] = o["form_1099r"]
        assert form["box_1"] == pytest.approx(gross, abs=0.005), name
        assert form["box_2a"] == (None if box_2a is None else pytest.approx(box_2a, abs=0.005)), name
        assert form["box_4"] == pytest.approx(box_4, abs=0.005), name
        assert form["box_7"] == code and o["form_1099r_codes"] == [code], name
        assert o["check_received"] == pytest.approx(gross - box_4, abs=0.005), name
        assert o["form_5329"]["line_1"] == pytest.approx(line_1, abs=0.005), name
        assert o["form_5329"]["line_4"] == pytest.approx(line_4, abs=0.005), name
    assert by_name[ROTH_IRA]["form_1099r"][0]["box_2b_not_determined"] is True
    # the plan loan pays no distribution: no Form 1099-R of its own
    assert not by_name["loan:cash"].get("form_1099r")


def test_the_options_carry_the_forms_of_the_payment_they_make(cmp):
    _check(cmp["options"])
    # the assessment keeps its own payment, at the amount asked for
    hardship = next(o for o in cmp["assessment"]["outcomes"] if o["route"] == "hardship")
    assert hardship["form_1099r"][0]["box_1"] == pytest.approx(15000, abs=0.005)


def test_the_json_door_gives_each_options_forms():
    r = runner.invoke(app, ["compare", str(CASE), "--format", "json"])
    assert r.exit_code == 0, r.output
    _check(json.loads(r.stdout)["options"])


def test_the_api_gives_each_options_forms(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    case = json.loads(json.dumps(yaml.safe_load(CASE.read_text()), default=str))
    r = client.post("/compare", json=case)
    assert r.status_code == 200, r.text
    _check(r.json()["options"])


def _words(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_terminal_shows_the_options_own_forms():
    r = runner.invoke(app, ["compare", str(CASE)], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    lines = _words(r.stdout)
    start = lines.index(next(x for x in lines if x.startswith("The Forms 1099-R the plan will send")))
    forms = lines[start:start + 8]
    # option, box 1, 2a, 4, 5, 7, box 2b (whole dollars)
    assert "Hardship withdrawal: take it in cash 22,059 22,059 2,206 0 1" in forms
    assert ("from the Roth IRA instead (contributions first) 16,667 — 1,667 0 J "
            "taxable amount not determined") in forms
    assert not any(x.startswith("Hardship withdrawal: take it in cash 15,000") for x in forms)
    part_i = lines[lines.index(next(x for x in lines if x.startswith("Form 5329, Part I"))):]
    # line 1, 2, 3, 4 (the exception number's column, empty in every row, left out)
    assert any(x.startswith("Hardship withdrawal: take it in cash 22,059 0 22,059 2,206")
               for x in part_i)


def test_the_report_shows_the_options_own_forms(cmp):
    page = html.unescape(render_html(cmp))
    forms = page[page.index("The Forms 1099-R the plan will send"):]
    forms = forms[:forms.index("</table>")]
    rows = [[re.sub("<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", forms)]
    # option, box 1, 2a, 4, 5, 7
    assert [r[:6] for r in rows if r] == [
        ["Hardship withdrawal: take it in cash", "22,059", "22,059", "2,206", "0", "1"],
        ["from the Roth IRA instead (contributions first)", "16,667", "—", "1,667", "0", "J"]]
    # the options table's taxable and tax-free parts are the option's own (of its gross)
    options = page[page.index("<th>taxable</th>"):]
    row = re.search(r"<td>Hardship withdrawal: take it in cash</td>(.*?)</tr>", options).group(1)
    cells = [re.sub("<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[0] == "22,059" and "22,059, 0, 1" in ", ".join(cells)


def test_the_pages_title_is_the_reports():
    from dist401k.compare_forms import FORMS_1099R_TITLE

    title = re.search(r'const FORMS_1099R_TITLE = "([^"]*)";', APP_JS.read_text()).group(1)
    assert title == FORMS_1099R_TITLE


def test_the_options_that_pay_without_an_outcome_of_their_name_carry_their_forms():
    """Leaving the money in the plan still pays the year's required minimum in cash, and the
    product is bought with a direct rollover: each brings its Form 1099-R, as the terminal shows.

    examples/cases/rmd-retired-younger-spouse.yaml: 75 in 2026, his wife 61 and his sole
    beneficiary: Joint and Last Survivor Table (Treas. Reg. §1.401(a)(9)-9(d)), divisor 27.5 at
    75 and 61; $500,000 at the end of 2025 (the Roth deferrals owe none, §402A(d)(5) as SECURE
    2.0 §325 amended it): $500,000 / 27.5 = $18,181.82, no eligible rollover distribution
    (§402(c)(4)(B)), 10% withheld (§3405(b)(1)): $1,818.18; box 7 code 7 (normal distribution).
    examples/cases/annuity-pitch-backdoor.yaml: the product bought with the $250,000 rolled
    directly: box 1 $250,000, box 2a 0, nothing withheld (§3405(c)(2)), code G."""
    rmd = compare_case(load_case(ROOT / "examples" / "cases" / "rmd-retired-younger-spouse.yaml"))
    leave = next(o for o in rmd["options"] if o["option"] == "leave")
    [form] = leave["form_1099r"]
    assert (form["box_1"], form["box_2a"], form["box_4"], form["box_7"]) == (
        pytest.approx(18181.82, abs=0.005), pytest.approx(18181.82, abs=0.005),
        pytest.approx(1818.18, abs=0.005), "7")
    assert leave["gross"] == pytest.approx(18181.82, abs=0.005)
    annuity = compare_case(load_case(ROOT / "examples" / "cases" / "annuity-pitch-backdoor.yaml"))
    product = next(o for o in annuity["options"] if o["option"].endswith(":product"))
    [form] = product["form_1099r"]
    assert (form["box_1"], form["box_2a"], form["box_4"], form["box_7"]) == (
        pytest.approx(250000, abs=0.005), 0.0, 0.0, "G")
    r = runner.invoke(app, ["compare", str(ROOT / "examples" / "cases" / "annuity-pitch-backdoor.yaml")],
                      env={"COLUMNS": "400"})
    assert "In-service withdrawal: roll into the product 250,000 0 0 0 G" in _words(r.stdout)
