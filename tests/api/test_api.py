"""Every endpoint, bad input (422 with the field), the size limit, the bearer token."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.conftest import EXAMPLES, example
from dist401k.api import MAX_BODY_BYTES, create_app
from dist401k.cli import app as cli

runner = CliRunner()


def jsonable(case: dict) -> dict:
    return json.loads(json.dumps(case, default=str))


def test_health_and_schema(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert "person" in client.get("/schema").json()["properties"]
    assert client.get("/openapi.json").status_code == 200


def test_reasons_give_the_law_texts_the_page_shows(client):
    # The web page names reason codes and shows their texts from GET /reasons (the law's
    # reasons files); every code its script names is served, with the file's text.
    import re
    from pathlib import Path

    import dist401k
    from dist401k.explain import registry

    served = client.get("/reasons").json()
    assert served == {c: {"text": r.text, "citation": r.citation, "href": r.href}
                      for c, r in registry().items()}
    script = (Path(dist401k.__file__).parent / "web" / "app.js").read_text(encoding="utf-8")
    named = set(re.findall(r'"((?:BN|SP)_[A-Z_0-9]+)"', script))
    assert {"BN_MINOR_CHILD", "BN_CLOSE_IN_AGE", "SP_RATE_CEILING"} <= named
    assert named <= set(served), named - set(served)
    # The figures the script once held are the law's texts now, not the script's.
    assert "until 21" not in script and "5% and 120%" not in script and "10 years" not in script
    assert "120% of the federal mid-term rate" in served["SP_RATE_CEILING"]["text"]


def test_law_gives_the_figures_the_pages_quote(client):
    # The pages quote the law's figures from GET /law, not from their scripts: every name they
    # mark is served, with the statute's figure (IRC §72(t)(2)(A)(i): "attained age 59½";
    # §401(a)(9)(C)(v) as SECURE 2.0 §107 wrote it: 73, then 75; 42 U.S.C. §402(a), (w): 62
    # and 70; IRC §86(a)(2): 85%; §408(d)(8)(B)(i): 70½).
    import re
    from pathlib import Path

    import dist401k

    web = Path(dist401k.__file__).parent / "web"
    pages = {f: (web / f).read_text(encoding="utf-8")
             for f in ("index.html", "app.js", "plan.html", "plan.js")}
    named = set().union(*(re.findall(r'data-law(?:-min|-max)?="([a-z0-9_.]+)"', t)
                          for t in pages.values()))
    named |= set(re.findall(r'LAW\["([a-z0-9_.]+)"\]', pages["app.js"]))
    r = client.get("/law", params={"names": ",".join(sorted(named)), "year": 2026})
    assert r.status_code == 200
    got = r.json()
    assert got["year"] == 2026 and set(got["figures"]) == named
    value = {n: f["value"] for n, f in got["figures"].items()}
    assert value["early_distributions.age"] == 59.5
    assert value["in_service.deferral_age"] == 59.5
    assert {v for k, v in value["rmd.applicable_age"].items() if int(k) >= 195101} == {73, 75}
    assert value["social_security.earliest_claim_age"] == 62
    assert value["social_security.delayed_credit_last_age"] == 70
    assert value["social_security.second_tier_rate"] == 0.85
    assert value["charity.qcd_age"] == 70.5  # IRC §408(d)(8)(B)(i): "attained age 70½"
    assert got["figures"]["early_distributions.age"]["citation"].startswith("IRC §72(t)")
    # The scripts hold none of these figures.
    for text in (pages["app.js"], pages["plan.js"]):
        assert "59.5" not in text and "59½" not in text and "73 or 75" not in text
        assert "85%" not in text and "62 and 70" not in text
    # A misspelt name or a year outside the law: a 422 naming the field.
    bad = client.get("/law", params={"names": "early_distributions.agee"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "names"
    assert "early_distributions.age" in bad.json()["detail"][0]["msg"]
    assert client.get("/law", params={"names": "early_distributions.age",
                                      "year": 1800}).json()["detail"][0]["loc"][-1] == "year"


def test_assess_equals_the_cli(client):
    case = example("hardship-medical")
    r = client.post("/assess", json=jsonable(case))
    assert r.status_code == 200
    cli_out = json.loads(runner.invoke(cli, ["assess", "--format", "json",
                                             str(EXAMPLES / "hardship-medical.yaml")]).stdout)
    assert r.json()["outcomes"] == cli_out["outcomes"]
    assert r.json()["routes"] == cli_out["routes"]


def test_compare_and_report(client):
    case = jsonable(example("rule-of-55"))
    r = client.post("/compare", json=case)
    assert r.status_code == 200 and r.json()["options"][0]["option"] == "leave"
    r = client.post("/report", json=case)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "plotly-graph-div" in r.text


def test_tax(client):
    r = client.post("/tax", json={"units": [{"tax_year": 2026, "filing_status": "single",
                                             "wages": 80000}]})
    assert r.status_code == 200 and r.json()["results"][0]["income_tax"] == pytest.approx(8770)
    r = client.post("/tax", json={"units": [{"tax_year": 2026, "filing_status": "single",
                                             "wages": -1}]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "units", 0, "wages"]


@pytest.mark.parametrize("change, loc, words", [
    (lambda c: c["person"].pop("birth_date"), ["body", "person", "birth_date"], "required"),
    (lambda c: c["account"]["sources"]["elective_deferral"].update(balance=-5),
     ["body", "account", "sources", "elective_deferral", "balance"], "0 or more"),
    (lambda c: c.update(assumptions={"horizon_ages": [1e6]}),
     ["body", "assumptions", "horizon_ages", 0], "120"),
    (lambda c: c["person"].update(birth_date="1966-02-30"), ["body", "person", "birth_date"],
     "is not a day of the calendar (February 1966 has 28 days)"),
    (lambda c: c["request"].update(date="2019-05-01"), ["body", "request", "date"], "2024"),
])
def test_bad_input_is_422_with_the_field(client, change, loc, words):
    case = jsonable(example("hardship-medical"))
    change(case)
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    hits = [d for d in r.json()["detail"] if d["loc"][:len(loc)] == loc]
    assert hits and words in hits[0]["msg"], r.json()


def test_body_over_the_limit_is_refused(client):
    big = {"padding": "x" * (MAX_BODY_BYTES + 10)}
    r = client.post("/assess", json=big)
    assert r.status_code == 413


def test_saved_cases_and_determinations(client):
    case = jsonable(example("birth-adoption"))
    r = client.post("/cases", json={"label": "mine", "case": case})
    assert r.status_code == 201
    cid = r.json()["id"]
    assert [c["id"] for c in client.get("/cases").json()] == [cid]
    assert client.get(f"/cases/{cid}").json()["case"]["request"]["amount"] == 5000
    case["request"]["amount"] = 4000
    assert client.put(f"/cases/{cid}", json={"case": case}).json()["case"]["request"][
        "amount"] == 4000
    d = client.post(f"/cases/{cid}/determinations")
    assert d.status_code == 201
    det = client.get(f"/determinations/{d.json()['id']}").json()
    assert det["law_version"] == client.get("/health").json()["law_version"]
    assert det["inputs"]["request"]["amount"] == 4000
    assert det["result"]["outcomes"][0]["gross"] == 4000
    assert len(client.get(f"/cases/{cid}/determinations").json()) == 1
    assert client.delete(f"/cases/{cid}").status_code == 204
    assert client.get(f"/cases/{cid}").status_code == 404
    # The determination outlives the case, for the audit.
    assert client.get(f"/determinations/{d.json()['id']}").status_code == 200


def test_bearer_token(store):
    guarded = TestClient(create_app(store=store, token="s3cret"))
    assert guarded.get("/health").status_code == 200
    assert guarded.get("/schema").status_code == 401
    assert guarded.get("/schema", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert guarded.get("/schema", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_nothing_personal_in_the_logs(client, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    case = jsonable(example("hardship-medical"))
    client.post("/cases", json={"label": "Jane Roe", "case": case})
    text = caplog.text
    assert "Jane Roe" not in text and "1988-04-02" not in text and "41000" not in text


def test_plan_endpoint_matches_the_cli(client):
    import yaml

    with open("examples/plans/single-retiree.yaml") as fh:
        body = jsonable(yaml.safe_load(fh))
    r = client.post("/plan?paths=0", json=body)
    assert r.status_code == 200, r.text
    api = r.json()
    out = runner.invoke(cli, ["plan", "examples/plans/single-retiree.yaml", "-f", "json",
                                   "--no-monte-carlo"])
    cli_json = json.loads(out.output)
    assert [s["spending_real"] for s in api["strategies"]] == [
        s["spending_real"] for s in cli_json["strategies"]]
    bad = dict(body, start_year=1990)
    r = client.post("/plan?paths=0", json=bad)
    assert r.status_code == 422 and "start_year" in r.text
    r = client.post("/plan/report?paths=50", json=body)
    assert r.status_code == 200 and r.text.count('class="plotly-graph-div"') >= 3
    # Random lifetimes need each person's sex (SSA's death probabilities): 422 naming it;
    # with it, the JSON says who is alive each year, and the success rate is over lifetimes.
    lives = dict(body, monte_carlo={"lifetimes": "random"})
    r = client.post("/plan?paths=20", json=lives)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "people", 0, "sex"]
    lives["people"] = [dict(body["people"][0], sex="female")]
    r = client.post("/plan?paths=20", json=lives)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["longevity"]["alive"][0][0] == 1.0
    assert all(s["monte_carlo"]["lifetimes"] == "random" for s in got["strategies"])


def test_sepp_endpoint(client):
    import yaml

    with open("examples/cases/sepp-early-retiree.yaml") as fh:
        body = jsonable(yaml.safe_load(fh))
    r = client.post("/sepp", json=body)
    assert r.status_code == 200, r.text
    assert r.text.count("annuitization") >= 1
    body.pop("sepp")
    r = client.post("/sepp", json=body)
    assert r.status_code == 422 and "sepp" in r.text


def test_pages_and_their_files_are_served_and_nothing_else(client):
    for path, kind in (("/", "text/html"), ("/planner", "text/html"),
                       ("/static/common.js", "text/javascript"),
                       ("/static/plan.js", "text/javascript"), ("/static/page.css", "text/css")):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind), path
    assert "/static/common.js" in client.get("/planner").text
    for path in ("/static/api.py", "/static/..%2Fapi.py", "/static/index.html"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("body, loc", [
    (b"{not json", ["body"]),
    (b"[1, 2]", ["body"]),
    (b"", ["body"]),
])
def test_assess_body_that_is_not_a_case_is_422(client, body, loc):
    # /assess reads the case straight from the body's bytes: malformed JSON, or JSON that is
    # not an object, is a 422 naming the body, as on every other endpoint.
    r = client.post("/assess", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][:1] == loc


def test_serve_with_two_processes_sharing_the_port(tmp_path):
    # `dist401k serve --workers 2`: two processes, each with its own socket on the port, both
    # answering; stopped with SIGTERM, the server ends cleanly.  Both are waited for (their
    # start-up lines read as they come) before the requests, so a loaded machine that starts
    # them slowly does not fail the test.
    import os
    import signal
    import socket
    import subprocess
    import sys
    import threading
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DIST401K_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    server = subprocess.Popen([sys.executable, "-m", "dist401k.cli", "serve", "--port",
                               str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(
        line.decode() for line in iter(server.stdout.readline, b"")), daemon=True)
    reader.start()
    try:
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        while (sum("Application startup complete" in line for line in lines) < 2
               and time.monotonic() - started < 180 and server.poll() is None):
            time.sleep(0.2)
        assert httpx.get(base + "/health", timeout=60).status_code == 200, "".join(lines)
        case = jsonable(example("hardship-medical"))
        # Separate connections: the kernel gives them to either process.
        answers = [httpx.post(base + "/assess", json=case, timeout=60) for _ in range(12)]
        assert {r.status_code for r in answers} == {200}
        assert len({r.content for r in answers}) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        reader.join(timeout=10)
    out = "".join(lines)
    assert server.returncode == 0, out
    assert out.count("Application startup complete") == 2, out


def _post_paths(client) -> list[tuple[str, str]]:
    cid = client.post("/cases", json={"case": jsonable(example("disaster"))}).json()["id"]
    return [("POST", p) for p in ("/assess", "/compare", "/report", "/sepp", "/tax", "/cases",
                                  "/plan", "/plan/report")] + [("PUT", f"/cases/{cid}")]


def test_a_chunked_body_over_the_limit_is_413_on_every_endpoint(client):
    # No Content-Length: the limit is found while the body streams in.
    big = json.dumps({"padding": "x" * (MAX_BODY_BYTES + 10)}).encode()
    for method, path in _post_paths(client):
        r = client.request(method, path, content=iter([big[:1000], big[1000:]]),
                           headers={"Content-Type": "application/json"})
        assert r.status_code == 413, (path, r.status_code, r.text[:200])
        assert r.json()["detail"][0]["type"] == "too_large"


def _spelled(body: dict, key: str, spelling: str) -> bytes:
    """The JSON of ``body`` with the number at ``key`` written as ``spelling``."""
    text = json.dumps(body)
    marker = f'"{key}": 123456.5'
    assert marker in text, key
    return text.replace(marker, f'"{key}": {spelling}').encode()


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1E+999", "1" + "0" * 400]


@pytest.mark.parametrize("spelling", NON_FINITE, ids=lambda s: s[:12])
def test_numbers_json_cannot_hold_are_422_naming_the_field(client, spelling):
    case = jsonable(example("hardship-medical"))
    case["income"]["wages"] = 123456.5
    tax = {"units": [{"tax_year": 2026, "filing_status": "single", "wages": 123456.5}]}
    with open("examples/plans/single-retiree.yaml") as fh:
        import yaml

        plan = jsonable(yaml.safe_load(fh))
    plan["taxable"]["balance"] = 123456.5
    cid = client.post("/cases", json={"case": case}).json()["id"]
    for method, path, body, key, loc in [
        ("POST", "/assess", case, "wages", ["body", "income", "wages"]),
        ("POST", "/compare", case, "wages", ["body", "income", "wages"]),
        ("POST", "/cases", {"case": case}, "wages", ["body", "case", "income", "wages"]),
        ("PUT", f"/cases/{cid}", {"case": case}, "wages", ["body", "case", "income", "wages"]),
        ("POST", "/tax", tax, "wages", ["body", "units", 0, "wages"]),
        ("POST", "/plan?paths=0", plan, "balance", ["body", "taxable", "balance"]),
    ]:
        r = client.request(method, path, content=_spelled(body, key, spelling),
                           headers={"Content-Type": "application/json"})
        assert r.status_code == 422, (path, r.status_code, r.text[:300])
        assert r.json()["detail"][0]["loc"] == loc, (path, r.json())
        assert "finite" in r.json()["detail"][0]["msg"]
    # Nothing was stored or changed: the saved case still reads back, and saves again.
    saved = client.get(f"/cases/{cid}").json()["case"]
    assert saved["income"]["wages"] == 123456.5
    assert client.put(f"/cases/{cid}", json={"case": saved}).status_code == 200


def test_the_store_never_keeps_a_number_json_cannot_hold(store):
    from dist401k.errors import InputError

    case = jsonable(example("disaster"))
    case["request"]["amount"] = float("inf")
    with pytest.raises(InputError, match="case.request.amount"):
        store.create_case(case)
    assert store.list_cases() == []


def test_a_label_with_a_control_character_is_422(client):
    r = client.post("/cases", json={"label": "Jane\x00Roe", "case": jsonable(example("disaster"))})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "label"]


def test_with_a_token_the_openapi_description_and_its_pages_require_it(store):
    guarded = TestClient(create_app(store=store, token="s3cret"))
    good = {"Authorization": "Bearer s3cret"}
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert guarded.get(path).status_code == 401, path
        assert guarded.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert guarded.get(path, headers=good).status_code == 200, path
    assert "/cases" in guarded.get("/openapi.json", headers=good).json()["paths"]
    for path in ("/health", "/", "/planner", "/static/common.js"):
        assert guarded.get(path).status_code == 200, path


# A household that cannot be funded: $7,000 a month of spending from $105,000 and $250 a
# month of Social Security.
UNSOLVABLE = {
    "start_year": 2026,
    "people": [{"name": "Lee", "birth_date": "1959-06-01", "life_expectancy": 95,
                "social_security": {"monthly_at_full_age": 250, "claim_age": 67},
                "accounts": {"ira": 80000, "roth": 5000, "roth_first_year": 2010}}],
    "taxable": {"balance": 20000, "basis": 20000},
    "spending": {"annual": 84000},
    "strategy": {"objective": "max_estate"},
}


def test_a_plan_with_no_solution_is_422_in_one_line(store):
    client = TestClient(create_app(store=store, token=""), raise_server_exceptions=False)
    r = client.post("/plan?paths=0", json=UNSOLVABLE)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail and all("\n" not in d["msg"] and d["msg"] for d in detail)


@pytest.mark.parametrize("endpoint", ["/assess", "/compare"])
def test_a_misspelled_field_gets_the_nearest_name_as_on_the_command_line(client, endpoint, tmp_path):
    case = jsonable(example("hardship-medical"))
    case["person"]["birht_date"] = case["person"].pop("birth_date")
    r = client.post(endpoint, json=case)
    assert r.status_code == 422
    msgs = {".".join(map(str, d["loc"])): d["msg"] for d in r.json()["detail"]}
    assert "did you mean `birth_date`" in msgs["body.person.birht_date"], msgs
    f = tmp_path / "case.json"
    f.write_text(json.dumps(case))
    out = runner.invoke(cli, ["assess", str(f)]).output
    assert "did you mean `birth_date`" in out, out


def test_a_misspelled_plan_field_gets_the_nearest_household_name(client):
    import yaml

    hh = yaml.safe_load((EXAMPLES.parent / "plans" / "single-retiree.yaml").read_text())
    hh["stratgy"] = hh.pop("strategy", {})  # ("strat" is nearer `state` since the plan has one)
    r = client.post("/plan?paths=0", json=jsonable(hh))
    assert r.status_code == 422
    assert any("did you mean `strategy`" in d["msg"] for d in r.json()["detail"]), r.json()


