"""The command line: `dist401k COMMAND`.  Each command lives in ``dist401k.commands``."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="dist401k",
    help="Ways out of a 401(k), 403(b) or governmental 457(b): eligibility, tax, penalty, "
    "withholding and 1099-R codes, with the rule and its citation for every answer.",
    no_args_is_help=True,
    invoke_without_command=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and the law version."),
) -> None:
    """dist401k: ways out of US retirement plans, with the rule behind every answer."""
    if not version and ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()
    if version:
        from dist401k import __version__
        from dist401k.law import default_law

        typer.echo(f"dist401k {__version__} (law {default_law().version})")
        raise typer.Exit()


# Commands register themselves here (one import per command module).
from dist401k.commands import assess as _assess
from dist401k.commands import batch as _batch
from dist401k.commands import compare as _compare
from dist401k.commands import plan as _plan
from dist401k.commands import schema as _schema
from dist401k.commands import sepp as _sepp
from dist401k.commands import serve as _serve
from dist401k.commands import tax as _tax

app.command("assess")(_assess.assess_command)
app.command("tax")(_tax.tax_command)
app.command("schema")(_schema.schema_command)
app.command("compare")(_compare.compare_command)
app.command("report")(_compare.report_command)
app.command("serve")(_serve.serve_command)
app.command("batch")(_batch.batch_command)
app.command("synth")(_batch.synth_command)
app.command("plan")(_plan.plan_command)
app.command("sepp")(_sepp.sepp_command)


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
