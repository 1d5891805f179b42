"""The optimiser's speed-ups change no figure: HiGHS called directly answers as ``linprog``
does, bit for bit, and the part of the programme built once and shared by the passes gives
the same programme as building every pass from nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from dist401k.law import default_law
from dist401k.planner import highs
from dist401k.planner import lp as lpmod
from dist401k.planner.household import load_household
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"


def _setup(name):
    hh = load_household(PLANS / f"{name}.yaml")
    tl = build_timeline(hh, LAW)
    return hh, tl


def test_direct_highs_answers_as_linprog_on_a_small_programme():
    """max x + 2y s.t. x + y ≤ 4, x − y = 1, 0 ≤ x ≤ 3, y ≥ 0: x = 2.5, y = 1.5 (by hand),
    objective −5.5, and the duals of the equality row the same either way."""
    c = np.array([-1.0, -2.0])
    a, b_ub, b_eq = sp.csr_matrix([[1.0, 1.0], [1.0, -1.0]]), np.array([4.0]), np.array([1.0])
    lb, ub = np.zeros(2), np.array([3.0, np.inf])
    d = highs.solve(c, a, b_ub, b_eq, lb, ub)
    s = highs.solve(c, a, b_ub, b_eq, lb, ub, direct=False)
    np.testing.assert_allclose(d.x, [2.5, 1.5])
    assert d.fun == pytest.approx(-5.5)
    assert (d.status, d.message) == (s.status, s.message) == (0, s.message)
    assert np.array_equal(d.x, s.x) and d.fun == s.fun and np.array_equal(d.eq_duals, s.eq_duals)
    assert d.eq_duals[0] == pytest.approx(0.5)  # ∂(min)/∂b_eq: raising x − y by 1 costs 0.5


def test_direct_highs_reports_an_infeasible_programme_as_linprog():
    """x ≤ −1 with x ≥ 0 (and 0·x = 0): no solution, status 2 either way."""
    args = (np.array([1.0]), sp.csr_matrix([[1.0], [0.0]]), np.array([-1.0]), np.array([0.0]),
            np.zeros(1), np.array([np.inf]))
    d = highs.solve(*args)
    s = highs.solve(*args, direct=False)
    assert d.status == s.status == 2 and d.x is None


@pytest.mark.parametrize("name", ["early-retiree", "couple-social-security",
                                  "couple-nj-to-fl", "retiree-charity"])
def test_direct_highs_answers_every_pass_as_linprog(name, monkeypatch):
    """Each pass of real optimisations (with a state, with QCDs) solved both ways: the same
    solution, objective, duals and message, bit for bit — but a pass started from the last
    pass's basis (``linprog`` starts from nothing), which reaches the same optimal value."""
    assert highs.direct_available()
    real = highs.solve
    compared = []

    def both(*args, **kwargs):
        d = real(*args, **kwargs)
        s = real(*args, **kwargs, direct=False)
        assert (d.status, d.message) == (s.status, s.message)
        if kwargs.get("basis") is not None:
            assert d.fun == pytest.approx(s.fun, rel=1e-9)
        elif s.x is not None:
            assert np.array_equal(d.x, s.x) and d.fun == s.fun
            assert np.array_equal(d.eq_duals, s.eq_duals)
        compared.append(1)
        return d

    monkeypatch.setattr(highs, "solve", both)
    hh, tl = _setup(name)
    lpmod.optimise(hh, tl, LAW)
    assert len(compared) >= 2


def _by_kind(b, kind):
    """One kind's rows in their own matrix (how the programme was assembled before)."""
    r, c, v = (np.concatenate(part) for part in zip(*b.rows[kind], strict=True))
    return sp.csr_matrix((v, (r, c)), shape=(b.count[kind], b.n)), np.concatenate(b.rhs[kind])


def test_the_stacked_matrix_is_the_two_kinds_one_above_the_other():
    hh, tl = _setup("couple-nj-to-fl")
    case = lpmod._case(hh, tl, LAW)
    p, *_ = lpmod._build(case, lpmod._start(hh, tl, case.f), "max_spending", None)
    a, b_ub, b_eq = p.b.stacked()
    (u, bu), (e, be) = _by_kind(p.b, "ub"), _by_kind(p.b, "eq")
    want = sp.vstack([u, e], format="csr")
    assert a.shape == want.shape and (a != want).nnz == 0
    assert np.array_equal(b_ub, bu) and np.array_equal(b_eq, be)


def test_a_row_block_has_each_term_where_its_coefficient_is_not_zero():
    """Two rows  (x0 | x1) + 0·x2 + (2, 0)·x2 − 3·x3 ≤ (5, 6), with x3 one column for both
    rows: by hand, row 0 = (1, 0, 2, −3), row 1 = (0, 1, 0, −3), and no stored zero."""
    b = lpmod._Builder()
    b.var("x", (4,))
    rows = b.add("ub", [(1.0, np.array([0, 1])), (0.0, np.array([2, 2])),
                        (np.array([2.0, 0.0]), np.array([2, 2])), (-3.0, 3)],
                 np.array([5.0, 6.0]))
    a, b_ub, _ = b.stacked()
    assert list(rows) == [0, 1]
    np.testing.assert_array_equal(a.toarray(), [[1, 0, 2, -3], [0, 1, 0, -3]])
    assert a.nnz == 5 and np.array_equal(b_ub, [5.0, 6.0])
    # the triplets in the order of the terms, as the rows were built one term at a time
    r, c, v = (np.concatenate(part) for part in zip(*b.rows["ub"], strict=True))
    assert list(zip(r, c, v, strict=True)) == [(0, 0, 1.0), (1, 1, 1.0), (0, 2, 2.0),
                                               (0, 3, -3.0), (1, 3, -3.0)]


def _matrices(p, c):
    a, b_ub, b_eq = p.b.stacked()
    return (a.toarray(), b_ub, b_eq, np.concatenate(p.b.lb), np.concatenate(p.b.ub), c)


def _from_nothing(case, st, objective):
    """The programme built the old way: every row on one builder, nothing shared."""
    fresh = lpmod._Case(case.hh, case.tl, case.law, case.f, case.r, case.rb, case.infl)
    p = lpmod._Pass(fresh, st, objective, None)
    lpmod._declare(p)
    lpmod._balance_rows(p)
    lpmod._take_rows(p)
    fresh.shared[objective] = p.b
    # the shared builder is this pass's own: copying it would join its rows
    original = lpmod._Builder.copy
    try:
        lpmod._Builder.copy = lambda self: self
        return lpmod._build(fresh, st, objective, None)
    finally:
        lpmod._Builder.copy = original


@pytest.mark.parametrize("name", ["couple-social-security", "couple-nj-to-fl",
                                  "retiree-charity", "early-retiree-sepp"])
def test_the_shared_part_built_once_gives_the_same_programme(name):
    """Two passes at different points from one shared part: each the same matrices, right
    sides, bounds and costs as the pass built from nothing — and the shared part is not
    changed by a pass built on it."""
    hh, tl = _setup(name)
    case = lpmod._case(hh, tl, LAW)
    first = lpmod._start(hh, tl, case.f)
    res, x = lpmod._solve_once(case, first, "max_spending", None)
    assert res.status == 0
    second = lpmod._relinearise(hh, tl, LAW, case.f, lpmod._flows(x), case.r, case.rb)
    assert not np.array_equal(second["ts_cap"], first["ts_cap"]) or \
        not np.array_equal(second["ordinary"], first["ordinary"])  # a different programme
    rows_shared = case.shared["max_spending"].count["ub"]
    for st in (first, second, first):
        p, c, *_ = lpmod._build(case, st, "max_spending", None)
        q, c0, *_ = _from_nothing(case, st, "max_spending")
        for a, b in zip(_matrices(p, c), _matrices(q, c0), strict=True):
            assert np.array_equal(a, b)
        assert p.b.names.keys() == q.b.names.keys()
    assert case.shared["max_spending"].count["ub"] == rows_shared


@pytest.mark.parametrize("name", ["early-retiree", "couple-estate", "single-retiree",
                                  "couple-nj-to-fl"])
@pytest.mark.parametrize("objective", ["max_spending", "max_estate"])
def test_a_pass_started_from_the_last_basis_settles_where_a_cold_one_does(name, objective,
                                                                           monkeypatch):
    """A pass of the same shape as the last is first solved from the last pass's basis, and
    stands only where it settles: the same passes and objectives (to HiGHS's precision) as
    solving every pass from nothing."""
    hh, tl = _setup(name)
    warm = lpmod.optimise(hh, tl, LAW, objective=objective)
    real = highs.solve
    monkeypatch.setattr(highs, "solve", lambda *a, basis=None, **k: real(*a, **k))
    cold = lpmod.optimise(hh, tl, LAW, objective=objective)
    assert warm.passes == cold.passes
    np.testing.assert_allclose(warm.history, cold.history, rtol=1e-9)
    assert warm.spending_real == pytest.approx(cold.spending_real, rel=1e-9)
    assert warm.estate_real == pytest.approx(cold.estate_real, rel=1e-9)
