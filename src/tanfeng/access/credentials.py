"""Passwords, API tokens and login throttling — pure functions and a state machine, no storage.

Passwords
    Hashed with argon2id (argon2-cffi's :class:`~argon2.PasswordHasher`, whose defaults are the RFC 9106
    low-memory profile: t=3, m=64 MiB, p=4). The encoded hash carries its own salt and parameters, so the
    store keeps one text column. :func:`check_password` also says when a stored hash was made with older
    parameters and returns the new hash to store (rehash on login). New passwords must pass
    :func:`check_password_policy`.

API tokens
    ``tfk_`` followed by ``secrets.token_urlsafe(32)`` (256 random bits). The token is shown once, when
    issued; the store keeps only its SHA-256 hash (a slow hash is not needed: the token is random, not
    chosen by a person) and its first 12 characters, the *lookup prefix*, in clear to find the record.
    The hash is compared with :func:`hmac.compare_digest`. A token belongs to one account, acts with
    that account's role (a meter gateway: role ``machine`` and one unit), is limited to its scopes, expires,
    and can be revoked.

Login throttling
    :class:`LoginGuard` counts failures per user name and per client address within a window; too many
    lock that user (or address) out for a while. It takes the clock as an argument, so it is tested
    with a fake clock.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tanfeng.access.policy import Action, Principal, Role
from tanfeng.errors import AuthError, InputError, LockedOutError, PasswordPolicyError

__all__ = [
    "TOKEN_LOOKUP_LENGTH",
    "TOKEN_MARK",
    "GuardDecision",
    "IssuedToken",
    "LoginGuard",
    "PasswordCheck",
    "PasswordPolicy",
    "ThrottlePolicy",
    "TokenRecord",
    "check_password",
    "check_password_policy",
    "check_token",
    "default_hasher",
    "hash_password",
    "hash_token",
    "issue_token",
    "password_problems",
    "revoke_token",
    "token_lookup_prefix",
    "verify_password",
]


# --------------------------------------------------------------------------------------------- passwords

@cache
def default_hasher() -> PasswordHasher:
    """The argon2id hasher used when none is given (argon2-cffi defaults: RFC 9106 low-memory profile)."""
    return PasswordHasher()


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    """The argon2id hash of ``password`` (encoded: algorithm, parameters, salt and hash in one string).

    Parameters
    ----------
    password
        The password; check it with :func:`check_password_policy` first when it is a new one.
    hasher
        The hasher; :func:`default_hasher` when not given. Tests pass a cheap one.
    """
    return (hasher or default_hasher()).hash(password)


def verify_password(stored_hash: str | None, password: str, *, hasher: PasswordHasher | None = None) -> bool:
    """Whether ``password`` matches ``stored_hash``.

    Parameters
    ----------
    stored_hash
        The stored argon2 hash; ``None`` for an unknown user — a dummy hash is checked instead, so an
        unknown user takes as long as a wrong password and user names cannot be probed by timing.
    password
        The password given at login.
    hasher
        The hasher; :func:`default_hasher` when not given.

    Raises
    ------
    InputError
        ``stored_hash`` is not an argon2 hash (the stored record is corrupt).
    """
    hasher = hasher or default_hasher()
    if stored_hash is None:
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(hasher), password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except VerificationError:  # includes VerifyMismatchError
        return False
    except InvalidHashError:
        msg = "the stored password hash is not an argon2 hash"
        raise InputError(msg, hint="reset the account's password; the stored value is corrupt") from None


class PasswordCheck(BaseModel):
    """The outcome of :func:`check_password`."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    new_hash: str | None = None
    """When ``ok`` and the stored hash used older parameters: the hash to store instead."""


def check_password(stored_hash: str | None, password: str, *,
                   hasher: PasswordHasher | None = None) -> PasswordCheck:
    """Verify a login password and rehash it when the stored hash's parameters are out of date.

    Parameters
    ----------
    stored_hash
        The stored hash, ``None`` for an unknown user (see :func:`verify_password`).
    password
        The password given at login.
    hasher
        The hasher with the current parameters; :func:`default_hasher` when not given.
    """
    hasher = hasher or default_hasher()
    if not verify_password(stored_hash, password, hasher=hasher) or stored_hash is None:
        return PasswordCheck(ok=False)
    if hasher.check_needs_rehash(stored_hash):
        return PasswordCheck(ok=True, new_hash=hasher.hash(password))
    return PasswordCheck(ok=True)


class PasswordPolicy(BaseModel):
    """Rules for a new password.

    A password needs at least ``min_length`` characters (Unicode code points; Chinese characters count
    one each), at most ``max_length`` (argon2 is slow on purpose, so unbounded input is refused), at least
    ``min_classes`` of the four character classes (lower-case letter, upper-case letter, digit, anything
    else — symbols, spaces, Chinese), and must differ from the user name (ignoring case and surrounding
    spaces).
    """

    model_config = ConfigDict(frozen=True)

    min_length: int = Field(default=12, ge=8)
    max_length: int = Field(default=1024, ge=64)
    min_classes: int = Field(default=2, ge=1, le=4)


def _classes(password: str) -> set[str]:
    found: set[str] = set()
    for ch in password:
        if ch.isdigit():
            found.add("digit")
        elif ch.isalpha() and ch.islower():
            found.add("lower")
        elif ch.isalpha() and ch.isupper():
            found.add("upper")
        else:
            found.add("other")
    return found


def password_problems(password: str, *, username: str | None = None,
                      policy: PasswordPolicy | None = None) -> list[str]:
    """Every rule of the policy ``password`` breaks, as sentences (empty: the password is acceptable)."""
    policy = policy or PasswordPolicy()
    problems: list[str] = []
    if len(password) < policy.min_length:
        problems.append(f"it has {len(password)} characters; at least {policy.min_length} are needed")
    if len(password) > policy.max_length:
        problems.append(f"it has {len(password)} characters; at most {policy.max_length} are allowed")
    classes = _classes(password)
    if password and len(classes) < policy.min_classes:
        problems.append(
            f"it uses only {len(classes)} kind of character; mix at least {policy.min_classes} of lower-case "
            f"letters, upper-case letters, digits and other characters (symbols, spaces, 汉字)")
    if username is not None and password.strip().casefold() == username.strip().casefold():
        problems.append("it is the same as the user name")
    return problems


def check_password_policy(password: str, *, username: str | None = None,
                          policy: PasswordPolicy | None = None) -> None:
    """Refuse a new password that breaks the policy.

    Raises
    ------
    PasswordPolicyError
        The message lists every rule the password breaks.
    """
    problems = password_problems(password, username=username, policy=policy)
    if problems:
        msg = "the password is not accepted: " + "; ".join(problems)
        raise PasswordPolicyError(msg, hint="choose a longer passphrase, e.g. four unrelated words with a digit")


# ------------------------------------------------------------------------------------------------ tokens

TOKEN_MARK = "tfk_"
"""Every API token starts with this, so a leaked token is recognisable (secret scanners, logs)."""

TOKEN_LOOKUP_LENGTH = 12
"""Characters of a token kept in clear (``tfk_`` and 8 random ones) to find its record."""

_TOKEN = re.compile(r"^tfk_[A-Za-z0-9_-]{43}$")


def hash_token(token: str) -> str:
    """The SHA-256 hex digest of a token (UTF-8), the only form in which it is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_lookup_prefix(token: str) -> str:
    """The lookup prefix of a presented token.

    Raises
    ------
    AuthError
        The text is not shaped like a tanfeng API token.
    """
    if not _TOKEN.match(token):
        msg = "malformed API token"
        raise AuthError(msg, hint=f"a token is '{TOKEN_MARK}' followed by 43 URL-safe characters")
    return token[:TOKEN_LOOKUP_LENGTH]


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{what} must be timezone-aware (UTC), got the naive datetime {value.isoformat()}"
        raise InputError(msg)
    return value


class TokenRecord(BaseModel):
    """What the store keeps of an API token: never the token itself.

    ``prefix`` must be unique in the store (a collision on issue: issue again).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    prefix: str = Field(min_length=TOKEN_LOOKUP_LENGTH, max_length=TOKEN_LOOKUP_LENGTH)
    token_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    user_id: str = Field(min_length=1)
    role: Role
    region_code: str | None = None
    department_code: str | None = None
    unit_id: str | None = None
    scopes: frozenset[Action]
    label: str = ""
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    @field_validator("created_at", "expires_at", "revoked_at")
    @classmethod
    def _tz(cls, value: datetime | None) -> datetime | None:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            msg = "token timestamps must be timezone-aware (UTC)"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _valid(self) -> TokenRecord:
        if not self.scopes:
            msg = "a token needs at least one scope"
            raise ValueError(msg)
        if self.expires_at <= self.created_at:
            msg = "a token must expire after it is created"
            raise ValueError(msg)
        self.principal()  # the role's own rules (a machine token needs a unit and only 'ingest')
        return self

    def principal(self) -> Principal:
        """The principal a request with this token acts as (its scopes restrict the role)."""
        return Principal(user_id=self.user_id, role=self.role, region_code=self.region_code,
                         department_code=self.department_code, unit_id=self.unit_id,
                         token_scopes=self.scopes)


class IssuedToken(BaseModel):
    """A newly issued token: ``token`` is shown to the user once and never stored; store ``record``."""

    model_config = ConfigDict(frozen=True)

    token: str
    record: TokenRecord


def issue_token(*, user_id: str, role: Role, scopes: Iterable[Action], now: datetime, ttl: timedelta,
                unit_id: str | None = None, region_code: str | None = None,
                department_code: str | None = None, label: str = "") -> IssuedToken:
    """Make a new API token.

    Parameters
    ----------
    user_id, role, unit_id, region_code, department_code
        The account the token acts for and its role's attributes (a meter gateway: role ``machine``,
        the unit id, scopes ``{ingest}``).
    scopes
        The actions the token allows; the role's permissions still apply.
    now
        The current time (timezone-aware).
    ttl
        How long the token is valid.
    label
        A note for the owner (e.g. the gateway's name).

    Raises
    ------
    InputError
        ``now`` is naive, ``ttl`` is not positive, or the role's attributes or scopes do not fit.
    """
    now = _aware(now, "now")
    if ttl <= timedelta(0):
        msg = f"a token's ttl must be positive, got {ttl}"
        raise InputError(msg)
    token = TOKEN_MARK + secrets.token_urlsafe(32)
    try:
        record = TokenRecord(prefix=token[:TOKEN_LOOKUP_LENGTH], token_hash=hash_token(token), user_id=user_id,
                             role=role, region_code=region_code, department_code=department_code,
                             unit_id=unit_id, scopes=frozenset(scopes), label=label, created_at=now,
                             expires_at=now + ttl)
    except ValueError as exc:
        msg = f"cannot issue this token: {exc}"
        raise InputError(msg) from None
    return IssuedToken(token=token, record=record)


def check_token(presented: str, record: TokenRecord | None, *, now: datetime) -> Principal:
    """Authenticate a presented token against the record found by its lookup prefix.

    Parameters
    ----------
    presented
        The token from the request.
    record
        The record whose ``prefix`` is :func:`token_lookup_prefix` of ``presented``; ``None`` if none.
    now
        The current time (timezone-aware).

    Returns
    -------
    Principal
        Who the request acts as, with the token's scopes.

    Raises
    ------
    AuthError
        Malformed, unknown, not matching, revoked or expired (the message says which; show users a
        generic text).
    """
    now = _aware(now, "now")
    prefix = token_lookup_prefix(presented)
    if record is None or record.prefix != prefix:
        msg = "unknown API token"
        raise AuthError(msg)
    if not hmac.compare_digest(hash_token(presented), record.token_hash):
        msg = "API token does not match its record"
        raise AuthError(msg)
    if record.revoked_at is not None and record.revoked_at <= now:
        msg = f"API token {record.prefix}… was revoked at {record.revoked_at.isoformat()}"
        raise AuthError(msg)
    if now >= record.expires_at:
        msg = f"API token {record.prefix}… expired at {record.expires_at.isoformat()}"
        raise AuthError(msg, hint="issue a new token")
    return record.principal()


def revoke_token(record: TokenRecord, *, now: datetime) -> TokenRecord:
    """The record, revoked from ``now`` on (revoking again keeps the first time)."""
    now = _aware(now, "now")
    if record.revoked_at is not None:
        return record
    return record.model_copy(update={"revoked_at": now})


# ------------------------------------------------------------------------------------------- throttling

class ThrottlePolicy(BaseModel):
    """How many failed logins within ``window`` lock a user name or a client address out, and for how long.

    An address gets a higher limit than a user name: many people may share one address (an office
    behind one NAT).
    """

    model_config = ConfigDict(frozen=True)

    max_failures_per_user: int = Field(default=5, ge=1)
    max_failures_per_address: int = Field(default=20, ge=1)
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    success_resets_address: bool = False
    """A success always clears its user's failures. By default not its address's: otherwise someone
    with one valid account could clear the address counter between guesses at other accounts."""


class GuardDecision(BaseModel):
    """Whether a login attempt may proceed now."""

    model_config = ConfigDict(frozen=True)

    allowed: bool
    retry_after: timedelta | None = None
    reason: str

    def raise_if_denied(self) -> None:
        """Raise :class:`~tanfeng.errors.LockedOutError` when the attempt is not allowed."""
        if not self.allowed:
            seconds = int((self.retry_after or timedelta(0)).total_seconds() + 0.999)
            raise LockedOutError(self.reason, retry_after_seconds=seconds)


@dataclass
class _Counter:
    failures: list[datetime] = field(default_factory=list)
    locked_until: datetime | None = None


class LoginGuard:
    """Login throttling as a state machine over an injected clock.

    Per key (the user name, case-folded, and the client address) the state is *open* (with the times of
    recent failures) or *locked until* a time. A failure in the open state is recorded; when the failures
    within ``window`` reach the limit the key is locked for ``lockout`` and its failures are forgotten.
    When the lock-out has passed the key is open again with no failures. A success clears the user's
    key (and, if the policy says so, the address's).

    Use: ``guard.check(user, addr).raise_if_denied()`` before verifying the password, then
    ``record_failure`` or ``record_success``. While locked, even the right password is refused.

    The state is in memory, per process; several workers need a shared store (not done yet).

    Parameters
    ----------
    clock
        Returns the current time, timezone-aware.
    policy
        Limits; :class:`ThrottlePolicy` defaults when not given.
    """

    def __init__(self, clock: Callable[[], datetime], policy: ThrottlePolicy | None = None) -> None:
        self._clock = clock
        self.policy = policy or ThrottlePolicy()
        self._counters: dict[tuple[str, str], _Counter] = {}

    def _now(self) -> datetime:
        return _aware(self._clock(), "the clock's time")

    def _keys(self, username: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("user", username.strip().casefold())]
        if address:
            keys.append(("address", address.strip()))
        return keys

    def _limit(self, key: tuple[str, str]) -> int:
        return self.policy.max_failures_per_user if key[0] == "user" else self.policy.max_failures_per_address

    def _settle(self, key: tuple[str, str], now: datetime) -> _Counter | None:
        counter = self._counters.get(key)
        if counter is None:
            return None
        if counter.locked_until is not None and now >= counter.locked_until:
            del self._counters[key]
            return None
        counter.failures = [t for t in counter.failures if now - t < self.policy.window]
        return counter

    def check(self, username: str, address: str | None = None) -> GuardDecision:
        """Whether ``username`` from ``address`` may try to log in now."""
        now = self._now()
        locks: list[tuple[datetime, str]] = []
        for key in self._keys(username, address):
            counter = self._settle(key, now)
            if counter is not None and counter.locked_until is not None:
                locks.append((counter.locked_until, key[0]))
        if not locks:
            return GuardDecision(allowed=True, reason="not locked")
        until, what = max(locks)
        return GuardDecision(allowed=False, retry_after=until - now, reason=(
            f"too many failed logins for this {'user' if what == 'user' else 'client address'}; "
            f"try again after {until.isoformat()}"))

    def record_failure(self, username: str, address: str | None = None) -> GuardDecision:
        """Record a failed login; the result says whether the next attempt may proceed."""
        now = self._now()
        for key in self._keys(username, address):
            counter = self._settle(key, now)
            if counter is None:
                counter = self._counters[key] = _Counter()
            if counter.locked_until is not None:
                continue
            counter.failures.append(now)
            if len(counter.failures) >= self._limit(key):
                counter.locked_until = now + self.policy.lockout
                counter.failures = []
        return self.check(username, address)

    def record_success(self, username: str, address: str | None = None) -> None:
        """Record a successful login: the user's failures are forgotten."""
        keys = self._keys(username, address)
        self._counters.pop(keys[0], None)
        if self.policy.success_resets_address and len(keys) > 1:
            self._counters.pop(keys[1], None)

    def prune(self) -> int:
        """Forget keys with no recent failures and no lock-out (call now and then); returns how many."""
        now = self._now()
        stale = [k for k in list(self._counters) if (c := self._settle(k, now)) is None
                 or (c.locked_until is None and not c.failures)]
        for key in stale:
            self._counters.pop(key, None)
        return len(stale)
