"""Batches are answered once durable and flagged afterwards: the ledger's ``derived`` mark, the catch-up that
every read runs first, the server's background deriver, and a crash between an update and its mark."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy.orm import Session

from tanfeng.analytics.metering import MeteringStore
from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.services import key_units as units
from tanfeng.services import metering
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.store import repository_metering as repo

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning")]

_FIRST17 = "91150202MA0000031"
UNIT = _FIRST17 + credit_code_check_char(_FIRST17)
START = datetime(2025, 3, 1, 16, 0, tzinfo=UTC)  # local midnight of 2 March


def _day(meter: str, day: int, value: float) -> pl.DataFrame:
    """96 quarter-hours of ``value + k/100`` kWh (k = 0…95: a ramp, so the stuck check stays quiet)."""
    ts = [START + timedelta(days=day, minutes=15 * (k + 1)) for k in range(96)]
    return pl.DataFrame({"meter_id": [meter] * 96, "ts": ts, "value": [value + k / 100 for k in range(96)],
                         "kind": ["interval"] * 96}, schema=SCHEMA)


def _tce(*values: float) -> float:
    """Days of ``_day(…, v)`` in tce: (96 v + 45.6) kWh each × 0.1229 kgce/kWh (GB/T 2589-2008) / 1000."""
    return sum(96 * v + 45.6 for v in values) * 0.1229 / 1000


def _json(frame: pl.DataFrame) -> bytes:
    return frame.with_columns(pl.col("ts").dt.to_string("%Y-%m-%dT%H:%M:%SZ")).write_json().encode()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Session, Settings]]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    cfg = Settings(database_url=url, data_dir=tmp_path / "data")
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        units.upsert_unit(session, KeyUnit(
            code=UNIT, name="测试电解铝厂", league="150200", county="150202", industry="C3216", level="league",
            meters=(Meter(meter_id="E1", unit_code=UNIT, product="electricity", unit="kWh", kind="interval"),
                    Meter(meter_id="E2", unit_code=UNIT, product="electricity", unit="kWh", kind="interval"))),
            actor="test")
        session.commit()
        yield session, cfg
    engine.dispose()


def _monthly_tce(session: Session, cfg: Settings) -> float:
    rows = metering.aggregate(session, cfg, period="month", by="unit")
    return sum(r["energy_tce"] for r in rows)


def test_a_batch_is_answered_pending_and_the_next_read_flags_it(store: tuple[Session, Settings]) -> None:
    session, cfg = store
    res = metering.ingest(session, cfg, _json(_day("E1", 0, 4.0)), "json", actor="test")
    assert repo.pending_ids(session) == [res.batch_id]
    assert MeteringStore(cfg.data_dir).tile_days(UNIT) == []  # nothing derived before a read or a pass

    assert _monthly_tce(session, cfg) == pytest.approx(_tce(4.0))
    assert repo.pending_ids(session) == []
    again = metering.catch_up(session, cfg)
    assert (again.batches, again.flagged_rows) == (0, 0)


def test_pending_batches_are_taken_in_passes_of_the_given_size(store: tuple[Session, Settings]) -> None:
    session, cfg = store
    for day in range(4):
        metering.ingest(session, cfg, _json(_day("E1", day, 1.0 + day)), "json", actor="test")
    done = metering.catch_up(session, cfg, max_rows=200)  # two batches of 96 per pass
    assert done.batches == 4
    assert repo.pending_ids(session) == []
    assert MeteringStore(cfg.data_dir).tile_days(UNIT)[0].isoformat() == "2025-03-02"
    assert _monthly_tce(session, cfg) == pytest.approx(_tce(1, 2, 3, 4))


def test_an_update_whose_mark_was_lost_is_applied_again_without_changing_anything(
        store: tuple[Session, Settings]) -> None:
    session, cfg = store
    metering.ingest(session, cfg, _json(_day("E1", 0, 2.0)), "json", actor="test")
    metering.catch_up(session, cfg)
    second = _day("E2", 0, 3.0)
    metering.ingest(session, cfg, _json(second), "json", actor="test")
    # the update lands but the process dies before the ledger is marked: the batch is still pending
    metering.derive(session, cfg, second)
    assert len(repo.pending_ids(session)) == 1
    assert _monthly_tce(session, cfg) == pytest.approx(_tce(2.0, 3.0))
    assert repo.pending_ids(session) == []
    metering.rebuild(session, cfg)
    assert _monthly_tce(session, cfg) == pytest.approx(_tce(2.0, 3.0))


def test_a_bulk_load_is_flagged_by_one_rebuild_and_marked(store: tuple[Session, Settings]) -> None:
    session, cfg = store
    for day in range(3):
        metering.ingest_frame(session, cfg, _day("E1", day, 1.0), source=f"bulk:{day}", actor="test",
                              defer_derive=True)
    assert MeteringStore(cfg.data_dir).dirty
    done = metering.catch_up(session, cfg)
    assert (done.batches, done.flagged_rows) == (3, 3 * 96)
    assert not MeteringStore(cfg.data_dir).dirty
    assert repo.pending_ids(session) == []


def _wait_until(check: Any, what: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen")
        time.sleep(0.05)


def test_the_background_deriver_flags_landed_batches_without_a_read(store: tuple[Session, Settings]) -> None:
    session, cfg = store
    deriver = metering.Deriver(make_session_factory(session.get_bind()), cfg)  # type: ignore[arg-type]
    deriver.start()
    try:
        for day in range(3):
            metering.ingest(session, cfg, _json(_day("E1", day, 5.0)), "json", actor="test")
            deriver.kick()
        _wait_until(lambda: not repo.pending_ids(session), "deriving the landed batches")
    finally:
        deriver.stop()
    assert deriver.passes >= 1
    days = MeteringStore(cfg.data_dir).tile_days(UNIT)
    assert [d.isoformat() for d in days] == ["2025-03-02", "2025-03-03", "2025-03-04"]
