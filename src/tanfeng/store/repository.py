"""Reading and writing records. Every function takes the session first and keywords after it.

Writes are atomic and audited: each write function runs inside :func:`tanfeng.store.transaction.atomic`
(the one transaction boundary: a savepoint inside a transaction the caller began, so the caller may group
several writes), writes an ``audit_log`` row per change, and either lands whole or leaves the database as
it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from tanfeng.audit.chain import AuditEntry, ChainedEntry, append
from tanfeng.audit.context import current as request_context
from tanfeng.errors import AuditChainError, ImportDataError, NotFoundError, at
from tanfeng.plan.model import (
    Action,
    Certainty,
    Comparator,
    Measure,
    Part,
    Plan,
    PlanStatus,
    ReviewMark,
    SourceRef,
    Target,
)
from tanfeng.reference.regions import LEVELS, Region, Statistic
from tanfeng.store.models import (
    AuditRow,
    ImportBatchRow,
    PlanActionRow,
    PlanMeasureRow,
    PlanPartRow,
    PlanRow,
    PlanTargetRow,
    RegionRow,
    StatisticRow,
    utcnow,
)
from tanfeng.store.transaction import atomic

__all__ = [
    "PlanSaveResult",
    "WriteResult",
    "content_hash",
    "count_audit",
    "get_plan",
    "get_plan_source",
    "list_audit",
    "list_plan_ids",
    "list_plans",
    "list_regions",
    "list_statistics",
    "list_targets",
    "plan_stamp",
    "record_audit",
    "record_batch",
    "save_plan",
    "save_regions",
    "save_statistics",
]


@dataclass(frozen=True)
class PlanSaveResult:
    """What :func:`save_plan` did: ``changed`` is False when the stored plan was already identical."""

    plan_id: str
    version: int
    content_hash: str
    changed: bool


@dataclass(frozen=True)
class WriteResult:
    """What a bulk write did (rows inserted, updated, deleted, left as they were)."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.inserted or self.updated or self.deleted)


def content_hash(data: Any) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, UTF-8, no spaces)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_AUDIT_LOCK_KEY = 0x74666175  # "tfau": the PostgreSQL advisory lock that serialises audit appends


def _last_audit_row(session: Session) -> AuditRow | None:
    """The last entry of the chain, locked until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock makes appenders queue (the last row may not exist yet,
    and ``FOR UPDATE`` alone would let a waiting writer re-read the row it waited on, not the new last
    one); the row itself is read ``FOR UPDATE``. SQLite serialises writers itself.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    return session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1).with_for_update()).first()


def _audit(session: Session, *, actor: str, action: str, entity: str, entity_id: str,
           before: Any = None, after: Any = None, actor_role: str | None = None,
           client_address: str | None = None) -> AuditRow:
    """Append one entry to the hash-chained audit log (inside the caller's transaction).

    ``actor_role`` is the actor's role (``system`` when not given: the platform or an operator at the
    command line); ``client_address`` their IP address when the change came over the network.

    Raises
    ------
    AuditChainError
        ``before`` or ``after`` has a value with no canonical JSON form (NaN, a set, an object …).
    """
    request = request_context()
    if request is not None:
        # a change made over the network: the address the server saw, and the role of the user who made it
        client_address = client_address or request.client_address
        if request.role is not None and actor == request.user_id and actor_role in (None, "system"):
            actor_role = request.role
    last = _last_audit_row(session)
    # append() reads only the previous entry's seq and hash: no need to validate its JSON again
    prev = ChainedEntry.model_construct(
        seq=last.seq, ts=last.at, actor=last.actor, actor_role=last.actor_role, client_address=last.client_address,
        action=last.action, entity=last.entity, entity_id=last.entity_id, before=last.before, after=last.after,
        prev_hash=last.prev_hash, hash=last.hash) if last is not None else None
    try:
        entry = AuditEntry(seq=1 if last is None else last.seq + 1, ts=utcnow(), actor=actor,
                           actor_role=actor_role or "system", client_address=client_address, action=action,
                           entity=entity, entity_id=entity_id, before=before, after=after)
    except ValidationError as exc:
        problems = "; ".join(str(e["msg"]) for e in exc.errors())
        msg = f"cannot record the audit entry for {entity} '{entity_id}': {problems}"
        raise AuditChainError(msg, hint="pass JSON values (str, int, float, Decimal, bool, None, lists, dicts)") \
            from None
    chained = append(prev, entry)
    row = AuditRow(seq=chained.seq, at=chained.ts, actor=chained.actor, actor_role=chained.actor_role,
                   client_address=chained.client_address, action=chained.action, entity=chained.entity,
                   entity_id=chained.entity_id, before=chained.before, after=chained.after,
                   prev_hash=chained.prev_hash, hash=chained.hash)
    session.add(row)
    session.flush()
    return row


def _batch(session: Session, *, kind: str, name: str, rows: int, digest: str, status: str, actor: str,
           message: str | None = None) -> None:
    session.add(ImportBatchRow(kind=kind, name=name, rows=rows, content_hash=digest, status=status,
                               actor=actor, at=utcnow(), message=message))


# ---------------------------------------------------------------------------------------------------
# plans

def _source_columns(src: SourceRef) -> dict[str, Any]:
    return {
        "source_document": src.document, "source_file": src.file, "source_line": src.line,
        "source_start": src.start, "source_end": src.end, "source_url": src.url,
        "source_certainty": src.certainty.value, "source_note": src.note,
    }


def _source_ref(row: PlanActionRow | PlanMeasureRow | PlanTargetRow) -> SourceRef:
    return SourceRef(document=row.source_document, file=row.source_file, line=row.source_line,
                     start=row.source_start, end=row.source_end, url=row.source_url,
                     certainty=Certainty(row.source_certainty), note=row.source_note)


def _part_row(plan_id: str, position: int, part: Part) -> PlanPartRow:
    return PlanPartRow(plan_id=plan_id, id=part.id, position=position, kind=part.kind, title=part.title)


def _action_row(plan_id: str, part_id: str, position: int, action: Action) -> PlanActionRow:
    return PlanActionRow(plan_id=plan_id, id=action.id, part_id=part_id, position=position, number=action.number,
                         numeral=action.numeral, title=action.title, title_en=action.title_en,
                         **_source_columns(action.source))


def _measure_row(plan_id: str, part_id: str, action_id: str | None, position: int, m: Measure) -> PlanMeasureRow:
    return PlanMeasureRow(plan_id=plan_id, id=m.id, part_id=part_id, action_id=action_id, position=position,
                          number=m.number, title=m.title, text=m.text, departments=list(m.departments),
                          **_source_columns(m.source))


def _target_row(plan_id: str, position: int, t: Target) -> PlanTargetRow:
    return PlanTargetRow(
        plan_id=plan_id, id=t.id, position=position, action=t.action, measure=t.measure, indicator=t.indicator,
        indicator_id=t.indicator_id, indicator_en=t.indicator_en, scope=t.scope,
        scope_regions=list(t.scope_regions), year=t.year, comparator=t.comparator.value, value=t.value,
        value_high=t.value_high, qualifier=t.qualifier, unit=t.unit, baseline_year=t.baseline_year,
        departments=list(t.departments), aspirational=t.aspirational, source_text=t.source_text, note=t.note,
        confidence=t.confidence, reasons=[r.model_dump(exclude_none=True) for r in t.reasons] or None,
        review=t.review, **_source_columns(t.source))


def _delete_plan_tree(session: Session, plan_id: str) -> None:
    for table in (PlanTargetRow, PlanMeasureRow, PlanActionRow, PlanPartRow):
        session.execute(delete(table).where(table.plan_id == plan_id))


def save_plan(session: Session, plan: Plan, *, actor: str, source_text: str | None = None) -> PlanSaveResult:
    """Store ``plan``, replacing its previous version completely, in one transaction.

    An unchanged plan (same content hash) is a no-op: no version bump, no audit row. Otherwise the
    version goes up by one and an audit row keeps the plan before and after. ``source_text``, when given,
    is kept with the plan (a later version without it keeps the one stored).
    """
    dump = plan.model_dump(mode="json")
    digest = content_hash(dump)
    with atomic(session, f"plan '{plan.id}'"):
        row = session.get(PlanRow, plan.id)
        if row is not None and row.content_hash == digest:
            return PlanSaveResult(plan.id, row.version, digest, changed=False)
        before = get_plan(session, plan.id).model_dump(mode="json") if row is not None else None
        if row is None:
            row = PlanRow(id=plan.id, version=0)
            session.add(row)
        else:
            _delete_plan_tree(session, plan.id)
        row.title, row.title_en, row.region = plan.title, plan.title_en, plan.region
        row.document_number, row.issuer, row.published = plan.document_number, plan.issuer, plan.published
        row.source_file, row.notes, row.status = plan.source_file, list(plan.notes), plan.status
        if source_text is not None:
            row.source_text = source_text
        row.version = row.version + 1
        row.content_hash, row.updated_at, row.updated_by = digest, utcnow(), actor
        session.flush()
        pos = 0
        for part_pos, part in enumerate(plan.parts):
            session.add(_part_row(plan.id, part_pos, part))
        session.flush()
        for part in plan.parts:
            for action in part.actions:
                session.add(_action_row(plan.id, part.id, pos, action))
                pos += 1
        session.flush()
        pos = 0
        for part in plan.parts:
            for action in part.actions:
                for m in action.measures:
                    session.add(_measure_row(plan.id, part.id, action.id, pos, m))
                    pos += 1
            for m in part.measures:
                session.add(_measure_row(plan.id, part.id, None, pos, m))
                pos += 1
        for t_pos, target in enumerate(plan.targets):
            session.add(_target_row(plan.id, t_pos, target))
        session.flush()
        _audit(session, actor=actor, action="insert" if before is None else "replace", entity="plan",
               entity_id=plan.id, before=before, after=dump)
        _batch(session, kind="plan", name=plan.id, rows=1 + len(plan.targets), digest=digest, status="loaded",
               actor=actor, message=f"version {row.version}")
        return PlanSaveResult(plan.id, row.version, digest, changed=True)


def _target(row: PlanTargetRow) -> Target:
    return Target(
        id=row.id, action=row.action, measure=row.measure, indicator=row.indicator, indicator_id=row.indicator_id,
        indicator_en=row.indicator_en, scope=row.scope, scope_regions=list(row.scope_regions), year=row.year,
        comparator=Comparator(row.comparator), value=row.value, value_high=row.value_high,
        qualifier=row.qualifier,
        unit=row.unit, baseline_year=row.baseline_year, departments=list(row.departments),
        aspirational=row.aspirational, source_text=row.source_text, source=_source_ref(row), note=row.note,
        confidence=row.confidence, reasons=list(row.reasons or []),
        review=cast("ReviewMark | None", row.review))


def plan_stamp(session: Session, plan_id: str) -> tuple[int, str] | None:
    """The stored version and content hash of a plan (one query), or None when it is not stored."""
    row = session.execute(select(PlanRow.version, PlanRow.content_hash).where(PlanRow.id == plan_id)).first()
    return None if row is None else (int(row[0]), str(row[1]))


def get_plan(session: Session, plan_id: str) -> Plan:
    """The stored plan as the pydantic :class:`Plan` it was saved from.

    Raises
    ------
    NotFoundError
        No plan with that id is stored.
    """
    row = session.get(PlanRow, plan_id)
    if row is None:
        known = ", ".join(session.scalars(select(PlanRow.id).order_by(PlanRow.id))) or "none"
        msg = f"plan '{plan_id}' is not in the store (stored plans: {known})"
        raise NotFoundError(msg, hint="load it with `tanfeng init` or `tanfeng plan load`")
    parts = session.scalars(select(PlanPartRow).where(PlanPartRow.plan_id == plan_id)
                            .order_by(PlanPartRow.position)).all()
    actions = session.scalars(select(PlanActionRow).where(PlanActionRow.plan_id == plan_id)
                              .order_by(PlanActionRow.position)).all()
    measures = session.scalars(select(PlanMeasureRow).where(PlanMeasureRow.plan_id == plan_id)
                               .order_by(PlanMeasureRow.position)).all()
    targets = session.scalars(select(PlanTargetRow).where(PlanTargetRow.plan_id == plan_id)
                              .order_by(PlanTargetRow.position)).all()

    def measure(m: PlanMeasureRow) -> Measure:
        return Measure(id=m.id, number=m.number, title=m.title, text=m.text, departments=list(m.departments),
                       source=_source_ref(m))

    built_parts: list[Part] = []
    for p in parts:
        p_actions = [
            Action(id=a.id, number=a.number, numeral=a.numeral, title=a.title, title_en=a.title_en,
                   measures=[measure(m) for m in measures if m.action_id == a.id], source=_source_ref(a))
            for a in actions if a.part_id == p.id
        ]
        p_measures = [measure(m) for m in measures if m.part_id == p.id and m.action_id is None]
        built_parts.append(Part(id=p.id, kind=p.kind,
                                title=p.title, actions=p_actions, measures=p_measures))
    return Plan(id=row.id, title=row.title, title_en=row.title_en, region=row.region,
                document_number=row.document_number, issuer=row.issuer, published=row.published,
                source_file=row.source_file, status=cast("PlanStatus", row.status), notes=list(row.notes),
                parts=built_parts,
                targets=[_target(t) for t in targets])


def get_plan_source(session: Session, plan_id: str) -> str | None:
    """The source text stored with a plan, or None."""
    row = session.get(PlanRow, plan_id)
    return None if row is None else row.source_text


def list_plan_ids(session: Session) -> list[str]:
    """Ids of the stored plans, sorted."""
    return list(session.scalars(select(PlanRow.id).order_by(PlanRow.id)))


def list_plans(session: Session) -> list[dict[str, Any]]:
    """Stored plans: id, title, region, version, content hash, last change."""
    rows = session.scalars(select(PlanRow).order_by(PlanRow.id)).all()
    return [{"id": r.id, "title": r.title, "region": r.region, "status": r.status, "version": r.version,
             "content_hash": r.content_hash, "updated_at": r.updated_at.isoformat(), "updated_by": r.updated_by}
            for r in rows]


def list_targets(session: Session, *, plan_id: str, action: str | None = None, year: int | None = None,
                 scope: str | None = None, indicator: str | None = None) -> list[Target]:
    """Targets of a plan in plan order, filtered by action (or part) id, year, scope, indicator.

    ``indicator`` matches either the stable ``indicator_id`` or the indicator's Chinese name; ``scope``
    matches the scope or any region code the scope covers.
    """
    if session.get(PlanRow, plan_id) is None:
        get_plan(session, plan_id)  # raises NotFoundError with the list of stored plans
    q = select(PlanTargetRow).where(PlanTargetRow.plan_id == plan_id)
    if action is not None:
        q = q.where(PlanTargetRow.action == action)
    if year is not None:
        q = q.where(PlanTargetRow.year == year)
    if indicator is not None:
        q = q.where(or_(PlanTargetRow.indicator_id == indicator, PlanTargetRow.indicator == indicator))
    rows = session.scalars(q.order_by(PlanTargetRow.position)).all()
    out = [_target(r) for r in rows]
    if scope is not None:
        out = [t for t in out if t.scope == scope or scope in t.scope_regions]
    return out


# ---------------------------------------------------------------------------------------------------
# regions

def _region_dict(r: Region) -> dict[str, Any]:
    return r.as_dict()


def _region_from_row(row: RegionRow) -> Region:
    return Region(code=row.code, name_zh=row.name_zh, name_en=row.name_en,
                  level=row.level,  # type: ignore[arg-type]  # stored from the Literal
                  parent=row.parent, type=row.type, legacy_codes=tuple(row.legacy_codes),
                  certainty=Certainty(row.certainty), source=row.source)


def save_regions(session: Session, regions: Sequence[Region], *, actor: str) -> WriteResult:
    """Insert or update regions (parents before children); unchanged rows are left alone."""
    inserted = updated = unchanged = 0
    with atomic(session, "the regions"):
        existing = {r.code: r for r in session.scalars(select(RegionRow))}
        ordered = sorted(regions, key=lambda r: LEVELS.index(r.level))
        for region in ordered:
            new = _region_dict(region)
            row = existing.get(region.code)
            if row is None:
                session.add(RegionRow(code=region.code, name_zh=region.name_zh, name_en=region.name_en,
                                      level=region.level, parent=region.parent, type=region.type,
                                      legacy_codes=list(region.legacy_codes), certainty=region.certainty.value,
                                      source=region.source))
                session.flush()
                _audit(session, actor=actor, action="insert", entity="region", entity_id=region.code,
                       before=None, after=new)
                inserted += 1
                continue
            old = _region_dict(_region_from_row(row))
            if old == new:
                unchanged += 1
                continue
            row.name_zh, row.name_en, row.level, row.parent = region.name_zh, region.name_en, region.level, region.parent
            row.type, row.legacy_codes = region.type, list(region.legacy_codes)
            row.certainty, row.source = region.certainty.value, region.source
            _audit(session, actor=actor, action="update", entity="region", entity_id=region.code,
                   before=old, after=new)
            updated += 1
        if inserted or updated:
            _batch(session, kind="regions", name="regions", rows=len(regions),
                   digest=content_hash([_region_dict(r) for r in regions]), status="loaded", actor=actor,
                   message=f"{inserted} inserted, {updated} updated, {unchanged} unchanged")
    return WriteResult(inserted=inserted, updated=updated, unchanged=unchanged)


def list_regions(session: Session, *, level: str | None = None, parent: str | None = None,
                 code: str | None = None) -> list[Region]:
    """Stored regions in code order, optionally of one level, under one parent, or with one code."""
    q = select(RegionRow)
    if code is not None:
        q = q.where(RegionRow.code == code)
    if level is not None:
        q = q.where(RegionRow.level == level)
    if parent is not None:
        q = q.where(RegionRow.parent == parent)
    return [_region_from_row(r) for r in session.scalars(q.order_by(RegionRow.code))]


# ---------------------------------------------------------------------------------------------------
# statistics

def _stat_dict(s: Statistic) -> dict[str, Any]:
    return {"region": s.region, "indicator": s.indicator, "year": s.year, "period": s.period, "value": s.value,
            "unit": s.unit, "certainty": s.certainty.value, "source": s.source, "note": s.note}


def save_statistics(session: Session, statistics: Iterable[Statistic], *, actor: str) -> WriteResult:
    """Store statistics; each dataset (file) given replaces its earlier copy whole, or is left alone
    when its content is unchanged. An audit row per replaced dataset keeps the row counts and hashes."""
    by_dataset: dict[str, list[Statistic]] = {}
    for s in statistics:
        by_dataset.setdefault(s.file, []).append(s)
    inserted = deleted = unchanged = 0
    with atomic(session, "the statistics"):
        known = set(session.scalars(select(RegionRow.code)))
        for dataset, stats in by_dataset.items():
            for row_no, stat in enumerate(stats, start=1):
                if stat.region not in known:
                    msg = f"region '{stat.region}' is not in the store"
                    raise ImportDataError(msg, location=at(dataset, row=row_no, field="region"),
                                          hint="load the regions first (`tanfeng init`)")
        for dataset, stats in by_dataset.items():
            new_rows = [_stat_dict(s) for s in stats]
            digest = content_hash(new_rows)
            last = session.scalars(
                select(ImportBatchRow).where(ImportBatchRow.kind == "statistics", ImportBatchRow.name == dataset)
                .order_by(ImportBatchRow.id.desc()).limit(1)).first()
            stored = session.scalar(select(func.count()).select_from(StatisticRow)
                                    .where(StatisticRow.dataset == dataset)) or 0
            if last is not None and last.content_hash == digest and stored == len(new_rows):
                unchanged += len(new_rows)
                continue
            gone = stored
            session.execute(delete(StatisticRow).where(StatisticRow.dataset == dataset))
            for d in new_rows:
                session.add(StatisticRow(dataset=dataset, **d))
            session.flush()
            _audit(session, actor=actor, action="replace" if stored else "insert", entity="statistics_dataset",
                   entity_id=dataset,
                   before={"rows": stored, "content_hash": last.content_hash} if stored and last else None,
                   after={"rows": len(new_rows), "content_hash": digest})
            _batch(session, kind="statistics", name=dataset, rows=len(new_rows), digest=digest, status="loaded",
                   actor=actor)
            inserted += len(new_rows)
            deleted += gone
    return WriteResult(inserted=inserted, deleted=deleted, unchanged=unchanged)


def list_statistics(session: Session, *, region: str | None = None, indicator: str | None = None,
                    year: int | None = None) -> list[Statistic]:
    """Stored statistics, filtered by region, indicator and year."""
    q = select(StatisticRow)
    if region is not None:
        q = q.where(StatisticRow.region == region)
    if indicator is not None:
        q = q.where(StatisticRow.indicator == indicator)
    if year is not None:
        q = q.where(StatisticRow.year == year)
    rows = session.scalars(q.order_by(StatisticRow.id)).all()
    return [Statistic(region=r.region, indicator=r.indicator, year=r.year, period=r.period, value=r.value,
                      unit=r.unit, certainty=Certainty(r.certainty), source=r.source, note=r.note, file=r.dataset)
            for r in rows]


# ---------------------------------------------------------------------------------------------------
# audit

def list_audit(session: Session, *, entity: str | None = None, entity_id: str | None = None) -> list[AuditRow]:
    """Audit rows, oldest first, optionally for one entity (and id)."""
    q = select(AuditRow)
    if entity is not None:
        q = q.where(AuditRow.entity == entity)
    if entity_id is not None:
        q = q.where(AuditRow.entity_id == entity_id)
    return list(session.scalars(q.order_by(AuditRow.seq)))


def count_audit(session: Session) -> int:
    """How many audit rows there are."""
    return session.scalar(select(func.count()).select_from(AuditRow)) or 0


# ---------------------------------------------------------------------------------------------------
# public wrappers for the topic services (accounting …): the same atomic, audited write path

def record_batch(session: Session, *, kind: str, name: str, rows: int, digest: str, status: str, actor: str,
                 message: str | None = None) -> None:
    """Write one ``import_batches`` row through :func:`_batch` (call it inside :func:`atomic`)."""
    _batch(session, kind=kind, name=name, rows=rows, digest=digest, status=status, actor=actor, message=message)


def record_audit(session: Session, *, actor: str, action: str, entity: str, entity_id: str, before: Any = None,
                 after: Any = None, actor_role: str | None = None, client_address: str | None = None) -> AuditRow:
    """Append one entry to the hash-chained audit log, inside the caller's transaction.

    For services that write their own tables: call it in the same transaction as the write, so the
    change and its audit entry land together or not at all. ``before``/``after`` are JSON values
    (:func:`tanfeng.audit.chain.to_json_value`: ``Decimal`` becomes a string, naive datetimes are refused).
    """
    return _audit(session, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before,
                  after=after, actor_role=actor_role, client_address=client_address)
