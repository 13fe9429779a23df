"""Ingest reading batches durably, and the batch ledger.

Each accepted batch is one Parquet file under ``<data_dir>/readings/<2 hex>/<64 hex>.parquet`` (named by
the batch's content hash) plus one ``reading_batches`` row (the ledger) and one audit entry. The order is:

1. parse the whole batch (:mod:`tanfeng.monitoring.ingest`; a bad line refuses it whole, nothing written);
2. write the file under a temporary name in the same folder, ``fsync`` it, rename it to its final name,
   ``fsync`` the folder;
3. insert the ledger row (``derived = false``) and the audit entry in one transaction
   (:func:`tanfeng.store.transaction.atomic`) and commit it;
4. only then answer the caller (the API's 200).

Flags and rollups are derived after the answer, many batches per pass (:func:`~tanfeng.services.metering.derive.
catch_up`: in the server's background thread, and at the start of every read), so a gateway waits only for
the durable write.

Readers only open files named by committed ledger rows, so a file left by a crash between 2 and 3 is never
seen (and is deleted by :func:`cleanup_orphans` after a grace period); a batch acknowledged in 4 has both
its row and its complete file on disk. See docs/monitoring.md, "Durability".

Idempotence: the batch id is the content hash (independent of row order), so a re-sent batch is answered
``duplicate = true`` and adds nothing.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.errors import ConflictError, InputError, MeterDataError, at
from tanfeng.monitoring.ingest import SCHEMA, Batch, Format, batch_id, parse_batch
from tanfeng.services.metering.derive import mark_stale
from tanfeng.services.metering.schemas import BatchInfo, IngestResult
from tanfeng.store import repository_metering as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import ReadingBatchRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["ORPHAN_GRACE", "READINGS_FOLDER", "cleanup_orphans", "count_batches", "format_for", "ingest",
           "ingest_frame", "list_batches"]

READINGS_FOLDER = "readings"
ORPHAN_GRACE = timedelta(minutes=10)
"""A file without a ledger row is deleted only when older than this: a writer may be between rename and commit."""

_CONTENT_TYPES: dict[str, Format] = {
    "application/json": "json", "text/json": "json",
    "text/csv": "csv", "application/csv": "csv",
    "application/vnd.apache.parquet": "parquet", "application/x-parquet": "parquet",
    "application/parquet": "parquet", "application/octet-stream": "parquet",
}


def format_for(content_type: str | None, filename: str | None = None) -> Format:
    """The batch format for an HTTP content type (or a file name's suffix)."""
    if filename:
        suffix = Path(filename).suffix.lower().lstrip(".")
        if suffix in ("json", "csv", "parquet"):
            return suffix  # type: ignore[return-value]
    ct = (content_type or "application/json").split(";")[0].strip().lower()
    fmt = _CONTENT_TYPES.get(ct)
    if fmt is None:
        msg = f"content type '{ct}' is not a readings batch"
        raise InputError(msg, hint="send application/json, text/csv or application/vnd.apache.parquet")
    return fmt


def _folder(data_dir: Path) -> Path:
    return Path(data_dir) / READINGS_FOLDER


def _relative_path(bid: str) -> str:
    digest = bid.split(":", 1)[1]
    return f"{READINGS_FOLDER}/{digest[:2]}/{digest}.parquet"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(frame: pl.DataFrame, target: Path) -> None:
    """Write ``frame`` to ``target``: temporary name, fsync, rename, fsync the folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{target.stem}-{uuid.uuid4().hex}.parquet"
    try:
        with tmp.open("wb") as fh:
            frame.write_parquet(fh, compression="zstd", statistics=True)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)


_cleaned: set[Path] = set()
_cleaned_lock = threading.Lock()


def cleanup_orphans(session: Session, data_dir: Path, *, grace: timedelta = ORPHAN_GRACE) -> int:
    """Delete reading files that no committed ledger row names (left by a crash), older than ``grace``.

    Readers never see such files (they only open files named by ledger rows); this only frees the space.
    Returns the number of files deleted.
    """
    folder = _folder(data_dir)
    if not folder.exists():
        return 0
    known = repo.ledger_paths(session)
    cutoff = datetime.now(UTC).timestamp() - grace.total_seconds()
    removed = 0
    for path in folder.rglob("*.parquet"):
        rel = path.relative_to(Path(data_dir)).as_posix()
        if rel in known:
            continue
        try:
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _cleanup_once(session: Session, data_dir: Path) -> None:
    key = Path(data_dir).resolve()
    with _cleaned_lock:
        if key in _cleaned:
            return
        _cleaned.add(key)
    cleanup_orphans(session, data_dir)


def _duplicate(entry: repo.LedgerEntry) -> IngestResult:
    return IngestResult(batch_id=entry.batch_id, rows=entry.rows, meters=entry.meters, duplicate=True,
                        source=entry.source, accepted_at=entry.accepted_at, first_ts=entry.first_ts,
                        last_ts=entry.last_ts)


def _check_scope(session: Session, batch: Batch, unit_scope: str) -> None:
    """Refuse a batch with a meter that is not one of ``unit_scope``'s, naming its row."""
    frame = batch.readings
    owned = repo.owned_meters(session, unit_code=unit_scope, meter_ids=frame["meter_id"].unique().to_list())
    foreign = frame.with_row_index("_i").filter(~pl.col("meter_id").is_in(list(owned)))
    if foreign.height:
        msg = f"meter '{foreign['meter_id'][0]}' is not a meter of unit {unit_scope}"
        raise MeterDataError(msg, location=at(batch.source, row=int(foreign["_i"][0]) + 1, field="meter_id"),
                             hint="a gateway token may only send its own unit's meters")


def _ledger_row(batch: Batch, *, fmt: str, rel: str, actor: str, sample: bool) -> ReadingBatchRow:
    frame = batch.readings
    return ReadingBatchRow(
        batch_id=batch.batch_id, source=batch.source[:300], format=fmt, rows=frame.height,
        meters=frame["meter_id"].n_unique(), first_ts=frame["ts"].min(), last_ts=frame["ts"].max(),
        accepted_at=utcnow(), actor=actor, path=rel, status="accepted", sample=sample, derived=False)


def _audit_after(row: ReadingBatchRow) -> dict[str, Any]:
    first, last = row.first_ts, row.last_ts
    return {"rows": row.rows, "meters": row.meters, "source": row.source, "format": row.format, "path": row.path,
            "first_ts": first.isoformat() if isinstance(first, datetime) else None,
            "last_ts": last.isoformat() if isinstance(last, datetime) else None, "sample": row.sample}


def _store(session: Session, settings: Settings, batch: Batch, *, fmt: str, actor: str, sample: bool,
           unit_scope: str | None, actor_role: str | None, client_address: str | None,
           defer_derive: bool = False) -> IngestResult:
    data_dir = settings.data_dir
    if batch.readings.height == 0:
        msg = "the batch has no readings"
        raise MeterDataError(msg, location=at(batch.source))
    if unit_scope is not None:
        _check_scope(session, batch, unit_scope)
    existing = repo.ledger_entry(session, batch_id=batch.batch_id)
    if existing is not None:
        return _duplicate(existing)
    _cleanup_once(session, data_dir)
    rel = _relative_path(batch.batch_id)
    stored = batch.readings.select(list(SCHEMA)).sort("meter_id", "ts", "value", "kind")
    _write_durably(stored, Path(data_dir) / rel)
    if defer_derive:
        mark_stale(settings)
    row = _ledger_row(batch, fmt=fmt, rel=rel, actor=actor, sample=sample)
    result = IngestResult(batch_id=row.batch_id, rows=row.rows, meters=row.meters, duplicate=False,
                          source=row.source, accepted_at=row.accepted_at, first_ts=row.first_ts, last_ts=row.last_ts)
    try:
        with atomic(session, f"reading batch {batch.batch_id}"):
            session.add(row)
            session.flush()
            record_audit(session, actor=actor, action="ingest", entity="reading_batch", entity_id=batch.batch_id,
                         after=_audit_after(row), actor_role=actor_role, client_address=client_address)
    except ConflictError:
        # the same batch committed by a concurrent request: its file is the same bytes
        again = repo.ledger_entry(session, batch_id=batch.batch_id)
        if again is None:
            raise
        return _duplicate(again)
    return result


def ingest(session: Session, settings: Settings, data: str | bytes, fmt: Format, *, source: str | None = None,
           actor: str, sample: bool = False, unit_scope: str | None = None, actor_role: str | None = None,
           client_address: str | None = None) -> IngestResult:
    """Parse, check and durably store one batch; returns only once the batch is committed.

    Parameters
    ----------
    data, fmt
        The batch as sent (JSON list, CSV with header, or Parquet bytes).
    unit_scope
        When set (a gateway token bound to one unit), every meter of the batch must belong to that unit.

    Raises
    ------
    MeterDataError
        A bad line (named by line or row and field); nothing is written.
    """
    batch = parse_batch(data, fmt, source=source)
    return _store(session, settings, batch, fmt=fmt, actor=actor, sample=sample, unit_scope=unit_scope,
                  actor_role=actor_role, client_address=client_address)


def ingest_frame(session: Session, settings: Settings, frame: pl.DataFrame, *, source: str, actor: str,
                 sample: bool = False, defer_derive: bool = False) -> IngestResult:
    """Store an already parsed frame in the contract schema (the sample loader uses it).

    ``defer_derive`` (bulk loads): the derived store is marked stale, so the next catch-up rebuilds it in one
    pass rather than re-flagging batch by batch.
    """
    readings = frame.select(list(SCHEMA)).cast(SCHEMA)  # type: ignore[arg-type]
    batch = Batch(readings, batch_id(readings), source)
    return _store(session, settings, batch, fmt="frame", actor=actor, sample=sample, unit_scope=None,
                  actor_role=None, client_address=None, defer_derive=defer_derive)


def list_batches(session: Session, *, limit: int = 100, offset: int = 0) -> list[BatchInfo]:
    """Accepted batches, newest first."""
    return [BatchInfo(batch_id=r.batch_id, source=r.source, format=r.format, rows=r.rows, meters=r.meters,
                      first_ts=r.first_ts, last_ts=r.last_ts, accepted_at=r.accepted_at, actor=r.actor,
                      status=r.status, sample=r.sample) for r in repo.batches(session, limit=limit, offset=offset)]


def count_batches(session: Session) -> int:
    """How many batches the ledger holds."""
    return repo.count_batches(session)
