"""Form 8606, Parts I and II: the traditional IRAs' basis and the pro-rata share of a
conversion to a Roth IRA (IRC §408(d)(1)-(2), §72(e)(8), §408A(d)(3)), line by line, for the
backdoor Roth the case plans (``iras.backdoor_roth_planned``) next to each outcome.

All traditional, SEP and SIMPLE IRAs are one contract valued at December 31: pre-tax money an
outcome rolls into a traditional IRA this year (not an heir's inherited IRA,
:func:`inherited_ira_heir`) joins line 6 and dilutes line 10; after-tax
money it rolls there adds to the basis (line 2: "you rolled over any nontaxable portion of a
qualified retirement plan distribution to a traditional IRA").  The case's traditional IRA
balance is taken as its year-end value (growth ignored), no other IRA distribution is taken
(line 7: 0), and no contribution for the year is made in the next one (line 4: 0).

The backdoor Roth's contribution is held to the IRA contribution limit of the year by the case
model and the batch's checks (:func:`dist401k.ira_contribution_limit.contribution_limit`: IRC
§219(b)(1), (b)(5), (c); §408(o)(2)(B)), an input rule below the case; a 72(t) series from the
traditional IRAs is taxed by the same line 10 (:func:`ira_taxable_share`).

Part III (Roth IRA distributions, by the ordering rules of §408A(d)(4)): lines 19-25c of the
``roth_ira`` outcome, figured by :mod:`dist401k.roth_ira_ordering`; none where the distribution
is qualified (the part is then not filled in).
"""

from __future__ import annotations

import numpy as np

from dist401k.basis import ira_pro_rata
from dist401k.case import Relationship
from dist401k.money import HALF_CENT, cents

PLACES = "ira.form_8606_ratio_places"


def lines(nondeductible, prior_basis, year_end_value, distributions, conversions,
          places) -> dict[str, np.ndarray]:
    """Lines 1–14 (Part I) and 16–18 (Part II) of each case, line 10 rounded to ``places``."""
    line_3 = nondeductible + prior_basis
    line_4 = np.zeros_like(line_3)
    line_5 = line_3 - line_4
    ratio, nontax_conv, taxable_conv, nontax_dist, carried = ira_pro_rata(
        line_5, year_end_value, distributions, conversions, places=places)
    return {"line_1": nondeductible, "line_2": prior_basis, "line_3": line_3,
            "line_4": line_4, "line_5": line_5, "line_6": year_end_value,
            "line_7": distributions, "line_8": conversions,
            "line_9": year_end_value + distributions + conversions, "line_10": ratio,
            "line_11": nontax_conv, "line_12": nontax_dist,
            "line_13": nontax_conv + nontax_dist, "line_14": carried + line_4,
            "line_16": conversions, "line_17": nontax_conv, "line_18": taxable_conv}


def ira_taxable_share(b, law) -> np.ndarray:
    """[n]: the taxable part of each dollar the traditional IRAs pay out in the case's year:
    1 − Form 8606 line 10, the year's backdoor Roth contribution on line 1 (into line 3) and its
    conversion on line 8 (into line 9).  The case's balance stands for lines 6 + 7 (what is paid
    out moves from one to the other; growth ignored), so line 10 is (basis + contribution) /
    (balance + conversion), and stays so in later years; 1 where the IRAs hold nothing
    (§408(d)(1)-(2), §72(e)(8); Form 8606 instructions, lines 1-10)."""
    conv = np.asarray(b.ira_backdoor, float)
    got = lines(conv, np.asarray(b.ira_basis, float), np.asarray(b.ira_traditional, float),
                np.zeros_like(conv), conv, law.get(PLACES, np.asarray(b.tax_year)))
    return 1.0 - got["line_10"]


def inherited_ira_heir(b) -> np.ndarray:
    """[n]: cases of a beneficiary other than the surviving spouse, whose plan money moves only
    to an *inherited* IRA (§402(c)(11)(A)).  That IRA is not one of the person's own traditional
    IRAs: its value is not in line 6 nor its basis in line 2 (§408(d)(2); Form 8606
    instructions: an inherited IRA's basis is figured apart, combined with the person's own
    only by a surviving spouse who treats it as their own).  A spouse's rollover is to the
    spouse's own IRA and counts."""
    return np.asarray(b.inherited, bool) & (np.asarray(b.relationship) != Relationship.SPOUSE)


def form_8606_lines(b, law, rolled_to_ira, basis_rolled_in,
                    at: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
    """Form 8606 next to an outcome for the cases ``at``: which of them convert (the rest
    have no form), and the lines of all of them; None where none converts.
    ``rolled_to_ira`` is what the outcome puts in a traditional IRA, of which
    ``basis_rolled_in`` is after-tax basis; neither where that IRA is an heir's inherited IRA
    (:func:`inherited_ira_heir`)."""
    conv = np.asarray(b.ira_backdoor, float)[at]
    if not (conv > HALF_CENT).any():
        return None
    places = law.get(PLACES, np.asarray(b.tax_year)[at])
    own = ~inherited_ira_heir(b)[at]
    got = lines(conv, np.asarray(b.ira_basis, float)[at] + own * np.asarray(basis_rolled_in)[at],
                np.asarray(b.ira_traditional, float)[at] + own * np.asarray(rolled_to_ira)[at],
                np.zeros(len(at)), conv, places)
    return conv > HALF_CENT, {name: np.asarray(v, float) if name == "line_10" else cents(v)
                              for name, v in got.items()}


def form_8606_rows(b, law, rolled_to_ira, basis_rolled_in, at: np.ndarray) -> list[dict | None]:
    """Form 8606 next to an outcome for the cases ``at`` (None where the case converts
    nothing), as the answer shows it."""
    figured = form_8606_lines(b, law, rolled_to_ira, basis_rolled_in, at)
    if figured is None:
        return [None] * len(at)
    converts, got = figured
    shown = {name: v.tolist() for name, v in got.items()}
    return [{name: col[k] for name, col in shown.items()} if converts[k] else None
            for k in range(len(at))]


def part_iii_rows(paid, at: np.ndarray) -> list[dict | None]:
    """Form 8606 Part III (lines 19-25c) of an outcome that takes money from the Roth IRAs
    (``paid``: :class:`dist401k.roth_ira_ordering.RothIraPaid`), for the cases ``at``, to the
    cent; None where the outcome takes none or the distribution is qualified."""
    if paid is None:
        return [None] * len(at)
    p = paid.part_iii
    filled = np.asarray(p.filled)[at].tolist()
    shown = {name: cents(np.asarray(getattr(p, name))[at]).tolist() for name in p.LINES}
    return [{name: col[k] for name, col in shown.items()} if filled[k] else None
            for k in range(len(at))]
