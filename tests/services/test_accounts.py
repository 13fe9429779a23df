"""Accounts service on SQLite and PostgreSQL: users, logins, sessions, tokens — audited, never storing secrets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.access import Role
from tanfeng.access.credentials import ThrottlePolicy
from tanfeng.errors import AuthError, ConflictError, InputError, LockedOutError, PasswordPolicyError
from tanfeng.services import accounts
from tanfeng.services import audit as audit_service
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.store.models import AuditRow

PASSWORD = "Steppe-Solar-2030!"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ACTOR = accounts.Actor(name="tester", role="region_admin", client_address="198.51.100.1")


@pytest.fixture
def session(engine_url: str) -> Iterator[Session]:
    upgrade(engine_url)
    engine = make_engine(engine_url)
    with make_session_factory(engine)() as s:
        yield s
    engine.dispose()


def _add(session: Session, username: str, role: str = "league", **attrs: str) -> accounts.UserInfo:
    attrs = attrs or ({"region_code": "150600"} if role == "league" else {})
    return accounts.add_user(session, username=username, role=role, password=PASSWORD, actor=ACTOR, hasher=CHEAP,
                             **attrs)


def test_add_user_is_audited_without_the_hash(session: Session) -> None:
    user = _add(session, "erdos")
    assert (user.role, user.region_code, user.has_password) == (Role.LEAGUE, "150600", True)
    row = session.scalars(select(AuditRow).where(AuditRow.entity == "user")).one()
    assert (row.actor, row.actor_role, row.client_address, row.action) == ("tester", "region_admin",
                                                                           "198.51.100.1", "create")
    assert "argon2" not in str(row.after)
    assert audit_service.verify_chain(session).ok


def test_role_attributes_and_policy_are_enforced(session: Session) -> None:
    with pytest.raises(InputError, match="league"):
        _add(session, "bad", "league", region_code="150602")
    with pytest.raises(PasswordPolicyError):
        accounts.add_user(session, username="weak", role="auditor", password="short", actor=ACTOR)
    with pytest.raises(InputError, match="password"):
        accounts.add_user(session, username="nopass", role="auditor", actor=ACTOR)
    _add(session, "dup", "auditor")
    with pytest.raises(ConflictError):
        _add(session, "dup", "auditor")


def test_only_one_admin_unless_forced(session: Session) -> None:
    accounts.create_admin(session, username="root1", password=PASSWORD, actor=ACTOR, hasher=CHEAP)
    with pytest.raises(ConflictError, match="exists"):
        accounts.create_admin(session, username="root2", password=PASSWORD, actor=ACTOR, hasher=CHEAP)
    assert accounts.create_admin(session, username="root2", password=PASSWORD, actor=ACTOR, hasher=CHEAP,
                                 force=True).role is Role.REGION_ADMIN


def test_authenticate_records_events_and_locks_out(session: Session) -> None:
    _add(session, "erdos")
    guard = accounts.load_guard(session)
    assert accounts.authenticate(session, username="erdos", password=PASSWORD, guard=guard).username == "erdos"
    for _ in range(4):
        with pytest.raises(AuthError, match="wrong user name or password"):
            accounts.authenticate(session, username="erdos", password="nope-nope-nope", guard=guard)
    with pytest.raises(LockedOutError):
        accounts.authenticate(session, username="erdos", password="nope-nope-nope", guard=guard)
    session.commit()
    # a new guard (a restarted server) reads the lock-out back from login_events
    with pytest.raises(LockedOutError):
        accounts.authenticate(session, username="erdos", password=PASSWORD, guard=accounts.load_guard(session))
    later = datetime.now(UTC) + timedelta(hours=1)
    fresh = accounts.load_guard(session, clock=lambda: later, policy=ThrottlePolicy())
    assert fresh.check("erdos").allowed


def test_unknown_user_gets_the_same_error(session: Session) -> None:
    guard = accounts.load_guard(session)
    with pytest.raises(AuthError, match="wrong user name or password"):
        accounts.authenticate(session, username="ghost", password=PASSWORD, guard=guard)


def test_sessions_start_resolve_and_end(session: Session) -> None:
    user = _add(session, "erdos")
    sid = accounts.start_session(session, user, client_address="203.0.113.5")
    session.commit()
    assert accounts.session_user(session, sid) == user
    assert accounts.session_user(session, sid + "x") is None
    accounts.end_session(session, sid)
    session.commit()
    assert accounts.session_user(session, sid) is None
    actions = [r.action for r in session.scalars(select(AuditRow).where(AuditRow.entity == "session"))]
    assert actions == ["login", "logout"]


def test_expired_session_is_gone(session: Session) -> None:
    user = _add(session, "erdos")
    sid = accounts.start_session(session, user, ttl=timedelta(microseconds=1))
    session.commit()
    assert accounts.session_user(session, sid) is None


def test_tokens_issue_check_revoke(session: Session) -> None:
    _add(session, "ent", "enterprise", unit_id="U-A")
    with pytest.raises(InputError, match="unit"):
        accounts.issue_api_token(session, username="ent", scopes=["ingest"], unit_id="U-B", actor=ACTOR)
    issued = accounts.issue_api_token(session, username="ent", scopes=["ingest"], unit_id="U-A", actor=ACTOR)
    session.commit()
    principal = accounts.authenticate_token(session, issued.token)
    assert (principal.role, principal.unit_id, principal.user_id) == (Role.MACHINE, "U-A", "ent")
    read = accounts.issue_api_token(session, username="ent", scopes=["read"], actor=ACTOR)
    assert accounts.authenticate_token(session, read.token).role is Role.ENTERPRISE
    accounts.revoke_api_token(session, prefix=issued.record.prefix, actor=ACTOR)
    session.commit()
    with pytest.raises(AuthError, match="revoked"):
        accounts.authenticate_token(session, issued.token)
    with pytest.raises(AuthError):
        accounts.authenticate_token(session, "tfk_" + "B" * 43)
    assert audit_service.verify_chain(session).ok
