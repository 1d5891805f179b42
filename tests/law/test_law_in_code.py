"""The law stays in the law files: no legal number in the rules' code, and no law file unread.

Two guards (DESIGN.md, "The law is data"):

* a scan of the syntax tree of the rule modules (``routes/``, ``tax/``, ``outcome.py``,
  ``compare.py``, ``planner/``) finds no numeric literal but those of the allow-lists below,
  each with its reason; a failure names every offending literal by file and line;
* every parameter file under ``law/params`` is read by some rule when the shipped examples,
  a tax batch over every state and filing status, and the drawdown plans are answered
  (``tests/law/test_law_read.py``).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import dist401k

SRC = Path(dist401k.__file__).parent

#: The modules whose code must hold no legal number.
SCANNED = ("routes", "tax", "outcome.py", "compare.py", "planner")

#: Numbers that are never law, wherever they appear.
ALLOWED = {
    0: "zero: nothing, the first position",
    1: "one: a whole, the next position, a count of one",
    -1: "minus one: the last position, a missing index",
    12: "months in a calendar year: ages and dates are counted in whole months (59½ is 714 "
        "months); calendar arithmetic, not a legal period",
    100: "per cent, and a birth month as the key year × 100 + month of a table keyed by birth date",
}

#: Below this magnitude a number is a floating-point tolerance, never a legal figure.
TOLERANCE = 1e-6

#: Small whole numbers used as an index into a fixed axis (``x[..., 2]``) are positions, not
#: amounts: the third bracket rate of a capital-gains schedule is read from the law file.
SMALL_INDEX = 3

#: Module-level named constants that are not law, per file, each with its reason.
NAMED = {
    "planner/claiming.py": {
        "SHORTLIST": "how many claiming choices the search refines: a search setting",
        "REFINE_MONTHS": "the months tried around a choice when refining: a search setting",
    },
    "planner/risk.py": {
        "FAN_PERCENTILES": "the bands a fan chart draws: a chart's choice",
        "CHART_HEIGHT": "a chart's height in pixels",
        "CHART_TOP_MARGIN": "a chart's top margin in pixels",
        "LEGEND_BELOW": "where a chart's legend sits (below the plot, in plot heights)",
    },
    "tax/state/engine.py": {
        "ASCII": "code points of ASCII: the index of a two-letter state code",
    },
    "routes/common.py": {
        "DAYS_PER_YEAR": "the mean calendar year in days: elapsed days to years",
    },
    "routes/rmd.py": {
        "JOINT_KEY": "the joint life table's key, owner age × 1000 + spouse age, as the file "
                     "is keyed",
    },
    "routes/loan.py": {
        "SCHEDULES_KEPT": "how many loan schedules are remembered: a cache size",
    },
}

#: Other numbers allowed in one file, each with its reason.
PER_FILE = {
    "routes/__init__.py": {2: "a reason mask per source has two dimensions [n, S]"},
    "planner/timeline.py": {
        2: "a household is one or two people, and each has two accounts (an IRA and a plan)",
    },
    "planner/returns.py": {2: "a stock share per path and year has at most two dimensions"},
    "planner/risk.py": {2: "paths by years: an array of two dimensions; the median line's width"},
    "tax/state/engine.py": {2: "a state code's two letters"},
    "planner/claiming.py": {4: "a claiming age shown to four decimals (months are twelfths)"},
}

#: Files being rewritten elsewhere, whose literals move to the law in that rewrite: each is
#: still scanned, and its test is expected to fail until the rewrite lands (strict: once the
#: file is clean, remove it from here).  Offending literals at the time of writing are in the
#: test's failure message.
PENDING = {
    "outcome.py": "outcome.py is being split; its literals (issue 20) move to law there",
    "compare.py": "compare.py is being split; its literals (issue 20) move to law there",
    "routes/beneficiary.py": "routes/beneficiary.py is being split",
    "planner/simulate.py": "planner/simulate.py is being rewritten",
    "planner/plan.py": "planner/plan.py is being rewritten",
    "planner/household.py": "planner/household.py is being rewritten",
    "planner/lp.py": "planner/lp.py is being rewritten",
}


def scanned_files() -> list[str]:
    out = []
    for name in SCANNED:
        path = SRC / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        out += [f.relative_to(SRC).as_posix() for f in files]
    return out


def _named_constant_literals(tree: ast.Module, names: dict[str, str]) -> set[int]:
    """Literals inside a module-level assignment to an allowed named constant."""
    out: set[int] = set()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        flat = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
        if flat and all(isinstance(t, ast.Name) and t.id in names for t in flat) and node.value:
            out |= {id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant)}
    return out


def _index_literals(tree: ast.AST) -> set[int]:
    """Small whole numbers in a subscript: positions on a fixed axis."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            for n in ast.walk(node.slice):
                if (isinstance(n, ast.Constant) and type(n.value) is int
                        and abs(n.value) <= SMALL_INDEX):
                    out.add(id(n))
    return out


def offending_literals(rel: str) -> list[str]:
    """``file:line: value`` of every numeric literal of a module that no allow-list covers."""
    text = (SRC / rel).read_text(encoding="utf-8")
    tree = ast.parse(text)
    skip = _index_literals(tree) | _named_constant_literals(tree, NAMED.get(rel, {}))
    allowed = PER_FILE.get(rel, {})
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
            continue
        v = node.value
        if id(node) in skip or v in ALLOWED or v in allowed or 0 < abs(v) < TOLERANCE:
            continue
        bad.append(f"{rel}:{node.lineno}: {v!r}")
    return sorted(bad, key=lambda s: int(s.split(":")[1]))


def _cases():
    for rel in scanned_files():
        marks = ([pytest.mark.xfail(reason=PENDING[rel], strict=True)] if rel in PENDING else [])
        yield pytest.param(rel, id=rel, marks=marks)


@pytest.mark.parametrize("rel", list(_cases()))
def test_no_legal_number_in_the_rules_code(rel):
    bad = offending_literals(rel)
    assert not bad, ("numbers in code (move them to law/params, or name them with a reason in "
                     "tests/law/test_law_in_code.py):\n" + "\n".join(bad))


def test_the_allow_lists_name_files_that_exist_and_are_scanned():
    files = set(scanned_files())
    for table in (NAMED, PER_FILE, PENDING):
        assert set(table) <= files, set(table) - files


def test_every_named_constant_allowed_is_defined_in_its_file():
    for rel, names in NAMED.items():
        tree = ast.parse((SRC / rel).read_text(encoding="utf-8"))
        defined = {t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                   for t0 in (node.targets if isinstance(node, ast.Assign) else [node.target])
                   for t in (t0.elts if isinstance(t0, ast.Tuple) else [t0])
                   if isinstance(t, ast.Name)}
        assert set(names) <= defined, (rel, set(names) - defined)


def test_the_scan_finds_a_legal_number(tmp_path, monkeypatch):
    # The scan itself: a rule that writes the 10% additional tax in code is caught, with its line.
    rule = tmp_path / "routes" / "made_up.py"
    rule.parent.mkdir()
    rule.write_text('"""A rule."""\nRATE = 0.10\n\n\ndef tax(x):\n    return x * 0.10 + x[2]\n')
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    assert offending_literals("routes/made_up.py") == [
        "routes/made_up.py:2: 0.1", "routes/made_up.py:6: 0.1"]
