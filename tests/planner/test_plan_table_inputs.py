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
from decimal import ROUND_HALF_UP, Decimal
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
    return _rows_of(_case(name))


def _rows_of(case: dict) -> dict[int, dict]:
    """The optimum's rows of a case, by year."""
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
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


#: IRC §86 on a joint return and on a single one: the base amount and the adjusted base amount
#: (§86(c)), the cap on the part between them (half the excess, at most half of the difference
#: of the two: §86(a)(2)(B)), and the shares of the excess and of the benefits (85%, 50%).
SS_BASES = {"married_joint": (32000, 44000), "single": (25000, 34000)}


def _taxable_ss_by_hand(row: dict) -> float:
    """§86(a)(2): the taxable Social Security of the row, from its other income (the AGI
    less the taxable benefits) and half its benefits (provisional income, §86(b)(1))."""
    base, adjusted = SS_BASES[row["filing_status"]]
    ss = row["social_security"]
    provisional = row["agi"] - row["taxable_social_security"] + ss / 2
    first_tier = min(ss / 2, (provisional - base) / 2, (adjusted - base) / 2)
    return max(0.0, min(0.85 * ss, 0.85 * (provisional - adjusted) + max(first_tier, 0.0)))


@pytest.mark.parametrize("planned", ["couple-one-earner"], indirect=True)
def test_the_rest_of_the_return(planned):
    """The taxable Social Security, the brokerage basis and the split by account and person,
    by hand on couple-one-earner (Sam's 401(k) is the only plan account, Robin's IRA the only
    IRA; they file jointly to 2046, Robin single from 2047).

    - Taxable Social Security (§86(a)(2)): 2029 and 2040 are capped at 85% of the benefits
      (50,113.11 × 0.85 = 42,596.14; 79,776.50 × 0.85 = 67,810.03), the provisional income
      being far above $44,000; 2047 (single) is below the cap: 0.85 × (provisional − 34,000)
      + 4,500 (the first tier's most, (34,000 − 25,000) ÷ 2).  The tax door gives the same.
    - The basis: the case's 250,000 in 2026; 2027's is 2026's less the basis sold (the sale ×
      250,000 ÷ 600,000) plus the reinvested dividends (1.8% of what the account holds after
      the sale: docs/plan.md; the taxed dividends are on the balance at the start) =
      250,000 − 103,557.19 × 5/12 + 0.018 × (600,000 − 103,557.19) = 215,787.14; 2047's is the
      account's whole value at Sam's death (community property, §1014(b)(6)).
    - The split: 2026's conversion is all Sam's 401(k)'s (no IRA part, no spouse's part); in
      2040 Robin's part is the IRAs' (her IRA is the only one) and Sam's 401(k) pays the rest;
      in 2047 Robin, the survivor, owns every account."""
    _, rows = planned
    for year, capped in ((2029, 42596.14), (2040, 67810.03), (2047, None)):
        row = rows[year]
        if capped is not None:
            assert _cents(row["taxable_social_security"]) == _cents(capped), year
        assert abs(_taxable_ss_by_hand(row) - row["taxable_social_security"]) <= 0.02, year
        got = tax_table([_return_of(row)], LAW).to_pylist()[0]
        assert abs(got["taxable_social_security"] - row["taxable_social_security"]) <= 0.02
    first, second = rows[2026], rows[2027]
    assert first["taxable_basis"] == 250000
    sale = first["taxable_withdrawal"]
    assert _cents(second["taxable_basis"]) == _cents(
        250000 - sale * 250000 / 600000 + 0.018 * (600000 - sale))
    assert rows[2047]["taxable_basis"] == rows[2047]["taxable_balance"]
    assert first["conversion"] > 0
    assert first["ira_conversion"] == first["spouse_conversion"] == 0
    mid = rows[2040]
    assert 0 < mid["ira_withdrawal"] == mid["spouse_withdrawal"] < mid["pretax_withdrawal"]
    last = rows[2047]
    assert last["spouse_withdrawal"] == last["pretax_withdrawal"] > 0
    assert last["spouse_conversion"] == last["conversion"]


#: A New York couple: couple-one-earner living in New York (no city).
NY_COUPLE = "couple-one-earner"


def _state_return(row: dict, state: str, split: bool) -> dict:
    """The year's return for the state's tax, from the row: with ``split``, whose money and
    which account (Robin, the second person, owns the only IRA: her part is the IRAs' part);
    without, the distributions as the head's, of no IRA."""
    unit = {**_return_of(row), "state": state}
    if split:
        theirs = row["spouse_withdrawal"] + row["spouse_conversion"]
        unit.update(ira_distributions=row["ira_withdrawal"] + row["ira_conversion"],
                    spouse_distributions=theirs, spouse_ira_distributions=theirs,
                    spouse_wages=0.0, spouse_social_security=0.0)
    return unit


#: New York, married filing jointly, from 2027 (N.Y. Tax Law §601(a) as amended by L. 2025,
#: ch. 59, Part A; §614; §601(d-1) and the IT-201 tax computation worksheets; the Department's
#: tax tables page): the bracket ends and rates to $161,550, the standard deduction, the
#: pension and annuity exclusion (§612(c)(3-a)), the recapture's AGI floor and phase-in span,
#: the tax table's limit and row width.
NY_JOINT_EDGES, NY_JOINT_RATES = (0, 17_150, 23_600, 27_900, 161_550), (0.038, 0.043, 0.0505,
                                                                       0.053)
NY_DEDUCTION, NY_EXCLUSION, NY_FLOOR, NY_SPAN = 16_050, 20_000, 107_650, 50_000
NY_TABLE_LIMIT, NY_ROW = 65_000, 50


def _ny_joint_schedule(taxable: float) -> float:
    """The joint rate schedule from 2027, bracket by bracket (to $161,550)."""
    assert taxable <= NY_JOINT_EDGES[-1]
    return sum(r * max(0.0, min(taxable, hi) - lo) for lo, hi, r in
               zip(NY_JOINT_EDGES[:-1], NY_JOINT_EDGES[1:], NY_JOINT_RATES, strict=True))


def _ny_joint_by_hand(row: dict, split: bool) -> float:
    """New York's tax of the row's joint return (2027 on), worked from its own columns: New
    York AGI is federal AGI less taxable Social Security (§612(c)(3-c)) and, with ``split``,
    Robin's IRA part up to $20,000 (she is past 59½; Sam's 401(k) money is lump sums, which do
    not qualify); without it the distributions are the head's, of no IRA, and nothing is
    excluded.  Below $65,000 of taxable income with NY AGI $107,650 or less, the tax table (the
    schedule at the row's middle, half up to the dollar); else the schedule, and above the floor
    worksheet 1's recapture: the phase-in (NY AGI − 107,650) ÷ 50,000, at most 1, rounded to
    the fourth decimal place, of 5.3% × taxable − the schedule's tax (taxable income in the
    5.3% bracket, which holds the floor)."""
    ira = row["ira_withdrawal"] + row["ira_conversion"]
    excluded = min(NY_EXCLUSION, ira) if split else 0.0
    ny_agi = row["agi"] - row["taxable_social_security"] - excluded
    taxable = max(0.0, ny_agi - NY_DEDUCTION)
    if ny_agi <= NY_FLOOR:
        if taxable < NY_TABLE_LIMIT:
            middle = taxable // NY_ROW * NY_ROW + NY_ROW / 2
            return float(Decimal(str(_ny_joint_schedule(middle))).quantize(Decimal("1"),
                                                                          ROUND_HALF_UP))
        return _ny_joint_schedule(taxable)
    assert NY_JOINT_EDGES[3] <= taxable, "worksheet 1 needs taxable income in the 5.3% bracket"
    main = _ny_joint_schedule(taxable)
    phase_in = Decimal(str(min(1.0, (ny_agi - NY_FLOOR) / NY_SPAN))).quantize(
        Decimal("0.0001"), ROUND_HALF_UP)
    return main + float(phase_in) * (NY_JOINT_RATES[3] * taxable - main)


def test_a_new_york_couples_state_tax_reprices_from_the_row():
    """couple-one-earner in New York, each joint year from 2027 (Sam 65, Robin 62; Robin owns the
    only IRA): the row's ``state_tax`` is New York's tax worked by hand from the row's own
    columns (:func:`_ny_joint_by_hand`), and the tax door gives it from them (within the cent
    their rounding moves). New York excludes up to $20,000 of each person's pension and annuity
    income from 59½ — an IRA's payments periodic or not, a plan account's periodic payments only
    (N.Y. Tax Law §612(c)(3-a); IT-201 instructions, line 29): Robin's IRA part qualifies; Sam's
    lump sums do not. Which year draws on Robin's IRA is the optimiser's choice, not pinned
    here; the row's six columns must matter in at least one year: read without them the
    exclusion is lost.

    By hand, on the rows as the plan now gives them (the 2027 rates 3.8%, 4.3%, 5.05%, 5.3% to
    161,550, brackets 17,150 / 23,600 / 27,900, standard deduction 16,050; the schedule's tax to
    27,900 is 651.70 + 277.35 + 217.15 = 1,146.20):

    - 2027: a conversion of 46,395.92, all from Sam's 401(k) (no IRA part): NY AGI = the row's
      AGI 142,707.99; taxable 126,657.99; the schedule 1,146.20 + 0.053 × 98,757.99 (5,234.17)
      = 6,380.37; the recapture (0.053 × 126,657.99 = 6,712.87) − 6,380.37 = 332.50 × the
      phase-in (142,707.99 − 107,650) ÷ 50,000 = 0.7012 → 233.15; New York's tax 6,613.52, the
      row's ``state_tax`` (the same without the split: no IRA money that year).
    - 2040, the first year Robin's IRA pays (her RMD, 13,426.27): NY AGI = 189,644.18 −
      67,810.03 (taxable Social Security) − 13,426.27 = 108,407.88; taxable 92,357.88; the
      schedule 1,146.20 + 0.053 × 64,457.88 (3,416.27) = 4,562.47; the recapture 332.50 × 0.0152
      = 5.05; 4,567.52.  Without the split: NY AGI 121,834.15, taxable 105,784.15, 1,146.20 +
      4,127.86 = 5,274.06, plus 332.50 × 0.2837 = 94.33: 5,368.39."""
    case = {**_case(NY_COUPLE), "id": "couple-one-earner-ny", "state": "NY"}
    rows = [r for y, r in sorted(_rows_of(case).items())
            if y >= 2027 and r["filing_status"] == "married_joint"]
    assert len(rows) > 10
    differs = []
    for row in rows:
        assert row["state"] == "NY"
        year = row["year"]
        assert row["state_tax"] == pytest.approx(_ny_joint_by_hand(row, True), abs=0.01), year
        split = tax_table([_state_return(row, "NY", True)], LAW).to_pylist()[0]
        # The row's columns are its amounts rounded to the cent, the row's tax the plan's own
        # on the unrounded amounts: the two taxes may differ by the cent that rounding moved
        # (New York's recapture multiplies an income by a phase-in share).
        assert abs(_cents(split["state_income_tax"]) - _cents(row["state_tax"])) <= Decimal("0.01"), year
        assert abs(_cents(split["income_tax"]) - _cents(row["income_tax"])) <= Decimal("0.01"), year
        lumped = tax_table([_state_return(row, "NY", False)], LAW).to_pylist()[0]
        # The tax door figures AGI from the row's parts, the hand from the row's AGI: a cent
        # apart, which may cross a $5 step of the phase-in's fourth decimal and move the
        # recapture by 0.0001 of its base (some $330 here): 3 cents.
        assert lumped["state_income_tax"] == pytest.approx(_ny_joint_by_hand(row, False),
                                                           abs=0.05), year
        if row["ira_withdrawal"] + row["ira_conversion"] > 0:
            differs.append(year)
            assert lumped["state_income_tax"] > split["state_income_tax"] + 1, year
    assert differs


def test_the_monte_carlo_records_none_of_them(monkeypatch):
    """The table's columns cost the Monte Carlo nothing: its simulations (``simulate``)
    allocate and record none of them, while the fixed returns' tables (``simulate_table``)
    record them all; and recording them changes no other figure of a simulation, bit for bit."""
    import sys

    from dist401k.planner import plan as planner
    from dist401k.planner.simulate import COLUMNS, TABLE_COLUMNS, simulate, simulate_table

    seen = []

    def spy_on(real):
        def spy(*args, **kwargs):
            res = real(*args, **kwargs)
            seen.append((real, sys._getframe(1).f_code.co_name, set(res.cols)))
            return res
        return spy

    monkeypatch.setattr(planner, "simulate", spy_on(simulate))
    monkeypatch.setattr(planner, "simulate_table", spy_on(simulate_table))
    case = {**_case("early-retiree"), "monte_carlo": {"paths": 40, "model": "bootstrap",
                                                      "seed": 1}}
    plan = make_plan(parse_household(case), LAW)
    six = {"taxable_social_security", "taxable_basis", "ira_withdrawal", "ira_conversion",
           "spouse_withdrawal", "spouse_conversion", "spouse_ira_withdrawal",
           "spouse_ira_conversion", "spouse_wages", "spouse_pension", "spouse_social_security"}
    assert set(TABLE_COLUMNS) == six
    carlo = [(run, cols) for run, caller, cols in seen if caller == "_monte_carlo"]
    tables = [cols for run, _, cols in seen if run is simulate_table]
    assert carlo and tables
    assert all(run is simulate and cols == set(COLUMNS) for run, cols in carlo)
    assert all(six <= cols for cols in tables)
    assert six.isdisjoint(COLUMNS)
    # the Monte Carlo's simulation with and without the table's columns: the same figures
    o = next(s for s in plan.strategies if s.key == "optimal")
    hh, tl = plan.household, plan.timeline
    rets = planner.market.bootstrap(hh.monte_carlo.paths, tl.T, seed=1)
    bare, full = (run(hh, tl, LAW, rets, o.policy, o.spending_real)
                  for run in (simulate, simulate_table))
    assert set(bare.cols) == set(COLUMNS) and set(full.cols) == set(COLUMNS) | six
    for k in COLUMNS:
        assert (bare[k] == full[k]).all(), k
