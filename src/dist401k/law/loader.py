"""The law as data: load the cited, dated parameter files and answer "value of X in year Y".

Every legal number dist401k uses lives in a YAML file under ``law/params/``: one file per
provision, values keyed by effective date, each file with its citation.  A file looks like::

    description: Basic standard deduction by filing status.
    metadata:
      unit: USD            # USD, rate, age, years, months, days, count, divisor, date, bool
      period: year         # year, lifetime, event, month
      label: Standard deduction
      breakdown: [filing_status]     # dimensions of each value: filing_status, bracket, age, key
      indexing: {index: chained_cpi, round: 50, direction: down}   # optional
                     # (held: {through: 2027, bracket: [4]} keeps those figures until then;
                     #  derived: {married_joint: {from: single, times: [...]}} sets a status's
                     #  projected figures from another's, see _derived)
      unconfirmed: {2026: "why the figure is not confirmed"}      # optional
      reference:
        - title: IRC §63(c)(2), as amended by P.L. 119-21 §70102
          href: https://www.law.cornell.edu/uscode/text/26/63
    values:
      2024-01-01: {single: 14600, married_joint: 29200, ...}
      2025-01-01: {...}

The loader turns each file into a dense grid over years (and the breakdown dimensions), so a
lookup for a whole batch is one fancy-indexing operation.  Years after the last enacted year
are projected: indexed amounts grow with the assumed chained-CPI rate and are rounded as the
Code rounds; every caller can ask :meth:`Law.projected` which years those are.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from dist401k.compounding import growth_factors
from dist401k.did_you_mean import did_you_mean
from dist401k.law.filing_status import FILING_STATUSES, SINGLE, filing_status_codes

PARAMS_DIR = Path(__file__).parent / "params"

UNITS = {"USD", "rate", "age", "years", "months", "days", "count", "divisor", "date", "bool", "code"}
PERIODS = {"year", "lifetime", "event", "month", "day", "instant"}
BREAKDOWNS = {"filing_status", "bracket", "age", "key"}
#: The parts of a parameter file, of its ``metadata``, of its ``indexing`` and of a reference:
#: any other key is a misspelling, refused with the nearest of these.
TOP_KEYS = ("description", "metadata", "values")
METADATA_KEYS = ("unit", "period", "label", "breakdown", "indexing", "unconfirmed", "notes",
                 "reference", "minimum", "maximum")
INDEXING_KEYS = ("index", "round", "direction", "held", "derived")
REFERENCE_KEYS = ("title", "href")
INDEXES = ("chained_cpi",)
DIRECTIONS = ("down", "up", "nearest")
#: The values a unit admits, lowest and highest (``None``: no bound).  A file whose figures
#: lie outside its unit's range for a reason of the law says so in its metadata: ``maximum``
#: (a rate that is a multiple of a base, 1.38 × the poverty line) or ``minimum`` (a sentinel).
UNIT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "USD": (0, None), "rate": (0, 1), "age": (0, 130), "years": (0, 150), "months": (0, 1800),
    "days": (0, 54_800), "count": (0, None), "divisor": (0, None), "code": (None, None),
    "date": (None, None),
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The most years after the last enacted one (``meta/years.yaml: enacted_through``) that a
#: value may take effect: enacted schedules reach that far (Hawaii's standard deduction steps
#: to 2031, five years past 2026); a date further out is a mistyped year (``2072-01-01`` or
#: ``2037-01-01`` for 2027), refused.  Not a legal figure: a check of the files.
SCHEDULED_AHEAD = 8


class LawError(ValueError):
    """A parameter file is malformed, or the law was asked something it does not hold."""


class LawFileError(LawError):
    """A law file (a parameter file or a reason file) that is malformed: one line naming the
    file, relative to the law folder (``params/charity/qcd_limit.yaml``,
    ``reasons/loan.yaml``), and the problem.  The command line answers it with exit status 2
    (docs/cli.md, "Exit statuses")."""

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = " ".join(str(problem).split())
        super().__init__(f"law file {file}: {self.problem}")


class UnknownYear(LawError):
    """A year outside the years whose law dist401k knows (enacted or projected)."""

    def __init__(self, name: str, years: Iterable[int], known: tuple[int, int]):
        bad = sorted({int(y) for y in years})
        shown = ", ".join(str(y) for y in bad[:5]) + (" …" if len(bad) > 5 else "")
        super().__init__(
            f"tax year {shown} is not in dist401k's law for '{name}' "
            f"(known: {known[0]}–{known[1]})"
        )
        self.years = bad
        self.known = known


@dataclass(frozen=True)
class Reference:
    title: str
    href: str


@dataclass
class Parameter:
    """One provision: dated values with their citation."""

    name: str
    description: str
    unit: str
    period: str
    label: str
    breakdown: tuple[str, ...]
    references: tuple[Reference, ...]
    dates: tuple[_dt.date, ...]
    raw_values: tuple[Any, ...]
    indexing: dict | None = None
    keys: tuple = field(default=())  # labels of a 'key' or 'age' breakdown, in order
    notes: str | None = None
    # Years whose figure could not be confirmed from the lawmaker's own text, with why.
    unconfirmed: dict[int, str] = field(default_factory=dict)
    file: str = ""  # the file, relative to the law folder (params/charity/qcd_limit.yaml)

    @property
    def citation(self) -> str:
        return "; ".join(r.title for r in self.references)

    def value_on(self, date: _dt.date) -> Any:
        """The raw value in force on ``date`` (as written in the file)."""
        idx = None
        for i, d in enumerate(self.dates):
            if d <= date:
                idx = i
        if idx is None:
            raise LawError(f"'{self.name}' has no value in force on {date.isoformat()}")
        return self.raw_values[idx]


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where built


class _LawYamlLoader(_BaseLoader):
    """YAML's safe loader for law files, stricter in two ways: a key given twice in one
    mapping (a pasted ``2026-01-01:`` line) is refused where YAML would keep the last silently,
    and a date stays the text it is written as (``2027-13-01`` reaches the loader's own check,
    which names the file, instead of failing inside YAML)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                twice = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: YAML's own error follows
                continue
            if twice:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> Any:
        """A whole number, written as a decimal: YAML 1.1 reads ``0114000`` as octal (38912),
        ``0x1F`` as hex and ``1:30`` as base 60 (90), a figure no one meant; refused, naming
        the line."""
        text = str(node.value)
        value = super().construct_yaml_int(node)
        if not _DECIMAL.fullmatch(text):
            how = ("begins with a 0: YAML reads it as octal, {}; write it in decimal digits, with "
                   "no leading 0") if _OCTAL.fullmatch(text) else \
                "is not plain decimal: YAML reads it as {}; write it in decimal digits"
            raise yaml.constructor.ConstructorError(
                None, None, f"the number {text} {how.format(value)}", node.start_mark)
        return value


_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_OCTAL = re.compile(r"[-+]?0[0-7_]+")

_LawYamlLoader.add_constructor("tag:yaml.org,2002:int", _LawYamlLoader.construct_yaml_int)

# The mapping's constructor is this loader's own: a library that replaces the safe loader's
# (PolicyEngine-US's parameters do, with words of their own) does not reach the law files.
_LawYamlLoader.add_constructor("tag:yaml.org,2002:map", yaml.constructor.SafeConstructor.construct_yaml_map)


_LawYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_law_yaml(path: Path, shown: str) -> Any:
    """A law file's YAML (``shown``: its name relative to the law folder, for the error): a
    syntax error or a key given twice is a :class:`LawFileError` naming the file and the line."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LawYamlLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise LawFileError(shown, f"{exc.problem or exc.context}{where}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LawFileError(shown, f"not readable YAML ({exc})") from None


def _as_date(key: Any, name: str) -> _dt.date:
    """A value's key, an effective date written ``YYYY-MM-DD`` (read as text)."""
    if isinstance(key, _dt.date):
        return key
    try:
        if not _ISO_DATE.fullmatch(str(key)):
            raise ValueError(key)
        return _dt.date.fromisoformat(str(key))
    except ValueError as exc:
        raise LawError(f"{name}: value key {key!r} is not an ISO date (YYYY-MM-DD)") from exc


def _known_keys(name: str, where: str, given: dict, known: tuple[str, ...]) -> None:
    """Refuse a key that is not one of ``known`` (a misspelling such as ``indexng`` would
    otherwise be ignored silently), with the nearest known key."""
    for key in given:
        if key not in known:
            raise LawError(f"{name}: {where}{key!r} is not a known key{did_you_mean(str(key), known)}"
                           f" (known: {', '.join(known)})")


def _indexing(name: str, idx: Any) -> None:
    """``indexing``, checked: its keys, the index, a positive rounding multiple and a
    direction (a misspelled ``dwon`` would round to the nearest instead)."""
    if not isinstance(idx, dict):
        raise LawError(f"{name}: indexing must be a mapping ({', '.join(INDEXING_KEYS)})")
    _known_keys(name, "indexing: ", idx, INDEXING_KEYS)
    if idx.get("index") not in INDEXES:
        raise LawError(f"{name}: indexing.index {idx.get('index')!r} is not one of {list(INDEXES)}")
    rnd = idx.get("round")
    if isinstance(rnd, bool) or not isinstance(rnd, (int, float)) or not rnd > 0:
        raise LawError(f"{name}: indexing.round {rnd!r} must be a positive number (the multiple)")
    if idx.get("direction") not in DIRECTIONS:
        raise LawError(f"{name}: indexing.direction {idx.get('direction')!r} is not one of "
                       f"{list(DIRECTIONS)}{did_you_mean(str(idx.get('direction')), DIRECTIONS)}")


def _metadata(name: str, doc: Any) -> dict:
    """A parameter file's ``metadata``, checked: the file's three parts, no unknown key, the
    unit, period, breakdown, indexing and a title and an href for every reference."""
    if not isinstance(doc, dict):
        raise LawError(f"{name}: a parameter file must be a mapping")
    _known_keys(name, "", doc, TOP_KEYS)
    for key in TOP_KEYS:
        if key not in doc:
            raise LawError(f"{name}: missing '{key}'")
    meta = doc["metadata"] or {}
    if not isinstance(meta, dict):
        raise LawError(f"{name}: metadata must be a mapping")
    _known_keys(name, "metadata: ", meta, METADATA_KEYS)
    for key in ("unit", "period", "label", "reference"):
        if key not in meta:
            raise LawError(f"{name}: metadata is missing '{key}'")
    if meta["unit"] not in UNITS:
        raise LawError(f"{name}: unit {meta['unit']!r} is not one of {sorted(UNITS)}"
                       f"{did_you_mean(str(meta['unit']), UNITS)}")
    if meta["period"] not in PERIODS:
        raise LawError(f"{name}: period {meta['period']!r} is not one of {sorted(PERIODS)}")
    for b in meta.get("breakdown") or ():
        if b not in BREAKDOWNS:
            raise LawError(f"{name}: breakdown {b!r} is not one of {sorted(BREAKDOWNS)}")
    _references(name, meta["reference"])
    if meta.get("indexing") is not None:
        _indexing(name, meta["indexing"])
    _bounds(name, meta)
    return meta


def _bounds(name: str, meta: dict) -> None:
    """``minimum`` and ``maximum``, where given: numbers (they replace the unit's range)."""
    for bound in ("minimum", "maximum"):
        b = meta.get(bound)
        if bound in meta and (isinstance(b, bool) or not isinstance(b, (int, float))):
            raise LawError(f"{name}: metadata {bound} {b!r} must be a number")


def _references(name: str, refs: Any) -> None:
    """``reference``: a list of {title, href}, each with both and nothing else.  A key other
    than those is named first, with the nearest (``herf`` → ``href``), and so is the reference
    (its place in the list, from 1, and its title)."""
    if not isinstance(refs, list) or not refs:
        raise LawError(f"{name}: every reference needs a title and an href")
    for i, ref in enumerate(refs, 1):
        title = ref.get("title") if isinstance(ref, dict) else None
        which = f"reference {i}" + (f" ({title})" if isinstance(title, str) and title.strip() else "")
        if not isinstance(ref, dict):
            raise LawError(f"{name}: {which} must be a mapping with a title and an href")
        _known_keys(name, f"{which}: ", ref, REFERENCE_KEYS)
        if not (isinstance(title, str) and title.strip()) or not ref.get("href"):
            raise LawError(f"{name}: {which} needs a title and an href (every reference does)")


def _leaves(value: Any) -> Iterable[Any]:
    """The figures of one dated value, whatever its breakdown."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _dates_in(value: Any, name: str) -> Any:
    """A ``date`` parameter's value with its ISO dates (read as text) as dates."""
    if isinstance(value, dict):
        return {k: _dates_in(v, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_in(v, name) for v in value]
    return _as_date(value, name) if isinstance(value, str) else value


def _check_units(name: str, meta: dict, items: list[tuple[_dt.date, Any]]) -> None:
    """Every figure fits its unit: a number (``bool``: true or false), finite, within the
    unit's range (:data:`UNIT_RANGES`: a rate 0–1, an amount in USD not negative, an age
    0–130) or the file's own ``minimum``/``maximum``.  A rate of 3.07 typed for 0.0307, a
    negative amount or an age of 200 is refused, naming the date and the figure."""
    unit = meta["unit"]
    lo, hi = UNIT_RANGES.get(unit, (None, None))
    lo, hi = meta.get("minimum", lo), meta.get("maximum", hi)
    for date, value in items:
        for x in _leaves(value):
            if unit == "date" and isinstance(x, _dt.date):
                continue
            if unit == "bool":
                if not isinstance(x, bool):
                    raise LawError(f"{name}: {date.isoformat()}: {x!r} is not true or false")
                continue
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise LawError(f"{name}: {date.isoformat()}: {x!r} is not a finite number "
                               f"(unit {unit})")
            if (lo is not None and x < lo) or (hi is not None and x > hi) \
                    or (unit == "divisor" and x == 0):
                span = f"{'' if lo is None else lo}–{'' if hi is None else hi}"
                raise LawError(f"{name}: {date.isoformat()}: {x!r} is outside the range of its "
                               f"unit {unit} ({span}; the file's metadata minimum/maximum "
                               f"widens it where the law does)")


def _keys(name: str, breakdown: tuple, items: list[tuple[_dt.date, Any]]) -> tuple:
    """The keys of an ``age`` or ``key`` breakdown: every key any date gives (else none)."""
    if not breakdown or breakdown[-1] not in ("age", "key"):
        return ()
    keyset: set = set()
    for _, v in items:
        if not isinstance(v, dict):
            raise LawError(f"{name}: a '{breakdown[-1]}' breakdown needs a mapping per date")
        keyset |= set(v.keys())
    return tuple(sorted(keyset))


def _parse(name: str, doc: dict) -> Parameter:
    meta = _metadata(name, doc)
    breakdown = tuple(meta.get("breakdown") or ())
    refs = meta["reference"]
    values = doc["values"]
    if not isinstance(values, dict) or not values:
        raise LawError(f"{name}: 'values' must map effective dates to values")
    items = sorted(((_as_date(k, name), v) for k, v in values.items()), key=lambda kv: kv[0])
    if meta["unit"] == "date":
        items = [(d, _dates_in(v, name)) for d, v in items]
    _check_units(name, meta, items)
    keys = _keys(name, breakdown, items)
    unconfirmed = meta.get("unconfirmed") or {}
    if not isinstance(unconfirmed, dict) or not all(
        isinstance(y, int) and isinstance(why, str) and why.strip() for y, why in unconfirmed.items()
    ):
        raise LawError(f"{name}: 'unconfirmed' must map years to the reason each is unconfirmed")
    return Parameter(
        name=name,
        description=str(doc["description"]).strip(),
        unit=meta["unit"],
        period=meta["period"],
        label=str(meta["label"]),
        breakdown=breakdown,
        references=tuple(Reference(str(r["title"]), str(r["href"])) for r in refs),
        dates=tuple(d for d, _ in items),
        raw_values=tuple(v for _, v in items),
        indexing=meta.get("indexing"),
        keys=keys,
        notes=meta.get("notes"),
        unconfirmed=dict(unconfirmed),
    )


def _to_array(param: Parameter, raw: Any) -> np.ndarray:
    """One dated value → an array shaped by the parameter's breakdown."""
    bd = param.breakdown

    def conv(v: Any, dims: tuple[str, ...]) -> Any:
        if not dims:
            if isinstance(v, (_dt.date,)):
                return np.datetime64(v, "D").astype(np.int64)
            if v is None:
                return np.nan
            return v
        d, rest = dims[0], dims[1:]
        if d == "filing_status":
            if not isinstance(v, dict):
                return [conv(v, rest) for _ in FILING_STATUSES]
            missing = [s for s in FILING_STATUSES if s not in v]
            if missing:
                raise LawError(f"{param.name}: value lacks filing status(es) {missing}")
            return [conv(v[s], rest) for s in FILING_STATUSES]
        if d == "bracket":
            if not isinstance(v, list):
                raise LawError(f"{param.name}: a 'bracket' breakdown needs a list")
            return [conv(x, rest) for x in v]
        # age / key: mapping over param.keys
        return [conv(v.get(k, np.nan), rest) for k in param.keys]

    try:
        return np.asarray(conv(raw, bd), dtype=float)
    except LawError:
        raise
    except (TypeError, ValueError) as exc:
        raise LawError(f"{param.name}: values do not form a regular table ({exc})") from exc


def _round(values: np.ndarray, multiple: float, direction: str) -> np.ndarray:
    """``values`` rounded to a ``multiple``: down, up or to the nearest (half a multiple up:
    $512,500 → $513,000 where the law rounds "to the nearest multiple of $1,000", 42 U.S.C.
    §1395r(i)(5)(B)); a float's last bit (512,499.99999999994) counts as the figure it stands
    for."""
    q = values / multiple
    if direction == "down":
        q = np.floor(q + 1e-9)
    elif direction == "up":
        q = np.ceil(q - 1e-9)
    else:
        q = np.floor(q + 0.5 + 1e-9)
    return q * multiple


def _derived(param: Parameter, values: np.ndarray) -> np.ndarray:
    """A projected year's figures of a filing status set from another status's, as the law
    sets them rather than indexed on their own (``indexing.derived``)::

        derived:
          married_joint: {from: single, times: [2, 2, 2, 2, 1.5]}   # each figure × its factor
          married_separate: {from: single, less_first: true}         # each less the first

    ``less_first``: each figure less the source's first one, none below that first figure
    (42 U.S.C. §1395r(i)(3)(C)(iii): a separate return's figures are the single ones reduced
    by the single threshold, MAGI up to the threshold still paying nothing)."""
    cfg = (param.indexing or {}).get("derived")
    if not cfg:
        return values
    if "filing_status" not in param.breakdown or not isinstance(cfg, dict):
        raise LawError(f"{param.name}: indexing.derived maps filing statuses to a rule, and "
                       f"needs a filing_status breakdown")
    ax = param.breakdown.index("filing_status")
    out = values.copy()
    for status, rule in cfg.items():
        if status not in FILING_STATUSES or not isinstance(rule, dict) \
                or rule.get("from") not in FILING_STATUSES:
            raise LawError(f"{param.name}: indexing.derived.{status} needs a filing status "
                           f"and 'from', another filing status")
        src = np.take(values, FILING_STATUSES.index(rule["from"]), axis=ax)
        if "times" in rule:
            got = src * np.asarray(rule["times"], float)
        elif rule.get("less_first"):
            first = src[..., :1]
            got = np.maximum(src - first, first)
        else:
            raise LawError(f"{param.name}: indexing.derived.{status} needs 'times' or "
                           f"'less_first'")
        where: list[Any] = [slice(None)] * values.ndim
        where[ax] = FILING_STATUSES.index(status)
        out[tuple(where)] = got
    return out


def _held(param: Parameter, shape: tuple) -> tuple[np.ndarray, int]:
    """The elements of an indexed parameter that the law holds at their last enacted value
    through a year, and that year: ``indexing.held: {through: 2027, bracket: [4]}`` holds the
    fifth figure of every filing status (each key names a breakdown dimension and the positions
    held along it; a dimension not named is held whole)."""
    cfg = (param.indexing or {}).get("held")
    mask = np.zeros(shape, dtype=bool)
    if not cfg:
        return mask, 0
    where: list[Any] = [slice(None)] * len(shape)
    for dim, positions in cfg.items():
        if dim == "through":
            continue
        if dim not in param.breakdown or not isinstance(positions, list):
            raise LawError(f"{param.name}: indexing.held names {dim!r}, not a list of positions "
                           f"along one of its breakdown dimensions {list(param.breakdown)}")
        where[param.breakdown.index(dim)] = positions
    if not isinstance(cfg.get("through"), int):
        raise LawError(f"{param.name}: indexing.held needs 'through', the last year held")
    mask[tuple(np.ix_(*[np.arange(n)[w] for n, w in zip(shape, where, strict=True)]))] = True
    return mask, int(cfg["through"])


def _load_param(name: str, path: Path, shown: str) -> Parameter:
    """One parameter file read and checked; any problem a :class:`LawFileError` naming it."""
    doc = read_law_yaml(path, shown)
    try:
        param = _parse(name, doc)
    except LawFileError:
        raise
    except LawError as exc:
        raise LawFileError(shown, _problem(str(exc), name)) from None
    param.file = shown
    with _naming_file(param):
        _check_table(param)
        _dates_in_order(param, doc["values"], path)
    return param


def _line_of(path: Path, key: str) -> str:
    """`` (line N)``: where a value's key is written in its law file ('' if not found)."""
    key_at = re.compile(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    return next((f" (line {i})" for i, line in enumerate(lines, 1) if key_at.match(line)), "")


def _dates_in_order(param: Parameter, values: dict, path: Path) -> None:
    """The effective dates are written earliest first: a date after a later one is a mistyped
    year (``2017-01-01`` typed under ``2026-01-01`` for 2027), refused naming its line."""
    written = [str(k) for k in values]
    for before, key in zip(written[:-1], written[1:], strict=True):
        if _as_date(key, param.name) < _as_date(before, param.name):
            raise LawError(f"{param.name}: value key {key!r}{_line_of(path, key)} is written after "
                           f"{before!r}: the dates go earliest first (a mistyped year?)")


def _dates_not_far_ahead(param: Parameter, enacted_through: int, path: Path) -> None:
    """No value takes effect more than :data:`SCHEDULED_AHEAD` years after the last enacted
    year: a date that far out is a mistyped year (``2072-01-01`` for 2027), which would
    otherwise load and apply to no year anyone asks about."""
    last = enacted_through + SCHEDULED_AHEAD
    for d in param.dates:
        if d.year > last:
            key = d.isoformat()
            raise LawError(f"{param.name}: value key {key!r}{_line_of(path, key)} takes effect "
                           f"{d.year - enacted_through} years after the last enacted year "
                           f"{enacted_through} (meta/years.yaml: enacted_through); a value "
                           f"may take effect {SCHEDULED_AHEAD} years ahead at most, up to {last} "
                           f"(a mistyped year?)")


def _problem(message: str, name: str) -> str:
    """A loader's message without the parameter's name in front (the file names it)."""
    return message[len(name) + 2:] if message.startswith(f"{name}: ") else message


@contextmanager
def _naming_file(param: Parameter) -> Iterator[None]:
    """``with _naming_file(param):`` — a :class:`LawError` raised inside becomes a
    :class:`LawFileError` naming the parameter's file."""
    try:
        yield
    except LawFileError:
        raise
    except LawError as exc:
        if not param.file:
            raise
        raise LawFileError(param.file, _problem(str(exc), param.name)) from None


def _check_table(param: Parameter) -> None:
    """Every dated value forms the table its breakdown describes, of one shape on every date,
    and the indexing's ``held`` and ``derived`` fit it (a record, a mapping with no breakdown
    such as meta/years, is read whole)."""
    if not param.breakdown and any(isinstance(v, dict) for v in param.raw_values):
        return
    arrays = [_to_array(param, v) for v in param.raw_values]
    for a, d in zip(arrays[1:], param.dates[1:], strict=True):
        if a.shape != arrays[0].shape:
            raise LawError(f"{param.name}: the value of {d.isoformat()} changes shape "
                           f"({arrays[0].shape} before, {a.shape})")
    if param.indexing:
        _held(param, arrays[0].shape)
        _derived(param, arrays[-1])


def _enacted_years_entered(param: Parameter, enacted_through: int) -> None:
    """An indexed figure has a value dated in each enacted year after its last one, or says
    why the earlier figure is carried (``unconfirmed``) or that the law holds it whole
    (``indexing.held``): otherwise making a year official (``meta/years.yaml``:
    ``enacted_through``) before entering its figures would carry the last year's figures into
    it, unindexed, and call them enacted."""
    if not param.indexing:
        return
    held = param.indexing.get("held") or {}
    through = held.get("through", 0) if set(held) == {"through"} else 0
    last = param.dates[-1].year
    missing = [y for y in range(last + 1, enacted_through + 1)
               if y not in param.unconfirmed and y > through]
    if missing:
        raise LawError(f"{param.name}: indexed, it has no value for enacted year(s) "
                       f"{', '.join(map(str, missing))} (its last is dated {last}): enter the "
                       f"official figures, or say in 'unconfirmed' why the {last} figures are carried")


class Law:
    """The law for a range of years, as dense arrays ready for batch lookups.

    ``Law()`` loads the parameter files shipped with dist401k.  ``inflation`` overrides the
    assumed chained-CPI rate used to project indexed amounts past the last enacted year.
    """

    def __init__(self, params_dir: Path | None = None, inflation: float | None = None):
        self.params_dir = Path(params_dir or PARAMS_DIR)
        self.params: dict[str, Parameter] = {}
        for path in sorted(self.params_dir.rglob("*.yaml")):
            name = ".".join(path.relative_to(self.params_dir).with_suffix("").parts)
            self.params[name] = _load_param(name, path, self._shown(path))
        self.first_year, self.enacted_through, self.projected_through = self._years()
        if inflation is None:
            inflation = float(self._scalar_raw("economy.chained_cpi_assumed"))
        self.inflation = float(inflation)
        for p in self.params.values():
            with _naming_file(p):
                _dates_not_far_ahead(p, self.enacted_through, self.params_dir.parent / p.file)
                _enacted_years_entered(p, self.enacted_through)
        self._grids: dict[str, tuple[int, np.ndarray]] = {}
        self._keys: dict[str, np.ndarray] = {}
        self._pair_cache: dict[bytes, dict] = {}
        self._one_pair: dict[tuple[int, int], Lookup] = {}  # Lookup.one_pair's, made once

    # -- metadata ---------------------------------------------------------------------------

    def _shown(self, path: Path) -> str:
        """A law file's name as errors give it: relative to the law folder (the parameter
        folder's parent), ``params/charity/qcd_limit.yaml``."""
        return path.relative_to(self.params_dir.parent).as_posix()

    def _years(self) -> tuple[int, int, int]:
        """``meta.years``: the first year, the last enacted one and the last projected one,
        whole years in that order (else a :class:`LawFileError` naming meta/years.yaml)."""
        p = self.param("meta.years")
        with _naming_file(p):
            raw = p.raw_values[-1]
            keys = ("first_year", "enacted_through", "projected_through")
            got = [raw.get(k) if isinstance(raw, dict) else None for k in keys]
            years = [y for y in got if isinstance(y, int) and not isinstance(y, bool)]
            if len(years) != 3 or not years[0] <= years[1] <= years[2]:
                raise LawError(f"meta.years: the value must give {', '.join(keys)}: whole years, "
                               f"in that order")
        return years[0], years[1], years[2]

    def _scalar_raw(self, name: str) -> Any:
        p = self.param(name)
        return p.raw_values[-1]

    def param(self, name: str) -> Parameter:
        try:
            return self.params[name]
        except KeyError:
            raise LawError(f"no parameter '{name}' in the law") from None

    def citation(self, name: str) -> str:
        return self.param(name).citation

    @cached_property
    def version(self) -> str:
        """A hash of every law file: the law version a determination was made under.  It
        covers the parameter files and the reason files beside them (``../reasons/*.yaml``,
        whose texts and citations the reports, `explain` and ``GET /reasons`` print; the
        shipped ones where the parameter folder has none beside it)."""
        h = hashlib.sha256()
        reasons = self.params_dir.parent / "reasons"
        reasons = reasons if reasons.is_dir() else PARAMS_DIR.parent / "reasons"
        files = [(p, p.relative_to(self.params_dir)) for p in sorted(self.params_dir.rglob("*.yaml"))]
        files += [(p, Path("..", "reasons", p.name)) for p in sorted(reasons.glob("*.yaml"))]
        for path, name in files:
            h.update(str(name).encode())
            h.update(path.read_bytes())
        return h.hexdigest()[:16]

    @property
    def known_years(self) -> tuple[int, int]:
        return (self.first_year, self.projected_through)

    def check_years(self, years: Any, name: str = "tax_year") -> np.ndarray:
        """Raise :class:`UnknownYear` for any year outside the known range; return the array."""
        y = np.asarray(years)
        if y.dtype.kind not in "iu":
            if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.floor(y)):
                y = y.astype(np.int64)
            else:
                raise LawError(f"{name}: years must be whole numbers")
        bad = (y < self.first_year) | (y > self.projected_through)
        if np.any(bad):
            raise UnknownYear(name, np.unique(y[bad]), self.known_years)
        return y.astype(np.int64)

    def projected(self, years: Any) -> np.ndarray:
        """True where a year's law is projected (after the last enacted year)."""
        return np.asarray(years) > self.enacted_through

    # -- values -----------------------------------------------------------------------------

    def _grid(self, name: str) -> tuple[int, np.ndarray]:
        """(first year, array[year - first year, *breakdown]) for a parameter."""
        if name in self._grids:
            return self._grids[name]
        p = self.param(name)
        with _naming_file(p):
            self._grids[name] = self._make_grid(p)
        return self._grids[name]

    def _make_grid(self, p: Parameter) -> tuple[int, np.ndarray]:
        """:meth:`_grid`'s table, made."""
        name = p.name
        y0 = p.dates[0].year
        y1 = max(self.projected_through, p.dates[-1].year)
        arrays = [_to_array(p, v) for v in p.raw_values]
        shape = arrays[0].shape
        for a in arrays[1:]:
            if a.shape != shape:
                raise LawError(f"{name}: values change shape between dates ({shape} vs {a.shape})")
        grid = np.empty((y1 - y0 + 1,) + shape, dtype=float)
        date_years = np.array([d.year for d in p.dates])
        idx_cfg = p.indexing
        held = _held(p, shape)
        for i, year in enumerate(range(y0, y1 + 1)):
            # The last value taking effect in or before the year: a value that starts mid-year
            # applies to the whole year.  Every mid-year date in the shipped law falls before the
            # first tax year dist401k answers, except those of provisions read by date with
            # :meth:`Law.on` (tests/law/test_loader.py keeps it so).
            j = int(np.searchsorted(date_years, year, side="right")) - 1
            if j < 0:
                grid[i] = np.nan
                continue
            base_year = max(int(date_years[j]), self.enacted_through)
            if idx_cfg and year > base_year:
                # Projected: the value in force in the last enacted (or scheduled) year, grown
                # by the assumed chained CPI and rounded as the Code rounds that amount — but
                # an element the law holds through a year (``held``) grows only after it.
                years_grown = np.full(shape, float(year - base_year))
                hold_mask, through = held
                years_grown[hold_mask] = max(0, year - max(base_year, through))
                grid[i] = _round(
                    arrays[j] * growth_factors(self.inflation, years_grown),
                    float(idx_cfg.get("round", 1)),
                    str(idx_cfg.get("direction", "down")),
                )
                if year > self.enacted_through:
                    grid[i] = _derived(p, grid[i])
            else:
                grid[i] = arrays[j]
        return y0, grid

    def get(self, name: str, year: Any, filing_status: Any = None, before: Any = None) -> np.ndarray:
        """Value of ``name`` in force for ``year`` (scalar or array), per filing status code.

        Returns an array of shape ``broadcast(year, filing_status) + remaining breakdown``
        (for example the bracket thresholds of each unit).  ``before`` is the value for years
        before the provision took effect (otherwise such a year is an error).
        """
        p = self.param(name)
        y0, grid = self._grid(name)
        y = np.asarray(year, dtype=np.int64)
        if before is not None:
            if filing_status is not None:
                y = np.broadcast_arrays(y, np.asarray(filing_status))[0]
            early = y < y0
            if np.any(early):
                out = self.get(name, np.where(early, y0, y), filing_status)
                mask = early.reshape(early.shape + (1,) * (out.ndim - early.ndim))
                return np.where(mask, before, out)
        if np.any(y < y0) or np.any(y - y0 >= grid.shape[0]):
            out = y[(y < y0) | (y - y0 >= grid.shape[0])]
            raise UnknownYear(name, np.unique(out), (y0, y0 + grid.shape[0] - 1))
        rows = y - y0
        if p.breakdown and p.breakdown[0] == "filing_status":
            if filing_status is None:
                raise LawError(f"'{name}' depends on the filing status; pass filing_status")
            fs = np.asarray(filing_status)
            if fs.dtype.kind not in "iu":  # names ("single"), as people write them
                try:
                    fs = filing_status_codes(fs.astype(object) if fs.dtype.kind == "b" else fs)
                except ValueError as e:
                    raise LawError(str(e)) from None
            elif fs.size and (fs.min() < 0 or fs.max() >= len(FILING_STATUSES)):
                raise LawError(f"filing status codes are 0-{len(FILING_STATUSES) - 1} "
                               f"({', '.join(FILING_STATUSES)})")
            rows, fs = np.broadcast_arrays(rows, fs.astype(np.int64))
            return grid[rows, fs]
        return grid[rows]

    def key_array(self, name: str) -> np.ndarray:
        """The keys of a key- or age-indexed parameter as floats, in order (read-only; made
        once: a joint life table has ten thousand)."""
        if name not in self._keys:
            keys = np.asarray(self.param(name).keys, dtype=float)
            keys.flags.writeable = False
            self._keys[name] = keys
        return self._keys[name]

    def table(self, name: str, year: Any, key: Any) -> np.ndarray:
        """Look up an age- or key-indexed table (e.g. a life-expectancy table) for each row.

        Keys outside the table's range are clipped to its ends (the tables' last row reads
        "and over").  Missing entries come back as NaN.
        """
        p = self.param(name)
        if not p.breakdown or p.breakdown[-1] not in ("age", "key"):
            raise LawError(f"'{name}' is not a table")
        keys = self.key_array(name)
        k = np.asarray(key, dtype=float)
        # Below the first key → the first row; above the last → the last ("and over").
        pos = np.clip(np.searchsorted(keys, k), 0, len(keys) - 1)
        return self._at(name, year, pos)

    def keyed(self, name: str, year: Any, key: Any, absent: float = 0.0) -> np.ndarray:
        """Values of a key-indexed parameter whose keys are names (a state's USPS code) for
        each unit's ``key``; ``absent`` where the key is not among the parameter's (or is
        None)."""
        keys = self.param(name).keys
        y = self.check_years(np.atleast_1d(year))
        k = np.broadcast_to(np.asarray(key, dtype=object), y.shape)
        pos = np.array([keys.index(v) if v in keys else -1 for v in k.ravel()],
                       dtype=np.intp).reshape(y.shape)
        return np.where(pos >= 0, self._at(name, y, np.maximum(pos, 0)), absent)

    def _at(self, name: str, year: Any, pos: Any) -> np.ndarray:
        """Values of a key-indexed parameter at key positions ``pos`` (one gather per unit)."""
        y0, grid = self._grid(name)
        y = np.asarray(year, dtype=np.int64)
        y, pos = np.broadcast_arrays(y, np.asarray(pos, dtype=np.intp))
        rows = y - y0
        if np.any(rows < 0) or np.any(rows >= grid.shape[0]):
            raise UnknownYear(name, np.unique(y[(rows < 0) | (rows >= grid.shape[0])]),
                              (y0, y0 + grid.shape[0] - 1))
        return grid[rows, pos]

    def scalar(self, name: str, year: int, filing_status: int | None = None) -> float:
        """One value, as a Python float (for a single year, single status)."""
        return float(np.asarray(self.get(name, year, filing_status)).reshape(-1)[0])

    def on(self, name: str, date: _dt.date) -> Any:
        """The raw value in force on a date (for rules whose effective date is mid-year)."""
        return self.param(name).value_on(date)


_DEFAULT: Law | None = None


def default_law() -> Law:
    """The shipped law with the default assumptions, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Law()
    return _DEFAULT


class Lookup:
    """The law for one batch: each parameter's values gathered for every unit.

    A batch holds few distinct (year, filing status) pairs, so each parameter is looked up
    once per pair and spread to the units with one ``take``: the cost of a lookup is one
    gather over the batch whatever the number of parameters' dates and breakdowns.
    """

    def __init__(self, law: Law, year: Any, filing_status: Any = None):
        self.law = law
        y = law.check_years(np.atleast_1d(np.asarray(year)))
        fs = np.zeros_like(y) if filing_status is None else np.asarray(filing_status, dtype=np.int64)
        y, fs = np.broadcast_arrays(y, fs)
        key = (y - law.first_year) * len(FILING_STATUSES) + fs
        ukey, inverse = np.unique(key, return_inverse=True)
        self.combo: np.ndarray = inverse.astype(np.intp).reshape(y.shape)
        self.years = ukey // len(FILING_STATUSES) + law.first_year
        self.statuses = ukey % len(FILING_STATUSES)
        self.year = y
        self.filing_status = fs
        self.shared = False
        self._gathered: dict[tuple, np.ndarray] = {}
        # Values per pair are shared by every batch with the same pairs (the law is fixed once
        # loaded): a batch of one pays for a dictionary lookup, not a table lookup.
        self._cache = law._pair_cache.setdefault(ukey.tobytes(), {})
        if len(law._pair_cache) > 4096:
            law._pair_cache.clear()
            self._cache = law._pair_cache.setdefault(ukey.tobytes(), {})

    @classmethod
    def one_pair(cls, law: Law, year: int, filing_status: int) -> Lookup:
        """The law for any number of units that share one (year, filing status) — the
        planner's market paths in one year: every value shaped [1, *breakdown] and broadcast
        over the units by the formulas, with no gather per unit."""
        key = (int(year), int(filing_status))
        lk = law._one_pair.get(key)
        if lk is None:
            lk = cls(law, np.array([year]), np.array([filing_status]))
            lk.shared = True
            law._one_pair[key] = lk
        return lk

    def __len__(self) -> int:
        return int(self.combo.shape[0])

    def small(self, name: str, before: Any = None) -> np.ndarray:
        """Values per distinct (year, status) pair: shape [pairs, *breakdown] (read-only: they
        are shared by every batch with the same pairs)."""
        k = (name, before)
        try:
            return self._cache[k]
        except KeyError:
            p = self.law.param(name)
            fs = self.statuses if p.breakdown and p.breakdown[0] == "filing_status" else None
            return self._keep(k, self.law.get(name, self.years, fs, before=before))

    def _keep(self, key: tuple, values: np.ndarray) -> np.ndarray:
        values = np.array(values, dtype=float)
        values.flags.writeable = False
        self._cache[key] = values
        return values

    def get(self, name: str, before: Any = None) -> np.ndarray:
        """Values per unit: shape [n, *breakdown] ([1, *breakdown] when ``shared``: the pair's
        own values, with no gather), read-only; gathered once for this batch (the planner asks
        a year's batch for the same values on every pass of its fixed point)."""
        if self.shared:
            return self.small(name, before)
        k = (name, before)
        got = self._gathered.get(k)
        if got is None:
            got = np.take(self.small(name, before), self.combo, axis=0)
            got.flags.writeable = False
            self._gathered[k] = got
        return got

    def gathered(self, key: tuple, make) -> Any:
        """``make()`` — values per unit derived from the law, such as a rate schedule's ends
        for each unit — made once for this batch (``key``: a tuple no parameter's name
        begins)."""
        got = self._gathered.get(key)
        if got is None:
            got = self._gathered[key] = make()
        return got

    def as_single(self, name: str) -> np.ndarray:
        """Values per unit of a parameter by filing status, read for a single filer (the
        general amounts a rule falls back to)."""
        k = (name, None, SINGLE)
        if k not in self._cache:
            self._keep(k, self.law.get(name, self.years, SINGLE))
        return self._cache[k] if self.shared else np.take(self._cache[k], self.combo, axis=0)

    def per_pair(self, key: tuple, make) -> Any:
        """``make(self)`` — a figure derived from the law per (year, status) pair, such as a
        rate schedule's cumulative tax — made once and shared like the values."""
        if key not in self._cache:
            self._cache[key] = make(self)
        return self._cache[key]

    def repeat(self, times: int) -> Lookup:
        """The same lookups for the units repeated ``times`` times, one copy after the other
        (``np.tile`` order)."""
        if self.shared:
            return self
        out = object.__new__(Lookup)
        out.law, out.years, out.statuses, out._cache = self.law, self.years, self.statuses, self._cache
        out.combo = np.tile(self.combo, times)
        out.year = np.tile(self.year, times)
        out.filing_status = np.tile(self.filing_status, times)
        out.shared = False
        out._gathered = {}
        return out

    def subset(self, index: np.ndarray) -> Lookup:
        """The same lookups for some of the units (shares the per-pair values)."""
        if self.shared:
            return self
        sub = object.__new__(Lookup)
        sub.law, sub.years, sub.statuses, sub._cache = self.law, self.years, self.statuses, self._cache
        sub.combo = self.combo[index]
        sub.year = self.year[index]
        sub.filing_status = self.filing_status[index]
        sub.shared = False
        sub._gathered = {}
        return sub


def step_lookup(law: "Law", name: str, year: Any, key: Any) -> np.ndarray:
    """For a key-indexed parameter read as steps: the value of the last key at or below each
    ``key`` (e.g. the RMD age in force for a birth date)."""
    keys = law.key_array(name)
    pos = np.clip(np.searchsorted(keys, np.asarray(key, dtype=float), side="right") - 1, 0,
                  len(keys) - 1)
    return law._at(name, year, pos)
