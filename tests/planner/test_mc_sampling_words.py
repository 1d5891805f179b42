"""What the plan says about the sampling of its Monte Carlo (docs/plan.md, "Risk" and "Spending
at a chosen confidence").

* Every success rate shown carries its binomial standard error, sqrt(p (1 - p) / n) over the
  n paths run, computed here from the JSON's own ``success_rate`` and ``paths``.
* The spending at a chosen confidence is said to be found on the same paths (in-sample).
* The historical model says how many paths (start years) it ran, that ``paths`` does not
  apply to it, and — with random lifetimes — that its success moves with the seed.
* Random lifetimes change the market paths of a seed (the longer grid re-deals the bootstrap's
  years): the words no longer say they do not.
"""

from __future__ import annotations

import inspect
import io
import math

import pytest
from rich.console import Console

from dist401k.commands.plan import confidence_line, guardrails_table, strategies_table
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner import longevity, returns
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.risk import success_rate_se
from dist401k.planner.sampling import historical_note, se_words

LAW = default_law()


def _se_points(p: float, n: int) -> str:
    """One standard error of a share p of n, in percentage points, worked here from the
    binomial variance p (1 - p) / n."""
    return f"±{100 * math.sqrt(p * (1 - p) / n):.1f}"


def _text(renderable) -> str:
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(renderable)
    return " ".join(buf.getvalue().split())


def _case(**mc) -> dict:
    """A single man of 65 with all his money in a qualified Roth (no tax): a 26-year plan
    (2026–2051) with fixed lifetimes."""
    return {"id": "roth", "start_year": 2026,
            "people": [{"name": "R", "sex": "male", "birth_date": "1961-03-01",
                        "life_expectancy": 90,
                        "accounts": {"roth": 1_000_000, "roth_first_year": 2000}}],
            "spending": {"annual": 50_000, "bequest": 0},
            "market": {"stocks": 0.07, "bonds": 0.04, "cash": 0.025, "stock_share": 0.6},
            "strategy": {"objective": "max_spending", "medicare": False},
            "monte_carlo": {"paths": 2000, "seed": 11, **mc}}


@pytest.fixture(scope="module")
def guardrails_plan():
    import yaml

    with open("examples/plans/single-retiree-guardrails.yaml") as f:
        case = yaml.safe_load(f)
    case["monte_carlo"]["paths"] = 40
    hh = parse_household(case)
    plan = make_plan(hh, LAW, paths=40)
    return plan, plan_json(plan)


@pytest.mark.parametrize(("p", "n", "expected"), [
    (0.72, 1000, 0.0141986),   # sqrt(0.72 * 0.28 / 1000) = sqrt(0.0002016)
    (0.9, 500, 0.0134164),     # sqrt(0.09 / 500) = sqrt(0.00018)
    (0.5, 100, 0.05),          # sqrt(0.25 / 100)
    (1.0, 73, 0.0),
    (0.0, 1, 0.0),
])
def test_the_standard_error_is_the_binomial_one(p, n, expected):
    assert success_rate_se(p, n) == pytest.approx(expected, abs=5e-8)


@pytest.mark.parametrize(("p", "n", "word"), [(1.2, 10, "success rate"), (-0.1, 10, "success rate"),
                                               (0.5, 0, "paths"), (0.5, 2.5, "paths")])
def test_the_standard_error_refuses_what_is_not_a_rate_of_paths(p, n, word):
    with pytest.raises(ValueError, match=word):
        success_rate_se(p, n)


def test_every_success_rate_in_the_terminal_carries_its_standard_error(guardrails_plan):
    _, j = guardrails_plan
    table = _text(strategies_table(j, "case"))
    for s in j["strategies"]:
        mc = s["monte_carlo"]
        assert f"{mc['success_rate']:.0%} {_se_points(mc['success_rate'], mc['paths'])}" in table
    c = j["confidence"]
    assert f"{c['success_rate']:.0%} {_se_points(c['success_rate'], c['paths'])}" in table
    rails = _text(guardrails_table(j))
    for s in j["strategies"]:
        if "lowest_spending_percentiles" in s["monte_carlo"]:
            mc = s["monte_carlo"]
            assert f"{mc['success_rate']:.0%} {_se_points(mc['success_rate'], mc['paths'])}" in rails


def test_the_confidence_line_gives_the_error_and_says_it_is_in_sample(guardrails_plan):
    _, j = guardrails_plan
    c = j["confidence"]
    line = confidence_line(j)
    assert (f"succeeds on {c['success_rate']:.1%} of {c['paths']:,} market paths "
            f"({_se_points(c['success_rate'], c['paths'])} points, one standard error; found on "
            "these same paths") in line
    opt = c["optimum_success_rate"]
    assert f"succeeds on {opt:.0%} ({_se_points(opt, c['paths'])} points)." in line


def test_the_report_gives_the_standard_errors(guardrails_plan):
    plan, j = guardrails_plan
    page = render_plan_html(plan)
    c = j["confidence"]
    assert f"{c['success_rate']:.1%} {_se_points(c['success_rate'], c['paths'])}" in page
    for s in j["strategies"]:
        mc = s["monte_carlo"]
        assert f"{mc['success_rate']:.0%} {_se_points(mc['success_rate'], mc['paths'])}" in page
    assert "measured on the paths it was chosen on" in page
    assert "one standard error" in page


def test_the_historical_model_says_how_many_paths_ran_and_that_paths_does_not_apply():
    j = plan_json(make_plan(parse_household(_case(model="historical")), LAW))
    # 1928–2025 is 98 years of data; a 26-year plan fits 98 − 26 + 1 = 73 start years.
    first, last = returns.history_years()
    n = (last - first + 1) - (j["years"][1] - j["years"][0] + 1) + 1
    assert (first, last, n) == (1928, 2025, 73)
    assert all(s["monte_carlo"]["paths"] == n for s in j["strategies"])
    note = historical_note(j)
    assert note is not None
    assert "73 paths, one for each start year 1928–2000" in note
    assert "monte_carlo.paths does not apply" in note
    assert "seed" not in note  # fixed lifetimes: every start year, no random draw
    assert f"1/73 ({100 / 73:.1f} points)" in note


def test_the_historical_model_with_random_lifetimes_says_its_success_moves_with_the_seed():
    j = plan_json(make_plan(parse_household(_case(model="historical", lifetimes="random")), LAW))
    n = j["strategies"][0]["monte_carlo"]["paths"]
    assert n < 73  # the longer grid leaves the later start years out
    note = historical_note(j)
    assert note is not None
    assert f"{n} paths, one for each start year 1928–{1927 + n}" in note
    assert "single draw of lifetimes" in note and "move with monte_carlo.seed" in note


def test_no_historical_note_for_the_other_models():
    j = {"strategies": [{"monte_carlo": {"model": "bootstrap", "paths": 10, "success_rate": 0.5}}]}
    assert historical_note(j) is None
    assert historical_note({"strategies": [{"monte_carlo": {}}]}) is None


def test_a_longer_grid_re_deals_the_bootstrap_so_the_words_do_not_promise_the_same_paths():
    short, long = returns.bootstrap(50, 26, 11), returns.bootstrap(50, 39, 11)
    assert (short["stocks"][0] == long["stocks"][0, :26]).all()  # path 0 alone keeps its years
    assert not (short["stocks"][1:] == long["stocks"][1:, :26]).all(axis=1).any()
    doc = inspect.getdoc(longevity.sample_death_years) or ""
    assert "not disturbed" not in doc and "not on common market paths" in doc
    with open("docs/plan.md", encoding="utf-8") as f:
        text = f.read()
    assert "so the market paths of a seed do not change" not in text


def test_the_json_carries_each_success_rate_with_its_standard_error(guardrails_plan):
    # The JSON's monte_carlo blocks and the confidence block: sqrt(p(1-p)/n), figured here.
    _, data = guardrails_plan
    blocks = [s["monte_carlo"] for s in data["strategies"] if s.get("monte_carlo")]
    assert blocks
    for mc in blocks:
        p, n = mc["success_rate"], mc["paths"]
        assert mc["success_rate_se"] == pytest.approx(math.sqrt(p * (1 - p) / n), abs=1e-12)
    c = data["confidence"]
    assert c["success_rate_se"] == pytest.approx(
        math.sqrt(c["success_rate"] * (1 - c["success_rate"]) / c["paths"]), abs=1e-12)


def test_the_historical_models_plus_minus_is_not_called_a_sampling_error():
    # Its start years overlap and are not drawn: the binomial error is a lower bound only.
    words = se_words({"model": "historical", "paths": 62})
    assert "overlap" in words and "another set of paths" not in words
    assert "another set of paths" in se_words({"model": "bootstrap", "paths": 1000})
