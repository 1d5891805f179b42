"""What the docs say of `POST /plan` against `dist401k plan -f json`, and of running the plans.

Before, README.md said the planner page gives "the same figures as `dist401k plan -f json`" and
docs/api.md that a case without `paths` gives "the same answer in both"; but one request's
Monte Carlo is bounded (api.py ``request_paths``: at most 2,000 paths and at most 250,000
simulated path-years), and a shipped plan ran 234 paths through the API against 1,000 on the
command line, with other success rates.  Now the docs say when the two agree and when the bound
applies, and name the shipped plans it cuts with the paths they run.

The bound worked by hand for the two shipped plans it cuts (paths = ⌊250,000 ÷ (years × runs)⌋,
runs = 4 strategies + 1 a guardrail + 35 for a confidence search):
- single-retiree-guardrails.yaml: 26 years (2026–2051), both guardrails and a confidence
  search: 4 + 2 + 35 = 41 runs; 250,000 ÷ (26 × 41 = 1,066) = 234.5 → 234 of its 1,000;
- early-retiree.yaml: 37 years (2026–2062), 4 runs: 250,000 ÷ 148 = 1,689.2 → 1,689 of its
  2,000.

And docs/performance.md gave `dist401k plan examples/plans/*.yaml -f json`, which fails (the
command takes one case) and spoke of "all 11 plans" where 13 are shipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from dist401k.api import request_paths
from dist401k.cli import app
from dist401k.planner.household import parse_household

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted((ROOT / "examples" / "plans").glob("*.yaml"))
CUT_BY_HAND = {"single-retiree-guardrails": (1_000, 234), "early-retiree": (2_000, 1_689)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_shipped_plans_the_bound_cuts_are_those_worked_by_hand():
    cut = {}
    for path in PLANS:
        hh = parse_household(yaml.safe_load(path.read_text()))
        ran, notes = request_paths(hh, None)
        if ran < hh.monte_carlo.paths:
            cut[path.stem] = (hh.monte_carlo.paths, ran)
            assert notes and f"{ran:,} market paths" in notes[0]
    assert cut == CUT_BY_HAND


def test_docs_api_says_when_the_api_and_the_command_line_agree():
    api = _flat((ROOT / "docs" / "api.md").read_text())
    assert "so the same case gives the same answer in both" not in api
    assert "wherever the request runs all the paths asked" in api
    for name, (asked, ran) in CUT_BY_HAND.items():
        assert f"`{name}.yaml` runs {ran:,} of its {asked:,}" in api or \
            f"`{name}.yaml` {ran:,} of its {asked:,}" in api, name
    assert len(PLANS) - len(CUT_BY_HAND) == 11 and "the other eleven run all of theirs" in api


def test_the_readme_does_not_promise_the_same_figures_unconditionally():
    readme = _flat((ROOT / "README.md").read_text())
    assert "(the same figures as `dist401k plan -f json`)" not in readme
    assert "except where a request's Monte Carlo bound runs fewer paths than asked" in readme


def test_performance_md_runs_each_plan_as_its_own_command(tmp_path):
    """`plan` takes one case: two are refused (exit 2); the doc runs one plan a command."""
    a, b = (str(p) for p in PLANS[:2])
    r = CliRunner().invoke(app, ["plan", a, b, "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 2
    perf = _flat((ROOT / "docs" / "performance.md").read_text())
    assert not re.search(r"dist401k plan examples/plans/\*\.yaml", perf)
    assert f"holds {len(PLANS)} plans now" in perf
