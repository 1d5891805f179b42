"""What a Monte Carlo success rate's ± means, and what the ``historical`` model ran: the words
the terminal and the plan report give beside the success rates (docs/plan.md, "Sampling
error")."""

from __future__ import annotations

from dist401k.planner.returns import history_years


def se_words(mc: dict) -> str:
    """What the ± beside a success rate means: one binomial standard error on the paths run
    (:func:`dist401k.planner.risk.success_rate_se`); for the ``historical`` model, whose start
    years overlap and are not drawn at random, a lower bound of the uncertainty only."""
    if mc.get("model") == "historical" and mc.get("lifetimes") != "random":
        return (f"± is √(p(1 − p)/n) on the {mc['paths']:,} start years as if they were independent "
                "draws: they overlap and are not drawn at random, so the rate is less sure than that")
    return (f"± one standard error, √(p(1 − p)/n) on the {mc['paths']:,} paths: another set of "
            "paths would give a rate that differs by about that much")


def se_note(j: dict) -> str:
    """What the ± beside each MC success means: one binomial standard error of the share over
    the paths run (:func:`dist401k.planner.risk.success_rate_se`); nothing without a Monte
    Carlo."""
    mc = next((s["monte_carlo"] for s in j["strategies"] if s["monte_carlo"]), None)
    if mc is None:
        return ""
    return "; " + se_words(mc)


def historical_note(j: dict) -> str | None:
    """How many paths the ``historical`` model ran — one per start year whose sequence fits the
    data, whatever ``paths`` asks — and, with random lifetimes, that only the start years that
    fit the longer grid are used, with one draw of lifetimes each, so that the success moves
    with the seed; None for the other models or without a Monte Carlo."""
    mc = next((s["monte_carlo"] for s in j["strategies"] if s["monte_carlo"]), None)
    if mc is None or mc.get("model") != "historical":
        return None
    n = mc["paths"]
    first, last = history_years()
    span = last - (first + n - 1) + 1  # the years of each path: the last start's run ends in `last`
    note = (f"Historical model: {n:,} paths, one for each start year {first}–{first + n - 1} whose "
            f"{span} years fit the data ({first}–{last}); monte_carlo.paths does not apply to this model, "
            f"and a success rate moves in steps of 1/{n:,} ({100 / n:.1f} points).")
    if mc.get("lifetimes") == "random":
        note += (" With random lifetimes the paths run to the household's last likely death, so "
                 "the later start years, whose history is too short for that, are left out, and "
                 "each start year gets a single draw of lifetimes: the success rates are a "
                 f"sample of {n:,} lifetimes and move with monte_carlo.seed (by about the "
                 "standard error shown).")
    return note
