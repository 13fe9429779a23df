"""Queries of accounts: users, login events, browser sessions and API tokens (keyword-only).

Writes are the services' (:mod:`tanfeng.services.accounts`), inside :func:`tanfeng.store.transaction.atomic`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.store.models_access import ApiTokenRow, LoginEventRow, UserRow, WebSessionRow

__all__ = ["active_count", "display_names", "login_events_since", "session_with_user", "token_with_user", "token_with_username",
           "tokens", "user", "users"]


def user(session: Session, *, username: str) -> UserRow | None:
    """The account named ``username`` (surrounding spaces ignored)."""
    return session.scalars(select(UserRow).where(UserRow.username == username.strip())).first()


def users(session: Session) -> list[UserRow]:
    """Every account, by user name."""
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))


def active_count(session: Session, *, role: str) -> int:
    """How many active accounts have ``role``."""
    return session.scalar(select(func.count()).select_from(UserRow)
                          .where(UserRow.role == role, UserRow.active.is_(True))) or 0


def login_events_since(session: Session, *, since: datetime) -> list[LoginEventRow]:
    """Login attempts at or after ``since``, in the order they happened."""
    return list(session.scalars(select(LoginEventRow).where(LoginEventRow.at >= since).order_by(LoginEventRow.id)))


def session_with_user(session: Session, *, id_hash: str) -> tuple[WebSessionRow, UserRow] | None:
    """The browser session with that id hash and its account."""
    found = session.execute(select(WebSessionRow, UserRow).join(UserRow, UserRow.id == WebSessionRow.user_id)
                            .where(WebSessionRow.id_hash == id_hash)).first()
    return (found[0], found[1]) if found is not None else None


def token_with_user(session: Session, *, prefix: str) -> tuple[ApiTokenRow, UserRow] | None:
    """The API token with that prefix and its account."""
    found = session.execute(select(ApiTokenRow, UserRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
                            .where(ApiTokenRow.prefix == prefix)).first()
    return (found[0], found[1]) if found is not None else None


def token_with_username(session: Session, *, prefix: str) -> tuple[ApiTokenRow, str] | None:
    """The API token with that prefix and its account's user name."""
    found = session.execute(select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)
                            .where(ApiTokenRow.prefix == prefix)).first()
    return (found[0], found[1]) if found is not None else None


def tokens(session: Session, *, username: str | None = None) -> list[tuple[ApiTokenRow, str]]:
    """API tokens with their account's user name, oldest first (only ``username``'s when given)."""
    q = select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)
    if username is not None:
        q = q.where(UserRow.username == username)
    return [(r, u) for r, u in session.execute(q.order_by(ApiTokenRow.id))]


def display_names(session: Session, *, usernames: Collection[str]) -> dict[str, str]:
    """User name → display name (``users.display_name``) of the accounts among ``usernames``."""
    if not usernames:
        return {}
    rows = session.execute(select(UserRow.username, UserRow.display_name)
                           .where(UserRow.username.in_(sorted(set(usernames)))))
    return {str(name): str(shown) for name, shown in rows}
