"""No amount is ever "-0": a rounding leftover below half a cent is 0 in every output."""

from __future__ import annotations

import json
import math
from pathlib import Path

from typer.testing import CliRunner

from dist401k.cli import app as cli
from dist401k.money import cents

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "pennsylvania-retiree-60.yaml"


def test_cents_of_a_leftover_is_positive_zero():
    for x in (-1e-12, -0.004, -0.0):
        assert math.copysign(1.0, float(cents(x))) == 1.0
    assert float(cents(-0.005)) == -0.01  # half a cent rounds away from zero, as before


def test_the_pennsylvania_example_prints_no_minus_zero():
    """The Pennsylvania retiree's IRA and other-plan rows (money from two sources) printed
    "check received -0" and JSON -0.0 before."""
    out = CliRunner().invoke(cli, ["assess", str(EXAMPLE), "-f", "json"])
    assert out.exit_code == 0, out.output

    def walk(v):
        if isinstance(v, float):
            assert not (v == 0 and math.copysign(1.0, v) < 0)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(json.loads(out.stdout))
    table = CliRunner().invoke(cli, ["assess", str(EXAMPLE)], env={"COLUMNS": "200"})
    assert " -0 " not in table.stdout and not table.stdout.rstrip().endswith("-0")
