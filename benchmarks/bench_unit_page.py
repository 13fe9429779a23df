"""A key unit's page over HTTP on the 1,500-unit sample population (target: p50 and p95 < 300 ms).

Initialises a temporary embedded store as ``tanfeng init`` does, loads the key-unit sample population
(示例数据: 1,500 units × 20 meters, one day of 15-minute readings), serves it with uvicorn on a loopback port
and requests ``/units/{code}`` for several units as a logged-in administrator (an API token), beside
``/api/health`` for the floor of a request. Prints p50 and p95 of each.

    .venv/bin/python benchmarks/bench_unit_page.py [--units 1500] [--runs 30]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from tanfeng.config import Settings
from tanfeng.services import accounts, bootstrap
from tanfeng.services import key_units as units_service
from tanfeng.store import make_engine, make_session_factory
from tanfeng.web.app import create_app

TARGET_MS = 300.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _prepare(settings: Settings, n_units: int) -> tuple[str, list[str]]:
    """The store with the sample population and an administrator's token; the token and some unit codes."""
    t0 = time.perf_counter()
    bootstrap.init(settings)
    print(f"init: {time.perf_counter() - t0:.1f} s")
    sessions = make_session_factory(make_engine(settings.database_url))
    with sessions() as session:
        t0 = time.perf_counter()
        loaded = units_service.load_sample(session, settings, units=n_units, days=1, actor="bench")
        print(f"sample: {loaded.units} units, {loaded.meters} meters, {loaded.readings} readings "
              f"in {time.perf_counter() - t0:.1f} s")
        actor = accounts.Actor(name="bench")
        accounts.create_admin(session, username="bench-admin", password="Bench-admin-2025!", actor=actor)
        token = accounts.issue_api_token(session, username="bench-admin", scopes=["read"], actor=actor).token
        codes = [u.code for u in units_service.list_units(session)]
    step = max(1, len(codes) // 10)
    return token, codes[::step][:10]


def _measure(client: httpx.Client, paths: list[str], runs: int) -> list[float]:
    times: list[float] = []
    for i in range(runs):
        path = paths[i % len(paths)]
        t0 = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t0) * 1000.0)
        if response.status_code != 200:
            msg = f"{path} answered {response.status_code}"
            raise SystemExit(msg)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
        token, codes = _prepare(settings, args.units)
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as client:
            _measure(client, [f"/units/{c}" for c in codes[:2]], 2)  # warm-up: imports, first connection
            rows = [("/api/health", _measure(client, ["/api/health"], args.runs)),
                    (f"/units/{{code}} ({len(codes)} units)", _measure(client, [f"/units/{c}" for c in codes],
                                                                      args.runs))]
        server.should_exit = True
        thread.join(timeout=10)
    print(f"{'request':<32} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}  target < {TARGET_MS:.0f} ms (unit page)")
    for name, times in rows:
        print(f"{name:<32} {_pct(times, 0.5):>8.1f} {_pct(times, 0.95):>8.1f} {statistics.fmean(times):>8.1f}")


if __name__ == "__main__":
    main()
