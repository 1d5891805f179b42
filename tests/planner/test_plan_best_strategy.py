"""Which strategy is marked best, and what a plan says of the spending it was given.

Under ``objective: max_estate`` every strategy is to pay the need (``spending.annual``) and the
estates are compared (docs/plan.md).  The systematic strategy pays its share of the balance,
not the need: where that share is below the need it leaves part of the need unspent, and its
estate is larger for it.  Before, the terminal's ★ (and the report's best row) went to the
largest estate whatever it left unpaid — a reviewer's couple starred the systematic strategy,
$274,608 short of the need — and no row said so.  Now a strategy that leaves the need unpaid is
not ranked, and its row says how much it leaves (terminal, report, page).

Under the default ``max_spending`` the plan finds the most each strategy can spend, and the
case's ``spending.annual`` sets none of it; before, nothing said so, and a planner entering a
client's budget read a spending and a Monte Carlo success that were not about that budget.  Now
the plan's ``assumptions`` say it, once, with the figure (JSON, terminal, report, page).

The case worked by hand: Ann, born 1950-01-01 (76 in 2026), planned to the end of the year she
turns 80 (2026–2030, five years), $100,000 in a Roth IRA opened in 2000 (every payment a
qualified distribution, free of tax: IRC §408A(d)(1), (2)), no returns and no inflation (each
year's dollars are today's), a need of $10,000 a year, the systematic rate 4%:

- paying the need in full from the Roth (the conventional order, the bracket fill, the optimum:
  no tax to save) leaves 100,000 − 5 × 10,000 = $50,000;
- the systematic strategy pays 4% of the balance each year: 100,000 × 0.96^t, t = 0…4, is
  4,000, 3,840, 3,686.40, 3,538.94, 3,397.39, $18,462.73 in all; it leaves
  100,000 × 0.96^5 = $81,537.27 (more than $50,000) and is short 50,000 − 18,462.73 =
  $31,537.27 of the need.
"""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.commands.plan import strategies_table
from dist401k.law.loader import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import best_key, make_plan, plan_json

LAW = default_law()
ROTH = {"id": "roth", "start_year": 2026,
        "people": [{"name": "Ann", "birth_date": "1950-01-01", "life_expectancy": 80,
                    "accounts": {"roth": 100_000, "roth_first_year": 2000}}],
        "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
        "magi_history": [0, 0],
        "strategy": {"objective": "max_estate", "systematic_rate": 0.04},
        "spending": {"annual": 10_000}}
SHORT = 31_537.27  # the systematic strategy's shortfall of the need, by hand (above)


@pytest.fixture(scope="module")
def estate():
    plan = make_plan(parse_household(copy.deepcopy(ROTH)), LAW, monte_carlo=False)
    return plan, plan_json(plan)


def _strategy(j: dict, key: str) -> dict:
    return next(s for s in j["strategies"] if s["key"] == key)


def test_the_hand_figures(estate):
    """The case is what the docstring works: the systematic strategy's estate is the largest
    and it leaves $31,537.27 of the need unpaid; every other pays it and leaves $50,000."""
    _, j = estate
    sysw = _strategy(j, "systematic")
    assert (sysw["estate_real"], sysw["shortfall"]) == (81_537.27, SHORT)
    for key in ("order", "fill", "optimal"):
        s = _strategy(j, key)
        assert (s["estate_real"], s["shortfall"]) == (50_000.0, 0.0), key


def test_a_strategy_short_of_the_need_is_not_starred_in_the_terminal(estate):
    """The ★ goes to a strategy that pays the need (an estate of $50,000), not to the
    systematic one; its row says it does not pay the need and by how much."""
    _, j = estate
    assert best_key(j) != "systematic"
    assert _strategy(j, best_key(j))["estate_real"] == 50_000.0
    out = Console(width=250, record=True)
    out.print(strategies_table(j, "roth"))
    lines = out.export_text().splitlines()
    starred = [ln for ln in lines if "★" in ln]
    assert len(starred) == 1 and "Systematic" not in starred[0], starred
    row = next(ln for ln in lines if "Systematic" in ln)
    assert "does not pay the need: $31,537 short" in row, row


def test_the_command_says_why_it_is_not_ranked(tmp_path):
    """Under the table, the terminal says what the strategy leaves unpaid of the need."""
    path = tmp_path / "roth.json"
    path.write_text(json.dumps(ROTH))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert "leaves $31,537 of the need (spending.annual) unpaid, so it is not ranked" in r.stdout


def test_the_report_marks_the_same_best_and_says_the_shortfall(estate):
    plan, _ = estate
    page = render_plan_html(plan)
    table = page[page.index("<h2>The strategies side by side"):]
    table = table[:table.index("</table>")]
    rows = table.split("<tr")[2:]
    best = [r for r in rows if "class='best'" in r]
    assert len(best) == 1 and "Systematic" not in best[0], best
    assert "<td>50,000</td>" in best[0]
    systematic = next(r for r in rows if "Systematic" in r)
    assert "does not pay the need: $31,537 short" in systematic


def test_max_spending_never_hides_the_systematic_rule():
    """Under max_spending each strategy's spending is its own: the star is the most spending,
    and no row is marked short of a need (spending.annual is no need there)."""
    case = copy.deepcopy(ROTH)
    case["strategy"]["objective"] = "max_spending"
    j = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))
    # the whole $100,000 over five years, no tax: $20,000 a year for the constant strategies
    assert best_key(j) in ("order", "fill", "optimal")
    assert _strategy(j, best_key(j))["spending_real"] == pytest.approx(20_000, abs=1)
    out = Console(width=250, record=True)
    out.print(strategies_table(j, "roth"))
    assert "does not pay the need" not in out.export_text()


NOTE = ("spending.annual ($10,000 a year, today's dollars) is not the spending planned: the "
        "objective max_spending finds the most a year each strategy sustains")


def _spending_notes(j: dict) -> list[str]:
    return [n for n in j.get("assumptions", []) if n.startswith("spending.annual")]


def test_max_spending_says_the_annual_given_is_not_the_spending_planned(tmp_path):
    """The figure given is named with its amount, once, in the JSON, the terminal and the
    report; the plan's spending ($20,000 a year, by hand above) is not the $10,000 given."""
    case = copy.deepcopy(ROTH)
    case["strategy"]["objective"] = "max_spending"
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
    j = plan_json(plan)
    notes = _spending_notes(j)
    assert len(notes) == 1 and notes[0].startswith(NOTE), notes
    assert "set strategy.objective to max_estate" in notes[0]
    assert render_plan_html(plan).count(html.escape(NOTE)) == 1
    path = tmp_path / "roth.json"
    path.write_text(json.dumps(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    assert " ".join(r.stdout.split()).count(NOTE) == 1


def test_no_such_note_where_the_annual_is_used_or_not_given():
    """max_estate pays spending.annual; a max_spending case without it gives nothing to say."""
    estate_case = copy.deepcopy(ROTH)
    none = copy.deepcopy(ROTH)
    none["strategy"]["objective"] = "max_spending"
    del none["spending"]
    for case in (estate_case, none):
        j = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))
        assert not _spending_notes(j), case


def test_no_shipped_max_spending_plan_promises_its_annual_in_words():
    """A shipped plan under max_spending never spends its spending.annual as such: its comments
    must not say "spending $110,000 a year" (before, couple-early-retirees.yaml and
    couple-nj-to-fl.yaml did, though each plans the most it can spend instead)."""
    plans = Path(__file__).resolve().parents[2] / "examples" / "plans"
    for path in sorted(plans.glob("*.yaml")):
        text = path.read_text()
        case = yaml.safe_load(text)
        annual = case.get("spending", {}).get("annual", 0)
        if case.get("strategy", {}).get("objective", "max_spending") != "max_spending" or not annual:
            continue
        said = " ".join(ln.lstrip("# ") for ln in text.splitlines() if ln.startswith("#"))
        assert f"spending ${annual:,} a year" not in said, path.name
