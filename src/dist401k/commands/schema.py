"""`dist401k schema`: the JSON Schema of a case file."""

from __future__ import annotations

import json

import typer

from dist401k.case import case_schema


def schema_command() -> None:
    """Print the JSON Schema of a case file (YAML or JSON)."""
    typer.echo(json.dumps(case_schema(), indent=2))
