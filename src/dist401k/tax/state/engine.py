"""The state income tax of a batch of tax units: each unit's state rule, the law of each
(state, year, filing status) gathered once.

Units are grouped by state with one sort; each covered state's rule runs once over its group
with the batch's :class:`Lookup` narrowed to it, so the parameters of a (year, status) pair
are read once for the whole batch.  A state not yet covered answers NaN with the reason
STATE_NOT_COVERED, never a silent zero.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from dist401k.explain import catalogue_order, reason
from dist401k.law.loader import Law, Lookup, default_law
from dist401k.tax.state import no_income_tax
from dist401k.tax.state.alabama import alabama_tax
from dist401k.tax.state.arizona import arizona_tax
from dist401k.tax.state.arkansas import arkansas_tax
from dist401k.tax.state.california import california_tax
from dist401k.tax.state.colorado import colorado_tax
from dist401k.tax.state.common import StateAnswer
from dist401k.tax.state.connecticut import connecticut_tax
from dist401k.tax.state.delaware import delaware_tax
from dist401k.tax.state.district_of_columbia import district_of_columbia_tax
from dist401k.tax.state.georgia import georgia_tax
from dist401k.tax.state.hawaii import hawaii_tax
from dist401k.tax.state.idaho import idaho_tax
from dist401k.tax.state.illinois import illinois_tax
from dist401k.tax.state.indiana import indiana_tax
from dist401k.tax.state.iowa import iowa_tax
from dist401k.tax.state.kansas import kansas_tax
from dist401k.tax.state.kentucky import kentucky_tax
from dist401k.tax.state.louisiana import louisiana_tax
from dist401k.tax.state.maine import maine_tax
from dist401k.tax.state.maryland import maryland_tax
from dist401k.tax.state.massachusetts import massachusetts_tax
from dist401k.tax.state.michigan import michigan_tax
from dist401k.tax.state.minnesota import minnesota_tax
from dist401k.tax.state.mississippi import mississippi_tax
from dist401k.tax.state.missouri import missouri_tax
from dist401k.tax.state.montana import montana_tax
from dist401k.tax.state.nebraska import nebraska_tax
from dist401k.tax.state.new_jersey import new_jersey_tax
from dist401k.tax.state.new_mexico import new_mexico_tax
from dist401k.tax.state.new_york import new_york_tax
from dist401k.tax.state.north_carolina import north_carolina_tax
from dist401k.tax.state.north_dakota import north_dakota_tax
from dist401k.tax.state.ohio import ohio_tax
from dist401k.tax.state.oklahoma import oklahoma_tax
from dist401k.tax.state.oregon import oregon_tax
from dist401k.tax.state.pennsylvania import pennsylvania_tax
from dist401k.tax.state.rhode_island import rhode_island_tax
from dist401k.tax.state.south_carolina import south_carolina_tax
from dist401k.tax.state.units import STATE_CODES, StateUnits
from dist401k.tax.state.utah import utah_tax
from dist401k.tax.state.vermont import vermont_tax
from dist401k.tax.state.virginia import virginia_tax
from dist401k.tax.state.west_virginia import west_virginia_tax
from dist401k.tax.state.wisconsin import wisconsin_tax

Rule = Callable[[Lookup, StateUnits], StateAnswer]

#: The states whose income tax dist401k figures, each with its rule.
RULES: dict[str, Rule] = {
    **no_income_tax.RULES,
    "PA": pennsylvania_tax,
    "ID": idaho_tax,
    "IL": illinois_tax,
    "MS": mississippi_tax,
    "CA": california_tax,
    "CO": colorado_tax,
    "NY": new_york_tax,
    "NC": north_carolina_tax,
    "IN": indiana_tax,
    "AZ": arizona_tax,
    "MA": massachusetts_tax,
    "MD": maryland_tax,
    "MI": michigan_tax,
    "MN": minnesota_tax,
    "KS": kansas_tax,
    "KY": kentucky_tax,
    "LA": louisiana_tax,
    "DE": delaware_tax,
    "GA": georgia_tax,
    "UT": utah_tax,
    "VA": virginia_tax,
    "NE": nebraska_tax,
    "NJ": new_jersey_tax,
    "OH": ohio_tax,
    "OK": oklahoma_tax,
    "AL": alabama_tax,
    "MO": missouri_tax,
    "OR": oregon_tax,
    "IA": iowa_tax,
    "ND": north_dakota_tax,
    "MT": montana_tax,
    "NM": new_mexico_tax,
    "ME": maine_tax,
    "SC": south_carolina_tax,
    "VT": vermont_tax,
    "DC": district_of_columbia_tax,
    "WI": wisconsin_tax,
    "WV": west_virginia_tax,
    "RI": rhode_island_tax,
    "HI": hawaii_tax,
    "CT": connecticut_tax,
    "AR": arkansas_tax,
}
COVERED = tuple(sorted(RULES))
NOT_COVERED = tuple(c for c in STATE_CODES if c not in RULES)

#: Output columns of :func:`state_tax`, in order (besides ``reasons``).
OUTPUT_COLUMNS = ("state_income_tax", "state_additional_tax", "state_covered",
                  "state_unconfirmed", "projected")


def state_tax(units: StateUnits, law: Law | None = None,
              lookup: Lookup | None = None) -> dict[str, Any]:
    """State income tax and the state's own additional tax on early distributions, per unit.

    ``state_income_tax`` is the state's tax before credits other than the exemption credits
    modelled; ``state_additional_tax`` its own tax on early distributions (California's 2.5%,
    Arkansas's 10% of the federal tax).
    Both are NaN where ``state_covered`` is False.  ``state_unconfirmed`` is True where a
    figure used could not be confirmed from the state's own text; ``reasons`` maps reason
    codes (law/reasons/state.yaml) to masks.
    """
    law = law or default_law()
    n = len(units)
    lk = lookup if lookup is not None else Lookup(law, units.tax_year, units.filing_status)
    income, additional = np.full(n, np.nan), np.full(n, np.nan)
    covered = np.zeros(n, dtype=bool)
    reasons: dict[str, np.ndarray] = {"STATE_NOT_COVERED": np.zeros(n, dtype=bool)}
    index = state_index(units.state)
    for code, idx in _groups(index):
        rule = RULES.get(code)
        if rule is None:
            reasons["STATE_NOT_COVERED"][idx] = True
            continue
        answer = rule(lk.subset(idx), units.subset(idx))
        income[idx], additional[idx] = answer.income_tax, answer.additional_tax
        covered[idx] = np.isfinite(answer.income_tax)
        for key, mask in answer.reasons.items():
            reasons.setdefault(key, np.zeros(n, dtype=bool))[idx] |= np.asarray(mask, dtype=bool)
    unconfirmed = unconfirmed_units(law, index, units.tax_year)
    reasons["STATE_FIGURES_UNCONFIRMED"] = unconfirmed
    for key in reasons:
        reason(key)  # fail early on an unregistered code
    # The catalogue's order, not the order the batch's states were met in: a unit's reasons
    # read the same alone and beside other states' units.
    order = catalogue_order()
    reasons = dict(sorted(reasons.items(), key=lambda kv: order[kv[0]]))
    return {
        "state_income_tax": income,
        "state_additional_tax": additional,
        "state_covered": covered,
        "state_unconfirmed": unconfirmed,
        "projected": law.projected(units.tax_year),
        "reasons": reasons,
    }


#: Code points of ASCII: a state code's letters are below it (a letter above reads as not a state).
ASCII = 128
#: Each state's position in STATE_CODES, by its two letters' code points (one gather).
_INDEX = np.full(ASCII * ASCII, -1, dtype=np.int64)
for _i, _code in enumerate(STATE_CODES):
    _INDEX[ord(_code[0]) * ASCII + ord(_code[1])] = _i


def state_index(states: np.ndarray) -> np.ndarray:
    """Position of each unit's state in STATE_CODES (states checked by StateUnits)."""
    letters = np.ascontiguousarray(states, dtype="<U2").view(np.uint32).reshape(-1, 2)
    letters = np.minimum(letters, ASCII - 1)
    return _INDEX[letters[:, 0] * ASCII + letters[:, 1]]


def _groups(index: np.ndarray):
    """(state code, indices of its units) for each state in the batch, with one sort."""
    counts = np.bincount(index, minlength=len(STATE_CODES))
    order = np.argsort(index, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for k in np.flatnonzero(counts):
        yield STATE_CODES[k], order[bounds[k]:bounds[k + 1]]


def projected_source(law: Law, name: str, year: int) -> int:
    """The year whose figure of ``name`` a year's law carries: the year itself up to the last
    enacted year; after it, the year of the last value in force (a value the law schedules
    for a later year, such as Yonkers's surcharge ending in 2028, is its own source), else the
    last enacted year, whose figure the projection carries or indexes (docs/state.md)."""
    if year <= law.enacted_through:
        return year
    dated = [d.year for d in law.param(name).dates if d.year <= year]
    return year if dated and dated[-1] == year else max(dated + [law.enacted_through])


def unconfirmed_why(law: Law, name: str, year: int) -> str | None:
    """Why a figure of ``name`` used in ``year`` could not be confirmed (its law file's
    ``unconfirmed``), or None: a projected year inherits the mark, and its text, of the year
    its figure is carried or indexed from."""
    marks = law.param(name).unconfirmed
    return marks.get(year) or marks.get(projected_source(law, name, year))


def unconfirmed_units(law: Law, index: np.ndarray, years: np.ndarray) -> np.ndarray:
    """True where the unit's (state, year) uses a figure marked unconfirmed in its law file
    (a projected year: marked in the year it is projected from, :func:`unconfirmed_why`)."""
    flagged = _FLAGGED.get(law)
    if flagged is None:
        flagged = _FLAGGED[law] = _unconfirmed_grid(law)
    return flagged[index, np.asarray(years) - law.first_year]


#: Each law's grid of (state, year) marked unconfirmed, made once.
_FLAGGED: weakref.WeakKeyDictionary[Law, np.ndarray] = weakref.WeakKeyDictionary()


def _unconfirmed_grid(law: Law) -> np.ndarray:
    """(state, year − first year) → True where a figure of the state's tax is unconfirmed."""
    flagged = np.zeros((len(STATE_CODES), law.projected_through + 1 - law.first_year), dtype=bool)
    for name, p in law.params.items():
        # A state's withholding files (state/<xx>/withholding_*) do not touch its tax.
        if name.startswith("state.") and p.unconfirmed and ".withholding_" not in name:
            state = STATE_CODES.index(name.split(".")[1].upper())
            flagged[state] |= [unconfirmed_why(law, name, y) is not None
                               for y in range(law.first_year, law.projected_through + 1)]
    return flagged


def state_citations(law: Law, code: str) -> list[str]:
    """The citations of every law file of a state (for a report's "why")."""
    prefix = f"state.{code.lower()}."
    return sorted({p.citation for name, p in law.params.items() if name.startswith(prefix)})
