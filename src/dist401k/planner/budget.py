"""A bound on the computation of one plan: the API gives each ``/plan`` request a budget of CPU
seconds (``work_budget``), and the planner checks it as it goes — once a simulated year and once
a pass of the optimiser (``check_budget``) — so a request stops within a year's work of its
budget, whatever the household asks for.  The command line sets none: it costs what it costs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: The thread CPU time (``time.thread_time``) past which the work of this context stops.
_LIMIT: ContextVar[tuple[float, float] | None] = ContextVar("plan_work_limit", default=None)


class WorkBudgetExceeded(Exception):
    """The plan needs more computation than its budget (``seconds`` of CPU)."""

    def __init__(self, seconds: float):
        super().__init__(f"more than {seconds:g} s of computation")
        self.seconds = seconds


@contextmanager
def work_budget(seconds: float) -> Iterator[None]:
    """The work done in this context (this thread's CPU time) may take at most ``seconds``."""
    token = _LIMIT.set((time.thread_time() + seconds, seconds))
    try:
        yield
    finally:
        _LIMIT.reset(token)


def check_budget() -> None:
    """Raises :class:`WorkBudgetExceeded` once this context's budget is spent."""
    limit = _LIMIT.get()
    if limit is not None and time.thread_time() > limit[0]:
        raise WorkBudgetExceeded(limit[1])
