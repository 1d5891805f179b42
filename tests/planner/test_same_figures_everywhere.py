"""A plan's figures are the same on every machine (docs/plan.md, "The same figures on every
machine"): the optimiser's passes follow the last digit of its growth factors, so these come
from the C library's ``pow`` one number at a time, never from NumPy's vectorised power, whose
code (and last digit) depends on the processor."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.compounding import growth_factors

SRC = Path(__file__).resolve().parents[2] / "src" / "dist401k"
#: The planner's modules and the law loader (which grows a projected year's figures).
SCANNED = [*sorted((SRC / "planner").glob("*.py")), SRC / "law" / "loader.py"]
#: The one module that may exponentiate, and the market model whose draws are exp of normal
#: numbers (documented as following the processor in their last digit).
ALLOWED = {"returns.py": {"exp", "log1p"}}


def _powers(tree: ast.AST) -> list[str]:
    """The exponentiations in ``tree``: ``x ** y`` with a variable ``y``, and NumPy's
    transcendental calls."""
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) \
                and not isinstance(n.right, ast.Constant):
            found.append(("pow", ast.unparse(n)))
        elif isinstance(n, ast.Attribute) and n.attr in ("power", "float_power", "exp", "exp2",
                                                         "expm1", "log", "log1p", "log2"):
            found.append((n.attr.replace("power", "pow").replace("float_pow", "pow"),
                          ast.unparse(n)))
    return found


def test_no_growth_factor_is_computed_by_numpys_power():
    """Every module of the planner (but the lognormal model's draws) and the law loader is
    free of ``**`` with a variable exponent (``compounding`` holds the one) and of NumPy's
    power, exp and log: a price level written ``(1 + infl) ** np.arange(T)`` gave a plan 0.15%
    apart on a machine with AVX-512."""
    bad = []
    for path in SCANNED:
        ok = ALLOWED.get(path.name, set())
        bad += [f"{path.name}: {text}" for kind, text in _powers(ast.parse(path.read_text()))
                if kind not in ok]
    assert not bad, bad


def test_the_scan_finds_what_it_forbids():
    """The check above is not blind: it finds each form it forbids."""
    src = "a = (1 + r) ** np.arange(5)\nb = np.power(x, y)\nc = np.exp(z)\nd = x ** 2\n"
    assert [k for k, _ in _powers(ast.parse(src))] == ["pow", "pow", "exp"]


@settings(max_examples=200, deadline=None)
@given(rate=st.floats(-0.5, 0.5, allow_nan=False),
       years=st.lists(st.integers(-5, 80), min_size=1, max_size=12))
def test_growth_factors_are_the_c_librarys_pow_bit_for_bit(rate, years):
    """Each factor is exactly ``math.pow(1 + rate, year)`` (the C library's ``pow``, which
    Python's float power calls), whatever the shape of ``years``."""
    got = growth_factors(rate, np.array(years).reshape(1, -1))
    want = [math.pow(1.0 + rate, y) for y in years]
    assert got.shape == (1, len(years))
    assert got.ravel().tolist() == want


def test_a_price_level_at_three_percent():
    """Pub.-style compounding by hand: 1.03 ** 2 = 1.0609, 1.03 ** 3 = 1.092727."""
    got = growth_factors(0.03, np.arange(4))
    assert got[0] == 1.0 and got[1] == 1.03
    assert math.isclose(got[2], 1.0609, rel_tol=1e-15)
    assert math.isclose(got[3], 1.092727, rel_tol=1e-15)
