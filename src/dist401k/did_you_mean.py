"""“Did you mean `birth_date`?”: the nearest declared name to a misspelled field, money source or
reason code (difflib's ratio, the names declared by the model or the registry)."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable

from pydantic import BaseModel

from dist401k.errors import FieldProblem

UNKNOWN_FIELD = "is not a field dist401k knows"
_QUOTED = re.compile(r"'([^']+)'")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, if one is close enough to be a likely misspelling."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for the nearest choice, or nothing."""
    best = nearest(word, choices)
    return f" (did you mean `{best}`?)" if best else ""


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model an annotation holds: itself, the item of a list, the value of a dict, the
    model of an Optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, set, frozenset) and args:
        return _model_in(args[0])
    if origin is dict and len(args) == 2:
        return _model_in(args[1])
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for a in args:
            if (m := _model_in(a)) is not None:
                return m
    return None


def fields_at(model: type[BaseModel], path: list[str]) -> list[str]:
    """The field names (and aliases) declared by the model found at ``path`` under ``model``."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return []
        if part.isdigit() or part not in current.model_fields:
            continue  # a list index or a dict key: the item's model is already current
        current = _model_in(current.model_fields[part].annotation)
    if current is None:
        return []
    names = list(current.model_fields)
    names += [f.alias for f in current.model_fields.values() if f.alias]
    return names


def with_suggestion(problem: FieldProblem, model: type[BaseModel]) -> FieldProblem:
    """The problem, with the nearest declared name added to an unknown field or an unknown
    key (a money source) whose allowed values the message lists."""
    parts = problem.field.split(".")
    if problem.problem.startswith(UNKNOWN_FIELD):
        hint = did_you_mean(parts[-1], fields_at(model, parts[:-1]))
    elif parts[-1] == "[key]" and len(parts) > 1:
        hint = did_you_mean(parts[-2], _QUOTED.findall(problem.problem))
    else:
        return problem
    if not hint:
        return problem
    if parts[-1] == "[key]":  # the hint first: the list of allowed names is long
        return FieldProblem(".".join(parts[:-1]), f"is not a name allowed here{hint}; "
                            f"{problem.problem}", problem.row)
    return FieldProblem(problem.field, f"{UNKNOWN_FIELD}{hint}", problem.row)


def with_suggestions(problems: Iterable[FieldProblem],
                     model: type[BaseModel]) -> list[FieldProblem]:
    return [with_suggestion(p, model) for p in problems]
