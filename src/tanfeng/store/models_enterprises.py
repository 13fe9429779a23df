"""Tables of the enterprises topic. Their migrations form the ``enterprises`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``key_units``               the registry of key energy-consuming units (重点用能单位), keyed by credit code
``unit_facilities``         a unit's production facilities
``unit_meters``             a unit's online meters (the meter table of :mod:`tanfeng.monitoring`)
``reading_batches``         the ledger of accepted reading batches: one row per batch, keyed by its content
                            hash; the readings themselves are one Parquet file per batch under
                            ``TANFENG_DATA_DIR/readings/`` (``path`` relative to the data folder). A file is
                            visible only once its row is committed (see docs/monitoring.md, Durability)
``annual_reports``          a unit's annual report (energy utilisation status report or GHG report) for
                            a year: state, version, lock version (optimistic locking), content, figures
``annual_report_versions``  every version of every report (content, figures, state, who, when)
``energy_budgets``          a unit's energy budget (用能预算) for a year, in tce
``unit_assessments``        the yearly responsibility assessment of a unit (score, reasons, rules used)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = [
    "REPORT_KINDS",
    "REPORT_STATES",
    "AnnualReportRow",
    "AssessmentRow",
    "Base",
    "EnergyBudgetRow",
    "FacilityRow",
    "KeyUnitRow",
    "MeterRow",
    "ReadingBatchRow",
    "ReportVersionRow",
]

REPORT_KINDS = ("energy", "ghg")
"""``energy``: 能源利用状况报告; ``ghg``: 温室气体排放报告."""

REPORT_STATES = ("draft", "submitted", "under_review", "approved", "returned")


class KeyUnitRow(Base):
    """A key energy-consuming unit (see :class:`tanfeng.enterprises.registry.KeyUnit`)."""

    __tablename__ = "key_units"
    __table_args__ = (Index("ix_key_units_league_industry", "league", "industry"),)

    code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    league: Mapped[str] = mapped_column(String(6))
    county: Mapped[str] = mapped_column(String(6))
    industry: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(32))
    products: Mapped[list[str]] = mapped_column(JSON)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sample: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FacilityRow(Base):
    """A production facility of a unit."""

    __tablename__ = "unit_facilities"

    facility_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(18), ForeignKey("key_units.code", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    product: Mapped[str | None] = mapped_column(String(100))


class MeterRow(Base):
    """An online meter (see :class:`tanfeng.enterprises.registry.Meter`)."""

    __tablename__ = "unit_meters"

    meter_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(18), ForeignKey("key_units.code", ondelete="CASCADE"), index=True)
    facility_id: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(32))
    multiplier: Mapped[float] = mapped_column(Float(precision=53))
    kind: Mapped[str] = mapped_column(String(16))
    rollover_max: Mapped[float | None] = mapped_column(Float(precision=53))
    sample: Mapped[bool] = mapped_column(Boolean)


class ReadingBatchRow(Base):
    """An accepted batch of readings; ``path`` (relative to the data folder) holds its Parquet file."""

    __tablename__ = "reading_batches"

    batch_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(16))
    rows: Mapped[int] = mapped_column(Integer)
    meters: Mapped[int] = mapped_column(Integer)
    first_ts: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_ts: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    sample: Mapped[bool] = mapped_column(Boolean)
    derived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=true(), index=True)
    """Whether the batch's readings are flagged into the derived store (tiles and rollups) yet."""


class AnnualReportRow(Base):
    """A unit's annual report of one kind for one year; ``lock_version`` guards concurrent edits."""

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("unit_code", "year", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(String(18), ForeignKey("key_units.code", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    lock_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    comments: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(200))


class ReportVersionRow(Base):
    """One version of a report, kept for ever (the history and the diffs come from these)."""

    __tablename__ = "annual_report_versions"

    report_id: Mapped[int] = mapped_column(Integer, ForeignKey("annual_reports.id", ondelete="CASCADE"),
                                           primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    comments: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class EnergyBudgetRow(Base):
    """A unit's energy budget (用能预算) for a year."""

    __tablename__ = "energy_budgets"

    unit_code: Mapped[str] = mapped_column(String(18), ForeignKey("key_units.code", ondelete="CASCADE"),
                                           primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_tce: Mapped[float] = mapped_column(Float(precision=53))
    source: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AssessmentRow(Base):
    """The yearly responsibility assessment of a unit, with the reasons of each criterion."""

    __tablename__ = "unit_assessments"

    unit_code: Mapped[str] = mapped_column(String(18), ForeignKey("key_units.code", ondelete="CASCADE"),
                                           primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[float] = mapped_column(Float(precision=53))
    grade: Mapped[str] = mapped_column(String(16))
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    rules_digest: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    computed_by: Mapped[str] = mapped_column(String(200))
