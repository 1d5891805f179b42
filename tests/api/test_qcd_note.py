"""`dist401k assess` warns, as `compare` does, that a plan cannot pay a qualified charitable
distribution (IRC §408(d)(8)(B): an individual retirement plan only, from 70½): a note
``QCD_NOT_FROM_PLAN`` naming ``request.destination``, with compare's words and citation, where
the person is 70½ or older on the request date and a cash payment from the plan is taxable —
in the JSON, the terminal's table and ``POST /assess``."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.law.loader import default_law
from routes.conftest import make

CODE = "QCD_NOT_FROM_PLAN"
# Born 1955-06-15: 70 on 2025-06-15, 70½ six months later, on 2025-12-15 (§408(d)(8)(B)(i)).
# Separated in 2025: the separation route pays the $20,000 asked in cash, all of it taxable
# (elective deferrals, no basis: §402(a), §72).
OLD = {"employment.status": "separated", "employment.separation_date": "2025-06-30",
       "person.birth_date": "1955-06-15", "income.wages": 30000, "request.amount": 20000,
       "request.date": "2026-03-02"}


def _qcd(notes: list[dict]) -> list[dict]:
    return [n for n in notes if n["code"] == CODE]


def _expected_text(limit: float) -> str:
    """Compare's words for 2026, worked from the rule: a single filer who does not itemize
    deducts up to $1,000 of cash gifts from 2026 (IRC §170(p), P.L. 119-21 §70424)."""
    return (f"From 70½ an IRA can pay a charity directly — a qualified charitable distribution, "
            f"up to ${limit:,.0f} in 2026: left out of income (so out of AGI and the MAGI that "
            "sets Medicare's IRMAA) and counted toward the RMD. A 401(k), 403(b) or 457(b) "
            "cannot make one: a gift from the plan is a taxable distribution, deductible beyond "
            "$1,000 of cash gifts only if you itemize. Roll the money to a traditional IRA first "
            "(a year's RMD must still come out of the plan) and give from the IRA.")


def test_at_70_and_a_half_assess_notes_what_compare_warns():
    limit = default_law().get("charity.qcd_limit", 2026)
    case = parse_case(make(OLD))
    (note,) = _qcd(assess_cases([case])[0]["notes"])
    assert note["field"] == "request.destination"
    assert note["text"] == _expected_text(limit)
    assert note["citation"].startswith("IRC §408(d)(8); IRC §170(p)")
    assert note["citation"].endswith("IRS Publication 590-B")
    # compare's trap is unchanged, and says the same words with the same rule
    (trap,) = [t for t in compare_case(case)["traps"] if t["code"] == CODE]
    assert trap["title"] == "Giving to charity? A plan cannot pay a QCD"
    assert (trap["text"], trap["citation"]) == (note["text"], note["citation"])
    assert trap["figures"] == {"qcd_limit": limit}


def test_no_note_before_70_and_a_half():
    # At 69 (born 1956-09-01), and the day before 70½ (2025-12-14, born 1955-06-15).
    for change in ({"person.birth_date": "1956-09-01"}, {"request.date": "2025-12-14"}):
        case = parse_case(make({**OLD, **change}))
        assert not _qcd(assess_cases([case])[0]["notes"])
        assert not [t for t in compare_case(case)["traps"] if t["code"] == CODE]
    # on the day of 70½ it is there
    (r,) = assess_cases([parse_case(make({**OLD, "request.date": "2025-12-15"}))])
    assert len(_qcd(r["notes"])) == 1


def test_no_note_without_a_taxable_cash_payment_from_the_plan():
    # Only a direct rollover asked: no cash paid.
    rolled = parse_case(make({**OLD, "request.destination": "traditional_ira"}))
    # Only designated Roth money, qualified (five years since 2010, past 59½): a cash payment
    # that is not taxable (IRC §402A(d)(1)).
    roth = parse_case(make({**OLD, "account.sources": {
        "roth_deferral": {"balance": 100000, "contributions": 60000, "first_year": 2010}}}))
    for case in (rolled, roth):
        (r,) = assess_cases([case])
        assert not [o for o in r["outcomes"] if o["destination"] == "cash" and o["taxable"] > 0]
        assert not _qcd(r["notes"])


def test_the_terminal_and_json_show_the_note(tmp_path):
    limit = default_law().get("charity.qcd_limit", 2026)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(make(OLD)))
    out = CliRunner().invoke(app, ["assess", str(path), "-f", "json"])
    assert out.exit_code == 0, out.output
    (note,) = _qcd(json.loads(out.output)["notes"])
    assert note["text"] == _expected_text(limit)
    table = CliRunner().invoke(app, ["assess", str(path)], terminal_width=200)
    assert table.exit_code == 0, table.output
    flat = " ".join(table.output.split())
    assert "a qualified charitable distribution, up to $" + f"{limit:,.0f} in 2026" in flat
    assert "Roll the money to a traditional IRA first" in flat


def test_post_assess_gives_the_note(client):
    limit = default_law().get("charity.qcd_limit", 2026)
    r = client.post("/assess", json=make(OLD))
    assert r.status_code == 200, r.text
    (note,) = _qcd(r.json()["notes"])
    assert note["field"] == "request.destination" and note["text"] == _expected_text(limit)
    assert "408(d)(8)" in note["citation"]
    young = client.post("/assess", json=make({**OLD, "person.birth_date": "1956-09-01"}))
    assert young.status_code == 200 and not _qcd(young.json()["notes"])



def test_compare_says_it_once_as_its_trap():
    """The comparison carries the assessment's notes; the QCD warning, which it gives as a trap,
    is not repeated among its notes (the terminal, the report and the page would say it twice)."""
    cmp = compare_case(parse_case(make(OLD)))
    assert [t["code"] for t in cmp["traps"]].count(CODE) == 1
    assert CODE not in [n["code"] for n in cmp["notes"]]
    assert CODE in [n["code"] for n in cmp["assessment"]["notes"]]
