"""Metering service: durable idempotent ingestion, set semantics across batches, aggregates, quality (both backends)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.errors import MeterDataError
from tanfeng.services import key_units as units
from tanfeng.services import metering
from tanfeng.store import make_engine, make_session_factory, repository_metering, upgrade
from tanfeng.store.models import AuditRow
from tanfeng.store.models_enterprises import ReadingBatchRow

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
              pytest.mark.filterwarnings("ignore::ResourceWarning")]


def code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


U1, U2 = code(1, "150202"), code(2, "150602")


def registry() -> list[KeyUnit]:
    return [
        KeyUnit(code=U1, name="测试铝厂", league="150200", county="150202", industry="C3216", level="national",
                meters=(Meter(meter_id="E1", unit_code=U1, product="electricity", unit="kWh", kind="interval"),
                        Meter(meter_id="G1", unit_code=U1, product="natural_gas", unit="m**3", kind="cumulative"))),
        KeyUnit(code=U2, name="测试水泥厂", league="150600", county="150602", industry="C3011", level="league",
                meters=(Meter(meter_id="E2", unit_code=U2, product="electricity", unit="kWh", kind="interval",
                              multiplier=10.0),)),
    ]


def reading(meter: str, hhmm: str, value: float, kind: str = "interval") -> dict[str, Any]:
    return {"meter_id": meter, "ts": f"2025-03-01T{hhmm}:00+08:00", "value": value, "kind": kind}


BATCH_A = [reading("E1", "00:15", 100), reading("E1", "00:30", 100), reading("G1", "00:00", 1000, "cumulative"),
           reading("G1", "00:15", 1010, "cumulative")]
BATCH_B = [reading("E1", "00:30", 100), reading("E1", "00:45", 100), reading("E1", "01:00", 100),
           reading("G1", "00:30", 1020, "cumulative"), reading("E2", "00:15", 5)]


@pytest.fixture
def store(engine_url: str, tmp_path: Path) -> Iterator[tuple[Session, Settings]]:
    upgrade(engine_url)
    settings = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    engine = make_engine(engine_url)
    with make_session_factory(engine)() as session:
        for u in registry():
            units.upsert_unit(session, u, actor="test")
        yield session, settings
    engine.dispose()


def ingest(session: Session, settings: Settings, rows: list[dict[str, Any]]) -> metering.IngestResult:
    return metering.ingest(session, settings, json.dumps(rows), "json", actor="gateway-test")


def test_a_batch_is_stored_once_with_its_file_ledger_row_and_audit_entry(store: tuple[Session, Settings]) -> None:
    session, settings = store
    first = ingest(session, settings, BATCH_A)
    assert (first.rows, first.meters, first.duplicate) == (4, 2, False)
    again = ingest(session, settings, list(reversed(BATCH_A)))  # the same readings in another order
    assert again.duplicate
    assert again.batch_id == first.batch_id
    row = session.get(ReadingBatchRow, first.batch_id)
    assert row is not None
    assert row.actor == "gateway-test"
    assert (settings.data_dir / row.path).is_file()
    assert pl.read_parquet(settings.data_dir / row.path).height == 4
    audits = session.scalars(select(AuditRow).where(AuditRow.entity == "reading_batch")).all()
    assert [a.entity_id for a in audits] == [first.batch_id]
    assert metering.load_readings(session, settings).height == 4


def test_overlapping_batches_merge_as_a_set_in_any_order(engine_url: str, tmp_path: Path) -> None:
    results = []
    for order in ((BATCH_A, BATCH_B), (BATCH_B, BATCH_A)):
        name = "ab" if order[0] is BATCH_A else "ba"
        url = engine_url if name == "ab" else f"sqlite:///{tmp_path / 'other.db'}"
        upgrade(url)
        settings = Settings(database_url=url, data_dir=tmp_path / name)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            for u in registry():
                units.upsert_unit(session, u, actor="test")
            for batch in order:
                ingest(session, settings, batch)
            stored = metering.load_readings(session, settings)
            agg = metering.aggregate(session, settings, period="hour", by="unit")
        engine.dispose()
        results.append((stored, agg))
    (s1, a1), (s2, a2) = results
    assert s1.height == 8  # E1 00:30 was sent twice: it counts once
    assert s1.equals(s2)
    assert a1 == a2


def test_a_malformed_batch_is_refused_whole_naming_row_and_field(store: tuple[Session, Settings]) -> None:
    session, settings = store
    bad = [*BATCH_A, {"meter_id": "E1", "ts": "2025-03-01T02:00:00", "value": 1.0, "kind": "interval"}]
    with pytest.raises(MeterDataError) as err:
        ingest(session, settings, bad)
    assert err.value.location is not None
    assert (err.value.location.row, err.value.location.field) == (5, "ts")
    csv_text = "meter_id,ts,value,kind\nE1,2025-03-01T00:15:00+08:00,1,interval\nE1,2025-03-01T00:30:00+08:00,x,interval\n"
    with pytest.raises(MeterDataError) as err2:
        metering.ingest(session, settings, csv_text, "csv", actor="t")
    assert err2.value.location is not None
    assert (err2.value.location.line, err2.value.location.field) == (3, "value")
    assert session.scalars(select(ReadingBatchRow)).all() == []
    assert not (settings.data_dir / metering.READINGS_FOLDER).exists() or not list(
        (settings.data_dir / metering.READINGS_FOLDER).rglob("*.parquet"))


def test_csv_and_parquet_batches_are_the_same_readings(store: tuple[Session, Settings]) -> None:
    session, settings = store
    frame = pl.DataFrame(BATCH_A)
    csv_res = metering.ingest(session, settings, frame.write_csv(), "csv", actor="t")
    import io

    buf = io.BytesIO()
    frame.write_parquet(buf)
    pq_res = metering.ingest(session, settings, buf.getvalue(), "parquet", actor="t")
    assert pq_res.batch_id == csv_res.batch_id
    assert pq_res.duplicate


def test_files_without_a_committed_batch_are_never_read_and_are_cleaned(store: tuple[Session, Settings]) -> None:
    session, settings = store
    ingest(session, settings, BATCH_A)
    orphan = settings.data_dir / metering.READINGS_FOLDER / "zz" / "orphan.parquet"
    orphan.parent.mkdir(parents=True)
    pl.DataFrame(BATCH_B).with_columns(pl.col("ts").str.to_datetime(time_zone="UTC")).write_parquet(orphan)
    assert metering.load_readings(session, settings).height == 4
    assert metering.cleanup_orphans(session, settings.data_dir) == 0  # inside the grace period: kept
    from datetime import timedelta

    assert metering.cleanup_orphans(session, settings.data_dir, grace=timedelta(0)) == 1
    assert not orphan.exists()
    assert metering.load_readings(session, settings).height == 4


def test_aggregates_match_hand_computed_totals(store: tuple[Session, Settings]) -> None:
    session, settings = store
    ingest(session, settings, BATCH_A)
    ingest(session, settings, BATCH_B)
    rows = metering.aggregate(session, settings, period="month", by="league")
    # 150200 (U1): E1 400 kWh, G1 20 m³ → 400 × 0.1229 + 20 × 1.33 = 75.76 kgce = 0.07576 tce (GB/T 2589);
    #   400 kWh × 0.6849 kgCO2/kWh (MEE/NBS 2022, 内蒙古) + 20 m³ × 2.1622 kgCO2/m³ = 317.204 kg
    # 150600 (U2): E2 5 × multiplier 10 = 50 kWh → 6.145 kgce; 50 × 0.6849 = 34.245 kgCO2
    got = {r["league"]: (r["energy_tce"], r["tco2"]) for r in rows}
    assert got["150200"] == pytest.approx((0.07576, 0.317204), rel=1e-9)
    assert got["150600"] == pytest.approx((0.006145, 0.034245), rel=1e-9)
    assert {r["period"].isoformat() for r in rows} == {"2025-03-01T00:00:00"}
    hourly = metering.aggregate(session, settings, period="hour", by="meter")
    assert [(r["period"].hour, r["meter"]) for r in hourly] == [(0, "E1"), (0, "E2"), (0, "G1")]
    assert all(r["sample"] is False for r in hourly)


def test_a_query_compiled_once_answers_each_request_with_its_own_unit_and_days(
        store: tuple[Session, Settings]) -> None:
    # the same query shape for another unit or other days must not return the first request's rows
    session, settings = store
    ingest(session, settings, BATCH_A)
    ingest(session, settings, BATCH_B)
    every = metering.aggregate(session, settings, period="day", by="unit")
    for code in (U1, U2, U1):
        one = metering.aggregate(session, settings, period="day", by="unit", unit=code)
        assert one == [r for r in every if r["unit"] == code]
    assert metering.aggregate(session, settings, period="day", by="unit", first_day=date(2025, 3, 2)) == []
    assert metering.aggregate(session, settings, period="day", by="unit", last_day=date(2025, 3, 1)) == every


def test_quality_reports_flags_and_completeness(store: tuple[Session, Settings]) -> None:
    session, settings = store
    ingest(session, settings, BATCH_A)
    ingest(session, settings, BATCH_B)
    conflict = [reading("E1", "01:00", 999)]  # same meter and time, another value
    ingest(session, settings, conflict)
    rep = metering.quality(session, settings)
    assert (rep.first_day.isoformat(), rep.last_day.isoformat()) == ("2025-03-01", "2025-03-01")
    e1 = next(f for f in rep.flags if f["meter_id"] == "E1")
    assert e1["q_conflict"] == 2
    assert e1["valid"] == 3
    u1 = next(c for c in rep.completeness if c["unit_code"] == U1)
    # E1: 3 valid intervals (the conflicting one is out), G1: 2 → 5 of 2 × 96
    assert u1["valid_intervals"] == 5
    assert u1["expected_intervals"] == 192
    assert u1["meets_threshold"] is False
    assert rep.notice is None
    # one unit's report is counted in memory from its rollup: the same figures as the engine's across units
    one = metering.quality(session, settings, unit=U1)
    assert (one.first_day, one.last_day) == (rep.first_day, rep.last_day)
    assert one.flags == [f for f in rep.flags if f["unit_code"] == U1]
    assert one.completeness == [c for c in rep.completeness if c["unit_code"] == U1]
    assert one.valid == 5  # E1 3 + G1 2, as above
    assert one.readings == sum(f["readings"] for f in one.flags)


def test_sample_population_is_marked_and_loads_idempotently(store: tuple[Session, Settings]) -> None:
    session, settings = store
    res = units.load_sample(session, settings, units=2, days=1)
    assert repository_metering.pending_ids(session) == []  # flagged before it returns: the first page pays nothing
    assert res.notice.startswith("示例数据")
    assert res.units == 2
    again = units.load_sample(session, settings, units=2, days=1)
    assert again.duplicate_batches == again.batches
    listed = [u for u in units.list_units(session) if u.sample]
    assert len(listed) == 2
    assert all(u.notice and "示例数据" in u.notice for u in listed)
    rows = metering.aggregate(session, settings, period="day", by="unit")
    sample_codes = {u.code for u in listed}
    assert {r["unit"] for r in rows if r["sample"]} == sample_codes
    assert metering.quality(session, settings).notice == metering.SAMPLE_NOTICE


def test_monitored_vs_reported_flags_gaps_above_five_percent(store: tuple[Session, Settings]) -> None:
    session, settings = store
    ingest(session, settings, BATCH_A)
    ingest(session, settings, BATCH_B)
    # U1 monitored 0.07576 tce; reported: 0.1 t raw coal = 0.07143 tce (GB/T 2589) → gap 6.06 % → flagged
    units.create_report(session, U1, year=2025, kind="energy",
                        content={"fuels": [{"product": "raw_coal", "quantity": 0.1, "unit": "t"}]}, actor="t")
    # U2 monitored 0.006145 tce; reported 50 kWh = 0.05 MWh → 0.006145 tce → no gap
    units.create_report(session, U2, year=2025, kind="energy", content={"purchased_electricity": 0.05}, actor="t")
    out = {r["unit_code"]: r for r in metering.monitored_vs_reported(session, settings, year=2025)}
    assert out[U1]["flagged"] is True
    assert out[U1]["gap"] == pytest.approx(0.07576 / 0.07143 - 1, rel=1e-9)
    assert out[U2]["flagged"] is False


@pytest.fixture(scope="module")
def spark_backend() -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import ibis
        from pyspark.sql import SparkSession

        spark = (SparkSession.builder.master("local[1]").appName("tanfeng-metering-tests")
                 .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                 .config("spark.sql.shuffle.partitions", "1").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        yield ibis.pyspark.connect(spark)
    spark.stop()


@pytest.mark.slow
def test_spark_and_duckdb_give_the_same_aggregate_on_stored_data(tmp_path: Path, spark_backend: Any) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp_path / "data")
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        for u in registry():
            units.upsert_unit(session, u, actor="test")
        ingest(session, settings, BATCH_A)
        ingest(session, settings, BATCH_B)
        duck = metering.aggregate(session, settings, period="hour", by="unit")
        spark = metering.aggregate(session, settings, period="hour", by="unit", backend=spark_backend)
    engine.dispose()
    assert [(r["period"], r["unit"]) for r in spark] == [(r["period"], r["unit"]) for r in duck]
    for s, d in zip(spark, duck, strict=True):
        assert s["energy_tce"] == pytest.approx(d["energy_tce"], rel=1e-12)
        assert s["tco2"] == pytest.approx(d["tco2"], rel=1e-12)


def test_every_write_that_changes_a_figure_changes_the_next_read(store: tuple[Session, Settings]) -> None:
    """Reads are remembered per version of the derived store: a batch, or a unit moved to another league,
    shows in the next read; a repeated read gives the same answer, and a caller changing it changes nothing."""
    session, settings = store
    ingest(session, settings, BATCH_A)
    first = metering.aggregate(session, settings, period="month", by="league")
    # E1 200 kWh, G1 10 m³ (its first reading is the baseline) → 200 × 0.1229 + 10 × 1.33 = 37.88 kgce
    assert {r["league"]: r["energy_tce"] for r in first} == pytest.approx({"150200": 0.03788}, rel=1e-9)
    first[0]["energy_tce"] = -1.0
    again = metering.aggregate(session, settings, period="month", by="league")
    assert again[0]["energy_tce"] == pytest.approx(0.03788, rel=1e-9)
    ingest(session, settings, BATCH_B)
    after = {r["league"]: r["energy_tce"] for r in metering.aggregate(session, settings, period="month", by="league")}
    assert after == pytest.approx({"150200": 0.07576, "150600": 0.006145}, rel=1e-9)
    before = metering.quality(session, settings)
    ingest(session, settings, [reading("E1", "01:00", 999)])
    now = metering.quality(session, settings)
    assert [f["q_conflict"] for f in before.flags if f["meter_id"] == "E1"] == [0]
    assert [f["q_conflict"] for f in now.flags if f["meter_id"] == "E1"] == [2]
    moved = registry()[1].model_copy(update={"league": "150200", "county": "150202"})
    units.upsert_unit(session, moved, actor="test")
    session.commit()
    merged = metering.aggregate(session, settings, period="month", by="league")
    # E1 lost its 01:00 reading to the conflict: 300 kWh → 36.87 + 26.6 (G1 20 m³) = 63.47 kgce, plus U2's 6.145
    assert {r["league"]: r["energy_tce"] for r in merged} == pytest.approx({"150200": 0.069615}, rel=1e-9)
