"""`dist401k explain CODE`: the text and citation of a reason code, as batch output carries
only the codes (law/reasons/*.yaml)."""

from __future__ import annotations

import typer
from rich.markup import escape

from dist401k.commands._files import fail
from dist401k.commands._output import checked_format, format_option, print_csv, print_json, terminal
from dist401k.explain import Reason, UnknownReason, reason


def reason_or_exit(code: str) -> Reason:
    """The reason registered under ``code`` (case does not matter); otherwise one line with the
    nearest code and exit status 2."""
    try:
        return reason(code)
    except UnknownReason as exc:
        fail(str(exc))


def explain_command(
    code: list[str] = typer.Argument(..., help="Reason code(s) as batch output and --format "
                                     "json give them, e.g. PX_SEPARATION_55."),
    format: str = format_option(),
) -> None:
    """What a reason code means: its text, the rule it cites and where to read the rule."""
    checked_format(format)
    reasons = [reason_or_exit(c) for c in code]
    rows = [{**r.as_dict(), "href": r.href} for r in reasons]
    if format == "json":
        print_json(rows if len(rows) > 1 else rows[0])
    elif format == "csv":
        print_csv(rows)
    else:
        console = terminal()
        for r in reasons:
            console.print(f"[bold]{r.code}[/]: {escape(r.text)}", highlight=False)
            console.print(f"  {escape(r.citation)}" + (f" — {r.href}" if r.href else ""),
                          highlight=False)
