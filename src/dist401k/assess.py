"""Assess cases: every route by money source, and the outcome of the request by each open route
and destination, as plain data with stable field names (the JSON of `dist401k assess`)."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Case
from dist401k.dates import anniversary
from dist401k.explain import reason
from dist401k.form_1099r import form_codes
from dist401k.law.filing_status import FILING_STATUSES
from dist401k.law.loader import Law, default_law
from dist401k.outcome import MONEY_FIELDS, deadlines, outcomes
from dist401k.routes import evaluate_routes
from dist401k.routes.loan import amortization
from dist401k.sources import SOURCES

SCHEMA_VERSION = "1"


def _reasons(codes) -> list[dict]:
    return [reason(c).as_dict() for c in codes]


def _reason_lists(reasons: dict, n: int, width: int | None = None) -> tuple[list, list]:
    """For each case (and money source, when ``width`` is given) the codes whose mask is set
    and the JSON's list of {code, text, citation}: ``out[i]`` or ``out[i][s]``.  Each
    distinct combination of masks is spelled out once for the batch (the lists are shared
    between cells: read-only)."""
    codes = list(reasons)
    shape = (n,) if width is None else (n, width)
    if not codes:
        empty = [[] for _ in range(n)] if width is None else [[[]] * width for _ in range(n)]
        return empty, empty
    cols = []
    for code in codes:
        m = np.asarray(reasons[code], bool)
        if width is None:
            m = np.broadcast_to(m.any(axis=1) if m.ndim == 2 else m, shape)
        else:
            m = np.broadcast_to(m.reshape(n, -1), shape)
        cols.append(m.reshape(-1))
    grid = np.stack(cols, axis=1)
    if len(codes) < 63:  # one integer per cell
        key = grid.astype(np.int64) @ (np.int64(1) << np.arange(len(codes), dtype=np.int64))
        uniq, inverse = np.unique(key, return_inverse=True)
        bits = ((uniq[:, None] >> np.arange(len(codes))) & 1).astype(bool).tolist()
    else:
        uniq, inverse = np.unique(np.packbits(grid, axis=1), axis=0, return_inverse=True)
        bits = np.unpackbits(uniq, axis=1, count=len(codes)).astype(bool).tolist()
    names = [[c for c, on in zip(codes, row, strict=True) if on] for row in bits]
    spelled = [_reasons(c) for c in names]
    inverse = inverse.reshape(shape).tolist()
    if width is None:
        return [names[j] for j in inverse], [spelled[j] for j in inverse]
    return ([[names[j] for j in row] for row in inverse],
            [[spelled[j] for j in row] for row in inverse])


def _money(x) -> float:
    return round(float(x), 2)


def beneficiary_summary(r, i: int) -> dict:
    """The beneficiary route's answer for case ``i``: who inherits, the method, this year's
    required amount and deadline, when the account must be empty, the excise on missed years."""
    from dist401k.routes.beneficiary import KINDS, METHODS

    x = r.extra
    d = x["divisor"][i]
    empty = x["empty_by"][i]
    missed = []
    for k in range(x["missed_excise"].shape[1]):
        if np.isnan(x["missed_year"][i, k]):
            continue  # padding of a batch whose cases missed different numbers of years
        notice = int(x["missed_notice"][i, k])
        missed.append({"year": int(x["missed_year"][i, k]),
                       "shortfall": _money(x["missed_shortfall"][i, k]),
                       "excise_rate": float(x["missed_rate"][i, k]),
                       "excise": _money(x["missed_excise"][i, k]),
                       "waived_by": f"Notice {notice // 100}-{notice % 100}" if notice else None})
    return {
        "kind": KINDS[int(x["kind"][i])],
        "method": METHODS[int(x["method"][i])],
        "death_after_required_beginning_date": bool(x["after_rbd"][i]),
        "required_beginning_date": None if np.isnat(x["rbd"][i]) else str(x["rbd"][i]),
        "required": _money(x["required"][i]),
        "remaining": _money(x["remaining"][i]),
        "divisor": None if np.isnan(d) else round(float(d), 1),
        "start_year": int(x["start_year"][i]),
        "deadline": str(x["deadline"][i]) if x["remaining"][i] > 0.005 else None,
        "empty_by": f"{int(empty)}-12-31" if empty > 0 else None,
        "excise_missed": _money(x["excise"][i]),
        "missed": missed,
    }


def _rounded(a) -> list:
    """Dollar amounts of a batch column as Python floats to the cent (one pass per column)."""
    return [round(v, 2) for v in np.asarray(a, dtype=float).tolist()]


def assess_cases(cases: list[Case], law: Law | None = None) -> list[dict]:
    """The assessment of each case (a batch: every rule runs once over all of them; the
    answers are then read out case by case from columns converted once)."""
    law = law or default_law()
    b = CaseBatch.from_cases(cases)
    n = len(cases)
    f, routes = evaluate_routes(b, law)
    outs = outcomes(b, f, routes)
    half = anniversary(b.birth_date, 0, np.round(f.lk.get("early_distributions.age") * 12)
                       .astype(np.int64))
    has_balance = (b.balance > 0).tolist()
    inherited = np.asarray(b.inherited, bool).tolist()
    route_cols = {}
    for name, r in routes.items():
        cols = {"eligible": r.eligible.tolist(),
                "available": r.available.tolist(),
                "reasons": _reason_lists(r.reasons, n, len(SOURCES))[1],
                "any": r.eligible.any(axis=1).tolist(),
                "total": _rounded(r.total_available)}
        if name == "loan":
            cols.update({k: _rounded(r.extra[k]) for k in ("maximum", "payment",
                                                           "total_interest", "principal")})
        if name == "rmd":
            cols.update(rmd=_rounded(r.extra["rmd"]), remaining=_rounded(r.extra["remaining"]))
        route_cols[name] = cols
    out_cols = []
    for o in outs:
        cols = {"possible": np.asarray(o.possible, bool).tolist(),
                "money": {k: _rounded(getattr(o, k)) for k in MONEY_FIELDS},
                "deadlines": deadlines(b, o, routes, law)}
        cols["codes"], cols["reasons"] = _reason_lists(o.reasons, n)
        if o.route == "loan":
            cols["loan"] = {k: _rounded(v) for k, v in o.extra.items()}
        else:
            joined = form_codes(o.code, {k: np.asarray(v) for k, v in o.parts.items()},
                                o.destination)
            cols["forms"] = [j.split(";") if j else [] for j in joined.tolist()]
        out_cols.append(cols)
    results = []
    for i, case in enumerate(cases):
        route_rows, summaries = [], []
        for name, r in routes.items():
            if name == "beneficiary" and not inherited[i]:
                continue  # only an inherited account has this way out
            rc = route_cols[name]
            for s, src in enumerate(SOURCES):
                if not has_balance[i][s]:
                    continue
                ok = rc["eligible"][i][s]
                route_rows.append({
                    "route": name, "source": src, "eligible": ok,
                    "available": round(rc["available"][i][s], 2) if ok else 0.0,
                    "reasons": rc["reasons"][i][s],
                })
            summary = {"route": name, "eligible": rc["any"][i], "available": rc["total"][i]}
            if name == "loan":
                summary.update({k: rc[k][i] for k in ("maximum", "payment", "total_interest")})
                summary["payments_per_year"] = int(r.extra["payments_per_year"][i])
                summary["term_years"] = int(r.extra["term_years"][i])
                summary["principal"] = rc["principal"][i]
                summary["schedule"] = amortization(
                    float(r.extra["principal"][i]), float(b.loan_rate[i]),
                    float(r.extra["term_years"][i]), int(r.extra["payments_per_year"][i])
                ) if summary["principal"] > 0 else []
            if name == "rmd":
                summary["rmd"] = rc["rmd"][i]
                summary["remaining"] = rc["remaining"][i]
                d = r.extra["divisor"][i]
                summary["divisor"] = None if np.isnan(d) else float(d)
                summary["applicable_age"] = float(r.extra["applicable_age"][i])
                summary["deadline"] = str(r.extra["deadline"][i]) if summary["rmd"] > 0 else None
            if name == "beneficiary":
                summary.update(beneficiary_summary(r, i))
            summaries.append(summary)
        wanted = case.request.destination
        outcome_rows = []
        for o, oc in zip(outs, out_cols, strict=True):
            if not oc["possible"][i]:
                continue
            if wanted != "all" and o.destination != wanted and o.route != "loan":
                continue
            row = {"route": o.route, "destination": o.destination}
            row.update({k: v[i] for k, v in oc["money"].items()})
            if o.route == "loan":
                row["form_1099r_codes"] = []
                row["loan"] = {k: v[i] for k, v in oc["loan"].items()}
            else:
                row["form_1099r_codes"] = oc["forms"][i]
            codes = oc["codes"][i]
            notices = []
            if "OC_402F" in codes:
                notices.append("§402(f) rollover notice")
            if "OC_ERD_WITHHOLDING" in codes or "OC_NON_ERD_WITHHOLDING" in codes:
                notices.append("Form W-4R (withholding election)")
            if "OC_SPOUSAL_CONSENT" in codes:
                notices.append("spousal consent (QJSA waiver)")
            if row["additional_tax_72t"] > 0 or "PX_MEDICAL" in codes:
                notices.append("Form 5329 (additional tax / exception)")
            if o.route == "disaster":
                notices.append("Form 8915-F (disaster distribution)")
            row["notices"] = notices
            row["deadlines"] = oc["deadlines"][i]
            row["reasons"] = oc["reasons"][i]
            outcome_rows.append(row)
        year = int(b.tax_year[i])
        results.append({
            "schema_version": SCHEMA_VERSION,
            "case_id": case.id,
            "request_date": str(b.request_date[i]),
            "tax_year": year,
            "projected": bool(law.projected(year)),
            "law_version": law.version,
            "filing_status": FILING_STATUSES[int(b.filing_status[i])],
            "age_59_half_on": str(half[i]),
            "reached_59_half": bool(f.at_59_half[i]),
            "route_summary": summaries,
            "routes": route_rows,
            "outcomes": outcome_rows,
        })
    return results
