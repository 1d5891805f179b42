"""Random drawdown cases for property tests: one or two people of any age, any mix of accounts
and incomes over seven orders of size, and the plan's options (a state and a move, a charity,
marketplace coverage, guardrails, a confidence target, random lifetimes, a survival horizon)
drawn independently — each a case the planner must answer or refuse with its field named."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

STATES = sorted(p.name.upper() for p in (Path(__file__).resolve().parents[2] / "src" / "dist401k"
                                         / "law" / "params" / "state").iterdir() if p.is_dir())
#: Maryland's counties as a plan names them (the law's keys and names as people write them).
MD_COUNTIES = ("montgomery", "Prince George's County", "baltimore city", "anne_arundel",
               "Frederick", "st. mary's", "worcester")
money = st.one_of(st.just(0), st.integers(100, 5_000_000), st.floats(0.01, 3e7))


@st.composite
def people(draw, start: int, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        born = draw(st.integers(1940, 1995))
        p = {"birth_date": f"{born}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
             "life_expectancy": draw(st.integers(max(60, start - born + 1), 105)),
             "sex": draw(st.sampled_from(["female", "male"])),
             "accounts": {"pretax": draw(money), "roth": draw(money),
                          "roth_first_year": draw(st.sampled_from([2005, 2020, start]))}}
        if draw(st.booleans()):
            p["accounts"]["ira"] = draw(money)
        if draw(st.booleans()):
            p["social_security"] = {"monthly_at_full_age": draw(st.floats(0, 6000)),
                                    "claim_age": draw(st.one_of(st.integers(62, 70),
                                                                st.floats(62, 70)))}
        if draw(st.booleans()):
            p["wages"] = draw(money)
            p["retirement_age"] = draw(st.integers(50, 75))
        if draw(st.booleans()):
            p["pension"] = {"monthly": draw(st.floats(0, 8000)),
                            "start_age": draw(st.integers(50, 75)),
                            "survivor_fraction": draw(st.floats(0, 1))}
        if draw(st.booleans()):
            p["separated_at_55"] = True
        out.append(p)
    return out


@st.composite
def plans(draw, paths=st.integers(1, 40)) -> dict:
    """A random drawdown case (``paths``: its Monte Carlo paths)."""
    start = draw(st.sampled_from([2025, 2026, 2027, 2030]))
    n = draw(st.integers(1, 2))
    case = {"start_year": start, "people": draw(people(start, n)),
            "spending": {"annual": draw(st.floats(500, 1e6))}}
    if draw(st.booleans()):
        case["cash"] = draw(money)
    if draw(st.booleans()):
        bal = draw(money)
        case["taxable"] = {"balance": bal, "basis": draw(st.floats(0, 1)) * bal}
        if draw(st.booleans()):
            case["taxable"]["community_property"] = draw(st.booleans())
    if n == 2 and draw(st.booleans()):
        case["spending"]["survivor_fraction"] = draw(st.floats(0.3, 1))
    if draw(st.booleans()):
        case["spending"]["bequest"] = draw(money)
    case.update(draw(places_and_costs(start, n)))
    case["strategy"] = draw(strategies())
    case["monte_carlo"] = draw(monte_carlo(paths))
    if draw(st.booleans()):
        case["guardrails"] = {"guyton_klinger": draw(st.booleans()),
                              "risk_based": draw(st.booleans())}
    if draw(st.booleans()):
        case["horizon"] = {"survival": draw(st.floats(0.05, 0.95))}
    if draw(st.booleans()):
        case["magi_history"] = [draw(money), draw(money)]
    return case


@st.composite
def places_and_costs(draw, start: int, n: int) -> dict:
    """A state and a move, a charity, marketplace coverage: each there or not."""
    out: dict = {}
    if draw(st.booleans()):
        out["state"] = draw(st.sampled_from(STATES))
        if draw(st.booleans()):
            out["move"] = {"year": start + draw(st.integers(1, 10)),
                           "state": draw(st.sampled_from(STATES))}
        if "NY" in (out["state"], out.get("move", {}).get("state")):
            out["new_york_city"] = draw(st.booleans())
            out["yonkers"] = not out["new_york_city"] and draw(st.booleans())
        if "MD" in (out["state"], out.get("move", {}).get("state")) and draw(st.booleans()):
            out["maryland_county"] = draw(st.sampled_from(MD_COUNTIES))
    if draw(st.booleans()):
        out["charity"] = {"annual": draw(st.floats(0, 200_000)), "qcd": draw(st.booleans())}
    if draw(st.booleans()):
        out["marketplace"] = {"benchmark_premium": draw(st.floats(0, 40_000)),
                              "household_size": draw(st.integers(n, 6))}
    return out


@st.composite
def strategies(draw) -> dict:
    strategy = {"objective": draw(st.sampled_from(["max_spending", "max_estate"]))}
    if draw(st.booleans()):
        strategy["fill_bracket"] = draw(st.sampled_from([0.1, 0.12, 0.22, 0.24, 0.32]))
    if draw(st.booleans()):
        strategy["max_conversion"] = draw(money)
    if draw(st.booleans()):
        strategy["medicare"] = draw(st.booleans())
    if draw(st.booleans()):
        strategy["irmaa_appeal"] = draw(st.booleans())
    return strategy


@st.composite
def monte_carlo(draw, paths) -> dict:
    mc = {"paths": draw(paths), "seed": draw(st.integers(0, 99)),
          "model": draw(st.sampled_from(["bootstrap", "lognormal", "historical"]))}
    if draw(st.booleans()):
        mc["confidence"] = draw(st.floats(0.5, 0.99))
    if draw(st.booleans()):
        mc["lifetimes"] = "random"
    return mc
