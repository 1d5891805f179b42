"""What breaking a 72(t) series recaptures (IRC §72(t)(4)(A): "the tax which (but for paragraph
(2)(A)(iv)) would have been imposed"), priced on examples/cases/sepp-early-retiree.yaml and
variants of it:

- only the part of each payment includible in gross income (§72(t)(1): "10 percent of the
  portion of such amount which is includible in gross income"): after-tax basis and Roth
  contributions (§72(e)(8), §402A(d)) and nondeductible IRA basis (§408(d)(2)) come back
  tax-free and are not counted;
- nothing from a governmental 457(b)'s own money, outside §72(t) (§4974(c)); money rolled in
  from another kind of plan or an IRA is under it (§72(t)(9)), pro rata;
- nothing where another exception covers every payment: separation from the plan's employer in
  or after the year of 55 (§72(t)(2)(A)(v)), 50 or 25 years of service for a qualified public
  safety employee of a governmental plan (§72(t)(10)), disability (§72(t)(2)(A)(iii)).

The example's own figures (all pre-tax 401(k) money, separated at 53): 5,649.49 (RMD),
10,512.81 (amortization), 11,120.30 (annuitization) — docs/sepp.md."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.law import default_law
from dist401k.sepp import METHODS, sepp_cases

LAW = default_law()
EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "sepp-early-retiree.yaml"
#: The example's recapture total by method (docs/sepp.md).
EXAMPLE_TOTAL = {"rmd": 5649.49, "amortization": 10512.81, "annuitization": 11120.30}
#: The same series from a traditional IRA of $300,000 with no basis.
IRA_TOTAL_RMD = 3389.69


def example(**changes) -> dict:
    """The example as a dict, with ``changes`` (dotted paths) applied."""
    d = yaml.safe_load(EXAMPLE.read_text())
    for path, value in changes.items():
        *head, last = path.split(".")
        node = d
        for k in head:
            node = node.setdefault(k, {})
        node[last] = value
    return d


def priced(d: dict) -> dict:
    return sepp_cases([parse_case(copy.deepcopy(d))])[0]


def totals(r: dict) -> dict:
    return {m: r["modification"][m]["total"] for m in METHODS}


def codes(r: dict) -> set[str]:
    return {x["code"] for x in r["reasons"]}


def with_after_tax() -> dict:
    """The example plus after-tax money of 100,000, all basis: the account is 600,000, each
    payment 6/5 of the example's and 5/6 of it taxable — the same taxable dollars."""
    d = example()
    d["account"]["sources"]["after_tax"] = {"balance": 100000, "basis": 100000}
    return d


def from_ira(traditional=300000, basis=0) -> dict:
    d = example(**{"sepp.account": "ira"})
    d["iras"] = {"traditional": traditional, "traditional_basis": basis}
    return d


# -- defect 1: 10% of the taxable part only ---------------------------------------------------

def test_plan_series_recaptures_only_the_taxable_part_of_each_payment():
    r = priced(with_after_tax())
    # Before: 6,779.39 / 12,615.37 / 13,344.35 — 10% of the whole payments, basis included.
    assert totals(r) == pytest.approx(EXAMPLE_TOTAL, abs=0.01)
    assert r["taxable_share"] == pytest.approx(5 / 6)
    rmd = r["modification"]["rmd"]
    # The payments made before 59½ are 6/5 of the example's 52,703.49; 5/6 of them taxable.
    assert rmd["recaptured_payments"] == pytest.approx(52703.49 * 1.2, abs=0.02)
    assert rmd["recaptured_taxable"] == pytest.approx(52703.49, abs=0.02)
    assert rmd["recapture_tax"] == pytest.approx(5270.35, abs=0.01)
    assert {"SP_MODIFIED_EARLY", "SP_RECAPTURE_TAXABLE_PART"} <= codes(r)


def test_ira_series_recaptures_only_the_part_beyond_nondeductible_basis():
    assert totals(priced(from_ira()))["rmd"] == pytest.approx(IRA_TOTAL_RMD, abs=0.01)
    r = priced(from_ira(basis=60000))
    assert totals(r)["rmd"] == pytest.approx(2711.75, abs=0.01)
    assert r["taxable_share"] == pytest.approx(0.8)
    assert "SP_RECAPTURE_TAXABLE_PART" in codes(r)


def test_all_pretax_series_still_recaptures_every_payment():
    r = priced(example())
    assert totals(r) == pytest.approx(EXAMPLE_TOTAL, abs=0.01)
    assert r["taxable_share"] == 1.0 and r["recaptured_share"] == 1.0
    assert "SP_MODIFIED_EARLY" in codes(r) and "SP_RECAPTURE_TAXABLE_PART" not in codes(r)


def test_taxable_share_is_an_array_formula_over_a_batch():
    from dist401k import compare
    from dist401k.sepp import sepp_taxable_share

    assert compare.sepp_taxable_share is sepp_taxable_share  # one rule, in sepp.py
    no_series = example()
    no_series.pop("sepp")
    cases = [parse_case(d) for d in (with_after_tax(), from_ira(basis=60000), example(),
                                     no_series, from_ira(traditional=0))]
    got = sepp_taxable_share(cases, LAW)
    assert got == pytest.approx([5 / 6, 0.8, 1.0, 1.0, 1.0])
    assert sepp_taxable_share(cases[0], LAW) == pytest.approx([5 / 6])  # a batch of one


def test_a_batch_prices_each_case_as_alone():
    ds = [with_after_tax(), from_ira(basis=60000), example(**{"plan.type": "governmental_457b"}),
          example(**{"employment.separation_date": "2024-06-30"}), example()]
    together = sepp_cases([parse_case(copy.deepcopy(d)) for d in ds])
    for d, r in zip(ds, together, strict=True):
        assert totals(r) == totals(priced(d))
        assert codes(r) == codes(priced(d))


# -- defect 2a: a governmental 457(b) ----------------------------------------------------------

def test_governmental_457b_series_recaptures_nothing():
    r = priced(example(**{"plan.type": "governmental_457b"}))
    assert totals(r) == {m: 0.0 for m in METHODS}
    assert all(r["modification"][m]["recapture_tax"] == 0.0 for m in METHODS)
    assert r["modification"]["rmd"]["modified_early"]  # still before the series may end
    assert {"SP_457B", "SP_457B_NO_RECAPTURE"} <= codes(r)
    assert not {"SP_MODIFIED_EARLY", "SP_RATE_PROJECTED"} & codes(r)


def test_governmental_457b_recaptures_only_the_rolled_in_share():
    # 125,000 rolled in from a 401(k) of 625,000 in all: each payment is 625/500 of the
    # example's and 1/5 of it is under §72(t) — a quarter of the example's recapture.
    d = example(**{"plan.type": "governmental_457b"})
    d["account"]["sources"]["rollover_pretax"] = {"balance": 125000}
    r = priced(d)
    assert totals(r) == pytest.approx({m: v / 4 for m, v in EXAMPLE_TOTAL.items()}, abs=0.01)
    assert r["recaptured_share"] == pytest.approx(0.2)
    assert {"SP_MODIFIED_EARLY", "SP_457B_RECAPTURE_ROLLED_IN"} <= codes(r)
    assert "SP_457B_NO_RECAPTURE" not in codes(r)


# -- defect 2b: the payments were exempt anyway -----------------------------------------------

@pytest.mark.parametrize("separated", ["2024-06-30", "2024-01-02"])
def test_plan_series_after_separation_in_the_year_of_55_recaptures_nothing(separated):
    # Born 1969-03-10: 55 in 2024; the rule of 55 is the calendar year of separation.
    r = priced(example(**{"employment.separation_date": separated}))
    assert totals(r) == {m: 0.0 for m in METHODS}
    assert "SP_NO_RECAPTURE_55" in codes(r)
    assert not {"SP_MODIFIED_EARLY", "SP_RATE_PROJECTED"} & codes(r)


def test_separation_the_year_before_55_still_recaptures():
    r = priced(example(**{"employment.separation_date": "2023-12-31"}))
    assert totals(r) == pytest.approx(EXAMPLE_TOTAL, abs=0.01)
    assert "SP_NO_RECAPTURE_55" not in codes(r)


def test_compare_and_sepp_agree_on_the_rule_of_55():
    from dist401k.compare import compare_case

    d = example(**{"employment.separation_date": "2024-06-30"})
    options = {o["option"]: o for o in compare_case(parse_case(d))["options"]}
    assert "rule of 55" in options["separation:cash"]["why"]["short"]
    assert "recaptures nothing" in options["sepp:rmd"]["notes"][0]
    assert "recaptures the 10% tax" in {o["option"]: o for o in compare_case(
        parse_case(example()))["options"]}["sepp:rmd"]["notes"][0]


def test_an_ira_series_never_has_the_rule_of_55():
    d = from_ira()
    d["employment"]["separation_date"] = "2024-06-30"
    r = priced(d)
    assert totals(r)["rmd"] == pytest.approx(IRA_TOTAL_RMD, abs=0.01)
    assert "SP_NO_RECAPTURE_55" not in codes(r)


def test_public_safety_employee_separated_at_50_recaptures_nothing():
    d = example(**{"employment.separation_date": "2019-06-30", "plan.type": "money_purchase",
                   "plan.governmental": True, "person.qualified_public_safety": True})
    r = priced(d)
    assert totals(r) == {m: 0.0 for m in METHODS}
    assert "SP_NO_RECAPTURE_PUBLIC_SAFETY" in codes(r)
    # Not a public safety employee: the rule of 55 does not reach a separation at 50.
    d["person"]["qualified_public_safety"] = False
    assert totals(priced(d)) == pytest.approx(EXAMPLE_TOTAL, abs=0.01)


@pytest.mark.parametrize("make", [example, from_ira])
def test_disabled_person_recaptures_nothing(make):
    d = make()
    d["person"]["disabled"] = True
    r = priced(d)
    assert totals(r) == {m: 0.0 for m in METHODS}
    assert "SP_NO_RECAPTURE_DISABLED" in codes(r) and "SP_MODIFIED_EARLY" not in codes(r)


def test_cli_shows_no_recapture_and_why(tmp_path):
    f = tmp_path / "rule55.yaml"
    f.write_text(yaml.safe_dump(example(**{"employment.separation_date": "2024-06-30"})))
    r = CliRunner().invoke(app, ["sepp", "--format", "json", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [out["modification"][m]["total"] for m in METHODS] == [0.0, 0.0, 0.0]
    assert np.isclose(out["recaptured_share"], 0.0)
    why = next(x for x in out["reasons"] if x["code"] == "SP_NO_RECAPTURE_55")
    assert "rule of 55" in why["text"] and "§72(t)(2)(A)(v)" in why["citation"]
