"""The one transaction boundary for writes, and versioning that never overwrites.

Every write of a service runs inside :func:`atomic`::

    with atomic(session, "indicator value 150200/energy_intensity/2024"):
        session.add(row)
        record_audit(session, ...)

What :func:`atomic` does depends on who owns the transaction:

=========================================  ====================================================
the session has                            the write
=========================================  ====================================================
no transaction, or one a read began        runs in a savepoint; the transaction is committed at
(SQLAlchemy's *autobegin*)                 the end, or rolled back whole on any error
a transaction the caller began             runs in a savepoint; the caller commits, so several
(``with session.begin():``), or an open    writes can land together or not at all
savepoint (inside another ``atomic``)
=========================================  ====================================================

A write that collides with stored rows (a duplicate key, a concurrent writer) becomes a
:class:`~tanfeng.errors.ConflictError`; nothing of the write is kept.

Versioned records (indicator values, dispatch entries, reports) are never updated in place:
:func:`supersede` stamps the current version and tells the number of the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransactionOrigin

from tanfeng.errors import ConflictError

__all__ = ["Versioned", "atomic", "supersede"]


@contextmanager
def atomic(session: Session, what: str) -> Iterator[None]:
    """Run the block as one write; ``what`` names it in a conflict message ("plan 'im2022'").

    Raises
    ------
    ConflictError
        The write collides with stored data (unique key, foreign key, a concurrent writer).
    """
    tx = session.get_transaction()
    # inside another write's savepoint the outer write owns the transaction, whoever began it
    owned = (tx is None or tx.origin is SessionTransactionOrigin.AUTOBEGIN) and not session.in_nested_transaction()
    try:
        with session.begin_nested():
            yield
        if owned:
            session.commit()
    except IntegrityError as exc:
        if owned:
            session.rollback()
        first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        msg = f"{what} collides with stored data: {first}"
        raise ConflictError(msg, hint="nothing was written; reload and try again, or fix the duplicate") from exc
    except BaseException:
        if owned:
            session.rollback()
        raise


class Versioned(Protocol):
    """A row kept in versions: ``version`` counts from 1, ``superseded_at`` is set when a newer one lands."""

    version: int
    superseded_at: datetime | None


def supersede(current: Versioned | None, now: datetime) -> int:
    """Mark ``current`` superseded at ``now`` (when there is one) and return the next version number.

    The caller records the superseded version in the audit entry's *before* and adds the new row with the
    returned version; both happen inside one :func:`atomic` block.
    """
    if current is None:
        return 1
    current.superseded_at = now
    return current.version + 1
