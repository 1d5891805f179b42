"""The report's table of the Forms 1099-R shows box 9b, "Total employee contributions": a life
annuity's cost in the year its payments began (Form 1099-R, Instructions for Recipient, box 9b;
docs/forms.md), blank ("—") on a form that has none."""

from __future__ import annotations

from dist401k.report import forms_html

FORM = {"box_1": 24000.0, "box_2a": 22569.23, "box_4": 0.0, "box_5": 1430.77, "box_7": "7",
        "box_7_ira_sep_simple": False, "box_11": None, "box_14": None, "box_16": None,
        "box_2b_not_determined": False, "box_2b_total_distribution": False}


def _report(box_9b) -> str:
    cmp = {"options": [{"option": "separation:cash", "label": "Cash"}],
           "assessment": {"outcomes": [{"route": "separation", "destination": "cash",
                                        "form_1099r": [{**FORM, "box_9b": box_9b}]}]}}
    return forms_html(cmp)


def test_box_9b_has_its_column_and_the_cost():
    html = _report(31000.0)
    assert "<th>9b total employee contributions</th>" in html
    assert "<td>31,000</td>" in html


def test_box_9b_blank_is_a_dash():
    html = _report(None)
    cells = html.split("<td>Cash</td>")[1].split("</tr>")[0]
    # boxes 1, 2a, 4, 5, 7, 9b, 11, 14, 16: the sixth is 9b
    assert cells.split("<td>")[6].startswith("—")
