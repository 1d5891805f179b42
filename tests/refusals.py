"""The command line's refusal of bad input, as the tests check it: exit status 2, no
traceback, the expected words in the output."""

from __future__ import annotations

from typer.testing import CliRunner

from dist401k.cli import app

runner = CliRunner()


def refused(args: list, *expected: str) -> str:
    """Exit status 2, no traceback, and each of ``expected`` in the output."""
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    for text in expected:
        assert text in r.output, r.output
    return r.output
