"""The record store's tables (SQLAlchemy 2 typed ORM). The schema itself is made by Alembic migrations.

Tables
------
``regions``                 the region catalogue (GB/T 2260), each row with source and certainty
``plans``                   one row per plan: header fields, ``version`` and ``content_hash``
``plan_parts``, ``plan_actions``, ``plan_measures``, ``plan_targets``
                            the plan's tree, keyed by (plan_id, id), ordered by ``position``
``reference_statistics``    regional statistics in long format (dataset, region, indicator, year …)
``import_batches``          one row per import (what, how many rows, content hash, who, when)
``audit_log``               every change made through the store's write paths (who, role, address, when,
                            what, before/after as canonical JSON text), numbered by ``seq`` and chained
                            by ``prev_hash``/``hash``
``audit_checkpoints``       the anchors of verified stretches of the log (seq and hash of the last entry
                            verified, when): incremental verification continues from the newest one
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from tanfeng.audit.chain import canonical_json

__all__ = [
    "NAMING_CONVENTION",
    "AuditCheckpointRow",
    "AuditRow",
    "Base",
    "CanonicalJSON",
    "ImportBatchRow",
    "PlanActionRow",
    "PlanMeasureRow",
    "PlanPartRow",
    "PlanRow",
    "PlanTargetRow",
    "RegionRow",
    "StatisticRow",
    "UTCDateTime",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both backends (SQLite keeps no offset: we put UTC back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "timestamps must be timezone-aware (UTC)"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of every table; constraint names follow :data:`NAMING_CONVENTION` on both backends."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


class RegionRow(Base):
    """A region of the catalogue."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent: Mapped[str | None] = mapped_column(String(6), ForeignKey("regions.code"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    legacy_codes: Mapped[list[str]] = mapped_column(JSON)
    certainty: Mapped[str] = mapped_column(String(1))
    source: Mapped[str] = mapped_column(Text)


class _SourceColumns:
    """The fields of :class:`tanfeng.plan.model.SourceRef`, flattened (offsets kept for tracing)."""

    source_document: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(300))
    source_line: Mapped[int | None] = mapped_column(Integer)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_certainty: Mapped[str] = mapped_column(String(1))
    source_note: Mapped[str | None] = mapped_column(Text)


class PlanRow(Base):
    """A plan's header; its version goes up by one each time its content changes."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(6), index=True)
    document_number: Mapped[str | None] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))
    source_file: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), server_default="reviewed")
    source_text: Mapped[str | None] = mapped_column(Text)
    """The plan's source text as loaded (plans that are not shipped keep it here for the review page)."""
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))


class PlanPartRow(Base):
    """A part of a plan (主要目标, 重点任务, 政策保障, 组织实施)."""

    __tablename__ = "plan_parts"

    plan_id: Mapped[str] = mapped_column(String(100), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)


class PlanActionRow(_SourceColumns, Base):
    """An action (行动) under a part."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        ForeignKeyConstraint(["plan_id", "part_id"], ["plan_parts.plan_id", "plan_parts.id"],
                             ondelete="CASCADE", name="fk_plan_actions_part"),
    )

    plan_id: Mapped[str] = mapped_column(String(100), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    part_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    numeral: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)


class PlanMeasureRow(_SourceColumns, Base):
    """A numbered measure, under an action or directly under a part (``action_id`` null)."""

    __tablename__ = "plan_measures"
    __table_args__ = (
        ForeignKeyConstraint(["plan_id", "part_id"], ["plan_parts.plan_id", "plan_parts.id"],
                             ondelete="CASCADE", name="fk_plan_measures_part"),
        ForeignKeyConstraint(["plan_id", "action_id"], ["plan_actions.plan_id", "plan_actions.id"],
                             ondelete="CASCADE", name="fk_plan_measures_action"),
    )

    plan_id: Mapped[str] = mapped_column(String(100), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    part_id: Mapped[str] = mapped_column(String(100))
    action_id: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    departments: Mapped[list[str]] = mapped_column(JSON)


class PlanTargetRow(_SourceColumns, Base):
    """A quantified target, with the verbatim sentence and its place in the source text."""

    __tablename__ = "plan_targets"
    __table_args__ = (
        Index("ix_plan_targets_lookup", "plan_id", "indicator_id", "year"),
    )

    plan_id: Mapped[str] = mapped_column(String(100), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    action: Mapped[str | None] = mapped_column(String(100))
    measure: Mapped[str | None] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(Text)
    indicator_id: Mapped[str] = mapped_column(String(100))
    indicator_en: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(100))
    scope_regions: Mapped[list[str]] = mapped_column(JSON)
    year: Mapped[int | None] = mapped_column(Integer)
    comparator: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float(precision=53))
    value_high: Mapped[float | None] = mapped_column(Float(precision=53))
    qualifier: Mapped[str | None] = mapped_column(String(4))
    unit: Mapped[str] = mapped_column(String(100))
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    departments: Mapped[list[str]] = mapped_column(JSON)
    aspirational: Mapped[bool] = mapped_column(Boolean)
    source_text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float(precision=53))
    reasons: Mapped[list[Any] | None] = mapped_column(JSON)  # {code, args, text} (older rows: English text)
    review: Mapped[str | None] = mapped_column(String(16))


class StatisticRow(Base):
    """One statistic in long format; ``dataset`` is the shipped or imported file it came from."""

    __tablename__ = "reference_statistics"
    __table_args__ = (
        Index("ix_reference_statistics_lookup", "region", "indicator", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(300), index=True)
    region: Mapped[str] = mapped_column(String(6), ForeignKey("regions.code"))
    indicator: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str | None] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float(precision=53))
    unit: Mapped[str] = mapped_column(String(100))
    certainty: Mapped[str] = mapped_column(String(1))
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class ImportBatchRow(Base):
    """One import: what was loaded, how many rows, its content hash, by whom and when."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    rows: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    message: Mapped[str | None] = mapped_column(Text)


class CanonicalJSON(TypeDecorator[Any]):
    """A JSON value kept as its canonical JSON text (see :func:`tanfeng.audit.canonical_json`).

    Text, not PostgreSQL ``jsonb`` (which rewrites numbers such as ``1e+16``), so an audit entry read back
    hashes to the same bytes. Text that is not JSON (a row changed by hand) reads back as the raw string,
    which then fails the chain check instead of failing the read.
    """

    impl = Text()
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return canonical_json(value).decode("utf-8")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        try:
            return json.loads(value)
        except ValueError:
            return value


class AuditRow(Base):
    """One entry of the hash-chained audit trail (see :mod:`tanfeng.audit.chain`).

    ``seq`` numbers the entries 1, 2, 3 … with no gaps; ``at`` is the entry's ``ts`` (UTC, microseconds);
    ``before``/``after`` are kept as canonical JSON text; ``prev_hash``/``hash`` chain each entry to the
    one before. Rows are only ever appended (:func:`tanfeng.store.repository.record_audit`).
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("hash"),
        UniqueConstraint("seq"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_action", "action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    client_address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(300))
    before: Mapped[Any] = mapped_column(CanonicalJSON(), nullable=True)
    after: Mapped[Any] = mapped_column(CanonicalJSON(), nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpointRow(Base):
    """An anchor the store keeps for itself: the chain was verified up to ``seq``, whose hash was ``hash``."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime())
