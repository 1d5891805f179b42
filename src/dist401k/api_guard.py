"""What stands between the HTTP server and the API's endpoints (docs/api.md): the size limit,
numbers JSON cannot hold, the access log, a client gone mid-request, and a failure that must
not leak.  Nothing from a request body ever reaches a log: a failure is logged as its kind and
place, never its message (which may quote a value)."""

from __future__ import annotations

import json
import logging
import time
import traceback
from pathlib import Path

import orjson
from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect

from dist401k.errors import FINITE
from dist401k.finite_json import non_finite_paths
from dist401k.io.files import MAX_NESTING, big_int, nesting_depth

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


def refuse_non_finite(body: bytes) -> None:
    """422 naming the first field of a JSON body whose number is not finite (Python's JSON
    reader, which FastAPI uses, takes ``NaN``, ``Infinity`` and ``1e400`` for floats, and an
    integer too long to read is one: :func:`~dist401k.io.files.big_int`), and 422 for a body
    that is not UTF-8 or nests deeper than a case file may (the command line's words).  orjson
    refuses every such body: only a body it refuses is read again to find why (a well-formed
    body costs one fast parse, measured at a few microseconds)."""
    try:
        orjson.loads(body)
        return
    except orjson.JSONDecodeError:
        pass
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refused_body(f"is not UTF-8 text (byte {exc.start})", "json_invalid") from None
    try:
        value = json.loads(text, parse_int=big_int)
    except json.JSONDecodeError:
        return  # malformed: the endpoint's own parsing answers 422 for it
    except RecursionError:
        raise _refused_body(f"nests deeper than {MAX_NESTING} levels: not a case",
                            "json_invalid") from None
    if nesting_depth(value) > MAX_NESTING:  # orjson's own limit is 1,024 levels
        raise _refused_body(f"nests deeper than {MAX_NESTING} levels: not a case", "json_invalid")
    for path in non_finite_paths(value, ("body",)):
        raise RequestValidationError([{"loc": path, "msg": FINITE, "type": "finite_number"}])


class FiniteJSONRoute(APIRoute):
    """A route whose JSON body is checked for numbers JSON cannot hold before the endpoint
    reads it (the body is read once: the endpoint gets the same bytes)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def checked(request):
            if request.method in ("POST", "PUT", "PATCH"):
                refuse_non_finite(await request.body())
            return await handler(request)

        return checked


def _where(exc: BaseException) -> str:
    """Where an exception was raised (file, line, function): no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


class Guard:
    """The outermost layer: one access-log line per request (method, path, status, time; the
    client's address only with ``log_client``); a client that leaves mid-body, one quiet line;
    any other failure, a 500 and one log line with the exception's kind and place, never its
    message and never a traceback."""

    def __init__(self, app, log_client: bool = False):
        self.app, self.log_client = app, log_client

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), [0]

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        method, path = scope.get("method", ""), scope.get("path", "")
        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:
            log.info("%s %s: the client left before its request was read", method, path)
        except Exception as exc:  # noqa: BLE001 — answered 500, logged without its message
            log.error("%s %s failed: %s at %s", method, path, type(exc).__name__, _where(exc))
            if not status[0]:
                await sending({"type": "http.response.start", "status": 500,
                               "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body",
                            "body": b'{"detail":"internal error"}'})
        finally:
            ms = (time.perf_counter() - start) * 1000
            client = scope.get("client") if self.log_client else None
            who = f"{client[0]}:{client[1]} " if client else ""
            access_log.info("%s%s %s %s %.1f ms", who, method, path, status[0] or "-", ms)
