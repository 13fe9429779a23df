"""``/api/monitoring``: ingestion over HTTP (JSON, CSV, Parquet), 422 naming line and field, aggregates,
quality, the ledger, and who may ingest."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import accounts
from tanfeng.services import key_units as units
from tanfeng.store import upgrade
from tanfeng.web.app import create_app


def code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


U1, U2 = code(1, "150202"), code(2, "150602")
ALL = ["read", "create", "update", "submit", "review", "delete", "ingest", "admin"]


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TestClient]:
    from argon2 import PasswordHasher

    root = tmp_path_factory.mktemp("monitoring-api")
    settings = Settings(database_url=f"sqlite:///{root / 't.db'}", data_dir=root / "data")
    upgrade(settings.database_url)
    app = create_app(settings)
    actor = accounts.Actor(name="test-setup")
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.state.sessions() as session:
        for c, league, county in ((U1, "150200", "150202"), (U2, "150600", "150602")):
            units.upsert_unit(session, KeyUnit(
                code=c, name=f"单位{c[-3:]}", league=league, county=county, industry="C3011", level="league",
                meters=(Meter(meter_id=f"{c}-E1", unit_code=c, product="electricity", unit="kWh", kind="interval"),)),
                actor="test-setup")
        accounts.add_user(session, username="m_admin", role="region_admin", password="Vault-Horse-Battery-42!",
                          actor=actor, hasher=cheap)
        admin = accounts.issue_api_token(session, username="m_admin", scopes=ALL, actor=actor)
        accounts.add_user(session, username="m_gw", role="machine", unit_id=U1, actor=actor)
        gw = accounts.issue_api_token(session, username="m_gw", scopes=["ingest"], unit_id=U1, actor=actor)
        session.commit()
    out = {}
    for name, token in (("admin", admin.token), ("gateway", gw.token), ("public", None)):
        c = TestClient(app)
        if token:
            c.headers["Authorization"] = f"Bearer {token}"
        out[name] = c
    return out


def rows(meter: str, n: int, start_hour: int = 0) -> list[dict[str, Any]]:
    return [{"meter_id": meter, "ts": f"2025-03-01T{start_hour + (i + 1) // 4:02d}:{(i + 1) % 4 * 15:02d}:00+08:00",
             "value": 10.0 + i, "kind": "interval"} for i in range(n)]


def test_json_batch_is_acknowledged_once(clients: dict[str, TestClient]) -> None:
    c = clients["admin"]
    batch = rows(f"{U1}-E1", 8)
    r = c.post("/api/monitoring/readings", json=batch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["rows"], body["duplicate"]) == (8, False)
    assert body["batch_id"].startswith("sha256:")
    again = c.post("/api/monitoring/readings", json=list(reversed(batch)))
    assert again.json()["duplicate"] is True
    assert again.json()["batch_id"] == body["batch_id"]
    listed = c.get("/api/monitoring/batches").json()
    assert [b["batch_id"] for b in listed].count(body["batch_id"]) == 1


def test_csv_and_parquet_uploads(clients: dict[str, TestClient]) -> None:
    c = clients["admin"]
    frame = pl.DataFrame(rows(f"{U2}-E1", 4))
    r = c.post("/api/monitoring/readings", content=frame.write_csv(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    buf = io.BytesIO()
    frame.write_parquet(buf)
    r2 = c.post("/api/monitoring/readings", content=buf.getvalue(),
                headers={"Content-Type": "application/vnd.apache.parquet"})
    assert r2.status_code == 200, r2.text
    assert r2.json()["duplicate"] is True


def test_malformed_batch_is_422_naming_line_and_field_and_writes_nothing(clients: dict[str, TestClient]) -> None:
    c = clients["admin"]
    before = len(c.get("/api/monitoring/batches").json())
    text = "meter_id,ts,value,kind\nX,2025-03-01T00:15:00+08:00,1,interval\nX,2025-03-01T00:30:00+08:00,1,weekly\n"
    r = c.post("/api/monitoring/readings", content=text, headers={"Content-Type": "text/csv"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail["line"] == 3
    assert detail["field"] == "kind"
    r = c.post("/api/monitoring/readings", content=json.dumps([{"meter_id": "X", "ts": "2025-03-01", "value": 1,
                                                                "kind": "interval"}]),
               headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"]["row"] == 1
    assert len(c.get("/api/monitoring/batches").json()) == before


def test_gateway_may_ingest_only_its_own_unit_and_read_nothing(clients: dict[str, TestClient]) -> None:
    gw = clients["gateway"]
    ok = gw.post("/api/monitoring/readings", json=rows(f"{U1}-E1", 4, start_hour=5))
    assert ok.status_code == 200, ok.text
    other = gw.post("/api/monitoring/readings", json=rows(f"{U2}-E1", 4, start_hour=5))
    assert other.status_code == 422
    assert "not a meter of unit" in other.json()["detail"]["message"]
    assert gw.get("/api/monitoring/batches").status_code == 403
    assert clients["public"].post("/api/monitoring/readings", json=rows(f"{U1}-E1", 1)).status_code == 401


def test_aggregate_quality_and_published_aggregates(clients: dict[str, TestClient]) -> None:
    c = clients["admin"]
    c.post("/api/monitoring/readings", json=rows(f"{U1}-E1", 8))
    r = c.get("/api/monitoring/aggregate", params={"period": "day", "by": "league"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data[0]) == {"period", "league", "energy_tce", "tco2", "sample"}
    assert {d["league"] for d in data} <= {"150200", "150600"}
    assert clients["public"].get("/api/monitoring/aggregate", params={"by": "league"}).status_code == 200
    assert clients["public"].get("/api/monitoring/aggregate", params={"by": "unit"}).status_code == 401
    assert c.get("/api/monitoring/aggregate", params={"period": "week"}).status_code == 422
    q = c.get("/api/monitoring/quality", params={"from": "2025-03-01", "to": "2025-03-01"})
    assert q.status_code == 200, q.text
    assert q.json()["threshold"] == 0.9
    assert {x["unit_code"] for x in q.json()["completeness"]} == {U1, U2}


def test_readings_land_under_the_data_folder(clients: dict[str, TestClient], tmp_path: Path) -> None:
    app = clients["admin"].app
    folder = Path(app.state.settings.data_dir) / "readings"  # type: ignore[attr-defined]
    assert list(folder.rglob("*.parquet"))
    assert not list(folder.rglob(".tmp-*"))


def test_the_server_flags_a_landed_batch_in_the_background(tmp_path: Path) -> None:
    """With the app's lifespan running (as under ``tanfeng serve``), a batch is derived without any read."""
    import time

    from tanfeng.store import repository_metering as repo

    settings = Settings(database_url=f"sqlite:///{tmp_path / 't.db'}", data_dir=tmp_path / "data")
    upgrade(settings.database_url)
    app = create_app(settings)
    actor = accounts.Actor(name="test-setup")
    with app.state.sessions() as session:
        units.upsert_unit(session, KeyUnit(
            code=U1, name="单位甲", league="150200", county="150202", industry="C3011", level="league",
            meters=(Meter(meter_id=f"{U1}-E1", unit_code=U1, product="electricity", unit="kWh", kind="interval"),)),
            actor="test-setup")
        accounts.add_user(session, username="m_gw", role="machine", unit_id=U1, actor=actor)
        token = accounts.issue_api_token(session, username="m_gw", scopes=["ingest"], unit_id=U1, actor=actor)
        session.commit()
    with TestClient(app) as c:
        r = c.post("/api/monitoring/readings", json=rows(f"{U1}-E1", 8),
                   headers={"Authorization": f"Bearer {token.token}"})
        assert r.status_code == 200, r.text
        deadline = time.monotonic() + 120
        with app.state.sessions() as session:
            while repo.pending_ids(session):
                assert time.monotonic() < deadline, "the background deriver did not flag the batch"
                time.sleep(0.05)
        assert app.state.deriver.passes >= 1
