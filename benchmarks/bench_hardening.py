"""What the request checks of ``tanfeng.web.hardening`` cost on a large JSON body (printed, never asserted).

A meter-reading batch as JSON (``meter_id, ts, value, kind``), 10,000 to 100,000 readings: the time of
:func:`check_json` (UTF-8, depth, NUL, finite numbers) beside a plain ``json.loads`` of the same body.

    PYTHONPATH=src python benchmarks/bench_hardening.py
"""

from __future__ import annotations

import json
import time

from tanfeng.web.hardening import check_json


def _batch(n: int) -> bytes:
    rows = [{"meter_id": f"M{i % 50:03d}", "ts": f"2025-01-{1 + i % 28:02d}T{i % 24:02d}:00:00+08:00",
             "value": 1234.5 + i, "kind": "interval"} for i in range(n)]
    return json.dumps(rows).encode("utf-8")


def _best(f: object, body: bytes, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f(body)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    print(f"{'readings':>9} {'MB':>6} {'json.loads s':>13} {'check_json s':>13} {'MB/s checked':>13}")
    for n in (10_000, 50_000, 100_000):
        body = _batch(n)
        plain = _best(json.loads, body)
        checked = _best(lambda b: check_json(b, 32), body)
        print(f"{n:>9} {len(body) / 1e6:>6.1f} {plain:>13.3f} {checked:>13.3f} {len(body) / 1e6 / checked:>13.1f}")


if __name__ == "__main__":
    main()
