"""A state tax built on figures flagged unconfirmed in the state's law files says so under the
table that shows it: `dist401k assess`, `dist401k compare` and the HTML report of `dist401k
report` print which state and year, and each figure's own ``unconfirmed`` text (what was used in
its place); the JSON keeps the reason STATE_FIGURES_UNCONFIRMED.

California 2026: the four CA files that carry 2025's figures (brackets, standard deduction,
exemption credit and its phase-out threshold) say so in their ``unconfirmed: {2026: ...}``;
none of them has a 2025 entry, so 2025 is confirmed and gets no note.  The expected sentences
below are copied from those YAML files (src/dist401k/law/params/state/ca/), not from the
program's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app

CASE = Path(__file__).parents[2] / "examples" / "cases" / "pat-california-rule-of-55.yaml"
runner = CliRunner()

#: The CA law files' own words (brackets.yaml; standard_deduction.yaml, exemption_credit.yaml,
#: exemption_credit_phaseout_start.yaml).
BRACKETS_WHY = ("The FTB's 2026 indexed brackets were not read from its own text; the 2025 "
                "brackets are carried.")
AMOUNT_WHY = ("The FTB's 2026 indexed amount was not read from its own text; the 2025 amount is "
              "carried.")


def case_of(tmp_path: Path, year: int) -> Path:
    """Pat's California case, its request dated in ``year`` (the example's is 2025-10-15)."""
    text = CASE.read_text()
    assert "date: 2025-10-15" in text
    out = tmp_path / f"pat-{year}.yaml"
    out.write_text(text.replace("date: 2025-10-15", f"date: {year}-10-15"))
    return out


def flat(text: str) -> str:
    """The text with its line wrapping undone (the terminal table wraps the note)."""
    return " ".join(text.split())


def run(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return r.stdout


def says_unconfirmed(text: str) -> bool:
    t = flat(text)
    return "unconfirmed for CA 2026" in t and BRACKETS_WHY in t and AMOUNT_WHY in t


@pytest.mark.parametrize("command", ["assess", "compare"])
def test_terminal_notes_california_2026_figures_unconfirmed(tmp_path, command):
    out = run([command, str(case_of(tmp_path, 2026))])
    assert says_unconfirmed(out), out
    # every figure the note names is one of the four files, by its label
    for label in ("California income tax bracket thresholds", "California standard deduction",
                  "California personal and senior exemption credit",
                  "California exemption credit phase-out threshold"):
        assert label in flat(out)


@pytest.mark.parametrize("command", ["assess", "compare"])
def test_terminal_has_no_note_for_confirmed_california_2025(tmp_path, command):
    out = run([command, str(case_of(tmp_path, 2025))])
    # the state tax column is there, CA 2025 by hand: 40,000 − 5,706 standard deduction = 34,294;
    # 1% of 11,079 + 2% of 15,185 + 4% of 8,030 = 735.69, less the 153 exemption credit: 583…
    assert "583" in out
    assert "unconfirmed" not in out.lower()  # …with no note


def test_report_html_notes_california_2026_and_not_2025(tmp_path):
    for year in (2025, 2026):
        html_file = tmp_path / f"r{year}.html"
        run(["report", str(case_of(tmp_path, year)), "-o", str(html_file)])
        page = html_file.read_text().replace("&#x27;", "'")
        assert says_unconfirmed(page) == (year == 2026)


def test_json_keeps_the_reason(tmp_path):
    for year in (2025, 2026):
        out = json.loads(run(["assess", "--format", "json", str(case_of(tmp_path, year))]))
        codes = {x["code"] for o in out["outcomes"] for x in o["reasons"]}
        assert ("STATE_FIGURES_UNCONFIRMED" in codes) == (year == 2026)


def test_a_projected_year_inherits_the_note_of_the_year_it_carries():
    """The year after the last enacted one (``law.enacted_through``; 2027 while 2026 is the
    last) is projected from it: its CA figures are the enacted year's, carried, and so is their
    mark (engine.unconfirmed_why) — the note of the enacted year, under the projected year.
    The brackets' mark is read from brackets.yaml (2026's is BRACKETS_WHY)."""
    from dist401k.commands.assess import unconfirmed_state_note
    from dist401k.law import default_law
    from dist401k.law.loader import PARAMS_DIR

    enacted = default_law().enacted_through
    brackets = yaml.safe_load((PARAMS_DIR / "state" / "ca" / "brackets.yaml").read_text())
    marks = brackets["metadata"].get("unconfirmed") or {}
    note = unconfirmed_state_note("CA", enacted + 1)
    if enacted in marks:
        assert note is not None and f"CA {enacted + 1}" in note and flat(marks[enacted]) in note
    carried = unconfirmed_state_note("CA", enacted)
    assert note == (carried and carried.replace(f"CA {enacted}", f"CA {enacted + 1}"))
    assert flat(marks[2026]) == BRACKETS_WHY
    assert unconfirmed_state_note("CA", 2025) is None
    assert unconfirmed_state_note(None, 2026) is None
