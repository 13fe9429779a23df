"""Who changed what: entries (of one record), a record's history field by field, a plan target's history."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tanfeng.audit import diff
from tanfeng.services.audit.schemas import AuditEntryOut, ChangeOut, HistoryItem
from tanfeng.store import repository_audit
from tanfeng.store.models import AuditRow
from tanfeng.store.repository import list_audit

__all__ = ["entries", "history", "target_history"]


def entries(session: Session, *, entity: str | None = None, entity_id: str | None = None,
            limit: int | None = None, before: int | None = None) -> list[AuditEntryOut]:
    """Entries oldest first, optionally of one entity (and id); ``limit`` keeps the newest ones (below seq
    ``before``, when given: the next page back)."""
    rows = (repository_audit.newest(session, limit=limit, entity=entity, entity_id=entity_id, before=before)
            if limit is not None
            else list_audit(session, entity=entity, entity_id=entity_id))
    return [AuditEntryOut.of(r) for r in rows]


def _item(row: AuditRow, before: Any, after: Any) -> HistoryItem:
    return HistoryItem(seq=row.seq, ts=row.at, actor=row.actor, actor_role=row.actor_role, action=row.action,
                       changes=[ChangeOut(pointer=c.pointer, kind=c.kind, before=c.before, after=c.after)
                                for c in diff(before, after)])


def history(session: Session, entity: str, entity_id: str) -> list[HistoryItem]:
    """Every change of one record, oldest first, with the changed fields."""
    return [_item(r, r.before, r.after) for r in list_audit(session, entity=entity, entity_id=entity_id)]


def _target_in(state: Any, target_id: str) -> Any:
    if not isinstance(state, dict):
        return None
    for target in state.get("targets") or []:
        if isinstance(target, dict) and target.get("id") == target_id:
            return target
    return None


def target_history(session: Session, plan_id: str, target_id: str) -> list[HistoryItem]:
    """The history of one target of a plan: the plan's entries where that target changed, oldest first.

    Plans are saved whole (entity ``plan``); the target's part of each entry's before and after is
    compared, and entries where it did not change are left out.
    """
    out: list[HistoryItem] = []
    for row in list_audit(session, entity="plan", entity_id=plan_id):
        item = _item(row, _target_in(row.before, target_id), _target_in(row.after, target_id))
        if item.changes:
            out.append(item)
    out.extend(history(session, "plan_target", f"{plan_id}/{target_id}"))
    return sorted(out, key=lambda h: h.seq)
