"""Money sources of a plan account, and what the law makes of each.

The order of ``SOURCES`` is the column order of every per-source array (shape ``[n, S]``) in
a ``CaseBatch`` and in route results.  The character of a source (pre-tax, designated Roth,
after-tax; restricted by IRC §401(k)(2)(B) or not; employer money under Treas. Reg.
§1.401-1(b)(1)(ii)) decides which distribution rules apply to it.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

SourceName = Literal[
    "elective_deferral",  # pre-tax 401(k)/403(b)/457(b) deferrals — §401(k)(2)(B), §403(b)(11)
    "roth_deferral",  # designated Roth contributions — §402A; same restrictions as deferrals
    "safe_harbor",  # safe-harbor nonelective/match — Treas. Reg. §1.401(k)-3, restricted
    "qnec",  # qualified nonelective contributions — §401(k)(2)(B) via §1.401(k)-6
    "qmac",  # qualified matching contributions — as QNEC
    "match",  # regular employer match — profit-sharing rules, §1.401-1(b)(1)(ii)
    "profit_sharing",  # employer profit-sharing contributions — §1.401-1(b)(1)(ii)
    "after_tax",  # employee after-tax (non-Roth) contributions — §72(d)(2), §72(e)(8)
    "rollover_pretax",  # pre-tax money rolled in — Rev. Rul. 2004-12
    "rollover_roth",  # designated Roth money rolled in from another plan
    "roth_employer",  # match/nonelective designated Roth — §402A(a)(2) (SECURE 2.0 §604)
]
SOURCES: tuple[SourceName, ...] = get_args(SourceName)
S = len(SOURCES)
INDEX = {name: i for i, name in enumerate(SOURCES)}

# Sources that §401(k)(2)(B) (and §403(b)(11) for 403(b) deferrals) keeps in the plan until
# severance, death, disability, 59½, hardship or plan termination.
DEFERRAL_RESTRICTED = np.array(
    [s in ("elective_deferral", "roth_deferral", "safe_harbor", "qnec", "qmac") for s in SOURCES]
)
# Salary-reduction contributions, pre-tax and designated Roth: the only money of a 403(b)(7)
# custodial account it may pay on hardship (IRC §403(b)(7)(A)(i)(V); Treas. Reg. §1.403(b)-6(c)).
SALARY_REDUCTION = np.array([s in ("elective_deferral", "roth_deferral") for s in SOURCES])
# Employer money that a profit-sharing plan may pay after a fixed number of years, an age,
# or an event the plan names (Treas. Reg. §1.401-1(b)(1)(ii); Rev. Rul. 71-295, 68-24).
# Matching or nonelective contributions the employee designated as Roth keep the distribution
# rules of employer money (IRC §402A(a)(2); Notice 2024-2, Q&A L-1 to L-9).
EMPLOYER_DISCRETIONARY = np.array([s in ("match", "profit_sharing", "roth_employer")
                                   for s in SOURCES])
# Designated Roth money (§402A): tax-free if the distribution is qualified.  Roth employer
# contributions are taxed when contributed and are designated Roth money from then on
# (§402A(a)(2), as added by SECURE 2.0 §604).  Together they are one contract for §72: "only
# one separate contract for an employee with respect to the designated Roth contributions under a
# plan" (Treas. Reg. §1.402A-1, Q&A-9(a); dist401k.basis.roth_investment_share).
ROTH = np.array([s in ("roth_deferral", "rollover_roth", "roth_employer") for s in SOURCES])
# Employee after-tax (non-Roth) money: its own contract for basis recovery (§72(d)(2)).
AFTER_TAX = np.array([s == "after_tax" for s in SOURCES])
# Money rolled in: payable any time the plan allows (Rev. Rul. 2004-12).
ROLLOVER = np.array([s in ("rollover_pretax", "rollover_roth") for s in SOURCES])
PRETAX = ~(ROTH | AFTER_TAX)
# Money that is always fully vested: the employee's own contributions and the money that stands
# in for them (IRC §401(k)(2)(C), §411(a)(1); Treas. Reg. §1.401(k)-3(b), §1.401(k)-6), and
# employer money designated Roth, which may be designated only if fully vested (§402A(a), as
# amended by SECURE 2.0 §604; Notice 2024-2, section L).
ALWAYS_VESTED = DEFERRAL_RESTRICTED | AFTER_TAX | ROLLOVER | np.array(
    [s == "roth_employer" for s in SOURCES])
# Money the plan may pay at any time it allows (after-tax contributions, rollovers in).
FREE = AFTER_TAX | ROLLOVER


def vesting_rule(source: str) -> str:
    """Why a source must be fully vested (the message of a partly vested one)."""
    if source == "roth_employer":
        return ("matching or nonelective contributions may be designated Roth only if fully "
                "vested (IRC §402A(a), as amended by SECURE 2.0 §604; Notice 2024-2, section L)")
    return ("this money is always fully vested (IRC §401(k)(2)(C), §411(a)(1); Treas. Reg. "
            "§1.401(k)-3(b), §1.401(k)-6)")
