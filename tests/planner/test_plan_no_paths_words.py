"""``monte_carlo: {paths: 0}`` in a plan file is refused — the file is checked before the
command's ``--paths`` replaces its paths — while ``--paths 0``, ``--no-monte-carlo`` and the
API's ``?paths=0`` are the documented ways to plan without Monte Carlo (docs/plan.md, docs/api.md).
The refusal said only "must be at least 1"; it now says how to skip Monte Carlo, in the same
words on the command line (exit 2) and from ``POST /plan`` (422)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
WORDS = ("must be at least 1 (to plan without Monte Carlo, leave it out and run "
         "`dist401k plan --no-monte-carlo` or `--paths 0`, or POST /plan?paths=0)")


def _case(paths) -> dict:
    d = yaml.safe_load((ROOT / "examples" / "plans" / "single-retiree.yaml").read_text())
    d["monte_carlo"]["paths"] = paths
    return d


@pytest.mark.parametrize("paths", [0, -5])
def test_no_paths_in_a_file_says_how_to_skip_monte_carlo_on_the_command_line(tmp_path, paths):
    path = tmp_path / "zero.yaml"
    path.write_text(yaml.safe_dump(_case(paths)))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert r.output == f"error: {path.name}: monte_carlo.paths: {WORDS}\n"


def test_no_paths_in_a_request_says_the_same_from_the_api(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""))
    body = json.dumps(_case(0), default=str)  # the file's dates as JSON writes them
    r = client.post("/plan", content=body, params={"paths": 0},
                    headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert [(d["loc"], d["msg"]) for d in r.json()["detail"]] == [
        (["body", "monte_carlo", "paths"], WORDS)]


def test_what_the_words_say_works(tmp_path):
    """Leaving ``paths`` out and running ``--paths 0`` plans without Monte Carlo: no strategy
    has Monte Carlo figures."""
    d = _case(0)
    del d["monte_carlo"]["paths"]
    path = tmp_path / "none.yaml"
    path.write_text(yaml.safe_dump(d))
    r = CliRunner().invoke(app, ["plan", str(path), "--paths", "0", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert all(s["monte_carlo"] == {} for s in json.loads(r.stdout)["strategies"])
