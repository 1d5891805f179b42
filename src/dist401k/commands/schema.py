"""`dist401k schema`: the JSON Schema of a case file, or of a drawdown plan file (`--plan`)."""

from __future__ import annotations

import json

import typer

from dist401k.case import case_schema

KINDS = ("case", "plan")


def schema_command(
    ctx: typer.Context,
    kind: str = typer.Argument("case", help="case (`dist401k assess`) or plan (`dist401k plan`)."),
    plan: bool = typer.Option(False, "--plan", help="The drawdown plan file's schema (as `schema "
                              "plan`)."),
) -> None:
    """Print the JSON Schema of a case file, or of a drawdown plan file (YAML or JSON)."""
    from dist401k.commands._files import fail, given
    from dist401k.did_you_mean import did_you_mean

    if kind not in KINDS:
        fail(f"schema must be one of {', '.join(KINDS)}, not {kind!r}{did_you_mean(kind, KINDS)}")
    if plan and kind == "case" and given(ctx, "kind"):
        fail("`schema case --plan` asks for two schemas: give `schema case` or `schema plan`")
    if plan or kind == "plan":
        from dist401k.planner.household import household_schema

        typer.echo(json.dumps(household_schema(), indent=2))
        return
    typer.echo(json.dumps(case_schema(), indent=2))
