"""Aggregates and quality read from the rollups kept at ingest equal those computed from the raw readings.

Random readings (seeded by hypothesis) of two units and an unknown meter go through the real ingestion in
random batches, in a random order, some sent twice. Then every aggregate (hour by meter, day by unit, month by
league, a day range by unit) and the quality report must equal what a full re-validation of the distinct stored
readings gives, run through the same Ibis aggregation over the raw readings.
"""

from __future__ import annotations

import importlib
import io
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import ibis
import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.monitoring.aggregate import aggregate as aggregate_expr
from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.monitoring.validate import FLAGS, completeness, validate_readings
from tanfeng.services import key_units as units
from tanfeng.services import metering
from tanfeng.store import make_engine, make_session_factory, upgrade

derive = importlib.import_module("tanfeng.services.metering.derive")  # the module (the package exports a function so named)

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore::ResourceWarning")]


def _code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


U1, U2 = _code(11, "150202"), _code(12, "150602")
REGISTRY = [
    KeyUnit(code=U1, name="测试铝厂", league="150200", county="150202", industry="C3216", level="national",
            meters=(Meter(meter_id="E1", unit_code=U1, product="electricity", unit="kWh", kind="interval"),
                    Meter(meter_id="G1", unit_code=U1, product="natural_gas", unit="m**3", kind="cumulative"))),
    KeyUnit(code=U2, name="测试水泥厂", league="150600", county="150602", industry="C3011", level="league",
            meters=(Meter(meter_id="E2", unit_code=U2, product="electricity", unit="kWh", kind="interval",
                          multiplier=10.0),)),
]
START = datetime(2025, 1, 30, 16, 0, tzinfo=UTC)  # local midnight, 31 January: the readings cross a month


def _readings(seed: int, slots: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, datetime, float, str]] = []
    for meter, kind in (("E1", "interval"), ("G1", "cumulative"), ("E2", "interval"), ("X9", "interval")):
        register, value = 100.0, 5.0
        density = rng.choice([0.3, 0.9])
        for k in range(slots):
            if rng.random() > density:
                continue
            if kind == "cumulative":
                register = register + float(rng.choice([0.0, 4.0, 9.0, -30.0]))
                value = max(register, 0.0)
            elif rng.random() > 0.25:
                value = float(rng.choice([5.0, 7.0, 90.0, -1.0]))
            rows.append((meter, START + timedelta(minutes=15 * k), value, kind))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _parquet(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def _expected_aggregate(flagged: pl.DataFrame, meters: pl.DataFrame, units_: pl.DataFrame, *, period: str,
                        by: str, first: date | None = None, last: date | None = None) -> pl.DataFrame:
    if first is not None:
        flagged = flagged.filter(pl.col("day").is_between(first, last))
    factors = metering.conversion_factors(meters)
    con = ibis.duckdb.connect()
    expr = aggregate_expr(ibis.memtable(flagged.select("meter_id", "interval_start_local", "energy", "valid")),
                          ibis.memtable(meters.drop("sample")), ibis.memtable(units_.drop("sample")),
                          ibis.memtable(factors), grain=period, by=by)  # type: ignore[arg-type]
    out = pl.from_arrow(con.to_pyarrow(expr))
    assert isinstance(out, pl.DataFrame)
    return out.with_columns(pl.col("period").cast(pl.Datetime("us"))).sort("period", by)


def _same_rows(got: list[dict[str, Any]], want: pl.DataFrame, by: str) -> None:
    g = pl.DataFrame(got, schema={"period": pl.Datetime("us"), by: pl.String, "energy_tce": pl.Float64,
                                  "tco2": pl.Float64, "sample": pl.Boolean})
    assert g.select("period", by).equals(want.select("period", by))
    assert np.allclose(g["energy_tce"].to_numpy(), want["energy_tce"].to_numpy(), rtol=1e-9, atol=1e-12)
    assert np.allclose(g["tco2"].to_numpy(), want["tco2"].to_numpy(), rtol=1e-9, atol=1e-12)


def _check(session: Any, cfg: Settings, readings: pl.DataFrame) -> None:
    meters = metering.meters_frame(session)
    units_ = metering.units_frame(session)
    flagged = validate_readings(readings.unique(), meters, now=datetime.now(UTC))
    for period, by in (("hour", "meter"), ("day", "unit"), ("month", "league"), ("month", "unit")):
        _same_rows(metering.aggregate(session, cfg, period=period, by=by),  # type: ignore[arg-type]
                   _expected_aggregate(flagged, meters, units_, period=period, by=by), by)
    first, last = date(2025, 1, 31), date(2025, 2, 1)
    _same_rows(metering.aggregate(session, cfg, period="month", by="unit", first_day=first, last_day=first),
               _expected_aggregate(flagged, meters, units_, period="month", by="unit", first=first, last=first), "unit")
    rep = metering.quality(session, cfg, first_day=first, last_day=last)
    in_days = flagged.filter(pl.col("day").is_between(first, last))
    assert (rep.readings, rep.valid) == (in_days.height, int(in_days["valid"].sum()))
    counts = {r["meter_id"]: r for r in rep.flags}
    for (meter,), part in in_days.partition_by("meter_id", as_dict=True).items():
        assert {f: counts[meter][f] for f in FLAGS} == {f: int(part[f].sum()) for f in FLAGS}
    _, per_unit = completeness(in_days, meters, first_day=first, last_day=last)
    assert [(r["unit_code"], r["day"], r["valid_intervals"]) for r in rep.completeness] == \
        [(r["unit_code"], r["day"], r["valid_intervals"]) for r in per_unit.iter_rows(named=True)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_batches=st.integers(1, 5), resend=st.integers(0, 2),
       pass_rows=st.sampled_from([None, 1, 150, 10**9]))
def test_rollup_aggregates_and_quality_equal_those_of_the_raw_readings(seed: int, n_batches: int, resend: int,
                                                                       pass_rows: int | None) -> None:
    """``pass_rows``: derive after every batch in passes of that many readings (``None``: all at the first read)."""
    readings = _readings(seed, 3 * 96)
    rng = np.random.default_rng(seed + 7)
    cut = rng.integers(0, n_batches, readings.height)
    batches = [b for i in range(n_batches) if (b := readings.filter(pl.Series(cut == i))).height]
    order = list(rng.permutation(len(batches))) + list(rng.integers(0, len(batches), resend))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.db'}"
        upgrade(url)
        cfg = Settings(database_url=url, data_dir=Path(tmp) / "data")
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:
                for u in REGISTRY:
                    units.upsert_unit(session, u, actor="test")
                for i in order:
                    metering.ingest(session, cfg, _parquet(batches[int(i)]), "parquet", actor="test")
                    if pass_rows is not None:
                        metering.catch_up(session, cfg, max_rows=pass_rows)
                _check(session, cfg, readings)
                metering.rebuild(session, cfg)
                _check(session, cfg, readings)
                with patch.object(derive, "_CHUNK_ROWS", 50):  # a group per unit: each read from the files alone
                    metering.rebuild(session, cfg)
                _check(session, cfg, readings)
        finally:
            engine.dispose()
