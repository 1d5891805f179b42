"""The state codes of a batch's column, read as array operations: the same verdict as a case
file's (two letters of a state or DC, either case, blanks around them dropped)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.tax.state import StateUnits
from dist401k.tax.state.units import state_codes


def test_codes_in_either_case_and_what_is_not_one():
    raw = np.array(["ca", " Ny ", "dc", "XX", "Ca.", "", None, float("nan"), "PR"], dtype=object)
    code, bad = state_codes(raw)
    assert code[:3].tolist() == ["CA", "NY", "DC"]
    assert bad.tolist() == [False, False, False, True, True, True, True, True, True]


def test_a_column_mixing_text_and_numbers():
    code, bad = state_codes(np.array(["tx", 5, True, 2.0, " wy"], dtype=object))
    assert code[[0, 4]].tolist() == ["TX", "WY"]
    assert bad.tolist() == [False, True, True, True, False]


def test_the_checks_name_each_bad_row():
    cols = {"state": np.array(["CA", "Ca.", None, "ny"], dtype=object),
            "tax_year": np.full(4, 2025), "filing_status": np.array(["single"] * 4),
            "federal_agi": np.zeros(4)}
    with pytest.raises(InputError) as exc:
        StateUnits.from_columns(cols)
    got = [(p.row, p.field, p.problem) for p in exc.value.problems]
    assert got == [(2, "state", "is not a US state code (two letters: CA, NY, DC …)"),
                   (3, "state", "a blank value is not a US state code (two letters: CA, NY, "
                    "DC …)")]
    ok = StateUnits.from_columns({**cols, "state": np.array(["CA", "ca ", "DC", "ny"])})
    assert ok.state.tolist() == ["CA", "CA", "DC", "NY"]
