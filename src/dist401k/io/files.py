"""Reading one case from a YAML or JSON file, with errors that name the file and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from dist401k.errors import FieldProblem, InputError


def read_case_file(path: str | Path) -> dict:
    """The mapping a YAML or JSON case file holds, or :class:`InputError` on field ``file``."""
    path = Path(path)
    if not path.exists():
        raise InputError(FieldProblem("file", f"{path.name}: no such file"))
    text = path.read_text(encoding="utf-8")
    is_json = path.suffix.lower() == ".json"
    try:
        data = json.loads(text) if is_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(FieldProblem("file", f"{path.name} is not valid "
                                      f"{'JSON' if is_json else 'YAML'}: {exc}")) from None
    if not isinstance(data, dict):
        raise InputError(FieldProblem("file", f"{path.name} must hold one case (a mapping)"))
    return data
