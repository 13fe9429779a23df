"""Keep the derived metering store (flags per unit and day, rollups per meter) up to date.

A batch is answered as soon as its file and ledger row are durable; its ledger row says ``derived = false``.
:func:`catch_up` then flags every pending batch into the derived store, many batches in one pass: it runs in the
background right after a batch lands (:mod:`tanfeng.services.metering.background`) and at the start of every
read, so a read never answers from a store that misses a committed batch. For the readings of the pending
batches, :func:`derive` re-flags the days of each unit they can change
(:func:`tanfeng.monitoring.incremental.revalidate`), replaces their tiles and adds the change of the hourly,
daily and monthly rollups; only then are the batches marked derived. It is idempotent: the tiles hold the
distinct readings, so a batch applied twice (a crash between the update and the mark) changes nothing the
second time, and its rollup change is zero.

:func:`rebuild` flags every committed reading again from scratch and writes the store anew: after a change of
the meter table (a meter registered after its readings arrived, a new multiplier), or when an update was
interrupted (the store is then marked dirty and the next batch rebuilds it first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tanfeng.analytics.metering import UNKNOWN_UNIT, MeteringStore
from tanfeng.config import Settings
from tanfeng.monitoring.incremental import GROUP, revalidate_units
from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.monitoring.rollup import coarser, empty_rollup, rollup, rollup_delta
from tanfeng.monitoring.validate import METER_COLUMNS, validate_readings
from tanfeng.services.metering.read import load_readings, meters_frame, reading_counts
from tanfeng.store import repository_metering as repo
from tanfeng.store.models import utcnow
from tanfeng.store.transaction import atomic

__all__ = ["CATCH_UP_ROWS", "DeriveResult", "catch_up", "derive", "mark_stale", "rebuild"]


@dataclass(frozen=True)
class DeriveResult:
    """What an update did: units touched, tiles (unit-days) replaced, readings flagged to get there."""

    units: int
    tiles: int
    flagged_rows: int
    batches: int = 0

    def __add__(self, other: DeriveResult) -> DeriveResult:
        return DeriveResult(self.units + other.units, self.tiles + other.tiles,
                            self.flagged_rows + other.flagged_rows, self.batches + other.batches)


_NOTHING = DeriveResult(0, 0, 0)
CATCH_UP_ROWS = 2_000_000
"""A catch-up pass flags the pending batches about this many readings at a time."""


def _apply(store: MeteringStore, readings: pl.DataFrame, meters: pl.DataFrame, now: datetime) -> DeriveResult:
    tagged = (readings.join(meters.select("meter_id", pl.col("unit_code").alias(GROUP)), on="meter_id", how="left")
              .with_columns(pl.col(GROUP).fill_null(UNKNOWN_UNIT)))
    groups = tagged[GROUP].unique().to_list()
    updates = revalidate_units(tagged, stored_days={g: store.tile_days(g) for g in groups},
                               load_many=store.read_tiles_many, load=store.read_tiles,
                               meters=meters.select(METER_COLUMNS), now=now, unknown=UNKNOWN_UNIT)
    for code, upd in updates.items():
        store.write_tiles(code, upd.flagged, upd.days)
    old = [u.previous for u in updates.values()]
    new = [u.flagged for u in updates.values()]
    # one rollup of all units' old and new days (a day's hours sum to the day, a month's days to the month)
    hourly = rollup_delta(rollup(pl.concat(old, how="diagonal_relaxed"), "hour", meters),
                          rollup(pl.concat(new, how="diagonal_relaxed"), "hour", meters))
    store.add_delta("hour", hourly)
    store.add_delta("day", coarser(hourly, "day"))
    store.add_delta("month", coarser(hourly, "month"))
    return DeriveResult(units=len(updates), tiles=sum(len(u.days) for u in updates.values()),
                        flagged_rows=sum(u.validated_rows for u in updates.values()))


def derive(session: Session, settings: Settings, readings: pl.DataFrame, *, now: datetime | None = None,
           meters: pl.DataFrame | None = None) -> DeriveResult:
    """Flag a batch's readings into the derived store (rebuilding it first if an update was interrupted)."""
    store = MeteringStore(settings.data_dir)
    table = meters if meters is not None else meters_frame(
        session, sharing_a_unit_with=readings["meter_id"].unique().to_list())
    with store.lock():
        if store.dirty:
            _rebuild_marking(session, settings, store, now=now or utcnow(), backend=None)
        with store.updating():
            return _apply(store, readings, table, now or utcnow())


_CHUNK_ROWS = 2_000_000
"""A rebuild flags whole units together up to about this many readings at a time (units are independent)."""


def _meter_chunks(counts: pl.DataFrame, meters: pl.DataFrame) -> list[list[str]]:
    """The stored meters in groups of whole units of about :data:`_CHUNK_ROWS` readings (unknown meters last)."""
    tagged = counts.join(meters.select("meter_id", "unit_code"), on="meter_id", how="left")
    sizes = tagged.group_by("unit_code").agg(pl.col("n").sum(), pl.col("meter_id")).sort("unit_code",
                                                                                         nulls_last=True)
    groups: list[list[str]] = [[]]
    rows = 0
    for _unit, n, ids in sizes.iter_rows():
        if rows and rows + n > _CHUNK_ROWS:
            groups.append([])
            rows = 0
        groups[-1].extend(ids)
        rows += n
    return [g for g in groups if g]


def _rebuild_locked(session: Session, settings: Settings, store: MeteringStore, meters: pl.DataFrame, *,
                    now: datetime, backend: BaseBackend | None) -> DeriveResult:
    """Flag every stored reading again, a group of whole units at a time: each group's readings are read from the
    batch files (filter pushed into the scan), flagged, tiled and rolled up, so memory follows the group, not the
    store."""
    store.clear()
    with store.updating():
        tiles = rows = 0
        units: set[str] = set()
        coarse: dict[str, list[pl.DataFrame]] = {"day": [], "month": []}
        for ids in _meter_chunks(reading_counts(session, settings, backend=backend), meters):
            chunk = load_readings(session, settings, backend=backend, meter_ids=ids)
            flagged = validate_readings(chunk, meters.select(METER_COLUMNS), now=now)
            for (unit,), part in flagged.with_columns(_u=pl.col("unit_code").fill_null(UNKNOWN_UNIT)).partition_by(
                    "_u", as_dict=True).items():
                days = sorted(set(part["day"].to_list()))
                store.write_tiles(str(unit), part.drop("_u"), days)
                tiles += len(days)
                units.add(str(unit))
            hourly = rollup(flagged, "hour", meters)
            store.add_delta("hour", hourly)  # the groups hold different meters: their rollups add up
            coarse["day"].append(coarser(hourly, "day"))
            coarse["month"].append(coarser(hourly, "month"))
            rows += flagged.height
        for g in ("day", "month"):
            store.replace_rollups(g, pl.concat(coarse[g]) if coarse[g] else empty_rollup())
        return DeriveResult(units=len(units), tiles=tiles, flagged_rows=rows)


def mark_stale(settings: Settings) -> None:
    """Say the derived store misses batches (a bulk load that skipped :func:`derive`): the next read or batch
    rebuilds it first."""
    store = MeteringStore(settings.data_dir)
    with store.lock():
        store.root.mkdir(parents=True, exist_ok=True)
        (store.root / "DIRTY").touch()


def rebuild(session: Session, settings: Settings, *, now: datetime | None = None,
            backend: BaseBackend | None = None) -> DeriveResult:
    """Flag every committed reading again and write the derived store anew (a full re-validation)."""
    store = MeteringStore(settings.data_dir)
    with store.lock():
        return _rebuild_marking(session, settings, store, now=now or utcnow(), backend=backend)


def _rebuild_marking(session: Session, settings: Settings, store: MeteringStore, *, now: datetime,
                     backend: BaseBackend | None) -> DeriveResult:
    """Rebuild (the lock held) and mark the batches that were pending before it began as derived.

    The pending ids are taken before the readings are read, so a batch committed during the rebuild stays
    pending (and is flagged again, idempotently, by the next catch-up) rather than being marked unseen.
    """
    pending = repo.pending_ids(session)
    result = _rebuild_locked(session, settings, store, meters_frame(session), now=now, backend=backend)
    with atomic(session, "derived batches"):
        repo.mark_derived(session, batch_ids=pending)
    return DeriveResult(result.units, result.tiles, result.flagged_rows, len(pending))


def _read_batches(settings: Settings, paths: list[str]) -> pl.DataFrame:
    frames = [pl.read_parquet(settings.data_dir / p) for p in paths]
    return pl.concat(frames).cast(SCHEMA).unique() if frames else pl.DataFrame(schema=SCHEMA)  # type: ignore[arg-type]


def catch_up(session: Session, settings: Settings, *, now: datetime | None = None,
             max_rows: int = CATCH_UP_ROWS) -> DeriveResult:
    """Flag every committed batch not yet in the derived store, many batches per pass; then mark them derived.

    Rebuilds instead when the store is missing or was left dirty (an interrupted update, a bulk load). Cheap
    when nothing is pending (one indexed query), so every read calls it first. Writers take turns on the store's
    lock; a batch committed while a pass runs is taken by the next pass or the next call.
    """
    store = MeteringStore(settings.data_dir)
    if not store.dirty and store.exists() and not repo.pending_batches(session, max_rows=1):
        return _NOTHING
    done = _NOTHING
    with store.lock():
        if store.dirty or not store.exists():
            if repo.count_batches(session) == 0:
                return _NOTHING
            return _rebuild_marking(session, settings, store, now=now or utcnow(), backend=None)
        while pending := repo.pending_batches(session, max_rows=max_rows):
            readings = _read_batches(settings, [b.path for b in pending])
            table = meters_frame(session, sharing_a_unit_with=readings["meter_id"].unique().to_list())
            with store.updating():
                result = _apply(store, readings, table, now or utcnow())
            with atomic(session, "derived batches"):
                repo.mark_derived(session, batch_ids=[b.batch_id for b in pending])
            done = done + DeriveResult(result.units, result.tiles, result.flagged_rows, len(pending))
    return done
