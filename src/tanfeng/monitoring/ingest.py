"""Parse meter-reading batches (JSON, CSV, Parquet) into the readings contract and merge them idempotently.

Contract (``docs/ARCHITECTURE.md``): ``meter_id, ts (ISO 8601 with offset), value, kind
(interval|cumulative)``. Parsed frames have ``meter_id: String, ts: Datetime(us, UTC), value:
Float64, kind: String``.

* A batch with any bad line is refused whole (:class:`~tanfeng.errors.MeterDataError`, naming the
  file, the line (CSV: line 1 is the header) or row (JSON list element / Parquet row, 1-based) and
  the field).
* :func:`batch_id` is a content hash that does not depend on row order, so a re-sent batch has the
  same id whatever order its rows come in.
* :func:`merge` has set semantics over whole readings: re-sending a batch adds nothing, and the
  result does not depend on the order batches arrive in. Two readings for the same meter and time
  with different values are both kept; :func:`tanfeng.monitoring.validate.validate_readings` flags
  them as a conflict.

These are pure functions over bytes and frames; storage is not done here.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import orjson
import polars as pl
import pyarrow as pa

from tanfeng.errors import ImportDataError, MeterDataError, at
from tanfeng.intake import decode_text, limits

__all__ = ["KINDS", "SCHEMA", "Batch", "Format", "MergeResult", "batch_id", "empty_readings", "merge", "parse_batch",
           "parse_csv", "parse_json", "parse_parquet"]

KINDS = ("interval", "cumulative")
SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.String(), "ts": pl.Datetime("us", "UTC"), "value": pl.Float64(), "kind": pl.String(),
}
_TS_SHAPE = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"

Format = Literal["json", "csv", "parquet"]


@dataclass(frozen=True)
class Batch:
    """A parsed, fully valid batch.

    Attributes
    ----------
    readings
        Frame in the contract schema, rows in the order received.
    batch_id
        ``sha256:<hex>`` of the canonical content (see :func:`batch_id`).
    source
        Name of the file or stream it came from (for messages).
    """

    readings: pl.DataFrame
    batch_id: str
    source: str


@dataclass(frozen=True)
class MergeResult:
    """Outcome of :func:`merge`: the merged readings and how many new readings were added."""

    readings: pl.DataFrame
    added: int


def _where(source: str, index: int, field: str, style: Literal["line", "row"]) -> dict[str, Any]:
    if style == "line":
        return {"location": at(source, line=index + 2, field=field)}
    return {"location": at(source, row=index + 1, field=field)}


def _text(data: str | bytes, source: str) -> str:
    """A batch's text: UTF-8 (or UTF-16 with its BOM), without NUL characters."""
    try:
        return decode_text(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data, source)
    except ImportDataError as exc:
        raise MeterDataError(exc.message, location=exc.location, hint=exc.hint) from exc


def _first(mask: pl.Series) -> int | None:
    idx = mask.arg_true()
    return int(idx[0]) if len(idx) else None


def _normalise(raw: pl.DataFrame, source: str, style: Literal["line", "row"]) -> pl.DataFrame:
    """Check and convert a frame of raw columns (strings, numbers or datetimes) into the contract."""
    for col in SCHEMA:
        if col not in raw.columns:
            loc = at(source, line=1, field=col) if style == "line" else at(source, field=col)
            msg = f"column '{col}' is missing; a batch needs {list(SCHEMA)}"
            raise MeterDataError(msg, location=loc)

    if raw.height == 0:
        msg = "the batch has no readings"
        raise MeterDataError(msg, location=at(source), hint="send at least one reading under the header")
    cap = limits().batch_rows
    if raw.height > cap:
        msg = f"the batch has {raw.height:,} readings, more than the limit of {cap:,} (TANFENG_MAX_BATCH_ROWS)"
        raise MeterDataError(msg, location=at(source), hint="send it as several batches")
    meter = raw["meter_id"].cast(pl.String).str.strip_chars()
    bad = _first(meter.is_null() | (meter.str.len_chars() == 0))
    if bad is not None:
        msg = "meter_id is empty"
        raise MeterDataError(msg, **_where(source, bad, "meter_id", style))
    bad = _first(meter.str.contains("\x00", literal=True))
    if bad is not None:
        msg = "meter_id contains a NUL character"
        raise MeterDataError(msg, **_where(source, bad, "meter_id", style))

    ts_raw = raw["ts"]
    if isinstance(ts_raw.dtype, pl.Datetime):
        if ts_raw.dtype.time_zone is None:
            msg = "timestamp has no UTC offset (naive datetime column)"
            raise MeterDataError(msg, hint="write ts as timezone-aware (e.g. +08:00)",
                                 **_where(source, 0, "ts", style))
        bad = _first(ts_raw.is_null())
        if bad is not None:
            msg = "timestamp is empty"
            raise MeterDataError(msg, **_where(source, bad, "ts", style))
        ts = ts_raw.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    else:
        text = ts_raw.cast(pl.String).str.strip_chars()
        shaped = text.str.contains(_TS_SHAPE).fill_null(False)
        bad = _first(~shaped)
        if bad is not None:
            msg = f"'{text[bad]}' is not an ISO 8601 timestamp"
            raise MeterDataError(msg, hint="write e.g. 2025-01-01T00:15:00+08:00",
                                 **_where(source, bad, "ts", style))
        bad = _first(~text.str.contains(_OFFSET))
        if bad is not None:
            msg = f"timestamp '{text[bad]}' has no UTC offset"
            raise MeterDataError(msg, hint="append the offset, e.g. +08:00",
                                 **_where(source, bad, "ts", style))
        ts = text.str.to_datetime(strict=False, time_zone="UTC", time_unit="us")
        bad = _first(ts.is_null())
        if bad is not None:
            msg = f"'{text[bad]}' is not a valid ISO 8601 timestamp"
            raise MeterDataError(msg, **_where(source, bad, "ts", style))

    v_raw = raw["value"]
    if v_raw.dtype.is_numeric():
        value = v_raw.cast(pl.Float64)
        shown = v_raw.cast(pl.String)
    else:
        shown = v_raw.cast(pl.String).str.strip_chars()
        value = shown.cast(pl.Float64, strict=False)
    bad = _first(value.is_null() | ~value.is_finite().fill_null(False))
    if bad is not None:
        msg = f"value '{shown[bad]}' is not a finite number"
        raise MeterDataError(msg, **_where(source, bad, "value", style))

    kind = raw["kind"].cast(pl.String).str.strip_chars()
    bad = _first(~kind.is_in(KINDS).fill_null(False))
    if bad is not None:
        msg = f"kind '{kind[bad]}' is not one of {list(KINDS)}"
        raise MeterDataError(msg, **_where(source, bad, "kind", style))

    return pl.DataFrame({"meter_id": meter, "ts": ts, "value": value, "kind": kind}, schema=SCHEMA)


def _column_digest(h: Any, series: pl.Series) -> None:
    """Feed one column's Arrow buffers (data, and offsets for text) to ``h``, trimmed to the values."""
    arr = series.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    h.update(f"{series.name}:{arr.type}:{n};".encode())
    bufs = arr.buffers()
    if pa.types.is_large_string(arr.type) or pa.types.is_string(arr.type):
        width = 8 if pa.types.is_large_string(arr.type) else 4
        offsets = np.frombuffer(bufs[1], dtype=np.int64 if width == 8 else np.int32,
                                count=n + 1, offset=arr.offset * width)
        h.update((offsets - offsets[0]).astype("<i8").tobytes())
        h.update(memoryview(bufs[2])[int(offsets[0]):int(offsets[-1])])
        return
    width = arr.type.byte_width
    h.update(memoryview(bufs[1])[arr.offset * width:(arr.offset + n) * width])


def batch_id(readings: pl.DataFrame) -> str:
    """Content hash of a readings frame, independent of row order.

    The rows are sorted by all four contract columns and the Arrow buffers of each column (UTC
    microseconds, IEEE 754 values, UTF-8 text with its offsets) are hashed with SHA-256: no text is
    formatted, so it costs about one pass over the bytes.

    Returns
    -------
    str
        ``"sha256:" + hex digest``.
    """
    canonical = readings.select(list(SCHEMA)).cast(SCHEMA).sort(list(SCHEMA))  # type: ignore[arg-type]
    h = hashlib.sha256(b"tanfeng-readings-v2;")
    for name in SCHEMA:
        _column_digest(h, canonical[name])
    return "sha256:" + h.hexdigest()


def _json_columns(data: str | bytes) -> dict[str, list[Any]] | None:
    """The four columns of a well-formed JSON batch, read with orjson; ``None`` when anything is off (the
    careful reader then finds and names the problem)."""
    try:
        items = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(items, list):
        return None
    try:
        cols = {k: [it[k] for it in items] for k in SCHEMA}
    except (KeyError, TypeError):
        return None
    numbers = set(map(type, cols["value"]))
    if not numbers <= {int, float}:
        return None
    if any(set(map(type, cols[k])) - {str} for k in ("meter_id", "ts", "kind")):
        return None
    return cols


def _json_careful(data: str | bytes, source: str) -> dict[str, list[Any]]:
    """Element by element, naming the first bad row and field."""
    try:
        items = json.loads(_text(data, source))
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg}"
        raise MeterDataError(msg, location=at(source, line=exc.lineno)) from exc
    except RecursionError as exc:
        msg = "the JSON is nested too deeply"
        raise MeterDataError(msg, location=at(source), hint="a batch is a list of flat reading objects") from exc
    if not isinstance(items, list):
        msg = "a JSON batch must be a list of reading objects"
        raise MeterDataError(msg, location=at(source))
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            msg = "element is not an object"
            raise MeterDataError(msg, location=at(source, row=i + 1))
        v = item.get("value")
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            msg = f"value {json.dumps(v)} is not a finite JSON number"
            raise MeterDataError(msg, location=at(source, row=i + 1, field="value"))
        for key in ("meter_id", "ts", "kind"):
            if key in item and not isinstance(item[key], str):
                msg = f"{key} {json.dumps(item[key])} is not a string"
                raise MeterDataError(msg, location=at(source, row=i + 1, field=key))
    missing = [k for k in SCHEMA if items and any(k not in it for it in items)]
    if missing:
        row = next(i for i, it in enumerate(items) if missing[0] not in it)
        msg = f"field '{missing[0]}' is missing"
        raise MeterDataError(msg, location=at(source, row=row + 1, field=missing[0]))
    return {k: [it[k] for it in items] for k in SCHEMA}


def parse_json(data: str | bytes, *, source: str = "batch.json") -> Batch:
    """Parse a JSON list of readings (``[{"meter_id": …, "ts": …, "value": …, "kind": …}, …]``).

    ``value`` must be a JSON number. Errors name the list element as ``row`` (1-based). A well-formed
    batch is read by orjson straight into four columns and checked column-wise; only a batch with a
    problem is walked element by element, to name the first bad row and field.

    Raises
    ------
    MeterDataError
        If the text is not JSON, not a list of objects, or any element has a bad field.
    """
    cols = _json_columns(data)
    if cols is None:
        cols = _json_careful(data, source)
    try:
        raw = pl.DataFrame(cols, schema={"meter_id": pl.String, "ts": pl.String, "value": pl.Float64,
                                         "kind": pl.String}, strict=False)
    except (OverflowError, pl.exceptions.PolarsError):
        raw = pl.DataFrame(_json_careful(data, source),
                           schema={"meter_id": pl.String, "ts": pl.String, "value": pl.Float64, "kind": pl.String})
    frame = _normalise(raw, source, "row")
    return Batch(frame, batch_id(frame), source)


def parse_csv(data: str | bytes, *, source: str = "batch.csv") -> Batch:
    """Parse a CSV batch with a header line; errors name the file line (header = line 1).

    Raises
    ------
    MeterDataError
        If the text is not CSV or any line has a bad field.
    """
    raw_bytes = _text(data, source).encode("utf-8")
    try:
        raw = pl.read_csv(io.BytesIO(raw_bytes), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        msg = f"cannot read as CSV: {exc}"
        raise MeterDataError(msg, location=at(source)) from exc
    frame = _normalise(raw, source, "line")
    return Batch(frame, batch_id(frame), source)


def parse_parquet(data: bytes | Path, *, source: str | None = None) -> Batch:
    """Parse a Parquet batch; ``ts`` may be a timezone-aware timestamp or ISO 8601 strings.

    Raises
    ------
    MeterDataError
        If the bytes are not Parquet or any row has a bad field.
    """
    name = source or (str(data) if isinstance(data, Path) else "batch.parquet")
    try:
        raw = pl.read_parquet(data if isinstance(data, Path) else io.BytesIO(data))
    except (pl.exceptions.ComputeError, OSError) as exc:
        msg = f"cannot read as Parquet: {exc}"
        raise MeterDataError(msg, location=at(name)) from exc
    frame = _normalise(raw, name, "row")
    return Batch(frame, batch_id(frame), name)


def parse_batch(data: str | bytes, fmt: Format, *, source: str | None = None) -> Batch:
    """Parse ``data`` in the given format (``json``, ``csv`` or ``parquet``)."""
    if fmt == "json":
        return parse_json(data, source=source or "batch.json")
    if fmt == "csv":
        return parse_csv(data, source=source or "batch.csv")
    if fmt == "parquet":
        if isinstance(data, str):
            msg = "Parquet data must be bytes"
            raise MeterDataError(msg, location=at(source))
        return parse_parquet(data, source=source)
    msg = f"unknown batch format '{fmt}'; use json, csv or parquet"
    raise MeterDataError(msg, location=at(source))


def merge(existing: pl.DataFrame, *batches: pl.DataFrame) -> MergeResult:
    """Merge batches into existing readings with set semantics.

    A reading is the tuple ``(meter_id, ts, value, kind)``; merging adds the tuples not yet present.
    The result is sorted by all four columns, so it does not depend on the order of ``batches`` or
    of their rows.

    Parameters
    ----------
    existing
        Readings already held (contract schema); may be empty.
    *batches
        Parsed batches' readings.

    Returns
    -------
    MergeResult
        The merged readings and the number of readings added.
    """
    cols = list(SCHEMA)
    before = existing.select(cols).unique()
    merged = pl.concat([before, *(b.select(cols) for b in batches)]).unique().sort(cols)
    return MergeResult(merged, merged.height - before.height)


def empty_readings() -> pl.DataFrame:
    """An empty frame in the contract schema."""
    return pl.DataFrame(schema=SCHEMA)
