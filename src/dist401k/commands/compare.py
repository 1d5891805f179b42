"""`dist401k compare CASE` and `dist401k report CASE -o report.html|pdf`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from dist401k.commands._files import check_output_or_exit, write_or_exit
from dist401k.commands._load import compared_or_exit
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
from dist401k.commands.assess import unconfirmed_state_note
from dist401k.money import dollars_text
from dist401k.outcome_why import OPTION_TAX_FIELDS, due_when_filing_lines
from dist401k.withholding import UNKNOWN_WORDS

#: What a negative figure of the table is: "kept after all tax" below zero is tax paid from
#: other money; a "value at" below zero, what the option costs then beyond what it leaves
#: (dist401k.compare.Projection.value_at: less what the tax paid from other money would have
#: grown to; first_then_hardship_option: less what the money taken beyond the amount compared
#: would have been worth left in the plan).
NEGATIVE_KEPT = (" A negative kept after all tax is tax you pay from other money: nothing comes "
                 "to you.")
NEGATIVE_VALUE = (" A negative value at an age is a loss by then: what the option leaves invested "
                  "is worth less than what it costs beyond the amount compared — the tax it pays "
                  "from other money, or the money it takes above that amount, with the growth "
                  "either would have had.")


def _pays_nothing(o: dict) -> bool:
    """"Leave it in the plan" where nothing is paid now (no required minimum this year): its
    JSON ``gross`` is the money it leaves in the plan, the most the other options take."""
    return o["option"] == "leave" and o["check_received"] == 0 and o["withholding"] == 0


def _withheld_cell(o: dict) -> str:
    """An option's "withheld" cell: whole dollars; "unknown" where its federal withholding is
    not figured (null: a periodic payment withheld from as wages, IRC §3405(a);
    dist401k.compare.withholding_unknown), never $0, as ``assess`` says."""
    return "unknown" if o["withholding"] is None else dollars_text(o["withholding"])


def _gross_cell(o: dict) -> str:
    """An option's gross in the table: what is paid out now ("—" where nothing is)."""
    return "—" if _pays_nothing(o) else dollars_text(o['gross'])


def _why_short(o: dict) -> str:
    """An option's "why" in the table; "leave it" that pays nothing says what stays."""
    if _pays_nothing(o):
        return (f"nothing paid now: the money compared (${dollars_text(o['gross'])}, the most the other "
                "options take) stays in the plan, valued after the tax due when it comes out")
    return o["why"]["short"] if o["why"] else ""


def print_footing(console: Console, cmp: dict) -> None:
    """Under the options: the assumptions, what ★ and the figures mean (a negative one too),
    and what each option leaves to pay when filing (IRC §31(a))."""
    a = cmp["assumptions"]
    console.print(f"Assumptions: return {a['growth']:.1%}, plan expenses {a['plan_expense']:.2%}, "
                  f"IRA expenses {a['ira_expense']:.2%}, later tax rate "
                  f"{a['later_tax_rate']:.1%} ({a['later_tax_rate_source']}). ★ = most after tax"
                  + (" among the options that meet your need." if cmp["need"] and cmp["need"]["met"]
                     else " (no option meets your need)." if cmp["need"] else ".")
                  + " Check received: after withholding; kept after all tax: once the year's "
                  "income tax and 10% tax are settled."
                  + (NEGATIVE_KEPT if any(o["kept_after_all_tax"] < -0.005 for o in cmp["options"])
                     else "")
                  + (NEGATIVE_VALUE if any(v < -0.005 for o in cmp["options"]
                                           for v in o["after_tax_value_at"].values()) else ""),
                  highlight=False)
    if any(o["withholding"] is None for o in cmp["options"]):
        console.print(UNKNOWN_WORDS, markup=False, highlight=False)
    with_state = any("state_covered" in o for o in cmp["options"])  # the state tax column's law
    if with_state and (note := unconfirmed_state_note(cmp["assessment"].get("state"), cmp["tax_year"])):
        console.print(note, markup=False, highlight=False)
    # Where the withholding is not figured, what is due when filing is not known either.
    for line in due_when_filing_lines([(o["label"], o) for o in cmp["options"]
                                       if not _pays_nothing(o) and o["withholding"] is not None],
                                      OPTION_TAX_FIELDS):
        console.print(line, markup=False, highlight=False)


def print_forms(console: Console, cmp: dict) -> None:
    """The forms the options bring, as the report lists them (the same rows and words:
    dist401k.compare_forms): each Form 1099-R, box by box — a combined option's one per
    payment, named by the payment's route —, Form 5329 Part I (a combined option's one for the
    year), Form 8606 and its Part III; a table only where some option has that form; then, as
    the report, the loan that goes bad (no option: its Form 5329 row is explained there)."""
    from dist401k import compare_forms as cf

    tables = [(cf.FORMS_1099R_TITLE, [c for _, c in cf.FORM_BOXES] + ["box 2b"],
               cf.form_1099r_rows(cmp), cf.FORMS_1099R_NOTE),
              (cf.FORM_5329_TITLE, [c for _, c in cf.FORM_5329_LINES] + ["filing"],
               cf.form_5329_rows(cmp), cf.FORM_5329_NOTE),
              (cf.FORM_8606_TITLE, [c for _, c in cf.FORM_8606_LINES],
               cf.lines_rows(cmp, "form_8606", cf.FORM_8606_LINES), cf.FORM_8606_NOTE),
              (cf.PART_III_TITLE, [c for _, c in cf.PART_III_LINES],
               cf.lines_rows(cmp, "form_8606_part_iii", cf.PART_III_LINES), cf.PART_III_NOTE)]
    for title, headings, rows, note in tables:
        if rows:
            print_table(console, _forms_table(f"{title} (dollars)", ["option", *headings], rows))
            console.print(note, markup=False, highlight=False)
            if title == cf.FORMS_1099R_TITLE:  # box 6, not a column: the NUA of shares in kind
                for line in cf.box_6_lines(cmp):
                    console.print(line, markup=False, highlight=False)
    if loans := cf.loan_failure_rows(cmp):
        print_table(console, _loan_failure_table(loans))
        console.print(cf.LOAN_FAILURE_NOTE, markup=False, highlight=False)


def _loan_failure_table(rows: list[list[str]]) -> Table:
    """The loan that goes bad, as the report shows it (:func:`dist401k.compare_forms.loan_failure_rows`):
    the words left-aligned, the figures right-aligned."""
    from dist401k import compare_forms as cf

    t = Table(title=f"{cf.LOAN_FAILURE_TITLE} (dollars)", title_justify="left", box=box.SIMPLE_HEAD,
              pad_edge=False, collapse_padding=True)
    last = len(cf.LOAN_FAILURE_HEADINGS) - 1
    for i, heading in enumerate(cf.LOAN_FAILURE_HEADINGS):
        words = i in (0, 1, last)
        t.add_column(heading, justify="left" if words else "right", no_wrap=not words)
    for r in rows:
        t.add_row(*r)
    return t


#: A cell of a form's table longer than this may wrap (a label, an exception's words); a
#: shorter one, a figure or a code, is never cut.
SHORT_CELL = 12


def _forms_table(title: str, headings: list[str], rows: list[list[str]]) -> Table:
    """A form's table: the option named on the left, the boxes or lines right-aligned; a box
    that no row fills ("—" or blank in every row) left out, as blank on every form."""
    keep = [0] + [i for i in range(1, len(headings)) if any(r[i] not in ("", "—") for r in rows)]
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
              collapse_padding=True)
    for i in keep:
        t.add_column(headings[i], justify="left" if i == 0 else "right",
                     no_wrap=i > 0 and all(len(r[i]) <= SHORT_CELL for r in rows))
    for r in rows:
        t.add_row(*(r[i] for i in keep))
    return t


def compare_command(
    case: Path = typer.Argument(..., help="Case file (YAML or JSON)."),
    format: str = format_option(),
) -> None:
    """The options for the request side by side — the check received, what is kept after all
    tax, taxes and penalty now and why, after-tax value at the horizon ages — the gross to ask
    for when the case states a need (or a net amount), and the traps that apply, each with its
    rule.  CSV: one row per option."""
    from dist401k.compare import need_sentence, option_state_tax
    from dist401k.state_outcome import state_withheld_shown

    checked_format(format)
    cmp = compared_or_exit(case)
    if format == "json":
        print_json({k: v for k, v in cmp.items() if k != "assessment"})
        return
    if format == "csv":
        print_csv([{"case": cmp["case_id"] or case.name, **csv_cells(o)} for o in cmp["options"]])
        return
    console = terminal()
    horizons = list(cmp["best_at"])
    # projected law said in the head, as assess says it (its basis on the line above)
    year = f"; {year_head(cmp)}" if cmp["projected"] else ""
    print_projection(console, cmp)
    t = Table(title=f"{cmp['case_id'] or case.name}: the options (dollars{year})",
              title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    inline = why_in_table(console)
    with_state = any("state_covered" in o for o in cmp["options"])
    for c in ["option", "gross", "check\nreceived", "kept after\nall tax", "income\ntax",
              "10%\ntax", "withheld"] + (["state\ntax", "state\nwithheld"] if with_state
                                          else []) + [
                  f"value\nat {h}" for h in horizons]:
        t.add_column(c, justify="left" if c == "option" else "right", no_wrap=c != "option")
    if inline:
        t.add_column("why (10% tax; taxable part)", overflow="fold")
    whys = []
    for k, o in enumerate(cmp["options"], start=1):
        best = o["option"] in cmp["best_at"].values()
        why = _why_short(o)
        # Narrow: the table numbers the options, the list under it names them and says why.
        whys.append((o["label"], why or "—"))
        t.add_row(("★ " if best else "") + (o["label"] if inline else str(k)),
                  _gross_cell(o),
                  dollars_text(o['check_received']), dollars_text(o['kept_after_all_tax']),
                  dollars_text(o['income_tax_now']), dollars_text(o['penalty_now']),
                  _withheld_cell(o),
                  *([option_state_tax(o), state_withheld_shown(o)] if with_state else []),
                  *(dollars_text(o['after_tax_value_at'][h]) for h in horizons),
                  *([why] if inline else []))
    print_table(console, t)
    if not inline:
        print_whys(console, whys, "The options, and why (10% tax; taxable part)", numbered=True)
    print_footing(console, cmp)
    if cmp["need"]:
        console.print(need_sentence(cmp), highlight=False)
    print_forms(console, cmp)
    for o in cmp["options"]:  # a child's QDRO payment: whose check, whose tax (Pub. 504)
        for n in o["notes"] if o["option"].startswith("qdro_dependent:") else ():
            console.print(f"Note ({o['label']}): {n}", markup=False, highlight=False)
    for n in cmp["notes"]:
        console.print(f"Note: {n['text']} [{n['field']}]", markup=False, highlight=False)
    for trap in cmp["traps"]:
        console.print(f"[bold yellow]⚠ {trap['title']}[/]\n  {trap['text']} "
                      f"[dim][{trap['citation']}][/]", highlight=False)


def report_command(
    case: Path = typer.Argument(..., help="Case file (YAML or JSON)."),
    output: Path = typer.Option(..., "-o", "--output", help="report.html (self-contained) or "
                                "report.pdf."),
) -> None:
    """A report you can keep: situation, routes, comparison, charts, traps and citations."""
    from dist401k.commands._load import load_case_or_exit, load_or_exit
    from dist401k.compare import compare_case
    from dist401k.report import write_report

    check_output_or_exit(output, case)
    # The case too: the report says which of its figures were not given (report.loan_count_assumed).
    given = load_case_or_exit(case)
    cmp = load_or_exit(lambda _: compare_case(given), case)
    write_or_exit(lambda tmp: write_report(cmp, tmp, case=given), output)
    Console(stderr=True).print(f"report → {output}")
