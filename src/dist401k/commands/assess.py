"""`dist401k assess CASE`: every way out of the plan now, and what the request would cost."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from dist401k.assess import assess_cases
from dist401k.case import Case
from dist401k.commands._load import load_case_or_exit
from dist401k.commands._output import (
    checked_format,
    csv_cells,
    format_option,
    print_csv,
    print_json,
    print_projection,
    print_table,
    print_whys,
    terminal,
    why_in_table,
    year_head,
)
from dist401k.labels import ROUTE_LABELS
from dist401k.money import HALF_CENT, dollars_text
from dist401k.outcome_why import due_when_filing_lines
from dist401k.routes.beneficiary import ANNUAL_METHODS
from dist401k.routes.qdro import QDRO_ROUTES
from dist401k.state_outcome import state_tax_shown, state_withheld_shown
from dist401k.withholding import UNKNOWN_WORDS, with_unknown_withholding


def assess_command(
    case: list[Path] = typer.Argument(..., help="Case file(s), YAML or JSON (see `dist401k schema`)."),
    format: str = format_option(),
) -> None:
    """Every route out of the plan by money source, with the rule for each yes and no, and the
    outcome of the request by each open route and destination.  CSV: one row per outcome
    (route and destination) of each case."""
    checked_format(format)
    cases = load_all_or_exit(case)
    # A withholding not figured is shown null (unknown), never $0 (dist401k.withholding).
    results = [with_unknown_withholding(r) for r in assess_cases(cases)]
    if format == "json":
        print_json(results if len(results) > 1 else results[0])
    elif format == "csv":
        print_csv([{"case": r["case_id"] or path.name, **csv_cells(o)}
                   for path, r in zip(case, results, strict=True) for o in r["outcomes"]])
    else:
        console = terminal()
        for path, c, r in zip(case, cases, results, strict=True):
            show(console, path, r, c)


def load_all_or_exit(paths: list[Path]) -> list[Case]:
    """Every case file, or none: each bad file's problems on stderr (:func:`load_case_or_exit`'s
    lines, the file named), then, where several files were given, one line saying how many
    could not be read and that nothing was answered, and exit status 2 (docs/assess.md:
    several files are answered together or not at all; `dist401k batch` answers row by row)."""
    cases, bad = [], 0
    for path in paths:
        try:
            cases.append(load_case_or_exit(path))
        except typer.Exit:
            bad += 1
    if bad:
        if len(paths) > 1:
            Console(stderr=True).print(
                f"{bad} of {len(paths)} case files cannot be read: none is answered "
                "(fix them, or assess the good ones alone)", markup=False, highlight=False,
                soft_wrap=True)
        raise typer.Exit(2)
    return cases


def _why(reasons, limit=2) -> str:
    return "; ".join(f"{x['text']} [{x['citation']}]" for x in reasons[:limit])


def _distinct_reasons(rows: list[dict]) -> list[dict]:
    """The reasons of a route's rows (and of its summary, where it has its own: the Roth
    IRA's), each code once, in the order the rows give them."""
    first: dict[str, dict] = {}
    for row in rows:
        for x in row.get("reasons", ()):
            first.setdefault(x["code"], x)
    return list(first.values())


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _route_terms(s: dict) -> str:
    """What a route's summary adds after its reasons: a loan's terms, the RMD, an heir's
    minimum this year, the routes a hardship waits for and what they pay."""
    if s["route"] == "loan" and s["eligible"]:
        # The payment is that of the loan asked for (the JSON's principal), not the maximum's.
        asked = s.get("principal")
        on = (f"; on the ${dollars_text(asked)} asked, " if asked is not None
              and asked < s["maximum"] - HALF_CENT else ": ")
        return (f" Up to ${dollars_text(s['maximum'])}{on}{s['payments_per_year']} payments a year of "
                f"${s['payment']:,.2f} for {s['term_years']} years.")
    if s["route"] == "rmd" and s.get("rmd"):
        return (f" RMD ${s['rmd']:,.2f} (period {s['divisor']}), by {s['deadline']}"
                + (f"; last year's ${s['last_year_rmd']:,.2f} (the first) by "
                   f"{s['last_year_deadline']}." if s.get("last_year_deadline") else "."))
    if s["route"] == "beneficiary":
        return f" Minimum this year ${s['remaining']:,.2f}" + (
            f", by {s['deadline']}." if s["deadline"] else ".")
    if s["route"] == "roth_ira":
        return (f" Contributions ${dollars_text(s['contributions_basis'])} (out first, tax-free), "
                f"conversions ${dollars_text(s['conversions_basis'])}.")
    if s["route"] == "hardship" and s.get("first"):
        left = s["need_left"]
        return (" First: " + ", ".join(f"{_lower(ROUTE_LABELS[f['route']])} ${dollars_text(f['pays'])}"
                                       for f in s["first"])
                + (f"; need left ${dollars_text(left)}." if left is not None and s["eligible"] else "."))
    return ""


#: The reasons that state a hardship's need cap (Treas. Reg. §1.401(k)-1(d)(3)(iii)(A); a
#: 457(b)'s §1.457-6(c)(2)(iii)): the by-source table cites theirs.
NEED_CAP_REASONS = ("HS_AMOUNT_NEED", "HS_457_AMOUNT_NEED")


def _available_cell(s: dict) -> str:
    """A route's "available" in the table: what it can pay now. A hardship with a need pays
    the need left plus the tax on it (Treas. Reg. §1.401(k)-1(d)(3)(iii)(A)), not all the money
    it may draw on (the JSON's ``available``): where the need is less, the table shows it."""
    if not s["eligible"]:
        return "—"
    need = s.get("need_left") if s["route"] == "hardship" else None
    if need is not None and need < s["available"] - HALF_CENT:
        return f"{dollars_text(need)} + tax"
    return dollars_text(s['available'])


def _cap_words(s: dict, rows: list[dict]) -> str | None:
    """What caps a route's total below the money it may draw on from its sources (``rows``),
    in words: the need and its tax (a hardship, with the rule's citation), or the route's own
    limit (the loan maximum, a SECURE 2.0 cap); None where nothing does."""
    drawn = sum(row["available"] for row in rows)
    need = s.get("need_left") if s["route"] == "hardship" else None
    if need is not None and need < drawn - HALF_CENT:
        cite = next((x["citation"] for row in rows for x in row.get("reasons", ())
                     if x["code"] in NEED_CAP_REASONS), None)
        return (f"{s['route']} the need left, ${dollars_text(need)}, plus the tax on it"
                + (f" [{cite}]" if cite else ""))
    if s["available"] < drawn - HALF_CENT:
        return f"{s['route']} ${dollars_text(s['available'])}"
    return None


def show_by_source(console: Console, routes: list[dict], summaries: Sequence[dict] = ()) -> None:
    """The money each open route may draw on in each money source (nothing when none is open),
    and under it what caps a route's total below that (``summaries``: the routes' own)."""
    d = Table(title="By money source", title_justify="left", box=box.SIMPLE_HEAD)
    d.add_column("route")
    d.add_column("source")
    d.add_column("may draw on", justify="right")
    by_route: dict[str, list[dict]] = {}
    for row in routes:
        if row["eligible"]:
            d.add_row(row["route"], row["source"], dollars_text(row['available']))
            by_route.setdefault(row["route"], []).append(row)
    if not d.row_count:
        return
    print_table(console, d)
    caps = [w for s in summaries if s["route"] in by_route
            for w in [_cap_words(s, by_route[s["route"]])] if w]
    if caps:
        console.print("may draw on: the source's money the route may pay from; in all, at most: "
                      + "; ".join(caps), markup=False, highlight=False)


#: The routes of a payee who is not the participant, and how that payee takes money instead.
NOT_PARTICIPANT = {
    "beneficiary": "a beneficiary takes money as a distribution on death. [IRC §401(a)(9)(B)]",
    **dict.fromkeys(QDRO_ROUTES, "an alternate payee is paid the share a qualified domestic "
                    "relations order assigns. [IRC §414(p)(1)(A), (8)]")}


def _label(row: dict) -> str:
    return f"{row['route']} → {row['destination']}".replace("_", " ")


def need_lines(case: Case, r: dict) -> list[str]:
    """With a need given (request.need), each payment in cash that leaves less than it in hand
    (the check, and what is kept after all tax): what it leaves, and the gross that would put
    the need in hand — found as compare finds it (dist401k.compare.rows_for_need) — or the most
    the route pays now and what that leaves."""
    need = case.request.need
    if not need:
        return []
    short = [o for o in r["outcomes"] if o["destination"] == "cash"
             and min(o["check_received"], o["kept_after_all_tax"]) < need - HALF_CENT]
    if not short:
        return []
    from dist401k.compare import later_tax, rows_for_need  # the need's gross, as compare finds it
    from dist401k.law import default_law

    at_need = rows_for_need(case, default_law(), short, need)
    lines = []
    for o in short:
        head = (f"{_label(o)}: ${dollars_text(o['gross'])} leaves ${dollars_text(o['kept_after_all_tax'])} "
                f"after all tax, less than your ${dollars_text(need)} need; ")
        row = at_need.get(o["route"])
        kept = min(row["check_received"], row["kept_after_all_tax"] - later_tax(row)) if row else 0.0
        if row and kept >= need - HALF_CENT:
            lines.append(head + f"ask for ${row['gross']:,.2f} gross to keep it.")
        elif row and row["gross"] > o["gross"] + HALF_CENT:
            lines.append(head + f"it pays at most ${dollars_text(row['gross'])} now, which leaves "
                         f"${dollars_text(row['kept_after_all_tax'])}.")
        else:
            lines.append(head + "it pays no more now.")
    return lines


def _counted_before_tax(s: dict, outcomes: list[dict], need: float | None) -> str:
    """A hardship closed because the routes it waits for pay the need: the ordering rule counts
    what they pay before tax (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1): every other distribution
    the plan pays first), while a hardship's own size adds the taxes on the hardship itself
    ((iii)(A)); said with what each leaves after all tax where that is short of the need."""
    if s["route"] != "hardship" or s["eligible"] or not s.get("first") or not need:
        return ""
    kept = {o["route"]: o for o in outcomes if o["destination"] == "cash"}
    left = [(f, kept[f["route"]]) for f in s["first"] if f["route"] in kept
            and abs(kept[f["route"]]["gross"] - f["pays"]) < HALF_CENT]
    after = sum(o["kept_after_all_tax"] for _, o in left)
    if len(left) < len(s["first"]) or after >= need - HALF_CENT:
        return ""
    each = ", ".join(f"{_lower(ROUTE_LABELS[f['route']])} ${dollars_text(f['pays'])} leaves "
                     f"${dollars_text(o['kept_after_all_tax'])}" for f, o in left)
    return (f" Counted before tax: they pay ${dollars_text(s['paid_first'])} against your "
            f"${dollars_text(need)} need; after all tax, {each} (each figured alone). The rule "
            "makes you take them first; it adds taxes to the need only for the hardship itself "
            "[Treas. Reg. §1.401(k)-1(d)(3)(iii)(A), (B)(1)], so it does not say a hardship may "
            "make up the tax on them: ask the plan.")


def show(console: Console, path: Path, r: dict, case: Case | None = None) -> None:
    head = f"{r['case_id'] or path.name} — request of {r['request_date']} ({year_head(r)})"
    console.print(f"[bold]{head}[/]")
    print_projection(console, r)
    console.print(f"59½ on {r['age_59_half_on']}"
                  f" ({'reached' if r['reached_59_half'] else 'not yet reached'})")
    t = Table(title="Ways out now", title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    t.add_column("route")
    t.add_column("open", justify="center")
    t.add_column("available", justify="right")
    t.add_column("why (rule)", overflow="fold")
    by_route: dict[str, list] = {}
    for row in r["routes"]:
        by_route.setdefault(row["route"], []).append(row)
    own = next((s["route"] for s in r["route_summary"] if s["route"] in NOT_PARTICIPANT), None)
    if own:
        t.add_row("The participant's ways out", "no", "—", "In-service, hardship, loan, SECURE "
                  "2.0, separation, RMD and disability routes are the participant's; "
                  + NOT_PARTICIPANT[own])
    for s in r["route_summary"]:
        if own and s["route"] != own and not s["eligible"]:
            continue
        reasons = _distinct_reasons(sorted(by_route.get(s["route"], []),
                                           key=lambda x: not x["eligible"]) + [s])
        t.add_row(ROUTE_LABELS[s["route"]], "yes" if s["eligible"] else "no",
                  _available_cell(s),
                  (_why(reasons) + _route_terms(s) + _counted_before_tax(
                      s, r["outcomes"], case.request.need if case else None)).strip())
    print_table(console, t)
    ben = next((s for s in r["route_summary"] if s["route"] == "beneficiary"), None)
    if ben is not None:
        show_beneficiary(console, ben, _distinct_reasons(by_route.get("beneficiary", [])))
    show_by_source(console, r["routes"], r["route_summary"])
    show_outcomes(console, r["outcomes"], r)
    needs = need_lines(case, r) if case is not None else []
    # Where the withholding is not figured, what is due when filing is not known either.
    known = [(_label(o), o) for o in r["outcomes"] if o["withholding"] is not None]
    for line in [*due_when_filing_lines(known), *needs]:
        console.print(line, markup=False, highlight=False)
    show_return_lines(console, r["outcomes"])
    show_notes(console, r.get("notes", []))
    console.print(f"law version {r['law_version']}; --format json gives every field, reason "
                  "and citation\n")


# The cost table's columns: heading, JSON field, justification.
OUTCOME_COLUMNS: tuple[tuple[str, str, JustifyMethod], ...] = (
    ("route", "route", "left"), ("destination", "destination", "left"),
    ("gross", "gross", "right"), ("taxable", "taxable", "right"),
    ("withheld", "withholding", "right"),
    ("income\ntax", "income_tax_increase", "right"),
    ("10%\ntax", "additional_tax_72t", "right"),
    ("check\nreceived", "check_received", "right"),
    ("kept after\nall tax", "kept_after_all_tax", "right"))


def _amount_cell(x: float | None) -> str:
    """A figure of the cost table in whole dollars; "unknown" where it is not figured (null)."""
    return "unknown" if x is None else dollars_text(x)


#: What a negative "kept after all tax" is (a Roth IRA conversion's tax, paid from other money).
NEGATIVE_KEPT = " A negative figure is tax you pay from other money: nothing comes to you."


def show_outcomes(console: Console, outcomes: list[dict], r: dict | None = None) -> None:
    """The cost of the request by route and destination, each row with why its 10% tax and
    its taxable part are what they are; none: why (:func:`no_outcome_lines`)."""
    if not outcomes:
        for line in no_outcome_lines(r or {}):
            console.print(line, markup=False, highlight=False)
        return
    inline = why_in_table(console)
    routes = {r["route"] for r in outcomes}
    # Narrow: one route goes in the title, its column would squeeze the figures.
    columns = OUTCOME_COLUMNS[1:] if not inline and len(routes) == 1 else OUTCOME_COLUMNS
    title = "What the request would cost (dollars)"
    if columns is not OUTCOME_COLUMNS:
        title = f"What the request would cost by {routes.pop().replace('_', ' ')} (dollars)"
    o = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
              collapse_padding=True)
    for heading, _, justify in columns:
        o.add_column(heading, justify=justify, no_wrap=justify == "right", overflow="fold")
    with_state = any("state_covered" in row for row in outcomes)
    if with_state:  # only when the case gives a state
        o.add_column("state\ntax", justify="right", no_wrap=True)
        o.add_column("state\nwithheld", justify="right", no_wrap=True)
    o.add_column("1099-R", no_wrap=True)
    if inline:
        o.add_column("why (10% tax; taxable part)", overflow="fold")
    for row in outcomes:
        cells = [row[f].replace("_", " ") if j == "left" else _amount_cell(row[f])
                 for _, f, j in columns]
        if with_state:
            cells += [state_tax_shown(row), state_withheld_shown(row)]
        o.add_row(*cells, ",".join(row["form_1099r_codes"]),
                  *([row["why"]["short"]] if inline else []))
    print_table(console, o)
    if not inline:
        print_whys(console, [(f"{r['route']} → {r['destination']}".replace("_", " "),
                              r["why"]["short"])
                             for r in outcomes])
    console.print("check received: the payment after withholding; kept after all tax: what "
                  "is left once the year's income tax and 10% tax are settled"
                  + (" (the state's too, where covered)." if with_state else
                     "; no state given (person.state): no state income tax figured.")
                  + (NEGATIVE_KEPT if any(r["kept_after_all_tax"] < -HALF_CENT for r in outcomes)
                     else ""))
    if any(r["withholding"] is None for r in outcomes):
        console.print(UNKNOWN_WORDS, highlight=False)
    print_state_unconfirmed(console, outcomes, r)
    if any(r["route"] == "qdro_dependent" for r in outcomes):
        console.print("qdro dependent: the child (or dependent) receives the check; the tax, the "
                      "withholding credit and any balance due are the participant's (Pub. 504; "
                      "Form 1099-R in the participant's name) — kept after all tax mixes the two.",
                      highlight=False)


#: The reason a state's tax carries where a figure of its law for the year is unconfirmed.
STATE_UNCONFIRMED = "STATE_FIGURES_UNCONFIRMED"


def print_state_unconfirmed(console: Console, outcomes: list[dict], r: dict | None) -> None:
    """Under the cost table that shows a state's tax: its note where that state's figures for
    the year are flagged unconfirmed (:func:`unconfirmed_state_note`)."""
    if r and any("state_covered" in o for o in outcomes) and (
            note := unconfirmed_state_note(r.get("state"), r["tax_year"])):
        console.print(note, markup=False, highlight=False)


def unconfirmed_state_note(state: str | None, year: int) -> str | None:
    """The note under a table that shows a state's tax for ``year``, where a figure of that
    state's law is flagged unconfirmed — the units then carry ``STATE_FIGURES_UNCONFIRMED``
    (docs/state.md, "Years"): the state and year, and each figure's own ``unconfirmed`` text
    from its law file, which says what was used in its place
    (:func:`dist401k.tax.state.engine.unconfirmed_why`; a state's withholding files, which do
    not touch its tax, left out as the engine leaves them).  None where none is flagged."""
    if not state:
        return None
    from dist401k.law import default_law
    from dist401k.tax.state.engine import unconfirmed_why

    law, prefix = default_law(), f"state.{state.lower()}."
    by_why: dict[str, list[str]] = {}
    for name in sorted(law.params):
        why = (unconfirmed_why(law, name, year) if name.startswith(prefix)
               and ".withholding_" not in name else None)
        if why:
            by_why.setdefault(why.strip(), []).append(law.param(name).label)
    if not by_why:
        return None
    return (f"State figures unconfirmed for {state} {year} ({STATE_UNCONFIRMED}): "
            + " ".join(f"{'; '.join(labels)}: {why}{'' if why.endswith('.') else '.'}"
                       for why, labels in by_why.items()))


def no_outcome_lines(r: dict) -> list[str]:
    """Why the request has no outcome: no route open; or routes open that cannot pay it to the
    destination asked for, with the reasons they give for it (those that name
    ``request.destination``)."""
    open_ = [s["route"] for s in r.get("route_summary", []) if s["eligible"]]
    if not open_:
        return ["No route is open for this request."]
    names = ", ".join(name.replace("_", " ") for name in open_)
    lines = [f"No outcome for this request: the open route{'s' if len(open_) > 1 else ''} "
             f"({names}) cannot pay it to the destination asked for."]
    seen: set[str] = set()
    for row in r.get("routes", []):
        for reason in row.get("reasons", []):
            if row["route"] in open_ and "request.destination" in reason["text"] \
                    and reason["code"] not in seen:
                seen.add(reason["code"])
                lines.append(f"  • {reason['text']} [{reason['citation']}]")
    return lines


def show_return_lines(console: Console, outcomes: list[dict]) -> None:
    """The lines of the participant's own return each outcome asks for: Form 5329 Part I
    (early distributions: line 1, the part excepted on line 2 with its exception number, the
    10% tax on line 4, and whether the form must be filed) and Form 8606 (the taxable
    conversion of a backdoor Roth on line 18; a Roth IRA distribution's taxable part on line
    25c).  Nothing is printed where no outcome has either form."""
    rows = [r for r in outcomes if r.get("form_5329") or r.get("form_8606")
            or r.get("form_8606_part_iii")]
    if not rows:
        return
    t = Table(title="Your return: Forms 5329 and 8606 (dollars)", title_justify="left",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for heading in ("route", "destination", "5329\nline 1", "5329\nline 2", "5329\nline 4",
                    "file\n5329", "8606\nline 18", "8606\nline 25c"):
        right = heading[:4].isdigit()
        t.add_column(heading, justify="right" if right else "left", no_wrap=right)

    def money(form: dict | None, line: str) -> str:
        return "—" if not form or form.get(line) is None else dollars_text(form[line])

    for r in rows:
        f5329 = r.get("form_5329")
        line_2 = money(f5329, "line_2")
        if f5329 and f5329.get("line_2_exception"):
            line_2 += f" ({f5329['line_2_exception']})"
        t.add_row(r["route"].replace("_", " "), r["destination"].replace("_", " "),
                  money(f5329, "line_1"), line_2, money(f5329, "line_4"),
                  "—" if not f5329 else "yes" if f5329["required"] else "no",
                  money(r.get("form_8606"), "line_18"),
                  money(r.get("form_8606_part_iii"), "line_25c"))
    print_table(console, t)
    console.print("5329 line 2: the part excepted from the 10% tax, with the exception's number "
                  "from the form's instructions; file 5329: no where box 7 of Form 1099-R "
                  "already tells it all (the tax goes on Schedule 2). --format json gives "
                  "every line (docs/forms.md).")


def show_notes(console: Console, notes: list[dict]) -> None:
    """What the answer capped or assumed, and the field that gives the missing figure."""
    if not notes:
        return
    console.print("[bold]Notes — capped or assumed[/]")
    grid = Table.grid(padding=(0, 1))  # a note's later lines under its first, not the bullet
    grid.add_column(justify="right", width=3)
    grid.add_column(overflow="fold")
    for n in notes:
        grid.add_row("•", Text(f"{n['text']} [{n['field']}]"))
    console.print(grid)


def _if_made_up_words(made_up: dict | None) -> str:
    """Beside a missed year's excise that this request makes up: the lower rate and amount it
    brings if paid within the correction window, and the window's last day (IRC §4974(e);
    dist401k.assess: the full rate stands until the shortfall is corrected)."""
    if not made_up:
        return ""
    return (f"; {made_up['excise_rate']:.0%} (${made_up['excise']:,.2f}) if this year's payments, "
            f"this one included, make it up by {made_up['by']}, before any IRS notice of "
            "deficiency or assessment of the tax (§4974(e))")


def show_beneficiary(console: Console, s: dict, reasons: list[dict]) -> None:
    """The inherited account: who inherits, the method, this year's minimum, the deadlines,
    and every rule that decided them."""
    t = Table(title="Inherited account", title_justify="left", box=box.SIMPLE_HEAD,
              show_header=False)
    t.add_column("what")
    t.add_column("answer", overflow="fold")
    rbd = s["required_beginning_date"]
    t.add_row("beneficiary", s["kind"].replace("_", " "))
    t.add_row("death", ("on or after" if s["death_after_required_beginning_date"] else "before")
              + " the required beginning date" + (f" ({rbd})" if rbd else " (none: Roth)"))
    t.add_row("method", s["method"].replace("_", " "))
    t.add_row("minimum this year", f"${s['required']:,.2f}"
              + (f" (period {s['divisor']})" if s["divisor"] else "")
              + (f"; ${s['remaining']:,.2f} still to take by {s['deadline']}" if s["deadline"]
                 else "; nothing left to take"))
    if s["method"] in ANNUAL_METHODS:  # none to show where nothing is due before the end
        t.add_row("annual schedule starts", str(s["start_year"]))
    t.add_row("account empty by", s["empty_by"] or "no fixed date")
    t.add_row("maximum", f"${s['available']:,.2f} (the whole balance, at any time)")
    for m in s["missed"]:
        t.add_row(f"missed {m['year']} (${m['shortfall']:,.2f})",
                  f"excise waived by {m['waived_by']}" if m["waived_by"] else
                  f"excise {m['excise_rate']:.0%}: ${m['excise']:,.2f} (Form 5329)"
                  + _if_made_up_words(m.get("if_made_up_by_request")))
    for x in reasons:
        t.add_row("rule", f"{x['text']} [{x['citation']}]")
    print_table(console, t)
