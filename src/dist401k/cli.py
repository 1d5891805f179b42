"""The command line: `dist401k COMMAND`.  Each command lives in ``dist401k.commands``."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import typer
import typer.rich_utils as typer_rich_utils
from typer.core import TyperOption

app = typer.Typer(
    name="dist401k",
    help="Ways out of a 401(k), 403(b) or governmental 457(b): eligibility, tax, penalty, "
    "withholding and 1099-R codes, with the rule and its citation for every answer.",
    no_args_is_help=True,
    invoke_without_command=False,
    add_completion=True,
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
from dist401k.commands import explain as _explain
from dist401k.commands import plan as _plan
from dist401k.commands import schema as _schema
from dist401k.commands import sepp as _sepp
from dist401k.commands import serve as _serve
from dist401k.commands import tax as _tax

COMMANDS: dict[str, Callable[..., Any]] = {"assess": _assess.assess_command, "tax": _tax.tax_command,
            "schema": _schema.schema_command, "compare": _compare.compare_command,
            "report": _compare.report_command, "serve": _serve.serve_command,
            "batch": _batch.batch_command, "synth": _batch.synth_command,
            "plan": _plan.plan_command, "sepp": _sepp.sepp_command,
            "explain": _explain.explain_command}


def first_paragraph(command) -> str:
    """A command's first docstring paragraph as one line, for the list of commands (Typer keeps
    the docstring's line breaks there, which broke sentences in the middle)."""
    return " ".join(inspect.cleandoc(command.__doc__ or "").split("\n\n")[0].split())


for _name, _command in COMMANDS.items():
    app.command(_name, short_help=first_paragraph(_command))(_command)


def _flag_type(self: TyperOption, ctx) -> str | None:
    """No type label (Typer writes ``<bool>``) beside an on/off flag in the help."""
    return None if self.is_flag else _option_type(self, ctx)


_option_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]  # Typer has no hook


def _one_line_usage_error(self: Any) -> None:
    """A usage error (an unknown option, an option's value of the wrong kind, a missing
    argument) as one line on stderr, as bad input in a case file is — ``error: <what is
    wrong> (<command> --help)`` — not Typer's box; the exit status stays 2."""
    if self.__class__.__name__ == "NoArgsIsHelpError":  # the help was shown: nothing to add
        return
    from rich.console import Console

    ctx = getattr(self, "ctx", None)
    hint = f" ({ctx.command_path} --help)" if ctx is not None else ""
    err = Console(stderr=True, soft_wrap=True)
    err.print("[bold red]error:[/] ", end="")
    err.print(" ".join(self.format_message().split()) + hint, markup=False, highlight=False)


# Typer has no hook either (its own vendored click's exception: the argument is typed Any)
typer_rich_utils.rich_format_error = _one_line_usage_error


#: The exit status of a defect of dist401k itself (sysexits' EX_SOFTWARE): bad input is 2.
EXIT_DEFECT = 70


def main() -> None:
    """The entry point: a defect that escapes a command becomes one line on stderr, never a
    traceback (its message may hold the case's figures, so only its kind is named);
    ``DIST401K_DEBUG=1`` shows the traceback to a developer.

    SIGTERM stops every command but ``serve`` as Ctrl-C does (Typer turns the
    ``KeyboardInterrupt`` into exit 130; the temporary outputs are removed), with the status a
    shell gives a command the signal ended, 143; ``serve`` keeps uvicorn's own handling (its
    graceful shutdown).  A SIGTERM whose exception a library swallowed still ends with 143,
    even where the command then ran to its end: it wrote no output after the signal
    (:func:`dist401k.io.outputs.atomic_output` refuses the rename).  docs/batch.md, "Bad files
    and what a failure leaves"."""
    import os
    import sys

    from dist401k.io.outputs import EXIT_TERMINATED, SigtermState, sigterm_as_interrupt

    command = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    term = SigtermState()
    try:
        if command == "serve":
            app()
        else:
            with sigterm_as_interrupt() as term:
                app()
    except (SystemExit, KeyboardInterrupt) as stop:
        if term.received:  # Typer's exit 130, or the signal before or after Typer ran
            sys.exit(EXIT_TERMINATED)
        if isinstance(stop, KeyboardInterrupt):
            sys.exit(130)
        raise
    except Exception as exc:
        if os.environ.get("DIST401K_DEBUG") == "1":
            raise
        if term.received:  # the signal's raise swallowed (a failure it may have caused)
            sys.exit(EXIT_TERMINATED)
        print(f"dist401k: internal error ({type(exc).__name__}): a defect of dist401k, not of "
              "your input. Please report it with the command you ran (DIST401K_DEBUG=1 shows "
              "where it failed).", file=sys.stderr)
        sys.exit(EXIT_DEFECT)
    if term.received:  # returned normally after a SIGTERM whose raise was swallowed
        sys.exit(EXIT_TERMINATED)


if __name__ == "__main__":  # pragma: no cover
    main()
