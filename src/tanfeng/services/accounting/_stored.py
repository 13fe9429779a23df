"""How a run's inputs and result are kept as JSON (private to the accounting service).

The database gives JSON back with string keys and no NaN; :func:`clean` makes a value look like that before
it is stored, so that a recomputed result compares equal to the stored one. Frames (the balance, production,
sinks) are kept as ``{"columns": [...], "rows": [[...], ...]}`` with a fixed type per column.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from tanfeng.errors import ImportDataError

__all__ = [
    "BALANCE_SCHEMA",
    "PRODUCTION_SCHEMA",
    "SINKS_SCHEMA",
    "clean",
    "factor_records_in",
    "frame_from_json",
    "frame_to_json",
    "worst_confidence",
]

BALANCE_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "flow": pl.String, "sector": pl.String,
                                  "product": pl.String, "value": pl.Float64, "unit": pl.String, "row": pl.Int64}
PRODUCTION_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "process": pl.String,
                                     "value": pl.Float64, "row": pl.Int64}
SINKS_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "category": pl.String, "tco2": pl.Float64,
                                "row": pl.Int64}

_FACTOR_RECORD_KEYS = frozenset({"id", "what", "key", "value", "version", "source", "confidence"})


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as None and mapping keys as strings, at every depth."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def clean(obj: Any) -> Any:
    """JSON-ready copy: NaN and infinities become null, keys strings, as the database will give it back."""
    return json.loads(json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False, default=str))


def frame_to_json(df: pl.DataFrame, schema: dict[str, Any]) -> dict[str, Any]:
    """The frame's columns of ``schema`` (in its order), cast to its types, as columns and rows.

    Raises
    ------
    ImportDataError
        A column cannot be cast to its type.
    """
    columns = [c for c in schema if c in df.columns]
    try:
        df = df.select(columns).cast({c: schema[c] for c in columns})
    except pl.exceptions.PolarsError as exc:
        msg = f"a column has the wrong type: {str(exc).splitlines()[0]}"
        raise ImportDataError(msg, hint=f"columns and types: {', '.join(f'{c} {t}' for c, t in schema.items())}") from exc
    return {"columns": columns, "rows": [list(r) for r in df.rows()]}


def frame_from_json(data: dict[str, Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The frame :func:`frame_to_json` kept."""
    columns = list(data["columns"])
    return pl.DataFrame(data["rows"], schema={c: schema[c] for c in columns}, orient="row")


def worst_confidence(confidences: list[str]) -> str | None:
    """The lowest confidence of several (C is worse than B, B than A); None when there is none."""
    return max(confidences, default=None)


def factor_records_in(obj: Any, out: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Every factor record (a dict with id, what, key, value, version, source, confidence) in a stored result."""
    out = {} if out is None else out
    if isinstance(obj, dict):
        if obj.keys() >= _FACTOR_RECORD_KEYS:
            out.setdefault(str(obj["id"]), obj)
        for v in obj.values():
            factor_records_in(v, out)
    elif isinstance(obj, list):
        for v in obj:
            factor_records_in(v, out)
    return out
