"""Whether a payee's elected state withholding rate (``request.state_withholding_rate``) can
be taken at all: an input rule, below the case (docs/state.md, "Withholding").

An election needs the state of residence, and a state that taxes no plan distribution
(``state.<xx>.taxes_wage_income`` false) withholds none, so an election there is refused.  The
case model and the flat batch's checks give these one-line problems; the state withholding
outcome (:mod:`dist401k.state_withholding`) figures the amount of an election they let through."""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Law


def election_refused(law: Law, states, years, elected) -> tuple[np.ndarray, np.ndarray]:
    """Where a payee's elected state rate (NaN: none) cannot be taken, as two masks: no state
    given, and a state that withholds nothing because it taxes no plan distribution."""
    states = np.asarray(states).astype("<U2")
    elected = np.broadcast_to(np.asarray(elected, float), states.shape)
    years = np.broadcast_to(np.asarray(years), states.shape)
    asked = ~np.isnan(elected)
    no_tax = np.zeros(states.shape, bool)
    for code in np.unique(states[asked & (states != "")]):
        name = f"state.{str(code).lower()}.taxes_wage_income"
        if name in law.params:
            at = asked & (states == code)
            no_tax[at] = ~np.asarray(law.get(name, years[at]), bool)
    return asked & (states == ""), no_tax


#: The one-line problems of a refused election (the field is the request's rate).
ELECTION_NEEDS_STATE = "needs person.state: a state rate is elected for the state of residence"
ELECTION_NO_TAX = ("is refused: the state of residence taxes no plan distribution and "
                   "withholds none")
