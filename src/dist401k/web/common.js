"use strict";
/* What the two pages (app.js, plan.js) share: fields named by their JSON path, messages next to
   the field they are about (err-<path>), the POST that turns a 422 into field messages. */
const $ = (s) => document.querySelector(s);
/* Whole dollars, half away from zero, as money.dollars_text (Form 1040 instructions, "Rounding
   off to whole dollars"): 1708.5 → "1,709", -0.5 → "-1", never "-0" (Math.round rounds halves
   up, toward +∞: -0.5 → -0). The 1e-9 is money._NUDGE: a half written in decimal whose float
   lies just below it. */
const money = (x) => (Math.sign(x) * Math.floor(Math.abs(x) + 0.5 + 1e-9) + 0).toLocaleString("en-US");

function setPath(obj, path, value) {
  const keys = path.split(".");
  let node = obj;
  for (const k of keys.slice(0, -1)) node = node[k] = node[k] || {};
  node[keys[keys.length - 1]] = value;
}

/* The field a message (err-<path>) is about: the one whose id is the path, or else the control
   beside the message in its .field (the account's sources: src.<source> ↔ account.sources.…). */
function fieldOf(err) {
  const field = document.getElementById(err.id.slice(4));
  if (field && field.matches("input, select, textarea")) return field;
  const box = err.closest(".field");
  return box ? box.querySelector("input, select, textarea") : null;
}

/* Each message goes with its field for assistive technology: aria-invalid, and the message
   added to the field's aria-describedby while it is shown; both taken away with it. */
/* Each field's help is its accessible description (WCAG 2.2 SC 1.3.1, 3.3.2; WAI ARIA1): the help
   span gets an id, its field points to it; markField adds and removes only the error's id. */
function linkHelp(root = document) {
  for (const f of root.querySelectorAll(".field")) {
    const help = f.querySelector(":scope > .help");
    const control = f.querySelector("input[id], select[id], textarea[id]");
    if (!help || !control) continue;
    help.id = help.id || "help-" + control.id;
    const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x);
    if (!ids.includes(help.id)) control.setAttribute("aria-describedby", [help.id, ...ids].join(" "));
  }
}
// In a page only (the tests read common.js's functions outside one, where there is no document).
if (typeof document !== "undefined") document.addEventListener("DOMContentLoaded", () => linkHelp());

function markField(err, on) {
  const field = err.id.startsWith("err-") && err.id !== "err-form" ? fieldOf(err) : null;
  if (!field) return;
  const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== err.id);
  if (on) ids.push(err.id);
  if (ids.length) field.setAttribute("aria-describedby", ids.join(" ")); else field.removeAttribute("aria-describedby");
  if (on) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
  // The alert names its field (WCAG 2.2 SC 3.3.1): several at once are not the same words said
  // again. The name is read before the message, not shown (page.css .err[data-field]::before),
  // so the message's own text is unchanged.
  if (on && fieldName(field)) err.dataset.field = fieldName(field); else delete err.dataset.field;
}

/* A field's name as its label says it (a checkbox's label: its words), or its group's legend
   where it has none; a label the page gives twice (each person's "Date of birth", each row's
   "Year") led by its group's legend: "Your spouse, Date of birth". */
function fieldName(field) {
  const words = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const group = words(field.closest("fieldset") && field.closest("fieldset").querySelector(":scope > legend"));
  const own = words(field.labels && field.labels[0]) || field.getAttribute("aria-label") || "";
  if (!own) return group;
  const twice = [...document.querySelectorAll("label")].filter((l) => words(l) === own).length > 1;
  return twice && group ? `${group}, ${own}` : own;
}

function clearErrors() {
  document.querySelectorAll(".err").forEach((e) => { markField(e, false); e.textContent = ""; });
}

function showError(path, msg) {
  let el = document.getElementById("err-" + path);
  const parts = path.split(".");
  while (!el && parts.length > 1) { parts.pop(); el = document.getElementById("err-" + parts.join(".")); }
  (el || $("#err-form")).textContent = (el ? "" : path + ": ") + msg;
  if (!el) return;
  markField(el, true);
  const group = el.closest("details");  // a message in a collapsed group: the group opened to show it
  if (group) group.open = true;
}

/* A number as people write it in a number field (type="text" inputmode="decimal", data-number):
   blanks around it, a dollar sign, commas between groups of three digits, a sign, a scale
   k (thousand) or m (million), either case — "$1,200,000", "1,200,000", "70k", "1.2M",
   " 5000 ", "-5" —, and in a percent field (data-percent) a % sign: "4%" is 4 there, as "4".
   {value} (null for a blank), or {error}: the entry named ("Not a number: 70x."), never a
   silent drop. The scale moves the decimal point in the text (1.1m is 1100000 exactly). */
const NUMBER_TEXT = /^([+-]?)\s*\$?\s*([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*([km%]?)$/i;
const NUMBER_SCALE = {k: 3, m: 6};
function readNumber(text, percent = false) {
  const t = String(text).trim();
  if (t === "") return {value: null};
  const shown = t.length > 30 ? t.slice(0, 30) + "…" : t;
  const m = NUMBER_TEXT.exec(t);
  if (m && m[5] === "%" && !percent) return {error: `Not a number: ${shown} (a percent is not asked here).`};
  const scale = m ? NUMBER_SCALE[m[5].toLowerCase()] || 0 : 0;
  const sign = m ? m[1] + m[2] : "";  // one sign, before or after the $
  const value = m && sign.length < 2 ? Number(`${sign}${m[3].replace(/,/g, "")}e${Number(m[4] || 0) + scale}`) : NaN;
  return Number.isFinite(value) ? {value: value + 0} : {error: `Not a number: ${shown}` + (shown.endsWith(".") ? "" : ".")};
}
/* An age as people write it in an age field (data-years-months): a number of years with
   months as twelfths ("67.5") as readNumber reads it, or years and months — "67y 6m",
   "67 years 6 months", "67 and 6 months", "67 years and 6 months", "67 y" — read as the exact
   fraction (67 + 6/12 = 67.5), months from 0 to 11. {value} (null for a blank), or {error}. */
const YEARS_MONTHS_TEXT = /^(\d+)(?:\s*(?:y|yrs?|years?)\.?\s*(?:,|and|&)?|\s*(?:,|and|&)|\s)\s*(\d+)\s*(?:m|mos?|months?)\.?$/i;
const AGE_DECIMAL_TEXT = /^$|^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const YEARS_TEXT = /^(\d+)\s*(?:y|yrs?|years?)\.?$/i;
const MONTHS_IN_YEAR = 12;
function readYearsMonths(text) {
  const t = String(text).trim();
  const m = YEARS_MONTHS_TEXT.exec(t) || YEARS_TEXT.exec(t);
  if (!m) {  // a decimal age; no scale (an "m" here would be months, never a million)
    const n = AGE_DECIMAL_TEXT.test(t) ? readNumber(t) : {error: true};
    return n.error ? {error: `Not an age: ${t.length > 30 ? t.slice(0, 30) + "…" : t} (years and months: 67y 6m, or 67.5).`} : n;
  }
  const months = m[2] === undefined ? 0 : Number(m[2]);
  if (months >= MONTHS_IN_YEAR) return {error: `${months} months: give 0 to 11 months (67y 6m), or years alone.`};
  return {value: Number(m[1]) + months / MONTHS_IN_YEAR};
}
/* An age taken to the nearest month, a half month up (as the server takes a claiming age:
   planner/social_security_benefit.py claim_month), in years. */
const nearestMonth = (v) => Math.round(v * MONTHS_IN_YEAR) / MONTHS_IN_YEAR;
/* A number field's entry read (readNumber; an age field's by readYearsMonths): the field's own
   text, or `text` (its default). */
const readField = (el, text = el.value) => (el.dataset.yearsMonths !== undefined
  ? readYearsMonths(text) : readNumber(text, el.dataset.percent !== undefined));
/* The value of a number field already checked (localCheck): null when blank. */
const numberValue = (el, text = el.value) => readField(el, text).value ?? null;

/* The browser's own checks, before anything is sent: required fields, numbers that can be
   read, their bounds, whole numbers; `pathOf` names the field a message goes to, `extra` adds
   a page's own check. */
function localCheck(form, pathOf = (el) => el.name, extra = () => null) {
  let ok = true;
  for (const el of form.elements) {
    if (!el.name || el.type === "checkbox" || el.type === "radio" || el.disabled) continue;
    const problem = fieldProblem(el, extra);
    if (problem) { showError(pathOf(el), problem); ok = false; }
  }
  return ok;
}

/* What is wrong with one field's entry, or null. */
function fieldProblem(el, extra) {
  // An impossible entry (February 30, typed part by part) reads as empty: said, not dropped.
  if (el.validity && el.validity.badInput) return el.type === "date" ? "That date does not exist." : "That is not a number.";
  const number = el.dataset.number !== undefined ? readField(el) : null;
  if (number && number.error) return number.error;
  if (el.required && (number ? number.value === null : !el.value)) return "Please fill this in.";
  const problem = extra(el);
  if (problem) return problem;
  if (!number || number.value === null) return null;
  // An age field is bounded on the month it is taken to (70.03 is 70 and 0 months).
  return boundsProblem(el, el.dataset.yearsMonths !== undefined ? nearestMonth(number.value) : number.value);
}

/* A number outside the field's min and max, or not whole where its step is 1. */
function boundsProblem(el, v) {
  const lo = el.min === "" ? null : Number(el.min);
  const hi = el.max === "" ? null : Number(el.max);
  if (lo === 0 && v < 0) return "Must be 0 or more.";
  if (lo !== null && v < lo) return `Must be ${lo} or more.`;
  if (hi !== null && v > hi) return `Must be ${hi} or less` + (el.dataset.percent !== undefined ? " (a percent: 4 means 4%)." : ".");
  if (el.step === "1" && !Number.isInteger(v)) return "Must be a whole number.";
  return null;
}

/* A request to the API. A server started with DIST401K_API_TOKEN asks for it (401): the page
   asks the user once, keeps it for this tab only (sessionStorage) and sends it as a bearer
   token; a wrong one is asked again. */
async function apiFetch(path, init = {}) {
  for (let tries = 0; ; tries++) {
    const token = sessionStorage.getItem("dist401k-token");
    const headers = Object.assign({}, init.headers || {}, token ? {Authorization: "Bearer " + token} : {});
    const r = await fetch(path, Object.assign({}, init, {headers}));
    if (r.status !== 401 || tries >= 2) return r;
    const given = window.prompt("This server asks for its API token (the DIST401K_API_TOKEN it was started with):");
    if (!given) throw {message: "The server asks for its API token, and none was given"};
    sessionStorage.setItem("dist401k-token", given.trim());
  }
}

async function post(path, body) {
  const r = await apiFetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  if (r.status === 422) { const j = await r.json(); throw {fields: j.detail}; }
  if (!r.ok) throw {message: "The server answered " + r.status};
  return r;
}

function table(el, head, rows) {
  el.innerHTML = "<tr>" + head.map((h) => `<th scope="col">${h}</th>`).join("") + "</tr>" +
    rows.map((r) => `<tr class="${r.cls || ""}" ${r.attrs || ""}>` + r.cells.map((c) => `<td>${c}</td>`).join("") + "</tr>").join("");
}

/* The report of the answer shown, saved as `name`; where the server refuses or fails, what it
   said goes in the `status` element beside the button instead (never an error saved as the
   report). */
async function download(path, body, name, status) {
  const said = document.getElementById(status);
  said.textContent = "";
  try {
    const r = await post(path, body);
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement("a");
    a.href = url; a.download = name; a.click();
  } catch (e) {
    said.textContent = "The report could not be made: " + (e.fields
      ? e.fields.map((f) => `${(f.loc || []).slice(1).join(".") || "request"}: ${f.msg}`).join("; ")
      : e.message || "the server did not answer");
  }
}

/* Charts: the legend above the plot (under the title), never over the x-axis title below it;
   a horizontal bar chart tall enough for its legend and axis even with one bar, and each bar's
   slot tall enough for its label's `lines` (wrapped on a phone, 12 px type: 18 px a line). */
function chartLayout(title, layout) {
  return Object.assign({title: {text: title, y: 0.98, yanchor: "top"},
    legend: {orientation: "h", yanchor: "bottom", y: 1.02, x: 0, tracegroupgap: LEGEND_ROW_GAP}, margin: {t: 110}}, layout);
}
/* A legend item is a target (a tap hides or shows its series): at Plotly's sizes a one-line
   item is 19 px tall, and rows of them 19 px apart fail WCAG 2.2 SC 2.5.8 (a target 24 × 24 px,
   or spaced so that a 24 px circle centred on it meets no other target nor another's circle).
   So each series is a legend group of its own, and Plotly puts LEGEND_ROW_GAP px between the
   rows of groups (its tracegroupgap): a row's items are 19 + 6 = 25 px apart. The legend keeps
   the order Plotly gives it otherwise: reversed for stacked series (by legendrank, since
   Plotly reverses only within a group). */
const LEGEND_ROW_GAP = 6;
function ownLegendGroups(traces, layout) {
  const stacked = traces.some((t) => (t.type === "bar" && layout.barmode === "stack") || t.stackgroup ||
    ["tonextx", "tonexty"].includes(t.fill));
  return traces.map((t, i) => Object.assign({legendgroup: `series-${i}`},
    stacked ? {legendrank: 1000 + traces.length - i} : {}, t));
}
const barChartHeight = (bars, lines = 1) => Math.max(300, 200 + Math.max(44, 18 * lines) * bars);

/* The series' colours, in order, each at least 3:1 against the plot's background, white here
   and Plotly's #E5ECF6 in the reports (WCAG 2.2 1.4.11, non-text contrast), and a dash, a
   marker and a fill pattern for each series, so that colour is never the only cue (1.4.1).
   The reports draw with the same (chart_style.py PALETTE). */
const SERIES_COLORS = ["#1f77b4", "#c45100", "#2a7d2a", "#b2182b", "#6a3d9a", "#007c89", "#a3368f", "#5c5c5c"];
const SERIES_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];
const SERIES_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"];
const SERIES_PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"];

/* The traces, each given its series' colour and dash, marker or pattern — but for one whose
   chart gives its own colour (a fan's median) or draws no line (a fan's band edge). */
function styleSeries(traces) {
  let k = 0;
  return traces.map((t) => {
    const line = t.line || {}, marker = t.marker || {};
    if (line.width === 0 || line.color || marker.color) return t;
    const i = k++, color = SERIES_COLORS[i % SERIES_COLORS.length];
    const pick = (list) => list[i % list.length];
    if (t.type === "bar") {
      return Object.assign({}, t, {marker: Object.assign({}, marker, {color, pattern: {shape: pick(SERIES_PATTERNS)},
        line: {color: "#ffffff", width: 1}})});  // a bar's parts kept apart
    }
    const styled = Object.assign({}, t, {line: Object.assign({}, line, {color, dash: pick(SERIES_DASHES)})});
    if ((t.mode || "").includes("markers")) styled.marker = Object.assign({}, marker, {color, symbol: pick(SERIES_SYMBOLS)});
    if (t.stackgroup) styled.fillpattern = {shape: pick(SERIES_PATTERNS), fgcolor: color};
    return styled;
  });
}

/* A chart's data as a table right below it, in a <details> "Chart data", and the chart tied to
   it: an image (role="img") summed up by `summary`, described by the table's summary line
   (WCAG 2.2 1.1.1). `x` the first column's name and values (row headers), `columns` each
   series' name and values, `fmt` a cell's text. Hidden with its chart. */
function chartData(el, summary, caption, x, columns, fmt = money) {
  const box = typeof el === "string" ? document.getElementById(el) : el;
  const id = box.id + "-data";
  let det = document.getElementById(id);
  if (!det) {
    det = document.createElement("details");
    det.id = id;
    det.className = "chart-data";
    box.after(det);
  }
  const cell = (v) => (v === null || v === undefined || Number.isNaN(v) ? "—" : fmt(v));
  det.innerHTML = `<summary id="${id}-summary">Chart data: ${caption}</summary>` +
    `<div class="tablewrap" tabindex="0"><table id="${id}-table"><caption>${caption}</caption><tr>` +
    [x[0]].concat(columns.map((c) => c[0])).map((h) => `<th scope="col">${h}</th>`).join("") + "</tr>" +
    x[1].map((key, i) => `<tr><th scope="row">${key}</th>` + columns.map((c) => `<td>${cell(c[1][i])}</td>`).join("") + "</tr>").join("") +
    "</table></div>";
  det.hidden = box.hidden;
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", summary);
  box.setAttribute("aria-describedby", id + "-summary");
}
/* Each named trace as a column of chartData: its name and its values along the x axis. */
const traceColumns = (traces) => traces.filter((t) => t.name && t.showlegend !== false).map((t) => [t.name, t.y]);
const spanText = (v) => (v.length ? `${v[0]} to ${v[v.length - 1]}` : "none");

/* A chart narrower than this (a phone) is laid out for its width: see drawChart. */
const NARROW_CHART = 600;
const PLOTLY_FONT = '"Open Sans", verdana, arial, sans-serif';  // Plotly's own

/* The width of `text` in Plotly's font at `px`; the lines of `text` no wider than `width`. */
function textWidth(text, px) {
  const c = textWidth.canvas || (textWidth.canvas = document.createElement("canvas").getContext("2d"));
  c.font = `${px}px ${PLOTLY_FONT}`;
  return c.measureText(text).width;
}
function wrapText(text, px, width) {
  const lines = [];
  let line = "";
  for (const word of String(text).split(" ")) {
    const longer = line ? line + " " + word : word;
    if (line && textWidth(longer, px) > width) { lines.push(line); line = word; } else line = longer;
  }
  return lines.concat(line ? [line] : []);
}
const chartWidth = (el) => (typeof el === "string" ? document.getElementById(el) : el).clientWidth;
const isNarrow = (el) => chartWidth(el) < NARROW_CHART;

/* Draws a chart in the element `el` (or its id) as chartLayout lays it out. On a narrow
   screen: no toolbar (it covered the title and legend), the title wrapped to the width, small
   margins at the sides, and room above the plot for the title and the legend's rows, the plot
   kept as tall as on a wide screen. The chart is drawn again when its width later calls for
   another layout (see followWidth): by `again` where the traces themselves depend on the
   width (a label wrapped to it), else with the same traces. */
function drawChart(el, traces, title, layout = {}, again = null) {
  const box = typeof el === "string" ? document.getElementById(el) : el;
  const width = chartWidth(box);
  // Kept as given: Plotly writes into what it draws (an axis's range), a redraw starts clean.
  const kept = structuredClone({traces, layout});
  box.drawn = {width, again: again || (() => drawChart(box, kept.traces, title, kept.layout))};
  followWidth(box);
  return plotForWidth(box, traces, title, layout, width);
}

/* Plotly's own resizing (`responsive`) stretches a chart's layout, never changes it: a chart
   drawn wide and then narrowed to a phone kept its wide title and legend, one over the other.
   So each chart is watched, and drawn again (once its size has settled) when its width crosses
   NARROW_CHART, or changes while narrow (the title wrapped and the legend's rows counted for
   the width). A wide chart's width change is left to Plotly. A hidden chart (width 0) waits. */
const CHART_SETTLE_MS = 150;
function followWidth(box) {
  if (typeof ResizeObserver === "undefined") return;
  if (!followWidth.observer) {
    followWidth.observer = new ResizeObserver((entries) => entries.forEach((e) => redrawLater(e.target)));
  }
  followWidth.observer.observe(box);
}
function redrawLater(box) {
  clearTimeout(box.redrawTimer);
  box.redrawTimer = setTimeout(() => {
    if (!box.isConnected) { followWidth.observer.unobserve(box); return; }
    const d = box.drawn, width = chartWidth(box);
    if (!d || !width || width === d.width || (width >= NARROW_CHART && d.width >= NARROW_CHART)) return;
    d.again();
  }, CHART_SETTLE_MS);
}

/* The chart laid out for `width`: chartLayout's as it is on a wide screen, else a phone's. */
function plotForWidth(el, asGiven, title, layout, width) {
  const styled = ownLegendGroups(styleSeries(asGiven), layout);
  const wide = chartLayout(title, layout);
  // (The toolbar named: Plotly keeps a chart's config from its last drawing, a phone's none.)
  // (No Plotly logo: a link inside a chart that is an image (role="img") is nested interactive.)
  if (width >= NARROW_CHART) return Plotly.newPlot(el, styled, wide, {responsive: true, displayModeBar: "hover", displaylogo: false});
  const titlePx = 14, legendPx = 11;
  const lines = wrapText(title, titlePx, width - 24);
  const given = layout.margin || {};
  const margin = {l: given.l !== undefined ? given.l : 56, r: 16, b: given.b !== undefined ? given.b : 80};
  // The legend's room: the plot's width (a little less here: the axis labels may widen the
  // margin); each series' name wrapped to it, never cut off by the chart's edge.
  const room = 0.9 * (width - margin.l - margin.r);
  const traces = styled.map((t) => (t.showlegend === false || !t.name ? t
    : Object.assign({}, t, {name: wrapText(t.name, legendPx, room - LEGEND_ITEM_EXTRA).join("<br>")})));
  const legend = legendHeight(traces.filter((t) => t.showlegend !== false && t.name).map((t) => t.name), legendPx, room);
  const height = layout.height || 450;
  const plotHeight = height - (given.t !== undefined ? given.t : 110) - margin.b;
  const top = (h) => Math.ceil(0.02 * h + lines.length * titlePx * 1.3 + 10 + 0.02 * plotHeight + legend + 12);
  margin.t = top(height);
  margin.t = top(plotHeight + margin.t + margin.b);  // the title's place is a share of the height
  const tall = plotHeight + margin.t + margin.b;
  // Plotly lifts a title of several lines by about 0.7 em, out of the top once the chart is
  // short: set lower by as much, its first line stays where a one-line title's is.
  const lift = lines.length > 1 ? 0.75 * titlePx : 0;
  return Plotly.newPlot(el, traces, Object.assign({}, wide, {
    title: Object.assign({}, wide.title, {text: lines.join("<br>"), font: {size: titlePx}, y: wide.title.y - lift / tall}),
    legend: Object.assign({}, wide.legend, {font: {size: legendPx}}),
    margin, height: tall,
    yaxis: Object.assign({automargin: true}, layout.yaxis)}), {responsive: true, displayModeBar: false});
}

/* A legend item's width past its text: the symbol (itemwidth 30) and the gaps around it. */
const LEGEND_ITEM_EXTRA = 45;
/* The height of a legend of `names` (lines split by <br>) in `px` type, laid out as Plotly lays
   out items each a group of its own (ownLegendGroups): side by side while they fit in `room`,
   then a new row; a row as tall as its tallest item (its lines × 1.3 em, at least 16 px, + 3),
   LEGEND_ROW_GAP px between rows (Plotly's legend/draw.js, computeLegendDimensions). */
function legendHeight(names, px, room) {
  let x = 0, row = 0, total = 0;
  for (const name of names) {
    const lines = String(name).split("<br>");
    const w = Math.max(...lines.map((l) => textWidth(l, px))) + LEGEND_ITEM_EXTRA;
    if (x > 0 && x + w > room) { total += row + LEGEND_ROW_GAP; x = 0; row = 0; }
    x += w;
    row = Math.max(row, Math.max(lines.length * px * 1.3, 16) + 3);
  }
  return total + row;
}

/* A new answer is asked for: the one shown is of the form as it was, so it is marked out of
   date (dimmed, aria-busy) and its download turned off until the new one comes; `stale(false)`
   when it has come, or has failed and the old one is hidden. */
function stale(on, sections, download) {
  for (const s of sections) {
    const el = document.getElementById(s);
    el.classList.toggle("stale", on);
    if (on) el.setAttribute("aria-busy", "true"); else el.removeAttribute("aria-busy");
  }
  if (on) document.getElementById(download).disabled = true;
}

/* Keyboard and screen-reader users are taken to what changed: the answer's first heading once
   it is shown, or the first field with a message. */
function focusResults() {
  const h = document.querySelector("section[id$='results']:not([hidden]) h2");
  if (h) { h.tabIndex = -1; h.focus(); }
}

function focusFirstError() {
  const err = [...document.querySelectorAll(".err")].find((e) => e.textContent);
  if (!err) return;
  const field = fieldOf(err);
  if (field && !field.disabled && field.offsetParent) { field.focus(); return; }
  err.tabIndex = -1;
  err.focus();
}

/* The law's figures the texts quote (GET /law, from the parameter files): an element with
   data-law="name" shows the figure, data-law-min / data-law-max set a number field's bounds.
   Where the call fails the text reads on without the figure and the page still works. */
const LAW = {};
const LAW_YEAR = new Date().getFullYear();

/* A figure as people write it: an age 59.5 as "59½", a rate 0.85 as "85%"; a table of ages
   by birth (key: year × 100 + month) as the ages still ahead of someone alive today
   ("73 or 75"), or every age of the table when `all` ("70½, 72, 73 or 75"). */
function lawFigure(f, all = false) {
  const age = (v) => (v % 1 === 0.5 ? `${Math.floor(v)}½` : String(v));
  if (f.value !== null && typeof f.value === "object") {
    // An age is still ahead for the cohort born from its key to the next key, if the last
    // of them reaches it this year or later.
    const rows = Object.entries(f.value).filter(([, v], i, e) =>
      all || i === e.length - 1 || Math.floor(Number(e[i + 1][0]) / 100) - 1 + v >= LAW_YEAR);
    const ages = [...new Set(rows.map(([, v]) => age(v)))];
    return ages.length > 1 ? ages.slice(0, -1).join(", ") + " or " + ages[ages.length - 1] : ages.join("");
  }
  // A rate to the hundredth of a point (16.75%), dollars with thousands separators ($1,000).
  if (f.unit === "rate") return `${Math.round(f.value * 10000) / 100}%`;
  if (f.unit === "USD" && typeof f.value === "number") return f.value.toLocaleString("en-US");
  return f.unit === "age" ? age(f.value) : String(f.value);
}

/* Writes the figures already fetched into `root`'s marked elements. */
function applyLaw(root = document) {
  root.querySelectorAll("[data-law]").forEach((el) => {
    const f = LAW[el.dataset.law];
    if (f) el.textContent = lawFigure(f, el.dataset.lawTable === "all");
  });
  for (const side of ["min", "max"]) {
    root.querySelectorAll(`[data-law-${side}]`).forEach((el) => {
      const f = LAW[el.dataset[side === "min" ? "lawMin" : "lawMax"]];
      if (f && typeof f.value === "number") el[side] = f.value;
    });
  }
}

/* One figure as text ("" where the law could not be fetched). */
function lawText(name) { return LAW[name] ? lawFigure(LAW[name]) : ""; }

/* Fetches the figures of `names` not fetched yet (their labels name the law's tables and
   rates in words); where the call fails, they stay unknown. */
async function loadMoreLaw(names) {
  const missing = [...new Set(names)].filter((n) => !LAW[n]);
  if (!missing.length) return;
  try {
    const r = await apiFetch("/law?names=" + encodeURIComponent(missing.join(",")));
    if (r.ok) Object.assign(LAW, (await r.json()).figures);
  } catch (e) { /* unknown: named by their keys */ }
}

/* Fetches the figures the page names (its marked elements and `more`), once, then fills them. */
async function loadLaw(more = []) {
  const names = new Set(more);
  document.querySelectorAll("[data-law],[data-law-min],[data-law-max]").forEach((el) =>
    [el.dataset.law, el.dataset.lawMin, el.dataset.lawMax].forEach((n) => n && names.add(n)));
  try {
    const r = await apiFetch("/law?names=" + encodeURIComponent([...names].join(",")));
    if (r.ok) Object.assign(LAW, (await r.json()).figures);
  } catch (e) { /* no figures: the texts read on without them */ }
  applyLaw();
}
