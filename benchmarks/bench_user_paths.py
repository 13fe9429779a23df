"""Benchmark of the metering paths users call, over HTTP against ``tanfeng serve``: printed, never asserted.

A fresh store in a temporary folder (SQLite ledger + Parquet) is filled by the sample generator (示例数据):
``--units`` units × ``--meters`` meters × as many days of 15-minute readings as ``--readings`` asks for, stored
as one batch per day and flagged in one pass (the bulk load). Then:

* **reads**, each ``--repeats`` times after one warm-up call, p50 over HTTP with a bearer token: right after
  an update of the derived store (its version token is renewed before each call, so the answer is computed
  afresh: the figure that counts) and repeated (the answer remembered for that version); server resident
  memory (VmRSS now, VmHWM peak) read from ``/proc``:
  monthly by league, monthly by unit, daily for one unit, quality for one unit-day; beside each, the best
  hand-written DuckDB query over the same rollup files (sum per meter first, then join), in this process;
* **ingest**, one batch per unit and day (what a gateway sends), of one more day for ``--ingest-units`` units:
  in-process (``metering.ingest`` of JSON bodies: parse, batch id, durable file, ledger row and audit entry: what
  a batch waits for) and over HTTP (2 clients, JSON), beside the floor of writing the same readings to Parquet
  with pyarrow (one file per batch) and the JSON parse alone; then the flagging that follows (``catch_up``:
  flags, tiles, rollups, in passes over many batches), in-process and by the server's background thread
  (time from the last answer until nothing is pending);
* **bulk ingest**: batches of 50 unit-days each (96,000 readings at 20 meters), Parquet, in-process, beside the
  pyarrow floor of the same frames.

Usage::

    python benchmarks/bench_user_paths.py                        # smoke run: 200 units, ~1 M readings
    python benchmarks/bench_user_paths.py --units 1500 --readings 10000000
    python benchmarks/bench_user_paths.py --units 1500 --readings 100000000  # the full figure
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import polars as pl
import pyarrow.parquet as pq

from tanfeng.analytics.metering import MeteringStore
from tanfeng.config import Settings
from tanfeng.enterprises.sample import generate
from tanfeng.monitoring.ingest import parse_json
from tanfeng.services import accounts, metering
from tanfeng.services import key_units as units
from tanfeng.services.key_units.sample import sample_params
from tanfeng.store import make_engine, make_session_factory, upgrade

# GB/T 2589-2008 kgce per unit; CO2: grid 0.5366 kgCO2/kWh, natural gas 2.1622 kgCO2/m³, raw coal 1.9003 tCO2/t
FACTORS = pl.DataFrame({"product": ["electricity", "natural_gas", "raw_coal"], "unit": ["kWh", "m**3", "kg"],
                        "kgce_per_unit": [0.1229, 1.3300, 0.7143],
                        "tco2_per_unit": [0.5366e-3, 2.1622e-3, 1.9003e-3]})
HAND = {
    "monthly by league": """
        WITH per_meter AS (SELECT meter_id, date_trunc('month', period) AS period, sum(energy) AS energy
                           FROM read_parquet({month}) GROUP BY ALL HAVING sum(valid) > 0)
        SELECT p.period, u.league, sum(p.energy * f.kgce_per_unit) / 1000 AS energy_tce,
               sum(p.energy * f.tco2_per_unit) AS tco2
        FROM per_meter p JOIN meters m USING (meter_id) JOIN factors f USING (product, unit)
        JOIN units u USING (unit_code) GROUP BY ALL ORDER BY ALL""",
    "monthly by unit": """
        WITH per_meter AS (SELECT meter_id, date_trunc('month', period) AS period, sum(energy) AS energy
                           FROM read_parquet({month}) GROUP BY ALL HAVING sum(valid) > 0)
        SELECT p.period, m.unit_code, sum(p.energy * f.kgce_per_unit) / 1000 AS energy_tce,
               sum(p.energy * f.tco2_per_unit) AS tco2
        FROM per_meter p JOIN meters m USING (meter_id) JOIN factors f USING (product, unit)
        GROUP BY ALL ORDER BY ALL""",
    "daily for one unit": """
        WITH per_meter AS (SELECT meter_id, period, sum(energy) AS energy FROM read_parquet({day})
                           WHERE unit_code = '{unit}' GROUP BY ALL HAVING sum(valid) > 0)
        SELECT p.period, m.unit_code, sum(p.energy * f.kgce_per_unit) / 1000 AS energy_tce,
               sum(p.energy * f.tco2_per_unit) AS tco2
        FROM per_meter p JOIN meters m USING (meter_id) JOIN factors f USING (product, unit)
        GROUP BY ALL ORDER BY ALL""",
    "quality for one unit-day": """
        SELECT meter_id, sum(readings), sum(valid), sum(q_gap_before), sum(q_spike), sum(q_stuck), sum(q_reset),
               sum(q_negative), sum(q_duplicate), sum(q_conflict), sum(q_future)
        FROM read_parquet({day}) WHERE unit_code = '{unit}' AND period = TIMESTAMP '{day0}' GROUP BY ALL""",
}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _p50(f: Any, repeats: int) -> float:
    f()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _fill(settings: Settings, n_units: int, meters: int, days: int) -> tuple[str, float, float, int, str, date]:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        t = time.perf_counter()
        loaded = units.load_sample(session, settings, units=n_units, days=days, meters_per_unit=meters, bulk=True,
                                   derive=False)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        metering.rebuild(session, settings)
        flag_s = time.perf_counter() - t
        actor = accounts.Actor(name="bench")
        from argon2 import PasswordHasher

        accounts.add_user(session, username="bench", role="region_admin", password="Bench-Horse-Battery-42!",
                          actor=actor, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        token = accounts.issue_api_token(session, username="bench", scopes=["ingest", "read"], actor=actor).token
        session.commit()
        unit = str(metering.units_frame(session)["unit_code"].sort()[0])
    engine.dispose()
    return token, load_s, flag_s, loaded.readings, unit, loaded.start.date()


def _bodies(n_units: int, meters: int, days: int, first: int, count: int) -> list[tuple[pl.DataFrame, bytes]]:
    """JSON bodies of the day after the stored ones, one per unit (units ``first … first+count−1``)."""
    s = generate(sample_params(n_units, days + 1, meters))
    last = s.start.date() + timedelta(days=days)
    r = s.readings.with_columns(unit_code=pl.col("meter_id").str.split("-M").list.first(),
                                day=pl.col("ts").dt.convert_time_zone("Asia/Shanghai").dt.date())
    r = r.filter(pl.col("day") == last)
    codes = s.units["unit_code"].to_list()[first:first + count]
    out = []
    for code in codes:
        part = r.filter(pl.col("unit_code") == code).select("meter_id", "ts", "value", "kind")
        body = json.dumps([{**x, "ts": x["ts"].isoformat()} for x in part.to_dicts()]).encode()
        out.append((part, body))
    return out


def _hand(settings: Settings, unit: str, day0: date) -> dict[str, Any]:
    store = MeteringStore(settings.data_dir)
    con = duckdb.connect()
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        con.register("meters", metering.meters_frame(session).to_arrow())
        con.register("units", metering.units_frame(session).to_arrow())
    engine.dispose()
    con.register("factors", FACTORS.to_arrow())
    files = {g: "[" + ", ".join(f"'{f}'" for f in store.rollup_files(g)) + "]" for g in ("day", "month")}
    return {name: (lambda q=q: con.sql(q.format(month=files["month"], day=files["day"], unit=unit,
                                                  day0=day0.isoformat())).fetchall())
            for name, q in HAND.items()}


def _serve(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "TANFENG_DATABASE_URL": settings.database_url, "TANFENG_DATA_DIR": str(settings.data_dir)}
    log = (settings.data_dir.parent / "server.log").open("wb")  # read when the server does not come up
    proc = subprocess.Popen([sys.executable, "-c", "from tanfeng.cli.main import main; main()", "serve",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                print((settings.data_dir.parent / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            time.sleep(0.2)


def _post_all(base: str, token: str, bodies: list[bytes], clients: int,
              content_type: str = "application/json") -> tuple[float, list[str]]:
    queue = list(bodies)
    lock = threading.Lock()
    errors: list[str] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=300) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                r = client.post("/api/monitoring/readings", content=body, headers=headers)
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:200]}")

    t = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t, errors


def _ingest_in_process(settings: Settings, batches: list[tuple[pl.DataFrame, bytes]], *, profile: bool,
                      fmt: str = "json") -> tuple[float, float]:
    """Seconds to ingest the batches (each answered), then seconds to flag them all (``catch_up``)."""
    import cProfile
    import pstats

    engine = make_engine(settings.database_url)
    prof = cProfile.Profile()
    with make_session_factory(engine)() as session:
        t = time.perf_counter()
        if profile:
            prof.enable()
        for i, (_, body) in enumerate(batches):
            metering.ingest(session, settings, body, fmt, source=f"bench:{fmt}:{i}", actor="bench")  # type: ignore[arg-type]
        prof.disable()
        elapsed = time.perf_counter() - t
        t = time.perf_counter()
        metering.catch_up(session, settings)
        flag_s = time.perf_counter() - t
    engine.dispose()
    if profile:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(r"tanfeng|fsync|commit|write_parquet|read_parquet", 25)
    return elapsed, flag_s


def _drained(settings: Settings, since: float, timeout: float = 1800.0) -> float:
    """Seconds from ``since`` until no committed batch is pending (the server's background pass is done)."""
    from tanfeng.store import repository_metering as repo

    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            while repo.pending_ids(session) and time.perf_counter() - since < timeout:
                time.sleep(0.02)
    finally:
        engine.dispose()
    return time.perf_counter() - since


def _bulk(n_units: int, meters: int, days: int, first: int, count: int, per: int) -> list[tuple[pl.DataFrame, bytes]]:
    """Parquet batches of ``per`` unit-days each (the day after the stored ones), units ``first …``."""
    import io

    out = []
    s = generate(sample_params(n_units, days + 1, meters))
    last = s.start.date() + timedelta(days=days)
    r = s.readings.with_columns(unit_code=pl.col("meter_id").str.split("-M").list.first(),
                                day=pl.col("ts").dt.convert_time_zone("Asia/Shanghai").dt.date())
    codes = s.units["unit_code"].to_list()[first:first + count]
    r = r.filter((pl.col("day") == last) & pl.col("unit_code").is_in(codes))
    for i in range(0, len(codes) - per + 1, per):
        part = r.filter(pl.col("unit_code").is_in(codes[i:i + per])).select("meter_id", "ts", "value", "kind")
        buf = io.BytesIO()
        part.write_parquet(buf)
        out.append((part, buf.getvalue()))
    return out


def _floors(batches: list[tuple[pl.DataFrame, bytes]], folder: Path, *, parse: bool = True) -> tuple[float, float]:
    folder.mkdir(parents=True, exist_ok=True)
    tables = [f.to_arrow() for f, _ in batches]
    t = time.perf_counter()
    for i, tbl in enumerate(tables):
        pq.write_table(tbl, folder / f"{i}.parquet")
    write_s = time.perf_counter() - t
    t = time.perf_counter()
    for _, body in batches if parse else ():
        parse_json(body)
    return write_s, time.perf_counter() - t


def _reads(base: str, token: str, unit: str, day0: date, repeats: int,
           store: MeteringStore) -> dict[str, tuple[float, float]]:
    """p50 of each path: after a store update (a new version token: computed afresh), and repeated (remembered)."""
    h = {"Authorization": f"Bearer {token}"}
    paths = {
        "monthly by league": "/api/monitoring/aggregate?period=month&by=league",
        "monthly by unit": "/api/monitoring/aggregate?period=month&by=unit",
        "daily for one unit": f"/api/monitoring/aggregate?period=day&by=unit&unit={unit}",
        "quality for one unit-day": f"/api/monitoring/quality?unit={unit}&from={day0}&to={day0}",
    }
    out = {}
    with httpx.Client(base_url=base, timeout=600, headers=h) as client:
        for name, path in paths.items():
            def call(path: str = path) -> None:
                r = client.get(path)
                r.raise_for_status()

            cold_s: list[float] = []

            def cold(path: str = path, into: list[float] = cold_s) -> None:
                store.bump()
                t = time.perf_counter()
                call(path)
                into.append(time.perf_counter() - t)

            _p50(cold, repeats)
            out[name] = (statistics.median(cold_s[1:]), _p50(call, repeats))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--readings", type=int, default=1_000_000, help="readings to store (rounded to whole days)")
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--meters", type=int, default=20, help="meters per unit")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--ingest-units", type=int, default=40, help="unit-day batches timed in-process and over HTTP")
    ap.add_argument("--profile", action="store_true", help="print where the in-process ingest spends its time")
    a = ap.parse_args()
    per_day = a.units * a.meters * 96
    days = max(1, math.ceil(a.readings / per_day))
    print(f"tanfeng user paths — sample data (示例数据), {a.units} units × {a.meters} meters × {days} days; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="tanfeng-bench-paths-") as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'tanfeng.db'}"
        upgrade(url)
        settings = Settings(database_url=url, data_dir=root / "data")
        token, load_s, flag_s, n, unit, day0 = _fill(settings, a.units, a.meters, days)
        print(f"[fill] {n:,} readings stored in {load_s:.1f} s (one batch per day), flagged and rolled up in one "
              f"pass in {flag_s:.1f} s ({n / flag_s:,.0f} readings/s)")
        k = min(a.ingest_units, a.units // 2)
        batches = _bodies(a.units, a.meters, days, 0, 2 * k)
        mine, theirs = batches[:k], batches[k:]
        rows = sum(f.height for f, _ in mine)
        write_s, parse_s = _floors(mine, root / "floor")
        in_s, in_flag_s = _ingest_in_process(settings, mine, profile=a.profile)
        both = _bulk(a.units, a.meters, days, 2 * k, min(a.units - 2 * k, 1000), 50)
        bulk, bulk_http = both[:len(both) // 2], both[len(both) // 2:]
        bulk_rows = sum(f.height for f, _ in bulk)
        bulk_write_s, _ = _floors(bulk, root / "floor-bulk", parse=False)
        bulk_s, bulk_flag_s = _ingest_in_process(settings, bulk, profile=False, fmt="parquet") if bulk else (0, 0)
        proc, base = _serve(settings)
        try:
            reads = _reads(base, token, unit, day0, a.repeats, MeteringStore(settings.data_dir))
            rss, hwm = _rss_mb(proc.pid)
            http_s, errors = _post_all(base, token, [b for _, b in theirs], clients=2)
            drain_s = _drained(settings, time.perf_counter())
            rss2, hwm2 = _rss_mb(proc.pid)
            bulk_http_s, bulk_errors = _post_all(base, token, [b for _, b in bulk_http], clients=2,
                                                 content_type="application/vnd.apache.parquet")
            errors += bulk_errors
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        hand = {name: _p50(f, a.repeats) for name, f in _hand(settings, unit, day0).items()}
        print(f"{'path (HTTP, p50)':26} {'after a write':>14} {'repeated':>10} {'hand DuckDB':>12} {'ratio':>6}")
        for name, (cold_p50, warm_p50) in reads.items():
            print(f"{name:26} {cold_p50 * 1000:11.1f} ms {warm_p50 * 1000:7.1f} ms {hand[name] * 1000:9.1f} ms "
                  f"{cold_p50 / hand[name]:5.1f}×")
        print(f"[server] RSS after the reads {rss:.0f} MB (peak {hwm:.0f} MB); after HTTP ingest {rss2:.0f} MB "
              f"(peak {hwm2:.0f} MB)")
        http_rows = sum(f.height for f, _ in theirs)
        print(f"[ingest] {k} unit-day batches of ~{rows // max(k, 1):,} readings (JSON):")
        print(f"  in-process   {rows / in_s:>12,.0f} readings/s")
        print(f"  HTTP, 2 clients {http_rows / http_s:>9,.0f} readings/s" + (f"  errors: {errors[:2]}" if errors else ""))
        print(f"  JSON parse alone {rows / parse_s:>8,.0f} readings/s")
        print(f"  floor: pyarrow Parquet write {rows / write_s:,.0f} readings/s → in-process at "
              f"{(rows / in_s) / (rows / write_s):.1%} of it, HTTP at {(http_rows / http_s) / (rows / write_s):.1%}")
        print(f"  flagged afterwards: in-process catch-up {rows / in_flag_s:,.0f} readings/s; the server's background "
              f"pass done {drain_s:.2f} s after the last HTTP answer")
        if bulk:
            print(f"[bulk ingest] {len(bulk)} Parquet batches of {bulk_rows // len(bulk):,} readings (50 unit-days):")
            print(f"  in-process   {bulk_rows / bulk_s:>12,.0f} readings/s; floor {bulk_rows / bulk_write_s:,.0f}/s "
                  f"({(bulk_rows / bulk_s) / (bulk_rows / bulk_write_s):.1%}); flagged afterwards "
                  f"{bulk_rows / bulk_flag_s:,.0f} readings/s")
        if bulk_http:
            rows_http = sum(f.height for f, _ in bulk_http)
            print(f"  HTTP, 2 clients {rows_http / bulk_http_s:>9,.0f} readings/s ({len(bulk_http)} batches; "
                  f"{(rows_http / bulk_http_s) / (bulk_rows / bulk_write_s):.1%} of the floor)")


if __name__ == "__main__":
    main()
