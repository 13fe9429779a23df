"""The derived metering store: rollup partitions stay a sum of their files through compaction."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import ibis
import polars as pl

from tanfeng.analytics.metering import COMPACT_AFTER, MeteringStore
from tanfeng.monitoring.rollup import COUNTS, ROLLUP_SCHEMA


def _row(meter: str, hour: int, *, readings: int, valid: int, energy: float) -> pl.DataFrame:
    row = {"meter_id": meter, "unit_code": "U", "product": "electricity", "unit": "kWh",
           "period": datetime(2025, 1, 1, hour), "energy": energy, **dict.fromkeys(COUNTS, 0)}
    row.update(readings=readings, valid=valid)
    return pl.DataFrame([row], schema=ROLLUP_SCHEMA)


def test_many_deltas_sum_to_the_same_rollup_through_compaction(tmp_path: Path) -> None:
    store = MeteringStore(tmp_path)
    for _ in range(3 * COMPACT_AFTER):
        store.add_delta("hour", _row("A", 1, readings=1, valid=1, energy=1.5))
    # a reading that became invalid: no reading added, one valid and its 2.0 kWh taken away
    store.add_delta("hour", _row("A", 1, readings=0, valid=-1, energy=-2.0))
    # a meter-hour added then taken away entirely
    store.add_delta("hour", _row("B", 2, readings=1, valid=1, energy=4.0))
    store.add_delta("hour", _row("B", 2, readings=-1, valid=-1, energy=-4.0))
    files = store.rollup_files("hour")
    assert len(files) <= COMPACT_AFTER + 1
    t = store.rollup_table(ibis.duckdb.connect(), "hour", first_day=date(2025, 1, 1), last_day=date(2025, 1, 1))
    assert t is not None
    got = t.to_polars().sort("meter_id")
    assert got["meter_id"].to_list() == ["A"]
    assert (got["readings"][0], got["valid"][0]) == (72, 71)
    assert abs(got["energy"][0] - (72 * 1.5 - 2.0)) < 1e-9
