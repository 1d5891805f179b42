"""``plan.type: governmental_457b`` with ``plan.governmental: false`` (the tax403 review): a
governmental 457(b) is by definition an eligible deferred compensation plan of a State or local
government (IRC §457(e)(1)(A)), so the flag is derived from the type — the web page sends the
unticked box as false, the batch sends the absent column as false — and the case schema says
so, and that a tax-exempt employer's 457(b) (§457(e)(1)(B)) is not covered.  The answer is the
governmental one: no 10% tax on the 457(b)'s own money (§72(t)(9))."""

from __future__ import annotations

from dist401k.case import case_schema, parse_case
from routes.conftest import make


def test_the_schema_says_false_is_read_as_true_and_tax_exempt_457b_is_not_covered():
    text = case_schema()["$defs"]["Plan"]["properties"]["governmental"]["description"]
    assert "§457(e)(1)(A)" in text and "false is read as true" in text
    assert "tax-exempt employer's 457(b) is not covered" in text


def test_the_flag_is_derived_from_the_type():
    case = parse_case(make({"plan.type": "governmental_457b", "plan.governmental": False}))
    assert case.plan.governmental is True
