"""Batch parsing (JSON, CSV, Parquet), whole-batch refusal, idempotent and order-independent merging."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanfeng.errors import ImportDataError, MeterDataError
from tanfeng.monitoring.ingest import (
    batch_id,
    empty_readings,
    merge,
    parse_batch,
    parse_csv,
    parse_json,
    parse_parquet,
)

CSV = """meter_id,ts,value,kind
E1,2025-01-01T00:15:00+08:00,2.5,interval
E1,2025-01-01T00:30:00+08:00,3,interval
G1,2025-01-01T00:15:00Z,1000.25,cumulative
"""


def test_csv_parses_into_the_contract() -> None:
    b = parse_csv(CSV)
    assert b.readings.schema == pl.Schema({"meter_id": pl.String, "ts": pl.Datetime("us", "UTC"),
                                           "value": pl.Float64, "kind": pl.String})
    # +08:00 is converted to UTC: 00:15 local = 16:15 UTC the day before
    assert b.readings["ts"][0] == datetime(2024, 12, 31, 16, 15, tzinfo=UTC)
    assert b.readings["ts"][2] == datetime(2025, 1, 1, 0, 15, tzinfo=UTC)
    assert b.readings["value"].to_list() == [2.5, 3.0, 1000.25]
    assert b.batch_id.startswith("sha256:")


def test_the_three_formats_give_the_same_batch() -> None:
    csv_batch = parse_csv(CSV)
    items = [{"meter_id": r["meter_id"], "ts": t, "value": r["value"], "kind": r["kind"]}
             for r, t in zip(csv_batch.readings.iter_rows(named=True),
                             ["2025-01-01T00:15:00+08:00", "2025-01-01T00:30:00+08:00", "2025-01-01T00:15:00Z"],
                             strict=True)]
    json_batch = parse_json(json.dumps(items))
    buf = io.BytesIO()
    csv_batch.readings.write_parquet(buf)
    pq_batch = parse_batch(buf.getvalue(), "parquet")
    assert json_batch.readings.equals(csv_batch.readings)
    assert pq_batch.readings.equals(csv_batch.readings)
    assert json_batch.batch_id == csv_batch.batch_id == pq_batch.batch_id


@pytest.mark.parametrize(("line", "field", "match"), [
    ("E1,2025-01-01T00:45:00,1,interval", "ts", "has no UTC offset"),
    ("E1,2025-13-01T00:45:00+08:00,1,interval", "ts", "not a valid ISO 8601"),
    ("E1,yesterday,1,interval", "ts", "not an ISO 8601 timestamp"),
    ("E1,2025-01-01T00:45:00+08:00,abc,interval", "value", "'abc' is not a finite number"),
    ("E1,2025-01-01T00:45:00+08:00,,interval", "value", "not a finite number"),
    ("E1,2025-01-01T00:45:00+08:00,inf,interval", "value", "not a finite number"),
    ("E1,2025-01-01T00:45:00+08:00,1,instant", "kind", "kind 'instant'"),
    (",2025-01-01T00:45:00+08:00,1,interval", "meter_id", "meter_id is empty"),
])
def test_bad_csv_line_refuses_the_batch_naming_line_and_field(line: str, field: str, match: str) -> None:
    text = CSV + line + "\n"  # header = line 1, so the bad line is line 5
    with pytest.raises(MeterDataError, match=match) as err:
        parse_csv(text, source="upload.csv")
    assert isinstance(err.value, ImportDataError)
    assert err.value.location is not None
    assert (err.value.location.file, err.value.location.line, err.value.location.field) == ("upload.csv", 5, field)
    assert "upload.csv, line 5, field" in str(err.value)


def test_missing_csv_column_is_named() -> None:
    with pytest.raises(MeterDataError, match="column 'kind' is missing"):
        parse_csv("meter_id,ts,value\nE1,2025-01-01T00:15:00+08:00,1\n")


@pytest.mark.parametrize(("item", "field", "match"), [
    ({"meter_id": "E1", "ts": "2025-01-01T00:45:00", "value": 1, "kind": "interval"}, "ts", "no UTC offset"),
    ({"meter_id": "E1", "ts": "2025-01-01T00:45:00+08:00", "value": "1", "kind": "interval"}, "value", "JSON number"),
    ({"meter_id": "E1", "ts": "2025-01-01T00:45:00+08:00", "value": True, "kind": "interval"}, "value", "JSON number"),
    ({"meter_id": "E1", "ts": "2025-01-01T00:45:00+08:00", "value": 1, "kind": "total"}, "kind", "kind 'total'"),
    ({"meter_id": "E1", "ts": "2025-01-01T00:45:00+08:00", "value": 1}, "kind", "missing"),
    ({"meter_id": 7, "ts": "2025-01-01T00:45:00+08:00", "value": 1, "kind": "interval"}, "meter_id", "not a string"),
])
def test_bad_json_element_refuses_the_batch_naming_row_and_field(item: dict[str, object], field: str,
                                                                 match: str) -> None:
    good = {"meter_id": "E1", "ts": "2025-01-01T00:15:00+08:00", "value": 1.0, "kind": "interval"}
    with pytest.raises(MeterDataError, match=match) as err:
        parse_json(json.dumps([good, good, item]), source="push.json")
    assert err.value.location is not None
    assert (err.value.location.row, err.value.location.field) == (3, field)


def test_json_must_be_a_list() -> None:
    with pytest.raises(MeterDataError, match="list of reading objects"):
        parse_json('{"meter_id": "E1"}')
    with pytest.raises(MeterDataError, match="not valid JSON"):
        parse_json("[{")


def test_parquet_with_naive_timestamps_is_refused() -> None:
    frame = pl.DataFrame({"meter_id": ["E1"], "ts": [datetime(2025, 1, 1, 0, 15)], "value": [1.0],
                          "kind": ["interval"]})
    buf = io.BytesIO()
    frame.write_parquet(buf)
    with pytest.raises(MeterDataError, match="no UTC offset"):
        parse_parquet(buf.getvalue())


def test_parquet_bad_row_is_named() -> None:
    frame = pl.DataFrame({"meter_id": ["E1", "E1"], "ts": ["2025-01-01T00:15:00+08:00", "2025-01-01T00:30:00"],
                          "value": [1.0, 2.0], "kind": ["interval", "interval"]})
    buf = io.BytesIO()
    frame.write_parquet(buf)
    with pytest.raises(MeterDataError, match="no UTC offset") as err:
        parse_parquet(buf.getvalue(), source="day.parquet")
    assert err.value.location is not None
    assert (err.value.location.file, err.value.location.row, err.value.location.field) == ("day.parquet", 2, "ts")


def test_batch_id_ignores_row_order_but_not_content() -> None:
    b = parse_csv(CSV).readings
    assert batch_id(b) == batch_id(b.reverse())
    assert batch_id(b) != batch_id(b.with_columns(pl.col("value") + 0.001))


def test_batch_id_does_not_depend_on_how_the_columns_are_chunked_or_sliced() -> None:
    b = parse_csv(CSV).readings
    chunked = pl.concat([b.slice(0, 1), b.slice(1, 2)], rechunk=False)
    sliced = pl.concat([b.head(1), b]).slice(1, 3)
    assert batch_id(b) == batch_id(chunked) == batch_id(sliced)
    # text that moves a byte between two fields is another batch
    moved = b.with_columns(pl.when(pl.col("meter_id") == "G1").then(pl.lit("E1")).otherwise(pl.col("meter_id"))
                           .alias("meter_id"))
    assert batch_id(b) != batch_id(moved)


def test_json_read_fast_and_careful_give_the_same_batch() -> None:
    """A clean batch goes through orjson column-wise; adding an extra key per element keeps it the same batch."""
    items = [{"meter_id": "E1", "ts": "2025-01-01T00:15:00+08:00", "value": 2, "kind": "interval"},
             {"meter_id": "E1", "ts": "2025-01-01T00:30:00+08:00", "value": 3.5, "kind": "interval"}]
    plain = parse_json(json.dumps(items))
    extra = parse_json(json.dumps([{**it, "note": None} for it in items]))
    assert plain.batch_id == extra.batch_id
    assert plain.readings["value"].to_list() == [2.0, 3.5]


def test_resending_a_batch_adds_nothing() -> None:
    b = parse_csv(CSV).readings
    first = merge(empty_readings(), b)
    assert first.added == 3
    again = merge(first.readings, b.reverse())
    assert again.added == 0
    assert again.readings.equals(first.readings)


def test_conflicting_reading_is_kept_for_validation_to_flag() -> None:
    b = parse_csv(CSV).readings
    other = b.head(1).with_columns(pl.lit(9.0).alias("value"))
    result = merge(b, other)
    assert result.added == 1
    assert result.readings.filter(pl.col("meter_id") == "E1").height == 3


_row = st.tuples(st.sampled_from(["E1", "E2", "G1"]), st.integers(0, 5), st.sampled_from([1.0, 2.0, 2.5]),
                 st.sampled_from(["interval", "cumulative"]))


def _frame(rows: list[tuple[str, int, float, str]]) -> pl.DataFrame:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    return pl.DataFrame(
        [(m, base.replace(minute=15 * (t % 4), hour=t // 4), v, k) for m, t, v, k in rows],
        schema={"meter_id": pl.String, "ts": pl.Datetime("us", "UTC"), "value": pl.Float64, "kind": pl.String},
        orient="row",
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_row, max_size=6), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_merge_is_order_independent(batches: list[list[tuple[str, int, float, str]]], rnd: object) -> None:
    frames = [_frame(b) for b in batches]
    shuffled = list(frames)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    one = merge(empty_readings(), *frames).readings
    two = merge(empty_readings(), *shuffled).readings
    stepwise = empty_readings()
    for f in shuffled:
        stepwise = merge(stepwise, f).readings
    assert one.equals(two)
    assert one.equals(stepwise)
    distinct = {r for b in batches for r in b}
    assert one.height == len({(m, t, v, k) for m, t, v, k in distinct})
