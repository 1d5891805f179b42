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

from dist401k.law import Law, LawError, LawFileError, default_law
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
    # The last enacted year's figures are entered (Rev. Proc. 2025-32 gives 2026's); none for
    # the year after.  Made official, that year would carry the brackets unindexed, called
    # enacted.  The year is read from meta/years.yaml, so the test holds after an update.
    from law.test_law_enacted_years import made_official

    year = default_law().enacted_through + 1
    params = _copied_law(tmp_path)
    made_official(params, year)
    with pytest.raises(LawFileError, match=f"no value for enacted year.* {year}") as exc:
        Law(params)
    assert exc.value.file.startswith("params/")


def test_an_enacted_year_carried_on_purpose_says_why(tmp_path):
    text = QCD.replace("  2026-01-01: 111000\n", "").replace(
        "  label: QCD", "  label: QCD\n  unconfirmed: {2026: The notice was not read; 2025 carried.}")
    law = write_law(tmp_path, {"charity/qcd_limit": text})
    assert law.get("charity.qcd_limit", [2026, 2027]).tolist() == [108000, 118000]  # 108,000 × 1.1
    with pytest.raises(LawError, match="2026"):
        write_law(tmp_path / "b", {"charity/qcd_limit": QCD.replace("  2026-01-01: 111000\n", "")})


# 7. A mistyped year, a number YAML misreads ---------------------------------------------------

@pytest.mark.parametrize("date", ["2072-01-01", "2207-01-01", "2037-01-01"])
def test_a_date_years_past_the_last_enacted_year_is_refused_naming_its_line(tmp_path, date):
    # 2027's QCD limit typed with a wrong year: the small law is enacted through 2026, and a
    # value may take effect SCHEDULED_AHEAD (8) years after it at most, up to 2034 — the
    # shipped law schedules Hawaii's standard deduction to 2031 (Act 46, SLH 2024).
    text = QCD + f"  {date}: 114000\n"
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": text})
    msg = one_line(exc)
    assert msg.startswith(f"law file params/charity/qcd_limit.yaml: value key '{date}' (line 15)")
    assert "last enacted year 2026" in msg and "up to 2034" in msg


def test_a_date_scheduled_within_the_bound_loads(tmp_path):
    # A schedule enacted ahead, five years past the last enacted year as Hawaii's 2031 step.
    law = write_law(tmp_path, {"charity/qcd_limit": QCD + "  2031-01-01: 130000\n"})
    assert law.get("charity.qcd_limit", [2030, 2031]).tolist()[1] == 130000


def test_a_date_written_after_a_later_one_is_refused(tmp_path):
    # 2017 typed for 2027 under the 2026 line: sorted, it would set 2017–2023's limit silently.
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": QCD + "  2017-01-01: 114000\n"})
    assert one_line(exc) == ("law file params/charity/qcd_limit.yaml: value key '2017-01-01' "
                             "(line 15) is written after '2026-01-01': the dates go earliest "
                             "first (a mistyped year?)")


@pytest.mark.parametrize(("figure", "read"), [("0114000", "octal, 38912"), ("0x1BD50", "as 114000"),
                                              ("1:30", "as 90")], ids=["leading-zero", "hex", "base-60"])
def test_a_number_yaml_would_misread_is_refused(tmp_path, figure, read):
    # YAML 1.1 reads 0114000 as octal: 1×8⁵ + 1×8⁴ + 4×8³ = 32,768 + 4,096 + 2,048 = 38,912.
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": QCD + f"  2027-01-01: {figure}\n"})
    msg = one_line(exc)
    assert msg.startswith(f"law file params/charity/qcd_limit.yaml: the number {figure} ")
    assert read in msg and msg.endswith("(line 15, column 15)")


# 8. A reference's misspelled key -------------------------------------------------------------

@pytest.mark.parametrize(("key", "hint"), [("herf", " (did you mean `href`?)"), ("url", "")])
def test_a_misspelled_reference_key_names_the_reference_and_the_nearest(tmp_path, key, hint):
    text = QCD.replace("    - title: IRC 408(d)(8)\n      href:",
                       f"    - title: IRC 401(a)(9)\n      href: https://example.org/401\n"
                       f"    - title: IRC 408(d)(8)\n      {key}:")
    with pytest.raises(LawFileError) as exc:
        write_law(tmp_path, {"charity/qcd_limit": text})
    assert one_line(exc) == (f"law file params/charity/qcd_limit.yaml: reference 2 (IRC 408(d)(8)): "
                             f"'{key}' is not a known key{hint} (known: title, href)")


# 9. A reason's code, href, text or citation --------------------------------------------------

REASON = ("LN_MILITARY_SUSPENSION:\n  text: Loan repayments may be suspended during military "
          "service.\n  citation: IRC §414(u)(4)\n  href: https://www.law.cornell.edu/uscode/text/26/414\n")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("LN_MILITARY_SUSPENSION", "ln_military_suspension",
     "reason code 'ln_military_suspension' must be capitals, digits and underscores "
     "(LN_MILITARY_SUSPENSION?)"),
    ("LN_MILITARY_SUSPENSION", "HS_MILITARY_SUSPENSION",
     "reason code HS_MILITARY_SUSPENSION lacks this file's prefix (LN_)"),
    ("LN_MILITARY_SUSPENSION", "LN MILITARY SUSPENSION",
     "reason code 'LN MILITARY SUSPENSION' must be capitals, digits and underscores "
     "(LN_MILITARY_SUSPENSION?)"),
    ("LN_MILITARY_SUSPENSION", "2027", "reason code 2027 must be capitals, digits and underscores"),
    ("https://www.law.cornell.edu/uscode/text/26/414", "see 414",
     "reason LN_MILITARY_SUSPENSION: href 'see 414' must be a link beginning https://"),
    ("Loan repayments may be suspended during military service.", "' '",
     "reason LN_MILITARY_SUSPENSION: text is blank"),
    ("IRC §414(u)(4)", "414", "reason LN_MILITARY_SUSPENSION: citation 414 must be text"),
    ("IRC §414(u)(4)", "[IRC §414(u)(4), Reg]",
     "reason LN_MILITARY_SUSPENSION: citation ['IRC §414(u)(4)', 'Reg'] must be text"),
    ("  citation:", "  citaton:",
     "reason LN_MILITARY_SUSPENSION: 'citaton' is not a known key (did you mean `citation`?) "
     "(known: text, citation, href)"),
], ids=["lower-case", "other-prefix", "spaces", "a-number", "href-not-a-link", "blank-text",
        "citation-a-number", "citation-a-list", "citaton"])
def test_a_malformed_reason_is_refused_naming_the_code_and_the_problem(tmp_path, monkeypatch, old,
                                                                        new, problem):
    import dist401k.explain as explain

    (tmp_path / "loan.yaml").write_text(REASON.replace(old, new))
    monkeypatch.setattr(explain, "REASONS_DIR", tmp_path)
    explain.registry.cache_clear()
    try:
        with pytest.raises(LawFileError) as exc:
            explain.registry()
    finally:
        explain.registry.cache_clear()
    assert one_line(exc) == f"law file reasons/loan.yaml: {problem}"


def test_every_shipped_reason_file_has_its_prefixes():
    import dist401k.explain as explain

    topics = {p.stem for p in explain.REASONS_DIR.glob("*.yaml")}
    assert topics == set(explain.REASON_PREFIXES)


RUN_CLI_REASONS = ("import sys; from pathlib import Path; import dist401k.law.loader as L; "
                   "import dist401k.explain as E; L.PARAMS_DIR = Path(sys.argv[1]); "
                   "E.REASONS_DIR = L.PARAMS_DIR.parent / 'reasons'; "
                   "sys.argv = ['dist401k', *sys.argv[2:]]; from dist401k.cli import main; main()")


def test_version_refuses_a_malformed_reason_file_as_every_command(tmp_path):
    params = _copied_law(tmp_path)
    loan = params.parent / "reasons" / "loan.yaml"
    loan.write_text(loan.read_text() + REASON.replace("IRC §414(u)(4)", "414"))
    line = ("error: law file reasons/loan.yaml: reason LN_MILITARY_SUSPENSION: citation 414 "
            "must be text")
    for args in (["--version"], ["explain", "LN_COUNT"]):
        got = subprocess.run([sys.executable, "-c", RUN_CLI_REASONS, str(params), *args],
                             capture_output=True, text=True, timeout=300)
        assert (got.returncode, got.stderr.strip(), got.stdout) == (2, line, ""), args
