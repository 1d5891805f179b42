"""The year table, by person and by account, and what each row's money adds up to.

Before, a couple's row showed the household's wages, pensions and Social Security only, the
second person's part of the pre-tax withdrawal without their IRAs' part of it, and no figure of
the year's money after tax: a reader could not tell whose income it was, which of the second
person's accounts paid, nor check that the gross withdrawals and income less the taxes are the
spending and the deposit.

The couple worked by hand (no inflation, so each year's dollars are the start year's; Social
Security's cost-of-living increases follow the CPI, 42 U.S.C. §415(i): none):

- Alex, born 1960-01-15: PIA $2,000, claims at 67 (his full retirement age, January 2027):
  $24,000 a year from 2027; a pension of $2,000 a month since 65, half paid on to the
  survivor; no wages; dies at the end of 2040 (life expectancy 80).
- Blair, born 1962-01-15: PIA $1,800, claims at 64 (January 2026), 36 months before her full
  retirement age of 67: reduced 5/9 of 1% a month for 36 months (42 U.S.C. §402(q)(1), (9);
  20 CFR 404.410), 20%: 12 × $1,800 × 0.80 = $17,280 a year.  Half of Alex's PIA ($1,000) is
  below her own: no spouse's benefit (§402(k)(3)(A)).  Wages of $20,000 until 66, under the
  2026 earnings test's $24,480 (nothing withheld); a pension of $500 a month since 62.
- 2026: Blair's wages $20,000 (all the household's), pension $6,000 (of $30,000), Social
  Security $17,280 (all of it: Alex has not claimed).  2030: Alex's $24,000 besides hers.
- 2041, Alex dead: the widow's benefit is Alex's own $2,000 a month (claimed at full retirement
  age; Blair, 79, is past hers: 100%, §402(e)(2)(A)) = $24,000, more than her own $17,280; her
  pension $6,000 and half of Alex's $24,000 = $18,000, all the household's.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"

COUPLE = {
    "id": "two-records", "start_year": 2026,
    "people": [
        {"name": "Alex", "birth_date": "1960-01-15", "life_expectancy": 80,
         "social_security": {"monthly_at_full_age": 2000, "claim_age": 67},
         "pension": {"monthly": 2000, "start_age": 65, "survivor_fraction": 0.5},
         "accounts": {"pretax": 300000}},
        {"name": "Blair", "birth_date": "1962-01-15", "life_expectancy": 95,
         "retirement_age": 66, "wages": 20000,
         "social_security": {"monthly_at_full_age": 1800, "claim_age": 64},
         "pension": {"monthly": 500, "start_age": 62},
         "accounts": {"pretax": 200000, "ira": 150000}}],
    "taxable": {"balance": 400000, "basis": 400000},
    "cash": 20000,
    "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.02, "inflation": 0.0},
    "spending": {"annual": 70000, "survivor_fraction": 0.7},
    "strategy": {"objective": "max_spending", "heirs_rate": 0.3},
    "monte_carlo": {"paths": 20, "model": "bootstrap", "seed": 1},
}


@pytest.fixture(scope="module")
def couple():
    plan = make_plan(parse_household(COUPLE), LAW, monte_carlo=False)
    return plan, plan_json(plan)


def _rows(j: dict) -> dict[int, dict]:
    return {r["year"]: r for r in j["table"]}


def test_the_second_persons_own_income_by_hand(couple):
    rows = _rows(couple[1])
    first = rows[2026]
    assert (first["wages"], first["spouse_wages"]) == (20000, 20000)
    assert (first["pension"], first["spouse_pension"]) == (30000, 6000)
    assert first["social_security"] == first["spouse_social_security"] == 17280
    later = rows[2030]
    assert later["spouse_wages"] == 0
    assert (later["social_security"], later["spouse_social_security"]) == (41280, 17280)
    widow = rows[2041]
    assert widow["ages"] == [None, 79]
    assert widow["social_security"] == widow["spouse_social_security"] == 24000
    assert widow["pension"] == widow["spouse_pension"] == 18000


def test_whose_pre_tax_money_and_which_account(couple):
    """Alex holds a plan account only, Blair a plan account and an IRA: while both live the
    IRAs' part is all Blair's, her IRAs' part is at most her part, and the rest of hers is her
    plan account's; some year draws on both of hers."""
    rows = _rows(couple[1])
    both = [r for y, r in rows.items() if y <= 2040]
    for r in both:
        for kind in ("withdrawal", "conversion"):
            assert r[f"spouse_ira_{kind}"] == r[f"ira_{kind}"], r["year"]
            assert 0 <= r[f"spouse_ira_{kind}"] <= r[f"spouse_{kind}"], r["year"]
    assert any(0 < r["spouse_ira_withdrawal"] + r["spouse_ira_conversion"]
               < r["spouse_withdrawal"] + r["spouse_conversion"] for r in both)


def test_one_person_has_no_spouse_columns():
    j = plan_json(make_plan(parse_household(yaml.safe_load(
        (PLANS / "early-retiree.yaml").read_text())), LAW, monte_carlo=False))
    assert not any(k.startswith("spouse_") for k in j["table"][0])
    assert "net_cash" in j["table"][0]


def _cents(x: float) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


def _adds_up(r: dict) -> tuple[Decimal, Decimal, Decimal]:
    """The row's gross money in less what it paid; net_cash; and what it spent, saved and gave
    from after-tax money."""
    c = lambda k: _cents(r.get(k, 0.0))  # noqa: E731
    got = (c("wages") + c("pension") + c("social_security") + c("other_income")
           + c("pretax_withdrawal") + c("roth_withdrawal") + c("taxable_withdrawal")
           + c("cash_withdrawal") - c("income_tax") - c("state_tax") - c("irmaa")
           - c("marketplace_premium") + c("premium_tax_credit"))
    used = c("spending") + c("deposit") + c("charity") - c("qcd")
    return got, c("net_cash"), used


#: The most the two sides of a row may be apart (planner/plan.py ROUNDING_CARRIED): each of
#: the row's figures is rounded to the cent on its own, by at most half a cent — eight of money
#: in, four paid, the credit and four of what it went to, 17 half-cents: at most 8 cents.
ROUNDING = Decimal("0.08")


@functools.cache
def _shipped(name: str) -> dict:
    case = yaml.safe_load((PLANS / f"{name}.yaml").read_text())
    return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))


SHIPPED = sorted(p.stem for p in PLANS.glob("*.yaml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_row_of_the_shipped_plans_adds_up_to_the_cent(name):
    """Net cash = spending + saved + the gift paid from after-tax money, to the cent, each
    row's shown figures; and withdrawals (gross) + income − taxes = net cash within the
    rounding of the figures added (before, a third of the rows were a cent or two apart on
    both sides: each figure rounded on its own)."""
    for r in _shipped(name)["table"]:
        got, net, used = _adds_up(r)
        assert net == used, (r["year"], got, net, used)
        assert abs(got - net) <= ROUNDING, (r["year"], got, net, used)


@pytest.mark.parametrize("name", SHIPPED)
def test_no_shipped_plans_row_deposits_less_than_nothing(name):
    """A deposit is money saved: never below 0 (before, the rounding cent was pushed into the
    deposit, which read −0.01 in years that save nothing); nor does a row spend less than
    nothing."""
    for r in _shipped(name)["table"]:
        assert r["deposit"] >= 0 and r["spending"] >= 0, (r["year"], r["deposit"], r["spending"])


COLUMNS = ("net_cash", "spouse_wages", "spouse_pension", "spouse_social_security",
           "spouse_ira_withdrawal", "spouse_ira_conversion")


def test_the_cli_json_and_csv_carry_the_new_columns(tmp_path):
    path = tmp_path / "couple.yaml"
    path.write_text(yaml.safe_dump(COUPLE))
    runner = CliRunner()
    out = runner.invoke(app, ["plan", str(path), "--format", "csv", "--no-monte-carlo"])
    assert out.exit_code == 0, out.output
    rows = {int(r["year"]): r for r in csv.DictReader(io.StringIO(out.stdout))}
    assert float(rows[2026]["spouse_social_security"]) == 17280
    assert float(rows[2041]["spouse_pension"]) == 18000
    for r in rows.values():
        assert all(c in r for c in COLUMNS)
    out = runner.invoke(app, ["plan", str(path), "--format", "json", "--no-monte-carlo"])
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)["table"][0]
    assert (first["spouse_wages"], first["spouse_pension"]) == (20000, 6000)


def test_the_report_shows_them(couple):
    plan, _ = couple
    page = render_plan_html(plan)
    years = page[page.index("<h2>Year by year"):]
    head = years[:years.index("</tr>")]
    for label in ("pre-tax out (gross)", "net cash after tax", "saved"):
        assert f"<th>{label}</th>" in head
    whose = page[page.index("<h2>Whose money and which account"):]
    for label in ("Blair&#x27;s IRAs", "Blair&#x27;s wages", "Blair&#x27;s pension",
                  "Blair&#x27;s Social Security"):
        assert label in whose[:whose.index("</tr>")]
    row = whose[whose.index("<td>2041"):]  # (a projected year: marked)
    cells = row[:row.index("</tr>")]
    assert "<td>24,000</td>" in cells and "<td>18,000</td>" in cells


def test_a_need_paid_in_full_is_shown_paid_and_nothing_deposited():
    """Single, 50, an IRA paying the after-tax need of $16,725.65 and its tax, no returns nor
    inflation (tests/planner/test_plan_report_spending.py): W − 10% × (W − 16,100) − 10% × W =
    16,725.65, W = 18,894.5625, shown 18,894.56; the tax shown is its parts rounded and added,
    279.46 + 1,889.46 = 2,168.92.  The shown money in less paid is 18,894.56 − 2,168.92 =
    16,725.64: the need of 16,725.65 was paid (the plan pays the unrounded tax) and nothing was
    saved, so the spending stays 16,725.65, the deposit 0 (before, −0.01), and the net cash is
    what the money went to, 16,725.65, a cent from 16,725.64 (the rounding)."""
    case = {"id": "cent", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1976-01-01", "life_expectancy": 52,
                        "accounts": {"ira": 200_000}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
            "strategy": {"objective": "max_estate", "roth_conversions": False,
                         "heirs_rate": 0.0},
            "spending": {"annual": 16_725.65}}
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    assert (row["pretax_withdrawal"], row["income_tax"]) == (18_894.56, 2_168.92)
    assert (row["spending"], row["deposit"], row["net_cash"]) == (16_725.65, 0.0, 16_725.65)
    got, net, used = _adds_up(row)
    assert (got, net, used) == (Decimal("16725.64"), Decimal("16725.65"), Decimal("16725.65"))
