"""Use cases of online metering: ingest reading batches durably, aggregate, data quality, monitored vs reported.

Storage
-------
Each accepted batch is one Parquet file under ``<data_dir>/readings/<2 hex>/<64 hex>.parquet`` (named by
the batch's content hash) plus one ``reading_batches`` row (the ledger) and one audit entry. The order is:

1. parse the whole batch (:mod:`tanfeng.monitoring.ingest`; a bad line refuses it whole, nothing written);
2. write the file under a temporary name in the same folder, ``fsync`` it, rename it to its final name,
   ``fsync`` the folder;
3. insert the ledger row and the audit entry in one transaction and commit it;
4. only then answer the caller (the API's 200).

Readers only open files named by committed ledger rows, so a file left by a crash between 2 and 3 is never
seen (and is deleted by :func:`cleanup_orphans` after a grace period); a batch acknowledged in 4 has both
its row and its complete file on disk. See docs/monitoring.md, "Durability".

Idempotence: the batch id is the content hash (independent of row order), so a re-sent batch is answered
``duplicate = true`` and adds nothing. Different batches that overlap are merged with set semantics when
read (:func:`tanfeng.monitoring.ingest.merge`'s rule: a reading is the tuple ``(meter_id, ts, value,
kind)``; the same tuple twice counts once; the same meter and time with another value is a conflict flag).

Quality flags are derived on read from the whole set of stored readings (never stored per batch), so they do
not depend on the order batches arrived in; raw values are never changed.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import ibis
import polars as pl
from ibis.backends import BaseBackend
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.accounting import combustion_co2, electricity_co2, to_standard_coal
from tanfeng.analytics import connect
from tanfeng.config import Settings
from tanfeng.enterprises.benchmarks import GAP_TOLERANCE
from tanfeng.enterprises.benchmarks import monitored_vs_reported as compare_monitored
from tanfeng.errors import ConflictError, InputError, MeterDataError, TanfengError, at
from tanfeng.monitoring.aggregate import By, Grain, missing_factors, table_from_polars
from tanfeng.monitoring.aggregate import aggregate as aggregate_expr
from tanfeng.monitoring.ingest import SCHEMA, Batch, Format, batch_id, parse_batch
from tanfeng.monitoring.validate import COMPLETENESS_THRESHOLD, FLAGS, completeness, validate_readings
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import AnnualReportRow, KeyUnitRow, MeterRow, ReadingBatchRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = [
    "GRID_REGION",
    "READINGS_FOLDER",
    "SAMPLE_NOTICE",
    "AggregateRow",
    "BatchInfo",
    "IngestResult",
    "QualityReport",
    "aggregate",
    "batch_paths",
    "cleanup_orphans",
    "conversion_factors",
    "format_for",
    "ingest",
    "ingest_frame",
    "list_batches",
    "load_readings",
    "meters_frame",
    "monitored_vs_reported",
    "quality",
    "units_frame",
]

READINGS_FOLDER = "readings"
TZ = ZoneInfo("Asia/Shanghai")
SAMPLE_NOTICE = "示例数据 (sample data, not real enterprises)"
GRID_REGION = "150000"
"""Grid factor region for metered electricity: Inner Mongolia's provincial average-supply factor."""
ORPHAN_GRACE = timedelta(minutes=10)
"""A file without a ledger row is deleted only when older than this: a writer may be between rename and commit."""

_CONTENT_TYPES: dict[str, Format] = {
    "application/json": "json", "text/json": "json",
    "text/csv": "csv", "application/csv": "csv",
    "application/vnd.apache.parquet": "parquet", "application/x-parquet": "parquet",
    "application/parquet": "parquet", "application/octet-stream": "parquet",
}


class IngestResult(BaseModel):
    """The answer to an ingested batch: its id, how many readings, whether it was already stored."""

    batch_id: str
    rows: int
    meters: int
    duplicate: bool
    source: str
    accepted_at: datetime
    first_ts: datetime | None = None
    last_ts: datetime | None = None


class BatchInfo(BaseModel):
    """A ledger row."""

    batch_id: str
    source: str
    format: str
    rows: int
    meters: int
    first_ts: datetime | None
    last_ts: datetime | None
    accepted_at: datetime
    actor: str
    status: str
    sample: bool


class AggregateRow(BaseModel):
    """One aggregate row; the group key is under the ``by`` name in :meth:`as_row`."""

    period: datetime
    key: str
    energy_tce: float
    tco2: float
    sample: bool


class QualityReport(BaseModel):
    """Flags per meter (counts) and completeness per unit and local day."""

    first_day: date
    last_day: date
    threshold: float
    readings: int
    valid: int
    flags: list[dict[str, Any]]
    completeness: list[dict[str, Any]]
    sample: bool
    notice: str | None


# ------------------------------------------------------------------------------------------------------
# ingestion

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
    known = set(session.scalars(select(ReadingBatchRow.path)))
    if session.in_transaction():
        session.rollback()
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


def _result(row: ReadingBatchRow, *, duplicate: bool) -> IngestResult:
    return IngestResult(batch_id=row.batch_id, rows=row.rows, meters=row.meters, duplicate=duplicate,
                        source=row.source, accepted_at=row.accepted_at, first_ts=row.first_ts, last_ts=row.last_ts)


def _store(session: Session, data_dir: Path, batch: Batch, *, fmt: str, actor: str, sample: bool,
           unit_scope: str | None, actor_role: str | None, client_address: str | None) -> IngestResult:
    frame = batch.readings
    if frame.height == 0:
        msg = "the batch has no readings"
        raise MeterDataError(msg, location=at(batch.source))
    if unit_scope is not None:
        ids = frame["meter_id"].unique().to_list()
        owned = set(session.scalars(select(MeterRow.meter_id).where(MeterRow.unit_code == unit_scope,
                                                                    MeterRow.meter_id.in_(ids))))
        if session.in_transaction():
            session.rollback()
        foreign = frame.with_row_index("_i").filter(~pl.col("meter_id").is_in(list(owned)))
        if foreign.height:
            msg = f"meter '{foreign['meter_id'][0]}' is not a meter of unit {unit_scope}"
            raise MeterDataError(msg, location=at(batch.source, row=int(foreign["_i"][0]) + 1, field="meter_id"),
                                 hint="a gateway token may only send its own unit's meters")
    existing = session.get(ReadingBatchRow, batch.batch_id)
    if session.in_transaction():
        session.rollback()
    if existing is not None:
        return _result(existing, duplicate=True)
    _cleanup_once(session, data_dir)
    rel = _relative_path(batch.batch_id)
    stored = frame.select(list(SCHEMA)).sort("meter_id", "ts", "value", "kind")
    _write_durably(stored, Path(data_dir) / rel)
    first, last = frame["ts"].min(), frame["ts"].max()
    row = ReadingBatchRow(
        batch_id=batch.batch_id, source=batch.source[:300], format=fmt, rows=frame.height,
        meters=frame["meter_id"].n_unique(), first_ts=first, last_ts=last, accepted_at=utcnow(), actor=actor,
        path=rel, status="accepted", sample=sample)
    info = {"rows": row.rows, "meters": row.meters, "source": row.source, "format": fmt, "path": rel,
            "first_ts": first.isoformat() if isinstance(first, datetime) else None,
            "last_ts": last.isoformat() if isinstance(last, datetime) else None, "sample": sample}
    result = IngestResult(batch_id=batch.batch_id, rows=row.rows, meters=row.meters, duplicate=False,
                          source=row.source, accepted_at=row.accepted_at, first_ts=row.first_ts, last_ts=row.last_ts)
    try:
        with atomic(session, f"reading batch {batch.batch_id}"):
            session.add(row)
            session.flush()
            record_audit(session, actor=actor, action="ingest", entity="reading_batch", entity_id=batch.batch_id,
                         after=info, actor_role=actor_role, client_address=client_address)
        if session.in_transaction():
            session.commit()
    except ConflictError:
        # the same batch committed by a concurrent request: its file is the same bytes
        session.rollback()
        again = session.get(ReadingBatchRow, batch.batch_id)
        session.rollback()
        if again is None:
            raise
        return _result(again, duplicate=True)
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
    return _store(session, settings.data_dir, batch, fmt=fmt, actor=actor, sample=sample, unit_scope=unit_scope,
                  actor_role=actor_role, client_address=client_address)


def ingest_frame(session: Session, settings: Settings, frame: pl.DataFrame, *, source: str, actor: str,
                 sample: bool = False) -> IngestResult:
    """Store an already parsed frame in the contract schema (the sample loader uses it)."""
    readings = frame.select(list(SCHEMA)).cast(SCHEMA)  # type: ignore[arg-type]
    batch = Batch(readings, batch_id(readings), source)
    return _store(session, settings.data_dir, batch, fmt="frame", actor=actor, sample=sample, unit_scope=None,
                  actor_role=None, client_address=None)


def list_batches(session: Session, *, limit: int = 100, offset: int = 0) -> list[BatchInfo]:
    """Accepted batches, newest first."""
    rows = session.scalars(select(ReadingBatchRow).order_by(ReadingBatchRow.accepted_at.desc(),
                                                            ReadingBatchRow.batch_id).limit(limit).offset(offset))
    return [BatchInfo(batch_id=r.batch_id, source=r.source, format=r.format, rows=r.rows, meters=r.meters,
                      first_ts=r.first_ts, last_ts=r.last_ts, accepted_at=r.accepted_at, actor=r.actor,
                      status=r.status, sample=r.sample) for r in rows]


# ------------------------------------------------------------------------------------------------------
# reading back

def batch_paths(session: Session, data_dir: Path, *, start: datetime | None = None,
                end: datetime | None = None) -> list[str]:
    """Absolute paths of the files of committed batches overlapping ``[start, end]`` (UTC instants)."""
    q = select(ReadingBatchRow.path).where(ReadingBatchRow.status == "accepted")
    if start is not None:
        q = q.where(ReadingBatchRow.last_ts >= start)
    if end is not None:
        q = q.where(ReadingBatchRow.first_ts <= end)
    return [str(Path(data_dir) / p) for p in session.scalars(q.order_by(ReadingBatchRow.path))]


def _is_spark(backend: BaseBackend) -> bool:
    return str(backend.name) == "pyspark"


def load_readings(session: Session, settings: Settings, *, start: datetime | None = None,
                  end: datetime | None = None, backend: BaseBackend | None = None) -> pl.DataFrame:
    """The stored readings (set semantics: each distinct reading once) in ``[start, end]``, via Ibis.

    Only files of committed ledger rows are read. ``backend`` defaults to :func:`tanfeng.analytics.connect`.
    """
    paths = batch_paths(session, settings.data_dir, start=start, end=end)
    if session.in_transaction():
        session.rollback()
    if not paths:
        return pl.DataFrame(schema=SCHEMA)
    con = backend or connect(settings)
    if _is_spark(con):
        parts = [con.read_parquet(p) for p in paths]
        table = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    else:
        table = con.read_parquet(paths)
    if start is not None:
        table = table.filter(table.ts >= start)
    if end is not None:
        table = table.filter(table.ts <= end)
    frame = pl.from_arrow(con.to_pyarrow(table.select(*SCHEMA).distinct()))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col("ts").dt.convert_time_zone("UTC").dt.cast_time_unit("us")).cast(
        SCHEMA).sort("meter_id", "ts", "value", "kind")  # type: ignore[arg-type]


_METER_SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.String(), "unit_code": pl.String(), "product": pl.String(), "unit": pl.String(),
    "multiplier": pl.Float64(), "kind": pl.String(), "rollover_max": pl.Float64(), "sample": pl.Boolean(),
}
_UNIT_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String(), "name": pl.String(), "league": pl.String(), "county": pl.String(),
    "industry": pl.String(), "level": pl.String(), "sample": pl.Boolean(),
}


def meters_frame(session: Session, *, unit_code: str | None = None) -> pl.DataFrame:
    """The stored meter table (the shape :mod:`tanfeng.monitoring` expects, plus ``sample``)."""
    q = select(MeterRow).order_by(MeterRow.meter_id)
    if unit_code is not None:
        q = q.where(MeterRow.unit_code == unit_code)
    rows = [{k: getattr(m, k) for k in _METER_SCHEMA} for m in session.scalars(q)]
    return pl.DataFrame(rows, schema=_METER_SCHEMA)


def units_frame(session: Session) -> pl.DataFrame:
    """The stored unit table ``unit_code, name, league, county, industry, level, sample``."""
    rows = [{"unit_code": u.code, "name": u.name, "league": u.league, "county": u.county, "industry": u.industry,
             "level": u.level, "sample": u.sample} for u in session.scalars(select(KeyUnitRow))]
    return pl.DataFrame(rows, schema=_UNIT_SCHEMA)


@lru_cache(maxsize=8)
def _grid_factor(unit: str) -> tuple[float, str]:
    """tCO2 per ``unit`` of electricity: the newest year of the engine's grid factors for :data:`GRID_REGION`."""
    last: TanfengError | None = None
    for year in range(date.today().year, 2009, -1):
        try:
            res = electricity_co2(1.0, unit, GRID_REGION, year)
        except TanfengError as exc:
            last = exc
            continue
        return res.tco2, f"{res.source} ({GRID_REGION}, {year})"
    msg = f"no grid factor for region {GRID_REGION} in the factor library"
    raise InputError(msg) from last


@lru_cache(maxsize=64)
def _factor(product: str, unit: str) -> tuple[float, float, str]:
    coal = to_standard_coal(1.0, unit, product)
    if product == "electricity":
        tco2, src = _grid_factor(unit)
    else:
        res = combustion_co2(1.0, unit, product)
        tco2, src = res.tco2, res.source
    return coal.value * 1000.0, tco2, f"{coal.source}; {src}"


def conversion_factors(meters: pl.DataFrame) -> pl.DataFrame:
    """``product, unit, kgce_per_unit, tco2_per_unit, source`` for the meters' pairs, from the accounting engine.

    kgce: GB/T 2589 coefficients (electricity at its equivalent value); tCO2: the China default combustion
    factors, and for electricity the Inner Mongolia grid factor of the newest year in the library.
    """
    pairs = meters.select("product", "unit").unique().sort("product", "unit")
    rows = []
    for product, unit in pairs.iter_rows():
        kgce, tco2, source = _factor(product, unit)
        rows.append({"product": product, "unit": unit, "kgce_per_unit": kgce, "tco2_per_unit": tco2,
                     "source": source})
    out = pl.DataFrame(rows, schema={"product": pl.String, "unit": pl.String, "kgce_per_unit": pl.Float64,
                                     "tco2_per_unit": pl.Float64, "source": pl.String})
    missing_factors(meters, out)
    return out


_FIRST_DAY, _LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)
"""Readings outside these days are refused as input (no meter data exists there)."""


def _local_bounds(first_day: date | None, last_day: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC instants covering local days ``first_day … last_day`` plus the reading before (cumulative baseline)."""
    for name, day in (("from", first_day), ("to", last_day)):
        if day is not None and not (_FIRST_DAY <= day <= _LAST_DAY):
            msg = f"'{name}' must be a day between {_FIRST_DAY} and {_LAST_DAY}, not {day}"
            raise InputError(msg, location=at(field=name))
    if first_day is not None and last_day is not None and last_day < first_day:
        msg = f"'to' ({last_day}) is before 'from' ({first_day})"
        raise InputError(msg, location=at(field="to"))
    start = datetime.combine(first_day, time(0), tzinfo=TZ).astimezone(UTC) if first_day else None
    end = (datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=TZ).astimezone(UTC)
           if last_day else None)
    return start, end


def _validated(session: Session, settings: Settings, *, first_day: date | None, last_day: date | None,
               backend: BaseBackend | None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    start, end = _local_bounds(first_day, last_day)
    meters = meters_frame(session)
    units = units_frame(session)
    readings = load_readings(session, settings, start=start, end=end, backend=backend)
    flagged = validate_readings(readings, meters, now=utcnow())
    if first_day is not None:
        flagged = flagged.filter(pl.col("day") >= first_day)
    if last_day is not None:
        flagged = flagged.filter(pl.col("day") <= last_day)
    return flagged, meters, units


def aggregate(session: Session, settings: Settings, *, period: Grain, by: By, first_day: date | None = None,
              last_day: date | None = None, backend: BaseBackend | None = None) -> list[dict[str, Any]]:
    """Energy (tce) and emissions (tCO2) of valid readings per period and group, run through Ibis.

    Returns rows ``period`` (local start of the hour/day/month), the group key under the ``by`` name,
    ``energy_tce``, ``tco2`` and ``sample`` (true when the group holds 示例数据).
    """
    if period not in ("hour", "day", "month"):
        msg = f"period '{period}' is not one of hour, day, month"
        raise InputError(msg)
    if by not in ("meter", "unit", "league", "industry"):
        msg = f"by '{by}' is not one of meter, unit, league, industry"
        raise InputError(msg)
    flagged, meters, units = _validated(session, settings, first_day=first_day, last_day=last_day,
                                        backend=backend)
    if flagged.height == 0 or meters.height == 0:
        return []
    factors = conversion_factors(meters)
    con = backend or connect(settings)
    expr = aggregate_expr(
        table_from_polars(flagged.select("meter_id", "interval_start_local", "energy", "valid")),
        table_from_polars(meters.drop("sample")), table_from_polars(units.drop("sample")),
        table_from_polars(factors), grain=period, by=by)
    out = pl.from_arrow(con.to_pyarrow(expr))
    assert isinstance(out, pl.DataFrame)
    key_col = {"meter": "meter_id", "unit": "unit_code", "league": "league", "industry": "industry"}[by]
    if by == "meter":
        flags = meters.select(pl.col("meter_id").alias(by), "sample")
    else:
        flags = units.group_by(pl.col(key_col).alias(by)).agg(pl.col("sample").any())
    out = (out.with_columns(pl.col("period").cast(pl.Datetime("us")))
           .join(flags, on=by, how="left").with_columns(pl.col("sample").fill_null(False))
           .sort("period", by))
    return [dict(r) for r in out.select("period", by, "energy_tce", "tco2", "sample").iter_rows(named=True)]


def quality(session: Session, settings: Settings, *, first_day: date | None = None, last_day: date | None = None,
            backend: BaseBackend | None = None) -> QualityReport:
    """Quality flags per meter (counts of each ``q_*`` flag) and completeness per unit and local day.

    Days default to the first and last local day holding readings.
    """
    flagged, meters, units = _validated(session, settings, first_day=first_day, last_day=last_day,
                                        backend=backend)
    sample = bool(units["sample"].any()) if units.height else False
    if flagged.height == 0 and (first_day is None or last_day is None):
        today = datetime.now(TZ).date()
        return QualityReport(first_day=first_day or today, last_day=last_day or today,
                             threshold=COMPLETENESS_THRESHOLD, readings=0, valid=0, flags=[], completeness=[],
                             sample=sample, notice=SAMPLE_NOTICE if sample else None)
    days = flagged.filter(pl.col("valid"))["day"] if flagged["valid"].any() else flagged["day"]
    d0 = first_day or days.drop_nulls().min()
    d1 = last_day or days.drop_nulls().max()
    assert isinstance(d0, date)
    assert isinstance(d1, date)
    counts = (flagged.group_by("meter_id").agg(
        pl.len().alias("readings"), pl.col("valid").sum().alias("valid"),
        *[pl.col(f).sum().alias(f) for f in FLAGS])
        .join(meters.select("meter_id", "unit_code"), on="meter_id", how="left")
        .sort("meter_id"))
    _, per_unit = completeness(flagged, meters, first_day=d0, last_day=d1)
    per_unit = per_unit.join(units.select("unit_code", "sample"), on="unit_code", how="left")
    return QualityReport(
        first_day=d0, last_day=d1, threshold=COMPLETENESS_THRESHOLD, readings=flagged.height,
        valid=int(flagged["valid"].sum()), flags=[dict(r) for r in counts.iter_rows(named=True)],
        completeness=[dict(r) for r in per_unit.iter_rows(named=True)], sample=sample,
        notice=SAMPLE_NOTICE if sample else None)


def monitored_vs_reported(session: Session, settings: Settings, *, year: int,
                          backend: BaseBackend | None = None) -> list[dict[str, Any]]:
    """Monitored energy per unit for ``year`` beside the energy of its latest energy report; gaps > 5 % flagged."""
    rows = aggregate(session, settings, period="month", by="unit", first_day=date(year, 1, 1),
                     last_day=date(year, 12, 31), backend=backend)
    monitored = (pl.DataFrame(rows, schema={"period": pl.Datetime("us"), "unit": pl.String,
                                            "energy_tce": pl.Float64, "tco2": pl.Float64, "sample": pl.Boolean})
                 .group_by(pl.col("unit").alias("unit_code")).agg(pl.col("energy_tce").sum())
                 .with_columns(period=pl.lit(year)))
    reports = session.scalars(select(AnnualReportRow).where(AnnualReportRow.year == year,
                                                            AnnualReportRow.kind == "energy"))
    reported = pl.DataFrame(
        [{"unit_code": r.unit_code, "period": year, "energy_tce": float(r.figures.get("energy_tce") or 0.0)}
         for r in reports],
        schema={"unit_code": pl.String, "period": pl.Int32, "energy_tce": pl.Float64})
    out = compare_monitored(monitored.cast({"period": pl.Int32}), reported, tolerance=GAP_TOLERANCE)
    return [dict(r) for r in out.iter_rows(named=True)]


def count_batches(session: Session) -> int:
    """How many batches the ledger holds."""
    return session.scalar(select(func.count()).select_from(ReadingBatchRow)) or 0


def as_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with datetimes as ISO text (for JSON output)."""
    return [{k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in r.items()} for r in rows]


Period = Literal["hour", "day", "month"]
