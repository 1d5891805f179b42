"""The fixed point of withdrawals ↔ tax, found in few passes.

A year's withdrawals must pay the tax they cause: with ``x`` the year's choices (the gap the
withdrawals meet, and the fill policy's conversions) and ``Φ`` one pass (price ``x`` with the
exact tax, then choose again), the answer is the ``x`` with ``Φ(x) = x``.  Repeating ``Φ``
gets there only as fast as the marginal rate shrinks the error (a third or so a pass: some
paths never stop moving in ten).  The tax is piecewise linear in the withdrawals, so a secant
step through the last two passes lands on the fixed point as soon as both lie on the answer's
piece; for more than one choice a path, the same step is Anderson's acceleration of depth
one (D. G. Anderson, *Iterative procedures for nonlinear integral equations*, J. ACM 12 (1965);
H. F. Walker and P. Ni, *Anderson acceleration for fixed-point iterations*, SIAM J. Numer.
Anal. 49 (2011)).  The step is taken only where it goes the way of the plain pass and not too
far; elsewhere the plain pass is taken.  Every path's step reads that path alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: A path is settled once a pass would move none of its choices by more than half a cent
#: (plus ``RELATIVE`` of the choice: the rounding of the tax engine on very large sums): the
#: withdrawals pay the tax they cause to the cent.
TOLERANCE = 0.005
RELATIVE = 1e-12
#: The accelerated step is taken only where it is at most this many times the plain pass's
#: step (a secant slope of the tax above 95% is a kink between the two passes, not a rate).
MAX_STEP = 20.0


Rows = tuple[np.ndarray, ...]


@dataclass
class Point:
    """The choices a pass prices: one row (P,) a choice, one element a path; the point and
    residual of the pass before (this year's), and up to as many differences of points and
    of residuals between passes as there are choices, newest first — the secant's slopes,
    kept from one year to the next (a year's tax is most often priced on the same pieces as
    the year before's)."""

    x: Rows
    diffs: tuple[tuple[Rows, Rows], ...] = ()
    last: tuple[Rows, Rows] | None = None
    done: np.ndarray | None = None  # (P,) the paths settled at the last pass

    def advance(self, plain: Rows, upper: Callable[[Rows], np.ndarray] | None = None,
                secant: bool = True) -> np.ndarray:
        """Move to the next point given the pass's answer ``plain`` = Φ(x), the first row
        never below zero nor above ``upper`` of the next point (P,) where given (the most
        the year may convert, which may depend on the point's other rows); returns the paths
        settled at ``x`` (P,), which keep ``x`` (every later pass prices it again to the
        same figures).  ``secant`` False: the plain pass, from
        below (where the answer may jump, the least fixed point is the one the household
        would choose)."""
        x = self.x
        r = tuple(p - v for p, v in zip(plain, x, strict=True))
        settled = _small(r[0], x[0])
        for v, rv in zip(x[1:], r[1:], strict=True):
            settled &= _small(rv, v)
        if self.last is not None and secant:
            d = (tuple(a - b for a, b in zip(x, self.last[0], strict=True)),
                 tuple(a - b for a, b in zip(r, self.last[1], strict=True)))
            if self.done is not None and self.done.any():
                # A path settled before is priced again where it was: it keeps its slopes.
                self.diffs = _kept(self.done, (d, *self.diffs)[:len(x)], self.diffs)
            else:
                self.diffs = (d, *self.diffs)[:len(x)]
        self.last = (x, r)
        self.done = settled
        step = _secant_step(r, self.diffs) if self.diffs and secant else r
        nxt = [v + s for v, s in zip(x, step, strict=True)]
        if upper is not None:
            np.clip(nxt[0], 0.0, upper(tuple(nxt)), out=nxt[0])
        if settled.any():
            for v, n in zip(x, nxt, strict=True):
                np.copyto(n, v, where=settled)
        self.x = tuple(nxt)
        return settled

    def next_year(self, growth: np.ndarray) -> Point:
        """Where next year's passes start: this point grown by ``growth`` (P,), the slopes
        kept (a ratio of dollars to dollars)."""
        return Point(tuple(v * growth for v in self.x), self.diffs)

    def on_paths(self, idx: np.ndarray | slice) -> Point:
        """This point on the paths ``idx`` alone (indices, or a slice of them)."""
        def cut(rows):
            return tuple(v[idx] for v in rows)

        return Point(cut(self.x), tuple((cut(a), cut(b)) for a, b in self.diffs),
                     None if self.last is None else (cut(self.last[0]), cut(self.last[1])))

    def put(self, idx: np.ndarray, part: Point, P: int | None = None) -> Point:
        """This point with the paths ``idx`` taken from ``part`` (its paths in order); with
        ``P``, ``part`` alone spread over ``P`` paths (the others zero: no slopes)."""
        def at(rows, some):
            out = []
            for v, w in zip(rows, some, strict=True):
                full = np.zeros(P) if P is not None else np.array(v)
                full[idx] = w
                out.append(full)
            return tuple(out)

        # A difference one side lacks is zero: on the part's paths, or on all of this point's
        # (the part may have gathered more differences than the whole had when it was cut).
        part_zero = tuple(np.zeros(len(idx)) for _ in part.x)
        whole_zero = part_zero if P is not None else tuple(np.zeros(len(v)) for v in self.x)
        mine = () if P is not None else self.diffs
        n = max(len(mine), len(part.diffs))
        diffs = []
        for k in range(n):
            base = mine[k] if k < len(mine) else (whole_zero, whole_zero)
            b = part.diffs[k] if k < len(part.diffs) else (part_zero, part_zero)
            diffs.append((at(base[0], b[0]), at(base[1], b[1])))
        return Point(at(self.x if P is None else part.x, part.x), tuple(diffs))


def _kept(done: np.ndarray, new, old):
    """The differences ``new``, but ``old`` (padded with zeros) on the paths ``done``."""
    def pick(a: Rows, b: Rows | None) -> Rows:
        return tuple(np.where(done, 0.0 if b is None else v, u)
                     for u, v in zip(a, b or a, strict=True))

    return tuple((pick(n[0], old[k][0] if k < len(old) else None),
                  pick(n[1], old[k][1] if k < len(old) else None)) for k, n in enumerate(new))


def _small(r: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.abs(r) <= TOLERANCE + RELATIVE * np.abs(x)


def _secant_step(r: Rows, diffs) -> Rows:
    """The step from a point of residual ``r`` that the differences between passes say lands
    on the fixed point, path by path: with one choice the secant's, ``-r dx / dr``; with two,
    and two differences, ``-[dx1 dx2] [dr1 dr2]⁻¹ r`` (the multisecant: Anderson's step of
    full depth), or along the last difference where there is one or the two are in line.
    The plain step ``r`` where that step goes against ``r`` or more than ``MAX_STEP`` times
    as far (or is not a number: the differences said nothing)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if len(r) == 1:
            # The secant's -r dx / dr, written as the two-choice step along one difference
            # below (so that a choice that never moves leaves the other's figures as they are).
            (dx,), (dr,) = diffs[0]
            g = dr * r[0] / (dr * dr)
            fast: Rows = (r[0] - g * (dx + dr),)
        else:
            (p0, p1), (q0, q1) = diffs[0]
            both = None
            if len(diffs) == len(r):  # full depth: as many differences as choices
                (s0, s1), (t0, t1) = diffs[1]
                det = q0 * t1 - q1 * t0
                c1 = (t1 * r[0] - t0 * r[1]) / det
                c2 = (q0 * r[1] - q1 * r[0]) / det
                fast = (-(c1 * p0 + c2 * s0), -(c1 * p1 + c2 * s1))
                both = np.isfinite(fast[0] + fast[1])
            if both is None or not both.all():
                # Along the last difference: the step that best cancels r (least squares).
                g = (q0 * r[0] + q1 * r[1]) / (q0 * q0 + q1 * q1)
                one = (r[0] - g * (p0 + q0), r[1] - g * (p1 + q1))
                fast = one if both is None else tuple(
                    np.where(both, f, o) for f, o in zip(fast, one, strict=True))
        bad = (_dot(fast, r) <= 0) | ~(_largest(fast) <= MAX_STEP * _largest(r))
    if bad.any():
        for f, v in zip(fast, r, strict=True):
            np.copyto(f, v, where=bad)
    return fast


def _largest(a: Rows) -> np.ndarray:
    """Path by path, the largest of the rows' magnitudes."""
    out = np.abs(a[0])
    for v in a[1:]:
        out = np.maximum(out, np.abs(v))
    return out


def _dot(a: Rows, b: Rows) -> np.ndarray:
    """Path by path, the sum over the rows of ``a * b``."""
    out = a[0] * b[0]
    for u, v in zip(a[1:], b[1:], strict=True):
        out = out + u * v
    return out
