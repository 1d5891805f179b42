"""What the law lets each plan type pay, whatever the plan's text says: disability, hardship by
money source, and the first and last day of the SECURE 2.0 event windows."""

from __future__ import annotations

import pytest

from routes.conftest import make, outcome, route


def _codes(result: dict, name: str, source: str) -> set[str]:
    row = next(r for r in result["routes"] if r["route"] == name and r["source"] == source)
    return {x["code"] for x in row["reasons"]}


def _row(result: dict, name: str, source: str) -> dict:
    return next(r for r in result["routes"] if r["route"] == name and r["source"] == source)


# ── Disability ──────────────────────────────────────────────────────────────────────────────

DISABLED = {"person.birth_date": "1980-01-01", "person.disabled": True,
            "request.date": "2026-03-01", "request.amount": 10000}


def test_a_governmental_457b_does_not_pay_on_disability(assess):
    """IRC §457(d)(1)(A); Treas. Reg. §1.457-6(a): a governmental 457(b) may pay only in the
    calendar year of 59½ or later, on severance from employment or on an unforeseeable
    emergency — disability is not among them, so a disabled participant who still works at 46
    has no disability route, and the line says why."""
    r = assess(make(DISABLED, **{"plan.type": "governmental_457b", "plan.governmental": True}))
    assert route(r, "disability")["eligible"] is False
    assert outcome(r, "disability") is None
    assert _codes(r, "disability", "elective_deferral") == {"DI_NOT_457_EVENT"}


@pytest.mark.parametrize("plan", ["401k", "403b7", "403b_annuity"])
def test_a_401k_or_403b_still_pays_on_disability(assess, plan):
    """IRC §401(k)(2)(B)(i)(I); §403(b)(7)(A)(i)(IV), §403(b)(11): disability is a distributable
    event of a 401(k) and of a 403(b); no 10% tax (§72(t)(2)(A)(iii))."""
    r = assess(make(DISABLED, **{"plan.type": plan}))
    assert route(r, "disability")["eligible"] is True
    assert outcome(r, "disability")["additional_tax_72t"] == 0
    assert "DI_OK" in _codes(r, "disability", "elective_deferral")


# ── Hardship: what the law lets each plan pay ───────────────────────────────────────────────

HARDSHIP = {"person.birth_date": "1980-01-01", "employment.hire_date": "2000-01-01",
            "request.date": "2026-03-01", "request.amount": 10000, "request.purpose": "medical",
            "request.need": 10000}


def test_a_403b7_pays_hardship_from_deferrals_and_qnecs_only(assess):
    """IRC §403(b)(7)(A)(i)(V), §403(b)(17) (SECURE 2.0 §602, plan years from 2024); Treas.
    Reg. §1.403(b)-6(c): a custodial account may pay before severance, 59½, death or
    disability only on hardship, and then only salary-reduction contributions, QNECs, QMACs
    and their earnings.  A plan whose hardship provision names deferrals, match and QNECs pays
    the deferrals and the QNECs ($35,000); the match stays in with the rule."""
    r = assess(make(HARDSHIP, **{
        "plan.type": "403b7",
        "plan.hardship": {"allowed": True, "sources": ["elective_deferral", "roth_deferral",
                                                        "match", "qnec"]},
        "account.sources": {"elective_deferral": {"balance": 10000},
                            "roth_deferral": {"balance": 5000, "contributions": 4000},
                            "match": {"balance": 50000, "vested": 1.0},
                            "qnec": {"balance": 20000}}}))
    assert route(r, "hardship")["eligible"] is True
    assert route(r, "hardship")["available"] == pytest.approx(35000)
    for source in ("elective_deferral", "roth_deferral", "qnec"):
        assert _row(r, "hardship", source)["eligible"] is True
    row = _row(r, "hardship", "match")
    assert row["eligible"] is False and row["available"] == 0
    assert "HS_403B7_SOURCE" in _codes(r, "hardship", "match")
    assert outcome(r, "hardship")["gross"] <= 35000


def test_a_403b7_whose_hardship_names_only_employer_money_pays_its_qnecs_alone(assess):
    """The plan's provision cannot open a custodial account's other employer money on
    hardship (§403(b)(7)(A)(i)(V)); its QNECs it may (§403(b)(17))."""
    r = assess(make(HARDSHIP, **{
        "plan.type": "403b7", "plan.hardship": {"allowed": True, "sources": ["match", "qnec"]},
        "account.sources": {"elective_deferral": {"balance": 10000},
                            "match": {"balance": 50000, "vested": 1.0},
                            "qnec": {"balance": 20000}}}))
    assert route(r, "hardship")["available"] == pytest.approx(20000)
    assert _row(r, "hardship", "qnec")["eligible"] is True
    assert "HS_403B7_SOURCE" in _codes(r, "hardship", "match")
    r = assess(make(HARDSHIP, **{
        "plan.type": "403b7", "plan.hardship": {"allowed": True, "sources": ["match"]},
        "account.sources": {"elective_deferral": {"balance": 10000},
                            "match": {"balance": 50000, "vested": 1.0}}}))
    assert route(r, "hardship")["eligible"] is False
    assert outcome(r, "hardship") is None


def test_a_403b_annuity_and_a_401k_still_pay_hardship_from_employer_money(assess):
    """Treas. Reg. §1.401(k)-1(d)(3); §1.403(b)-6(b): outside a custodial account employer
    money may be paid on hardship where the plan says so."""
    for plan in ("401k", "403b_annuity"):
        r = assess(make(HARDSHIP, **{
            "plan.type": plan, "plan.hardship": {"allowed": True, "sources": ["match"]},
            "account.sources": {"elective_deferral": {"balance": 10000},
                                "match": {"balance": 50000, "vested": 1.0}}}))
        assert _row(r, "hardship", "match")["eligible"] is True, plan


def test_a_money_purchase_plan_pays_no_hardship(assess):
    """Treas. Reg. §1.401-1(b)(1)(i): a pension plan provides benefits after retirement (on
    severance, death, disability), not on hardship; in service only from 59½ (IRC
    §401(a)(36)).  Its hardship provision opens nothing, and the line names the rule."""
    r = assess(make(HARDSHIP, **{
        "plan.type": "money_purchase",
        "plan.hardship": {"allowed": True, "sources": ["profit_sharing"]},
        "account.sources": {"profit_sharing": {"balance": 100000, "vested": 1.0}}}))
    assert route(r, "hardship")["eligible"] is False
    assert outcome(r, "hardship") is None
    assert _codes(r, "hardship", "profit_sharing") == {"HS_PENSION"}


# ── SECURE 2.0 windows: the first day outside ───────────────────────────────────────────────

EVENT = {"person.birth_date": "1980-01-01", "employment.hire_date": "2020-01-01",
         "plan.secure2": {"birth_adoption": True, "domestic_abuse": True, "disaster": True},
         "account.sources": {"elective_deferral": {"balance": 60000}}}


@pytest.mark.parametrize(("event", "day", "open_"), [
    ("2025-03-01", "2026-02-28", True),  # the last day of the 1-year period
    ("2025-03-01", "2026-03-01", False),  # the same date a year later: outside
    ("2024-02-29", "2025-02-28", True),  # from a February 29: through February 28
    ("2024-02-29", "2025-03-01", False),
    ("2023-03-01", "2024-02-29", True),  # a leap day inside the period
    ("2023-03-01", "2024-03-01", False),
])
@pytest.mark.parametrize("purpose", ["birth_adoption", "domestic_abuse"])
def test_birth_adoption_and_abuse_are_paid_during_the_year_beginning_on_the_event(
        assess, purpose, event, day, open_):
    """IRC §72(t)(2)(H)(iii)(I) and (K)(iii)(I): made "during the 1-year period beginning on"
    the birth or adoption (the abuse): the event day is its first day, so the period ends the
    day before the same date a year later (an event of 2025-03-01: 2026-02-28 is the last
    day).  From a February 29 the period keeps every day through February 28 (dist401k's
    reading: the anniversary of February 29 in a common year is March 1)."""
    r = assess(make(EVENT, **{"request.date": day, "request.purpose": purpose,
                              "request.event_date": event, "request.amount": 1000}))
    assert route(r, purpose)["eligible"] is open_
    window = {"birth_adoption": "BA_WINDOW", "domestic_abuse": "DA_WINDOW"}[purpose]
    assert (window in _codes(r, purpose, "elective_deferral")) is not open_


@pytest.mark.parametrize(("day", "open_"), [("2026-07-08", True), ("2026-07-09", False)])
def test_a_disaster_distribution_is_paid_before_the_180th_day(assess, day, open_):
    """IRC §72(t)(11)(A)(i): made "before the date that is 180 days after the applicable
    date": 2026-01-10 + 180 days is 2026-07-09, already outside; 2026-07-08 is the last day."""
    r = assess(make(EVENT, **{"request.date": day, "request.purpose": "disaster",
                              "request.event_date": "2026-01-10",
                              "request.disaster_declared": True, "request.amount": 22000}))
    assert route(r, "disaster")["eligible"] is open_
    assert ("DS_WINDOW" in _codes(r, "disaster", "elective_deferral")) is not open_


def test_the_period_after_helper():
    """The first day after a period of months beginning on a date (dist401k.dates)."""
    import numpy as np

    from dist401k.dates import period_after
    got = period_after(np.array(["2025-03-01", "2024-02-29", "2024-01-31", "2023-03-01"],
                                dtype="datetime64[D]"), np.array([12, 12, 1, 12]))
    assert [str(d) for d in got] == ["2026-03-01", "2025-03-01", "2024-03-01", "2024-03-01"]


@pytest.mark.parametrize(("plan", "code"), [("401k", "HS_NOT_SAFE_HARBOR_NEED"),
                                            ("403b_annuity", "HS_NOT_SAFE_HARBOR_NEED"),
                                            ("governmental_457b", "HS_NOT_457_EMERGENCY")])
def test_a_purpose_no_hardship_rule_takes_is_named(assess, plan, code):
    """A hardship route closed because the stated purpose (here an emergency expense, a SECURE
    2.0 withdrawal of its own) is not a safe-harbor need (Treas. Reg.
    §1.401(k)-1(d)(3)(ii)(B)) or a 457(b)'s unforeseeable emergency (§1.457-6(c)) says so;
    before, the row had no reason at all."""
    r = assess(make(HARDSHIP, **{"plan.type": plan, "request.purpose": "emergency",
                                 "plan.hardship": {"allowed": True}}))
    assert route(r, "hardship")["eligible"] is False
    assert code in _codes(r, "hardship", "elective_deferral")
