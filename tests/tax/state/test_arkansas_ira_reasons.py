"""The words of the reasons Arkansas's IRA rule returns (Ark. Code Ann. §26-51-307(a)(2)).

Arkansas's $6,000 retirement benefits exemption takes an IRA's benefits only where received after
59½, or before it on the participant's death or disability: one $6,000 for plan and IRA benefits
together.  Where the engine cannot tell how much IRA money qualifies it returns
``STATE_IRA_BEFORE_59_HALF_NOT_KNOWN``, whose words named only Pennsylvania and Mississippi; the
exemption's own reason spoke only of employer plans.
"""

from __future__ import annotations

from dist401k.explain import reason

NOT_KNOWN = "STATE_IRA_BEFORE_59_HALF_NOT_KNOWN"
EXEMPTION = "STATE_AR_RETIREMENT_EXEMPTION"


def test_the_not_known_reason_names_arkansas_and_cites_its_statute():
    r = reason(NOT_KNOWN)
    assert "Arkansas" in r.text and "Pennsylvania" in r.text and "Mississippi" in r.text
    assert "26-51-307(a)(2)" in r.citation


def test_the_exemption_reason_speaks_of_an_ira_after_59_half_and_one_cap():
    r = reason(EXEMPTION)
    assert "IRA" in r.text and "after 59½" in r.text and "death or disability" in r.text
    assert "one $6,000 for both" in r.text
    assert "26-51-307(a)" in r.citation
