"""The plan report as a client deliverable: the year-by-year table printed whole (a landscape
page of its own, headers repeated), the charts' data printed, dated, and offered as a PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import load_household
from dist401k.planner.plan import make_plan
from dist401k.report import chromium

SINGLE = Path(__file__).parents[2] / "examples" / "plans" / "single-retiree.yaml"


@pytest.fixture(scope="module")
def page() -> str:
    plan = make_plan(load_household(SINGLE), default_law(), monte_carlo=False)
    return render_plan_html(plan, printed=True, prepared=date(2026, 2, 3))


def test_the_year_table_prints_on_a_landscape_page_with_its_header_repeated(page):
    css = page[page.index("<style>"):page.index("</style>")]
    assert re.search(r"@page wide\{[^}]*size:[^};]*landscape", css), css
    assert re.search(r"\.wide\{[^}]*page:wide", css), css
    year = page[page.index("Year by year"):]
    at = page.index("Year by year")
    assert page.rindex("<section class='wide'>", 0, at) > page.rindex("</h2>", 0, at)
    head = year[year.index("<table"):year.index("</thead>")]
    assert "<thead>" in head and "<th>total balance</th>" in head


def test_the_plan_report_prints_its_chart_data_and_says_when_and_which_law(page):
    assert all(" open" in d for d in re.findall(r"<details class='chart-data'[^>]*>", page))
    assert "Prepared on February 3, 2026" in page
    assert "law enacted through 2026" in page


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None or shutil.which("pdftotext") is None,
                    reason="needs Chromium and pdftotext")
def test_plan_writes_a_pdf_with_the_whole_year_table(tmp_path):
    pdf = tmp_path / "plan.pdf"
    r = CliRunner().invoke(app, ["plan", str(SINGLE), "--no-monte-carlo", "-o", str(pdf)])
    assert r.exit_code == 0, r.output
    assert pdf.read_bytes()[:5] == b"%PDF-"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    # The year table's last column ("total balance", its header wrapped over two lines in a
    # wide table) is on the page that starts the table: the table is not cut at the right.
    year_pages = [p for p in pages if "Year by year" in p]
    assert year_pages
    head = year_pages[0].split("Year by year", 1)[1].split("\n2026", 1)[0]
    assert re.search(r"\btotal\b", head) and re.search(r"\bbalance\s*$", head, re.M)


def test_a_plan_pdf_without_chromium_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr("dist401k.report.chromium", lambda: None)
    out = tmp_path / "plan.pdf"
    r = CliRunner().invoke(app, ["plan", str(SINGLE), "--no-monte-carlo", "-o", str(out)])
    assert r.exit_code == 2
    assert "a PDF needs Chromium" in r.output and not out.exists()
