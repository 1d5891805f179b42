"""The case's input checks read rules that sit below the case, never an outcome (DESIGN.md,
"Shape of the code": input → case → law → routes → outcomes; "nothing below reaches up").

The IRA contribution limit that bounds a backdoor Roth's nondeductible contribution (IRC
§219(b)(1), (b)(5), (c); §408(o)(2)(B)) and the refusal of an elected state withholding rate
(a state that taxes no plan distribution withholds none) are input rules: the case model and the
flat batch's checks read them from their own modules, which Form 8606 and the state withholding
outcome read too.  Their verdicts are unchanged (tests/forms, tests/api keep them)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import dist401k

SRC = Path(dist401k.__file__).parent
#: Outcome modules the input layer must not import (directly or inside a function).
OUTCOMES = ("dist401k.form_8606", "dist401k.state_withholding", "dist401k.outcome")
#: What the case alone must not load either: basis recovery and the batch it reads (the cycle
#: form_8606 → basis → batch → case that an import inside a function hid).
ABOVE_THE_CASE = (*OUTCOMES, "dist401k.basis", "dist401k.batch")


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("name", ["case.py", "flat.py"])
def test_the_input_layer_imports_no_outcome(name):
    reached = sorted(_imported(SRC / name) & set(OUTCOMES))
    assert not reached, f"{name} imports {reached}"


@pytest.mark.parametrize("module, above", [("dist401k.case", ABOVE_THE_CASE),
                                           ("dist401k.flat", OUTCOMES)])
def test_importing_the_input_layer_loads_no_outcome(module, above):
    """A fresh interpreter: importing the case (or the flat reader) leaves the outcome modules
    unloaded."""
    code = (f"import sys, {module}\n"
            f"print(sorted(m for m in {above!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(SRC.parent)})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_rules_live_in_modules_named_after_their_law():
    from dist401k import ira_contribution_limit as limit
    from dist401k import withholding_elections as elections

    assert callable(limit.contribution_limit) and callable(limit.over_limit)
    assert callable(limit.over_limit_words) and callable(elections.election_refused)
    assert elections.ELECTION_NEEDS_STATE.startswith("needs person.state")


def test_the_case_imports_no_table_reader():
    """The case model took a refusal's words from the table reader (``dist401k.io.tables``,
    the door that reads CSV and Parquet files): the words live in ``dist401k.errors``, below
    every door."""
    assert "dist401k.io.tables" not in _imported(SRC / "case.py")
