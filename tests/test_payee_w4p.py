"""The payee's Form W-4P as the withholding on a periodic payment reads it
(dist401k.outcome.payee_w4p): a public function, which compare's 72(t) series withholding
calls instead of reaching into the outcome module's private names.

The entries are Form W-4P's (2026 form): Step 1(c) the filing status box, Step 2 the box for
two jobs or pensions, Step 3 the credits claimed, Step 4(a) other income, 4(b) deductions,
4(c) extra withholding a payment; the payee may elect no withholding (IRC §3405(a)(2)).  With
no W-4P in effect the status is -1: Pub. 15-T then withholds as single with no adjustments
(§3405(a)(4)), which dist401k.withholding does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# A monthly life annuity of $5,000 (the W-4P doors' case): a periodic payment, which a W-4P is for.
from api.test_w4p_doors import _case
from dist401k.batch import CaseBatch
from dist401k.case import parse_case
from dist401k.law.filing_status import CODE
from dist401k.outcome import payee_w4p

SRC = Path(__file__).resolve().parents[1] / "src" / "dist401k"


def test_each_step_of_the_form_is_read():
    given = _case({"w4p_filing_status": "married_joint", "w4p_step2": True, "w4p_credits": 2000,
                   "w4p_other_income": 1500, "w4p_deductions": 3000, "w4p_extra": 25})
    none = _case({})
    w = payee_w4p(CaseBatch.from_cases([parse_case(given), parse_case(none)]))
    assert list(w.status) == [CODE["married_joint"], -1]
    assert bool(w.step2[0]) and not bool(w.step2[1])
    assert float(w.credits[0]) == pytest.approx(2000) and float(w.credits[1]) == 0
    assert float(w.other_income[0]) == pytest.approx(1500)
    assert float(w.deductions[0]) == pytest.approx(3000)
    assert float(w.extra[0]) == pytest.approx(25)
    assert not bool(w.exempt[0])


def test_compare_imports_no_private_name_of_the_outcome_module():
    tree = ast.parse((SRC / "compare.py").read_text())
    private = [a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == "dist401k.outcome" for a in node.names
               if a.name.startswith("_")]
    assert private == []
