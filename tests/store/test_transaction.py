"""The one transaction boundary: who commits, what a failure leaves, and nesting."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tanfeng.store.engine import make_session_factory
from tanfeng.store.models import ImportBatchRow, utcnow
from tanfeng.store.transaction import atomic, supersede


def _batch(name: str) -> ImportBatchRow:
    return ImportBatchRow(kind="test", name=name, rows=0, content_hash="0" * 64, status="ok", actor="test",
                          at=utcnow())


def _count(engine: Engine) -> int:
    with make_session_factory(engine)() as other:
        return other.scalar(select(func.count()).select_from(ImportBatchRow)) or 0


def test_a_write_of_its_own_is_committed(engine: Engine, session: Session) -> None:
    session.scalar(select(func.count()).select_from(ImportBatchRow))  # a read began the transaction
    with atomic(session, "a batch"):
        session.add(_batch("one"))
    assert not session.in_transaction()
    assert _count(engine) == 1  # seen from another connection: committed


def test_a_failed_write_leaves_nothing(engine: Engine, session: Session) -> None:
    def write() -> None:
        with atomic(session, "a batch"):
            session.add(_batch("one"))
            session.flush()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write()
    assert _count(engine) == 0


def test_inside_a_callers_transaction_the_caller_commits(engine: Engine, session: Session) -> None:
    with session.begin():
        with atomic(session, "first"):
            session.add(_batch("one"))
        with atomic(session, "second"):
            session.add(_batch("two"))
        assert _count(engine) == 0  # nothing committed before the caller's block ends
    assert _count(engine) == 2


def test_a_nested_write_does_not_commit_the_outer_one(engine: Engine, session: Session) -> None:
    # the inner block sits in the outer one's savepoint: it must not commit the outer write half-way
    seen_inside: list[int] = []
    session.scalar(select(func.count()).select_from(ImportBatchRow))  # a read first: the transaction autobegins

    def write() -> None:
        with atomic(session, "outer"):
            session.add(_batch("outer"))
            with atomic(session, "inner"):
                session.add(_batch("inner"))
            seen_inside.append(_count(engine))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write()
    assert seen_inside == [0]
    assert _count(engine) == 0


class _Version:
    def __init__(self, version: int) -> None:
        self.version = version
        self.superseded_at = None


def test_supersede_numbers_the_next_version_and_stamps_the_current() -> None:
    now = utcnow()
    assert supersede(None, now) == 1
    current = _Version(3)
    assert supersede(current, now) == 4
    assert current.superseded_at == now
