"""Citations the 2026 audit found wrong, each checked at the text of the law.

- IRC §72(t)(2)(I) (SECURE 2.0 Act §115, P.L. 117-328 div. T): clause (iv) defines the emergency
  personal expense distribution; the repayment clause, "Amount distributed may be repaid", is (vi).
- IRC §72(t)(2)(L) (SECURE 2.0 §326): (ii) defines a terminally ill individual ("84 months"
  for the 24 of §101(g)(4)(A)), (iii) asks for sufficient evidence, (iv) applies "rules similar to
  the rules of subparagraph (H)(v)" (repayment).  There is no §72(t)(13) terminal illness rule.
- SECURE 2.0 §309 is the first responder disability exclusion (§139C); §330 extends §72(t)(10) to
  state and local corrections employees; §308 (private firefighters), §329 (25 years of service).
- SECURE 2.0 §311 gave §72(t)(2)(H)(v) its 3 years, for distributions after December 29, 2022;
  as the SECURE Act enacted it (2019) the repayment had no time limit.
- IRC §402(c)(3)(C)(ii): a QUALIFIED plan loan offset is one made solely by reason of the plan's
  termination or of a failure to repay because of severance; (iii) only defines the plan loan
  offset amount.  Treas. Reg. §1.72(p)-1, Q&A-13(a)(2) and §1.402(c)-2 (Q&A-9(b) before 2025):
  an offset happens under the plan's loan terms, "in a variety of circumstances", e.g. on
  termination of employment "or request for a distribution".
- T.D. 10001 (89 FR 58886, July 19, 2024) rewrote §1.402(c)-2 and §1.401(a)(9)-8 in paragraphs,
  for distributions from 2025: a question-and-answer number of either is the pre-2025 numbering.
"""

from __future__ import annotations

import functools
import re

import pytest
import yaml

from dist401k.explain import reason
from dist401k.law import default_law
from dist401k.law.loader import PARAMS_DIR

LAW = default_law()
REASONS = PARAMS_DIR.parent / "reasons"


@functools.cache
def _all_reasons() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(REASONS.glob("*.yaml")):
        out.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def test_repayment_is_clause_vi_of_the_emergency_and_iv_of_terminal_illness():
    for cite in (reason("OC_REPAYABLE").citation, LAW.param("secure2.repayment_years").citation):
        assert "(I)(vi)" in cite and "(L)(iv)" in cite, cite
        assert "(I)(iv)" not in cite and "(L)(iii)" not in cite, cite


def test_the_84_months_are_72_t_2_L_ii():
    cite = LAW.param("early_distributions.terminal_illness_months").citation
    assert "§72(t)(2)(L)(ii)" in cite and "(t)(13)" not in cite, cite


def test_corrections_officers_are_secure2_section_330_not_309():
    cite = LAW.param("early_distributions.public_safety_age").citation
    assert "§330" in cite and "§309" not in cite, cite


def test_birth_adoption_repayment_limit_starts_after_enactment_of_secure2():
    """§311(b): the 3 years apply to distributions after December 29, 2022 (not from 2020)."""
    p = LAW.param("secure2.repayment_years")
    assert str(p.dates[0]) == "2022-12-30"
    assert "§311" in p.citation
    assert "December 31, 2025" in p.description
    assert LAW.get("secure2.repayment_years", 2024).item() == 3  # unchanged where dist401k answers


def test_still_working_does_not_say_an_offset_happens_only_at_severance():
    said = reason("LO_STILL_WORKING")
    assert "only on leaving" not in said.text
    assert "distribution" in said.text and "plan" in said.text
    assert "§402(c)(3)(C)(ii)" in said.citation and "(C)(iii)" not in said.citation
    assert "§1.72(p)-1, Q&A-13" in said.citation


_OLD_NUMBERING = re.compile(r"§1\.(402\(c\)-2|401\(a\)\(9\)-8)[^;]*Q&A")


@pytest.mark.parametrize("code", sorted(_all_reasons()))
def test_restructured_regulations_mark_the_old_question_numbers(code):
    cite = " ".join(str(_all_reasons()[code].get("citation", "")).split())
    for part in cite.split(";"):
        if _OLD_NUMBERING.search(part):
            assert "pre-2025 numbering" in part, (code, part)


def test_disabled_href_is_the_subsection_cited():
    said = reason("DI_OK")
    assert said.href.endswith("/26/72#t_2_A") and "§72(t)(2)(A)(iii)" in said.citation
