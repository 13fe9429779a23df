"""Tables of the tracking topic. Their migrations form the ``tracking`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``indicator_values``    one value of an indicator for a region (or league) and a period (``2025``, ``2025Q3``,
                        ``2025-09``), with unit, source, certainty and the sample flag. Versioned: a change adds
                        version n + 1 and stamps ``superseded_at`` on version n; a stored value is never updated.
                        The current value of a key is the row with ``superseded_at`` null.
``dispatch_periods``    a dispatch (调度) round, e.g. ``2025Q3``: who opened it and when, its due date, open/closed.
``dispatch_entries``    what a responsible unit (a league code or a department code) reported for a period about
                        one plan target (actual value + unit) or one measure (status), with evidence and the date
                        it is as of. Versioned like ``indicator_values``.
``dispatch_reminders``  a reminder (催报) the office sent a unit for a period: shown as a notice on the unit's
                        landing page until the unit reports or the period closes (migration ``t0002``).
``dispatch_attachments`` a file a unit attached to an entry as evidence: its name, type, size and SHA-256; the
                        bytes are kept under the data folder (migration ``t0003``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = ["MEASURE_STATUSES", "PERIOD_STATUSES", "Base", "DispatchAttachmentRow", "DispatchEntryRow", "DispatchPeriodRow",
           "DispatchReminderRow", "IndicatorValueRow"]

MEASURE_STATUSES = ("not_started", "in_progress", "done", "blocked")
"""Statuses a dispatch entry may give a measure."""
PERIOD_STATUSES = ("open", "closed")


class IndicatorValueRow(Base):
    """One version of an indicator value (region, indicator, period)."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("region", "indicator", "period", "version"),
        Index("ix_indicator_values_lookup", "region", "indicator", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(6), ForeignKey("regions.code"))
    indicator: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(16))
    """``2025`` (a year), ``2025Q3`` (a quarter) or ``2025-09`` (a month)."""
    year: Mapped[int] = mapped_column(Integer)
    """The period's year (for lookups)."""
    value: Mapped[float] = mapped_column(Float(precision=53))
    unit: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(1))
    sample: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)


class DispatchPeriodRow(Base):
    """A dispatch round."""

    __tablename__ = "dispatch_periods"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))
    departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Department codes the round expects a report from (besides every league); empty: leagues only."""


class DispatchEntryRow(Base):
    """One version of what a responsible unit reported for a period about a target or a measure."""

    __tablename__ = "dispatch_entries"
    __table_args__ = (
        UniqueConstraint("period", "responsible_unit", "item", "version"),
        Index("ix_dispatch_entries_lookup", "period", "responsible_unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(16), ForeignKey("dispatch_periods.id"))
    responsible_unit: Mapped[str] = mapped_column(String(200))
    """A league code (e.g. ``150300``) or a department code (the name the plan uses, e.g. 自治区能源局)."""
    item: Mapped[str] = mapped_column(String(120))
    """``target:<target_id>`` or ``measure:<measure_id>``: the key the versions share."""
    target_id: Mapped[str | None] = mapped_column(String(100))
    measure_id: Mapped[str | None] = mapped_column(String(100))
    actual_value: Mapped[float | None] = mapped_column(Float(precision=53))
    value_unit: Mapped[str | None] = mapped_column(String(100))
    measure_status: Mapped[str | None] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text)
    as_of: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DispatchReminderRow(Base):
    """A reminder (催报) sent to a unit for a period."""

    __tablename__ = "dispatch_reminders"
    __table_args__ = (Index("ix_dispatch_reminders_unit", "responsible_unit", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(16), ForeignKey("dispatch_periods.id"))
    responsible_unit: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    sent_by: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DispatchAttachmentRow(Base):
    """A file attached to a dispatch entry as evidence (the bytes live under the data folder)."""

    __tablename__ = "dispatch_attachments"
    __table_args__ = (Index("ix_dispatch_attachments_entry", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(Integer, ForeignKey("dispatch_entries.id"))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_as: Mapped[str] = mapped_column(String(300))
    """Path relative to the data folder."""
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
