"""The projection line of a year after the last enacted one says what it is made of (the
year2027 review): the federal withholding tables are not indexed — no ``withholding.*`` law file
has ``indexing``, and their notes say later years carry the last enacted year's (Pub. 15-T, the
Form W-4R chart) — so the line says they are carried; and for one case it names only the case's
own state: none where no state is given, CA (whose law files are indexed) for a Californian,
"NY's figures … carried" for a New Yorker."""

from __future__ import annotations

from dist401k.law import default_law
from dist401k.projection import EVERY_STATE, projection_basis, projection_text

LAW = default_law()
LAST = LAW.enacted_through


def test_no_withholding_table_is_indexed_by_the_law():
    assert not any(p.indexing for n, p in LAW.params.items() if n.startswith("withholding."))


def test_the_line_says_the_withholding_tables_are_carried():
    for state in (EVERY_STATE, None, "CA", "NY"):
        text = projection_text(LAW, state)
        assert f"withholding tables carried from {LAST}" in text, state


def test_without_a_state_no_state_is_named():
    text = projection_text(LAW, None)
    assert "CA" not in text and "state" not in text
    assert text.startswith(f"projected law from {LAST}: federal amounts indexed at "
                           f"{LAW.inflation:.1%} a year")


def test_a_californian_reads_of_ca_a_new_yorker_of_ny():
    assert "federal and CA amounts indexed" in projection_text(LAW, "CA")
    ny = projection_text(LAW, "NY")
    assert "CA" not in ny and f"NY's figures as its law schedules them, else carried from {LAST}" in ny


def test_the_basis_of_every_state_keeps_the_law_list():
    basis = projection_basis(LAW, LAST + 1)
    assert basis is not None and basis["indexed_states"] == ["CA", "NE"]
    assert "other states' figures as their law schedules them, else carried" in basis["method"]
    assert projection_basis(LAW, LAST + 1, None)["method"] == projection_text(LAW, None)
    assert projection_basis(LAW, LAST) is None


def test_a_state_with_scheduled_law_is_not_said_to_be_carried_alone():
    """Mississippi's 2028 rate is the 3.5% 2025 HB 1 schedules, not 2026's carried (diff review):
    the line says a state's figures are as its law schedules them, else carried."""
    from dist401k.tax.state import StateUnits, state_tax

    ms = projection_text(LAW, "MS")
    assert "MS's figures as its law schedules them, else carried" in ms
    units = StateUnits.from_columns({"state": ["MS", "MS"], "tax_year": [2026, 2028],
                                     "filing_status": ["single"] * 2, "age_head": [45, 45],
                                     "federal_agi": [50_000.0] * 2, "wages": [50_000.0] * 2})
    tax = state_tax(units, LAW)["state_income_tax"]
    assert tax[1] < tax[0]
