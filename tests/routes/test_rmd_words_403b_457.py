"""The words of the RMD answer for a 403(b) and a governmental plan, and in the window after a
first RMD year (the tax403 and year2027 reviews).

W1. A participant still working in a 403(b) or a governmental plan is not told that owning more
    than 5% of the employer would stop the RMD from waiting: §401(a)(9)(C)(iv) ("Clauses (ii)
    and (iii) shall not apply in the case of a governmental plan or church plan"), Treas. Reg.
    §1.403(b)-6(e)(3) (a 403(b)'s required beginning date is April 1 after the later of the
    year of the applicable age and the year of retirement, with no 5% owner clause).  A private
    401(k) keeps the warning (§401(a)(9)(C)(ii)(I)).
W2. A 403(b) RMD says that a pre-1987 balance kept apart is not handled (Treas. Reg.
    §1.403(b)-6(e)(6): it need not start until the later of 75 and retirement).
W3. Born 1954-03-15: applicable age 73 (§401(a)(9)(C)(v)(I), born 1951–1959), reached in 2027,
    the first RMD year, whose RMD may wait until April 1, 2028 (§401(a)(9)(C)(i)).  A request
    dated 2028-01-01 … 2028-04-01 with no ``last_year_rmd_unpaid`` says the 2027 RMD may still
    be owed; 2028-04-02, 2029-02-15 (2028 is not a first year), or the amount given, do not.
"""

from __future__ import annotations

import pytest

from dist401k.explain import registry
from dist401k.law import default_law
from routes.conftest import make, route

REASONS = registry()

#: 75 in 2026 (born 1951), still working, $300,000 at the end of 2025.
WORKING = {"person.birth_date": "1951-06-01", "employment.hire_date": "1990-01-01",
           "account.sources": {"elective_deferral": {"balance": 300000}},
           "account.prior_year_end_balance": 300000, "request.date": "2026-11-23",
           "request.amount": 10000}


def _codes(result: dict, name: str) -> set[str]:
    return {x["code"] for r in result["routes"] if r["route"] == name for x in r["reasons"]}


@pytest.mark.parametrize("plan, code", [
    ({"plan.type": "governmental_457b", "plan.governmental": True},
     "RM_STILL_WORKING_GOVERNMENTAL"),
    ({"plan.type": "401k", "plan.governmental": True}, "RM_STILL_WORKING_GOVERNMENTAL"),
    ({"plan.type": "403b7"}, "RM_STILL_WORKING_403B"),
    ({"plan.type": "403b_annuity"}, "RM_STILL_WORKING_403B"),
])
def test_a_still_working_403b_or_governmental_participant_is_not_warned_of_the_5pct_rule(
        assess, plan, code):
    r = assess(make({**WORKING, **plan}))
    assert route(r, "rmd")["eligible"] is False
    codes = _codes(r, "rmd")
    assert code in codes and "RM_STILL_WORKING" not in codes
    assert all("cannot wait" not in REASONS[c].text for c in codes)
    assert "no 5% owner rule" in REASONS[code].text


def test_a_private_401k_keeps_the_5pct_owner_warning(assess):
    r = assess(make({**WORKING, "plan.type": "401k"}))
    codes = _codes(r, "rmd")
    assert "RM_STILL_WORKING" in codes
    assert not codes & {"RM_STILL_WORKING_GOVERNMENTAL", "RM_STILL_WORKING_403B"}


RETIRED_403B = {"person.birth_date": "1951-06-01", "employment.status": "separated",
                "employment.separation_date": "2020-06-30", "plan.type": "403b7",
                "account.sources": {"elective_deferral": {"balance": 300000}},
                "account.prior_year_end_balance": 300000, "request.date": "2026-11-23",
                "request.amount": 10000}


def test_a_403b_rmd_says_the_pre_1987_balance_is_not_handled(assess):
    r = assess(make(RETIRED_403B))
    s = route(r, "rmd")
    # 75 in 2026: Uniform Lifetime Table 24.6 → 300,000 / 24.6 = 12,195.12.
    assert s["rmd"] == pytest.approx(12195.12, abs=0.01)
    assert "RM_403B_PRE_1987" in _codes(r, "rmd")
    assert "1986" in REASONS["RM_403B_PRE_1987"].text


def test_a_401k_rmd_says_nothing_of_a_403bs_pre_1987_balance(assess):
    r = assess(make({**RETIRED_403B, "plan.type": "401k"}))
    assert "RM_403B_PRE_1987" not in _codes(r, "rmd")


FIRST_1954 = {"person.birth_date": "1954-03-15", "employment.status": "separated",
              "employment.separation_date": "2020-12-31",
              "account.sources": {"elective_deferral": {"balance": 500000}},
              "account.prior_year_end_balance": 500000, "request.amount": "max"}


@pytest.mark.parametrize("day, noted", [
    ("2028-01-01", True), ("2028-02-15", True), ("2028-04-01", True),
    ("2028-04-02", False), ("2029-02-15", False), ("2027-06-01", False)])
def test_the_window_after_the_first_rmd_year_notes_that_it_may_still_be_owed(
        assess, day, noted):
    r = assess(make({**FIRST_1954, "request.date": day}))
    assert ("RM_FIRST_MAYBE_OWED" in _codes(r, "rmd")) is noted


def test_no_note_once_last_years_rmd_is_given(assess):
    r = assess(make({**FIRST_1954, "request.date": "2028-02-15",
                     "account.last_year_rmd_unpaid": 18867.92}))
    codes = _codes(r, "rmd")
    assert "RM_FIRST_MAYBE_OWED" not in codes and "RM_FIRST_DEFERRED" in codes
    # 2028: 74 → 25.5; 500,000 / 25.5 = 19,607.84, and 2027's 500,000 / 26.5 = 18,867.92 owed.
    assert route(r, "rmd")["rmd"] == pytest.approx(19607.84, abs=0.01)


def test_the_note_names_the_field_to_give():
    text = REASONS["RM_FIRST_MAYBE_OWED"].text
    assert "account.last_year_rmd_unpaid" in text and "April 1" in text
    assert default_law().version  # the reason is part of the law that loads


# ── W4. A separated 403(b)(7) participant's in-service line (the tax403 review) ───────────────

def test_a_separated_403b7_participants_in_service_line_does_not_say_the_money_stays_in(assess):
    """Separated in 2026 at 54 (the year of 55): the account is payable after severance from
    employment (§403(b)(7)(A)(i)); the custodial-account reason beside it no longer says that
    all of it "stays in until 59½", which contradicts that line for one who has left."""
    r = assess(make({"person.birth_date": "1971-10-01", "plan.type": "403b7",
                     "employment.status": "separated", "employment.separation_date": "2026-03-01",
                     "account.sources": {"elective_deferral": {"balance": 60000},
                                         "match": {"balance": 20000}},
                     "request.amount": 20000}))
    codes = _codes(r, "in_service")
    assert "IS_SEPARATED_403B7" in codes
    for code in codes:
        assert "stays in until 59½" not in REASONS[code].text, code
    assert "severance from employment" in REASONS["IS_403B7_BEFORE_59_HALF"].text
