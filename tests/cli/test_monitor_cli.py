"""``tanfeng monitor``: ingest (JSON, CSV, Parquet), aggregate, quality, with ``--format json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app


def test_ingest_aggregate_quality(env: Path, run: Callable[[list[str]], Any]) -> None:
    run(["units", "load-sample", "--units", "2", "--days", "1"])
    meter = run(["units", "show", run(["units", "list"])[0]["code"]])["meter_list"][5]["meter_id"]
    frame = pl.DataFrame({"meter_id": [meter] * 2, "ts": ["2025-01-08T00:15:00+08:00", "2025-01-08T00:30:00+08:00"],
                          "value": [1.0, 2.0], "kind": ["interval"] * 2})
    (env / "b.json").write_text(json.dumps(frame.to_dicts()), encoding="utf-8")
    frame.write_csv(env / "b.csv")
    frame.write_parquet(env / "b.parquet")
    first = run(["monitor", "ingest", str(env / "b.json")])
    assert (first["rows"], first["duplicate"]) == (2, False)
    assert run(["monitor", "ingest", str(env / "b.csv")])["duplicate"] is True
    assert run(["monitor", "ingest", str(env / "b.parquet")])["batch_id"] == first["batch_id"]

    rows = run(["monitor", "aggregate", "--period", "day", "--by", "league"])
    assert rows
    assert set(rows[0]) == {"period", "league", "energy_tce", "tco2", "sample"}
    assert all(r["sample"] for r in rows)
    assert all(len(r["league"]) == 6 for r in rows)
    monthly = run(["monitor", "aggregate", "--period", "month", "--by", "industry"])
    assert {r["period"][:7] for r in monthly} == {"2025-01"}
    total_day = sum(r["energy_tce"] for r in rows)
    assert sum(r["energy_tce"] for r in monthly) == pytest.approx(total_day, rel=1e-9)

    q = run(["monitor", "quality", "--from", "2025-01-06", "--to", "2025-01-06"])
    assert q["notice"].startswith("示例数据")
    assert len(q["completeness"]) == 2
    assert any(f["q_spike"] or f["q_gap_before"] or f["q_negative"] for f in q["flags"])


def test_a_bad_file_names_line_and_field(env: Path, run: Callable[[list[str]], Any]) -> None:
    bad = env / "bad.csv"
    bad.write_text("meter_id,ts,value,kind\nM,2025-01-08T00:15:00+08:00,abc,interval\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["monitor", "ingest", str(bad)])
    assert r.exit_code == 1
    assert "MeterDataError" in r.output
    assert "line 2" in r.output
    assert "value" in r.output
    assert run(["monitor", "batches"]) == []
