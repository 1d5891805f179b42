"""Form 8606 Parts I and II next to each outcome, on the worked example of FACTS G.3 and cases
worked by hand from the form's lines: a backdoor Roth diluted by a rollover to a traditional
IRA, after-tax money rolled in as basis (line 2), and none where nothing is converted."""

from __future__ import annotations

import numpy as np

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.form_8606 import lines
from routes.conftest import make, outcome

#: Separated in 2020 at 50; $500,000 of deferrals; an $8,000 backdoor Roth this year.
BACKDOOR = {"employment.status": "separated", "employment.separation_date": "2020-01-01",
            "account.sources": {"elective_deferral": {"balance": 500000}},
            "iras.backdoor_roth_planned": 8000}


def assess(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def test_the_worked_example_line_by_line():
    # FACTS G.3: basis 8,000; year-end value 500,000; converted 8,000: line 9 = 508,000,
    # line 10 = 0.01575 → 0.016, line 11 = 128, line 18 = 7,872, line 14 = 7,872.
    got = lines(np.array([8000.0]), np.array([0.0]), np.array([500000.0]), np.array([0.0]),
                np.array([8000.0]), 3)
    assert {k: float(v[0]) for k, v in got.items() if k in (
        "line_5", "line_9", "line_10", "line_11", "line_14", "line_17", "line_18")} == {
        "line_5": 8000.0, "line_9": 508000.0, "line_10": 0.016, "line_11": 128.0,
        "line_14": 7872.0, "line_17": 128.0, "line_18": 7872.0}
    # Five places: 0.01575 → 126 nontaxable, 7,874 taxable (the form allows either).
    five = lines(np.array([8000.0]), np.array([0.0]), np.array([500000.0]), np.array([0.0]),
                 np.array([8000.0]), 5)
    assert float(five["line_18"][0]) == 7874.0


def test_next_to_each_outcome_the_rollover_dilutes_the_backdoor():
    r = assess(make(BACKDOOR))
    rolled = outcome(r, "separation", "traditional_ira")["form_8606"]
    assert (rolled["line_6"], rolled["line_10"], rolled["line_18"]) == (500000.0, 0.016, 7872.0)
    # Paid in cash or rolled to another plan, nothing reaches a traditional IRA: line 10 is
    # 1.000 and the conversion is tax-free.
    for dest in ("cash", "other_plan"):
        f = outcome(r, "separation", dest)["form_8606"]
        assert (f["line_6"], f["line_10"], f["line_18"], f["line_14"]) == (0.0, 1.0, 0.0, 0.0)


def test_after_tax_money_rolled_in_is_basis_on_line_2():
    # 40,000 of after-tax money (basis 30,000) and 60,000 of deferrals, all rolled to a
    # traditional IRA: line 2 = 30,000; line 6 = 100,000; line 9 = 108,000; line 5 = 38,000;
    # line 10 = 0.35185 → 0.352; line 11 = 2,816; line 18 = 5,184; line 14 = 35,184.
    case = make(BACKDOOR, **{"account.sources": {
        "elective_deferral": {"balance": 60000},
        "after_tax": {"balance": 40000, "basis": 30000}}})
    f = outcome(assess(case), "separation", "traditional_ira")["form_8606"]
    assert (f["line_2"], f["line_5"], f["line_6"], f["line_9"]) == (
        30000.0, 38000.0, 100000.0, 108000.0)
    assert (f["line_10"], f["line_11"], f["line_18"], f["line_14"]) == (
        0.352, 2816.0, 5184.0, 35184.0)


def test_none_without_a_conversion():
    case = make(BACKDOOR, **{"iras.backdoor_roth_planned": 0})
    assert "form_8606" not in outcome(assess(case), "separation", "traditional_ira")


def test_the_report_fills_the_lines_of_both_forms():
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    page = render_html(compare_case(parse_case(make(BACKDOOR, **{"request.amount": 10000}))))
    # 10,000 rolled to a traditional IRA: line 10 = 8,000 / 18,000 = 0.444.
    assert "Form 8606 (the backdoor Roth" in page and "<td>0.444</td>" in page
    assert "Form 5329, Part I" in page and "file Form 5329" not in page  # code 1: Schedule 2
