"""Transport hardening: what every request passes before a route sees it, and what every response carries.

:class:`HardeningMiddleware` (registered by :func:`install`, inside the forwarded-header handling):

- **Input checked before anything is written.** The path and the query must be valid UTF-8 without NUL;
  a JSON body must be at most ``TANFENG_MAX_UPLOAD_BYTES`` long (413 otherwise), valid UTF-8, nested at most
  ``TANFENG_MAX_JSON_DEPTH`` deep, with no NUL and no lone surrogate in any string, and with numbers that
  are finite and within ±10¹⁵ (NaN, ±Infinity, 1e308 are refused; integers within int64); a form body is
  checked like the query. A refusal is a 422 whose ``detail`` items name the place (``loc``, ``field``), a
  code (``type``) and a message (``msg``), the shape FastAPI uses for its own validation errors.
- **Security headers on every response**: a Content-Security-Policy that lets pages load only the app's own
  scripts, styles, images and data (no inline script or style), ``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``; no
  ``Server`` header; ``Retry-After`` on every 429 and 503.
- **Busy database, bounded retries.** A request that failed because the store was busy ("database is
  locked" on SQLite, a serialization failure or deadlock on PostgreSQL: its transaction was rolled back
  whole) is run again, at most :data:`LOCK_RETRIES` times with a growing pause; then the client gets 503
  with ``Retry-After``. A body is replayed only when it was read here (JSON and forms); other requests
  are not retried.
- **The audit context**: the client address opens the request's :mod:`tanfeng.audit.context`.

The client address is the peer's, or the ``X-Forwarded-For`` address only when the peer is one of
``TANFENG_FORWARDED_ALLOW_IPS`` (comma-separated addresses or networks; default none: forwarded headers are
ignored), with uvicorn's own proxy-header middleware. The exception handlers of :func:`install` answer a
store that is busy or unreachable (``OperationalError``), an exhausted connection pool (503 with
``Retry-After``) and a value the database cannot hold (``DataError``, 422) instead of a 500.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from itertools import accumulate
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.routing import BaseRoute, Match
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tanfeng.access import Principal
from tanfeng.audit import context as audit_context
from tanfeng.config import Settings
from tanfeng.errors import TanfengError
from tanfeng.intake import MAX_MAGNITUDE
from tanfeng.web.deps import get_principal, logged_in

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "LOCK_RETRIES",
    "MAX_NUMBER",
    "RETRY_AFTER_SECONDS",
    "SECURITY_HEADERS",
    "HardeningMiddleware",
    "check_json",
    "check_target",
    "install",
    "refusal_before_validation",
    "validation_detail",
]

_Scope = MutableMapping[str, Any]
_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[_Scope, _Receive, _Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")
"""Only the app's own files: no inline script or style, no other origin, never inside a frame."""

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
"""Sent on every response (replacing any the route set)."""

MAX_NUMBER = MAX_MAGNITUDE
"""The largest magnitude a JSON number may have: the imports' limit (the region's energy use is about 3·10⁸ tce)."""

_INT64 = 2**63 - 1

LOCK_RETRIES = 4
"""How many times a request that met a busy store is run again before the client gets 503."""

RETRY_AFTER_SECONDS = 2
"""``Retry-After`` of a 503 (busy or unreachable store) and of a 429 that did not say when."""

_RETRY_MARK = b"x-tanfeng-retry"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_STRING = re.compile(r'"(?:[^"\\\\]++|\\\\.)*+"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class _Refusal(Exception):
    """A request refused here: status, ``loc``, code and message."""

    def __init__(self, status: int, loc: list[str | int], code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.loc, self.code, self.message = status, loc, code, message

    def response(self) -> JSONResponse:
        return JSONResponse(status_code=self.status, content={"detail": [
            {"loc": self.loc, "msg": self.message, "type": self.code, "field": _field(self.loc)}]})


def _field(loc: list[str | int] | tuple[Any, ...]) -> str:
    """``["body", "fuels", 0, "quantity"]`` → ``fuels[0].quantity`` (the place without its part)."""
    out = ""
    for part in list(loc)[1:]:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or (str(loc[0]) if loc else "")


def _text(raw: bytes, loc: list[str | int]) -> str:
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refusal(422, loc, "invalid_utf8", "is not valid UTF-8 text") from None
    if "\x00" in value:
        raise _Refusal(422, loc, "nul_character", "contains a NUL character") from None
    return value


def _pairs(raw: bytes, part: str) -> None:
    """Check a query string or a form body: every name and value valid UTF-8 without NUL."""
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        key = _text(name.encode("latin-1"), [part, name])
        _text(value.encode("latin-1"), [part, key])


def check_target(scope: _Scope) -> None:
    """The request's path and query: valid UTF-8, no NUL (else :class:`_Refusal`)."""
    raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    _text(unquote_to_bytes(raw_path), ["path"])
    _pairs(scope.get("query_string", b""), "query")


class _NonFinite:
    def __init__(self, token: str) -> None:
        self.token = token


def _depth(text: str, limit: int) -> None:
    """Refuse containers nested deeper than ``limit`` (the fast path: the brackets outside strings, counted)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if brackets and max(accumulate(1 if c in "[{" else -1 for c in brackets)) > limit:
        raise _too_deep(limit)


def _too_deep(limit: int) -> _Refusal:
    return _Refusal(422, ["body"], "json_too_deep", f"JSON nested deeper than {limit} levels")


def _walk(value: Any, loc: list[str | int], limit: int) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise _Refusal(422, loc, "nul_character", "contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Refusal(422, loc, "invalid_unicode", "contains a lone surrogate (not Unicode text)") from None
    elif isinstance(value, _NonFinite):
        raise _Refusal(422, loc, "finite_number", f"must be a finite number, not {value.token}")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > _INT64:
            raise _Refusal(422, loc, "number_too_large", "is beyond the 64-bit integer range")
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise _Refusal(422, loc, "finite_number", f"must be a finite number within ±{MAX_NUMBER:.0e}")
    elif isinstance(value, dict):
        if len(loc) > limit:
            raise _too_deep(limit)
        for key, item in value.items():
            _walk(key, [*loc, key], limit)
            _walk(item, [*loc, key], limit)
    elif isinstance(value, list):
        if len(loc) > limit:
            raise _too_deep(limit)
        for i, item in enumerate(value):
            _walk(item, [*loc, i], limit)


def check_json(body: bytes, max_depth: int) -> None:
    """A JSON body: UTF-8, bounded depth, strings without NUL, finite bounded numbers (else :class:`_Refusal`).

    Text that is not JSON at all is left to the route's own validation (FastAPI answers ``json_invalid``).
    """
    text = _text(body, ["body"])
    flagged: list[str] = []

    def floats(raw: str) -> float:
        value = float(raw)
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            flagged.append(raw)
        return value

    def ints(raw: str) -> int:
        value = int(raw)
        if abs(value) > _INT64:
            flagged.append(raw)
        return value

    def constants(raw: str) -> _NonFinite:
        flagged.append(raw)
        return _NonFinite(raw)

    try:
        data = json.loads(text, parse_float=floats, parse_int=ints, parse_constant=constants)
    except json.JSONDecodeError:
        return
    except RecursionError:  # far deeper than any limit: the parser gives up
        raise _too_deep(max_depth) from None
    except ValueError:
        raise _Refusal(422, ["body"], "number_too_large", "has a number with too many digits") from None
    if flagged or "\\u0000" in text or _SURROGATE_ESCAPE.search(text):
        _walk(data, ["body"], max_depth)  # something to refuse: find and name its place
    else:
        _depth(text, max_depth)


def _header(scope: _Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return b""


class HardeningMiddleware:
    """The checks, headers and retries described in the module docstring."""

    def __init__(self, app: _ASGIApp, *, max_json_bytes: int, max_json_depth: int,
                 lock_retries: int = LOCK_RETRIES, retry_pause: float = 0.05) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_json_depth = max_json_depth
        self.lock_retries = lock_retries
        self.retry_pause = retry_pause

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        _, token = audit_context.open_request(client[0] if client else None)
        try:
            try:
                body = await self._checked_body(scope, receive)
            except _Refusal as refusal:
                await self._refuse(scope, receive, send, refusal)
                return
            await self._run(scope, receive, send, body)
        finally:
            audit_context.close_request(token)

    @staticmethod
    async def _refuse(scope: _Scope, receive: _Receive, send: _Send, refusal: _Refusal) -> None:
        """Answer a refused request: the authentication refusal when the route needs a login the request
        lacks (authentication comes first), else the 413/422 of the input."""
        response: Response = refusal.response()
        if "app" in scope:
            request = Request(scope)
            refused = await refusal_before_validation(request)
            handler = scope["app"].exception_handlers.get(TanfengError)
            if refused is not None and handler is not None:
                response = await handler(request, refused)
        await response(scope, receive, _with_headers(send))

    async def _checked_body(self, scope: _Scope, receive: _Receive) -> bytes | None:
        """Check path and query; read and check a JSON or form body (``None``: the body was not read)."""
        check_target(scope)
        if scope.get("method", "GET") not in _BODY_METHODS:
            return b""
        ctype = _header(scope, b"content-type").split(b";")[0].strip().lower()
        is_json = ctype == b"application/json" or ctype.endswith(b"+json")
        if not (is_json or ctype == b"application/x-www-form-urlencoded"):
            return None
        body = await _read(receive, self.max_json_bytes)
        if is_json:
            check_json(body, self.max_json_depth)
        else:
            _pairs(body, "body")
        return body

    async def _run(self, scope: _Scope, receive: _Receive, send: _Send, body: bytes | None) -> None:
        attempts = 1 + (self.lock_retries if body is not None else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            retry = False

            async def guarded_send(message: _Message, *, last: bool = last) -> None:
                nonlocal retry
                if message["type"] == "http.response.start" and any(
                        k == _RETRY_MARK for k, _ in message.get("headers", ())):
                    retry = not last
                if retry:
                    return  # drop this attempt's answer: the request runs again
                await _with_headers(send)(message)

            run_scope = dict(scope)  # a retry starts from the request as it came, not from what a run left
            run_scope["state"] = dict(scope.get("state", {}))
            await self.app(run_scope, receive if body is None else _replay(body, receive), guarded_send)
            if not retry:
                return
            await asyncio.sleep(self.retry_pause * 2**attempt)


async def _read(receive: _Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _Refusal(413, ["body"], "body_too_large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: _Receive) -> _Receive:
    sent = False

    async def replay() -> _Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _with_headers(send: _Send) -> _Send:
    async def wrapped(message: _Message) -> None:
        if message["type"] == "http.response.start":
            own = {k for k, _ in SECURITY_HEADERS}
            headers = [(k, v) for k, v in message.get("headers", ())
                       if k.lower() not in own and k.lower() not in (b"server", _RETRY_MARK)]
            headers.extend(SECURITY_HEADERS)
            if message["status"] in (429, 503) and not any(k.lower() == b"retry-after" for k, _ in headers):
                headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode("ascii")))
            message["headers"] = headers
        await send(message)

    return wrapped


# -- exception handlers ------------------------------------------------------------------------------------

_BUSY = ("database is locked", "database table is locked", "database is busy")
_BUSY_SQLSTATES = ("40001", "40P01", "55P03")  # serialization failure, deadlock, lock not available


def _busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return any(s in text for s in _BUSY) or getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES


def _error(status: int, error: str, message: str, hint: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, headers=headers, content={"detail": {
        "error": error, "message": message, "hint": hint, "file": None, "line": None, "row": None, "field": None}})


def validation_detail(exc: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's validation errors without the rejected input (which may be NaN or not JSON at all):
    ``loc``, ``msg``, ``type`` and the ``field`` they name."""
    out = []
    for e in exc.errors():
        loc = [p if isinstance(p, int) and not isinstance(p, bool) else str(p) for p in e.get("loc", ())]
        out.append({"loc": loc, "msg": str(e.get("msg", "")), "type": str(e.get("type", "value_error")),
                    "field": _field(loc)})
    return out


def install(app: FastAPI, settings: Settings) -> None:
    """Register the middleware (inside the forwarded-header handling) and the store's exception handlers."""
    app.add_middleware(HardeningMiddleware, max_json_bytes=settings.max_upload_bytes,
                       max_json_depth=settings.max_json_depth)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)

    @app.exception_handler(OperationalError)
    async def _store_busy(request: Request, exc: OperationalError) -> Response:
        if _busy(exc):
            return _error(503, "StoreBusyError", "the database is busy with other writes; nothing was saved",
                          "try again in a moment", {"Retry-After": str(RETRY_AFTER_SECONDS), "X-Tanfeng-Retry": "1"})
        return _error(503, "StoreError", "the database is not available; nothing was saved",
                      "try again later, or ask the administrator", {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(PoolTimeoutError)
    async def _pool_exhausted(request: Request, exc: PoolTimeoutError) -> Response:
        return _error(503, "StoreBusyError", "every database connection is in use; nothing was saved",
                      "try again in a moment", {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> Response:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "a value out of range"
        return _error(422, "InputError", f"a value cannot be stored: {first}; nothing was saved",
                      "check the ranges of the numbers and remove control characters from the text")


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """The API routes, also those of included routers (before routing has picked one)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)
        elif isinstance(route, APIRoute):
            yield route


def _needs_login(dependant: Any) -> bool:
    return any(d.call is logged_in or _needs_login(d) for d in getattr(dependant, "dependencies", ()))


async def refusal_before_validation(request: Request) -> TanfengError | None:
    """Authentication comes before validation: on a route that needs a login, the public (or a bad token,
    or a cookie write without its CSRF token) gets the refusal it would get with valid input, not a 422."""
    route = request.scope.get("route") or next(
        (r for r in _api_routes(request.app.router.routes) if r.matches(request.scope)[0] is Match.FULL), None)
    dependant = getattr(route, "dependant", None)
    if dependant is None or not _needs_login(dependant):
        return None

    def who() -> Principal:
        with request.app.state.sessions() as session:
            return get_principal(request, session)

    try:
        logged_in(request, await run_in_threadpool(who))
    except TanfengError as exc:
        return exc
    return None
