"""Accounts: create one (a person with a password, or a meter gateway), the first administrator, list, show,
deactivate or reactivate, reset a password."""

from __future__ import annotations

from argon2 import PasswordHasher
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tanfeng.access.credentials import (
    check_password_policy,
    hash_password,
)
from tanfeng.access.policy import Action, Principal, Role
from tanfeng.errors import ConflictError, InputError, NotFoundError
from tanfeng.services.accounts.schemas import Actor, UserInfo, user_row, utc_now
from tanfeng.store import repository_accounts as repo
from tanfeng.store.models_access import UserRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["add_user", "create_admin", "get_user", "list_users", "reset_password", "set_active"]


def get_user(session: Session, username: str) -> UserInfo:
    """One account.

    Raises
    ------
    NotFoundError
        No account has that user name.
    """
    row = user_row(session, username)
    if row is None:
        msg = f"no account '{username}'"
        raise NotFoundError(msg, hint="check the user name against the list of accounts")
    return UserInfo.of(row)


def list_users(session: Session) -> list[UserInfo]:
    """Every account, by user name."""
    return [UserInfo.of(r) for r in repo.users(session)]


def add_user(session: Session, *, username: str, role: Role | str, actor: Actor, password: str | None = None,
             display_name: str | None = None, region_code: str | None = None,
             department_code: str | None = None, unit_id: str | None = None,
             hasher: PasswordHasher | None = None) -> UserInfo:
    """Create an account (audited). Meter gateways (role ``machine``) have no password: they use tokens.

    Raises
    ------
    InputError
        The user name is empty or too long, the role's attributes do not fit it, a person's account has
        no password, or the password breaks the policy (:class:`PasswordPolicyError`).
    ConflictError
        The user name is taken.
    """
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        msg = f"user name {username!r} must be 1-64 characters without spaces"
        raise InputError(msg)
    role = Role(role)
    if role is Role.PUBLIC:
        msg = "'public' is not a role an account can have"
        raise InputError(msg)
    try:
        # the role's own rules (a league needs its league code, an enterprise its unit, …)
        Principal(user_id=username, role=role, region_code=region_code, department_code=department_code,
                  unit_id=unit_id, token_scopes=frozenset({Action.INGEST}) if role is Role.MACHINE else None)
    except ValidationError as exc:
        msg = f"account {username!r} cannot have role {role.value} like this: {exc.errors()[0]['msg']}"
        raise InputError(msg) from None
    password_hash: str | None = None
    if role is Role.MACHINE:
        if password is not None:
            msg = "a meter gateway account has no password; issue it a token"
            raise InputError(msg)
    else:
        if password is None:
            msg = f"account {username!r} needs a password"
            raise InputError(msg)
        check_password_policy(password, username=username)
        password_hash = hash_password(password, hasher=hasher)
    with atomic(session, f"account '{username}'"):
        if user_row(session, username) is not None:
            msg = f"the user name '{username}' is taken"
            raise ConflictError(msg, hint="choose another user name")
        now = utc_now()
        row = UserRow(username=username, display_name=(display_name or username).strip(), role=role.value,
                      region_code=region_code, department_code=department_code, unit_id=unit_id,
                      password_hash=password_hash, active=True, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        info = UserInfo.of(row)
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action="create", entity="user", entity_id=username, after=info.audit_state())
    return info


def create_admin(session: Session, *, username: str, password: str, actor: Actor, display_name: str | None = None,
                 force: bool = False, hasher: PasswordHasher | None = None) -> UserInfo:
    """Create a region administrator; refused when an active one exists unless ``force``.

    Raises
    ------
    ConflictError
        An administrator exists and ``force`` is not set.
    """
    existing = repo.active_count(session, role=Role.REGION_ADMIN.value)
    if existing and not force:
        msg = f"{existing} administrator account{'s exist' if existing > 1 else ' exists'} already"
        raise ConflictError(msg, hint="log in as an administrator to add users, or force another one")
    return add_user(session, username=username, role=Role.REGION_ADMIN, actor=actor, password=password,
                    display_name=display_name, hasher=hasher)




def _existing(session: Session, username: str) -> UserRow:
    row = user_row(session, username)
    if row is None:
        msg = f"no account '{username}'"
        raise NotFoundError(msg, hint="check the user name against the list of accounts")
    return row


def set_active(session: Session, *, username: str, active: bool, actor: Actor) -> UserInfo:
    """Deactivate (or reactivate) an account (audited). An inactive account's sessions and tokens stop
    working at once; nothing is deleted.

    Raises
    ------
    NotFoundError
        No such account.
    ConflictError
        The actor would deactivate itself, or the last active administrator.
    """
    row = _existing(session, username)
    if not active and username == actor.name:
        msg = "an administrator cannot deactivate their own account"
        raise ConflictError(msg, hint="ask another administrator")
    if not active and row.role == Role.REGION_ADMIN.value and row.active and \
            repo.active_count(session, role=Role.REGION_ADMIN.value) <= 1:
        msg = f"'{username}' is the last active administrator"
        raise ConflictError(msg, hint="create another administrator first")
    before = UserInfo.of(row).audit_state()
    if row.active == active:
        return UserInfo.of(row)
    with atomic(session, f"account '{username}'"):
        row.active = active
        row.updated_at = utc_now()
        session.flush()
        info = UserInfo.of(row)
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action="activate" if active else "deactivate", entity="user", entity_id=username,
                     before=before, after=info.audit_state())
    return info


def reset_password(session: Session, *, username: str, password: str, actor: Actor,
                   hasher: PasswordHasher | None = None) -> UserInfo:
    """Set a new password for a person's account (audited without the password or its hash).

    Raises
    ------
    NotFoundError
        No such account.
    InputError
        A meter gateway (it has no password), or the password breaks the policy.
    """
    row = _existing(session, username)
    if row.role == Role.MACHINE.value:
        msg = "a meter gateway account has no password; issue it a token"
        raise InputError(msg)
    check_password_policy(password, username=username)
    with atomic(session, f"account '{username}'"):
        row.password_hash = hash_password(password, hasher=hasher)
        row.updated_at = utc_now()
        session.flush()
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action="reset_password", entity="user", entity_id=username,
                     after=UserInfo.of(row).audit_state())
        info = UserInfo.of(row)
    return info
