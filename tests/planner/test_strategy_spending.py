"""Every strategy's "spending a year" on one basis when the spending changes or expenses are
planned: the systematic strategy pays a planned expense on top of its own payment (never a
negative spending), every row states the level before the profile, and the terminal says
where a strategy leaves something unpaid and shows the need and the other income.

The answers are worked by hand on one person's $1,000,000 of qualified Roth money (no tax)
at zero returns and no inflation, 2026–2035: the systematic strategy (4% a year) takes 4% of
the balance at the start of each year, so without an expense year t pays 40,000 × 0.96^t.
"""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json, spending_plan_text

MONEY = 1_000_000.0
RATE = 0.04  # the systematic strategy's default share


def _case(spending: dict, **extra) -> dict:
    return {"id": "strategy-spending", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1960-03-01", "life_expectancy": 75,
                        "accounts": {"roth": MONEY}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
            "spending": {"annual": 90_000, "survivor_fraction": 1.0, **spending}, **extra}


def _row(plan, key: str):
    return next(o for o in plan.strategies if o.key == key)


def _systematic_with_roof(roof: float) -> tuple[list[float], float, float]:
    """By hand: the share is taken of the balance at the start of the year, then the roof of
    2028 (the third year) on top from what is left; where what is left cannot pay it all the
    year's money pays the roof first.  The payments, the estate and the roof left unpaid."""
    balance, payments, unpaid = MONEY, [], 0.0
    for year in range(2026, 2036):
        share = RATE * balance
        balance -= share
        if year == 2028:
            drawn = min(roof, balance)
            balance -= drawn
            money = share + drawn
            payments.append(max(money - roof, 0.0))
            unpaid = max(roof - money, 0.0)
        else:
            payments.append(share)
    return payments, balance, unpaid


def test_systematic_pays_a_roof_on_top_of_its_own_payment():
    """A $400,000 roof in 2028 (the reviewer's c8b): 40,000, 38,400, 36,864, then 4% of
    921,600 − 36,864 − 400,000 = 484,736 falling by 4% a year.  Mean 23,574.64, never the
    −6,483 shown before (the roof taken off a payment that never paid it); the estate is
    484,736 × 0.96^7 = 364,253.65 and nothing is unpaid."""
    pay, estate, _ = _systematic_with_roof(400_000)
    assert sum(pay[:3]) == pytest.approx(115_264.0)
    assert estate == pytest.approx(484_736 * 0.96 ** 7)
    plan = make_plan(parse_household(_case({"expenses": [
        {"year": 2028, "amount": 400_000, "label": "roof"}]})), monte_carlo=False)
    s = _row(plan, "systematic")
    assert s.spending_real == pytest.approx(sum(pay) / 10, abs=0.01)
    assert s.spending_real == pytest.approx(23_574.64, abs=0.01)
    assert s.estate_real == pytest.approx(364_253.65, abs=0.01)
    assert s.result["spending"][0][2] == pytest.approx(36_864 + 400_000, abs=0.01)
    j = plan_json(plan)
    js = next(x for x in j["strategies"] if x["key"] == "systematic")
    assert js["unpaid_expenses"] == 0.0


def test_systematic_cannot_pay_all_of_a_roof_and_says_so():
    """A $950,000 roof: after 2028's share 884,736 is left; the year's money is 921,600, all of
    it to the roof, so 28,400 of it is unpaid and the payment is 0 that year and after.  Mean
    (40,000 + 38,400) / 10 = 7,840; the terminal names the unpaid roof."""
    pay, estate, unpaid = _systematic_with_roof(950_000)
    assert unpaid == pytest.approx(28_400) and estate == 0.0
    case = _case({"expenses": [{"year": 2028, "amount": 950_000, "label": "roof"}]})
    plan = make_plan(parse_household(case), monte_carlo=False)
    s = _row(plan, "systematic")
    assert s.spending_real == pytest.approx(7_840.0, abs=0.01)
    assert s.spending_real >= 0
    assert plan_json(plan)["strategies"][1]["unpaid_expenses"] == pytest.approx(28_400, abs=0.01)


def test_the_terminal_names_what_a_strategy_leaves_unpaid(tmp_path):
    """The $950,000 roof: the terminal's comparison says the systematic strategy leaves
    $28,400 of the planned expenses unpaid."""
    path = tmp_path / "roof.yaml"
    path.write_text(yaml.safe_dump(_case({"expenses": [
        {"year": 2028, "amount": 950_000, "label": "roof"}]})))
    out = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "leaves $28,400 of the planned expenses unpaid" in text


def test_systematic_pays_an_expense_and_its_tax_on_top_of_its_payment():
    """Pre-tax money: the year of a $100,000 expense, the systematic strategy's payment is
    what it is without the expense (its share less the tax of its share), the expense and the
    tax it adds drawn on top — so the year's spending is the payment + 100,000 exactly."""
    case = _case({})
    case["people"][0]["accounts"] = {"ira": MONEY}
    flat = make_plan(parse_household(case), monte_carlo=False)
    case["spending"]["expenses"] = [{"year": 2026, "amount": 100_000, "label": "car"}]
    roof = make_plan(parse_household(case), monte_carlo=False)
    without = _row(flat, "systematic").result["spending"][0][0]
    with_it = _row(roof, "systematic").result["spending"][0][0]
    assert without > 0
    assert with_it - without == pytest.approx(100_000, abs=0.01)
    assert _row(roof, "systematic").result["income_tax"][0][0] > _row(
        flat, "systematic").result["income_tax"][0][0]


def test_every_row_states_the_level_before_the_changes():
    """Half from 2031 (the reviewer's c5j): 5L + 5 × L/2 = $1,000,000, L = 133,333.33.  On zero
    returns Guyton–Klinger makes no adjustment and spends the optimum's own path, L then L/2:
    its row shows L too (it showed the mean of the path, 100,000, before)."""
    case = _case({"changes": [{"from_year": 2031, "fraction": 0.5}]},
                 guardrails={"guyton_klinger": True})
    plan = make_plan(parse_household(case), monte_carlo=False)
    level = MONEY / 7.5
    assert _row(plan, "optimal").spending_real == pytest.approx(level, abs=1.0)
    gk = _row(plan, "guyton_klinger")
    assert list(gk.result["spending"][0]) == pytest.approx([level] * 5 + [level / 2] * 5, abs=1.0)
    assert gk.spending_real == pytest.approx(level, abs=1.0)
    text = spending_plan_text(plan_json(plan))
    assert text is not None and "before the changes" in text
    assert "systematic" in text


def test_the_terminal_year_table_has_the_need_and_the_other_income(tmp_path):
    """Where the plan has a need that moves and other income, the terminal's year table shows
    both columns, as the JSON, the report and the web page do; a flat plan has neither."""
    case = _case({"changes": [{"from_year": 2031, "fraction": 0.5}]},
                 other_income=[{"annual": 12_000, "start_year": 2026, "end_year": 2030}])
    path = tmp_path / "need.yaml"
    path.write_text(yaml.safe_dump(case))
    out = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    year_table = out.output.split("year by year")[1]
    assert "need" in year_table and "other" in year_table
    flat = tmp_path / "flat.yaml"
    flat.write_text(yaml.safe_dump(_case({})))
    out = CliRunner().invoke(app, ["plan", str(flat), "--no-monte-carlo"], env={"COLUMNS": "250"})
    year_table = out.output.split("year by year")[1]
    assert "need" not in year_table.split("2026")[0] and "other" not in year_table.split("2026")[0]
