"""Request dependencies: a database session per request, the interface language, who is asking.

Who is asking (:data:`CurrentPrincipal`): an ``Authorization: Bearer <token>`` header (API tokens, for
machines and scripts), else the signed session cookie of a logged-in browser, else the public
(:meth:`Principal.anonymous`). A bad token is refused (401) wherever it is sent; a stale or forged
cookie just means "not logged in"; a write to the API through the cookie needs the session's CSRF token
in ``X-CSRF-Token`` (403 otherwise). :func:`require` guards a route with the permission matrix.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from tanfeng.access import Action, Principal, Resource, Role
from tanfeng.access import require as require_permission
from tanfeng.audit import context as audit_context
from tanfeng.errors import AuthError, PermissionDeniedError
from tanfeng.services import accounts
from tanfeng.web.i18n import Lang, pick_lang

__all__ = [
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CurrentPrincipal",
    "LangDep",
    "LoggedIn",
    "SessionDep",
    "client_address",
    "get_lang",
    "get_principal",
    "get_session",
    "logged_in",
    "require",
    "session_id",
    "sign",
]

SESSION_COOKIE = "tanfeng_session"
"""Browser session: ``<session id>.<HMAC-SHA256 of it>``; the server keeps the id's SHA-256."""

CSRF_HEADER = "X-CSRF-Token"
"""A write to ``/api/`` authenticated by the session cookie must carry the session's CSRF token here
(pages put it in ``<meta name="csrf-token">``); API tokens need none."""

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer tfk_…`")


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, closed afterwards; writes commit inside the services."""
    with request.app.state.sessions() as session:
        yield session


def get_lang(request: Request) -> Lang:
    """The interface language: ``?lang=zh|en``, else the ``lang`` cookie, else Chinese."""
    return pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))


SessionDep = Annotated[Session, Depends(get_session)]
LangDep = Annotated[Lang, Depends(get_lang)]


def sign(request: Request, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``purpose:value`` with the app's secret key (hex)."""
    key: bytes = request.app.state.secret_key
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def session_id(request: Request) -> str | None:
    """The session id of a correctly signed session cookie (not yet checked against the store)."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw or raw.count(".") != 1:
        return None
    sid, mac = raw.split(".")
    return sid if hmac.compare_digest(mac, sign(request, "session", sid)) else None


def client_address(request: Request) -> str | None:
    """The client's IP address as the server sees it (a proxy's ``X-Forwarded-For`` only when the proxy is one
    of ``TANFENG_FORWARDED_ALLOW_IPS``: :mod:`tanfeng.web.hardening`)."""
    return request.client.host if request.client else None


def get_principal(request: Request, session: SessionDep,
                  bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None) -> Principal:
    """Who is asking: token, session cookie, or the public. Sets ``request.state.user`` for pages.

    Raises
    ------
    AuthError
        An ``Authorization`` header that is not a valid, live ``Bearer`` API token.
    """
    # authentication reads (and may touch) the store; it must not leave a transaction open on the
    # request's session, or the route's write would land in a savepoint nobody commits
    try:
        principal = _identify(request, session)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    audit_context.identify(principal.user_id, principal.role.value)
    return principal


def _identify(request: Request, session: Session) -> Principal:
    request.state.user = None
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            msg = "the Authorization header must be 'Bearer <API token>'"
            raise AuthError(msg)
        return accounts.authenticate_token(session, value.strip())
    sid = session_id(request)
    if sid is not None:
        user = accounts.session_user(session, sid)
        if user is not None:
            if request.method not in _SAFE_METHODS and request.url.path.startswith("/api/"):
                given = request.headers.get(CSRF_HEADER, "")
                if not hmac.compare_digest(given, sign(request, "csrf", sid)):
                    msg = f"a write through the browser session needs the {CSRF_HEADER} header of this session"
                    raise PermissionDeniedError(msg, hint="read it from <meta name=\"csrf-token\"> of any page, "
                                                          "or use an API token")
            request.state.user = user
            request.state.sid = sid
            return accounts.principal_of(user)
    return Principal.anonymous()


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def logged_in(request: Request, principal: CurrentPrincipal) -> Principal:
    """The principal, when it is a logged-in user or an API token; the public is refused (401).

    Pages (outside ``/api/``) send the visitor to the login page; the API answers 401 with the hint.
    """
    if principal.role is Role.PUBLIC:
        if request.url.path.startswith("/api/"):
            msg = "this needs a login or an API token"
            raise AuthError(msg, hint="log in at /login, or send 'Authorization: Bearer <API token>'")
        msg = "this page needs a login"
        raise AuthError(msg, hint="log in at /login")
    return principal


LoggedIn = Annotated[Principal, Depends(logged_in)]
"""A route parameter ``principal: LoggedIn`` lets only logged-in users and API tokens through."""


def require(action: Action, resource_factory: Callable[..., Resource]) -> Any:
    """A dependency that lets the request through only when the principal may do ``action`` on the resource.

    ``resource_factory`` is itself a dependency (it may take path parameters) that describes the record.
    The public gets 401 (log in first), a logged-in principal that may not gets 403 with the rule.
    """

    def dependency(principal: Principal = Depends(logged_in),  # noqa: B008 - FastAPI's idiom
                   resource: Resource = Depends(resource_factory)) -> Principal:  # noqa: B008
        require_permission(principal, action, resource)
        return principal

    return Depends(dependency)
