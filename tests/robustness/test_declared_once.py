"""Each field of the case is declared once: the flat columns, their defaults and ranges, and the
JSON Schema are read from the case model and dist401k.bounds."""

from __future__ import annotations

from dist401k.bounds import AGE, MAX_HORIZONS, MONEY
from dist401k.case import case_schema, declared_range
from dist401k.flat import DEFAULTS, PER_SOURCE, RANGES, SCALARS


def test_every_flat_column_has_its_case_field_and_reads_its_range_and_default():
    for column, _, kind, path in SCALARS + PER_SOURCE:
        if kind == "num":
            assert RANGES[column] == declared_range(path), column
    assert RANGES["wages"] == RANGES["balance_{s}"] == (MONEY.lo, MONEY.hi)
    assert RANGES["in_service_min_age_{s}"] == (AGE.lo, AGE.hi)
    # Required columns are those the model requires; absent words have their encodings.
    assert {c for c, d in DEFAULTS.items() if d is None} == {"request_date", "birth_date",
                                                            "plan_type"}
    assert DEFAULTS["loan_interest_rate"] == 0.085 and DEFAULTS["vested_{s}"] == 1.0
    assert DEFAULTS["hardship_source_{s}"] == ("elective_deferral", "roth_deferral")


def test_the_schema_shows_the_bounds():
    defs = case_schema()["$defs"]
    assert defs["Income"]["properties"]["wages"]["maximum"] == MONEY.hi
    horizons = defs["Assumptions"]["properties"]["horizon_ages"]
    assert horizons["maxItems"] == MAX_HORIZONS and horizons["items"]["maximum"] == AGE.hi
