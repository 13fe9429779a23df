"""Landing pages per role, and the administrator's accounts page.

``/home``          after login: the office and the administrator see open dispatch rounds with what is missing,
                   the leagues' warnings and what changed; a league (county, department) officer its own tasks,
                   warnings and key units. An enterprise is sent to its unit's page, an auditor to the audit log.
``/admin/users``   the region administrator creates accounts, deactivates or reactivates them, resets passwords,
                   issues and revokes API tokens (every change audited; ``tanfeng user …`` does the same).

Forms carry the session's CSRF token; a refused or invalid form re-renders the page with the error in place.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import AuthError, ConflictError, NotFoundError, PermissionDeniedError, TanfengError
from tanfeng.services import accounts, landing
from tanfeng.services import key_units as units_service
from tanfeng.services import tracking as tracking_service
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep, client_address, sign
from tanfeng.web.i18n import Lang
from tanfeng.web.pages import render

__all__ = ["ROLE_CHOICES", "FormStr", "UserName", "router"]

router = APIRouter(include_in_schema=False)

FormStr = Annotated[str, Form()]

ROLE_CHOICES = tuple(r for r in Role if r is not Role.PUBLIC)
"""The roles an account can be created with."""

_STATUS: tuple[tuple[type[TanfengError], int], ...] = (
    (AuthError, 401), (PermissionDeniedError, 403), (NotFoundError, 404), (ConflictError, 409))


@router.get("/home", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn) -> Response:
    """The landing page of the logged-in principal (an enterprise and an auditor go to their own page)."""
    target = landing.landing_path(principal)
    if target != "/home":
        return RedirectResponse(f"{target}?lang={lang}", status_code=303)
    content = landing.home_for(session, principal)
    notices = tracking_service.notices_for(session, principal)
    people = {c.entered_by for c in content.changes} | {n.sent_by for n in notices}
    return render(request, "home.html", lang, {"h": content, "state_zh": units_service.STATE_ZH,
                                               "may_admin": _may_admin(principal), "notices": notices,
                                               "names": tracking_service.display_names(session, people),
                                               "item_names": tracking_service.item_names(
                                                   tracking_service.tracked_plan(session))})


def _may_admin(principal: Principal) -> bool:
    return authorize(principal, Action.ADMIN, Resource(kind=ResourceKind.USER)).allowed


def _check_csrf(request: Request, token: str) -> None:
    sid = getattr(request.state, "sid", None)
    if sid is None:
        msg = "this form needs a browser login"
        raise AuthError(msg, hint="log in at /login and send the form again")
    if not hmac.compare_digest(token, sign(request, "csrf", sid)):
        msg = "the form's CSRF token does not match this session"
        raise PermissionDeniedError(msg, hint="reload the page and send the form again")


def _users_page(request: Request, session: Any, lang: Lang, *, error: str | None = None,
                notice: str | None = None, issued: str | None = None, status_code: int = 200) -> Response:
    return render(request, "admin_users.html", lang, {
        "users": accounts.list_users(session), "tokens": accounts.list_tokens(session), "roles": ROLE_CHOICES,
        "error": error, "notice": notice or request.query_params.get("notice"), "issued": issued,
        "csrf": sign(request, "csrf", request.state.sid) if getattr(request.state, "sid", None) else ""},
        status_code=status_code)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn) -> Response:
    """Accounts and API tokens, with the administrator's forms."""
    require_permission(principal, Action.ADMIN, Resource(kind=ResourceKind.USER, id="accounts"))
    return _users_page(request, session, lang)


def _status(exc: TanfengError) -> int:
    for cls, code in _STATUS:
        if isinstance(exc, cls):
            return code
    return 422


def _admin_action(request: Request, session: Any, lang: Lang, principal: Principal, csrf_token: str,
                  action: Any, notice: str) -> Response:
    """Check the form and the permission, run ``action(actor)``; back to the page with a notice or the error."""
    try:
        _check_csrf(request, csrf_token)
        require_permission(principal, Action.ADMIN, Resource(kind=ResourceKind.USER, id="accounts"))
        issued = action(accounts.Actor.of(principal, client_address(request)))
    except TanfengError as exc:
        return _users_page(request, session, lang, error=exc.message + (f" — {exc.hint}" if exc.hint else ""),
                           status_code=_status(exc))
    if isinstance(issued, str):
        return _users_page(request, session, lang, notice=notice, issued=issued)
    return RedirectResponse(f"/admin/users?lang={lang}&notice={notice}", status_code=303)


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn, csrf_token: FormStr = "",
                username: FormStr = "", role: FormStr = "", display_name: FormStr = "", password: FormStr = "",
                region_code: FormStr = "", department_code: FormStr = "", unit_id: FormStr = "") -> Response:
    """Create an account."""
    def run(actor: accounts.Actor) -> None:
        accounts.add_user(session, username=username, role=role or "office", actor=actor,
                          password=password or None, display_name=display_name.strip() or None,
                          region_code=region_code.strip() or None, department_code=department_code.strip() or None,
                          unit_id=unit_id.strip() or None)
    return _admin_action(request, session, lang, principal, csrf_token, run, "created")


UserName = Annotated[str, Path(max_length=64)]


@router.post("/admin/users/{username}/active", response_class=HTMLResponse)
def set_active(username: UserName, request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
               csrf_token: FormStr = "", active: FormStr = "0") -> Response:
    """Deactivate (``active=0``) or reactivate (``active=1``) an account."""
    def run(actor: accounts.Actor) -> None:
        accounts.set_active(session, username=username, active=active == "1", actor=actor)
    return _admin_action(request, session, lang, principal, csrf_token, run,
                         "activated" if active == "1" else "deactivated")


@router.post("/admin/users/{username}/password", response_class=HTMLResponse)
def reset_password(username: UserName, request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
                   csrf_token: FormStr = "", password: FormStr = "") -> Response:
    """Set a new password for an account."""
    def run(actor: accounts.Actor) -> None:
        accounts.reset_password(session, username=username, password=password, actor=actor)
    return _admin_action(request, session, lang, principal, csrf_token, run, "password")


@router.post("/admin/tokens", response_class=HTMLResponse)
def issue_token(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn, csrf_token: FormStr = "",
                username: FormStr = "", scopes: FormStr = "read", label: FormStr = "",
                ttl_days: FormStr = "90") -> Response:
    """Issue an API token; the page shows it once."""
    def run(actor: accounts.Actor) -> str:
        days = int(ttl_days) if ttl_days.strip().isdigit() else 0
        return accounts.issue_api_token(session, username=username.strip(), scopes=scopes.replace(",", " ").split(),
                                        actor=actor, ttl_days=days, label=label.strip()).token
    return _admin_action(request, session, lang, principal, csrf_token, run, "issued")


@router.post("/admin/tokens/{prefix}/revoke", response_class=HTMLResponse)
def revoke_token(prefix: Annotated[str, Path(max_length=40)], request: Request, session: SessionDep, lang: LangDep,
                 principal: LoggedIn, csrf_token: FormStr = "") -> Response:
    """Revoke an API token."""
    def run(actor: accounts.Actor) -> None:
        accounts.revoke_api_token(session, prefix=prefix, actor=actor)
    return _admin_action(request, session, lang, principal, csrf_token, run, "revoked")
