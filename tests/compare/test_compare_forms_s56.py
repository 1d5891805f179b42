"""The comparison's forms and words (review of the HTML reports, findings 6, 8 and 9): the
combined option "the distributions a hardship waits for, then the hardship" carries its payments'
Forms 1099-R and one Form 5329 Part I for the year; a 72(t) series option is named by its method
in the words of Notice 2022-6 and says why it owes no 10% tax.

Figures worked by hand from examples/cases/hardship-medical.yaml (single, wages $68,000, medical
expenses $12,000, 2026; a $12,000 need): the in-service match pays $15,000, all pre-tax; the
emergency expense distribution $1,000 (its Roth part $138.46 with $107.69 of contributions, so
$892.31 taxable); the hardship $592.33 ($509.40 taxable).  The year's AGI is then
$68,000 + $15,000 + $892.31 + $509.40 = $84,401.71; the medical exception spares expenses above
7.5% of it (IRC §72(t)(2)(B)): $12,000 − $6,330.13 = $5,669.87, all on the in-service payment,
the first paid.  The emergency payment's taxable $892.31 is all excepted (§72(t)(2)(I), number 23).
One Part I for the year (Instructions for Form 5329, Part I): line 1 = $15,000 + $892.31 + $509.40
= $16,401.71; line 2 = $5,669.87 + $892.31 = $6,562.18, number 99 (more than one exception:
05 and 23); line 3 = $9,839.53; line 4 = 10% × $9,839.53 = $983.95.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from dist401k.case import load_case
from dist401k.compare import FIRST_THEN_HARDSHIP, compare_case, summed_part_i
from dist401k.compare_forms import FORMS_1099R_TITLE
from dist401k.labels import SEPP_METHOD_LABELS
from dist401k.law.loader import default_law
from dist401k.report import render_html

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def _case(name: str) -> dict:
    return compare_case(load_case(EXAMPLES / f"{name}.yaml"))


@pytest.fixture(scope="module")
def hardship() -> dict:
    return _case("hardship-medical")


@pytest.fixture(scope="module")
def sepp() -> dict:
    return _case("sepp-early-retiree")


def _combined(cmp: dict) -> dict:
    return next(o for o in cmp["options"] if o["option"] == FIRST_THEN_HARDSHIP)


def visible(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def section(page: str, heading: str) -> str:
    """The table under an h2, as a reader sees it."""
    start = page.index(f"<h2>{heading}</h2>")
    return page[start:page.index("</table>", start)]


def test_the_combined_option_carries_each_payments_forms_1099r(hardship):
    o = _combined(hardship)
    got = [(f["route"], f["box_1"], f["box_2a"], f["box_7"]) for f in o["form_1099r"]]
    assert got == [("in_service", 15000.0, 15000.0, "1"),
                   ("emergency_expense", 861.54, 861.54, "2"),
                   ("emergency_expense", 138.46, 30.77, "B2"),
                   ("hardship", 485.71, 485.71, "1"),
                   ("hardship", 106.62, 23.69, "B1")]
    # every dollar paid is on a form: box 1 adds up to the option's gross
    assert round(sum(f["box_1"] for f in o["form_1099r"]), 2) == o["gross"] == 16592.33
    assert o["form_1099r_codes"] == ["1", "2", "B2", "1", "B1"]
    assert o["taxable"] == 16401.71  # 15,000 + 892.31 + 509.40
    assert o["nontaxable"] == 190.62  # Roth contributions 107.69 + 82.93


def test_the_combined_option_files_one_form_5329_part_i_for_the_year(hardship):
    o = _combined(hardship)
    f = o["form_5329"]
    assert (f["line_1"], f["line_2"], f["line_3"], f["line_4"]) == (16401.71, 6562.18, 9839.53, 983.95)
    assert f["line_2_exception"] == "99" and f["required"] is True
    assert f["line_2_parts"] == [
        {"route": "in_service", "line_2": 5669.87, "line_2_exception": "05"},
        {"route": "emergency_expense", "line_2": 892.31, "line_2_exception": "23"}]
    assert f["line_4"] == o["penalty_now"]  # the form's tax is the option's 10% tax


def test_the_report_shows_the_combined_options_forms(hardship):
    page = render_html(hardship)
    label = _combined(hardship)["label"]
    forms = visible(section(page, FORMS_1099R_TITLE))
    assert forms.count(label) == 5
    assert f"{label} — In-service withdrawal 15,000 15,000" in forms
    assert f"{label} — Hardship withdrawal 107 24" in forms
    part_i = visible(section(page, "Form 5329, Part I (early distributions)"))
    assert (f"{label} 16,402 6,562 99 (In-service withdrawal 05, Emergency expense (SECURE 2.0) 23)"
            f" 9,840 984 file Form 5329") in part_i
    options = visible(section(page, "The options side by side"))
    assert "16,402 191 1, 2, B2, 1, B1" in options


def _form(line_1: float, line_2: float, number: str | None, required: bool) -> dict:
    return {"line_1": line_1, "line_2": line_2, "line_3": round(line_1 - line_2, 2),
            "line_4": round(0.1 * (line_1 - line_2), 2), "line_2_exception": number,
            "required": required}


def test_a_summed_part_i_keeps_one_exception_number_where_all_claim_it():
    law = default_law()
    rows = [{"route": "in_service", "form_5329": _form(1000.0, 400.0, "05", False)},
            {"route": "hardship", "form_5329": _form(500.0, 100.0, "05", False)},
            {"route": "loan", "form_5329": None}]
    f = summed_part_i(law, 2026, rows)
    assert f is not None
    # 1,500 early, 500 spared (medical: 05), 1,000 reached: 10% = 100
    assert (f["line_1"], f["line_2"], f["line_3"], f["line_4"]) == (1500.0, 500.0, 1000.0, 100.0)
    assert f["line_2_exception"] == "05" and f["required"] is False
    nothing = [{"route": "hardship", "form_5329": _form(500.0, 0.0, None, True)}]
    g = summed_part_i(law, 2026, nothing)
    assert g is not None and g["line_2_exception"] is None and g["required"] is True
    assert summed_part_i(law, 2026, [{"route": "loan", "form_5329": None}]) is None


def test_a_series_option_is_named_by_its_method_in_the_notices_words(sepp):
    labels = {o["option"]: o["label"] for o in sepp["options"] if o["option"].startswith("sepp:")}
    assert labels == {
        "sepp:rmd": "72(t) series, required minimum distribution method: first year",
        "sepp:amortization": "72(t) series, fixed amortization method: first year",
        "sepp:annuitization": "72(t) series, fixed annuitization method: first year"}
    assert set(SEPP_METHOD_LABELS) == {"rmd", "amortization", "annuitization"}
    assert "rmd method" not in visible(render_html(sepp))


def test_a_series_option_says_why_no_10_percent_tax(sepp):
    for o in (o for o in sepp["options"] if o["option"].startswith("sepp:")):
        why = o["why"]
        assert why is not None, o["option"]
        assert "§72(t)(2)(A)(iv)" in why["additional_tax_72t"]
        assert why["additional_tax_72t"].startswith("None")
        assert "code 2" in why["short"] and "§72(t)(2)(A)(iv)" in why["short"]
        assert "All of it is pre-tax money" in why["taxable"]  # the case's money is all pre-tax
    row = visible(section(render_html(sepp), "The options side by side"))
    assert "10% tax: None: Payments in a series of substantially equal periodic payments" in row
