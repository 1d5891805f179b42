"""The drawdown plan's report: the comparison, the year-by-year table and the charts (Plotly,
inline — the page needs nothing from the internet)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from dist401k import __version__
from dist401k.chart_style import chart_block, data_table, figure_columns, span, style_fan, style_series
from dist401k.law import default_law
from dist401k.money import dollars_text
from dist401k.planner.claiming import (
    CHOICES,
    NOTHING_SEARCHED,
    STATE_FIGURE,
    ages_text,
    figure_text,
    shown_figures,
)
from dist401k.planner.claiming import state_tax_text as claiming_state_tax_text
from dist401k.planner.earnings_test import earnings_test_text
from dist401k.planner.irmaa_appeal import irmaa_appeal_text
from dist401k.planner.longevity import horizon_text
from dist401k.planner.plan import (
    PROJECTED_MARK,
    PlanResult,
    alive_text,
    best_key,
    fan_alive,
    fan_minimum,
    inflows_text,
    living_ages_text,
    need_unpaid_words,
    plan_json,
    projected_law_text,
    spending_plan_text,
    state_tax_cell,
    state_tax_text,
    table_plan_words,
    unpaid_text,
)
from dist401k.planner.risk import fan_chart, success_rate_se
from dist401k.planner.sampling import historical_note, se_words
from dist401k.planner.social_security_benefit import claim_month
from dist401k.report import (
    date_words,
    law_words,
    page_head,
    prepared_html,
    prepared_on,
    wrap_tables,
    write_page,
)

ACCOUNTS = (("pretax_balance", "Pre-tax (401(k), 403(b), 457(b), IRA)"),
            ("roth_balance", "Roth"), ("taxable_balance", "Brokerage"), ("cash_balance", "Cash"))


def balances_chart(plan: PlanResult, key: str = "optimal") -> go.Figure:
    """Balances by account at the start of each year (nominal), one strategy."""
    o = next(s for s in plan.strategies if s.key == key)
    years = plan.timeline.years
    fig = go.Figure()
    for col, name in ACCOUNTS:
        fig.add_trace(go.Scatter(x=years, y=o.result[col][0], name=name, stackgroup="one",
                                 mode="lines"))
    fig.update_layout(title=f"Balances by account — {o.label}", yaxis_title="dollars of each year",
                      legend={"orientation": "h", "y": -0.2}, height=420)
    return style_series(fig)


def tax_chart(plan: PlanResult) -> go.Figure:
    """Federal income tax (with the 72(t) tax) and IRMAA by year, each strategy."""
    years = plan.timeline.years
    fig = go.Figure()
    for o in plan.strategies:
        fig.add_trace(go.Scatter(x=years, y=o.result["income_tax"][0] + o.result["irmaa"][0],
                                 name=o.label, mode="lines+markers"))
    fig.update_layout(title="Tax and IRMAA by year", yaxis_title="dollars of each year", height=420,
                      legend={"orientation": "h", "y": -0.2})
    return style_series(fig)


def survival_chart(j: dict, names: list[str]) -> go.Figure:
    """The probability that each person, both and either are alive on January 1 of each
    year (SSA's death probabilities by sex and year of birth), and where the plan ends."""
    lv = j["longevity"]
    fig = go.Figure()
    for name, alive in zip(names, lv["alive"], strict=True):
        fig.add_trace(go.Scatter(x=lv["years"], y=alive, name=f"{name} alive", mode="lines"))
    for key, name in (("both_alive", "both alive"), ("either_alive", "either alive")):
        if key in lv:
            fig.add_trace(go.Scatter(x=lv["years"], y=lv[key], name=name, mode="lines",
                                     line={"dash": "dot"}))
    fig.add_vline(x=j["years"][1], line={"color": "gray", "dash": "dash"},
                  annotation_text="plan ends")
    fig.update_layout(title="Probability of being alive", yaxis_title="probability",
                      yaxis={"range": [0, 1], "tickformat": ".0%"}, height=420,
                      legend={"orientation": "h", "y": -0.2})
    return style_series(fig)


def _horizon_html(end: int, horizon: dict | None, names: list[str], lv: dict) -> str:
    """Where the plan ends, in the terminal's words (:func:`horizon_text`), the names escaped,
    with each person's last year of the plan and age then (``horizon.ages``: of a couple, the
    one likelier to live longer reaches the plan's end, the other only their own horizon year,
    as the year table shows them, "—" after it); each one's year is the age plus the year of
    birth, read off the longevity table (``years`` less ``ages``)."""
    e = [html.escape(n) for n in names]
    text = horizon_text(end, horizon, e)
    if not horizon:
        return text
    born = [lv["years"][0] - a[0] for a in lv["ages"]]
    last = [f"{n}'s years end at {age} in {b + age}" if i == 0 else f"{n}'s at {age} in {b + age}"
            for i, (n, age, b) in enumerate(zip(e, horizon["ages"], born, strict=True))]
    return text[:-1] + f" ({', '.join(last)})."


def _longevity_html(j: dict, names: list[str]) -> str:
    """How long the money must last: life expectancies, the plan's end, and who is alive
    every fifth year; nothing where the case gives no sex."""
    if "longevity" not in j:
        return ""
    from dist401k.planner.longevity import alive_percent, shown_years

    lv = j["longevity"]
    e = html.escape
    couple = "either_alive" in lv
    head = "".join(f"<th>{e(n)} alive</th>" for n in names) + (
        "<th>both</th><th>either</th>" if couple else "")
    rows = "".join(
        f"<tr><td>{lv['years'][k]}</td><td>{'/'.join(str(a[k]) for a in lv['ages'])}</td>"
        + "".join(f"<td>{alive_percent(a[k])}</td>" for a in lv["alive"])
        + ("".join(f"<td>{alive_percent(lv[c][k])}</td>" for c in ("both_alive",
                                                                   "either_alive"))
           if couple else "") + "</tr>"
        for k in shown_years(lv, also=(j["years"][1],)))
    expect = "; ".join(f"{e(n)} {x:.1f} more years" for n, x in zip(names, lv["life_expectancy"],
                                                                     strict=True))
    end = _horizon_html(j["years"][1], lv["horizon"], names, lv)
    random = (" In the Monte Carlo each path draws each person's year of death from the same "
              "table; a strategy succeeds on a path when it is never short while "
              f"{e(alive_text(names))}, and the path ends at the last death."
              if lv["lifetimes"] == "random" else "")
    return ("<h2>How long the money must last</h2>"
            f"<p>Life expectancy: {expect}. {end}{random}</p>"
            f"<table><tr><th>year</th><th>ages</th>{head}</tr>{rows}</table>"
            f"<p class='cite'>{e(lv['source'])}; read along each person's year of birth "
            "(a cohort reading of the projected tables); lifetimes independent.</p>")


def _mc_years(plan: PlanResult, mc: dict) -> np.ndarray:
    """The years a Monte Carlo's paths cover: the plan's, or with random lifetimes its own."""
    if mc.get("lifetimes") == "random":
        return np.arange(mc["years"][0], mc["years"][1] + 1)
    return plan.timeline.years


def render_plan_html(plan: PlanResult, printed: bool = False, prepared: date | None = None) -> str:
    """The plan as one HTML page: the strategies side by side, each optional section, the
    charts, the optimum year by year and how it is figured; ``printed`` for the PDF (the
    charts' data open), ``prepared`` its date (report.prepared_on)."""
    j = plan_json(plan)
    e = html.escape
    hh = plan.household
    day = prepared_on(prepared)
    parts = [page_head(f"dist401k plan {hh.id or ''}")]
    parts.append(f"<h1>Drawing it down: {e(str(hh.id or 'your plan'))}</h1>")
    parts.append(prepared_html(day))
    goal = ("the most constant after-tax spending" if j["objective"] == "max_spending"
            else "the largest after-tax estate")
    parts.append(f"<p>{j['years'][0]}–{j['years'][1]}; objective: {goal}"
                 f"; inflation {plan.inflation:.2%}; amounts in today's dollars unless marked "
                 f"nominal.</p>")
    parts += [_strategies_html(plan, j), _spending_html(j), _assumptions_html(plan, j)]
    if (received := inflows_text(j)) is not None:
        parts.append(f"<h2>Money received</h2><p>{e(received)} The year-by-year table shows "
                     "it, in each year's dollars, as <em>received</em>.</p>")
    names = [p.name or f"person {i + 1}" for i, p in enumerate(hh.people)]
    parts += [_confidence_html(j), _guardrails_html(j), _charity_html(j), _marketplace_html(j),
              _claiming_html(j), _longevity_html(j, names)]
    if (withheld := earnings_test_text(j, names)) is not None:
        parts.append(f"<p>{e(withheld)}</p>")
    if (appeal := irmaa_appeal_text(j, names)) is not None:
        parts.append(f"<p>{e(appeal)}</p>")
    parts += [f"<p>{e(note)}</p>" for note in j.get("state", {}).get("notes", [])
              + j.get("assumptions", [])]
    parts = parts[:1] + [wrap_tables(p) for p in parts[1:]]  # (not Plotly's script)
    parts += [_chart_html(chart_id, fig, what, printed) for chart_id, fig, what in
              _plan_figures(plan, j, names)]
    parts.append(f"<section class='wide'>{wrap_tables(_year_table_html(j))}</section>")
    parts.append(f"<section class='wide'>{wrap_tables(_whose_table_html(j, names))}</section>")
    parts.append(_METHOD_HTML)
    parts.append(f"<p class='cite'>Prepared on {date_words(day)} by dist401k {e(__version__)}; "
                 f"{_law_text(plan, j)} (law version {e(plan.law_version)}).</p></body></html>")
    return "".join(parts)


#: The Monte Carlo models in docs/plan.md's words (``monte_carlo.model``).
MC_MODELS = {"bootstrap": "bootstrap of historical years", "lognormal": "lognormal with the "
             "historical moments", "historical": "historical start years"}


def percent_text(share: float) -> str:
    """A share as the plan file gives it, in percent, with no trailing zeros: 0.3 is "30%",
    0.025 "2.5%"."""
    return f"{round(share * 100, 6):g}%"


def _market_words(hh) -> str:
    """The fixed returns, the share in stocks, the fees and the inflation (``market``)."""
    m = hh.market
    fee = (f"investment fees {percent_text(m.fee)} a year, taken from the pre-tax, Roth and "
           "brokerage money's return" if m.fee else "no investment fees")
    return (f"Returns (fixed, a year): stocks {percent_text(m.stocks)}, bonds "
            f"{percent_text(m.bonds)}, cash {percent_text(m.cash)}; {percent_text(m.stock_share)} "
            f"in stocks; {fee}.")


def _strategy_words(hh) -> str:
    """What the strategies were given (``strategy``): the heirs' tax rate behind the estate
    after tax, the bracket the fill strategy fills and the systematic rate."""
    s = hh.strategy
    cap = ("" if s.max_conversion is None
           else f"; conversions capped at {dollars_text(s.max_conversion)} a year")
    conversions = cap if s.roth_conversions else "; no Roth conversions"
    return (f"Heirs' tax on pre-tax money left: {percent_text(s.heirs_rate)} (the estate after tax "
            f"takes it off); fill bracket: {percent_text(s.fill_bracket)}; systematic withdrawals "
            f"{percent_text(s.systematic_rate)} a year{conversions}.")


def _monte_carlo_words(hh, j: dict) -> str:
    """The Monte Carlo run: its paths (as run: ``--paths`` may change the case's), model and
    seed; none where the plan ran none."""
    mc = next((s["monte_carlo"] for s in j["strategies"] if s["monte_carlo"]), None)
    if mc is None:
        return "Monte Carlo: none run (the fixed returns only)."
    return (f"Monte Carlo: {mc['paths']:,} market paths, {MC_MODELS.get(mc['model'], mc['model'])}, "
            f"seed {hh.monte_carlo.seed}.")


def _lifetime_words(hh, names: list[str]) -> str:
    """How long each person lives: to the fixed ages, or the plan ends at a survival
    percentile, and whether the Monte Carlo draws each year of death."""
    if hh.horizon is not None:
        end = (f"the plan ends at the {percent_text(hh.horizon.survival)} survival percentile "
               "(horizon.survival)")
    else:
        end = "each lives to the age given: " + ", ".join(f"{n} {p.life_expectancy}" for n, p in
                                           zip(names, hh.people, strict=True))
    random = ("random on the Monte Carlo paths: each path draws each person's year of death from "
              "SSA's death probabilities" if hh.monte_carlo.lifetimes == "random" else "fixed")
    return f"Lifetimes: {random}; {end}."


def _claiming_words(hh, j: dict, names: list[str]) -> str | None:
    """The Social Security claiming ages: searched with the drawdown (the best found), or
    each person's fixed ``claim_age`` (blank: full retirement age); none where no one has a
    benefit."""
    if "claiming" in j and not j["claiming"]["compared"]:  # every claim made before the start
        kept = [f"{n} {ages_text([a])}" for n, a in zip(names, j["claiming"]["kept"], strict=True)
                if a is not None]
        return (f"Social Security claiming ages: not searched, every claim made before the plan's "
                f"start and kept: {', '.join(kept)}.")
    if "claiming" in j:
        best = next(r for r in j["claiming"]["compared"] if r["choice"] == "best")
        return (f"Social Security claiming ages: searched with the drawdown; best found "
                f"{ages_text(best['claim_ages'])}.")
    if not any(p.social_security.monthly_at_full_age for p in hh.people):
        return None  # (a spouse with no record of their own may still claim a spouse's benefit)
    fixed = [f"{n} {_claim_age_text(p.social_security.claim_age)}"
             for n, p in zip(names, hh.people, strict=True)]
    return (f"Social Security claiming ages (fixed): {', '.join(fixed)}; each rounded to the "
            "nearest month, the month the benefit is figured from (20 CFR 404.311).")


def _claim_age_text(age: float | None) -> str:
    """A case's claiming age as given ("67", "62.5"), with the month it is rounded to where it
    is not a whole month ("67.04 (67 y 0 m)": :func:`claim_month`, 20 CFR 404.311), or full
    retirement age where blank."""
    if age is None:
        return "full retirement age"
    whole = abs(claim_month(age) - age) < 1e-9
    return f"{age:g}" if whole else f"{age:g} ({ages_text([age])})"


def _state_words(j: dict) -> str:
    """The state of residence, the move, and the years whose figures are flagged unconfirmed
    in the state's law files (the JSON's ``state.unconfirmed_years``)."""
    st = j.get("state")
    if not st:
        return "State: none given — federal tax only."
    move = "" if not st.get("move") else f", moving to {st['move']['state']} in {st['move']['year']}"
    years = st.get("unconfirmed_years") or []
    flagged = ("" if not years else f"; the state figures of {', '.join(map(str, years))} are "
               "flagged unconfirmed in its law files")
    return f"State: {st['state']}{move}{flagged}."


def plan_assumptions(plan: PlanResult, j: dict) -> list[str]:
    """What the plan assumed, each read from its household and answer (docs/plan.md's fields):
    the market, the strategies' settings, the Monte Carlo, lifetimes, claiming ages, the state
    and what is projected — for the report's Assumptions section and the terminal."""
    hh = plan.household
    names = [p.name or f"person {i + 1}" for i, p in enumerate(hh.people)]
    projected = (f"; the law from {j['projected_from']} on is projected, marked {PROJECTED_MARK}"
                 if j["years"][1] >= j["projected_from"] else "")
    return [_market_words(hh), _strategy_words(hh), _monte_carlo_words(hh, j),
            _lifetime_words(hh, names),
            *filter(None, [_claiming_words(hh, j, names)]), _state_words(j),
            f"Projected: each year from {j['years'][0]} to {j['years'][1]} on the fixed returns, "
            f"prices rising {plan.inflation:.2%} a year{projected}."]


def _assumptions_html(plan: PlanResult, j: dict) -> str:
    """The report's Assumptions section, as the assess report's (report._assumptions_html)."""
    items = "".join(f"<li>{html.escape(a)}</li>" for a in plan_assumptions(plan, j))
    return f"<h2>Assumptions</h2><ul>{items}</ul>"


def _law_text(plan: PlanResult, j: dict) -> str:
    """The law the plan was figured on, in words: enacted through which year, and the years
    after it projected (each marked in the year-by-year table)."""
    enacted = (plan.law or default_law()).enacted_through
    projected = (f"; the years from {enacted + 1} on projected law, marked {PROJECTED_MARK}"
                 if j["years"][1] > enacted else "")
    return law_words(enacted, projected)


def _strategies_html(plan: PlanResult, j: dict) -> str:
    """The strategies side by side, the best fixed strategy for the objective marked
    (:func:`~dist401k.planner.plan.best_key`); under max_estate a strategy that leaves the need
    unpaid says so in its row and is not marked."""
    e = html.escape
    state = "state" in j  # its income tax over the plan beside the federal lifetime tax
    parts = ["<h2>The strategies side by side</h2><table><tr><th>strategy</th>"
             "<th>spending a year (today's $)</th><th>lifetime tax (today's $)</th>"
             + ("<th>state tax (today's $)</th>" if state else "") +
             "<th>IRMAA (nominal)</th><th>Roth conversions (nominal)</th>"
             "<th>estate after tax (today's $)</th>"
             "<th>Monte Carlo success</th></tr>"]
    # the terminal's star (under max_estate, never a strategy that leaves the need unpaid)
    best = best_key(j)
    for o, s in zip(plan.strategies, j["strategies"], strict=True):
        mc = o.monte_carlo
        label = o.label + need_unpaid_words(s, j["objective"])
        parts.append(f"<tr class='{'best' if o.key == best else ''}'><td>{e(label)}</td>"
                     f"<td>{dollars_text(o.spending_real)}</td><td>{dollars_text(o.lifetime_tax_real)}</td>"
                     + (f"<td>{state_tax_cell(o.state_tax_real)}</td>" if state else "") +
                     f"<td>{dollars_text(o.irmaa)}</td><td>{dollars_text(o.conversions)}</td>"
                     f"<td>{dollars_text(o.estate_real)}</td><td>"
                     f"{_pct(mc)}</td></tr>")
    parts.append("</table><p>Lifetime tax: federal income tax and the 10% additional tax over "
                 "the plan" + ("; state tax: the income tax of each year's state of residence "
                               "over the plan" if state else "") + ".</p>")
    # what a strategy leaves unpaid of what it itself is to pay, as under the terminal's table
    for said in filter(None, (unpaid_text(j), state_tax_text(j))):
        parts.append(f"<p>{e(said)}</p>")
    opt = next((o for o in plan.strategies if o.key == "optimal"), None)
    if opt is not None and opt.monte_carlo.get("spending_real", opt.spending_real) < \
            opt.spending_real:
        parts.append(f"<p>The optimum's Monte Carlo success: on random markets it keeps its "
                     f"Roth conversions and draws the spending in the conventional order, "
                     f"tested at {dollars_text(opt.monte_carlo['spending_real'])} a year — the "
                     f"most that policy sustains on the fixed returns (the optimiser's own plan "
                     f"pays {dollars_text(opt.spending_real)}); every other strategy at what it "
                     f"pays above.</p>")
    parts.append(_sampling_html(j))
    return "".join(parts)


def _sampling_html(j: dict) -> str:
    """What the ± beside a success rate means (its binomial standard error on the paths run,
    :func:`dist401k.planner.risk.success_rate_se`), and for the historical model how many
    paths it ran and why (the terminal's note); nothing without a Monte Carlo."""
    mc = next((s["monte_carlo"] for s in j["strategies"] if s["monte_carlo"]), None)
    if mc is None:
        return ""
    note = historical_note(j)
    return (f"<p>Each success rate is the share of {mc['paths']:,} market paths on which the "
            f"strategy pays its spending every year; {html.escape(se_words(mc))}.</p>"
            + ("" if note is None else f"<p>{html.escape(note)}</p>"))


#: A fan chart's series (planner/risk.fan_chart's trace names) as its data table names
#: them, in the table's order.
FAN_COLUMNS = {"5th percentile": "5th percentile", "25th percentile": "25th percentile",
               "median": "median", "25th–75th percentile": "75th percentile",
               "5th–95th percentile": "95th percentile"}


def _shown(fmt):
    """``fmt`` for a table cell, "—" where the chart has no value (a path that has ended)."""
    return lambda v: "—" if v is None or v != v else fmt(v)


def _chart_html(chart_id: str, fig: go.Figure, what: str, printed: bool = False) -> str:
    """A chart of the plan with its data as a table below it (WCAG 2.2 1.1.1): a row a year,
    a column a series — a fan chart's its percentiles; ``printed``: the table open."""
    x, columns = figure_columns(fig)
    if what == "fan":
        by = dict(columns)
        columns = [(shown, by[name]) for name, shown in FAN_COLUMNS.items()]
        style_fan(fig)
    from dist401k.planner.longevity import alive_percent

    fmt = _shown(alive_percent if what == "probability" else dollars_text)
    title = fig.layout.title.text or ""
    keys = [str(int(v)) if float(v).is_integer() else str(v) for v in x]
    kind = "Fan chart (percentiles over the simulated markets)" if what == "fan" else "Line chart"
    summary = (f"{kind}: {title}, {', '.join(n for n, _ in columns)}, {span(keys)}; its data "
               "are in the table below it.")
    table = data_table(f"{chart_id}-data", f"{title} ({what})", "year", keys, columns, fmt,
                       opened=printed)
    return chart_block(fig, chart_id, summary, table)


def _plan_figures(plan: PlanResult, j: dict, names: list[str]) -> list:
    """The charts, each as (its id, the figure, what its values are): balances, tax,
    survival where lifetimes are random, the optimum's Monte Carlo balance fan and each
    spending rule's spending fan."""
    figs = [("chart-balances", balances_chart(plan), "dollars"),
            ("chart-tax", tax_chart(plan), "dollars")]
    if "longevity" in j:
        figs.append(("chart-survival", survival_chart(j, names), "probability"))
    opt = next((o for o in plan.strategies if o.key == "optimal"), None)
    if opt is not None and opt.monte_carlo:
        mc = opt.monte_carlo
        title = (f"Total balance, today's dollars — optimum, {mc['paths']:,} {mc['model']} "
                 f"paths (success {_pct(mc)})")
        random = mc.get("lifetimes") == "random"
        # Random lifetimes: each path ends at its last death — the spread of those going.
        figs.append(("chart-fan", _fan(_mc_years(plan, mc), mc["balance_paths"],
                                       title + (", random lifetimes" if random else ""),
                                       "dollars", random), "fan"))
    for o in plan.strategies:
        mc = o.monte_carlo
        if o.rule is not None and mc:
            figs.append((f"chart-spending-{o.key}", _fan(
                _mc_years(plan, mc), mc["spending_paths"],
                f"Spending, today's dollars — {o.label}, {mc['paths']:,} "
                f"{mc['model']} paths (success {_pct(mc)})",
                "dollars a year", mc.get("lifetimes") == "random"), "fan"))
    return figs


def _fan(years, paths, title: str, yaxis: str, random: bool) -> go.Figure:
    """A fan chart of ``paths``; with random lifetimes only in the years with enough paths
    still going (planner/plan.fan_alive: the JSON's ``paths_alive_minimum``), said in the
    title."""
    if not random:
        return fan_chart(years, paths, title, yaxis)
    a = np.asarray(paths, dtype=float)
    x = np.asarray(years).reshape(-1)
    _, shown = fan_alive(a)
    title += (f"; percentiles of the paths still going, shown while at least "
              f"{fan_minimum(a.shape[0]):,} are")
    # The percentiles of the years shown; the others' left empty (None: a gap in the lines).
    cols = shown if shown.any() else np.arange(x.size) == 0
    fig = fan_chart(x[cols], a[:, cols], title, yaxis, missing=True)
    for trace in fig.data:
        ys = iter(trace.y if shown.any() else [None])
        trace.x = [int(v) if float(v).is_integer() else float(v) for v in x]
        trace.y = [next(ys) if s else None for s in shown]
    return fig


def _spending_html(j: dict) -> str:
    """The spending planned beyond a constant one (the JSON's ``spending``): the changes of the
    base spending and the expenses planned on top of it, in words as the terminal prints them
    and as tables; the year-by-year table adds each year's ``need``.  Nothing where the
    spending is constant (docs/plan.md, "Spending that changes")."""
    sp = j.get("spending")
    if not sp:
        return ""
    e = html.escape
    parts = ["<h2>Spending planned</h2>", f"<p>{e(spending_plan_text(j) or '')} Each year's "
             "need — the spending level × the share of the last change × the survivor's share, "
             "and the expenses on top, in that year's dollars — is the column <em>need</em> of "
             "the year-by-year table.</p>"]
    if sp["changes"]:
        parts.append("<table><tr><th>from</th><th>age of the first person</th>"
                     "<th>share of the spending level</th></tr>" + "".join(
                         f"<tr><td>{c['from_year']}</td><td>{'' if c['from_age'] is None else c['from_age']}"
                         f"</td><td>{c['fraction']:.0%}</td></tr>" for c in sp["changes"])
                     + "</table>")
    if sp["expenses"]:
        parts.append("<table><tr><th>years</th><th>amount a year</th><th>in</th><th>what</th></tr>"
                     + "".join(_expense_row(x) for x in sp["expenses"]) + "</table>")
    return "".join(parts)


def _expense_row(x: dict) -> str:
    """One planned expense: its years, its amount a year and whether in today's dollars
    (grown with inflation) or nominal ones, its label."""
    years = str(x["year"]) if x["years"] == 1 else f"{x['year']}–{x['last_year']}"
    dollars = "today's dollars" if x["indexed"] else "nominal dollars"
    return (f"<tr><td>{years}</td><td>{dollars_text(x['amount'])}</td><td>{dollars}</td>"
            f"<td>{html.escape(x['label'] or '')}</td></tr>")


def _year_table_html(j: dict) -> str:
    """The optimum year by year, in nominal dollars; the other income and the year's need
    where the case has them (income: wages, pensions, Social Security and other income)."""
    other = any("other_income" in r for r in j["table"])
    need = any("need" in r for r in j["table"])
    got = any("inflows" in r for r in j["table"])
    parts = [f"<h2>Year by year — the optimum (nominal dollars){html.escape(table_plan_words(j))}</h2>"
             "<table><tr>"
             "<th>year</th><th>ages</th><th>income</th>"
             + ("<th>other income</th>" if other else "")
             + "<th>RMD</th><th>pre-tax out (gross)</th>"
             "<th>conversion</th><th>Roth out (gross)</th><th>brokerage + cash out (gross)</th>"
             "<th>taxable income</th>"
             "<th>tax</th>" + ("<th>state tax</th>" if "state" in j else "")
             + "<th>IRMAA</th><th>net cash after tax</th><th>spending</th><th>saved</th>"
             + ("<th>need</th>" if need else "")
             + ("<th>received</th>" if got else "")
             + "<th>bracket</th><th>binds</th><th>total balance</th></tr>"]
    for r in j["table"]:
        income = r["wages"] + r["pension"] + r["social_security"] + r.get("other_income", 0.0)
        total = r["pretax_balance"] + r["roth_balance"] + r["taxable_balance"] + r["cash_balance"]
        year = f"{r['year']}{PROJECTED_MARK if r.get('projected') else ''}"
        parts.append(f"<tr><td>{year}</td><td>{living_ages_text(r['ages'])}</td>"
                     f"<td>{dollars_text(income)}</td>"
                     + (f"<td>{dollars_text(r['other_income'])}</td>" if other else "")
                     + f"<td>{dollars_text(r['rmd'])}</td>"
                     f"<td>{dollars_text(r['pretax_withdrawal'])}</td><td>{dollars_text(r['conversion'])}</td>"
                     f"<td>{dollars_text(r['roth_withdrawal'])}</td>"
                     f"<td>{dollars_text(r['taxable_withdrawal'] + r['cash_withdrawal'])}</td>"
                     f"<td>{dollars_text(r['taxable_income'])}</td><td>{dollars_text(r['income_tax'])}</td>"
                     + (f"<td>{html.escape(r['state'])} {dollars_text(r['state_tax'])}</td>"
                        if "state_tax" in r else "") +
                     f"<td>{dollars_text(r['irmaa'])}</td><td>{dollars_text(r['net_cash'])}</td>"
                     f"<td>{dollars_text(r['spending'])}</td><td>{dollars_text(r['deposit'])}</td>"
                     + (f"<td>{dollars_text(r['need'])}</td>" if need else "")
                     + (f"<td>{dollars_text(r['inflows'])}</td>" if got else "")
                     + f"<td>{r['marginal_bracket']:.0%}</td>"
                     f"<td>{'RMD floor' if r.get('rmd_binds') else ''}</td>"
                     f"<td>{dollars_text(total)}</td></tr>")
    parts.append("</table><p class='note'>The withdrawals are gross, before the tax on them; "
                 "net cash after tax is the income and the withdrawals less the federal and "
                 "state tax, IRMAA and the marketplace premium net of its credit, and it is "
                 "what the year spent, saved (deposited in the brokerage account) and gave "
                 "from after-tax money.</p>")
    if (projected := projected_law_text(j)) is not None:
        parts.append(f"<p class='note'>{html.escape(projected)}</p>")
    return "".join(parts)


def whose_columns(j: dict, names: list[str]) -> list[tuple[str, str]]:
    """The year table's columns of whose money and which account, with their headers
    (planner/plan.py ``year_table``): the IRAs' part of the pre-tax withdrawal and of the
    conversion, and a couple's second person's part, their IRAs' part, and their own wages,
    pension and Social Security."""
    cols = [("ira_withdrawal", "pre-tax out: IRAs (the rest: plan accounts)"),
            ("ira_conversion", "conversion: IRAs (the rest: plan accounts)")]
    if j["table"] and "spouse_wages" in j["table"][0]:
        b = names[1] if len(names) > 1 else "person 2"
        cols += [("spouse_withdrawal", f"pre-tax out: {b}'s"),
                 ("spouse_ira_withdrawal", f"pre-tax out: {b}'s IRAs"),
                 ("spouse_conversion", f"conversion: {b}'s"),
                 ("spouse_ira_conversion", f"conversion: {b}'s IRAs"),
                 ("spouse_wages", f"{b}'s wages"), ("spouse_pension", f"{b}'s pension"),
                 ("spouse_social_security", f"{b}'s Social Security")]
    return cols


def _whose_table_html(j: dict, names: list[str]) -> str:
    """Whose money and which account, year by year (nominal dollars)."""
    e = html.escape
    cols = whose_columns(j, names)
    head = "".join(f"<th>{e(label)}</th>" for _, label in cols)
    rows = "".join(
        f"<tr><td>{r['year']}{PROJECTED_MARK if r.get('projected') else ''}</td>"
        + "".join(f"<td>{dollars_text(r[k])}</td>" for k, _ in cols) + "</tr>"
        for r in j["table"])
    return ("<h2>Whose money and which account, year by year (nominal dollars)</h2>"
            f"<table><tr><th>year</th>{head}</tr>{rows}</table>")


_METHOD_HTML = (
    "<h2>How it is figured</h2><ul>"
    "<li>Every year's federal income tax is that year's law (projected past the last "
    "enacted year by the assumed chained CPI): Social Security taxation (IRC §86), "
    "the brackets (§1(j)), qualified dividends and gains stacked on top (§1(h)), AMT "
    "(§55), NIIT (§1411), the 10% tax on early withdrawals (§72(t)).</li>"
    "<li>RMDs from the Uniform Lifetime Table, or the joint table for a spouse more "
    "than 10 years younger (Treas. Reg. §1.401(a)(9)-5, -9); applicable age by birth "
    "year (§401(a)(9)(C)(v)).</li>"
    "<li>Medicare IRMAA from the MAGI of two years before (42 U.S.C. §1395r(i)).</li>"
    "<li>Social Security by claiming age (42 U.S.C. §402(q), (w)); a spouse's benefit on "
    "the other's record while both live (§402(b), (c)); the survivor keeps the larger of "
    "their own and the widow's or widower's benefit (§402(e), (f)) and files single from "
    "the year after the death.</li>"
    "<li>At the first death of a couple the brokerage account takes its value then as basis: "
    "the decedent's half of a joint account, all of community property (IRC §1014, "
    "§2040(b)).</li>"
    "<li>The optimum: a linear programme (HiGHS) re-solved until its Social Security, "
    "gain-zone and IRMAA linearisations settle; every strategy is then priced by the "
    "exact tax engine — with the state income tax of each year's state of residence where "
    "the case names one.</li></ul>")


def _confidence_html(j: dict) -> str:
    """The most constant spending with the case's chosen success rate, beside the optimum's
    spending on the fixed returns; nothing where the case does not ask for it."""
    if "confidence" not in j:
        return ""
    c = j["confidence"]
    opt = c["optimum_success_rate"]
    return (f"<h2>Spending at {c['target']:.0%} confidence</h2><table><tr><th></th>"
            "<th>spending a year (today's $)</th><th>Monte Carlo success</th></tr>"
            f"<tr class='best'><td>the most with at least {c['target']:.0%} success</td>"
            f"<td>{dollars_text(c['spending_real'])}</td>"
            f"<td>{_confidence_rate(c)}</td></tr>"
            f"<tr><td>the optimum on the fixed returns</td>"
            f"<td>{dollars_text(c['optimum_spending_real'])}</td><td>—</td></tr>"
            f"<tr><td>the optimum on random markets (its conversions, the spending drawn in "
            f"the conventional order), at what it sustains on the fixed returns</td>"
            f"<td>{dollars_text(c.get('optimum_tested_spending_real', c['optimum_spending_real']))}"
            f"</td><td>{'—' if opt is None else _rate(opt, c['paths'], 1)}</td></tr></table>"
            f"<p>Success ± one standard error. Found by search over the same {c['paths']:,} market "
            "paths for every candidate, so the success of the spending found is measured on the "
            "paths it was chosen on: on new paths it may differ by about the standard error. "
            f"Each candidate is priced by the exact tax of every year, with {html.escape(c['strategy'])}; "
            f"{dollars_text(c['next_spending_real'])} a year succeeds on "
            f"{c['next_success_rate']:.1%}.</p>")


def _guardrails_html(j: dict) -> str:
    """The guardrail strategies over the market paths: their spending and how low it went."""
    rows = [s for s in j["strategies"] if "lowest_spending_percentiles" in s["monte_carlo"]]
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{html.escape(s['label'])}</td>"
        f"<td>{dollars_text(s['monte_carlo']['spending_percentiles']['p50'])}</td>"
        f"<td>{dollars_text(s['monte_carlo']['spending_percentiles']['p5'])}</td>"
        f"<td>{dollars_text(s['monte_carlo']['lowest_spending_percentiles']['p50'])}</td>"
        f"<td>{dollars_text(s['monte_carlo']['lowest_spending_percentiles']['p5'])}</td>"
        f"<td>{_pct(s['monte_carlo'])}</td></tr>" for s in rows)
    return ("<h2>Guardrails over the market paths</h2><p>A guardrail changes the spending on "
            "each path as the markets go: Guyton–Klinger (Guyton and Klinger, \u201cDecision "
            "Rules and Maximum Initial Withdrawal Rates\u201d, Journal of Financial Planning, "
            "March 2006) cuts it (by default 10%) when the withdrawal rate is more than (20%) "
            "above its first level (not in the last 15 years), raises it when as far below, "
            "and skips the "
            "inflation raise after a losing year; the risk-based guardrail cuts or raises it "
            "to keep the success of what is left in its band. Spending a year: the mean over "
            "the plan of each path, today's dollars; lowest year: each path's lowest.</p>"
            "<table><tr><th>strategy</th><th>spending a year, median</th><th>5th percentile"
            "</th><th>lowest year, median</th><th>5th percentile</th><th>success</th></tr>"
            + body + "</table>")


def _claiming_html(j: dict) -> str:
    """The Social Security claiming ages found with the drawdown, against full retirement age
    and the last age of delayed credit (42 U.S.C. §402(q), (w)); with a state, each row's state
    income tax over the plan beside its federal lifetime tax; nothing where not asked."""
    if "claiming" not in j:
        return ""
    c = j["claiming"]
    if not c["compared"]:  # every claim made before the plan's start: no rows, the claims kept
        return ("<h2>When to claim Social Security</h2>"
                + "".join(f"<p>{html.escape(n)}</p>" for n in [NOTHING_SEARCHED, *c.get("notes", [])]))
    figures = shown_figures(j)
    rows = "".join(
        f"<tr><td>{CHOICES[r['choice']]}</td><td>{ages_text(r['claim_ages'])}</td>"
        + "".join(f"<td>{figure_text(r, k)}</td>" for k in figures)
        + "</tr>" for r in c["compared"])
    return (f"<h2>When to claim Social Security</h2><p>{c['candidates']} claiming choices "
            "searched with the withdrawals and conversions (each its own optimum); the best, "
            "full retirement age and the last age of delayed credit priced by the exact tax on "
            "the case's returns. A benefit is reduced for each month it starts before full "
            "retirement age and raised by delayed credit for each month after it (42 U.S.C. "
            "§402(q), (w)); a spouse with a smaller record is paid the spouse's benefit "
            "while both live, and the survivor the larger of their own and the widow's or "
            "widower's benefit (§402(b), (c), (e), (f)).</p>"
            "<table><tr><th>claim at</th><th>ages</th>"
            "<th>spending a year (today's $)</th><th>lifetime tax (today's $)</th>"
            + ("<th>state tax (today's $)</th>" if STATE_FIGURE in figures else "")
            + "<th>IRMAA (nominal)</th><th>estate (today's $)</th></tr>" + rows + "</table>"
            + "".join(f"<p>{html.escape(n)}</p>" for n in
                      [*c.get("notes", []), *filter(None, [claiming_state_tax_text(c)])]))


def _strategy_rows(j: dict, section: str, figures: tuple[str, ...]) -> str:
    """One table row a strategy: its label, then its ``figures`` of ``j[section]``."""
    by = j[section]["strategies"]
    return "".join(f"<tr><td>{html.escape(s['label'])}</td>"
                   + "".join(f"<td>{dollars_text(by[s['key']][f])}</td>" for f in figures) + "</tr>"
                   for s in j["strategies"])


def _marketplace_html(j: dict) -> str:
    """The marketplace premiums and premium tax credits (IRC §36B) of each strategy, and the
    optimum's years of coverage; nothing where the case has no marketplace coverage."""
    if "marketplace" not in j:
        return ""
    rows = _strategy_rows(j, "marketplace", ("premiums", "premium_tax_credit"))
    years = "".join(f"<tr><td>{r['year']}</td><td>{dollars_text(r['household_income'])}</td>"
                    f"<td>{r['poverty_line_share']:.0%}"
                    f"{' (Medicaid or Basic Health Program)' if r.get('public_coverage') else ''}</td>"
                    f"<td>{dollars_text(r['marketplace_premium'])}</td>"
                    f"<td>{dollars_text(r['premium_tax_credit'])}</td>"
                    f"<td>{dollars_text(r['marketplace_premium'] - r['premium_tax_credit'])}</td></tr>"
                    for r in j["table"] if r["marketplace_premium"] > 0)
    return ("<h2>Health coverage before Medicare (nominal dollars)</h2><p>Marketplace coverage "
            "until each person's Medicare month. The premium tax credit is the benchmark "
            "(second-lowest-cost silver) premium less the household's required contribution, "
            "the applicable percentage of household income — AGI plus the Social Security left "
            "out of it (IRC §36B(b), (d)(2)). The table of percentages is that of each year's "
            "Rev. Proc. (Rev. Proc. 2025-25 for 2026); from 2026 the credit ends above 400% of "
            "the poverty line (§36B(c)(1)(A); the suspension of §36B(c)(1)(E) ended with 2025). "
            "After the last published table it is held, and the poverty line indexed: projected "
            "law. Roth conversions and withdrawals before Medicare raise household income and "
            "so lower the credit; the optimum counts the credit a dollar of income takes away, "
            "and keeps a year inside the credit's window (the poverty line to 400% of it) where "
            "that is worth more than the income moved. Where the state covers adults in its "
            "Medicaid (to 138% of the year's poverty guideline where it expanded Medicaid) or "
            "a Basic Health Program (to 200%), income within them allows no credit "
            "(§36B(c)(2)(B); 42 U.S.C. §18051(e)(2)): the window starts above them, and such "
            "a year is charged the full premium — or none where the case takes Medicaid and "
            "the year is within its adult group. The credit is taken as reconciled exactly on "
            "the return.</p>"
            "<table><tr><th>strategy</th><th>premiums</th><th>premium tax credit</th></tr>"
            + rows + "</table><h3>The optimum's years of coverage</h3><table><tr><th>year</th>"
            "<th>household income</th><th>share of the poverty line</th><th>premium</th>"
            "<th>credit</th><th>net cost</th></tr>"
            + years + "</table>")


def _charity_html(j: dict) -> str:
    """The gift paid by each strategy and the part qualified charitable distributions paid
    (IRC §408(d)(8)); nothing where the case gives nothing."""
    if "charity" not in j:
        return ""
    rows = _strategy_rows(j, "charity", ("given", "qcd"))
    return ("<h2>Charitable giving (nominal dollars, whole plan)</h2><p>A qualified charitable "
            "distribution goes straight from an IRA to the charity from 70½, up to the year's "
            "limit a person: it is left out of income (so out of AGI and the MAGI of IRMAA) "
            "and counts toward the RMD (IRC §408(d)(8); IRS Publication 590-B). A 401(k), "
            "403(b) or 457(b) cannot pay one: roll it to an IRA first. The rest of the gift "
            "comes from after-tax money, with no deduction (the standard deduction).</p>"
            "<table><tr><th>strategy</th><th>given</th><th>by QCD</th></tr>" + rows
            + "</table>")


def _confidence_rate(c: dict) -> str:
    """The success of the spending at a confidence, with its standard error — none on fewer
    paths than its target needs (planner/confidence.fewest_paths; the assumptions say why)."""
    from dist401k.planner.confidence import fewest_paths

    if c["paths"] < fewest_paths(c["target"]):
        return f"{c['success_rate']:.1%} of {c['paths']:,} paths (too few: see the assumptions)"
    return _rate(c["success_rate"], c["paths"], 1)


def _rate(rate: float, paths: int, digits: int = 0) -> str:
    """A Monte Carlo success rate with one binomial standard error in percentage points
    (:func:`dist401k.planner.risk.success_rate_se`): "72% ±1.4"."""
    return f"{rate:.{digits}%} ±{100 * success_rate_se(rate, paths):.1f}"


def _pct(mc: dict) -> str:
    return _rate(mc["success_rate"], mc["paths"]) if mc else "—"


def write_plan_report(plan: PlanResult, output: Path, prepared: date | None = None) -> Path:
    """Write the plan report as .html, or .pdf printed by headless Chromium, readable by its
    owner only (mode 0600) and renamed into place once complete, as the assess/compare
    report (report.write_page)."""
    return write_page(lambda printed: render_plan_html(plan, printed, prepared), output,
                      "the plan report")
