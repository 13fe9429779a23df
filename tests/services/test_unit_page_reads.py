"""A unit's page reads only its own unit's figures and shows them as computed by hand (batches holding one
unit's meters, and a batch holding two units')."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import key_units as units
from tanfeng.services import metering
from tanfeng.store import make_engine, make_session_factory, upgrade

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
              pytest.mark.filterwarnings("ignore::ResourceWarning")]


def code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


U1, U2 = code(1, "150202"), code(2, "150602")


def reading(meter: str, hhmm: str, value: float, kind: str = "interval") -> dict[str, Any]:
    return {"meter_id": meter, "ts": f"2025-03-01T{hhmm}:00+08:00", "value": value, "kind": kind}


ONLY_U1 = [reading("E1", "00:15", 100), reading("E1", "00:30", 100), reading("G1", "00:00", 1000, "cumulative"),
           reading("G1", "00:15", 1010, "cumulative")]
BOTH = [reading("E1", "00:30", 100), reading("E1", "00:45", 100), reading("E1", "01:00", 100),
        reading("G1", "00:30", 1020, "cumulative"), reading("E2", "00:15", 5)]
ONLY_U2 = [reading("E2", "00:15", 5), reading("E2", "00:30", 5)]


@pytest.fixture
def store(engine_url: str, tmp_path: Path) -> Iterator[tuple[Session, Settings]]:
    upgrade(engine_url)
    settings = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    engine = make_engine(engine_url)
    with make_session_factory(engine)() as session:
        units.upsert_unit(session, KeyUnit(
            code=U1, name="测试铝厂", league="150200", county="150202", industry="C3216", level="national",
            meters=(Meter(meter_id="E1", unit_code=U1, product="electricity", unit="kWh", kind="interval"),
                    Meter(meter_id="G1", unit_code=U1, product="natural_gas", unit="m**3", kind="cumulative"))),
            actor="test")
        units.upsert_unit(session, KeyUnit(
            code=U2, name="测试水泥厂", league="150600", county="150602", industry="C3011", level="league",
            meters=(Meter(meter_id="E2", unit_code=U2, product="electricity", unit="kWh", kind="interval",
                          multiplier=10.0),)), actor="test")
        for rows in (ONLY_U1, BOTH, ONLY_U2):
            metering.ingest(session, settings, json.dumps(rows), "json", actor="gateway-test")
        yield session, settings
    engine.dispose()


def test_the_unit_page_shows_hand_computed_monthly_figures(store: tuple[Session, Settings]) -> None:
    session, settings = store
    # U1: E1 400 kWh (00:15, 00:30 once, 00:45, 01:00), G1 1000 → 1020 m³ = 20 m³
    #   → 400 × 0.1229 + 20 × 1.33 = 75.76 kgce; 400 × 0.6849 + 20 × 2.1622 = 317.204 kgCO2
    # U2: E2 (5 at 00:15 in two batches counts once, 5 at 00:30) × multiplier 10 = 100 kWh
    #   → 12.29 kgce; 68.49 kgCO2
    one = units.unit_overview(session, settings, U1)
    two = units.unit_overview(session, settings, U2)
    assert [(r["energy_tce"], r["tco2"]) for r in one.monthly] == [pytest.approx((0.07576, 0.317204), rel=1e-9)]
    assert [(r["energy_tce"], r["tco2"]) for r in two.monthly] == [pytest.approx((0.01229, 0.06849), rel=1e-9)]
    assert [r["period"].isoformat() for r in two.monthly] == ["2025-03-01T00:00:00"]
    assert {c["unit_code"] for c in two.completeness} == {U2}
    assert [c["valid_intervals"] for c in two.completeness] == [2]
