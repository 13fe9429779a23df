"""Use cases around accounts: users, passwords, API tokens, logins, browser sessions.

Rules live in :mod:`tanfeng.access` (roles, policy, hashing, tokens, throttling); this module stores
what they produce and audits every change (the audit entries never hold a password hash or a token).
The principal's ``user_id`` is the account's user name.

Every write runs in :func:`tanfeng.store.transaction.atomic`: its own transaction, or a savepoint when the
caller began one (then the caller commits). Queries are :mod:`tanfeng.store.repository_accounts`'.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from tanfeng.access.credentials import (
    IssuedToken,
    LoginGuard,
    ThrottlePolicy,
    TokenRecord,
    check_password,
    check_password_policy,
    check_token,
    hash_password,
    issue_token,
    token_lookup_prefix,
)
from tanfeng.access.policy import Action, Principal, Role
from tanfeng.errors import AuthError, ConflictError, InputError, NotFoundError
from tanfeng.store import repository_accounts as repo
from tanfeng.store.models_access import ApiTokenRow, LoginEventRow, UserRow, WebSessionRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["ROLE_LABELS", "SESSION_TTL", "Actor", "TokenInfo", "UserInfo", "add_user", "authenticate",
           "authenticate_token", "create_admin", "end_session", "get_user", "issue_api_token", "list_tokens",
           "list_users", "load_guard", "principal_of", "revoke_api_token", "session_user", "start_session"]

SESSION_TTL = timedelta(hours=8)
"""How long a browser session lasts after login."""

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "region_admin": ("自治区管理员", "region administrator"),
    "office": ("领导小组办公室", "leading-group office"),
    "department": ("部门", "department"),
    "league": ("盟市", "league officer"),
    "county": ("旗县区", "county officer"),
    "enterprise": ("企业", "enterprise reporter"),
    "auditor": ("审计", "auditor"),
    "machine": ("计量网关", "meter gateway"),
    "public": ("公众", "public"),
}
"""Role → (Chinese, English) label for pages and listings."""


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

    @property
    def role_label_zh(self) -> str:
        """The role in Chinese."""
        return ROLE_LABELS[self.role.value][0]


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


def _now() -> datetime:
    return datetime.now(UTC)


def principal_of(user: UserInfo) -> Principal:
    """The principal an interactive session of ``user`` acts as."""
    return Principal(user_id=user.username, role=user.role, region_code=user.region_code,
                     department_code=user.department_code, unit_id=user.unit_id)


def _user_row(session: Session, username: str) -> UserRow | None:
    return repo.user(session, username=username)


def get_user(session: Session, username: str) -> UserInfo:
    """One account.

    Raises
    ------
    NotFoundError
        No account has that user name.
    """
    row = _user_row(session, username)
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
        if _user_row(session, username) is not None:
            msg = f"the user name '{username}' is taken"
            raise ConflictError(msg, hint="choose another user name")
        now = _now()
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


# ------------------------------------------------------------------------------------------------ logins

def load_guard(session: Session, *, clock: Callable[[], datetime] = _now,
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
    row = _user_row(session, username)
    usable = row is not None and row.active and row.password_hash is not None
    result = check_password(row.password_hash if usable and row is not None else None, password, hasher=hasher)
    ok = usable and result.ok
    with atomic(session, "a login attempt"):
        session.add(LoginEventRow(at=_now(), username=username.strip()[:200], client_address=client_address,
                                  success=ok))
        if ok and row is not None and result.new_hash is not None:
            row.password_hash = result.new_hash
            row.updated_at = _now()
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
    row = _user_row(session, user.username)
    if row is None:
        raise NotFoundError(f"no account '{user.username}'")  # noqa: EM102
    sid = secrets.token_urlsafe(32)
    now = _now()
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
    if web.expires_at <= _now() or not user.active:
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


# ------------------------------------------------------------------------------------------------ tokens

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
    issued = issue_token(user_id=username, role=role, scopes=wanted, now=_now(), ttl=timedelta(days=ttl_days),
                         unit_id=unit, region_code=region, department_code=department, label=label)
    rec = issued.record
    with atomic(session, f"API token {rec.prefix}"):
        row_user = _user_row(session, username)
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
            row.revoked_at = _now()
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
        return check_token(presented, None, now=now or _now())
    row, user = found
    principal = check_token(presented, _record(row, user.username), now=now or _now())
    if not user.active:
        msg = f"the account of API token {prefix}… is inactive"
        raise AuthError(msg)
    return principal
