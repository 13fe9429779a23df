"""Reading and writing stored accounting runs and their lines. Session first, keywords after it.

The writes here add rows to the session and nothing else: the accounting service wraps them, the audit
entry and the import-batch row in one :func:`tanfeng.store.transaction.atomic` block.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tanfeng.store.models_accounting import AccountingLineRow, AccountingRunRow

__all__ = [
    "add_lines",
    "add_run",
    "count_lines",
    "count_runs",
    "get_line",
    "get_run",
    "list_lines",
    "list_runs",
]


def add_run(session: Session, *, row: AccountingRunRow) -> int:
    """Add a run and flush it; returns its new id."""
    session.add(row)
    session.flush()
    return row.id


def add_lines(session: Session, *, run_id: int, lines: Sequence[dict[str, Any]]) -> None:
    """Add a run's lines, numbered from 1 in the order given (nothing when there are none)."""
    if lines:
        session.execute(insert(AccountingLineRow),
                        [{"run_id": run_id, "line_no": n, **line} for n, line in enumerate(lines, start=1)])


def get_run(session: Session, *, run_id: int) -> AccountingRunRow | None:
    """The run with that id, or None."""
    return session.get(AccountingRunRow, run_id)


def count_runs(session: Session) -> int:
    """How many runs are stored."""
    return session.scalar(select(func.count()).select_from(AccountingRunRow)) or 0


def list_runs(session: Session, *, kind: str | None = None, region: str | None = None,
              year: int | None = None) -> list[AccountingRunRow]:
    """Stored runs, oldest first, of one kind, region (code as stored) and year when given."""
    query = select(AccountingRunRow)
    if kind is not None:
        query = query.where(AccountingRunRow.kind == kind)
    if region is not None:
        query = query.where(AccountingRunRow.region == region)
    if year is not None:
        query = query.where(AccountingRunRow.year == year)
    return list(session.scalars(query.order_by(AccountingRunRow.id)))


def get_line(session: Session, *, run_id: int, line_no: int) -> AccountingLineRow | None:
    """Line ``line_no`` of a run, or None."""
    return session.get(AccountingLineRow, (run_id, line_no))


def count_lines(session: Session, *, run_id: int) -> int:
    """How many lines a run has."""
    return session.scalar(select(func.count()).select_from(AccountingLineRow)
                          .where(AccountingLineRow.run_id == run_id)) or 0


def list_lines(session: Session, *, run_id: int, category: str | None = None) -> list[AccountingLineRow]:
    """A run's lines in order, of one category when given."""
    query = select(AccountingLineRow).where(AccountingLineRow.run_id == run_id)
    if category is not None:
        query = query.where(AccountingLineRow.category == category)
    return list(session.scalars(query.order_by(AccountingLineRow.line_no)))
