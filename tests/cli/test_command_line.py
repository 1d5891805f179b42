"""The command line for a new user: tables as wide as the terminal, one --format on every
command, shell completion, "did you mean" for a misspelling, `explain CODE`, help without
broken sentences, one line for one problem."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.explain import registry

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "cases" / "annuity-pitch-backdoor.yaml"
SEPP = ROOT / "examples" / "cases" / "sepp-early-retiree.yaml"
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
HOUSEHOLDS = ROOT / "examples" / "households.csv"
runner = CliRunner()
COMMANDS = {c.name: c.callback for c in app.registered_commands}

# Every command that prints a result, with the arguments it needs.
PRINTING = {"assess": [str(CASE)], "compare": [str(CASE)], "sepp": [str(SEPP)],
            "tax": [str(HOUSEHOLDS)], "plan": ["--no-monte-carlo", str(PLAN)],
            "explain": ["PX_SEPARATION_55"]}


FIGURE = re.compile(r"-?\$?\d[\d,]*(?:\.\d+)?%?")


def figures(text: str) -> set[str]:
    """The figures of a command's output, less the seconds a solver took."""
    return set(FIGURE.findall(re.sub(r"\d+\.\d+ s\b", "", text)))


def run(args: list[str], **env: str | None):
    return runner.invoke(app, args, env=env or None)


@pytest.mark.parametrize("command", ["assess", "compare", "sepp", "tax", "plan"])
@pytest.mark.parametrize("columns", ["80", "100", None])
def test_tables_fit_the_width_and_keep_every_figure(command, columns):
    """Piped without COLUMNS: 100 columns; with COLUMNS: that width (it was 130 always).
    Every figure of the widest table is there, whole."""
    r = run([command, *PRINTING[command]], COLUMNS=columns)
    assert r.exit_code == 0, r.output
    width = int(columns or 100)
    assert max(len(line) for line in r.stdout.splitlines()) <= width
    assert "…" not in r.stdout  # no figure cut short
    wide = run([command, *PRINTING[command]], COLUMNS="400").stdout
    assert figures(wide) <= figures(r.stdout)


@pytest.mark.parametrize("command", sorted(PRINTING))
def test_every_command_writes_json_and_csv(command):
    j = run([command, "--format", "json", *PRINTING[command]])
    assert j.exit_code == 0, j.output
    assert json.loads(j.stdout)
    c = run([command, "-f", "csv", *PRINTING[command]])
    assert c.exit_code == 0, c.output
    rows = list(csv.DictReader(io.StringIO(c.stdout)))
    assert rows and all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("command", sorted(PRINTING))
def test_an_unknown_format_is_one_line_and_exit_2(command):
    r = run([command, "--format", "xml", *PRINTING[command]])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        "error: --format: 'xml' is not a format dist401k writes (use table, json, csv)"]


def test_tax_json_is_every_unit_to_the_cent():
    r = run(["tax", "--format", "json", str(HOUSEHOLDS)])
    units = json.loads(r.stdout)["results"]
    with HOUSEHOLDS.open() as f:
        assert len(units) == sum(1 for _ in csv.DictReader(f))
    assert {"agi", "income_tax", "additional_tax_72t"} <= set(units[0])


def test_sepp_json_stays_a_hidden_alias():
    new = run(["sepp", "--format", "json", str(SEPP)])
    old = run(["sepp", "--json", str(SEPP)])
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert "--json" not in run(["sepp", "--help"], COLUMNS="200").stdout


def test_shell_completion_is_offered(monkeypatch):
    import typer.completion

    assert "--install-completion" in run(["--help"], COLUMNS="200").stdout
    # The shell is detected from the parent processes, which a test run may not have: bash.
    monkeypatch.setattr(typer.completion, "_get_shell_name", lambda: "bash")
    r = run(["--show-completion"])
    assert r.exit_code == 0 and "complete" in r.stdout


def misspelled(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CASE.read_text().replace("  birth_date:", "  birth_dat:")
                   .replace("elective_deferral: {balance", "elective_defferal: {balance"))
    return bad


@pytest.mark.parametrize("command", ["assess", "compare", "sepp"])
def test_a_misspelled_field_or_source_gets_the_nearest_name(command, tmp_path):
    r = run([command, str(misspelled(tmp_path))])
    assert r.exit_code == 2
    assert "person.birth_dat: is not a field dist401k knows (did you mean `birth_date`?)" \
        in r.output
    assert "account.sources.elective_defferal.[key]: is not one of elective_deferral, " in r.output
    assert "roth_employer (did you mean `elective_deferral`?)" in r.output
    assert "Traceback" not in r.output


def test_the_api_says_did_you_mean_for_a_money_source(tmp_path):
    import yaml
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    body = yaml.safe_load(misspelled(tmp_path).read_text())
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token=""))
    r = client.post("/assess", content=json.dumps(body, default=str),
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    said = " ".join(d["msg"] for d in r.json()["detail"])
    assert "roth_employer (did you mean `elective_deferral`?)" in said


def test_a_misspelled_household_field_gets_the_nearest_name(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text(PLAN.read_text().replace("start_year:", "start_yaer:")
                   .replace("{objective:", "{objectiv:"))
    r = run(["plan", "--no-monte-carlo", str(bad)])
    assert r.exit_code == 2
    assert "start_yaer: is not a field dist401k knows (did you mean `start_year`?)" in r.output
    assert "strategy.objectiv: is not a field dist401k knows (did you mean `objective`?)" \
        in r.output


@pytest.mark.parametrize("command", ["assess", "sepp"])
def test_one_problem_is_one_line(command, tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text(SEPP.read_text().replace("amount: max", "amount: -5"))
    r = run([command, str(one)])
    assert r.exit_code == 2
    lines = r.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: one.yaml: request"), r.output


def test_explain_prints_the_text_and_citation_of_a_code():
    code, reason = next(iter(registry().items()))
    r = run(["explain", code.lower()], COLUMNS="400")
    assert r.exit_code == 0, r.output
    assert reason.text in r.stdout and reason.citation in r.stdout


def test_explain_an_unknown_code_is_one_line_with_the_nearest():
    r = run(["explain", "PX_SEPARATION_5"])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        "error: 'PX_SEPARATION_5' is not a reason code dist401k knows (did you mean "
        "`PX_SEPARATION_55`?) (codes are in law/reasons/*.yaml)"]


def test_the_list_of_commands_has_no_sentence_broken_in_the_middle():
    text = run(["--help"], COLUMNS="1000").stdout
    for name, command in COMMANDS.items():
        line = next(x for x in text.splitlines() if re.match(rf"^│ {name}\s", x))
        paragraph = inspect.cleandoc(command.__doc__).split("\n\n")[0]
        assert " ".join(paragraph.split()) in line, name


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_has_no_type_label_beside_a_flag(command):
    r = run([*command, "--help"], COLUMNS="200")
    assert r.exit_code == 0
    assert "<bool>" not in r.stdout


def test_a_defect_is_one_line_without_a_traceback_or_the_case_s_figures(monkeypatch, capsys):
    # Any exception that escapes a command (a defect, not bad input) ends as one line on
    # stderr naming only its kind, exit 70; DIST401K_DEBUG=1 lets a developer see it.
    import dist401k.cli as cli

    def broken():
        raise ValueError("could not broadcast 123456.78 for Pat")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("DIST401K_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == cli.EXIT_DEFECT == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (ValueError)" in err
    assert "Traceback" not in err and "123456" not in err and "Pat" not in err
    monkeypatch.setenv("DIST401K_DEBUG", "1")
    with pytest.raises(ValueError):
        cli.main()
