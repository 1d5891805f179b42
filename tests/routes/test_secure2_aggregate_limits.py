"""The limits of the SECURE 2.0 exceptions that reach past one distribution, worked by hand from
the statute and the IRS's guidance:

- domestic abuse victim (§72(t)(2)(K)(ii)): "The aggregate amount which may be treated as an
  eligible distribution to a domestic abuse victim by any individual shall not exceed" the lesser
  of the indexed $10,000 ($10,500 in 2026, Notice 2025-67) and 50 percent of the nonforfeitable
  accrued benefit under the plan (Notice 2024-55): what was already so treated
  (``account.prior_event_distributions``) comes off;
- birth or adoption (§72(t)(2)(H)(ii); Notice 2020-68): $5,000 "with respect to any birth or
  adoption", so per child: twins, $10,000 for each parent (``request.event_children``);
- emergency personal expense (§72(t)(2)(I)(vii)): none in the 3 calendar years after one
  unless it was repaid or the elective deferrals and employee contributions made since are at
  least the part not repaid (``account.emergency_contributions_since``);
- long-term care (§401(a)(39), SECURE 2.0 §334): distributions made after December 29, 2025;
  $2,600 for 2025 and 2026 ($2,500 indexed: Notices 2024-80, 2025-67), 10% of the vested
  accrued benefit, the premiums.
"""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.errors import InputError
from routes.conftest import make, outcome, route

#: The reviewer's repro: a 40-year-old in a 403(b)(7) of $50,000 that adopted domestic abuse
#: victim distributions, abused 2026-05-02, asking on 2026-11-23 for the most.
ABUSE = {"person.birth_date": "1986-01-20", "plan.type": "403b7",
         "plan.secure2": {"domestic_abuse": True},
         "account.sources": {"elective_deferral": {"balance": 50000}},
         "request.purpose": "domestic_abuse", "request.event_date": "2026-05-02"}
#: Left the job in 2025 at 39 (no rule of 55): the plan's separation route, no SECURE 2.0 route.
LEFT = {"person.birth_date": "1986-01-20", "employment.status": "separated",
        "employment.separation_date": "2025-06-01", "request.destination": "cash"}
BABY = {"plan.secure2": {"birth_adoption": True}, "request.purpose": "birth_adoption",
        "request.event_date": "2026-08-14"}


def route_codes(result: dict, name: str) -> set[str]:
    """The reason codes of a route, over its money sources."""
    return {x["code"] for r in result["routes"] if r["route"] == name for x in r["reasons"]}


@pytest.mark.parametrize("prior, available", [
    (0, 10500.0),      # lesser of $10,500 and half of $50,000
    (4000, 6500.0),    # $10,500 − $4,000 already treated as such
    (10500, 0.0),      # the aggregate is used up: the route is closed
])
def test_domestic_abuse_route_counts_what_was_already_taken(assess, prior, available):
    r = assess(make(ABUSE, **{"account.prior_event_distributions": prior}))
    s = route(r, "domestic_abuse")
    assert s["eligible"] is (available > 0)
    if available:
        assert outcome(r, "domestic_abuse")["gross"] == available
        assert outcome(r, "domestic_abuse")["additional_tax_72t"] == 0
    else:
        assert s["available"] == 0 and "EV_CAP_USED" in route_codes(r, "domestic_abuse")


def test_domestic_abuse_by_another_route_counts_what_was_already_taken(assess):
    """$8,000 after separation from $12,000 of deferrals, $2,000 already treated as a domestic
    abuse victim distribution: the limit is the lesser of $10,500 and $6,000 (half), less
    $2,000 = $4,000; 10% of the other $4,000 = $400."""
    r = assess(make(LEFT, **{"account.sources": {"elective_deferral": {"balance": 12000}},
                             "account.prior_event_distributions": 2000,
                             "request.amount": 8000, "request.purpose": "domestic_abuse",
                             "request.event_date": "2026-05-02"}))
    o = outcome(r, "separation")
    assert o["additional_tax_72t"] == 400.0
    assert (o["form_5329"]["line_2"], o["form_5329"]["line_2_exception"]) == (4000.0, "22")


@pytest.mark.parametrize("children, prior, available", [
    (1, 0, 5000.0), (2, 0, 10000.0), (3, 5000, 10000.0)])
def test_birth_or_adoption_cap_is_per_child(assess, children, prior, available):
    r = assess(make(BABY, **{"request.event_children": children,
                             "account.prior_event_distributions": prior}))
    assert route(r, "birth_adoption")["eligible"]
    o = outcome(r, "birth_adoption")
    assert o["gross"] == available and o["additional_tax_72t"] == 0


def test_twins_after_separation_spare_10000(assess):
    r = assess(make(LEFT, **{"request.amount": 10000, "request.purpose": "birth_adoption",
                             "request.event_date": "2026-08-14", "request.event_children": 2}))
    o = outcome(r, "separation")
    assert o["additional_tax_72t"] == 0
    assert (o["form_5329"]["line_2"], o["form_5329"]["line_2_exception"]) == (10000.0, "19")


@pytest.mark.parametrize("value, words", [
    (0, "must be at least 1"), (1.5, "must be a whole number"), (13, "no more than 12")])
def test_event_children_out_of_range_is_a_one_line_error_naming_it(value, words):
    with pytest.raises(InputError) as exc:
        parse_case(make(BABY, **{"request.event_children": value}))
    found = [str(p) for p in exc.value.problems]
    assert len(found) == 1 and "request.event_children" in found[0], found
    assert words in found[0], found


EMERGENCY = {"person.birth_date": "1986-01-20", "plan.secure2": {"emergency_expense": True},
             "account.sources": {"elective_deferral": {"balance": 50000}},
             "account.last_emergency_year": 2025, "account.emergency_unrepaid": 1000,
             "request.amount": 1000, "request.purpose": "emergency"}


@pytest.mark.parametrize("since, open_", [
    (0, False),        # not repaid, nothing contributed since: barred through 2028
    (999.99, False),   # contributions short of the $1,000 not repaid
    (1000, True),      # contributions since at least the part not repaid: open
    (4000, True)])
def test_emergency_bar_lifts_on_contributions_since(assess, since, open_):
    r = assess(make(EMERGENCY, **{"account.emergency_contributions_since": since}))
    s = route(r, "emergency_expense")
    assert s["eligible"] is open_
    assert ("EP_WAIT" in route_codes(r, "emergency_expense")) is not open_
    if open_:
        o = outcome(r, "emergency_expense")
        assert o["additional_tax_72t"] == 0 and o["gross"] == 1000


def test_emergency_bar_says_how_it_lifts(assess):
    from dist401k.explain import reason

    text = reason("EP_WAIT").text
    assert "repaid" in text and "contributions" in text


LTC = {"person.birth_date": "1972-11-11", "plan.secure2": {"long_term_care": True},
       "account.sources": {"elective_deferral": {"balance": 50000}},
       "request.purpose": "long_term_care", "request.long_term_care_premiums": 3400}


@pytest.mark.parametrize("day, available", [
    ("2025-12-29", 0.0),      # not after December 29, 2025: not yet
    ("2025-12-30", 2600.0),   # least of $2,600 (2025), 10% of $50,000, $3,400 of premiums
    ("2025-12-31", 2600.0),
    ("2026-03-01", 2600.0)])
def test_long_term_care_starts_after_december_29_2025(assess, day, available):
    r = assess(make(LTC, **{"request.date": day}))
    s = route(r, "long_term_care")
    assert s["eligible"] is (available > 0)
    assert ("LT_NOT_YET" in route_codes(r, "long_term_care")) is (available == 0)
    if available:
        o = outcome(r, "long_term_care")
        assert o["gross"] == available and o["additional_tax_72t"] == 0
