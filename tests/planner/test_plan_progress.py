"""A long plan says how far it has got (``make_plan(step=...)``, the command line's progress
bar): each part of the work is reported from none done to all done, never more than its total,
and reporting changes no figure of the plan."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from api.conftest import untimed
from dist401k.cli import app
from dist401k.law import default_law
from dist401k.planner.claiming import EXACT_STEP, PROGRAMME_STEP
from dist401k.planner.household import parse_household
from dist401k.planner.plan import MONTE_CARLO_STEP, OPTIMUM_STEP, make_plan, plan_json

LAW = default_law()
CASE = {"start_year": 2026,
        "people": [{"birth_date": "1962-05-01", "life_expectancy": 88,
                    "social_security": {"monthly_at_full_age": 2400, "claim_age": 67},
                    "accounts": {"ira": 500_000, "roth": 40_000, "roth_first_year": 2010}}],
        "taxable": {"balance": 100_000, "basis": 80_000},
        "spending": {"annual": 45_000},
        "strategy": {"search_claiming": True},
        "monte_carlo": {"paths": 30, "seed": 3, "confidence": 0.9}}


def test_each_long_part_is_reported_from_none_to_all():
    heard: dict[str, list[tuple[int, int]]] = {}
    plan = make_plan(parse_household(CASE), LAW,
                     step=lambda what, done, total: heard.setdefault(what, []).append(
                         (done, total)))
    assert list(heard) == [PROGRAMME_STEP, EXACT_STEP, OPTIMUM_STEP, MONTE_CARLO_STEP,
                           "spending at 90% confidence"]
    for what, steps in heard.items():
        done = [d for d, _ in steps]
        assert done[0] == 0 and done == sorted(done), what
        assert all(0 <= d <= t for d, t in steps), what
        assert steps[-1][0] == steps[-1][1] > 0, what
    assert heard[MONTE_CARLO_STEP][-1] == (len(plan.strategies), len(plan.strategies))
    # Reporting changes nothing: the same plan without anyone listening.
    assert untimed(plan_json(plan)) == untimed(plan_json(make_plan(parse_household(CASE), LAW)))


def test_a_plan_without_long_parts_still_says_it_is_at_work():
    """No claiming search and no Monte Carlo: the optimum and the strategies are one part."""
    heard = []
    make_plan(parse_household({**CASE, "strategy": {}}), LAW, monte_carlo=False,
              step=lambda *a: heard.append(a))
    assert heard == [(OPTIMUM_STEP, 0, 1), (OPTIMUM_STEP, 1, 1)]


def test_the_command_line_prints_no_progress_when_not_on_a_terminal(tmp_path):
    """Piped or captured, the plan's output is the plan alone (the bar shows on a terminal)."""
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(CASE))
    out = CliRunner().invoke(app, ["plan", str(path), "-f", "json"])
    assert out.exit_code == 0, out.output
    assert out.output.lstrip().startswith("{") and "claiming ages" not in out.output
