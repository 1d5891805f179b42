"""Cells of the Joint and Last Survivor Table (Treas. Reg. §1.401(a)(9)-9(d), as revised by
T.D. 9930 for 2022 on; IRS Publication 590-B, Appendix B, Table II) away from the ten-year gap,
and the RMD an owner whose sole beneficiary is a spouse more than ten years younger is told
(§1.401(a)(9)-5(c)(2): the joint life expectancy of the two ages attained in the year).

The cells, as quoted from Table II in a reproduction (financewonk.com, "IRS Joint Life
Expectancy Table", read here; irs.gov and the eCFR could not be read in this session):
owner/spouse 73/60 = 28.6, 75/60 = 28.3, 80/65 = 23.8, 85/70 = 19.5, 90/75 = 15.4 — each
beside the Uniform Lifetime Table's 26.5, 24.6, 20.2, 16.0, 12.2 (§1.401(a)(9)-9(c)), which the
project's own test already ties to the ten-year-gap cells.  The mutation audit's R04 (75/60
28.3 → 28.4) passed every RMD test."""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from routes.conftest import make, route

CELLS = {(73, 60): 28.6, (75, 60): 28.3, (80, 65): 23.8, (85, 70): 19.5, (90, 75): 15.4}


@pytest.mark.parametrize(("ages", "divisor"), list(CELLS.items()))
def test_the_law_file_has_table_iis_cells(ages, divisor):
    owner, spouse = ages
    got = default_law().table("rmd.joint_life", 2026, owner * 1000 + spouse)
    assert float(got) == pytest.approx(divisor, abs=1e-9)


def test_an_owner_of_75_with_a_spouse_of_60_is_told_the_joint_table_rmd(assess):
    """Born 1951-02-11 (75 on his 2026 birthday), wife born 1966-01-01 (60 in 2026), his sole
    beneficiary; separated; $500,000 at the end of 2025: divisor 28.3, RMD 500,000 / 28.3 =
    $17,667.84 (the Uniform table's 24.6 would give $20,325.20)."""
    case = make({"person.birth_date": "1951-02-11", "employment.status": "separated",
                 "employment.separation_date": "2020-12-31",
                 "account.prior_year_end_balance": 500000,
                 "account.sources": {"elective_deferral": {"balance": 520000}},
                 "request.date": "2026-06-01", "person.spouse_sole_beneficiary": True,
                 "person.spouse_birth_date": "1966-01-01"})
    s = route(assess(case), "rmd")
    assert s["divisor"] == pytest.approx(28.3)
    assert s["rmd"] == pytest.approx(17_667.84, abs=0.005)
