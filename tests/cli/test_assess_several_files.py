"""`dist401k assess` given several case files, one or more of them bad: every bad file's
problems are said, then one line that none is answered; exit 2, nothing on standard output
(docs/assess.md)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dist401k.cli import app

GOOD = Path(__file__).parents[2] / "examples" / "cases" / "rule-of-55.yaml"


def _invoke(args):
    r = CliRunner().invoke(app, [str(a) for a in args])
    out = r.stdout
    err = r.stderr
    return r.exit_code, out, err


def test_every_bad_file_is_named_and_none_is_answered(tmp_path):
    """Before, the first bad file stopped the command: a second bad file's problems were not
    said, and nothing told the user the good case was left unanswered on purpose."""
    m1 = tmp_path / "m1.yaml"
    m1.write_text(GOOD.read_text().replace("filing_status: single", "filing_status: singel"))
    m2 = tmp_path / "m2.yaml"
    m2.write_text(GOOD.read_text().replace("date: 2026-11-23", "date: 2026-13-01"))
    for fmt in ("table", "json", "csv"):
        code, out, err = _invoke(["assess", "-f", fmt, m1, GOOD, m2])
        assert code == 2, err
        assert out == ""
        lines = err.strip().splitlines()
        assert lines[0].startswith("error: m1.yaml: person.filing_status: is not one of"), err
        assert lines[1].startswith("error: m2.yaml: request.date: is not a day of the "
                                   "calendar"), err
        assert lines[2] == ("2 of 3 case files cannot be read: none is answered (fix "
                            "them, or assess the good ones alone)"), err
        assert len(lines) == 3, err


def test_one_bad_file_alone_keeps_its_one_line(tmp_path):
    m1 = tmp_path / "m1.yaml"
    m1.write_text(GOOD.read_text().replace("filing_status: single", "filing_status: singel"))
    code, out, err = _invoke(["assess", m1])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
