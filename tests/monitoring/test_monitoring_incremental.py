"""Validation at ingest, tile by tile, equals a full re-validation; rollup deltas add up to the full rollups.

Readings are random (seeded by hypothesis): sparse and dense days, stuck runs, spikes, negative values,
cumulative registers that reset or wrap, conflicting re-readings, an unknown meter. They are cut into random
batches that arrive in a random order, some of them twice. After every batch is flagged by
:func:`~tanfeng.monitoring.incremental.revalidate`, the stored tiles must equal ``validate_readings`` over the
distinct union of all batches, and the summed rollup deltas must equal the rollup of that full validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanfeng.monitoring.incremental import COMPARED, GROUP, local_day, revalidate, revalidate_units
from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.monitoring.rollup import COUNTS, GRAINS, rollup, rollup_delta, sum_rollups
from tanfeng.monitoring.validate import ValidationParams, validate_readings

PARAMS = ValidationParams(spike_window=9, spike_min_samples=3, stuck_hours=1.0)
NOW = datetime(2025, 1, 10, tzinfo=UTC)
START = datetime(2025, 1, 1, 16, 0, tzinfo=UTC)  # local midnight of 2 January
METERS = pl.DataFrame({
    "meter_id": ["A-E1", "A-E2", "A-G1", "B-E1"], "unit_code": ["A", "A", "A", "B"],
    "kind": ["interval", "interval", "cumulative", "interval"], "multiplier": [1.0, 40.0, 1.0, 1.0],
    "rollover_max": [None, None, 1000.0, None],
})
ORDER = ["meter_id", "ts", "value", "kind"]


def _readings(seed: int, slots: int) -> pl.DataFrame:
    """Random readings of the four meters and an unknown one over ``slots`` quarter hours."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, datetime, float, str]] = []
    for meter, kind in [*zip(METERS["meter_id"], METERS["kind"], strict=True), ("X-E9", "interval")]:
        density = rng.choice([0.1, 0.5, 1.0])
        register = float(rng.uniform(0, 900))
        value = 5.0
        for k in range(1, slots + 1):
            if rng.random() > density:
                continue
            ts = START + timedelta(minutes=15 * k)
            if kind == "cumulative":
                step = rng.choice([0.0, 0.0, 3.0, 7.0, -50.0])
                register = (register + step) % 1000.0 if step >= 0 else max(register + step, 0.0)
                value = round(register, 3)
            elif rng.random() > 0.3:  # otherwise hold the last value (stuck runs)
                value = float(rng.choice([5.0, 6.0, 80.0, -2.0, 0.0]))
            rows.append((meter, ts, value, kind))
            if rng.random() < 0.03:  # a conflicting second reading
                rows.append((meter, ts, value + 1.0, kind))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


class _Store:
    """Tiles per (unit, day) in memory, and rollups as the sum of the deltas."""

    def __init__(self) -> None:
        self.tiles: dict[tuple[str, date], pl.DataFrame] = {}
        self.deltas: dict[str, list[pl.DataFrame]] = {g: [] for g in GRAINS}

    def days(self, unit: str) -> list[date]:
        return sorted(d for u, d in self.tiles if u == unit)

    def load(self, unit: str, days: Sequence[date]) -> dict[date, pl.DataFrame]:
        return {d: self.tiles[(unit, d)] for d in days if (unit, d) in self.tiles}

    def add(self, batch: pl.DataFrame) -> None:
        tagged = batch.join(METERS.select("meter_id", "unit_code"), on="meter_id", how="left").with_columns(
            pl.col("unit_code").fill_null("_unknown"))
        for (unit,), part in tagged.partition_by("unit_code", as_dict=True).items():
            meters = METERS.filter(pl.col("unit_code") == unit)
            upd = revalidate(part.select(ORDER), stored_days=self.days(str(unit)),
                             load=lambda days, u=str(unit): self.load(u, days), meters=meters, now=NOW, params=PARAMS)
            for d in upd.days:
                self.tiles.pop((str(unit), d), None)
            for (d,), tile in upd.flagged.partition_by("day", as_dict=True).items():
                self.tiles[(str(unit), d)] = tile  # type: ignore[index]
            for g in GRAINS:
                self.deltas[g].append(rollup_delta(rollup(upd.previous, g), rollup(upd.flagged, g)))


def _compare(a: pl.DataFrame, b: pl.DataFrame) -> None:
    cols = [*ORDER, "day", *COMPARED]
    left, right = a.select(cols).sort(ORDER), b.select(cols).sort(ORDER)
    assert left.height == right.height
    assert left.equals(right), pl.concat([left, right]).unique(keep="none").head(10)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), slots=st.integers(40, 5 * 96), n_batches=st.integers(1, 7),
       resend=st.integers(0, 3))
def test_incremental_flags_and_rollups_equal_a_full_revalidation(seed: int, slots: int, n_batches: int,
                                                                 resend: int) -> None:
    readings = _readings(seed, slots)
    rng = np.random.default_rng(seed + 1)
    cut = rng.integers(0, n_batches, readings.height)
    batches = [readings.filter(pl.Series(cut == i)) for i in range(n_batches)]
    batches = [b for b in batches if b.height]
    order = list(rng.permutation(len(batches))) + list(rng.integers(0, len(batches), resend))
    store = _Store()
    for i in order:
        store.add(batches[int(i)])

    full = validate_readings(readings.unique(), METERS, now=NOW, params=PARAMS)
    _compare(pl.concat(list(store.tiles.values())), full)
    for g in GRAINS:
        got = sum_rollups(*store.deltas[g])
        want = sum_rollups(rollup(full, g))
        assert got.select("meter_id", "unit_code", "period", *COUNTS).equals(
            want.select("meter_id", "unit_code", "period", *COUNTS))
        assert np.allclose(got["energy"].to_numpy(), want["energy"].to_numpy(), rtol=1e-9, atol=1e-9)


def test_a_batch_in_order_touches_only_the_last_days() -> None:
    """Five dense days arrive one by one: each re-flags its own day and the day before, never the first days."""
    readings = _readings(3, 5 * 96).filter(pl.col("meter_id").str.starts_with("A"))
    days = readings.with_columns(day=local_day(pl.col("ts"), PARAMS.tz))
    store = _Store()
    touched: list[tuple[date, ...]] = []
    for (_, part) in sorted(days.partition_by("day", as_dict=True).items()):
        upd = revalidate(part.select(ORDER), stored_days=store.days("A"), load=lambda d: store.load("A", d),
                         meters=METERS.filter(pl.col("unit_code") == "A"), now=NOW, params=PARAMS)
        touched.append(upd.days)
        for (d,), tile in upd.flagged.partition_by("day", as_dict=True).items():
            store.tiles[("A", d)] = tile  # type: ignore[index]
    assert touched[0] == (date(2025, 1, 2),)
    assert touched[-1] == (date(2025, 1, 5), date(2025, 1, 6))
    assert all(date(2025, 1, 2) not in t for t in touched[3:])


class _ManyStore(_Store):
    """The same store, updated for all units of a batch at once (:func:`revalidate_units`)."""

    margin_rows: int | None = None

    def load_many(self, pairs: Sequence[tuple[str, date]]) -> pl.DataFrame:
        frames = [self.tiles[p] for p in pairs if p in self.tiles]
        return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()

    def add(self, batch: pl.DataFrame) -> None:
        tagged = batch.join(METERS.select("meter_id", pl.col("unit_code").alias(GROUP)), on="meter_id",
                            how="left").with_columns(pl.col(GROUP).fill_null("_unknown"))
        groups = tagged[GROUP].unique().to_list()
        updates = revalidate_units(tagged, stored_days={g: self.days(g) for g in groups}, load_many=self.load_many,
                                   load=self.load, meters=METERS, now=NOW, unknown="_unknown", params=PARAMS,
                                   margin_rows=self.margin_rows)
        assert set(updates) == set(groups)
        for unit, upd in updates.items():
            for d in upd.days:
                self.tiles.pop((unit, d), None)
            for (d,), tile in upd.flagged.partition_by("day", as_dict=True).items():
                self.tiles[(unit, d)] = tile  # type: ignore[index]
            for g in GRAINS:
                self.deltas[g].append(rollup_delta(rollup(upd.previous, g), rollup(upd.flagged, g)))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), slots=st.integers(40, 5 * 96), n_batches=st.integers(1, 7),
       resend=st.integers(0, 3))
def test_many_units_at_once_equal_a_full_revalidation(seed: int, slots: int, n_batches: int, resend: int) -> None:
    readings = _readings(seed, slots)
    rng = np.random.default_rng(seed + 2)
    cut = rng.integers(0, n_batches, readings.height)
    batches = [b for i in range(n_batches) if (b := readings.filter(pl.Series(cut == i))).height]
    store = _ManyStore()
    for i in list(rng.permutation(len(batches))) + list(rng.integers(0, len(batches), resend)):
        store.add(batches[int(i)])
    full = validate_readings(readings.unique(), METERS, now=NOW, params=PARAMS)
    _compare(pl.concat(list(store.tiles.values()), how="diagonal_relaxed"), full)
    for g in GRAINS:
        got, want = sum_rollups(*store.deltas[g]), sum_rollups(rollup(full, g))
        assert got.select("meter_id", "unit_code", "period", *COUNTS).equals(
            want.select("meter_id", "unit_code", "period", *COUNTS))
        assert np.allclose(got["energy"].to_numpy(), want["energy"].to_numpy(), rtol=1e-9, atol=1e-9)


def test_in_order_days_go_together_and_a_margin_past_the_loaded_days_goes_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Dense days in order are flagged in the shared pass. When a margin needs more history than the days loaded
    for the first guess (here: a margin of 2,000 readings per meter, about three weeks), the unit is re-flagged on
    its own (the unit-by-unit path), with the same result."""
    from tanfeng.monitoring import incremental

    alone: list[int] = []
    real = incremental.revalidate

    def counting(*args: object, **kwargs: object) -> object:
        alone.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "revalidate", counting)
    readings = _readings(5, 9 * 96).filter(pl.col("meter_id").str.starts_with("A"))
    days = sorted(readings.with_columns(day=local_day(pl.col("ts"), PARAMS.tz)).partition_by(
        "day", as_dict=True).items())
    together, wide = _ManyStore(), _ManyStore()
    wide.margin_rows = 2000
    for (_, part) in days:
        together.add(part.drop("day"))
    assert alone == []
    for (_, part) in days:
        wide.add(part.drop("day"))
    # day k replaces days k-1…k, checks k-3…k-2 and loads three more (k-6…k-4) for the margin: from k = 7 on,
    # history lies before what was loaded and the margin needs it
    assert len(alone) == len(days) - 7 > 0
    full = validate_readings(readings.unique(), METERS, now=NOW, params=PARAMS)
    for store in (together, wide):
        _compare(pl.concat(list(store.tiles.values()), how="diagonal_relaxed"), full)
