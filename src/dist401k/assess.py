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


def assess_cases(cases: list[Case], law: Law | None = None) -> list[dict]:
    """The assessment of each case (a batch: every rule runs once over all of them)."""
    law = law or default_law()
    b = CaseBatch.from_cases(cases)
    f, routes = evaluate_routes(b, law)
    outs = outcomes(b, f, routes)
    half = anniversary(b.birth_date, 0, np.round(f.lk.get("early_distributions.age") * 12)
                       .astype(np.int64))
    results = []
    for i, case in enumerate(cases):
        route_rows, summaries = [], []
        for name, r in routes.items():
            if name == "beneficiary" and not b.inherited[i]:
                continue  # only an inherited account has this way out
            for s, src in enumerate(SOURCES):
                if b.balance[i, s] <= 0:
                    continue
                route_rows.append({
                    "route": name, "source": src, "eligible": bool(r.eligible[i, s]),
                    "available": _money(r.available[i, s] if r.eligible[i, s] else 0.0),
                    "reasons": _reasons(r.reason_codes(i, s)),
                })
            summary = {"route": name, "eligible": bool(r.eligible[i].any()),
                       "available": _money(r.total_available[i])}
            if name == "loan":
                summary.update({k: _money(r.extra[k][i]) for k in ("maximum", "payment",
                                                                   "total_interest")})
                summary["payments_per_year"] = int(r.extra["payments_per_year"][i])
                summary["term_years"] = int(r.extra["term_years"][i])
                summary["principal"] = _money(r.extra["principal"][i])
                summary["schedule"] = amortization(
                    float(r.extra["principal"][i]), float(b.loan_rate[i]),
                    float(r.extra["term_years"][i]), int(r.extra["payments_per_year"][i])
                ) if summary["principal"] > 0 else []
            if name == "rmd":
                summary["rmd"] = _money(r.extra["rmd"][i])
                summary["remaining"] = _money(r.extra["remaining"][i])
                d = r.extra["divisor"][i]
                summary["divisor"] = None if np.isnan(d) else float(d)
                summary["applicable_age"] = float(r.extra["applicable_age"][i])
                summary["deadline"] = str(r.extra["deadline"][i]) if summary["rmd"] > 0 else None
            if name == "beneficiary":
                summary.update(beneficiary_summary(r, i))
            summaries.append(summary)
        wanted = case.request.destination
        outcome_rows = []
        for o in outs:
            if not o.possible[i]:
                continue
            if wanted != "all" and o.destination != wanted and o.route != "loan":
                continue
            row = {"route": o.route, "destination": o.destination}
            row.update({k: _money(getattr(o, k)[i]) for k in MONEY_FIELDS})
            if o.route == "loan":
                row["form_1099r_codes"] = []
                row["loan"] = {k: _money(v[i]) for k, v in o.extra.items()}
            else:
                joined = form_codes(o.code[i:i + 1], {k: np.asarray(v)[i:i + 1] for k, v in
                                                      o.parts.items()}, o.destination)[0]
                row["form_1099r_codes"] = joined.split(";") if joined else []
            codes = [c for c, m in o.reasons.items() if bool(np.asarray(m)[i])]
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
            row["deadlines"] = deadlines(b, o, routes, i, law)
            row["reasons"] = _reasons(codes)
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
