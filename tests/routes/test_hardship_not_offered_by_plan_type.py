"""A plan with no hardship provision: the "no" line cites the plan type's own rule.

- a 401(k) (and the other §401(a) plans): Treas. Reg. §1.401(k)-1(d)(3);
- a 403(b): Treas. Reg. §1.403(b)-6(d)(1)(i), (2) — a 403(b) may pay elective deferrals on a
  hardship, which "has the same meaning as ... under §1.401(k)-1(d)(3)";
- a governmental 457(b): its in-service payment is an unforeseeable emergency distribution,
  IRC §457(d)(1)(A)(iii), Treas. Reg. §1.457-6(c) — not the 401(k) hardship rule (reviewer's
  case c3: the line read "... [Plan document; Treas. Reg. §1.401(k)-1(d)(3)]").
"""

from __future__ import annotations

import pytest

from routes.conftest import make


def _no_lines(result: dict) -> list[dict]:
    return [x for row in result["routes"] if row["route"] == "hardship" for x in row["reasons"]
            if x["code"].endswith("NOT_OFFERED")]


@pytest.mark.parametrize(("plan", "code", "cites", "not_cites"), [
    ({"plan.type": "governmental_457b", "plan.governmental": True}, "HS_457_NOT_OFFERED",
     "§1.457-6(c)", "1.401(k)"),
    ({"plan.type": "403b_annuity"}, "HS_403B_NOT_OFFERED", "§1.403(b)-6(d)", "1.401(k)"),
    ({"plan.type": "403b7"}, "HS_403B_NOT_OFFERED", "§1.403(b)-6(d)", "1.401(k)"),
    ({"plan.type": "401k"}, "HS_NOT_OFFERED", "§1.401(k)-1(d)(3)", "1.457"),
])
def test_not_offered_line_cites_the_plan_type_s_rule(assess, plan, code, cites, not_cites):
    lines = _no_lines(assess(make(plan)))
    assert lines and {x["code"] for x in lines} == {code}
    assert all(cites in x["citation"] and not_cites not in x["citation"] for x in lines)


def test_457_not_offered_names_the_unforeseeable_emergency(assess):
    lines = _no_lines(assess(make({"plan.type": "governmental_457b", "plan.governmental": True})))
    assert all("unforeseeable emergency" in x["text"] for x in lines)
