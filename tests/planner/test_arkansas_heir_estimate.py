"""The optimiser's own estimate of Arkansas's tax on an heir's draw from an inherited IRA takes
the retirement benefits exemption, as the plan's figures do.

Arkansas exempts the first $6,000 of each person's retirement benefits; an IRA's count before
59½ where "made on account of the participant's death" (Ark. Code Ann. §26-51-307(a)(2)(B)).
The plan's figures gave the heir's draws that exemption; the optimiser's state terms
(``planner.state_tax.state_terms``) took them as the heir's own IRA's before 59½, with no
exemption, so the programme planned on a state tax about $200 a year above the one the plan
then reported.

Ann, 40 at the end of 2026, single, no other income: her late father's $300,000 IRA pays her
spending (the case of tests/planner/test_arkansas_heir_ira.py).  The estimate at the
solution's draw D (the hull of the sampled tax plus the gap carried at D: exact there) is
Arkansas's 2026 tax worked by hand on D − 6,000: the standard deduction 2,470; the Regular
Income Tax Table at the middle of the $100 row (below $75,000 a row runs from a multiple of
100 to 99 above it): 3.4% less 288 from 16,000, 3.7% less 367.20 from 26,400, rounded half up
to whole dollars; one personal credit of 29.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner import lp
from dist401k.planner.household import parse_household
from dist401k.planner.timeline import build_timeline

LAW = default_law()
CASE = {"id": "ar-heir", "start_year": 2026, "state": "AR",
        "people": [{"name": "Ann", "birth_date": "1986-03-01", "life_expectancy": 85,
                    "social_security": {"monthly_at_full_age": 0}}],
        "inherited": [{"heir": 0, "balance": 300000,
                       "beneficiary": {"deceased_birth_date": "1948-04-01",
                                       "date_of_death": "2024-07-15",
                                       "relationship": "child", "account": "ira"}}],
        "spending": {"annual": 35000}}


def _ar_tax_2026_single(ar_agi: float) -> float:
    net = ar_agi - 2_470
    assert 17_500 < ar_agi and 16_000 <= net < 75_000
    middle = math.floor(net / 100) * 100 + 49.5
    card = 0.037 * middle - 367.20 if middle >= 26_400 else 0.034 * middle - 288
    return max(0.0, math.floor(card + 0.5) - 29 - _additional_credit(net))


def _additional_credit(net: float) -> float:
    """The additional tax credit for qualified individuals by hand from the DFA's 2025 table
    (AR1000TC line 6; 2026 carries it): $60 up to $26,500 of net taxable income, $5 less for
    each $100 row, or part of one, above it."""
    return max(0.0, 60 - 5 * math.ceil(max(0.0, net - 26_500) / 100))


def test_the_optimisers_arkansas_estimate_of_an_heirs_draw_takes_the_exemption(monkeypatch):
    hh = parse_household(CASE)
    tl = build_timeline(hh, LAW)
    seen = []
    real = lp._state_at

    def spy(ctx, flows):
        st = real(ctx, flows)
        seen.append((flows, st))
        return st

    monkeypatch.setattr(lp, "_state_at", spy)
    lp.optimise(hh, tl, LAW)
    flows, st = seen[-1]
    share = lp._taxable_share(tl)
    drawn = float((share[:, None] * (flows["wp"] + flows["cv"])).sum(0)[0])
    terms = st["state"]
    estimate = float((terms.slope[0] * drawn + terms.intercept[0]).max() + terms.carried[0])
    assert estimate == pytest.approx(_ar_tax_2026_single(drawn - 6_000), abs=0.01)
    assert np.isfinite(estimate)
