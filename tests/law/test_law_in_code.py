"""The law stays in the law files: no legal number in the rules' code, and no law file unread.

Two guards (DESIGN.md, "The law is data"):

* a scan of the syntax tree of the rule modules (``routes/``, ``tax/``, ``outcome.py``,
  ``compare.py``, ``traps.py``, ``planner/``) finds no numeric literal but those of the allow-lists below,
  each with its reason; a failure names every offending literal by file and line;
* every parameter file under ``law/params`` is read by some rule when the shipped examples,
  a tax batch over every state and filing status, and the drawdown plans are answered
  (``tests/law/test_law_read.py``).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import dist401k

SRC = Path(dist401k.__file__).parent

#: The modules whose code must hold no legal number.
SCANNED = ("routes", "tax", "outcome.py", "compare.py", "traps.py", "planner")

#: Numbers that are never law, wherever they appear.
ALLOWED = {
    0: "zero: nothing, the first position",
    1: "one: a whole, the next position, a count of one",
    -1: "minus one: the last position, a missing index",
    12: "months in a calendar year: ages and dates are counted in whole months (59½ is 714 "
        "months); calendar arithmetic, not a legal period",
    100: "per cent, and a birth month as the key year × 100 + month of a table keyed by birth date",
}

#: Below this magnitude a number is a floating-point tolerance, never a legal figure.
TOLERANCE = 1e-6

#: Small whole numbers used as an index into a fixed axis (``x[..., 2]``) are positions, not
#: amounts: the third bracket rate of a capital-gains schedule is read from the law file.
SMALL_INDEX = 3

#: The plan file's defaults and input bounds (``planner/household.py``): plan options and
#: sanity limits of the input, shown in its schema; each legal figure is read from law where
#: the rule runs.
_PLAN_FILE = {
    "MAX_AMOUNT": "the largest amount a case may hold: an input bound far from float overflow",
    "MAX_PATHS": "the most Monte Carlo paths a case may ask for: a memory bound",
    **dict.fromkeys(("DEFAULT_PENSION_AGE", "MIN_PENSION_AGE", "DEFAULT_LIFE_EXPECTANCY",
                     "MIN_LIFE_EXPECTANCY", "MAX_LIFE_EXPECTANCY", "MIN_RETIREMENT_AGE",
                     "MAX_RETIREMENT_AGE"), "a person's default ages and their input bounds"),
    **dict.fromkeys(("FIRST_YEAR", "LAST_YEAR", "FIRST_ROTH_YEAR"),
                    "the years a date of the plan may name: input bounds"),
    **dict.fromkeys(("MAX_NAME", "MAX_HOUSEHOLD_SIZE", "MAX_ENTRIES", "MAX_STATE_TEXT"),
                    "the lengths of a name and of the plan's lists: input bounds"),
    **dict.fromkeys(("MAX_YIELD", "MAX_RETURN", "MIN_GROWTH", "MAX_GROWTH", "MAX_SHARE",
                     "MAX_HEIRS_RATE", "MAX_SEED", "MIN_CONFIDENCE", "MAX_CONFIDENCE",
                     "MIN_SURVIVAL", "MAX_BAND", "MAX_NO_CUT_YEARS", "MAX_REVIEW_YEARS",
                     "MAX_FEE"),
                    "the input bounds of a rate, share or count of the plan file"),
    **dict.fromkeys(("MIN_FILL_BRACKET", "MAX_FILL_BRACKET"),
                    "the plan file's bounds on the bracket to fill (the lowest and highest "
                    "ordinary rates); the bracket itself is read from law"),
    **dict.fromkeys(("DEFAULT_STOCKS", "DEFAULT_BONDS", "DEFAULT_CASH", "DEFAULT_STOCK_SHARE",
                     "DEFAULT_DIVIDEND_YIELD"), "the fixed plan's default market: an assumption"),
    **dict.fromkeys(("DEFAULT_SURVIVOR_SPENDING", "DEFAULT_HEIRS_RATE",
                     "DEFAULT_SYSTEMATIC_RATE", "DEFAULT_FILL_BRACKET", "DEFAULT_PATHS"),
                    "a strategy's or a simulation's default: a plan option"),
    **dict.fromkeys(("MAX_SPENDING_FRACTION", "MAX_EXPENSE_YEARS", "MAX_SPENDING_ENTRIES"),
                    "the input bounds of the spending's changes and planned expenses"),
}

#: Module-level named constants that are not law, per file, each with its reason.
NAMED = {
    "outcome.py": {
        "GROSS_UP_STEPS": "the most secant steps of a gross-up: a solver setting",
        "GROSS_UP_TOLERANCE": "dollars within which a gross-up is found: a solver tolerance",
        "SOUND_SLOPE": "the smallest secant slope trusted: a solver setting",
        "CENT_STEPS": "the cents tried either side of a net amount's gross: a search setting",
    },
    "compare.py": {
        "NEED_STEPS": "the most secant steps of the search for a need: a solver setting",
        "CENT_TRIES": "the cents tried below the secant's gross: a solver setting",
        "SHOWN_DIGITS": "decimal places shown: amounts to the cent, ages to a hundredth",
        "DEFAULT_HORIZON_YEARS": "years ahead an option is valued without a later horizon: a "
                                 "default of the comparison",
    },
    "traps.py": {
        "FIGURE_DIGITS": "decimal places of a trap's figures: presentation",
        "WAIT_DAYS": "how near 59½ must be for the trap to suggest waiting: advice, not law",
    },
    "planner/simulate.py": {
        "ITERATIONS": "fixed-point passes of withdrawal and tax: a solver setting",
        "PLAIN_ITERATIONS": "plain fixed-point passes where a MAGI-set cost may jump: a solver setting",
        "FILL_STEP": "the damped step of a bracket-filling pass: a solver setting",
        "TAKE_SOURCES": "the four sources a withdrawal comes from: cash, taxable, pre-tax, Roth",
        "SETTLED_SHARE": "share of moving paths below which settled ones are set aside: a solver setting",
        "SETTLED_MIN_PATHS": "batch size from which settled paths are set aside: a speed setting",
        "REMNANT": "a balance under half a cent left by a take that empties it: rounding",
    },
    "planner/fixed_point.py": {
        "TOLERANCE": "half a cent: the fixed point's stopping rule, a solver setting",
        "RELATIVE": "the rounding of very large sums: a solver setting",
        "MAX_STEP": "the longest secant step against the plain pass: a solver setting",
    },
    "planner/state_tax.py": {
        "SAMPLES": "points at which a year's state tax is sampled: a solver setting",
        "OTHER_INCOME_STEP": "dollars of interest added to find a marginal rate: a solver step",
        "SLOPE_TOLERANCE": "slopes within this are one segment: a rounding tolerance",
        "SPOUSE_SHARE_OF_JOINT_ACCOUNTS": "the household's taxable account and cash taken as "
                                          "held jointly, half each: the plan's reading of whose "
                                          "they are, not a rate of law",
    },
    "planner/lp.py": {
        "MAX_PASSES": "the most linearise-and-solve passes: a solver setting",
        "TOLERANCE": "the objective's relative change that ends the passes: a solver tolerance",
        "AT_CAP_DOLLARS": "dollars within which the taxable benefit is at its cap: rounding",
        "CAP_MARGIN": "the share of a cap on income (an IRMAA tier's figure, the premium tax "
                      "credit's window) a capped year keeps inside it: the programme's and the "
                      "simulator's incomes differ a little",
        "TIER_TRY": "how far past an IRMAA tier, in multiples of its surcharge, a year is "
                    "tried below it: a search setting",
        "LIMIT_TRY": "how far past the premium tax credit's limit, in multiples of the credit, "
                     "a year is tried below it first: a search setting",
        "SLOPE_STEP": "the share of the poverty line over which the credit's slope is taken: "
                      "a difference step",
        "ON_MARGIN": "the share past the margin a year held on it may sit in the exact "
                     "pricing: a rounding tolerance",
    },
    "planner/plan.py": {
        "SEARCH_FLOOR": "the smallest upper end of the spending search: a search setting",
        "SEARCH_HEADROOM": "the spending search's first upper end over the guess: a search "
                           "setting",
        "SEARCH_ROUNDS": "rounds of the spending search: a search setting",
        "SEARCH_POINTS": "candidates a round of the spending search: a search setting",
        "SEARCH_DOUBLING": "how the spending search widens when its top works: a search setting",
        "DIGITS_FINE": "decimal places of a rate, a shadow price or the solver's seconds",
        "LIFETIME_GRID_SURVIVAL": "the survival at which random lifetimes' grid ends: a "
                                  "simulation setting",
    },
    "planner/household.py": _PLAN_FILE,
    "planner/confidence.py": {
        "CANDIDATES": "candidates a round of the search evaluates: a search setting",
        "TOLERANCE": "the bracket's width that ends the search: a search tolerance",
        "SHORTFALL_TOLERANCE": "unmet dollars that are rounding: a tolerance",
        "MAX_ROUNDS": "the most rounds of the search: a search setting",
        **dict.fromkeys(("SEARCH_LOW", "SEARCH_HEADROOM", "SEARCH_WIDEN"),
                        "the span of the search's rounds: a search setting"),
    },
    "planner/guardrails.py": {
        **dict.fromkeys(("GK_BAND", "GK_ADJUSTMENT", "GK_NO_CUT_FINAL_YEARS",
                         "GK_INFLATION_CAP"),
                        "the Guyton–Klinger rules' settings (the 2006 paper): a plan option"),
        **dict.fromkeys(("RISK_SUCCESS_LOW", "RISK_SUCCESS_HIGH", "RISK_STEP"),
                        "the risk-based guardrail's settings: a plan option"),
        **dict.fromkeys(("RATE_GRID_TOP", "RATE_GRID_POINTS"),
                        "the withdrawal rates of the success table: a grid"),
    },
    "planner/longevity.py": {
        "TRUSTEES_REPORT": "the vintage of SSA's death probabilities shipped: a data source",
        "OLDEST_AGE": "the last age of SSA's table: the data's shape",
        "BIRTHDAY_MONTH_AFTER": "the year's months and a half: a birthday month counted half",
        "DYING_YEAR_LIVED": "half a year lived in the year of death: SSA's life-table convention",
        "LIFETIME_SEED_SALT": "mixed into the seed: lifetimes draw a random stream of their own",
        **dict.fromkeys(("PROBABILITY_DIGITS", "YEARS_DIGITS"), "decimal places shown"),
        "SHOWN_STEP": "a short table's step in years: presentation",
        "HALF_PERCENT": "what rounds to 0% or 100%: presentation",
        "TABLE_FLOOR": "the survival under which the table stops: presentation",
    },
    "planner/claiming.py": {
        "SHORTLIST": "how many claiming choices the search refines: a search setting",
        "REFINE_MONTHS": "the months tried around a choice when refining: a search setting",
    },
    "planner/risk.py": {
        "FAN_PERCENTILES": "the bands a fan chart draws: a chart's choice",
        "CHART_HEIGHT": "a chart's height in pixels",
        "CHART_TOP_MARGIN": "a chart's top margin in pixels",
        "LEGEND_BELOW": "where a chart's legend sits (below the plot, in plot heights)",
    },
    "tax/state/engine.py": {
        "ASCII": "code points of ASCII: the index of a two-letter state code",
    },
    "routes/rmd.py": {
        "JOINT_KEY": "the joint life table's key, owner age × 1000 + spouse age, as the file "
                     "is keyed",
    },
    "routes/loan.py": {
        "SCHEDULES_KEPT": "how many loan schedules are remembered: a cache size",
    },
}

#: Other numbers allowed in one file, each with its reason.
PER_FILE = {
    "routes/__init__.py": {2: "a reason mask per source has two dimensions [n, S]"},
    "planner/timeline.py": {
        2: "a household is one or two people, and each has two accounts (an IRA and a plan)",
    },
    "planner/returns.py": {2: "a stock share per path and year has at most two dimensions"},
    "planner/risk.py": {2: "paths by years: an array of two dimensions; the median line's width"},
    "tax/state/engine.py": {2: "a state code's two letters"},
    "planner/claiming.py": {4: "a claiming age shown to four decimals (months are twelfths)",
                            2: "a couple: two people"},
    "planner/basis_at_death.py": {2: "a couple: two people"},
    "planner/household.py": {2: "a household is one or two people"},
    "planner/survivors.py": {2: "a couple: two people"},
    "planner/longevity.py": {2: "a couple: two people; two sexes' tables"},
    "planner/lp.py": {2: "the last two passes' objectives are compared"},
    "outcome.py": {2: "two or more computations are shared in one batch; one runs alone"},
    "planner/state_tax.py": {2: "a couple: two people"},
    "tax/state/district_of_columbia.py": {2.0: "the midpoint of two incomes: arithmetic"},
}

def scanned_files() -> list[str]:
    out = []
    for name in SCANNED:
        path = SRC / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        out += [f.relative_to(SRC).as_posix() for f in files]
    return out


def _named_constant_literals(tree: ast.Module, names: dict[str, str]) -> set[int]:
    """Literals inside a module-level assignment to an allowed named constant."""
    out: set[int] = set()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        flat = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
        if flat and all(isinstance(t, ast.Name) and t.id in names for t in flat) and node.value:
            out |= {id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant)}
    return out


def _index_literals(tree: ast.AST) -> set[int]:
    """Small whole numbers in a subscript: positions on a fixed axis."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            for n in ast.walk(node.slice):
                if (isinstance(n, ast.Constant) and type(n.value) is int
                        and abs(n.value) <= SMALL_INDEX):
                    out.add(id(n))
    return out


def offending_literals(rel: str) -> list[str]:
    """``file:line: value`` of every numeric literal of a module that no allow-list covers."""
    text = (SRC / rel).read_text(encoding="utf-8")
    tree = ast.parse(text)
    skip = _index_literals(tree) | _named_constant_literals(tree, NAMED.get(rel, {}))
    allowed = PER_FILE.get(rel, {})
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
            continue
        v = node.value
        if id(node) in skip or v in ALLOWED or v in allowed or 0 < abs(v) < TOLERANCE:
            continue
        bad.append(f"{rel}:{node.lineno}: {v!r}")
    return sorted(bad, key=lambda s: int(s.split(":")[1]))


@pytest.mark.parametrize("rel", scanned_files())
def test_no_legal_number_in_the_rules_code(rel):
    bad = offending_literals(rel)
    assert not bad, ("numbers in code (move them to law/params, or name them with a reason in "
                     "tests/law/test_law_in_code.py):\n" + "\n".join(bad))


def test_the_allow_lists_name_files_that_exist_and_are_scanned():
    files = set(scanned_files())
    for table in (NAMED, PER_FILE):
        assert set(table) <= files, set(table) - files


def test_every_named_constant_allowed_is_defined_in_its_file():
    for rel, names in NAMED.items():
        tree = ast.parse((SRC / rel).read_text(encoding="utf-8"))
        defined = {t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                   for t0 in (node.targets if isinstance(node, ast.Assign) else [node.target])
                   for t in (t0.elts if isinstance(t0, ast.Tuple) else [t0])
                   if isinstance(t, ast.Name)}
        assert set(names) <= defined, (rel, set(names) - defined)


def test_the_scan_finds_a_legal_number(tmp_path, monkeypatch):
    # The scan itself: a rule that writes the 10% additional tax in code is caught, with its line.
    rule = tmp_path / "routes" / "made_up.py"
    rule.parent.mkdir()
    rule.write_text('"""A rule."""\nRATE = 0.10\n\n\ndef tax(x):\n    return x * 0.10 + x[2]\n')
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    assert offending_literals("routes/made_up.py") == [
        "routes/made_up.py:2: 0.1", "routes/made_up.py:6: 0.1"]
