"""Audit entries and record histories as the API, the pages and ``tanfeng audit log`` show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from tanfeng.store.models import AuditRow

__all__ = ["AuditEntryOut", "ChangeOut", "HistoryItem"]


class AuditEntryOut(BaseModel):
    """An audit entry as the API and ``tanfeng audit log --format json`` show it."""

    seq: int
    ts: datetime
    actor: str
    actor_role: str
    client_address: str | None
    action: str
    entity: str
    entity_id: str
    before: Any = None
    after: Any = None
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, row: AuditRow) -> AuditEntryOut:
        """From a stored row."""
        return cls(seq=row.seq, ts=row.at, actor=row.actor, actor_role=row.actor_role,
                   client_address=row.client_address, action=row.action, entity=row.entity,
                   entity_id=row.entity_id, before=row.before, after=row.after, prev_hash=row.prev_hash,
                   hash=row.hash)


class ChangeOut(BaseModel):
    """One changed field of a history item (``pointer`` is an RFC 6901 JSON Pointer)."""

    pointer: str
    kind: str
    before: Any = None
    after: Any = None


class HistoryItem(BaseModel):
    """Who changed a record, when, and what changed."""

    seq: int
    ts: datetime
    actor: str
    actor_role: str
    action: str
    changes: list[ChangeOut]
