"""Accounts, tokens and who acts, as the account use cases answer them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.access.policy import Principal, Role
from tanfeng.store import repository_accounts as repo
from tanfeng.store.models_access import UserRow

__all__ = ["SESSION_TTL", "Actor", "TokenInfo", "UserInfo", "principal_of", "user_row", "utc_now"]

SESSION_TTL = timedelta(hours=8)
"""How long a browser session lasts after login."""


class Actor(BaseModel):
    """Who makes a change, as the audit trail records it."""

    name: str
    role: str = "system"
    client_address: str | None = None

    @classmethod
    def of(cls, principal: Principal, client_address: str | None = None) -> Actor:
        """A logged-in principal."""
        return cls(name=principal.user_id, role=principal.role.value, client_address=client_address)


class UserInfo(BaseModel):
    """An account without its secrets."""

    username: str
    display_name: str
    role: Role
    region_code: str | None = None
    department_code: str | None = None
    unit_id: str | None = None
    active: bool
    has_password: bool
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, row: UserRow) -> UserInfo:
        """From a stored row."""
        return cls(username=row.username, display_name=row.display_name, role=Role(row.role),
                   region_code=row.region_code, department_code=row.department_code, unit_id=row.unit_id,
                   active=row.active, has_password=row.password_hash is not None, created_at=row.created_at,
                   updated_at=row.updated_at, version=row.version)

    def audit_state(self) -> dict[str, Any]:
        """What the audit trail keeps of the account (no hash)."""
        return self.model_dump(mode="json", exclude={"created_at", "updated_at", "version"})


class TokenInfo(BaseModel):
    """An API token without its secret."""

    prefix: str
    username: str
    role: Role
    unit_id: str | None
    scopes: list[str]
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


def utc_now() -> datetime:
    """The current instant (UTC)."""
    return datetime.now(UTC)


def principal_of(user: UserInfo) -> Principal:
    """The principal an interactive session of ``user`` acts as."""
    return Principal(user_id=user.username, role=user.role, region_code=user.region_code,
                     department_code=user.department_code, unit_id=user.unit_id)


def user_row(session: Session, username: str) -> UserRow | None:
    """The stored account ``username``."""
    return repo.user(session, username=username)

