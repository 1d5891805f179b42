"""The plan's outputs, from a review of the planner and its page:

* with random lifetimes the fan chart's last years rested on one or two paths still going (a
  couple's median jumped from $0 to $1.47 million at 108 and 106): each year's paths still
  going are given, and no percentile is given from fewer than the plan's minimum — 20 paths
  (100 ÷ 5: the fewest of which the 5th percentile is more than the lowest path) and 5% of the
  paths run;
* ``--paths 0`` is no Monte Carlo on the command line, as ``paths=0`` is through the API;
* ``monte_carlo.confidence`` asked with no Monte Carlo is said not to be figured, and on fewer
  paths than its target needs to let one fail (1 ÷ (1 − target)) no "±0.0 points" is printed;
* inputs that do nothing are said (``marketplace.last_year`` past Medicare, a
  ``life_expectancy`` under ``horizon.survival``) or refused (``guardrails.initial_spending:
  0``);
* docs/plan.md says a one-person plan has no widow's benefit on a late spouse's record.

Every expected figure is worked by hand in its test."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.confidence import fewest_paths
from dist401k.planner.household import parse_household
from dist401k.planner.plan import (
    _monte_carlo_json,
    fan_minimum,
    marketplace_notes,
    unused_input_notes,
)
from dist401k.planner.timeline import build_timeline

ROOT = Path(__file__).parents[2]
LAW = default_law()


def _ended(alive_by_year: list[int], paths: int = 40) -> np.ndarray:
    """(paths, years): on each year the first ``alive`` paths hold 0, 1, 2 … and the rest have
    ended (NaN)."""
    a = np.full((paths, len(alive_by_year)), np.nan)
    for t, n in enumerate(alive_by_year):
        a[:n, t] = np.arange(n)
    return a


def test_the_fan_gives_each_year_s_paths_going_and_no_percentile_from_too_few():
    """40 paths; 40, 20 and 19 still going.  Percentiles by linear interpolation (as
    numpy.percentile): of 0 … 39 the median is at position 0.5 × 39 = 19.5 → 19.5, the 5th
    percentile at 0.05 × 39 = 1.95 → 1.95; of 0 … 19 the median is 9.5 and the 5th 0.95.  The
    minimum is max(20, 5% of 40 = 2) = 20: 20 paths are enough, 19 are not (null)."""
    mc = {"paths": 40, "lifetimes": "random", "years": [2060, 2062],
          "balance_paths": _ended([40, 20, 19])}
    j = _monte_carlo_json(mc)
    fan = j["balance_percentiles_by_year"]
    assert fan["p50"] == [19.5, 9.5, None]
    assert fan["p5"] == [1.95, 0.95, None]
    assert fan["p95"] == [37.05, 18.05, None]
    assert j["paths_alive_by_year"] == [40, 20, 19]
    assert j["paths_alive_minimum"] == 20
    json.dumps(j, allow_nan=False)


def test_the_fan_minimum_is_twenty_paths_or_five_percent_of_them():
    """20 below 400 paths; 5% above: 1,500 paths → 75; 401 → 20.05 → 21 (at least 5%)."""
    assert [fan_minimum(n) for n in (1, 118, 400, 401, 1500, 2000)] == [20, 20, 20, 21, 75, 100]


def test_fixed_lifetimes_keep_their_fan():
    """Every path runs every year: no count of paths going, every percentile given."""
    a = np.arange(10.0).reshape(10, 1) * np.ones((1, 3))
    j = _monte_carlo_json({"paths": 10, "balance_paths": a})
    assert "paths_alive_by_year" not in j and "paths_alive_minimum" not in j
    assert j["balance_percentiles_by_year"]["p50"] == [4.5, 4.5, 4.5]


def test_the_report_fan_stops_where_too_few_paths_are_going():
    """The report's fan chart: the year with 19 of 40 paths going has no band or median, and
    its title says from how many paths the percentiles are shown."""
    from dist401k.plan_report import _fan

    fig = _fan(np.array([2060, 2061, 2062]), _ended([40, 20, 19]), "Total balance", "dollars",
               True)
    median = next(t for t in fig.data if t.name == "median")
    assert list(median.y[:2]) == [19.5, 9.5]
    assert median.y[2] is None or np.isnan(median.y[2])
    assert "shown while at least 20 are" in fig.layout.title.text


def test_paths_0_on_the_command_line_is_no_monte_carlo():
    """``--paths 0`` was refused ("must be at least 1") though the API takes ``paths=0``: it
    gives the bytes of ``--no-monte-carlo``."""
    case = str(ROOT / "examples" / "plans" / "single-retiree.yaml")
    zero = CliRunner().invoke(app, ["plan", case, "--paths", "0", "-f", "json"])
    assert zero.exit_code == 0, zero.output
    none = CliRunner().invoke(app, ["plan", case, "--no-monte-carlo", "-f", "json"])
    assert zero.stdout == none.stdout
    assert all(s["monte_carlo"] == {} for s in json.loads(zero.stdout)["strategies"])


def _confidence_case(tmp_path: Path) -> str:
    d = yaml.safe_load((ROOT / "examples" / "plans" / "single-retiree.yaml").read_text())
    d.setdefault("monte_carlo", {})["confidence"] = 0.9
    path = tmp_path / "confidence.yaml"
    path.write_text(yaml.safe_dump(d))
    return str(path)


def test_a_confidence_asked_with_no_monte_carlo_is_said_not_figured(tmp_path):
    r = CliRunner().invoke(app, ["plan", _confidence_case(tmp_path), "--no-monte-carlo", "-f",
                                 "json"])
    assert r.exit_code == 0, r.output
    j = json.loads(r.stdout)
    assert "confidence" not in j
    assert any(a.startswith("monte_carlo.confidence (90%) is not figured") and "none were run" in a
               for a in j["assumptions"])


def test_fewest_paths_lets_one_path_fail():
    """n × (1 − target) ≥ 1: 90% → 10, 95% → 20, 99% → 100, 80% → 5, 50% → 2."""
    assert [fewest_paths(t) for t in (0.9, 0.95, 0.99, 0.8, 0.5)] == [10, 20, 100, 5, 2]


def test_a_confidence_on_two_paths_prints_no_standard_error(tmp_path):
    """On 2 paths a 90% target lets no path fail (10 are needed): the answer is what both pay,
    its standard error √(1 × 0 / 2) = 0; the terminal says too few paths instead of "±0.0
    points", and the assumptions say why."""
    r = CliRunner().invoke(app, ["plan", _confidence_case(tmp_path), "--paths", "2"],
                           env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    line = text[text.index("At 90% confidence:"):]
    assert "too few paths for this target" in line[:400]
    assert "±0.0" not in line[:400]
    assert "it lets a path fail only from 10 paths" in text


def test_initial_spending_0_is_refused():
    d = {"start_year": 2026, "people": [{"birth_date": "1960-03-01", "accounts": {"pretax": 5e5}}],
         "guardrails": {"guyton_klinger": True, "initial_spending": 0}}
    with pytest.raises(InputError, match=r"guardrails\.initial_spending: must be more than 0"):
        parse_household(d)


def test_marketplace_last_year_past_medicare_is_said():
    """Born 1968-05-15: Medicare from May 2033 (65), so January–April 2033 is the last
    coverage; a last year of 2040 is said to end in 2033, one of 2033 says nothing."""
    def notes(last: int) -> list[str]:
        hh = parse_household({"start_year": 2026, "people": [
            {"birth_date": "1968-05-15", "accounts": {"pretax": 500000}}],
            "marketplace": {"benchmark_premium": 9000, "last_year": last}})
        return marketplace_notes(hh, build_timeline(hh, LAW), LAW)

    (said,) = notes(2040)
    assert said.startswith("marketplace.last_year (2040) is past Medicare")
    assert "ends in 2033" in said
    assert notes(2033) == []


def test_a_life_expectancy_under_a_survival_horizon_is_said_unused():
    person = {"birth_date": "1960-03-01", "sex": "female", "accounts": {"pretax": 500000}}
    given = parse_household({"start_year": 2026, "horizon": {"survival": 0.9},
                             "people": [{**person, "life_expectancy": 80}]})
    assert unused_input_notes(given) == [
        "people.0.life_expectancy (80) is not used: horizon.survival (90%) sets where the plan "
        "ends instead."]
    assert unused_input_notes(parse_household({"start_year": 2026, "horizon": {"survival": 0.9},
                                               "people": [person]})) == []


def test_the_docs_say_a_widow_s_benefit_is_not_modelled_for_one_person():
    text = (ROOT / "docs" / "plan.md").read_text()
    section = text[text.index("## Not modelled"):]
    assert "42 U.S.C. §402(e), (f)" in section[:3000]
    assert "one-person plan's" in " ".join(section[:3000].split())
    assert "`monte_carlo.paths_alive_by_year`" in text and "`monte_carlo.paths_alive_minimum`" in text
