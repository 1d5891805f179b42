"""Batch jobs over a table of participants: rmd, eligibility, outcome, tax.

:func:`run_job` takes an Arrow table (one record batch or a partition) and returns a table with
exactly one row per input row, in order: the results, or an error row naming the column and
the problem.  Everything is array formulas over the batch; a row gives the same figures as
``dist401k assess`` on the same participant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dist401k.bounds import MAX_ID_LENGTH
from dist401k.errors import InputError
from dist401k.flat import RMD_FIELDS, Errors, batch_from_table
from dist401k.form_1099r_boxes import (
    BATCH_BOXES,
    PARTS,
    batch_columns,
    forms_1099r,
    joined_codes,
    scatter_forms,
)
from dist401k.individual_forms import individual_arrays, individual_columns, scatter_individual
from dist401k.law.loader import Law
from dist401k.money import cents
from dist401k.outcome import MONEY_FIELDS, outcomes
from dist401k.routes import ROUTES, evaluate_routes
from dist401k.routes.base import DESTINATIONS
from dist401k.routes.beneficiary import beneficiary
from dist401k.routes.common import Facts
from dist401k.routes.qdro import share_rmd_may_apply
from dist401k.routes.rmd import rmd_rows
from dist401k.tax import OUTPUT_COLUMNS, TaxUnits, federal_tax
from dist401k.tax.federal import in_cents
from dist401k.tax.state import StateUnits
from dist401k.tax.state.with_federal import state_inputs, state_tax_with_federal
from dist401k.tax.table import ids_as_given, projection_columns
from dist401k.tin import WRONG_KIND, tin_problems, truncated_tins, wrong_kind_tins
from dist401k.withholding import not_figured as withholding_not_figured

if TYPE_CHECKING:
    from dist401k.filing import AccountClashes

JOBS = ("rmd", "eligibility", "outcome", "tax", "forms")
#: The outcome job's state tax columns (with a ``state`` column in the input).
STATE_MONEY = ("state_income_tax_increase", "state_additional_tax")


def _codes_column(masks: dict[str, np.ndarray], n: int) -> pa.Array:
    """Reason codes per row, ';'-joined, built without a loop over rows."""
    if not masks:
        return pa.array([""] * n)
    names = list(masks)
    m = np.stack([np.asarray(masks[k]) if np.ndim(masks[k]) == 1 else np.asarray(masks[k]).any(
        axis=1) for k in names], axis=1)
    counts = m.sum(axis=1)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    _, which = np.nonzero(m)
    values = pa.DictionaryArray.from_arrays(pa.array(which.astype(np.int32)), pa.array(names))
    lists = pa.ListArray.from_arrays(pa.array(offsets), pc.cast(values, pa.string()))
    return pc.binary_join(lists, ";")


def _rmd_columns(b, f: Facts) -> dict[str, pa.Array]:
    """The RMD rule row by row (:func:`rmd_rows`: the route's figures and reasons, without
    spreading them over the money sources)."""
    extra, reasons, _, _ = rmd_rows(b, f)
    n = len(b)
    if np.asarray(b.inherited).any() or np.asarray(b.alternate_payee).any():
        extra, reasons = _heir_and_payee_rmd(b, f.law, extra, reasons)
    return {
        "rmd_required": pa.array(extra["rmd"] > 0),
        "rmd_amount": pa.array(cents(extra["rmd"])),
        "rmd_remaining": pa.array(cents(extra["remaining"])),
        "divisor": pa.array(extra["divisor"], from_pandas=True),
        "applicable_age": pa.array(extra["applicable_age"], from_pandas=True),
        "rmd_deadline": pa.array(np.where(extra["rmd"] > 0, extra["deadline"],
                                          np.datetime64("NaT")).astype("datetime64[D]"),
                                 from_pandas=True),
        "last_year_rmd_deadline": pa.array(extra["last_year_deadline"], from_pandas=True),
        "reasons": _codes_column(reasons, n),
    }


def _heir_and_payee_rmd(b, law: Law, extra: dict, reasons: dict) -> tuple[dict, dict]:
    """The RMD of the rows that are not the participant's, as ``dist401k assess`` gives it: an
    heir's is the inherited account's required distribution (the beneficiary route: required,
    remaining, divisor, deadline, and its reasons; routes.beneficiary); an alternate payee's is
    none of the participant's (the RMD route closed to them, ``QD_NOT_PARTICIPANT``, and where
    part of a spouse's payment may be one, not figured: routes.qdro.share_rmd_may_apply)."""
    heir, ap = np.asarray(b.inherited, bool), np.asarray(b.alternate_payee, bool)
    other = heir | ap
    rows = np.flatnonzero(other)
    sub = b.take(rows)
    sub_f = Facts.of(sub, law)
    ben = beneficiary(sub, sub_f)
    extra = dict(extra)
    for key, theirs in (("rmd", "required"), ("remaining", "remaining"), ("divisor", "divisor"),
                        ("deadline", "deadline")):
        column = np.array(extra[key], copy=True)
        column[rows] = np.where(heir[rows], ben.extra[theirs], 0.0 if key != "deadline"
                                else np.datetime64("NaT"))
        if key == "divisor":
            column[rows] = np.where(ap[rows], np.nan, column[rows])
        extra[key] = column
    extra["last_year_deadline"] = np.where(other, np.datetime64("NaT"), extra["last_year_deadline"]
                                           ).astype("datetime64[D]")
    # An heir's minimum rests on the deceased's death and the heir's or the deceased's life
    # expectancy (IRC §401(a)(9)(B), (H); Treas. Reg. §1.401(a)(9)-3, -5(d)), never on the
    # heir's own applicable age of §401(a)(9)(C)(v): null, as the beneficiary route of
    # ``dist401k assess`` gives none.
    extra["applicable_age"] = np.where(heir, np.nan, np.asarray(extra["applicable_age"], float))
    out = {k: np.asarray(m) & (~other if np.ndim(m) == 1 else ~other[:, None])
           for k, m in reasons.items()}
    masks = {**ben.reasons, "QD_NOT_PARTICIPANT": ap[rows] & (sub.balance > 0).any(axis=1),
             **{k: m & ap[rows] for k, m in share_rmd_may_apply(sub, sub_f).items()}}
    for k, m in masks.items():
        full = np.zeros(len(b), bool)
        full[rows] = np.asarray(m) if np.ndim(m) == 1 else np.asarray(m).any(axis=1)
        out[k] = full | out.get(k, False)
    return extra, out


def _eligibility_columns(b, routes) -> dict[str, pa.Array]:
    out = {}
    n = len(b)
    for name in ROUTES:
        r = routes[name]
        out[f"{name}_eligible"] = pa.array(r.eligible.any(axis=1))
        out[f"{name}_available"] = pa.array(cents(r.total_available))
        out[f"{name}_reasons"] = _codes_column(r.reasons, n)
    return out


#: Routes with no destination to choose: the request's destination is read as cash.
CASH_ONLY = ("loan", "loan_deemed", "roth_ira")


def _fill_state(state_cols: dict[str, np.ndarray], covered: np.ndarray, rows: np.ndarray,
                o, sub_b) -> None:
    """The state tax of an outcome's rows (a loan is no distribution: no state tax where a
    state is given)."""
    if o.state is not None:
        state_cols["state_income_tax_increase"][rows] = o.state.income_tax_increase
        state_cols["state_additional_tax"][rows] = o.state.additional_tax
        covered[rows] = o.state.covered
        if o.state_withholding is not None:
            state_cols["state_withholding"][rows] = o.state_withholding.amount
    elif o.route == "loan":
        given = np.asarray(sub_b.state) != ""
        for k in (*STATE_MONEY, "state_withholding"):
            state_cols[k][rows] = np.where(given, 0.0, np.nan)
        covered[rows] = given


def _outcome_columns(b, f, routes, route_idx, dest_idx, with_state: bool = False,
                     with_forms: bool = False) -> dict[str, pa.Array]:
    """Each row's requested (route, destination): every pair computed on its own rows only.
    ``with_state`` (the table has a ``state`` column) adds the state tax columns: null where
    a row gives no state or its state is not covered."""
    n = len(b)
    state_cols = {k: np.full(n, np.nan) for k in (*STATE_MONEY, "state_withholding")}
    covered = np.zeros(n, bool)
    # A loan, and a loan deemed distributed, have no destination: cash (none paid); money
    # from the Roth IRA is paid in cash.
    dest_idx = np.where(np.isin(route_idx, [ROUTES.index(r) for r in CASH_ONLY]),
                        DESTINATIONS.index("cash"), dest_idx)
    cols = {k: np.zeros(n) for k in MONEY_FIELDS}
    possible = np.zeros(n, bool)
    unknown_withheld = np.zeros(n, bool)  # withholding not figured: null, not 0
    codes = np.full(n, "", dtype=object)
    reasons = np.full(n, "", dtype=object)
    form_cols = batch_columns(n) if with_forms else {}
    own_cols = individual_columns(n) if with_forms else {}
    pair_key = route_idx * len(DESTINATIONS) + dest_idx
    for key in np.unique(pair_key):
        rows = np.flatnonzero(pair_key == key)
        name, dest = ROUTES[key // len(DESTINATIONS)], DESTINATIONS[key % len(DESTINATIONS)]
        sub_b, sub_f = b.take(rows), f.subset(rows)
        # The RMD's remaining amount, the loan offset that goes out with a payment of the
        # whole account (its withholding) and a loan deemed distributed this year (income the
        # payment is taxed on top of) are read beside the route asked for.
        sub_routes = {k: routes[k].subset(rows)
                      for k in dict.fromkeys((name, "rmd", "loan_offset", "loan_deemed"))}
        outs = [o for o in outcomes(sub_b, sub_f, sub_routes, pairs={(name, dest)})
                if o.route == name and o.destination == dest]
        closed = _codes_column(sub_routes[name].reasons, len(rows)).to_numpy(zero_copy_only=False)
        if not outs:
            reasons[rows] = closed
            continue
        o = outs[0]
        ok = o.possible
        for k in MONEY_FIELDS:
            cols[k][rows] = np.where(ok, getattr(o, k), 0.0)
        possible[rows] = ok
        unknown_withheld[rows] = ok & withholding_not_figured(o.reasons, len(rows))
        _fill_state(state_cols, covered, rows, o, sub_b)
        if o.route != "loan":
            forms = forms_1099r(sub_b, o, sub_f.law)
            codes[rows] = np.where(ok, joined_codes(forms), "")
            if with_forms:
                scatter_forms(form_cols, rows, forms, ok)
        if with_forms:
            scatter_individual(own_cols, rows, o, sub_b, sub_f.law, ok)
        why = _codes_column(o.reasons, len(rows)).to_numpy(zero_copy_only=False)
        reasons[rows] = np.where(ok, why, closed)
    out = {"possible": pa.array(possible)}
    for k in MONEY_FIELDS:
        out[k] = pa.array(cents(cols[k]), mask=unknown_withheld if k == "withholding" else None)
    # The names assess and compare give the two cash figures; net_cash and after_all_taxes,
    # their former names, stay for one release (docs/batch.md).
    out["check_received"] = out["net_cash"]
    out["kept_after_all_tax"] = out["after_all_taxes"]
    if with_state:
        for k in STATE_MONEY:
            v = np.where(possible & covered, state_cols[k], np.nan)
            out[k] = pa.array(cents(v), mask=np.isnan(v))
        out["state_covered"] = pa.array(possible & covered)
        # The state's withholding beside the federal: null where its rule is not covered.
        sw = np.where(possible, state_cols["state_withholding"], np.nan)
        out["state_withholding"] = pa.array(cents(sw), mask=np.isnan(sw))
    out["form_1099r_codes"] = pa.array(codes.astype(str))
    out["reasons"] = pa.array(reasons.astype(str))
    if with_forms:
        out.update(_form_arrays(form_cols))
        out.update(individual_arrays(own_cols, b.withholding_rate))
    return out


def _form_arrays(cols: dict[str, np.ndarray]) -> dict[str, pa.Array]:
    """The forms job's columns: each part's boxes, null where that form is not issued (box 2a
    also where it is left blank; box 11, 15 and 16 where they do not apply)."""
    out: dict[str, pa.Array] = {}
    for part in PARTS:
        issued = cols[f"form_{part}_issued"]
        out[f"form_{part}_issued"] = pa.array(issued)
        for box, kind in BATCH_BOXES:
            v = cols[f"form_{part}_{box}"]
            blank = ~issued
            if kind == "float64":
                blank = blank | np.isnan(v)
                v = cents(np.where(blank, 0.0, v))
            elif box == "box_11":
                blank = blank | (v == 0)
            elif kind == "string" and box in ("box_15", "not_figured"):
                blank = blank | (v == "")
            out[f"form_{part}_{box}"] = pa.array(v.tolist() if kind == "string" else v,
                                                 type=pa.type_for_alias(kind), mask=blank)
    return out


def run_job(table: pa.Table, job: str, law: Law, first_row: int = 0,
            clashes: AccountClashes | None = None) -> pa.Table:
    """The job's results for every row of ``table`` (error rows for the bad ones).  ``table``
    is the book's rows from ``first_row`` on; the forms job's ``clashes`` are those rows' account
    numbers that repeat another row's (:func:`dist401k.filing.account_clashes`, figured over
    the whole book by a run in chunks or partitions; by default, over ``table`` alone)."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r} (one of {', '.join(JOBS)})")
    n = table.num_rows
    not_text = not_utf8_rows(table)
    table = as_text(table, not_text)
    if job == "tax":
        return _tax_job(table, law, first_row, not_text)
    fields = RMD_FIELDS if job == "rmd" else None
    b, good, err = batch_from_table(table, law, fields=fields)
    extra: dict[str, pa.Array] = {}
    route_idx = dest_idx = np.zeros(0, int)  # the outcome job's request, read below
    long_ids = _check_ids(table, err) | _check_text(not_text, err, n)
    if job in ("outcome", "forms"):
        route_idx, dest_idx = _requested(table, err)
        if job == "forms":
            _check_tins(table, err)
    if long_ids or job in ("outcome", "forms"):
        bad, _ = err.per_row(n)
        good = np.flatnonzero(~bad)
        b = b if len(b) == len(good) else _rebuild(table, law, good, fields)
    if len(good) and job == "rmd":
        # The RMD rule needs the law and the employment status only: no lookup, no 59½.
        extra = _rmd_columns(b, Facts(law, None, None, ~b.active))  # type: ignore[arg-type]
    elif len(good):
        f, routes = evaluate_routes(b, law)
        if job == "eligibility":
            extra = _eligibility_columns(b, routes)
        else:
            extra = _outcome_columns(b, f, routes, route_idx[good], dest_idx[good],
                                     "state" in table.column_names, job == "forms")
            if job == "forms":
                extra.update(_recipient_columns(table.take(pa.array(good))))
                extra.update(_account_columns(table.take(pa.array(good)), extra))
    if len(good):
        extra.update(year_columns(b.tax_year, law))
    if len(good) and job == "forms":
        good, extra = _long_split_accounts(table, good, extra, err)
        good, extra = _clashing_accounts(table, good, extra, err, first_row, clashes)
    return _assemble(table, job, n, good, err, extra, first_row)


def _long_split_accounts(table: pa.Table, good: np.ndarray, extra: dict[str, pa.Array],
                         err: Errors) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """A row whose payment gives more than one Form 1099-R, with an account number too long to
    take the suffix that makes each form's its own within the field's length
    (dist401k.filing.long_split_accounts; Publication 1220), is an error row naming
    ``account_number`` and the limit, as an account number too long by itself is
    (docs/forms.md, "Account numbers"): never a form left out of the filing unsaid.  The good
    rows and their results without those rows."""
    from dist401k.filing import LONG_SPLIT_ACCOUNT, long_split_accounts

    forms = np.sum([np.asarray(extra[f"form_{part}_issued"].to_numpy(zero_copy_only=False), bool)
                    for part in PARTS], axis=0)
    long = long_split_accounts(table.take(pa.array(good)), forms)
    if not long.any():
        return good, extra
    bad = np.zeros(table.num_rows, bool)
    bad[good[long]] = True
    err.add(bad, "account_number", LONG_SPLIT_ACCOUNT)
    keep = pa.array(~long)
    return good[~long], {k: v.filter(keep) for k, v in extra.items()}


def _account_columns(table: pa.Table, extra: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """``form_<part>_account_number``: each form's account number as the filing gives it
    (dist401k.filing.form_account_numbers), null where the part gives no form or the row no
    account number (docs/forms.md, "Account numbers")."""
    from dist401k.filing import form_account_numbers

    issued = [np.asarray(extra[f"form_{part}_issued"].to_numpy(zero_copy_only=False), bool)
              for part in PARTS]
    return {f"form_{part}_account_number": pa.array(v.tolist(), pa.string(), mask=v == "")
            for part, v in zip(PARTS, form_account_numbers(table, issued), strict=True)}


def _clashing_accounts(table: pa.Table, good: np.ndarray, extra: dict[str, pa.Array],
                       err: Errors, first_row: int, clashes: AccountClashes | None
                       ) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """A row whose plan forms would carry an account number another row's form carries, for
    the same payer, recipient and tax year, is an error row naming ``account_number`` and that
    row (dist401k.filing.account_clashes): the later of two rows giving one number
    (REPEATED_ACCOUNT), and a row of several forms whose suffixed numbers reach a number
    another row gives (SUFFIXED_ACCOUNT).  Two returns of one type for one recipient must not
    share an account number (General Instructions for Certain Information Returns, part L;
    docs/forms.md, "Account numbers").  The good rows and their results without those rows."""
    from dist401k.filing import REPEATED_ACCOUNT, SUFFIXED_ACCOUNT, account_clashes

    c = clashes if clashes is not None else account_clashes(table, first_row)
    forms = np.sum([np.asarray(extra[f"form_{part}_issued"].to_numpy(zero_copy_only=False), bool)
                    for part in PARTS], axis=0)
    repeated = (forms > 0) & (c.earlier[good] >= 0)
    suffixed = ~repeated & (forms > 1) & (c.suffix[good] > 0) & (c.suffix[good] <= forms)
    if not (repeated.any() or suffixed.any()):
        return good, extra
    for rows, of, message in ((good[repeated], c.earlier, REPEATED_ACCOUNT),
                              (good[suffixed], c.suffix_row, SUFFIXED_ACCOUNT)):
        err.rows.extend(rows.tolist())
        err.columns.extend(["account_number"] * len(rows))
        err.messages.extend(message.format(row=int(of[r])) for r in rows)
    keep = ~(repeated | suffixed)
    return good[keep], {k: v.filter(pa.array(keep)) for k, v in extra.items()}


def year_columns(tax_year: np.ndarray, law: Law) -> dict[str, pa.Array]:
    """The year of each row's law, last among a job's columns: ``tax_year`` (the request date's
    year), ``projected`` (true after the law's last enacted year, ``meta.years``: its amounts
    indexed, the year's own law not yet enacted) and the basis of that projection,
    ``enacted_through`` and ``projected_inflation`` (null where the year is enacted), as the
    ``tax`` job and ``dist401k assess`` (``tax_year``, ``projected``, ``projection``) give
    them (docs/batch.md)."""
    years = np.asarray(tax_year, dtype=np.int64)
    projected = np.asarray(law.projected(years), dtype=bool)
    return {"tax_year": pa.array(years), "projected": pa.array(projected),
            **projection_columns(projected, law)}


def _is_binary(t: pa.DataType) -> bool:
    return pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t)


def _not_utf8(value: bytes | None) -> bool:
    if value is None:
        return False
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def not_utf8_rows(table: pa.Table) -> dict[str, np.ndarray]:
    """For each binary column (Parquet text written without its UTF-8 mark) holding bytes that
    are not UTF-8 text, the rows that hold them: error rows on that column (docs/reliability.md,
    "text bytes that are not UTF-8 make their row an error row on their column")."""
    found = {}
    for f in table.schema:
        if not _is_binary(f.type):
            continue
        col = table.column(f.name)
        try:
            pc.cast(col, pa.string())
        except pa.ArrowInvalid:  # some value is not UTF-8: the slow way, for this column only
            found[f.name] = np.fromiter((_not_utf8(v) for v in col.to_pylist()), bool, len(col))
    return found


def as_text(table: pa.Table, not_text: dict[str, np.ndarray] | None = None) -> pa.Table:
    """The table with its binary columns as text; bytes that are not UTF-8 (``not_text``:
    :func:`not_utf8_rows`) become U+FFFD, except in ``participant_id``, where they become
    null: two ids that are not text are never copied out as the same one."""
    not_text = not_utf8_rows(table) if not_text is None else not_text
    for i, f in enumerate(table.schema):
        if not _is_binary(f.type):
            continue
        col = table.column(i)
        if f.name not in not_text:
            text = pc.cast(col, pa.string())
        else:
            text = pa.chunked_array([pa.array(
                [None if v is None or (bad and f.name == "participant_id")
                 else v.decode("utf-8", "replace")
                 for v, bad in zip(col.to_pylist(), not_text[f.name], strict=True)],
                pa.string())])
        table = table.set_column(i, pa.field(f.name, pa.string()), text)
    return table


#: The words of a cell whose bytes are not UTF-8 text.
NOT_UTF8 = "is not UTF-8 text"


def _check_text(not_text: dict[str, np.ndarray], err: Errors, n: int) -> bool:
    """A cell whose bytes are not UTF-8 text makes an error row naming its column (once: a
    column's own check may have named it already); True where one is."""
    for name, rows in not_text.items():
        err.add(rows & ~err.named(name, n), name, NOT_UTF8)
    return any(rows.any() for rows in not_text.values())


#: The forms job's optional columns of the payer and the recipient that hold a TIN.
TIN_COLUMNS = ("recipient_tin", "payer_tin")


def _check_tins(table: pa.Table, err: Errors) -> None:
    """A malformed TIN makes an error row naming its column (docs/forms.md); the value is
    never repeated in the message.  So does a recipient's TIN that is not of the kind its
    ``recipient_tin_type`` names (an ITIN, an SSN: :func:`wrong_kind_tins`), and a malformed
    TIN type, state code, ZIP code or phone number of the payer or the recipient."""
    from dist401k.filing import malformed_party_columns

    for name in TIN_COLUMNS:
        if name in table.column_names:
            for bad, problem in tin_problems(table.column(name).to_pylist()):
                err.add(bad, name, problem)
    if {"recipient_tin", "recipient_tin_type"} <= set(table.column_names):
        err.add(wrong_kind_tins(table.column("recipient_tin").to_pylist(),
                                table.column("recipient_tin_type").to_pylist()),
                "recipient_tin", WRONG_KIND)
    for name, (bad, problem) in malformed_party_columns(table).items():
        err.add(bad, name, problem)


def _recipient_columns(table: pa.Table) -> dict[str, pa.Array]:
    """The recipient's TIN as its copy shows it (the last four digits), null where the book
    has none; the full number is never written to the results."""
    if "recipient_tin" not in table.column_names:
        return {"recipient_tin_truncated": pa.nulls(table.num_rows, pa.string())}
    return {"recipient_tin_truncated": pa.array(
        truncated_tins(table.column("recipient_tin").to_pylist()), pa.string())}


def _rebuild(table, law, good, fields=None):
    b, _, _ = batch_from_table(table.take(pa.array(good)), law, fields=fields)
    return b


def _choice_text(col) -> pa.Array:
    """A column of choices as the plan book's other choices are read (dist401k.flat): without
    regard to case or surrounding spaces (docs/batch.md)."""
    return pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(col, pa.string())))


def _requested(table: pa.Table, err: Errors) -> tuple[np.ndarray, np.ndarray]:
    n = table.num_rows
    if "request_route" not in table.column_names:
        err.add(np.ones(n, bool), "request_route", "required column for the outcome job")
        return np.zeros(n, int), np.zeros(n, int)
    s = _choice_text(table.column("request_route"))
    r = pc.fill_null(pc.index_in(s, value_set=pa.array(list(ROUTES))), -1).to_numpy(
        zero_copy_only=False)
    err.add(r < 0, "request_route", f"is not one of {', '.join(ROUTES)}")
    if "request_destination" in table.column_names:
        # An unknown destination is the case field's error, told by dist401k.flat's check.
        ds = pc.fill_null(_choice_text(table.column("request_destination")), "cash")
        ds = pc.if_else(pc.equal(ds, "all"), "cash", ds)
        d = pc.fill_null(pc.index_in(ds, value_set=pa.array(list(DESTINATIONS))), -1).to_numpy(
            zero_copy_only=False)
    else:
        d = np.zeros(n, int)
    return np.maximum(r, 0), np.maximum(d, 0)


#: What a row's identifier longer than an identifier may be is: the case's words for its ``id``
#: (docs/reliability.md, "identifier: up to 200 characters"; ``bounds.MAX_ID_LENGTH``).
LONG_ID = f"String should have at most {MAX_ID_LENGTH} characters"


def _long_ids(table: pa.Table) -> np.ndarray:
    """The rows whose ``participant_id`` is longer than :data:`~dist401k.bounds.MAX_ID_LENGTH`
    characters (none where the book has no such column)."""
    if "participant_id" not in table.column_names:
        return np.zeros(table.num_rows, bool)
    length = pc.utf8_length(pc.cast(table.column("participant_id"), pa.string()))
    return np.asarray(pc.fill_null(pc.greater(length, MAX_ID_LENGTH), False)
                      .to_numpy(zero_copy_only=False), bool)


def _check_ids(table: pa.Table, err: Errors) -> bool:
    """An identifier longer than a case's ``id`` may be makes an error row naming
    ``participant_id`` (as a case file's refusal names ``id``); True where one is."""
    long = _long_ids(table)
    err.add(long, "participant_id", LONG_ID)
    return bool(long.any())


def _ids(table: pa.Table, n: int, first_row: int) -> dict[str, pa.Array]:
    """The row's number and its identifier; an identifier too long to be one is not copied."""
    out = {"row": pa.array(np.arange(first_row, first_row + n, dtype=np.int64))}
    if "participant_id" in table.column_names:
        ids = pc.cast(table.column("participant_id"), pa.string())
        long = _long_ids(table)
        out["participant_id"] = ids if not long.any() else pa.array(
            [None if too_long else v for v, too_long in zip(ids.to_pylist(), long, strict=True)],
            pa.string())
    return out


def _assemble(table, job, n, good, err: Errors, extra, first_row) -> pa.Table:
    bad_mask, first = err.per_row(n)
    cols = _ids(table, n, first_row)
    status = pa.DictionaryArray.from_arrays(pa.array(bad_mask.astype(np.int8)),
                                            pa.array(["ok", "error"]))
    cols["status"] = pc.cast(status, pa.string())
    if first:
        rows = np.fromiter(first, dtype=np.int64, count=len(first))
        order = np.argsort(rows)
        idx = np.full(n, -1, dtype=np.int64)
        idx[rows[order]] = np.arange(len(rows))
        values = [first[int(r)] for r in rows[order]]
        mask = pa.array(idx < 0)
        take = pa.array(np.maximum(idx, 0))
        for name, pos in (("error_column", 0), ("error_message", 1)):
            col = pa.array([v[pos] for v in values], pa.string()).take(take)
            cols[name] = pc.if_else(mask, pa.scalar(None, pa.string()), col)
    else:
        cols["error_column"] = pa.nulls(n, pa.string())
        cols["error_message"] = pa.nulls(n, pa.string())
    if extra:
        if len(good) == n:  # no error rows: the results are the columns
            cols.update(extra)
        else:
            # Scatter the good rows' results into full-length columns (nulls on error rows).
            index = np.full(n, -1, dtype=np.int64)
            index[good] = np.arange(len(good))
            take = pa.array(np.where(index >= 0, index, 0))
            valid = pa.array(index >= 0)
            for k, v in extra.items():
                full = v.take(take) if len(v) else pa.nulls(n, v.type)
                cols[k] = pc.if_else(valid, full, pa.scalar(None, full.type))
    return pa.table(cols)


def _merge_problems(checks: list[Callable[[], object]], n: int, err: Errors) -> bool:
    """Run each input check of ``n`` rows, adding the problems it raises to ``err``, each
    (row, column, message) once and in the order found: the federal check and the state's
    both read the row's federal inputs and would say a blank ``age_spouse`` twice, where
    `dist401k tax` and ``POST /tax`` say it once (docs/tax.md).  True where any was found."""
    seen: set[tuple[int | None, str, str]] = set()
    for check in checks:
        try:
            check()
        except InputError as exc:
            for p in exc.problems:
                if (p.row, p.field, p.problem) in seen:
                    continue
                seen.add((p.row, p.field, p.problem))
                m = np.ones(n, bool) if p.row is None else np.zeros(n, bool)
                if p.row is not None:
                    m[p.row - 1] = True
                err.add(m, p.field, p.problem)
    return bool(seen)


def _tax_figures(data: dict, good: np.ndarray, law: Law, with_state: bool) -> dict:
    """The tax job's figures of the rows ``good`` (raises :class:`InputError` for a problem
    found only as they are figured, its rows counted within ``good``)."""
    sub = {k: np.asarray(v)[good] for k, v in data.items()}
    res = federal_tax(TaxUnits.from_columns(sub, law=law, n=len(good), limit=None), law)
    # To the cent, income_tax the sum of its rounded parts (Form 1040 line 24), as
    # `dist401k tax` gives them (dist401k.tax.federal.in_cents).
    extra = {k: pa.array(v) for k, v in in_cents(res).items() if k in OUTPUT_COLUMNS}
    # The basis of a projected row's law after ``projected``, as `dist401k tax` and
    # ``POST /tax`` give it (dist401k.tax.table.projection_columns).
    extra.update(projection_columns(res["projected"], law))
    if with_state:  # null where the state is not covered
        extra.update({k: pa.array(cents(v) if v.dtype.kind == "f" else v,
                                  mask=np.isnan(v) if v.dtype.kind == "f" else None)
                      for k, v in state_tax_with_federal(sub, res, law, None).items()})
    return extra


def _tax_job(table: pa.Table, law: Law, first_row: int,
             not_text: dict[str, np.ndarray]) -> pa.Table:
    from dist401k.io.tables import columns_of

    n = table.num_rows
    err = Errors([], [], [])
    data = ids_as_given(table, columns_of(table))
    with_state = "state" in data
    good = np.arange(n)
    checks: list[Callable[[], object]] = [
        lambda: TaxUnits.from_columns(data, law=law, n=n, limit=None)]
    if with_state:  # the state's own inputs (its code, its flags) are checked per row too
        checks.append(lambda: StateUnits.from_columns(state_inputs(data), law, None))
    problems = _merge_problems(checks, n, err)
    if _check_ids(table, err) | _check_text(not_text, err, n) or problems:
        bad, _ = err.per_row(n)
        good = np.flatnonzero(~bad)
    extra: dict = {}
    while len(good):
        try:
            extra = _tax_figures(data, good, law, with_state)
            break
        except InputError as exc:
            # A problem found only once the figures are known (a spouse's part beyond the
            # whole the federal tax figured): an error row for each row it names, and the
            # others figured again — never every row "ok" with no figure.  A problem of no
            # row makes every remaining row an error row.
            if not exc.problems:
                raise
            for p in exc.problems:
                m = np.zeros(n, bool)
                m[good if p.row is None else good[p.row - 1]] = True
                err.add(m, p.field, p.problem)
            bad, _ = err.per_row(n)
            good = np.flatnonzero(~bad)
    return _assemble(table, "tax", n, good, err, extra, first_row)
