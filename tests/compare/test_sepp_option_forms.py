"""Each 72(t) series option of `dist401k compare` brings the forms of its payment, in every door,
as every other option does (docs/compare.md, "The forms each option brings").

examples/cases/sepp-early-retiree.yaml: single, born 1969-03-10, separated in 2022 at 53, a
series from the plan starting 2026-03-01 (after the separation: IRC §72(t)(3)(B)); all of the
account is pre-tax (elective deferrals and match, no basis).  Each method's first year's payment
is priced as one payment a year.  Worked by hand:

- **Form 1099-R** (Instructions for Forms 1099-R and 5498): box 1 the payment; box 2a its
  taxable part, all of it (no basis, IRC §402(a), §72); box 5 nothing; box 7 code 2, "early
  distribution, exception applies" — a series of substantially equal periodic payments before
  59½ is an exception the payer knows (Guide to Distribution Codes, code 2; §72(t)(2)(A)(iv)).
  Box 4: a periodic payment, withheld from as wages (§3405(a)(1)), no Form W-4P given: single
  with no adjustments (§3405(a)(4)); Pub. 15-T (2026) Worksheet 1A, line 1g $8,600, the single
  Annual Percentage Method table (law ``withholding.periodic_*``):
    - RMD method, $16,778.52: 16,778.52 − 8,600 = 8,178.52; 10% of the 678.52 over $7,500 =
      **$67.85**.
    - fixed amortization, $32,622.01: 32,622.01 − 8,600 = 24,022.01; $1,240 + 12% of the
      4,122.01 over $19,900 = 1,240 + 494.64 = **$1,734.64**.
    - fixed annuitization, $34,507.08: 34,507.08 − 8,600 = 25,907.08; $1,240 + 12% of
      6,007.08 = 1,240 + 720.85 = **$1,960.85**.
- **Form 5329, Part I** (Instructions for Form 5329): line 1 the payment's taxable part; line 2
  the same, exception number 02 (series of substantially equal periodic payments); line 3 and
  line 4 zero; not required: box 7 code 2 tells it all ("Who Must File").

And the forms are those ``dist401k assess`` gives for the same payment asked for as one payment
of a series for the employee's life (request.series: life), a year's payment at once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.assess import assess_cases
from dist401k.case import Case, load_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "cases" / "sepp-early-retiree.yaml"
runner = CliRunner()

#: option: (box 1 = the payment, box 4), by hand (module docstring).
WANT = {"sepp:rmd": (16778.52, 67.85), "sepp:amortization": (32622.01, 1734.64),
        "sepp:annuitization": (34507.08, 1960.85)}


@pytest.fixture(scope="module")
def cmp() -> dict:
    return compare_case(load_case(CASE))


def _series(options: list[dict]) -> dict[str, dict]:
    return {o["option"]: o for o in options if o["option"].startswith("sepp:")}


def _check(options: list[dict]) -> None:
    """Each series option's one Form 1099-R and its Form 5329 Part I, by hand."""
    got = _series(options)
    assert set(got) == set(WANT)
    for name, (pay, box_4) in WANT.items():
        o = got[name]
        assert o["gross"] == pytest.approx(pay, abs=0.005), name
        [form] = o["form_1099r"]
        assert form["box_1"] == pytest.approx(pay, abs=0.005), name
        assert form["box_2a"] == pytest.approx(pay, abs=0.005), name
        assert form["box_4"] == pytest.approx(box_4, abs=0.005), name
        assert form["box_5"] == 0.0, name
        assert form["box_7"] == "2" and o["form_1099r_codes"] == ["2"], name
        assert form["box_7_ira_sep_simple"] is False, name
        assert o["withholding"] == pytest.approx(box_4, abs=0.005), name
        f5329 = o["form_5329"]
        assert f5329["line_1"] == pytest.approx(pay, abs=0.005), name
        assert f5329["line_2"] == pytest.approx(pay, abs=0.005), name
        assert f5329["line_2_exception"] == "02", name
        assert (f5329["line_3"], f5329["line_4"], f5329["required"]) == (0.0, 0.0, False), name


def test_each_series_option_has_its_forms(cmp):
    _check(cmp["options"])


def _as_series_request(case: Case, pay: float) -> Case:
    """The same payment asked of ``assess`` as one payment a year of a series for life."""
    data = json.loads(case.model_dump_json())
    data.pop("sepp")
    data["request"].update(amount=pay, series="life", series_payments_per_year=1,
                           annuity_start_date=str(case.sepp.first_payment_date), destination="cash")
    return Case.model_validate(data)


def test_the_forms_are_those_assess_gives_for_the_payment_as_a_series(cmp):
    case = load_case(CASE)
    for name, o in _series(cmp["options"]).items():
        [assessed] = assess_cases([_as_series_request(case, o["gross"])])
        [paid] = [x for x in assessed["outcomes"] if x["route"] == "separation"]
        assert o["form_1099r"] == paid["form_1099r"], name
        assert o["form_1099r_codes"] == paid["form_1099r_codes"], name
        assert o["form_5329"] == paid["form_5329"], name
        assert (o["taxable"], o["nontaxable"]) == (paid["taxable"], paid["nontaxable"]), name


def test_the_json_door_gives_each_series_options_forms():
    r = runner.invoke(app, ["compare", str(CASE), "--format", "json"])
    assert r.exit_code == 0, r.output
    _check(json.loads(r.stdout)["options"])


def test_the_api_gives_each_series_options_forms(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    case = json.loads(json.dumps(yaml.safe_load(CASE.read_text()), default=str))
    r = client.post("/compare", json=case)
    assert r.status_code == 200, r.text
    _check(r.json()["options"])


def _words(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_terminal_lists_each_series_options_forms():
    r = runner.invoke(app, ["compare", str(CASE)], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    lines = _words(r.stdout)
    start = lines.index(next(x for x in lines if x.startswith("The Forms 1099-R the plan will send")))
    forms = lines[start:lines.index(next(x for x in lines if x.startswith("Form 5329, Part I")))]
    # option, box 1, 2a, 4, 5, 7 (whole dollars)
    for row in ("72(t) series, required minimum distribution method: first year 16,779 16,779 68 0 2",
                "72(t) series, fixed amortization method: first year 32,622 32,622 1,735 0 2",
                "72(t) series, fixed annuitization method: first year 34,507 34,507 1,961 0 2"):
        assert row in forms, row
    part_i = lines[lines.index(next(x for x in lines if x.startswith("Form 5329, Part I"))):]
    # line 1, 2, exception, 3, 4, filing
    assert ("72(t) series, fixed amortization method: first year 32,622 32,622 02 0 0 "
            "no form: box 7's code says it all") in part_i


def test_a_series_with_basis_has_its_taxable_part_in_box_2a():
    """With $100,000 of after-tax money, all of it basis, in a $600,000 account, each payment
    is taxable pro rata (IRC §72(e)(8)): 500,000 / 600,000 = 5/6 of it in box 2a and on Form
    5329 line 1 (and line 2, exception 02), 1/6 in box 5 (employee contributions)."""
    data = yaml.safe_load(CASE.read_text())
    data["account"]["sources"]["after_tax"] = {"balance": 100000, "basis": 100000}
    got = _series(compare_case(Case.model_validate(data))["options"])
    assert set(got) == set(WANT)
    for name, o in got.items():
        [form] = o["form_1099r"]
        pay = o["gross"]
        assert form["box_1"] == pytest.approx(pay, abs=0.005), name
        assert form["box_2a"] == pytest.approx(pay * 5 / 6, abs=0.01), name
        assert form["box_5"] == pytest.approx(pay / 6, abs=0.01), name
        assert form["box_7"] == "2", name
        assert o["form_5329"]["line_1"] == pytest.approx(pay * 5 / 6, abs=0.01), name
        assert o["form_5329"]["line_2"] == o["form_5329"]["line_1"], name
        assert o["form_5329"]["line_2_exception"] == "02", name
