"""“Did you mean `birth_date`?”: the nearest declared name to a misspelled field, money source or
reason code (difflib's ratio, the names declared by the model or the registry)."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable

from pydantic import BaseModel

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


def model_named(title: str) -> type[BaseModel] | None:
    """The one pydantic model class called ``title`` (a ValidationError's title), if exactly
    one is defined."""
    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__name__ == title and cls not in found:
            found.append(cls)
    return found[0] if len(found) == 1 else None


def hint_for(err: dict, title: str = "") -> str:
    """`` (did you mean `x`?)`` for a pydantic error on an unknown field of the model called
    ``title`` (the names it declares there) or a value outside a list of choices (the
    choices); nothing otherwise."""
    kind, loc = err.get("type"), [str(p) for p in err.get("loc", ())]
    if kind == "extra_forbidden" and loc:
        model = model_named(title)
        return did_you_mean(loc[-1], fields_at(model, loc[:-1])) if model else ""
    if kind in ("literal_error", "enum") and isinstance(err.get("input"), str):
        return did_you_mean(err["input"], _QUOTED.findall(str((err.get("ctx") or {})
                                                               .get("expected", ""))))
    return ""
