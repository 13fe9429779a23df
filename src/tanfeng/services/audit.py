"""Use cases around the audit trail: verify the hash chain, list entries, a record's history with diffs.

The chain itself (hashing, verification, diffs) is :mod:`tanfeng.audit`; this module reads the stored
rows in ``seq`` order and hands them to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from tanfeng.audit import Anchor, ChainedEntry, VerifyResult, diff, verify
from tanfeng.errors import AuditChainError
from tanfeng.store import repository_audit
from tanfeng.store.models import AuditRow
from tanfeng.store.repository import list_audit

__all__ = ["AuditEntryOut", "ChangeOut", "HistoryItem", "current_anchor", "entries", "history", "load_chain",
           "target_history", "verify_chain"]


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


def _rows(session: Session) -> list[AuditRow]:
    return repository_audit.chain(session)


def load_chain(session: Session) -> tuple[list[ChainedEntry], VerifyResult | None]:
    """The stored entries in ``seq`` order as chain entries.

    Returns the entries read and, when a row cannot even be read as an entry (a field changed by hand to
    something no entry can hold, e.g. a hash that is not hex), the failed result naming that row.
    """
    chain: list[ChainedEntry] = []
    for position, row in enumerate(_rows(session), start=1):
        try:
            chain.append(ChainedEntry(
                seq=row.seq, ts=row.at, actor=row.actor, actor_role=row.actor_role,
                client_address=row.client_address, action=row.action, entity=row.entity,
                entity_id=row.entity_id, before=row.before, after=row.after, prev_hash=row.prev_hash,
                hash=row.hash))
        except (ValidationError, ValueError) as exc:
            seq = chain[-1].seq + 1 if chain else position
            first = str(exc).splitlines()[0]
            return chain, VerifyResult(ok=False, checked=position, first_bad_seq=seq, kind="altered",
                                       message=f"entry {seq} (at position {position}) was changed: it is no "
                                               f"longer a valid audit entry ({first})")
    return chain, None


def verify_chain(session: Session, anchors: Sequence[Anchor] = (), *, start: Anchor | None = None) -> VerifyResult:
    """Verify the stored chain, against published anchors when given (see :func:`tanfeng.audit.verify`)."""
    chain, broken = load_chain(session)
    if broken is not None:
        return broken
    if start is not None:
        chain = [e for e in chain if e.seq > start.seq]
    return verify(chain, anchors=anchors, start=start)


def current_anchor(session: Session) -> Anchor | None:
    """The anchor to publish now: the last entry's seq and hash, after verifying the whole chain.

    Raises
    ------
    AuditChainError
        The chain does not verify: publishing an anchor of a broken log would vouch for it.
    """
    result = verify_chain(session)
    if not result.ok:
        msg = f"the audit log does not verify, no anchor is published: {result.kind} at seq {result.first_bad_seq}: " \
              f"{result.message}"
        raise AuditChainError(msg, hint="verify the chain and investigate before publishing")
    return result.last


def entries(session: Session, *, entity: str | None = None, entity_id: str | None = None,
            limit: int | None = None) -> list[AuditEntryOut]:
    """Entries oldest first, optionally of one entity (and id); ``limit`` keeps the newest ones."""
    rows = (repository_audit.newest(session, limit=limit, entity=entity, entity_id=entity_id) if limit is not None
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
