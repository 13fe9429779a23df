"""Who is making the current request, for the audit trail: the client address and the principal's role.

The web adapter opens a :class:`RequestContext` for every request (:func:`open_request`) and fills in the
principal once it is known (:func:`identify`); the store reads it (:func:`current`) when an audit entry is
written without an address or role, so every change made over the network records the address the server
saw and the real role of the user, whichever service wrote it. Outside a request (the CLI, a script) there
is no context and nothing is filled in.

The context is one mutable object per request: the request's tasks and worker threads see copies of the
context variable, and all of them point at the same object.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass

__all__ = ["RequestContext", "close_request", "current", "identify", "open_request"]


@dataclass
class RequestContext:
    """The client address of a request and, once known, who is asking (user id and role)."""

    client_address: str | None = None
    user_id: str | None = None
    role: str | None = None


_CURRENT: ContextVar[RequestContext | None] = ContextVar("tanfeng_request_context", default=None)


def open_request(client_address: str | None) -> tuple[RequestContext, Token[RequestContext | None]]:
    """Start the context of a request from ``client_address``; pass the token to :func:`close_request`."""
    ctx = RequestContext(client_address=client_address)
    return ctx, _CURRENT.set(ctx)


def close_request(token: Token[RequestContext | None]) -> None:
    """End the request's context."""
    _CURRENT.reset(token)


def identify(user_id: str, role: str) -> None:
    """Record who is asking in the current request's context (no-op outside a request)."""
    ctx = _CURRENT.get()
    if ctx is not None:
        ctx.user_id, ctx.role = user_id, role


def current() -> RequestContext | None:
    """The current request's context, or ``None`` outside a request."""
    return _CURRENT.get()
