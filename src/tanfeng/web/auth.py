"""Logging in and out, the account page, ``/api/me`` and the audit-trail API.

Login (``/login``): a form with a CSRF token (HMAC of a random ``tanfeng_csrf`` cookie, so a page on
another site cannot post it); the password is checked with argon2 under the login guard (too many failures
lock the user name or the address out, with a message that says until when); on success a server-side
session starts and its id goes into the signed, HttpOnly, SameSite=Lax ``tanfeng_session`` cookie
(``Secure`` over https or with ``TANFENG_COOKIE_SECURE=true``), and the browser goes back to ``?next=``
(same-site relative paths only; from the dashboard or with none, ``/home``: the role's landing page).
Logout is a POST with the session's CSRF token.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role
from tanfeng.access.credentials import LoginGuard
from tanfeng.audit import Anchor, VerifyResult
from tanfeng.errors import AuthError, InputError, LockedOutError
from tanfeng.services import accounts
from tanfeng.services import audit as audit_service
from tanfeng.web.deps import (
    SESSION_COOKIE,
    LangDep,
    LoggedIn,
    SessionDep,
    client_address,
    require,
    session_id,
    sign,
)
from tanfeng.web.i18n import Lang, pgettext

__all__ = [
    "CSRF_COOKIE",
    "AuditReader",
    "MeOut",
    "api_router",
    "audit_router",
    "csrf_for_session",
    "login_url",
    "router",
    "safe_next",
]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["accounts"])
audit_router = APIRouter(prefix="/api/audit", tags=["audit"])

CSRF_COOKIE = "tanfeng_csrf"


def safe_next(target: str | None) -> str:
    """``target`` when it is a same-site relative path (``/…``, not ``//…`` or ``/\\…``), else ``/``."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    return target


def login_url(next_path: str) -> str:
    """``/login?next=…`` for a page the visitor was on."""
    return "/login?next=" + quote(safe_next(next_path), safe="/")


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.cookie_secure) or request.url.scheme == "https"


def csrf_for_session(request: Request) -> str | None:
    """The CSRF token forms of the logged-in visitor must carry (``None`` when not logged in)."""
    sid = getattr(request.state, "sid", None)
    return sign(request, "csrf", sid) if sid else None


def _guard(request: Request, session: Any) -> LoginGuard:
    guard: LoginGuard | None = getattr(request.app.state, "login_guard", None)
    if guard is None:
        guard = request.app.state.login_guard = accounts.load_guard(session)
    return guard


def _render(request: Request, name: str, lang: Lang, context: dict[str, Any], status: int = 200) -> Response:
    from tanfeng.web.pages import render

    return render(request, name, lang, context, status_code=status)


def _login_page(request: Request, lang: Lang, *, next_path: str, username: str = "", error: str | None = None,
                status: int = 200) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = _render(request, "login.html", lang, {
        "next_path": safe_next(next_path), "username": username, "error": error,
        "login_csrf": sign(request, "login", token)}, status)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, lang: LangDep, next: Annotated[str | None, Query()] = None) -> Response:
    """The login form."""
    return _login_page(request, lang, next_path=next or "/home")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, session: SessionDep, lang: LangDep) -> Response:
    """Check the form; back to the form with the error in place, or on to ``next`` with a session cookie."""
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or "/home"))
    if next_path == "/":  # logging in from the dashboard: the role's own landing page first
        next_path = "/home"
    cookie = request.cookies.get(CSRF_COOKIE)
    given = str(form.get("csrf_token") or "")
    zh = lang == "zh"
    if not cookie or not secrets.compare_digest(given, sign(request, "login", cookie)):
        return _login_page(request, lang, next_path=next_path, username=username, status=403,
                           error="表单已过期，请重试" if zh else "the form has expired; please try again")
    if not username or not password:
        return _login_page(request, lang, next_path=next_path, username=username, status=422,
                           error="请输入用户名和密码" if zh else "enter your user name and password")
    address = client_address(request)
    try:
        user = accounts.authenticate(session, username=username, password=password, guard=_guard(request, session),
                                     client_address=address)
    except LockedOutError as exc:
        minutes = max(1, (exc.retry_after_seconds + 59) // 60)
        text = (f"登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试" if zh else
                f"too many failed logins: locked for {minutes} more minute{'s' if minutes > 1 else ''}")
        return _login_page(request, lang, next_path=next_path, username=username, error=text, status=429)
    except AuthError:
        return _login_page(request, lang, next_path=next_path, username=username, status=401,
                           error="用户名或密码错误" if zh else "wrong user name or password")
    sid = accounts.start_session(session, user, client_address=address)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, f"{sid}.{sign(request, 'session', sid)}", httponly=True, samesite="lax",
                        secure=_secure(request), path="/", max_age=int(accounts.SESSION_TTL.total_seconds()))
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    """End the session (CSRF-checked) and go to the dashboard."""
    form = await request.form()
    sid = session_id(request)
    if sid is not None:
        if not secrets.compare_digest(str(form.get("csrf_token") or ""), sign(request, "csrf", sid)):
            msg = "the logout form's CSRF token does not match this session"
            raise InputError(msg, hint="reload the page and log out again")
        accounts.end_session(session, sid, client_address=client_address(request))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, lang: LangDep, principal: LoggedIn) -> Response:
    """The logged-in account: name, role, region, department or unit (login required)."""
    return _render(request, "account.html", lang, {"principal": principal})


class MeOut(BaseModel):
    """Who the request acts as."""

    user_id: str
    role: Role
    role_zh: str
    region_code: str | None = None
    department_code: str | None = None
    unit_id: str | None = None
    token_scopes: list[Action] | None = None
    display_name: str | None = None


@api_router.get("/me", response_model=MeOut, responses={401: {"description": "Not logged in"}})
def me(request: Request, principal: LoggedIn) -> MeOut:
    """Who the request acts as (a login or an API token is needed)."""
    user = getattr(request.state, "user", None)
    return MeOut(user_id=principal.user_id, role=principal.role, role_zh=pgettext("zh", "role", principal.role.value),
                 region_code=principal.region_code, department_code=principal.department_code,
                 unit_id=principal.unit_id,
                 token_scopes=sorted(principal.token_scopes) if principal.token_scopes is not None else None,
                 display_name=user.display_name if user is not None else None)


def _audit_log() -> Resource:
    return Resource(kind=ResourceKind.AUDIT_LOG)


AuditReader = Annotated[Principal, require(Action.READ, _audit_log)]
_REFUSED: dict[int | str, dict[str, Any]] = {401: {"description": "Not logged in"},
                                             403: {"description": "The role may not read the audit log"}}


@audit_router.get("/entries", response_model=list[audit_service.AuditEntryOut], responses=_REFUSED)
def audit_entries(session: SessionDep, principal: AuditReader,
                  entity: Annotated[str | None, Query(max_length=64)] = None,
                  entity_id: Annotated[str | None, Query(max_length=300)] = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[audit_service.AuditEntryOut]:
    """The newest audit entries (oldest first), optionally of one entity and id."""
    return audit_service.entries(session, entity=entity, entity_id=entity_id, limit=limit)


@audit_router.get("/verify", response_model=VerifyResult, responses=_REFUSED)
def audit_verify(session: SessionDep, principal: AuditReader,
                 anchor: Annotated[list[str] | None, Query(description="a published anchor SEQ:HASH")] = None,
                 ) -> VerifyResult:
    """Verify the hash chain, against published anchors ``SEQ:HASH`` when given (a malformed one: 422)."""
    return audit_service.verify_chain(session, [Anchor.parse(a) for a in anchor or []])


@audit_router.get("/history/{entity}/{entity_id}", response_model=list[audit_service.HistoryItem],
                  responses=_REFUSED)
def audit_history(entity: str, entity_id: str, session: SessionDep,
                  principal: AuditReader) -> list[audit_service.HistoryItem]:
    """Who changed one record, when, and which fields."""
    return audit_service.history(session, entity, entity_id)
