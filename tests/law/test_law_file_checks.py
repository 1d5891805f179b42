"""A contributor's mistakes in a law file are refused when the law is loaded, in one line naming
the file (relative to the law folder) and the problem — never taken silently, never a traceback.

Each test writes a small law (or a copy of the shipped one) in a temporary folder with one
mistake of the kind a person entering figures makes: a pasted date line, a percentage typed for
a rate, a misspelled key, an impossible date, a reason without its citation.  The ranges are
those of the units themselves: a rate is a share of one (IRC §1(j)(2)'s 10% is 0.10), an amount
in dollars is not negative, an age is a person's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dist401k.law import Law, LawError, LawFileError
from dist401k.law.loader import PARAMS_DIR
from law.test_loader import CPI, META  # the smallest law folder's two files

QCD = """
description: qcd limit
metadata:
  unit: USD
  period: year
  label: QCD
  indexing: {index: chained_cpi, round: 1000, direction: down}
  reference:
    - title: IRC 408(d)(8)
      href: https://example.org/408
values:
  2024-01-01: 105000
  2025-01-01: 108000
  2026-01-01: 111000
"""


def write_law(tmp_path: Path, files: dict[str, str]) -> Law:
    params = tmp_path / "params"
    for name, text in {"meta/years": META, "economy/chained_cpi_assumed": CPI, **files}.items():
        path = params / (name + ".yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return Law(params_dir=params)


def one_line(exc: pytest.ExceptionInfo) -> str:
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


# 2. A key given twice -----------------------------------------------------------------------

def test_a_date_given_twice_is_refused_naming_the_file_and_the_key(tmp_path):
    # The 2026 line pasted to add 2027, its amount changed, its date not: YAML keeps the last
    # silently (114,000 for 2026), the loader refuses.
    pasted = QCD.replace("  2026-01-01: 111000\n", "  2026-01-01: 111000\n  2026-01-01: 114000\n")
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": pasted})
    msg = one_line(exc)
    assert msg.startswith("law file params/charity/qcd_limit.yaml:")
    assert "'2026-01-01' is given twice" in msg and "line 15" in msg
    assert exc.value.file == "params/charity/qcd_limit.yaml"


def test_a_reason_code_given_twice_in_one_file_is_refused(tmp_path, monkeypatch):
    import dist401k.explain as explain

    (tmp_path / "loan.yaml").write_text(
        "LN_A:\n  text: One.\n  citation: IRC §72(p)\nLN_A:\n  text: Two.\n  citation: IRC §72(p)\n")
    monkeypatch.setattr(explain, "REASONS_DIR", tmp_path)
    explain.registry.cache_clear()
    try:
        with pytest.raises(LawFileError, match=r"^law file reasons/loan\.yaml: key 'LN_A' is given twice"):
            explain.registry()
    finally:
        explain.registry.cache_clear()


# 3. A figure outside its unit --------------------------------------------------------------

RATE = """
description: a flat rate
metadata: {unit: rate, period: year, label: r, reference: [{title: t, href: "https://example.org"}]}
values:
  2024-01-01: 0.0307
"""


@pytest.mark.parametrize(("name", "text", "figure"), [
    ("state/pa/rate", RATE.replace("0.0307", "3.07"), "3.07"),          # 3.07% typed as 3.07
    ("charity/qcd_limit", QCD.replace("108000", "-108000"), "-108000"),  # a negative amount
    ("x/age", RATE.replace("unit: rate", "unit: age").replace("0.0307", "200"), "200"),
    ("x/flag", RATE.replace("unit: rate", "unit: bool").replace("0.0307", "1"), "1"),
    ("x/text", QCD.replace("108000", "$108,000"), "'$108,000'"),
], ids=["percent-for-rate", "negative-usd", "age-200", "bool-as-1", "usd-as-text"])
def test_a_figure_outside_its_unit_is_refused(tmp_path, name, text, figure):
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {name: text})
    msg = one_line(exc)
    assert msg.startswith(f"law file params/{name}.yaml:") and figure in msg


def test_the_metadata_widens_a_unit_where_the_law_does(tmp_path):
    # 138% of the poverty line (42 U.S.C. §1396a(e)(14)(I)): a multiple, not a share of one;
    # a sentinel −1 below any income.
    share = RATE.replace("unit: rate", "unit: rate, maximum: 10").replace("0.0307", "1.38")
    below = QCD.replace("unit: USD", "unit: USD\n  minimum: -1").replace("105000", "-1")
    law = write_law(tmp_path, {"x/share": share, "x/below": below})
    assert law.scalar("x.share", 2026) == 1.38
    assert law.scalar("x.below", 2024) == -1


# 4. A misspelled key -------------------------------------------------------------------------

@pytest.mark.parametrize(("typo", "meant"), [
    ("  indexing:", "  indexng:"), ("  reference:", "  referencce:"),
    ("  label: QCD", "  label: QCD\n  unconfirmd: {2026: not read}"),
    ("direction: down", "direction: dwon"), ("\nvalues:", "\nvalue:"),
], ids=["indexng", "referencce", "unconfirmd", "dwon", "value"])
def test_a_misspelled_key_is_refused_with_the_nearest(tmp_path, typo, meant):
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": QCD.replace(typo, meant, 1)})
    msg = one_line(exc)
    wrong = meant.split(":")[0].strip().split()[-1] if "direction" not in meant else "dwon"
    assert wrong in msg and "did you mean" in msg, msg


# 5. An impossible date; the command line -----------------------------------------------------

@pytest.mark.parametrize("date", ["2026-13-01", "2026-1-1", "2026/01/01"])
def test_an_impossible_date_names_the_file(tmp_path, date):
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": QCD.replace("2026-01-01", date)})
    assert one_line(exc) == (f"law file params/charity/qcd_limit.yaml: value key '{date}' is not "
                             "an ISO date (YYYY-MM-DD)")


def _copied_law(tmp_path: Path) -> Path:
    shutil.copytree(PARAMS_DIR.parent, tmp_path / "law",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return tmp_path / "law" / "params"


RUN_CLI = ("import sys; from pathlib import Path; import dist401k.law.loader as L; "
           "L.PARAMS_DIR = Path(sys.argv[1]); sys.argv = ['dist401k', *sys.argv[2:]]; "
           "from dist401k.cli import main; main()")


def _cli(params: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN_CLI, str(params), *args],
                          capture_output=True, text=True, timeout=300)


def test_the_command_line_gives_one_line_and_still_its_help(tmp_path):
    params = _copied_law(tmp_path)
    std = params / "income_tax" / "standard_deduction.yaml"
    std.write_text(std.read_text().replace("2026-01-01:", "2026-13-01:"))
    helped = _cli(params, "--help")
    assert helped.returncode == 0 and "Usage" in helped.stdout, helped.stderr
    got = _cli(params, "--version")
    assert got.returncode == 2, got.stderr
    assert got.stderr.strip() == ("error: law file params/income_tax/standard_deduction.yaml: value "
                                  "key '2026-13-01' is not an ISO date (YYYY-MM-DD)")


# 6. A reason without its citation ------------------------------------------------------------

@pytest.mark.parametrize("entry", ["  text: The plan does not offer loans.\n",
                                   "  The plan does not offer loans.\n"], ids=["no-citation", "a-string"])
def test_a_reason_without_text_and_citation_is_one_line(tmp_path, monkeypatch, entry):
    import dist401k.explain as explain

    (tmp_path / "loan.yaml").write_text("LN_NOT_OFFERED:\n" + entry)
    monkeypatch.setattr(explain, "REASONS_DIR", tmp_path)
    explain.registry.cache_clear()
    try:
        with pytest.raises(LawFileError) as exc:
            explain.registry()
    finally:
        explain.registry.cache_clear()
    assert one_line(exc) == ("law file reasons/loan.yaml: reason LN_NOT_OFFERED needs text and "
                             "citation")


def test_a_misspelled_reason_key_is_refused(tmp_path, monkeypatch):
    import dist401k.explain as explain

    (tmp_path / "loan.yaml").write_text("LN_X:\n  text: T.\n  citation: C\n  herf: https://x\n")
    monkeypatch.setattr(explain, "REASONS_DIR", tmp_path)
    explain.registry.cache_clear()
    try:
        with pytest.raises(LawFileError, match="did you mean `href`"):
            explain.registry()
    finally:
        explain.registry.cache_clear()


# 1. A year made official before its figures are entered --------------------------------------

def test_an_enacted_year_without_its_indexed_figures_is_refused(tmp_path):
    # Rev. Proc. 2025-32 gives 2026's figures; none for 2027 is entered.  Made official
    # (enacted_through: 2027), 2027 would carry 2026's brackets unindexed, called enacted.
    params = _copied_law(tmp_path)
    years = params / "meta" / "years.yaml"
    years.write_text(years.read_text().replace("enacted_through: 2026", "enacted_through: 2027"))
    with pytest.raises(LawFileError, match="no value for enacted year.* 2027") as exc:
        Law(params)
    assert exc.value.file.startswith("params/")


def test_an_enacted_year_carried_on_purpose_says_why(tmp_path):
    text = QCD.replace("  2026-01-01: 111000\n", "").replace(
        "  label: QCD", "  label: QCD\n  unconfirmed: {2026: The notice was not read; 2025 carried.}")
    law = write_law(tmp_path, {"charity/qcd_limit": text})
    assert law.get("charity.qcd_limit", [2026, 2027]).tolist() == [108000, 118000]  # 108,000 × 1.1
    with pytest.raises(LawError, match="2026"):
        write_law(tmp_path / "b", {"charity/qcd_limit": QCD.replace("  2026-01-01: 111000\n", "")})
