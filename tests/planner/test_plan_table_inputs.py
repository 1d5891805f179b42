"""A year of the plan's table can be re-priced from its row alone.

Each row of the optimum's year table (``plan -f json``'s ``table``, and its CSV) gives the
year's income as the plan taxed it: besides wages, pensions, Social Security and the pre-tax
withdrawal and conversion, the brokerage account's and the cash's income — ``interest``,
``dividends`` (all qualified) and ``capital_gains`` (the long-term gain realised by the year's
sale, after the step-up of the basis at a first death).  Before, those three were not shown, so
a planner (or a CPA checking the plan) could not rebuild the year's return: the reviewer's
hand-built units were off by $61,722 of AGI and $9,686 of tax in couple-one-earner's 2047, the
survivor's first year after the step-up.

The check: the year's federal return built from the row's columns alone and priced by the tax
door (``tax_table``, as `dist401k tax` does) gives the row's ``income_tax`` and ``agi`` to the
cent.  Two shipped plans, three years each: early-retiree (single, 56, cash and a brokerage
account with a 1.8% dividend yield; his plan money is free of the 10% tax, separated at 55) and
couple-one-earner (Texas, no state income tax; Sam dies in 2046, Robin files single from 2047;
their brokerage account is community property, so all of its basis is stepped up at his death,
IRC §1014(b)(6)).  Neither has pre-tax basis, a charitable gift or other income, so the taxable
distributions are the pre-tax withdrawal, the conversion and the pension.

The first year worked by hand (docs/plan.md: interest = ``market.cash`` × the cash at the start,
dividends = ``dividend_yield`` × the brokerage balance at the start, the gain = the sale × its
share of unrealised gain, 1 − basis ÷ balance):
- early-retiree 2026: $50,000 × 2.5% = $1,250.00; $300,000 × 1.8% = $5,400.00; gain share
  1 − 200,000 ÷ 300,000 = 1/3 of the year's sale;
- couple-one-earner 2026 (the case gives no cash rate nor yield: the defaults, 3% and 1.8%):
  $40,000 × 3% = $1,200.00; $600,000 × 1.8% = $10,800.00; gain share 1 − 250,000 ÷ 600,000 =
  7/12 of the year's sale.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, year_table
from dist401k.tax.table import tax_table

LAW = default_law()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
#: The shipped plans checked, and three years of each: the first, one between, and (the couple)
#: the survivor's first year, whose gain is figured on the basis stepped up at the death.
YEARS = {"early-retiree": (2026, 2036, 2045), "couple-one-earner": (2026, 2040, 2047)}
#: Half a cent for each of the six income columns a year's AGI adds (the row rounds each).
AGI_ROUNDING = 0.03


def _case(name: str) -> dict:
    return yaml.safe_load((PLANS / f"{name}.yaml").read_text())


def _rows(name: str) -> dict[int, dict]:
    """The optimum's rows of a shipped plan, by year."""
    plan = make_plan(parse_household(_case(name)), LAW, monte_carlo=False)
    return {r["year"]: r for r in year_table(plan)}


@pytest.fixture(scope="module", params=sorted(YEARS))
def planned(request):
    """(name, the optimum's rows by year)."""
    return request.param, _rows(request.param)


def _return_of(row: dict) -> dict:
    """The year's federal return from the row's columns alone (no pre-tax basis, gift, other
    income or early distribution in the plans checked)."""
    ages = [a for a in row["ages"] if a is not None]
    return {"tax_year": row["year"], "filing_status": row["filing_status"],
            "age_head": ages[0], "age_spouse": ages[1] if len(ages) > 1 else 0,
            "wages": row["wages"], "taxable_interest": row["interest"],
            "ordinary_dividends": row["dividends"], "qualified_dividends": row["dividends"],
            "long_term_gains": row["capital_gains"],
            "taxable_distributions": row["pretax_withdrawal"] + row["conversion"]
            + row["pension"],
            "social_security": row["social_security"]}


def _cents(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def test_the_row_gives_its_investment_income(planned):
    name, rows = planned
    for row in rows.values():
        for key in ("interest", "dividends", "capital_gains"):
            assert key in row, f"{name} {row['year']}: no {key}"


#: The first year's interest, dividends and gain share, worked by hand (module docstring).
FIRST_YEAR = {"early-retiree": ("1250.00", "5400.00", 1 / 3),
              "couple-one-earner": ("1200.00", "10800.00", 7 / 12)}


def test_the_first_year_interest_dividends_and_gain_by_hand(planned):
    name, rows = planned
    first = rows[2026]
    interest, dividends, gain_share = FIRST_YEAR[name]
    assert (_cents(first["interest"]), _cents(first["dividends"])) == (
        Decimal(interest), Decimal(dividends))
    assert first["taxable_withdrawal"] > 0
    assert _cents(first["capital_gains"]) == _cents(first["taxable_withdrawal"] * gain_share)


def test_the_row_reprices_to_the_cent(planned):
    """The tax to the cent; the AGI to the rounding of its parts: each column is rounded to the
    cent while the plan added them unrounded, so the row's parts may sum up to half a cent
    each away from its AGI (early-retiree 2026: 221,957.25 from the parts, 221,957.24 shown).
    A tax can then differ by a cent at most where its own rounding flips (never in the years
    checked); a missing income column would be off by thousands."""
    name, rows = planned
    for year in YEARS[name]:
        row = rows[year]
        got = tax_table([_return_of(row)], LAW).to_pylist()[0]
        assert _cents(got["income_tax"]) == _cents(row["income_tax"]), f"{name} {year}"
        assert abs(got["agi"] - row["agi"]) <= AGI_ROUNDING, f"{name} {year}"


def test_the_state_tax_reprices_to_the_cent():
    """couple-nj-to-fl's New Jersey years (2027, 2028; Florida from 2029): the state's tax from
    the row's columns, with the row's ``state``, is the row's ``state_tax`` to the cent.  Both
    are 60 and 61, under New Jersey's age of 62 for its pension and other retirement income
    exclusions (N.J.S.A. 54A:6-10, 54A:6-15), so whose money and which account each withdrawal
    came from changes nothing there; the federal tax within a cent (2027: 934.41 from the row,
    934.40 shown — the rounding of the row's parts flips its last cent)."""
    rows = _rows("couple-nj-to-fl")
    for year in (2027, 2028):
        row = rows[year]
        assert row["state"] == "NJ"
        got = tax_table([{**_return_of(row), "state": "NJ"}], LAW).to_pylist()[0]
        assert _cents(got["state_income_tax"]) == _cents(row["state_tax"]), year
        assert abs(_cents(got["income_tax"]) - _cents(row["income_tax"])) <= Decimal("0.01")


@pytest.mark.parametrize("planned", ["couple-one-earner"], indirect=True)
def test_the_survivors_first_year_sells_on_the_stepped_up_basis(planned):
    """couple-one-earner 2047: the basis is the account's whole value at Sam's death (community
    property, §1014(b)(6); docs/plan.md, "The first death"), so Robin's sales that year realise
    no gain — where the original basis's share of gain, 7/12 of a sale, would have been taxed."""
    _, rows = planned
    row = rows[2047]
    assert row["taxable_withdrawal"] > 0
    assert row["capital_gains"] == 0


def test_the_csv_has_the_columns():
    """`dist401k plan -f csv` writes the table's rows: the same three columns, early-retiree's
    2026 worked by hand above."""
    r = CliRunner().invoke(app, ["plan", str(PLANS / "early-retiree.yaml"), "-f", "csv",
                                 "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    first = next(csv.DictReader(io.StringIO(r.stdout)))
    assert first["year"] == "2026"
    assert (_cents(first["interest"]), _cents(first["dividends"])) == (
        Decimal("1250.00"), Decimal("5400.00"))
    assert _cents(first["capital_gains"]) == _cents(float(first["taxable_withdrawal"]) / 3)
