"""The web page shows the forms of an option that makes several payments, as the report does,
and draws the chart's "tax paid from other money" only where some option pays some.

examples/cases/hardship-medical.yaml, the combined option "in-service + emergency, then
hardship" (worked by hand in tests/compare/test_compare_forms_s56.py): its payments' Forms
1099-R — the in-service $15,000 (box 7 code 1), the emergency $861.54 (code 2) and $138.46
(Roth, $30.77 taxable, code B2), the hardship $485.71 (code 1) and $106.62 (Roth, $23.69
taxable, code B1) — and one Form 5329 Part I for the year: line 1 $16,401.71, line 2
$6,562.18, 99 (the in-service payment's medical exception, 05, and the emergency payment's,
23), line 3 $9,839.53, line 4 $983.95.  Pat's only option, cash, pays every tax out of its
gross: no part of tax from other money, and no legend entry for it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from dist401k.compare_forms import FORM_BOXES, FORMS_1099R_NOTE

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "cases"
APP_JS = ROOT / "src" / "dist401k" / "web" / "app.js"

RENDER = """async (c) => {
  if (typeof loadNames === 'function') await loadNames();
  const a = await (await post('/assess', c)).json();
  const cmp = await (await post('/compare', c)).json();
  render(a, cmp);
  const rows = (sel) => [...document.querySelectorAll(sel + ' tr')].map(
    (r) => ({option: r.dataset.option || null, cells: [...r.children].map((td) => td.innerText.trim())}));
  const chart = document.getElementById('chart-dollars');
  return {forms: rows('#option-1099r'), hidden: document.getElementById('option-1099r-block').hidden,
          note: document.getElementById('option-1099r-note').innerText.trim(), f5329: rows('#f5329'),
          traces: chart.data ? chart.data.map((t) => t.name) : [],
          legend: [...document.querySelectorAll('#chart-dollars .legendtext')].map((t) => t.textContent),
          label: cmp.options.find((o) => o.option === 'first_then_hardship:cash')?.label || null};
}"""


def shown(page, base_url, name: str) -> dict:
    case = json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()), default=str))
    page.goto(base_url + "/")
    return page.evaluate(RENDER, case)


def test_the_page_shows_the_combined_options_forms(page, base_url):
    got = shown(page, base_url, "hardship-medical")
    assert not got["hidden"]
    head, *rows = got["forms"]
    assert head["cells"] == ["option", *(c for _, c in FORM_BOXES), "Box 2b"]
    label = got["label"]
    # option — payment, box 1, 2a, 4, 5, 7, 9b, 11, 14, 16 (no state), 2b (the options priced at
    # the need show theirs too: tests/api/test_web_compare_forms_priced.py)
    assert [r["cells"][:8] for r in rows if r["option"] == "first_then_hardship:cash"] == [
        [f"{label} — In-service withdrawal", "15,000", "15,000", "3,000", "0", "1", "—", "—"],
        [f"{label} — Emergency expense (SECURE 2.0)", "862", "862", "86", "0", "2", "—", "—"],
        [f"{label} — Emergency expense (SECURE 2.0)", "138", "31", "3", "108", "B2", "—", "2019"],
        [f"{label} — Hardship withdrawal", "486", "486", "49", "0", "1", "—", "—"],
        [f"{label} — Hardship withdrawal", "107", "24", "2", "83", "B1", "—", "2019"]]
    assert got["note"] == FORMS_1099R_NOTE
    part_i = [r for r in got["f5329"] if r["option"] == "first_then_hardship:cash"]
    assert len(part_i) == 1
    assert part_i[0]["cells"] == [label, "take it in cash", "16,401.71", "6,562.18", "9,839.53", "983.95",
                                  "99 (In-service withdrawal 05, Emergency expense (SECURE 2.0) 23)"]
    assert not page.errors, page.errors


def test_no_option_of_several_payments_no_table(page, base_url):
    got = shown(page, base_url, "pat-california-rule-of-55")
    assert got["hidden"] and got["label"] is None
    # the chart: no option pays tax from other money, so no such part and no legend entry
    assert "tax paid from other money" not in got["traces"]
    assert "tax paid from other money" not in got["legend"]
    assert not page.errors, page.errors


def test_the_chart_keeps_tax_from_other_money_where_a_conversion_pays_it(page, base_url):
    got = shown(page, base_url, "hardship-medical")
    assert got["traces"][-1] == "tax paid from other money"


def test_the_pages_box_captions_are_the_reports():
    """app.js FORM_BOXES and FORMS_1099R_NOTE say what dist401k.compare_forms says."""
    js = APP_JS.read_text()
    boxes = re.search(r"const FORM_BOXES = (\[.*?\]\]);", js, re.S)
    assert boxes is not None
    assert [tuple(b) for b in json.loads(boxes.group(1))] == list(FORM_BOXES)
    note = re.search(r'const FORMS_1099R_NOTE = ((?:"[^"]*"\s*\+?\s*)+);', js)
    assert note is not None
    assert "".join(re.findall(r'"([^"]*)"', note.group(1))) == FORMS_1099R_NOTE
