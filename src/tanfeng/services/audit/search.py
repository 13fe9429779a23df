"""The audit log as an auditor reads it: filtered by user, Beijing-time days, entity and action, a page at a
time, or every match for an export."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import InputError, at
from tanfeng.services.audit.schemas import AuditEntryOut
from tanfeng.store import repository_audit
from tanfeng.store.repository_audit import AuditFilter

__all__ = ["EXPORT_LIMIT", "AuditPage", "AuditQuery", "known_actions", "search"]

EXPORT_LIMIT = 50_000
"""The most entries one export holds (a narrower filter gets the rest)."""

_BEIJING = ZoneInfo("Asia/Shanghai")


class AuditQuery(BaseModel):
    """What the reader asked for: ``date_from`` … ``date_to`` are days in Beijing time, both included."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class AuditPage(BaseModel):
    """One page of matching entries, newest first, and how many match in all."""

    entries: list[AuditEntryOut]
    total: int
    before: int | None
    limit: int


def _filter(q: AuditQuery) -> AuditFilter:
    if q.date_from is not None and q.date_to is not None and q.date_to < q.date_from:
        msg = f"'to' ({q.date_to}) is before 'from' ({q.date_from})"
        raise InputError(msg, location=at(field="date_to"))
    since = (datetime.combine(q.date_from, time(0), tzinfo=_BEIJING).astimezone(UTC)
             if q.date_from is not None else None)
    until = (datetime.combine(q.date_to + timedelta(days=1), time(0), tzinfo=_BEIJING).astimezone(UTC)
             if q.date_to is not None else None)
    return AuditFilter(actor=q.actor, action=q.action, entity=q.entity, entity_id=q.entity_id, since=since,
                       until=until)


def search(session: Session, query: AuditQuery, *, limit: int, before: int | None = None) -> AuditPage:
    """Entries matching ``query``, newest first: ``limit`` of them below seq ``before`` (the next page back, when
    given), and how many match in all."""
    f = _filter(query)
    rows = repository_audit.page(session, f, limit=limit, before=before)
    return AuditPage(entries=[AuditEntryOut.of(r) for r in rows], total=repository_audit.count(session, f),
                     before=before, limit=limit)


def known_actions(session: Session) -> list[str]:
    """The actions the log holds (the filter's choices)."""
    return repository_audit.actions(session)
