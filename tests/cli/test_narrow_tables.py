"""The terminal tables at any width: no figure (number, money, date, year, code) and no row
label is ever cut with "…" (docs/cli.md, "One --format for every command that answers").
Where even the narrowest layout that keeps them whole is wider than the terminal, the table is
printed at the width it needs and the terminal wraps its lines.

Each figure is looked for whole in the table output: the figures come from the command's own
``--format json`` (the fields its table shows), written the way the table writes them."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.money import dollars_text

ROOT = Path(__file__).parents[2]
CASES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
SEPP_CASES = [p for p in CASES if "\nsepp:" in p.read_text()]
HOUSEHOLDS = ROOT / "examples" / "households.csv"
WIDTHS = (40, 60, 72, 79, 80, 100, 130)
runner = CliRunner()


def run(args: list[str], columns: int | None = None) -> str:
    r = runner.invoke(app, args, env={"COLUMNS": str(columns)} if columns else None)
    assert r.exit_code == 0, r.output
    return r.stdout


@cache
def as_json(*args: str):
    return json.loads(run([*args, "--format", "json"]))


def money(x: float) -> str:
    """A figure as the tables write it: whole dollars, half away from zero (money.dollars_text)."""
    return dollars_text(x)


def whole(figure: str, text: str) -> bool:
    """Whether ``figure`` is in ``text`` whole: not the head of a longer number, not cut."""
    return re.search(r"(?<![\d,.])" + re.escape(figure) + r"(?![\d,…]|\.\d)", text) is not None


def check(text: str, figures: list[str], columns: int) -> list[str]:
    """The figures missing from (or cut in) ``text``; a "…" anywhere is a cut."""
    missing = [f"{columns}: {f!r} not whole" for f in figures if not whole(f, text)]
    return missing + [f"{columns}: cut: {line!r}" for line in text.splitlines() if "…" in line]


def compare_figures(j: dict) -> list[str]:
    out = []
    for o in j["options"]:
        out += [money(o[k]) for k in ("gross", "check_received", "kept_after_all_tax",
                                      "income_tax_now", "penalty_now")]
        # a withholding not figured (null) is written "unknown" (dist401k.compare.withholding_unknown)
        out.append("unknown" if o["withholding"] is None else money(o["withholding"]))
        out += [money(v) for v in o["after_tax_value_at"].values()]
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_compare_keeps_every_figure_and_the_option_column(case):
    j = as_json("compare", str(case))
    problems = []
    for columns in WIDTHS:
        text = run(["compare", str(case)], columns)
        problems += check(text, compare_figures(j), columns)
        table = text.split("Assumptions:")[0]
        if "★" not in table:  # the option column, with the best option's star
            problems.append(f"{columns}: no ★ in the options table")
    assert not problems, problems


def assess_figures(j: dict) -> list[str]:
    out = [money(s["available"]) for s in j["route_summary"] if s["eligible"]]
    for o in j["outcomes"]:
        out += [money(o[k]) for k in ("gross", "taxable", "withholding", "income_tax_increase",
                                      "additional_tax_72t", "check_received",
                                      "kept_after_all_tax")]
        out.append(",".join(o["form_1099r_codes"]))
        f = o.get("form_5329")
        if f:
            out += [money(f["line_1"]), money(f["line_4"])]
        # The Forms 5329/8606 table's row labels: the route and the destination, each word.
        if f or o.get("form_8606") or o.get("form_8606_part_iii"):
            out += (o["route"] + "_" + o["destination"]).split("_")
    return [x for x in out if x]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_assess_keeps_every_figure(case):
    j = as_json("assess", str(case))
    problems = []
    for columns in WIDTHS:
        problems += check(run(["assess", str(case)], columns), assess_figures(j), columns)
    assert not problems, problems


def sepp_figures(j: dict, columns: int) -> list[str]:
    out = []
    for row in j["schedule"]:
        out += [str(row["year"]), str(row["age"]), str(row["life_expectancy"])]
        out += [f"{row[f'payment_{m}']:,.2f}" for m in ("rmd", "amortization", "annuitization")]
        out += [money(row[f"balance_{m}"]) for m in ("rmd", "amortization", "annuitization")]
        if columns >= 90:  # narrower, the first payment's date is in the heading
            out.append(row["date"])
    for m in ("rmd", "amortization", "annuitization"):
        x = (j["modification"] or {}).get(m)
        if x:
            out += [f"{x[k]:,.2f}" for k in ("recaptured_payments", "recapture_tax", "interest",
                                             "total")]
    return out


@pytest.mark.parametrize("case", SEPP_CASES, ids=lambda p: p.stem)
def test_sepp_keeps_every_figure(case):
    j = as_json("sepp", str(case))
    problems = []
    for columns in WIDTHS:
        problems += check(run(["sepp", str(case)], columns), sepp_figures(j, columns), columns)
    assert not problems, problems


#: How the tax table writes a filing status (its own short names).
STATUS = {"single": "single", "married_joint": "MFJ", "married_separate": "MFS",
          "head_of_household": "HoH", "qualifying_surviving_spouse": "QSS"}


def test_tax_keeps_every_figure():
    rows = as_json("tax", str(HOUSEHOLDS))["results"]
    figures = []
    for r in rows:
        figures += [str(r["tax_year"]), STATUS[r["filing_status"]]]
        figures += [money(r[k]) for k in ("agi", "taxable_income", "regular_tax", "amt", "niit",
                                          "additional_tax_72t", "income_tax")]
    problems = []
    for columns in WIDTHS:
        problems += check(run(["tax", str(HOUSEHOLDS)], columns), figures, columns)
    assert not problems, problems


PLANS = {"single-retiree-guardrails": ["--paths", "60"], "early-retirees-marketplace":
         ["--no-monte-carlo"], "couple-social-security": ["--no-monte-carlo"]}


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_plan_keeps_every_figure(plan, monkeypatch):
    from dist401k.planner import plan as planner

    made = []
    real = planner.make_plan

    def once(*args, **kwargs):  # the same plan at every width, made once
        if not made:
            made.append(real(*args, **kwargs))
        return made[0]

    monkeypatch.setattr(planner, "make_plan", once)
    path = str(ROOT / "examples" / "plans" / f"{plan}.yaml")
    j = json.loads(run(["plan", *PLANS[plan], path, "--format", "json"]))
    figures = []
    for s in j["strategies"]:
        figures += [money(s[k]) for k in ("spending_real", "lifetime_tax_real", "irmaa",
                                          "roth_conversions", "estate_real")]
    figures += [str(r["year"]) for r in j["table"]]
    figures += [money(r["spending"]) for r in j["table"]]
    problems = []
    for columns in WIDTHS:
        text = run(["plan", *PLANS[plan], path], columns)
        problems += check(text, figures, columns)
        if "★" not in text:
            problems.append(f"{columns}: no ★ in the strategies table")
    assert not problems, problems


def test_a_table_too_wide_for_the_terminal_is_printed_whole_not_cut():
    """At 40 columns the payments table cannot fit without cutting: it is printed as wide as
    it needs (the terminal wraps it), each row on one line."""
    j = as_json("sepp", str(ROOT / "examples" / "cases" / "sepp-early-retiree.yaml"))
    text = run(["sepp", str(ROOT / "examples" / "cases" / "sepp-early-retiree.yaml")], 40)
    first = j["schedule"][0]
    row = next(line for line in text.splitlines() if line.lstrip().startswith(str(first["year"])))
    assert len(row) > 40
    assert f"{first['payment_rmd']:,.2f}" in row and money(first["balance_annuitization"]) in row


@pytest.mark.parametrize("columns", [100, 130])
def test_a_table_that_fits_keeps_within_the_width(columns):
    for case in CASES[:5]:
        text = run(["assess", str(case)], columns)
        assert max(len(line) for line in text.splitlines()) <= columns
