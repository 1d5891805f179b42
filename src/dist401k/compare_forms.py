"""The forms each option of `dist401k compare` brings, in the words and cells every door shows
(the report's tables, the terminal's, the web page's: one source of the words).

An option's Forms 1099-R, their box 7 codes and its taxable and tax-free parts are the option's
own where it carries them: those of the payment it makes, at the gross it is priced at (with a
need, the gross that delivers it: box 1 that gross, box 4 what is withheld from it, Instructions
for Forms 1099-R and 5498), or, for a combined option of several payments, one form per payment
(each payment is a distribution of its own); else the assessed outcome's behind it (a loan); its
Form 5329 Part I (Instructions for Form 5329, Part I), Form 8606 and Form 8606 Part III
likewise.  A loan that goes bad is no option, but its Form 5329 is listed after the options'
(docs/forms.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from dist401k.compare import NOT_CHOSEN
from dist401k.labels import route_label
from dist401k.money import dollars_text

if TYPE_CHECKING:
    from dist401k.case import Case
    from dist401k.law.loader import Law

#: The boxes of Form 1099-R shown, with their captions on the form (the web page's app.js
#: FORM_BOXES holds the same captions: tests/compare/test_compare_forms_doors.py).
FORM_BOXES = (("box_1", "1 gross"), ("box_2a", "2a taxable"), ("box_4", "4 withheld"),
              ("box_5", "5 contributions"), ("box_7", "7 code"),
              ("box_9b", "9b total employee contributions"), ("box_11", "11 first Roth year"),
              ("box_14", "14 state tax withheld"), ("box_16", "16 state distribution"))

#: Form 5329 Part I's lines as shown.
FORM_5329_LINES = (("line_1", "1 early distributions"), ("line_2", "2 not subject"),
                   ("line_2_exception", "exception no."), ("line_3", "3 subject"),
                   ("line_4", "4 additional tax"))

#: Form 8606's lines shown: the year-end value, the ratio, the conversion's parts.
FORM_8606_LINES = (("line_5", "5 basis"), ("line_6", "6 year-end IRAs"), ("line_8", "8 converted"),
                   ("line_10", "10 ratio"), ("line_17", "17 nontaxable"),
                   ("line_18", "18 taxable"), ("line_14", "14 basis carried"))

#: Form 8606 Part III's lines (Roth IRA distributions), as shown.
PART_III_LINES = (("line_19", "19 nonqualified"), ("line_20", "20 first home"),
                  ("line_21", "21"), ("line_22", "22 contributions basis"), ("line_23", "23"),
                  ("line_24", "24 conversions basis"), ("line_25a", "25a"),
                  ("line_25b", "25b disaster"), ("line_25c", "25c taxable"))

#: The tables' titles and the words under them.  A Form 1099-R comes from the payer: the plan's
#: from the plan, an IRA's from the IRA's custodian (Instructions for Forms 1099-R and 5498:
#: the IRA's trustee or issuer files the form for a distribution from it).
FORMS_1099R_TITLE = "The Forms 1099-R the plan will send (or, for money from an IRA, the IRA custodian)"
FORMS_1099R_NOTE = ("One form for each part the IRS keeps apart: designated Roth money and a "
                    "direct rollover on forms of their own (Instructions for Forms 1099-R and 5498).")
FORM_5329_TITLE = "Form 5329, Part I (early distributions)"
FORM_5329_NOTE = ("Line 2's number from the Instructions for Form 5329 (99: more than one "
                  "exception); line 4 goes on Schedule 2 (Form 1040), line 8.")
FORM_8606_TITLE = "Form 8606 (the backdoor Roth's conversion)"
FORM_8606_NOTE = "All traditional IRAs at December 31 count (IRC §408(d)(2)); line 10 to three places."
PART_III_TITLE = "Form 8606, Part III (Roth IRA distributions)"
PART_III_NOTE = ("Regular contributions first, then conversions and rollovers oldest first, then "
                 "earnings (IRC §408A(d)(4)(B); Treas. Reg. §1.408A-6, Q&A-8); a qualified "
                 "distribution is not entered.")
#: Whether Form 5329 must be filed (Instructions for Form 5329, "Who Must File").
FILE_5329 = {True: "file Form 5329", False: "no form: box 7's code says it all"}


def outcome_of(cmp: dict, option: dict) -> dict | None:
    """The assessed outcome (taxable part, 1099-R codes) behind an option, if it pays out by
    a route and destination (leaving the money, or a product, has none)."""
    for o in cmp["assessment"]["outcomes"]:
        if option["option"] == f"{o['route']}:{o['destination']}":
            return o
    return None


def forms_of(cmp: dict, option: dict) -> dict | None:
    """Where an option's Forms 1099-R, their codes and its taxable and tax-free parts are: the
    option itself where it carries them (those of the payment it makes, at its own gross:
    :func:`dist401k.compare.with_own_forms`; a combined option's, one form per payment), else
    the assessed outcome behind it (:func:`outcome_of`)."""
    return option if "form_1099r" in option else outcome_of(cmp, option)


#: The routes that pay a 72(t) series from the plan, in the order its payment is read from an
#: assessment: after a separation from service (IRC §72(t)(3)(B)), a disability's, an
#: employee's still at work (dist401k.annuity.SERIES_ROUTES).
SERIES_PAID_BY = ("separation", "disability", "in_service")


#: The request's fields that its series payment does not keep: it is asked for by its amount,
#: for no purpose or need, on the series' own starting date (with the other ``series_*``).
SERIES_ASKED_ANEW = ("net_amount", "need", "purpose", "annuity_start_date")


def series_request(case: Case, pay: float) -> Case | None:
    """``case`` asking for the first year's payment ``pay`` of its 72(t) series from the plan as
    one payment of a series for the employee's life, or joint lives on the joint table
    (``request.series``: IRC §72(t)(2)(A)(iv)), a year's payments at once, in cash; None where
    the series is from the IRAs (no route of ``assess`` pays from them) or the request cannot be
    one of a series (its checks: docs/assess.md, Payments in a series)."""
    s, r = case.sepp, case.request
    if s is None or s.account != "plan":
        return None
    joint = s.table == "joint"
    given = {k: v for k, v in r.model_dump(exclude_unset=True).items()  # what was given stays so
             if k not in SERIES_ASKED_ANEW and not k.startswith("series")}
    asked = given | {"amount": pay, "destination": "cash", "series": "joint_life" if joint else "life",
                     "series_payments_per_year": 1, "annuity_start_date": min(s.first_payment_date, r.date)}
    if joint:
        asked["series_beneficiary_birth_date"] = s.beneficiary_birth_date
    try:
        return type(case).model_validate(case.model_dump(exclude_unset=True, exclude={"sepp"})
                                         | {"request": asked})
    except ValidationError:
        return None


def series_outcome(assessed: dict) -> dict | None:
    """The cash outcome of a series payment's assessment, by the first route of
    :data:`SERIES_PAID_BY` that pays it."""
    paid = {o["route"]: o for o in assessed["outcomes"] if o["destination"] == "cash"}
    return next((paid[r] for r in SERIES_PAID_BY if r in paid), None)


def with_series_forms(case: Case, law: Law, options: list[dict]) -> list[dict]:
    """The 72(t) series options (``sepp:*``) with the forms ``assess`` gives for the same
    payment as a series request (:func:`series_request`; all of them assessed as one batch):
    Form 1099-R box 7 code 2, an exception the payer knows, box 1 the year's payment, 2a its
    taxable part (Instructions for Forms 1099-R and 5498, Guide to Distribution Codes); Form
    5329 Part I line 1 that taxable part, line 2 the same with exception 02, not required where
    code 2 says it all (Instructions for Form 5329, line 2 and "Who Must File").  Changed in
    place; an option whose payment ``assess`` cannot take keeps no forms."""
    from dist401k.assess import assess_cases
    from dist401k.compare import with_own_forms

    series = [(o, series_request(case, o["gross"])) for o in options if o["option"].startswith("sepp:")]
    asked = [(o, c) for o, c in series if c is not None]
    if not asked:
        return options
    for (option, _), assessed in zip(asked, assess_cases([c for _, c in asked], law), strict=True):
        if (paid := series_outcome(assessed)) is not None:
            with_own_forms(option, paid)
    return options


def form_label(option: dict, form: dict) -> str:
    """The option a Form 1099-R belongs to, with the payment's route where the option makes
    several payments (each on forms of its own)."""
    return option["label"] + (f" — {route_label(form['route'])}" if "route" in form else "")


def box_text(form: dict, key: str) -> str:
    """A box of Form 1099-R as shown: "—" where the form leaves it blank, "not figured" where
    it is blank for want of facts (named in the form's ``not_figured``: unknown, not zero,
    docs/forms.md); box 7 with "(IRA/SEP/SIMPLE)" where that box is checked."""
    v = form.get(key)  # box 14 appears only with a state
    if v is None:
        named = key.replace("_", " ") + ":"  # "box 4:", as the not_figured texts begin
        return "not figured" if any(t.startswith(named) for t in form.get("not_figured") or ()) \
            else "—"
    if key in ("box_7", "box_11"):
        return str(v) + (" (IRA/SEP/SIMPLE)" if key == "box_7" and form["box_7_ira_sep_simple"]
                         else "")
    return dollars_text(v)


def box_2b_text(form: dict) -> str:
    """Box 2b's checks in words."""
    return "; ".join(t for t, on in (("taxable amount not determined", form["box_2b_not_determined"]),
                                     ("total distribution", form["box_2b_total_distribution"]))
                     if on)


def form_1099r_rows(cmp: dict) -> list[list[str]]:
    """Each Form 1099-R of each option that pays, one row a form: its option (with the payment's
    route where the option makes several payments), the boxes of :data:`FORM_BOXES`, and box
    2b's checks."""
    rows = []
    for option in cmp["options"]:
        for f in (forms_of(cmp, option) or {}).get("form_1099r", []):
            rows.append([form_label(option, f), *(box_text(f, k) for k, _ in FORM_BOXES),
                         box_2b_text(f)])
    return rows


def box_6_lines(cmp: dict) -> list[str]:
    """A line under the Forms 1099-R for each form that reports employer securities paid in
    kind with net unrealized appreciation (box 6; the NUA option, :mod:`dist401k.compare_nua`),
    a box the table does not show: the NUA, which is not taxed now and is long-term gain when the
    shares are sold; the shares' basis is box 2a (Instructions for Forms 1099-R and 5498, box 6;
    IRC §402(e)(4)(B); Notice 98-24)."""
    return [f"{form_label(option, f)}: box 6 net unrealized appreciation "
            f"${dollars_text(f['box_6'])}, not taxed now; taxed as long-term gain when the shares "
            f"are sold, their basis the ${dollars_text(f['box_2a'] or 0.0)} of box 2a "
            "(IRC §402(e)(4)(B); Notice 98-24)."
            for option in cmp["options"] for f in (forms_of(cmp, option) or {}).get("form_1099r", [])
            if f.get("box_6")]


def loan_failure_what(o: dict) -> str:
    """What becomes of a loan that goes bad: kept (taxed) or rolled over."""
    return "kept (taxed)" if o["destination"] == "cash" else "rolled over from other money"


def loan_failure_label(o: dict) -> str:
    """A loan that goes bad, as it is named (not an option: it happens)."""
    return f"{route_label(o['route'])}, {loan_failure_what(o)}"


#: The table of a loan that goes bad (not an option: it happens), as the report and the terminal
#: show it beside the options' forms, so that its Form 5329 row has its explanation in each door.
LOAN_FAILURE_TITLE = "The loan that goes bad"
LOAN_FAILURE_HEADINGS = ("what", "", "amount", "taxable", "income tax", "10% tax", "1099-R box 7",
                         "deadline")
LOAN_FAILURE_NOTE = ("No cash is paid and nothing is withheld; the taxes come from other money "
                     "(IRC §72(p)(1), §402(c)(3)(C), §3405(e)(8)).")


def loan_failure_rows(cmp: dict) -> list[list[str]]:
    """Each loan that goes bad (a deemed distribution, a loan offset: docs/forms.md), in the
    cells of :data:`LOAN_FAILURE_HEADINGS`: the route, what becomes of it, its amount, taxable
    part, income tax and 10% tax, its Form 1099-R box 7 codes and its deadlines."""
    return [[route_label(o["route"]), loan_failure_what(o), dollars_text(o["gross"]),
             dollars_text(o["taxable"]), dollars_text(o["income_tax_increase"]),
             dollars_text(o["additional_tax_72t"]), " ".join(o["form_1099r_codes"]),
             "; ".join(f"{d['what']}: {d['date']}" for d in o["deadlines"])]
            for o in cmp["assessment"]["outcomes"] if o["route"] in NOT_CHOSEN]


def form_5329_of(cmp: dict) -> list[tuple[str, dict | None]]:
    """Form 5329 Part I of each option, then of each loan that goes bad, by its label."""
    out = [(option["label"], option.get("form_5329",
                                        (outcome_of(cmp, option) or {}).get("form_5329")))
           for option in cmp["options"]]
    return out + [(loan_failure_label(o), o.get("form_5329"))
                  for o in cmp["assessment"]["outcomes"] if o["route"] in NOT_CHOSEN]


def exception_cell(form: dict) -> str:
    """Line 2's number ("—" where none); on a Part I summed over several payments that claim
    different exceptions (99, "more than one"), each payment's number after it, by its route."""
    number = str(form["line_2_exception"] or "—")
    parts = [p for p in form.get("line_2_parts") or () if p["line_2_exception"]]
    if len(parts) < 2:
        return number
    return number + " (" + ", ".join(f"{route_label(p['route'])} {p['line_2_exception']}"
                                     for p in parts) + ")"


def form_5329_rows(cmp: dict) -> list[list[str]]:
    """Form 5329 Part I of each option that pays before 59½, and of a loan that goes bad: its
    label, the lines of :data:`FORM_5329_LINES`, and whether the form must be filed."""
    return [[label, *(exception_cell(f) if k == "line_2_exception" else dollars_text(f[k])
                      for k, _ in FORM_5329_LINES), FILE_5329[bool(f["required"])]]
            for label, f in form_5329_of(cmp) if f]


def lines_rows(cmp: dict, key: str, lines) -> list[list[str]]:
    """A form's lines (``key`` of each option, or of the outcome behind it), one row per
    option that has them; a ratio (line 10) to three places, amounts in dollars."""
    rows = []
    for option in cmp["options"]:
        f = option.get(key, (outcome_of(cmp, option) or {}).get(key))
        if f:
            rows.append([option["label"], *(f"{f[k]:.3f}" if k == "line_10" else dollars_text(f[k])
                                            for k, _ in lines)])
    return rows
