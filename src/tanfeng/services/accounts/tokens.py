"""API tokens: issue (the secret shown once, never stored), revoke, list, and authenticate a presented one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tanfeng.access.credentials import (
    IssuedToken,
    TokenRecord,
    check_token,
    issue_token,
    token_lookup_prefix,
)
from tanfeng.access.policy import Action, Principal, Role
from tanfeng.errors import AuthError, InputError, NotFoundError
from tanfeng.services.accounts.schemas import Actor, TokenInfo, user_row, utc_now
from tanfeng.services.accounts.users import get_user
from tanfeng.store import repository_accounts as repo
from tanfeng.store.models_access import ApiTokenRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["authenticate_token", "issue_api_token", "list_tokens", "revoke_api_token"]

def _record(row: ApiTokenRow, username: str) -> TokenRecord:
    return TokenRecord(prefix=row.prefix, token_hash=row.token_hash, user_id=username, role=Role(row.role),
                       region_code=row.region_code, department_code=row.department_code, unit_id=row.unit_id,
                       scopes=frozenset(Action(s) for s in row.scopes), label=row.label, created_at=row.created_at,
                       expires_at=row.expires_at, revoked_at=row.revoked_at)


def _info(row: ApiTokenRow, username: str) -> TokenInfo:
    return TokenInfo(prefix=row.prefix, username=username, role=Role(row.role), unit_id=row.unit_id,
                     scopes=sorted(row.scopes), label=row.label, created_at=row.created_at,
                     expires_at=row.expires_at, revoked_at=row.revoked_at)


def issue_api_token(session: Session, *, username: str, scopes: Iterable[str], actor: Actor,
                    unit_id: str | None = None, ttl_days: int = 90, label: str = "") -> IssuedToken:
    """Issue a token for an account (audited; the token itself is returned once and never stored).

    A token acts with its account's role and attributes, limited to ``scopes``. A meter-gateway token
    (an account of role ``machine``, or ``scopes`` exactly ``{ingest}`` with ``unit_id``) acts as role
    ``machine`` for that one unit; an enterprise account may only have one for its own unit.

    Raises
    ------
    InputError
        Unknown scope, a non-positive ttl, or a unit that does not fit the account.
    NotFoundError
        No such account.
    """
    user = get_user(session, username)
    try:
        wanted = frozenset(Action(s.strip()) for s in scopes)
    except ValueError:
        msg = f"unknown scope in {list(scopes)}; scopes are {', '.join(a.value for a in Action)}"
        raise InputError(msg) from None
    if ttl_days < 1:
        msg = f"a token must live at least 1 day, not {ttl_days}"
        raise InputError(msg)
    role, region, department, unit = user.role, user.region_code, user.department_code, user.unit_id
    if user.role is Role.MACHINE or (unit_id is not None and wanted == {Action.INGEST}):
        if user.role is Role.ENTERPRISE and unit_id not in (None, user.unit_id):
            msg = f"account {username} reports for unit {user.unit_id}; it cannot have a token for unit {unit_id}"
            raise InputError(msg)
        if user.role not in (Role.MACHINE, Role.ENTERPRISE, Role.REGION_ADMIN):
            msg = f"a meter-gateway token belongs to a gateway, enterprise or administrator account, not {user.role}"
            raise InputError(msg)
        role, region, department, unit = Role.MACHINE, None, None, unit_id or user.unit_id
    elif unit_id is not None and unit_id != user.unit_id:
        msg = f"unit {unit_id} does not fit account {username} (role {user.role.value})"
        raise InputError(msg)
    issued = issue_token(user_id=username, role=role, scopes=wanted, now=utc_now(), ttl=timedelta(days=ttl_days),
                         unit_id=unit, region_code=region, department_code=department, label=label)
    rec = issued.record
    with atomic(session, f"API token {rec.prefix}"):
        row_user = user_row(session, username)
        if row_user is None:
            raise NotFoundError(f"no account '{username}'")  # noqa: EM102
        session.add(ApiTokenRow(prefix=rec.prefix, token_hash=rec.token_hash, user_id=row_user.id, role=rec.role.value,
                                region_code=rec.region_code, department_code=rec.department_code,
                                unit_id=rec.unit_id, scopes=sorted(a.value for a in rec.scopes), label=rec.label,
                                created_at=rec.created_at, expires_at=rec.expires_at, revoked_at=None))
        session.flush()
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action="create", entity="api_token", entity_id=rec.prefix,
                     after={"username": username, "role": rec.role.value, "unit_id": rec.unit_id,
                            "scopes": sorted(a.value for a in rec.scopes), "label": rec.label,
                            "expires_at": rec.expires_at})
    return issued


def revoke_api_token(session: Session, *, prefix: str, actor: Actor) -> TokenInfo:
    """Revoke a token by its prefix (audited; revoking again keeps the first time).

    Raises
    ------
    NotFoundError
        No token has that prefix.
    """
    with atomic(session, f"API token {prefix.strip()}"):
        found = repo.token_with_username(session, prefix=prefix.strip())
        if found is None:
            msg = f"no API token with prefix '{prefix}'"
            raise NotFoundError(msg, hint="the prefix is the first 12 characters, e.g. tfk_AbCdEfGh")
        row, username = found
        if row.revoked_at is None:
            row.revoked_at = utc_now()
            record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                         action="revoke", entity="api_token", entity_id=row.prefix,
                         before={"revoked_at": None}, after={"revoked_at": row.revoked_at})
        return _info(row, username)


def list_tokens(session: Session, *, username: str | None = None) -> list[TokenInfo]:
    """Tokens (without secrets), optionally of one account."""
    return [_info(r, u) for r, u in repo.tokens(session, username=username)]


def authenticate_token(session: Session, presented: str, *, now: datetime | None = None) -> Principal:
    """The principal of a presented API token.

    Raises
    ------
    AuthError
        Malformed, unknown, wrong, revoked or expired, or its account is inactive.
    """
    prefix = token_lookup_prefix(presented)
    found = repo.token_with_user(session, prefix=prefix)
    if found is None:
        return check_token(presented, None, now=now or utc_now())
    row, user = found
    principal = check_token(presented, _record(row, user.username), now=now or utc_now())
    if not user.active:
        msg = f"the account of API token {prefix}… is inactive"
        raise AuthError(msg)
    return principal
