"""The individual's forms in batch (``dist401k batch --job forms``): Form 5329 Part I and
Form 8606 (Parts I and II beside a backdoor Roth, Part III for money from the Roth IRA) of each
row's payment, and its Form W-4R election, as columns equal
to what ``dist401k assess`` gives the same participant (docs/forms.md, docs/batch.md).

Each column is null where the form is not there: Form 5329 where nothing early is includible
(:func:`dist401k.form_5329.part_i_rows` gives None), Form 8606 where the row plans no backdoor
Roth (``ira_backdoor_roth_planned``) and Part III where the payment from the Roth IRA is
qualified (the part is not filled in), the chart rate where the W-4R chart does not apply.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from dist401k.form_5329 import PartI
from dist401k.form_8606 import form_8606_lines
from dist401k.money import cents
from dist401k.roth_ira_ordering import PartIII
from dist401k.w4r import RATE_DIGITS

#: Form 5329 Part I's money lines.
LINES_5329 = ("line_1", "line_2", "line_3", "line_4")
#: Form 8606's lines, as in the answer of ``assess`` (line 10 a ratio, the rest dollars).
LINES_8606 = (*(f"line_{k}" for k in range(1, 15)), "line_16", "line_17", "line_18")
#: Form 8606 Part III's lines (money from a Roth IRA, ``roth_ira``).
LINES_8606_III = PartIII.LINES


def individual_columns(n: int) -> dict[str, np.ndarray]:
    """Empty full-length columns: NaN (null) money and rates, no exception, not required."""
    cols = {f"form_5329_{k}": np.full(n, np.nan) for k in LINES_5329}
    cols["form_5329_line_2_exception"] = np.full(n, "", dtype=object)
    cols["form_5329_required"] = np.zeros(n, bool)
    cols.update({f"form_8606_{k}": np.full(n, np.nan) for k in (*LINES_8606, *LINES_8606_III)})
    cols["w4r_chart_rate"] = np.full(n, np.nan)
    return cols


def scatter_individual(cols: dict[str, np.ndarray], rows: np.ndarray, o, b, law,
                       ok: np.ndarray) -> None:
    """Write the individual's forms of outcome ``o`` for the rows ``rows`` of the batch (``b``
    holds those rows only) where it is possible (``ok``)."""
    if o.form_5329 is not None:
        _scatter_5329(cols, rows, o.form_5329, ok)
    _scatter_8606(cols, rows, o, b, law, ok)
    if o.roth_ira is not None:
        _scatter_part_iii(cols, rows, o.roth_ira.part_iii, ok)
    if o.w4r_chart_rate is not None:
        rate = np.round(np.asarray(o.w4r_chart_rate, float), RATE_DIGITS) + 0.0  # no -0.0
        shown = ok & (cents(np.asarray(o.taxable)) > 0) & ~np.isnan(rate)
        cols["w4r_chart_rate"][rows[shown]] = rate[shown]


def _scatter_5329(cols: dict[str, np.ndarray], rows: np.ndarray, p: PartI,
                  ok: np.ndarray) -> None:
    """Part I where line 1 has an amount, to the cent; line 2's number as the form writes it
    (``01``), blank where none applies or the law files lack it (NaN)."""
    has = ok & (cents(np.asarray(p.line_1)) > 0)
    if not has.any():
        return
    where = rows[has]
    for k in LINES_5329:
        cols[f"form_5329_{k}"][where] = cents(np.asarray(getattr(p, k)))[has]
    num = np.asarray(p.line_2_number, float)[has]
    known = num > 0
    cols["form_5329_line_2_exception"][where] = np.where(
        known, np.char.zfill(np.where(known, num, 0).astype(int).astype(str), 2), "")
    cols["form_5329_required"][where] = np.asarray(p.required, bool)[has]


def _scatter_8606(cols: dict[str, np.ndarray], rows: np.ndarray, o, b, law,
                  ok: np.ndarray) -> None:
    """Form 8606 beside the outcome where the row converts (its backdoor Roth)."""
    basis_in = o.ira_basis_in if o.ira_basis_in is not None else np.zeros(len(rows))
    figured = form_8606_lines(b, law, o.to_traditional_ira, basis_in, np.arange(len(rows)))
    if figured is None:
        return
    converts, got = figured
    shown = ok & converts
    for k in LINES_8606:
        cols[f"form_8606_{k}"][rows[shown]] = got[k][shown]


def _scatter_part_iii(cols: dict[str, np.ndarray], rows: np.ndarray, p: PartIII,
                      ok: np.ndarray) -> None:
    """Part III where it is filled in (a nonqualified distribution from the Roth IRA)."""
    shown = ok & np.asarray(p.filled, bool)
    for k in LINES_8606_III:
        cols[f"form_8606_{k}"][rows[shown]] = cents(np.asarray(getattr(p, k), float))[shown]


def individual_arrays(cols: dict[str, np.ndarray], election: np.ndarray) -> dict[str, pa.Array]:
    """The columns as Arrow arrays, null where the form (or the rate) is not there; the W-4R
    election of each row (``request_withholding_rate``), null where none is made."""
    out: dict[str, pa.Array] = {}
    present = ~np.isnan(cols["form_5329_line_1"])
    for k in LINES_5329:
        out[f"form_5329_{k}"] = pa.array(np.nan_to_num(cols[f"form_5329_{k}"]),
                                         mask=~present)
    out["form_5329_line_2_exception"] = pa.array(
        cols["form_5329_line_2_exception"].tolist(), pa.string(),
        mask=cols["form_5329_line_2_exception"] == "")
    out["form_5329_required"] = pa.array(cols["form_5329_required"], mask=~present)
    for k in (*LINES_8606, *LINES_8606_III):
        v = cols[f"form_8606_{k}"]
        out[f"form_8606_{k}"] = pa.array(np.nan_to_num(v), mask=np.isnan(v))
    election = np.asarray(election, float)
    out["withholding_rate"] = pa.array(np.nan_to_num(election), mask=np.isnan(election))
    rate = cols["w4r_chart_rate"]
    out["w4r_chart_rate"] = pa.array(np.nan_to_num(rate), mask=np.isnan(rate))
    return out
