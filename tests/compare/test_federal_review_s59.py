"""Federal output defects of the s59 review, each figure worked by hand from the rule.

1. `compare`'s 72(t) series options are periodic payments, withheld from as wages (IRC
   §3405(a)) by Pub. 15-T (2026) Worksheet 1A and its Annual Percentage Method tables, as
   `assess` withholds from one — not "unknown" with a footnote saying the tables are missing.
   No Form W-4P: single, no adjustments (§3405(a)(4)); line 1g $8,600; the 2026 single table:
   $0 to $7,500, 10% to $19,900 ($0 base), 12% to $57,900 ($1,240 base) — the 2026 standard
   deduction $16,100 and brackets 10% to $12,400, 12% to $50,400 (Rev. Proc. 2025-32) less
   line 1g.
2. The NUA option ("employer stock out in kind") has its two Forms 1099-R (Instructions for
   Forms 1099-R and 5498: box 2a leaves the net unrealized appreciation out, box 6 is the NUA;
   §402(e)(4)(B)): the shares' and the direct rollover's.
3. A missed 2025 amount the request makes up within the §4974(e) correction window: the 10%
   figure and the window's end beside the 25%.
5. A life-series payment before 59½ has Form 5329 line 2's exception number 02 (Instructions
   for Form 5329: a series of substantially equal periodic payments).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app as cli
from dist401k.compare import compare_case
from dist401k.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
runner = CliRunner()


def _example(name: str) -> dict:
    """An example case as JSON holds it (its dates as text)."""
    return json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()),
                                 default=str))


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def _written(tmp_path: Path, case: dict) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    return path


# 1. The 72(t) series options' withholding -------------------------------------------------

#: examples/cases/sepp-early-retiree.yaml's first-year payments (docs/sepp.md: $500,000, age
#: 57, single life 29.8, the 5% ceiling) and their withholding, one payment a year, no W-4P:
#: RMD 16,778.52 − 8,600 = 8,178.52; 10% × (8,178.52 − 7,500) = 67.852 → 67.85;
#: amortization 32,622.01 − 8,600 = 24,022.01; 1,240 + 12% × 4,122.01 = 1,734.6412 → 1,734.64;
#: annuitization 34,507.08 − 8,600 = 25,907.08; 1,240 + 12% × 6,007.08 = 1,960.8496 → 1,960.85.
SEPP_WITHHELD = {"sepp:rmd": (16778.52, 67.85), "sepp:amortization": (32622.01, 1734.64),
                 "sepp:annuitization": (34507.08, 1960.85)}


def test_the_series_options_are_withheld_as_wages_by_the_2026_tables():
    cmp = compare_case(parse_case(_example("sepp-early-retiree")))
    for name, (pay, withheld) in SEPP_WITHHELD.items():
        o = _opt(cmp, name)
        assert o["gross"] == pytest.approx(pay, abs=0.005)
        assert o["withholding"] == pytest.approx(withheld, abs=0.005)
        assert o["check_received"] == pytest.approx(pay - withheld, abs=0.005)
        # what is still due when filing is figured: the income tax less the withholding
        assert o["refund_or_due_later"] == pytest.approx(withheld - o["income_tax_now"], abs=0.01)
        assert not any(n.startswith("withholding not figured") for n in o["notes"])
        assert any("Worksheet 1A" in n and "No Form W-4P" in n for n in o["notes"])


def test_the_series_income_tax_is_the_tables_own_figure():
    """The single 2026 tax on the payment alone (no other income): 16,778.52 − 16,100 = 678.52
    at 10% = 67.85 — the table's withholding, so nothing is left to pay when filing."""
    o = _opt(compare_case(parse_case(_example("sepp-early-retiree"))), "sepp:rmd")
    assert o["income_tax_now"] == pytest.approx(67.85, abs=0.005)
    assert o["refund_or_due_later"] == pytest.approx(0.0, abs=0.005)


def test_monthly_payments_are_withheld_payment_by_payment():
    """With ``series_payments_per_year: 12``: each of 12 payments of 32,622.01 / 12 is
    annualised back to 32,622.01, taxed 1,734.6412 a year, 144.5534 → $144.55 a payment:
    $1,734.60 in the year."""
    case = _example("sepp-early-retiree")
    case["request"]["series_payments_per_year"] = 12
    o = _opt(compare_case(parse_case(case)), "sepp:amortization")
    assert o["withholding"] == pytest.approx(1734.60, abs=0.005)


def test_a_year_without_tables_says_so_and_leaves_the_withholding_unknown():
    """2024: the law holds Pub. 15-T tables from 2025 only; the withholding is unknown, and the
    note gives the true reason (SR_WITHHOLDING_WAGES: no tables for this year)."""
    case = _example("sepp-early-retiree")
    case["request"]["date"] = "2024-03-01"
    case["sepp"]["first_payment_date"] = "2024-03-01"
    case["sepp"].pop("modification_date", None)
    o = _opt(compare_case(parse_case(case)), "sepp:rmd")
    assert o["withholding"] is None and o["refund_or_due_later"] is None
    assert o["check_received"] == pytest.approx(o["gross"], abs=0.005)
    assert any(n.startswith("withholding not figured") and "no Pub. 15-T tables" in n
               for n in o["notes"])


def test_the_cli_footing_no_longer_says_the_2026_tables_are_missing(tmp_path):
    path = _written(tmp_path, _example("sepp-early-retiree"))
    out = runner.invoke(cli, ["compare", str(path)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "withheld unknown" not in out.output
    assert "does not hold" not in out.output
    options = out.output.split("Forms 1099-R")[0]  # the options table, before the forms
    rows = [line for line in options.splitlines() if line.lstrip().startswith("72(t) series")]
    assert len(rows) == 3 and not any("unknown" in r for r in rows)
    assert any(" 1,735 " in r for r in rows) and any(" 1,961 " in r for r in rows)
    data = json.loads(runner.invoke(cli, ["compare", "-f", "json", str(path)]).output)
    assert _opt(data, "sepp:rmd")["withholding"] == pytest.approx(67.85, abs=0.005)


def test_post_compare_withholds_the_series_as_the_cli(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'd.db'}"), token=""))
    r = client.post("/compare", json=_example("sepp-early-retiree"))
    assert r.status_code == 200, r.text
    for name, (_, withheld) in SEPP_WITHHELD.items():
        assert _opt(r.json(), name)["withholding"] == pytest.approx(withheld, abs=0.005)


# 2. The NUA option's Forms 1099-R ----------------------------------------------------------

NUA = "separation:nua"


def _nua(case: dict) -> dict:
    return _opt(compare_case(parse_case(case)), NUA)


def test_the_nua_option_has_the_shares_form_and_the_rollovers():
    """examples/cases/nua-lump-sum.yaml (61): the shares $200,000, cost $30,000, NUA $170,000;
    the rest $300,000 rolled over directly. Shares: box 1 200,000, 2a 30,000, 4 0, 6 170,000,
    code 7 (59½ reached), total distribution; the rollover: box 1 300,000, 2a 0, code G."""
    o = _nua(_example("nua-lump-sum"))
    shares, rolled = o["form_1099r"]
    assert (shares["box_1"], shares["box_2a"], shares["box_4"], shares["box_6"], shares["box_7"]) \
        == (200000.0, 30000.0, 0.0, 170000.0, "7")
    assert shares["box_2b_total_distribution"] and shares["not_figured"] == []
    assert (rolled["box_1"], rolled["box_2a"], rolled["box_6"], rolled["box_7"]) \
        == (300000.0, 0.0, None, "G")
    assert rolled["box_2b_total_distribution"]
    assert o["form_1099r_codes"] == ["7", "G"]
    assert (o["taxable"], o["nontaxable"]) == (30000.0, 470000.0)
    assert o["form_5329"] is None


def test_before_59_half_without_an_exception_the_shares_take_code_1():
    """Born 1974, separated at 50 (no rule of 55): code 1; Form 5329 line 1 is the cost only
    (the NUA is not income now), line 4 10% × 30,000 = 3,000 — the option's 10% tax."""
    case = _example("nua-lump-sum")
    case["person"]["birth_date"] = "1974-03-01"
    case["employment"]["separation_date"] = "2024-03-31"
    o = _nua(case)
    assert o["form_1099r"][0]["box_7"] == "1"
    assert o["form_5329"]["line_1"] == 30000.0 and o["form_5329"]["line_4"] == 3000.0
    assert o["form_5329"]["line_2"] == 0.0 and o["penalty_now"] == 3000.0


def test_the_rule_of_55_gives_code_2_and_line_2_number_01():
    """Born 1970, separated in 2026 (the year of 56): the rule of 55 (§72(t)(2)(A)(v)), code 2;
    Form 5329 line 2 the whole 30,000 with exception 01, no tax."""
    case = _example("nua-lump-sum")
    case["person"]["birth_date"] = "1970-03-01"
    o = _nua(case)
    assert o["form_1099r"][0]["box_7"] == "2"
    f = o["form_5329"]
    assert (f["line_1"], f["line_2"], f["line_2_exception"], f["line_4"]) == (30000.0, 30000.0, "01", 0.0)


def test_the_cli_lists_the_nua_forms_and_says_box_6(tmp_path):
    out = runner.invoke(cli, ["compare", str(_written(tmp_path, _example("nua-lump-sum")))],
                        env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    forms = out.output.split("The Forms 1099-R the plan will send")[1]
    assert "employer stock out in kind" in forms
    assert "box 6 net unrealized appreciation $170,000" in " ".join(forms.split())


# 3. A missed year made up by the request ----------------------------------------------------

def _missed(case: dict) -> list[dict]:
    r = assess_cases([parse_case(case)])[0]
    return next(s for s in r["route_summary"] if s["route"] == "beneficiary")["missed"]


def test_a_missed_year_the_request_makes_up_shows_the_ten_percent_and_the_window():
    """inherited-ten-year-after-rbd: 2025's $7,100 owes 25% = $1,775 (§4974(a)); this year's
    $2,000 already taken and the $20,000 asked for cover it, so made up by the end of the
    correction window — the last day of the second taxable year after 2025, 2027-12-31
    (§4974(e)(2)(C)) — it owes 10% = $710. The 2023 amount, waived (Notice 2023-54), none."""
    by_year = {m["year"]: m for m in _missed(_example("inherited-ten-year-after-rbd"))}
    assert by_year[2025]["excise"] == 1775.0
    assert by_year[2025]["if_made_up_by_request"] == {"excise_rate": 0.1, "excise": 710.0,
                                                      "by": "2027-12-31"}
    assert by_year[2023]["if_made_up_by_request"] is None


def test_a_request_too_small_to_make_it_up_says_nothing_more():
    """$2,000 taken + $1,000 asked for = $3,000 < $7,100: not made up by this year's payments."""
    case = copy.deepcopy(_example("inherited-ten-year-after-rbd"))
    case["request"]["amount"] = 1000
    by_year = {m["year"]: m for m in _missed(case)}
    assert by_year[2025]["if_made_up_by_request"] is None


def test_the_cli_says_the_ten_percent_beside_the_twenty_five(tmp_path):
    path = _written(tmp_path, _example("inherited-ten-year-after-rbd"))
    out = runner.invoke(cli, ["assess", str(path)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    line = next(x for x in out.output.splitlines() if "missed 2025" in x)
    assert "excise 25%: $1,775.00 (Form 5329); 10% ($710.00) if this year's payments" in line


# 5. Form 5329 line 2 of a life series before 59½ --------------------------------------------

ANNUAL_SERIES = {
    "id": "annual-series-2026",
    "person": {"birth_date": "1969-03-10", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2001-06-04",
                   "separation_date": "2022-09-30"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 500000}}},
    "request": {"date": "2026-03-01", "amount": 16778.52, "destination": "cash",
                "series": "life", "series_payments_per_year": 1,
                "annuity_start_date": "2026-03-01"},
}


def test_a_life_series_payment_before_59_half_has_exception_02():
    """Separated at 53 (no rule of 55), first payment at 56: the series exception alone
    (§72(t)(2)(A)(iv)): line 1 = line 2 = 16,778.52, number 02, line 4 0; withheld as wages,
    $67.85 (as above)."""
    o = assess_cases([parse_case(ANNUAL_SERIES)])[0]["outcomes"][0]
    f = o["form_5329"]
    assert (f["line_1"], f["line_2"], f["line_2_exception"], f["line_4"]) == \
        (16778.52, 16778.52, "02", 0.0)
    assert o["withholding"] == pytest.approx(67.85, abs=0.005)
