"""The command line: `dist401k COMMAND`.  Each command lives in ``dist401k.commands``."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import typer
import typer.rich_utils as typer_rich_utils
from rich.console import Console
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup, TyperOption

from dist401k.commands._output import drop_unusable_columns


class Dist401kGroup(TyperGroup):
    """The command group, which first sets aside a ``COLUMNS`` no console can draw at
    (``COLUMNS=0`` printed no table, no help and no error): the terminal's width, or 100
    columns when piped, as docs/cli.md says."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        drop_unusable_columns()
        return super().main(*args, **kwargs)


app = typer.Typer(
    name="dist401k",
    cls=Dist401kGroup,
    help="Ways out of a 401(k), 403(b) or governmental 457(b): eligibility, tax, penalty, "
    "withholding and 1099-R codes, with the rule and its citation for every answer.",
    no_args_is_help=True,
    invoke_without_command=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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
        from dist401k.explain import registry
        from dist401k.law import default_law

        # The law version covers the reason files too: read (and checked) as every command
        # that reads the law reads them, a malformed one is the same one line, exit status 2.
        law_version = default_law().version
        registry()
        typer.echo(f"dist401k {__version__} (law {law_version})")
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


def _stacked(first: Any, second: Any) -> Any:
    """An option's name and its negative (``--monte-carlo`` over ``--no-monte-carlo``) in one
    cell, one above the other, rather than in two columns side by side."""
    if not isinstance(second, Text) or not second.plain:
        return first
    both = first.copy() if isinstance(first, Text) else Text(str(first))
    if both.plain:
        both.append("\n")
    both.append_text(second)
    return both


def _folding(cell: Any) -> Any:
    """``cell`` (a Text, or Typer's Columns of help and ``[default: …]``) set to break a word
    too long for its column rather than cut it with "…"."""
    for part in (*getattr(cell, "renderables", ()), cell):
        if isinstance(part, Text):
            part.overflow = "fold"
    return cell


def _blank(cells: list[Any]) -> bool:
    return all(isinstance(c, Text) and not c.plain for c in cells)


# The least width the help column of an options panel keeps where the names and types crowd it.
HELP_FLOOR = 12


def _fitted_options(table: Table, width: int) -> Table:
    """Typer's options table laid out so that no option's name is cut with "…" (Rich cut
    ``--log-client-address`` at 80 columns): each negative name under its option, the names
    never wrapped, the types and the help folded into what is left (docs/cli.md: nothing in a
    table is cut short)."""
    cols = [list(c.cells) for c in table.columns]
    if len(cols) < 6:
        return table
    marks, (long_, short, neg_long, neg_short, types, helps) = cols[:-6], cols[-6:]
    names = [[_stacked(a, b) for a, b in zip(long_, neg_long, strict=True)],
             [_stacked(a, b) for a, b in zip(short, neg_short, strict=True)]]
    fixed = [c for c in (*marks, *names) if not _blank(c)]
    console = Console(width=10_000)
    measure = [max(Measurement.get(console, console.options, x).maximum for x in c) for c in fixed]
    room = width - 4 - 2 * (len(fixed) + 1) - sum(measure)  # the panel, the gaps between columns
    types_most = max(Measurement.get(console, console.options, x).maximum for x in types)
    types_least = max(Measurement.get(console, console.options, x).minimum for x in types)
    help_floor = min(HELP_FLOOR, room // 2)
    type_width = types_most if room - types_most >= 3 * HELP_FLOOR else \
        max(1, min(types_least, room - help_floor))
    out = Table(highlight=True, show_header=False, expand=True, box=None, pad_edge=False,
                padding=typer_rich_utils.STYLE_OPTIONS_TABLE_PADDING,
                show_lines=typer_rich_utils.STYLE_OPTIONS_TABLE_SHOW_LINES,
                leading=typer_rich_utils.STYLE_OPTIONS_TABLE_LEADING)
    for _ in fixed:
        out.add_column(no_wrap=True)
    out.add_column(width=type_width if room > 1 else None, overflow="fold")
    out.add_column(width=max(1, room - type_width) if room > 1 else None, overflow="fold")
    for *row, kind, text in zip(*fixed, types, helps, strict=True):
        out.add_row(*row, _folding(kind), _folding(text))
    return out


class _FittingConsole:
    """The console Typer prints an options panel to, which lays the panel's table out
    (:func:`_fitted_options`) before printing it."""

    def __init__(self, console: Console):
        self.console = console

    def print(self, renderable: Any = "", *args: Any, **kwargs: Any) -> None:
        if isinstance(renderable, Panel) and isinstance(renderable.renderable, Table):
            renderable.renderable = _fitted_options(renderable.renderable, self.console.width)
        self.console.print(renderable, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


_print_options_panel = typer_rich_utils._print_options_panel


def _options_panel(*, console: Console, **kwargs: Any) -> None:
    """Typer's options panel, its table laid out by :func:`_fitted_options`."""
    _print_options_panel(console=_FittingConsole(console), **kwargs)  # type: ignore[arg-type]


typer_rich_utils._print_options_panel = _options_panel  # Typer has no hook for its layout


def _one_line_usage_error(self: Any) -> None:
    """A usage error (an unknown option, an option's value of the wrong kind, a missing
    argument) as one line on stderr, as bad input in a case file is — ``error: <what is
    wrong> (<command> --help)`` — not Typer's box; the exit status stays 2."""
    if self.__class__.__name__ == "NoArgsIsHelpError":  # the help was shown: nothing to add
        return
    cause = self.__cause__
    if hasattr(cause, "errors") and hasattr(self, "message"):  # Typer's pydantic check
        from dist401k.errors import problem_text

        self.message = "; ".join(dict.fromkeys(problem_text(e) for e in cause.errors()))
    ctx = getattr(self, "ctx", None)
    hint = f" ({ctx.command_path} --help)" if ctx is not None else ""
    err = Console(stderr=True, soft_wrap=True)
    err.print("[bold red]error:[/] ", end="")
    err.print(" ".join(self.format_message().split()) + hint, markup=False, highlight=False)


# Typer has no hook either (its own vendored click's exception: the argument is typed Any)
typer_rich_utils.rich_format_error = _one_line_usage_error


#: The exit status of a defect of dist401k itself (sysexits' EX_SOFTWARE): bad input is 2.
EXIT_DEFECT = 70
#: A malformed law file (a contributor's data, named in the one line): bad input, as a
#: malformed case file is — and as the commands already answer a LawError — not a defect.
EXIT_LAW_FILE = 2


def main() -> None:
    """The entry point: a defect that escapes a command becomes one line on stderr, never a
    traceback (its message may hold the case's figures, so only its kind is named);
    ``DIST401K_DEBUG=1`` shows the traceback to a developer.  A malformed law file
    (:class:`~dist401k.law.LawFileError`) is one line naming the file and the problem, exit
    status 2: no module loads the law when imported, so ``--help`` still works.

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
    from dist401k.law import LawFileError

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
    except LawFileError as exc:  # a malformed law file: the file and the problem, in one line
        if os.environ.get("DIST401K_DEBUG") == "1":
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(EXIT_LAW_FILE)
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
