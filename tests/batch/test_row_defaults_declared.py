"""A flat row's absent plan columns take the case model's defaults, read from the one
declaration (``flat.DEFAULTS``, derived from the model's fields: DESIGN.md, "Declared once"),
never a second copy written in the row reader."""

from __future__ import annotations

from dist401k import flat
from dist401k.case import Hardship, Loans


def test_the_declared_defaults_are_the_models():
    loans, hardship = Loans(), Hardship()
    assert flat.DEFAULTS["loan_interest_rate"] == loans.interest_rate
    assert flat.DEFAULTS["loan_residence_term_years"] == loans.residence_term_years
    assert flat.DEFAULTS["loan_payments_per_year"] == loans.payments_per_year
    assert flat.DEFAULTS["loans_max_count"] == loans.max_count
    assert flat.DEFAULTS["hardship_self_certification"] == hardship.self_certification
    assert flat.DEFAULTS["hardship_source_{s}"] == tuple(hardship.sources)


def test_a_row_without_the_columns_takes_the_declared_defaults(monkeypatch):
    """Change the declaration: the row reader follows it (it holds no copy of its own)."""
    changed = {"loan_interest_rate": 0.07, "loan_residence_term_years": 20.0,
               "loan_payments_per_year": 26.0, "loans_max_count": 2.0,
               "hardship_self_certification": False,
               "hardship_source_{s}": ("elective_deferral",)}
    for k, v in changed.items():
        monkeypatch.setitem(flat.DEFAULTS, k, v)
    plan = flat.row_to_case({"plan_type": "401k"})["plan"]
    assert plan["loans"]["interest_rate"] == 0.07
    assert plan["loans"]["residence_term_years"] == 20
    assert plan["loans"]["payments_per_year"] == 26
    assert plan["loans"]["max_count"] == 2
    assert plan["hardship"]["self_certification"] is False
    assert plan["hardship"]["sources"] == ["elective_deferral"]


def test_given_columns_win_over_the_defaults():
    plan = flat.row_to_case({"plan_type": "401k", "loan_interest_rate": 0.09,
                             "hardship_source_after_tax": True,
                             "hardship_source_roth_deferral": False})["plan"]
    assert plan["loans"]["interest_rate"] == 0.09
    assert plan["hardship"]["sources"] == ["elective_deferral", "after_tax"]
