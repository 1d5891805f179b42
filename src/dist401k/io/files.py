"""Reading one case or drawdown plan from a YAML or JSON file, with errors that name the file
and the problem.

Whatever the file holds — not UTF-8 text, a folder, nesting hundreds of levels deep, a date
the calendar lacks, a file of another kind (a drawdown plan given where a case is read) — the
answer is an :class:`InputError` on field ``file`` (or, for a value, the model's own field
error), never a traceback.
"""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import stat
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from dist401k.errors import GIVEN_TWICE, TOO_LARGE, FieldProblem, InputError, Refused

# A case nests a few levels (case → plan → provisions → source); anything far deeper is not a
# case, and refusing it here keeps the model's validators out of Python's recursion limit.
MAX_NESTING = 64

#: The most values (mappings, lists and scalars, counted as often as YAML aliases repeat them)
#: a case or plan file may hold: a shipped case holds a few hundred, a plan file a few thousand.
#: Ten YAML lines of aliases can stand for a billion values ("billion laughs"); they are
#: counted, never expanded, and refused.
MAX_VALUES = 100_000

#: The setting of the most bytes a request body (the API) or a case or plan file (the command
#: line) may hold: one limit, so that a case the API takes is a case a file may hold
#: (docs/api.md, docs/reliability.md).
MAX_BODY_ENV = "DIST401K_MAX_BODY_BYTES"
#: Its value where it is not set: a bound on input, not law.
DEFAULT_MAX_BODY_BYTES = 1_000_000


class SettingError(ValueError):
    """An environment setting that cannot be read: one line naming the variable and the
    problem (`dist401k serve` prints it and exits 2 before it starts)."""


#: The most digits a body limit may have: 10**18 bytes is beyond any machine.
MAX_BODY_DIGITS = 18


def max_body_bytes(setting: str | None = None) -> int:
    """The body and file size limit of ``setting`` (default: ``DIST401K_MAX_BODY_BYTES``;
    unset or blank: :data:`DEFAULT_MAX_BODY_BYTES`): a whole number of bytes, at least 1, in
    digits (``2000000``, not ``2MB`` or ``2e6``); anything else is a :class:`SettingError`
    naming the variable (it was a bare ``int()``, whose traceback stopped every command)."""
    raw = os.environ.get(MAX_BODY_ENV, "") if setting is None else setting
    text = raw.strip()
    if not text:
        return DEFAULT_MAX_BODY_BYTES
    shown = text if len(text) <= 40 else text[:40] + "…"
    if not (text.isascii() and text.isdigit()):
        raise SettingError(f"{MAX_BODY_ENV}: {shown!r} is not a whole number of bytes "
                           f"(write it in digits, e.g. {DEFAULT_MAX_BODY_BYTES})")
    digits = text.lstrip("0")
    if len(digits) > MAX_BODY_DIGITS:  # more bytes than any machine holds (and than int() reads)
        raise SettingError(f"{MAX_BODY_ENV}: {shown!r} is more bytes than this machine can hold "
                           f"(at most {MAX_BODY_DIGITS} digits)")
    if not digits:
        raise SettingError(f"{MAX_BODY_ENV}: must be at least 1 byte")
    return int(digits)

#: The most digits Python converts to an integer (its int-str limit): a longer integer literal
#: is beyond any float, read as an infinity and refused, naming its field, like ``1e400``.
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300


class CaseYamlLoader(yaml.SafeLoader):
    """The safe YAML loader without the timestamp resolver: an unquoted ``2026-02-30`` stays
    the string it is, so the case model checks the date and names the field (PyYAML would
    otherwise build a ``date`` and fail on an impossible one with a ValueError)."""


CaseYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _beyond_digits(text: str) -> float | None:
    """±infinity for a decimal integer literal longer than Python reads (beyond any float:
    refused by the model as a number that is not finite, naming the field), else None."""
    digits = text.lstrip("+-").replace("_", "")
    if len(digits) > _MAX_DIGITS and digits.isdigit():
        return -math.inf if text.startswith("-") else math.inf
    return None


def big_int(text: str) -> int | float:
    """A JSON integer literal as an int, or ±infinity where it is too long to read."""
    beyond = _beyond_digits(text)
    return int(text) if beyond is None else beyond


def case_int(text: str) -> int | Refused:
    """An integer literal of a case or plan file as an int; one too long to read (beyond any
    float, as one of 400 digits is) stands for a number too large, refused by the model naming
    its field in the words of every door."""
    return int(text) if _beyond_digits(text) is None else _TOO_LONG


_TOO_LONG = Refused(TOO_LARGE)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    # An explicit ``!!timestamp`` stays text too: the model's one date parser checks it.
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _int_or_too_large(loader: yaml.SafeLoader, node: yaml.Node) -> int | Refused:
    beyond = _beyond_digits(str(loader.construct_scalar(node)))  # type: ignore[arg-type]
    return loader.construct_yaml_int(node) if beyond is None else _TOO_LONG  # type: ignore[arg-type]


def _refusing_errors(construct):
    """A scalar constructor whose failure (``!!bool maybe``, ``!!float x``: PyYAML's own
    ValueError, KeyError …) is a YAML error with its line, not a defect."""
    def constructed(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            raise ConstructorError(None, None, f"a !!{node.tag.rsplit(':', 1)[-1]} value "
                                   "that cannot be read", node.start_mark) from None
    return constructed


for _tag, _construct in list(yaml.SafeLoader.yaml_constructors.items()):
    if _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:binary", "tag:yaml.org,2002:null"):
        CaseYamlLoader.add_constructor(_tag, _refusing_errors(_construct))
CaseYamlLoader.add_constructor("tag:yaml.org,2002:int", _refusing_errors(_int_or_too_large))
CaseYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_yaml(text: str) -> tuple[Any, list[tuple]]:
    """The value of a YAML case or plan (:class:`CaseYamlLoader`) and the path of each key
    given twice in one mapping, found in the composed nodes before anything is built (PyYAML
    would keep the last value silently).  A merge key (``<<``) is not a key given twice."""
    loader = CaseYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        twice = _yaml_keys_given_twice(node)
        return loader.construct_document(node), twice
    finally:
        loader.dispose()


def _yaml_keys_given_twice(root: yaml.Node) -> list[tuple]:
    """Each key given twice in a mapping node under ``root``, as its path; each node looked at
    once, however often aliases repeat it, and without recursion."""
    out: list[tuple[int, tuple]] = []  # (where in the text, path)
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[tuple[str, str]] = set()
            for key, value in node.value:
                name = (key.tag, key.value) if isinstance(key, yaml.ScalarNode) else None
                if name is not None and key.tag != "tag:yaml.org,2002:merge":
                    if name in keys:
                        out.append((key.start_mark.index, _path(where, key.value)))
                    keys.add(name)
                if isinstance(value, yaml.CollectionNode):
                    stack.append((value, (where, str(key.value))))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (where, i)) for i, v in enumerate(node.value)
                         if isinstance(v, yaml.CollectionNode))
    return [path for _, path in sorted(out, key=lambda found: found[0])]


class _KeysTwice(dict):
    """A JSON object in which some key was given twice: ``twice`` names them."""

    twice: list[str]


def load_json(text: str, **hooks: Any) -> tuple[Any, list[tuple]]:
    """The value of a JSON text (integers too long to read: ``parse_int``, :func:`big_int` by
    default) and the path of each key given twice in one object (Python's reader would keep
    the last value silently).  Objects are looked through only where a key was given twice."""
    flagged = False

    def pairs(items: list[tuple[str, Any]]) -> dict:
        nonlocal flagged
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        flagged = True
        marked = _KeysTwice(obj)
        marked.twice = [k for k, n in Counter(k for k, _ in items).items() if n > 1]
        return marked

    value = json.loads(text, object_pairs_hook=pairs, **{"parse_int": big_int, **hooks})
    return value, (_json_keys_given_twice(value) if flagged else [])


def _json_keys_given_twice(value: Any) -> list[tuple]:
    out = []
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            out += [_path(where, k) for k in getattr(item, "twice", ())]
            children = [(v, (where, k)) for k, v in item.items() if isinstance(v, dict | list)]
        elif isinstance(item, list):
            children = [(v, (where, i)) for i, v in enumerate(item)
                        if isinstance(v, dict | list)]
        else:
            continue
        stack.extend(reversed(children))  # in the order of the text
    return out


def _path(where: tuple, key: Any) -> tuple:
    """The path (keys from the top) of ``key`` in the container at ``where``, a linked
    (parent, key) pair: built only for a key reported, so a deep file costs no more.  A
    mapping's key is its text, a list's position an integer, as pydantic's ``loc`` has them
    (docs/api.md: the API's 422 ``loc``), so a key ``"0"`` and a position 0 stay apart."""
    parts = [key]
    while where:
        where, part = where
        parts.append(part)
    return tuple(parts[::-1])


def given_twice(paths: list[tuple], row: int | None = None) -> InputError:
    """The refusal of the keys given twice, each named by its dotted path
    (``people.0.life_expectancy``: :func:`dotted`)."""
    return InputError([FieldProblem(dotted(p), GIVEN_TWICE, row) for p in paths])


def dotted(path: Iterable[str | int]) -> str:
    """A path of keys and list positions as the command line and the batch name a field:
    ``("people", 0, "life_expectancy")`` → ``people.0.life_expectancy``."""
    return ".".join(str(part) for part in path)


def _problem(path: Path, problem: str) -> InputError:
    return InputError(FieldProblem("file", f"{path.name}: {problem}"))


def _children(item: object) -> Iterable[object]:
    if isinstance(item, dict):
        return item.values()
    return item if isinstance(item, list) else ()


def shape(data: object) -> tuple[float, float]:
    """(how deep lists and mappings nest in ``data``, how many values it holds), counting a
    list or mapping that YAML aliases share as often as it appears, but measuring it once:
    linear in the file, not in what its aliases stand for, and iterative (no recursion
    limit).  A list that holds itself is infinitely deep.  Stops early, once past
    :data:`MAX_NESTING` or :data:`MAX_VALUES`."""
    measured: dict[int, tuple[float, float]] = {}
    open_now: set[int] = set()  # the containers whose measure is under way: the path here
    stack: list[tuple[object, bool]] = [(data, False)]
    while stack:
        item, children_done = stack.pop()
        if not isinstance(item, dict | list) or (not children_done and id(item) in measured):
            continue
        key = id(item)
        if not children_done:
            if key in open_now:  # an alias to a container that holds it
                return math.inf, math.inf
            open_now.add(key)
            stack.append((item, True))
            stack.extend((c, False) for c in _children(item))
            continue
        inner = [measured[id(c)] if isinstance(c, dict | list) else (0, 1)
                 for c in _children(item)]
        depth = 1 + max((d for d, _ in inner), default=0)
        values = 1 + sum(v for _, v in inner)
        open_now.discard(key)
        measured[key] = (depth, values)
        if depth > MAX_NESTING or values > MAX_VALUES:
            return depth, values
    return measured.get(id(data), (0, 1))


def nesting_depth(data: object) -> float:
    """How deep lists and mappings nest in ``data`` (:func:`shape`)."""
    return shape(data)[0]


@dataclass(frozen=True)
class FileKind:
    """A kind of file the commands read: what it is called (``a case``), the top-level keys
    its model requires (a file holding none of them is no file of this kind), and what to do
    with such a file (``run `dist401k assess {path}```, ``{path}`` the file as typed)."""

    called: str
    keys: tuple[str, ...]
    use: str

    def use_for(self, path: str | Path) -> str:
        """What to do with the file at ``path`` (quoted for the shell where it must be)."""
        return self.use.format(path=shlex.quote(str(path)))


#: A case (`dist401k assess`, `compare`, `report`, `sepp`): the case model's required fields.
CASE = FileKind("a case", ("person", "plan", "account", "request"),
                "run `dist401k assess {path}`")
#: A drawdown plan (`dist401k plan`, docs/plan.md): the household model's required fields.
PLAN = FileKind("a drawdown plan", ("start_year", "people"), "run `dist401k plan {path}`")
#: The body of ``POST /tax`` (``{"units": [...]}``), which `dist401k tax` reads as its rows.
TAX_REQUEST = FileKind("a tax request", ("units",),
                       "give its units to `dist401k tax` as a table (a .json array of units, "
                       "JSON Lines, .csv or .parquet)")
#: The rows of `dist401k tax` (one tax unit a row): a tax unit's required columns.
TAX_UNITS = FileKind("a table of tax units", ("tax_year", "filing_status"),
                     "run `dist401k tax {path}`")
#: The kinds a file given to another door is recognised as (:func:`other_kind`).
KNOWN_KINDS = (CASE, PLAN, TAX_REQUEST)


def other_kind(data: object, expected: FileKind) -> FileKind | None:
    """The kind of file ``data`` clearly is, where it is not ``expected``: a mapping that holds
    none of the expected kind's required keys and every one of another kind's.  Anything less
    clear is None, and the model names each field (a case with one key misspelled keeps its
    did-you-mean)."""
    if not isinstance(data, dict) or any(key in data for key in expected.keys):
        return None
    return next((kind for kind in KNOWN_KINDS
                 if kind is not expected and all(key in data for key in kind.keys)), None)


def wrong_kind(path: str | Path, found: FileKind, expected: FileKind) -> InputError:
    """The one-line refusal of a file of kind ``found`` given where ``expected`` is read:
    ``x.yaml: is a drawdown plan (it has `start_year` and `people`), not a case: run
    `dist401k plan x.yaml``; the keys named as the other kind requires them."""
    named = [f"`{key}`" for key in found.keys]
    keys = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
    return _problem(Path(path), f"is {found.called} (it has {keys}), not {expected.called}: "
                    f"{found.use_for(path)}")


def kind_of_file(path: str | Path, expected: FileKind) -> FileKind | None:
    """:func:`other_kind` of a YAML or JSON file holding one mapping, for a door whose own
    reader reads other files (`dist401k tax`); None for any other file, or one that cannot be
    read as one mapping (a JSON array, JSON Lines: the door's own reader names its problem)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        return None
    try:
        # (not a FIFO, which could never end; not a JSON array of rows, which is not read twice)
        if not path.is_file() or (suffix == ".json" and not _starts_with_brace(path)):
            return None
        text = read_text_file(path)
        data = load_json(text)[0] if suffix == ".json" else load_yaml(text)[0]
    except (InputError, OSError, json.JSONDecodeError, yaml.YAMLError, RecursionError):
        return None
    return other_kind(data, expected)


def _starts_with_brace(path: Path) -> bool:
    """Whether the text of ``path`` starts with ``{`` (one JSON object, or JSON Lines)."""
    with path.open("rb") as fh:
        return fh.read(4096).lstrip().startswith(b"{")


def read_text_file(path: str | Path, limit: int | None = None, kind: FileKind | None = None) -> str:
    """The UTF-8 text of ``path``, or :class:`InputError` on field ``file`` saying why not: a
    folder, a device or a pipe (which could be endless or never end), a file over ``limit``
    bytes (default :func:`max_body_bytes`; a setting it cannot read is an :class:`InputError`
    naming ``DIST401K_MAX_BODY_BYTES``; ending "…: not a case" or "…: not a drawdown plan"
    as ``kind`` names what it is read as), bytes that are not UTF-8."""
    if limit is None:
        try:
            limit = max_body_bytes()
        except SettingError as exc:
            raise InputError(FieldProblem(MAX_BODY_ENV, str(exc).split(": ", 1)[1])) from None
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _problem(path, "no such file") from None
    except OSError as exc:
        raise _problem(path, f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise _problem(path, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise _problem(path, "is not a regular file (a device, a pipe or a socket)")
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise _problem(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _problem(path, f"is larger than {limit:,} bytes" + _not(kind))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _problem(path, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _not(kind: FileKind | None) -> str:
    """The end of a refusal naming what the file was read as (``: not a case``), or none."""
    return "" if kind is None else f": not {kind.called}"


#: The names of a Parquet file (io/tables.py's FORMATS): a table, which no case or plan is.
PARQUET_SUFFIXES = (".parquet", ".pq")
#: PyYAML's words for a tab where a token starts: YAML indents with spaces only.
YAML_TAB = "found character '\\t' that cannot start any token"
#: PyYAML's naming of the text it read, which a reader of the file has no use for.
YAML_SOURCE = re.compile(r'\s*in "<unicode string>",?')


def yaml_problem(exc: yaml.YAMLError, text: str = "") -> str:
    """PyYAML's refusal in plain words, for the one line naming the file: the line and column
    (counted from 1), the problem and what the parser was reading, without its quoting of the
    source (``in "<unicode string>"``) and the ``^`` under it.  A tab that indents, the commonest
    slip, says so: "line 10, column 1: a tab cannot indent YAML: use spaces" (YAML 1.2 §6.1,
    "tab characters must not be used in indentation"); a tab elsewhere on the line of ``text``
    (after a key, say): "YAML takes no tab here"."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or not problem:
        return "is not valid YAML: " + " ".join(YAML_SOURCE.sub(" at", str(exc)).split())
    where = f"line {mark.line + 1}, column {mark.column + 1}"
    if problem.startswith(YAML_TAB):
        line = text.split("\n")[mark.line] if mark.line < text.count("\n") + 1 else ""
        indents = not line[:mark.column].strip()
        return f"{where}: {'a tab cannot indent YAML' if indents else 'YAML takes no tab here'}: use spaces"
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and (start.line, start.column) != (mark.line, mark.column):
        problem += f" ({context} at line {start.line + 1}, column {start.column + 1})"
    elif context:
        problem += f" ({context})"
    return f"is not valid YAML: {where}: {problem}"


def read_case_file(path: str | Path, kind: FileKind = CASE) -> dict:
    """The mapping a YAML or JSON file of ``kind`` (a case, or a drawdown plan: :data:`PLAN`)
    holds, or :class:`InputError` on field ``file``: its refusals name the kind ("nests deeper
    than 64 levels: not a drawdown plan"), and a file clearly of another kind is named as such,
    with what to run (:func:`other_kind`, :func:`wrong_kind`)."""
    path = Path(path)
    if path.suffix.lower() in PARQUET_SUFFIXES and path.is_file():  # never a case, however large
        where = shlex.quote(str(path))
        raise _problem(path, f"is a Parquet table, not {kind.called}: a plan book runs with "
                       f"`dist401k batch {where} --job JOB -o OUT`, tax units with "
                       f"`dist401k tax {where}`")
    text = read_text_file(path, kind=kind)
    is_json = path.suffix.lower() == ".json"
    syntax = "JSON" if is_json else "YAML"
    try:
        data, twice = (load_json(text, parse_int=case_int) if is_json else load_yaml(text))
    except yaml.YAMLError as exc:
        raise _problem(path, yaml_problem(exc, text)) from None
    except json.JSONDecodeError as exc:
        one_line = " ".join(str(exc).split())
        raise _problem(path, f"is not valid {syntax}: {one_line}") from None
    except RecursionError:
        raise _problem(path, f"nests deeper than {MAX_NESTING} levels" + _not(kind)) from None
    if not isinstance(data, dict):
        raise _problem(path, f"must hold one {kind.called.removeprefix('a ')} (a mapping)")
    found = other_kind(data, kind)  # the top-level keys alone: nothing deep is walked
    if found is not None:
        raise wrong_kind(path, found, kind)
    if twice:
        raise given_twice(twice)
    depth, values = shape(data)
    if depth > MAX_NESTING:
        raise _problem(path, f"nests deeper than {MAX_NESTING} levels" + _not(kind))
    if values > MAX_VALUES:
        raise _problem(path, f"holds more than {MAX_VALUES:,} values (YAML aliases counted as "
                       "often as they repeat)" + _not(kind))
    return data
