"""Benchmark of online metering: validation of one day for all units, and monthly aggregation.

Prints figures; nothing is asserted. Targets (from the work item): validation of one full day for
~1,500 units × 20 meters (≈ 2.9 million rows) in < 10 s on 2 cores; Ibis-on-DuckDB aggregation of
N readings to monthly energy and emissions per unit within 1.5× of one hand-written DuckDB SQL
query over the same Parquet files; peak memory < 4 GB.

Each phase runs in its own Python process so that its peak resident memory (ru_maxrss) is its own.
Parquet files go to a temporary folder that is removed at the end.

Usage::

    python benchmarks/bench_metering.py                      # 10 million readings
    python benchmarks/bench_metering.py --readings 100000000 # the full run
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

# GB/T 2589-2008 kgce per unit; CO2: MEE/NBS 2022 grid 0.5366 kgCO2/kWh, provincial guideline 2011
# natural gas 2.1622 kgCO2/m³ and raw coal 1.9003 tCO2/t (as in the shipped reference files)
FACTORS = pl.DataFrame({
    "product": ["electricity", "natural_gas", "raw_coal"], "unit": ["kWh", "m**3", "kg"],
    "kgce_per_unit": [0.1229, 1.3300, 0.7143], "tco2_per_unit": [0.5366e-3, 2.1622e-3, 1.9003e-3],
})

HAND_SQL = """
SELECT date_trunc('month', r.interval_start_local) AS period,
       m.unit_code AS unit,
       sum(r.energy * f.kgce_per_unit) / 1000.0 AS energy_tce,
       sum(r.energy * f.tco2_per_unit) AS tco2
FROM read_parquet('{readings}') r
JOIN read_parquet('{meters}') m ON m.meter_id = r.meter_id
JOIN read_parquet('{factors}') f ON f.product = m.product AND f.unit = m.unit
WHERE r.valid
GROUP BY 1, 2
ORDER BY 1, 2
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def phase_validate(units: int, meters: int) -> dict[str, object]:
    from tanfeng.enterprises.sample import SampleParams, generate
    from tanfeng.monitoring.validate import validate_readings

    t = time.perf_counter()
    s = generate(SampleParams(n_units=units, meters_per_unit=meters, days=1))
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    out = validate_readings(s.readings, s.meters, now=s.end)
    val_s = time.perf_counter() - t
    flags = {c: int(out[c].sum()) for c in out.columns if c.startswith("q_")}
    return {"rows": out.height, "generate_s": gen_s, "validate_s": val_s, "valid": int(out["valid"].sum()),
            "flags": flags, "peak_mb": _peak_mb()}


def phase_write(folder: Path, n_readings: int, units: int, meters: int, seed: int) -> dict[str, object]:
    from tanfeng.enterprises.sample import SampleParams, generate

    s = generate(SampleParams(n_units=units, meters_per_unit=meters, days=1, faults_per_kind=1))
    s.meters.write_parquet(folder / "meters.parquet")
    s.units.write_parquet(folder / "units.parquet")
    FACTORS.write_parquet(folder / "factors.parquet")
    ids = pa.array(s.meters["meter_id"].to_list(), pa.string())
    n_m = len(ids)
    rng = np.random.default_rng(seed)
    start = np.datetime64(datetime(2025, 1, 1), "us")
    step = np.timedelta64(15, "m").astype("timedelta64[us]")
    chunk = 5_000_000
    schema = pa.schema([("meter_id", pa.string()), ("interval_start_local", pa.timestamp("us")),
                        ("energy", pa.float64()), ("valid", pa.bool_())])
    t = time.perf_counter()
    with pq.ParquetWriter(folder / "readings.parquet", schema) as w:
        for lo in range(0, n_readings, chunk):
            idx = np.arange(lo, min(lo + chunk, n_readings))
            meter = idx % n_m
            interval = idx // n_m
            tbl = pa.table({
                "meter_id": ids.take(pa.array(meter)),
                "interval_start_local": pa.array(start + interval * step, pa.timestamp("us")),
                "energy": pa.array(rng.gamma(2.0, 50.0, size=len(idx))),
                "valid": pa.array(rng.random(len(idx)) > 0.01),
            }, schema=schema)
            w.write_table(tbl, row_group_size=1_000_000)
    return {"write_s": time.perf_counter() - t, "meters": n_m,
            "bytes": (folder / "readings.parquet").stat().st_size, "peak_mb": _peak_mb()}


def phase_aggregate(folder: Path, repeats: int) -> dict[str, object]:
    import duckdb
    import ibis

    from tanfeng.monitoring.aggregate import aggregate

    con = ibis.duckdb.connect()
    raw = duckdb.connect()  # plain DuckDB for the hand-written query, default settings like Ibis's
    files = {k: str(folder / f"{k}.parquet") for k in ("readings", "meters", "units", "factors")}
    tables = {k: con.read_parquet(v) for k, v in files.items()}
    expr = aggregate(tables["readings"], tables["meters"], tables["units"], tables["factors"],
                     grain="month", by="unit")
    sql = HAND_SQL.format(**files)
    ibis_s, sql_s = [], []
    ibis_out = sql_out = None
    for _ in range(repeats):
        t = time.perf_counter()
        sql_out = raw.sql(sql).to_arrow_table()
        sql_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        ibis_out = con.to_pyarrow(expr)
        ibis_s.append(time.perf_counter() - t)
    assert ibis_out is not None
    assert sql_out is not None
    a = pl.from_arrow(ibis_out)
    b = pl.from_arrow(sql_out)
    assert isinstance(a, pl.DataFrame)
    assert isinstance(b, pl.DataFrame)
    return {"ibis_s": min(ibis_s), "sql_s": min(sql_s), "groups": a.height,
            "ibis_total_tce": float(a["energy_tce"].sum()), "sql_total_tce": float(b["energy_tce"].sum()),
            "ibis_total_tco2": float(a["tco2"].sum()), "sql_total_tco2": float(b["tco2"].sum()),
            "peak_mb": _peak_mb()}


def _run(args: list[str]) -> dict[str, object]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise SystemExit(proc.returncode)
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--readings", type=int, default=10_000_000, help="readings to aggregate (default 1e7)")
    ap.add_argument("--units", type=int, default=1500)
    ap.add_argument("--meters", type=int, default=20, help="meters per unit")
    ap.add_argument("--repeats", type=int, default=2, help="timed repetitions of each query (min is printed)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--phase", choices=["validate", "write", "aggregate"], help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.phase == "validate":
        print(json.dumps(phase_validate(a.units, a.meters)))
        return
    if a.phase == "write":
        print(json.dumps(phase_write(a.dir, a.readings, a.units, a.meters, a.seed)))
        return
    if a.phase == "aggregate":
        print(json.dumps(phase_aggregate(a.dir, a.repeats)))
        return

    common = ["--units", str(a.units), "--meters", str(a.meters)]
    print(f"tanfeng metering benchmark — sample data (示例数据), {a.units} units × {a.meters} meters")
    v = _run(["--phase", "validate", *common])
    print(f"[validate] one day: {v['rows']:,} rows generated in {v['generate_s']:.2f} s, "
          f"validated and flagged in {v['validate_s']:.2f} s (target < 10 s); valid {v['valid']:,}; "
          f"peak RSS {v['peak_mb']:.0f} MB")
    print(f"           flags: {v['flags']}")
    with tempfile.TemporaryDirectory(prefix="tanfeng-bench-") as tmp:
        folder = Path(tmp)
        w = _run(["--phase", "write", "--dir", tmp, "--readings", str(a.readings), "--seed", str(a.seed), *common])
        print(f"[parquet]  {a.readings:,} readings over {w['meters']:,} meters written in {w['write_s']:.1f} s "
              f"({int(w['bytes']) / 1e6:.0f} MB)")
        g = _run(["--phase", "aggregate", "--dir", tmp, "--repeats", str(a.repeats)])
        ratio = float(g["ibis_s"]) / float(g["sql_s"])
        print(f"[monthly per unit] Ibis→DuckDB {g['ibis_s']:.2f} s vs hand-written DuckDB SQL {g['sql_s']:.2f} s: "
              f"ratio {ratio:.2f}× (target ≤ 1.5×); {g['groups']} groups; peak RSS {g['peak_mb']:.0f} MB "
              f"(target < 4096 MB)")
        print(f"           totals: Ibis {g['ibis_total_tce']:.6g} tce / {g['ibis_total_tco2']:.6g} tCO2, "
              f"SQL {g['sql_total_tce']:.6g} tce / {g['sql_total_tco2']:.6g} tCO2")
        del folder


if __name__ == "__main__":
    main()
