"use strict";
/* The drawdown planner page: a household → POST /plan?paths=N → the strategies, the best plan
   year by year, charts; the report from POST /plan/report. */
/* The plan's first year by default: this year, or next year when today is in December (a plan
   made then starts in January).  The page's start_year field can change it. */
const TODAY = new Date();
const DEFAULT_START_YEAR = TODAY.getFullYear() + (TODAY.getMonth() === 11 ? 1 : 0);
$("#start_year").value = DEFAULT_START_YEAR;

/* "Plan until age" of each person as the page shows it at first: a blank field plans to it too
   (buildHousehold), and its help says so. */
const PLAN_UNTIL = [92, 90];

function personFields(k) {
  const p = `people.${k}.`;
  const f = (name, label, input, help = "") => `
   <div class="field"><label for="${p}${name}">${label}</label>${input.replaceAll("ID", p + name)}
    ${help ? `<span class="help">${help}</span>` : ""}
    <span class="err" id="err-${p}${name}" role="alert"></span></div>`;
  // The user's own details may be filled by the browser (WCAG 2.2 SC 1.3.5), a spouse's not;
  // no "off" on a spouse's date of birth: it would keep the browser from refilling it after Back.
  const mine = (token) => (k === 0 ? ` autocomplete="${token}"` : "");
  // Number fields are text read by common.js readNumber ("$1,200,000", "70k", "1.2m"), said when unreadable.
  const num = (value, extra = "") => `<input id="ID" name="ID" type="text" inputmode="decimal" min="0" step="any" value="${value}" data-number ${extra}>`;
  return `<legend>${k === 0 ? "You" : "Your spouse"}</legend><div class="row">
  ${f("name", "First name (optional)", `<input id="ID" name="ID" type="text" maxlength="60"${mine("given-name") || ' autocomplete="off"'}>`)}
  ${f("birth_date", "Date of birth", `<input id="ID" name="ID" type="date" required${mine("bday")}>`,
      'It sets the age of each year: <span data-law="early_distributions.age"></span> for the 10% tax, the RMD age of <span data-law="rmd.applicable_age"></span> (IRC §401(a)(9)(C)), Medicare at <span data-law="medicare.eligibility_age"></span>.')}
  ${f("life_expectancy", "Plan until age", num(PLAN_UNTIL[k], 'max="120" step="1" data-blank-default'),
      `The plan runs to the end of the year this age is reached; a couple's survivor goes on alone. Empty: ${PLAN_UNTIL[k]}.`)}
  ${f("sex", "Sex (for life expectancy)", `<select id="ID" name="ID"><option value="">not given</option><option value="male">male</option><option value="female">female</option></select>`,
      "Reads the Social Security actuaries' death probabilities: how likely you are to be alive each year. Needed for random lifetimes and for ending the plan at a survival percentile.")}
  ${f("retirement_age", "Still working? Age you will retire (empty: already retired)", `<input id="ID" name="ID" type="text" inputmode="decimal" min="30" max="90" step="any" data-number>`,
      "Your wages below stop at this age (66.5: half a year after 66); it also sets when the plan of that employer must start its required distributions (the still-working exception). Empty: already retired, no wages.")}
  ${f("wages", "Wages a year until then ($)", num(0))}
  <div class="field check"><label><input id="${p}wages_from_plan_employer" name="${p}wages_from_plan_employer" type="checkbox" checked>
   The wages are paid by the employer of the 401(k), 403(b) or 457(b) money below</label>
   <span class="help">Untick for wages from another employer: the plan's employer is then already left, so its required
   distributions start at the RMD age though you still work (the still-working exception needs retirement from the employer
   maintaining the plan, IRC §401(a)(9)(C)(i)(II); Treas. Reg. §1.401(a)(9)-2(b)(1)(ii)). Not sent when already retired.</span>
   <span class="err" id="err-${p}wages_from_plan_employer" role="alert"></span></div>
  ${f("medicare_from_age", "Age Medicare Part B starts, if later (empty: at the Medicare age)", `<input id="ID" name="ID" type="text" inputmode="decimal" max="120" step="any" data-number data-law-min="medicare.eligibility_age">`,
      'Covered by a group health plan through your or your spouse\'s current job, you may start Part B (and Part D) later without a penalty (42 U.S.C. §1395p(i)); the Medicare surcharges (IRMAA) are paid only from then. Empty: from <span data-law="medicare.eligibility_age"></span>. Health coverage bought on the Marketplace still ends at that age (premium-free Part A, IRC §36B(c)(2)(B)).')}
  ${f("accounts.pretax", "401(k), 403(b) or 457(b) — pre-tax money ($)", num(0),
      "Plan money. Left in a plan you separated from at 55 or later, it is free of the 10% tax (IRC §72(t)(2)(A)(v)); " +
      'a public safety employee\'s from the year of <span data-law="early_distributions.public_safety_age"></span> (IRC §72(t)(10): the box below).')}
  ${f("accounts.employer_share", "Share of that plan money from employer contributions (0 to 1; empty: not known)", `<input id="ID" name="ID" type="text" inputmode="decimal" min="0" max="1" step="any" data-number>`,
      "Matching, profit sharing and other employer money, not your own deferrals: Hawaii and Michigan exempt that part of a plan withdrawal (HRS §235-7(a)(3); MCL 206.30(8)), so a plan there needs it.")}
  ${f("accounts.ira", "Traditional IRAs ($)", num(0), "Withdrawals and conversions are taxed as income (IRC §408(d)).")}
  ${f("accounts.ira_employer_share", "Share of those IRAs rolled over from employer contributions (0 to 1; empty: not known)", `<input id="ID" name="ID" type="text" inputmode="decimal" min="0" max="1" step="any" data-number>`,
      "Hawaii exempts an IRA withdrawal's part that came from an employer's contributions to a plan (HRS §235-7(a)(3)), so an IRA there needs it.")}
  ${f("accounts.roth", "Roth 401(k) and Roth IRAs ($)", num(0),
      'Qualified withdrawals are tax-free: after <span data-law="early_distributions.age"></span> and five years from the first Roth contribution (IRC §408A(d)(2)).')}
  ${f("accounts.roth_first_year", "Year of the first Roth contribution", `<input id="ID" name="ID" type="text" inputmode="numeric" min="1998" max="2100" step="1" data-number>`,
      "It starts the five-year clock for tax-free earnings (IRC §402A(d)(2)(B), §408A(d)(2)(B)); it cannot be after the plan's first year " +
      "while you hold Roth money then (Treas. Reg. §1.408A-6, Q&A-2). Empty with Roth money: the five years are taken as met. " +
      "Empty with none: the clock starts in the plan's first year, as if a first conversion were made then.")}
  ${f("social_security.monthly_at_full_age", "Social Security at full retirement age ($ a month)", num(0),
      "From your SSA statement (my Social Security). Claiming earlier cuts it, later raises it (42 U.S.C. §402(q), (w)).")}
  ${f("social_security.claim_age", "Age you will claim it (years and months: 67y 6m, or 67 and 6 months; or years and twelfths: 66.5 is 66 and 6 months)", `<input id="ID" name="ID" type="text" inputmode="text" autocomplete="off" min="62" max="70" step="any" value="67" data-number data-years-months data-law-min="social_security.earliest_claim_age" data-law-max="social_security.delayed_credit_last_age">`,
      'Between <span data-law="social_security.earliest_claim_age"></span> and <span data-law="social_security.delayed_credit_last_age"></span>, taken to the nearest whole month (the bounds too: 70.03 is 70 and 0 months): benefits are paid by the month (20 CFR 404.311), so 67.04 is 67 and 0 months, 69.08 is 69 and 1 month; up to <span data-law="social_security.second_tier_rate"></span> of it is taxable depending on your other income (IRC §86). Empty: full retirement age.')}
  ${pensionFields(p, f, num)}
  <div class="field check"><label><input id="${p}separated_at_55" name="${p}separated_at_55" type="checkbox">
   I left the employer of this 401(k)/403(b) in or after the year I turned 55</label>
   <span class="err" id="err-${p}separated_at_55" role="alert"></span></div>
  <div class="field check"><label><input id="${p}public_safety" name="${p}public_safety" type="checkbox">
   I left the employer of this plan as a public safety employee in or after the year I turned <span data-law="early_distributions.public_safety_age"></span>, or after <span data-law="early_distributions.public_safety_years"></span> years of service</label>
   <span class="help">Then the plan money (not the IRAs) is free of the 10% tax from that separation (IRC §72(t)(10)). From a governmental
   plan: a State's or local government's police officer, firefighter, emergency medical worker, corrections officer or forensic
   security employee, or a federal law enforcement officer, customs and border protection officer, firefighter, air traffic
   controller, nuclear materials courier, Capitol or Supreme Court police officer or diplomatic security agent (IRC §72(t)(10)(B));
   from any 401(k), other §401(a) plan or 403(b), a firefighter of a private employer too (IRC §72(t)(10)(A)).</span>
   <span class="err" id="err-${p}public_safety" role="alert"></span></div>
  ${f("years_of_service_at_retirement", "Years of service under the plan when you left (public safety; empty: not counted)",
      `<input id="ID" name="ID" type="text" inputmode="decimal" min="0" max="90" step="any" data-number>`,
      'With the box above: <span data-law="early_distributions.public_safety_years"></span> years of service free the plan money from the separation at any age (IRC §72(t)(10)(A)). Empty: your age alone decides.')}
  <div class="field check"><label><input id="${p}five_percent_owner" name="${p}five_percent_owner" type="checkbox">
   I own more than 5% of the employer</label>
   <span class="help">Counting what your spouse, children, grandchildren and parents own (IRC §416(i)(1)(B)(i), (iii); §318(a)(1)): a solo 401(k)'s owner is one.
   Working past the RMD age, the plan account's required distributions wait for the year you retire — not for a 5% owner;
   once a 5% owner in the plan year ending in the year you reach that age, always one, even if you own less later
   (IRC §401(a)(9)(C)(ii)(I); Treas. Reg. §1.401(a)(9)-2(b)(3)(ii)).</span>
   <span class="err" id="err-${p}five_percent_owner" role="alert"></span></div>
  <div class="field check"><label><input id="${p}blind" name="${p}blind" type="checkbox">
   ${k === 0 ? "I am blind" : "My spouse is blind"}</label>
   <span class="help">Blind at the end of the year (sight of 20/200 or less in the better eye with glasses, or a field of 20 degrees or
   less: IRC §63(f)(4)): an additional standard deduction on every return the person is on — a couple's joint return, and the
   survivor's own (IRC §63(f)(2)).</span>
   <span class="err" id="err-${p}blind" role="alert"></span></div>
  <div class="field check"><label><input id="${p}accounts.governmental_457b" name="${p}accounts.governmental_457b" type="checkbox">
   The plan money is in a governmental 457(b)</label>
   <span class="help">Free of the 10% tax at any age (IRC §72(t)(9)). Leave it off if some of it was rolled in from a 401(k), 403(b) or IRA.</span>
   <span class="err" id="err-${p}accounts.governmental_457b" role="alert"></span></div>
  ${f("accounts.state_taxed_contributions", "Contributions to that plan your state already taxed ($)", num(0),
      "Not yet recovered. New Jersey taxed the employee contributions to a 403(b), 457(b) or 414(h) plan when made (it defers only 401(k) " +
      "contributions: N.J.S.A. 54A:6-21; N.J.A.C. 18:35-2.5(a)); Pennsylvania taxed elective deferrals (61 Pa. Code §101.6(c)(8)). " +
      "Each state gives them back by its own rule, not worked here: a New Jersey year drawing on the plan money, or a Pennsylvania " +
      "one before the plan's conditions for retirement are met, is then not figured.")}
  </div>`;
}

/* A person's pension (the plan file's people[].pension, planner/household.py Pension): the
   monthly amount, its start age, a COLA, the survivor's share (a couple only). `f` and `num`
   are personFields' field and number-input makers; sent only with an amount (buildHousehold). */
function pensionFields(p, f, num) {
  const check = (name, label, help) => `<div class="field check"><label><input id="${p}${name}" name="${p}${name}" type="checkbox">
   ${label}</label><span class="help">${help}</span>
   <span class="err" id="err-${p}${name}" role="alert"></span></div>`;
  return `${f("pension.monthly", "Pension a month ($)", num(0),
      "A defined-benefit pension from an employer's plan: what it pays a month before tax — without a COLA the same " +
      "dollars every year; with one, in the plan's first-year dollars. All of it is taxed as income (IRC §72(a)); " +
      "a tax-free part from after-tax contributions (IRC §72(d)) is not modelled. Empty or 0: no pension.")}
  ${f("pension.start_age", "Age the pension starts", `<input id="ID" name="ID" type="text" inputmode="decimal" min="40" max="100" step="any" value="65" data-number>`,
      "Already paid: the age it began (a death earlier: see the survivor's share). Empty: 65.")}
  ${check("pension.indexed", "The pension has a cost-of-living raise (COLA)",
      "Then the amount above is in the plan's first-year dollars and grows with the inflation the plan assumes every " +
      "year from the first, before the pension starts too: give a later pension's amount in today's dollars.")}
  <div data-couple class="field"><label for="${p}pension.survivor_fraction">Share of the pension paid on to the surviving spouse (%)</label>
   <input id="${p}pension.survivor_fraction" name="${p}pension.survivor_fraction" type="text" inputmode="decimal" min="0" max="100" step="any" data-number data-percent>
   <span class="help">The joint-and-survivor election: 50 means half of it goes on for life to the spouse who survives,
   with the same COLA, from the year after the death. A death before the pension starts: the same share from the year the
   holder would have reached its start age (the plan's stand-in for the qualified pre-retirement survivor annuity, IRC
   §417(c)(1), which a plan figures at its earliest retirement age). Empty: none.</span>
   <span class="err" id="err-${p}pension.survivor_fraction" role="alert"></span></div>`;
}

/* Repeatable rows (the plan file's lists): a change of spending (spending.changes[]), a planned
   expense (spending.expenses[]), other income (other_income[]), money received (inflows[]) —
   planner/household.py SpendingChange, Expense, OtherIncome, Inflow. Each row is a group named by its legend ("Planned
   expense 2"), its fields named <list>.<k>.<field> as the model's; "Add" puts the focus on the
   new row's first field, "Remove" (named with the row's legend) on the next row's, else the one
   before, else the Add button. */
const ROW_KINDS = {
  changes: {list: "spending.changes", name: "Change of spending", fields: changeRowFields},
  expenses: {list: "spending.expenses", name: "Planned expense", fields: expenseRowFields},
  other: {list: "other_income", name: "Other income", fields: otherIncomeRowFields},
  inflows: {list: "inflows", name: "Money received", fields: inflowRowFields},
};

/* One field of a row: `name` is the model's field; ids and names are set by renumberRows. */
function rowField(name, label, input, help, cls = "field") {
  const labelled = cls.includes("check") ? `<label>${input} ${label}</label>` : `<label data-f="${name}">${label}</label>${input}`;
  return `<div class="${cls}">${labelled}
   <span class="help" data-f="${name}">${help}</span>
   <span class="err" data-f="${name}" role="alert"></span></div>`;
}
const rowYear = (name, extra = "") => `<input data-f="${name}" type="text" inputmode="numeric" min="1900" max="2200" step="1" data-number ${extra}>`;
const rowMoney = (name) => `<input data-f="${name}" type="text" inputmode="decimal" min="0" step="any" required data-number>`;
const rowIndexed = (help) => rowField("indexed", "Grows with inflation", `<input data-f="indexed" type="checkbox" checked>`, help, "field check");

function changeRowFields() {
  return rowField("from_year", "From the year", rowYear("from_year"),
    "First year of the new spending (give this or the age).") +
  rowField("from_age", "or from the age you reach", `<input data-f="from_age" type="text" inputmode="numeric" min="0" max="120" step="1" data-number>`,
    "It starts in the calendar year the first person above (You) reaches this age, alive or not (give this or the year).") +
  rowField("fraction", "Spending from then (% of the yearly spending)", `<input data-f="fraction" type="text" inputmode="decimal" min="0" max="1000" step="any" required data-number data-percent>`,
    "80: a fifth less. From that year the base spending is this share of the spending level (the one the plan finds, or the one " +
    "you set), until the next change; a survivor's share multiplies on top. List the changes in the order of their years.");
}

function expenseRowFields() {
  return rowField("year", "Year", rowYear("year", "required"), "Year of the expense (the first, for a run of years).") +
  rowField("amount", "Amount a year after tax ($)", rowMoney("amount"),
    "Today's dollars, grown with inflation — or, unticked below, the same dollars every year. Paid in full on top of the " +
    "spending while either of you lives, not cut by the survivor's share.") +
  rowField("years", "Years it is paid", `<input data-f="years" type="text" inputmode="numeric" min="1" max="100" step="1" value="1" data-number>`,
    "1: once. A mortgage: the payments left, from the year above.") +
  rowIndexed("Untick for the same dollars every year, as a fixed-rate mortgage's payment.") +
  rowField("label", "What it is for (optional)", `<input data-f="label" type="text" maxlength="60" autocomplete="off">`,
    "Shown with the plan: a roof, a car, the mortgage.");
}

function otherIncomeRowFields() {
  return `<div data-couple class="field"><label data-f="person">Whose income</label>
   <select data-f="person" data-int><option value="0">yours</option><option value="1">your spouse's</option></select>
   <span class="help" data-f="person">Paid while that person lives; a survivor keeping a rent enters it as their own.</span>
   <span class="err" data-f="person" role="alert"></span></div>` +
  rowField("annual", "Amount a year before tax ($)", rowMoney("annual"),
    "Rent, a business's profit, an annuity bought outside a plan: taxed as ordinary income (in AGI, so in the Social Security " +
    "taxed, IRMAA and the premium tax credit), never as wages. In today's dollars, grown with inflation unless unticked below.") +
  rowField("start_year", "First year (optional)", rowYear("start_year"), "Empty: the plan's first year.") +
  rowField("end_year", "Last year (optional)", rowYear("end_year"), "Included. Empty: the plan's last year.") +
  rowIndexed("Untick for the same dollars every year.");
}

/* Money received that is not income (household.py Inflow): a gift or an inheritance (IRC
   §102(a)), a home's net proceeds within §121 — cash at the start of its year. Its `basis` is
   not asked: cash is all basis, and shares with a carried-over one (§1015) are not modelled. */
function inflowRowFields() {
  return rowField("year", "Year received", rowYear("year", "required"),
    "It goes into your cash at the start of this year, to spend that year and after (a year of the plan).") +
  rowField("amount", "Amount received ($)", rowMoney("amount"),
    "Not income, so not taxed: a gift or an inheritance of cash (IRC §102(a); a gift from an employer is income, " +
    "§102(c)), or a home's net proceeds — the price less the sale's costs and the mortgage paid off — with its gain " +
    "within the §121 exclusion (a gain above it is not modelled). An inherited IRA or plan account is not this. " +
    "Today's dollars, grown with inflation — or, unticked below, the dollars of its year.") +
  rowIndexed("Untick for the nominal dollars of its year.") +
  rowField("label", "What it is (optional)", `<input data-f="label" type="text" maxlength="60" autocomplete="off">`,
    "Shown with the plan: an inheritance, a house sale.");
}

function addRow(kind) {
  const k = ROW_KINDS[kind];
  const row = document.createElement("fieldset");
  row.className = "repeat-row";
  row.dataset.kind = kind;
  row.innerHTML = `<legend></legend><div class="row">${k.fields()}</div>
   <span class="err" data-f="" role="alert"></span>
   <button type="button" class="secondary" data-remove>Remove</button>`;
  row.querySelector("[data-remove]").addEventListener("click", () => removeRow(row));
  document.getElementById(`rows-${kind}`).appendChild(row);
  renumberRows(kind);
  updateForm();
  row.querySelector("input:not([disabled]), select:not([disabled])").focus();
  return row;
}

function removeRow(row) {
  const kind = row.dataset.kind;
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  renumberRows(kind);
  (next ? next.querySelector("input:not([disabled]), select:not([disabled])") : document.getElementById(`add-${kind}`)).focus();
}

/* Each row's legend, Remove button, ids and names by its place: <list>.<k>.<field>. */
function renumberRows(kind) {
  const k = ROW_KINDS[kind];
  document.querySelectorAll(`#rows-${kind} > .repeat-row`).forEach((row, i) => {
    row.querySelector("legend").textContent = `${k.name} ${i + 1}`;
    row.querySelector("[data-remove]").setAttribute("aria-label", `Remove ${k.name.toLowerCase()} ${i + 1}`);
    row.querySelectorAll("[data-f]").forEach((el) => {
      const path = `${k.list}.${i}` + (el.dataset.f ? `.${el.dataset.f}` : "");
      if (el.tagName === "LABEL") el.htmlFor = path;
      else if (el.classList.contains("err")) el.id = "err-" + path;
      else if (el.classList.contains("help")) el.id = "help-" + path;
      else { el.id = path; el.name = path; }
    });
    row.querySelectorAll("input[data-f], select[data-f]").forEach((el) => {
      const err = document.getElementById("err-" + el.id);
      el.setAttribute("aria-describedby", ["help-" + el.id].concat(err && err.textContent ? [err.id] : []).join(" "));
    });
  });
}

/* A change of spending is given by its year or by an age, one of them (household.py). */
function changeRowProblem(el) {
  if (el.dataset.f !== "from_year" || !el.closest("[data-kind='changes']")) return null;
  const age = el.closest(".repeat-row").querySelector("[data-f='from_age'][name]");
  const given = [el, age].filter((x) => x.value.trim() !== "").length;
  return given === 1 ? null : given ? "Give the year or the age, not both." : "Give the year or the age it starts.";
}

document.querySelectorAll("[data-person]").forEach((el) => { el.innerHTML = personFields(Number(el.dataset.person)); });
loadLaw();

function updateForm(disable = true) {
  const form = $("#plan");
  const couple = form.elements.who.value === "2";
  $("[data-person='1']").hidden = !couple;
  document.querySelectorAll("[data-couple]").forEach((el) => { el.hidden = !couple; });
  // data-when="name=value", or several such joined by "|": shown when any holds.
  document.querySelectorAll("[data-when]").forEach((el) => {
    el.hidden = !el.dataset.when.split("|").some((when) => {
      const [name, value] = when.split("=");
      return form.elements[name].value.trim().toUpperCase() === value.toUpperCase();
    });
  });
  if (!disable) return;
  for (const el of form.elements) if (el.name && el.name !== "who") el.disabled = !!el.closest("[hidden]");
}
$("#plan").addEventListener("change", () => updateForm());
updateForm(false);
for (const kind of Object.keys(ROW_KINDS)) document.getElementById(`add-${kind}`).addEventListener("click", () => addRow(kind));
/* Back to the page, the browser refills the form after this script ran (a couple ticked, the
   spouse's fields filled) without a change event: the sections shown, and the fields sent,
   follow what is ticked again once it has (pageshow comes after the refill, from the
   back-forward cache too). */
window.addEventListener("pageshow", () => { updateForm(); setTimeout(() => updateForm(), 0); });

/* The rows of a list as setPath left them ({"0": {…}, "1": {…}}): an array in their order. */
const listOf = (rows) => Object.keys(rows).sort((a, b) => a - b).map((k) => rows[k]);

function buildHousehold(form) {
  const h = {start_year: DEFAULT_START_YEAR, people: {}, taxable: {}, spending: {}, market: {}, strategy: {}};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.name === "who" || el.name === "paths" || el.name === "marketplace_on") continue;
    if (el.type === "checkbox") { setPath(h, el.name, el.checked); continue; }
    const blank = (el.dataset.number !== undefined ? el.value.trim() : el.value) === "";
    if (blank && el.dataset.blankDefault === undefined) continue;
    const value = blank ? el.defaultValue : el.value;  // blank: the page's default (data-blank-default)
    // A number field is read as people write it (common.js readNumber: "$1,200,000", "70k").
    let v = el.dataset.number !== undefined ? numberValue(el, value) : value;
    if (el.dataset.percent !== undefined) v = Number((v / 100).toPrecision(12));
    if (el.dataset.bool !== undefined) v = v === "true";
    if (el.dataset.int !== undefined) v = Number(v);
    setPath(h, el.name, v);
  }
  h.people = Object.keys(h.people).sort().map((k) => h.people[k]);
  if (h.magi_history) {  // oldest first; the year before the plan is the last
    const m = h.magi_history;
    h.magi_history = m[1] === undefined ? [m[0], null] : m[0] === undefined ? [m[1]] : [m[0], m[1]];
  }
  // already retired: no wages; wages given with no retirement age are sent, for the server to refuse by name
  for (const p of h.people) if (!p.retirement_age && !(p.wages > 0)) delete p.wages;
  for (const p of h.people) if (!(p.pension && p.pension.monthly > 0)) delete p.pension;  // no amount: no pension
  // The plan's employer pays the wages unless unticked (the model's default): sent only when not, and working.
  for (const p of h.people) if (!p.retirement_age || p.wages_from_plan_employer) delete p.wages_from_plan_employer;
  if (h.spending.changes) h.spending.changes = listOf(h.spending.changes);  // rows: named <list>.<k>.<field>
  if (h.spending.expenses) h.spending.expenses = listOf(h.spending.expenses);
  if (h.other_income) h.other_income = listOf(h.other_income);
  if (h.inflows) h.inflows = listOf(h.inflows);
  return h;
}

function render(p, paths, h) {
  $("#plan-results").hidden = false;  // first: Plotly sizes a chart by its container
  // the strategy every door stars (`best`); the optimum where none ranks
  const best = p.strategies.find((s) => s.key === p.best) ||
    p.strategies.find((s) => s.key === "optimal") || p.strategies[0];
  const mc = best.monte_carlo || {};
  renderHeadline(p, best, mc);
  renderSpendingPlan(p.spending);
  renderInflows(p.inflows);
  renderStrategies(p, best);
  renderPlanCharts(p.table, mc);
  renderConfidence(p.confidence, best.monte_carlo);
  renderClaiming(p.claiming, h, !!p.state);
  renderClaimGiven(h);
  renderGuardrails(p.strategies.filter((s) => s.monte_carlo && s.monte_carlo.spending_percentiles_by_year),
    p.table.map((r) => r.year));
  renderLongevity(p, h);
  renderEarningsTest(p, h);
  renderIrmaaAppeal(p, h);
  const notes = (p.state && p.state.notes) || [];
  $("#state-notes").hidden = !notes.length;
  $("#state-notes").textContent = notes.map(namedByLabel).join(" ");
  // What the plan assumed for want of a fact: the server's (IRMAA's look-back income), in the
  // page's words for its fields, and the page's own (the Roth five years, the claiming age).
  const unconfirmed = (p.state && p.state.unconfirmed_years) || [];  // flagged in the state's law files
  const assumed = (p.assumptions || []).map(namedByLabel).concat(pageAssumptions(h), unconfirmed.length
    ? [`The state figures of ${unconfirmed.join(", ")} are flagged unconfirmed in its law files.`] : []);
  $("#assumptions").hidden = !assumed.length;
  $("#assumptions").textContent = assumed.join(" ");
  renderYearTable(p);
  renderWhoseTable(p, h);
}

/* Under max_estate every strategy is to pay the need and the estates are compared: one that leaves
   a dollar or more of it unpaid over the plan (its `shortfall`, nominal) says so in its row and is
   never marked best (planner/plan.py need_unpaid, UNPAID_MIN). */
const needUnpaid = (p, s) => p.objective === "max_estate" && s.shortfall >= 1;

/* The strategies side by side; with a state of residence, its income tax over the plan beside
   the federal lifetime tax (today's dollars; "not figured" where a year's is not, the years said
   under the table). */
function renderStrategies(p, best) {
  const withMc = p.strategies.some((s) => s.monte_carlo && s.monte_carlo.success_rate !== undefined);
  const taxed = !!p.state;
  const stateTax = (s) => s.lifetime_state_tax_real === null ? "not figured" : money(s.lifetime_state_tax_real);
  table($("#strategies"), ["strategy", "spending a year (today's $)", "lifetime tax (today's $)"]
    .concat(taxed ? ["state tax (today's $)"] : [],
      ["Medicare IRMAA (nominal)", "Roth conversions (nominal)", "estate (today's $)"])
    .concat(withMc ? ["success rate (± one standard error, points)"] : []), p.strategies.map((s) => ({
    cls: s.key === best.key && !needUnpaid(p, s) ? "best" : "",
    attrs: `data-key="${s.key}" data-spending="${s.spending_real}" data-tax="${s.lifetime_tax_real}" ` +
      `data-state-tax="${s.lifetime_state_tax_real}" data-estate="${s.estate_real}"`,
    cells: [s.label + (needUnpaid(p, s) ? ` — does not pay the need: $${money(s.shortfall)} short` : ""),
      money(s.spending_real), money(s.lifetime_tax_real)]
      .concat(taxed ? [stateTax(s)] : [],
        [money(s.irmaa), money(s.roth_conversions), money(s.estate_real)])
      .concat(withMc ? [s.monte_carlo.success_rate === undefined ? "—" : successWithSe(s.monte_carlo)] : [])})));
  const unfigured = p.strategies.filter((s) => s.state_tax_not_figured);
  // what a strategy leaves unpaid of what it itself is to pay (its `shortfall_measured_against`)
  const unpaid = p.strategies.filter((s) => !needUnpaid(p, s) && s.shortfall >= 1);
  $("#strategies-state").hidden = !taxed && !unpaid.length;
  $("#strategies-state").textContent = (!taxed ? "" : "State tax: the income tax of each year's state of " +
    "residence over the plan, in today's dollars, beside the federal lifetime tax." + (unfigured.length
      ? " Not figured (a year's state tax is not figured, so no total is given): " +
        unfigured.map((s) => `${s.label}: ${s.state_tax_not_figured.join(", ")}`).join("; ") + "."
      : "")) + (unpaid.length ? (taxed ? " " : "") + "Unpaid on the fixed returns (nominal dollars over the plan): " +
    unpaid.map((s) => `${s.label}: $${money(s.shortfall)}, of ${s.shortfall_measured_against}`).join("; ") + "." : "");
}

/* The headline: what the best plan spends (or leaves), its success rate and what it was
   measured at, and the inflation today's dollars are divided by. */
function renderHeadline(p, best, mc) {
  if (p.objective === "max_spending") {
    const sp = p.spending;  // spending that changes: the level is the base spending before the first change
    $("#headline").textContent = `$${money(best.spending_real)} a year after tax, in today's dollars, ` +
      (sp && sp.changes.length ? "before the changes of spending you planned (below)" : "to the end of the plan") +
      (sp && sp.expenses.length ? ", on top of the expenses you planned." : ".");
  } else {
    $("#headline").textContent = `An estate of $${money(best.estate_real)} after the heirs' tax, in today's dollars, with your spending met.`;
  }
  $("#headline").dataset.spending = best.spending_real;
  $("#headline-help").textContent = `The best plan: ${best.label}, ${p.years[0]}–${p.years[1]}` + successText(best, mc);
  $("#headline-help").dataset.testedSpending = mc.spending_real === undefined ? best.spending_real : mc.spending_real;
  if (p.notes) $("#headline-help").textContent += " " + p.notes.join(" ");  // e.g. fewer paths
  $("#inflation").textContent = `Today's dollars are ${p.years[0]}'s: a later year's amounts are divided by the ` +
    `inflation the plan assumes, ${(p.inflation * 100).toFixed(2)}% a year, compounded.`;
}

/* The spending asked for beyond a constant one (the JSON's `spending`: its changes and planned
   expenses), in words as the terminal says it (planner/plan.py spending_plan_text). */
function renderSpendingPlan(sp) {
  const el = $("#spending-plan");
  el.hidden = !sp;
  if (!sp) return;
  const pct = (x) => `${Number((x * 100).toPrecision(12))}%`;
  const changes = sp.changes.map((c) => `from ${c.from_year}${c.from_age === null ? "" : ` (age ${c.from_age})`} ${pct(c.fraction)} of it`);
  let text = changes.length
    ? `The spending a year shown is the level before the changes (today's dollars): ${changes.join(", ")}; ` +
      "a guardrail's is the mean of its base spending over that share"
    : "The spending a year shown is the base spending, the planned expenses left out";
  text += sp.survivor_fraction === null ? "" : ` (a survivor spends ${pct(sp.survivor_fraction)} of it)`;
  text += ". The systematic strategy's is its own mean payment (its share of the balance follows no " +
    "change of spending); it pays the planned expenses on top.";
  for (const e of sp.expenses) {
    const once = e.years === 1;
    const years = once ? `${e.year}` : `${e.year}–${e.last_year}`;
    text += ` Planned on top: ${e.label || "an expense"}, $${money(e.amount)}${once ? "" : " a year"} ` +
      `(${e.indexed ? "today's dollars" : "nominal dollars"}) in ${years}.`;
  }
  el.textContent = text;
}

/* The money received that is not income (the JSON's `inflows`), in words as the terminal says
   it (planner/plan.py inflows_text): each one's label, amount, dollars and year. */
function renderInflows(got) {
  const el = $("#inflows-plan");
  el.hidden = !(got && got.length);
  if (el.hidden) return;
  el.textContent = "Money received that is not income (a gift or an inheritance, IRC §102(a); a home's net " +
    "proceeds within §121's exclusion — a gain above it is not modelled), cash at the start of its year: " +
    got.map((f) => `${f.label || "money received"}, $${money(f.amount)} ` +
      `(${f.indexed ? "today's dollars" : "nominal dollars"}) in ${f.year}`).join("; ") + ".";
}

/* The plan's charts: balances by account, each year's income and tax, the Monte Carlo fan. */
function renderPlanCharts(t, mc) {
  const years = t.map((r) => r.year);
  const col = (k) => t.map((r) => r[k]);
  const balances = [
    ["pretax_balance", "pre-tax (401(k), IRA)"], ["roth_balance", "Roth"], ["taxable_balance", "brokerage"], ["cash_balance", "cash"]]
    .map(([k, name]) => ({x: years, y: col(k), name, type: "scatter", mode: "lines", stackgroup: "one"}));
  drawChart("chart-balances", balances, "Balances at the start of each year (dollars of each year)",
    {xaxis: {title: {text: "year"}}, height: 440});
  // Each account's balance (the year-by-year table has only their total).
  chartData("chart-balances", `Stacked area chart: balances at the start of each year by account (${balances.map((t) => t.name).join(", ")}), ` +
    `${spanText(years)}; its data are in the table below it.`, "balances at the start of each year by account (dollars of each year)",
    ["year", years], traceColumns(balances));
  const sum = (...ks) => t.map((r) => ks.reduce((a, k) => a + (r[k] || 0), 0));
  const income = [
    {type: "bar", name: "Social Security", x: years, y: col("social_security")},
    {type: "bar", name: "wages and pensions", x: years, y: sum("wages", "pension")}]
    .concat(t.length && "other_income" in t[0] ? [{type: "bar", name: "other income", x: years, y: col("other_income")}] : [])
    .concat(t.length && "inflows" in t[0] ? [{type: "bar", name: "money received", x: years, y: col("inflows")}] : [])
    .concat([
    {type: "bar", name: "pre-tax withdrawals (RMDs included)", x: years, y: col("pretax_withdrawal")},
    {type: "bar", name: "Roth withdrawals", x: years, y: col("roth_withdrawal")},
    {type: "bar", name: "brokerage and cash", x: years, y: sum("taxable_withdrawal", "cash_withdrawal")},
    {type: "scatter", mode: "lines+markers", name: "Roth conversions", x: years, y: col("conversion")},
    {type: "scatter", mode: "lines", name: "income tax and IRMAA", x: years, y: sum("income_tax", "additional_tax_72t", "irmaa")}]);
  const incomeTitle = "Where each year's money comes from, and its tax (dollars of each year)";
  drawChart("chart-income", income, incomeTitle, {barmode: "stack", xaxis: {title: {text: "year"}}, height: 500, margin: {t: 140}});
  chartData("chart-income", `Stacked bar chart with lines: ${incomeTitle}, ${spanText(years)}; its data are in the table below it.`,
    incomeTitle, ["year", years], traceColumns(income));
  const fan = mc.balance_percentiles_by_year;
  $("#chart-fan").hidden = !fan;  // first: a hidden chart has no width to be drawn in
  if ($("#chart-fan-data")) $("#chart-fan-data").hidden = !fan;
  if (fan) {
    const title = `Total savings over ${mc.paths.toLocaleString("en-US")} simulated markets (today's dollars)` + aliveNote(mc);
    drawFan("chart-fan", monteCarloYears(mc, fan, years), fan, title, SERIES_COLORS[0], mc.paths_alive_by_year);
  }
}

/* The optimum year by year, with the columns of the plan's other income, spending need (a
   spending that changes: its profile and planned expenses, planner/plan.py year_table), money
   received (inflows), charity, marketplace and state. */
function renderYearTable(p) {
  // the table is always the optimum's rows: where another strategy is starred, the title says so
  const label = (key) => (p.strategies.find((s) => s.key === key) || {}).label;
  $("#years-title").textContent = p.best && p.best !== "optimal"
    ? `The optimum, year by year (nominal dollars: each year's own) — the rows of ${label("optimal")}, ` +
      `not of the best plan, ${label(p.best)}`
    : "The best plan, year by year (nominal dollars: each year's own)";
  const t = p.table;
  const other = t.length > 0 && "other_income" in t[0];  // other income (other_income[]), by year
  const need = t.length > 0 && "need" in t[0];  // the spending asked for each year, when not constant
  const got = t.length > 0 && "inflows" in t[0];  // money received that is not income (inflows[]), by year
  const gives = !!p.charity;  // a gift to charity: its QCDs and the whole gift, by year
  const covered = !!p.marketplace;  // marketplace coverage: the premium net of its credit, by year
  const taxed = !!p.state;  // a state of residence: its income tax, by year
  table($("#years"), ["year", "ages", "wages and pensions"].concat(other ? ["other income"] : [])
    .concat(["Social Security", "RMD", "pre-tax withdrawal (gross)", "Roth conversion", "Roth withdrawal (gross)",
      "brokerage + cash (gross)", "taxable income", "bracket", "income tax", "IRMAA", "net cash after tax", "spending", "saved"])
    .concat(need ? ["spending planned"] : []).concat(got ? ["received"] : []).concat(["total balance"])
    .concat(gives ? ["QCD", "to charity"] : [])
    .concat(covered ? ["health premium, net", "premium tax credit", "share of the poverty line"] : [])
    .concat(taxed ? ["state", "state tax"] : []), t.map((r) => ({
    attrs: `data-year="${r.year}" data-tax="${r.income_tax}" data-conversion="${r.conversion}" data-pension="${r.pension}"`
      + ` data-net-cash="${r.net_cash}" data-deposit="${r.deposit}"`
      + (other ? ` data-other-income="${r.other_income}"` : "") + (need ? ` data-need="${r.need}"` : "")
      + (got ? ` data-inflows="${r.inflows}"` : "")
      + (gives ? ` data-qcd="${r.qcd}"` : "")
      + (covered ? ` data-credit="${r.premium_tax_credit}" data-poverty-share="${r.poverty_line_share ?? ""}"`
        + ` data-public-coverage="${r.public_coverage ? "yes" : "no"}"` : ""),
    cells: [r.year + (r.projected ? PROJECTED_MARK : ""), r.ages.map((a) => (a === null ? "—" : a)).join(", "), money(r.wages + r.pension)]
      .concat(other ? [money(r.other_income)] : [])
      .concat([money(r.social_security), money(r.rmd), money(r.pretax_withdrawal), money(r.conversion),
        money(r.roth_withdrawal), money(r.taxable_withdrawal + r.cash_withdrawal), money(r.taxable_income),
        Math.round(r.marginal_bracket * 100) + "%", money(r.income_tax), money(r.irmaa), money(r.net_cash),
        money(r.spending), money(r.deposit)])
      .concat(need ? [money(r.need)] : []).concat(got ? [money(r.inflows)] : [])
      .concat([money(r.pretax_balance + r.roth_balance + r.taxable_balance + r.cash_balance)])
      .concat(gives ? [money(r.qcd), money(r.charity)] : [])
      .concat(covered ? [money(r.marketplace_premium - r.premium_tax_credit), money(r.premium_tax_credit),
        r.poverty_line_share === null ? "" : Math.round(r.poverty_line_share * 100) + "%"
          + (r.public_coverage ? " (Medicaid or Basic Health Program: no credit)" : "")] : [])
      .concat(taxed ? [r.state, money(r.state_tax)] : [])})));
  projectedCaption($("#years"), p);
}

/* Whose money and which account, year by year (planner/plan.py year_table): the IRAs' part of
   the pre-tax withdrawal and the conversion (the rest is the plan accounts'); for a couple the
   second person's part, their IRAs' part of it, and their own wages, pension and Social
   Security (parts of the household's). */
function renderWhoseTable(p, h) {
  const t = p.table;
  const couple = t.length > 0 && "spouse_wages" in t[0];
  // the name as text: table() writes its header as HTML
  const b = couple ? String((h.people[1] && h.people[1].name) || "Your spouse").replace(/[&<>"']/g,
    (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"})[c]) : "";
  const cols = [["ira_withdrawal", "pre-tax withdrawal: IRAs (the rest: plan accounts)"],
    ["ira_conversion", "conversion: IRAs (the rest: plan accounts)"]].concat(couple ? [
    ["spouse_withdrawal", `pre-tax withdrawal: ${b}'s`], ["spouse_ira_withdrawal", `pre-tax withdrawal: ${b}'s IRAs`],
    ["spouse_conversion", `conversion: ${b}'s`], ["spouse_ira_conversion", `conversion: ${b}'s IRAs`],
    ["spouse_wages", `${b}'s wages`], ["spouse_pension", `${b}'s pension`],
    ["spouse_social_security", `${b}'s Social Security`]] : []);
  table($("#whose"), ["year"].concat(cols.map(([, label]) => label)), t.map((r) => ({
    attrs: `data-year="${r.year}"` + cols.map(([k]) => ` data-${k.replace(/_/g, "-")}="${r[k]}"`).join(""),
    cells: [r.year + (r.projected ? PROJECTED_MARK : "")].concat(cols.map(([k]) => money(r[k])))})));
}

/* The success rate of the headline's plan on simulated markets, and at what spending it was
   measured: the optimum's policy on random markets is tested at the most it sustains on the
   fixed returns, which may be below the optimiser's spending of the headline — then said in
   the plan's own words (monte_carlo.measured_against), as the terminal and the report say it. */
function successText(best, mc) {
  if (mc.success_rate === undefined) return ".";
  const rate = `${Math.round(mc.success_rate * 100)}% of ${mc.paths.toLocaleString("en-US")} simulated markets` +
    (typeof mc.success_rate_se === "number" ? ` (±${(mc.success_rate_se * 100).toFixed(1)} points, one standard error)` : "");
  if (mc.spending_real === undefined || mc.spending_real >= best.spending_real) return `; it never runs short on ${rate}.`;
  // The API's words carry cents ("85,695.21 a year"): the page shows dollars, as everywhere.
  const words = mc.measured_against.replace(/\b(\d{1,3}(?:,\d{3})*\.\d{2})\b/g,
    (m) => "$" + money(Number(m.replace(/,/g, ""))));
  return `. It never runs short on ${rate}, measured against ${words}.`;
}

/* What the page left to the plan's defaults, said (docs/plan.md): with Roth money and no year
   of the first Roth contribution, the five years are taken as met (planner/timeline.py
   _first_roth_year; Treas. Reg. §1.408A-6, Q&A-2); with Social Security and no claiming age,
   full retirement age. */
function pageAssumptions(h) {
  const name = (i) => (h.people[i] && h.people[i].name) || (i === 0 ? "You" : "Your spouse");
  const out = [];
  h.people.forEach((q, i) => {
    const a = q.accounts || {}, ss = q.social_security || {};
    if (a.roth > 0 && a.roth_first_year === undefined) {
      out.push(`${name(i)}: no year of the first Roth contribution given, so the five years of a qualified ` +
        "Roth withdrawal are taken as met from the start (IRC §408A(d)(2)(B), §402A(d)(2)(B)).");
    }
    if (ss.monthly_at_full_age > 0 && ss.claim_age === undefined && !h.strategy.search_claiming) {
      out.push(`${name(i)}: no claiming age given, so Social Security is claimed at full retirement age.`);
    }
  });
  return out;
}

/* A field of the form by its path (its name): its label as the page shows it, less
   "(optional)" and "($)"; a path with no field of its own (magi_history) names the fields
   under it. Null where the page has none. */
function labelOf(path) {
  const form = $("#plan");
  const own = [...form.elements].filter((el) => el.name === path);
  const fields = own.length ? own.slice(0, 1) : [...form.elements].filter((el) => el.name && el.name.startsWith(path + "."));
  const labels = fields.map((el) => (el.labels && el.labels[0] ? el.labels[0].textContent : ""))
    .map((t) => t.replace(/\s*\((?:[^()]*optional[^()]*|\$)\)/g, "").replace(/\s+/g, " ").trim()).filter(Boolean);
  return labels.length ? labels.map((t) => `“${t}”`).join(" and ") : null;
}

/* A message of the server's with each field it names (`magi_history`, start_year, …) named
   by its label on this page; about a row's field (`row`: other_income.0), a name its row has
   (start_year) is that row's field, not the plan's. */
function namedByLabel(msg, row = null) {
  return String(msg).replace(/`([A-Za-z_][\w.]*)`|\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b/g,
    (whole, quoted) => (row && labelOf(`${row}.${quoted || whole}`)) || labelOf(quoted || whole) || whole);
}

/* The server's refusal of a field as a sentence beside it: "Plan until age: ends before the
   start year." — the field's label (or, with no field of its own, the nearest one above it),
   the message in the page's words. */
function showServerError(path, msg) {
  const parts = path.split(".");
  while (parts.length > 1 && !document.getElementById("err-" + parts.join("."))) parts.pop();
  const at = parts.join(".");
  let text = namedByLabel(msg, /\.\d+\./.test(at + ".") ? at.replace(/^(.*\.\d+)(\..*)?$/, "$1") : null);
  if (!/[.!?]$/.test(text)) text += ".";
  if (!document.getElementById("err-" + at)) { $("#err-form").textContent = `${labelOf(path) || path}: ${text}`; return; }
  const label = labelOf(at);
  showError(at, label ? `${label.replace(/^“|”$/g, "")}: ${text}` : text);
}

/* The years whose law is projected (each row's `projected`) are marked; the table's caption
   says what the mark means (the plan's `projected_from`), as the terminal and the report do. */
const PROJECTED_MARK = "†";
function projectedCaption(el, p) {
  const projected = (p.table || []).some((r) => r.projected);
  if (el.caption) el.deleteCaption();
  if (!projected) return;
  el.createCaption().textContent = `${PROJECTED_MARK} projected law: the years from ${p.projected_from} ` +
    "use the last enacted year's income tax brackets and Medicare IRMAA tiers and amounts, indexed — " +
    "the brackets by the law's assumed CPI, the IRMAA figures by the plan's own inflation (42 U.S.C. §1395r(i)(5)).";
}

/* A Monte Carlo success rate with one binomial standard error beside it, in percentage points
   (the JSON's `success_rate_se`, √(p(1 − p)/n): planner/risk.py success_rate_se), as the
   terminal and the report show it: "74% ±2.0". An answer without the error shows the rate alone. */
function successWithSe(mc) {
  const rate = Math.round(mc.success_rate * 100) + "%";
  return typeof mc.success_rate_se === "number" ? `${rate} ±${(mc.success_rate_se * 100).toFixed(1)}` : rate;
}

/* The most constant spending with the chosen chance of success, beside the best plan's (`opt`:
   its Monte Carlo), each success with its standard error; the spending is found on the same
   paths its success is measured on, so on new paths it may differ by about that much — said in
   the terminal's words (commands/plan.py confidence_line; docs/plan.md, "What 90% means"). */
function renderConfidence(c, opt) {
  const el = $("#confidence");
  el.hidden = !c;
  if (!c) return;
  el.dataset.spending = c.spending_real;
  const pct = (x) => (x * 100).toFixed(1) + "%";
  const points = (x) => `±${(x * 100).toFixed(1)} points`;
  // Fewer paths than the target needs to let one fail (planner/confidence.py fewest_paths,
  // 1 ÷ (1 − target)): no "±0.0 points" — the assumptions below say why.
  const tooFew = c.paths < Math.ceil(1 / (1 - c.target) - 1e-9);
  const own = tooFew ? ", too few paths for this target: see the assumptions below"
    : typeof c.success_rate_se === "number" ? `, ${points(c.success_rate_se)}, one standard error` : "";
  // The optimum's success is its own Monte Carlo row's (planner/plan.py confidence_json).
  const optSe = opt && opt.success_rate === c.optimum_success_rate && typeof opt.success_rate_se === "number"
    ? ` (${points(opt.success_rate_se)})` : "";
  el.textContent = `With a ${Math.round(c.target * 100)}% chance of success: $${money(c.spending_real)} a year ` +
    `(paid every year on ${pct(c.success_rate)} of ${c.paths.toLocaleString("en-US")} simulated markets${own}` +
    (tooFew ? "), beside " : "; found on these same paths, so on new paths its success may differ by about that much), beside ") +
    `the best plan's $${money(c.optimum_spending_real)} on the fixed returns` +
    (c.optimum_success_rate === null ? "." : `; on simulated markets, keeping its conversions and ` +
      `drawing the spending in the usual order, $${money(c.optimum_tested_spending_real)} a year ` +
      (c.optimum_tested_spending_real < c.optimum_spending_real ? "(the most it sustains on the fixed " +
        "returns) " : "") + `succeeds on ${pct(c.optimum_success_rate)}${optSe}.`);
}

/* The claiming-age search's answer (the JSON's `claiming`: planner/plan.py claiming_json), as
   the terminal and the report show it: the ages chosen for each person and how many choices of
   ages were searched, then the rows compared — the best found, full retirement age (42 U.S.C.
   §416(l)) and the last age of delayed credit (§402(w)) — each the whole plan with those ages,
   its spending, lifetime tax, IRMAA and estate (a row with which no plan meets the spending or
   the bequest asked: said so), and with a state of residence (`taxed`) its state income tax over
   the plan beside the federal lifetime tax ("not figured" where a year's is not, the years said
   under the table); a claim made before the plan's start, kept, in the plan's words. */
const CLAIM_CHOICES = {best: "best found", full_retirement_age: "full retirement age",
  last_age: "last age of delayed credit"};
const claimAge = (a) => {
  if (a === null) return "—";
  const m = Math.round(a * 12);
  return m % 12 ? `${Math.floor(m / 12)} and ${m % 12} month${m % 12 === 1 ? "" : "s"}` : `${m / 12}`;
};
/* The claiming ages the page sent (not searched), as the plan takes them: each to the nearest
   whole month (planner/social_security_benefit.py claim_month; 20 CFR 404.311), "67 and 6
   months"; hidden where none was given or the ages are searched. */
function renderClaimGiven(h) {
  const el = $("#claim-given");
  const given = h.strategy.search_claiming ? [] : h.people.map((q, i) => [q, i])
    .filter(([q]) => q.social_security && typeof q.social_security.claim_age === "number");
  el.hidden = !given.length;
  el.textContent = !given.length ? "" : "Social Security claimed at: " + given.map(([q, i]) =>
    `${q.name || (i === 0 ? "You" : "Your spouse")} ${claimAge(q.social_security.claim_age)}`).join("; ") +
    (given.length > 1 ? " — the ages given, each" : " — the age given,") +
    " taken to the nearest whole month, the month the benefit is figured from (20 CFR 404.311).";
  el.dataset.ages = given.map(([q]) => q.social_security.claim_age).join(",");
}
function renderClaiming(c, h, taxed) {
  const box = $("#claiming");
  box.hidden = !c;
  if (!c) return;
  const names = h.people.map((q, i) => q.name || (i === 0 ? "You" : "Your spouse"));
  $("#claiming-best").textContent = c.compared.length
    ? `Claim Social Security at: ${c.claim_ages.map((a, i) => `${names[i]} ${claimAge(a)}`).join("; ")} — the best ` +
      `of ${c.candidates.toLocaleString("en-US")} choices of claiming ages searched, each a whole plan. The plan shown is made with these ages.`
    : "Nothing was searched: every claim was already made before the plan's first year.";
  $("#claiming").dataset.ages = c.claim_ages.join(",");
  const el = $("#claiming-table");
  el.innerHTML = "";
  el.hidden = !c.compared.length;
  el.createCaption().textContent = `The claiming ages compared (${c.candidates.toLocaleString("en-US")} choices searched)`;
  const cell = (row, text, tag = "td", scope = "") => {
    const x = document.createElement(tag);
    if (scope) x.scope = scope;
    x.textContent = text;
    row.appendChild(x);
    return x;
  };
  const head = el.createTHead().insertRow();
  ["choice"].concat(names.map((n) => `${n}: claiming age`), ["spending a year (today's $)", "lifetime tax (today's $)"],
    taxed ? ["state tax (today's $)"] : [], ["Medicare IRMAA (nominal)", "estate (today's $)"])
    .forEach((t) => cell(head, t, "th", "col"));
  const stateTax = (v) => (v === null ? "not figured" : money(v));
  const body = el.createTBody();
  for (const r of c.compared) {
    const row = body.insertRow();
    row.dataset.choice = r.choice;
    row.dataset.ages = r.claim_ages.join(",");
    if (r.choice === "best") row.className = "best";
    cell(row, CLAIM_CHOICES[r.choice] || r.choice, "th", "row");
    r.claim_ages.forEach((a) => cell(row, claimAge(a)));
    if (r.plan) {
      [r.spending_real, r.lifetime_tax_real].forEach((v) => cell(row, money(v)));
      if (taxed) cell(row, stateTax(r.lifetime_state_tax_real)).dataset.stateTax = r.lifetime_state_tax_real;
      [r.irmaa, r.estate_real].forEach((v) => cell(row, money(v)));
    } else cell(row, "no plan meets the spending or the bequest asked with these ages").colSpan = taxed ? 5 : 4;
  }
  $("#claiming-help").textContent = "Each row is the whole plan with those claiming ages, its withdrawals and Roth " +
    "conversions chosen for them, priced year by year by the exact tax; the best is the one with the most " +
    (h.strategy.objective === "max_estate" ? "estate" : "spending") + ". Spending, lifetime tax" +
    (taxed ? ", state tax (the income tax of each year's state of residence over the plan; the spending is " +
      "after it)" : "") + " and estate in today's dollars; IRMAA is each year's own dollars added up." +
    (c.notes ? " " + c.notes.join(" ") : "") + claimingStateTaxText(c);
}

/* Where a claiming row's state tax over the plan is not figured, the rows and the years (as the
   terminal's: planner/claiming.py state_tax_text); "" where every row's is. */
function claimingStateTaxText(c) {
  const missing = c.compared.filter((r) => r.state_tax_not_figured);
  return missing.length ? " State tax over the plan not figured (a year's state tax is not figured, so no total " +
    "is given): " + missing.map((r) => `${CLAIM_CHOICES[r.choice] || r.choice}: ${r.state_tax_not_figured.join(", ")}`)
    .join("; ") + "." : "";
}

/* The years of a Monte Carlo's fan: the plan's, or with random lifetimes its own (the paths run
   past the plan's end, each to its last death), one a point of the fan. */
const monteCarloYears = (mc, fan, years) => (mc.years ? fan.p50.map((_, k) => mc.years[0] + k) : years);

/* A fan chart of percentiles over the simulated markets (`fan`: p5 … p95 by year): the 5–95 and
   25–75 bands, each bounded by lines — dotted and dashed — so that a band is read by its edges
   and not by its pale fill alone (WCAG 2.2 1.4.11), the median a solid line, all in `color`
   (a SERIES_COLORS one); its percentiles as a table below it (1.1.1). */
function drawFan(el, x, fan, title, color, alive) {
  const fill = (alpha) => `rgba(${[1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)).join(",")},${alpha})`;
  const band = (lo, hi, name, alpha, dash) => [
    {x, y: fan[lo], mode: "lines", line: {width: 1, dash, color}, showlegend: false, hoverinfo: "skip"},
    {x, y: fan[hi], mode: "lines", line: {width: 1, dash, color}, fill: "tonexty", fillcolor: fill(alpha), name}];
  drawChart(el, band("p5", "p95", "5th–95th percentile", 0.18, "dot")
    .concat(band("p25", "p75", "25th–75th percentile", 0.38, "dash"))
    .concat([{x, y: fan.p50, mode: "lines", name: "median", line: {color, width: 2}}]), title,
    {xaxis: {title: {text: "year"}}, height: 440});
  const columns = [["p5", "5th percentile"], ["p25", "25th percentile"], ["p50", "median"], ["p75", "75th percentile"], ["p95", "95th percentile"]];
  // Random lifetimes: each year's paths still going, a column of the table.
  chartData(el, `Fan chart: ${title}, the 5th, 25th, 50th (median), 75th and 95th percentiles by year, ${spanText(x)}; ` +
    "its data are in the table below it.", `${title}: percentiles by year`, ["year", x],
  columns.map(([k, name]) => [name, fan[k]]).concat(alive ? [["paths still going", alive]] : []));
}

/* With random lifetimes a path ends at the last death: the fan's percentiles are of the paths
   still going, and a year with fewer than the plan's minimum of them (paths_alive_minimum,
   planner/plan.py fan_minimum) has none (null), so the bands stop there. */
const aliveNote = (mc) => (mc.paths_alive_by_year ? `; percentiles of the paths still going, shown while at least ` +
  `${mc.paths_alive_minimum.toLocaleString("en-US")} are` : "");

/* Each guardrail's spending over the simulated markets: a fan of its 5–95 and 25–75 percentiles by year. */
function renderGuardrails(rows, years) {
  const box = $("#chart-guardrails");
  box.innerHTML = "";
  for (const s of rows) {
    const fan = s.monte_carlo.spending_percentiles_by_year;
    const div = document.createElement("div");
    div.id = `chart-spending-${s.key}`;
    box.appendChild(div);
    drawFan(div, monteCarloYears(s.monte_carlo, fan, years), fan,
      `Spending a year, ${s.label} (today's dollars; success ${successWithSe(s.monte_carlo)})` + aliveNote(s.monte_carlo),
      SERIES_COLORS[2], s.monte_carlo.paths_alive_by_year);
  }
}

/* Social Security withheld while at work before full retirement age (the earnings test), as
   the CLI and the report say it. */
function renderEarningsTest(p, h) {
  const el = $("#earnings-test");
  const et = p.earnings_test;
  el.hidden = !et;
  if (!et) return;
  const names = et.people.map((_, i) => (h.people[i] && h.people[i].name) || (i === 0 ? "You" : "Your spouse"));
  el.textContent = "Social Security withheld while at work before full retirement age (the earnings test, " +
    "42 U.S.C. §403(b), (f); the benefit is raised at full retirement age for the months withheld, §402(q)(7)): " +
    et.people.map((q, i) => !q.withheld_real ? null : q.months ? `${names[i]}: $${money(q.withheld_real)} (today's dollars) over ${q.months} months, ` +
      `so from full retirement age the benefit is figured as if claimed at ${claimAge(q.benefit_claim_age)}`
      : `${names[i]}: $${money(q.withheld_real)} (today's dollars) of the spouse's benefit`)
      .filter(Boolean).join("; ") + ".";
  el.dataset.withheld = et.people.map((q) => q.withheld_real).join(",");
}

/* What asking Social Security to set IRMAA by a more recent year's income after work stops
   (form SSA-44) takes off the plan's surcharges, as the CLI and the report say it. */
function renderIrmaaAppeal(p, h) {
  const el = $("#irmaa-appeal");
  const a = p.irmaa_appeal;
  el.hidden = !a;
  if (!a) return;
  const name = (i) => (h.people[i] && h.people[i].name) || (i === 0 ? "You" : "Your spouse");
  const who = a.work_stopped.map((w) => `${name(w.person)} stopped work in ${w.year}`).join(" and ");
  const years = Object.keys(a.years).map(Number).sort((x, y) => x - y);
  const span = years.length === 1 ? `${years[0]}` : `${years[0]}–${years[years.length - 1]}`;
  const rule = "(form SSA-44: a work stoppage is a life-changing event, 20 CFR 418.1201, 418.1205(d); SSA POMS HI 01120.030)";
  el.textContent = a.filed
    ? `Medicare IRMAA of ${span} figured on a more recent year's income after ${who} ${rule}: ` +
      `$${money(a.saving_real)} less (today's dollars) than on the look-back year's.`
    : `Medicare IRMAA of ${span} is set by income of the working years; after ${who}, asking SSA to use a ` +
      `more recent year's income ${rule} would take about $${money(a.saving_real)} (today's dollars) off this plan's. ` +
      "Tick the SSA-44 box to plan with it.";
  el.dataset.saving = String(a.saving_real);
}

/* How long the money must last: each person's (both, either) probability of being alive, from
   the SSA death probabilities the plan used; shown when every person's sex is given. */
function renderLongevity(p, h) {
  const lv = p.longevity;
  $("#longevity").hidden = !lv;
  if (!lv) return;
  const names = lv.alive.map((_, i) => (h.people[i] && h.people[i].name) || (i === 0 ? "You" : "Your spouse"));
  const pct = (x) => (x > 0 && x < 0.005 ? "<1%" : x >= 0.995 && x < 1 ? ">99%" : Math.round(x * 100) + "%");
  const end = p.years[1];
  $("#longevity-help").textContent = `Life expectancy: ${lv.life_expectancy.map((e, i) => `${names[i]} ${e.toFixed(1)} more years`).join("; ")}. ` +
    (lv.horizon ? `The plan runs to ${end}: after it, ${names.length > 1 ? "either of you is" : "you are"} still alive with probability ${Math.round((1 - lv.horizon.survival) * 100)}% or less.`
      : `The plan runs to ${end}, the ages you set.`) +
    (lv.lifetimes === "random" ? ` The success rates draw each person's year of death on every simulated path: a strategy succeeds when it is never short while ${names.length > 1 ? "either of you is" : "you are"} alive.` : "");
  const lines = lv.alive.map((y, i) => ({x: lv.years, y, name: `${names[i]} alive`, mode: "lines"}));
  if (lv.either_alive) {
    lines.push({x: lv.years, y: lv.both_alive, name: "both alive", mode: "lines", line: {dash: "dot"}});
    lines.push({x: lv.years, y: lv.either_alive, name: "either alive", mode: "lines", line: {dash: "dot"}});
  }
  chartData("chart-survival", `Line chart: the probability of being alive on January 1, ${lines.map((l) => l.name).join(", ")}, ` +
    `${spanText(lv.years)}; its data are in the table below it.`, "probability of being alive on January 1", ["year", lv.years],
    traceColumns(lines), pct);
  drawChart("chart-survival", lines, "Probability of being alive on January 1",
    {xaxis: {title: {text: "year"}}, yaxis: {range: [0, 1], tickformat: ".0%"}, height: 420,
     shapes: [{type: "line", x0: end, x1: end, y0: 0, y1: 1, line: {dash: "dash", color: "gray"}}]});
  const rows = lv.years.map((y, k) => k).filter((k) => k % 5 === 0 || k === lv.years.length - 1 || lv.years[k] === end);
  table($("#survival"), ["year", "ages"].concat(names.map((n) => `${n} alive`)).concat(lv.either_alive ? ["both", "either"] : []),
    rows.map((k) => ({attrs: `data-year="${lv.years[k]}"`, cells: [lv.years[k], lv.ages.map((a) => a[k]).join(", ")]
      .concat(lv.alive.map((a) => pct(a[k]))).concat(lv.either_alive ? [pct(lv.both_alive[k]), pct(lv.either_alive[k])] : [])})));
}

let last = null;
/* While a plan is computed the button keeps the focus (a disabled button would drop it to the
   page's start, WCAG 2.2 SC 2.4.3): it is marked aria-disabled and a second submit is ignored;
   "Planning…" is said in a status line (SC 4.1.3). The answer itself is not a live region: it
   is long, and the focus goes to its heading (focusResults). */
let planning = false;
function setPlanning(on) {
  planning = on;
  const button = $("#plan button[type=submit]");
  if (on) button.setAttribute("aria-disabled", "true"); else button.removeAttribute("aria-disabled");
  $("#plan-status").textContent = on ? "Planning… this can take a minute." : "";
}

$("#plan").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (planning) return;
  clearErrors();
  // The plan shown is of the form before: out of date from now, gone if this one fails.
  last = null;
  stale(true, ["plan-results"], "download-plan");
  const failed = () => { $("#plan-results").hidden = true; stale(false, ["plan-results"], "download-plan"); focusFirstError(); };
  const form = ev.target;
  // The whole date against today's (the browser's own day): typed by a person now, a birth is
  // past. Born before the plan's first year begins is the server's rule (household.py), and
  // its message comes back to this field.
  const now = new Date(), two = (n) => String(n).padStart(2, "0");
  const today = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const future = (el) => (el.type === "date" && el.value && el.value > today
    ? "A date of birth cannot be in the future." : null);
  if (!localCheck(form, (el) => el.name, (el) => future(el) || changeRowProblem(el))) { failed(); return; }
  const h = buildHousehold(form);
  const paths = numberValue(form.elements.paths) ?? 0;
  setPlanning(true);
  try {
    const p = await (await post(`/plan?paths=${paths}`, h)).json();
    render(p, paths, h);
    last = {h, paths};
    stale(false, ["plan-results"], "download-plan");
    $("#download-plan").disabled = false;
    focusResults();
  } catch (e) {
    if (e.fields) e.fields.forEach((d) => showServerError(d.loc.slice(1).join("."), d.msg));
    else $("#err-form").textContent = e.message || String(e);
    failed();
  } finally {
    setPlanning(false);
  }
});

$("#download-plan").addEventListener("click", async () => {
  if (last) await download(`/plan/report?paths=${last.paths}`, last.h, "dist401k-plan.html",
                           "download-plan-status");
});
