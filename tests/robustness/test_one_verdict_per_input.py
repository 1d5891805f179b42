"""One verdict, in the same words, for each bad input through every door (the chaos review's
third pass): a boolean given for a number, a key given twice, a body nested too deep or not
JSON, numeric text in a request's amount, an integer too large, a missing mapping, no tax
unit, a plan past the law's last year.

The expected verdicts and words are docs/reliability.md's promise ("bad input gets one line
that names the field and the problem … exit status 2 in the CLI, HTTP 422 in the API, an
error row in batch", "the same words whichever door it came through"), not the program's own
output; each test failed before its fix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from refusals import refused

ROOT = Path(__file__).parents[2]
CASES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
CASE = ROOT / "examples" / "cases" / "hardship-medical.yaml"
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
LAW = default_law()
runner = CliRunner()
NOT_A_NUMBER = "is not a number"
POSTS = ["/assess", "/compare", "/sepp", "/report", "/cases", "/plan", "/plan/report", "/tax"]
JSON = {"content-type": "application/json"}


def jsonable(path: Path) -> dict:
    """The YAML file as the JSON a client would send (dates as text)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


CASE_JSON = jsonable(CASE)
PLAN_JSON = jsonable(PLAN)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dist401k.store import Store

    db = tmp_path_factory.mktemp("db") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


def set_path(data: dict, path: str, value) -> dict:
    """``data`` with the value at the dotted ``path`` (list indices as numbers) replaced."""
    keys = path.split(".")
    node = data
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node.setdefault(k, {})
    if isinstance(node, list):
        node[int(keys[-1])] = value
    else:
        node[keys[-1]] = value
    return data


def cli_problem(tmp_path: Path, command: list[str], data: dict, suffix: str = ".yaml") -> str:
    """The one line the command line prints for ``data`` written as a file: exit status 2."""
    path = tmp_path / f"input{suffix}"
    path.write_text(json.dumps(data))  # JSON is YAML
    out = refused([*command, path])
    return " ".join(out.split())


def api_problems(client, url: str, body: dict | bytes) -> list[tuple[list, str]]:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = client.post(url, content=content, headers=JSON)
    assert r.status_code == 422, (url, r.status_code, r.text[:300])
    return [(d["loc"], d["msg"]) for d in r.json()["detail"]]


def loc(path: str, root: tuple[str, ...] = ("body",)) -> list:
    """The API's ``loc`` of a dotted path: list indices are integers (docs/api.md)."""
    return [*root, *(int(p) if p.isdigit() else p for p in path.split("."))]


# 1. true and false are not numbers, in any number field of a case or a plan ------------------

def number_paths(data, where: str = "") -> list[str]:
    """The dotted path of every number (not a boolean) in a case or plan."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in number_paths(v, f"{where}{k}.")]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in number_paths(v, f"{where}{i}.")]
    return [where[:-1]] if isinstance(data, int | float) and not isinstance(data, bool) else []


CASE_NUMBERS = sorted({(c.name, p) for c in CASES for p in number_paths(jsonable(c))})


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(CASE_NUMBERS), st.booleans())
def test_a_boolean_in_any_number_field_of_a_case_is_not_a_number(client, which, flag):
    """Every number a shipped case gives, replaced by true or false: the case model refuses it
    naming the field (the command line's loader, :func:`parse_case`) and POST /assess says the
    same at the same place (before the fix both took it for 1 or 0)."""
    name, path = which
    case = set_path(jsonable(ROOT / "examples" / "cases" / name), path, flag)
    with pytest.raises(InputError) as exc:
        parse_case(case)
    words = NOT_A_NUMBER + (" (or 'max')" if path == "request.amount" else "")
    assert (path, words) in [(p.field, p.problem) for p in exc.value.problems]
    assert (loc(path), words) in api_problems(client, "/assess", case)


@pytest.mark.parametrize("path, column", [
    ("income.wages", "wages"), ("account.sources.match.vested", "vested_match"),
    ("plan.loans.max_count", "loans_max_count"), ("request.need", "request_need")])
def test_a_boolean_for_a_number_is_refused_by_every_door(tmp_path, client, path, column):
    """`income.wages: true` was priced as $1, `vested: true` as 100% vested, `max_count: true`
    as one loan: now exit 2, 422 and an error row, each naming the field in the same words."""
    case = set_path(jsonable(CASE), path, True)
    assert cli_problem(tmp_path, ["assess"], case).endswith(f"{path}: {NOT_A_NUMBER}")
    for url in ("/assess", "/compare", "/report"):
        assert (loc(path), NOT_A_NUMBER) in api_problems(client, url, case)
    assert (loc(path, ("body", "case")), NOT_A_NUMBER) in api_problems(
        client, "/cases", {"case": case})
    row = {"participant_id": "p1", "request_date": "2026-06-01", "birth_date": "1966-02-03",
           "plan_type": "401k", "balance_elective_deferral": 1000.0, "balance_match": 500.0,
           "loans_allowed": True, column: True}
    out = run_job(pa.table({k: [v] for k, v in row.items()}), "eligibility", LAW).to_pylist()[0]
    assert (out["status"], out["error_message"]) == ("error", f"{column}: {NOT_A_NUMBER}")


def test_booleans_stay_booleans_in_true_false_fields(client):
    """The fix refuses booleans for numbers only: a flag still takes true."""
    case = set_path(jsonable(CASE), "person.disabled", True)
    assert parse_case(case).person.disabled is True
    assert client.post("/assess", json=case).status_code == 200


def test_a_boolean_in_a_list_of_numbers_names_its_item(client):
    case = set_path(jsonable(CASE), "assumptions.horizon_ages", [65, True])
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert [(p.field, p.problem) for p in exc.value.problems] == [
        ("assumptions.horizon_ages.1", NOT_A_NUMBER)]
    assert api_problems(client, "/compare", case) == [
        (loc("assumptions.horizon_ages.1"), NOT_A_NUMBER)]


@pytest.mark.parametrize("path", ["people.0.life_expectancy", "taxable.balance",
                                  "magi_history"])
def test_a_boolean_for_a_number_of_a_plan_is_refused_by_both_doors(tmp_path, client, path):
    """`life_expectancy: true` was read as 1 (and refused as "must be at least 50")."""
    plan = jsonable(PLAN)
    value = [100000, True] if path == "magi_history" else True
    field = "magi_history.1" if path == "magi_history" else path
    plan = set_path(plan, path, value)
    line = cli_problem(tmp_path, ["plan", "--no-monte-carlo"], plan)
    assert line.endswith(f"{field}: {NOT_A_NUMBER}"), line
    assert (loc(field), NOT_A_NUMBER) in api_problems(client, "/plan?paths=0", plan)


# 2. A tax unit's true is not a number either, in every door of the tax ------------------------

TAX_UNIT = {"tax_year": 2026, "filing_status": "single", "wages": True}
TAX_WORDS = "wages: is not a number"


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_boolean_wage_is_refused_by_every_tax_door(tmp_path, client, kind):
    """A one-row CSV whose wages cell is `true` (Arrow reads a boolean column) was priced with
    wages of 1 by `dist401k tax` and by the batch tax job; POST /tax took JSON true as 1."""
    path = tmp_path / f"units.{kind}"
    if kind == "csv":
        path.write_text("tax_year,filing_status,wages\n2026,single,true\n")
    else:
        path.write_text(json.dumps([TAX_UNIT]))
    refused(["tax", "-f", "csv", path], f"row 1, {TAX_WORDS}")
    from dist401k.io.tables import read_table

    out = run_job(read_table(path), "tax", LAW).to_pylist()[0]
    assert (out["status"], out["error_message"]) == ("error", TAX_WORDS)
    assert api_problems(client, "/tax", {"units": [TAX_UNIT]}) == [
        (["body", "units", 0, "wages"], "is not a number")]


def test_a_tax_units_flag_still_takes_true(tmp_path, client):
    unit = {"tax_year": 2026, "filing_status": "single", "wages": 50000, "age_head": 70,
            "blind_head": True}
    path = tmp_path / "units.csv"
    path.write_text("tax_year,filing_status,wages,age_head,blind_head\n2026,single,50000,70,true\n")
    r = runner.invoke(app, ["tax", "-f", "json", str(path)])
    assert r.exit_code == 0, r.output
    api = client.post("/tax", json={"units": [unit]})
    assert api.status_code == 200, api.text
    assert json.loads(r.output)["results"][0]["income_tax"] == api.json()["results"][0]["income_tax"]


def test_a_json_tax_table_with_an_integer_beyond_a_float_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "units.json"
    path.write_text('[{"tax_year": 2026, "filing_status": "single", "wages": ' + "9" * 400 + "}]")
    refused(["tax", path], "row 1, wages")


# 3. A key given twice is refused, naming it, in every door -----------------------------------

def test_a_key_given_twice_in_a_yaml_case_is_named(tmp_path):
    """`wages: 68000` then `wages: 1` was priced with wages of $1 (the last value)."""
    text = CASE.read_text()
    assert "  wages: 68000\n" in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("  wages: 68000\n", "  wages: 68000\n  wages: 1\n"))
    refused(["assess", path], "income.wages: is given twice")
    path.write_text(text.replace("id: hardship-medical\n", "id: a\nid: b\n"))
    refused(["compare", path], "case.yaml: id: is given twice")
    path.write_text(text.replace("{balance: 15000,", "{balance: 15000, balance: 1,"))
    refused(["assess", path], "account.sources.match.balance: is given twice")


def test_a_yaml_merge_key_is_no_key_given_twice(tmp_path):
    text = CASE.read_text().replace("income:\n  wages: 68000", "base: &pay {wages: 68000}\n"
                                    "income:\n  <<: *pay\n  wages: 70000")
    data = yaml.load(text, Loader=yaml.SafeLoader)
    data.pop("base")
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))  # the merge resolved: the same case, accepted
    assert runner.invoke(app, ["assess", str(path)]).exit_code == 0
    from dist401k.io.files import load_yaml

    assert load_yaml(text)[1] == []


def test_a_key_given_twice_in_a_yaml_plan_is_named(tmp_path):
    text = PLAN.read_text()
    assert "life_expectancy: " in text
    path = tmp_path / "plan.yaml"
    path.write_text(re.sub(r"(\n(\s+)life_expectancy: \S+)", r"\1\n\2life_expectancy: 60", text,
                           count=1))
    refused(["plan", "--no-monte-carlo", path], "people.0.life_expectancy: is given twice")


@pytest.mark.parametrize("url, body, where", [
    ("/assess", '{"id": "a", "id": "b"}', ["body", "id"]),
    ("/compare", '{"id": "a", "id": "b"}', ["body", "id"]),
    ("/sepp", '{"person": {"birth_date": "1960-01-01", "birth_date": "1961-01-01"}}',
     ["body", "person", "birth_date"]),
    ("/report", '{"id": "a", "id": "b"}', ["body", "id"]),
    ("/cases", '{"case": {"id": "a"}, "case": {}}', ["body", "case"]),
    ("/plan", '{"start_year": 2026, "start_year": 2027}', ["body", "start_year"]),
    ("/plan/report", '{"people": [{"sex": "male", "sex": "female"}]}',
     ["body", "people", 0, "sex"]),
    ("/tax", '{"units": [{"wages": 1, "wages": 2}]}', ["body", "units", 0, "wages"]),
])
def test_a_key_given_twice_in_a_json_body_is_422_naming_it(client, url, body, where):
    """{"id": "a", "id": "b"} was read as "b" (Python's and orjson's readers keep the last)."""
    assert api_problems(client, url, body.encode()) == [(where, "is given twice")]


def test_a_key_given_twice_in_a_json_case_file_and_table_is_named(tmp_path):
    path = tmp_path / "case.json"
    text = json.dumps(CASE_JSON)
    path.write_text(text.replace('"wages": 68000', '"wages": 68000, "wages": 1'))
    refused(["assess", path], "case.json: income.wages: is given twice")
    table = tmp_path / "units.json"
    table.write_text('[{"tax_year": 2026, "filing_status": "single", "wages": 1, "wages": 2}]')
    refused(["tax", table], "units.json: row 1, wages: is given twice")


# 4–5. A body the API cannot read: one answer on every endpoint --------------------------------

@pytest.mark.parametrize("url", POSTS)
@pytest.mark.parametrize("depth", [65, 975, 1024])
def test_a_body_nested_past_64_levels_is_422_on_every_endpoint(client, url, depth):
    """Nesting of about 975–1,024 levels (which orjson reads) was HTTP 400 "There was an error
    parsing the body" on every endpoint but /assess."""
    body = b'{"id":' + b"[" * depth + b"]" * depth + b"}"
    assert api_problems(client, url, body) == [(["body"],
                                                f"nests deeper than 64 levels: not {BODY[url]}")]


#: What each endpoint's body is, as the refusal of one nested too deep names it.
BODY = {"/assess": "a case", "/compare": "a case", "/sepp": "a case", "/report": "a case",
        "/cases": "a saved case", "/plan": "a drawdown plan", "/plan/report": "a drawdown plan",
        "/tax": "a tax request"}


MALFORMED = ("is not valid JSON: Expecting property name enclosed in double quotes: line 1 "
             "column 13 (char 12)")


@pytest.mark.parametrize("url", POSTS)
def test_malformed_json_is_one_answer_on_every_endpoint(client, url):
    """`{"id": "x", ` was ["body"] "Invalid JSON: EOF …" on /assess and ["body", "12"] "JSON
    decode error" elsewhere; now the words a case file gets, on ["body"], everywhere."""
    assert api_problems(client, url, b'{"id": "x", ') == [(["body"], MALFORMED)]


def test_malformed_json_gets_the_words_of_a_case_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{"id": "x", ')
    refused(["assess", path], f"case.json: {MALFORMED}")


@pytest.mark.parametrize("url", POSTS)
@pytest.mark.parametrize("content_type, words", [
    ("text/plain", "is sent as text/plain"),
    ("application/x-www-form-urlencoded", "is sent as application/x-www-form-urlencoded"),
    (None, "is sent without a Content-Type")])
def test_a_body_not_declared_json_is_one_answer_on_every_endpoint(client, url, content_type,
                                                                  words):
    """A valid case sent as text/plain was 200 on /assess and a misleading 422 ("Input should
    be a valid dictionary …") elsewhere."""
    headers = {"content-type": content_type} if content_type else {}
    r = client.post(url, content=json.dumps(CASE_JSON).encode(), headers=headers)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == [{"loc": ["body"], "type": "content_type", "msg":
                                   f"{words}: send JSON, with Content-Type: application/json"}]


def test_json_declared_with_a_charset_or_a_json_suffix_is_read(client):
    for ct in ("application/json; charset=utf-8", "application/vnd.case+json"):
        r = client.post("/assess", content=json.dumps(CASE_JSON).encode(),
                        headers={"content-type": ct})
        assert r.status_code == 200, (ct, r.text[:200])


def test_an_empty_body_is_required_on_every_endpoint(client):
    for url in POSTS:
        assert api_problems(client, url, b"") == [(["body"], "is required")], url


# 6. Numeric text in a request's amount, read as every other amount reads it --------------------

@pytest.mark.parametrize("spelling, dollars", [("1e4", 10000.0), ("'5000'", 5000.0),
                                               ("' 5000 '", 5000.0), ("5000", 5000.0)])
def test_a_request_amount_reads_numeric_text_as_every_amount_does(tmp_path, spelling, dollars):
    """YAML reads `1e4` (no dot) as text; `request.amount` called it "not a number (or
    'max')" while `request.need: 1e4` and every other amount read 10,000."""
    text = CASE.read_text()
    assert "  amount: max\n" in text
    case = parse_case(yaml.load(text.replace("  amount: max\n", f"  amount: {spelling}\n"),
                                Loader=yaml.SafeLoader))
    assert case.request.amount == dollars
    need = parse_case(set_path(jsonable(CASE), "request.need", yaml.safe_load(spelling)))
    assert need.request.need == dollars  # as every other amount reads it


def test_a_request_amount_as_text_is_answered_alike_by_both_doors(tmp_path, client):
    case = set_path(jsonable(CASE), "request.amount", "5000")
    r = client.post("/assess", json=case)
    assert r.status_code == 200, r.text
    number = client.post("/assess", json=set_path(jsonable(CASE), "request.amount", 5000))
    assert r.json() == number.json()


@pytest.mark.parametrize("value, words", [
    ("five", "is not a number (or 'max')"), (-1, "must be 0 or more"),
    (2e11, "must be a finite number no more than 100,000,000,000"), ("1e400", "must be a finite number")])
def test_a_bad_request_amount_gets_the_words_of_every_amount(client, value, words):
    case = set_path(jsonable(CASE), "request.amount", value)
    with pytest.raises(InputError) as exc:
        parse_case(case)
    (problem,) = exc.value.problems
    assert problem.field == "request.amount" and problem.problem.startswith(words)
    assert api_problems(client, "/assess", case) == [(loc("request.amount"), problem.problem)]


# 7. The words of the messages -----------------------------------------------------------------

def test_an_integer_of_400_digits_is_too_large_in_both_doors(tmp_path, client):
    """The command line said "is not a number", the API "must be a finite number (not NaN or
    infinity)": it is a number, and finite, but beyond any float (about 1.8e308)."""
    case = set_path(jsonable(CASE), "income.wages", 1)
    text = json.dumps(case).replace('"wages": 1', '"wages": ' + "9" * 400)
    path = tmp_path / "case.yaml"
    path.write_text(text)
    line = " ".join(refused(["assess", path]).split())
    (problem,) = api_problems(client, "/assess", text.encode())
    assert problem[0] == loc("income.wages")
    assert problem[1].startswith("is too large")
    assert line.endswith(f"income.wages: {problem[1]}")


def test_a_missing_mapping_gets_the_apis_words_in_both_doors(tmp_path, client):
    """`person: null`: "Input should be a valid dictionary or instance of Person" on the
    command line (the model's internals), "Input should be an object" through the API."""
    case = set_path(jsonable(CASE), "person", None)
    line = cli_problem(tmp_path, ["assess"], case)
    assert line.endswith("person: Input should be an object"), line
    for url in ("/assess", "/compare"):
        assert api_problems(client, url, case) == [(loc("person"), "Input should be an object")]


def test_no_tax_unit_is_said_so(client):
    """{"units": []} was answered "tax_year: required column is missing"."""
    assert api_problems(client, "/tax", {"units": []}) == [
        (["body", "units"], "no tax unit was given: give one at least")]


def test_a_plan_past_the_laws_last_year_names_the_person(tmp_path, client):
    """Every other problem of a person is `people.0.…`; the plan running past 2100 was named
    `people.life_expectancy`."""
    plan = jsonable(PLAN)
    plan["people"][0]["birth_date"] = "2000-01-01"
    plan["people"][0]["life_expectancy"] = 110
    with pytest.raises(InputError) as exc:
        parse_household(plan)
    (problem,) = exc.value.problems
    assert problem.field == "people.0.life_expectancy"
    assert problem.problem.startswith("the plan runs to 2110, past the last year")
    assert cli_problem(tmp_path, ["plan", "--no-monte-carlo"], plan).endswith(str(problem))
    assert api_problems(client, "/plan?paths=0", plan) == [
        (loc("people.0.life_expectancy"), problem.problem)]
