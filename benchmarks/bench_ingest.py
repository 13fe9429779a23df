"""Benchmark of online metering ingestion through the HTTP API: readings per second, printed (not asserted).

Each run starts the app under uvicorn in a subprocess on a free loopback port, on a fresh store in a
temporary folder, with ``--units`` units of 20 interval meters registered, and posts ``--batches`` batches
of ``--batch-size`` readings each (distinct content, bodies prepared before the clock starts) from
``--clients`` concurrent HTTP clients. A batch is counted when the server answered 200, i.e. after its
Parquet file was fsynced and renamed and its ledger row and audit entry were committed.

Two stores are measured:

* embedded: SQLite ledger + Parquet files (the default deployment);
* PostgreSQL ledger + Parquet files: a fresh database on the server named by ``TANFENG_BENCH_POSTGRES_URL``
  (default the local test server), created for the run and dropped afterwards. ``--no-postgres`` skips it.

Target (work item): ≥ 100,000 readings/s embedded, 10,000 readings per batch.

Usage::

    .venv/bin/python benchmarks/bench_ingest.py
    .venv/bin/python benchmarks/bench_ingest.py --batches 100 --batch-size 10000 --clients 4 --format parquet
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import polars as pl
import psycopg
from sqlalchemy.engine import make_url

from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import accounts
from tanfeng.services import key_units as units
from tanfeng.store import make_engine, make_session_factory, upgrade

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
METERS_PER_UNIT = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _codes(n: int) -> list[str]:
    out = []
    for i in range(n):
        first17 = f"91150602MB{i:07d}"
        out.append(first17 + credit_code_check_char(first17))
    return out


def _bodies(codes: list[str], batches: int, size: int, fmt: str) -> list[bytes]:
    meters = [f"{c}-E{j:02d}" for c in codes for j in range(METERS_PER_UNIT)]
    per_meter = max(1, size // len(meters))
    out = []
    for b in range(batches):
        start = b * per_meter
        ts = pl.datetime_range(pl.datetime(2025, 1, 1, time_zone="UTC"), pl.datetime(2030, 1, 1, time_zone="UTC"),
                               "15m", eager=True, time_zone="UTC").slice(start, per_meter)
        frame = (pl.DataFrame({"meter_id": meters}).join(pl.DataFrame({"ts": ts}), how="cross")
                 .with_columns(value=pl.lit(float(b)) + pl.int_range(pl.len()).cast(pl.Float64) / 1000,
                               kind=pl.lit("interval")).head(size))
        if fmt == "json":
            out.append(json.dumps([{**r, "ts": r["ts"].isoformat()} for r in frame.to_dicts()]).encode())
        elif fmt == "csv":
            out.append(frame.write_csv().encode())
        else:
            buf = io.BytesIO()
            frame.write_parquet(buf)
            out.append(buf.getvalue())
    return out


def _prepare(url: str, data_dir: Path, codes: list[str]) -> str:
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        for c in codes:
            units.upsert_unit(session, KeyUnit(
                code=c, name=f"基准测试单位{c[-4:]}", league="150600", county="150602", industry="C3011",
                level="league", sample=True,
                meters=tuple(Meter(meter_id=f"{c}-E{j:02d}", unit_code=c, product="electricity", unit="kWh",
                                   kind="interval") for j in range(METERS_PER_UNIT))), actor="bench")
        actor = accounts.Actor(name="bench")
        from argon2 import PasswordHasher

        accounts.add_user(session, username="bench", role="region_admin", password="Bench-Horse-Battery-42!",
                          actor=actor, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        token = accounts.issue_api_token(session, username="bench", scopes=["ingest", "read"], actor=actor).token
        session.commit()
    engine.dispose()
    return token


def _run(url: str, label: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="tanfeng-bench-ingest-") as tmp:
        root = Path(tmp)
        codes = _codes(args.units)
        token = _prepare(url, root / "data", codes)
        bodies = _bodies(codes, args.batches, args.batch_size, args.format)
        port = _free_port()
        env = {**os.environ, "TANFENG_DATABASE_URL": url, "TANFENG_DATA_DIR": str(root / "data")}
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "tanfeng.web.app:create_app",
                                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                                env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            content_type = {"json": "application/json", "csv": "text/csv",
                            "parquet": "application/vnd.apache.parquet"}[args.format]
            headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
            queue = list(enumerate(bodies))
            lock = threading.Lock()
            done: list[int] = []
            errors: list[str] = []

            def worker() -> None:
                with httpx.Client(base_url=base, timeout=120) as client:
                    while True:
                        with lock:
                            if not queue:
                                return
                            _, body = queue.pop(0)
                        r = client.post("/api/monitoring/readings", content=body, headers=headers)
                        if r.status_code != 200:
                            errors.append(r.text[:200])
                            return
                        done.append(int(r.json()["rows"]))

            t0 = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            if errors:
                print(f"{label}: errors: {errors[:2]}")
            readings = sum(done)
            print(f"{label}: {len(done)} batches × {args.batch_size:,} readings ({args.format}, {args.clients} "
                  f"client(s)) in {elapsed:.2f} s → {readings / elapsed:,.0f} readings/s "
                  f"({len(done) / elapsed:.1f} batches/s)")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batches", type=int, default=50)
    p.add_argument("--batch-size", type=int, default=10_000)
    p.add_argument("--units", type=int, default=50)
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--format", choices=["json", "csv", "parquet"], default="json")
    p.add_argument("--no-postgres", action="store_true")
    args = p.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; target ≥ 100,000 readings/s embedded")
    with tempfile.TemporaryDirectory(prefix="tanfeng-bench-sqlite-") as tmp:
        _run(f"sqlite:///{Path(tmp) / 'tanfeng.db'}", "embedded (SQLite + Parquet)", args)
    if args.no_postgres:
        return
    server = os.environ.get("TANFENG_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    name = f"tanfeng_bench_{secrets.token_hex(4)}"
    libpq = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        try:
            url = make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(
                hide_password=False)
            _run(url, "PostgreSQL ledger + Parquet", args)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
