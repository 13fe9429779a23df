"""Tables of the access topic. Their migrations form the ``access`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``users``           accounts: user name (unique, what the audit trail names), role and the role's
                    attributes (region, department, unit), argon2id password hash, active flag;
                    ``version`` is the optimistic-locking counter
``api_tokens``      API tokens: lookup prefix (unique), SHA-256 of the token, owner, role, scopes, expiry,
                    revocation — never the token itself
``login_events``    every login attempt (user name, client address, success), so throttling survives a
                    restart
``web_sessions``    browser sessions kept on the server: SHA-256 of the session id, account, expiry
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = ["ApiTokenRow", "Base", "LoginEventRow", "UserRow", "WebSessionRow"]


class UserRow(Base):
    """An account. ``username`` is stable and is the ``user_id`` principals and the audit trail carry."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), index=True)
    region_code: Mapped[str | None] = mapped_column(String(6))
    department_code: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApiTokenRow(Base):
    """What is kept of an API token (:class:`tanfeng.access.credentials.TokenRecord`)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(12), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(String(6))
    department_code: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[str | None] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginEventRow(Base):
    """One login attempt (the password is never recorded)."""

    __tablename__ = "login_events"
    __table_args__ = (Index("ix_login_events_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    username: Mapped[str] = mapped_column(String(200))
    client_address: Mapped[str | None] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)


class WebSessionRow(Base):
    """A browser session; the cookie holds the session id, the table only its SHA-256."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_address: Mapped[str | None] = mapped_column(String(64))
