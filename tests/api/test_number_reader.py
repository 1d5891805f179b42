"""The web pages' one reader of number fields (common.js ``readNumber``), run by node without a
page: what people type and paste for money is read ("$1,200,000", "70k", "1.2m"), a percent sign
only where a percent is asked, and anything else named, never dropped. The expected values are
the entries worked by hand (k = × 1,000, m = × 1,000,000)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

COMMON_JS = Path(__file__).parents[2] / "src" / "dist401k" / "web" / "common.js"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def read(entries: list[tuple[str, bool]]) -> list[dict]:
    """``readNumber(text, percent)`` of each entry: common.js's top level only defines (no page
    is needed), and ``readNumber`` is read from a sandbox."""
    script = ("const vm = require('vm'); const fs = require('fs');"
              "const box = {}; vm.createContext(box);"
              f"vm.runInContext(fs.readFileSync({json.dumps(str(COMMON_JS))}, 'utf8') + "
              "';globalThis.__read = readNumber;', box);"
              f"process.stdout.write(JSON.stringify({json.dumps(entries)}"
              ".map(([t, p]) => box.__read(t, p))));")
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60,
                          check=True)
    return json.loads(done.stdout)


READ = [
    ("$1,200,000", False, 1_200_000), ("1,200,000", False, 1_200_000), ("1200000", False, 1_200_000),
    ("70k", False, 70_000), ("70K", False, 70_000), ("1.2m", False, 1_200_000),
    ("1.2M", False, 1_200_000), ("1.1m", False, 1_100_000), ("0.04M", False, 40_000),
    (" 5000 ", False, 5_000), ("$ 70 k", False, 70_000), ("1,200.50", False, 1_200.5),
    ("-5", False, -5), ("-$5", False, -5), ("$-5", False, -5), (".5", False, 0.5),
    ("4%", True, 4), ("3.81 %", True, 3.81), ("4", True, 4),
]


def test_what_people_type_for_money_is_read():
    got = read([(t, p) for t, p, _ in READ])
    assert got == [{"value": v} for _, _, v in READ]


def test_a_blank_is_no_value():
    assert read([("", False), ("   ", True)]) == [{"value": None}, {"value": None}]


@pytest.mark.parametrize(("text", "percent", "error"), [
    ("70x", False, "Not a number: 70x."),
    ("2O26", False, "Not a number: 2O26."),  # a letter O for a zero
    ("1,2,3", False, "Not a number: 1,2,3."),  # commas not between groups of three
    ("12,00", False, "Not a number: 12,00."),
    ("1.2.", False, "Not a number: 1.2."),  # ends with its own full stop, not two
    ("--5", False, "Not a number: --5."),
    ("-$-5", False, "Not a number: -$-5."),
    ("$", False, "Not a number: $."),
    ("k", False, "Not a number: k."),
    ("NaN", False, "Not a number: NaN."),
    ("Infinity", False, "Not a number: Infinity."),
    ("1e400", False, "Not a number: 1e400."),
    ("4%", False, "Not a number: 4% (a percent is not asked here)."),
    ("4%%", True, "Not a number: 4%%."),
])
def test_what_cannot_be_read_is_named(text, percent, error):
    assert read([(text, percent)]) == [{"error": error}]
