"use strict";
const pct = (x) => (Math.round(x * 1e6) / 1e4).toLocaleString("en-US", {maximumFractionDigits: 4}) + "%";
const cents = (x) => x.toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
const today = new Date();
document.getElementById("request.date").value = today.toISOString().slice(0, 10);
document.getElementById("sepp.first_payment_date").value =
  new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);

/* The situation: own plan account (the original form), an inherited account, a 72(t) series,
   a share of a plan paid to an alternate payee under a QDRO (IRC §414(p)).
   Parts of the form carry data-for="own sepp" (shown in those situations) or
   data-when="name=value" or "name=a|b" (shown while that field has that value, or one of them; a checkbox's value is
   "true" while ticked, else "false"); hidden controls are disabled,
   so they are neither checked nor sent. data-text-<situation> swaps a label's words. */
const situation = () => document.querySelector("input[name='situation']:checked").value;
const TEXTS = ["inherited", "sepp", "qdro", "qdro-child"];
/* The words a label takes, first found: a QDRO paid to a child or other dependent is taxed to
   the participant (IRC §402(e)(1)(A) reaches only a spouse or former spouse; Pub. 504), so
   there "you" is the participant (data-text-qdro-child), else the QDRO's (data-text-qdro). */
function textKeys(form, sit) {
  const rel = form.elements["alternate_payee.relationship"].value;
  if (sit === "qdro" && ["child", "dependent"].includes(rel)) return ["textQdroChild", "textQdro"];
  return ["text" + sit[0].toUpperCase() + sit.slice(1)];
}

function updateForm() {
  const form = $("#case");
  const sit = situation();
  document.querySelectorAll("[data-for]").forEach((el) => { el.hidden = !el.dataset.for.split(" ").includes(sit); });
  document.querySelectorAll("[data-when]").forEach((el) => {
    const [name, values] = el.dataset.when.split("=");  // one value, or several split by |
    const shownFor = el.dataset.for === undefined || !el.hidden;  // data-for decided just above
    const field = form.elements[name];
    const value = field.type === "checkbox" ? String(field.checked && !field.closest("[hidden]")) : field.value;
    el.hidden = !shownFor || !values.split("|").includes(value);
  });
  for (const el of form.elements) {
    if (el.name && el.name !== "situation") el.disabled = !!el.closest("[hidden]");
  }
  const keys = textKeys(form, sit);
  document.querySelectorAll(TEXTS.map((t) => `[data-text-${t}]`).join(", ")).forEach((el) => {
    // innerHTML: the own text may hold the law's figures (data-law spans, common.js).
    if (el.dataset.textOwn === undefined) el.dataset.textOwn = el.innerHTML;
    const key = keys.find((k) => el.dataset[k] !== undefined);
    el.innerHTML = key ? el.dataset[key] : el.dataset.textOwn;
    applyLaw(el);
  });
}

let asking = 0;  // the submissions so far: only the last one's answer (or error) is shown
const RESULTS = ["results", "ben-results", "sepp-results"];
function showOnly(id) {
  for (const s of RESULTS) document.getElementById(s).hidden = s !== id;
}

/* New loans: the plan's choice, and few plans lend to someone who has left (the engine lends
   to whoever the plan does: routes/loan.py); so the box starts ticked only while you still
   work there, until you tick or untick it yourself. */
function loansDefault(form) {
  const box = form.elements["plan.loans.allowed"];
  if (box.dataset.chosen === undefined) box.checked = form.elements["employment.status"].value !== "separated";
}

$("#case").addEventListener("change", (ev) => {
  if (ev.target.name === "situation") { asking++; showOnly(null); stale(false, RESULTS, "download"); clearErrors(); }
  if (ev.target.name === "plan.loans.allowed") ev.target.dataset.chosen = "";
  if (ev.target.name === "employment.status") loansDefault(ev.currentTarget);
  updateForm();
});

/* Missed years of an inherited account: rows named beneficiary.missed.<k>.<field>. */
function addMissed() {
  const row = document.createElement("div");
  row.className = "missed-row";
  row.innerHTML = `
   <div class="field"><label data-f="year">Year missed</label>
    <input data-f="year" type="text" inputmode="numeric" min="1987" max="2100" step="1" required data-number>
    <span class="err" data-f="year" role="alert"></span></div>
   <div class="field"><label data-f="shortfall">Amount not taken ($)</label>
    <input data-f="shortfall" type="text" inputmode="decimal" min="0" step="any" required data-number>
    <span class="err" data-f="shortfall" role="alert"></span></div>
   <div class="field"><label><input data-f="corrected" type="checkbox"> Made up within the correction window</label>
    <span class="err" data-f="corrected" role="alert"></span></div>
   <button type="button" class="secondary small" data-remove>Remove</button>`;
  row.querySelector("[data-remove]").addEventListener("click", () => removeMissed(row));
  $("#missed-rows").appendChild(row);
  renumberMissed();
  updateForm();
  return row;
}

/* The keyboard follows the rows (WCAG 2.2 SC 2.4.3), as the planner's: a row added by its
   button takes the focus; a row removed gives it to the next row's first field (the one
   before, at the end), or to "Add a missed year" when none is left. */
function removeMissed(row) {
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  renumberMissed();
  (next ? next.querySelector("input:not([disabled])") : $("#add-missed")).focus();
}

function renumberMissed() {
  document.querySelectorAll("#missed-rows .missed-row").forEach((row, k) => {
    row.querySelector("[data-remove]").setAttribute("aria-label", `Remove missed year ${k + 1}`);
    row.querySelectorAll("[data-f]").forEach((el) => {
      const path = `beneficiary.missed.${k}.${el.dataset.f}`;
      if (el.tagName === "LABEL") el.htmlFor = path;
      else if (el.classList.contains("err")) el.id = "err-" + path;
      else { el.id = path; el.name = path; }
    });
  });
}
$("#add-missed").addEventListener("click", () => addMissed().querySelector("input:not([disabled])").focus());
updateForm();
/* The law's figures: fetched at load; a case is built once they are in (or have failed). */
const lawLoaded = loadLaw(["in_service.deferral_age"]);

/* The Roth IRA conversions, one a line "year amount taxable" (the taxable part may be left
   out: 0), as iras.roth_conversions; a line that is not three numbers is named. */
const CONVERSIONS = "iras.roth_conversions";
function conversions(text) {
  const out = [];
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l);
  for (const [k, line] of lines.entries()) {
    const nums = line.split(/[\s,;]+/).map((x) => x.replace(/[$]/g, "")).filter((x) => x !== "");
    if (nums.length < 2 || nums.length > 3 || nums.some((x) => !Number.isFinite(Number(x))))
      return {error: `Line ${k + 1}: write the year, the amount and the taxable part, e.g. 2022 20000 15000.`};
    const [year, amount, taxable = "0"] = nums.map(Number);
    out.push({year, amount, taxable_amount: Number(taxable)});
  }
  return {list: out};
}
const conversionsProblem = (el) => el.name === CONVERSIONS ? conversions(el.value).error || null : null;
/* The seasoned part of the match is part of it (case.py SourceBalance: "seasoned cannot exceed
   balance"), said beside the field rather than of the whole source. */
function seasonedProblem(el) {
  if (el.name !== "src.match.seasoned") return null;
  const v = numberValue(el);
  return v !== null && v > (numberValue(el.form.elements["src.match"]) ?? 0)
    ? "Must be at most the employer match above." : null;
}
const formProblem = (el) => conversionsProblem(el) || seasonedProblem(el);

/* The plan's in-service rule for pre-tax and for Roth deferrals, each its own box (case.py
   SourceRule): ticked with no age of the plan's, it pays them from the law's age
   (in_service.deferral_age: IRC §401(k)(2)(B)(i)(III), GET /law; unknown, the plan states none
   and the law's own age still holds); a governmental 457(b)'s law pays from January of the year
   that age is reached (§457(d)(1)(A)(i)), so there the plan states no age of its own. */
function deferralAges(plan) {
  const age = plan.type === "governmental_457b" ? undefined : LAW["in_service.deferral_age"]?.value;
  for (const s of ["elective_deferral", "roth_deferral"]) {
    const rule = plan.in_service[s];
    if (rule && rule.allowed && rule.min_age === undefined && age !== undefined) rule.min_age = age;
  }
}

function buildCase(form) {
  const c = {person: {}, employment: {}, income: {}, plan: {in_service: {}, hardship: {},
             loans: {}, secure2: {}}, account: {sources: {}}, request: {}};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.name === "situation") continue;
    if (el.name.startsWith("src.")) continue;
    if (el.name === CONVERSIONS) {
      const list = conversions(el.value).list;
      if (list && list.length) setPath(c, el.name, list);
      continue;
    }
    // A box marked data-sent-ticked (a plan's in-service rule for a money source) is sent only
    // ticked, with the fields it shows: unticked, the plan states none (case.py SourceRule).
    if (el.type === "checkbox") {
      if (el.checked || el.dataset.sentTicked === undefined) setPath(c, el.name, el.checked);
      continue;
    }
    // A number field is read as people write it (common.js readNumber: "$1,200,000", "70k").
    let v = el.dataset.number !== undefined ? numberValue(el) : el.value;
    if (v === "" || v === null) continue;
    if (el.dataset.percent !== undefined) v = Number((v / 100).toPrecision(12));
    setPath(c, el.name, v);
  }
  // Numbered paths (beneficiary.missed.0.year, sepp.federal_midterm_rates.0) are lists.
  const list = (o) => Object.keys(o).sort((a, b) => a - b).map((k) => o[k]);
  if (c.beneficiary && c.beneficiary.missed) c.beneficiary.missed = list(c.beneficiary.missed);
  if (c.sepp && c.sepp.federal_midterm_rates) c.sepp.federal_midterm_rates = list(c.sepp.federal_midterm_rates);
  for (const s of ["elective_deferral", "roth_deferral", "after_tax", "match"]) {
    if (form.elements["src." + s].disabled) continue;  // a source the situation hides is not sent
    const v = numberValue(form.elements["src." + s]) ?? 0;
    if (v > 0 || v < 0) c.account.sources[s] = {balance: v};
  }
  if (c.account.sources.match) c.account.sources.match.vested = (numberValue(form.elements["src.match_vested"]) ?? 0) / 100;
  // A figure left empty is not sent: the answer then says what it assumed in its place.
  for (const [s, f] of [["roth_deferral", "contributions"], ["roth_deferral", "first_year"], ["after_tax", "basis"],
                        ["match", "seasoned"]]) {
    const el = form.elements[`src.${s}.${f}`];
    const v = el.disabled ? null : numberValue(el);
    if (c.account.sources[s] && v !== null) c.account.sources[s][f] = v;
  }
  deferralAges(c.plan);
  // A balance owed is at least one loan (the plan's count of loans at once: account.loans.count).
  if (c.account.loans && c.account.loans.outstanding > 0) c.account.loans.count = 1;
  if (!("amount" in c.request)) c.request.amount = "max";
  return c;
}

/* The best option's mark, in words: at which ages (the horizons) it leaves the most after tax. */
function bestMark(bestAt, option) {
  const ages = Object.keys(bestAt).filter((h) => bestAt[h] === option);
  if (!ages.length) return "";
  const at = ages.length === 1 ? ages[0] : ages.slice(0, -1).join(", ") + " and " + ages[ages.length - 1];
  return `<br><span class="best-mark">★ most after tax at ${at}</span>`;
}

/* The names of the ways out and of where the money goes, as the terminal and the report say
   them (GET /labels: one table, dist401k/labels.py), fetched once before the first answer;
   where the call fails, a code is shown in words. */
const NAMES = {routes: {}, destinations: {}};
async function loadNames() {
  if (Object.keys(NAMES.routes).length) return;
  try {
    const r = await apiFetch("/labels");
    if (r.ok) Object.assign(NAMES, await r.json());
  } catch (e) { /* codes in words */ }
}
const routeName = (r) => NAMES.routes[r] || r.replaceAll("_", " ");
const destinationName = (d) => NAMES.destinations[d] || d.replaceAll("_", " ");

/* Why a row's 10% tax and taxable part are what they are: the row's own reasons. */
const whyCell = (why) => why ? `<span class="why"><b>10% tax:</b> ${why.additional_tax_72t}<br><b>taxable:</b> ${why.taxable}</span>` : "";

/* Where an outcome sends the money, as the report and the terminal name it
   (compare.destination_label): a rollover to a traditional IRA that carries designated Roth
   money says that its Roth part goes to a Roth IRA (to_roth_ira; IRC §402A(c)(3)), as the
   row's own words do (OC_ROTH_TO_ROTH_IRA); not for an heir, whose IRA is an inherited one. */
const ROTH_PART_TO_ROTH_IRA = "its designated Roth part to a Roth IRA";
const outcomeDestination = (o, heir = false) => destinationName(o.destination) +
  (!heir && o.destination === "traditional_ira" && (o.to_roth_ira ?? 0) > HALF_CENT ? ` (${ROTH_PART_TO_ROTH_IRA})` : "");

function outcomeRows(outcomes, heir = false) {
  return outcomes.map((o) => ({attrs: `data-route="${o.route}" data-destination="${o.destination}" data-gross="${o.gross}" data-taxable="${o.taxable}"${box9bAttr(o)} data-income-tax="${o.income_tax_increase}" data-penalty="${o.additional_tax_72t}" data-net-cash="${o.net_cash}" data-withheld="${o.withholding ?? ""}" data-check-received="${o.check_received}" data-kept="${o.kept_after_all_tax}"${"state_withholding" in o ? ` data-state-withheld="${o.state_withholding ?? ""}"` : ""}${"state_covered" in o ? ` data-state-tax="${o.state_covered ? o.state_income_tax_increase + o.state_additional_tax : ""}"` : ""}`,
    cells: [routeName(o.route), outcomeDestination(o, heir), money(o.gross), money(o.taxable), withheld(o),
            money(o.income_tax_increase), money(o.additional_tax_72t), stateTax(o), money(o.check_received), money(o.kept_after_all_tax),
            form1099rCell(o), whyCell(o.why)]}));
}
/* The Forms 1099-R of an outcome: each form's box 7 code, and box 9b (total employee
   contributions: a life annuity's cost, on the form of the year it began; Form 1099-R,
   Instructions for Recipient, box 9b) where a form fills it. */
const box9b = (o) => (o.form_1099r || []).map((f) => f.box_9b).filter((v) => v !== null && v !== undefined);
const box9bAttr = (o) => (box9b(o).length ? ` data-box-9b="${box9b(o)[0]}"` : "");
const form1099rCell = (o) => o.form_1099r_codes.join(", ") +
  box9b(o).map((v) => `<br><span class="why box-9b">box 9b, your cost: ${cents(v)}</span>`).join("");
const OUTCOME_HEAD = ["way out", "where to", "gross", "taxable", "withheld", "income tax", "10% tax", "state tax", "check received", "kept after all tax", "1099-R", "why"];
/* The federal withholding ("unknown" where it is not figured: a periodic payment before the
   Pub. 15-T method the law holds), and the state's beside it where a state is given (a state whose
   withholding is not yet modelled is said to be so rather than shown as zero). */
const withheld = (o) => (o.withholding === null ? "unknown" : money(o.withholding)) + (!("state_withholding" in o) ? ""
  : `<br><span class="why">state: ${o.state_withholding === null ? "not covered" : money(o.state_withholding)}</span>`);
/* The state's income tax and its own early-payment tax; none without a state, and a state not
   yet modelled is said to be so rather than shown as zero. */
const stateTax = (o) => !("state_covered" in o) ? "—"
  : o.state_covered ? money(o.state_income_tax_increase + o.state_additional_tax) : "not covered";

/* The return's lines each outcome brings (Form 8606 Part III of a Roth IRA distribution, Form
   5329 Part I of an early one), one row an outcome, as the answer gives them. */
const PART_III = ["line_19", "line_20", "line_21", "line_22", "line_23", "line_24", "line_25a", "line_25b", "line_25c"];
const F5329 = ["line_1", "line_2", "line_3", "line_4"];
/* Whether the return needs Form 5329 at all (form_5329.required), in the report's words
   (compare_forms.FILE_5329): not where box 7 of Form 1099-R already tells it all (Instructions
   for Form 5329, "Who Must File"; the tax then goes straight on Schedule 2). */
const requiredAttr = (f) => ` data-required="${!!f.required}"`;
const NO_5329 = "box 7's code on Form 1099-R already tells it all (the 10% tax, if any, then goes on Schedule 2 " +
  "without the form); the lines show what the form would hold";
/* Under the table, which rows need the form filed and which need none (as the report's
   "file Form 5329" / "no form" and the terminal's "file 5329: yes/no"). */
function file5329Note(rows) {
  const names = (on) => rows.filter((r) => r.required === on).map((r) => r.name).join("; ");
  const no = names(false), yes = names(true);
  return (no ? `No Form 5329 to file for ${no}: ${NO_5329}.` : "") + (no && yes ? " " : "") +
    (yes ? `File Form 5329 for ${yes}.` : "");
}
function showForms(outcomes, cmp = null) {
  const rows = (key, lines, extra = () => []) => outcomes.filter((o) => o[key]).map((o) => ({
    name: `${routeName(o.route)} → ${outcomeDestination(o)}`, required: !!o[key].required,
    attrs: `data-route="${o.route}" data-destination="${o.destination}" ` +
      lines.map((l) => `data-${l.replace("_", "-")}="${o[key][l]}"`).join(" ") + requiredAttr(o[key]),
    cells: [routeName(o.route), outcomeDestination(o)]
      .concat(lines.map((l) => cents(o[key][l])), extra(o[key]))}));
  const p3 = rows("form_8606_part_iii", PART_III);
  const f5 = rows("form_5329", F5329, (f) => [f.line_2_exception || "—"])
    .concat(cmp ? showOptionForms(cmp, outcomes) : []);
  table($("#part-iii"), ["way out", "where to"].concat(PART_III.map((l) => l.replace("line_", "line "))), p3);
  table($("#f5329"), ["way out", "where to", "line 1", "line 2", "line 3", "line 4", "exception no."], f5);
  $("#f5329-note").textContent = file5329Note(f5.map((r) => ({name: r.name, required: r.required})));
  $("#part-iii-block").hidden = !p3.length;
  $("#f5329-block").hidden = !f5.length;
  $("#forms-block").hidden = !p3.length && !f5.length;
}

/* Every option carries the forms of the payment it makes, at its own gross (compare.with_own_forms;
   with a need, the gross that delivers it); one that makes several payments, each payment's Forms
   1099-R, named by the payment's way out, and one Form 5329 Part I for the year
   (compare.with_parts_forms). The options whose forms are not a way out's above as it stands (a
   combined option's, one priced at the need) show theirs box by box, as the report shows them
   (compare_forms.py: the same title, boxes, captions and words; tests/compare/
   test_compare_forms_doors.py holds them to it). */
const FORMS_1099R_TITLE = "The Forms 1099-R the plan will send (or, for money from an IRA, the IRA custodian)";
const FORM_BOXES = [["box_1", "1 gross"], ["box_2a", "2a taxable"], ["box_4", "4 withheld"],
  ["box_5", "5 contributions"], ["box_7", "7 code"], ["box_9b", "9b total employee contributions"],
  ["box_11", "11 first Roth year"], ["box_14", "14 state tax withheld"], ["box_16", "16 state distribution"]];
const FORMS_1099R_NOTE = "One form for each part the IRS keeps apart: designated Roth money and a " +
  "direct rollover on forms of their own (Instructions for Forms 1099-R and 5498).";
function boxText(f, key) {
  const v = f[key];
  if (v === null || v === undefined) {
    return (f.not_figured || []).some((t) => t.startsWith(key.replace("_", " ") + ":")) ? "not figured" : "—";
  }
  if (key === "box_7") return String(v) + (f.box_7_ira_sep_simple ? " (IRA/SEP/SIMPLE)" : "");
  return key === "box_11" ? String(v) : money(v);
}
const box2bText = (f) => [["taxable amount not determined", f.box_2b_not_determined],
  ["total distribution", f.box_2b_total_distribution]].filter(([, on]) => on).map(([t]) => t).join("; ");
/* Line 2's number; on a Part I of several payments that claim different exceptions (99), each
   payment's number after it, by its way out (compare_forms.exception_cell). */
function exceptionCell(f) {
  const parts = (f.line_2_parts || []).filter((p) => p.line_2_exception);
  const number = f.line_2_exception || "—";
  return parts.length < 2 ? number : `${number} (${parts.map((p) => `${routeName(p.route)} ${p.line_2_exception}`).join(", ")})`;
}
const sameBoxes = (f, g) => !f.route && FORM_BOXES.every(([k]) => (f[k] ?? null) === (g[k] ?? null));
const sameForms = (o, outcomes) => outcomes.some((x) => (x.form_1099r || []).length === o.form_1099r.length &&
  o.form_1099r.every((f, k) => sameBoxes(f, x.form_1099r[k])));
function showOptionForms(cmp, outcomes = []) {
  const own = cmp.options.filter((o) => o.form_1099r && o.form_1099r.length && !sameForms(o, outcomes));
  $("#option-1099r-block h3").textContent = `${FORMS_1099R_TITLE} for an option that pays other amounts than the ways out above`;
  const rows = own.flatMap((o) => o.form_1099r.map((f) => ({
    attrs: `data-option="${o.option}" data-route="${f.route || ""}" ` + FORM_BOXES.map(([k]) => `data-${k.replace("_", "-")}="${f[k] ?? ""}"`).join(" "),
    cells: [o.label + (f.route ? ` — ${routeName(f.route)}` : "")].concat(FORM_BOXES.map(([k]) => boxText(f, k)), [box2bText(f)])})));
  table($("#option-1099r"), ["option"].concat(FORM_BOXES.map(([, c]) => c), ["Box 2b"]), rows);
  $("#option-1099r-note").textContent = rows.length ? FORMS_1099R_NOTE : "";
  $("#option-1099r-block").hidden = !rows.length;
  // Their Form 5329 Part I, in the page's table of the return's lines, after the ways out's.
  return own.filter((o) => o.form_5329).map((o) => ({name: o.label, required: !!o.form_5329.required,
    attrs: `data-option="${o.option}" ` + F5329.map((l) => `data-${l.replace("_", "-")}="${o.form_5329[l]}"`).join(" ") +
      requiredAttr(o.form_5329),
    cells: [o.label, destinationName(o.option.split(":")[1] || "cash")]
      .concat(F5329.map((l) => cents(o.form_5329[l])), [exceptionCell(o.form_5329)])}));
}

/* What the answer capped or assumed, and the field that gives the missing figure; the notices
   the law requires before a payment (the notes with a citation) in a block of their own. */
function showNotes(block, list, notes, noticeBlock, noticeList) {
  const assumed = notes.filter((n) => !n.citation);
  const notices = notes.filter((n) => n.citation);
  $(block).hidden = !assumed.length;
  $(list).innerHTML = assumed.map((n) => `<li data-code="${n.code}" data-field="${n.field}">${n.text} <span class="cite">[${n.field}]</span></li>`).join("");
  if (!noticeBlock) return;
  $(noticeBlock).hidden = !notices.length;
  $(noticeList).innerHTML = notices.map((n) => `<li data-code="${n.code}">${n.text} <span class="cite">[${n.citation}]</span></li>`).join("");
}

/* Under the cost table, as the terminal prints them (dist401k assess): what each option still
   leaves to pay on the return beyond what is withheld — withholding is a prepayment credited on
   the return (IRC §31(a)), figured on the payment (§3405) — (outcome_why.due_when_filing_lines),
   what a negative "kept after all tax" is, and each cash payment that leaves less than the need
   (commands/assess.py need_lines), its gross at the need read from the comparison's option,
   which compare prices at the need (compare.priced_outcomes). Same words, same figures. */
const DUE_HEAD = "Still to pay when you file the return: withholding is only a prepayment, credited on the " +
  "return (IRC §31(a)), figured on the payment, not on the tax it adds, 10% tax included (IRC §3405):";
const NEGATIVE_KEPT = "A negative figure is tax you pay from other money: nothing comes to you.";
const HALF_CENT = 0.005;
const rowLabel = (o) => `${o.route} → ${o.destination}`.replaceAll("_", " ");

/* Federal: income tax and 10% tax less federal withholding, where the withholding is figured;
   the state's where figured (else null). */
function dueWhenFiling(o) {
  const federal = o.withholding === null ? null
    : Math.max(0, o.income_tax_increase + o.additional_tax_72t - o.withholding);
  if (!o.state_covered || o.state_income_tax_increase == null || o.state_withholding == null) return [federal, null];
  return [federal, Math.max(0, o.state_income_tax_increase + (o.state_additional_tax || 0) - o.state_withholding)];
}

function dueLine(o) {
  const [federal, state] = dueWhenFiling(o);
  if ((federal === null || federal < 0.5) && (state === null || state < 0.5)) return null;
  const parts = [];
  if (federal !== null && federal >= 0.5) {
    parts.push(`$${money(federal)} federal (income tax $${money(o.income_tax_increase)}` +
      (o.additional_tax_72t > HALF_CENT ? ` + 10% tax $${money(o.additional_tax_72t)}` : "") +
      (o.withholding > HALF_CENT ? ` − $${money(o.withholding)} withheld)` : ", nothing withheld)"));
  }
  if (state !== null && state >= 0.5) parts.push(`$${money(state)} to the state`);
  return `${rowLabel(o)}: ` + parts.join(" and ");
}

/* A cash payment short of the need: the gross that puts it in hand, or the most the route pays. */
function needLine(o, need, cmp) {
  const head = `${rowLabel(o)}: $${money(o.gross)} leaves $${money(o.kept_after_all_tax)} after all tax, ` +
    `less than your $${money(need)} need; `;
  const row = cmp.options.find((x) => x.option === `${o.route}:cash`);
  const kept = row ? Math.min(row.check_received, row.kept_after_all_tax - (row.income_tax_later || 0)) : 0;
  if (row && kept >= need - HALF_CENT) return head + `ask for $${cents(row.gross)} gross to keep it.`;
  if (row && row.gross > o.gross + HALF_CENT) {
    return head + `it pays at most $${money(row.gross)} now, which leaves $${money(row.kept_after_all_tax)}.`;
  }
  return head + "it pays no more now.";
}

function showFiling(a, cmp, c = null) {
  const negative = a.outcomes.some((o) => o.kept_after_all_tax < -HALF_CENT);
  $("#negative-kept").hidden = !negative;
  $("#negative-kept").textContent = negative ? NEGATIVE_KEPT : "";
  const due = a.outcomes.map(dueLine).filter((x) => x);
  // The need asked for (request.need); an answer drawn without its case: the comparison's need.
  const need = c ? c.request.need : cmp.need && cmp.need.net_of === null ? cmp.need.in_hand : null;
  const short = need ? a.outcomes.filter((o) => o.destination === "cash" &&
    Math.min(o.check_received, o.kept_after_all_tax) < need - HALF_CENT) : [];
  const needs = short.map((o) => needLine(o, need, cmp));
  $("#due-head").textContent = due.length ? DUE_HEAD : "";
  $("#due-head").hidden = !due.length;
  $("#due-lines").innerHTML = due.map((x) => `<li>${x}</li>`).join("");
  $("#need-lines").innerHTML = needs.map((x) => `<li>${x}</li>`).join("");
  $("#filing-block").hidden = !due.length && !needs.length;
}

/* "I need $X in hand": the gross to ask for, and by which option. */
function needText(cmp) {
  const n = cmp.need;
  // A net amount asked for is net of withholding (the check) or of all tax; a need is both.
  const as = n.net_of === "withholding" ? "as the check" : n.net_of === "all_tax" ? "after all tax"
    : "both as the check and after all tax";
  if (!n.met) return `You need $${money(n.in_hand)} in hand: no option delivers it now, ${as}.`;
  const label = cmp.options.find((o) => o.option === n.option).label;
  return `You need $${money(n.in_hand)} in hand: ask for $${cents(n.gross_to_ask)} gross (${label}): ` +
    `the check is $${cents(n.check_received)}, and $${cents(n.kept_after_all_tax)} is kept after all tax.`;
}

/* The dates that matter to the options (an RMD's, a rollover's, a repayment's), once each, in
   the order they fall; a loan that goes bad is not an option (as the report leaves it out). */
function showDates(outcomes) {
  const seen = new Map();
  outcomes.filter((o) => !["loan_deemed", "loan_offset"].includes(o.route))
    .flatMap((o) => o.deadlines || []).forEach((d) => seen.set(`${d.date} ${d.what}`, d));
  const dates = [...seen.values()].sort((x, y) => (x.date + x.what).localeCompare(y.date + y.what));
  $("#dates-block").hidden = !dates.length;
  $("#dates").innerHTML = dates.map((d) => `<li data-date="${d.date}">${d.date}: ${d.what}</li>`).join("");
}

/* An option's state taxes and withholding, as the report's cells say them: "0" for leaving
   the money ("leave" pays nothing), "not covered" / "unknown" where the state's figures are not. */
const optionStateTax = (o) => !("state_covered" in o) ? "0"
  : !o.state_covered || o.state_income_tax_now === null ? "not covered"
  : money(o.state_income_tax_now + (o.state_additional_tax_now || 0));
const optionStateWithheld = (o) => !("state_withholding" in o) ? "0"
  : o.state_withholding === null ? "unknown" : money(o.state_withholding);

/* An option's "why"; "leave it" that pays nothing says what stays (commands/compare.py _why_short). */
const optionWhy = (o) => paysNothing(o)
  ? `<span class="why">nothing paid now: the money compared ($${money(o.gross)}, the most the other options take) ` +
    "stays in the plan, valued after the tax due when it comes out</span>" : whyCell(o.why);

/* The options side by side in the report's words and columns (report.py options_html): the
   state's taxes beside the federal where a state is given, so that a row adds up. */
function showOptions(cmp) {
  const hs = Object.keys(cmp.best_at);
  const withState = cmp.options.some((o) => "state_covered" in o);
  table($("#options"), ["option", "gross", "check received", "kept after all tax", "income tax", "10% tax", "withheld"]
    .concat(withState ? ["state tax", "state withheld"] : [], hs.map((h) => "after-tax value at " + h), ["why"]),
    cmp.options.map((o) => ({cls: Object.values(cmp.best_at).includes(o.option) ? "best" : "",
      attrs: `data-option="${o.option}"`,
      cells: [o.label + bestMark(cmp.best_at, o.option), money(o.gross), money(o.check_received), money(o.kept_after_all_tax),
        money(o.income_tax_now), money(o.penalty_now), o.withholding === null ? "unknown" : money(o.withholding)]
        .concat(withState ? [optionStateTax(o), optionStateWithheld(o)] : [],
          hs.map((h) => money(o.after_tax_value_at[h])), [optionWhy(o)])})));
  $("#options-best").textContent = hs.length ? "★ most after tax: the option that leaves the most after all tax at " +
    hs.map((h) => (/^\d{4}-/.test(h) ? h : "age " + h)).join(", ") +
    (cmp.need ? (cmp.need.met ? ", among those that put your need in hand." : " (none puts your need in hand).") : ".") : "";
}

/* Where each option's dollars go: the report's parts (report.py dollar_parts), from the same
   fields — kept after all tax, the income tax, the 10% additional tax and the state's taxes
   (where covered) paid out of the gross, the rest, still invested, and the tax paid from other
   money; they add up to the gross plus the tax paid from other money. */
const DOLLAR_PARTS = ["kept after all tax", "income tax", "10% additional tax", "state tax", "stays invested",
  "tax paid from other money"];
function dollarParts(o) {
  const kept = Math.max(0, o.kept_after_all_tax);
  const state = o.state_covered ? (o.state_income_tax_now || 0) + (o.state_additional_tax_now || 0) : 0;
  const taxes = [o.income_tax_now, o.penalty_now, state];
  // The tax paid from other money (what the option keeps below zero: a conversion's), taken off
  // the taxes in their order; what stays invested is the rest of the gross (report.py dollar_parts).
  const other = Math.min(Math.max(0, -o.kept_after_all_tax), taxes.reduce((a, b) => a + b, 0));
  let left = other;
  const fromGross = taxes.map((t) => { const off = Math.min(t, left); left -= off; return t - off; });
  return [kept, ...fromGross, Math.max(0, o.gross - kept - fromGross.reduce((a, b) => a + b, 0)), other];
}

/* The parts the chart draws (report.py drawn_parts): the state's tax only where a state is
   given, the tax paid from other money only where some option pays some. */
const drawnParts = (parts, withState) => DOLLAR_PARTS.filter((name, k) =>
  (name !== "state tax" || withState) && (k !== DOLLAR_PARTS.length - 1 || parts.some((p) => p[k] >= HALF_CENT)));

function showDollarChart(cmp) {
  const opts = cmp.options.filter((o) => o.gross > 0 && o.option !== "leave");
  $("#chart-dollars").hidden = !opts.length;  // nothing is paid out: no chart of where it goes
  if ($("#chart-dollars-data")) $("#chart-dollars-data").hidden = !opts.length;
  if (!opts.length) return;
  // The options' names beside their bars: 220 px on a wide screen, 40% of a narrow one's
  // width, each name wrapped to that room there.
  const labelRoom = Math.min(220, Math.round(0.4 * chartWidth("chart-dollars")));
  const label = (o) => isNarrow("chart-dollars") ? wrapText(o.label, 12, labelRoom - 12).join("<br>") : o.label;
  const withState = cmp.options.some((o) => "state_covered" in o);
  const parts = opts.map(dollarParts);
  const lines = Math.max(...opts.map((o) => label(o).split("<br>").length));
  const drawn = drawnParts(parts, withState);
  drawChart("chart-dollars", DOLLAR_PARTS.map((name, k) => ({type: "bar", orientation: "h", name,
    y: opts.map(label), x: parts.map((p) => p[k])})).filter((t) => drawn.includes(t.name)),
    "Where each option's dollars go", {barmode: "stack", xaxis: {title: {text: "dollars"}},
      yaxis: {automargin: true}, height: barChartHeight(opts.length, lines), margin: {l: labelRoom, t: 110}},
    () => showDollarChart(cmp));  // the labels' room is the width's: drawn anew for a new width
  const shown = DOLLAR_PARTS.map((name, k) => [name, parts.map((p) => p[k])]).filter(([name]) => drawn.includes(name));
  chartData("chart-dollars", `Stacked bar chart: where the dollars of ${opts.length} options go (${shown.map((c) => c[0]).join(", ")}); ` +
    "its data are in the table below it.", "where each option's dollars go (dollars)", ["option", opts.map((o) => o.label)], shown);
}

/* Every rule behind the answers, each (text, citation) pair once — two texts of one citation
   both kept —, by citation then text, as the report lists them (report.py rules_cited). */
function rulesCited(a) {
  const pairs = new Map();
  a.routes.concat(a.outcomes).forEach((x) => x.reasons.forEach((r) => pairs.set(r.citation + "\u0000" + r.text, r)));
  const order = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
  return [...pairs.values()].sort((x, y) => order(x.citation, y.citation) || order(x.text, y.text));
}

/* A payment under a QDRO: what the law says of it, each once, from the QDRO routes' and the
   outcomes' reasons (QD_*: whose figures they are — QD_PARTICIPANT_FIGURES for a child's or
   dependent's share —, no 10% tax, a required distribution that may be in it, not payable
   yet); QD_NOT_PARTICIPANT, on every participant's way out, stays in the table above. */
function showQdro(a) {
  const seen = new Map();
  a.routes.filter((r) => r.route.startsWith("qdro")).concat(a.outcomes).flatMap((x) => x.reasons)
    .filter((r) => r.code.startsWith("QD_") && r.code !== "QD_NOT_PARTICIPANT").forEach((r) => seen.set(r.code, r));
  const found = [...seen.values()];
  $("#qdro-block").hidden = !found.length;
  $("#qdro-notices").innerHTML = found.map((r) => `<div class="trap" data-code="${r.code}">${r.text} <span class="cite">[${r.citation}]</span></div>`).join("");
}

/* One payment of a series (request.series): what the law says of it (SR_*: not an eligible
   rollover distribution, withheld as wages, the Simplified Method or the cost not given, the
   RMD not applying to it), each once, from the routes' and the outcomes' reasons; a field a
   text names by its key named by its label on this page. */
function showSeries(a) {
  const seen = new Map();
  a.routes.concat(a.outcomes).flatMap((x) => x.reasons).filter((r) => r.code.startsWith("SR_"))
    .forEach((r) => seen.set(r.code, r));
  const found = [...seen.values()];
  $("#series-block").hidden = !found.length;
  $("#series-notices").innerHTML = found.map((r) =>
    `<div class="trap" data-code="${r.code}">${fieldWords(r.text)} <span class="cite">[${r.citation}]</span></div>`).join("");
}

/* A way out's "available", as the terminal's (commands/assess.py _available_cell): what it can
   pay now. A hardship with a need pays the need left plus the tax on it (Treas. Reg.
   §1.401(k)-1(d)(3)(iii)(A)), not all the money it may draw on (the JSON's available). */
function availableCell(s) {
  if (!s.eligible) return "—";
  const need = s.route === "hardship" ? s.need_left : null;
  if (need !== null && need !== undefined && need < s.available - HALF_CENT) return `${money(need)} + tax`;
  return money(s.available);
}

const lowerFirst = (t) => t.slice(0, 1).toLowerCase() + t.slice(1);
/* What a way out's summary adds after its reasons, as the terminal says it (commands/assess.py
   _route_terms): a loan's terms (IRC §72(p)(2)(B), (C)), the RMD and its deadline, an heir's
   minimum this year, the routes a hardship waits for and what they pay, a Roth IRA's basis. */
function routeTerms(s) {
  if (s.route === "loan" && s.eligible) {
    // The payment is that of the loan asked for (the principal), not the maximum's.
    const asked = s.principal;
    const on = asked !== null && asked !== undefined && asked < s.maximum - HALF_CENT ? `; on the $${money(asked)} asked, ` : ": ";
    return ` Up to $${money(s.maximum)}${on}${s.payments_per_year} payments a year of $${cents(s.payment)} for ${s.term_years} years.`;
  }
  if (s.route === "rmd" && s.rmd) {
    return ` RMD $${cents(s.rmd)} (period ${s.divisor}), by ${s.deadline}` + (s.last_year_deadline
      ? `; last year's $${cents(s.last_year_rmd)} (the first) by ${s.last_year_deadline}.` : ".");
  }
  if (s.route === "beneficiary") return ` Minimum this year $${cents(s.remaining)}` + (s.deadline ? `, by ${s.deadline}.` : ".");
  if (s.route === "roth_ira") {
    return ` Contributions $${money(s.contributions_basis)} (out first, tax-free), conversions $${money(s.conversions_basis)}.`;
  }
  if (s.route === "hardship" && s.first && s.first.length) {
    const left = s.need_left;
    return " First: " + s.first.map((f) => `${lowerFirst(routeName(f.route))} $${money(f.pays)}`).join(", ") +
      (left !== null && left !== undefined && s.eligible ? `; need left $${money(left)}.` : ".");
  }
  return "";
}

/* A plan's limit on loans at once not given (plan.loans.max_count) while a loan is owed: the
   answer's "as many loans as the plan allows" rests on the case's default, not on the plan, so
   the row and the notes say what was assumed and which field gives the plan's figure. */
const loanCountAssumed = (c) => !!c && (c.account.loans?.outstanding ?? 0) > 0 && !("max_count" in (c.plan.loans || {}));
const LOAN_COUNT_WORDS = "The plan's limit on loans at once was not given, so the answer takes it that the plan allows " +
  "only the loan you already owe: no new loan. If your plan allows more loans at once, enter it under " +
  "“Loans the plan allows at once”; your plan's loan policy or summary plan description says.";
const loanCountNote = {code: "LOAN_COUNT_ASSUMED", field: "plan.loans.max_count", text: LOAN_COUNT_WORDS};
function routeWhy(r, c) {
  if (r.code === "LN_COUNT" && loanCountAssumed(c)) return `<span data-assumed="plan.loans.max_count">${LOAN_COUNT_WORDS}</span>`;
  return `${fieldWords(r.text)} <span class="cite">[${fieldWords(r.citation)}]</span>`;
}

function showRoutes(a, c) {
  table($("#routes"), ["way out", "open", "available", "why"], a.route_summary.map((s) => {
    const why = a.routes.filter((r) => r.route === s.route).flatMap((r) => r.reasons).concat(s.reasons || []);
    const seen = new Set(); const uniq = why.filter((r) => !seen.has(r.code) && seen.add(r.code)).slice(0, 2);
    const terms = routeTerms(s);
    return {cls: s.eligible ? "" : "no", attrs: `data-route="${s.route}" data-available="${s.available}"`,
      cells: [routeName(s.route), s.eligible ? "yes" : "no", availableCell(s),
        uniq.map((r) => routeWhy(r, c)).join(" ") + (terms ? `<span class="terms">${terms}</span>` : "")]};
  }));
}

/* No payment for the request: why, as the terminal says it (commands/assess.py
   no_outcome_lines): no way out open, or those open cannot pay to the destination asked for,
   with the reasons that name the destination. */
function noOutcomeLines(a) {
  const open = a.route_summary.filter((s) => s.eligible).map((s) => s.route);
  if (!open.length) return ["Nothing can be paid now: no way out is open for this request (the table above says why for each)."];
  const lines = [`Nothing can be paid now: the way${open.length > 1 ? "s" : ""} out open (${open.map(routeName).join(", ")}) ` +
    "cannot pay it to the destination asked for."];
  const seen = new Set();
  a.routes.filter((r) => open.includes(r.route)).flatMap((r) => r.reasons)
    .filter((x) => x.text.includes("request.destination") && !seen.has(x.code) && seen.add(x.code))
    .forEach((x) => lines.push(`${fieldWords(x.text)} <span class="cite">[${fieldWords(x.citation)}]</span>`));
  return lines;
}

/* The cost table, or, where nothing is paid, the words that say so instead of an empty table. */
function showOutcomes(a) {
  const none = !a.outcomes.length;
  $("#outcomes-block").hidden = none;
  $("#no-outcome").hidden = !none;
  $("#no-outcome").innerHTML = none ? noOutcomeLines(a).map((x) => `<p>${x}</p>`).join("") : "";
  table($("#outcomes"), OUTCOME_HEAD, outcomeRows(a.outcomes));
}

function render(a, cmp, c = null) {
  showOnly("results");  // first: Plotly sizes a chart by its container, which must be shown
  showQdro(a);
  showSeries(a);
  showRoutes(a, c);
  showOutcomes(a);
  showFiling(a, cmp, c);
  showForms(a.outcomes, cmp);
  // A warning the comparison gives as a trap (QCD_NOT_FROM_PLAN) is shown once, with the traps.
  const trapped = new Set(cmp.traps.map((t) => t.code));
  const notes = (a.notes || []).filter((n) => !trapped.has(n.code));
  const loanRow = a.route_summary.find((s) => s.route === "loan");
  const countClosed = a.routes.concat(loanRow ? [loanRow] : []).some((r) => r.route === "loan" && (r.reasons || []).some((x) => x.code === "LN_COUNT"));
  showNotes("#notes-block", "#notes", notes.concat(countClosed && loanCountAssumed(c) ? [loanCountNote] : []),
    "#law-notices-block", "#law-notices");
  showDates(a.outcomes);
  showComparison(cmp);
  $("#traps").innerHTML = cmp.traps.length ? cmp.traps.map((t) => `<div class="trap" data-code="${t.code}"><b>${t.title}</b><br>${t.text} <span class="cite">[${t.citation}]</span></div>`).join("")
    : "<p>None of the traps we check applies to you.</p>";
  // The loan count's rule only where the plan's count was given (else the assumption, said above).
  $("#cites").innerHTML = rulesCited(a).filter((r) => r.code !== "LN_COUNT" || !loanCountAssumed(c))
    .map((r) => `<li>${fieldWords(r.citation)}: ${fieldWords(r.text)}</li>`).join("");
}

/* "Leave it in the plan" where nothing is paid now (commands/compare.py _pays_nothing): its gross
   is the money it leaves in the plan, the most the other options take. */
const paysNothing = (o) => o.option === "leave" && o.check_received === 0 && o.withholding === 0;
const NOTHING_TO_COMPARE = "Nothing can be paid now, so there is nothing to compare: the money stays in the plan.";

/* The options over time and their charts; where no option pays anything (no way out open), the
   words that say so instead of a table of zeros and a flat chart. */
function showComparison(cmp) {
  const nothing = cmp.options.every((o) => paysNothing(o) && o.gross < HALF_CENT);
  $("#comparison-block").hidden = nothing;
  $("#no-options").hidden = !nothing;
  $("#no-options").textContent = nothing ? NOTHING_TO_COMPARE : "";
  if (nothing) return;
  $("#need").hidden = !cmp.need;
  $("#need").textContent = cmp.need ? needText(cmp) : "";
  showOptions(cmp);
  // By age; an estate, no person (its age is null), by years from the request.
  const ages = cmp.assumptions.years.map((y) => (cmp.age ?? 0) + y);
  const wealth = cmp.options.map((o) => ({x: ages, y: o.by_year, mode: "lines", name: o.label}));
  const by = cmp.age === null ? "years from the request" : "age";
  drawChart("chart-wealth", wealth, "After-tax value over time", {xaxis: {title: {text: by}}, height: 460});
  // The values at every age (the options table has only the horizons'), as the report's table.
  const keys = ages.map((a) => (cmp.age === null ? String(a) : a.toFixed(1)));
  chartData("chart-wealth", `Line chart: after-tax value of the money over time, ${wealth.length} options, ${by} ` +
    `${spanText(keys)}; its data are in the table below it.`, `after-tax value of each option (dollars) by ${by}`,
    [by, keys], traceColumns(wealth));
  showDollarChart(cmp);
}

/* A field of the case that a rule's text or citation names by its key (the server's words:
   "…or another rate (request.state_withholding_rate)"), named for the reader instead: by its
   label on this page (“…”, less "($)"), or, where the page has no such field, by the key's
   last part in words ("state withholding rate"). An account source's key is its src. field. */
const CASE_KEY = /\b(?:person|employment|income|plan|account|iras|request|beneficiary|sepp|alternate_payee)(?:\.[a-z0-9_]+)+\b/g;
/* "enter <key>: true" of a field this page asks by a checkbox: "tick “<its label>”". */
const ENTER_TRUE = new RegExp(`\\benter (${CASE_KEY.source}): true\\b`, "g");
function fieldElement(key) {
  const id = key.replace(/^account\.sources\.(\w+)\.balance$/, "src.$1").replace(/^account\.sources\./, "src.");
  return document.getElementById(id);
}
function fieldLabel(el) {
  return el && el.labels && el.labels[0]
    ? el.labels[0].textContent.replace(/\s*\(\$\)/g, "").replace(/\s+/g, " ").trim() : "";
}
function fieldWords(text) {
  return String(text).replace(ENTER_TRUE, (all, key) => {
    const el = fieldElement(key);
    return el && el.type === "checkbox" && fieldLabel(el) ? `tick “${fieldLabel(el)}”` : all;
  }).replace(CASE_KEY, (key) => {
    const label = fieldLabel(fieldElement(key));
    return label ? `“${label}”` : key.split(".").pop().replaceAll("_", " ");
  });
}

/* An inherited account: the beneficiary summary of POST /assess.  Its legal texts are the
   reason texts of the law (GET /reasons, law/reasons/*.yaml), by the kind and method codes. */
const KIND_REASON = {spouse: "BN_SPOUSE", minor_child: "BN_MINOR_CHILD", disabled: "BN_DISABLED",
  chronically_ill: "BN_CHRONICALLY_ILL", close_in_age: "BN_CLOSE_IN_AGE", designated: "BN_DESIGNATED",
  non_designated: "BN_NON_DESIGNATED"};
const METHOD_REASON = {spouse_life_expectancy: "BN_SPOUSE_RECALCULATES", spouse_as_employee: "BN_SPOUSE_AS_EMPLOYEE",
  own_account: "BN_SPOUSE_OWN", life_expectancy: "BN_LIFE_EXPECTANCY", minor_then_ten_year: "BN_MINOR_TEN_YEAR",
  ten_year_with_annual: "BN_TEN_YEAR_ANNUAL", ten_year: "BN_TEN_YEAR", five_year: "BN_FIVE_YEAR",
  deceased_life_expectancy: "BN_DECEASED_LIFE"};
let LEGAL_TEXTS = {};
/* The reason texts, fetched once (before the first answer is shown). */
async function loadLegalTexts() {
  if (Object.keys(LEGAL_TEXTS).length) return;
  const r = await apiFetch("/reasons");
  if (r.ok) LEGAL_TEXTS = await r.json();
}
/* The law's text of a reason code, with its citation ("—" where the code has none). */
function legalText(code) {
  const r = code && LEGAL_TEXTS[code];
  return r ? `${r.text} <span class="cite">[${r.citation}]</span>` : "—";
}
const NOTICE = /EXCISE|RELIEF|PAST_DEADLINE|UNSETTLED|TOO_LATE|SKIPPED|NOT_HELD|OWN_72T|EMPTY_THIS_YEAR/;

function kv(el, rows) {
  el.innerHTML = rows.map(([label, shown, key, value]) =>
    `<tr${key ? ` data-key="${key}" data-value="${value}"` : ""}><th scope="row">${label}</th><td>${shown}</td></tr>`).join("");
}

/* Whether the deceased died on or after the required beginning date, and that date: one they
   died before was never reached (the terminal's "before the required beginning date"); a Roth
   account's owner had none (IRC §401(a)(9)(C); §408A(c)(5); §402A(d)(5)). */
function rbdWords(after, rbd) {
  if (!rbd) return (after ? "yes" : "no") + " (they had none)";
  return after ? `yes (it was ${rbd})` : `no: they died before it (it would have been ${rbd})`;
}

function renderInherited(a) {
  const s = a.route_summary.find((r) => r.route === "beneficiary");
  if (!s) { $("#err-form").textContent = "The answer has no inherited-account part."; return; }
  const rbd = s.required_beginning_date;
  kv($("#ben-summary"), [
    // The law's words for the kind and the method; their codes only in data-value, for a program.
    ["Who you are under the law", legalText(KIND_REASON[s.kind]), "kind", s.kind],
    ["The rule you follow", legalText(METHOD_REASON[s.method]), "method", s.method],
    ["Did they die on or after their required beginning date?", rbdWords(s.death_after_required_beginning_date, rbd),
      "after-rbd", s.death_after_required_beginning_date],
    ["Minimum to take this year", "$" + cents(s.required), "required", s.required],
    ["Still to take this year", "$" + cents(s.remaining), "remaining", s.remaining],
    ["Take it by", s.deadline || "— nothing more is due this year", "deadline", s.deadline || ""],
    ["Life-expectancy period this year", s.divisor === null ? "—" : s.divisor, "divisor", s.divisor === null ? "" : s.divisor],
    ["The account must be empty by", s.empty_by || "no fixed date", "empty-by", s.empty_by || ""],
    ["Excise tax on missed years", "$" + cents(s.excise_missed), "excise", s.excise_missed],
    ["You may take now", "$" + money(s.available) + " (any amount, up to all of it)", "available", s.available],
  ]);
  $("#ben-missed-block").hidden = !s.missed.length;
  table($("#ben-missed"), ["year", "not taken", "excise rate", "excise tax", "waived by"], s.missed.map((m) => ({
    attrs: `data-year="${m.year}" data-excise="${m.excise}"`,
    cells: [m.year, money(m.shortfall), pct(m.excise_rate), cents(m.excise), m.waived_by || "—"]})));
  const reasons = new Map();
  a.routes.filter((r) => r.route === "beneficiary").concat(a.outcomes.filter((o) => o.route === "beneficiary"))
    .forEach((r) => r.reasons.forEach((x) => reasons.set(x.code, x)));
  const all = [...reasons.values()];
  const notices = all.filter((x) => NOTICE.test(x.code));
  $("#ben-notices").innerHTML = notices.length
    ? notices.map((t) => `<div class="trap" data-code="${t.code}">${t.text} <span class="cite">[${t.citation}]</span></div>`).join("")
    : "<p>No missed years, relief or open questions to flag.</p>";
  table($("#ben-outcomes"), OUTCOME_HEAD, outcomeRows(a.outcomes, true));
  showNotes("#ben-notes-block", "#ben-notes", a.notes || [], "#ben-law-notices-block", "#ben-law-notices");
  const deadlines = a.outcomes.flatMap((o) => o.deadlines || []);
  const seen = new Set();
  $("#ben-rules").innerHTML = all.filter((x) => !NOTICE.test(x.code))
    .map((x) => `<li data-code="${x.code}">${fieldWords(x.text)} [${fieldWords(x.citation)}]</li>`).join("") +
    deadlines.filter((d) => !seen.has(d.what) && seen.add(d.what)).map((d) => `<li>Deadline: ${d.what}: ${d.date}</li>`).join("");
  showOnly("ben-results");
}

/* A 72(t) series: the JSON of POST /sepp. */
const METHODS = [["rmd", "RMD method", "refigured every year"], ["amortization", "Fixed amortization", "the same every year"],
                 ["annuitization", "Fixed annuitization", "the same every year"]];
const TABLE_TEXT = {single: "Single Life Table", uniform: "Uniform Lifetime Table", joint: "Joint and Last Survivor Table"};

function renderSepp(s) {
  showOnly("sepp-results");  // before the chart is drawn (see render)
  const warn = s.reasons.filter((r) => /NOT_SEPARATED|457B|AFTER_59|ABOVE_CEILING|NOT_HELD/.test(r.code));
  $("#sepp-refused").innerHTML = (s.available ? "" : `<div class="trap"><b>This series cannot start as entered.</b></div>`) +
    warn.map((r) => `<div class="trap" data-code="${r.code}">${r.text} <span class="cite">[${r.citation}]</span></div>`).join("");
  const rates = s.federal_midterm_rates.map(pct).join(", ");
  kv($("#sepp-summary"), [
    ["Paid from", s.account === "plan" ? "this plan account" : "your traditional IRAs", "account", s.account],
    ["Balance the series is set on", "$" + money(s.balance), "balance", s.balance],
    ["First payment", s.first_payment_date, "first-payment", s.first_payment_date],
    ["Interest rate for the fixed methods", pct(s.interest_rate) + (s.rate_chosen_by_user ? " (your choice)" : " (the ceiling)"), "rate", s.interest_rate],
    ["Highest rate allowed (the ceiling)", `${pct(s.rate_ceiling)}: ${legalText("SP_RATE_CEILING")} (${rates})`, "ceiling", s.rate_ceiling],
    ["Life-expectancy table", `${TABLE_TEXT[s.table] || s.table}: ${s.first_year.life_expectancy} years in the first year`, "table", s.table],
    [`You reach ${lawText("early_distributions.age") || "the age of the 10% tax"} on`, s.age_59_half_on, "59-half", s.age_59_half_on],
    ["The series may end (be changed or stopped) from", s.series_ends, "series-ends", s.series_ends],
    ["Yearly return assumed", pct(s.assumed_return), "return", s.assumed_return],
  ].concat(s.switch_to_rmd_year ? [["One-time switch to the RMD method", s.switch_to_rmd_year, "switch", s.switch_to_rmd_year]] : []));
  table($("#sepp-first"), ["method", "first-year payment", "later years", "balance when it may end"], METHODS.map(([m, label, how]) => ({
    attrs: `data-method="${m}" data-payment="${s.first_year[m]}"`,
    cells: [label, cents(s.first_year[m]), how, money(s.balance_at_end[m])]})));
  table($("#sepp-schedule"), ["year", "date", "age", "life exp.", "RMD method", "fixed amortization", "fixed annuitization",
                              "balance, RMD", "balance, amort.", "balance, annuit."], s.schedule.map((y) => ({
    attrs: `data-year="${y.year}" data-rmd="${y.payment_rmd}" data-amortization="${y.payment_amortization}" data-annuitization="${y.payment_annuitization}"`,
    cells: [y.year, y.date, y.age, y.life_expectancy, cents(y.payment_rmd), cents(y.payment_amortization), cents(y.payment_annuitization),
            money(y.balance_rmd), money(y.balance_amortization), money(y.balance_annuitization)]})));
  const years = s.schedule.map((y) => y.year);
  drawChart("chart-sepp", METHODS.map(([m, label]) => ({x: years, y: s.schedule.map((y) => y["payment_" + m]),
    mode: "lines+markers", name: label})),
    "Yearly payment by method", {xaxis: {title: {text: "year"}, dtick: 1},
      yaxis: {title: {text: "$ a year"}, rangemode: "tozero"}, height: 420});
  const sepp = $("#chart-sepp");  // its data: the table of payments year by year above it
  sepp.setAttribute("role", "img");
  sepp.setAttribute("aria-label", `Line chart: the yearly payment of each method, ${spanText(years)}; ` +
    "the same payments are in the table of payments year by year above it.");
  const mod = s.modification;
  if (!mod) {
    $("#sepp-break").innerHTML = "<p>Enter a date under “What if I stop or change it on this date?” to price breaking the series " +
      `(the 10% tax on every payment before ${lawText("early_distributions.age")}, plus interest: IRC §72(t)(4)).</p>`;
  } else {
    $("#sepp-break").innerHTML = `<p>If you stop or change the payments on ${mod.date}:</p><div class="tablewrap" tabindex="0"><table id="sepp-break-table"></table></div>`;
    table($("#sepp-break-table"), ["method", `payments before ${lawText("early_distributions.age")}`, "10% tax brought back", "interest", "total"], METHODS.map(([m, label]) => {
      const x = mod[m];
      return {attrs: `data-method="${m}" data-total="${x.total}"`,
        cells: [label, x.modified_early ? cents(x.recaptured_payments) : "— (not early)", cents(x.recapture_tax), cents(x.interest), cents(x.total)]};
    }));
  }
  $("#sepp-rules").innerHTML = s.reasons.map((r) => `<li data-code="${r.code}">${fieldWords(r.text)} [${fieldWords(r.citation)}]</li>`).join("");
  // Each table and rate by its parameter file's label (GET /law), its key where that failed.
  $("#sepp-cites").innerHTML = s.citations.map((c) => `<li data-parameter="${c.parameter}">` +
    `${(LAW[c.parameter] && LAW[c.parameter].label) || c.parameter}: ${c.citation}</li>`).join("");
}

let lastCase = null;
$("#case").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearErrors();
  const mine = ++asking;
  // The answer shown is of the form before: out of date from now, gone if this one fails.
  lastCase = null;
  stale(true, RESULTS, "download");
  const failed = () => { showOnly(null); stale(false, RESULTS, "download"); focusFirstError(); };
  const form = ev.target;
  const pathOf = (el) => {
    if (!el.name.startsWith("src.")) return el.name;
    const [s, f] = el.name.slice(4).split(".");  // src.<source>[.<field>]: the balance unless named
    return f ? `account.sources.${s}.${f}` : "account.sources." + s.replace("_vested", "") + (s.endsWith("_vested") ? ".vested" : ".balance");
  };
  if (!localCheck(form, pathOf, formProblem)) { failed(); return; }
  await lawLoaded;
  const c = buildCase(form);
  const sit = situation();
  try {
    await loadNames();
    let show;
    if (sit === "inherited") {
      await loadLegalTexts();
      const a = await (await post("/assess", c)).json();
      show = () => renderInherited(a);
    } else if (sit === "sepp") {
      await loadLegalTexts();
      const s = await (await post("/sepp", c)).json();
      await loadMoreLaw(s.citations.map((x) => x.parameter));  // their labels
      show = () => renderSepp(s);
    } else {
      const a = await (await post("/assess", c)).json();
      const cmp = await (await post("/compare", c)).json();
      show = () => { render(a, cmp, c); lastCase = c; };
    }
    if (mine !== asking) return;  // asked again meanwhile: that answer is the one to show
    show();
    stale(false, RESULTS, "download");
    $("#download").disabled = !lastCase;
    focusResults();
  } catch (e) {
    if (mine !== asking) return;
    if (e.fields) e.fields.forEach((d) => showError(d.loc.slice(1).join("."), d.msg));
    else $("#err-form").textContent = e.message || String(e);
    failed();
  }
});

$("#download").addEventListener("click", async () => {
  if (lastCase) await download("/report", lastCase, "dist401k-report.html", "download-status");
});
