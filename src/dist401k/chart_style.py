"""How the reports' charts are told apart and read without seeing them (WCAG 2.2 AA).

* Every series gets a colour of :data:`PALETTE`, each at least 3:1 against the plot's
  background — white, and Plotly's default #E5ECF6 — (success criterion 1.4.11, non-text
  contrast), and a dash, a marker or a fill pattern of its own, so colour is never the only
  cue (1.4.1, use of color).  The web pages use the same palette (web/common.js SERIES_STYLE).
* Every chart carries its data as a table right below it, in a ``<details>`` "Chart data",
  and is tied to it: the chart is ``role="img"`` with an ``aria-label`` summing it up and an
  ``aria-describedby`` naming the table (1.1.1, non-text content).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go

#: The series' colours, in order; each ≥ 3:1 against white and #E5ECF6 (tests/compare/
#: test_chart_access.py works the ratios out by the WCAG 2.2 formula).
PALETTE = ("#1f77b4", "#c45100", "#2a7d2a", "#b2182b", "#6a3d9a", "#007c89", "#a3368f",
           "#5c5c5c")
#: A line's dash, a marker's symbol, a bar's or an area's fill pattern, series by series.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")


def _band_edge(trace: Any) -> bool:
    """A fan chart's band edge (an undrawn line that only bounds a filled band)."""
    return trace.line is not None and trace.line.width == 0


def style_series(fig: go.Figure) -> go.Figure:
    """Gives each series of ``fig`` its colour and its dash, marker or pattern (in place)."""
    k = 0
    for t in fig.data:
        if t.type == "scatter" and _band_edge(t):
            continue  # styled by style_fan
        color = PALETTE[k % len(PALETTE)]
        if t.type == "bar":
            t.marker.color = color
            t.marker.pattern.shape = PATTERNS[k % len(PATTERNS)]
            t.marker.line = {"color": "#ffffff", "width": 1}  # a bar's parts kept apart
        else:
            t.line.color = color
            t.line.dash = DASHES[k % len(DASHES)]
            if "markers" in (t.mode or ""):
                t.marker.symbol = SYMBOLS[k % len(SYMBOLS)]
                t.marker.color = color
            if t.stackgroup:
                t.fillpattern = {"shape": PATTERNS[k % len(PATTERNS)] or "", "fgcolor": color}
        k += 1
    return fig


def style_fan(fig: go.Figure) -> go.Figure:
    """A fan chart (planner/risk.fan_chart): its band edges drawn as lines — the 5th and 95th
    percentiles dotted, the 25th and 75th dashed, the median solid — in the palette's first
    colour, so the bands are read by their edges and not by the pale fill alone."""
    for t in fig.data:
        if _band_edge(t):
            outer = any(p in (t.name or "") for p in ("5th percentile", "5th–95th"))
            inner = "25th" in (t.name or "")
            t.line = {"width": 1, "color": PALETTE[0], "dash": "dash" if inner else
                      "dot" if outer else "solid"}
        elif t.name == "median":
            t.line.color = PALETTE[0]
    return fig


def figure_columns(fig: go.Figure) -> tuple[list, list[tuple[str, list]]]:
    """The values along a chart's category axis and each named series' values along it: x and
    y of a line chart, y and x of a horizontal bar chart."""
    traces = [t for t in fig.data if t.name]
    if not traces:
        return [], []
    across = traces[0].orientation == "h"
    keys = [list(t.y if across else t.x) for t in traces]
    return keys[0], [(t.name, list(t.x if across else t.y)) for t in traces]


def data_table(table_id: str, caption: str, x_name: str, x: Sequence,
               columns: Sequence[tuple[str, Sequence]], fmt: Callable[[Any], str],
               opened: bool = False) -> str:
    """A chart's data as a table: a row for each x value (a row header), a column a series;
    its header row a ``<thead>`` (repeated on each printed page).  ``opened``: shown, not
    folded — a printed report (the PDF) shows the values behind its charts."""
    e = html.escape
    head = f"<th scope='col'>{e(x_name)}</th>" + "".join(f"<th scope='col'>{e(n)}</th>"
                                                        for n, _ in columns)
    rows = "".join(f"<tr><th scope='row'>{e(str(key))}</th>"
                   + "".join(f"<td>{fmt(v[i])}</td>" for _, v in columns) + "</tr>"
                   for i, key in enumerate(x))
    return (f"<details class='chart-data'{' open' if opened else ''}><summary "
            f"id='{table_id}-summary'>Chart data: {e(caption)}</summary><div class='tablewrap' "
            f"tabindex='0'><table id='{table_id}'><caption>{e(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></details>")


#: A chart's top margin (pixels) once its title is above it in the page (:func:`chart_block`),
#: where the figure leaves Plotly's default (100, room for a title it no longer draws).
UNTITLED_TOP = 30


def untitled(fig: go.Figure) -> tuple[str, go.Figure]:
    """A chart's title, and a copy of it that Plotly draws without: a legend above the plot
    that wraps to a line an entry at a printed page's width grows up into the top margin,
    where Plotly's title sat on its first entry."""
    title = fig.layout.title.text or ""
    bare = go.Figure(fig)
    bare.update_layout(title_text="")
    if bare.layout.margin.t is None:
        bare.update_layout(margin_t=UNTITLED_TOP)
    return title, bare


def chart_block(fig: go.Figure, chart_id: str, summary: str, table: str,
                config: dict | None = None) -> str:
    """The chart inline (no Plotly script: the page's head has it), as an image summed up by
    ``summary`` and described by its data table (``table``, from :func:`data_table`); its
    title a line of the page above the plot (:func:`untitled`)."""
    title, bare = untitled(fig)
    # Its own id, not a random one: the same report twice is the same file.
    plot = bare.to_html(full_html=False, include_plotlyjs=False, config=config or {},
                        div_id=f"{chart_id}-plot")
    table_id = table.split("<table id='", 1)[1].split("'", 1)[0]
    head = f"<div class='chart-title'>{html.escape(title)}</div>" if title else ""
    return (f"<div class='chart' id='{chart_id}' role='img' aria-label='{html.escape(summary)}'"
            f" aria-describedby='{table_id}-summary'>{head}{plot}</div>{table}")


def span(values: Sequence) -> str:
    """The first and last of a chart's x values, "58 to 90"."""
    return f"{values[0]} to {values[-1]}" if len(values) else "none"
