"""The HTTP API (FastAPI): `dist401k serve`, OpenAPI at /docs.

Endpoints answer with the same engine and the same JSON as the command line.  Input errors are
422 with the field path and the message — a body is read and checked once, as a case file is,
before any endpoint sees it (api_guard.read_json_body); bodies over the size limit are refused
with 413;
nothing from a request body is logged (api_guard.py): the access log has method, path, status
and time.  Set ``DIST401K_API_TOKEN`` to require ``Authorization: Bearer <token>``; a request
whose ``Host`` is not the server's (DNS rebinding) is refused with 400 (``DIST401K_ALLOWED_HOSTS``
adds names; docs/api.md, "Allowed hosts").
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import datetime as _dt
import hmac
import logging
import math
import os
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from dist401k import __version__
from dist401k import plan_schema as ps
from dist401k.api_guard import (
    DEEPER,
    BodyTooLarge,
    CheckedJSONRoute,
    Guard,
    HeadAsGet,
    HostCheck,
    SizeLimit,
    allowed_hosts,
    allowed_methods,
    too_large,
)
from dist401k.assess import assess_cases
from dist401k.case import Case, case_schema, parse_case, with_known_year
from dist401k.errors import (
    NOT_A_WHOLE_YEAR,
    NOT_AN_OBJECT,
    NUMBERS_IN_TEXT,
    PROBLEMS_LISTED,
    FieldProblem,
    FieldProblems,
    InputError,
    MoreProblems,
    capped,
    more_problems,
    problem_text,
)
from dist401k.io.files import DEFAULT_MAX_BODY_BYTES, SettingError, max_body_bytes
from dist401k.law import default_law
from dist401k.planner.household import Household
from dist401k.store import Store
from dist401k.withholding import with_unknown_withholding


def _body_limit_at_import() -> int:
    """The body limit as set when this module is imported, for callers that quote it; a
    setting that cannot be read is refused where the app is made (:func:`create_app`) and by
    `dist401k serve` before it starts, in one line naming it, never at import."""
    try:
        return max_body_bytes()
    except SettingError:
        return DEFAULT_MAX_BODY_BYTES


MAX_BODY_BYTES = _body_limit_at_import()
#: How long ``GET /ready`` waits for the database's ``SELECT 1`` (seconds): a bound on a
#: probe, not law.
READY_SECONDS = 2.0
#: A check of ``GET /ready`` still pending after this many seconds is left hung and a new one
#: asked, at most this many left at once (operating bounds, not law).
READY_STALE_SECONDS = 10.0
READY_MAX_LEFT = 4
MAX_TAX_UNITS = 1000
log = logging.getLogger("dist401k.api")


#: The Monte Carlo work one ``/plan`` request may do, in simulated path-years (one market path
#: of one strategy for one year): about 1.5 s of CPU on the shared 2-core machine the project
#: measures on (docs/reliability.md). A bound on work, not law; the command line has none.
PLAN_PATH_YEARS = 250_000
#: Strategy runs the search for the spending at a chosen confidence costs (seven candidates a
#: round, about five rounds), and the extra cost of drawing lifetimes (longer paths).
CONFIDENCE_RUNS = 35
RANDOM_LIFETIME_COST = 2
#: The CPU seconds one ``/plan`` request may compute in all (the optimiser's passes and every
#: simulated year count against it: dist401k.planner.budget); past it the request is refused,
#: naming the parts that cost most. Every shipped plan and the longest plan the bounds admit
#: take at most about 3 s (docs/reliability.md): a bound on work, not law.
PLAN_CPU_SECONDS = 20.0
#: The CPU seconds of a request that asks for the claiming-age search
#: (``strategy.search_claiming``, dist401k.planner.claiming): each choice of claiming ages tried
#: is a whole plan, some tens to a hundred optimisations (docs/plan.md, "When to claim Social
#: Security"), so the search, an explicit opt-in, gets this larger bound in place of
#: PLAN_CPU_SECONDS. A bound on work, not law.
CLAIMING_CPU_SECONDS = 60.0
#: The search's expected CPU seconds for one choice of claiming ages and one year of the plan,
#: counted against CLAIMING_CPU_SECONDS before the Monte Carlo paths are set (request_paths):
#: measured 2–7 ms (a couple's 101 choices over 31 years in 6 s of CPU, 16 s on a loaded
#: machine; a single person's 11 over 26 years in 1.8 s), counted at 10 ms.
CANDIDATE_YEAR_SECONDS = 0.01
#: The most Monte Carlo paths one ``/plan`` request runs (its ``paths``, or the case's own).
REQUEST_PATHS = 2_000
#: The ``paths`` query of ``/plan`` and ``/plan/report``.
PATHS_QUERY = ("Monte Carlo paths, 0 for none; without it the case's own `monte_carlo.paths` "
               f"(as `dist401k plan` runs it); at most {REQUEST_PATHS:,}, and fewer where the "
               "plan's work would pass one request's bound (`notes` says so)")


def request_paths(hh, asked: int | None) -> tuple[int, list[str]]:
    """The Monte Carlo paths one request runs: those asked for (``asked``, the query's
    ``paths``; None: the case's own ``monte_carlo.paths``, as the command line runs it), at
    most :data:`REQUEST_PATHS`, and fewer where the household's years, strategies and searches
    would take more than :data:`PLAN_PATH_YEARS`; with a note saying so."""
    if asked is None:
        asked = hh.monte_carlo.paths
    if asked == 0:
        return 0, []
    if hh.monte_carlo.model == "historical":
        # Every historical start year whose sequence fits runs, whatever the paths asked
        # (returns.start_years): the data's years bound that work (tests/api/test_plan_budget.py).
        return asked, []
    years = max(p.birth_date.year + p.life_expectancy for p in hh.people) - hh.start_year + 1
    runs = 4 + hh.guardrails.guyton_klinger + hh.guardrails.risk_based
    runs += CONFIDENCE_RUNS if hh.monte_carlo.confidence is not None else 0
    runs *= RANDOM_LIFETIME_COST if hh.monte_carlo.lifetimes == "random" else 1
    share, choices = _left_after_search(hh, years)
    budget = max(1, int(PLAN_PATH_YEARS * share) // (years * runs))
    most = min(REQUEST_PATHS, budget)
    if asked <= most:
        return asked, []
    search = (f"the claiming-age search ({choices:,} choices of ages, each a whole plan) and "
              if share < 1 else "")
    why = (f"{search}{runs} strategy runs of {years} years are as much as one request may compute"
           if budget < REQUEST_PATHS else f"one request runs at most {REQUEST_PATHS:,}")
    return most, [f"Monte Carlo over {most:,} market paths, not the {asked:,} asked for: "
                  f"{why}; `dist401k plan --paths N` has no such limit."]


def _left_after_search(hh, years: int) -> tuple[float, int]:
    """The share of :data:`PLAN_PATH_YEARS` a request's Monte Carlo may take, and how many
    choices of claiming ages its search tries (0: no search).  The search's expected cost
    (:data:`CANDIDATE_YEAR_SECONDS` a choice and a year) is counted against
    :data:`CLAIMING_CPU_SECONDS`; the plan and its Monte Carlo get what is left, their whole
    share where that is at least a plain request's :data:`PLAN_CPU_SECONDS`."""
    choices = search_choices(hh) if hh.strategy.search_claiming else 0
    if not choices:
        return 1.0, 0
    left = CLAIMING_CPU_SECONDS - choices * years * CANDIDATE_YEAR_SECONDS
    return min(1.0, max(0.0, left / PLAN_CPU_SECONDS)), choices


def search_choices(hh) -> int:
    """The most choices of claiming ages the search tries for ``hh``
    (dist401k.planner.claiming: every whole year of each person who has a claim to choose, for
    a couple every pair, then the months around the best on each side, a person at a time)."""
    import math

    import numpy as np

    from dist401k.planner.claiming import REFINE_MONTHS, SIDES, claim_months

    months = [m for m in claim_months(hh, default_law()) if m is not None]
    if not months:
        return 0
    grid = math.prod(np.unique(np.r_[m[m % 12 == 0], m[0], m[-1]]).size for m in months)
    return grid + len(SIDES) * len(REFINE_MONTHS) * len(months)


def bounded_plan(make_plan, hh, paths: int):
    """``make_plan`` of ``hh`` over ``paths`` Monte Carlo paths within :data:`PLAN_CPU_SECONDS`
    of CPU (:data:`CLAIMING_CPU_SECONDS` where it asks for the claiming-age search); past it,
    refused (422) naming what the plan asked that costs most."""
    from dist401k.planner.budget import WorkBudgetExceeded, work_budget

    seconds = CLAIMING_CPU_SECONDS if hh.strategy.search_claiming else PLAN_CPU_SECONDS
    try:
        with work_budget(seconds):
            return make_plan(hh, monte_carlo=paths > 0, paths=paths or None)
    except WorkBudgetExceeded as exc:
        raise InputError(FieldProblem("case", (
            f"this plan needs {exc} — more than one request may take; run it with "
            f"`dist401k plan`, or ask for less: fewer Monte Carlo paths (?paths=){_costly(hh)}"
            ))) from None


def _costly(hh) -> str:
    """What a household asks for that multiplies a plan's work, to leave out."""
    asked = [name for name, on in (
        ("strategy.search_claiming", hh.strategy.search_claiming),
        ("monte_carlo.confidence", hh.monte_carlo.confidence is not None),
        ("random lifetimes", hh.monte_carlo.lifetimes == "random"),
        ("the guardrails", hh.guardrails.guyton_klinger or hh.guardrails.risk_based),
        ("marketplace coverage", hh.marketplace is not None),
        ("a move", hh.move is not None),
        ("inherited accounts", bool(hh.inherited))) if on]
    return (", or leave out " + ", ".join(asked)) if asked else ", or a shorter horizon"


def _field_errors(exc: Exception, model: str = "", root: tuple[str, ...] = ("body",)
                  ) -> list[dict]:
    """Pydantic errors (and the case's and the household's own checks, each naming its field
    from ``root``, where the body holds the case) as [{loc, msg, type}]; a misspelled field of
    the body's model (``Case``, ``Household``) or a misspelled choice gets the nearest declared
    name, as on the command line.  The first :data:`~dist401k.errors.PROBLEMS_LISTED` only, the
    others counted in one last entry on ``["body"]`` (docs/api.md, "Bad input")."""
    errors: list[dict] = getattr(exc, "errors", lambda: [])()
    out: list[dict] = []
    for k, err in enumerate(errors):
        if len(out) >= PROBLEMS_LISTED:
            return _capped_detail(out, len(errors) - k)
        out += _detail_of(err, model, root)
    return _capped_detail(out, 0)


def _detail_of(err: dict, model: str, root: tuple[str, ...]) -> list[dict]:
    """The entries of one pydantic error (several for a model's own checks)."""
    from dist401k.did_you_mean import hint_for

    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, FieldProblems):
        return [{"loc": field_loc(field, root), "msg": problem, "type": "value_error"}
                for field, problem in inner.problems]
    # pydantic's own loc: list indices are integers, keys and fields strings
    loc = list(err.get("loc", ()))
    msg = _query_year_words(err, loc) or problem_text(err)
    hint = hint_for({**err, "loc": loc[1:] if loc[:1] == ["body"] else loc}, model)
    if hint:
        msg = msg.split(" (")[0] + hint
    return [{"loc": loc, "msg": msg, "type": err.get("type", "value_error")}]


def _query_year_words(err: dict, loc: list) -> str:
    """``GET /law``'s ``year`` given as a number that is not whole (``2026.5``): "is not a whole
    year", as ``POST /tax``'s ``tax_year`` words it, not "is not a number" (it is one); "" for
    any other problem (text that is no number is not a number)."""
    if loc != ["query", "year"] or err.get("type") != "int_parsing":
        return ""
    try:
        number = float(str(err.get("input", "")))
    except ValueError:
        return ""
    # 1e3 is whole and nan no number: those keep their words
    return NOT_A_WHOLE_YEAR if math.isfinite(number) and not number.is_integer() else ""


#: The ``type`` of the entry that counts the problems a 422 does not list.
TOO_MANY = "too_many_problems"


def _capped_detail(out: list[dict], not_translated: int) -> list[dict]:
    """The first :data:`~dist401k.errors.PROBLEMS_LISTED` entries, then one counting the rest."""
    hidden = max(len(out) - PROBLEMS_LISTED, 0) + not_translated
    more = [{"loc": ["body"], "msg": more_problems(hidden).problem, "type": TOO_MANY}]
    return out[:PROBLEMS_LISTED] + (more if hidden else [])


def field_loc(field: str, root: tuple[str, ...] = ("body",)) -> list[str | int]:
    """The ``loc`` of a field named by its dotted path (``people.0.birth_date``) under ``root``:
    each list index an integer, as pydantic's own locs and FastAPI's published
    ``ValidationError`` schema have them (the mappings of a case or a plan are keyed by money
    source names, never by digits, so a part of digits alone is a list index)."""
    return [*root, *(int(part) if part.isdigit() else part for part in field.split("."))]


def assessed(cases: list) -> list[dict]:
    """The assessments of ``cases`` as the API answers them: a withholding not figured is null,
    as in every door (dist401k.withholding.with_unknown_withholding)."""
    return [with_unknown_withholding(r) for r in assess_cases(cases)]


class Batcher:
    """Requests that arrive together are answered together: the rules are array formulas, so
    a batch of fifty cases costs little more than one (micro-batching for the API).

    A batch closes when every request this process has begun reading is in it (``arriving``
    counts those still being read and checked), when it holds ``max_batch``, or ``max_wait``
    after its first request; a lone request waits at most ``gap``."""

    def __init__(self, fn, max_batch: int = 64, gap: float = 0.001, max_wait: float = 0.02):
        self.fn, self.max_batch, self.gap, self.max_wait = fn, max_batch, gap, max_wait
        self.queue: asyncio.Queue | None = None
        self.task: asyncio.Task | None = None
        self.arriving = 0

    async def submit(self, item):
        loop = asyncio.get_running_loop()
        if self.queue is None or getattr(self, "loop", None) is not loop:
            # One queue and one collector per event loop (a test client may use several).
            self.loop, self.queue = loop, asyncio.Queue()
            self.task = None
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run(self.queue))
        fut = asyncio.get_running_loop().create_future()
        flag = _counted.get()
        if flag and flag[0]:
            flag[0] = False
            self.arriving -= 1
        await self.queue.put((item, fut))
        return await fut

    async def _run(self, queue: asyncio.Queue) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            deadline = loop.time() + self.max_wait
            while len(batch) < self.max_batch:
                try:
                    batch.append(queue.get_nowait())
                    continue
                except asyncio.QueueEmpty:
                    pass
                left = deadline - loop.time()
                if left <= 0:
                    break
                try:
                    wait = left if self.arriving > 0 else min(self.gap, left)
                    batch.append(await asyncio.wait_for(queue.get(), wait))
                except asyncio.TimeoutError:
                    break
            await self._answer(batch)

    async def _answer(self, batch: list) -> None:
        """Answer a batch; if it fails, answer each of its requests on its own, so that one
        bad request fails alone and its neighbours get the answers they would get alone."""
        try:
            results = await asyncio.to_thread(self.fn, [item for item, _ in batch])
        except Exception as exc:  # noqa: BLE001 — handed to the request(s) it belongs to
            if len(batch) == 1:
                _settle(batch[0][1], error=exc)
            else:
                for one in batch:
                    await self._answer([one])
            return
        for (_, fut), res in zip(batch, results, strict=True):
            _settle(fut, result=res)


def _settle(fut: asyncio.Future, result=None, error: Exception | None = None) -> None:
    if fut.done():  # its request has gone
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(result)


_counted: contextvars.ContextVar[list | None] = contextvars.ContextVar("counted", default=None)


class Arriving:
    """Counts the requests to ``path`` being read and checked (ASGI middleware), until they
    reach the batcher, so that the batcher can wait for them rather than start without them."""

    def __init__(self, app, batcher: Batcher, path: str):
        self.app, self.batcher, self.path = app, batcher, path

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("path") != self.path:
            return await self.app(scope, receive, send)
        flag = [True]
        token = _counted.set(flag)
        self.batcher.arriving += 1
        try:
            await self.app(scope, receive, send)
        finally:
            if flag[0]:  # refused before it reached the batcher
                self.batcher.arriving -= 1
            _counted.reset(token)


def _links(parameter: str, *operations: str) -> dict:
    """OpenAPI links: the new record's ``id`` is the ``parameter`` of each operation (clients
    and Schemathesis' stateful tests follow them)."""
    return {op: {"operationId": op, "parameters": {parameter: "$response.body#/id"}}
            for op in operations}


class Refusal(BaseModel):
    """An answer that names no field: no such record (404), no or a wrong token (401)."""

    detail: str = Field(description="What is wrong, in words.")


#: OpenAPI answers by status code (FastAPI's ``responses``).
Responses = dict[int | str, dict[str, Any]]
_PROBLEMS = {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}
#: The answers the OpenAPI description declares beside each operation's own (docs/api.md): a
#: body over the size limit is refused on every endpoint, in the shape of a 422's problems.
TOO_LARGE: Responses = {413: {
    "description": "The body is over the size limit (`DIST401K_MAX_BODY_BYTES`).",
    "content": _PROBLEMS}}
BAD_INPUT: Responses = {422: {
    "description": "Validation Error: each problem's field (`loc`) and words.",
    "content": _PROBLEMS}}
NOT_FOUND: Responses = {404: {"model": Refusal, "description": "No such record."}}
UNAUTHORIZED: Responses = {401: {
    "model": Refusal,
    "description": "No bearer token, or not the server's (`DIST401K_API_TOKEN` is set)."}}


# The published answers (docs/api.md, "Answers").  Each JSON answer is written as it always
# was, by the engine's own function, never filtered or completed by a model: these models only
# describe it in the OpenAPI description, so that a generated client has typed answers
# (tests/api/test_answer_schemas.py validates every shipped example's answers against them).
# An object the engine adds keys to by route, option or state allows further keys.


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str) -> Any:
    """A key the answer leaves out where it does not apply (never null, no default)."""
    return Field(None, description=description, json_schema_extra=_no_default)


class _Published:
    """The schema an answer is published with, its model's (``-> Published[dict, M]``), while
    FastAPI writes the answer as it would a plain ``dict``: validated and written unchanged."""

    def __init__(self, model: Any):
        self.model = model

    def __get_pydantic_json_schema__(self, _core: Any, handler: Any) -> dict[str, Any]:
        from pydantic import TypeAdapter

        core = TypeAdapter(self.model).core_schema
        # The generator itself, so that a model is a named component ($ref), as a body's is;
        # the handler alone would write it out in place.
        generator = getattr(handler, "generate_json_schema", None)
        return generator.generate_inner(core) if generator is not None else handler(core)


Open = ConfigDict(extra="allow")


class Reason(BaseModel):
    """Why: a reason code, its words and the rule (``GET /reasons``, `dist401k explain`)."""

    model_config = Open
    code: str
    text: str
    citation: str


class Note(BaseModel):
    """A note on the answer, naming the field it concerns."""

    model_config = Open
    code: str
    field: str
    text: str
    citation: str = absent("The rule, where the note has one.")


class RouteRow(BaseModel):
    """A way out for one money source: whether it is open and how much it can give."""

    model_config = Open
    route: str = Field(description="The way out (`GET /labels`, `routes`).")
    source: str = Field(description="The money source.")
    eligible: bool
    available: float = Field(description="Dollars this route can give from this source.")
    reasons: list[Reason]


class RouteSummary(BaseModel):
    """A way out over all sources; a route's own figures (an RMD's schedule, a loan's
    payment, a beneficiary's deadline …) are further keys (docs/assess.md)."""

    model_config = Open
    route: str
    eligible: bool
    available: float


class Deadline(BaseModel):
    """A date by which something must be done."""

    model_config = Open
    date: str
    what: str


class Outcome(BaseModel):
    """The money of one route to one destination: tax, withholding, net cash, the forms; with
    a state, its ``state_*`` figures (docs/assess.md)."""

    model_config = Open
    route: str
    destination: str = Field(description="Where the money goes (`GET /labels`, "
                             "`destinations`).")
    gross: float
    taxable: float
    nontaxable: float
    taxable_later: float
    withholding: float | None = Field(description=(
        "The federal tax withheld; null where it is not figured (a periodic payment withheld "
        "from as wages in a year whose Pub. 15-T tables dist401k does not hold: reason "
        "SR_WITHHOLDING_WAGES): unknown, not zero."))
    income_tax_increase: float
    additional_tax_72t: float
    net_cash: float = Field(description="Former name of `check_received`.")
    after_all_taxes: float = Field(description="Former name of `kept_after_all_tax`.")
    to_traditional_ira: float
    to_roth_ira: float
    to_plan: float
    makeup_needed: float
    check_received: float
    kept_after_all_tax: float
    form_1099r: list[dict[str, Any]] = Field(description="The Forms 1099-R the payer issues.")
    form_1099r_codes: list[str]
    form_5329: dict[str, Any] | None = Field(description="Form 5329 Part I, where it applies.")
    form_8606: dict[str, Any] = absent("Form 8606, where basis is recovered.")
    form_8606_part_iii: dict[str, Any] = absent("Form 8606 Part III (a Roth IRA's payment).")
    w4r_chart_rate: float = absent("The Form W-4R chart's rate for the taxable amount.")
    loan: dict[str, Any] = absent("A loan's terms and payments.")
    state_income_tax_increase: float | None = absent(
        "With a state: its income tax increase; null where the state's tax is not figured "
        "(`state_covered` false).")
    state_additional_tax: float | None = absent(
        "With a state: its own additional tax; null where the state's tax is not figured.")
    state_covered: bool = absent("With a state: whether dist401k figures its tax.")
    state_withholding: float | None = absent(
        "With a state: its withholding; null where the state's withholding rule for this "
        "payment is not figured (a reason says why).")
    notices: list[str]
    deadlines: list[Deadline]
    reasons: list[Reason]
    why: dict[str, Any] = Field(description="The answer in words.")


class WithholdingElection(BaseModel):
    """The withholding elected (Form W-4R) and the chart of its rates."""

    model_config = Open
    withholding_rate: float | None
    state_withholding_rate: float | None
    net_amount: float | None
    net_of: str
    w4r_chart: dict[str, Any] | None


class Assessment(BaseModel):
    """``POST /assess``: every route by money source and the outcome of the request (as
    `dist401k assess -f json`; docs/assess.md)."""

    model_config = Open
    schema_version: str
    case_id: str | None
    request_date: str = Field(description="ISO date.")
    tax_year: int
    projected: bool = Field(description="The year's law is projected (after the last "
                            "enacted year).")
    projection: dict[str, Any] | None = Field(description="The basis of a projected year's "
                                              "law; null where enacted.")
    law_version: str
    dist401k_version: str
    filing_status: str
    state: str = absent("The state that taxes the payment (USPS code), where the case gives "
                        "one.")
    age_59_half_on: str = Field(description="ISO date.")
    reached_59_half: bool
    withholding_election: WithholdingElection
    route_summary: list[RouteSummary]
    routes: list[RouteRow]
    outcomes: list[Outcome]
    notes: list[Note]


class CompareOption(BaseModel):
    """One option of the comparison: its cash now, taxes and value later."""

    model_config = Open
    option: str
    label: str
    gross: float
    cash_now: float
    withholding: float | None = Field(description=(
        "The federal tax withheld; null where it is not figured (a periodic payment withheld "
        "from as wages in a year whose Pub. 15-T tables dist401k does not hold: reason "
        "SR_WITHHOLDING_WAGES; a 72(t) series payment): unknown, not zero."))
    refund_or_due_later: float | None = Field(description=(
        "The withholding less the income tax and 10% tax now: above zero a refund, below zero "
        "still due when filing; null where the withholding is not figured."))
    income_tax_now: float
    penalty_now: float
    check_received: float
    kept_after_all_tax: float
    state_income_tax_now: float | None = absent(
        "With a state: its income tax now; null where the state's tax is not figured.")
    state_additional_tax_now: float | None = absent(
        "With a state: its own additional tax now; null where not figured.")
    state_withholding: float | None = absent(
        "With a state: its withholding; null where the state's rule for the payment is not "
        "figured.")
    after_tax_value_at: dict[str, Any]
    by_year: list[Any]
    notes: list[Any]
    why: dict[str, Any] | None


class Trap(BaseModel):
    """A warning where the advice literature applies, with its figures and the rule."""

    model_config = Open
    code: str
    title: str
    text: str
    citation: str
    figures: dict[str, Any]


class Comparison(BaseModel):
    """``POST /compare``: the options side by side and the traps (as `dist401k compare
    --format json`, less its `assessment`; docs/compare.md)."""

    model_config = Open
    case_id: str | None
    request_date: str
    tax_year: int
    projected: bool
    projection: dict[str, Any] | None
    law_version: str
    dist401k_version: str
    age: float | None = Field(description="Age now; null for an estate.")
    assumptions: dict[str, Any]
    options: list[CompareOption]
    best_at: dict[str, str] = Field(description="The best option at each horizon.")
    need: dict[str, Any] | None
    notes: list[Note]
    marginal: dict[str, Any]
    traps: list[Trap]


class SeppSchedule(BaseModel):
    """``POST /sepp``: the 72(t) series by the three methods (as `dist401k sepp --json`)."""

    model_config = Open
    case_id: str | None
    available: bool
    account: str
    first_payment_date: str | None
    series_ends: str | None
    age_59_half_on: str | None
    balance: float | None
    table: str
    interest_rate: float
    rate_ceiling: float
    rate_chosen_by_user: bool
    federal_midterm_rates: list[float]
    assumed_return: float
    taxable_share: float
    recaptured_share: float
    switch_to_rmd_year: int | None
    first_year: dict[str, Any]
    schedule: list[dict[str, Any]]
    balance_at_end: dict[str, float | None]
    modification: dict[str, Any] | None
    reasons: list[Reason]
    citations: list[Any]
    law_version: str
    dist401k_version: str


class CaseSchemaDocument(BaseModel):
    """``GET /schema``: the JSON Schema (draft 2020-12) of a case, its parts under ``$defs``."""

    model_config = ConfigDict(extra="allow")
    schema_: str = Field(alias="$schema")
    title: str
    description: str
    type: str
    properties: dict[str, Any]
    required: list[str]
    additionalProperties: bool  # noqa: N815 — JSON Schema's own keyword
    defs: dict[str, Any] = Field(alias="$defs")


class DrawdownPlan(BaseModel):
    """``POST /plan``: the drawdown plan (as `dist401k plan -f json`; docs/plan.md); its parts
    are :mod:`dist401k.plan_schema`'s."""

    model_config = Open
    case_id: str | None = Field(description="The case's `id`; null where it has none.")
    law_version: str = Field(description="The law files' hash.")
    dist401k_version: str = Field(description="The program's version.")
    objective: str = Field(description="`max_spending` or `max_estate`.")
    years: list[int] = Field(description="The first and the last year planned.")
    inflation: float = Field(description="The inflation assumed on the fixed returns.")
    projected_from: int = Field(description="The first year whose law is projected.")
    optimiser: ps.PlanOptimiser = Field(description="The programme's own answer, before the "
                                        "exact pricing.")
    strategies: list[ps.PlanStrategy] = Field(description="The strategies compared.")
    best: str | None = Field(description="The `key` of the strategy starred as the best for the "
                             "objective (the terminal's ★, the report's and the page's best "
                             "plan); null where none ranks.")
    charity: ps.PlanCharity = absent("Where the case gives to charity.")
    confidence: ps.PlanConfidence = absent("Where the case asks for a confidence "
                                           "(`monte_carlo.confidence`) and Monte Carlo runs.")
    marketplace: ps.PlanMarketplace = absent("Where the case has marketplace coverage.")
    state: ps.PlanState = absent("Where the case has a state.")
    assumptions: list[str] = absent("What the plan assumed, where it assumed anything.")
    longevity: ps.PlanLongevity = absent("Where every person's `sex` is given.")
    earnings_test: ps.PlanEarningsTest = absent("Where the earnings test withholds a "
                                                "benefit.")
    irmaa_appeal: ps.PlanIrmaaAppeal = absent("Where a request after work stops lowers a "
                                              "year's IRMAA.")
    claiming: ps.PlanClaiming = absent("Where the case asks for the claiming search.")
    spending: ps.PlanSpending = absent("Where the case plans spending changes or expenses.")
    inflows: list[ps.PlanInflow] = absent("Where the case has `inflows`.")
    table: list[ps.PlanYear] = Field(description="The optimum, year by year.")
    notes: list[str] = absent("Why fewer Monte Carlo paths were run than asked.")


class TaxAnswer(BaseModel):
    """``POST /tax``: each unit's figures, in the order given, with the columns of `dist401k
    tax` (docs/tax.md); a unit with a ``state`` has the state's too."""

    model_config = ConfigDict(extra="forbid")
    results: list[dict[str, Any]]
    law_version: str
    dist401k_version: str


class Figure(BaseModel):
    """A provision's figure in a year."""

    model_config = Open
    value: Any = Field(description="A number, a list, or a mapping by filing status or key "
                       "(null where the file gives none).")
    unit: str
    label: str
    citation: str


class LawFigures(BaseModel):
    """``GET /law``: the figures of named provisions in a year."""

    model_config = ConfigDict(extra="forbid")
    year: int
    projected: bool
    enacted_through: int
    projection: dict[str, Any] | None
    figures: dict[str, Figure]


class ReasonText(BaseModel):
    """A reason code's words and rule."""

    model_config = ConfigDict(extra="forbid")
    text: str
    citation: str
    href: str | None


class Labels(BaseModel):
    """The routes' and destinations' names."""

    model_config = ConfigDict(extra="forbid")
    routes: dict[str, str]
    destinations: dict[str, str]


class Health(BaseModel):
    """``GET /health``."""

    model_config = ConfigDict(extra="forbid")
    status: str
    version: str
    law_version: str
    enacted_through: int


class SavedCaseSummary(BaseModel):
    """A saved case, as listed."""

    model_config = ConfigDict(extra="forbid")
    id: str
    label: str | None
    created: str = Field(description="ISO date and time.")
    updated: str = Field(description="ISO date and time.")


class SavedCase(SavedCaseSummary):
    """A saved case with its data."""

    case: dict[str, Any] = Field(description="The case as saved (the `Case` schema).")


class DeterminationSummary(BaseModel):
    """A determination kept, as listed."""

    model_config = ConfigDict(extra="forbid")
    id: str
    case_id: str | None
    kind: str
    law_version: str
    dist401k_version: str | None = Field(description="null: kept before it was recorded.")
    tax_year: int
    created: str


class Determination(DeterminationSummary):
    """A determination with its inputs and its result."""

    inputs: dict[str, Any] = Field(description="The case assessed.")
    result: Assessment


#: ``/assess`` reads its body itself (the hot path): its answers declared as FastAPI would.
ASSESSED: Responses = {200: {"description": "The assessment (`dist401k assess -f json`).",
                             "model": Assessment,
                             # an object, as every POST's answer is declared
                             "content": {"application/json": {"schema": {"type": "object"}}}},
                       **BAD_INPUT, **TOO_LARGE}


CASE_LINKS = _links("case_id", "read_case", "update_case", "delete_case", "determine",
                    "list_determinations")
DETERMINATION_LINKS = _links("det_id", "read_determination")


class _TaxUnitSchema:
    """The published schema of one tax unit: the columns, kinds, bounds and required ones the
    checks read (:func:`dist401k.input_columns.tax_unit_schema`), built when the OpenAPI
    description is (the checks themselves stay :func:`refuse_tax_unit_fields` and the tax
    table's, with their words)."""

    @staticmethod
    def __get_pydantic_json_schema__(_core: Any, _handler: Any) -> dict[str, Any]:
        from dist401k.case import ANY_CASE
        from dist401k.input_columns import tax_unit_schema

        schema = tax_unit_schema()
        props = schema["properties"]
        # As the doors read them: a state in any case, a participant_id as text only
        # (refuse_tax_unit_fields; a case's ``id`` and a batch's column alike).
        props["state"] = {**props["state"],
                          "description": f"{props['state']['description']}, {ANY_CASE}"}
        props["participant_id"] = {"type": "string", "description": ID_TEXT}
        return schema


#: ``participant_id`` of a tax unit, in the published schema.
ID_TEXT = ("your reference for the unit: text; a number is refused (a leading zero would be "
           "lost: send \"000123\"), as a case's `id` and a batch's `participant_id` are")


TaxUnit = Annotated[dict[str, Any], _TaxUnitSchema()]


class TaxRequest(BaseModel):
    """``POST /tax``'s body: a key it does not read is refused, as a case's is."""

    model_config = ConfigDict(extra="forbid")

    units: list[TaxUnit] = Field(description="Tax units: the columns of `dist401k tax` "
                                 f"(one at least, at most {MAX_TAX_UNITS}).",
                                 max_length=MAX_TAX_UNITS,
                                 json_schema_extra={"minItems": 1})

    @field_validator("units")
    @classmethod
    def _some(cls, units: list[TaxUnit]) -> list[TaxUnit]:
        if not units:  # rather than each required column of no unit named missing
            raise ValueError("no tax unit was given: give one at least")
        return units


class CaseIn(BaseModel):
    """A saved case's body: a key it does not read (``lable``) is refused, as a case's is."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(None, max_length=200, description="Your name for the case (not "
                              "logged; no control characters).")
    case: Case

    @field_validator("label")
    @classmethod
    def _printable(cls, label: str | None) -> str | None:
        # PostgreSQL's text cannot hold NUL; no label needs a control character.
        if label is not None and any(ord(ch) < 32 or ord(ch) == 127 for ch in label):
            raise ValueError("must not contain control characters")
        return label


def create_app(store: Store | None = None, token: str | None = None,
               log_client: bool | None = None) -> FastAPI:
    """The API.  Without ``store``, the database of ``DIST401K_DATABASE_URL`` is opened and
    migrated here, at start-up, before any request is taken.  ``token`` (default
    ``DIST401K_API_TOKEN``) guards every endpoint but /health, /ready and the pages, the
    OpenAPI description and its pages included; ``log_client`` (default
    ``DIST401K_LOG_CLIENT_ADDRESS=1``) adds the client's address to the access log.  Only
    requests whose ``Host`` is one of :func:`~dist401k.api_guard.allowed_hosts` are answered
    (the address served, ``DIST401K_ALLOWED_HOSTS``); any other gets 400."""
    token = token if token is not None else os.environ.get("DIST401K_API_TOKEN") or None
    if log_client is None:
        log_client = os.environ.get("DIST401K_LOG_CLIENT_ADDRESS") == "1"
    # With a token the OpenAPI description and its pages are not served (None: off).
    hidden: dict[str, Any] = {"openapi_url": None, "docs_url": None, "redoc_url": None} if token else {}
    app = FastAPI(title="dist401k", version=__version__,
                  description="Ways out of a 401(k), 403(b) or governmental 457(b): eligibility, "
                  "tax, penalty, withholding and 1099-R codes, with the rule for every answer.",
                  **hidden)
    app.router.route_class = CheckedJSONRoute
    app.add_middleware(HeadAsGet)  # HEAD wherever GET (RFC 9110 §9.1)
    app.add_middleware(SizeLimit, limit=max_body_bytes())  # SettingError: one line, named
    batcher = Batcher(assessed)
    app.add_middleware(Arriving, batcher=batcher, path="/assess")
    # A Host not the server's own (DNS rebinding) is refused with 400, inside the access log.
    app.add_middleware(HostCheck, allowed_hosts=allowed_hosts(), www_redirect=False)
    app.add_middleware(Guard, log_client=log_client)
    _error_handlers(app)
    # Without a token there is nothing to check: no dependency to resolve on each request.
    deps = [Depends(_bearer(token))] if token else []
    if token:
        _guarded_docs(app, deps)
    the_store = store or Store()
    app.include_router(pages_router())
    app.include_router(probes_router(the_store))
    for router in (case_router(batcher), plan_router(), tax_router(),
                   store_router(the_store)):
        # With a token, each guarded operation declares the 401 it answers without it.
        app.include_router(router, dependencies=deps, responses=UNAUTHORIZED if token else None)
    return app


def _bearer(token: str):
    """The dependency that refuses a request without ``Authorization: Bearer <token>``."""

    def auth(request: Request) -> None:
        given = request.headers.get("authorization", "")
        if not (given.startswith("Bearer ") and hmac.compare_digest(given[7:], token)):
            raise HTTPException(401, "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    return auth


def _checked(case: Case) -> Case:
    # The model checked the fields and the plan's provisions; the law checks the year.
    return with_known_year(case)


def _case_of_body(data: Any, sent: bool = True) -> Case:
    """The case of a checked body (:func:`dist401k.api_guard.read_json_body`), with the same
    422 answers as the endpoints whose body FastAPI reads: no body (``sent`` false), "is
    required"; a body that is not an object (``null``, a list, a number, a string), "Input
    should be an object" of type ``model_attributes_type``, as FastAPI's check of ``/compare``'s
    body words it."""
    if data is None and not sent:
        raise RequestValidationError([{"loc": ("body",), "msg": "is required",
                                       "type": "missing"}])
    if not isinstance(data, dict):
        raise RequestValidationError([{"loc": ("body",), "msg": NOT_AN_OBJECT,
                                       "type": "model_attributes_type"}])
    try:
        return _checked(Case.model_validate(data))
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                      for e in exc.errors()]) from None


async def _case_of_request(request: Request) -> Case:
    """The case of ``/assess``'s body (:func:`_case_of_body`); a large body's model checks (a
    hostile one's thousands of errors) run in the threadpool, never on the event loop that
    answers /health (docs/api.md)."""
    data = await request.json()
    sent = bool(await request.body())  # read once already: an empty body is no body
    if not getattr(request, "large", False):
        return _case_of_body(data, sent)
    return await run_in_threadpool(_case_of_body, data, sent)


#: The JSON values a tax unit's column cannot hold, and their names in its refusal.
_NESTED: dict[type, str] = {list: "a list", dict: "an object"}


def refuse_tax_unit_fields(units: list[dict[str, Any]]) -> None:
    """422 naming, in each tax unit, each required field it lacks (``tax_year``,
    ``filing_status``: "is required", under ``["body", "units", i, field]`` — a unit's field,
    not a path the body lacks), each field `dist401k tax` does not read (a misspelled
    ``wagez`` would leave the wages at zero), with the nearest known name, each field
    holding a list or an object, not one value, and a ``participant_id`` given as a number or
    true/false (text, as a case's ``id`` and a Parquet book's column: ``000123`` sent as a
    number has lost its zeros).  The first
    :data:`~dist401k.errors.PROBLEMS_LISTED` by unit are put in words (a nearest name is a
    search), the others counted (:func:`~dist401k.errors.capped`)."""
    from dist401k.input_columns import tax_columns, unknown_column
    from dist401k.tax.units import REQUIRED

    known = tax_columns()
    words = {"required": lambda k, v: "is required",
             "unknown": lambda k, v: unknown_column(k, known),
             # a cell holds one value, as a table's column does (input_columns.column_problems):
             # a list or an object in a flag column was a 500 (the flag reader fails on it)
             "nested": lambda k, v: f"is {_NESTED[type(v)]}, not one value",
             # text, as a case's id and a batch's participant_id (io.tables.NUMBERS_IN_TEXT)
             "text": lambda k, v: NUMBERS_IN_TEXT if type(v) is not bool else "must be text"}
    found = [(i, "required", k, None) for i, unit in enumerate(units)
             for k in REQUIRED if k not in unit]
    found += [(i, "unknown", k, None) for i, unit in enumerate(units) for k in unit
              if k not in known]
    found += [(i, "nested", k, v) for i, unit in enumerate(units) for k, v in unit.items()
              if k in known and type(v) in _NESTED]
    found += [(i, "text", "participant_id", unit["participant_id"]) for i, unit in enumerate(units)
              if type(unit.get("participant_id")) in (int, float, bool)]
    if found:
        found.sort(key=lambda f: f[0])  # stable: by unit, each unit's in the order above
        listed = [FieldProblem(k, words[kind](k, v), i + 1)
                  for i, kind, k, v in found[:PROBLEMS_LISTED]]
        raise InputError(capped(listed, len(found) - len(listed)))


def _checked_in(body: CaseIn) -> Case:
    """A saved case's engine checks, each field named under ``case`` as the model's are
    (``["body", "case", "request", "date"]``)."""
    try:
        return _checked(body.case)
    except InputError as exc:
        raise InputError([FieldProblem(f"case.{p.field}", p.problem, p.row)
                          for p in exc.problems]) from None


def law_figures(names: str, year: int | None) -> dict:
    """GET /law's answer: each provision's figure as the engine reads it in ``year``
    (:func:`dist401k.law.figures.figure`, projected in a year after the last enacted one), with
    ``projected``, ``enacted_through`` and ``projection`` (:func:`projection_basis`, null where
    enacted) as ``/assess`` and ``/tax`` give them; an unknown name or a year outside the law's
    is a 422 naming the field."""
    from dist401k.did_you_mean import did_you_mean
    from dist401k.law.figures import figures
    from dist401k.projection import projection_basis

    law = default_law()
    first, last = law.known_years
    if year is None:
        year = min(max(_dt.date.today().year, first), last)
    elif not first <= year <= last:
        raise InputError(FieldProblem("year", f"must be between {first} and {last}"))
    asked = [n.strip() for n in names.split(",") if n.strip()]
    if not asked:
        raise InputError(FieldProblem("names", "name at least one provision"))
    unknown = [n for n in asked if n not in law.params]
    if unknown:
        raise InputError([FieldProblem("names", f"no provision {n!r} in the law"
                                       + did_you_mean(n, law.params)) for n in unknown])
    # Marked as /assess and /tax mark a projected year (DESIGN.md: "marked as projected").
    return {"year": year, "projected": bool(law.projected(year)),
            "enacted_through": law.enacted_through, "projection": projection_basis(law, year),
            "figures": figures(law, asked, year)}


def _year_bounds(schema: dict[str, Any]) -> None:
    """``GET /law``'s ``year`` published with the years it answers, the bounds
    :func:`law_figures` checks (the law's known years, ``meta/years.yaml``): ``minimum`` and
    ``maximum`` on its integer (the other choice is null: this year)."""
    first, last = default_law().known_years
    for choice in schema.get("anyOf", [schema]):
        if choice.get("type") == "integer":
            choice.update(minimum=first, maximum=last)


#: ``GET /law``'s ``year``, published with its bounds (:func:`_year_bounds`).
LawYear = Annotated[int | None, Query(description="The tax year (this year by default)",
                                      json_schema_extra=_year_bounds)]

WEB = Path(__file__).parent / "web"
STATIC = {"app.js": "text/javascript", "plan.js": "text/javascript",
          "common.js": "text/javascript", "page.css": "text/css"}


def pages_router() -> APIRouter:
    """The two web pages and their files: open without the token."""
    router = APIRouter(route_class=CheckedJSONRoute)

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        """The web page: a plain-language form and the answer with charts."""
        return (WEB / "index.html").read_text(encoding="utf-8")

    @router.get("/planner", response_class=HTMLResponse, include_in_schema=False)
    def planner_page() -> str:
        """The drawdown planner's page: a household's questions and its plan with charts."""
        return (WEB / "plan.html").read_text(encoding="utf-8")

    @router.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        # Served from the installed plotly package: the page needs nothing from the internet.
        return Response(_plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    @router.get("/static/{name}", include_in_schema=False)
    def page_file(name: str) -> Response:
        """The pages' own scripts and style sheet (Plotly's script: above)."""
        if name not in STATIC:
            raise HTTPException(404, "not found")
        return Response((WEB / name).read_text(encoding="utf-8"), media_type=STATIC[name])

    return router


class Readiness:
    """Whether the store's database answers ``SELECT 1`` (:meth:`Store.ping`, on a connection
    of its own, not the request pool's), asked in a daemon thread of its own so that neither
    the event loop nor the request threads wait on it, and a hung database cannot hold up the
    server's exit.  One check at a time: a probe arriving while one is pending waits on it —
    unless that check has hung past ``READY_STALE_SECONDS``: it is then left to itself and a
    new one asked (at most ``READY_MAX_LEFT`` left hung at once), so that one check hung on a
    silent database does not answer for the database once it is back."""

    def __init__(self, store: Store):
        self.store = store
        self.pending: concurrent.futures.Future | None = None
        self.started = 0.0
        self.left: set[concurrent.futures.Future] = set()
        self.lock = threading.RLock()  # a done callback may run at once, in this thread

    def _probe(self) -> str | None:
        try:
            self.store.ping()
        except Exception as exc:  # noqa: BLE001 — named by kind only (a URL may hold a password)
            return type(exc).__name__
        return None

    def _stale(self, now: float) -> bool:
        return (self.pending is not None and not self.pending.done()
                and now - self.started > READY_STALE_SECONDS and len(self.left) < READY_MAX_LEFT)

    def _start(self) -> concurrent.futures.Future:
        with self.lock:
            now = time.monotonic()
            if self.pending is not None and self._stale(now):
                self.left.add(self.pending)
                self.pending.add_done_callback(self._ended)
            elif self.pending is not None and not self.pending.done():
                return self.pending
            fut: concurrent.futures.Future = concurrent.futures.Future()
            self.pending, self.started = fut, now
            threading.Thread(target=lambda: fut.set_result(self._probe()), daemon=True,
                             name="dist401k-ready").start()
            return fut

    def _ended(self, fut: concurrent.futures.Future) -> None:
        """A check left hung has ended: its place is free again."""
        with self.lock:
            self.left.discard(fut)

    async def problem(self, seconds: float) -> str | None:
        """None when the database answered within ``seconds``; else what went wrong, in words
        (the exception's kind only)."""
        done, _ = await asyncio.wait([asyncio.wrap_future(self._start())], timeout=seconds)
        if not done:
            return f"the database did not answer within {seconds:g} s"
        failed = done.pop().result()
        return None if failed is None else f"the database cannot be reached ({failed})"


def probes_router(the_store: Store) -> APIRouter:
    """``/health`` (liveness) and ``/ready`` (readiness), open without the token: both run on
    the event loop and never wait for a request thread, so that a server whose threads are
    all busy still answers them at once (docs/reliability.md, "Probes")."""
    router = APIRouter(route_class=CheckedJSONRoute)
    readiness = Readiness(the_store)
    default_law()  # loaded now, so that /health never loads it on the event loop

    @router.get("/health")
    async def health() -> Annotated[dict, _Published(Health)]:
        """Liveness: the process answers. No blocking work (the law is loaded at start)."""
        law = default_law()
        return {"status": "ok", "version": __version__, "law_version": law.version,
                "enacted_through": law.enacted_through}

    @router.head("/health", include_in_schema=False)
    async def health_head() -> JSONResponse:
        """A monitor's HEAD: GET's headers (the server sends no body)."""
        return JSONResponse(await health())

    @router.get("/ready", include_in_schema=False)  # an operator's probe, as HEAD /health
    async def ready() -> JSONResponse:
        """Readiness: the database answers ``SELECT 1`` within a short time (503 otherwise)."""
        problem = await readiness.problem(READY_SECONDS)
        if problem is None:
            return JSONResponse({"status": "ready"})
        log.warning("GET /ready: %s", problem)
        return JSONResponse({"status": "unavailable", "detail": problem}, status_code=503)

    return router


def case_router(batcher: Batcher) -> APIRouter:
    """A case's answers: its schema, the assessment (micro-batched), the comparison, the
    report and the 72(t) series."""
    router = APIRouter(route_class=CheckedJSONRoute)

    @router.get("/schema")
    def schema() -> Annotated[dict, _Published(CaseSchemaDocument)]:
        """The JSON Schema of a case."""
        return case_schema()

    @router.get("/reasons")
    def reasons() -> Annotated[dict, _Published(dict[str, ReasonText])]:
        """Every reason code's text and citation (``law/reasons/*.yaml``): the legal texts the
        web page shows come from here, not from its script."""
        from dist401k.explain import registry

        return {code: {"text": r.text, "citation": r.citation, "href": r.href}
                for code, r in registry().items()}

    @router.get("/labels")
    def labels() -> Annotated[dict, _Published(Labels)]:
        """The routes' and destinations' names as the terminal and the report show them."""
        from dist401k.compare import LABELS
        from dist401k.labels import ROUTE_LABELS

        return {"routes": ROUTE_LABELS, "destinations": LABELS}

    @router.get("/law")
    def law(names: str = Query(..., max_length=2_000, description="Comma-separated provision "
                               "names, e.g. early_distributions.age,rmd.applicable_age"),
            year: LawYear = None) -> Annotated[dict, _Published(LawFigures)]:
        """The figures of named provisions in a year (this year by default): value, unit,
        label and citation, from the parameter files: the legal figures the web pages quote
        come from here, not from their scripts."""
        try:
            return law_figures(names, year)
        except InputError as exc:  # query parameters, not the body's fields
            raise RequestValidationError([{"loc": ("query", p.field), "msg": p.problem,
                                           "type": "value_error"} for p in exc.problems]) from None

    @router.post("/assess", response_class=JSONResponse, openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Case"}}}}}, responses=ASSESSED)
    async def assess(request: Request):
        """Every route by money source and the outcome of the request (as `dist401k assess`).
        Concurrent requests are evaluated together as one batch."""
        # The hot path of the API: the body read and checked once (api_guard), the case
        # model, and the answer written as JSON by orjson.
        case = await _case_of_request(request)
        return Response(orjson.dumps(await batcher.submit(case)), media_type="application/json")

    @router.post("/compare", responses=TOO_LARGE)
    def compare(case: Case) -> Annotated[dict, _Published(Comparison)]:
        """The options side by side and the traps (as `dist401k compare --format json`)."""
        from dist401k.compare import compare_case

        out = compare_case(_checked(case))
        out.pop("assessment", None)
        return out

    @router.post("/report", response_class=HTMLResponse, responses=TOO_LARGE)
    def report(case: Case) -> str:
        """The self-contained HTML report (charts inline)."""
        from dist401k.compare import compare_case
        from dist401k.report import render_html

        checked = _checked(case)
        return render_html(compare_case(checked), case=checked)

    @router.post("/sepp", responses=TOO_LARGE)
    def sepp(case: Case) -> Annotated[dict, _Published(SeppSchedule)]:
        """The 72(t) series of the case's `sepp` section by the three methods (as `dist401k
        sepp --json`)."""
        from dist401k.sepp import sepp_cases

        # no sepp section: sepp_cases refuses it in the command line's words (one wording)
        return sepp_cases([_checked(case)])[0]

    return router


def plan_router() -> APIRouter:
    """The drawdown plan of a household, as JSON and as the report."""
    router = APIRouter(route_class=CheckedJSONRoute)

    @router.post("/plan", responses=TOO_LARGE)
    def plan(household: Household,
             paths: int | None = Query(None, ge=0, le=REQUEST_PATHS, description=PATHS_QUERY)
             ) -> Annotated[dict, _Published(DrawdownPlan)]:
        """The drawdown plan (as `dist401k plan -f json`): the strategies compared, the optimum
        year by year, Monte Carlo success over `paths` market paths (0: none; without it the
        case's own)."""
        from dist401k.planner.household import parse_household
        from dist401k.planner.plan import make_plan, plan_json

        hh = parse_household(household.model_dump(mode="json"))
        n, notes = request_paths(hh, paths)
        out = plan_json(bounded_plan(make_plan, hh, n))
        return {**out, "notes": notes} if notes else out

    @router.post("/plan/report", response_class=HTMLResponse, responses=TOO_LARGE)
    def plan_report(household: Household,
                    paths: int | None = Query(None, ge=0, le=REQUEST_PATHS,
                                              description=PATHS_QUERY)) -> str:
        """The drawdown report (HTML, charts inline)."""
        from dist401k.plan_report import render_plan_html
        from dist401k.planner.household import parse_household
        from dist401k.planner.plan import make_plan

        hh = parse_household(household.model_dump(mode="json"))
        n, _ = request_paths(hh, paths)
        return render_plan_html(bounded_plan(make_plan, hh, n))

    return router


def tax_results(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each unit's figures as `dist401k tax` gives them, by the command's own function
    (:func:`dist401k.commands.tax.tax_table`): the units with the same keys are one table, as
    a file of those columns would be, so an absent key is an absent column (an amount not
    given is zero; a unit without ``state`` has no state figures, one with it the state's
    ``state_income_tax``, ``state_additional_tax``, ``state_covered``, ``state_unconfirmed``,
    null where unknown; ``enacted_through`` and ``projected_inflation``, the basis of a
    projected year's law, null where enacted).  Every problem of every unit is an
    :class:`InputError` naming its unit (row ``i + 1``) and field, in the command's words.
    The inputs are not repeated."""
    from dist401k.commands.tax import PROJECTION_COLUMNS, tax_table
    from dist401k.io.tables import records_to_table
    from dist401k.tax import OUTPUT_COLUMNS
    from dist401k.tax.state.with_federal import STATE_TABLE_OUTPUTS

    groups: dict[frozenset[str], list[int]] = {}
    for i, unit in enumerate(units):
        groups.setdefault(frozenset(unit), []).append(i)
    rows: list[dict[str, Any]] = [{} for _ in units]
    problems: list[FieldProblem] = []
    for keys, at in groups.items():
        names = (OUTPUT_COLUMNS + PROJECTION_COLUMNS
                 + (STATE_TABLE_OUTPUTS if "state" in keys else ()))
        try:
            table = tax_table(records_to_table([units[i] for i in at]), default_law())
        except InputError as exc:  # the group's row r is the request's unit at[r - 1]
            problems += [p if p.row is None else FieldProblem(p.field, p.problem, at[p.row - 1] + 1)
                         for p in exc.problems]
            continue
        for i, row in zip(at, table.select(list(names)).to_pylist(), strict=True):
            rows[i] = row
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))
    return rows


def tax_router() -> APIRouter:
    """The federal and state income tax of a small batch of tax units."""
    router = APIRouter(route_class=CheckedJSONRoute)

    @router.post("/tax", responses=TOO_LARGE)
    def tax(body: TaxRequest) -> Annotated[dict, _Published(TaxAnswer)]:
        """Federal income tax of a small batch of tax units and, for a unit with a ``state``,
        the state's: the figures of `dist401k tax` for the same units (docs/tax.md)."""
        refuse_tax_unit_fields(body.units)
        return {"results": tax_results(body.units), "law_version": default_law().version,
                "dist401k_version": __version__}

    return router


def store_router(the_store: Store) -> APIRouter:
    """Saved cases and the determinations kept of them (the audit trail)."""
    router = APIRouter(route_class=CheckedJSONRoute)

    def get_store() -> Store:
        return the_store

    @router.post("/cases", status_code=201, operation_id="create_case", responses={
        201: {"description": "The saved case.", "links": CASE_LINKS}, **TOO_LARGE})
    def create_case(body: CaseIn, st: Store = Depends(get_store)
                    ) -> Annotated[dict, _Published(SavedCase)]:
        _checked_in(body)
        row = st.create_case(body.case.model_dump(mode="json"), body.label)
        return _case_out(row)

    @router.get("/cases")
    def list_cases(limit: int = Query(100, ge=1, le=1000),
                   offset: int = Query(0, ge=0, le=2**62),
                   st: Store = Depends(get_store)
                   ) -> Annotated[list, _Published(list[SavedCaseSummary])]:
        return [_case_out(r, with_data=False) for r in st.list_cases(limit, offset)]

    @router.get("/cases/{case_id}", operation_id="read_case", responses=NOT_FOUND)
    def read_case(case_id: str, st: Store = Depends(get_store)
                  ) -> Annotated[dict, _Published(SavedCase)]:
        return _case_out(_found(st.get_case(case_id)))

    @router.put("/cases/{case_id}", operation_id="update_case",
                responses={**NOT_FOUND, **TOO_LARGE})
    def update_case(case_id: str, body: CaseIn, st: Store = Depends(get_store)
                    ) -> Annotated[dict, _Published(SavedCase)]:
        _checked_in(body)
        return _case_out(_found(st.update_case(case_id, body.case.model_dump(mode="json"),
                                               body.label)))

    @router.delete("/cases/{case_id}", status_code=204, operation_id="delete_case",
                   responses=NOT_FOUND)
    def delete_case(case_id: str, st: Store = Depends(get_store)) -> None:
        if not st.delete_case(case_id):
            raise HTTPException(404, "no such case")

    @router.post("/cases/{case_id}/determinations", status_code=201, operation_id="determine",
                 responses={201: {"description": "The determination kept.",
                                  "links": DETERMINATION_LINKS}, **NOT_FOUND, **TOO_LARGE})
    def determine(case_id: str, st: Store = Depends(get_store)
                  ) -> Annotated[dict, _Published(Determination)]:
        """Assess a saved case and keep the result with its inputs, the law version and the
        dist401k version."""
        row = _found(st.get_case(case_id))
        case = parse_case(row.data)
        result = assessed([case])[0]
        det = st.save_determination("assess", row.data, result, result["law_version"],
                                    result["tax_year"], case_id, result["dist401k_version"])
        return _det_out(det)

    @router.get("/cases/{case_id}/determinations", operation_id="list_determinations",
                responses=NOT_FOUND)
    def list_determinations(case_id: str, st: Store = Depends(get_store)
                            ) -> Annotated[list, _Published(list[DeterminationSummary])]:
        _found(st.get_case(case_id))
        return [_det_out(d, with_result=False) for d in st.list_determinations(case_id)]

    @router.get("/determinations/{det_id}", operation_id="read_determination",
                responses=NOT_FOUND)
    def read_determination(det_id: str, st: Store = Depends(get_store)
                           ) -> Annotated[dict, _Published(Determination)]:
        return _det_out(_found(st.get_determination(det_id)))

    return router


#: Each path's body model, by the start of the path (the others take a case).
BODY_MODELS = (("/plan", "Household"), ("/tax", "TaxRequest"), ("/cases", "CaseIn"))
#: What each path's body is, in the refusal of a body nested too deep (api_guard's words name
#: a case, the body of the others).
BODY_NAMES = (("/plan", "a drawdown plan"), ("/tax", "a tax request"), ("/cases", "a saved case"))


def _body_named(detail: list[dict], path: str) -> list[dict]:
    """The refusal of a body nested too deep (:data:`~dist401k.api_guard.DEEPER`: "…: not a
    case") naming what the path's body is: "not a tax request" on ``/tax``, "not a drawdown
    plan" on ``/plan``, "not a saved case" on ``/cases``."""
    name = next((n for prefix, n in BODY_NAMES if path.startswith(prefix)), None)
    if name is None:
        return detail
    words = DEEPER.removesuffix("a case") + name
    return [{**e, "msg": words} if e.get("msg") == DEEPER else e for e in detail]


def _error_handlers(app: FastAPI) -> None:
    """Bad input of every kind is 422 naming the field; a body over the limit is 413."""

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError):
        # The body's model, whose declared names a misspelled key is matched against.
        model = next((m for path, m in BODY_MODELS if request.url.path.startswith(path)), "Case")
        # A saved case's body is {"label", "case"}: the case's own checks name fields under it.
        root = ("body", "case") if request.url.path.startswith("/cases") else ("body",)
        # In the threadpool: each listed misspelling's did-you-mean is a search (docs/api.md).
        detail = await run_in_threadpool(_field_errors, exc, model, root)
        return JSONResponse(status_code=422, content={"detail": _body_named(detail,
                                                                           request.url.path)})

    @app.exception_handler(InputError)
    async def input_error(_: Request, exc: InputError):
        # A problem of a row is one of a tax unit's (POST /tax): its loc names the unit.
        return JSONResponse(status_code=422, content={"detail": [
            {"loc": ["body"], "msg": p.problem, "type": TOO_MANY} if isinstance(p, MoreProblems)
            else {"loc": field_loc(p.field) if p.row is None else
                  ["body", "units", p.row - 1, p.field], "msg": p.problem, "type": "value_error"}
            for p in exc.problems]})

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(_: Request, exc: BodyTooLarge):
        return too_large(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # A 405 lists every method of the path, not only the first route's (RFC 9110
        # §15.5.6; api_guard.allowed_methods); any other answer is FastAPI's own.
        if exc.status_code == 405:
            exc.headers = {**(exc.headers or {}),
                           "Allow": ", ".join(allowed_methods(request.scope))}
        return await http_exception_handler(request, exc)


def _guarded_docs(app: FastAPI, deps: list) -> None:
    """With a token, the OpenAPI description and its two pages require it like every other
    endpoint (only /health, /ready and the web pages are open)."""
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    @app.get("/openapi.json", dependencies=deps, include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", dependencies=deps, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - Swagger UI")

    @app.get("/redoc", dependencies=deps, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} - ReDoc")


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _found(row):
    if row is None:
        raise HTTPException(404, "not found")
    return row


def _case_out(row, with_data: bool = True) -> dict:
    out = {"id": row.id, "label": row.label, "created": row.created.isoformat(),
           "updated": row.updated.isoformat()}
    if with_data:
        out["case"] = row.data
    return out


def _det_out(row, with_result: bool = True) -> dict:
    out = {"id": row.id, "case_id": row.case_id, "kind": row.kind, "law_version":
           row.law_version, "dist401k_version": row.dist401k_version,  # null: before it was kept
           "tax_year": row.tax_year, "created": row.created.isoformat()}
    if with_result:
        out["inputs"] = row.inputs
        out["result"] = row.result
    return out
