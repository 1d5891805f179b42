"""Form 5329, Part I: the additional tax on early distributions (IRC §72(t)), line by line.

- Line 1: early distributions includible in income (the taxable amount paid before 59½; a
  qualified disaster recovery distribution is not reported here but on Form 8915-F: "qualified
  disaster distributions ... don't need to be reported on Form 5329", Instructions for Form
  8915-F — the disaster route's payment, or the part of another route's payment the individual
  treats as one).
- Line 2: the part of line 1 the 10% tax does not reach, with the exception's number from the
  instructions (``early_distributions.form_5329_exception_number``; 99 when more than one
  applies): the exceptions that cover the whole payment (§72(t)(2)(A)(ii), (iii), (v), (t)(10),
  (t)(2)(H), (I), (K), (L)), the part of another route's payment the request's event covers up
  to its limit (§72(t)(2)(H), (I), (K): the individual's own treatment, claimed here), the
  medical part (§72(t)(2)(B)), and governmental 457(b) money outside §72(t) (§72(t)(9)).
- Line 3: line 1 minus line 2.  Line 4: the additional tax, the rate times line 3.

One rounding rule makes the form and the tax agree (:func:`additional_tax`): lines 1 and 2 are
entered to the cent (half away from zero), line 3 is line 1 less line 2 as entered, and line 4
is the rate times line 3 rounded to the cent ("Enter 10% (0.10) of line 3"); the outcome's 10%
tax (``additional_tax_72t``, Schedule 2, line 8) is that same line 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT, cents

PARAM = "early_distributions.form_5329_exception_number"

#: The exception of each whole-payment reason code (dist401k.early_distribution), by its key
#: in the law file; PX_SECURE2's depends on the route.  A payment of a series for life or
#: joint lives (``PX_SERIES_LIFE``, IRC §72(t)(2)(A)(iv)) is one of a series of substantially
#: equal periodic payments: the instructions' exception 02, as a 72(t) series' (sepp).
WHOLE = {"PX_SEPARATION_55": "separation_from_service",
         "PX_PUBLIC_SAFETY": "separation_from_service", "PX_DISABILITY": "disability",
         "PX_DEATH": "death", "PX_TERMINAL": "terminal_illness", "PX_QDRO": "qdro",
         "PX_SERIES_LIFE": "sepp"}
SECURE2 = {"birth_adoption": "birth_adoption", "domestic_abuse": "domestic_abuse",
           "emergency_expense": "emergency_expense"}
#: Routes whose payment is reported elsewhere than Part I (a qualified disaster recovery
#: distribution: Form 8915-F).
NOT_IN_PART_I = ("disaster",)
#: Box 7 codes that tell the IRS an exception covers the payment.
EXCEPTION_CODES = ("2", "3", "4")


def line_3_of(line_1, reached) -> np.ndarray:
    """Line 3, "Subtract line 2 from line 1", of the amounts entered to the cent: line 1 (the
    early distributions includible, ``line_1`` before rounding) and line 2, the rest of line 1
    once ``reached`` (the part the additional tax reaches) is taken out; never below 0."""
    raw_1 = np.asarray(line_1, float)
    line_2 = cents(np.maximum(0.0, raw_1 - np.asarray(reached, float)))
    return np.maximum(0.0, cents(raw_1) - line_2)


def additional_tax(rate, line_1, reached) -> np.ndarray:
    """Line 4, the §72(t)(1) additional tax: the rate times line 3 (:func:`line_3_of`), rounded
    to the cent, half away from zero (Instructions for Form 5329, line 4: "Enter 10% (0.10) of
    line 3").  The one rule of both the form and the outcome's tax."""
    return cents(np.asarray(rate, float) * line_3_of(line_1, reached))


@dataclass(frozen=True)
class PartI:
    """Form 5329 Part I of each case: lines 1–4, the line 2 number (0: none; NaN: an
    exception applies whose number the law files do not hold), and whether to file."""

    line_1: np.ndarray
    line_2: np.ndarray
    line_2_number: np.ndarray
    line_3: np.ndarray
    line_4: np.ndarray
    required: np.ndarray


def numbers(lk: Lookup) -> dict[str, np.ndarray]:
    """The line 2 number of each exception, per case (by the case's tax year)."""
    table = lk.get(PARAM)
    return {k: table[:, j] for j, k in enumerate(lk.law.param(PARAM).keys)}


Pieces = list[tuple[np.ndarray, str | None]]


def _applying(route: str, exc: dict) -> Pieces:
    """The whole-payment exceptions of the cases, each with its key (None: an exception whose
    number the law files do not hold, the long-term care distribution's)."""
    out: Pieces = [(np.asarray(exc[code], bool), key) for code, key in WHOLE.items()
                   if code in exc]
    if route in SECURE2:
        out.append((np.asarray(exc["PX_SECURE2"], bool), SECURE2[route]))
    elif "PX_SECURE2" in exc and route not in NOT_IN_PART_I:
        out.append((np.asarray(exc["PX_SECURE2"], bool), None))
    return out


def line_2_number(lk: Lookup, whole: Pieces, medical, exempt_457) -> np.ndarray:
    """The number beside line 2: the one exception's, or 99 when more than one applies."""
    num = numbers(lk)
    n = len(medical)
    found = np.zeros(n)
    count = np.zeros(n, dtype=np.int64)
    unknown = np.zeros(n, bool)
    seen: dict[str, np.ndarray] = {}
    pieces: Pieces = [*whole, (medical, "medical"), (exempt_457, "section_457")]
    for mask, key in pieces:
        if key is None:
            unknown |= mask
            count += mask
            continue
        new = mask & ~seen.get(key, np.zeros(n, bool))
        seen[key] = seen.get(key, np.zeros(n, bool)) | mask
        count += new
        found = np.where(new, num[key], found)
    out = np.where(count > 1, num["more_than_one"], found)
    return np.where(unknown & (count == 1), np.nan, out)


@dataclass(frozen=True)
class EarlyPaid:
    """What Part I reads of a payment: paid before 59½ (``early``), its taxable amount paid
    and not rolled over (``includible``), the part §72(t) reaches (``subject``), the part the
    medical exception covers, the cases a whole-payment exception covers, the rate, the
    part of ``includible`` that is an in-plan Roth rollover's recapture (Form 1099-R box 10),
    and the part of ``subject`` an event's exception covers (``event``) with the event's key
    for each case it applies to (``event_keys``)."""

    early: np.ndarray
    includible: np.ndarray
    subject: np.ndarray
    medical: np.ndarray
    excepted: np.ndarray
    rate: np.ndarray
    recaptured: np.ndarray | float = 0.0  # in includible: not in box 2a (1099-R box 10)
    event: np.ndarray | float = 0.0
    event_keys: tuple[tuple[np.ndarray, str | None], ...] = ()


def part_i(lk: Lookup, route: str, exc: dict, paid: EarlyPaid, code) -> PartI:
    """Lines 1–4 of each case's payment by ``route`` (its box 7 ``code`` decides whether the
    form must be filed)."""
    excepted = np.asarray(paid.excepted, bool)
    shown = np.asarray(paid.early, bool) & (route not in NOT_IN_PART_I)
    raw_1 = np.where(shown, paid.includible, 0.0)
    reached = np.where(shown, paid.subject, 0.0)
    exempt_457 = np.maximum(0.0, raw_1 - reached)
    event = np.where(excepted, 0.0, np.minimum(reached, paid.event))
    medical = np.minimum(reached - event, paid.medical)
    whole_part = np.where(excepted, reached, event + medical)
    # One rule (additional_tax): lines 1 and 2 to the cent, line 3 "line 2 from line 1".
    line_1, line_2 = cents(raw_1), cents(exempt_457 + whole_part)
    line_3 = np.maximum(0.0, line_1 - line_2)
    has = line_1 > HALF_CENT
    whole = [(m & excepted & has & (reached > HALF_CENT), k) for m, k in _applying(route, exc)]
    whole += [(m & (event > HALF_CENT), k) for m, k in paid.event_keys]
    med = ~excepted & (medical > HALF_CENT)
    number = np.where(line_2 > HALF_CENT,
                      line_2_number(lk, whole, med, exempt_457 > HALF_CENT), 0.0)
    code = np.asarray(code)
    # Code 1 tells the whole story only where line 1 is box 2a: not with a recapture (box 10).
    # A governmental 457(b)'s own money beside it is on a code-2 form of its own (form_1099r_boxes).
    told = ((code == "1") & (whole_part <= HALF_CENT)
            & (np.asarray(paid.recaptured) <= HALF_CENT)) | (
        np.isin(code, EXCEPTION_CODES) & (line_3 <= HALF_CENT))
    return PartI(line_1=line_1, line_2=line_2, line_2_number=number, line_3=line_3,
                 line_4=cents(paid.rate * line_3), required=has & ~told)


def part_i_rows(p: PartI | None, at: np.ndarray) -> list[dict | None]:
    """Part I of the cases ``at`` as the answer shows it, to the cent: None where the payment
    has no early distribution to report (or is a loan)."""
    if p is None:
        return [None] * len(at)
    lines = {k: cents(np.asarray(getattr(p, k))[at]).tolist()
             for k in ("line_1", "line_2", "line_3", "line_4")}
    number = np.asarray(p.line_2_number)[at].tolist()
    required = np.asarray(p.required)[at].tolist()
    out: list[dict | None] = []
    for k in range(len(at)):
        if lines["line_1"][k] <= 0:
            out.append(None)
            continue
        num = number[k]
        out.append({**{name: col[k] for name, col in lines.items()},
                    "line_2_exception": None if num != num or num == 0 else f"{int(num):02d}",
                    "required": bool(required[k])})
    return out
