"""The shape of a route's answer: per case and per money source, eligible, how much, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dist401k.explain import reason

# Every way out of the plan dist401k knows, and the Roth IRA beside it.  Each has a module in
# dist401k.routes.
ROUTES: tuple[str, ...] = (
    "in_service",  # in-service withdrawal by source (age 59½, seasoning, after-tax, rollover)
    "hardship",  # safe-harbor hardship (401(k)/403(b)), unforeseeable emergency (457(b))
    "loan",  # plan loan, §72(p)
    "loan_deemed",  # a defaulted loan, deemed distributed at the end of its cure period
    "loan_offset",  # a loan offset at severance or plan termination, §402(c)(3)(C)
    "emergency_expense",  # SECURE 2.0 §115, §72(t)(2)(I)
    "domestic_abuse",  # SECURE 2.0 §314, §72(t)(2)(K)
    "birth_adoption",  # §72(t)(2)(H)
    "disaster",  # §72(t)(2)(M), §72(t)(11)
    "long_term_care",  # SECURE 2.0 §334, §401(a)(39)
    "de_minimis_457",  # §457(e)(9)(A) in-service cash-out of a small governmental 457(b)
    "separation",  # after severance from employment (any age; rule of 55 for the penalty)
    "rmd",  # required minimum distribution, §401(a)(9)
    "disability",  # distributable on disability (§401(k)(2)(B)(i)(I))
    "beneficiary",  # an inherited account: distributions on death, §401(a)(9)(B), (H)
    "qdro",  # to a spouse or former spouse alternate payee under a QDRO, §414(p), §402(e)(1)
    "qdro_dependent",  # to a child or other dependent alternate payee under a QDRO
    "roth_ira",  # money from the Roth IRAs instead: ordering rules, §408A(d)
)

# Routes that pay from the owner's IRAs, not from the plan: no rows by money source, and not
# the plan's money in a comparison or a trap.
IRA_ROUTES: tuple[str, ...] = ("roth_ira",)

# Where the money can go.
DESTINATIONS: tuple[str, ...] = (
    "cash",  # paid to the participant
    "traditional_ira",  # direct rollover to a traditional IRA
    "roth_ira",  # direct rollover to a Roth IRA (pre-tax part taxable: a conversion)
    "other_plan",  # direct rollover to another employer plan
    "split_2014_54",  # Notice 2014-54: pre-tax to a traditional IRA, after-tax basis to a Roth IRA
    "indirect_60day",  # paid to the participant, redeposited within 60 days
)


@dataclass
class RouteResult:
    """A route evaluated over a batch of ``n`` cases and ``S`` money sources.

    ``eligible[i, s]`` — can source ``s`` of case ``i`` be paid by this route now;
    ``available[i, s]`` — dollars it can give (0 where not eligible);
    ``reasons[code]`` — boolean mask, shape ``[n, S]`` or ``[n]`` (case-level), saying where
    the registered reason applies (both the yes and the no reasons);
    ``limit[i]`` — a cap on the route's total across sources (inf where none), e.g. the
    $1,000 emergency-expense limit or the §72(p) loan maximum;
    ``extra`` — route-specific arrays (deadlines, loan payment, …), documented by the route.
    """

    route: str
    eligible: np.ndarray
    available: np.ndarray
    reasons: dict[str, np.ndarray] = field(default_factory=dict)
    #: None (no cap) is accepted and replaced by +inf in ``__post_init__``: an array once built.
    limit: np.ndarray = None  # type: ignore[assignment]
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r}")
        for code in self.reasons:
            reason(code)
        if self.limit is None:
            self.limit = np.full(self.eligible.shape[0], np.inf)

    def subset(self, index: np.ndarray) -> "RouteResult":
        """The same answers for some of the cases."""
        return RouteResult(self.route, self.eligible[index], self.available[index],
                           {k: np.asarray(v)[index] for k, v in self.reasons.items()},
                           self.limit[index], {k: np.asarray(v)[index] for k, v in
                                               self.extra.items()})

    @property
    def total_available(self) -> np.ndarray:
        """What the route can give in all, per case: sum over sources, capped by ``limit``."""
        return np.minimum(np.where(self.eligible, self.available, 0.0).sum(axis=1), self.limit)
