"""Logins and browser sessions: the login guard (replayed from the stored attempts), password checks, sessions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from tanfeng.access.credentials import (
    LoginGuard,
    ThrottlePolicy,
    check_password,
)
from tanfeng.errors import AuthError, NotFoundError
from tanfeng.services.accounts.schemas import SESSION_TTL, UserInfo, user_row, utc_now
from tanfeng.store import repository_accounts as repo
from tanfeng.store.models_access import LoginEventRow, WebSessionRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["GENERIC_LOGIN_ERROR", "authenticate", "end_session", "load_guard", "session_user", "start_session"]

def load_guard(session: Session, *, clock: Callable[[], datetime] = utc_now,
               policy: ThrottlePolicy | None = None) -> LoginGuard:
    """A login guard holding the failures and lock-outs of the recent past (from ``login_events``).

    The events of the last window plus lock-out are replayed in order, so a restart does not reset a
    lock-out.
    """
    policy = policy or ThrottlePolicy()
    replay_time: list[datetime] = []

    def replay_clock() -> datetime:
        return replay_time[-1] if replay_time else clock()

    guard = LoginGuard(replay_clock, policy)
    since = clock() - policy.window - policy.lockout
    for ev in repo.login_events_since(session, since=since):
        replay_time.append(ev.at)
        if ev.success:
            guard.record_success(ev.username, ev.client_address)
        else:
            guard.record_failure(ev.username, ev.client_address)
    replay_time.clear()
    return guard


GENERIC_LOGIN_ERROR = "用户名或密码错误 / wrong user name or password"


def authenticate(session: Session, *, username: str, password: str, guard: LoginGuard,
                 client_address: str | None = None, hasher: PasswordHasher | None = None) -> UserInfo:
    """Check a login; every attempt is recorded in ``login_events``, a success rehashes an outdated hash.

    Raises
    ------
    LockedOutError
        Too many failures for this user name or address (even the right password is refused).
    AuthError
        Unknown user, inactive account, no password, or a wrong password: one generic message.
    """
    guard.check(username, client_address).raise_if_denied()
    row = user_row(session, username)
    usable = row is not None and row.active and row.password_hash is not None
    result = check_password(row.password_hash if usable and row is not None else None, password, hasher=hasher)
    ok = usable and result.ok
    with atomic(session, "a login attempt"):
        session.add(LoginEventRow(at=utc_now(), username=username.strip()[:200], client_address=client_address,
                                  success=ok))
        if ok and row is not None and result.new_hash is not None:
            row.password_hash = result.new_hash
            row.updated_at = utc_now()
    if not ok or row is None:
        guard.record_failure(username, client_address).raise_if_denied()
        raise AuthError(GENERIC_LOGIN_ERROR)
    guard.record_success(username, client_address)
    return UserInfo.of(row)


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start_session(session: Session, user: UserInfo, *, client_address: str | None = None,
                  ttl: timedelta = SESSION_TTL) -> str:
    """Open a browser session (audited as a login); returns the session id for the cookie, shown once."""
    row = user_row(session, user.username)
    if row is None:
        raise NotFoundError(f"no account '{user.username}'")  # noqa: EM102
    sid = secrets.token_urlsafe(32)
    now = utc_now()
    with atomic(session, f"a session of {user.username}"):
        session.add(WebSessionRow(id_hash=_sid_hash(sid), user_id=row.id, created_at=now, expires_at=now + ttl,
                                  client_address=client_address))
        record_audit(session, actor=user.username, actor_role=user.role.value, client_address=client_address,
                     action="login", entity="session", entity_id=_sid_hash(sid)[:12],
                     after={"expires_at": now + ttl})
    return sid


def session_user(session: Session, sid: str) -> UserInfo | None:
    """The account of a live session (``None``: unknown, expired, or the account is inactive)."""
    found = repo.session_with_user(session, id_hash=_sid_hash(sid))
    if found is None:
        return None
    web, user = found
    if web.expires_at <= utc_now() or not user.active:
        return None
    return UserInfo.of(user)


def end_session(session: Session, sid: str, *, client_address: str | None = None) -> None:
    """Close a browser session (audited as a logout); an unknown session is a no-op."""
    with atomic(session, "a logout"):
        found = repo.session_with_user(session, id_hash=_sid_hash(sid))
        if found is None:
            return
        web, user = found
        session.delete(web)
        record_audit(session, actor=user.username, actor_role=user.role, client_address=client_address,
                     action="logout", entity="session", entity_id=web.id_hash[:12])


