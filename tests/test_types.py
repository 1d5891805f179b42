"""The type checker over ``src/``: ``make test`` (and so CI) fails on a type error.

mypy runs with the configuration of pyproject.toml (``[tool.mypy]``: Python 3.11, the pydantic
plugin, untyped functions checked too).  A second run on a file with a known error shows that
the configuration still reports errors, so the clean run is not clean because nothing is
checked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=1800)


@pytest.mark.slow
def test_src_is_clean_under_the_type_checker():
    run = _mypy()  # the files of [tool.mypy]: src
    assert run.returncode == 0, f"mypy found type errors in src/:\n{run.stdout}{run.stderr}"
    checked = re.search(r"no issues found in (\d+) source files", run.stdout)
    assert checked, run.stdout + run.stderr
    assert int(checked.group(1)) == len(list(SRC.rglob("*.py"))), (
        f"mypy did not check every module of src/: {run.stdout}")


def test_the_configuration_reports_an_error(tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def cents(amount: float) -> int:\n    return round(amount, 2)\n")
    run = _mypy("--no-incremental", str(wrong))
    assert run.returncode == 1, run.stdout + run.stderr
    assert 'Incompatible return value type (got "float", expected "int")' in run.stdout, run.stdout
