"""What a plan refuses, and what it plans with nothing: a gift to charity the money cannot give
is named by `charity.annual` with the most it gives; `strategy.fill_bracket` must be a bracket
of the law with a top to fill to; a household with nothing to draw on spends 0 and cannot
fail (docs/plan.md, "The case file" and "Giving to charity")."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import make_plan
from dist401k.planner.timeline import build_timeline

LAW = default_law()

#: One person of 76 with a $200,000 IRA who asks to give $50,000 a year (the reviewer's case).
GIVER = {"id": "charity-infeasible", "start_year": 2026,
         "people": [{"name": "Pat", "birth_date": "1950-01-15", "life_expectancy": 90,
                     "accounts": {"ira": 200_000}}],
         "charity": {"annual": 50_000}}


def _refusal(case: dict) -> InputError:
    hh = parse_household(case)
    with pytest.raises(InputError) as exc:
        optimise(hh, build_timeline(hh, LAW), LAW)
    return exc.value


def _cli_and_api(tmp_path, case: dict) -> tuple[str, list]:
    """The CLI's output (exit status 2 asserted) and the API's 422 details for ``case``."""
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}")),
                        raise_server_exceptions=False)
    res = client.post("/plan?paths=0", json=case)
    assert res.status_code == 422, res.text
    return " ".join(r.output.split()), res.json()["detail"]


def test_a_gift_the_money_cannot_give_is_named_with_the_most_it_gives():
    err = _refusal(GIVER)
    assert [p.field for p in err.problems] == ["charity.annual"]
    text = err.problems[0].problem
    assert text.startswith("50,000 a year (today's dollars) cannot be given")
    most = float(text.rsplit(" is ", 1)[1].replace(",", ""))
    assert 10_000 < most < 50_000
    # The most is a gift the optimiser plans (nothing else asked); a little more is not.
    hh = parse_household(dict(GIVER, charity={"annual": most}))
    assert optimise(hh, build_timeline(hh, LAW), LAW).spending_real >= 0.0
    more = dict(GIVER, charity={"annual": most * 1.01})
    assert [p.field for p in _refusal(more).problems] == ["charity.annual"]


def test_a_gift_that_fits_alone_names_the_bequest_it_crowds_out():
    # $10,000 a year can be given; beside a $1 million bequest it cannot: the bequest is named.
    err = _refusal(dict(GIVER, charity={"annual": 10_000}, spending={"bequest": 1_000_000}))
    assert [p.field for p in err.problems] == ["spending.bequest"]


def test_cli_and_api_name_the_gift_alike(tmp_path):
    out, detail = _cli_and_api(tmp_path, GIVER)
    assert [d["loc"] for d in detail] == [["body", "charity", "annual"]]
    assert f"charity.annual: {detail[0]['msg']}" in out


@pytest.mark.parametrize(("rate", "why"), [(0.23, "is not a rate of the ordinary income tax"),
                                           (0.37, "is the top rate"), (0.05, "is not a rate")])
def test_a_fill_bracket_that_is_no_bracket_to_fill_is_refused(rate, why):
    case = {"id": "fill", "start_year": 2026,
            "people": [{"birth_date": "1961-03-10", "life_expectancy": 90,
                        "accounts": {"pretax": 1_500_000}}],
            "spending": {"annual": 60_000}, "strategy": {"fill_bracket": rate}}
    try:
        hh = parse_household(case)
    except InputError as exc:  # under the schema's lowest rate: refused by its bound
        assert rate < 0.1 and [p.field for p in exc.problems] == ["strategy.fill_bracket"]
        return
    with pytest.raises(InputError) as exc:
        make_plan(hh, monte_carlo=False)
    assert [p.field for p in exc.value.problems] == ["strategy.fill_bracket"]
    text = exc.value.problems[0].problem
    assert why in text and "0.1, 0.12, 0.22, 0.24, 0.32, 0.35" in text
    assert "IRC §1(j)(2)" in text


def test_cli_and_api_refuse_a_fill_bracket_alike(tmp_path):
    case = {"id": "fill", "start_year": 2026,
            "people": [{"birth_date": "1961-03-10", "life_expectancy": 90,
                        "accounts": {"pretax": 1_500_000}}],
            "strategy": {"fill_bracket": 0.23}}
    out, detail = _cli_and_api(tmp_path, case)
    assert [d["loc"] for d in detail] == [["body", "strategy", "fill_bracket"]]
    assert f"strategy.fill_bracket: {detail[0]['msg']}" in out


@pytest.mark.parametrize("rate", [0.1, 0.12, 0.22, 0.24, 0.32, 0.35])
def test_every_bracket_with_a_top_is_filled_and_labelled_by_its_rate(rate):
    case = {"id": "fill", "start_year": 2026,
            "people": [{"birth_date": "1961-03-10", "life_expectancy": 70,
                        "accounts": {"pretax": 300_000}}],
            "strategy": {"fill_bracket": rate}}
    plan = make_plan(parse_household(case), monte_carlo=False)
    fill = next(o for o in plan.strategies if o.key == "fill")
    assert fill.label == f"Fill the {rate:.0%} bracket with Roth conversions"


def test_a_household_with_nothing_spends_nothing_and_cannot_fail():
    case = {"id": "nothing", "start_year": 2026,
            "people": [{"name": "A", "birth_date": "1960-01-15", "life_expectancy": 80}]}
    plan = make_plan(parse_household(case), paths=100)
    for o in plan.strategies:
        assert o.spending_real == 0.0, o.key
        assert o.shortfall == 0.0, o.key
        assert o.monte_carlo["success_rate"] == 1.0, o.key


def test_social_security_alone_is_spent_and_never_fails():
    case = {"id": "ss-only", "start_year": 2026,
            "people": [{"name": "A", "birth_date": "1958-01-15", "life_expectancy": 85,
                        "social_security": {"monthly_at_full_age": 2_000, "claim_age": 67}}]}
    plan = make_plan(parse_household(case), paths=100)
    for o in plan.strategies:
        assert o.spending_real > 20_000, o.key
        assert o.shortfall < 1.0, o.key
        assert o.monte_carlo["success_rate"] == 1.0, o.key
