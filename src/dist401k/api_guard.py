"""What stands between the HTTP server and the API's endpoints (docs/api.md): the hosts it
answers to, the size limit, numbers JSON cannot hold, the access log, a client gone
mid-request, and a failure that must not leak.  Nothing from a request body ever reaches a log:
a failure is logged as its kind and place, never its message (which may quote a value)."""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive, Scope, Send

from dist401k.errors import FINITE, GIVEN_TWICE, TOO_LARGE
from dist401k.finite_json import non_finite_paths
from dist401k.io.files import MAX_NESTING, big_int, load_json

log = logging.getLogger("dist401k.api")
access_log = logging.getLogger("dist401k.access")


class BodyTooLarge(HTTPException):
    """A body over the limit (an HTTPException, so that the framework's body reading passes
    it on rather than answering 400)."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body over the {limit:,}-byte limit")


def too_large(exc: BodyTooLarge) -> JSONResponse:
    return JSONResponse(status_code=413, content={"detail": [
        {"loc": ["body"], "msg": exc.detail, "type": "too_large"}]})


class SizeLimit:
    """Refuse bodies over the limit with 413, by Content-Length or while a chunked body
    streams in, on every endpoint (a plain ASGI middleware: it never buffers a response)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await too_large(BodyTooLarge(self.limit))(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge as exc:  # read outside the framework's handlers
            await too_large(exc)(scope, receive, send)


def _refused_body(msg: str, kind: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body",), "msg": msg, "type": kind}])


#: The one problem of a body that is no JSON the API reads, whatever the endpoint.
NOT_JSON = "is not valid JSON: {}"
DEEPER = f"nests deeper than {MAX_NESTING} levels: not a case"
_FLOAT_MAX = sys.float_info.max


def json_content_type(content_type: str | None) -> None:
    """422 on ``["body"]`` naming the content type of a body that is not declared JSON
    (``application/json`` or ``application/…+json``): every endpoint reads JSON, and one that
    read any text would answer a form or a text body with the wrong complaint."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json")):
        return
    sent = f"is sent as {mime}" if mime else "is sent without a Content-Type"
    raise _refused_body(f"{sent}: send JSON, with Content-Type: application/json",
                        "content_type")


def read_json_body(body: bytes, content_type: str | None) -> Any:
    """The JSON value of a request body, checked as a case file is (the command line's words),
    or a 422 before any endpoint reads it: a body not declared JSON, not UTF-8, not JSON (one
    message on ``["body"]``, whatever the endpoint), nesting deeper than a case file may
    (:data:`~dist401k.io.files.MAX_NESTING`, measured on every body), a key given twice in one
    object, a number JSON cannot hold (``NaN``, ``Infinity``, ``1e400``: Python's reader takes
    them) or an integer beyond a float.  An empty body is None: the endpoint says it is
    required.  One parse by Python's reader (tens of microseconds for a case); the endpoint
    gets the value, not the bytes again."""
    if not body:
        return None
    json_content_type(content_type)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refused_body(f"is not UTF-8 text (byte {exc.start})", "json_invalid") from None
    unreadable: list[bool] = []
    try:
        value, twice = load_json(text, parse_int=_int_flagged(unreadable),
                                 parse_float=_float_flagged(unreadable),
                                 parse_constant=_constant_flagged(unreadable))
    except json.JSONDecodeError as exc:
        raise _refused_body(NOT_JSON.format(exc), "json_invalid") from None
    except RecursionError:
        raise _refused_body(DEEPER, "json_invalid") from None
    if json_depth(value) > MAX_NESTING:  # orjson's own limit is 1,024 levels
        raise _refused_body(DEEPER, "json_invalid")
    if twice:
        raise RequestValidationError([{"loc": ("body", *p), "msg": GIVEN_TWICE,
                                       "type": "given_twice"} for p in twice])
    if unreadable:
        path = next(non_finite_paths(value, ("body",)))
        raise RequestValidationError([_unreadable_problem(value, path)])
    return value


def _int_flagged(flags: list[bool]):
    def parse(text: str) -> int:
        v = big_int(text)
        if isinstance(v, float):  # too long to read: beyond a float, refused as such
            v = _BEYOND if v > 0 else -_BEYOND
        if not -_FLOAT_MAX <= v <= _FLOAT_MAX:
            flags.append(True)
        return v
    return parse


def _float_flagged(flags: list[bool]):
    def parse(text: str) -> float:
        v = float(text)
        if not math.isfinite(v):
            flags.append(True)
        return v
    return parse


def _constant_flagged(flags: list[bool]):
    def parse(text: str) -> float:
        flags.append(True)  # NaN, Infinity, -Infinity
        return float(text)
    return parse


#: An integer too long to read stands for one beyond a float (the body is refused).
_BEYOND = 10 ** 309


def _unreadable_problem(body: Any, path: tuple) -> dict:
    """The error of the number at ``path``: too large (an integer), or not finite."""
    value = body
    for key in path[1:]:
        value = value[key]
    if isinstance(value, int):
        return {"loc": path, "msg": TOO_LARGE, "type": "int_too_large"}
    return {"loc": path, "msg": FINITE, "type": "finite_number"}


def json_depth(value: Any) -> int:
    """How deep lists and objects nest in a JSON value, level by level (each container looked
    at once, no recursion; stops once past :data:`MAX_NESTING`)."""
    depth, level = 0, [value]
    while depth <= MAX_NESTING:
        level = [x for x in level if isinstance(x, dict | list)]
        if not level:
            break
        depth += 1
        level = [c for x in level for c in (x.values() if isinstance(x, dict) else x)]
    return depth


#: A body larger than this is parsed and checked in the threadpool, not on the event loop
#: (docs/api.md): a case's body (a few KB) costs tens of microseconds, less than the hop to a
#: thread; a body near the size limit (1 MB of JSON) costs up to a second.
ON_LOOP_BYTES = 64 * 1024


class CheckedJSONRequest(Request):
    """A request whose JSON body is read and checked once (:func:`read_json_body`): the
    endpoint's ``json()`` is that value.  ``large`` where the body is over
    :data:`ON_LOOP_BYTES`: then it is read in the threadpool, as the endpoint's own checks of
    it should be."""

    large = False

    async def json(self) -> Any:
        if not hasattr(self, "_checked"):
            body, kind = await self.body(), self.headers.get("content-type")
            self.large = len(body) > ON_LOOP_BYTES
            self._checked = (await run_in_threadpool(read_json_body, body, kind) if self.large
                             else read_json_body(body, kind))
        return self._checked


class CheckedJSONRoute(APIRoute):
    """A route whose JSON body is checked (:func:`read_json_body`) before the endpoint reads
    it (FastAPI's pattern of a custom request class: the body is read and parsed once)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def checked(request):
            if request.method in ("POST", "PUT", "PATCH"):
                request = CheckedJSONRequest(request.scope, request.receive)
                await request.json()
            return await handler(request)

        return checked


#: The methods a request may name that a route can declare: RFC 9110 §9's (CONNECT, a proxy's,
#: aside) and PATCH (RFC 5789).
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def routed_methods(scope: Scope) -> list[str]:
    """The methods for which one of the app's routes (those of every included router too)
    matches the request's path, found by asking the routes themselves."""
    from starlette.routing import Match

    app = scope.get("app")
    routes = getattr(getattr(app, "router", None), "routes", ())
    return [method for method in HTTP_METHODS
            if any(route.matches({**scope, "method": method})[0] is Match.FULL
                   for route in routes)]


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the app answers at the request's path: its routes' (:func:`routed_methods`)
    and HEAD wherever GET is (:class:`HeadAsGet`).  A 405's ``Allow`` lists them all (RFC 9110
    §15.5.6: "a list of the target resource's currently supported methods"); Starlette's lists
    only the first route's, and here each method of a path is its own route."""
    methods = routed_methods(scope)
    if "GET" in methods and "HEAD" not in methods:
        methods.insert(methods.index("GET") + 1, "HEAD")
    return methods


class HeadAsGet:
    """HEAD answered wherever GET is (RFC 9110 §9.1: "All general-purpose servers MUST support
    the methods GET and HEAD"; §9.3.2: the same header fields as GET, no content): a HEAD to a
    path with a GET route and no HEAD route of its own is run as that GET, its body not sent.
    FastAPI's routes answer only the methods they declare (a GET route answers HEAD with 405).
    Inside :class:`Guard`, so the access log names the request's own method."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            return await self.app(scope, receive, send)
        methods = routed_methods(scope)
        if "HEAD" in methods or "GET" not in methods:
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _where(exc: BaseException) -> str:
    """Where an exception was raised (file, line, function): no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


#: The header that carries a request's id, in and out.
REQUEST_ID_HEADER = "X-Request-ID"
#: An id a client or a proxy may give: 1 to 64 letters, digits, ``.``, ``_``, ``:`` or ``-``
#: (a UUID, a proxy's trace id); anything else is replaced, never logged.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id(scope) -> str:
    """The request's id: its ``X-Request-ID`` where it is short and of safe characters (a
    proxy's, so that its log and this one can be tied), else a new random one (32 hex
    digits)."""
    given = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
    return given if _SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class Guard:
    """The outermost layer: one access-log line per request (method, path, status, time; the
    client's address only with ``log_client``); a client that leaves mid-body, one quiet line;
    any other failure, a 500 and one log line with the exception's kind and place, never its
    message and never a traceback.  Each request's id (:func:`request_id`) is sent back in
    ``X-Request-ID`` and given to each of these lines as the record's ``request_id``, which
    `dist401k serve` prints at the end of the line (serving.log_config)."""

    def __init__(self, app, log_client: bool = False):
        self.app, self.log_client = app, log_client

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), [0]
        rid = request_id(scope)
        tagged = {"request_id": rid}

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message = {**message, "headers": [*message.get("headers", ()),
                                                  (b"x-request-id", rid.encode())]}
            await send(message)

        method, path = scope.get("method", ""), scope.get("path", "")
        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:
            log.info("%s %s: the client left before its request was read", method, path,
                     extra=tagged)
        except Exception as exc:  # noqa: BLE001 — answered 500, logged without its message
            log.error("%s %s failed: %s at %s", method, path, type(exc).__name__, _where(exc),
                      extra=tagged)
            if not status[0]:
                await sending({"type": "http.response.start", "status": 500,
                               "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body",
                            "body": b'{"detail":"internal error"}'})
        finally:
            ms = (time.perf_counter() - start) * 1000
            client = scope.get("client") if self.log_client else None
            who = f"{client[0]}:{client[1]} " if client else ""
            access_log.info("%s%s %s %s %.1f ms", who, method, path, status[0] or "-", ms,
                            extra=tagged)


# --- Allowed hosts (docs/api.md, "Allowed hosts") ---------------------------------------------

#: The names a request to a server on the loopback interface can carry in ``Host``.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
#: Set by `dist401k serve` for the processes it starts: the address they listen on.
BIND_HOST_ENV = "DIST401K_BIND_HOST"
#: Names (comma-separated) the API is also reached by: a deployment's own host names.
ALLOWED_HOSTS_ENV = "DIST401K_ALLOWED_HOSTS"


def bind_host_names(bind: str | None) -> list[str]:
    """The ``Host`` names of a server listening on ``bind``: the loopback names for a loopback
    address (or none given: an app made outside `dist401k serve`); for every interface
    (0.0.0.0, ::) those and this machine's names; any other address or name, itself (an IPv6
    address in brackets, as a ``Host`` header writes it)."""
    import ipaddress
    import socket

    bind = (bind or "").strip().strip("[]").lower()
    if not bind or bind == "localhost":
        return list(LOOPBACK_NAMES)
    try:
        ip = ipaddress.ip_address(bind)
    except ValueError:
        return [bind]
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    if ip.is_loopback:
        return list(dict.fromkeys([*LOOPBACK_NAMES, literal]))
    if ip.is_unspecified:
        return list(dict.fromkeys([*LOOPBACK_NAMES, socket.gethostname().lower(),
                                   socket.getfqdn().lower()]))
    return [literal]


def host_is_an_address(host: str | None) -> bool:
    """Whether a ``Host`` header names an IP address (``10.0.0.7:8401``, ``[::1]``), not a name.
    DNS rebinding needs a name the attacker controls; a browser sends an address only to that
    address, so an address in ``Host`` is let through whatever the names allowed (a cluster's
    probes and proxies reach a server by its address, which changes with each start)."""
    import ipaddress

    host = (host or "").strip()
    if host.startswith("["):
        literal = host[1:host.find("]")] if "]" in host else ""
    else:
        literal = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    try:
        ipaddress.ip_address(literal)
    except ValueError:
        return False
    return True


#: The refusal of a request to a name the server does not answer to (Starlette's words).
INVALID_HOST = "Invalid host header"
#: Set in a request's scope once the ``Host`` check has let it through.
_HOST_PASSED = "dist401k.host_passed"


class _HostPassed:
    """The app behind :class:`HostCheck`, marking each request the check let through."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_HOST_PASSED] = True
        await self.app(scope, receive, send)


class HostCheck(TrustedHostMiddleware):
    """Starlette's check of the ``Host`` header against :func:`allowed_hosts`, with a request
    to an IP address always let through (:func:`host_is_an_address`), and its refusal a 400
    in JSON, ``{"detail": "Invalid host header"}``, as every other error of the API (the
    check's own plain-text answer is not sent)."""

    def __init__(self, app, allowed_hosts: list[str], www_redirect: bool = False):
        super().__init__(_HostPassed(app), allowed_hosts=allowed_hosts, www_redirect=www_redirect)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and host_is_an_address(
                Headers(scope=scope).get("host")):
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return

        async def passed_only(message):
            if scope.get(_HOST_PASSED):
                await send(message)

        await super().__call__(scope, receive, passed_only)
        if not scope.get(_HOST_PASSED):
            await JSONResponse({"detail": INVALID_HOST}, status_code=400)(scope, receive, send)


#: What an entry of ``DIST401K_ALLOWED_HOSTS`` may hold after its wildcard: a host name's or an
#: IPv4 address's characters ("*" alone leaves nothing).
HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*|")


def allowed_hosts(bind: str | None = None, setting: str | None = None) -> list[str]:
    """The ``Host`` names the API answers: those of the address it listens on
    (:func:`bind_host_names`, default ``DIST401K_BIND_HOST``) and those of ``setting`` (default
    ``DIST401K_ALLOWED_HOSTS``: comma-separated names, ``*.example.com`` for a domain's, ``*``
    for any).  A request with another ``Host`` is refused with 400: a page on another site
    that points its own name at this address (DNS rebinding) cannot read it.  A malformed
    entry is a ValueError naming the setting."""
    bind = os.environ.get(BIND_HOST_ENV) if bind is None else bind
    setting = os.environ.get(ALLOWED_HOSTS_ENV, "") if setting is None else setting
    extra = [h.strip().lower() for h in setting.split(",") if h.strip()]
    for name in extra:
        if "*" in name[1:] or (name.startswith("*") and name != "*" and not name.startswith("*.")):
            raise ValueError(f"{ALLOWED_HOSTS_ENV}: a wildcard is written *.example.com "
                             "(or * alone, for any host)")
        if ":" in name:
            raise ValueError(f"{ALLOWED_HOSTS_ENV}: an entry is a host name without its port "
                             "(the port is not part of the check: example.com, not "
                             "example.com:8401)")
        if not HOST_NAME.fullmatch(name.removeprefix("*.").removeprefix("*")):
            raise ValueError(f"{ALLOWED_HOSTS_ENV}: an entry is a host name or an IPv4 address "
                             "(letters, digits, '-', '_' and '.')")
    return list(dict.fromkeys([*bind_host_names(bind), *extra]))
