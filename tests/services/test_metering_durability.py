"""Fault test: kill the server (SIGKILL) in the middle of a stream of batches, restart it, and check that
every acknowledged batch is there whole and nothing partial is visible.

The app runs under uvicorn in a subprocess on a free loopback port, on an embedded store (SQLite ledger +
Parquet files) in a temporary folder.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import accounts, metering
from tanfeng.services import key_units as units
from tanfeng.store import make_engine, make_session_factory, upgrade

FIRST17 = "91150602MA0000042"
UNIT = FIRST17 + credit_code_check_char(FIRST17)
METERS = [f"{UNIT}-E{i:02d}" for i in range(20)]
BATCH_READINGS = 2000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def batch(n: int) -> list[dict[str, Any]]:
    """Batch ``n``: 2 000 readings, 100 intervals × 20 meters, its own time range (no overlap)."""
    out = []
    base = n * 100
    for k in range(100):
        minutes = (base + k + 1) * 15
        day, rest = divmod(minutes, 24 * 60)
        ts = f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T{rest // 60:02d}:{rest % 60:02d}:00+08:00"
        out.extend({"meter_id": m, "ts": ts, "value": float(n * 1000 + k), "kind": "interval"} for m in METERS)
    return out


class Server:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "TANFENG_DATABASE_URL": f"sqlite:///{self.root / 'tanfeng.db'}",
               "TANFENG_DATA_DIR": str(self.root / "data")}
        self.log = (self.root / f"server-{time.monotonic_ns()}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "tanfeng.web.app:create_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.root}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, str]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tanfeng.db'}", data_dir=tmp_path / "data")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        units.upsert_unit(session, KeyUnit(
            code=UNIT, name="耐久测试单位", league="150600", county="150602", industry="C3011", level="league",
            meters=tuple(Meter(meter_id=m, unit_code=UNIT, product="electricity", unit="kWh", kind="interval")
                         for m in METERS)), actor="test-setup")
        actor = accounts.Actor(name="test-setup")
        accounts.add_user(session, username="gw", role="machine", unit_id=UNIT, actor=actor)
        token = accounts.issue_api_token(session, username="gw", scopes=["ingest"], unit_id=UNIT, actor=actor).token
        session.commit()
    engine.dispose()
    return tmp_path, token


def test_acknowledged_batches_survive_sigkill_and_nothing_partial_is_visible(setup: tuple[Path, str]) -> None:
    root, token = setup
    port = _free_port()
    server = Server(root, port)
    server.start()
    url = f"http://127.0.0.1:{port}/api/monitoring/readings"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    acked: dict[int, str] = {}
    sent: list[int] = []
    stop = threading.Event()

    def stream() -> None:
        with httpx.Client(timeout=30) as client:
            n = 0
            while not stop.is_set():
                body = json.dumps(batch(n))
                sent.append(n)
                try:
                    r = client.post(url, content=body, headers=headers)
                except httpx.HTTPError:
                    return  # the server died under us: this batch's fate is unknown
                if r.status_code == 200:
                    acked[n] = r.json()["batch_id"]
                n += 1

    sender = threading.Thread(target=stream)
    sender.start()
    deadline = time.monotonic() + 120
    while len(acked) < 5 and time.monotonic() < deadline and sender.is_alive():
        time.sleep(0.01)
    server.kill()  # SIGKILL while the sender is mid-stream
    stop.set()
    sender.join(timeout=60)
    assert len(acked) >= 5
    assert len(sent) > len(acked)  # at least one batch was in flight (or refused) when the server died

    server.start()
    try:
        settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
        engine = make_engine(settings.database_url)
        with make_session_factory(engine)() as session:
            ledger = {b.batch_id: b for b in metering.list_batches(session, limit=10_000)}
            stored = metering.load_readings(session, settings)
        engine.dispose()
        # every acknowledged batch is in the ledger with all its readings
        for n, bid in acked.items():
            assert bid in ledger, f"acknowledged batch {n} lost"
            assert ledger[bid].rows == BATCH_READINGS
        by_value = stored.group_by((stored["value"] // 1000).alias("n")).len()
        counts = dict(zip(by_value["n"].cast(int).to_list(), by_value["len"].to_list(), strict=True))
        for n in acked:
            assert counts.get(n) == BATCH_READINGS
        # nothing partial: every visible batch is whole, and only ledger batches are visible
        assert all(c == BATCH_READINGS for c in counts.values())
        assert stored.height == BATCH_READINGS * len(ledger)
        assert len(ledger) <= len(sent)
        # re-sending the whole stream after the restart: acknowledged ones are duplicates, the rest land once
        with httpx.Client(timeout=30) as client:
            for n in sent:
                r = client.post(url, content=json.dumps(batch(n)), headers=headers)
                assert r.status_code == 200, r.text
                assert r.json()["duplicate"] is (r.json()["batch_id"] in ledger)
    finally:
        server.kill()
