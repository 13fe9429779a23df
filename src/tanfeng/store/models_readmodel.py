"""The version of the tracking read model: one row every write to its tables bumps, in the write's transaction.

Tables
------
``read_versions``   one row per read model (``topic``: ``tracking``) with a counter and a random ``stamp``.
                    Every flush that adds, changes or deletes a row of the tables the tracking figures are
                    computed from (:data:`TRACKED_TABLES`), and every bulk statement on them, sets a new
                    stamp and adds one to the counter in the same transaction, so a cache keyed by the stamp
                    is never served after the data changed, in any process that reads the row. The stamp is
                    random, so two databases never share one (a cache may serve several stores).

Its migration is the ``readmodel`` branch (``k0001``). Writes that bypass the ORM (SQL typed by hand)
must call :func:`bump` themselves; :func:`tanfeng.store.repository_tracking.bump_read_version` is the one
function services call when they write something the listener cannot see.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Integer, String, event, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from tanfeng.store.models import Base

__all__ = ["TRACKED_TABLES", "TRACKING", "Base", "ReadVersionRow", "bump", "read_stamp"]

TRACKING = "tracking"
"""The topic of the tracking read model's row."""

TRACKED_TABLES = frozenset({
    "indicator_values", "reference_statistics", "dispatch_periods", "dispatch_entries", "regions",
    "plans", "plan_parts", "plan_actions", "plan_measures", "plan_targets", "import_batches",
})
"""Tables the tracking figures, statuses, warnings and changes are computed from."""


class ReadVersionRow(Base):
    """The version of one read model: a counter and a random stamp, both new after every write."""

    __tablename__ = "read_versions"

    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, nullable=False)
    stamp: Mapped[str] = mapped_column(String(32), nullable=False)


def bump(conn: Connection, topic: str = TRACKING) -> None:
    """Set a new stamp and add one to the counter of ``topic``, on ``conn`` (the writer's transaction)."""
    stamp = secrets.token_hex(16)
    done = conn.execute(update(ReadVersionRow).where(ReadVersionRow.topic == topic)
                        .values(counter=ReadVersionRow.counter + 1, stamp=stamp))
    if done.rowcount == 0:
        conn.execute(insert(ReadVersionRow).values(topic=topic, counter=1, stamp=stamp))


def read_stamp(conn: Connection, topic: str = TRACKING) -> str | None:
    """The current stamp of ``topic`` (None before the first write of a store made without the migration)."""
    return conn.execute(select(ReadVersionRow.stamp).where(ReadVersionRow.topic == topic)).scalar_one_or_none()


def _tables_of(objects: Any) -> set[str]:
    return {getattr(o, "__tablename__", "") for o in objects}


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = _tables_of(session.new) | _tables_of(session.dirty) | _tables_of(session.deleted)
    if changed & TRACKED_TABLES:
        bump(session.connection())


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in TRACKED_TABLES:
        bump(state.session.connection())
