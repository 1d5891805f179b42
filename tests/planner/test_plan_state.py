"""The state income tax in the drawdown plan: the household's state and its move, the exact
yearly tax of the simulator checked by hand against the state's rate schedule, the optimiser
delaying Roth conversions until a move to a state without an income tax, and a state without
an income tax planning as no state at all."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import load_household, parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import make_plan, plan_json, state_unconfirmed_years
from dist401k.planner.state_tax import lower_hull_lines
from dist401k.planner.timeline import build_timeline

LAW = default_law()
MOVE_YEAR = 2030


def _case(**over) -> dict:
    """A couple, 62 and 60 in 2027, retired, with $1.2M pre-tax: conversions are worth it."""
    case = {
        "id": "state-couple", "start_year": 2027,
        "people": [
            {"birth_date": "1965-04-12", "life_expectancy": 92,
             "social_security": {"monthly_at_full_age": 3200, "claim_age": 67},
             "accounts": {"pretax": 800000, "roth": 120000, "roth_first_year": 2010}},
            {"birth_date": "1967-08-30", "life_expectancy": 90,
             "social_security": {"monthly_at_full_age": 2100, "claim_age": 67},
             "accounts": {"pretax": 400000, "roth": 80000, "roth_first_year": 2012}}],
        "taxable": {"balance": 300000, "basis": 200000},
        "spending": {"annual": 110000, "survivor_fraction": 0.65},
        "monte_carlo": {"paths": 50},
    }
    case.update(over)
    return case


def _ny_tax_2027_joint(ny_agi: float) -> float:
    """New York State tax of a married couple filing jointly, by hand from Tax Law §601(a) as
    amended for 2027 by L. 2025, ch. 59, Part A (rates 3.8%, 4.3%, 5.05%, 5.3% on the 2026
    bracket ends $17,150, $23,600, $27,900, $161,550, carried) less the $16,050 standard
    deduction (§614), for NY AGI under $107,650 (no §601(d-1) recapture).  Below $65,000 of
    taxable income it is the State tax table's (the Department's tax tables page): the schedule
    at the middle of the income's $50 row (from $50), rounded half up to whole dollars."""
    assert ny_agi < 107_650
    taxable = max(0.0, ny_agi - 16_050)
    edges, rates = [0, 17_150, 23_600, 27_900, 161_550], [0.038, 0.043, 0.0505, 0.053]

    def schedule(x: float) -> float:
        return sum(r * max(0.0, min(x, hi) - lo)
                   for lo, hi, r in zip(edges[:-1], edges[1:], rates, strict=True))

    if taxable < 65_000:
        assert taxable >= 50
        return float(math.floor(schedule(taxable // 50 * 50 + 25) + 0.5))
    return schedule(taxable)


@pytest.fixture(scope="module")
def moving():
    return make_plan(parse_household(_case(state="NY", move={"year": MOVE_YEAR, "state": "FL"})),
                     LAW, monte_carlo=False)


def test_state_tax_of_a_year_is_the_schedule_by_hand(moving):
    """The plan's own 2027 row: no Social Security yet, so NY AGI is federal AGI; its state tax
    is the §601 schedule on it less the standard deduction, read in the State tax table below
    $65,000 of taxable income (:func:`_ny_tax_2027_joint`)."""
    row = plan_json(moving)["table"][0]
    assert row["year"] == 2027 and row["state"] == "NY" and row["social_security"] == 0
    assert row["state_tax"] == pytest.approx(_ny_tax_2027_joint(row["agi"]), abs=0.01)
    assert row["state_tax"] > 0


def test_no_state_tax_from_the_move(moving):
    rows = plan_json(moving)["table"]
    after = [r for r in rows if r["year"] >= MOVE_YEAR]
    assert {r["state"] for r in after} == {"FL"}
    assert all(r["state_tax"] == 0 for r in after)
    j = plan_json(moving)
    assert j["state"]["move"] == {"year": MOVE_YEAR, "state": "FL"}
    assert j["state"]["strategies"]["optimal"]["state_tax"] == pytest.approx(
        sum(r["state_tax"] for r in rows), abs=0.05)


def test_conversions_wait_for_the_move(moving):
    """New York taxes a conversion at 4.4%–5.4% here, Florida not at all: the optimum converts
    less in the New York years than in the first Florida years, and less before the move
    than the same couple living in Florida throughout."""
    conv = moving.solution.conversions.sum(0)
    years = moving.timeline.years
    before = conv[years < MOVE_YEAR]
    first_after = conv[(years >= MOVE_YEAR) & (years < MOVE_YEAR + 3)]
    assert before.mean() + 10_000 < first_after.mean()
    hh_fl = parse_household(_case(state="FL"))
    fl = optimise(hh_fl, build_timeline(hh_fl, LAW), LAW)
    assert conv[years < MOVE_YEAR].sum() + 10_000 < fl.conversions.sum(0)[years < MOVE_YEAR].sum()


def test_a_state_without_income_tax_plans_as_no_state():
    plain = parse_household(_case())
    fl = parse_household(_case(state="fl"))
    assert fl.state == "FL"
    a = optimise(plain, build_timeline(plain, LAW), LAW)
    b = optimise(fl, build_timeline(fl, LAW), LAW)
    assert a.spending_real == pytest.approx(b.spending_real, abs=1e-6)
    np.testing.assert_allclose(a.conversions, b.conversions, atol=1e-6)
    assert "state" not in plan_json(make_plan(plain, LAW, monte_carlo=False))["table"][0]


#: Stands for a state whose income tax is not modelled (the ``uncovered_state`` fixture).
UNCOVERED = "<not covered>"


def _uncovered(value, code: str):
    if isinstance(value, dict):
        return {k: _uncovered(v, code) for k, v in value.items()}
    return code if value == UNCOVERED else value


@pytest.mark.parametrize("over, field, words", [
    ({"state": "XX"}, "state", "not a US state code"),
    ({"state": UNCOVERED}, "state", "not modelled yet"),
    ({"state": "NY", "move": {"year": 2030, "state": UNCOVERED}}, "move.state", "not modelled yet"),
    ({"move": {"year": 2030, "state": "FL"}}, "move", "needs the state"),
    ({"state": "NY", "move": {"year": 2027, "state": "FL"}}, "move.year", "after the start"),
    ({"state": "NY", "move": {"year": 2090, "state": "FL"}}, "move.year", "after the plan's last"),
    ({"state": "NY", "move": {"year": 2030, "state": "NY"}}, "move.state", "already lived in"),
])
def test_bad_state_is_named(over, field, words, uncovered_state):
    over = {k: _uncovered(v, uncovered_state) for k, v in over.items()}
    with pytest.raises(InputError) as e:
        parse_household(_case(**over))
    assert any(p.field == field and words in p.problem for p in e.value.problems), \
        [(p.field, p.problem) for p in e.value.problems]


def test_a_year_the_state_cannot_figure_stops_the_plan():
    """New York exempts some governmental pensions wholly (Tax Law §612(c)(3)) and whose
    government pays is not in the case: the plan says so, naming the state, rather than
    plan without it."""
    case = _case(state="NY")
    case["people"][0]["accounts"]["governmental_457b"] = True
    hh = parse_household(case)
    with pytest.raises(InputError) as e:
        optimise(hh, build_timeline(hh, LAW), LAW)
    assert e.value.problems[0].field == "state"
    assert "NY in 2027" in e.value.problems[0].problem


def test_lower_hull_is_the_convex_schedule_and_under_a_cliff():
    """A two-rate schedule is its own hull; a cliff's jump is bridged from below."""
    x = np.array([0.0, 10.0, 20.0, 30.0])
    b, a = lower_hull_lines(x, np.array([0.0, 1.0, 2.0, 5.0]))
    np.testing.assert_allclose(b, [0.1, 0.3])
    np.testing.assert_allclose(np.max(b[:, None] * x + a[:, None], axis=0), [0, 1, 2, 5])
    b, a = lower_hull_lines(x, np.array([0.0, 1.0, 9.0, 10.0]))
    hull = np.max(b[:, None] * x + a[:, None], axis=0)
    assert np.all(hull <= np.array([0.0, 1.0, 9.0, 10.0]) + 1e-12)
    assert hull[2] < 9.0


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plans" / "couple-nj-to-fl.yaml"


def test_the_moving_example_delays_its_conversions():
    """examples/plans/couple-nj-to-fl.yaml: the optimum converts nothing while the couple
    lives in the taxing state and converts in the year of the move and the next; the same
    couple in Florida throughout converts from the first year."""
    case = load_household(EXAMPLE)
    assert case.move is not None and case.move.state == "FL"
    move = case.move.year
    plan = plan_json(make_plan(case, LAW, monte_carlo=False))
    rows = {r["year"]: r for r in plan["table"]}
    before = [rows[y] for y in range(case.start_year, move)]
    assert all(r["conversion"] < 1_000 and r["state"] == case.state for r in before)
    assert all(r["state_tax"] > 0 for r in before)
    assert rows[move]["conversion"] > 0 and rows[move + 1]["conversion"] > 0
    assert rows[move]["conversion"] + rows[move + 1]["conversion"] > 100_000
    assert rows[move]["state_tax"] == 0
    staying = parse_household(case.model_dump(exclude={"move"}) | {"state": "FL"})
    fl = plan_json(make_plan(staying, LAW, monte_carlo=False))["table"]
    assert sum(r["conversion"] for r in fl if r["year"] < move) > 50_000


def test_the_plan_names_the_years_whose_state_figures_are_unconfirmed():
    """New York's 2026 rates are flagged unconfirmed (docs/state.md); its 2027 figures are
    those rates carried (projected from an unconfirmed year, so unconfirmed too); Florida has
    none: a plan from 2026 moving in 2028 lists 2026 and 2027."""
    hh = parse_household(_case(start_year=2026, state="NY", move={"year": 2028, "state": "FL"}))
    assert state_unconfirmed_years(hh, build_timeline(hh, LAW), LAW) == [2026, 2027]
    plain = parse_household(_case(start_year=2026))
    assert state_unconfirmed_years(plain, build_timeline(plain, LAW), LAW) == []


@pytest.mark.parametrize("state", ["ND", "MT", "NM", "AR", "MA"])
def test_a_state_that_taxes_gains_and_dividends_apart_plans_a_brokerage_account(state):
    """North Dakota, Montana, New Mexico, Arkansas and Massachusetts tax the taxable account's
    dividends and gains each in its own way; the plan knows their kind (the dividends qualified, the gains
    long-term, the cash account's interest a bank's), so a couple with a brokerage account
    plans there rather than being refused."""
    plan = plan_json(make_plan(parse_household(_case(state=state)), LAW, monte_carlo=False))
    assert all(r["state"] == state for r in plan["table"])
    assert sum(r["state_tax"] for r in plan["table"]) > 0


def test_north_dakota_excludes_40_percent_of_the_plans_gains_and_dividends():
    """The 2027 row of a North Dakota couple with no cash and no Social Security yet: its
    income besides the pre-tax money is the taxable account's qualified dividends and
    long-term gains, so its ND-1 taxable income is federal taxable income less 40% of it
    (N.D.C.C. §57-38-30.3(2)), taxed by the joint schedule."""
    from dist401k.law.filing_status import MARRIED_JOINT

    row = plan_json(make_plan(parse_household(_case(state="ND")), LAW,
                              monte_carlo=False))["table"][0]
    assert row["year"] == 2027 and row["social_security"] == 0
    other = row["agi"] - row["pretax_withdrawal"] - row["conversion"]
    assert other > 1_000
    ends = LAW.get("state.nd.brackets", 2027, MARRIED_JOINT)
    rates = LAW.get("state.nd.rates", 2027)
    nd_taxable = max(0.0, row["taxable_income"] - 0.4 * other)
    tax = sum(r * max(0.0, min(nd_taxable, hi) - lo) for lo, hi, r in
              zip([0.0, *ends], [*ends, np.inf], rates, strict=True))
    assert row["state_tax"] == pytest.approx(tax, abs=0.02)


def test_a_refused_year_names_why_the_state_cannot_figure_it():
    """The one-line error names the rule the state cannot figure (here Michigan's subtraction
    of a 401(k) distribution, as far as it comes from the employer's contributions: a fact the
    plan does not have), not another rule that merely applied to the year (its Social Security
    exemption)."""
    case = load_household(EXAMPLE).model_dump(exclude={"move"}) | {"state": "MI"}
    with pytest.raises(InputError) as e:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    problem = e.value.problems[0]
    assert problem.field == "state"
    assert "tax not figured" in problem.problem and "employer" in problem.problem


@pytest.mark.parametrize("state", ["MD", "ME", "GA", "MO", "WV", "DC"])
def test_a_state_of_each_spouses_own_exclusion_plans_a_couple(state):
    """Maryland, Maine, Georgia, Missouri and West Virginia figure each spouse's exclusion (or,
    in Missouri, each one's share of the tax) on that spouse's own income, and the District's
    couples may file separately on the same return: the plan gives each return's split (the
    second person's own accounts, benefits and pension; half the joint accounts' income), so
    the couple plans there rather than being refused."""
    plan = plan_json(make_plan(parse_household(_case(state=state)), LAW, monte_carlo=False))
    assert all(r["state"] == state for r in plan["table"])
    assert sum(r["state_tax"] for r in plan["table"]) > 0


def _spouse_holds_it_all(state: str) -> dict:
    """A couple whose pre-tax money and Social Security are all the second person's (71 in
    2027, claiming), the first 60 with none: no taxable account or cash."""
    return {"id": "spouse-holds-it", "start_year": 2027, "state": state,
            "people": [{"birth_date": "1967-03-01", "life_expectancy": 90,
                        "accounts": {"roth": 50000, "roth_first_year": 2010}},
                       {"birth_date": "1956-03-01", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": 2000, "claim_age": 70},
                        "accounts": {"pretax": 900000}}],
            "spending": {"annual": 70000, "survivor_fraction": 0.65}}


def _first_row_tax(state: str, row: dict, spouse_share: float) -> float:
    """The state engine's tax of a plan's first row of :func:`_spouse_holds_it_all` (2027; the
    head 60, the spouse 71), with ``spouse_share`` of its distributions and benefits the
    spouse's."""
    from dist401k.tax.state import StateUnits, state_tax

    one = np.ones(1)
    dist = row["pretax_withdrawal"] + row["conversion"]
    units = StateUnits.from_columns({
        "state": [state], "tax_year": [2027], "filing_status": ["married_joint"],
        "age_head": [60], "age_spouse": [71], "federal_agi": [row["agi"]],
        "taxable_distributions": [dist], "social_security": [row["social_security"]],
        "taxable_social_security": [row["agi"] - dist],
        "spouse_distributions": spouse_share * dist * one,
        "spouse_social_security": spouse_share * row["social_security"] * one,
        "spouse_wages": [0.0], "spouse_other_income": [0.0], "spouse_early_distributions": [0.0]})
    return float(state_tax(units, LAW)["state_income_tax"][0])


@pytest.mark.parametrize("state", ["MD", "WI"])
def test_the_second_persons_money_is_the_spouses_on_the_state_return(state):
    """In Maryland the pension exclusion is a person's from 65 (Tax-General §10-209), in
    Wisconsin the retirement income subtraction a person's from 67 (§71.05(6)(b)54m): here the
    money is the 71-year-old second person's, so the plan's 2027 state tax is the state engine's
    with the distribution and benefits given as the spouse's, not the 60-year-old head's (who
    would have no exclusion: a higher tax)."""
    row = plan_json(make_plan(parse_household(_spouse_holds_it_all(state)), LAW,
                              monte_carlo=False))["table"][0]
    assert row["year"] == 2027 and row["social_security"] > 0
    assert row["pretax_withdrawal"] + row["conversion"] > 1_000
    assert row["state_tax"] == pytest.approx(_first_row_tax(state, row, 1.0), abs=0.02)
    assert _first_row_tax(state, row, 0.0) > _first_row_tax(state, row, 1.0) + 100


def test_a_wisconsin_couple_plans_past_67():
    """From 2025 Wisconsin's retirement income subtraction from 67 is an election that
    forfeits the credits (§71.05(6)(b)54m), taken where it lowers the tax: the couple of the
    issue, refused from 67 before, plans in Wisconsin to the end, Monte Carlo included."""
    plan = plan_json(make_plan(parse_household(_case(state="WI")), LAW))
    assert all(r["state"] == "WI" for r in plan["table"])
    assert plan["table"][-1]["year"] >= 2057
    assert sum(r["state_tax"] for r in plan["table"]) > 0
    for s in plan["strategies"]:
        assert 0.0 <= s["monte_carlo"]["success_rate"] <= 1.0, s["key"]


def test_washington_plans_a_brokerage_account_as_a_state_without_income_tax():
    """Washington taxes only long-term gains above its standard deduction ($278,000 in 2025,
    RCW 82.87.060): the couple's sales stay below it, so its plan is Florida's."""
    wa = plan_json(make_plan(parse_household(_case(state="WA")), LAW, monte_carlo=False))
    fl = plan_json(make_plan(parse_household(_case(state="FL")), LAW, monte_carlo=False))
    assert [{k: v for k, v in r.items() if k != "state"} for r in wa["table"]] == \
        [{k: v for k, v in r.items() if k != "state"} for r in fl["table"]]
    assert all(r["state_tax"] == 0 for r in wa["table"])


def test_new_jersey_before_claiming_knows_social_security_is_coming():
    """From 62 until they claim at 67 the couple receives no Social Security; New Jersey's
    special exclusion is for those who never will, and the plan knows they will: it plans
    (before, every such year was refused)."""
    case = load_household(EXAMPLE).model_dump(exclude={"move"})
    plan = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))
    assert all(r["state"] == "NJ" for r in plan["table"])
    before = [r for r in plan["table"] if r["social_security"] == 0 and min(r["ages"]) >= 62]
    assert before and all(r["state_tax"] >= 0 for r in before)


def _ny_retirees(account: str) -> dict:
    """A couple of 75 and 74 in 2027 in New York, each with $1M pre-tax in ``account`` ("ira"
    or "pretax", a 401(k)), no Social Security and no conversions: in the first years each
    one's RMD alone is more than $20,000 (about $40,000; the optimiser may empty one person's
    account first later)."""
    case = _case(state="NY", spending={"annual": 60000})
    for person, born in zip(case["people"], ("1952-03-01", "1953-05-01"), strict=True):
        person.update(birth_date=born, life_expectancy=90,
                      social_security={"monthly_at_full_age": 0}, accounts={account: 1_000_000})
    case["strategy"] = {"roth_conversions": False}
    return case


def _ny_joint_tax(year: int, ny_agi: float) -> float:
    from dist401k.tax.state import StateUnits, state_tax
    unit = StateUnits.from_columns({"state": ["NY"], "tax_year": [year],
                                    "filing_status": ["married_joint"], "age_head": [75],
                                    "age_spouse": [74], "federal_agi": [ny_agi]})
    return float(state_tax(unit)["state_income_tax"][0])


def test_new_york_excludes_each_spouses_own_ira_distributions():
    """Tax Law §612(c)(3-a): an IRA's distributions qualify periodic or not, each spouse's own
    up to $20,000 from 59½ — so every year's New York tax is the tax on federal AGI less
    $40,000; a 401(k)'s lump sums do not qualify (the same money in the plans: no exclusion)."""
    for account, excluded in (("ira", 40_000), ("pretax", 0)):
        rows = plan_json(make_plan(parse_household(_ny_retirees(account)), LAW,
                                   monte_carlo=False))["table"]
        assert len(rows) > 10
        for row in rows[:5]:
            assert row["state"] == "NY" and row["rmd"] > 40_000
            assert row["state_tax"] == pytest.approx(
                _ny_joint_tax(row["year"], row["agi"] - excluded), abs=0.01), (account, row)


def test_colorado_subtracts_each_spouses_own_ira_distributions():
    """C.R.S. §39-22-104(4)(f), Rule 39-22-104(4)(f)(1)(c): an IRA's distributions qualify for
    the pension subtraction periodic or not, each spouse's own up to $24,000 from 65 — so in
    the first years (each one's RMD more than $24,000) Colorado taxes federal taxable income
    less $48,000 at its flat rate; the same money in 401(k)s, paid as lump sums, is taxed
    whole."""
    for account, subtracted in (("ira", 48_000), ("pretax", 0)):
        case = _ny_retirees(account)
        case["state"] = "CO"
        rows = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]
        for row in rows[:5]:
            assert row["state"] == "CO" and row["rmd"] > 2 * 24_000
            rate = float(LAW.get("state.co.rate", row["year"]))
            assert row["state_tax"] == pytest.approx(
                rate * max(0.0, row["taxable_income"] - subtracted), abs=0.01), (account, row)


def _de_schedule(taxable: float) -> float:
    """30 Del. C. §1102 by hand: 2.2%, 3.9%, 4.8%, 5.2%, 5.55% from $2,000, $5,000, $10,000,
    $20,000, $25,000, 6.6% above $60,000."""
    edges = [2_000, 5_000, 10_000, 20_000, 25_000, 60_000, float("inf")]
    rates = [0.022, 0.039, 0.048, 0.052, 0.0555, 0.066]
    return sum(r * max(0.0, min(taxable, hi) - lo)
               for lo, hi, r in zip(edges[:-1], edges[1:], rates, strict=True))


def test_delaware_plans_a_couple_each_with_their_own_exclusion():
    """30 Del. C. §1106(b): the first person's IRA pays everything (the second holds only a
    Roth): on the joint return $12,500 of it is excluded and the standard deduction is $6,500
    and $2,500 for each of the two over 65 — the year's tax is the §1102 schedule on the rest
    (combined separate returns would waste the second person's deduction).  And the couple
    of ``_case`` — 62 and 60, with years of little income — plans in Delaware, its Monte Carlo
    too, where the exclusion for persons 60 or over once refused it."""
    case = _ny_retirees("ira")
    case.update(state="DE")
    case.pop("taxable")
    case["people"][1]["accounts"] = {"roth": 500_000, "roth_first_year": 2000}
    rows = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]
    for row in rows[:5]:
        assert row["state"] == "DE" and row["rmd"] > 12_500
        # Less the §1110 personal credits: 110 for each of the two, 110 more for each 60 or over.
        assert row["state_tax"] == pytest.approx(max(0.0, _de_schedule(
            row["agi"] - 12_500 - 6_500 - 2 * 2_500) - 2 * 110 - 2 * 110), abs=0.01), row
    plan = plan_json(make_plan(parse_household(_case(state="DE")), LAW))
    assert plan["table"][0]["state"] == "DE"
    assert all(s["monte_carlo"]["success_rate"] >= 0 for s in plan["strategies"])


def test_michigan_subtracts_an_iras_and_a_pensions_distributions_and_refuses_a_401k():
    """MCL 206.30(8): all of an IRA's or a pension's distribution is a qualifying retirement
    benefit, of a 401(k) only the part from employer contributions (not in the case): a
    retiree whose money is in an IRA plans, each year's tax the state's on all the year's
    distributions qualifying; the same money in a 401(k) is refused, naming the state."""
    case = {"id": "mi", "start_year": 2026, "state": "MI", "spending": {"annual": 60000},
            "people": [{"birth_date": "1952-03-01", "life_expectancy": 92,
                        "social_security": {"monthly_at_full_age": 0},
                        "accounts": {"ira": 900_000}, "pension": {"monthly": 1000}}]}
    rows = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]
    from dist401k.tax.state import StateUnits, state_tax
    for row in rows[:5]:
        paid = row["pension"] + row["pretax_withdrawal"] + row["conversion"]
        # (the rest of the AGI: the dividends of a surplus deposited in the taxable account)
        assert -0.05 <= row["agi"] - paid < 100  # (rows in cents)
        paid = min(paid, row["agi"])
        unit = StateUnits.from_columns({
            "state": ["MI"], "tax_year": [row["year"]], "filing_status": ["single"],
            "age_head": [row["ages"][0]], "federal_agi": [row["agi"]],
            "taxable_distributions": [paid], "plan_retirement_conditions_met": [True],
            "employer_attributable_distributions": [paid]})
        assert row["state_tax"] == pytest.approx(
            float(state_tax(unit)["state_income_tax"][0]), abs=0.01), row
    case["people"][0]["accounts"] = {"pretax": 900_000}
    with pytest.raises(InputError) as e:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    assert e.value.problems[0].field == "state" and "MI in 2026" in e.value.problems[0].problem


@pytest.mark.parametrize("state", ["MI", "HI"])
def test_a_plan_accounts_employer_share_is_exempt_in_michigan_and_hawaii(state):
    """MCL 206.30(8), HRS §235-7(a)(3): of a 401(k)'s distribution only the part from employer
    contributions qualifies; with the account's ``employer_share`` given (40%), each year's
    tax is the state's with that part of the account's draws, and the pension, exempt; without
    it the plan is refused, the message naming the input to give."""
    case = {"id": "employer", "start_year": 2026, "state": state, "spending": {"annual": 60000},
            "people": [{"birth_date": "1952-03-01", "life_expectancy": 92,
                        "social_security": {"monthly_at_full_age": 0},
                        "accounts": {"pretax": 900_000, "employer_share": 0.4},
                        "pension": {"monthly": 1000}}]}
    rows = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]
    from dist401k.tax.state import StateUnits, state_tax
    for row in rows[:5]:
        plan = row["pretax_withdrawal"] + row["conversion"]
        # (the rest of the AGI: the dividends of a surplus deposited in the taxable account)
        assert -0.05 <= row["agi"] - (row["pension"] + plan) < 100  # (rows in cents)
        unit = StateUnits.from_columns({
            "state": [state], "tax_year": [row["year"]], "filing_status": ["single"],
            "age_head": [row["ages"][0]], "federal_agi": [row["agi"]],
            "taxable_distributions": [min(row["pension"] + plan, row["agi"])],
            "plan_retirement_conditions_met": [True],
            "employer_attributable_distributions": [row["pension"] + 0.4 * plan]})
        assert row["state_tax"] == pytest.approx(
            float(state_tax(unit)["state_income_tax"][0]), abs=0.01), row
    del case["people"][0]["accounts"]["employer_share"]
    with pytest.raises(InputError) as e:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    assert "employer_share" in e.value.problems[0].problem


def _hawaii(**accounts) -> dict:
    """A Hawaii retiree of 74 with a pension-free plan: the IRA, or the 401(k), pays."""
    return {"id": "hawaii", "start_year": 2026, "state": "HI", "spending": {"annual": 50000},
            "people": [{"birth_date": "1952-03-01", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": 0},
                        "accounts": accounts}]}


def _hawaii_row_tax(row: dict, employer: float) -> float:
    from dist401k.tax.state import StateUnits, state_tax

    unit = StateUnits.from_columns({
        "state": ["HI"], "tax_year": [row["year"]], "filing_status": [row["filing_status"]],
        "age_head": [row["ages"][0]], "federal_agi": [row["agi"]],
        "taxable_distributions": [row["agi"]], "plan_retirement_conditions_met": [True],
        "employer_attributable_distributions": [employer]})
    return float(state_tax(unit)["state_income_tax"][0])


def test_an_iras_share_rolled_from_employer_money_is_exempt_in_hawaii():
    """HRS §235-7(a)(3): an IRA's part rolled over from employer contributions to a plan keeps
    the exemption (``ira_employer_share``); without it an IRA's year is refused, naming it."""
    rows = plan_json(make_plan(parse_household(_hawaii(ira=700_000, ira_employer_share=0.3)),
                               LAW, monte_carlo=False))["table"]
    for row in rows[:4]:
        assert row["agi"] == pytest.approx(row["pretax_withdrawal"] + row["conversion"],
                                           abs=0.01)
        assert row["state_tax"] == pytest.approx(_hawaii_row_tax(row, 0.3 * row["agi"]),
                                                 abs=0.01), row
    with pytest.raises(InputError) as e:
        make_plan(parse_household(_hawaii(ira=700_000)), LAW, monte_carlo=False)
    assert "ira_employer_share" in e.value.problems[0].problem


def test_a_survivors_rollover_ira_keeps_the_employer_share_in_hawaii():
    """A Hawaii couple whose 401(k)s' employer shares are given: at the first death the
    deceased's plan money rolls into the survivor's IRA with its share, so the survivor's
    years plan (they were refused: an IRA's share was not known) and each is taxed on the
    rolled money less its employer part."""
    from dist401k.planner.timeline import build_timeline

    case = _case(state="HI")
    case.pop("monte_carlo")
    case["people"][0]["life_expectancy"] = 70  # dies at the end of 2035
    case["people"][0]["accounts"]["employer_share"] = 0.4
    case["people"][1]["accounts"]["employer_share"] = 0.4
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    assert tl.pool_employer_share[~tl.pool_plan].tolist() == [0.4]  # the survivor's IRA
    rows = plan_json(make_plan(hh, LAW, monte_carlo=False))["table"]
    assert rows[-1]["year"] > 2040 and all(r["state"] == "HI" for r in rows)


def test_a_couples_ira_takes_the_mix_it_will_hold():
    """Each IRA pool of a couple holds, after the other's death, its own money and the other's
    plan and IRA money: its share is theirs weighted by the balances at the start."""
    from dist401k.planner.timeline import build_timeline

    case = _case(state="HI")
    a, b = case["people"][0]["accounts"], case["people"][1]["accounts"]
    a.update(pretax=600_000, employer_share=0.4, ira=100_000, ira_employer_share=0.1)
    b.update(pretax=300_000, employer_share=0.7)
    tl = build_timeline(parse_household(case), LAW, keep_iras=True)
    iras = tl.pool_employer_share[~tl.pool_plan]
    # The first person's IRA: its own 100,000 at 10% and the other's 300,000 at 70%; the
    # second's (empty): the first's 600,000 at 40% and 100,000 at 10%.
    assert iras.tolist() == pytest.approx([(10_000 + 210_000) / 400_000,
                                           (240_000 + 10_000) / 700_000])


def test_a_new_york_city_household_pays_the_citys_tax_while_in_new_york():
    """``new_york_city``: New York City's personal income tax on New York taxable income is
    added while the state is New York (NY Tax Law §1304), and not after a move to Florida."""
    def plan(**over):
        case = _case(**over)
        case.pop("monte_carlo")
        return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))

    state = plan(state="NY")["table"]
    city = plan(state="NY", new_york_city=True)["table"]
    assert city[0]["state_tax"] > state[0]["state_tax"] > 0
    assert sum(r["state_tax"] for r in city) > sum(r["state_tax"] for r in state) + 10_000
    moving = plan(state="NY", new_york_city=True, move={"year": MOVE_YEAR, "state": "FL"})
    assert all(r["state_tax"] == 0 for r in moving["table"] if r["year"] >= MOVE_YEAR)
    with pytest.raises(InputError) as e:
        parse_household(_case(state="NJ", new_york_city=True))
    assert e.value.problems[0].field == "new_york_city"


def test_a_yonkers_household_pays_the_surcharge_through_2027():
    """``yonkers``: the city's resident income tax surcharge, 16.75% of the net state tax (NY
    Tax Law §1321), is added while the state is New York, through 2027 as enacted: the plan's
    2027 row is the §601 schedule by hand on its own AGI, times 1.1675; from 2028 none (the
    same figures as a New York household's on the same AGI)."""
    case = _case(state="NY", yonkers=True)
    case.pop("monte_carlo")
    rows = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]
    first = rows[0]
    assert first["year"] == 2027 and first["social_security"] == 0
    assert first["state_tax"] == pytest.approx(1.1675 * _ny_tax_2027_joint(first["agi"]),
                                               abs=0.01)
    assert first["state_tax"] > 0
    # A later year within the schedule by hand (no supplemental tax: NY AGI under $107,650).
    later = next(r for r in rows if r["year"] >= 2028 and r["agi"] < 107_650)
    assert later["social_security"] == 0
    # New York's schedule and deduction are not indexed: 2028's are 2027's, with no surcharge.
    assert later["state_tax"] == pytest.approx(_ny_tax_2027_joint(later["agi"]), abs=0.01)
    for bad in ({"state": "NJ", "yonkers": True},
                {"state": "NY", "yonkers": True, "new_york_city": True}):
        with pytest.raises(InputError) as e:
            parse_household(_case(**bad))
        assert e.value.problems[0].field == "yonkers"


def test_a_maryland_county_household_pays_the_county_tax():
    """``maryland_county``: the county's income tax on Maryland taxable income is added while the
    state is Maryland (Tax-General §10-106): Montgomery's 3.2% raises every year's state tax of
    a household with taxable income there; a county without Maryland is refused by name."""
    def plan(**over):
        case = _case(**over)
        case.pop("monte_carlo")
        return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))

    state = plan(state="MD")
    county = plan(state="MD", maryland_county="Montgomery")
    total = lambda j: sum(r["state_tax"] for r in j["table"])  # noqa: E731
    assert total(county) > 1.3 * total(state)
    # Without a county the plan says that the county's tax is left out, and how to add it.
    assert county["state"]["notes"] == []
    assert len(state["state"]["notes"]) == 1 and "maryland_county" in state["state"]["notes"][0]
    with pytest.raises(InputError) as e:
        parse_household(_case(state="VA", maryland_county="Montgomery"))
    assert e.value.problems[0].field == "maryland_county"
    with pytest.raises(InputError) as e:
        parse_household(_case(state="MD", maryland_county="Gotham"))
    assert e.value.problems[0].field == "maryland_county"



def _pennsylvania(spouse: dict) -> dict:
    return {"id": "pa-couple", "start_year": 2026, "state": "PA",
            "people": [{"birth_date": "1960-03-01", "life_expectancy": 80,
                        "accounts": {"ira": 1_000_000}},
                       {"birth_date": "1968-03-01", "life_expectancy": 80, **spouse}],
            "spending": {"annual": 50_000},
            "market": {"stocks": 0.05, "bonds": 0.05, "cash": 0.05, "stock_share": 0.6,
                       "inflation": 0.0},
            "strategy": {"objective": "max_estate", "heirs_rate": 0.0}}


@pytest.mark.parametrize("spouse", [
    # The spouse, 58, holds nothing: before, the household was "not retired" while any pool —
    # the spouse's empty IRA, kept for the rollover — would owe the §72(t) tax, and the
    # head's IRA distributions were taxed at 3.07%.
    {},
    # The spouse, 63 in 2026, works for $60,000 to 66: only the wages are taxed, not the
    # head's IRA distributions (before: all of them while the wages lasted).
    {"birth_date": "1963-03-01", "wages": 60_000, "retirement_age": 66},
])
def test_pennsylvania_exempts_each_retirees_own_distributions(spouse):
    """72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8), §121.15: the head, 66 and retired, takes
    from an IRA past 59½ (and converts: not compensation either); the spouse's age or wages do
    not make it compensation: each year's Pennsylvania tax is 3.07% of the income other than
    the distributions (the wages, and the accounts' dividends and interest), all of it where
    the wages bring the income past Schedule SP's forgiveness, at most that elsewhere."""
    table = plan_json(make_plan(parse_household(_pennsylvania(spouse)), LAW,
                                monte_carlo=False))["table"]
    assert sum(r["pretax_withdrawal"] + r["conversion"] for r in table[:5]) > 50_000
    for r in table[:5]:
        other = 0.0307 * (r["agi"] - r["pretax_withdrawal"] - r["conversion"])
        if r["wages"] > 0:
            assert r["state_tax"] == pytest.approx(other, abs=0.5), r["year"]
        assert r["state_tax"] <= other + 0.5, r["year"]


@pytest.mark.parametrize(("state", "tax_2025"), [
    # New York, single, 67 in 2025: a private pension of $36,000, $1,500 of interest (3% on the
    # $50,000 of cash) and Social Security of which $17,074.33 is taxable: federal AGI
    # 54,574.33.  The pension's periodic payments qualify for the $20,000
    # exclusion from 59½ (Tax Law §612(c)(3-a); IT-201 line 29): NY AGI 54,574.33 − 17,074.33
    # − 20,000 = 17,500; less the $8,000 standard deduction, 9,500, under $65,000: read in the
    # State tax table on the row 9,500–9,550 at its middle, 9,525: 4% × 8,500 + 4.5% × 1,025 =
    # 386.125, rounded half up to 386.
    ("NY", 386.00),
    # Colorado: federal taxable income 30,824.33; Social Security 17,074.33 subtracted, and the
    # pension up to $24,000 less it (65 or older; C.R.S. §39-22-104(4)(f)): 6,925.67; 6,824.33
    # × 4.40% = 300.27.
    ("CO", 300.27),
])
def test_a_pension_is_periodic_payments_for_the_state(state, tax_2025):
    """Before, the plan's state units took every distribution as a lump sum: a pension lost
    New York's exclusion ($1,459: taxable 29,500, the table's row at 29,525, 599.50 + 5.5% ×
    15,625 = 1,458.875) and Colorado's subtraction ($605.00)."""
    case = {"id": "pension", "start_year": 2025, "state": state,
            "people": [{"birth_date": "1958-03-01", "life_expectancy": 70,
                        "social_security": {"monthly_at_full_age": 2000, "claim_age": 67},
                        "pension": {"monthly": 3000, "start_age": 65, "indexed": False},
                        "accounts": {"roth": 100000, "roth_first_year": 2010}}],
            "cash": 50000, "spending": {"annual": 40000},
            "strategy": {"objective": "max_estate", "roth_conversions": False}}
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    assert row["year"] == 2025 and row["pension"] == 36_000
    assert row["agi"] == pytest.approx(54_574.33, abs=0.01)
    assert row["state_tax"] == pytest.approx(tax_2025, abs=0.01)


def test_a_pension_beside_a_plan_account_withdrawal_keeps_its_exclusion():
    """New York, single, 67 in 2025: a $36,000 pension and $36,225 taken from a 401(k) (federal
    AGI 72,225).  The pension's periodic payments qualify, the plan account's lump sum does
    not (Tax Law §612(c)(3-a)): $20,000 excluded; NY AGI 52,225; less 8,000: 44,225, read in the
    State tax table on the row 44,200–44,250 at its middle, 44,225: 4% × 8,500 + 4.5% × 3,200 +
    5.25% × 2,200 + 5.5% × 30,325 = 2,267.375, rounded half up to 2,267.  Before, the return's
    one periodic flag took the whole year as a lump sum: $3,367 (64,225, the same row middle
    plus 20,000: 2,267.375 + 1,100 = 3,367.375)."""
    case = {"id": "pension-and-401k", "start_year": 2025, "state": "NY",
            "people": [{"birth_date": "1958-03-01", "life_expectancy": 75,
                        "pension": {"monthly": 3000, "start_age": 65, "indexed": False},
                        "accounts": {"pretax": 400_000}}],
            "spending": {"annual": 60_000},
            "strategy": {"objective": "max_estate", "roth_conversions": False}}
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    assert row["pension"] == 36_000 and row["pretax_withdrawal"] > 0
    ny_taxable = row["agi"] - 20_000 - 8_000
    # Under $65,000 (NY AGI under $107,650): the State tax table, the schedule at the middle of
    # the income's $50 row, rounded half up to whole dollars.
    assert 13_900 <= ny_taxable < 65_000 and row["agi"] - 20_000 <= 107_650
    middle = ny_taxable // 50 * 50 + 25
    schedule = 0.04 * 8_500 + 0.045 * 3_200 + 0.0525 * 2_200 + 0.055 * (middle - 13_900)
    assert row["state_tax"] == pytest.approx(math.floor(schedule + 0.5), abs=0.01)
