"""Random drawdown cases through both doors of the planner: ``dist401k plan -f json`` and
``POST /plan``.  Whatever the case, the command line exits 0 or 2 (a one-line error per field,
no traceback) and the API answers 200 or 422 alike; refused, both name the same fields;
answered, both give the same plan, to the cent (their timings aside; where a request runs
fewer paths than the case asks, within its bound of work, it says so, and the command line
run on as many gives the same plan)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.conftest import untimed
from dist401k.api import create_app
from dist401k.cli import app
from dist401k.store import Store
from planner.random_plans import plans


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=plans(paths=st.one_of(st.integers(1, 30), st.integers(256, 300))))
def test_a_random_plan_gets_the_same_answer_through_every_door(tmp_path_factory, case):
    folder = tmp_path_factory.mktemp("plan")
    path = folder / "case.json"
    path.write_text(json.dumps(case))
    out = CliRunner().invoke(app, ["plan", str(path), "-f", "json"])
    assert out.exit_code in (0, 2), out.output
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    client = TestClient(create_app(store=Store(f"sqlite:///{folder / 's.db'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/plan", json=case)
    if out.exit_code == 2:
        assert out.output.startswith("error: ") and "Traceback" not in out.output, out.output
        assert r.status_code == 422, r.text
        for d in r.json()["detail"]:
            assert ".".join(map(str, d["loc"][1:])) in out.output, (d, out.output)
        return
    if r.status_code == 422 and "s of computation" in r.text:
        # the request's CPU budget (api.PLAN_CPU_SECONDS), which the command line does not
        # have, ran out on a machine under load: said with its field, no comparison to make
        assert [d["loc"] for d in r.json()["detail"]] == [["body", "case"]], r.text
        return
    assert r.status_code == 200, r.text
    api = r.json()
    if "notes" in api:  # fewer paths than the case's, within one request's work: said so
        n = api["strategies"][0]["monte_carlo"]["paths"]
        assert n < case["monte_carlo"]["paths"] and f"{n:,} market paths" in api.pop("notes")[0]
        out = CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--paths", str(n)])
        assert out.exit_code == 0, out.output
    assert untimed(api) == untimed(json.loads(out.output))
