"""Keep the derived metering store (flags per unit and day, rollups per meter) up to date.

:func:`derive` runs when a batch lands, before its ledger row is committed: it re-flags the days of each unit
the batch can change (:func:`tanfeng.monitoring.incremental.revalidate`), replaces their tiles and adds the
change of the hourly, daily and monthly rollups. It is idempotent: the tiles hold the distinct readings, so a
batch applied twice (a retry after a crash between this step and the commit) changes nothing the second time,
and its rollup change is zero.

:func:`rebuild` flags every committed reading again from scratch and writes the store anew: after a change of
the meter table (a meter registered after its readings arrived, a new multiplier), or when an update was
interrupted (the store is then marked dirty and the next batch rebuilds it first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

import polars as pl
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tanfeng.analytics.metering import UNKNOWN_UNIT, MeteringStore
from tanfeng.config import Settings
from tanfeng.monitoring.incremental import revalidate
from tanfeng.monitoring.rollup import GRAINS, coarser, empty_rollup, rollup, rollup_delta
from tanfeng.monitoring.validate import METER_COLUMNS, validate_readings
from tanfeng.services.metering.read import load_readings, meters_frame
from tanfeng.store.models import utcnow

__all__ = ["DeriveResult", "derive", "mark_stale", "rebuild"]


@dataclass(frozen=True)
class DeriveResult:
    """What an update did: units touched, tiles (unit-days) replaced, readings flagged to get there."""

    units: int
    tiles: int
    flagged_rows: int


def _unit_meters(meters: pl.DataFrame, unit_code: str) -> pl.DataFrame:
    return meters.filter(pl.col("unit_code") == unit_code).select(METER_COLUMNS)


def _apply(store: MeteringStore, readings: pl.DataFrame, meters: pl.DataFrame, now: datetime) -> DeriveResult:
    tagged = (readings.join(meters.select("meter_id", pl.col("unit_code").alias("_unit")), on="meter_id", how="left")
              .with_columns(pl.col("_unit").fill_null(UNKNOWN_UNIT)))
    old: list[pl.DataFrame] = []
    new: list[pl.DataFrame] = []
    tiles = flagged_rows = units = 0
    for (unit,), part in tagged.partition_by("_unit", as_dict=True).items():
        code = str(unit)
        upd = revalidate(part.drop("_unit"), stored_days=store.tile_days(code),
                         load=partial(store.read_tiles, code), meters=_unit_meters(meters, code),
                         now=now)
        store.write_tiles(code, upd.flagged, upd.days)
        old.append(upd.previous)
        new.append(upd.flagged)
        units += 1
        tiles += len(upd.days)
        flagged_rows += upd.validated_rows
    # one rollup of all units' old and new days (a day's hours sum to the day, a month's days to the month)
    hourly = rollup_delta(rollup(pl.concat(old, how="diagonal_relaxed"), "hour", meters),
                          rollup(pl.concat(new, how="diagonal_relaxed"), "hour", meters))
    store.add_delta("hour", hourly)
    store.add_delta("day", coarser(hourly, "day"))
    store.add_delta("month", coarser(hourly, "month"))
    return DeriveResult(units=units, tiles=tiles, flagged_rows=flagged_rows)


def derive(session: Session, settings: Settings, readings: pl.DataFrame, *, now: datetime | None = None,
           meters: pl.DataFrame | None = None) -> DeriveResult:
    """Flag a batch's readings into the derived store (rebuilding it first if an update was interrupted)."""
    store = MeteringStore(settings.data_dir)
    table = meters if meters is not None else meters_frame(
        session, sharing_a_unit_with=readings["meter_id"].unique().to_list())
    with store.lock():
        if store.dirty:
            _rebuild_locked(session, settings, store, meters_frame(session), now=now or utcnow(), backend=None)
        with store.updating():
            return _apply(store, readings, table, now or utcnow())


_CHUNK_ROWS = 2_000_000
"""A rebuild flags whole units together up to about this many readings at a time (units are independent)."""


def _chunks(readings: pl.DataFrame, meters: pl.DataFrame) -> list[pl.DataFrame]:
    tagged = readings.join(meters.select("meter_id", pl.col("unit_code").alias("_unit")), on="meter_id", how="left")
    sizes = tagged.group_by("_unit").len().sort("_unit", nulls_last=True)
    groups: list[list[str | None]] = [[]]
    rows = 0
    for unit, n in sizes.iter_rows():
        if rows and rows + n > _CHUNK_ROWS:
            groups.append([])
            rows = 0
        groups[-1].append(unit)
        rows += n
    parts = []
    for g in groups:
        known = [u for u in g if u is not None]
        cond = pl.col("_unit").is_in(known) | (pl.col("_unit").is_null() if None in g else pl.lit(value=False))
        parts.append(tagged.filter(cond).drop("_unit"))
    return parts


def _rebuild_locked(session: Session, settings: Settings, store: MeteringStore, meters: pl.DataFrame, *,
                    now: datetime, backend: BaseBackend | None) -> DeriveResult:
    store.clear()
    with store.updating():
        readings = load_readings(session, settings, backend=backend)
        tiles = rows = 0
        units: set[str] = set()
        rollups: dict[str, list[pl.DataFrame]] = {g: [] for g in GRAINS}
        for chunk in _chunks(readings, meters):
            flagged = validate_readings(chunk, meters.select(METER_COLUMNS), now=now)
            for (unit,), part in flagged.with_columns(_u=pl.col("unit_code").fill_null(UNKNOWN_UNIT)).partition_by(
                    "_u", as_dict=True).items():
                days = sorted(set(part["day"].to_list()))
                store.write_tiles(str(unit), part.drop("_u"), days)
                tiles += len(days)
                units.add(str(unit))
            hourly = rollup(flagged, "hour", meters)
            rollups["hour"].append(hourly)
            rollups["day"].append(coarser(hourly, "day"))
            rollups["month"].append(coarser(hourly, "month"))
            rows += flagged.height
        for g in GRAINS:
            store.replace_rollups(g, pl.concat(rollups[g]) if rollups[g] else empty_rollup())
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
    meters = meters_frame(session)
    with store.lock():
        return _rebuild_locked(session, settings, store, meters, now=now or utcnow(), backend=backend)
