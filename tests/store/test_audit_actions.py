"""The audit page's list of actions (a loose index scan over ``ix_audit_log_action``), on SQLite and PostgreSQL:
each action the log holds once, sorted, whatever the order and repetition of the entries; none for an empty log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tanfeng.store import repository_audit
from tanfeng.store.repository import record_audit

ACTIONS_AS_LOGGED = ["update", "insert", "login", "update", "reading_batch", "insert", "delete", "login", "update"]


def test_an_empty_log_offers_no_action(session: Session) -> None:
    assert repository_audit.actions(session) == []


def test_each_action_once_sorted(session: Session) -> None:
    with session.begin():
        for i, action in enumerate(ACTIONS_AS_LOGGED):
            record_audit(session, actor=f"user{i}", action=action, entity="region_data", entity_id=f"r{i}",
                         before=None, after={"value": i}, actor_role="league")
    assert repository_audit.actions(session) == ["delete", "insert", "login", "reading_batch", "update"]
