"""Password hashing and policy, API tokens."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type

from tanfeng.access.credentials import (
    TOKEN_LOOKUP_LENGTH,
    PasswordPolicy,
    check_password,
    check_password_policy,
    check_token,
    default_hasher,
    hash_password,
    hash_token,
    issue_token,
    password_problems,
    revoke_token,
    token_lookup_prefix,
    verify_password,
)
from tanfeng.access.policy import Action, Resource, ResourceKind, Role, authorize
from tanfeng.errors import AuthError, InputError, PasswordPolicyError

# Cheap parameters so the tests run fast; the shipped default is checked separately.
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
PASSWORD = "草原风电2030-达峰"


def test_default_hasher_is_argon2id_rfc9106_low_memory() -> None:
    hasher = default_hasher()
    assert hasher.type is Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)


def test_hash_and_verify() -> None:
    stored = hash_password(PASSWORD, hasher=FAST)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert verify_password(stored, PASSWORD, hasher=FAST)
    assert not verify_password(stored, PASSWORD + "x", hasher=FAST)
    assert hash_password(PASSWORD, hasher=FAST) != stored  # a fresh salt each time


def test_unknown_user_is_a_failed_check() -> None:
    assert not verify_password(None, PASSWORD, hasher=FAST)
    assert check_password(None, PASSWORD, hasher=FAST).ok is False


def test_corrupt_stored_hash_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not an argon2 hash"):
        verify_password("plain-text-password", PASSWORD, hasher=FAST)


def test_check_password_rehashes_old_parameters() -> None:
    old = hash_password(PASSWORD, hasher=FAST)
    current = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    result = check_password(old, PASSWORD, hasher=current)
    assert result.ok
    assert result.new_hash is not None
    assert "t=2" in result.new_hash
    assert verify_password(result.new_hash, PASSWORD, hasher=current)
    same = check_password(result.new_hash, PASSWORD, hasher=current)
    assert same.ok
    assert same.new_hash is None
    wrong = check_password(old, "wrong password 1", hasher=current)
    assert not wrong.ok
    assert wrong.new_hash is None


@pytest.mark.parametrize(("password", "username", "problem"), [
    ("Short1!", None, "7 characters; at least 12"),
    ("abcdefghijklmnop", None, "only 1 kind of character"),
    ("1234567890123", None, "only 1 kind of character"),
    ("碳达峰碳中和行动方案实施", None, "only 1 kind of character"),
    ("Wang.Xiaoming1", "wang.xiaoming1", "same as the user name"),
    ("  Wang.Xiaoming1 ", "Wang.Xiaoming1", "same as the user name"),
])
def test_password_policy_refuses(password: str, username: str | None, problem: str) -> None:
    with pytest.raises(PasswordPolicyError, match=problem):
        check_password_policy(password, username=username)


@pytest.mark.parametrize("password", ["correct horse battery", "碳达峰碳中和行动方案2030", "Abcdefghijkl"])
def test_password_policy_accepts(password: str) -> None:
    check_password_policy(password, username="wang")
    assert password_problems(password, username="wang") == []


def test_password_policy_lists_every_problem() -> None:
    problems = password_problems("aaaa", username="aaaa")
    assert len(problems) == 3
    with pytest.raises(PasswordPolicyError, match=r"at least 12.*only 1 kind.*user name"):
        check_password_policy("aaaa", username="aaaa")


def test_password_policy_upper_bound() -> None:
    assert any("at most 64" in p for p in password_problems("Ab1" * 30, policy=PasswordPolicy(max_length=64)))


def _gateway_token() -> str:
    return issue_token(user_id="gw-1", role=Role.MACHINE, unit_id="E-001", scopes={Action.INGEST}, now=T0,
                       ttl=timedelta(days=365), label="包头 gateway 3").token


def test_issued_token_is_stored_only_as_a_hash() -> None:
    issued = issue_token(user_id="gw-1", role=Role.MACHINE, unit_id="E-001", scopes={Action.INGEST}, now=T0,
                         ttl=timedelta(days=30))
    token, record = issued.token, issued.record
    assert token.startswith("tfk_")
    assert len(token) == 4 + 43
    assert record.prefix == token[:TOKEN_LOOKUP_LENGTH] == token_lookup_prefix(token)
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    assert token not in record.model_dump_json()
    assert record.expires_at == T0 + timedelta(days=30)


def test_tokens_are_unique() -> None:
    tokens = {_gateway_token() for _ in range(20)}
    assert len(tokens) == 20


def test_check_token_gives_the_scoped_principal() -> None:
    issued = issue_token(user_id="gw-1", role=Role.MACHINE, unit_id="E-001", scopes={Action.INGEST}, now=T0,
                         ttl=timedelta(days=30))
    principal = check_token(issued.token, issued.record, now=T0 + timedelta(days=1))
    assert principal.role is Role.MACHINE
    assert principal.unit_id == "E-001"
    assert principal.token_scopes == {Action.INGEST}
    own = Resource(kind=ResourceKind.ENTERPRISE_DATA, unit_id="E-001", region_code="150205")
    assert authorize(principal, Action.INGEST, own).allowed
    assert not authorize(principal, Action.READ, own).allowed
    other = Resource(kind=ResourceKind.ENTERPRISE_DATA, unit_id="E-002", region_code="150205")
    assert not authorize(principal, Action.INGEST, other).allowed


def test_personal_token_keeps_the_accounts_role() -> None:
    issued = issue_token(user_id="hhht-1", role=Role.LEAGUE, region_code="150100", scopes={Action.READ},
                         now=T0, ttl=timedelta(days=7))
    principal = check_token(issued.token, issued.record, now=T0)
    region = Resource(kind=ResourceKind.REGION_DATA, region_code="150102")
    assert authorize(principal, Action.READ, region).allowed
    assert not authorize(principal, Action.UPDATE, region).allowed


def test_check_token_refusals() -> None:
    issued = issue_token(user_id="gw-1", role=Role.MACHINE, unit_id="E-001", scopes={Action.INGEST}, now=T0,
                         ttl=timedelta(days=30))
    token, record = issued.token, issued.record
    with pytest.raises(AuthError, match="malformed"):
        check_token("Bearer " + token, record, now=T0)
    with pytest.raises(AuthError, match="unknown"):
        check_token(token, None, now=T0)
    forged = token[:TOKEN_LOOKUP_LENGTH] + ("A" if token[-1] != "A" else "B") * (len(token) - TOKEN_LOOKUP_LENGTH)
    with pytest.raises(AuthError, match="does not match"):
        check_token(forged, record, now=T0)
    with pytest.raises(AuthError, match="expired"):
        check_token(token, record, now=T0 + timedelta(days=30))
    revoked = revoke_token(record, now=T0 + timedelta(hours=1))
    assert check_token(token, revoked, now=T0 + timedelta(minutes=59)).unit_id == "E-001"
    with pytest.raises(AuthError, match="revoked"):
        check_token(token, revoked, now=T0 + timedelta(hours=1))


def test_revoking_twice_keeps_the_first_time() -> None:
    record = issue_token(user_id="gw-1", role=Role.MACHINE, unit_id="E-001", scopes={Action.INGEST}, now=T0,
                         ttl=timedelta(days=30)).record
    once = revoke_token(record, now=T0 + timedelta(hours=1))
    twice = revoke_token(once, now=T0 + timedelta(hours=5))
    assert twice.revoked_at == T0 + timedelta(hours=1)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"role": Role.MACHINE, "scopes": {Action.INGEST}}, "unit_id"),
    ({"role": Role.MACHINE, "unit_id": "E-1", "scopes": {Action.READ}}, "token_scopes"),
    ({"role": Role.ENTERPRISE, "unit_id": "E-1", "scopes": set()}, "at least one scope"),
    ({"role": Role.ENTERPRISE, "unit_id": "E-1", "scopes": {Action.READ}, "ttl": timedelta(0)}, "positive"),
    ({"role": Role.ENTERPRISE, "unit_id": "E-1", "scopes": {Action.READ}, "now": datetime(2026, 3, 1)},
     "timezone-aware"),
])
def test_issue_token_refuses_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"user_id": "u", "now": T0, "ttl": timedelta(days=1), **kwargs}
    with pytest.raises(InputError, match=message):
        issue_token(**args)  # type: ignore[arg-type]  # deliberately untyped bad input
