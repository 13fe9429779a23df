"""Queries of the audit trail beyond :func:`tanfeng.store.repository.list_audit`: the chain in verification
order, and the newest entries (keyword-only). Entries are written only by
:func:`tanfeng.store.repository.record_audit`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tanfeng.store.models import AuditRow

__all__ = ["AuditFilter", "actions", "chain", "count", "newest", "page"]

_T = TypeVar("_T", bound=Any)


@dataclass(frozen=True)
class AuditFilter:
    """What an audit reader narrows the log to; ``None`` leaves a field open. ``since`` is inclusive, ``until``
    exclusive (UTC instants)."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(q: Select[_T], f: AuditFilter) -> Select[_T]:
    if f.actor is not None:
        q = q.where(AuditRow.actor == f.actor)
    if f.action is not None:
        q = q.where(AuditRow.action == f.action)
    if f.entity is not None:
        q = q.where(AuditRow.entity == f.entity)
    if f.entity_id is not None:
        q = q.where(AuditRow.entity_id == f.entity_id)
    if f.since is not None:
        q = q.where(AuditRow.at >= f.since)
    if f.until is not None:
        q = q.where(AuditRow.at < f.until)
    return q


def page(session: Session, f: AuditFilter, *, limit: int, offset: int = 0) -> list[AuditRow]:
    """Entries matching ``f``, newest first, ``limit`` of them after skipping ``offset``."""
    q = _filtered(select(AuditRow), f).order_by(AuditRow.seq.desc()).limit(limit).offset(offset)
    return list(session.scalars(q))


def count(session: Session, f: AuditFilter) -> int:
    """How many entries match ``f``."""
    return session.scalar(_filtered(select(func.count()).select_from(AuditRow), f)) or 0


def actions(session: Session) -> list[str]:
    """Every action the log holds, sorted (for the filter's choices)."""
    return sorted(session.scalars(select(AuditRow.action).distinct()))


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
