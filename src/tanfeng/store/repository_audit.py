"""Queries of the audit trail beyond :func:`tanfeng.store.repository.list_audit`: the chain in verification
order, and the newest entries (keyword-only). Entries are written only by
:func:`tanfeng.store.repository.record_audit`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.store.models import AuditRow

__all__ = ["chain", "newest"]


def chain(session: Session) -> list[AuditRow]:
    """Every entry in chain order (``seq``, then row id for a tampered duplicate seq)."""
    return list(session.scalars(select(AuditRow).order_by(AuditRow.seq, AuditRow.id)))


def newest(session: Session, *, limit: int, entity: str | None = None, entity_id: str | None = None) -> list[AuditRow]:
    """The newest ``limit`` entries (of one entity, and id, when given), oldest first."""
    q = select(AuditRow)
    if entity is not None:
        q = q.where(AuditRow.entity == entity)
    if entity_id is not None:
        q = q.where(AuditRow.entity_id == entity_id)
    return list(session.scalars(q.order_by(AuditRow.seq.desc()).limit(limit)))[::-1]
