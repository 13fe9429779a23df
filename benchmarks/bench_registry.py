"""Benchmark of the registry ledger on PostgreSQL: transfers per second with 50 concurrent clients and the
latency of each acknowledged transfer (p50, p95), printed (not asserted).

A fresh database on the server named by ``TANFENG_BENCH_POSTGRES_URL`` (default the local server) gets 20
accounts with 10 000 allowances each; 50 threads then send random transfers through the registry service
(the same write path as the CLI and the API: idempotency key, ledger lock, hash chain, audit entry) for
``--seconds``. The database is dropped afterwards. Every transfer is serialised by the ledger lock, so the
figure is the ledger's sequential write rate under contention.

    .venv/bin/python benchmarks/bench_registry.py [--seconds 30] [--clients 50]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import threading
import time
import uuid

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from tanfeng.errors import InputError
from tanfeng.services import registry as service
from tanfeng.store import upgrade

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ACCOUNTS, START = 20, 10_000
WHO = service.Actor(name="bench", role="region_admin")


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run(url: str, seconds: float, clients: int) -> dict[str, float]:
    """Run the load on the database at ``url``; the figures."""
    upgrade(url)
    engine = create_engine(url, pool_size=clients, max_overflow=10, pool_pre_ping=True)
    factory = sessionmaker(engine)
    names = [service.account_id("CEA", f"B{i:02d}") for i in range(ACCOUNTS)]
    with factory() as s:
        for i, name in enumerate(names):
            service.open_account(s, service.OpenAccountRequest(instrument="CEA", kind="enterprise", owner=f"B{i:02d}",
                                                               name=name, region="150200"), actor=WHO)
            service.issue(s, service.IssueRequest(idempotency_key=f"b-{i}", account=name, vintage=2024, amount=START),
                          actor=WHO)
    latencies: list[float] = []
    refused = [0]
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < until:
            src, dst = rng.sample(names, 2)
            req = service.TransferRequest(idempotency_key=str(uuid.uuid4()), source=src, target=dst,
                                          amount=rng.randint(1, 800))
            t0 = time.perf_counter()
            try:
                with factory() as s:
                    service.transfer(s, req, actor=WHO)
            except InputError:
                with lock:
                    refused[0] += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    with factory() as s:
        ok = service.verify(s)[0].ok
    engine.dispose()
    latencies.sort()
    n = len(latencies)
    return {"transfers": n, "refused": refused[0], "seconds": elapsed, "per_second": n / elapsed,
            "p50_ms": 1000 * latencies[n // 2] if n else 0.0,
            "p95_ms": 1000 * latencies[min(n - 1, int(0.95 * n))] if n else 0.0, "verified": float(ok)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    server = os.environ.get("TANFENG_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    name = f"tanfeng_bench_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq(server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        try:
            url = make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(
                hide_password=False)
            r = run(url, args.seconds, args.clients)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"registry transfers on PostgreSQL, {args.clients} clients, {r['seconds']:.1f} s: "
          f"{r['transfers']:.0f} acknowledged ({r['refused']:.0f} refused for too few units), "
          f"{r['per_second']:.1f} transfers/s, latency p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
          f"ledger verified: {bool(r['verified'])}")


if __name__ == "__main__":
    main()
