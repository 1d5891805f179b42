"""A file of another kind given to a command is named as what it is, in one line with what to
run, exit status 2 (docs/cli.md, "Mistakes in a case file").

Before, `dist401k assess` of a drawdown plan listed 12 problems ("person: is required", …,
"start_year: is not a field dist401k knows"), `dist401k plan` of a case 8, `dist401k tax` of a
case YAML said "unknown file type '.yaml'", of a case JSON "cannot be read as JSON", and a file
too large or nested too deep was "not a case" even where `plan` read it.  The expected words are
the rule the fix states: ``FILE: is KIND (it has KEYS), not WHAT THIS COMMAND READS: WHAT TO
RUN``, KEYS the other kind's required top-level keys; only a file holding all of them and none
of this command's own is named so."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.io.files import CASE, PLAN, TAX_REQUEST, TAX_UNITS, kind_of_file

ROOT = Path(__file__).parents[2]
CASE_FILE = ROOT / "examples" / "cases" / "hardship-medical.yaml"
PLAN_FILE = ROOT / "examples" / "plans" / "couple-estate.yaml"
runner = CliRunner()

IS_PLAN = "is a drawdown plan (it has `start_year` and `people`)"
IS_CASE = "is a case (it has `person`, `plan`, `account` and `request`)"
IS_REQUEST = "is a tax request (it has `units`)"
UNITS_HINT = ("give its units to `dist401k tax` as a table (a .json array of units, JSON Lines, "
              ".csv or .parquet)")
UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 50000}


def one_line(args: list[str]) -> str:
    """Run the command: exit status 2, no traceback, exactly one line, ``error: …``."""
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    lines = r.output.strip().splitlines()
    assert len(lines) == 1, r.output
    assert lines[0].startswith("error: "), r.output
    return lines[0]


def as_json(source: Path, folder: Path) -> Path:
    """The YAML file ``source`` written as JSON (its dates as text, as a JSON file gives them)."""
    path = folder / (source.stem + ".json")
    path.write_text(json.dumps(yaml.safe_load(source.read_text()), default=str))
    return path


def door(command: str, path: Path, tmp_path: Path) -> list[str]:
    """The arguments of ``command`` reading ``path`` (`report` wants an output)."""
    return [command, str(path), "-o", str(tmp_path / "r.html")] if command == "report" \
        else [command, str(path)]


@pytest.fixture
def units(tmp_path) -> dict[str, Path]:
    """A tax request (``POST /tax``'s body) as YAML and as JSON."""
    as_yaml, as_json_ = tmp_path / "units.yaml", tmp_path / "units.json"
    as_yaml.write_text(yaml.safe_dump({"units": [UNIT]}))
    as_json_.write_text(json.dumps({"units": [UNIT]}))
    return {"yaml": as_yaml, "json": as_json_}


# --- a drawdown plan given to a case's command ----------------------------------------------------


@pytest.mark.parametrize("command", ["assess", "compare", "report", "sepp"])
def test_a_plan_given_to_a_case_command_is_named_a_plan(tmp_path, command):
    line = one_line(door(command, PLAN_FILE, tmp_path))
    assert line == (f"error: couple-estate.yaml: {IS_PLAN}, not a case: "
                    f"run `dist401k plan {PLAN_FILE}`")
    assert not (tmp_path / "r.html").exists()


def test_a_plan_in_json_is_named_a_plan_too(tmp_path):
    path = as_json(PLAN_FILE, tmp_path)
    assert one_line(["assess", str(path)]) == (f"error: couple-estate.json: {IS_PLAN}, not a case: "
                                               f"run `dist401k plan {path}`")


def test_the_docs_example_is_what_the_command_prints(monkeypatch):
    """docs/cli.md quotes the line for the path as typed (relative here)."""
    monkeypatch.chdir(ROOT)
    docs = (ROOT / "docs" / "cli.md").read_text()
    line = one_line(["assess", "examples/plans/couple-estate.yaml"])
    assert line == (f"error: couple-estate.yaml: {IS_PLAN}, not a case: "
                    "run `dist401k plan examples/plans/couple-estate.yaml`")
    assert line in docs


def test_a_path_with_a_space_is_quoted_in_what_to_run(tmp_path):
    path = tmp_path / "our plan.yaml"
    path.write_text(PLAN_FILE.read_text())
    assert one_line(["assess", str(path)]).endswith(f"run `dist401k plan '{path}'`")


# --- a case given to `plan` and to `tax` ------------------------------------------------------------


@pytest.mark.parametrize("as_json_file", [False, True], ids=["yaml", "json"])
def test_a_case_given_to_plan_is_named_a_case(tmp_path, as_json_file):
    path = as_json(CASE_FILE, tmp_path) if as_json_file else CASE_FILE
    assert one_line(["plan", str(path)]) == (f"error: {path.name}: {IS_CASE}, not a drawdown "
                                             f"plan: run `dist401k assess {path}`")


@pytest.mark.parametrize(("source", "is_", "run"), [(CASE_FILE, IS_CASE, "assess"),
                                                     (PLAN_FILE, IS_PLAN, "plan")])
def test_a_case_or_a_plan_given_to_batch_is_named_so(tmp_path, source, is_, run):
    """Before: "batch input must be .parquet or .csv", which says nothing of what was given."""
    out = one_line(["batch", str(source), "--job", "rmd", "-o", str(tmp_path / "o.csv")])
    assert out == (f"error: {source.name}: {is_}, not a plan book: run `dist401k {run} "
                   f"{source}`")
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("as_json_file", [False, True], ids=["yaml", "json"])
def test_a_case_given_to_tax_is_named_a_case(tmp_path, as_json_file):
    """Before: "unknown file type '.yaml'" for the YAML, "cannot be read as JSON" for the JSON."""
    path = as_json(CASE_FILE, tmp_path) if as_json_file else CASE_FILE
    assert one_line(["tax", str(path)]) == (f"error: {path.name}: {IS_CASE}, not a table of tax "
                                            f"units: run `dist401k assess {path}`")


@pytest.mark.parametrize("as_json_file", [False, True], ids=["yaml", "json"])
def test_a_plan_given_to_tax_is_named_a_plan(tmp_path, as_json_file):
    path = as_json(PLAN_FILE, tmp_path) if as_json_file else PLAN_FILE
    assert one_line(["tax", str(path)]) == (f"error: {path.name}: {IS_PLAN}, not a table of tax "
                                            f"units: run `dist401k plan {path}`")


# --- a tax request (`{"units": [...]}`) ------------------------------------------------------------


@pytest.mark.parametrize("syntax", ["yaml", "json"])
@pytest.mark.parametrize("command, read_as", [("assess", "a case"), ("sepp", "a case"),
                                              ("plan", "a drawdown plan")])
def test_a_tax_request_given_to_a_case_or_plan_command(units, command, read_as, syntax):
    path = units[syntax]
    assert one_line([command, str(path)]) == (f"error: {path.name}: {IS_REQUEST}, not {read_as}: "
                                              f"{UNITS_HINT}")


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_a_tax_request_given_to_tax_says_to_give_its_units(units, syntax):
    """Before: JSON "row 1, units: is a list, not one value"; YAML "unknown file type"."""
    path = units[syntax]
    assert one_line(["tax", str(path)]) == (f"error: {path.name}: {IS_REQUEST}, not a table of "
                                            f"tax units: {UNITS_HINT}")


# --- what is not named another kind ----------------------------------------------------------------


def test_a_case_with_one_key_misspelled_keeps_its_did_you_mean(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE_FILE.read_text().replace("\nperson:", "\npersn:", 1))
    r = runner.invoke(app, ["assess", str(path)])
    assert r.exit_code == 2, r.output
    assert "person: is required" in r.output
    assert "persn: is not a field dist401k knows (did you mean `person`?)" in r.output
    assert "drawdown plan" not in r.output


def test_a_plan_with_one_key_misspelled_keeps_its_did_you_mean(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_FILE.read_text().replace("\npeople:", "\npeple:", 1))
    r = runner.invoke(app, ["plan", str(path)])
    assert r.exit_code == 2, r.output
    assert "peple: is not a field dist401k knows (did you mean `people`?)" in r.output
    assert "is a case" not in r.output


def test_a_case_lacking_a_required_key_is_not_named_a_case_by_plan(tmp_path):
    """Not every key a case requires: the evidence is not clear, the fields are listed."""
    data = yaml.safe_load(CASE_FILE.read_text())
    del data["request"]
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(data, default=str))
    r = runner.invoke(app, ["plan", str(path)])
    assert r.exit_code == 2, r.output
    assert "start_year: is required" in r.output and "is a case" not in r.output


def test_a_plan_that_also_gives_a_case_key_is_not_named_a_plan(tmp_path):
    """A file holding one of the case's required keys is read as a case: its fields listed."""
    path = tmp_path / "mixed.yaml"
    path.write_text(PLAN_FILE.read_text() + "\nrequest: {}\n")
    r = runner.invoke(app, ["assess", str(path)])
    assert r.exit_code == 2, r.output
    assert "person: is required" in r.output and "drawdown plan" not in r.output


@pytest.mark.parametrize("text", [json.dumps([UNIT]), json.dumps(UNIT)], ids=["array", "one-line"])
def test_tax_units_are_still_taxed(tmp_path, text):
    """A JSON array of units, and one unit as JSON Lines: taxed as before (exit 0)."""
    path = tmp_path / "units.json"
    path.write_text(text)
    r = runner.invoke(app, ["tax", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["results"]) == 1


def test_a_fifo_is_not_opened_to_learn_its_kind(tmp_path):
    fifo = tmp_path / "units.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    assert kind_of_file(fifo, TAX_UNITS) is None
    assert time.monotonic() - start < 5


# --- the refusals of size and shape name what the command reads -----------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize("command, read_as", [("assess", "a case"), ("plan", "a drawdown plan")])
def test_an_alias_bomb_is_refused_naming_what_is_read(tmp_path, command, read_as):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    assert one_line([command, str(path)]).endswith(f"(YAML aliases counted as often as they "
                                                   f"repeat): not {read_as}")


@pytest.mark.parametrize("command, read_as", [("compare", "a case"), ("plan", "a drawdown plan")])
def test_a_deep_file_is_refused_naming_what_is_read(tmp_path, command, read_as):
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 100 + "]" * 100 + "\n")
    assert one_line([command, str(path)]) == (f"error: deep.yaml: nests deeper than 64 levels: "
                                              f"not {read_as}")


def test_a_plan_file_over_the_limit_is_not_called_a_case(tmp_path, monkeypatch):
    monkeypatch.setenv("DIST401K_MAX_BODY_BYTES", "100")
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_FILE.read_text())
    assert one_line(["plan", str(path)]) == ("error: plan.yaml: is larger than 100 bytes: "
                                             "not a drawdown plan")


# --- the kinds' keys are their models' required fields ---------------------------------------------


def test_the_kinds_keys_are_the_models_required_fields():
    from dist401k.api import TaxRequest
    from dist401k.case import Case
    from dist401k.planner.household import Household
    from dist401k.tax.units import REQUIRED

    def required(model) -> set[str]:
        return {name for name, field in model.model_fields.items() if field.is_required()}

    assert set(CASE.keys) == required(Case)
    assert set(PLAN.keys) == required(Household)
    assert set(TAX_REQUEST.keys) == required(TaxRequest)
    assert set(TAX_UNITS.keys) == set(REQUIRED)
