"""Queries of the tracking topic: indicator values, dispatch periods and dispatch entries.

Keyword-only functions over the tables of :mod:`tanfeng.store.models_tracking`. They read, or add rows
the caller has built; the caller's :func:`tanfeng.store.transaction.atomic` block commits. "Current" is the
version whose ``superseded_at`` is null.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.store import models_readmodel
from tanfeng.store.models import ImportBatchRow
from tanfeng.store.models_tracking import (
    DispatchAttachmentRow,
    DispatchEntryRow,
    DispatchPeriodRow,
    DispatchReminderRow,
    IndicatorValueRow,
)
from tanfeng.store.repository import list_statistics
from tanfeng.tracking.series import IndicatorSeries, StatisticInput, StoredInput

__all__ = [
    "attachment",
    "attachments_of_entries",
    "bump_read_version",
    "count_current_entries",
    "current_entry",
    "current_entry_units",
    "current_items_by_unit",
    "current_value",
    "current_value_keys",
    "current_values",
    "entries_entered_since",
    "entry_versions",
    "get_period",
    "indicator_series",
    "last_batch",
    "latest_period",
    "list_periods",
    "previous_entry",
    "previous_value",
    "read_version",
    "reminders",
    "value_history",
    "values_entered_since",
]


# --------------------------------------------------------------------------------------------------- version

def read_version(session: Session) -> str | None:
    """The tracking read model's current stamp (one query): it changes with every write to the tracked tables.

    Inside a transaction that wrote, the writer's own new stamp. None for a store without the ``readmodel``
    migration's row and no write since.
    """
    return models_readmodel.read_stamp(session.connection())


def bump_read_version(session: Session) -> None:
    """Give the tracking read model a new stamp, in the caller's transaction.

    Writes through the ORM to the tracked tables (:data:`tanfeng.store.models_readmodel.TRACKED_TABLES`)
    bump it by themselves at flush; call this for any other write that changes a tracking figure, status,
    warning or change list (e.g. a dispatch entry written with SQL typed by hand).
    """
    models_readmodel.bump(session.connection())


# --------------------------------------------------------------------------------------------------- values

def current_values(session: Session, *, regions: Collection[str] | None = None) -> list[IndicatorValueRow]:
    """The current version of every stored key (of ``regions`` only, when given)."""
    q = select(IndicatorValueRow).where(IndicatorValueRow.superseded_at.is_(None))
    if regions is not None:
        q = q.where(IndicatorValueRow.region.in_(list(regions)))
    return list(session.scalars(q))


def indicator_series(session: Session, *, aliases: Mapping[str, str],
                     regions: Collection[str] | None = None) -> IndicatorSeries:
    """The read model: current stored values with the reference statistics named in ``aliases`` on top.

    ``aliases`` maps a statistic id to the indicator it is a value of
    (:func:`tanfeng.reference.indicators.statistic_aliases`).
    """
    v = IndicatorValueRow
    q = select(v.region, v.indicator, v.period, v.value, v.unit, v.source, v.certainty, v.sample,
               v.entered_by).where(v.superseded_at.is_(None))
    if regions is not None:
        q = q.where(v.region.in_(list(regions)))
    stored = [StoredInput(region=r, indicator=i, period=p, value=x, unit=u, source=src, certainty=c, sample=smp,
                          entered_by=by)
              for r, i, p, x, u, src, c, smp, by in session.execute(q)]
    stats = [StatisticInput(region=s.region, indicator=s.indicator, year=s.year, period=s.period, value=s.value,
                            unit=s.unit, source=s.source, certainty=s.certainty.value, note=s.note, file=s.file)
             for s in list_statistics(session) if s.indicator in aliases]
    return IndicatorSeries.merge(stored, stats, aliases, regions)


def current_value(session: Session, *, region: str, indicator: str, period: str) -> IndicatorValueRow | None:
    """The current version of one key, or None."""
    return session.scalars(select(IndicatorValueRow).where(
        IndicatorValueRow.region == region, IndicatorValueRow.indicator == indicator,
        IndicatorValueRow.period == period, IndicatorValueRow.superseded_at.is_(None))).first()


def current_value_keys(session: Session) -> set[tuple[str, str, str]]:
    """The (region, indicator, period) keys that have a current value."""
    return {(a, b, c) for a, b, c in session.execute(
        select(IndicatorValueRow.region, IndicatorValueRow.indicator, IndicatorValueRow.period)
        .where(IndicatorValueRow.superseded_at.is_(None)))}


def value_history(session: Session, *, region: str, indicator: str, period: str) -> list[IndicatorValueRow]:
    """Every version of one key, oldest first."""
    return list(session.scalars(select(IndicatorValueRow).where(
        IndicatorValueRow.region == region, IndicatorValueRow.indicator == indicator,
        IndicatorValueRow.period == period).order_by(IndicatorValueRow.version)))


def values_entered_since(session: Session, *, since: datetime, sample: bool = False) -> list[IndicatorValueRow]:
    """Versions entered at or after ``since`` (sample rows only when ``sample``)."""
    return list(session.scalars(select(IndicatorValueRow).where(
        IndicatorValueRow.entered_at >= since, IndicatorValueRow.sample.is_(sample))))


def previous_value(session: Session, *, row: IndicatorValueRow) -> IndicatorValueRow | None:
    """The version before ``row`` of its key (None for a first version)."""
    if row.version <= 1:
        return None
    return session.scalars(select(IndicatorValueRow).where(
        IndicatorValueRow.region == row.region, IndicatorValueRow.indicator == row.indicator,
        IndicatorValueRow.period == row.period, IndicatorValueRow.version == row.version - 1)).first()


def last_batch(session: Session, *, kind: str, name: str) -> ImportBatchRow | None:
    """The latest import batch of ``kind`` named ``name``, or None."""
    return session.scalars(select(ImportBatchRow).where(ImportBatchRow.kind == kind, ImportBatchRow.name == name)
                           .order_by(ImportBatchRow.id.desc()).limit(1)).first()


# --------------------------------------------------------------------------------------------------- dispatch

def get_period(session: Session, *, period: str) -> DispatchPeriodRow | None:
    """The dispatch period ``period``, or None."""
    return session.get(DispatchPeriodRow, period)


def list_periods(session: Session) -> list[DispatchPeriodRow]:
    """Dispatch periods, newest id first."""
    return list(session.scalars(select(DispatchPeriodRow).order_by(DispatchPeriodRow.id.desc())))


def latest_period(session: Session) -> DispatchPeriodRow | None:
    """The period opened last, or None."""
    return session.scalars(select(DispatchPeriodRow).order_by(DispatchPeriodRow.opened_at.desc(),
                                                              DispatchPeriodRow.id.desc())).first()


def current_entry(session: Session, *, period: str, unit: str, item: str) -> DispatchEntryRow | None:
    """The current version of a unit's entry about ``item`` (``target:…``/``measure:…``), or None."""
    return session.scalars(select(DispatchEntryRow).where(
        DispatchEntryRow.period == period, DispatchEntryRow.responsible_unit == unit,
        DispatchEntryRow.item == item, DispatchEntryRow.superseded_at.is_(None))).first()


def entry_versions(session: Session, *, period: str, unit: str | None = None,
                   item: str | None = None) -> list[DispatchEntryRow]:
    """Every version of a period's entries, by unit, item and version."""
    q = select(DispatchEntryRow).where(DispatchEntryRow.period == period)
    if unit is not None:
        q = q.where(DispatchEntryRow.responsible_unit == unit)
    if item is not None:
        q = q.where(DispatchEntryRow.item == item)
    q = q.order_by(DispatchEntryRow.responsible_unit, DispatchEntryRow.item, DispatchEntryRow.version)
    return list(session.scalars(q))


def current_items_by_unit(session: Session, *, period: str) -> dict[str, set[str]]:
    """The items each unit has a current entry about in ``period``."""
    out: dict[str, set[str]] = {}
    for unit, item in session.execute(select(DispatchEntryRow.responsible_unit, DispatchEntryRow.item).where(
            DispatchEntryRow.period == period, DispatchEntryRow.superseded_at.is_(None))):
        out.setdefault(unit, set()).add(item)
    return out


def current_entry_units(session: Session, *, period: str) -> list[str]:
    """The responsible unit of each current entry of ``period`` (one per entry)."""
    return list(session.scalars(select(DispatchEntryRow.responsible_unit).where(
        DispatchEntryRow.period == period, DispatchEntryRow.superseded_at.is_(None))))


def count_current_entries(session: Session, *, period: str) -> int:
    """How many current entries ``period`` has."""
    return session.scalar(select(func.count()).select_from(DispatchEntryRow).where(
        DispatchEntryRow.period == period, DispatchEntryRow.superseded_at.is_(None))) or 0


def entries_entered_since(session: Session, *, since: datetime) -> list[DispatchEntryRow]:
    """Entry versions entered at or after ``since``."""
    return list(session.scalars(select(DispatchEntryRow).where(DispatchEntryRow.entered_at >= since)))


def previous_entry(session: Session, *, row: DispatchEntryRow) -> DispatchEntryRow | None:
    """The version before ``row`` of its entry (None for a first version)."""
    if row.version <= 1:
        return None
    return session.scalars(select(DispatchEntryRow).where(
        DispatchEntryRow.period == row.period, DispatchEntryRow.responsible_unit == row.responsible_unit,
        DispatchEntryRow.item == row.item, DispatchEntryRow.version == row.version - 1)).first()


def reminders(session: Session, *, units: Collection[str] | None = None,
              period: str | None = None) -> list[DispatchReminderRow]:
    """Reminders (催报), newest first; of ``units`` and ``period`` only, when given."""
    q = select(DispatchReminderRow)
    if units is not None:
        q = q.where(DispatchReminderRow.responsible_unit.in_(list(units)))
    if period is not None:
        q = q.where(DispatchReminderRow.period == period)
    return list(session.scalars(q.order_by(DispatchReminderRow.sent_at.desc(), DispatchReminderRow.id.desc())))


def attachments_of_entries(session: Session, *, entry_ids: Collection[int]) -> list[DispatchAttachmentRow]:
    """The files attached to the entry versions ``entry_ids``, oldest first."""
    if not entry_ids:
        return []
    return list(session.scalars(select(DispatchAttachmentRow).where(
        DispatchAttachmentRow.entry_id.in_(list(entry_ids))).order_by(DispatchAttachmentRow.id)))


def attachment(session: Session, *, attachment_id: int) -> tuple[DispatchAttachmentRow, DispatchEntryRow] | None:
    """An attachment and the entry version it belongs to, or None."""
    row = session.execute(select(DispatchAttachmentRow, DispatchEntryRow).join(
        DispatchEntryRow, DispatchEntryRow.id == DispatchAttachmentRow.entry_id).where(
        DispatchAttachmentRow.id == attachment_id)).first()
    return None if row is None else (row[0], row[1])
