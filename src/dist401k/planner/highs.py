"""One linear programme solved by HiGHS, called directly rather than through ``linprog``.

``scipy.optimize.linprog(method="highs")`` is a thin wrapper around the HiGHS library bundled
with SciPy, but for a programme of a few hundred rows the wrapper costs about a third of a
solve: it checks and copies every input, converts the matrices twice, and reads every
column's bound multiplier back in a Python loop.  :func:`solve` hands the same model, with
the same options, to the same bundled HiGHS (``scipy.optimize._highspy._core``) and reads back
only what the planner uses: the status and its message, the solution, the objective, the
equality rows' duals and the optimal basis.  The answers are the ones ``linprog`` gives, bit
for bit (the tests compare them), but where a solve starts from an earlier basis (which
``linprog`` cannot): then the optimal value is the same, the optimal point one of the same
value.

The bundled module is private to SciPy: where it is missing or its interface has changed,
:func:`solve` falls back to ``linprog`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

try:  # SciPy's bundled HiGHS (private: guarded, with linprog as the fallback)
    from scipy.optimize._highspy import _core
    from scipy.optimize._linprog_highs import _highs_to_scipy_status_message

    _core._Highs, _core.HighsModelStatus.kOptimal  # noqa: B018 (interface check)
    _COLWISE = int(_core.MatrixFormat.kColwise)
    _MINIMISE = int(_core.ObjSense.kMinimize)
except (ImportError, AttributeError):  # pragma: no cover - depends on the SciPy build
    _core = None


@dataclass
class Result:
    """What the planner reads of a solve (the names of ``linprog``'s result)."""

    status: int  # 0 solved; 2 infeasible; 3 unbounded; 1 or 4 other (as linprog)
    message: str
    x: np.ndarray | None
    fun: float | None
    eq_duals: np.ndarray | None  # the equality rows' duals (linprog's eqlin.marginals)
    #: HiGHS's optimal basis (direct calls only): a later solve of a programme of the same
    #: shape may start from it
    basis: object = None


def direct_available() -> bool:
    """Whether the bundled HiGHS can be called directly."""
    return _core is not None


def solve(c: np.ndarray, a, b_ub: np.ndarray, b_eq: np.ndarray, lb: np.ndarray,
          ub: np.ndarray, *, direct: bool = True, basis: object = None) -> Result:
    """Minimise ``c·x`` subject to ``a x ≤ b_ub`` on its first ``len(b_ub)`` rows and
    ``a x = b_eq`` on the rest, ``lb ≤ x ≤ ub`` (``a`` sparse).  ``direct=False`` (or no
    bundled HiGHS) goes through ``linprog``.

    ``basis``: the ``basis`` of an earlier result whose programme had the same rows and
    columns: the dual simplex starts from it (no presolve) instead of from nothing.  It
    reaches an optimum of the same value, but where the optimum is not unique not
    necessarily the same optimal point as a solve from nothing."""
    m_ub = b_ub.size
    if not direct or _core is None:
        return _via_linprog(c, a[:m_ub], b_ub, a[m_ub:], b_eq, lb, ub)
    # what linprog hands HiGHS: the inequalities first, the matrix in compressed columns
    a = sp.csc_matrix(a)
    inf = _core.kHighsInf
    lhs = np.concatenate([np.full(m_ub, -inf), b_eq])
    rhs = np.concatenate([b_ub, b_eq])
    highs = _core._Highs()
    # linprog's options for method="highs" (the rest are HiGHS's defaults there too)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    highs.setOptionValue("presolve", "on")
    highs.setOptionValue("highs_debug_level", 0)
    highs.setOptionValue("simplex_strategy", 1)  # dual simplex
    # The model by its arrays (HiGHS copies them), not a ``HighsLp`` built field by field:
    # pybind11 converts a field's array element by element, which cost more than the rest of
    # the call.  The same model: compressed columns, minimised, no offset, no integer column.
    try:
        highs.passModel(c.size, rhs.size, a.nnz, _COLWISE, _MINIMISE, 0.0,
                        np.ascontiguousarray(c, dtype=float), _finite(lb, inf),
                        _finite(ub, inf), _finite(lhs, inf), _finite(rhs, inf),
                        a.indptr.astype(np.int32), a.indices.astype(np.int32),
                        np.ascontiguousarray(a.data, dtype=float), np.zeros(c.size, np.int32))
    except TypeError:  # pragma: no cover - another SciPy's binding of passModel
        return _via_linprog(c, a[:m_ub], b_ub, a[m_ub:], b_eq, lb, ub)
    if basis is not None:
        highs.setBasis(basis)
    highs.run()
    model_status = highs.getModelStatus()
    status, message = _highs_to_scipy_status_message(model_status,
                                                     highs.modelStatusToString(model_status))
    if model_status != _core.HighsModelStatus.kOptimal:
        return Result(status, message, None, None, None)
    sol = highs.getSolution()
    return Result(status, message, np.array(sol.col_value),
                  highs.getInfo().objective_function_value,
                  np.array(sol.row_dual)[m_ub:], highs.getBasis())


def _finite(v: np.ndarray, inf: float) -> np.ndarray:
    """Infinite bounds as HiGHS's infinity (a copy)."""
    out = np.array(v, dtype=float)
    out[np.isinf(out)] = np.sign(out[np.isinf(out)]) * inf
    return out


def _via_linprog(c, a_ub, b_ub, a_eq, b_eq, lb, ub) -> Result:
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                  bounds=np.column_stack([lb, ub]), method="highs")
    duals = getattr(res, "eqlin", None)
    return Result(int(res.status), res.message, res.x, res.fun,
                  None if duals is None or duals.marginals is None
                  else np.asarray(duals.marginals))
