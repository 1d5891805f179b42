"""Every indexed figure is entered for every enacted year (the contributor's guide,
CONTRIBUTING.md, "A new tax year's figures").

Years up to ``meta/years.yaml: enacted_through`` are answered as enacted law; an indexed
figure with no value dated in such a year would carry the year before's figure into it,
unindexed, and call it enacted.  So each indexed parameter has a value dated in each year from
its first (or the first year dist401k answers) to ``enacted_through``, unless its file says why
the earlier figure is carried (``unconfirmed: {year: why}``) or the law holds the whole figure
(``indexing.held: {through: year}``).  The files are read here as text, not through the loader
(which refuses the first such parameter), so that the failure lists every one missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dist401k.law import default_law
from dist401k.law.loader import PARAMS_DIR, read_law_yaml


def missing_enacted_figures(params: Path) -> dict[str, list[int]]:
    """Each indexed parameter's enacted years with no value dated in them, unexplained."""
    years = read_law_yaml(params / "meta" / "years.yaml", "meta/years.yaml")["values"]
    meta = years[max(years)]
    first, enacted = int(meta["first_year"]), int(meta["enacted_through"])
    out: dict[str, list[int]] = {}
    for path in sorted(params.rglob("*.yaml")):
        doc = read_law_yaml(path, path.name)
        indexing = doc["metadata"].get("indexing")
        if not indexing:
            continue
        dated = {int(str(d)[:4]) for d in doc["values"]}
        held = indexing.get("held") or {}
        through = held.get("through", 0) if set(held) == {"through"} else 0
        carried = set(doc["metadata"].get("unconfirmed") or {})
        gaps = [y for y in range(max(first, min(dated)), enacted + 1)
                if y not in dated and y not in carried and y > through]
        if gaps:
            out[path.relative_to(params).with_suffix("").as_posix().replace("/", ".")] = gaps
    return out


def test_every_indexed_figure_is_entered_for_every_enacted_year():
    missing = missing_enacted_figures(PARAMS_DIR)
    assert not missing, (
        "indexed parameters with no value for an enacted year (enter the official figures, or "
        "say in 'unconfirmed' why the year before's are carried): "
        + "; ".join(f"{name} {years}" for name, years in missing.items()))


def made_official(params: Path, year: int) -> None:
    """``meta/years.yaml`` of a copied law with ``enacted_through`` set to ``year``, from the
    value the file holds (whatever the last enacted year is when the test runs)."""
    years = params / "meta" / "years.yaml"
    text = years.read_text()
    now = f"enacted_through: {default_law().enacted_through}"
    assert text.count(now) == 1, now
    years.write_text(text.replace(now, f"enacted_through: {year}"))


def test_a_year_made_official_without_its_figures_lists_every_parameter(tmp_path):
    # The year after the last enacted one made official: every federal indexed figure with no
    # line dated in it is listed (Rev. Proc. 2025-32 §4 indexes the brackets, the standard
    # deduction, the capital gains thresholds, the AMT exemption; Notice 2025-67 the QCD limit
    # and the IRA limits); one whose figure for that year is already entered is not.
    law = default_law()
    year = law.enacted_through + 1
    params = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, params, ignore=shutil.ignore_patterns("__pycache__"))
    made_official(params, year)
    missing = missing_enacted_figures(params)
    for name in ("income_tax.brackets", "income_tax.standard_deduction", "capital_gains.thresholds",
                 "amt.exemption", "charity.qcd_limit", "ira.contribution_limit",
                 # The poverty line is published a year ahead of the credit's use: its 2027 line
                 # is entered while 2026 is the last enacted year.
                 "premium_tax_credit.poverty_line_first_person"):
        entered = any(d.year == year for d in law.param(name).dates)
        assert missing.get(name) == (None if entered else [year]), (name, missing.get(name))
    assert missing, f"no indexed figure is missing when {year} is made official"
