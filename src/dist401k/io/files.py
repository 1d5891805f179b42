"""Reading one case from a YAML or JSON file, with errors that name the file and the problem.

Whatever the file holds — not UTF-8 text, a folder, nesting hundreds of levels deep, a date
the calendar lacks — the answer is an :class:`InputError` on field ``file`` (or, for a value,
the case model's own field error), never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import yaml

from dist401k.errors import FieldProblem, InputError

# A case nests a few levels (case → plan → provisions → source); anything far deeper is not a
# case, and refusing it here keeps the model's validators out of Python's recursion limit.
MAX_NESTING = 64


class CaseYamlLoader(yaml.SafeLoader):
    """The safe YAML loader without the timestamp resolver: an unquoted ``2026-02-30`` stays
    the string it is, so the case model checks the date and names the field (PyYAML would
    otherwise build a ``date`` and fail on an impossible one with a ValueError)."""


CaseYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _problem(path: Path, problem: str) -> InputError:
    return InputError(FieldProblem("file", f"{path.name}: {problem}"))


def nesting_depth(data: object) -> int:
    """How deep lists and mappings nest in ``data`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[object]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((c, depth + 1) for c in children)
    return deepest


def read_text_file(path: str | Path) -> str:
    """The UTF-8 text of ``path``, or :class:`InputError` on field ``file`` saying why not."""
    path = Path(path)
    if not path.exists():
        raise _problem(path, "no such file")
    if path.is_dir():
        raise _problem(path, "is a folder, not a file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _problem(path, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise _problem(path, f"cannot be read: {exc.strerror or exc}") from None


def read_case_file(path: str | Path) -> dict:
    """The mapping a YAML or JSON case file holds, or :class:`InputError` on field ``file``."""
    path = Path(path)
    text = read_text_file(path)
    is_json = path.suffix.lower() == ".json"
    kind = "JSON" if is_json else "YAML"
    try:
        data = json.loads(text) if is_json else yaml.load(text, Loader=CaseYamlLoader)  # noqa: S506
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        one_line = " ".join(str(exc).split())
        raise _problem(path, f"is not valid {kind}: {one_line}") from None
    except RecursionError:
        raise _problem(path, f"nests deeper than {MAX_NESTING} levels: not a case") from None
    if not isinstance(data, dict):
        raise _problem(path, "must hold one case (a mapping)")
    if nesting_depth(data) > MAX_NESTING:
        raise _problem(path, f"nests deeper than {MAX_NESTING} levels: not a case")
    return data
