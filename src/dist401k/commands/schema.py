"""`dist401k schema`: the JSON Schema of a case file, or of a drawdown plan file (`--plan`)."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from dist401k.case import case_schema

KINDS = ("case", "plan")


def schema_command(
    kind: str = typer.Argument("case", help="case (`dist401k assess`) or plan (`dist401k plan`)."),
    plan: bool = typer.Option(False, "--plan", help="The drawdown plan file's schema (as `schema "
                              "plan`)."),
) -> None:
    """Print the JSON Schema of a case file, or of a drawdown plan file (YAML or JSON)."""
    if kind not in KINDS:
        Console(stderr=True).print(f"error: schema must be one of {', '.join(KINDS)}, not "
                                   f"{kind!r}", markup=False, highlight=False)
        raise typer.Exit(2)
    if plan or kind == "plan":
        from dist401k.planner.household import household_schema

        typer.echo(json.dumps(household_schema(), indent=2))
        return
    typer.echo(json.dumps(case_schema(), indent=2))
