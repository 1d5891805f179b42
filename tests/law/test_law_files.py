"""Every shipped parameter file: well formed, cited, and in force for every enacted year."""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from dist401k.law.loader import PARAMS_DIR

LAW = default_law()
NAMES = sorted(LAW.params)


def test_files_are_loaded():
    assert len(NAMES) == len(list(PARAMS_DIR.rglob("*.yaml")))


@pytest.mark.parametrize("name", NAMES)
def test_cited_with_links(name):
    p = LAW.param(name)
    assert p.references, name
    for ref in p.references:
        assert ref.href.startswith("https://"), (name, ref.href)
        assert len(ref.title) > 8


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("meta.")])
def test_value_for_every_known_year(name):
    p = LAW.param(name)
    first = max(LAW.first_year, p.dates[0].year)
    for year in (first, LAW.enacted_through, LAW.enacted_through + 1, LAW.projected_through):
        v = LAW.get(name, year, 0 if "filing_status" in p.breakdown else None)
        assert v.size and not (v != v).any(), (name, year)


@pytest.mark.parametrize("name", NAMES)
def test_indexing_is_complete(name):
    idx = LAW.param(name).indexing
    if idx:
        assert idx["index"] == "chained_cpi" and idx["round"] > 0
        assert idx["direction"] in ("down", "up", "nearest")


def test_unknown_year_fails_clearly():
    from dist401k.law import UnknownYear

    with pytest.raises(UnknownYear, match="2101"):
        LAW.check_years([2025, 2101])
