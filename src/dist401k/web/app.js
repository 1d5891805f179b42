"use strict";
const $ = (s) => document.querySelector(s);
const money = (x) => Math.round(x).toLocaleString("en-US");
document.getElementById("request.date").value = new Date().toISOString().slice(0, 10);

function setPath(obj, path, value) {
  const keys = path.split(".");
  let node = obj;
  for (const k of keys.slice(0, -1)) node = node[k] = node[k] || {};
  node[keys[keys.length - 1]] = value;
}

function buildCase(form) {
  const c = {person: {}, employment: {}, income: {}, plan: {in_service: {}, hardship: {},
             loans: {}, secure2: {}}, account: {sources: {}}, request: {}};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.name.startsWith("src.") || el.name.startsWith("rule.")) continue;
    if (el.type === "checkbox") { setPath(c, el.name, el.checked); continue; }
    if (el.value === "") continue;
    setPath(c, el.name, el.dataset.number !== undefined ? Number(el.value) : el.value);
  }
  for (const s of ["elective_deferral", "roth_deferral", "match"]) {
    const v = Number(form.elements["src." + s].value || 0);
    if (v > 0 || v < 0) c.account.sources[s] = {balance: v};
  }
  if (c.account.sources.match) c.account.sources.match.vested = Number(form.elements["src.match_vested"].value) / 100;
  if (c.account.sources.roth_deferral) { c.account.sources.roth_deferral.contributions = 0; }
  if (form.elements["rule.deferral_at_59_half"].checked) {
    c.plan.in_service.elective_deferral = {allowed: true, min_age: 59.5};
    c.plan.in_service.roth_deferral = {allowed: true, min_age: 59.5};
  }
  if (!("amount" in c.request)) c.request.amount = "max";
  return c;
}

function clearErrors() { document.querySelectorAll(".err").forEach((e) => (e.textContent = "")); }

function showError(path, msg) {
  let el = document.getElementById("err-" + path);
  const parts = path.split(".");
  while (!el && parts.length > 1) { parts.pop(); el = document.getElementById("err-" + parts.join(".")); }
  (el || $("#err-form")).textContent = (el ? "" : path + ": ") + msg;
}

function localCheck(form) {
  let ok = true;
  for (const el of form.elements) {
    if (!el.name || el.type === "checkbox") continue;
    const id = el.name.startsWith("src.") ? null : el.name;
    if (el.required && !el.value) { showError(id, "Please fill this in."); ok = false; }
    if (el.dataset.number !== undefined && el.value !== "" && Number(el.value) < 0) {
      const path = el.name.startsWith("src.") ? "account.sources." + el.name.slice(4).replace("_vested", "") + (el.name.endsWith("_vested") ? ".vested" : ".balance") : el.name;
      showError(path, "Must be 0 or more."); ok = false;
    }
  }
  return ok;
}

async function post(path, body) {
  const r = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  if (r.status === 422) { const j = await r.json(); throw {fields: j.detail}; }
  if (!r.ok) throw {message: "The server answered " + r.status};
  return r;
}

function table(el, head, rows) {
  el.innerHTML = "<tr>" + head.map((h) => `<th>${h}</th>`).join("") + "</tr>" +
    rows.map((r) => `<tr class="${r.cls || ""}" ${r.attrs || ""}>` + r.cells.map((c) => `<td>${c}</td>`).join("") + "</tr>").join("");
}

function render(a, cmp) {
  table($("#routes"), ["way out", "open", "available", "why"], a.route_summary.map((s) => {
    const why = a.routes.filter((r) => r.route === s.route).flatMap((r) => r.reasons);
    const seen = new Set(); const uniq = why.filter((r) => !seen.has(r.code) && seen.add(r.code)).slice(0, 2);
    return {cls: s.eligible ? "" : "no", cells: [s.route.replaceAll("_", " "), s.eligible ? "yes" : "no",
      s.eligible ? money(s.available) : "—", uniq.map((r) => `${r.text} <span class="cite">[${r.citation}]</span>`).join(" ")]};
  }));
  table($("#outcomes"), ["way out", "where to", "gross", "taxable", "withheld", "income tax", "10% penalty", "cash now", "1099-R"],
    a.outcomes.map((o) => ({attrs: `data-route="${o.route}" data-destination="${o.destination}" data-gross="${o.gross}" data-income-tax="${o.income_tax_increase}" data-penalty="${o.additional_tax_72t}" data-net-cash="${o.net_cash}"`,
      cells: [o.route.replaceAll("_", " "), o.destination.replaceAll("_", " "), money(o.gross), money(o.taxable), money(o.withholding),
              money(o.income_tax_increase), money(o.additional_tax_72t), money(o.net_cash), o.form_1099r_codes.join(", ")]})));
  const hs = Object.keys(cmp.best_at);
  table($("#options"), ["option", "cash now", "tax now", "penalty now"].concat(hs.map((h) => "after-tax value at " + h)),
    cmp.options.map((o) => ({cls: Object.values(cmp.best_at).includes(o.option) ? "best" : "",
      cells: [o.label, money(o.cash_now), money(o.income_tax_now), money(o.penalty_now)].concat(hs.map((h) => money(o.after_tax_value_at[h])))})));
  const ages = cmp.assumptions.years.map((y) => cmp.age + y);
  Plotly.newPlot("chart-wealth", cmp.options.map((o) => ({x: ages, y: o.by_year, mode: "lines", name: o.label})),
    {title: "After-tax value over time", xaxis: {title: "age"}, legend: {orientation: "h"}, height: 420}, {responsive: true});
  const opts = cmp.options.filter((o) => o.gross > 0 && o.option !== "leave");
  const part = (f) => opts.map(f);
  Plotly.newPlot("chart-dollars", [
    {type: "bar", orientation: "h", name: "cash to you", y: part((o) => o.label), x: part((o) => Math.max(0, o.cash_now))},
    {type: "bar", orientation: "h", name: "income tax", y: part((o) => o.label), x: part((o) => o.income_tax_now)},
    {type: "bar", orientation: "h", name: "10% penalty", y: part((o) => o.label), x: part((o) => o.penalty_now)}],
    {barmode: "stack", title: "Where each option's dollars go", height: 160 + 40 * opts.length, margin: {l: 220}, legend: {orientation: "h"}}, {responsive: true});
  $("#traps").innerHTML = cmp.traps.length ? cmp.traps.map((t) => `<div class="trap"><b>${t.title}</b><br>${t.text} <span class="cite">[${t.citation}]</span></div>`).join("")
    : "<p>None of the traps we check applies to you.</p>";
  const cites = new Map();
  a.routes.concat(a.outcomes).forEach((x) => x.reasons.forEach((r) => cites.set(r.citation, r.text)));
  $("#cites").innerHTML = [...cites].map(([c, t]) => `<li>${c}: ${t}</li>`).join("");
  $("#results").hidden = false;
}

let lastCase = null;
$("#case").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearErrors();
  const form = ev.target;
  if (!localCheck(form)) return;
  const c = buildCase(form);
  try {
    const a = await (await post("/assess", c)).json();
    const cmp = await (await post("/compare", c)).json();
    lastCase = c;
    render(a, cmp);
  } catch (e) {
    if (e.fields) e.fields.forEach((d) => showError(d.loc.slice(1).join("."), d.msg));
    else $("#err-form").textContent = e.message || String(e);
  }
});

$("#download").addEventListener("click", async () => {
  if (!lastCase) return;
  const r = await post("/report", lastCase);
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url; a.download = "dist401k-report.html"; a.click();
});
