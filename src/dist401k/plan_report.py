"""The drawdown plan's report: the comparison, the year-by-year table and the charts (Plotly,
inline — the page needs nothing from the internet)."""

from __future__ import annotations

import html
from pathlib import Path

import plotly.graph_objects as go

from dist401k.money import dollars_text
from dist401k.planner.claiming import CHOICES, FIGURES, ages_text
from dist401k.planner.plan import PlanResult, plan_json
from dist401k.planner.risk import fan_chart
from dist401k.report import page_head

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
    fig.update_layout(title=f"Balances by account — {o.label}", yaxis_title="dollars",
                      legend={"orientation": "h", "y": -0.2}, height=420)
    return fig


def tax_chart(plan: PlanResult) -> go.Figure:
    """Federal income tax (with the 72(t) tax) and IRMAA by year, each strategy."""
    years = plan.timeline.years
    fig = go.Figure()
    for o in plan.strategies:
        fig.add_trace(go.Scatter(x=years, y=o.result["income_tax"][0] + o.result["irmaa"][0],
                                 name=o.label, mode="lines+markers"))
    fig.update_layout(title="Tax and IRMAA by year", yaxis_title="dollars", height=420,
                      legend={"orientation": "h", "y": -0.2})
    return fig


def render_plan_html(plan: PlanResult) -> str:
    j = plan_json(plan)
    e = html.escape
    hh = plan.household
    parts = [page_head(f"dist401k plan {hh.id or ''}")]
    parts.append(f"<h1>Drawing it down: {e(str(hh.id or 'your plan'))}</h1>")
    goal = ("the most constant after-tax spending" if j["objective"] == "max_spending"
            else "the largest after-tax estate")
    parts.append(f"<p>{j['years'][0]}–{j['years'][1]}; objective: {goal}"
                 f"; inflation {plan.inflation:.2%}; amounts in today's dollars unless marked "
                 f"nominal.</p>")
    parts.append("<h2>The strategies side by side</h2><table><tr><th>strategy</th>"
                 "<th>spending a year</th><th>lifetime tax (today's $)</th><th>IRMAA (nominal)</th>"
                 "<th>Roth conversions (nominal)</th><th>estate after tax</th>"
                 "<th>Monte Carlo success</th></tr>")
    best = max(plan.strategies, key=lambda o: o.spending_real if j["objective"] == "max_spending"
               else o.estate_real)
    for o in plan.strategies:
        mc = o.monte_carlo
        parts.append(f"<tr class='{'best' if o is best else ''}'><td>{e(o.label)}</td>"
                     f"<td>{dollars_text(o.spending_real)}</td><td>{dollars_text(o.lifetime_tax_real)}</td>"
                     f"<td>{dollars_text(o.irmaa)}</td><td>{dollars_text(o.conversions)}</td>"
                     f"<td>{dollars_text(o.estate_real)}</td><td>"
                     f"{_pct(mc)}</td></tr>")
    parts.append("</table>")
    parts.append(_charity_html(j))
    parts.append(_claiming_html(j))
    figs = [balances_chart(plan), tax_chart(plan)]
    opt = next((o for o in plan.strategies if o.key == "optimal"), None)
    if opt is not None and opt.monte_carlo:
        mc = opt.monte_carlo
        figs.append(fan_chart(plan.timeline.years, mc["balance_paths"],
                              f"Total balance, today's dollars — optimum, {mc['paths']:,} "
                              f"{mc['model']} paths (success {mc['success_rate']:.0%})",
                              "dollars"))
    for fig in figs:
        parts.append("<div class='chart'>" + fig.to_html(full_html=False, include_plotlyjs=False)
                     + "</div>")
    parts.append("<h2>Year by year — the optimum (nominal dollars)</h2><table><tr>"
                 "<th>year</th><th>ages</th><th>income</th><th>RMD</th><th>pre-tax out</th>"
                 "<th>conversion</th><th>Roth out</th><th>brokerage out</th><th>taxable income</th>"
                 "<th>tax</th><th>IRMAA</th><th>spending</th><th>bracket</th><th>binds</th>"
                 "<th>total balance</th></tr>")
    for r in j["table"]:
        income = r["wages"] + r["pension"] + r["social_security"]
        total = r["pretax_balance"] + r["roth_balance"] + r["taxable_balance"] + r["cash_balance"]
        parts.append(f"<tr><td>{r['year']}</td><td>{'/'.join(map(str, r['ages']))}</td>"
                     f"<td>{dollars_text(income)}</td><td>{dollars_text(r['rmd'])}</td>"
                     f"<td>{dollars_text(r['pretax_withdrawal'])}</td><td>{dollars_text(r['conversion'])}</td>"
                     f"<td>{dollars_text(r['roth_withdrawal'])}</td>"
                     f"<td>{dollars_text(r['taxable_withdrawal'])}</td>"
                     f"<td>{dollars_text(r['taxable_income'])}</td><td>{dollars_text(r['income_tax'])}</td>"
                     f"<td>{dollars_text(r['irmaa'])}</td><td>{dollars_text(r['spending'])}</td>"
                     f"<td>{r['marginal_bracket']:.0%}</td>"
                     f"<td>{'RMD floor' if r.get('rmd_binds') else ''}</td>"
                     f"<td>{dollars_text(total)}</td></tr>")
    parts.append("</table>")
    parts.append("<h2>How it is figured</h2><ul>"
                 "<li>Every year's federal income tax is that year's law (projected past the last "
                 "enacted year by the assumed chained CPI): Social Security taxation (IRC §86), "
                 "the brackets (§1(j)), qualified dividends and gains stacked on top (§1(h)), AMT "
                 "(§55), NIIT (§1411), the 10% tax on early withdrawals (§72(t)).</li>"
                 "<li>RMDs from the Uniform Lifetime Table, or the joint table for a spouse more "
                 "than 10 years younger (Treas. Reg. §1.401(a)(9)-5, -9); applicable age by birth "
                 "year (§401(a)(9)(C)(v)).</li>"
                 "<li>Medicare IRMAA from the MAGI of two years before (42 U.S.C. §1395r(i)).</li>"
                 "<li>Social Security by claiming age (42 U.S.C. §402(q), (w)); the survivor keeps "
                 "the larger benefit; the survivor files single from the year after the death.</li>"
                 "<li>The optimum: a linear programme (HiGHS) re-solved until its Social Security, "
                 "gain-zone and IRMAA linearisations settle; every strategy is then priced by the "
                 "exact tax engine. State tax is not modelled.</li></ul>")
    parts.append(f"<p class='cite'>dist401k; law version {e(plan.law_version)}.</p></body></html>")
    return "".join(parts)


def _claiming_html(j: dict) -> str:
    """The Social Security claiming ages found with the drawdown, against full retirement age
    and the last age of delayed credit (42 U.S.C. §402(q), (w)); nothing where not asked."""
    if "claiming" not in j:
        return ""
    c = j["claiming"]
    rows = "".join(
        f"<tr><td>{CHOICES[r['choice']]}</td><td>{ages_text(r['claim_ages'])}</td>"
        + "".join(f"<td>{dollars_text(r[k]) if r['plan'] else 'no plan'}</td>" for k in FIGURES)
        + "</tr>" for r in c["compared"])
    return (f"<h2>When to claim Social Security</h2><p>{c['candidates']} claiming choices "
            "searched with the withdrawals and conversions (each its own optimum); the best, "
            "full retirement age and the last age of delayed credit priced by the exact tax on "
            "the case's returns. A benefit is reduced for each month it starts before full "
            "retirement age and raised by delayed credit for each month after it (42 U.S.C. "
            "§402(q), (w)); the survivor keeps the larger benefit.</p>"
            "<table><tr><th>claim at</th><th>ages</th>"
            "<th>spending a year</th><th>lifetime tax (today's $)</th><th>IRMAA</th>"
            "<th>estate</th></tr>" + rows + "</table>")


def _charity_html(j: dict) -> str:
    """The gift paid by each strategy and the part qualified charitable distributions paid
    (IRC §408(d)(8)); nothing where the case gives nothing."""
    if "charity" not in j:
        return ""
    c = j["charity"]
    rows = "".join(f"<tr><td>{html.escape(s['label'])}</td>"
                   f"<td>{dollars_text(c['strategies'][s['key']]['given'])}</td>"
                   f"<td>{dollars_text(c['strategies'][s['key']]['qcd'])}</td></tr>"
                   for s in j["strategies"])
    return ("<h2>Charitable giving (nominal dollars, whole plan)</h2><p>A qualified charitable "
            "distribution goes straight from an IRA to the charity from 70½, up to the year's "
            "limit a person: it is left out of income (so out of AGI and the MAGI of IRMAA) "
            "and counts toward the RMD (IRC §408(d)(8); IRS Publication 590-B). A 401(k), "
            "403(b) or 457(b) cannot pay one: roll it to an IRA first. The rest of the gift "
            "comes from after-tax money, with no deduction (the standard deduction).</p>"
            "<table><tr><th>strategy</th><th>given</th><th>by QCD</th></tr>" + rows
            + "</table>")


def _pct(mc: dict) -> str:
    return f"{mc['success_rate']:.0%}" if mc else "—"


def write_plan_report(plan: PlanResult, output: Path) -> Path:
    output = Path(output)
    if output.suffix.lower() != ".html":
        raise ValueError(f"{output.name}: the plan report is .html")
    output.write_text(render_plan_html(plan), encoding="utf-8")
    return output
