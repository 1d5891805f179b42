"""The bracket a plan fills is the law's to judge (IRC §1(j)(2): 10, 12, 22, 24, 32, 35 and
37 percent for 2018 on, made permanent from 2026), not the schema's: ``strategy.fill_bracket``
is bounded only as a rate (0 to 1), and a rate that is no bracket with a top to fill — 0.396,
the top rate of §1(a)-(e) before 2018, or 0.05 — is refused by the law's check with its words
and citation, alike on the command line (exit 2) and the API (422)."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.planner.household import Strategy, parse_household
from dist401k.planner.plan import make_plan

CASE = {"id": "fill", "start_year": 2026,
        "people": [{"birth_date": "1961-03-10", "life_expectancy": 90,
                    "accounts": {"pretax": 1_500_000}}],
        "spending": {"annual": 60_000}}
LISTED = "fill one of 0.1, 0.12, 0.22, 0.24, 0.32, 0.35"


@pytest.mark.parametrize("rate", [0.396, 0.05, 0.5])
def test_the_schema_takes_any_rate_and_the_law_refuses_it(rate):
    hh = parse_household(dict(CASE, strategy={"fill_bracket": rate}))
    with pytest.raises(InputError) as exc:
        make_plan(hh, monte_carlo=False)
    assert [p.field for p in exc.value.problems] == ["strategy.fill_bracket"]
    text = exc.value.problems[0].problem
    assert text.startswith(f"{rate:g} is not a rate of the ordinary income tax brackets in 2026–")
    assert LISTED in text and "IRC §1(j)(2)" in text


@pytest.mark.parametrize("rate", [0.0, -0.1, 1.2])
def test_a_number_that_is_no_rate_is_refused_by_the_schema(rate):
    with pytest.raises(InputError) as exc:
        parse_household(dict(CASE, strategy={"fill_bracket": rate}))
    assert [p.field for p in exc.value.problems] == ["strategy.fill_bracket"]


def test_the_default_is_the_22_percent_bracket():
    assert Strategy().fill_bracket == 0.22


def test_cli_and_api_give_the_laws_words(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    case = dict(CASE, strategy={"fill_bracket": 0.396})
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and "strategy.fill_bracket: 0.396 is not a rate" in out, r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}")),
                        raise_server_exceptions=False)
    res = client.post("/plan?paths=0", json=case)
    assert res.status_code == 422, res.text
    detail = res.json()["detail"]
    assert [d["loc"] for d in detail] == [["body", "strategy", "fill_bracket"]]
    assert detail[0]["msg"].startswith("0.396 is not a rate") and LISTED in detail[0]["msg"]
