"""The report: one self-contained HTML file (charts inline, opens offline), or a PDF of it.

It holds the situation, the open routes, the comparison table, after-tax wealth over time per
option, where each option's dollar goes, the traps found, and the citations.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from dist401k import __version__
from dist401k.assess import NOTICES
from dist401k.chart_style import chart_block, data_table, figure_columns, span, style_series
from dist401k.compare import DESTINATION_FIELD, NOT_CHOSEN, need_sentence, option_state_tax
from dist401k.compare_forms import (
    FORM_5329_LINES,
    FORM_5329_NOTE,
    FORM_5329_TITLE,
    FORM_8606_LINES,
    FORM_8606_NOTE,
    FORM_8606_TITLE,
    FORM_BOXES,
    FORMS_1099R_NOTE,
    FORMS_1099R_TITLE,
    LOAN_FAILURE_HEADINGS,
    LOAN_FAILURE_NOTE,
    LOAN_FAILURE_TITLE,
    PART_III_LINES,
    PART_III_NOTE,
    PART_III_TITLE,
    form_1099r_rows,
    form_5329_rows,
    forms_of,
    lines_rows,
    loan_failure_rows,
    outcome_of,
)
from dist401k.io.outputs import exclusive_temporary
from dist401k.labels import field_label, plain_fields, route_label
from dist401k.law import default_law
from dist401k.money import HALF_CENT, dollars_text
from dist401k.outcome_why import OPTION_TAX_FIELDS, due_when_filing_lines
from dist401k.routes.base import ROUTES
from dist401k.state_outcome import state_withheld_shown
from dist401k.withholding import UNKNOWN_WORDS, row_not_figured

if TYPE_CHECKING:
    from dist401k.case import Case

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1000px;margin:2em auto;
padding:0 1em;color:#1b1f23;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid #eee;
padding:.35em .5em;text-align:right}th:first-child,td:first-child{text-align:left}
.no{color:#595959}.tablewrap{overflow-x:auto}
.trap{background:#fff7e6;border-left:4px solid #f0a020;padding:.6em 1em;margin:.8em 0}
.cite{color:#555;font-size:.85em}.best{font-weight:600;background:#eefaf0}
@media print{.chart{page-break-inside:avoid}.modebar-container{display:none!important}}
.chart-data{margin:.2em 0 1em}.chart-data summary{cursor:pointer}caption{text-align:left;font-weight:600}
.chart-title{font-size:1.1em;font-weight:600;margin:1.2em 0 .2em}
.wide{page:wide}@page wide{size:landscape}
.options .why-row{display:none}
@media print{body{max-width:none;margin:0;padding:0}
table{font-size:.8em}th,td{padding:.3em .3em}.options{font-size:.68em}
.options th,.options td{padding:.3em .25em}.options th{font-size:.88em}
.options td:first-child{min-width:6.5em;overflow-wrap:break-word}
.options .why{display:none}.options tr.why-row{display:table-row}
.options tr.has-why td{border-bottom:0}.options tr.has-why{break-after:avoid}
.options tr.why-row td{text-align:left;padding:0 .25em .6em 1.5em;color:#333}
.options tr{break-inside:avoid}}
@media print{tr{break-inside:avoid}h2,h3{break-after:avoid}thead{display:table-header-group}
.chart-data summary{list-style:none;font-weight:600}.chart-data table{font-size:.72em}
.chart-data th,.chart-data td{padding:.1em .3em}.wide table{font-size:.72em}
.wide th,.wide td{padding:.25em .25em}}
"""

#: The HTML report printed from a browser (not through the PDF, whose tables are open): each
#: chart's data table opened first, so that the paper shows the values behind the charts.
OPEN_FOR_PRINT = ("<script>addEventListener('beforeprint',()=>document.querySelectorAll("
                  "'details.chart-data').forEach(d=>{d.open=true}))</script>")

# Charts: the legend above the plot, clear of the axis title below it.
LEGEND_ABOVE = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
# A bar chart's height: room for its axis and legend plus a band per bar, never less than
# MIN_BAR_CHART so one bar does not collapse the chart.
BAR_BAND, MIN_BAR_CHART = 44, 300


def wealth_chart(cmp: dict) -> go.Figure:
    years = cmp["assumptions"]["years"]
    # By age; an estate, no person (its "age" is None), by years from the request.
    ages = [(cmp["age"] or 0) + y for y in years]
    fig = go.Figure()
    for o in cmp["options"]:
        fig.add_trace(go.Scatter(x=ages, y=o["by_year"], mode="lines", name=o["label"]))
    fig.update_layout(title={"text": "After-tax value of the money over time", "y": 0.98,
                             "yanchor": "top"},
                      xaxis_title="age" if cmp["age"] is not None else "years from the request",
                      yaxis_title="dollars (after the tax expected later)",
                      height=420 + 22 * len(cmp["options"]) // 2, legend=LEGEND_ABOVE,
                      margin={"t": 24 + 22 * len(cmp["options"]) // 2})
    return style_series(fig)


def paid_out(cmp: dict) -> list[dict]:
    """The options that pay money out of the plan (every one but leaving it there)."""
    return [o for o in cmp["options"] if o["gross"] > 0 and o["option"] != "leave"]


#: The parts of an option's dollars in the chart of where they go, in their order; the web
#: page draws the same parts from the same fields (app.js dollarParts).
DOLLAR_PARTS = ("kept after all tax", "income tax", "10% additional tax", "state tax",
                "stays invested", "tax paid from other money")


def with_state(cmp: dict) -> bool:
    """Whether the case gives a state (its options then carry the state's taxes)."""
    return any("state_covered" in o for o in cmp["options"])


def state_tax_now(option: dict) -> float:
    """The state's income and additional tax of an option now (0 where none is figured: no
    state, or one not covered, whose figures kept after all tax leaves out too)."""
    if not option.get("state_covered"):
        return 0.0
    return (option.get("state_income_tax_now") or 0.0) + (option.get("state_additional_tax_now")
                                                         or 0.0)


def dollar_parts(option: dict) -> dict[str, float]:
    """Where an option's dollars go: what is kept after all tax, the federal income tax, the
    10% additional tax and the state's taxes paid out of the gross, the rest of the gross,
    still invested (a rollover's or a conversion's whole amount), and the tax paid from other
    money (what the option keeps below zero: a conversion's tax, paid beside the amount
    converted, which all goes into the Roth IRA).  The parts add up to the gross plus the tax
    paid from other money (the withholding is not a cost: it counts toward the taxes, the rest
    is refunded); the taxes paid from other money are taken off the taxes in their order."""
    kept = max(0.0, option["kept_after_all_tax"])
    taxes = [option["income_tax_now"], option["penalty_now"], state_tax_now(option)]
    other = min(max(0.0, -option["kept_after_all_tax"]), sum(taxes))
    left, from_gross = other, []
    for t in taxes:
        from_gross.append(t - min(t, left))
        left -= min(t, left)
    rest = max(0.0, option["gross"] - kept - sum(from_gross))
    return dict(zip(DOLLAR_PARTS, (kept, *from_gross, rest, other), strict=True))


#: The part of the chart drawn only where some option has it (app.js drawnParts).
OTHER_MONEY = DOLLAR_PARTS[-1]


def drawn_parts(cmp: dict, parts: list[dict[str, float]]) -> list[str]:
    """The parts the chart draws, in their order: the state's tax only where a state is given,
    the tax paid from other money only where some option pays some (a conversion's tax, paid
    beside the amount converted); none drawn at zero for every bar, with its legend entry."""
    return [name for name in DOLLAR_PARTS
            if (name != "state tax" or with_state(cmp))
            and (name != OTHER_MONEY or any(p[name] >= HALF_CENT for p in parts))]


#: The most characters on a line of an option's name beside its bar (a display choice): a
#: longer name is wrapped, so that it fits the chart's left margin on a printed page too.
BAR_LABEL_LINE = 36


def bar_label(label: str) -> str:
    """An option's name beside its bar, wrapped at :data:`BAR_LABEL_LINE` characters."""
    return "<br>".join(textwrap.wrap(label, BAR_LABEL_LINE)) or label


def dollar_chart(cmp: dict) -> go.Figure:
    opts = paid_out(cmp)
    labels = [bar_label(o["label"]) for o in opts]
    parts = [dollar_parts(o) for o in opts]
    fig = go.Figure()
    for name in drawn_parts(cmp, parts):
        fig.add_trace(go.Bar(y=labels, x=[p[name] for p in parts], name=name, orientation="h"))
    fig.update_layout(barmode="stack", title={"text": "Where each option's dollars go",
                                              "y": 0.98, "yanchor": "top"},
                      xaxis_title="dollars", height=max(MIN_BAR_CHART, 200 + BAR_BAND * len(opts)),
                      margin={"l": 260, "t": 54}, legend=LEGEND_ABOVE,
                      yaxis={"automargin": True})
    return style_series(fig)


def page_head(title: str) -> str:
    """The head of a self-contained report page: styles and Plotly's script inline."""
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style>"
            f"<script>{get_plotlyjs()}</script>{OPEN_FOR_PRINT}</head><body>")


#: How an option of `dist401k compare` with no outcome behind it (a 72(t) series) says that
#: its federal withholding is not figured: the first words of one of its notes.
NOT_FIGURED_NOTE = "withholding not figured"


def withholding_unknown(cmp: dict, option: dict) -> bool:
    """Whether the federal withholding of an option is not figured: the outcome behind it is a
    periodic payment in a year whose Pub. 15-T tables dist401k does not hold (IRC §3405(a);
    dist401k.withholding.row_not_figured), or the option says so in its notes (a series
    payment, withheld as wages unless the payee elects out on Form W-4P, §3405(a))."""
    if option.get("withholding") is None:
        return True
    if any(str(n).startswith(NOT_FIGURED_NOTE) for n in option.get("notes") or ()):
        return True
    outcome = outcome_of(cmp, option)
    return outcome is not None and row_not_figured(outcome)


def withheld_cell(cmp: dict, option: dict) -> str:
    """The "withheld" cell of an option: whole dollars, "unknown" where not figured — never $0
    (the terminal's cost table says the same)."""
    return "unknown" if withholding_unknown(cmp, option) else dollars_text(option["withholding"])


def split_cells(outcome: dict | None, option: dict | None = None) -> str:
    """The taxable and tax-free parts and the Form 1099-R codes, as the terminal shows them.
    Where the option pays another amount than the assessed outcome behind it (a loan sized to
    the need, the outcome being the largest loan the plan allows), the outcome's parts are not
    the option's: an outcome with nothing taxable (a loan, IRC §72(p)(1)) leaves the option's
    whole gross tax-free; any other is not split here ("—")."""
    if outcome is None:
        return "<td>—</td><td>—</td><td>—</td>"
    codes = html.escape(", ".join(outcome["form_1099r_codes"]) or "—")
    taxable, free = outcome["taxable"], outcome["nontaxable"]
    if option is not None and abs(option["gross"] - outcome["gross"]) >= HALF_CENT:
        if taxable >= HALF_CENT:
            return f"<td>—</td><td>—</td><td>{codes}</td>"
        taxable, free = 0.0, option["gross"]
    return f"<td>{dollars_text(taxable)}</td><td>{dollars_text(free)}</td><td>{codes}</td>"


def forms_html(cmp: dict) -> str:
    """The Forms 1099-R of each option that pays: one line per form, box by box (Instructions
    for Forms 1099-R and 5498); 2b's boxes as notes (:func:`dist401k.compare_forms.form_1099r_rows`,
    the terminal's rows)."""
    rows = [f"<tr><td>{html.escape(label)}</td>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in boxes)
            + f"<td style='text-align:left'>{html.escape(note)}</td></tr>"
            for label, *boxes, note in form_1099r_rows(cmp)]
    if not rows:
        return ""
    return (f"<h2>{FORMS_1099R_TITLE}</h2><table><tr><th>option</th>"
            + "".join(f"<th>{html.escape(c)}</th>" for _, c in FORM_BOXES)
            + "<th style='text-align:left'>Box 2b</th></tr>" + "".join(rows)
            + f"</table><p class='cite'>{html.escape(FORMS_1099R_NOTE, quote=False)}</p>")


def form_5329_html(cmp: dict) -> str:
    """Form 5329 Part I of each option that pays before 59½, and of a loan that goes bad,
    line by line, and whether the form must be filed (Instructions for Form 5329, Part I and
    "Who Must File"; :func:`dist401k.compare_forms.form_5329_rows`, the terminal's rows)."""
    rows = [f"<tr><td>{html.escape(label)}</td>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in lines)
            + f"<td style='text-align:left'>{html.escape(file, quote=False)}</td></tr>"
            for label, *lines, file in form_5329_rows(cmp)]
    if not rows:
        return ""
    return (f"<h2>{html.escape(FORM_5329_TITLE, quote=False)}</h2><table><tr><th>option</th>"
            + "".join(f"<th>{html.escape(c)}</th>" for _, c in FORM_5329_LINES)
            + "<th style='text-align:left'>filing</th></tr>" + "".join(rows)
            + f"</table><p class='cite'>{html.escape(FORM_5329_NOTE, quote=False)}</p>")


def form_8606_html(cmp: dict) -> str:
    """Form 8606 (Parts I and II) of the backdoor Roth next to each option that pays: what a
    rollover to a traditional IRA does to the conversion (IRC §408(d)(2))."""
    return lines_table(cmp, "form_8606", FORM_8606_LINES, FORM_8606_TITLE, FORM_8606_NOTE)


def lines_table(cmp: dict, key: str, lines, title: str, cite: str) -> str:
    """A form's lines (``key`` of each option, or of the outcome behind it), one row per
    option that has them (:func:`dist401k.compare_forms.lines_rows`, the terminal's rows)."""
    rows = [f"<tr><td>{html.escape(label)}</td>" + "".join(f"<td>{c}</td>" for c in cells)
            + "</tr>" for label, *cells in lines_rows(cmp, key, lines)]
    if not rows:
        return ""
    return (f"<h2>{html.escape(title)}</h2><table><tr><th>option</th>"
            + "".join(f"<th>{html.escape(c)}</th>" for _, c in lines)
            + "</tr>" + "".join(rows) + f"</table><p class='cite'>{html.escape(cite)}</p>")


def form_8606_part_iii_html(cmp: dict) -> str:
    """Form 8606 Part III of each option that takes money from the Roth IRA by the ordering
    rules (IRC §408A(d)(4)(B)): contributions first, then conversions, then earnings."""
    return lines_table(cmp, "form_8606_part_iii", PART_III_LINES, PART_III_TITLE, PART_III_NOTE)


def loan_failure_html(cmp: dict) -> str:
    """A loan that goes bad (a deemed distribution, a loan offset): not an option to choose,
    what it costs and the Form 1099-R it brings (docs/forms.md;
    :func:`dist401k.compare_forms.loan_failure_rows`, the terminal's rows)."""
    rows = [f"<tr>{''.join(f'<td>{html.escape(c)}</td>' for c in cells)}"
            f"<td style='text-align:left'>{html.escape(due)}</td></tr>"
            for *cells, due in loan_failure_rows(cmp)]
    if not rows:
        return ""
    return (f"<h2>{LOAN_FAILURE_TITLE}</h2><table><tr>"
            + "".join(f"<th>{html.escape(c)}</th>" for c in LOAN_FAILURE_HEADINGS[:-1])
            + f"<th style='text-align:left'>{LOAN_FAILURE_HEADINGS[-1]}</th></tr>" + "".join(rows)
            + f"</table><p class='cite'>{html.escape(LOAN_FAILURE_NOTE, quote=False)}</p>")


def deadlines_html(cmp: dict) -> str:
    """The dates that matter to the options (a required minimum distribution's — last year's
    first by April 1, this year's by December 31 —, a rollover's, a repayment's), once each, in
    the order they fall; a loan that goes bad has its own above."""
    seen: dict[tuple[str, str], None] = {}
    for o in cmp["assessment"]["outcomes"]:
        if o["route"] not in NOT_CHOSEN:
            for d in o.get("deadlines", []):
                seen[(d["date"], d["what"])] = None
    if not seen:
        return ""
    return ("<h2>Dates that matter</h2><table><tr><th>date</th>"
            "<th style='text-align:left'>what</th></tr>"
            + "".join(f"<tr><td>{html.escape(date)}</td><td style='text-align:left'>"
                      f"{html.escape(what)}</td></tr>" for date, what in sorted(seen))
            + "</table>")


def _wealth_block(cmp: dict, config: dict, printed: bool = False) -> str:
    """The chart of each option's after-tax value over time, with its data table (WCAG 1.1.1:
    the options table gives only the horizons' values)."""
    fig = wealth_chart(cmp)
    x, columns = figure_columns(fig)
    by_age = cmp["age"] is not None
    keys = [f"{a:.1f}" if by_age else str(a) for a in x]
    what = "age" if by_age else "years from the request"
    caption = f"after-tax value of each option (dollars) by {what}"
    summary = (f"Line chart: after-tax value of the money over time, {len(columns)} options, "
               f"{what} {span(keys)}; its data are in the table below it.")
    return chart_block(fig, "chart-wealth", summary,
                       data_table("chart-wealth-data", caption, what, keys, columns, dollars_text,
                                  opened=printed), config)


def _dollar_block(cmp: dict, config: dict, printed: bool = False) -> str:
    """The chart of where each option's dollars go, with its data table."""
    fig = dollar_chart(cmp)
    _, columns = figure_columns(fig)
    x = [o["label"] for o in paid_out(cmp)]  # the names whole, not wrapped as beside the bars
    caption = "where each option's dollars go (dollars)"
    summary = (f"Stacked bar chart: where the dollars of {len(x)} options go ("
               + ", ".join(n for n, _ in columns) + "); its data are in the table below it.")
    return chart_block(fig, "chart-dollars", summary,
                       data_table("chart-dollars-data", caption, "option", x, columns,
                                  dollars_text, opened=printed), config)


def charts_html(cmp: dict, printed: bool) -> list[str]:
    """The charts, inline, each with its data table; printed (the PDF), without Plotly's
    toolbar and with the data tables open, so that the paper shows the values."""
    config = {"displayModeBar": not printed, "displaylogo": False}
    out = [_wealth_block(cmp, config, printed)] + ([_dollar_block(cmp, config, printed)]
                                                   if paid_out(cmp) else [])
    if len(out) == 1:
        out.append("<p>No option pays money out of the plan now, so there is no chart of "
                   "where its dollars go.</p>")
    return out


def options_html(cmp: dict) -> str:
    """The options side by side: the cash figures, the taxes now, the taxable and tax-free
    parts and the 1099-R codes, the after-tax value at each horizon, and why."""
    e, best = html.escape, cmp["best_at"]
    horizons = list(best)
    state = with_state(cmp)
    # The figures' columns; the why is the last on screen and, printed, a row under the figures
    # (a column of it left the table wider than a Letter page).
    figures = 1 + 6 + 2 * state + 3 + len(horizons)
    parts = []
    parts.append("<h2>The options side by side</h2><table class='options'><tr><th>option</th>"
                 "<th>gross</th><th>check received</th><th>kept after all tax</th>"
                 "<th>income tax</th><th>10% tax</th><th>withheld</th>"
                 + ("<th>state tax</th><th>state withheld</th>" if state else "")
                 + "<th>taxable</th><th>tax-free</th><th>1099-R codes</th>"
                 + "".join(f"<th>after-tax value at {h}</th>" for h in horizons)
                 + "<th class='why' style='text-align:left'>why</th></tr>")
    for o in cmp["options"]:
        cls = "best" if o["option"] in best.values() else ""
        why_html = option_why_html(o)
        why = bool(why_html)
        parts.append(f"<tr class='{cls}{' has-why' if why else ''}'><td>{e(o['label'])}</td>"
                     f"<td>{dollars_text(o['gross'])}</td>"
                     f"<td>{dollars_text(o['check_received'])}</td>"
                     f"<td>{dollars_text(o['kept_after_all_tax'])}</td><td>{dollars_text(o['income_tax_now'])}</td>"
                     f"<td>{dollars_text(o['penalty_now'])}</td><td>{withheld_cell(cmp, o)}</td>"
                     + (f"<td>{option_state_tax(o)}</td><td>{state_withheld_shown(o)}</td>"
                        if state else "")
                     + split_cells(forms_of(cmp, o), o)
                     + "".join(f"<td>{dollars_text(o['after_tax_value_at'][h])}</td>" for h in horizons)
                     + f"<td class='why' style='text-align:left'>{why_html}</td></tr>"
                     + (f"<tr class='why-row {cls}' aria-hidden='true'><td colspan='{figures}'>"
                        f"{why_html}</td></tr>" if why else ""))
    parts.append("</table><p class='cite'>Check received: the payment after withholding. Kept "
                 "after all tax: what is left once the year's income tax and 10% tax are "
                 "settled (withholding beyond them comes back as a refund"
                 + ("; the state's income and additional tax are in it where the state is "
                    "covered" if state else "") + "). Taxable and "
                 "tax-free: the parts of the gross taxed now and not (basis, Roth, a "
                 "rollover); 1099-R codes: box 7 of the form the payer will send."
                 + unknown_words(cmp) + negative_words(cmp) + "</p>"
                 + (unconfirmed_html(cmp) if state else "") + due_html(cmp))
    return "".join(parts)


def unconfirmed_html(cmp: dict) -> str:
    """Under the options, where the state tax column rests on figures of the state's law for
    the year flagged unconfirmed: the terminal's note (commands.assess.unconfirmed_state_note:
    each figure's own ``unconfirmed`` text from its law file)."""
    from dist401k.commands.assess import unconfirmed_state_note

    note = unconfirmed_state_note(cmp["assessment"].get("state"), cmp["tax_year"])
    return f"<p class='cite unconfirmed'>{html.escape(note)}</p>" if note else ""


def option_why_html(option: dict) -> str:
    """An option's why: its 10% tax and its taxable part, then its notes (a series' years and
    the §72(t)(4) recapture, a loan's repayments, a combined option's payments), as the JSON
    gives them; field paths in their plain labels."""
    e, why = html.escape, option.get("why")
    lines = ([f"<b>10% tax:</b> {e(plain_fields(why['additional_tax_72t']))}",
              f"<b>taxable:</b> {e(plain_fields(why['taxable']))}"] if why else [])
    notes = option.get("notes") or []
    if notes:
        lines.append("<b>notes:</b> " + "; ".join(e(plain_fields(n)) for n in notes))
    return "<br>".join(lines)


def unknown_words(cmp: dict) -> str:
    """Where an option's withholding is "unknown": why, and what the check received is then."""
    if not any(withholding_unknown(cmp, o) for o in cmp["options"]):
        return ""
    return " " + html.escape(UNKNOWN_WORDS[0].upper() + UNKNOWN_WORDS[1:])


def negative_words(cmp: dict) -> str:
    """What a negative figure of the table is: kept after all tax, tax paid from other money;
    an after-tax value, a loss by then (the tax paid from other money, or money taken beyond the
    amount compared, with the growth it would have had: dist401k.compare.Projection)."""
    kept = any(o["kept_after_all_tax"] < -0.005 for o in cmp["options"])
    value = any(v < -0.005 for o in cmp["options"] for v in o["after_tax_value_at"].values())
    return ((" A negative kept after all tax is tax you pay from other money: nothing comes to "
             "you." if kept else "")
            + (" A negative after-tax value is a loss by then: what the option leaves invested is "
               "worth less than what it costs beyond the amount compared (the tax it pays from "
               "other money, or the money it takes above that amount, with the growth either "
               "would have had)." if value else ""))


def due_html(cmp: dict) -> str:
    """What each option leaves to pay when filing, beyond what was withheld (IRC §31(a)): the
    terminal's lines, as a paragraph and a list; nothing where withholding covers the taxes."""
    # Where the withholding is not figured, what is left to pay is not known either.
    lines = due_when_filing_lines([(o["label"], o) for o in cmp["options"]
                                   if not withholding_unknown(cmp, o)], OPTION_TAX_FIELDS)
    if not lines:
        return ""
    e = html.escape
    return (f"<p class='due'>{e(lines[0])}</p><ul class='due'>"
            + "".join(f"<li>{e(line)}</li>" for line in lines[1:]) + "</ul>")


def _state_assumption(cmp: dict) -> str:
    """Which figures carry the state's tax, and which do not: the later value takes off only
    the later tax rate (the federal one, unless the case gives its own)."""
    state = cmp["assessment"].get("state")
    if not state:
        return ("<li>no state given (<span title='person.state'>state you live in</span>): "
                "federal tax only</li>")
    later = ("the rate you gave: put the state's share in it" if cmp["assumptions"]
             ["later_tax_rate_source"] == "given" else "a federal rate: no state tax on money "
             "withdrawn later")
    return (f"<li>{html.escape(state)}'s tax, where the state is covered, is in the taxes now "
            "(the state tax column), in what is kept after all tax and in the tax a conversion "
            "pays now from other money; the after-tax value later takes off only the tax rate "
            f"on pre-tax money withdrawn later above ({later})</li>")


def _assumptions_html(cmp: dict) -> str:
    """The report's list of the comparison's assumptions: which figures carry the state's tax
    and which do not, and what the later tax rate is."""
    asm = cmp["assumptions"]
    e = html.escape
    return ("<h2>Assumptions</h2><ul>"
            f"<li>return {asm['growth']:.1%} a year; plan expenses {asm['plan_expense']:.2%}; "
            f"IRA expenses {asm['ira_expense']:.2%}</li>"
            f"<li>tax rate on pre-tax money withdrawn later: {asm['later_tax_rate']:.1%} "
            f"({e(asm['later_tax_rate_source'])})</li>"
            + _state_assumption(cmp)
            + (f"<li>product: expenses {asm['product_expense']:.2%}, surrender charges "
               f"{', '.join(f'{c:.1%}' for c in asm['surrender_schedule'])}</li>"
               if asm["surrender_schedule"] else "")
            + "<li>after-tax basis stays a fixed amount in the plan or a traditional IRA: "
            "only its growth is taxed later; Roth money, in the plan or a Roth IRA, is "
            "tax-free at the horizon</li>"
            "<li>tax paid now on a conversion comes from other money that would have grown "
            "at the IRA's rate; cash taken is spent on the need</li>"
            "<li>deterministic: one path of returns</li></ul>")


def field_cite(path: str) -> str:
    """The case field a note is about, by its plain label; its path (what the case file and
    the JSON say) kept in the title, for whoever edits the case."""
    e = html.escape
    return f"<span class='cite' title='{e(path)}'>[{e(field_label(path))}]</span>"


def prepared_on(prepared: date | None = None) -> date:
    """The date a report is prepared: ``prepared`` if given, else the time of
    SOURCE_DATE_EPOCH (seconds since 1970, UTC) where the environment sets it — a report made
    twice is then the same file (reproducible-builds.org's convention) —, else today."""
    if prepared is not None:
        return prepared
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def date_words(d: date) -> str:
    """A date as a client reads it: "March 9, 2026"."""
    return f"{d:%B} {d.day}, {d.year}"


def prepared_html(prepared: date) -> str:
    """The report's date line, under its title."""
    return f"<p class='prepared'>Prepared on {date_words(prepared)}.</p>"


def law_words(enacted_through: int, projected: str = "") -> str:
    """Which law answered, in words ("law enacted through 2026"), with what was projected
    past it (``projected``, led by "; ") — DESIGN: years after the last enacted one are
    projected by indexing and marked as projected."""
    return f"law enacted through {enacted_through}{projected}"


def _enacted_through(a: dict) -> int:
    """The last year of enacted law behind an assessment: its projection's basis where its year
    is projected (dist401k.projection), else the shipped law's (``meta/years.yaml``)."""
    return int((a.get("projection") or {}).get("enacted_through")
               or default_law().enacted_through)


#: The codes of the notes that say what the law requires before paying (the §402(f) notice,
#: the spouse's consent: dist401k.assess.NOTICES) — some name the destination's field too.
NOTICE_CODES = frozenset(code for _, code, _ in NOTICES)


def closes_destination(note: dict) -> bool:
    """Whether a cited note says why the destination asked for is not open (a route's reason
    naming ``request.destination``: compare.closed_destination_notes), not a notice the law
    requires before paying, such as the §402(f) notice (Treas. Reg. §1.402(f)-1), which names
    the same field."""
    return note.get("field") == DESTINATION_FIELD and note.get("code") not in NOTICE_CODES


def half_words(a: dict) -> str:
    """The day the owner reaches 59½, where it still matters: before it, for the 10% tax of
    IRC §72(t)(2)(A)(i); not once reached, nor for an heir, whose payments the 10% tax spares
    at any age (§72(t)(2)(A)(ii))."""
    heir = any(s["route"] == "beneficiary" and s["eligible"] for s in a["route_summary"])
    if a.get("reached_59_half") or heir:
        return ""
    return f"59½ on {html.escape(a['age_59_half_on'])}; "


def _situation_html(cmp: dict, prepared: date, count_assumed: bool = False) -> list[str]:
    """The head of the report: its date, the request, the best option at each age (none where
    nothing can be paid: :func:`nothing_to_compare`), the need in hand, what was capped or
    assumed (the plan's loan count too, ``count_assumed``: :func:`loan_count_assumed`) and the
    notices the law requires before paying."""
    a, e = cmp["assessment"], html.escape
    parts = [f"<h1>Taking money out of your plan: {e(str(cmp['case_id'] or 'your case'))}</h1>",
             prepared_html(prepared),
             f"<p>Request of {e(a['request_date'])} (tax year {a['tax_year']}"
             f"{', projected law' if a['projected'] else ''}); "
             + (f"age {cmp['age']:.1f}; {half_words(a)}filing "
                f"{e(a['filing_status'].replace('_', ' '))}.</p>" if cmp["age"] is not None
                else "the heir is an estate, taxed on Form 1041.</p>")]
    if a.get("projection"):  # what projected law is made of (dist401k.projection)
        parts.append(f"<p class='cite'>{e(a['projection']['method'])}</p>")
    by_name = {o["option"]: o for o in cmp["options"]}
    summary = "; ".join(f"at {h}: <b>{e(by_name[v]['label'])}</b>"
                        for h, v in cmp["best_at"].items())
    need = cmp.get("need")
    if not nothing_to_compare(cmp):
        parts.append("<p>Under the assumptions below, the option that leaves the most after tax "
                     + ("among those that put your need in hand " if need and need["met"]
                        else "(none puts your need in hand) " if need else "")
                     + f"{summary}. Cash options deliver money now instead.</p>")
    if need:
        parts.append(f"<p class='need'>{e(need_sentence(cmp))}</p>")
    assumed = [n for n in cmp.get("notes", []) if "citation" not in n] + (
        [LOAN_COUNT_NOTE] if count_assumed else [])
    cited = [n for n in cmp.get("notes", []) if "citation" in n]
    closed = [n for n in cited if closes_destination(n)]
    notices = [n for n in cited if not closes_destination(n)]
    if assumed:
        parts.append("<h2>What this answer capped or assumed</h2><ul class='notes'>"
                     + "".join(f"<li>{e(plain_fields(n['text']))} {field_cite(n['field'])}"
                               "</li>" for n in assumed) + "</ul>")
    for title, said in (("Why the destination asked for is not open", closed),
                        ("What the law requires before paying", notices)):
        if said:
            parts.append(f"<h2>{title}</h2><ul class='notes'>" + "".join(
                f"<li>{e(plain_fields(n['text']))} <span class='cite'>[{e(n['citation'])}]"
                "</span></li>" for n in said) + "</ul>")
    return parts


def route_reasons(a: dict, summary: dict) -> list[dict]:
    """A route's reasons, each once: first those of its money sources that agree with the
    route's answer (an open route's open sources, which say why it is open: a closed source's
    reasons say no), then the others; a route with no rows by source, its summary's own (the
    Roth IRA's)."""
    rows = [r for r in a["routes"] + [s for s in a["route_summary"] if "reasons" in s]
            if r["route"] == summary["route"]]
    rows.sort(key=lambda r: bool(r.get("eligible", summary["eligible"])) != summary["eligible"])
    out: dict[str, dict] = {}
    for row in rows:
        for r in row["reasons"]:
            out.setdefault(r["code"], r)
    return list(out.values())


def reason_html(r: dict, count_assumed: bool = False) -> str:
    """A route's reason with its citation; the loan count's (LN_COUNT), where the plan's count
    was not given (``count_assumed``), the words that say what was assumed instead (app.js
    routeWhy): the plan document was not read, the case's default was."""
    e = html.escape
    if r["code"] == "LN_COUNT" and count_assumed:
        return f"<span data-assumed='{LOAN_COUNT_FIELD}'>{e(plain_fields(LOAN_COUNT_WORDS))}</span>"
    return f"{e(plain_fields(r['text']))} <span class='cite'>[{e(r['citation'])}]</span>"


def _routes_html(a: dict, count_assumed: bool = False) -> str:
    """The ways out now, by their names, each with its first two reasons (an open route's from
    its open sources first: :func:`route_reasons`; the loan count's, where assumed, in the words
    of :func:`reason_html`), then the route's terms, and what it can pay now, as the terminal
    says them (a hardship's need plus the tax on it, Treas. Reg. §1.401(k)-1(d)(3)(iii)(A); a
    loan's payment: commands/assess.py)."""
    # The terminal's cells, so that both doors say the same (tests/api/test_web_assess_terms.py).
    from dist401k.commands.assess import _available_cell as available_cell
    from dist401k.commands.assess import _route_terms as route_terms
    e = html.escape
    parts = ["<h2>Ways out now</h2><table><tr><th>route</th><th>open</th><th>available</th>"
             "<th style='text-align:left'>why</th></tr>"]
    for s in a["route_summary"]:
        why = "; ".join(reason_html(r, count_assumed) for r in route_reasons(a, s)[:2])
        parts.append(f"<tr class='{'' if s['eligible'] else 'no'}'><td>{e(route_label(s['route']))}"
                     f"</td><td>{'yes' if s['eligible'] else 'no'}</td><td>"
                     f"{e(available_cell(s))}</td>"
                     f"<td style='text-align:left'>{why}{e(route_terms(s))}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


#: The field that gives the plan's limit on loans at once (IRC §72(p) sets none: the plan does).
LOAN_COUNT_FIELD = "plan.loans.max_count"
#: What the answer took where the case does not give the plan's loan count (the page's words,
#: app.js LOAN_COUNT_WORDS, with the case's field for its label).
LOAN_COUNT_WORDS = ("The plan's limit on loans at once was not given, so the answer takes it that "
                    "the plan allows only the loan you already owe: no new loan. If your plan "
                    f"allows more loans at once, give it as {LOAN_COUNT_FIELD}; your plan's loan "
                    "policy or summary plan description says.")
LOAN_COUNT_NOTE = {"code": "LOAN_COUNT_ASSUMED", "field": LOAN_COUNT_FIELD, "text": LOAN_COUNT_WORDS}


def loan_count_assumed(a: dict, case: Case | None) -> bool:
    """Whether the answer's "you already have as many loans as the plan allows" (LN_COUNT) rests
    on the case's default count and not on the plan: a loan is owed, the plan's limit on loans
    at once (``plan.loans.max_count``) was not given, and the loan is closed for it — as the page
    decides it (app.js loanCountAssumed), from the case as given (its fields set)."""
    if case is None or case.account.loans.outstanding <= 0 \
            or "max_count" in case.plan.loans.model_fields_set:
        return False
    rows = a["routes"] + [s for s in a["route_summary"] if "reasons" in s]
    return any(r["code"] == "LN_COUNT" for row in rows if row["route"] == "loan"
               for r in row["reasons"])


def nothing_paid_lines(cmp: dict) -> list[str]:
    """Why nothing can be paid for the request, in the page's words (app.js noOutcomeLines; the
    terminal's commands/assess.py no_outcome_lines): no way out open; or those open cannot pay
    it to the destination asked for, with their reasons that name the destination (those the
    report's head does not already give: :func:`closes_destination`)."""
    a = cmp["assessment"]
    open_ = [s["route"] for s in a["route_summary"] if s["eligible"]]
    if not open_:
        return ["Nothing can be paid now: no way out is open for this request (the table above "
                "says why for each)."]
    e = html.escape
    lines = [f"Nothing can be paid now: the way{'s' if len(open_) > 1 else ''} out open "
             f"({e(', '.join(route_label(r) for r in open_))}) cannot pay it to the destination "
             "asked for."]
    seen = {n["code"] for n in cmp.get("notes", []) if "citation" in n and closes_destination(n)}
    for r in (r for row in a["routes"] if row["route"] in open_ for r in row["reasons"]):
        if DESTINATION_FIELD in r["text"] and r["code"] not in seen:
            seen.add(r["code"])
            lines.append(f"{e(plain_fields(r['text']))} <span class='cite'>[{e(r['citation'])}]</span>")
    return lines


def nothing_paid_html(cmp: dict) -> str:
    """Under the ways out, where the request has no outcome, why nothing can be paid."""
    if cmp["assessment"]["outcomes"]:
        return ""
    return "<div class='no-outcome'>" + "".join(f"<p>{x}</p>" for x in nothing_paid_lines(cmp)) + "</div>"


#: Where no option pays anything (app.js NOTHING_TO_COMPARE): words, not a table of zeros.
NOTHING_TO_COMPARE = "Nothing can be paid now, so there is nothing to compare: the money stays in the plan."


def nothing_to_compare(cmp: dict) -> bool:
    """Whether no option pays anything now: only "leave it in the plan", paying nothing and
    comparing no money (commands/compare.py _pays_nothing; app.js showComparison)."""
    from dist401k.commands.compare import _pays_nothing as pays_nothing

    return all(pays_nothing(o) and o["gross"] < HALF_CENT for o in cmp["options"])


def rules_cited(a: dict) -> list[tuple[str, str]]:
    """Every rule behind the answers as (text, citation), each pair once — two texts of one
    citation both kept —, by citation, then text."""
    pairs = {(r["text"], r["citation"]) for row in a["routes"] + a["outcomes"]
             for r in row["reasons"]}
    return sorted(pairs, key=lambda x: (x[1], x[0]))


def _traps_and_rules_html(cmp: dict, prepared: date, count_assumed: bool = False) -> list[str]:
    """The traps, the assumptions and every rule cited (the loan count's only where the plan's
    count was given, ``count_assumed`` false, as the page), then the date, the law (enacted
    through which year, the tax year's projected), its version and the routes checked."""
    a, e = cmp["assessment"], html.escape
    parts = ["<h2>Traps</h2>"]
    if not cmp["traps"]:
        parts.append("<p>None of the traps dist401k checks applies to this case.</p>")
    for t in cmp["traps"]:
        parts.append(f"<div class='trap'><b>{e(t['title'])}</b><br>{e(plain_fields(t['text']))} "
                     f"<span class='cite'>[{e(t['citation'])}]</span></div>")
    parts.append(_assumptions_html(cmp))
    parts.append("<h2>The rules behind the answers</h2><ul>")
    count_text = next((r["text"] for row in a["routes"] for r in row["reasons"]
                       if r["code"] == "LN_COUNT"), None) if count_assumed else None
    for text, cite in rules_cited(a):
        if text == count_text:
            continue
        parts.append(f"<li><span class='cite'>{e(cite)}</span>: {e(plain_fields(text))}</li>")
    projected = f"; tax year {a['tax_year']} on projected law" if a["projected"] else ""
    parts.append(f"</ul><p class='cite'>Prepared on {date_words(prepared)} by dist401k "
                 f"{e(__version__)}; "
                 f"{law_words(_enacted_through(a), projected)} (law version "
                 f"{e(a['law_version'])}). Routes checked: "
                 f"{', '.join(route_label(r) for r in ROUTES)}.</p>")
    return parts


#: A table's opening tag and its first row (after its caption, if any): its header row.
_FIRST_ROW = re.compile(r"(<table[^>]*>(?:<caption>.*?</caption>)?)(<tr[^>]*>.*?</tr>)", re.S)


def head_rows(part: str) -> str:
    """Each table's first row (its header) in a ``<thead>``, which a browser repeats at the
    top of each printed page the table runs onto (CSS 2.1 §17.2, table-header-group)."""
    return _FIRST_ROW.sub(r"\1<thead>\2</thead>", part)


def wrap_tables(part: str) -> str:
    """Each table of ``part`` in a box that scrolls sideways, so that on a narrow screen the
    table scrolls and the page does not (WCAG 2.2 1.4.10, reflow); the box takes the
    keyboard's focus so that it can be scrolled without a mouse.  Its header row in a
    ``<thead>`` (:func:`head_rows`)."""
    return (head_rows(part).replace("<table", "<div class='tablewrap' tabindex='0'><table")
            .replace("</table>", "</table></div>"))


def render_html(cmp: dict, printed: bool = False, prepared: date | None = None,
                case: Case | None = None) -> str:
    """The report page; ``printed`` for the PDF (no chart toolbar, the charts' data open);
    ``prepared``: its date (:func:`prepared_on`); ``case``: the case compared, which says
    which of its figures were given (:func:`loan_count_assumed`).  Where nothing can be paid,
    words in place of the options' table and charts (:func:`nothing_to_compare`)."""
    day = prepared_on(prepared)
    count = loan_count_assumed(cmp["assessment"], case)
    nothing = nothing_to_compare(cmp)
    parts = [page_head(f"dist401k report {cmp['case_id'] or ''}")]
    body = _situation_html(cmp, day, count)
    body += [_routes_html(cmp["assessment"], count), nothing_paid_html(cmp)]
    body.append(f"<p class='no-options'>{NOTHING_TO_COMPARE}</p>" if nothing else options_html(cmp))
    body += [forms_html(cmp), form_5329_html(cmp), form_8606_html(cmp),
             form_8606_part_iii_html(cmp), loan_failure_html(cmp), deadlines_html(cmp)]
    parts += [wrap_tables(p) for p in body]
    parts += [] if nothing else charts_html(cmp, printed)  # their data tables in their boxes
    parts += [wrap_tables(p) for p in _traps_and_rules_html(cmp, day, count)]
    parts.append("</body></html>")
    return "".join(parts)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def write_owner_only(output: Path, write: Callable[[Path], object]) -> Path:
    """Write ``output`` through ``write(path)`` as every output is written
    (io/outputs.atomic_output): to a new file beside it, created exclusively under a random
    name with mode 0600 (io/outputs.exclusive_temporary), renamed to ``output`` only once
    complete, so the file is its owner's alone and a failed write leaves any earlier file
    whole and no partial one behind.  The mode is set again before the rename, in case the
    writer (a PDF printer) replaced the file instead of writing into it."""
    partial = exclusive_temporary(output)
    try:
        write(partial)
        os.chmod(partial, 0o600)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def _print_pdf(browser: str, page: str, pdf: Path) -> None:
    """Print ``page`` to ``pdf`` with headless Chromium."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
                        f"--print-to-pdf={pdf.resolve()}", "--no-pdf-header-footer",
                        src.as_uri()], check=True, capture_output=True, timeout=120)


def write_page(render: Callable[[bool], str], output: Path, what: str = "the report") -> Path:
    """Write the page ``render(printed)`` makes as ``output``: .html, or .pdf (printed by
    headless Chromium), readable by its owner only (mode 0600) and renamed into place once
    complete (:func:`write_owner_only`); ``what`` names the report in the error of another
    suffix."""
    output = Path(output)
    if output.suffix.lower() not in (".html", ".pdf"):
        raise ValueError(f"{output.name}: {what} is .html or .pdf")
    page = render(output.suffix.lower() == ".pdf")
    browser = chromium()
    if output.suffix.lower() == ".html":
        return write_owner_only(output, lambda p: p.write_text(page, encoding="utf-8"))
    if browser is None:
        raise RuntimeError("a PDF needs Chromium (Debian package 'chromium'); write .html "
                           "and print it instead")
    return write_owner_only(output, lambda p: _print_pdf(browser, page, p))


def write_report(cmp: dict, output: Path, prepared: date | None = None,
                 case: Case | None = None) -> Path:
    """Write the report ``output`` as .html or .pdf (:func:`write_page`); ``case``, the case
    compared (:func:`render_html`)."""
    return write_page(lambda printed: render_html(cmp, printed, prepared, case), output)
