"""Random lifetimes in the drawdown plan: each Monte Carlo path draws each person's year of
death, the survivor's rules follow on that path, and a path ends at the last death; the
survival horizon; the plan-file checks.  Fixed-lifetime plans are unchanged."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.conftest import untimed
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner import longevity
from dist401k.planner.household import parse_household, with_horizon
from dist401k.planner.plan import draw_lives, fixed_returns, lifetime_timeline, make_plan, plan_json
from dist401k.planner.simulate import Policy, simulate
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def couple(**changes) -> dict:
    with open("examples/plans/couple-social-security.yaml") as fh:
        d = yaml.safe_load(fh)
    d["people"][0]["sex"], d["people"][1]["sex"] = "male", "female"
    d["monte_carlo"]["paths"] = 200
    for path, v in changes.items():
        node = d
        *head, last = path.split(".")
        for k in head:
            node = node[int(k)] if k.isdigit() else node.setdefault(k, {})
        node[last] = v
    return d


def everyone_alive(hh, tl):
    """The random-lifetime timeline of ``hh`` over the years of its fixed plan ``tl``."""
    last = int(tl.years[-1])
    return build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": last - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)


@pytest.mark.parametrize("ages", [(92, 90), (84, 95)])
@pytest.mark.parametrize("kind", ["order", "fill", "systematic"])
def test_paths_dying_when_the_fixed_plan_says_reproduce_it(ages, kind):
    """Per-path lifetimes equal to the fixed plan's give the fixed plan, to the cent: the
    survivor's filing status, benefits, pension share, spending share and rollover follow on
    each path exactly as the deterministic timeline applies them once.  The second couple has
    the wife outliving a husband with a joint-and-survivor pension."""
    d = couple(**{"people.0.life_expectancy": ages[0], "people.1.life_expectancy": ages[1],
                  "people.0.pension": {"monthly": 1500, "start_age": 65,
                                       "survivor_fraction": 0.5}})
    hh = parse_household(d)
    tl = build_timeline(hh, LAW)
    wide = everyone_alive(hh, tl)
    assert wide.T == tl.T and wide.pools >= tl.pools
    death = np.array([[hh.people[i].birth_date.year + ages[i] - tl.years[0] for i in (0, 1)]] * 2)
    lives = path_lives(hh, wide, LAW, death)
    rets = fixed_returns(hh, LAW, tl.T, 2)
    spend = np.array([80_000.0, 95_000.0])
    a = simulate(hh, tl, LAW, rets, Policy(kind), spend)
    b = simulate(hh, wide, LAW, rets, Policy(kind), spend, lives=lives)
    for k in a.cols:
        np.testing.assert_allclose(b[k], a[k], rtol=1e-12, atol=1e-6, err_msg=k)
    np.testing.assert_allclose(b.estate_real, a.estate_real, rtol=1e-12)


@pytest.mark.parametrize("kind", ["order", "fill"])
def test_a_widower_s_rmds_leave_the_joint_table_on_his_paths(kind):
    """He is 76, she 62 (more than ten years younger, his sole beneficiary): his RMDs read the
    Joint and Last Survivor Table while she lives; from the year after her death (2034), the
    Uniform Lifetime Table (Treas. Reg. §1.401(a)(9)-9(d): the spouse must be the sole
    beneficiary on January 1).  A path on which she dies then gives the fixed plan in which she
    does — before, the path kept the joint table to his end."""
    d = couple(**{"people.0.birth_date": "1950-05-01", "people.1.birth_date": "1964-05-01",
                  "people.0.life_expectancy": 95, "people.1.life_expectancy": 70,
                  "people.0.social_security": {"monthly_at_full_age": 3000, "claim_age": 70},
                  "people.1.social_security": {"monthly_at_full_age": 1500, "claim_age": 62}})
    hh = parse_household(d)
    tl = build_timeline(hh, LAW)
    wide = everyone_alive(hh, tl)
    his = (wide.pool_owner == 0) & np.isfinite(wide.rmd_divisor[:, 0])
    after = wide.years > 2034
    assert (wide.rmd_divisor[his][:, after] > wide.rmd_divisor_alone[his][:, after]).all()
    death = np.array([[hh.people[i].birth_date.year + a - tl.years[0]
                       for i, a in enumerate((95, 70))]] * 2)
    lives = path_lives(hh, wide, LAW, death)
    rets = fixed_returns(hh, LAW, tl.T, 2)
    spend = np.array([60_000.0, 70_000.0])
    a = simulate(hh, tl, LAW, rets, Policy(kind), spend)
    b = simulate(hh, wide, LAW, rets, Policy(kind), spend, lives=lives)
    for k in ("rmd", "pretax_withdrawal", "income_tax", "pretax_balance"):
        np.testing.assert_allclose(b[k], a[k], rtol=1e-12, atol=1e-6, err_msg=k)


# Each example simulates 64 paths over some 45 years: a few examples, not shrunk.
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate])
@given(st.integers(0, 2**32 - 1), st.sampled_from(["order", "fill", "systematic"]))
def test_nothing_is_spent_or_owed_once_everyone_has_died(seed, kind):
    hh = parse_household(couple(**{"monte_carlo.lifetimes": "random", "monte_carlo.seed": seed}))
    tl = build_timeline(hh, LAW)
    wide = lifetime_timeline(hh, tl, LAW)
    lives = draw_lives(hh, wide, LAW, 64)
    rets = fixed_returns(hh, LAW, wide.T, 64)
    res = simulate(hh, wide, LAW, rets, Policy(kind), np.full(64, 90_000.0), lives=lives)
    gone = ~lives.anyone
    assert gone.any()
    for k in ("need", "spending", "shortfall", "income_tax", "irmaa", "rmd", "conversion",
              "pretax_withdrawal", "wages", "pension", "social_security"):
        assert np.all(res[k][gone] == 0), k
    # The survivor's years: the need is the survivor's share of the couple's.
    alone = lives.anyone & (lives.alive.sum(axis=1) == 1) & (lives.filing_status == 0)
    price = np.concatenate([np.ones((64, 1)), np.cumprod(1 + rets["inflation"], axis=1)], axis=1)
    np.testing.assert_allclose(res["need"][alone], (90_000.0 * hh.spending.survivor_fraction
                                                    * price[:, :-1])[alone])
    assert np.all(np.isfinite(res.estate_real))


def test_random_lifetimes_in_the_plan_json_and_fixed_figures_unchanged():
    fixed = plan_json(make_plan(parse_household(couple()), LAW, paths=200))
    rnd = plan_json(make_plan(parse_household(couple(**{"monte_carlo.lifetimes": "random"})),
                              LAW, paths=200))
    # The fixed-return figures do not depend on how the Monte Carlo draws lifetimes.
    assert rnd["table"] == fixed["table"]
    for a, b in zip(fixed["strategies"], rnd["strategies"], strict=True):
        assert a["spending_real"] == b["spending_real"]
        assert b["monte_carlo"]["lifetimes"] == "random"
        assert 0 <= b["monte_carlo"]["success_rate"] <= 1
        first, last = b["monte_carlo"]["years"]
        assert first == rnd["years"][0] and last >= rnd["years"][1]
        assert len(b["monte_carlo"]["balance_percentiles_by_year"]["p50"]) == last - first + 1
    assert rnd["longevity"]["lifetimes"] == "random"
    json.dumps(rnd, allow_nan=False)


def test_a_case_without_sex_keeps_its_json():
    d = couple()
    for p in d["people"]:
        del p["sex"]
    plain = plan_json(make_plan(parse_household(d), LAW, monte_carlo=False))
    with_sex = plan_json(make_plan(parse_household(couple()), LAW, monte_carlo=False))
    assert "longevity" not in plain
    lv = with_sex.pop("longevity")
    assert untimed(plain) == untimed(with_sex)
    assert lv["years"][0] == 2026 and lv["alive"][0][0] == lv["either_alive"][0] == 1.0


def test_survival_horizon_sets_the_plan_end():
    hh = parse_household(couple(horizon={"survival": 0.9}))
    planned = with_horizon(hh)
    years = np.arange(2026, longevity.last_possible_year(hh.people) + 1)
    either = longevity.household_survival(longevity.household_q(hh.people, years))["either"]
    end = longevity.survival_horizon(either, years, 0.9)
    assert max(p.birth_date.year + p.life_expectancy for p in planned.people) == end
    j = plan_json(make_plan(hh, LAW, monte_carlo=False))
    assert j["years"][1] == end == j["longevity"]["horizon"]["last_year"]
    k = j["longevity"]["years"].index(end)
    assert j["longevity"]["either_alive"][k + 1] <= 0.1 < j["longevity"]["either_alive"][k]


@pytest.mark.parametrize(("change", "field"), [
    ({"monte_carlo.lifetimes": "random"}, "people.1.sex"),
    ({"horizon": {"survival": 0.9}}, "people.1.sex"),
    ({"horizon": {"survival": 0.3}}, "horizon.survival"),
    ({"monte_carlo.lifetimes": "forever"}, "monte_carlo.lifetimes"),
    ({"people.0.sex": "x"}, "people.0.sex"),
])
def test_bad_longevity_input_names_the_field(change, field):
    d = couple(**change)
    if field == "people.1.sex":
        del d["people"][1]["sex"]
    with pytest.raises(InputError) as e:
        parse_household(d)
    assert any(p.field == field for p in e.value.problems), e.value


def test_cli_shows_who_is_alive_and_refuses_a_missing_sex(tmp_path):
    case = tmp_path / "c.yaml"
    case.write_text(yaml.safe_dump(couple(horizon={"survival": 0.75})))
    r = CliRunner().invoke(app, ["plan", str(case), "--no-monte-carlo"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "Alive on January 1" in r.output
    assert "either of them is still alive with probability 25% or less" in " ".join(r.output.split())
    bad = couple(**{"monte_carlo.lifetimes": "random"})
    del bad["people"][0]["sex"]
    case.write_text(yaml.safe_dump(bad))
    r = CliRunner().invoke(app, ["plan", str(case)])
    assert r.exit_code == 2
    assert "people.0.sex" in r.output and "Traceback" not in r.output


def test_report_draws_the_survival_chart(tmp_path):
    from dist401k.plan_report import render_plan_html

    page = render_plan_html(make_plan(parse_household(couple(
        **{"monte_carlo.lifetimes": "random", "monte_carlo.paths": 50})), LAW, paths=50))
    assert "How long the money must last" in page and "Probability of being alive" in page
    assert "random lifetimes" in page
