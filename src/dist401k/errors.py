"""Input errors that name the row, the field and the problem (CLI, API and batch alike)."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of one input row (row is None for a single case)."""

    field: str
    problem: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.problem}"


#: How many problems one refusal lists, the first found; the others are counted in one line
#: (:class:`MoreProblems`; docs/api.md, docs/reliability.md).  Only the listed ones are put in
#: words (a misspelling's did-you-mean is a search): a 1 MB case of 90,000 unknown keys is
#: refused in 21 lines at once, not in 90,000 lines after half a minute.
PROBLEMS_LISTED = 20


@dataclass(frozen=True)
class MoreProblems(FieldProblem):
    """The line that ends a capped list: how many problems were found and not listed."""

    count: int = 0

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.problem}"


def more_problems(count: int, row: int | None = None, what: str = "problems") -> MoreProblems:
    """The last line of a list capped at :data:`PROBLEMS_LISTED`: ``… and 89,980 more
    problems (only the first 20 are listed)``."""
    return MoreProblems("…", f"… and {count:,} more {what} (only the first {PROBLEMS_LISTED} "
                             "are listed)", row, count)


def capped(problems: list[FieldProblem], not_translated: int = 0,
           row: int | None = None) -> list[FieldProblem]:
    """The first :data:`PROBLEMS_LISTED` problems and, where there are more (beyond the list, or
    ``not_translated``: found and not put in words), one :func:`more_problems` line."""
    hidden = max(len(problems) - PROBLEMS_LISTED, 0) + not_translated
    return problems[:PROBLEMS_LISTED] + ([more_problems(hidden, row)] if hidden else [])


class InputError(ValueError):
    """Bad input: carries every problem found, each naming its field (and row); a list capped
    by :func:`capped` ends with its :class:`MoreProblems` line, counted in the message."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem):
        if isinstance(problems, FieldProblem):
            problems = [problems]
        self.problems = list(problems)
        listed = [p for p in self.problems if not isinstance(p, MoreProblems)]
        hidden = max(len(listed) - 10, 0) + sum(p.count for p in self.problems
                                                if isinstance(p, MoreProblems))
        shown = "; ".join(str(p) for p in listed[:10])
        super().__init__(shown + (f" (and {hidden:,} more)" if hidden else ""))


class FieldProblems(ValueError):
    """A model's own checks, raised inside a validator: (field, problem) pairs, each naming the
    field by its dotted path in the input (``plan.in_service.match.min_age``)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {p}" for f, p in problems))


#: What every door says of NaN or an infinity given as a number.
FINITE = "must be a finite number (not NaN or infinity)"

#: What every door says of true or false given for a number (YAML and JSON would read them as
#: 1 and 0; a CSV cell ``true`` is no number either).
NOT_A_NUMBER = "is not a number"
def year_without_law(lo: int, hi: int, year: int | None = None) -> str:
    """The words of a year beyond the law's years (params/meta/years.yaml), the same in every
    door: "is not a year dist401k has law for (known: 2024–2100)", with the tax year named where
    the field is a date ("tax year 2200 is not …")."""
    said = f"is not a year dist401k has law for (known: {lo}–{hi})"
    return said if year is None else f"tax year {year} {said}"


#: The problem of a text field (an identifier, a TIN, a ZIP code) given as numbers.
NUMBERS_IN_TEXT = "must be text (a leading zero would be lost)"
#: A year given as a number that is not whole (2026.5): a number, but no year.
NOT_A_WHOLE_YEAR = "is not a whole year"



def not_a_number(value: Any) -> str:
    """:data:`NOT_A_NUMBER`, with how to write it where ``value`` is text that is a number once
    its dollar signs and thousands separators are gone ("$45000", "45,000"): "is not a
    number: write digits only, without $ or commas (45000)", or a per cent as a spreadsheet
    formats a share ("60%": "a share is a fraction: write 0.6 for 60%") — the words of every
    door (the case's model, a batch cell)."""
    if isinstance(value, str) and (share := _PERCENT.fullmatch(value.strip())):
        fraction = Decimal(share.group(1)).scaleb(-2).normalize()  # 60% is 0.6 (per cent)
        return f"{NOT_A_NUMBER}: a share is a fraction: write {fraction:f} for {share.group(0)}"
    if not isinstance(value, str) or not _DOLLARS.fullmatch(value.strip()):
        return NOT_A_NUMBER
    digits = value.strip().replace("$", "").replace(",", "").strip()
    if digits == value.strip():
        return NOT_A_NUMBER
    return f"{NOT_A_NUMBER}: write digits only, without $ or commas ({digits})"


#: A share as a spreadsheet formats it: a number and a per-cent sign ("60%", "12.5 %").
_PERCENT = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%", re.ASCII)

#: A date as US Excel writes it: month/day/year, the year in four digits ("3/15/1968").
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def date_hint(value: Any) -> str:
    """How to write a date given as US Excel writes it, where it can be told which is the
    month: ": write 1968-03-15" for "3/15/1968" (or "15/3/1968"); "" for any other value
    (a day and a month both up to 12 could be either: nothing is guessed)."""
    m = _US_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        return ""
    a, b, year = (int(g) for g in m.groups())
    if (a > 12) == (b > 12):
        return ""
    month, day = (b, a) if a > 12 else (a, b)
    try:
        return f": write {dt.date(year, month, day).isoformat()}"
    except ValueError:  # no such day (2/30/1968)
        return ""


#: An amount as a person writes dollars: a sign, a dollar sign, digits in groups of three
#: (commas between them only there) and cents: "$45,000.50", "-$1,200", "45000".  A comma
#: anywhere else ("0,5", "52.000,50") is not a thousands separator: no number is suggested.
_DOLLARS = re.compile(r"[-+]?\s*\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", re.ASCII)


#: What every door says of an integer beyond the range of a float (about 1.8e308): finite,
#: and a number, but too large for any field.
TOO_LARGE = "is too large (beyond 1.8e308, the largest finite number dist401k reads)"


#: An integer as a cell writes it: digits, a sign before them at most.
_INTEGER = re.compile(r"\s*[-+]?0*(\d+)\s*", re.ASCII)
_FLOAT_DIGITS = len(str(int(sys.float_info.max)))


def integer_beyond_float(v: Any) -> bool:
    """Whether a cell's text writes an integer beyond the range of a float (400 nines): a
    number, finite, but :data:`TOO_LARGE` for dist401k in every door (a float would read it as
    infinity).  ``1e400`` and ``inf`` are not: they are numbers that are not finite."""
    m = _INTEGER.fullmatch(v) if isinstance(v, str) else None
    if m is None:
        return False
    digits = m.group(1)
    return len(digits) > _FLOAT_DIGITS or (
        len(digits) == _FLOAT_DIGITS and int(digits) > sys.float_info.max)

#: What every door says of a key given twice in one mapping (YAML, a JSON object).
GIVEN_TWICE = "is given twice"

#: What every door says of a value that should hold fields (a mapping, a JSON object).
NOT_AN_OBJECT = "Input should be an object"


@dataclass(frozen=True)
class Refused:
    """A value a door refuses before the model reads it (true for a number, an integer too
    large): it stands in for the value, the model's own check of the field fails on it — so
    the error names the field where it is, list items included — and
    :func:`problem_text` gives ``problem`` as the words."""

    problem: str


#: What the message says for a field the model does not know, by door.
UNKNOWN_FIELD = "is not a field dist401k knows (check the spelling; see `dist401k schema`)"


def problem_text(err: Any) -> str:
    """The one-line problem of one pydantic error (without its field)."""
    kind = err.get("type", "")
    if isinstance(err.get("input"), Refused) and kind != "value_error":  # a validator's own
        return err["input"].problem
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return UNKNOWN_FIELD
    if kind == "int_parsing" and _fraction_text(err.get("input")):
        return "must be a whole number"  # ?paths=2.5: a number, but not a count
    if kind in ("float_parsing", "int_parsing"):
        return not_a_number(err.get("input"))
    if kind == "finite_number":
        return FINITE
    ctx = err.get("ctx") or {}
    worded = _BOUND_WORDS.get(kind)
    if worded is not None:
        from dist401k.did_you_mean import hint_for

        return worded(ctx) + hint_for(err)  # a choice misspelled: did you mean `match`?
    return str(err.get("msg", "")).removeprefix("Value error, ")


def _fraction_text(value: Any) -> bool:
    """Whether ``value`` is text that reads as a finite number with a fraction ("2.5")."""
    try:
        x = float(value) if isinstance(value, str) else math.nan
    except ValueError:
        return False
    return math.isfinite(x) and not x.is_integer()


def _choices(ctx: dict) -> str:
    expected = str(ctx.get("expected", "")).replace(" or ", ", ").replace("'", "")
    return f"is not one of {expected}"


def plain_number(x: float) -> str:
    """A bound as a participant reads it: a whole number in digits with thousands separators
    (100,000,000,000, not 1e+11), a fraction as it is (0.5) — the words of every door."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


#: pydantic's checks in the words the flat rows use, so every door says the same thing.
_BOUND_WORDS = {
    "greater_than_equal": lambda c: ("must be 0 or more" if c.get("ge") == 0
                                     else f"must be at least {c.get('ge'):g}"),
    "greater_than": lambda c: f"must be more than {c.get('gt'):g}",
    "less_than_equal": lambda c: f"must be a finite number no more than {plain_number(c['le'])}",
    "less_than": lambda c: f"must be less than {c.get('lt'):g}",
    "float_parsing": lambda c: "is not a number",
    "float_type": lambda c: "is not a number",
    "int_parsing": lambda c: "is not a number",
    "int_type": lambda c: "is not a number",
    "int_from_float": lambda c: "must be a whole number",
    "bool_parsing": lambda c: "is not true/false",
    "bool_type": lambda c: "is not true/false",
    # None or a list where fields are due: the words of a JSON body's check in every door.
    "model_type": lambda c: NOT_AN_OBJECT,
    "model_attributes_type": lambda c: NOT_AN_OBJECT,
    "dict_type": lambda c: NOT_AN_OBJECT,
    "literal_error": _choices,
    "enum": _choices,
}


def problems_from_validation(exc: Any, row: int | None = None,
                             unknown: str = UNKNOWN_FIELD) -> list[FieldProblem]:
    """A pydantic ``ValidationError`` → one :class:`FieldProblem` per field: the one translation
    of validation errors that the CLI, the API, the planner and batch share.  A model's own
    checks (:class:`FieldProblems`) keep the fields they name; a misspelled field or choice
    gets the nearest declared name (:mod:`dist401k.did_you_mean`).  Only the first
    :data:`PROBLEMS_LISTED` are put in words; the others are counted (:func:`capped`)."""
    errors = exc.errors()
    out: list[FieldProblem] = []
    for k, err in enumerate(errors):
        if len(out) >= PROBLEMS_LISTED:
            return capped(out, len(errors) - k, row)
        out += _problems_of(err, getattr(exc, "title", ""), row, unknown)
    return capped(out, 0, row)


def _problems_of(err: Any, title: str, row: int | None, unknown: str) -> list[FieldProblem]:
    """The problems of one pydantic error (several for a model's own checks)."""
    from dist401k.did_you_mean import hint_for

    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, FieldProblems):
        return [FieldProblem(field, problem, row) for field, problem in inner.problems]
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    if err.get("type") == "invalid_key" and err["loc"]:
        # {balance: 41,000} in YAML's flow style reads as balance 41 and a field named 0.
        loc = ".".join(str(p) for p in err["loc"][:-1]) or "case"
        return [FieldProblem(loc, f"has a field named {err['loc'][-1]!r}: in a {{…}} "
                                  "mapping a comma starts a new field — write amounts "
                                  "without a thousands separator (41000, not 41,000)", row)]
    text = unknown if err.get("type") == "extra_forbidden" else problem_text(err)
    if err.get("type") == "extra_forbidden":  # did you mean `birth_date`?
        hint = hint_for(err, title)
        text = text.split(" (")[0] + hint if hint else text  # instead of "check the spelling"
    return [FieldProblem(loc or "case", text, row)]
