"""One rounding of dollars in every view: a whole-dollar figure is rounded half away from zero
(Instructions for Form 1040, "Rounding off to whole dollars": "drop amounts under 50 cents and
increase amounts from 50 to 99 cents to the next dollar"; $2.50 becomes $3), the same in the
terminal tables, the HTML report's tables, and the web pages' formatter (src/dist401k/web/common.js).

The case: a $40,200 payment after separation in 2025 to a single Michigan resident.  Michigan
withholds its income tax rate, 4.25%, from it: 0.0425 x 40,200 = $1,708.50 exactly (MCL 206.703
and Form MI W-4P: no certificate on file, the flat rate on the taxable payment; MCL 206.51).
Federal tax: 40,200 - 15,750 standard deduction (2025, IRC §63(c)(7) as amended by P.L. 119-21)
= 24,450 taxable, 10% of 11,925 + 12% of 12,525 = $2,695.50; Michigan tax: 4.25% of
(40,200 - 5,800 exemption) = $1,462.00; kept after all tax 40,200 - 2,695.50 - 1,462.00 =
$36,042.50.  Rounded as the form rounds: 1,709, 2,696 and 36,043
(Python's ``f"{x:,.0f}"`` rounds halves to even: 1,708 and 36,042).

The report is written for its owner only (mode 0600), as every other output
(io/outputs.atomic_output)."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.money import dollars_text

ROOT = Path(__file__).parents[2]
COMMON_JS = ROOT / "src" / "dist401k" / "web" / "common.js"
runner = CliRunner()

MICHIGAN = {
    "id": "pat-michigan-rule-of-55",
    "person": {"birth_date": "1969-06-12", "filing_status": "single", "state": "MI"},
    "employment": {"status": "separated", "hire_date": "2009-02-02",
                   "separation_date": "2024-12-13"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 180000},
                            "match": {"balance": 60000}}},
    "request": {"date": "2025-10-15", "amount": 40200, "destination": "cash"},
}

# Half away from zero, worked by hand: (amount, as shown).
HALVES = [(1708.5, "1,709"), (36042.5, "36,043"), (2695.5, "2,696"), (0.5, "1"), (2.5, "3"),
          (-0.5, "-1"), (-1708.5, "-1,709"), (1708.49, "1,708"), (-0.4, "0"), (0.0, "0")]


@pytest.fixture(scope="module")
def case_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("mi") / "mi.yaml"
    path.write_text(yaml.safe_dump(MICHIGAN), encoding="utf-8")
    return path


def run(args: list[str]) -> str:
    r = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    return r.stdout


def whole(figure: str, text: str) -> bool:
    """``figure`` in ``text`` as a number of its own (not part of a longer one)."""
    return re.search(r"(?<![\d,.])" + re.escape(figure) + r"(?![\d,]|\.\d)", text) is not None


@pytest.mark.parametrize(("amount", "shown"), HALVES)
def test_dollars_text_rounds_half_away_from_zero(amount, shown):
    assert dollars_text(amount) == shown


def test_the_state_cells_round_the_same_way():
    from dist401k.state_outcome import state_tax_shown, state_withheld_shown

    assert state_withheld_shown({"state_withholding": 1708.5}) == "1,709"
    assert state_tax_shown({"state_income_tax_increase": 1000.25, "state_additional_tax": 0.25}) \
        == "1,001"  # added first, then rounded (Form 1040 instructions)


def test_the_case_pays_the_halves(case_file):
    """The premise, from the law worked by hand (module docstring): the JSON keeps the cents."""
    out = json.loads(run(["assess", str(case_file), "--format", "json"]))["outcomes"][0]
    assert out["state_withholding"] == 1708.5
    assert out["kept_after_all_tax"] == 36042.5
    assert out["income_tax_increase"] == 2695.5


@pytest.mark.parametrize("command", [["assess"], ["compare", "-f", "table"]])
def test_the_terminal_tables_show_1709_and_36043(case_file, command):
    text = run([*command, str(case_file)])
    for figure in ("1,709", "36,043", "2,696"):
        assert whole(figure, text), (figure, text)
    for figure in ("1,708", "36,042"):
        assert not whole(figure, text), (figure, text)


def _table(page: str, heading: str) -> str:
    start = page.index(heading)
    return page[start:page.index("</table>", start)]


def test_the_report_shows_one_figure_in_both_tables(case_file):
    from dist401k.case import load_case
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    page = render_html(compare_case(load_case(case_file)))
    options = _table(page, "The options side by side")
    forms = _table(page, "The Forms 1099-R the plan will send")
    assert "<td>1,709</td>" in options and "<td>36,043</td>" in options
    assert "<td>1,709</td>" in forms  # box 14, state tax withheld
    assert "<td>1,708</td>" not in page and "<td>36,042</td>" not in page


def _js_money(values: list[float]) -> list[str]:
    """The web pages' money formatter, run by node on ``values``: common.js's top level only
    defines (no page is needed), and its ``money`` is read from a sandbox."""
    script = ("const vm = require('vm'); const fs = require('fs');"
              "const box = {}; vm.createContext(box);"
              f"vm.runInContext(fs.readFileSync({json.dumps(str(COMMON_JS))}, 'utf8') + "
              "';globalThis.__money = money;', box);"
              f"process.stdout.write(JSON.stringify({json.dumps(values)}.map(box.__money)));")
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60,
                          check=True)
    return json.loads(done.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_web_pages_round_the_same_way():
    assert _js_money([a for a, _ in HALVES]) == [s for _, s in HALVES]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_report_is_its_owners_alone(case_file, tmp_path):
    out = tmp_path / "r.html"
    run(["report", str(case_file), "-o", str(out)])
    assert _mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_write_report_alone_writes_0600(case_file, tmp_path):
    from dist401k.case import load_case
    from dist401k.compare import compare_case
    from dist401k.report import write_report

    out = tmp_path / "r.html"
    out.write_text("an earlier report", encoding="utf-8")
    out.chmod(0o644)
    write_report(compare_case(load_case(case_file)), out)
    assert _mode(out) == 0o600 and "<html" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


PLAN = ROOT / "examples" / "plans"


def _a_plan() -> Path:
    return sorted(PLAN.glob("*.yaml"))[0]


@pytest.mark.slow
def test_the_plan_report_is_its_owners_alone(tmp_path):
    out = tmp_path / "plan.html"
    run(["plan", str(_a_plan()), "--report", str(out)])
    assert _mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]


def test_write_plan_report_alone_writes_0600(tmp_path, monkeypatch):
    import dist401k.plan_report as plan_report

    monkeypatch.setattr(plan_report, "render_plan_html", lambda plan, *a: "<html>a plan</html>")
    out = tmp_path / "plan.html"
    plan_report.write_plan_report(None, out)  # type: ignore[arg-type]
    assert _mode(out) == 0o600 and out.read_text(encoding="utf-8") == "<html>a plan</html>"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]


def test_a_dollar_figure_in_a_sentence_rounds_as_in_a_table():
    """The "why" texts, traps and compare's notes round as the tables do (the rounding review of
    2026-12-06 left them on Python's half to even: $922.50 of 10% tax read "$922")."""
    from dist401k.outcome_why import why_additional_tax

    row = {"additional_tax_72t": 922.5, "taxable": 9225.0,
           "reasons": [{"code": "PX_NONE", "text": "No exception applies.", "citation": "IRC §72(t)(1)"}]}
    assert why_additional_tax(row).startswith("$923: ")


def test_no_dollar_figure_is_rounded_outside_money():
    """Every whole-dollar figure shown goes through money.dollars_text: no `:,.0f` format of
    money anywhere else (a rate of rows a second in runner.py is not money)."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "dist401k"
    found = [f"{p.relative_to(src)}:{i}" for p in src.rglob("*.py")
             if p.name not in ("money.py", "runner.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r":,\.0f\}", line)]
    assert not found, found
