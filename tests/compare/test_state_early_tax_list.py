"""The QDRO rollover trap's list of the states' own taxes on early distributions
(`traps.STATE_EARLY_TAX`) holds every state whose law files carry one: a state's additional tax
is a law file named for it (`state/<st>/early_distribution_rate`, a rate of the amount;
`early_distribution_share` or `federal_additional_tax_share`, a share of the federal §72(t) tax),
so a state added to the engine cannot be missed by the trap."""

from __future__ import annotations

from pathlib import Path

import dist401k
from dist401k.traps import STATE_EARLY_TAX

PARAMS = Path(dist401k.__file__).parent / "law" / "params" / "state"
RATE = ("early_distribution_rate",)
SHARES = ("early_distribution_share", "federal_additional_tax_share")


def test_every_states_early_distribution_tax_is_in_the_traps_list():
    found = {}
    for path in PARAMS.glob("*/*.yaml"):
        if path.stem in RATE + SHARES:
            found[path.parent.name.upper()] = (f"state.{path.parent.name}.{path.stem}",
                                               path.stem in SHARES)
    assert found, "no state early-distribution tax found: the law files moved?"
    assert found == STATE_EARLY_TAX
