"""README's bad-input example runs as printed: `dist401k tax examples/bad.csv` refuses the file
with the row, the column and the problem, and exit status 2 — the same lines README shows."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from dist401k.cli import app

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_bad_csv_block_is_what_the_command_prints(monkeypatch):
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```\n\$ dist401k tax examples/bad\.csv\n(.*?)```", readme, re.S)
    assert block, "README shows the bad-input example"
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(app, ["tax", "examples/bad.csv"])
    assert r.exit_code == 2
    assert r.output.splitlines() == block.group(1).rstrip("\n").splitlines()
