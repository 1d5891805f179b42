"""Why an outcome's figures are what they are, next to them, and what the answer assumed.

Each outcome row of the assessment says, in a line each, why its 10% additional tax is what it
is (the exception that spared it, IRC §72(t)(2), or why it applies, §72(t)(1)) and how its
gross splits into the taxable and tax-free parts (§72(e)(8), §402A(d)(2), §402(c)).  The texts
are the reasons the rules returned for that row (``law/reasons/``): the same computation as the
numbers.  The notes say what the answer capped or assumed where the case left it open, and
which field gives the missing figure.
"""

from __future__ import annotations

import numpy as np

from dist401k.case import ALTERNATE_PAYEE_SPOUSES, Case
from dist401k.explain import reason
from dist401k.law import default_law
from dist401k.money import HALF_CENT, amount, dollars_text, whole_dollars
from dist401k.sources import AFTER_TAX, ROTH, SOURCES

#: Below this many dollars an amount in a sentence shows its cents where it has any (a display
#: choice, not law): a $9.99 payment is not "$10 of $10 taxable", nor $0.01 "$0 of $0"; from
#: it on, whole dollars, rounded as the tables round them (money.dollars_text).
CENTS_SHOWN_BELOW = 10.0


def money_words(x: float) -> str:
    """An amount in a sentence: dollars and cents (``9.99``, ``0.01``) where it is under
    :data:`CENTS_SHOWN_BELOW` and not a whole number of dollars, else whole dollars as every
    table shows them (:func:`dollars_text`: half away from zero, ``1,709``)."""
    c = amount(x)
    if abs(c) < CENTS_SHOWN_BELOW and abs(c - float(whole_dollars(c))) >= HALF_CENT:
        return f"{c:,.2f}"
    return dollars_text(x)


# The exceptions to the 10% tax a row can carry (IRC §72(t)(2), (t)(9), (t)(10)).
# The event exceptions a payment by a plan's other route may take on the return, up to a limit.
PLAN_EVENTS = ("PX_BIRTH_ADOPTION", "PX_EMERGENCY", "PX_DOMESTIC_ABUSE", "PX_DISASTER")
EXCEPTIONS = ("PX_AGE_59_HALF", "PX_SEPARATION_55", "PX_PUBLIC_SAFETY", "PX_DISABILITY",
              "PX_TERMINAL", "PX_DEATH", "PX_QDRO", "PX_SECURE2", "PX_457", "PX_MEDICAL",
              "PX_SERIES_LIFE", "RI_BIRTH_ADOPTION", "RI_EMERGENCY", "RI_DOMESTIC_ABUSE", "RI_DISASTER",
              *PLAN_EVENTS)
# Exceptions that may spare part of a payment, named beside a 10% tax still owed.
PARTLY = ("PX_IRA_ONLY", "PX_MEDICAL", "PX_457_ROLLED_IN", "BN_OWN_72T", "RI_BIRTH_ADOPTION",
          "RI_EMERGENCY", "RI_DOMESTIC_ABUSE", "RI_DISASTER", *PLAN_EVENTS)
# Why part of a payment is tax-free, or none of it taxable now.
TAX_FREE = ("OC_ROTH_QUALIFIED", "OC_ROTH_NONQUALIFIED", "OC_PRO_RATA", "BN_ROTH_IRA_ORDERING")
ROLLED = ("OC_SPLIT_2014_54", "OC_INDIRECT", "OC_DIRECT_ROLLOVER")
# Short names for the table's "why" column (the JSON carries the full texts and citations).
EXCEPTION_LABELS = {"PX_AGE_59_HALF": "past 59½", "PX_SEPARATION_55": "rule of 55",
                    "PX_PUBLIC_SAFETY": "public safety employee", "PX_DISABILITY": "disability",
                    "PX_TERMINAL": "terminal illness", "PX_DEATH": "paid on death",
                    "PX_SECURE2": "SECURE 2.0 distribution", "PX_457": "governmental 457(b)",
                    "PX_MEDICAL": "medical expenses", "RI_BIRTH_ADOPTION": "birth or adoption",
                    "RI_EMERGENCY": "emergency expense", "RI_DOMESTIC_ABUSE": "domestic abuse",
                    "RI_DISASTER": "qualified disaster", "PX_BIRTH_ADOPTION": "birth or adoption",
                    "PX_EMERGENCY": "emergency expense", "PX_DOMESTIC_ABUSE": "domestic abuse",
                    "PX_DISASTER": "qualified disaster", "PX_QDRO": "QDRO payment",
                    "PX_SERIES_LIFE": "life annuity payments"}
TAX_FREE_LABELS = {"OC_ROTH_QUALIFIED": "qualified Roth",
                   "OC_ROTH_NONQUALIFIED": "Roth contributions, pro rata",
                   "OC_PRO_RATA": "after-tax basis, pro rata",
                   "BN_ROTH_IRA_ORDERING": "Roth IRA contributions first"}
ROTH_SOURCES = tuple(s for s, r in zip(SOURCES, ROTH, strict=True) if r)
AFTER_TAX_SOURCES = tuple(s for s, r in zip(SOURCES, AFTER_TAX, strict=True) if r)


def _cited(reasons: list[dict]) -> str:
    return " ".join(f"{r['text']} [{r['citation']}]" for r in reasons)


#: The exceptions that reach the whole payment, the part not rolled over included (IRC
#: §72(t)(2)(A), (C)): no 10% tax on it whatever is put back.
WHOLE = ("PX_AGE_59_HALF", "PX_SEPARATION_55", "PX_PUBLIC_SAFETY", "PX_DISABILITY",
         "PX_TERMINAL", "PX_DEATH", "PX_QDRO")


def _qualified_offset(row: dict) -> bool:
    """A qualified plan loan offset: rolled over by the return's due date with extensions, not
    in 60 days (IRC §402(c)(3)(C))."""
    return any(r["code"] == "LO_QUALIFIED" for r in row["reasons"])


def sixty_day_deadline(row: dict) -> str | None:
    """The date by which the rollover must be completed (the row's deadlines): 60 days, or a
    qualified plan loan offset's due date of the return."""
    key = "loan offset" if _qualified_offset(row) else "60-day"
    return next((d["date"] for d in row.get("deadlines", ()) if key in d["what"]), None)


def _whole_exception(row: dict) -> str | None:
    """The exception that spares the whole payment the 10% tax, in a few words (None: none)."""
    codes = {r["code"] for r in row["reasons"]}
    return next((EXCEPTION_LABELS[c] for c in WHOLE if c in codes), None)


def _457_part(row: dict) -> str | None:
    """A governmental 457(b)'s payment before 59½: §72(t) reaches only the money rolled in from
    a qualified plan, a 403(b) or an IRA (IRC §72(t)(9)). "rolled_in" where the payment holds
    some, "none" where it holds none, None where the row is not such a payment."""
    codes = {r["code"] for r in row["reasons"]}
    if "PX_457" not in codes:
        return None
    return "rolled_in" if "PX_457_ROLLED_IN" in codes else "none"


def _not_put_back_penalty(row: dict, short: bool) -> str:
    """What the 10% tax does to the part of a 60-day rollover not put back: nothing where an
    exception reaches the whole payment or it is a governmental 457(b)'s own money (IRC
    §72(t)(9)); only on the money rolled in to the 457(b); else before 59½ unless an exception
    applies."""
    whole = _whole_exception(row)
    part = _457_part(row)
    if whole:
        return f" (no 10% tax: {whole})" if short else f", with no 10% tax ({whole})"
    if part == "none":
        return (" (no 10% tax: governmental 457(b))" if short else
                ", with no 10% tax (a governmental 457(b)'s own money is outside §72(t))")
    if part == "rolled_in":
        return (" (10% too before 59½, on the money rolled in from another plan or IRA only)"
                if short else ", with the 10% tax before 59½ on the part of it from money rolled "
                "in from another plan or IRA only, unless an exception applies")
    return " (10% too before 59½)" if short else \
        ", with the 10% tax before 59½ unless an exception applies"


def _within(row: dict) -> str:
    by = sixty_day_deadline(row)
    if _qualified_offset(row):
        return f"by {by}" if by else "by the return's due date with extensions"
    return "within 60 days" + (f" (by {by})" if by else "")


def sixty_day_short(row: dict) -> str:
    """A 60-day rollover in a few words: not taxed only if the whole gross goes back in time,
    the part withheld from other money; what is not put back is taxed, and 10% before 59½
    unless an exception that reaches the whole payment applies (Treas. Reg.
    §1.402(c)-2(a)(1)(ii); IRS Tax Topic 413).  A qualified plan loan offset: the whole offset,
    from other money, by the return's due date with extensions (IRC §402(c)(3)(C))."""
    penalty = _not_put_back_penalty(row, short=True)
    if _qualified_offset(row):
        return (f"not taxed only if ${money_words(row['gross'])} from other money goes into an IRA "
                f"or plan {_within(row)}; any part not put back is taxed" + penalty)
    rolled = rollable(row)
    what = (f"all ${money_words(rolled)}" if not_rollable(row) <= HALF_CENT else
            f"${money_words(rolled)} (not the {_kept_out(row)})")
    return (f"not taxed only if {what} goes back {_within(row)}"
            + f", ${money_words(makeup(row))} of it from other money; any part not put back "
            "is taxed" + penalty)


def sixty_day_why(row: dict) -> str:
    """A 60-day rollover's condition, with its amounts: the whole gross, the withholding made
    up from other money, by the date; the part not rolled over is income and may owe the 10%
    tax (Treas. Reg. §1.402(c)-2(a)(1)(ii)); the withholding is credited on the return (§31)."""
    gross = row["gross"]
    penalty = _not_put_back_penalty(row, short=False)
    if _qualified_offset(row):
        return (f"Not taxed only if the full ${money_words(gross)} offset goes into an IRA or plan "
                f"{_within(row)} (a qualified plan loan offset: the due date of the return, with "
                "extensions), all of it from other money: the plan pays no cash. Any part not put "
                f"back is taxable this year{penalty}. [IRC §402(c)(3)(C); Treas. Reg. §1.402(c)-3]")
    return (_sixty_day_amounts(row) + " Any part "
            f"not put back is taxable this year{penalty}; the amount withheld is credited on your "
            "return. [Treas. Reg. §1.402(c)-2(a)(1)(ii); IRC §31(a)]")


def rollable(row: dict) -> float:
    """What a 60-day rollover can put back: the row's amounts to an IRA or a plan — the gross
    less any part that is not an eligible rollover distribution, such as the year's required
    minimum distribution (IRC §402(c)(4)(B); Treas. Reg. §1.402(c)-2, Q&A-7)."""
    if "to_traditional_ira" not in row:
        return float(row["gross"])
    return float(row["to_traditional_ira"] + row["to_roth_ira"] + row["to_plan"])


def not_rollable(row: dict) -> float:
    """The part of a 60-day rollover's gross that cannot be rolled over (0: none)."""
    return max(0.0, float(row["gross"]) - rollable(row))


def makeup(row: dict) -> float:
    """What a 60-day rollover needs from other money: the withholding on the part rolled over
    (the row's ``makeup_needed``; IRC §402(c)(3), §3405(c))."""
    return float(row.get("makeup_needed", row["withholding"]))


def _kept_out(row: dict) -> str:
    """The part not rolled over, in words: the required minimum distribution where the rules
    said so (RM_NOT_ROLLABLE), else the part that is not an eligible rollover distribution."""
    what = ("required minimum distribution" if any(r["code"] == "RM_NOT_ROLLABLE"
                                                   for r in row["reasons"])
            else "part that is not an eligible rollover distribution")
    return f"${money_words(not_rollable(row))} {what}"


def _sixty_day_amounts(row: dict) -> str:
    """The sentence of what goes back in 60 days and from where: the whole gross, the check and
    the withholding from other money; in an RMD year only the eligible part, since the year's
    required amount cannot be rolled over (IRC §402(c)(4)(B); Treas. Reg. §1.402(c)-2, Q&A-7),
    and from the check only what is left of it once that part is kept."""
    gross, rolled, more = row["gross"], rollable(row), makeup(row)
    check = row["check_received"]
    if check <= HALF_CENT:  # a loan offset: no cash paid
        return (f"Not taxed only if the full ${money_words(gross)} goes into an IRA or plan "
                f"{_within(row)}, all of it from other money: the plan pays no cash.")
    if not_rollable(row) <= HALF_CENT:
        return (f"Not taxed only if the full ${money_words(gross)} goes into an IRA or plan "
                f"{_within(row)}: the ${money_words(check)} check and ${money_words(more)}, the "
                "amount withheld, from other money.")
    from_check = max(0.0, rolled - more)
    return (f"Not taxed only if ${money_words(rolled)} goes into an IRA or plan {_within(row)}: "
            f"all of the ${money_words(gross)} but the {_kept_out(row)}, which cannot be rolled "
            f"over. That is ${money_words(from_check)} of the ${money_words(check)} check and "
            f"${money_words(more)}, the amount withheld from the part rolled over, from other "
            "money.")


def why_additional_tax(row: dict) -> str:
    """One line: why the row's 10% additional tax is what it is."""
    by = {r["code"]: r for r in row["reasons"]}
    if row.get("destination") == "indirect_60day" and row["additional_tax_72t"] <= 0.005 \
            and _whole_exception(row) is None:
        return _sixty_day_additional_tax(row, by)
    if row["additional_tax_72t"] > 0.005:
        extra = [by[c] for c in PARTLY if c in by]
        why = [by["PX_NONE"], *extra] if "PX_NONE" in by else extra
        return f"${money_words(row['additional_tax_72t'])}: " + (_cited(why) or "no exception applies.")
    spared = [by[c] for c in EXCEPTIONS if c in by]
    if spared and row["taxable"] > 0.005:
        return "None: " + _cited(spared)
    if "LN_NOT_TAXED" in by:
        return "None: " + _cited([by["LN_NOT_TAXED"]])
    if "PX_ROLLED" in by and row["taxable"] <= 0.005:
        return "None: " + _cited([by["PX_ROLLED"]])
    if "PX_ROTH_CONVERSION" in by:
        return "None: " + _cited([by["PX_ROTH_CONVERSION"]])
    if "OC_ROTH_CONVERSION" in by:
        return "None: " + _cited([by["OC_ROTH_CONVERSION"]])
    if spared:
        return "None: " + _cited(spared)
    if _taxed_to_no_cent(row):
        return (f"None to the cent: no exception applies, but the 10% tax on the "
                f"${money_words(row['taxable'])} taxable rounds to $0. [IRC §72(t)(1)]")
    return "None: nothing taxable is paid out."


def _sixty_day_additional_tax(row: dict, by: dict) -> str:
    """A 60-day rollover's 10% tax: none if all of it goes back in time; the part not put back
    owes it before 59½ unless an exception applies (Treas. Reg. §1.402(c)-2(a)(1)(ii); IRC
    §72(t)(1)) — from a governmental 457(b), on the money rolled in to it only, and none on its
    own money whatever is put back (IRC §72(t)(9))."""
    part = _457_part(row)
    if part == "none":
        return "None, even on a part not rolled over: " + _cited([by["PX_457"]])
    head = f"None if all ${money_words(rollable(row))} is rolled over {_within(row)}; "
    if part == "rolled_in":
        return (head + "of the part not rolled over, only the money rolled in from another plan or "
                "IRA owes it, before 59½ and unless an exception applies. "
                + _cited([by["PX_457_ROLLED_IN"]]))
    return (head + "the part not rolled over owes it before 59½ unless an exception applies. "
            "[Treas. Reg. §1.402(c)-2(a)(1)(ii); IRC §72(t)(1)]")


def _taxed_to_no_cent(row: dict) -> bool:
    """A taxable amount that no exception, rollover or conversion code spares, whose 10% tax
    is none only to the cent (§72(t)(1): 10% of under five cents rounds to $0.00)."""
    return row["taxable"] > 0.005 and row["additional_tax_72t"] <= 0.005 and not any(
        r["code"].startswith(("PX_", "RI_", "BN_")) or r["code"] == "OC_ROTH_CONVERSION"
        for r in row["reasons"])


def why_taxable(row: dict) -> str:
    """One line: how the row's gross splits into its taxable and tax-free parts, and why."""
    by = {r["code"]: r for r in row["reasons"]}
    gross, taxable, free = row["gross"], row["taxable"], row["nontaxable"]
    if "LN_NOT_TAXED" in by:
        return (f"None of the ${money_words(gross)}: a loan within the limits, not a distribution. "
                "[IRC §72(p)(1), (2)]")
    later = row.get("taxable_later", 0) if "OC_DISASTER_SPREAD" in by else 0
    parts = [f"${money_words(taxable - later)} of ${money_words(gross)} taxable this year" if later > 0.005
             else f"${money_words(taxable)} of ${money_words(gross)} taxable now"]
    if free > 0.005:
        parts.append(f"${money_words(free)} not")
    text = ", ".join(parts) + ". "
    rolled = [by[c] for c in ROLLED if c in by]
    why = [by[c] for c in TAX_FREE if c in by]
    if row["destination"] == "roth_ira" and "OC_ROTH_CONVERSION" in by:
        why = [by["OC_ROTH_CONVERSION"], *why]
    elif rolled:
        why = [rolled[0], *[by[c] for c in ("RM_NOT_ROLLABLE",) if c in by]]
        if roth_part_words(row) and "OC_ROTH_TO_ROTH_IRA" in by:
            text += (f"${money_words(row['to_traditional_ira'])} goes to the traditional IRA, the "
                     f"${money_words(row['to_roth_ira'])} of designated Roth money to a Roth IRA. ")
            why.append(by["OC_ROTH_TO_ROTH_IRA"])
    if later > 0.005:
        text += f"${money_words(later)} more is taxed in the next two years. "
        why.append(by["OC_DISASTER_SPREAD"])
    elif free <= 0.005 and not why:
        return text + ("All of it is pre-tax money, taxed as income. "
                       "[IRC §402(a), §403(b)(1), §457(a)(1); §72]")
    if row.get("destination") == "indirect_60day":
        text += sixty_day_why(row) + " "
    return (text + _cited(why)).strip()


#: A loan in a few words, with what leaving the job owing it does: the plan offsets the balance,
#: a distribution taxable (and under §72(t) before 59½) unless rolled over — a qualified plan
#: loan offset by the return's due date with extensions (IRC §402(c)(3)(C); Treas. Reg.
#: §1.72(p)-1, Q&A-13; §1.402(c)-3).
LOAN_SHORT = ("a loan: not taxed while repaid; leave the job owing it and the unpaid balance is "
              "taxed (10% too before 59½) unless rolled over by your return's due date")
#: The same for a governmental 457(b), whose own money is outside §72(t) (IRC §72(t)(9)).
LOAN_SHORT_457 = LOAN_SHORT.replace(
    "(10% too before 59½)", "(no 10% tax on the 457(b)'s own money, §72(t)(9); 10% too before 59½ "
    "on money rolled in from another plan or IRA)")


def why_in_short(row: dict) -> str:
    """A few words for a table: what spared or set the 10% tax, what is tax-free."""
    codes = [r["code"] for r in row["reasons"]]
    if "LN_NOT_TAXED" in codes:
        return LOAN_SHORT_457 if "LN_457_OFFSET" in codes else LOAN_SHORT
    if row["additional_tax_72t"] > 0.005:
        parts = (["medical"] if "PX_MEDICAL" in codes else []) + [
            EXCEPTION_LABELS[c] for c in PARTLY
            if (c.startswith("RI_") or c in PLAN_EVENTS) and c in codes]
        penalty = ("10% tax on the rest" if parts else "10% tax: no exception") \
            + (" for a plan" if "PX_IRA_ONLY" in codes else "") \
            + "".join(f", {p} part spared" for p in parts)
        if "PX_457_ROLLED_IN" in codes:  # §72(t)(9): only the money rolled in from elsewhere
            penalty = "10% tax on the money rolled in only (a governmental 457(b))"
    elif row["taxable"] <= 0.005 and ("PX_ROLLED" in codes or "OC_OFFSET_ROLLED" in codes):
        return sixty_day_short(row) if row.get("destination") == "indirect_60day" \
            else "rolled over: not taxed now" + roth_part_words(row)
    else:
        spared = [EXCEPTION_LABELS[c] for c in EXCEPTIONS if c in codes]
        penalty = "no 10% tax: " + (", ".join(spared) if spared else
                                    "conversion" if "OC_ROTH_CONVERSION" in codes else
                                    "nothing taxable")
        if _taxed_to_no_cent(row):
            penalty = "10% tax: no exception, rounds to $0"
    free = [TAX_FREE_LABELS[c] for c in TAX_FREE if c in codes]
    if row["nontaxable"] > 0.005 and free:
        part = "tax-free: " + ", ".join(free)
    elif row["taxable"] > 0.005 and row["nontaxable"] <= 0.005:
        part = "all taxable"
    else:
        part = f"${money_words(row['taxable'])} taxable"
    return f"{penalty}; {part}"


def roth_part_words(row: dict) -> str:
    """On a rollover to a traditional IRA, where its designated Roth part goes instead: to a
    Roth IRA, since Roth money may be rolled over only to a Roth IRA or a designated Roth
    account (IRC §402A(c)(3); §402(c)(8)(B)); "" elsewhere."""
    if row.get("destination") != "traditional_ira" or float(row.get("to_roth_ira", 0)) <= HALF_CENT:
        return ""
    return (f"; ${money_words(row['to_traditional_ira'])} to the traditional IRA, the "
            f"${money_words(row['to_roth_ira'])} of designated Roth money to a Roth IRA")


def explain_outcome(row: dict) -> dict:
    """The row's ``why``: a line for its 10% tax, a line for its taxable part, and the two in
    a few words."""
    return {"additional_tax_72t": why_additional_tax(row), "taxable": why_taxable(row),
            "short": why_in_short(row)}


def _note(code: str, field: str, text: str) -> dict:
    return {"code": code, "field": field, "text": text}


def series_rollover_notes(case: Case, outcomes: list[dict]) -> list[dict]:
    """A payment in a series asked to be rolled over where no route can: one of a series for
    life, joint lives or a period of at least the law's years is no eligible rollover
    distribution (IRC §402(c)(4)(A)), so the rollover asked for has no outcome — said, rather
    than an answer with none and no word why."""
    r = case.request
    if r.series == "none" or r.destination in (None, "cash") or any(
            o["destination"] == r.destination for o in outcomes):
        return []
    years = float(np.ravel(default_law().get("annuity.eligible_rollover_series_years",
                                             r.date.year))[0])
    if r.series == "period" and (r.series_years or 0) < years:
        return []
    return [_note("SERIES_NOT_ROLLABLE", "request.destination",
                  f"One payment of a series for life, joint lives or {years:g} years or more is "
                  "not an eligible rollover distribution (IRC §402(c)(4)(A)): it cannot go to "
                  f"{r.destination.replace('_', ' ')}; it is paid in cash (ask for "
                  "destination: cash for its figures).")]


def capped_notes(case: Case, outcomes: list[dict]) -> list[dict]:
    """A gross amount asked for above what a route pays: the route's figures are for less."""
    asked = case.request.amount
    if asked == "max":
        return []
    capped: dict[str, float] = {}
    for o in outcomes:
        if o["gross"] < float(asked) - 0.005:
            capped.setdefault(o["route"], o["gross"])
    return [_note("AMOUNT_CAPPED", "request.amount",
                  f"You asked for ${money_words(float(asked))}; {route.replace('_', ' ')} pays at most "
                  f"${money_words(most)} now, so its figures are for ${money_words(most)}.")
            for route, most in capped.items()]


def need_notes(case: Case, routes: list[dict]) -> list[dict]:
    """A hardship open without ``request.need``: paid as asked, unsized (Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(A), §1.457-6(c)(2)(iii) limit it to the need and its taxes)."""
    if case.request.need is not None or not any(
            r["route"] == "hardship" and r["eligible"] for r in routes):
        return []
    return [_note("HARDSHIP_NEED_NOT_GIVEN", "request.need",
                  "No need given: the hardship's figures are for the amount asked, not limited "
                  "to the need. The law lets a hardship pay only the need plus the taxes it "
                  "will cost; give it as request.need.")]


def seasoning_notes(case: Case, routes: list[dict]) -> list[dict]:
    """Employer money paid in service under the two-year seasoning rule (Treas. Reg.
    §1.401-1(b)(1)(ii); Rev. Rul. 71-295) whose seasoned part the case does not give: the whole
    balance was taken as seasoned."""
    notes = []
    for r in routes:
        if r["route"] != "in_service" or not r["eligible"] or not any(
                x["code"] == "IS_SEASONED_ONLY" for x in r["reasons"]):
            continue
        src = case.account.sources.get(r["source"])
        if src is not None and "seasoned" not in src.model_fields_set:
            field = f"account.sources.{r['source']}.seasoned"
            notes.append(_note(
                "SEASONED_ASSUMED", field,
                "The part contributed at least two years ago not given: all of it taken as "
                "seasoned, so the in-service figures may be for more than the law lets the plan "
                f"pay. Give it as {field}."))
    return notes


def spouse_notes(case: Case, codes: set[str]) -> list[dict]:
    """The spouse's facts the return rests on, where the case leaves them open and a payment
    is taxed (the outcomes' reasons ``codes``): a joint return's spouse without a birth date,
    taken as under 65 (§63(f), §151(d)(5)(C)); a separate filer with Social Security who does
    not say whether the spouses lived apart all year, taken as not (§86(c)(1)(C)(ii)); a plan
    subject to §417 whose participant files single or head of household: the spouse's consent
    is needed if married on the payment date all the same (§417(a)(2); §7703; Treas. Reg.
    §1.401(a)-20, Q&A-27: ``OC_SPOUSAL_CONSENT_IF_MARRIED``)."""
    notes = []
    if "OC_SPOUSE_AGE_NOT_GIVEN" in codes:
        notes.append(_note(
            "SPOUSE_AGE_ASSUMED_UNDER_65", "person.spouse_birth_date",
            "The spouse's birth date not given: on this joint return the spouse is taken as "
            "under 65, with no additional standard deduction (IRC §63(f)) and no senior "
            "deduction (§151(d)(5)(C)) for the spouse. A spouse 65 or older by the end of the "
            "year lowers the tax: give it as person.spouse_birth_date."))
    if "OC_SS_SEPARATE_LIVED_TOGETHER" in codes and \
            "lived_apart" not in case.person.model_fields_set:
        notes.append(_note(
            "LIVED_WITH_SPOUSE_ASSUMED", "person.lived_apart",
            "Married filing separately, and not said whether you lived apart from your spouse "
            "all year: taken as having lived together some time in the year, so the Social "
            "Security base amounts are zero and up to 85% of the benefits is taxed (IRC "
            "§86(c)(1)(C)(ii), (c)(2)(C)). If you lived apart at all times during the year, "
            "set person.lived_apart: true — it may lower the tax."))
    if "OC_SPOUSAL_CONSENT_IF_MARRIED" in codes:
        r = reason("OC_SPOUSAL_CONSENT_IF_MARRIED")
        notes.append({**_note("SPOUSAL_CONSENT_IF_MARRIED", "person.filing_status", r.text),
                      "citation": r.citation})
    if "OC_KIDDIE_TAX_NOT_FIGURED" in codes:
        notes.append(_note(
            "KIDDIE_TAX_NOT_FIGURED", "person.parent",
            "Of an age the kiddie tax reaches (a dependent or not), and the parent's figures "
            "not given: the income tax shown is at your own rates, a lower bound. Unearned "
            "income — an inherited account's payments included — above twice the dependent's "
            "standard deduction amount (IRC §63(c)(5)(A)) is taxed at the parent's rate where "
            "that is more (IRC §1(g), Form 8615). "
            "Give the parent's taxable income and filing status as person.parent (none applies "
            "where neither parent was alive at the end of the year)."))
    return notes


def assumed_notes(case: Case, routes: list[dict], outcomes: list[dict]) -> list[dict]:
    """Figures the case left out that the answer took as zero or as not met: Roth
    contributions and first year, after-tax basis; a hardship's need (Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(A), §1.457-6(c)(2)(iii): without it the request is paid unsized)."""
    codes = {r["code"] for o in outcomes for r in o["reasons"]}
    paid = {r["source"] for r in routes if r["eligible"]}
    notes = need_notes(case, routes) + seasoning_notes(case, routes) + spouse_notes(case, codes)
    for name, src in case.account.sources.items():
        given = src.model_fields_set
        if src.balance <= 0 or name not in paid:
            continue
        field = f"account.sources.{name}"
        if name in ROTH_SOURCES and "OC_ROTH_NONQUALIFIED" in codes:
            if "contributions" not in given:
                notes.append(_note(
                    "ROTH_CONTRIBUTIONS_ASSUMED_ZERO", f"{field}.contributions",
                    "Roth contributions not given: taken as $0, so all of a non-qualified "
                    "payment from this source is taxed as earnings. Give the contributions "
                    f"(the part paid in) as {field}.contributions to tax only the earnings."))
            if src.first_year is None:
                notes.append(_note(
                    "ROTH_FIRST_YEAR_ASSUMED_UNMET", f"{field}.first_year",
                    "The year of the first Roth contribution not given: the five-year period is "
                    f"taken as not met, so a payment is not qualified. Give it as "
                    f"{field}.first_year."))
        if name in AFTER_TAX_SOURCES and "basis" not in given:
            notes.append(_note("BASIS_ASSUMED_ZERO", f"{field}.basis",
                               "After-tax basis not given: taken as $0, so all of a payment from "
                               f"this source is taxed. {basis_to_give(case, f'{field}.basis')}"))
    return notes


def basis_to_give(case: Case, field: str) -> str:
    """What the ``field`` of an after-tax source's basis is: the contributions not yet
    recovered; in an alternate payee's share, the part of the participant's investment in the
    contract that falls to the share — a spouse's or former spouse's by the pro rata allocation
    of §72(m)(10), a child's or dependent's (taxed to the participant) as §72(e)(8) recovers the
    participant's basis, in the ratio of the whole basis to the whole account."""
    ap = case.alternate_payee
    if ap is None:
        return f"Give the contributions not yet recovered as {field}."
    if ap.relationship in ALTERNATE_PAYEE_SPOUSES:
        return ("Give the part of the participant's investment in the contract (after-tax "
                "contributions not yet recovered) allocated to your share pro rata, by the present "
                "value of the share against all the participant's other benefits the order relates "
                f"to (IRC §72(m)(10)), as {field} — not the participant's whole basis; the plan "
                "can tell you.")
    return ("Give the share's part of your after-tax contributions not yet recovered, in the "
            "ratio of your whole basis to your whole account (IRC §72(e)(8)), as "
            f"{field} — not your whole basis; the plan can tell you.")


#: The fields of an assessment's outcome row, and of a comparison's option, that the amount
#: due when filing is figured from: federal income tax, 10% tax, federal withholding; the
#: state's income tax, additional tax and withholding.
ROW_TAX_FIELDS = ("income_tax_increase", "additional_tax_72t", "withholding",
                  "state_income_tax_increase", "state_additional_tax", "state_withholding")
OPTION_TAX_FIELDS = ("income_tax_now", "penalty_now", "withholding",
                     "state_income_tax_now", "state_additional_tax_now", "state_withholding")


def due_when_filing(row: dict, fields: tuple[str, ...] = ROW_TAX_FIELDS) -> tuple[float, float | None]:
    """What the row's taxes leave to pay on the return beyond what was withheld: federal (income
    tax and 10% tax less the federal withholding), and the state's where its tax and withholding
    are figured (None where not).  Withholding is a prepayment credited on the return (IRC
    §31(a)); it is figured on the payment (§3405), not on the tax the payment adds."""
    tax, penalty, withheld, s_tax, s_add, s_withheld = fields
    federal = max(0.0, row[tax] + row[penalty] - row[withheld])
    if not row.get("state_covered") or row.get(s_tax) is None or row.get(s_withheld) is None:
        return federal, None
    return federal, max(0.0, row[s_tax] + (row.get(s_add) or 0.0) - row[s_withheld])


def due_when_filing_line(label: str, row: dict,
                         fields: tuple[str, ...] = ROW_TAX_FIELDS) -> str | None:
    """One line for a row whose taxes exceed what is withheld: how much more is due when filing,
    and how it adds up; None where withholding covers them."""
    tax, penalty, withheld = (row[f] for f in fields[:3])
    federal, state = due_when_filing(row, fields)
    if federal < 0.5 and (state is None or state < 0.5):
        return None
    parts = []
    if federal >= 0.5:
        parts.append(f"${money_words(federal)} federal (income tax ${money_words(tax)}"
                     + (f" + 10% tax ${money_words(penalty)}" if penalty > 0.005 else "")
                     + (f" − ${money_words(withheld)} withheld)" if withheld > 0.005
                        else ", nothing withheld)"))
    if state is not None and state >= 0.5:
        parts.append(f"${money_words(state)} to the state")
    return f"{label}: " + " and ".join(parts)


def due_when_filing_lines(labelled: list[tuple[str, dict]],
                          fields: tuple[str, ...] = ROW_TAX_FIELDS) -> list[str]:
    """The lines saying what is still due when filing, the explanation first; none where
    withholding covers every row's taxes."""
    lines = [line for label, row in labelled
             for line in [due_when_filing_line(label, row, fields)] if line]
    if not lines:
        return []
    return [DUE_WHEN_FILING_HEAD, *lines]


DUE_WHEN_FILING_HEAD = ("Still to pay when you file the return: withholding is only a prepayment, "
                        "credited on the return (IRC §31(a)), figured on the payment, not on the "
                        "tax it adds, 10% tax included (IRC §3405):")
