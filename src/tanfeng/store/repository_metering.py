"""Queries of online metering: the batch ledger, the meter and unit tables as the readers need them, and the
energy reports they are compared with (keyword-only).

Reads that the ingestion and the Parquet readers make **release** the transaction they ran in (when nobody
began it on purpose): a batch's file is written, and stored readings are read, outside any open database
transaction, and the ledger row is then inserted in a transaction of its own. On SQLite this keeps a
stale read snapshot from refusing the insert of a concurrent writer; everywhere it keeps connections from
idling in a transaction during file I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, SessionTransactionOrigin

from tanfeng.store.models_enterprises import AnnualReportRow, KeyUnitRow, MeterRow, ReadingBatchRow

__all__ = ["LedgerEntry", "PendingBatch", "batch_paths", "batches", "count_batches", "energy_reports",
           "ledger_entry", "ledger_paths", "mark_derived", "meters", "meters_of_units_of", "owned_meters",
           "pending_batches", "pending_ids", "product_units", "registry_fingerprint", "unit_table", "units"]


@contextmanager
def _released(session: Session) -> Iterator[None]:
    """End the transaction the block's reads began on their own (SQLAlchemy's autobegin); a transaction the
    caller began is left to the caller."""
    try:
        yield
    finally:
        tx = session.get_transaction()
        if tx is not None and tx.origin is SessionTransactionOrigin.AUTOBEGIN:
            session.rollback()


@dataclass(frozen=True)
class LedgerEntry:
    """A committed batch as the ledger holds it (a plain copy: it stays readable after the read ends)."""

    batch_id: str
    source: str
    rows: int
    meters: int
    first_ts: datetime | None
    last_ts: datetime | None
    accepted_at: datetime


def ledger_entry(session: Session, *, batch_id: str) -> LedgerEntry | None:
    """The ledger row of ``batch_id``, if that batch was committed."""
    with _released(session):
        r = session.get(ReadingBatchRow, batch_id)
        return (LedgerEntry(batch_id=r.batch_id, source=r.source, rows=r.rows, meters=r.meters, first_ts=r.first_ts,
                            last_ts=r.last_ts, accepted_at=r.accepted_at) if r is not None else None)


def ledger_paths(session: Session) -> set[str]:
    """The relative paths of every committed batch's file."""
    with _released(session):
        return set(session.scalars(select(ReadingBatchRow.path)))


def owned_meters(session: Session, *, unit_code: str, meter_ids: Sequence[str]) -> set[str]:
    """Which of ``meter_ids`` are meters of unit ``unit_code``."""
    with _released(session):
        return set(session.scalars(select(MeterRow.meter_id).where(MeterRow.unit_code == unit_code,
                                                                   MeterRow.meter_id.in_(list(meter_ids)))))


def batch_paths(session: Session, *, start: datetime | None = None, end: datetime | None = None) -> list[str]:
    """Relative paths of the files of accepted batches overlapping ``[start, end]`` (UTC instants), in path order."""
    q = select(ReadingBatchRow.path).where(ReadingBatchRow.status == "accepted")
    if start is not None:
        q = q.where(ReadingBatchRow.last_ts >= start)
    if end is not None:
        q = q.where(ReadingBatchRow.first_ts <= end)
    with _released(session):
        return list(session.scalars(q.order_by(ReadingBatchRow.path)))


@dataclass(frozen=True)
class PendingBatch:
    """A committed batch whose readings are not yet flagged into the derived store."""

    batch_id: str
    path: str
    rows: int


def pending_batches(session: Session, *, max_rows: int) -> list[PendingBatch]:
    """Committed batches not yet derived, oldest first, as many as fit in ``max_rows`` readings (at least one)."""
    q = (select(ReadingBatchRow.batch_id, ReadingBatchRow.path, ReadingBatchRow.rows)
         .where(ReadingBatchRow.derived.is_(False), ReadingBatchRow.status == "accepted")
         .order_by(ReadingBatchRow.accepted_at, ReadingBatchRow.batch_id).limit(max(1, max_rows // 96)))
    out: list[PendingBatch] = []
    total = 0
    with _released(session):
        for bid, path, rows in session.execute(q):
            if out and total + rows > max_rows:
                break
            out.append(PendingBatch(bid, path, rows))
            total += rows
    return out


def pending_ids(session: Session) -> list[str]:
    """The ids of every committed batch not yet derived."""
    with _released(session):
        return list(session.scalars(select(ReadingBatchRow.batch_id).where(ReadingBatchRow.derived.is_(False))))


def mark_derived(session: Session, *, batch_ids: Sequence[str]) -> None:
    """Record that these batches' readings are in the derived store (the caller commits)."""
    ids = list(batch_ids)
    for i in range(0, len(ids), 500):
        session.execute(update(ReadingBatchRow).where(ReadingBatchRow.batch_id.in_(ids[i:i + 500]))
                        .values(derived=True))


def batches(session: Session, *, limit: int = 100, offset: int = 0) -> list[ReadingBatchRow]:
    """Ledger rows, newest first."""
    return list(session.scalars(select(ReadingBatchRow).order_by(ReadingBatchRow.accepted_at.desc(),
                                                                 ReadingBatchRow.batch_id).limit(limit).offset(offset)))


def count_batches(session: Session) -> int:
    """How many batches the ledger holds."""
    return session.scalar(select(func.count()).select_from(ReadingBatchRow)) or 0


def meters(session: Session, *, unit_code: str | None = None) -> list[MeterRow]:
    """Stored meters by id (one unit's when given)."""
    q = select(MeterRow).order_by(MeterRow.meter_id)
    if unit_code is not None:
        q = q.where(MeterRow.unit_code == unit_code)
    return list(session.scalars(q))


def meters_of_units_of(session: Session, *, meter_ids: Sequence[str]) -> list[MeterRow]:
    """Every meter of the units that own any of ``meter_ids``, by id (the transaction is released)."""
    owners = select(MeterRow.unit_code).where(MeterRow.meter_id.in_(list(meter_ids))).distinct()
    with _released(session):
        rows = list(session.scalars(select(MeterRow).where(MeterRow.unit_code.in_(owners)).order_by(MeterRow.meter_id)))
        for r in rows:
            session.expunge(r)
        return rows


def product_units(session: Session) -> list[tuple[str, str, str]]:
    """Each ``(product, unit)`` the meters measure in, with one meter id that does (sorted)."""
    q = (select(MeterRow.product, MeterRow.unit, func.min(MeterRow.meter_id))
         .group_by(MeterRow.product, MeterRow.unit).order_by(MeterRow.product, MeterRow.unit))
    return [(a, b, c) for a, b, c in session.execute(q)]


def unit_table(session: Session) -> list[tuple[str, str, str, str | None, str, str, bool]]:
    """``code, name, league, county, industry, level, sample`` of every unit (plain rows, no objects)."""
    q = select(KeyUnitRow.code, KeyUnitRow.name, KeyUnitRow.league, KeyUnitRow.county, KeyUnitRow.industry,
               KeyUnitRow.level, KeyUnitRow.sample)
    return [tuple(r) for r in session.execute(q)]  # type: ignore[misc]


def registry_fingerprint(session: Session) -> tuple[object, ...]:
    """Counts and last change of the unit and meter tables (what a remembered metering answer depends on)."""
    q = select(select(func.count()).select_from(KeyUnitRow).scalar_subquery(),
               select(func.max(KeyUnitRow.updated_at)).scalar_subquery(),
               select(func.count()).select_from(MeterRow).scalar_subquery())
    with _released(session):
        row = session.execute(q).one()
    return tuple(row)


def units(session: Session) -> list[KeyUnitRow]:
    """Stored units."""
    return list(session.scalars(select(KeyUnitRow)))


def energy_reports(session: Session, *, year: int) -> list[AnnualReportRow]:
    """Every energy report of ``year``."""
    return list(session.scalars(select(AnnualReportRow).where(AnnualReportRow.year == year,
                                                              AnnualReportRow.kind == "energy")))
