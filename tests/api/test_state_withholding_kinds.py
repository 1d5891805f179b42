"""The kinds of state withholding rule, each worked by hand from the state's own text, and the
payee's elected state rate through every door.

Pat (examples/cases/pat-california-rule-of-55.yaml, born 1969) takes $40,000 in cash after
separation: an eligible rollover distribution, $8,000 federal withheld (20%, IRC §3405(c)).
Living elsewhere, the state withholds beside it:

- Maryland: 7.75% of an eligible rollover distribution subject to mandatory federal
  withholding (Md. Code, Tax-Gen. §10-908(f); the Comptroller's page) = $3,100.00, no election
  out; any other retirement distribution only at the payee's request (§10-907(b)): $0.
- Massachusetts: the Part B rate 5% of each payment with no Form M-4P (Circular M) = $2,000.00.
- Nebraska: 5% of a nonperiodic payment subject to federal withholding (Circular EN) = $2,000.00.
- Minnesota: 6.25% of the taxable distribution with no Form W-4MNP = $2,500.00, opt-out allowed.
- Michigan: 4.25% of the taxable payment for a payee born in 1946 or later with no MI W-4P
  (Treasury, Withholding for Pension Administrators) = $1,700.00; born before 1946: the payer
  withholds only above private pension limits it tracks — not figured (null).
- Oklahoma: the top marginal rate on a nonperiodic payment (OAC 710:90-1-13(c)): 4.75% in 2025 =
  $1,900.00.
- Kansas, Virginia, Delaware: required, but the amount needs what dist401k does not ask — null
  with STATE_WITHHOLDING_AMOUNT_NOT_FIGURED, never zero.
- Georgia, Pennsylvania: only at the payee's request: $0.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from api.test_state_doors import cash_outcome, pat, pat_row
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.state_withholding import state_withholding

LAW = default_law()


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"] if r["code"].startswith("STATE_WITHHOLDING")}


@pytest.mark.parametrize("state, withheld, code", [
    ("MD", 3100.00, "STATE_WITHHOLDING_NO_ELECTION_OUT"),
    ("MA", 2000.00, "STATE_WITHHOLDING_NO_ELECTION_OUT"),
    ("NE", 2000.00, "STATE_WITHHOLDING_NO_ELECTION_OUT"),
    ("MN", 2500.00, "STATE_WITHHOLDING_UNLESS_OPTED_OUT"),
    ("MI", 1700.00, "STATE_WITHHOLDING_UNLESS_OPTED_OUT"),
    ("OK", 1900.00, "STATE_WITHHOLDING_MAY_ELECT_OUT"),
    ("GA", 0.0, "STATE_WITHHOLDING_VOLUNTARY"),
    ("PA", 0.0, "STATE_WITHHOLDING_VOLUNTARY"),
])
def test_pats_payment_in_each_kind_of_state(state, withheld, code):
    o = cash_outcome(pat(person__state=state))
    assert o["withholding"] == 8000.00
    assert o["state_withholding"] == withheld
    assert code in codes(o)
    assert o["check_received"] == round(40000 - 8000 - withheld, 2)
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_14"] == withheld and form["box_15"] == state


@pytest.mark.parametrize("state", ["KS", "VA", "DE"])
def test_a_required_withholding_whose_amount_is_not_figured_is_null_not_zero(state):
    o = cash_outcome(pat(person__state=state))
    assert o["state_withholding"] is None
    assert {"STATE_WITHHOLDING_WITH_FEDERAL",
            "STATE_WITHHOLDING_AMOUNT_NOT_FIGURED"} <= codes(o)
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_14"] is None


def test_michigan_by_birth_year():
    """Born 1946: 4.25%; born 1945: not figured (payer tracks the private pension limits)."""
    out = state_withholding(LAW, np.array(["MI", "MI", "MI"]), np.full(3, 2024),
                            np.full(3, 10_000.0), np.full(3, 2_000.0), np.ones(3, bool),
                            np.array([1946.0, 1945.0, np.nan]))
    assert out.amount[0] == pytest.approx(425.00)
    assert np.isnan(out.amount[1:]).all() and not out.covered[1:].any()
    assert out.reasons["STATE_WITHHOLDING_AMOUNT_NOT_FIGURED"].tolist() == [False, True, True]


def test_the_trigger_of_each_kind():
    """A $10,000 hardship payment (not an eligible rollover distribution) with $1,000 federal
    withheld, and the same with none withheld (W-4R election out):
    Maryland withholds on neither (§10-907(b): on request only); Minnesota on both
    (6.25% = $625, federal or not); California 10% of the federal ($100) and then none;
    Oklahoma 2026's top rate 4.5% ($450) on both (OAC 710:90-1-13(c): any nonperiodic payment,
    unless the payee opts out on Form OK-W-4-R)."""
    st = np.array(["MD", "MN", "CA", "OK"] * 2)
    fed = np.array([1000.0] * 4 + [0.0] * 4)
    out = state_withholding(LAW, st, np.full(8, 2026), np.full(8, 10_000.0), fed,
                            np.zeros(8, bool), np.full(8, 1970.0))
    np.testing.assert_allclose(out.amount, [0, 625, 100, 450, 0, 625, 0, 450])
    assert out.reasons["STATE_WITHHOLDING_VOLUNTARY"].tolist() == [True] + [False] * 3 + \
        [True, False, False, False]


def test_elections():
    """The payee's rate of the taxable $10,000 (eligible rollover, $2,000 federal): California
    5% = $500 (replaces 10% of the federal); New York 3% = $300 (asked); North Carolina 2% is
    below the 4% it requires on an eligible rollover distribution: $400 stays; 6%: $600;
    Minnesota 0: opted out; Virginia's required amount is not known: an election does not
    figure it."""
    st = np.array(["CA", "NY", "NC", "NC", "MN", "VA"])
    out = state_withholding(LAW, st, np.full(6, 2025), np.full(6, 10_000.0),
                            np.full(6, 2_000.0), np.ones(6, bool), np.full(6, 1970.0),
                            np.array([0.05, 0.03, 0.02, 0.06, 0.0, 0.05]))
    np.testing.assert_allclose(out.amount[:5], [500, 300, 400, 600, 0])
    assert np.isnan(out.amount[5])
    assert out.reasons["STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED"].tolist() == [
        False, False, True, False, False, False]
    assert out.reasons["STATE_WITHHOLDING_ELECTED"].tolist() == [
        True, True, False, True, True, False]
    assert out.reasons["STATE_WITHHOLDING_AMOUNT_NOT_FIGURED"].tolist() == [False] * 5 + [True]


def elected_row(state: str, rate) -> pa.Table:
    t = pat_row(state)
    return t.append_column("request_state_withholding_rate", pa.array([rate], pa.float64()))


def test_an_elected_rate_is_the_same_through_the_case_the_batch_and_the_api(client):
    case = pat(person__state="CA", request__state_withholding_rate=0.05)
    want = cash_outcome(case)
    assert want["state_withholding"] == 2000.00 and "STATE_WITHHOLDING_ELECTED" in codes(want)
    row = run_job(elected_row("CA", 0.05), "outcome", LAW).to_pylist()[0]
    assert row["status"] == "ok" and row["state_withholding"] == 2000.00
    r = client.post("/assess", json=json.loads(json.dumps(case, default=str)))
    assert r.status_code == 200
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    api = next(o for o in body["outcomes"] if o["destination"] == "cash")
    assert api["state_withholding"] == 2000.00


def test_maryland_through_the_case_the_batch_and_the_api(client):
    want = cash_outcome(pat(person__state="MD"))
    row = run_job(pat_row("MD"), "outcome", LAW).to_pylist()[0]
    assert row["state_withholding"] == want["state_withholding"] == 3100.00
    r = client.post("/assess", json=json.loads(json.dumps(pat(person__state="MD"), default=str)))
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    assert next(o for o in body["outcomes"]
                if o["destination"] == "cash")["state_withholding"] == 3100.00


@pytest.mark.parametrize("state, rate, problem", [
    ("TX", 0.05, "taxes no plan distribution"),
    ("CA", 1.5, "less than or equal to 1"),
    ("CA", -0.1, "greater than or equal to 0"),
])
def test_a_refused_election_names_the_field_at_every_door(client, state, rate, problem):
    case = pat(person__state=state, request__state_withholding_rate=rate)
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [p.field for p in exc.value.problems] == ["request.state_withholding_rate"]
    r = client.post("/assess", json=json.loads(json.dumps(case, default=str)))
    assert r.status_code == 422
    assert [d["loc"][-2:] for d in r.json()["detail"]] == [["request", "state_withholding_rate"]]
    out = run_job(elected_row(state, rate), "outcome", LAW).to_pylist()[0]
    assert out["status"] == "error"
    assert out["error_column"] == "request_state_withholding_rate"


def test_an_election_without_a_state_is_refused():
    case = pat(request__state_withholding_rate=0.05)
    case["person"].pop("state")
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [p.field for p in exc.value.problems] == ["request.state_withholding_rate"]
    assert "needs person.state" in str(exc.value.problems[0])


def test_the_assess_command_refuses_it_in_one_line(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from dist401k.cli import app

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(
        pat(person__state="TX", request__state_withholding_rate=0.05), default=str))))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2
    assert "request.state_withholding_rate" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("state, withheld", [("OR", 3200.00), ("VT", 2400.00)])
def test_the_withholding_of_a_state_needs_only_its_withholding_files(state, withheld):
    """Oregon: 8% of a nonperiodic distribution (Or. Admin. R. 150-316-0305(4)) = $3,200;
    Vermont: 30% of the $8,000 federal withholding (GB-1210) = $2,400 (Connecticut's 2025
    withholding is not figured: tests/tax/state/test_connecticut_withholding_2025.py) — answered whether or
    not the state's income tax is covered (the rule reads only its withholding files)."""
    o = cash_outcome(pat(person__state=state))
    assert o["state_withholding"] == withheld
    assert o["check_received"] == round(40000 - 8000 - withheld, 2)
    row = run_job(pat_row(state), "outcome", LAW).to_pylist()[0]
    assert row["state_withholding"] == withheld


def test_a_net_amount_is_net_of_the_states_withholding_too():
    """Pat asks for $30,000 in hand from Maryland: the gross g leaves g − 20% − 7.75% = 30,000,
    g = 30,000 / 0.7225 = $41,522.49; federal $8,304.50, Maryland $3,217.99, check $30,000.00
    (before, the gross ignored the state's withholding and the check fell short of the net)."""
    case = pat(person__state="MD", request__net_amount=30000)
    case["request"].pop("amount")
    o = cash_outcome(case)
    assert (o["gross"], o["withholding"], o["state_withholding"], o["check_received"]) == (
        41522.49, 8304.50, 3217.99, 30000.00)


@pytest.mark.parametrize("changes, withheld", [
    ({"person__state": "MD"}, 3100.00),
    ({"person__state": "CA", "request__state_withholding_rate": 0.05}, 2000.00),
    ({"person__state": "VA"}, None),
])
def test_the_assess_command_gives_the_same_state_withholding(tmp_path, changes, withheld):
    import yaml
    from typer.testing import CliRunner

    from dist401k.cli import app

    case = pat(**changes)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(case, default=str))))
    r = CliRunner().invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    cli = next(o for o in json.loads(r.stdout)["outcomes"] if o["destination"] == "cash")
    assert cli["state_withholding"] == cash_outcome(case)["state_withholding"] == withheld
