"""Every answer that can carry what made it says so: the JSON of `assess`, `compare`, `sepp`,
`plan` and `tax` gives the dist401k version beside the law version; `tax -o x.parquet` carries
the batch files' `dist401k` metadata; the HTML reports name the program's version in their
foot; and `plan -f json` holds no wall-clock time, so the same case gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from dist401k import __version__
from dist401k.cli import app
from dist401k.law import default_law

ROOT = Path(__file__).parents[2]
CASES = ROOT / "examples" / "cases"
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
HOUSEHOLDS = ROOT / "examples" / "households.csv"
runner = CliRunner()


def _ok(args: list) -> str:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r.stdout


def _json(*args) -> dict:
    return json.loads(_ok([*args, "-f", "json"]))


def test_assess_compare_sepp_and_plan_json_name_the_program_beside_the_law():
    law = default_law().version
    answers = {"assess": _json("assess", CASES / "hardship-medical.yaml"),
               "compare": _json("compare", CASES / "hardship-medical.yaml"),
               "sepp": _json("sepp", CASES / "sepp-early-retiree.yaml"),
               "plan": _json("plan", PLAN, "--no-monte-carlo")}
    for command, j in answers.items():
        assert (j["law_version"], j["dist401k_version"]) == (law, __version__), command


def test_tax_json_gives_the_law_and_program_versions():
    """Before, `tax -f json` printed the rows alone (no law version), unlike `POST /tax`."""
    j = _json("tax", HOUSEHOLDS)
    assert (j["law_version"], j["dist401k_version"]) == (default_law().version, __version__)
    with HOUSEHOLDS.open() as f:
        assert len(j["results"]) == sum(1 for _ in f) - 1
    assert {"agi", "income_tax"} <= set(j["results"][0])


def test_tax_parquet_carries_what_made_it(tmp_path):
    out = tmp_path / "tax.parquet"
    _ok(["tax", HOUSEHOLDS, "-o", out])
    meta = pq.read_schema(out).metadata
    assert meta is not None and b"dist401k" in meta, meta
    made = json.loads(meta[b"dist401k"])
    assert made["dist401k_version"] == __version__ and made["law_version"] == default_law().version
    assert made["job"] == "tax"


def test_the_reports_name_the_program_version(tmp_path):
    report, plan = tmp_path / "report.html", tmp_path / "plan.html"
    _ok(["report", CASES / "hardship-medical.yaml", "-o", report])
    _ok(["plan", PLAN, "--no-monte-carlo", "-o", plan])
    for path in (report, plan):
        text = path.read_text()
        assert f"by dist401k {__version__};" in text, path.name
        assert f"law version {default_law().version}" in text, path.name


def _keys(x) -> set[str]:
    if isinstance(x, dict):
        return set(x) | {k for v in x.values() for k in _keys(v)}
    if isinstance(x, list):
        return {k for v in x for k in _keys(v)}
    return set()


def test_plan_json_has_no_wall_clock_time_and_is_the_same_twice():
    first = _ok(["plan", PLAN, "--no-monte-carlo", "-f", "json"])
    assert "seconds" not in _keys(json.loads(first))
    assert _ok(["plan", PLAN, "--no-monte-carlo", "-f", "json"]) == first


def test_the_plan_table_still_says_how_long_the_optimum_took():
    text = " ".join(_ok(["plan", PLAN, "--no-monte-carlo"]).split())
    assert "linear programmes (HiGHS) in " in text and " s. Required:" in text
