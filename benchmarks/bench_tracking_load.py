"""Benchmark of the tracking pages and the audit page under load: 50 concurrent clients for 30 s against a real
``tanfeng serve --workers 2``, printed per path beside ``/api/health`` on the same run (not asserted).

The store (a SQLite file by default, ``--postgres`` for a fresh database on the server named by
``TANFENG_BENCH_POSTGRES_URL``) is initialised as ``tanfeng init`` does (the plan, regions, statistics and the
示例数据 sample), then filled with bulk inserts to 50 000 current stored indicator values (sample rows, monthly
periods of the regions in the catalogue) and 100 000 chained audit entries. The log is verified once before
the load (the full verification's time is printed): the ``/audit`` page then continues from that checkpoint.
An auditor logs in once; its cookie is used for ``/audit``. The clients (httpx, asyncio) pick a path at
random for every request. A 3-second warm-up is not counted. Before the load, one client calls each path 30 times
in turn: the "1 client" column is what a request costs without a queue. With clients that never pause, the mean
wait is clients / throughput (Little's law), which the last line prints. ``--think S`` makes each client pause S
seconds on average (exponential) between requests, as a person reading a page does.

    .venv/bin/python benchmarks/bench_tracking_load.py [--seconds 30] [--clients 50] [--workers 2] [--think 0]
                                                        [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import httpx
import psycopg
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from tanfeng.audit import AuditEntry, ChainedEntry, append
from tanfeng.config import Settings
from tanfeng.reference.indicators import indicators
from tanfeng.services import accounts, bootstrap
from tanfeng.services import audit as audit_service
from tanfeng.store import make_engine, make_session_factory
from tanfeng.store.models import AuditRow, RegionRow
from tanfeng.store.models_tracking import IndicatorValueRow

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VALUES, ENTRIES = 50_000, 100_000
PASSWORD = "bench-password-碳峰-2026"
PATHS = ["/api/tracking/status", "/api/tracking/warnings?period=2025", "/overview", "/board",
         "/api/plans/im2022/targets", "/audit", "/api/health"]


def _fill_values(session: object, target: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    have = session.scalar(select(func.count()).select_from(IndicatorValueRow)
                          .where(IndicatorValueRow.superseded_at.is_(None))) or 0
    codes = list(session.scalars(select(RegionRow.code).order_by(RegionRow.code)))
    units = {i.id: i.unit for i in indicators()}
    now = datetime.now(UTC)
    rows: list[dict[str, object]] = []
    periods = [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]
    for period in periods:
        for code in codes:
            for ind, unit in units.items():
                if len(rows) >= target - have:
                    break
                rows.append({"region": code, "indicator": ind, "period": period, "year": int(period[:4]),
                             "value": random.uniform(1, 1000), "unit": unit, "source": "示例数据 (benchmark)",
                             "certainty": "R", "sample": True, "version": 1, "superseded_at": None,
                             "entered_by": "bench", "entered_at": now, "note": None})
    for i in range(0, len(rows), 5000):
        session.execute(insert(IndicatorValueRow), rows[i:i + 5000])
    session.commit()
    return have + len(rows)


def _fill_audit(session: object, target: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    last = session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).first()
    prev = None if last is None else ChainedEntry(
        seq=last.seq, ts=last.at, actor=last.actor, actor_role=last.actor_role, client_address=last.client_address,
        action=last.action, entity=last.entity, entity_id=last.entity_id, before=last.before, after=last.after,
        prev_hash=last.prev_hash, hash=last.hash)
    start = 0 if last is None else last.seq
    t0 = datetime.now(UTC) - timedelta(days=365)
    rows: list[dict[str, object]] = []
    for seq in range(start + 1, target + 1):
        entry = AuditEntry(seq=seq, ts=t0 + timedelta(seconds=seq), actor=f"bench{seq % 37}", actor_role="league",
                           client_address="192.0.2.1", action="new_version", entity="indicator_value",
                           entity_id=f"150600/energy_consumption/{seq}", before={"value": seq},
                           after={"value": seq + 0.5})
        prev = append(prev, entry)
        rows.append({"seq": seq, "at": prev.ts, "actor": prev.actor, "actor_role": prev.actor_role,
                     "client_address": prev.client_address, "action": prev.action, "entity": prev.entity,
                     "entity_id": prev.entity_id, "before": prev.before, "after": prev.after,
                     "prev_hash": prev.prev_hash, "hash": prev.hash})
        if len(rows) == 5000:
            session.execute(insert(AuditRow), rows)
            rows.clear()
    if rows:
        session.execute(insert(AuditRow), rows)
    session.commit()
    return target


def prepare(url: str, data_dir: Path) -> dict[str, float]:
    """Initialise and fill the store at ``url``; the figures of the set-up."""
    from argon2 import PasswordHasher

    settings = Settings(database_url=url, data_dir=data_dir)
    t = time.perf_counter()
    bootstrap.init(settings)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        values = _fill_values(s, VALUES)
        entries = _fill_audit(s, ENTRIES)
        accounts.add_user(s, username="bench_auditor", role="auditor", password=PASSWORD, display_name="审计员",
                          actor=accounts.Actor(name="bench"),
                          hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        s.commit()
        filled = time.perf_counter() - t
        t = time.perf_counter()
        full = audit_service.verify_chain(s)
        full_s = time.perf_counter() - t
        t = time.perf_counter()
        first = audit_service.verify_incremental(s)  # keeps the checkpoint the page continues from
        assert full.ok, full.message
        assert first.ok, first.message
        t = time.perf_counter()
        again = audit_service.verify_incremental(s)
        incremental_s = time.perf_counter() - t
        assert again.ok, again.message
    engine.dispose()
    return {"values": values, "entries": entries, "fill_s": filled, "full_verify_s": full_s,
            "incremental_verify_s": incremental_s}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _login(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert token is not None
        r = c.post("/login", data={"username": "bench_auditor", "password": PASSWORD, "csrf_token": token.group(1),
                                   "next": "/"})
        assert r.status_code in (200, 303), r.text[:300]
        return c.cookies


async def _load(base: str, cookies: httpx.Cookies, clients: int, seconds: float, record: bool,
                failures: dict[str, int], think: float = 0.0) -> dict[str, tuple[list[float], int]]:
    out: dict[str, tuple[list[float], int]] = {p: ([], 0) for p in PATHS}
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=60.0) as c:

        async def one(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < until:
                path = rng.choice(PATHS)
                t = time.perf_counter()
                try:
                    code = (await c.get(path)).status_code
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                ok = code == 200
                if record and not ok:
                    failures[f"{path} → {code}"] = failures.get(f"{path} → {code}", 0) + 1
                took = time.perf_counter() - t
                if record:
                    lat, errors = out[path]
                    lat.append(took)
                    out[path] = (lat, errors + (0 if ok else 1))
                if think > 0:  # a person reads the page before the next click (exponential, mean `think` s)
                    await asyncio.sleep(rng.expovariate(1.0 / think))

        await asyncio.gather(*(one(i) for i in range(clients)))
    return out


def _one_client(base: str, cookies: httpx.Cookies, calls: int = 30) -> dict[str, list[float]]:
    """Each path called ``calls`` times by one client, one after the other: what a request costs without a queue."""
    alone: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, cookies=cookies, timeout=60.0) as c:
        for path in PATHS:
            c.get(path)
            took = []
            for _ in range(calls):
                t = time.perf_counter()
                c.get(path).raise_for_status()
                took.append(time.perf_counter() - t)
            alone[path] = took
    return alone


def _tail(log: IO[bytes]) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return 1000 * xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def serve_and_load(url: str, data_dir: Path, *, workers: int, clients: int, seconds: float, think: float = 0.0) -> None:
    """Start ``tanfeng serve --workers N`` on the store, run the load, print the figures per path."""
    port = _free_port()
    env = {**os.environ, "TANFENG_DATABASE_URL": url, "TANFENG_DATA_DIR": str(data_dir)}
    log = (data_dir.parent / "server.log").open("w+b")  # a file, not a pipe: a full pipe would stall the server
    server = subprocess.Popen([sys.executable, "-c", "from tanfeng.cli.main import main; main()", "serve",
                               "--workers", str(workers), "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise SystemExit(f"the server stopped: {_tail(log)}")
            time.sleep(0.2)
        cookies = _login(base)
        alone = _one_client(base, cookies)
        failures: dict[str, int] = {}
        asyncio.run(_load(base, cookies, clients, 3.0, record=False, failures=failures))
        t = time.perf_counter()
        out = asyncio.run(_load(base, cookies, clients, seconds, record=True, failures=failures, think=think))
        elapsed = time.perf_counter() - t
    finally:
        server.terminate()
        server.wait(timeout=30)
    problems = [line for line in _tail(log).splitlines() if "INFO" not in line]
    if problems:
        print("server log (what is not INFO):\n" + "\n".join(problems[-20:]))
    print(f"{'path':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'1 client p50 ms':>16}")
    for path in PATHS:
        lat, errors = out[path]
        print(f"{path:<38} {len(lat) / elapsed:8.1f} {_pct(lat, 0.5):8.1f} {_pct(lat, 0.95):8.1f} {errors:7d} "
              f"{_pct(alone[path], 0.5):16.1f}")
    if failures:
        print("errors: " + ", ".join(f"{k} ×{n}" for k, n in sorted(failures.items())))
    total = sum(len(v[0]) for v in out.values())
    print(f"all paths: {total / elapsed:.1f} req/s over {elapsed:.1f} s, {workers} workers, {clients} clients "
          f"({'pausing ' + format(think, 'g') + ' s on average between requests' if think else 'never pausing'}), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    mean_alone = sum(_pct(alone[p], 0.5) for p in PATHS) / len(PATHS)
    print(f"Little's law: {clients} clients that never pause wait {clients} / throughput on average, so a mean "
          f"under 100 ms needs {clients / 0.1:.0f} req/s; one client alone takes {mean_alone:.1f} ms per request "
          f"on average over these paths (client included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a client pauses between requests (0: never; a person reading: ~2–5)")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tanfeng-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        if not args.postgres:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            _run(url, data_dir, args)
            return
        server = os.environ.get("TANFENG_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        name = f"tanfeng_bench_{secrets.token_hex(6)}"
        libpq = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(libpq, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
            try:
                _run(make_url(server).set(drivername="postgresql+psycopg", database=name)
                     .render_as_string(hide_password=False), data_dir, args)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    f = prepare(url, data_dir)
    backend = make_url(url).get_backend_name()
    print(f"store ({backend}): {f['values']:.0f} current stored values, {f['entries']:.0f} audit entries, "
          f"filled in {f['fill_s']:.1f} s; full audit verification {f['full_verify_s']:.2f} s, incremental "
          f"from the checkpoint {1000 * f['incremental_verify_s']:.1f} ms")
    serve_and_load(url, data_dir, workers=args.workers, clients=args.clients, seconds=args.seconds, think=args.think)


if __name__ == "__main__":
    main()
