"""A file that cannot be read is named in the error as the user typed it where its own name
says nothing: `.` (whose name is empty) and a folder (whose last part, `tmp` of `/tmp`, is not
what was typed).  Every command that reads a file is checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app

runner = CliRunner()

#: Each command that reads a file, with the arguments around the file (``{out}``: a folder for
#: its output).
READERS = {
    "assess": ["assess", "{path}"],
    "assess-two": ["assess", str(Path(__file__).parents[2] / "examples" / "cases"
                                 / "rule-of-55.yaml"), "{path}"],
    "compare": ["compare", "{path}"],
    "sepp": ["sepp", "{path}"],
    "report": ["report", "{path}", "-o", "{out}/report.html"],
    "plan": ["plan", "{path}"],
    "tax": ["tax", "{path}"],
    "batch": ["batch", "{path}", "--job", "rmd", "-o", "{out}/rmd.csv"],
}


def error_line(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, r.output
    return lines[0]


@pytest.mark.parametrize("command", sorted(READERS))
def test_the_current_folder_is_named_dot(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    args = [a.format(path=".", out="out") for a in READERS[command]]
    line = error_line(args)
    assert line.startswith("error: .: is a folder, not a"), line


@pytest.mark.parametrize("command", sorted(READERS))
def test_a_folder_is_named_by_its_whole_path(command, tmp_path):
    folder = tmp_path / "tmp"
    folder.mkdir()
    (tmp_path / "out").mkdir()
    args = [a.format(path=str(folder), out=str(tmp_path / "out")) for a in READERS[command]]
    line = error_line(args)
    assert line.startswith(f"error: {folder}: is a folder, not a"), line


def test_a_file_is_still_named_by_its_name(tmp_path):
    """A file that is there but is not a case keeps the short name (as before)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n")
    assert error_line(["assess", str(bad)]).startswith("error: bad.yaml: ")
